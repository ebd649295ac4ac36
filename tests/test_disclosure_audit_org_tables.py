"""The organisation's own tables of the survey are read by the audit, not left uncovered.

``answer_distribution``, ``benchmark``, ``reliability``, ``missing_answers`` and
``comments_by_year`` publish the organisation's counts (its answers to an item, its
respondents to a theme, its respondents in a year), the same figures as the organisation's
rows of ``item_scores``, ``theme_scores`` and ``response_rates`` (checked equal on the
demo's 2008 run). Before, no reader took them and the audit listed them as not covered: an
organisation's total published there only was no equation at all. The hand-made case has
item 1's answers by staff group (X 25 shown, Y hidden) and the organisation's 30 answers
in one of these tables only: Y's answers are 30 - 25 = 5, pinned, which the audit must say.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.disclosure.audit import audit_relations
from analysis.disclosure.relations import Cell, read_relations
from tests.audit_cells import MINIMUM_GROUP_SIZE, YEAR

SURVEY = {"universe": "survey responses", "structure": "survey"}


def write(run: Path, name: str, rows: list[dict], meta: dict) -> None:
    path = run / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")


def groups_without_their_total(run: Path) -> None:
    write(
        run,
        "survey/item_scores",
        [
            {"year": YEAR, "group_type": "staff_group", "group": "X", "item_id": "q1",
             "n": 25, "n_positive": 10, "pct_positive": 40.0, "suppressed": False},
            {"year": YEAR, "group_type": "staff_group", "group": "Y", "item_id": "q1",
             "n": "", "n_positive": "", "pct_positive": "", "suppressed": True},
        ],
        {**SURVEY, "count": "n"},
    )  # fmt: skip


TOTALS = {
    "survey/answer_distribution": {
        "year": YEAR, "item_id": "q1", "code": 1, "label": "Yes", "n": 30, "percent": 40.0,
    },
    "survey/benchmark": {"year": YEAR, "item_id": "q1", "n": 30, "pct": 40.0},
    "data_overview/missing_answers": {
        "item_id": "q1", "respondents": 32, "answered": 30, "excluded": 0, "blank": 2,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(TOTALS))
def test_the_organisations_answers_there_pin_a_hidden_group(tmp_path: Path, name: str) -> None:
    groups_without_their_total(tmp_path)
    write(tmp_path, name, [TOTALS[name]], {**SURVEY, "count": "n"})
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    assert name not in relations.uncovered
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    (found,) = [r for r in result.ranges if r.key.endswith("staff_group=Y") and r.column == "n"]
    assert (found.lower, found.upper) == (pytest.approx(5), pytest.approx(5))
    assert not result.passed


def test_a_themes_and_a_years_organisation_counts_are_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        "survey/reliability",
        [{"year": YEAR, "theme": "T", "items": 3, "n": 30, "alpha": 0.8}],
        {**SURVEY, "count": "n"},
    )
    write(
        tmp_path,
        "data_overview/comments_by_year",
        [{"year": YEAR, "respondents": 40, "commenters": 12, "comments": 15}],
        {**SURVEY, "count": "commenters", "for_each": ["year"], "dimensions": []},
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    assert relations.uncovered == {}
    values = {(p.cell.universe, p.cell.slice, p.cell.where): p.value for p in relations.published}
    assert values == {("theme_answers", (YEAR, "T"), ()): 30, ("respondents", (YEAR,), ()): 40}


COMMENT_COUNTS = {"count": "commenters", "dimensions": [], "structure": "cells"}


def code_frequencies(run: Path) -> None:
    """The organisation's 40 commenters of 2008 and those raising c1 (10) and c2 (6)."""
    write(
        run,
        "comments/code_frequencies",
        [
            {"breakdown": "all", "group": "All staff", "year": YEAR, "code_id": code,
             "commenters": 40, "respondents": raised, "percent": 100 * raised / 40}
            for code, raised in (("c1", 10), ("c2", 6))
        ],
        {**COMMENT_COUNTS, "for_each": ["year", "code_id"], "dimensions": ["group"]},
    )  # fmt: skip


