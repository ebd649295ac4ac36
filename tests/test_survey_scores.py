"""Answer counts, item scores and weights on the tiny package of tests/package_builder.py.

The tiny package (``minimal_tables``), 2023: five respondents

    id  directorate staff_group  q1 enthusiastic  q2 appraisal_had  q3 pressure (reverse)
    B1  Community   Nursing      1                1 (Yes)           1
    B2  Community   Nursing      3                1 (Yes)           2
    B3  Community   Admin        4                2 (No)            5
    B4  Corporate   Admin        5                blank             4
    B5  Corporate   Admin        4                9 (don't know)    blank

Staff 2023: Nursing 12 (all Community), Admin 3 + 5 = 8. Workforce weights by staff group
(headcount / respondents): Nursing 12 / 2 = 6, Admin 8 / 3 = 2.667.

R reference numbers: R 4.2.2, survey 4.1-1, with
``sv <- function(y, w) svymean(~y, svydesign(ids = ~1, weights = ~w, data = data.frame(y, w)))``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from package_builder import write_package

from analysis.datapackage import load_data_package
from analysis.stats import nonresponse_weights, weighted_percent
from analysis.survey import (
    ITEM_SCORE_COLUMNS,
    NOT_STATED,
    comparator_profile_weights,
    count_answers,
    count_respondents,
    respondent_weights,
    score_items,
    valid_counts,
    workforce_weights,
)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return load_data_package(write_package(tmp_path_factory.mktemp("survey") / "tiny"))


@pytest.fixture(scope="module")
def counts(package):
    return count_answers(package.responses, package.questionnaire, ["directorate", "staff_group"])


def _row(table: pd.DataFrame, **keys) -> pd.Series:
    chosen = table
    for column, value in keys.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, f"expected one row for {keys}, got {len(chosen)}"
    return chosen.iloc[0]


# --- counting ---------------------------------------------------------------------------


def test_counts_add_up_to_the_respondents_of_every_item_and_year(counts):
    # 4 respondents in 2022 and 5 in 2023 answered (or left blank) every item asked.
    totals = counts.groupby(["year", "item_id"], observed=True)["count"].sum()
    assert totals.to_dict() == {
        (2022, "enthusiastic"): 4,
        (2022, "appraisal_had"): 4,
        (2023, "enthusiastic"): 5,
        (2023, "appraisal_had"): 5,
        (2023, "pressure"): 5,
    }


def test_counts_keep_blanks_and_excluded_codes_apart(counts):
    # Corporate Admin in 2023 on appraisal_had: B4 blank, B5 "don't know" (9).
    cell = counts[
        (counts.year == 2023)
        & (counts.item_id == "appraisal_had")
        & (counts.directorate == "Corporate")
    ]
    assert sorted(cell["code"].astype("float").fillna(-1).tolist()) == [-1.0, 9.0]
    assert cell["count"].tolist() == [1, 1]


def test_blank_group_labels_are_counted_as_not_stated(counts, package):
    # A4 (2022) has no directorate and answered q1 = 2.
    cell = counts[(counts.year == 2022) & (counts.directorate == NOT_STATED)]
    assert set(cell["item_id"]) == {"enthusiastic", "appraisal_had"}
    assert _row(cell, item_id="enthusiastic")["code"] == 2
    respondents = count_respondents(package.responses, ["directorate"])
    assert _row(respondents, year=2022, directorate=NOT_STATED)["respondents"] == 1


def test_counting_refuses_a_missing_item_column(package):
    with pytest.raises(ValueError, match=r"no column\(s\) \['q3'\]"):
        count_answers(package.responses.drop(columns="q3"), package.questionnaire)


def test_a_negative_code_is_counted_apart_from_blanks(package):
    # An SPSS file's user-missing -9 ("not answered") and -1 are codes, not blanks: the
    # first respondent's q1 becomes -9 and the second's -1; the blanks stay blanks.
    responses = package.responses.copy()
    responses.loc[0, "q1"] = -9
    responses.loc[1, "q1"] = -1
    counts = count_answers(responses, package.questionnaire)
    before = count_answers(package.responses, package.questionnaire)
    item = package.questionnaire.set_index(["year", "column"]).loc[
        (responses.loc[0, "year"], "q1"), "item_id"
    ]
    year = responses.loc[0, "year"]

    def tally(table: pd.DataFrame) -> dict:
        cell = table[(table.year == year) & (table.item_id == item)]
        return dict(zip(cell["code"].astype("float").fillna(-100), cell["count"], strict=True))

    expected = tally(before)
    for code in (package.responses.loc[0, "q1"], package.responses.loc[1, "q1"]):
        key = -100 if pd.isna(code) else float(code)
        expected[key] -= 1
    expected[-9.0], expected[-1.0] = 1, 1
    assert tally(counts) == {code: n for code, n in expected.items() if n}


def test_counting_refuses_codes_that_are_not_whole_numbers(package):
    responses = package.responses.astype({"q1": "float64"})
    responses.loc[0, "q1"] = 4.5
    with pytest.raises(ValueError, match="whole-number codes"):
        count_answers(responses, package.questionnaire)


# --- item scores --------------------------------------------------------------------------


def test_item_scores_of_the_organisation_by_hand_and_against_prop_test(counts, package):
    scores = score_items(counts, package.questionnaire)
    assert list(scores.columns) == ["year", "item_id", *ITEM_SCORE_COLUMNS]
    # 2023 enthusiastic: codes 1, 3, 4, 5, 4; positive 4 or 5 -> 3 of 5 = 60%.
    row = _row(scores, year=2023, item_id="enthusiastic")
    assert (row.n, row.n_positive, row.pct_positive) == (5, 3, 60.0)
    # R: prop.test(3, 5, correct = FALSE)$conf.int -> 0.230724281276013 0.882379225767352
    assert row.ci_low == pytest.approx(23.0724281276013, rel=1e-12)
    assert row.ci_high == pytest.approx(88.2379225767352, rel=1e-12)
    assert row["mean"] == pytest.approx((1 + 3 + 4 + 5 + 4) / 5)
    # 2023 appraisal_had: 1, 1, 2, blank, 9 (excluded) -> n = 3, 2 positive.
    row = _row(scores, year=2023, item_id="appraisal_had")
    assert (row.n, row.n_positive) == (3, 2)
    # R: prop.test(2, 3, correct = FALSE)$conf.int -> 0.207659600802048 0.938508055279604
    assert (row.ci_low, row.ci_high) == pytest.approx((20.7659600802048, 93.8508055279604))
    assert row["mean"] == pytest.approx(4 / 3)
    # 2023 pressure (reverse scored, positive codes 1;2): 1, 2, 5, 4 -> 2 of 4.
    row = _row(scores, year=2023, item_id="pressure")
    assert (row.n, row.n_positive, row.pct_positive) == (4, 2, 50.0)


def test_weighted_item_scores_match_svymean(counts, package):
    weights = workforce_weights(package.responses, package.staff)
    scores = score_items(counts, package.questionnaire, weights=weights)
    # R: sv(c(0, 0, 1, 1, 1), c(6, 6, 8/3, 8/3, 8/3)) -> 0.4, SE 0.244948974278318
    row = _row(scores, year=2023, item_id="enthusiastic")
    assert row.pct_positive_weighted == pytest.approx(40.0, rel=1e-12)
    assert row.se_weighted == pytest.approx(24.4948974278318, rel=1e-12)
    # 40 -/+ 1.96 x 24.49: the lower limit -8.01 is clipped at 0.
    assert row.ci_low_weighted == 0.0
    assert row.ci_high_weighted == pytest.approx(40 + 1.96 * 24.4948974278318)
    # R: sv(c(1, 1, 0), c(5, 5, 5)) -> 0.666666666666667, SE 0.333333333333333; the
    # interval 66.67 +/- 65.33 is clipped at 100.
    row = _row(scores, year=2022, item_id="enthusiastic")
    assert row.se_weighted == pytest.approx(100 / 3, rel=1e-12)
    assert row.ci_high_weighted == 100.0


def test_weighted_scores_by_group_match_svymean_on_the_group(counts, package):
    weights = workforce_weights(package.responses, package.staff)
    scores = score_items(counts, package.questionnaire, by=["directorate"], weights=weights)
    # Community 2023: B1, B2 (Nursing, weight 6) negative, B3 (Admin, 8/3) positive.
    # R: sv(c(0, 0, 1), c(6, 6, 8/3)) -> 0.181818181818182, SE 0.223140495867769
    row = _row(scores, year=2023, directorate="Community", item_id="enthusiastic")
    assert row.pct_positive_weighted == pytest.approx(18.1818181818182, rel=1e-12)
    assert row.se_weighted == pytest.approx(22.3140495867769, rel=1e-12)
    # The same through analysis.stats.weighted_percent on the respondents themselves.
    assert weighted_percent([0, 0, 1], [6, 6, 8 / 3]) == pytest.approx(
        (row.pct_positive_weighted, row.se_weighted), rel=1e-12
    )


def test_a_group_without_valid_answers_has_n_zero_and_no_figures(counts, package):
    # Corporate 2022: only A3, who left q1 blank.
    scores = score_items(counts, package.questionnaire, by=["directorate"])
    row = _row(scores, year=2022, directorate="Corporate", item_id="enthusiastic")
    assert row.n == 0
    assert np.isnan([row.pct_positive, row.ci_low, row.ci_high, row["mean"]]).all()


def test_scores_from_summed_counts_equal_scores_from_raw_counts(counts, package):
    detail = valid_counts(counts, package.questionnaire, ["directorate", "staff_group"])
    from_raw = score_items(counts, package.questionnaire, by=["staff_group"])
    from_summed = score_items(detail, package.questionnaire, by=["staff_group"])
    pd.testing.assert_frame_equal(from_raw, from_summed)


def test_scores_need_the_weighting_classes_in_the_counts(package):
    counts = count_answers(package.responses, package.questionnaire, ["directorate"])
    weights = workforce_weights(package.responses, package.staff)
    with pytest.raises(ValueError, match=r"no column\(s\) \['staff_group'\]"):
        score_items(counts, package.questionnaire, weights=weights)


# --- weights ------------------------------------------------------------------------------


def test_workforce_weights_are_headcount_over_respondents(package):
    weights = workforce_weights(package.responses, package.staff).set_index(["year", "staff_group"])
    # 2023: Nursing 12 staff / 2 respondents = 6; Admin (3 + 5) / 3 = 8/3.
    assert weights.loc[(2023, "Nursing"), "weight"] == 6.0
    assert weights.loc[(2023, "Admin"), "weight"] == pytest.approx(8 / 3)
    # The same as analysis.stats.nonresponse_weights on the respondents.
    rows = package.responses[package.responses.year == 2023]
    expected = nonresponse_weights(rows["staff_group"], {"Nursing": 12, "Admin": 8})
    looked_up = respondent_weights(rows, weights.reset_index())
    np.testing.assert_allclose(looked_up.to_numpy(), expected.to_numpy())


def test_respondents_with_no_staff_group_get_the_average_weight(package):
    responses = package.responses.copy()
    responses["staff_group"] = responses["staff_group"].astype(object)
    responses.loc[responses.respondent_id == "B5", "staff_group"] = None
    weights = workforce_weights(responses, package.staff).set_index(["year", "staff_group"])
    # 2023 stated: Nursing 2 respondents of 12, Admin 2 of 8 -> average (12 + 8) / 4 = 5.
    assert weights.loc[(2023, NOT_STATED), "weight"] == 5.0
    assert weights.loc[(2023, "Admin"), "weight"] == 4.0


def test_a_staff_group_missing_from_the_staff_table_is_an_error(package):
    staff = package.staff[package.staff.staff_group != "Admin"]
    with pytest.raises(ValueError, match="staff_group = 'Admin'.*add their headcount"):
        workforce_weights(package.responses, staff)


def test_comparator_profile_weights_use_shares_for_every_year(package):
    profile = pd.DataFrame({"staff_group": ["Nursing", "Admin"], "share": [0.25, 0.75]})
    weights = comparator_profile_weights(package.responses, profile, population="share")
    weights = weights.set_index(["year", "staff_group"])["weight"]
    # 2023: Nursing 0.25 / 2 respondents, Admin 0.75 / 3 respondents.
    assert weights[(2023, "Nursing")] == pytest.approx(0.125)
    assert weights[(2023, "Admin")] == pytest.approx(0.25)
    assert weights[(2022, "Admin")] == pytest.approx(0.375)
