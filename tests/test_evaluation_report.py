"""The interventions stage's report module (issue #11): what 04_interventions shows.

The finding sentences are checked against the demo run's published figure texts (the run
before the notebook's logic moved into ``analysis/evaluation/report.py``: ``python -m
analysis run --stages interventions``, figures/interventions/*.json) and against hand
calculations on the small test package (tests/package_builder.py).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
from package_builder import minimal_description, minimal_tables, write_package

from analysis.evaluation import verdicts
from analysis.evaluation.report import (
    InterventionsReport,
    Shown,
    action_outcome_list,
    action_trend_texts,
    course_outcome_items,
    indicator_chart_texts,
    training_changes_title,
)
from analysis.publishing import DisplayedFigure, PublishedTable, StageOutput
from analysis.text_safety import markdown_text

# --- the interval read once, in verdicts.py ----------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "direction", "finding"),
    [
        (0.5, 3.0, "rise", "rose more in the targeted teams than elsewhere"),
        (-3.0, -0.5, "fall", "fell in the targeted teams against elsewhere"),
        (-1.0, 2.0, None, "moved in the targeted teams with no clear difference from elsewhere"),
        (0.0, 2.0, None, "moved in the targeted teams with no clear difference from elsewhere"),
    ],
)
def test_an_interval_is_read_as_a_clear_rise_or_fall_only_when_it_excludes_zero(
    low, high, direction, finding
):
    assert verdicts.clear_direction(low, high) == direction
    assert verdicts.comparison_finding(low, high, "teams") == finding


def test_a_missing_interval_is_no_clear_direction():
    assert verdicts.clear_direction(float("nan"), float("nan")) is None


# --- finding sentences, against the demo run before the move -----------------------------


def test_an_actions_trend_chart_says_what_the_demo_run_said():
    # demo 2008, action_outcomes.csv, first difference-in-differences row
    action = SimpleNamespace(
        action_ids="AP2003-1",
        item_id="pressure_enough_staff",
        unit="directorate",
        teams=float("nan"),
        directorates="Community Nursing",
        first_year_after=2004,
        estimate=-7.59,
        ci_low=-13.49,
        ci_high=-1.69,
    )
    title, alt = action_trend_texts(action)
    assert title == (
        "AP2003-1: pressure enough staff fell in the targeted directorates against elsewhere "
        "from 2004 (-8 points)"
    )
    # figures/interventions/action_trends_1.json of the run before
    assert alt == (
        "Line chart of the percentage of respondents answering pressure enough staff "
        "positively each year in the directorates targeted by AP2003-1 (Community Nursing) "
        "and in the comparison directorates, with 95% intervals and the action marked: "
        "pressure enough staff fell in the targeted directorates against elsewhere (-8 points)."
    )


def test_an_action_for_teams_names_the_teams():
    action = SimpleNamespace(
        action_ids="AP9",
        item_id="appraisal_had",
        unit="team",
        teams="T1, T2",
        directorates="Community",
        first_year_after=2006,
        estimate=4.4,
        ci_low=1.0,
        ci_high=7.8,
    )
    title, alt = action_trend_texts(action)
    assert (
        title
        == "AP9: appraisal had rose more in the targeted teams than elsewhere from 2006 (+4 points)"
    )
    assert "in the teams targeted by AP9 (T1, T2) and in the comparison teams" in alt


def test_an_indicator_chart_says_what_the_demo_run_said():
    # demo 2008, its.csv: the second plain level change; figures/interventions/its_2.json
    jump = SimpleNamespace(
        action_ids="AP2003-4",
        indicator_id="mandatory_training",
        estimate=-0.23,
        ci_low=-1.58,
        ci_high=1.12,
    )
    spec = SimpleNamespace(name="Mandatory training compliance", unit="%")
    title, ylabel, alt = indicator_chart_texts(jump, spec, compared=True)
    assert title == (
        "AP2003-4: Mandatory training compliance fell 0.2 points when the action started "
        "(-1.6 to 1.1)"
    )
    assert ylabel == "Mandatory training compliance (%)"
    assert alt == (
        "Monthly Mandatory training compliance in the teams targeted by AP2003-4 and in the "
        "comparison teams, with the fitted segmented regression and the line expected without "
        "the action: it fell 0.2 points when the action started (95% interval -1.6 to 1.1)."
    )
    # without a specification the id is the name; without comparison teams none is named
    title, ylabel, alt = indicator_chart_texts(jump, None, compared=False)
    assert ylabel == "mandatory training"
    assert alt.startswith("Monthly mandatory training in the teams targeted by AP2003-4, with")


def test_course_outcome_items_are_distinct_sorted_and_leave_out_courses_without_items():
    courses = pd.DataFrame(
        {
            "course_id": ["MPW", "MPW", "MPW", "ASR", "X"],
            "item_id": ["b_item", "a_item", "b_item", "c_item", None],
        }
    )
    assert course_outcome_items(courses) == {"ASR": ["c_item"], "MPW": ["a_item", "b_item"]}


def _ratings(tmp_path, rows: list[tuple[str, str, int, float, float]]) -> PublishedTable:
    out = StageOutput(tmp_path, stage="interventions", minimum_group_size=5)
    table = pd.DataFrame(rows, columns=["course_id", "measure", "n_pairs", "ci_low", "ci_high"])
    return out.table(
        table.assign(level="2 learning", rater="self"),
        "training",
        title="Ratings",
        count="n_pairs",
        for_each=["course_id", "level", "rater", "measure"],
    )


def test_the_rating_chart_title_reads_every_pooled_interval(tmp_path):
    from analysis.evaluation.training import ALL_MEASURES

    # A pooled rose (0.2 to 0.8); A's one measure spans zero; B (3 pairs < 5) is hidden
    # and does not rise clearly: not every course rose; 1 shown measure unclear.
    published = _ratings(
        tmp_path,
        [
            ("A", ALL_MEASURES, 20, 0.2, 0.8),
            ("A", "listening", 20, -0.1, 0.5),
            ("B", ALL_MEASURES, 3, -0.3, 0.2),
        ],
    )
    assert published.suppressed.tolist() == [False, False, True]
    assert training_changes_title(published) == (
        "Not every course's ratings rose clearly; 1 single measure(s) did not rise clearly"
    )
    every = _ratings(
        tmp_path, [("A", ALL_MEASURES, 20, 0.2, 0.8), ("B", ALL_MEASURES, 9, 0.1, 0.3)]
    )
    assert training_changes_title(every) == (
        "After every course, the ratings over all measures rose clearly (levels 2 and 3)"
    )


def test_the_action_list_names_hidden_outcomes_without_their_figures():
    shown = pd.DataFrame(
        {
            "action_ids": ["AP1"],
            "directorates": ["Community"],
            "teams": [""],
            "status": ["done"],
            "finding": ["low morale"],
            "primary": [True],
            "summary": ["rose"],
            "estimate": [4.25],
            "ci_low": [1.0],
            "ci_high": [7.5],
            "design": ["before and after"],
            "verdict": ["consistent with an improvement"],
        }
    )
    hidden = pd.DataFrame({"action_ids": ["AP2"], "item_id": ["appraisal_had"]})
    text = action_outcome_list(shown, hidden, 11).data
    # each field escaped by markdown_text (analysis.text_safety); by hand: 4.25 -> "+4.2"
    # (round half to even), 1.0 -> "1.0", 7.5 -> "7.5"
    assert text == (
        "Every figure of each action's outcome is in the table `action_outcomes` (CSV and "
        "Excel workbook).\n\n"
        "- **AP1** (Community, done; prompted by low morale), primary outcome: rose. Change "
        "\\+4\\.2 points (95% interval 1\\.0 to 7\\.5; before and after). *Verdict*: "
        "consistent with an improvement.\n"
        "- AP2 on appraisal\\_had: [c] (fewer than 11 respondents)."
    )


# --- the report on the small test package ---------------------------------------------------

# The small package (tests/package_builder.py) in 2023: see tests/test_interventions_needs.py
# for the skill scores by hand: organisation morale 60%, appraisal 70% (5 respondents);
# Community 3 and Corporate 2 respondents.
SKILLS = {"morale": ["enthusiastic"], "appraisal": ["appraisal_had", "enthusiastic"]}


def _report(tmp_path, minimum: int) -> InterventionsReport:
    description = {**minimal_description(), "minimum_group_size": minimum}
    data = write_package(tmp_path / "data", minimal_tables(), description=description)
    return InterventionsReport(data, 2023, tmp_path / "out")


def test_the_weakest_skill_is_named_from_the_rows_the_gate_shows(tmp_path):
    report = _report(tmp_path, 5)
    table, figure, ranking = report.training_needs(SKILLS)
    assert isinstance(table, PublishedTable) and isinstance(figure, DisplayedFigure)
    # minimum 5: the organisation's rows (5) shown, the directorates' (3, 2) hidden
    assert table.suppressed.tolist() == [False, True, True, False, True, True]
    finding = (
        "In 2023 staff rated morale lowest of the people-management skills (60% positive "
        "across the organisation)"
    )
    assert figure.alt.endswith(f"greater training needs. {finding}.")
    sentence = (
        "Across the organisation the skills rank, weakest first: morale (60%), appraisal (70%)."
    )
    assert (
        ranking.data == markdown_text(sentence) + "\n\nThe weakest skill in each directorate:\n\n"
    )


def test_no_skill_is_named_when_the_gate_hides_the_organisation(tmp_path):
    # the fix of branch runnable (issue #10): this used to raise IndexError in the notebook
    report = _report(tmp_path, 6)
    table, figure, ranking = report.training_needs(SKILLS)
    assert table.suppressed.all()
    assert figure.alt.endswith(
        "In 2023 no skill is named the weakest: every organisation-wide score is hidden by the "
        "disclosure rules (minimum group size 6 respondents)."
    )
    assert "are not ranked across the organisation" in ranking.data


def test_skills_not_asked_are_left_out_with_the_reason(tmp_path):
    report = _report(tmp_path, 5)
    (left_out, why) = report.training_needs({"leadership": ["not_an_item"]})
    assert "Skills left out" in left_out.data
    assert why.data.startswith("The training needs are left out")
    assert not (tmp_path / "out" / "tables" / "interventions" / "training_needs.csv").exists()


def test_overdue_actions_are_shown_and_counted_in_the_headlines(tmp_path):
    # AP1 is "in progress" and due 2023-06-30: overdue at the end of 2023 by 184 days
    report = _report(tmp_path, 5)
    (overdue,) = report.overdue_actions()
    assert overdue.data["action_id"].tolist() == ["AP1"]
    assert overdue.data["days_overdue"].tolist() == [184]
    headlines = json.loads((tmp_path / "out" / "headlines" / "interventions.json").read_text())
    assert [(h["label"], h["value"]) for h in headlines] == [("Overdue actions", 1)]


def test_a_step_shows_its_items_in_order_and_an_empty_one_nothing(tmp_path, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    report = _report(tmp_path, 5)
    items = report.introduction()
    items._ipython_display_()
    Shown()._ipython_display_()
    assert shown == list(items) and len(items) == 3  # windows, organisation, gaps (may be "")
    assert "Minimum group size: 5 respondents" in items[1].data


def test_skill_comments_read_only_what_people_coded(tmp_path):
    # Codings by the suggestion model alone: no person has coded, so the comments are left
    # out with the reason rather than counted as the model's (which used to reach
    # choose_coders and either crash or count the model as a coder).
    tables = minimal_tables()
    tables["codings"] = tables["codings"].assign(coder="model")
    description = {**minimal_description(), "minimum_group_size": 5}
    data = write_package(tmp_path / "data", tables, description=description)
    report = InterventionsReport(data, 2023, tmp_path / "out")
    (reason,) = report.skill_comments({"workload": ["workload"]}, None)
    assert "No comments coded by a person" in reason.data


def test_a_series_too_small_to_show_is_listed_with_its_reason_not_as_nan(tmp_path):
    # register.action_indicator_effects returns, for a series of too few staff
    # (evaluation/series_gate.py), one level_change row with design "not shown", no
    # figures and the reason as its verdict; formatting it as a jump read "+nan".
    from analysis.evaluation.register import _ITS_COLUMNS

    report = _report(tmp_path, 5)
    shown = dict.fromkeys(_ITS_COLUMNS, None) | {
        "action_ids": "AP1", "indicator_id": "sickness_absence",
        "design": "interrupted time series",
        "term": "level_change", "intervention_month": "2023-01", "estimate": -1.25,
        "ci_low": -2.0, "ci_high": -0.5, "verdict": "improved",
    }  # fmt: skip
    hidden = dict.fromkeys(_ITS_COLUMNS, None) | {
        "action_ids": "AP2", "indicator_id": "turnover", "design": "not shown",
        "term": "level_change", "intervention_month": "2023-01",
        "verdict": "fewer than 5 staff in the targeted teams",
    }  # fmt: skip
    report.__dict__["_indicator_effects"] = (pd.DataFrame([shown, hidden]), pd.DataFrame())
    _table, jumps, not_shown = report.indicator_effects()
    assert "AP1" in jumps.data and r"\-1\.2 (\-2\.0 to \-0\.5)" in jumps.data
    assert "AP2" not in jumps.data and "nan" not in jumps.data
    assert "AP2" in not_shown.data and "fewer than 5 staff" in not_shown.data


def test_left_at_none_the_skills_are_the_module_defaults(tmp_path, monkeypatch):
    # The notebook's skill_items and skill_codes default to None (issue #11: a parameters
    # cell of at most 12 lines): the report then reads needs.SKILL_ITEMS and SKILL_CODES.
    from analysis.evaluation import needs

    monkeypatch.setattr(needs, "SKILL_ITEMS", SKILLS)
    report = _report(tmp_path, 5)
    table, _, _ = report.training_needs()
    explicit, _, _ = report.training_needs(SKILLS)
    pd.testing.assert_frame_equal(table.data, explicit.data)
    assert table.suppressed.tolist() == [False, True, True, False, True, True]  # as above
    monkeypatch.setattr(needs, "SKILL_CODES", {})
    (left_out,) = report.skill_comments(None, None)  # {} leaves the comments out
    assert "the survey items alone are read" in left_out.data


@pytest.mark.slow
@pytest.mark.parametrize("year", [2004, 2005])
def test_the_courses_of_an_early_report_year_say_why_they_show_nothing(demo_data, tmp_path, year):
    # demo: the first course evaluations are in October 2005 (MPW) and February 2006 (ASR);
    # these calls raised a KeyError (2004) and "no course 'ASR'" (2005) before
    report = InterventionsReport(demo_data, year, tmp_path, bootstrap_reps=99)
    ratings = report.course_ratings()
    results = report.course_results()
    summary = report.evaluation_summary()
    training = report.published_training.data
    assert training.columns[:5].tolist() == [
        "course_id",
        "course_name",
        "level",
        "rater",
        "measure",
    ]
    assert f"course ASR\\: no training evaluations up to {year}" in results[0].data
    assert results[1].data == "No level 4 results: see above."
    assert report.course_trends("MPW") == ()
    assert not summary[-1].data["outcome"].str.startswith("level 4").any()
    if year == 2004:
        assert training.empty
        assert ratings[0].data == "No training evaluations up to 2004."
        assert report.course_rating_changes("MPW") == ()
    else:  # the 2005 pilot cohort's rows are all under the minimum group size
        assert len(training) and report.published_training.suppressed.all()
        assert "the disclosure gate hides each one" in ratings[-1].data
        # no forest plot of hidden rows only (it was drawn, every row "[c]", under the title
        # "Not every course's ratings rose clearly")
        (why,) = report.course_rating_changes("MPW")
        assert why.data.startswith("No chart of the rating changes") and "2005" in why.data
