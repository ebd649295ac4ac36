"""Reading tables in every format, by extension, without ever writing to the inputs."""

from __future__ import annotations

import builtins
import hashlib
import io
import os

import pandas as pd
import pytest
from package_builder import minimal_description, minimal_tables, write_package, write_table

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
    assert ".csv, .xlsx, .sav, .zsav or .parquet" in problem.message


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


# --- SPSS files as contractors and other tools write them ------------------------------------
# No SPSS test file of pyreadstat's or haven's is installed here (only scipy's IDL .sav files,
# a different format), so the tests write equivalent files with pyreadstat's write_sav: the
# same features (user-missing values with labels, ZSAV compression, date formats), made
# through ReadStat, the library SPSS files are read with.

NOT_ANSWERED = -9


def _contractor_responses(folder, *, extension="sav", compress=False):
    """responses.sav coded -9 "Not answered" where the builder has blanks, declared missing."""
    import pyreadstat

    responses = minimal_tables()["responses"]
    for column in ("q1", "q2"):
        responses[column] = responses[column].where(responses[column].notna(), NOT_ANSWERED)
    for column in responses.columns:
        if column.startswith("q") or column == "year":
            responses[column] = pd.to_numeric(responses[column])
        else:
            responses[column] = (
                responses[column].astype(object).where(responses[column].notna(), "")
            )
    (folder / "responses.csv").unlink()
    labels = {
        "q1": {1: "Strongly disagree", 5: "Strongly agree", NOT_ANSWERED: "Not answered"},
        "q2": {1: "Yes", 2: "No", 9: "Don't know", NOT_ANSWERED: "Not answered"},
    }
    pyreadstat.write_sav(
        responses,
        str(folder / f"responses.{extension}"),
        variable_value_labels=labels,
        missing_ranges={"q1": [NOT_ANSWERED], "q2": [{"lo": -99, "hi": -1}]},
        compress=compress,
    )
    return responses


def test_spss_user_missing_codes_become_excluded_codes_with_their_labels(tmp_path):
    write_package(tmp_path)
    written = _contractor_responses(tmp_path)
    assert (written["q1"] == NOT_ANSWERED).sum() == 1  # A3's blank q1, now -9
    package = load_data_package(tmp_path)  # no "code -9 is not in scale" problems
    assert package.responses.attrs["user_missing"] == {
        "q1": {NOT_ANSWERED: "Not answered"},
        "q2": {NOT_ANSWERED: "Not answered"},
    }
    assert package.responses["q1"].tolist()[2] == NOT_ANSWERED  # the code is kept
    questionnaire = package.questionnaire.set_index(["year", "column"])
    # q1 had no excluded code, q2 had 9 ("Don't know"); q3 declares nothing.
    assert questionnaire.loc[(2023, "q1"), "excluded_codes"] == (NOT_ANSWERED,)
    assert questionnaire.loc[(2023, "q2"), "excluded_codes"] == (NOT_ANSWERED, 9)
    assert questionnaire.loc[(2023, "q3"), "excluded_codes"] == ()
    scales = package.scales.set_index(["scale_id", "code"])["label"]
    assert scales[("agree5", NOT_ANSWERED)] == "Not answered"
    assert scales[("yes_no_dk", NOT_ANSWERED)] == "Not answered"
    assert scales[("agree5", 5)] == "Strongly agree"  # the scales table's own labels stay
    assert package.responses.attrs["value_labels"]["q2"][9] == "Don't know"


def test_the_survey_scores_leave_user_missing_codes_out_of_n(tmp_path):
    from analysis.survey import count_answers, score_items

    write_package(tmp_path)
    written = _contractor_responses(tmp_path)
    package = load_data_package(tmp_path)
    counts = count_answers(package.responses, package.questionnaire)  # takes -9 as a code
    scores = score_items(counts, package.questionnaire).set_index(["year", "item_id"])
    # A3's q1 in 2022 is -9. Reference: pandas on the written file's 2022 rows; n leaves
    # out blanks and -9, and percent positive counts 4 and 5 (agree5) among the rest.
    answers = written.loc[written["year"] == 2022, "q1"]
    valid = answers[answers.notna() & (answers != NOT_ANSWERED)]
    assert (answers == NOT_ANSWERED).sum() == 1 and len(valid) == len(answers) - 1
    item = package.questionnaire.set_index(["year", "column"]).loc[(2022, "q1"), "item_id"]
    row = scores.loc[(2022, item)]
    assert row["n"] == len(valid)
    assert row["pct_positive"] == pytest.approx(100 * valid.isin([4, 5]).mean())


