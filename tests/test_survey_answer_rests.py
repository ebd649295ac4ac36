"""Hidden groups whose answers are all one way: the gate must not let a reader pin them.

The survey gate hides small directorate x staff group cells and their complements, so no
hidden *count of respondents* can be worked out. But ``item_scores`` also publishes the
positive answers of every shown row. Where the hidden cells of a directorate answered no
positive answer between them, the directorate's positives equal the sum of its shown cells'
and, counts being non-negative, every hidden cell's positives are pinned at 0 (all positive:
the other answers are pinned at 0). This is group attribute disclosure (Hundepool et al.
2012, *Statistical Disclosure Control*, Wiley, chapter 5), found by the whole-run audit on
the demo (21 such counts).

Each case is a small hand-made table, gated twice: as the gate did before the rule (its
``item_scores`` kind without ``answers``, so only the respondents' rest is checked) and as
it does now. Two attackers independent of the gate replay it: plain subtraction along each
line, and the whole-run audit's linear programmes (:mod:`analysis.disclosure.audit`) on the
table written as a run folder. Each must pin a hidden count before and none after. The
figures each test asserts are worked out by hand in its docstring.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure import survey as survey_gate
from analysis.disclosure.audit import audit_run
from analysis.disclosure.protection import PROTECTION_LEVEL
from analysis.survey import suppress_survey_table

MINIMUM = 11
CROSSING = "directorate x staff_group"


def item_scores(cells: dict[tuple[str, str], tuple[int, int]]) -> pd.DataFrame:
    """An item's scores: (directorate, staff group) -> (answers, positive), with margins."""
    rows = []

    def add(group_type: str, group: str, chosen: list[tuple[int, int]]) -> None:
        n, positive = sum(c[0] for c in chosen), sum(c[1] for c in chosen)
        rows.append((group_type, group, n, positive, round(100 * positive / n, 1)))

    add("organisation", "Org", list(cells.values()))
    for directorate in sorted({d for d, _ in cells}):
        add("directorate", directorate, [v for (d, _), v in cells.items() if d == directorate])
    for group in sorted({g for _, g in cells}):
        add("staff_group", group, [v for (_, g), v in cells.items() if g == group])
    for (directorate, group), value in cells.items():
        add(CROSSING, f"{directorate} | {group}", [value])
    table = pd.DataFrame(rows, columns=["group_type", "group", "n", "n_positive", "pct_positive"])
    table.insert(0, "year", 2008)
    table.insert(3, "item_id", "q1")
    return table


