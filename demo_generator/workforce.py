"""The demo workforce: who is in post at each year's survey census date.

Each survey year has its own census of staff (people are not linked across years, as in the
survey itself). The 2008 census is also the pseudonymised ``staff_list``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo_generator.organisation import (
    AHP,
    BASE_HEADCOUNT,
    DIRECTORATES,
    MH,
    NUR,
    ROLES,
    STAFF_GROUPS,
    SURVEY_YEARS,
    TEAMS,
)

__all__ = [
    "AGE_BANDS",
    "CENSUS_DATE",
    "Workforce",
    "build_workforce",
    "headcount_by_team",
]

AGE_BANDS = ("16-30", "31-40", "41-50", "51-65", "66+")
CENSUS_DATE = "09-30"  # month-day of each year's census (the survey went out in October)

_YEAR_FACTOR = {2003: 0.965, 2004: 0.98, 2005: 1.0, 2006: 1.025, 2007: 0.995, 2008: 1.015}
_AGE_SHARES = (0.12, 0.22, 0.33, 0.31, 0.02)
_MALE_SHARE = dict(zip(STAFF_GROUPS, (0.08, 0.15, 0.50, 0.10, 0.30, 0.20, 0.35), strict=True))
_GENDER_NOT_STATED = 0.03
_ETHNICITIES = (
    ("White British", 0.875),
    ("White other", 0.03),
    ("Asian or Asian British", 0.035),
    ("Black or Black British", 0.025),
    ("Mixed", 0.010),
    ("Chinese or other ethnic group", 0.008),
    ("", 0.017),
)
_DISABILITY = (("No", 0.92), ("Yes", 0.035), ("", 0.045))
_DEMOGRAPHICS = ("age_band", "gender", "ethnicity", "disability")
_DISTRICT_NURSING = {"T01", "T02", "T03", "T04", "T05", "T09"}
_OT_TEAMS = {"T20", "T22"} | {team.team_id for team in TEAMS if team.directorate == MH}


@dataclass(frozen=True)
class Workforce:
    """The staff in post at each census.

    Attributes
    ----------
    censuses
        Year -> one row per person: ``directorate``, ``staff_group``, ``team_id`` and the
        demographic columns (blank = not stated).
    staff
        The ``staff`` table (headcount by year, directorate and staff group).
    staff_list
        The ``staff_list`` table (the 2008 census, pseudonymised).
    """

    censuses: dict[int, pd.DataFrame]
    staff: pd.DataFrame
    staff_list: pd.DataFrame


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int):
    labels = np.array([label for label, _ in options], dtype=object)
    shares = np.array([share for _, share in options])
    return labels[rng.choice(len(labels), size=size, p=shares / shares.sum())]


def _headcounts(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for year in SURVEY_YEARS:
        for directorate in DIRECTORATES:
            for group, base in zip(STAFF_GROUPS, BASE_HEADCOUNT[directorate], strict=True):
                if base == 0:
                    continue
                wobble = 1 + rng.normal(0, 0.03)
                count = max(1, round(base * _YEAR_FACTOR[year] * wobble))
                rows.append((year, directorate, group, count))
    return pd.DataFrame(rows, columns=["year", "directorate", "staff_group", "headcount"])


def _team_weights(directorate: str, group: str) -> tuple[list[str], np.ndarray]:
    teams = [team for team in TEAMS if team.directorate == directorate]
    weights = np.array([team.size * team.affinity.get(group, 1.0) for team in teams])
    return [team.team_id for team in teams], weights / weights.sum()


def _census(rng: np.random.Generator, headcounts: pd.DataFrame) -> pd.DataFrame:
    columns: dict[str, list[np.ndarray]] = {
        name: [] for name in ("directorate", "staff_group", "team_id", *_DEMOGRAPHICS)
    }
    for row in headcounts.itertuples(index=False):
        team_ids, weights = _team_weights(row.directorate, row.staff_group)
        n = row.headcount
        male = rng.random(n) < _MALE_SHARE[row.staff_group]
        gender = np.where(male, "Male", "Female").astype(object)
        gender[rng.random(n) < _GENDER_NOT_STATED] = ""
        columns["directorate"].append(np.full(n, row.directorate, dtype=object))
        columns["staff_group"].append(np.full(n, row.staff_group, dtype=object))
        columns["team_id"].append(
            np.array(team_ids, dtype=object)[rng.choice(len(team_ids), size=n, p=weights)]
        )
        columns["age_band"].append(
            np.array(AGE_BANDS, dtype=object)[rng.choice(len(AGE_BANDS), size=n, p=_AGE_SHARES)]
        )
        columns["gender"].append(gender)
        columns["ethnicity"].append(_choice(rng, _ETHNICITIES, n))
        columns["disability"].append(_choice(rng, _DISABILITY, n))
    census = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})
    # Shuffle so that a person's position says nothing about their group.
    return census.iloc[rng.permutation(len(census))].reset_index(drop=True)


def _role_id(team_id: str, directorate: str, group: str) -> str:
    by_group = {role.staff_group: role.role_id for role in ROLES}
    if group == NUR:
        if team_id in _DISTRICT_NURSING:
            return "R01"
        if team_id in {"T11", "T12"}:
            return "R02"
        if team_id == "T13":
            return "R03"
        if directorate == MH:
            return "R04"
        return "R05"
    if group == AHP:
        return "R07" if team_id in _OT_TEAMS else "R06"
    return by_group[group]


def _staff_list(rng: np.random.Generator, census: pd.DataFrame, year: int) -> pd.DataFrame:
    roles = {role.role_id: role for role in ROLES}
    role_ids = [
        _role_id(team, directorate, group)
        for team, directorate, group in zip(
            census["team_id"], census["directorate"], census["staff_group"], strict=True
        )
    ]
    bands = []
    for role_id in role_ids:
        names = list(roles[role_id].bands)
        shares = np.array(list(roles[role_id].bands.values()))
        bands.append(names[rng.choice(len(names), p=shares / shares.sum())])
    census_day = np.datetime64(f"{year}-{CENSUS_DATE}")
    # Years in post: many recent starters, a long tail of long-serving staff (up to 35 years).
    tenure_days = np.minimum(rng.exponential(7.0, len(census)), 35.0) * 365.25
    start = census_day - np.maximum(tenure_days, 14).astype("timedelta64[D]")
    staff_list = pd.DataFrame(
        {
            "staff_id": [f"S{number:04d}" for number in range(1, len(census) + 1)],
            "team_id": census["team_id"].to_numpy(),
            "role_id": role_ids,
            "staff_group": census["staff_group"].to_numpy(),
            "band": bands,
            "start_date": pd.to_datetime(start).strftime("%Y-%m-%d"),
        }
    )
    return staff_list


def build_workforce(rng: np.random.Generator) -> Workforce:
    """Draw the headcounts, each year's census of staff, and the 2008 staff list.

    Parameters
    ----------
    rng
        The generator for this component (the caller seeds it).

    Returns
    -------
    Workforce
        Censuses, the ``staff`` table and the ``staff_list`` table.
    """
    staff = _headcounts(rng)
    censuses = {year: _census(rng, staff[staff["year"] == year]) for year in SURVEY_YEARS}
    last = SURVEY_YEARS[-1]
    staff_list = _staff_list(rng, censuses[last], last)
    return Workforce(censuses=censuses, staff=staff, staff_list=staff_list)


def headcount_by_team(workforce: Workforce) -> pd.DataFrame:
    """Headcount per team at each census: columns ``year``, ``team_id``, ``headcount``."""
    rows = [
        census.groupby("team_id").size().rename("headcount").reset_index().assign(year=year)
        for year, census in workforce.censuses.items()
    ]
    table = pd.concat(rows, ignore_index=True)
    return table[["year", "team_id", "headcount"]].sort_values(
        ["year", "team_id"], ignore_index=True
    )
