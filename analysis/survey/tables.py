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

__all__ = ["survey_tables"]


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
        scale), ``changes`` and ``changes_weighted``, ``group_differences`` and
        ``group_differences_weighted``, ``response_rates``, ``reliability``,
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
        "changes": changes(item_scores, questionnaire, adjust=adjust, alpha=alpha),
        "changes_weighted": changes(
            item_scores, questionnaire, weighted=True, adjust=adjust, alpha=alpha
        ),
        "group_differences": group_differences(
            counts, questionnaire, breakdowns, adjust=adjust, alpha=alpha
        ),
        "group_differences_weighted": group_differences(
            counts, questionnaire, breakdowns, weights, weighted=True, adjust=adjust, alpha=alpha
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


def _has_default_outcome(questionnaire: pd.DataFrame) -> bool:
    try:
        default_outcome(questionnaire)
    except ValueError:
        return False
    return True
