"""Primary and secondary suppression of one table's cells.

A figure based on fewer than the minimum group size of respondents (``minimum_group_size``
in the data package's ``dataset.yml``; 11 in the NHS Staff Survey) is never shown, and
neither is any figure that would let a reader work a hidden one out by subtraction from
totals published elsewhere.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import bmat, coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsqr

from analysis.disclosure.marks import mark_gated

__all__ = [
    "DisclosureWarning",
    "suppress_small_groups",
]

_ADDED_COLUMNS = ("suppressed", "suppression")
_ROW_SPACE_TOLERANCE = 1e-9
_DENSE_LIMIT = 400  # hidden cells in one component; larger ones use sparse LSQR
_NULL_VECTOR_TOLERANCE = 1e-9
_FREE_TOLERANCE = 1e-8


class DisclosureWarning(UserWarning):
    """A hidden figure can still be worked out from marginal totals, whatever else is hidden.

    This happens when a group has a single row along some dimension (for example a
    directorate with only one staff group): that row *is* the group's total. Merge small
    categories or drop the dimension, and make sure the total itself is never published
    ungated.
    """


def suppress_small_groups(
    table: pd.DataFrame,
    *,
    count: str,
    dimensions: Sequence[str],
    values: Sequence[str] | None = None,
    minimum: int,
    labels: Sequence[str] = (),
    for_each: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide figures based on fewer than ``minimum`` respondents, and any that would reveal them.

    Parameters
    ----------
    table
        A tidy table with one row per cell: the dimension columns, a count column and the
        figures derived from that count.
    count
        The column holding the number of respondents each row's figures are based on.
    dimensions
        The columns that break the total down (e.g. ``["directorate", "staff_group"]``).
        Each is treated as a complete partition of a total that may be published elsewhere.
        May be empty only for a table of at most one row.
    values
        The figures derived from the count (percentages, scores, intervals, rates...): they
        are hidden wherever the count is. ``None`` (the default, and the safe choice) means
        every column that is not the count, a dimension, a label or a ``for_each`` column.
        When given explicitly, every other column must be named as a label, so that no
        figure is left visible by oversight.
    minimum
        The minimum group size; rows with a count below it are suppressed. Required: it
        comes from the data package's ``dataset.yml`` (``minimum_group_size``) only.
    labels
        Descriptive columns that do not depend on who responded (e.g. question wording);
        they stay visible.
    for_each
        Columns that split the table into separate tables (e.g. ``item_id``): suppression
        is done within each, and they are not treated as partitions of a total.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` in which the count and every value column are missing (``<NA>``
        or ``NaN``, never 0) in suppressed rows, with two added columns: ``suppressed``
        (boolean) and ``suppression`` (``"primary"``, ``"secondary"`` or ``""``). Integer
        columns become nullable ``Int64``.

    Raises
    ------
    ValueError
        If a named column is missing or named twice, if the count is not numeric, missing
        or negative, if two rows share the same dimension values, or if a column's role is
        not stated.

    Warns
    -----
    DisclosureWarning
        If some suppressed row can be worked out from marginal totals whatever else is
        hidden (a group with a single row along a dimension).

    Notes
    -----
    *Primary suppression* hides every row whose count is below ``minimum``, **including a
    count of 0**. This is the safe choice: the NHS Staff Survey suppresses results "with
    fewer than 11 responses" without exception, a published 0 tells readers that none of a
    (possibly tiny, identifiable) group responded or gave an answer, and a rule with no
    exception cannot be misapplied.

    *Secondary (complementary) suppression* stops subtraction. Every dimension is taken as
    a complete partition of a total that may be published elsewhere: within each group of
    rows that share all other dimensions' values (a *line* of the table), if exactly one
    row is suppressed, the unsuppressed row with the smallest count is suppressed too (ties
    go to the row whose dimension values sort first). This is repeated over all dimensions
    until nothing changes, so two- and three-way tables are safe along rows and columns.

    The line rule alone is not always enough: in a two-way table, two blocks of hidden
    cells joined by a single hidden cell leave that cell recoverable by combining several
    lines. So the pattern is then audited as an attacker would: a hidden cell is
    recoverable when its unit vector lies in the row space of the marginal-total
    constraints restricted to hidden cells (checked component by component: exactly, by
    singular value decomposition, for up to 400 hidden cells; beyond that by random
    null-space vectors found with sparse LSQR, verified, and read conservatively). While
    any cell is recoverable, the unsuppressed row with the smallest count that shares a
    line with it is suppressed too, and the line rule runs again. Cells that stay
    recoverable even with everything hidden cannot be protected by this table and raise
    a :class:`DisclosureWarning`.

    Rows absent from ``table`` are treated as structurally empty: if a group exists but had
    no respondents, include it as a row with count 0 so that it is suppressed.

    References
    ----------
    .. [1] NHS Staff Survey Coordination Centre, technical guide to the benchmark reports:
       results with fewer than 11 responses are suppressed.
    .. [2] Government Statistical Service / Analysis Function, "Statistical disclosure
       control" guidance: primary and secondary cell suppression of tables; the symbol
       ``[c]`` for confidential figures.
    .. [3] Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S.,
       Spicer, K. and de Wolf, P.-P. (2012) *Statistical Disclosure Control*. Wiley,
       ch. 4 (secondary cell suppression) and ch. 5 (frequency tables).

    Examples
    --------
    >>> table = pd.DataFrame({"directorate": ["A", "B", "C", "D"], "n": [5, 20, 30, 40],
    ...                       "percent_positive": [60.0, 55.0, 70.0, 65.0]})
    >>> out = suppress_small_groups(table, count="n", dimensions=["directorate"], minimum=11)
    >>> out["suppression"].tolist()
    ['primary', 'secondary', '', '']
    """
    values = _check_columns(table, count, dimensions, values, labels, for_each)
    if isinstance(minimum, bool) or not isinstance(minimum, (int, np.integer)) or minimum < 1:
        raise ValueError(f"minimum must be a whole number of at least 1, got {minimum!r}")
    counts = _check_counts(table, count)
    _check_one_row_per_cell(table, dimensions, for_each)

    primary = counts < minimum
    hidden = primary.copy()
    if dimensions:
        keys = list(for_each) + list(dimensions)
        line_ids = _line_ids(table, list(dimensions))
        rank = _complement_rank(table, counts, keys)
        levels = [pd.factorize(table[name], use_na_sentinel=False)[0] for name in dimensions]
        unprotected = np.zeros(len(table), dtype=bool)
        for rows in _separate_tables(table, list(for_each)):
            if not hidden[rows].any():
                continue  # nothing to protect in this table
            lines = _renumber_lines([ids[rows] for ids in line_ids])
            complete = _is_complete_grid([codes[rows] for codes in levels])
            hidden[rows], unprotected[rows] = _protect(
                lines, hidden[rows], rank[rows], complete=complete
            )
        if unprotected.any():
            examples = table.loc[unprotected, keys].head(5).to_dict("records")
            warnings.warn(
                f"{int(unprotected.sum())} suppressed row(s) equal or can be worked out from "
                f"marginal totals whatever else is hidden, e.g. {examples}; these groups have "
                "a single row along some dimension. Merge small categories or drop the "
                "dimension, and never publish those totals ungated.",
                DisclosureWarning,
                stacklevel=2,
            )

    result = table.copy()
    for column in [count, *values]:
        result[column] = _nullable(result[column]).mask(hidden)
    result["suppressed"] = hidden
    result["suppression"] = pd.Series(
        np.where(primary, "primary", np.where(hidden, "secondary", "")),
        index=result.index,
        dtype="string",
    )
    return mark_gated(result, "cells")


