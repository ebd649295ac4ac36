"""Tests of the line of sight, role profiles and the private staff profile."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.datapackage.indicator_specifications import Objective, parse_indicator_specifications
from analysis.indicators import figures, line_of_sight, profiles, values
from demo_generator.indicator_specs import indicator_specifications_text

MODEL = parse_indicator_specifications(indicator_specifications_text())
ROLES = pd.DataFrame(
    {
        "role_id": ["R1", "R2", "R3"],
        "role_name": ["District nurse", "Team leader", "Porter"],
        "purpose": ["Nursing", "Leading", "Moving"],
    }
)


def _small_model():
    sickness, survey = MODEL["sickness_absence"], MODEL["wellbeing_action_survey"]
    return dataclasses.replace(
        MODEL,
        objectives=(Objective("O1", "Healthy staff"), Objective("O2", "Good care")),
        indicators=(
            dataclasses.replace(sickness, id="I1", objective="O1", roles=("R2", "R1")),
            dataclasses.replace(survey, id="I2", objective="O1", roles=("R2",)),
            dataclasses.replace(sickness, id="I3", objective="O2", domain="Care", roles=("R1",)),
        ),
    )


def test_line_of_sight_has_one_row_per_indicator_and_role():
    links = line_of_sight.line_of_sight(_small_model(), ROLES)
    # I1 names two roles, I2 and I3 one each: 2 + 1 + 1 = 4 rows, roles in file order.
    assert links[["objective_id", "indicator_id", "role_id"]].values.tolist() == [
        ["O1", "I1", "R1"],
        ["O1", "I1", "R2"],
        ["O1", "I2", "R2"],
        ["O2", "I3", "R1"],
    ]
    assert links["type"].tolist() == ["quantitative", "quantitative", "qualitative", "quantitative"]
    reach = line_of_sight.objectives_by_role(links, ROLES).set_index(["role_id", "objective_id"])
    # R1: O1 through I1, O2 through I3. R2: O1 through I1 and I2, nothing to O2.
    # R3 (porter) is named by no indicator: unlinked to both objectives.
    assert reach.loc[("R2", "O1"), ["quantitative", "qualitative"]].tolist() == [1, 1]
    assert reach["linked"].to_dict() == {
        ("R1", "O1"): True,
        ("R1", "O2"): True,
        ("R2", "O1"): True,
        ("R2", "O2"): False,
        ("R3", "O1"): False,
        ("R3", "O2"): False,
    }
    with pytest.raises(ValueError, match="field 'roles': \\['R1'\\]"):
        line_of_sight.line_of_sight(_small_model(), ROLES[ROLES["role_id"] != "R1"])


def test_line_of_sight_chart_labels_every_node_and_marks_qualitative_indicators():
    links = line_of_sight.line_of_sight(_small_model(), ROLES)
    figure = figures.line_of_sight_chart(links, title="Every role sees an objective")
    axes = figure.axes[0]
    labels = {text.get_text() for text in axes.texts}
    # 2 objectives + 2 domains + 3 indicators + 2 roles, and the 4 column headings.
    expected = {"O1 Healthy staff", "O2 Good care", "Staff health and wellbeing", "Care"}
    expected |= {"Sickness absence rate", "District nurse", "Team leader"}
    assert expected <= labels
    assert {"Objectives", "Domains", "Indicators", "Roles"} <= labels
    assert axes.get_title(loc="left") == "Every role sees an objective"
    plt.close(figure)


def _card():
    # Two teams; T2's sickness absence is suppressed (fewer than 11 staff).
    rows = [
        ("T1", "sickness_absence", 5.0, "worse", "concern_high", False),
        ("T1", "complaints", 3.0, "not compared", "common_cause", False),
        ("T1", "wellbeing_action_survey", 60.0, "similar", None, False),
        ("T1", "turnover", 10.0, "similar", "common_cause", False),
        ("T2", "sickness_absence", np.nan, None, None, True),
        ("T2", "complaints", 1.0, "not compared", "improvement_low", False),
        ("T2", "wellbeing_action_survey", 70.0, "better", None, False),
        ("T2", "turnover", 8.0, "similar", "common_cause", False),
    ]
    card = pd.DataFrame(
        rows, columns=["unit", "indicator_id", "value", "rating", "variation_icon", "suppressed"]
    )
    card["directorate"] = "D"
    card["indicator"] = card["indicator_id"].map({i.id: i.name for i in MODEL.indicators})
    card["unit_of_measure"] = card["indicator_id"].map({i.id: i.unit for i in MODEL.indicators})
    return card


def test_role_profiles_list_the_roles_indicators_for_its_teams_quantitative_first():
    staff = pd.DataFrame(
        {"staff_id": ["S1", "S2"], "team_id": ["T1", "T2"], "role_id": ["R01", "R10"]}
    )
    roles = pd.DataFrame(
        {"role_id": ["R01", "R10"], "role_name": ["District nurse", "Team leader"]}
    )
    profile = profiles.role_profiles(_card(), staff, roles, MODEL)
    nurse = profile[profile["role_id"] == "R01"]
    # District nurses work in T1 only and influence sickness, complaints and the wellbeing
    # survey item, not turnover (a team leader's indicator).
    assert nurse["unit"].unique().tolist() == ["T1"]
    assert nurse["indicator_id"].tolist() == [
        "sickness_absence",
        "complaints",
        "wellbeing_action_survey",
    ]
    assert nurse["type"].tolist() == ["quantitative", "quantitative", "qualitative"]
    assert nurse["trend"].fillna("").tolist() == ["getting worse", "no significant change", ""]
    leader = profile[profile["role_id"] == "R10"]
    assert leader["indicator_id"].tolist() == [
        "sickness_absence",
        "turnover",
        "complaints",
        "wellbeing_action_survey",
    ]
    hidden = leader[leader["suppressed"]]
    assert hidden["indicator_id"].tolist() == ["sickness_absence"]
    assert hidden[["value", "rating", "trend"]].isna().all(axis=None)
    summary = profiles.role_profile_summary(profile).set_index(["role_id", "indicator"])
    row = summary.loc[("R10", "Sickness absence rate")]
    assert row[["teams", "better", "similar", "worse", "suppressed_teams"]].tolist() == [
        1,
        0,
        0,
        0,
        1,
    ]
    assert summary.loc[("R01", "Sickness absence rate"), "getting_worse"] == 1
    with pytest.raises(ValueError, match="must be the suppressed scorecard"):
        profiles.role_profiles(_card().drop(columns="suppressed"), staff, roles, MODEL)


def test_role_profile_grid_puts_teams_down_and_quantitative_indicators_first():
    staff = pd.DataFrame({"staff_id": ["S2"], "team_id": ["T2"], "role_id": ["R10"]})
    roles = pd.DataFrame({"role_id": ["R10"], "role_name": ["Team leader"]})
    profile = profiles.role_profiles(_card(), staff, roles, MODEL)
    cells, ratings = profiles.role_profile_grid(profile)
    assert cells.columns.tolist() == [
        ("Quantitative", "Sickness absence rate"),
        ("Quantitative", "Staff turnover"),
        ("Quantitative", "Complaints"),
        ("Qualitative", "Staff who say the trust acts on health and wellbeing"),
    ]
    # Suppressed: [c]; complaints not compared but improving; survey rated, not charted.
    assert cells.loc["T2"].tolist() == ["[c]", "8, similar", "1, improving", "70, better"]
    assert pd.isna(ratings.loc["T2"].iloc[0]) and ratings.loc["T2"].iloc[3] == "better"
    page = figures.role_profile_html(cells, ratings, caption="Team leader: 1 team better")
    assert "<caption>Team leader: 1 team better</caption>" in page
    assert page.count("<td") == 4 and page.count(">[c]<") == 1
    assert f"background:{figures.RATING_COLOURS['better']}" in page
    assert '<th scope="colgroup" colspan="3">Quantitative</th>' in page


def test_demo_role_profiles_never_show_a_team_value_below_the_minimum_group_size():
    package = load_data_package("data/demo")
    model = package.indicators
    survey = values.survey_indicator_values(package.responses, package.questionnaire, model)
    annual = values.indicator_table(
        pd.concat([package.indicator_values, survey], ignore_index=True),
        package.teams,
        model,
        level="team",
        period="year",
    )
    published = values.suppress_small_teams(annual, model, minimum=11)
    no_trends = pd.DataFrame(columns=["indicator_id", "unit", "variation_icon"])
    card = values.scorecard(published, no_trends, 2008, model)
    profile = profiles.role_profiles(card, package.staff_list, package.role_profiles, model)
    staff = annual[annual["period"] == "2008"].set_index(["indicator_id", "unit"])["staff"]
    shown = profile[~profile["suppressed"]]
    about_staff = shown["indicator_id"].map({i.id: i.about_staff for i in model.indicators})
    behind = staff.reindex(pd.MultiIndex.from_frame(shown[["indicator_id", "unit"]]))
    assert (behind.to_numpy()[about_staff.to_numpy()] >= 11).all()
    # Teams with fewer than 11 staff exist in the demo, and they are hidden.
    small = staff[staff < 11].index
    in_profile = pd.MultiIndex.from_frame(profile[["indicator_id", "unit"]])
    assert in_profile.isin(small).any()
    assert profile.loc[in_profile.isin(small), "suppressed"].all()
    assert profile.loc[profile["suppressed"], "value"].isna().all()
    assert "staff_id" not in profile.columns


def _record_tables():
    staff_list = pd.DataFrame(
        {
            "staff_id": ["S1", "S2"],
            "team_id": ["T1", "T1"],
            "role_id": ["R01", "R10"],
            "staff_group": ["Nursing", "Managers"],
            "band": ["Band 6", "Band 7"],
            "start_date": pd.to_datetime(["2004-02-08", "2001-01-01"]),
        }
    )
    return {
        "staff_list": staff_list,
        "teams": pd.DataFrame({"team_id": ["T1"], "team_name": ["North"], "directorate": ["D"]}),
        "role_profiles": pd.DataFrame(
            {"role_id": ["R01", "R10"], "role_name": ["District nurse", "Team leader"]}
        ),
        "appraisals": pd.DataFrame(
            {
                "staff_id": ["S1", "S1", "S2"],
                "review_date": pd.to_datetime(["2007-06-01", "2006-05-01", "2007-01-01"]),
                "overall_rating": [3, 2, 4],
                "development_action": ["Mentor a student", "", ""],
            }
        ),
        "appraisal_objectives": pd.DataFrame(
            {
                "staff_id": ["S1", "S1", "S1"],
                "review_date": pd.to_datetime(["2006-05-01", "2007-06-01", "2007-06-01"]),
                "objective": ["Old objective", "Cut sickness", "Safe care"],
                "linked_to": ["O2", "sickness_absence", "O3"],
            }
        ),
        "appraisal_skills": pd.DataFrame(
            {
                "staff_id": ["S1", "S1", "S1"],
                "review_date": pd.to_datetime(["2006-05-01", "2007-06-01", "2007-06-01"]),
                "ksf_dimension": ["Communication", "Communication", "Quality"],
                "required_level": [3, 3, 2],
                "assessed_level": [1, 2, 3],
            }
        ),
    }


def test_staff_profile_gathers_one_persons_latest_objectives_and_skills():
    person = profiles.staff_profile("S1", model=MODEL, **_record_tables())
    assert (person.role_id, person.team_id) == ("R01", "T1")
    assert person.details.set_index("field")["value"]["Team"] == "T1 North"
    assert person.details.set_index("field")["value"]["In post since"] == "08 February 2004"
    # Reviews in date order, with the rating's meaning.
    assert person.appraisals["overall_rating"].tolist() == [2, 3]
    assert person.appraisals["meaning"].tolist() == [
        "partly meets the standard",
        "meets the standard",
    ]
    # The latest review's objectives: sickness_absence serves O1 through its indicator.
    assert person.objectives["objective"].tolist() == ["Cut sickness", "Safe care"]
    assert person.objectives["indicator"].tolist() == ["Sickness absence rate", ""]
    assert person.objectives["serves"].tolist() == [
        "O1 A healthy, well-supported workforce",
        "O3 Safe, responsive care for patients",
    ]
    # Latest KSF review: Communication 3 required, 2 assessed (gap 1); Quality exceeds (0).
    assert person.skills["gap"].tolist() == [1, 0]


def test_unknown_staff_id_says_where_valid_ids_are():
    with pytest.raises(profiles.UnknownStaffError) as error:
        profiles.staff_profile("S9", model=MODEL, package_name="demo", **_record_tables())
    message = str(error.value)
    assert message.startswith("no member of staff 'S9' in the data package 'demo'")
    assert "staff_id column of its staff_list table (from S1 to S2), 2 in all" in message
