"""Weighted estimates: non-response weights and Taylor-linearised standard errors.

The survey stage (issue 3) weights respondents so that an organisation's figures represent
its whole workforce. Standard errors are those of R's ``survey::svymean`` for the design
``svydesign(ids = ~1, weights = ~w, data = d)`` built on the respondents with a valid
answer (``d`` has one row per such respondent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats._validation import ArrayLike, as_float_array, check_non_negative, like_input

__all__ = [
    "nonresponse_weights",
    "weighted_mean",
    "weighted_percent",
    "weighted_percent_ci",
    "weighted_percent_from_counts",
    "weighted_difference_test",
]


def nonresponse_weights(
    respondent_groups: Sequence[str] | pd.Series, headcounts: Mapping[str, float] | pd.Series
) -> np.ndarray | pd.Series:
    """Non-response weight of each respondent: headcount of their group / respondents of it.

    Parameters
    ----------
    respondent_groups
        The weighting group (e.g. staff group) of each respondent of one organisation and
        year. Missing labels (not stated) get a NaN weight: leave those respondents out of
        weighted figures or give them a group.
    headcounts
        Staff in post per group, e.g. ``{"Nursing": 420, "Admin": 180}``. Any population
        profile works: with the comparator group's shares of staff per group, the weights
        standardise the organisation to that profile (weighted percentages and their
        standard errors do not depend on the weights' overall scale).

    Returns
    -------
    numpy.ndarray or pandas.Series
        One weight per respondent (a Series with the same index if a Series was given).

    Raises
    ------
    ValueError
        If a respondent's group has no headcount, or a headcount is missing, negative or 0
        for a group that has respondents.

    Notes
    -----
    :math:`w_i = N_g / n_g` for respondent :math:`i` in group :math:`g`, where :math:`N_g` is
    the headcount and :math:`n_g` the number of respondents of :math:`g`, so the weights of a
    group add up to its headcount (post-stratification to the staff profile).

    References
    ----------
    Lohr SL (2022). Sampling: design and analysis, 3rd edn. CRC Press, section 8.5
    (weighting-class adjustments for non-response).

    Examples
    --------
    >>> nonresponse_weights(["Nursing", "Nursing", "Admin"], {"Nursing": 10, "Admin": 6})
    array([5., 5., 6.])
    """
    groups = pd.Series(respondent_groups, dtype=object)
    groups = groups.where(groups.notna(), None)
    population = pd.Series(headcounts, dtype=object)
    respondents = groups.value_counts()
    unknown = sorted(set(respondents.index) - set(population.index), key=str)
    if unknown:
        raise ValueError(
            f"no headcount for the respondents' group(s) {unknown}; headcounts are given for "
            f"{sorted(population.index, key=str)}"
        )
    counts = as_float_array(population[respondents.index], "headcounts")
    bad = np.isnan(counts) | (counts <= 0)
    if bad.any():
        group = respondents.index[np.flatnonzero(bad)[0]]
        raise ValueError(
            f"the headcount of group {group!r} is {population[group]!r} but it has "
            f"{respondents[group]} respondent(s); a headcount must be a number above 0"
        )
    weight_of_group = pd.Series(counts / respondents.to_numpy(), index=respondents.index)
    weights = groups.map(weight_of_group).to_numpy(dtype=float, na_value=np.nan)
    if isinstance(respondent_groups, pd.Series):
        return pd.Series(weights, index=respondent_groups.index, name="weight")
    return weights


def weighted_mean(values: ArrayLike, weights: ArrayLike) -> tuple[float, float]:
    """Weighted mean and its Taylor-linearisation standard error, as ``survey::svymean``.

    Parameters
    ----------
    values
        One value per respondent (a 0-10 score, or 0/1 for a percentage). Missing values
        mark respondents without a valid answer: they are left out, with their weights.
    weights
        One weight per respondent; finite and above 0 wherever the value is present.

    Returns
    -------
    estimate, standard_error
        The weighted mean and its standard error. Both NaN when no value is present; the
        standard error is NaN when only one value is present.

    Raises
    ------
    ValueError
        If the lengths differ or a respondent with a value has a missing, zero or negative
        weight.

    Notes
    -----
    For the :math:`n` respondents with a value, :math:`W = \\sum w_i` and
    :math:`\\hat\\mu = \\sum w_i y_i / W`. The linearised variable is
    :math:`z_i = w_i (y_i - \\hat\\mu) / W`, whose sum is 0, and with one-stage
    with-replacement sampling of respondents (``ids = ~1``, no finite population correction)

    .. math:: \\widehat{SE}(\\hat\\mu) = \\sqrt{\\frac{n}{n - 1} \\sum_i z_i^2}.

    This is ``SE(svymean(~y, svydesign(ids = ~1, weights = ~w, data = d)))`` with ``d``
    holding only the respondents with a value. Estimating on a subset of a design built on
    all :math:`N` respondents (``subset(design, !is.na(y))``, or ``na.rm = TRUE``) uses
    :math:`N/(N - 1)` instead of :math:`n/(n - 1)`: a standard error smaller by the factor
    :math:`\\sqrt{N(n - 1) / (n(N - 1))}`.

    References
    ----------
    Lumley T (2010). Complex surveys: a guide to analysis using R. Wiley, chapter 2.
    Binder DA (1983). On the variances of asymptotically normal estimators from complex
    surveys. International Statistical Review 51:279-292.
    """
    y = as_float_array(values, "values").ravel()
    w = as_float_array(weights, "weights").ravel()
    if y.size != w.size:
        raise ValueError(f"values and weights must have the same length; got {y.size}, {w.size}")
    present = ~np.isnan(y)
    y, w = y[present], w[present]
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        raise ValueError(
            "every respondent with a valid answer needs a weight above 0; got "
            f"{w[bad][0]:g} ({bad.sum()} such respondent(s))"
        )
    n = y.size
    if n == 0:
        return float("nan"), float("nan")
    total_weight = w.sum()
    estimate = float((w * y).sum() / total_weight)
    if n == 1:
        return estimate, float("nan")
    linearised = w * (y - estimate) / total_weight
    return estimate, float(np.sqrt(n / (n - 1) * (linearised**2).sum()))


def weighted_percent(values_positive: ArrayLike, weights: ArrayLike) -> tuple[float, float]:
    """Weighted percent positive (0-100) and its standard error in percentage points.

    Parameters
    ----------
    values_positive
        One entry per respondent: True/1 for a positive answer, False/0 for any other valid
        answer, missing (None, NaN, pd.NA) for no valid answer (blank or an excluded code
        such as "don't know"); those respondents are left out.
    weights
        One weight per respondent, e.g. from :func:`nonresponse_weights`.

    Returns
    -------
    estimate_percent, se_percent
        100 times :func:`weighted_mean` of the 0/1 answers and of its standard error: the
        figures of R's ``svymean(~positive, svydesign(ids = ~1, weights = ~w,
        data = d[!is.na(d$positive), ]))``.

    Raises
    ------
    ValueError
        If an answer is not 0/1/True/False/missing, or as :func:`weighted_mean`.

    References
    ----------
    Lumley T (2010). Complex surveys: a guide to analysis using R. Wiley, chapter 2.

    Examples
    --------
    >>> weighted_percent([1, 0, None, 1], [2.0, 1.0, 1.0, 1.0])
    (75.0, 28.6410980934...)
    """
    positive = as_float_array(values_positive, "values_positive")
    valid = positive[~np.isnan(positive)]
    if not np.isin(valid, (0.0, 1.0)).all():
        raise ValueError(
            "values_positive must be True/1 (positive), False/0 (other valid answer) or missing; "
            f"got {valid[~np.isin(valid, (0.0, 1.0))][0]:g}"
        )
    estimate, standard_error = weighted_mean(positive, weights)
    return 100 * estimate, 100 * standard_error


def weighted_percent_ci(
    estimate_percent: ArrayLike, se_percent: ArrayLike, z: float = 1.96
) -> tuple:
    """Normal interval ``estimate +/- z * SE`` for weighted percentages, clipped to 0-100.

    Parameters
    ----------
    estimate_percent
        Weighted percentages (0-100), e.g. from :func:`weighted_percent`.
    se_percent
        Their standard errors in percentage points (0 or more).
    z
        Multiplier of the standard error; 1.96 for the 95% intervals of the NHS staff
        survey's weighted results.

    Returns
    -------
    lower, upper
        The interval limits, each clipped to [0, 100]; NaN where an input is missing.

    Raises
    ------
    ValueError
        If a standard error is negative or ``z`` is not positive.
    """
    if not z > 0:
        raise ValueError(f"z must be greater than 0, got {z}")
    estimate = as_float_array(estimate_percent, "estimate_percent")
    se = as_float_array(se_percent, "se_percent")
    check_non_negative(se, "se_percent", "standard error")
    lower = np.clip(estimate - z * se, 0, 100)
    upper = np.clip(estimate + z * se, 0, 100)
    return like_input(lower, estimate_percent, se_percent), like_input(
        upper, estimate_percent, se_percent
    )


def weighted_percent_from_counts(
    counts: pd.DataFrame,
    by: str | list[str],
    n_positive: str = "n_positive",
    n: str = "n",
    weight: str = "weight",
) -> pd.DataFrame:
    """Weighted percentages and standard errors for many estimates at once, from counts.

    Where every respondent of a weighting class (e.g. an organisation's staff group in a
    year) has the same weight, the weighted percentage and its standard error depend only
    on each class's counts. This gives the same numbers as :func:`weighted_percent` on the
    respondent-level answers, for every group of ``by`` in one vectorised pass.

    Parameters
    ----------
    counts
        One row per estimate and weighting class, with the columns of ``by``, the number of
        positive answers ``n_positive``, the number of valid answers ``n`` and the class's
        weight ``weight``.
    by
        Column(s) identifying an estimate, e.g. ``["year", "organisation", "item_id"]``.
    n_positive, n, weight
        Names of the count and weight columns.

    Returns
    -------
    pandas.DataFrame
        One row per group of ``by``: ``n`` (valid answers), ``pct_positive_weighted`` and
        ``se_weighted`` (percentage points).

    Raises
    ------
    ValueError
        If a column is missing, a count is negative, ``n_positive > n``, or a class with
        answers has a weight that is missing or not above 0.

    Notes
    -----
    For classes :math:`c` with :math:`n_c` valid answers, :math:`x_c` positive and weight
    :math:`w_c`: :math:`W = \\sum w_c n_c`, :math:`\\hat p = \\sum w_c x_c / W`,
    :math:`A = \\sum w_c^2 x_c`, :math:`B = \\sum w_c^2 n_c` and :math:`n = \\sum n_c`. The sum of
    squared linearised values of :func:`weighted_mean` is
    :math:`\\sum_c w_c^2 [x_c (1 - \\hat p)^2 + (n_c - x_c)\\hat p^2] = (1 - 2\\hat p) A +
    \\hat p^2 B`, so :math:`SE = \\sqrt{n/(n-1)\\,((1 - 2\\hat p)A + \\hat p^2 B)} / W`.
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [column for column in [*keys, n_positive, n, weight] if column not in counts]
    if missing:
        raise ValueError(f"counts has no column(s) {missing}; it has {list(counts.columns)}")
    x = as_float_array(counts[n_positive], n_positive)
    valid = as_float_array(counts[n], n)
    w = as_float_array(counts[weight], weight)
    check_non_negative(x, n_positive, "positive answers")
    check_non_negative(valid, n, "valid answers")
    if (x > valid).any() or np.isnan(x).any() or np.isnan(valid).any():
        raise ValueError(f"{n_positive} must be a count between 0 and {n} in every row")
    bad = (valid > 0) & ~(w > 0)
    if bad.any():
        raise ValueError(
            f"{weight} must be above 0 wherever {n} > 0; got {w[bad][0]:g} in "
            f"{int(bad.sum())} row(s)"
        )
    w = np.where(valid > 0, w, 0.0)
    parts = pd.DataFrame(
        {
            "n": valid,
            "weighted_n": w * valid,
            "weighted_positive": w * x,
            "squared_positive": w**2 * x,
            "squared_n": w**2 * valid,
        },
        index=counts.index,
    )
    sums = parts.groupby([counts[key] for key in keys], sort=True, dropna=False).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sums["weighted_positive"] / sums["weighted_n"]
        squares = ((1 - 2 * p) * sums["squared_positive"] + p**2 * sums["squared_n"]).clip(lower=0)
        se = np.sqrt(sums["n"] / (sums["n"] - 1) * squares) / sums["weighted_n"]
    result = pd.DataFrame(
        {
            "n": sums["n"].astype("int64"),
            "pct_positive_weighted": 100 * p,
            "se_weighted": (100 * se).where(sums["n"] > 1),
        }
    )
    return result.reset_index()


