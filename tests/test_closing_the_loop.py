"""Closing the loop: findings that call for action, proposed actions, and next year's verdict.

The findings are checked on published tables written here by hand (every expected finding
worked out from the rows below); the loop itself runs the pipeline on the demo package: a
2007 run proposes actions, they are edited and appended to the register as a user would,
and the 2008 run evaluates them and shows them under "Since last year".
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from analysis.closing_the_loop import (
    PLAN_COLUMNS,
    TO_AGREE,
    findings_for_action,
    headlines_beside,
    proposed_actions,
)
from analysis.datapackage import check_data_package, load_data_package
from analysis.pipeline import run_pipeline
from analysis.run_index import write_run_index


def write_table(run_dir: Path, stage: str, name: str, text: str) -> None:
    folder = run_dir / "tables" / stage
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text("\ufeff" + text, encoding="utf-8")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    run = tmp_path / "2008"
    write_table(
        run,
        "survey",
        "changes",
        "item_id,group_type,group,year,base_year,pct,diff_pp,significant,suppressed\n"
        "q_fell,organisation,Trust,2008,2007,40.04,-8.2,True,False\n"  # a significant decline
        "q_fell_a_little,organisation,Trust,2008,2007,50,-2,False,False\n"  # not significant
        "q_rose,organisation,Trust,2008,2007,70,6,True,False\n"  # a rise
        "q_hidden,organisation,Trust,2008,2007,[c],[c],True,True\n"  # suppressed: never read
        "q_old,organisation,Trust,2007,2006,30,-9,True,False\n"  # an earlier year
        "q_dir,directorate,Nursing,2008,2007,30,-9,True,False\n",  # not the organisation
    )
    write_table(
        run,
        "survey",
        "benchmark",
        "year,item_id,pct,rank,organisations,quintile,suppressed\n"
        "2008,q_low,20.0,25,26,5,False\n"  # ceil(5 * 25 / 26) = 5: bottom fifth
        "2008,q_mid,50.0,13,26,3,False\n"
        "2007,q_was_low,20.0,26,26,5,False\n",
    )
    write_table(
        run,
        "survey",
        "group_differences",
        "year,group_type,group,item_id,diff_pp,significant,suppressed\n"
        "2007,ethnicity,Group A,q_gap,-4,False,False\n"
        "2008,ethnicity,Group A,q_gap,-12,True,False\n"  # widened from 4 to 12 below
        "2007,disability,Yes,q_gap,-15,True,False\n"
        "2008,disability,Yes,q_gap,-10,True,False\n"  # narrowed: not a finding
        "2007,directorate,Nursing,q_gap,-1,False,False\n"
        "2008,directorate,Nursing,q_gap,-20,True,False\n"  # not an equality group
        "2007,gender,Female,q_gap,-2,False,False\n"
        "2008,gender,Female,q_gap,[c],True,True\n",  # suppressed
    )
    write_table(
        run,
        "survey",
        "item_scores",
        "year,group_type,group,item_id,pct_positive,suppressed\n"
        "2008,organisation,Trust,q_gap,61.26,False\n",
    )
    write_table(
        run,
        "comments",
        "code_share_change",
        "code_id,label,percent_2007,percent_2008,change,p_value,p_value_holm,methods_differ\n"
        "workload,Workload,10.0,18.0,8.0,0.001,0.01,True\n"  # rising, significant, mixed methods
        "pay,Pay,5.0,9.0,4.0,0.04,0.2,False\n"  # not significant after Holm
        "it,IT,12.0,6.0,-6.0,0.001,0.01,False\n",  # falling
    )
    return run


def test_findings_that_call_for_action_are_read_from_the_published_rows(run_dir: Path) -> None:
    found = findings_for_action(run_dir, 2008, 2007, {"q_fell": "Things are good"})
    assert [(f["kind"], f["finding_id"], f["baseline_value"]) for f in found] == [
        ("significant decline", "q_fell", 40.0),
        ("bottom quintile", "q_low", 20.0),
        ("widening equality gap", "q_gap", 61.3),
        ("rising comment theme", "workload", 18.0),
    ]
    sentences = [f["finding"] for f in found]
    assert sentences[0] == (
        "Things are good (q_fell): 40% positive in 2008, down 8 points since 2007 (significant)"
    )
    assert sentences[1].endswith("in the bottom fifth of the comparator group (25 of 26)")
    assert sentences[2] == (
        "q_gap (q_gap): Group A (ethnicity) 12 points below the rest of the organisation in "
        "2008, 4 points below in 2007"
    )
    assert "coded by different methods" in sentences[3]


def test_the_first_survey_year_has_no_changes_to_act_on(run_dir: Path) -> None:
    found = findings_for_action(run_dir, 2008, None, {})
    assert [f["kind"] for f in found] == ["bottom quintile"]


def test_headlines_are_matched_across_years_without_their_years(tmp_path: Path) -> None:
    for year, value in ((2007, "Pay (9%)"), (2008, "Workload (12%)")):
        (tmp_path / str(year) / "headlines").mkdir(parents=True)
        (tmp_path / str(year) / "headlines" / "comments.json").write_text(
            f'[{{"label": "Most raised in comments, {year}", "value": "{value}"}}]'
        )
    rows = headlines_beside(tmp_path / "2008", tmp_path / "2007")
    assert rows == [
        {
            "stage": "comments",
            "label": "Most raised in comments, 2008",
            "previous": "Pay (9%)",
            "current": "Workload (12%)",
        }
    ]


def test_a_proposal_appended_unedited_is_refused(demo_data: Path, tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    package = load_data_package(data)
    item = package.questionnaire.query("year == 2007")["item_id"].iloc[0]
    finding = {
        "finding_type": "item",
        "finding_id": item,
        "baseline_value": 50.0,
        "finding": f"{item}: 50% positive in 2007",
    }
    proposal = proposed_actions([finding], package, 2007)
    plans = data / "action_plans.csv"
    register = pd.read_csv(plans, dtype=str, keep_default_na=False)
    row = len(register) + 2  # the header is row 1: the appended row follows the register's
    proposal.astype(str).to_csv(plans, mode="a", header=False, index=False)
    assert check_data_package(data) == 1
    output = capsys.readouterr().out
    action_id = proposal["action_id"].iloc[0]
    for column in ("action", "owner_role"):
        assert f"action_plans.csv, row {row}, column '{column}'" in output
    assert (
        f"'to agree' of action '{action_id}' is the placeholder of a proposed action "
        "(proposed_actions.csv): an unedited proposal is not an action plan; expected the "
        "owner_role people agreed, or delete the row"
    ) in output
    # edited as docs/annual-cycle.md says (the action and its owner agreed), it is accepted
    edited = proposal.assign(action="Listening events", owner_role="Director of Workforce")
    register.to_csv(plans, index=False)
    edited.astype(str).to_csv(plans, mode="a", header=False, index=False)
    assert check_data_package(data) == 0


def _edited(proposed_csv: str) -> list[dict[str, str]]:
    """What a user does: agree an action and its owner, and start it."""
    rows = list(csv.DictReader(io.StringIO(proposed_csv)))
    for row in rows:
        assert row["owner_role"] == TO_AGREE and row["action"].startswith(TO_AGREE)
        row["action"] = f"Listening events on {row['item_id']}"
        row["owner_role"] = "Director of Workforce"
        row["status"] = "in progress"
    return rows


@pytest.mark.slow
@pytest.mark.pipeline
def test_a_proposed_action_appended_to_the_register_is_evaluated_next_year(
    demo_data: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    out = tmp_path / "reports"
    quiet = [].append
    # The loop is what is tested: the audit of every year's tables is the demo run's
    # (test_disclosure_audit.py), so these two runs leave it out.
    first = run_pipeline(
        data, year=2007, out_dir=out, stages=["survey"], progress=quiet, audit=False
    )
    assert first.succeeded
    proposed_csv = (first.run_dir / "proposed_actions.csv").read_text(encoding="utf-8")
    assert proposed_csv.splitlines()[0].split(",") == list(PLAN_COLUMNS)
    index_2007 = (first.run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="proposed_actions.csv"' in index_2007
    rows = _edited(proposed_csv)
    assert rows, "the demo's 2007 survey has findings that call for action"
    chosen = rows[0]
    # Every row appended to the register, as the user would: the same checks as every action.
    plans = data / "action_plans.csv"
    header = next(csv.reader(io.StringIO(plans.read_text(encoding="utf-8"))))
    with plans.open("a", encoding="utf-8", newline="") as register:
        writer = csv.DictWriter(register, fieldnames=header, lineterminator="\n")
        writer.writerows({column: row[column] for column in header} for row in rows)
    package = load_data_package(data)
    registered = set(package.tables["action_plans"]["action_id"])
    assert {row["action_id"] for row in rows} <= registered

    second = run_pipeline(
        data, year=2008, out_dir=out, stages=["interventions"], progress=quiet, audit=False
    )
    assert second.succeeded
    outcomes = pd.read_csv(second.run_dir / "tables" / "interventions" / "action_outcomes.csv")
    ids = outcomes["action_ids"].map(lambda text: [part.strip() for part in text.split(",")])
    evaluated = outcomes[ids.map(lambda found: chosen["action_id"] in found)]
    assert len(evaluated) == 1
    assert evaluated["item_id"].iloc[0] == chosen["item_id"]
    assert evaluated["first_year_after"].iloc[0] == 2008  # started 1 April 2008
    assert evaluated["verdict"].iloc[0]
    index = (second.run_dir / "index.html").read_text(encoding="utf-8")
    section = index[index.index('id="since-last-year"') :]
    assert f"{chosen['action_id']}: Listening events on {chosen['item_id']}" in section
    assert html.escape(evaluated["verdict"].iloc[0].split(";")[0]) in section
    assert "There is no run of 2007" not in section  # the 2007 run is in the same folder


def test_text_from_the_data_is_escaped_in_the_since_last_year_section(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script>'
    section = {
        "year": 2008,
        "previous_year": 2007,
        "previous_run": True,
        "headlines": [{"stage": "s", "label": hostile, "previous": hostile, "current": 1}],
        "actions": [
            {
                "action_id": hostile,
                "action": hostile,
                "outcome_measures": hostile,
                "expected_direction": "",
                "status": "done",
                "verdicts": [{"outcome": hostile, "design": hostile, "verdict": hostile}],
            }
        ],
        "findings": [
            {
                "kind": "bottom quintile",
                "finding": hostile,
                "baseline_value": 1.0,
                "proposed_action": hostile,
            }
        ],
    }
    (tmp_path / "since_last_year.json").write_text(json.dumps(section), encoding="utf-8")
    manifest = {
        "organisation": "Trust",
        "dataset": "5TF",
        "year": 2008,
        "status": "succeeded",
        "finished_at": "2026-01-01T10:00:00+00:00",
        "duration_seconds": 1.0,
        "stages": [],
    }
    page = write_run_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert "<script>" not in page
    # Every field above is shown, escaped: 10 times (the headline's label and last year's
    # value, the action's id, text and measures, the verdict's three parts, the finding and
    # its proposed action).
    assert page.count(str(escape(hostile))) == 10
