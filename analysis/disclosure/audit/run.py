"""The audit of a run: every hidden count's range, and the failures of the protection rule.

:func:`audit_relations` audits the relations of a run (read, or built by hand): it adds
what a reader can work out, finds the splits of hidden respondents the weighted figures
allow, then screens each slice's hidden counts and judges the narrow ones.
:func:`audit_run` reads a run folder and audits it with the data package's minimum group
size.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from analysis.disclosure.audit.building import (
    _build,
    _domains,
    _group_relations,
    _implied_bounds,
    _LowerBound,
    _respondents_ceilings,
    _respondents_floors,
    _shared_commenters,
)
from analysis.disclosure.audit.programme import Structure, _Problem, _Slice
from analysis.disclosure.audit.results import (
    DEFAULT_PROTECTION_LEVEL,
    AuditFailure,
    AuditResult,
    HiddenRange,
)
from analysis.disclosure.audit.screen import _Screen
from analysis.disclosure.audit.verdicts import (
    _a_group_says_it,
    _answers_of_groups,
    _derived_small_groups,
    _figures_of_groups,
    _published_itself,
    _published_people,
    _Unanswered,
)
from analysis.disclosure.audit.weights import (
    _WEIGHT_SEARCH_SLICES,
    _candidate_weights,
    _fitting_splits,
    _plain_weights,
    _split_test_slices,
    _weights,
)
from analysis.disclosure.protection import protection_for
from analysis.disclosure.relations import Cell, Relations, UpperBound, read_relations

__all__ = ["audit_relations", "audit_run"]


def audit_relations(
    relations: Relations,
    structure: Structure | None = None,
    *,
    minimum_group_size: int,
    protection_level: int = DEFAULT_PROTECTION_LEVEL,
    max_weight_candidates: int = 40,
    years: Collection[int] | None = None,
    exact: bool = False,
) -> AuditResult:
    """Every hidden count's feasible range, and the failures of the protection rule.

    Parameters
    ----------
    relations
        From :func:`~analysis.disclosure.relations.read_relations` (or built by hand).
    structure
        Which teams are in which directorate.
    minimum_group_size
        The data package's (``dataset.yml``; no default): groups worked out by subtraction
        with 1 to ``minimum_group_size - 1`` people fail.
    protection_level
        The least width (``floor(upper) - ceil(lower)``) of a hidden count's range; at most
        ``minimum_group_size - 1`` (:func:`~analysis.disclosure.protection.protection_for`).
    years
        Audit only the slices of these years (None: every year). Relations of other years
        are still read, but their hidden counts are not solved.
    max_weight_candidates
        The most splits of a year's hidden staff-group respondents tried (each gives the
        weights); above it the year's weighted figures are left out and a note says so.
    exact
        Solve every hidden count's least and greatest value; by default only those of the
        counts the feasible points found do not already show wide enough
        (:class:`~.screen._Screen`).

    Returns
    -------
    AuditResult
    """
    started = time.perf_counter()
    structure = structure or Structure()
    protection_level = protection_for(minimum_group_size, protection_level)
    result = AuditResult(protection_level=protection_level, minimum_group_size=minimum_group_size)
    relations.bounds = [*relations.bounds, *_implied_bounds(relations)]
    _shared_commenters(relations)
    relations.published = [*relations.published, *_respondents_floors(relations)]
    domains = _domains(relations, structure)
    weights = _weights(relations, domains)
    grouped = _group_relations(relations)
    if years is not None:
        left = sorted({key[1][0] for key in grouped} - set(years))
        grouped = {key: parts for key, parts in grouped.items() if key[1][0] in years}
        if left:
            result.notes.append(f"hidden counts of {left} not audited (only {sorted(years)})")
    skipped: dict[str, int] = dict(relations.uncovered)

    def respondents_of(candidate: Mapping[str, Any] | None, year: int) -> dict[str, float]:
        answered = {
            g: relations.headcounts[(year, g)] / w for g, w in (weights.known.get(year, {})).items()
        }
        if candidate and "__respondents__" in candidate:
            hidden = weights.unknown.get(year, [])
            answered.update(dict(zip(hidden, candidate["__respondents__"], strict=True)))
        return answered

    # The weights each year allows: splits of hidden respondents consistent with every slice.
    allowed: dict[int, list[dict[str, Any]] | None] = {}
    for year in sorted({key[1][0] for key in grouped}):
        candidates = _candidate_weights(year, weights, relations.headcounts, max_weight_candidates)
        weighted_slices = sorted(
            (key for key in grouped if key[1][0] == year and grouped[key]["weighted"]),
            key=lambda key: -len(grouped[key]["weighted"]),
        )[:_WEIGHT_SEARCH_SLICES] or _split_test_slices(grouped, year, candidates)
        if candidates is None:
            if weighted_slices:
                result.notes.append(
                    f"{year}: more than two staff groups' respondents hidden, or too many "
                    "splits of them: weighted figures of the year left out of the audit"
                )
            allowed[year] = None
            continue
        if len(candidates) > 1 and weighted_slices:
            built: dict[tuple, tuple[_Slice, dict[str, int]]] = {}

            def fits(
                candidate: dict[str, Any],
                year: int = year,
                slices: list = weighted_slices,
                built: dict = built,
            ) -> bool:
                for key in slices:
                    piece = _build(
                        key, relations, grouped, domains, structure,
                        _plain_weights(candidate), respondents_of(candidate, year), {}, built,
                    )  # fmt: skip
                    problem = _Problem(piece)
                    ok = problem.feasible()
                    result.problems += problem.solved
                    if not ok:
                        return False
                return True

            candidates = _fitting_splits(candidates, fits)
            if not candidates:
                result.notes.append(f"{year}: no split of the hidden respondents fits")
            split = [c["__respondents__"] for c in candidates]
            hidden = weights.unknown.get(year, [])
            for i, group in enumerate(hidden):
                values = [s[i] for s in split]
                if values:
                    relations.bounds.append(
                        UpperBound(
                            Cell("respondents", (year,), (("staff_group", (group,)),)),
                            max(values),
                            "weights",
                        )
                    )
                    relations.published.append(
                        _LowerBound(
                            Cell("respondents", (year,), (("staff_group", (group,)),)),
                            min(values),
                            "weights",
                        )
                    )
        if candidates and len(candidates) > 1 and weighted_slices:
            result.notes.append(
                f"{year}: {len(candidates)} splits of the hidden staff groups' respondents "
                "fit; each hidden count's range is the union of its ranges under each"
            )
        allowed[year] = candidates
    grouped = {key: parts for key, parts in _group_relations(relations).items() if key in grouped}
    ceilings, solved = _respondents_ceilings(relations, grouped, domains, structure)
    result.problems += solved
    relations.bounds = [*relations.bounds, *ceilings]
    grouped = {key: parts for key, parts in _group_relations(relations).items() if key in grouped}

    for key in sorted(grouped, key=str):
        parts = grouped[key]
        if not parts["hidden"] and not parts["published"]:
            continue
        year = key[1][0]
        candidates = allowed.get(year)
        options: list[dict[str, Any] | None] = (
            (list(candidates) if candidates else [None]) if parts["weighted"] else [None]
        )
        pieces = []
        screen = _Screen(protection_level, exact)
        built: dict[tuple, tuple[_Slice, dict[str, int]]] = {}
        for candidate in options:
            piece = _build(
                key, relations, grouped, domains, structure,
                _plain_weights(candidate) if candidate is not None else None,
                respondents_of(candidate, year), skipped, built,
            )  # fmt: skip
            pieces.append(piece)
            problem = _Problem(piece)
            screen.run(problem, [h.cell for h in parts["hidden"]])
            result.problems += problem.solved
        ranges = screen.ranges()
        own = _answers_of_groups(parts["published"], pieces[0], protection_level)
        own += _figures_of_groups(parts["percents"], pieces[0], protection_level)
        unanswered = _Unanswered.of(
            parts["published"], parts["bounds"], pieces[0], protection_level
        )
        shown = _published_people(parts["published"], pieces[0])
        if parts["hidden"] and not ranges:
            result.notes.append(f"{key}: no counts fit every published figure; not audited")
        for hidden in parts["hidden"]:
            if hidden.cell not in ranges:
                skipped[hidden.table] = skipped.get(hidden.table, 0) + 1
                continue
            low, high, solved = ranges[hidden.cell]
            found = HiddenRange(hidden.table, hidden.key, hidden.column, low, high, solved)
            if found.width < protection_level and (
                _a_group_says_it(found, hidden.cell, pieces[0], own)
                or unanswered.say_it(found, hidden.cell, pieces[0])
                or _published_itself(hidden.cell, pieces[0], shown)
            ):
                found = dataclasses.replace(found, own_figure=True)
            result.ranges.append(found)
            if found.width < protection_level and not found.own_figure:
                result.failures.append(
                    AuditFailure(
                        hidden.table,
                        hidden.key,
                        hidden.column,
                        f"a reader can tell it lies in [{low:.2f}, {high:.2f}] (fewer than "
                        f"{protection_level + 1} possible values)",
                    )
                )
        result.failures += _derived_small_groups(parts["published"], pieces[0], minimum_group_size)
    result.not_covered = skipped
    result.not_counts = dict(relations.not_counts)
    result.seconds = time.perf_counter() - started
    return result


def _minimum_group_size(description: Any, manifest: Mapping, manifest_path: Path) -> int:
    """The minimum group size of ``dataset.yml``: the package's description, else what the
    run's manifest recorded from it; an error when neither gives it (no literal fallback)."""
    found = getattr(description, "minimum_group_size", None)
    if found is None:
        found = manifest.get("minimum_group_size")
    if found is None:
        raise ValueError(
            "the audit needs the minimum group size of dataset.yml: no data package was "
            f"given and {manifest_path} has no 'minimum_group_size'"
        )
    if isinstance(found, bool) or not isinstance(found, int) or found < 1:
        raise ValueError(
            f"minimum_group_size must be a whole number of at least 1, got {found!r} "
            f"(from {'dataset.yml' if description is not None else manifest_path})"
        )
    return found


