"""The run's Excel workbook ``tables.xlsx``: the report year's tables, for a person to open.

The workbook holds what a reader of the year's reports looks for, not the full history:

* ``Contents``: one row per table (its sheet, with a link, its name, stage, title, rows
  shown and description, and the CSV and Parquet files that hold every row);
* one sheet per published table. A table with a ``year`` column shows the report year's rows
  only, unless ``year`` is one of its dimensions (a trend table such as ``response_by_year``
  shows every year) or the table has no row for the report year;
* ``Notes``: the suppression symbol and rule, which rows are shown, and how each column is
  stored.

Cells are typed from the column (:mod:`analysis.published_columns`): numbers are stored at
full precision and displayed with the decimals the report uses (p-values to 3 significant
figures, ``< 0.001`` below 0.001, each cell with its own format), ISO dates are Excel dates,
identifiers are text (so ``007`` and a 17-digit ID keep every digit), an infinite number
is left empty (and counted in the notes), text is cut at Excel's 32,767 UTF-16 code units
per cell, and text a spreadsheet would take for a formula is neutralised. The workbook is
written by XlsxWriter (https://xlsxwriter.readthedocs.io) in its constant-memory mode.
``benchmarks/workbook_writers.py`` measures it against openpyxl's write-only mode (slower)
and the suite's former hand-written OOXML writer (7 to 9 times faster on the same cells,
but a few seconds at the end of a run do not pay for keeping 400 lines of OOXML right);
the figures are in ``benchmarks/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from analysis.published_columns import SUPPRESSED, PublishedColumn, describe_columns, parse_date

__all__ = [
    "CONTENTS_SHEET",
    "NOTES_SHEET",
    "PublishedTableFile",
    "SheetTable",
    "excel_sheet_names",
    "excel_text",
    "read_sheet_table",
    "write_tables_workbook",
]

CONTENTS_SHEET = "Contents"
"""The workbook's first sheet: one row per table, with a link to its sheet."""

NOTES_SHEET = "Notes"
"""The workbook's last sheet: suppression, the rows shown, and how each column is stored."""

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL_CHARACTERS = 32_767
"""Excel's limit of text per cell, in UTF-16 code units (a character outside the Basic
Multilingual Plane, such as an emoji, takes two)."""

YEAR_COLUMN = "year"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RESERVED_SHEETS = (CONTENTS_SHEET.lower(), NOTES_SHEET.lower())
_FIXED_CREATION_TIME = dt.datetime(2000, 1, 1)  # the same tables give the same bytes


@dataclass(frozen=True)
class PublishedTableFile:
    """A table a stage published (``tables/{stage}/{name}.csv`` and its ``.json``).

    Parameters
    ----------
    stage, name
        The stage and the table's name.
    title, note
        From the table's metadata.
    csv
        The CSV's path relative to the run folder, with ``/`` separators.
    sheet
        The table's sheet in ``tables.xlsx``.
    """

    stage: str
    name: str
    title: str
    note: str
    csv: str
    sheet: str

    @property
    def parquet(self) -> str:
        """The table's Parquet file, beside its CSV (every row, typed for analysts)."""
        return self.csv.removesuffix(".csv") + ".parquet"


@dataclass(frozen=True)
class SheetTable:
    """A published table read from its CSV, with its columns typed.

    Attributes
    ----------
    header
        The column names.
    rows
        The rows shown in the workbook, as text.
    columns
        Each column's type, from the rows shown (so numbers show the decimals the
        report year's figures need).
    total_rows
        The CSV's number of data rows.
    year
        The year the rows were restricted to, or None when every row is shown.
    """

    header: list[str]
    rows: list[list[str]]
    columns: list[PublishedColumn]
    total_rows: int
    year: int | None


