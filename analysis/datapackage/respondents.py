"""Respondent-level primitives that more than one stage reads: one definition each.

A respondent is one row of the package's ``responses`` table. What counts as a valid and a
positive answer, a respondent's 0-10 item and theme scores, their weight, their group
labels and the response rates of the staff table's groups are defined here once, so that
the survey, comments, evaluation and overview stages compute them the same way:

* :func:`answer_flags`: which answers are valid (not blank, not an excluded code such as
  "don't know") and which are positive (among the item's ``positive_codes``);
* :func:`respondent_item_scores`, :func:`respondent_themes`: the NHS staff survey's 0-10
  (or 1-5) scores, in the positive direction;
* :func:`respondent_weights`: each respondent's weight from a weights table;
* :func:`count_respondents`, :func:`response_rates`: respondents and response rates by year
  and group, blank groups labelled :data:`~analysis.datapackage.groups.NOT_STATED`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.groups import group_labels, label_groups
from analysis.datapackage.questionnaire import check_questionnaire, item_codes
from analysis.stats import respondent_theme_scores, reverse_codes, score_0_to_10

__all__ = [
    "RESPONSE_RATE_COLUMNS",
    "SCORINGS",
    "WEIGHT_COLUMNS",
    "answer_flags",
    "check_response_columns",
    "check_scoring",
    "count_respondents",
    "respondent_item_scores",
    "respondent_themes",
    "respondent_weights",
    "response_rates",
    "respondents_by_breakdown",
    "response_rates_by",
    "weight_keys",
]


def check_response_columns(responses: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise ValueError unless ``responses`` is a DataFrame with ``columns`` (``what`` they are)."""
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(f"responses must be a pandas DataFrame, got {type(responses).__name__}")
    missing = [column for column in columns if column not in responses.columns]
    if missing:
        raise ValueError(
            f"the responses have no column(s) {missing} ({what}); their columns include "
            f"{list(responses.columns[:12])}"
        )