def _check_columns(
    table: pd.DataFrame,
    count: str,
    dimensions: Sequence[str],
    values: Sequence[str] | None,
    labels: Sequence[str],
    for_each: Sequence[str],
) -> list[str]:
    """Check that every named column exists once and return the value columns."""
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    for argument, names in [("dimensions", dimensions), ("labels", labels), ("for_each", for_each)]:
        if isinstance(names, str):
            raise ValueError(f"{argument} must be a list of column names, got the string {names!r}")
    if isinstance(values, str):
        raise ValueError(f"values must be a list of column names, got the string {values!r}")
    roles: dict[str, str] = {}
    named = [(count, "count")]
    named += [(name, "dimension") for name in dimensions]
    named += [(name, "label") for name in labels]
    named += [(name, "for_each") for name in for_each]
    named += [(name, "value") for name in values or ()]
    for name, role in named:
        if name not in table.columns:
            raise ValueError(
                f"{role} column {name!r} is not in the table; its columns are "
                f"{', '.join(map(str, table.columns))}"
            )
        if name in roles:
            raise ValueError(f"column {name!r} is named both as {roles[name]} and as {role}")
        roles[name] = role
    for name in _ADDED_COLUMNS:
        if name in table.columns:
            raise ValueError(
                f"the table already has a {name!r} column: it looks already suppressed; "
                "pass the table before suppression"
            )
    unstated = [name for name in table.columns if name not in roles]
    if values is None:
        return unstated
    if unstated:
        raise ValueError(
            f"column(s) {', '.join(map(repr, unstated))} are not named as a dimension, value "
            "or label: add figures to values (they are hidden with the count) and "
            "descriptive text to labels"
        )
    return list(values)