def test_the_comments_organisation_tables_are_its_commenters(tmp_path: Path) -> None:
    """Commenters by year (both stages' tables), pairs of codes and the change in a code's
    share are read as the organisation's commenters of ``code_frequencies``: a year's
    commenters on every code's row, a code with itself its commenters raising it, a share
    a percentage of those. Before, all four were listed as not covered."""
    code_frequencies(tmp_path)
    for name in ("comments/comments_coded_by_year", "data_overview/comments_by_year"):
        write(
            tmp_path,
            name,
            [{"year": YEAR, "commenters": 40, "comments": 52}],
            {**COMMENT_COUNTS, "for_each": ["year"]},
        )
    write(
        tmp_path,
        "comments/code_cooccurrence",
        [
            {"code_a": "c1", "code_b": "c1", "commenters": 40, "respondents": 10, "percent": 25.0},
            {"code_a": "c1", "code_b": "c2", "commenters": 40, "respondents": 3, "percent": 7.5},
        ],
        {**COMMENT_COUNTS, "for_each": ["code_a", "code_b"]},
    )
    write(
        tmp_path,
        "comments/code_share_change",
        [{"code_id": "c2", "percent_2007": 12.0, "percent_2008": 15.0, "change": 3.0}],
        {
            "count": None,
            "structure": "derived",
            "values": ["code_id", "percent_2007", "percent_2008", "change"],
        },
    )
    relations = read_relations(tmp_path, YEAR)
    assert relations.uncovered == {}
    published = {
        (p.source.split(":")[0], p.cell.universe, p.cell.slice, p.cell.measure): p.value
        for p in relations.published
        if not p.source.startswith("comments/code_frequencies")
    }
    for name in ("comments/comments_coded_by_year", "data_overview/comments_by_year"):
        for code in ("c1", "c2"):
            assert published[(name, "commenters", (YEAR, code), "n")] == 40
    pairs = "comments/code_cooccurrence"
    assert published[(pairs, "commenters", (YEAR, "c1"), "positive")] == 10
    assert published[(pairs, "code pairs", (YEAR, "c1", "c2"), "n")] == 3
    shares = [p for p in relations.percents if p.source.startswith("comments/code_share")]
    assert [p.numerator.slice for p in shares] == [(2007, "c2"), (2008, "c2")]
    share = shares[1]
    assert share.numerator == Cell("commenters", (2008, "c2"), (), "positive")
    assert share.denominator == Cell("commenters", (2008, "c2"), ())
    assert (share.low, share.high) == (pytest.approx(14.95), pytest.approx(15.05))
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    assert result.passed  # the figures agree: 6 of 40 is 15.0%


def test_a_summary_without_a_count_is_recorded_with_its_reason(tmp_path: Path) -> None:
    write(
        tmp_path,
        "interventions/evaluation_summary",
        [{"evaluated": "action", "id": "A1", "estimate": 2.1, "p_value": 0.05}],
        {"count": None, "structure": "derived", "values": ["estimate", "p_value"]},
    )
    relations = read_relations(tmp_path, YEAR)
    assert relations.uncovered == {}
    assert "no count" in relations.not_counts["interventions/evaluation_summary"]


def test_commenters_by_directorate_elsewhere_pin_what_code_frequencies_hides(
    tmp_path: Path,
) -> None:
    """``code_frequencies`` by directorate: D1 shown (30 commenters, 8 raising c1), D2 hidden.
    A table of skills by directorate (the interventions' training needs) shows D2's 10
    commenters and 2 raising c1: the audit reads them as the same cells, so D2's 2 raising
    c1 are pinned (a failure). Before, that table was listed as not covered and the audit passed."""
    rows = [
        ("all", "All staff", 40, 10, False),
        ("directorate", "D1", 30, 8, False),
        ("directorate", "D2", "", "", True),
    ]
    write(
        tmp_path,
        "comments/code_frequencies",
        [
            {"breakdown": b, "group": g, "year": YEAR, "code_id": "c1", "commenters": n,
             "respondents": r, "suppressed": hidden}
            for b, g, n, r, hidden in rows
        ],
        {**COMMENT_COUNTS, "for_each": ["year", "code_id"], "dimensions": ["group"]},
    )  # fmt: skip
    write(
        tmp_path,
        "interventions/training_needs_comments",
        [
            {"skill": "s", "codes": "c1", "directorate": d, "commenters": n, "raised": r}
            for d, n, r in (("All directorates", 40, 10), ("D1", 30, 8), ("D2", 10, 2))
        ],
        {
            **COMMENT_COUNTS,
            "dimensions": ["directorate"],
            "for_each": ["skill"],
            "values": ["raised", "percent"],
        },
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    assert relations.uncovered == {}
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    (found,) = [r for r in result.ranges if "D2" in r.key and r.column == "respondents"]
    assert (found.lower, found.upper) == (pytest.approx(2), pytest.approx(2))
    assert not result.passed


def test_respondents_to_a_set_of_items_bound_each_items_hidden_answers(
    tmp_path: Path,
) -> None:
    """Item q1 by directorate: 40 answers, D1 shows 25, D2 and D3 hidden (15 together). A
    table of respondents answering q1 or q2 by directorate (the training needs' skills)
    shows D2 13 and D3 2: each directorate's answers to q1 are at most those, so D2 is 13
    and D3 2, pinned (a failure). Before, that table was not covered and the audit passed."""
    write(
        tmp_path,
        "survey/item_scores",
        [
            {"year": YEAR, "group_type": t, "group": g, "item_id": "q1", "n": n,
             "n_positive": p, "pct_positive": "", "suppressed": n == ""}
            for t, g, n, p in (
                ("organisation", "Org", 40, 20), ("directorate", "D1", 25, 12),
                ("directorate", "D2", "", ""), ("directorate", "D3", "", ""),
            )
        ],
        {**SURVEY, "count": "n"},
    )  # fmt: skip
    write(
        tmp_path,
        "interventions/training_needs",
        [
            {"skill": "s", "items": "q1, q2", "directorate": d, "respondents": n}
            for d, n in (("All directorates", 42), ("D1", 27), ("D2", 13), ("D3", 2))
        ],
        {
            **SURVEY,
            "count": "respondents",
            "dimensions": ["directorate"],
            "for_each": ["skill"],
            "labels": ["items"],
            "structure": "cells",
        },
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    assert relations.uncovered == {}
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    (found,) = [r for r in result.ranges if r.key.endswith("directorate=D2") and r.column == "n"]
    assert (found.lower, found.upper) == (pytest.approx(13), pytest.approx(13))
    assert not result.passed
