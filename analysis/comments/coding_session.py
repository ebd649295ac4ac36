"""The coding session: the coding widget's logic, with no widgets.

:class:`CodingSession` holds which comments are shown (filters, the blind second coder's
seeded sample), in what order, where the coder is, their progress, and what each decision
writes to the coder's :class:`~analysis.datapackage.coding_logs.CodingLog`. It can be driven
and tested from plain Python; :class:`analysis.comments.widget.CodingWidget` is its face in
JupyterLab, and :mod:`analysis.comments.widget` says what each action records.

Privacy: a comment is shown with its year, question and group (directorate and staff group
by default), never with its respondent's identifier, and its text passes
:func:`analysis.comments.redact` before it is shown (``redact_text=False`` turns this off).
In blind mode the session reads only the coder's own log: another coder's codes, and a
model's suggestions, are never shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.comments.redaction import Identifier, find_identifiers, redact
from analysis.datapackage.codebook import Codebook
from analysis.datapackage.coding_logs import CodingLog, Span

__all__ = [
    "GROUP_COLUMNS",
    "NOT_STATED",
    "ShownComment",
    "Progress",
    "PassageCoding",
    "locate_passage",
    "CodingSession",
]


GROUP_COLUMNS = ("directorate", "staff_group")
"""The respondent columns shown beside a comment and offered as filters, by default."""

NOT_STATED = "not stated"
"""What is shown for a blank group."""


def locate_passage(text: str, passage: str, identifiers: Sequence[Identifier] = ()) -> Span:
    """Where a passage the coder pasted or typed sits in a comment: ``(start, end)``.

    The match ignores case and treats any run of spaces and line breaks as one space, so a
    passage copied from the widget (where lines may wrap) is found. A passage copied from
    the redacted comment the widget shows (``Ring [NAME] on [PHONE]``) is found there, and
    its span is mapped back to the comment as written: a placeholder stands for the
    identifier it hides.

    Parameters
    ----------
    text
        The comment as written.
    passage
        The passage.
    identifiers
        The identifiers redacted from the comment shown
        (:func:`analysis.comments.find_identifiers` of ``text``); none when it is shown as
        written.

    Returns
    -------
    tuple of int
        ``text[start:end]`` is the passage as it stands in the comment.

    Raises
    ------
    ValueError
        If the passage is blank, is not in the comment, or is in it more than once (then a
        longer passage tells which one is meant).

    Examples
    --------
    >>> text = "Karen, my manager, is great.  But the car park is full."
    >>> start, end = locate_passage(text, "the car  park")
    >>> text[start:end]
    'the car park'
    >>> from analysis.comments.redaction import find_identifiers
    >>> locate_passage(text, "[NAME], my manager", find_identifiers(text))
    (0, 17)
    """
    words = passage.split()
    if not words:
        raise ValueError("type or paste a passage of the comment to code")
    pattern = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
    found = [match.span() for match in pattern.finditer(text)]
    if not found and identifiers:
        pieces = _redaction_pieces(text, identifiers)
        shown = "".join(part for part, *_ in pieces)
        found = [
            (_written(pieces, start, at_end=False), _written(pieces, end, at_end=True))
            for start, end in (match.span() for match in pattern.finditer(shown))
        ]
    quoted = passage if len(passage) <= 60 else passage[:57] + "..."
    if not found:
        raise ValueError(
            f"the passage {quoted!r} is not in this comment: copy it from the comment shown "
            "(spacing and capitals do not matter)"
        )
    if len(found) > 1:
        raise ValueError(
            f"the passage {quoted!r} is in this comment {len(found)} times: add words "
            "before or after it so that it is found once"
        )
    return found[0]


_Piece = tuple[str, int, int, int, int, bool]


def _redaction_pieces(text: str, identifiers: Sequence[Identifier]) -> list[_Piece]:
    """The redacted comment in pieces: (shown text, shown start, shown end, written start,
    written end, is a placeholder)."""
    pieces: list[_Piece] = []
    shown_at = position = 0
    parts = []
    for identifier in identifiers:
        parts.append((text[position : identifier.start], position, identifier.start, False))
        parts.append((f"[{identifier.kind}]", identifier.start, identifier.end, True))
        position = identifier.end
    parts.append((text[position:], position, len(text), False))
    for part, start, end, placeholder in parts:
        pieces.append((part, shown_at, shown_at + len(part), start, end, placeholder))
        shown_at += len(part)
    return pieces


def _written(pieces: Sequence[_Piece], position: int, at_end: bool) -> int:
    """A position in the redacted comment as a position in the comment as written."""
    for _, shown_start, shown_end, start, end, placeholder in pieces:
        if shown_start <= position < shown_end or (at_end and position == shown_end):
            if placeholder:  # the whole identifier
                return end if at_end else start
            return start + position - shown_start
    return pieces[-1][4]


@dataclass(frozen=True)
class ShownComment:
    """The comment a coder sees: no respondent identifier.

    Attributes
    ----------
    comment_id
        The comment's id, used to record decisions (not shown by the widget).
    year
        The survey year.
    question
        The free-text question answered (``""`` when the table has none).
    text
        The comment, redacted unless the session was made with ``redact_text=False``.
    groups
        Group column to the respondent's group, e.g. ``{"directorate": "Community Nursing"}``.
    """

    comment_id: str
    year: int
    question: str
    text: str
    groups: dict[str, str]


@dataclass(frozen=True)
class Progress:
    """Where the coder is and how much is done.

    Attributes
    ----------
    position
        1-based position of the current comment in the view (0 when the view is empty).
    view_size
        Comments in the view (after filters).
    decided_in_view
        Comments in the view this coder has decided (coded, or read and left without a code).
    decided
        Comments this coder has decided among all the session's comments (the sample, in
        blind mode).
    total
        The session's comments (the sample size, in blind mode).
    """

    position: int
    view_size: int
    decided_in_view: int
    decided: int
    total: int

    def __str__(self) -> str:
        return (
            f"Comment {self.position:,} of {self.view_size:,} in this view · "
            f"{self.decided_in_view:,} of {self.view_size:,} decided here · "
            f"{self.decided:,} of {self.total:,} decided in all"
        )


@dataclass(frozen=True)
class PassageCoding:
    """A code applied to part of the current comment.

    Attributes
    ----------
    code_id
        The code.
    span
        ``(start, end)`` in the comment as written.
    text
        The passage as shown (redacted when the comment is shown redacted).
    memo
        The coder's note on this coding.
    """

    code_id: str
    span: Span
    text: str
    memo: str


class CodingSession:
    """One coder's pass over a set of comments: filters, order, navigation and decisions.

    Parameters
    ----------
    comments
        Columns ``comment_id`` (unique), ``year`` and ``text``; ``question`` and
        ``respondent_id`` when present. Row order is the order of coding (except in blind
        mode).
    codebook
        The codebook; its codable codes are the ones that can be applied.
    folder
        The data package folder: each coder's log is written to its ``codings/`` sub-folder.
    responses
        Columns ``respondent_id``, ``year`` and ``group_columns``, to look up each comment's
        group. Not needed when ``comments`` already has the group columns.
    group_columns
        The groups shown and offered as filters (never an identifier).
    suggestions
        Machine suggestions (as :func:`analysis.comments.suggest_codes` gives): columns
        ``comment_id``, ``code_id`` and optionally ``probability`` (0 to 1). Those at or
        above ``min_probability`` are shown and can be filtered on; the coder accepts or
        rejects each (:meth:`accept_suggestion`, :meth:`reject_suggestion`). Not allowed in
        blind mode.
    min_probability
        The lowest probability of a suggestion that is shown.
    blind_sample
        Blind mode for the second coder: code a random sample of this many comments, in a
        random order, seeing no one else's codes or suggestions.
    seed
        The sample's seed, required in blind mode so that reopening the notebook gives the
        same sample.
    redact_text
        Redact personal identifiers from each comment before it is shown (default).

    Attributes
    ----------
    codebook, folder, group_columns, redact_text, min_probability
        As given.
    memo
        The memo typed for the current comment (saved as :meth:`next` describes).
    filters
        The filters in force, as given to :meth:`set_filters` (those not off).

    Raises
    ------
    ValueError
        For a missing column, repeated comment ids, a group that cannot be looked up,
        suggestions with unknown comments or codes or probabilities outside 0..1, or a blind
        sample without a seed, of a size outside 1..number of comments, or with suggestions.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.datapackage.codebook import Code, Codebook
    >>> book = Codebook([Code("WORK", "Workload", codable=False),
    ...                  Code("workload_pressure", "Workload and time pressure", parent="WORK")])
    >>> comments = pd.DataFrame({"comment_id": ["C1", "C2"], "year": [2008, 2008],
    ...     "text": ["Too busy", "Fine"], "directorate": ["Estates", "Estates"],
    ...     "staff_group": ["Nursing", None]})
    >>> session = CodingSession(comments, book, tempfile.mkdtemp())
    >>> session.set_coder("researcher")
    >>> session.apply("workload_pressure"); session.next(); session.next()
    True
    False
    >>> str(session.progress())
    'Comment 2 of 2 in this view · 2 of 2 decided here · 2 of 2 decided in all'
    """

    def __init__(
        self,
        comments: pd.DataFrame,
        codebook: Codebook,
        folder: Path | str,
        *,
        responses: pd.DataFrame | None = None,
        group_columns: Sequence[str] = GROUP_COLUMNS,
        suggestions: pd.DataFrame | None = None,
        min_probability: float = 0.5,
        blind_sample: int | None = None,
        seed: int | None = None,
        redact_text: bool = True,
    ) -> None:
        _require_columns(comments, ("comment_id", "year", "text"), "comments")
        comments = comments.reset_index(drop=True)
        self.codebook = codebook
        self.folder = Path(folder)
        self.group_columns = tuple(group_columns)
        self.redact_text = redact_text
        self._ids = comments["comment_id"].astype(str).to_numpy(dtype=object)
        repeated = pd.Series(self._ids).duplicated()
        if repeated.any():
            raise ValueError(
                f"comment_id must be unique; repeated: {sorted(set(self._ids[repeated]))[:5]}"
            )
        self._years = comments["year"].to_numpy(dtype=np.int64)
        self._texts = comments["text"].fillna("").astype(str).tolist()
        questions = (
            comments["question"] if "question" in comments else pd.Series([""] * len(comments))
        )
        self._questions = questions.fillna("").astype(str).tolist()
        self._groups = _group_labels(comments, responses, self.group_columns)
        self._position_of = {comment_id: i for i, comment_id in enumerate(self._ids)}
        self._shown_text: dict[int, str] = {}
        if blind_sample is not None and suggestions is not None:
            raise ValueError(
                "blind mode never shows other coders' codes, and a model's suggestions are "
                "codes of another coder: leave suggestions out for the blind second coder"
            )
        self.min_probability = min_probability
        self._suggestions = self._read_suggestions(suggestions)
        self._sample = self._blind_sample(blind_sample, seed)
        self._log: CodingLog | None = None
        self._decided = np.zeros(len(self._ids), dtype=bool)
        self._drafts: dict[str, str] = {}
        self.memo = ""
        self.filters: dict[str, Any] = {}
        self._view = self._sample.copy()
        self._index = 0
        self._load_memo()

    @classmethod
    def from_package(cls, folder: Path | str, **options: Any) -> CodingSession:
        """A session on a data package's comments, codebook and respondents' groups.

        Parameters
        ----------
        folder
            The data package folder (it must have ``comments`` and ``codebook.yml``).
        **options
            Keyword arguments of :class:`CodingSession`.

        Raises
        ------
        analysis.problems.DataPackageError
            If the package does not validate.
        ValueError
            If it has no comments table or no codebook.
        """
        from analysis.datapackage import load_data_package

        folder = Path(folder)
        package = load_data_package(folder)
        if package.comments is None:
            raise ValueError(f"{folder} has no comments table; there is nothing to code")
        if package.codebook is None:  # the package read and checked codebook.yml
            raise ValueError(f"{folder} has no codebook.yml; write one before coding")
        return cls(
            package.comments,
            package.codebook,
            folder,
            responses=package.responses,
            **options,
        )

    # -- set-up helpers

    def _read_suggestions(
        self, suggestions: pd.DataFrame | None
    ) -> dict[str, list[tuple[str, float]]]:
        if suggestions is None:
            return {}
        _require_columns(suggestions, ("comment_id", "code_id"), "suggestions")
        suggestions = suggestions.reset_index(drop=True)
        if not 0 <= self.min_probability <= 1:
            raise ValueError(f"min_probability must be between 0 and 1, got {self.min_probability}")
        table = suggestions.assign(
            comment_id=suggestions["comment_id"].astype(str),
            code_id=suggestions["code_id"].astype(str),
            probability=suggestions.get("probability", 1.0),
        )
        unknown_comments = sorted(set(table["comment_id"]) - set(self._position_of))
        codable = set(self.codebook.codable_ids())
        unknown_codes = sorted(set(table["code_id"]) - codable)
        probabilities = pd.to_numeric(table["probability"], errors="coerce")
        problems = []
        if unknown_comments:
            problems.append(f"comment ids not among the comments: {unknown_comments[:5]}")
        if unknown_codes:
            problems.append(f"code ids not codable in the codebook: {unknown_codes[:5]}")
        if not probabilities.between(0, 1).all():
            problems.append("probabilities must be numbers from 0 to 1")
        if problems:
            raise ValueError("the suggestions table has problems: " + "; ".join(problems))
        shown = table[probabilities >= self.min_probability]
        shown = shown.assign(probability=probabilities).sort_values("probability", ascending=False)
        found: dict[str, list[tuple[str, float]]] = {}
        for comment_id, code_id, probability in shown[
            ["comment_id", "code_id", "probability"]
        ].itertuples(index=False):
            found.setdefault(comment_id, []).append((code_id, float(probability)))
        return found

    def _blind_sample(self, size: int | None, seed: int | None) -> np.ndarray:
        count = len(self._ids)
        if size is None:
            return np.arange(count)
        if seed is None:
            raise ValueError(
                "blind mode needs a seed (e.g. seed=2008) so that the same sample comes back "
                "when the notebook is reopened"
            )
        if (
            isinstance(size, bool)
            or not isinstance(size, int | np.integer)
            or not 1 <= size <= count
        ):
            raise ValueError(f"blind_sample must be a whole number from 1 to {count}, got {size!r}")
        return np.random.default_rng(seed).choice(count, size=int(size), replace=False)

    # -- the coder

    @property
    def coder(self) -> str | None:
        """The coder's name, or ``None`` until :meth:`set_coder` is called."""
        return None if self._log is None else self._log.coder

    def set_coder(self, coder: str) -> None:
        """Open (or create) ``coder``'s log, and show the view again for them.

        Raises
        ------
        ValueError
            If the name is blank, or the log belongs to someone else.
        """
        log = CodingLog(self.folder, coder, self.codebook, self._ids.tolist())
        self.close()
        self._log = log
        self._drafts = {}
        self._decided = np.isin(self._ids, np.asarray(list(log.read_comments), dtype=object))
        self.set_filters(**self.filters)

    def _coding_log(self) -> CodingLog:
        if self._log is None:
            raise ValueError("set the coder's name first: nothing is coded until it is set")
        return self._log

    def close(self) -> None:
        """Close the coder's log (every decision is already on disk)."""
        if self._log is not None:
            self._log.close()
            self._log = None

    # -- filters and order

    def set_filters(
        self,
        *,
        uncoded_only: bool = False,
        code: str | None = None,
        year: int | None = None,
        group: tuple[str, str] | None = None,
        suggested: str | None = None,
    ) -> int:
        """Show only the comments that pass every filter given, and go to the first.

        Parameters
        ----------
        uncoded_only
            Only comments this coder has not decided yet.
        code
            Only comments this coder has applied ``code`` to.
        year
            Only comments of this survey year.
        group
            ``(column, value)``, e.g. ``("directorate", "Estates")``; ``NOT_STATED`` for blank.
        suggested
            Only comments with this code among the suggestions shown.

        Returns
        -------
        int
            The number of comments in the view.

        Raises
        ------
        ValueError
            For a code that is not codable, an unknown group column, ``suggested`` without
            a suggestions table, or ``uncoded_only`` / ``code`` before the coder is set.
        """
        keep = np.ones(len(self._ids), dtype=bool)
        if uncoded_only:
            self._coding_log()
            keep &= ~self._decided
        if code is not None:
            codings = self._coding_log().codings()
            if code not in self.codebook.codable_ids():
                raise ValueError(f"{code!r} is not a codable code of the codebook")
            coded = codings.loc[codings["code_id"] == code, "comment_id"].to_numpy(dtype=object)
            keep &= np.isin(self._ids, coded)
        if year is not None:
            keep &= self._years == year
        if group is not None:
            column, value = group
            if column not in self._groups:
                raise ValueError(f"{column!r} is not a group column; they are {self.group_columns}")
            keep &= self._groups[column] == value
        if suggested is not None:
            if not self._suggestions:
                raise ValueError("no suggestions table was given to this session")
            with_code = [
                c for c, found in self._suggestions.items() if any(s == suggested for s, _ in found)
            ]
            keep &= np.isin(self._ids, np.asarray(with_code, dtype=object))
        self.filters = {
            name: value
            for name, value in dict(
                uncoded_only=uncoded_only, code=code, year=year, group=group, suggested=suggested
            ).items()
            if value not in (None, False)
        }
        self._view = self._sample[keep[self._sample]]
        self._index = 0
        self._load_memo()
        return len(self._view)

    @property
    def years(self) -> list[int]:
        """The survey years among the session's comments."""
        return sorted({int(year) for year in self._years[self._sample]})

    def group_values(self, column: str) -> list[str]:
        """The groups of ``column`` among the session's comments, ``NOT_STATED`` last."""
        values = set(self._groups[column][self._sample].tolist())
        return sorted(values - {NOT_STATED}) + ([NOT_STATED] if NOT_STATED in values else [])

    @property
    def suggested_codes(self) -> list[str]:
        """The codes among the suggestions shown, in codebook order."""
        found = {code for shown in self._suggestions.values() for code, _ in shown}
        return [code for code in self.codebook.codable_ids() if code in found]

    # -- the current comment

    @property
    def current(self) -> ShownComment | None:
        """The comment shown, or ``None`` when no comment passes the filters."""
        if not len(self._view):
            return None
        position = int(self._view[self._index])
        if position not in self._shown_text:
            text = self._texts[position]
            self._shown_text[position] = redact(text) if self.redact_text else text
        return ShownComment(
            comment_id=self._ids[position],
            year=int(self._years[position]),
            question=self._questions[position],
            text=self._shown_text[position],
            groups={column: str(values[position]) for column, values in self._groups.items()},
        )

    def _current_id(self) -> str | None:
        return self._ids[self._view[self._index]] if len(self._view) else None

    def applied_codes(self) -> frozenset[str]:
        """The codes this coder has on the current comment (none before the coder is set)."""
        comment_id = self._current_id()
        if self._log is None or comment_id is None:
            return frozenset()
        return self._log.codes_of(comment_id)

    @property
    def most_suggestions(self) -> int:
        """The most suggestions shown for one comment."""
        return max((len(found) for found in self._suggestions.values()), default=0)

    def suggestions(self) -> list[tuple[str, float]]:
        """The open suggestions ``(code_id, probability)`` for the current comment, likeliest
        first: those the coder has neither applied nor rejected."""
        comment_id = self._current_id()
        if comment_id is None:
            return []
        found = self._suggestions.get(comment_id, [])
        if self._log is None or not found:
            return list(found)
        settled = self._log.codes_of(comment_id) | self._log.rejected_codes(comment_id)
        return [(code, p) for code, p in found if code not in settled]

    def _open_suggestion(self, code_id: str) -> float:
        for code, probability in self.suggestions():
            if code == code_id:
                return probability
        raise ValueError(f"{code_id!r} is not an open suggestion for this comment")

    def accept_suggestion(self, code_id: str) -> None:
        """Apply a suggested code to the current comment, noting the model's probability."""
        probability = self._open_suggestion(code_id)
        self._decide(
            lambda log, comment_id: log.apply(
                comment_id, code_id, memo=f"accepted suggestion (p = {probability:.2f})"
            )
        )

    def reject_suggestion(self, code_id: str) -> None:
        """Turn down a suggested code: recorded at once, and not offered again.

        The comment stays undecided until the coder codes it or presses next.
        """
        probability = self._open_suggestion(code_id)
        self._coding_log().reject(
            str(self._current_id()), code_id, memo=f"suggestion (p = {probability:.2f})"
        )

    def passages(self) -> list[PassageCoding]:
        """The codes this coder applied to parts of the current comment, in text order."""
        comment_id = self._current_id()
        if self._log is None or comment_id is None:
            return []
        position = int(self._view[self._index])
        text = self._texts[position]
        found = []
        for event in self._log.codings_of(comment_id):
            span = event.span
            if span is None:
                continue
            part = text[span[0] : span[1]]
            shown = redact(part) if self.redact_text else part
            found.append(PassageCoding(str(event.code_id), span, shown, event.memo))
        return sorted(found, key=lambda coding: (coding.span, coding.code_id))

    def code_passage(self, code_id: str, passage: str, memo: str = "") -> PassageCoding:
        """Apply a code to a passage of the current comment (on disk before this returns).

        Parameters
        ----------
        code_id
            The code.
        passage
            The passage, pasted or typed; found by :func:`locate_passage`.
        memo
            A note on this coding.

        Raises
        ------
        ValueError
            If no comment is shown, the coder is not set, the code is not codable, or the
            passage is not found exactly once.
        """
        self._coding_log()
        if self._current_id() is None:
            raise ValueError("no comment is shown: change the filters")
        text = self._texts[int(self._view[self._index])]
        span = locate_passage(text, passage, find_identifiers(text) if self.redact_text else ())
        self._decide(lambda log, comment_id: log.apply(comment_id, code_id, span=span, memo=memo))
        return next(c for c in self.passages() if (c.code_id, c.span) == (code_id, span))

    def remove_passage(self, code_id: str, span: Span) -> None:
        """Take a code off a passage of the current comment (on disk before this returns)."""
        self._decide(lambda log, comment_id: log.remove(comment_id, code_id, span=span))

    # -- decisions

    def apply(self, code_id: str) -> None:
        """Apply a code to the current comment (on disk before this returns)."""
        self._decide(lambda log, comment_id: log.apply(comment_id, code_id))

    def remove(self, code_id: str) -> None:
        """Take a code off the current comment (on disk before this returns).

        Raises
        ------
        ValueError
            If the code is not applied, or was applied to a part of the comment only.
        """

        def record(log: CodingLog, comment_id: str) -> None:
            try:
                log.remove(comment_id, code_id)
            except ValueError:
                if code_id not in log.codes_of(comment_id):
                    raise
                raise ValueError(
                    f"{code_id!r} was applied to a part of this comment, not all of it; "
                    f"remove it where it was applied"
                ) from None

        self._decide(record)

    def _decide(self, record: Callable[[CodingLog, str], object]) -> None:
        log = self._coding_log()
        comment_id = self._current_id()
        if comment_id is None:
            raise ValueError("no comment is shown: change the filters")
        record(log, comment_id)
        self._decided[self._view[self._index]] = True

    def _save_memo(self, finished: bool) -> None:
        """Record the decision (``finished``) or keep the memo of the comment being left."""
        log = self._coding_log()
        comment_id = self._current_id()
        if comment_id is None:
            return
        decided = bool(self._decided[self._view[self._index]])
        changed = self.memo.strip() != log.comment_memo(comment_id)
        if (finished and not decided) or (decided and changed):
            log.mark_read(comment_id, self.memo)
            self._decided[self._view[self._index]] = True
            self._drafts.pop(comment_id, None)
        elif not decided and self.memo.strip():
            self._drafts[comment_id] = self.memo
        elif not decided:
            self._drafts.pop(comment_id, None)

    def _load_memo(self) -> None:
        comment_id = self._current_id()
        if comment_id is None or self._log is None:
            self.memo = ""
        else:
            self.memo = self._drafts.get(comment_id, self._log.comment_memo(comment_id))

    def _move(self, step: int, finished: bool) -> bool:
        self._save_memo(finished)
        target = self._index + step
        if not 0 <= target < len(self._view):
            return False
        self._index = target
        self._load_memo()
        return True

    def next(self) -> bool:
        """Finish the current comment (recorded as read, with the memo) and show the next.

        Returns
        -------
        bool
            ``False`` when it was the last comment of the view (the decision is still kept).
        """
        return self._move(1, finished=True)

    def skip(self) -> bool:
        """Show the next comment, leaving this one undecided; ``False`` at the end."""
        return self._move(1, finished=False)

    def previous(self) -> bool:
        """Show the previous comment, leaving this one as it is; ``False`` at the start."""
        return self._move(-1, finished=False)

    def progress(self) -> Progress:
        """Where the coder is in the view and how much they have decided."""
        return Progress(
            position=self._index + 1 if len(self._view) else 0,
            view_size=len(self._view),
            decided_in_view=int(self._decided[self._view].sum()),
            decided=int(self._decided[self._sample].sum()),
            total=len(self._sample),
        )


def _require_columns(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(
            f"the {name} table lacks the column(s) {missing}; it has {list(table.columns)}"
        )


def _group_labels(
    comments: pd.DataFrame, responses: pd.DataFrame | None, columns: Sequence[str]
) -> dict[str, np.ndarray]:
    """Each comment's group in each column, blank shown as ``NOT_STATED``."""
    if all(column in comments.columns for column in columns):
        groups = comments[list(columns)]
    elif responses is None:
        raise ValueError(
            f"the comments table lacks the group column(s) {list(columns)}: give responses "
            "(with respondent_id, year and those columns) to look them up"
        )
    else:
        _require_columns(comments, ("respondent_id",), "comments")
        _require_columns(responses, ("respondent_id", "year", *columns), "responses")
        keys = ["respondent_id", "year"]
        lookup = responses[[*keys, *columns]].astype({"respondent_id": str, "year": "int64"})
        left = comments[keys].astype({"respondent_id": str, "year": "int64"})
        groups = left.merge(lookup, on=keys, how="left", validate="many_to_one")[list(columns)]
    return {
        column: groups[column]
        .astype("string")
        .str.strip()
        .replace("", pd.NA)
        .fillna(NOT_STATED)
        .to_numpy(dtype=object)
        for column in columns
    }
