"""Figures for the reports. Each function draws a published (already suppressed) table.

A function here only draws: it takes the table a stage published through the disclosure
gate and returns a matplotlib figure, with a title the caller writes to state the finding
(:mod:`analysis.findings` computes findings from published rows). Suppressed cells are
drawn as hatched outlines labelled ``[c]``, never as zero.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = [
    "SUITE_THEME",
    "SUPPRESSED_LABEL",
    "bar_chart",
    "finish_chart",
    "trend_chart",
    "use_suite_theme",
]

SUITE_THEME = {
    "context": "notebook",
    "style": "ticks",
    "palette": "colorblind",
    "font_scale": 0.85,
    "rc": {
        "axes.spines.top": False,
        "axes.spines.right": False,
        "patch.force_edgecolor": False,
        "patch.edgecolor": "black",
    },
}
"""The reports' seaborn theme (:func:`seaborn.set_theme` arguments): white background with
ticks and no grid (a grid would cross the heatmaps' cells), seaborn's colour-blind palette
for series without a colour of their own, text at about matplotlib's 10 points, and no top
or right frame. Patches keep matplotlib's edges: seaborn's white edges would also turn the
hatching of suppressed ``[c]`` cells white."""

SUPPRESSED_LABEL = "[c]"
_COLOUR = "#005EB8"  # NHS blue
_SUPPRESSED_COLOUR = "#768692"  # NHS mid grey


def use_suite_theme() -> None:
    """Draw every figure after this call with :data:`SUITE_THEME`: the one place it is set.

    :class:`analysis.publishing.StageOutput` calls it when a stage opens its output, so every
    stage's figures share it. Colours that carry a meaning (NHS blue, the SPC icons' colours,
    suppressed cells' grey) are set by the figure functions themselves and stay as they are.

    References
    ----------
    .. [1] Waskom, M. L. (2021). seaborn: statistical data visualization. *Journal of Open
       Source Software*, 6(60), 3021. https://doi.org/10.21105/joss.03021
    """
    sns.set_theme(**SUITE_THEME)


def bar_chart(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    xlabel: str,
    title: str,
    limit: float | None = None,
) -> Figure:
    """Draw a horizontal bar per category; suppressed rows are hatched and labelled ``[c]``.

    Parameters
    ----------
    table
        A published table with columns ``category``, ``value`` and ``suppressed``.
    category, value
        The columns holding the bar labels and lengths.
    xlabel
        The axis label, with its unit.
    title
        The figure's title: state the finding.
    limit
        The axis maximum (e.g. 100 for percentages); the data's maximum when None.
    """
    rows = table.iloc[::-1]
    height = max(2.0, 0.38 * len(rows) + 1.0)
    figure, axes = plt.subplots(figsize=(7.5, height))
    values = pd.to_numeric(rows[value], errors="coerce")
    suppressed = rows["suppressed"].astype(bool).to_numpy()
    top = limit if limit is not None else float(values.max(skipna=True) or 1.0)
    labels = rows[category].astype(str).tolist()
    for position, (shown, hidden) in enumerate(zip(values, suppressed, strict=True)):
        if hidden:
            axes.barh(position, top, color="none", edgecolor=_SUPPRESSED_COLOUR, hatch="//")
            axes.text(top * 0.02, position, SUPPRESSED_LABEL, va="center", color="black")
        else:
            axes.barh(position, shown, color=_COLOUR)
            axes.text(shown + top * 0.01, position, f"{shown:.0f}", va="center", fontsize=9)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlim(0, top * 1.08)
    axes.set_xlabel(xlabel)
    figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def trend_chart(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str | None,
    xlabel: str,
    ylabel: str,
    title: str,
) -> Figure:
    """Draw one line per series over ``x``; suppressed points are left out and marked ``[c]``.

    With several series, the legend names the hidden points of each (``Medical ([c]: 2003)``);
    with one, ``[c]`` is written above the axis at each hidden point.

    Parameters
    ----------
    table
        A published table with columns ``x``, ``y``, ``suppressed`` and, if given, ``series``.
    x, y
        The columns for the horizontal (e.g. ``year``) and vertical axes.
    series
        The column that splits the lines (e.g. ``staff_group``), or None for one line.
    xlabel, ylabel
        The horizontal and vertical axis labels, with their units.
    title
        The figure's title: state the finding.
    """
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    groups = table.groupby(series, sort=True) if series else [("", table)]
    for name, rows in groups:
        rows = rows.sort_values(x)
        hidden = rows["suppressed"].astype(bool)
        shown = rows[~hidden]
        label = str(name)
        if series and hidden.any():
            label += f" ({SUPPRESSED_LABEL}: {', '.join(map(str, rows.loc[hidden, x]))})"
        axes.plot(shown[x], pd.to_numeric(shown[y]), marker="o", label=label or None)
        if not series:
            for hidden_x in rows.loc[hidden, x]:
                axes.annotate(
                    SUPPRESSED_LABEL,
                    (hidden_x, 0.02),
                    xycoords=("data", "axes fraction"),
                    ha="center",
                )
    axes.set_xticks(sorted(table[x].unique()))
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    figure.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    figure.tight_layout()
    return figure


def finish_chart(
    figure: Figure,
    axes: plt.Axes,
    title: str,
    *,
    title_size: int = 11,
    legend_outside: bool = True,
) -> Figure:
    """Finish a chart with a legend: its finding as the title, the frame and layout tidied.

    Parameters
    ----------
    figure, axes
        The chart, drawn.
    title
        The finding, set at the top left.
    title_size
        The title's font size in points.
    legend_outside
        ``True`` puts the legend outside the axes on the right, ``False`` where matplotlib
        finds room inside.

    Returns
    -------
    matplotlib.figure.Figure
        ``figure``, its top and right spines dropped and its layout fitted.
    """
    axes.set_title(title, fontsize=title_size, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    where = {"loc": "upper left", "bbox_to_anchor": (1, 1)} if legend_outside else {}
    axes.legend(frameon=False, fontsize=8, **where)
    figure.tight_layout()
    return figure
