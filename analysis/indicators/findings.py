"""What the indicators report says: its finding sentences and its tables about the model.

Small functions of the performance model (``indicators.yml``) and of tables the disclosure
gate has seen, for :mod:`analysis.indicators.report`. A sentence about teams counts and
names only the rows the gate shows (``suppressed`` false): a hidden team never enters it.
"""

from __future__ import annotations

import pandas as pd

from analysis.datapackage import indicator_specifications as specifications

__all__ = [
    "catalogue",
    "clear_goals_finding",
    "composite_indicator_ids",
    "funnel_finding",
    "funnel_indicators",
    "indicators_by_role",
    "line_of_sight_finding",
    "passport",
    "recalculation_note",
    "role_finding",
    "spc_finding",
    "teams_left_out",
]


# Tables and sentences from the performance model ------------------------------------------


def catalogue(model: specifications.PerformanceModel) -> pd.DataFrame:
    """The performance model as a table: one row per indicator, with its objective and roles.

    Parameters
    ----------
    model
        The indicator specifications (``indicators.yml``).

    Returns
    -------
    pandas.DataFrame
        ``objective`` (its id and name), ``domain``, ``indicator``, ``type``,
        ``unit_of_measure``, ``good_performance_is`` (the polarity in words) and ``roles``
        (the role ids, comma-separated), in the order of ``indicators.yml``.
    """
    objectives = {o.id: o.name for o in model.objectives}
    return pd.DataFrame(
        [
            {
                "objective": f"{i.objective} {objectives[i.objective]}",
                "domain": i.domain,
                "indicator": i.name,
                "type": i.type,
                "unit_of_measure": i.unit,
                "good_performance_is": i.polarity.replace("_", " "),
                "roles": ", ".join(i.roles),
            }
            for i in model.indicators
        ]
    )


def line_of_sight_finding(reach: pd.DataFrame, objectives: int) -> str:
    """The line of sight in words: which roles cannot see every objective.

    Parameters
    ----------
    reach
        :func:`analysis.indicators.line_of_sight.objectives_by_role` (``role``, ``linked``).
    objectives
        How many objectives the performance model has.

    Returns
    -------
    str
        ``"every role is linked to all N objectives"``, or how many roles are not, naming
        them in alphabetical order.
    """
    unlinked = reach[~reach["linked"]]
    if unlinked.empty:
        return f"every role is linked to all {objectives} objectives"
    return (
        f"{unlinked['role'].nunique()} of {reach['role'].nunique()} roles cannot see how their "
        f"work serves every objective ({', '.join(sorted(set(unlinked['role'])))})"
    )


def indicators_by_role(
    model: specifications.PerformanceModel, role_profiles: pd.DataFrame
) -> pd.DataFrame:
    """For each role, the indicators it influences, quantitative and qualitative.

    Parameters
    ----------
    model
        The indicator specifications.
    role_profiles
        The data package's ``role_profiles`` (``role_id``, ``role_name``), in its order.

    Returns
    -------
    pandas.DataFrame
        ``role`` (its name), ``quantitative`` and ``qualitative`` (indicator names joined
        with ``"; "``, in the order of ``indicators.yml``; empty where there is none).
    """
    role_names = role_profiles.set_index("role_id")["role_name"]

    def named(role: str, kind: str) -> str:
        return "; ".join(i.name for i in model.indicators if role in i.roles and i.type == kind)

    return pd.DataFrame(
        [
            {
                "role": role_names[role],
                "quantitative": named(role, "quantitative"),
                "qualitative": named(role, "qualitative"),
            }
            for role in role_names.index
        ]
    )


def passport(indicator: specifications.IndicatorSpecification) -> pd.DataFrame:
    """An indicator's passport as a two-column table (``field``, ``description``)."""
    return pd.DataFrame(list(indicator.passport().items()), columns=["field", "description"])


# Findings from the charts -----------------------------------------------------------------


def spc_finding(chart: pd.DataFrame) -> str:
    """An SPC chart in words: how many months show special cause variation, and the first.

    Parameters
    ----------
    chart
        :func:`analysis.indicators.values.indicator_spc` (``period``, ``point_type``).

    Returns
    -------
    str
        ``"3 of 36 months special cause, the first in 2007-04"`` or
        ``"only common cause variation"``.
    """
    special = chart[chart["point_type"] != "common_cause"]
    if special.empty:
        return "only common cause variation"
    return (
        f"{len(special)} of {len(chart)} months special cause, the first in "
        f"{special['period'].iloc[0]}"
    )


