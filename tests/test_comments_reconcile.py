"""Reconciling two coders: the disagreement table, the reconciled coding and what analysis uses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.comments.reconcile import (
    DISAGREEMENT_COLUMNS,
    disagreement_table,
    reconcile,
    record_reconciled,
)
from analysis.datapackage.codebook import parse_codebook
from analysis.datapackage.coding_logs import CodingLog, coding_log_path, load_codings
from analysis.datapackage.codings import MACHINE_CODERS, RECONCILED_CODER, codings_for_analysis

CODEBOOK = parse_codebook(
    """\
- id: WORK
  label: Workload and staffing
  codes:
    - {id: workload, label: Workload pressure}
    - {id: staffing, label: Staffing levels}
- id: PAY
  label: Pay
  codes:
    - {id: pay, label: Pay and banding}
"""
)

# The researcher (R) coded C1..C5; the supervisor (S) second-coded C1..C4.
#   C1: R {workload, staffing}   S {workload}            -> staffing only by R
#   C2: R {pay}                  S {pay}                 -> agree
#   C3: R {}  (read, no code)    S {pay}                 -> pay only by S
#   C4: R {workload}             S {staffing, pay}       -> three disagreements
#   C5: R {pay}                  (S did not read it)     -> not compared
CODINGS = pd.DataFrame(
    [
        ("C1", "R", "workload"),
        ("C1", "R", "staffing"),
        ("C2", "R", "pay"),
        ("C3", "R", None),
        ("C4", "R", "workload"),
        ("C5", "R", "pay"),
        ("C1", "S", "workload"),
        ("C2", "S", "pay"),
        ("C3", "S", "pay"),
        ("C4", "S", "staffing"),
        ("C4", "S", "pay"),
    ],
    columns=["comment_id", "coder", "code_id"],
)


def _rows(table: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in table[columns].itertuples(index=False)
    ]


def test_disagreement_table_lists_each_code_one_coder_applied() -> None:
    table = disagreement_table(CODINGS, "R", "S", codebook=CODEBOOK)
    assert list(table.columns) == DISAGREEMENT_COLUMNS
    assert _rows(table, DISAGREEMENT_COLUMNS[:-1]) == [
        ("C1", "staffing", "Staffing levels", "R", "S", "workload"),
        ("C3", "pay", "Pay and banding", "S", "R", ""),
        ("C4", "pay", "Pay and banding", "S", "R", ""),
        ("C4", "staffing", "Staffing levels", "S", "R", ""),
        ("C4", "workload", "Workload pressure", "R", "S", ""),
    ]
    assert table["keep"].isna().all()  # left for the coders to fill in


def test_disagreement_table_can_show_the_comment_text() -> None:
    comments = pd.DataFrame({"comment_id": ["C1", "C3", "C4", "C9"], "text": ["a", "b", "c", "z"]})
    table = disagreement_table(CODINGS, "R", "S", comments=comments)
    assert table["text"].tolist() == ["a", "b", "c", "c", "c"]


def test_disagreement_table_input_checks() -> None:
    with pytest.raises(ValueError, match="two different coders"):
        disagreement_table(CODINGS, "R", "R")
    with pytest.raises(
        ValueError, match=r"coder 'X' coded none of these comments; coders are \['R', 'S'\]"
    ):
        disagreement_table(CODINGS, "R", "X")


def _decisions(**keep: bool | str) -> pd.DataFrame:
    table = disagreement_table(CODINGS, "R", "S")
    pairs = zip(table["comment_id"], table["code_id"], strict=True)
    table["keep"] = [keep[f"{comment_id}_{code_id}"] for comment_id, code_id in pairs]
    return table


def test_reconcile_keeps_agreed_codes_and_the_decided_ones() -> None:
    decisions = _decisions(
        C1_staffing=True, C3_pay=False, C4_pay=True, C4_staffing=False, C4_workload=True
    )
    reconciled = reconcile(CODINGS, "R", "S", decisions)
    assert _rows(reconciled, ["comment_id", "coder", "code_id"]) == [
        ("C1", RECONCILED_CODER, "staffing"),  # kept
        ("C1", RECONCILED_CODER, "workload"),  # both applied
        ("C2", RECONCILED_CODER, "pay"),  # both applied
        ("C3", RECONCILED_CODER, None),  # pay dropped: read, no code
        ("C4", RECONCILED_CODER, "pay"),
        ("C4", RECONCILED_CODER, "workload"),
    ]  # C5 was coded by one coder only: nothing to reconcile


def test_decisions_typed_in_a_spreadsheet_are_read(tmp_path: Path) -> None:
    path = tmp_path / "disagreements.xlsx"
    # Rows: C1 staffing, C3 pay, C4 pay, C4 staffing, C4 workload (as in the table above).
    table = disagreement_table(CODINGS, "R", "S").astype({"keep": object})
    table["keep"] = ["yes", "No", 1, "drop", "KEEP"]
    table.to_excel(path, index=False)
    typed = pd.read_excel(path, dtype={"comment_id": str, "code_id": str})
    assert typed["keep"].tolist() == ["yes", "No", 1, "drop", "KEEP"]
    reconciled = reconcile(CODINGS, "R", "S", typed)
    assert _rows(reconciled, ["comment_id", "code_id"]) == [
        ("C1", "staffing"),
        ("C1", "workload"),
        ("C2", "pay"),
        ("C3", None),
        ("C4", "pay"),
        ("C4", "workload"),
    ]


def test_missing_wrong_and_stale_decisions_are_reported() -> None:
    decisions = _decisions(
        C1_staffing=True, C3_pay=False, C4_pay=True, C4_staffing=False, C4_workload=True
    )
    with pytest.raises(ValueError, match=r"1 disagreement\(s\) have no decision.*'C4', 'workload'"):
        reconcile(CODINGS, "R", "S", decisions.iloc[:4])
    wrong = decisions.assign(keep=["maybe", True, True, False, True])
    with pytest.raises(ValueError, match="decision row 1 .*keep is 'maybe'"):
        reconcile(CODINGS, "R", "S", wrong)
    stale = pd.concat(
        [decisions, pd.DataFrame([{"comment_id": "C2", "code_id": "pay", "keep": True}])]
    )
    with pytest.raises(ValueError, match=r"1 decision\(s\) are not disagreements.*'C2', 'pay'"):
        reconcile(CODINGS, "R", "S", stale)
    with pytest.raises(ValueError, match=r"lack the column\(s\) \['keep'\]"):
        reconcile(CODINGS, "R", "S", decisions.drop(columns="keep"))


def test_reconciled_coding_is_recorded_as_its_own_coder(tmp_path: Path) -> None:
    for coder in ("R", "S"):
        with CodingLog(tmp_path, coder, codebook=CODEBOOK) as log:
            log.record_codings(CODINGS[CODINGS["coder"] == coder])
    originals = {coder: coding_log_path(tmp_path, coder).read_bytes() for coder in ("R", "S")}
    codings = load_codings(tmp_path)
    decisions = _decisions(
        C1_staffing=False, C3_pay=True, C4_pay=True, C4_staffing=True, C4_workload=False
    )
    reconciled = reconcile(codings, "R", "S", decisions)
    # C1 workload; C2 pay; C3 pay; C4 pay, staffing: 5 applies, each one event
    assert record_reconciled(tmp_path, reconciled, codebook=CODEBOOK) == 5
    assert record_reconciled(tmp_path, reconciled) == 0  # already recorded
    assert coding_log_path(tmp_path, RECONCILED_CODER).name == "reconciled.jsonl"
    stored = load_codings(tmp_path)
    assert _rows(stored[stored["coder"] == RECONCILED_CODER], ["comment_id", "code_id"]) == [
        ("C1", "workload"),
        ("C2", "pay"),
        ("C3", "pay"),
        ("C4", "pay"),
        ("C4", "staffing"),
    ]
    # The two coders' own logs are untouched, so agreement is still measured on them.
    assert {c: coding_log_path(tmp_path, c).read_bytes() for c in ("R", "S")} == originals


def test_analysis_uses_reconciled_codes_where_there_are_any() -> None:
    decisions = _decisions(
        C1_staffing=False, C3_pay=False, C4_pay=True, C4_staffing=False, C4_workload=False
    )
    everyone = pd.concat([CODINGS, reconcile(CODINGS, "R", "S", decisions)])
    used = codings_for_analysis(everyone, primary_coder="R")
    assert _rows(used, ["comment_id", "code_id", "source"]) == [
        ("C1", "workload", RECONCILED_CODER),
        ("C2", "pay", RECONCILED_CODER),
        ("C3", None, RECONCILED_CODER),
        ("C4", "pay", RECONCILED_CODER),
        ("C5", "pay", "R"),  # not in the second-coded sample: the researcher's coding
    ]
    with pytest.raises(ValueError, match="coder 'Q' coded nothing"):
        codings_for_analysis(everyone, primary_coder="Q")


def test_analysis_uses_another_persons_codes_where_the_primary_coder_has_none() -> None:
    # A new year coded by two people other than the primary coder R, and by machines:
    #   C1: R {pay}, S {staffing}       -> R's (the primary coder's)
    #   C2: R read it, no code          -> R's blank
    #   C3: S {workload}, T {pay}       -> S and T each coded 2 comments: S, first by name
    #   C4: T {pay}                     -> T's: the only person who coded it
    #   C5: model {pay}; C6: keywords {staffing} -> machines: not a person's coding, left out
    codings = pd.DataFrame(
        [
            ("C1", "R", "pay"),
            ("C2", "R", ""),
            ("C1", "S", "staffing"),
            ("C3", "S", "workload"),
            ("C3", "T", "pay"),
            ("C4", "T", "pay"),
            ("C5", "model", "pay"),
            ("C6", "keywords", "staffing"),
        ],
        columns=["comment_id", "coder", "code_id"],
    )
    used = codings_for_analysis(codings, primary_coder="R")
    assert _rows(used, ["comment_id", "code_id", "source"]) == [
        ("C1", "pay", "R"),
        ("C2", None, "R"),
        ("C3", "workload", "S"),
        ("C4", "pay", "T"),
    ]


def test_machine_coders_are_the_model_and_the_keyword_hints() -> None:
    from analysis.comments.frequencies import KEYWORD_CODER
    from analysis.comments.suggest_model import MODEL_CODER

    assert set(MACHINE_CODERS) == {MODEL_CODER, KEYWORD_CODER}
