"""The interventions report's words: finding sentences, chart titles and alt texts.

Each function reads rows of a published (gated) table and says what they show, with the
interval read once by :mod:`analysis.evaluation.verdicts`; :mod:`analysis.evaluation.report`
puts them beside the tables and figures the notebook shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from analysis.evaluation import training, verdicts
from analysis.publishing import PublishedTable
from analysis.text_safety import markdown_list

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "NamedIndicator",
    "action_outcome_list",
    "action_trend_texts",
    "indicator_chart_texts",
    "training_changes_title",
]


class NamedIndicator(Protocol):
    """What a chart needs of an indicator's specification in ``indicators.yml``."""

    name: str
    unit: str


def action_outcome_list(shown: pd.DataFrame, hidden: pd.DataFrame, minimum: int) -> Markdown:
    """Each action's survey outcome in one line, with its verdict, and the hidden ones named.

    Parameters
    ----------
    shown, hidden
        The rows of the published ``action_outcomes`` the gate shows and hides.
    minimum
        The minimum group size, quoted for the hidden rows.

    Returns
    -------
    IPython.display.Markdown
        A list, one line per shown row ("primary outcome" or "secondary outcome"), then one
        line naming the hidden ``action_ids`` and items as ``[c]``.
    """
    lines = shown.assign(
        teams=shown["teams"].map(lambda teams: f": {teams}" if teams else ""),
        outcome=shown["primary"].map(
            lambda primary: "primary outcome" if primary else "secondary outcome"
        ),
    )
    return markdown_list(
        "- **{action_ids}** ({directorates}{teams}, {status}; prompted by {finding}), {outcome}: "
        "{summary}. Change {estimate:+.1f} points (95% interval {ci_low:.1f} to {ci_high:.1f}; "
        "{design}). *Verdict*: {verdict}.",
        lines,
        before="Every figure of each action's outcome is in the table `action_outcomes` (CSV and "
        "Excel workbook).\n\n",
        after="\n- {hidden}: [c] (fewer than {minimum} respondents)." if len(hidden) else "",
        hidden=", ".join(hidden["action_ids"] + " on " + hidden["item_id"]),
        minimum=minimum,
    )


def action_trend_texts(action: Any) -> tuple[str, str]:
    """The title and alt text of an action's chart of targeted against comparison units.

    Parameters
    ----------
    action
        A row of the published ``action_outcomes`` with a difference-in-differences
        (attributes ``action_ids``, ``item_id``, ``unit``, ``teams``, ``directorates``,
        ``first_year_after``, ``estimate``, ``ci_low``, ``ci_high``).

    Returns
    -------
    title, alt : str
        The finding read from the whole interval (:func:`~analysis.evaluation.verdicts.
        comparison_finding`) with the estimate, e.g. "AP2005-1: appraisal had rose more in
        the targeted directorates than elsewhere from 2006 (+9 points)", and the alt text
        describing the chart and repeating the finding.
    """
    item = action.item_id.replace("_", " ")
    units = "teams" if action.unit == "team" else "directorates"
    where = action.teams if action.unit == "team" else action.directorates
    finding = verdicts.comparison_finding(action.ci_low, action.ci_high, units)
    title = (
        f"{action.action_ids}: {item} {finding} from {action.first_year_after} "
        f"({action.estimate:+.0f} points)"
    )
    alt = (
        f"Line chart of the percentage of respondents answering {item} positively each year "
        f"in the {units} targeted by {action.action_ids} ({where}) and in the comparison "
        f"{units}, with 95% intervals and the action marked: {item} {finding} "
        f"({action.estimate:+.0f} points)."
    )
    return title, alt


def indicator_chart_texts(
    level_change: Any, spec: NamedIndicator | None, compared: bool
) -> tuple[str, str, str]:
    """The title, axis label and alt text of an action's interrupted-time-series chart.

    Parameters
    ----------
    level_change
        A ``level_change`` row of the published ``its`` (``action_ids``, ``indicator_id``,
        ``estimate``, ``ci_low``, ``ci_high``).
    spec
        The indicator's specification in ``indicators.yml`` (its name and unit), or
        ``None`` when it has none (its id is shown instead).
    compared
        Whether the chart also draws the comparison teams.

    Returns
    -------
    title, ylabel, alt : str
        Whether the indicator rose or fell when the action started (the point estimate,
        with its 95% interval), the indicator's name with its unit, and the alt text.
    """
    name = spec.name if spec else level_change.indicator_id.replace("_", " ")
    unit = f" ({spec.unit})" if spec else ""
    jump = "rose" if level_change.estimate > 0 else "fell"
    size = f"{abs(level_change.estimate):.1f}"
    interval = f"{level_change.ci_low:.1f} to {level_change.ci_high:.1f}"
    title = (
        f"{level_change.action_ids}: {name} {jump} {size} points when the action started "
        f"({interval})"
    )
    alt = (
        f"Monthly {name} in the teams targeted by {level_change.action_ids}"
        + (" and in the comparison teams" if compared else "")
        + ", with the fitted segmented regression and the line expected without the action: "
        f"it {jump} {size} points when the action started (95% interval {interval})."
    )
    return title, f"{name}{unit}", alt


def training_changes_title(published: PublishedTable) -> str:
    """The finding of the levels 2 and 3 chart: did every course's ratings rise clearly?

    Parameters
    ----------
    published
        The published ``training`` table (levels 2 and 3, one row per course, level, rater
        and measure, with the pooled measure :data:`~analysis.evaluation.training.
        ALL_MEASURES`).

    Returns
    -------
    str
        "After every course, the ratings over all measures rose clearly (levels 2 and 3)"
        when every pooled row's interval is above zero
        (:func:`~analysis.evaluation.verdicts.clear_direction`), else "Not every course's
        ratings rose clearly"; then how many shown rows did not rise clearly, if any.
    """
    data = published.data
    rose = pd.Series(
        [
            verdicts.clear_direction(low, high) == "rise"
            for low, high in zip(data["ci_low"], data["ci_high"], strict=True)
        ],
        index=data.index,
    )
    pooled_rose = rose[data["measure"] == training.ALL_MEASURES]
    title = (
        "After every course, the ratings over all measures rose clearly (levels 2 and 3)"
        if pooled_rose.all()
        else "Not every course's ratings rose clearly"
    )
    unclear = int((~rose & ~published.suppressed).sum())
    if unclear:
        title += f"; {unclear} single measure(s) did not rise clearly"
    return title
