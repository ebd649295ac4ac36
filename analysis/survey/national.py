"""National data: every organisation's scores, changes and benchmark position at once.

A national file (the NHS staff survey's is about 700,000 respondents a year) holds every
organisation's respondents. Scoring organisation by organisation would read the responses
250 times and benchmark each organisation in its own pass over all the others' figures.
Here the answers are counted once, by organisation and staff group
(:func:`~analysis.survey.count_answers`), every figure is derived from those counts with
the same functions as for one organisation (:func:`~analysis.survey.score_items`,
:func:`~analysis.survey.changes`, :func:`~analysis.survey.comparator_statistics`), and
every organisation's position among the others comes from one sort per item and year
(:func:`organisation_benchmarks`). The results are the same numbers as the
per-organisation functions give (``tests/test_survey_national.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.survey.benchmark import BENCHMARK_COLUMNS, comparator_statistics
from analysis.survey.changes import changes
from analysis.survey.counts import count_answers
from analysis.survey.scores import score_items
from analysis.survey.weights import comparator_profile_weights

__all__ = [
    "national_item_scores",
    "national_survey_tables",
    "organisation_benchmarks",
    "read_national_responses",
]

_SCORE_COLUMNS = ("year", "item_id", "n", "pct_positive", "ci_low", "ci_high")


def read_national_responses(path: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a national responses file (Parquet) with answers kept as small integers.

    Parameters
    ----------
    path
        A Parquet file with one row per respondent per year: ``year``, the organisation and
        staff group columns and one integer column per item (null for a blank answer).
    columns
        Columns to read (default: all).

    Returns
    -------
    pandas.DataFrame
        Integer columns as pandas' nullable integers of the file's width (``Int8`` for
        answer codes: one byte per answer plus one for the blank mask, where the default
        conversion of a column with nulls gives 8-byte floats), dictionary-encoded text
        columns as categoricals. A file of 3.5 million respondents and 90 items takes about
        0.6 GiB in memory this way rather than 2.4 GiB.
    """
    return pd.read_parquet(
        path, columns=None if columns is None else list(columns), dtype_backend="numpy_nullable"
    )


