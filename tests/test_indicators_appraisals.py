"""Tests of the organisation's appraisal summaries and the check of appraisal records."""

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.datapackage.indicator_specifications import parse_indicator_specifications
from analysis.indicators import appraisals, figures
from analysis.problems import DataPackageError
from demo_generator.indicator_specs import indicator_specifications_text

MODEL = parse_indicator_specifications(indicator_specifications_text())


def test_appraisal_year_runs_april_to_march_and_the_latest_complete_one_is_found():
    start, end = appraisals.appraisal_year(2007)
    assert (str(start.date()), str(end.date())) == ("2007-04-01", "2008-03-31")
    # Last review 31 December 2008: the 2008 year (to March 2009) is not complete.
    last = pd.DataFrame({"review_date": pd.to_datetime(["2008-12-31"])})
    assert appraisals.latest_complete_appraisal_year(last) == 2007
    ends = pd.DataFrame({"review_date": pd.to_datetime(["2008-03-31"])})
    assert appraisals.latest_complete_appraisal_year(ends) == 2007


def test_coverage_counts_staff_due_and_reviewed_in_the_year():
    staff = pd.DataFrame(
        {
            "staff_id": ["S1", "S2", "S3", "S4"],
            "team_id": ["A", "A", "A", "B"],
            "start_date": pd.to_datetime(["2000-01-01", "2000-01-01", "2007-02-01", "2000-01-01"]),
        }
    )
    reviews = pd.DataFrame(
        {
            "staff_id": ["S1", "S2", "S3", "S4"],
            "review_date": pd.to_datetime(["2007-06-01", "2008-04-01", "2007-05-01", "2007-04-01"]),
        }
    )
    table = appraisals.appraisal_coverage(reviews, staff, 2007, "team_id").set_index("team_id")
    # S3 started 1 February 2007, less than 3 months before April: not due. S2's review is
    # in April 2008, the next year. A: 1 of 2 due; B: 1 of 1 (a review on 1 April counts).
    assert table["staff_due"].tolist() == [2, 1]
    assert table["appraised"].tolist() == [1, 1]
    assert table["coverage"].tolist() == [50.0, 100.0]
    # Wilson 95% for 1/2: 0.5 +/- 1.96 * sqrt(0.125 + 0.9604 / 4) / 2.9208 = 0.5 +/- 0.4055;
    # for 1/1: centre 2.9207 / 4.8415 = 0.6033, half-width 1.96 * 0.98 / 4.8415 = 0.3967.
    assert table["ci_low"].round(2).tolist() == [9.45, 20.65]
    assert table["ci_high"].round(2).tolist() == [90.55, 100.0]
    with pytest.raises(ValueError, match="by must be a column of staff_list"):
        appraisals.appraisal_coverage(reviews, staff, 2007, "band")


def test_objectives_link_to_organisational_objectives_directly_or_through_indicators():
    objectives = pd.DataFrame(
        {
            "staff_id": ["S1", "S1", "S2", "S3", "S3"],
            "review_date": pd.to_datetime(["2007-06-01"] * 5),
            "linked_to": ["O1", "sickness_absence", "O3", "complaints", "record_keeping_audit"],
        }
    )
    table = appraisals.objectives_by_organisational_objective(objectives, MODEL)
    table = table.set_index("objective_id")
    # O1: one direct (S1) and one through sickness_absence (S1): 2 objectives, 1 person.
    # O2: none. O3: one direct (S2), two through complaints and the audit (S3): 3, 2 people.
    assert table["via_objective"].tolist() == [1, 0, 1]
    assert table["via_indicator"].tolist() == [1, 0, 2]
    assert table["objectives"].tolist() == [2, 0, 3]
    assert table["share"].tolist() == [40.0, 0.0, 60.0]
    assert table["staff"].tolist() == [1, 0, 2]
    later = appraisals.objectives_by_organisational_objective(objectives, MODEL, since="2008-01-01")
    assert later["objectives"].tolist() == [0, 0, 0]
    bad = objectives.assign(linked_to=["OBJ9", "O1", "O1", "O1", "O1"])
    with pytest.raises(ValueError, match="column 'linked_to' holds \\['OBJ9'\\]"):
        appraisals.objectives_by_organisational_objective(bad, MODEL)


