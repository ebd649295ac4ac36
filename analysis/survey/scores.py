"""Item scores: percent positive with its Wilson interval, weighted percent with its SE, mean.

Every figure is derived from the answer counts of :func:`analysis.survey.count_answers`:
``n`` (valid answers: blanks and the questionnaire's excluded codes such as "don't know"
are left out), ``n_positive`` (answers among ``positive_codes``), the percent positive with
its 95% Wilson score interval, the workforce-weighted percent with its Taylor-linearised
standard error and interval, and the mean code on the item's scale.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.respondents import answer_flags, weight_keys
from analysis.stats import weighted_percent_ci, weighted_percent_from_counts, wilson_ci

__all__ = ["ITEM_SCORE_COLUMNS", "score_items", "valid_counts"]

ITEM_SCORE_COLUMNS = (
    "n",
    "n_positive",
    "pct_positive",
    "ci_low",
    "ci_high",
    "pct_positive_weighted",
    "se_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
    "mean",
)
"""The figures of an item score, after its key columns (year, groups, item)."""

_SUMMED = ("n", "n_positive", "code_total")


def _label_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Turn categorical key columns back into plain text."""
    for column in columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            table[column] = table[column].astype("str")
    return table


def _class_weights(classes: pd.DataFrame, weights: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Each row's weight, looked up by ``keys`` (year and weighting classes)."""
    lookup = weights.set_index(keys)["weight"]
    wanted = pd.MultiIndex.from_arrays(
        [classes["year"].to_numpy()]
        + [classes[key].astype("str").to_numpy(dtype=object) for key in keys[1:]]
    )
    values = lookup.reindex(wanted).to_numpy(dtype=float)
    unweighted = np.isnan(values) & (classes["n"].to_numpy() > 0)
    if unweighted.any():
        first = wanted[np.flatnonzero(unweighted)[0]]
        raise ValueError(
            f"no weight for the respondents of {dict(zip(keys, first, strict=True))}: make the "
            "weights from the same responses (workforce_weights or comparator_profile_weights)"
        )
    return values


def valid_counts(
    counts: pd.DataFrame, questionnaire: pd.DataFrame, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Valid answers, positive answers and the sum of valid codes per year, group and item.

    Parameters
    ----------
    counts
        From :func:`analysis.survey.count_answers`, counted by (at least) ``by``; or a
        table from this function by more columns (it is then added up further, which is
        how many breakdowns are scored from one pass over the counts).
    questionnaire
        The questionnaire the answers were counted with.
    by
        Group columns to add up within.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``by`` columns (categorical), ``item_id`` (categorical, questionnaire
        order), ``n``, ``n_positive`` and ``code_total``, sorted; one row per combination
        present in ``counts`` (``n`` may be 0 where every answer was blank or excluded).

    Raises
    ------
    ValueError
        If a column is missing or an item is not in the questionnaire.
    """
    by = list(by)
    keys = ["year", *by, "item_id"]
    if "code" not in counts.columns and set(_SUMMED) <= set(counts.columns):
        missing = [c for c in keys if c not in counts]
        if not missing:
            return counts.groupby(keys, observed=True, sort=True)[list(_SUMMED)].sum().reset_index()
    missing = [c for c in ["year", *by, "item_id", "code", "count"] if c not in counts]
    if missing:
        raise ValueError(
            f"counts have no column(s) {missing}: count answers by every group and weighting "
            f"class needed (count_answers(..., by=[...])); counts have {list(counts.columns)}"
        )
    valid, positive = answer_flags(counts, questionnaire)
    count = counts["count"].to_numpy(dtype=np.int64)
    code = counts["code"].to_numpy(dtype="float64", na_value=0.0)
    parts = pd.DataFrame(
        {
            "n": np.where(valid, count, 0),
            "n_positive": np.where(positive, count, 0),
            "code_total": np.where(valid, count * code, 0.0),
        }
    )
    summed = parts.groupby([counts[c] for c in keys], observed=True, sort=True).sum()
    return summed.reset_index()


def score_items(
    counts: pd.DataFrame,
    questionnaire: pd.DataFrame,
    by: Sequence[str] = (),
    weights: pd.DataFrame | None = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Percent positive, intervals, weighted percent and mean for every year, group and item.

    Parameters
    ----------
    counts
        From :func:`analysis.survey.count_answers` (or :func:`valid_counts`), counted by
        (at least) the ``by`` columns and the weighting classes of ``weights``.
    questionnaire
        The questionnaire the answers were counted with.
    by
        Group columns to score within (none: the whole organisation, or whatever
        ``counts`` covers).
    weights
        From :func:`~analysis.survey.workforce_weights` or
        :func:`~analysis.survey.comparator_profile_weights`; ``None`` leaves the weighted
        columns missing.
    conf
        Confidence level of the Wilson interval.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``by`` columns, ``item_id`` and :data:`ITEM_SCORE_COLUMNS`: ``n``,
        ``n_positive``, ``pct_positive`` (0-100), ``ci_low``/``ci_high`` (Wilson, 0-100),
        ``pct_positive_weighted``, ``se_weighted`` (percentage points),
        ``ci_low_weighted``/``ci_high_weighted`` (estimate +/- 1.96 SE clipped to 0-100)
        and ``mean`` (mean valid code on the item's scale, as coded). Rows are sorted by
        year, groups and questionnaire order; a group with no valid answer has ``n = 0``
        and missing figures.

    Raises
    ------
    ValueError
        If a column is missing, an item is not in the questionnaire, or a weighting class
        has no weight.

    Notes
    -----
    Wilson interval: :func:`analysis.stats.wilson_ci` (R ``prop.test(x, n, correct =
    FALSE)``). Weighted percent and SE: :func:`analysis.stats.weighted_percent_from_counts`,
    which equals ``svymean`` for ``svydesign(ids = ~1, weights = ~w)`` on the respondents
    with a valid answer in the group.

    Examples
    --------
    Five valid answers of which three are positive give ``pct_positive = 60`` and the
    interval of ``prop.test(3, 5, correct = FALSE)``: 23.07 to 88.24.
    """
    by = list(by)
    classes = [] if weights is None else weight_keys(weights)[1:]
    keys = ["year", *by, "item_id"]
    by_class = valid_counts(counts, questionnaire, [*by, *[c for c in classes if c not in by]])
    scores = by_class.groupby(keys, observed=True, sort=True)[
        ["n", "n_positive", "code_total"]
    ].sum()
    table = scores[["n", "n_positive"]].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["pct_positive"] = 100 * table["n_positive"] / table["n"]
        low, high = wilson_ci(table["n_positive"], table["n"], conf=conf)
        table["ci_low"], table["ci_high"] = 100 * low, 100 * high
        table["mean"] = scores["code_total"] / table["n"]
    weighted = ["pct_positive_weighted", "se_weighted", "ci_low_weighted", "ci_high_weighted"]
    for column in weighted:
        table[column] = np.nan
    if weights is not None:
        class_counts = by_class.copy()
        class_counts["weight"] = _class_weights(class_counts, weights, ["year", *classes])
        estimates = weighted_percent_from_counts(class_counts, by=keys).set_index(keys)
        table["pct_positive_weighted"] = estimates["pct_positive_weighted"]
        table["se_weighted"] = estimates["se_weighted"]
        low, high = weighted_percent_ci(table["pct_positive_weighted"], table["se_weighted"])
        table["ci_low_weighted"], table["ci_high_weighted"] = low, high
    table = table.reset_index()[[*keys, *ITEM_SCORE_COLUMNS]]
    return _label_columns(table, [*by, "item_id"]).astype({"n": "int64", "n_positive": "int64"})
