"""The audit reads every published table: indicators, appraisal coverage, comments against
scores, equality groups, training reactions (:mod:`analysis.disclosure.relations_more`).

Each test writes a hand-made run folder in which a hidden count is worked out by combining
the newly read table with another published table (the worked figure in its docstring), and
asserts the audit fails on it. Before these tables were read, the audit listed them under
``not_covered`` and passed; each test also asserts the table is not listed there now.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.disclosure.audit import Structure, audit_relations
from analysis.disclosure.relations import read_relations
from tests.audit_cells import MINIMUM_GROUP_SIZE, YEAR

TEAMS = Structure({"T1": "D", "T2": "D", "T3": "D", "T4": "E"})


def _gated(count, dimensions=(), for_each=(), values=(), labels=(), **more) -> dict:
    """A side file's relation metadata, as :meth:`GatedTable.metadata` writes it."""
    return {
        "count": count,
        "dimensions": list(dimensions),
        "for_each": list(for_each),
        "values": list(values),
        "labels": list(labels),
        "structure": "cells",
        "universe": None,
        **more,
    }


_INDICATOR_META = _gated(
    None,
    values=["numerator", "denominator", "value", "staff"],
    labels=["indicator_id", "level", "unit", "directorate", "period"],
    structure="derived",
)
GATE_META = {
    # What the demo run's side files say of each table (tables/<stage>/<name>.json).
    "indicators/indicator_values": _INDICATOR_META,
    "indicators/indicator_values_directorate": _INDICATOR_META,
    "indicators/scorecard": _gated(None, values=["value"], structure="derived"),
    "indicators/appraisal_coverage_team": _gated(
        "staff_due", ["team_id"], values=["appraised", "coverage"]
    ),
    "indicators/appraisal_coverage_staff_group": _gated(
        "staff_due", ["staff_group"], values=["appraised", "coverage"]
    ),
    "comments/code_vs_scores": _gated(
        "respondents_with_code",
        for_each=["year", "code_id", "link", "measure"],
        values=["respondents_without_code"],
    ),
    "survey/equality_groups": _gated(
        "n",
        ["group"],
        ["year", "item_id", "comparison"],
        ["n_positive", "pct_positive"],
        universe="survey responses",
        structure="equality groups",
    ),
    "interventions/training_reaction": _gated(
        "raters", ["score"], ["course_id", "measure"], ["percent"]
    ),
    "interventions/training_reaction_cohorts": _gated(
        "participants", ["cohort"], ["course_id", "measure"], ["median", "percent_4_or_5"]
    ),
    "interventions/course_trends": _gated(
        "n", ["group", "year"], values=["mean", "ci_low", "ci_high"], universe="survey responses"
    ),
    "interventions/its_lines": _gated(
        None,
        structure="not person-level",
        disclosure="not person-level: monthly indicators pooled over whole directorates' teams",
    ),
}


def write(run: Path, name: str, rows: list[dict], meta: dict | None = None) -> None:
    """``tables/<name>.csv`` and its side file, as a run publishes them (the gate's
    metadata of the table, :data:`GATE_META`, with ``meta`` over it)."""
    path = run / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    side = {**GATE_META.get(name, {}), **(meta or {})}
    path.with_suffix(".json").write_text(json.dumps(side), encoding="utf-8")


def audit(run: Path, structure: Structure = TEAMS):
    relations = read_relations(run, YEAR, years=[YEAR])
    return relations, audit_relations(
        relations, structure, years=[YEAR], minimum_group_size=MINIMUM_GROUP_SIZE
    )


def failing(result, table: str) -> set[tuple[str, str]]:
    return {(f.key, f.column) for f in result.failures if f.table == table}


# --- indicators --------------------------------------------------------------------------


