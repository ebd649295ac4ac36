"""The coding store: every coding decision is kept, on disk, the moment it is made.

Each coder has one append-only log in the data package's ``codings/`` sub-folder, a
JSON-lines file with one *event* per line:

- ``apply``: the coder applied a code to a comment (optionally to a character span of it,
  with a memo);
- ``remove``: the coder took a code off again (a new event: nothing is ever rewritten);
- ``read``: the coder read the comment (with an optional memo), so that a comment read and
  left without a code is known, not guessed;
- ``reject``: the coder turned down a machine suggestion of a code for a comment (the code
  is not applied, and the suggestion is not offered again); a rejection alone does not
  count as reading the comment.

Each event is written with one ``write`` to a file opened for appending, then ``fsync``-ed,
before the call that records it returns: if the kernel dies, every decision acknowledged so
far is on disk. The current codings are derived by replaying the log. A crash in the middle
of a write can leave a partial last line; reading skips it with a warning and keeps every
earlier line, and the next session starts its first event on a fresh line.

Codings made elsewhere (a spreadsheet with one row per comment) are read by
:func:`read_coding_spreadsheet` and written to a coder's log with
:meth:`CodingLog.record_codings`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import warnings
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from analysis.datapackage.codebook import Codebook
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_table
from analysis.problems import Problem

__all__ = [
    "CODINGS_FOLDER",
    "EVENT_KINDS",
    "CodingEvent",
    "CodingLog",
    "CodingImportError",
    "coding_log_path",
    "read_coding_events",
    "coding_history",
    "load_codings",
    "read_coding_spreadsheet",
]

CODINGS_FOLDER = "codings"
"""The data package's sub-folder holding one coding log per coder."""

EVENT_KINDS = ("apply", "remove", "read", "reject")
"""The kinds of event a coding log holds."""

_LOG_SUFFIX = ".jsonl"
_TRUE = {"1", "true"}
_FALSE = {"0", "false"}

Span = tuple[int, int]


@dataclass(frozen=True)
class CodingEvent:
    """One decision in a coder's log.

    Attributes
    ----------
    event
        ``apply``, ``remove``, ``read`` or ``reject``.
    comment_id
        The comment decided on.
    coder
        Who decided.
    time
        When, as an ISO 8601 UTC timestamp with microseconds.
    code_id
        The code applied, removed or rejected; ``None`` for ``read``.
    start, end
        The character span the code applies to (``text[start:end]``), or ``None`` for the
        whole comment.
    memo
        The coder's note: on ``apply``, about this coding; on ``read``, about the comment;
        on ``reject``, about the suggestion turned down.
    """

    event: str
    comment_id: str
    coder: str
    time: str
    code_id: str | None = None
    start: int | None = None
    end: int | None = None
    memo: str = ""

    def to_json(self) -> str:
        """The event as one line of JSON (without the newline); empty fields left out."""
        values = {key: value for key, value in asdict(self).items() if value not in (None, "")}
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, values: Any, where: str) -> CodingEvent:
        """Check one decoded line of a log and return its event.

        Raises
        ------
        ValueError
            Naming ``where`` (file and line), when a field is missing or of the wrong type.
        """
        if not isinstance(values, dict):
            raise ValueError(f"{where}: expected a JSON object (one decision), found {values!r}")
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        problem = f"unknown field(s) {unknown}" if unknown else None
        for name in ("event", "comment_id", "coder", "time"):
            if not isinstance(values.get(name), str) or not values[name]:
                problem = problem or f"'{name}' is missing or not text"
        kind = values.get("event")
        if problem is None and kind not in EVENT_KINDS:
            problem = f"'event' is {kind!r}; expected one of {EVENT_KINDS}"
        if problem is None and (kind == "read") == isinstance(values.get("code_id"), str):
            problem = "'code_id' is required for apply, remove and reject, and absent for read"
        if problem is None:
            try:
                _check_span(_span_of(values.get("start"), values.get("end")))
            except ValueError as error:
                problem = str(error)
        if problem is None and not isinstance(values.get("memo", ""), str):
            problem = "'memo' is not text"
        if problem is not None:
            raise ValueError(f"{where}: {problem}; the log was changed by hand or by another tool")
        return cls(**values)

    @property
    def span(self) -> Span | None:
        """``(start, end)``, or ``None`` when the event is about the whole comment."""
        return _span_of(self.start, self.end)


