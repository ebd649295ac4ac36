"""The national path gives the per-organisation functions' numbers, for every organisation.

Two data sets:

* a hand-made one (organisations A and B, 2022-2023, staff groups Nursing and Admin) whose
  figures are checked against R 4.2.2 with survey 4.1.1, using
  ``sv <- function(y, w) { m <- svymean(~y, svydesign(ids = ~1, weights = ~w,
  data = data.frame(y, w))); c(coef(m), SE(m)) }``;
* a seeded random one (12 organisations of 1 to 60 respondents a year, 3 years, blank
  answers and staff groups, "don't know" codes, a reworded item, an item nobody in one
  organisation answered), on which every table of :func:`national_survey_tables` is
  compared with :func:`score_items`, :func:`changes`, :func:`benchmark` and
  :func:`comparator_statistics` run for one organisation at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.survey import (
    benchmark,
    changes,
    comparator_statistics,
    count_answers,
    score_items,
    workforce_weights,
)
from analysis.survey.national import (
    national_item_scores,
    national_survey_tables,
    organisation_benchmarks,
    read_national_responses,
)

GROUPS = ("Nursing", "Admin", "Medical")


def _questionnaire(years: range) -> pd.DataFrame:
    """q1 agree5, q2 agree5 negatively worded, q3 yes/no with "don't know" (3) excluded,
    q4 agree5 reworded in the last year (new item ``q4r``, not comparable)."""
    rows = []
    for year in years:
        for column, positive, excluded in (
            ("q1", (4, 5), ()),
            ("q2", (1, 2), ()),
            ("q3", (1,), (3,)),
            ("q4", (4, 5), ()),
        ):
            reworded = column == "q4" and year == years[-1]
            rows.append(
                {
                    "year": year,
                    "item_id": "q4r" if reworded else column,
                    "column": column,
                    "positive_codes": positive,
                    "excluded_codes": excluded,
                    "comparable_with_previous": not reworded,
                }
            )
    return pd.DataFrame(rows)


# --- the hand-made data set, checked against R -------------------------------------------
#
# Organisation A (q1: agree5, positive 4 and 5; q3: 1 yes (positive), 2 no, 3 don't know):
#   2022  Nursing (headcount 10): q1 = 4, 5, 1        Admin (headcount 9): q1 = 2, 2
#   2023  Nursing (headcount 12): q1 = 5, 4, 2, blank Admin (headcount 8): q1 = 4, 1, 3
# Weights 2022: Nursing 10/3, Admin 9/2; 2023: Nursing 12/4 = 3, Admin 8/3.


def _tiny() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = [
        ("A", 2022, "Nursing", 4, 1),
        ("A", 2022, "Nursing", 5, 1),
        ("A", 2022, "Nursing", 1, 2),
        ("A", 2022, "Admin", 2, 2),
        ("A", 2022, "Admin", 2, 1),
        ("A", 2023, "Nursing", 5, 1),
        ("A", 2023, "Nursing", 4, 3),
        ("A", 2023, "Nursing", 2, 2),
        ("A", 2023, "Nursing", None, 1),
        ("A", 2023, "Admin", 4, 1),
        ("A", 2023, "Admin", 1, 2),
        ("A", 2023, "Admin", 3, None),
        ("B", 2022, "Nursing", 4, 1),
        ("B", 2022, "Admin", 5, 2),
        ("B", 2023, "Nursing", 3, 1),
        ("B", 2023, "Admin", 4, 1),
    ]
    responses = pd.DataFrame(rows, columns=["organisation", "year", "staff_group", "q1", "q3"])
    responses = responses.astype({"q1": "Int8", "q3": "Int8"})
    headcounts = pd.DataFrame(
        [
            (2022, "A", "Nursing", 10),
            (2022, "A", "Admin", 9),
            (2023, "A", "Nursing", 12),
            (2023, "A", "Admin", 8),
            (2022, "B", "Nursing", 5),
            (2022, "B", "Admin", 5),
            (2023, "B", "Nursing", 5),
            (2023, "B", "Admin", 5),
        ],
        columns=["year", "organisation", "staff_group", "headcount"],
    )
    questionnaire = _questionnaire(range(2022, 2024))
    return responses, questionnaire[questionnaire["column"].isin(["q1", "q3"])], headcounts


def _one(table: pd.DataFrame, **keys: object) -> pd.Series:
    chosen = table
    for column, value in keys.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, f"expected one row for {keys}, got {len(chosen)}"
    return chosen.iloc[0]


def test_weighted_percent_and_se_match_r_svymean():
    responses, questionnaire, headcounts = _tiny()
    scores = national_item_scores(responses, questionnaire, headcounts)
    row = _one(scores, organisation="A", year=2023, item_id="q1")
    assert (row["n"], row["n_positive"]) == (6, 3)
    # R: sv(c(1, 1, 0, 1, 0, 0), c(3, 3, 3, 8/3, 8/3, 8/3)) -> 0.509803921569 0.223864706398
    assert row["pct_positive_weighted"] == pytest.approx(50.9803921569, abs=1e-9)
    assert row["se_weighted"] == pytest.approx(22.3864706398, abs=1e-9)
    # R: prop.test(3, 6, correct = FALSE)$conf.int -> 0.1876163065 0.8123836935
    assert row["ci_low"] == pytest.approx(18.76163065, abs=1e-7)
    assert row["ci_high"] == pytest.approx(81.23836935, abs=1e-7)
    base = _one(scores, organisation="A", year=2022, item_id="q1")
    # R: sv(c(1, 1, 0, 0, 0), c(10/3, 10/3, 10/3, 4.5, 4.5)) -> 0.350877192982 0.233289560623
    assert base["pct_positive_weighted"] == pytest.approx(35.0877192982, abs=1e-9)
    assert base["se_weighted"] == pytest.approx(23.3289560623, abs=1e-9)
    # "Don't know" (3) and the blank are left out: yes 3 of 5 valid answers.
    assert tuple(_one(scores, organisation="A", year=2023, item_id="q3")[["n", "n_positive"]]) == (
        5,
        3,
    )


def test_changes_match_prop_test_and_weighted_z():
    responses, questionnaire, headcounts = _tiny()
    tables = national_survey_tables(responses, questionnaire, headcounts)
    change = _one(tables["changes"], organisation="A", year=2023, item_id="q1")
    # R: prop.test(c(3, 2), c(6, 5), correct = FALSE)$p.value -> 0.7401441358
    assert change["diff_pp"] == pytest.approx(10.0)
    assert change["p_value"] == pytest.approx(0.7401441358, abs=1e-10)
    weighted = _one(tables["changes_weighted"], organisation="A", year=2023, item_id="q1")
    # By hand: (50.98039 - 35.08772) / sqrt(22.38647^2 + 23.32896^2) = 15.89267 / 32.33256.
    assert weighted["z"] == pytest.approx(0.4915378, abs=1e-6)


def test_read_national_responses_keeps_small_integer_codes(tmp_path):
    responses, _, _ = _tiny()
    path = tmp_path / "responses.parquet"
    responses.astype({"organisation": "category"}).to_parquet(path)
    read = read_national_responses(path, columns=["year", "organisation", "q1"])
    assert str(read["q1"].dtype) == "Int8"
    assert isinstance(read["organisation"].dtype, pd.CategoricalDtype)
    assert read["q1"].isna().sum() == 1


def test_blank_organisation_is_refused():
    responses, questionnaire, headcounts = _tiny()
    responses.loc[0, "organisation"] = None
    with pytest.raises(ValueError, match="blank 'organisation'"):
        national_item_scores(responses, questionnaire, headcounts)


# --- the random data set: national path against the per-organisation functions -----------


def _random_national(seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    years = range(2021, 2024)
    frames, staff = [], []
    for number in range(12):
        code = f"R{number:02d}"
        for year in years:
            size = 1 if (number, year) == (0, 2022) else int(rng.integers(5, 61))
            group = rng.choice(GROUPS, size=size, p=[0.5, 0.3, 0.2]).astype(object)
            group[rng.random(size) < 0.05] = None
            answers = {
                "q1": rng.integers(1, 6, size),
                "q2": rng.integers(1, 6, size),
                "q3": rng.integers(1, 4, size),
                "q4": rng.integers(1, 6, size),
            }
            frame = pd.DataFrame(
                {"year": year, "organisation": code, "staff_group": group, **answers}
            )
            for column in answers:
                frame.loc[rng.random(size) < 0.1, column] = pd.NA
            if (number, year) == (3, 2023):
                frame["q3"] = pd.NA
            frames.append(frame)
            staff.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "organisation": code,
                        "staff_group": GROUPS,
                        "headcount": rng.integers(60, 200, len(GROUPS)),
                    }
                )
            )
    responses = pd.concat(frames, ignore_index=True).astype(
        {"q1": "Int8", "q2": "Int8", "q3": "Int8", "q4": "Int8", "staff_group": "category"}
    )
    return responses, _questionnaire(years), pd.concat(staff, ignore_index=True)


@pytest.fixture(scope="module")
def national():
    responses, questionnaire, headcounts = _random_national()
    tables = national_survey_tables(
        responses, questionnaire, headcounts, adjust="holm", lower_is_better=["q2"]
    )
    return responses, questionnaire, headcounts, tables


def _own_scores(responses, questionnaire, headcounts, code: str) -> pd.DataFrame:
    """One organisation scored alone, as the survey stage scores a data package."""
    own = responses[responses["organisation"] == code].drop(columns="organisation")
    staff = headcounts[headcounts["organisation"] == code].drop(columns="organisation")
    counts = count_answers(own, questionnaire, ["staff_group"])
    return score_items(counts, questionnaire, [], workforce_weights(own, staff))


def _organisation_rows(table: pd.DataFrame, code: str) -> pd.DataFrame:
    chosen = table[table["organisation"] == code].drop(columns="organisation")
    return chosen.reset_index(drop=True)


@pytest.mark.slow
def test_item_scores_equal_per_organisation_scores(national):
    responses, questionnaire, headcounts, tables = national
    assert tables["item_scores"]["organisation"].nunique() == 12
    for code in sorted(responses["organisation"].unique()):
        expected = _own_scores(responses, questionnaire, headcounts, code)
        got = _organisation_rows(tables["item_scores"], code)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    lone = _one(tables["item_scores"], organisation="R00", year=2022, item_id="q1")
    assert lone["n"] <= 1 and np.isnan(lone["se_weighted"])
    assert _one(tables["item_scores"], organisation="R03", year=2023, item_id="q3")["n"] == 0


@pytest.mark.slow
def test_changes_equal_per_organisation_changes(national):
    responses, questionnaire, headcounts, tables = national
    for code in sorted(responses["organisation"].unique()):
        own = _own_scores(responses, questionnaire, headcounts, code)
        for name, weighted in (("changes", False), ("changes_weighted", True)):
            expected = changes(own, questionnaire, by=[], weighted=weighted, adjust="holm")
            got = _organisation_rows(tables[name], code)
            pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert not (tables["changes"]["item_id"] == "q4r").any()


@pytest.mark.slow
def test_benchmarks_equal_per_organisation_benchmarks(national):
    responses, _, _, tables = national
    scores = tables["item_scores"]
    published = scores.rename(columns={"organisation": "organisation_code"})
    for code in sorted(responses["organisation"].unique()):
        own = scores[scores["organisation"] == code]
        expected = benchmark(own, published, code, lower_is_better=["q2"])
        got = _organisation_rows(tables["benchmark"], code)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert set(tables["benchmark"]["comparison"].dropna()) == {"better", "similar", "worse"}
    pd.testing.assert_frame_equal(
        tables["comparator_statistics"], comparator_statistics(published, lower_is_better=["q2"])
    )


def test_benchmark_of_a_hand_worked_item_and_year():
    # Percent positive of one item and year: R1 50 (n 10), R2 70, R3 20, R4 not answered.
    scores = pd.DataFrame(
        {
            "year": 2023,
            "organisation": ["R1", "R2", "R3", "R4"],
            "item_id": "q1",
            "n": [10, 10, 10, 0],
            "pct_positive": [50.0, 70.0, 20.0, np.nan],
            "ci_low": [23.66, 39.68, 5.67, np.nan],
            "ci_high": [76.34, 89.22, 50.98, np.nan],
        }
    )
    table = organisation_benchmarks(scores).set_index("organisation")
    # R1's comparators are R2 and R3: worst 20, median and average 45, best 70; one better.
    assert tuple(table.loc["R1", ["comparators", "worst", "median", "average", "best"]]) == (
        2,
        20.0,
        45.0,
        45.0,
        70.0,
    )
    assert (table.loc["R1", "rank"], table.loc["R1", "quintile"]) == (2, 4)  # ceil(5 * 2 / 3)
    # R4 has no figure, so its comparators are all three: median 50, average 46.67; no rank.
    assert table.loc["R4", "median"] == 50.0
    assert table.loc["R4", "average"] == pytest.approx(140 / 3)
    assert pd.isna(table.loc["R4", "rank"]) and pd.isna(table.loc["R4", "comparison"])
    # R2's interval (39.68 to 89.22) lies above the others' average, (50 + 20) / 2 = 35.
    assert table.loc["R2", "comparison"] == "better"
    assert table.loc["R3", "comparison"] == "worse"  # 50.98 < average of R1, R2 = 60
