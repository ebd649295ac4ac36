"""The coding store: append-only logs, durability under a killed process, spreadsheet import."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments import agreement
from analysis.datapackage.codebook import (
    Codebook,
    CodebookError,
    parse_codebook,
    read_codebook_table,
)
from analysis.datapackage.coding_logs import (
    CodingImportError,
    CodingLog,
    coding_history,
    coding_log_path,
    load_codings,
    read_coding_events,
    read_coding_spreadsheet,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_CODED = PROJECT_ROOT.parent / "shared" / "data" / "real" / "nhs_patient_feedback_coded.csv"

CODEBOOK_YAML = """\
- id: WORK
  label: Workload and staffing
  codes:
    - {id: workload, label: Workload pressure}
    - {id: staffing, label: Staffing levels}
- id: PAY
  label: Pay and conditions
  codes:
    - {id: pay, label: Pay and banding}
"""


@pytest.fixture()
def codebook() -> Codebook:
    return parse_codebook(CODEBOOK_YAML)


def _rows(table: pd.DataFrame) -> list[tuple]:
    """A codings table as plain tuples, missing values as None."""
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in table.itertuples(index=False)
    ]


# --------------------------------------------------------------------------- the log


def test_decisions_give_the_current_state_and_keep_the_history(
    tmp_path: Path, codebook: Codebook
) -> None:
    with CodingLog(tmp_path, "researcher", codebook=codebook) as log:
        log.apply("C1", "workload", memo="caseloads")
        log.apply("C1", "staffing")
        log.remove("C1", "staffing")
        log.mark_read("C2", memo="unclear")
        log.apply("C3", "pay")
        log.remove("C3", "pay")
        assert log.codes_of("C1") == {"workload"}
        assert log.is_read("C2") and not log.is_read("C4")
        assert log.comment_memo("C2") == "unclear"
    # C2 was read with no code, and C3's only code was removed: both are "read, no code".
    assert _rows(load_codings(tmp_path)) == [
        ("C1", "researcher", "workload"),
        ("C2", "researcher", None),
        ("C3", "researcher", None),
    ]
    history = coding_history(tmp_path)
    assert history["event"].tolist() == ["apply", "apply", "remove", "read", "apply", "remove"]
    assert history["memo"].tolist()[0] == "caseloads"
    times = pd.to_datetime(history["time"])
    assert times.is_monotonic_increasing and str(times.dt.tz) == "UTC"
    assert coding_log_path(tmp_path, "researcher") == tmp_path / "codings" / "researcher.jsonl"


def test_reopening_replays_the_log(tmp_path: Path) -> None:
    with CodingLog(tmp_path, "researcher") as log:
        log.apply("C1", "workload")
        log.apply("C2", "pay")
    with CodingLog(tmp_path, "researcher") as log:
        assert log.read_comments == {"C1", "C2"}
        log.remove("C2", "pay")
        assert len(log.history()) == 3
    assert _rows(load_codings(tmp_path)) == [
        ("C1", "researcher", "workload"),
        ("C2", "researcher", None),
    ]


def test_spans_are_codings_of_their_own(tmp_path: Path) -> None:
    text = "Too much work and not enough staff."
    with CodingLog(tmp_path, "researcher") as log:
        log.apply("C1", "workload", span=(0, 13), memo=text[0:13])
        log.apply("C1", "workload", span=(18, 34))
        log.remove("C1", "workload", span=(0, 13))
        with pytest.raises(ValueError, match=r"not applied to comment 'C1' at \(0, 13\)"):
            log.remove("C1", "workload", span=(0, 13))
    detail = load_codings(tmp_path, spans=True)
    assert detail[["code_id", "start", "end"]].values.tolist() == [["workload", 18, 34]]
    assert _rows(load_codings(tmp_path)) == [("C1", "researcher", "workload")]


def test_a_rejected_suggestion_is_kept_but_is_neither_a_coding_nor_a_reading(
    tmp_path: Path, codebook: Codebook
) -> None:
    with CodingLog(tmp_path, "researcher", codebook=codebook) as log:
        log.reject("C1", "pay", memo="suggested at p = 0.62")
        log.apply("C2", "workload")
        log.reject("C2", "staffing")
        with pytest.raises(ValueError, match="'payy' is not a code of the codebook"):
            log.reject("C1", "payy")
        assert log.rejected_codes("C1") == {"pay"} and not log.is_read("C1")
    with CodingLog(tmp_path, "researcher", codebook=codebook) as log:
        assert log.rejected_codes("C2") == {"staffing"} and log.codes_of("C2") == {"workload"}
    # C1 has only a rejection: it is not among the codings (not read, not coded).
    assert _rows(load_codings(tmp_path)) == [("C2", "researcher", "workload")]
    history = coding_history(tmp_path)
    assert history["event"].tolist() == ["reject", "apply", "reject"]
    assert history["memo"].tolist()[0] == "suggested at p = 0.62"


def test_every_decision_is_written_and_fsynced_before_the_call_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    log = CodingLog(tmp_path, "researcher")
    path = coding_log_path(tmp_path, "researcher")
    synced.clear()  # creating the log syncs its folder once
    for number, comment_id in enumerate(["C1", "C2", "C3"], start=1):
        log.apply(comment_id, "workload")
        # Read through a separate handle while the log is still open: the line is there.
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == number
        assert json.loads(lines[-1])["comment_id"] == comment_id
        assert len(synced) == number
    log.close()
    with pytest.raises(ValueError, match="is closed"):
        log.apply("C4", "workload")


def test_decisions_are_checked_before_they_are_written(tmp_path: Path, codebook: Codebook) -> None:
    with CodingLog(tmp_path, "researcher", codebook=codebook, comment_ids=["C1"]) as log:
        with pytest.raises(ValueError, match="'C9' is not one of the comments"):
            log.apply("C9", "pay")
        with pytest.raises(ValueError, match="did you mean 'workload'"):
            log.apply("C1", "workloud")
        with pytest.raises(ValueError, match=r"'WORK' \(Workload and staffing\) only groups"):
            log.apply("C1", "WORK")
        with pytest.raises(ValueError, match="0 <= start < end"):
            log.apply("C1", "pay", span=(5, 2))
        with pytest.raises(ValueError, match="not applied"):
            log.remove("C1", "pay")
        with pytest.raises(ValueError, match="comment_id is blank"):
            log.mark_read("  ")
    assert coding_log_path(tmp_path, "researcher").read_bytes() == b""
    with pytest.raises(ValueError, match="coder's name"):
        CodingLog(tmp_path, " ")


def test_coders_get_separate_files_even_when_names_differ_only_in_case(tmp_path: Path) -> None:
    with CodingLog(tmp_path, "AB") as upper, CodingLog(tmp_path, "ab") as lower:
        upper.apply("C1", "pay")
        lower.apply("C1", "workload")
    assert coding_log_path(tmp_path, "AB") != coding_log_path(tmp_path, "ab")
    assert coding_log_path(tmp_path, "ab").name == "ab.jsonl"
    assert sorted(_rows(load_codings(tmp_path))) == [("C1", "AB", "pay"), ("C1", "ab", "workload")]


def test_torn_last_line_is_skipped_with_a_warning_and_nothing_else_is_lost(
    tmp_path: Path,
) -> None:
    with CodingLog(tmp_path, "researcher") as log:
        log.apply("C1", "workload")
        log.apply("C2", "pay")
    path = coding_log_path(tmp_path, "researcher")
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"event":"apply","comment_id":"C3","co')  # a write cut short
    with pytest.warns(UserWarning, match="line 3: not a complete decision"):
        events = read_coding_events(path)
    assert [event.comment_id for event in events] == ["C1", "C2"]
    # The next session ends the torn line, so its first decision starts on a fresh line.
    with pytest.warns(UserWarning, match="line 3"), CodingLog(tmp_path, "researcher") as log:
        assert log.read_comments == {"C1", "C2"}
        log.apply("C4", "staffing")
    assert path.read_bytes().startswith(whole)  # nothing earlier was rewritten
    with pytest.warns(UserWarning, match="line 3"):
        assert _rows(load_codings(tmp_path)) == [
            ("C1", "researcher", "workload"),
            ("C2", "researcher", "pay"),
            ("C4", "researcher", "staffing"),
        ]


def test_a_complete_but_invalid_line_is_an_error_naming_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "codings"
    folder.mkdir()
    event = {"event": "apply", "comment_id": "C1", "coder": "x", "time": "t", "code_id": "a"}
    bad = dict(event, event="tag")
    (folder / "x.jsonl").write_text(
        json.dumps(event) + "\n" + json.dumps(bad) + "\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"x.jsonl, line 2: 'event' is 'tag'"):
        load_codings(tmp_path)


# --------------------------------------------------------------------------- a real crash

_CHILD = textwrap.dedent(
    """
    import sys, time
    from analysis.datapackage.coding_logs import CodingLog

    log = CodingLog(sys.argv[1], "researcher")
    print("ready", flush=True)
    number = 0
    for line in sys.stdin if sys.argv[2] == "on-request" else iter(int, 1):
        log.apply(f"C{number:05d}", "workload", memo="x" * 200)
        print(number, flush=True)  # the decision is acknowledged once apply() returned
        number += 1
    """
)


def _start_coder(package: Path, mode: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(package), mode],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert child.stdout.readline().strip() == "ready"
    return child


def _kill(child: subprocess.Popen[str]) -> tuple[int, list[int]]:
    """SIGKILL the child; return its exit status and the acknowledgements still unread."""
    os.kill(child.pid, signal.SIGKILL)
    status = child.wait(timeout=10)
    unread = [int(line) for line in child.stdout.read().split()]
    child.stdin.close()
    child.stdout.close()
    return status, unread


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_a_coder_killed_between_decisions_loses_nothing(tmp_path: Path) -> None:
    child = _start_coder(tmp_path, "on-request")
    acknowledged = []
    for _ in range(40):
        child.stdin.write("next\n")
        child.stdin.flush()
        acknowledged.append(int(child.stdout.readline()))
    status, unread = _kill(child)  # the child is waiting for its next decision
    assert status == -signal.SIGKILL and unread == []
    recorded = load_codings(tmp_path)["comment_id"].tolist()
    assert recorded == [f"C{number:05d}" for number in acknowledged] and len(recorded) == 40


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_a_coder_killed_while_deciding_loses_no_acknowledged_decision(tmp_path: Path) -> None:
    child = _start_coder(tmp_path, "continuous")
    # The child records decisions as fast as it can; kill it after the 20th acknowledgement,
    # while it is busy with later ones.
    acknowledged = {f"C{int(child.stdout.readline()):05d}" for _ in range(20)}
    status, unread = _kill(child)
    assert status == -signal.SIGKILL
    acknowledged |= {f"C{number:05d}" for number in unread}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a write cut short by the kill is allowed
        recorded = set(load_codings(tmp_path)["comment_id"])
    # Everything acknowledged is there; at most the one decision in progress is extra.
    assert acknowledged <= recorded
    assert len(recorded - acknowledged) <= 1


# --------------------------------------------------------------------------- bulk import


def test_record_codings_sets_each_comments_codes_with_one_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pd.DataFrame(
        {"comment_id": ["C1", "C1", "C2", "C3"], "code_id": ["pay", "workload", None, "pay"]}
    )
    with CodingLog(tmp_path, "supervisor") as log:
        synced = []
        monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
        # C1: two applies; C2: read; C3: one apply
        assert log.record_codings(table) == 4
        assert len(synced) == 1
        assert log.record_codings(table) == 0  # already so: nothing to write
        changed = pd.DataFrame({"comment_id": ["C1", "C3"], "code_id": ["pay", None]})
        assert log.record_codings(changed) == 2  # remove C1 workload, remove C3 pay
    assert _rows(load_codings(tmp_path)) == [
        ("C1", "supervisor", "pay"),
        ("C2", "supervisor", None),
        ("C3", "supervisor", None),
    ]


def test_codings_from_the_store_feed_agreement(tmp_path: Path) -> None:
    # pay: A applies to C1 and C2, B to C1 and C3; both read C1..C4. Agreements on C1
    # (both) and C4 (neither), disagreements on C2 and C3: percent agreement 2/4 = 0.5.
    with CodingLog(tmp_path, "A") as first, CodingLog(tmp_path, "B") as second:
        for comment_id in ("C1", "C2"):
            first.apply(comment_id, "pay")
        for comment_id in ("C1", "C3"):
            second.apply(comment_id, "pay")
        for log, unread in ((first, ("C3", "C4")), (second, ("C2", "C4"))):
            for comment_id in unread:
                log.mark_read(comment_id)
    table = agreement(load_codings(tmp_path))
    pay = table.set_index("code").loc["pay"]
    assert pay["n_units"] == 4
    assert pay["percent_agreement"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- spreadsheets


def test_spreadsheet_with_a_codes_column(tmp_path: Path, codebook: Codebook) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(
        "comment_id,codes,text\nC1,workload; pay,a\nC2,,b\nC3,Pay and banding,c\n",
        encoding="utf-8",
    )
    table = read_coding_spreadsheet(path, codebook, coder="NVivo", codes_column="codes")
    assert _rows(table) == [
        ("C1", "NVivo", "pay"),
        ("C1", "NVivo", "workload"),
        ("C2", "NVivo", None),
        ("C3", "NVivo", "pay"),  # named by its label
    ]


def test_spreadsheet_with_a_column_per_code(tmp_path: Path, codebook: Codebook) -> None:
    path = tmp_path / "coded.xlsx"
    pd.DataFrame(
        {
            "comment_id": ["C1", "C2", "C3"],
            "workload": [1, 0, None],
            "Staffing levels": [0, 1, 0],
            "pay": [True, False, 0],
            "year": [2023, 2023, 2024],
        }
    ).to_excel(path, index=False)
    table = read_coding_spreadsheet(path, codebook, coder="MAXQDA", ignore_columns=["year"])
    assert _rows(table) == [
        ("C1", "MAXQDA", "pay"),
        ("C1", "MAXQDA", "workload"),
        ("C2", "MAXQDA", "staffing"),
        ("C3", "MAXQDA", None),
    ]


def test_spreadsheet_problems_name_file_row_and_column(tmp_path: Path, codebook: Codebook) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(
        "comment_id,codes\n"
        "C1,workload;payy\n"  # row 2: unknown code
        "C9,pay\n"  # row 3: not a comment of the package
        "C1,pay\n"  # row 4: C1 again
        ",pay\n"  # row 5: blank comment id
        "C2,WORK\n",  # row 6: a theme
        encoding="utf-8",
    )
    with pytest.raises(CodingImportError) as error:
        read_coding_spreadsheet(
            path, codebook, coder="x", codes_column="codes", comment_ids=["C1", "C2"]
        )
    assert [str(problem) for problem in error.value.problems] == [
        "coded.csv, row 2, column 'codes': 'payy' is not a code of the codebook; did you mean "
        "'pay'?",
        "coded.csv, row 3, column 'comment_id': 'C9' is not a comment_id of the comments table",
        "coded.csv, row 4, column 'comment_id': comment 'C1' is listed again (first in row 2); "
        "expected one row per comment",
        "coded.csv, row 5, column 'comment_id': the comment id is blank",
        "coded.csv, row 6, column 'codes': 'WORK' is a theme that only groups codes; apply one "
        "of its codes",
    ]
    wide = tmp_path / "wide.csv"
    wide.write_text("comment_id,workload,text\nC1,2,hello\n", encoding="utf-8")
    with pytest.raises(CodingImportError) as error:
        read_coding_spreadsheet(wide, codebook, coder="x")
    assert [str(problem) for problem in error.value.problems] == [
        "wide.csv, row 1, column 'text': 'text' is not a code of the codebook (if this column "
        "is not a code, list it in ignore_columns)",
    ]
    with pytest.raises(CodingImportError) as error:
        read_coding_spreadsheet(wide, codebook, coder="x", ignore_columns=["text"])
    assert [str(problem) for problem in error.value.problems] == [
        "wide.csv, row 2, column 'workload': expected 1 (applied) or 0, found '2'"
    ]
    with pytest.raises(CodingImportError, match="no column 'comment_ids'; did you mean"):
        read_coding_spreadsheet(wide, codebook, coder="x", comment_column="comment_ids")


@pytest.mark.skipif(not REAL_CODED.exists(), reason=f"real data not present at {REAL_CODED}")
def test_real_nhs_feedback_imports_as_codebook_and_codings(tmp_path: Path) -> None:
    # 10,334 real NHS patient comments coded into 9 categories (`label`) and 44
    # subcategories (`code`, named by `subcategory`); see ../shared/data/real/README.md.
    columns = {"id": "code", "label": "subcategory", "theme": "label"}

    # The file places code xn ("Nothing to improve") under two categories: "Couldn't be
    # improved" (1,703 rows) and "Miscellaneous" (39 rows). A codebook gives each code one
    # place, so reading the file as a codebook reports it, naming the rows.
    with pytest.raises(CodebookError) as error:
        read_codebook_table(REAL_CODED, columns=columns)
    (problem,) = error.value.problems
    assert problem.column == "code"
    assert problem.message.startswith("id 'xn' is used twice (first by row ")

    # Keep xn in its majority category: a codebook from the rows that do not conflict.
    raw = pd.read_csv(REAL_CODED, dtype=str)
    conflicting = (raw["code"] == "xn") & (raw["label"] == "Miscellaneous")
    assert int(conflicting.sum()) == 39
    raw[~conflicting].to_csv(tmp_path / "nhs_codebook.csv", index=False)
    codebook = read_codebook_table(tmp_path / "nhs_codebook.csv", columns=columns)
    assert len(codebook.children(None)) == 9
    assert len(codebook.codable_ids()) == 44
    assert codebook["sa"].label == "Attitude Of Staff"
    assert codebook.theme_of("xn") == "couldnt_be_improved"

    # Every comment's code, through the spreadsheet import (a codes column).
    started = time.perf_counter()
    codings = read_coding_spreadsheet(
        REAL_CODED, codebook, coder="NHS coders", comment_column="row_index", codes_column="code"
    )
    seconds = time.perf_counter() - started
    assert len(codings) == 10_334 and codings["comment_id"].is_unique
    counts = codings["code_id"].value_counts()
    # Counted from the file (README: Care received 2,191 'cc'; Staff 1,321 'sa', 1,103 'ss'):
    assert (counts["cc"], counts["sa"], counts["ss"], counts["xn"]) == (2191, 1321, 1103, 1742)
    assert counts.to_dict() == raw["code"].value_counts().to_dict()
    themes = codings["code_id"].map(codebook.theme_of).value_counts()
    # Category totals from the file's `label` column, except that the 39 Miscellaneous xn
    # comments now count under "Couldn't be improved": 1703 + 39 = 1742 and 353 - 39 = 314.
    assert themes["couldnt_be_improved"] == 1742
    assert themes["miscellaneous"] == 314
    assert themes["care_received"] == 3363 and themes["staff"] == 2844
    assert seconds < 5, f"import took {seconds:.1f} s"

    # Into the store in one write, and back unchanged.
    with CodingLog(tmp_path, "NHS coders", codebook=codebook) as log:
        assert log.record_codings(codings) == 10_334
    back = load_codings(tmp_path)
    assert _rows(back.sort_values("comment_id")) == _rows(codings.sort_values("comment_id"))