def excel_sheet_names(names: Sequence[str]) -> list[str]:
    """Excel sheet names for tables: at most 31 characters, unique ignoring case.

    Parameters
    ----------
    names
        The tables' names, in sheet order.

    Returns
    -------
    list of str
        One name each: ``[]:*?/\\`` replaced by ``_``, cut to 31 characters, and where two
        would be the same ignoring case (as Excel compares them) the later one ends in
        ``~2``, ``~3``... None is ``Contents`` or ``Notes``, the workbook's own sheets.
    """
    used = set(_RESERVED_SHEETS)
    sheets = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "table"
        candidate, number = base[:31], 2
        while candidate.lower() in used:
            suffix = f"~{number}"
            candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
        used.add(candidate.lower())
        sheets.append(candidate)
    return sheets


def excel_text(value: str) -> str:
    """Text as a spreadsheet cell may safely hold it.

    Characters XML cannot hold are dropped; text a spreadsheet would read as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
    ``'`` (OWASP, "CSV Injection"); and the text is cut at 32,767 UTF-16 code units,
    never inside a surrogate pair.
    """
    text = _NOT_XML.sub("", value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    units = text.encode("utf-16-le")
    if len(units) > 2 * EXCEL_MAX_CELL_CHARACTERS:
        text = units[: 2 * EXCEL_MAX_CELL_CHARACTERS].decode("utf-16-le", errors="ignore")
    return text


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def read_sheet_table(path: Path, year: int | None = None) -> SheetTable:
    """Read a published CSV, type its columns and keep the rows the workbook shows.

    Parameters
    ----------
    path
        ``tables/{stage}/{name}.csv``.
    year
        The report year. A table with a ``year`` column shows only that year's rows,
        unless ``year`` is one of its dimensions in the table's ``.json`` (a trend table)
        or no row is of that year. None shows every row. The metadata's ``precision``
        (each column's kind of figure) sets how numbers are shown
        (:func:`analysis.published_columns.describe_columns`).

    Raises
    ------
    ValueError
        If the rows shown are more than an Excel sheet holds.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    width = len(header)
    rows = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    metadata = _metadata(path)
    shown, shown_year = rows, None
    trend = YEAR_COLUMN in (metadata.get("dimensions") or [])
    if year is not None and YEAR_COLUMN in header and not trend:
        position = header.index(YEAR_COLUMN)
        of_year = [row for row in rows if row[position] == str(year)]
        if of_year:
            shown, shown_year = of_year, year
    columns = describe_columns(header, shown, metadata.get("precision") or {})
    if len(shown) + 1 > EXCEL_MAX_ROWS:
        raise ValueError(
            f"{path.name} has {len(shown):,} rows; an Excel sheet holds at most "
            f"{EXCEL_MAX_ROWS - 1:,} below its header (the CSV file has them all)"
        )
    return SheetTable(header, shown, columns, len(rows), shown_year)


def _metadata(csv_path: Path) -> dict:
    """The table's metadata (its ``.json``: dimensions, each column's precision...), or {}."""
    meta_path = csv_path.with_suffix(".json")
    if not meta_path.is_file():
        return {}
    return json.loads(meta_path.read_text(encoding="utf-8"))


@dataclass
class _Formats:
    """The workbook's cell formats, made once per workbook."""

    book: xlsxwriter.Workbook

    def __post_init__(self) -> None:
        self.header = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.link = self.book.add_format({"font_color": "#0563C1", "underline": 1})
        self.suppressed = self.book.add_format({"align": "right"})
        self._numbers: dict[str, object] = {}

    def number(self, code: str | None) -> object:
        if code is None:
            return None
        if code not in self._numbers:
            self._numbers[code] = self.book.add_format({"num_format": code})
        return self._numbers[code]


