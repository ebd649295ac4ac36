"""What the questionnaire says about each item: valid codes, direction, and comparable series.

The questionnaire (one row per item per year, see ``docs/data-package.md``) decides which
answers count (``excluded_codes`` and blanks are left out of ``n``), which are positive
(``positive_codes``), in which direction the 0-10 score runs, and which years may be
compared (``comparable_with_previous``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["QUESTIONNAIRE_COLUMNS", "item_codes", "comparison_years"]

QUESTIONNAIRE_COLUMNS = (
    "year",
    "item_id",
    "column",
    "theme",
    "scale_id",
    "positive_codes",
    "excluded_codes",
    "comparable_with_previous",
)
"""The questionnaire columns the survey computations read."""


def check_questionnaire(questionnaire: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Raise ValueError unless ``questionnaire`` has ``columns``, one row per year and item."""
    if not isinstance(questionnaire, pd.DataFrame):
        raise ValueError(
            f"questionnaire must be a pandas DataFrame, got {type(questionnaire).__name__}"
        )
    missing = [column for column in columns if column not in questionnaire.columns]
    if missing:
        raise ValueError(
            f"the questionnaire has no column(s) {missing}; it has {list(questionnaire.columns)} "
            "(see docs/data-package.md)"
        )
    repeated = questionnaire.duplicated(["year", "item_id"], keep=False)
    if repeated.any():
        first = questionnaire.loc[repeated, ["year", "item_id"]].iloc[0].to_dict()
        raise ValueError(f"the questionnaire lists an item twice in one year, e.g. {first}")


def item_codes(questionnaire: pd.DataFrame, scales: pd.DataFrame) -> pd.DataFrame:
    """The valid codes of every item in every year, and the direction of its 0-10 score.

    Parameters
    ----------
    questionnaire
        The ``questionnaire`` table of a loaded data package (``positive_codes`` and
        ``excluded_codes`` as tuples of ints).
    scales
        The ``scales`` table (``scale_id``, ``code``, ``label``).

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire row: ``year``, ``item_id``, ``column``, ``theme``,
        ``valid_codes`` (the scale's codes that are not excluded, increasing),
        ``scale_points`` (how many), and ``positive_high``: True where the positive codes
        are the highest valid codes (agreeing is positive), False where they are the lowest
        (a reverse-scored item, or "Yes" coded 1 on a yes/no item), missing where they are
        neither, so that the item has no 0-10 score.

    Raises
    ------
    ValueError
        If a column is missing or an item's scale is not in ``scales``.

    Notes
    -----
    The direction comes from ``positive_codes`` rather than ``reverse_scored`` because it
    also covers yes/no items, whose "Yes" (code 1) may be the positive answer: an answer
    scores 10 when it is the most positive valid code and 0 when it is the least positive.
    """
    check_questionnaire(questionnaire, QUESTIONNAIRE_COLUMNS)
    scale_codes = scales.groupby("scale_id")["code"].agg(lambda codes: sorted(set(codes)))
    unknown = sorted(set(questionnaire["scale_id"]) - set(scale_codes.index))
    if unknown:
        raise ValueError(f"scale(s) {unknown} of the questionnaire are not in the scales table")
    rows = []
    for item in questionnaire.itertuples(index=False):
        excluded = set(item.excluded_codes)
        valid = tuple(code for code in scale_codes[item.scale_id] if code not in excluded)
        positive = set(item.positive_codes)
        high, low = bool(valid) and valid[-1] in positive, bool(valid) and valid[0] in positive
        rows.append(
            {
                "year": item.year,
                "item_id": item.item_id,
                "column": item.column,
                "theme": item.theme,
                "valid_codes": valid,
                "scale_points": len(valid),
                "positive_high": pd.NA if high == low else high,
            }
        )
    table = pd.DataFrame(rows)
    table["positive_high"] = table["positive_high"].astype("boolean")
    return table


def comparison_years(questionnaire: pd.DataFrame) -> pd.DataFrame:
    """For every item and year, the earlier years it may be compared with.

    A series starts in an item's first year and again in every year the questionnaire marks
    it not comparable with the previous year (reworded, or new). Within a series each year
    is compared with the previous year the item was asked and with the series' first year.

    Parameters
    ----------
    questionnaire
        With at least ``year``, ``item_id`` and ``comparable_with_previous``.

    Returns
    -------
    pandas.DataFrame
        ``item_id``, ``year``, ``base_year``: one row per comparison, the previous year
        first; where the previous year is the series' first year there is one row only. A
        year that starts a series has no row.

    Examples
    --------
    An item asked 2003-2006 and reworded in 2005 gives 2004 against 2003, and 2006 against
    2005 (the new series' first and previous year).
    """
    check_questionnaire(questionnaire, ("year", "item_id", "comparable_with_previous"))
    ordered = questionnaire.sort_values(["item_id", "year"], kind="stable")
    item_ids = ordered["item_id"].to_numpy(dtype=object)
    years = ordered["year"].to_numpy(dtype=np.int64)
    same_item = np.r_[False, item_ids[1:] == item_ids[:-1]]
    starts = ~same_item | ~ordered["comparable_with_previous"].to_numpy(dtype=bool)
    series = np.cumsum(starts)
    first_year = pd.Series(years).groupby(series).transform("min").to_numpy()
    previous_year = np.r_[0, years[:-1]]
    continuing = ~starts
    pairs = [
        pd.DataFrame({"item_id": item_ids[keep], "year": years[keep], "base_year": base[keep]})
        for base, keep in (
            (previous_year, continuing),
            (first_year, continuing & (first_year != previous_year)),
        )
    ]
    table = pd.concat(pairs, ignore_index=True).astype(
        {"item_id": "str", "year": "int64", "base_year": "int64"}
    )
    return table.sort_values(
        ["item_id", "year", "base_year"], ascending=[True, True, False], ignore_index=True
    )
