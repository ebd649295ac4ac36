"""One slice's linear programme: its atoms and relations, and its model kept in HiGHS.

A slice is one universe and slice of the run (e.g. answers, 2008, Q1): :class:`_Slice`
writes its counts as sums of non-negative atoms and holds its linear relations;
:class:`_Problem` loads them in HiGHS once and solves one objective after another from the
last basis. :class:`Structure` is what a reader knows of the organisation (each team's
directorate), which places a team's people inside its directorate's.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import csc_matrix, csr_matrix

from analysis.disclosure.relations import Cell

__all__ = ["Structure"]

_ATOM_CEILING = 1e7
"""An upper bound on every atom (more people than any organisation has). A count nothing
published bounds (a hidden organisation count with no published total) then reaches it and
is shown wide, instead of leaving the linear programme unbounded."""
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

    def _sparse(self, rows: list[dict[int, float]]) -> csr_matrix:
        """The rows (atom to coefficient) as one sparse matrix, row by row."""
        cols = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
        data = np.fromiter(
            itertools.chain.from_iterable(row.values() for row in rows), dtype=np.float64
        )
        indptr = np.cumsum([0, *map(len, rows)])
        return csr_matrix((data, cols, indptr), shape=(len(rows), self.size))

    def matrices(self) -> tuple[Any, Any, Any, Any]:
        """``A_ub, b_ub, A_eq, b_eq`` for :func:`scipy.optimize.linprog` (None: no rows)."""
        return (
            self._sparse(self.ub_rows) if self.ub_rows else None,
            np.array(self.ub_values) if self.ub_rows else None,
            self._sparse(self.eq_rows) if self.eq_rows else None,
            np.array(self.eq_values) if self.eq_rows else None,
        )

    def stacked(self) -> csc_matrix:
        """The inequality rows, then the equality rows, in one column-wise matrix (HiGHS's)."""
        return self._sparse(self.ub_rows + self.eq_rows).tocsc()


def _sum(atoms: Iterable[int], coefficient: float = 1.0) -> dict[int, float]:
    """The row ``coefficient * sum(atoms)``: an atom listed k times gets k additions of it.

    Parameters
    ----------
    atoms
        Atom indices (the usual case, no atom twice, is built in one step).
    coefficient
        Each atom's coefficient.

    Returns
    -------
    dict[int, float]
        Each atom's coefficient; the same floats as adding ``coefficient`` to 0.0 once for
        every time the atom is listed (``0.0 + coefficient`` turns -0.0 into 0.0).
    """
    atoms = list(atoms)
    row = dict.fromkeys(atoms, 0.0 + coefficient)
    if len(row) < len(atoms):  # an atom listed twice: add up its coefficients
        row = dict.fromkeys(atoms, 0.0)
        for atom in atoms:
            row[atom] += coefficient
    return row


def _combine(*parts: dict[int, float]) -> dict[int, float]:
    """The sum of rows; a part sharing no atom with those before it is merged in one step.

    Parameters
    ----------
    *parts
        Rows (atom to coefficient) from :func:`_sum`, whose coefficients are never -0.0.

    Returns
    -------
    dict[int, float]
        The same floats as adding every part's coefficients to 0.0 in order.
    """
    row: dict[int, float] = {}
    for part in parts:
        if row.keys().isdisjoint(part):
            row.update(part)
            continue
        for atom, coefficient in part.items():
            row[atom] = row.get(atom, 0.0) + coefficient
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
        matrix = piece.stacked()
        infinity = highspy.kHighsInf
        b_ub, b_eq = np.array(piece.ub_values), np.array(piece.eq_values)
        lp = highspy.HighsLp()
        lp.num_col_ = piece.size
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(piece.size)
        lp.col_lower_ = np.zeros(piece.size)
        lp.col_upper_ = np.full(piece.size, _ATOM_CEILING)
        lp.row_lower_ = np.concatenate([np.full(len(b_ub), -infinity), b_eq])
        lp.row_upper_ = np.concatenate([b_ub, b_eq])
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
