"""Wilson intervals and the two-proportion test against PHEindicatormethods and R.

PHE numbers are PHEindicatormethods' own test expectations
(ukhsa-collaboration/PHEindicatormethods, tests/testthat/testdata_Proportion.xlsx sheet
testdata_Prop and testdata_Byars_Wilson.xlsx sheet testdata_B_W, commit 093fd28).
"""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import two_proportion_test, wilson_ci

# testdata_Prop rows Area1-Area8: Numerator, Denominator, lower95_0cl, upper95_0cl,
# lower99_8cl, upper99_8cl (proportion of 1)
# fmt: off
PHE_PROPORTIONS = [
    (1, 100, 0.0017674320641406511, 0.054486196178705294,
     0.000873065697299977, 0.1045544528370582),
    (5, 100, 0.02154367915436798, 0.11175046923191911,
     0.013865320725997183, 0.16458852282596442),
    (20, 100, 0.1333669333310325, 0.28882916559315885,
     0.10519162066711432, 0.3471109417008601),
    (65, 100, 0.5525444329688797, 0.7363575175690247,
     0.4954946574070431, 0.7783540614089697),
    (9856, 12345, 0.7912101752909069, 0.8053640073614909,
     0.7869924108419063, 0.8093061412589626),
    (7776456, 7564336677, 0.0010273201001641094, 0.0010287644578977231,
     0.0010269040118442213, 0.0010291812992698397),
    (222, 3215, 0.060791690363636595, 0.07833956681383633,
     0.05647101964624248, 0.08418414185270134),
    (999, 3456, 0.27418951080009873, 0.30440389662818057,
     0.26583995768074953, 0.3134475449279985),
]
# fmt: on


@pytest.mark.parametrize("conf, lower_col, upper_col", [(0.95, 2, 3), (0.998, 4, 5)])
def test_wilson_matches_phe_proportion_test_data(conf, lower_col, upper_col):
    table = np.array(PHE_PROPORTIONS, dtype=float)
    lower, upper = wilson_ci(table[:, 0], table[:, 1], conf=conf)
    np.testing.assert_allclose(lower, table[:, lower_col], rtol=1e-12)
    np.testing.assert_allclose(upper, table[:, upper_col], rtol=1e-12)


def test_wilson_matches_phe_non_integer_numerator():
    # testdata_B_W: x = 0.445, n = 1 at 95% and at 99.8%
    np.testing.assert_allclose(
        wilson_ci(0.445, 1), (0.04381744772058822, 0.9334621276979156), rtol=1e-12
    )
    np.testing.assert_allclose(
        wilson_ci(0.445, 1, conf=0.998), (0.019347006132900975, 0.9702259947019541), rtol=1e-12
    )


@pytest.mark.parametrize(
    "x, n, conf, expected",
    [
        # R: prop.test(7, 20, correct = FALSE)$conf.int -> 0.181191824101082 0.567145723314764
        (7, 20, 0.95, (0.181191824101082, 0.567145723314764)),
        # R: prop.test(0, 20, correct = FALSE)$conf.int -> 0 0.161125158052819
        (0, 20, 0.95, (0.0, 0.161125158052819)),
        # R: prop.test(20, 20, correct = FALSE)$conf.int -> 0.838874841947181 1
        (20, 20, 0.95, (0.838874841947181, 1.0)),
        # R: prop.test(65, 100, correct = FALSE, conf.level = 0.998)$conf.int
        #    -> 0.495494657407045 0.778354061408969 (PHE's 99.8% row for 65/100 agrees)
        (65, 100, 0.998, (0.495494657407045, 0.778354061408969)),
    ],
)
def test_wilson_is_prop_test_without_continuity_correction(x, n, conf, expected):
    lower, upper = wilson_ci(x, n, conf=conf)
    assert lower == pytest.approx(expected[0], rel=1e-12, abs=1e-15)
    assert upper == pytest.approx(expected[1], rel=1e-12)