def indicator_row(level: str, unit: str, numerator, denominator, staff, **more) -> dict:
    return {
        "indicator_id": "turnover",
        "level": level,
        "unit": unit,
        "period": str(YEAR),
        "numerator": numerator,
        "denominator": denominator,
        "value": "[c]" if numerator == "[c]" else 1.0,
        "staff": staff,
        **more,
    }


def indicator_run(run: Path, teams: list[tuple], directorate: tuple) -> None:
    rows = [indicator_row("team", unit, *figures, directorate="D") for unit, *figures in teams]
    write(run, "indicators/indicator_values", rows)
    write(
        run,
        "indicators/indicator_values_directorate",
        [indicator_row("directorate", "D", *directorate)],
    )


def test_a_team_hidden_alone_is_its_directorate_minus_the_others(tmp_path: Path) -> None:
    """Directorate D: 9 leavers of 60.0 staff-years, 60 staff; T1 shows 3 of 25.0 (25
    staff), T2 4 of 27.0 (27); T3 hidden: 9 - 3 - 4 = 2 leavers, 60 - 25 - 27 = 8 staff
    (each within the published rounding: numerator and denominator +-0.05, staff +-0.5)."""
    indicator_run(
        tmp_path,
        [("T1", 3.0, 25.0, 25.0), ("T2", 4.0, 27.0, 27.0), ("T3", "[c]", "[c]", "[c]")],
        (9.0, 60.0, 60.0),
    )
    relations, result = audit(tmp_path)
    assert "indicators/indicator_values" not in relations.uncovered
    found = {(r.key, r.column): r for r in result.ranges}
    numerator = found[("turnover, 2008, team=T3", "numerator")]
    assert (numerator.lower, numerator.upper) == (pytest.approx(1.85), pytest.approx(2.15))
    staff = found[("turnover, 2008, team=T3", "staff")]
    assert (staff.lower, staff.upper) == (pytest.approx(6.5), pytest.approx(9.5))
    assert ("turnover, 2008, team=T3", "numerator") in failing(
        result, "indicators/indicator_values"
    )


def test_two_hidden_teams_with_no_leavers_between_them_fail(tmp_path: Path) -> None:
    """T2 and T3 hidden together (the gate's partner), but D's 7 leavers are all T1's: both
    hidden teams had 0 leavers (range [0, 0.1]); their 35 staff leave each in [0, 35.5]."""
    indicator_run(
        tmp_path,
        [("T1", 7.0, 25.0, 25.0), ("T2", "[c]", "[c]", "[c]"), ("T3", "[c]", "[c]", "[c]")],
        (7.0, 60.0, 60.0),
    )
    _, result = audit(tmp_path)
    assert failing(result, "indicators/indicator_values") == {
        ("turnover, 2008, team=T2", "numerator"),
        ("turnover, 2008, team=T3", "numerator"),
    }


def test_two_hidden_teams_sharing_enough_leavers_pass(tmp_path: Path) -> None:
    """The same, with 4 leavers between T2 and T3: each in [0, 4.1], width 4."""
    indicator_run(
        tmp_path,
        [("T1", 3.0, 25.0, 25.0), ("T2", "[c]", "[c]", "[c]"), ("T3", "[c]", "[c]", "[c]")],
        (7.0, 60.0, 60.0),
    )
    _, result = audit(tmp_path)
    assert result.passed, result.describe_failures()


def test_a_derived_table_showing_a_row_its_source_hides_fails(tmp_path: Path) -> None:
    """The scorecard republishes indicator_values row by row: showing T3's value, which
    indicator_values hides, is a failure; hiding it too is not."""
    indicator_run(
        tmp_path,
        [("T1", 3.0, 25.0, 25.0), ("T2", "[c]", "[c]", "[c]"), ("T3", "[c]", "[c]", "[c]")],
        (7.0, 60.0, 60.0),
    )
    card = [
        {"unit": "T1", "indicator_id": "turnover", "value": 12.0},
        {"unit": "T2", "indicator_id": "turnover", "value": "[c]"},
        {"unit": "T3", "indicator_id": "turnover", "value": 13.3},
    ]
    write(tmp_path, "indicators/scorecard", card)
    relations, result = audit(tmp_path)
    assert "indicators/scorecard" in relations.not_counts
    assert failing(result, "indicators/scorecard") == {
        ("indicator_id=turnover, unit=T3", "shows a row indicators/indicator_values hides")
    }
    card[2]["value"] = "[c]"
    write(tmp_path, "indicators/scorecard", card)
    _, result = audit(tmp_path)
    assert not failing(result, "indicators/scorecard")


