"""Hidden groups of the code frequencies: a reader must not pin what they raised.

``code_frequencies`` publishes, per year and code, the ``all`` row and each breakdown's
groups, which add up to it. The gate used to see each breakdown alone
(``suppress_small_groups`` with ``for_each=["breakdown", "year", "code_id"]``), so the
hidden groups' respondents raising a code were the ``all`` row's minus the shown groups':
on the demo, 0 in many lines (group attribute disclosure; Hundepool et al. 2012,
*Statistical Disclosure Control*, Wiley, chapter 5). :func:`suppress_code_frequencies`
gates each breakdown with its total under the survey's rules 3 and 4
(``docs/disclosure.md``). The attacker here is plain subtraction along each line, written
independently of the gate; the figures each test asserts are worked out in its docstring.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments.frequencies import (
    code_frequencies,
    coded_comments,
    suppress_code_frequencies,
)
from analysis.disclosure import suppress_small_groups
from analysis.disclosure.audit import audit_run
from analysis.disclosure.protection import PROTECTION_LEVEL

MINIMUM = 11
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def gate_before(frequencies: pd.DataFrame) -> pd.DataFrame:
    """The gate as the comments notebook called it: each breakdown alone."""
    return suppress_small_groups(
        frequencies,
        count="commenters",
        dimensions=["group"],
        for_each=["breakdown", "year", "code_id"],
        labels=["label"],
        minimum=MINIMUM,
    )


def pinned_by_subtraction(
    published: pd.DataFrame, all_lines: bool = False
) -> set[tuple[str, int, str, str, str]]:
    """Hidden cells whose respondents raising (or not raising) the code subtraction pins.

    For each breakdown, year and code whose ``all`` row is shown, the hidden groups'
    respondents raising the code add up to the ``all`` row's minus the shown groups'; each
    hidden group's count lies between 0 and that rest, a range narrower than the protection
    level when the rest is below it. The same for commenters not raising the code
    (``commenters - respondents``). Returns (breakdown, year, code, group, what).

    A line whose shown groups hold none of them is left out when ``all_lines`` is false:
    the hidden groups then hold what the ``all`` row publishes about itself (e.g. one
    person in the organisation raised the code), the case rule 4 of ``docs/disclosure.md``
    leaves as it is since subtraction adds nothing to the total.
    """
    rows = published.assign(other=published["commenters"] - published["respondents"])
    totals = rows[rows["breakdown"] == "all"].set_index(["year", "code_id"])
    pinned = set()
    for (breakdown, year, code), line in rows[rows["breakdown"] != "all"].groupby(
        ["breakdown", "year", "code_id"]
    ):
        total = totals.loc[(year, code)]
        hidden = line[line["suppressed"]]
        if total["suppressed"] or hidden.empty:
            continue
        shown = line[~line["suppressed"]]
        for column in ("respondents", "other"):
            if not all_lines and shown[column].sum() == 0:
                continue
            if total[column] - shown[column].sum() < PROTECTION_LEVEL:
                pinned |= {(breakdown, year, code, group, column) for group in hidden["group"]}
    return pinned


def frequencies_of(cells: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """One code in 2008: site -> (commenters, of them raising the code), with the total."""
    rows = [("all", "All staff", *map(sum, zip(*cells.values(), strict=True)))]
    rows += [("site", site, *value) for site, value in cells.items()]
    table = pd.DataFrame(rows, columns=["breakdown", "group", "commenters", "respondents"])
    table.insert(2, "year", 2008)
    table.insert(3, "code_id", "bullying")
    table.insert(4, "label", "Bullying")
    table["comments"] = table["respondents"]
    table["percent"] = 100 * table["respondents"] / table["commenters"]
    return table


# Sites C and D (5 and 7 commenters: 12 together, not a small rest) raised no bullying; the
# old gate hides them and shows A and B.
NOBODY_HIDDEN_RAISED = {"A": (30, 6), "B": (20, 4), "C": (5, 0), "D": (7, 0)}


def test_a_rest_of_zero_is_pinned_before_and_not_after() -> None:
    """Before: all = 62 commenters, 10 raising; shown A and B raise 6 + 4 = 10, so the
    hidden C and D raised 10 - 10 = 0 between them: each 0. After: B (20 commenters), the
    smallest shown site raising it, is hidden too; the hidden sites hold 4 raisers and
    21 non-raisers, nothing is pinned, and the total stays shown."""
    table = frequencies_of(NOBODY_HIDDEN_RAISED)
    before = gate_before(table)
    assert set(before.loc[before["suppressed"], "group"]) == {"C", "D"}
    assert pinned_by_subtraction(before) == {
        ("site", 2008, "bullying", "C", "respondents"),
        ("site", 2008, "bullying", "D", "respondents"),
    }
    after = suppress_code_frequencies(table, minimum=MINIMUM)
    assert set(after.loc[after["suppressed"], "group"]) == {"B", "C", "D"}
    assert after.set_index("group").loc["B", "suppression"] == "secondary"
    assert not after.set_index("group").loc["All staff", "suppressed"]
    assert pinned_by_subtraction(after) == set()
    assert after["breakdown"].tolist() == table["breakdown"].tolist()
    assert after.loc[after["suppressed"], "respondents"].isna().all()


def test_everyone_hidden_raising_it_is_pinned_before_and_not_after() -> None:
    """The mirror case: C and D (12 commenters) all raised it. Before: the hidden sites'
    non-raisers are (62 - 22) - (24 + 16) = 0. After: B is hidden too (16 non-raisers
    join the rest)."""
    cells = dict(NOBODY_HIDDEN_RAISED, C=(5, 5), D=(7, 7))
    before = gate_before(frequencies_of(cells))
    assert {what for *_, what in pinned_by_subtraction(before)} == {"other"}
    after = suppress_code_frequencies(frequencies_of(cells), minimum=MINIMUM)
    assert pinned_by_subtraction(after) == set()


def test_a_small_rest_of_commenters_is_protected() -> None:
    """A site of 40 and one of 5: the old gate hides the 5 and, alone on its line, the 40
    too; the total 45 is then shown, and the hidden pair is 45 commenters (not small). With
    sites of 40, 30 and 5, the old gate hides 5 and 30 (35 together); here the same. A
    rest of 9 (sites 40, 6 and 3: the old gate hides 3 and 6) is below 11: now 40 is
    hidden too, and the hidden rest is 49."""
    cells = {"A": (40, 10), "B": (6, 2), "C": (3, 1)}
    before = gate_before(frequencies_of(cells))
    assert set(before.loc[before["suppressed"], "group"]) == {"B", "C"}
    after = suppress_code_frequencies(frequencies_of(cells), minimum=MINIMUM)
    assert set(after.loc[after["suppressed"], "group"]) == {"A", "B", "C"}


def test_the_gate_needs_the_minimum() -> None:
    with pytest.raises(TypeError):
        suppress_code_frequencies(frequencies_of(NOBODY_HIDDEN_RAISED))  # type: ignore[call-arg]


def demo_frequencies() -> pd.DataFrame:
    """The demo's code frequencies, computed as notebooks/02_comments.ipynb does (cells 2
    and 8, default parameters: people's coding only)."""
    from analysis.datapackage import load_data_package
    from analysis.datapackage.coding_logs import load_codings
    from analysis.datapackage.codings import choose_coders, codings_for_analysis
    from analysis.datapackage.coverage import coding_coverage, comments_up_to

    package = load_data_package(DEMO)
    year = package.latest_year
    comments, codings = comments_up_to(
        package.tables["comments"],
        pd.concat([package.tables["codings"], load_codings(DEMO)], ignore_index=True),
        year,
    )
    codings = codings[codings["coder"] != "model"]
    primary, _ = choose_coders(codings, None, None)
    codes = [code.id for code in package.codebook if code.codable]
    counted = coding_coverage(comments, codings_for_analysis(codings, primary), year).counted_year
    coded = coded_comments(comments, codings, primary)
    return code_frequencies(
        coded,
        package.tables["responses"],
        codes,
        group_columns=package.description.group_columns,
        group_year=counted,
    )


