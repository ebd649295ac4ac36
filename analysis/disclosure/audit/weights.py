"""The staff-group weights of the weighted figures, and the splits they may come from.

A weighted figure (headcount / respondents per staff group) is a linear relation only once
the weights are known. Where a year's staff-group respondents are published they give the
weights; where one or two groups' respondents are hidden, every split of their known total
gives candidate weights (:func:`_candidate_weights`), and the audit keeps each split that
fits the year's test slices (:func:`_fitting_splits`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.disclosure.audit.building import _LowerBound
from analysis.disclosure.relations import Relations

_WEIGHT_SEARCH_SLICES = 12
"""Slices (those with most weighted figures) a split of hidden respondents must fit."""


@dataclass
class _Weights:
    """Each year's staff-group weights (headcount / respondents), where published."""

    known: dict[int, dict[str, float]]
    unknown: dict[int, list[str]]
    hidden_total: dict[int, float]


def _weights(relations: Relations, domains: Mapping[str, Sequence[str]]) -> _Weights:
    respondents: dict[tuple[int, str], float] = {}
    totals: dict[int, float] = {}
    for published in relations.published:
        cell = published.cell
        if cell.universe != "respondents" or isinstance(published, _LowerBound):
            continue
        where = dict(cell.where)
        if set(where) == {"staff_group"}:
            respondents[(cell.slice[0], where["staff_group"][0])] = published.value
        elif not where:
            totals[cell.slice[0]] = published.value
    known: dict[int, dict[str, float]] = {}
    unknown: dict[int, list[str]] = {}
    hidden_total: dict[int, float] = {}
    for year in sorted({year for year, _ in relations.headcounts}):
        known[year], unknown[year] = {}, []
        for group in domains.get("staff_group", ()):
            headcount = relations.headcounts.get((year, group))
            answered = respondents.get((year, group))
            if headcount is not None and answered:
                known[year][group] = headcount / answered
            elif headcount:
                unknown[year].append(group)
        if year in totals:
            hidden_total[year] = totals[year] - sum(
                respondents.get((year, g), 0.0) for g in domains.get("staff_group", ())
            )
    return _Weights(known, unknown, hidden_total)


def _split_test_slices(
    grouped: Mapping[tuple, Mapping[str, list]], year: int, candidates: list | None
) -> list[tuple]:
    """Slices that test splits of hidden respondents when the year has no weighted figure
    over several staff groups (one group's are read as its percentages): each split bounds
    every item's answers of the hidden groups, so the answer slices with most percentages
    rule some out, as a reader can."""
    if not candidates or len(candidates) < 2:
        return []
    return sorted(
        (key for key in grouped if key[1][0] == year and key[0] == "answers"),
        key=lambda key: -len(grouped[key]["percents"]),
    )[:_WEIGHT_SEARCH_SLICES]


def _candidate_weights(
    year: int,
    weights: _Weights,
    headcounts: Mapping[tuple[int, str], float],
    max_candidates: int,
) -> list[dict[str, float]] | None:
    """Every split of a year's hidden staff-group respondents, as weights (None: too many).

    With one or two staff groups' respondents hidden, the hidden total is known by
    subtraction, so the splits are the whole numbers up to each group's headcount.
    """
    hidden = weights.unknown.get(year, [])
    known = weights.known.get(year, {})
    if not hidden:
        return [dict(known)]
    total = weights.hidden_total.get(year)
    if total is None or len(hidden) > 2:
        return None
    heads = [headcounts[(year, g)] for g in hidden]
    if len(hidden) == 1:
        splits = [(total,)]
    else:
        low = max(0, int(total - heads[1]))
        high = min(int(heads[0]), int(total))
        splits = [(r, total - r) for r in range(low, high + 1)]
    candidates = []
    for split in splits:
        if any(r <= 0 for r in split):
            continue
        candidate = dict(known)
        candidate.update({g: h / r for g, h, r in zip(hidden, heads, split, strict=True)})
        candidate["__respondents__"] = split  # type: ignore[assignment]
        candidates.append(candidate)
    return candidates if len(candidates) <= max_candidates else None


def _fitting_splits(
    candidates: Sequence[dict[str, Any]], fits: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Every split of hidden respondents that fits the year's test slices.

    Each is kept: a hidden count's range is the union of its ranges under each fitting
    split (:class:`~.screen._Screen`). Fitting the test slices is necessary, not sufficient,
    for a split to fit everything published, so the splits kept hold every possible one and
    the union is no narrower than the true range.
    """
    return [candidate for candidate in candidates if fits(candidate)]


def _plain_weights(candidate: Mapping[str, Any] | None) -> dict[str, float] | None:
    if candidate is None:
        return None
    return {g: w for g, w in candidate.items() if g != "__respondents__"}
