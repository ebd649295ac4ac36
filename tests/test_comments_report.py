"""Tests of analysis.comments.report: the finding sentences and sections of the comments stage.

The finding sentences are checked against hand-built tables whose answer can be read off by
eye. The sections are run on the demo package (data/demo) with the suggestion model off, and
their headline figures compared with those of a run of the notebook before its logic moved
into the module (`python -m analysis run --stages comments`, headlines/comments.json for
2008): the move changed nothing a reader sees.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments import report
from analysis.publishing import Shown

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def test_group_finding_names_the_highest_shown_cell() -> None:
    # 30% for Pay, by Estates is suppressed; the highest shown share is 25% (Workload, by Wards).
    rows = pd.DataFrame(
        {
            "label": ["Workload", "Pay", "Workload"],
            "group": ["Wards", "Estates", "Estates"],
            "percent": [25.0, 30.0, 10.0],
            "suppressed": [False, True, False],
        }
    )
    assert (
        report.group_finding(rows, "Directorate", 2024)
        == "Most raised in 2024: Workload, by Wards (25% of commenters)"
    )


def test_group_finding_says_when_no_group_can_be_shown() -> None:
    rows = pd.DataFrame(
        {"label": ["Pay"], "group": ["Estates"], "percent": [30.0], "suppressed": [True]}
    )
    assert (
        report.group_finding(rows, "Staff group", 2024)
        == "No staff group is large enough to show in 2024"
    )


def _pairs(respondents: list[float], suppressed: list[bool]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code_a": ["it", "it", "pay"],
            "code_b": ["pay", "staffing", "staffing"],
            "respondents": respondents,
            "suppressed": suppressed,
        }
    )


LABELS = {"it": "IT", "pay": "Pay", "staffing": "Staffing"}


def test_pair_finding_names_the_one_pair_raised_together_most() -> None:
    pairs = _pairs([12, 15, 20], [False, False, True])  # 20 is suppressed: 15 is the highest
    assert (
        report.pair_finding(pairs, LABELS, 2024)
        == "IT and Staffing were raised together most often in 2024 (15 respondents)"
    )


def test_pair_finding_does_not_hide_a_tie() -> None:
    pairs = _pairs([15, 15, 3], [False, False, False])
    assert report.pair_finding(pairs, LABELS, 2024) == (
        "2 pairs of codes tied as most often raised together in 2024, by 15 respondents each"
    )


def test_pair_finding_says_when_no_pair_can_be_shown() -> None:
    pairs = _pairs([15, 15, 3], [True, True, True])
    assert (
        report.pair_finding(pairs, LABELS, 2024)
        == "No pair of the most raised codes can be shown in 2024"
    )


def test_significant_changes_keep_only_holm_p_under_five_percent() -> None:
    changes = pd.DataFrame(
        {
            "label": ["IT", "Pay", "Staffing"],
            "change": [-6.04, 2.0, 3.24],
            "p_value_holm": [0.01, 0.05, 0.049],
        }
    )
    sentence = report.significant_changes_sentence(changes, "")
    # Markdown, with the values escaped (analysis.text_safety.markdown).
    assert sentence.data.strip() == (
        "Changes that remain significant after Holm's adjustment: "
        r"IT \(\-6\.0 points\)\; Staffing \(\+3\.2 points\)."
    )
    none = report.significant_changes_sentence(changes.assign(p_value_holm=0.5), "Methods differ")
    assert none.data.strip() == (
        "Changes that remain significant after Holm's adjustment: none. "
        r"Methods differ\."
    )


def test_the_frequencies_display_what_they_show_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda item: shown.append(item))
    frequencies = report.CodeFrequencies(published=None, shown=Shown("first", "second"))
    frequencies._ipython_display_()
    assert shown == ["first", "second"]


@pytest.fixture(scope="module")
def demo_sections(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("comments")
    stage = report.open_stage(str(DEMO), None, str(out))
    frequencies = report.what_staff_write_about(stage)
    sections = {
        "agreement": report.coder_agreement(stage, machine_coding=False),
        "frequencies": frequencies,
        "changes": report.changes_since_previous_survey(stage, frequencies),
        "stage": stage,
    }
    return out, sections


def test_demo_headlines_match_the_run_before_the_move(demo_sections: tuple[Path, dict]) -> None:
    # From /tmp/thin02-before/5NF/2008/headlines/comments.json (the notebook before the move;
    # the model's own headline needs machine_coding, off here).
    out, _ = demo_sections
    headlines = {
        entry["label"]: (entry["value"], entry["note"])
        for entry in json.loads((out / "headlines" / "comments.json").read_text())
    }
    assert headlines == {
        "Agreement between coders (median Cohen's kappa over codes)": (
            0.7,
            "300 comments coded by both",
        ),
        "Most raised in comments, 2008": ("Workload and time pressure (12%)", ""),
        "Largest change in comments since 2007": (
            "IT systems and electronic records (-6 points)",
            "",
        ),
    }


def test_demo_sections_show_what_the_notebook_showed(demo_sections: tuple[Path, dict]) -> None:
    out, sections = demo_sections
    stage = sections["stage"]
    assert (stage.report_year, stage.counted_year) == (2008, 2008)
    # With the model off, the agreement section says so, then shows the published table.
    sentence, table = sections["agreement"]
    assert sentence.data.startswith("300 comments were coded by both researcher and supervisor.")
    assert r"The model is switched off \(machine\_coding \= False\)" in sentence.data
    assert set(table.data["coders"]) == {f"{stage.primary_coder} and {stage.second_coder}"}
    # The bar chart, and the most raised code first among the eight.
    frequencies = sections["frequencies"]
    assert len(frequencies.top_codes) == report.MOST_RAISED
    assert (out / "figures" / "comments" / "code_frequencies.png").exists()
    (chart,) = frequencies.shown  # the section's text says "The figure shows...": it is shown
    assert chart.path.name == "code_frequencies.png"
    published, significant = sections["changes"]
    assert (out / "tables" / "comments" / "code_share_change.csv").exists()
    assert significant.data.startswith("Changes that remain significant after Holm's")


def test_the_coding_widget_is_made_only_when_asked(tmp_path: Path) -> None:
    # The notebook's last cell (issue #11: no cell decides): a pipeline run shows nothing.
    # A widget starts the coder's log in its package, so it codes a copy, never data/demo.
    from analysis.comments.widget import CodingWidget

    package = tmp_path / "demo"
    shutil.copytree(DEMO, package)
    stage = report.open_stage(str(package), None, str(tmp_path / "out"))
    nothing = report.Suggestions(Shown("no suggestions"))
    assert (
        report.coding_widget_with_suggestions(stage, nothing, show=False, min_probability=0.5)
        is None
    )
    widget = report.coding_widget_with_suggestions(stage, nothing, show=True, min_probability=0.5)
    assert isinstance(widget, CodingWidget)


def test_the_approval_sheet_goes_to_the_stages_own_folder(demo_sections: tuple[Path, dict]) -> None:
    out, sections = demo_sections
    report.approval_sheet_section(sections["stage"], sections["frequencies"], write=True)
    assert (out / "private" / "quotes_to_approve.csv").is_file()
