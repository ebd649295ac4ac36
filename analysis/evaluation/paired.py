"""Before and after for the same people: did a course change what participants report?

Kirkpatrick level 2 (learning): each participant rates, say, their confidence in giving
feedback before and after a course. Only matched pairs count; the change is summarised by
its mean with a t interval, tested by the paired t-test and the Wilcoxon signed-rank test,
and sized by the standardised mean change d_z with Hedges' small-sample correction and an
interval from the noncentral t distribution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from analysis.stats._validation import as_float_array, check_confidence

__all__ = [
    "MINIMUM_PAIRS",
    "WILCOXON_EXACT_BELOW",
    "hedges_correction",
    "noncentral_t_interval",
    "paired_effect",
]

MINIMUM_PAIRS = 3
"""Matched pairs needed: with two, Hedges' correction factor is zero."""

WILCOXON_EXACT_BELOW = 50
"""As R's ``wilcox.test``: exact p-value below 50 non-zero changes without ties."""

_ArrayLike = Sequence[float] | np.ndarray | pd.Series


def hedges_correction(df: float) -> float:
    """Hedges' exact small-sample correction factor J for a standardised mean difference.

    Parameters
    ----------
    df
        Degrees of freedom of the standard deviation (``n - 1`` for d_z of ``n`` pairs).

    Returns
    -------
    float
        :math:`J(m) = \\Gamma(m/2) / (\\sqrt{m/2}\\,\\Gamma((m-1)/2))`, the factor that makes
        ``J * d`` unbiased. The common approximation ``1 - 3 / (4m - 1)`` agrees to within
        0.001 from ``m = 6``.

    References
    ----------
    Hedges LV (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. Journal of Educational Statistics 6:107-128 (equation 6e).

    Examples
    --------
    >>> round(hedges_correction(9), 6)  # R: gamma(4.5) / (sqrt(4.5) * gamma(4))
    0.913875
    """
    if not df > 1:
        raise ValueError(f"Hedges' correction needs more than 1 degree of freedom, got {df}")
    half = df / 2
    return float(np.exp(special.gammaln(half) - special.gammaln(half - 0.5)) / np.sqrt(half))


def noncentral_t_interval(t_value: float, df: float, conf: float = 0.95) -> tuple[float, float]:
    """Confidence interval for the noncentrality parameter of an observed t statistic.

    Parameters
    ----------
    t_value
        The observed t statistic.
    df
        Its degrees of freedom.
    conf
        Confidence level.

    Returns
    -------
    lower, upper
        The noncentrality parameters :math:`\\lambda_L, \\lambda_U` with
        :math:`P(T_{df,\\lambda_L} \\le t) = (1 + conf)/2` and
        :math:`P(T_{df,\\lambda_U} \\le t) = (1 - conf)/2`; in R,
        ``uniroot(function(ncp) pt(t, df, ncp) - 0.975, ...)``. Divide by
        :math:`\\sqrt n` for an interval for d_z.

    References
    ----------
    Steiger JH, Fouladi RT (1997). Noncentrality interval estimation and the evaluation of
    statistical models. In Harlow, Mulaik, Steiger (eds), *What if there were no
    significance tests?* Erlbaum, pp 221-257.
    Cumming G, Finch S (2001). A primer on the understanding, use, and calculation of
    confidence intervals that are based on central and noncentral distributions.
    Educational and Psychological Measurement 61:532-574.
    """
    confidence = check_confidence(conf)

    def ncp_with_cdf(probability: float) -> float:
        def gap(ncp: float) -> float:
            return float(stats.nct.cdf(t_value, df, ncp)) - probability

        # The cdf falls as ncp rises; widen the bracket around t until it holds the root.
        width = 2.0 + abs(t_value)
        low, high = t_value - width, t_value + width
        while gap(low) < 0:
            low -= width
        while gap(high) > 0:
            high += width
        return float(optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-14))

    return ncp_with_cdf(0.5 + confidence / 2), ncp_with_cdf(0.5 - confidence / 2)


