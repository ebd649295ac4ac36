"""The evaluation methods recover what the demo organisation planted, and no more.

Planted (``demo_generator.effects``): after the 2005 survey, Community Nursing and Children and
Families ran an appraisal action; from 2006 their share answering Yes to ``appraisal_had``
rose by 20 points against 2 points elsewhere, a designed difference-in-differences of 18
points. The 2006 action extending it to Therapies (from 2007) carries no planted effect.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.evaluation import (
    difference_in_differences,
    difference_in_differences_verdict,
    placebo_difference_in_differences,
)
from demo_generator.effects import (
    APPRAISAL_ACTION_YEAR,
    APPRAISAL_SURVEY_RISE,
    APPRAISAL_SURVEY_RISE_ELSEWHERE,
    APPRAISAL_TARGETED,
)


def answered_positively(package, item_id: str) -> pd.DataFrame:
    """One row per respondent and year: 1 for a positive answer, 0 otherwise, NaN if blank."""
    questionnaire = package.tables["questionnaire"]
    responses = package.tables["responses"]
    parts = []
    for item in questionnaire.loc[questionnaire["item_id"] == item_id].itertuples():
        answers = responses.loc[responses["year"] == item.year]
        codes = answers[item.column].astype("Float64")
        counted = codes.notna() & ~codes.isin(list(item.excluded_codes))
        positive = codes.isin(list(item.positive_codes)).astype(float).where(counted)
        parts.append(
            pd.DataFrame(
                {
                    "directorate": answers["directorate"].to_numpy(),
                    "year": answers["year"].to_numpy(),
                    "positive": positive.to_numpy(dtype=float, na_value=np.nan),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def appraisal(demo_data):
    return answered_positively(load_data_package(demo_data), "appraisal_had")


def test_the_appraisal_action_is_recovered_within_its_interval(appraisal):
    result = difference_in_differences(
        appraisal, "positive", "directorate", "year", APPRAISAL_TARGETED, APPRAISAL_ACTION_YEAR
    )
    row = result.iloc[0]
    planted = APPRAISAL_SURVEY_RISE - APPRAISAL_SURVEY_RISE_ELSEWHERE  # 0.18
    assert row["ci_low"] <= planted <= row["ci_high"]
    assert row["bootstrap_p_value"] < 0.05
    placebo = placebo_difference_in_differences(
        appraisal, "positive", "directorate", "year", APPRAISAL_TARGETED,
        APPRAISAL_ACTION_YEAR, placebo_year=2004,
    )  # fmt: skip
    assert placebo["ci_low"].iloc[0] <= 0 <= placebo["ci_high"].iloc[0]
    text = difference_in_differences_verdict(result, placebo, APPRAISAL_ACTION_YEAR)
    assert text.startswith("consistent with an improvement of")
    assert "with only 2 targeted units" in text


def test_the_therapies_action_with_no_planted_effect_is_not_called_effective(appraisal):
    # Therapies from 2007 against the directorates no appraisal action targeted
    untouched = appraisal.loc[~appraisal["directorate"].isin(APPRAISAL_TARGETED)]
    result = difference_in_differences(untouched, "positive", "directorate", "year",
                                       ["Therapies"], 2007)  # fmt: skip
    text = difference_in_differences_verdict(result)
    assert "improvement of" in text  # the range allowed is stated ...
    assert not text.startswith("consistent with an improvement")  # ... but no claim is made
    assert not text.startswith("the interval suggests an improvement")
