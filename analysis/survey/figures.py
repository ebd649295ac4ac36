"""Figures of the survey stage. Each function draws a published (already suppressed) table.

A function here only draws: it takes rows of a table that passed the disclosure gate and
returns a matplotlib figure, with a title the caller writes to state the finding. Suppressed
cells are marked ``[c]`` (hatched in the heatmap), never drawn as zero.

* :func:`likert_bars`: diverging stacked bars centred on the neutral answer, with excluded
  answers ("don't know") in a panel of their own so that they do not move the centre.
* :func:`trend_panels`: one panel per item or theme across years, with its interval ribbon
  and the comparator group's worst-average-best band behind it.
* :func:`group_heatmap`: items by directorate (or staff group), suppressed cells hatched.
* :func:`benchmark_dots`: where the organisation sits among its comparators, item by item.
* :func:`group_against_organisation`: a group (a directorate's pack) against the
  organisation and the rest of it, item by item.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from analysis.figures import SUPPRESSED_LABEL  # noqa: E402

__all__ = [
    "COMPARISON_COLOURS",
    "GROUP_COLOURS",
    "benchmark_dots",
    "group_against_organisation",
    "group_heatmap",
    "likert_bars",
    "trend_panels",
]

_BLUE, _GREY, _LIGHT_GREY = "#005EB8", "#768692", "#E8EDEE"
_ANSWER_COLOURS = {
    -2: "#8A1538",
    -1: "#E49AA6",
    0: "#D9DDE0",
    1: "#8FB8E3",
    2: "#003087",
}
_ANSWER_NAMES = {
    -2: "Most negative",
    -1: "Negative",
    0: "Neutral",
    1: "Positive",
    2: "Most positive",
}
COMPARISON_COLOURS = {"better": "#007F3B", "similar": "#425563", "worse": "#DA291C"}
"""Colour of the organisation's dot by its comparison with the comparator average."""

GROUP_COLOURS = {"higher": "#007F3B", "similar": "#425563", "lower": "#DA291C"}
"""Colour of a group's dot by its difference from the rest of the organisation."""


def _wrap(label: str, width: int = 48) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _colour(position: int, deepest: int) -> str:
    """The colour of an answer ``position`` steps from the centre of a scale ``deepest`` deep."""
    if position == 0:
        return _ANSWER_COLOURS[0]
    strength = 2 if abs(position) == deepest and deepest > 1 else 1
    return _ANSWER_COLOURS[int(np.sign(position)) * strength]


