"""Reading tables in every format, by extension, without ever writing to the inputs."""

from __future__ import annotations

import builtins
import hashlib
import io
import os

import pandas as pd
import pytest
from package_builder import minimal_tables, write_package, write_table

from analysis.datapackage import load_data_package
from analysis.problems import DataPackageError, Problem


def problems_of(folder) -> list[Problem]:
    with pytest.raises(DataPackageError) as caught:
        load_data_package(folder)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(str(problem) for problem in problems)
    return problems[0]


@pytest.fixture(scope="module")
def csv_package(tmp_path_factory):
    return load_data_package(write_package(tmp_path_factory.mktemp("csv")))


@pytest.mark.parametrize("fmt", ["xlsx", "sav", "parquet"])
def test_every_format_loads_to_the_same_values_as_csv(tmp_path, csv_package, fmt):
    package = load_data_package(write_package(tmp_path, fmt=fmt))
    assert list(package.tables) == list(csv_package.tables)
    for name, table in csv_package.tables.items():
        pd.testing.assert_frame_equal(package.tables[name], table, obj=f"{fmt} {name}")
        assert package.files[name].name == f"{name}.{fmt}"


def test_csv_tables_load_with_the_contract_types(csv_package):
    questionnaire = csv_package.questionnaire
    assert questionnaire["year"].dtype == "int64"
    assert questionnaire["positive_codes"].tolist() == [(4, 5), (1,), (4, 5), (1,), (1, 2)]
    assert questionnaire["excluded_codes"].tolist() == [(), (9,), (), (9,), ()]
    assert questionnaire["reverse_scored"].tolist() == [False, False, False, False, True]
    responses = csv_package.responses
    assert responses["q1"].dtype == "Int64"
    # builder: q3 was not asked in 2022, so its four 2022 cells are blank
    assert responses["q3"].isna().sum() == 5
    assert responses["directorate"].isna().sum() == 1  # "not stated"
    assert csv_package.indicator_values["month"].dtype == "period[M]"
    assert csv_package.indicator_values["month"].iloc[1] == pd.Period("2023-02", "M")
    assert csv_package.action_plans["start_date"].tolist() == [pd.Timestamp("2023-01-09")]
    assert pd.isna(csv_package.indicator_values["denominator"].iloc[3])


def test_sav_keeps_value_labels(tmp_path):
    package = load_data_package(write_package(tmp_path, fmt="sav"))
    labels = package.responses.attrs["value_labels"]
    assert labels["q2"] == {1: "Yes", 2: "No", 9: "Don't know"}
    assert labels["q1"][5] == "Strongly agree"
    assert package.responses["q2"].tolist()[:3] == [1, 2, 9]  # codes stay numeric


def test_cp1252_csv_from_excel_loads(tmp_path):
    write_package(tmp_path)
    comments = minimal_tables()["comments"]
    comments.loc[0, "text"] = "Café staff – paid £5 less"
    (tmp_path / "comments.csv").write_bytes(comments.to_csv(index=False).encode("cp1252"))
    assert b"Caf\xe9" in (tmp_path / "comments.csv").read_bytes()  # really not UTF-8
    package = load_data_package(tmp_path)
    assert package.comments["text"].iloc[0] == "Café staff – paid £5 less"


def test_utf8_csv_with_byte_order_mark_loads(tmp_path):
    write_package(tmp_path)
    staff = minimal_tables()["staff"]
    (tmp_path / "staff.csv").write_bytes(staff.to_csv(index=False).encode("utf-8-sig"))
    package = load_data_package(tmp_path)
    assert list(package.staff.columns) == ["year", "directorate", "staff_group", "headcount"]


def test_csv_that_is_neither_utf8_nor_cp1252_names_the_byte(tmp_path):
    write_package(tmp_path)
    # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte: offset 10, line 2
    (tmp_path / "teams.csv").write_bytes(b"team_id,x\n\x81,y\n")
    problem = only(problems_of(tmp_path))
    assert problem.file == "teams.csv"
    assert "byte 0x81 at offset 10, line 2" in problem.message
    assert "UTF-8" in problem.message and "Windows-1252" in problem.message


def test_table_in_two_formats_is_a_problem(tmp_path):
    write_package(tmp_path)
    write_table(tmp_path, "teams", minimal_tables()["teams"], "parquet")
    problem = only(problems_of(tmp_path))
    assert problem.file == "teams.csv"
    assert "teams.csv and teams.parquet" in problem.message
    assert "keep exactly one" in problem.message


