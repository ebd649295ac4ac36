"""Means: Student's t confidence interval, as PHEindicatormethods ``phe_mean``."""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis.stats._validation import ArrayLike, as_float_array, check_confidence

__all__ = ["mean_ci"]


def mean_ci(values: ArrayLike, conf: float = 0.95) -> tuple[float, float]:
    """Student's t confidence interval for the mean of ``values``.

    Parameters
    ----------
    values
        The observations (e.g. a team's monthly values, or respondents' theme scores).
        Missing values are left out.
    conf
        Confidence level between 0 and 1, e.g. 0.95 or 0.998.

    Returns
    -------
    lower, upper
        The interval; NaN when fewer than two values are present.

    Raises
    ------
    ValueError
        If ``conf`` is not in (0, 1) or a value is not a number.

    Notes
    -----
    With :math:`\\bar x` the mean, :math:`s` the standard deviation (divisor :math:`n - 1`)
    and :math:`t` the :math:`(1 + conf)/2` quantile of Student's t with :math:`n - 1`
    degrees of freedom: :math:`\\bar x \\mp t\\, s / \\sqrt n`. This is R's
    ``t.test(values, conf.level = conf)$conf.int`` and PHEindicatormethods' ``phe_mean``.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika 6:1-25.
    PHEindicatormethods (R package), ``phe_mean``.

    Examples
    --------
    >>> mean_ci([33.09375, 48.38596, 64.83495, 67.98475, 22.93556, 71.23587, 38.78465, 82.37927])
    (36.16832524133..., 71.24036475866...)
    """
    confidence = check_confidence(conf)
    observed = as_float_array(values, "values").ravel()
    observed = observed[~np.isnan(observed)]
    if observed.size < 2:
        return float("nan"), float("nan")
    mean = observed.mean()
    half_width = stats.t.ppf(0.5 + confidence / 2, observed.size - 1) * (
        observed.std(ddof=1) / np.sqrt(observed.size)
    )
    return float(mean - half_width), float(mean + half_width)
