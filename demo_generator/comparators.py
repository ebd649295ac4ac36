"""Published results of 25 fictional comparator primary care trusts.

Each comparator's share of positive answers is the trust's own share moved, on the log-odds
scale, by an item-and-year offset, the comparator's theme effect and noise. Planted: the trust
is best in the group on ``BEST_ITEM``, worst on ``WORST_ITEMS``, and worse than the group's
average by ``BULLYING_GAP_2008`` on ``BULLYING_ITEM`` in 2008.

The comparator group's staff profile (:func:`comparator_profile_table`) is the 25 trusts'
headcounts by staff group, added up: they employ relatively more support workers and medical
staff and fewer managers, nurses and administrative staff than the trust
(``PROFILE_SHARES``), so weighting the trust to their profile moves its figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_generator.effects import BEST_ITEM, BULLYING_GAP_2008, BULLYING_ITEM, WORST_ITEMS
from demo_generator.organisation import (
    ADM,
    AHP,
    MAN,
    MED,
    NUR,
    ORGANISATION_CODE,
    ORGANISATION_NAME,
    SCI,
    STAFF_GROUPS,
    SUP,
    SURVEY_YEARS,
)
from demo_generator.questionnaire import THEMES, items_in_year

__all__ = [
    "COMPARATOR_NAMES",
    "PROFILE_SHARES",
    "comparator_profile_table",
    "comparators_table",
    "item_counts",
]

_PLACES = (
    "Ashcombe",
    "Bramley Vale",
    "Castlemere",
    "Dunsford and Hale",
    "Eastholme",
    "Fenbridge",
    "Greystone",
    "Hallingford",
    "Ivermoor",
    "Kelsworth",
    "Langmere",
    "Marbrook",
    "Norwell Vale",
    "Oldcastle and Dene",
    "Pennymoor",
    "Queensmead",
    "Redwater",
    "Saltmarsh and Wyke",
    "Tarnside",
    "Upper Aldwych",
    "Westerby",
    "Whitfold",
    "Yarrowdale",
    "Carnford",
    "Hollinbrook",
)
COMPARATOR_NAMES: dict[str, str] = {
    f"5Z{chr(ord('A') + number)}": f"{place} Primary Care Trust"
    for number, place in enumerate(_PLACES)
}
PROFILE_SHARES: dict[str, float] = {
    NUR: 0.33,
    AHP: 0.11,
    MED: 0.05,
    ADM: 0.17,
    MAN: 0.04,
    SUP: 0.26,
    SCI: 0.04,
}
"""The comparator trusts' average staff-group mix (the trust's own in 2005 is about 41%
nursing, 13% allied health, 3% medical, 18% administrative, 8% managers, 14% support and 3%
scientific staff: ``demo_generator.organisation.BASE_HEADCOUNT``)."""
_MARGIN = 0.015  # how far clear of the trust the planted best/worst items sit


def item_counts(answers: pd.DataFrame, year: int) -> pd.DataFrame:
    """The trust's ``n`` and ``n_positive`` per item in ``year`` (unweighted).

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``n``, ``n_positive``, in questionnaire order.
    """
    rows = answers[answers["year"] == year]
    counts = []
    for item in items_in_year(year):
        codes = rows[item.item_id].to_numpy(dtype=float, na_value=np.nan)
        valid = ~np.isnan(codes) & ~np.isin(codes, item.excluded_codes)
        positive = int(np.isin(codes[valid], item.positive_codes).sum())
        counts.append((item.item_id, int(valid.sum()), positive))
    return pd.DataFrame(counts, columns=["item_id", "n", "n_positive"])


def _expit(log_odds: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-log_odds))


def _logit(share: float) -> float:
    return float(np.log(share / (1 - share)))


def _shift_to_mean(log_odds: np.ndarray, target: float) -> np.ndarray:
    """Move every log-odds value by one constant so the shares average ``target`` (bisection)."""
    low, high = -10.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        if _expit(log_odds + middle).mean() < target:
            low = middle
        else:
            high = middle
    return log_odds + (low + high) / 2


def comparators_table(rng: np.random.Generator, answers: pd.DataFrame) -> pd.DataFrame:
    """The ``comparators`` table, including the trust's own row (from its responses).

    Parameters
    ----------
    rng
        The generator for this component.
    answers
        The survey's per-respondent answers by ``item_id``.
    """
    codes = list(COMPARATOR_NAMES)
    size = rng.uniform(600, 2400, len(codes))
    theme_effect = {theme: rng.normal(0, 0.18, len(codes)) for theme in THEMES}
    rows = []
    for year in SURVEY_YEARS:
        respondents = int((answers["year"] == year).sum())
        others = np.rint(size * np.clip(rng.normal(0.52, 0.07, len(codes)), 0.38, 0.68))
        trust = item_counts(answers, year)
        for item, counts in zip(items_in_year(year), trust.itertuples(index=False), strict=True):
            share = counts.n_positive / counts.n
            answered = counts.n / respondents
            n = np.rint(others * answered * rng.uniform(0.97, 1.03, len(codes))).astype(int)
            offset = rng.normal(0, 0.25)
            log_odds = (
                _logit(min(max(share, 0.02), 0.98))
                + offset
                + theme_effect[item.theme]
                + rng.normal(0, 0.08, len(codes))
            )
            key = (item.item_id, year)
            if key == (BULLYING_ITEM, SURVEY_YEARS[-1]):
                log_odds = _shift_to_mean(log_odds, share + BULLYING_GAP_2008)
            p = _expit(log_odds)
            if key == BEST_ITEM:
                p = np.minimum(p, share - _MARGIN - rng.uniform(0, 0.03, len(codes)))
            if key in WORST_ITEMS:
                p = np.maximum(p, share + _MARGIN + rng.uniform(0, 0.03, len(codes)))
            positive = rng.binomial(n, np.clip(p, 0, 1))
            # Keep the planted ranks whatever the binomial draw did.
            if key == BEST_ITEM:
                positive = np.minimum(positive, np.floor(n * (share - _MARGIN / 3)).astype(int))
            if key in WORST_ITEMS:
                positive = np.maximum(positive, np.ceil(n * (share + _MARGIN / 3)).astype(int))
            rows.append(
                (year, ORGANISATION_CODE, ORGANISATION_NAME, item.item_id) + tuple(counts[1:])
            )
            rows.extend(
                (year, code, COMPARATOR_NAMES[code], item.item_id, int(total), int(pos))
                for code, total, pos in zip(codes, n, positive, strict=True)
            )
    columns = ["year", "organisation_code", "organisation_name", "item_id", "n", "n_positive"]
    return pd.DataFrame(rows, columns=columns)


def comparator_profile_table(rng: np.random.Generator) -> pd.DataFrame:
    """The ``comparator_profile`` table: the comparator trusts' headcount per staff group.

    Each of the 25 trusts has a size drawn as in :func:`comparators_table` (600 to 2,400
    staff), growing by up to 3% a year, and its own mix of staff groups drawn from a
    Dirichlet distribution centred on :data:`PROFILE_SHARES` (concentration 200, so that a
    trust's share of a group varies by a few percentage points); the table adds the trusts'
    headcounts up per year and staff group.

    Parameters
    ----------
    rng
        The generator for this component.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``staff_group``, ``headcount`` (integers), one row per survey year and
        staff group, in ``STAFF_GROUPS`` order.
    """
    trusts = len(COMPARATOR_NAMES)
    size = rng.uniform(600, 2400, trusts)
    centre = np.array([PROFILE_SHARES[group] for group in STAFF_GROUPS])
    mix = rng.dirichlet(200 * centre, trusts)
    rows = []
    for year in SURVEY_YEARS:
        size = size * rng.uniform(1.0, 1.03, trusts)
        headcount = np.rint(size[:, None] * mix).astype(int).sum(axis=0)
        rows.extend(zip([year] * len(STAFF_GROUPS), STAFF_GROUPS, headcount.tolist(), strict=True))
    return pd.DataFrame(rows, columns=["year", "staff_group", "headcount"])