def likert_bars(
    distribution: pd.DataFrame, *, item: str, title: str, excluded_label: str | None = None
) -> Figure:
    """Draw one diverging stacked bar per item, centred on the neutral answer.

    Negative answers extend left of zero and positive answers right; a neutral answer is
    split half each side, as Heiberger and Robbins (2014) recommend. Excluded answers are
    drawn in a separate right-hand panel, as a share of all answers, so that they do not
    shift the centre. A suppressed item shows ``[c]`` and no bar.

    Parameters
    ----------
    distribution
        Gated rows of :func:`analysis.survey.stage.answer_distribution` with a
        ``suppressed`` column and the column named by ``item`` (the bar's label).
    item
        The column with each bar's label (e.g. question number and wording).
    title
        The figure's title: state the finding.
    excluded_label
        What the excluded answers are called in the right-hand panel; by default their
        label when they all have the same one ("Don't know"), else "Excluded answers".

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    Heiberger, R. M. and Robbins, N. B. (2014). Design of diverging stacked bar charts for
    Likert scales and other applications. *Journal of Statistical Software* 57(5).
    """
    labels = list(dict.fromkeys(distribution[item].astype(str)))
    height = max(2.5, 0.42 * len(labels) + 1.6)
    figure, (axes, side) = plt.subplots(
        1, 2, figsize=(10, height), sharey=True, gridspec_kw={"width_ratios": [5, 1]}
    )
    has_excluded = False
    for row, label in enumerate(labels):
        rows = distribution[distribution[item].astype(str) == label]
        y = len(labels) - 1 - row
        if rows["suppressed"].astype(bool).any():
            axes.text(0, y, SUPPRESSED_LABEL, ha="center", va="center")
            continue
        valid = rows[rows["answer_position"].notna()]
        positions = valid["answer_position"].astype(int).to_numpy()
        percents = pd.to_numeric(valid["percent"]).to_numpy(dtype=float)
        deepest = int(np.abs(positions).max()) if len(positions) else 1
        neutral = percents[positions == 0].sum()
        left = -neutral / 2 - percents[positions < 0].sum()
        for position, percent in sorted(zip(positions, percents, strict=True)):
            axes.barh(y, percent, left=left, color=_colour(position, deepest), height=0.7)
            left += percent
        excluded = pd.to_numeric(rows.loc[rows["answer_position"].isna(), "percent"]).sum()
        if rows["answer_position"].isna().any():
            has_excluded = True
            side.barh(y, excluded, color=_GREY, height=0.7)
            side.text(excluded + 1, y, f"{excluded:.0f}", va="center", fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(range(len(labels)), [_wrap(label) for label in labels[::-1]], fontsize=8)
    axes.set_xlim(-100, 100)
    axes.set_xticks(range(-100, 101, 25), [str(abs(t)) for t in range(-100, 101, 25)])
    axes.set_xlabel("Share of valid answers (%), negative left, positive right")
    side.set_xlim(0, 50)
    side.set_xlabel("% of all answers" if has_excluded else "")
    if excluded_label is None:
        excluded_rows = distribution[distribution["answer_position"].isna()]
        names = set(excluded_rows.get("label", pd.Series(dtype=str)).astype(str))
        excluded_label = names.pop() if len(names) == 1 else "Excluded answers"
    side.set_title(excluded_label if has_excluded else "", fontsize=9)
    for panel in (axes, side):
        panel.spines[["top", "right"]].set_visible(False)
    legend = [Patch(color=_ANSWER_COLOURS[p], label=_ANSWER_NAMES[p]) for p in range(-2, 3)]
    figure.legend(handles=legend, ncols=5, frameon=False, fontsize=8, loc="lower center")
    figure.suptitle(title, x=0.02, ha="left", fontsize=11, fontweight="bold")
    figure.tight_layout(rect=(0, 0.4 / height, 1, 1))
    return figure


def trend_panels(
    scores: pd.DataFrame,
    *,
    panel: str,
    y: str,
    low: str,
    high: str,
    ylabel: str,
    title: str,
    band: pd.DataFrame | None = None,
    limits: tuple[float, float] = (0, 100),
    columns: int = 3,
) -> Figure:
    """Draw one small panel per item or theme: its score across years with an interval ribbon.

    Points of one ``series`` are joined (a reworded item starts a new one); suppressed
    points are left out and ``[c]`` is written at the foot of the panel. With ``band``,
    the comparator group's worst-to-best range is shaded behind the line and its average
    drawn dashed.

    Parameters
    ----------
    scores
        Gated rows with ``year``, ``panel``, ``y``, ``low``, ``high``, ``suppressed`` and
        optionally ``series``.
    panel
        The column naming each panel (e.g. an item label).
    y, low, high
        The estimate and its interval.
    ylabel
        The vertical axis label, with its unit.
    title
        The figure's title: state the finding.
    band
        Optional gated benchmark rows with ``year``, ``panel``, ``worst``, ``average``,
        ``best`` and ``suppressed``.
    limits
        The vertical axis range.
    columns
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(dict.fromkeys(scores[panel].astype(str)))
    if not names:
        raise ValueError("trend_panels needs at least one row to draw")
    columns = min(columns, len(names))
    rows_of_panels = math.ceil(len(names) / columns)
    figure, grid = plt.subplots(
        rows_of_panels,
        columns,
        figsize=(3.4 * columns + 0.6, 2.7 * rows_of_panels + 0.9),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    years = sorted(scores["year"].unique())
    for axes, name in zip(grid.flat, names, strict=False):
        rows = scores[scores[panel].astype(str) == name].sort_values("year")
        if band is not None:
            comparators = band[(band[panel].astype(str) == name) & ~band["suppressed"]]
            comparators = comparators.sort_values("year")
            axes.fill_between(
                comparators["year"],
                pd.to_numeric(comparators["worst"]),
                pd.to_numeric(comparators["best"]),
                color=_LIGHT_GREY,
                label="Comparators: worst to best",
            )
            axes.plot(
                comparators["year"],
                pd.to_numeric(comparators["average"]),
                color=_GREY,
                linestyle="--",
                linewidth=1,
                label="Comparator average",
            )
        hidden = rows["suppressed"].astype(bool)
        series = rows["series"] if "series" in rows.columns else pd.Series(1, index=rows.index)
        for number, (_, part) in enumerate(rows[~hidden].groupby(series[~hidden], sort=True)):
            axes.fill_between(
                part["year"],
                pd.to_numeric(part[low]),
                pd.to_numeric(part[high]),
                color=_BLUE,
                alpha=0.18,
                linewidth=0,
                label="95% interval" if number == 0 else None,
            )
            axes.plot(
                part["year"],
                pd.to_numeric(part[y]),
                color=_BLUE,
                marker="o",
                markersize=4,
                label="Organisation" if number == 0 else None,
            )
        for hidden_year in rows.loc[hidden, "year"]:
            axes.annotate(
                SUPPRESSED_LABEL,
                (hidden_year, 0.03),
                xycoords=("data", "axes fraction"),
                ha="center",
            )
        axes.set_title(_wrap(name, 34), fontsize=9)
        axes.set_ylim(*limits)
        axes.set_xticks(years, [str(year) for year in years], rotation=45, fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
    for axes in list(grid.flat)[len(names) :]:
        axes.set_visible(False)
    for axes in grid[:, 0]:
        axes.set_ylabel(ylabel)
    handles, labels = grid.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncols=4, frameon=False, fontsize=8)
    figure.suptitle(title, x=0.02, ha="left", fontsize=11, fontweight="bold")
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return figure


def group_heatmap(
    table: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    title: str,
    colour_label: str,
    limits: tuple[float, float] = (0, 100),
    decimals: int = 0,
) -> Figure:
    """Draw a heatmap of ``value`` by ``row`` and ``column``; suppressed cells are hatched ``[c]``.

    Parameters
    ----------
    table
        Gated rows with ``row``, ``column``, ``value`` and ``suppressed`` (one per cell).
    row, column
        The columns giving the heatmap's rows (e.g. item labels) and columns (e.g. groups).
    value
        The figure in each cell (e.g. ``pct_positive``), written in the cell.
    title
        The figure's title: state the finding.
    colour_label
        The colour bar's label, with its unit.
    limits
        The colour scale's range.
    decimals
        Decimal places of the figures written in the cells (1 for 0-10 scores).

    Returns
    -------
    matplotlib.figure.Figure
    """
    row_names = list(dict.fromkeys(table[row].astype(str)))
    column_names = list(dict.fromkeys(table[column].astype(str)))
    grid = np.full((len(row_names), len(column_names)), np.nan)
    hidden = np.zeros(grid.shape, dtype=bool)
    for record in table.itertuples(index=False):
        i = row_names.index(str(getattr(record, row)))
        j = column_names.index(str(getattr(record, column)))
        if bool(record.suppressed):
            hidden[i, j] = True
        else:
            grid[i, j] = float(getattr(record, value))
    width = 3.8 + 1.05 * len(column_names)
    figure, axes = plt.subplots(figsize=(width, 0.3 * len(row_names) + 2.2))
    colours = LinearSegmentedColormap.from_list("nhs", ["#DA291C", "#F2F2F2", _BLUE])
    image = axes.imshow(grid, cmap=colours, vmin=limits[0], vmax=limits[1], aspect="auto")
    for i, j in zip(*np.nonzero(hidden), strict=True):
        axes.add_patch(
            plt.Rectangle(
                (j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor=_GREY, linewidth=0
            )
        )
        axes.text(j, i, SUPPRESSED_LABEL, ha="center", va="center", fontsize=7)
    for i, j in zip(*np.nonzero(~np.isnan(grid)), strict=True):
        axes.text(j, i, f"{grid[i, j]:.{decimals}f}", ha="center", va="center", fontsize=7)
    axes.set_xticks(range(len(column_names)), [_wrap(c, 16) for c in column_names], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(row_names)), [_wrap(r, 60) for r in row_names], fontsize=7)
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.set_label(colour_label)
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold", pad=36)
    figure.tight_layout()
    return figure


def benchmark_dots(
    table: pd.DataFrame, *, item: str, title: str, xlabel: str = "Percent positive (%)"
) -> Figure:
    """Draw, per item, the comparators' worst-to-best range, their average and the organisation.

    The organisation's dot is coloured by ``comparison`` (better, similar or worse than the
    comparator average; :data:`COMPARISON_COLOURS`). A suppressed item shows ``[c]`` and no
    dot.

    Parameters
    ----------
    table
        Gated benchmark rows (one year): ``item``, ``pct``, ``worst``, ``average``,
        ``best``, ``comparison`` and ``suppressed``.
    item
        The column with each row's label.
    title
        The figure's title: state the finding.
    xlabel
        The horizontal axis label, with its unit.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = table.reset_index(drop=True)
    figure, axes = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.8))
    for position, record in enumerate(rows.itertuples(index=False)):
        y = len(rows) - 1 - position
        worst, best = float(record.worst), float(record.best)
        axes.plot([worst, best], [y, y], color=_LIGHT_GREY, linewidth=6, solid_capstyle="butt")
        axes.plot(float(record.average), y, marker="|", color=_GREY, markersize=11)
        if bool(record.suppressed):
            axes.text(best + 1, y, SUPPRESSED_LABEL, va="center", fontsize=8)
            continue
        colour = COMPARISON_COLOURS.get(str(record.comparison), "black")
        axes.plot(float(record.pct), y, marker="o", color=colour, markersize=6)
    labels = rows[item].astype(str).tolist()
    axes.set_yticks(range(len(labels)), [_wrap(label, 60) for label in labels[::-1]], fontsize=7)
    axes.set_xlim(0, 100)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    legend = [
        Patch(color=_LIGHT_GREY, label="Comparators: worst to best"),
        plt.Line2D([], [], marker="|", color=_GREY, linestyle="", markersize=10, label="Average"),
    ] + [
        plt.Line2D([], [], marker="o", color=colour, linestyle="", label=f"Organisation: {name}")
        for name, colour in COMPARISON_COLOURS.items()
    ]
    axes.legend(
        handles=legend, ncols=5, frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1)
    )
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold", pad=24)
    figure.tight_layout()
    return figure


