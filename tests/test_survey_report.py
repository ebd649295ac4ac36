"""What the survey stage's report shows (analysis.survey.report).

The small functions are checked on tiny tables whose answers are counted by hand; the
whole report once on the demo package, in the notebook's order, against figures read from
the raw data and from the tables the report itself published.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.summary.equality import INDICATORS
from analysis.survey import report as survey
from analysis.survey.report import (
    Shown,
    SurveyReport,
    _comparison_counts,
    table_titles,
    trend_questions,
)
from analysis.survey.stage import drivers_outcome
from analysis.text_safety import markdown

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def _changes() -> pd.DataFrame:
    """The organisation's changes in 2009: three against 2008, one against 2007."""
    return pd.DataFrame(
        {
            "group_type": ["organisation"] * 4 + ["directorate"],
            "year": [2009] * 5,
            "base_year": [2008, 2008, 2008, 2007, 2008],
            "item_id": ["a", "b", "c", "d", "e"],
            "diff_pp": [2.0, -7.5, 4.0, 30.0, 50.0],
            "significant": [False, True, True, True, True],
            "suppressed": [False, False, False, False, False],
        }
    )


def _report(changes: pd.DataFrame) -> SurveyReport:
    """A report holding only a published ``changes`` table, for the functions that read it."""
    package = SimpleNamespace(description=SimpleNamespace(survey_years=[2007, 2008, 2009]))
    published = {"changes": SimpleNamespace(data=changes)}
    return SurveyReport(package, 2009, None, None, {}, pd.DataFrame(), published)


def test_table_titles_name_the_drivers_outcome_and_year_in_publishing_order() -> None:
    titles = table_titles(2009, "Staff engagement")
    assert list(titles)[:2] == ["item_scores", "theme_scores"]
    assert list(titles)[-1] == "drivers"
    assert titles["drivers"] == "Key drivers of Staff engagement, 2009"


def test_comparison_counts_leave_out_suppressed_rows() -> None:
    rows = pd.DataFrame(
        {
            "comparison": ["better", "better", "worse", "similar", "better", None],
            "suppressed": [False, False, False, False, True, True],
        }
    )
    # By hand: two unsuppressed "better", one "similar", one "worse"; the hidden rows
    # count nowhere.
    assert _comparison_counts(rows, "comparison") == {"better": 2, "similar": 1, "worse": 1}


def test_trend_questions_are_the_largest_changes_since_the_previous_survey() -> None:
    # Against 2008 (the previous survey) the organisation's changes are a: 2.0, b: -7.5,
    # c: 4.0; by size b, c, a. d is against 2007 and e a directorate: neither counts.
    report = _report(_changes())
    assert trend_questions(report, None) == ["b", "c", "a"]
    assert trend_questions(report, ["d"]) == ["d"]


def test_trend_questions_leave_out_hidden_changes() -> None:
    changes = _changes()
    changes.loc[changes["item_id"] == "b", "suppressed"] = True
    assert trend_questions(_report(changes), None) == ["c", "a"]


def test_trend_questions_stop_at_six() -> None:
    changes = pd.DataFrame(
        {
            "group_type": "organisation",
            "year": 2009,
            "base_year": 2008,
            "item_id": list("abcdefgh"),
            "diff_pp": [1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0, -8.0],
            "significant": False,
            "suppressed": False,
        }
    )
    assert trend_questions(_report(changes), None) == list("hgfedc")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[SurveyReport, list, Path]:
    """The demo's survey report, every part built in the notebook's order."""
    out = tmp_path_factory.mktemp("survey-report")
    report = survey.open_survey_report(DEMO, None, out)
    parts = [
        survey.introduction(report),
        survey.who_answered(report),
        survey.theme_trends(report),
        survey.theme_table(report),
        survey.answers_to_each_question(report),
        survey.change_since_last_year(report),
        survey.significant_changes_table(report),
        survey.question_trends(report),
        survey.comparison_with_comparators(report),
        survey.group_heatmaps(report),
        survey.directorate_theme_table(report),
        survey.equality_breakdowns(report),
        survey.equality_groups_table(report, INDICATORS),
        survey.theme_reliability(report),
        survey.key_drivers(report),
    ]
    return report, parts, out


@pytest.mark.slow
def test_demo_response_rate_counts_the_respondents_of_the_report_year(demo_report) -> None:
    report, parts, _ = demo_report
    shown = parts[1].data
    organisation = shown[shown["group_type"] == "organisation"].iloc[0]
    responses = report.package.responses
    # Reference: the raw responses of the report year, one row per respondent.
    assert organisation["respondents"] == (responses["year"] == report.report_year).sum()
    assert set(shown["group_type"]) == {"organisation", "staff_group"}


@pytest.mark.slow
def test_demo_change_sentence_counts_the_published_significant_changes(demo_report) -> None:
    report, parts, out = demo_report
    changes = pd.read_csv(out / "tables" / "survey" / "changes.csv")
    previous = max(y for y in report.package.description.survey_years if y < report.report_year)
    latest = changes[
        (changes["group_type"] == "organisation")
        & (changes["year"] == report.report_year)
        & (changes["base_year"] == previous)
        & ~changes["suppressed"]
    ]
    significant = latest["significant"].fillna(False).astype(bool)
    better = int((significant & (latest["diff_pp"] > 0)).sum())
    worse = int((significant & (latest["diff_pp"] < 0)).sum())
    assert parts[5].data.startswith(
        f"Of {len(latest)} questions comparable with the previous survey, **{better}** were "
    )
    assert f"**{worse}** significantly less positive" in parts[5].data


@pytest.mark.slow
def test_demo_report_writes_every_figure_with_its_finding_as_alt_text(demo_report) -> None:
    _, parts, out = demo_report
    figures = [part for part in parts if hasattr(part, "alt")] + [
        item for part in parts if isinstance(part, Shown) for item in part if hasattr(item, "alt")
    ]
    names = {figure.path.stem for figure in figures}
    assert {"theme_trends", "answer_distribution", "item_trends", "heatmap_directorate"} <= names
    for figure in figures:
        assert figure.path.is_file()
        assert figure.alt.endswith(".")
    sentence, theme_figure = parts[2]
    finding = theme_figure.alt.split("confidence interval. ", 1)[1].removesuffix(".")
    assert finding.startswith("Highest theme score in")
    assert sentence.data == markdown("{finding}.", finding=finding).data


@pytest.mark.slow
def test_demo_headlines_hold_the_changes_and_the_outcome(demo_report) -> None:
    report, _, out = demo_report
    headlines = json.loads((out / "headlines" / "survey.json").read_text())
    labels = [headline["label"] for headline in headlines]
    text = json.dumps(labels)
    assert "Questions significantly better than last year" in text
    assert "Questions significantly worse than last year" in text
    outcome = drivers_outcome(report.tables)
    assert f"{outcome} theme score (0-10)" in labels
