"""The annual summary from a run folder's published files; honest headlines; methods.

The run folder here is written with :class:`analysis.publishing.StageOutput`, as a stage
would, with a stage left out and text from the data that tries to be markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.publishing import StageOutput
from analysis.run_index import write_run_index
from analysis.stages import STAGES
from analysis.summary.methods import (
    METHODS,
    STAGE_METHODS,
    method_anchor,
    methods_section,
    write_statistics_page,
)
from analysis.summary.page import write_summary
from analysis.survey.stage import change_headlines

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _manifest(stages: list[dict]) -> dict:
    return {
        "dataset": "ORG",
        "organisation": "Test Trust",
        "year": 2008,
        "status": "succeeded",
        "finished_at": "2026-01-01T10:00:00+00:00",
        "duration_seconds": 1.0,
        "parameters": {"data_package": "ORG", "year": 2008, "stages": [], "adjust": None},
        "stages": stages,
        "tables": [],
    }


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    out = StageOutput(tmp_path, "survey", 11)
    rates = pd.DataFrame(
        {
            "year": [2007, 2008],
            "group_type": "organisation",
            "group": "Test Trust",
            "headcount": [1000, 1000],
            "respondents": [400, 550],
            "response_rate": [40.0, 55.0],
        }
    )
    out.table(
        rates,
        "response_rates",
        title="Rates",
        count="respondents",
        dimensions=[],
        for_each=["year"],
        labels=["group_type", "group", "headcount"],
    )
    equality = pd.DataFrame(
        {
            "year": 2008,
            "item_id": "bullying_colleagues",
            "comparison": "ethnicity",
            "side": ["group", "reference"],
            "group": [HOSTILE, "White"],
            "n": [40, 400],
            "n_positive": [30, 340],
            "pct_positive": [75.0, 85.0],
        }
    )
    out.table(
        equality,
        "equality_groups",
        title="Equality",
        count="n",
        dimensions=["side"],
        for_each=["year", "item_id", "comparison"],
        labels=["group"],
    )
    better = out.table(
        pd.DataFrame({"item_id": ["appraisal_had", "bullying_colleagues"], "n": [400, 500]}),
        "questions_better",
        title="Questions significantly better",
        count="n",
        dimensions=["item_id"],
    )
    out.headline(
        "Questions significantly better than last year",
        better,
        statistic="rows",
        adjustment="0 after Holm's adjustment for 46 questions",
        caveat="not adjusted for testing 46 questions at once",
    )
    plans = StageOutput(tmp_path, "interventions", 11)
    plans.table(
        pd.DataFrame(
            {"action_id": ["A1"], "survey_year": [2007], "action": [HOSTILE], "status": ["done"]}
        ),
        "actions",
        title="Actions",
        disclosure="not person-level: actions",
    )
    plans.table(
        pd.DataFrame(
            {
                "action_ids": ["A1"],
                "item_id": ["appraisal_had"],
                "primary": [True],
                "verdict": [
                    "a rise of 16 to 20 points; with only two targeted units the "
                    "interval is probably too narrow"
                ],
            }
        ),
        "action_outcomes",
        title="Outcomes",
        disclosure="not person-level: verdicts",
    )
    stages = [
        {"name": "survey", "title": "Survey", "status": "succeeded"},
        {
            "name": "comments",
            "title": "Comments",
            "status": "skipped",
            "left_out": True,
            "skipped_because": "the data package has no comments",
        },
        {"name": "interventions", "title": "Interventions", "status": "succeeded"},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(_manifest(stages)), encoding="utf-8")
    return tmp_path


def test_summary_quotes_published_figures_with_their_caveats(run_dir: Path) -> None:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    page = write_summary(run_dir, manifest).read_text(encoding="utf-8")
    assert "550 of 1,000 staff answered the survey in 2008, a response rate of 55%" in page
    assert "(40% in 2007)" in page
    # The headline carries its adjustment and caveat.
    assert "0 after Holm&#39;s adjustment for 46 questions" in page
    assert "not adjusted for testing 46 questions at once" in page
    # The equality indicator: 10 of 40 (25%) against 60 of 400 (15%).
    assert "25% of 40" in page and "15% of 400" in page and "+10 points" in page
    # A verdict is quoted whole, with its caveat.
    assert "with only two targeted units the interval is probably too narrow" in page
    # A stage left out: the section says which part is missing and why.
    assert "Not available: the comments stage was not run: the data package has no comments" in page
    # Text from the data never becomes markup.
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    # Methods and references, with the parameter changed with -p marked.
    assert 'id="methods-and-references"' in page
    changed = "<code>adjust</code></th><td><code>None</code> <strong>(changed with -p)</strong>"
    assert changed in page


def test_index_links_the_summary_first_and_shows_headline_caveats(run_dir: Path) -> None:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    for stage in manifest["stages"]:
        stage.setdefault("report", None)
    write_summary(run_dir, manifest)
    index = write_run_index(run_dir, manifest).read_text(encoding="utf-8")
    reports = index.index('id="reports"')
    assert index.index('href="summary.html"') < index.index("<table", reports)
    assert '2<span class="headline-adjustment">; 0 after Holm&#39;s adjustment for 46' in index
    assert "Caveat:</strong> not adjusted for testing 46 questions at once" in index


def test_change_headlines_add_holm_to_an_unadjusted_count() -> None:
    # p-values of 4 questions; Holm multiplies the sorted p by 4, 3, 2, 1 (R's p.adjust):
    # 0.01 -> 0.04 (< 0.05), 0.02 -> 0.06, 0.03 -> 0.06, 0.5 -> 0.5. Unadjusted, three are
    # significant (two rises, one fall); after Holm only the rise with p = 0.01.
    previous = pd.DataFrame(
        {
            "diff_pp": [5.0, 4.0, -3.0, 1.0],
            "p_value": [0.01, 0.02, 0.03, 0.5],
            "significant": [True, True, True, False],
            "suppressed": False,
        }
    )
    counted = change_headlines(previous, None)
    assert counted["better"]["value"] == 2
    assert counted["better"]["adjustment"] == "1 after Holm's adjustment for 4 questions"
    assert counted["worse"]["value"] == 1
    assert counted["worse"]["adjustment"] == "0 after Holm's adjustment for 4 questions"
    assert "not adjusted for testing 4 questions" in counted["better"]["caveat"]
    adjusted = change_headlines(previous, "holm")
    assert adjusted["better"]["caveat"] == ""


def test_every_method_links_to_a_heading_of_the_statistics_page(tmp_path: Path) -> None:
    page = write_statistics_page(tmp_path).read_text(encoding="utf-8")
    for key in METHODS:
        assert f'id="{method_anchor(key)}"' in page, key
    assert {stage.name for stage in STAGES} <= set(STAGE_METHODS)
    section = methods_section(["wilson"], {"x": "<b>"}, changed=["x"], docs_prefix="../../")
    assert 'href="../../docs/statistics.html#wilson_ci"' in section
    assert "&lt;b&gt;" in section and "<b>" not in section


def test_pdf_without_chromium_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.summary import page

    monkeypatch.setattr(page.shutil, "which", lambda name: None)
    message = page.print_summary_pdf(tmp_path)
    assert message.startswith("summary.pdf not written: headless Chromium is not installed")
    assert not (tmp_path / "summary.pdf").exists()


def test_the_index_says_whether_the_run_was_audited(run_dir: Path) -> None:
    """A run made with ``--no-audit`` says plainly that it was NOT audited; an audited one
    gives the audit's outcome (the manifest's ``disclosure_audit``)."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    for stage in manifest["stages"]:
        stage.setdefault("report", None)
    manifest["disclosure_audit"] = {"audited": False, "passed": None}
    index = write_run_index(run_dir, manifest).read_text(encoding="utf-8")
    assert "<dt>Disclosure audit</dt>\n<dd>NOT audited (run with --no-audit)" in index
    manifest["disclosure_audit"] = {
        "passed": True,
        "protection_level": 2,
        "hidden_counts_checked": 50294,
        "failure_count": 0,
    }
    index = write_run_index(run_dir, manifest).read_text(encoding="utf-8")
    assert "Passed: 50,294 hidden counts checked, none narrower than 2 people" in index
    assert "NOT audited" not in index
