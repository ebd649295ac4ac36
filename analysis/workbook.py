"""The run's Excel workbook: every published table in one ``tables.xlsx``, one sheet each.

The workbook is written directly as an Office Open XML package (ECMA-376 Part 1, the
SpreadsheetML parts Excel, LibreOffice and openpyxl read): a zip of one XML part per sheet,
the workbook, its relationships and a style sheet. Each sheet's XML is built column by
column from the CSV's text, which takes about a tenth of the time a cell-by-cell writer
such as XlsxWriter needs (a demo run publishes 1.3 million cells, and the workbook is the
last thing a run waits for). Text is stored as inline strings, so no shared-string table
is kept in memory, and the zip's timestamps are fixed, so the same tables always give the
same bytes.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = ["PublishedTableFile", "excel_sheet_names", "sheet_xml", "write_tables_workbook"]

SUPPRESSED = "[c]"
"""The mark of a suppressed figure, as :mod:`analysis.publishing` writes it."""

CONTENTS_SHEET = "Contents"
"""The workbook's first sheet: one row per table, with a link to its sheet."""

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL_CHARACTERS = 32_767

_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.(\d+))?(?:[eE][-+]?\d+)?$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (indices into the style sheet's cellXfs): plain, bold header, link; the
# number formats follow from _FIRST_NUMBER_STYLE on.
_BOLD_STYLE = 1
_LINK_STYLE = 2
_FIRST_NUMBER_STYLE = 3
_FIRST_CUSTOM_NUMBER_FORMAT = 164  # ids below 164 are Excel's built-in formats

MAX_DECIMALS = 30
"""Numbers show at most this many decimals (the style sheet has "0.0" to this many)."""


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
        ``~2``, ``~3``... None is ``Contents``, the workbook's first sheet.
    """
    used = {CONTENTS_SHEET.lower()}
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


def _column_letters(index: int) -> str:
    """``A`` for the first column (index 0), ``Z``, ``AA``, ... as Excel names them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _number_style(values: Sequence[str]) -> int | None:
    """The column's number style when every shown value is a number, else None (text).

    0 (General) for whole numbers; otherwise the style showing the CSV's largest number
    of decimals (at most :data:`MAX_DECIMALS`). ``[c]`` and blanks do not count.
    """
    decimals = -1
    for value in set(values) - {"", SUPPRESSED}:
        match = _NUMBER.match(value)
        if match is None:
            return None
        decimals = max(decimals, len(match.group(1) or ""))
    if decimals < 0:
        return None
    return _FIRST_NUMBER_STYLE + min(decimals, MAX_DECIMALS) - 1 if decimals else 0


def _inline_string(value: str) -> str:
    """A text cell's type, value and end tag: ``t="inlineStr"><is><t>...</t></is></c>``."""
    text = escape(_NOT_XML.sub("", value[:EXCEL_MAX_CELL_CHARACTERS]))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _column_cells(
    letters: str, values: Sequence[str], number_style: int | None, text_style: int = 0
) -> list[str]:
    """One column's cells from row 2 on; blanks are left out, ``[c]`` stays text.

    ``number_style`` is the style of the column's numbers (0 for plain), or None for a
    text column, whose cells get ``text_style``. Each distinct text is escaped once.
    """
    if number_style is None:
        texts = {value: _inline_string(value) for value in set(values)}
        style = f' s="{text_style}"' if text_style else ""
        return [
            f'<c r="{letters}{row}"{style}{texts[value]}' if value else ""
            for row, value in enumerate(values, start=2)
        ]
    style = f' s="{number_style}"' if number_style else ""
    suppressed = _inline_string(SUPPRESSED)
    return [
        f'<c r="{letters}{row}"{style}><v>{value}</v></c>'
        if value and value != SUPPRESSED
        else (f'<c r="{letters}{row}"{suppressed}' if value else "")
        for row, value in enumerate(values, start=2)
    ]


def _sheet_xml(
    header: Sequence[str],
    columns: Sequence[Sequence[str]],
    number_styles: Sequence[int | None],
    *,
    selected: bool = False,
    links: Sequence[tuple[str, str, str]] = (),
) -> str:
    """A worksheet part: bold frozen header, typed columns, widths fitted to the text.

    ``number_styles`` holds, per column, the style of its numbers (0 for plain) or None
    for a text column. ``links`` are ``(cell, location, text)`` links within the workbook;
    their cells, in the first column, are shown in the link style.
    """
    letters = [_column_letters(number) for number in range(len(header))]
    widths = []
    for heading, values in zip(header, columns, strict=True):
        longest = max([len(heading), *map(len, values)])
        widths.append(min(max(longest + 2, 8), 60))
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
        for n, width in enumerate(widths, start=1)
    )
    header_row = "".join(
        f'<c r="{letter}1" s="{_BOLD_STYLE}"{_inline_string(heading)}'
        for letter, heading in zip(letters, header, strict=True)
    )
    body = [
        _column_cells(letter, values, style, _LINK_STYLE if links and number == 0 else 0)
        for number, (letter, values, style) in enumerate(
            zip(letters, columns, number_styles, strict=True)
        )
    ]
    rows = [
        f'<row r="{number}">{"".join(cells)}</row>'
        for number, cells in enumerate(zip(*body, strict=True), start=2)
    ]
    tab_selected = ' tabSelected="1"' if selected else ""
    hyperlinks = "".join(
        f"<hyperlink ref={quoteattr(reference)} location={quoteattr(location)} "
        f"display={quoteattr(display)}/>"
        for reference, location, display in links
    )
    return "".join(
        [
            _XML_DECLARATION,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">',
            f'<sheetViews><sheetView{tab_selected} workbookViewId="0">',
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
            f"<cols>{cols}</cols>" if cols else "",
            f'<sheetData><row r="1">{header_row}</row>',
            *rows,
            "</sheetData>",
            f"<hyperlinks>{hyperlinks}</hyperlinks>" if hyperlinks else "",
            "</worksheet>",
        ]
    )