def _matched_pairs(pre: _ArrayLike, post: _ArrayLike) -> tuple[np.ndarray, np.ndarray, int]:
    if (
        isinstance(pre, pd.Series)
        and isinstance(post, pd.Series)
        and not pre.index.equals(post.index)
    ):
        raise ValueError(
            "pre and post are Series with different indexes; put them side by side first "
            "(e.g. pivot the ratings to one row per participant) so that each row is a pair"
        )
    before = as_float_array(pre, "pre").ravel()
    after = as_float_array(post, "post").ravel()
    if before.size != after.size:
        raise ValueError(
            f"pre and post must have one value per participant, in the same order; got "
            f"{before.size} and {after.size} values"
        )
    matched = ~(np.isnan(before) | np.isnan(after))
    if matched.sum() < MINIMUM_PAIRS:
        raise ValueError(
            f"paired_effect needs at least {MINIMUM_PAIRS} participants with both a pre and "
            f"a post value; got {int(matched.sum())} (of {before.size})"
        )
    return before[matched], after[matched], int((~matched).sum())


def _wilcoxon_signed_rank(change: np.ndarray) -> tuple[float, float, str]:
    """V (sum of the ranks of the rises) and p-value exactly as R's ``wilcox.test``."""
    nonzero = change[change != 0]
    ranks = stats.rankdata(np.abs(nonzero))
    statistic = float(ranks[nonzero > 0].sum())
    has_ties = np.unique(np.abs(nonzero)).size < nonzero.size
    has_zeros = nonzero.size < change.size
    if nonzero.size < WILCOXON_EXACT_BELOW and not has_ties and not has_zeros:
        p_value = stats.wilcoxon(nonzero, method="exact").pvalue
        method = "exact"
    else:
        p_value = stats.wilcoxon(
            nonzero, zero_method="wilcox", correction=True, method="approx"
        ).pvalue
        reason = "ties or zero changes" if has_ties or has_zeros else "50 or more changes"
        method = (
            f"normal approximation with continuity and tie correction, zero changes "
            f"dropped ({reason})"
        )
    return statistic, float(p_value), method


