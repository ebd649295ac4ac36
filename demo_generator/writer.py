"""Writing the demo package's files byte for byte the same on every run.

Tables are written as UTF-8 CSV with ``\\n`` line ends, blank cells for missing values, and
numbers in a fixed format (integers without a decimal point; other numbers with at most the
stated number of decimals, trailing zeros removed). Each file is written to a temporary name
and then moved into place, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["format_numbers", "table_to_csv_text", "write_text"]


def format_numbers(values: pd.Series, decimals: int) -> pd.Series:
    """Format numbers with at most ``decimals`` decimals, trailing zeros removed; blank if missing.

    >>> format_numbers(pd.Series([25.60, 3.0, float("nan")]), 1).tolist()
    ['25.6', '3', '']
    """
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(numbers)
    text = np.char.mod(f"%.{decimals}f", np.where(missing, 0.0, numbers))
    text = pd.Series(text, index=values.index, dtype=object)
    if decimals > 0:
        text = text.str.replace(r"\.?0+$", "", regex=True)
    return text.where(~missing, "")


def _column_as_text(column: pd.Series, decimals: int | None) -> pd.Series:
    if pd.api.types.is_bool_dtype(column):
        raise ValueError(f"column {column.name!r} is boolean; write 'true'/'false' text instead")
    if pd.api.types.is_integer_dtype(column):
        return column.astype("Int64").astype(str).where(column.notna(), "").astype(object)
    if pd.api.types.is_float_dtype(column):
        if decimals is None:
            raise ValueError(
                f"column {column.name!r} holds decimals: say how many to write "
                "(decimals={...: n})"
            )
        return format_numbers(column, decimals)
    return column.astype(object).where(column.notna(), "")


def table_to_csv_text(table: pd.DataFrame, decimals: dict[str, int] | None = None) -> str:
    """The CSV text of ``table``.

    Parameters
    ----------
    table
        The table; its row order is kept.
    decimals
        Column -> maximum decimals, required for every column holding non-integer numbers.
    """
    decimals = decimals or {}
    text_columns = {
        name: _column_as_text(table[name], decimals.get(name)) for name in table.columns
    }
    as_text = pd.DataFrame(text_columns, columns=list(table.columns))
    return as_text.to_csv(index=False, lineterminator="\n")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(temporary, path)
