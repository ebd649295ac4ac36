"""Gaps of the whole-run audit closed (issue #10): weighted figures under many splits of
hidden respondents, links between universes, tables read by what the gate says they are,
and the minimum group size taken only from ``dataset.yml``.

Each relation set is small and worked by hand in the test's docstring; each test failed on
the audit before its gap was closed (the figure it had then is given in the docstring).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.disclosure.audit import Structure, audit_relations, audit_run
from analysis.disclosure.relations import (
    Cell,
    Hidden,
    Published,
    Relations,
    UpperBound,
    WeightedPercent,
    half_unit,
    read_relations,
)
from tests.audit_cells import MINIMUM_GROUP_SIZE, YEAR, answers, respondents


def commenters(code: str, measure: str = "n", **where: str) -> Cell:
    return Cell("commenters", (YEAR, code), respondents(**where).where, measure)


def range_of(result, key: str, column: str):
    (found,) = [r for r in result.ranges if r.key == key and r.column == column]
    return found


# --- 1. weighted figures under every split of hidden respondents --------------------------


def many_splits(percent: str) -> Relations:
    """Staff groups X and Y, both respondents hidden; 24 respondents, headcounts X = 24 and
    Y = 48. Item q1: 20 answers (10 positive), X's 12 answers and Y's 8 shown, their
    positives hidden; the weighted percentage p is published.

    X's respondents r are 12 to 16 (X answered 12; Y's 24 - r at least its 8): five splits,
    weights 24 / r and 48 / (24 - r), so k = w_Y / w_X = 2 r / (24 - r) runs 2 to 5.33.
    The weighted figure says x + k (10 - x) = p (12 + 8 k) for X's positives x, that is
    x = (p (12 + 8 k) - 10 k) / (1 - k): with p = 50 %, x = 6 whatever k (both groups 50 %).
    """
    relations = Relations()
    relations.headcounts = {(YEAR, "X"): 24.0, (YEAR, "Y"): 48.0}
    relations.published += [
        Published(respondents(), 24, "survey/response_rates: organisation"),
        Published(answers(), 20, "survey/item_scores: organisation"),
        Published(answers("positive"), 10, "survey/item_scores: organisation"),
        Published(answers(staff_group="X"), 12, "survey/item_scores: X"),
        Published(answers(staff_group="Y"), 8, "survey/item_scores: Y"),
    ]
    value, half = float(percent), half_unit(percent)
    relations.weighted.append(
        WeightedPercent(
            answers("positive"), answers(), value - half, value + half, YEAR, "survey/w: org"
        )
    )
    for group in "XY":
        relations.hidden.append(
            Hidden(
                "survey/item_scores", group, "n_positive", answers("positive", staff_group=group)
            )
        )
        relations.hidden.append(
            Hidden("survey/response_rates", group, "respondents", respondents(staff_group=group))
        )
    return relations


def test_a_weighted_figure_pins_a_count_under_every_split_of_hidden_respondents() -> None:
    """p = 50.0 (49.95 to 50.05): x = 6 under each of the five splits, give or take
    0.0005 (12 + 8 k) / (k - 1), at most 0.014 (k = 2, r = 12): every whole number but 6 is
    ruled out. Before, more than 3 splits fitting left the weighted figure out and x ran
    over [2, 10] (Y's positives 10 - x at most its 8 answers), a pass."""
    result = audit_relations(
        many_splits("50.0"), protection_level=2, exact=True, minimum_group_size=MINIMUM_GROUP_SIZE
    )
    x = range_of(result, "X", "n_positive")
    assert x.lower == pytest.approx(6, abs=0.015) and x.upper == pytest.approx(6, abs=0.015)
    assert x.width == 0
    assert ("X", "n_positive") in {(f.key, f.column) for f in result.failures}
    assert any("5 splits" in note for note in result.notes)


def test_the_union_over_splits_is_no_narrower_than_each_split() -> None:
    """p = 55.0: x = (0.55 (12 + 8 k) - 10 k) / (1 - k) = 5.6 + 1 / (1 - k); the five
    splits (r = 12 to 16, k = 2, 2.364, 2.8, 3.333, 4) give x = 4.6, 4.867, 5.044, 5.171,
    5.267 (each +- 0.03 for the rounding of p). The union holds every one of them."""
    result = audit_relations(
        many_splits("55.0"), protection_level=2, exact=True, minimum_group_size=MINIMUM_GROUP_SIZE
    )
    x = range_of(result, "X", "n_positive")
    for r in range(12, 17):
        k = 2 * r / (24 - r)
        assert x.lower - 0.03 <= 5.6 + 1 / (1 - k) <= x.upper + 0.03


# --- 2. universes linked -----------------------------------------------------------------


def test_respondents_are_at_least_the_answers_published() -> None:
    """24 respondents, X's and Y's hidden; Y's 23 answers to q1 are shown. Y has at least
    23 respondents, so X at most 24 - 23 = 1: [0, 1]. Before, the respondents' programme
    knew nothing of the answers and X ran over [0, 24]."""
    relations = Relations()
    relations.published += [
        Published(respondents(), 24, "survey/response_rates: organisation"),
        Published(answers(staff_group="Y"), 23, "survey/item_scores: Y"),
    ]
    for group in "XY":
        relations.hidden.append(
            Hidden("survey/response_rates", group, "respondents", respondents(staff_group=group))
        )
    result = audit_relations(
        relations, protection_level=2, exact=True, minimum_group_size=MINIMUM_GROUP_SIZE
    )
    x = range_of(result, "X", "respondents")
    assert (x.lower, x.upper) == (pytest.approx(0), pytest.approx(1))
    assert ("X", "respondents") in {
        (f.key, f.column) for f in result.failures if f.table == "survey/response_rates"
    }


def test_answers_are_at_most_the_most_hidden_respondents_can_be() -> None:
    """X's respondents are hidden but its headcount (1) is shown: at most 1 respondent, so
    X's answers to q1 are at most 1 (of the organisation's 20 answers, Y's hidden too):
    [0, 1]. Before, only published respondents bounded answers and X ran over [0, 20]."""
    relations = Relations()
    relations.published += [
        Published(respondents(), 30, "survey/response_rates: organisation"),
        Published(answers(), 20, "survey/item_scores: organisation"),
    ]
    relations.bounds.append(UpperBound(respondents(staff_group="X"), 1, "response_rates: X"))
    for group in "XY":
        relations.hidden.append(
            Hidden("survey/item_scores", group, "n", answers(staff_group=group))
        )
    result = audit_relations(
        relations, protection_level=2, exact=True, minimum_group_size=MINIMUM_GROUP_SIZE
    )
    x = range_of(result, "X", "n")
    assert (x.lower, x.upper) == (pytest.approx(0), pytest.approx(1))


def test_a_groups_commenters_are_the_same_for_every_code() -> None:
    """150 commenters: G 23, H 100, K 27 (shown on code c1's rows). On c2's rows H shows
    100 commenters of whom 15 raised c2; G and K are hidden; 16 raised c2 in all. G's
    commenters are its 23 whatever the code, so G's commenters without c2 are 23 minus at
    most 16 - 15 = 1: [22, 23]. Before, the code slices were not linked: G's and K's
    commenters added to 50 on c2, and G's without c2 ran over [0, 50]."""
    relations = Relations()
    source = "comments/code_frequencies"
    for code in ("c1", "c2"):
        relations.published.append(Published(commenters(code), 150, f"{source}: org"))
    for group, n in (("G", 23), ("H", 100), ("K", 27)):
        relations.published.append(
            Published(commenters("c1", staff_group=group), n, f"{source}: {group}")
        )
    relations.published += [
        Published(commenters("c2", staff_group="H"), 100, f"{source}: H"),
        Published(commenters("c2", "positive", staff_group="H"), 15, f"{source}: H"),
        Published(commenters("c2", "positive"), 16, f"{source}: org"),
    ]
    for group in "GK":
        for column, measure in (
            ("commenters", "n"),
            ("respondents", "positive"),
            ("commenters - respondents", "other"),
        ):
            cell = commenters("c2", measure, staff_group=group)
            relations.hidden.append(Hidden(source, f"c2, {group}", column, cell))
    result = audit_relations(
        relations, protection_level=2, exact=True, minimum_group_size=MINIMUM_GROUP_SIZE
    )
    other = range_of(result, "c2, G", "commenters - respondents")
    assert (other.lower, other.upper) == (pytest.approx(22), pytest.approx(23))
    # G's commenters on c2's row are the figure c1's row shows: not a hidden count.
    assert not [r for r in result.ranges if r.key == "c2, G" and r.column == "commenters"]


# --- 3. tables read by what the gate says they are ---------------------------------------


def write(run: Path, name: str, rows: list[dict], meta: dict) -> None:
    path = run / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")


COVERAGE_META = {
    # As the demo's indicators/appraisal_coverage_staff_group.json says.
    "count": "staff_due",
    "dimensions": ["staff_group"],
    "for_each": [],
    "values": ["appraised", "coverage", "ci_low", "ci_high"],
    "labels": [],
    "structure": "cells",
    "universe": None,
}


def test_a_renamed_table_is_read_by_its_metadata(tmp_path: Path) -> None:
    """Appraisal coverage by staff group under a new name: 30 due, X shows 25 (20 appraised),
    Y hidden. The organisation's 30 (by the other partition, a second renamed file by team:
    the one team T1's 30) minus X's 25 leaves Y 5 due: pinned. Before, tables
    were matched by name and neither file was read (not_covered, and a pass)."""
    write(
        tmp_path,
        "indicators/appraisals_per_group",
        [
            {"staff_group": "X", "staff_due": 25, "appraised": 20, "coverage": 80.0},
            {"staff_group": "Y", "staff_due": "[c]", "appraised": "[c]", "coverage": "[c]"},
        ],
        COVERAGE_META,
    )
    write(
        tmp_path,
        "indicators/appraisals_per_team",
        [{"team_id": "T1", "staff_due": 30, "appraised": 24, "coverage": 80.0}],
        {**COVERAGE_META, "dimensions": ["team_id"]},
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    assert relations.uncovered == {}
    result = audit_relations(
        relations, Structure({"T1": "D"}), years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE
    )
    due = range_of(result, "staff_group=Y", "staff_due")
    assert (due.lower, due.upper) == (pytest.approx(5), pytest.approx(5))
    assert not result.passed


def test_a_table_no_reader_fits_is_not_covered_even_without_hidden_cells(
    tmp_path: Path,
) -> None:
    """A new person-level table (a count of people by team) that no reader fits is listed
    in not_covered, with its 0 hidden cells: its published counts are equations the audit
    does not use. Before, a table hiding nothing was skipped without a word."""
    write(
        tmp_path,
        "indicators/new_counts",
        [{"team_id": "T1", "staff": 30}, {"team_id": "T2", "staff": 12}],
        {"count": "staff", "dimensions": ["team_id"], "structure": "cells", "universe": None},
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    assert result.summary()["not_covered"] == {"indicators/new_counts": 0}


def test_a_table_the_gate_calls_not_person_level_is_recorded_with_its_reason(
    tmp_path: Path,
) -> None:
    """The gate's own reason (its side file's ``disclosure``) goes to not_counts."""
    reason = "not person-level: describes the method"
    write(
        tmp_path,
        "indicators/new_method",
        [{"step": "weights", "text": "[c]"}],
        {"count": None, "structure": "not person-level", "disclosure": reason},
    )
    relations = read_relations(tmp_path, YEAR, years=[YEAR])
    result = audit_relations(relations, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE)
    assert result.summary()["not_counts"] == {"indicators/new_method": reason}
    assert result.summary()["not_covered"] == {}


# --- 4. the minimum group size comes from dataset.yml ------------------------------------


def test_the_audit_refuses_a_run_without_the_minimum_group_size(tmp_path: Path) -> None:
    """No package and a manifest without ``minimum_group_size``: an error naming the
    manifest. Before, the audit fell back on a literal 11."""
    (tmp_path / "tables").mkdir()
    (tmp_path / "manifest.json").write_text(json.dumps({"year": YEAR}), encoding="utf-8")
    with pytest.raises(ValueError, match="minimum group size.*manifest.json"):
        audit_run(tmp_path)


def test_the_audit_takes_the_minimum_group_size_the_run_recorded(tmp_path: Path) -> None:
    """The manifest records dataset.yml's value (here 5): the audit uses it."""
    (tmp_path / "tables").mkdir()
    manifest = {"year": YEAR, "minimum_group_size": 5}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert audit_run(tmp_path).minimum_group_size == 5


def test_audit_relations_has_no_default_minimum_group_size() -> None:
    """``audit_relations`` is given the package's minimum group size, or refuses to run
    (it fell back on a literal 11). The one given decides the small groups: directorate A
    (15) minus its team T1 (11, both shown) leaves 4 people, a failure under a minimum of
    5 and not under a minimum of 4."""

    def team_and_directorate() -> Relations:
        relations = Relations()
        relations.published += [
            Published(answers(directorate="A"), 15, "survey/item_scores: A"),
            Published(answers(team_id="T1"), 11, "interventions/action_trends: T1"),
            Published(answers(), 40, "survey/item_scores: organisation"),
        ]
        return relations

    structure = Structure({"T1": "A", "T2": "A", "T3": "B"})
    with pytest.raises(TypeError, match="minimum_group_size"):
        audit_relations(team_and_directorate(), structure)  # type: ignore[call-arg]
    under_five = audit_relations(team_and_directorate(), structure, minimum_group_size=5)
    under_four = audit_relations(team_and_directorate(), structure, minimum_group_size=4)
    assert under_five.minimum_group_size == 5 and under_four.minimum_group_size == 4
    assert [f.reason for f in under_five.failures] == [
        "minus interventions/action_trends: T1 leaves 4 people (fewer than 5)"
    ]
    assert under_four.passed
