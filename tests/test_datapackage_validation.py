"""Every kind of bad input gives a problem naming the file, the row, the column and what
was expected. Each test breaks the small valid package of ``package_builder`` one way.

Row numbers are the spreadsheet's: the header is row 1, so the builder's table row with
0-based index i is row i + 2 (e.g. respondent B2, index 5 of responses, is row 7).
"""

from __future__ import annotations

import pandas as pd
import pytest
from package_builder import minimal_description, minimal_tables, write_package

from analysis.datapackage import load_data_package
from analysis.problems import DataPackageError, Problem

VALID_DATASET_YML = """\
organisation:
  name: Testfield Primary Care Trust
  code: 5TF
survey_years: [2022, 2023]
group_columns: [directorate, staff_group]
minimum_group_size: 11
comparator_group: Primary care trusts
"""


def problems_of(folder) -> list[Problem]:
    with pytest.raises(DataPackageError) as caught:
        load_data_package(folder)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(str(problem) for problem in problems)
    return problems[0]


def broken(tmp_path, table: str, row: int, column: str, value) -> list[Problem]:
    """Write a valid package with one cell changed (row in spreadsheet numbering).

    The package holds the required tables, the broken one and the tables it refers to.
    """
    tables = minimal_tables(table)
    tables[table].loc[row - 2, column] = value
    return problems_of(write_package(tmp_path, tables))


def assert_names(problem: Problem, file: str, row: int | None, column: str | None, *words):
    assert (problem.file, problem.row, problem.column) == (file, row, column), str(problem)
    for word in words:
        assert word in problem.message, f"{word!r} not in {problem.message!r}"


def test_the_minimal_package_is_valid(tmp_path):
    package = load_data_package(write_package(tmp_path))
    assert package.description == package.description.__class__(
        organisation_name="Testfield Primary Care Trust",
        organisation_code="5TF",
        survey_years=(2022, 2023),
        group_columns=("directorate", "staff_group"),
        minimum_group_size=11,
        comparator_group="Primary care trusts",
    )


# dataset.yml and codebook.yml -------------------------------------------------------


def write_dataset_yml(tmp_path, text: str):
    write_package(tmp_path)
    (tmp_path / "dataset.yml").write_text(text)
    return problems_of(tmp_path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = VALID_DATASET_YML.replace("  code: 5TF", " code: 5TF")  # line 3 out of step
    problem = only(write_dataset_yml(tmp_path, text))
    assert_names(problem, "dataset.yml", None, None, "line 3", "not valid YAML")


def test_misspelt_key_suggests_the_closest(tmp_path):
    text = VALID_DATASET_YML.replace("minimum_group_size", "minimum_group_sise")
    misspelt, missing = write_dataset_yml(tmp_path, text)
    assert misspelt.message == (
        "line 6: unknown key 'minimum_group_sise'; did you mean 'minimum_group_size'?"
    )
    assert missing.message.startswith("missing key 'minimum_group_size'")


def test_nested_key_at_top_level_suggests_where_it_belongs(tmp_path):
    text = VALID_DATASET_YML.replace("  name: Testfield", "organisation_name: Testfield")
    text = text.replace("organisation:\n", "").replace("  code: 5TF\n", "")
    problems = write_dataset_yml(tmp_path, text)
    assert "did you mean 'name' under 'organisation'?" in problems[0].message
    assert any("missing key 'organisation'" in problem.message for problem in problems)


def test_missing_required_key(tmp_path):
    text = VALID_DATASET_YML.replace("survey_years: [2022, 2023]\n", "")
    problem = only(write_dataset_yml(tmp_path, text))
    assert_names(problem, "dataset.yml", None, None, "missing key 'survey_years'", "[2022, 2023]")


def test_a_package_without_its_minimum_group_size_is_refused(tmp_path):
    """No default stands in: the package must state the size its figures are gated at."""
    text = VALID_DATASET_YML.replace("minimum_group_size: 11\n", "")
    problem = only(write_dataset_yml(tmp_path, text))
    assert str(problem) == (
        "dataset.yml: missing key 'minimum_group_size' (a whole number >= 1, the fewest "
        "respondents a shown figure may be based on; the NHS Staff Survey's own is 11)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("minimum_group_size: 11", "minimum_group_size: eleven", "line 6: 'minimum_group_size'"),
        ("minimum_group_size: 11", "minimum_group_size: 0", "a whole number >= 1"),
        ("[2022, 2023]", "2023", "line 4: 'survey_years' should be a list of years"),
        ("[2022, 2023]", "[2022, '23']", "should list four-digit years"),
        ("code: 5TF", "code: 123", "put it in quotes"),
        ("[directorate, staff_group]", "[directorate]", "must include 'staff_group'"),
    ],
)
def test_wrong_type_in_dataset_yml(tmp_path, old, new, expected):
    problem = only(write_dataset_yml(tmp_path, VALID_DATASET_YML.replace(old, new)))
    assert_names(problem, "dataset.yml", None, None, expected)


