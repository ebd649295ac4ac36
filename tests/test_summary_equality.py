"""WRES/WDES-style equality indicators and the equality groups' disclosure rule.

Reference numbers are hand calculations, written out beside each assertion: the two-
proportion z-test with pooled variance (Altman 1991, section 10.7), z = (p1 - p2) /
sqrt(p(1 - p)(1/n1 + 1/n2)) with p = (x1 + x2)/(n1 + n2), two-sided p = erfc(|z|/sqrt 2),
which is R's prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$p.value.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.summary.equality import INDICATORS, equality_indicators
from analysis.survey.equality import COMPARISONS, equality_groups


def _published(rows: list[tuple]) -> pd.DataFrame:
    """Rows: (item_id, comparison, side, group, n, n_positive, suppressed), year 2008."""
    columns = ["item_id", "comparison", "side", "group", "n", "n_positive", "suppressed"]
    return pd.DataFrame(rows, columns=columns).assign(year=2008)


TABLE = _published(
    [
        # 40 BME staff, 30 positive (not bullied): 10 bullied = 25%; white 400, 60 = 15%.
        ("bullying_colleagues", "ethnicity", "group", "BME", 40, 30, False),
        ("bullying_colleagues", "ethnicity", "reference", "White", 400, 340, False),
        # Career progression: disabled 20 of 50 = 40% fair; non-disabled 300 of 500 = 60%.
        ("equal_opportunities", "disability", "group", "Disabled", 50, 20, False),
        ("equal_opportunities", "disability", "reference", "Non-disabled", 500, 300, False),
        # Discrimination: the pair hidden by the gate.
        ("discrimination_experienced", "ethnicity", "group", "BME", None, None, True),
        ("discrimination_experienced", "ethnicity", "reference", "White", None, None, True),
    ]
)


def _row(table: pd.DataFrame, indicator_item: str, comparison: str) -> pd.Series:
    name = next(i.name for i in INDICATORS if i.item_id == indicator_item)
    chosen = table[(table["indicator"] == name) & (table["comparison"] == comparison)]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_experienced_indicator_is_100_minus_positive_with_the_z_test():
    row = _row(equality_indicators(TABLE, 2008), "bullying_colleagues", "ethnicity")
    assert row["status"] == "shown"
    assert row["group_pct"] == pytest.approx(25.0)  # 10 / 40
    assert row["reference_pct"] == pytest.approx(15.0)  # 60 / 400
    assert row["gap_pp"] == pytest.approx(10.0)
    # pooled p = 70/440 = 0.159091; se = sqrt(0.159091 * 0.840909 * (1/40 + 1/400))
    # = 0.0606546; z = 0.10 / 0.0606546 = 1.64868; p = erfc(1.64868 / sqrt 2) = 0.099213
    assert row["p_value"] == pytest.approx(0.0992131, abs=1e-6)
    assert not row["worse_for_group"]  # higher for the group, but not significant


def test_positive_indicator_lower_for_the_group_is_a_significant_disadvantage():
    row = _row(equality_indicators(TABLE, 2008), "equal_opportunities", "disability")
    assert row["group_pct"] == pytest.approx(40.0)
    assert row["reference_pct"] == pytest.approx(60.0)
    assert row["gap_pp"] == pytest.approx(-20.0)
    # pooled p = 320/550 = 0.581818; se = sqrt(0.581818 * 0.418182 * (1/50 + 1/500))
    # = 0.0731623; z = -0.20 / 0.0731623 = -2.73365; p = 0.0062637
    assert row["p_value"] == pytest.approx(0.0062637, abs=1e-6)
    assert row["worse_for_group"]


def test_hidden_pairs_stay_hidden_and_questions_not_asked_say_so():
    table = equality_indicators(TABLE, 2008)
    hidden = _row(table, "discrimination_experienced", "ethnicity")
    assert hidden["status"] == "suppressed"
    assert pd.isna(hidden["group_pct"]) and pd.isna(hidden["gap_pp"])
    not_asked = _row(table, "harassment_patients", "ethnicity")
    assert not_asked["status"] == "not asked"


QUESTIONNAIRE = pd.DataFrame(
    {
        "year": [2008],
        "item_id": ["bullied"],
        "column": ["q1"],
        "positive_codes": [(2,)],
        "excluded_codes": [()],
    }
)
# Per ethnicity: (respondents, answering 2 = positive)
ANSWERS = {
    "White British": (30, 24),
    "White other": (12, 10),
    "Asian or Asian British": (12, 8),
    "Black or Black British": (5, 2),
    "Mixed": (7, 5),
    "": (3, 2),
}


def _responses(answers: dict[str, tuple[int, int]] = ANSWERS) -> pd.DataFrame:
    rows = []
    for ethnicity, (n, positive) in answers.items():
        rows += [(ethnicity, 2)] * positive + [(ethnicity, 1)] * (n - positive)
    frame = pd.DataFrame(rows, columns=["ethnicity", "q1"])
    return frame.assign(year=2008)


def _gated(hidden: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"year": 2008, "group_type": "ethnicity", "group": hidden, "item_id": "bullied"}
    ).assign(suppressed=True)


def test_sides_add_up_the_categories_and_leave_not_stated_out():
    # Hidden: Black (5) and Mixed (7), both BME: two cells, 12 >= 11 together: published.
    table = equality_groups(
        _responses(), QUESTIONNAIRE, _gated(["Black or Black British", "Mixed"]), 11
    )
    bme, white = table.iloc[0], table.iloc[1]
    assert (bme["side"], bme["group"]) == ("group", "Black and minority ethnic")
    assert not bme["suppressed"]
    assert (bme["n"], bme["n_positive"]) == (12 + 5 + 7, 8 + 2 + 5)
    assert bme["pct_positive"] == pytest.approx(100 * 15 / 24)
    assert (white["n"], white["n_positive"]) == (30 + 12, 24 + 10)


@pytest.mark.parametrize(
    ("answers", "hidden", "why"),
    [
        (
            {**ANSWERS, "Mixed": (4, 3)},
            ["Black or Black British", "Mixed"],
            "the hidden BME categories hold 5 + 4 = 9 < 11 respondents",
        ),
        (
            ANSWERS,
            ["Black or Black British", "Not stated"],
            "one hidden category on each side would be revealed by subtraction",
        ),
        (
            {"White British": (40, 30), "Asian or Asian British": (8, 5)},
            [],
            "the BME side has fewer than 11 respondents",
        ),
    ],
)
def test_a_pair_is_hidden_where_it_would_reveal_a_small_group(answers, hidden, why):
    table = equality_groups(_responses(answers), QUESTIONNAIRE, _gated(hidden), 11)
    assert table["suppressed"].all(), why
    assert table[["n", "n_positive", "pct_positive"]].isna().all().all(), why


def test_who_is_on_which_side():
    ethnicity, disability = COMPARISONS
    assert ethnicity.side("White Irish") == "White"
    assert ethnicity.side("Black or Black British") == "Black and minority ethnic"
    assert ethnicity.side("Not stated") not in ("White", "Black and minority ethnic")
    assert disability.side("Yes") == "Disabled"
    assert disability.side("No") == "Non-disabled"
    assert disability.side("Prefer not to say") not in ("Disabled", "Non-disabled")
