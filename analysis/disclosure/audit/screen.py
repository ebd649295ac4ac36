"""The ranges of a slice's hidden counts, solving as few linear programmes as the rule needs.

:class:`_Screen` collects feasible points of a slice's programme (under each allowed split
of hidden respondents) and solves a hidden count's least and greatest value only when the
points found do not already show its range wide enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from analysis.disclosure.audit.programme import _Problem
from analysis.disclosure.audit.results import _INTEGER_SLACK
from analysis.disclosure.relations import Cell

_SCREEN_ROUNDS = 4
"""The most rounds of random mixtures of the counts not yet shown wide (:class:`_Screen`)."""


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
