"""Representative quotes: varied, deterministic and always redacted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.comments.quotes import (
    APPROVAL_SHEET_COLUMNS,
    approval_sheet,
    approved_comment_ids,
    jaccard_similarity,
    quotes_markdown,
    representative_quotes,
    word_set,
)

COMMENTS = pd.DataFrame(
    {
        "comment_id": ["c1", "c2", "c3", "c4", "c5"],
        "year": 2020,
        "text": [
            "We need more staff on the district nursing team",
            "We need more staff on the district nursing team now",
            "Vacancies are never filled and agency cover is poor",
            "Call Karen Smith on 07700 900123 about the staffing rota please",
            "Staff",
        ],
    }
)
CODED = pd.DataFrame({"comment_id": ["c1", "c2", "c3", "c4", "c5"], "code_id": ["staffing"] * 5})


def test_jaccard_similarity_by_hand() -> None:
    # {we, need, more, staff} vs {more, staff}: 2 shared of 4 distinct words.
    assert jaccard_similarity(word_set("We need more staff"), word_set("more STAFF")) == 0.5
    assert jaccard_similarity(frozenset(), frozenset()) == 0.0


def test_quotes_are_varied_not_near_duplicates() -> None:
    quotes = representative_quotes(COMMENTS, CODED, ["staffing"], per_code=2)
    # c1 and c2 share 9 of 10 words (Jaccard 0.9); the first quote is the most typical
    # (c1 or c2), the second must be far from it, so never the other twin.
    assert len(quotes) == 2
    assert {"c1", "c2"} - set(quotes["comment_id"])
    assert quotes["rank"].tolist() == [1, 2]


def test_quotes_are_redacted_and_deterministic() -> None:
    first = representative_quotes(COMMENTS, CODED, ["staffing"], per_code=4)
    again = representative_quotes(COMMENTS.iloc[::-1], CODED.iloc[::-1], ["staffing"], per_code=4)
    pd.testing.assert_frame_equal(first, again)
    shown = " ".join(first["quote"])
    assert "Karen" not in shown and "07700" not in shown
    assert "[NAME]" in shown and "[PHONE]" in shown
    # "Staff" (one word) is used only when nothing longer is left: 4 longer comments exist.
    assert "c5" not in set(first["comment_id"])


def test_short_comments_fill_in_when_nothing_longer_is_left() -> None:
    quotes = representative_quotes(COMMENTS, CODED, ["staffing"], per_code=5)
    assert sorted(quotes["comment_id"]) == ["c1", "c2", "c3", "c4", "c5"]


def test_codes_without_comments_are_skipped_and_bad_input_rejected() -> None:
    assert representative_quotes(COMMENTS, CODED, ["pay"]).empty
    with pytest.raises(ValueError, match="per_code"):
        representative_quotes(COMMENTS, CODED, ["staffing"], per_code=0)
    with pytest.raises(ValueError, match="lacks the column"):
        representative_quotes(COMMENTS.drop(columns="text"), CODED, ["staffing"])


# --- approved quotes (issue #10, part 5) -----------------------------------------------


def test_only_approved_comments_are_quoted() -> None:
    quotes = representative_quotes(COMMENTS, CODED, ["staffing"], per_code=5, approved={"c3"})
    assert quotes["comment_id"].tolist() == ["c3"]
    assert representative_quotes(COMMENTS, CODED, ["staffing"], approved=set()).empty


def test_approved_comment_ids_follow_the_setting() -> None:
    table = pd.DataFrame({"comment_id": ["c3", "c4"], "approver": "JS", "date": "2024-05-01"})
    assert approved_comment_ids("all", table) is None
    assert approved_comment_ids("approved_only", table) == {"c3", "c4"}
    assert approved_comment_ids("approved_only", None) == frozenset()
    with pytest.raises(ValueError, match="'all' or 'approved_only'"):
        approved_comment_ids("some", table)


def test_quotes_markdown_escapes_what_staff_wrote() -> None:
    quotes = pd.DataFrame(
        {"code_id": ["pay"], "quote": ["[click](http://x.example) <img src=x> **now**"]}
    )
    shown = quotes_markdown(quotes, {"pay": "Pay & <b>grading</b>"}).data
    assert "<img" not in shown and "<b>" not in shown
    assert "\\[click\\]\\(http\\:\\/\\/x\\.example\\)" in shown
    assert "\\*\\*now\\*\\*" in shown
    assert "Pay &amp; &lt;b&gt;grading&lt;\\/b&gt;" in shown
    empty = quotes.iloc[0:0]
    assert "quotes_approved.csv" in quotes_markdown(empty, {}, "approved_only").data


def test_approval_sheet_lists_redacted_candidates_to_mark(tmp_path: Path) -> None:
    comments = pd.concat(
        [
            COMMENTS,
            pd.DataFrame({"comment_id": ["c6"], "year": 2020, "text": ["=HYPERLINK(1) staff"]}),
        ],
        ignore_index=True,
    )
    coded = pd.concat(
        [CODED, pd.DataFrame({"comment_id": ["c6"], "code_id": ["staffing"]})], ignore_index=True
    )
    sheet = approval_sheet(
        comments, coded, ["staffing"], tmp_path / "private" / "sheet.csv", approved=["c1"]
    )
    written = pd.read_csv(sheet.path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(written.columns) == APPROVAL_SHEET_COLUMNS
    assert sheet.candidates == len(written) == 5  # c2 to c6: c1 is approved already
    assert "c1" not in set(written["comment_id"])
    assert (written["approver"] == "").all() and (written["date"] == "").all()
    karen = written.loc[written["comment_id"] == "c4", "quote"].item()
    assert "Karen" not in karen and "[PHONE]" in karen
    formula = written.loc[written["comment_id"] == "c6", "quote"].item()
    assert formula.startswith("'=")  # a spreadsheet shows it as text, not a formula
    assert "quotes_approved.csv" in sheet._repr_markdown_()
