"""Comparison with the comparator group: worst, median, average and best; rank and quintile.

As the NHS staff survey's benchmark reports: for every item and year, the comparator
group's lowest, median, mean ("average") and highest percent positive, shown as "worst"
and "best" according to whether a high figure is good; the organisation's rank among the
comparator organisations and itself, its quintile (1 = the best fifth), and whether its
figure is significantly better than, similar to or worse than the comparator average.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analysis.datapackage.groups import ORGANISATION

__all__ = [
    "BENCHMARK_COLUMNS",
    "COMPARATOR_STATISTICS_COLUMNS",
    "benchmark",
    "comparator_statistics",
]

COMPARATOR_STATISTICS_COLUMNS = (
    "year",
    "item_id",
    "comparators",
    "worst",
    "median",
    "average",
    "best",
)
"""Columns of :func:`comparator_statistics`."""

BENCHMARK_COLUMNS = (
    "year",
    "item_id",
    "n",
    "pct",
    "ci_low",
    "ci_high",
    "comparators",
    "worst",
    "median",
    "average",
    "best",
    "rank",
    "organisations",
    "quintile",
    "comparison",
)
"""Columns of :func:`benchmark`."""

_COMPARATOR_COLUMNS = ("year", "organisation_code", "item_id", "n", "n_positive")


def _percentages(comparators: pd.DataFrame, exclude: Collection[str]) -> pd.DataFrame:
    missing = [column for column in _COMPARATOR_COLUMNS if column not in comparators.columns]
    if missing:
        raise ValueError(
            f"the comparators table has no column(s) {missing}; it has "
            f"{list(comparators.columns)} (see docs/data-package.md)"
        )
    table = comparators[~comparators["organisation_code"].isin(list(exclude))]
    table = table[table["n"] > 0]
    return table.assign(pct=100 * table["n_positive"] / table["n"])


def comparator_statistics(
    comparators: pd.DataFrame,
    exclude: Collection[str] = (),
    lower_is_better: Collection[str] = (),
) -> pd.DataFrame:
    """The comparator group's worst, median, average and best percent positive.

    Parameters
    ----------
    comparators
        The ``comparators`` table: ``year``, ``organisation_code``, ``item_id``, ``n``,
        ``n_positive``.
    exclude
        Organisation codes to leave out (the organisation itself).
    lower_is_better
        Item IDs whose figure is better when lower. Percent *positive* is better when
        higher by definition, so this is needed only where a package's ``positive_codes``
        mark the reported experience rather than the favourable answer.

    Returns
    -------
    pandas.DataFrame
        :data:`COMPARATOR_STATISTICS_COLUMNS`: ``comparators`` (organisations with at
        least one valid answer), ``worst``, ``median``, ``average`` (the mean of the
        organisations' percentages, each organisation counting once) and ``best``.
    """
    table = _percentages(comparators, exclude)
    grouped = table.groupby(["year", "item_id"], sort=True)["pct"]
    stats = grouped.agg(["size", "min", "median", "mean", "max"]).reset_index()
    low_good = stats["item_id"].isin(list(lower_is_better)).to_numpy()
    return pd.DataFrame(
        {
            "year": stats["year"].astype("int64"),
            "item_id": stats["item_id"].astype("str"),
            "comparators": stats["size"].astype("int64"),
            "worst": np.where(low_good, stats["max"], stats["min"]),
            "median": stats["median"],
            "average": stats["mean"],
            "best": np.where(low_good, stats["min"], stats["max"]),
        }
    )


def benchmark(
    own: pd.DataFrame,
    comparators: pd.DataFrame,
    organisation_code: str,
    weighted: bool = False,
    lower_is_better: Collection[str] = (),
) -> pd.DataFrame:
    """Where the organisation sits among the comparator group, item by item and year by year.

    Parameters
    ----------
    own
        The organisation's item scores (from :func:`~analysis.survey.score_items`, or the
        ``organisation`` rows of :func:`~analysis.survey.item_scores_by_group`, which are
        picked out when a ``group_type`` column is present).
    comparators
        The ``comparators`` table; rows with ``organisation_code`` are left out (the
        organisation's own published figures, if present, are replaced by ``own``).
    organisation_code
        The organisation's code.
    weighted
        Compare the weighted percent positive and its interval (e.g. weighted to the
        comparator group's staff profile) instead of the unweighted one.
    lower_is_better
        As for :func:`comparator_statistics`.

    Returns
    -------
    pandas.DataFrame
        :data:`BENCHMARK_COLUMNS`, one row per item and year with comparator data:
        the organisation's ``n``, ``pct``, ``ci_low``, ``ci_high``; the comparator group's
        statistics; ``rank`` (1 = best; 1 + the number of comparators strictly better),
        ``organisations`` ranked (comparators + 1), ``quintile`` (1 = best fifth:
        ``ceil(5 * rank / organisations)``) and ``comparison``: ``"better"`` where the
        organisation's 95% interval lies wholly on the good side of the comparator
        average, ``"worse"`` where it lies wholly on the bad side, else ``"similar"``.

    Notes
    -----
    The comparator average is taken as a fixed reference (it is an average of many
    organisations' figures); the test is whether it lies outside the organisation's 95%
    interval (Wilson, or the weighted interval), the approach of the NHS staff survey
    benchmark reports of 2003-2008 ("significantly better / worse than average").
    """
    if "group_type" in own.columns:
        own = own[own["group_type"] == ORGANISATION]
    figures = (
        ["pct_positive_weighted", "ci_low_weighted", "ci_high_weighted"]
        if weighted
        else ["pct_positive", "ci_low", "ci_high"]
    )
    missing = [c for c in ["year", "item_id", "n", *figures] if c not in own.columns]
    if missing:
        raise ValueError(f"own has no column(s) {missing}; it has {list(own.columns)}")
    table = own[["year", "item_id", "n", *figures]].set_axis(
        ["year", "item_id", "n", "pct", "ci_low", "ci_high"], axis=1
    )
    stats = comparator_statistics(comparators, [organisation_code], lower_is_better)
    table = table.astype({"item_id": "str"}).merge(stats, on=["year", "item_id"], sort=False)
    others = _percentages(comparators, [organisation_code])[["year", "item_id", "pct"]]
    joined = table[["year", "item_id", "pct"]].merge(
        others, on=["year", "item_id"], suffixes=("", "_other"), how="left", sort=False
    )
    low_good = joined["item_id"].isin(list(lower_is_better))
    better = np.where(
        low_good, joined["pct_other"] < joined["pct"], joined["pct_other"] > joined["pct"]
    )
    joined["better"] = better & joined["pct"].notna()
    beaten_by = joined.groupby(["year", "item_id"], sort=False)["better"].sum()
    keys = pd.MultiIndex.from_frame(table[["year", "item_id"]])
    table["rank"] = (1 + beaten_by.reindex(keys).to_numpy()).astype(float)
    table.loc[table["pct"].isna(), "rank"] = np.nan
    table["rank"] = table["rank"].astype("Int64")
    table["organisations"] = (table["comparators"] + 1).astype("int64")
    quintile = np.ceil(5 * table["rank"].astype("float64") / table["organisations"])
    table["quintile"] = pd.array(quintile, dtype="Int64")
    low_good = table["item_id"].isin(list(lower_is_better))
    above = table["ci_low"] > table["average"]
    below = table["ci_high"] < table["average"]
    table["comparison"] = np.where(
        (above & ~low_good) | (below & low_good),
        "better",
        np.where((below & ~low_good) | (above & low_good), "worse", "similar"),
    )
    table["comparison"] = table["comparison"].where(table["pct"].notna()).astype("str")
    return table[list(BENCHMARK_COLUMNS)].reset_index(drop=True)
