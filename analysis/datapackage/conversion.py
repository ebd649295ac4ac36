"""Converting a column of raw cells to its contract type, reporting every cell that fails.

Cells may arrive as text (CSV), as Python objects (Excel), or already typed (SPSS,
Parquet); each converter accepts all three. A cell that cannot be converted becomes a
missing value and is reported with its spreadsheet row, so the checks that follow can
run on the rest of the column.

Loaded types: ``text`` -> pandas ``str``; ``integer`` and ``code`` -> nullable ``Int64``
(``integer`` columns without blanks become ``int64`` once the package is valid);
``number`` -> ``float64``; ``boolean`` -> nullable ``boolean`` (then ``bool``);
``codes`` -> tuples of ints (blank -> empty tuple); ``date`` -> ``datetime64[ns]``;
``month`` -> ``period[M]``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

import numpy as np
import pandas as pd

from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.schemas import ColumnSpec

__all__ = ["convert_column", "as_text", "quote_cell"]

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"-?\d+")
_LONGEST_QUOTE = 40


def quote_cell(value: object) -> str:
    """Quote a cell's value for a problem message, shortening long text."""
    text = _cell_text(value)
    if text is None:
        return "a blank cell"
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return text
    if len(text) > _LONGEST_QUOTE:
        text = text[: _LONGEST_QUOTE - 3] + "..."
    return repr(text)


def as_text(values: pd.Series) -> pd.Series:
    """Return the cells as pandas ``str`` values: whole numbers without ``.0``, dates ISO.

    Parameters
    ----------
    values
        Raw cells of any dtype; missing values stay missing.
    """
    if values.dtype == "str":
        return values
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype("str")
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("Int64").astype("str")
    return values.map(_cell_text).astype("str")


def _cell_text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | pd.Timestamp):
        timestamp = pd.Timestamp(value)
        if timestamp == timestamp.normalize():
            return timestamp.strftime("%Y-%m-%d")
        return timestamp.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() or None


def convert_column(values: pd.Series, spec: ColumnSpec, file: str, log: ProblemLog) -> pd.Series:
    """Convert one column to the type its specification asks for.

    Parameters
    ----------
    values
        The column's raw cells, indexed by 0-based data row.
    spec
        What the column must hold.
    file
        The file's name, for problems.
    log
        Receives one problem per blank cell where a value is required, per cell of the
        wrong type, and per value out of bounds or not among the allowed values.

    Returns
    -------
    pandas.Series
        The converted column, same index; cells that failed any check are missing, so
        the checks that follow do not report them again.
    """
    blank = values.isna().to_numpy()
    if not spec.blank_allowed and blank.any():
        log.add_rows(
            file,
            spec.name,
            "blank",
            values.index[blank],
            lambda _: f"blank; expected {spec.expectation()}",
        )
    converted, failed = _CONVERTERS[spec.kind](values)
    failed = failed & ~blank
    if failed.any():
        log.add_rows(
            file,
            spec.name,
            "wrong type",
            values.index[failed],
            lambda index: _wrong_type(values[index], spec),
        )
    rejected = _check_bounds(values, converted, spec, file, log)
    if spec.allowed:
        rejected |= _check_allowed(converted, spec, file, log)
    return converted.mask(rejected) if rejected.any() else converted


def _wrong_type(value: object, spec: ColumnSpec) -> str:
    if spec.kind == "text" and isinstance(value, bool | np.bool_):
        return (
            f"found {quote_cell(value)}, a true/false value: the program that wrote the file "
            "stored this column as booleans (DuckDB's CSV import turns Yes/No into true/"
            "false); expected the text itself, e.g. the group's label: save the column as "
            "text (in DuckDB, read_csv(..., all_varchar = true))"
        )
    return f"expected {spec.expectation()}, found {quote_cell(value)}"


def _nothing_failed(values: pd.Series) -> np.ndarray:
    return np.zeros(len(values), dtype=bool)


