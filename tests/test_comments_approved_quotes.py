"""Approved quotes and the staff number pattern, from ``dataset.yml`` to the report.

``dataset.yml`` may set ``staff_id_pattern`` (checked: it must compile, be short and have no
nested repeats) and ``quotes: all | approved_only``; the optional table
``quotes_approved`` (``comment_id``, ``approver``, ``date``) lists the comments a researcher
approved for quoting (issue #10, part 5).
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest
from package_builder import minimal_description, minimal_tables, write_package

from analysis.comments.quotes import approved_comment_ids, representative_quotes
from analysis.comments.redaction import redact
from analysis.datapackage import load_data_package
from analysis.datapackage.summary import check_data_package
from analysis.pipeline import run_pipeline
from analysis.problems import DataPackageError


def approvals(*comment_ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "comment_id": list(comment_ids),
            "approver": ["JS"] * len(comment_ids),
            "date": ["2024-05-01"] * len(comment_ids),
        },
        dtype=object,
    )


def package_with(tmp_path, approved: pd.DataFrame | None = None, **settings):
    tables = minimal_tables("comments", "codings")
    if approved is not None:
        tables["quotes_approved"] = approved
    description = minimal_description() | settings
    return write_package(tmp_path, tables, description)


def problems(folder) -> list[str]:
    with pytest.raises(DataPackageError) as caught:
        load_data_package(folder)
    return [str(problem) for problem in caught.value.problems]


def test_settings_are_read_from_dataset_yml(tmp_path) -> None:
    package = load_data_package(
        package_with(tmp_path, quotes="approved_only", staff_id_pattern=r"NF\d{5}")
    )
    assert package.description.quotes == "approved_only"
    assert package.description.staff_id_pattern == r"NF\d{5}"
    default = load_data_package(package_with(tmp_path / "default"))
    assert (default.description.quotes, default.description.staff_id_pattern) == ("all", "")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"quotes": "some"}, "'quotes' should be all or approved_only, found 'some'"),
        ({"staff_id_pattern": "NF(\\d{5}"}, "not a valid regular expression"),
        ({"staff_id_pattern": "(\\d+)+X"}, "a repeat inside a repeat"),
        ({"staff_id_pattern": "N" * 101}, "at most 100"),
        ({"staff_id_pattern": 12345}, "should be a regular expression"),
    ],
)
def test_bad_settings_name_the_line(tmp_path, settings, expected) -> None:
    folder = package_with(tmp_path, **settings)
    (key,) = settings
    written = (folder / "dataset.yml").read_text().splitlines()
    line = next(number for number, text in enumerate(written, 1) if text.startswith(f"{key}:"))
    found = problems(folder)
    assert len(found) == 1, found
    assert found[0].startswith(f"dataset.yml: line {line}:"), found[0]
    assert expected in found[0], found[0]


def test_approvals_must_name_comments_of_the_package(tmp_path) -> None:
    found = problems(package_with(tmp_path, approvals("C1", "C9")))
    assert len(found) == 1, found
    assert "quotes_approved.csv, row 3, column 'comment_id'" in found[0], found[0]
    assert "C9" in found[0]


def test_approvals_need_an_approver_and_a_date(tmp_path) -> None:
    table = approvals("C1", "C2")
    table.loc[0, "approver"] = None
    table.loc[1, "date"] = "soon"
    found = problems(package_with(tmp_path, table))
    assert any("row 2, column 'approver'" in problem for problem in found), found
    assert any("row 3, column 'date'" in problem for problem in found), found


def test_approved_only_quotes_only_the_approved_comments(tmp_path) -> None:
    package = load_data_package(package_with(tmp_path, approvals("C3"), quotes="approved_only"))
    approved = approved_comment_ids(
        package.description.quotes, package.tables.get("quotes_approved")
    )
    comments, codings = package.tables["comments"], package.tables["codings"]
    quotes = representative_quotes(
        comments, codings, ["staffing", "workload"], per_code=3, approved=approved
    )
    assert quotes["comment_id"].tolist() == ["C3"]
    everything = representative_quotes(comments, codings, ["staffing", "workload"], per_code=3)
    assert sorted(everything["comment_id"]) == ["C1", "C3"]


def test_the_check_command_shows_the_settings(tmp_path, capsys) -> None:
    folder = package_with(
        tmp_path, approvals("C1", "C3"), quotes="approved_only", staff_id_pattern=r"NF\d{5}"
    )
    assert check_data_package(folder) == 0
    output = capsys.readouterr().out
    assert "Quotes: approved only (2 in quotes_approved.csv)" in output
    assert "Staff number pattern: NF\\d{5}" in output
    assert check_data_package(package_with(tmp_path / "all")) == 0
    assert "Quotes: all (redacted)" in capsys.readouterr().out


@pytest.mark.pipeline
def test_the_comments_report_quotes_only_approved_comments(demo_data, tmp_path) -> None:
    package = tmp_path / "demo"
    shutil.copytree(demo_data, package)
    with (package / "dataset.yml").open("a", encoding="utf-8") as description:
        description.write("quotes: approved_only\n")
    comments = pd.read_csv(package / "comments.csv", dtype=str)
    codings = pd.read_csv(package / "codings.csv", dtype=str)
    latest = comments[comments["year"] == comments["year"].max()]
    coded = sorted(set(codings["comment_id"]) & set(latest["comment_id"]))
    approved = coded[:3]
    approvals(*approved).to_csv(package / "quotes_approved.csv", index=False)
    result = run_pipeline(
        package,
        out_dir=tmp_path / "reports",
        stages=["comments"],
        parameters={"machine_coding": False},
        progress=lambda line: None,
    )
    page = (result.run_dir / "comments.html").read_text(encoding="utf-8")
    quoted = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split())
        for block in re.findall(r"<blockquote>(.*?)</blockquote>", page, flags=re.S)
    ]
    texts = latest.set_index("comment_id")["text"]
    allowed = {" ".join(redact(texts[comment_id]).split()) for comment_id in approved}
    assert quoted, "the report quotes nothing"
    assert set(quoted) <= allowed, set(quoted) - allowed
    others = {" ".join(redact(text).split()) for text in texts.drop(approved)}
    assert not set(quoted) & (others - allowed)
