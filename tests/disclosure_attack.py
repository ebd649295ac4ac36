"""An independent attacker for published tables, used by the tests.

The attacker knows every published cell and every marginal total of the table (the sum over
any one dimension within each combination of the others, as if published elsewhere) and
solves the linear system for the hidden cells. It deliberately shares no code with
``analysis.disclosure``: it builds the constraint matrix row by row from plain dictionaries
and tests each hidden cell with a rank test, so a mistake in the gate is not repeated here.

Reference: Hundepool et al. (2012) *Statistical Disclosure Control*, Wiley, ch. 4: a cell
is exactly disclosed when it is determined by the linear system of published cells and
marginal totals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "recoverable_cells",
    "visible_small_counts",
    "read_published_table",
    "attack_published_table",
]

SUPPRESSED = "[c]"


def _key(value: object) -> object:
    """A hashable stand-in for a dimension value (missing values become None)."""
    return None if pd.isna(value) else value


def recoverable_cells(
    table: pd.DataFrame,
    count: str,
    dimensions: Sequence[str],
    *,
    for_each: Sequence[str] = (),
    original: pd.DataFrame | None = None,
) -> list[dict]:
    """List the hidden cells that an attacker can work out exactly.

    Parameters
    ----------
    table
        The table as published: a hidden cell has a missing count.
    count, dimensions
        The count column and the dimension columns.
    for_each
        Columns splitting the table into separate tables (attacked one by one).
    original
        The table before suppression, in the same row order. When given, each result also
        holds ``"recovered"``: the value the attacker computes, from the true marginal
        totals, for that hidden cell.

    Returns
    -------
    list of dict
        One dict per recoverable cell: its ``for_each`` and dimension values (and
        ``"recovered"`` when ``original`` is given).
    """
    if for_each and original is None:
        # Lines never cross ``for_each`` groups (each line's key holds the group's values), so
        # the constraint matrix is block-diagonal: attacking each group alone is the same
        # attack, without one dense matrix over the whole table.
        found: list[dict] = []
        for values, group in table.groupby(list(for_each), sort=False, dropna=False):
            where = dict(zip(for_each, values, strict=True))
            found += [
                {**where, **cell}
                for cell in recoverable_cells(group.reset_index(drop=True), count, dimensions)
            ]
        return found
    keys = list(for_each) + list(dimensions)
    rows = [tuple(_key(v) for v in record) for record in table[keys].itertuples(index=False)]
    hidden = table[count].isna().to_numpy()
    n_cells = len(rows)

    # One constraint per line: for each dimension, the cells sharing every other key.
    lines: dict[tuple, list[int]] = {}
    n_for_each = len(for_each)
    for position in range(n_for_each, len(keys)):
        for cell, row in enumerate(rows):
            others = row[:position] + row[position + 1 :]
            lines.setdefault((position, others), []).append(cell)
    constraints = np.zeros((len(lines), n_cells))
    for line_number, cells in enumerate(lines.values()):
        constraints[line_number, cells] = 1.0

    hidden_cells = [cell for cell in range(n_cells) if hidden[cell]]
    on_hidden = constraints[:, hidden_cells]
    base_rank = np.linalg.matrix_rank(on_hidden) if hidden_cells else 0

    if original is not None:
        truth = original[count].to_numpy(dtype=float)
        visible_cells = [cell for cell in range(n_cells) if not hidden[cell]]
        totals = constraints @ truth
        known = constraints[:, visible_cells] @ truth[visible_cells]
        solution = np.linalg.lstsq(on_hidden, totals - known, rcond=None)[0]

    found = []
    for column_number, cell in enumerate(hidden_cells):
        unit = np.zeros((1, len(hidden_cells)))
        unit[0, column_number] = 1.0
        if np.linalg.matrix_rank(np.vstack([on_hidden, unit])) == base_rank:
            result = dict(zip(keys, rows[cell], strict=True))
            if original is not None:
                result["recovered"] = float(np.round(solution[column_number], 6))
            found.append(result)
    return found


def visible_small_counts(table: pd.DataFrame, count: str, minimum: int) -> list[dict]:
    """The rows whose count is shown and is below ``minimum``."""
    counts = pd.to_numeric(table[count], errors="coerce")
    return table.loc[counts.notna() & (counts < minimum)].to_dict("records")


def read_published_table(csv_path: Path | str) -> tuple[pd.DataFrame, dict]:
    """Read a published table as a reader would: the CSV with hidden cells missing, and its JSON.

    Returns
    -------
    (pandas.DataFrame, dict)
        The table (every column read as text, ``[c]`` as missing; for a table whose
        metadata gives an empty ``suppressed_symbol``, empty cells too) and its metadata.
    """
    csv_path = Path(csv_path)
    metadata = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
    table = pd.read_csv(
        csv_path,
        dtype=str,
        keep_default_na=False,
        na_values=[SUPPRESSED, metadata.get("suppressed_symbol", SUPPRESSED)],
        encoding="utf-8-sig",
    )
    return table, metadata


def attack_published_table(csv_path: Path | str) -> dict[str, list]:
    """Attack one published table from its files alone.

    Returns
    -------
    dict
        ``recoverable``: hidden cells worked out by subtraction; ``small_counts``: shown
        counts below the minimum; ``values_shown_in_hidden_rows``: rows whose count is
        hidden but some value column is shown. All three should be empty.
    """
    table, metadata = read_published_table(csv_path)
    count = metadata["count"]
    if count is None:
        return {"recoverable": [], "small_counts": [], "values_shown_in_hidden_rows": []}
    hidden = table[count].isna()
    value_shown = table.loc[hidden, metadata["values"]].notna().any(axis=1)
    table[count] = pd.to_numeric(table[count])
    return {
        "recoverable": recoverable_cells(
            table, count, metadata["dimensions"], for_each=metadata.get("for_each", [])
        ),
        "small_counts": visible_small_counts(table, count, metadata["minimum"]),
        "values_shown_in_hidden_rows": table.loc[value_shown[value_shown].index].to_dict("records"),
    }
