"""Reading a data package's files: finding them, and reading any table by its extension.

Every reader works on the file's bytes, read once in binary mode, so a data package's
files are never opened for writing. Each returns a table of raw cells (text stripped of
surrounding spaces, blank cells missing, wholly blank rows dropped) whose index is the
row's 0-based position among the data rows, so problems can name the spreadsheet row
(index + 2). Converting cells to their types is :mod:`analysis.datapackage.conversion`'s job.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.datapackage.limits import check_table_size, link_leaves_package
from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.schemas import TABLES

__all__ = [
    "TABLE_EXTENSIONS",
    "DESCRIPTION_FILE",
    "CODEBOOK_FILE",
    "PackageFiles",
    "locate_files",
    "read_table",
    "read_parquet_batches",
    "strip_blanks",
    "decode_csv",
    "declared_missing_codes",
]

TABLE_EXTENSIONS = (".csv", ".xlsx", ".sav", ".zsav", ".parquet")
"""The formats a table may be saved in; each table must be in exactly one of them.

``.zsav`` is SPSS's compressed format (``SAVE /ZCOMPRESSED``), read as ``.sav`` is."""

SPSS_ORIGIN = np.datetime64("1582-10-14T00:00:00", "us")
"""SPSS stores a date as seconds since the start of the Gregorian calendar (IBM, "Date and
time variables" in the SPSS Statistics documentation)."""

_SPSS_DATE_FORMATS = ("DATE", "ADATE", "EDATE", "JDATE", "SDATE")
_SPSS_DATETIME_FORMATS = ("DATETIME", "YMDHMS")
_SPSS_FORMAT_NAME = re.compile(r"[A-Z]+")
# The loaded tables hold dates as datetime64[ns] (docs/data-package.md), which runs from
# 1677-09-21 to 2262-04-11; SPSS's seconds can go far beyond.
_FIRST_DATE = np.datetime64(pd.Timestamp.min.ceil("D").to_datetime64(), "us")
_LAST_DATE = np.datetime64(pd.Timestamp.max.floor("D").to_datetime64(), "us")
_SECONDS_PER_YEAR = 365.2425 * 86_400

DESCRIPTION_FILE = "dataset.yml"
CODEBOOK_FILE = "codebook.yml"
INDICATORS_FILE = "indicators.yml"

_MISSPELT_TABLE_CUTOFF = 0.8


@dataclass
class PackageFiles:
    """The files of a data package, found by name.

    Attributes
    ----------
    tables
        Table name to its file, for every table found in exactly one readable format.
    description, codebook
        ``dataset.yml`` and ``codebook.yml``, or ``None`` when absent.
    unusable
        Table name to a file of it that cannot be used (the table is saved in two formats,
        or only in a format the suite cannot read); a problem has been reported.
    """

    tables: dict[str, Path] = field(default_factory=dict)
    unusable: dict[str, Path] = field(default_factory=dict)
    description: Path | None = None
    codebook: Path | None = None
    indicators: Path | None = None


def locate_files(folder: Path, log: ProblemLog) -> PackageFiles:
    """Find a data package's description, codebook and tables.

    Parameters
    ----------
    folder
        The data package folder.
    log
        Receives a problem for a table saved in two formats, a known table saved in a
        format the suite cannot read, or a file whose name looks like a misspelt table.

    Returns
    -------
    PackageFiles
        What was found. Other files (README.md, notes), sub-folders (e.g. ``codings/``),
        hidden files and Excel's lock files (``~$...``) are not read. A symbolic link
        leading outside the package is refused with a problem naming it.
    """
    found = PackageFiles()
    by_table: dict[str, list[Path]] = {}
    yaml_files = {
        DESCRIPTION_FILE: "description",
        CODEBOOK_FILE: "codebook",
        INDICATORS_FILE: "indicators",
    }
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith((".", "~$")) or link_leaves_package(path, folder, log):
            continue
        if not path.is_file():
            continue
        if name.lower() in yaml_files:
            setattr(found, yaml_files[name.lower()], path)
            continue
        stem, suffix = _split_name(name)
        if stem in TABLES:
            by_table.setdefault(stem, []).append(path)
        elif stem in ("dataset", "codebook", "indicators") and suffix == ".yaml":
            log.add(name, f"expected this file to be called '{stem}.yml'")
        elif suffix in TABLE_EXTENSIONS and (close := _closest_table(stem)):
            log.add(name, f"not a table of the data contract; did you mean '{close}{suffix}'?")
    for table, paths in by_table.items():
        readable = [path for path in paths if _split_name(path.name)[1] in TABLE_EXTENSIONS]
        for path in paths:
            if path not in readable:
                log.add(
                    path.name,
                    f"the suite cannot read '{_split_name(path.name)[1]}' files; "
                    f"save table '{table}' as {_formats_in_words()}",
                )
        if len(readable) != 1:
            found.unusable[table] = paths[0]
        if len(readable) > 1:
            names = " and ".join(path.name for path in readable)
            log.add(
                readable[0].name,
                f"table '{table}' is saved in more than one format ({names}); keep exactly one",
            )
        elif readable:
            found.tables[table] = readable[0]
    return found