def _to_text(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Text, refusing true/false cells: they are what a tool made of a column's words."""
    if pd.api.types.is_bool_dtype(values.dtype):
        booleans = values.notna().to_numpy(dtype=bool)
    elif values.dtype == object:
        booleans = values.map(lambda value: isinstance(value, bool | np.bool_)).to_numpy(bool)
    else:
        return as_text(values), _nothing_failed(values)
    text = as_text(values)
    return (text.mask(booleans) if booleans.any() else text), booleans


def _to_number(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(values.dtype):
        return pd.Series(np.nan, index=values.index), values.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64")
    else:
        numbers = pd.to_numeric(as_text(values), errors="coerce").astype("float64")
    array = numbers.to_numpy()
    failed = (values.notna().to_numpy() & np.isnan(array)) | np.isinf(array)
    return (numbers.mask(failed) if failed.any() else numbers), failed


def _to_integer(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if values.dtype == "str":  # fast path for the usual case: every cell a plain whole number
        plain = values.str.fullmatch(r"[+-]?[0-9]+").fillna(True).to_numpy(dtype=bool)
        if plain.all():
            return values.astype("Int64"), _nothing_failed(values)
    numbers, failed = _to_number(values)
    array = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        failed = failed | (~np.isnan(array) & (array % 1 != 0))
    if failed.any():
        numbers = numbers.mask(failed)
    return numbers.astype("Int64"), failed


def _to_boolean(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), _nothing_failed(values)
    words = as_text(values).str.lower()
    truth = pd.Series(pd.NA, index=values.index, dtype="boolean")
    truth[words.isin(_TRUE)] = True
    truth[words.isin(_FALSE)] = False
    return truth, (words.notna() & truth.isna()).to_numpy()


def _to_codes(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    parsed = [_parse_codes(text) for text in as_text(values)]
    failed = np.array([codes is None for codes in parsed], dtype=bool) & values.notna().to_numpy()
    codes = pd.Series([codes or () for codes in parsed], index=values.index, dtype=object)
    return codes, failed


def _parse_codes(text: object) -> tuple[int, ...] | None:
    if not isinstance(text, str):
        return ()
    parts = [part.strip() for part in text.split(";")]
    if not all(_CODE.fullmatch(part) for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _to_date(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = _naive(values).dt.floor("D")  # a date: the time of day is dropped
        return dates.astype("datetime64[ns]"), _nothing_failed(values)
    return _parse_text_dates(as_text(values), _DATE, "%Y-%m-%d")


def _to_month(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates, failed = _naive(values).astype("datetime64[ns]"), _nothing_failed(values)
    else:
        if values.dtype == object:  # Excel turns a typed 2023-04 into a date
            values = values.map(
                lambda value: value.strftime("%Y-%m") if isinstance(value, dt.date) else value
            )
        dates, failed = _parse_text_dates(as_text(values), _MONTH, "%Y-%m")
    return dates.dt.to_period("M"), failed


def _naive(dates: pd.Series) -> pd.Series:
    """Drop a time zone (Parquet may carry one), keeping the date and time in that zone."""
    return dates.dt.tz_localize(None) if dates.dt.tz is not None else dates


def _parse_text_dates(
    text: pd.Series, pattern: re.Pattern[str], date_format: str
) -> tuple[pd.Series, np.ndarray]:
    well_formed = text.str.fullmatch(pattern.pattern).fillna(False).to_numpy(dtype=bool)
    dates = pd.to_datetime(text.where(well_formed), format=date_format, errors="coerce")
    dates = dates.astype("datetime64[ns]")
    return dates, text.notna().to_numpy() & dates.isna().to_numpy()


_CONVERTERS = {
    "text": _to_text,
    "integer": _to_integer,
    "code": _to_integer,
    "number": _to_number,
    "boolean": _to_boolean,
    "codes": _to_codes,
    "date": _to_date,
    "month": _to_month,
}


def _check_bounds(
    raw: pd.Series, converted: pd.Series, spec: ColumnSpec, file: str, log: ProblemLog
) -> np.ndarray:
    """Report numbers out of bounds; return where they are."""
    if spec.kind not in ("integer", "code", "number"):
        return _nothing_failed(converted)
    numbers = converted.to_numpy(dtype="float64", na_value=np.nan)
    outside = np.zeros(len(numbers), dtype=bool)
    with np.errstate(invalid="ignore"):
        if spec.at_least is not None:
            outside |= numbers < spec.at_least
        if spec.greater_than is not None:
            outside |= numbers <= spec.greater_than
        if spec.at_most is not None:
            outside |= numbers > spec.at_most
    if outside.any():
        log.add_rows(
            file,
            spec.name,
            "out of range",
            converted.index[outside],
            lambda index: f"expected {spec.expectation()}, found {quote_cell(raw[index])}",
        )
    return outside


def _check_allowed(
    converted: pd.Series, spec: ColumnSpec, file: str, log: ProblemLog
) -> np.ndarray:
    """Report text that is not among the allowed values; return where it is."""
    other = (converted.notna() & ~converted.isin(spec.allowed)).to_numpy()
    if not other.any():
        return other

    def describe(index: int) -> str:
        value = converted[index]
        close = difflib.get_close_matches(value.lower(), spec.allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"expected {spec.expectation()}, found {quote_cell(value)}{hint}"

    log.add_rows(file, spec.name, "not allowed", converted.index[other], describe)
    return other