def _write_table_sheet(
    sheet: xlsxwriter.worksheet.Worksheet, table: SheetTable, formats: _Formats
) -> list[str]:
    """Write one table's sheet; return notes on cells that could not be shown as they are."""
    sheet.freeze_panes(1, 0)
    for number, name in enumerate(table.header):
        sheet.write_string(0, number, excel_text(name), formats.header)
    kinds = [column.kind for column in table.columns]
    cell_formats = [formats.number(column.excel_format) for column in table.columns]
    p_values = [column if column.p_value else None for column in table.columns]
    cut = 0
    for row_number, row in enumerate(table.rows, start=1):
        for number, value in enumerate(row):
            if not value:
                continue
            kind = kinds[number]
            if kind == "number" and value != SUPPRESSED:
                number_value = float(value)
                if not math.isfinite(number_value):  # inf, nan and 1e400 are left empty
                    continue
                p_value = p_values[number]
                cell_format = (
                    cell_formats[number]
                    if p_value is None
                    else formats.number(p_value.excel_format_of(number_value))
                )
                sheet.write_number(row_number, number, number_value, cell_format)
            elif kind in ("date", "datetime"):
                sheet.write_datetime(row_number, number, parse_date(value), cell_formats[number])
            elif value == SUPPRESSED:
                sheet.write_string(row_number, number, value, formats.suppressed)
            else:
                text = excel_text(value)
                cut += _utf16_length(text) == EXCEL_MAX_CELL_CHARACTERS < _utf16_length(value)
                sheet.write_string(row_number, number, text)
    widths = [
        min(60, max(8, len(name) + 2, *(len(row[n]) + 2 for row in table.rows[:200])))
        for n, name in enumerate(table.header)
    ]
    for number, width in enumerate(widths):
        sheet.set_column(number, number, width)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.header) - 1)
    notes = []
    if cut:
        notes.append(
            f"{cut} text cell(s) longer than Excel's 32,767 characters are cut there "
            "(the CSV keeps them whole)"
        )
    return notes


def _column_note(column: PublishedColumn) -> str:
    if column.not_finite:
        return (
            f"{column.not_finite} value(s) are infinite or not a number; the sheet leaves "
            "them empty (the CSV shows them as inf or nan)"
        )
    return ""


def _rows_shown(table: SheetTable) -> str:
    if table.year is None:
        return "every row"
    return f"the rows of {table.year} (the CSV and Parquet files hold every year)"


def write_tables_workbook(
    run_dir: Path | str,
    tables: Sequence[PublishedTableFile],
    path: Path | str | None = None,
    *,
    year: int | None = None,
    minimum_group_size: int | None = None,
    prepared: Mapping[str, SheetTable] | None = None,
) -> Path:
    """Write the run's published tables into one Excel workbook, one sheet each.

    Parameters
    ----------
    run_dir
        The run folder holding ``tables/{stage}/{name}.csv``.
    tables
        The tables, in the order of their sheets.
    path
        The workbook; ``{run_dir}/tables.xlsx`` by default.
    year
        The report year: a table with a ``year`` column shows only its rows (see
        :func:`read_sheet_table`). None shows every row.
    minimum_group_size
        The run's minimum group size, for the suppression note.
    prepared
        Tables read earlier by :func:`read_sheet_table` (with the same ``year``), by the
        table's ``csv`` path; the others are read now. A run reads each stage's tables as
        soon as the stage finishes, while later stages still run.

    Returns
    -------
    Path
        The workbook, written atomically: ``Contents``, one sheet per table (bold frozen
        header with filters, typed columns, suppressed figures as ``[c]``), ``Notes``.

    Raises
    ------
    ValueError
        If a table has more rows to show than an Excel sheet holds.
    """

    from analysis.publishing import write_atomically  # imports scipy: only when writing

    run_dir = Path(run_dir)
    path = Path(path) if path is not None else run_dir / "tables.xlsx"
    prepared = prepared or {}
    read = [prepared.get(t.csv) or read_sheet_table(run_dir / t.csv, year) for t in tables]
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"created": _FIXED_CREATION_TIME})
    formats = _Formats(book)
    _write_contents(book.add_worksheet(CONTENTS_SHEET), tables, read, formats)
    notes: list[tuple[str, str, str, str]] = []
    for table, sheet_table in zip(tables, read, strict=True):
        sheet_notes = _write_table_sheet(book.add_worksheet(table.sheet), sheet_table, formats)
        notes += [(table.sheet, "", "", note) for note in sheet_notes]
        notes += [
            (table.sheet, column.name, column.shown_as(), _column_note(column))
            for column in sheet_table.columns
        ]
    _write_notes(book.add_worksheet(NOTES_SHEET), year, minimum_group_size, notes, formats)
    book.close()
    return write_atomically(path, output.getvalue())