@pytest.mark.slow
def test_the_demo_code_frequencies_pin_nothing_after() -> None:
    """Measured on the demo (2008 breakdowns, 1,080 rows): the old gate left 295 hidden
    cells that subtraction pins to a range narrower than 2 (the previous audit's figure,
    issue #10), 292 of them through shown groups' counts. The gate now leaves none of those,
    and hides no ``all`` row the old gate showed.

    Since a group's commenters are one figure on every code's row (``same_across``, rule 4
    of ``docs/disclosure.md``), a group hidden under one code is hidden under all: measured
    8 December 2026, every group of the age band, disability, ethnicity, gender and staff
    group breakdowns is hidden (720 rows of 1,080, instead of 502; the directorates and the
    ``all`` rows are all shown). The 24 cells left pinned with the total's own figure are
    those groups under ``equality_fairness``, which 1 commenter of 2008 raised (the ``all``
    row says so itself: each group holds 0 or 1 of them; 16 before, when some were shown)."""
    table = demo_frequencies()
    before = gate_before(table)
    after = suppress_code_frequencies(table, minimum=MINIMUM)
    pinned_before = pinned_by_subtraction(before)
    print(
        f"pinned before: {len(pinned_before)} ({len(pinned_by_subtraction(before, True))} "
        f"with the total's own); after: {len(pinned_by_subtraction(after, True))} with the "
        f"total's own; hidden before {before['suppressed'].sum()}, after "
        f"{after['suppressed'].sum()} of {len(table)}"
    )
    assert len(pinned_by_subtraction(before, all_lines=True)) == 295
    assert len(pinned_before) == 292
    assert pinned_by_subtraction(after) == set()
    pinned_with_total = pinned_by_subtraction(after, all_lines=True)
    assert len(pinned_with_total) == 24
    assert {(year, code) for _, year, code, _, _ in pinned_with_total} == {
        (2008, "equality_fairness")
    }
    assert after["suppressed"].sum() == 720 and before["suppressed"].sum() == 420
    totals = table["breakdown"] == "all"
    assert (after.loc[totals, "suppressed"] == before.loc[totals, "suppressed"]).all()
    # Every row the old gate hid stays hidden (34 were shown by the gate before same_across).
    assert int((before["suppressed"] & ~after["suppressed"]).sum()) == 0