def test_key_written_twice_is_a_problem(tmp_path):
    problem = only(write_dataset_yml(tmp_path, VALID_DATASET_YML + "survey_years: [2023]\n"))
    assert problem.message.startswith("line 8: key 'survey_years' appears again (first on line 4)")


def test_missing_dataset_yml(tmp_path):
    write_package(tmp_path)
    (tmp_path / "dataset.yml").unlink()
    problem = only(problems_of(tmp_path))
    assert_names(problem, "dataset.yml", None, None, "missing")


def test_yaml_syntax_error_in_codebook_names_the_line(tmp_path):
    write_package(tmp_path)
    (tmp_path / "codebook.yml").write_text("- id: resources\n  label: [Resources\n  codes: []\n")
    problem = only(problems_of(tmp_path))
    assert_names(problem, "codebook.yml", None, None, "line 3", "not valid YAML")


def test_codebook_code_used_twice(tmp_path):
    write_package(tmp_path)
    text = (tmp_path / "codebook.yml").read_text().replace("id: staffing", "id: workload")
    (tmp_path / "codebook.yml").write_text(text)
    problem = only(problems_of(tmp_path))
    assert_names(problem, "codebook.yml", None, None, "id 'workload' is used twice")


# tables and columns -----------------------------------------------------------------


def test_missing_required_table(tmp_path):
    write_package(tmp_path)
    (tmp_path / "staff.csv").unlink()
    problem = only(problems_of(tmp_path))
    assert_names(problem, "staff.csv", None, None, "missing", "required table 'staff'")


def test_misspelt_column_suggests_the_closest(tmp_path):
    tables = minimal_tables()
    tables["responses"] = tables["responses"].rename(columns={"respondent_id": "respondant_id"})
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(problem, "responses.csv", 1, "respondant_id", "did you mean 'respondent_id'?")


def test_missing_column_says_what_was_expected(tmp_path):
    tables = minimal_tables()
    tables["staff"] = tables["staff"].drop(columns="headcount")
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(problem, "staff.csv", None, "headcount", "missing", "a whole number >= 0")


def test_missing_item_column_names_the_questionnaire_item(tmp_path):
    tables = minimal_tables()
    tables["responses"] = tables["responses"].drop(columns="q3")
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(problem, "responses.csv", None, "q3", "named in questionnaire", "'pressure'")


def test_missing_group_column(tmp_path):
    description = minimal_description()
    description["group_columns"] = ["directorate", "staff_group", "age_band"]
    problem = only(problems_of(write_package(tmp_path, description=description)))
    assert_names(problem, "responses.csv", None, "age_band", "group column of dataset.yml")


def test_unexpected_column_in_responses_is_a_problem(tmp_path):
    tables = minimal_tables()
    tables["responses"]["email"] = "someone@example.nhs.uk"
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(problem, "responses.csv", 1, "email", "unexpected column", "group_columns")


def test_extra_columns_in_other_tables_are_kept(tmp_path):
    tables = minimal_tables()
    tables["teams"]["notes"] = ["merged 2021", None]
    package = load_data_package(write_package(tmp_path, tables))
    assert package.teams["notes"].tolist()[0] == "merged 2021"


# cells ------------------------------------------------------------------------------


def test_non_integer_code(tmp_path):
    problem = only(broken(tmp_path, "responses", 7, "q1", "x"))
    assert_names(problem, "responses.csv", 7, "q1", "expected a whole-number code", "'x'")


