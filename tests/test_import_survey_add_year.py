"""``import-survey --add-year``: a new year appended to a package, checked against earlier years.

The flat files are those of tests/test_import_survey.py split by year: 2022 is imported as a
package, then 2023 is added. The reference is the package imported from both years at once:
adding the year must give the same tables, and leave the 2022 rows as they were.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from test_import_survey import (  # noqa: F401
    MINIMUM,
    QUESTIONNAIRE,
    SCALES,
    _import,
    _population,
    _responses,
    flat_files,
)

from analysis.cli import main
from analysis.datapackage import load_data_package
from analysis.survey.add_year import add_survey_year
from analysis.survey.importer import SurveyImportError


def _year_files(flat_files: dict[str, Path], folder: Path, year: int) -> dict[str, Path]:  # noqa: F811
    """The flat files holding one survey year only."""
    folder.mkdir()
    responses = _responses()
    questionnaire = pd.read_csv(flat_files["questionnaire"], dtype=str, keep_default_na=False)
    population = _population()
    files = dict(flat_files)
    files["responses"] = folder / "responses.csv"
    files["questionnaire"] = folder / "questionnaire.csv"
    files["population"] = folder / "headcounts.csv"
    responses[responses["year"] == year].to_csv(files["responses"], index=False)
    questionnaire[questionnaire["year"] == str(year)].to_csv(files["questionnaire"], index=False)
    population[population["year"] == year].to_csv(files["population"], index=False)
    return files


def _options(files: dict[str, Path]) -> dict[str, object]:
    return {
        "responses": files["responses"],
        "questionnaire": files["questionnaire"],
        "organisation": "RXA",
        "group_columns": ["directorate", "occupation"],
        "staff_group": "occupation",
        "minimum_group_size": MINIMUM,
        "population": files["population"],
        "scales": files["scales"],
    }


def _folder_checksums(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def package_2022(flat_files, tmp_path):  # noqa: F811
    out = tmp_path / "rxa"
    _import(_year_files(flat_files, tmp_path / "y2022", 2022), out)
    return out


def test_adding_a_year_gives_the_package_imported_at_once(flat_files, package_2022, tmp_path):  # noqa: F811
    before = {
        name: package_2022.joinpath(f"{name}.csv").read_bytes()
        for name in ("responses", "staff", "questionnaire", "comparators")
    }
    added = add_survey_year(package_2022, _options(_year_files(flat_files, tmp_path / "y", 2023)))
    assert added == (2023,)
    appended = load_data_package(package_2022)
    _import(flat_files, tmp_path / "at-once")
    at_once = load_data_package(tmp_path / "at-once")
    assert appended.description.survey_years == (2022, 2023)
    for name in ("questionnaire", "responses", "staff", "comparators", "comparator_profile"):
        pd.testing.assert_frame_equal(
            appended.tables[name]
            .sort_values(list(appended.tables[name].columns[:3]))
            .reset_index(drop=True),
            at_once.tables[name]
            .sort_values(list(at_once.tables[name].columns[:3]))
            .reset_index(drop=True),
            check_like=True,
            obj=name,
        )
    for name, data in before.items():  # the earlier rows stay, byte for byte, first
        assert package_2022.joinpath(f"{name}.csv").read_bytes().startswith(data), name
    # items asked in 2022 and 2023 are comparable; time_adequate (new in 2023) is not
    questionnaire = appended.questionnaire
    in_2023 = questionnaire[questionnaire["year"] == 2023].set_index("item_id")
    assert in_2023["comparable_with_previous"].to_dict() == {
        "recognition": True,
        "appraisal_had": True,
        "objectives_clear": True,
        "time_adequate": False,
    }


def test_an_item_changed_between_years_is_refused_and_nothing_written(
    flat_files,  # noqa: F811
    package_2022,
    tmp_path,
):
    files = _year_files(flat_files, tmp_path / "y", 2023)
    text = files["questionnaire"].read_text(encoding="utf-8")
    files["questionnaire"].write_text(text.replace("4;5", "5", 1), encoding="utf-8")
    before = _folder_checksums(package_2022)
    with pytest.raises(SurveyImportError) as raised:
        add_survey_year(package_2022, _options(files))
    message = str(raised.value)
    # recognition is the first data row (row 2) of the 2023 questionnaire file
    assert (
        "questionnaire.csv, row 2, column 'positive_codes': item 'recognition' in 2023: "
        "positive_codes is (5,), but (4, 5) in 2022 in the data package's questionnaire"
    ) in message
    assert _folder_checksums(package_2022) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_year_already_there_is_refused(flat_files, package_2022, tmp_path):  # noqa: F811
    files = _year_files(flat_files, tmp_path / "y", 2022)
    with pytest.raises(SurveyImportError, match="2022 already in the data package's survey_years"):
        add_survey_year(package_2022, _options(files))


def test_a_new_minimum_group_size_is_refused(flat_files, package_2022, tmp_path):  # noqa: F811
    """The package keeps one minimum group size for every year."""
    files = _year_files(flat_files, tmp_path / "y", 2023)
    before = _folder_checksums(package_2022)
    with pytest.raises(SurveyImportError) as raised:
        add_survey_year(package_2022, _options(files) | {"minimum_group_size": MINIMUM + 4})
    assert (
        f"--minimum-group-size: {MINIMUM + 4} is not the data package's minimum_group_size "
        f"{MINIMUM}; expected the same every year"
    ) in str(raised.value)
    assert _folder_checksums(package_2022) == before


def test_the_command_adds_a_year(flat_files, package_2022, tmp_path, capsys):  # noqa: F811
    files = _year_files(flat_files, tmp_path / "y", 2023)
    arguments = ["import-survey", "--add-year", "--out", str(package_2022), "--org", "RXA"]
    arguments += ["--groups", "directorate,occupation", "--staff-group", "occupation"]
    arguments += ["--minimum-group-size", str(MINIMUM)]
    for option in ("responses", "questionnaire", "population", "scales"):
        arguments += [f"--{option}", str(files[option])]
    assert main(arguments) == 0
    assert "Added 2023 to the data package" in capsys.readouterr().out
    assert load_data_package(package_2022).description.survey_years == (2022, 2023)


def _in_format(path: Path, suffix: str) -> Path:
    """The CSV file ``path`` saved as ``suffix`` (.sav, .zsav, .parquet or .xlsx)."""
    import pyreadstat

    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    target = path.with_suffix(suffix)
    # the year, item codes and headcounts as numbers (blank: missing), as typed files hold them
    numeric = [c for c in table.columns if c in ("year", "headcount") or c.startswith("q")]
    typed = table.assign(**{c: pd.to_numeric(table[c].replace("", None)) for c in numeric})
    if suffix == ".parquet":
        typed.to_parquet(target, index=False)
    elif suffix == ".xlsx":
        table.to_excel(target, index=False)
    else:
        pyreadstat.write_sav(typed, str(target), compress=suffix == ".zsav")
    return target


@pytest.mark.parametrize(
    ("responses", "questionnaire", "population"),
    [(".sav", ".xlsx", ".parquet"), (".zsav", ".csv", ".xlsx"), (".parquet", ".xlsx", ".csv")],
)
def test_the_new_year_may_come_in_every_format_import_survey_reads(
    flat_files,  # noqa: F811
    package_2022,
    tmp_path,
    responses,
    questionnaire,
    population,
):
    files = _year_files(flat_files, tmp_path / "y", 2023)
    for name, suffix in (
        ("responses", responses),
        ("questionnaire", questionnaire),
        ("population", population),
    ):
        if suffix != ".csv":
            files[name] = _in_format(files[name], suffix)
    before = package_2022.joinpath("responses.csv").read_bytes()
    assert add_survey_year(package_2022, _options(files)) == (2023,)
    appended = load_data_package(package_2022)
    _import(flat_files, tmp_path / "at-once")
    at_once = load_data_package(tmp_path / "at-once")
    for name in ("questionnaire", "responses", "staff", "comparators"):
        pd.testing.assert_frame_equal(
            appended.tables[name]
            .sort_values(list(appended.tables[name].columns[:3]))
            .reset_index(drop=True),
            at_once.tables[name]
            .sort_values(list(at_once.tables[name].columns[:3]))
            .reset_index(drop=True),
            check_like=True,
            obj=name,
        )
    assert package_2022.joinpath("responses.csv").read_bytes().startswith(before)


def test_a_changed_item_or_scale_is_named_by_its_file_row_and_column(
    flat_files,  # noqa: F811
    package_2022,
    tmp_path,
):
    files = _year_files(flat_files, tmp_path / "y", 2023)
    questionnaire = pd.read_csv(files["questionnaire"], dtype=str, keep_default_na=False)
    # objectives_clear is the 3rd data row (spreadsheet row 4); its direction is reversed
    questionnaire.loc[questionnaire["item_id"] == "objectives_clear", "reverse"] = "true"
    files["questionnaire"] = tmp_path / "y" / "questionnaire_2023.xlsx"
    questionnaire.to_excel(files["questionnaire"], index=False)
    scales = tmp_path / "y" / "scales_2023.csv"
    scales.write_text(SCALES.replace("Don't know", "Not sure"), encoding="utf-8")
    files["scales"] = scales
    with pytest.raises(SurveyImportError) as raised:
        add_survey_year(package_2022, _options(files))
    message = str(raised.value)
    assert (
        "questionnaire_2023.xlsx, row 4, column 'reverse': item 'objectives_clear' in 2023: "
        "reverse_scored is True, but False in 2022"
    ) in message
    # yes_no_dk's first row is row 2 of the scales file
    assert "scales_2023.csv, row 2, column 'label': scale 'yes_no_dk' has codes and labels" in (
        message
    )
