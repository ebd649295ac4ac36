"""Change over time: comparable series, z-tests and p-value adjustment, against R.

Items a, c and d were asked 2021-2023; b was not asked in 2022; c was reworded in 2023 (its
2023 answers start a new series). Organisation counts (positive / valid):

    item  2021    2022    2023
    a     40/80   50/80   60/80
    b     30/60   -       45/60
    c     20/50   25/50   30/50   (reworded)
    d     30/80   31/80   -

R 4.2.2: ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value`` and ``p.adjust``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.survey import CHANGE_COLUMNS, changes, comparison_years

COUNTS = {
    ("a", 2021): (40, 80),
    ("a", 2022): (50, 80),
    ("a", 2023): (60, 80),
    ("b", 2021): (30, 60),
    ("b", 2023): (45, 60),
    ("c", 2021): (20, 50),
    ("c", 2022): (25, 50),
    ("c", 2023): (30, 50),
    ("d", 2021): (30, 80),
    ("d", 2022): (31, 80),
}
# R: prop.test(c(50, 40), c(80, 80)), (25, 20)/(50, 50), (31, 30)/(80, 80), (60, 50)/(80, 80),
#    (60, 40)/(80, 80), (45, 30)/(60, 60), all correct = FALSE
P_A_2022 = 0.111017105512186
P_C_2022 = 0.31487864133642
P_D_2022 = 0.870698611072045
P_A_2023_2022 = 0.0880815116621899
P_A_2023_2021 = 0.0010908351761253
P_B_2023_2021 = 0.00467773498104727


def _questionnaire() -> pd.DataFrame:
    rows = [
        (year, item, (year, item) not in {(2021, "a"), (2021, "b"), (2021, "c"), (2021, "d")})
        for item, year in COUNTS
    ]
    table = pd.DataFrame(rows, columns=["year", "item_id", "comparable_with_previous"])
    table.loc[(table.item_id == "c") & (table.year == 2023), "comparable_with_previous"] = False
    return table


def _scores() -> pd.DataFrame:
    rows = [("organisation", "Org", item, year, x, n) for (item, year), (x, n) in COUNTS.items()]
    return pd.DataFrame(rows, columns=["group_type", "group", "item_id", "year", "n_positive", "n"])


def _row(table, item_id, year, base_year):
    chosen = table[
        (table.item_id == item_id) & (table.year == year) & (table.base_year == base_year)
    ]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_only_comparable_years_are_compared():
    pairs = comparison_years(_questionnaire())
    assert list(pairs.itertuples(index=False, name=None)) == [
        ("a", 2022, 2021),
        ("a", 2023, 2022),
        ("a", 2023, 2021),
        ("b", 2023, 2021),  # not asked in 2022: the previous year asked is 2021
        ("c", 2022, 2021),  # 2023 was reworded: a new series with nothing to compare
        ("d", 2022, 2021),
    ]


def test_unweighted_changes_match_prop_test():
    table = changes(_scores(), _questionnaire())
    assert list(table.columns) == list(CHANGE_COLUMNS)
    assert len(table) == 6
    row = _row(table, "a", 2022, 2021)
    # 50/80 = 62.5% against 40/80 = 50%: 12.5 points.
    assert (row.pct, row.base_pct, row.diff_pp) == pytest.approx((62.5, 50.0, 12.5))
    assert row.p_value == pytest.approx(P_A_2022, rel=1e-12)
    assert row.p_adjusted == row.p_value
    assert not row.significant
    row = _row(table, "a", 2023, 2021)
    assert row.p_value == pytest.approx(P_A_2023_2021, rel=1e-12)
    assert row.significant
    assert _row(table, "a", 2023, 2022).p_value == pytest.approx(P_A_2023_2022, rel=1e-12)
    assert _row(table, "b", 2023, 2021).p_value == pytest.approx(P_B_2023_2021, rel=1e-12)


@pytest.mark.parametrize(
    ("method", "expected_2022", "expected_2023"),
    [
        # R: p.adjust(c(pa, pc, pd), "holm") and p.adjust(c(pa23, pb23), "holm")
        (
            "holm",
            (0.333051316536557, 0.62975728267284, 0.870698611072045),
            (0.0021816703522506, 0.00467773498104727),
        ),
        # R: p.adjust(..., "BH")
        (
            "bh",
            (0.333051316536557, 0.47231796200463, 0.870698611072045),
            (0.0021816703522506, 0.00467773498104727),
        ),
    ],
)
def test_p_values_are_adjusted_across_the_items_of_one_comparison(
    method, expected_2022, expected_2023
):
    table = changes(_scores(), _questionnaire(), adjust=method)
    family_2022 = [_row(table, item, 2022, 2021).p_adjusted for item in "acd"]
    np.testing.assert_allclose(family_2022, expected_2022, rtol=1e-12)
    family_2023 = [_row(table, item, 2023, 2021).p_adjusted for item in "ab"]
    np.testing.assert_allclose(family_2023, expected_2023, rtol=1e-12)
    # a alone is compared 2023 against 2022: nothing to adjust for.
    assert _row(table, "a", 2023, 2022).p_adjusted == pytest.approx(P_A_2023_2022, rel=1e-12)


def test_weighted_changes_use_the_standard_errors():
    scores = _scores()
    scores["pct_positive_weighted"] = [55.0, 62.0, 60.0, 50.0, 60.0, 40.0, 50.0, 60.0, 37.5, 38.0]
    scores["se_weighted"] = [4.0, 3.0, 3.0, 5.0, 5.0, 6.0, 6.0, 6.0, 5.0, 5.0]
    table = changes(scores, _questionnaire(), weighted=True)
    row = _row(table, "a", 2022, 2021)
    # z = (62 - 55) / sqrt(3^2 + 4^2) = 7 / 5 = 1.4; p = 2 (1 - pnorm(1.4)) = 0.161513318...
    assert (row.diff_pp, row.z) == pytest.approx((7.0, 1.4))
    assert row.p_value == pytest.approx(0.16151331846754, rel=1e-10)


def test_groups_are_compared_with_themselves_only():
    scores = _scores()
    directorate = scores.assign(group_type="directorate", group="North", n_positive=scores.n // 2)
    table = changes(pd.concat([scores, directorate], ignore_index=True), _questionnaire())
    north = table[table.group == "North"]
    assert len(north) == 6
    assert (north["diff_pp"].abs() < 1).all()  # half positive every year


def test_a_change_with_no_variation_is_not_significant():
    scores = _scores()
    scores["n_positive"] = scores["n"]  # everybody positive every year
    table = changes(scores, _questionnaire())
    assert table["z"].isna().all()
    assert not table["significant"].any()


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"no column\(s\) \['pct_positive_weighted'"):
        changes(_scores(), _questionnaire(), weighted=True)
    with pytest.raises(ValueError, match="adjust must be None or one of"):
        changes(_scores(), _questionnaire(), adjust="bonferroni")
