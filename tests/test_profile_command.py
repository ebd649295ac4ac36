"""Tests of ``python -m analysis profile STAFF_ID``: a private page no index links to."""

import json
import re

import nbformat
import pytest

from analysis.cli import main
from analysis.pipeline import notebook_parameters
from analysis.private_profile import PROFILE_NOTEBOOK, private_profile_folder
from analysis.run_index import collect_runs, write_reports_index, write_run_index


def test_profile_notebook_explains_every_parameter_and_is_committed_clean():
    notebook = nbformat.read(PROFILE_NOTEBOOK, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    parameters = notebook_parameters(PROFILE_NOTEBOOK)
    assert set(parameters) == {"inputs", "staff_id", "primary_coder"}
    for name in parameters:
        assert f"`{name}`" in first.source, name
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_unknown_staff_id_stops_with_where_to_find_ids(tmp_path, capsys):
    status = main(["profile", "S9999", "--out", str(tmp_path)])
    assert status == 2
    error = capsys.readouterr().err
    assert "no member of staff 'S9999' in the data package 'demo'" in error
    assert "staff_id column of its staff_list table (from S0001 to S1008)" in error
    assert not (tmp_path / "5NF" / "private" / "S9999").exists()


@pytest.mark.slow
def test_profile_is_written_to_the_private_folder_and_no_index_links_there(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["profile", "S0002", "--out", str(out)]) == 0
    folder = private_profile_folder(out, "5NF", "S0002")
    assert folder == out / "5NF" / "private" / "S0002"
    page = (folder / "staff_profile.html").read_text(encoding="utf-8")
    assert "Private profile: S0002" in page
    assert "All reports of this run" not in page  # no link back to a run's index
    assert re.search(r'<img [^>]*alt="Bar chart of the assessed KSF level', page)
    assert str(tmp_path) not in page and "/work/" not in page
    assert (folder / "staff_profile.ipynb").is_file()
    assert not list(folder.parent.glob(".S0002.*"))  # no partial folder left behind
    assert "staff_profile.html" in capsys.readouterr().out

    # The reports index lists runs from {dataset}/{year}/manifest.json: not the profile.
    assert collect_runs(out) == []
    index = write_reports_index(out).read_text(encoding="utf-8")
    assert "private" not in index and "S0002" not in index
    # A run's index links only its stages and tables, from its manifest.
    run = out / "5NF" / "2008"
    run.mkdir()
    manifest = {
        "dataset": "5NF",
        "organisation": "Northfield Primary Care Trust",
        "year": 2008,
        "status": "succeeded",
        "finished_at": "2026-11-26T15:00:00",
        "duration_seconds": 1.0,
        "stages": [
            {
                "name": "indicators",
                "title": "Indicators",
                "status": "succeeded",
                "report": "indicators.html",
                "notebook": "notebooks/indicators.ipynb",
                "duration_seconds": 1.0,
            }
        ],
        "tables": [],
    }
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    run_page = write_run_index(run, manifest).read_text(encoding="utf-8")
    assert "private" not in run_page and "S0002" not in run_page
    reports_page = write_reports_index(out).read_text(encoding="utf-8")
    assert [r["href"] for r in collect_runs(out)] == ["5NF/2008/index.html"]
    assert "private" not in reports_page
