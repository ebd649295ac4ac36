"""Role profiles: "How do I know I'm doing a good job?" answered for each role, by team.

A role profile lists the indicators a role influences (quantitative and qualitative side by
side) with, for every team in which the role works, the team's current value, its trend (the
SPC variation icon of its latest month) and its rating. Profiles are built from the
published, already suppressed scorecard, so they show teams and roles only: never a figure
about an individual, never a value based on fewer staff than the minimum group size, and no
count of a role's staff within a team.

:func:`staff_profile` is the exception, kept apart: one member of staff's own record for the
private profile (``python -m analysis profile STAFF_ID``), which no shared report links to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.datapackage.indicator_specifications import PerformanceModel
from analysis.disclosure.derived import carry_mark

__all__ = [
    "OVERALL_RATINGS",
    "ROLE_PROFILE_COLUMNS",
    "ROLE_PROFILE_LABELS",
    "ROLE_PROFILE_VALUES",
    "TREND_WORDS",
    "StaffProfile",
    "UnknownStaffError",
    "check_staff_id",
    "role_profile_grid",
    "role_profile_summary",
    "role_profiles",
    "staff_profile",
]

ROLE_PROFILE_LABELS = (
    "role_id",
    "role",
    "type",
    "indicator_id",
    "indicator",
    "unit_of_measure",
    "unit",
    "directorate",
)
"""The columns of a role profile row that say what it is about."""

ROLE_PROFILE_VALUES = ("value", "median", "rating", "trend")
"""The columns of a role profile row that the disclosure gate may hide."""

ROLE_PROFILE_COLUMNS = (*ROLE_PROFILE_LABELS, *ROLE_PROFILE_VALUES, "suppressed")

TREND_WORDS = {
    "common_cause": "no significant change",
    "improvement_high": "improving",
    "improvement_low": "improving",
    "concern_high": "getting worse",
    "concern_low": "getting worse",
    "neutral_high": "rising",
    "neutral_low": "falling",
}
"""The latest month's SPC variation icon in words, for readers who do not know the icons."""


def role_profiles(
    card: pd.DataFrame,
    staff_list: pd.DataFrame,
    role_profiles: pd.DataFrame,
    model: PerformanceModel,
) -> pd.DataFrame:
    """Each role's indicators with the value, trend and rating of every team it works in.

    Parameters
    ----------
    card
        The suppressed team scorecard (:func:`analysis.indicators.values.scorecard`):
        ``unit``, ``directorate``, ``indicator_id``, ``indicator``, ``unit_of_measure``,
        ``value``, ``rating``, ``variation_icon``, ``suppressed`` and optionally
        ``median``.
    staff_list
        The data package's ``staff_list`` (``team_id``, ``role_id``): which roles work in
        which teams. Only the presence of a role in a team is used, never a count.
    role_profiles
        The data package's ``role_profiles`` (``role_id``, ``role_name``).
    model
        The specifications (each indicator's roles and type).

    Returns
    -------
    pandas.DataFrame
        :data:`ROLE_PROFILE_COLUMNS`: one row per role, indicator it influences and team
        in which it works, quantitative indicators first. ``trend`` is
        :data:`TREND_WORDS` of the team's variation icon (missing where the indicator is
        not charted monthly). Suppressed scorecard cells stay suppressed (value, median,
        rating and trend missing, ``suppressed`` true), ready for
        ``StageOutput.table(..., gated=True)``.

    Raises
    ------
    ValueError
        If ``card`` has unsuppressed rows without a ``suppressed`` column (it must be the
        gated scorecard).
    """
    if "suppressed" not in card:
        raise ValueError(
            "card must be the suppressed scorecard (values.scorecard of values.suppress_small_"
            "teams), with its 'suppressed' column"
        )
    names = dict(zip(role_profiles["role_id"], role_profiles["role_name"], strict=True))
    kinds = {indicator.id: indicator.type for indicator in model.indicators}
    order = {indicator.id: number for number, indicator in enumerate(model.indicators)}
    teams_of_role = staff_list.groupby("role_id")["team_id"].agg(lambda teams: set(teams))
    frames = []
    for role_id, role in names.items():
        influenced = [i.id for i in model.indicators if role_id in i.roles]
        teams = teams_of_role.get(role_id, set())
        rows = card[card["indicator_id"].isin(influenced) & card["unit"].isin(teams)].copy()
        rows.insert(0, "role_id", role_id)
        rows.insert(1, "role", role)
        frames.append(rows)
    profile = pd.concat(frames, ignore_index=True)
    profile["type"] = profile["indicator_id"].map(kinds)
    if "median" not in profile:
        profile["median"] = float("nan")
    hidden = profile["suppressed"].astype(bool)
    profile["trend"] = profile["variation_icon"].map(TREND_WORDS).where(~hidden, None)
    profile["_type"] = profile["type"].map({"quantitative": 0, "qualitative": 1})
    profile["_order"] = profile["indicator_id"].map(order)
    profile = profile.sort_values(["role_id", "_type", "_order", "unit"], kind="stable")
    return carry_mark(profile[list(ROLE_PROFILE_COLUMNS)].reset_index(drop=True), card)


