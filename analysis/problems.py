"""Problems found in a data package, reported the way a user can act on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "DataPackageError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Parameters
    ----------
    file
        The file's name relative to the data package (e.g. ``responses.csv``).
    message
        What was found and what was expected.
    row
        Spreadsheet row number (the header is row 1, the first data row is row 2),
        or ``None`` when the problem concerns the whole file or a column.
    column
        The column's name, or ``None`` when the problem concerns a whole row or file.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataPackageError(Exception):
    """Raised when a data package has problems; carries every problem found.

    Parameters
    ----------
    folder
        The data package folder.
    problems
        Every problem found (validation does not stop at the first).
    """

    def __init__(self, folder: Path | str, problems: list[Problem]) -> None:
        self.folder = Path(folder)
        self.problems = list(problems)
        lines = [f"The data package {self.folder.name!r} has {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
