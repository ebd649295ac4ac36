"""``python -m analysis check DATA_DIR``: a summary and exit status 0, or the problems and 1."""

from __future__ import annotations

import pytest
from package_builder import minimal_description, minimal_tables, write_package

from analysis.cli import DEFAULT_DATA, main
from analysis.datapackage import check_data_package, load_data_package, yearly_summary


@pytest.fixture(scope="module")
def valid_folder(tmp_path_factory):
    return write_package(tmp_path_factory.mktemp("valid"))


def summary_row(output: str, year: int) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.split()[:1] == [str(year)])


def test_check_prints_a_summary_and_returns_0(valid_folder, capsys):
    assert main(["check", str(valid_folder)]) == 0
    output = capsys.readouterr().out
    assert "no problems found" in output
    assert "Organisation: Testfield Primary Care Trust (5TF)" in output
    assert "Survey years: 2022, 2023" in output
    # builder: 2022 has 4 respondents and headcount 10 + 4 + 6 = 20 -> 4 / 20 = 20.0%;
    # 2023 has 5 respondents and headcount 12 + 3 + 5 = 20 -> 5 / 20 = 25.0%.
    # columns: year, respondents, headcount, response rate, items, comments
    assert summary_row(output, 2022) == ["2022", "4", "20", "20.0%", "2", "1"]
    assert summary_row(output, 2023) == ["2023", "5", "20", "25.0%", "3", "2"]
    assert "comments (3 rows)" in output
    assert "Optional tables absent: none" in output


def test_check_lists_absent_optional_tables(tmp_path, capsys):
    tables = minimal_tables()
    for name in ("appraisals", "appraisal_objectives", "appraisal_skills"):
        del tables[name]
    assert check_data_package(write_package(tmp_path, tables)) == 0
    output = capsys.readouterr().out
    assert "Optional tables absent: appraisals, appraisal_objectives, appraisal_skills" in output


def test_check_prints_every_problem_and_returns_1(tmp_path, capsys):
    tables = minimal_tables()
    tables["responses"].loc[5, "q1"] = "x"
    tables["staff"].loc[4, "headcount"] = -3
    assert main(["check", str(write_package(tmp_path, tables))]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == f"The data package '{tmp_path.name}' has 2 problem(s):"
    assert lines[1:] == [
        "  - responses.csv, row 7, column 'q1': expected a whole-number code, found 'x'",
        "  - staff.csv, row 6, column 'headcount': expected a whole number >= 0, found '-3'",
    ]
    assert "Traceback" not in captured.out + captured.err


def test_check_refuses_a_package_that_does_not_state_its_minimum_group_size(tmp_path, capsys):
    """The size that gates every figure comes from dataset.yml only: no default of 11."""
    description = minimal_description()
    del description["minimum_group_size"]
    assert main(["check", str(write_package(tmp_path, description=description))]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"The data package '{tmp_path.name}' has 1 problem(s):",
        "  - dataset.yml: missing key 'minimum_group_size' (a whole number >= 1, the fewest "
        "respondents a shown figure may be based on; the NHS Staff Survey's own is 11)",
    ]


def test_check_of_a_folder_that_does_not_exist(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "nowhere: does not exist; expected a data package folder" in capsys.readouterr().out


def test_yearly_summary_counts(valid_folder):
    summary = yearly_summary(load_data_package(valid_folder))
    assert summary["year"].tolist() == [2022, 2023]
    assert summary["respondents"].tolist() == [4, 5]
    assert summary["headcount"].tolist() == [20, 20]
    assert summary["response_rate"].tolist() == pytest.approx([4 / 20, 5 / 20])
    assert summary["items"].tolist() == [2, 3]
    assert summary["comments"].tolist() == [1, 2]


def test_package_helpers(valid_folder):
    package = load_data_package(valid_folder)
    assert package.name == "5TF"  # organisation.code in dataset.yml names the dataset
    assert package.latest_year == 2023
    assert package.items(2023)["item_id"].tolist() == ["enthusiastic", "appraisal_had", "pressure"]
    assert package.items(2022)["column"].tolist() == ["q1", "q2"]
    with pytest.raises(ValueError, match="no staff survey in 2019; the survey_years are 2022"):
        package.items(2019)
    assert package.codebook.codable_ids() == ("workload", "staffing")
    assert set(package.file_checksums()) == {
        "dataset.yml",
        "codebook.yml",
        *(f"{name}.csv" for name in package.tables),
    }


def test_absent_optional_table_is_none(tmp_path):
    tables = minimal_tables()
    del tables["appraisal_skills"]
    package = load_data_package(write_package(tmp_path, tables))
    assert package.appraisal_skills is None
    assert package.appraisals is not None


@pytest.mark.slow
def test_demo_data_package_is_valid(capsys):
    assert check_data_package(DEFAULT_DATA) == 0, capsys.readouterr().out
