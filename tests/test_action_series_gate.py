"""An action on one small team must not publish that team's monthly indicator series.

``its``, ``its_lines`` and ``its_spc`` pool the raw ``indicator_values`` of an action's
targeted teams. Before the rule (:mod:`analysis.evaluation.series_gate`), an action on the
demo's Primary Care Development team (T34: 6 to 14 staff a month by its turnover
headcount, ``data/demo/indicator_values.csv``) published that team's monthly sickness
absence: the ``observed`` line equalled T34's own numerator / denominator x 100 in every
month. Each case below is the demo package with one action plan swapped in.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.evaluation import register
from analysis.evaluation.register import action_indicator_effects, indicator_series
from analysis.evaluation.series_gate import hidden_series_reason

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    return load_data_package(DEMO)


def with_action(package, directorate: str, team_id: str, indicator: str = "sickness_absence"):
    """The package with a single action on ``team_id`` (blank: the whole directorate)."""
    plan = package.tables["action_plans"]
    row = plan[plan["action_id"] == "AP2007-3"].copy()
    row["action_id"] = "AP-SMALL"
    row["directorate"] = directorate
    row["team_id"] = team_id if team_id else pd.NA
    row["outcome_measures"] = f"pressure_conflicting_demands;{indicator}"
    row["start_date"] = pd.Timestamp("2006-03-01")
    row["status"] = "done"
    tables = {**package.tables, "action_plans": row.astype(plan.dtypes.to_dict())}
    return dataclasses.replace(package, tables=tables)


def test_an_action_on_one_small_team_published_its_series_before(demo, monkeypatch):
    """Without the rule, the targeted series is T34's own monthly sickness absence."""
    package = with_action(demo, "Commissioning and Public Health", "T34")
    monkeypatch.setattr(register, "hidden_series_reason", lambda *args: None)
    its, lines = action_indicator_effects(package, 2008)
    own = indicator_series(package, "sickness_absence", ["T34"], pd.Period("2008-12", "M"))
    mine = lines[lines["action_ids"] == "AP-SMALL"]
    assert len(mine) == len(own) > 24
    np.testing.assert_allclose(mine["observed"].to_numpy(), own.to_numpy())


def test_an_action_on_one_small_team_is_hidden_with_its_reason(demo):
    package = with_action(demo, "Commissioning and Public Health", "T34")
    its, lines = action_indicator_effects(package, 2008)
    mine = its[its["action_ids"] == "AP-SMALL"]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert row["design"] == "not shown"
    assert row["verdict"] == (
        "hidden: the targeted teams hold fewer than 11 staff (the minimum group size) in some month"
    )
    assert mine[["estimate", "ci_low", "ci_high", "p_value"]].isna().all().all()
    assert lines.empty or (lines["action_ids"] != "AP-SMALL").all()


def test_a_large_team_whose_directorate_rest_is_small_is_hidden(demo):
    """Every Commissioning and Public Health team but T35 (1 to 7 staff): the directorate's
    published value minus this series would give T35's."""
    teams = demo.tables["teams"]
    others = teams.loc[
        (teams["directorate"] == "Commissioning and Public Health") & (teams["team_id"] != "T35"),
        "team_id",
    ]
    months = pd.period_range("2003-01", "2008-12", freq="M")
    reason = hidden_series_reason(demo, "sickness_absence", others, [], months, 11)
    assert reason == (
        "hidden: the rest of directorate Commissioning and Public Health hold fewer than 11 "
        "staff (the minimum group size) in some month"
    )


def test_a_whole_directorate_and_a_patient_indicator_pass(demo):
    """A directorate of 5 teams (67 to 72 staff a month by the turnover headcount) has no
    small unit; an indicator declared ``not_person_level`` in the demo's ``indicators.yml``
    is published per team by the indicators stage already."""
    teams = demo.tables["teams"]
    directorate = teams.loc[teams["directorate"] == "Commissioning and Public Health", "team_id"]
    months = pd.period_range("2003-01", "2008-12", freq="M")
    assert hidden_series_reason(demo, "sickness_absence", directorate, [], months, 11) is None
    patient = next(i.id for i in demo.indicators.indicators if not i.about_staff)
    assert hidden_series_reason(demo, patient, ["T34"], [], months, 11) is None


def test_the_demo_actions_are_unchanged(demo):
    """No demo action's series is hidden: the published its tables stay as they were."""
    its, _ = action_indicator_effects(demo, 2008)
    assert (its["design"] != "not shown").all()


def test_a_large_and_a_small_team_together_are_hidden(demo):
    """T31 (20 to 28 staff) with T35 (1 to 7): together above 11, but T31's monthly values
    are published by the indicators stage, so the pooled series minus T31's gives T35's."""
    months = pd.period_range("2003-01", "2008-12", freq="M")
    reason = hidden_series_reason(demo, "sickness_absence", ["T31", "T35"], [], months, 11)
    assert reason == (
        "hidden: the rest of the targeted teams hold fewer than 11 staff (the minimum group "
        "size) in some month"
    )
    both = hidden_series_reason(demo, "sickness_absence", ["T31", "T32"], [], months, 11)
    assert both is None  # 20 + 13 staff at least, each team above the minimum


def test_a_whole_directorate_with_a_small_team_and_one_small_team_more_is_hidden(demo):
    """Commissioning and Public Health whole (its series is the indicators stage's own
    directorate value) passes; with T16 (7 staff at least, another directorate) added, the
    pooled series minus the directorate's gives T16's."""
    teams = demo.tables["teams"]
    directorate = teams.loc[teams["directorate"] == "Commissioning and Public Health", "team_id"]
    months = pd.period_range("2003-01", "2008-12", freq="M")
    pooled = [*directorate, "T16"]
    reason = hidden_series_reason(demo, "sickness_absence", pooled, [], months, 11)
    assert reason is not None and "the rest of the targeted teams" in reason