def _span_of(start: Any, end: Any) -> Span | None:
    return None if start is None and end is None else (start, end)


def _check_span(span: Any) -> Span | None:
    if span is None:
        return None
    if (
        not isinstance(span, tuple | list)
        or len(span) != 2
        or not all(isinstance(value, int) and not isinstance(value, bool) for value in span)
        or not 0 <= span[0] < span[1]
    ):
        raise ValueError(
            f"span must be (start, end) character positions with 0 <= start < end, found {span!r}"
        )
    return (span[0], span[1])


class CodingImportError(ValueError):
    """A coding spreadsheet has problems; carries every problem, each naming row and column.

    Parameters
    ----------
    file
        The spreadsheet's name.
    problems
        The problems found.
    """

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        lines = [f"The codings in {file!r} cannot be imported: {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- reading logs


def coding_log_path(package: Path | str, coder: str) -> Path:
    """The log file of ``coder`` in the data package ``package``.

    The name is the coder's name when it is already lower-case letters, digits and dashes
    (``researcher.jsonl``); otherwise a cleaned-up name plus 8 characters of its SHA-256,
    so that two coders whose names differ only in case or punctuation get two files
    (``AB`` -> ``ab-<hash>.jsonl``).
    """
    coder = _coder_name(coder)
    slug = re.sub(r"[^a-z0-9]+", "-", coder.lower()).strip("-")
    if slug != coder:
        slug = f"{slug or 'coder'}-{hashlib.sha256(coder.encode('utf-8')).hexdigest()[:8]}"
    return Path(package) / CODINGS_FOLDER / (slug + _LOG_SUFFIX)


def _coder_name(coder: Any) -> str:
    if not isinstance(coder, str) or not coder.strip():
        raise ValueError(f"a coder's name (or initials) is required, found {coder!r}")
    return coder.strip()


def read_coding_events(path: Path | str) -> list[CodingEvent]:
    """Read one coder's log, skipping (with a warning) lines cut short by a crash.

    Parameters
    ----------
    path
        A ``.jsonl`` coding log.

    Returns
    -------
    list of CodingEvent
        In the order they were recorded.

    Warns
    -----
    UserWarning
        For each line that is not complete JSON (a write cut short by a crash): the line is
        skipped and every other line kept.

    Raises
    ------
    ValueError
        If a complete line is not a valid event (the file was edited), naming file and line.
    """
    path = Path(path)
    events = []
    for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            warnings.warn(
                f"{path.name}, line {number}: not a complete decision (a write cut short by a "
                f"crash?); skipped it and kept every other line",
                UserWarning,
                stacklevel=2,
            )
            continue
        events.append(CodingEvent.from_json(values, f"{path.name}, line {number}"))
    return events


class _CodingState:
    """The current codings of one coder, derived by replaying events in order."""

    def __init__(self) -> None:
        self.applied: dict[str, dict[tuple[str, Span | None], CodingEvent]] = {}
        self.comment_memos: dict[str, str] = {}
        self.rejected: dict[str, set[str]] = {}

    def replay(self, event: CodingEvent, where: str = "") -> None:
        if event.event == "reject":
            self.rejected.setdefault(event.comment_id, set()).add(str(event.code_id))
            return
        codings = self.applied.setdefault(event.comment_id, {})
        if event.event == "read":
            self.comment_memos[event.comment_id] = event.memo
        elif event.event == "apply":
            codings[(event.code_id, event.span)] = event
        elif codings.pop((event.code_id, event.span), None) is None:
            warnings.warn(
                f"{where}removes code {event.code_id!r} from comment {event.comment_id!r}, "
                f"which was not applied; ignored",
                UserWarning,
                stacklevel=3,
            )

    def has(self, comment_id: str, code_id: str, span: Span | None) -> bool:
        return (code_id, span) in self.applied.get(comment_id, {})

    def codes_of(self, comment_id: str) -> frozenset[str]:
        return frozenset(code for code, _ in self.applied.get(comment_id, {}))

    def comment_rows(self, coder: str) -> list[tuple[str, str, str | None]]:
        rows: list[tuple[str, str, str | None]] = []
        for comment_id, codings in self.applied.items():
            codes = sorted({code for code, _ in codings})
            rows.extend((comment_id, coder, code) for code in codes or [None])
        return rows

    def coding_events(self) -> list[CodingEvent]:
        return [event for codings in self.applied.values() for event in codings.values()]


def _replayed(path: Path) -> tuple[str | None, _CodingState, list[CodingEvent]]:
    """The log's coder (``None`` when it is empty), current state and events."""
    state = _CodingState()
    coder = None
    events = read_coding_events(path)
    for number, event in enumerate(events, start=1):
        if coder is None:
            coder = event.coder
        elif event.coder != coder:
            raise ValueError(
                f"{path.name}: holds decisions of {coder!r} and of {event.coder!r}; a log "
                f"belongs to one coder"
            )
        state.replay(event, f"{path.name}, decision {number}: ")
    return coder, state, events


def _log_files(package: Path | str) -> list[Path]:
    return sorted((Path(package) / CODINGS_FOLDER).glob("*" + _LOG_SUFFIX))


def coding_history(package: Path | str) -> pd.DataFrame:
    """Every decision of every coder, in the order each coder made them.

    Parameters
    ----------
    package
        The data package folder (its ``codings/`` sub-folder is read).

    Returns
    -------
    pandas.DataFrame
        Columns ``event``, ``comment_id``, ``coder``, ``time``, ``code_id``, ``start``,
        ``end``, ``memo``; coders one after another, in file-name order.
    """
    events = [event for path in _log_files(package) for event in read_coding_events(path)]
    return _events_table(events)


def _events_table(events: Iterable[CodingEvent]) -> pd.DataFrame:
    columns = list(CodingEvent.__dataclass_fields__)
    table = pd.DataFrame([asdict(event) for event in events], columns=columns)
    return table.astype({"start": "Int64", "end": "Int64"})


def load_codings(package: Path | str, spans: bool = False) -> pd.DataFrame:
    """The current codings of every coder, derived from the logs.

    Parameters
    ----------
    package
        The data package folder.
    spans
        ``False`` (default): one row per comment, coder and code, as the data package's
        ``codings`` table and :func:`analysis.comments.agreement` read it. ``True``: one row
        per coding, with its span, memo and time.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder``, ``code_id`` (missing where the coder read the
        comment and applied no code, or removed every code); with ``spans=True`` also
        ``start``, ``end``, ``memo`` and ``time``, and no rows for comments without codes.
    """
    rows: list[tuple[str, str, str | None]] = []
    events: list[CodingEvent] = []
    for path in _log_files(package):
        coder, state, _ = _replayed(path)
        if coder is None:
            continue
        rows += state.comment_rows(coder)
        events += state.coding_events()
    if spans:
        detail = _events_table(events)
        return detail[["comment_id", "coder", "code_id", "start", "end", "memo", "time"]]
    table = pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")
    return table


# --------------------------------------------------------------------------- writing logs


class CodingLog:
    """One coder's log: record decisions durably, and see the current codings.

    Parameters
    ----------
    package
        The data package folder; the log is ``codings/<coder>.jsonl`` inside it (the folder
        is created when missing).
    coder
        The coder's name or initials (required).
    codebook
        When given, only its codable codes can be applied.
    comment_ids
        When given, only these comments can be coded.

    Examples
    --------
    >>> import tempfile
    >>> with CodingLog(tempfile.mkdtemp(), "researcher") as log:
    ...     _ = log.apply("C001", "workload_pressure", memo="caseloads")
    ...     _ = log.apply("C001", "staffing_levels")
    ...     _ = log.remove("C001", "staffing_levels")
    ...     sorted(log.codes_of("C001"))
    ['workload_pressure']
    """

    def __init__(
        self,
        package: Path | str,
        coder: str,
        codebook: Codebook | None = None,
        comment_ids: Iterable[str] | None = None,
    ) -> None:
        self.coder = _coder_name(coder)
        self.path = coding_log_path(package, self.coder)
        self.codebook = codebook
        self._codable = frozenset(() if codebook is None else codebook.codable_ids())
        self._comment_ids = None if comment_ids is None else frozenset(map(str, comment_ids))
        folder_created = not self.path.parent.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if folder_created:
            _sync_folder(self.path.parent.parent)
        created = not self.path.exists()
        self._events: list[CodingEvent] = []
        self._state = _CodingState()
        if not created:
            owner, self._state, self._events = _replayed(self.path)
            if owner not in (None, self.coder):
                raise ValueError(f"{self.path} belongs to coder {owner!r}, not {self.coder!r}")
        self._fd: int | None = os.open(
            self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644
        )
        if created:
            _sync_folder(self.path.parent)
        elif not _ends_with_newline(self.path):
            # a crash cut the last line short: end it, so that new decisions start afresh
            self._write(b"\n")

    # -- context manager and closing

    def __enter__(self) -> CodingLog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the log file (every decision is already on disk)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __repr__(self) -> str:
        return f"<CodingLog {self.coder!r}: {len(self._events)} decisions in {self.path}>"

    # -- recording decisions

    def apply(
        self, comment_id: str, code_id: str, span: Span | None = None, memo: str = ""
    ) -> CodingEvent:
        """Apply ``code_id`` to a comment (or to ``text[start:end]``), durably.

        Returns once the decision is on disk. Applying a coding that is already there
        records the new memo.

        Raises
        ------
        ValueError
            For an unknown comment or code, a code that is only a container (a theme), a
            span that is not ``(start, end)`` with ``0 <= start < end``, or a closed log.
        """
        event = self._event("apply", comment_id, code_id, span, memo)
        self._record([event])
        return event

    def remove(self, comment_id: str, code_id: str, span: Span | None = None) -> CodingEvent:
        """Take ``code_id`` off a comment (the same span it was applied to), durably.

        Raises
        ------
        ValueError
            If that coding is not currently applied.
        """
        event = self._event("remove", comment_id, code_id, span, "")
        if not self._state.has(event.comment_id, event.code_id, event.span):
            where = "" if event.span is None else f" at {event.span}"
            raise ValueError(
                f"code {event.code_id!r} is not applied to comment {event.comment_id!r}{where} "
                f"by {self.coder!r}; nothing to remove"
            )
        self._record([event])
        return event

    def mark_read(self, comment_id: str, memo: str = "") -> CodingEvent:
        """Record that the coder read the comment (so no code means none applies), durably."""
        event = self._event("read", comment_id, None, None, memo)
        self._record([event])
        return event

    def reject(self, comment_id: str, code_id: str, memo: str = "") -> CodingEvent:
        """Record that the coder turned down a suggestion of ``code_id``, durably.

        Nothing is applied or removed: a code the coder applied stays applied. The comment
        does not count as read until the coder reads or codes it.
        """
        event = self._event("reject", comment_id, code_id, None, memo)
        self._record([event])
        return event

    def record_codings(self, codings: pd.DataFrame) -> int:
        """Make this coder's codes of each listed comment exactly those in ``codings``.

        For bulk imports (a spreadsheet, a reconciliation): the events needed (``apply`` for
        new codes, ``remove`` for codes no longer wanted, ``read`` for comments left without
        codes) are written together with one ``fsync``. Recording the same table twice
        writes nothing the second time.

        Parameters
        ----------
        codings
            Columns ``comment_id`` and ``code_id`` (missing where the comment has no code);
            a ``coder`` column, if present, must hold this log's coder only.

        Returns
        -------
        int
            The number of events written.
        """
        missing = {"comment_id", "code_id"} - set(codings.columns)
        if missing:
            raise ValueError(f"codings lack the column(s) {sorted(missing)}")
        if "coder" in codings.columns:
            others = sorted(set(codings["coder"].dropna().astype(str)) - {self.coder})
            if others:
                raise ValueError(f"codings hold coder(s) {others}; this log is {self.coder!r}")
        wanted: dict[str, set[str]] = {}
        for comment_id, code_id in zip(codings["comment_id"], codings["code_id"], strict=True):
            codes = wanted.setdefault(_text(comment_id, "comment_id"), set())
            if not pd.isna(code_id):
                codes.add(str(code_id))
        events = []
        for comment_id, codes in wanted.items():
            current = self._state.applied.get(comment_id, {})
            for code_id, span in sorted(current, key=str):
                if code_id not in codes:
                    events.append(self._event("remove", comment_id, code_id, span, ""))
            for code_id in sorted(codes - self._state.codes_of(comment_id)):
                events.append(self._event("apply", comment_id, code_id, None, ""))
            if not codes and comment_id not in self._state.applied:
                events.append(self._event("read", comment_id, None, None, ""))
        self._record(events)
        return len(events)

    def _event(self, kind: str, comment_id: Any, code_id: Any, span: Any, memo: Any) -> CodingEvent:
        comment_id = _text(comment_id, "comment_id")
        if self._comment_ids is not None and comment_id not in self._comment_ids:
            raise ValueError(f"comment {comment_id!r} is not one of the comments being coded")
        if code_id is not None:
            code_id = _text(code_id, "code_id")
            self._check_code(code_id)
        if not isinstance(memo, str):
            raise ValueError(f"a memo must be text, found {memo!r}")
        span = _check_span(span)
        start, end = span if span is not None else (None, None)
        time = datetime.now(UTC).isoformat(timespec="microseconds")
        return CodingEvent(kind, comment_id, self.coder, time, code_id, start, end, memo.strip())

    def _check_code(self, code_id: str) -> None:
        if self.codebook is None or code_id in self._codable:
            return
        if code_id in self.codebook:
            raise ValueError(
                f"'{code_id}' ({self.codebook[code_id].label}) only groups codes; apply one of "
                f"its codes: {[code.id for code in self.codebook.children(code_id)]}"
            )
        close = difflib.get_close_matches(code_id, sorted(self._codable), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{code_id}' is not a code of the codebook{hint}")

    def _record(self, events: Sequence[CodingEvent]) -> None:
        if not events:
            return
        self._write("".join(event.to_json() + "\n" for event in events).encode("utf-8"))
        for event in events:
            self._state.replay(event)
        self._events.extend(events)

    def _write(self, data: bytes) -> None:
        """Append ``data`` with as many ``write`` calls as it takes, then ``fsync``."""
        descriptor = self._fd
        if descriptor is None:
            raise ValueError(f"the coding log of {self.coder!r} is closed; open it again")
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)

    # -- the current state

    def codes_of(self, comment_id: str) -> frozenset[str]:
        """The codes this coder currently has on a comment (any span)."""
        return self._state.codes_of(str(comment_id))

    def codings_of(self, comment_id: str) -> tuple[CodingEvent, ...]:
        """The ``apply`` events in force on a comment: one per code and span."""
        return tuple(self._state.applied.get(str(comment_id), {}).values())

    def rejected_codes(self, comment_id: str) -> frozenset[str]:
        """The codes whose suggestion this coder turned down for a comment."""
        return frozenset(self._state.rejected.get(str(comment_id), ()))

    def is_read(self, comment_id: str) -> bool:
        """Whether this coder has read (or coded) the comment."""
        return str(comment_id) in self._state.applied

    @property
    def read_comments(self) -> frozenset[str]:
        """The comments this coder has read or coded."""
        return frozenset(self._state.applied)

    def comment_memo(self, comment_id: str) -> str:
        """The memo of the latest ``read`` of a comment, or ``""``."""
        return self._state.comment_memos.get(str(comment_id), "")

    def history(self) -> pd.DataFrame:
        """Every decision of this coder, in order (see :func:`coding_history`)."""
        return _events_table(self._events)

    def codings(self) -> pd.DataFrame:
        """The current codings, one row per comment and code (see :func:`load_codings`)."""
        rows = self._state.comment_rows(self.coder)
        return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")


def _text(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{name} must be text, found {value!r}")
    text = str(value).strip()
    if not text:
        raise ValueError(f"{name} is blank")
    return text


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as file:
        if file.seek(0, os.SEEK_END) == 0:
            return True
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


def _sync_folder(folder: Path) -> None:
    """Make a new file's entry in its folder durable (POSIX; a no-op where unsupported)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------- spreadsheets


def read_coding_spreadsheet(
    path: Path | str,
    codebook: Codebook,
    coder: str,
    comment_column: str = "comment_id",
    codes_column: str | None = None,
    separator: str = ";",
    ignore_columns: Collection[str] = (),
    comment_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read codings made elsewhere: a spreadsheet with one row per comment.

    Two layouts are read:

    - a *codes column* (``codes_column`` given): each cell lists the codes applied,
      separated by ``separator`` (blank: the comment was read and no code applies); other
      columns are ignored;
    - a *column per code* (``codes_column=None``): every column other than
      ``comment_column`` and ``ignore_columns`` is a code, its cells ``1`` (applied) or
      ``0`` or blank (not applied); ``TRUE``/``FALSE`` are read too.

    Codes are named by id or by label.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8 or Windows-1252) or ``.xlsx`` file (first worksheet).
    codebook
        The codebook the codes must belong to.
    coder
        Who made the codings.
    comment_column
        The column holding comment ids.
    codes_column, separator
        See above.
    ignore_columns
        Columns that are not codes, in the column-per-code layout.
    comment_ids
        The comments of the data package; when given, every row must be one of them.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder``, ``code_id`` (missing for a comment with no
        code), ready for :meth:`CodingLog.record_codings` or
        :func:`analysis.comments.agreement`.

    Raises
    ------
    CodingImportError
        Listing every problem by row and column: a missing column, a blank, repeated or
        unknown comment id, an unknown code, a theme that only groups codes, a cell that
        is not 0 or 1.
    """
    path = Path(path)
    file = path.name
    coder = _coder_name(coder)
    log = ProblemLog()
    cells = read_table(path, path.read_bytes(), file, log)
    if cells is None:
        raise CodingImportError(file, log.problems())
    for column in (comment_column, codes_column):
        if column is not None and column not in cells.columns:
            log.add(file, _no_column(column, cells.columns), row=1)
    known = None if comment_ids is None else frozenset(map(str, comment_ids))
    codes = _CodeNames(codebook)
    code_columns: list[str] = []
    column_codes: dict[str, str | None] = {}
    if codes_column is None:
        code_columns = [
            column
            for column in cells.columns
            if column != comment_column and column not in ignore_columns
        ]
        column_codes = {column: codes.find(column, file, 1, column, log) for column in code_columns}
    if log:
        raise CodingImportError(file, log.problems())

    rows: list[tuple[str, str, str | None]] = []
    first_row: dict[str, int] = {}
    code_cells = cells[code_columns if codes_column is None else [codes_column]]
    for index, value, row_cells in zip(
        cells.index, cells[comment_column].tolist(), code_cells.to_numpy(object), strict=True
    ):
        row, comment_id = spreadsheet_row(index), _cell_text(value)
        if not _known_comment(comment_id, row, known, first_row, file, comment_column, log):
            continue
        if codes_column is None:
            applied = _applied_columns(
                dict(zip(code_columns, row_cells, strict=True)), row, file, log
            )
            found = [column_codes[column] for column in applied]
        else:
            listed = _cell_text(row_cells[0]) or ""
            names = [name.strip() for name in listed.split(separator) if name.strip()]
            found = [codes.find(name, file, row, codes_column, log) for name in names]
        rows.extend(
            (comment_id, coder, code) for code in sorted(set(filter(None, found))) or [None]
        )
    if log:
        raise CodingImportError(file, log.problems())
    return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")


def _no_column(column: str, found: Iterable[Any]) -> str:
    close = difflib.get_close_matches(column, [str(name) for name in found], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"no column '{column}'{hint}"


def _known_comment(
    comment_id: str | None,
    row: int,
    known: frozenset[str] | None,
    first_row: dict[str, int],
    file: str,
    column: str,
    log: ProblemLog,
) -> bool:
    if comment_id is None:
        log.add(file, "the comment id is blank", row, column, kind="blank comment")
        return False
    if comment_id in first_row:
        message = f"comment {comment_id!r} is listed again (first in row {first_row[comment_id]})"
        log.add(file, message + "; expected one row per comment", row, column, kind="repeated")
        return False
    first_row[comment_id] = row
    if known is not None and comment_id not in known:
        message = f"{comment_id!r} is not a comment_id of the comments table"
        log.add(file, message, row, column, kind="unknown comment")
        return False
    return True


def _applied_columns(values: dict[str, Any], row: int, file: str, log: ProblemLog) -> list[str]:
    applied = []
    for column, value in values.items():
        text = (_cell_text(value) or "0").lower()
        if text in _TRUE:
            applied.append(str(column))
        elif text not in _FALSE:
            log.add(file, f"expected 1 (applied) or 0, found {value!r}", row, str(column), "0/1")
    return applied


class _CodeNames:
    """Finds a codable code by its id, or else by its label."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        labels: dict[str, list[str]] = {}
        for code in codebook:
            labels.setdefault(code.label, []).append(code.id)
        self.by_label = {label: ids[0] for label, ids in labels.items() if len(ids) == 1}

    def find(self, name: str, file: str, row: int, column: str, log: ProblemLog) -> str | None:
        code_id = name if name in self.codebook else self.by_label.get(name)
        if code_id is None:
            names = [code.id for code in self.codebook if code.codable]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            if row == 1:
                hint += " (if this column is not a code, list it in ignore_columns)"
            log.add(file, f"{name!r} is not a code of the codebook{hint}", row, column, name)
            return None
        if not self.codebook[code_id].codable:
            message = f"{name!r} is a theme that only groups codes; apply one of its codes"
            log.add(file, message, row, column, name)
            return None
        return code_id


def _cell_text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None
