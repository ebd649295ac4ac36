"""Hidden answer counts pinned by the respondents published for the same groups.

A group answering an item has at most its respondents, and ``response_rates`` publishes
the respondents of cells that ``item_scores`` hides (a cell with 12 respondents of whom 9
answered is hidden in the item's table only). Where the hidden cells of a line held every
answer their respondents could give, the line's total minus its shown cells equals the sum
of their respondents, and each hidden cell's answers are its respondents: pinned. The
whole-run audit over every year of the demo found 99 such counts in 2003 (Administrative
and Clerical: 30 hidden answers, 19 + 11 respondents in the two hidden cells).

Each case is a small hand-made table gated twice: without the respondents (as the gate was
before its ceilings, which is what ``suppress_survey_table`` still does when it is not given
``response_rates``) and with them. Two attackers independent of the gate replay it: plain
subtraction along each line against the published respondents, and the whole-run audit's
linear programmes on the tables written as a run folder. The figures each test asserts are
worked out by hand in its docstring.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.disclosure.audit import audit_run
from analysis.survey import suppress_survey_table

MINIMUM = 11
CROSSING = "directorate x staff_group"
HEADROOM = 5
"""Each cell's headcount is its respondents plus this (shown, not what pins the answers)."""

# (directorate, staff group) -> (respondents, answers, positive answers). D1 | G2 and
# D2 | G2 have 12 respondents each (shown in response_rates) but 9 and 10 answers (hidden
# in item_scores, primary); the gate hides D1 | G1 (19) and D2 | G1 (11) to protect them.
# G1's hidden cells then hold 46 - 16 = 30 answers, and their respondents are 19 + 11 = 30.
CELLS = {
    ("D1", "G1"): (19, 19, 10),
    ("D1", "G2"): (12, 9, 4),
    ("D1", "G3"): (40, 38, 20),
    ("D2", "G1"): (11, 11, 6),
    ("D2", "G2"): (12, 10, 5),
    ("D2", "G3"): (30, 28, 15),
    ("D3", "G1"): (20, 16, 8),
    ("D3", "G2"): (30, 28, 14),
    ("D3", "G3"): (25, 24, 12),
}


def groups(cells: dict) -> list[tuple[str, str, list[tuple[int, int, int]]]]:
    """Every published group (organisation, directorates, staff groups, cells) with its cells."""
    found = [("organisation", "Org", list(cells.values()))]
    for directorate in sorted({d for d, _ in cells}):
        chosen = [v for (d, _), v in cells.items() if d == directorate]
        found.append(("directorate", directorate, chosen))
    for group in sorted({g for _, g in cells}):
        found.append(("staff_group", group, [v for (_, g), v in cells.items() if g == group]))
    found += [(CROSSING, f"{d} | {g}", [v]) for (d, g), v in cells.items()]
    return found


