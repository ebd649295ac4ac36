"""Code frequencies, changes, co-occurrence and scores, checked by hand and on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.comments.codebook import parse_codebook
from analysis.comments.frequencies import (
    KEYWORD_CODER,
    change_in_share,
    code_cooccurrence,
    code_frequencies,
    code_vs_scores,
    coded_comments,
    keyword_codings,
)
from analysis.datapackage import load_data_package
from analysis.disclosure import suppress_small_groups

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"

BOOK = parse_codebook(
    """
- id: RES
  label: Resources
  codes:
    - {id: it_systems, label: IT systems, keywords: [IT, computer, log on]}
    - {id: car_parking, label: Car parking, keywords: [parking]}
"""
)


def test_keyword_codings_match_whole_words_and_capitals_exactly() -> None:
    comments = pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3", "c4"],
            "text": ["The IT crashes", "it is fine", "Computers and PARKING", "I can't log on"],
        }
    )
    found = keyword_codings(comments, BOOK)
    pairs = sorted(zip(found["comment_id"], found["code_id"].fillna("-"), strict=True))
    # c1: "IT" in capitals; c2: "it" is not IT and no other keyword: a blank row;
    # c3: "Computers" is not the whole word "computer", "PARKING" matches ignoring case.
    assert pairs == [("c1", "it_systems"), ("c2", "-"), ("c3", "car_parking"), ("c4", "it_systems")]
    assert set(found["coder"]) == {KEYWORD_CODER}


COMMENTS = pd.DataFrame(
    {
        "comment_id": ["c1", "c2", "c3", "c4", "c5"],
        "respondent_id": ["r1", "r1", "r2", "r3", "r4"],
        "year": [2020, 2020, 2020, 2020, 2020],
        "text": ["IT", "parking", "nothing", "more parking", "IT again"],
    }
)
CODINGS = pd.DataFrame(
    {
        "comment_id": ["c1", "c2", "c3", "c4", "c4", "c4"],
        "coder": ["A", "A", "A", "A", "B", "reconciled"],
        "code_id": ["it_systems", "car_parking", None, "it_systems", "car_parking", "car_parking"],
    }
)
RESPONSES = pd.DataFrame(
    {
        "respondent_id": ["r1", "r2", "r3", "r4"],
        "year": [2020, 2020, 2020, 2020],
        "directorate": ["North", "North", "South", None],
    }
)


def test_coded_comments_prefers_reconciled_then_primary_then_keywords() -> None:
    coded = coded_comments(COMMENTS, CODINGS, "A", BOOK)
    rows = {
        (cid, code if isinstance(code, str) else None, source)
        for cid, code, source in zip(
            coded["comment_id"], coded["code_id"], coded["source"], strict=True
        )
    }
    assert rows == {
        ("c1", "it_systems", "A"),
        ("c2", "car_parking", "A"),
        ("c3", None, "A"),
        ("c4", "car_parking", "reconciled"),  # not A's it_systems
        ("c5", "it_systems", KEYWORD_CODER),  # nobody coded c5
    }
    assert "c5" not in set(coded_comments(COMMENTS, CODINGS, "A")["comment_id"])


def test_coded_comments_rejects_codings_of_unknown_comments() -> None:
    bad = pd.DataFrame({"comment_id": ["c9"], "coder": ["A"], "code_id": ["it_systems"]})
    with pytest.raises(ValueError, match="not in the comments table"):
        coded_comments(COMMENTS, bad, "A")


def test_code_frequencies_by_hand() -> None:
    coded = coded_comments(COMMENTS, CODINGS, "A", BOOK)
    table = code_frequencies(
        coded,
        RESPONSES,
        ["it_systems", "car_parking"],
        ["directorate"],
        labels={"it_systems": "IT"},
    )
    got = table.set_index(["breakdown", "group", "code_id"])
    # Commenters: r1, r2, r3, r4 = 4. IT: r1 (c1), r4 (c5) = 2 respondents, 2 comments, 50%.
    # Parking: r1 (c2), r3 (c4) = 2 respondents, 50%.
    assert got.loc[("all", "All staff", "it_systems"), ["commenters", "respondents"]].tolist() == [
        4,
        2,
    ]
    assert got.loc[("all", "All staff", "it_systems"), "percent"] == 50.0
    assert got.loc[("all", "All staff", "it_systems"), "label"] == "IT"
    # North: r1, r2 commented; IT raised by r1 only: 1 of 2 = 50%; parking by r1: 50%.
    # South: r3 raised parking; IT 0 of 1 (a zero row, so the partition is complete).
    # Not stated: r4 raised IT.
    assert got.loc[("directorate", "North", "it_systems"), "respondents"] == 1
    assert got.loc[
        ("directorate", "South", "it_systems"), ["commenters", "respondents"]
    ].tolist() == [
        1,
        0,
    ]
    assert got.loc[("directorate", "Not stated", "it_systems"), "respondents"] == 1
    by_group = table[table["breakdown"] == "directorate"].groupby("code_id")["respondents"].sum()
    assert by_group.to_dict() == {"car_parking": 2, "it_systems": 2}


def _two_year_frequencies(hidden: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "breakdown": "all",
            "group": "All staff",
            "year": [2019, 2020],
            "code_id": "it_systems",
            "label": "IT",
            "commenters": [60, 60],
            "respondents": [30, 45],
            "comments": [30, 45],
            "percent": [50.0, 75.0],
            "suppressed": [hidden, False],
        }
    )


def test_change_in_share_matches_r_prop_test() -> None:
    # R: prop.test(c(45, 30), c(60, 60), correct = FALSE): p-value = 0.004677735; change 25 points.
    change = change_in_share(_two_year_frequencies(), 2019, 2020).iloc[0]
    assert change["percent_from"] == 50.0 and change["percent_to"] == 75.0
    assert change["change"] == pytest.approx(25.0)
    assert change["p_value"] == pytest.approx(0.004677735, rel=1e-6)
    assert change["p_value_holm"] == pytest.approx(0.004677735, rel=1e-6)  # one test


def test_change_in_share_hides_rows_with_a_suppressed_year() -> None:
    change = change_in_share(_two_year_frequencies(hidden=True), 2019, 2020).iloc[0]
    assert bool(change["suppressed"])
    assert np.isnan(change[["percent_from", "percent_to", "change", "p_value"]].astype(float)).all()
    with pytest.raises(ValueError, match="no code frequencies for 2018"):
        change_in_share(_two_year_frequencies(), 2018, 2020)


def test_code_cooccurrence_by_hand() -> None:
    coded = pd.DataFrame(
        {
            "comment_id": ["c1", "c1", "c2", "c3", "c4"],
            "respondent_id": ["r1", "r1", "r2", "r2", "r3"],
            "year": 2020,
            "code_id": ["a", "b", "a", "b", None],
        }
    )
    table = code_cooccurrence(coded, ["a", "b"], 2020).set_index(["code_a", "code_b"])
    # r1 raised a and b in one comment, r2 in two comments, r3 nothing: 3 commenters.
    assert table.loc[("a", "b"), "respondents"] == 2
    assert table.loc[("a", "a"), "respondents"] == 2
    assert (table["commenters"] == 3).all()
    assert table.loc[("a", "b"), "percent"] == pytest.approx(200 / 3)
    assert ("b", "a") not in table.index


def test_code_vs_scores_welch_test_by_hand() -> None:
    scores = pd.DataFrame(
        {
            "year": 2020,
            "respondent_id": [f"r{i}" for i in range(7)],
            "theme": "Work pressure",
            "score": [8.0, 9.0, 10.0, 2.0, 4.0, 6.0, 8.0],
        }
    )
    coded = pd.DataFrame(
        {
            "comment_id": ["c0", "c1", "c2"],
            "respondent_id": ["r0", "r1", "r2"],
            "year": 2020,
            "code_id": ["workload", "workload", "workload"],
        }
    )
    row = code_vs_scores(coded, scores, ["workload"], 2020, minimum=2).iloc[0]
    # With: 8, 9, 10 (mean 9, variance 1); without: 2, 4, 6, 8 (mean 5, variance 20/3).
    # Welch: se = sqrt(1/3 + (20/3)/4) = sqrt(2); t = 4 / sqrt(2) = 2.8284;
    # df = 2^2 / ((1/3)^2/2 + (5/3)^2/3) = 4 / (1/18 + 25/27) = 4.0755.
    t, df = 4 / np.sqrt(2), 4 / (1 / 18 + 25 / 27)
    assert row["respondents_with_code"] == 3 and row["respondents_without_code"] == 4
    assert row["difference"] == pytest.approx(4.0)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(t, df), rel=1e-9)
    # Below the minimum group size no test is made (the row is suppressed when published).
    assert np.isnan(code_vs_scores(coded, scores, ["workload"], 2020, minimum=11)["p_value"][0])


def _demo_it_shares() -> pd.DataFrame:
    package = load_data_package(DEMO)
    codes = [code.id for code in package.codebook if code.codable]
    coded = coded_comments(
        package.tables["comments"], package.tables["codings"], "researcher", package.codebook
    )
    table = code_frequencies(coded, package.tables["responses"], codes)
    return suppress_small_groups(
        table,
        count="commenters",
        dimensions=["group"],
        for_each=["breakdown", "year", "code_id"],
        labels=["label"],
    )


def test_demo_recovers_the_planted_rise_of_it_comments_in_2007() -> None:
    # data/demo/README.md, effect 7: IT share of commenting respondents 4.0, 8.6, 7.7, 3.5,
    # 19.1 (2007), 8.0 (measured on the writers' true topics).
    gated = _demo_it_shares()
    it = gated[gated["code_id"] == "it_systems"].set_index("year")
    assert not it["suppressed"].any()
    assert 15 <= it.loc[2007, "percent"] <= 23
    assert it.drop(index=2007)["percent"].max() <= 11
    change = change_in_share(gated, 2006, 2007).set_index("code_id").loc["it_systems"]
    assert change["change"] > 10 and change["p_value"] < 0.001 and change["p_value_holm"] < 0.01


def test_published_demo_run_shows_the_it_rise(demo_run: Path) -> None:
    folder = demo_run / "tables" / "comments"
    if not folder.exists():
        pytest.skip("the comments stage is not registered in analysis.stages yet")
    table = pd.read_csv(folder / "code_frequencies.csv", encoding="utf-8-sig")
    it = table[(table["breakdown"] == "all") & (table["code_id"] == "it_systems")]
    percent = pd.to_numeric(it.set_index("year")["percent"])
    assert percent.idxmax() == 2007 and percent[2007] >= 15
    meta = json.loads((folder / "code_frequencies.json").read_text(encoding="utf-8"))
    assert meta["count"] == "commenters"
