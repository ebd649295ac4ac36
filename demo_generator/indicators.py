"""Monthly performance indicators per team, January 2003 to December 2008.

Team sizes follow the yearly censuses (interpolated between census dates). Each indicator is
a numerator over a denominator (blank for counts), with noise, seasonality for sickness
absence, and the planted shifts of ``demo_generator.effects`` (among them a mandatory training
lapse in one team, the outlier of the 2008 funnel plot). The record-keeping audit is a
rubric: each clinical team's monthly rating (1-4) is the numerator, with a blank denominator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_generator.effects import (
    APPRAISAL_COMPLETION_AFTER,
    APPRAISAL_COMPLETION_BEFORE,
    APPRAISAL_STEP_MONTH,
    APPRAISAL_TARGETED,
    COMPLAINTS_SPIKE,
    SICKNESS_SHIFT,
    SICKNESS_SHIFT_DIRECTORATE,
    SICKNESS_SHIFT_MONTH,
    TRAINING_LAPSE,
)
from demo_generator.organisation import CF, CN, CP, CS, MH, SURVEY_YEARS, TEAMS, TH
from demo_generator.workforce import Workforce, headcount_by_team

__all__ = ["INDICATOR_IDS", "MONTHS", "indicator_values_table"]

INDICATOR_IDS = (
    "sickness_absence",
    "turnover",
    "vacancies",
    "appraisal_completion",
    "mandatory_training",
    "patient_contacts_per_wte",
    "complaints",
    "record_keeping_audit",
)
MONTHS = tuple(str(month) for month in pd.period_range("2003-01", "2008-12", freq="M"))

_SICKNESS_BASE = {CN: 0.050, CF: 0.045, TH: 0.040, MH: 0.052, CP: 0.032, CS: 0.038}
_SICKNESS_SEASON = 0.008  # amplitude; peak in January
_SICKNESS_SHAPE = 20.0  # gamma shape of days lost: coefficient of variation about 0.22
_VACANCY_BASE = {CN: 0.085, CF: 0.07, TH: 0.06, MH: 0.08, CP: 0.05, CS: 0.045}
_APPRAISAL_ELSEWHERE = 0.62
_CONTACTS_PER_WTE = {CN: 95.0, CF: 60.0, TH: 75.0, MH: 45.0}
_MONTHLY_LEAVING = 0.011
_RECORD_KEEPING_CENTRE = 2.9  # latent rating; level 3 ("good") meets the standard
_RECORD_KEEPING_TEAM_SD = 0.45
_RECORD_KEEPING_MONTH_SD = 0.55


def _monthly_headcount(workforce: Workforce) -> dict[str, np.ndarray]:
    """Team -> headcount per month, interpolated between the 30 September censuses."""
    counts = headcount_by_team(workforce).pivot(index="team_id", columns="year", values="headcount")
    counts = counts.reindex(columns=list(SURVEY_YEARS)).fillna(0)
    census_at = np.array([(year - 2003) * 12 + 8.97 for year in SURVEY_YEARS])
    month_index = np.arange(len(MONTHS))
    return {
        team.team_id: np.maximum(
            1, np.rint(np.interp(month_index, census_at, counts.loc[team.team_id].to_numpy()))
        ).astype(int)
        for team in TEAMS
    }


def _working_days() -> np.ndarray:
    starts = pd.period_range("2003-01", "2008-12", freq="M").to_timestamp()
    ends = starts + pd.offsets.MonthBegin(1)
    return np.busday_count(
        starts.values.astype("datetime64[D]"), ends.values.astype("datetime64[D]")
    )


def _ar1(rng: np.random.Generator, size: int, sd: float, persistence: float = 0.8) -> np.ndarray:
    values = np.empty(size)
    values[0] = rng.normal(0, sd)
    for index in range(1, size):
        values[index] = persistence * values[index - 1] + rng.normal(
            0, sd * np.sqrt(1 - persistence**2)
        )
    return values


def _record_keeping_ratings(rng: np.random.Generator) -> list[pd.DataFrame]:
    """Each clinical team's monthly record-keeping audit rating on the 1-4 rubric.

    Drawn after every other indicator, so adding the rubric left their values unchanged.
    """
    frames = []
    for team in TEAMS:
        if not team.clinical:
            continue
        latent = _RECORD_KEEPING_CENTRE + rng.normal(0, _RECORD_KEEPING_TEAM_SD)
        monthly = latent + rng.normal(0, _RECORD_KEEPING_MONTH_SD, len(MONTHS))
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": "record_keeping_audit",
                    "team_id": team.team_id,
                    "month": MONTHS,
                    "numerator": np.clip(np.rint(monthly), 1, 4),
                    "denominator": np.nan,
                }
            )
        )
    return frames


def indicator_values_table(rng: np.random.Generator, workforce: Workforce) -> pd.DataFrame:
    """The ``indicator_values`` table.

    Parameters
    ----------
    rng
        The generator for this component.
    workforce
        The censuses giving each team's headcount.
    """
    headcount = _monthly_headcount(workforce)
    days = _working_days()
    month_number = np.array([int(month[5:]) for month in MONTHS])
    month_array = np.array(MONTHS)
    season = np.cos(2 * np.pi * (month_number - 1) / 12)
    years = np.array([int(month[:4]) for month in MONTHS])
    frames = []
    for team in TEAMS:
        heads = headcount[team.team_id]
        wte = np.round(heads * rng.uniform(0.78, 0.92), 1)
        values: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}

        rate = (
            _SICKNESS_BASE[team.directorate]
            + rng.normal(0, 0.004)
            + _SICKNESS_SEASON * season
            + _ar1(rng, len(MONTHS), 0.003)
        )
        if team.directorate == SICKNESS_SHIFT_DIRECTORATE:
            rate = rate + SICKNESS_SHIFT * (month_array >= SICKNESS_SHIFT_MONTH)
        available = np.round(wte * days, 1)
        lost = rng.gamma(_SICKNESS_SHAPE, np.clip(rate, 0.005, None) * available / _SICKNESS_SHAPE)
        values["sickness_absence"] = (np.round(lost, 1), available)

        leaving = _MONTHLY_LEAVING * (1 + 0.5 * np.isin(month_number, (8, 9)))
        values["turnover"] = (rng.poisson(heads * leaving).astype(float), heads.astype(float))

        vacancy = _VACANCY_BASE[team.directorate] + _ar1(rng, len(MONTHS), 0.02, 0.9)
        if team.directorate == CN:  # a staffing crisis, eased by the 2007 recruitment campaign
            vacancy = vacancy + 0.035 * ((month_array >= "2005-10") & (month_array < "2007-07"))
        vacancy = np.clip(vacancy, 0.0, 0.3)
        funded = np.round(wte / (1 - vacancy), 1)
        values["vacancies"] = (np.round(np.maximum(funded - wte, 0), 1), funded)

        eligible = np.maximum(1, np.rint(heads * 0.93)).astype(int)
        team_level = rng.normal(0, 0.04)
        if team.directorate in APPRAISAL_TARGETED:
            after = month_array >= APPRAISAL_STEP_MONTH
            share = np.where(after, APPRAISAL_COMPLETION_AFTER, APPRAISAL_COMPLETION_BEFORE)
        else:
            share = np.full(len(MONTHS), _APPRAISAL_ELSEWHERE) + 0.005 * (years - 2003)
        share = np.clip(share + team_level + _ar1(rng, len(MONTHS), 0.03), 0.05, 0.98)
        values["appraisal_completion"] = (
            rng.binomial(eligible, share).astype(float),
            eligible.astype(float),
        )

        compliant = np.clip(0.72 + 0.025 * (years - 2003) + rng.normal(0, 0.03), 0.3, 0.95)
        trained = rng.binomial(heads, compliant).astype(float)
        lapse_team, lapse_year, lapse_drop = TRAINING_LAPSE
        if team.team_id == lapse_team:
            # thinned without a random draw, so every other value stays as it was
            lapsed = years == int(lapse_year)
            kept = (compliant[lapsed] - lapse_drop) / compliant[lapsed]
            trained[lapsed] = np.rint(trained[lapsed] * kept)
        values["mandatory_training"] = (trained, heads.astype(float))

        if team.clinical:
            per_wte = _CONTACTS_PER_WTE.get(team.directorate, 60.0) * rng.uniform(0.8, 1.2)
            seasonal = 1 - 0.12 * np.isin(month_number, (8, 12))
            values["patient_contacts_per_wte"] = (
                rng.poisson(wte * per_wte * seasonal).astype(float),
                wte,
            )

        mean_complaints = (0.035 if team.clinical else 0.015) * heads.mean() * rng.uniform(0.6, 1.4)
        complaints = rng.poisson(mean_complaints, len(MONTHS)).astype(float)
        spike_team, spike_month, spike_count = COMPLAINTS_SPIKE
        if team.team_id == spike_team:
            complaints[MONTHS.index(spike_month)] = spike_count
        values["complaints"] = (complaints, None)

        for indicator_id, (numerator, denominator) in values.items():
            frames.append(
                pd.DataFrame(
                    {
                        "indicator_id": indicator_id,
                        "team_id": team.team_id,
                        "month": MONTHS,
                        "numerator": numerator,
                        "denominator": np.nan if denominator is None else denominator,
                    }
                )
            )
    frames.extend(_record_keeping_ratings(rng))
    table = pd.concat(frames, ignore_index=True)
    order = {indicator_id: number for number, indicator_id in enumerate(INDICATOR_IDS)}
    table["_order"] = table["indicator_id"].map(order)
    table = table.sort_values(["_order", "team_id", "month"], ignore_index=True)
    return table.drop(columns="_order")