def test_the_run_manifest_records_the_user_missing_codes(tmp_path):
    from analysis.pipeline import manifest as pipeline_manifest
    from analysis.pipeline import plan as pipeline_plan

    write_package(tmp_path)
    _contractor_responses(tmp_path)
    package = load_data_package(tmp_path)
    plan = pipeline_plan._Plan(
        package=package,
        data_dir=tmp_path,
        year=2023,
        stages=(),
        parameters={},
        stage_parameters={},
        notebooks={},
    )
    manifest = pipeline_manifest._manifest(plan, [], [], "2026-01-01T00:00:00Z", 0.0, "succeeded")
    assert manifest["user_missing_codes"] == {
        "file": "responses.sav",
        "columns": {"q1": {"-9": "Not answered"}, "q2": {"-9": "Not answered"}},
    }


def test_zsav_is_read_like_sav(tmp_path):
    write_package(tmp_path)
    _contractor_responses(tmp_path, extension="zsav", compress=True)
    assert (tmp_path / "responses.zsav").read_bytes()[:4] == b"$FL3"  # ZSAV's magic number
    package = load_data_package(tmp_path)
    assert package.files["responses"].name == "responses.zsav"
    assert len(package.responses) == 9


def test_an_spss_date_out_of_range_is_named_by_column_and_row(tmp_path):
    import pyreadstat

    write_package(tmp_path)
    plans = minimal_tables()["action_plans"]
    (tmp_path / "action_plans.csv").unlink()
    seconds = (pd.Timestamp("2023-01-09") - pd.Timestamp("1582-10-14")).total_seconds()
    for column in plans.columns:
        if column in ("start_date", "due_date"):
            plans[column] = seconds
        elif plans[column].map(lambda value: isinstance(value, str)).any():
            plans[column] = plans[column].astype(object).where(plans[column].notna(), "")
        else:
            plans[column] = pd.to_numeric(plans[column])
    plans.loc[0, "due_date"] = 1e13  # about the year 318,000: SPSS holds it, pandas cannot
    pyreadstat.write_sav(
        plans,
        str(tmp_path / "action_plans.sav"),
        variable_format={"start_date": "ADATE10", "due_date": "DATETIME20"},
    )
    problem = only(problems_of(tmp_path))
    assert (problem.file, problem.row, problem.column) == ("action_plans.sav", 2, "due_date")
    assert "found 'out of range: year 318,470'" in problem.message
    # 1e13 s / 31,556,952 s per Gregorian year = 316,887 years after 1582.79: year 318,470.


def test_spss_dates_and_datetimes_in_range_are_read(tmp_path):
    import pyreadstat

    # Like haven's datetime.sav: a DATE and a DATETIME column. A date before 1677, which
    # the tables' nanosecond dates cannot hold, is marked for the column's conversion to
    # report, rather than failing the whole file.
    origin = pd.Timestamp("1582-10-14")
    frame = pd.DataFrame(
        {
            "day": [(pd.Timestamp("2004-04-01") - origin).total_seconds(), None],
            "moment": [(pd.Timestamp("2004-04-01 13:45:30") - origin).total_seconds(), 0.0],
        }
    )
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(
        frame, str(path), variable_format={"day": "EDATE10", "moment": "DATETIME20"}
    )
    from analysis.datapackage.problem_log import ProblemLog
    from analysis.datapackage.readers import read_table

    log = ProblemLog()
    cells = read_table(path, path.read_bytes(), "dates.sav", log)
    assert not log
    assert cells["day"].iloc[0] == pd.Timestamp("2004-04-01")
    assert cells["moment"].iloc[0] == pd.Timestamp("2004-04-01 13:45:30")
    assert cells["moment"].iloc[1] == "out of range: year 1,583"  # 0 s is 1582-10-14


