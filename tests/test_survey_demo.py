"""The survey computations recover the effects planted in the demo organisation's data.

``data/demo/README.md`` (written by ``demo_generator``) documents them: after the 2005
survey an appraisal action plan targeted Community Nursing and Children and Families, and
the share answering Yes to ``appraisal_had`` rose by a designed 20 points there from 2006
(2 points elsewhere). The comparator table makes the trust the best of its group on
``training_received`` in 2008 and the worst on two items.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.datapackage import load_data_package
from analysis.survey import (
    benchmark,
    breakdown_types,
    changes,
    count_answers,
    item_scores_by_group,
    suppress_survey_tables,
)
from demo_generator.effects import APPRAISAL_TARGETED, BEST_ITEM, WORST_ITEMS

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    """The demo package, data/demo."""
    return load_data_package(DEMO)


@pytest.fixture(scope="module")
def published(demo):
    breakdowns = breakdown_types(["directorate"], ())
    counts = count_answers(demo.responses, demo.questionnaire, ["directorate"])
    scores = item_scores_by_group(
        counts, demo.questionnaire, breakdowns, organisation=demo.description.organisation_name
    )
    tables = {
        "item_scores": scores,
        "changes": changes(scores, demo.questionnaire),
        "benchmark": benchmark(scores, demo.comparators, demo.description.organisation_code),
    }
    # the planted effects are checked on unweighted figures; weighted ones need the gated
    # response rates (their weights), which this fixture does not build
    unweighted = {
        name: table.drop(columns=[c for c in table.columns if "weighted" in c])
        for name, table in tables.items()
    }
    return suppress_survey_tables(unweighted, demo.description.minimum_group_size)


def test_changes_recover_the_appraisal_rise_in_the_targeted_directorates(published):
    changes_table = published["changes"]
    rise = changes_table[
        (changes_table.item_id == "appraisal_had")
        & (changes_table.group_type == "directorate")
        & (changes_table.year == 2006)
        & (changes_table.base_year == 2005)
    ].set_index("group")
    assert len(rise) == 6 and not rise["suppressed"].any()
    targeted = rise.loc[list(APPRAISAL_TARGETED)]
    elsewhere = rise.drop(index=list(APPRAISAL_TARGETED))
    # Designed: +20 points where targeted, +2 elsewhere (README: measured 19.9 and 2.0
    # pooled over 2006-2008 against 2003-2005).
    assert targeted["diff_pp"].between(12, 28).all()
    assert targeted["significant"].all()
    assert elsewhere["diff_pp"].abs().max() < 8
    assert not elsewhere["significant"].any()
    gap = targeted["diff_pp"].mean() - elsewhere["diff_pp"].mean()
    assert gap == pytest.approx(18, abs=5)


def test_benchmark_recovers_the_planted_best_and_worst_items(published):
    table = published["benchmark"].set_index(["item_id", "year"])
    assert table.loc[BEST_ITEM, "rank"] == 1
    for item in WORST_ITEMS:
        assert table.loc[item, "rank"] == table.loc[item, "organisations"]
        assert table.loc[item, "comparison"] == "worse"
