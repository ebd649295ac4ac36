"""The run's Excel workbook (``analysis.workbook``) and the Parquet files beside the CSVs.

The workbook is read back by two independent readers: openpyxl (values and number formats)
and calamine (python-calamine, the Rust reader pandas uses with ``engine="calamine"``),
which turns a cell into a date only when its number format is a date format.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from analysis.parquet_tables import write_parquet_tables
from analysis.presentation import format_p_value
from analysis.published_columns import p_value_excel_format
from analysis.publishing import suppression_footnote
from analysis.workbook import (
    EXCEL_MAX_CELL_CHARACTERS,
    EXCEL_MAX_ROWS,
    PublishedTableFile,
    excel_text,
    write_tables_workbook,
)


def _publish(
    run_dir: Path, name: str, text: str, *, dimensions: tuple[str, ...] = ()
) -> PublishedTableFile:
    folder = run_dir / "tables" / "survey"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text("\ufeff" + text, encoding="utf-8")
    meta = {"title": name.title(), "note": "", "dimensions": list(dimensions)}
    (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    return PublishedTableFile("survey", name, name.title(), "", f"tables/survey/{name}.csv", name)


def _calamine(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


SCORES = (
    "year,team_id,person_ref,started,pct,n,p_value,ratio\n"
    "2007,7,12345678901234567,2007-04-01,50.0,12,0.5,1.5\n"
    "2008,42,12345678901234568,2008-04-01,59.2901878914405,1234,0.012345,1e400\n"
    "2008,43,00123,2008-05-02,[c],[c],0.2,2.25\n"
)


@pytest.fixture
def scores_workbook(tmp_path: Path) -> tuple[Path, list[PublishedTableFile]]:
    tables = [_publish(tmp_path, "scores", SCORES)]
    return write_tables_workbook(tmp_path, tables, year=2008, minimum_group_size=11), tables


def test_numbers_keep_full_precision_and_show_the_reports_decimals(scores_workbook) -> None:
    path, _ = scores_workbook
    sheet = load_workbook(path)["scores"]
    assert [c.value for c in sheet[1]] == [
        "year", "team_id", "person_ref", "started", "pct", "n", "p_value", "ratio"
    ]  # fmt: skip
    # 59.2901878914405 is stored as the CSV has it (the double nearest it, as float()).
    assert sheet["E2"].value == 59.2901878914405
    # The report's rule (analysis.publishing): ~3 significant figures of the largest value,
    # at least 1 and at most 3 decimals; whole numbers none; thousands separated except
    # in a column named for years. Largest pct 59.29 -> 1 decimal. A p-value to 3
    # significant figures: 0.012345 shows as 0.0123 (4 decimals), 0.2 as 0.200.
    assert sheet["E2"].number_format == "#,##0.0"
    assert sheet["F2"].number_format == "#,##0" and sheet["F2"].value == 1234
    assert sheet["G2"].number_format == "0.0000" and sheet["G2"].value == 0.012345
    assert sheet["G3"].number_format == "0.000" and sheet["G3"].value == 0.2
    assert sheet["A2"].number_format == "0" and sheet["A2"].value == 2008
    # Suppressed figures stay [c]; 1e400 (infinite as a double) is left empty.
    assert sheet["E3"].value == "[c]" and sheet["F3"].value == "[c]"
    assert sheet["H2"].value is None and sheet["H3"].value == 2.25
    # calamine reads the same numbers.
    rows = _calamine(path, "scores")
    assert rows[1][4] == 59.2901878914405 and rows[1][5] == 1234 and rows[1][7] == ""


def test_p_values_show_3_significant_figures_or_below_0_001(tmp_path: Path) -> None:
    # Worked by hand from the rule (APA Publication Manual, 7th ed., 6.36; the reports'
    # p-values): 3 significant figures, "< 0.001" below 0.001. The format gives the
    # decimals: 0.0330 (4), 0.00100 (5), 0.500 (3), 1.00 (2); 0.09996 rounds to 0.100 (3).
    values = ["0.033", "0.001", "0.5", "1.0", "0.09996", "0.0004", "1.23e-07", "[c]"]
    tables = [_publish(tmp_path, "tests", "p_adjusted\n" + "\n".join(values) + "\n")]
    path = write_tables_workbook(tmp_path, tables)
    cells = list(load_workbook(path)["tests"]["A"])[1:]
    below = '[<0.001]"< 0.001";General'
    assert [c.number_format for c in cells] == [
        "0.0000", "0.00000", "0.000", "0.00", "0.000", below, below, "General"
    ]  # fmt: skip
    # The cells keep the numbers (calamine reads them back unchanged).
    assert _calamine(path, "tests")[1:8] == [[0.033], [0.001], [0.5], [1], [0.09996], [0.0004],
                                             [1.23e-07]]  # fmt: skip
    notes = {row[1]: row[2] for row in load_workbook(path)["Notes"].iter_rows(values_only=True)}
    assert notes["p_adjusted"] == "p-value, shown to 3 significant figures (< 0.001 below 0.001)"


@pytest.mark.parametrize("p", [0.5, 0.0332, 0.00999, 0.001, 0.09996, 0.999, 1.0, 0.0004, 0.1])
def test_a_p_value_cell_shows_what_the_report_shows(p: float) -> None:
    # The report's text (analysis.presentation.format_p_value) has as many decimals as
    # the cell's format, or is "< 0.001" where the format shows that.
    shown = format_p_value(p)
    code = p_value_excel_format(p)
    if shown == "< 0.001":
        assert code.startswith('[<0.001]"< 0.001"')
    else:
        assert code == "0" + ("." + "0" * len(shown.split(".")[1]) if "." in shown else "")


def test_interval_bounds_show_their_estimates_decimals(tmp_path: Path) -> None:
    # As the report's tables (analysis.presentation.column_decimals): the bounds hold one
    # decimal, the score two, so all three show two; a percentage's bounds stay at one.
    text = "score,ci_low,ci_high,pct,pct_ci_low,pct_ci_high\n7.34,7.1,7.5,55.25,50.1,60.4\n"
    folder = tmp_path / "tables" / "survey"
    table = _publish(tmp_path, "bounds", text)
    precision = {"pct": "percent", "pct_ci_low": "percent", "pct_ci_high": "percent"}
    meta = {"title": "Bounds", "note": "", "dimensions": [], "precision": precision}
    (folder / "bounds.json").write_text(json.dumps(meta), encoding="utf-8")
    row = load_workbook(write_tables_workbook(tmp_path, [table]))["bounds"][2]
    assert [c.number_format for c in row] == ["#,##0.00"] * 3 + ["#,##0.0"] * 3


def test_decimals_never_exceed_what_the_report_shows(tmp_path: Path) -> None:
    # The report's HTML (analysis.publishing.PublishedTable): ~3 significant figures of
    # the largest value, capped by the decimals the published figures carry and by their
    # kind's precision (analysis.disclosure.precision: a percentage to 1 decimal).
    # pct 5.25 -> 3 s.f. rule 2 decimals, but a percentage is published to 1;
    # share 5.25 (no kind) keeps 2; ratio holds 2.5 only -> 1 decimal, not 2.50.
    folder = tmp_path / "tables" / "survey"
    table = _publish(tmp_path, "mixed", "pct,share,ratio\n5.25,5.25,2.5\n")
    meta = {"title": "Mixed", "note": "", "dimensions": [], "precision": {"pct": "percent"}}
    (folder / "mixed.json").write_text(json.dumps(meta), encoding="utf-8")
    row = load_workbook(write_tables_workbook(tmp_path, [table]))["mixed"][2]
    assert [c.number_format for c in row] == ["#,##0.0", "#,##0.00", "#,##0.0"]
    assert [c.value for c in row] == [5.25, 5.25, 2.5]


def test_dates_are_dates_and_ids_are_text(scores_workbook) -> None:
    path, _ = scores_workbook
    sheet = load_workbook(path)["scores"]
    assert sheet["D2"].value == dt.datetime(2008, 4, 1)
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    # Digit-only IDs: a name ending _id, 17 digits (2**53 < 10**16, so a double would
    # change the last digit: float("12345678901234567") == 12345678901234568.0) and a
    # leading zero all stay text.
    assert [sheet["B2"].value, sheet["C2"].value, sheet["C3"].value] == [
        "42",
        "12345678901234568",
        "00123",
    ]
    assert sheet["B2"].data_type == "s"
    rows = _calamine(path, "scores")
    assert rows[1][3] == dt.date(2008, 4, 1)  # a date only because of its date format
    assert rows[1][1:3] == ["42", "12345678901234568"]


def test_only_the_report_year_is_shown_and_the_contents_says_so(scores_workbook) -> None:
    path, tables = scores_workbook
    book = load_workbook(path)
    assert book.sheetnames == ["Contents", "scores", "Notes"]
    assert [row[0] for row in book["scores"].iter_rows(min_row=2, values_only=True)] == [
        2008,
        2008,
    ]
    contents = book["Contents"]
    assert [c.value for c in contents[1]] == [
        "Sheet", "Table", "Stage", "Title", "Rows shown", "Description", "CSV file",
        "Parquet file",
    ]  # fmt: skip
    assert [c.value for c in contents[2]] == [
        "scores",
        "scores",
        "survey",
        "Scores",
        "2 of 3 (2008)",
        None,
        "tables/survey/scores.csv",
        "tables/survey/scores.parquet",
    ]
    assert contents["A2"].hyperlink.location == "'scores'!A1"


def test_notes_give_the_suppression_rule_and_how_each_column_is_stored(scores_workbook) -> None:
    path, _ = scores_workbook
    notes = [list(row) for row in load_workbook(path)["Notes"].iter_rows(values_only=True)]
    assert ["Suppression", None, None, suppression_footnote(11)] in notes
    by_column = {row[1]: row for row in notes if row[0] == "scores"}
    assert by_column["pct"][2] == "number, shown to 1 decimal place(s); stored at full precision"
    assert by_column["started"][2] == "date"
    assert by_column["person_ref"][2] == "text"
    assert by_column["ratio"][3].startswith("1 value(s) are infinite or not a number")


def test_a_trend_table_and_a_table_without_the_year_keep_every_row(tmp_path: Path) -> None:
    trend = _publish(tmp_path, "by_year", "year,n\n2007,30\n2008,31\n", dimensions=("year",))
    earlier = _publish(tmp_path, "changes", "year,change\n2006,new item\n")
    book = load_workbook(write_tables_workbook(tmp_path, [trend, earlier], year=2008))
    assert [r[0] for r in book["by_year"].iter_rows(min_row=2, values_only=True)] == [2007, 2008]
    assert [r[0] for r in book["changes"].iter_rows(min_row=2, values_only=True)] == [2006]
    assert book["Contents"]["E2"].value == "2"


def test_text_is_neutralised_cleaned_and_cut_in_utf16_units(tmp_path: Path) -> None:
    # 20,000 emoji are 40,000 UTF-16 code units: Excel's 32,767 hold 16,383 of them (the
    # 16,384th would need units 32,767 and 32,768). Code points would allow all 20,000.
    emoji = "\U0001f600" * 20_000
    text = f'quote\n=SUM(A1)\n"-2+3"\n@cmd\nbell\x07here\n{emoji}\n'
    tables = [_publish(tmp_path, "quotes", text)]
    path = write_tables_workbook(tmp_path, tables)
    sheet = load_workbook(path)["quotes"]
    assert [sheet[f"A{row}"].value for row in range(2, 6)] == [
        "'=SUM(A1)",
        "'-2+3",
        "'@cmd",
        "bellhere",
    ]
    assert sheet["A6"].value == "\U0001f600" * 16_383
    assert len(sheet["A6"].value.encode("utf-16-le")) // 2 <= EXCEL_MAX_CELL_CHARACTERS
    assert excel_text("plain") == "plain"


def test_the_same_tables_give_the_same_bytes(tmp_path: Path) -> None:
    tables = [_publish(tmp_path, "scores", SCORES)]
    first = write_tables_workbook(tmp_path, tables, tmp_path / "a.xlsx", year=2008)
    second = write_tables_workbook(tmp_path, tables, tmp_path / "b.xlsx", year=2008)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_a_table_longer_than_a_sheet_is_refused_by_name(tmp_path: Path) -> None:
    tables = [_publish(tmp_path, "huge", "n\n" + "1\n" * EXCEL_MAX_ROWS)]
    with pytest.raises(ValueError, match=r"huge\.csv has 1,048,576 rows.*1,048,575"):
        write_tables_workbook(tmp_path, tables)


def test_parquet_holds_every_year_typed(scores_workbook, tmp_path: Path) -> None:
    _, tables = scores_workbook
    [path] = write_parquet_tables(tmp_path, tables)
    assert path == tmp_path / "tables/survey/scores.parquet"
    table = pq.read_table(path)
    assert table.schema.field("year").type == pa.int64()
    assert table.schema.field("team_id").type == pa.string()
    assert table.schema.field("started").type == pa.date32()
    assert table.schema.field("pct").type == pa.float64()
    assert table.column("year").to_pylist() == [2007, 2008, 2008]  # every year
    assert table.column("person_ref").to_pylist()[0] == "12345678901234567"
    assert table.column("pct").to_pylist() == [50.0, 59.2901878914405, None]
    assert table.column("ratio").to_pylist()[1] == float("inf")
    # [c] rows are null, flagged in a suppressed column the CSV marks with [c].
    assert table.column("suppressed").to_pylist() == [False, False, True]
    assert table.schema.metadata[b"title"] == b"Scores"
