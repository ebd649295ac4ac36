"""The gated table: what the gate hands to publishing, and nothing else can make.

:class:`GatedTable` holds a table after disclosure control together with its *relation
metadata*: which column counts people, which columns partition the total (dimensions),
which split it into separate tables (``for_each``), which figures rest on the count
(``values``), the minimum group size applied, the structure it was gated as, the universe
its counts are drawn from, how its weighted figures are weighted, and the columns that link
its rows to other published tables. :mod:`analysis.publishing` writes that metadata into
each table's JSON side file, so that a whole-run audit can rebuild the relations between
published tables (``docs/disclosure.md``).

A ``GatedTable`` is made only here, by :func:`gate` (cell suppression of a plain table),
:func:`accept_gated` (a table one of the gate's structured functions returned: the survey
gate, :func:`~analysis.disclosure.suppress_within`) or :func:`not_person_level` (an explicit
declaration, with a reason, that a table is not about people). Constructing one directly
raises :class:`TypeError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

import pandas as pd

from analysis.disclosure.cells import suppress_small_groups
from analysis.disclosure.marks import GATE_TOKEN as _TOKEN
from analysis.disclosure.marks import gated_structure, is_gated, mark_gated

__all__ = [
    "HIDDEN",
    "LINK_COLUMNS",
    "GatedValue",
    "summary_of",
    "value_from",
    "read_back",
    "NOT_PERSON_LEVEL",
    "ONE_PERSON",
    "GatedTable",
    "accept_gated",
    "gate",
    "not_person_level",
    "one_person",
]

NOT_PERSON_LEVEL = "not person-level"
"""How a table without a count column declares why it needs no disclosure control."""

LINK_COLUMNS = (
    "year",
    "base_year",
    "month",
    "item_id",
    "theme",
    "outcome",
    "predictor",
    "group_type",
    "group",
    "directorate",
    "staff_group",
    "team_id",
    "team",
    "action_ids",
    "indicator_id",
    "code_id",
    "course_id",
    "breakdown",
)
"""Columns whose values name the same thing in every table (a year, an item, a group...):
the attributes that link rows across published tables."""

_UNIVERSES = {
    "n": "survey responses",
    "respondents": "survey responses",
    "commenters": "survey responses",
    "staff": "staff list",
    "headcount": "staff list",
}


@dataclass(frozen=True)
class GatedTable:
    """A table after disclosure control, with its relation metadata.

    Attributes
    ----------
    data
        The table, with ``suppressed`` and ``suppression`` columns for a person-level one.
    count
        The column counting the people behind each row (``None``: not person-level, or a
        table derived from gated figures with no count of its own).
    dimensions
        Columns whose values partition a total published elsewhere.
    for_each
        Columns splitting the table into separate tables (``year``, ``item_id``...).
    values
        The figures resting on the count, hidden with it.
    labels
        Descriptive columns that stay visible.
    minimum
        The minimum group size applied (from ``dataset.yml``).
    structure
        How it was gated: ``"cells"`` (:func:`~analysis.disclosure.suppress_small_groups`),
        ``"survey"`` (breakdowns with their margins, :mod:`analysis.disclosure.survey`),
        ``"within"`` (groups inside published containers,
        :func:`~analysis.disclosure.suppress_within`) or ``"not person-level"``.
    universe
        What the counts count (``"survey responses"``, ``"staff list"``, ``"indicator
        values"``...), or ``None`` when not known.
    weights
        For weighted figures: the weighted columns and how their weights are derived.
    attributes
        The columns linking rows to other published tables (:data:`LINK_COLUMNS`, the
        dimensions and ``for_each``).
    disclosure
        For a table that is not person-level: ``"not person-level: <reason>"``.
    """

    data: pd.DataFrame
    count: str | None
    dimensions: tuple[str, ...]
    for_each: tuple[str, ...]
    values: tuple[str, ...]
    labels: tuple[str, ...]
    minimum: int
    structure: str
    universe: str | None = None
    weights: Mapping[str, Any] = field(default_factory=dict)
    attributes: tuple[str, ...] = ()
    disclosure: str | None = None
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError(
                "a GatedTable is made only by the gate: analysis.disclosure.gated.gate(), "
                "accept_gated() or not_person_level()"
            )

    @property
    def person_level(self) -> bool:
        """Whether the table is about people (it passed the gate, rather than being declared)."""
        return self.structure != NOT_PERSON_LEVEL

    def metadata(self) -> dict[str, Any]:
        """The relation metadata, as written to the table's JSON side file."""
        return {
            "count": self.count,
            "dimensions": list(self.dimensions),
            "for_each": list(self.for_each),
            "values": list(self.values),
            "labels": list(self.labels),
            "minimum": self.minimum,
            "structure": self.structure,
            "universe": self.universe,
            "weights": dict(self.weights),
            "attributes": list(self.attributes),
            "disclosure": self.disclosure,
        }


def _attributes(table: pd.DataFrame, named: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(c) for c in table.columns if str(c) in LINK_COLUMNS or str(c) in set(named))


def _weights(table: pd.DataFrame, weights: Mapping[str, Any] | None) -> dict[str, Any]:
    weighted = [str(c) for c in table.columns if str(c).endswith("_weighted")]
    if weights is not None:
        return dict(weights)
    if not weighted:
        return {}
    return {"columns": weighted, "classes": [], "weight": "unknown"}


def _universe(count: str | None, universe: str | None) -> str | None:
    if universe is not None:
        return universe
    return _UNIVERSES.get(count) if count is not None else None


def _value_columns(
    table: pd.DataFrame,
    count: str | None,
    dimensions: Sequence[str],
    values: Sequence[str] | None,
    labels: Sequence[str],
    for_each: Sequence[str],
) -> tuple[str, ...]:
    if values is not None:
        return tuple(values)
    named = {count, *dimensions, *labels, *for_each, "suppressed", "suppression"}
    return tuple(str(c) for c in table.columns if c not in named)


def gate(
    table: pd.DataFrame,
    *,
    count: str,
    dimensions: Sequence[str],
    minimum: int,
    values: Sequence[str] | None = None,
    labels: Sequence[str] = (),
    for_each: Sequence[str] = (),
    universe: str | None = None,
    weights: Mapping[str, Any] | None = None,
) -> GatedTable:
    """Pass a plain table through cell suppression and return it gated.

    Parameters are those of :func:`~analysis.disclosure.suppress_small_groups`, with
    ``universe`` and ``weights`` for the metadata (see :class:`GatedTable`).
    """
    data = suppress_small_groups(
        table,
        count=count,
        dimensions=dimensions,
        values=values,
        minimum=minimum,
        labels=labels,
        for_each=for_each,
    )
    return GatedTable(
        data=data,
        count=count,
        dimensions=tuple(dimensions),
        for_each=tuple(for_each),
        values=_value_columns(table, count, dimensions, values, labels, for_each),
        labels=tuple(labels),
        minimum=int(minimum),
        structure="cells",
        universe=_universe(count, universe),
        weights=_weights(table, weights),
        attributes=_attributes(table, [*dimensions, *for_each]),
        _token=_TOKEN,
    )


def accept_gated(
    table: pd.DataFrame,
    *,
    count: str | None,
    minimum: int,
    dimensions: Sequence[str] = (),
    values: Sequence[str] | None = None,
    labels: Sequence[str] = (),
    for_each: Sequence[str] = (),
    universe: str | None = None,
    weights: Mapping[str, Any] | None = None,
) -> GatedTable:
    """Wrap a table that one of the gate's functions returned.

    Parameters
    ----------
    table
        The result (or rows and columns of the result) of
        :func:`analysis.disclosure.survey.suppress_survey_tables`,
        :func:`~analysis.disclosure.suppress_within` or
        :func:`~analysis.disclosure.suppress_small_groups`: it carries their mark and the
        ``suppressed`` column.
    count, dimensions, values, labels, for_each
        How it was gated, for the metadata.
    minimum
        The minimum group size it was gated with.
    universe, weights
        See :class:`GatedTable`. The structure is the one the gate recorded.

    Raises
    ------
    ValueError
        If the table was not returned by the gate.
    """
    if not is_gated(table):
        raise ValueError(
            "this table did not come out of the disclosure gate: pass it through "
            "analysis.disclosure (suppress_small_groups, suppress_within) or "
            "analysis.survey.suppress_survey_tables first, or publish it with count=... so "
            "that the gate runs"
        )
    return GatedTable(
        data=table.copy(),
        count=count,
        dimensions=tuple(dimensions),
        for_each=tuple(for_each),
        values=_value_columns(table, count, dimensions, values, labels, for_each),
        labels=tuple(labels),
        minimum=int(minimum),
        structure=str(gated_structure(table)),
        universe=_universe(count, universe),
        weights=_weights(table, weights),
        attributes=_attributes(table, [*dimensions, *for_each]),
        _token=_TOKEN,
    )


def not_person_level(table: pd.DataFrame, disclosure: str | None, minimum: int) -> GatedTable:
    """Declare, with a reason, that a table is not about people and needs no suppression.

    Parameters
    ----------
    table
        The table (published as it is).
    disclosure
        ``"not person-level: <reason>"``, e.g. ``"not person-level: lists questions, not
        answers"``.
    minimum
        The run's minimum group size (recorded in the metadata).

    Raises
    ------
    ValueError
        If the declaration is missing or does not read ``not person-level: <reason>``.
    """
    example = "disclosure='not person-level: the questionnaire's changes between years'"
    if disclosure is None:
        raise ValueError(
            "a table without a count column is published only when it is not about people: "
            f"give count='<respondents column>' so that it passes disclosure control, or {example}"
        )
    head, _, reason = str(disclosure).partition(":")
    if head.strip().lower() != NOT_PERSON_LEVEL or not reason.strip():
        raise ValueError(
            f"disclosure must read 'not person-level: <reason>', e.g. {example}; got {disclosure!r}"
        )
    return GatedTable(
        data=mark_gated(table.copy(), NOT_PERSON_LEVEL),
        count=None,
        dimensions=(),
        for_each=(),
        values=(),
        labels=(),
        minimum=int(minimum),
        structure=NOT_PERSON_LEVEL,
        universe=None,
        weights={},
        attributes=_attributes(table, []),
        disclosure=disclosure.strip(),
        _token=_TOKEN,
    )


ONE_PERSON = "private: one person"
"""The structure of a table about one member of staff, shown only in their private profile."""


def one_person(table: pd.DataFrame, reason: str, minimum: int) -> GatedTable:
    """Declare a table about one member of staff, for their private profile only.

    A private profile (``notebooks/private/``) shows one person their own records; it is
    written outside the run folders the index shares. The declaration is recorded in the
    JSON like ``not person-level``, so that an audit sees it.

    Raises
    ------
    ValueError
        If the reason is empty.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("say why a table about one person is shown, e.g. 'their own KSF review'")
    return GatedTable(
        data=mark_gated(table.copy(), ONE_PERSON),
        count=None,
        dimensions=(),
        for_each=(),
        values=(),
        labels=(),
        minimum=int(minimum),
        structure=ONE_PERSON,
        universe=None,
        weights={},
        attributes=_attributes(table, []),
        disclosure=f"{ONE_PERSON}: {reason.strip()}",
        _token=_TOKEN,
    )


def read_back(table: pd.DataFrame, csv_path: Path | str) -> pd.DataFrame:
    """Mark a table read back from a run's published CSV as gated, when its JSON says so.

    A later stage (a survey pack) reads the survey stage's published tables rather than
    computing them again. They were written from :class:`GatedTable` objects: the JSON side
    file beside the CSV names the structure they were gated as. A table whose side file is
    missing, names no structure, or says it is not person-level is returned unmarked.

    Parameters
    ----------
    table
        The CSV as read, with its ``suppressed`` column as booleans.
    csv_path
        The CSV's path (its side file is the same path ending ``.json``).

    Returns
    -------
    pandas.DataFrame
        ``table``, marked in place when its side file says it passed the gate.
    """
    side_file = Path(csv_path).with_suffix(".json")
    try:
        metadata = json.loads(side_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return table
    structure = metadata.get("structure")
    if structure and structure != NOT_PERSON_LEVEL and "suppressed" in table.columns:
        mark_gated(table, "published")
    return table


HIDDEN = "[c]"
"""What a headline or sentence shows for a figure the gate hides."""

_STATISTICS = ("rows", "median")


@dataclass(frozen=True)
class GatedValue:
    """One figure taken from a gated table, as it is published: what headlines show.

    Made only by :func:`value_from` (a cell of a row) and :func:`summary_of` (the number of
    shown rows, or the median of a column over them), from a :class:`GatedTable`'s
    rounded figures; constructing one directly raises :class:`TypeError`.

    Attributes
    ----------
    value
        The figure (rounded as published: :mod:`analysis.disclosure.precision`) or text
        made from a row's figures, or :data:`HIDDEN` when it rests on a hidden cell.
    hidden
        Whether the figure rests on a cell the gate hides.
    """

    value: Any
    hidden: bool
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError(
                "a GatedValue is made only by the gate: analysis.disclosure.gated.value_from() "
                "or summary_of()"
            )


def _rounded_data(table: GatedTable, precision: Mapping[str, str] | None) -> pd.DataFrame:
    from analysis.disclosure.precision import column_kinds, round_for_publication

    return round_for_publication(table.data, column_kinds(table.data, precision))


def _hidden_rows(table: GatedTable) -> pd.Series:
    data = table.data
    if table.person_level and "suppressed" in data.columns:
        return data["suppressed"].fillna(True).astype(bool)
    return pd.Series(False, index=data.index)


def _figures(table: GatedTable) -> set[str]:
    """The columns hidden with a hidden row: the count and the values."""
    if not table.person_level:
        return set()
    shown_always = {*table.dimensions, *table.labels, *table.for_each, "suppressed", "suppression"}
    return {str(c) for c in table.data.columns if c == table.count or c in table.values} | {
        str(c) for c in table.data.columns if str(c) not in shown_always
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def value_from(
    table: GatedTable,
    *,
    row: Mapping[str, Any] | Any,
    column: str | None = None,
    text: str | None = None,
    precision: Mapping[str, str] | None = None,
) -> GatedValue:
    """A figure of one row of a gated table, rounded as published, or :data:`HIDDEN`.

    Parameters
    ----------
    table
        The gated table.
    row
        The row: ``{column: value, ...}`` matching exactly one row, or its index label.
    column
        The column whose figure is taken.
    text
        Instead of ``column``: a template filled from the row's published figures, e.g.
        ``"{label} ({percent:.0f}%)"``. It is :data:`HIDDEN` when it names a figure of a
        hidden row.
    precision
        Declared kinds of columns (as given to :meth:`analysis.publishing.StageOutput.table`).

    Raises
    ------
    ValueError
        If the row matches no row or several, or the column is not in the table, or neither
        or both of ``column`` and ``text`` are given.
    """
    if (column is None) == (text is None):
        raise ValueError("give the column whose figure is shown, or a text template, not both")
    data = _rounded_data(table, precision)
    if isinstance(row, Mapping):
        matches = pd.Series(True, index=data.index)
        for name, wanted in row.items():
            if name not in data.columns:
                raise ValueError(f"row {dict(row)!r}: the table has no column {name!r}")
            matches &= (data[name] == wanted).fillna(False).astype(bool)
        found = list(data.index[matches])
        if len(found) != 1:
            raise ValueError(f"row {dict(row)!r} matches {len(found)} rows; it must match one")
        label = found[0]
    else:
        if row not in data.index:
            raise ValueError(f"the table has no row {row!r}")
        label = row
    hidden_row = bool(_hidden_rows(table).loc[label])
    figures = _figures(table)
    record = {str(k): _plain(v) for k, v in data.loc[label].items()}
    if column is not None:
        if column not in record:
            raise ValueError(f"the table has no column {column!r}")
        if hidden_row and column in figures:
            return GatedValue(HIDDEN, True, _token=_TOKEN)
        value = record[column]
        if column == table.count and isinstance(value, float) and value.is_integer():
            value = int(value)  # a count read back from a CSV with empty cells
        return GatedValue(value, False, _token=_TOKEN)
    named = {
        field.split(".")[0].split("[")[0] for _, field, _, _ in Formatter().parse(text) if field
    }
    missing = named - set(record)
    if missing:
        raise ValueError(f"text {text!r} names columns the table does not have: {sorted(missing)}")
    if hidden_row and named & figures:
        return GatedValue(HIDDEN, True, _token=_TOKEN)
    return GatedValue(text.format(**record), False, _token=_TOKEN)


def summary_of(
    table: GatedTable,
    *,
    statistic: str = "rows",
    where: pd.Series | None = None,
    column: str | None = None,
    precision: Mapping[str, str] | None = None,
) -> GatedValue:
    """A summary of the shown rows of a gated table: how many, or a column's median.

    Hidden rows are left out (they are neither counted nor summarised), so the summary is a
    function of published figures only.

    Parameters
    ----------
    table
        The gated table.
    statistic
        ``"rows"``: the number of shown rows where ``where`` holds; ``"median"``: the median
        of ``column`` over them (of its figures rounded as published).
    where
        Which rows (a boolean Series on the table's index); all rows when ``None``.
    column
        The column summarised (``"median"`` only).
    precision
        Declared kinds of columns.
    """
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {_STATISTICS}, got {statistic!r}")
    data = _rounded_data(table, precision)
    chosen = pd.Series(True, index=data.index) if where is None else where.reindex(data.index)
    shown = chosen.fillna(False).astype(bool) & ~_hidden_rows(table)
    if statistic == "rows":
        return GatedValue(int(shown.sum()), False, _token=_TOKEN)
    if column not in data.columns:
        raise ValueError(f"the median needs a column of the table, got {column!r}")
    median = pd.to_numeric(data.loc[shown, column], errors="coerce").median()
    return GatedValue(_plain(median), False, _token=_TOKEN)
