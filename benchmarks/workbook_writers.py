"""Time the ways of writing ``tables.xlsx`` on a finished run, and openpyxl opening each.

Usage::

    .venv/bin/python -m analysis run --out /tmp/bench-run
    .venv/bin/python benchmarks/workbook_writers.py /tmp/bench-run/demo/2008 --year 2008

Writers compared, each on the same tables:

* ``xlsxwriter``: :func:`analysis.workbook.write_tables_workbook` (the report year, typed);
* ``openpyxl-write-only``: the same sheets and formats written by openpyxl's write-only
  mode (``Workbook(write_only=True)``, ``WriteOnlyCell``);
* ``hand-written``: the suite's former OOXML writer (``git show <commit>:analysis/workbook.py``,
  the commit before XlsxWriter), on every row of every CSV (what it published), and on the
  report year's rows only (CSV files cut to the rows the new workbook shows).

For each: the median seconds to write over ``--repeats`` runs, the seconds openpyxl needs
to open the result (``load_workbook``, not read-only, as a person's script would), and the
number of cells (rows times columns of every sheet). Then the seconds to write every
table as Parquet. Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks.results_file import write_results  # noqa: E402

HAND_WRITTEN_COMMIT = "38ab37a"
"""The last commit whose ``analysis/workbook.py`` wrote the OOXML itself."""

STAGES = ("survey", "indicators", "interventions", "comments", "data_overview")


def _old_writer(folder: Path):  # noqa: ANN202 - a module loaded from git
    source = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "show", f"{HAND_WRITTEN_COMMIT}:analysis/workbook.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = folder / "old_workbook.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_workbook", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_workbook"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _openpyxl_write_only(run_dir: Path, tables, path: Path, year: int) -> Path:  # noqa: ANN001
    """The new workbook's table sheets with openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from analysis.published_columns import parse_date
    from analysis.workbook import excel_text, read_sheet_table

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    contents = book.create_sheet("Contents")
    contents.append(["Sheet", "Stage", "Title", "CSV file"])
    for table in tables:
        contents.append([table.sheet, table.stage, table.title, table.csv])
    for table in tables:
        sheet_table = read_sheet_table(run_dir / table.csv, year)
        sheet = book.create_sheet(table.sheet)
        sheet.freeze_panes = "A2"
        header = []
        for name in sheet_table.header:
            cell = WriteOnlyCell(sheet, excel_text(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = [column.excel_format for column in sheet_table.columns]
        kinds = [column.kind for column in sheet_table.columns]
        for row in sheet_table.rows:
            cells = []
            for value, kind, number_format in zip(row, kinds, formats, strict=True):
                if not value:
                    cells.append(None)
                    continue
                if kind == "number" and value != "[c]":
                    cell = WriteOnlyCell(sheet, float(value))
                elif kind in ("date", "datetime"):
                    cell = WriteOnlyCell(sheet, parse_date(value))
                else:
                    cell = WriteOnlyCell(sheet, excel_text(value))
                if number_format:
                    cell.number_format = number_format
                cells.append(cell)
            sheet.append(cells)
    book.save(path)
    return path


def _year_only_csvs(run_dir: Path, tables, folder: Path, year: int) -> Path:  # noqa: ANN001
    """Copies of the CSVs cut to the rows the new workbook shows, for the old writer."""
    from analysis.workbook import read_sheet_table

    for table in tables:
        sheet_table = read_sheet_table(run_dir / table.csv, year)
        target = folder / table.csv
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows([sheet_table.header, *sheet_table.rows])
    return folder


def _cells(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path)
    seconds = time.perf_counter() - started
    return seconds, sum(sheet.max_row * sheet.max_column for sheet in book.worksheets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from analysis.parquet_tables import write_parquet_tables
    from analysis.pipeline.manifest import _published_tables
    from analysis.workbook import write_tables_workbook

    tables = _published_tables(args.run_dir, STAGES)
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as scratch:
        scratch = Path(scratch)
        old = _old_writer(scratch)
        year_only = _year_only_csvs(args.run_dir, tables, scratch / "year", args.year)
        writers = {
            "xlsxwriter": lambda path: write_tables_workbook(
                args.run_dir, tables, path, year=args.year, minimum_group_size=11
            ),
            "openpyxl-write-only": lambda path: _openpyxl_write_only(
                args.run_dir, tables, path, args.year
            ),
            "hand-written, every row": lambda path: old.write_tables_workbook(
                args.run_dir, tables, path
            ),
            "hand-written, report year": lambda path: old.write_tables_workbook(
                year_only, tables, path
            ),
        }
        result = {}
        for name, write in writers.items():
            path = scratch / f"{name.replace(' ', '_').replace(',', '')}.xlsx"
            seconds = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                write(path)
                seconds.append(time.perf_counter() - started)
            open_seconds, cells = _cells(path)
            result[name] = {
                "write_seconds_median": round(statistics.median(seconds), 2),
                "write_seconds": [round(s, 2) for s in seconds],
                "openpyxl_open_seconds": round(open_seconds, 2),
                "cells": cells,
                "bytes": path.stat().st_size,
            }
            print(name, result[name], flush=True)
        started = time.perf_counter()
        write_parquet_tables(args.run_dir, tables)
        result["parquet, every row"] = {"write_seconds": round(time.perf_counter() - started, 2)}
        print("parquet", result["parquet, every row"], flush=True)
    print(write_results("workbook_writers", result, ["xlsxwriter", "openpyxl", "pyarrow"]))


if __name__ == "__main__":
    main()