def audit_failures(published: pd.DataFrame, folder: Path) -> set[tuple[str, str]]:
    """The whole-run audit's failures on ``code_frequencies`` written as a run folder."""
    tables = folder / "tables" / "comments"
    tables.mkdir(parents=True)
    shown = published.drop(columns=["suppression"]).copy()
    for column in ("commenters", "respondents", "comments"):
        shown[column] = shown[column].astype("Int64")
    shown.to_csv(tables / "code_frequencies.csv", index=False)
    (tables / "code_frequencies.json").write_text('{"count": "commenters"}', encoding="utf-8")
    result = audit_run(folder, year=2008, minimum_group_size=MINIMUM)
    assert result.ranges, "the audit solved nothing"
    return {(f.key.rsplit(", ", 1)[1], f.column) for f in result.failures}


def test_the_audit_reads_the_code_frequencies(tmp_path: Path) -> None:
    """The audit's linear programmes (``comments/code_frequencies`` in its relations) find
    the hidden sites C and D of the first case in [0, 0] before, and nothing after."""
    table = frequencies_of(NOBODY_HIDDEN_RAISED)
    before = audit_failures(gate_before(table), tmp_path / "before")
    assert {("site=C", "respondents"), ("site=D", "respondents")} <= before
    after = suppress_code_frequencies(table, minimum=MINIMUM)
    assert audit_failures(after, tmp_path / "after") == set()