def gate_before(table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The gate as it was before the answers' rule: only the respondents' rest checked."""
    with monkeypatch.context() as patch:
        kinds = dict(survey_gate.TABLE_KINDS)
        kinds["item_scores"] = dataclasses.replace(kinds["item_scores"], answers=())
        patch.setattr(survey_gate, "TABLE_KINDS", kinds)
        return suppress_survey_table(table, "item_scores", minimum=MINIMUM)


def gate_now(table: pd.DataFrame) -> pd.DataFrame:
    return suppress_survey_table(table, "item_scores", minimum=MINIMUM)


def subtraction_pins(published: pd.DataFrame) -> set[tuple[str, str]]:
    """Hidden cells whose positive or other answers a line's subtraction pins at 0.

    Along each line with a shown total (a directorate's staff groups, a staff group's
    directorates, the directorates or staff groups of the organisation), the hidden cells'
    positive answers add up to the total's minus the shown cells'. Where that is 0, every
    hidden cell of the line had no positive answer (``"positive"``); where the hidden cells'
    other answers add up to 0 in the same way, every one answered positively (``"other"``).
    """
    rows = published.assign(other=published["n"] - published["n_positive"])
    keys = {}
    for row in rows.itertuples():
        if row.group_type == "organisation":
            keys[row.Index] = ("All", "All")
        elif row.group_type == "directorate":
            keys[row.Index] = (row.group, "All")
        elif row.group_type == "staff_group":
            keys[row.Index] = ("All", row.group)
        else:
            keys[row.Index] = tuple(row.group.split(" | "))
    index = {key: row for row, key in keys.items()}
    directorates = sorted({d for d, _ in index if d != "All"})
    groups = sorted({g for _, g in index if g != "All"})
    lines = [(index[(d, "All")], [index[(d, g)] for g in groups]) for d in directorates]
    lines += [(index[("All", g)], [index[(d, g)] for d in directorates]) for g in groups]
    lines.append((index[("All", "All")], [index[(d, "All")] for d in directorates]))
    lines.append((index[("All", "All")], [index[("All", g)] for g in groups]))
    pinned = set()
    for total, members in lines:
        if rows.loc[total, "suppressed"]:
            continue
        hidden = [m for m in members if rows.loc[m, "suppressed"]]
        if not hidden:
            continue
        shown = [m for m in members if not rows.loc[m, "suppressed"]]
        for column, name in (("n_positive", "positive"), ("other", "other")):
            rest = rows.loc[total, column] - rows.loc[shown, column].sum()
            if rest == 0:
                pinned |= {(rows.loc[m, "group"], name) for m in hidden}
    return pinned


def audit_failures(published: pd.DataFrame, folder: Path) -> set[tuple[str, str]]:
    """The whole-run audit's failures on the table published as a run folder."""
    tables = folder / "tables" / "survey"
    tables.mkdir(parents=True)
    shown = published.drop(columns=["suppression"]).copy()
    shown["n"] = shown["n"].astype("Int64")
    shown["n_positive"] = shown["n_positive"].astype("Int64")
    shown.to_csv(tables / "item_scores.csv", index=False)
    (tables / "item_scores.json").write_text(json.dumps({"count": "n"}), encoding="utf-8")
    result = audit_run(folder, year=2008, minimum_group_size=MINIMUM)
    assert result.ranges, "the audit solved nothing"
    return {(f.key.rsplit("=", 1)[1], f.column) for f in result.failures}


# D1's two small staff groups (6 and 7 answers, 13 together: not a small rest) gave no
# positive answer; the gate hides them, and D3's G2 and G3 to protect them.
NO_POSITIVE = {
    ("D1", "G1"): (40, 20),
    ("D1", "G2"): (6, 0),
    ("D1", "G3"): (7, 0),
    ("D2", "G1"): (35, 10),
    ("D2", "G2"): (30, 10),
    ("D2", "G3"): (30, 15),
    ("D3", "G1"): (30, 12),
    ("D3", "G2"): (25, 10),
    ("D3", "G3"): (20, 5),
}


def test_no_positive_answer_in_the_hidden_cells_is_pinned_before_and_not_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before: D1 = 53 answers, 20 positive; shown D1 | G1 = 40 with 20 positive, so the
    hidden D1 | G2 and D1 | G3 have 20 - 20 = 0 positive answers between them: each 0.
    The audit finds both in [0, 0]. Now D1 | G1, D1's only shown cell holding a positive
    answer, is hidden too: D1's hidden cells hold 20 positive answers, and no subtraction or
    linear programme pins any of them."""
    table = item_scores(NO_POSITIVE)
    before = gate_before(table, monkeypatch)
    hidden_before = set(before.loc[before.suppressed, "group"])
    assert hidden_before == {"D1 | G2", "D1 | G3", "D3 | G2", "D3 | G3"}
    assert subtraction_pins(before) == {("D1 | G2", "positive"), ("D1 | G3", "positive")}
    assert {("D1 | G2", "n_positive"), ("D1 | G3", "n_positive")} <= audit_failures(
        before, tmp_path / "before"
    )

    now = gate_now(table)
    assert set(now.loc[now.suppressed, "group"]) > hidden_before | {"D1 | G1"}
    assert now.set_index("group").loc["D1 | G1", "suppression"] == "secondary"
    assert subtraction_pins(now) == set()
    assert audit_failures(now, tmp_path / "now") == set()


def test_every_answer_positive_in_the_hidden_cells_is_pinned_before_and_not_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The mirror case: D1 | G2 and D1 | G3 answered positively, all 13 of them. Before:
    D1's other answers are 53 - 33 = 20, all in the shown D1 | G1 (40 - 20), so each
    hidden cell's other answers are 0: everyone answered positively. The audit checks the
    other answers (``n - n_positive``) of a hidden row and finds both in [0, 0]. Now
    D1 | G1 is hidden too and nothing is pinned."""
    cells = dict(NO_POSITIVE)
    cells[("D1", "G2")], cells[("D1", "G3")] = (6, 6), (7, 7)
    table = item_scores(cells)
    before = gate_before(table, monkeypatch)
    assert subtraction_pins(before) == {("D1 | G2", "other"), ("D1 | G3", "other")}
    assert {("D1 | G2", "n - n_positive"), ("D1 | G3", "n - n_positive")} <= audit_failures(
        before, tmp_path / "before"
    )

    now = gate_now(table)
    assert now.set_index("group").loc["D1 | G1", "suppressed"]
    assert subtraction_pins(now) == set()
    assert audit_failures(now, tmp_path / "now") == set()


def test_one_positive_answer_is_still_too_narrow() -> None:
    """A rest of 1 positive answer leaves each hidden cell's positives in [0, 1]: width 1,
    below the protection level (2), so it is protected as a rest of 0 is."""
    assert PROTECTION_LEVEL == 2
    cells = dict(NO_POSITIVE)
    cells[("D1", "G2")] = (6, 1)
    now = gate_now(item_scores(cells))
    assert now.set_index("group").loc["D1 | G1", "suppressed"]


def test_a_directorate_with_every_cell_hidden_is_its_own_figure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """D4 has three small staff groups (5, 6 and 3 answers, 14 together) and one positive
    answer between them. Every D4 cell is hidden and D4's row (14 answers, 1 positive) is
    shown: each hidden D4 cell's positives lie in [0, 1]. That is D4's own published figure
    (1 of its 14 people answered positively), true of any part of D4, not something the
    hidden cells add: the audit records those ranges as the group's own figure, not as
    failures, and the gate leaves D4's row shown (hiding it would not help: its respondents
    bound it).

    Lines also act together: the gate protects D4's cells with partners, and before the
    bounds were propagated across lines, along column G2 the hidden D1 | G2 and D4 | G2
    held 26 - 10 - 10 = 6 positive answers, D4 | G2 at most 1 of them, so D1 | G2 held 5
    or 6 (width 1; likewise D1 | G3, D3 | G1, D3 | G3). Propagating the bounds finds that
    chain and hides more: the audit finds no failure."""
    cells = dict(NO_POSITIVE)
    cells[("D1", "G2")], cells[("D1", "G3")] = (16, 5), (17, 6)
    cells.update({("D4", "G1"): (5, 0), ("D4", "G2"): (6, 1), ("D4", "G3"): (3, 0)})
    with monkeypatch.context() as patch:  # the line rule alone
        patch.setattr(survey_gate, "_pinned_answers", lambda keys, *_: np.zeros(len(keys), bool))
        lines_only = gate_now(item_scores(cells))
    assert audit_failures(lines_only, tmp_path / "lines only") == {
        (cell, "n_positive") for cell in ("D1 | G2", "D1 | G3", "D3 | G1", "D3 | G3")
    }
    now = gate_now(item_scores(cells))
    flags = now.set_index("group")["suppressed"]
    assert not flags["D4"] and flags[["D4 | G1", "D4 | G2", "D4 | G3"]].all()
    folder = tmp_path / "now"
    assert audit_failures(now, folder) == set()
    result = audit_run(folder, year=2008, minimum_group_size=MINIMUM)
    own = {
        (r.key.rsplit("=", 1)[1], r.column): (r.lower, r.upper)
        for r in result.ranges
        if r.own_figure
    }
    assert own[("D4 | G1", "n_positive")] == (pytest.approx(0), pytest.approx(1))
    assert {key for key, _ in own} == {"D4 | G1", "D4 | G2", "D4 | G3"}
    assert result.own_figures == len(own)


def test_tables_without_answers_keep_their_pattern() -> None:
    """The rule reads ``n_positive`` only where the table has it: the same table without it
    is gated as before (only the respondents' rest)."""
    table = item_scores(NO_POSITIVE).drop(columns=["n_positive"])
    now = gate_now(table)
    assert set(now.loc[now.suppressed, "group"]) == {"D1 | G2", "D1 | G3", "D3 | G2", "D3 | G3"}


# Found by a random search of 4 x 3 tables against linear programmes, the pattern of the
# markup-attacked demo's failure (2007 violence_patients): D2's other answers are 2, all in
# G3 (G2 holds none), and no shown cell of D2 or of G3 holds any other answer.
PINNED_FROM_BELOW = {
    ("D1", "G1"): (32, 27),
    ("D1", "G2"): (13, 13),
    ("D1", "G3"): (18, 17),
    ("D2", "G1"): (31, 31),
    ("D2", "G2"): (5, 5),
    ("D2", "G3"): (12, 10),
    ("D3", "G1"): (5, 5),
    ("D3", "G2"): (18, 18),
    ("D3", "G3"): (39, 39),
    ("D4", "G1"): (6, 6),
    ("D4", "G2"): (15, 15),
    ("D4", "G3"): (16, 11),
}


def test_a_cell_pinned_from_below_by_a_line_of_zeros_is_protected(tmp_path: Path) -> None:
    """Before, the gate hid D2's G2 and G3 (G2 small, G3 its partner) and showed D2's G1
    (31, all positive). G2's hidden cells (D1, D2, D3) hold no other answer (G2's 0 minus the
    shown D4's 0), so D2 | G2 has none, and D2 | G3 holds all of D2's 2 (its shown G1 has
    none): pinned at exactly 2 (measured, the audit's range [2, 2]). The rule for answers
    hid only shown cells *holding* other answers, and neither D2's row nor G3's column had
    one. A cell pinned from below widens when a cell on its line with none of those answers
    is hidden too (the reader cannot tell it holds none): the gate now does that, and the
    audit passes."""
    published = gate_now(item_scores(PINNED_FROM_BELOW))
    hidden = set(published.loc[published["suppressed"], "group"])
    assert {"D2 | G2", "D2 | G3"} <= hidden
    assert not audit_failures(published, tmp_path)
