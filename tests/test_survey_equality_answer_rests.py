"""An equality side must leave its hidden categories at least the protection level of each
kind of answer, not only the minimum of respondents.

Found by the whole-run audit of the demo once rule 4's ceilings read every breakdown's
respondents (the item scores' hidden ethnicities moved): 2004, ``manager_supportive_crisis``,
Chinese or other ethnic group (5 answers, 4 positive) and Mixed (7, all positive) hidden
in ``item_scores`` while ``equality_groups`` published the BME side. The two hold 12 >= 11
answers (the side's old rule), but only 1 other answer: the side's other answers minus the
shown BME categories' give 1, so each hidden category has 0 or 1, pinned. Figures below by
hand, checked by subtraction from the published side.
"""

from __future__ import annotations

import pandas as pd

from analysis.survey.equality import equality_groups

QUESTIONNAIRE = pd.DataFrame(
    {
        "year": [2004],
        "item_id": ["supportive"],
        "column": ["q1"],
        "positive_codes": [(2,)],
        "excluded_codes": [()],
    }
)
HIDDEN = ["Chinese or other ethnic group", "Mixed"]


def responses(answers: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per ethnicity (answers, positive answers): one respondent per answer."""
    rows = []
    for ethnicity, (n, positive) in answers.items():
        rows += [(ethnicity, 2)] * positive + [(ethnicity, 1)] * (n - positive)
    return pd.DataFrame(rows, columns=["ethnicity", "q1"]).assign(year=2004)


def gated_item_scores() -> pd.DataFrame:
    return pd.DataFrame(
        {"year": 2004, "group_type": "ethnicity", "group": HIDDEN, "item_id": "supportive"}
    ).assign(suppressed=True)


def hidden_other_answers(table: pd.DataFrame, answers: dict[str, tuple[int, int]]) -> float:
    """The hidden BME categories' other answers: the published side's minus the shown ones'."""
    bme = table[table["side"] == "group"].iloc[0]
    shown = ("Asian or Asian British", "Black or Black British")
    return (bme["n"] - bme["n_positive"]) - sum(answers[e][0] - answers[e][1] for e in shown)


def test_a_side_whose_hidden_categories_hold_one_other_answer_is_hidden() -> None:
    """BME: Asian 13 (11 positive, 2 other), Black 13 (7, 6), Chinese 5 (4, 1) and Mixed
    7 (7, 0) hidden; White British 40 (30, 10). Published as before, the BME side shows
    38 answers, 29 positive: 9 other, 2 + 6 = 8 of them shown, so the hidden pair holds 1
    (Chinese in [0, 1], Mixed in [0, 1]). Now the pair is hidden; with 2 other answers in
    the hidden pair (Mixed 7, 6 positive) it is published, as the protection level allows."""
    answers = {
        "Asian or Asian British": (13, 11),
        "Black or Black British": (13, 7),
        "Chinese or other ethnic group": (5, 4),
        "Mixed": (7, 7),
        "White British": (40, 30),
    }
    table = equality_groups(responses(answers), QUESTIONNAIRE, gated_item_scores(), 11)
    assert table["suppressed"].all()
    assert table[["n", "n_positive"]].isna().all().all()

    wider = {**answers, "Mixed": (7, 6)}
    table = equality_groups(responses(wider), QUESTIONNAIRE, gated_item_scores(), 11)
    assert not table["suppressed"].any()
    assert hidden_other_answers(table, wider) == 2


def test_a_side_whose_hidden_categories_hold_one_positive_answer_is_hidden() -> None:
    """The same with positive answers: Chinese 5 (0 positive) and Mixed 7 (1) hidden hold
    1 positive answer, so the pair is hidden."""
    answers = {
        "Asian or Asian British": (13, 11),
        "Black or Black British": (13, 7),
        "Chinese or other ethnic group": (5, 0),
        "Mixed": (7, 1),
        "White British": (40, 30),
    }
    table = equality_groups(responses(answers), QUESTIONNAIRE, gated_item_scores(), 11)
    assert table["suppressed"].all()