def paired_effect(pre: _ArrayLike, post: _ArrayLike, conf: float = 0.95) -> pd.DataFrame:
    """Mean change, tests and standardised effect size for matched pre/post ratings.

    Parameters
    ----------
    pre, post
        Each participant's rating before and after, by position (pair ``i`` is
        ``pre[i], post[i]``). Pairs with a missing side are dropped and counted. Two
        Series must share their index.
    conf
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row. ``n_pairs``, ``n_unmatched`` (dropped pairs), ``mean_pre``, ``mean_post``,
        ``mean_change`` (post - pre) with ``ci_low``, ``ci_high``; ``sd_change``;
        ``t``, ``df``, ``p_value`` (paired t-test); ``wilcoxon_v``, ``wilcoxon_p_value``,
        ``wilcoxon_method``; ``d_z`` with ``d_z_ci_low``, ``d_z_ci_high``; ``hedges_j``;
        ``g_z`` with ``g_z_ci_low``, ``g_z_ci_high``; and ``effect_size``, naming the
        reported effect size (``g_z``).

    Raises
    ------
    ValueError
        Fewer than 3 matched pairs, all changes equal (no spread: t and d undefined),
        non-numeric ratings, Series with different indexes, or a bad ``conf``.

    Notes
    -----
    With changes :math:`D_i = post_i - pre_i`, :math:`i = 1..n`, mean :math:`\\bar D` and
    standard deviation :math:`s_D` (divisor :math:`n-1`):

    * mean change :math:`\\bar D \\pm t_{n-1} s_D/\\sqrt n`; paired t-test
      :math:`t = \\bar D \\sqrt n / s_D` on :math:`n-1` df (R ``t.test(post, pre,
      paired = TRUE)``).
    * Wilcoxon signed-rank test as R's ``wilcox.test(post, pre, paired = TRUE)`` with its
      defaults (``exact = NULL, correct = TRUE``): zero changes are dropped; the p-value is
      exact when fewer than 50 changes remain and none are tied or zero, otherwise from the
      normal approximation with tie-corrected variance and continuity correction.
      ``wilcoxon_v`` is R's V, the sum of the ranks of the positive changes.
    * :math:`d_z = \\bar D / s_D` (Cohen 1988, the standardiser of the t-test). Its interval
      inverts the noncentral t: :math:`[\\lambda_L, \\lambda_U]/\\sqrt n` from
      :func:`noncentral_t_interval` applied to :math:`t` (Cumming & Finch 2001).
    * :math:`g_z = J\\, d_z` with Hedges' exact factor
      :math:`J = \\Gamma(m/2)/(\\sqrt{m/2}\\,\\Gamma((m-1)/2))`, :math:`m = n-1`
      (:func:`hedges_correction`); its interval is :math:`J` times the d_z interval.
      ``g_z`` is the reported effect size (Lakens 2013 recommends the corrected value).

    d_z is not comparable with a between-groups d: it grows with the correlation between
    pre and post ratings.

    References
    ----------
    Cohen J (1988). *Statistical power analysis for the behavioral sciences*, 2nd edn.
    Hedges LV (1981). Journal of Educational Statistics 6:107-128.
    Cumming G, Finch S (2001). Educational and Psychological Measurement 61:532-574.
    Lakens D (2013). Calculating and reporting effect sizes to facilitate cumulative
    science: a practical primer for t-tests and ANOVAs. Frontiers in Psychology 4:863.
    Wilcoxon F (1945). Individual comparisons by ranking methods. Biometrics Bulletin 1:80-83.

    Examples
    --------
    R's ``sleep`` data (extra hours of sleep, drug 1 then drug 2, same 10 patients):

    >>> drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> row = paired_effect(drug1, drug2).iloc[0]  # R: t.test(drug2, drug1, paired = TRUE)
    >>> print(f"t = {row['t']:.4f}, p = {row['p_value']:.6f}")
    t = 4.0621, p = 0.002833
    """
    confidence = check_confidence(conf)
    before, after, n_unmatched = _matched_pairs(pre, post)
    change = after - before
    n = change.size
    df = n - 1
    mean_change = float(change.mean())
    sd_change = float(change.std(ddof=1))
    if not sd_change > 0:
        raise ValueError(
            f"every participant changed by the same amount ({mean_change:g}); with no spread "
            f"in the changes the t-test and d_z are undefined"
        )
    standard_error = sd_change / np.sqrt(n)
    t_value = mean_change / standard_error
    half_width = stats.t.ppf(0.5 + confidence / 2, df) * standard_error
    v_statistic, wilcoxon_p, wilcoxon_method = _wilcoxon_signed_rank(change)
    d_z = mean_change / sd_change
    ncp_low, ncp_high = noncentral_t_interval(t_value, df, confidence)
    j = hedges_correction(df)
    return pd.DataFrame(
        {
            "n_pairs": [n],
            "n_unmatched": [n_unmatched],
            "mean_pre": [float(before.mean())],
            "mean_post": [float(after.mean())],
            "mean_change": [mean_change],
            "ci_low": [mean_change - half_width],
            "ci_high": [mean_change + half_width],
            "sd_change": [sd_change],
            "t": [t_value],
            "df": [df],
            "p_value": [float(2 * stats.t.sf(abs(t_value), df))],
            "wilcoxon_v": [v_statistic],
            "wilcoxon_p_value": [wilcoxon_p],
            "wilcoxon_method": [wilcoxon_method],
            "d_z": [d_z],
            "d_z_ci_low": [ncp_low / np.sqrt(n)],
            "d_z_ci_high": [ncp_high / np.sqrt(n)],
            "hedges_j": [j],
            "g_z": [j * d_z],
            "g_z_ci_low": [j * ncp_low / np.sqrt(n)],
            "g_z_ci_high": [j * ncp_high / np.sqrt(n)],
            "effect_size": [
                "g_z: Hedges-corrected d_z (mean change / SD of changes), exact J; "
                "interval from the noncentral t, times J"
            ],
        }
    )