def role_profile_grid(profile: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One role's profile as a grid: teams down, quantitative then qualitative indicators across.

    Parameters
    ----------
    profile
        The rows of one role from :func:`role_profiles`.

    Returns
    -------
    cells : pandas.DataFrame
        Index the teams; columns ``(type, indicator)``; each cell the team's value (three
        significant figures, with the median level for a rubric), its rating in words when
        it was compared, and its trend when the latest month is a special cause, e.g.
        ``"5.73, worse, getting worse"``; ``[c]`` where suppressed; empty where the team
        has no value.
    ratings : pandas.DataFrame
        The same shape: each cell's rating (missing where suppressed or absent).
    """
    texts = []
    for row in profile.itertuples(index=False):
        if row.suppressed:
            texts.append("[c]")
            continue
        if pd.isna(row.value):
            texts.append("")
            continue
        parts = [f"{row.value:.3g}"]
        if pd.notna(row.median):
            parts[0] += f" (median {row.median:g})"
        if isinstance(row.rating, str) and row.rating != "not compared":
            parts.append(row.rating)
        if isinstance(row.trend, str) and row.trend != "no significant change":
            parts.append(row.trend)
        texts.append(", ".join(parts))
    table = profile.assign(
        text=texts,
        kind=profile["type"].str.capitalize(),
        shown_rating=profile["rating"].where(~profile["suppressed"].astype(bool)),
    )
    columns = pd.MultiIndex.from_frame(
        table[["kind", "indicator"]].drop_duplicates(), names=["type", "indicator"]
    )
    cells = table.pivot(index="unit", columns=["kind", "indicator"], values="text")
    ratings = table.pivot(index="unit", columns=["kind", "indicator"], values="shown_rating")
    cells = cells.reindex(columns=columns).fillna("")
    ratings = ratings.reindex(columns=columns)
    cells.index.name = ratings.index.name = "team"
    return cells, ratings


def role_profile_summary(profile: pd.DataFrame) -> pd.DataFrame:
    """For each role and indicator: how many of the role's teams are better, similar or worse.

    Parameters
    ----------
    profile
        :func:`role_profiles`.

    Returns
    -------
    pandas.DataFrame
        ``role_id``, ``role``, ``type``, ``indicator``, ``teams`` (teams in which the role
        works), ``better``, ``similar``, ``worse`` (teams with each rating; ``higher`` and
        ``lower`` count as better and worse only where a direction is good, so they are
        counted in ``other``), ``other`` (not compared, quintiles, or no judgement),
        ``getting_worse`` (teams whose latest month is special cause concern) and
        ``suppressed_teams`` (teams shown as [c]). Counts of teams, not of people.
    """
    shown = ~profile["suppressed"].astype(bool)
    rating = profile["rating"].where(shown)
    counts = profile.assign(
        better=(rating == "better") & shown,
        similar=(rating == "similar") & shown,
        worse=(rating == "worse") & shown,
        other=~rating.isin(["better", "similar", "worse"]) & shown,
        getting_worse=(profile["trend"] == "getting worse") & shown,
        hidden=~shown,
    )
    keys = ["role_id", "role", "type", "indicator_id", "indicator"]
    summary = counts.groupby(keys, sort=False).agg(
        teams=("unit", "size"),
        better=("better", "sum"),
        similar=("similar", "sum"),
        worse=("worse", "sum"),
        other=("other", "sum"),
        getting_worse=("getting_worse", "sum"),
        suppressed_teams=("hidden", "sum"),
    )
    return summary.reset_index().drop(columns="indicator_id")


OVERALL_RATINGS = {
    1: "below the standard expected",
    2: "partly meets the standard",
    3: "meets the standard",
    4: "exceeds the standard",
}
"""The appraisal's overall rating (1-4) in words, as ``docs/data-package.md`` defines it."""


