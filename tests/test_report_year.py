"""One report year: windows, the package cut at the report year, and what a year lacks.

Every expected figure is worked out by hand in the comment beside it, from the demo data
package (the session's ``demo_data``) or a table written here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from annual_cycle import add_rest_of_year, add_survey_files, copy_package
from package_builder import minimal_description, write_package

from analysis.comments.suggest_model import MODEL_CODER
from analysis.datapackage import check_data_package, load_data_package
from analysis.datapackage.coding_logs import CodingLog, load_codings
from analysis.datapackage.codings import codings_for_analysis
from analysis.datapackage.coverage import coding_coverage, comments_up_to
from analysis.datapackage.readiness import notes_markdown, stage_readiness, year_blockers
from analysis.datapackage.windows import DEFAULT_WINDOWS, package_up_to, report_window
from analysis.indicators.appraisals import appraisal_window
from analysis.indicators.values import reporting_period
from analysis.survey.tables import profile_years

pytestmark = pytest.mark.slow  # each test loads or runs a whole package (seconds)


@pytest.fixture(scope="module")
def survey_only(demo_data, tmp_path_factory):
    """The demo with 2009's survey files only (docs/annual-cycle.md, step 1 by hand)."""
    folder = copy_package(demo_data, tmp_path_factory.mktemp("cycle") / "survey-only")
    add_survey_files(folder)
    return folder


@pytest.fixture(scope="module")
def whole_year(survey_only, tmp_path_factory):
    """The demo with all of 2009: survey files, comparator profile, months, codings, plan."""
    folder = copy_package(survey_only, tmp_path_factory.mktemp("cycle") / "whole-year")
    add_rest_of_year(folder)
    return folder


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        ("calendar_year", "2008-01", "2008-12"),
        ("financial_year", "2007-04", "2008-03"),  # the NHS financial year ending in 2008
        ("survey_month", "2007-10", "2008-09"),  # twelve months to the September census
    ],
)
def test_report_window_is_the_twelve_months_ending_in_the_year(kind, first, last):
    window = report_window(kind, 2008)
    assert (str(window.first), str(window.last)) == (first, last)
    assert window.last_day == pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    # the window's year of a month: March 2008 is in financial year 2008, April 2008 in 2009
    months = pd.Series(pd.PeriodIndex(["2008-03", "2008-04", "2008-09", "2008-10"], freq="M"))
    expected = {
        "calendar_year": [2008, 2008, 2008, 2008],
        "financial_year": [2008, 2009, 2009, 2009],
        "survey_month": [2008, 2008, 2008, 2009],
    }[kind]
    assert window.year_of(months).tolist() == expected


def test_windows_default_and_can_be_set_in_dataset_yml(tmp_path):
    description = minimal_description()
    description["windows"] = {"indicators": "survey_month"}
    package = load_data_package(write_package(tmp_path / "a", description=description))
    assert package.description.windows == {**DEFAULT_WINDOWS, "indicators": "survey_month"}


def test_a_wrong_window_names_the_line_and_the_kinds(tmp_path, capsys):
    description = minimal_description()
    description["windows"] = {"appraisals": "fiscal"}
    assert check_data_package(write_package(tmp_path / "b", description=description)) == 1
    output = capsys.readouterr().out
    assert "'windows.appraisals' should be calendar_year or financial_year or survey_month" in (
        output
    )
    assert "found 'fiscal'" in output


def test_the_report_year_is_the_latest_survey_year_unless_one_is_given(demo_data):
    package = load_data_package(demo_data)  # dataset.yml: survey_years 2003 to 2008
    assert package.report_year() == 2008
    assert package.report_year(None) == 2008
    assert package.report_year(2005) == 2005
    year = package.report_year(np.int64(2006))  # a year read from a table
    assert year == 2006 and type(year) is int


@pytest.mark.parametrize("year", [2009, 2002, True, "2008", 2008.0])
def test_a_report_year_that_is_not_a_survey_year_names_the_years(demo_data, year):
    package = load_data_package(demo_data)
    expected = (
        f"{year!r} is not a survey year of the data package '5NF'; its survey years are "
        "2003, 2004, 2005, 2006, 2007, 2008"
    )
    with pytest.raises(ValueError) as raised:
        package.report_year(year)
    assert str(raised.value) == expected
    with pytest.raises(ValueError, match="not a survey year of the data package '5NF'"):
        package_up_to(package, year)


def test_check_refuses_a_year_that_is_not_a_survey_year(demo_data, capsys):
    assert check_data_package(demo_data, 2009) == 1
    assert capsys.readouterr().out.strip() == (
        "2009 is not a survey year of the data package '5NF'; its survey years are "
        "2003, 2004, 2005, 2006, 2007, 2008"
    )