def test_the_gated_table_keeps_its_mark_and_rows() -> None:
    from analysis.disclosure.marks import gated_structure

    table = frequencies_of(NOBODY_HIDDEN_RAISED)
    after = suppress_code_frequencies(table, minimum=MINIMUM)
    assert gated_structure(after) == "survey"
    assert after[["breakdown", "group", "year", "code_id", "label"]].equals(
        table[["breakdown", "group", "year", "code_id", "label"]]
    )


def test_the_organisations_own_figure_is_not_a_failure(tmp_path: Path) -> None:
    """One commenter of 62 raised the code, in the shown site A; the age bands' hidden cells
    then lie in [0, 1] only because the ``all`` row says 1 (the case rule 4 leaves, as the
    demo's 2008 equality and fairness). The audit counts that as the organisation's own
    figure, for the age band block as for the site block, and reports no failure."""
    sites = frequencies_of({"A": (30, 1), "B": (20, 0), "C": (5, 0), "D": (7, 0)})
    ages = frequencies_of({"16-30": (40, 0), "31-50": (15, 1), "51+": (7, 0)})
    ages = ages[ages["breakdown"] != "all"].assign(breakdown="age_band")
    table = pd.concat([sites, ages], ignore_index=True)
    after = suppress_code_frequencies(table, minimum=MINIMUM)
    assert after.set_index("group").loc[["51+", "31-50"], "suppressed"].all()
    assert audit_failures(after, tmp_path / "after") == set()


# --- a year without breakdowns: the gate's warning (issue #10) ------------------------------


def with_an_earlier_year(cells: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """``frequencies_of(cells)`` for 2008, after 2007's ``all`` row alone: 8 commenters, 2
    raising the code, as ``code_frequencies(group_year=2008)`` counts the years before the
    one its groups are counted for."""
    earlier = frequencies_of({"All staff": (8, 2)}).iloc[[0]].assign(year=2007)
    return pd.concat([earlier, frequencies_of(cells)], ignore_index=True)


def test_a_year_without_breakdowns_is_hidden_without_a_warning() -> None:
    """2007's ``all`` row has 8 commenters (under 11): hidden. Gated in one block with
    2008's sites (the comments gate's call before), the gate took it for a line of one cell
    (no site adds up to it in 2007) and warned that it equals a total published elsewhere,
    whatever else is hidden. No group adds up to it and the table shows nothing else of
    2007, so nothing there derives it, before or after. Gated on its own now, it is hidden
    with no warning, and 2008's rows are gated exactly as without 2007."""
    from analysis.disclosure import DisclosureWarning
    from analysis.disclosure.survey import suppress_breakdowns

    table = with_an_earlier_year(NOBODY_HIDDEN_RAISED)
    one_block = table.rename(columns={"breakdown": "group_type"})
    one_block["group_type"] = one_block["group_type"].replace({"all": "organisation"})
    with pytest.warns(DisclosureWarning, match=r"'year': 2007, 'code_id': 'bullying'"):
        before = suppress_breakdowns(
            one_block,
            count="commenters",
            for_each=["year", "code_id"],
            labels=["label"],
            answers=["respondents"],
            minimum=MINIMUM,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DisclosureWarning)
        after = suppress_code_frequencies(table, minimum=MINIMUM)
    assert after.loc[0, "suppression"] == "primary"
    assert after.loc[0, ["commenters", "respondents", "comments", "percent"]].isna().all()
    alone = suppress_code_frequencies(frequencies_of(NOBODY_HIDDEN_RAISED), minimum=MINIMUM)
    assert after["suppressed"].tolist() == [True, *alone["suppressed"]]
    assert after["suppressed"].tolist() == before["suppressed"].tolist()
    assert after.loc[after["year"] == 2007, "suppressed"].all()  # nothing of 2007 to subtract
