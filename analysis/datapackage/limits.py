"""How large a data package's files, tables and cells may be, and the checks that say so.

The limits keep a bad or hostile package from taking the machine down (memory, time) or
crashing a stage half-way; each check adds a problem naming the file, row and column, so
``python -m analysis check`` reports it before anything runs.

================================  ==================  ==========================================
Limit                             Value               Why
================================  ==================  ==========================================
:data:`MAX_CELL_CHARACTERS`       32,767 characters   Excel's limit for one cell; the reports'
                                                      workbook could not hold more
:data:`MAX_TABLE_BYTES`           2 GiB               3.5 million survey rows (the national
                                                      benchmark) are about 0.7 GB as CSV
:data:`MAX_ROWS`                  10,000,000 rows     the same, with room to spare
:data:`MAX_YAML_BYTES`            1 MiB               the demo's largest, codebook.yml, is 19 kB
:data:`MAX_YAML_DEPTH`            20 levels           codebooks nest themes and codes a few deep
:data:`MAX_LABEL_CHARACTERS`      200 characters      a code's or theme's label is a heading
================================  ==================  ==========================================

Files that are symbolic links to somewhere outside the data package are refused too
(:func:`link_leaves_package`): the package is what was handed over, and a link could make a
check or a run read any file the user can read.

References
----------
Microsoft, "Excel specifications and limits" (32,767 characters in a cell),
https://support.microsoft.com/en-gb/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.datapackage.problem_log import ProblemLog

__all__ = [
    "MAX_CELL_CHARACTERS",
    "MAX_LABEL_CHARACTERS",
    "MAX_ROWS",
    "MAX_TABLE_BYTES",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "check_file_size",
    "check_table_size",
    "link_leaves_package",
]

MAX_CELL_CHARACTERS = 32_767
MAX_TABLE_BYTES = 2 * 1024**3
MAX_ROWS = 10_000_000
MAX_YAML_BYTES = 1024**2
MAX_YAML_DEPTH = 20
MAX_LABEL_CHARACTERS = 200

_YAML_SUFFIXES = (".yml", ".yaml")


def check_file_size(path: Path, file: str, log: ProblemLog) -> bool:
    """Whether a package file is small enough to read; if not, a problem says so.

    Parameters
    ----------
    path
        The file.
    file
        Its name as shown in problems.
    log
        Receives the problem.
    """
    size = path.stat().st_size
    yaml_file = path.suffix.lower() in _YAML_SUFFIXES
    most = MAX_YAML_BYTES if yaml_file else MAX_TABLE_BYTES
    if size <= most:
        return True
    log.add(
        file,
        f"the file is {size:,} bytes; the suite reads {'YAML' if yaml_file else 'table'} "
        f"files of at most {most:,} bytes (see docs/data-package.md, 'Limits')",
    )
    return False


def check_table_size(cells: pd.DataFrame, file: str, log: ProblemLog) -> bool:
    """Whether a table read from a file is within the row and cell-length limits.

    Parameters
    ----------
    cells
        The raw cells, indexed by the row's 0-based position among the data rows (so the
        spreadsheet row is index + 2).
    file
        The file's name as shown in problems.
    log
        Receives one problem per column holding a cell longer than
        :data:`MAX_CELL_CHARACTERS` (naming its first such row), or one for too many rows.

    Returns
    -------
    bool
        ``True`` when the table is within the limits.
    """
    if len(cells) > MAX_ROWS:
        log.add(
            file,
            f"the table has {len(cells):,} rows; the suite reads at most {MAX_ROWS:,} "
            "(see docs/data-package.md, 'Limits')",
        )
        return False
    fine = True
    for column in cells.columns:
        values = cells[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            continue
        lengths = values.map(lambda value: len(value) if isinstance(value, str) else 0)
        long = np.flatnonzero(lengths.to_numpy() > MAX_CELL_CHARACTERS)
        if long.size:
            first = int(long[0])
            log.add(
                file,
                f"this cell has {int(lengths.iloc[first]):,} characters; a cell may hold at "
                f"most {MAX_CELL_CHARACTERS:,} (Excel's limit)"
                + (f"; {long.size - 1} more row(s) of this column too" if long.size > 1 else ""),
                row=int(cells.index[first]) + 2,
                column=str(column),
            )
            fine = False
    return fine


def link_leaves_package(path: Path, folder: Path, log: ProblemLog) -> bool:
    """Whether ``path`` is a symbolic link leading outside ``folder``; if so, a problem says so.

    Parameters
    ----------
    path
        A file or folder inside the data package folder.
    folder
        The data package folder.
    log
        Receives a problem naming the link and where it leads.
    """
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target.is_relative_to(folder.resolve()):
        return False
    log.add(
        path.name,
        f"a symbolic link to {target}, outside the data package; the suite reads only files "
        "inside the package: copy the file into the package folder",
    )
    return True
