"""0-10 and 1-5 scores, theme scores and reliability, against hand calculations and R.

R 4.2.2, survey 4.1-1, psych 2.2.9. The tiny package is described in test_survey_scores.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from package_builder import write_package

from analysis.datapackage import load_data_package
from analysis.stats import theme_score
from analysis.survey import (
    THEME_SCORE_COLUMNS,
    breakdown_types,
    item_rest,
    respondent_item_scores,
    theme_reliability,
    theme_scores,
    theme_scores_by_group,
    workforce_weights,
)

AGREE5 = pd.DataFrame({"scale_id": "agree5", "code": [1, 2, 3, 4, 5], "label": list("abcde")})

# Twelve respondents, three agree5 items of one theme; c is reverse scored. R:
#   a <- c(5,4,4,2,1,3,5,4,NA,2,3,4); b <- c(4,2,5,3,2,3,4,5,3,1,NA,2)
#   cc <- c(2,2,1,4,3,3,2,4,2,5,4,NA)
#   s <- data.frame(a = 10*(a-1)/4, b = 10*(b-1)/4, c = 10*(5-cc)/4)
#   al <- psych::alpha(s); al$total$raw_alpha; al$feldt; al$item.stats$r.drop
THEME_ANSWERS = {
    "qa": [5, 4, 4, 2, 1, 3, 5, 4, None, 2, 3, 4],
    "qb": [4, 2, 5, 3, 2, 3, 4, 5, 3, 1, None, 2],
    "qc": [2, 2, 1, 4, 3, 3, 2, 4, 2, 5, 4, None],
}
R_ALPHA = 0.804878048780488
R_FELDT = (0.48354104525903, 0.938968058347422)
R_DROP = (0.745204336526744, 0.61023976280368, 0.60647690082942)


def _theme_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    responses = pd.DataFrame(
        {
            "respondent_id": [f"R{i}" for i in range(12)],
            "year": 2024,
            **{column: pd.array(values, dtype="Int64") for column, values in THEME_ANSWERS.items()},
        }
    )
    questionnaire = pd.DataFrame(
        {
            "year": 2024,
            "item_id": ["a", "b", "c"],
            "column": ["qa", "qb", "qc"],
            "theme": "Team",
            "scale_id": "agree5",
            "positive_codes": [(4, 5), (4, 5), (1, 2)],
            "excluded_codes": [(), (), ()],
            "comparable_with_previous": False,
        }
    )
    return responses, questionnaire


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return load_data_package(write_package(tmp_path_factory.mktemp("themes") / "tiny"))


def test_answers_score_0_to_10_in_the_positive_direction(package):
    scores = respondent_item_scores(package.responses, package.questionnaire, package.scales, 2023)
    # enthusiastic (agree5, positive 4;5): 1, 3, 4, 5, 4 -> 0, 5, 7.5, 10, 7.5
    assert scores["enthusiastic"].tolist() == [0.0, 5.0, 7.5, 10.0, 7.5]
    # appraisal_had (Yes = 1 positive, 9 excluded): 1, 1, 2, blank, 9 -> 10, 10, 0, -, -
    np.testing.assert_array_equal(scores["appraisal_had"], [10.0, 10.0, 0.0, np.nan, np.nan])
    # pressure (reverse scored, positive 1;2): 1, 2, 5, 4, blank -> 10, 7.5, 0, 2.5, -
    np.testing.assert_array_equal(scores["pressure"], [10.0, 7.5, 0.0, 2.5, np.nan])


def test_key_finding_scale_orients_five_point_items_and_skips_yes_no(package):
    scores = respondent_item_scores(
        package.responses, package.questionnaire, package.scales, 2023, scoring="1-5"
    )
    assert list(scores.columns) == ["enthusiastic", "pressure"]
    # pressure reversed on its own scale: 6 - code -> 5, 4, 1, 2
    np.testing.assert_array_equal(scores["pressure"], [5.0, 4.0, 1.0, 2.0, np.nan])


def test_single_item_theme_score_matches_t_test_and_svymean(package):
    weights = workforce_weights(package.responses, package.staff)
    table = theme_scores(package.responses, package.questionnaire, package.scales, weights=weights)
    assert list(table.columns) == ["year", "theme", *THEME_SCORE_COLUMNS]
    row = table[(table.year == 2023) & (table.theme == "Workload")].iloc[0]
    # Respondents' scores 10, 7.5, 0, 2.5: mean 5.
    assert (row.n, row.score) == (4, 5.0)
    # R: t.test(c(10, 7.5, 0, 2.5))$conf.int -> -2.26290678938691 12.2629067893869
    assert (row.ci_low, row.ci_high) == pytest.approx((-2.26290678938691, 12.2629067893869))
    # R: sv(c(10, 7.5, 0, 2.5), c(6, 6, 8/3, 8/3)) -> 6.44230769230769, SE 2.0002804472911
    assert row.score_weighted == pytest.approx(6.44230769230769, rel=1e-12)
    assert row.se_weighted == pytest.approx(2.0002804472911, rel=1e-12)
    # 6.44 -/+ 1.96 x 2.00: 2.52 to 10.36, clipped to the 0-10 scale.
    assert row.ci_low_weighted == pytest.approx(6.44230769230769 - 1.96 * 2.0002804472911)
    assert row.ci_high_weighted == 10.0


def test_theme_score_is_the_mean_of_respondents_means():
    responses, questionnaire = _theme_frames()
    table = theme_scores(responses, questionnaire, AGREE5)
    items = respondent_item_scores(responses, questionnaire, AGREE5, 2024)
    # Respondent R8: a blank, b = 3 -> 5, c = 2 (reversed) -> 7.5: theme score 6.25; the
    # theme score averages respondents, each counting once (analysis.stats.theme_score).
    assert items.iloc[8].tolist() == [pytest.approx(np.nan, nan_ok=True), 5.0, 7.5]
    assert table["score"].iloc[0] == pytest.approx(theme_score(items))
    assert table["n"].iloc[0] == 12


def test_key_finding_theme_scores_are_on_the_1_to_5_scale(package):
    table = theme_scores(package.responses, package.questionnaire, package.scales, scoring="1-5")
    row = table[(table.year == 2023) & (table.theme == "Workload")].iloc[0]
    assert row.score == pytest.approx((5 + 4 + 1 + 2) / 4)
    assert "Appraisal" not in set(table.theme)  # yes/no items have no 1-5 score


def test_min_items_leaves_out_respondents_who_answered_too_few():
    responses, questionnaire = _theme_frames()
    table = theme_scores(responses, questionnaire, AGREE5, min_items=3)
    # R8, R10 and R11 each left one item blank.
    assert table["n"].iloc[0] == 9


def test_every_group_has_a_row_even_without_a_score(package):
    table = theme_scores_by_group(
        package.responses,
        package.questionnaire,
        package.scales,
        breakdown_types(["directorate", "staff_group"]),
        organisation="Testfield",
    )
    # Corporate 2022 is A3 only, who left q1 blank and answered "don't know" to q2.
    corporate = table[(table.year == 2022) & (table.group == "Corporate")]
    assert corporate.set_index("theme")["n"].to_dict() == {"Engagement": 0, "Appraisal": 0}
    crossing = table[table.group_type == "directorate x staff_group"]
    assert "Community | Admin" in set(crossing.group)
    organisation = table[(table.group_type == "organisation") & (table.year == 2023)]
    assert set(organisation.group) == {"Testfield"}


def test_cronbach_alpha_and_item_rest_match_psych():
    responses, questionnaire = _theme_frames()
    reliability = theme_reliability(responses, questionnaire, AGREE5).iloc[0]
    assert (reliability["items"], reliability["n"], reliability["note"]) == (3, 12, "")
    assert reliability.alpha == pytest.approx(R_ALPHA, rel=1e-12)
    assert (reliability.ci_low, reliability.ci_high) == pytest.approx(R_FELDT, rel=1e-10)
    rest = item_rest(responses, questionnaire, AGREE5)
    np.testing.assert_allclose(rest["item_rest_correlation"], R_DROP, rtol=1e-12)
    assert rest["n"].tolist() == [11, 11, 11]


def test_reliability_explains_why_alpha_is_missing(package):
    table = theme_reliability(package.responses, package.questionnaire, package.scales)
    assert set(table["note"]) == {"a single item"}
    assert table["alpha"].isna().all()


def test_an_unknown_scoring_is_refused(package):
    with pytest.raises(ValueError, match="scoring must be one of"):
        theme_scores(package.responses, package.questionnaire, package.scales, scoring="0-100")