class UnknownStaffError(KeyError):
    """A staff ID that is not in the data package's ``staff_list``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class StaffProfile:
    """One member of staff's private profile: for that person and their line manager only.

    Attributes
    ----------
    staff_id
        The pseudonymised staff ID.
    role_id, team_id
        The person's role and team.
    details
        ``field``, ``value``: ID, role, staff group, band, team, directorate, in post since.
    appraisals
        Every review: ``review_date``, ``overall_rating``, ``meaning``,
        ``development_action``.
    objectives
        The objectives agreed at the latest review that recorded any: ``objective``,
        ``linked_to``, ``indicator`` (its name, when linked to an indicator) and
        ``serves`` (the organisational objective, ``id name``).
    skills
        The latest KSF review: ``ksf_dimension``, ``required_level``, ``assessed_level``
        and ``gap`` (levels below the requirement, 0 when met).
    """

    staff_id: str
    role_id: str
    team_id: str
    details: pd.DataFrame
    appraisals: pd.DataFrame
    objectives: pd.DataFrame
    skills: pd.DataFrame


def check_staff_id(staff_id: str, staff_list: pd.DataFrame, package_name: str) -> None:
    """Raise :class:`UnknownStaffError`, saying where valid IDs are, if ``staff_id`` is unknown.

    Parameters
    ----------
    staff_id
        The ID asked for.
    staff_list
        The data package's ``staff_list``.
    package_name
        The data package's name, for the message.
    """
    ids = staff_list["staff_id"].astype(str)
    if str(staff_id) in set(ids):
        return
    ordered = sorted(ids)
    example = f" (from {ordered[0]} to {ordered[-1]})" if ordered else ""
    raise UnknownStaffError(
        f"no member of staff {staff_id!r} in the data package {package_name!r}: staff IDs are "
        f"the staff_id column of its staff_list table{example}, {len(ordered)} in all. Staff "
        "IDs are pseudonymised: ask the person holding the key (HR) for someone's ID."
    )


def staff_profile(
    staff_id: str,
    *,
    staff_list: pd.DataFrame,
    teams: pd.DataFrame,
    role_profiles: pd.DataFrame,
    appraisals: pd.DataFrame,
    appraisal_objectives: pd.DataFrame,
    appraisal_skills: pd.DataFrame,
    model: PerformanceModel,
    package_name: str = "data package",
) -> StaffProfile:
    """Gather one member of staff's record: role, appraisals, objectives and skills.

    Parameters
    ----------
    staff_id
        The pseudonymised staff ID.
    staff_list, teams, role_profiles, appraisals, appraisal_objectives, appraisal_skills
        The data package's tables.
    model
        The specifications (what each objective's ``linked_to`` serves).
    package_name
        For the message when the ID is unknown.

    Returns
    -------
    StaffProfile

    Raises
    ------
    UnknownStaffError
        If ``staff_id`` is not in ``staff_list``.
    """
    check_staff_id(staff_id, staff_list, package_name)
    person = staff_list[staff_list["staff_id"].astype(str) == str(staff_id)].iloc[0]
    team = teams.set_index("team_id").loc[person["team_id"]]
    role = role_profiles.set_index("role_id").loc[person["role_id"]]
    details = pd.DataFrame(
        [
            ("Staff ID", str(staff_id)),
            ("Role", role["role_name"]),
            ("Staff group", person["staff_group"]),
            ("Band", person["band"]),
            ("Team", f"{person['team_id']} {team['team_name']}"),
            ("Directorate", team["directorate"]),
            ("In post since", pd.Timestamp(person["start_date"]).strftime("%d %B %Y")),
        ],
        columns=["field", "value"],
    )
    reviews = appraisals[appraisals["staff_id"] == staff_id].sort_values("review_date")
    reviews = reviews.assign(meaning=reviews["overall_rating"].map(OVERALL_RATINGS))
    reviews = reviews[["review_date", "overall_rating", "meaning", "development_action"]]
    mine = appraisal_objectives[appraisal_objectives["staff_id"] == staff_id]
    mine = mine[mine["review_date"] == mine["review_date"].max()]
    objective_names = {o.id: f"{o.id} {o.name}" for o in model.objectives}
    indicators = {i.id: i for i in model.indicators}
    objectives = pd.DataFrame(
        {
            "objective": mine["objective"].to_numpy(),
            "linked_to": mine["linked_to"].to_numpy(),
            "indicator": [
                indicators[link].name if link in indicators else "" for link in mine["linked_to"]
            ],
            "serves": [
                objective_names.get(indicators[link].objective if link in indicators else link, "")
                for link in mine["linked_to"]
            ],
        }
    )
    skills = appraisal_skills[appraisal_skills["staff_id"] == staff_id]
    skills = skills[skills["review_date"] == skills["review_date"].max()]
    skills = skills.assign(gap=(skills["required_level"] - skills["assessed_level"]).clip(lower=0))[
        ["ksf_dimension", "required_level", "assessed_level", "gap"]
    ]
    return StaffProfile(
        staff_id=str(staff_id),
        role_id=str(person["role_id"]),
        team_id=str(person["team_id"]),
        details=details,
        appraisals=reviews.reset_index(drop=True),
        objectives=objectives,
        skills=skills.reset_index(drop=True),
    )
