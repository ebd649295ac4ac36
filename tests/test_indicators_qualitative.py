"""Tests of qualitative indicators: survey percent positive, coded comments, rubric ratings."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.datapackage.indicator_specifications import (
    IndicatorSpecificationError,
    parse_indicator_specifications,
)
from analysis.indicators import values
from demo_generator.indicator_specs import indicator_specifications_text

MODEL = parse_indicator_specifications(indicator_specifications_text())
TEAMS = pd.DataFrame({"team_id": ["A", "B"], "directorate": ["D", "D"]})


def _only(*indicator_ids):
    return dataclasses.replace(MODEL, indicators=tuple(MODEL[i] for i in indicator_ids))


def test_survey_indicator_counts_positive_over_valid_answers_per_team():
    responses = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "year": [2008] * 6,
            "team_id": ["A", "A", "A", "B", "B", None],
            "q16c": pd.array([1, 2, 9, 1, None, 1], dtype="Int64"),
        }
    )
    questionnaire = pd.DataFrame(
        {
            "year": [2008],
            "item_id": ["wellbeing_trust_action"],
            "column": ["q16c"],
            "positive_codes": [(1,)],
            "excluded_codes": [(9,)],
        }
    )
    table = values.survey_indicator_values(
        responses, questionnaire, _only("wellbeing_action_survey")
    )
    # Team A: answers 1, 2, 9 -> 9 ("Don't know") excluded: 1 positive of 2 valid, 2 people.
    # Team B: 1 and blank -> 1 of 1. The respondent without a team is left out.
    assert table["team_id"].tolist() == ["A", "B"]
    assert table["numerator"].tolist() == [1.0, 1.0]
    assert table["denominator"].tolist() == [2.0, 1.0]
    assert table["staff"].tolist() == [2.0, 1.0]
    assert table["month"].astype(str).tolist() == ["2008-09", "2008-09"]
    # an indicator whose items were not asked up to the report year is left out (check
    # reports an item that no year's questionnaire has); the others are still computed
    everything = values.survey_indicator_values(responses, questionnaire, MODEL)
    assert set(everything["indicator_id"]) == {"wellbeing_action_survey"}


def test_comment_indicator_counts_commenting_staff_with_reconciled_codes_first():
    comments = pd.DataFrame(
        {
            "comment_id": ["C1", "C2", "C3", "C4"],
            "respondent_id": ["r1", "r1", "r2", "r3"],
            "year": [2008] * 4,
        }
    )
    responses = pd.DataFrame(
        {"respondent_id": ["r1", "r2", "r3"], "year": [2008] * 3, "team_id": ["A", "A", "B"]}
    )
    codings = pd.DataFrame(
        {
            "comment_id": ["C1", "C2", "C3", "C4", "C4"],
            "coder": ["researcher", "researcher", "researcher", "researcher", "reconciled"],
            "code_id": [
                "patient_care_quality",
                "workload",
                None,
                "staffing",
                "patient_care_quality",
            ],
        }
    )
    table = values.comment_indicator_values(
        comments, codings, responses, _only("care_quality_comments"), "researcher"
    )
    # Team A: r1 raised the code (C1; C2 is another code), r2's comment has no code: 1 of 2.
    # Team B: r3's comment C4 was reconciled to patient_care_quality: 1 of 1.
    assert table.set_index("team_id")["numerator"].to_dict() == {"A": 1.0, "B": 1.0}
    assert table.set_index("team_id")["denominator"].to_dict() == {"A": 2.0, "B": 1.0}
    assert (table["staff"] == table["denominator"]).all()
    # The same coding by a coder of another name, chosen as the person who coded the most
    # comments (None), plus the suggestion model's code on C3, which is never counted:
    # the same 1 of 2 and 1 of 1.
    renamed = pd.concat(
        [
            codings.replace({"coder": {"researcher": "alice"}}),
            pd.DataFrame(
                {"comment_id": ["C3"], "coder": ["model"], "code_id": ["patient_care_quality"]}
            ),
        ],
        ignore_index=True,
    )
    chosen = values.comment_indicator_values(
        comments, renamed, responses, _only("care_quality_comments"), None
    )
    pd.testing.assert_frame_equal(chosen, table)


def test_survey_rows_are_rated_and_suppressed_by_respondents():
    rows = pd.DataFrame(
        {
            "indicator_id": "wellbeing_action_survey",
            "team_id": ["A", "B"],
            "month": pd.PeriodIndex(["2008-09", "2008-09"], freq="M"),
            "numerator": [6.0, 20.0],
            "denominator": [8.0, 30.0],
            "staff": [8.0, 30.0],
        }
    )
    model = _only("wellbeing_action_survey")
    table = values.indicator_table(rows, TEAMS, model, level="team", period="year")
    # A: 6/8 = 75%, B: 20/30 = 66.7%; the organisation 26/38 = 68.4% is the comparator.
    assert table["value"].round(1).tolist() == [75.0, 66.7]
    assert table["comparison"].round(1).tolist() == [68.4, 68.4]
    gated = values.suppress_small_teams(table, model, minimum=11)
    # A (8 respondents) is below 11; B is hidden too, else A = directorate - B.
    assert gated["suppressed"].tolist() == [True, True]


def test_rubric_ratings_give_share_meeting_standard_wilson_interval_and_median():
    ratings = pd.DataFrame(
        {
            "indicator_id": "record_keeping_audit",
            "team_id": ["A"] * 4 + ["B"] * 4,
            "month": pd.period_range("2008-01", periods=4, freq="M").tolist() * 2,
            "numerator": [3, 2, 4, 3, 1, 2, 2, 3],
            "denominator": np.nan,
        }
    )
    model = _only("record_keeping_audit")
    table = values.indicator_table(ratings, TEAMS, model, level="team", period="year")
    # Standard: level 3. A: 3 of 4 meet it = 75%, median 3; B: 1 of 4 = 25%, median 2.
    assert table["numerator"].tolist() == [3.0, 1.0]
    assert table["denominator"].tolist() == [4.0, 4.0]
    assert table["value"].tolist() == [75.0, 25.0]
    assert table["median"].tolist() == [3.0, 2.0]
    # Wilson 95% for 3/4, by hand: centre (0.75 + 1.9208/4) / (1 + 3.8415/4) = 0.62753,
    # half-width 1.96 * sqrt(0.75 * 0.25 / 4 + 3.8415 / 64) / 1.96037 = 0.32689.
    # R 4.2: prop.test(3, 4, correct = FALSE)$conf.int gives 0.3006418426 0.9544127392
    assert table["ci_low"].iloc[0] == pytest.approx(30.06418426, abs=1e-6)
    assert table["ci_high"].iloc[0] == pytest.approx(95.44127392, abs=1e-6)
    # Compared with the organisation, 4 of 8 = 50%: both intervals include it.
    assert table["comparison"].tolist() == [50.0, 50.0]
    assert table["rating"].tolist() == ["similar", "similar"]
    directorate = values.indicator_table(ratings, TEAMS, model, level="directorate", period="year")
    # Pooled ratings 1,2,2,2,3,3,3,4: median 2.5 (R: median(c(1, 2, 2, 2, 3, 3, 3, 4)) gives
    # 2.5), 4 of 8 meet the standard.
    assert directorate["median"].tolist() == [2.5]
    assert directorate["value"].tolist() == [50.0]
    bad = ratings.assign(numerator=[3, 2, 4, 3, 1, 2, 2, 7])
    with pytest.raises(ValueError, match="team 'B', month 2008-04: column 'numerator'.*7"):
        values.indicator_table(bad, TEAMS, model, level="team", period="year")


def test_spc_summary_leaves_out_annual_and_ordinal_indicators():
    months = pd.period_range("2007-01", periods=12, freq="M")
    monthly = pd.DataFrame(
        {
            "indicator_id": ["record_keeping_audit"] * 12 + ["complaints"] * 12,
            "unit": "A",
            "period": list(months) * 2,
            "value": [3.0] * 12 + [1.0, 2.0] * 6,
        }
    )
    summary = values.spc_summary(monthly, _only("record_keeping_audit", "complaints"))
    assert summary["indicator_id"].tolist() == ["complaints"]
    assert summary["points"].tolist() == [12]


def test_rubric_specification_needs_levels_and_a_standard():
    content = yaml.safe_load(indicator_specifications_text())
    rubric = next(i for i in content["indicators"] if i["id"] == "record_keeping_audit")
    rubric["levels"] = {1: "Poor", 3: "Good"}
    rubric["standard"] = 5
    complaints = next(i for i in content["indicators"] if i["id"] == "complaints")
    complaints["standard"] = 2
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    message = str(error.value)
    assert "indicator 'record_keeping_audit': field 'levels': required; expected levels 1, 2" in (
        message
    )
    assert "indicator 'complaints': field 'standard': only for value_type 'ordinal'" in message
    model = parse_indicator_specifications(indicator_specifications_text())
    passport = model["record_keeping_audit"].passport()
    assert passport["Rating levels"].endswith("(standard: level 3 or above)")
    assert model["record_keeping_audit"].multiplier == 100.0
