"""Inter-coder agreement against published examples and R.

Every expected number below is either a published value (the paper is named), the output
of the R call quoted beside it (R 4.2.2; psych 2.2.9 from Debian, irr 0.84.1 and irrCAC 1.0
from CRAN sources), or a hand calculation shown in a comment.
"""

from __future__ import annotations

import importlib
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats import inter_rater

from analysis.comments import (
    agreement,
    category_counts,
    cohen_kappa,
    cross_table,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.comments.agreement import AGREEMENT_COLUMNS, PAIRWISE_COLUMNS, pairwise_agreement

# `analysis.comments.agreement` the attribute is the function; these are the modules.
agreement_module = importlib.import_module("analysis.comments.agreement")
ratings_module = importlib.import_module("analysis.comments.ratings")

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
REAL_CODED = REAL_DATA / "nhs_patient_feedback_coded.csv"

NA = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: two
# observers, binary data, ten units. Published alpha = 0.095.
KRIPPENDORFF_A = list(
    zip([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0], strict=True)
)

# Section B: two observers, nominal data, twelve units, no missing. Published alpha = 0.692.
KRIPPENDORFF_B = list(
    zip(
        ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"],
        ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"],
        strict=True,
    )
)

# Section C: four observers (columns), twelve units (rows), values 1-5, missing values.
# Published: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797. The same data are
# irrCAC's `cac.raw4raters` (Gwet 2014, Handbook of Inter-Rater Reliability, p. 120).
KRIPPENDORFF_C = [
    [1, 1, NA, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [NA, 5, 5, 5],
    [NA, NA, 1, 1],
    [NA, 3, NA, NA],
]

# Fleiss (1971), Psychological Bulletin 76, 378-382: six psychiatrists, thirty patients,
# five diagnoses (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis,
# 5 other); published kappa = 0.430. Shipped as R's `irr::diagnoses`; one string per
# patient, one digit per psychiatrist, from
# `apply(sapply(diagnoses, function(x) substr(as.character(x), 1, 1)), 1, paste, collapse="")`.
FLEISS_1971 = [
    [int(digit) for digit in patient]
    for patient in [
        "444444", "222555", "233335", "555555", "222444", "113333", "333355", "113334",
        "114444", "555555", "144444", "124444", "222333", "144444", "224445", "333335",
        "111455", "111112", "224444", "133555", "555555", "244444", "224555", "114444",
        "144445", "222224", "111155", "224444", "133333", "555555",
    ]
]  # fmt: skip

# Gwet (2014), Handbook, `cont3x3abstractors`: two abstractors, 100 pregnancies, 3 types.
# Rows: abstractor 1 (Ectopic, AIU, NIU); columns: abstractor 2.
ABSTRACTORS_TABLE = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
ABSTRACTORS = [
    (row, column)
    for row, counts in enumerate(ABSTRACTORS_TABLE)
    for column, count in enumerate(counts)
    for _ in range(count)
]

# The kappa paradox (Feinstein and Cicchetti 1990) on a rare code: 100 comments, two
# coders; both apply it to 1, only A to 2, only B to 2, neither to 95.
RARE_CODE = [(1, 1)] + [(1, 0)] * 2 + [(0, 1)] * 2 + [(0, 0)] * 95


def as_long(ratings: list, coders: list[str] | None = None) -> pd.DataFrame:
    """A units x coders matrix as a long coding table (missing cells give no row)."""
    coders = coders or [f"coder{j + 1}" for j in range(len(ratings[0]))]
    rows = [
        {"comment_id": f"c{i + 1:02d}", "coder": coder, "code": str(value)}
        for i, unit in enumerate(ratings)
        for coder, value in zip(coders, unit, strict=True)
        if value is not None
    ]
    return pd.DataFrame(rows)


def row(table: pd.DataFrame, code: str) -> pd.Series:
    (found,) = np.flatnonzero(table["code"] == code)
    return table.iloc[found]


# --- Krippendorff's alpha ----------------------------------------------------------------


def test_krippendorff_binary_two_coders_example_a() -> None:
    # Published 0.095; R: irr::kripp.alpha(rbind(a, b), "nominal")$value -> 0.0952381
    assert krippendorff_alpha(KRIPPENDORFF_A) == pytest.approx(0.0952381, abs=1e-7)
    assert round(krippendorff_alpha(KRIPPENDORFF_A), 3) == 0.095


def test_krippendorff_nominal_two_coders_example_b() -> None:
    # Published 0.692; R: irr::kripp.alpha(rbind(A, B), "nominal")$value -> 0.6919643
    assert krippendorff_alpha(KRIPPENDORFF_B) == pytest.approx(0.6919643, abs=1e-7)


@pytest.mark.parametrize(
    ("level", "published", "r_value"),
    [
        # R: irr::kripp.alpha(t(cac.raw4raters), level)$value
        ("nominal", 0.743, 0.7434211),
        ("ordinal", 0.815, 0.8153875),
        ("interval", 0.849, 0.8491071),
        ("ratio", 0.797, 0.7974028),
    ],
)
def test_krippendorff_four_coders_missing_values_example_c(
    level: str, published: float, r_value: float
) -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_C, level)
    assert round(alpha, 3) == published
    assert alpha == pytest.approx(r_value, abs=1e-7)


def test_krippendorff_accepts_a_dataframe_and_ignores_unused_categories() -> None:
    frame = pd.DataFrame(KRIPPENDORFF_C, columns=["A", "B", "C", "D"], dtype=float)
    # Category 6 is never used: nominal alpha does not change.
    assert krippendorff_alpha(frame, categories=[1, 2, 3, 4, 5, 6]) == pytest.approx(
        0.7434211, abs=1e-7
    )


def test_krippendorff_on_fleiss_1971_matches_irrcac_not_irr() -> None:
    # R: irrCAC::krippen.alpha.raw(diagnoses)$est$coeff.val -> 0.43341.
    # (irr::kripp.alpha gives 0.431: it drops the 1/(m_u - 1) weight when nothing is
    # missing.) Check by hand from the complete-data identity
    # alpha = 1 - (N m - 1) / (N m) * (1 - P_o) / (1 - P_e), P_o = 0.5555556 (Fleiss'
    # P-bar), P_e = 0.2199383 (irrCAC's pe): 1 - 179/180 * 0.4444444 / 0.7800617 = 0.43341.
    assert krippendorff_alpha(FLEISS_1971) == pytest.approx(0.43341, abs=5e-6)


# --- Cohen's kappa -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        # R: irr::kappa2(cbind(a, b))$value and psych::cohen.kappa(cbind(a, b))$kappa
        (KRIPPENDORFF_A, 0.09090909),
        (KRIPPENDORFF_B, 0.6842105),
        # R: irrCAC::kappa2.table(cont3x3abstractors) -> 0.7964094 (irr::kappa2 agrees)
        (ABSTRACTORS, 0.7964094),
        # R: irr::kappa2(cbind(pa, pb))$value -> 0.3127148
        (RARE_CODE, 0.3127148),
    ],
)
def test_cohen_kappa_matches_r(ratings: list, expected: float) -> None:
    assert cohen_kappa(ratings) == pytest.approx(expected, abs=1e-7)