def _check_counts(table: pd.DataFrame, count: str) -> np.ndarray:
    """Return the counts as floats after checking they are numeric, present and >= 0."""
    column = table[count]
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        raise ValueError(
            f"count column {count!r} must hold numbers of respondents, but its type is "
            f"{column.dtype}"
        )
    missing = column.isna().to_numpy()
    if missing.any():
        rows = list(table.index[missing][:5])
        raise ValueError(
            f"count column {count!r} is missing in row(s) {rows}: a group with no "
            "respondents should have count 0"
        )
    counts = column.to_numpy(dtype=float)
    negative = counts < 0
    if negative.any():
        rows = list(table.index[negative][:5])
        raise ValueError(
            f"count column {count!r} is negative in row(s) {rows}: counts of respondents "
            "cannot be below 0"
        )
    return counts


def _check_one_row_per_cell(
    table: pd.DataFrame, dimensions: Sequence[str], for_each: Sequence[str]
) -> None:
    """Raise ValueError unless the dimension values identify each row."""
    keys = list(for_each) + list(dimensions)
    if not keys:
        if len(table) > 1:
            raise ValueError(
                f"the table has {len(table)} rows but no dimensions: name the columns that "
                "tell its rows apart (e.g. dimensions=['directorate'])"
            )
        return
    repeated = table.duplicated(subset=keys, keep=False).to_numpy()
    if repeated.any():
        example = table.loc[repeated, keys].iloc[0].to_dict()
        raise ValueError(
            f"{int(repeated.sum())} rows share their values of {keys} (e.g. {example}): "
            "the table must have one row per cell; add the missing dimension, or for_each "
            "for columns such as item_id that split it into separate tables"
        )


def _nullable(column: pd.Series) -> pd.Series:
    """Return ``column`` with a dtype that can hold a missing value without changing type."""
    if pd.api.types.is_bool_dtype(column) and column.dtype == bool:
        return column.astype("boolean")
    if pd.api.types.is_integer_dtype(column) and not isinstance(
        column.dtype, pd.api.extensions.ExtensionDtype
    ):
        return column.astype("Int64")
    return column


def _line_ids(table: pd.DataFrame, dimensions: list[str]) -> list[np.ndarray]:
    """For each dimension, which line each row is on.

    A line of dimension ``d`` is a group of rows sharing the values of every other
    dimension: its cells add up to a total that may be published elsewhere.
    """
    line_ids = []
    for dimension in dimensions:
        others = [name for name in dimensions if name != dimension]
        if others:
            ids = table.groupby(others, dropna=False, sort=False).ngroup().to_numpy()
        else:
            ids = np.zeros(len(table), dtype=np.int64)
        line_ids.append(ids)
    return line_ids


