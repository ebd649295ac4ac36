"""A group's commenters are one figure on every code's row: hidden under every code or none.

``code_frequencies`` prints each group's commenters beside every code, and the gate ran code
by code. Under one code a group could be hidden with one partner and under another with a
different one; each partner is then shown in the other code's table, and the small group's
commenters come back by subtraction. The whole-run audit, which links the commenters across
codes, found this on the demo's 2008 comments (age band 66+ and gender "Not stated" pinned
to exactly 3 commenters). The hand-made case below is gated twice: as before (each code on
its own, :func:`analysis.disclosure.survey.suppress_breakdowns` without ``same_across``) and
as :func:`analysis.comments.frequencies.suppress_code_frequencies` gates it now.
"""

from __future__ import annotations

import pandas as pd

from analysis.comments.frequencies import suppress_code_frequencies
from analysis.disclosure.survey import suppress_breakdowns

MINIMUM = 11
COMMENTERS = {"A": 40, "B": 15, "C": 5, "D": 12}
"""Commenters by age band; 72 in all. C (5) is below the minimum."""
RAISED = {"X": {"A": 10, "B": 5, "C": 2, "D": 3}, "Y": {"A": 10, "B": 4, "C": 0, "D": 0}}
"""Commenters raising each code, by age band.

By hand, code by code: under X the gate hides C and its smallest partner D (their 17
commenters hold 5 raising X and 12 not: both at least the protection level of 3). Under Y,
C and D hold 0 raising Y, below 3, so the smallest shown group raising it, B, is hidden
too; rerun with B hidden, C has a hidden partner and D is not needed: Y hides C and B.
Then D's 12 is shown under Y and B's 15 under X, and C = 72 - 40 - 15 - 12 = 5.
"""


def frequencies() -> pd.DataFrame:
    rows = []
    for code, raised in RAISED.items():
        rows.append(("all", "All staff", code, sum(COMMENTERS.values()), sum(raised.values())))
        rows += [("age_band", g, code, COMMENTERS[g], raised[g]) for g in COMMENTERS]
    table = pd.DataFrame(rows, columns=["breakdown", "group", "code_id", "commenters", "raised"])
    return table.assign(
        year=2008,
        label=table["code_id"],
        respondents=table["raised"],
        comments=table["raised"],
        percent=100 * table["raised"] / table["commenters"],
    ).drop(columns="raised")


def subtracted(gated: pd.DataFrame) -> dict[str, float]:
    """Each group's commenters as a reader gets them: shown anywhere, or the total minus the
    shown groups of every code's table where it is the only one unknown."""
    groups = gated[gated["breakdown"] == "age_band"]
    known = groups.dropna(subset=["commenters"]).groupby("group")["commenters"].first().to_dict()
    total = float(gated.loc[gated["breakdown"] != "age_band", "commenters"].iloc[0])
    unknown = [g for g in COMMENTERS if g not in known]
    if len(unknown) == 1:
        known[unknown[0]] = total - sum(known.values())
    return known


def test_before_the_small_group_came_back_by_subtraction() -> None:
    table = frequencies().rename(columns={"breakdown": "group_type"})
    table["group_type"] = table["group_type"].replace({"all": "organisation"})
    before = suppress_breakdowns(
        table,
        count="commenters",
        for_each=["year", "code_id"],
        labels=["label"],
        answers=["respondents"],
        minimum=MINIMUM,
    ).rename(columns={"group_type": "breakdown"})
    hidden = before[before["suppressed"]].groupby("code_id")["group"].apply(sorted).to_dict()
    assert hidden == {"X": ["C", "D"], "Y": ["B", "C"]}
    assert subtracted(before)["C"] == 5  # the true figure, below the minimum of 11


def test_now_a_group_is_hidden_under_every_code_or_none() -> None:
    after = suppress_code_frequencies(frequencies(), MINIMUM)
    hidden = after[after["suppressed"]].groupby("code_id")["group"].apply(sorted).to_dict()
    assert hidden == {"X": ["B", "C", "D"], "Y": ["B", "C", "D"]}
    assert "C" not in subtracted(after)
