"""Tests of indicators.yml loading and checking."""

import copy

import pytest
import yaml

from analysis.datapackage.indicator_specifications import (
    IndicatorSpecificationError,
    check_against_package,
    load_indicator_specifications,
    parse_indicator_specifications,
)
from demo_generator.indicator_specs import indicator_specifications_text


def _demo() -> dict:
    return yaml.safe_load(indicator_specifications_text())


def test_demo_specifications_cover_each_objective_both_ways():
    model = parse_indicator_specifications(indicator_specifications_text())
    assert len(model.indicators) == 11
    assert [i.id for i in model.indicators if i.source == "rubric"] == ["record_keeping_audit"]
    for objective in model.objectives:
        kinds = {i.type for i in model.indicators if i.objective == objective.id}
        assert kinds == {"quantitative", "qualitative"}, objective.id
    sickness = model["sickness_absence"]
    assert sickness.improvement == "decrease"
    assert sickness.target == 4.5
    assert sickness.passport()["Good performance is"] == "low is good"
    assert model["turnover"].multiplier == 100.0  # a proportion's default: a percentage


def test_errors_name_file_indicator_and_field():
    content = _demo()
    content["indicators"][0]["polarity"] = "up"
    del content["indicators"][1]["definition"]
    content["indicators"][2]["target_source"] = ""
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    message = str(error.value)
    assert message.startswith("indicators.yml has 3 problem(s)")
    assert "indicator 'sickness_absence': field 'polarity': expected one of" in message
    assert "indicator 'turnover': field 'definition': required" in message
    assert "indicator 'vacancies': field 'target_source': required when there is a target" in (
        message
    )


_DELETE = object()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        # every field of the list, each broken on the demo's sickness_absence (a
        # rate per 100 with a target, compared with the organisation at 99.8%)
        ("name", "", "required; expected text"),
        ("definition", _DELETE, "required; expected text"),
        ("rationale", 3, "required; expected text"),
        ("objective", "O9", "'O9' is not the id of an objective"),
        ("domain", _DELETE, "required; expected text"),
        ("type", "quantitive", "expected one of quantitative, qualitative; got 'quantitive'"),
        ("unit", " ", "required; expected text"),
        ("value_type", "percentage", "expected one of proportion, rate, mean, count, ordinal"),
        ("multiplier", -1, "must be greater than 0; got -1"),
        ("numerator", _DELETE, "required; expected text"),
        ("numerator_source", _DELETE, "required; expected text"),
        ("denominator", _DELETE, "required for a rate"),
        ("denominator_source", _DELETE, "required when there is a denominator"),
        ("polarity", "up", "expected one of high_is_good, low_is_good, no_judgement"),
        ("frequency", "weekly", "expected one of monthly, quarterly, annual; got 'weekly'"),
        ("target", "4.5%", "expected a number; got '4.5%'"),
        ("target_source", _DELETE, "required when there is a target"),
        ("benchmark_method", "ranking", "expected one of confidence_interval, quintiles, none"),
        ("benchmark_level", 90, "expected 95 or 99.8; got 90"),
        ("comparator", "region", "expected one of target, organisation; got 'region'"),
        ("roles", _DELETE, "required; expected a list of ids"),
        ("roles", ["R01", 3], "expected a list of ids; got ['R01', 3]"),
        ("owner", _DELETE, "required; expected text"),
        ("caveats", ["seasonal"], "expected text; got ['seasonal']"),
        ("disclosure", "public", "expected one of not_person_level, staff_denominator"),
        ("source", "excel", "expected one of indicator_values, survey, comments, rubric"),
        ("levels", {1: "poor", 2: "good"}, "only for value_type 'ordinal'"),
    ],
)
def test_every_field_is_validated_with_file_indicator_and_field(field, value, expected):
    content = _demo()
    if value is _DELETE:
        del content["indicators"][0][field]
    else:
        content["indicators"][0][field] = value
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    assert str(error.value).startswith("indicators.yml has 1 problem(s)")
    (problem,) = error.value.problems
    assert problem.startswith(f"indicator 'sickness_absence': field '{field}': {expected}")


def test_an_indicator_without_an_id_is_named_by_its_position():
    content = _demo()
    del content["indicators"][0]["id"]
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    assert error.value.problems == ["indicator 'number 1': field 'id': required; expected text"]


def test_comparing_with_a_missing_target_is_a_problem():
    content = _demo()
    content["indicators"][0]["comparator"] = "target"
    del content["indicators"][0]["target"]
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    assert error.value.problems == [
        "indicator 'sickness_absence': field 'comparator': is 'target' but the indicator has "
        "no target"
    ]


def test_a_file_in_a_package_is_named_with_its_folder(tmp_path):
    content = _demo()
    content["indicators"][0]["polarity"] = "up"
    (tmp_path / "indicators.yml").write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(IndicatorSpecificationError) as error:
        load_indicator_specifications(tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'indicators.yml'} has 1 problem(s)")


