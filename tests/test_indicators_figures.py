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


def test_icons_are_inline_svg_images_with_words_for_screen_readers():
    from analysis.indicators.spc_icons import (
        ASSURANCE_ICONS,
        ICON_WORDS,
        VARIATION_ICONS,
        icon_svg,
    )

    for icon in (*VARIATION_ICONS, *ASSURANCE_ICONS, None):
        svg = icon_svg(icon)
        kind = "Variation" if icon in VARIATION_ICONS else "Assurance"
        words = ICON_WORDS[icon or "no_target"]
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert 'role="img"' in svg and f'aria-label="{kind}: {words}"' in svg
        assert f"<title>{kind}: {words}</title>" in svg
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no download
    assert ">H</text>" in icon_svg("improvement_high") and ">L</text>" in icon_svg("concern_low")
    assert ">P</text>" in icon_svg("consistent_pass") and ">?</text>" in icon_svg("inconsistent")


def test_icon_letters_pass_wcag_aa_contrast():
    from analysis.indicators.spc_icons import TEXT_COLOUR, contrast_ratio

    # WCAG 2.1 reference values: black on white 21:1; #767676 on white is the lightest grey
    # that passes AA (4.54:1)
    assert contrast_ratio("#000000", "#ffffff") == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    # letters are TEXT_COLOUR on the icons' white fill
    assert contrast_ratio(TEXT_COLOUR, "#ffffff") >= 4.5


def test_summary_matrix_counts_charts_by_variation_and_assurance_and_escapes_names():
    from analysis.indicators.spc_icons import summary_matrix_html

    summary = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c"],
            "unit": ["Organisation", "Organisation", "Team <1>"],
            "variation_icon": ["concern_high", "concern_high", "common_cause"],
            "assurance_icon": ["consistent_fail", "consistent_fail", "None"],
        }
    )
    html = summary_matrix_html(summary, {"a": "Sickness & absence", "b": "B"}, caption="<M>")
    assert "<caption>&lt;M&gt;</caption>" in html
    rows = html.split("<tr>")[2:]  # after the heading row: one per variation icon
    assert len(rows) == 7
    concern_high = next(r for r in rows if "special cause concern, higher values</th>" in r)
    cells = concern_high.split("<td")[1:]
    # columns: pass, fail, hit and miss, no target
    assert [c.split("<strong>")[1].split("</strong>")[0] for c in cells] == ["0", "2", "0", "0"]
    assert "<li>Sickness &amp; absence</li><li>B</li>" in cells[1]
    common = next(r for r in rows if "common cause variation</th>" in r)
    assert "<li>c, Team &lt;1&gt;</li>" in common.split("<td")[4]


def test_spc_chart_marks_where_the_limits_are_recalculated():
    chart = spc([1, 3] * 6 + [11, 13] * 6, rebase=[13])
    fig = figures.spc_chart(chart, title="Two processes", ylabel="Count")
    axes = fig.axes[0]
    # one vertical line between the 12th and 13th points (positions 11 and 12)
    vertical = [line for line in axes.lines if line.get_xdata()[0] == line.get_xdata()[-1]]
    assert [line.get_xdata()[0] for line in vertical] == [11.5]
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "Limits recalculated" in labels
