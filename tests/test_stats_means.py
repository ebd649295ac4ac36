"""The t interval for a mean against PHEindicatormethods' phe_mean test data and R.

PHE numbers: ukhsa-collaboration/PHEindicatormethods, tests/testthat/testdata_Mean.xlsx,
sheets testdata_Mean (values) and testdata_Mean_results (expected), commit 093fd28.
"""

import numpy as np
import pytest

from analysis.stats import mean_ci

AREA1 = [33.09375, 48.38596, 64.83495, 67.98475, 22.93556, 71.23587, 38.78465, 82.37927]
AREA2 = [
    5555.66666, 6666.77777, 4444.88888, 2222.99999, 3333.88888, 5555.44444, 6666.33333,
    7777.44444, 5555.99999, 8888.33333, 2222.55555, 4444.33333, 6666.22222, 4444.11111,
    4444.22222, 5555.11111, 7777.22222, 9999.77777,
]  # fmt: skip


@pytest.mark.parametrize(
    "values, conf, expected",
    [
        # testdata_Mean_results Area1, 95% and 99.8%; also
        # R: t.test(AREA1)$conf.int -> 36.1683252413365 71.2403647586635
        (AREA1, 0.95, (36.168325241336504, 71.24036475866352)),
        (AREA1, 0.998, (18.216705294788838, 89.19198470521118)),
        # testdata_Mean_results Area2 and "No grouping" (all 26 values)
        (AREA2, 0.95, (4625.790022452972, 6732.135893102583)),
        (AREA2, 0.998, (3859.0770997295967, 7498.848815825959)),
        (AREA1 + AREA2, 0.95, (2666.995676745849, 5229.232630946458)),
        (AREA1 + AREA2, 0.998, (1801.9535385474737, 6094.274769144833)),
    ],
)
def test_mean_ci_matches_phe_mean(values, conf, expected):
    assert mean_ci(values, conf=conf) == pytest.approx(expected, rel=1e-12)


def test_mean_ci_leaves_out_missing_values_and_needs_two():
    assert mean_ci([*AREA1, None, np.nan]) == pytest.approx(mean_ci(AREA1), rel=1e-15)
    assert all(np.isnan(mean_ci([4.0])))
    assert all(np.isnan(mean_ci([])))


def test_mean_ci_by_hand():
    # values 1, 2, 3: mean 2, sd 1, se 1/sqrt(3); R: qt(0.975, 2) -> 4.302652729749462
    # half width = 4.302652729749462 / sqrt(3) = 2.48413771175033
    # R: t.test(c(1, 2, 3))$conf.int -> -0.4841377117503298 4.4841377117503294
    lower, upper = mean_ci([1, 2, 3])
    assert (upper - lower) / 2 == pytest.approx(4.302652729749462 / np.sqrt(3), rel=1e-12)
    assert (lower, upper) == pytest.approx((-0.4841377117503298, 4.4841377117503294), rel=1e-12)


def test_mean_ci_rejects_text_and_bad_confidence():
    with pytest.raises(ValueError, match="numbers only"):
        mean_ci(["high", "low"])
    with pytest.raises(ValueError, match="did you mean 0.95"):
        mean_ci(AREA1, conf=95)