def weighted_difference_test(p1: ArrayLike, se1: ArrayLike, p2: ArrayLike, se2: ArrayLike) -> tuple:
    """Two-sided z-test of the difference between two independent weighted estimates.

    Parameters
    ----------
    p1, se1
        First estimate (e.g. this year's weighted percent positive) and its standard error.
    p2, se2
        Second estimate and its standard error, in the same units.

    Returns
    -------
    diff, z, p_value
        ``p1 - p2`` (percentage points for percentages), the z statistic and the two-sided
        p-value; ``z`` and ``p_value`` are NaN where both standard errors are 0 or missing.

    Raises
    ------
    ValueError
        If a standard error is negative.

    Notes
    -----
    :math:`z = (p_1 - p_2) / \\sqrt{SE_1^2 + SE_2^2}` and :math:`p = 2(1 - \\Phi(|z|))`,
    which assumes the two samples are independent (different years, or different
    organisations).

    References
    ----------
    Lumley T (2010). Complex surveys: a guide to analysis using R. Wiley, section 2.4.

    Examples
    --------
    >>> weighted_difference_test(62.0, 3.0, 55.0, 4.0)  # z = 7 / 5
    (7.0, 1.4, 0.16151331846...)
    """
    first, second = as_float_array(p1, "p1"), as_float_array(p2, "p2")
    first_se, second_se = as_float_array(se1, "se1"), as_float_array(se2, "se2")
    check_non_negative(first_se, "se1", "standard error")
    check_non_negative(second_se, "se2", "standard error")
    diff = first - second
    se = np.sqrt(first_se**2 + second_se**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, np.nan)
    p_value = 2 * stats.norm.sf(np.abs(z))
    inputs = (p1, se1, p2, se2)
    return like_input(diff, *inputs), like_input(z, *inputs), like_input(p_value, *inputs)
