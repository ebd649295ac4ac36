"""The action plan register: progress, overdue reviews, before/after and recovered effects."""

import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.evaluation.register import (
    action_groups,
    action_indicator_effects,
    action_outcomes,
    action_progress,
    first_survey_after,
    outcome_measures,
    overdue_actions,
    positive_answers,
)
from demo_generator.effects import (
    APPRAISAL_COMPLETION_AFTER,
    APPRAISAL_COMPLETION_BEFORE,
    APPRAISAL_SURVEY_RISE,
    APPRAISAL_SURVEY_RISE_ELSEWHERE,
)


def plans(rows):
    frame = pd.DataFrame(
        rows, columns=["action_id", "survey_year", "item_id", "directorate", "action",
                       "start_date", "due_date", "status"],
    )  # fmt: skip
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    return frame.assign(theme="T", indicator_id=None, owner_role="Manager")


EXAMPLE = plans(
    [
        ("A1", 2005, "x", "North", "Do it", "2006-02-01", "2006-12-31", "done"),
        ("A2", 2005, "x", "South", "Do it", "2006-03-01", "2006-12-31", "in progress"),
        ("A3", 2006, "y", "All", "Other", "2007-01-01", "2007-06-30", "planned"),
        ("A4", 2006, "z", "All", "Third", "2007-01-01", "2007-03-31", "dropped"),
    ]
)


def test_first_survey_after_uses_the_30_september_census():
    assert first_survey_after(pd.Timestamp("2006-09-29"), [2005, 2006]) == 2006
    assert first_survey_after(pd.Timestamp("2006-09-30"), [2005, 2006, 2007]) == 2007
    assert first_survey_after(pd.Timestamp("2008-01-01"), [2006, 2007]) is None


def test_progress_counts_actions_by_year_and_status():
    progress = action_progress(EXAMPLE).set_index("survey_year")
    # 2005: A1 done, A2 in progress; 2006: A3 planned, A4 dropped
    assert progress.loc[2005, ["planned", "in_progress", "done", "dropped", "total"]].tolist() == [
        0, 1, 1, 0, 2]  # fmt: skip
    assert progress.loc[2006, ["planned", "dropped", "total"]].tolist() == [1, 1, 2]


def test_progress_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="unknown action status"):
        action_progress(EXAMPLE.assign(status="finished"))


def test_overdue_lists_open_actions_past_due_only():
    late = overdue_actions(EXAMPLE, pd.Timestamp("2007-07-10"))
    # A2 in progress, due 2006-12-31: 191 days; A3 planned, due 2007-06-30: 10 days;
    # A1 done and A4 dropped are not overdue
    assert late["action_id"].tolist() == ["A2", "A3"]
    assert late["days_overdue"].tolist() == [191, 10]


def test_actions_agreed_together_are_one_evaluation():
    groups = action_groups(EXAMPLE).set_index("action_ids")
    assert groups.loc["A1 + A2", "directorates"] == ("North", "South")
    assert groups.loc["A1 + A2", "start_date"] == pd.Timestamp("2006-02-01")
    assert groups.loc["A1 + A2", "status"] == "in progress"  # the least advanced part
    # no outcome_measures column (an older package): the item is the one outcome, and no
    # direction was stated
    assert groups.loc["A1 + A2", "outcome_measures"] == ("x",)
    assert groups.loc["A1 + A2", "expected_directions"] == ("",)
    assert groups.loc["A1 + A2", "finding"] == "theme T in 2005"


def test_outcome_measures_come_from_the_plan_first_named_primary():
    row = pd.Series(
        {
            "action_id": "A1",
            "item_id": "x",
            "indicator_id": "rate",
            "outcome_measures": "rate; x",
            "expected_direction": "decrease;increase",
        }
    )
    assert outcome_measures(row) == (("rate", "x"), ("decrease", "increase"))
    # one direction applies to every measure
    one = pd.Series({**row.to_dict(), "expected_direction": "increase"})
    assert outcome_measures(one)[1] == ("increase", "increase")
    # blank outcome_measures: item_id (primary) then indicator_id
    blank = pd.Series({**row.to_dict(), "outcome_measures": None, "expected_direction": None})
    assert outcome_measures(blank) == (("x", "rate"), ("", ""))
    with pytest.raises(ValueError, match="does not fit the outcome measures"):
        outcome_measures(pd.Series({**row.to_dict(), "expected_direction": "up"}))


@pytest.fixture(scope="module")
def demo(demo_data):
    return load_data_package(demo_data)


@pytest.fixture(scope="module")
def all_outcomes(demo):
    return action_outcomes(demo, 2008, bootstrap_reps=999)


@pytest.fixture(scope="module")
def outcomes(all_outcomes):
    """The primary outcomes, one per action."""
    return all_outcomes.loc[all_outcomes["primary"]].set_index("action_ids")


