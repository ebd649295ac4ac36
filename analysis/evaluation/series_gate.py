"""The disclosure rule of an action's pooled indicator series (``its``, ``its_lines``, ``its_spc``).

An action's interrupted time series pools the raw monthly ``indicator_values`` of the teams
it targets (and of its comparison teams). Targeted at one small team, it would publish
that team's monthly series, which the indicators stage hides. So a series about staff is
shown only when every unit it describes, or that a reader can work out from it, holds at
least the minimum group size of staff in every month:

* the targeted teams together, and the comparison teams together;
* the small teams among them together (those below the minimum in some month, outside
  the directorates pooled whole): the indicators stage publishes the other teams' and the
  whole directorates' monthly values, and the pooled series minus theirs gives the small
  teams' (a whole directorate's series is the indicators stage's own, gated there);
* the rest of each directorate the targeted teams belong to (the indicators stage
  publishes directorates' values: directorate minus targeted teams gives the rest), and
  the rest of the organisation (organisation minus targeted teams), where that rest is
  not empty.

Staff are counted by the indicator's disclosure rule in ``indicators.yml``, as
:func:`analysis.indicators.values.suppress_small_teams` reads it: the denominator for
``staff_denominator``, the headcount indicator's denominator for ``staff_in_team`` (or, for
an indicator without a specification, whichever of the two the package has). Indicators
declared ``not_person_level`` describe patients or services and are published per team by
the indicators stage already: they pass.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.2
(threshold rule) and 4.4 (secondary suppression: differencing of nested groups).
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from analysis.datapackage import DataPackage

__all__ = ["hidden_series_reason"]


def _staff_indicator(package: DataPackage, indicator_id: str) -> str | None:
    """The indicator whose denominator counts the staff behind ``indicator_id``'s values.

    ``None`` for a ``not_person_level`` indicator; ``""`` when the package gives no way to
    count them.
    """
    model = package.indicators
    known = model is not None and indicator_id in {i.id for i in model.indicators}
    rule = model[indicator_id].disclosure if known else None
    if rule == "not_person_level":
        return None
    headcount = model.headcount_indicator if model is not None else None
    if rule == "staff_denominator":
        return indicator_id
    if rule == "staff_in_team":
        return headcount or ""
    values = package.tables["indicator_values"]
    has_denominator = values.loc[values["indicator_id"] == indicator_id, "denominator"].notna()
    return indicator_id if has_denominator.any() else (headcount or "")


def _smallest_staff(values: pd.DataFrame, team_ids: Collection[str], months: pd.Index) -> float:
    """The least monthly staff of ``team_ids`` together over ``months`` (0 when none)."""
    rows = values[values["team_id"].isin(list(team_ids))]
    monthly = rows.groupby("month")["denominator"].sum().reindex(months, fill_value=0.0)
    return float(monthly.min()) if len(monthly) else 0.0


def hidden_series_reason(
    package: DataPackage,
    indicator_id: str,
    targeted: Collection[str],
    comparison: Collection[str],
    months: pd.Index,
    minimum: int,
) -> str | None:
    """Why an action's pooled series of ``indicator_id`` must be hidden, or ``None``.

    Parameters
    ----------
    package
        The data package (``indicator_values``, ``teams``, ``indicators.yml``).
    indicator_id
        The indicator of the series.
    targeted, comparison
        The team ids pooled in the targeted series and in the comparison series.
    months
        The months of the series (``period[M]``).
    minimum
        The minimum group size (``dataset.yml``).

    Returns
    -------
    str or None
        A sentence naming the unit below the minimum (no figure of it), or ``None`` when
        every unit holds at least ``minimum`` staff in every month.

    Examples
    --------
    A team of 6 targeted alone is hidden; see ``tests/test_action_series_gate.py``.
    """
    staff_indicator = _staff_indicator(package, indicator_id)
    if staff_indicator is None:
        return None
    if staff_indicator == "":
        return (
            f"hidden: {indicator_id} is about staff, but the package has no headcount "
            "indicator to check the targeted teams' size against the minimum group size"
        )
    values = package.tables["indicator_values"]
    values = values[values["indicator_id"] == staff_indicator]
    teams = package.tables["teams"]
    units = [("the targeted teams", list(targeted))]
    if comparison:
        units.append(("the comparison teams", list(comparison)))
    for name, pooled in (("targeted", targeted), ("comparison", comparison)):
        whole = _whole_directorate_teams(teams, pooled)
        small = [
            t for t in pooled if t not in whole and _smallest_staff(values, [t], months) < minimum
        ]
        if small and len(small) < len(pooled):
            units.append((f"the rest of the {name} teams", small))
    for directorate in sorted(teams.loc[teams["team_id"].isin(list(targeted)), "directorate"]):
        rest = teams.loc[
            (teams["directorate"] == directorate) & ~teams["team_id"].isin(list(targeted)),
            "team_id",
        ]
        units.append((f"the rest of directorate {directorate}", rest.tolist()))
    rest = teams.loc[~teams["team_id"].isin(list(targeted)), "team_id"]
    units.append(("the rest of the organisation", rest.tolist()))
    for name, team_ids in units:
        is_rest = name.startswith("the rest")
        if is_rest and _largest_staff(values, team_ids, months) == 0:
            continue  # nothing left: the rest is empty, not small
        if _smallest_staff(values, team_ids, months) < minimum:
            return (
                f"hidden: {name} hold fewer than {minimum} staff (the minimum group size) "
                "in some month"
            )
    return None


def _whole_directorate_teams(teams: pd.DataFrame, pooled: Collection[str]) -> set[str]:
    """The teams of ``pooled`` whose directorate's every team is in ``pooled``."""
    inside = teams["team_id"].isin(list(pooled))
    whole = inside.groupby(teams["directorate"]).transform("all")
    return set(teams.loc[inside & whole, "team_id"])


def _largest_staff(values: pd.DataFrame, team_ids: Collection[str], months: pd.Index) -> float:
    rows = values[values["team_id"].isin(list(team_ids))]
    monthly = rows.groupby("month")["denominator"].sum().reindex(months, fill_value=0.0)
    return float(monthly.max()) if len(monthly) else 0.0
