"""Respondents that ``response_rates`` hides, pinned by the answers the item scores show.

A group's respondents are at least its answers to any item. ``response_rates`` may hide a
group's respondents as the partner of a small group while ``item_scores`` (gated with other
counts, so with other partners) shows its answers. The whole-run audit found this in the
demo (2005 and 2007: the administrative staff of Commissioning and of Therapies, hidden
together as 34 respondents, showed 21 and 13 answers; so 21 and 13 respondents, and the
small staff groups of Commissioning came back).

The hand-made case: two directorates by three staff groups, respondents and answers to q1
below. ``response_rates`` hides D1 | G2 (3 respondents) and, to protect it, D1 | G1, D2 | G1
and D2 | G2. The item scores, whose G3 cells answered less (12 of 30, 13 of 40), hide
D1 | G2 with D1 | G3, D2 | G2 and D2 | G3, and show D1 | G1 (20) and D2 | G1 (15).
By hand, a reader then takes G1's 35 respondents (shown) as D1 | G1 + D2 | G1, each at least
its answers (20 and 15): D1 | G1 = 20 exactly, and D1's 53 respondents minus 30 (G3) and 20
leave D1 | G2's 3. Gated as before (one pass, ``ROUNDS = 1``) and now.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.disclosure import survey

CROSSING = "directorate x staff_group"
BREAKDOWNS = {
    "organisation": (),
    "directorate": ("directorate",),
    "staff_group": ("staff_group",),
    CROSSING: ("directorate", "staff_group"),
}
RESPONDENTS = {
    ("D1", "G1"): 20,
    ("D1", "G2"): 3,
    ("D1", "G3"): 30,
    ("D2", "G1"): 15,
    ("D2", "G2"): 25,
    ("D2", "G3"): 40,
}
ANSWERS = {**RESPONDENTS, ("D1", "G3"): 12, ("D2", "G3"): 13}


def groups(cells: dict[tuple[str, str], int]) -> list[tuple[str, str, int]]:
    found = [("organisation", "Org", sum(cells.values()))]
    for directorate in ("D1", "D2"):
        total = sum(v for (d, _), v in cells.items() if d == directorate)
        found.append(("directorate", directorate, total))
    for group in ("G1", "G2", "G3"):
        found.append(("staff_group", group, sum(v for (_, g), v in cells.items() if g == group)))
    return found + [(CROSSING, f"{d} | {g}", v) for (d, g), v in cells.items()]


def tables() -> dict[str, pd.DataFrame]:
    rates = pd.DataFrame(
        [(2008, t, g, r + 5, r, round(100 * r / (r + 5), 1)) for t, g, r in groups(RESPONDENTS)],
        columns=["year", "group_type", "group", "headcount", "respondents", "response_rate"],
    )
    items = pd.DataFrame(
        [(2008, t, g, "q1", n, n // 2, 50.0) for t, g, n in groups(ANSWERS)],
        columns=["year", "group_type", "group", "item_id", "n", "n_positive", "pct_positive"],
    )
    return {"response_rates": rates, "item_scores": items}


def small_group_by_subtraction(gated: dict[str, pd.DataFrame]) -> float | None:
    """D1 | G2's respondents as a reader works them out (None if G1's cells are not both
    pinned by their shown answers)."""
    rates = gated["response_rates"].set_index("group")
    items = gated["item_scores"].set_index("group")
    g1 = ["D1 | G1", "D2 | G1"]
    if not rates.loc[g1, "suppressed"].all() or items.loc[g1, "suppressed"].any():
        return None
    floors = items.loc[g1, "n"].astype(float)
    if floors.sum() != float(rates.loc["G1", "respondents"]):
        return None  # G1's respondents are not all taken up by the answers
    d1 = float(rates.loc["D1", "respondents"])
    return d1 - float(floors["D1 | G1"]) - float(rates.loc["D1 | G3", "respondents"])


def test_before_the_answers_gave_back_the_small_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(survey, "ROUNDS", 1)
    gated = survey.suppress_survey_tables(tables(), 11, BREAKDOWNS)
    rates, items = gated["response_rates"], gated["item_scores"]
    assert sorted(rates.loc[rates.suppressed, "group"]) == [
        "D1 | G1",
        "D1 | G2",
        "D2 | G1",
        "D2 | G2",
    ]
    assert sorted(items.loc[items.suppressed, "group"]) == [
        "D1 | G2",
        "D1 | G3",
        "D2 | G2",
        "D2 | G3",
    ]
    assert small_group_by_subtraction(gated) == 3


def test_now_the_answers_of_pinned_respondents_are_hidden() -> None:
    gated = survey.suppress_survey_tables(tables(), 11, BREAKDOWNS)
    items = gated["item_scores"]
    hidden = set(items.loc[items.suppressed, "group"])
    assert {"D1 | G1", "D2 | G1"} <= hidden
    assert small_group_by_subtraction(gated) is None