def test_code_outside_the_items_scale(tmp_path):
    problem = only(broken(tmp_path, "responses", 7, "q1", 7))
    assert_names(problem, "responses.csv", 7, "q1", "code 7", "scale 'agree5'", "one of 1;2;3;4;5")


def test_code_outside_scale_uses_that_years_scale(tmp_path):
    # q2 is yes/no/don't know (1, 2, 9): 3 is valid on agree5 but not here
    problem = only(broken(tmp_path, "responses", 3, "q2", 3))
    assert_names(problem, "responses.csv", 3, "q2", "scale 'yes_no_dk'", "one of 1;2;9")


def test_answer_to_an_item_not_asked_that_year(tmp_path):
    problem = only(broken(tmp_path, "responses", 2, "q3", 4))  # q3 is new in 2023
    assert_names(problem, "responses.csv", 2, "q3", "no item in column 'q3' for 2022", "blank")


def test_excluded_code_not_in_the_scale(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 3, "excluded_codes", "8"))
    assert_names(
        problem, "questionnaire.csv", 3, "excluded_codes", "8", "scale 'yes_no_dk'", "1;2;9"
    )


def test_positive_code_not_in_the_scale(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 2, "positive_codes", "5;6"))
    assert_names(problem, "questionnaire.csv", 2, "positive_codes", "code(s) 6", "1;2;3;4;5")


def test_codes_list_with_commas(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 2, "positive_codes", "4,5"))
    assert_names(problem, "questionnaire.csv", 2, "positive_codes", "separated by semicolons")


def test_boolean_that_is_not_true_or_false(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 6, "reverse_scored", "maybe"))
    assert_names(problem, "questionnaire.csv", 6, "reverse_scored", "true or false", "'maybe'")


def test_blank_required_cell(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 4, "wording", None))
    assert_names(problem, "questionnaire.csv", 4, "wording", "blank; expected text")


def test_duplicate_respondent_within_a_year(tmp_path):
    problem = only(broken(tmp_path, "responses", 8, "respondent_id", "B1"))
    assert_names(
        problem, "responses.csv", 8, "respondent_id", "'B1'", "year 2023", "first at row 6"
    )


def test_same_respondent_id_in_two_years_is_allowed(tmp_path):
    tables = minimal_tables()
    tables["responses"].loc[4, "respondent_id"] = "A1"  # 2023's B1 renamed to 2022's A1
    tables["comments"].loc[1:2, "respondent_id"] = ["B2", "B5"]
    assert load_data_package(write_package(tmp_path, tables)).responses.shape == (9, 8)


def test_duplicate_item_id_within_a_year(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 3, "item_id", "enthusiastic"))
    assert_names(problem, "questionnaire.csv", 3, "item_id", "year 2022", "first at row 2")


def test_duplicate_column_within_a_year(tmp_path):
    problems = broken(tmp_path, "questionnaire", 6, "column", "q2")
    duplicate = only([problem for problem in problems if "appears again" in problem.message])
    assert_names(duplicate, "questionnaire.csv", 6, "column", "'q2'", "first at row 5")


def test_scale_id_not_in_scales(tmp_path):
    problem = only(broken(tmp_path, "questionnaire", 6, "scale_id", "agree7"))
    assert_names(problem, "questionnaire.csv", 6, "scale_id", "'agree7'", "scales.csv")


@pytest.mark.parametrize(
    ("table", "row", "column", "file"),
    [
        ("responses", 2, "year", "responses.csv"),
        ("questionnaire", 2, "year", "questionnaire.csv"),
        ("staff", 4, "year", "staff.csv"),
        ("comparators", 2, "year", "comparators.csv"),
        ("comments", 2, "year", "comments.csv"),
        ("action_plans", 2, "survey_year", "action_plans.csv"),
    ],
)
def test_year_not_in_dataset_yml(tmp_path, table, row, column, file):
    problems = broken(tmp_path, table, row, column, 2019)
    assert_names(problems[0], file, row, column, "2019", "survey_years in dataset.yml (2022, 2023)")
    # at most one consequence elsewhere (e.g. a comment whose respondent's year is now unknown)
    assert len(problems) <= 2, "\n".join(str(problem) for problem in problems)