@pytest.mark.slow
def test_the_appraisal_action_is_recovered_within_its_interval(outcomes):
    row = outcomes.loc["AP2005-1 + AP2005-2"]
    planted = (APPRAISAL_SURVEY_RISE - APPRAISAL_SURVEY_RISE_ELSEWHERE) * 100  # 18 points
    assert row["design"] == "difference-in-differences"
    assert row["ci_low"] <= planted <= row["ci_high"]
    assert row["verdict"].startswith("consistent with an improvement")
    # README: targeted 55% -> 75% pooled; the comparison leaves out Therapies (its own action)
    assert row["summary"].startswith(
        "appraisal_had % positive, 2003-2005 -> 2006-2008: targeted 55% -> 75%"
    )
    assert "Therapies" not in row["comparison"]
    # the plan expected an increase: the verdict says the rise is in the expected direction
    assert row["expected_direction"] == "increase"
    assert row["verdict"].startswith(
        "consistent with an improvement in the expected direction: a rise of"
    )
    # the finding that prompted it, per directorate (data/demo/action_plans.csv)
    assert row["finding"] == (
        "Community Nursing: survey item appraisal_had in 2005: 53.7% positive; "
        "Children and Families: survey item appraisal_had in 2005: 57.7% positive"
    )


def test_every_pre_registered_survey_outcome_is_reported_the_first_as_primary(all_outcomes):
    # AP2005-1/2 chose appraisal_had;appraisal_helped_job;appraisal_completion: two items here
    # (the indicator is in its), in that order, only the first primary
    rows = all_outcomes.loc[all_outcomes["action_ids"] == "AP2005-1 + AP2005-2"]
    assert rows["item_id"].tolist() == ["appraisal_had", "appraisal_helped_job"]
    assert rows["primary"].tolist() == [True, False]
    # AP2003-1's primary outcome is the vacancies indicator: its item is secondary
    secondary = all_outcomes.loc[all_outcomes["action_ids"] == "AP2003-1"]
    assert secondary[["item_id", "primary"]].values.tolist() == [["pressure_enough_staff", False]]


def test_demo_baselines_are_the_findings_values_in_the_data(demo):
    plans = demo.action_plans.set_index("action_id")
    # item findings: % positive in the survey year in the action's directorate
    for action_id in ("AP2005-1", "AP2005-2", "AP2004-1"):
        directorate, year = plans.loc[action_id, ["directorate", "survey_year"]]
        answers = positive_answers(demo, ["appraisal_had"], last_year=year)
        answers = answers.loc[(answers["year"] == year) & answers["positive"].notna()]
        if directorate != "All":
            answers = answers.loc[answers["directorate"] == directorate]
        assert round(answers["positive"].mean() * 100, 1) == plans.loc[action_id, "baseline_value"]
    # code finding (AP2004-2): of the 140 respondents with a comment the researcher coded in
    # 2004, 4 raised bullying_harassment: 4 / 140 = 2.857 -> 2.9%
    codings = demo.codings.loc[demo.codings["coder"] == "researcher"]
    coded = codings.merge(demo.comments, on="comment_id").query("year == 2004")
    raised = coded.loc[coded["code_id"] == "bullying_harassment", "respondent_id"].nunique()
    assert (coded["respondent_id"].nunique(), raised) == (140, 4)
    assert plans.loc["AP2004-2", ["finding_type", "finding_id", "baseline_value"]].tolist() == [
        "code", "bullying_harassment", 2.9]  # fmt: skip


def test_the_therapies_action_planted_with_no_effect_is_not_called_effective(outcomes):
    row = outcomes.loc["AP2006-4"]
    assert row["ci_low"] <= 0 <= row["ci_high"]
    assert row["verdict"].startswith("no clear change")


def test_the_one_team_action_planted_with_no_effect_is_not_called_effective(outcomes):
    # AP2007-4: the crisis team T26 alone (no planted effect), compared team by team with
    # the teams no action on violence_patients targeted; one targeted team of 30-odd, so
    # the wild cluster bootstrap is read even though the clusters are many.
    row = outcomes.loc["AP2007-4"]
    assert (row["unit"], row["teams"]) == ("team", "T26")
    assert "T26" not in row["comparison"].split(", ")
    assert row["bootstrap_p_value"] >= 0.05
    assert not row["verdict"].startswith("consistent with an improvement")
    assert "with only one targeted unit" in row["verdict"]


def test_dropped_actions_are_not_evaluated(outcomes):
    assert "AP2005-4" not in outcomes.index


def test_an_indicator_moving_against_the_expected_direction_is_never_an_improvement(demo):
    # AP2003-1 chose vacancies (primary) and expected a decrease; no lower_is_better is
    # passed, so only the stated direction can make a fall the improvement. The vacancy
    # rate rose when the action started: reported as opposite to the one expected.
    its, _ = action_indicator_effects(demo, 2008)
    level = its.loc[(its["action_ids"] == "AP2003-1") & (its["term"] == "level_change")]
    assert level["primary"].all() and (level["expected_direction"] == "decrease").all()
    for row in level.itertuples():
        assert row.ci_low > 0
        assert row.verdict.startswith(
            "consistent with a change opposite to the one expected: a rise"
        )
        assert "improvement" not in row.verdict


def test_the_appraisal_completion_step_is_recovered(demo):
    its, lines = action_indicator_effects(demo, 2008)
    level = its.loc[(its["action_ids"] == "AP2005-1 + AP2005-2") & (its["term"] == "level_change")]
    assert not level["primary"].any()  # the third of the action's outcome measures
    planted = (APPRAISAL_COMPLETION_AFTER - APPRAISAL_COMPLETION_BEFORE) * 100  # 25 points
    for row in level.itertuples():
        assert row.ci_low <= planted <= row.ci_high
    assert set(level["design"]) == {"interrupted time series", "controlled interrupted time series"}
    assert "comparison" in lines.columns
