"""Breakdowns by group, each group against the rest, response rates and key drivers.

The tiny package is described in test_survey_scores.py. R 4.2.2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from package_builder import write_package

from analysis.datapackage import load_data_package
from analysis.stats import weighted_percent
from analysis.survey import (
    DRIVER_COLUMNS,
    GROUP_DIFFERENCE_COLUMNS,
    ITEM_SCORE_COLUMNS,
    NOT_STATED,
    breakdown_types,
    count_answers,
    default_outcome,
    group_differences,
    item_scores_by_group,
    key_drivers,
    response_rates,
    score_items,
    workforce_weights,
)

BREAKDOWNS = breakdown_types(["directorate", "staff_group"])


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return load_data_package(write_package(tmp_path_factory.mktemp("breakdowns") / "tiny"))


@pytest.fixture(scope="module")
def counts(package):
    return count_answers(package.responses, package.questionnaire, ["directorate", "staff_group"])


def _row(table, **keys):
    chosen = table
    for column, value in keys.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, f"expected one row for {keys}, got {len(chosen)}"
    return chosen.iloc[0]


def test_breakdown_types_name_every_group_column_and_the_crossing():
    assert BREAKDOWNS == {
        "organisation": (),
        "directorate": ("directorate",),
        "staff_group": ("staff_group",),
        "directorate x staff_group": ("directorate", "staff_group"),
    }
    with pytest.raises(ValueError, match="more than one crossing"):
        breakdown_types(["a", "b", "c"], crossed=[("a", "b"), ("a", "c")])


def test_item_scores_by_group_cover_every_group_of_the_respondents(counts, package):
    table = item_scores_by_group(counts, package.questionnaire, BREAKDOWNS, None, "Testfield")
    assert list(table.columns) == ["year", "group_type", "group", "item_id", *ITEM_SCORE_COLUMNS]
    groups_2022 = table[(table.year == 2022) & (table.item_id == "enthusiastic")]
    assert groups_2022.set_index(["group_type", "group"])["n"].to_dict() == {
        ("organisation", "Testfield"): 3,
        ("directorate", "Community"): 2,
        ("directorate", "Corporate"): 0,  # A3 left it blank: a row all the same
        ("directorate", NOT_STATED): 1,
        ("staff_group", "Admin"): 1,
        ("staff_group", "Nursing"): 2,
        ("directorate x staff_group", "Community | Nursing"): 2,
        ("directorate x staff_group", "Corporate | Admin"): 0,
        ("directorate x staff_group", f"{NOT_STATED} | Admin"): 1,
    }
    organisation = table[table.group_type == "organisation"].drop(columns=["group_type", "group"])
    expected = score_items(counts, package.questionnaire)
    pd.testing.assert_frame_equal(organisation.reset_index(drop=True), expected)


def test_group_against_the_rest_matches_prop_test(counts, package):
    table = group_differences(counts, package.questionnaire, BREAKDOWNS)
    assert list(table.columns) == list(GROUP_DIFFERENCE_COLUMNS)
    row = _row(table, year=2023, group="Community", item_id="enthusiastic")
    # Community: B1, B2, B3 -> 1 of 3 positive; the rest (B4, B5): 2 of 2.
    assert (row.n, row.rest_n) == (3, 2)
    assert (row.pct, row.rest_pct, row.diff_pp) == pytest.approx((100 / 3, 100.0, -200 / 3))
    # R: prop.test(c(1, 2), c(3, 2), correct = FALSE)$p.value -> 0.136037128114144
    assert row.p_value == pytest.approx(0.136037128114144, rel=1e-12)
    assert "organisation" not in set(table.group_type)


def test_weighted_rest_of_organisation_equals_svymean_of_the_rest():
    rng = np.random.default_rng(3)
    size = 240
    responses = pd.DataFrame(
        {
            "year": 2024,
            "directorate": rng.choice(["North", "South", "East"], size),
            "staff_group": rng.choice(["Nursing", "Admin"], size, p=[0.7, 0.3]),
            "q1": pd.array(rng.choice([1, 2, 3, 4, 5, None], size), dtype="Int64"),
        }
    )
    questionnaire = pd.DataFrame(
        {
            "year": [2024],
            "item_id": ["a"],
            "column": ["q1"],
            "positive_codes": [(4, 5)],
            "excluded_codes": [()],
        }
    )
    staff = pd.DataFrame(
        {"year": 2024, "staff_group": ["Nursing", "Admin"], "headcount": [400, 90]}
    )
    weights = workforce_weights(responses, staff)
    counts = count_answers(responses, questionnaire, ["directorate", "staff_group"])
    table = group_differences(
        counts, questionnaire, breakdown_types(["directorate"], ()), weights, weighted=True
    )
    row = _row(table, group="North")
    weight = responses["staff_group"].map(weights.set_index("staff_group")["weight"])
    positive = responses["q1"].isin([4, 5]).astype(float).where(responses["q1"].notna())
    north = (responses["directorate"] == "North").to_numpy()
    group_pct, group_se = weighted_percent(positive[north], weight[north])
    rest_pct, rest_se = weighted_percent(positive[~north], weight[~north])
    assert (row.pct, row.rest_pct) == pytest.approx((group_pct, rest_pct), rel=1e-12)
    assert row.z == pytest.approx((group_pct - rest_pct) / np.hypot(group_se, rest_se), rel=1e-12)


def test_response_rates_by_hand(package):
    table = response_rates(package.responses, package.staff, BREAKDOWNS, "Testfield")
    rates = table[table.year == 2023].set_index("group")
    # 2023: 5 respondents of 20 staff; Community 3 of 12 + 3; Corporate 2 of 5.
    assert rates.loc["Testfield", ["headcount", "respondents", "response_rate"]].tolist() == [
        20,
        5,
        25.0,
    ]
    assert rates.loc["Community", "response_rate"] == 20.0
    assert rates.loc["Corporate", "response_rate"] == 40.0
    assert rates.loc["Community | Admin", "response_rate"] == pytest.approx(100 / 3)
    # 2022: A4 gave no directorate and cannot be placed against a headcount.
    not_stated = table[(table.year == 2022) & (table.group == NOT_STATED)].iloc[0]
    assert not_stated.respondents == 1
    assert pd.isna(not_stated.headcount) and np.isnan(not_stated.response_rate)


# --- key drivers --------------------------------------------------------------------------

# R: x <- c(10, 7.5, 5, 5, 2.5, 0, 10, 7.5, 2.5, 5); y <- c(8, 7, 6, 5, 3, 1, 9, 5, 4, 6)
#    cor.test(x, y): estimate 0.934380408648826, conf.int 0.740252285634094 0.984698350150034,
#    p.value 7.49026130024416e-05
MANAGER_CODES = [5, 4, 3, 3, 2, 1, 5, 4, 2, 3]  # agree5: 0-10 scores are x
SATISFACTION_CODES = [8, 7, 6, 5, 3, 1, 9, 5, 4, 6]  # an 11-point 0-10 scale: scores are y


def _driver_frames():
    responses = pd.DataFrame(
        {
            "year": 2024,
            "q1": pd.array(MANAGER_CODES, dtype="Int64"),
            "q2": pd.array(SATISFACTION_CODES, dtype="Int64"),
            "q3": pd.array([5, 4, 4, 3, 4, 5, 4, 3, 5, 4], dtype="Int64"),
        }
    )
    questionnaire = pd.DataFrame(
        {
            "year": 2024,
            "item_id": ["manager_support", "satisfied_overall", "satisfied_pay"],
            "column": ["q1", "q2", "q3"],
            "theme": ["Manager", "Job satisfaction", "Job satisfaction"],
            "scale_id": ["agree5", "ten", "agree5"],
            "positive_codes": [(4, 5), (6, 7, 8, 9, 10), (4, 5)],
            "excluded_codes": [(), (), ()],
            "comparable_with_previous": False,
        }
    )
    scales = pd.concat(
        [
            pd.DataFrame({"scale_id": "agree5", "code": range(1, 6)}),
            pd.DataFrame({"scale_id": "ten", "code": range(0, 11)}),
        ],
        ignore_index=True,
    )
    return responses, questionnaire, scales


def test_key_drivers_match_cor_test():
    responses, questionnaire, scales = _driver_frames()
    assert default_outcome(questionnaire) == "Job satisfaction"
    table = key_drivers(responses, questionnaire, scales, outcome="satisfied_overall")
    assert list(table.columns) == list(DRIVER_COLUMNS)
    # Items of the outcome's own theme (satisfied_pay) are left out.
    assert table["predictor"].tolist() == ["Manager", "manager_support"]
    row = table.iloc[1]
    assert row.n == 10
    assert row.correlation == pytest.approx(0.934380408648826, rel=1e-12)
    assert (row.ci_low, row.ci_high) == pytest.approx(
        (0.740252285634094, 0.984698350150034), rel=1e-12
    )
    assert row.p_value == pytest.approx(7.49026130024416e-05, rel=1e-9)


def test_an_unknown_outcome_is_refused():
    responses, questionnaire, scales = _driver_frames()
    with pytest.raises(ValueError, match="neither a theme nor a scored item"):
        key_drivers(responses, questionnaire, scales, outcome="happiness")