def test_survey_year_without_responses(tmp_path):
    description = minimal_description()
    description["survey_years"] = [2021, 2022, 2023]
    problems = problems_of(write_package(tmp_path, description=description))
    assert [(problem.file, problem.column) for problem in problems] == [
        ("questionnaire.csv", "year"),
        ("responses.csv", "year"),
    ]
    assert "no rows for 2021" in problems[1].message


def test_comparator_item_not_in_that_years_questionnaire(tmp_path):
    problem = only(broken(tmp_path, "comparators", 2, "item_id", "pressure"))
    assert_names(
        problem, "comparators.csv", 2, "item_id", "'pressure'", "questionnaire.csv", "year 2022"
    )


def test_comparator_more_positive_than_answers(tmp_path):
    problem = only(broken(tmp_path, "comparators", 3, "n_positive", 311))
    assert_names(problem, "comparators.csv", 3, "n_positive", "311", "n is 310", "<= n")


def test_comparators_need_a_comparator_group(tmp_path):
    description = minimal_description()
    del description["comparator_group"]
    problem = only(problems_of(write_package(tmp_path, description=description)))
    assert_names(problem, "dataset.yml", None, None, "comparator_group")


def test_comment_from_a_respondent_not_in_that_year(tmp_path):
    problem = only(broken(tmp_path, "comments", 2, "respondent_id", "B1"))  # B1 is 2023's
    assert_names(problem, "comments.csv", 2, "respondent_id", "'B1'", "year 2022")


def test_duplicate_comment_id(tmp_path):
    tables = minimal_tables()
    tables["comments"].loc[2, "comment_id"] = "C2"
    tables["codings"] = tables["codings"].iloc[:2]
    problem = only(problems_of(write_package(tmp_path, tables)))
    assert_names(problem, "comments.csv", 4, "comment_id", "'C2'", "first at row 3")


def test_coding_of_an_unknown_comment(tmp_path):
    problem = only(broken(tmp_path, "codings", 3, "comment_id", "C9"))
    assert_names(problem, "codings.csv", 3, "comment_id", "'C9'", "comments.csv")


def test_coding_with_an_unknown_code(tmp_path):
    problem = only(broken(tmp_path, "codings", 4, "code_id", "wrokload"))
    assert_names(problem, "codings.csv", 4, "code_id", "'wrokload'", "codebook.yml")


def test_negative_headcount(tmp_path):
    problem = only(broken(tmp_path, "staff", 6, "headcount", -3))
    assert_names(problem, "staff.csv", 6, "headcount", ">= 0", "-3")


def test_more_respondents_than_staff(tmp_path):
    # 2023 Community Nursing (staff row 5) has respondents B1 and B2
    problem = only(broken(tmp_path, "staff", 5, "headcount", 1))
    assert_names(
        problem, "staff.csv", 5, "headcount", "headcount 1", "the 2 respondents", "'Community'"
    )


def test_respondents_in_a_group_without_headcount(tmp_path):
    problem = only(broken(tmp_path, "responses", 8, "directorate", "Comunity"))
    assert_names(problem, "responses.csv", 8, "directorate", "'Comunity'", "staff.csv")


def test_duplicate_indicator_value(tmp_path):
    problem = only(broken(tmp_path, "indicator_values", 3, "month", "2023-01"))
    assert_names(
        problem, "indicator_values.csv", 3, "month", "'sickness_absence'", "first at row 2"
    )


def test_bad_month_format(tmp_path):
    problem = only(broken(tmp_path, "indicator_values", 4, "month", "Jan 2023"))
    assert_names(problem, "indicator_values.csv", 4, "month", "YYYY-MM", "'Jan 2023'")


def test_indicator_value_for_an_unknown_team(tmp_path):
    problem = only(broken(tmp_path, "indicator_values", 5, "team_id", "T9"))
    assert_names(problem, "indicator_values.csv", 5, "team_id", "'T9'", "teams.csv")


def test_zero_denominator(tmp_path):
    problem = only(broken(tmp_path, "indicator_values", 2, "denominator", 0))
    assert_names(problem, "indicator_values.csv", 2, "denominator", "> 0")


def test_unparseable_date(tmp_path):
    problem = only(broken(tmp_path, "action_plans", 2, "start_date", "09/01/2023"))
    assert_names(problem, "action_plans.csv", 2, "start_date", "YYYY-MM-DD", "'09/01/2023'")