def test_cohen_kappa_leaves_out_comments_one_coder_missed() -> None:
    # Adding comments only one coder coded changes nothing.
    padded = [*KRIPPENDORFF_B, ("a", None), (None, "e")]
    assert cohen_kappa(padded) == pytest.approx(0.6842105, abs=1e-7)


def test_cohen_kappa_needs_exactly_two_coders() -> None:
    with pytest.raises(ValueError, match="exactly two coders"):
        cohen_kappa(KRIPPENDORFF_C)


def test_cohen_kappa_is_nan_when_both_coders_use_one_category() -> None:
    # p_o = p_e = 1: kappa = 0/0.
    assert math.isnan(cohen_kappa([[0, 0], [0, 0], [0, 0]]))


# --- Fleiss' kappa -------------------------------------------------------------------------


def test_fleiss_kappa_fleiss_1971() -> None:
    # Published 0.430; R: irr::kappam.fleiss(diagnoses)$value -> 0.4302445
    kappa = fleiss_kappa(FLEISS_1971)
    assert round(kappa, 3) == 0.430
    assert kappa == pytest.approx(0.4302445, abs=1e-7)
    # statsmodels on the subjects x categories table gives the same.
    counts, _ = inter_rater.aggregate_raters(np.array(FLEISS_1971))
    assert kappa == pytest.approx(inter_rater.fleiss_kappa(counts), abs=1e-12)


