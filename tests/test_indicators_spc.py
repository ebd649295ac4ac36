"""XmR charts against NHSRplotthedots' own tests, vignettes and README.

Reference: github.com/nhs-r-community/NHSRplotthedots (v0.2.2, commit 050b07d). R's
package cannot be installed here, so every expected number is quoted from its tests,
snapshots, vignettes or README (file and test named), or worked by hand in a comment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import spc
from analysis.stats.spc import shift_points, trend_points, two_in_three_points

# R 4.2: set.seed(123); rnorm(20). The data of tests/testthat/test-ptd_spc_standard.R and
# test-ptd_spc.R; the snapshot shows the same first values (-0.56047565, -0.23017749, ...).
RNORM_SEED_123 = [
    -0.560475646552212603, -0.230177489483279957, 1.558708314149124030,
    0.070508391424576003, 0.129287735160946243, 1.715064986883281017,
    0.460916205989202299, -1.265061234606533969, -0.686852851893526073,
    -0.445661970099958060, 1.224081797439461550, 0.359813827057363811,
    0.400771450594052170, 0.110682715945119706, -0.555841134754074928,
    1.786913136803078173, 0.497850478229239390, -1.966617156629638208,
    0.701355901563685546, -0.472791407727934043,
]  # fmt: skip

# NHSRdatasets::ae_attendances, type 1 breaches from April 2016 to March 2018 (read from
# data/ae_attendances.rda of github.com/nhs-r-community/NHSRdatasets with R's load()).
AE_MONTHS = pd.date_range("2016-04-01", periods=24, freq="MS")
RQM_BREACHES = [
    1199, 929, 970, 1178, 1110, 1388, 2061, 1985, 2675, 3141, 1942, 2030,
    1309, 1960, 1169, 1117, 1085, 1492, 1280, 1197, 1569, 1406, 1328, 1564,
]  # fmt: skip
RRK_BREACHES = [
    1195, 1843, 1397, 1333, 1771, 1751, 2013, 1759, 2179, 2585, 1654, 1543,
    1632, 1558, 1190, 1357, 1279, 1683, 2190, 1804, 986, 2181, 2048, 2154,
]  # fmt: skip

# vignettes/deviations.Rmd, "Treatment of outlying points"
DEVIATIONS_DATA = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

# Alternating 10, 12: mean 11, every moving range 2, so (no range is screened: 2 < 3.267 x 2)
# lpl = 11 - 2.66 x 2 = 5.68, upl = 16.32, near lines 11 -/+ 2/3 x 5.32 = 7.4533, 14.5467.
STEADY = [10, 12] * 6

COLUMNS = [
    "period", "value", "segment", "mean", "lpl", "upl", "near_lpl", "near_upl",
    "trial_limits", "outside_limits", "trend", "two_in_three", "shift",
    "special_cause_rule", "point_type", "target", "variation_icon", "assurance_icon",
]  # fmt: skip


def first_limits(chart: pd.DataFrame) -> tuple[float, float, float]:
    row = chart.iloc[0]
    return row["mean"], row["lpl"], row["upl"]


def test_it_returns_one_row_per_point_with_the_documented_columns() -> None:
    chart = spc(STEADY)
    assert list(chart.columns) == COLUMNS
    assert len(chart) == 12
    assert chart["period"].tolist() == list(range(1, 13))


def test_limits_match_the_ptd_spc_standard_snapshot() -> None:
    # tests/testthat/_snaps/ptd_spc_standard.md, "it returns expected values", r1:
    # mean_col 0.1416238, lpl -3.01138, upl 3.294627
    assert first_limits(spc(RNORM_SEED_123)) == pytest.approx(
        (0.1416238, -3.01138, 3.294627), abs=1e-6
    )


def test_screening_drops_large_moving_ranges_as_in_the_snapshot() -> None:
    # Same snapshot, data$y[15] <- 10: r2 (screened) mean 0.6694159, lpl -2.383666,
    # upl 3.722497; r3 (screen_outliers = FALSE) lpl -4.596625, upl 5.935457.
    values = list(RNORM_SEED_123)
    values[14] = 10
    assert first_limits(spc(values)) == pytest.approx((0.6694159, -2.383666, 3.722497), abs=1e-6)
    assert first_limits(spc(values, screen_outliers=False)) == pytest.approx(
        (0.6694159, -4.596625, 5.935457), abs=1e-6
    )


def test_deviations_vignette_screened_and_excel_limits() -> None:
    # vignettes/deviations.Rmd: captions "UPL = 4.6, Mean = 1.94, LPL = -0.72" (default) and
    # "UPL = 6.95, Mean = 1.94, LPL = -3.06" (screen_outliers = FALSE); both charts show
    # four common cause points, one special cause improvement point, then twelve more.
    # By hand: mean 35/18 = 1.944; moving ranges fifteen 1s, 8 and 9: mean 32/17 = 1.882;
    # 8 and 9 >= 3.267 x 1.882 = 6.15 are dropped, leaving mean 1, so upl = 1.944 + 2.66.
    expected_types = ["common_cause"] * 4 + ["special_cause_improvement"] + ["common_cause"] * 13
    screened = spc(DEVIATIONS_DATA)
    assert np.round(first_limits(screened), 2).tolist() == [1.94, -0.72, 4.6]
    assert screened["point_type"].tolist() == expected_types
    excel = spc(DEVIATIONS_DATA, screen_outliers=False)
    assert np.round(first_limits(excel), 2).tolist() == [1.94, -3.06, 6.95]
    assert excel["point_type"].tolist() == expected_types


def test_rebase_gives_each_segment_its_own_limits_as_in_the_summary_snapshot() -> None:
    # tests/testthat/_snaps/ptd_spc.md, "it outputs expected content" (facets of the first
    # and last 10 points): mean 0.0746, lpl -2.60, upl 2.75 and mean 0.209, lpl -3.28,
    # upl 3.70. Rebasing at the 11th point makes the same two baselines.
    chart = spc(RNORM_SEED_123, rebase=[11])
    assert chart["segment"].tolist() == [0] * 10 + [1] * 10
    before, after = chart.iloc[0], chart.iloc[10]
    assert [before["mean"], before["lpl"], before["upl"]] == pytest.approx(
        [0.0746, -2.60, 2.75], abs=0.005
    )
    assert [after["mean"], after["lpl"], after["upl"]] == pytest.approx(
        [0.209, -3.28, 3.70], abs=0.005
    )
    # ten points per segment: trial limits (fewer than 12)
    assert chart["trial_limits"].all()


def test_readme_rqm_example_common_cause_and_inconsistent_assurance() -> None:
    # README.md: RQM, type 1, period < 2018-04-01, improvement "decrease", target 1200:
    # summary_df$variation_type "common_cause", summary_df$assurance_type "inconsistent".
    chart = spc(RQM_BREACHES, AE_MONTHS, improvement="decrease", target=1200)
    assert chart["variation_icon"].iloc[-1] == "common_cause"
    assert chart["point_type"].iloc[-1] == "common_cause"
    assert chart["assurance_icon"].iloc[-1] == "inconsistent"
    assert (chart["target"] == 1200).all()


def test_intro_vignette_rrk_shows_eight_points_below_the_mean() -> None:
    # vignettes/NHSRplotthedots.Rmd, "Stable period" (RRK, decrease): "We can see 8
    # sequential points coloured in blue. This is triggered by a rule that looks for >=7
    # points on one side of the mean." Blue is special cause improvement.
    chart = spc(RRK_BREACHES, AE_MONTHS, improvement="decrease")
    improvement = chart[chart["point_type"] == "special_cause_improvement"]
    assert improvement["period"].dt.strftime("%Y-%m").tolist() == [
        "2017-02", "2017-03", "2017-04", "2017-05", "2017-06", "2017-07", "2017-08", "2017-09",
    ]  # fmt: skip
    assert (improvement["special_cause_rule"] == "shift").all()
    assert (improvement["value"] < improvement["mean"]).all()


def test_two_in_three_needs_both_points_on_the_same_side() -> None:
    # test-ptd_spc_standard.R, "it only reports special cause for 2of3 points close to
    # limits when they are on the same side of the mean": last two points common cause.
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    chart = spc(values, pd.date_range("2020-01-02", periods=16))
    assert chart["point_type"].tail(2).tolist() == ["common_cause", "common_cause"]


def test_trend_points_reproduce_ptd_seven_point_trend_tests() -> None:
    # test-ptd_calculate_point_type.R, ptd_seven_point_trend + ptd_part_of_seven_trend:
    # 1:6 has no trend; c(1:3, 3:6) has a tie; 1:7 and 7:1 are trends of 7;
    # c(2, 1:7, 3) is a trend over points 2..8.
    assert not trend_points(range(1, 7)).any()
    assert not trend_points([1, 2, 3, 3, 4, 5, 6]).any()
    assert trend_points(range(1, 8)).all()
    assert trend_points(range(7, 0, -1)).all()
    assert trend_points([2, 1, 2, 3, 4, 5, 6, 7, 3]).tolist() == [False] + [True] * 7 + [False]
    assert trend_points([]).tolist() == []


def test_shift_points_reproduce_ptd_seven_point_one_side_mean_tests() -> None:
    # test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean: rep(1, 6) and
    # c(rep(1, 6), -1) have no run; c(rep(1, 8), -1) flags run ends at 7 and 8, so points
    # 1..8 are part of the shift; the same below the mean.
    assert not shift_points([1] * 6).any()
    assert not shift_points([1] * 6 + [-1]).any()
    assert shift_points([1] * 8 + [-1]).tolist() == [True] * 8 + [False]
    assert shift_points([-1] * 8 + [1]).tolist() == [True] * 8 + [False]
    assert not shift_points([1] * 3 + [0] + [1] * 4).any()  # a point on the mean breaks it


@pytest.mark.parametrize(
    ("near", "side", "expected"),
    [
        # test-ptd_calculate_point_type.R, "ptd_part_of_two_in_three works as expected"
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        # "... when points are on opposite sides of the mean"
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_two_in_three_points_reproduce_ptd_two_in_three_tests(
    near: list[int], side: list[int], expected: list[int]
) -> None:
    assert two_in_three_points(near, side).astype(int).tolist() == expected


@pytest.mark.parametrize(
    ("improvement", "last", "point_type", "icon"),
    [
        ("increase", 30, "special_cause_improvement", "improvement_high"),
        ("decrease", 30, "special_cause_concern", "concern_high"),
        ("neutral", 30, "special_cause_neutral_high", "neutral_high"),
        ("increase", -8, "special_cause_concern", "concern_low"),
        ("decrease", -8, "special_cause_improvement", "improvement_low"),
        ("neutral", -8, "special_cause_neutral_low", "neutral_low"),
    ],
)
def test_a_point_outside_the_limits_reads_by_improvement_direction(
    improvement: str, last: float, point_type: str, icon: str
) -> None:
    # By hand, STEADY + [30]: mean 162/13 = 12.46; moving ranges eleven 2s and 18, mean
    # 40/12 = 3.33; 18 >= 3.267 x 3.33 = 10.9 is screened, so upl = 12.46 + 2.66 x 2 =
    # 17.78 < 30. With -8: mean 124/13 = 9.54, lpl = 9.54 - 5.32 = 4.22 > -8.
    chart = spc([*STEADY, last], improvement=improvement)
    assert chart["special_cause_rule"].iloc[-1] == "outside_limits"
    assert chart["outside_limits"].tolist() == [False] * 12 + [True]
    assert chart["point_type"].iloc[-1] == point_type
    assert chart["variation_icon"].iloc[-1] == icon


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        # As test-ptd_calculate_assurance_type.R: a target above the upper limit is a
        # consistent fail when increase is good, a consistent pass when decrease is good;
        # inside the limits, inconsistent; neutral charts have no assurance.
        ("increase", 20, "consistent_fail"),
        ("increase", 3, "consistent_pass"),
        ("increase", 11, "inconsistent"),
        ("decrease", 20, "consistent_pass"),
        ("decrease", 3, "consistent_fail"),
        ("decrease", 16.32, "inconsistent"),  # on the limit is not beyond it
        ("neutral", 20, None),
    ],
)
def test_assurance_compares_the_target_with_the_limits(
    improvement: str, target: float, expected: str | None
) -> None:
    # STEADY: lpl 5.68, upl 16.32 (see above).
    chart = spc(STEADY, improvement=improvement, target=target)
    if expected is None:
        assert chart["assurance_icon"].isna().all()
    else:
        assert (chart["assurance_icon"] == expected).all()


def test_no_target_means_no_assurance_icon() -> None:
    assert spc(STEADY)["assurance_icon"].isna().all()


def test_assurance_is_read_from_the_last_segment_only() -> None:
    # Second segment 100, 102, ...: mean 101, limits 101 -/+ 5.32. A target of 50 is below
    # them: consistent pass (increase) on the last segment; none on the first.
    chart = spc([*STEADY, *[100, 102] * 6], target=50, rebase=[13])
    assert chart["assurance_icon"].iloc[:12].isna().all()
    assert (chart["assurance_icon"].iloc[12:] == "consistent_pass").all()


def test_a_trend_inside_the_limits_is_a_special_cause() -> None:
    # By hand: mean (110 + 77.7) / 17 = 11.04; moving ranges nine 2s, 1.5 and six 0.2s,
    # mean 20.7 / 16 = 1.29 (none screened), limits 11.04 -/+ 3.44 and near lines
    # 11.04 -/+ 2.30: no point is near or outside; the last seven rise strictly.
    values = [*[10, 12] * 5, 10.5, 10.7, 10.9, 11.1, 11.3, 11.5, 11.7]
    chart = spc(values)
    assert not chart["outside_limits"].any() and not chart["two_in_three"].any()
    assert chart["trend"].tolist() == [False] * 10 + [True] * 7
    assert chart["special_cause_rule"].iloc[10:].tolist() == ["trend"] * 7
    assert chart["point_type"].iloc[10:].tolist() == ["special_cause_improvement"] * 7
    assert spc(values, improvement="decrease")["point_type"].iloc[-1] == "special_cause_concern"
    tied = list(values)
    tied[13] = tied[12]  # a tie breaks the trend
    assert not spc(tied)["trend"].any()


def test_a_peak_shared_by_two_trends_takes_the_later_direction() -> None:
    # R/ptd_calculate_point_type.R: "if a point is part of a trend either side, use right
    # side". 10..16 rises and 16..10 falls; the peak 16 belongs to both, so it reads as
    # falling. By hand: mean (80 + 166) / 21 = 11.71, moving ranges seven 10s, 5 and twelve
    # 1s, mean 87 / 20 = 4.35 (none screened), limits 11.71 -/+ 11.57: nothing outside.
    values = [*[5, 15] * 4, 10, 11, 12, 13, 14, 15, 16, 15, 14, 13, 12, 11, 10]
    chart = spc(values)
    assert not chart["outside_limits"].any()
    assert chart["trend"].tolist() == [False] * 8 + [True] * 13
    assert chart["point_type"].iloc[8:14].tolist() == ["special_cause_improvement"] * 6
    assert chart["point_type"].iloc[14:].tolist() == ["special_cause_concern"] * 7


def test_outside_limits_takes_precedence_and_two_in_three_excludes_outside_points() -> None:
    # Limits fixed on STEADY (5.68, 16.32; near 14.5467). Then 17 (outside), 15 (near)
    # and 12 (above the mean). NHSRplotthedots counts only 15 as near: one near point of
    # three, no two-in-three. The 2023 Making Data Count rule counts 17 too: 17 and 15 are
    # two of three beyond the upper near line, all above the mean, so 15 is flagged.
    values = [*STEADY, 17, 15, 12]
    default = spc(values, fix_after_n_points=12)
    assert default["point_type"].iloc[12:].tolist() == [
        "special_cause_improvement", "common_cause", "common_cause",
    ]  # fmt: skip
    assert not default["two_in_three"].any()
    variant = spc(values, fix_after_n_points=12, two_in_three_includes_outside=True)
    assert variant["two_in_three"].iloc[12:].tolist() == [True, True, False]
    assert variant["special_cause_rule"].iloc[12:].tolist()[:2] == [
        "outside_limits", "two_in_three",
    ]  # fmt: skip
    assert variant["point_type"].iloc[13] == "special_cause_improvement"


def test_fixed_limits_come_from_the_first_points() -> None:
    # fix_after_n_points = 12: limits of STEADY (mean 11, 5.68, 16.32) whatever follows.
    chart = spc([*STEADY, 40, 41, 42], fix_after_n_points=12)
    assert first_limits(chart) == pytest.approx((11, 5.68, 16.32))
    assert chart["outside_limits"].tolist() == [False] * 12 + [True] * 3
    assert not chart["trial_limits"].any()
    assert first_limits(spc(RNORM_SEED_123, fix_after_n_points=12)) == pytest.approx(
        first_limits(spc(RNORM_SEED_123[:12]))
    )


def test_trial_limits_below_twelve_points() -> None:
    # test-ptd_add_short_group_warnings.R: 11 points warn, 12 do not.
    assert spc(RNORM_SEED_123[:11])["trial_limits"].all()
    assert not spc(RNORM_SEED_123[:12])["trial_limits"].any()


def test_rules_do_not_run_across_a_rebase() -> None:
    # Seven points above 11 would be a shift, but a rebase after the fourth splits them.
    values = [*STEADY, 13, 13.5, 13, 13.5, 13, 13.5, 13]
    assert spc(values)["shift"].iloc[12:].all()
    assert not spc(values, rebase=[17])["shift"].any()


def test_points_are_put_in_period_order() -> None:
    months = ["2024-03", "2024-01", "2024-02"]
    chart = spc([3.0, 1.0, 2.0], months)
    assert chart["period"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert chart["value"].tolist() == [1.0, 2.0, 3.0]


def test_rebase_accepts_dates_as_text_for_date_periods() -> None:
    chart = spc(RRK_BREACHES, AE_MONTHS, rebase=["2017-04-01"])
    assert chart["segment"].tolist() == [0] * 12 + [1] * 12
    months = pd.period_range("2016-04", periods=24, freq="M")
    assert spc(RRK_BREACHES, months, rebase=["2017-04"])["segment"].tolist() == (
        [0] * 12 + [1] * 12
    )
    with pytest.raises(ValueError, match="rebase"):
        spc(RRK_BREACHES, AE_MONTHS, rebase=["not a date"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"improvement": "up"}, "improvement"),
        ({"fix_after_n_points": 11}, "fix_after_n_points"),
        ({"fix_after_n_points": 12.5}, "fix_after_n_points"),
        ({"target": "high"}, "target"),
        ({"screen_outliers": "yes"}, "screen_outliers"),
        ({"rebase": [99]}, "rebase"),
        ({"periods": [1, 2, 3]}, "periods"),
        ({"periods": [1] * 12}, "periods must be unique"),
        ({"lower_bound": "zero"}, "lower_bound"),
        ({"upper_bound": np.inf}, "upper_bound"),
        ({"lower_bound": 20, "upper_bound": 10}, "lower_bound must be below"),
        ({"upper_bound": 11}, "values must lie between"),
    ],
)
def test_invalid_options_name_the_argument(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        spc(STEADY, **arguments)


def test_missing_values_are_refused() -> None:
    with pytest.raises(ValueError, match="values must be finite"):
        spc([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="values must be"):
        spc([])


def test_a_recalculation_uses_only_its_own_segment_s_moving_ranges() -> None:
    # NHSRplotthedots (R/ptd_spc_standard.R) groups by rebase_group before taking the
    # moving ranges, so the range across the change is not used. By hand: before, 1, 3, ...
    # (mean 2, moving ranges all 2); after, 11, 13, ... (mean 12, moving ranges all 2);
    # limits mean -/+ 2.66 x 2 = 5.32. Were the range |11 - 3| = 8 across the change used,
    # the later segment's mean moving range would be (8 + 11 x 2) / 12 = 2.5.
    values = [1, 3] * 6 + [11, 13] * 6
    chart = spc(values, rebase=[13])
    before, after = chart.iloc[0], chart.iloc[12]
    assert [before["mean"], before["lpl"], before["upl"]] == pytest.approx([2, -3.32, 7.32])
    assert [after["mean"], after["lpl"], after["upl"]] == pytest.approx([12, 6.68, 17.32])
    assert (chart["point_type"] == "common_cause").all()
    # one process over both: mean 7, every later point a shift above it
    whole = spc(values)
    assert whole["mean"].iloc[0] == pytest.approx(7)
    assert (whole["point_type"].iloc[12:] != "common_cause").all()


def test_bounds_floor_and_cap_the_limits_without_changing_any_point() -> None:
    # RNORM_SEED_123 + 2 (0.03 to 3.71): the ptd_spc_standard snapshot's limits shifted by 2,
    # -1.01138 and 5.294627, near lines 0.04 and 4.24; a floor at 0 cuts the lower limit
    # only, a cap at 4 the upper limit and near line.
    values = [v + 2 for v in RNORM_SEED_123]
    free = spc(values)
    bounded = spc(values, lower_bound=0, upper_bound=4)
    assert first_limits(free) == pytest.approx((2.1416238, -1.01138, 5.294627), abs=1e-6)
    assert bounded["lpl"].eq(0).all() and bounded["near_lpl"].eq(free["near_lpl"]).all()
    assert bounded["upl"].eq(4).all() and bounded["near_upl"].eq(4).all()
    for column in ["point_type", "special_cause_rule", "variation_icon", "mean"]:
        assert bounded[column].tolist() == free[column].tolist()
