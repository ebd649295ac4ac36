"""The gate's mark on the tables it returns, checked before anything is published.

Every function of :mod:`analysis.disclosure` that suppresses a table marks its result
(:func:`mark_gated`); :func:`analysis.disclosure.gated.accept_gated` refuses a table
without the mark, so a table cannot be published as gated by mistake. The mark lives in
the DataFrame's ``attrs``, which pandas keeps through row selection, copies and added
columns.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["GATE_TOKEN", "gated_structure", "is_cleared", "is_gated", "mark_gated"]

_KEY = "analysis.disclosure"
_STRUCTURE = "analysis.disclosure.structure"


class _Token:
    """The gate's private token; copies of it are itself (pandas deep-copies ``attrs``)."""

    def __copy__(self) -> _Token:
        return self

    def __deepcopy__(self, memo: dict) -> _Token:
        return self

    def __repr__(self) -> str:
        return "<the disclosure gate's token>"


GATE_TOKEN = _Token()
"""Held only by :mod:`analysis.disclosure`: it alone can make a gated table."""


def mark_gated(table: pd.DataFrame, structure: str) -> pd.DataFrame:
    """Mark ``table`` (in place) as returned by the gate with ``structure``, and return it.

    ``structure`` names how it was gated: ``"cells"``, ``"survey"``, ``"within"``,
    ``"derived"``, or ``"not person-level"`` for a table declared so (it has no
    ``suppressed`` column, so it is never taken for a gated one).
    """
    table.attrs[_KEY] = GATE_TOKEN
    table.attrs[_STRUCTURE] = structure
    return table


def gated_structure(table: pd.DataFrame) -> str | None:
    """The structure a gated table was gated as (``None`` when it is not gated)."""
    return table.attrs.get(_STRUCTURE) if is_gated(table) else None


def is_gated(table: pd.DataFrame) -> bool:
    """Whether ``table`` carries the gate's mark and its ``suppressed`` column."""
    return table.attrs.get(_KEY) is GATE_TOKEN and "suppressed" in table.columns


def is_cleared(table: pd.DataFrame) -> bool:
    """Whether the gate returned ``table`` or it was declared not person-level through it."""
    return table.attrs.get(_KEY) is GATE_TOKEN
