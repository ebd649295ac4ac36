"""Quantile groups against PHEindicatormethods' own test data.

Reference: ukhsa-collaboration/PHEindicatormethods, commit 093fd28,
``tests/testthat/testdata_Quantiles.xlsx`` (sheet ``testdata_Quantiles``) as read by
``data-raw/LoadTestdata.R`` and used by ``tests/testthat/testQuantiles.R`` ("test grouped df
field": deciles within indicator and region, ``invert = Polarity``). The two groups below are
its ``GooddataDups`` rows, which have tied values; every one of the file's 22 good groups (982
rows) was checked the same way when this test was written.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import quantile_groups

# 11111Female, Region1, Polarity TRUE (invert: highest value in decile 1): Value, QuantileInGrp
REGION1 = [
    (182.71, 1), (175.99, 1), (169.27, 2), (169.27, 2), (155.83, 4), (149.11, 4),
    (142.39, 5), (135.67, 6), (128.95, 7), (121.40, 7), (108.90, 8), (108.90, 8),
    (101.60, 10),
]  # fmt: skip
# 22222Female, Region2, Polarity FALSE (lowest value in decile 1)
REGION2 = [
    (10.0, 1), (11.0, 1), (13.0, 1), (15.0, 2), (19.0, 2), (20.2, 3), (22.4, 3), (24.6, 4),
    (26.8, 4), (29.0, 5), (31.2, 5), (33.4, 6), (35.6, 6), (37.8, 6), (37.8, 6), (42.2, 7),
    (44.4, 8), (46.6, 8), (46.6, 8), (51.0, 9), (53.2, 10), (55.4, 10),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "invert"), [(REGION1, True), (REGION2, False)])
def test_deciles_match_phe_quantile_test_data(rows, invert):
    values, expected = zip(*rows, strict=True)
    assert quantile_groups(values, nquantiles=10, invert=invert).tolist() == list(expected)


def test_ties_by_hand():
    # REGION1: n = 13, n / q = 1.3. The tied 169.27 are a = 182.71 - 169.27 = 13.44 apart
    # from the top and both take rank 3 (ties.method "min"): floor(11 - ceiling(11 / 1.3)) =
    # floor(11 - 9) = 2. The last, rank 13: floor(11 - ceiling(1 / 1.3)) = 10.
    groups = quantile_groups([v for v, _ in REGION1], nquantiles=10)
    assert groups[2] == groups[3] == 2 and groups[-1] == 10


def test_too_few_values_and_missing_values_get_no_group():
    # testQuantiles.R, "warnings are generated when too few small areas": fewer values than
    # quantiles give no quantile (NA in R).
    assert np.isnan(quantile_groups([3.0, 1.0, 2.0], nquantiles=5)).all()
    # missing values are left out of the count and get no group; five values make quintiles
    groups = quantile_groups(pd.Series([5.0, np.nan, 4.0, 3.0, 2.0, 1.0]), invert=False)
    assert groups.tolist()[2:] == [4.0, 3.0, 2.0, 1.0] and groups[0] == 5 and np.isnan(groups[1])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"values": ["a", "b"]}, "values must be numbers"),
        ({"values": [1.0, 2.0], "nquantiles": 1}, "nquantiles must be a whole number"),
        ({"values": [1.0, 2.0], "nquantiles": 2.5}, "nquantiles must be a whole number"),
        ({"values": [1.0, 2.0], "invert": 6}, "invert must be True or False"),
    ],
)
def test_invalid_arguments_are_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        quantile_groups(**arguments)
