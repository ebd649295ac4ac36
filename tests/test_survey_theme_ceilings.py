"""Hidden answer counts pinned by a group's respondents to the item's theme, or by its
respondents in a breakdown that ``response_rates`` does not have (age band, gender...).

A respondent who answered an item has a score on its theme, so a group's answers to the
item are at most its respondents to the theme, which ``theme_scores`` publishes (``n``)
for every breakdown; and at most the group's respondents, which the data overview
publishes for every group column (``respondents_by_age_band``...). Rule 4's ceilings read
only ``response_rates`` (the staff table's breakdowns) until this case: the demo's 2006 run
hid the age bands 16-30 and 66+ for two items while ``theme_scores`` showed 73 and 11
respondents to the theme, which pinned the hidden answers to [72, 73] and [10, 11], and the
whole-run audit stopped the run. This test replays that case on hand-made tables (the
demo's own numbers): the gate as it was (no such ceilings: ``suppress_survey_table``
without ``themes``, ``item_themes`` or ``respondents``) and the gate now. Two attackers
independent of the gate replay it: subtraction along the age-band line against the theme's
respondents, and the whole-run audit's linear programmes on the tables written as a run
folder (the audit reads ``respondents_by_age_band`` as ceilings; it does not link items to
themes, so the theme's respondents are checked by subtraction only). The figures are worked
out by hand in each docstring.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.disclosure.audit import audit_run
from analysis.survey import suppress_survey_table

MINIMUM = 11
YEAR = 2006
THEME = "Team working"

# Age band -> (respondents, respondents to the theme, answers to the item, positive
# answers). The demo's 2006 figures for team_clear_objectives (positives made up).
BANDS = {
    "16-30": (73, 73, 73, 40),
    "31-40": (152, 152, 151, 80),
    "41-50": (196, 196, 192, 100),
    "66+": (11, 11, 10, 5),
}
BREAKDOWNS = {"organisation": (), "age_band": ("age_band",)}


def tables() -> dict[str, pd.DataFrame]:
    """The item's scores, the theme's scores, the respondents and the item's theme."""
    rows = [("organisation", "Org", [sum(v[i] for v in BANDS.values()) for i in range(4)])]
    rows += [("age_band", band, list(values)) for band, values in BANDS.items()]
    items = pd.DataFrame(
        [
            (YEAR, kind, group, "q1", n, positive, round(100 * positive / n, 1))
            for kind, group, (_, _, n, positive) in rows
        ],
        columns=["year", "group_type", "group", "item_id", "n", "n_positive", "pct_positive"],
    )
    themes = pd.DataFrame(
        [(YEAR, kind, group, THEME, n, 7.0) for kind, group, (_, n, _, _) in rows],
        columns=["year", "group_type", "group", "theme", "n", "score"],
    )
    respondents = pd.DataFrame(
        [(YEAR, kind, group, n) for kind, group, (n, _, _, _) in rows],
        columns=["year", "group_type", "group", "respondents"],
    )
    item_themes = pd.DataFrame({"year": [YEAR], "theme": [THEME], "item_id": ["q1"]})
    return {"items": items, "themes": themes, "respondents": respondents, "links": item_themes}


