"""Tests of the disclosure gate and of the independent attacker that checks it."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from disclosure_attack import recoverable_cells, visible_small_counts

from analysis.disclosure import DisclosureWarning, suppress_small_groups
from analysis.disclosure import cells as disclosure

MINIMUM = 11  # the NHS Staff Survey's minimum group size, as in dataset.yml


def grid(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """A two-way table (row x col) from {(row, col): count}."""
    return pd.DataFrame(
        [{"row": r, "col": c, "n": n} for (r, c), n in counts.items()],
    )


def square(rows: str, cols: str, small: set[tuple[str, str]], big: int = 50) -> pd.DataFrame:
    """A complete rows x cols table with count 5 in the ``small`` cells and ``big`` elsewhere."""
    return grid({(r, c): 5 if (r, c) in small else big for r in rows for c in cols})


# Two hidden 2 x 2 blocks joined by one hidden cell, (1, c), in a 4 x 4 table.
BRIDGE = {
    ("1", "a"),
    ("1", "b"),
    ("2", "a"),
    ("2", "b"),
    ("3", "c"),
    ("3", "d"),
    ("4", "c"),
    ("4", "d"),
    ("1", "c"),
}


def pattern(result: pd.DataFrame) -> dict[tuple[str, str], str]:
    """{(row, col): suppression} for the suppressed cells of a two-way result."""
    hidden = result[result["suppressed"]]
    return dict(
        zip(zip(hidden["row"], hidden["col"], strict=True), hidden["suppression"], strict=True)
    )


# --- the attacker itself, on hand-made tables ---------------------------------------------


def test_attacker_recovers_the_only_hidden_cell_of_a_one_way_table():
    original = pd.DataFrame({"d": ["a", "b", "c"], "n": [7, 20, 30]})
    published = original.assign(n=[None, 20, 30])
    # The total 57 is known: a = 57 - 20 - 30 = 7.
    found = recoverable_cells(published, "n", ["d"], original=original)
    assert found == [{"d": "a", "recovered": 7.0}]


def test_attacker_cannot_split_two_hidden_cells_of_a_one_way_table():
    published = pd.DataFrame({"d": ["a", "b", "c"], "n": [None, None, 30]})
    # a + b = total - 30 is known, but not a or b alone.
    assert recoverable_cells(published, "n", ["d"]) == []


def test_attacker_recovers_a_lone_hidden_cell_of_a_two_way_table():
    original = grid({("r1", "c1"): 4, ("r1", "c2"): 30, ("r2", "c1"): 25, ("r2", "c2"): 40})
    published = original.assign(n=[None, 30, 25, 40])
    # Row r1's total 34 minus 30 = 4.
    found = recoverable_cells(published, "n", ["row", "col"], original=original)
    assert found == [{"row": "r1", "col": "c1", "recovered": 4.0}]


def test_attacker_uses_column_totals_when_a_row_has_two_hidden_cells():
    # Row r1 hides two cells, but each is alone in its column.
    original = grid(
        {
            ("r1", "c1"): 3,
            ("r1", "c2"): 6,
            ("r1", "c3"): 40,
            ("r2", "c1"): 20,
            ("r2", "c2"): 30,
            ("r2", "c3"): 50,
        }
    )
    published = original.assign(n=[None, None, 40, 20, 30, 50])
    found = recoverable_cells(published, "n", ["row", "col"], original=original)
    # Column c1's total 23 - 20 = 3; column c2's total 36 - 30 = 6.
    assert found == [
        {"row": "r1", "col": "c1", "recovered": 3.0},
        {"row": "r1", "col": "c2", "recovered": 6.0},
    ]


def test_attacker_cannot_break_a_rectangle_of_hidden_cells():
    original = square("ABC", "123", small={("A", "1")})
    hidden = {("A", "1"), ("A", "2"), ("B", "1"), ("B", "2")}
    published = original.assign(
        n=[None if (r, c) in hidden else n for r, c, n in original.itertuples(index=False)]
    )
    # Every row and column total has two unknowns: x, T1 - x, T2 - x, ... one free value.
    assert recoverable_cells(published, "n", ["row", "col"]) == []


def test_attacker_recovers_the_bridge_between_two_rectangles():
    # Two hidden rectangles joined by one hidden cell (r1, c3): every row and column has
    # at least two hidden cells, yet the bridge is recoverable:
    # (r1,c3) = total(r1) - [total(c1) + total(c2) - total(r2)] = 5.
    original = square("1234", "abcd", small=BRIDGE)
    published = original.assign(
        n=[None if (r, c) in BRIDGE else n for r, c, n in original.itertuples(index=False)]
    )
    found = recoverable_cells(published, "n", ["row", "col"], original=original)
    assert found == [{"row": "1", "col": "c", "recovered": 5.0}]


def test_attacker_recovers_a_lone_hidden_cell_of_a_three_way_table():
    cells = list(itertools.product("ab", "xy", "pq"))
    original = pd.DataFrame(cells, columns=["d1", "d2", "d3"]).assign(n=range(20, 28))
    published = original.assign(n=[None, *range(21, 28)])
    found = recoverable_cells(published, "n", ["d1", "d2", "d3"], original=original)
    assert found == [{"d1": "a", "d2": "x", "d3": "p", "recovered": 20.0}]


def test_attacker_treats_for_each_groups_as_separate_tables():
    # Two items, each with two hidden cells: safe within each item. Were the item a
    # dimension, the attacker would also have sums across items; here it must not.
    published = pd.DataFrame(
        {
            "item": ["q1", "q1", "q1", "q2", "q2", "q2"],
            "d": ["a", "b", "c", "a", "b", "c"],
            "n": [None, None, 30, 40, None, None],
        }
    )
    assert recoverable_cells(published, "n", ["d"], for_each=["item"]) == []
    # As one two-way table, column a has one hidden cell (q1) and so does column c (q2).
    assert len(recoverable_cells(published, "n", ["item", "d"])) == 4


# --- primary and secondary suppression, by hand ------------------------------------------


def test_one_way_table_hides_the_small_group_and_the_next_smallest():
    table = pd.DataFrame(
        {"directorate": ["A", "B", "C", "D"], "n": [5, 20, 30, 40], "percent": [60.0, 55, 70, 65]}
    )
    result = suppress_small_groups(table, count="n", dimensions=["directorate"], minimum=MINIMUM)
    # A (5 < 11) is primary; B (20) is the smallest other row, so 57 - 30 - 40 cannot
    # reveal A's 5.
    assert result["suppression"].tolist() == ["primary", "secondary", "", ""]
    assert result["suppressed"].tolist() == [True, True, False, False]
    assert result["n"].isna().tolist() == [True, True, False, False]
    assert result["percent"].isna().tolist() == [True, True, False, False]
    assert result.loc[2:, "n"].tolist() == [30, 40]
    assert result.loc[2:, "percent"].tolist() == [70.0, 65.0]


def test_two_small_groups_protect_each_other():
    table = pd.DataFrame({"d": ["a", "b", "c", "e"], "n": [5, 3, 40, 50]})
    result = suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    assert result["suppression"].tolist() == ["primary", "primary", "", ""]


@pytest.mark.parametrize(
    ("count", "hidden"),
    [(0, True), (1, True), (10, True), (11, False), (12, False)],
)
def test_primary_suppression_is_fewer_than_the_minimum_including_zero(count, hidden):
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [count, 11, 11]})
    result = suppress_small_groups(table, count="n", dimensions=["d"], values=[], minimum=MINIMUM)
    assert bool(result["suppressed"].iloc[0]) is hidden
    assert result["suppression"].iloc[0] == ("primary" if hidden else "")


def test_a_different_minimum_is_respected():
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [4, 5, 6]})
    result = suppress_small_groups(table, count="n", dimensions=["d"], minimum=5)
    # Only 4 < 5 is primary; 5 is the smallest remaining, so it is secondary.
    assert result["suppression"].tolist() == ["primary", "secondary", ""]


def test_two_way_table_ends_with_a_rectangle():
    table = grid(
        {
            ("A", "g1"): 5,
            ("A", "g2"): 30,
            ("A", "g3"): 40,
            ("B", "g1"): 25,
            ("B", "g2"): 50,
            ("B", "g3"): 60,
            ("C", "g1"): 35,
            ("C", "g2"): 45,
            ("C", "g3"): 70,
        }
    )
    result = suppress_small_groups(table, count="n", dimensions=["row", "col"], minimum=MINIMUM)
    # (A,g1) is primary. Column g1's smallest other cell is (B,g1)=25; row A's is
    # (A,g2)=30; row B then has one hidden cell, whose smallest partner is (B,g2)=50.
    # Now every row and column holds 0 or 2 hidden cells.
    assert pattern(result) == {
        ("A", "g1"): "primary",
        ("A", "g2"): "secondary",
        ("B", "g1"): "secondary",
        ("B", "g2"): "secondary",
    }


def test_ties_are_broken_by_dimension_values_whatever_the_row_order():
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [5, 20, 20]})
    first = suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    shuffled = suppress_small_groups(
        table.iloc[[2, 1, 0]], count="n", dimensions=["d"], minimum=MINIMUM
    )
    # b and c both have 20: b sorts first, whatever the order of the rows.
    assert first.set_index("d")["suppression"].to_dict() == {
        "a": "primary",
        "b": "secondary",
        "c": "",
    }
    assert shuffled.set_index("d")["suppression"].to_dict() == {
        "a": "primary",
        "b": "secondary",
        "c": "",
    }


def test_a_bridge_between_hidden_blocks_gets_a_further_complement():
    table = square("1234", "abcd", small=BRIDGE)
    result = suppress_small_groups(table, count="n", dimensions=["row", "col"], minimum=MINIMUM)
    # Every line already holds 0 or >= 2 small cells, so the line rule adds nothing, but
    # the bridge (1,c) is recoverable (see the attacker's test). The audit hides the
    # smallest visible cell on a line through it: all are 50, and (1,d) sorts first.
    assert pattern(result) == {**dict.fromkeys(BRIDGE, "primary"), ("1", "d"): "secondary"}
    assert recoverable_cells(result, "n", ["row", "col"]) == []


def test_for_each_splits_the_table_into_separate_tables():
    table = pd.DataFrame(
        {
            "item_id": ["q1"] * 3 + ["q2"] * 3,
            "directorate": ["A", "B", "C"] * 2,
            "n": [5, 20, 30, 15, 20, 30],
        }
    )
    result = suppress_small_groups(
        table, count="n", dimensions=["directorate"], for_each=["item_id"], minimum=MINIMUM
    )
    # q1: A primary, B secondary. q2 has no small group, so nothing is hidden there.
    assert result["suppression"].tolist() == ["primary", "secondary", "", "", "", ""]


def test_missing_dimension_values_are_a_category_of_their_own():
    table = pd.DataFrame({"gender": ["F", "M", None, "X"], "n": [40, 30, 5, 25]})
    result = suppress_small_groups(table, count="n", dimensions=["gender"], minimum=MINIMUM)
    # "Not stated" (5) is primary; X (25) is the smallest other.
    assert result["suppression"].tolist() == ["", "", "primary", "secondary"]


# --- what the output looks like -----------------------------------------------------------


def test_values_default_to_every_other_column_and_labels_stay_visible():
    table = pd.DataFrame(
        {
            "d": ["a", "b", "c"],
            "n": [5, 12, 30],
            "percent": [40.0, 50.0, 60.0],
            "significance": ["higher", "lower", "same"],
            "wording": ["w", "w", "w"],
        }
    )
    result = suppress_small_groups(
        table, count="n", dimensions=["d"], labels=["wording"], minimum=MINIMUM
    )
    assert result["significance"].isna().tolist() == [True, True, False]
    assert result["percent"].isna().tolist() == [True, True, False]
    assert result["wording"].tolist() == ["w", "w", "w"]
    assert result["d"].tolist() == ["a", "b", "c"]


def test_hidden_counts_are_missing_never_zero_and_integers_stay_integers():
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [0, 12, 30], "n_positive": [0, 6, 20]})
    result = suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    assert str(result["n"].dtype) == "Int64"
    assert str(result["n_positive"].dtype) == "Int64"
    assert result["n"].isna().tolist() == [True, True, False]
    assert result["n_positive"].isna().tolist() == [True, True, False]
    assert (result["n"].fillna(-1) != 0).all()


def test_the_input_table_is_not_changed():
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [5, 12, 30], "p": [1.0, 2.0, 3.0]})
    before = table.copy()
    suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    pd.testing.assert_frame_equal(table, before)


def test_no_suppression_needed_leaves_figures_as_they_were():
    table = pd.DataFrame({"d": ["a", "b"], "n": [11, 300], "p": [0.5, 0.25]})
    result = suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    assert not result["suppressed"].any()
    assert result["suppression"].tolist() == ["", ""]
    assert result["p"].tolist() == [0.5, 0.25]


def test_a_single_row_table_needs_no_dimensions():
    small = suppress_small_groups(
        pd.DataFrame({"n": [7]}), count="n", dimensions=[], minimum=MINIMUM
    )
    large = suppress_small_groups(
        pd.DataFrame({"n": [70]}), count="n", dimensions=[], minimum=MINIMUM
    )
    assert small["suppression"].tolist() == ["primary"]
    assert large["suppression"].tolist() == [""]


def test_a_group_with_a_single_row_along_a_dimension_warns():
    # Directorate E has only one staff group: that cell *is* E's total, so no neighbour
    # can protect it.
    table = grid({("D", "nurse"): 30, ("D", "admin"): 40, ("E", "estates"): 6})
    with pytest.warns(DisclosureWarning, match="single row"):
        result = suppress_small_groups(table, count="n", dimensions=["row", "col"], minimum=MINIMUM)
    assert pattern(result) == {("E", "estates"): "primary"}


def test_a_protectable_table_does_not_warn():
    table = square("AB", "xy", small={("A", "x")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = suppress_small_groups(table, count="n", dimensions=["row", "col"], minimum=MINIMUM)
    assert result["suppressed"].all()  # a 2x2 table with one small cell hides all four


# --- input checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"count": "respondents", "dimensions": ["d"]}, "count column 'respondents'"),
        ({"count": "n", "dimensions": ["directorate"]}, "dimension column 'directorate'"),
        ({"count": "n", "dimensions": ["d"], "values": ["pct"]}, "value column 'pct'"),
        ({"count": "n", "dimensions": ["d"], "values": []}, "'p' are not named"),
        ({"count": "n", "dimensions": ["d", "n"]}, "named both as count and as dimension"),
        ({"count": "n", "dimensions": "d"}, "list of column names"),
        ({"count": "n", "dimensions": ["d"], "minimum": 0}, "at least 1"),
        ({"count": "n", "dimensions": []}, "no dimensions"),
    ],
)
def test_bad_arguments_raise_helpful_errors(arguments, message):
    table = pd.DataFrame({"d": ["a", "b"], "n": [5, 20], "p": [1.0, 2.0]})
    with pytest.raises(ValueError, match=message):
        suppress_small_groups(table, **{"minimum": 11, **arguments})


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([5, -1], r"negative in row\(s\) \[1\]"),
        ([5, None], r"missing in row\(s\) \[1\]"),
        (["5", "20"], "must hold numbers"),
        ([True, False], "must hold numbers"),
    ],
)
def test_bad_counts_raise_helpful_errors(counts, message):
    table = pd.DataFrame({"d": ["a", "b"], "n": counts})
    with pytest.raises(ValueError, match=message):
        suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)


def test_repeated_cells_raise():
    table = pd.DataFrame({"d": ["a", "a"], "n": [5, 20]})
    with pytest.raises(ValueError, match="one row per cell"):
        suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)


def test_an_already_suppressed_table_is_refused():
    table = pd.DataFrame({"d": ["a", "b", "c"], "n": [5, 20, 30]})
    once = suppress_small_groups(table, count="n", dimensions=["d"], minimum=MINIMUM)
    with pytest.raises(ValueError, match="already suppressed"):
        suppress_small_groups(once, count="n", dimensions=["d"], minimum=MINIMUM)


# --- property-style tests: random tables through the gate, then the attacker ---------------


def random_table(rng: np.random.Generator, shape: tuple[int, ...], missing: float = 0.0):
    """A random table of the given shape, with many small counts; some cells may be absent."""
    names = [f"d{i}" for i in range(len(shape))]
    cells = list(itertools.product(*[[f"v{j}" for j in range(size)] for size in shape]))
    table = pd.DataFrame(cells, columns=names)
    share_small = rng.uniform(0.05, 0.5)
    small = rng.random(len(table)) < share_small
    table["n"] = np.where(small, rng.integers(0, 11, len(table)), rng.integers(11, 120, len(table)))
    table["percent"] = rng.uniform(0, 100, len(table))
    if missing:
        table = table[rng.random(len(table)) >= missing].reset_index(drop=True)
    return table, names


def check_safe(result: pd.DataFrame, original: pd.DataFrame, names: list[str], minimum: int):
    assert recoverable_cells(result, "n", names) == []
    assert visible_small_counts(result, "n", minimum) == []
    assert (result["n"].isna() == result["suppressed"]).all()
    assert (result["percent"].isna() == result["suppressed"]).all()
    assert (result["suppressed"] >= (original["n"] < minimum)).all()


# Large enough that the line rule alone sometimes leaves a recoverable "bridge" cell (about
# one table in five at 8 x 8 or 4 x 4 x 4), so the audit step is exercised too.
SHAPES = {
    "one-way": [(k,) for k in range(2, 10)],
    "two-way": [(a, b) for a in (2, 3, 5, 8) for b in (2, 4, 6, 8)],
    "three-way": [(2, 2, 2), (2, 3, 4), (3, 3, 3), (4, 4, 4), (3, 5, 4)],
}


@pytest.mark.parametrize("kind", list(SHAPES))
def test_random_complete_tables_leave_nothing_recoverable(kind):
    rng = np.random.default_rng({"one-way": 1, "two-way": 2, "three-way": 3}[kind])
    for trial in range(40):
        shape = SHAPES[kind][trial % len(SHAPES[kind])]
        minimum = int(rng.choice([5, 11, 11, 20]))
        table, names = random_table(rng, shape)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DisclosureWarning)  # always protectable here
            result = suppress_small_groups(table, count="n", dimensions=names, minimum=minimum)
        check_safe(result, table, names, minimum)


def test_random_incomplete_tables_leave_only_what_no_pattern_can_protect():
    rng = np.random.default_rng(4)
    for trial in range(40):
        shape = [(3, 4), (4, 4), (2, 3, 3)][trial % 3]
        table, names = random_table(rng, shape, missing=0.25)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DisclosureWarning)
            result = suppress_small_groups(table, count="n", dimensions=names, minimum=MINIMUM)
        everything_hidden = table.assign(n=np.nan)
        unprotectable = recoverable_cells(everything_hidden, "n", names)
        found = recoverable_cells(result, "n", names)
        assert all(cell in unprotectable for cell in found)
        assert visible_small_counts(result, "n", 11) == []


def test_large_components_use_sparse_null_vectors_with_the_same_result(monkeypatch):
    # Components with more than _DENSE_LIMIT hidden cells are checked with random
    # null-space vectors (LSQR) instead of a dense SVD. Forcing that path on every
    # component must still leave nothing for the attacker, bridges included.
    monkeypatch.setattr(disclosure, "_DENSE_LIMIT", 0)
    rng = np.random.default_rng(5)
    for trial in range(30):
        shape = [(8, 8), (4, 4, 4), (3, 5, 4)][trial % 3]
        table, names = random_table(rng, shape)
        result = suppress_small_groups(table, count="n", dimensions=names, minimum=MINIMUM)
        check_safe(result, table, names, 11)
    bridge_table = square("1234", "abcd", small=BRIDGE)
    result = suppress_small_groups(
        bridge_table, count="n", dimensions=["row", "col"], minimum=MINIMUM
    )
    assert pattern(result) == {**dict.fromkeys(BRIDGE, "primary"), ("1", "d"): "secondary"}
