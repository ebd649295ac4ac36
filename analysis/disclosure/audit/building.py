"""Each slice's linear programme, built from the relations read from the run.

The relations are grouped by slice (:func:`_group_relations`); what a reader adds to them
from the published figures (answers at most the respondents, the same commenters on every
code's row, respondents at least their answers, answers at most the most their hidden
respondents can be) is added first; :func:`_build` writes one slice's programme, with the
staff-group weights of its weighted figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from analysis.disclosure.audit.programme import (
    _ATOM_CEILING,
    Structure,
    _combine,
    _Problem,
    _Slice,
    _sum,
)
from analysis.disclosure.relations import Cell, Published, Relations, UpperBound


class _LowerBound(Published):
    """``cell >= value``: found by the weights search (kept with the published counts)."""


def _domains(relations: Relations, structure: Structure) -> dict[str, list[str]]:
    values: dict[str, set[str]] = defaultdict(set)
    cells = [p.cell for p in relations.published] + [h.cell for h in relations.hidden]
    cells += [b.cell for b in relations.bounds] + [p.numerator for p in relations.percents]
    for cell in cells:
        for column, listed in cell.where:
            values[column].update(listed)
    values["directorate"].update(structure.team_directorate.values())
    values["team_id"].update(structure.team_directorate)
    return {column: sorted(v) for column, v in values.items()}


def _slice_key(cell: Cell) -> tuple:
    return (cell.universe, cell.slice)


def _implied_bounds(relations: Relations) -> list[UpperBound]:
    """Answers are at most the respondents published for the same group and year."""
    respondents = [p for p in relations.published if p.cell.universe == "respondents"]
    by_year: dict[int, list[Published]] = defaultdict(list)
    for published in respondents:
        by_year[published.cell.slice[0]].append(published)
    slices = {
        _slice_key(h.cell)
        for h in relations.hidden
        if h.cell.universe in ("answers", "theme_answers", "commenters")
    }
    bounds = []
    for universe, slice_ in sorted(slices, key=str):
        for published in by_year.get(slice_[0], []):
            cell = Cell(universe, slice_, published.cell.where, "n")
            bounds.append(UpperBound(cell, published.value, f"{published.source} (respondents)"))
    return bounds


_ANSWERING = ("answers", "theme_answers", "commenters")
"""Universes whose people of a group and year are some of its respondents."""


def _shared_commenters(relations: Relations) -> None:
    """A group's commenters of a year are the same people in every code's slice.

    ``comments/code_frequencies`` repeats each group's commenters on every code's row; a
    count published on one code's row is published for all (an equality in every other
    code's slice of the year), and the same count hidden on another row is that figure,
    not a hidden one (its hidden code respondents stay hidden counts).
    """
    shown: dict[tuple, Published] = {}
    slices: dict[int, set[tuple]] = defaultdict(set)
    for p in relations.published:
        cell = p.cell
        if cell.universe == "commenters":
            slices[cell.slice[0]].add(cell.slice)
            if cell.measure == "n" and not isinstance(p, _LowerBound):
                shown.setdefault((cell.slice[0], cell.where, cell.rest), p)
    for h in relations.hidden:
        if h.cell.universe == "commenters":
            slices[h.cell.slice[0]].add(h.cell.slice)
    have = {
        (p.cell.slice, p.cell.where, p.cell.rest)
        for p in relations.published
        if p.cell.universe == "commenters" and p.cell.measure == "n"
    }
    for (year, where, rest), p in shown.items():
        for slice_ in sorted(slices[year], key=str):
            if (slice_, where, rest) not in have:
                cell = Cell("commenters", slice_, where, "n", rest)
                relations.published.append(
                    Published(cell, p.value, f"{p.source} (the same commenters)")
                )
    relations.hidden = [
        h
        for h in relations.hidden
        if not (
            h.cell.universe == "commenters"
            and h.cell.measure == "n"
            and (h.cell.slice[0], h.cell.where, h.cell.rest) in shown
        )
    ]


def _respondents_floors(relations: Relations) -> list[_LowerBound]:
    """A group's respondents are at least its answers published in any slice of the year
    (an item's, a theme's, a code's commenters), wherever they can be placed."""
    cells = [p.cell for p in relations.published] + [h.cell for h in relations.hidden]
    columns = {c for cell in cells if cell.universe == "respondents" for c, _ in cell.where}
    best: dict[tuple, Published] = {}
    for p in relations.published:
        cell = p.cell
        if cell.universe not in _ANSWERING or cell.measure != "n" or isinstance(p, _LowerBound):
            continue
        if not {c for c, _ in cell.where} <= columns:
            continue
        key = (cell.slice[0], cell.where, cell.rest)
        if key not in best or p.value > best[key].value:
            best[key] = p
    return [
        _LowerBound(
            Cell("respondents", (year,), where, "n", rest),
            p.value,
            f"{p.source} (its respondents are at least its answers)",
        )
        for (year, where, rest), p in best.items()
    ]


def _respondents_ceilings(
    relations: Relations,
    grouped: Mapping[tuple, Mapping[str, list]],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
) -> tuple[list[UpperBound], int]:
    """Answers of a group whose respondents are hidden are at most the most its respondents
    can be (solved in the year's respondents programme); with the number of programmes."""
    columns = set()
    for key, parts in grouped.items():
        if key[0] == "respondents":
            cells = [p.cell for kind in ("published", "hidden", "bounds") for p in parts[kind]]
            columns.update(column for cell in cells for column, _ in cell.where)
    wanted: dict[int, dict[tuple, set[tuple]]] = defaultdict(lambda: defaultdict(set))
    for key, parts in grouped.items():
        if key[0] in _ANSWERING:
            for h in parts["hidden"]:
                if (
                    h.cell.measure == "n"
                    and h.cell.where
                    and {c for c, _ in h.cell.where} <= columns
                ):
                    wanted[key[1][0]][(h.cell.where, h.cell.rest)].add(key)
    published = {
        (p.cell.slice[0], p.cell.where, p.cell.rest)
        for p in relations.published
        if p.cell.universe == "respondents" and not isinstance(p, _LowerBound)
    }
    bounds, solved = [], 0
    for year, wheres in sorted(wanted.items()):
        key = ("respondents", (year,))
        if key not in grouped:
            continue
        piece = _base_slice(key, grouped[key], domains, structure)[0]
        problem = _Problem(piece)
        for (where, rest), keys in sorted(wheres.items(), key=str):
            if (year, where, rest) in published:
                continue  # the published respondents bound them already (_implied_bounds)
            atoms = piece.cell_atoms(Cell("respondents", (year,), where, "n", rest))
            if not atoms:
                continue
            objective = np.zeros(piece.size)
            objective[atoms] = 1.0
            found = problem.solve(objective, -1)
            if found is None or found[0] >= _ATOM_CEILING - 1:
                continue
            for universe, slice_ in sorted(keys, key=str):
                cell = Cell(universe, slice_, where, "n", rest)
                bounds.append(UpperBound(cell, found[0], "respondents (the most they can be)"))
        solved += problem.solved
    return bounds, solved


def _build(
    key: tuple,
    relations: Relations,
    grouped: Mapping[tuple, Mapping[str, list]],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
    weights: Mapping[str, float] | None,
    respondents: Mapping[str, float],
    skipped: dict[str, int],
    cache: dict[tuple, tuple[_Slice, dict[str, int]]] | None = None,
) -> _Slice:
    """One slice's programme, with the given staff-group weights (None: weighted left out).

    The relations that do not depend on the weights are built once per slice when a
    ``cache`` is given (several splits of hidden respondents tried on the same slice).
    """
    parts = grouped[key]
    base = None if cache is None else cache.get(key)
    if base is None:
        base = _base_slice(key, parts, domains, structure)
        if cache is not None:
            cache[key] = base
    piece = base[0].copy()
    for table, count in base[1].items():
        skipped[table] = skipped.get(table, 0) + count
    if key[0] in ("answers", "theme_answers", "commenters"):
        for group, value in respondents.items():
            found = piece.cell_atoms(Cell(key[0], key[1], (), "n"), group)
            if found:
                piece.add(_sum(found), value, equal=False)
    for weighted in parts["weighted"]:
        if weights is None:
            skipped[weighted.source.split(":")[0]] = (
                skipped.get(weighted.source.split(":")[0], 0) + 1
            )
            continue
        low_row: list[dict[int, float]] = []
        high_row: list[dict[int, float]] = []
        for group, weight in weights.items():
            numerator = piece.cell_atoms(weighted.numerator, group)
            denominator = piece.cell_atoms(weighted.denominator, group)
            if numerator is None or denominator is None:
                low_row = []
                break
            low_row += [_sum(denominator, weight * weighted.low / 100), _sum(numerator, -weight)]
            high_row += [_sum(numerator, weight), _sum(denominator, -weight * weighted.high / 100)]
        if low_row:
            piece.add(_combine(*low_row), 0, False)
            piece.add(_combine(*high_row), 0, False)
    return piece


def _base_slice(
    key: tuple,
    parts: Mapping[str, list],
    domains: Mapping[str, Sequence[str]],
    structure: Structure,
) -> tuple[_Slice, dict[str, int]]:
    """A slice's atoms and the relations that do not depend on the weights, with the
    number of figures of each table that could not be placed."""
    cells = [p.cell for p in parts["published"]] + [h.cell for h in parts["hidden"]]
    cells += [b.cell for b in parts["bounds"]]
    cells += [p.numerator for p in parts["percents"]]
    cells += [p.denominator for p in parts["percents"] if isinstance(p.denominator, Cell)]
    cells += [w.numerator for w in parts["weighted"]]
    piece = _Slice(key[0], cells, domains, structure)
    skipped: dict[str, int] = {}

    def atoms(cell: Cell, source: str, group: str | None = None) -> list[int] | None:
        found = piece.cell_atoms(cell, group)
        if found is None:
            skipped[source.split(":")[0]] = skipped.get(source.split(":")[0], 0) + 1
        return found

    for published in parts["published"]:
        found = atoms(published.cell, published.source)
        if found is not None and isinstance(published, _LowerBound):
            piece.add(_sum(found, -1), -published.value, equal=False)
        elif found is not None:
            piece.add(_sum(found), published.value, equal=True)
    for bound in parts["bounds"]:
        found = atoms(bound.cell, bound.source)
        if found is not None:
            piece.add(_sum(found), bound.value, equal=False)
    for percent in parts["percents"]:
        numerator = atoms(percent.numerator, percent.source)
        if isinstance(percent.denominator, Cell):
            denominator = atoms(percent.denominator, percent.source)
            if numerator is None or denominator is None:
                continue
            # low/100 * den - num <= 0 and num - high/100 * den <= 0
            piece.add(_combine(_sum(denominator, percent.low / 100), _sum(numerator, -1)), 0, False)
            piece.add(_combine(_sum(numerator), _sum(denominator, -percent.high / 100)), 0, False)
        elif numerator is not None:
            piece.add(_sum(numerator, -1), -percent.low / 100 * percent.denominator, False)
            piece.add(_sum(numerator), percent.high / 100 * percent.denominator, False)
    return piece, skipped


def _group_relations(relations: Relations) -> dict[tuple, dict[str, list]]:
    grouped: dict[tuple, dict[str, list]] = defaultdict(
        lambda: {"published": [], "bounds": [], "percents": [], "weighted": [], "hidden": []}
    )
    for published in relations.published:
        grouped[_slice_key(published.cell)]["published"].append(published)
    for bound in relations.bounds:
        grouped[_slice_key(bound.cell)]["bounds"].append(bound)
    for percent in relations.percents:
        grouped[_slice_key(percent.numerator)]["percents"].append(percent)
    for weighted in relations.weighted:
        grouped[_slice_key(weighted.numerator)]["weighted"].append(weighted)
    for hidden in relations.hidden:
        grouped[_slice_key(hidden.cell)]["hidden"].append(hidden)
    return grouped
