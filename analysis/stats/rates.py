"""Counts and rates: exact Poisson and Byar's intervals, rates per N as PHEindicatormethods.

Used for indicators such as sickness episodes per 1,000 staff-days (issue 5).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis.stats._validation import (
    ArrayLike,
    as_float_array,
    check_confidence,
    check_non_negative,
    like_input,
    two_sided_z,
)

__all__ = ["byar_ci", "exact_poisson_ci", "rate_ci", "BYAR_FROM_EVENTS"]

#: ``rate_ci`` uses the exact interval below this many events and Byar's method from it.
BYAR_FROM_EVENTS = 10


def _events(x: ArrayLike) -> np.ndarray:
    events = as_float_array(x, "x")
    check_non_negative(events, "x", "number of events")
    return events


def byar_ci(x: ArrayLike, conf: float = 0.95) -> tuple:
    """Byar's approximate confidence interval for a Poisson count of events.

    Parameters
    ----------
    x
        Observed numbers of events, 0 or more.
    conf
        Confidence level between 0 and 1, e.g. 0.95 or 0.998.

    Returns
    -------
    lower, upper
        Limits for the expected count. As in PHEindicatormethods, a lower limit that the
        approximation makes negative (very few events at a high confidence level, e.g. 1
        event at 99.8%) is NaN, and so is the lower limit for 0 events. Use
        :func:`exact_poisson_ci` (or :func:`rate_ci`, which switches) for small counts.

    Raises
    ------
    ValueError
        If a count is negative or ``conf`` is not in (0, 1).

    Notes
    -----
    With :math:`z` the :math:`(1 + conf)/2` standard normal quantile,

    .. math:: L = x\\left(1 - \\frac{1}{9x} - \\frac{z}{3\\sqrt{x}}\\right)^3, \\qquad
              U = (x + 1)\\left(1 - \\frac{1}{9(x + 1)} + \\frac{z}{3\\sqrt{x + 1}}\\right)^3.

    References
    ----------
    Breslow NE, Day NE (1987). Statistical methods in cancer research, volume II: the
    design and analysis of cohort studies. IARC, Lyon.
    PHEindicatormethods (R package), internal ``byars_lower`` and ``byars_upper``.

    Examples
    --------
    >>> byar_ci(65)  # PHEindicatormethods test data: 50.1631877105, 82.8491385459
    (50.163187710..., 82.849138545...)
    """
    z = two_sided_z(conf)
    events = _events(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = events * (1 - 1 / (9 * events) - z / (3 * np.sqrt(events))) ** 3
        upper = (events + 1) * (1 - 1 / (9 * (events + 1)) + z / (3 * np.sqrt(events + 1))) ** 3
    lower = np.where((events == 0) | (lower < 0), np.nan, lower)
    return like_input(lower, x), like_input(upper, x)


def exact_poisson_ci(x: ArrayLike, conf: float = 0.95) -> tuple:
    """Exact (Garwood) confidence interval for a Poisson count of events.

    Parameters
    ----------
    x
        Observed numbers of events, 0 or more.
    conf
        Confidence level between 0 and 1.

    Returns
    -------
    lower, upper
        Limits for the expected count; the lower limit for 0 events is 0.

    Raises
    ------
    ValueError
        If a count is negative or ``conf`` is not in (0, 1).

    Notes
    -----
    With :math:`\\alpha = 1 - conf` and :math:`\\chi^2_{q, d}` the :math:`q` quantile of the
    chi-squared distribution with :math:`d` degrees of freedom,

    .. math:: L = \\tfrac12 \\chi^2_{\\alpha/2,\\, 2x}, \\qquad
              U = \\tfrac12 \\chi^2_{1 - \\alpha/2,\\, 2x + 2}.

    This is R's ``poisson.test(x, conf.level = conf)$conf.int`` and the small-count branch
    of PHEindicatormethods' ``phe_rate``.

    References
    ----------
    Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:437-442.
    Armitage P, Berry G (2002). Statistical methods in medical research, 4th edn. Blackwell.

    Examples
    --------
    >>> exact_poisson_ci(3)  # R: poisson.test(3)$conf.int
    (0.61867212289..., 8.76727306974...)
    """
    confidence = check_confidence(conf)
    events = _events(x)
    tail = (1 - confidence) / 2
    # chi-squared with 0 degrees of freedom is a point mass at 0: the lower limit for x = 0
    lower = np.where(events > 0, stats.chi2.ppf(tail, 2 * np.where(events > 0, events, 1)) / 2, 0.0)
    lower = np.where(np.isnan(events), np.nan, lower)
    upper = stats.chi2.ppf(1 - tail, 2 * events + 2) / 2
    return like_input(lower, x), like_input(upper, x)


def rate_ci(x: ArrayLike, n: ArrayLike, conf: float = 0.95, multiplier: float = 100000) -> tuple:
    """Confidence interval for a rate per ``multiplier``, as PHEindicatormethods ``phe_rate``.

    Parameters
    ----------
    x
        Numbers of events, 0 or more (may exceed ``n``, e.g. repeated episodes).
    n
        Denominators (population, staff-days...), greater than 0. Missing gives NaN.
    conf
        Confidence level between 0 and 1; Public Health England uses 0.95 and 0.998.
    multiplier
        The rate is per this many units of ``n`` (100000 gives a rate per 100,000).

    Returns
    -------
    lower, upper
        Limits of the rate ``x / n * multiplier``: exact Poisson limits
        (:func:`exact_poisson_ci`) where ``x`` is below 10 and Byar's limits
        (:func:`byar_ci`) from 10 events, each divided by ``n`` and times ``multiplier``.

    Raises
    ------
    ValueError
        If a count is negative, a denominator is 0 or negative, ``multiplier`` is not
        positive or ``conf`` is not in (0, 1).

    References
    ----------
    PHEindicatormethods (R package), ``phe_rate``; its method notes cite Breslow & Day (1987)
    for Byar's method and Armitage & Berry (2002) for the exact method.

    Examples
    --------
    >>> rate_ci(65, 100)  # PHEindicatormethods test data: 50163.1877104595, 82849.1385459398
    (50163.187710..., 82849.138545...)
    """
    if not multiplier > 0:
        raise ValueError(f"multiplier must be greater than 0, got {multiplier}")
    events = _events(x)
    denominator = as_float_array(n, "n")
    if (denominator <= 0).any():
        raise ValueError(f"n (denominator) must be greater than 0; got {denominator.min():g}")
    exact_lower, exact_upper = exact_poisson_ci(events, conf)
    byar_lower, byar_upper = byar_ci(events, conf)
    small = events < BYAR_FROM_EVENTS
    lower = np.where(small, exact_lower, byar_lower) / denominator * multiplier
    upper = np.where(small, exact_upper, byar_upper) / denominator * multiplier
    return like_input(lower, x, n), like_input(upper, x, n)
