"""Every table of the survey stage from a data package, in one call, before suppression."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.survey.benchmark import benchmark
from analysis.survey.breakdowns import group_differences, item_scores_by_group, response_rates
from analysis.survey.changes import changes
from analysis.survey.counts import count_answers
from analysis.survey.drivers import default_outcome, key_drivers
from analysis.survey.groups import breakdown_types
from analysis.survey.scores import score_items
from analysis.survey.themes import item_rest, theme_reliability, theme_scores_by_group
from analysis.survey.weights import comparator_profile_weights, workforce_weights

if TYPE_CHECKING:
    from analysis.datapackage import DataPackage

__all__ = ["survey_tables", "weighted_side_by_side"]

_CHANGE_KEYS = ("item_id", "group_type", "group", "year", "base_year")
_GROUP_DIFFERENCE_KEYS = ("year", "group_type", "group", "item_id")


def survey_tables(
    package: DataPackage,
    weighting: Sequence[str] = ("staff_group",),
    crossed: Sequence[Sequence[str]] = (("directorate", "staff_group"),),
    adjust: str | None = None,
    alpha: float = 0.05,
    outcome: str | None = None,
    comparator_profile: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Compute the survey stage's tables for every year, unsuppressed.

    Parameters
    ----------
    package
        A loaded data package.
    weighting
        Weighting classes for the workforce weights (``("staff_group",)``, as the NHS staff
        survey; or ``("directorate", "staff_group")``).
    crossed
        Crossed breakdowns, by default directorate x staff group.
    adjust
        Adjust p-values across items: ``None``, ``"holm"`` or ``"bh"``.
    alpha
        Significance level of changes and group differences.
    outcome
        The key drivers' outcome (default: :func:`analysis.survey.default_outcome`; without
        an outcome given or found there is no ``drivers`` table).
    comparator_profile
        The comparator group's staff profile (``staff_group`` and ``headcount``, shares or
        counts, optionally by ``year``). When given, the organisation is also weighted to it
        and compared with the comparators in ``benchmark_weighted``.

    Returns
    -------
    dict
        ``item_scores``, ``theme_scores``, ``key_finding_scores`` (1-5, the 2003-2008
        scale), ``changes`` and ``group_differences`` (unweighted and weighted figures side
        by side, see :func:`weighted_side_by_side`), ``response_rates``, ``reliability``,
        ``item_rest``, ``drivers`` (latest year) and, when the package has comparators,
        ``benchmark`` (unweighted, as the comparators' published figures), and
        ``benchmark_weighted`` when a comparator profile is given. Pass them through
        :func:`analysis.survey.suppress_survey_tables` before publishing.
    """
    description = package.description
    breakdowns = breakdown_types(description.group_columns, crossed)
    responses, questionnaire, scales = package.responses, package.questionnaire, package.scales
    by = list(dict.fromkeys([*description.group_columns, *weighting]))
    counts = count_answers(responses, questionnaire, by)
    weights = workforce_weights(responses, package.staff, weighting)
    name = description.organisation_name
    item_scores = item_scores_by_group(counts, questionnaire, breakdowns, weights, name)
    tables = {
        "item_scores": item_scores,
        "theme_scores": theme_scores_by_group(
            responses, questionnaire, scales, breakdowns, weights, name
        ),
        "key_finding_scores": theme_scores_by_group(
            responses, questionnaire, scales, breakdowns, weights, name, scoring="1-5"
        ),
        "changes": weighted_side_by_side(
            changes(item_scores, questionnaire, adjust=adjust, alpha=alpha),
            changes(item_scores, questionnaire, weighted=True, adjust=adjust, alpha=alpha),
            _CHANGE_KEYS,
        ),
        "group_differences": weighted_side_by_side(
            group_differences(counts, questionnaire, breakdowns, adjust=adjust, alpha=alpha),
            group_differences(
                counts,
                questionnaire,
                breakdowns,
                weights,
                weighted=True,
                adjust=adjust,
                alpha=alpha,
            ),
            _GROUP_DIFFERENCE_KEYS,
            shared=("n", "rest_n"),
        ),
        "response_rates": response_rates(responses, package.staff, breakdowns, name),
        "reliability": theme_reliability(responses, questionnaire, scales),
        "item_rest": item_rest(responses, questionnaire, scales),
    }
    latest = questionnaire[questionnaire["year"] == questionnaire["year"].max()]
    if outcome is not None or _has_default_outcome(latest):
        tables["drivers"] = key_drivers(responses, questionnaire, scales, outcome)
    if package.comparators is not None:
        code = description.organisation_code
        tables["benchmark"] = benchmark(item_scores, package.comparators, code)
        if comparator_profile is not None:
            profile_weights = comparator_profile_weights(responses, comparator_profile)
            standardised = score_items(counts, questionnaire, weights=profile_weights)
            tables["benchmark_weighted"] = benchmark(
                standardised, package.comparators, code, weighted=True
            )
    return tables


def weighted_side_by_side(
    unweighted: pd.DataFrame,
    weighted: pd.DataFrame,
    keys: Sequence[str],
    shared: Sequence[str] = (),
) -> pd.DataFrame:
    """One table with the unweighted figures, then the weighted ones beside them.

    Parameters
    ----------
    unweighted, weighted
        The same comparisons (e.g. :func:`~analysis.survey.changes` with ``weighted=False``
        and ``True``), one row per ``keys``.
    keys
        The columns identifying a row in both.
    shared
        Columns that are the same in both (the counts), kept once.

    Returns
    -------
    pandas.DataFrame
        ``unweighted``'s columns and rows, followed by every other column of ``weighted``
        with ``_weighted`` appended (``pct_weighted``, ``diff_pp_weighted``,
        ``p_value_weighted``...); missing where a row has no weighted counterpart.

    Raises
    ------
    ValueError
        If ``keys`` do not identify one row of ``weighted``.
    """
    keys = list(keys)
    figures = [c for c in weighted.columns if c not in keys and c not in shared]
    renamed = weighted[[*keys, *figures]].rename(columns={c: f"{c}_weighted" for c in figures})
    return unweighted.merge(renamed, on=keys, how="left", sort=False, validate="one_to_one")


def _has_default_outcome(questionnaire: pd.DataFrame) -> bool:
    try:
        default_outcome(questionnaire)
    except ValueError:
        return False
    return True