def test_fleiss_kappa_with_missing_values() -> None:
    # R: irrCAC::fleiss.kappa.raw(cac.raw4raters)$est -> pa 0.8181818, pe 0.2387153,
    # coeff.val 0.76117
    assert fleiss_kappa(KRIPPENDORFF_C) == pytest.approx((0.8181818 - 0.2387153) / (1 - 0.2387153))
    assert round(fleiss_kappa(KRIPPENDORFF_C), 5) == 0.76117


def test_fleiss_kappa_two_coders_is_scotts_pi() -> None:
    # R: irr::kappam.fleiss(cbind(a, b))$value -> 0.04761905 (Krippendorff's example A)
    assert fleiss_kappa(KRIPPENDORFF_A) == pytest.approx(0.04761905, abs=1e-8)
    # R: irrCAC::scott2.table(cont3x3abstractors) -> 0.7962397
    assert fleiss_kappa(ABSTRACTORS) == pytest.approx(0.7962397, abs=1e-7)


# --- Gwet's AC1 ----------------------------------------------------------------------------


def test_gwet_ac1_handbook_examples() -> None:
    # R: irrCAC::gwet.ac1.raw(cac.raw4raters)$est -> pa 0.8181818, pe 0.1903212, 0.77544
    assert gwet_ac1(KRIPPENDORFF_C) == pytest.approx((0.8181818 - 0.1903212) / (1 - 0.1903212))
    assert round(gwet_ac1(KRIPPENDORFF_C), 5) == 0.77544
    # R: irrCAC::gwet.ac1.table(cont3x3abstractors)$coeff.val -> 0.8493305
    assert gwet_ac1(ABSTRACTORS) == pytest.approx(0.8493305, abs=1e-7)
    # R: irrCAC::gwet.ac1.raw(diagnoses)$est$coeff.val -> 0.44788
    assert round(gwet_ac1(FLEISS_1971), 5) == 0.44788


def test_gwet_ac1_binary_by_hand() -> None:
    # Krippendorff's example A: p_a = 6/10; pi_1 = (2 + 4) / 20 = 0.3;
    # p_e = 2 * 0.3 * 0.7 / (2 - 1) = 0.42; AC1 = 0.18 / 0.58 = 0.3103448.
    # R: irrCAC::gwet.ac1.raw(data.frame(a, b))$est$coeff.val -> 0.31034
    assert gwet_ac1(KRIPPENDORFF_A) == pytest.approx(0.18 / 0.58)


def test_gwet_ac1_depends_on_the_number_of_categories() -> None:
    # Everyone says 0: with categories [0] AC1 is undefined; with [0, 1] pi = (1, 0),
    # p_e = 0, AC1 = p_a = 1.
    assert math.isnan(gwet_ac1([[0, 0], [0, 0]]))
    assert gwet_ac1([[0, 0], [0, 0]], categories=[0, 1]) == 1.0


# --- Percent agreement and the kappa paradox -----------------------------------------------


def test_percent_agreement_is_mean_pairwise_agreement() -> None:
    # R: irrCAC::pa.coeff.raw(cac.raw4raters)$est$pa -> 0.8181818 (= 9/11: unit 12 has
    # one value; units 2 and 8 agree on 3 of 6 pairs, unit 6 on 0 of 6; 8 units fully:
    # (8 + 0.5 + 0.5 + 0) / 11 = 9/11).
    assert percent_agreement(KRIPPENDORFF_C) == pytest.approx(9 / 11)
    # R: irrCAC::pa.coeff.raw(diagnoses)$est$coeff.val -> 0.5555556
    assert percent_agreement(FLEISS_1971) == pytest.approx(0.5555556, abs=1e-7)
    # R: irrCAC::pa2.table(cont3x3abstractors) -> 0.89 = (13 + 20 + 56) / 100
    assert percent_agreement(ABSTRACTORS) == pytest.approx(0.89)


