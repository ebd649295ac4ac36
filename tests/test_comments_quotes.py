"""Representative quotes: varied, deterministic and always redacted."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.comments.quotes import jaccard_similarity, representative_quotes, word_set

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
