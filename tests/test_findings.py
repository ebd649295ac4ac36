"""Findings for figure titles: worked by hand, and never built from a suppressed figure."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import findings


def _rates() -> pd.DataFrame:
    # Hidden: "Estates" (7 respondents, below the minimum) holds the lowest rate and
    # "Board" the highest; neither may be named or its value shown.
    return pd.DataFrame(
        {
            "directorate": ["Therapies", "Corporate Services", "Estates", "Nursing", "Board"],
            "response_rate": [66.7, 38.2, 12.0, 51.0, 99.0],
            "suppressed": [False, False, True, False, True],
        }
    )


def test_lowest_and_highest_skip_suppressed_rows_and_empty_values() -> None:
    table = pd.concat(
        [_rates(), pd.DataFrame({"directorate": ["Not stated"], "response_rate": [None]})]
    ).assign(suppressed=lambda t: t["suppressed"].fillna(False).astype(bool))
    assert findings.lowest_and_highest(table, category="directorate", value="response_rate") == (
        ("Corporate Services", 38.2),
        ("Therapies", 66.7),
    )


def test_lowest_and_highest_break_ties_by_name_and_never_give_one_row_twice() -> None:
    table = pd.DataFrame(
        {"group": ["B", "A", "C"], "pct": [50.0, 50.0, 50.0], "suppressed": [False] * 3}
    )
    assert findings.lowest_and_highest(table, category="group", value="pct") == (
        ("A", 50.0),
        ("C", 50.0),
    )
    # Two groups tied: both are named, neither is called the only one shown.
    tied = table[table["group"] != "C"]
    assert (
        findings.range_finding(tied, category="group", value="pct", measure="Rates")
        == "Rates ranged from 50% (A) to 50% (B)"
    )
    assert findings.extremes_finding(tied, category="group", value="pct") == (
        "Most positive: B (50%); least positive: A (50%)"
    )


def test_highest_names_every_published_row_tied_at_the_top() -> None:
    # Shown: 3, 3, 1 -> the two rows at 3; the hidden 9 would otherwise be the top alone.
    pairs = pd.DataFrame(
        {
            "pair": ["Pay and staffing", "IT and pay", "IT and staffing", "Hidden pair"],
            "respondents": [3, 3, 1, 9],
            "suppressed": [False, False, False, True],
        }
    )
    assert findings.highest(pairs, category="pair", value="respondents") == (
        ["IT and pay", "Pay and staffing"],
        3.0,
    )
    assert (
        findings.highest(pairs.assign(suppressed=True), category="pair", value="respondents")
        is None
    )


def test_a_finding_needs_the_gates_suppressed_flag() -> None:
    with pytest.raises(ValueError, match="suppressed"):
        findings.lowest_and_highest(
            pd.DataFrame({"group": ["A"], "pct": [1.0]}), category="group", value="pct"
        )


def test_range_finding_states_lowest_and_highest_rounded() -> None:
    # 38.2 rounds to 38 and 66.7 to 67; 12.0 and 99.0 are hidden.
    assert (
        findings.range_finding(
            _rates(),
            category="directorate",
            value="response_rate",
            measure="Response rates",
            when=" in 2008",
        )
        == "Response rates ranged from 38% (Corporate Services) to 67% (Therapies) in 2008"
    )


def test_range_finding_with_one_or_no_published_group() -> None:
    one = _rates().assign(suppressed=[True, False, True, True, True])
    assert (
        findings.range_finding(
            one, category="directorate", value="response_rate", measure="Response rates"
        )
        == "Response rates: 38% (Corporate Services), other groups [c]"
    )
    none = _rates().assign(suppressed=True)
    assert (
        findings.range_finding(
            none, category="directorate", value="response_rate", measure="Response rates"
        )
        == "Response rates: every group suppressed"
    )


def test_extremes_finding_names_highest_then_lowest_with_unit() -> None:
    themes = pd.DataFrame(
        {
            "theme": ["Team working", "Work pressure", "Pay"],
            "score": [7.14, 4.16, 2.0],
            "suppressed": [False, False, True],
        }
    )
    assert (
        findings.extremes_finding(
            themes,
            category="theme",
            value="score",
            high="Highest in 2008",
            low="lowest",
            unit=" of 10",
            decimals=1,
        )
        == "Highest in 2008: Team working (7.1 of 10); lowest: Work pressure (4.2 of 10)"
    )


def test_positive_share_sums_the_positive_side_and_skips_suppressed_questions() -> None:
    # Q1: positive = 25 + 15 = 40 ("don't know", position empty, is not counted).
    # Q2: 70 yes. Q3 has a suppressed answer row, so it is left out entirely.
    rows = pd.DataFrame(
        {
            "item": ["Q1"] * 6 + ["Q2"] * 2 + ["Q3"] * 2,
            "answer_position": pd.array([-2, -1, 0, 1, 2, None, 1, -1, 1, -1], dtype="Int64"),
            "percent": [10.0, 20.0, 30.0, 25.0, 15.0, 8.0, 70.0, 30.0, 95.0, None],
            "suppressed": [False] * 8 + [False, True],
        }
    )
    share = findings.positive_share(rows, item="item")
    assert share.to_dict("list") == {
        "item": ["Q1", "Q2"],
        "pct_positive": [40.0, 70.0],
        "suppressed": [False, False],
    }


def _heatmap() -> pd.DataFrame:
    # Per question, lowest and highest of the published groups:
    #   Q1: A 40, B 60, C 50 -> lowest A, highest B
    #   Q2: A 30, B 35, C [c] (hidden 5) -> lowest A, highest B
    #   Q3: A 70, B 20, C 20 -> lowest B and C (tied), highest A
    #   Q4: A 80 only (B, C hidden) -> not compared
    return pd.DataFrame(
        {
            "item": ["Q1"] * 3 + ["Q2"] * 3 + ["Q3"] * 3 + ["Q4"] * 3,
            "group": ["A", "B", "C"] * 4,
            "pct": [40.0, 60.0, 50.0, 30.0, 35.0, 5.0, 70.0, 20.0, 20.0, 80.0, 1.0, 2.0],
            "suppressed": [False] * 5 + [True] + [False] * 4 + [True, True],
        }
    )


def test_times_lowest_and_highest_count_published_cells_only() -> None:
    counts = findings.times_lowest_and_highest(_heatmap(), row="item", column="group", value="pct")
    assert counts.to_dict("list") == {
        "group": ["A", "B", "C"],
        "lowest": [2, 1, 1],
        "highest": [1, 2, 0],
        "compared": [3, 3, 3],
    }


def test_group_comparison_finding_adds_the_most_positive_group_only_when_it_fits() -> None:
    arguments = {"row": "item", "column": "group", "value": "pct", "when": " in 2008"}
    assert (
        findings.group_comparison_finding(_heatmap(), **arguments)
        == "A was least positive on 2 of 3 questions in 2008; B most positive on 2"
    )
    assert (
        findings.group_comparison_finding(_heatmap(), width=50, **arguments)
        == "A was least positive on 2 of 3 questions in 2008"
    )


def test_group_comparison_finding_when_no_question_has_two_published_groups() -> None:
    arguments = {"row": "item", "column": "group", "value": "pct", "when": " in 2008"}
    # Q4: only A is published (B and C hidden).
    only_a = _heatmap()[lambda t: t["item"] == "Q4"]
    assert (
        findings.group_comparison_finding(only_a, **arguments)
        == "Only A is large enough to show in 2008"
    )
    # A on Q1 and B on Q2 only: two groups published, never on the same question.
    apart = _heatmap().assign(suppressed=[False, True, True, True, False, True] + [True] * 6)
    assert (
        findings.group_comparison_finding(apart, **arguments)
        == "Too few groups are large enough to compare in 2008"
    )


def test_group_comparison_finding_over_years_in_its_own_words() -> None:
    # 2007: X 40, Y 55; 2008: X 38, Y 60, Z [c] (hidden 10) -> X lowest in both, Y highest.
    rates = pd.DataFrame(
        {
            "year": [2007, 2007, 2008, 2008, 2008],
            "staff_group": ["X", "Y", "X", "Y", "Z"],
            "rate": [40.0, 55.0, 38.0, 60.0, 10.0],
            "suppressed": [False, False, False, False, True],
        }
    )
    assert (
        findings.group_comparison_finding(
            rates,
            row="year",
            column="staff_group",
            value="rate",
            lowest="had the lowest response rate in",
            highest="the highest in",
            rows="years",
        )
        == "X had the lowest response rate in 2 of 2 years; Y the highest in 2"
    )


def test_largest_change_finding_counts_significant_published_changes() -> None:
    # Published: Q1 -8.4 (significant), Q2 +3.0, Q4 +8.4 (significant); Q3 (+20) is hidden.
    # Q1 and Q4 tie at 8.4 points; the tie goes to Q1 by name.
    changes = pd.DataFrame(
        {
            "item": ["Q1", "Q2", "Q3", "Q4"],
            "diff_pp": [-8.4, 3.0, 20.0, 8.4],
            "significant": [True, False, True, True],
            "suppressed": [False, False, True, False],
        }
    )
    assert (
        findings.largest_change_finding(changes, item="item", since="2007")
        == "Largest change since 2007: Q1, down 8 points; 2 of 3 changed significantly"
    )
    assert (
        findings.largest_change_finding(changes.assign(suppressed=True), item="item", since="2007")
        == "No change since 2007 can be shown"
    )


@pytest.mark.parametrize(
    "finding",
    [
        lambda t: findings.range_finding(
            t, category="group", value="pct", measure="Rates", decimals=1
        ),
        lambda t: findings.extremes_finding(t, category="group", value="pct", decimals=1),
        lambda t: str(findings.highest(t, category="group", value="pct")),
        lambda t: findings.group_comparison_finding(
            t.assign(item="Q1"), row="item", column="group", value="pct"
        ),
        lambda t: findings.largest_change_finding(
            t.rename(columns={"pct": "diff_pp"}).assign(significant=True),
            item="group",
            since="2007",
        ),
    ],
)
def test_a_suppressed_group_is_never_named_and_its_value_never_shown(finding) -> None:
    # The hidden group holds both the most extreme value and the largest change, so any
    # finding that looked at it would name it.
    table = pd.DataFrame(
        {
            "group": ["Shown low", "Shown high", "Hidden group"],
            "pct": [41.5, 62.5, 97.3],
            "suppressed": [False, False, True],
        }
    )
    text = finding(table)
    assert "Hidden group" not in text and "97" not in text
    assert "Shown" in text


def test_a_finding_from_a_published_table_carries_its_published_figures(tmp_path) -> None:
    from analysis.publishing import StageOutput

    table = pd.DataFrame(
        {
            "directorate": ["Therapies", "Corporate Services", "Estates", "Nursing"],
            "respondents": [60, 40, 7, 300],
            "response_rate": [66.75, 38.25, 12.0, 51.04],
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        table, "rates", title="Rates", count="respondents", dimensions=["directorate"]
    )
    # Estates (7) is below 11 and Corporate Services (40), the smallest other, is hidden
    # with it; the finding reads the published rates, rounded to 1 decimal (66.75 -> 66.8,
    # half up), never the hidden ones.
    finding = findings.range_finding(
        published.data,
        category="directorate",
        value="response_rate",
        measure="Response rates",
        decimals=1,
    )
    assert finding == "Response rates ranged from 51.0% (Nursing) to 66.8% (Therapies)"