def test_appraisal_coverage_by_team_against_by_staff_group(tmp_path: Path) -> None:
    """Staff groups X (30 due, 20 appraised) and Y (25, 15) cover everyone: 55 due, 35
    appraised. Teams T1 (24, 16) and T2 (22, 14) shown, T3 hidden: 55 - 46 = 9 due and
    35 - 30 = 5 appraised, pinned."""
    team = [
        {"team_id": "T1", "staff_due": 24, "appraised": 16, "coverage": 66.7},
        {"team_id": "T2", "staff_due": 22, "appraised": 14, "coverage": 63.6},
        {"team_id": "T3", "staff_due": "[c]", "appraised": "[c]", "coverage": "[c]"},
    ]
    group = [
        {"staff_group": "X", "staff_due": 30, "appraised": 20, "coverage": 66.7},
        {"staff_group": "Y", "staff_due": 25, "appraised": 15, "coverage": 60.0},
    ]
    write(tmp_path, "indicators/appraisal_coverage_team", team, {"dimensions": ["team_id"]})
    write(
        tmp_path,
        "indicators/appraisal_coverage_staff_group",
        group,
        {"dimensions": ["staff_group"]},
    )
    relations, result = audit(tmp_path, Structure({"T1": "D", "T2": "D", "T3": "E"}))
    assert not relations.uncovered
    assert failing(result, "indicators/appraisal_coverage_team") == {
        ("team_id=T3", "staff_due"),
        ("team_id=T3", "appraised"),
        ("team_id=T3", "staff_due - appraised"),
    }
    found = {(r.key, r.column): r for r in result.ranges}
    assert found[("team_id=T3", "staff_due")].lower == pytest.approx(9)
    assert found[("team_id=T3", "appraised")].upper == pytest.approx(5)


# --- comments against survey scores ------------------------------------------------------


def item_scores_row(group_type: str, group: str, n, positive, item: str = "q1") -> dict:
    hidden = n == ""
    return {
        "year": YEAR,
        "group_type": group_type,
        "group": group,
        "item_id": item,
        "n": n,
        "n_positive": positive,
        "pct_positive": "" if hidden else round(100 * positive / n, 1),
        "suppressed": hidden,
    }


def test_code_vs_scores_with_the_items_respondents(tmp_path: Path) -> None:
    """item_scores: 100 answered q1. code_vs_scores hides those who raised the code, but
    shows the 95 others (a gate hiding only the count): 100 - 95 = 5, pinned."""
    write(tmp_path, "survey/item_scores", [item_scores_row("organisation", "Org", 100, 60)])
    row = {"year": YEAR, "code_id": "c1", "link": "item", "measure": "q1"}
    write(
        tmp_path,
        "comments/code_vs_scores",
        [row | {"respondents_with_code": "[c]", "respondents_without_code": 95}],
    )
    relations, result = audit(tmp_path)
    assert "comments/code_vs_scores" not in relations.uncovered
    (found,) = [r for r in result.ranges if r.table == "comments/code_vs_scores"]
    assert (found.lower, found.upper) == (pytest.approx(5), pytest.approx(5))
    assert not result.passed
    write(  # hidden with its partner, as the gate does: [0, 100]
        tmp_path,
        "comments/code_vs_scores",
        [row | {"respondents_with_code": "[c]", "respondents_without_code": "[c]"}],
    )
    _, result = audit(tmp_path)
    assert result.passed