def recalculation_note(chart: pd.DataFrame) -> str:
    """The months from which a chart's limits are recalculated, and why (empty if none).

    Parameters
    ----------
    chart
        :func:`analysis.indicators.values.indicator_spc` (``period``,
        ``recalculated_because``: the known change of ``indicators.yml``, else ``""``).

    Returns
    -------
    str
        One sentence per change, each beginning with a space, e.g.
        ``" Limits recalculated from 2007-04: new rota."``.
    """
    changes = chart[chart["recalculated_because"] != ""]
    return "".join(
        f" Limits recalculated from {row.period}: {row.recalculated_because}."
        for row in changes.itertuples()
    )


def funnel_indicators(
    model: specifications.PerformanceModel,
) -> list[specifications.IndicatorSpecification]:
    """The indicators a funnel plot can compare: proportions and rates from ``indicator_values``."""
    return [
        i
        for i in model.indicators
        if i.source == "indicator_values" and i.value_type in ("proportion", "rate")
    ]


def funnel_finding(points: pd.DataFrame) -> str:
    """A funnel plot in words: the shown teams outside the 99.8% limits.

    Parameters
    ----------
    points
        One indicator's funnel points after the gate (``unit``, ``outlier``, ``suppressed``).

    Returns
    -------
    str
        ``"2 team(s) outside the 99.8% limits (A, B)"`` or
        ``"no team outside the 99.8% limits"``. A hidden team is never counted or named.
    """
    outliers = points[points["outlier"] & ~points["suppressed"]]
    if outliers.empty:
        return "no team outside the 99.8% limits"
    return f"{len(outliers)} team(s) outside the 99.8% limits ({', '.join(outliers['unit'])})"


def role_finding(profile: pd.DataFrame) -> str:
    """A role's profile in words: its shown team values worse than benchmark or getting worse.

    Parameters
    ----------
    profile
        The rows of one role from :func:`analysis.indicators.profiles.role_profiles`
        (``rating``, ``trend``, ``suppressed``).

    Returns
    -------
    str
        ``"2 team value(s) worse than benchmark, 1 getting worse"`` or
        ``"no team value worse than benchmark or getting worse"``; hidden rows do not count.
    """
    shown = profile[~profile["suppressed"]]
    worse = int((shown["rating"] == "worse").sum())
    concern = int((shown["trend"] == "getting worse").sum())
    if worse or concern:
        return f"{worse} team value(s) worse than benchmark, {concern} getting worse"
    return "no team value worse than benchmark or getting worse"


def clear_goals_finding(rows: pd.DataFrame) -> str:
    """One clear-goals item in words: in how many years appraised staff agree more often.

    Parameters
    ----------
    rows
        One item's rows of the published ``clear_goals_by_appraisal`` table (``year``,
        ``difference``: appraised minus not appraised, the same on both rows of a year;
        ``suppressed``).

    Returns
    -------
    str
        ``"appraised staff agree more often in 3 of 4 years (by -2 to 9 points)"``, over
        the years whose rows are shown.
    """
    shown = rows[~rows["suppressed"]].drop_duplicates("year")
    higher = int((shown["difference"] > 0).sum())
    return (
        f"appraised staff agree more often in {higher} of {len(shown)} years "
        f"(by {shown['difference'].min():.0f} to {shown['difference'].max():.0f} points)"
    )


def composite_indicator_ids(model: specifications.PerformanceModel) -> list[str]:
    """The indicators the composite combines: rates and proportions with a good direction.

    Parameters
    ----------
    model
        The indicator specifications.

    Returns
    -------
    list of str
        The ids, in the order of ``indicators.yml``, of the ``indicator_values`` indicators
        that are proportions or rates and whose polarity is not ``no_judgement``.
    """
    return [
        i.id
        for i in model.indicators
        if i.source == "indicator_values"
        and i.polarity != "no_judgement"
        and i.value_type in ("proportion", "rate")
    ]


def teams_left_out(rows: pd.DataFrame) -> list[str]:
    """The teams the composite leaves out: any of their values hidden by the gate, or missing.

    Parameters
    ----------
    rows
        Gated team values (``unit``, ``value``, ``suppressed`` from
        :func:`analysis.indicators.values.suppress_small_teams`).

    Returns
    -------
    list of str
        The teams, sorted, with at least one row suppressed or without a value.
    """
    hidden = rows["suppressed"] | rows["value"].isna()
    return sorted(rows.loc[hidden, "unit"].unique())