def _split_name(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return name.lower(), ""
    return stem.lower(), "." + suffix.lower()


def _closest_table(stem: str) -> str | None:
    matches = difflib.get_close_matches(stem, TABLES, n=1, cutoff=_MISSPELT_TABLE_CUTOFF)
    return matches[0] if matches else None


def _formats_in_words() -> str:
    return ", ".join(TABLE_EXTENSIONS[:-1]) + " or " + TABLE_EXTENSIONS[-1]


def read_table(path: Path, data: bytes, file: str, log: ProblemLog) -> pd.DataFrame | None:
    """Read one table from its file's bytes, choosing the reader by the file's extension.

    Parameters
    ----------
    path
        The file (its extension chooses the reader).
    data
        The file's whole content, already read in binary mode.
    file
        The file's name as shown in problems (relative to the data package).
    log
        Receives a problem when the file is empty or cannot be read, or when the table
        is beyond the limits (:mod:`analysis.datapackage.limits`: rows, cell length).

    Returns
    -------
    pandas.DataFrame or None
        The raw cells, or ``None`` when the file could not be read. For ``.sav`` and
        ``.zsav`` files, ``attrs["value_labels"]`` maps each labelled column to
        ``{code: label}`` (whole number codes as ints), ``attrs["column_labels"]`` maps
        columns to their SPSS variable labels and ``attrs["user_missing"]`` maps each column
        with user-missing values declared to ``{code: label}`` for every such code labelled
        or present (see :func:`declared_missing_codes`).
    """
    if not data:
        log.add(file, "the file is empty (0 bytes); expected a header row and data rows")
        return None
    suffix = _split_name(path.name)[1]
    readers = {
        ".csv": _read_csv,
        ".xlsx": _read_xlsx,
        ".sav": _read_sav,
        ".zsav": _read_sav,
        ".parquet": _read_parquet,
    }
    if suffix not in readers:
        raise ValueError(f"no reader for {suffix!r} files; expected one of {TABLE_EXTENSIONS}")
    frame = readers[suffix](data, file, log)
    if frame is None:
        return None
    table = _tidy(frame, file, log)
    return table if table is not None and check_table_size(table, file, log) else None


def read_parquet_batches(
    path: Path, file: str, log: ProblemLog, *, columns: list[str], batch_rows: int
) -> Iterator[tuple[Any, int]]:
    """Read a Parquet table in batches of rows, without converting them to pandas.

    Parameters
    ----------
    path
        The Parquet file.
    file
        Its name as shown in problems.
    log
        Receives a problem when the file cannot be read.
    columns
        The columns to read (the others are never loaded).
    batch_rows
        Rows per batch; memory grows with it, not with the file.

    Yields
    ------
    tuple
        Each :class:`pyarrow.RecordBatch` and the 0-based position of its first row among
        the file's data rows (so problems name the spreadsheet row, position + 2). Text
        read from it should go through :func:`strip_blanks`, as :func:`read_table` does.
    """
    import pyarrow.parquet as parquet

    offset = 0
    try:
        for batch in parquet.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
            yield batch, offset
            offset += batch.num_rows
    except Exception as error:  # pyarrow raises several error types for damaged files
        log.add(file, f"cannot be read as a Parquet file: {error}")


def strip_blanks(cells: pd.DataFrame) -> pd.DataFrame:
    """Strip spaces around text and make empty text missing, in every column."""
    return pd.DataFrame(
        {name: _blank_to_missing(cells[name]) for name in cells.columns}, index=cells.index
    )


def decode_csv(data: bytes, file: str, log: ProblemLog) -> str | None:
    """Decode a CSV file's bytes: UTF-8 (with or without a byte-order mark), else Windows-1252.

    Windows-1252 is what Excel writes when a sheet is saved as plain "CSV" in the UK. When
    neither decodes, the problem names the first byte each encoding cannot read.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as cp1252_error:
            bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
            log.add(
                file,
                "cannot be read as text: it is not UTF-8 "
                f"({_where_byte(data, utf8_error.start + bom)}) and not Windows-1252 "
                f"({_where_byte(data, cp1252_error.start)}); save it from Excel as 'CSV UTF-8'",
            )
            return None


def _where_byte(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte 0x{data[offset]:02x} at offset {offset}, line {line}"


def _read_csv(data: bytes, file: str, log: ProblemLog) -> pd.DataFrame | None:
    text = decode_csv(data, file, log)
    if text is None:
        return None
    try:
        # The header is read as row 0, so it fixes the width: a later row with more cells
        # is an error naming its line, rather than data silently dropped.
        cells = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            index_col=False,
        )
    except pd.errors.EmptyDataError:
        log.add(file, "blank; expected the column names (the header) in row 1", row=1)
        return None
    except pd.errors.ParserError as error:
        _report_csv_error(str(error), file, log)
        return None
    header = ["" if pd.isna(name) else str(name) for name in cells.iloc[0]]
    if not any(name.strip() for name in header):
        log.add(file, "blank; expected the column names (the header) in row 1", row=1)
        return None
    if len(header) == 1 and ";" in header[0]:
        log.add(
            file,
            "the header is one column containing ';': cells seem to be separated by "
            "semicolons; save the file with commas (Excel: 'CSV UTF-8')",
            row=1,
        )
        return None
    cells = cells.iloc[1:].reset_index(drop=True)
    cells.columns = header
    return cells


def _report_csv_error(message: str, file: str, log: ProblemLog) -> None:
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote is not None:  # pandas counts rows from 0, the header included
        log.add(
            file, 'a double quote (") opened in this row is never closed', row=int(quote[1]) + 1
        )
        return
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match is None:
        log.add(file, f"cannot be read as CSV: {message.strip()}")
        return
    expected, line, saw = match.groups()
    log.add(
        file,
        f"this row has {saw} cells but the header has {expected}; "
        "a cell containing a comma must be in double quotes",
        row=int(line),
    )


def _read_xlsx(data: bytes, file: str, log: ProblemLog) -> pd.DataFrame | None:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        log.add(file, f"cannot be read as an Excel workbook (.xlsx): {error}")
        return None
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        log.add(file, "the first worksheet is empty; expected a header in row 1 and data below")
        return None
    header = ["" if name is None else str(name) for name in rows[0]]
    width = len(header)
    body = [tuple(row[:width]) + (None,) * (width - len(row)) for row in rows[1:]]
    cells = pd.DataFrame(body, columns=range(width), dtype=object)
    cells.columns = header
    return cells


def _read_sav(data: bytes, file: str, log: ProblemLog) -> pd.DataFrame | None:
    import pyreadstat

    try:
        # Dates are converted below, column by column, so that one date out of range is
        # a problem naming its cell rather than an error rejecting the whole file.
        cells, meta = pyreadstat.read_sav(
            io.BytesIO(data), user_missing=True, disable_datetime_conversion=True
        )
    except Exception as error:  # pyreadstat raises its own error types for damaged files
        log.add(file, f"cannot be read as an SPSS file (.sav or .zsav): {error}")
        return None
    for column, spss_format in meta.original_variable_types.items():
        name = _SPSS_FORMAT_NAME.match(spss_format or "")
        if name and name[0] in _SPSS_DATE_FORMATS + _SPSS_DATETIME_FORMATS:
            cells[column] = _spss_dates(cells[column], name[0] in _SPSS_DATE_FORMATS)
    value_labels = {
        column: {_whole(code): label for code, label in labels.items()}
        for column, labels in meta.variable_value_labels.items()
    }
    cells.attrs["value_labels"] = value_labels
    cells.attrs["column_labels"] = {
        column: label for column, label in meta.column_names_to_labels.items() if label
    }
    cells.attrs["user_missing"] = declared_missing_codes(cells, meta.missing_ranges, value_labels)
    return cells


def _spss_dates(seconds: pd.Series, date_only: bool) -> pd.Series:
    """An SPSS date column (seconds since 14 October 1582) as dates.

    A value outside the dates a table can hold becomes the text ``out of range: year N``,
    which the column's conversion then reports with its row and column like any other
    cell that is not a date (one problem per cell, the rest of the file still read).
    """
    values = pd.to_numeric(seconds, errors="coerce").to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        first = (_FIRST_DATE - SPSS_ORIGIN) / np.timedelta64(1, "s")
        last = (_LAST_DATE - SPSS_ORIGIN) / np.timedelta64(1, "s")
        readable = np.isfinite(values) & (values >= first) & (values <= last)
    microseconds = np.where(readable, np.round(values * 1e6), 0).astype("int64")
    dates = pd.Series(SPSS_ORIGIN + microseconds.astype("timedelta64[us]"), index=seconds.index)
    dates = dates.where(readable)
    if date_only:
        dates = dates.dt.floor("D")
    outside = ~readable & ~np.isnan(values)
    if not outside.any():
        return dates
    marked = dates.astype(object)
    marked[outside] = [
        f"out of range: year {1582.79 + value / _SECONDS_PER_YEAR:,.0f}"
        for value in values[outside]
    ]
    return marked


def declared_missing_codes(
    cells: pd.DataFrame,
    missing_ranges: dict[str, list[dict[str, float]]],
    value_labels: dict[str, dict[object, str]],
) -> dict[str, dict[int, str]]:
    """The whole-number codes an SPSS file declares as user-missing, with their labels.

    Parameters
    ----------
    cells
        The file's cells, read with user-missing values kept.
    missing_ranges
        pyreadstat's ``meta.missing_ranges``: per column, ranges ``{"lo": .., "hi": ..}``
        (a single declared value has ``lo == hi``).
    value_labels
        Per column, ``{code: label}``.

    Returns
    -------
    dict
        Per column, every declared code that is labelled or present in the data, with its
        label (``"missing (declared in the SPSS file)"`` when it has none).
    """
    declared: dict[str, dict[int, str]] = {}
    for column, ranges in missing_ranges.items():
        if column not in cells.columns or not pd.api.types.is_numeric_dtype(cells[column]):
            continue
        labels = value_labels.get(column, {})
        candidates = {*pd.unique(cells[column].dropna()), *labels}
        codes = {
            int(code): labels.get(_whole(code), "missing (declared in the SPSS file)")
            for code in candidates
            if isinstance(code, int | float | np.number)
            and float(code).is_integer()
            and any(limits["lo"] <= code <= limits["hi"] for limits in ranges)
        }
        if codes:
            declared[column] = dict(sorted(codes.items()))
    return declared


def _whole(code: object) -> object:
    """Return a whole-number float code as an int (SPSS stores every number as a float)."""
    return int(code) if isinstance(code, float) and code.is_integer() else code


def _read_parquet(data: bytes, file: str, log: ProblemLog) -> pd.DataFrame | None:
    try:
        return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    except Exception as error:  # pyarrow raises several error types for damaged files
        log.add(file, f"cannot be read as a Parquet file: {error}")
        return None


def _tidy(cells: pd.DataFrame, file: str, log: ProblemLog) -> pd.DataFrame | None:
    """Strip text, make blank cells missing, drop blank rows and check the header."""
    attrs = dict(cells.attrs)
    names = [str(name).strip() for name in cells.columns]
    cells = cells.reset_index(drop=True)
    columns = [_blank_to_missing(cells.iloc[:, position]) for position in range(len(names))]
    keep = [
        position for position, name in enumerate(names) if name or columns[position].notna().any()
    ]
    problem_free = True
    seen: dict[str, int] = {}
    for position in keep:
        name = names[position]
        if not name:
            log.add(file, f"column {position + 1} has values but no name in the header", row=1)
            problem_free = False
        elif name in seen:
            log.add(
                file,
                f"the header names this column twice (columns {seen[name] + 1} "
                f"and {position + 1}); expected each column once",
                row=1,
                column=name,
            )
            problem_free = False
        else:
            seen[name] = position
    if not problem_free:
        return None
    table = pd.DataFrame({names[position]: columns[position] for position in keep})
    filled = np.logical_or.reduce([columns[position].notna().to_numpy() for position in keep])
    if not filled.all():
        table = table[filled]
    table.attrs = attrs
    return table


def _blank_to_missing(values: pd.Series) -> pd.Series:
    """Strip spaces around text and turn empty text into a missing value."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        stripped = values.str.strip()
        empty = stripped == ""
        return stripped.mask(empty) if empty.any() else stripped
    if values.dtype == object:
        return values.map(_blank_cell_to_missing)
    return values


def _blank_cell_to_missing(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value if value else np.nan
    return value