# --- Parquet files as DuckDB and other tools write them ---------------------------------------


def test_booleans_in_a_group_column_are_refused_with_the_reason(tmp_path):
    # DuckDB's read_csv guesses a Yes/No column is BOOLEAN; COPY ... TO 'x.parquet' then
    # stores true/false, and the group labels "Yes"/"No" are lost. pyarrow writes the same
    # Parquet type (BOOLEAN) here.
    description = minimal_description()
    description["group_columns"] = [*description["group_columns"], "carer"]
    tables = minimal_tables()
    responses = tables["responses"]
    responses["carer"] = [True, False, True, True, False, False, True, False, True]
    write_package(tmp_path, tables=tables, description=description)
    (tmp_path / "responses.csv").unlink()
    typed = responses.astype({"carer": bool})
    for column in ("year", "q1", "q2", "q3"):
        typed[column] = pd.to_numeric(typed[column]).astype("Int64")
    for column in ("respondent_id", "directorate", "staff_group", "team_id"):
        typed[column] = typed[column].astype("str")
    typed.to_parquet(tmp_path / "responses.parquet", index=False)
    problems = problems_of(tmp_path)
    assert [(p.file, p.column, p.row) for p in problems] == [
        ("responses.parquet", "carer", row) for row in range(2, 11)
    ]
    assert "found 'true', a true/false value" in problems[0].message
    assert "DuckDB" in problems[0].message and "all_varchar" in problems[0].message


def test_time_zone_aware_timestamps_in_a_date_column_become_dates(tmp_path):
    # DuckDB writes TIMESTAMPTZ; read in Europe/London, midnight UTC on 1 April 2004 is
    # 01:00 (BST): the date in the stamp's own zone is kept and the time of day dropped.
    write_package(tmp_path)
    plans = minimal_tables()["action_plans"]
    (tmp_path / "action_plans.csv").unlink()
    for column in plans.columns:
        if column in ("start_date", "due_date"):
            stamps = pd.to_datetime(plans[column]).dt.tz_localize("UTC")
            plans[column] = stamps.dt.tz_convert("Europe/London")
        elif plans[column].map(lambda value: isinstance(value, str)).any():
            plans[column] = plans[column].astype("str")
        else:
            plans[column] = pd.to_numeric(plans[column])
    plans.loc[0, "start_date"] = pd.Timestamp("2004-04-01 00:00", tz="UTC").tz_convert(
        "Europe/London"
    )
    assert str(plans.loc[0, "start_date"]) == "2004-04-01 01:00:00+01:00"
    plans.to_parquet(tmp_path / "action_plans.parquet", index=False)
    package = load_data_package(tmp_path)
    assert package.action_plans["start_date"].tolist() == [pd.Timestamp("2004-04-01")]
    assert package.action_plans["start_date"].dtype == "datetime64[ns]"


def test_check_names_where_the_spss_labels_and_the_scale_disagree(tmp_path):
    import pyreadstat

    from analysis.datapackage.readiness import stage_readiness

    write_package(tmp_path)
    written = _contractor_responses(tmp_path)
    package = load_data_package(tmp_path)
    # the contractor file's labels agree with scales.csv: nothing to say
    assert not [m for m in stage_readiness(package, "survey", 2023).missing if m.column]
    # a file that says 1 = "Never" where the scale says "Strongly disagree"
    pyreadstat.write_sav(
        written,
        str(tmp_path / "responses.sav"),
        variable_value_labels={"q1": {1: "Never", 5: "Strongly agree"}},
        missing_ranges={"q1": [NOT_ANSWERED], "q2": [NOT_ANSWERED]},
    )
    package = load_data_package(tmp_path)
    (note,) = [m for m in stage_readiness(package, "survey", 2023).missing if m.column]
    assert (note.table, note.column, note.blocks) == ("responses", "q1", False)
    assert note.message == (
        "the file labels code 1 of column 'q1' 'Never', but scale 'agree5' (scales) says "
        "'Strongly disagree': the reports use the scale's label"
    )
