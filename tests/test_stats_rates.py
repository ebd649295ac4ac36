"""Byar, exact Poisson and rate intervals against PHEindicatormethods' test data and R.

PHE numbers are from PHEindicatormethods' own test expectations
(ukhsa-collaboration/PHEindicatormethods, tests/testthat/testdata_Byars_Wilson.xlsx sheet
testdata_B_W and testdata_Rate.xlsx sheets testdata_Rate and testdata_Rate_g, commit 093fd28).
"""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import byar_ci, exact_poisson_ci, rate_ci


def test_byar_matches_phe_test_data():
    # testdata_B_W rows 1-3: 65, 1045 and 1 events at 95%
    lower, upper = byar_ci([65, 1045, 1])
    expected_lower = [50.163187710459454, 982.5932018073325, 0.01307213290150435]
    expected_upper = [82.84913854593984, 1110.33121298565, 5.5637555824752605]
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-12)


def test_byar_matches_phe_test_data_at_99_8_percent():
    # testdata_B_W rows 4-6: 65, 1045 and 10 events at 99.8%
    lower, upper = byar_ci([65, 1045, 10], conf=0.998)
    expected_lower = [42.8802614714802, 947.9407035610374, 2.916318374695686]
    expected_upper = [94.00029084431802, 1148.806160988033, 24.193724927880535]
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-12)


def test_byar_negative_lower_limit_is_missing_as_in_phe():
    # testdata_B_W row 13: 1 event at 99.8% -> lowercl NA, uppercl 9.362180217908362
    lower, upper = byar_ci(1, conf=0.998)
    assert np.isnan(lower)
    assert upper == pytest.approx(9.362180217908362, rel=1e-12)
    assert np.isnan(byar_ci(0)[0])


@pytest.mark.parametrize(
    "x, conf, expected",
    [
        # R: poisson.test(0)$conf.int -> 0 3.68887945411394
        (0, 0.95, (0.0, 3.68887945411394)),
        # R: poisson.test(3)$conf.int -> 0.618672122895602 8.767273069742323
        (3, 0.95, (0.618672122895602, 8.767273069742323)),
        # R: poisson.test(9, conf.level = 0.998)$conf.int -> 2.45242440436378 22.65737330906293
        (9, 0.998, (2.45242440436378, 22.65737330906293)),
    ],
)
def test_exact_poisson_matches_poisson_test(x, conf, expected):
    lower, upper = exact_poisson_ci(x, conf=conf)
    assert lower == pytest.approx(expected[0], rel=1e-12)
    assert upper == pytest.approx(expected[1], rel=1e-12)


# testdata_Rate rows Area1-Area8 (rate per 100000): Numerator, Denominator, lower95_0cl,
# upper95_0cl, lower99_8cl, upper99_8cl; the first two use the exact method, the rest Byar's.
# fmt: off
PHE_RATES = [
    (1, 100, 25.317807984289896, 5571.643390938898,
     1.0005003335835343, 9233.413476451586),
    (5, 100, 1623.4863901184199, 11668.332079322669,
     739.3717319178389, 16454.745203680104),
    (20, 100, 12211.428834875936, 30889.880369197064,
     8922.802365144193, 38085.03562504191),
    (65, 100, 50163.18771045945, 82849.13854593984,
     42880.261471480204, 94000.290844318),
    (9856, 12345, 78269.49058976758, 81430.01654272141,
     77375.90543271053, 82354.47277095431),
    (7776456, 7564336677, 102.73196005302074, 102.87648334092832,
     102.690317308454, 102.91817639509068),
    (222, 3215, 6026.574877652674, 7875.729370871851,
     5560.737695259853, 8461.04668173341),
    (999, 3456, 27141.30493609052, 30755.833237378414,
     26162.147596445768, 31845.604819822653),
]
# fmt: on


@pytest.mark.parametrize("conf, lower_col, upper_col", [(0.95, 2, 3), (0.998, 4, 5)])
def test_rate_matches_phe_rate_test_data(conf, lower_col, upper_col):
    table = np.array(PHE_RATES, dtype=float)
    lower, upper = rate_ci(table[:, 0], table[:, 1], conf=conf)
    np.testing.assert_allclose(lower, table[:, lower_col], rtol=1e-12)
    np.testing.assert_allclose(upper, table[:, upper_col], rtol=1e-12)


def test_rate_switches_to_byar_at_ten_events_and_uses_the_multiplier():
    # testdata_Rate_g Area1 (2/200, exact) and Area2 (10/200, Byar's), per 100000
    lower, upper = rate_ci([2, 10], [200, 200])
    np.testing.assert_allclose(lower, [121.10463927198258, 2393.7249569837822], rtol=1e-12)
    np.testing.assert_allclose(upper, [3612.3438338619794, 9195.729302878237], rtol=1e-12)
    # testdata_Rate Area2 per 100: 5/100
    lower, upper = rate_ci(5, 100, multiplier=100)
    assert (lower, upper) == pytest.approx((1.62348639011842, 11.668332079322669), rel=1e-12)


def test_rate_allows_more_events_than_the_denominator_and_missing_values():
    # testdata_Rate Area12: 250 / 220 -> 99984.94738532876 128631.14487455782;
    # Area09 (missing numerator) and Area10 (missing denominator) -> NA
    numerator = pd.Series([250, np.nan, 10], index=["Area12", "Area09", "Area10"])
    lower, upper = rate_ci(numerator, [220, 100, np.nan])
    assert lower["Area12"] == pytest.approx(99984.94738532876, rel=1e-12)
    assert upper["Area12"] == pytest.approx(128631.14487455782, rel=1e-12)
    assert lower[["Area09", "Area10"]].isna().all() and upper[["Area09", "Area10"]].isna().all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"x": -65, "n": 100}, "must be 0 or more"),
        ({"x": 65, "n": 0}, "greater than 0"),
        ({"x": 65, "n": -100}, "greater than 0"),
        ({"x": 65, "n": 100, "conf": 99.8}, "did you mean 0.998"),
        ({"x": 65, "n": 100, "multiplier": 0}, "multiplier"),
    ],
)
def test_rate_rejects_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rate_ci(**kwargs)
