"""Partial runs (``run --stages X``) keep every other stage's outputs, byte for byte.

The runs use the tiny stages of ``tests/notebooks`` on the tiny package of
``tests/test_pipeline.py``: alpha and beta publish a table, a figure and a headline each;
dependent reads alpha's table.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analysis.partial_runs import out_of_date, stage_input_checksums
from analysis.pipeline import run_pipeline
from analysis.stages import Stage
from tests.test_pipeline import ALPHA, BETA, DEPENDENT, checksums, write_tiny_package

REGISTRY = (ALPHA, BETA, DEPENDENT)
RUN_WIDE = {
    "index.html",
    "manifest.json",
    "tables.xlsx",
    ".workforce-run.json",
    "since_last_year.json",  # made for the whole run from every stage's outputs
    "proposed_actions.csv",
    "summary.html",  # the board summary is rebuilt from every stage's published files
}


def manifest_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def stage_entry(run_dir: Path, name: str) -> dict:
    return next(s for s in manifest_of(run_dir)["stages"] if s["name"] == name)


@pytest.fixture(scope="module")
def full_then_partial(tmp_path_factory: pytest.TempPathFactory):
    """A full run of alpha, beta and dependent, then ``--stages beta`` with a new label."""
    package = write_tiny_package(tmp_path_factory.mktemp("data") / "tiny")
    out = tmp_path_factory.mktemp("reports")
    quiet = [].append
    full = run_pipeline(package, out_dir=out, registry=REGISTRY, progress=quiet)
    before = checksums(full.run_dir)
    before_manifest = manifest_of(full.run_dir)
    lines: list[str] = []
    partial = run_pipeline(
        package,
        out_dir=out,
        registry=REGISTRY,
        stages=["beta"],
        parameters={"label": "again"},
        progress=lines.append,
    )
    return package, out, full, before, before_manifest, partial, lines


@pytest.mark.slow
def test_a_partial_run_keeps_every_other_stages_files_byte_for_byte(full_then_partial) -> None:
    _, _, full, before, _, partial, _ = full_then_partial
    assert full.succeeded and partial.succeeded
    assert partial.run_dir == full.run_dir
    after = checksums(partial.run_dir)
    # The same files, none lost, none added.
    assert set(after) == set(before)
    beta = {path for path in before if "beta" in Path(path).name or "/beta/" in f"/{path}"}
    assert beta == {
        "beta.html",
        "notebooks/beta.ipynb",
        "headlines/beta.json",
        "tables/beta/respondents.csv",
        "tables/beta/respondents.json",
        "tables/beta/respondents.parquet",
        "figures/beta/dot.png",
        "timings/beta.json",
    }
    kept = set(before) - beta - RUN_WIDE
    assert kept, "alpha's and dependent's files"
    assert {path: after[path] for path in kept} == {path: before[path] for path in kept}
    # beta really ran again: its notebook records the new parameter.
    assert after["notebooks/beta.ipynb"] != before["notebooks/beta.ipynb"]
    assert "'again'" in (partial.run_dir / "notebooks" / "beta.ipynb").read_text("utf-8")


@pytest.mark.slow
def test_a_partial_run_keeps_the_other_stages_manifest_entries(full_then_partial) -> None:
    _, _, full, _, before_manifest, partial, lines = full_then_partial
    manifest = manifest_of(partial.run_dir)
    assert [s["name"] for s in manifest["stages"]] == ["alpha", "beta", "dependent"]
    old = {s["name"]: s for s in before_manifest["stages"]}
    new = {s["name"]: s for s in manifest["stages"]}
    for name in ("alpha", "dependent"):
        assert new[name] == old[name], f"{name}'s entry is kept as it was"
    assert new["beta"]["finished_at"] > old["beta"]["finished_at"]
    assert new["beta"]["parameters"] == {"year": 2008, "label": "again"}
    assert old["alpha"]["parameters"] == {"year": 2008}
    assert manifest["status"] == "succeeded"
    # Both stages' tables are listed and in the workbook.
    assert [t["csv"] for t in manifest["tables"]] == [
        "tables/alpha/respondents.csv",
        "tables/beta/respondents.csv",
    ]
    workbook = load_workbook(partial.run_dir / "tables.xlsx")
    assert workbook.sheetnames == ["Contents", "respondents", "respondents~2", "Notes"]
    # Only beta ran, as the progress lines say.
    assert "1 of 1 stage(s) succeeded" in lines[-1]
    index = (partial.run_dir / "index.html").read_text(encoding="utf-8")
    for link in ("alpha.html", "beta.html", "dependent.html", "tables/alpha/respondents.csv"):
        assert f'href="{link}"' in index
    assert "Respondents (again)" in index and "Respondents (tiny)" in index
    assert "Out of date" not in index


@pytest.mark.slow
def test_stages_whose_inputs_changed_are_marked_out_of_date(
    full_then_partial, tmp_path: Path
) -> None:
    package, out, _, _, _, _, _ = full_then_partial
    changed = tmp_path / "tiny"
    shutil.copytree(package, changed)
    responses = changed / "responses.csv"
    responses.write_text(responses.read_text("utf-8").replace(",2\n", ",1\n", 1), "utf-8")
    run = run_pipeline(
        changed, out_dir=out, registry=REGISTRY, stages=["alpha"], progress=[].append
    )
    assert run.succeeded
    assert stage_entry(run.run_dir, "alpha")["out_of_date"] == ""
    assert stage_entry(run.run_dir, "beta")["out_of_date"] == (
        "its inputs changed since it ran: responses.csv"
    )
    assert stage_entry(run.run_dir, "dependent")["out_of_date"] == (
        "its inputs changed since it ran: responses.csv; alpha ran after it"
    )
    index = (run.run_dir / "index.html").read_text(encoding="utf-8")
    assert index.count('<strong class="out-of-date">Out of date</strong>') == 2
    assert "2 report(s) out of date" in index
    assert stage_entry(run.run_dir, "alpha")["input_checksums"]["responses.csv"] in index


def test_a_stage_reads_its_own_needs_and_the_files_no_stage_names() -> None:
    survey = Stage("survey", "s.ipynb", "Survey")
    comments = Stage("comments", "c.ipynb", "Comments", needs=("comments", "codebook.yml"))
    plans = Stage("plans", "p.ipynb", "Plans", needs=("action_plans",))
    files = {
        "dataset.yml": "1",
        "responses.csv": "2",
        "comments.parquet": "3",
        "codebook.yml": "4",
        "action_plans.csv": "5",
        "codings/researcher.jsonl": "6",
    }
    registry = [survey, comments, plans]
    assert list(stage_input_checksums(files, survey, registry)) == [
        "codings/researcher.jsonl",
        "dataset.yml",
        "responses.csv",
    ]
    assert list(stage_input_checksums(files, comments, registry)) == [
        "codebook.yml",
        "codings/researcher.jsonl",
        "comments.parquet",
        "dataset.yml",
        "responses.csv",
    ]


def test_an_entry_without_recorded_inputs_is_out_of_date() -> None:
    entry = {"finished_at": "2026-01-01T10:00:00+00:00"}
    assert out_of_date(entry, {"a.csv": "1"}, {}, []) == "its inputs were not recorded when it ran"
