"""What a narrow range or a published difference means: a group's own figure, or a failure.

A hidden count's range may be narrow only because a published group holding it says so of
all its members (:func:`_a_group_says_it`, :class:`_Unanswered`, :func:`_published_itself`):
that is the group's own figure, not a failure. A group worked out exactly by subtracting
one published count from another that holds it is a failure when it is small
(:func:`_derived_small_groups`).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.disclosure.audit.building import _LowerBound
from analysis.disclosure.audit.programme import _Slice
from analysis.disclosure.audit.results import _INTEGER_SLACK, AuditFailure, HiddenRange
from analysis.disclosure.relations import Cell, Published, UpperBound


def _answers_of_groups(
    published: Sequence[Published], piece: _Slice, protection_level: int
) -> list[tuple[frozenset[int], float]]:
    """Published groups with fewer than the protection level of positive or other answers.

    Each as the atoms of those answers and their number: a group's positive answers are
    published; its other answers are its published count minus them.
    """
    counts: dict[tuple, dict[str, float]] = defaultdict(dict)
    for p in published:
        if p.cell.measure in ("n", "positive") and not isinstance(p, _LowerBound):
            counts[(p.cell.where, p.cell.rest)][p.cell.measure] = p.value
    found = []
    for (where, rest), values in counts.items():
        if "positive" not in values:
            continue
        answers = {"positive": values["positive"]}
        if "n" in values:
            answers["other"] = values["n"] - values["positive"]
        for measure, value in answers.items():
            if value >= protection_level:
                continue
            cell = Cell("answers", (), where, measure, rest)
            atoms = piece.cell_atoms(cell)
            if atoms and not where and not rest:
                # The whole slice: every block's cells (age band, gender...) lie inside it,
                # not only the primary block's atoms that cell_atoms gives for it.
                atoms = range(piece.size)
            if atoms:
                found.append((frozenset(atoms), value))
    return found


def _figures_of_groups(
    percents: Sequence[Any], piece: _Slice, protection_level: int
) -> list[tuple[frozenset[int], float]]:
    """Published groups holding less than the protection level of a figure (an indicator's
    events): each as its atoms and the most it can hold.

    Such a figure is published as an interval (a rounded number:
    :mod:`analysis.disclosure.relations_more`), a percentage of a constant denominator.
    """
    found = []
    for percent in percents:
        if isinstance(percent.denominator, Cell) or percent.numerator.measure != "n":
            continue
        most = percent.high / 100 * percent.denominator
        atoms = piece.cell_atoms(percent.numerator)
        if atoms and most < protection_level:
            found.append((frozenset(atoms), most))
    return found


def _a_group_says_it(
    found: HiddenRange,
    cell: Cell,
    piece: _Slice,
    groups: Sequence[tuple[frozenset[int], float]],
) -> bool:
    """Whether a narrow range of hidden answers is only a published group's own figure.

    A published group (at least the minimum group size, or the gate would hide it) in which
    fewer than the protection level answered one way, say 11 of 12 doctors positively,
    tells the reader that any part of it has at most that many such answers: the hidden
    parts' range is ``[0, k]`` with ``k`` below the protection level. That is what the
    group's published figure says about all of its members, not a disclosure about a
    hidden part; the gate could only stop it by hiding the group (which other tables then
    bound, see :mod:`analysis.disclosure.survey`). The range must be exactly that:
    from 0 to the group's number, no narrower, or something else pinned it.
    """
    figure = cell.measure == "n" and piece.answers == ("n",)  # a figure of groups' own
    if (cell.measure not in ("positive", "other") and not figure) or found.lower > _INTEGER_SLACK:
        return False
    atoms = frozenset(piece.cell_atoms(cell) or ())
    return bool(atoms) and any(
        atoms <= group and found.upper >= value - _INTEGER_SLACK for group, value in groups
    )


def _published_people(published: Sequence[Published], piece: _Slice) -> set[frozenset[int]]:
    """The atoms of every count published in a slice (the people each one counts)."""
    found = set()
    for p in published:
        atoms = None if isinstance(p, _LowerBound) else piece.cell_atoms(p.cell)
        if atoms is not None:
            found.add(frozenset(atoms))
    return found


def _published_itself(cell: Cell, piece: _Slice, shown: set[frozenset[int]]) -> bool:
    """Whether a hidden count counts nobody, or everyone, as a published count does.

    A package whose only directorate is the whole organisation hides the directorate's
    comparison with the rest of the organisation (a rest of 0 people) but publishes the
    organisation's count: the hidden count is the organisation's published figure, and the
    rest counts nobody. Neither says anything the published tables do not. Only the whole
    slice counts: a part of it that another table publishes is still a failure (the data
    overview showing a cell the survey hides). A row a derived table republishes while its
    source hides it (universe ``republished``, :mod:`analysis.disclosure.relations_more`)
    is never its own figure: showing it is the failure.
    """
    atoms = piece.cell_atoms(cell)
    if atoms is None or cell.universe == "republished":
        return False
    whole = piece.cell_atoms(dataclasses.replace(cell, where=(), rest=False))
    return not atoms or (set(atoms) == set(whole or ()) and frozenset(atoms) in shown)


@dataclass
class _Unanswered:
    """Published groups in which fewer than the protection level left an item unanswered.

    A group's answers are at most its respondents (published in ``response_rates``); where
    all but ``k`` respondents answered, any part of the group whose respondents are
    published has answers in ``[respondents - k, respondents]``: the group's own figure, as
    :func:`_a_group_says_it` is for positive and other answers.
    """

    ceilings: dict[tuple, float]
    """A cell's conditions to the least upper bound published for it (its respondents)."""
    groups: list[tuple[frozenset[int], float]]
    """Each such group's atoms and its unanswered places ``k``."""
    total: float | None
    """The slice's published count (the organisation's), for a rest of the organisation."""

    @classmethod
    def of(
        cls,
        published: Sequence[Published],
        bounds: Sequence[UpperBound],
        piece: _Slice,
        protection_level: int,
    ) -> _Unanswered:
        ceilings: dict[tuple, float] = {}
        for bound in bounds:
            if bound.cell.measure == "n" and not bound.cell.rest:
                where = bound.cell.where
                ceilings[where] = min(ceilings.get(where, math.inf), bound.value)
        groups, total = [], None
        for p in published:
            if p.cell.measure != "n" or p.cell.rest or isinstance(p, _LowerBound):
                continue
            if not p.cell.where:
                total = p.value
            unanswered = ceilings.get(p.cell.where, math.inf) - p.value
            atoms = piece.cell_atoms(p.cell)
            if unanswered < protection_level and atoms:
                groups.append(
                    (frozenset(range(piece.size) if not p.cell.where else atoms), unanswered)
                )
        return cls(ceilings, groups, total)

    def say_it(self, found: HiddenRange, cell: Cell, piece: _Slice) -> bool:
        """Whether a hidden count of answers (or its rest of the organisation) is only
        ``[respondents - k, respondents]`` under a group with ``k`` unanswered places."""
        if cell.measure != "n" or not self.groups:
            return False
        low, high = found.lower, found.upper
        if cell.rest:  # the organisation minus the cell: the same range, mirrored
            if self.total is None:
                return False
            cell = dataclasses.replace(cell, rest=False)
            low, high = self.total - high, self.total - low
        ceiling = self.ceilings.get(cell.where)
        atoms = frozenset(piece.cell_atoms(cell) or ())
        if ceiling is None or not atoms or high < ceiling - _INTEGER_SLACK:
            return False
        return any(
            atoms <= group and low <= ceiling - unanswered + _INTEGER_SLACK
            for group, unanswered in self.groups
        )


def _derived_small_groups(
    published: Sequence[Published], piece: _Slice, minimum: int
) -> list[AuditFailure]:
    """Groups worked out exactly as one published count minus another it contains.

    Differences that are themselves published counts are left to the gate (and to the
    hidden-count ranges); the others are groups no table shows, such as a directorate
    without the team an action targeted.
    """
    counts = []
    for p in published:
        if p.cell.measure != "n" or isinstance(p, _LowerBound):
            continue
        atoms = piece.cell_atoms(p.cell)
        if atoms:
            counts.append((frozenset(atoms), p))
    counts.sort(key=lambda item: len(item[0]))
    failures = []
    seen = {atoms for atoms, _ in counts}  # a published count is the gate's to judge
    for (inner, small), (outer, large) in itertools.combinations(counts, 2):
        if len(inner) >= len(outer) or not inner < outer:
            continue
        rest = large.value - small.value
        if 0 < rest < minimum and (outer - inner) not in seen:
            seen.add(outer - inner)
            table, _, key = large.source.partition(": ")
            failures.append(
                AuditFailure(
                    table,
                    key,
                    "n",
                    f"minus {small.source} leaves {rest:g} people (fewer than {minimum})",
                )
            )
    return failures
