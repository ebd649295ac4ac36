"""What a published CSV column holds, for the files made from it: ``tables.xlsx`` and Parquet.

A stage publishes its tables as CSV text (:class:`analysis.publishing.StageOutput`). Before
that text goes into a spreadsheet or a Parquet file each column is given one type, from its
name and every one of its values:

* **text** for identifiers (a name ending in ``_id`` or ``_ids``, or digit-only values that a
  binary floating-point number cannot hold exactly, such as ``007`` or a 17-digit ID), and
  for anything that is not wholly numbers or dates;
* **date** when every value is an ISO 8601 date ``YYYY-MM-DD`` (**datetime** when some carry
  a time of day);
* **number** when every value is a number, ``[c]`` or blank; ``inf`` and ``nan`` count as
  numbers that cannot be shown (they are left empty, and the notes say so).

A number column is shown with the decimals the report shows it with (the rules of
:mod:`analysis.presentation`: about three significant figures, never more decimals than
the published figures carry nor than their kind of figure is published with, an interval's
bounds like their estimate), and with thousands separators unless its name mentions a
year; a p-value to 3 significant figures, or ``< 0.001`` below 0.001
(:func:`analysis.presentation.format_p_value`). So a spreadsheet displays what the report
displays while storing the full value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "SUPPRESSED",
    "PublishedColumn",
    "describe_column",
    "describe_columns",
    "is_id_column",
    "p_value_excel_format",
    "parse_date",
]

SUPPRESSED = "[c]"
"""The mark of a suppressed figure, as :mod:`analysis.publishing` writes it (the tests check
they agree). Not imported from there: publishing imports the disclosure gate and scipy, which
the pipeline's own process does not otherwise need (tests/test_pipeline_imports.py)."""

Kind = Literal["text", "number", "date", "datetime"]

