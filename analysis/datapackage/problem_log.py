"""Collecting problems while a data package is validated, with a cap per kind.

A systematically broken file (say, a column of text where codes belong) would otherwise
bury the reader in thousands of identical lines. The log shows the first few problems of
each kind in each column of each file, then one ``... and N more`` line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from analysis.problems import Problem

__all__ = ["ProblemLog", "SHOWN_PER_KIND", "spreadsheet_row"]

SHOWN_PER_KIND = 20
"""How many problems of one kind, in one column of one file, are listed in full."""


def spreadsheet_row(index: int) -> int:
    """Return the spreadsheet row number of a table's 0-based data row.

    The header is row 1, so the first data row (index 0) is row 2.
    """
    return int(index) + 2


_Key = tuple[str, str | None, str]


class ProblemLog:
    """An ordered list of problems that caps each (file, column, kind) group.

    Parameters
    ----------
    shown_per_kind
        How many problems of one kind, in one column of one file, are listed in full; the
        rest are counted and summarised in one ``... and N more`` problem.
    """

    def __init__(self, shown_per_kind: int = SHOWN_PER_KIND) -> None:
        if shown_per_kind < 1:
            raise ValueError(f"shown_per_kind must be at least 1, got {shown_per_kind}")
        self.shown_per_kind = shown_per_kind
        self._entries: list[tuple[_Key, Problem]] = []
        self._shown: Counter[_Key] = Counter()
        self._hidden: Counter[_Key] = Counter()

    def __len__(self) -> int:
        """The number of problems found, including those not listed in full."""
        return sum(self._shown.values()) + sum(self._hidden.values())

    def __bool__(self) -> bool:
        return bool(self._entries)

    def has_problems(self, file: str, columns: tuple[str, ...]) -> bool:
        """Whether any problem so far concerns these columns of the file, or the whole file.

        Cross-table checks use it to stay quiet about rows that only look wrong because a
        table they refer to has problems already reported.
        """
        wanted = {None, *columns}
        counts = self._shown + self._hidden  # Counter addition keeps positive counts only
        return any(key[0] == file and key[1] in wanted for key in counts)

    def add(
        self,
        file: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        kind: str | None = None,
    ) -> None:
        """Record one problem.

        Parameters
        ----------
        file, message, row, column
            As in :class:`analysis.problems.Problem`; ``row`` is the spreadsheet row number.
        kind
            A short label grouping problems of the same kind (e.g. ``"not a code"``); the
            message itself is used when it is not given.
        """
        key = (file, column, kind or message)
        if self._shown[key] >= self.shown_per_kind:
            self._hidden[key] += 1
            return
        self._shown[key] += 1
        self._entries.append((key, Problem(file, message, row, column)))

    def add_rows(
        self,
        file: str,
        column: str | None,
        kind: str,
        indexes: Sequence[int],
        describe: Callable[[int], str],
    ) -> None:
        """Record one problem per data row, formatting messages only for those listed.

        Parameters
        ----------
        file, column
            Where the problems are.
        kind
            A short label grouping these problems (see :meth:`add`).
        indexes
            The 0-based positions of the offending rows in the table as read.
        describe
            Called with one index at a time, returns that row's message. It is called only
            for the rows that will be listed, so checks of large tables stay fast.
        """
        key = (file, column, kind)
        room = max(self.shown_per_kind - self._shown[key], 0)
        for index in list(indexes[:room]):
            self.add(file, describe(index), spreadsheet_row(index), column, kind)
        self._hidden[key] += max(len(indexes) - room, 0)

    def problems(self) -> list[Problem]:
        """Return the problems in the order found, each capped group followed by its count."""
        last_position = {key: position for position, (key, _) in enumerate(self._entries)}
        result: list[Problem] = []
        for position, (key, problem) in enumerate(self._entries):
            result.append(problem)
            if self._hidden[key] and last_position[key] == position:
                file, column, _ = key
                more = self._hidden[key]
                result.append(Problem(file, f"... and {more} more like the above", None, column))
        return result
