"""Figures of the interventions stage. Each function only draws a published table.

Tables come from :class:`analysis.publishing.StageOutput` after the disclosure gate: rows
with ``suppressed`` True are drawn as ``[c]``, never as zero.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis.figures import SUPPRESSED_LABEL, finish_chart  # noqa: E402

__all__ = [
    "group_trends_chart",
    "interrupted_time_series_chart",
    "paired_changes_chart",
    "skill_needs_chart",
]

_TARGETED = "#005EB8"  # NHS blue
_COMPARISON = "#768692"  # NHS mid grey
_COUNTERFACTUAL = "#ED8B00"  # NHS orange


def _hidden(table: pd.DataFrame) -> pd.Series:
    if "suppressed" in table.columns:
        return table["suppressed"].astype(bool)
    return pd.Series(False, index=table.index)


def group_trends_chart(
    table: pd.DataFrame,
    *,
    first_treated_year: int,
    title: str,
    ylabel: str,
    labels: tuple[str, str] = ("Targeted", "Comparison"),
) -> Figure:
    """Both groups' yearly means with intervals, and the action marked: the parallel trends.

    Parameters
    ----------
    table
        A published table with ``group`` (``"targeted"``, ``"comparison"``), ``year``,
        ``mean``, ``ci_low``, ``ci_high`` and ``suppressed``.
    first_treated_year
        The first survey after the action: a dashed line is drawn just before it.
    title
        The finding, in words.
    ylabel
        The vertical axis label, with its unit.
    labels
        Legend names of the targeted and comparison groups.
    """
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    for group, name, colour in zip(
        ("targeted", "comparison"), labels, (_TARGETED, _COMPARISON), strict=True
    ):
        rows = table.loc[table["group"] == group].sort_values("year")
        hidden = _hidden(rows)
        shown = rows.loc[~hidden]
        mean = pd.to_numeric(shown["mean"]).to_numpy(float)
        low = pd.to_numeric(shown["ci_low"]).to_numpy(float)
        high = pd.to_numeric(shown["ci_high"]).to_numpy(float)
        if hidden.any():
            name += f" ({SUPPRESSED_LABEL}: {', '.join(map(str, rows.loc[hidden, 'year']))})"
        axes.errorbar(
            shown["year"], mean, yerr=[mean - low, high - mean], marker="o", capsize=3,
            color=colour, label=name,
        )  # fmt: skip
    axes.axvline(first_treated_year - 0.5, color="black", linestyle="--", linewidth=1)
    axes.annotate(
        "action", (first_treated_year - 0.5, 0.98), xycoords=("data", "axes fraction"),
        ha="right", va="top", fontsize=8,
    )  # fmt: skip
    axes.set_xticks(sorted(table["year"].unique()))
    axes.set_xlabel("Survey year")
    axes.set_ylabel(ylabel)
    return finish_chart(figure, axes, title, title_size=10, legend_outside=False)


def interrupted_time_series_chart(
    lines: pd.DataFrame,
    *,
    intervention_month: str,
    title: str,
    ylabel: str,
) -> Figure:
    """Monthly values with the fitted segmented regression and its counterfactual.

    Parameters
    ----------
    lines
        A published table with ``month`` (``YYYY-MM``), ``observed``, ``fitted``,
        ``counterfactual`` and, optionally, ``comparison`` (the comparison teams).
    intervention_month
        The first month of the action (a dashed vertical line).
    title
        The finding, in words.
    ylabel
        The vertical axis label, with its unit.
    """
    months = pd.PeriodIndex(lines["month"], freq="M").to_timestamp()
    start = pd.Period(intervention_month, freq="M").to_timestamp()
    after = months >= start
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    if "comparison" in lines.columns:
        axes.plot(months, lines["comparison"], color=_COMPARISON, linewidth=1,
                  label="Comparison teams (observed)")  # fmt: skip
    axes.plot(months, lines["observed"], color=_TARGETED, marker=".", linewidth=0.6,
              label="Targeted teams (observed)")  # fmt: skip
    axes.plot(months, lines["fitted"], color="black", linewidth=1.5, label="Fitted")
    axes.plot(months[after], np.asarray(lines["counterfactual"])[after], color=_COUNTERFACTUAL,
              linestyle="--", linewidth=1.5, label="Expected without the action")  # fmt: skip
    axes.axvline(start, color="black", linestyle=":", linewidth=1)
    axes.set_xlabel("Month")
    axes.set_ylabel(ylabel)
    return finish_chart(figure, axes, title, title_size=10, legend_outside=False)


def paired_changes_chart(table: pd.DataFrame, *, title: str, xlabel: str) -> Figure:
    """Mean change per course, level and measure with its interval (a forest plot).

    Parameters
    ----------
    table
        A published table with ``course_id``, ``level``, ``measure``, ``mean_change``,
        ``ci_low``, ``ci_high`` and, if gated, ``suppressed``.
    title
        The finding, in words.
    xlabel
        The horizontal axis label, with its unit.
    """
    rows = table.iloc[::-1].reset_index(drop=True)
    hidden = _hidden(rows).to_numpy()
    figure, axes = plt.subplots(figsize=(7.5, max(2.5, 0.3 * len(rows) + 1.2)))
    raters = rows["rater"] if "rater" in rows.columns else pd.Series("self", index=rows.index)
    labels = [
        f"{course} {level.split()[1]}"
        + (" (line manager)" if rater == "line_manager" else "")
        + f": {measure.replace('_', ' ')}"
        for course, level, rater, measure in zip(
            rows["course_id"], rows["level"], raters, rows["measure"], strict=True
        )
    ]
    for position in range(len(rows)):
        if hidden[position]:
            axes.text(0.02, position, SUPPRESSED_LABEL, va="center",
                      transform=axes.get_yaxis_transform())  # fmt: skip
            continue
        mean = float(rows["mean_change"].iloc[position])
        low, high = float(rows["ci_low"].iloc[position]), float(rows["ci_high"].iloc[position])
        colour = _TARGETED if "learning" in rows["level"].iloc[position] else _COUNTERFACTUAL
        if raters.iloc[position] == "line_manager":
            colour = _COMPARISON
        axes.errorbar(mean, position, xerr=[[mean - low], [high - mean]], fmt="o",
                      color=colour, capsize=3)  # fmt: skip
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(range(len(rows)), labels, fontsize=8)
    axes.set_xlabel(xlabel)
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def skill_needs_chart(table: pd.DataFrame, *, title: str) -> Figure:
    """% positive per people-management skill and directorate, as a labelled grid.

    Parameters
    ----------
    table
        A published table with ``skill``, ``directorate``, ``percent_positive`` and, if
        gated, ``suppressed``; one row per skill and directorate (the whole organisation
        among them), in the order to show.
    title
        The finding, in words.

    Notes
    -----
    Each cell is shaded from light (low % positive: the greater need) to dark, and
    carries its number, so the chart reads without colour too.
    """
    skills = list(dict.fromkeys(table["skill"]))
    directorates = list(dict.fromkeys(table["directorate"]))
    keyed = table.set_index(["directorate", "skill"])
    hidden = _hidden(table).to_numpy()
    hidden_cells = set(zip(table["directorate"][hidden], table["skill"][hidden], strict=True))
    grid = np.full((len(directorates), len(skills)), np.nan)
    for row, directorate in enumerate(directorates):
        for column, skill in enumerate(skills):
            if (directorate, skill) in keyed.index and (directorate, skill) not in hidden_cells:
                grid[row, column] = float(keyed.loc[(directorate, skill), "percent_positive"])
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(directorates) + 1.8))
    axes.imshow(grid, cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for row in range(len(directorates)):
        for column in range(len(skills)):
            value = grid[row, column]
            text = SUPPRESSED_LABEL if np.isnan(value) else f"{value:.0f}"
            colour = "white" if not np.isnan(value) and value > 60 else "black"
            axes.text(column, row, text, ha="center", va="center", fontsize=8, color=colour)
    axes.set_xticks(range(len(skills)), skills, fontsize=8)
    axes.set_yticks(range(len(directorates)), directorates, fontsize=8)
    axes.tick_params(length=0)
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[:].set_visible(False)
    figure.tight_layout()
    return figure