_NUMBER = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_NOT_FINITE = {"inf", "-inf", "+inf", "infinity", "-infinity", "nan"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$")
_INEXACT_DIGITS = re.compile(r"^(?:0\d+|\d{16,})$")
"""Digit-only text a number would change: a leading zero, or more than 15 digits (a double
holds every whole number of up to 15 digits exactly, as 2**53 > 10**15; IEEE 754)."""
_P_VALUE_KIND = "p-value"
_SMALLEST_P_SHOWN = 0.001
_P_BELOW_SHOWN = '[<0.001]"< 0.001";General'
"""Shows ``< 0.001`` for a p-value below 0.001 (and any other number as Excel's General)."""


@dataclass(frozen=True)
class PublishedColumn:
    """One column of a published table, typed.

    Attributes
    ----------
    name
        The column's name (the CSV's heading).
    kind
        ``text``, ``number``, ``date`` or ``datetime``.
    decimals
        For a number column, the decimals the report shows (0 for whole numbers).
    grouping
        For a number column, whether thousands are separated (not for years).
    not_finite
        How many values are infinite or not a number (left empty in a spreadsheet).
    p_value
        For a number column, whether it holds p-values (shown to 3 significant figures,
        each cell with its own format: :func:`p_value_excel_format`).
    """

    name: str
    kind: Kind
    decimals: int = 0
    grouping: bool = False
    not_finite: int = 0
    p_value: bool = False

    @property
    def excel_format(self) -> str | None:
        """The Excel number format that shows the column as the report does, if any."""
        if self.kind == "date":
            return "yyyy-mm-dd"
        if self.kind == "datetime":
            return "yyyy-mm-dd hh:mm:ss"
        if self.kind != "number":
            return None
        if self.p_value:
            return _P_BELOW_SHOWN  # the cells' own formats (excel_format_of) are exact
        whole = "#,##0" if self.grouping else "0"
        return whole + ("." + "0" * self.decimals if self.decimals else "")

    def excel_format_of(self, value: float) -> str | None:
        """The Excel number format of one of the column's cells (a p-value's own)."""
        if self.kind == "number" and self.p_value:
            return p_value_excel_format(value)
        return self.excel_format

    def shown_as(self) -> str:
        """How a spreadsheet shows the column, in words, for the notes."""
        if self.kind == "number" and self.p_value:
            return "p-value, shown to 3 significant figures (< 0.001 below 0.001)"
        if self.kind == "number":
            places = "whole numbers" if not self.decimals else f"{self.decimals} decimal place(s)"
            return f"number, shown to {places}" + (
                "; stored at full precision" if self.decimals else ""
            )
        return {"text": "text", "date": "date", "datetime": "date and time"}[self.kind]


def is_id_column(name: str) -> bool:
    """Whether the column's name says it holds identifiers (``team_id``, ``action_ids``)."""
    lowered = name.lower()
    return lowered == "id" or lowered.endswith(("_id", "_ids"))


def p_value_excel_format(value: float) -> str:
    """The Excel number format that shows a p-value to 3 significant figures.

    Below 0.001 the cell shows ``< 0.001``; otherwise the decimals that give 3 significant
    figures of the value rounded half up (``0.0330``, ``0.00100``, ``0.500``, ``1.00``).
    The cell keeps the number; only its display changes.

    Examples
    --------
    >>> [p_value_excel_format(p) for p in (0.033, 0.001, 0.5, 1.0)]
    ['0.0000', '0.00000', '0.000', '0.00']
    >>> p_value_excel_format(0.0004)
    '[<0.001]"< 0.001";General'
    >>> p_value_excel_format(0.09996)  # rounds to 0.100, shown as such (not 0.1000)
    '0.000'
    """
    if not math.isfinite(value) or value < _SMALLEST_P_SHOWN:
        return _P_BELOW_SHOWN
    magnitude = math.floor(math.log10(value))
    decimals = 2 - magnitude
    rounded = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    if rounded.adjusted() > magnitude:  # 0.09996 rounds up to 0.1000: one figure fewer
        decimals -= 1
    return "0." + "0" * decimals if decimals > 0 else "0"


def parse_date(text: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time as a :class:`datetime.datetime`, or None."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def describe_column(
    name: str, values: Sequence[str], precision: str | None = None
) -> PublishedColumn:
    """Type one published column from its heading and its cells' text.

    Parameters
    ----------
    name
        The column's heading.
    values
        Every cell of the column as the CSV holds it (``""`` blank, ``[c]`` suppressed).
    precision
        The kind of figure the table's metadata says the column was rounded as
        (``"p-value"``, ``"percent"``... :data:`analysis.disclosure.precision.PRECISION`).

    Returns
    -------
    PublishedColumn
        The column's kind and, for numbers, the decimals the report shows it with on its
        own: about three significant figures of the largest value, never more than the
        figures carry (:func:`analysis.publishing.display_decimals`) nor than
        ``precision`` publishes. :func:`describe_columns` shows an interval's bounds like
        their estimate, as the report's tables do.
    """
    from analysis.disclosure.precision import decimals_shown
    from analysis.presentation import is_p_value
    from analysis.publishing import display_decimals  # imports scipy: only when needed

    shown = set(values) - {"", SUPPRESSED}
    if not shown or is_id_column(name):
        return PublishedColumn(name, "text")
    if all(_DATE.match(value) and parse_date(value) for value in shown):
        return PublishedColumn(name, "date")
    if all((_DATE.match(value) or _DATETIME.match(value)) and parse_date(value) for value in shown):
        return PublishedColumn(name, "datetime")
    # Checked with Arrow's vectorised kernels: a large table has 10**5 distinct values.
    texts = pa.array(list(shown), pa.string())
    words = pc.is_in(pc.utf8_lower(texts), value_set=pa.array(sorted(_NOT_FINITE)))
    numbers = pc.match_substring_regex(texts, _NUMBER.pattern)
    inexact = pc.match_substring_regex(texts, _INEXACT_DIGITS.pattern)
    if not pc.all(pc.or_(words, numbers)).as_py() or pc.any(inexact).as_py():
        return PublishedColumn(name, "text")
    number_texts = texts.filter(numbers).to_pylist()
    parsed = np.array([float(text) for text in number_texts], dtype="float64")
    finite = np.isfinite(parsed)
    not_finite = set(texts.filter(words).to_pylist())
    not_finite |= {text for text, ok in zip(number_texts, finite, strict=True) if not ok}
    decimals = display_decimals(pd.Series(parsed[finite], dtype="float64")) or 0
    published = decimals_shown(precision)
    return PublishedColumn(
        name,
        "number",
        decimals=decimals if published is None else min(decimals, published),
        grouping="year" not in name.lower(),
        not_finite=sum(1 for value in values if value in not_finite) if not_finite else 0,
        p_value=precision == _P_VALUE_KIND or is_p_value(name),
    )


def describe_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], precision: Mapping[str, str]
) -> list[PublishedColumn]:
    """Type every column of a published table, as the report's HTML table shows it.

    Each column is typed by :func:`describe_column`; then an interval's bounds and their
    estimate (``ci_low``, ``ci_high`` and ``pct``...;
    :func:`analysis.presentation.interval_estimates`) share the most decimals any of them
    needs, each never more than its kind of figure is published with, as in
    :func:`analysis.presentation.column_decimals` and the report's tables.

    Parameters
    ----------
    header, rows
        The table's column names and rows as text.
    precision
        Each rounded column's kind of figure, from the table's metadata.
    """
    from analysis.disclosure.precision import decimals_shown
    from analysis.presentation import interval_estimates

    columns = [
        describe_column(name, [row[number] for row in rows], precision.get(name))
        for number, name in enumerate(header)
    ]
    by_name = {column.name: position for position, column in enumerate(columns)}
    groups: dict[str, list[str]] = {}
    for bound, estimate in interval_estimates(list(header)).items():
        groups.setdefault(estimate, [estimate]).append(bound)
    for members in groups.values():
        numbers = [by_name[m] for m in members if columns[by_name[m]].kind == "number"]
        shared = max((columns[position].decimals for position in numbers), default=0)
        for position in numbers:
            published = decimals_shown(precision.get(columns[position].name))
            decimals = shared if published is None else min(shared, published)
            columns[position] = replace(columns[position], decimals=decimals)
    return columns
