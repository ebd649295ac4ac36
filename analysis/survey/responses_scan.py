"""One pass over a contractor's responses file: check it, keep one organisation, count the rest.

A national responses file holds millions of respondents, of whom ``import-survey`` keeps
one organisation's (a few thousand a year) and, for every other organisation, only how
often each item got each code. :func:`scan_responses` reads the file once, in batches of
rows when it is Parquet (:meth:`pyarrow.parquet.ParquetFile.iter_batches`, only the
columns the questionnaire and the groups need), so memory is bounded by the batch size and
the organisation's own rows, whatever the size of the file. Other formats (CSV, Excel,
SPSS) are read whole, as one batch.

Every batch gets the checks a whole file gets: each cell's type, years without
questionnaire rows, codes outside an item's scale or in a year that does not ask the
column. The answers are handled as arrays: an integer Parquet column is already codes;
its values are checked against a lookup of the codes allowed per year, and counted with
:func:`numpy.bincount` into one array per column (year x organisation x code). A respondent
repeated within an organisation and year is found across batches from a 64-bit hash of
``(year, org, respondent_id)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.datapackage.conversion import convert_column
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_parquet_batches, read_table, strip_blanks
from analysis.datapackage.schemas import ColumnSpec, TableSpec
from analysis.datapackage.table_checks import check_table

__all__ = ["BATCH_ROWS", "ScannedResponses", "read_header", "scan_responses"]

BATCH_ROWS = 200_000
"""Rows per batch of a Parquet responses file (about 20 MiB of answers for 90 items)."""

_KEY = ("year", "org", "respondent_id")


@dataclass
class ScannedResponses:
    """What one pass over the responses file found.

    Attributes
    ----------
    own
        The organisation's respondents: ``respondent_id``, ``year``, ``org``, the group
        columns (text) and the item columns (``Int64`` codes), checked.
    counts
        Every other organisation's answers: ``year``, ``org``, ``column``, ``code``
        (missing for a blank) and ``count``, for the years the questionnaire covers. An
        organisation with respondents in a year has counts (if only of blanks) for every
        column.
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
    answers = _Answers(items, allowed)
    fixed = list(dict.fromkeys([*_KEY, *groups]))
    spec = TableSpec(
        "responses",
        (ColumnSpec("respondent_id"), ColumnSpec("year", "integer"), ColumnSpec("org"))
        + tuple(ColumnSpec(column, blank_allowed=True) for column in groups),
        unique=(_KEY,),
    )
    own_parts: list[pd.DataFrame] = []
    keys = _RepeatedRespondents()
    organisations: set[str] = set()
    value_labels = {} if cells is None else dict(cells.attrs.get("value_labels", {}))
    for rows, codes in _batches(path, cells, fixed, answers.columns, file, log):
        table = check_table(rows[fixed], spec, file, log)
        if log.has_problems(file, ("year", "org")):
            continue
        organisations.update(table["org"].dropna().unique())
        keys.add(table)
        if log:  # answers are checked against the scales once every cell has its type
            continue
        year = table["year"].to_numpy(dtype="float64", na_value=np.nan)
        mine = (table["org"] == organisation).to_numpy(dtype=bool, na_value=False)
        asked = _years_asked(table, year, mine, answers.years, organisation, files, log)
        rows = answers.year_rows(year, asked)
        slots = {column: answers.slots(values) for column, values in codes.items()}
        answers.check(table.index, year, codes, slots, rows, file, log)
        if mine.any():
            own = table[mine & asked]
            own_parts.append(
                own.assign(
                    **{
                        column: pd.array(values[mine & asked], dtype="Float64").astype("Int64")
                        for column, values in codes.items()
                    }
                )
            )
        if not log:
            answers.count(table["org"], rows, slots, asked & ~mine)
    keys.report(file, log)
    columns = [*fixed, *answers.columns]
    own = pd.concat(own_parts) if own_parts else pd.DataFrame(columns=columns)
    return ScannedResponses(own, answers.table(), value_labels, organisations)


