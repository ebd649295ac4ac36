"""Survey figures draw published tables: suppressed cells are marked [c], never drawn as 0."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.figures import SUPPRESSED_LABEL
from analysis.survey import figures as survey_figures


def _texts(figure) -> list[str]:
    return [text.get_text() for axes in figure.axes for text in axes.texts]


def test_likert_bars_centre_the_neutral_answer_and_keep_dont_know_apart() -> None:
    # Item A: 10% most negative, 20% negative, 30% neutral, 25% positive, 15% most positive;
    # 8% of all answers "don't know". Centred on the neutral answer, the bars start at
    # -(10 + 20 + 30 / 2) = -45 and end at -45 + 100 = 55.
    rows = pd.DataFrame(
        {
            "item": ["A"] * 6 + ["B"] * 2,
            "answer_position": pd.array([-2, -1, 0, 1, 2, None, -1, 1], dtype="Int64"),
            "percent": [10.0, 20.0, 30.0, 25.0, 15.0, 8.0, None, None],
            "suppressed": [False] * 6 + [True, True],
        }
    )
    figure = survey_figures.likert_bars(rows, item="item", title="t")
    main, side = figure.axes
    lefts = sorted(round(patch.get_x(), 6) for patch in main.patches)
    assert lefts == [-45.0, -35.0, -15.0, 15.0, 40.0]
    assert max(patch.get_x() + patch.get_width() for patch in main.patches) == pytest.approx(55)
    assert [patch.get_width() for patch in side.patches] == [8.0]
    # B is suppressed: no bar of any length, a [c] instead.
    assert len(main.patches) == 5 and SUPPRESSED_LABEL in _texts(figure)
    plt.close(figure)


def test_the_excluded_panel_is_named_by_the_excluded_answers_label() -> None:
    # One label among the excluded answers names the panel (an SPSS file's "Not
    # answered"); several, or none, give the general "Excluded answers".
    rows = pd.DataFrame(
        {
            "item": ["A"] * 3 + ["B"] * 3,
            "label": ["No", "Yes", "Not answered", "No", "Yes", "Not answered"],
            "answer_position": pd.array([-1, 1, None] * 2, dtype="Int64"),
            "percent": [40.0, 60.0, 5.0, 30.0, 70.0, 2.0],
            "suppressed": [False] * 6,
        }
    )
    figure = survey_figures.likert_bars(rows, item="item", title="t")
    assert figure.axes[1].get_title() == "Not answered"
    plt.close(figure)
    rows.loc[5, "label"] = "Don't know"
    figure = survey_figures.likert_bars(rows, item="item", title="t")
    assert figure.axes[1].get_title() == "Excluded answers"
    plt.close(figure)


def test_likert_bars_of_a_yes_no_item_put_no_left_of_zero() -> None:
    rows = pd.DataFrame(
        {
            "item": ["Had an appraisal"] * 2,
            "answer_position": pd.array([1, -1], dtype="Int64"),
            "percent": [70.0, 30.0],
            "suppressed": [False, False],
        }
    )
    figure = survey_figures.likert_bars(rows, item="item", title="t")
    spans = sorted((patch.get_x(), patch.get_width()) for patch in figure.axes[0].patches)
    assert spans == [(-30.0, 30.0), (0.0, 70.0)]
    plt.close(figure)


def test_trend_panels_break_the_line_at_a_rewording_and_skip_hidden_points() -> None:
    scores = pd.DataFrame(
        {
            "year": [2005, 2006, 2007, 2008],
            "item": ["Q1"] * 4,
            "pct": [50.0, 52.0, 60.0, None],
            "low": [45.0, 47.0, 55.0, None],
            "high": [55.0, 57.0, 65.0, None],
            "series": [1, 1, 2, 2],
            "suppressed": [False, False, False, True],
        }
    )
    band = pd.DataFrame(
        {
            "year": [2005, 2006, 2007, 2008],
            "item": ["Q1"] * 4,
            "worst": [40.0] * 4,
            "average": [50.0] * 4,
            "best": [60.0] * 4,
            "suppressed": [False] * 4,
        }
    )
    figure = survey_figures.trend_panels(
        scores, panel="item", y="pct", low="low", high="high", ylabel="%", title="t", band=band
    )
    axes = figure.axes[0]
    organisation = [line for line in axes.lines if line.get_marker() == "o"]
    # Two series (2005-2006, then 2007 alone after the rewording); 2008 hidden, not 0.
    assert [list(line.get_xdata()) for line in organisation] == [[2005, 2006], [2007]]
    assert SUPPRESSED_LABEL in _texts(figure)
    dashed = [line for line in axes.lines if line.get_linestyle() == "--"]
    assert list(dashed[0].get_ydata()) == [50.0] * 4
    plt.close(figure)


def test_group_heatmap_hatches_suppressed_cells_and_leaves_them_empty() -> None:
    table = pd.DataFrame(
        {
            "item": ["Q1", "Q1", "Q2", "Q2"],
            "group": ["North", "South", "North", "South"],
            "pct": [60.0, None, 40.0, 80.0],
            "suppressed": [False, True, False, False],
        }
    )
    figure = survey_figures.group_heatmap(
        table, row="item", column="group", value="pct", title="t", colour_label="%"
    )
    axes = figure.axes[0]
    grid = axes.images[0].get_array()
    assert np.ma.is_masked(grid[0, 1]) or np.isnan(grid[0, 1])
    assert grid[1, 1] == 80.0
    assert [p for p in axes.patches if p.get_hatch()] and sorted(_texts(figure)) == sorted(
        ["60", "40", "80", SUPPRESSED_LABEL]
    )
    plt.close(figure)


def test_benchmark_dots_colour_the_organisation_by_its_comparison() -> None:
    table = pd.DataFrame(
        {
            "item": ["Q1", "Q2", "Q3"],
            "pct": [90.0, 30.0, None],
            "worst": [50.0, 40.0, 40.0],
            "average": [70.0, 60.0, 60.0],
            "best": [85.0, 80.0, 80.0],
            "comparison": ["better", "worse", None],
            "suppressed": [False, False, True],
        }
    )
    figure = survey_figures.benchmark_dots(table, item="item", title="t")
    axes = figure.axes[0]
    dots = [line for line in axes.lines if line.get_marker() == "o" and len(line.get_xdata())]
    drawn = {float(line.get_xdata()[0]): line.get_color() for line in dots}
    assert drawn == {
        90.0: survey_figures.COMPARISON_COLOURS["better"],
        30.0: survey_figures.COMPARISON_COLOURS["worse"],
    }
    assert _texts(figure) == [SUPPRESSED_LABEL]
    plt.close(figure)


def test_a_group_against_the_organisation_is_coloured_by_its_difference_from_the_rest() -> None:
    table = pd.DataFrame(
        {
            "item": ["Q1", "Q2", "Q3", "Q4"],
            "pct": [80.0, 40.0, 55.0, None],
            "organisation_pct": [70.0, 50.0, 54.0, None],
            "diff_pp": [12.0, -11.0, 1.5, None],
            "significant": [True, True, False, None],
            "suppressed": [False, False, False, True],
        }
    )
    figure = survey_figures.group_against_organisation(table, item="item", group="A", title="t")
    axes = figure.axes[0]
    dots = [line for line in axes.lines if line.get_marker() == "o" and len(line.get_xdata())]
    drawn = {float(line.get_xdata()[0]): line.get_color() for line in dots}
    assert drawn == {
        80.0: survey_figures.GROUP_COLOURS["higher"],
        40.0: survey_figures.GROUP_COLOURS["lower"],
        55.0: survey_figures.GROUP_COLOURS["similar"],
    }
    ticks = [line for line in axes.lines if line.get_marker() == "|" and len(line.get_xdata())]
    assert sorted(float(line.get_xdata()[0]) for line in ticks) == [50.0, 54.0, 70.0]
    assert _texts(figure) == [SUPPRESSED_LABEL]
    plt.close(figure)