def _write_contents(
    sheet: xlsxwriter.worksheet.Worksheet,
    tables: Sequence[PublishedTableFile],
    read: Sequence[SheetTable],
    formats: _Formats,
) -> None:
    header = [
        "Sheet",
        "Table",
        "Stage",
        "Title",
        "Rows shown",
        "Description",
        "CSV file",
        "Parquet file",
    ]
    sheet.activate()
    sheet.freeze_panes(1, 0)
    for number, name in enumerate(header):
        sheet.write_string(0, number, name, formats.header)
    for row, (table, sheet_table) in enumerate(zip(tables, read, strict=True), start=1):
        location = "internal:'" + table.sheet.replace("'", "''") + "'!A1"
        sheet.write_url(row, 0, location, formats.link, string=table.sheet)
        sheet.write_string(row, 1, excel_text(table.name))
        sheet.write_string(row, 2, excel_text(table.stage))
        sheet.write_string(row, 3, excel_text(table.title), formats.wrap)
        shown = f"{len(sheet_table.rows):,}"
        if sheet_table.year is not None:
            shown += f" of {sheet_table.total_rows:,} ({sheet_table.year})"
        sheet.write_string(row, 4, shown)
        if table.note:
            sheet.write_string(row, 5, excel_text(table.note), formats.wrap)
        sheet.write_string(row, 6, excel_text(table.csv))
        sheet.write_string(row, 7, excel_text(table.parquet))
    for number, width in enumerate([32, 32, 14, 60, 18, 60, 44, 48]):
        sheet.set_column(number, number, width)


def _write_notes(
    sheet: xlsxwriter.worksheet.Worksheet,
    year: int | None,
    minimum_group_size: int | None,
    column_notes: Sequence[tuple[str, str, str, str]],
    formats: _Formats,
) -> None:

    from analysis.publishing import suppression_footnote

    suppression = (
        suppression_footnote(minimum_group_size)
        if minimum_group_size is not None
        else f"{SUPPRESSED} marks a figure hidden to protect respondents' confidentiality."
    )
    general = [
        ("Suppression", suppression),
        (
            "Suppressed survey rows",
            "Some survey tables leave hidden figures empty and mark the row in their "
            "'suppressed' column (True) instead of showing " + SUPPRESSED + ".",
        ),
        (
            "Rows shown",
            (
                f"A table with a year column shows the rows of {year} only, unless it is a "
                "trend across years or has no row for that year; the Contents sheet says "
                "which. The CSV and Parquet files hold every year."
            )
            if year is not None
            else "Every table shows every row.",
        ),
        (
            "Numbers",
            "Stored as published and shown with the decimal places the report uses; "
            "p-values to 3 significant figures, and as < 0.001 below 0.001 (the cell "
            "keeps the number).",
        ),
    ]
    sheet.freeze_panes(1, 0)
    for number, name in enumerate(["Sheet", "Column", "Stored as", "Note"]):
        sheet.write_string(0, number, name, formats.header)
    row = 1
    for topic, text in general:
        sheet.write_string(row, 0, topic, formats.header)
        sheet.write_string(row, 3, text, formats.wrap)
        row += 1
    for table_sheet, column, stored, note in column_notes:
        sheet.write_string(row, 0, table_sheet)
        if column:
            sheet.write_string(row, 1, excel_text(column))
        if stored:
            sheet.write_string(row, 2, stored)
        if note:
            sheet.write_string(row, 3, excel_text(note), formats.wrap)
        row += 1
    for number, width in enumerate([32, 28, 40, 80]):
        sheet.set_column(number, number, width)
