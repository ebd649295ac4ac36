"""Breakdowns by group: item scores per group, each group against the rest, response rates.

All three return one tidy table over every breakdown of :func:`~analysis.datapackage.groups.
breakdown_types` (the organisation, each group column, and directorate x staff group),
labelled with ``group_type`` and ``group``. Every group present among a year's
respondents has a row (``n = 0`` where nobody gave a valid answer), so the disclosure gate
sees complete partitions. Nothing here suppresses: pass the tables through
:func:`analysis.survey.suppress_survey_tables` before publishing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.groups import label_groups
from analysis.datapackage.respondents import weight_keys
from analysis.stats import two_proportion_test, weighted_difference_test
from analysis.survey.scores import (
    ITEM_SCORE_COLUMNS,
    _class_weights,
    score_items,
    valid_counts,
)
from analysis.survey.significance import flag_significant

__all__ = [
    "GROUP_DIFFERENCE_COLUMNS",
    "group_differences",
    "item_scores_by_group",
]

GROUP_DIFFERENCE_COLUMNS = (
    "year",
    "group_type",
    "group",
    "item_id",
    "n",
    "pct",
    "rest_n",
    "rest_pct",
    "diff_pp",
    "z",
    "p_value",
    "p_adjusted",
    "significant",
)
"""Columns of :func:`group_differences`."""


def _detail(breakdowns: Mapping[str, Sequence[str]], weights: pd.DataFrame | None) -> list[str]:
    """Every group column and weighting class that some breakdown needs, once each."""
    columns = [column for group in breakdowns.values() for column in group]
    columns += [] if weights is None else weight_keys(weights)[1:]
    return list(dict.fromkeys(columns))


def item_scores_by_group(
    counts: pd.DataFrame,
    questionnaire: pd.DataFrame,
    breakdowns: Mapping[str, Sequence[str]],
    weights: pd.DataFrame | None = None,
    organisation: str = "Organisation",
) -> pd.DataFrame:
    """Item scores of the organisation and of every group of every breakdown.

    Parameters
    ----------
    counts
        From :func:`~analysis.survey.count_answers` by every group column (and the
        weighting classes).
    questionnaire
        The questionnaire the answers were counted with.
    breakdowns
        From :func:`~analysis.survey.breakdown_types`.
    weights
        From :func:`~analysis.survey.workforce_weights`, or ``None``.
    organisation
        The ``group`` label of the organisation's rows (its name).

    Returns
    -------
    pandas.DataFrame
        The ``item_scores`` table before suppression: ``year``, ``group_type``, ``group``,
        ``item_id`` and :data:`~analysis.survey.scores.ITEM_SCORE_COLUMNS`, sorted by year,
        breakdown (in the order given), group and questionnaire order.
    """
    detail = valid_counts(counts, questionnaire, _detail(breakdowns, weights))
    parts = [
        label_groups(
            score_items(detail, questionnaire, columns, weights), columns, name, organisation
        )
        for name, columns in breakdowns.items()
    ]
    table = pd.concat(parts, ignore_index=True)
    table = table.iloc[np.argsort(table["year"].to_numpy(), kind="stable")]
    return table[["year", "group_type", "group", "item_id", *ITEM_SCORE_COLUMNS]].reset_index(
        drop=True
    )


def _weighted_sums(class_counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per key, the sums that determine a weighted percentage and its SE.

    With class weight ``w``, valid answers ``n`` and positive ``x``: ``n``, ``W = sum w n``,
    ``X = sum w x``, ``A = sum w^2 x``, ``B = sum w^2 n``. They add up over disjoint sets of
    respondents, so the rest of the organisation's sums are the organisation's minus the
    group's.
    """
    w = class_counts["weight"].to_numpy(dtype=float)
    n = class_counts["n"].to_numpy(dtype=float)
    x = class_counts["n_positive"].to_numpy(dtype=float)
    w = np.where(n > 0, w, 0.0)
    parts = pd.DataFrame(
        {"n": n, "W": w * n, "X": w * x, "A": w**2 * x, "B": w**2 * n}, index=class_counts.index
    )
    return parts.groupby([class_counts[k] for k in keys], observed=True, sort=True).sum()


