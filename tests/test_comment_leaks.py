"""The comments stage's last leaks of hidden counts: quotes, the approval sheet, agreement.

Issue #10 (privacy by construction), the open questions of the comment-totals work:

1. the approval sheet's "N candidate quotes" gave, on a one-year package, a count of a
   hidden year's comments;
2. quotes were shown from a year whose comment counts are hidden (and under a code whose
   count of commenters is hidden), showing that such comments exist and what they say;
3. the agreement tables' ratio columns (prevalence, share agreeing, kappas) give back the
   number of comments both coders coded, dropped as ``n_units`` when a year is hidden, and
   the whole-run audit neither read them nor listed them as not counts;
4. ``coder_agreement`` raised a ValueError when the two coders shared no comment;
5. ``private/quotes_to_approve.csv`` was written world-readable (0644) inside the run folder.

The packages are the test builder's minimal one (``tests/package_builder.py``), as in
``tests/test_comment_totals.py``: comments C1 (2022, respondent A1), C2 and C3 (2023,
respondents B2 and B5); AB coded C1 and C2 (C2 with no code), CD coded C3 (workload). By
hand: 2023 has 2 commenters and 2 comments; AB and CD share no comment unless AB codes C3
too (``double_code``).
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments.report import (
    approval_sheet_section,
    coder_agreement,
    keyword_hints_check,
    open_stage,
    opening,
    staff_quotes,
    what_staff_write_about,
)
from analysis.disclosure.relations import read_relations
from analysis.disclosure.relations_more import NOT_COUNTS
from tests.package_builder import comments_package


def _stage(tmp_path: Path, **package):
    out = tmp_path / "out"
    stage = open_stage(
        str(comments_package(tmp_path / "package", **package)), None, str(out), keyword_coding=True
    )
    opening(stage)
    return stage, out


def _texts(shown) -> str:
    """Every sentence a report cell shows, joined."""
    parts = shown if isinstance(shown, tuple | list) else [shown]
    texts = [getattr(part, "data", None) for part in parts]
    return " ".join(text for text in texts if isinstance(text, str))


# --- 1 and 2: quotes and the approval sheet ----------------------------------------------


def test_a_hidden_year_is_not_quoted_and_its_sheet_gives_no_count(tmp_path) -> None:
    # 2023 only, minimum 3: its 2 commenters are hidden. C3 ("Café – £5") is coded
    # workload by both coders, so before the fix it was quoted and the sheet said
    # "1 candidate quotes".
    stage, out = _stage(tmp_path, years=[2023], minimum=3, double_code=True)
    assert shown_year_hidden(stage)
    frequencies = what_staff_write_about(stage)
    quoted = staff_quotes(stage, frequencies, per_code=3).data
    assert "Café" not in quoted and "£5" not in quoted
    assert "not quoted" in quoted and "fewer than 3 respondents" in quoted
    sheet = approval_sheet_section(stage, frequencies, write=True, output_dir=str(out))
    shown = sheet._repr_markdown_() if hasattr(sheet, "_repr_markdown_") else sheet.data
    assert not re.search(r"\d+ candidate", shown), shown
    assert not (out / "private" / "quotes_to_approve.csv").exists()  # nothing to approve


def shown_year_hidden(stage) -> bool:
    data = stage.counts.data.set_index("year")
    return bool(data.loc[2023, "suppressed"])


def test_a_shown_year_is_quoted_while_another_is_hidden_and_no_count_is_given(tmp_path) -> None:
    # Minimum 2: 2022 (1 commenter) is hidden, 2023 (2 commenters), the year counted and
    # quoted, is shown: the rule is the quoted year's, so C3 ("Café – £5", workload) is
    # quoted. The sheet's candidates (here 1, C3) are not counted in the report: before
    # the fix it said "1 candidate quotes".
    stage, out = _stage(tmp_path, years=[2022, 2023], minimum=2)
    data = stage.counts.data.set_index("year")
    assert bool(data.loc[2022, "suppressed"]) and not bool(data.loc[2023, "suppressed"])
    frequencies = what_staff_write_about(stage)
    assert "Café – £5" in staff_quotes(stage, frequencies, per_code=3).data
    sheet = approval_sheet_section(stage, frequencies, write=True, output_dir=str(out))
    written = pd.read_csv(sheet.path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert written["comment_id"].tolist() == ["C3"] and sheet.candidates == 1
    assert not re.search(r"\d", sheet._repr_markdown_().replace(str(sheet.path), ""))


def test_the_sheet_is_private_and_written_atomically(tmp_path) -> None:
    # Two years, minimum 1: everything is shown, C1 (staffing, 2022 is not the counted
    # year) and C3 (workload) may be candidates; the sheet lists 2023's C3.
    stage, out = _stage(tmp_path, years=[2022, 2023], minimum=1)
    frequencies = what_staff_write_about(stage)
    sheet = approval_sheet_section(stage, frequencies, write=True, output_dir=str(out))
    written = pd.read_csv(sheet.path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert written["comment_id"].tolist() == ["C3"]
    assert stat.S_IMODE(sheet.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(sheet.path.parent.stat().st_mode) == 0o700
    # No temporary file is left beside it (publishing.write_atomically).
    assert [path.name for path in sheet.path.parent.iterdir()] == ["quotes_to_approve.csv"]


# --- 3: the agreement tables ----------------------------------------------------------------


def test_agreement_ratios_are_not_published_while_a_year_is_hidden(tmp_path) -> None:
    # 2023 only, minimum 3: AB and CD both coded C3. Before the fix, the published table
    # gave prevalence 0.5 for workload (2 codings of 2) and percent_agreement 1.0 on the
    # "overall" row: ratios whose denominator is the hidden year's double-coded comments.
    stage, out = _stage(tmp_path, years=[2023], minimum=3, double_code=True)
    agreement = coder_agreement(stage, machine_coding=False)
    keywords = keyword_hints_check(stage)
    for name in ("agreement", "keyword_agreement"):
        assert not (out / "tables" / "comments" / f"{name}.csv").exists(), name
    text = _texts(agreement) + " " + _texts(keywords)
    assert "not shown" in text and "fewer than 3 respondents" in text
    assert not re.search(r"\d\.\d", text)  # no kappa, proportion or ratio


def test_the_audit_lists_the_agreement_tables_as_not_counts(tmp_path) -> None:
    # Every year shown (minimum 1): the tables are published, and the whole-run audit's
    # reader records each with its reason instead of passing over it.
    stage, out = _stage(tmp_path, years=[2023], minimum=1, double_code=True)
    coder_agreement(stage, machine_coding=False)
    keyword_hints_check(stage)
    table = pd.read_csv(out / "tables" / "comments" / "agreement.csv")
    assert table.loc[table["code"] == "workload", "n_units"].tolist() == [1]  # C3, by hand
    relations = read_relations(out, 2023)
    for name in ("comments/agreement", "comments/keyword_agreement"):
        assert relations.not_counts[name] == NOT_COUNTS[name]
        assert "every year" in NOT_COUNTS[name]
    for name in ("comments/coding_quality", "comments/coding_learning_curve"):
        assert name in NOT_COUNTS


# --- 4: coders who share no comment ---------------------------------------------------------


@pytest.mark.parametrize("minimum", [1, 3])
def test_coders_sharing_no_comment_get_a_sentence_not_a_traceback(tmp_path, minimum) -> None:
    # 2023 only: AB coded C2, CD coded C3; no comment was coded by both. Before the fix,
    # pairwise_agreement raised "no pair of coders coded a comment in common".
    stage, out = _stage(tmp_path, years=[2023], minimum=minimum)
    assert (stage.primary_coder, stage.second_coder) == ("AB", "CD")
    shown = coder_agreement(stage, machine_coding=True)
    text = _texts(shown)
    assert "no shared comments" in text and "AB" in text and "CD" in text
    assert not (out / "tables" / "comments" / "agreement.csv").exists()


# --- 5: the sheet in a whole run --------------------------------------------------------------


@pytest.mark.slow
def test_a_run_keeps_the_sheet_private_and_never_links_it(tmp_path) -> None:
    # The comments stage run by the pipeline with write_approval_sheet: the sheet lands in
    # the run folder's private/ (0600 in 0700), and neither the run's index, nor the
    # manifest, nor the report links anything under private/ (the index lists published
    # tables from the manifest, which lists tables/<stage>/*.json only).
    from analysis.pipeline import run_pipeline

    package = comments_package(
        tmp_path / "package", years=[2022, 2023], minimum=1, double_code=True
    )
    result = run_pipeline(
        package,
        out_dir=tmp_path / "reports",
        stages=["comments"],
        parameters={"machine_coding": False, "write_approval_sheet": True},
        progress=lambda line: None,
    )
    sheet = result.run_dir / "private" / "quotes_to_approve.csv"
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    assert stat.S_IMODE(sheet.parent.stat().st_mode) == 0o700
    for page in ("index.html", "comments.html", "manifest.json"):
        text = (result.run_dir / page).read_text(encoding="utf-8")
        assert not re.search(r"""(href|src)=["']?[^"'>]*private""", text), page
        if page != "comments.html":  # the report says where the sheet is, as text
            assert "private" not in text, page
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "private" not in index
    # The run's own audit read the agreement table, published with every year shown.
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    audit = manifest["disclosure_audit"]
    assert audit["passed"] is True and audit["not_covered"] == {}
    assert audit["not_counts"]["comments/agreement"] == NOT_COUNTS["comments/agreement"]