# --- equality groups ---------------------------------------------------------------------


def equality_row(comparison: str, side: str, group: str, n, positive) -> dict:
    hidden = n == ""
    return {
        "year": YEAR,
        "item_id": "q1",
        "comparison": comparison,
        "side": side,
        "group": group,
        "n": n,
        "n_positive": positive,
        "pct_positive": "" if hidden else round(100 * positive / n, 1),
        "suppressed": hidden,
    }


def ethnicity_scores(not_stated: tuple) -> list[dict]:
    """Organisation 60 (40 positive): White British 30 (20), White other 12 (9), Asian 8 (5)
    and Black 5 (4) hidden, Not stated 5 (2) as given."""
    return [
        item_scores_row("organisation", "Org", 60, 40),
        item_scores_row("ethnicity", "White British", 30, 20),
        item_scores_row("ethnicity", "White other", 12, 9),
        item_scores_row("ethnicity", "Asian or Asian British", "", ""),
        item_scores_row("ethnicity", "Black or Black British", "", ""),
        item_scores_row("ethnicity", "Not stated", *not_stated),
    ]


def test_an_equality_side_with_item_scores_gives_the_other_side(tmp_path: Path) -> None:
    """The White side shown (42, 29), the BME side hidden, Not stated shown in item_scores
    (5, 2): BME = 60 - 42 - 5 = 13 answers, 40 - 29 - 2 = 9 positive, pinned."""
    write(tmp_path, "survey/item_scores", ethnicity_scores((5, 2)))
    write(
        tmp_path,
        "survey/equality_groups",
        [
            equality_row("ethnicity", "group", "Black and minority ethnic", "", ""),
            equality_row("ethnicity", "reference", "White", 42, 29),
        ],
    )
    relations, result = audit(tmp_path)
    assert "survey/equality_groups" not in relations.uncovered
    key = "year=2008, item_id=q1, ethnicity=Black and minority ethnic"
    assert {(key, "n"), (key, "n_positive")} <= failing(result, "survey/equality_groups")


def test_a_hidden_side_made_of_shown_categories_is_pinned(tmp_path: Path) -> None:
    """The old equality gate hid both sides; the White side is White British + White other,
    both shown: 42, pinned (a failure). The gate now shows that side
    (``test_a_side_of_shown_categories_is_shown``), and the audit passes: with Not stated
    hidden, BME lies in [0, 18]."""
    write(tmp_path, "survey/item_scores", ethnicity_scores(("", "")))
    both_hidden = [
        equality_row("ethnicity", "group", "Black and minority ethnic", "", ""),
        equality_row("ethnicity", "reference", "White", "", ""),
    ]
    write(tmp_path, "survey/equality_groups", both_hidden)
    _, result = audit(tmp_path)
    white = "year=2008, item_id=q1, ethnicity=White"
    assert (white, "n") in failing(result, "survey/equality_groups")
    both_hidden[1] = equality_row("ethnicity", "reference", "White", 42, 29)
    write(tmp_path, "survey/equality_groups", both_hidden)
    _, result = audit(tmp_path)
    assert result.passed, result.describe_failures()


def test_a_side_of_shown_categories_is_shown() -> None:
    """The gate: BME has 8 respondents (< 11), so the pair cannot be published; the White
    side is White British (30) + White other (12), both shown in item_scores, so it is shown
    (42 answers, 29 positive) and the BME side stays hidden."""
    from analysis.survey.equality import equality_groups

    questionnaire = pd.DataFrame(
        {
            "year": [YEAR],
            "item_id": ["q1"],
            "column": ["q1"],
            "positive_codes": [(2,)],
            "excluded_codes": [()],
        }
    )
    answers = {"White British": (30, 20), "White other": (12, 9), "Asian or Asian British": (8, 5)}
    rows = []
    for ethnicity, (n, positive) in answers.items():
        rows += [(ethnicity, 2)] * positive + [(ethnicity, 1)] * (n - positive)
    responses = pd.DataFrame(rows, columns=["ethnicity", "q1"]).assign(year=YEAR)
    gated = pd.DataFrame(
        {
            "year": YEAR,
            "group_type": "ethnicity",
            "group": list(answers),
            "item_id": "q1",
            "suppressed": [False, False, True],
        }
    )
    table = equality_groups(responses, questionnaire, gated, 11).set_index("group")
    white, bme = table.loc["White"], table.loc["Black and minority ethnic"]
    assert not white["suppressed"] and (white["n"], white["n_positive"]) == (42, 29)
    assert bme["suppressed"] and pd.isna(bme["n"])