def _batches(
    path: Path,
    cells: pd.DataFrame | None,
    fixed: list[str],
    item_columns: list[str],
    file: str,
    log: ProblemLog,
) -> Iterator[tuple[pd.DataFrame, dict[str, np.ndarray]]]:
    """Each batch's key and group columns (raw cells), and its answers as float arrays
    (``nan`` for a blank, and for a cell that is not a whole-number code: a problem)."""
    if cells is not None:
        yield cells[fixed], {column: _codes(cells[column], file, log) for column in item_columns}
        return
    for batch, offset in read_parquet_batches(
        path, file, log, columns=[*fixed, *item_columns], batch_rows=BATCH_ROWS
    ):
        index = pd.RangeIndex(offset, offset + batch.num_rows)
        rows = strip_blanks(batch.select(fixed).to_pandas())
        rows.index = index
        codes = {}
        for column in item_columns:
            values = batch.column(column)
            if _is_integer(values.type):
                codes[column] = values.to_numpy(zero_copy_only=False).astype("float64")
            else:
                codes[column] = _codes(pd.Series(values.to_pandas(), index=index), file, log)
        yield rows, codes


def _is_integer(arrow_type: object) -> bool:
    import pyarrow.types as types

    return types.is_integer(arrow_type)


def _codes(values: pd.Series, file: str, log: ProblemLog) -> np.ndarray:
    spec = ColumnSpec(str(values.name), "code", blank_allowed=True)
    converted = convert_column(values, spec, file, log)
    return converted.to_numpy(dtype="float64", na_value=np.nan)


def _years_asked(
    table: pd.DataFrame,
    year: np.ndarray,
    mine: np.ndarray,
    years: np.ndarray,
    organisation: str,
    files: dict[str, str],
    log: ProblemLog,
) -> np.ndarray:
    """Which rows are of a year the questionnaire covers; the organisation's other years
    are problems (other organisations' rows in other years are left out: they could not
    be compared)."""
    asked = np.isin(year, years)
    log.add_rows(
        files["responses"],
        "year",
        "year without questionnaire",
        table.index[~asked & mine],
        lambda index: (
            f"'{organisation}' has answers in {table.at[index, 'year']} but "
            f"{files['questionnaire']} has no items for that year; expected questionnaire "
            "rows for every year of the organisation's responses"
        ),
    )
    return asked


