"""Figures of the comments stage. Each function only draws a published (suppressed) table.

Suppressed cells are drawn hatched and labelled ``[c]``, never as zero.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from analysis.figures import SUPPRESSED_LABEL  # noqa: E402

__all__ = ["code_frequency_bars", "group_code_heatmap", "cooccurrence_matrix"]

_COLOURS = ("#AEB7BD", "#41B6E6", "#005EB8", "#003087", "#768692", "#00A499")
_SUPPRESSED_COLOUR = "#768692"


def _hidden(table: pd.DataFrame) -> np.ndarray:
    if "suppressed" not in table.columns:
        raise ValueError("draw a published table: it needs the gate's 'suppressed' column")
    return table["suppressed"].astype(bool).to_numpy()


def code_frequency_bars(
    table: pd.DataFrame, *, title: str, value: str = "percent", xlabel: str
) -> Figure:
    """Horizontal bars per code, one bar per year, from published code frequencies.

    Parameters
    ----------
    table
        Rows of a published code frequency table with ``label``, ``year``, ``value`` and
        ``suppressed``; codes in the order to draw them (top to bottom).
    title
        States the finding.
    value
        The column drawn.
    xlabel
        The axis label, with its unit.
    """
    hidden = _hidden(table)
    codes = list(dict.fromkeys(table["label"]))
    years = sorted(table["year"].unique())
    height = 0.8 / len(years)
    figure, axes = plt.subplots(figsize=(8.0, max(2.5, 0.3 * len(codes) * len(years) + 1.2)))
    top = float(pd.to_numeric(table[value], errors="coerce").max(skipna=True) or 1.0)
    for number, year in enumerate(years):
        colour = _COLOURS[number % len(_COLOURS)]
        for position, code in enumerate(codes):
            rows = np.flatnonzero((table["label"] == code).to_numpy() & (table["year"] == year))
            if not len(rows):
                continue
            y = len(codes) - 1 - position + (len(years) - 1 - number) * height - 0.4 + height / 2
            if hidden[rows[0]]:
                axes.barh(y, top, height, color="none", edgecolor=_SUPPRESSED_COLOUR, hatch="//")
                axes.text(top * 0.01, y, SUPPRESSED_LABEL, va="center", fontsize=8)
            else:
                shown = float(table[value].iloc[rows[0]])
                axes.barh(
                    y, shown, height, color=colour, label=str(year) if position == 0 else None
                )
                axes.text(shown + top * 0.01, y, f"{shown:.0f}", va="center", fontsize=7)
    axes.set_yticks(range(len(codes)), codes[::-1])
    axes.set_xlim(0, top * 1.12)
    axes.set_xlabel(xlabel)
    axes.set_title(title, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(handles, labels, frameon=False, title="Year", loc="lower right")
    figure.tight_layout()
    return figure


def _wrapped(label: object, width: int = 24) -> str:
    return textwrap.fill(str(label), width)


def _heatmap(
    matrix: pd.DataFrame,
    hidden: pd.DataFrame,
    *,
    title: str,
    colour_label: str,
    xlabel: str,
    ylabel: str,
) -> Figure:
    figure, axes = plt.subplots(
        figsize=(max(9.0, 0.7 * matrix.shape[1] + 5.0), max(4.5, 0.45 * matrix.shape[0] + 3.5))
    )
    values = matrix.to_numpy(dtype=float)
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Blues", aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if hidden.iat[row, column]:
            axes.add_patch(
                Rectangle(
                    (column - 0.5, row - 0.5),
                    1,
                    1,
                    fill=False,
                    hatch="//",
                    edgecolor=_SUPPRESSED_COLOUR,
                    linewidth=0,
                )
            )
            axes.text(column, row, SUPPRESSED_LABEL, ha="center", va="center", fontsize=7)
        elif np.isfinite(value):
            dark = value > np.nanmax(values) * 0.6
            axes.text(
                column,
                row,
                f"{value:.0f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )
    axes.set_xticks(
        range(matrix.shape[1]), [_wrapped(c) for c in matrix.columns], rotation=45, ha="right"
    )
    axes.set_yticks(range(matrix.shape[0]), [_wrapped(r) for r in matrix.index])
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_title(title, loc="left")
    figure.colorbar(image, ax=axes, label=colour_label, shrink=0.8)
    figure.tight_layout()
    return figure


def group_code_heatmap(
    table: pd.DataFrame, *, title: str, group_label: str, value: str = "percent"
) -> Figure:
    """A group-by-code heatmap of a published breakdown; suppressed cells hatched ``[c]``.

    Parameters
    ----------
    table
        Rows of one breakdown of a published code frequency table: ``group``, ``label``,
        ``value`` and ``suppressed``.
    title
        States the finding.
    group_label
        The vertical axis label (e.g. ``Directorate``).
    value
        The column coloured (a percentage of commenting respondents).
    """
    hidden = table.assign(hidden=_hidden(table))
    order = list(dict.fromkeys(table["label"]))
    matrix = hidden.pivot(index="group", columns="label", values=value)[order]
    mask = hidden.pivot(index="group", columns="label", values="hidden")[order].astype(bool)
    return _heatmap(
        matrix.astype(float),
        mask,
        title=title,
        xlabel="Code",
        colour_label="Commenting respondents raising the code (%)",
        ylabel=group_label,
    )


def cooccurrence_matrix(table: pd.DataFrame, *, title: str, labels: dict[str, str]) -> Figure:
    """A symmetric code-by-code matrix of respondents who raised both codes.

    Parameters
    ----------
    table
        A published co-occurrence table: ``code_a``, ``code_b``, ``respondents`` and
        ``suppressed`` (one triangle; it is mirrored).
    title
        States the finding.
    labels
        Code id to label, for the axes.
    """
    hidden = _hidden(table)
    codes = list(dict.fromkeys([*table["code_a"], *table["code_b"]]))
    names = [labels.get(code, code) for code in codes]
    matrix = pd.DataFrame(np.nan, index=names, columns=names)
    mask = pd.DataFrame(False, index=names, columns=names)
    for a, b, value, secret in zip(
        table["code_a"], table["code_b"], table["respondents"], hidden, strict=True
    ):
        for row, column in (
            (labels.get(a, a), labels.get(b, b)),
            (labels.get(b, b), labels.get(a, a)),
        ):
            matrix.loc[row, column] = np.nan if secret else float(value)
            mask.loc[row, column] = bool(secret)
    return _heatmap(
        matrix,
        mask,
        title=title,
        xlabel="Code",
        ylabel="Code",
        colour_label="Respondents who raised both codes",
    )