def _weighted_from_sums(sums: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Weighted percent and SE from :func:`_weighted_sums` (as ``svymean``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = sums["X"] / sums["W"]
        squares = ((1 - 2 * p) * sums["A"] + p**2 * sums["B"]).clip(lower=0)
        se = np.sqrt(sums["n"] / (sums["n"] - 1) * squares) / sums["W"]
    return 100 * p, (100 * se).where(sums["n"] > 1)


def group_differences(
    counts: pd.DataFrame,
    questionnaire: pd.DataFrame,
    breakdowns: Mapping[str, Sequence[str]],
    weights: pd.DataFrame | None = None,
    weighted: bool = False,
    adjust: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each group against the rest of the organisation, item by item.

    Parameters
    ----------
    counts, questionnaire, breakdowns
        As for :func:`item_scores_by_group`.
    weights
        Needed when ``weighted``.
    weighted
        False: percent positive and the two-sided two-proportion z-test with pooled
        variance (R ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)``). True: weighted
        percentages and ``z = diff / sqrt(SE1^2 + SE2^2)``.
    adjust
        ``None``, ``"holm"`` or ``"bh"``: adjust p-values across the items of one group
        in one year.
    alpha
        Significance level.

    Returns
    -------
    pandas.DataFrame
        :data:`GROUP_DIFFERENCE_COLUMNS`: the group's ``n`` and ``pct``, the rest of the
        organisation's (``rest_n``, ``rest_pct``: the organisation minus the group),
        ``diff_pp`` (group minus rest, percentage points), ``z``, ``p_value``,
        ``p_adjusted`` and ``significant``.

    Notes
    -----
    The rest of the organisation includes respondents who did not state the group. A
    group and the rest are disjoint sets of respondents, so the weighted test treats them
    as independent samples. The weighted sums behind a percentage and its SE (see
    :func:`analysis.stats.weighted_percent_from_counts`) add up over disjoint sets, so the
    rest's are the organisation's minus the group's.
    """
    if weighted and weights is None:
        raise ValueError("weighted=True needs weights (from workforce_weights)")
    classes = weight_keys(weights)[1:] if weighted else []
    all_detail = valid_counts(counts, questionnaire, _detail(breakdowns, weights))
    parts = []
    for name, columns in breakdowns.items():
        if not columns:
            continue
        detail = [*columns, *[c for c in classes if c not in columns]]
        by_class = valid_counts(all_detail, questionnaire, detail)
        group_keys = ["year", *columns, "item_id"]
        organisation_keys = ["year", "item_id"]
        if weighted:
            by_class["weight"] = _class_weights(by_class, weights, ["year", *classes])
            group = _weighted_sums(by_class, group_keys)
            whole = _weighted_sums(by_class, organisation_keys)
        else:
            group = by_class.groupby(group_keys, observed=True, sort=True)[
                ["n", "n_positive"]
            ].sum()
            whole = by_class.groupby(organisation_keys, observed=True)[["n", "n_positive"]].sum()
        level = [group.index.get_level_values(k) for k in organisation_keys]
        rest = whole.reindex(pd.MultiIndex.from_arrays(level)).to_numpy() - group.to_numpy()
        rest = pd.DataFrame(rest, index=group.index, columns=group.columns)
        result = pd.DataFrame(index=group.index)
        result["n"], result["rest_n"] = group["n"], rest["n"]
        if weighted:
            (pct, se), (rest_pct, rest_se) = _weighted_from_sums(group), _weighted_from_sums(rest)
            diff, z, p_value = weighted_difference_test(pct, se, rest_pct, rest_se)
        else:
            pct = 100 * group["n_positive"] / group["n"].where(group["n"] > 0)
            rest_pct = 100 * rest["n_positive"] / rest["n"].where(rest["n"] > 0)
            diff, z, p_value = two_proportion_test(
                group["n_positive"], group["n"], rest["n_positive"], rest["n"]
            )
        result["pct"], result["rest_pct"] = pct, rest_pct
        result["diff_pp"], result["z"], result["p_value"] = diff, z, p_value
        table = result.reset_index()
        for column in [*columns, "item_id"]:
            table[column] = table[column].astype("str")
        parts.append(label_groups(table, columns, name, organisation=""))
    if not parts:
        return pd.DataFrame({column: [] for column in GROUP_DIFFERENCE_COLUMNS})
    table = pd.concat(parts, ignore_index=True)
    table = table.iloc[np.argsort(table["year"].to_numpy(), kind="stable")]
    table = table.astype({"n": "int64", "rest_n": "int64"})
    table = flag_significant(table, ["year", "group_type", "group"], adjust, alpha)
    return table[list(GROUP_DIFFERENCE_COLUMNS)].reset_index(drop=True)
