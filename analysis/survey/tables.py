"""Every table of the survey stage from a data package, in one call, before suppression."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.datapackage.groups import breakdown_types
from analysis.datapackage.respondents import response_rates
from analysis.survey.benchmark import benchmark
from analysis.survey.breakdowns import group_differences, item_scores_by_group
from analysis.survey.changes import changes
from analysis.survey.counts import count_answers
from analysis.survey.drivers import default_outcome, key_drivers
from analysis.survey.scores import score_items
from analysis.survey.themes import item_rest, theme_reliability, theme_scores_by_group
from analysis.survey.weights import comparator_profile_weights, workforce_weights

if TYPE_CHECKING:
    from analysis.datapackage import DataPackage

__all__ = ["benchmark_side_by_side", "profile_years", "survey_tables", "weighted_side_by_side"]

_CHANGE_KEYS = ("item_id", "group_type", "group", "year", "base_year")
_GROUP_DIFFERENCE_KEYS = ("year", "group_type", "group", "item_id")
_BENCHMARK_KEYS = ("year", "item_id")
_COMPARATOR_FIGURES = ("n", "comparators", "worst", "median", "average", "best", "organisations")


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
        counts, optionally by ``year``: the data package's ``comparator_profile``). When
        given, ``benchmark`` also compares the organisation weighted to it, in the years the
        profile covers (:func:`profile_years`); other years' weighted columns are blank.

    Returns
    -------
    dict
        ``item_scores``, ``theme_scores``, ``key_finding_scores`` (1-5, the 2003-2008
        scale), ``changes`` and ``group_differences`` (unweighted and weighted figures side
        by side, see :func:`weighted_side_by_side`), ``response_rates``, ``reliability``,
        ``item_rest``, ``drivers`` (latest year) and, when the package has comparators,
        ``benchmark`` (see :func:`benchmark_side_by_side`). Pass them through
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
        standardised = None
        profiled = profile_years(comparator_profile, responses["year"].unique())
        if profiled:
            in_profile = responses[responses["year"].isin(profiled)]
            profile_weights = comparator_profile_weights(in_profile, comparator_profile)
            standardised = score_items(
                counts[counts["year"].isin(profiled)], questionnaire, weights=profile_weights
            )
        tables["benchmark"] = benchmark_side_by_side(
            item_scores, package.comparators, code, standardised
        )
    return tables


def profile_years(profile: pd.DataFrame | None, years: Sequence[int]) -> list[int]:
    """The survey years a comparator profile covers.

    Parameters
    ----------
    profile
        The ``comparator_profile`` table (optionally by ``year``), or ``None``.
    years
        The survey years wanted.

    Returns
    -------
    list of int
        ``years`` (sorted) that the profile has rows for: every year when it has no ``year``
        column (one profile for every year), none without a profile. A year missing here is
        benchmarked unweighted only (the comparator group's mix is unknown that year).
    """
    if profile is None or profile.empty:
        return []
    wanted = sorted(int(year) for year in years)
    if "year" not in profile.columns:
        return wanted
    covered = set(pd.to_numeric(profile["year"], errors="coerce").dropna().astype(int))
    return [year for year in wanted if year in covered]


def benchmark_side_by_side(
    item_scores: pd.DataFrame,
    comparators: pd.DataFrame,
    organisation_code: str,
    standardised: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The benchmark, unweighted and weighted to the comparator group's profile side by side.

    Parameters
    ----------
    item_scores
        The organisation's item scores (its unweighted figures are compared, as the
        comparators publish unweighted ones).
    comparators
        The ``comparators`` table.
    organisation_code
        The organisation's code.
    standardised
        The organisation's item scores with weights from
        :func:`~analysis.survey.comparator_profile_weights` (the comparator group's
        staff-group mix), or ``None``.

    Returns
    -------
    pandas.DataFrame
        :data:`~analysis.survey.BENCHMARK_COLUMNS`; with ``standardised``, followed by
        ``pct_weighted`` (percent positive weighted to the comparator profile),
        ``se_weighted`` (its Taylor-linearisation SE, as R ``survey::svymean``),
        ``ci_low_weighted``, ``ci_high_weighted`` (+/- 1.96 SE, clipped to 0-100), and
        ``rank_weighted``, ``quintile_weighted`` and ``comparison_weighted``, judged on the
        weighted figure and its interval as :func:`~analysis.survey.benchmark` does.

    Notes
    -----
    Weighting the organisation to the comparators' staff-group mix (direct
    standardisation) asks how it would score if it employed the staff groups in the
    proportions the comparator group does, so that a difference in mix is not read as a
    difference in experience.
    """
    unweighted = benchmark(item_scores, comparators, organisation_code)
    if standardised is None:
        return unweighted
    weighted = benchmark(standardised, comparators, organisation_code, weighted=True)
    se = standardised[[*_BENCHMARK_KEYS, "se_weighted"]].rename(columns={"se_weighted": "se"})
    weighted = weighted.merge(
        se.astype({"item_id": "str"}), on=list(_BENCHMARK_KEYS), how="left", validate="1:1"
    )
    order = [*_BENCHMARK_KEYS, *_COMPARATOR_FIGURES, "pct", "se", "ci_low", "ci_high"]
    weighted = weighted[[*order, "rank", "quintile", "comparison"]]
    return weighted_side_by_side(unweighted, weighted, _BENCHMARK_KEYS, _COMPARATOR_FIGURES)


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
