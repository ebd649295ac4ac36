"""Drawing the indicators stage's figures: SPC charts, funnel plots and the team scorecard.

Drawing only: every function takes a table computed (and, for people, suppressed) elsewhere
and returns a matplotlib ``Figure``. Colours follow NHS England's *Making Data Count*:
orange for special cause concern, blue for improvement, purple for neutral special causes,
grey for common cause; ratings use red-amber-green where a direction is good and
blue-orange where there is no judgement.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

__all__ = ["POINT_COLOURS", "RATING_COLOURS", "funnel_plot", "scorecard_chart", "spc_chart"]

POINT_COLOURS = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#289de0",
    "special_cause_concern": "#fab428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
}
"""Making Data Count colours of each point type."""

RATING_COLOURS = {
    "better": "#00a36e",
    "similar": "#ffbf00",
    "worse": "#d5281b",
    "higher": "#005eb8",
    "lower": "#005eb8",
    "not compared": "#e8edee",
}
"""Rating colours: red-amber-green by polarity; blue for higher or lower without judgement."""

_POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neutral",
    "special_cause_neutral_low": "Special cause: neutral",
}
_ICON_WORDS = {
    "common_cause": "common cause variation",
    "improvement_high": "improvement (high)",
    "improvement_low": "improvement (low)",
    "concern_high": "concern (high)",
    "concern_low": "concern (low)",
    "neutral_high": "neutral special cause (high)",
    "neutral_low": "neutral special cause (low)",
    "consistent_pass": "will consistently pass the target",
    "consistent_fail": "will consistently fail the target",
    "inconsistent": "hit and miss against the target",
}


def spc_chart(chart: pd.DataFrame, *, title: str, ylabel: str) -> Figure:
    """Draw an XmR chart in the Making Data Count style.

    Parameters
    ----------
    chart
        A table from :func:`analysis.indicators.spc` (one unit's points, in order).
    title
        The finding, e.g. ``"Sickness absence in Community Nursing shifted up from 2006"``.
    ylabel
        The value axis label with its unit.

    Returns
    -------
    matplotlib.figure.Figure
        Grey line with points coloured by type, dashed process limits, the mean, the
        target (red, dotted) and the variation and assurance icons in words.
    """
    figure, axes = plt.subplots(figsize=(8.5, 3.8))
    x = chart["period"].astype(str).to_numpy()
    position = np.arange(len(x))
    axes.plot(position, chart["value"], color="#7f7f7f", linewidth=1, zorder=1)
    for point_type, colour in POINT_COLOURS.items():
        chosen = (chart["point_type"] == point_type).to_numpy()
        if chosen.any():
            axes.scatter(position[chosen], chart["value"][chosen], color=colour, s=18, zorder=2)
    for _, rows in chart.groupby("segment"):
        where = position[rows.index]
        axes.plot(where, rows["mean"], color="#231f20", linewidth=1)
        axes.plot(where, rows["upl"], color="#231f20", linestyle="--", linewidth=0.8)
        axes.plot(where, rows["lpl"], color="#231f20", linestyle="--", linewidth=0.8)
    if chart["target"].notna().any():
        axes.axhline(chart["target"].iloc[0], color="#d5281b", linestyle=":", linewidth=1.2)
    step = max(1, len(x) // 12)
    axes.set_xticks(position[::step], x[::step], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel(ylabel)
    axes.set_xlabel("Month")
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    handles = [
        Line2D([], [], color=colour, marker="o", linestyle="", label=_POINT_LABELS[kind])
        for kind, colour in POINT_COLOURS.items()
        if kind != "special_cause_neutral_low" and (chart["point_type"] == kind).any()
    ]
    handles.append(Line2D([], [], color="#231f20", linestyle="--", label="Process limits"))
    if chart["target"].notna().any():
        handles.append(Line2D([], [], color="#d5281b", linestyle=":", label="Target"))
    axes.legend(handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    icons = [f"Variation: {_ICON_WORDS[chart['variation_icon'].iloc[-1]]}"]
    assurance = chart["assurance_icon"].iloc[-1]
    if assurance in _ICON_WORDS:
        icons.append(f"Assurance: {_ICON_WORDS[assurance]}")
    axes.text(1.01, 0.0, "\n".join(icons), transform=axes.transAxes, fontsize=8, va="bottom")
    figure.tight_layout()
    return figure


def funnel_plot(
    published: pd.DataFrame, curve: pd.DataFrame, *, title: str, xlabel: str, ylabel: str
) -> Figure:
    """Draw a funnel plot of published (suppressed) units with their 95% and 99.8% limits.

    Parameters
    ----------
    published
        A funnel table (:func:`analysis.indicators.values.indicator_funnel`) with a
        ``suppressed`` column: suppressed units are not drawn and are counted in a note.
    curve
        :func:`analysis.indicators.values.funnel_curve` of the same funnel.
    title, xlabel, ylabel
        The finding and the axis labels with units.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure, axes = plt.subplots(figsize=(7.5, 4.5))
    size = curve["denominator"]
    axes.plot(size, curve["target"], color="#231f20", linewidth=1, label="Organisation")
    axes.plot(size, curve["upper_95"], color="#005eb8", linestyle="--", label="95% limits")
    axes.plot(size, curve["lower_95"], color="#005eb8", linestyle="--")
    axes.plot(size, curve["upper_998"], color="#d5281b", linestyle="-", label="99.8% limits")
    axes.plot(size, curve["lower_998"], color="#d5281b", linestyle="-")
    shown = published[~published["suppressed"].astype(bool)]
    outlier = shown["outlier"].astype(bool)
    axes.scatter(shown["denominator"][~outlier], shown["value"][~outlier], color="#7f7f7f", s=20)
    axes.scatter(
        shown["denominator"][outlier],
        shown["value"][outlier],
        color="#d5281b",
        s=30,
        label="Outside 99.8% limits",
    )
    for _, row in shown[outlier].iterrows():
        axes.annotate(
            str(row["unit"]),
            (row["denominator"], row["value"]),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    hidden = int(published["suppressed"].astype(bool).sum())
    if hidden:
        axes.text(
            0.99,
            0.01,
            f"{hidden} team(s) not shown: [c] fewer than the minimum staff",
            transform=axes.transAxes,
            ha="right",
            fontsize=8,
        )
    axes.set_xscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    return figure


def scorecard_chart(card: pd.DataFrame, *, title: str) -> Figure:
    """Draw the team scorecard: teams down, indicators across, cells coloured by rating.

    Parameters
    ----------
    card
        :func:`analysis.indicators.values.scorecard`: suppressed cells show ``[c]`` on
        white, never a value.
    title
        The finding.

    Returns
    -------
    matplotlib.figure.Figure
    """
    teams = sorted(card["unit"].unique())
    indicators = list(dict.fromkeys(card["indicator"]))
    figure, axes = plt.subplots(figsize=(1.3 * len(indicators) + 2.5, 0.28 * len(teams) + 1.8))
    cells = card.set_index(["unit", "indicator"])
    for row, team in enumerate(teams):
        for column, indicator in enumerate(indicators):
            if (team, indicator) not in cells.index:
                continue
            cell = cells.loc[(team, indicator)]
            hidden = bool(cell["suppressed"])
            colour = "white" if hidden else RATING_COLOURS.get(cell["rating"], "#e8edee")
            axes.add_patch(plt.Rectangle((column, row), 1, 1, color=colour, ec="white"))
            text = "[c]" if hidden else f"{cell['value']:.3g}"
            axes.text(column + 0.5, row + 0.5, text, ha="center", va="center", fontsize=7)
    axes.set_xlim(0, len(indicators))
    axes.set_ylim(len(teams), 0)
    axes.set_xticks(
        np.arange(len(indicators)) + 0.5, indicators, rotation=30, ha="right", fontsize=8
    )
    axes.set_yticks(np.arange(len(teams)) + 0.5, teams, fontsize=7)
    axes.set_xlabel("Indicator (value in its unit)")
    axes.set_ylabel("Team")
    axes.set_title(title, fontsize=11, loc="left")
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    legend = [Patch(color=c, label=r) for r, c in RATING_COLOURS.items() if r != "lower"]
    legend[3] = Patch(color=RATING_COLOURS["higher"], label="higher or lower (no judgement)")
    axes.legend(handles=legend, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    return figure
