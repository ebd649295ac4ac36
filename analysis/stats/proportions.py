"""Proportions: Wilson score intervals and the two-proportion z-test.

Used for the percent positive of every survey item (issue 3) and for proportion
indicators (issue 5). Proportions are on the 0-1 scale, differences in percentage points.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis.stats._validation import (
    ArrayLike,
    as_float_array,
    check_non_negative,
    check_not_above,
    like_input,
    two_sided_z,
)

__all__ = ["wilson_ci", "two_proportion_test"]


def _counts(x: ArrayLike, n: ArrayLike, x_name: str, n_name: str) -> tuple[np.ndarray, np.ndarray]:
    x_arr = as_float_array(x, x_name)
    n_arr = as_float_array(n, n_name)
    try:
        x_arr, n_arr = np.broadcast_arrays(x_arr, n_arr)
    except ValueError:
        raise ValueError(
            f"{x_name} and {n_name} must have the same length; got {x_arr.size} and {n_arr.size}"
        ) from None
    check_non_negative(x_arr, x_name, "number of positive answers")
    check_non_negative(n_arr, n_name, "number of valid answers")
    check_not_above(x_arr, n_arr, x_name, n_name)
    return x_arr, n_arr


def wilson_ci(x: ArrayLike, n: ArrayLike, conf: float = 0.95) -> tuple:
    """Wilson score interval for a proportion ``x / n`` (0-1 scale).

    Parameters
    ----------
    x
        Number of positive answers (events); 0 or more, at most ``n``. Need not be an integer.
    n
        Number of valid answers (the denominator); 0 or more. Where ``n`` is 0 the interval
        is NaN. Missing values give NaN.
    conf
        Confidence level between 0 and 1, e.g. 0.95 or 0.998.

    Returns
    -------
    lower, upper
        Floats for scalar input, pandas Series (with the index of the first Series given)
        or numpy arrays otherwise.

    Raises
    ------
    ValueError
        If a count is negative, ``x > n``, or ``conf`` is not in (0, 1).

    Notes
    -----
    With :math:`p = x/n` and :math:`z` the :math:`(1 + conf)/2` standard normal quantile,

    .. math:: \\frac{2x + z^2 \\mp z\\sqrt{z^2 + 4x(1 - p)}}{2(n + z^2)}

    The limits are set to exactly 0 when ``x = 0`` and to exactly 1 when ``x = n``. This is
    the interval of PHEindicatormethods' ``phe_proportion`` (``wilson_lower`` and
    ``wilson_upper``) and of R's ``prop.test(x, n, correct = FALSE)$conf.int``: for one
    sample and no continuity correction, ``prop.test`` computes
    :math:`(p + z^2/2n \\mp z\\sqrt{p(1-p)/n + z^2/4n^2}) / (1 + z^2/n)`, which is the same
    expression divided through by :math:`n`.

    References
    ----------
    Wilson EB (1927). Probable inference, the law of succession, and statistical
    inference. J Am Stat Assoc 22:209-212.
    Newcombe RG, Altman DG (2000). Proportions and their differences. In Altman DG et al.
    (eds), Statistics with confidence, 2nd edn. BMJ Books, pp 46-48.
    PHEindicatormethods (R package), ``phe_proportion``.

    Examples
    --------
    >>> wilson_ci(7, 20)  # R: prop.test(7, 20, correct = FALSE)$conf.int
    (0.18119182410108..., 0.56714572331476...)
    """
    z = two_sided_z(conf)
    x_arr, n_arr = _counts(x, n, "x", "n")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x_arr / n_arr
        centre = 2 * x_arr + z**2
        spread = z * np.sqrt(z**2 + 4 * x_arr * (1 - p))
        lower = (centre - spread) / (2 * (n_arr + z**2))
        upper = (centre + spread) / (2 * (n_arr + z**2))
    empty = n_arr == 0
    lower = np.where(empty, np.nan, np.where(x_arr == 0, 0.0, lower))
    upper = np.where(empty, np.nan, np.where(x_arr == n_arr, 1.0, upper))
    return like_input(lower, x, n), like_input(upper, x, n)


def two_proportion_test(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> tuple:
    """Two-sided z-test of the difference between two proportions, with pooled variance.

    Parameters
    ----------
    x1, n1
        Positive answers and valid answers in the first sample (e.g. this year).
    x2, n2
        The same for the second sample (e.g. last year, or the rest of the organisation).

    Returns
    -------
    diff_pp, z, p_value
        The difference ``100 * (x1/n1 - x2/n2)`` in percentage points, the z statistic and
        the two-sided p-value. Where either ``n`` is 0 all three are NaN; where the pooled
        proportion is 0 or 1 (no variation at all) ``z`` and ``p_value`` are NaN, as R gives.

    Raises
    ------
    ValueError
        If a count is negative or a number positive exceeds its number valid.

    Notes
    -----
    With :math:`\\hat p_i = x_i / n_i` and the pooled :math:`\\bar p = (x_1 + x_2)/(n_1 + n_2)`,

    .. math:: z = \\frac{\\hat p_1 - \\hat p_2}{\\sqrt{\\bar p (1 - \\bar p)(1/n_1 + 1/n_2)}},
              \\qquad p = 2\\,(1 - \\Phi(|z|)).

    :math:`z^2` is the Pearson chi-squared statistic of the 2 x 2 table, so ``p_value`` is
    R's ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value``.

    References
    ----------
    Altman DG (1991). Practical statistics for medical research. Chapman & Hall, section 10.7.
    R Core Team, ``stats::prop.test``.

    Examples
    --------
    >>> two_proportion_test(45, 60, 30, 60)  # R: prop.test(c(45, 30), c(60, 60), correct = FALSE)
    (25.0, 2.8284271247..., 0.0046777349810...)
    """
    x1_arr, n1_arr = _counts(x1, n1, "x1", "n1")
    x2_arr, n2_arr = _counts(x2, n2, "x2", "n2")
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = x1_arr / n1_arr
        p2 = x2_arr / n2_arr
        pooled = (x1_arr + x2_arr) / (n1_arr + n2_arr)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1_arr + 1 / n2_arr))
        z = np.where(se > 0, (p1 - p2) / se, np.nan)
    p_value = 2 * stats.norm.sf(np.abs(z))
    inputs = (x1, n1, x2, n2)
    diff_pp = 100 * (p1 - p2)
    return like_input(diff_pp, *inputs), like_input(z, *inputs), like_input(p_value, *inputs)
