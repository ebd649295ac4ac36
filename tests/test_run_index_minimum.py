"""The run's index page says what [c] means with the data package's minimum group size
(``dataset.yml``, as the manifest records it), never a literal default (issue #10)."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.run_index import write_run_index


def _page(run: Path, **more: object) -> str:
    (run / "headlines").mkdir(parents=True)
    headline = [{"label": "Respondents", "value": 527}]
    (run / "headlines" / "survey.json").write_text(json.dumps(headline), encoding="utf-8")
    manifest = {
        "organisation": "Trust",
        "dataset": "5TF",
        "year": 2008,
        "status": "succeeded",
        "finished_at": "2026-01-01T10:00:00+00:00",
        "duration_seconds": 1.0,
        "stages": [{"name": "survey", "title": "Survey", "status": "succeeded"}],
        **more,
    }
    return write_run_index(run, manifest).read_text(encoding="utf-8")


def test_the_note_gives_the_manifests_minimum(tmp_path: Path) -> None:
    page = _page(tmp_path, minimum_group_size=15)
    assert "[c]: fewer than 15 respondents" in page


def test_without_it_the_note_names_no_figure(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "[c]: fewer respondents than the data package's minimum group size," in page
    assert "fewer than 11" not in page
