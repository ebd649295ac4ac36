"""The run's Excel workbook, written as Office Open XML by ``analysis.workbook``.

The workbook's layout (sheet names, bold frozen header, typed columns, ``[c]``, the Contents
sheet's links) is also tested through the pipeline in ``tests/test_pipeline.py``; here are
the properties of the writer itself: a valid package that openpyxl and pandas read back to
the CSV's values, the same bytes for the same tables, and Excel's limits.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.workbook import (
    EXCEL_MAX_CELL_CHARACTERS,
    EXCEL_MAX_ROWS,
    PublishedTableFile,
    _column_letters,
    write_tables_workbook,
)


def _publish(run_dir: Path, name: str, text: str) -> PublishedTableFile:
    folder = run_dir / "tables" / "survey"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return PublishedTableFile("survey", name, name.title(), "", f"tables/survey/{name}.csv", name)


def test_columns_are_named_as_excel_names_them() -> None:
    # Excel's columns: A..Z are 1..26, then AA (27), ZZ (26 + 26*26 = 702), AAA (703).
    assert [_column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_every_part_is_well_formed_xml_and_the_bytes_repeat(tmp_path: Path) -> None:
    tables = [_publish(tmp_path, "scores", "item,n,pct\nq1 & q2,12,50.5\n<q3>,[c],[c]\n")]
    first = write_tables_workbook(tmp_path, tables, tmp_path / "a.xlsx")
    second = write_tables_workbook(tmp_path, tables, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        names = package.namelist()
        for name in names:
            ElementTree.fromstring(package.read(name))  # raises if not well formed
    assert "xl/worksheets/sheet2.xml" in names
    sheet = load_workbook(first)["scores"]
    assert [c.value for c in sheet[2]] == ["q1 & q2", 12, 50.5]
    assert [c.value for c in sheet[3]] == ["<q3>", "[c]", "[c]"]


def test_wide_table_reads_back_as_its_csv(tmp_path: Path) -> None:
    # 30 columns (past Z), blanks, negative and exponent numbers, text with spaces kept.
    header = [f"c{i}" for i in range(30)]
    rows = [[str(i * 1.5 - 3) for i in range(29)] + ["  padded "] for _ in range(3)]
    rows[1][4] = ""
    rows[2][5] = "1e-05"
    text = ",".join(header) + "\n" + "\n".join(",".join(row) for row in rows) + "\n"
    tables = [_publish(tmp_path, "wide", text)]
    path = write_tables_workbook(tmp_path, tables)
    expected = pd.read_csv(tmp_path / "tables/survey/wide.csv")
    read = pd.read_excel(path, sheet_name="wide")
    pd.testing.assert_frame_equal(read, expected, check_dtype=False)
    assert read.loc[0, "c29"] == "  padded "
    assert read.loc[2, "c5"] == pytest.approx(1e-05)


def test_characters_xml_cannot_hold_are_dropped_and_long_text_is_cut(tmp_path: Path) -> None:
    long_text = "x" * (EXCEL_MAX_CELL_CHARACTERS + 10)
    tables = [_publish(tmp_path, "quotes", f"quote\nbell\x07here\n{long_text}\n")]
    sheet = load_workbook(write_tables_workbook(tmp_path, tables))["quotes"]
    assert sheet["A2"].value == "bellhere"
    assert len(sheet["A3"].value) == EXCEL_MAX_CELL_CHARACTERS


def test_a_table_longer_than_a_sheet_is_refused_by_name(tmp_path: Path) -> None:
    tables = [_publish(tmp_path, "huge", "n\n" + "1\n" * EXCEL_MAX_ROWS)]
    with pytest.raises(ValueError, match=r"huge\.csv has 1,048,576 rows.*1,048,575"):
        write_tables_workbook(tmp_path, tables)