# --- training reactions ------------------------------------------------------------------


def test_a_hidden_cohort_is_the_course_minus_the_shown_one(tmp_path: Path) -> None:
    """training_reaction: 16 raters, 25.0% rated 4 and 12.5% rated 5 (6 raters). Cohort A
    shown with 12 participants, 41.7% rating 4 or 5 (5); cohort B hidden: 16 - 12 = 4
    participants, 6 - 5 = 1 rating 4 or 5."""
    shares = {1: 6.3, 2: 18.8, 3: 37.5, 4: 25.0, 5: 12.5}
    reaction = [
        {"course_id": "C", "measure": "relevance", "score": s, "raters": 16, "percent": p}
        for s, p in shares.items()
    ]
    cohorts = [
        {"course_id": "C", "measure": "relevance", "cohort": "A", "participants": 12}
        | {"percent_4_or_5": 41.7},
        {"course_id": "C", "measure": "relevance", "cohort": "B", "participants": "[c]"}
        | {"percent_4_or_5": "[c]"},
    ]
    write(tmp_path, "interventions/training_reaction", reaction)
    write(tmp_path, "interventions/training_reaction_cohorts", cohorts)
    relations, result = audit(tmp_path)
    assert not relations.uncovered
    found = {(r.key, r.column): r for r in result.ranges}
    key = "course_id=C, measure=relevance, cohort=B"
    assert found[(key, "participants")].lower == pytest.approx(4)
    assert found[(key, "participants")].upper == pytest.approx(4)
    assert (key, "participants") in failing(result, "interventions/training_reaction_cohorts")


def test_a_table_of_counts_of_its_own_is_read(tmp_path: Path) -> None:
    """course_trends (an OWN_COUNTS table): respondents of the teams a course trained and of
    the others, by year. Read, not listed as not covered: each shown count is an equation
    of its own universe and the hidden one a hidden count; nothing else publishes these
    people, so the hidden 2008 targeted teams are bounded by nothing (range up to the
    audit's ceiling) and the audit passes."""
    rows = [
        {"group": "comparison", "year": 2007, "n": 202, "mean": 55.7},
        {"group": "targeted", "year": 2007, "n": 31, "mean": 60.1},
        {"group": "comparison", "year": 2008, "n": 198, "mean": 56.2},
        {"group": "targeted", "year": 2008, "n": "[c]", "mean": "[c]"},
    ]
    write(tmp_path, "interventions/course_trends", rows)
    relations, result = audit(tmp_path)
    assert not relations.uncovered
    (shown,) = [p for p in relations.published if p.cell.universe.endswith("course_trends")]
    assert shown.value == 198  # 2008's comparison teams (the audit reads 2008 here)
    (hidden,) = [r for r in result.ranges if r.table == "interventions/course_trends"]
    assert (hidden.key, hidden.column) == ("group=targeted, year=2008", "n")
    assert hidden.lower == pytest.approx(0) and hidden.upper > 1000
    assert result.passed, result.describe_failures()


# --- tables without counts, and the demo -------------------------------------------------


