"""Paired pre/post effect against R's t.test, wilcox.test and pt/qt with ncp.

Reference numbers: R 4.2.2. The d_z interval inverts the noncentral t in R with

    t <- mean(d) / sd(d) * sqrt(n); df <- n - 1
    uniroot(function(ncp) pt(t, df, ncp) - (1 + conf) / 2, c(t - 20, t + 20), tol = 1e-14)
    uniroot(function(ncp) pt(t, df, ncp) - (1 - conf) / 2, c(t - 20, t + 20), tol = 1e-14)

and divides both roots by sqrt(n) (Cumming & Finch 2001). Hedges' J in R:
``gamma(df / 2) / (sqrt(df / 2) * gamma((df - 1) / 2))``.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.evaluation import hedges_correction, noncentral_t_interval, paired_effect

# R: sleep$extra[1:10] (drug 1) and sleep$extra[11:20] (drug 2), the same ten patients
DRUG1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
DRUG2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# ?wilcox.test: Hollander & Wolfe (1973) p 29, depression scale before (x) and after (y)
BEFORE = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
AFTER = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_sleep_data_match_t_test_wilcox_test_and_the_noncentral_t_interval():
    row = paired_effect(DRUG1, DRUG2).iloc[0]
    assert (row["n_pairs"], row["n_unmatched"], row["df"]) == (10, 0, 9)
    # R: t.test(DRUG2, DRUG1, paired = TRUE): t = 4.06212768338204, p = 0.0028328901973843,
    # mean difference 1.58, 95% CI 0.70011423672301754 2.45988576327698238
    assert row["mean_change"] == pytest.approx(1.58, rel=1e-12)
    assert row["t"] == pytest.approx(4.06212768338204, rel=1e-12)
    assert row["p_value"] == pytest.approx(0.0028328901973843, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (0.70011423672301754, 2.45988576327698238), rel=1e-12
    )
    # R: wilcox.test(DRUG2, DRUG1, paired = TRUE): V = 45, p-value = 0.0090906980159250559
    # (one zero change and tied changes: normal approximation, as R warns)
    assert row["wilcoxon_v"] == 45
    assert row["wilcoxon_p_value"] == pytest.approx(0.0090906980159250559, rel=1e-10)
    assert row["wilcoxon_method"].startswith("normal approximation")
    # By hand: changes 1.2 2.4 1.3 1.3 0 1.0 1.8 0.8 4.6 1.4, mean 1.58,
    # sd 1.2299954832798732, d_z = 1.58 / 1.2299954832798732 = 1.2845575625910546
    assert row["sd_change"] == pytest.approx(1.2299954832798732, rel=1e-12)
    assert row["d_z"] == pytest.approx(1.2845575625910546, rel=1e-12)
    # R: roots 1.3111680912866657 and 6.6977563060173884; / sqrt(10):
    assert (row["d_z_ci_low"], row["d_z_ci_high"]) == pytest.approx(
        (0.41462775638014371, 2.1180165139770675), rel=1e-9
    )
    # R: J = gamma(4.5) / (sqrt(4.5) * gamma(4)) = 0.91387489179255232; g_z = J * d_z
    assert row["hedges_j"] == pytest.approx(0.91387489179255232, rel=1e-12)
    assert row["g_z"] == pytest.approx(0.91387489179255232 * 1.2845575625910546, rel=1e-12)
    assert row["g_z_ci_low"] == pytest.approx(0.91387489179255232 * 0.41462775638014371, rel=1e-9)
    assert row["effect_size"].startswith("g_z")


def test_depression_data_use_the_exact_signed_rank_distribution():
    row = paired_effect(BEFORE, AFTER).iloc[0]
    # R: wilcox.test(AFTER, BEFORE, paired = TRUE): V = 5, p-value = 0.0390625. By hand: no ties
    # or zeros, n = 9, so exact: P(V <= 5) counts subsets of 1..9 with rank sum <= 5:
    # sums 0,1,2,3,4,5 have 1,1,1,2,2,3 subsets = 10 of 2^9 = 512; p = 2 * 10 / 512.
    assert row["wilcoxon_v"] == 5
    assert row["wilcoxon_p_value"] == pytest.approx(2 * 10 / 512, rel=1e-12)
    assert row["wilcoxon_method"] == "exact"
    # R: t.test(AFTER, BEFORE, paired = TRUE): t = -3.0353754156485913,
    # p = 0.016176627434908095, CI -0.75999906550560925 -0.10377871227216852
    assert row["t"] == pytest.approx(-3.0353754156485913, rel=1e-12)
    assert row["p_value"] == pytest.approx(0.016176627434908095, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (-0.75999906550560925, -0.10377871227216852), rel=1e-12
    )
    # R (uniroot on pt with ncp): d_z CI -1.80716906193833 -0.17714760906643387; J(8)
    assert (row["d_z_ci_low"], row["d_z_ci_high"]) == pytest.approx(
        (-1.80716906193833, -0.17714760906643387), rel=1e-9
    )
    assert row["hedges_j"] == pytest.approx(0.90270333367641009, rel=1e-12)
    # 90% interval, R: -1.6716970091621557 -0.3035650714753883
    row90 = paired_effect(BEFORE, AFTER, conf=0.9).iloc[0]
    assert (row90["d_z_ci_low"], row90["d_z_ci_high"]) == pytest.approx(
        (-1.6716970091621557, -0.3035650714753883), rel=1e-9
    )


def test_fifty_or_more_changes_use_the_normal_approximation_as_r():
    # R: pre <- 1:55; post <- pre + round(10 * sin(1:55) + 3, 4)  (55 distinct changes)
    # wilcox.test(post, pre, paired = TRUE): V = 1114, p-value = 0.0040016541759683756
    # t.test(...)$p.value = 0.0025593593315097187; d_z CI 0.14855545613633905 0.70095574066199295
    pre = np.arange(1, 56, dtype=float)
    post = pre + np.round(10 * np.sin(np.arange(1, 56)) + 3, 4)
    row = paired_effect(pre, post).iloc[0]
    assert row["wilcoxon_v"] == 1114
    assert row["wilcoxon_p_value"] == pytest.approx(0.0040016541759683756, rel=1e-10)
    assert "50 or more" in row["wilcoxon_method"]
    assert row["p_value"] == pytest.approx(0.0025593593315097187, rel=1e-10)
    assert (row["d_z_ci_low"], row["d_z_ci_high"]) == pytest.approx(
        (0.14855545613633905, 0.70095574066199295), rel=1e-9
    )


def test_unmatched_participants_are_dropped_and_counted():
    pre = [*DRUG1, np.nan, 3.0, None]
    post = [*DRUG2, 2.0, np.nan, None]
    row = paired_effect(pd.Series(pre), pd.Series(post)).iloc[0]
    full = paired_effect(DRUG1, DRUG2).iloc[0]
    assert (row["n_pairs"], row["n_unmatched"]) == (10, 3)
    assert row["d_z"] == full["d_z"]
    assert row["mean_pre"] == pytest.approx(np.mean(DRUG1), rel=1e-12)


def test_hedges_correction_exact_and_its_approximation():
    # R: gamma(m / 2) / (sqrt(m / 2) * gamma((m - 1) / 2)) for m = 9 and m = 54
    assert hedges_correction(9) == pytest.approx(0.91387489179255232, rel=1e-12)
    assert hedges_correction(54) == pytest.approx(0.98603565094858203, rel=1e-12)
    # The approximation 1 - 3 / (4m - 1) is within 0.001 from m = 6 (m = 5: 0.00136)
    for m in range(6, 200):
        assert abs(hedges_correction(m) - (1 - 3 / (4 * m - 1))) < 0.001
    with pytest.raises(ValueError, match="more than 1 degree of freedom"):
        hedges_correction(1)


def test_noncentral_t_interval_properties():
    # t = 0: the interval is symmetric about 0
    low, high = noncentral_t_interval(0.0, 12)
    assert low == pytest.approx(-high, rel=1e-10)
    # many degrees of freedom: close to the normal interval t -/+ 1.959964
    low, high = noncentral_t_interval(3.0, 100000)
    assert (low, high) == pytest.approx((3.0 - 1.959964, 3.0 + 1.959964), abs=1e-3)


def test_bad_input_is_refused_with_a_helpful_message():
    with pytest.raises(ValueError, match="at least 3 participants with both"):
        paired_effect([1, 2, np.nan], [2, np.nan, 4])
    with pytest.raises(ValueError, match="same amount"):
        paired_effect([1, 2, 3, 4], [2, 3, 4, 5])
    with pytest.raises(ValueError, match="same order; got 3 and 4"):
        paired_effect([1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="different indexes"):
        paired_effect(pd.Series(DRUG1), pd.Series(DRUG2, index=range(1, 11)))
    with pytest.raises(ValueError, match="numbers only"):
        paired_effect(["low", "high", "low"], [1, 2, 3])
    with pytest.raises(ValueError, match="did you mean 0.9"):
        paired_effect(DRUG1, DRUG2, conf=90)