def test_package_up_to_shows_nothing_after_the_report_year(demo_data):
    package = package_up_to(load_data_package(demo_data), 2006)
    assert package.description.survey_years == (2003, 2004, 2005, 2006)
    assert package.responses["year"].max() == 2006
    assert package.comments["year"].max() == 2006
    assert package.action_plans["survey_year"].max() == 2005  # plans made before 2006's survey
    assert (package.action_reviews["review_date"] <= pd.Timestamp("2006-12-31")).all()
    # windows by default: indicators the calendar year, appraisals April 2005 to March 2006
    assert str(package.indicator_values["month"].max()) == "2006-12"
    for name in ("appraisals", "appraisal_objectives", "appraisal_skills"):
        assert (package.tables[name]["review_date"] <= pd.Timestamp("2006-03-31")).all()
    assert (package.training_evaluations["date"] <= pd.Timestamp("2006-12-31")).all()
    kept = set(package.comments["comment_id"])
    assert set(package.codings["comment_id"]) <= kept
    assert set(package.action_reviews["action_id"]) <= set(package.action_plans["action_id"])


def test_indicator_period_names_the_latest_available(survey_only):
    package = load_data_package(survey_only)
    period = reporting_period(package.indicator_values, 2009, "calendar_year")
    # indicator_values ends in 2008-12, so 2009 falls back to calendar year 2008
    assert period.window.year == 2008 and period.latest_available
    assert "latest available period" in period.note()
    assert "December 2008" in period.note()
    # a financial year ending in 2008 runs April 2007 to March 2008: covered, not a fallback
    financial = reporting_period(package.indicator_values, 2008, "financial_year")
    assert financial.window.year == 2008 and not financial.latest_available


def test_appraisal_window_is_complete_and_not_later(demo_data):
    appraisals = load_data_package(demo_data).appraisals
    # the demo's last review is 2008-12-31: financial year 2009 (April 2008 to March 2009)
    # is not complete, so 2009 falls back to April 2007 to March 2008
    assert appraisal_window(appraisals, 2009, "financial_year").label == (
        "April 2007 to March 2008"
    )
    assert appraisal_window(appraisals, 2006, "financial_year").label == (
        "April 2005 to March 2006"
    )
    # cut at 2006-03-31 for a report on 2006, the last review is 2006-03-29: March is reached
    cut = package_up_to(load_data_package(demo_data), 2006).appraisals
    assert cut["review_date"].max() == pd.Timestamp("2006-03-29")
    assert appraisal_window(cut, 2006, "financial_year").label == "April 2005 to March 2006"


def test_a_year_before_any_appraisal(demo_data):
    # the demo's first review is 2003-04-03, after the 2003 window (April 2002 to March 2003)
    package = load_data_package(demo_data)
    readiness = stage_readiness(package, "indicators", 2003)
    assert readiness.ready and not readiness.complete
    assert readiness.missing[0].message.startswith("no appraisals up to 2003-03-31")
    cut = package_up_to(package, 2003)
    assert cut.appraisals.empty
    assert appraisal_window(cut.appraisals, 2003, "financial_year") is None


def test_profile_years_are_the_years_the_comparator_profile_covers():
    profile = pd.DataFrame({"year": [2007, 2008], "staff_group": ["A", "A"], "headcount": [1, 2]})
    assert profile_years(profile, [2009, 2008, 2007]) == [2007, 2008]
    assert profile_years(profile.drop(columns="year"), [2009, 2008]) == [2008, 2009]
    assert profile_years(None, [2009]) == []


def test_coding_coverage_of_an_uncoded_year(survey_only):
    package = load_data_package(survey_only)
    comments, codings = comments_up_to(package.comments, package.codings, 2009)
    coverage = coding_coverage(comments, codings_for_analysis(codings, "researcher"), 2009)
    new = int((package.comments["year"] == 2009).sum())
    assert (coverage.comments, coverage.coded, coverage.counted_year) == (new, 0, 2008)
    assert coverage.coders == ()
    assert f"0 of the {new} comments of 2009 are coded" in coverage.note()
    assert "suggestions only" in coverage.note()


