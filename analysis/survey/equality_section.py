"""The equality section of ``survey.html``: each equality group against the rest of the staff.

Not the disclosure-gated ``equality_groups`` table (BME against white, disabled against
non-disabled staff), which :mod:`analysis.survey.equality` makes and gates; this module
only chooses and describes rows of tables already published.

The NHS Workforce Race Equality Standard and Workforce Disability Equality Standard compare
the survey answers of BME and disabled staff with those of other staff (harassment,
bullying or abuse; discrimination). The survey stage already tests every group against
the rest of the organisation (:func:`analysis.survey.group_differences`, a two-proportion
z-test, adjusted for multiple testing as the run's ``adjust`` parameter says); this module
picks, from those **published (gated)** tables, the rows of the equality breakdowns (every
group column of the data package other than directorate and staff group) and says in one
sentence what they show.

References
----------
.. [1] NHS England (2023), *Workforce Race Equality Standard: technical guidance*.
.. [2] NHS England (2023), *Workforce Disability Equality Standard: technical guidance*.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["EQUALITY_COLUMNS", "equality_breakdowns", "equality_differences", "equality_finding"]

EQUALITY_COLUMNS = (
    "group_type",
    "group",
    "question",
    "n",
    "pct",
    "rest_pct",
    "diff_pp",
    "p_value",
    "p_adjusted",
)
"""The columns of :func:`equality_differences` shown in the report."""

_ORGANISATIONAL = ("directorate", "staff_group")


def equality_breakdowns(group_columns: Sequence[str]) -> list[str]:
    """The data package's equality group columns: every group column but directorate and
    staff group (which the report shows on their own).

    Examples
    --------
    >>> equality_breakdowns(["directorate", "staff_group", "age_band", "ethnicity"])
    ['age_band', 'ethnicity']
    """
    return [column for column in group_columns if column not in _ORGANISATIONAL]


def equality_differences(
    group_differences: pd.DataFrame,
    year: int,
    breakdowns: Sequence[str],
    *,
    significant_only: bool = True,
    strongest: int | None = None,
) -> pd.Series:
    """Which rows of the published group-against-the-rest table belong to the equality section.

    Parameters
    ----------
    group_differences
        The published (gated) ``group_differences`` table's data.
    year
        The report year.
    breakdowns
        :func:`equality_breakdowns`.
    significant_only
        Only the differences significant after adjustment (and not suppressed).
    strongest
        Keep only this many rows, those with the strongest evidence (smallest adjusted
        p-value, then the largest difference either way): the key table of the section
        (the full list is in ``group_differences.csv``). Ordering by the size of the
        difference alone would favour the smallest groups, whose estimates vary most.

    Returns
    -------
    pandas.Series
        A boolean mask over ``group_differences``, for
        :func:`analysis.survey.stage.published_rows`.
    """
    rows = (group_differences["year"] == year) & group_differences["group_type"].isin(
        list(breakdowns)
    )
    if significant_only:
        shown = ~group_differences["suppressed"].astype(bool)
        rows &= shown & group_differences["significant"].fillna(False).astype(bool)
    if strongest is not None and rows.sum() > strongest:
        chosen = group_differences.loc[rows]
        p_column = "p_adjusted" if "p_adjusted" in chosen.columns else "p_value"
        ranked = chosen.assign(size=-chosen["diff_pp"].abs()).sort_values([p_column, "size"])
        rows &= group_differences.index.isin(ranked.index[:strongest])
    return rows


def equality_finding(
    group_differences: pd.DataFrame,
    rows: pd.Series,
    labels: pd.DataFrame,
    year: int,
    adjustment: str,
) -> str:
    """One sentence: how many equality differences are significant, and the largest negative.

    Parameters
    ----------
    group_differences, rows
        The published table's data and :func:`equality_differences`' mask over it.
    labels
        :func:`analysis.survey.stage.item_labels`, for the question numbers.
    year
        The report year.
    adjustment
        How the p-values were adjusted, in words (``"Holm-adjusted"``, ``"not adjusted"``).

    Examples
    --------
    >>> table = pd.DataFrame({"group_type": ["ethnicity"], "group": ["BME"], "item_id": ["a"],
    ...                       "diff_pp": [-12.04]})
    >>> labels = pd.DataFrame({"item_id": ["a"], "question_number": ["Q14b"]})
    >>> sentence = equality_finding(table, pd.Series([True]), labels, 2008, "not adjusted")
    >>> sentence.startswith("In 2008, 1 difference between an equality group and the rest")
    True
    >>> sentence.endswith("(p-values not adjusted); the largest shortfall: BME (ethnicity) on "
    ...                   "Q14b, -12.0 points.")
    True
    """
    chosen = group_differences[rows.to_numpy()]
    if chosen.empty:
        return (
            f"In {year}, no equality group differed significantly from the rest of the "
            f"organisation on any question (p-values {adjustment})."
        )
    numbers = labels.set_index("item_id")["question_number"]
    count = len(chosen)
    noun = "difference" if count == 1 else "differences"
    verb = "was" if count == 1 else "were"
    sentence = (
        f"In {year}, {count} {noun} between an equality group and the rest of the "
        f"organisation {verb} significant (p-values {adjustment})"
    )
    lower = chosen[chosen["diff_pp"] < 0]
    if lower.empty:
        return sentence + "; none showed a group less positive than the rest."
    worst = lower.loc[lower["diff_pp"].idxmin()]
    breakdown = str(worst["group_type"]).replace("_", " ")
    return (
        f"{sentence}; the largest shortfall: {worst['group']} ({breakdown}) on "
        f"{numbers.get(worst['item_id'], worst['item_id'])}, {worst['diff_pp']:+.1f} points."
    )
