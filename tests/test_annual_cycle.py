"""The annual cycle end to end (docs/annual-cycle.md): a new year, part of a year, an old year.

1. The demo with 2009's survey files only: ``check`` lists what each stage lacks for 2009 and
   ``run`` exits 0 with every stage done, each report naming what is missing.
2. The rest of 2009 added: every stage reports on 2009.
3. ``run --year 2006`` on the demo: no published table holds a date after 2006's windows.

Each runs the whole pipeline (minutes on a shared machine): marked slow.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from annual_cycle import add_rest_of_year, add_survey_files, copy_package

PROJECT_ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(data: Path, out: Path, *options: str) -> tuple[subprocess.CompletedProcess, Path]:
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(data), "--out", str(out), *options],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    manifests = sorted(out.glob("*/*/manifest.json"))
    assert len(manifests) == 1, completed.stdout + completed.stderr
    return completed, manifests[0].parent


def _stages(run_dir: Path) -> dict[str, str]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return {stage["name"]: stage["status"] for stage in manifest["stages"]}


def _text(report: Path) -> str:
    words = html.unescape(re.sub(r"<[^>]+>", " ", report.read_text(encoding="utf-8")))
    return " ".join(words.split())


def test_a_new_year_with_the_survey_files_only(demo_data, tmp_path):
    data = copy_package(demo_data, tmp_path / "survey-only")
    add_survey_files(data)
    check = subprocess.run(
        [sys.executable, "-m", "analysis", "check", str(data), "--year", "2009"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert "indicators 2009: ready with gaps: no indicator_values after 2008-12" in check.stdout
    assert "no comparator_profile rows for 2009" in check.stdout
    assert "comments 2009: ready with gaps: 0 of 138 comments of 2009 coded: code the rest" in (
        check.stdout
    )
    assert "no action_plans with survey_year 2008" in check.stdout

    completed, run_dir = _run(data, tmp_path / "reports")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert run_dir.name == "2009"
    assert set(_stages(run_dir).values()) == {"succeeded"}, _stages(run_dir)
    survey = _text(run_dir / "survey.html")
    assert "no comparator_profile rows for 2009: the benchmark is unweighted only" in survey
    assert "The comparators table has no 2009 rows" in survey
    comments = _text(run_dir / "comments.html")
    assert "0 of the" in comments and "comments of 2009 are coded" in comments
    assert "suggestions only" in comments
    indicators = _text(run_dir / "indicators.html")
    assert "Indicator year 2008" in indicators
    assert "This is the latest available period" in indicators
    interventions = _text(run_dir / "interventions.html")
    assert "no actions from last year's findings to evaluate" in interventions


def test_the_whole_year_reports_on_2009(demo_data, tmp_path):
    data = copy_package(demo_data, tmp_path / "whole-year")
    add_survey_files(data)
    add_rest_of_year(data)
    completed, run_dir = _run(data, tmp_path / "reports")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert set(_stages(run_dir).values()) == {"succeeded"}, _stages(run_dir)
    for stage in ("survey", "comments", "interventions"):
        assert "Part of 2009 is missing" not in _text(run_dir / f"{stage}.html"), stage
    assert "All" in _text(run_dir / "comments.html")  # "All N comments of 2009 are coded."
    assert "Indicator year 2009: January 2009 to December 2009" in _text(
        run_dir / "indicators.html"
    )
    # with 2009's comparator profile the benchmark is weighted too (its weighted figures are
    # then shown or hidden by the gate's weighted-figures rule, like every other year's)
    survey = _text(run_dir / "survey.html")
    assert "no comparator_profile rows for 2009" not in survey
    benchmark = pd.read_csv(run_dir / "tables" / "survey" / "benchmark.csv")
    assert "pct_weighted" in benchmark.columns and (benchmark["year"] == 2009).any()


_DATE = re.compile(r"(\d{4})(-\d{2})?(-\d{2})?")
_PLANNED = {("interventions/actions.csv", "due_date")}
"""An action's planned due date is its plan, not a period of data: it may be later."""


def test_an_old_year_shows_nothing_later(demo_data, tmp_path):
    completed, run_dir = _run(demo_data, tmp_path / "reports", "--year", "2006")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    later = []
    for table in sorted((run_dir / "tables").rglob("*.csv")):
        name = table.relative_to(run_dir / "tables").as_posix()
        cells = pd.read_csv(table, dtype=str, keep_default_na=False)
        for column in cells.columns:
            values = [value.strip() for value in cells[column] if value.strip()]
            dates = [_DATE.fullmatch(value) for value in values]
            if not values or not all(dates) or (name, column) in _PLANNED:
                continue
            latest = max(values, key=lambda value: value[:10])
            if int(latest[:4]) > 2006:
                later.append(f"{name} {column}: {latest}")
    assert later == []
