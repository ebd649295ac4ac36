"""The evaluation summary: one line per action or course and outcome, with its verdict.

Built from the interventions stage's tables *after* the disclosure gate, so a row hidden
there stays hidden here: the summary carries each source row's ``suppressed`` flag and is
published with ``gated=True``.
"""

from __future__ import annotations

import pandas as pd

from analysis.disclosure.derived import carry_mark
from analysis.disclosure.marks import mark_gated

__all__ = ["SUMMARY_COLUMNS", "evaluation_summary"]

SUMMARY_COLUMNS = [
    "evaluated",
    "id",
    "outcome",
    "primary",
    "design",
    "estimate",
    "ci_low",
    "ci_high",
    "unit",
    "p_value",
    "verdict",
    "suppressed",
]
"""The summary's columns, in order."""


def _hidden(table: pd.DataFrame) -> pd.Series:
    if "suppressed" in table.columns:
        return table["suppressed"].fillna(False).astype(bool)
    return pd.Series(False, index=table.index)


def _rows(table: pd.DataFrame, **columns: object) -> pd.DataFrame:
    """The summary's columns from ``table``: a column name or a constant for each.

    A summary column not given is read from ``table``'s column of the same name (``design``,
    ``ci_low``, ``verdict``...).
    """
    frame = pd.DataFrame(index=table.index)
    for name in SUMMARY_COLUMNS[:-1]:  # all but ``suppressed``, set below
        source = columns.get(name, name)
        frame[name] = table[source] if isinstance(source, str) and source in table else source
    frame["suppressed"] = _hidden(table)
    return frame


def evaluation_summary(
    action_outcomes: pd.DataFrame,
    its: pd.DataFrame,
    ratings: pd.DataFrame,
    results: pd.DataFrame,
) -> pd.DataFrame:
    """Every action's and course's estimates in one table, primary outcomes first.

    Parameters
    ----------
    action_outcomes
        The published ``action_outcomes`` (from
        :func:`~analysis.evaluation.register.action_outcomes`): each action's
        pre-registered survey items, ``primary`` marking the first outcome measure.
    its
        The published ``its`` table (from
        :func:`~analysis.evaluation.register.action_indicator_effects`): the level change
        rows are each action's pre-registered indicators, ``primary`` as above.
    ratings
        The published ``training`` table (from
        :func:`~analysis.evaluation.training.paired_ratings`, levels 2 and 3): the rows
        for :data:`~analysis.evaluation.training.ALL_MEASURES` are summarised.
    results
        The published ``training_results`` (from
        :func:`~analysis.evaluation.training.course_results`, level 4): the course's
        primary outcome, the survey items its register links it to.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: ``evaluated`` (``action`` or ``course``), ``id`` (the
        action ids, or the course id with its level 4 group), ``outcome`` (in words),
        ``primary`` (True for an action's first pre-registered outcome measure and a
        course's level 4 result on its register's items), ``design``, ``estimate``,
        ``ci_low``, ``ci_high`` (95%), ``unit``, ``p_value``, ``verdict`` and
        ``suppressed`` (True where the source row was hidden by the disclosure gate; its
        numbers are then missing). Sorted by what was evaluated, its id, primary first.
        With nothing evaluated yet it has no rows, and is marked as gated.
    """
    parts = []
    if len(action_outcomes):
        parts.append(
            _rows(
                action_outcomes,
                evaluated="action",
                id="action_ids",
                outcome=action_outcomes["item_id"].map("survey item {} (% positive)".format),
                unit="percentage points",
            )
        )
    levels = its.loc[its["term"] == "level_change"] if len(its) else its
    if len(levels):
        parts.append(
            _rows(
                levels,
                evaluated="action",
                id="action_ids",
                outcome=levels["indicator_id"].map("indicator {}: level change".format),
                unit="points (the indicator's unit)",
            )
        )
    pooled = ratings.loc[ratings["measure"] == "all measures"] if len(ratings) else ratings
    if len(pooled):
        raters = pooled["rater"].map({"self": "self-ratings", "line_manager": "line managers"})
        parts.append(
            _rows(
                pooled,
                evaluated="course",
                id="course_id",
                outcome="level "
                + pooled["level"]
                + ": "
                + raters
                + " (1-5), before against "
                + pooled["level"].map({"2 learning": "just after", "3 behaviour": "follow-up"}),
                primary=False,
                design="paired before and after (matched participants)",
                estimate="mean_change",
                unit="points on the 1-5 scale",
            )
        )
    if len(results):
        parts.append(
            _rows(
                results,
                evaluated="course",
                id=results["course_id"]
                + " (teams first surveyed "
                + results["first_survey_year"].astype(str)
                + ")",
                outcome="level 4 results: % positive on the register's survey items",
                primary=True,
                design="difference-in-differences (trained teams against teams that sent nobody)",
                unit="percentage points",
            )
        )
    if not parts:  # no rows, so nothing to hide: publishable like a gated table
        return mark_gated(pd.DataFrame(columns=SUMMARY_COLUMNS), "derived")
    summary = pd.concat(parts, ignore_index=True)[SUMMARY_COLUMNS]
    summary["course_id"] = summary["id"].str.split(" ").str[0]
    summary = summary.sort_values(
        ["evaluated", "course_id", "primary"], ascending=[True, True, False], kind="stable"
    )
    summary = summary.drop(columns="course_id").reset_index(drop=True)
    return carry_mark(summary, *(t for t in (action_outcomes, its, ratings, results) if len(t)))