def test_its_tables_are_recorded_with_the_reason(tmp_path: Path) -> None:
    """The ITS series publish no count: listed under not_counts with why, not not_covered."""
    write(tmp_path, "interventions/its_lines", [{"action_ids": "A", "observed": "[c]"}])
    relations, result = audit(tmp_path)
    assert not relations.uncovered
    assert (
        "no linear relation over counts"
        in result.summary()["not_counts"]["interventions/its_lines"]
    )


def _demo_audit(demo_run: Path) -> dict:
    # The run audits itself over every year (on by default); its manifest says how it went.
    manifest = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))
    return manifest["disclosure_audit"]


@pytest.mark.slow
@pytest.mark.pipeline
def test_the_demo_run_reads_every_table(demo_run: Path) -> None:
    """Every published table of the demo run is read (or named with its reason in
    ``not_counts``): the audit's ``not_covered`` is empty, and it still passes. The eight
    tables counting people no other table counts are read as counts of their own
    (:data:`~analysis.disclosure.relations_more.OWN_COUNTS`)."""
    audit = _demo_audit(demo_run)
    assert audit["audited"] is True
    assert audit["not_covered"] == {}
    assert audit["passed"] is True, audit["failures"]


def test_the_indicator_gate_hides_a_team_where_the_hidden_ones_hold_no_event() -> None:
    """Directorate D: T1 (25 staff, 3 leavers), T2 (27, 6), T3 (5, 0), T4 (6, 0). Cell
    suppression hides T3 (5 < 11) and its smallest partner T4: together 0 leavers, which
    D's 9 minus T1's 3 and T2's 6 gives away (``test_two_hidden_teams_with_no_leavers_between
    _them_fail``). The gate then hides T1, the shown team with fewest leavers: the three
    hidden teams hold 3 >= 2."""
    from analysis.disclosure import suppress_small_groups
    from analysis.disclosure.rests import protect_event_rests

    table = pd.DataFrame(
        {
            "indicator_id": "turnover",
            "period": str(YEAR),
            "directorate": "D",
            "unit": ["T1", "T2", "T3", "T4"],
            "numerator": [3.0, 6.0, 0.0, 0.0],
            "staff": [25, 27, 5, 6],
        }
    )
    for_each = ["indicator_id", "period", "directorate"]
    cells = suppress_small_groups(
        table,
        count="staff",
        dimensions=["unit"],
        values=["numerator"],
        minimum=11,
        for_each=for_each,
    )
    assert cells["suppressed"].tolist() == [False, False, True, True]
    gated = protect_event_rests(cells, table, for_each, ["numerator", "staff"])
    assert gated["suppressed"].tolist() == [True, False, True, True]
    assert gated["suppression"].tolist()[0] == "secondary"
    assert gated["numerator"].isna().tolist() == [True, False, True, True]


def test_a_packs_tables_are_read_where_the_pipeline_writes_them(tmp_path: Path) -> None:
    """Packs publish under ``packs/<column>/tables/<pack>/``. A pack's subgroup row showing
    staff group Y's 12 answers beside item_scores' organisation (20) and X hidden: X is
    20 - 12 = 8, pinned; before, the pack folder was not read and the audit passed."""
    write(
        tmp_path,
        "survey/item_scores",
        [
            item_scores_row("organisation", "Org", 20, 10),
            item_scores_row("staff_group", "X", "", ""),
        ],
    )
    pack = tmp_path / "packs" / "directorate"
    write(
        pack,
        "pack_a/subgroups",
        [item_scores_row("staff_group", "Y", 12, 6) | {"subgroup": "Y"}],
        {
            "count": "n",
            "universe": "survey responses",
            "attributes": ["year", "group_type", "group", "item_id"],
        },
    )
    relations, result = audit(tmp_path)
    name = "packs/directorate/pack_a/subgroups"  # read as item_scores rows
    assert {p.source.split(":")[0] for p in relations.published} >= {name}
    assert ("year=2008, item_id=q1, staff_group=X", "n") in failing(result, "survey/item_scores")