def test_kappa_paradox_rare_code() -> None:
    # p_o = 96/100. Each coder applies the code to 3 of 100: p_e = 0.03^2 + 0.97^2 =
    # 0.9418, kappa = (0.96 - 0.9418) / 0.0582 = 0.3127148 (R: irr::kappa2 -> 0.3127148).
    # AC1: pi = 0.03, p_e = 2 * 0.03 * 0.97 = 0.0582, AC1 = 0.9018 / 0.9418 = 0.9575281
    # (R: irrCAC::gwet.ac1.raw -> 0.95753). Alpha: R irr::kripp.alpha -> 0.3161512.
    assert percent_agreement(RARE_CODE) == pytest.approx(0.96)
    assert cohen_kappa(RARE_CODE) == pytest.approx(0.0182 / 0.0582)
    assert krippendorff_alpha(RARE_CODE) == pytest.approx(0.3161512, abs=1e-7)
    assert gwet_ac1(RARE_CODE) == pytest.approx(0.9018 / 0.9418)
    # High agreement, high AC1, low kappa:
    assert percent_agreement(RARE_CODE) > gwet_ac1(RARE_CODE) > 0.9 > 0.4 > cohen_kappa(RARE_CODE)


# --- Reshaping -----------------------------------------------------------------------------


def test_category_counts_and_cross_table_by_hand() -> None:
    counts, categories = category_counts([["x", "y", None], ["y", "y", "y"]])
    assert categories.tolist() == ["x", "y"]
    assert counts.tolist() == [[1, 1], [0, 3]]
    table = cross_table(pd.DataFrame({"AB": [0, 0, 1, 1, np.nan], "CD": [0, 1, 1, 1, 0]}))
    # AB=0: CD 0 once, 1 once; AB=1: CD 1 twice; the last comment AB did not code.
    assert table.to_numpy().tolist() == [[1, 1], [0, 2]]
    assert (table.index.name, table.columns.name) == ("AB", "CD")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: percent_agreement([1, 2, 3]), "2-D"),
        (lambda: percent_agreement([[1], [2]]), "two coders"),
        (lambda: percent_agreement([[1, None], [None, 2]]), "two or more coders"),
        (lambda: krippendorff_alpha(KRIPPENDORFF_C, "cardinal"), "level must be one of"),
        (lambda: krippendorff_alpha(KRIPPENDORFF_B, "interval"), "numeric categories"),
        (lambda: fleiss_kappa(KRIPPENDORFF_C, categories=[1, 2, 3]), r"not in categories"),
        (lambda: cohen_kappa([[1, None], [None, 2]]), "coded by both"),
    ],
)
def test_bad_ratings_are_refused_with_a_reason(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- agreement(): the long table -----------------------------------------------------------


def test_agreement_overall_reproduces_krippendorff_example_c() -> None:
    table = agreement(as_long(KRIPPENDORFF_C, ["A", "B", "C", "D"]))
    assert list(table.columns) == AGREEMENT_COLUMNS
    assert table["code"].tolist() == ["1", "2", "3", "4", "5", "overall"]
    overall = row(table, "overall")
    assert round(overall["krippendorff_alpha"], 3) == 0.743
    assert overall["krippendorff_alpha"] == pytest.approx(0.7434211, abs=1e-7)
    assert overall["percent_agreement"] == pytest.approx(9 / 11)
    # Unit 12 was coded by one coder only, so it is left out of the reliability sample.
    # R on the first eleven rows: irrCAC::fleiss.kappa.raw(cac.raw4raters[1:11, ]) ->
    # 0.76248; irrCAC::gwet.ac1.raw(cac.raw4raters[1:11, ]) -> 0.77515.
    assert (overall["n_units"], overall["n_coders"]) == (11, 4)
    assert round(overall["fleiss_kappa"], 5) == 0.76248
    assert round(overall["gwet_ac1"], 5) == 0.77515
    assert math.isnan(overall["prevalence"])
    # Four coders: no Cohen's kappa, and the table says why.
    assert table["cohen_kappa"].isna().all()
    notes = " ".join(table.attrs["notes"])
    assert "exactly two coders" in notes
    assert "1 comment(s) coded by one coder only are left out" in notes


def test_agreement_per_code_rows_by_hand() -> None:
    table = agreement(as_long(KRIPPENDORFF_C))
    # Code "5": units 10 (three coders apply it); everyone else never does. 40 codings in
    # the eleven-unit sample (3 + 4*8 + 3 + 2), 3 apply "5": prevalence 0.075; perfect
    # agreement everywhere.
    five = row(table, "5")
    assert five["prevalence"] == pytest.approx(3 / 40)
    assert (
        five[["percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"]].eq(1.0).all()
    )
    # Code "1" as 1/0: unit 1 (1,1,1), unit 6 (1,0,0,0), unit 8 (1,1,0,1), unit 11 (1,1),
    # all other units all 0. Prevalence 9/40. Percent agreement: units 6 and 8 agree on
    # 6 of 12 pairs, the other 9 fully: (9 + 0.5 + 0.5) / 11 = 10/11.
    # Coincidences (sum over units of pairs / (m_u - 1)): o_11 = 6/2 + 6/3 + 2/1 = 7,
    # o_01 = o_10 = 3/3 + 3/3 = 2, o_00 = 6/3 + 6*12/3 + 6/2 = 29; n_0 = 31, n_1 = 9,
    # n = 40; alpha = 1 - (n - 1) * 4 / (2 * 31 * 9) = 1 - 156/558.
    one = row(table, "1")
    assert one["prevalence"] == pytest.approx(9 / 40)
    assert one["percent_agreement"] == pytest.approx(10 / 11)
    assert one["krippendorff_alpha"] == pytest.approx(1 - 156 / 558)
    assert (one["n_units"], one["n_coders"]) == (11, 4)


def test_agreement_two_coders_gives_cohen_kappa_and_multi_code_overall() -> None:
    codings = pd.DataFrame(
        {
            "comment_id": ["c1", "c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4", "c4"],
            "coder": ["AB", "AB", "CD", "AB", "CD", "AB", "CD", "AB", "CD", "CD"],
            "code": [
                "pay",
                "staffing",
                "pay",
                "pay",
                "pay",
                None,
                "",
                "staffing",
                "staffing",
                "pay",
            ],
        }
    )
    table = agreement(codings)
    # pay:      AB (1, 1, 0, 0), CD (1, 1, 0, 1): agree on 3 of 4; prevalence 5/8.
    # staffing: AB (1, 0, 0, 1), CD (0, 0, 0, 1): agree on 3 of 4; prevalence 3/8.
    # Cohen for staffing: p_o = 3/4, AB 1/2 yes, CD 1/4 yes:
    # p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2, kappa = 0.25 / 0.5 = 0.5.
    pay, staffing, overall = (row(table, code) for code in ("pay", "staffing", "overall"))
    assert (pay["prevalence"], pay["percent_agreement"]) == (5 / 8, 3 / 4)
    assert (staffing["prevalence"], staffing["percent_agreement"]) == (3 / 8, 3 / 4)
    assert staffing["cohen_kappa"] == pytest.approx(0.5)
    # Overall: AB (pay;staffing, pay, none, staffing), CD (pay, pay, none, pay;staffing):
    # they agree on comments 2 and 3 only.
    assert overall["percent_agreement"] == 0.5
    assert "combination of codes" in " ".join(table.attrs["notes"])


def test_agreement_reports_the_kappa_paradox_on_a_rare_code() -> None:
    # 100 comments, two coders; "abuse" as in RARE_CODE, every other comment "workload".
    codes_a = ["abuse" if a else "workload" for a, _ in RARE_CODE]
    codes_b = ["abuse" if b else "workload" for _, b in RARE_CODE]
    codings = pd.concat(
        [
            pd.DataFrame({"comment_id": range(100), "coder": "A", "code": codes_a}),
            pd.DataFrame({"comment_id": range(100), "coder": "B", "code": codes_b}),
        ]
    )
    abuse = row(agreement(codings), "abuse")
    assert abuse["prevalence"] == pytest.approx(0.03)
    assert abuse["percent_agreement"] == pytest.approx(0.96)
    assert abuse["cohen_kappa"] == pytest.approx(0.3127148, abs=1e-7)
    assert abuse["gwet_ac1"] == pytest.approx(0.9018 / 0.9418)


def test_agreement_codes_from_the_codebook() -> None:
    codings = as_long(KRIPPENDORFF_B, ["AB", "CD"])
    table = agreement(codings, codes=["a", "b", "c", "d", "e", "f"])
    never = row(table, "f")
    # Nobody applied "f": full agreement on its absence, kappa and alpha undefined (0/0),
    # AC1 = 1 (p_e = 0).
    assert (never["prevalence"], never["percent_agreement"], never["gwet_ac1"]) == (0, 1, 1)
    assert math.isnan(never["cohen_kappa"]) and math.isnan(never["krippendorff_alpha"])
    assert row(table, "overall")["cohen_kappa"] == pytest.approx(0.6842105, abs=1e-7)
    with pytest.raises(ValueError, match=r"code\(s\) \['e'\] that are not in codes"):
        agreement(codings, codes=["a", "b", "c", "d"])


def test_agreement_accepts_code_id_and_counts_duplicates_once() -> None:
    codings = as_long(KRIPPENDORFF_C).rename(columns={"code": "code_id"})
    expected = agreement(codings)
    doubled = pd.concat([codings, codings.iloc[:3]], ignore_index=True)
    with pytest.warns(UserWarning, match="3 rows repeat a"):
        result = agreement(doubled)
    pd.testing.assert_frame_equal(result, expected)


def test_agreement_treats_blank_codes_as_read_with_no_code() -> None:
    codings = pd.DataFrame(
        {
            "comment_id": [1, 1, 1, 2, 2, 3, 3],
            "coder": ["A", "A", "B", "A", "B", "A", "B"],
            "code": ["pay", "", "pay", "", None, "  ", "pay"],
        }
    )
    table = agreement(codings)
    # A (pay, none, none), B (pay, none, pay): the blank row beside A's "pay" on comment 1
    # only says A read it. Agree on comments 1 and 2, per code and overall.
    assert row(table, "pay")["percent_agreement"] == pytest.approx(2 / 3)
    assert row(table, "overall")["percent_agreement"] == pytest.approx(2 / 3)
    assert table["n_units"].eq(3).all()
    assert table.attrs["notes"] == []


@pytest.mark.parametrize(
    ("codings", "message"),
    [
        (pd.DataFrame({"comment_id": [1], "coder": ["A"]}), r"lack the column\(s\) \['code'\]"),
        (pd.DataFrame(columns=["comment_id", "coder", "code"]), "no rows"),
        (
            pd.DataFrame({"comment_id": [1, None], "coder": ["A", "B"], "code": ["x", "x"]}),
            r"without a comment_id \(data rows \[2\]",
        ),
        (
            pd.DataFrame({"comment_id": [1, 2], "coder": ["A", "B"], "code": ["x", "x"]}),
            "no comment was coded by two or more coders",
        ),
        ([("c1", "A", "x")], "must be a pandas DataFrame"),
    ],
)
def test_agreement_refuses_bad_codings_with_a_reason(codings, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        agreement(codings)


# --- Real coded NHS comments ---------------------------------------------------------------


@pytest.mark.skipif(
    not REAL_CODED.exists(),
    reason=f"real NHS patient feedback not found at {REAL_CODED} (it sits beside the "
    f"project, not in it; see ../shared/data/real/README.md)",
)
def test_agreement_on_real_nhs_comments_is_fast() -> None:
    real = pd.read_csv(REAL_CODED, usecols=["label", "row_index"])
    # The real labels are coder A; coder B moves every 10th comment to the next label
    # (alphabetically), so B disagrees on exactly ceil(n / 10) comments.
    labels = sorted(real["label"].unique())
    next_label = dict(zip(labels, labels[1:] + labels[:1], strict=True))
    moved = np.arange(len(real)) % 10 == 0
    label_b = real["label"].where(~moved, real["label"].map(next_label))
    codings = pd.concat(
        [
            pd.DataFrame({"comment_id": real["row_index"], "coder": "A", "code": real["label"]}),
            pd.DataFrame({"comment_id": real["row_index"], "coder": "B", "code": label_b}),
        ],
        ignore_index=True,
    )
    start = time.perf_counter()
    table = agreement(codings)
    seconds = time.perf_counter() - start

    assert seconds < 2.0, f"agreement() took {seconds:.2f} s on {len(real)} comments"
    assert len(real) > 10_000
    overall = row(table, "overall")
    assert overall["n_units"] == len(real)
    assert overall["percent_agreement"] == pytest.approx(1 - moved.sum() / len(real))
    # Per label, prevalence is the label's share of all 2n codings.
    share = (real["label"].value_counts() + label_b.value_counts()) / (2 * len(real))
    per_label = table.set_index("code").loc[labels, "prevalence"]
    np.testing.assert_allclose(per_label.to_numpy(), share.loc[labels].to_numpy())
    assert table["cohen_kappa"].between(0, 1).all()


# --------------------------------------------------------------------------- pairs of coders


def test_pairwise_agreement_puts_the_model_beside_the_people() -> None:
    codings = pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3", "c4"] * 3 + ["c5"],
            "coder": ["AB"] * 4 + ["CD"] * 4 + ["model"] * 4 + ["model"],
            "code": ["pay", "staffing", None, "staffing"]
            + ["pay", "pay", None, "staffing"]
            + ["pay", "staffing", "staffing", "staffing", "pay"],
        }
    )
    table = pairwise_agreement(codings, pairs=[("AB", "CD"), ("model", "AB"), ("model", "CD")])
    assert list(table.columns) == PAIRWISE_COLUMNS
    overall = table[table["code"] == "overall"].set_index("coders")
    assert overall.index.tolist() == ["AB and CD", "model and AB", "model and CD"]
    assert overall["n_units"].tolist() == [4, 4, 4]  # c5 was coded by the model only
    # AB and CD: irr::kappa2(cbind(c("pay","staffing","none","staffing"),
    #                               c("pay","pay","none","staffing")))$value  # 0.6363636
    assert overall.loc["AB and CD", "cohen_kappa"] == pytest.approx(0.6363636, abs=1e-7)
    # model and AB, by hand: agree on c1, c2, c4 (3/4); chance = (1*1 + 2*3 + 1*0)/16 = 7/16;
    # kappa = (0.75 - 0.4375) / (1 - 0.4375) = 0.5555556
    assert overall.loc["model and AB", "percent_agreement"] == pytest.approx(0.75)
    assert overall.loc["model and AB", "cohen_kappa"] == pytest.approx(5 / 9)
    # model and CD: agree on c1, c4 (1/2); chance = (2*1 + 1*0 + 1*3)/16 = 5/16;
    # kappa = (0.5 - 0.3125) / (1 - 0.3125) = 0.2727273
    assert overall.loc["model and CD", "cohen_kappa"] == pytest.approx(3 / 11)
    # each block is agreement() of that pair alone
    alone = agreement(codings[codings["coder"].isin(["AB", "CD"])])
    block = table[table["coders"] == "AB and CD"][AGREEMENT_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(block, alone)


def test_pairwise_agreement_leaves_out_pairs_with_nothing_in_common() -> None:
    codings = pd.DataFrame(
        {
            "comment_id": ["c1", "c1", "c2", "c3"],
            "coder": ["AB", "CD", "AB", "EF"],
            "code": ["pay", "pay", None, "pay"],
        }
    )
    table = pairwise_agreement(codings)
    assert table["coders"].unique().tolist() == ["AB and CD"]
    assert "AB and EF coded no comment in common: left out." in table.attrs["notes"]
    with pytest.raises(ValueError, match="coder 'GH' has no codings"):
        pairwise_agreement(codings, pairs=[("AB", "GH")])
    with pytest.raises(ValueError, match="with itself"):
        pairwise_agreement(codings, pairs=[("AB", "AB")])