def test_skills_gaps_use_each_persons_latest_review():
    skills = pd.DataFrame(
        {
            "staff_id": ["S1", "S1", "S1", "S2", "S2"],
            "review_date": pd.to_datetime(
                ["2006-05-01", "2007-06-01", "2007-06-01", "2007-07-01", "2007-07-01"]
            ),
            "ksf_dimension": [
                "Communication",
                "Communication",
                "Quality",
                "Communication",
                "Quality",
            ],
            "required_level": [3, 3, 2, 3, 2],
            "assessed_level": [3, 1, 2, 2, 3],
        }
    )
    staff = pd.DataFrame({"staff_id": ["S1", "S2"], "role_id": ["R01", "R01"]})
    roles = pd.DataFrame({"role_id": ["R01"], "role_name": ["District nurse"]})
    table = appraisals.skills_gaps_by_role(skills, staff, roles).set_index("ksf_dimension")
    # Communication (latest reviews): S1 1 < 3 (gap 2), S2 2 < 3 (gap 1): 2 of 2 below,
    # mean gap 1.5. Quality: S1 2 = 2, S2 3 > 2: none below. S1's 2006 review is ignored.
    assert table["staff_assessed"].tolist() == [2, 2]
    assert table["below_required"].tolist() == [2, 0]
    assert table["percent_below"].tolist() == [100.0, 0.0]
    assert table.loc["Communication", "mean_gap"] == 1.5
    assert np.isnan(table.loc["Quality", "mean_gap"])
    assert table["role"].unique().tolist() == ["District nurse"]


def _survey():
    responses = pd.DataFrame(
        {
            "respondent_id": [f"r{n}" for n in range(7)],
            "year": [2008] * 7,
            "q1": pd.array([1, 1, 1, 1, 2, 2, None], dtype="Int64"),
            "q8a": pd.array([5, 4, 2, None, 1, 5, 5], dtype="Int64"),
        }
    )
    questionnaire = pd.DataFrame(
        {
            "year": [2008, 2008],
            "item_id": ["appraisal_had", "team_clear_objectives"],
            "column": ["q1", "q8a"],
            "positive_codes": [(1,), (4, 5)],
            "excluded_codes": [(), ()],
        }
    )
    return responses, questionnaire


def test_clear_goals_compare_respondents_with_and_without_an_appraisal():
    responses, questionnaire = _survey()
    table = appraisals.clear_goals_by_appraisal(responses, questionnaire).set_index("group")
    # Had an appraisal (q1 = 1): answers 5, 4, 2 and a blank: 2 positive of 3.
    # No appraisal (q1 = 2): answers 1, 5: 1 of 2. The respondent without q1 is left out.
    assert table["respondents"].tolist() == [3, 2]
    assert table["percent_positive"].round(2).tolist() == [66.67, 50.0]
    assert table["difference"].round(2).tolist() == [16.67, 16.67]
    # prop.test(c(2, 1), c(3, 2), correct = FALSE): pooled 3/5, z = 0.1667 / sqrt(0.24 *
    # (1/3 + 1/2)) = 0.3727, p = 2 * (1 - pnorm(0.3727)) = 0.7094; R 4.2 prints
    # prop.test(c(2, 1), c(3, 2), correct = FALSE)$p.value as 0.709388115.
    assert table["p_value"].iloc[0] == pytest.approx(0.709388115, abs=1e-9)
    with pytest.raises(ValueError, match="items \\['goals'\\] are not in the questionnaire"):
        appraisals.clear_goals_by_appraisal(responses, questionnaire, goal_items=("goals",))


def test_clear_goals_chart_draws_the_two_groups_and_leaves_out_suppressed_rows():
    responses, questionnaire = _survey()
    table = appraisals.clear_goals_by_appraisal(responses, questionnaire)
    table["suppressed"] = [False, True]
    figure = figures.clear_goals_chart(table, title="Appraised staff agree more", ylabel="%")
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert labels == ["Had an appraisal"]
    plt.close(figure)


def test_an_objective_linked_to_an_unknown_id_is_reported_with_file_row_and_column(tmp_path):
    package = tmp_path / "demo"
    shutil.copytree("data/demo", package)
    path = package / "appraisal_objectives.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1].rsplit(",", 1)
    lines[1] = f"{first[0]},OBJ9"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataPackageError) as error:
        load_data_package(package)
    message = str(error.value)
    assert "appraisal_objectives.csv, row 2, column 'linked_to': 'OBJ9' is not an objective" in (
        message
    )
