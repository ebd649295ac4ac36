"""Tables derived from gated tables: hidden wherever what they rest on is hidden.

A funnel plot's table, a scorecard or a change between years is computed from figures that
passed the gate; it must hide every row that rests on a hidden one, or it publishes the
hidden figure in another form. :func:`hide_where_hidden` does this by joining the derived
table to the gated source on the columns that identify a row; :func:`derived_from` marks a
table a function built from gated tables (carrying their ``suppressed`` flags) as gated, so
that :meth:`analysis.publishing.StageOutput.table` accepts it with ``gated=True``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.disclosure.marks import is_cleared, is_gated, mark_gated

__all__ = ["carry_mark", "derived_from", "hide_where_hidden"]


def _check_sources(sources: Sequence[pd.DataFrame]) -> None:
    if not sources:
        raise ValueError("name the gated table(s) the derived table was computed from")
    for number, source in enumerate(sources, start=1):
        if not is_gated(source):
            raise ValueError(
                f"source {number} did not come out of the disclosure gate: a table derived "
                "from ungated figures must pass the gate itself"
            )


def hide_where_hidden(
    table: pd.DataFrame,
    source: pd.DataFrame,
    *,
    on: Sequence[str],
    labels: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide the rows of a derived table whose source rows the gate hid.

    Parameters
    ----------
    table
        The derived table (e.g. a funnel plot's points, one per team), without
        ``suppressed`` and ``suppression`` columns.
    source
        The gated table it rests on (e.g. the indicator values by team after the gate).
    on
        The columns identifying a row in both (e.g. ``["indicator_id", "unit"]``). A derived
        row with no source row is hidden too: nothing says it is safe.
    labels
        Columns that stay visible in a hidden row; every other column except ``on`` is
        blanked there.

    Returns
    -------
    pandas.DataFrame
        ``table`` with hidden rows' figures missing and ``suppressed``/``suppression``
        columns (``"secondary"``: hidden because its source is), marked as gated.
    """
    _check_sources([source])
    on = list(on)
    missing = [c for c in on if c not in table.columns or c not in source.columns]
    if missing:
        raise ValueError(f"column(s) {missing} must be in both the derived table and its source")
    flags = source.drop_duplicates(on).set_index(on)["suppressed"].astype("boolean")
    found = flags.reindex(pd.MultiIndex.from_frame(table[on]) if len(on) > 1 else table[on[0]])
    hidden = found.fillna(True).to_numpy(dtype=bool)
    result = table.copy()
    for column in result.columns:
        if column in on or column in labels:
            continue
        values = result[column]
        if values.dtype == bool:
            values = values.astype("boolean")
        elif pd.api.types.is_integer_dtype(values) and not isinstance(
            values.dtype, pd.api.extensions.ExtensionDtype
        ):
            values = values.astype("Int64")
        result[column] = values.mask(hidden)
    result["suppressed"] = hidden
    result["suppression"] = pd.array(np.where(hidden, "secondary", ""), dtype="string")
    return mark_gated(result, "derived")


def derived_from(table: pd.DataFrame, *sources: pd.DataFrame) -> pd.DataFrame:
    """Mark a table computed from gated tables, carrying their ``suppressed`` flags, as gated.

    Parameters
    ----------
    table
        The derived table, with a ``suppressed`` column carried from its sources.
    sources
        The gated tables it was computed from; each must carry the gate's mark.

    Returns
    -------
    pandas.DataFrame
        ``table`` (marked in place).
    """
    _check_sources(sources)
    if "suppressed" not in table.columns:
        raise ValueError(
            "a derived table needs the 'suppressed' flags of the rows it rests on "
            "(or use hide_where_hidden)"
        )
    return mark_gated(table, "derived")


def carry_mark(table: pd.DataFrame, *sources: pd.DataFrame) -> pd.DataFrame:
    """Mark ``table`` as gated when every source is gated and it carries their flags.

    For library functions that compute a table from tables that may or may not have passed
    the gate (a scorecard from the gated team values, or from a test's hand-made table):
    the result is publishable with ``gated=True`` only when its inputs were. A source
    declared not person-level (through :func:`~analysis.disclosure.gated.not_person_level`)
    counts as cleared.

    Returns
    -------
    pandas.DataFrame
        ``table``, marked in place when it qualifies.
    """
    if sources and "suppressed" in table.columns and all(is_cleared(s) for s in sources):
        mark_gated(table, "derived")
    return table
