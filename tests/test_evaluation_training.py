"""Kirkpatrick levels of the training courses, and the demo's planted course effects."""

import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.datapackage.windows import package_up_to
from analysis.evaluation.training import (
    ALL_MEASURES,
    COURSE_RESULT_COLUMNS,
    course_results,
    paired_ratings,
    reaction_distribution,
    trained_teams,
)
from demo_generator.effects import MANAGER_COURSE_TARGET_PP, MANAGER_ITEMS


def ratings(rows):
    return pd.DataFrame(
        rows, columns=["participant_id", "timepoint", "measure", "score"]
    ).assign(course_id="C", course_name="Course", cohort="1", team_id="T1",
             date=pd.Timestamp("2006-03-01"))  # fmt: skip


# Four participants, one measure: pre 2, 3, 2, 4 -> post 4, 4, 3, 4 (changes 2, 1, 1, 0);
# participant P5 has no post rating.
EXAMPLE = ratings(
    [
        (p, "pre", "m", s)
        for p, s in zip(["P1", "P2", "P3", "P4", "P5"], [2, 3, 2, 4, 1], strict=True)
    ]
    + [(p, "post", "m", s) for p, s in zip(["P1", "P2", "P3", "P4"], [4, 4, 3, 4], strict=True)]
    + [(p, "post", "satisfaction", s) for p, s in zip(["P1", "P2", "P3"], [5, 4, 5], strict=True)]
)


def test_learning_uses_matched_pairs_and_counts_the_unmatched():
    table = paired_ratings(EXAMPLE, "post").set_index("measure")
    row = table.loc["m"]
    # changes 2, 1, 1, 0: mean 1, SD sqrt(((1)^2 + 0 + 0 + (1)^2) / 3) = 0.8165
    assert row["n_pairs"] == 4
    assert row["n_unmatched"] == 1
    assert row["mean_change"] == pytest.approx(1.0)
    assert row["sd_change"] == pytest.approx((2 / 3) ** 0.5)
    assert row["level"] == "2 learning"
    # the pooled row averages each person's matched measures: the same four people
    assert table.loc[ALL_MEASURES, "n_pairs"] == 4


def test_reaction_distribution_reads_measures_rated_only_after():
    table = reaction_distribution(EXAMPLE)
    # satisfaction 5, 4, 5: scores 1-5 -> 0, 0, 0, 1, 2 participants
    assert table["measure"].unique().tolist() == ["satisfaction"]
    assert table["participants"].tolist() == [0, 0, 0, 1, 2]
    assert table["percent"].iloc[-1] == pytest.approx(200 / 3)


def test_later_must_be_post_or_follow_up():
    with pytest.raises(ValueError, match="later must be one of"):
        paired_ratings(EXAMPLE, "during")


def test_trained_teams_are_first_surveyed_the_year_after():
    teams = trained_teams(EXAMPLE, "C")
    assert teams["first_survey_year"].tolist() == [2007]
    with pytest.raises(ValueError, match="no course"):
        trained_teams(EXAMPLE, "X")


@pytest.fixture(scope="module")
def demo(demo_data):
    return load_data_package(demo_data)


def test_the_demo_courses_raise_self_ratings_as_planted(demo):
    learning = paired_ratings(demo.tables["training_evaluations"], "post").set_index(
        ["course_id", "measure"])  # fmt: skip
    behaviour = paired_ratings(demo.tables["training_evaluations"], "follow_up").set_index(
        ["course_id", "measure"])  # fmt: skip
    # designed gains (latent, before rounding): 1.0 post, 0.7 follow-up
    post, follow_up = learning.loc[("MPW", ALL_MEASURES)], behaviour.loc[("MPW", ALL_MEASURES)]
    assert post["ci_low"] <= 1.0 <= post["ci_high"]
    assert follow_up["ci_low"] <= 0.7 <= follow_up["ci_high"]
    assert post["mean_change"] == pytest.approx(3.55 - 2.46, abs=0.02)  # README's means


def test_the_manager_course_effect_on_the_survey_is_recovered(demo):
    results = course_results(demo, "MPW", MANAGER_ITEMS, 2008, bootstrap_reps=999)
    row = results.set_index("first_survey_year").loc[2007]  # the 2006 cohorts, 14 teams
    assert row["trained_teams"] == 14 and row["comparison_teams"] == 17
    # designed about 10 points, realised 11.9 (README); both within the interval
    assert row["ci_low"] <= MANAGER_COURSE_TARGET_PP <= row["ci_high"]
    assert row["ci_low"] <= 11.9 <= row["ci_high"]
    assert "attendance was not random" in row["verdict"]


def test_no_ratings_give_an_empty_table_with_every_column_and_type():
    # before the first evaluation (a report year before any course) and before any
    # follow-up: no rows, but the columns and types of a table with rows (the report
    # selects and concatenates them; it failed with a KeyError for report year 2004)
    with_rows = paired_ratings(EXAMPLE, "post")
    for empty in (paired_ratings(EXAMPLE.iloc[0:0], "post"), paired_ratings(EXAMPLE, "follow_up")):
        assert empty.empty
        assert empty.columns.tolist() == with_rows.columns.tolist()
        assert empty.dtypes.to_dict() == with_rows.dtypes.to_dict()


def test_level_4_of_a_course_not_evaluated_yet_says_so(demo):
    # demo: the first evaluations are in October 2005 (MPW) and February 2006 (ASR)
    up_to_2004 = package_up_to(demo, 2004)
    results = course_results(up_to_2004, "ASR", MANAGER_ITEMS, 2004, bootstrap_reps=99)
    assert results.empty
    assert results.columns.tolist() == list(COURSE_RESULT_COLUMNS)
    assert results.attrs["notes"] == [
        "course ASR: no training evaluations up to 2004, so no team is known to have been trained"
    ]


def test_level_4_of_teams_first_surveyed_after_the_report_year_says_so(demo):
    # MPW's 2005 pilot cohort: its teams are first surveyed after the course in 2006
    up_to_2005 = package_up_to(demo, 2005)
    evaluations = up_to_2005.tables["training_evaluations"]
    pilot_teams = evaluations.loc[evaluations["course_id"] == "MPW", "team_id"].nunique()
    results = course_results(up_to_2005, "MPW", MANAGER_ITEMS, 2005, bootstrap_reps=99)
    assert results.empty
    assert results.attrs["notes"] == [
        f"course MPW: {pilot_teams} teams trained in 2005 are first surveyed in 2006, after 2005"
    ]
