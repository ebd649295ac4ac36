"""Weights, weighted percentages and their standard errors against R's survey package.

R 4.2.2 with survey 4.1-1. The published example is the ``apistrat`` data shipped with the
survey package (stratified sample of 200 California schools; weights ``pw`` are constant
within school type), summarised here to counts per school type.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import (
    nonresponse_weights,
    weighted_difference_test,
    weighted_mean,
    weighted_percent,
    weighted_percent_ci,
    weighted_percent_from_counts,
)

# R: tapply(apistrat$pw, apistrat$stype, unique)
API_WEIGHTS = {"E": 44.20999908447266, "H": 15.10000038146973, "M": 20.36000061035156}
# R: table(apistrat$stype, apistrat$awards) and table(apistrat$stype, apistrat$sch.wide)
API_COUNTS = pd.DataFrame(
    {
        "variable": ["awards"] * 3 + ["sch.wide"] * 3,
        "stype": ["E", "H", "M"] * 2,
        "n_positive": [73, 16, 24, 91, 26, 35],
        "n": [100, 50, 50, 100, 50, 50],
    }
)
API_COUNTS["weight"] = API_COUNTS["stype"].map(API_WEIGHTS)
# R: d <- svydesign(ids = ~1, weights = ~pw, data = apistrat)
#    svymean(~I(awards == "Yes"), d)   -> 0.6389360640505782, SE 0.03600310535676469
#    svymean(~I(sch.wide == "Yes"), d) -> 0.8279480114158234, SE 0.02606867966535167
API_EXPECTED = {
    "awards": (63.89360640505782, 3.600310535676469),
    "sch.wide": (82.79480114158234, 2.606867966535167),
}


def _respondents(counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Expand class counts to one 0/1 answer and one weight per respondent."""
    answers = np.concatenate(
        [[1.0] * x + [0.0] * (n - x) for x, n in zip(counts.n_positive, counts.n, strict=True)]
    )
    return answers, np.repeat(counts.weight.to_numpy(), counts.n.to_numpy())


@pytest.mark.parametrize("variable", ["awards", "sch.wide"])
def test_weighted_percent_matches_svymean_on_apistrat(variable):
    answers, weights = _respondents(API_COUNTS[API_COUNTS.variable == variable])
    estimate, se = weighted_percent(answers, weights)
    assert (estimate, se) == pytest.approx(API_EXPECTED[variable], rel=1e-12)


def test_weighted_percent_from_counts_matches_svymean_for_every_group():
    table = weighted_percent_from_counts(API_COUNTS, by="variable")
    assert list(table.columns) == ["variable", "n", "pct_positive_weighted", "se_weighted"]
    for row in table.itertuples():
        assert row.n == 200
        assert (row.pct_positive_weighted, row.se_weighted) == pytest.approx(
            API_EXPECTED[row.variable], rel=1e-12
        )


# Respondents of one item: blank (None) = no valid answer. Weights are constant per class.
ANSWERS = [1, 0, 1, 1, None, 0, 1, 0, 1, None, 1, 1]
WEIGHTS = [2, 2, 2, 3, 3, 3, 1.5, 1.5, 1.5, 1.5, 4, 4]


def test_weighted_percent_is_computed_on_the_respondents_with_a_valid_answer():
    # R: d <- data.frame(pos = ANSWERS, w = WEIGHTS)   (NA for None)
    #    svymean(~pos, svydesign(ids = ~1, weights = ~w, data = d[!is.na(d$pos), ]))
    #    -> 0.73469387755102, SE 0.149023338991576
    assert weighted_percent(ANSWERS, WEIGHTS) == pytest.approx(
        (73.469387755102, 14.9023338991576), rel=1e-12
    )
    # R: SE(svymean(~pos, subset(svydesign(ids = ~1, weights = ~w, data = d), !is.na(pos))))
    #    -> 0.14766236674908: the domain SE, smaller by sqrt(N (n - 1) / (n (N - 1)))
    #    with N = 12 respondents and n = 10 valid answers
    domain_factor = np.sqrt(12 * 9 / (10 * 11))
    assert 14.9023338991576 * domain_factor == pytest.approx(14.766236674908, rel=1e-12)


