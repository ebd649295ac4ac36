"""Change over time: every item against the previous year and against the first year.

Only years the questionnaire marks comparable are compared: a reworded (or new) item
starts a new series (:func:`analysis.datapackage.questionnaire.comparison_years`).
Unweighted figures are compared with the two-proportion z-test with pooled variance,
weighted figures with ``z = difference / sqrt(SE1^2 + SE2^2)``; p-values can be adjusted
across items.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.datapackage.questionnaire import comparison_years
from analysis.stats import two_proportion_test, weighted_difference_test
from analysis.survey.significance import flag_significant

__all__ = ["CHANGE_COLUMNS", "changes"]

CHANGE_COLUMNS = (
    "item_id",
    "group_type",
    "group",
    "year",
    "base_year",
    "pct",
    "base_pct",
    "diff_pp",
    "z",
    "p_value",
    "p_adjusted",
    "significant",
)
"""Columns of the ``changes`` table (with the default ``by``)."""


def changes(
    item_scores: pd.DataFrame,
    questionnaire: pd.DataFrame,
    by: Sequence[str] = ("group_type", "group"),
    weighted: bool = False,
    adjust: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Change in percent positive since the previous year and since the series' first year.

    Parameters
    ----------
    item_scores
        Item scores before suppression, from :func:`~analysis.survey.item_scores_by_group`
        (or :func:`~analysis.survey.score_items` with ``by`` its group columns).
    questionnaire
        The questionnaire (``year``, ``item_id``, ``comparable_with_previous``).
    by
        The columns that identify a group in ``item_scores``.
    weighted
        False: ``pct`` is the percent positive and the test the two-sided two-proportion
        z-test with pooled variance, whose p-value is R's ``prop.test(c(x1, x2), c(n1,
        n2), correct = FALSE)$p.value``. True: ``pct`` is the weighted percent positive and
        ``z = (p1 - p2) / sqrt(SE1^2 + SE2^2)`` (independent samples: respondents are not
        linked across years).
    adjust
        ``None`` (``p_adjusted`` equals ``p_value``), ``"holm"`` or ``"bh"``
        (Benjamini-Hochberg): p-values adjusted across the items of one group and one
        comparison (year against base year), as R's ``p.adjust``.
    alpha
        ``significant`` is ``p_adjusted < alpha``.

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS` (``by`` in place of ``group_type``, ``group``): one row per
        item, group, year and base year (the previous year the item was asked in the same
        series, then the series' first year when that is earlier). ``diff_pp`` is ``pct -
        base_pct`` in percentage points. Where a test cannot be done (no valid answer, or
        no variation at all) ``z`` and the p-values are missing and ``significant`` is
        False. A group absent in either year has no row.

    Examples
    --------
    45 of 60 positive this year against 30 of 60 last year: ``diff_pp = 25``, ``z =
    2.828``, ``p_value = 0.00468`` (R: ``prop.test(c(45, 30), c(60, 60), correct =
    FALSE)``).
    """
    by = list(by)
    figures = ["pct_positive_weighted", "se_weighted"] if weighted else ["n", "n_positive"]
    needed = ["year", *by, "item_id", *figures]
    missing = [column for column in needed if column not in item_scores.columns]
    if missing:
        raise ValueError(
            f"item_scores have no column(s) {missing}; they have {list(item_scores.columns)}"
        )
    scores = item_scores[needed]
    pairs = comparison_years(questionnaire)
    current = scores.merge(pairs, on=["item_id", "year"], sort=False)
    base = scores.rename(columns={"year": "base_year", **{f: f"base_{f}" for f in figures}})
    table = current.merge(base, on=["item_id", *by, "base_year"], sort=False)
    if weighted:
        table["pct"] = table["pct_positive_weighted"]
        table["base_pct"] = table["base_pct_positive_weighted"]
        diff, z, p_value = weighted_difference_test(
            table["pct"], table["se_weighted"], table["base_pct"], table["base_se_weighted"]
        )
    else:
        table["pct"] = 100 * table["n_positive"] / table["n"].where(table["n"] > 0)
        table["base_pct"] = (
            100 * table["base_n_positive"] / table["base_n"].where(table["base_n"] > 0)
        )
        diff, z, p_value = two_proportion_test(
            table["n_positive"], table["n"], table["base_n_positive"], table["base_n"]
        )
    table["diff_pp"], table["z"], table["p_value"] = diff, z, p_value
    table = flag_significant(table, [*by, "year", "base_year"], adjust, alpha)
    columns = ["item_id", *by, *CHANGE_COLUMNS[3:]]
    return table[columns].reset_index(drop=True)
