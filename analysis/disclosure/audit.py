"""The whole-run disclosure audit: how narrowly can a reader pin down each hidden count?

The gate (:mod:`analysis.disclosure.cells` and the survey gate) decides table by table what
to hide. The audit checks the result as an attacker would, from the published files alone
plus what any reader of the data package knows (which teams make up which directorate):
it reads every table of the run (:func:`analysis.disclosure.relations.read_relations`),
writes the counts behind them as non-negative *atoms* (people of one unit, staff group,
answer...), and for every hidden count solves two linear programmes, its least and its
greatest value consistent with everything published (``scipy.optimize.linprog``, HiGHS).

Rule: a hidden count whose range holds fewer than :data:`DEFAULT_PROTECTION_LEVEL` + 1
whole numbers is a failure, and so is any group worked out exactly by subtracting one
published count from another that holds it, when it has 1 to ``minimum - 1`` people.

See ``docs/disclosure.md`` ("The audit") for the relations, the choice of the protection
level and what the audit does not cover.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.3
(protection levels and the attacker's feasibility intervals, computed by linear programming).
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csc_matrix, csr_matrix, vstack

from analysis.datapackage.description import DEFAULT_MINIMUM_GROUP_SIZE
from analysis.disclosure.protection import PROTECTION_LEVEL, protection_for
from analysis.disclosure.relations import (
    Cell,
    Published,
    Relations,
    UpperBound,
    read_relations,
)

__all__ = [
    "DEFAULT_PROTECTION_LEVEL",
    "AuditFailure",
    "AuditResult",
    "DisclosureAuditError",
    "HiddenRange",
    "Structure",
    "audit_relations",
    "audit_run",
]

DEFAULT_PROTECTION_LEVEL = PROTECTION_LEVEL
"""The least width of a hidden count's range of whole numbers (``upper - lower``): the
documented :data:`analysis.disclosure.protection.PROTECTION_LEVEL` (2)."""

_INTEGER_SLACK = 1e-6
_WEIGHT_SEARCH_SLICES = 12
"""Slices (those with most weighted figures) a split of hidden respondents must fit."""
_ATOM_CEILING = 1e7
"""An upper bound on every atom (more people than any organisation has). A count nothing
published bounds (a hidden organisation count with no published total) then reaches it and
is shown wide, instead of leaving the linear programme unbounded."""
_SCREEN_ROUNDS = 4
"""The most rounds of random mixtures of the counts not yet shown wide (:class:`_Screen`)."""
_MEASURES = {
    "answers": ("positive", "other"),
    "commenters": ("positive", "other"),
    "appraisals": ("positive", "other"),
    "ratings": ("positive", "other"),
}
"""Universes whose counts split by answer: an item's positive and other answers; the
commenters raising a code (``positive``) and not (``other``); staff due an appraisal who
had one (``positive``) and not; a course's raters rating it 4 or 5 (``positive``) and not."""
_ALL = "(all)"


class DisclosureAuditError(RuntimeError):
    """The audit found hidden counts a reader can pin down; the run must not be published."""

    def __init__(self, result: AuditResult) -> None:
        self.result = result
        super().__init__(result.describe_failures())


@dataclass(frozen=True)
class HiddenRange:
    """What a reader can know of one hidden count.

    ``lower`` and ``upper`` are the linear programme's bounds; the whole numbers in them
    run from ``ceil(lower)`` to ``floor(upper)`` (:attr:`width`).
    """

    table: str
    key: str
    column: str
    lower: float
    upper: float
    exact: bool = True
    """False when the range was only shown wide enough (by feasible points found), not solved."""
    own_figure: bool = False
    """True when the range is narrow only because a published group holding the count has
    fewer than the protection level of those answers (:func:`_a_group_says_it`): that
    group's own figure, not a failure."""

    @property
    def width(self) -> int:
        """``floor(upper) - ceil(lower)``: how many people the reader is unsure by."""
        return math.floor(self.upper + _INTEGER_SLACK) - math.ceil(self.lower - _INTEGER_SLACK)


@dataclass(frozen=True)
class AuditFailure:
    """A hidden count pinned down, or a small group worked out by subtraction."""

    table: str
    key: str
    column: str
    reason: str

    def describe(self) -> str:
        """One line naming the table, the row and why."""
        return f"{self.table} [{self.key}] {self.column}: {self.reason}"


