"""Cronbach's alpha, its intervals and item-rest correlations against R's psych::alpha.

R 4.2.2 with psych 2.2.9. The published example is R's ``attitude`` data set (Chatterjee &
Price, Regression analysis by example: 30 departments, 7 survey items), the example of
``?psych::alpha``.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import cronbach_alpha, item_rest_correlations

ATTITUDE = pd.DataFrame(
    {
        "rating": [43, 63, 71, 61, 81, 43, 58, 71, 72, 67, 64, 67, 69, 68, 77, 81, 74, 65, 65,
                   50, 50, 64, 53, 40, 63, 66, 78, 48, 85, 82],
        "complaints": [51, 64, 70, 63, 78, 55, 67, 75, 82, 61, 53, 60, 62, 83, 77, 90, 85, 60,
                       70, 58, 40, 61, 66, 37, 54, 77, 75, 57, 85, 82],
        "privileges": [30, 51, 68, 45, 56, 49, 42, 50, 72, 45, 53, 47, 57, 83, 54, 50, 64, 65,
                       46, 68, 33, 52, 52, 42, 42, 66, 58, 44, 71, 39],
        "learning": [39, 54, 69, 47, 66, 44, 56, 55, 67, 47, 58, 39, 42, 45, 72, 72, 69, 75, 57,
                     54, 34, 62, 50, 58, 48, 63, 74, 45, 71, 59],
        "raises": [61, 63, 76, 54, 71, 54, 66, 70, 71, 62, 58, 59, 55, 59, 79, 60, 79, 55, 75,
                   64, 43, 66, 63, 50, 66, 88, 80, 51, 77, 64],
        "critical": [92, 73, 86, 84, 83, 49, 68, 66, 83, 80, 67, 74, 63, 77, 77, 54, 79, 80, 85,
                     78, 64, 80, 80, 57, 75, 76, 78, 83, 74, 78],
        "advance": [45, 47, 48, 35, 47, 34, 35, 41, 31, 41, 34, 41, 25, 35, 46, 36, 63, 60, 46,
                    52, 33, 41, 37, 49, 33, 72, 49, 38, 55, 39],
    }
)  # fmt: skip

# 5-point answers of 15 respondents with one missing answer per item
LIKERT = pd.DataFrame(
    {
        "q1": [4, 5, 3, 4, 2, 5, 4, 3, None, 4, 5, 2, 3, 4, 4],
        "q2": [4, 4, 3, 5, 2, 4, 4, 2, 3, None, 5, 1, 3, 4, 5],
        "q3": [3, 5, 2, 4, 1, 4, 5, 3, 3, 4, None, 2, 2, 5, 4],
        "q4": [5, 4, 3, 4, 3, 5, 3, 2, 2, 4, 4, 3, None, 3, 4],
    },
    dtype=float,
)


def test_alpha_and_feldt_interval_match_psych_on_attitude():
    # R: a <- psych::alpha(attitude); a$total$raw_alpha -> 0.84314276956476
    #    a$feldt -> lower.ci 0.739375685643107, upper.ci 0.915773072159982
    #    (printed as "Feldt 0.74 0.84 0.92" under "95% confidence boundaries")
    alpha, (low, high) = cronbach_alpha(ATTITUDE)
    assert alpha == pytest.approx(0.84314276956476, rel=1e-12)
    assert (low, high) == pytest.approx((0.739375685643107, 0.915773072159982), rel=1e-12)


def test_duhachek_interval_matches_psych_on_attitude():
    # R: a$total$raw_alpha + c(-1.96, 1.96) * a$total$ase -> 0.759968806207234 0.926316732922286
    #    (a$total$ase = 0.0424356955905744; printed as "Duhachek 0.76 0.84 0.93")
    alpha, (low, high) = cronbach_alpha(ATTITUDE, ci_method="duhachek")
    assert (low, high) == pytest.approx((0.759968806207234, 0.926316732922286), rel=1e-12)
    assert (high - low) / (2 * 1.96) == pytest.approx(0.0424356955905744, rel=1e-12)


def test_item_rest_correlations_match_psych_r_drop_on_attitude():
    # R: psych::alpha(attitude)$item.stats$r.drop
    expected = [0.671262057223664, 0.742109710222238, 0.560711111480256, 0.714445498133676,
                0.786275593834400, 0.265034339196676, 0.460810549468496]  # fmt: skip
    correlations = item_rest_correlations(ATTITUDE)
    assert list(correlations.index) == list(ATTITUDE.columns)
    np.testing.assert_allclose(correlations, expected, rtol=1e-12)


def test_alpha_with_missing_answers_uses_pairwise_covariances_as_psych():
    # R: a <- psych::alpha(likert)  (likert = LIKERT with NA)
    #    a$total$raw_alpha -> 0.885502437425751
    #    a$feldt -> 0.748614595387688 0.957048870916776
    #    a$total$raw_alpha + c(-1.96, 1.96) * a$total$ase -> 0.790552862779338 0.980452012072163
    #    a$item.stats$r.drop -> 0.950361461675541 0.878815985626566 0.698787029176177
    #                           0.537292159304533
    alpha, feldt = cronbach_alpha(LIKERT)
    assert alpha == pytest.approx(0.885502437425751, rel=1e-12)
    assert feldt == pytest.approx((0.748614595387688, 0.957048870916776), rel=1e-12)
    assert cronbach_alpha(LIKERT, "duhachek")[1] == pytest.approx(
        (0.790552862779338, 0.980452012072163), rel=1e-12
    )
    np.testing.assert_allclose(
        item_rest_correlations(LIKERT),
        [0.950361461675541, 0.878815985626566, 0.698787029176177, 0.537292159304533],
        rtol=1e-12,
    )


def test_alpha_of_two_items():
    # R: a2 <- psych::alpha(likert[, 1:2]); a2$total$raw_alpha -> 0.936619718309859
    #    a2$feldt -> 0.811216283683684 0.978721363338399; r.drop -> 0.899964386759775 (both)
    alpha, feldt = cronbach_alpha(LIKERT[["q1", "q2"]])
    assert alpha == pytest.approx(0.936619718309859, rel=1e-12)
    assert feldt == pytest.approx((0.811216283683684, 0.978721363338399), rel=1e-12)
    np.testing.assert_allclose(
        item_rest_correlations(LIKERT[["q1", "q2"]]), [0.899964386759775] * 2
    )


def test_alpha_by_hand_for_parallel_items():
    # two identical items: C = [[v, v], [v, v]], alpha = 2 * (1 - 2v / 4v) = 1
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5]})
    assert cronbach_alpha(items)[0] == pytest.approx(1.0)


def test_rows_without_any_answer_are_not_respondents():
    with_empty_rows = pd.concat([LIKERT, pd.DataFrame({"q1": [None, None]}, dtype=float)])
    assert cronbach_alpha(with_empty_rows) == cronbach_alpha(LIKERT)


@pytest.mark.parametrize(
    "items, message",
    [
        (LIKERT[["q1"]], "at least 2 columns"),
        (LIKERT.head(2), "at least 3 respondents"),
        (LIKERT.assign(q4=3.0), r"\['q4'\] have no variance"),
        (LIKERT.to_numpy(), "pandas DataFrame"),
        (LIKERT.assign(q4="agree"), "numbers only"),
    ],
)
def test_alpha_rejects_unusable_items(items, message):
    with pytest.raises(ValueError, match=message):
        cronbach_alpha(items)


def test_alpha_rejects_items_without_common_respondents():
    items = pd.DataFrame(
        {"a": [1, 2, 3, None, None], "b": [None, None, 3, 4, 5], "c": [1, 2, 3, 4, 4]}
    )
    with pytest.raises(ValueError, match="fewer than 2 respondents"):
        cronbach_alpha(items)
    with pytest.raises(ValueError, match="ci_method"):
        cronbach_alpha(LIKERT, ci_method="bootstrap")
