"""An independent attacker for weighted survey figures: an exact integer search.

A workforce-weighted percentage is ``100 * sum(w_g x_g) / sum(w_g n_g)`` over the weighting
classes ``g`` (staff groups) under a row, with ``w_g = headcount_g / respondents_g``
(Lohr 2022, *Sampling: design and analysis*, section 8.5). Headcounts are published in
``response_rates`` beside the respondents, so every weight of a shown staff group is known.
The hidden cells of the row's partition add up to the row minus the shown cells (their sum
is published by subtraction), and the weighted figure is one more equation over them: with
two hidden cells, the attacker tries every split of the hidden counts (and of the hidden
respondents, when a weight is unknown) and keeps those that reproduce the published
weighted percentage (and its standard error) to the precision it is published at. A unique
survivor is the hidden cells' true counts.

Like :mod:`disclosure_attack`, this module shares no code with ``analysis``: it reads the
published CSVs as any reader can.

Reference: Hundepool et al. (2012) *Statistical Disclosure Control*, Wiley, section 4.3
(a published figure that is a function of hidden cells is one more equation an intruder
can solve; integer constraints narrow the solutions further).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Recovery", "attack_weighted", "read_csv", "search_two_hidden"]

CROSSING = "directorate x staff_group"
SEPARATOR = " | "


@dataclass(frozen=True)
class Recovery:
    """The outcome of one search: the row attacked and what survived."""

    year: int
    item_id: str
    group_type: str
    group: str
    hidden: tuple[str, str]
    solutions: int
    recovered: tuple[int, int] | None  # (n, n_positive) of hidden[0] when unique
    truth: tuple[int, int] | None = None


def read_csv(path: Path | str) -> pd.DataFrame:
    """A published CSV as a reader sees it (``[c]`` and empty cells missing)."""
    return pd.read_csv(path, encoding="utf-8-sig", na_values=["[c]", ""], keep_default_na=False)


def _matches(value: np.ndarray, published: float, decimals: int | None) -> np.ndarray:
    if decimals is None:
        return np.abs(value - published) <= 1e-7 * max(1.0, abs(published))
    half = 0.5 * 10.0**-decimals
    return np.abs(value - published) <= half + 1e-9


def search_two_hidden(
    shown: Iterable[tuple[float, float, float]],
    hidden_n: int,
    hidden_x: int,
    weights: Iterable[tuple[float | None, float | None]],
    hidden_respondents: int | None,
    pct: float,
    se: float | None = None,
    decimals: int | None = None,
    se_decimals: int | None = None,
) -> set[tuple[int, int]]:
    """Every ``(n_a, x_a)`` of the first hidden cell consistent with the published figures.

    Parameters
    ----------
    shown
        ``(weight, n, x)`` of each shown class under the row.
    hidden_n, hidden_x
        The two hidden cells' total valid answers and positive answers (row minus shown).
    weights
        For each of the two hidden cells, ``(weight, None)`` when its weight is known, or
        ``(None, headcount)`` when its respondents are hidden (then ``hidden_respondents``
        is the hidden groups' respondents together, and every split of it is tried).
    hidden_respondents
        The hidden groups' respondents together (for unknown weights).
    pct, se
        The published weighted percentage and standard error.
    decimals, se_decimals
        The precision they are published at (``None``: full precision).
    """
    shown = list(shown)
    sx = sum(w * x for w, _, x in shown)
    sn = sum(w * n for w, n, _ in shown)
    sa = sum(w * w * x for w, _, x in shown)
    sb = sum(w * w * n for w, n, _ in shown)
    total_n = sum(n for _, n, _ in shown) + hidden_n
    (known_a, headcount_a), (known_b, headcount_b) = list(weights)
    if known_a is None or known_b is None:
        splits = [(ra, hidden_respondents - ra) for ra in range(hidden_respondents + 1)]
    else:
        splits = [(None, None)]
    n_a, x_a = np.meshgrid(np.arange(hidden_n + 1), np.arange(hidden_x + 1), indexing="ij")
    n_b, x_b = hidden_n - n_a, hidden_x - x_a
    possible = (x_a <= n_a) & (x_b <= n_b) & (x_b >= 0)
    found: set[tuple[int, int]] = set()
    for ra, rb in splits:
        ok = possible.copy()
        weight_a, weight_b = known_a, known_b
        if known_a is None:
            ok &= n_a <= ra
            weight_a = headcount_a / ra if ra else 0.0
        if known_b is None:
            ok &= n_b <= rb
            weight_b = headcount_b / rb if rb else 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            big_w = sn + weight_a * n_a + weight_b * n_b
            p = (sx + weight_a * x_a + weight_b * x_b) / big_w
            ok &= _matches(100 * p, pct, decimals)
            if se is not None and total_n > 1:
                a = sa + weight_a**2 * x_a + weight_b**2 * x_b
                b = sb + weight_a**2 * n_a + weight_b**2 * n_b
                variance = total_n / (total_n - 1) * ((1 - 2 * p) * a + p**2 * b)
                ok &= _matches(100 * np.sqrt(np.maximum(variance, 0)) / big_w, se, se_decimals)
        found.update(zip(n_a[ok].tolist(), x_a[ok].tolist(), strict=True))
    return found


def _staff_weights(rates: pd.DataFrame, year: int) -> tuple[dict, dict, int]:
    """Known weights, headcounts of groups with hidden respondents, and their respondents."""
    rows = rates[(rates["year"] == year) & (rates["group_type"] == "staff_group")]
    organisation = rates[(rates["year"] == year) & (rates["group_type"] == "organisation")]
    known = {}
    unknown = {}
    for row in rows.itertuples(index=False):
        if pd.isna(row.respondents):
            unknown[row.group] = float(row.headcount)
        elif row.respondents > 0:
            known[row.group] = float(row.headcount) / float(row.respondents)
    hidden_respondents = int(organisation["respondents"].iloc[0]) - int(
        rows["respondents"].sum(skipna=True)
    )
    return known, unknown, hidden_respondents


def attack_weighted(
    item_scores: pd.DataFrame,
    response_rates: pd.DataFrame,
    year: int,
    *,
    truth: pd.DataFrame | None = None,
    decimals: int | None = None,
    se_decimals: int | None = None,
) -> list[Recovery]:
    """Search every organisation and directorate row of ``year`` with two hidden classes.

    The organisation's classes are its staff-group rows; a directorate's are its
    directorate x staff group cells (weighted with the staff groups' weights). Rows whose
    weighted figure is not published, or with other than two hidden classes, are skipped.
    ``truth`` (the table before suppression) adds each hidden cell's true counts.
    """
    known, unknown, hidden_respondents = _staff_weights(response_rates, year)
    scores = item_scores[item_scores["year"] == year]
    results = []
    for item_id, item in scores.groupby("item_id", sort=True):
        parents = item[item["group_type"].isin(["organisation", "directorate"])]
        for parent in parents.itertuples(index=False):
            if pd.isna(parent.pct_positive_weighted) or pd.isna(parent.n):
                continue
            if parent.group_type == "organisation":
                cells = item[item["group_type"] == "staff_group"]
                staff_group = cells["group"]
            else:
                cells = item[
                    (item["group_type"] == CROSSING)
                    & item["group"].str.startswith(parent.group + SEPARATOR)
                ]
                staff_group = cells["group"].str.split(SEPARATOR, regex=False).str[1]
            cells = cells.assign(staff_group=staff_group.to_numpy())
            hidden = cells[cells["n"].isna()]
            if len(hidden) != 2:
                continue
            shown = cells[cells["n"].notna()]
            if not set(shown["staff_group"]) <= set(known):
                continue
            weights = []
            for group in hidden["staff_group"]:
                weights.append((known[group], None) if group in known else (None, unknown[group]))
            solutions = search_two_hidden(
                [
                    (known[g], n, x)
                    for g, n, x in zip(
                        shown["staff_group"], shown["n"], shown["n_positive"], strict=True
                    )
                ],
                int(parent.n - shown["n"].sum()),
                int(parent.n_positive - shown["n_positive"].sum()),
                weights,
                hidden_respondents,
                float(parent.pct_positive_weighted),
                None if pd.isna(parent.se_weighted) else float(parent.se_weighted),
                decimals,
                se_decimals,
            )
            true_counts = None
            if truth is not None:
                row = truth[
                    (truth["year"] == year)
                    & (truth["item_id"] == item_id)
                    & (truth["group"] == hidden["group"].iloc[0])
                ]
                true_counts = (int(row["n"].iloc[0]), int(row["n_positive"].iloc[0]))
            results.append(
                Recovery(
                    year=year,
                    item_id=str(item_id),
                    group_type=str(parent.group_type),
                    group=str(parent.group),
                    hidden=tuple(hidden["group"]),
                    solutions=len(solutions),
                    recovered=next(iter(solutions)) if len(solutions) == 1 else None,
                    truth=true_counts,
                )
            )
    return results
