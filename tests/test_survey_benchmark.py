"""Comparator statistics, rank, quintile and better/similar/worse, by hand and against R.

Four comparators answered items x and y in 2023, 100 valid answers each, with 40, 50, 60
and 70 positive: worst 40, median 55, average 55, best 70 (when high is good). The
organisation's own published row (5TF) is in the table too and must be ignored.
"""

from __future__ import annotations

import pandas as pd
import pytest
from package_builder import minimal_description, write_package

from analysis.datapackage import load_data_package
from analysis.survey import BENCHMARK_COLUMNS, benchmark, comparator_statistics, survey_tables
from analysis.survey.stage import stage_tables

WEIGHTED_BENCHMARK_COLUMNS = (
    "pct_weighted",
    "se_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
    "rank_weighted",
    "quintile_weighted",
    "comparison_weighted",
)


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
    row = tables["benchmark"].set_index(["item_id", "year"]).loc[("enthusiastic", 2023)]
    # Equal shares: Nursing (0 of 2 positive) and Admin (3 of 3) count half each: 50%.
    assert row.pct_weighted == pytest.approx(50.0)
    # The only comparator, 5AA, has 160 of 310 = 51.6%; 50% ranks second of two, while
    # the unweighted 3 of 5 = 60% ranks first.
    assert (row.comparators, row.rank_weighted, row["rank"], row.organisations) == (1, 2, 1, 2)
    assert "pct_weighted" not in survey_tables(package)["benchmark"].columns


def test_weighted_benchmark_matches_r_svymean_with_profile_weights(tmp_path):
    package = load_data_package(write_package(tmp_path / "tiny"))
    # The package's comparator_profile for 2023: Nursing 420, Admin 160. Respondents B1, B2
    # (Nursing, "enthusiastic" 1 and 3: not positive) weigh 420 / 2 = 210 each; B3, B4, B5
    # (Admin, 4, 5, 4: positive) weigh 160 / 3 each. By hand: 160 / (420 + 160) = 27.586%.
    # In R:
    #   library(survey)
    #   d <- data.frame(y = c(0, 0, 1, 1, 1), w = c(210, 210, 160/3, 160/3, 160/3))
    #   svymean(~y, svydesign(ids = ~1, weights = ~w, data = d))
    #   -> mean 0.275862068965517, SE 0.203881429244735
    tables = survey_tables(package, comparator_profile=package.comparator_profile)
    row = tables["benchmark"].set_index(["item_id", "year"]).loc[("enthusiastic", 2023)]
    assert row.pct_weighted == pytest.approx(27.5862068965517, abs=1e-9)
    assert row.se_weighted == pytest.approx(20.3881429244735, abs=1e-9)
    # 27.586 - 1.96 x 20.388 < 0 is clipped; 27.586 + 1.96 x 20.388 = 67.5470.
    assert row.ci_low_weighted == 0.0
    assert row.ci_high_weighted == pytest.approx(27.5862068965517 + 1.96 * 20.3881429244735)
    # The interval holds the comparator average 51.6: similar. Weighted, 27.6% is below
    # 5AA's 51.6%: rank 2 of 2, quintile ceil(5 x 2 / 2) = 5; unweighted 60% ranks 1.
    assert (row.comparison_weighted, row.rank_weighted, row.quintile_weighted) == ("similar", 2, 5)
    assert (row.pct, row["rank"], row.quintile) == (60.0, 1, 3)
    columns = list(tables["benchmark"].columns)
    assert columns == [*BENCHMARK_COLUMNS, *WEIGHTED_BENCHMARK_COLUMNS]


def test_stage_tables_weight_the_benchmark_to_the_package_profile(tmp_path):
    description = {**minimal_description(), "minimum_group_size": 1}
    package = load_data_package(write_package(tmp_path / "tiny", description=description))
    benchmark_table = stage_tables(package, 2023, outcome="Engagement")["benchmark"]
    row = benchmark_table.set_index(["item_id", "year"]).loc[("enthusiastic", 2023)]
    # As in the R example above: the package's comparator_profile is used.
    assert row.pct_weighted == pytest.approx(27.5862068965517, abs=1e-9)
    assert not row.suppressed
