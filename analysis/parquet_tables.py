"""Every published table as Parquet, for analysts: ``tables/{stage}/{name}.parquet``.

The workbook shows a person the report year; the CSV and the Parquet file hold every row.
The Parquet file is the CSV typed (:mod:`analysis.published_columns`): numbers are
``int64`` or ``double``, ISO dates ``date32`` (``timestamp`` with a time of day),
identifiers and other text ``string``, ``True``/``False`` columns ``bool``. A suppressed
figure, ``[c]`` in the CSV, is null; a table whose CSV marks suppression with ``[c]``
gains a ``suppressed`` column (true in every row with a hidden figure), as the survey
tables already have. The table's title and note are kept in the file's metadata.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analysis.published_columns import PublishedColumn, describe_column, parse_date
from analysis.publishing import SUPPRESSED_SYMBOL, write_atomically
from analysis.workbook import PublishedTableFile

__all__ = ["parquet_table", "write_parquet_tables"]

_BOOLEANS = {"True": True, "False": False}


def _array(column: PublishedColumn, values: Sequence[str]) -> pa.Array:
    """One column as an Arrow array; blank and ``[c]`` cells are null."""
    present = [value if value and value != SUPPRESSED_SYMBOL else None for value in values]
    shown = {value for value in present if value is not None}
    if column.kind == "number":
        if all("." not in v and "e" not in v.lower() and v.lstrip("-").isdigit() for v in shown):
            return pa.array([None if v is None else int(v) for v in present], pa.int64())
        return pa.array([None if v is None else float(v) for v in present], pa.float64())
    if column.kind == "date":
        return pa.array([None if v is None else parse_date(v).date() for v in present], pa.date32())
    if column.kind == "datetime":
        return pa.array([None if v is None else parse_date(v) for v in present], pa.timestamp("us"))
    if shown and shown <= _BOOLEANS.keys():
        return pa.array([None if v is None else _BOOLEANS[v] for v in present], pa.bool_())
    return pa.array(present, pa.string())


def parquet_table(csv_file: Path) -> pa.Table:
    """A published CSV as a typed Arrow table (see the module's description).

    Parameters
    ----------
    csv_file
        ``tables/{stage}/{name}.csv``; its ``.json`` beside it gives the title and note.
    """
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    width = len(header)
    rows = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    by_column = [[row[number] for row in rows] for number in range(width)]
    arrays = [
        _array(describe_column(name, values), values)
        for name, values in zip(header, by_column, strict=True)
    ]
    names = list(header)
    if "suppressed" not in names and any(SUPPRESSED_SYMBOL in values for values in by_column):
        names.append("suppressed")
        arrays.append(pa.array([SUPPRESSED_SYMBOL in row for row in rows], pa.bool_()))
    metadata = {}
    meta_path = csv_file.with_suffix(".json")
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        metadata = {"title": str(meta.get("title") or ""), "note": str(meta.get("note") or "")}
    return pa.Table.from_arrays(arrays, names=names, metadata=metadata or None)


def write_parquet_tables(run_dir: Path | str, tables: Sequence[PublishedTableFile]) -> list[Path]:
    """Write ``tables/{stage}/{name}.parquet`` beside each published CSV, atomically.

    Parameters
    ----------
    run_dir
        The run folder.
    tables
        The published tables.

    Returns
    -------
    list of Path
        The files written, in the tables' order.
    """
    run_dir = Path(run_dir)
    written = []
    for table in tables:
        buffer = io.BytesIO()
        pq.write_table(parquet_table(run_dir / table.csv), buffer, compression="zstd")
        written.append(write_atomically(run_dir / table.parquet, buffer.getvalue()))
    return written