def test_every_persons_coding_counts_and_the_coders_are_named(survey_only, tmp_path):
    # 2009 is coded by people who did not code the earlier years ("researcher" coded most):
    # 3 comments by alice, 1 more by <b>bob</b>, 1 alice also coded by bob, and 2 by the
    # suggestion model; 3 + 1 = 4 comments coded by people, the model's 2 not counted.
    folder = copy_package(survey_only, tmp_path / "new-coders")
    package = load_data_package(folder)
    new_ids = package.comments.loc[package.comments["year"] == 2009, "comment_id"].tolist()
    with CodingLog(folder, "alice") as log:
        for comment_id in new_ids[:3]:
            log.apply(comment_id, "staffing_levels")
    with CodingLog(folder, "<b>bob</b>") as log:
        for comment_id in new_ids[2:4]:
            log.apply(comment_id, "workload")
    with CodingLog(folder, MODEL_CODER) as log:
        for comment_id in new_ids[4:6]:
            log.apply(comment_id, "workload")
    total = len(new_ids)
    readiness = stage_readiness(load_data_package(folder), "comments", 2009)
    assert readiness.missing[0].message.startswith(
        f"4 of {total} comments of 2009 coded (by 'alice' 3, '<b>bob</b>' 1): code the rest"
    )
    comments, codings = comments_up_to(
        package.comments, pd.concat([package.codings, load_codings(folder)]), 2009
    )
    codings = codings[codings["coder"] != MODEL_CODER]  # as the comments stage does
    coverage = coding_coverage(comments, codings_for_analysis(codings, "researcher"), 2009)
    assert (coverage.coded, coverage.counted_year) == (4, 2009)
    assert coverage.coders == (("alice", 3), ("<b>bob</b>", 1))
    shown = coverage.markdown().data
    # escaped: the comma and the slash backslashed, the angle brackets entity references
    assert "Whose codes are counted for 2009: alice 3\\, &lt;b&gt;bob&lt;\\/b&gt; 1." in shown


def test_check_lists_what_each_stage_lacks_for_a_new_year(survey_only, capsys):
    assert check_data_package(survey_only, 2009) == 0
    output = capsys.readouterr().out
    assert "indicators 2009: ready with gaps: no indicator_values after 2008-12" in output
    assert "survey 2009: ready with gaps" in output
    assert "no comparator_profile rows for 2009: the benchmark is unweighted only" in output
    new = len(load_data_package(survey_only).comments.query("year == 2009"))
    assert f"comments 2009: ready with gaps: 0 of {new} comments of 2009 coded" in output
    assert "interventions 2009: ready with gaps: no action_plans with survey_year 2008" in output
    assert "data_overview 2009: ready" in output
    assert "survey 2008:" not in output  # --year checks one year


def test_the_rest_of_the_year_fills_every_gap_the_stages_read(whole_year):
    package = load_data_package(whole_year)
    for stage in ("data_overview", "survey", "comments", "indicators", "interventions"):
        assert stage_readiness(package, stage, 2009).complete, stage


def test_notes_are_escaped_markdown(survey_only):
    notes = notes_markdown(load_data_package(survey_only), "survey", 2009).data
    assert "comparator\\_profile" in notes  # the underscore would otherwise open emphasis
    assert notes_markdown(load_data_package(survey_only), "survey", 2008).data == ""


def test_comments_coded_in_the_widget_count(survey_only, tmp_path):
    folder = copy_package(survey_only, tmp_path / "coding")
    package = load_data_package(folder)
    first_two = package.comments.loc[package.comments["year"] == 2009, "comment_id"].head(2)
    with CodingLog(folder, "researcher") as log:  # as the coding widget writes them
        for comment_id in first_two:
            log.apply(comment_id, "staffing_levels")
    total = int((package.comments["year"] == 2009).sum())
    readiness = stage_readiness(load_data_package(folder), "comments", 2009)
    assert readiness.missing[0].message.startswith(f"2 of {total} comments of 2009 coded")


def test_check_names_a_survey_indicator_item_no_questionnaire_has(demo_data):
    package = load_data_package(demo_data)
    questionnaire = package.questionnaire
    kept = questionnaire[questionnaire["item_id"] != "wellbeing_trust_action"]
    broken = dataclasses.replace(package, tables={**package.tables, "questionnaire": kept})
    readiness = stage_readiness(broken, "indicators", 2008)
    assert not readiness.ready
    assert readiness.missing[0].message == (
        "indicator 'wellbeing_action_survey': field 'items': ['wellbeing_trust_action'] are not "
        "item_id values of any year's questionnaire"
    )


def test_the_first_survey_year_has_no_action_plan_to_evaluate(demo_data):
    package = load_data_package(demo_data)
    # the demo's first plans were made on the 2003 survey (AP2003-1 to AP2003-4)
    assert year_blockers(package, "interventions", 2003) == [
        "no action_plans made before 2003 (survey_year before 2003): nothing to evaluate yet"
    ]
    assert year_blockers(package, "interventions", 2004) == []
    assert year_blockers(package, "not_a_stage", 2003) == []  # a stage without yearly needs