def tables(cells: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The item's scores and the year's response rates, before the gate."""
    items, rates = [], []
    for group_type, group, chosen in groups(cells):
        respondents, n, positive = (sum(c[i] for c in chosen) for i in range(3))
        items.append((2008, group_type, group, "q1", n, positive, round(100 * positive / n, 1)))
        headcount = respondents + HEADROOM * len(chosen)
        rate = round(100 * respondents / headcount, 1)
        rates.append((2008, group_type, group, headcount, respondents, rate))
    columns = ["year", "group_type", "group", "item_id", "n", "n_positive", "pct_positive"]
    rate_columns = ["year", "group_type", "group", "headcount", "respondents", "response_rate"]
    return pd.DataFrame(items, columns=columns), pd.DataFrame(rates, columns=rate_columns)


def gate(cells: dict, with_respondents: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    items, rates = tables(cells)
    rates = suppress_survey_table(rates, "response_rates", minimum=MINIMUM)
    items = suppress_survey_table(
        items,
        "item_scores",
        minimum=MINIMUM,
        response_rates=rates if with_respondents else None,
    )
    return items, rates


def respondent_pins(items: pd.DataFrame, rates: pd.DataFrame) -> set[str]:
    """Hidden cells whose answers subtraction and the published respondents pin.

    Along each line with a shown total (a directorate's staff groups, a staff group's
    directorates), the hidden cells' answers add up to the total's minus the shown cells'.
    Where every hidden cell's respondents are published and add up to less than that sum
    plus 2 (the protection level), each hidden cell's answers lie within 1 of its
    respondents.
    """
    answers = items.set_index("group")
    respondents = rates.set_index("group")
    cells = [g for g in answers.index if " | " in g]
    lines = [(d, [c for c in cells if c.startswith(f"{d} | ")]) for d in ("D1", "D2", "D3")]
    lines += [(g, [c for c in cells if c.endswith(f" | {g}")]) for g in ("G1", "G2", "G3")]
    pinned = set()
    for total, members in lines:
        hidden = [m for m in members if answers.loc[m, "suppressed"]]
        if answers.loc[total, "suppressed"] or not hidden:
            continue
        if respondents.loc[hidden, "suppressed"].any():
            continue
        shown = [m for m in members if not answers.loc[m, "suppressed"]]
        rest = answers.loc[total, "n"] - answers.loc[shown, "n"].sum()
        if respondents.loc[hidden, "respondents"].sum() - rest < 2:
            pinned |= set(hidden)
    return pinned


def audit(items: pd.DataFrame, rates: pd.DataFrame, folder: Path):
    """The whole-run audit of the two tables published as a run folder."""
    survey = folder / "tables" / "survey"
    survey.mkdir(parents=True)
    for name, table, count in (
        ("item_scores", items, "n"),
        ("response_rates", rates, "respondents"),
    ):
        shown = table.drop(columns=["suppression"])
        for column in ("n", "n_positive", "respondents", "headcount"):
            if column in shown.columns:
                shown[column] = shown[column].astype("Int64")
        shown.to_csv(survey / f"{name}.csv", index=False)
        (survey / f"{name}.json").write_text(json.dumps({"count": count}), encoding="utf-8")
    result = audit_run(folder, year=2008, minimum_group_size=MINIMUM)
    assert result.ranges, "the audit solved nothing"
    return result


def failures(result) -> set[tuple[str, str]]:
    return {(f.key.rsplit("=", 1)[1], f.column) for f in result.failures}


def test_answers_equal_to_the_published_respondents_are_pinned_before_and_not_after(
    tmp_path: Path,
) -> None:
    """Before: the gate hides D1 | G2 (9 answers) and D2 | G2 (10), then D1 | G1 (19) and
    D2 | G1 (11) as their partners. G1 has 19 + 11 + 16 = 46 answers and D3 | G1 (16) is
    shown, so the hidden G1 cells hold 30 answers; response_rates shows their respondents,
    19 and 11 (30 together): D1 | G1 answered 19 times exactly, D2 | G1 11 times. The audit
    finds both at width 0. Now the gate knows the respondents (its ceilings): D3 | G1, the
    only shown G1 cell with respondents who did not answer (20 - 16 = 4), is hidden too, so
    the hidden G1 cells' 46 answers lie under 50 respondents: D1 | G1 in [46 - 31, 19] =
    [15, 19], and neither subtraction nor the linear programmes pin a count."""
    before, rates = gate(CELLS, with_respondents=False)
    assert not rates["suppressed"].any()  # every cell has at least 11 respondents
    assert set(before.loc[before.suppressed, "group"]) == {
        "D1 | G1",
        "D1 | G2",
        "D2 | G1",
        "D2 | G2",
    }
    assert respondent_pins(before, rates) == {"D1 | G1", "D2 | G1"}
    found = audit(before, rates, tmp_path / "before")
    assert {("D1 | G1", "n"), ("D2 | G1", "n")} <= failures(found)
    (d1,) = [r for r in found.ranges if r.key.endswith("D1 | G1") and r.column == "n"]
    assert (round(d1.lower, 6), round(d1.upper, 6)) == (19, 19)

    now, rates = gate(CELLS, with_respondents=True)
    flags = now.set_index("group")
    assert flags.loc["D3 | G1", "suppressed"] and flags.loc["D3 | G1", "suppression"] == (
        "secondary"
    )
    assert respondent_pins(now, rates) == set()
    assert failures(audit(now, rates, tmp_path / "now")) == set()


def test_a_partner_pinned_by_everyone_answering_pins_the_cell_it_protects(
    tmp_path: Path,
) -> None:
    """D3 | G1 answered 20 of 20: G1's 50 respondents gave 50 answers, so every part of G1
    answered as often as it has respondents. For the hidden D1 | G1 (19) and D2 | G1 (11)
    that is G1's own published figure (everyone in it answered): the audit records both at
    their respondents as the group's own figure, not as failures. But they were hidden to
    protect D1 | G2 and D2 | G2: D1's hidden cells hold 66 - 38 = 28 answers, 19 of them
    D1 | G1's, so D1 | G2 answered 9 times exactly (D2 | G2: 49 - 28 - 11 = 10). Before,
    the audit fails both. Now the gate sees them pinned and hides more (D1 | G3, D2 | G3,
    D3 | G2, D3 | G3): D1 | G2 in [66 - 19 - 40, 12] = [7, 12] (47 answers of D1 | G2 and
    D1 | G3 under 12 + 40 respondents), and the audit finds nothing."""
    cells = dict(CELLS)
    cells[("D3", "G1")] = (20, 20, 10)
    before, rates = gate(cells, with_respondents=False)
    found = audit(before, rates, tmp_path / "before")
    assert failures(found) == {("D1 | G2", "n"), ("D2 | G2", "n")}
    own = {(r.key.rsplit("=", 1)[1], r.column) for r in found.ranges if r.own_figure}
    assert own == {("D1 | G1", "n"), ("D2 | G1", "n")}

    now, rates = gate(cells, with_respondents=True)
    assert set(now.loc[now.suppressed, "group"]) == {
        "D1 | G2",
        "D1 | G3",
        "D2 | G2",
        "D2 | G3",
        "D3 | G2",
        "D3 | G3",
    }
    found = audit(now, rates, tmp_path / "now")
    assert failures(found) == set()
    (d1,) = [r for r in found.ranges if r.key.endswith("D1 | G2") and r.column == "n"]
    assert (round(d1.lower, 6), round(d1.upper, 6)) == (7, 12)