def test_wilson_edges_are_exact_and_empty_groups_are_nan():
    lower, upper = wilson_ci([0, 12, 0, np.nan], [12, 12, 0, 10])
    assert lower[0] == 0.0 and upper[1] == 1.0
    assert np.isnan(lower[2]) and np.isnan(upper[2])  # n = 0
    assert np.isnan(lower[3]) and np.isnan(upper[3])  # missing count


def test_wilson_keeps_the_index_of_a_series():
    n_positive = pd.Series([7, 0], index=["Nursing", "Admin"])
    lower, upper = wilson_ci(n_positive, pd.Series([20, 20], index=["Nursing", "Admin"]))
    assert list(lower.index) == ["Nursing", "Admin"]
    assert upper["Admin"] == pytest.approx(0.161125158052819, rel=1e-12)


@pytest.mark.parametrize(
    "x, n, message",
    [
        (-1, 10, "must be 0 or more"),
        (5, -1, "must be 0 or more"),
        (11, 10, "must not exceed"),
        ("a lot", 10, "numbers only"),
    ],
)
def test_wilson_rejects_impossible_counts(x, n, message):
    with pytest.raises(ValueError, match=message):
        wilson_ci(x, n)


@pytest.mark.parametrize("conf", [95, 0, 1, -0.5, "0.95"])
def test_wilson_rejects_a_confidence_outside_zero_and_one(conf):
    with pytest.raises(ValueError, match="conf must be"):
        wilson_ci(5, 10, conf=conf)


@pytest.mark.parametrize(
    "x1, n1, x2, n2, chi_squared, p_value",
    [
        # R: prop.test(c(45, 30), c(60, 60), correct = FALSE) -> X-squared 8, p 0.00467773498104727
        (45, 60, 30, 60, 8.0, 0.00467773498104727),
        # the first two groups of ?prop.test's smokers example:
        # R: prop.test(c(83, 90), c(86, 93), correct = FALSE)
        #    -> X-squared 0.00950851874818416, p 0.922320095734269
        (83, 86, 90, 93, 0.00950851874818416, 0.922320095734269),
        # R: prop.test(c(129, 70), c(136, 82), correct = FALSE)$p.value -> 0.0161432937786357
        (129, 136, 70, 82, None, 0.0161432937786357),
    ],
)
def test_two_proportion_test_matches_prop_test(x1, n1, x2, n2, chi_squared, p_value):
    diff_pp, z, p = two_proportion_test(x1, n1, x2, n2)
    assert diff_pp == pytest.approx(100 * (x1 / n1 - x2 / n2))
    assert p == pytest.approx(p_value, rel=1e-10)
    if chi_squared is not None:
        assert z**2 == pytest.approx(chi_squared, rel=1e-10)


def test_two_proportion_test_by_hand_and_vectorised():
    # 45/60 = 0.75 vs 30/60 = 0.5: pooled 75/120 = 0.625,
    # se = sqrt(0.625 * 0.375 * (1/60 + 1/60)) = 0.0883883; z = 0.25 / 0.0883883 = 2.8284271
    diff_pp, z, p = two_proportion_test([45, 30], [60, 60], [30, 45], [60, 60])
    np.testing.assert_allclose(diff_pp, [25.0, -25.0])
    np.testing.assert_allclose(z, [2.8284271247461903, -2.8284271247461903])
    np.testing.assert_allclose(p, [0.00467773498104727] * 2, rtol=1e-10)


def test_two_proportion_test_without_variation_gives_no_test():
    # R: prop.test(c(0, 0), c(20, 30), correct = FALSE)$p.value is NaN
    diff_pp, z, p = two_proportion_test(0, 20, 0, 30)
    assert diff_pp == 0.0 and np.isnan(z) and np.isnan(p)
    diff_pp, z, p = two_proportion_test(0, 0, 3, 10)
    assert np.isnan(diff_pp) and np.isnan(p)


def test_two_proportion_test_rejects_impossible_counts():
    with pytest.raises(ValueError, match="x2 must not exceed n2"):
        two_proportion_test(5, 10, 12, 10)
