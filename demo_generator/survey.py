"""The demo staff survey: who responds, and how they answer.

Answers come from a latent model. Each respondent has a general engagement level (shifted by
staff group, directorate and team) and, for each theme, a factor that loads on it; job
satisfaction depends on support from the immediate manager and on work pressure, and staff
engagement on job satisfaction. An item's answer is its theme factor plus item-specific
shifts plus noise, cut into the scale's categories at thresholds fixed in the item's first
year, so that year-on-year change comes only from the effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo_generator.effects import (
    APPRAISAL_ACTION_YEAR,
    APPRAISAL_TARGETED,
    BULLYING_ITEM,
    MANAGER_COURSE_SHIFT,
    MANAGER_ITEMS,
    PRESSURE_TREND_CN,
    appraisal_rate,
)
from demo_generator.organisation import (
    ADM,
    AHP,
    CF,
    CN,
    CP,
    CS,
    GROUP_COLUMNS,
    MAN,
    MED,
    MH,
    NUR,
    SCI,
    SUP,
    SURVEY_YEARS,
    TEAMS,
    TH,
)
from demo_generator.questionnaire import ITEMS, Item, question_numbers
from demo_generator.workforce import Workforce

__all__ = ["Survey", "run_survey", "RESPONSE_RATE_BY_GROUP"]

RESPONSE_RATE_BY_GROUP = {
    MAN: 0.80,
    ADM: 0.70,
    AHP: 0.62,
    SCI: 0.60,
    NUR: 0.52,
    MED: 0.36,
    SUP: 0.32,
}
_RESPONSE_YEAR = {2003: -0.06, 2004: -0.03, 2005: 0.0, 2006: 0.02, 2007: -0.01, 2008: 0.03}
_RESPONSE_DIRECTORATE = {CN: -0.03, CF: 0.0, TH: 0.02, MH: -0.02, CP: 0.05, CS: 0.04}

# General engagement: shifts by staff group and directorate.
_GENERAL_GROUP = {MAN: 0.65, ADM: 0.40, AHP: 0.15, SCI: 0.05, NUR: -0.15, MED: -0.35, SUP: -0.60}
_GENERAL_DIRECTORATE = {CN: -0.10, CF: 0.0, TH: 0.10, MH: -0.05, CP: 0.10, CS: 0.05}
# Loading of each theme factor on general engagement (themes built from others are below).
_LOADING = {
    "appraisal": 0.45,
    "training": 0.45,
    "pressure": 0.35,
    "manager": 0.55,
    "team": 0.55,
    "errors": 0.50,
    "violence": 0.25,
    "communication": 0.55,
    "equality": 0.45,
}
_THEME_GROUP = {
    "pressure": {MAN: -0.2, NUR: -0.2, MED: -0.3, ADM: 0.2},
    "training": {AHP: 0.2, MAN: 0.15, MED: 0.2, ADM: -0.2, SUP: -0.2},
    "violence": {NUR: -0.25, SUP: -0.3, MED: -0.2, ADM: 0.3, MAN: 0.3, SCI: 0.3},
}
_THEME_DIRECTORATE = {
    "pressure": {CN: -0.15, MH: -0.10, CP: 0.10},
    "communication": {CS: 0.20, CP: 0.20, CN: -0.15},
    "violence": {MH: -0.40, CN: -0.10, CS: 0.30, CP: 0.30},
}
_THEME_TREND = {"communication": 0.04, "errors": 0.03, "training": 0.03}
_TEAM_SD = {"general": 0.15, "manager": 0.25, "pressure": 0.15}
_BME = (
    "Asian or Asian British",
    "Black or Black British",
    "Mixed",
    "Chinese or other ethnic group",
)

_NOISE_SD = {"agree5": 0.8, "satisfied5": 0.8, "frequency5": 0.8, "yes_no": 0.9, "yes_no_dk": 0.9}
_MISSING_EXTRA = {"satisfied_pay": 0.01, BULLYING_ITEM: 0.015, "discrimination_experienced": 0.015}
_STOPPED_EARLY = 0.02


@dataclass(frozen=True)
class Survey:
    """The generated survey.

    Attributes
    ----------
    responses
        The ``responses`` table (item answers under each year's column names).
    answers
        One row per respondent: ``year``, ``respondent_id``, group columns, ``team_id``, the
        theme factors (``factor_<theme>``) and one column of codes per ``item_id`` (for the
        comments generator and README checks).
    manager_effect_pp
        First survey year of the manager course's effect -> the effect on those teams'
        respondents' % positive of the manager items from that year on, measured against the
        same respondents' answers drawn without the effect (a counterfactual).
    """

    responses: pd.DataFrame
    answers: pd.DataFrame
    manager_effect_pp: dict[int, float]


def _respondents(rng: np.random.Generator, workforce: Workforce) -> pd.DataFrame:
    parts = []
    for year in SURVEY_YEARS:
        census = workforce.censuses[year]
        rate = (
            census["staff_group"].map(RESPONSE_RATE_BY_GROUP).to_numpy()
            + census["directorate"].map(_RESPONSE_DIRECTORATE).to_numpy()
            + _RESPONSE_YEAR[year]
        )
        responded = census[rng.random(len(census)) < rate]
        order = rng.permutation(len(responded))
        responded = responded.iloc[order].reset_index(drop=True)
        ids = [f"{year}-{number:04d}" for number in range(1, len(responded) + 1)]
        parts.append(responded.assign(year=year, respondent_id=ids))
    return pd.concat(parts, ignore_index=True)


def _shift(table: dict[str, float], labels: pd.Series) -> np.ndarray:
    return labels.map(table).fillna(0.0).to_numpy(dtype=float)


def _theme_factors(
    rng: np.random.Generator, people: pd.DataFrame, course_start: dict[str, int]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    n = len(people)
    years = people["year"].to_numpy()
    directorate, group = people["directorate"], people["staff_group"]
    team_effects = {
        kind: dict(zip([t.team_id for t in TEAMS], rng.normal(0, sd, len(TEAMS)), strict=True))
        for kind, sd in _TEAM_SD.items()
    }
    general = (
        rng.normal(0, 1, n)
        + _shift(_GENERAL_GROUP, group)
        + _shift(_GENERAL_DIRECTORATE, directorate)
        + _shift(team_effects["general"], people["team_id"])
    )
    factors: dict[str, np.ndarray] = {}
    for theme, loading in _LOADING.items():
        factors[theme] = (
            loading * general
            + np.sqrt(1 - loading**2) * rng.normal(0, 1, n)
            + _shift(_THEME_GROUP.get(theme, {}), group)
            + _shift(_THEME_DIRECTORATE.get(theme, {}), directorate)
            + _THEME_TREND.get(theme, 0.0) * (years - SURVEY_YEARS[0])
        )
    factors["manager"] += _shift(team_effects["manager"], people["team_id"])
    factors["pressure"] += _shift(team_effects["pressure"], people["team_id"])
    # Planted: work pressure worsens year on year in Community Nursing.
    in_cn = (directorate == CN).to_numpy()
    factors["pressure"] += in_cn * PRESSURE_TREND_CN * (years - SURVEY_YEARS[0])
    # Planted: the manager course lifts support from the immediate manager in trained teams.
    start = people["team_id"].map(course_start).fillna(9999).to_numpy()
    treated = years >= start
    factors["manager"] += MANAGER_COURSE_SHIFT * treated
    # Planted (minor): better appraisals where the appraisal action plan ran.
    targeted = directorate.isin(APPRAISAL_TARGETED).to_numpy() & (years >= APPRAISAL_ACTION_YEAR)
    factors["appraisal"] += 0.2 * targeted
    disabled = (people["disability"] == "Yes").to_numpy()
    factors["health"] = (
        0.25 * general
        + 0.35 * factors["pressure"]
        + 0.85 * rng.normal(0, 1, n)
        - 0.3 * disabled
        + _shift({CN: -0.05, MH: -0.10}, directorate)
    )
    factors["satisfaction"] = (
        0.20 * general
        + 0.42 * factors["manager"]
        + 0.38 * factors["pressure"]
        + 0.75 * rng.normal(0, 1, n)
        + np.where(years == 2007, -0.05, 0.0)
    )
    factors["engagement"] = (
        0.20 * general
        + 0.50 * factors["satisfaction"]
        + 0.15 * factors["manager"]
        + 0.70 * rng.normal(0, 1, n)
    )
    return pd.DataFrame({f"factor_{k}": v for k, v in sorted(factors.items())}), treated, start


def _item_shift(item: Item, people: pd.DataFrame) -> np.ndarray:
    """Item-specific effects on top of the theme factor."""
    years = people["year"].to_numpy()
    group, directorate = people["staff_group"], people["directorate"]
    bme = people["ethnicity"].isin(_BME).to_numpy()
    disabled = (people["disability"] == "Yes").to_numpy()
    young = (people["age_band"] == "16-30").to_numpy()
    shift = np.zeros(len(people))
    match item.item_id:
        case "satisfied_pay":
            shift += _shift({SUP: -0.3, ADM: -0.25, MED: 0.4, MAN: 0.2}, group)
            shift += np.select([years == 2005, years >= 2006], [0.15, 0.10], 0.0)
        case "errors_witnessed":
            shift += _shift(
                {NUR: -0.35, MED: -0.35, AHP: -0.2, SUP: -0.2, ADM: 0.5, MAN: 0.1, SCI: 0.2},
                group,
            )
        case "violence_patients" | "harassment_patients":
            shift += _shift({NUR: -0.1, SUP: -0.1}, group)
        case "bullying_colleagues":
            shift += np.where(years == 2008, -0.25, 0.0) - 0.3 * bme - 0.3 * disabled
        case "discrimination_experienced":
            shift += -0.6 * bme - 0.4 * disabled
        case "equal_opportunities":
            shift += np.where(years >= 2006, 0.3, 0.0) - 0.4 * bme
        case "leave_thinking" | "leave_next_year":
            shift += -0.35 * young
        case "training_received":
            shift += 0.05 * (years - SURVEY_YEARS[0])
        case "training_mandatory":
            shift += 0.08 * (years - SURVEY_YEARS[0])
        case "pressure_enough_staff":
            shift += np.where(years >= 2004, -0.1, 0.0)
        case "recommend_care":
            shift += _shift({CN: 0.1, CF: 0.1, TH: 0.1, MH: 0.1}, directorate)
    return shift


def _categories(item: Item, latent: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Cut latent values into codes; thresholds come from the calibration sample."""
    cut = np.quantile(calibration, 1 - item.baseline)
    if item.scale_id in ("yes_no", "yes_no_dk"):
        positive = latent > cut
        yes = positive if item.yes_is_positive else ~positive
        return np.where(yes, 1, 2)
    spread = calibration.std()
    cuts = np.array([cut - 1.35 * spread, cut - 0.55 * spread, cut, cut + 1.0 * spread])
    level = 1 + (latent[:, None] > cuts[None, :]).sum(axis=1)
    return 6 - level if item.reverse_scored else level


def _appraisal_had(
    rng: np.random.Generator, people: pd.DataFrame, factor: np.ndarray
) -> np.ndarray:
    """Yes for exactly the designed share in each directorate and year (by latent rank)."""
    propensity = 0.6 * factor + 0.8 * rng.normal(0, 1, len(people))
    codes = np.full(len(people), 2)
    for (directorate, year), rows in people.groupby(["directorate", "year"]).indices.items():
        yes_count = round(appraisal_rate(directorate, year) * len(rows))
        ranked = rows[np.argsort(-propensity[rows], kind="stable")]
        codes[ranked[:yes_count]] = 1
    return codes


def _asked(item: Item, codes: dict[str, np.ndarray], years: np.ndarray) -> np.ndarray:
    asked = (years >= item.first_year) & (years <= item.last_year)
    if item.routed_by is None:
        return asked
    conditions = item.routed_by if isinstance(item.routed_by[0], tuple) else (item.routed_by,)
    routed = np.zeros(len(years), dtype=bool)
    for router, code in conditions:
        routed |= codes[router] == code
    return asked & routed


def _position(item: Item, years: np.ndarray) -> np.ndarray:
    """How far through each respondent's questionnaire the item comes (0 = first, <1)."""
    position = np.zeros(len(years))
    for year in SURVEY_YEARS:
        numbers = list(question_numbers(year))
        if item.item_id in numbers:
            position[years == year] = numbers.index(item.item_id) / len(numbers)
    return position


def run_survey(
    rng: np.random.Generator, workforce: Workforce, course_start: dict[str, int]
) -> Survey:
    """Select respondents and answer every item for every survey year.

    Parameters
    ----------
    rng
        The generator for this component.
    workforce
        The censuses respondents are drawn from.
    course_start
        Team -> first survey year whose answers carry the manager course's effect.
    """
    people = _respondents(rng, workforce)
    factors, treated, start = _theme_factors(rng, people, course_start)
    years = people["year"].to_numpy()
    n = len(people)
    skip_rate = rng.beta(1, 40, n)
    stopped_at = np.where(rng.random(n) < _STOPPED_EARLY, rng.uniform(0.5, 0.95, n), 2.0)

    codes: dict[str, np.ndarray] = {}
    counterfactual: dict[str, np.ndarray] = {}
    for item in ITEMS:
        factor = factors[f"factor_{item.theme}"].to_numpy()
        if item.item_id == "appraisal_had":
            item_codes = _appraisal_had(rng, people, factor)
        else:
            noise = rng.normal(0, _NOISE_SD[item.scale_id], n)
            latent = factor + _item_shift(item, people) + noise
            first = years == item.first_year
            if item.routed_by is not None:
                first &= _asked(item, codes, years)
            item_codes = _categories(item, latent, latent[first])
            if item.item_id in MANAGER_ITEMS:
                without = latent - MANAGER_COURSE_SHIFT * treated
                counterfactual[item.item_id] = _categories(item, without, latent[first])
        if item.dont_know:
            item_codes = np.where(rng.random(n) < item.dont_know, 9, item_codes)
        missing = (rng.random(n) < skip_rate + _MISSING_EXTRA.get(item.item_id, 0.0)) | (
            _position(item, years) > stopped_at
        )
        keep = _asked(item, codes, years) & ~missing
        codes[item.item_id] = np.where(keep, item_codes, 0)
        if item.item_id in counterfactual:
            counterfactual[item.item_id] = np.where(keep, counterfactual[item.item_id], 0)

    answers = people[["year", "respondent_id", *GROUP_COLUMNS, "team_id"]].copy()
    answers = pd.concat([answers, factors], axis=1)
    for item_id, values in codes.items():
        answers[item_id] = pd.array(np.where(values == 0, None, values), dtype="Int64")
    return Survey(
        responses=_responses_table(answers),
        answers=answers,
        manager_effect_pp={
            int(year): _manager_effect(codes, counterfactual, treated & (start == year))
            for year in sorted(set(course_start.values()))
        },
    )


def _manager_effect(
    codes: dict[str, np.ndarray], counterfactual: dict[str, np.ndarray], treated: np.ndarray
) -> float:
    """Treated respondents' % positive on the manager items, with minus without the effect."""
    with_effect, without = [], []
    for item_id, cf in counterfactual.items():
        answered = treated & (codes[item_id] > 0)
        with_effect.append(np.isin(codes[item_id][answered], (4, 5)))
        without.append(np.isin(cf[answered], (4, 5)))
    return 100 * (np.concatenate(with_effect).mean() - np.concatenate(without).mean())


def _column_key(column: str) -> tuple[int, str]:
    digits = column[1:].rstrip("abcdefghij")
    return int(digits), column[1 + len(digits) :]


def _responses_table(answers: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for year in SURVEY_YEARS:
        rows = answers[answers["year"] == year]
        renamed = {item_id: number.lower() for item_id, number in question_numbers(year).items()}
        part = rows[["respondent_id", "year", *GROUP_COLUMNS, "team_id", *renamed]]
        parts.append(part.rename(columns=renamed))
    table = pd.concat(parts, ignore_index=True)
    fixed = ["respondent_id", "year", *GROUP_COLUMNS, "team_id"]
    columns = sorted((c for c in table.columns if c not in fixed), key=_column_key)
    return table[fixed + columns].sort_values(["year", "respondent_id"], ignore_index=True)