def _renumber_lines(line_ids: list[np.ndarray]) -> list[np.ndarray]:
    """Number lines 0, 1, 2... across all dimensions, keeping them distinct.

    The numbers then index the rows of one constraint matrix: line ``l`` says "the cells
    of line ``l`` add up to a known total".
    """
    renumbered = []
    offset = 0
    for ids in line_ids:
        _, local = np.unique(ids, return_inverse=True)
        renumbered.append(local + offset)
        offset += int(local.max()) + 1 if local.size else 0
    return renumbered


def _complement_rank(table: pd.DataFrame, counts: np.ndarray, keys: list[str]) -> np.ndarray:
    """Rank rows for complementary suppression: smallest count first, then by key values."""
    tie_break = np.array(
        ["\x1f".join(map(str, row)) for row in table[keys].itertuples(index=False)],
        dtype=object,
    )
    order = np.lexsort((tie_break, counts))
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(table))
    return rank


def _separate_tables(table: pd.DataFrame, for_each: list[str]) -> list[np.ndarray]:
    """The row positions of each separate table (the whole table when ``for_each`` is empty)."""
    if not for_each:
        return [np.arange(len(table))]
    groups = table.groupby(for_each, dropna=False, sort=False).ngroup().to_numpy()
    order = np.argsort(groups, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(groups[order])) + 1)


def _is_complete_grid(levels: list[np.ndarray]) -> bool:
    """Whether every combination of dimension values is present, each dimension with >= 2.

    ``levels`` holds each dimension's values as integer codes, one per row; the table has
    one row per cell, so it is complete when the rows number the product of the levels.
    In such a table no cell is determined when all are hidden: for cell ``i`` and any other
    value ``j_k`` of each dimension, the signed corners of the box between them add up to
    zero along every line, so ``i`` can move without changing any total.
    """
    counts = [np.unique(codes).size for codes in levels]
    return min(counts) >= 2 and int(np.prod(counts, dtype=float)) == len(levels[0])