def test_impossible_date(tmp_path):
    problem = only(broken(tmp_path, "appraisals", 3, "review_date", "2023-02-30"))
    assert_names(problem, "appraisals.csv", 3, "review_date", "YYYY-MM-DD")


def test_status_not_allowed(tmp_path):
    problem = only(broken(tmp_path, "action_plans", 2, "status", "Done"))
    assert_names(problem, "action_plans.csv", 2, "status", "'planned'", "did you mean 'done'?")


def test_score_out_of_range(tmp_path):
    problem = only(broken(tmp_path, "training_evaluations", 3, "score", 6))
    assert_names(problem, "training_evaluations.csv", 3, "score", "<= 5")


@pytest.mark.parametrize(
    ("table", "row", "column", "target"),
    [
        ("staff_list", 3, "role_id", "role_profiles.csv"),
        ("staff_list", 2, "team_id", "teams.csv"),
        ("appraisals", 3, "staff_id", "staff_list.csv"),
        ("training_evaluations", 2, "participant_id", "staff_list.csv"),
        ("training_evaluations", 3, "team_id", "teams.csv"),
        ("responses", 9, "team_id", "teams.csv"),
        ("action_plans", 2, "item_id", "questionnaire.csv"),
        ("action_plans", 2, "theme", "questionnaire.csv"),
    ],
)
def test_foreign_key_to_an_unknown_row(tmp_path, table, row, column, target):
    problem = only(broken(tmp_path, table, row, column, "NOPE"))
    assert_names(problem, f"{table}.csv", row, column, "'NOPE'", target)


def test_appraisal_detail_for_an_unknown_appraisal(tmp_path):
    problem = only(broken(tmp_path, "appraisal_skills", 3, "review_date", "2023-06-01"))
    assert_names(
        problem, "appraisal_skills.csv", 3, "review_date", "appraisals.csv", "staff_id 'S0001'"
    )


def test_reference_to_a_missing_table(tmp_path):
    write_package(tmp_path)
    (tmp_path / "role_profiles.csv").unlink()
    problem = only(problems_of(tmp_path))
    assert_names(problem, "staff_list.csv", None, "role_id", "role_profiles table")


def test_directorate_spelt_differently_from_staff(tmp_path):
    problem = only(broken(tmp_path, "teams", 3, "directorate", "Corporate services"))
    assert_names(problem, "teams.csv", 3, "directorate", "'Corporate services'", "staff.csv")


# many problems ----------------------------------------------------------------------


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    tables = minimal_tables()
    tables["responses"].loc[5, "q1"] = "x"
    tables["staff"].loc[4, "headcount"] = -3
    tables["teams"].loc[0, "team_name"] = None
    problems = problems_of(write_package(tmp_path, tables))
    assert [(problem.file, problem.row, problem.column) for problem in problems] == [
        ("responses.csv", 7, "q1"),
        ("staff.csv", 6, "headcount"),
        ("teams.csv", 2, "team_name"),
    ]


def test_a_systematically_broken_column_is_capped(tmp_path):
    tables = minimal_tables()
    extra = pd.DataFrame(
        {
            "respondent_id": [f"C{number}" for number in range(30)],
            "year": 2023,
            "directorate": "Community",
            "staff_group": "Nursing",
            "q1": "agree",
        },
        dtype=object,
    )
    tables["responses"] = pd.concat([tables["responses"], extra], ignore_index=True)
    tables["staff"].loc[3, "headcount"] = 100
    problems = problems_of(write_package(tmp_path, tables))
    # 30 cells of text in q1: 20 listed (rows 11..30), then one line for the other 10
    assert len(problems) == 21
    assert [problem.row for problem in problems[:20]] == list(range(11, 31))
    assert_names(problems[20], "responses.csv", None, "q1", "... and 10 more")


def test_indicator_specifications_are_checked_when_the_package_loads(tmp_path):
    folder = write_package(tmp_path / "package")
    (folder / "indicators.yml").write_text("objectives: [\n", encoding="utf-8")
    with pytest.raises(DataPackageError) as caught:
        load_data_package(folder)
    assert [p.file for p in caught.value.problems] == ["indicators.yml"]
    assert "not valid YAML" in caught.value.problems[0].message
