"""Indicator specifications: what each indicator measures, why, and how it is judged.

A data package may hold ``indicators.yml``: the organisation's objectives and, for every
indicator, the fields people expect from the Fingertips indicator metadata (definition,
rationale, numerator, denominator, polarity, target, benchmark...) plus the roles it applies
to and the disclosure rule that protects small teams. :func:`load_indicator_specifications`
reads and checks it; every problem is listed, each naming the file, the indicator and the
field.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis.datapackage.plain_yaml import (
    compose_plain_yaml,
    describe_yaml_error,
    load_plain_yaml,
)

__all__ = [
    "BENCHMARK_METHODS",
    "COMPARATORS",
    "DISCLOSURE_RULES",
    "FREQUENCIES",
    "INDICATOR_TYPES",
    "ORGANISATION_UNIT",
    "POLARITIES",
    "SOURCES",
    "SPECIFICATIONS_FILE",
    "VALUE_TYPES",
    "IndicatorSpecification",
    "IndicatorSpecificationError",
    "KnownChange",
    "Objective",
    "PerformanceModel",
    "check_against_package",
    "load_indicator_specifications",
    "parse_indicator_specifications",
]

SPECIFICATIONS_FILE = "indicators.yml"
ORGANISATION_UNIT = "Organisation"
"""The unit of the whole organisation: what a known change names for the organisation's chart
(and the ``unit`` of the indicators stage's organisation-level rows)."""
INDICATOR_TYPES = ("quantitative", "qualitative")
VALUE_TYPES = ("proportion", "rate", "mean", "count", "ordinal")
POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
FREQUENCIES = ("monthly", "quarterly", "annual")
BENCHMARK_METHODS = ("confidence_interval", "quintiles", "none")
BENCHMARK_LEVELS = (95.0, 99.8)
COMPARATORS = ("target", "organisation")
DISCLOSURE_RULES = ("not_person_level", "staff_denominator", "staff_in_team")
"""``not_person_level``: values describe patients or services, not staff (published as they
are). ``staff_denominator``: the denominator counts staff (e.g. staff due an appraisal);
values with fewer than the minimum group size are suppressed. ``staff_in_team``: the values
are about staff but the denominator is not a headcount (e.g. days available); the team's
headcount (the denominator of ``headcount_indicator``) decides suppression."""
SOURCES = ("indicator_values", "survey", "comments", "rubric")

_REQUIRED_TEXT = (
    "id",
    "name",
    "definition",
    "rationale",
    "objective",
    "domain",
    "unit",
    "numerator",
    "numerator_source",
    "owner",
)
_CHOICES = {
    "type": INDICATOR_TYPES,
    "value_type": VALUE_TYPES,
    "polarity": POLARITIES,
    "frequency": FREQUENCIES,
    "benchmark_method": BENCHMARK_METHODS,
    "disclosure": DISCLOSURE_RULES,
    "source": SOURCES,
}
_OPTIONAL_TEXT = ("denominator", "denominator_source", "target_source", "caveats")
_KNOWN_FIELDS = (
    *_REQUIRED_TEXT,
    *_CHOICES,
    *_OPTIONAL_TEXT,
    "multiplier",
    "target",
    "benchmark_level",
    "comparator",
    "roles",
    "items",
    "codes",
    "levels",
    "standard",
    "annualise",
    "recalculate_at",
)
_TOP_LEVEL = ("objectives", "headcount_indicator", "appraisal_comparison", "indicators")
_CHANGE_FIELDS = ("date", "reason", "unit")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(-\d{2})?$")


@dataclass(frozen=True)
class Objective:
    """One organisational objective that indicators serve.

    Attributes
    ----------
    id, name
        E.g. ``O1``, ``A healthy, well-supported workforce``.
    """

    id: str
    name: str


@dataclass(frozen=True)
class KnownChange:
    """A known change in how an indicator's process runs: SPC limits are recalculated there.

    Attributes
    ----------
    month
        The first month of the new process, as ``YYYY-MM``.
    reason
        Why the process changed, e.g. an action's start (shown under the chart).
    unit
        The chart it applies to: ``Organisation``, a directorate (its chart and its teams'),
        or a team id; ``None`` for every chart of the indicator.
    line
        The line of ``indicators.yml`` where the change is declared (for messages).
    """

    month: str
    reason: str
    unit: str | None = None
    line: int | None = dataclasses.field(default=None, compare=False)

    def applies_to(self, unit: str, directorate: str | None = None) -> bool:
        """Whether the change applies to the chart of ``unit`` (in ``directorate``)."""
        return self.unit is None or self.unit in (unit, directorate)


@dataclass(frozen=True)
class IndicatorSpecification:
    """One indicator's passport (Fingertips metadata fields and more).

    Attributes
    ----------
    id, name, definition, rationale
        What the indicator is and why it matters.
    objective, domain
        The objective's ``id`` it serves and its domain (e.g. ``Workforce wellbeing``).
    type
        ``quantitative`` or ``qualitative``.
    unit
        How values are shown, e.g. ``% of available days``.
    value_type
        ``proportion``, ``rate`` (per ``multiplier``), ``mean``, ``count`` or ``ordinal``.
    multiplier
        Values are ``numerator / denominator * multiplier`` (100 for a percentage).
    numerator, numerator_source, denominator, denominator_source
        Definitions and sources; the denominator is empty for counts.
    polarity
        ``high_is_good``, ``low_is_good`` or ``no_judgement``.
    frequency
        ``monthly``, ``quarterly`` or ``annual``.
    target, target_source
        The target (on the value's scale) and who set it; ``None`` and ``""`` without.
    benchmark_method, benchmark_level, comparator
        How a team is rated: a ``confidence_interval`` at ``benchmark_level`` (95 or 99.8)
        against the ``target`` or the ``organisation``'s value, ``quintiles`` among
        teams, or ``none``.
    roles
        The ``role_id`` of each role the indicator applies to.
    owner, caveats
        Who answers for it; known limitations.
    disclosure
        The disclosure rule (one of :data:`DISCLOSURE_RULES`).
    source
        Where values come from: ``indicator_values``, ``survey`` (percent positive on
        ``items``), ``comments`` (share of commenting staff raising ``codes``) or ``rubric``
        (ordinal ratings kept in ``indicator_values``, the level as numerator).
    items, codes
        Survey ``item_id`` or codebook code ids for survey and comment indicators.
    levels, standard
        For ordinal (rubric) ratings: each level as ``(level, descriptor)`` from 1 upwards,
        and the lowest level that meets the standard. Values are the share of ratings at
        or above ``standard``.
    annualise
        For monthly flows over a stock (leavers over staff in post): a year's value is the
        numerator summed over its months over the mean monthly denominator (turnover as
        leavers in 12 months over the mean headcount), not the pooled monthly rate.
    recalculate_at
        Known changes (:class:`KnownChange`) at which SPC limits are recalculated.
    """

    id: str
    name: str
    definition: str
    rationale: str
    objective: str
    domain: str
    type: str
    unit: str
    value_type: str
    multiplier: float
    numerator: str
    numerator_source: str
    denominator: str
    denominator_source: str
    polarity: str
    frequency: str
    target: float | None
    target_source: str
    benchmark_method: str
    benchmark_level: float
    comparator: str
    roles: tuple[str, ...]
    owner: str
    caveats: str
    disclosure: str
    source: str
    items: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    levels: tuple[tuple[int, str], ...] = ()
    standard: int | None = None
    annualise: bool = False
    recalculate_at: tuple[KnownChange, ...] = ()

    @property
    def improvement(self) -> str:
        """The SPC improvement direction: ``increase``, ``decrease`` or ``neutral``."""
        return {"high_is_good": "increase", "low_is_good": "decrease"}.get(self.polarity, "neutral")

    def unit_for(self, period: str) -> str:
        """The unit of a value over ``period`` (``month`` or ``year``), for labels.

        An annualised indicator's yearly value is per 12 months, its monthly value per
        month; other indicators' units do not depend on the period.
        """
        if not self.annualise:
            return self.unit
        return f"{self.unit}, {'in the month' if period == 'month' else 'over 12 months'}"

    def spc_bounds(self) -> tuple[float | None, float | None]:
        """The range the indicator's values can take, for flooring and capping SPC limits.

        Counts and rates cannot fall below 0; proportions lie between 0 and the multiplier
        (100 for a percentage); means and ordinal values are not bounded here.
        """
        if self.value_type == "proportion":
            return 0.0, self.multiplier
        if self.value_type in ("count", "rate"):
            return 0.0, None
        return None, None

    def changes_for(self, unit: str, directorate: str | None = None) -> tuple[str, ...]:
        """The months (``YYYY-MM``) at which the chart of ``unit`` is recalculated."""
        return tuple(
            sorted({c.month for c in self.recalculate_at if c.applies_to(unit, directorate)})
        )

    @property
    def about_staff(self) -> bool:
        """Whether values describe staff, so small teams are suppressed."""
        return self.disclosure != "not_person_level"

    def passport(self) -> dict[str, str]:
        """The indicator's passport as label -> text, in reading order, for the catalogue."""
        target = "none" if self.target is None else f"{self.target:g} {self.unit}"
        if self.target_source:
            target += f" ({self.target_source})"
        benchmark = {
            "confidence_interval": (
                f"{self.benchmark_level:g}% confidence interval against the {self.comparator}"
            ),
            "quintiles": "quintiles among teams",
            "none": "not benchmarked",
        }[self.benchmark_method]
        return {
            "Indicator": f"{self.name} ({self.id})",
            "Definition": self.definition,
            "Why it matters": self.rationale,
            "Objective and domain": f"{self.objective}; {self.domain}",
            "Type": f"{self.type}, {self.value_type.replace('_', ' ')} ({self.unit})",
            "Numerator": f"{self.numerator} (source: {self.numerator_source})",
            "Denominator": (
                f"{self.denominator} (source: {self.denominator_source})"
                if self.denominator
                else "none (a count)"
            ),
            "Good performance is": self.polarity.replace("_", " "),
            "Frequency": self.frequency,
            "Target": target,
            "Benchmark": benchmark,
            "Roles": ", ".join(self.roles),
            "Owner": self.owner,
            "Caveats": self.caveats or "none recorded",
            "Disclosure rule": self.disclosure.replace("_", " "),
            **(
                {"Yearly value": "annualised: the year's numerator over the mean denominator"}
                if self.annualise
                else {}
            ),
            **(
                {
                    "SPC limits recalculated at": "; ".join(
                        f"{c.month}{f' ({c.unit})' if c.unit else ''}: {c.reason}"
                        for c in self.recalculate_at
                    )
                }
                if self.recalculate_at
                else {}
            ),
            **(
                {
                    "Rating levels": "; ".join(f"{n} {text}" for n, text in self.levels)
                    + f" (standard: level {self.standard} or above)"
                }
                if self.levels
                else {}
            ),
        }


@dataclass(frozen=True)
class PerformanceModel:
    """The contents of ``indicators.yml``.

    Attributes
    ----------
    objectives
        The organisation's objectives, in file order.
    indicators
        The indicator specifications, in file order.
    headcount_indicator
        The indicator whose denominator is a team's headcount (for ``staff_in_team``
        disclosure), or ``None``.
    appraisal_item, goal_items
        From ``appraisal_comparison``: the survey item asking whether the respondent had
        an appraisal and the items about clear goals compared between those who had one
        and those who had not; ``None`` and ``()`` when not declared.
    """

    objectives: tuple[Objective, ...]
    indicators: tuple[IndicatorSpecification, ...]
    headcount_indicator: str | None = None
    appraisal_item: str | None = None
    goal_items: tuple[str, ...] = ()

    def __getitem__(self, indicator_id: str) -> IndicatorSpecification:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        known = ", ".join(indicator.id for indicator in self.indicators)
        raise KeyError(f"no indicator {indicator_id!r}; the indicators are: {known}")


class IndicatorSpecificationError(ValueError):
    """``indicators.yml`` has problems; the message lists each (file, indicator, field)."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = [f"{file} has {len(problems)} problem(s):"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


def load_indicator_specifications(folder: Path | str) -> PerformanceModel:
    """Read and check ``indicators.yml`` in a data package folder.

    Parameters
    ----------
    folder
        The data package folder.

    Returns
    -------
    PerformanceModel
        The objectives and indicator specifications.

    Raises
    ------
    FileNotFoundError
        If the folder has no ``indicators.yml``.
    IndicatorSpecificationError
        Listing every problem, each naming the file, the indicator and the field.
    """
    path = Path(folder) / SPECIFICATIONS_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"the data package {Path(folder).name!r} has no {SPECIFICATIONS_FILE}; the "
            "indicators stage needs it (see docs/data-package.md)"
        )
    return parse_indicator_specifications(path.read_text(encoding="utf-8-sig"), file=str(path))


def parse_indicator_specifications(text: str, file: str = SPECIFICATIONS_FILE) -> PerformanceModel:
    """Check the text of an ``indicators.yml`` and return its performance model.

    Parameters
    ----------
    text
        The YAML text.
    file
        The file name used in messages.

    Returns
    -------
    PerformanceModel

    Raises
    ------
    IndicatorSpecificationError
        Listing every problem found.
    """
    try:
        content = load_plain_yaml(text)
    except yaml.YAMLError as error:
        raise IndicatorSpecificationError(file, [describe_yaml_error(error)]) from None
    if not isinstance(content, dict):
        raise IndicatorSpecificationError(
            file, ["expected a mapping with 'objectives' and 'indicators'"]
        )
    problems: list[str] = []
    for key in content:
        if key not in _TOP_LEVEL:
            problems.append(f"unknown key {key!r}; the keys are {', '.join(_TOP_LEVEL)}")
    objectives = _objectives(content.get("objectives"), problems)
    appraisal_item, goal_items = _appraisal_comparison(
        content.get("appraisal_comparison"), problems
    )
    raw_indicators = content.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.append("'indicators' must be a non-empty list of indicators")
        raw_indicators = []
    lines = _change_lines(text, len(raw_indicators))
    indicators = []
    for number, raw in enumerate(raw_indicators, start=1):
        indicator = _indicator(raw, number, {o.id for o in objectives}, problems, lines[number - 1])
        if indicator is not None:
            indicators.append(indicator)
    ids = [indicator.id for indicator in indicators]
    for repeated in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"indicator {repeated!r}: field 'id': used by more than one indicator")
    headcount = content.get("headcount_indicator")
    named = {raw.get("id") for raw in raw_indicators if isinstance(raw, dict)}
    if headcount is not None and headcount not in named:
        problems.append(f"'headcount_indicator' {headcount!r} is not the id of an indicator")
    if headcount is None and any(i.disclosure == "staff_in_team" for i in indicators):
        problems.append(
            "'headcount_indicator' is required when an indicator's disclosure is "
            "'staff_in_team' (it gives each team's headcount)"
        )
    if problems:
        raise IndicatorSpecificationError(file, problems)
    return PerformanceModel(
        tuple(objectives), tuple(indicators), headcount, appraisal_item, goal_items
    )


def check_against_package(
    model: PerformanceModel,
    role_ids: set[str] | frozenset[str],
    indicator_value_ids: set[str] | frozenset[str],
    file: str = SPECIFICATIONS_FILE,
    *,
    units: Collection[str] | None = None,
) -> None:
    """Check the roles, data sources and units named in the specifications exist.

    Parameters
    ----------
    model
        The loaded specifications.
    role_ids
        The ``role_id`` values of ``role_profiles``.
    indicator_value_ids
        The ``indicator_id`` values of ``indicator_values``.
    file
        The file name used in messages.
    units
        The charts' units a known change may name (``Organisation``, the directorates and
        the team ids); ``None`` to skip that check.

    Raises
    ------
    IndicatorSpecificationError
        Listing each unknown role, each ``indicator_values`` indicator without data and
        each known change naming an unknown unit.
    """
    problems = []
    for indicator in model.indicators:
        for change in indicator.recalculate_at:
            if units is not None and change.unit is not None and change.unit not in units:
                problems.append(
                    f"indicator {indicator.id!r}: field 'recalculate_at' (line {change.line}): "
                    f"unit {change.unit!r} is not Organisation, a directorate or a team_id "
                    "of the data package"
                )
        for role in indicator.roles:
            if role not in role_ids:
                problems.append(
                    f"indicator {indicator.id!r}: field 'roles': {role!r} is not a role_id "
                    "in role_profiles"
                )
        in_values = indicator.source in ("indicator_values", "rubric")
        if in_values and indicator.id not in indicator_value_ids:
            problems.append(
                f"indicator {indicator.id!r}: field 'source': indicator_values has no rows "
                "for this indicator"
                + (
                    " (rubric ratings are kept there, the level as numerator)"
                    if indicator.source == "rubric"
                    else ""
                )
            )
    if problems:
        raise IndicatorSpecificationError(file, problems)


def _objectives(raw: Any, problems: list[str]) -> list[Objective]:
    if not isinstance(raw, list) or not raw:
        problems.append("'objectives' must be a non-empty list of {id, name}")
        return []
    objectives = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry[key].strip() for key in ("id", "name")
        ):
            problems.append(f"objective {number}: expected a mapping with text 'id' and 'name'")
            continue
        objectives.append(Objective(entry["id"].strip(), entry["name"].strip()))
    return objectives


def _appraisal_comparison(raw: Any, problems: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """``appraisal_comparison: {appraisal_item: ..., goal_items: [...]}`` or nothing."""
    if raw is None:
        return None, ()
    item = raw.get("appraisal_item") if isinstance(raw, dict) else None
    goals = raw.get("goal_items") if isinstance(raw, dict) else None
    if (
        not isinstance(raw, dict)
        or set(raw) != {"appraisal_item", "goal_items"}
        or not isinstance(item, str)
        or not item.strip()
        or not isinstance(goals, list)
        or not goals
        or not all(isinstance(g, str) and g.strip() for g in goals)
    ):
        problems.append(
            "'appraisal_comparison' must be a mapping with 'appraisal_item' (a survey item_id) "
            f"and 'goal_items' (a non-empty list of item_id); got {raw!r}"
        )
        return None, ()
    return item.strip(), tuple(g.strip() for g in goals)


def _change_lines(text: str, count: int) -> list[list[int | None]]:
    """The line of each ``recalculate_at`` entry, per indicator (for messages)."""
    lines: list[list[int | None]] = [[] for _ in range(count)]
    root = compose_plain_yaml(text)
    if root is None or not isinstance(root.value, list):
        return lines
    for key, value in root.value:
        if key.value != "indicators" or not isinstance(value.value, list):
            continue
        for number, indicator in enumerate(value.value[:count]):
            if not isinstance(indicator.value, list):
                continue
            for field_key, field_value in indicator.value:
                if field_key.value == "recalculate_at" and isinstance(field_value.value, list):
                    lines[number] = [entry.start_mark.line + 1 for entry in field_value.value]
    return lines


def _known_changes(
    raw: Any, lines: list[int | None], monthly: bool, problem: Any
) -> tuple[KnownChange, ...]:
    """Check ``recalculate_at``: a list of ``{date, reason, unit?}``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problem("recalculate_at", f"expected a list of {{date, reason, unit}}; got {raw!r}")
        return ()
    if raw and not monthly:
        problem("recalculate_at", "only for monthly indicators (SPC charts are monthly)")
    changes = []
    for number, entry in enumerate(raw, start=1):
        line = lines[number - 1] if number - 1 < len(lines) else None
        where = f"entry {number}" + (f" (line {line})" if line else "")
        if not isinstance(entry, dict):
            problem("recalculate_at", f"{where}: expected a mapping with date, reason and unit")
            continue
        unknown = sorted(set(map(str, entry)) - set(_CHANGE_FIELDS))
        if unknown:
            problem(
                "recalculate_at",
                f"{where}: unknown key(s) {unknown}; the keys are {', '.join(_CHANGE_FIELDS)}",
            )
        date = entry.get("date")
        if isinstance(date, datetime.date):
            date = date.isoformat()
        matched = _MONTH.match(date) if isinstance(date, str) else None
        if matched is None:
            problem(
                "recalculate_at",
                f"{where}: 'date' must be a month as YYYY-MM (or a date YYYY-MM-DD); "
                f"got {entry.get('date')!r}",
            )
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problem("recalculate_at", f"{where}: 'reason' is required; expected text")
        unit = entry.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit.strip()):
            problem("recalculate_at", f"{where}: 'unit' must be text; got {unit!r}")
        if matched is None or not isinstance(reason, str) or not reason.strip():
            continue
        month = f"{matched.group(1)}-{matched.group(2)}"
        unit_text = unit.strip() if isinstance(unit, str) and unit.strip() else None
        if any(c.month == month and c.unit == unit_text for c in changes):
            problem("recalculate_at", f"{where}: {month} is declared twice for the same unit")
            continue
        changes.append(KnownChange(month, reason.strip(), unit_text, line))
    return tuple(changes)


