"""Action plans, the course register and course ratings are checked when the package loads.

Each test breaks the small valid package of ``package_builder`` one way and asserts that the
problem names the file, the spreadsheet row (header = row 1, so the builder's 0-based index
i is row i + 2), the column, the bad value and what was expected.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from package_builder import minimal_tables, write_package

from analysis.datapackage import load_data_package
from analysis.problems import DataPackageError, Problem

DEMO_INDICATORS = Path(__file__).resolve().parents[1] / "data" / "demo" / "indicators.yml"


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(DataPackageError) as caught:
        load_data_package(folder)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(str(problem) for problem in problems)
    return problems[0]


def assert_names(problem: Problem, file: str, row: int | None, column: str, *words: str):
    assert (problem.file, problem.row, problem.column) == (file, row, column), str(problem)
    for word in words:
        assert word in problem.message, f"{word!r} not in {problem.message!r}"


def course_register() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "course_id": ["PM1", "PM1"],
            "course_name": ["People management"] * 2,
            "skill": ["appraisal", "managing attendance"],
            "objective": ["Hold a review with everyone", "Manage absence fairly"],
            "item_id": ["appraisal_had", None],
            "indicator_id": [None, "sickness_absence"],
        },
        dtype=object,
    )


def package(tmp_path: Path, *, indicators: bool = True, **changes) -> Path:
    """The minimal package with action plans, courses and ratings; ``changes`` maps
    ``(table, spreadsheet row, column)`` keys (written as ``table__row__column``) to values."""
    tables = minimal_tables("action_plans", "training_evaluations", "indicator_values", "teams")
    tables["courses"] = course_register()
    tables["action_reviews"] = pd.DataFrame(
        {
            "action_id": ["AP1"],
            "review_date": ["2023-03-31"],
            "note": ["Half the managers trained"],
        },
        dtype=object,
    )
    for key, value in changes.items():
        table, row, column = key.split("__")
        tables[table].loc[int(row) - 2, column] = value
    folder = write_package(tmp_path, tables)
    if indicators:
        shutil.copy(DEMO_INDICATORS, folder / "indicators.yml")
    return folder


def test_the_package_with_a_course_register_and_indicators_is_valid(tmp_path):
    loaded = load_data_package(package(tmp_path, action_plans__2__indicator_id="sickness_absence"))
    assert loaded.courses["indicator_id"].tolist()[1] == "sickness_absence"
    assert loaded.action_plans["indicator_id"].tolist() == ["sickness_absence"]


def test_an_action_outcome_indicator_not_in_indicators_yml(tmp_path):
    problem = only(problems_of(package(tmp_path, action_plans__2__indicator_id="appraisal_rate")))
    assert_names(
        problem, "action_plans.csv", 2, "indicator_id",
        "'appraisal_rate' is not an indicator id in indicators.yml",
        "expected one of sickness_absence, turnover",
    )  # fmt: skip


def test_an_action_outcome_indicator_without_indicators_yml(tmp_path):
    folder = package(tmp_path, indicators=False, action_plans__2__indicator_id="sickness_absence")
    plans, courses = problems_of(folder)  # the course register names one too
    assert_names(plans, "action_plans.csv", None, "indicator_id", "no indicators.yml")
    assert_names(courses, "courses.csv", None, "indicator_id", "no indicators.yml")


def test_an_action_outcome_item_not_in_the_questionnaire(tmp_path):
    problem = only(problems_of(package(tmp_path, action_plans__2__item_id="appraisal_done")))
    assert_names(
        problem, "action_plans.csv", 2, "item_id", "'appraisal_done'", "questionnaire.csv",
        "expected a item_id listed there",
    )  # fmt: skip


def test_a_review_date_before_the_start(tmp_path):
    problem = only(problems_of(package(tmp_path, action_plans__2__due_date="2022-12-31")))
    assert_names(
        problem, "action_plans.csv", 2, "due_date",
        "2022-12-31 is before the start_date 2023-01-09", "expected a date on or after the start",
    )  # fmt: skip


def test_a_review_on_the_start_date_is_allowed(tmp_path):
    load_data_package(package(tmp_path, action_plans__2__due_date="2023-01-09"))


def test_a_review_note_dated_before_the_action_started(tmp_path):
    problem = only(problems_of(package(tmp_path, action_reviews__2__review_date="2023-01-02")))
    assert_names(
        problem, "action_reviews.csv", 2, "review_date",
        "review 2023-01-02 of action 'AP1' is before its start_date 2023-01-09 in "
        "action_plans.csv", "expected a date on or after the start",
    )  # fmt: skip


def test_a_review_note_of_an_unknown_action(tmp_path):
    problem = only(problems_of(package(tmp_path, action_reviews__2__action_id="AP9")))
    assert_names(problem, "action_reviews.csv", 2, "action_id", "'AP9'", "action_plans.csv")


def test_an_unknown_directorate(tmp_path):
    problem = only(problems_of(package(tmp_path, action_plans__2__directorate="Nursing")))
    assert_names(
        problem, "action_plans.csv", 2, "directorate", "'Nursing' is not a directorate",
        "expected the same spelling (or 'All')",
    )  # fmt: skip


def test_an_action_for_one_team_of_its_directorate_is_valid(tmp_path):
    folder = package(
        tmp_path, action_plans__2__directorate="Community", action_plans__2__team_id="T1"
    )
    assert load_data_package(folder).action_plans["team_id"].tolist() == ["T1"]


def test_an_unknown_team(tmp_path):
    folder = package(
        tmp_path, action_plans__2__directorate="Community", action_plans__2__team_id="T9"
    )
    problem = only(problems_of(folder))
    assert_names(
        problem, "action_plans.csv", 2, "team_id", "'T9' is not a known team_id in teams.csv",
        "expected a team_id listed there",
    )  # fmt: skip


def test_a_team_outside_the_actions_directorate(tmp_path):
    folder = package(
        tmp_path, action_plans__2__directorate="Community", action_plans__2__team_id="T2"
    )
    problem = only(problems_of(folder))
    assert_names(
        problem, "action_plans.csv", 2, "team_id", "team 'T2' is in 'Corporate' in teams.csv, "
        "not in 'Community'", "expected the directorate of the team",
    )  # fmt: skip


def test_a_course_outcome_item_not_in_the_questionnaire(tmp_path):
    problem = only(problems_of(package(tmp_path, courses__2__item_id="had_appraisal")))
    assert_names(problem, "courses.csv", 2, "item_id", "'had_appraisal'", "questionnaire.csv")


def test_a_course_outcome_indicator_not_in_indicators_yml(tmp_path):
    problem = only(problems_of(package(tmp_path, courses__3__indicator_id="absence")))
    assert_names(problem, "courses.csv", 3, "indicator_id", "'absence'", "indicators.yml")


def test_an_evaluated_course_missing_from_the_register(tmp_path):
    folder = package(tmp_path, training_evaluations__2__course_id="PM2")
    problem = only(problems_of(folder))
    assert_names(
        problem, "training_evaluations.csv", 2, "course_id", "'PM2' is not a course_id in "
        "courses.csv", "expected every evaluated course in the course register",
    )  # fmt: skip


def test_a_rater_other_than_self_or_line_manager(tmp_path):
    tables = minimal_tables("training_evaluations")
    tables["training_evaluations"]["rater"] = ["self", "manager"]
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(
        problem, "training_evaluations.csv", 3, "rater", "'manager'", "'self', 'line_manager'"
    )


def test_self_and_line_manager_may_rate_the_same_measure(tmp_path):
    tables = minimal_tables("training_evaluations")
    ratings = tables["training_evaluations"]
    manager = ratings.assign(rater="line_manager")
    tables["training_evaluations"] = pd.concat(
        [ratings.assign(rater="self"), manager], ignore_index=True
    )
    loaded = load_data_package(write_package(tmp_path, tables))
    assert loaded.training_evaluations["rater"].tolist() == ["self"] * 2 + ["line_manager"] * 2


@pytest.mark.parametrize("with_rater", [False, True])
def test_a_rating_given_twice_is_a_duplicate(tmp_path, with_rater):
    tables = minimal_tables("training_evaluations")
    ratings = tables["training_evaluations"]
    if with_rater:
        ratings["rater"] = "self"
    tables["training_evaluations"] = pd.concat([ratings, ratings.iloc[[1]]], ignore_index=True)
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(
        problem, "training_evaluations.csv", 4, "timepoint", "'post' appears again",
        "first at row 3",
    )  # fmt: skip


# The finding behind each action and its pre-registered outcome measures (optional columns).
# package_builder's one action (spreadsheet row 2): survey_year 2022, theme Appraisal,
# item_id appraisal_had, for All directorates; codebook codes workload and staffing; the
# questionnaire asks enthusiastic and appraisal_had in 2022 and adds pressure in 2023.


def test_a_finding_with_its_baseline_and_outcome_measures_is_valid(tmp_path):
    folder = package(
        tmp_path,
        action_plans__2__finding_type="code",
        action_plans__2__finding_id="workload",
        action_plans__2__baseline_value=12.5,
        action_plans__2__outcome_measures="appraisal_had;sickness_absence",
        action_plans__2__expected_direction="increase;decrease",
    )
    plans = load_data_package(folder).action_plans
    assert plans[["finding_type", "finding_id", "baseline_value"]].values.tolist() == [
        ["code", "workload", 12.5]
    ]


def test_a_finding_id_of_another_type_says_what_it_is(tmp_path):
    folder = package(
        tmp_path, action_plans__2__finding_type="item", action_plans__2__finding_id="workload"
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "finding_id",
        "'workload' is not an item_id in questionnaire.csv (it is a code id in codebook.yml)",
        "expected an item_id in questionnaire.csv, since finding_type is 'item'",
    )  # fmt: skip


def test_an_unknown_comment_code_as_finding(tmp_path):
    folder = package(
        tmp_path, action_plans__2__finding_type="code", action_plans__2__finding_id="parking"
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "finding_id",
        "'parking' is not a code id in codebook.yml", "since finding_type is 'code'",
    )  # fmt: skip


def test_an_item_finding_not_asked_in_the_survey_year(tmp_path):
    # pressure is first asked in 2023; the action's survey_year is 2022
    folder = package(
        tmp_path, action_plans__2__finding_type="item", action_plans__2__finding_id="pressure"
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "finding_id",
        "item 'pressure' was not asked in 2022", "expected an item of the survey_year's",
    )  # fmt: skip


def test_an_unknown_finding_type(tmp_path):
    folder = package(
        tmp_path, action_plans__2__finding_type="survey", action_plans__2__finding_id="x"
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "finding_type", "'survey'",
        "'item', 'theme', 'code', 'indicator'",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("finding_type", "finding_id", "baseline", "expected"),
    [
        ("item", "appraisal_had", 120, "baseline 120 is outside 0-100"),
        ("code", "staffing", -1, "baseline -1 is outside 0-100"),
        ("theme", "Appraisal", 12, "baseline 12 is outside 0-10"),
        # sickness_absence is in '% of available days' in the demo's indicators.yml
        ("indicator", "sickness_absence", 101, "baseline 101 is outside 0-100"),
    ],
)
def test_a_baseline_outside_its_findings_range(
    tmp_path, finding_type, finding_id, baseline, expected
):
    folder = package(
        tmp_path,
        action_plans__2__finding_type=finding_type,
        action_plans__2__finding_id=finding_id,
        action_plans__2__baseline_value=baseline,
    )
    assert_names(only(problems_of(folder)), "action_plans.csv", 2, "baseline_value", expected)


def test_a_baseline_without_a_finding(tmp_path):
    folder = package(tmp_path, action_plans__2__baseline_value=55)
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "baseline_value", "no finding_id"
    )


def test_an_outcome_measure_that_is_neither_item_nor_indicator(tmp_path):
    folder = package(tmp_path, action_plans__2__outcome_measures="appraisal_had;absence")
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "outcome_measures",
        "'absence' is not an item_id in questionnaire.csv or an indicator id in indicators.yml",
        "the primary outcome first",
    )  # fmt: skip


def test_an_item_id_missing_from_the_outcome_measures(tmp_path):
    folder = package(tmp_path, action_plans__2__outcome_measures="enthusiastic")
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "item_id",
        "'appraisal_had' is not among the outcome_measures 'enthusiastic'",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("measures", "directions", "expected"),
    [
        (None, "up", "'up' is not a direction for the 1 outcome measure(s) appraisal_had"),
        (
            "appraisal_had;sickness_absence",
            "increase;decrease;increase",
            "for the 2 outcome measure(s) appraisal_had;sickness_absence",
        ),
    ],
)
def test_an_unknown_direction_or_one_too_many(tmp_path, measures, directions, expected):
    folder = package(
        tmp_path,
        action_plans__2__outcome_measures=measures,
        action_plans__2__expected_direction=directions,
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "expected_direction", expected,
        "one for all measures or one per measure",
    )  # fmt: skip


def test_a_direction_against_the_measures_polarity(tmp_path):
    # one direction for both: right for the item, wrong for sickness absence (low_is_good)
    folder = package(
        tmp_path,
        action_plans__2__outcome_measures="appraisal_had;sickness_absence",
        action_plans__2__expected_direction="increase",
    )
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "expected_direction",
        "'increase' expected of 'sickness_absence'", "polarity in indicators.yml is low_is_good",
        "expected 'decrease'",
    )  # fmt: skip
    folder = package(tmp_path / "item", action_plans__2__expected_direction="decrease")
    assert_names(
        only(problems_of(folder)), "action_plans.csv", 2, "expected_direction",
        "a survey item's % positive counts favourable answers", "expected 'increase'",
    )  # fmt: skip