def count_respondents(responses: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Respondents per year and group.

    Parameters
    ----------
    responses
        One row per respondent per year, with ``year`` and the ``by`` columns.
    by
        Group columns; blank labels are counted as ``"Not stated"``.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``by`` columns and ``respondents``, sorted.
    """
    by = list(by)
    check_response_columns(responses, ["year", *by], "year and groups")
    keys = [responses["year"]] + [group_labels(responses[column]) for column in by]
    table = responses.groupby(keys, sort=True).size().rename("respondents").reset_index()
    return table.astype({"respondents": "int64"})


RESPONSE_RATE_COLUMNS = (
    "year",
    "group_type",
    "group",
    "headcount",
    "respondents",
    "response_rate",
)
"""Columns of :func:`response_rates`."""


def response_rates_by(
    responses: pd.DataFrame, staff: pd.DataFrame, columns: Sequence[str]
) -> pd.DataFrame:
    """Respondents, headcount and response rate per year by some group columns of the staff table.

    Parameters
    ----------
    responses
        One row per respondent per year.
    staff
        The ``staff`` table (``year``, the ``columns``, ``headcount``).
    columns
        Group columns present in both tables; none for the whole organisation.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``columns`` (blank labels :data:`~analysis.datapackage.groups.
        NOT_STATED`), ``headcount`` (missing for respondents whose group is not stated,
        who cannot be placed), ``respondents`` (0 for a staff-table group nobody of which
        responded) and ``response_rate`` (percent, respondents / headcount x 100, as the
        NHS staff survey reports it; missing without a positive headcount), sorted by year
        and group.
    """
    columns = list(columns)
    respondents = count_respondents(responses, columns).set_index(["year", *columns])
    keys = [staff["year"]] + [group_labels(staff[column]) for column in columns]
    headcount = staff.groupby(keys, sort=True)["headcount"].sum()
    table = pd.concat([headcount, respondents["respondents"]], axis=1).reset_index()
    table.columns = ["year", *columns, "headcount", "respondents"]
    table = table.sort_values(["year", *columns], ignore_index=True)
    table["respondents"] = table["respondents"].fillna(0).astype("int64")
    table["headcount"] = table["headcount"].astype("Int64")
    headcount = table["headcount"].astype("float64")
    table["response_rate"] = 100 * table["respondents"] / headcount.where(headcount > 0)
    return table


def response_rates(
    responses: pd.DataFrame,
    staff: pd.DataFrame,
    breakdowns: Mapping[str, Sequence[str]],
    organisation: str = "Organisation",
) -> pd.DataFrame:
    """Respondents, headcount and response rate per year for every breakdown of the staff table.

    Parameters
    ----------
    responses
        One row per respondent per year.
    staff
        The ``staff`` table (``year``, ``directorate``, ``staff_group``, ``headcount``).
    breakdowns
        From :func:`~analysis.survey.breakdown_types`; only those whose columns are all in
        the staff table (the organisation, directorate, staff group and their crossing)
        can have a response rate.

    Returns
    -------
    pandas.DataFrame
        :data:`RESPONSE_RATE_COLUMNS`: ``headcount`` (missing for respondents whose group
        is not stated, who cannot be placed), ``respondents`` and ``response_rate``
        (percent, respondents / headcount x 100, as the NHS staff survey reports it). Groups
        in the staff table with no respondents have ``respondents = 0``.
    """
    parts = [
        label_groups(response_rates_by(responses, staff, columns), columns, name, organisation)
        for name, columns in breakdowns.items()
        if set(columns) <= set(staff.columns)
    ]
    table = pd.concat(parts, ignore_index=True)
    table = table.iloc[np.argsort(table["year"].to_numpy(), kind="stable")]
    return table[list(RESPONSE_RATE_COLUMNS)].reset_index(drop=True)


def respondents_by_breakdown(
    responses: pd.DataFrame,
    breakdowns: Mapping[str, Sequence[str]],
    organisation: str = "Organisation",
) -> pd.DataFrame:
    """Respondents per year of every group of every breakdown, staff-table columns or not.

    Parameters
    ----------
    responses
        One row per respondent per year, with the breakdowns' group columns.
    breakdowns
        From :func:`~analysis.survey.breakdown_types`.
    organisation
        The ``group`` label of the whole organisation's rows.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``group_type``, ``group``, ``respondents`` (blank labels
        :data:`~analysis.datapackage.groups.NOT_STATED`).

    Examples
    --------
    >>> responses = pd.DataFrame({"year": [2008] * 3, "age_band": ["16-30", "16-30", None]})
    >>> respondents_by_breakdown(responses, {"organisation": (), "age_band": ("age_band",)})[
    ...     ["group", "respondents"]].values.tolist()
    [['Organisation', 3], ['16-30', 2], ['Not stated', 1]]
    """
    parts = [
        label_groups(count_respondents(responses, columns), columns, name, organisation)
        for name, columns in breakdowns.items()
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["year", "group_type", "group", "respondents"]]


def _positions(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels, cheaply for a categorical column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), values.cat.categories
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), pd.Index(uniques)


def answer_flags(counts: pd.DataFrame, questionnaire: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Which rows of an answer-count table are valid answers, and which are positive.

    Parameters
    ----------
    counts
        From :func:`analysis.survey.count_answers`: ``year``, ``item_id``, ``code``, ...
    questionnaire
        The questionnaire, with ``positive_codes`` and ``excluded_codes`` as tuples of ints.

    Returns
    -------
    valid, positive
        Boolean arrays, one entry per row of ``counts``: valid is a code that is not blank
        and not excluded; positive is a valid code among the item's positive codes.

    Raises
    ------
    ValueError
        If an item and year of ``counts`` is not in the questionnaire.
    """
    check_questionnaire(questionnaire, ("year", "item_id", "positive_codes", "excluded_codes"))
    item, item_labels = _positions(counts["item_id"])
    year_labels = np.unique(questionnaire["year"].to_numpy(dtype=np.int64))
    year = np.searchsorted(year_labels, counts["year"].to_numpy(dtype=np.int64))
    code_values = counts["code"]
    blank = code_values.isna().to_numpy()
    code = code_values.to_numpy(dtype="float64", na_value=0).astype(np.int64)
    listed = [c for codes in questionnaire["positive_codes"] for c in codes]
    listed += [c for codes in questionnaire["excluded_codes"] for c in codes]
    lowest = min([0, *listed, int(code.min(initial=0))])
    width = max([*listed, int(code.max(initial=0))]) - lowest + 1
    row_of = np.full((year_labels.size, len(item_labels)), -1, dtype=np.int64)
    positive_table = np.zeros((len(questionnaire) + 1, width), dtype=bool)
    excluded_table = np.zeros((len(questionnaire) + 1, width), dtype=bool)
    item_position = pd.Index(item_labels.astype("str")).get_indexer(
        questionnaire["item_id"].astype("str")
    )
    year_position = np.searchsorted(year_labels, questionnaire["year"].to_numpy(dtype=np.int64))
    listed_here = item_position >= 0
    row_of[year_position[listed_here], item_position[listed_here]] = np.flatnonzero(listed_here)
    for row, entry in enumerate(questionnaire.itertuples(index=False)):
        positive_table[row, np.asarray(entry.positive_codes, dtype=np.int64) - lowest] = True
        excluded_table[row, np.asarray(entry.excluded_codes, dtype=np.int64) - lowest] = True
    in_range = year < year_labels.size
    year_in_range = np.where(in_range, year, 0)
    found = in_range & (year_labels[year_in_range] == counts["year"].to_numpy()) & (item >= 0)
    rows = np.where(found, row_of[year_in_range, np.maximum(item, 0)], -1)
    if (rows < 0).any():
        first = counts.iloc[int(np.flatnonzero(rows < 0)[0])]
        raise ValueError(
            f"item {first['item_id']!r} in {first['year']} is not in the questionnaire; count "
            "answers with the same questionnaire"
        )
    valid = ~blank & ~excluded_table[rows, code - lowest]
    positive = valid & positive_table[rows, code - lowest]
    return valid, positive


