"""0-10 scoring and theme scores as the NHS staff survey computes them (hand calculations)."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import (
    respondent_theme_scores,
    reverse_codes,
    score_0_to_10,
    theme_score,
    weighted_mean,
)


def test_five_point_answers_score_0_to_10():
    # strongly disagree .. strongly agree -> 0, 2.5, 5, 7.5, 10 (10 * (code - 1) / 4)
    np.testing.assert_array_equal(score_0_to_10([1, 2, 3, 4, 5]), [0, 2.5, 5, 7.5, 10])
    # reverse-scored item (e.g. "I am under unrealistic time pressures"): 10 * (5 - code) / 4
    np.testing.assert_array_equal(
        score_0_to_10([1, 2, 3, 4, 5], reverse=True), [10, 7.5, 5, 2.5, 0]
    )


def test_other_scale_lengths_and_missing_answers():
    # yes/no coded 1 = no, 2 = yes -> 0, 10; a 4-point scale -> 0, 10/3, 20/3, 10
    np.testing.assert_array_equal(score_0_to_10([1, 2], scale_points=2), [0, 10])
    np.testing.assert_allclose(score_0_to_10([1, 2, 3, 4], scale_points=4), [0, 10 / 3, 20 / 3, 10])
    answers = pd.Series([5, None, 2], index=["r1", "r2", "r3"], dtype="Int64")
    scores = score_0_to_10(answers)
    assert list(scores.index) == ["r1", "r2", "r3"]
    assert scores["r1"] == 10 and np.isnan(scores["r2"]) and scores["r3"] == 2.5


@pytest.mark.parametrize(
    "codes, scale_points, message",
    [
        ([1, 9], 5, "Set excluded codes"),  # 9 = don't know must be made missing first
        ([0, 1], 5, "from 1 to 5"),
        ([2.5], 5, "whole numbers"),
        ([1, 2], 1, "2 or more"),
        ([1, 2], 5.0, "whole number"),
    ],
)
def test_scores_reject_codes_off_the_scale(codes, scale_points, message):
    with pytest.raises(ValueError, match=message):
        score_0_to_10(codes, scale_points=scale_points)


def test_reverse_codes_for_key_finding_scales():
    np.testing.assert_array_equal(reverse_codes([1, 2, 3, 4, 5]), [5, 4, 3, 2, 1])
    np.testing.assert_array_equal(reverse_codes([1, 3], scale_points=3), [3, 1])


# Three respondents, three items of a theme (0-10 scores); r2 skipped one item, r3 two.
THEME = pd.DataFrame(
    {"q1": [10.0, 7.5, None], "q2": [5.0, None, None], "q3": [7.5, 2.5, 0.0]},
    index=["r1", "r2", "r3"],
)


def test_respondent_theme_scores_average_the_items_answered():
    # r1: (10 + 5 + 7.5) / 3 = 7.5; r2: (7.5 + 2.5) / 2 = 5; r3: 0 / 1 = 0
    scores = respondent_theme_scores(THEME)
    assert scores.to_dict() == {"r1": 7.5, "r2": 5.0, "r3": 0.0}
    # at least 2 items answered: r3 gets no score
    assert respondent_theme_scores(THEME, min_items=2).isna().tolist() == [False, False, True]


def test_theme_score_is_the_mean_over_respondents():
    # (7.5 + 5 + 0) / 3 = 4.1666..., not the mean of all answers (32.5 / 6 = 5.4166...)
    assert theme_score(THEME) == pytest.approx(12.5 / 3)
    # weighted 1, 1, 2: (7.5 + 5 + 0) / 4 = 3.125
    assert theme_score(THEME, weights=[1, 1, 2]) == pytest.approx(3.125)
    # with its svymean standard error via weighted_mean
    assert weighted_mean(respondent_theme_scores(THEME), [1, 1, 2])[0] == pytest.approx(3.125)
    # min_items=2 leaves r3 out: (7.5 + 5) / 2
    assert theme_score(THEME, min_items=2) == pytest.approx(6.25)


def test_theme_scores_reject_bad_arguments():
    with pytest.raises(ValueError, match="min_items"):
        respondent_theme_scores(THEME, min_items=4)
    with pytest.raises(ValueError, match="DataFrame"):
        respondent_theme_scores(THEME.to_numpy())