def group_against_organisation(
    table: pd.DataFrame, *, item: str, group: str, title: str, xlabel: str = "Percent positive (%)"
) -> Figure:
    """Draw, per item, the organisation's result as a tick and the group's as a dot.

    The dot is green where the group is significantly higher than the rest of the
    organisation, red where significantly lower, dark grey otherwise
    (:data:`GROUP_COLOURS`). A suppressed item shows ``[c]`` and no dot.

    Parameters
    ----------
    table
        Gated rows of a pack's ``against_organisation`` table (one year): ``item``,
        ``pct``, ``organisation_pct``, ``diff_pp``, ``significant`` and ``suppressed``.
    item
        The column with each row's label.
    group
        The group's name, for the legend.
    title
        The figure's title: state the finding.
    xlabel
        The horizontal axis label, with its unit.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = table.reset_index(drop=True)
    if rows.empty:
        raise ValueError("group_against_organisation needs at least one row to draw")
    figure, axes = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.8))
    for position, record in enumerate(rows.itertuples(index=False)):
        y = len(rows) - 1 - position
        organisation = float(record.organisation_pct)
        if not math.isnan(organisation):
            axes.plot(organisation, y, marker="|", color=_GREY, markersize=11)
        if bool(record.suppressed):
            axes.text(101, y, SUPPRESSED_LABEL, va="center", fontsize=8)
            continue
        direction = "similar"
        if bool(record.significant):
            direction = "higher" if float(record.diff_pp) > 0 else "lower"
        axes.plot(float(record.pct), y, marker="o", color=GROUP_COLOURS[direction], markersize=6)
    labels = rows[item].astype(str).tolist()
    axes.set_yticks(range(len(labels)), [_wrap(label, 60) for label in labels[::-1]], fontsize=7)
    axes.set_xlim(0, 105)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    legend = [
        plt.Line2D(
            [], [], marker="|", color=_GREY, linestyle="", markersize=10, label="Whole organisation"
        ),
    ] + [
        plt.Line2D(
            [], [], marker="o", color=colour, linestyle="", label=f"{group}: {name} than the rest"
        )
        if name != "similar"
        else plt.Line2D(
            [],
            [],
            marker="o",
            color=colour,
            linestyle="",
            label=f"{group}: no significant difference",
        )
        for name, colour in GROUP_COLOURS.items()
    ]
    axes.legend(
        handles=legend, ncols=2, frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1)
    )
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold", pad=40)
    figure.tight_layout()
    return figure
