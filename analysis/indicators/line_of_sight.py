"""The line of sight: from the organisation's objectives, through domains and indicators, to roles.

The performance model of ``indicators.yml`` read as a chain: each objective is served by
indicators grouped in domains, and each indicator names the roles that influence it. The
chain answers two questions of the "plan" step: can every member of staff see how their
everyday work serves the board's objectives, and is any objective judged on numbers alone?
"""

from __future__ import annotations

import pandas as pd

from analysis.datapackage.indicator_specifications import PerformanceModel

__all__ = ["LINE_OF_SIGHT_COLUMNS", "line_of_sight", "objectives_by_role"]

LINE_OF_SIGHT_COLUMNS = (
    "objective_id",
    "objective",
    "domain",
    "indicator_id",
    "indicator",
    "type",
    "role_id",
    "role",
)


def line_of_sight(model: PerformanceModel, role_profiles: pd.DataFrame) -> pd.DataFrame:
    """Tabulate the performance model: one row per objective, domain, indicator and role.

    Parameters
    ----------
    model
        The specifications (objectives and indicators).
    role_profiles
        The data package's ``role_profiles`` (``role_id``, ``role_name``).

    Returns
    -------
    pandas.DataFrame
        :data:`LINE_OF_SIGHT_COLUMNS`, in the order of the objectives, then of the indicators
        in ``indicators.yml``, then of the roles in ``role_profiles``. An indicator serves
        one objective, so each (indicator, role) pair appears once.

    Raises
    ------
    ValueError
        If an indicator names a role that is not in ``role_profiles``.
    """
    names = dict(zip(role_profiles["role_id"], role_profiles["role_name"], strict=True))
    order = {role_id: number for number, role_id in enumerate(names)}
    objectives = {objective.id: objective.name for objective in model.objectives}
    rows = []
    for objective_id in objectives:
        for indicator in (i for i in model.indicators if i.objective == objective_id):
            unknown = [role for role in indicator.roles if role not in names]
            if unknown:
                raise ValueError(
                    f"indicators.yml: indicator {indicator.id!r}: field 'roles': {unknown} are "
                    "not role_id values of role_profiles"
                )
            for role_id in sorted(indicator.roles, key=order.__getitem__):
                rows.append(
                    (
                        objective_id,
                        objectives[objective_id],
                        indicator.domain,
                        indicator.id,
                        indicator.name,
                        indicator.type,
                        role_id,
                        names[role_id],
                    )
                )
    return pd.DataFrame(rows, columns=list(LINE_OF_SIGHT_COLUMNS))


def objectives_by_role(links: pd.DataFrame, role_profiles: pd.DataFrame) -> pd.DataFrame:
    """How many indicators link each role to each objective, quantitative and qualitative.

    Parameters
    ----------
    links
        :func:`line_of_sight`.
    role_profiles
        The data package's ``role_profiles``: every role is listed, including a role that
        no indicator names.

    Returns
    -------
    pandas.DataFrame
        One row per role and objective (every pair, zero where there is no link):
        ``role_id``, ``role``, ``objective_id``, ``quantitative``, ``qualitative`` (counts of
        indicators) and ``linked`` (at least one indicator of either type). A role with
        ``linked`` false for an objective cannot see how its work serves that objective.
    """
    roles = role_profiles[["role_id", "role_name"]].rename(columns={"role_name": "role"})
    objectives = links["objective_id"].drop_duplicates()
    grid = roles.merge(objectives.to_frame(), how="cross")
    counts = links.groupby(["role_id", "objective_id", "type"]).size().unstack("type", fill_value=0)
    counts = counts.reindex(columns=["quantitative", "qualitative"], fill_value=0).reset_index()
    table = grid.merge(counts, on=["role_id", "objective_id"], how="left")
    table[["quantitative", "qualitative"]] = (
        table[["quantitative", "qualitative"]].fillna(0).astype(int)
    )
    table["linked"] = (table["quantitative"] + table["qualitative"]) > 0
    return table.reset_index(drop=True)