def _indicator(
    raw: Any,
    number: int,
    objective_ids: set[str],
    problems: list[str],
    change_lines: list[int | None] | None = None,
) -> IndicatorSpecification | None:
    if not isinstance(raw, dict):
        problems.append(f"indicator {number}: expected a mapping of fields")
        return None
    name = raw.get("id") if isinstance(raw.get("id"), str) else f"number {number}"
    start = len(problems)

    def problem(field: str, message: str) -> None:
        problems.append(f"indicator {name!r}: field {field!r}: {message}")

    for field in raw:
        if field not in _KNOWN_FIELDS:
            problem(field, "not a known field")
    text: dict[str, str] = {}
    for field in _REQUIRED_TEXT:
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            problem(field, "required; expected text")
        else:
            text[field] = value.strip()
    for field in _OPTIONAL_TEXT:
        value = raw.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            problem(field, f"expected text; got {value!r}")
        text[field] = str(value).strip()
    for field, allowed in _CHOICES.items():
        if raw.get(field) not in allowed:
            problem(field, f"expected one of {', '.join(allowed)}; got {raw.get(field)!r}")
    if "objective" in text and objective_ids and text["objective"] not in objective_ids:
        problem("objective", f"{text['objective']!r} is not the id of an objective")

    value_type = raw.get("value_type")
    has_denominator = bool(text.get("denominator"))
    if value_type in ("proportion", "rate") and not has_denominator:
        problem("denominator", f"required for a {value_type}")
    if has_denominator and not text.get("denominator_source"):
        problem("denominator_source", "required when there is a denominator")
    if value_type == "count" and has_denominator:
        problem("denominator", "a count has no denominator; leave it out")
    default_multiplier = 100.0 if value_type in ("proportion", "ordinal") else 1.0
    multiplier = _number(raw.get("multiplier", default_multiplier), "multiplier", problem)
    if multiplier is not None and multiplier <= 0:
        problem("multiplier", f"must be greater than 0; got {multiplier:g}")
    target = (
        _number(raw.get("target"), "target", problem) if raw.get("target") is not None else None
    )
    if target is not None and not text.get("target_source"):
        problem("target_source", "required when there is a target (who set it, and when)")
    level = _number(raw.get("benchmark_level", 95), "benchmark_level", problem)
    if level is not None and level not in BENCHMARK_LEVELS:
        problem("benchmark_level", f"expected 95 or 99.8; got {level:g}")
    comparator = raw.get("comparator", "organisation")
    if comparator not in COMPARATORS:
        problem("comparator", f"expected one of {', '.join(COMPARATORS)}; got {comparator!r}")
    elif comparator == "target" and target is None and raw.get("benchmark_method") != "none":
        problem("comparator", "is 'target' but the indicator has no target")
    roles = _text_list(raw.get("roles"), "roles", problem, required=True)
    items = _text_list(raw.get("items"), "items", problem, required=raw.get("source") == "survey")
    codes = _text_list(raw.get("codes"), "codes", problem, required=raw.get("source") == "comments")
    levels, standard = _rubric_levels(raw, value_type == "ordinal", problem)
    annualise = raw.get("annualise", False)
    if not isinstance(annualise, bool):
        problem("annualise", f"expected true or false; got {annualise!r}")
    elif annualise and (
        value_type not in ("proportion", "rate") or raw.get("frequency") != "monthly"
    ):
        problem("annualise", "only for monthly proportions and rates (a flow over a stock)")
    changes = _known_changes(
        raw.get("recalculate_at"), change_lines or [], raw.get("frequency") == "monthly", problem
    )
    if len(problems) > start:
        return None
    return IndicatorSpecification(
        id=text["id"],
        name=text["name"],
        definition=text["definition"],
        rationale=text["rationale"],
        objective=text["objective"],
        domain=text["domain"],
        type=raw["type"],
        unit=text["unit"],
        value_type=value_type,
        multiplier=float(multiplier),
        numerator=text["numerator"],
        numerator_source=text["numerator_source"],
        denominator=text["denominator"],
        denominator_source=text["denominator_source"],
        polarity=raw["polarity"],
        frequency=raw["frequency"],
        target=target,
        target_source=text["target_source"],
        benchmark_method=raw["benchmark_method"],
        benchmark_level=float(level),
        comparator=comparator,
        roles=roles,
        owner=text["owner"],
        caveats=text["caveats"],
        disclosure=raw["disclosure"],
        source=raw["source"],
        items=items,
        codes=codes,
        levels=levels,
        standard=standard,
        annualise=annualise,
        recalculate_at=changes,
    )


