"""Training needs from the survey and the comments, and the course register (issue 6)."""

from __future__ import annotations

import pandas as pd
import pytest
from package_builder import minimal_tables, write_package

from analysis.datapackage import load_data_package
from analysis.evaluation.needs import (
    ALL_DIRECTORATES,
    SKILL_COLUMNS,
    course_register,
    skill_comment_shares,
    skill_scores,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load_data_package(write_package(tmp_path_factory.mktemp("small"), minimal_tables()))


# 2023 in the small package (package_builder): enthusiastic (q1, positive 4;5) and
# appraisal_had (q2, positive 1, 9 = don't know excluded):
#   B1 Community q1 1 q2 1 | B2 Community q1 3 q2 1 | B3 Community q1 4 q2 2
#   B4 Corporate q1 5 q2 blank | B5 Corporate q1 4 q2 9
# "morale" (q1 only), positive: 0 0 1 | 1 1        -> all 60%, Community 33.3%, Corporate 100%
# "appraisal" (q1 and q2), each respondent's share of the answered items that were positive:
#   0.5 0.5 0.5 | 1 (q2 blank) 1 (q2 excluded)     -> all 70%, Community 50%, Corporate 100%
SKILLS = {"morale": ["enthusiastic"], "appraisal": ["appraisal_had", "enthusiastic"]}


def test_skill_scores_by_hand_and_against_r_t_test(small):
    table = skill_scores(small, SKILLS, 2023).set_index(["skill", "directorate"])
    assert table["respondents"].to_dict() == {
        ("morale", ALL_DIRECTORATES): 5, ("morale", "Community"): 3, ("morale", "Corporate"): 2,
        ("appraisal", ALL_DIRECTORATES): 5, ("appraisal", "Community"): 3,
        ("appraisal", "Corporate"): 2,
    }  # fmt: skip
    expected = {
        ("morale", ALL_DIRECTORATES): 60.0, ("morale", "Community"): 100 / 3,
        ("morale", "Corporate"): 100.0, ("appraisal", ALL_DIRECTORATES): 70.0,
        ("appraisal", "Community"): 50.0, ("appraisal", "Corporate"): 100.0,
    }  # fmt: skip
    assert table["percent_positive"].to_dict() == pytest.approx(expected)
    # R: t.test(c(0,0,1,1,1))$conf.int -> -0.0800873806582556 1.2800873806582556
    morale = table.loc[("morale", ALL_DIRECTORATES)]
    assert morale["ci_low"] == pytest.approx(-8.00873806582556)
    assert morale["ci_high"] == pytest.approx(128.00873806582556)
    # R: t.test(c(0,0,1))$conf.int -> -1.10088424324982 1.76755090991649
    community = table.loc[("morale", "Community")]
    assert community["ci_low"] == pytest.approx(-110.088424324982)
    assert community["ci_high"] == pytest.approx(176.755090991649)
    # R: t.test(c(.5,.5,.5,1,1))$conf.int -> 0.359956309670872 1.040043690329128
    appraisal = table.loc[("appraisal", ALL_DIRECTORATES)]
    assert appraisal["ci_low"] == pytest.approx(35.9956309670872)
    assert appraisal["ci_high"] == pytest.approx(104.0043690329128)
    assert table.loc[("appraisal", "Community"), "difference"] == pytest.approx(-20.0)
    assert table.loc[("morale", "Community"), "difference"] == pytest.approx(100 / 3 - 60)
    # within each directorate, 1 = the weakest skill; ties share the rank
    assert table["weakest_rank"].to_dict() == {
        ("morale", ALL_DIRECTORATES): 1, ("morale", "Community"): 1, ("morale", "Corporate"): 1,
        ("appraisal", ALL_DIRECTORATES): 2, ("appraisal", "Community"): 2,
        ("appraisal", "Corporate"): 1,
    }  # fmt: skip


def test_items_not_asked_that_year_are_left_out_and_named(small):
    # pressure (q3) was first asked in 2023
    table = skill_scores(small, {"workload": ["pressure", "enthusiastic"]}, 2022)
    assert set(table["items"]) == {"enthusiastic"}
    assert table.attrs["notes"] == []
    # a skill none of whose items was asked is left out, with the reason (issue #10)
    table = skill_scores(small, {"workload": ["pressure"], "morale": ["enthusiastic"]}, 2022)
    assert set(table["skill"]) == {"morale"}
    assert table.attrs["notes"] == ["workload (none of its items pressure was asked in 2022)"]
    empty = skill_scores(small, {"workload": ["pressure"]}, 2022)
    assert empty.empty and list(empty.columns) == list(SKILL_COLUMNS)


def test_comment_shares_count_respondents_raising_any_of_a_skills_codes(small):
    coded = pd.DataFrame(
        {
            "respondent_id": ["B1", "B1", "B2", "B5", "A1"],
            "year": [2023, 2023, 2023, 2023, 2022],
            "code_id": ["workload", "staffing", None, "staffing", "workload"],
        }
    )
    table = skill_comment_shares(
        coded, small.responses, {"staffing": ["workload", "staffing"]}, 2023
    )
    rows = table.set_index("directorate")
    # commenters in 2023: B1, B2 (Community), B5 (Corporate); B1 raised both codes but counts once
    assert rows["commenters"].to_dict() == {ALL_DIRECTORATES: 3, "Community": 2, "Corporate": 1}
    assert rows["raised"].to_dict() == {ALL_DIRECTORATES: 2, "Community": 1, "Corporate": 1}
    assert rows.loc["Community", "percent"] == pytest.approx(50.0)


def test_course_register_adds_each_outcome_in_words(demo_data):
    register = course_register(load_data_package(demo_data)).set_index("item_id")
    assert register.loc["appraisal_had", "item_wording"].startswith("In the last 12 months")
    assert register.loc["appraisal_had", "indicator_name"] == "Appraisal completion"
    assert set(register["skill"]) == {"appraisal", "communication", "recognition",
                                      "managing attendance"}  # fmt: skip


def test_the_demos_weakest_skill_and_directorate(demo_data):
    # Planted: job satisfaction in Community Nursing follows its worsening work pressure
    # (README, effect 4), and the recognition items are job satisfaction items, so
    # Community Nursing's recognition score is the lowest of any directorate.
    skills = {
        "recognition": ["satisfied_recognition", "satisfied_valued"],
        "handling bullying": ["bullying_colleagues", "bullying_reported"],
    }
    table = skill_scores(load_data_package(demo_data), skills, 2008)
    recognition = table.loc[table["skill"] == "recognition"].set_index("directorate")
    assert recognition["percent_positive"].idxmin() == "Community Nursing"
    assert (table.loc[table["directorate"] == ALL_DIRECTORATES, "weakest_rank"] == [1, 2]).all()


# --- degenerate packages (issue #10: a valid package runs every stage) ------------------


def test_a_skill_nobody_answered_is_left_out_with_the_reason(tmp_path):
    # 2022 with every appraisal_had (q2) answer blank or "don't know" (9, excluded): the
    # skill has no respondent, which used to give a NaN score and an IntCastingNaNError in
    # the rank. enthusiastic (q1, positive 4;5) in 2022: A1 5, A2 4, A3 blank, A4 2
    # -> positive 1, 1, -, 0: all 2/3 = 66.7% (A4 has no directorate), Community 2/2 = 100%.
    tables = minimal_tables()
    responses = tables["responses"]
    responses.loc[responses["year"].astype(int) == 2022, "q2"] = [9, None, 9, None]
    package = load_data_package(write_package(tmp_path / "data", tables))
    only_appraisal = skill_scores(package, {"appraisal": ["appraisal_had"]}, 2022)
    assert only_appraisal.empty and list(only_appraisal.columns) == list(SKILL_COLUMNS)
    assert only_appraisal.attrs["notes"] == [
        "appraisal (nobody answered its items appraisal_had in 2022, other than with an "
        'excluded code such as "don\'t know")'
    ]
    both = skill_scores(package, {"appraisal": ["appraisal_had"], "morale": ["enthusiastic"]}, 2022)
    rows = both.set_index("directorate")
    assert set(both["skill"]) == {"morale"}
    assert rows["respondents"].to_dict() == {ALL_DIRECTORATES: 3, "Community": 2}
    assert rows["percent_positive"].to_dict() == pytest.approx(
        {ALL_DIRECTORATES: 200 / 3, "Community": 100.0}
    )
    assert rows["weakest_rank"].to_dict() == {ALL_DIRECTORATES: 1, "Community": 1}


def _published_skills(small, tmp_path, minimum: int):
    from analysis.publishing import StageOutput

    out = StageOutput(tmp_path / f"out{minimum}", stage="interventions", minimum_group_size=minimum)
    return out.table(
        skill_scores(small, SKILLS, 2023),
        "training_needs",
        title="Skills",
        count="respondents",
        dimensions=["directorate"],
        for_each=["skill"],
        labels=["items"],
    )


def test_the_weakest_skill_is_read_from_the_rows_the_gate_shows(small, tmp_path):
    from analysis.evaluation.needs import ranking_sentence, weakest_skill_finding

    # minimum 5: the organisation's rows (5 respondents) are shown, the directorates' (3 and
    # 2) hidden; by hand (above) morale 60% < appraisal 70%
    published = _published_skills(small, tmp_path, 5)
    assert weakest_skill_finding(published, 2023) == (
        "In 2023 staff rated morale lowest of the people-management skills (60% positive "
        "across the organisation)"
    )
    assert ranking_sentence(published) == (
        "Across the organisation the skills rank, weakest first: morale (60%), appraisal (70%)."
    )


def test_no_skill_is_named_when_the_gate_hides_the_organisations_rows(small, tmp_path):
    from analysis.evaluation.needs import (
        organisation_ranking,
        ranking_sentence,
        weakest_skill_finding,
    )

    # minimum 6: every row (5 respondents at most) is hidden; taking the first shown
    # organisation row used to raise IndexError (single positional indexer is out-of-bounds)
    published = _published_skills(small, tmp_path, 6)
    assert published.suppressed.all()
    assert organisation_ranking(published).empty
    assert weakest_skill_finding(published, 2023) == (
        "In 2023 no skill is named the weakest: every organisation-wide score is hidden by the "
        "disclosure rules (minimum group size 6 respondents)"
    )
    assert ranking_sentence(published) == (
        "The skills are not ranked across the organisation: every organisation-wide score is "
        "hidden by the disclosure rules (minimum group size 6 respondents)."
    )
