"""Hostile or oversized data packages fail fast with a clear problem (issue #10, part 7).

Each test builds a small package in a temporary folder (``tests/package_builder.py``) and
breaks it one way: a YAML "billion laughs" alias bomb, YAML nested thousands deep, a cell of
150,000 characters, a code label of 40,000 characters, a symbolic link leading out of the
package, a file or table over the limits of :mod:`analysis.datapackage.limits`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from package_builder import minimal_tables, write_package, write_table

from analysis.cli import main
from analysis.datapackage import limits, load_data_package
from analysis.datapackage.codebook import CodebookError, parse_codebook
from analysis.datapackage.indicator_specifications import (
    IndicatorSpecificationError,
    parse_indicator_specifications,
)
from analysis.datapackage.plain_yaml import dump_plain_yaml, load_plain_yaml
from analysis.problems import DataPackageError

# Nine levels of ten aliases each: 10**9 "lol"s from under a kilobyte of YAML. PyYAML
# composes it as a graph, but anything walking the result visits every path.
LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + level)}: &{chr(ord('a') + level)} "
        f"[{','.join(['*' + chr(ord('a') + level - 1)] * 10)}]"
        for level in range(1, 9)
    ]
)
FAST_SECONDS = 5.0


def problems_of(folder: Path) -> list[str]:
    """Every problem of a package as ``file, row, column: message`` text."""
    with pytest.raises(DataPackageError) as raised:
        load_data_package(folder)
    return [str(problem) for problem in raised.value.problems]


def test_the_bomb_is_under_a_kilobyte_and_uses_aliases():
    assert len(LAUGHS.encode()) < 1024
    assert LAUGHS.count("*") == 80


def test_a_billion_laughs_dataset_yml_fails_fast_naming_file_and_line(tmp_path):
    folder = write_package(tmp_path / "package")
    (folder / "dataset.yml").write_text(LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    problems = problems_of(folder)
    elapsed = time.perf_counter() - started
    assert elapsed < FAST_SECONDS, f"took {elapsed:.1f} s"
    # The first anchor is on line 1, column 4 ("a: &a ...").
    assert any(
        p.startswith("dataset.yml")
        and "line 1, column 4: an anchor (&a)" in p
        and "not allowed" in p
        for p in problems
    ), problems


def test_a_billion_laughs_codebook_yml_fails_fast(tmp_path):
    folder = write_package(tmp_path / "package")
    bomb = LAUGHS + "\nthemes: [{id: x, label: *i}]\n"
    (folder / "codebook.yml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    problems = problems_of(folder)
    assert time.perf_counter() - started < FAST_SECONDS
    assert any(p.startswith("codebook.yml") and "anchor (&a)" in p for p in problems), problems
    # The comments stage's own loader refuses it the same way.
    with pytest.raises(CodebookError, match=r"line 1, column 4: an anchor \(&a\)"):
        parse_codebook(bomb)


def test_a_billion_laughs_indicators_yml_fails_fast():
    started = time.perf_counter()
    with pytest.raises(IndicatorSpecificationError, match="anchor"):
        parse_indicator_specifications(LAUGHS + "\nindicators: *i\n")
    assert time.perf_counter() - started < FAST_SECONDS


def test_an_alias_alone_is_refused_with_its_line():
    text = "organisation: {name: A, code: X}\nsurvey_years: [2022]\ngroup_columns: *cols\n"
    with pytest.raises(yaml.YAMLError) as raised:
        load_plain_yaml(text)
    # The parser reports the undefined alias before the check could; either way it stops.
    assert raised.value.problem_mark.line == 2


@pytest.mark.parametrize("depth", [500, 5000])
def test_yaml_nested_hundreds_deep_is_refused_not_a_recursion_error(tmp_path, depth):
    folder = write_package(tmp_path / "package")
    (folder / "dataset.yml").write_text("a: " + "[" * depth + "]" * depth, encoding="utf-8")
    problems = problems_of(folder)
    # libyaml stops at 1000 levels by itself; below that, the suite's limit of 20 applies.
    assert any(
        p.startswith("dataset.yml: line 1")
        and ("nested more than 20 deep" in p or depth > 1000)
        and "nest" in p
        for p in problems
    ), problems


def test_the_suite_never_writes_aliases_itself():
    shared = ["R01", "R02"]
    text = dump_plain_yaml({"first": {"roles": shared}, "second": {"roles": shared}})
    assert "&" not in text and "*" not in text
    assert load_plain_yaml(text) == {"first": {"roles": shared}, "second": {"roles": shared}}


def test_a_150000_character_cell_is_a_problem_naming_file_row_and_column(tmp_path):
    tables = minimal_tables("comments")
    tables["comments"].loc[1, "text"] = "x" * 150_000
    folder = write_package(tmp_path / "package", tables)
    problems = problems_of(folder)
    # Row 3: the header is row 1, and the cell is in the second data row.
    assert any(
        p.startswith("comments.csv, row 3, column 'text'")
        and "150,000 characters" in p
        and "at most 32,767" in p
        for p in problems
    ), problems


def test_the_check_command_reports_the_long_cell_without_a_traceback(tmp_path, capsys):
    tables = minimal_tables("comments")
    tables["comments"].loc[0, "text"] = "y" * 150_000
    folder = write_package(tmp_path / "package", tables)
    assert main(["check", str(folder)]) == 1
    output = capsys.readouterr()
    assert "150,000 characters" in output.out + output.err
    assert "Traceback" not in output.out + output.err


def test_a_cell_of_exactly_the_limit_is_accepted(tmp_path):
    tables = minimal_tables("comments")
    tables["comments"].loc[1, "text"] = "z" * limits.MAX_CELL_CHARACTERS
    package = load_data_package(write_package(tmp_path / "package", tables))
    assert package.comments["text"].str.len().max() == 32_767


def test_a_40000_character_code_label_is_refused_at_validation(tmp_path):
    codebook = [
        {
            "id": "resources",
            "label": "Resources",
            "codes": [{"id": "workload", "label": "W" * 40_000}],
        }
    ]
    folder = write_package(tmp_path / "package", codebook=codebook)
    problems = problems_of(folder)
    assert any(
        p.startswith("codebook.yml")
        and "'workload' has a label of 40,000 characters" in p
        and f"at most {limits.MAX_LABEL_CHARACTERS}" in p
        for p in problems
    ), problems


def test_a_symbolic_link_out_of_the_package_is_refused_with_its_path(tmp_path):
    folder = write_package(tmp_path / "package")
    outside = tmp_path / "elsewhere" / "responses.csv"
    outside.parent.mkdir()
    (folder / "responses.csv").rename(outside)
    (folder / "responses.csv").symlink_to(outside)
    problems = problems_of(folder)
    assert any(
        p.startswith("responses.csv") and f"a symbolic link to {outside}" in p for p in problems
    ), problems


def test_a_symbolic_link_inside_the_package_is_read(tmp_path):
    folder = write_package(tmp_path / "package")
    (folder / "originals").mkdir()
    (folder / "scales.csv").rename(folder / "originals" / "scales.csv")
    (folder / "scales.csv").symlink_to(folder / "originals" / "scales.csv")
    assert load_data_package(folder).scales is not None


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    folder = write_package(tmp_path / "package")
    size = (folder / "responses.csv").stat().st_size
    monkeypatch.setattr(limits, "MAX_TABLE_BYTES", size - 1)
    problems = problems_of(folder)
    assert any(
        p.startswith("responses.csv") and f"the file is {size:,} bytes" in p for p in problems
    ), problems


def test_a_yaml_file_over_the_size_limit_is_not_read(tmp_path):
    folder = write_package(tmp_path / "package")
    padding = "# " + "x" * 1000 + "\n"
    text = (folder / "dataset.yml").read_text(encoding="utf-8")
    (folder / "dataset.yml").write_text(text + padding * 1100, encoding="utf-8")
    problems = problems_of(folder)
    assert any(
        p.startswith("dataset.yml") and f"at most {limits.MAX_YAML_BYTES:,} bytes" in p
        for p in problems
    ), problems


def test_a_table_over_the_row_limit_is_a_problem(tmp_path, monkeypatch):
    folder = write_package(tmp_path / "package")
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    problems = problems_of(folder)
    # minimal_tables: responses has 9 rows (2022: 4 respondents, 2023: 5).
    assert any(p.startswith("responses.csv") and "the table has 9 rows" in p for p in problems), (
        problems
    )


@pytest.mark.parametrize("code", ["..", "../2008", "a/b", ".hidden", "CON", "x" * 101])
def test_an_organisation_code_that_cannot_name_a_folder_is_a_problem(tmp_path, code):
    description = {
        "organisation": {"name": "Testfield Primary Care Trust", "code": code},
        "survey_years": [2022, 2023],
        "group_columns": ["directorate", "staff_group"],
        "minimum_group_size": 11,
    }
    folder = write_package(tmp_path / "package", description=description)
    problems = problems_of(folder)
    assert any(
        p.startswith("dataset.yml") and "line 3: the organisation.code" in p for p in problems
    ), problems


def test_parquet_cells_are_checked_too(tmp_path):
    # .xlsx cannot hold more than 32,767 characters (Excel truncates); Parquet can.
    tables = minimal_tables("comments")
    tables["comments"].loc[2, "text"] = "q" * 40_000
    folder = write_package(tmp_path / "package", tables)
    (folder / "comments.csv").unlink()
    write_table(folder, "comments", tables["comments"], "parquet")
    problems = problems_of(folder)
    assert any(
        p.startswith("comments.parquet, row 4, column 'text'") and "40,000 characters" in p
        for p in problems
    ), problems