class _Answers:
    """The codes each column may take per year, and the other organisations' counts.

    An answer becomes a slot: the position of its code among every code any item allows
    (so a "not applicable" 999 costs one slot, not a thousand), :attr:`outside` for any
    other code, :attr:`blank` for a blank. A lookup per
    column, ``[year, slot]``, says which slots are allowed (a blank always is; its last
    row, for rows whose year the questionnaire does not cover, allows every slot); the
    counts per column are ``[year, organisation, slot]``, grown as organisations appear.
    """

    def __init__(self, items: pd.DataFrame, allowed: dict[tuple[str, int], np.ndarray]) -> None:
        self.items = items
        self.columns = list(dict.fromkeys(items["column"]))
        self.years = np.array(sorted(set(items["year"].astype(int))), dtype="int64")
        self.codes = np.unique(np.concatenate([[], *allowed.values()]).astype("float64"))
        self.outside = len(self.codes)
        self.blank = self.outside + 1
        self.width = self.blank + 1
        self.lookup: dict[str, np.ndarray] = {}
        for column in self.columns:
            lookup = np.zeros((len(self.years) + 1, self.width), dtype=bool)
            lookup[:, self.blank] = True
            lookup[-1, :] = True
            for (name, year), codes in allowed.items():
                if name == column:
                    row = int(np.searchsorted(self.years, year))
                    lookup[row, np.searchsorted(self.codes, codes)] = True
            self.lookup[column] = lookup.ravel()
        self.organisations: list[str] = []
        self._counts = {
            column: np.zeros((len(self.years), 0, self.width), dtype=np.int64)
            for column in self.columns
        }

    def slots(self, codes: np.ndarray) -> np.ndarray:
        """The slot of each answer (``codes`` as floats, ``nan`` for a blank)."""
        position = np.searchsorted(self.codes, codes)  # a blank (nan) sorts last
        found = self.codes[np.minimum(position, self.outside - 1)] == codes
        slot = np.where(found, position, self.outside).astype(np.int32)
        slot[np.isnan(codes)] = self.blank
        return slot

    def year_rows(self, year: np.ndarray, asked: np.ndarray) -> np.ndarray:
        """Each row's year position in the lookups (the last for a year not asked)."""
        found = np.searchsorted(self.years, np.where(asked, year, self.years[0]))
        return np.where(asked, found, len(self.years)).astype(np.int64)

    def check(
        self,
        index: pd.Index,
        year: np.ndarray,
        codes: dict[str, np.ndarray],
        slots: dict[str, np.ndarray],
        rows: np.ndarray,
        file: str,
        log: ProblemLog,
    ) -> None:
        """Report answers in a year that does not ask the column, and codes not allowed."""
        start = rows * self.width
        for column in self.columns:
            bad = np.flatnonzero(~self.lookup[column][start + slots[column]])
            if bad.size:
                self._report(column, index, year, codes[column], rows, bad, file, log)

    def _report(
        self,
        column: str,
        index: pd.Index,
        year: np.ndarray,
        values: np.ndarray,
        rows: np.ndarray,
        bad: np.ndarray,
        file: str,
        log: ProblemLog,
    ) -> None:
        asked = self.lookup[column].reshape(len(self.years) + 1, self.width)[:, : self.outside]
        not_asked = ~asked[rows[bad]].any(axis=1)
        items = self.items[self.items["column"] == column].set_index("year")

        def code(at: int) -> str:
            return str(int(values[at])) if float(values[at]).is_integer() else str(values[at])

        def not_asked_message(row: int) -> str:
            at = index.get_loc(row)
            return (
                f"code {code(at)} but the questionnaire has no item in column '{column}' for "
                f"{int(year[at])}; expected a blank cell"
            )

        def outside_message(row: int) -> str:
            at = index.get_loc(row)
            item = items.loc[int(year[at])]
            listed = ";".join(str(int(code)) for code in self.codes[asked[rows[at]]])
            return (
                f"code {code(at)} is not in scale '{item['scale']}' of item "
                f"'{item['item_id']}' in {int(year[at])}; expected one of {listed} or a "
                "blank cell"
            )

        log.add_rows(file, column, "not asked", index[bad[not_asked]], not_asked_message)
        log.add_rows(file, column, "code not in scale", index[bad[~not_asked]], outside_message)

    def count(
        self,
        organisation: pd.Series,
        rows: np.ndarray,
        slots: dict[str, np.ndarray],
        counted: np.ndarray,
    ) -> None:
        """Add the answers of the ``counted`` rows to the counts per year, organisation, slot."""
        if not counted.any():
            return
        names = organisation.to_numpy()
        known = set(self.organisations)
        new = [name for name in pd.unique(names[counted]) if name not in known]
        if new:
            self.organisations += [str(name) for name in new]
            for column, table in self._counts.items():
                grown = np.zeros((len(self.years), len(self.organisations), self.width), np.int64)
                grown[:, : table.shape[1]] = table
                self._counts[column] = grown
        which = pd.Index(self.organisations).get_indexer(names).astype(np.int64)
        size = len(self.years) * len(self.organisations) * self.width
        # Rows not counted go to one extra bin past the end, dropped below.
        start = np.where(counted, (rows * len(self.organisations) + which) * self.width, size)
        for column in self.columns:
            bins = np.bincount(start + slots[column], minlength=size + self.width)
            self._counts[column] += bins[:size].reshape(self._counts[column].shape)

    def table(self) -> pd.DataFrame:
        """The counts as ``year, org, column, code, count`` (every code of every
        organisation with respondents that year, blanks as a missing code)."""
        codes = pd.array([*self.codes.astype("int64"), None], dtype="Int64")
        keep = np.r_[0 : self.outside, self.blank]  # the outside slot is never counted
        parts = []
        for column, counted in self._counts.items():
            year, which = np.nonzero(counted.sum(axis=2) > 0)
            block = counted[year, which][:, keep]
            parts.append(
                pd.DataFrame(
                    {
                        "year": np.repeat(self.years[year], len(keep)),
                        "org": np.repeat(
                            np.array(self.organisations, dtype=object)[which], len(keep)
                        ),
                        "column": column,
                        "code": np.tile(codes, len(year)),
                        "count": block.ravel(),
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=["year", "org", "column", "code", "count"])
        return pd.concat(parts, ignore_index=True)


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
        hashes = np.concatenate(self._hashes)
        ordered = np.sort(hashes)
        if not (ordered[1:] == ordered[:-1]).any():
            return
        _, first_position, group = np.unique(hashes, return_index=True, return_inverse=True)
        first = first_position[group]
        rows, batch = np.concatenate(self._rows), np.concatenate(self._batch)
        across = np.flatnonzero((first != np.arange(len(hashes))) & (batch[first] != batch))
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
