"""Checks of one table on its own: its columns, each cell's type, and its unique keys."""

from __future__ import annotations

import difflib

import pandas as pd

from analysis.datapackage.conversion import convert_column, quote_cell
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.schemas import TableSpec

__all__ = ["check_table", "check_unique"]

_SUGGESTION_CUTOFF = 0.6


def check_table(
    cells: pd.DataFrame,
    spec: TableSpec,
    file: str,
    log: ProblemLog,
    *,
    column_sources: dict[str, str] | None = None,
    extra_columns_hint: str | None = None,
) -> pd.DataFrame:
    """Check one table's header, convert its columns and check its unique keys.

    Parameters
    ----------
    cells
        The raw table from :func:`analysis.datapackage.readers.read_table`.
    spec
        What the table must hold.
    file
        The file's name, for problems.
    log
        Receives every problem found.
    column_sources
        Optional note per column saying why it is expected (e.g. "named in
        questionnaire.csv for 2023"), added to the message when it is missing.
    extra_columns_hint
        When given, columns outside ``spec`` are problems and this text tells the user what
        the table may hold; when ``None``, such columns are kept as they were read.

    Returns
    -------
    pandas.DataFrame
        The table with every specified column converted (cells that failed are missing),
        same index as ``cells``.
    """
    sources = column_sources or {}
    expected = {column.name for column in spec.columns}
    extra = [name for name in cells.columns if name not in expected]
    for column in spec.columns:
        if not column.present or column.name in cells.columns:
            continue
        close = difflib.get_close_matches(column.name, extra, n=1, cutoff=_SUGGESTION_CUTOFF)
        if close:
            extra.remove(close[0])
            log.add(
                file,
                f"unknown column; did you mean '{column.name}'? "
                f"(the file has no column '{column.name}')",
                row=1,
                column=close[0],
            )
        else:
            source = f" ({sources[column.name]})" if column.name in sources else ""
            log.add(
                file,
                f"missing: the file has no column '{column.name}'; "
                f"expected a column of {column.expectation()}{source}",
                column=column.name,
            )
    if extra_columns_hint is not None:
        names = [column.name for column in spec.columns]
        for name in extra:
            close = difflib.get_close_matches(name, names, n=1, cutoff=_SUGGESTION_CUTOFF)
            hint = f"did you mean '{close[0]}'? " if close else ""
            log.add(file, f"unexpected column; {hint}{extra_columns_hint}", row=1, column=name)
    if spec.required and cells.empty:
        log.add(file, "the file has a header but no data rows; expected at least one row")
    specs = {column.name: column for column in spec.columns}
    table = pd.DataFrame(
        {
            name: convert_column(cells[name], specs[name], file, log)
            if name in specs
            else cells[name]
            for name in cells.columns
        },
        index=cells.index,
    )
    for key in spec.unique:
        check_unique(table, key, file, log)
    return table


def check_unique(table: pd.DataFrame, key: tuple[str, ...], file: str, log: ProblemLog) -> None:
    """Report every row whose key repeats an earlier row's.

    Parameters
    ----------
    table
        A converted table.
    key
        The key's columns; the problem names the last one, the others say within what it
        must be unique. Rows with a blank key cell are skipped (blanks are reported
        elsewhere); a key with a column missing from the table is not checked.
    file, log
        Where problems are reported.
    """
    if not set(key) <= set(table.columns):
        return
    keyed = table[key[0]] if len(key) == 1 else table[list(key)]
    if not keyed.duplicated(keep="first").any():
        return
    keyed = table.loc[table[list(key)].notna().all(axis=1), list(key)]
    repeated = keyed.duplicated(keep="first")
    group = keyed.groupby(list(key), sort=False).ngroup()
    first_index = pd.Series(keyed.index, index=keyed.index).groupby(group).transform("min")
    within = key[:-1]

    def describe(index: int) -> str:
        context = ", ".join(f"{name} {quote_cell(keyed.at[index, name])}" for name in within)
        where = f" for {context}" if within else ""
        scope = f" within each {' and '.join(within)}" if within else ""
        first = spreadsheet_row(first_index[index])
        return (
            f"{quote_cell(keyed.at[index, key[-1]])} appears again{where} (first at row "
            f"{first}); expected each {key[-1]} once{scope}"
        )

    log.add_rows(file, key[-1], "duplicate", keyed.index[repeated], describe)