def _styles_xml() -> str:
    """The style sheet: plain, bold and link fonts, then "0.0" to :data:`MAX_DECIMALS`."""
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    custom = [(_FIRST_CUSTOM_NUMBER_FORMAT + n, "0." + "0" * (n + 1)) for n in range(MAX_DECIMALS)]
    num_fmts = "".join(
        f"<numFmt numFmtId={quoteattr(str(number))} formatCode={quoteattr(code)}/>"
        for number, code in custom
    )
    number_xfs = "".join(
        f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for number, _ in custom
    )
    return "".join(
        [
            _XML_DECLARATION,
            f'<styleSheet xmlns="{_MAIN}">',
            f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "",
            f'<fonts count="3"><font>{font}</font><font><b/>{font}</font>',
            f'<font><u/><color rgb="FF0563C1"/>{font}</font></fonts>',
            '<fills count="2"><fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill></fills>',
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>',
            "</borders>",
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
            f'</cellStyleXfs><cellXfs count="{_FIRST_NUMBER_STYLE + len(custom)}">',
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
            '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
            number_xfs,
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>',
            "</cellStyles></styleSheet>",
        ]
    )


def _package_parts(sheet_names: Sequence[str]) -> dict[str, str]:
    """The workbook part, the relationships and the content types for these sheets."""
    count = len(sheet_names)
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(sheet_names, start=1)
    )
    worksheet_type = f"{_RELATIONSHIPS}/worksheet"
    workbook_relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{worksheet_type}" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    sheet_overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return {
        "[Content_Types].xml": (
            f"{_XML_DECLARATION}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheet_overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f"{workbook_relationships}"
            f'<Relationship Id="rId{count + 1}" Type="{_RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
    }


def _read_columns(path: Path) -> tuple[list[str], list[list[str]]]:
    """The CSV's header and its columns as text (short rows padded with blanks)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    if len(rows) + 1 > EXCEL_MAX_ROWS:
        raise ValueError(
            f"{path.name} has {len(rows):,} rows; an Excel sheet holds at most "
            f"{EXCEL_MAX_ROWS - 1:,} below its header (the CSV file has them all)"
        )
    width = len(header)
    rows = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    return header, [list(column) for column in zip(*rows, strict=True)] if rows else [
        [] for _ in header
    ]


def sheet_xml(csv_file: Path | str) -> str:
    """The worksheet part for one published CSV file.

    A sheet does not depend on the other tables, so a run prepares each stage's sheets as
    soon as the stage finishes, while later stages still run (see
    :func:`write_tables_workbook`'s ``prepared``).

    Raises
    ------
    ValueError
        If the table has more rows than an Excel sheet holds.
    """
    header, columns = _read_columns(Path(csv_file))
    return _sheet_xml(header, columns, [_number_style(values) for values in columns])


def write_tables_workbook(
    run_dir: Path | str,
    tables: Sequence[PublishedTableFile],
    path: Path | str | None = None,
    *,
    prepared: Mapping[str, str] | None = None,
) -> Path:
    """Write every published table into one Excel workbook, one sheet each.

    Parameters
    ----------
    run_dir
        The run folder holding ``tables/{stage}/{name}.csv``.
    tables
        The tables, in the order of their sheets.
    path
        The workbook; ``{run_dir}/tables.xlsx`` by default.
    prepared
        Sheets made earlier by :func:`sheet_xml`, by the table's ``csv`` path; the others
        are made now.

    Returns
    -------
    Path
        The workbook. Its first sheet, ``Contents``, lists every table's sheet, stage, title,
        note and CSV file, with a link to the sheet. In each table's sheet the header row is
        bold and frozen, columns whose shown values are all numbers hold numbers (with the
        CSV's decimals), and suppressed figures stay as the text ``[c]``. A text longer
        than Excel's 32,767 characters per cell is cut there (the CSV keeps it whole).

    Raises
    ------
    ValueError
        If a table has more rows than an Excel sheet holds.
    """
    run_dir = Path(run_dir)
    path = Path(path) if path is not None else run_dir / "tables.xlsx"
    prepared = prepared or {}
    sheets = [prepared.get(t.csv) or sheet_xml(run_dir / t.csv) for t in tables]
    contents_columns = [
        [t.sheet for t in tables],
        [t.stage for t in tables],
        [t.title for t in tables],
        [t.note for t in tables],
        [t.csv for t in tables],
    ]
    links = [
        (f"A{row}", "'" + table.sheet.replace("'", "''") + "'!A1", table.sheet)
        for row, table in enumerate(tables, start=2)
    ]
    contents = _sheet_xml(
        ["Sheet", "Stage", "Title", "Note", "CSV file"],
        contents_columns,
        [None] * 5,
        selected=True,
        links=links,
    )
    parts = _package_parts([CONTENTS_SHEET, *(t.sheet for t in tables)])
    parts["xl/styles.xml"] = _styles_xml()
    for number, sheet in enumerate([contents, *sheets], start=1):
        parts[f"xl/worksheets/sheet{number}.xml"] = sheet
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, text.encode("utf-8"), compresslevel=1)
    return path
