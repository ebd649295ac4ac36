"""Disclosure control of the survey tables: margins, crossings and derived tables together.

An attacker who sees the published item scores knows every visible count and that each
crossing's cells add up to its margins and the margins to the organisation. The attacker
here is independent of the gate: it writes those relations as a matrix and tests each
hidden count with a rank test (Hundepool et al. 2012, Statistical Disclosure Control, ch. 4:
a cell is disclosed when the published figures determine it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from package_builder import write_package

from analysis.datapackage import load_data_package
from analysis.disclosure import suppress_small_groups
from analysis.survey import suppress_survey_table, suppress_survey_tables, survey_tables

CROSSING = "directorate x staff_group"
# Directorate x staff group counts; D4 is small. Its smallest partner among directorates is
# D3 (30), whose cells (15, 15) are not the smallest of their columns.
CELLS = {
    ("D1", "G1"): 40,
    ("D1", "G2"): 11,
    ("D2", "G1"): 12,
    ("D2", "G2"): 40,
    ("D3", "G1"): 15,
    ("D3", "G2"): 15,
    ("D4", "G1"): 3,
    ("D4", "G2"): 2,
}

MINIMUM = 11  # the NHS Staff Survey's minimum group size, as in dataset.yml


def _item_scores() -> pd.DataFrame:
    rows = [("organisation", "Org", sum(CELLS.values()))]
    for directorate in ["D1", "D2", "D3", "D4"]:
        total = sum(n for (d, _), n in CELLS.items() if d == directorate)
        rows.append(("directorate", directorate, total))
    for group in ["G1", "G2"]:
        rows.append(("staff_group", group, sum(n for (_, g), n in CELLS.items() if g == group)))
    rows += [(CROSSING, f"{d} | {g}", n) for (d, g), n in CELLS.items()]
    table = pd.DataFrame(rows, columns=["group_type", "group", "n"])
    table.insert(0, "year", 2023)
    table.insert(3, "item_id", "a")
    table["pct_positive"] = 50.0
    return table


def cell_key(group_type: str, group: str) -> tuple[str, str]:
    """A row's (directorate, staff group) cell in the linked table; "All" for a margin."""
    if group_type == "organisation":
        return ("All", "All")
    if group_type == "directorate":
        return (group, "All")
    if group_type == "staff_group":
        return ("All", group)
    directorate, staff_group = group.split(" | ")
    return (directorate, staff_group)


def recoverable(published: pd.DataFrame) -> list[tuple[str, str]]:
    """Hidden cells of the linked table that the visible counts determine."""
    keys = [cell_key(t, g) for t, g in zip(published.group_type, published.group, strict=True)]
    index = {key: position for position, key in enumerate(keys)}
    directorates = sorted({d for d, _ in keys if d != "All"})
    groups = sorted({g for _, g in keys if g != "All"})
    relations = []
    for d in directorates:  # cells of a directorate minus its margin = 0
        relations.append({**{(d, g): 1 for g in groups if (d, g) in index}, (d, "All"): -1})
    for g in groups:
        relations.append({**{(d, g): 1 for d in directorates if (d, g) in index}, ("All", g): -1})
    relations.append({**{(d, "All"): 1 for d in directorates}, ("All", "All"): -1})
    relations.append({**{("All", g): 1 for g in groups}, ("All", "All"): -1})
    matrix = np.zeros((len(relations), len(keys)))
    for row, relation in enumerate(relations):
        for key, coefficient in relation.items():
            matrix[row, index[key]] = coefficient
    hidden = np.flatnonzero(published["n"].isna().to_numpy())
    restricted = matrix[:, hidden]
    rank = np.linalg.matrix_rank(restricted)
    found = []
    for position, cell in enumerate(hidden):
        unit = np.zeros((1, hidden.size))
        unit[0, position] = 1
        if np.linalg.matrix_rank(np.vstack([restricted, unit])) == rank:
            found.append(keys[cell])
    return found


