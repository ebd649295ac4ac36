"""Funnel plots against FunnelPlotR's own tests and README, and hand calculations.

Reference: github.com/nhs-r-community/FunnelPlotR (commit 9020d49). R's package cannot be
installed here, so every expected number is quoted from its tests or README (file and
test named), or worked by hand in a comment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import funnel
from analysis.indicators.funnel import funnel_limits

# tests/testthat/test-classes_methods.R and test-funnel_plot.R
FUNNEL_TEST_DATA = {
    "numerator": [100, 150, 180, 80, 120, 225],
    "denominator": [108, 112, 165, 95, 100, 220],
    "units": list("abcdef"),
}

# README.md's example: COUNT::medpar, expected length of stay from the README's Poisson glm
# (los ~ hmo + died + age80 + factor(type); R 4.2 reproduces its coefficients 2.26875,
# -0.07637, -0.24574, -0.02141, 0.24921, 0.74869), summed by hospital (provnum), expected
# rounded to 2 decimals as funnel_plot() does for SHMI (SHMI_rounding = TRUE).
MEDPAR_BY_HOSPITAL = [
    ("030001", 406, 523.70),
    ("030002", 642, 612.98),
    ("030003", 46, 53.79),
    ("030006", 764, 763.72),
    ("030007", 82, 120.94),
    ("030008", 201, 250.19),
    ("030009", 193, 155.49),
    ("030010", 569, 484.71),
    ("030011", 404, 362.22),
    ("030012", 134, 188.93),
    ("030013", 614, 554.38),
    ("030014", 491, 616.74),
    ("030016", 501, 360.15),
    ("030017", 131, 245.61),
    ("030018", 274, 263.56),
    ("030019", 124, 154.66),
    ("030022", 456, 475.02),
    ("030023", 48, 38.93),
    ("030024", 429, 445.10),
    ("030025", 14, 28.80),
    ("030030", 369, 347.54),
    ("030033", 8, 7.56),
    ("030035", 37, 73.21),
    ("030036", 128, 118.11),
    ("030037", 145, 273.34),
    ("030038", 493, 449.79),
    ("030043", 104, 172.38),
    ("030044", 6, 19.20),
    ("030055", 308, 321.86),
    ("030059", 34, 36.56),
    ("030060", 7, 19.96),
    ("030061", 935, 851.72),
    ("030062", 134, 198.94),
    ("030064", 339, 302.39),
    ("030065", 458, 410.16),
    ("030067", 22, 45.87),
    ("030068", 2, 9.67),
    ("030069", 160, 212.34),
    ("030073", 87, 38.92),
    ("030078", 55, 31.74),
    ("030080", 252, 285.64),
    ("030083", 174, 186.66),
    ("030084", 43, 33.98),
    ("030085", 228, 255.65),
    ("030086", 210, 242.03),
    ("030087", 321, 279.48),
    ("030088", 631, 619.26),
    ("030089", 543, 626.13),
    ("030092", 105, 145.67),
    ("030093", 389, 413.86),
    ("030094", 92, 111.26),
    ("032000", 1012, 685.59),
    ("032002", 283, 181.11),
    ("032003", 95, 24.81),
]  # fmt: skip
Z_998 = 3.090232306167813  # qnorm(0.999)


def medpar() -> pd.DataFrame:
    return pd.DataFrame(MEDPAR_BY_HOSPITAL, columns=["provnum", "los", "expected"])


def test_it_returns_one_row_per_unit_with_the_documented_columns() -> None:
    table = funnel(**FUNNEL_TEST_DATA, data_type="SR")
    assert list(table.columns) == [
        "unit", "numerator", "denominator", "value", "target", "z", "z_adjusted",
        "trimmed", "lower_95", "upper_95", "lower_998", "upper_998", "outlier", "phi",
        "tau2", "adjusted",
    ]  # fmt: skip
    assert table["unit"].tolist() == list("abcdef")


def test_dispersion_ratio_matches_test_classes_methods() -> None:
    # test-classes_methods.R: expect_equal(round(phi.funnelplot(a), 6), 2.948033).
    # By hand (SHMI): z = sqrt(E) log(O/E) = -0.7998, 3.0917, 1.1177, -1.6750, 1.8232,
    # 0.3333; ranks into 10 groups floor(rank x 10 / 7) = 1, 2, 4, 5, 7, 8, none truncated;
    # phi = (0.6397 + 9.5586 + 1.2493 + 2.8056 + 3.3241 + 0.1111) / 6 = 2.948.
    table = funnel(**FUNNEL_TEST_DATA, data_type="SR")
    assert round(table["phi"].iloc[0], 6) == 2.948033
    assert table["z"].round(4).tolist() == [-0.7998, 3.0917, 1.1177, -1.675, 1.8232, 0.3333]
    assert not table["trimmed"].any()
    # tau2 by hand: k phi - (k - 1) = 17.6882 - 5 = 12.6882; w = 1 / s^2 = E: sum 800,
    # sum w^2 / sum w = 118858 / 800 = 148.5725; tau2 = 12.6882 / 651.4275 = 0.019478.
    assert table["tau2"].iloc[0] == pytest.approx(0.019478, abs=1e-6)
    assert table["adjusted"].all()


def test_unadjusted_lower_limit_is_above_the_adjusted_one_as_in_test_funnel_plot() -> None:
    # test-funnel_plot.R: expect_gt(b[[3]]$LCL95[5], a[[3]]$OD95LCL[5]) for unit "e".
    adjusted = funnel(**FUNNEL_TEST_DATA, data_type="SR")
    unadjusted = funnel(**FUNNEL_TEST_DATA, data_type="SR", overdispersion=False)
    assert unadjusted["lower_95"].iloc[4] > adjusted["lower_95"].iloc[4]
    assert not unadjusted["adjusted"].any() and (unadjusted["tau2"] == 0).all()


def test_poisson_limits_match_test_poisson_limits() -> None:
    # test-poisson_limits.R, calculate_limits(number_seq = c(15, 20, 30), target = 1,
    # draw_adjusted = FALSE).
    limits = funnel_limits([15, 20, 30], "SR")
    assert limits["lower_95"].round(7).tolist() == [0.5596924, 0.6108260, 0.6746958]
    assert limits["upper_95"].round(6).tolist() == [1.649348, 1.544419, 1.427562]
    assert limits["lower_998"].round(7).tolist() == [0.3862650, 0.4479107, 0.5289724]
    assert limits["upper_998"].round(6).tolist() == [2.082907, 1.902094, 1.702771]


def test_units_are_summed_first_as_test_aggregate_fun() -> None:
    # test-aggregate_fun.R: groups a, a, a, b, b, c give rr 1.069652, 1.071795, 1.022727.
    table = funnel(
        [100, 150, 180, 89, 120, 225],
        [102, 135, 165, 95, 100, 220],
        data_type="SR",
        units=["a", "a", "a", "b", "b", "c"],
    )
    assert table["unit"].tolist() == ["a", "b", "c"]
    assert table["numerator"].tolist() == [430, 209, 225]
    assert table["value"].round(6).tolist() == [1.069652, 1.071795, 1.022727]


def test_readme_medpar_poisson_limits_flag_25_of_54_hospitals() -> None:
    # README.md: funnel_plot(medpar, los, prds, provnum, data_type = "SR", limit = 99,
    # draw_unadjusted = TRUE, draw_adjusted = FALSE) prints "A funnel plot object with 54
    # points of which 25 are outliers."
    data = medpar()
    table = funnel(
        data["los"], data["expected"], data_type="SR", overdispersion=False, units=data["provnum"]
    )
    assert len(table) == 54
    assert table["outlier"].sum() == 25


def test_readme_medpar_shmi_overdispersion_flags_9_hospitals() -> None:
    # README.md: the same with draw_adjusted = TRUE, sr_method = "SHMI", limit = 99 prints
    # "54 points of which 9 are outliers. Plot is adjusted for overdispersion."
    data = medpar()
    table = funnel(data["los"], data["expected"], data_type="SR", units=data["provnum"])
    assert table["outlier"].sum() == 9
    assert table["adjusted"].all() and table["phi"].iloc[0] > 1
    # SHMI truncation by hand: 54 units in 10 groups, floor(rank x 10 / 55) is 0 for ranks
    # 1-5 and 9 for ranks 50-54, so 10 units are left out of phi.
    assert table["trimmed"].sum() == 10
    lowest_five = table.nsmallest(5, "z")["unit"].tolist()
    assert table.set_index("unit").loc[lowest_five, "trimmed"].all()


def test_outliers_agree_with_the_adjusted_z_score() -> None:
    # On the transformed scale an outlier is a unit with |z_adjusted| > z(limit); the CQC
    # limits are squared back (unlike FunnelPlotR, issue #33) so this holds for CQC too.
    data = medpar()
    for method in ("SHMI", "CQC"):
        table = funnel(
            data["los"], data["expected"], data_type="SR", sr_method=method,
            units=data["provnum"],
        )  # fmt: skip
        assert (table["outlier"] == (table["z_adjusted"].abs() > Z_998)).all()


def test_proportions_by_hand_with_winsorisation_and_tau2() -> None:
    # Five units of 100 with 10..50 events. Pooled target 150 / 500 = 0.3, t = asin(sqrt
    # 0.3) = 0.579640; s = 1 / (2 sqrt 100) = 0.05; z = (asin(sqrt p) - t) / s =
    # -5.157784, -2.319843, 0, 2.101589, 4.115168. 10% quantiles (linear): -5.157784 +
    # 0.4 x 2.837941 = -4.022607 and 2.101589 + 0.6 x 2.013579 = 3.309737; Winsorised
    # squares 16.181369 + 5.381670 + 0 + 4.416677 + 10.954358 = 36.934074, phi = 7.386815.
    # w = 1 / s^2 = 400 each: tau2 = (36.934074 - 4) / (2000 - 400) = 0.020584.
    # 99.8% limits: sd = sqrt(0.0025 + 0.020584) = 0.151934, sin(t -/+ 3.090232 sd)^2 =
    # 0.012080, 0.751689: no outlier. 95%: sin(t -/+ 1.959964 sd)^2 = 0.077361, 0.591507.
    table = funnel([10, 20, 30, 40, 50], [100] * 5)
    assert table["target"].iloc[0] == pytest.approx(0.3)
    assert table["z"].tolist() == pytest.approx(
        [-5.157784, -2.319843, 0, 2.101589, 4.115168], abs=1e-6
    )
    assert table["trimmed"].tolist() == [True, False, False, False, True]
    assert table["phi"].iloc[0] == pytest.approx(7.386815, abs=1e-6)
    assert table["tau2"].iloc[0] == pytest.approx(0.020584, abs=1e-6)
    row = table.iloc[0]
    assert [row["lower_95"], row["upper_95"], row["lower_998"], row["upper_998"]] == (
        pytest.approx([0.077361, 0.591507, 0.012080, 0.751689], abs=1e-6)
    )
    assert not table["outlier"].any()
    # Unadjusted: sd = 0.05, sin(t -/+ 3.090232 x 0.05)^2 = 0.170105, 0.448843, so 0.1 and
    # 0.5 are outliers.
    plain = funnel([10, 20, 30, 40, 50], [100] * 5, overdispersion=False)
    assert [plain["lower_998"].iloc[0], plain["upper_998"].iloc[0]] == pytest.approx(
        [0.170105, 0.448843], abs=1e-6
    )
    assert plain["outlier"].tolist() == [True, False, False, False, True]
    assert plain["phi"].iloc[0] == pytest.approx(7.386815, abs=1e-6)
    # limit = 95: 0.2 is inside (0.077361, 0.591507) adjusted; unadjusted 95% limits
    # sin(t -/+ 0.097998)^2 = 0.214586, 0.393072 put 0.2 and 0.4 outside too.
    assert funnel([10, 20, 30, 40, 50], [100] * 5, overdispersion=False, limit=95)[
        "outlier"
    ].tolist() == [True, True, False, True, True]


def test_no_overdispersion_keeps_the_unadjusted_limits() -> None:
    # Every unit at the pooled proportion: all z = 0, phi = 0 <= 1, so no adjustment.
    table = funnel([5, 10, 20], [50, 100, 200])
    assert table["phi"].iloc[0] == 0
    assert not table["adjusted"].any() and (table["tau2"] == 0).all()
    expected = funnel_limits([50, 100, 200], "PR", target=0.1)
    assert table["lower_998"].tolist() == pytest.approx(expected["lower_998"].tolist())


def test_proportion_limits_at_small_denominators_as_test_build_limits_lookup() -> None:
    # test-build_limits_lookup.R: for PR, target 0.5, at the smallest denominator (3)
    # expect_lt(ul95, 1) and expect_gt(ll95, 0). By hand: s = 1 / (2 sqrt 3) = 0.288675,
    # sin(pi/4 -/+ 1.959964 s)^2 = 0.047456, 0.952544.
    limits = funnel_limits([3], "PR", target=0.5)
    assert [limits["lower_95"].iloc[0], limits["upper_95"].iloc[0]] == pytest.approx(
        [0.047456, 0.952544], abs=1e-6
    )
    # Where the angle passes 0 or pi/2 the limit is 0 or 1 (n = 1, target 0.05:
    # asin(sqrt 0.05) = 0.2255 < 1.959964 x 0.5).
    tiny = funnel_limits([1], "PR", target=0.05)
    assert tiny["lower_95"].iloc[0] == 0
    assert funnel_limits([1], "PR", target=0.95)["upper_95"].iloc[0] == 1


def test_cqc_limits_are_squared_back_from_the_square_root_scale() -> None:
    # E = 100, tau2 = 0.02: sd = sqrt(1 / 400 + 0.02) = 0.15, (1 -/+ 1.959964 x 0.15)^2 =
    # 0.498444, 1.674422 (FunnelPlotR, issue #33, would give 1 -/+ 0.293995).
    limits = funnel_limits([100], "SR", sr_method="CQC", tau2=0.02)
    assert [limits["lower_95"].iloc[0], limits["upper_95"].iloc[0]] == pytest.approx(
        [0.498444, 1.674422], abs=1e-6
    )
    # SHMI: exp(-/+ 1.959964 sqrt(1 / 100 + 0.02)) = exp(-/+ 0.339476) = 0.712144, 1.404211
    shmi = funnel_limits([100], "SR", tau2=0.02)
    assert [shmi["lower_95"].iloc[0], shmi["upper_95"].iloc[0]] == pytest.approx(
        [0.712144, 1.404211], abs=1e-6
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"data_type": "RC"}, "data_type"),
        ({"limit": 99}, "limit"),
        ({"sr_method": "NHSD"}, "sr_method"),
        ({"trim": 0.5}, "trim"),
        ({"overdispersion": "yes"}, "overdispersion"),
        ({"units": ["a", "b"]}, "units"),
    ],
)
def test_invalid_options_name_the_argument(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        funnel([1, 2, 3], [10, 20, 30], **arguments)


@pytest.mark.parametrize(
    ("numerator", "denominator", "data_type", "message"),
    [
        ([1, 30], [10, 20], "PR", "must not exceed denominator"),
        ([1, 2], [10, 0], "PR", "denominator must be greater than 0"),
        ([-1, 2], [10, 20], "PR", "numerator must be >= 0"),
        ([0, 2], [10, 20], "SR", "SHMI method takes the log"),
        ([1, np.nan], [10, 20], "PR", "numerator must not be missing"),
        ([1, 2], [10], "PR", "same length"),
        ([1], [10], "PR", "at least 2 units"),
        ([0, 0], [10, 20], "PR", "pooled proportion is 0"),
    ],
)
def test_invalid_counts_are_refused(
    numerator: list, denominator: list, data_type: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        funnel(numerator, denominator, data_type=data_type)


def test_funnel_limits_check_their_arguments() -> None:
    with pytest.raises(ValueError, match="target"):
        funnel_limits([10], "PR")
    with pytest.raises(ValueError, match="target"):
        funnel_limits([10], "SR", target=0.5)
    with pytest.raises(ValueError, match="tau2"):
        funnel_limits([10], "SR", tau2=-1)
