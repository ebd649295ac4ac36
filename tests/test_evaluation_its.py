"""Interrupted time series against R's lm + sandwich::NeweyWest + lmtest::coeftest.

Reference numbers: R 4.2.2, sandwich 3.0-2, lmtest 0.9-40, on R's own data sets ``Nile``
(annual flow, the Aswan dam effect from 1899, position 28) and ``UKDriverDeaths`` /
``Seatbelts`` (monthly, 1969-01 to 1984-12; the seat belt law from February 1983, position
169). The R calls are beside each number; every fit is, with ``s`` the intervention index:

    t <- 0:(length(y) - 1); after <- as.numeric(t >= s)
    fit <- lm(y ~ t + after + I((t - s) * after))            # (+ factor(month) if seasonal)
    V <- sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = TRUE)
    cbind(lmtest::coeftest(fit, vcov = V), lmtest::coefci(fit, vcov = V))
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.evaluation import (
    controlled_interrupted_time_series,
    default_newey_west_lag,
    interrupted_time_series,
    interrupted_time_series_lines,
    newey_west_covariance,
)

# R: cat(as.numeric(Nile), sep = ", ")
NILE = [
    1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935, 1110, 994, 1020, 960,
    1180, 799, 958, 1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774, 840, 874, 694,
    940, 833, 701, 916, 692, 1020, 1050, 969, 831, 726, 456, 824, 702, 1120, 1100, 832, 764,
    821, 768, 845, 864, 862, 698, 845, 744, 796, 1040, 759, 781, 865, 845, 944, 984, 897, 822,
    1010, 771, 676, 649, 846, 812, 742, 801, 1040, 860, 874, 848, 890, 744, 749, 838, 1050,
    918, 986, 797, 923, 975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740,
]  # fmt: skip

# R: cat(as.numeric(UKDriverDeaths), sep = ", ")
UK_DRIVER_DEATHS = [
    1687, 1508, 1507, 1385, 1632, 1511, 1559, 1630, 1579, 1653, 2152, 2148, 1752, 1765, 1717,
    1558, 1575, 1520, 1805, 1800, 1719, 2008, 2242, 2478, 2030, 1655, 1693, 1623, 1805, 1746,
    1795, 1926, 1619, 1992, 2233, 2192, 2080, 1768, 1835, 1569, 1976, 1853, 1965, 1689, 1778,
    1976, 2397, 2654, 2097, 1963, 1677, 1941, 2003, 1813, 2012, 1912, 2084, 2080, 2118, 2150,
    1608, 1503, 1548, 1382, 1731, 1798, 1779, 1887, 2004, 2077, 2092, 2051, 1577, 1356, 1652,
    1382, 1519, 1421, 1442, 1543, 1656, 1561, 1905, 2199, 1473, 1655, 1407, 1395, 1530, 1309,
    1526, 1327, 1627, 1748, 1958, 2274, 1648, 1401, 1411, 1403, 1394, 1520, 1528, 1643, 1515,
    1685, 2000, 2215, 1956, 1462, 1563, 1459, 1446, 1622, 1657, 1638, 1643, 1683, 2050, 2262,
    1813, 1445, 1762, 1461, 1556, 1431, 1427, 1554, 1645, 1653, 2016, 2207, 1665, 1361, 1506,
    1360, 1453, 1522, 1460, 1552, 1548, 1827, 1737, 1941, 1474, 1458, 1542, 1404, 1522, 1385,
    1641, 1510, 1681, 1938, 1868, 1726, 1456, 1445, 1456, 1365, 1487, 1558, 1488, 1684, 1594,
    1850, 1998, 2079, 1494, 1057, 1218, 1168, 1236, 1076, 1174, 1139, 1427, 1487, 1483, 1513,
    1357, 1165, 1282, 1110, 1297, 1185, 1222, 1284, 1444, 1575, 1737, 1763,
]  # fmt: skip

# R: cat(Seatbelts[, "front"], sep = ", "); cat(Seatbelts[, "rear"], sep = ", ")
FRONT = [
    867, 825, 806, 814, 991, 945, 1004, 1091, 958, 850, 1109, 1113, 925, 903, 1006, 892, 990,
    866, 1095, 1204, 1029, 1147, 1171, 1299, 944, 874, 840, 893, 1007, 973, 1097, 1194, 988,
    1077, 1045, 1115, 1005, 857, 879, 887, 1075, 1121, 1190, 1058, 939, 1074, 1089, 1208, 903,
    916, 787, 1114, 1014, 1022, 1114, 1132, 1111, 1008, 916, 992, 731, 665, 724, 744, 910, 883,
    900, 1057, 1076, 919, 920, 953, 664, 607, 777, 633, 791, 790, 803, 884, 769, 732, 859, 994,
    704, 684, 671, 643, 771, 644, 828, 748, 767, 825, 810, 986, 714, 567, 616, 678, 742, 840,
    888, 852, 774, 831, 889, 1046, 889, 626, 808, 746, 754, 865, 980, 959, 856, 798, 942, 1010,
    796, 643, 794, 750, 809, 716, 851, 931, 834, 762, 880, 1077, 748, 593, 720, 646, 765, 820,
    807, 885, 803, 860, 825, 911, 704, 691, 688, 714, 814, 736, 876, 829, 818, 942, 782, 823,
    595, 673, 660, 676, 755, 815, 867, 933, 798, 950, 825, 911, 619, 426, 475, 556, 559, 483,
    587, 615, 618, 662, 519, 585, 483, 434, 513, 548, 586, 522, 601, 644, 643, 641, 711, 721,
]  # fmt: skip
REAR = [
    269, 265, 319, 407, 454, 427, 522, 536, 405, 437, 434, 437, 316, 311, 351, 362, 486, 429,
    551, 646, 456, 475, 456, 468, 356, 271, 354, 427, 465, 440, 539, 646, 457, 446, 402, 441,
    359, 334, 312, 427, 434, 486, 569, 523, 418, 452, 462, 497, 354, 347, 276, 472, 487, 505,
    619, 640, 559, 453, 418, 419, 262, 299, 303, 401, 413, 426, 516, 600, 459, 443, 412, 400,
    278, 302, 381, 279, 442, 409, 416, 511, 393, 345, 391, 470, 266, 312, 300, 373, 412, 322,
    458, 427, 346, 421, 344, 370, 291, 224, 266, 338, 298, 386, 479, 473, 332, 391, 370, 431,
    366, 250, 355, 304, 379, 440, 500, 511, 384, 366, 432, 390, 306, 232, 342, 329, 394, 355,
    385, 463, 453, 373, 401, 466, 306, 263, 323, 310, 424, 403, 406, 466, 381, 369, 378, 392,
    284, 316, 321, 358, 378, 382, 433, 506, 428, 479, 370, 349, 238, 285, 324, 346, 410, 411,
    496, 534, 396, 470, 385, 411, 281, 300, 318, 391, 398, 337, 477, 422, 495, 471, 368, 345,
    296, 319, 349, 375, 441, 465, 472, 521, 429, 408, 490, 491,
]  # fmt: skip

MONTHS_1969_1984 = pd.period_range("1969-01", periods=192, freq="M").astype(str)
COLUMNS = ["estimate", "std_error", "ci_low", "ci_high", "p_value"]
SEGMENT_TERMS = ["baseline_level", "pre_trend", "level_change", "slope_change"]


def check_against_r(table, expected_rows, rel=1e-9):
    """Compare each row's (estimate, se, ci low, ci high, p) with R's, term by term."""
    for term, expected in expected_rows.items():
        got = table.set_index("term").loc[term, COLUMNS].to_numpy(dtype=float)
        assert got == pytest.approx(expected, rel=rel), term


def test_nile_with_the_default_lag_matches_r():
    # floor(4 * (100 / 100)^(2/9)) = 4, so the default lag is 4: NeweyWest(fit, lag = 4, ...)
    table = interrupted_time_series(NILE, 28)
    assert table["term"].tolist() == SEGMENT_TERMS
    assert table.attrs["lag"] == 4 and table.attrs["n"] == 100 and table.attrs["df_residual"] == 96
    check_against_r(
        table,
        {
            # Estimate, Std. Error, 2.5 %, 97.5 %, Pr(>|t|)
            "baseline_level": [1082.09605911329936134, 34.3550503710070458,
                               1013.9018231052866668, 1150.2902951213120559,
                               2.0817934165291344e-52],
            "pre_trend": [1.15955117679259656, 2.6437225201030787, -4.0881965496306290,
                          6.4072989032158212, 6.6193291582973501e-01],
            "level_change": [-289.10268536638443493, 63.0498036635166912,
                             -414.2555564830362300, -163.9498142497326683,
                             1.3669633769711388e-05],
            "slope_change": [-0.46908876763445106, 2.7572859214752214, -5.9422580641445073,
                             5.0040805288756047, 8.6526828131934430e-01],
        },
    )  # fmt: skip


def test_nile_with_lag_zero_is_hc1_and_matches_r():
    # R: NeweyWest(fit, lag = 0, prewhite = FALSE, adjust = TRUE)
    check_against_r(
        interrupted_time_series(NILE, 28, lags=0),
        {
            "baseline_level": [1082.09605911329936134, 47.4150217995189536,
                               987.9779847107589603, 1176.2141335158398761,
                               1.4673017660181843e-40],
            "level_change": [-289.10268536638443493, 53.2937687481923845,
                             -394.8899802334521496, -183.3153904993167203,
                             4.3375839816601867e-07],
        },
    )  # fmt: skip


def test_missing_values_are_left_out_as_lm_does():
    # R: yn <- as.numeric(Nile); yn[c(11, 61)] <- NA; lm(yn ~ ...) (na.omit), lag = 2,
    # coefci(fit, vcov = V, level = 0.9)
    values = np.array(NILE, dtype=float)
    values[[10, 60]] = np.nan
    table = interrupted_time_series(values, 28, lags=2, conf=0.9)
    assert table.attrs["n"] == 98 and table.attrs["df_residual"] == 94
    check_against_r(
        table,
        {
            "pre_trend": [0.96211162372922998, 2.5945124266154158, -3.3479595012523937,
                          5.2721827487108524, 7.1160181582561299e-01],
            "level_change": [-288.71310014686247314, 62.3826967633647698,
                             -392.3448489332860731, -185.0813513604389300,
                             1.1799819624847395e-05],
        },
    )  # fmt: skip


def test_seat_belt_law_with_month_of_year_terms_matches_r():
    # R: month <- cycle(UKDriverDeaths); lm(y ~ t + after + I((t - s) * after) + factor(month))
    # with s = 169 (February 1983); floor(4 * (192 / 100)^(2/9)) = 4
    table = interrupted_time_series(UK_DRIVER_DEATHS, 169, seasonal=True, periods=MONTHS_1969_1984)
    assert table["term"].tolist() == SEGMENT_TERMS + [f"month_{m:02d}" for m in range(2, 13)]
    assert table.attrs["lag"] == 4 and table.attrs["df_residual"] == 192 - 15
    check_against_r(
        table,
        {
            "pre_trend": [-1.7784102844565810, 0.40042647845203805, -2.5686348020666001,
                          -0.98818576684656168, 1.5712395837893074e-05],
            "level_change": [-300.6661709995361207, 42.62795283635821875,
                             -384.7906115136481162, -216.54173048542412516,
                             3.7881431805967780e-11],
            "slope_change": [6.8711284360483589, 2.23215612983002387, 2.4660638465535509,
                             11.27619302554316683, 2.4138813547455794e-03],
            "month_02": [-179.8593995553265188, 46.82018334641212931, -272.2570275602456604,
                         -87.46177155040736295, 1.7020562022181115e-04],
            "month_12": [447.1482927441790594, 49.34967949111912588, 349.7588123560841495,
                         544.53777313227396917, 2.3759248367764733e-16],
        },
    )  # fmt: skip


def test_seat_belt_law_without_seasonal_terms_matches_r():
    check_against_r(
        interrupted_time_series(UK_DRIVER_DEATHS, 169, lags=4),
        {
            "level_change": [-457.7681006284680052, 76.37375196450878434,
                             -608.4277518060373495, -307.10844945089866087,
                             1.0268304189522967e-08],
            "slope_change": [19.2016179865776557, 6.45847764088791987, 6.4612200948192768,
                             31.94201587833603639, 3.3342640115527926e-03],
        },
    )  # fmt: skip


def test_controlled_series_is_front_minus_rear_seat_passengers_and_matches_r():
    # The law covered front seats only: rear-seat passengers are the comparison.
    # R: y <- Seatbelts[, "front"] - Seatbelts[, "rear"]; same model; lag = 3
    table = controlled_interrupted_time_series(FRONT, REAR, 169, lags=3)
    assert "controlled" in table.attrs["design"]
    check_against_r(
        table,
        {
            "baseline_level": [576.0219979115905744, 19.47790216356369797,
                               537.59866698767552862, 614.44532883550562019,
                               1.2570860887375804e-72],
            "level_change": [-227.8514462126502451, 18.05322734304867893,
                             -263.46437426936029169, -192.23851815594017012,
                             7.5233094337578058e-27],
            "slope_change": [3.2287847505632290, 1.62374044444383969, 0.02569255369823864,
                             6.43187694742821936, 4.8208780341871205e-02],
        },
    )  # fmt: skip


def test_newey_west_covariance_matches_statsmodels_hac_with_correction():
    t = np.arange(192.0)
    after = (t >= 169).astype(float)
    design = np.column_stack([np.ones(192), t, after, (t - 169) * after])
    fit = sm.OLS(np.array(UK_DRIVER_DEATHS, float), design).fit(
        cov_type="HAC", cov_kwds={"maxlags": 4, "use_correction": True}
    )
    ours = newey_west_covariance(design, fit.resid, lag=4)
    np.testing.assert_allclose(ours, fit.cov_params(), rtol=1e-10)
    # adjust=False drops exactly the factor n / (n - k) = 192 / 188
    unadjusted = newey_west_covariance(design, fit.resid, lag=4, adjust=False)
    np.testing.assert_allclose(unadjusted * 192 / 188, ours, rtol=1e-13)


@pytest.mark.parametrize(
    "n, lag",
    [
        # 4 (n/100)^(2/9): n=12 -> 2.497, n=36 -> 3.188, n=48 -> 3.398, n=100 -> 4,
        # n=192 -> 4.625, n=500 -> 5.724
        (12, 2), (36, 3), (48, 3), (100, 4), (192, 4), (500, 5),
    ],
)  # fmt: skip
def test_default_lag_is_the_newey_west_rule_of_thumb(n, lag):
    assert default_newey_west_lag(n) == lag


def test_a_noiseless_series_gives_its_level_and_slope_change_by_hand():
    # 10 + t before position 5; from position 5: 20 + 2 (t - 5). So b0 = 10, b1 = 1,
    # level change = 20 - (10 + 5) = 5, slope change = 2 - 1 = 1; the residuals are 0.
    values = [10, 11, 12, 13, 14, 20, 22, 24, 26, 28]
    table = interrupted_time_series(values, 5, lags=1)
    assert table["estimate"].to_numpy() == pytest.approx([10, 1, 5, 1], abs=1e-10)
    assert table["std_error"].to_numpy() == pytest.approx([0, 0, 0, 0], abs=1e-10)
    lines = interrupted_time_series_lines(values, 5)
    assert lines["fitted"].to_numpy() == pytest.approx(values, abs=1e-10)
    # counterfactual: 10 + t carried on -> 15, 16, 17, 18, 19 after the intervention
    assert lines["counterfactual"].to_numpy() == pytest.approx(np.arange(10, 20), abs=1e-10)


def test_lines_with_month_terms_use_the_r_coefficients():
    lines = interrupted_time_series_lines(
        UK_DRIVER_DEATHS, 169, seasonal=True, periods=MONTHS_1969_1984
    )
    assert lines["period"].iloc[-1] == "1984-12"
    # Position 191 (December 1984), from R's coefficients above:
    # intercept 1872.0621604887826 + t -1.778410284456581 * 191 + month12 447.14829274417906
    #   = 1979.5340889017557 (counterfactual); + after -300.66617099953612
    #   + slope 6.8711284360483589 * (191 - 169) = 1830.0327434952773 (fitted)
    assert lines["counterfactual"].iloc[-1] == pytest.approx(1979.5340889017557, rel=1e-10)
    assert lines["fitted"].iloc[-1] == pytest.approx(1830.0327434952773, rel=1e-10)
    before = lines["position"] < 169
    assert (lines.loc[before, "fitted"] == lines.loc[before, "counterfactual"]).all()
    assert lines["observed"].tolist() == UK_DRIVER_DEATHS


def test_bad_input_is_refused_with_a_helpful_message():
    with pytest.raises(ValueError, match="at least 3 values before and after"):
        interrupted_time_series(NILE[:30], 28)
    with pytest.raises(ValueError, match="at least 3 values before and after"):
        interrupted_time_series(NILE, 0)
    with pytest.raises(ValueError, match="whole-number position"):
        interrupted_time_series(NILE, 28.5)
    with pytest.raises(ValueError, match="lags must be a whole number from 0 to 99"):
        interrupted_time_series(NILE, 28, lags=100)
    with pytest.raises(ValueError, match="seasonal=True needs periods"):
        interrupted_time_series(UK_DRIVER_DEATHS, 169, seasonal=True)
    gap = list(MONTHS_1969_1984[:100]) + list(MONTHS_1969_1984[101:]) + ["1985-01"]
    with pytest.raises(ValueError, match="consecutive months; 1977-04 is followed by 1977-06"):
        interrupted_time_series(UK_DRIVER_DEATHS, 169, seasonal=True, periods=gap)
    with pytest.raises(ValueError, match="periods must be monthly"):
        interrupted_time_series(NILE, 28, seasonal=True, periods=["spring"] * 100)
    with pytest.raises(ValueError, match="same periods; got 192 and 191"):
        controlled_interrupted_time_series(FRONT, REAR[:-1], 169)
    with pytest.raises(ValueError, match="numbers only"):
        interrupted_time_series(["high"] * 10, 5)
    with pytest.raises(ValueError, match="did you mean 0.95"):
        interrupted_time_series(NILE, 28, conf=95)
