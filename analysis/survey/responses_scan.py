"""One pass over a contractor's responses file: check it, keep one organisation, count the rest.

A national responses file holds millions of respondents, of whom ``import-survey`` keeps
one organisation's (a few thousand a year) and, for every other organisation, only how
many valid and positive answers each item had. :func:`scan_responses` reads the file once,
in batches of rows when it is Parquet (with :class:`pyarrow.parquet.ParquetFile`, only the
columns the questionnaire and the groups need), so memory stays bounded by the batch size
and the organisation's own rows, whatever the size of the file. Every batch gets the checks
a whole file would: types, years without questionnaire rows, codes outside an item's
scale; a respondent repeated within an organisation and year is found across batches from
a 64-bit hash of ``(year, org, respondent_id)`` per row. Other formats (CSV, Excel, SPSS)
are read whole, as one batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_parquet_batches, read_table
from analysis.datapackage.schemas import ColumnSpec, TableSpec
from analysis.datapackage.table_checks import check_table
from analysis.survey.counts import count_answers

__all__ = ["BATCH_ROWS", "ScannedResponses", "read_header", "scan_responses"]

BATCH_ROWS = 250_000
"""Rows per batch of a Parquet responses file: about 100 MiB for 90 items."""

_KEY = ("year", "org", "respondent_id")


@dataclass
class ScannedResponses:
    """What one pass over the responses file found.

    Attributes
    ----------
    own
        The organisation's respondents: the key, group and item columns, checked.
    counts
        Every other organisation's answers: ``year``, ``org``, ``item_id``, ``code``
        (missing for a blank) and ``count``.
    value_labels
        SPSS value labels, ``{column: {code: label}}`` (empty for other formats).
    organisations
        Every ``org`` code seen.
    """

    own: pd.DataFrame
    counts: pd.DataFrame
    value_labels: dict = field(default_factory=dict)
    organisations: set[str] = field(default_factory=set)


def read_header(path: Path, log: ProblemLog) -> tuple[list[str] | None, pd.DataFrame | None]:
    """The responses file's columns, and its cells when the format is read whole.

    Returns ``(columns, cells)``: for Parquet only the columns (the rows are read later in
    batches) and ``cells`` is ``None``; ``(None, None)`` when the file cannot be read.
    """
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as parquet

        try:
            return list(parquet.ParquetFile(path).schema_arrow.names), None
        except Exception as error:  # pyarrow raises several error types for damaged files
            log.add(path.name, f"cannot be read as a Parquet file: {error}")
            return None, None
    cells = read_table(path, path.read_bytes(), path.name, log)
    return (None, None) if cells is None else (list(cells.columns), cells)


def scan_responses(
    path: Path,
    cells: pd.DataFrame | None,
    items: pd.DataFrame,
    allowed: dict[tuple[str, int], np.ndarray],
    groups: Sequence[str],
    organisation: str,
    files: dict[str, str],
    log: ProblemLog,
) -> ScannedResponses:
    """Check every row of the responses file, keep the organisation's, count the others'.

    Parameters
    ----------
    path
        The responses file.
    cells
        Its cells when :func:`read_header` read it whole; ``None`` for Parquet (read here
        in batches of :data:`BATCH_ROWS`).
    items
        The checked questionnaire (``item_id``, ``column``, ``year``, ``scale``); its columns
        and the group columns are known to be in the file.
    allowed
        ``(column, year)`` -> the codes an answer may take (the scale's and the excluded).
    groups
        The group columns (``--groups``, ``--staff-group``, ``--directorate``).
    organisation
        ``--org``.
    files
        Option -> file name, for problems.
    log
        Receives every problem, each naming the row and column.

    Returns
    -------
    ScannedResponses
    """
    file = files["responses"]
    item_columns = list(dict.fromkeys(items["column"]))
    wanted = list(dict.fromkeys([*_KEY, *groups, *item_columns]))
    spec = TableSpec(
        "responses",
        (ColumnSpec("respondent_id"), ColumnSpec("year", "integer"), ColumnSpec("org"))
        + tuple(ColumnSpec(column, blank_allowed=True) for column in groups)
        + tuple(ColumnSpec(column, "code", blank_allowed=True) for column in item_columns),
        unique=(_KEY,),
    )
    questionnaire = items.rename(columns={"scale": "scale_id"})[["year", "item_id", "column"]]
    own_parts: list[pd.DataFrame] = []
    count_parts: list[pd.DataFrame] = []
    keys = _RepeatedRespondents()
    organisations: set[str] = set()
    value_labels = {} if cells is None else dict(cells.attrs.get("value_labels", {}))
    for batch in _batches(path, cells, wanted, file, log):
        table = check_table(batch[wanted], spec, file, log)
        if log.has_problems(file, ("year", "org")):
            continue
        organisations.update(table["org"].dropna().unique())
        keys.add(table)
        if log:  # answers are checked against the scales once every cell has its type
            continue
        table = _years_asked(table, items, organisation, files, log)
        _check_codes(table, items, allowed, file, log)
        mine = table["org"] == organisation
        own_parts.append(table[mine])
        others = table[~mine & table["org"].notna()]
        if len(others):
            count_parts.append(_counts(others, questionnaire))
    keys.report(file, log)
    own = pd.concat(own_parts) if own_parts else pd.DataFrame(columns=wanted)
    counts = (
        pd.concat(count_parts, ignore_index=True)
        .groupby(["year", "org", "item_id", "code"], dropna=False, sort=True, observed=True)[
            "count"
        ]
        .sum()
        .reset_index()
        if count_parts
        else pd.DataFrame(columns=["year", "org", "item_id", "code", "count"])
    )
    return ScannedResponses(own, counts, value_labels, organisations)


def _batches(
    path: Path, cells: pd.DataFrame | None, columns: list[str], file: str, log: ProblemLog
) -> Iterator[pd.DataFrame]:
    if cells is not None:
        yield cells
        return
    yield from read_parquet_batches(path, file, log, columns=columns, batch_rows=BATCH_ROWS)


def _counts(others: pd.DataFrame, questionnaire: pd.DataFrame) -> pd.DataFrame:
    """Each code's count per year, organisation and item, of the rows of one batch."""
    asked = questionnaire[questionnaire["year"].isin(others["year"].unique())]
    counted = count_answers(others, asked, by=["org"])
    return counted.astype({"org": "str", "item_id": "str"})


def _years_asked(
    table: pd.DataFrame,
    items: pd.DataFrame,
    organisation: str,
    files: dict[str, str],
    log: ProblemLog,
) -> pd.DataFrame:
    """The rows of years the questionnaire covers; the organisation's other years are problems.

    Other organisations' rows in other years are left out: they could not be compared.
    """
    asked = table["year"].isin(items["year"])
    unknown = table.index[~asked & (table["org"] == organisation)]
    log.add_rows(
        files["responses"],
        "year",
        "year without questionnaire",
        unknown,
        lambda index: (
            f"'{organisation}' has answers in {table.at[index, 'year']} but "
            f"{files['questionnaire']} has no items for that year; expected questionnaire "
            "rows for every year of the organisation's responses"
        ),
    )
    return table[asked]


def _check_codes(
    table: pd.DataFrame,
    items: pd.DataFrame,
    allowed: dict[tuple[str, int], np.ndarray],
    file: str,
    log: ProblemLog,
) -> None:
    """Every answer is a code of its item's scale or an excluded code; blank where not asked."""
    years = table["year"].to_numpy(dtype="float64", na_value=np.nan)
    for column, asked in items.groupby("column", sort=False):
        values = table[column].to_numpy(dtype="float64", na_value=np.nan)
        answered = ~np.isnan(values)
        not_asked = answered & ~np.isin(years, asked["year"].to_numpy())
        log.add_rows(
            file,
            column,
            "not asked",
            table.index[not_asked],
            lambda index, column=column: (
                f"code {table.at[index, column]} but the questionnaire has no item in column "
                f"'{column}' for {table.at[index, 'year']}; expected a blank cell"
            ),
        )
        for item in asked.itertuples(index=False):
            codes = allowed[(column, item.year)]
            outside = answered & (years == item.year) & ~np.isin(values, codes)
            log.add_rows(
                file,
                column,
                "code not in scale",
                table.index[outside],
                lambda index, column=column, item=item, codes=codes: (
                    f"code {table.at[index, column]} is not in scale '{item.scale}' of item "
                    f"'{item.item_id}' in {item.year}; expected one of "
                    f"{';'.join(str(int(code)) for code in codes)} or a blank cell"
                ),
            )


class _RepeatedRespondents:
    """Finds a respondent repeated within an organisation and year, across batches.

    Within a batch :func:`~analysis.datapackage.table_checks.check_unique` reports the
    repeats with their values; across batches each row's key is hashed
    (:func:`pandas.util.hash_pandas_object`, 64 bits: a false repeat among 3.5 million
    rows has a chance of about 3 in 10 million) and repeats are reported by row.
    """

    def __init__(self) -> None:
        self._hashes: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []
        self._batch: list[np.ndarray] = []

    def add(self, table: pd.DataFrame) -> None:
        keyed = table.loc[table[list(_KEY)].notna().all(axis=1), list(_KEY)]
        number = len(self._hashes)
        self._hashes.append(pd.util.hash_pandas_object(keyed, index=False).to_numpy())
        self._rows.append(keyed.index.to_numpy())
        self._batch.append(np.full(len(keyed), number, dtype=np.int32))

    def report(self, file: str, log: ProblemLog) -> None:
        if len(self._hashes) < 2:
            return
        hashes = pd.Series(np.concatenate(self._hashes))
        repeated = hashes.duplicated(keep="first").to_numpy()
        if not repeated.any():
            return
        rows, batch = np.concatenate(self._rows), np.concatenate(self._batch)
        _, first_position, group = np.unique(
            hashes.to_numpy(), return_index=True, return_inverse=True
        )
        first = first_position[group]
        across = np.flatnonzero(repeated & (batch[first] != batch))
        shown = {rows[position]: rows[first[position]] for position in across[:100]}
        log.add_rows(
            file,
            "respondent_id",
            "duplicate",
            rows[across],
            lambda row: (
                f"this row's respondent_id, year and org repeat row "
                f"{spreadsheet_row(shown[row])}'s; expected each respondent_id once within "
                "each year and org"
            ),
        )
