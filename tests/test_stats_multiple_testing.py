"""Holm and Benjamini-Hochberg adjustment against R's p.adjust."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import adjust_p_values

# The 15 p-values of Benjamini & Hochberg (1995), section 4 (their worked example)
BH_1995 = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
    0.5719, 0.6528, 0.7590, 1.000,
]  # fmt: skip


def test_holm_matches_p_adjust_on_the_bh_1995_example():
    # R: p.adjust(BH_1995, "holm")
    expected = [0.0015, 0.0056, 0.0247, 0.1140, 0.2211, 0.2780, 0.2780, 0.2780, 0.3213]
    expected += [1.0] * 6
    np.testing.assert_allclose(adjust_p_values(BH_1995, "holm"), expected, rtol=1e-12)


def test_bh_matches_p_adjust_on_the_bh_1995_example():
    # R: p.adjust(BH_1995, "BH")
    expected = [
        0.0015, 0.0030, 0.0095, 0.035625, 0.0603, 0.0638571428571429, 0.0638571428571429,
        0.0645, 0.0765, 0.4860, 0.5811818181818181, 0.7148749999999999, 0.7532307692307693,
        0.8132142857142857, 1.0,
    ]  # fmt: skip
    adjusted = adjust_p_values(BH_1995, "bh")
    np.testing.assert_allclose(adjusted, expected, rtol=1e-12)
    # the paper rejects the four smallest hypotheses at q = 0.05
    assert (adjusted <= 0.05).sum() == 4


@pytest.mark.parametrize(
    "method, expected",
    [
        # R: p.adjust(c(0.04, NA, 0.01, 0.03, 0.2, 0.01), "holm") -> 0.09 NA 0.05 0.09 0.20 0.05
        ("holm", [0.09, np.nan, 0.05, 0.09, 0.20, 0.05]),
        # R: p.adjust(c(0.04, NA, 0.01, 0.03, 0.2, 0.01), "BH") -> 0.05 NA 0.025 0.05 0.2 0.025
        ("BH", [0.05, np.nan, 0.025, 0.05, 0.2, 0.025]),
    ],
)
def test_missing_p_values_stay_missing_and_are_not_counted(method, expected):
    p = pd.Series([0.04, None, 0.01, 0.03, 0.2, 0.01], index=list("abcdef"), dtype=float)
    adjusted = adjust_p_values(p, method)
    assert list(adjusted.index) == list("abcdef")
    np.testing.assert_allclose(adjusted, expected, rtol=1e-12)


def test_adjust_p_values_rejects_unknown_methods_and_impossible_p_values():
    with pytest.raises(ValueError, match="method must be one of"):
        adjust_p_values([0.1, 0.2], "bonferroni")
    with pytest.raises(ValueError, match="between 0 and 1"):
        adjust_p_values([0.1, 1.2], "holm")