def test_weighted_percent_accepts_a_nullable_boolean_column():
    answers = pd.Series([None if a is None else bool(a) for a in ANSWERS], dtype="boolean")
    assert weighted_percent(answers, pd.Series(WEIGHTS)) == weighted_percent(ANSWERS, WEIGHTS)


def test_weighted_percent_from_counts_equals_respondent_level_answers():
    # the same respondents as ANSWERS/WEIGHTS, counted per weight class:
    # w=2: 1,0,1 -> 2 of 3; w=3: 1,0 -> 1 of 2; w=1.5: 1,0,1 -> 2 of 3; w=4: 1,1 -> 2 of 2
    counts = pd.DataFrame(
        {"item": "q1", "n_positive": [2, 1, 2, 2], "n": [3, 2, 3, 2], "weight": [2, 3, 1.5, 4]}
    )
    row = weighted_percent_from_counts(counts, by=["item"]).iloc[0]
    assert row.n == 10
    assert (row.pct_positive_weighted, row.se_weighted) == pytest.approx(
        weighted_percent(ANSWERS, WEIGHTS), rel=1e-12
    )


def test_weighted_percent_from_counts_edge_cases():
    counts = pd.DataFrame(
        {
            "group": ["all positive", "all positive", "one answer", "none"],
            "n_positive": [3, 2, 1, 0],
            "n": [3, 2, 1, 0],
            "weight": [1.0, 2.0, 5.0, np.nan],  # a class without answers needs no weight
        }
    )
    table = weighted_percent_from_counts(counts, by="group").set_index("group")
    assert table.loc["all positive", "pct_positive_weighted"] == pytest.approx(100.0)
    assert table.loc["all positive", "se_weighted"] == pytest.approx(0.0, abs=1e-12)
    assert np.isnan(table.loc["one answer", "se_weighted"])
    assert np.isnan(table.loc["none", "pct_positive_weighted"])


def test_weighted_percent_from_counts_rejects_bad_counts():
    counts = pd.DataFrame({"g": ["a"], "n_positive": [5], "n": [4], "weight": [1.0]})
    with pytest.raises(ValueError, match="between 0 and n"):
        weighted_percent_from_counts(counts, by="g")
    with pytest.raises(ValueError, match="no column"):
        weighted_percent_from_counts(counts, by="organisation")
    counts = pd.DataFrame({"g": ["a"], "n_positive": [1], "n": [4], "weight": [0.0]})
    with pytest.raises(ValueError, match="weight must be above 0"):
        weighted_percent_from_counts(counts, by="g")


def test_weighted_mean_of_scores_matches_svymean():
    # R: sc <- data.frame(s = c(7.5, 5, 10, 2.5, 6.25, 8.75, 0, 5), w = c(1, 1, 2, 2, 2, 3, 3, 3))
    #    svymean(~s, svydesign(ids = ~1, weights = ~w, data = sc))
    #    -> 5.36764705882353, SE 1.39203105987335
    scores = [7.5, 5, 10, 2.5, 6.25, 8.75, 0, 5]
    weights = [1, 1, 2, 2, 2, 3, 3, 3]
    assert weighted_mean(scores, weights) == pytest.approx(
        (5.36764705882353, 1.39203105987335), rel=1e-12
    )


def test_weighted_mean_by_hand_and_degenerate_cases():
    # y = 1, 0, 1 with w = 2, 1, 1: mean 3/4; z = (0.125, -0.1875, 0.0625),
    # sum z^2 = 0.0546875, SE = sqrt(3/2 * 0.0546875) = 0.28641098093474
    assert weighted_mean([1, 0, None, 1], [2, 1, 1, 1]) == pytest.approx((0.75, 0.28641098093474))
    estimate, se = weighted_mean([4.0, None], [2.0, 1.0])
    assert estimate == 4.0 and np.isnan(se)
    assert all(np.isnan(weighted_mean([None, None], [1.0, 1.0])))


