"""Counting answers once: the table every survey figure is derived from.

Reading the responses is the expensive part of a national-size analysis, so it is done
once: :func:`count_answers` counts, per year, group and item, how many respondents gave
each code (and how many left the item blank). Percentages, intervals, weighted estimates
and tests are then computed from those counts (:mod:`analysis.survey.scores`), never from
the respondent rows again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.groups import group_labels
from analysis.datapackage.questionnaire import check_questionnaire
from analysis.datapackage.respondents import check_response_columns

__all__ = ["count_answers"]


def _group_key(rows: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Number each row's combination of ``by`` values 0..k-1; return it and the k labels."""
    if not by:
        return np.zeros(len(rows), dtype=np.int64), pd.DataFrame(index=range(1))
    codes, uniques = [], []
    for column in by:
        code, unique = pd.factorize(group_labels(rows[column]), sort=True)
        codes.append(code.astype(np.int64))
        uniques.append(np.asarray(unique, dtype=object))
    combined = np.zeros(len(rows), dtype=np.int64)
    for code, unique in zip(codes, uniques, strict=True):
        combined = combined * len(unique) + code
    present, key = np.unique(combined, return_inverse=True)
    labels = {}
    for column, unique in reversed(list(zip(by, uniques, strict=True))):
        labels[column] = unique[present % len(unique)]
        present = present // len(unique)
    return key, pd.DataFrame({column: labels[column] for column in by})


def _codes(values: pd.Series, column: str) -> tuple[np.ndarray, int]:
    """Answer codes as integers, and the number that stands for a blank in them.

    A blank is -1, or one below the lowest code when a code is negative (an SPSS file's
    user-missing ``-9``, kept as an excluded code). ValueError for anything but whole
    numbers.
    """
    if pd.api.types.is_integer_dtype(values.dtype):
        blank = values.isna().to_numpy()
        numbers = values.to_numpy(dtype=np.int64, na_value=0)
        lowest = int(numbers.min(initial=0, where=~blank))
    else:
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
        blank = np.isnan(floats)
        present = floats[~blank]
        bad = present[present != np.round(present)]
        if bad.size:
            raise ValueError(
                f"answers in column {column!r} must be whole-number codes (blank for no "
                f"answer); got {bad[0]:g}"
            )
        numbers = np.where(blank, 0, floats).astype(np.int64)
        lowest = int(present.min(initial=0))
    blank_code = min(-1, lowest - 1)
    return np.where(blank, blank_code, numbers), blank_code


def count_answers(
    responses: pd.DataFrame, questionnaire: pd.DataFrame, by: Sequence[str] = ()
) -> pd.DataFrame:
    """How many respondents gave each code to each item, per year and group.

    Parameters
    ----------
    responses
        One row per respondent per year: ``year``, the ``by`` columns and each year's item
        columns (codes, blank where not answered or not asked).
    questionnaire
        One row per item per year, with ``year``, ``item_id`` and ``column`` (the response
        column holding the item's answers that year).
    by
        Group columns to count within, e.g. every group column of the data package, or
        ``["organisation", "staff_group"]`` for national data. Counting by all of them at
        once lets every breakdown be summed from the same counts.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``by`` columns (text; blank labels become ``"Not stated"``),
        ``item_id``, ``code`` (``Int64``; missing for a blank answer) and ``count`` (> 0).
        For every item asked in a year, the counts of each group add up to the group's
        respondents that year, so groups with no valid answer still appear (with blanks).

    Raises
    ------
    ValueError
        If a column is missing or an answer is not a whole-number code.

    Notes
    -----
    One pass per response column (converted once, whatever the number of years using it):
    each row's group combination and code are turned into one bin number and counted with
    :func:`numpy.bincount`, so the cost grows with the number of respondents times items
    and never calls Python per respondent.
    """
    by = list(by)
    check_questionnaire(questionnaire, ("year", "item_id", "column"))
    check_response_columns(responses, ["year", *by], "year and groups")
    check_response_columns(responses, sorted(set(questionnaire["column"])), "item columns")
    years = responses["year"].to_numpy()
    item_ids = pd.Index(pd.unique(questionnaire["item_id"].astype("str")))
    groups = {}
    for year in sorted(questionnaire["year"].unique()):
        positions = np.flatnonzero(years == year)
        if positions.size:
            contiguous = positions[-1] - positions[0] + 1 == positions.size
            rows = slice(positions[0], positions[-1] + 1) if contiguous else positions
            groups[year] = (rows, *_group_key(responses.iloc[rows][by], by))
    parts: dict[int, list[tuple]] = {year: [] for year in groups}
    offsets: dict[tuple[int, int], np.ndarray] = {}
    ordered = questionnaire.reset_index(drop=True)
    for column, uses in ordered.groupby("column", sort=False):
        all_codes, blank_code = _codes(responses[column], column)
        lowest = blank_code
        width = int(all_codes.max(initial=blank_code)) - lowest + 1
        for order, item in zip(uses.index, uses.itertuples(index=False), strict=True):
            if item.year not in groups:
                continue
            rows, key, labels = groups[item.year]
            if (item.year, width) not in offsets:
                offsets[(item.year, width)] = key * width - lowest
            bins = np.bincount(
                offsets[(item.year, width)] + all_codes[rows], minlength=len(labels) * width
            )
            filled = np.flatnonzero(bins)
            item_position = np.full(filled.size, item_ids.get_loc(str(item.item_id)))
            code = filled % width + lowest
            part = (filled // width, item_position, code, bins[filled], code == blank_code)
            parts[item.year].append((order, part))
    per_year = []
    for year, (_, _, labels) in groups.items():
        in_order = [part for _, part in sorted(parts[year], key=lambda entry: entry[0])]
        arrays = (np.concatenate(column) for column in zip(*in_order, strict=True))
        per_year.append((year, labels, *arrays))
    return _assemble(per_year, by, item_ids)


def _assemble(per_year: list[tuple], by: list[str], item_ids: pd.Index) -> pd.DataFrame:
    """Build the counts table from per-year arrays, with categorical group and item columns.

    Each entry of ``per_year`` is ``(year, labels, group, item, code, count, blank)``: the
    year's group labels (one row per group number) and, per count, its group number, item
    position in ``item_ids``, code, count and whether the code stands for a blank.
    """
    if not per_year:
        empty = {"year": pd.Series(dtype="int64")}
        empty.update({column: pd.Series(dtype="category") for column in [*by, "item_id"]})
        empty.update({"code": pd.Series(dtype="Int64"), "count": pd.Series(dtype="int64")})
        return pd.DataFrame(empty)
    sizes = [entry[2].size for entry in per_year]
    counts = pd.DataFrame(
        {"year": np.repeat([entry[0] for entry in per_year], sizes).astype(np.int64)}
    )
    for column in by:
        categories = pd.Index(
            sorted({label for entry in per_year for label in entry[1][column]}), dtype="str"
        )
        codes = [categories.get_indexer(entry[1][column])[entry[2]] for entry in per_year]
        counts[column] = pd.Categorical.from_codes(np.concatenate(codes), categories=categories)
    counts["item_id"] = pd.Categorical.from_codes(
        np.concatenate([entry[3] for entry in per_year]), categories=item_ids
    )
    code = np.concatenate([entry[4] for entry in per_year])
    blank = np.concatenate([entry[6] for entry in per_year]).astype(bool)
    counts["code"] = pd.arrays.IntegerArray(np.where(blank, 0, code), blank)
    counts["count"] = np.concatenate([entry[5] for entry in per_year]).astype(np.int64)
    return counts
