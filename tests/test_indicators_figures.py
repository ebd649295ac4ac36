"""Tests of the indicators stage's drawing functions."""

import numpy as np
import pandas as pd

from analysis.indicators import figures, spc
from analysis.indicators.funnel import funnel

HIGH_POINT = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_spc_chart_colours_special_cause_and_states_icons():
    chart = spc(HIGH_POINT, improvement="decrease", target=3)
    fig = figures.spc_chart(chart, title="One month above the limits", ylabel="Count")
    axes = fig.axes[0]
    # the point at 10 is outside the limits (upl 4.6) and a concern when low is good
    concern = [
        c
        for c in axes.collections
        if np.allclose(c.get_facecolor()[0][:3], [0xFA / 255, 0xB4 / 255, 0x28 / 255])
    ]
    assert len(concern) == 1 and concern[0].get_offsets()[0].tolist() == [4.0, 10.0]
    texts = " ".join(t.get_text() for t in axes.texts)
    assert "Variation: common cause variation" in texts
    assert axes.get_title(loc="left") == "One month above the limits"


def test_funnel_plot_leaves_out_suppressed_units():
    table = funnel([10, 20, 30, 5], [100, 200, 300, 20], units=list("ABCD"))
    table["suppressed"] = [False, False, False, True]
    curve = pd.DataFrame(
        {
            "denominator": [10, 400],
            "target": 0.1,
            "lower_95": 0.0,
            "upper_95": 0.3,
            "lower_998": 0.0,
            "upper_998": 0.4,
        }
    )
    fig = figures.funnel_plot(curve=curve, published=table, title="t", xlabel="x", ylabel="y")
    axes = fig.axes[0]
    drawn = sum(len(c.get_offsets()) for c in axes.collections)
    assert drawn == 3
    assert any("1 team(s) not shown" in t.get_text() for t in axes.texts)


def test_scorecard_shows_c_for_suppressed_cells_never_a_value():
    card = pd.DataFrame(
        {
            "unit": ["A", "B"],
            "indicator": ["Turnover", "Turnover"],
            "value": [1.5, np.nan],
            "rating": ["worse", None],
            "suppressed": [False, True],
        }
    )
    fig = figures.scorecard_chart(card, title="Scorecard")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["1.5", "[c]"]
    colours = [p.get_facecolor()[:3] for p in fig.axes[0].patches]
    assert np.allclose(colours[0], [0xD5 / 255, 0x28 / 255, 0x1B / 255])  # worse is red
    assert np.allclose(colours[1], [1, 1, 1])


def test_scorecard_colours_follow_polarity_red_amber_green_or_blue_orange_blue():
    ratings = ["worse", "similar", "better", "lower", "similar", "higher", "not compared"]
    card = pd.DataFrame(
        {
            "unit": list("ABCDEFG"),
            "indicator": ["Sickness"] * 3 + ["Contacts"] * 3 + ["Complaints"],
            "value": [1.0] * 7,
            "rating": ratings,
            "suppressed": [False] * 7,
        }
    )
    axes = figures.scorecard_chart(card, title="Scorecard").axes[0]
    colours = [tuple(np.round(p.get_facecolor()[:3], 3)) for p in axes.patches]

    def rgb(hex_colour: str) -> tuple[float, ...]:
        return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))

    # Fingertips' benchmark colours: red, amber, green where a direction is good (NHS red
    # #d5281b, warm yellow #ffbf00, green #00a36e); dark blue, amber, light blue without
    # judgement (NHS blue #005eb8, light blue #41b6e6); grey when not compared
    expected = ["#d5281b", "#ffbf00", "#00a36e", "#005eb8", "#ffbf00", "#41b6e6", "#e8edee"]
    assert colours == [rgb(c) for c in expected]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["better", "similar", "worse", "higher", "lower", "not compared"]