def audit_run(
    run_dir: Path | str,
    package: Any = None,
    *,
    year: int | None = None,
    minimum_group_size: int | None = None,
    protection_level: int = DEFAULT_PROTECTION_LEVEL,
    years: Collection[int] | None = None,
) -> AuditResult:
    """Audit every published table of a run folder together.

    Parameters
    ----------
    run_dir
        The run folder (``tables/<stage>/*.csv`` and ``.json``).
    package
        The data package (its ``teams`` give each team's directorate, its description the
        minimum group size and year). Optional: without it the audit uses what the run's
        ``manifest.json`` says, and treats teams as a classification of their own.
    year, minimum_group_size
        Override what the package or manifest says.
    protection_level
        See :data:`DEFAULT_PROTECTION_LEVEL`.
    years
        Solve the hidden counts of these years only (None: all); see :func:`audit_relations`.

    Returns
    -------
    AuditResult
        Call :meth:`AuditResult.passed`; :class:`~.results.DisclosureAuditError` wraps a
        failed one.
    """
    import json

    run_dir = Path(run_dir)
    manifest_path = run_dir / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    )
    description = getattr(package, "description", None)
    if minimum_group_size is None:
        minimum_group_size = _minimum_group_size(description, manifest, manifest_path)
    if year is None:
        year = int(manifest.get("year") or max(getattr(description, "survey_years", [0])))
    relations = read_relations(run_dir, year, years=years)
    result = audit_relations(
        relations,
        Structure.from_package(package),
        minimum_group_size=minimum_group_size,
        protection_level=protection_level,
        years=years,
    )
    if years is not None:
        result.notes.insert(0, f"only the tables' rows of {sorted(years)} read and audited")
    return result