def test_gating_margins_and_crossing_apart_would_reveal_the_small_directorate():
    table = _item_scores()
    crossing = table[table.group_type == CROSSING].copy()
    crossing[["directorate", "staff_group"]] = (
        crossing["group"].str.split(" | ", regex=False).tolist()
    )
    apart = []
    for group_type, dimensions, part in [
        ("directorate", ["group"], table[table.group_type == "directorate"]),
        ("staff_group", ["group"], table[table.group_type == "staff_group"]),
        (CROSSING, ["directorate", "staff_group"], crossing),
    ]:
        gated = suppress_small_groups(
            part,
            count="n",
            dimensions=dimensions,
            for_each=["year", "item_id"],
            labels=["group_type", "group"] if group_type == CROSSING else ["group_type"],
            minimum=MINIMUM,
        )
        apart.append(gated)
    published = pd.concat([table[table.group_type == "organisation"], *apart], ignore_index=True)
    # D3's margin is hidden beside D4's, but D3's cells (15 + 15) are shown: D3 = 30, so
    # D4 = Org - D1 - D2 - D3 = 5.
    assert ("D4", "All") in recoverable(published)


def test_linked_gating_leaves_nothing_recoverable():
    published = suppress_survey_table(_item_scores(), "item_scores", minimum=11)
    assert recoverable(published) == []
    hidden = published.set_index("group")["suppressed"]
    assert hidden[["D4", "D4 | G1", "D4 | G2"]].all()
    assert not hidden["Org"]
    assert published.loc[published.suppressed, "pct_positive"].isna().all()
    assert published.loc[~published.suppressed, "n"].notna().all()


def test_a_larger_minimum_still_leaves_nothing_recoverable():
    published = suppress_survey_table(_item_scores(), "item_scores", minimum=16)
    assert recoverable(published) == []
    assert published.set_index("group").loc["D3 | G1", "suppressed"]


def test_changes_are_hidden_wherever_either_year_is():
    scores = pd.concat(
        [_item_scores(), _item_scores().assign(year=2022, n=lambda t: t["n"] + 10)],
        ignore_index=True,
    )
    gated = suppress_survey_table(scores, "item_scores", minimum=11)
    changes = pd.DataFrame(
        {
            "item_id": "a",
            "group_type": ["directorate", "directorate"],
            "group": ["D1", "D4"],
            "year": 2023,
            "base_year": 2022,
            "pct": 50.0,
            "base_pct": 50.0,
            "diff_pp": 0.0,
            "significant": False,
        }
    )
    published = suppress_survey_table(changes, "changes_weighted", minimum=11, item_scores=gated)
    assert published["suppressed"].tolist() == [False, True]
    assert published.loc[1, ["pct", "base_pct", "diff_pp", "significant"]].isna().all()
    with pytest.raises(ValueError, match="derived from the item scores"):
        suppress_survey_table(changes, "changes", minimum=11)


def test_every_table_of_the_tiny_package_passes_the_gate(tmp_path):
    package = load_data_package(write_package(tmp_path / "tiny"))
    tables = survey_tables(package)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a package this small has unprotectable cells
        published = suppress_survey_tables(tables, minimum=11)
    assert set(published) == set(tables)
    # Nine respondents in all: with a minimum of 11 every figure is hidden.
    for name, table in published.items():
        assert table["suppressed"].all(), name
    scores = published["item_scores"]
    assert scores[["n", "pct_positive", "pct_positive_weighted", "mean"]].isna().all().all()


def test_derived_tables_hide_exactly_the_rows_resting_on_hidden_scores(tmp_path):
    package = load_data_package(write_package(tmp_path / "tiny"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        published = suppress_survey_tables(survey_tables(package), minimum=2)
    scores = published["item_scores"]
    assert (scores.loc[~scores.suppressed, "n"] >= 2).all()
    assert scores["suppressed"].any() and not scores["suppressed"].all()
    hidden = scores.set_index(["item_id", "group_type", "group", "year"])["suppressed"]
    changes = published["changes"]
    for row in changes.itertuples(index=False):
        now = hidden[(row.item_id, row.group_type, row.group, row.year)]
        before = hidden[(row.item_id, row.group_type, row.group, row.base_year)]
        assert row.suppressed == (now or before)
    differences = published["group_differences"]
    for row in differences.itertuples(index=False):
        assert row.suppressed == hidden[(row.item_id, row.group_type, row.group, row.year)]
    assert differences.loc[differences.suppressed, "rest_n"].isna().all()


def test_an_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown survey table 'scores'"):
        suppress_survey_table(_item_scores(), "scores", minimum=11)
