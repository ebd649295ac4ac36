"""An attacker that combines published tables of different stages, packs and years.

It reads a run folder's CSVs as any reader could, and shares no code with ``analysis``:

* :func:`recoverable_counts`: the respondents (``n``) of one item in one year, as published
  by the survey stage (organisation, directorates, staff groups, directorate x staff group
  cells) and by every directorate pack (the group, the rest of the organisation, the group's
  subgroups), are linear equations over the directorate x staff group cells. A hidden figure
  whose vector lies in the row space of the published ones is recovered exactly (rank test).
* :func:`cross_year_leaks`: a shown change between two years (``pct``, ``base_pct``,
  ``diff_pp``) next to a group's item score hidden in either year gives the hidden figure
  back (this year = last year + change).

Reference: Hundepool et al. (2012) *Statistical Disclosure Control*, Wiley, ch. 4 (a cell
is disclosed when the published linear system determines it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["cross_year_leaks", "pack_tables", "published_equations", "recoverable_counts"]

CROSSING = "directorate x staff_group"


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=["", "[c]"])


def pack_tables(run: Path, name: str) -> list[pd.DataFrame]:
    """Every directorate pack's table ``name`` in a run folder."""
    folder = run / "packs" / "directorate"
    return [_read(path) for path in sorted(folder.rglob(f"{name}.csv"))]


def published_equations(
    scores: pd.DataFrame,
    packs_against: list[pd.DataFrame],
    packs_subgroups: list[pd.DataFrame],
    year: int,
    item_id: str,
) -> tuple[list[str], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The published and the hidden counts of one item and year, as vectors over the cells.

    Returns
    -------
    cells, published, hidden
        The directorate x staff group cells (``"D | S"``), and for each published and each
        hidden figure its vector of coefficients over the cells.
    """
    rows = scores[(scores["year"] == year) & (scores["item_id"] == item_id)]
    crossing = rows[rows["group_type"] == CROSSING]
    cells = list(crossing["group"])
    parts = [cell.split(" | ") for cell in cells]

    def vector(directorate: str | None = None, staff_group: str | None = None) -> np.ndarray:
        return np.array(
            [(directorate in (None, d)) and (staff_group in (None, s)) for d, s in parts],
            dtype=float,
        )

    published: dict[str, np.ndarray] = {}
    hidden: dict[str, np.ndarray] = {}
    for row in rows.itertuples():
        if row.group_type == "organisation":
            target = vector()
        elif row.group_type == "directorate":
            target = vector(directorate=row.group)
        elif row.group_type == "staff_group":
            target = vector(staff_group=row.group)
        elif row.group_type == CROSSING:
            directorate, staff_group = row.group.split(" | ")
            target = vector(directorate, staff_group)
        else:
            continue
        name = f"item_scores {row.group_type} {row.group}"
        (hidden if pd.isna(row.n) else published)[name] = target
    for table in packs_against:
        mine = table[(table["year"] == year) & (table["item_id"] == item_id)]
        for row in mine.itertuples():
            if pd.notna(row.n):
                published[f"pack {row.group}"] = vector(directorate=row.group)
            if pd.notna(getattr(row, "rest_n", np.nan)):
                published[f"pack rest of {row.group}"] = vector() - vector(directorate=row.group)
    for table in packs_subgroups:
        mine = table[(table["year"] == year) & (table["item_id"] == item_id)]
        for row in mine[mine["n"].notna()].itertuples():
            if row.group_type == CROSSING:
                directorate, staff_group = row.group.split(" | ")
                published[f"pack cell {row.group}"] = vector(directorate, staff_group)
    return cells, published, hidden


def recoverable_counts(
    published: dict[str, np.ndarray], hidden: dict[str, np.ndarray]
) -> list[str]:
    """The hidden figures that the published ones determine exactly (rank test)."""
    if not published:
        return []
    matrix = np.vstack(list(published.values()))
    rank = np.linalg.matrix_rank(matrix)
    return [
        name
        for name, target in hidden.items()
        if target.any() and np.linalg.matrix_rank(np.vstack([matrix, target])) == rank
    ]


def cross_year_leaks(scores: pd.DataFrame, changes: pd.DataFrame) -> list[tuple]:
    """Hidden item scores that a shown change between years gives back.

    Returns ``(group_type, group, item_id, year, recovered percent)`` for every shown change
    whose group's score is hidden in its year or its base year: the hidden percentage is
    the other year's published one plus (or minus) the change.
    """
    shown = scores.set_index(["group_type", "group", "item_id", "year"])["pct_positive"]
    leaks = []
    for row in changes[changes["diff_pp"].notna()].itertuples():
        key = (row.group_type, row.group, row.item_id)
        this_year = shown.get((*key, row.year))
        base_year = shown.get((*key, row.base_year))
        if pd.isna(this_year) and pd.notna(base_year):
            leaks.append((*key, row.year, round(base_year + row.diff_pp, 1)))
        if pd.isna(base_year) and pd.notna(this_year):
            leaks.append((*key, row.base_year, round(this_year - row.diff_pp, 1)))
    return leaks