@pytest.mark.parametrize(
    "values, weights, message",
    [
        ([1, 0], [1.0], "same length"),
        ([1, 0], [1.0, 0.0], "weight above 0"),
        ([1, 0], [1.0, np.nan], "weight above 0"),
    ],
)
def test_weighted_mean_rejects_bad_weights(values, weights, message):
    with pytest.raises(ValueError, match=message):
        weighted_mean(values, weights)


def test_weighted_percent_rejects_answers_that_are_not_positive_or_not():
    with pytest.raises(ValueError, match="True/1"):
        weighted_percent([1, 4, 5], [1, 1, 1])


def test_nonresponse_weights_by_hand_and_in_svymean():
    # Nursing: headcount 40, 4 respondents -> 10 each; Admin: headcount 12, 3 respondents -> 4
    groups = pd.Series(["Nursing"] * 4 + ["Admin"] * 3, index=range(10, 17))
    weights = nonresponse_weights(groups, {"Nursing": 40, "Admin": 12})
    assert list(weights.index) == list(range(10, 17))
    np.testing.assert_allclose(weights, [10, 10, 10, 10, 4, 4, 4])
    assert weights.groupby(groups).sum().to_dict() == {"Admin": 12.0, "Nursing": 40.0}
    # R: dd <- data.frame(pos = c(1, 1, 0, 1, 0, 0, 1), w = rep(c(10, 4), c(4, 3)))
    #    svymean(~pos, svydesign(ids = ~1, weights = ~w, data = dd))
    #    -> 0.6538461538461539, SE 0.2017048585687493
    assert weighted_percent([1, 1, 0, 1, 0, 0, 1], weights) == pytest.approx(
        (65.38461538461539, 20.17048585687493), rel=1e-12
    )


def test_nonresponse_weights_leave_unstated_groups_unweighted():
    weights = nonresponse_weights(["Admin", None, "Admin"], pd.Series({"Admin": 5}))
    np.testing.assert_allclose(weights, [2.5, np.nan, 2.5])


@pytest.mark.parametrize(
    "headcounts, message",
    [
        ({"Nursing": 40}, "no headcount for the respondents' group"),
        ({"Nursing": 40, "Admin": 0}, "headcount of group 'Admin'"),
        ({"Nursing": 40, "Admin": None}, "headcount of group 'Admin'"),
    ],
)
def test_nonresponse_weights_reject_missing_headcounts(headcounts, message):
    with pytest.raises(ValueError, match=message):
        nonresponse_weights(["Nursing", "Admin"], headcounts)


def test_weighted_percent_ci_is_clipped_to_0_100():
    # 63.89360640505782 +/- 1.96 * 3.600310535676469 = 56.8369977551 .. 70.9502150550
    lower, upper = weighted_percent_ci([63.89360640505782, 2.0, 99.0], [3.600310535676469, 2, 1])
    np.testing.assert_allclose(lower, [56.83699775513154, 0.0, 97.04])
    np.testing.assert_allclose(upper, [70.9502150549841, 5.92, 100.0])
    with pytest.raises(ValueError, match="0 or more"):
        weighted_percent_ci(50.0, -1.0)


def test_weighted_difference_test_by_hand():
    # diff = 62 - 55 = 7, se = sqrt(3^2 + 4^2) = 5, z = 1.4, p = 2 * (1 - Phi(1.4));
    # R: 2 * pnorm(-1.4) -> 0.1615133184675421
    diff, z, p = weighted_difference_test(62.0, 3.0, 55.0, 4.0)
    assert (diff, z) == pytest.approx((7.0, 1.4))
    assert p == pytest.approx(0.1615133184675421, rel=1e-12)
    diff, z, p = weighted_difference_test([50.0], [0.0], [40.0], [0.0])
    assert diff[0] == 10.0 and np.isnan(z[0]) and np.isnan(p[0])
    with pytest.raises(ValueError, match="se2"):
        weighted_difference_test(1.0, 1.0, 1.0, -1.0)