def _protect(
    line_ids: list[np.ndarray], hidden: np.ndarray, rank: np.ndarray, *, complete: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Add complementary suppressions until no hidden cell is recoverable, or can be.

    ``complete`` says the table is a complete grid, where every cell can be protected.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Which cells are hidden, and which of them no pattern can protect.
    """
    hidden = hidden.copy()
    unprotectable = np.zeros_like(hidden)
    checked_unprotectable = False
    for _ in range(len(hidden) + 1):
        hidden = _hide_partners_of_lone_cells(line_ids, hidden, rank)
        exposed = _recoverable(line_ids, hidden)
        if exposed.any() and not checked_unprotectable and not complete:
            unprotectable = _recoverable(line_ids, np.ones_like(hidden))
            checked_unprotectable = True
        exposed &= ~unprotectable
        if not exposed.any():
            break
        first_exposed = np.flatnonzero(exposed)[np.argmin(rank[exposed])]
        partner = _partner_for(first_exposed, line_ids, hidden, unprotectable, rank)
        if partner is None:  # cannot happen in theory; never loop forever
            unprotectable[first_exposed] = True
        else:
            hidden[partner] = True
    return hidden, hidden & unprotectable


def _hide_partners_of_lone_cells(
    line_ids: list[np.ndarray], hidden: np.ndarray, rank: np.ndarray
) -> np.ndarray:
    """The line rule: where a line has exactly one hidden cell, hide its smallest partner."""
    hidden = hidden.copy()
    changed = True
    while changed:
        changed = False
        for ids in line_ids:
            hidden_per_line = np.bincount(ids, weights=hidden)
            candidates = np.flatnonzero((hidden_per_line[ids] == 1) & ~hidden)
            if candidates.size == 0:
                continue
            by_rank = candidates[np.argsort(rank[candidates], kind="stable")]
            _, first_in_line = np.unique(ids[by_rank], return_index=True)
            hidden[by_rank[first_in_line]] = True
            changed = True
    return hidden


def _recoverable(line_ids: list[np.ndarray], hidden: np.ndarray) -> np.ndarray:
    """Which hidden cells are determined by the line totals and the visible cells.

    A hidden cell is determined when its unit vector lies in the row space of the
    constraint matrix (lines x hidden cells). The matrix is split into connected
    components (cells linked through shared lines), which are checked one by one.
    """
    cells = np.flatnonzero(hidden)
    result = np.zeros(len(hidden), dtype=bool)
    if cells.size == 0:
        return result
    line_of_cell = np.concatenate([ids[cells] for ids in line_ids])
    used_lines, row = np.unique(line_of_cell, return_inverse=True)
    column = np.tile(np.arange(cells.size), len(line_ids))
    incidence = coo_matrix(
        (np.ones(row.size), (row, column)), shape=(used_lines.size, cells.size)
    ).tocsr()
    graph = bmat([[None, incidence], [incidence.T, None]])
    _, component = connected_components(graph, directed=False)
    cell_component = component[used_lines.size :]
    for label in np.unique(cell_component):
        members = np.flatnonzero(cell_component == label)
        block = incidence[:, members]
        block = block[np.flatnonzero(block.getnnz(axis=1)), :]
        determined = None
        if members.size > _DENSE_LIMIT:
            determined = _determined_by_null_vectors(block)
        if determined is None:
            determined = _determined_by_row_space(block.toarray())
        result[cells[members[determined]]] = True
    return result


def _determined_by_row_space(block: np.ndarray) -> np.ndarray:
    """Determined cells of a dense constraint block, exactly, by singular value decomposition.

    A cell is determined when its unit vector's projection on the row space (spanned by
    the leading right singular vectors) has length 1. Near-misses count as determined,
    which errs on the side of hiding more.
    """
    _, singular, right = np.linalg.svd(block, full_matrices=False)
    tolerance = singular.max() * max(block.shape) * np.finfo(float).eps
    row_space = right[: int((singular > tolerance).sum())]
    return np.sum(row_space**2, axis=0) > 1 - _ROW_SPACE_TOLERANCE


def _determined_by_null_vectors(block: csr_matrix) -> np.ndarray | None:
    """Determined cells of a large sparse constraint block, from random null-space vectors.

    A random vector projected on the null space (``z - A^T y`` with ``y`` the
    least-squares solution of ``A^T y = z``, found by LSQR) is, with probability 1,
    non-zero at every undetermined cell and zero at every determined one. Three such
    vectors are drawn (with a fixed seed, so results repeat); a cell counts as determined
    unless one of them is clearly non-zero there, which errs on the side of hiding more.
    Returns ``None`` when LSQR does not reach a true null vector, so that the caller falls
    back to the exact method.
    """
    random = np.random.default_rng(20120704)
    clearly_free = np.zeros(block.shape[1], dtype=bool)
    for _ in range(3):
        target = random.standard_normal(block.shape[1])
        solution = lsqr(block.T, target, atol=1e-15, btol=1e-15, iter_lim=20 * block.shape[1])
        null_vector = target - block.T @ solution[0]
        if np.abs(block @ null_vector).max() > _NULL_VECTOR_TOLERANCE:
            return None
        clearly_free |= np.abs(null_vector) > _FREE_TOLERANCE * np.abs(null_vector).max()
    return ~clearly_free


def _partner_for(
    cell: int,
    line_ids: list[np.ndarray],
    hidden: np.ndarray,
    unprotectable: np.ndarray,
    rank: np.ndarray,
) -> int | None:
    """The visible cell to hide next to protect ``cell``: the smallest near it.

    Looks first at the lines through ``cell``, then, if all of them are hidden, at the
    lines through the hidden cells reached from it, and so on.
    """
    reached = np.zeros(len(hidden), dtype=bool)
    reached[cell] = True
    while True:
        nearby = np.zeros(len(hidden), dtype=bool)
        for ids in line_ids:
            nearby |= np.isin(ids, ids[reached])
        candidates = np.flatnonzero(nearby & ~hidden & ~unprotectable)
        if candidates.size:
            return int(candidates[np.argmin(rank[candidates])])
        widened = reached | (nearby & hidden)
        if widened.sum() == reached.sum():
            return None
        reached = widened
