"""Code frequencies, changes, co-occurrence and scores, checked by hand and on the demo."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from documented_tables import DOCS, documented_columns
from scipy import stats

from analysis.comments.frequencies import (
    KEYWORD_CODER,
    change_in_share,
    code_cooccurrence,
    code_frequencies,
    code_vs_scores,
    coded_comments,
    keyword_codings,
    linked_survey_scores,
)
from analysis.datapackage import load_data_package
from analysis.datapackage.codebook import Code, Codebook, parse_codebook
from analysis.datapackage.coding_logs import read_coding_spreadsheet
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

MINIMUM = 11  # the NHS Staff Survey's minimum group size, as in dataset.yml


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


LINKED = parse_codebook(
    """
- id: WORK
  label: Workload
  codes:
    - id: workload
      label: Workload pressure
      survey_themes: [Work pressure]
      survey_items: [enough_staff, not_asked_this_year]
    - {id: car_parking, label: Car parking}
"""
)


def test_code_vs_scores_welch_test_by_hand() -> None:
    theme = [8.0, 9.0, 10.0, 2.0, 4.0, 6.0, 8.0]
    item = [0.0, 5.0, 10.0, 10.0, 10.0, 10.0, 5.0]
    scores = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(7)] * 2,
            "link": ["theme"] * 7 + ["item"] * 7,
            "measure": ["Work pressure"] * 7 + ["enough_staff"] * 7,
            "score": theme + item,
        }
    )
    coded = pd.DataFrame(
        {
            "comment_id": ["c0", "c1", "c2", "c3"],
            "respondent_id": ["r0", "r1", "r2", "r3"],
            "year": [2020, 2020, 2020, 2019],  # r3 wrote in another year: not counted
            "code_id": ["workload", "workload", "workload", "workload"],
        }
    )
    table = code_vs_scores(coded, scores, LINKED, 2020, minimum=2)
    # only the links of the codebook: car_parking has none, and one item was not asked
    assert table[["code_id", "link", "measure"]].values.tolist() == [
        ["workload", "theme", "Work pressure"],
        ["workload", "item", "enough_staff"],
    ]
    assert table.attrs["notes"] == [
        "codes with no survey theme or item in the codebook: car_parking",
        "linked themes or items with no scores in 2020: workload (item not_asked_this_year)",
    ]
    row = table.iloc[0]
    # With: 8, 9, 10 (mean 9, variance 1); without: 2, 4, 6, 8 (mean 5, variance 20/3).
    # Welch: se = sqrt(1/3 + (20/3)/4) = sqrt(2); t = 4 / sqrt(2) = 2.8284;
    # df = 2^2 / ((1/3)^2/2 + (5/3)^2/3) = 4 / (1/18 + 25/27) = 4.0755.
    t, df = 4 / np.sqrt(2), 4 / (1 / 18 + 25 / 27)
    assert row["respondents_with_code"] == 3 and row["respondents_without_code"] == 4
    assert row["difference"] == pytest.approx(4.0)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(t, df), rel=1e-9)
    # the item: with 0, 5, 10 (mean 5, variance 25), without 10, 10, 10, 5 (mean 8.75,
    # variance 6.25); se = sqrt(25/3 + 6.25/4) = sqrt(9.8958) = 3.1458; t = -3.75 / 3.1458
    # = -1.1921; df = 9.8958^2 / ((25/3)^2/2 + (6.25/4)^2/3) = 97.928 / 35.536 = 2.7557
    item_row = table.iloc[1]
    se2 = 25 / 3 + 6.25 / 4
    t, df = -3.75 / np.sqrt(se2), se2**2 / ((25 / 3) ** 2 / 2 + (6.25 / 4) ** 2 / 3)
    assert item_row["difference"] == pytest.approx(-3.75)
    assert item_row["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)
    # Holm over the two tests: the smaller p doubled, the larger kept if above it
    low, high = sorted(table["p_value"])
    assert sorted(table["p_value_holm"]) == pytest.approx([2 * low, max(2 * low, high)])
    # Below the minimum group size no test is made (the row is suppressed when published).
    assert code_vs_scores(coded, scores, LINKED, 2020, minimum=11)["p_value"].isna().all()


def test_linked_survey_scores_on_the_demo() -> None:
    package = load_data_package(DEMO)
    tables = package.tables
    scores = linked_survey_scores(
        tables["responses"], tables["questionnaire"], tables["scales"], package.codebook, 2008
    )
    linked_themes = {t for code in package.codebook for t in code.survey_themes}
    assert set(scores.loc[scores["link"] == "theme", "measure"]) == linked_themes
    # satisfied_pay (2008 column q7f, "How satisfied are you with your level of pay?", codes
    # 1-5, positive 4;5): answer r scores 10 (r - 1) / 4, so 0, 2.5, 5, 7.5 or 10, one score
    # per respondent who answered
    pay = scores[(scores["link"] == "item") & (scores["measure"] == "satisfied_pay")]
    responses = tables["responses"]
    answered = responses.loc[responses["year"] == 2008, ["respondent_id", "q7f"]].dropna()
    expected = 10 * (answered["q7f"].to_numpy(dtype=float) - 1) / 4
    expected = pd.Series(expected, index=answered["respondent_id"].astype(str).to_numpy())
    found = pay.set_index("respondent_id")["score"]
    assert found.sort_index().to_dict() == pytest.approx(expected.sort_index().to_dict())


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
        minimum=MINIMUM,
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
    table = pd.read_csv(folder / "code_frequencies.csv", encoding="utf-8-sig")
    it = table[(table["breakdown"] == "all") & (table["code_id"] == "it_systems")]
    percent = pd.to_numeric(it.set_index("year")["percent"])
    assert percent.idxmax() == 2007 and percent[2007] >= 15
    meta = json.loads((folder / "code_frequencies.json").read_text(encoding="utf-8"))
    assert meta["count"] == "commenters"


REAL_CODED = DEMO.parents[2] / "shared" / "data" / "real" / "nhs_patient_feedback_coded.csv"


@pytest.mark.skipif(
    not REAL_CODED.exists(),
    reason=f"real NHS patient feedback not found at {REAL_CODED} (it sits beside the project, "
    "not in it; see ../shared/data/real/README.md)",
)
def test_real_coded_comments_import_and_count_by_organisation() -> None:
    # 10,334 real NHS patient comments coded by people into 9 categories (`label`) at three
    # trusts (`organization`). The file has no respondent ids or years: each comment is
    # taken as one respondent's, all in one year.
    categories = pd.read_csv(REAL_CODED, usecols=["label"])["label"].unique()
    book = Codebook(
        [Code("FEEDBACK", "Patient feedback", codable=False)]
        + [Code(f"c{i}", label, parent="FEEDBACK") for i, label in enumerate(sorted(categories))]
    )
    codings = read_coding_spreadsheet(
        REAL_CODED, book, coder="NHS coders", comment_column="row_index", codes_column="label"
    )
    raw = pd.read_csv(REAL_CODED, dtype=str)
    comments = pd.DataFrame(
        {"comment_id": raw["row_index"], "respondent_id": raw["row_index"], "year": 2020}
    )
    responses = pd.DataFrame(
        {"respondent_id": raw["row_index"], "year": 2020, "organization": raw["organization"]}
    )
    coded = coded_comments(comments, codings, "NHS coders")
    codes = list(book.codable_ids())
    labels = {code.id: code.label for code in book}
    table = code_frequencies(coded, responses, codes, ["organization"], labels=labels)
    by_trust = table[table["breakdown"] == "organization"].set_index(["group", "label"])
    # Counted from the file (pd.crosstab(label, organization)): Trust A has 2,625 comments,
    # of which 793 "Care received" and 698 "Staff"; Trust C 4,402, of which 1,362
    # "Couldn't be improved"; Trust B 3,307, of which 27 "Dignity".
    assert by_trust.loc[("Trust A", "Care received"), "commenters"] == 2625
    assert by_trust.loc[("Trust A", "Care received"), "respondents"] == 793
    assert by_trust.loc[("Trust A", "Staff"), "respondents"] == 698
    assert by_trust.loc[("Trust C", "Couldn't be improved"), "respondents"] == 1362
    assert by_trust.loc[("Trust B", "Dignity"), "respondents"] == 27
    assert by_trust.loc[("Trust C", "Staff"), "percent"] == pytest.approx(100 * 1332 / 4402)
    # every cell equals the file's own cross-tabulation, and the trusts add up to the total
    expected = pd.crosstab(raw["organization"], raw["label"]).stack()
    found = by_trust["respondents"]
    assert found.sort_index().to_dict() == expected.sort_index().to_dict()
    everyone = table[table["breakdown"] == "all"]
    assert everyone["commenters"].iloc[0] == 10_334 and everyone["respondents"].sum() == 10_334


def test_every_published_comments_table_is_documented_with_its_columns(demo_run: Path) -> None:
    folder = demo_run / "tables" / "comments"
    documented = documented_columns((DOCS / "comments-tables.md").read_text(encoding="utf-8"))
    for name in ("code_frequencies.csv", "agreement.csv", "code_cooccurrence.csv"):
        assert name in documented, name
    for path in sorted(folder.glob("*.csv")):
        header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        # the report year is 2008: the change table names the two years it compares
        header = [
            {
                "percent_2007": "percent_<previous year>",
                "percent_2008": "percent_<report year>",
            }.get(column, column)
            for column in header
        ]
        # code_vs_scores_significant.csv: the significant rows of code_vs_scores.csv
        documented_as = "code_vs_scores.csv" if "significant" in path.name else path.name
        assert header == documented[documented_as], path.name
