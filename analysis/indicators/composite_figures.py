"""Drawing a composite index's uncertainty: rank intervals and the sensitivity of ranks.

Drawing only: each function takes a table of
:func:`analysis.indicators.composite.composite_index` and returns a matplotlib ``Figure``.
The ``*_finding`` functions put what the table shows into one sentence, for the title and
the alt text.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

__all__ = [
    "CHOICE_LABELS",
    "rank_uncertainty_chart",
    "rank_uncertainty_finding",
    "sensitivity_chart",
    "sensitivity_finding",
]

CHOICE_LABELS = {
    "normalisation": "Normalisation",
    "weights": "Weights",
    "aggregation": "Aggregation",
    "indicator_set": "Indicators included",
}
"""How each uncertain choice is named for readers."""

_BLUE = "#005eb8"  # NHS blue
_DARK = "#231f20"
_GREY = "#768692"  # NHS mid grey


def rank_uncertainty_finding(scores: pd.DataFrame) -> str:
    """One sentence on how certain the teams' ranks are.

    Parameters
    ----------
    scores
        ``CompositeIndex.scores``.

    Returns
    -------
    str
        E.g. ``"Team ranks span a median of 18 places (5th to 95th percentile) across 41
        teams; T29, T27 stay in the bottom 5 in 95% of scenarios"``.
    """
    width = scores["rank_p95"] - scores["rank_p05"]
    sentence = (
        f"Team ranks span a median of {width.median():.0f} places (5th to 95th percentile) "
        f"across {len(scores)} teams"
    )
    bottom = len(scores) - 4
    steady = {
        "top": scores.loc[scores["rank_p95"] <= 5, "team"].astype(str).tolist(),
        "bottom": scores.loc[scores["rank_p05"] >= bottom, "team"].astype(str).tolist(),
    }
    for end, teams in steady.items():
        if teams:
            verb = "stays" if len(teams) == 1 else "stay"
            sentence += f"; {', '.join(teams)} {verb} in the {end} 5 in 95% of scenarios"
    if not steady["top"] and not steady["bottom"]:
        sentence += "; no team stays in the top or bottom 5 in 95% of scenarios"
    return sentence


def sensitivity_finding(sensitivity: pd.DataFrame) -> str:
    """One sentence naming the choice that moves ranks most.

    Parameters
    ----------
    sensitivity
        ``CompositeIndex.sensitivity``.

    Returns
    -------
    str
        E.g. ``"Indicators included moves ranks most: it explains 67% of the variation in
        ranks on its own and 75% with its interactions"``.
    """
    if sensitivity["first_order"].isna().all():
        return "No choice changes any team's rank"
    top = sensitivity.loc[sensitivity["total_effect"].idxmax()]
    return (
        f"{CHOICE_LABELS[top['choice']]} moves ranks most: it explains "
        f"{max(top['first_order'], 0):.0%} of the variation in ranks on its own and "
        f"{top['total_effect']:.0%} with its interactions"
    )


def rank_uncertainty_chart(scores: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Draw each team's rank interval, teams ordered by median rank.

    Parameters
    ----------
    scores
        ``CompositeIndex.scores``: ``team``, ``rank``, ``median_rank``, ``rank_p05``,
        ``rank_p95``.
    title
        The finding; default :func:`rank_uncertainty_finding`.

    Returns
    -------
    matplotlib.figure.Figure
        One row per team (best at the top): a bar from the 5th to the 95th percentile
        rank, a dot at the median rank and a diamond at the rank under the reference
        choices.
    """
    ordered = scores.sort_values(["median_rank", "rank"], kind="stable").reset_index(drop=True)
    position = np.arange(len(ordered))
    figure, axes = plt.subplots(figsize=(7.5, max(3.0, 0.22 * len(ordered) + 1.6)))
    axes.hlines(
        position, ordered["rank_p05"], ordered["rank_p95"], color=_GREY, linewidth=3, alpha=0.7
    )
    axes.scatter(ordered["median_rank"], position, color=_BLUE, s=18, zorder=3)
    axes.scatter(ordered["rank"], position, color=_DARK, marker="D", s=14, zorder=4)
    axes.set_yticks(position, ordered["team"].astype(str), fontsize=7)
    axes.set_ylim(len(ordered) - 0.5, -0.5)
    axes.set_xlim(0.5, len(ordered) + 0.5)
    axes.set_xlabel("Rank among teams (1 = best)")
    axes.set_ylabel("Team (ordered by median rank)")
    axes.set_title(title or rank_uncertainty_finding(scores), fontsize=10, loc="left", wrap=True)
    axes.spines[["top", "right"]].set_visible(False)
    handles = [
        Line2D([], [], color=_GREY, linewidth=3, label="5th-95th percentile rank"),
        Line2D([], [], color=_BLUE, marker="o", linestyle="", label="Median rank"),
        Line2D([], [], color=_DARK, marker="D", linestyle="", label="Rank, reference choices"),
    ]
    axes.legend(handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    return figure


def sensitivity_chart(sensitivity: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Draw the share of rank variance each choice explains, alone and with interactions.

    Parameters
    ----------
    sensitivity
        ``CompositeIndex.sensitivity``: ``choice``, ``first_order``, ``total_effect``.
    title
        The finding; default :func:`sensitivity_finding`.

    Returns
    -------
    matplotlib.figure.Figure
        Paired horizontal bars per choice: first-order (on its own) and total effect
        (including interactions), as percentages of the variance of teams' ranks.
        Estimates a little below 0 (Monte Carlo noise) are drawn at 0.
    """
    rows = sensitivity.iloc[::-1].reset_index(drop=True)
    position = np.arange(len(rows))
    first = 100 * rows["first_order"].clip(lower=0).fillna(0)
    total = 100 * rows["total_effect"].clip(lower=0).fillna(0)
    figure, axes = plt.subplots(figsize=(7.5, 0.6 * len(rows) + 1.6))
    axes.barh(position + 0.18, first, height=0.36, color=_BLUE, label="On its own (first order)")
    axes.barh(
        position - 0.18, total, height=0.36, color=_GREY, label="With interactions (total effect)"
    )
    for y, value in [*zip(position + 0.18, first, strict=True)] + [
        *zip(position - 0.18, total, strict=True)
    ]:
        axes.text(value + 1, y, f"{value:.0f}%", va="center", fontsize=8)
    axes.set_yticks(position, [CHOICE_LABELS.get(c, c) for c in rows["choice"]])
    axes.set_xlim(0, max(100.0, float(total.max()) + 10))
    axes.set_xlabel("Share of the variance of teams' ranks (%)")
    axes.set_ylabel("Choice in building the composite")
    axes.set_title(title or sensitivity_finding(sensitivity), fontsize=10, loc="left", wrap=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    return figure
