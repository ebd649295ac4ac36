"""Weights that make respondents represent a workforce: the organisation's own, or a profile.

A weight belongs to a *weighting class* (by default a staff group within a year): every
respondent of the class has weight ``population of the class / respondents of the class``.
With the staff table's headcounts as the population (:func:`workforce_weights`) the
organisation's figures represent its whole workforce, correcting for staff groups that
answer more often than others. With a comparator group's staff-group profile
(:func:`comparator_profile_weights`) the organisation is standardised to the comparator
group's staff mix before it is compared with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.datapackage.groups import NOT_STATED, group_labels
from analysis.datapackage.respondents import count_respondents

__all__ = [
    "comparator_profile_weights",
    "workforce_weights",
]


def _population(
    profile: pd.DataFrame, by: list[str], population: str, years: Sequence[int]
) -> pd.DataFrame:
    """The profile's population per year and class (repeated for every year if it has none)."""
    missing = [column for column in [*by, population] if column not in profile.columns]
    if missing:
        raise ValueError(
            f"the population profile has no column(s) {missing}; it has {list(profile.columns)}"
        )
    values = pd.to_numeric(profile[population], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError(
            f"{population} must be a number 0 or more in every row of the population profile"
        )
    profile = profile.assign(**{population: values})
    if "year" not in profile.columns:
        profile = pd.concat([profile.assign(year=year) for year in years], ignore_index=True)
    keys = [profile["year"]] + [group_labels(profile[column]) for column in by]
    summed = profile.groupby(keys, sort=True)[population].sum().rename("population")
    return summed.reset_index()


def comparator_profile_weights(
    responses: pd.DataFrame,
    profile: pd.DataFrame,
    by: Sequence[str] = ("staff_group",),
    population: str = "headcount",
    average_within: Sequence[str] = (),
) -> pd.DataFrame:
    """Weights that give the respondents the profile's mix of weighting classes.

    Parameters
    ----------
    responses
        One row per respondent per year, with ``year`` and the ``by`` columns.
    profile
        The population per class: the ``by`` columns, the ``population`` column (headcounts
        or shares) and optionally ``year`` (without it the same profile is used every year).
        Several rows of one class (e.g. one per directorate) are added up.
    by
        The columns that define a weighting class within a year.
    population
        The profile's column holding each class's size.
    average_within
        Columns of ``by`` within which (and the year) respondents of an unstated class get
        the average weight, e.g. ``["organisation"]`` when ``by`` is ``["organisation",
        "staff_group"]`` for national data; by default the whole year.

    Returns
    -------
    pandas.DataFrame
        One row per year and class that has respondents: ``year``, the ``by`` columns,
        ``respondents``, ``population`` and ``weight``.

    Raises
    ------
    ValueError
        If a class with respondents has no population, or a population of 0.

    Notes
    -----
    ``weight = population / respondents`` for each class (Lohr 2022, section 8.5), as
    :func:`analysis.stats.nonresponse_weights`; the weights of a class add up to its
    population. Respondents whose class is not stated (a blank staff group) cannot be
    placed: they get the average weight of their year (and ``average_within`` group), total
    population of the classes with respondents over the respondents of those classes, so
    that they count as typical respondents rather than being dropped (which would make
    weighted figures rest on fewer respondents than the unweighted ones). Classes with staff
    but no respondents cannot be represented; their population is left out.

    References
    ----------
    Lohr SL (2022). Sampling: design and analysis, 3rd edn. CRC Press, section 8.5.
    """
    by = list(by)
    if not by:
        raise ValueError("by must name at least one column defining the weighting classes")
    within = ["year", *average_within]
    if not set(average_within) <= set(by):
        raise ValueError(f"average_within {list(average_within)} must be among by {by}")
    respondents = count_respondents(responses, by)
    years = sorted(respondents["year"].unique().tolist())
    table = respondents.merge(_population(profile, by, population, years), how="left")
    stated = ~(table[by] == NOT_STATED).any(axis=1)
    unplaced = stated & ~(table["population"] > 0)
    if unplaced.any():
        first = table.loc[unplaced].iloc[0]
        where = ", ".join(f"{column} = {first[column]!r}" for column in by)
        raise ValueError(
            f"{int(unplaced.sum())} weighting class(es) have respondents but no population "
            f"above 0, e.g. {where} in {first['year']} ({first['respondents']} respondents): "
            f"add their {population} to the profile or merge the class into another"
        )
    placed = table[stated]
    totals = placed.groupby(within)[["population", "respondents"]].sum()
    average = (totals["population"] / totals["respondents"]).rename("average").reset_index()
    table["weight"] = table["population"] / table["respondents"]
    fallback = table[within].merge(average, on=within, how="left")["average"].to_numpy()
    table["weight"] = table["weight"].where(stated, fallback)
    table["population"] = table["population"].where(stated, fallback * table["respondents"])
    return table.astype({"population": "float64", "weight": "float64"})


def workforce_weights(
    responses: pd.DataFrame, staff: pd.DataFrame, by: Sequence[str] = ("staff_group",)
) -> pd.DataFrame:
    """Non-response weights to the organisation's own workforce (the staff table).

    Parameters
    ----------
    responses
        One row per respondent per year.
    staff
        The ``staff`` table: ``year``, ``directorate``, ``staff_group``, ``headcount``.
    by
        Weighting classes within a year: ``("staff_group",)`` as the NHS staff survey, or
        ``("directorate", "staff_group")`` to weight each directorate to its own mix.

    Returns
    -------
    pandas.DataFrame
        As :func:`comparator_profile_weights`, with ``population`` the headcount.

    Examples
    --------
    Staff group *Nursing* with 10 staff and 2 respondents gives each of them weight 5.
    """
    return comparator_profile_weights(responses, staff, by, population="headcount")
