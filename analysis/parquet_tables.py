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
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from analysis.published_columns import SUPPRESSED, PublishedColumn, describe_column, parse_date
from analysis.workbook import PublishedTableFile

__all__ = ["parquet_table", "write_parquet_tables"]

_BOOLEANS = {"True", "False"}
_NOT_SHOWN = pa.array(["", SUPPRESSED])


def _array(column: PublishedColumn, values: pa.ChunkedArray, shown: set[str]) -> pa.Array:
    """One column of text as an Arrow array of its type; blank and ``[c]`` cells are null."""
    present = pc.if_else(
        pc.is_in(values, value_set=_NOT_SHOWN), pa.scalar(None, pa.string()), values
    )
    if column.kind == "number":
        whole = all(value.lstrip("-").isdigit() for value in shown)
        try:
            return pc.cast(present, pa.int64() if whole else pa.float64())
        except pa.ArrowInvalid:  # e.g. 1e400, which Arrow will not parse as a double
            return pa.array([None if v is None else float(v) for v in present.to_pylist()])
    if column.kind == "date":
        return pc.cast(pc.strptime(present, format="%Y-%m-%d", unit="s"), pa.date32())
    if column.kind == "datetime":
        return pa.array(
            [None if v is None else parse_date(v) for v in present.to_pylist()], pa.timestamp("us")
        )
    if shown and shown <= _BOOLEANS:
        return pc.equal(present, "True")
    return present


def parquet_table(csv_file: Path) -> pa.Table:
    """A published CSV as a typed Arrow table (see the module's description).

    Parameters
    ----------
    csv_file
        ``tables/{stage}/{name}.csv``; its ``.json`` beside it gives the title and note.
    """
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    text = pv.read_csv(
        csv_file,
        parse_options=pv.ParseOptions(newlines_in_values=True),
        convert_options=pv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    arrays, suppressed = [], None
    for name, values in zip(header, text.columns, strict=True):
        shown = set(pc.unique(values).to_pylist()) - {"", SUPPRESSED}
        arrays.append(_array(describe_column(name, list(shown)), values, shown))
        hidden = pc.equal(values, SUPPRESSED)
        suppressed = hidden if suppressed is None else pc.or_(suppressed, hidden)
    names = list(header)
    if "suppressed" not in names and suppressed is not None and pc.any(suppressed).as_py():
        names.append("suppressed")
        arrays.append(suppressed)
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
    from analysis.publishing import write_atomically  # imports scipy: only when writing

    run_dir = Path(run_dir)
    written = []
    for table in tables:
        buffer = io.BytesIO()
        pq.write_table(parquet_table(run_dir / table.csv), buffer, compression="zstd")
        written.append(write_atomically(run_dir / table.parquet, buffer.getvalue()))
    return written
