"""The rest of the organisation: a group that holds all but 5 respondents must not reveal them.

In the package built here, 100 staff answered in each year: 95 in Community, 3 in Corporate
and 2 who did not state their directorate. The gate alone hides Corporate and *Not stated*
(fewer than 11 each) and no single hidden cell can be worked out, but their sum can: the
organisation's row minus Community's is the 5 others, and ``group_differences`` publishes
Community against exactly those 5 (``rest_n = 5``). The attacker below knows every shown
count and that each breakdown adds up to its margins and to the organisation; it tests
every set of hidden cells, not just single ones (Hundepool et al. 2012, Statistical
Disclosure Control, Wiley, ch. 4: a figure is disclosed when the published figures
determine it).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from disclosure_attack import recoverable_cells, visible_small_counts
from package_builder import minimal_tables, write_package
from test_survey_suppression import cell_key

from analysis.datapackage import load_data_package
from analysis.survey import survey_tables
from analysis.survey.stage import stage_tables

MINIMUM = 11
CROSSING = "directorate x staff_group"
# (directorate, staff group): respondents per year. Community holds 95 of the 100.
CELLS = {
    ("Community", "Nursing"): 60,
    ("Community", "Admin"): 35,
    ("Corporate", "Nursing"): 1,
    ("Corporate", "Admin"): 2,
    (None, "Nursing"): 1,
    (None, "Admin"): 1,
}


def _package(folder) -> object:
    tables = minimal_tables()
    rng = np.random.default_rng(5)
    rows = []
    for year in (2022, 2023):
        for (directorate, staff_group), size in CELLS.items():
            for _ in range(size):
                rows.append(
                    {
                        "respondent_id": f"R{len(rows) + 1}",
                        "year": year,
                        "directorate": directorate,
                        "staff_group": staff_group,
                        "team_id": None,
                        "q1": int(rng.integers(1, 6)),
                        "q2": int(rng.integers(1, 3)),
                        "q3": int(rng.integers(1, 6)) if year == 2023 else None,
                    }
                )
    tables["responses"] = pd.DataFrame(rows).astype(object)
    staff = [
        (year, directorate, staff_group, size + 10)
        for year in (2022, 2023)
        for (directorate, staff_group), size in CELLS.items()
        if directorate is not None
    ]
    tables["staff"] = pd.DataFrame(
        staff, columns=["year", "directorate", "staff_group", "headcount"]
    ).astype(object)
    for name in ("comments", "codings", "quotes_approved"):  # about the minimal package's comments
        del tables[name]
    return load_data_package(write_package(folder, tables))


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return _package(tmp_path_factory.mktemp("rest"))


@pytest.fixture(scope="module")
def published(package):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Not stated x Nursing is alone in its line
        return stage_tables(package, 2023, outcome="Engagement")


def recoverable_sums(linked: pd.DataFrame, count: str) -> list[tuple[frozenset, float]]:
    """Every set of hidden cells whose total the shown counts determine, with that total.

    ``linked`` holds the organisation, directorate, staff group and crossing rows of one
    item and year, with the true counts in ``true`` and the published ones in ``count``.
    The relations are: each directorate's cells add up to it, each staff group's cells add
    up to it, and the directorates and the staff groups each add up to the organisation.
    A set's total is determined when its indicator vector lies in the row space of the
    relations restricted to hidden cells.
    """
    keys = [cell_key(t, g) for t, g in zip(linked["group_type"], linked["group"], strict=True)]
    index = {key: position for position, key in enumerate(keys)}
    directorates = sorted({d for d, _ in keys if d != "All"})
    groups = sorted({g for _, g in keys if g != "All"})
    relations = []
    for d in directorates:
        relations.append({**{(d, g): 1 for g in groups if (d, g) in index}, (d, "All"): -1})
    for g in groups:
        relations.append({**{(d, g): 1 for d in directorates if (d, g) in index}, ("All", g): -1})
    relations.append({**{(d, "All"): 1 for d in directorates}, ("All", "All"): -1})
    relations.append({**{("All", g): 1 for g in groups}, ("All", "All"): -1})
    matrix = np.zeros((len(relations), len(keys)))
    for row, relation in enumerate(relations):
        for key, coefficient in relation.items():
            matrix[row, index[key]] = coefficient
    hidden = np.flatnonzero(linked[count].isna().to_numpy())
    restricted = matrix[:, hidden]
    rank = np.linalg.matrix_rank(restricted)
    truth = linked["true"].to_numpy(dtype=float)
    found = []
    for size in range(1, hidden.size + 1):
        for chosen in itertools.combinations(range(hidden.size), size):
            indicator = np.zeros((1, hidden.size))
            indicator[0, list(chosen)] = 1
            if np.linalg.matrix_rank(np.vstack([restricted, indicator])) == rank:
                cells = frozenset(keys[hidden[i]] for i in chosen)
                found.append((cells, float(truth[hidden[list(chosen)]].sum())))
    return found


def test_before_the_gate_community_is_compared_with_the_five_others(package):
    tables = survey_tables(package, outcome="Engagement")
    differences = tables["group_differences"].set_index(["year", "group", "item_id"])
    row = differences.loc[(2023, "Community", "enthusiastic")]
    # 100 answered q1 in 2023; Community 95 of them, so the rest is 100 - 95 = 5.
    assert (row.n, row.rest_n) == (95, 5)
    assert not np.isnan(row.rest_pct)


def test_no_rest_below_the_minimum_is_published(published):
    differences = published["group_differences"]
    shown = differences[~differences["suppressed"]]
    assert (shown["rest_n"] >= MINIMUM).all()
    community = differences[differences["group"] == "Community"]
    figures = ["n", "pct", "rest_n", "rest_pct", "diff_pp", "pct_weighted", "rest_pct_weighted"]
    assert community["suppressed"].all()
    assert community[figures].isna().all().all()


def test_no_shown_group_leaves_a_small_rest_of_the_organisation_row(published):
    for name in ("item_scores", "theme_scores", "key_finding_scores", "response_rates"):
        table = published[name]
        count = "respondents" if name == "response_rates" else "n"
        key = "item_id" if "item_id" in table.columns else "theme" if "theme" in table else None
        keys = ["year"] if key is None else ["year", key]
        organisation = table[table["group_type"] == "organisation"].set_index(keys)[count]
        groups = table[(table["group_type"] != "organisation") & ~table["suppressed"]]
        total = organisation.reindex(pd.MultiIndex.from_frame(groups[keys])).to_numpy()
        rest = total.astype(float) - groups[count].to_numpy(dtype=float)
        # A shown group is the whole organisation (rest 0) or leaves at least 11 others.
        assert ((rest == 0) | (rest >= MINIMUM)).all(), name
        assert visible_small_counts(table, count, MINIMUM) == [], name
    scores = published["item_scores"].set_index(["year", "group", "item_id"])
    assert scores.loc[(2023, "Community", "enthusiastic"), "suppressed"]
    assert not scores.loc[(2023, "Testfield Primary Care Trust", "enthusiastic"), "suppressed"]


def test_the_attacker_recovers_no_hidden_cell_of_the_directorates(published):
    scores = published["item_scores"]
    directorates = scores[scores["group_type"] == "directorate"]
    assert recoverable_cells(directorates, "n", ["group"], for_each=["year", "item_id"]) == []


def test_no_set_of_hidden_cells_adds_up_to_fewer_than_the_minimum(package, published):
    true = survey_tables(package, outcome="Engagement")["item_scores"]
    scores = published["item_scores"].assign(true=true["n"].to_numpy())
    checked = 0
    for (year, item_id), linked in scores.groupby(["year", "item_id"]):
        linked = linked[
            linked["group_type"].isin(["organisation", *CROSSING.split(" x "), CROSSING])
        ]
        for cells, total in recoverable_sums(linked.reset_index(drop=True), "n"):
            checked += 1
            assert total >= MINIMUM, (year, item_id, sorted(cells), total)
    # The whole organisation's hidden cells are always determined (e.g. the directorates
    # add up to the shown organisation row), so the check ran.
    assert checked > 0