WEIGHT_COLUMNS = ("respondents", "population", "weight")
"""The columns a weights table has after its key columns (``year`` and the classes)."""


def respondent_weights(responses: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Each respondent's weight, looked up in a weights table by year and class.

    Parameters
    ----------
    responses
        One row per respondent per year.
    weights
        From :func:`workforce_weights` or :func:`comparator_profile_weights`.

    Returns
    -------
    pandas.Series
        ``weight``, with the index of ``responses``.

    Raises
    ------
    ValueError
        If a respondent's year and class are not in ``weights``.
    """
    keys = weight_keys(weights)
    lookup = weights.set_index(keys)["weight"]
    index = pd.MultiIndex.from_arrays(
        [responses["year"]] + [group_labels(responses[column]) for column in keys[1:]]
    )
    values = lookup.reindex(index).to_numpy(dtype=float)
    if np.isnan(values).any():
        first = index[np.flatnonzero(np.isnan(values))[0]]
        raise ValueError(f"no weight for respondents of {dict(zip(keys, first, strict=True))}")
    return pd.Series(values, index=responses.index, name="weight")


def weight_keys(weights: pd.DataFrame) -> list[str]:
    """The key columns of a weights table: ``year`` then the weighting classes."""
    if not isinstance(weights, pd.DataFrame) or "weight" not in weights.columns:
        raise ValueError(
            "weights must be a table from workforce_weights or comparator_profile_weights "
            "(with a 'weight' column)"
        )
    keys = [column for column in weights.columns if column not in WEIGHT_COLUMNS]
    if not keys or keys[0] != "year":
        raise ValueError(f"a weights table's first column must be 'year'; got {keys}")
    return keys


SCORINGS = {"0-10": (0.0, 10.0), "1-5": (1.0, 5.0)}
"""The score scales and their ranges: the NHS 0-10 scores, and the 2003-2008 key findings."""


def check_scoring(scoring: str) -> None:
    """Raise ValueError unless ``scoring`` is one of :data:`SCORINGS`."""
    if scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {list(SCORINGS)}, got {scoring!r}")


def respondent_item_scores(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    year: int,
    scoring: str = "0-10",
) -> pd.DataFrame:
    """Every respondent's score on every item of one year, in the positive direction.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    year
        The survey year.
    scoring
        ``"0-10"``: a valid code's position ``r`` among the ``K`` valid codes scores
        ``10 (r - 1)/(K - 1)`` (:func:`analysis.stats.score_0_to_10`), reversed where the
        positive codes are the lowest. ``"1-5"``: five-point items only, the position, with
        :func:`analysis.stats.reverse_codes` where the positive codes are the lowest.

    Returns
    -------
    pandas.DataFrame
        One row per respondent of the year (the index of ``responses``), one column per
        scored item (``item_id``): missing where blank or an excluded code. Items whose
        positive codes are neither the highest nor the lowest valid codes have no direction
        and are left out, as are (for ``"1-5"``) items not on a five-point scale.
    """
    check_scoring(scoring)
    codes = item_codes(questionnaire[questionnaire["year"] == year], scales)
    rows = responses[responses["year"] == year]
    scored = {}
    for item in codes.itertuples(index=False):
        if pd.isna(item.positive_high) or item.scale_points < 2:
            continue
        if scoring == "1-5" and item.scale_points != 5:
            continue
        answers = rows[item.column].to_numpy(dtype="float64", na_value=np.nan)
        valid = np.asarray(item.valid_codes, dtype=float)
        position = np.searchsorted(valid, answers) + 1.0
        known = np.isin(answers, valid)
        position = np.where(known, position, np.nan)
        if scoring == "0-10":
            values = score_0_to_10(
                position, scale_points=item.scale_points, reverse=not item.positive_high
            )
        else:
            values = position if item.positive_high else reverse_codes(position, 5)
        scored[item.item_id] = values
    return pd.DataFrame(scored, index=rows.index, dtype=float)


def respondent_themes(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    group_columns: Sequence[str] = (),
    weights: pd.DataFrame | None = None,
    scoring: str = "0-10",
    min_items: int = 1,
) -> pd.DataFrame:
    """Every respondent's theme scores, one row per respondent and theme, with their groups.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    group_columns
        Respondent columns to keep (blank labels become ``"Not stated"``).
    weights
        From :func:`~analysis.survey.workforce_weights`; adds a ``weight`` column.
    scoring
        ``"0-10"`` or ``"1-5"``, as :func:`respondent_item_scores`.
    min_items
        A respondent needs this many answered items of a theme to have its score.

    Returns
    -------
    pandas.DataFrame
        ``year``, the group columns, ``theme`` (categorical, in questionnaire order),
        ``score`` (missing where the respondent answered fewer than ``min_items`` of the
        theme's items) and ``weight`` (missing without weights). Every respondent has a
        row for every theme scored in their year.
    """
    group_columns = list(group_columns)
    labels = {
        column: group_labels(responses[column]).to_numpy(dtype=object) for column in group_columns
    }
    weight = (
        np.full(len(responses), np.nan)
        if weights is None
        else respondent_weights(responses, weights).to_numpy()
    )
    themes = questionnaire.set_index(["year", "item_id"])["theme"]
    theme_order = pd.unique(questionnaire["theme"])
    parts = []
    for year in sorted(questionnaire["year"].unique()):
        items = respondent_item_scores(responses, questionnaire, scales, year, scoring)
        if items.shape[1] == 0:
            continue
        rows = responses.index.get_indexer(items.index)
        theme_of = themes.loc[year].reindex(items.columns).to_numpy()
        for theme in pd.unique(theme_of):
            members = items.loc[:, theme_of == theme]
            score = (
                respondent_theme_scores(members, min_items).to_numpy()
                if members.shape[1] >= min_items
                else np.full(len(members), np.nan)
            )
            part = {"year": np.full(len(rows), year, dtype=np.int64)}
            part.update({column: labels[column][rows] for column in group_columns})
            part["theme"] = np.full(len(rows), theme, dtype=object)
            part["score"], part["weight"] = score, weight[rows]
            parts.append(part)
    columns = ["year", *group_columns, "theme", "score", "weight"]
    table = pd.DataFrame(
        {
            column: np.concatenate([part[column] for part in parts]) if parts else []
            for column in columns
        }
    )
    table["theme"] = pd.Categorical(table["theme"], categories=theme_order)
    return table.astype({column: "str" for column in group_columns})
