"""The published register, each action's yearly trends, course caveats and the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.disclosure.marks import is_cleared
from analysis.evaluation.register import action_register, action_trends
from analysis.evaluation.summary import SUMMARY_COLUMNS, evaluation_summary
from analysis.evaluation.training import (
    ALL_MEASURES,
    concurrent_actions,
    paired_ratings,
    reaction_by_cohort,
    reaction_distribution,
)
from demo_generator.effects import APPRAISAL_TARGETED, MANAGER_ITEMS


@pytest.fixture(scope="module")
def demo(demo_data):
    return load_data_package(demo_data)


def test_the_register_flags_overdue_actions_and_writes_dates_as_text(demo):
    table = action_register(demo.action_plans, pd.Timestamp("2008-12-31")).set_index("action_id")
    # AP2006-3 in progress, due 2008-03-31; AP2007-3 in progress, due 2008-10-31;
    # AP2007-1 in progress but due 2008-12-31 (not yet past); AP2006-4 planned, due 2009-03-31
    assert sorted(table.index[table["overdue"]]) == ["AP2006-3", "AP2007-3"]
    assert table.loc["AP2005-1", "start_date"] == "2006-02-01"
    assert table.loc["AP2003-2", "indicator_id"] == ""
    assert list(table.columns[:6]) == [
        "survey_year", "theme", "finding_type", "finding_id", "baseline_value", "finding"
    ]  # fmt: skip
    # data/demo/action_plans.csv: AP2004-2 was prompted by a comment code, 2.9% of the
    # commenting staff in 2004; AP2003-1 by the vacancy rate, its primary outcome
    assert table.loc["AP2004-2", "finding"] == (
        "comment code bullying_harassment in 2004: 2.9% of commenting staff"
    )
    prompted = table.loc["AP2003-1", ["finding", "outcome_measures", "expected_direction"]]
    assert prompted.tolist() == [
        "indicator vacancies in 2003: 9.3",
        "vacancies;pressure_enough_staff",
        "decrease;increase",
    ]
    # with the reviews (data/demo/action_reviews.csv): AP2005-1 reviewed 2006-09-26 and
    # 2007-03-27; AP2006-4 (planned) never
    reviewed = action_register(
        demo.action_plans, pd.Timestamp("2008-12-31"), demo.action_reviews
    ).set_index("action_id")
    assert reviewed.loc["AP2005-1", ["reviews", "last_review"]].tolist() == [2, "2007-03-27"]
    assert reviewed.loc["AP2005-1", "last_review_note"].startswith("Completion above 80%")
    assert reviewed.loc["AP2006-4", ["reviews", "last_review", "last_review_note"]].tolist() == [
        0, "", ""]  # fmt: skip
    earlier = action_register(demo.action_plans, pd.Timestamp("2006-12-31"), demo.action_reviews)
    assert earlier.set_index("action_id").loc["AP2005-1", "reviews"] == 1


def test_a_register_without_the_finding_columns_still_reads():
    # an older package: no finding, outcome_measures or expected_direction columns
    plans = pd.DataFrame(
        {"action_id": ["A1"], "survey_year": [2005], "theme": ["Appraisal"],
         "item_id": ["appraisal_had"], "indicator_id": ["appraisal_completion"],
         "directorate": ["All"], "action": ["Do it"], "owner_role": ["Head of HR"],
         "start_date": [pd.Timestamp("2006-02-01")], "due_date": [pd.Timestamp("2006-12-31")],
         "status": ["done"]}
    )  # fmt: skip
    row = action_register(plans, pd.Timestamp("2006-12-31")).iloc[0]
    assert row["finding"] == "theme Appraisal in 2005"
    assert (row["finding_type"], row["expected_direction"]) == ("", "")
    assert np.isnan(row["baseline_value"])
    assert row["outcome_measures"] == "appraisal_had;appraisal_completion"


def test_appraisal_trends_match_the_demo_readme(demo):
    others = sorted(set(demo.teams["directorate"]) - set(APPRAISAL_TARGETED))
    trends = action_trends(demo, "appraisal_had", APPRAISAL_TARGETED, others, 2008)
    means = trends.pivot(index="year", columns="group", values="mean").round(1)
    # data/demo/README.md, planted effect 1 (pooled % Yes, targeted and elsewhere)
    assert means["targeted"].tolist() == [54.7, 54.1, 55.4, 73.9, 75.5, 74.7]
    assert means["comparison"].tolist() == [63.0, 64.8, 64.5, 66.0, 65.7, 66.8]
    assert trends["n"].dtype == np.int64 and (trends["ci_low"] < trends["mean"]).all()


def test_a_course_run_where_an_action_on_the_same_items_ran_is_caveated(demo):
    ratings = demo.training_evaluations
    asr_teams = sorted(ratings.loc[ratings["course_id"] == "ASR", "team_id"].unique())
    text = concurrent_actions(demo, ["appraisal_had"], asr_teams, 2008)
    # AP2005-1 and AP2005-2 targeted Community Nursing and Children and Families (where the
    # ASR participants work) on appraisal_had; AP2006-4 (Therapies) is not theirs, and
    # AP2004-1 was for every directorate (it reaches the comparison teams alike)
    assert text == (
        "actions on the same survey items (AP2005-1, AP2005-2) targeted the trained teams' "
        "directorates from 2006-02-01, so part of the change may be theirs"
    )
    mpw_teams = sorted(ratings.loc[ratings["course_id"] == "MPW", "team_id"].unique())
    assert concurrent_actions(demo, list(MANAGER_ITEMS), mpw_teams, 2008) == ""


def test_line_managers_see_the_planted_behaviour_change(demo):
    # Planted (README, effect 2): line managers' ratings rise 0.5 (MPW) and 0.4 (ASR) on the
    # latent scale by the follow-up; the self-ratings 0.7 and 0.6.
    managers = paired_ratings(demo.training_evaluations, "follow_up", rater="line_manager")
    pooled = managers.loc[managers["measure"] == ALL_MEASURES].set_index("course_id")
    for course, planted in (("MPW", 0.5), ("ASR", 0.4)):
        assert pooled.loc[course, "ci_low"] <= planted <= pooled.loc[course, "ci_high"]
        assert pooled.loc[course, "level"] == "3 behaviour"
        assert pooled.loc[course, "rater"] == "line_manager"
    # README's line-manager means, MPW: pre 2.77, follow-up 3.19 (every rating, matched or not)
    rated = demo.training_evaluations.query("rater == 'line_manager' and course_id == 'MPW'")
    means = rated.groupby("timepoint")["score"].mean()
    assert (round(means["pre"], 2), round(means["follow_up"], 2)) == (2.77, 3.19)


def test_line_manager_ratings_are_paired_apart_from_self_ratings():
    # Three participants rated by both. Self: 2 3 1 -> 4 4 2 (changes 2 1 1, mean 4/3);
    # line manager: 3 3 2 -> 3 4 2 (changes 0 1 0, mean 1/3)
    people = ["P1", "P2", "P3"]
    rows = pd.DataFrame(
        {
            "participant_id": people * 4,
            "timepoint": ["pre"] * 3 + ["follow_up"] * 3 + ["pre"] * 3 + ["follow_up"] * 3,
            "rater": ["self"] * 6 + ["line_manager"] * 6,
            "score": [2, 3, 1, 4, 4, 2, 3, 3, 2, 3, 4, 2],
        }
    ).assign(course_id="C", course_name="Course", cohort="1", team_id="T1", measure="m",
             date=pd.Timestamp("2006-01-01"))  # fmt: skip
    self_rated = paired_ratings(rows, "follow_up").set_index("measure")
    managers = paired_ratings(rows, "follow_up", rater="line_manager").set_index("measure")
    assert self_rated.loc["m", "mean_change"] == pytest.approx(4 / 3)
    assert managers.loc["m", "mean_change"] == pytest.approx(1 / 3)
    assert managers.loc["m", "n_pairs"] == 3
    assert paired_ratings(rows.drop(columns="rater"), "follow_up", rater="line_manager").empty
    with pytest.raises(ValueError, match="rater must be one of self, line_manager"):
        paired_ratings(rows, "follow_up", rater="manager")


def test_demo_reactions_are_rated_after_the_course_only(demo):
    distribution = reaction_distribution(demo.training_evaluations)
    assert set(distribution["measure"]) == {"satisfaction", "relevance"}
    mpw = distribution.query("course_id == 'MPW' and measure == 'satisfaction'")
    # README: 91% of MPW participants rated satisfaction 4 or 5
    assert round(mpw.loc[mpw["score"] >= 4, "percent"].sum()) == 91
    assert (mpw["raters"] == mpw["participants"].sum()).all()
    cohorts = reaction_by_cohort(demo.training_evaluations)
    per_course = cohorts.groupby(["course_id", "measure"])["participants"].sum()
    assert per_course[("MPW", "satisfaction")] == mpw["participants"].sum()


def test_summary_puts_primary_outcomes_first_and_keeps_hidden_rows_hidden():
    outcomes = pd.DataFrame(
        {"action_ids": ["A1"], "item_id": ["appraisal_had"], "primary": [True],
         "design": ["difference-in-differences"], "estimate": [18.0], "ci_low": [12.0],
         "ci_high": [24.0], "p_value": [0.001],
         "verdict": ["consistent with an improvement of 12 to 24 percentage points"],
         "suppressed": [False]}
    )  # fmt: skip
    its = pd.DataFrame(
        {"action_ids": ["A1", "A1"], "indicator_id": ["appraisal_completion"] * 2,
         "primary": [False, False],
         "design": ["interrupted time series"] * 2, "term": ["level_change", "slope_change"],
         "estimate": [20.0, 0.1], "ci_low": [15.0, -0.2], "ci_high": [25.0, 0.4],
         "p_value": [0.0001, 0.5], "verdict": ["consistent with an improvement", ""]}
    )  # fmt: skip
    ratings = pd.DataFrame(
        {"course_id": ["C", "C"], "level": ["2 learning", "3 behaviour"],
         "rater": ["self", "line_manager"], "measure": [ALL_MEASURES] * 2,
         "mean_change": [1.0, np.nan], "ci_low": [0.8, np.nan], "ci_high": [1.2, np.nan],
         "p_value": [0.001, np.nan], "verdict": ["v", np.nan], "suppressed": [False, True]}
    )  # fmt: skip
    results = pd.DataFrame(
        {"course_id": ["C"], "first_survey_year": [2007], "estimate": [10.0], "ci_low": [4.0],
         "ci_high": [16.0], "p_value": [0.01], "verdict": ["w"], "suppressed": [False]}
    )  # fmt: skip
    summary = evaluation_summary(outcomes, its, ratings, results)
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert summary["id"].tolist() == ["A1", "A1", "C (teams first surveyed 2007)", "C", "C"]
    assert summary["primary"].tolist() == [True, False, True, False, False]
    # an action whose primary outcome is its indicator: the indicator row comes first
    flipped = evaluation_summary(
        outcomes.assign(primary=False), its.assign(primary=True), ratings.iloc[:0], results.iloc[:0]
    )
    assert flipped["outcome"].tolist() == [
        "indicator appraisal_completion: level change", "survey item appraisal_had (% positive)"
    ]  # fmt: skip
    assert flipped["primary"].tolist() == [True, False]
    assert summary["outcome"].tolist()[:2] == [
        "survey item appraisal_had (% positive)", "indicator appraisal_completion: level change"
    ]  # fmt: skip
    hidden = summary.loc[summary["suppressed"]]
    assert hidden["outcome"].tolist() == [
        "level 3 behaviour: line managers (1-5), before against follow-up"
    ]
    assert hidden["estimate"].isna().all()


def test_a_summary_of_nothing_evaluated_is_empty_and_publishable():
    # report year 2003 of the demo: no action plan or course evaluated yet; the empty
    # summary hides nothing, so it carries the gate's mark (it failed to publish before)
    nothing = pd.DataFrame()
    summary = evaluation_summary(nothing, nothing, nothing, nothing)
    assert summary.empty
    assert summary.columns.tolist() == SUMMARY_COLUMNS
    assert is_cleared(summary)