def test_unknown_extension_for_a_known_table_is_a_problem(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").rename(tmp_path / "teams.xls")
    problems = problems_of(tmp_path)
    problem = next(problem for problem in problems if problem.file == "teams.xls")
    assert "cannot read '.xls' files" in problem.message
    assert ".csv, .xlsx, .sav or .parquet" in problem.message


def test_misspelt_table_file_gets_a_suggestion(tmp_path):
    write_package(tmp_path)
    (tmp_path / "comments.csv").rename(tmp_path / "coments.csv")
    problems = problems_of(tmp_path)
    misspelt = next(problem for problem in problems if problem.file == "coments.csv")
    assert "did you mean 'comments.csv'?" in misspelt.message


def test_unrelated_files_are_ignored(tmp_path):
    write_package(tmp_path)
    (tmp_path / "notes.txt").write_text("meeting notes")
    (tmp_path / "codings").mkdir()  # the comments stage's own coding logs
    (tmp_path / "codings" / "log.csv").write_text("anything,at,all\n")
    assert load_data_package(tmp_path).name == "5TF"  # organisation.code names the dataset


def test_empty_file_is_a_problem(tmp_path):
    write_package(tmp_path)
    (tmp_path / "responses.csv").write_bytes(b"")
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row, problem.column) == ("responses.csv", None, None)
    assert "empty (0 bytes)" in problem.message


def test_required_table_with_header_only_is_a_problem(tmp_path):
    write_package(tmp_path)
    (tmp_path / "scales.csv").write_text("scale_id,code,label\n")
    problems = problems_of(tmp_path)
    header_only = [problem for problem in problems if problem.file == "scales.csv"]
    assert "header but no data rows" in only(header_only).message


def test_optional_table_with_header_only_loads_empty(tmp_path):
    write_package(tmp_path)
    (tmp_path / "codings.csv").write_text("comment_id,coder,code_id\n")
    assert load_data_package(tmp_path).codings.empty


def test_csv_row_with_too_many_cells_names_the_row(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").write_text(
        "team_id,team_name,directorate\nT1,Nursing north,Community\nT2,Finance, payroll,Corporate\n"
    )
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row) == ("teams.csv", 3)
    assert "4 cells but the header has 3" in problem.message


def test_unclosed_quote_names_the_row(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").write_text(
        'team_id,team_name,directorate\nT1,N,Community\nT2,"Finance,Corporate\n'
    )
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row) == ("teams.csv", 3)
    assert "never closed" in problem.message


def test_month_typed_as_a_date_in_excel_loads_as_that_month(tmp_path):
    write_package(tmp_path)
    values = minimal_tables()["indicator_values"]
    values["month"] = pd.to_datetime(values["month"] + "-01")  # what Excel makes of 2023-01
    (tmp_path / "indicator_values.csv").unlink()
    write_table(tmp_path, "indicator_values", values, "xlsx")
    months = load_data_package(tmp_path).indicator_values["month"]
    expected = ["2023-01", "2023-02", "2023-01", "2023-01"]  # the builder's months
    assert months.tolist() == [pd.Period(month, "M") for month in expected]


def test_semicolon_separated_csv_is_explained(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").write_text("team_id;team_name;directorate\nT1;N;Community\n")
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row) == ("teams.csv", 1)
    assert "semicolons" in problem.message


def test_column_named_twice_in_header_is_a_problem(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").write_text(
        "team_id,team_name,team_id,directorate\nT1,N,T1,Community\nT2,F,T2,Corporate\n"
    )
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row, problem.column) == ("teams.csv", 1, "team_id")
    assert "columns 1 and 3" in problem.message


def test_blank_rows_are_skipped_and_row_numbers_stay_true(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").write_text(
        "team_id,team_name,directorate\nT1,N,Community\n,,\n\nT2,F,Corporte\n"
    )
    problem = only(problems_of(tmp_path))
    # header row 1, T1 row 2, two blank rows 3 and 4, T2 row 5
    assert (problem.file, problem.row, problem.column) == ("teams.csv", 5, "directorate")


def test_damaged_workbook_is_a_problem_not_a_traceback(tmp_path):
    write_package(tmp_path)
    (tmp_path / "teams.csv").unlink()
    (tmp_path / "teams.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    problem = only(problems_of(tmp_path))
    assert problem.file == "teams.xlsx"
    assert "cannot be read as an Excel workbook" in problem.message


def _fingerprints(folder):
    return {
        path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav", "parquet"])
def test_loading_never_writes_to_the_package(tmp_path, monkeypatch, fmt):
    write_package(tmp_path, fmt=fmt)
    before = _fingerprints(tmp_path)
    real_open, real_os_open = builtins.open, os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def open_for_reading_only(file, mode="r", *args, **kwargs):
        if any(letter in mode for letter in "wax+"):
            raise AssertionError(f"opened {file} with mode {mode!r}")
        return real_open(file, mode, *args, **kwargs)

    def os_open_for_reading_only(path, flags, *args, **kwargs):
        if flags & write_flags:
            raise AssertionError(f"os.open({path}) with write flags")
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_for_reading_only)
    monkeypatch.setattr(io, "open", open_for_reading_only)
    monkeypatch.setattr(os, "open", os_open_for_reading_only)
    package = load_data_package(tmp_path)
    monkeypatch.undo()
    assert _fingerprints(tmp_path) == before
    expected = {name: digest for name, (digest, _) in before.items()}
    assert package.file_checksums() == expected