def _rubric_levels(
    raw: dict[str, Any], ordinal: bool, problem: Any
) -> tuple[tuple[tuple[int, str], ...], int | None]:
    """An ordinal indicator's ``levels`` (1..k -> descriptor) and ``standard`` (a level)."""
    levels, standard = raw.get("levels"), raw.get("standard")
    if not ordinal:
        for field in ("levels", "standard"):
            if raw.get(field) is not None:
                problem(field, "only for value_type 'ordinal' (rubric ratings)")
        return (), None
    if (
        not isinstance(levels, dict)
        or len(levels) < 2
        or sorted(levels) != list(range(1, len(levels) + 1))
        or not all(isinstance(text, str) and text.strip() for text in levels.values())
    ):
        problem(
            "levels", f"required; expected levels 1, 2, ... each with a descriptor; got {levels!r}"
        )
        return (), None
    if isinstance(standard, bool) or standard not in levels:
        problem(
            "standard", f"required; expected one of the levels {sorted(levels)}; got {standard!r}"
        )
        return (), None
    return tuple((int(n), levels[n].strip()) for n in sorted(levels)), int(standard)


def _number(value: Any, field: str, problem: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problem(field, f"expected a number; got {value!r}")
        return None
    return float(value)


def _text_list(value: Any, field: str, problem: Any, *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            problem(field, "required; expected a list of ids")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problem(field, f"expected a list of ids; got {value!r}")
        return ()
    if required and not value:
        problem(field, "must list at least one id")
    return tuple(v.strip() for v in value)