@dataclass
class AuditResult:
    """The audit of one run: every hidden count's range, and the failures."""

    ranges: list[HiddenRange] = field(default_factory=list)
    failures: list[AuditFailure] = field(default_factory=list)
    protection_level: int = DEFAULT_PROTECTION_LEVEL
    minimum_group_size: int = DEFAULT_MINIMUM_GROUP_SIZE
    """The package's (``dataset.yml``); the default only for results built by hand."""
    seconds: float = 0.0
    problems: int = 0
    not_covered: dict[str, int] = field(default_factory=dict)
    not_counts: dict[str, str] = field(default_factory=dict)
    """Tables read that publish no count relation, to why (``relations.not_counts``)."""
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether no hidden count is pinned down and no small group is derivable."""
        return not self.failures

    @property
    def narrowest(self) -> HiddenRange | None:
        """The hidden count with the narrowest range (the first such, in reading order, an
        exactly solved one before one only shown wide enough), leaving out those a
        published group's own figure accounts for."""
        return min(
            (r for r in self.ranges if not r.own_figure),
            key=lambda r: (r.width, not r.exact),
            default=None,
        )

    @property
    def own_figures(self) -> int:
        """Hidden answer counts as narrow as a published group's own figure (not failures)."""
        return sum(r.own_figure for r in self.ranges)

    def describe_failures(self, limit: int = 10) -> str:
        """The failures, one a line (the first ``limit``), for the terminal and the index."""
        lines = [f.describe() for f in self.failures[:limit]]
        if len(self.failures) > limit:
            lines.append(f"... and {len(self.failures) - limit} more")
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        """The manifest's ``disclosure_audit`` entry."""
        narrowest = self.narrowest
        return {
            "audited": True,
            "passed": self.passed,
            "protection_level": self.protection_level,
            "minimum_group_size": self.minimum_group_size,
            "hidden_counts_checked": len(self.ranges),
            "linear_programmes": self.problems,
            "seconds": round(self.seconds, 2),
            "narrowest": None
            if narrowest is None
            else {
                "table": narrowest.table,
                "key": narrowest.key,
                "column": narrowest.column,
                "lower": round(narrowest.lower, 3),
                "upper": round(narrowest.upper, 3),
                "width": narrowest.width,
                "exact": narrowest.exact,
            },
            "narrow_as_their_group": self.own_figures,
            "failures": [f.describe() for f in self.failures[:50]],
            "failure_count": len(self.failures),
            "not_covered": dict(self.not_covered),
            "not_counts": dict(self.not_counts),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Structure:
    """What a reader knows of the organisation: each team's directorate.

    ``team_directorate`` maps team ids to directorates (the data package's ``teams``);
    without it, teams are treated as a classification of their own.
    """

    team_directorate: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_package(cls, package: Any) -> Structure:
        """From a :class:`analysis.datapackage.DataPackage` (its ``teams`` table)."""
        teams = getattr(package, "tables", {}).get("teams") if package is not None else None
        if teams is None or "team_id" not in teams or "directorate" not in teams:
            return cls()
        ids, directorates = teams["team_id"].astype(str), teams["directorate"].astype(str)
        return cls(dict(zip(ids, directorates, strict=True)))


# --- one slice's linear programme -------------------------------------------------------


class _Slice:
    """The atoms and linear relations of one universe and slice (e.g. answers, 2008, Q1).

    Atoms are people counts of a *block*: the primary block crosses the unit (team, or
    directorate) with the staff group; each other classification (age band, gender...)
    is crossed with the staff group in a block of its own, and every block has the same
    staff-group totals. Blocks glued on their common staff-group margin lose nothing for a
    linear programme: any set of block tables that agree on it is the margin of one full
    cross-classification (a decomposable model), so these atoms give exactly the ranges
    the full cross-classification would, with far fewer variables.
    """

    def __init__(
        self,
        universe: str,
        cells: Iterable[Cell],
        domains: Mapping[str, Sequence[str]],
        structure: Structure,
    ) -> None:
        cells = list(cells)
        used = {column for cell in cells for column, _ in cell.where}
        self.structure = structure
        self.unit = (
            "team_id"
            if "team_id" in used and structure.team_directorate
            else ("directorate" if "directorate" in used or "team_id" in used else None)
        )
        if self.unit == "directorate" and "team_id" in used:
            self.unit = None  # teams without their directorates: not placed (see cell_atoms)
        self.groups = list(domains.get("staff_group", ())) or [_ALL]
        self.answers = _MEASURES.get(universe, ("n",))
        self.blocks: dict[str, list[str]] = {}
        self.offsets: dict[str, int] = {}
        size = 0
        units = self._unit_values(domains) if self.unit else [_ALL]
        for block, values in [("unit", units)] + [
            (column, list(domains[column]))
            for column in sorted(used - {"team_id", "directorate", "staff_group"})
        ]:
            self.blocks[block] = values
            self.offsets[block] = size
            size += len(values) * len(self.groups) * len(self.answers)
        self.size = size
        self.eq_rows: list[dict[int, float]] = []
        self.eq_values: list[float] = []
        self.ub_rows: list[dict[int, float]] = []
        self.ub_values: list[float] = []
        self._atoms: dict[tuple[Cell, str | None], list[int] | None] = {}
        self._glue()

    def _unit_values(self, domains: Mapping[str, Sequence[str]]) -> list[str]:
        if self.unit == "team_id":
            return sorted(self.structure.team_directorate)
        return list(domains.get("directorate", ()))

    def _index(self, block: str, value: int, group: int, answer: int) -> int:
        return self.offsets[block] + (value * len(self.groups) + group) * len(self.answers) + answer

    def _glue(self) -> None:
        """Every block has the primary block's staff-group (and answer) totals."""
        for block in self.blocks:
            if block == "unit":
                continue
            for g, a in itertools.product(range(len(self.groups)), range(len(self.answers))):
                row = {self._index("unit", v, g, a): 1.0 for v in range(len(self.blocks["unit"]))}
                for v in range(len(self.blocks[block])):
                    row[self._index(block, v, g, a)] = -1.0
                self.eq_rows.append(row)
                self.eq_values.append(0.0)

    def cell_atoms(self, cell: Cell, staff_group: str | None = None) -> list[int] | None:
        """The atoms a cell adds up (None when its conditions cannot be placed)."""
        key = (cell, staff_group)
        if key not in self._atoms:
            self._atoms[key] = self._cell_atoms(cell, staff_group)
        return self._atoms[key]

    def _cell_atoms(self, cell: Cell, staff_group: str | None = None) -> list[int] | None:
        if cell.rest:  # everyone of the cell's block, but the cell's own people
            plain = dataclasses.replace(cell, rest=False)
            inside = self.cell_atoms(plain, staff_group)
            if inside is None:
                return None
            column = next(
                (c for c, _ in cell.where if c not in ("team_id", "directorate", "staff_group")),
                None,
            )
            block = () if column is None else ((column, tuple(self.blocks[column])),)
            everyone = self.cell_atoms(dataclasses.replace(plain, where=block), staff_group)
            return sorted(set(everyone or []) - set(inside))
        where = dict(cell.where)
        if staff_group is not None:
            if "staff_group" in where and staff_group not in where["staff_group"]:
                return []
            where["staff_group"] = (staff_group,)
        others = set(where) - {"team_id", "directorate", "staff_group"}
        if len(others) > 1 or (others and ({"team_id", "directorate"} & set(where))):
            return None
        block = others.pop() if others else "unit"
        values = self.blocks[block]
        if block == "unit":
            chosen = self._unit_choice(where, values)
            if chosen is None:
                return None
        else:
            wanted = set(where[block])
            chosen = [i for i, value in enumerate(values) if value in wanted]
        groups = [
            i
            for i, g in enumerate(self.groups)
            if "staff_group" not in where or g in where["staff_group"]
        ]
        if "staff_group" in where and self.groups == [_ALL]:
            return None
        answers = {"positive": [0], "other": [1]}.get(cell.measure, list(range(len(self.answers))))
        return [
            self._index(block, v, g, a) for v, g, a in itertools.product(chosen, groups, answers)
        ]

    def _unit_choice(
        self, where: Mapping[str, tuple[str, ...]], values: list[str]
    ) -> list[int] | None:
        if self.unit is None:
            return None if {"team_id", "directorate"} & set(where) else [0]
        chosen = set(range(len(values)))
        if "team_id" in where:
            if self.unit != "team_id":
                return None
            chosen &= {i for i, v in enumerate(values) if v in where["team_id"]}
        if "directorate" in where:
            if self.unit == "team_id":
                directorate = self.structure.team_directorate
                chosen &= {
                    i for i, v in enumerate(values) if directorate.get(v) in where["directorate"]
                }
            else:
                chosen &= {i for i, v in enumerate(values) if v in where["directorate"]}
        return sorted(chosen)

    def copy(self) -> _Slice:
        """The same atoms and relations, to which more can be added without changing these."""
        twin = copy.copy(self)
        twin.eq_rows, twin.eq_values = list(self.eq_rows), list(self.eq_values)
        twin.ub_rows, twin.ub_values = list(self.ub_rows), list(self.ub_values)
        return twin

    def add(self, row: dict[int, float], value: float, equal: bool) -> None:
        """``row . x == value`` (equal) or ``row . x <= value``."""
        (self.eq_rows if equal else self.ub_rows).append(row)
        (self.eq_values if equal else self.ub_values).append(value)

    def matrices(self) -> tuple[Any, Any, Any, Any]:
        def sparse(rows: list[dict[int, float]]) -> Any:
            if not rows:
                return None
            data, cols, indptr = [], [], [0]
            for row in rows:
                cols.extend(row)
                data.extend(row.values())
                indptr.append(len(cols))
            return csr_matrix((data, cols, indptr), shape=(len(rows), self.size))

        return (
            sparse(self.ub_rows),
            np.array(self.ub_values) if self.ub_rows else None,
            sparse(self.eq_rows),
            np.array(self.eq_values) if self.eq_rows else None,
        )


def _sum(atoms: Iterable[int], coefficient: float = 1.0) -> dict[int, float]:
    row: dict[int, float] = defaultdict(float)
    for atom in atoms:
        row[atom] += coefficient
    return row


def _combine(*parts: dict[int, float]) -> dict[int, float]:
    row: dict[int, float] = defaultdict(float)
    for part in parts:
        for atom, coefficient in part.items():
            row[atom] += coefficient
    return row


def _silent_highs() -> Any:
    """A HiGHS instance that prints nothing.

    ``highspy.Highs()`` (1.16) prints HiGHS's banner to the terminal when it sets up its
    Python callbacks, which the audit does not use, before any option can turn output off;
    its base class (``highspy._core._Highs``, the same solver without the callbacks) does
    not print it. Without that class (another highspy), the wrapper is used.
    """
    import highspy

    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    highs = core() if core is not None else highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


class _Problem:
    """A slice's programme in HiGHS, kept loaded: each new objective starts from the last basis.

    ``highspy`` (HiGHS's own Python interface, the solver behind ``scipy.optimize.linprog``'s
    ``"highs"`` methods) is used rather than ``linprog`` because re-solving one model with a
    new objective from the previous basis is about ten times faster than a fresh ``linprog``
    call on these models (12 ms against 140 ms on the demo's largest slice).
    """

    def __init__(self, piece: _Slice) -> None:
        import highspy

        self.piece = piece
        self.solved = 0
        A_ub, b_ub, A_eq, b_eq = piece.matrices()
        blocks = [m for m in (A_ub, A_eq) if m is not None]
        matrix = csc_matrix(vstack(blocks)) if blocks else csc_matrix((0, piece.size))
        infinity = highspy.kHighsInf
        lower = [np.full(len(b_ub), -infinity)] if b_ub is not None else []
        upper = [b_ub] if b_ub is not None else []
        if b_eq is not None:
            lower.append(b_eq)
            upper.append(b_eq)
        lp = highspy.HighsLp()
        lp.num_col_ = piece.size
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(piece.size)
        lp.col_lower_ = np.zeros(piece.size)
        lp.col_upper_ = np.full(piece.size, _ATOM_CEILING)
        lp.row_lower_ = np.concatenate(lower) if lower else np.zeros(0)
        lp.row_upper_ = np.concatenate(upper) if upper else np.zeros(0)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.highs = _silent_highs()
        self.highs.passModel(lp)
        self.columns = np.arange(piece.size, dtype=np.int32)
        self._optimal = highspy.HighsModelStatus.kOptimal
        self._infeasible = highspy.HighsModelStatus.kInfeasible

    def solve(self, objective: np.ndarray, sense: int) -> tuple[float, np.ndarray] | None:
        """The least (``sense=1``) or greatest (``-1``) of ``objective . x``; None if infeasible."""
        self.highs.changeColsCost(self.piece.size, self.columns, sense * objective)
        self.highs.run()
        self.solved += 1
        status = self.highs.getModelStatus()
        if status not in (self._optimal, self._infeasible):
            # Numerical trouble from the last basis: solve afresh, then with scipy's HiGHS.
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        if status == self._infeasible:
            return None
        if status != self._optimal:
            return self._solve_with_scipy(objective, sense)
        x = np.asarray(self.highs.getSolution().col_value)
        return float(objective @ x), x

    def _solve_with_scipy(
        self, objective: np.ndarray, sense: int
    ) -> tuple[float, np.ndarray] | None:
        from scipy.optimize import linprog

        A_ub, b_ub, A_eq, b_eq = self.piece.matrices()
        result = linprog(
            sense * objective,
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            bounds=(0, _ATOM_CEILING),
            method="highs",
        )
        if result.status == 2:
            return None
        if result.status != 0:  # unbounded cannot happen: every atom is capped
            raise RuntimeError(f"the audit's linear programme failed: {result.message}")
        return float(objective @ result.x), result.x

    def feasible(self) -> bool:
        """Whether anything is consistent with the relations."""
        return self.solve(np.zeros(self.piece.size), 1) is not None


# --- building and solving --------------------------------------------------------------


def _domains(relations: Relations, structure: Structure) -> dict[str, list[str]]:
    values: dict[str, set[str]] = defaultdict(set)
    cells = [p.cell for p in relations.published] + [h.cell for h in relations.hidden]
    cells += [b.cell for b in relations.bounds] + [p.numerator for p in relations.percents]
    for cell in cells:
        for column, listed in cell.where:
            values[column].update(listed)
    values["directorate"].update(structure.team_directorate.values())
    values["team_id"].update(structure.team_directorate)
    return {column: sorted(v) for column, v in values.items()}


def _slice_key(cell: Cell) -> tuple:
    return (cell.universe, cell.slice)


def _implied_bounds(relations: Relations) -> list[UpperBound]:
    """Answers are at most the respondents published for the same group and year."""
    respondents = [p for p in relations.published if p.cell.universe == "respondents"]
    by_year: dict[int, list[Published]] = defaultdict(list)
    for published in respondents:
        by_year[published.cell.slice[0]].append(published)
    slices = {
        _slice_key(h.cell)
        for h in relations.hidden
        if h.cell.universe in ("answers", "theme_answers", "commenters")
    }
    bounds = []
    for universe, slice_ in sorted(slices, key=str):
        for published in by_year.get(slice_[0], []):
            cell = Cell(universe, slice_, published.cell.where, "n")
            bounds.append(UpperBound(cell, published.value, f"{published.source} (respondents)"))
    return bounds


_ANSWERING = ("answers", "theme_answers", "commenters")
"""Universes whose people of a group and year are some of its respondents."""


def _shared_commenters(relations: Relations) -> None:
    """A group's commenters of a year are the same people in every code's slice.

    ``comments/code_frequencies`` repeats each group's commenters on every code's row; a
    count published on one code's row is published for all (an equality in every other
    code's slice of the year), and the same count hidden on another row is that figure,
    not a hidden one (its hidden code respondents stay hidden counts).
    """
    shown: dict[tuple, Published] = {}
    slices: dict[int, set[tuple]] = defaultdict(set)
    for p in relations.published:
        cell = p.cell
        if cell.universe == "commenters":
            slices[cell.slice[0]].add(cell.slice)
            if cell.measure == "n" and not isinstance(p, _LowerBound):
                shown.setdefault((cell.slice[0], cell.where, cell.rest), p)
    for h in relations.hidden:
        if h.cell.universe == "commenters":
            slices[h.cell.slice[0]].add(h.cell.slice)
    have = {
        (p.cell.slice, p.cell.where, p.cell.rest)
        for p in relations.published
        if p.cell.universe == "commenters" and p.cell.measure == "n"
    }
    for (year, where, rest), p in shown.items():
        for slice_ in sorted(slices[year], key=str):
            if (slice_, where, rest) not in have:
                cell = Cell("commenters", slice_, where, "n", rest)
                relations.published.append(
                    Published(cell, p.value, f"{p.source} (the same commenters)")
                )
    relations.hidden = [
        h
        for h in relations.hidden
        if not (
            h.cell.universe == "commenters"
            and h.cell.measure == "n"
            and (h.cell.slice[0], h.cell.where, h.cell.rest) in shown
        )
    ]


def _respondents_floors(relations: Relations) -> list[_LowerBound]:
    """A group's respondents are at least its answers published in any slice of the year
    (an item's, a theme's, a code's commenters), wherever they can be placed."""
    cells = [p.cell for p in relations.published] + [h.cell for h in relations.hidden]
    columns = {c for cell in cells if cell.universe == "respondents" for c, _ in cell.where}
    best: dict[tuple, Published] = {}
    for p in relations.published:
        cell = p.cell
        if cell.universe not in _ANSWERING or cell.measure != "n" or isinstance(p, _LowerBound):
            continue
        if not {c for c, _ in cell.where} <= columns:
            continue
        key = (cell.slice[0], cell.where, cell.rest)
        if key not in best or p.value > best[key].value:
            best[key] = p
    return [
        _LowerBound(
            Cell("respondents", (year,), where, "n", rest),
            p.value,
            f"{p.source} (its respondents are at least its answers)",
        )
        for (year, where, rest), p in best.items()
    ]


def _respondents_ceilings(
    relations: Relations,
    grouped: Mapping[tuple, Mapping[str, list]],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
) -> tuple[list[UpperBound], int]:
    """Answers of a group whose respondents are hidden are at most the most its respondents
    can be (solved in the year's respondents programme); with the number of programmes."""
    columns = set()
    for key, parts in grouped.items():
        if key[0] == "respondents":
            cells = [p.cell for kind in ("published", "hidden", "bounds") for p in parts[kind]]
            columns.update(column for cell in cells for column, _ in cell.where)
    wanted: dict[int, dict[tuple, set[tuple]]] = defaultdict(lambda: defaultdict(set))
    for key, parts in grouped.items():
        if key[0] in _ANSWERING:
            for h in parts["hidden"]:
                if (
                    h.cell.measure == "n"
                    and h.cell.where
                    and {c for c, _ in h.cell.where} <= columns
                ):
                    wanted[key[1][0]][(h.cell.where, h.cell.rest)].add(key)
    published = {
        (p.cell.slice[0], p.cell.where, p.cell.rest)
        for p in relations.published
        if p.cell.universe == "respondents" and not isinstance(p, _LowerBound)
    }
    bounds, solved = [], 0
    for year, wheres in sorted(wanted.items()):
        key = ("respondents", (year,))
        if key not in grouped:
            continue
        piece = _base_slice(key, grouped[key], domains, structure)[0]
        problem = _Problem(piece)
        for (where, rest), keys in sorted(wheres.items(), key=str):
            if (year, where, rest) in published:
                continue  # the published respondents bound them already (_implied_bounds)
            atoms = piece.cell_atoms(Cell("respondents", (year,), where, "n", rest))
            if not atoms:
                continue
            objective = np.zeros(piece.size)
            objective[atoms] = 1.0
            found = problem.solve(objective, -1)
            if found is None or found[0] >= _ATOM_CEILING - 1:
                continue
            for universe, slice_ in sorted(keys, key=str):
                cell = Cell(universe, slice_, where, "n", rest)
                bounds.append(UpperBound(cell, found[0], "respondents (the most they can be)"))
        solved += problem.solved
    return bounds, solved


@dataclass
class _Weights:
    """Each year's staff-group weights (headcount / respondents), where published."""

    known: dict[int, dict[str, float]]
    unknown: dict[int, list[str]]
    hidden_total: dict[int, float]


def _weights(relations: Relations, domains: Mapping[str, Sequence[str]]) -> _Weights:
    respondents: dict[tuple[int, str], float] = {}
    totals: dict[int, float] = {}
    for published in relations.published:
        cell = published.cell
        if cell.universe != "respondents" or isinstance(published, _LowerBound):
            continue
        where = dict(cell.where)
        if set(where) == {"staff_group"}:
            respondents[(cell.slice[0], where["staff_group"][0])] = published.value
        elif not where:
            totals[cell.slice[0]] = published.value
    known: dict[int, dict[str, float]] = {}
    unknown: dict[int, list[str]] = {}
    hidden_total: dict[int, float] = {}
    for year in sorted({year for year, _ in relations.headcounts}):
        known[year], unknown[year] = {}, []
        for group in domains.get("staff_group", ()):
            headcount = relations.headcounts.get((year, group))
            answered = respondents.get((year, group))
            if headcount is not None and answered:
                known[year][group] = headcount / answered
            elif headcount:
                unknown[year].append(group)
        if year in totals:
            hidden_total[year] = totals[year] - sum(
                respondents.get((year, g), 0.0) for g in domains.get("staff_group", ())
            )
    return _Weights(known, unknown, hidden_total)


def _build(
    key: tuple,
    relations: Relations,
    grouped: Mapping[tuple, Mapping[str, list]],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
    weights: Mapping[str, float] | None,
    respondents: Mapping[str, float],
    skipped: dict[str, int],
    cache: dict[tuple, tuple[_Slice, dict[str, int]]] | None = None,
) -> _Slice:
    """One slice's programme, with the given staff-group weights (None: weighted left out).

    The relations that do not depend on the weights are built once per slice when a
    ``cache`` is given (several splits of hidden respondents tried on the same slice).
    """
    parts = grouped[key]
    base = None if cache is None else cache.get(key)
    if base is None:
        base = _base_slice(key, parts, domains, structure)
        if cache is not None:
            cache[key] = base
    piece = base[0].copy()
    for table, count in base[1].items():
        skipped[table] = skipped.get(table, 0) + count
    if key[0] in ("answers", "theme_answers", "commenters"):
        for group, value in respondents.items():
            found = piece.cell_atoms(Cell(key[0], key[1], (), "n"), group)
            if found:
                piece.add(_sum(found), value, equal=False)
    for weighted in parts["weighted"]:
        if weights is None:
            skipped[weighted.source.split(":")[0]] = (
                skipped.get(weighted.source.split(":")[0], 0) + 1
            )
            continue
        low_row: list[dict[int, float]] = []
        high_row: list[dict[int, float]] = []
        for group, weight in weights.items():
            numerator = piece.cell_atoms(weighted.numerator, group)
            denominator = piece.cell_atoms(weighted.denominator, group)
            if numerator is None or denominator is None:
                low_row = []
                break
            low_row += [_sum(denominator, weight * weighted.low / 100), _sum(numerator, -weight)]
            high_row += [_sum(numerator, weight), _sum(denominator, -weight * weighted.high / 100)]
        if low_row:
            piece.add(_combine(*low_row), 0, False)
            piece.add(_combine(*high_row), 0, False)
    return piece


def _base_slice(
    key: tuple,
    parts: Mapping[str, list],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
) -> tuple[_Slice, dict[str, int]]:
    """A slice's atoms and the relations that do not depend on the weights, with the
    number of figures of each table that could not be placed."""
    cells = [p.cell for p in parts["published"]] + [h.cell for h in parts["hidden"]]
    cells += [b.cell for b in parts["bounds"]]
    cells += [p.numerator for p in parts["percents"]]
    cells += [p.denominator for p in parts["percents"] if isinstance(p.denominator, Cell)]
    cells += [w.numerator for w in parts["weighted"]]
    piece = _Slice(key[0], cells, domains, structure)
    skipped: dict[str, int] = {}

    def atoms(cell: Cell, source: str, group: str | None = None) -> list[int] | None:
        found = piece.cell_atoms(cell, group)
        if found is None:
            skipped[source.split(":")[0]] = skipped.get(source.split(":")[0], 0) + 1
        return found

    for published in parts["published"]:
        found = atoms(published.cell, published.source)
        if found is not None and isinstance(published, _LowerBound):
            piece.add(_sum(found, -1), -published.value, equal=False)
        elif found is not None:
            piece.add(_sum(found), published.value, equal=True)
    for bound in parts["bounds"]:
        found = atoms(bound.cell, bound.source)
        if found is not None:
            piece.add(_sum(found), bound.value, equal=False)
    for percent in parts["percents"]:
        numerator = atoms(percent.numerator, percent.source)
        if isinstance(percent.denominator, Cell):
            denominator = atoms(percent.denominator, percent.source)
            if numerator is None or denominator is None:
                continue
            # low/100 * den - num <= 0 and num - high/100 * den <= 0
            piece.add(_combine(_sum(denominator, percent.low / 100), _sum(numerator, -1)), 0, False)
            piece.add(_combine(_sum(numerator), _sum(denominator, -percent.high / 100)), 0, False)
        elif numerator is not None:
            piece.add(_sum(numerator, -1), -percent.low / 100 * percent.denominator, False)
            piece.add(_sum(numerator), percent.high / 100 * percent.denominator, False)
    return piece, skipped


def _group_relations(relations: Relations) -> dict[tuple, dict[str, list]]:
    grouped: dict[tuple, dict[str, list]] = defaultdict(
        lambda: {"published": [], "bounds": [], "percents": [], "weighted": [], "hidden": []}
    )
    for published in relations.published:
        grouped[_slice_key(published.cell)]["published"].append(published)
    for bound in relations.bounds:
        grouped[_slice_key(bound.cell)]["bounds"].append(bound)
    for percent in relations.percents:
        grouped[_slice_key(percent.numerator)]["percents"].append(percent)
    for weighted in relations.weighted:
        grouped[_slice_key(weighted.numerator)]["weighted"].append(weighted)
    for hidden in relations.hidden:
        grouped[_slice_key(hidden.cell)]["hidden"].append(hidden)
    return grouped


def _split_test_slices(
    grouped: Mapping[tuple, Mapping[str, list]], year: int, candidates: list | None
) -> list[tuple]:
    """Slices that test splits of hidden respondents when the year has no weighted figure
    over several staff groups (one group's are read as its percentages): each split bounds
    every item's answers of the hidden groups, so the answer slices with most percentages
    rule some out, as a reader can."""
    if not candidates or len(candidates) < 2:
        return []
    return sorted(
        (key for key in grouped if key[1][0] == year and key[0] == "answers"),
        key=lambda key: -len(grouped[key]["percents"]),
    )[:_WEIGHT_SEARCH_SLICES]


def _candidate_weights(
    year: int,
    weights: _Weights,
    headcounts: Mapping[tuple[int, str], float],
    max_candidates: int,
) -> list[dict[str, float]] | None:
    """Every split of a year's hidden staff-group respondents, as weights (None: too many).

    With one or two staff groups' respondents hidden, the hidden total is known by
    subtraction, so the splits are the whole numbers up to each group's headcount.
    """
    hidden = weights.unknown.get(year, [])
    known = weights.known.get(year, {})
    if not hidden:
        return [dict(known)]
    total = weights.hidden_total.get(year)
    if total is None or len(hidden) > 2:
        return None
    heads = [headcounts[(year, g)] for g in hidden]
    if len(hidden) == 1:
        splits = [(total,)]
    else:
        low = max(0, int(total - heads[1]))
        high = min(int(heads[0]), int(total))
        splits = [(r, total - r) for r in range(low, high + 1)]
    candidates = []
    for split in splits:
        if any(r <= 0 for r in split):
            continue
        candidate = dict(known)
        candidate.update({g: h / r for g, h, r in zip(hidden, heads, split, strict=True)})
        candidate["__respondents__"] = split  # type: ignore[assignment]
        candidates.append(candidate)
    return candidates if len(candidates) <= max_candidates else None


def _fitting_splits(
    candidates: Sequence[dict[str, Any]], fits: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Every split of hidden respondents that fits the year's test slices.

    Each is kept: a hidden count's range is the union of its ranges under each fitting
    split (:class:`_Screen`). Fitting the test slices is necessary, not sufficient, for a
    split to fit everything published, so the splits kept hold every possible one and the
    union is no narrower than the true range.
    """
    return [candidate for candidate in candidates if fits(candidate)]


def audit_relations(
    relations: Relations,
    structure: Structure | None = None,
    *,
    minimum_group_size: int = DEFAULT_MINIMUM_GROUP_SIZE,
    protection_level: int = DEFAULT_PROTECTION_LEVEL,
    max_weight_candidates: int = 40,
    years: Collection[int] | None = None,
    exact: bool = False,
) -> AuditResult:
    """Every hidden count's feasible range, and the failures of the protection rule.

    Parameters
    ----------
    relations
        From :func:`~analysis.disclosure.relations.read_relations` (or built by hand).
    structure
        Which teams are in which directorate.
    minimum_group_size
        Groups worked out by subtraction with 1 to ``minimum_group_size - 1`` people fail.
    protection_level
        The least width (``floor(upper) - ceil(lower)``) of a hidden count's range; at most
        ``minimum_group_size - 1`` (:func:`~analysis.disclosure.protection.protection_for`).
    years
        Audit only the slices of these years (None: every year). Relations of other years
        are still read, but their hidden counts are not solved.
    max_weight_candidates
        The most splits of a year's hidden staff-group respondents tried (each gives the
        weights); above it the year's weighted figures are left out and a note says so.
    exact
        Solve every hidden count's least and greatest value; by default only those of the
        counts the feasible points found do not already show wide enough (:class:`_Screen`).

    Returns
    -------
    AuditResult
    """
    started = time.perf_counter()
    structure = structure or Structure()
    protection_level = protection_for(minimum_group_size, protection_level)
    result = AuditResult(protection_level=protection_level, minimum_group_size=minimum_group_size)
    relations.bounds = [*relations.bounds, *_implied_bounds(relations)]
    _shared_commenters(relations)
    relations.published = [*relations.published, *_respondents_floors(relations)]
    domains = _domains(relations, structure)
    weights = _weights(relations, domains)
    grouped = _group_relations(relations)
    if years is not None:
        left = sorted({key[1][0] for key in grouped} - set(years))
        grouped = {key: parts for key, parts in grouped.items() if key[1][0] in years}
        if left:
            result.notes.append(f"hidden counts of {left} not audited (only {sorted(years)})")
    skipped: dict[str, int] = dict(relations.uncovered)

    def respondents_of(candidate: Mapping[str, Any] | None, year: int) -> dict[str, float]:
        answered = {
            g: relations.headcounts[(year, g)] / w for g, w in (weights.known.get(year, {})).items()
        }
        if candidate and "__respondents__" in candidate:
            hidden = weights.unknown.get(year, [])
            answered.update(dict(zip(hidden, candidate["__respondents__"], strict=True)))
        return answered

    # The weights each year allows: splits of hidden respondents consistent with every slice.
    allowed: dict[int, list[dict[str, Any]] | None] = {}
    for year in sorted({key[1][0] for key in grouped}):
        candidates = _candidate_weights(year, weights, relations.headcounts, max_weight_candidates)
        weighted_slices = sorted(
            (key for key in grouped if key[1][0] == year and grouped[key]["weighted"]),
            key=lambda key: -len(grouped[key]["weighted"]),
        )[:_WEIGHT_SEARCH_SLICES] or _split_test_slices(grouped, year, candidates)
        if candidates is None:
            if weighted_slices:
                result.notes.append(
                    f"{year}: more than two staff groups' respondents hidden, or too many "
                    "splits of them: weighted figures of the year left out of the audit"
                )
            allowed[year] = None
            continue
        if len(candidates) > 1 and weighted_slices:
            built: dict[tuple, tuple[_Slice, dict[str, int]]] = {}

            def fits(
                candidate: dict[str, Any],
                year: int = year,
                slices: list = weighted_slices,
                built: dict = built,
            ) -> bool:
                for key in slices:
                    piece = _build(
                        key, relations, grouped, domains, structure,
                        _plain_weights(candidate), respondents_of(candidate, year), {}, built,
                    )  # fmt: skip
                    problem = _Problem(piece)
                    ok = problem.feasible()
                    result.problems += problem.solved
                    if not ok:
                        return False
                return True

            candidates = _fitting_splits(candidates, fits)
            if not candidates:
                result.notes.append(f"{year}: no split of the hidden respondents fits")
            split = [c["__respondents__"] for c in candidates]
            hidden = weights.unknown.get(year, [])
            for i, group in enumerate(hidden):
                values = [s[i] for s in split]
                if values:
                    relations.bounds.append(
                        UpperBound(
                            Cell("respondents", (year,), (("staff_group", (group,)),)),
                            max(values),
                            "weights",
                        )
                    )
                    relations.published.append(
                        _LowerBound(
                            Cell("respondents", (year,), (("staff_group", (group,)),)),
                            min(values),
                            "weights",
                        )
                    )
        if candidates and len(candidates) > 1 and weighted_slices:
            result.notes.append(
                f"{year}: {len(candidates)} splits of the hidden staff groups' respondents "
                "fit; each hidden count's range is the union of its ranges under each"
            )
        allowed[year] = candidates
    grouped = {key: parts for key, parts in _group_relations(relations).items() if key in grouped}
    ceilings, solved = _respondents_ceilings(relations, grouped, domains, structure)
    result.problems += solved
    relations.bounds = [*relations.bounds, *ceilings]
    grouped = {key: parts for key, parts in _group_relations(relations).items() if key in grouped}

    for key in sorted(grouped, key=str):
        parts = grouped[key]
        if not parts["hidden"] and not parts["published"]:
            continue
        year = key[1][0]
        candidates = allowed.get(year)
        options: list[dict[str, Any] | None] = (
            (list(candidates) if candidates else [None]) if parts["weighted"] else [None]
        )
        pieces = []
        screen = _Screen(protection_level, exact)
        built: dict[tuple, tuple[_Slice, dict[str, int]]] = {}
        for candidate in options:
            piece = _build(
                key, relations, grouped, domains, structure,
                _plain_weights(candidate) if candidate is not None else None,
                respondents_of(candidate, year), skipped, built,
            )  # fmt: skip
            pieces.append(piece)
            problem = _Problem(piece)
            screen.run(problem, [h.cell for h in parts["hidden"]])
            result.problems += problem.solved
        ranges = screen.ranges()
        own = _answers_of_groups(parts["published"], pieces[0], protection_level)
        own += _figures_of_groups(parts["percents"], pieces[0], protection_level)
        unanswered = _Unanswered.of(
            parts["published"], parts["bounds"], pieces[0], protection_level
        )
        shown = _published_people(parts["published"], pieces[0])
        if parts["hidden"] and not ranges:
            result.notes.append(f"{key}: no counts fit every published figure; not audited")
        for hidden in parts["hidden"]:
            if hidden.cell not in ranges:
                skipped[hidden.table] = skipped.get(hidden.table, 0) + 1
                continue
            low, high, solved = ranges[hidden.cell]
            found = HiddenRange(hidden.table, hidden.key, hidden.column, low, high, solved)
            if found.width < protection_level and (
                _a_group_says_it(found, hidden.cell, pieces[0], own)
                or unanswered.say_it(found, hidden.cell, pieces[0])
                or _published_itself(hidden.cell, pieces[0], shown)
            ):
                found = dataclasses.replace(found, own_figure=True)
            result.ranges.append(found)
            if found.width < protection_level and not found.own_figure:
                result.failures.append(
                    AuditFailure(
                        hidden.table,
                        hidden.key,
                        hidden.column,
                        f"a reader can tell it lies in [{low:.2f}, {high:.2f}] (fewer than "
                        f"{protection_level + 1} possible values)",
                    )
                )
        result.failures += _derived_small_groups(parts["published"], pieces[0], minimum_group_size)
    result.not_covered = skipped
    result.not_counts = dict(relations.not_counts)
    result.seconds = time.perf_counter() - started
    return result


class _Screen:
    """Ranges of a slice's hidden counts, solving as few programmes as the rule needs.

    Every solution is a feasible point: the values the hidden counts take in it are inside
    their ranges. A count whose values at the points found already span the protection
    level (whole numbers) is shown safe without programmes of its own (its range is then
    only the part found, ``exact: false``); every other count gets its least and greatest
    value solved exactly. The points come from the least and greatest of the sum of the
    counts and of two random mixtures of them, then of random mixtures of the counts not
    yet shown wide (while a round shows at least a tenth of them wide, at most
    :data:`_SCREEN_ROUNDS` rounds). With several allowed weights (splits of hidden
    respondents), ranges are the union over them.
    """

    def __init__(self, protection_level: int, exact: bool = False) -> None:
        self.protection_level = protection_level
        self.exact = exact
        """Whether every count is solved exactly, wide or not."""
        self.slots: dict[Cell, int] = {}
        self.low = np.empty(0)
        self.high = np.empty(0)
        self.least = np.empty(0)
        """Solved least values (nan: not solved, or HiGHS's numerical trouble)."""
        self.most = np.empty(0)

    def _slot(self, cells: Sequence[Cell]) -> np.ndarray:
        new = [c for c in cells if c not in self.slots]
        for cell in new:
            self.slots[cell] = len(self.slots)
        if new:
            grow = np.full(len(new), np.nan)
            self.low = np.concatenate([self.low, np.full(len(new), np.inf)])
            self.high = np.concatenate([self.high, np.full(len(new), -np.inf)])
            self.least = np.concatenate([self.least, grow])
            self.most = np.concatenate([self.most, grow])
        return np.array([self.slots[c] for c in cells], dtype=np.int64)

    def _wide(self, slots: np.ndarray) -> np.ndarray:
        spread = np.floor(self.high[slots] + _INTEGER_SLACK) - np.ceil(
            self.low[slots] - _INTEGER_SLACK
        )
        return spread >= self.protection_level

    @staticmethod
    def _push(problem: _Problem, objective: np.ndarray, note: Callable) -> None:
        """The least and the greatest of ``objective``: two more points."""
        for sense in (1, -1):
            found = problem.solve(objective, sense)
            if found is not None:  # None here: HiGHS's numerical trouble, not infeasible
                note(found[1])

    def run(self, problem: _Problem, cells: Sequence[Cell]) -> None:
        piece = problem.piece
        placed = [c for c in dict.fromkeys(cells) if piece.cell_atoms(c) is not None]
        if not placed:
            return
        slots = self._slot(placed)
        if not self.exact and self._wide(slots).all():
            return  # already wide under other weights: a union can only widen them
        atoms = [piece.cell_atoms(cell) for cell in placed]
        matrix = csr_matrix(
            (
                np.ones(sum(map(len, atoms))),
                np.concatenate([np.asarray(a, dtype=np.int64) for a in atoms]),
                np.cumsum([0, *map(len, atoms)]),
            ),
            shape=(len(placed), piece.size),
        )

        def note(x: np.ndarray) -> None:
            values = matrix @ x
            self.low[slots] = np.minimum(self.low[slots], values)
            self.high[slots] = np.maximum(self.high[slots], values)

        first = problem.solve(np.zeros(piece.size), 1)
        if first is None:
            return  # these weights are not possible: nothing to add
        note(first[1])
        rng = np.random.default_rng(0)
        mixtures = [np.ones(len(placed)), rng.random(len(placed)), rng.random(len(placed))]
        for mixture in mixtures:
            self._push(problem, matrix.T @ mixture, note)
        before = None
        for _ in range(_SCREEN_ROUNDS):
            narrow = ~self._wide(slots)
            if not narrow.any() or (before is not None and narrow.sum() > 0.9 * before):
                break
            before = narrow.sum()
            self._push(problem, matrix.T @ np.where(narrow, rng.random(len(placed)), 0.0), note)
        for i in range(len(placed)):
            if not self.exact and self._wide(slots[i : i + 1])[0]:
                continue
            objective = np.zeros(piece.size)
            objective[atoms[i]] = 1.0
            for sense, solved in ((1, self.least), (-1, self.most)):
                found = problem.solve(objective, sense)
                if found is None:  # numerical trouble: the cell keeps its inexact range
                    self.least[slots[i]] = self.most[slots[i]] = np.nan
                    break
                value, x = found
                note(x)
                old = solved[slots[i]]
                pick = min if sense == 1 else max
                solved[slots[i]] = value if np.isnan(old) else pick(old, value)

    def ranges(self) -> dict[Cell, tuple[float, float, bool]]:
        """Each count's ``(lower, upper, exact)``."""
        found = {}
        for cell, slot in self.slots.items():
            low, high = float(self.low[slot]), float(self.high[slot])
            if not np.isfinite(low):
                continue  # never placed in a feasible programme
            least, most = self.least[slot], self.most[slot]
            if np.isnan(least) or np.isnan(most):
                found[cell] = (low, high, False)
            else:
                found[cell] = (min(low, float(least)), max(high, float(most)), True)
        return found


class _LowerBound(Published):
    """``cell >= value``: found by the weights search (kept with the published counts)."""


def _plain_weights(candidate: Mapping[str, Any] | None) -> dict[str, float] | None:
    if candidate is None:
        return None
    return {g: w for g, w in candidate.items() if g != "__respondents__"}


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


def _minimum_group_size(description: Any, manifest: Mapping, manifest_path: Path) -> int:
    """The minimum group size of ``dataset.yml``: the package's description, else what the
    run's manifest recorded from it; an error when neither gives it (no literal fallback)."""
    found = getattr(description, "minimum_group_size", None)
    if found is None:
        found = manifest.get("minimum_group_size")
    if found is None:
        raise ValueError(
            "the audit needs the minimum group size of dataset.yml: no data package was "
            f"given and {manifest_path} has no 'minimum_group_size'"
        )
    if isinstance(found, bool) or not isinstance(found, int) or found < 1:
        raise ValueError(
            f"minimum_group_size must be a whole number of at least 1, got {found!r} "
            f"(from {'dataset.yml' if description is not None else manifest_path})"
        )
    return found


def audit_run(
    run_dir: Path | str,
    package: Any = None,
    *,
    year: int | None = None,
    minimum_group_size: int | None = None,
    protection_level: int = DEFAULT_PROTECTION_LEVEL,
    years: Collection[int] | None = None,
) -> AuditResult:
    """Audit every published table of a run folder together.

    Parameters
    ----------
    run_dir
        The run folder (``tables/<stage>/*.csv`` and ``.json``).
    package
        The data package (its ``teams`` give each team's directorate, its description the
        minimum group size and year). Optional: without it the audit uses what the run's
        ``manifest.json`` says, and treats teams as a classification of their own.
    year, minimum_group_size
        Override what the package or manifest says.
    protection_level
        See :data:`DEFAULT_PROTECTION_LEVEL`.
    years
        Solve the hidden counts of these years only (None: all); see :func:`audit_relations`.

    Returns
    -------
    AuditResult
        Call :meth:`AuditResult.passed`; :class:`DisclosureAuditError` wraps a failed one.
    """
    import json

    run_dir = Path(run_dir)
    manifest_path = run_dir / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    )
    description = getattr(package, "description", None)
    if minimum_group_size is None:
        minimum_group_size = _minimum_group_size(description, manifest, manifest_path)
    if year is None:
        year = int(manifest.get("year") or max(getattr(description, "survey_years", [0])))
    relations = read_relations(run_dir, year, years=years)
    result = audit_relations(
        relations,
        Structure.from_package(package),
        minimum_group_size=minimum_group_size,
        protection_level=protection_level,
        years=years,
    )
    if years is not None:
        result.notes.insert(0, f"only the tables' rows of {sorted(years)} read and audited")
    return result
