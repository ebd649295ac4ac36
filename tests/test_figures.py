"""Figures draw suppressed cells as marked placeholders, never as zero-length bars, and carry
the title and axis labels they are given."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from analysis import figures
from analysis.publishing import StageOutput


def _published() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["A", "B", "C"],
            "response_rate": [55.0, None, 60.0],
            "suppressed": [False, True, False],
            "year": [2007, 2007, 2008],
        }
    )


def test_bar_chart_marks_suppressed_rows_with_c_and_draws_no_zero_bar() -> None:
    figure = figures.bar_chart(
        _published(),
        category="group",
        value="response_rate",
        xlabel="Response rate (%)",
        title="Response rates ranged from 55% (A) to 60% (C)",
        limit=100,
    )
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Response rates ranged from 55% (A) to 60% (C)"
    assert axes.get_xlabel() == "Response rate (%)"
    labels = [text.get_text() for text in axes.texts]
    assert labels.count(figures.SUPPRESSED_LABEL) == 1
    assert "55" in labels and "60" in labels
    widths = sorted(patch.get_width() for patch in axes.patches)
    # Two shown bars (55, 60) and one hatched placeholder spanning the axis (100); none of 0.
    assert widths == [55.0, 60.0, 100.0]
    hatched = [patch for patch in axes.patches if patch.get_hatch()]
    assert len(hatched) == 1
    plt.close(figure)


def test_trend_chart_leaves_suppressed_points_out() -> None:
    table = pd.DataFrame(
        {
            "year": [2007, 2008, 2007, 2008],
            "staff_group": ["X", "X", "Y", "Y"],
            "response_rate": [50.0, 52.0, None, 40.0],
            "suppressed": [False, False, True, False],
        }
    )
    figure = figures.trend_chart(
        table,
        x="year",
        y="response_rate",
        series="staff_group",
        xlabel="Survey year",
        ylabel="Response rate (%)",
        title="Y answered least in 2008",
    )
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Y answered least in 2008"
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("Survey year", "Response rate (%)")
    points = {line.get_label(): list(line.get_xdata()) for line in axes.lines}
    assert points == {"X": [2007, 2008], "Y ([c]: 2007)": [2008]}
    plt.close(figure)


def test_trend_chart_of_one_series_writes_c_at_the_hidden_point() -> None:
    table = pd.DataFrame({"year": [2007, 2008], "rate": [None, 40.0], "suppressed": [True, False]})
    figure = figures.trend_chart(
        table, x="year", y="rate", series=None, xlabel="Year", ylabel="%", title="t"
    )
    axes = figure.axes[0]
    assert list(axes.lines[0].get_xdata()) == [2008]
    assert [(text.get_text(), text.xy[0]) for text in axes.texts] == [("[c]", 2007)]
    plt.close(figure)


def test_a_stage_draws_with_the_suites_seaborn_theme_and_hatching_stays_visible(tmp_path) -> None:
    with matplotlib.rc_context():  # the theme is global: put matplotlib's back afterwards
        StageOutput(tmp_path, "survey", 11)
        # seaborn's own "ticks" style and "notebook" context are the reference.
        style = sns.axes_style("ticks")
        assert plt.rcParams["xtick.direction"] == style["xtick.direction"] == "out"
        assert plt.rcParams["axes.grid"] is False  # no grid across the heatmaps' cells
        assert plt.rcParams["font.size"] == pytest.approx(
            sns.plotting_context("notebook")["font.size"] * 0.85
        )
        cycle = [to_hex(c["color"]) for c in plt.rcParams["axes.prop_cycle"]]
        assert cycle == sns.color_palette("colorblind").as_hex()
        assert not plt.rcParams["axes.spines.top"] and not plt.rcParams["axes.spines.right"]
        # seaborn's styles would give an unfilled hatched patch white edges (and hatching),
        # invisible on white; the suite keeps matplotlib's black.
        assert sns.axes_style("ticks")["patch.edgecolor"] == "w"
        outline = Rectangle((0, 0), 1, 1, fill=False, hatch="//")
        assert to_hex(outline.get_edgecolor()) == "#000000"
