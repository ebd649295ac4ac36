"""The coding widget, driven from Python as a coder would drive it in JupyterLab.

Each test sets the coder, ticks checkboxes, types memos and clicks previous / skip / next
with ``button.click()``, then reads the coding logs back from disk with the store's own
readers (``load_codings``, ``coding_history``), so what is checked is what was kept.

The five comments of ``small_session`` and their respondents' groups:

==== ==== ======== =========== ============ ==========
id   year resp.    directorate staff group  text
==== ==== ======== =========== ============ ==========
C1   2007 R1       Estates     Nursing      workload
C2   2008 R2       Estates     Admin        a phone number and a name
C3   2008 R3       Community   Nursing      parking
C4   2007 R4       Community   (blank)      training
C5   2008 R5       Estates     Nursing      staffing
==== ==== ======== =========== ============ ==========
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.comments.widget import (
    NOT_STATED,
    CodingSession,
    CodingWidget,
    coding_widget,
    locate_passage,
)
from analysis.datapackage.codebook import load_codebook
from analysis.datapackage.coding_logs import (
    CodingLog,
    coding_history,
    coding_log_path,
    load_codings,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO = PROJECT_ROOT / "data" / "demo"
CODEBOOK = load_codebook(DEMO / "codebook.yml")

COMMENTS = pd.DataFrame(
    {
        "comment_id": ["C1", "C2", "C3", "C4", "C5"],
        "respondent_id": ["R1", "R2", "R3", "R4", "R5"],
        "year": [2007, 2008, 2008, 2007, 2008],
        "question": ["What would most improve your working life?"] * 5,
        "text": [
            "Too much work and not enough time.",
            "Ring Dr Patel on 07700 900123 about the car park.",
            "There is nowhere to park.",
            "I never get sent on training courses.",
            "We are short staffed every single day.",
        ],
    }
)
RESPONSES = pd.DataFrame(
    {
        "respondent_id": ["R1", "R2", "R3", "R4", "R5"],
        "year": [2007, 2008, 2008, 2007, 2008],
        "directorate": ["Estates", "Estates", "Community", "Community", "Estates"],
        "staff_group": ["Nursing", "Admin", "Nursing", None, "Nursing"],
    }
)


def small_session(folder: Path, **options: object) -> CodingSession:
    return CodingSession(COMMENTS, CODEBOOK, folder, responses=RESPONSES, **options)


def ticked(widget: CodingWidget) -> set[str]:
    return {code for code, box in widget.checkboxes.items() if box.value}


def current_codings(folder: Path, coder: str) -> dict[str, set[str]]:
    """comment id -> the codes on disk (empty set: read, no code), read by the store."""
    table = load_codings(folder)
    table = table[table["coder"] == coder]
    found: dict[str, set[str]] = {}
    for comment_id, code_id in zip(table["comment_id"], table["code_id"], strict=True):
        codes = found.setdefault(comment_id, set())
        if not pd.isna(code_id):
            codes.add(code_id)
    return found


@pytest.fixture
def widget(tmp_path: Path) -> CodingWidget:
    return CodingWidget(small_session(tmp_path))


# --------------------------------------------------------------------------- the coder


def test_nothing_can_be_coded_until_the_coder_is_set(widget: CodingWidget, tmp_path: Path) -> None:
    assert all(box.disabled for box in widget.checkboxes.values())
    assert widget.next_button.disabled and widget.skip_button.disabled
    assert widget.memo.disabled
    assert "Coder" in widget.status.value
    with pytest.raises(ValueError, match="coder's name first"):
        widget.session.apply("workload_pressure")
    assert not (tmp_path / "codings").exists()

    widget.coder.value = "researcher"
    assert not any(box.disabled for box in widget.checkboxes.values())
    assert not widget.next_button.disabled
    assert widget.session.coder == "researcher"


def test_a_blank_coder_name_is_refused(widget: CodingWidget) -> None:
    widget.coder.value = "   "
    assert widget.session.coder is None
    with pytest.raises(ValueError, match="coder's name"):
        widget.session.set_coder("  ")


# --------------------------------------------------------------------------- decisions


def test_every_tick_and_untick_is_on_disk_at_once(widget: CodingWidget, tmp_path: Path) -> None:
    widget.coder.value = "researcher"
    widget.checkboxes["workload_pressure"].value = True
    widget.checkboxes["unpaid_hours"].value = True
    # read back from disk, before any navigation
    assert current_codings(tmp_path, "researcher") == {"C1": {"workload_pressure", "unpaid_hours"}}

    widget.checkboxes["unpaid_hours"].value = False
    assert current_codings(tmp_path, "researcher") == {"C1": {"workload_pressure"}}
    history = coding_history(tmp_path)
    assert history["event"].tolist() == ["apply", "apply", "remove"]
    assert history["code_id"].tolist() == ["workload_pressure", "unpaid_hours", "unpaid_hours"]


def test_next_records_a_comment_read_without_a_code(widget: CodingWidget, tmp_path: Path) -> None:
    widget.coder.value = "researcher"
    widget.memo.value = "nothing codable here"
    widget.next_button.click()
    # C1: read, no code, with the memo; the widget now shows C2 with nothing ticked
    assert current_codings(tmp_path, "researcher") == {"C1": set()}
    history = coding_history(tmp_path)
    assert history[["event", "comment_id", "memo"]].values.tolist() == [
        ["read", "C1", "nothing codable here"]
    ]
    assert widget.session.current.comment_id == "C2"
    assert ticked(widget) == set() and widget.memo.value == ""


def test_next_without_changes_on_a_decided_comment_writes_nothing(
    widget: CodingWidget, tmp_path: Path
) -> None:
    widget.coder.value = "researcher"
    widget.checkboxes["workload_pressure"].value = True
    widget.next_button.click()  # coded, so already read: no memo, nothing more to write
    widget.previous_button.click()
    widget.next_button.click()
    widget.next_button.click()  # C2: read, no code
    widget.previous_button.click()
    widget.next_button.click()  # C2 already decided, memo unchanged: nothing new
    history = coding_history(tmp_path)
    assert history[["event", "comment_id"]].values.tolist() == [
        ["apply", "C1"],
        ["read", "C2"],
    ]


def test_previous_shows_the_codes_and_memo_already_recorded(widget: CodingWidget) -> None:
    widget.coder.value = "researcher"
    widget.checkboxes["workload_pressure"].value = True
    widget.memo.value = "caseload"
    widget.next_button.click()
    widget.checkboxes["car_parking"].value = True
    widget.previous_button.click()
    assert widget.session.current.comment_id == "C1"
    assert ticked(widget) == {"workload_pressure"}
    assert widget.memo.value == "caseload"
    widget.next_button.click()
    assert ticked(widget) == {"car_parking"}


def test_skip_leaves_a_comment_undecided_and_keeps_its_memo_as_a_draft(
    widget: CodingWidget, tmp_path: Path
) -> None:
    widget.coder.value = "researcher"
    widget.memo.value = "come back to this"
    widget.skip_button.click()
    assert widget.session.current.comment_id == "C2"
    assert not (coding_log_path(tmp_path, "researcher").read_text(encoding="utf-8"))
    widget.previous_button.click()
    assert widget.memo.value == "come back to this"  # the draft, not yet on disk
    widget.next_button.click()
    history = coding_history(tmp_path)
    assert history[["event", "comment_id", "memo"]].values.tolist() == [
        ["read", "C1", "come back to this"]
    ]


def test_a_changed_memo_on_a_decided_comment_is_saved_on_leaving(
    widget: CodingWidget, tmp_path: Path
) -> None:
    widget.coder.value = "researcher"
    widget.next_button.click()  # C1 read
    widget.previous_button.click()
    widget.memo.value = "second thoughts"
    widget.skip_button.click()
    log = CodingLog(tmp_path, "researcher")
    assert log.comment_memo("C1") == "second thoughts"
    log.close()


def test_the_ends_of_the_view_are_reported(widget: CodingWidget, tmp_path: Path) -> None:
    widget.coder.value = "researcher"
    widget.previous_button.click()
    assert "start of the view" in widget.status.value
    for _ in range(4):
        widget.next_button.click()
    assert widget.session.current.comment_id == "C5"
    widget.next_button.click()  # the last one: recorded, and the widget stays on it
    assert "end of the view" in widget.status.value
    assert set(current_codings(tmp_path, "researcher")) == {"C1", "C2", "C3", "C4", "C5"}


def test_progress_counts_decided_comments(widget: CodingWidget) -> None:
    widget.coder.value = "researcher"
    widget.checkboxes["workload_pressure"].value = True  # C1 decided by a tick
    widget.skip_button.click()  # C2 undecided
    widget.next_button.click()  # C2 decided (read)
    widget.skip_button.click()  # C3 undecided
    # position 4 of 5; decided C1, C2 -> 2 of 5
    progress = widget.session.progress()
    assert (progress.position, progress.view_size, progress.decided_in_view) == (4, 5, 2)
    assert "Comment 4 of 5 in this view · 2 of 5 decided here" in widget.progress.value


def test_a_code_applied_to_a_span_is_not_silently_removed(tmp_path: Path) -> None:
    with CodingLog(tmp_path, "researcher", CODEBOOK) as log:
        log.apply("C1", "workload_pressure", span=(0, 13))
    widget = CodingWidget(small_session(tmp_path))
    widget.coder.value = "researcher"
    assert ticked(widget) == {"workload_pressure"}
    widget.checkboxes["workload_pressure"].value = False
    assert "part of this comment" in widget.status.value
    assert ticked(widget) == {"workload_pressure"}
    assert current_codings(tmp_path, "researcher") == {"C1": {"workload_pressure"}}


def test_a_passage_is_coded_with_its_span_and_note(widget: CodingWidget, tmp_path: Path) -> None:
    widget.coder.value = "researcher"
    widget.next_button.click()  # C2: "Ring Dr Patel on 07700 900123 about the car park."
    assert "Ring Dr [NAME] on [PHONE]" in widget.comment.value
    # copied from the redacted comment shown, with its line wrapping and other capitals
    widget.passage.value = "ring dr [NAME]  on\n[PHONE]"
    widget.passage_code.value = "communication_top_down"
    widget.passage_memo.value = "asked to phone a manager"
    widget.passage_button.click()
    assert "Coded &#x27;Ring Dr [NAME] on [PHONE]&#x27;" in widget.status.value
    assert widget.passage.value == "" and widget.passage_memo.value == ""
    assert ticked(widget) == {"communication_top_down"}
    # "Ring Dr Patel on 07700 900123" is text[0:29] of the comment as written
    detail = load_codings(tmp_path, spans=True)
    assert detail[["comment_id", "code_id", "start", "end", "memo"]].values.tolist() == [
        ["C2", "communication_top_down", 0, 29, "asked to phone a manager"]
    ]
    assert COMMENTS.loc[1, "text"][0:29] == "Ring Dr Patel on 07700 900123"
    # the passage coding is listed (redacted) and can be taken off again
    assert [label for label, _ in widget.passage_codings.options] == [
        "Communication from the trust: Ring Dr [NAME] on [PHONE]"
    ]
    widget.remove_passage_button.click()
    assert ticked(widget) == set() and widget.passage_codings.options == ()
    assert current_codings(tmp_path, "researcher") == {"C1": set(), "C2": set()}


@pytest.mark.parametrize(
    ("passage", "message"),
    [
        ("the car park is full", "is not in this comment"),
        ("  ", "type or paste a passage"),
        ("e", "is in this comment 2 times"),
    ],
)
def test_a_passage_not_found_once_is_reported_and_nothing_is_written(
    widget: CodingWidget, tmp_path: Path, passage: str, message: str
) -> None:
    widget.coder.value = "researcher"  # C1: "Too much work and not enough time."
    widget.passage.value = passage
    widget.passage_button.click()
    assert message in widget.status.value and "#b00020" in widget.status.value
    assert widget.passage.value == passage  # kept, to be corrected
    assert coding_history(tmp_path).empty


def test_locate_passage_by_hand() -> None:
    text = "Too much work.\nNot enough   time, and too much work."
    # "Not enough   time" starts at 15 ("Too much work.\n" is 15 characters) and is 17 long
    assert locate_passage(text, "NOT enough time") == (15, 32)
    with pytest.raises(ValueError, match="2 times"):
        locate_passage(text, "too much work")
    # then ", " (32, 33) and "and too much work" (17 characters) from 34
    assert locate_passage(text, "and too much work") == (34, 51)


def test_a_new_session_shows_everything_coded_so_far(tmp_path: Path) -> None:
    first = CodingWidget(small_session(tmp_path))
    first.coder.value = "researcher"
    first.checkboxes["workload_pressure"].value = True
    first.next_button.click()
    first.checkboxes["car_parking"].value = True
    # as after a kernel restart: no close(); a new session reads the log
    again = CodingWidget(small_session(tmp_path))
    again.coder.value = "researcher"
    assert ticked(again) == {"workload_pressure"}
    again.next_button.click()
    assert ticked(again) == {"car_parking"}
    assert again.session.progress().decided == 2


# --------------------------------------------------------------------------- what is shown


def test_a_comment_is_shown_with_year_and_group_never_an_identifier(widget: CodingWidget) -> None:
    widget.coder.value = "researcher"
    widget.skip_button.click()  # C2: R2, 2008, Estates, Admin
    shown = widget.comment.value
    assert "2008 · Estates · Admin" in shown
    assert "R2" not in shown and "C2" not in shown
    # redacted before it is shown: the name and phone number are gone
    assert "Patel" not in shown and "07700" not in shown
    assert "[NAME]" in shown and "[PHONE]" in shown
    widget.skip_button.click()
    widget.skip_button.click()  # C4: blank staff group
    assert f"2007 · Community · {NOT_STATED}" in widget.comment.value


def test_redaction_can_be_turned_off(tmp_path: Path) -> None:
    session = small_session(tmp_path, redact_text=False)
    session.set_coder("researcher")
    session.skip()
    assert session.current.text == COMMENTS.loc[1, "text"]


def test_codes_are_grouped_by_theme_with_definitions_on_hover(widget: CodingWidget) -> None:
    assert set(widget.checkboxes) == set(CODEBOOK.codable_ids())
    code = CODEBOOK["workload_pressure"]
    box = widget.checkboxes["workload_pressure"]
    assert box.description == code.label
    assert code.definition in box.tooltip and code.when_not_to_use in box.tooltip
    theme_boxes = widget.children[5].children
    work = theme_boxes[0].children  # the first theme, WORK, in codebook order
    assert CODEBOOK["WORK"].label in work[0].value
    assert CODEBOOK["WORK"].definition in work[0].value  # in the heading's title (hover)
    assert [box.description for box in work[1:]] == [
        CODEBOOK[c.id].label for c in CODEBOOK.children("WORK")
    ]


# --------------------------------------------------------------------------- filters


def test_year_and_group_filters(widget: CodingWidget) -> None:
    widget.coder.value = "researcher"
    widget.year_filter.value = 2008
    assert widget.session.progress().view_size == 3  # C2, C3, C5
    assert widget.session.current.comment_id == "C2"
    widget.group_filter.value = ("directorate", "Estates")
    assert widget.session.progress().view_size == 2  # 2008 and Estates: C2, C5
    widget.next_button.click()
    assert widget.session.current.comment_id == "C5"
    widget.year_filter.value = None
    widget.group_filter.value = ("staff_group", NOT_STATED)
    assert widget.session.current.comment_id == "C4"
    assert widget.session.progress().view_size == 1


def test_uncoded_only_and_one_code_filters_use_this_coders_log(
    widget: CodingWidget, tmp_path: Path
) -> None:
    with CodingLog(tmp_path, "supervisor", CODEBOOK) as other:
        other.apply("C3", "car_parking")
    widget.coder.value = "researcher"
    widget.checkboxes["workload_pressure"].value = True  # C1
    widget.next_button.click()
    widget.checkboxes["car_parking"].value = True  # C2
    widget.uncoded_only.value = True
    # researcher decided C1, C2; C3 coded only by the supervisor still counts as uncoded
    assert widget.session.progress().view_size == 3
    assert widget.session.current.comment_id == "C3"
    widget.uncoded_only.value = False
    widget.code_filter.value = "car_parking"
    assert widget.session.progress().view_size == 1  # C2 (researcher), not C3 (supervisor)
    assert widget.session.current.comment_id == "C2"


def test_the_code_filter_needs_the_coder(widget: CodingWidget) -> None:
    assert widget.code_filter.disabled and widget.uncoded_only.disabled
    with pytest.raises(ValueError, match="coder's name first"):
        widget.session.set_filters(uncoded_only=True)


def test_no_comment_matches(widget: CodingWidget) -> None:
    widget.coder.value = "researcher"
    widget.year_filter.value = 2007
    widget.group_filter.value = ("staff_group", "Admin")
    assert "No comment matches" in widget.comment.value
    assert widget.next_button.disabled
    assert widget.session.progress().position == 0


SUGGESTIONS = pd.DataFrame(
    {
        "comment_id": ["C2", "C3", "C3", "C5"],
        "code_id": ["car_parking", "car_parking", "estates", "staffing_levels"],
        "probability": [0.91, 0.62, 0.30, 0.88],
    }
)


def test_suggestions_are_shown_and_filtered_on(tmp_path: Path) -> None:
    widget = CodingWidget(small_session(tmp_path, suggestions=SUGGESTIONS))
    widget.coder.value = "researcher"
    assert widget.suggested_filter.layout.display != "none"
    # codes with a suggestion at or above 0.5, in codebook order
    assert [value for _, value in widget.suggested_filter.options[1:]] == [
        "staffing_levels",
        "car_parking",
    ]
    widget.suggested_filter.value = "car_parking"
    assert widget.session.progress().view_size == 2  # C2 (0.91), C3 (0.62)
    assert shown_suggestions(widget) == ["Car parking (91%)"]
    widget.next_button.click()  # C3: estates at 0.30 is below 0.5, not shown
    assert shown_suggestions(widget) == ["Car parking (62%)"]
    # a suggestion is not a coding: nothing is applied until the coder accepts it
    assert ticked(widget) == set()
    assert current_codings(tmp_path, "researcher") == {"C2": set()}


def shown_suggestions(widget: CodingWidget) -> list[str]:
    """The suggestion rows on show, as their labels."""
    return [label.value for label, _, _ in widget.suggestion_rows if label.layout.display != "none"]


def test_the_coder_accepts_or_rejects_each_suggestion(tmp_path: Path) -> None:
    both = pd.concat(
        [
            SUGGESTIONS,
            pd.DataFrame({"comment_id": ["C2"], "code_id": ["estates"], "probability": [0.7]}),
        ]
    )
    widget = CodingWidget(small_session(tmp_path, suggestions=both))
    widget.coder.value = "researcher"
    widget.next_button.click()  # C1 -> C2
    assert widget.session.current.comment_id == "C2"
    assert shown_suggestions(widget) == [
        "Car parking (91%)",
        "Buildings and office space (70%)",
    ]
    widget.suggestion_rows[0][1].click()  # accept car parking
    assert ticked(widget) == {"car_parking"}
    assert shown_suggestions(widget) == ["Buildings and office space (70%)"]
    widget.suggestion_rows[0][2].click()  # reject estates
    assert shown_suggestions(widget) == [] and widget.suggestions.value == ""
    assert ticked(widget) == {"car_parking"}
    history = coding_history(tmp_path)
    decisions = history[history["comment_id"] == "C2"][["event", "code_id", "memo"]]
    assert decisions.values.tolist() == [
        ["apply", "car_parking", "accepted suggestion (p = 0.91)"],
        ["reject", "estates", "suggestion (p = 0.70)"],
    ]
    # a new session remembers both: nothing is offered again
    again = CodingWidget(small_session(tmp_path, suggestions=both))
    again.coder.value = "researcher"
    again.next_button.click()
    assert again.session.current.comment_id == "C2" and shown_suggestions(again) == []
    # C3: a rejection alone leaves the comment undecided
    again.next_button.click()
    again.suggestion_rows[0][2].click()
    assert current_codings(tmp_path, "researcher")["C2"] == {"car_parking"}
    assert "C3" not in current_codings(tmp_path, "researcher")


@pytest.mark.parametrize(
    ("suggestions", "message"),
    [
        (SUGGESTIONS.assign(code_id="WORK"), "not codable"),
        (SUGGESTIONS.assign(comment_id="C9"), "not among the comments"),
        (SUGGESTIONS.assign(probability=1.5), "from 0 to 1"),
        (SUGGESTIONS.drop(columns="code_id"), "lacks the column"),
    ],
)
def test_bad_suggestions_are_refused(
    tmp_path: Path, suggestions: pd.DataFrame, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        small_session(tmp_path, suggestions=suggestions)


# --------------------------------------------------------------------------- blind mode


def test_blind_mode_codes_a_seeded_random_sample(tmp_path: Path) -> None:
    session = small_session(tmp_path, blind_sample=3, seed=7)
    shown = []
    session.set_coder("supervisor")
    for _ in range(3):
        shown.append(session.current.comment_id)
        session.next()
    # the sample is numpy's choice with the seed: the same comments, in the same order
    expected = COMMENTS["comment_id"].to_numpy()[
        np.random.default_rng(7).choice(5, size=3, replace=False)
    ]
    assert shown == expected.tolist()
    assert len(set(shown)) == 3
    assert session.progress().total == 3 and session.progress().decided == 3
    again = small_session(tmp_path, blind_sample=3, seed=7)
    assert again.current.comment_id == shown[0]
    assert small_session(tmp_path, blind_sample=5, seed=7).progress().view_size == 5


def test_blind_mode_never_shows_another_coders_codes(tmp_path: Path) -> None:
    with CodingLog(tmp_path, "researcher", CODEBOOK) as first:
        for comment_id in COMMENTS["comment_id"]:
            first.apply(comment_id, "workload_pressure", memo="researcher's note")
            first.apply(comment_id, "staffing_levels", span=(0, 3), memo="researcher's span")
    widget = CodingWidget(small_session(tmp_path, blind_sample=5, seed=1))
    widget.coder.value = "supervisor"
    for _ in range(5):
        assert ticked(widget) == set()
        assert widget.memo.value == ""
        assert widget.passage_codings.options == ()  # nor the researcher's passages
        assert "researcher" not in widget.comment.value + widget.suggestions.value
        widget.next_button.click()
    assert widget.suggested_filter.layout.display == "none"
    assert widget.suggestion_rows == []
    assert current_codings(tmp_path, "supervisor") == {c: set() for c in COMMENTS["comment_id"]}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"blind_sample": 3}, "needs a seed"),
        ({"blind_sample": 6, "seed": 1}, "from 1 to 5"),
        ({"blind_sample": 0, "seed": 1}, "from 1 to 5"),
        ({"blind_sample": 3, "seed": 1, "suggestions": SUGGESTIONS}, "leave suggestions out"),
    ],
)
def test_bad_blind_options_are_refused(tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        small_session(tmp_path, **options)


# --------------------------------------------------------------------------- inputs


def test_repeated_comment_ids_are_refused(tmp_path: Path) -> None:
    comments = COMMENTS.assign(comment_id=["C1", "C2", "C2", "C4", "C5"])
    with pytest.raises(ValueError, match=r"repeated: \['C2'\]"):
        CodingSession(comments, CODEBOOK, tmp_path, responses=RESPONSES)


def test_groups_need_responses_or_group_columns(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give responses"):
        CodingSession(COMMENTS, CODEBOOK, tmp_path)
    with_groups = COMMENTS.merge(RESPONSES, on=["respondent_id", "year"])
    session = CodingSession(with_groups.drop(columns="respondent_id"), CODEBOOK, tmp_path)
    assert session.current.groups == {"directorate": "Estates", "staff_group": "Nursing"}


# --------------------------------------------------------------------------- the demo package


def test_the_demo_package_is_coded_in_its_own_copy(tmp_path: Path) -> None:
    package = tmp_path / "demo"
    shutil.copytree(DEMO, package)
    widget = coding_widget(package)
    # C00001 was written by respondent 2003-0002: Children and Families, Admin and Clerical
    assert "2003 · Children and Families · Administrative and Clerical" in widget.comment.value
    assert "2003-0002" not in widget.comment.value
    assert widget.session.progress().total == len(pd.read_csv(DEMO / "comments.csv"))
    widget.coder.value = "researcher"
    widget.checkboxes["staffing_levels"].value = True
    widget.next_button.click()
    assert current_codings(package, "researcher") == {"C00001": {"staffing_levels"}}
    assert not (DEMO / "codings").exists()


def test_moving_on_through_10000_comments_takes_under_100_ms(tmp_path: Path) -> None:
    repeats = 10_000 // len(COMMENTS)
    comments = pd.concat([COMMENTS] * repeats, ignore_index=True)
    comments["comment_id"] = [f"C{number}" for number in range(len(comments))]
    responses = pd.concat([RESPONSES] * repeats, ignore_index=True)
    comments["respondent_id"] = responses["respondent_id"] = [
        f"R{number}" for number in range(len(comments))
    ]
    widget = CodingWidget(CodingSession(comments, CODEBOOK, tmp_path, responses=responses))
    widget.coder.value = "researcher"
    seconds = []
    for _ in range(30):
        widget.checkboxes["workload_pressure"].value = True
        start = time.perf_counter()
        widget.next_button.click()
        seconds.append(time.perf_counter() - start)
    assert widget.session.progress().position == 31
    assert statistics.median(seconds) < 0.100, f"median {statistics.median(seconds):.3f} s"


@pytest.mark.slow
def test_the_models_suggestions_feed_the_widget(tmp_path: Path) -> None:
    from analysis.comments import suggest_codes
    from analysis.datapackage import load_data_package

    package = load_data_package(DEMO)
    comments = package.tables["comments"]
    codings = package.tables["codings"]
    researcher = codings[codings["coder"] == "researcher"]
    first_half = researcher[researcher["comment_id"] <= "C00600"]
    suggestions = suggest_codes(comments, first_half, package.codebook)
    # only comments nobody has coded get suggestions, each with a probability in 0..1
    assert set(suggestions["comment_id"]).isdisjoint(first_half["comment_id"])
    assert suggestions["probability"].between(0, 1).all()
    session = CodingSession(
        comments,
        package.codebook,
        tmp_path,
        responses=package.tables["responses"],
        suggestions=suggestions,
    )
    widget = CodingWidget(session)
    widget.coder.value = "researcher"
    likely = suggestions[suggestions["probability"] >= 0.5]
    code = likely["code_id"].value_counts().index[0]
    widget.suggested_filter.value = code
    assert (
        session.progress().view_size
        == likely.loc[likely["code_id"] == code, "comment_id"].nunique()
    )
    shown = session.suggestions()
    position = [c for c, _ in shown].index(code)
    widget.suggestion_rows[position][1].click()  # accept
    assert code in ticked(widget)
    comment_id = session.current.comment_id
    assert current_codings(tmp_path, "researcher") == {comment_id: {code}}