def test_count_with_denominator_unknown_field_and_duplicate_id_are_problems():
    content = _demo()
    complaints = next(i for i in content["indicators"] if i["id"] == "complaints")
    complaints["denominator"] = "Patients"
    complaints["denominator_source"] = "PAS"
    complaints["polarty"] = "low_is_good"
    content["indicators"].append(copy.deepcopy(content["indicators"][0]))  # no YAML alias
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(yaml.safe_dump(content))
    problems = error.value.problems
    assert "indicator 'complaints': field 'denominator': a count has no denominator" in problems[1]
    assert any("field 'polarty': not a known field" in p for p in problems)
    assert any("'sickness_absence': field 'id': used by more than one" in p for p in problems)


def test_staff_in_team_needs_a_headcount_indicator():
    content = _demo()
    del content["headcount_indicator"]
    with pytest.raises(IndicatorSpecificationError, match="'headcount_indicator' is required"):
        parse_indicator_specifications(yaml.safe_dump(content))


def test_roles_and_data_are_checked_against_the_package(tmp_path):
    (tmp_path / "indicators.yml").write_text(indicator_specifications_text(), encoding="utf-8")
    model = load_indicator_specifications(tmp_path)
    roles = {f"R{n:02d}" for n in range(1, 12)}  # R12 missing
    with pytest.raises(IndicatorSpecificationError) as error:
        check_against_package(model, roles, {"sickness_absence"})
    message = str(error.value)
    assert "field 'roles': 'R12' is not a role_id" in message
    assert "indicator 'turnover': field 'source': indicator_values has no rows" in message


def test_missing_file_says_which_package(tmp_path):
    with pytest.raises(FileNotFoundError, match="has no indicators.yml"):
        load_indicator_specifications(tmp_path)


RECALCULATION = """
  recalculate_at:
  - date: 2006-04
    reason: action plan AP2005-1
    unit: Community Nursing
  - date: 2007-13
    reason: a month that does not exist
  - date: 2008-01
  - {date: 2006-04, reason: again, unit: Community Nursing}
  - {date: 2008-02-15, reason: a date, colour: red}
"""


def test_known_changes_are_read_and_each_problem_names_its_line():
    text = indicator_specifications_text()
    start = text.index("- id: sickness_absence")
    at = text.index("  source: indicator_values\n", start) + len("  source: indicator_values\n")
    broken = text[:at] + RECALCULATION.lstrip("\n") + text[at:]
    first_line = broken[:at].count("\n") + 1  # the line of "recalculate_at:"
    with pytest.raises(IndicatorSpecificationError) as error:
        parse_indicator_specifications(broken, file="data/x/indicators.yml")
    message = str(error.value)
    assert message.startswith("data/x/indicators.yml has 4 problem(s)")
    field = "indicator 'sickness_absence': field 'recalculate_at':"
    assert f"{field} entry 2 (line {first_line + 4}): 'date' must be a month as YYYY-MM" in message
    assert f"{field} entry 3 (line {first_line + 6}): 'reason' is required" in message
    assert f"{field} entry 4 (line {first_line + 7}): 2006-04 is declared twice" in message
    assert f"{field} entry 5 (line {first_line + 8}): unknown key(s) ['colour']" in message


def test_known_changes_of_the_demo_and_their_units_are_checked_against_the_package():
    model = parse_indicator_specifications(indicator_specifications_text())
    changes = model["appraisal_completion"].recalculate_at
    assert [(c.month, c.unit) for c in changes] == [
        ("2006-04", "Community Nursing"),
        ("2006-04", "Children and Families"),
        ("2006-04", "Organisation"),
    ]
    assert "SPC limits recalculated at" in model["appraisal_completion"].passport()
    roles = {f"R{n:02d}" for n in range(1, 13)}
    ids = {i.id for i in model.indicators}
    with pytest.raises(IndicatorSpecificationError, match="unit 'Children and Families' is not"):
        check_against_package(model, roles, ids, units={"Organisation", "Community Nursing", "T01"})


@pytest.mark.parametrize(
    ("indicator", "fields", "expected"),
    [
        (3, {"recalculate_at": [{"date": "2006-04", "reason": "x"}]}, "only for monthly"),
        (0, {"annualise": "yes"}, "field 'annualise': expected true or false"),
        (9, {"annualise": True}, "only for monthly proportions and rates"),
    ],
)
def test_annualise_and_recalculate_at_are_validated(indicator, fields, expected):
    content = _demo()
    content["indicators"][indicator].update(fields)
    with pytest.raises(IndicatorSpecificationError, match=expected):
        parse_indicator_specifications(yaml.safe_dump(content))


def test_appraisal_comparison_is_optional_and_checked():
    content = _demo()
    model = parse_indicator_specifications(yaml.safe_dump(content))
    assert (model.appraisal_item, model.goal_items) == ("appraisal_had", ("team_clear_objectives",))
    del content["appraisal_comparison"]
    model = parse_indicator_specifications(yaml.safe_dump(content))
    assert (model.appraisal_item, model.goal_items) == (None, ())
    content["appraisal_comparison"] = {"appraisal_item": "appraisal_had", "goal_items": []}
    with pytest.raises(IndicatorSpecificationError, match="'appraisal_comparison' must be"):
        parse_indicator_specifications(yaml.safe_dump(content))
