"""Weighted figures: shown only where every weighting class under them is shown.

A workforce-weighted percentage is ``sum(w_g x_g) / sum(w_g n_g)`` over the weighting
classes ``g`` (staff groups) of the respondents behind it, with ``w_g = headcount_g /
respondents_g`` (Lohr 2022, section 8.5). Headcounts and respondents are published, so the
weighted figure (and its standard error) are equations over the class cells under the row.
When some of those cells are hidden, the hidden cells' totals are already known by
subtraction, and the weighted figure adds one or two equations: with two hidden cells an
exact integer search over their counts gives them back (on the demo run, 46 of 46 items of
2008; ``tests/test_attacks_disclosure.py``). Rounding does not stop it (10 of 46 items still
unique with the percentage to 1 decimal and the standard error to 2).

So a row's weighted figures are published only when each of its weighting classes is a
shown cell of the same table with a known weight: then they are a function of published
figures and add nothing. Otherwise they are hidden (missing), and the unweighted figures of
the row stay. The classes of a row are:

* the weighting breakdown's own rows (a staff group): one class, weighted = unweighted;
* for the organisation's row: the rows of the weighting breakdown (the staff groups);
* for a breakdown crossed with the weighting in the same table (directorate, with
  directorate x staff group published): that crossing's cells in the row's line;
* for any other breakdown (age band, gender...): the classes are cells that are never
  published, so its weighted figures are always hidden.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["hidden_weighted_rows", "weighted_columns"]

SEPARATOR = " | "


def weighted_columns(table: pd.DataFrame) -> list[str]:
    """The columns holding weighted figures: their names end in ``_weighted``."""
    return [str(c) for c in table.columns if str(c).endswith("_weighted")]


def hidden_weighted_rows(
    table: pd.DataFrame,
    structure: Mapping[str, Sequence[str]],
    hidden: np.ndarray,
    for_each: Sequence[str],
    weighting: Sequence[str] = ("staff_group",),
    unknown_weights: Collection[tuple] = (),
) -> np.ndarray:
    """Which rows' weighted figures must be hidden.

    Parameters
    ----------
    table
        A survey table with ``group_type`` and ``group`` (crossings' labels joined by
        ``" | "`` in the order of ``structure``).
    structure
        ``group_type`` to its group columns (:func:`analysis.datapackage.groups.split_crossing`).
    hidden
        Which rows the gate hides.
    for_each
        The columns splitting the table into separate tables (``year``, ``item_id``...).
    weighting
        The columns of the weighting classes (the staff group, as the NHS staff survey).
    unknown_weights
        ``(year, class label)`` pairs whose weight is not published (the class's
        respondents are hidden in the response rates).

    Returns
    -------
    numpy.ndarray
        Boolean, one per row: ``True`` where the weighted figures must be hidden.
    """
    weighting = tuple(weighting)
    group_types = table["group_type"].to_numpy(dtype=object)
    result = np.asarray(hidden, dtype=bool).copy()
    unknown = set(unknown_weights)
    keys = list(for_each)
    for parent_type, columns in structure.items():
        columns = tuple(columns)
        parents = group_types == parent_type
        if not parents.any() or set(weighting) <= set(columns):
            continue  # the row is one weighting class (or part of one): weighted = unweighted
        wanted = set(columns) | set(weighting)
        crossing = next(
            (
                t
                for t, c in structure.items()
                if set(c) == wanted and len(c) == len(columns) + len(weighting)
            ),
            None,
        )
        if crossing is None:
            result |= parents  # classes never published: the figure is an unknown equation
            continue
        order = tuple(structure[crossing])
        cells = table.loc[group_types == crossing]
        labels = cells["group"].astype("str")
        pieces = (
            labels.str.split(SEPARATOR, regex=False)
            if len(order) > 1
            else labels.map(lambda label: [label])
        )
        parent_label = _labels(pieces, order, columns)
        class_label = _labels(pieces, order, weighting)
        years = cells["year"] if "year" in cells.columns else pd.Series(None, index=cells.index)
        exposed = hidden[group_types == crossing] | np.array(
            [(year, label) in unknown for year, label in zip(years, class_label, strict=True)],
            dtype=bool,
        )
        classes = cells[keys].assign(_parent=parent_label.to_numpy(), _exposed=exposed)
        exposed_by_parent = classes.groupby([*keys, "_parent"], dropna=False)["_exposed"].any()
        rows = table.loc[parents, keys].assign(
            _parent=table.loc[parents, "group"].astype("str").to_numpy() if columns else ""
        )
        found = exposed_by_parent.reindex(pd.MultiIndex.from_frame(rows[[*keys, "_parent"]]))
        # A row without any class cell (none published) is hidden too: nothing to check.
        result[np.flatnonzero(parents)] |= found.isna().to_numpy() | found.fillna(True).to_numpy(
            dtype=bool
        )
    return result


def _labels(pieces: pd.Series, order: Sequence[str], columns: Sequence[str]) -> pd.Series:
    """The labels of ``columns`` in crossing labels split into ``pieces`` (in ``order``)."""
    positions = [list(order).index(column) for column in columns]
    return pieces.map(lambda split: SEPARATOR.join(split[position] for position in positions))
