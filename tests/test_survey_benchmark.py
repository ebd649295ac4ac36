"""Comparator statistics, rank, quintile and better/similar/worse, by hand and against R.

Four comparators answered items x and y in 2023, 100 valid answers each, with 40, 50, 60
and 70 positive: worst 40, median 55, average 55, best 70 (when high is good). The
organisation's own published row (5TF) is in the table too and must be ignored.
"""

from __future__ import annotations

import pandas as pd
import pytest
from package_builder import write_package

from analysis.datapackage import load_data_package
from analysis.survey import BENCHMARK_COLUMNS, benchmark, comparator_statistics, survey_tables


def _comparators() -> pd.DataFrame:
    rows = [
        (2023, code, item, 100, positive)
        for item in ("x", "y")
        for code, positive in zip(("5AA", "5BB", "5CC", "5DD"), (40, 50, 60, 70), strict=True)
    ]
    rows += [(2023, "5TF", "x", 100, 99), (2023, "5EE", "x", 0, 0)]
    return pd.DataFrame(rows, columns=["year", "organisation_code", "item_id", "n", "n_positive"])


def _own() -> pd.DataFrame:
    # x: 150 of 200 positive. R: prop.test(150, 200, correct = FALSE)$conf.int ->
    #    0.685659016879542 0.804918319931825
    # y: 100 of 200. R: prop.test(100, 200, correct = FALSE)$conf.int ->
    #    0.431360859603892 0.568639140396108
    return pd.DataFrame(
        {
            "group_type": ["organisation", "organisation", "directorate"],
            "year": 2023,
            "item_id": ["x", "y", "x"],
            "n": [200, 200, 20],
            "pct_positive": [75.0, 50.0, 10.0],
            "ci_low": [68.5659016879542, 43.1360859603892, 0.0],
            "ci_high": [80.4918319931825, 56.8639140396108, 30.0],
        }
    )


def test_comparator_statistics_leave_out_the_organisation_and_empty_rows():
    stats = comparator_statistics(_comparators(), exclude=["5TF"]).set_index("item_id")
    # 5EE has no valid answer and 5TF is the organisation itself.
    assert stats.loc["x", "comparators"] == 4
    assert stats.loc["x", ["worst", "median", "average", "best"]].tolist() == [40, 55, 55, 70]


def test_lower_is_better_swaps_worst_and_best():
    stats = comparator_statistics(_comparators(), ["5TF"], lower_is_better=["y"])
    row = stats.set_index("item_id").loc["y"]
    assert (row.worst, row.best) == (70.0, 40.0)


def test_rank_quintile_and_comparison():
    table = benchmark(_own(), _comparators(), "5TF")
    assert list(table.columns) == list(BENCHMARK_COLUMNS)
    table = table.set_index("item_id")
    x, y = table.loc["x"], table.loc["y"]
    # x: 75% beats all four comparators: rank 1 of 5, quintile ceil(5 x 1 / 5) = 1; its
    # interval 68.6-80.5 lies above the average 55: better.
    assert (x["rank"], x.organisations, x.quintile, x.comparison) == (1, 5, 1, "better")
    # y: 50% is beaten by 60 and 70: rank 3, quintile ceil(15 / 5) = 3; 43.1-56.9 holds 55.
    assert (y["rank"], y.quintile, y.comparison) == (3, 3, "similar")
    assert len(table) == 2  # the directorate row is not the organisation


def test_rank_and_comparison_respect_lower_is_better():
    own = _own()
    own.loc[1, ["pct_positive", "ci_low", "ci_high"]] = [30.0, 24.0, 36.5]
    table = benchmark(own, _comparators(), "5TF", lower_is_better=["y"]).set_index("item_id")
    y = table.loc["y"]
    # 30% is lower than every comparator and low is good: rank 1; the interval lies below
    # the average 55, which is better here.
    assert (y["rank"], y.quintile, y.comparison, y.best) == (1, 1, "better", 40.0)


def test_weighted_benchmark_uses_the_weighted_interval():
    own = _own().assign(
        pct_positive_weighted=[52.0, 50.0, 10.0],
        ci_low_weighted=[44.0, 40.0, 0.0],
        ci_high_weighted=[60.0, 60.0, 30.0],
    )
    x = benchmark(own, _comparators(), "5TF", weighted=True).set_index("item_id").loc["x"]
    # 52% weighted: beaten by 60 and 70 -> rank 3, and 44-60 holds 55.
    assert (x.pct, x["rank"], x.comparison) == (52.0, 3, "similar")


def test_a_missing_column_is_named():
    with pytest.raises(ValueError, match=r"no column\(s\) \['n_positive'\]"):
        benchmark(_own(), _comparators().drop(columns="n_positive"), "5TF")


def test_survey_tables_standardise_to_the_comparator_profile(tmp_path):
    package = load_data_package(write_package(tmp_path / "tiny"))
    profile = pd.DataFrame({"staff_group": ["Nursing", "Admin"], "headcount": [1, 1]})
    tables = survey_tables(package, comparator_profile=profile)
    row = tables["benchmark_weighted"].set_index(["item_id", "year"]).loc[("enthusiastic", 2023)]
    # Equal shares: Nursing (0 of 2 positive) and Admin (3 of 3) count half each: 50%.
    assert row.pct == pytest.approx(50.0)
    # The only comparator, 5AA, has 160 of 310 = 51.6%; 50% ranks second of two.
    assert (row.comparators, row["rank"], row.organisations) == (1, 2, 2)
    assert "benchmark_weighted" not in survey_tables(package)
