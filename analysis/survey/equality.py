"""Equality groups: percent positive for BME against white staff, disabled against not.

The NHS Workforce Race Equality Standard (WRES) and Workforce Disability Equality Standard
(WDES) compare staff survey results of Black and minority ethnic (BME) staff with white
staff, and of disabled staff with non-disabled staff. The data package's ``ethnicity``
column holds finer categories (``White British``, ``Asian or Asian British``...), so the
survey stage publishes the two-group comparison as a table of its own, ``equality_groups``:
for every year and question, the percent positive of each side of each comparison.

Who is on which side (:data:`COMPARISONS`): an ethnicity starting with "White" is white;
"Not stated", blank and "Prefer not to say" are on neither side; every other ethnicity is
BME. A disability of "Yes" is disabled, "No" is non-disabled, anything else neither.

Disclosure control. The fine breakdown (``item_scores`` by ethnicity) is already published
with some categories hidden. Publishing the two sides' totals as well tells readers the sum
of the hidden categories on each side, and (by subtraction from the organisation's row) the
sum of the hidden categories on neither side. So a question's pair of rows is published only
when both sides have at least the minimum group size and each of those three sums of hidden
categories is either empty, or covers at least two categories with together at least the
minimum number of respondents and at least the protection level of positive and of other
answers (the rules :mod:`analysis.survey.suppression` applies to the hidden cells of a
line); otherwise both rows are hidden, except a side whose categories
``item_scores`` all shows: its figures are sums of published cells, so hiding it protects
nothing (and the whole-run audit finds it pinned to its value, a failure of its rule).

References
----------
NHS England (2023). Workforce Race Equality Standard: technical guidance, indicators 5-8.
NHS England (2023). Workforce Disability Equality Standard: technical guidance, metrics 4-9.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.equality_sides import COMPARISONS, NEITHER, Comparison
from analysis.disclosure.marks import mark_gated
from analysis.disclosure.protection import protection_for
from analysis.survey.counts import count_answers
from analysis.survey.scores import score_items, valid_counts

_STRUCTURE = (
    "equality groups: both sides of a pair at least the minimum, and each side's hidden "
    "ethnicity or disability categories none or together at least the minimum"
)


__all__ = ["COMPARISONS", "EQUALITY_COLUMNS", "Comparison", "equality_groups"]

EQUALITY_COLUMNS = (
    "year",
    "item_id",
    "comparison",
    "side",
    "group",
    "n",
    "n_positive",
    "pct_positive",
    "ci_low",
    "ci_high",
    "suppressed",
)
"""Columns of :func:`equality_groups`."""


def _fine_counts(counts: pd.DataFrame, questionnaire: pd.DataFrame, column: str) -> pd.DataFrame:
    fine = valid_counts(counts, questionnaire, [column])
    fine = fine.astype({column: str, "item_id": str})
    return fine[["year", column, "item_id", "n", "n_positive"]]


def _atom_is_safe(cells: pd.DataFrame, minimum: int) -> bool:
    """Hidden categories on one side: none, or at least two with ``minimum`` respondents
    together, holding at least the protection level of positive answers and of other
    answers (rule 4 of ``docs/disclosure.md``: with the side's published figures, the
    hidden categories' answers add up to the side's minus the shown categories'; fewer
    than the protection level of one kind pins each hidden category's count near 0)."""
    if cells.empty:
        return True
    level = protection_for(minimum)
    n, positive = cells["n"].sum(), cells["n_positive"].sum()
    return len(cells) >= 2 and n >= minimum and min(positive, n - positive) >= level


def equality_groups(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    gated_item_scores: pd.DataFrame,
    minimum: int,
    comparisons: Sequence[Comparison] = COMPARISONS,
) -> pd.DataFrame:
    """Percent positive of each side of each equality comparison, through the gate.

    Parameters
    ----------
    responses, questionnaire
        The data package's tables (as for :func:`analysis.survey.count_answers`).
    gated_item_scores
        The ``item_scores`` table after :func:`analysis.survey.suppress_survey_tables`:
        which categories of the fine breakdown (``group_type == column``) are hidden. Only
        its years are compared.
    minimum
        The minimum group size.
    comparisons
        The comparisons; those whose column the responses lack are left out.

    Returns
    -------
    pandas.DataFrame
        :data:`EQUALITY_COLUMNS`: per year, item and comparison two rows (``side`` is
        ``group`` or ``reference``), both with ``suppressed`` True and their figures
        blank when the pair cannot be published (see the module's notes).
    """
    parts = []
    responses = responses.loc[responses["year"].isin(set(gated_item_scores["year"]))]
    hidden = gated_item_scores.loc[gated_item_scores["suppressed"].astype(bool)]
    for comparison in comparisons:
        column = comparison.column
        if column not in responses.columns:
            continue
        sides = responses[column].map(comparison.side).rename("equality_side")
        with_side = pd.concat([responses, sides], axis=1)
        counts = count_answers(with_side, questionnaire, [column, "equality_side"])
        scores = score_items(counts, questionnaire, ["equality_side"])
        scores = scores.astype({"equality_side": str, "item_id": str})
        scores = scores.loc[scores["equality_side"] != NEITHER]
        fine = _fine_counts(counts, questionnaire, column)
        fine["side"] = fine[column].map(comparison.side)
        fine_hidden = hidden.loc[hidden["group_type"] == column, ["year", "group", "item_id"]]
        fine = fine.merge(
            fine_hidden.assign(hidden=True).astype({"group": str, "item_id": str}),
            left_on=["year", column, "item_id"],
            right_on=["year", "group", "item_id"],
            how="left",
        )
        fine["hidden"] = fine["hidden"].fillna(False).astype(bool)
        fine_shown = gated_item_scores.loc[
            (gated_item_scores["group_type"] == column)
            & ~gated_item_scores["suppressed"].astype(bool),
            ["year", "group", "item_id"],
        ].astype({"group": str, "item_id": str})
        shown_keys = set(fine_shown.itertuples(index=False, name=None))
        fine["published"] = [
            (y, str(g), str(i)) in shown_keys
            for y, g, i in zip(fine["year"], fine[column], fine["item_id"], strict=True)
        ]
        safe, sums_of_shown = {}, {}
        for (year, item_id), cells in fine.groupby(["year", "item_id"], sort=False):
            hidden_cells = cells.loc[cells["hidden"]]
            safe[(year, item_id)] = all(
                _atom_is_safe(hidden_cells.loc[hidden_cells["side"] == side], minimum)
                for side in (comparison.group, comparison.reference, NEITHER)
            )
            answered = cells.loc[cells["n"] > 0]
            sums_of_shown[(year, item_id)] = {
                side
                for side in (comparison.group, comparison.reference)
                if answered.loc[answered["side"] == side, "published"].all()
            }
        for (year, item_id), pair in scores.groupby(["year", "item_id"], sort=False):
            published = (
                safe.get((year, item_id), False)
                and len(pair) == 2
                and bool((pair["n"] >= minimum).all())
            )
            # A side none of whose categories item_scores hides is a sum of published
            # cells: hiding it protects nothing, and the audit would find it pinned.
            shown_anyway = pair["equality_side"].isin(sums_of_shown.get((year, item_id), ()))
            rows = pair.assign(
                comparison=column,
                side=np.where(pair["equality_side"] == comparison.group, "group", "reference"),
                group=pair["equality_side"],
                suppressed=~(published | shown_anyway),
            )
            parts.append(rows)
    if not parts:
        return mark_gated(pd.DataFrame(columns=list(EQUALITY_COLUMNS)), _STRUCTURE)
    table = pd.concat(parts, ignore_index=True)[list(EQUALITY_COLUMNS)]
    figures = ["n", "n_positive", "pct_positive", "ci_low", "ci_high"]
    table[figures] = table[figures].astype(float).mask(table["suppressed"])
    order = {"group": 0, "reference": 1}
    table = table.assign(side_order=table["side"].map(order))
    table = table.sort_values(["year", "comparison", "item_id", "side_order"])
    return mark_gated(table.drop(columns="side_order").reset_index(drop=True), _STRUCTURE)