def gate(with_ceilings: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gated item and theme scores, with the new ceilings or without (as before)."""
    raw = tables()
    themes = suppress_survey_table(
        raw["themes"],
        "theme_scores",
        minimum=MINIMUM,
        breakdowns=BREAKDOWNS,
        respondents=raw["respondents"] if with_ceilings else None,
    )
    extra = {}
    if with_ceilings:
        extra = {
            "respondents": raw["respondents"],
            "themes": [(raw["themes"], themes)],
            "item_themes": raw["links"],
        }
    items = suppress_survey_table(
        raw["items"], "item_scores", minimum=MINIMUM, breakdowns=BREAKDOWNS, **extra
    )
    return items, themes


def theme_pins(items: pd.DataFrame, themes: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Hidden bands whose answers subtraction and the theme's respondents pin, with ranges.

    The hidden bands' answers add up to the organisation's minus the shown bands'; each
    hidden band has at most its respondents to the theme (shown in ``theme_scores``). So a
    hidden band has at least that sum minus the other hidden bands' theme respondents, and
    at most its own: pinned where that spans fewer than 3 whole numbers (protection level 2).
    """
    answers = items.set_index("group")
    theme = themes.set_index("group")
    bands = [g for g in answers.index if g != "Org"]
    hidden = [b for b in bands if answers.loc[b, "suppressed"]]
    if not hidden or answers.loc["Org", "suppressed"] or theme.loc[hidden, "suppressed"].any():
        return {}
    shown = [b for b in bands if b not in hidden]
    rest = int(answers.loc["Org", "n"] - answers.loc[shown, "n"].sum())
    ceilings = {b: int(theme.loc[b, "n"]) for b in hidden}
    ranges = {b: (rest - (sum(ceilings.values()) - ceilings[b]), ceilings[b]) for b in hidden}
    return {b: r for b, r in ranges.items() if r[1] - r[0] < 2}


def audit(items: pd.DataFrame, themes: pd.DataFrame, folder: Path):
    """The whole-run audit of the item and theme scores and the data overview's respondents
    by age band, published as a run folder."""
    published = {
        "survey/item_scores": (items.drop(columns=["suppression"]), "n"),
        "survey/theme_scores": (themes.drop(columns=["suppression"]), "n"),
        "data_overview/respondents_by_age_band": (
            pd.DataFrame({"age_band": list(BANDS), "respondents": [v[0] for v in BANDS.values()]}),
            "respondents",
        ),
    }
    for name, (table, count) in published.items():
        path = folder / "tables" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        for column in ("n", "n_positive", "respondents"):
            if column in table.columns:
                table[column] = table[column].astype("Int64")
        table.to_csv(path, index=False)
        path.with_suffix(".json").write_text(json.dumps({"count": count}), encoding="utf-8")
    result = audit_run(folder, year=YEAR, minimum_group_size=MINIMUM)
    assert result.ranges, "the audit solved nothing"
    return result


def failures(result) -> dict[tuple[str, str], tuple[float, float]]:
    """Each failing hidden count's group and column, with the range the audit found."""
    failing = {(f.key.rsplit("=", 1)[1], f.column) for f in result.failures}
    return {
        (r.key.rsplit("=", 1)[1], r.column): (round(r.lower, 6), round(r.upper, 6))
        for r in result.ranges
        if (r.key.rsplit("=", 1)[1], r.column) in failing
    }


def test_answers_pinned_by_the_theme_respondents_before_and_not_after(tmp_path: Path) -> None:
    """Before: 66+ (10 answers) is hidden, and 16-30 (73, the smallest band) as its
    partner; the organisation has 426 answers, the shown bands 151 + 192, so the hidden
    bands hold 83, under 73 + 11 = 84 respondents to the theme: 16-30 in [83 - 11, 73] =
    [72, 73] and 66+ in [83 - 73, 11] = [10, 11]. The audit, from the respondents by age
    band (73 and 11), finds both at width 1. Now the gate knows both ceilings: 31-40, the
    smallest shown band with respondents to the theme who did not answer (152 - 151 = 1),
    is hidden instead (the gate reruns with it as a cell to hide, and it is then the
    partner of 66+, so 16-30 is shown): the hidden bands hold 426 - 73 - 192 = 161 answers
    under 152 + 11 = 163 respondents to the theme: 31-40 in [161 - 11, 152] = [150, 152],
    66+ in [161 - 152, 11] = [9, 11]; neither subtraction nor the linear programmes pin one
    (the audit's ranges are checked too)."""
    before, themes = gate(with_ceilings=False)
    assert not themes["suppressed"].any()  # every band has at least 11 theme respondents
    assert set(before.loc[before.suppressed, "group"]) == {"16-30", "66+"}
    assert theme_pins(before, themes) == {"16-30": (72, 73), "66+": (10, 11)}
    found = failures(audit(before, themes, tmp_path / "before"))
    assert found == {("16-30", "n"): (72, 73), ("66+", "n"): (10, 11)}

    now, themes = gate(with_ceilings=True)
    assert not themes["suppressed"].any()
    flags = now.set_index("group")
    assert set(now.loc[now.suppressed, "group"]) == {"31-40", "66+"}
    assert flags.loc["31-40", "suppression"] == "secondary"
    assert theme_pins(now, themes) == {}
    found = audit(now, themes, tmp_path / "now")
    assert failures(found) == {}
    ranges = {
        r.key.rsplit("=", 1)[1]: (round(r.lower, 6), round(r.upper, 6))
        for r in found.ranges
        if r.column == "n" and "item_id=q1" in r.key
    }
    assert ranges == {"31-40": (150, 152), "66+": (9, 11)}


def test_the_theme_respondents_alone_pin_without_the_respondents() -> None:
    """The theme's respondents are a ceiling of their own: with ``respondents`` left out
    (a breakdown the data overview does not publish), the gate still sees the pin through
    ``theme_scores`` and hides 31-40 instead of 16-30, as above."""
    raw = tables()
    themes = suppress_survey_table(
        raw["themes"], "theme_scores", minimum=MINIMUM, breakdowns=BREAKDOWNS
    )
    items = suppress_survey_table(
        raw["items"],
        "item_scores",
        minimum=MINIMUM,
        breakdowns=BREAKDOWNS,
        themes=[(raw["themes"], themes)],
        item_themes=raw["links"],
    )
    assert set(items.loc[items.suppressed, "group"]) == {"31-40", "66+"}
    assert theme_pins(items, themes) == {}


def test_a_theme_count_below_an_items_is_no_ceiling() -> None:
    """A scale built on some of a theme's items (the 1-5 key findings) may count fewer
    respondents than an item of the theme has answers; such a count bounds nothing, so it
    must not tighten the gate. Here every band's theme count is 1 below its answers
    (16-30: 72 < 73) and the gate hides what it hid without ceilings."""
    raw = tables()
    smaller = raw["themes"].assign(n=raw["items"]["n"] - 1)
    themes = suppress_survey_table(smaller, "theme_scores", minimum=MINIMUM, breakdowns=BREAKDOWNS)
    items = suppress_survey_table(
        raw["items"],
        "item_scores",
        minimum=MINIMUM,
        breakdowns=BREAKDOWNS,
        themes=[(smaller, themes)],
        item_themes=raw["links"],
    )
    assert set(items.loc[items.suppressed, "group"]) == {"16-30", "66+"}


# Age band -> (respondents, answers to q1, positive answers). The data overview shows A, B
# and N (at least 11) and hides C and D; a reader then knows C and D together: 100 - 53 -
# 30 - 12 = 9 respondents.
TOGETHER = {"A": (53, 50, 30), "B": (30, 30, 15), "C": (5, 5, 2), "D": (4, 4, 2), "N": (12, 12, 6)}


def together_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [("organisation", "Org", tuple(map(sum, zip(*TOGETHER.values(), strict=True))))]
    rows += [("age_band", group, values) for group, values in TOGETHER.items()]
    items = pd.DataFrame(
        [(YEAR, kind, group, "q1", n, positive) for kind, group, (_, n, positive) in rows],
        columns=["year", "group_type", "group", "item_id", "n", "n_positive"],
    )
    respondents = pd.DataFrame(
        [(YEAR, kind, group, r) for kind, group, (r, _, _) in rows],
        columns=["year", "group_type", "group", "respondents"],
    )
    return items, respondents


def band_n_range(items: pd.DataFrame) -> tuple[float, float]:
    """Band N's answers as a reader bounds them by subtraction: the hidden bands' answers
    are the organisation's minus the shown ones'; the others among them answered at most
    their respondents (C and D together 9, A 53, B 30), and N at most its 12 respondents."""
    bands = items[items["group_type"] == "age_band"].set_index("group")
    total = float(items.loc[items["group_type"] == "organisation", "n"].iloc[0])
    hidden = set(bands.index[bands["suppressed"]])
    assert "N" in hidden
    rest = total - bands.loc[~bands["suppressed"], "n"].sum()
    others = sum(TOGETHER[g][0] for g in hidden - {"N", "C", "D"})
    others += 9 if hidden & {"C", "D"} else 0
    return max(0.0, rest - others), min(12.0, rest)


def test_small_groups_respondents_bound_their_answers_together() -> None:
    """Before: the gate knew each small band's respondents only as the organisation's rest
    (9 each) and let C, D and N (21 answers hidden) pass: N's answers in [21 - 18, 12]. A
    reader knows C and D together (9), so N's answers are 21 - 9 = 12: pinned (the demo's
    2004 ethnicity "Not stated", found by the whole-run audit). The gate without respondents
    hides the same three (it is what the rest rule alone hides here), so it stands for
    before. Now the true respondents are the ceilings: N is pinned to [12, 12] in the gate's
    own bounds, so it hides the smallest band with respondents who did not answer (A: 53
    respondents, 50 answers), and N's answers lie in [71 - 9 - 53, 12] = [9, 12]."""
    items, respondents = together_tables()
    kwargs = {"minimum": MINIMUM, "breakdowns": BREAKDOWNS}
    before = suppress_survey_table(items, "item_scores", **kwargs)
    hidden = before.loc[before["suppressed"], "group"]
    assert set(hidden) == {"C", "D", "N"}
    assert band_n_range(before) == (12, 12)
    after = suppress_survey_table(items, "item_scores", respondents=respondents, **kwargs)
    assert set(after.loc[after["suppressed"], "group"]) == {"A", "C", "D", "N"}
    assert band_n_range(after) == (9, 12)
