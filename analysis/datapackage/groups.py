"""Breakdowns: which groups a table is split by, and how they are labelled.

Every survey table has a ``group_type`` column (``"organisation"``, a group column's name
such as ``"directorate"``, or a crossing such as ``"directorate x staff_group"``) and a
``group`` column (the organisation's name, a directorate, or ``"Community Nursing |
Nursing"`` for a crossing). :func:`breakdown_types` lists the breakdowns of a data package
and :func:`label_groups` turns a table scored by group columns into that shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = [
    "NOT_STATED",
    "group_labels",
    "ORGANISATION",
    "CROSSING",
    "SEPARATOR",
    "breakdown_types",
    "label_groups",
    "split_crossing",
]

ORGANISATION = "organisation"
"""The ``group_type`` of the whole organisation's rows."""

CROSSING = " x "
"""Joins the group columns of a crossed ``group_type``: ``directorate x staff_group``."""

SEPARATOR = " | "
"""Joins the labels of a crossed breakdown's ``group``: ``Community Nursing | Nursing``."""


NOT_STATED = "Not stated"
"""The label of respondents who left a group question blank."""


def group_labels(values: pd.Series) -> pd.Series:
    """Group labels as text, with blank (not stated) answers labelled ``"Not stated"``."""
    return values.astype("str").where(values.notna(), NOT_STATED)


def breakdown_types(
    group_columns: Sequence[str],
    crossed: Sequence[Sequence[str]] = (("directorate", "staff_group"),),
) -> dict[str, tuple[str, ...]]:
    """The breakdowns of a survey table, by ``group_type``.

    Parameters
    ----------
    group_columns
        The data package's group columns (``description.group_columns``).
    crossed
        Pairs of group columns to cross, e.g. directorate by staff group. A column may
        appear in one crossing only, so that disclosure control can treat each crossing
        with its margins as one table.

    Returns
    -------
    dict
        ``{"organisation": (), "directorate": ("directorate",), ...,
        "directorate x staff_group": ("directorate", "staff_group")}``.

    Raises
    ------
    ValueError
        If a crossing names an unknown column, a column twice, or a column used by another
        crossing.
    """
    types: dict[str, tuple[str, ...]] = {ORGANISATION: ()}
    for column in group_columns:
        if column == ORGANISATION or CROSSING in column:
            raise ValueError(f"a group column cannot be called {column!r}")
        types[column] = (column,)
    used: set[str] = set()
    for pair in crossed:
        pair = tuple(pair)
        unknown = [column for column in pair if column not in group_columns]
        if len(pair) != 2 or len(set(pair)) != 2 or unknown:
            raise ValueError(
                f"a crossing is two different group columns among {list(group_columns)}; got {pair}"
            )
        if used & set(pair):
            raise ValueError(
                f"column(s) {sorted(used & set(pair))} appear in more than one crossing; each "
                "group column may be crossed with one other only"
            )
        used |= set(pair)
        types[CROSSING.join(pair)] = pair
    return types


def label_groups(
    table: pd.DataFrame, columns: Sequence[str], group_type: str, organisation: str
) -> pd.DataFrame:
    """Replace a table's group columns by ``group_type`` and ``group``.

    Parameters
    ----------
    table
        Scored by ``columns`` (none for the whole organisation); ``year`` first.
    columns
        The group columns of this breakdown.
    group_type
        Its name (see :func:`breakdown_types`).
    organisation
        The ``group`` label of the whole organisation's rows.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``group_type``, ``group``, then the table's other columns.

    Raises
    ------
    ValueError
        If a label of a crossed breakdown contains :data:`SEPARATOR`.
    """
    columns = list(columns)
    if not columns:
        group = pd.Series(organisation, index=table.index, dtype="str")
    else:
        labels = [table[column].astype("str") for column in columns]
        if len(labels) > 1:
            clash = pd.concat(labels).str.contains(SEPARATOR, regex=False)
            if clash.any():
                raise ValueError(
                    f"group label {pd.concat(labels)[clash].iloc[0]!r} contains {SEPARATOR!r}, "
                    "which separates the labels of a crossed breakdown; rename the group"
                )
        group = labels[0]
        for more in labels[1:]:
            group = group + SEPARATOR + more
    rest = [column for column in table.columns if column not in ["year", *columns]]
    labelled = table[rest].copy()
    labelled.insert(0, "group", group.astype("str"))
    labelled.insert(0, "group_type", group_type)
    labelled.insert(0, "year", table["year"])
    return labelled.astype({"group_type": "str"})


def split_crossing(
    table: pd.DataFrame, breakdowns: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[str, ...]]:
    """The group columns behind each ``group_type`` of a labelled table.

    Parameters
    ----------
    table
        With a ``group_type`` column.
    breakdowns
        Known breakdowns (from :func:`breakdown_types`); without them, ``group_type`` names
        are read as ``"organisation"``, a column name, or columns joined by :data:`CROSSING`.

    Returns
    -------
    dict
        ``group_type`` to its group columns.
    """
    known = dict(breakdowns or {})
    result = {}
    for group_type in pd.unique(table["group_type"]):
        if group_type in known:
            result[group_type] = tuple(known[group_type])
        elif group_type == ORGANISATION:
            result[group_type] = ()
        else:
            result[group_type] = tuple(str(group_type).split(CROSSING))
    return result