def _check_groups(responses: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [column for column in ["year", *columns] if column not in responses.columns]
    if missing:
        raise ValueError(
            f"the responses have no column(s) {missing}; their columns include "
            f"{list(responses.columns[:12])}"
        )
    blank = int(responses[columns[0]].isna().sum())
    if blank:
        raise ValueError(
            f"{blank} respondent(s) have a blank {columns[0]!r}: every respondent of a national "
            "file must belong to an organisation"
        )


def national_item_scores(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    headcounts: pd.DataFrame,
    organisation: str = "organisation",
    staff_group: str = "staff_group",
    conf: float = 0.95,
) -> pd.DataFrame:
    """Every organisation's item scores, unweighted and weighted to its own workforce.

    Parameters
    ----------
    responses
        One row per respondent per year: ``year``, ``organisation``, ``staff_group`` and the
        item columns named by the questionnaire (e.g. from :func:`read_national_responses`).
    questionnaire
        One row per item per year (``year``, ``item_id``, ``column``, ``positive_codes``,
        ``excluded_codes``; ``comparable_with_previous`` for changes).
    headcounts
        Staff in post: ``year``, ``organisation``, ``staff_group``, ``headcount``.
    organisation, staff_group
        The names of the organisation and staff group columns (in both tables).
    conf
        Confidence level of the Wilson interval.

    Returns
    -------
    pandas.DataFrame
        As :func:`~analysis.survey.score_items` with ``by=[organisation]``: ``year``,
        ``organisation``, ``item_id`` and :data:`~analysis.survey.ITEM_SCORE_COLUMNS`, one
        row per year, organisation and item.

    Raises
    ------
    ValueError
        If a column is missing, a respondent has no organisation, or a staff group with
        respondents has no headcount.

    Notes
    -----
    The weight of a respondent in staff group :math:`g` of organisation :math:`o` in year
    :math:`t` is :math:`N_{otg} / n_{otg}` (headcount over respondents, Lohr 2022, section
    8.5), so each organisation is weighted to its own workforce exactly as
    :func:`~analysis.survey.workforce_weights` weights one organisation; respondents with
    no staff group get their organisation's average weight that year. The weighted percent
    and its Taylor-linearised standard error are those of R's ``survey::svymean`` for
    ``svydesign(ids = ~1, weights = ~w)`` on the organisation's respondents with a valid
    answer (Binder 1983; Lumley 2010, chapter 2), computed from per-class counts by
    :func:`analysis.stats.weighted_percent_from_counts`; the interval of the unweighted
    percent is Wilson's (1927).

    References
    ----------
    Binder DA (1983). On the variances of asymptotically normal estimators from complex
    surveys. International Statistical Review 51:279-292.
    Lumley T (2010). Complex surveys: a guide to analysis using R. Wiley, chapter 2.
    Lohr SL (2022). Sampling: design and analysis, 3rd edn. CRC Press, section 8.5.
    Wilson EB (1927). Probable inference, the law of succession, and statistical
    inference. J Am Stat Assoc 22:209-212.
    """
    classes = [organisation, staff_group]
    _check_groups(responses, classes)
    counts = count_answers(responses, questionnaire, classes)
    weights = comparator_profile_weights(
        responses, headcounts, classes, population="headcount", average_within=[organisation]
    )
    return score_items(counts, questionnaire, [organisation], weights, conf)


def organisation_benchmarks(
    item_scores: pd.DataFrame,
    organisation: str = "organisation",
    lower_is_better: Collection[str] = (),
) -> pd.DataFrame:
    """Every organisation against all the others, item by item and year by year.

    The same table as :func:`~analysis.survey.benchmark` gives for one organisation (its
    comparators being every other organisation in ``item_scores``), for all organisations
    at once.

    Parameters
    ----------
    item_scores
        From :func:`national_item_scores`: ``year``, ``organisation``, ``item_id``, ``n``,
        ``pct_positive``, ``ci_low``, ``ci_high``.
    organisation
        The organisation column.
    lower_is_better
        Item IDs whose figure is better when lower, as for
        :func:`~analysis.survey.comparator_statistics`.

    Returns
    -------
    pandas.DataFrame
        ``organisation`` then :data:`~analysis.survey.BENCHMARK_COLUMNS`, in the order of
        ``item_scores``: the organisation's ``n``, ``pct`` (percent positive), ``ci_low``
        and ``ci_high``; ``comparators`` (other organisations with a valid answer) and their
        ``worst``, ``median``, ``average`` (mean of their percentages) and ``best``;
        ``rank`` (1 + the number of others strictly better), ``organisations``
        (comparators + 1), ``quintile`` (``ceil(5 * rank / organisations)``, 1 = best
        fifth) and ``comparison`` (``"better"`` or ``"worse"`` where the organisation's
        Wilson interval lies wholly on one side of the comparators' average, else
        ``"similar"``). An item and year that no other organisation answered has no row.

    Raises
    ------
    ValueError
        If a column is missing.

    Notes
    -----
    Each organisation's comparators are all the other organisations, so their statistics
    are leave-one-out order statistics. The valid percentages of an item and year are
    sorted once; the others of the organisation at sorted position :math:`r` are that list
    without position :math:`r`, whose :math:`k`-th value is the sorted list's
    :math:`k`-th if :math:`k < r`, else its :math:`(k + 1)`-th. Their minimum, maximum and
    median are read at :math:`k = 0`, :math:`m - 1` and :math:`\\lfloor (m - 1)/2 \\rfloor`,
    :math:`\\lfloor m/2 \\rfloor` for :math:`m` comparators, and their mean is
    :math:`(S - x)/m` with :math:`S` the sum over all organisations. The work is one sort of
    the table, where calling :func:`~analysis.survey.benchmark` per organisation passes
    over every other organisation's figures once per organisation. The comparison with the
    average is the NHS staff survey benchmark reports' (2003-2008) "significantly better /
    worse than average": the average lies outside the organisation's 95% interval.
    """
    needed = [organisation, *_SCORE_COLUMNS]
    missing = [column for column in needed if column not in item_scores.columns]
    if missing:
        raise ValueError(
            f"item_scores have no column(s) {missing}; they have {list(item_scores.columns)}"
        )
    scores = item_scores[["year", organisation, *_SCORE_COLUMNS[1:]]].reset_index(drop=True)
    scores = scores.rename(columns={"pct_positive": "pct"})
    group = scores.groupby(["year", "item_id"], sort=False, observed=True).ngroup().to_numpy()
    pct = scores["pct"].to_numpy(dtype=float, na_value=np.nan)
    valid = (scores["n"].to_numpy() > 0) & ~np.isnan(pct)
    groups = int(group.max()) + 1 if group.size else 0
    count = np.bincount(group[valid], minlength=groups)
    total = np.bincount(group[valid], weights=pct[valid], minlength=groups)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    valid_rows = np.flatnonzero(valid)
    in_order = valid_rows[np.lexsort((pct[valid_rows], group[valid_rows]))]
    ordered = pct[in_order]
    own_position = count[group].copy()
    own_position[in_order] = np.arange(in_order.size) - start[group[in_order]]
    comparators = count[group] - valid
    kept = comparators > 0
    scores, group, own_position = (
        scores[kept].reset_index(drop=True),
        group[kept],
        own_position[kept],
    )
    comparators, own = comparators[kept], np.where(valid, pct, 0.0)[kept]

    def others(k: np.ndarray) -> np.ndarray:
        """The k-th smallest percentage among each row's comparators."""
        return ordered[start[group] + k + (k >= own_position)]

    lowest, highest = others(np.zeros_like(comparators)), others(comparators - 1)
    scores["comparators"] = comparators.astype(np.int64)
    low_good = scores["item_id"].isin(list(lower_is_better)).to_numpy()
    scores["worst"] = np.where(low_good, highest, lowest)
    scores["median"] = (others((comparators - 1) // 2) + others(comparators // 2)) / 2
    scores["average"] = (total[group] - own) / comparators
    scores["best"] = np.where(low_good, lowest, highest)
    by_group = scores["pct"].groupby(group)
    rank = np.where(
        low_good,
        by_group.rank(method="min", ascending=True),
        by_group.rank(method="min", ascending=False),
    )
    scores["rank"] = pd.array(rank, dtype="Int64")
    scores["organisations"] = scores["comparators"] + 1
    scores["quintile"] = pd.array(np.ceil(5 * rank / scores["organisations"]), dtype="Int64")
    above = (scores["ci_low"] > scores["average"]).to_numpy()
    below = (scores["ci_high"] < scores["average"]).to_numpy()
    comparison = np.where(
        np.where(low_good, below, above),
        "better",
        np.where(np.where(low_good, above, below), "worse", "similar"),
    )
    scores["comparison"] = pd.Series(comparison, dtype="str").where(scores["pct"].notna())
    return scores[[organisation, *BENCHMARK_COLUMNS]].astype({"item_id": "str"})


def national_survey_tables(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    headcounts: pd.DataFrame,
    organisation: str = "organisation",
    staff_group: str = "staff_group",
    adjust: str | None = None,
    alpha: float = 0.05,
    lower_is_better: Collection[str] = (),
) -> dict[str, pd.DataFrame]:
    """Every organisation's item scores, changes and benchmark position, from a national file.

    Parameters
    ----------
    responses, questionnaire, headcounts, organisation, staff_group
        As for :func:`national_item_scores`.
    adjust
        Adjust the p-values of changes across items: ``None``, ``"holm"`` or ``"bh"``.
    alpha
        Significance level of changes.
    lower_is_better
        Item IDs whose figure is better when lower (benchmarks only).

    Returns
    -------
    dict
        ``item_scores`` (:func:`national_item_scores`); ``changes`` and
        ``changes_weighted`` (:func:`~analysis.survey.changes` by organisation: each year
        against the previous year and the series' first year, two-proportion z-test with
        pooled variance, or ``z = diff / sqrt(SE1^2 + SE2^2)`` on the weighted percentages);
        ``comparator_statistics`` (:func:`~analysis.survey.comparator_statistics` over all
        organisations: lowest, median, mean and highest percent positive per item and
        year); ``benchmark`` (:func:`organisation_benchmarks`: each organisation's rank,
        quintile and comparison with the average of the others).

    Raises
    ------
    ValueError
        As :func:`national_item_scores`, or if ``adjust`` or ``alpha`` is invalid.
    """
    scores = national_item_scores(responses, questionnaire, headcounts, organisation, staff_group)
    by = [organisation]
    return {
        "item_scores": scores,
        "changes": changes(scores, questionnaire, by, adjust=adjust, alpha=alpha),
        "changes_weighted": changes(
            scores, questionnaire, by, weighted=True, adjust=adjust, alpha=alpha
        ),
        "comparator_statistics": comparator_statistics(
            scores.rename(columns={organisation: "organisation_code"}),
            lower_is_better=lower_is_better,
        ),
        "benchmark": organisation_benchmarks(scores, organisation, lower_is_better),
    }
