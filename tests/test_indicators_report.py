"""Tests of the indicators stage's report and findings modules (what notebook 03 shows).

The small functions are checked against hand-worked answers on tables of a few rows; the
report on the demo package against the figures of a demo run made before the notebook's
logic moved into :mod:`analysis.indicators.report` (``python -m analysis run --stages
indicators``, commit cd1b36a: ``headlines/indicators.json`` and
``figures/indicators/line_of_sight.json``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage.indicator_specifications import parse_indicator_specifications
from analysis.indicators import findings, report, values

PROJECT_ROOT = Path(__file__).resolve().parents[1]

_COMMON = """
    definition: d
    rationale: r
    domain: Staff
    numerator: n
    numerator_source: s
    owner: o
    frequency: monthly
    benchmark_method: confidence_interval
"""

MODEL = parse_indicator_specifications(
    f"""
objectives:
  - {{id: O1, name: Healthy staff}}
  - {{id: O2, name: Safe care}}
headcount_indicator: turnover
indicators:
  - id: turnover
    name: Staff turnover
    objective: O1
    type: quantitative
    unit: "% of staff"
    value_type: proportion
    denominator: Staff in post
    denominator_source: ESR
    polarity: low_is_good
    roles: [R1, R2]
    disclosure: staff_denominator
    source: indicator_values
{_COMMON}
  - id: complaints
    name: Complaints
    objective: O2
    type: quantitative
    unit: complaints
    value_type: count
    polarity: low_is_good
    roles: [R2]
    disclosure: not_person_level
    source: indicator_values
{_COMMON}
  - id: contacts
    name: Patient contacts
    objective: O2
    type: quantitative
    unit: per WTE
    value_type: rate
    denominator: WTE
    denominator_source: ESR
    polarity: no_judgement
    roles: [R1]
    disclosure: not_person_level
    source: indicator_values
{_COMMON}
  - id: goals
    name: Clear goals
    objective: O1
    type: qualitative
    unit: "% positive"
    value_type: proportion
    denominator: Respondents
    denominator_source: Survey
    polarity: high_is_good
    roles: [R2]
    disclosure: staff_denominator
    source: survey
    items: [q1]
{_COMMON}
"""
)

ROLES = pd.DataFrame({"role_id": ["R2", "R1", "R3"], "role_name": ["Nurse", "Porter", "Clerk"]})


# The performance model ---------------------------------------------------------------------


def test_catalogue_has_one_row_per_indicator_with_its_objective_and_roles():
    table = findings.catalogue(MODEL)
    assert table["indicator"].tolist() == [
        "Staff turnover",
        "Complaints",
        "Patient contacts",
        "Clear goals",
    ]
    first = table.iloc[0]
    assert first["objective"] == "O1 Healthy staff"
    assert first["good_performance_is"] == "low is good"
    assert first["roles"] == "R1, R2"
    assert table.iloc[2]["good_performance_is"] == "no judgement"


def test_indicators_by_role_lists_each_kind_in_file_order_and_roles_without_any():
    table = findings.indicators_by_role(MODEL, ROLES).set_index("role")
    # R2 (Nurse) is named by turnover and complaints (quantitative) and goals (qualitative);
    # R1 (Porter) by turnover and contacts; R3 (Clerk) by none
    assert table.loc["Nurse", "quantitative"] == "Staff turnover; Complaints"
    assert table.loc["Nurse", "qualitative"] == "Clear goals"
    assert table.loc["Porter", "quantitative"] == "Staff turnover; Patient contacts"
    assert table.loc["Porter", "qualitative"] == ""
    assert table.loc["Clerk"].tolist() == ["", ""]
    assert table.index.tolist() == ["Nurse", "Porter", "Clerk"]  # the package's order


def test_passport_is_the_indicators_own_passport_as_two_columns():
    table = findings.passport(MODEL["complaints"])
    assert table.columns.tolist() == ["field", "description"]
    assert dict(zip(table["field"], table["description"], strict=True)) == (
        MODEL["complaints"].passport()
    )
    assert table.iloc[0].tolist() == ["Indicator", "Complaints (complaints)"]


def test_line_of_sight_finding_names_the_roles_not_linked_to_every_objective():
    reach = pd.DataFrame(
        {
            "role": ["Porter", "Porter", "Nurse", "Nurse", "Clerk", "Clerk"],
            "linked": [True, False, True, True, False, False],
        }
    )
    # Porter and Clerk miss an objective: 2 of the 3 roles, named alphabetically
    assert findings.line_of_sight_finding(reach, 2) == (
        "2 of 3 roles cannot see how their work serves every objective (Clerk, Porter)"
    )
    linked = reach.assign(linked=True)
    assert findings.line_of_sight_finding(linked, 2) == "every role is linked to all 2 objectives"


# Which indicators go where -----------------------------------------------------------------


def test_funnel_and_composite_take_rates_and_proportions_from_indicator_values():
    # complaints is a count, goals comes from the survey: neither has a funnel plot
    assert [i.id for i in findings.funnel_indicators(MODEL)] == ["turnover", "contacts"]
    # contacts has no good direction, so it cannot be scored
    assert findings.composite_indicator_ids(MODEL) == ["turnover"]


# Findings ----------------------------------------------------------------------------------


def _chart(point_types, reasons=None):
    months = [f"2008-{m:02d}" for m in range(1, len(point_types) + 1)]
    return pd.DataFrame(
        {
            "period": months,
            "point_type": point_types,
            "recalculated_because": reasons or [""] * len(point_types),
        }
    )


def test_spc_finding_counts_special_cause_months_and_names_the_first():
    chart = _chart(
        ["common_cause", "special_cause_concern", "common_cause", "special_cause_improvement"]
    )
    assert findings.spc_finding(chart) == "2 of 4 months special cause, the first in 2008-02"
    assert findings.spc_finding(_chart(["common_cause"] * 3)) == "only common cause variation"


def test_recalculation_note_gives_each_change_with_its_reason():
    chart = _chart(["common_cause"] * 4, ["", "new rota", "", "merger"])
    assert findings.recalculation_note(chart) == (
        " Limits recalculated from 2008-02: new rota. Limits recalculated from 2008-04: merger."
    )
    assert findings.recalculation_note(_chart(["common_cause"] * 2)) == ""


def test_funnel_finding_never_counts_or_names_a_hidden_team():
    points = pd.DataFrame(
        {
            "unit": ["T1", "T2", "T3", "T4"],
            "outlier": [True, True, False, True],
            "suppressed": [False, True, False, False],
        }
    )
    assert findings.funnel_finding(points) == "2 team(s) outside the 99.8% limits (T1, T4)"
    assert findings.funnel_finding(points.assign(outlier=False)) == (
        "no team outside the 99.8% limits"
    )


def test_role_finding_counts_shown_worse_ratings_and_worsening_trends():
    profile = pd.DataFrame(
        {
            "rating": ["worse", "worse", "better", "worse"],
            "trend": ["getting worse", "", "getting worse", "getting worse"],
            "suppressed": [False, False, False, True],
        }
    )
    # shown rows 1-3: two worse, two getting worse; row 4 is hidden
    assert findings.role_finding(profile) == "2 team value(s) worse than benchmark, 2 getting worse"
    calm = profile.assign(rating="similar", trend="")
    assert findings.role_finding(calm) == "no team value worse than benchmark or getting worse"


def test_clear_goals_finding_counts_each_shown_year_once():
    rows = pd.DataFrame(
        {
            "year": [2006, 2006, 2007, 2007, 2008, 2008],
            "group": ["appraised", "not appraised"] * 3,
            "difference": [5.4, 5.4, -2.2, -2.2, np.nan, np.nan],
            "suppressed": [False, False, False, False, True, True],
        }
    )
    # 2006 (+5.4) and 2007 (-2.2) are shown, 2008 is hidden: higher in 1 of 2 years,
    # differences from -2 to 5 points when rounded to whole points
    assert findings.clear_goals_finding(rows) == (
        "appraised staff agree more often in 1 of 2 years (by -2 to 5 points)"
    )


def _months(indicator_id, team, numerator, denominator):
    return pd.DataFrame(
        {
            "indicator_id": [indicator_id],
            "team_id": [team],
            "month": pd.PeriodIndex(["2008-01"], freq="M"),
            "numerator": [float(numerator)],
            "denominator": [float(denominator)],
        }
    )


def test_teams_left_out_of_the_composite_are_those_the_gate_hides_or_without_a_value():
    teams = pd.DataFrame({"team_id": ["A", "B", "C", "E"], "directorate": ["D"] * 4})
    data = pd.concat(
        [
            _months("turnover", "A", 1, 5),  # 5 staff: hidden by the gate
            _months("turnover", "B", 2, 40),  # the smallest other team in D: its partner
            _months("turnover", "C", 3, 60),
            _months("turnover", "E", 4, 50),
            _months("complaints", "E", 2, np.nan),
        ]
    )
    table = values.indicator_table(data, teams, MODEL, level="team", period="month")
    gated = values.suppress_small_teams(table, MODEL, minimum=11)
    assert gated.loc[gated["suppressed"], "unit"].tolist() == ["A", "B"]
    gated.loc[gated["indicator_id"] == "complaints", "value"] = np.nan  # E's not recorded
    assert findings.teams_left_out(gated) == ["A", "B", "E"]


# Showing -----------------------------------------------------------------------------------


# The notebook ------------------------------------------------------------------------------


def test_notebook_cells_are_short_and_each_shows_one_call_of_the_report():
    notebook = json.loads((PROJECT_ROOT / "notebooks" / "03_indicators.ipynb").read_text())
    code = [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", [])
    ]
    # The opening call is the longest: ``**inputs`` (what the pipeline passes, see
    # docs/architecture.md), then one keyword per line.
    assert max(len(source.splitlines()) for source in code) <= 12
    opening, *cells = code
    assert "open_report(" in opening
    for source in cells:
        assert source.startswith("report.") and source.endswith("()"), source
        assert "\n" not in source, source


# The demo package --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    return report.open_report(
        PROJECT_ROOT / "data" / "demo",
        year=None,
        output_dir=tmp_path_factory.mktemp("indicators-report"),
    )


@pytest.mark.slow
def test_demo_line_of_sight_says_what_the_run_before_the_move_said(demo_report):
    figure = demo_report.performance_model()
    assert figure.alt == (
        "Diagram linking 3 objectives to their domains, 11 indicators (squares quantitative, "
        "circles qualitative) and the 12 roles that influence them: 1 of 12 roles cannot see "
        "how their work serves every objective (Healthcare scientist or technician)."
    )


@pytest.mark.slow
def test_demo_headlines_are_those_of_the_run_before_the_move(demo_report):
    demo_report.headlines()
    saved = demo_report.out.output_dir / "headlines" / "indicators.json"
    recorded = {h["label"]: h["value"] for h in json.loads(saved.read_text())}
    # headlines/indicators.json of the demo run at cd1b36a, but for the team charts: 10
    # then, 8 since rule 4 hides teams whose directorate's hidden teams hold fewer than 2
    # events (analysis.disclosure.rests, b052638): 10 at fad5d89, before it, 8 after.
    assert recorded == {
        "Indicators": 11,
        "Team charts whose latest point is a concern": 8,
        "Team ratings worse than benchmark, 2008": 76,
    }


def test_the_report_takes_the_packages_checked_specifications_without_reading_them_again(
    monkeypatch, tmp_path
):
    # The data package reads and checks indicators.yml once (DataPackage.indicators); the
    # stage must not read the file again (issue #11).
    def read_again(*args, **kwargs):
        raise AssertionError("the indicators stage read indicators.yml again")

    monkeypatch.setattr(
        "analysis.datapackage.indicator_specifications.load_indicator_specifications", read_again
    )
    opened = report.open_report(PROJECT_ROOT / "data" / "demo", year=None, output_dir=tmp_path)
    assert opened.model is opened.package.indicators


def test_a_known_change_naming_no_unit_of_the_package_stops_the_plan_and_the_report(tmp_path):
    # The demo's appraisal_completion is recalculated in 2006-04 for "Children and Families"
    # (data/demo/indicators.yml); renamed to a unit the package lacks, the readiness check
    # the run's plan makes blocks the stage, and the report opened on its own stops the same.
    from analysis.datapackage import load_data_package
    from analysis.datapackage.indicator_specifications import IndicatorSpecificationError
    from analysis.datapackage.readiness import year_blockers

    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "demo", data)
    spec = data / "indicators.yml"
    text = spec.read_text(encoding="utf-8")
    assert text.count("unit: Children and Families") == 1
    spec.write_text(text.replace("unit: Children and Families", "unit: Nowhere"), "utf-8")
    package = load_data_package(data)
    (blocker,) = year_blockers(package, "indicators", package.latest_year)
    assert "unit 'Nowhere' is not Organisation, a directorate or a team_id" in blocker
    with pytest.raises(IndicatorSpecificationError, match="unit 'Nowhere' is not Organisation"):
        report.open_report(data, year=None, output_dir=tmp_path / "out")
