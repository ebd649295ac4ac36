"""What a reader can derive from a run's published tables, as linear relations over counts.

The whole-run audit (:mod:`analysis.disclosure.audit`) reads the run folder as an attacker
would: every ``tables/<stage>/<name>.csv`` with its ``.json`` side file. This module turns
each published row into *cells* (a count of people in a universe and slice, under conditions
such as ``directorate = Therapies`` and ``staff_group = Managers``) and *relations* over them:

* a published count is an equality;
* a published percentage ``p`` with ``d`` decimals of a numerator and denominator is the pair
  of linear inequalities ``(p - h) / 100 * den <= num <= (p + h) / 100 * den`` with
  ``h = 0.5 * 10**-d``;
* a published weighted percentage with weights ``w_g`` (staff groups) is
  ``sum_g w_g (num_g - (p +- h) / 100 * den_g) >= 0 / <= 0``;
* a headcount beside the respondents bounds them from above.

Which columns of which table mean what is declared once, in :data:`TABLE_RELATIONS`; the
side file's ``universe`` and ``attributes`` (written by the gate) give the counts of a
survey table that has no declaration (:func:`_spec_from_metadata`); the other stages' tables
and the packs' are read by :mod:`analysis.disclosure.relations_more`. Tables none of these
reads are listed by the audit as not covered.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.3 (a
published figure that is a function of hidden cells is one more equation for an intruder).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.text_safety import text_from_spreadsheet

__all__ = [
    "Cell",
    "Hidden",
    "Percent",
    "Published",
    "Relations",
    "TableSpec",
    "TABLE_RELATIONS",
    "UpperBound",
    "WeightedPercent",
    "read_relations",
]

CROSSING = " x "
SEPARATOR = " | "
HIDDEN_MARKS = ("", "[c]")
REST = "rest:"
"""A measure prefixed with this counts the rest of the organisation (:attr:`Cell.rest`)."""
PERCENT_TOLERANCE = 1e-5
"""The least half-width (percentage points) given to a published percentage.

Figures written with every float digit would otherwise give the solver intervals at its own
feasibility tolerance, and HiGHS then finds true relations infeasible (measured on the demo:
6 of 92 slices of 2007-2008 at 1e-7 points, none at 1e-5). 1e-5 points moves a count of
1,000 people by 1e-4 of a person.
"""


@dataclass(frozen=True)
class Cell:
    """A count of people: a measure within a universe, slice and conditions.

    Attributes
    ----------
    universe
        What is counted: ``"answers"`` (respondents answering an item), ``"respondents"``
        (respondents in a year), ``"theme_answers"`` (respondents answering a theme).
    slice
        The universe's linking key: ``(year, item_id)``, ``(year,)``, ``(year, theme)``.
    where
        ``(column, values)`` pairs: the people whose column has one of the values.
    measure
        ``"n"`` (all of them), ``"positive"`` (those answering positively) or ``"other"``
        (those answering otherwise).
    rest
        When true, the people of the slice *not* matching ``where`` (the rest of the
        organisation a group is compared with).
    """

    universe: str
    slice: tuple
    where: tuple[tuple[str, tuple[str, ...]], ...]
    measure: str = "n"
    rest: bool = False


@dataclass(frozen=True)
class Published:
    """A published count: ``cell == value``."""

    cell: Cell
    value: float
    source: str


@dataclass(frozen=True)
class UpperBound:
    """``cell <= value`` (respondents are at most the headcount)."""

    cell: Cell
    value: float
    source: str


@dataclass(frozen=True)
class Percent:
    """``low <= 100 * numerator / denominator <= high``; a number denominator is a constant."""

    numerator: Cell
    denominator: Cell | float
    low: float
    high: float
    source: str


@dataclass(frozen=True)
class WeightedPercent:
    """A staff-group-weighted percentage of ``numerator`` over ``denominator`` in a year.

    The weights (``headcount / respondents`` of each staff group) are resolved by the audit
    from the respondents published for the year (:attr:`Relations.weights`).
    """

    numerator: Cell
    denominator: Cell
    low: float
    high: float
    year: int
    source: str


@dataclass(frozen=True)
class Hidden:
    """A hidden count: where it is published and which cell it is."""

    table: str
    key: str
    column: str
    cell: Cell


@dataclass
class Relations:
    """Everything the audit knows: relations, hidden counts, weights, structure."""

    published: list[Published] = field(default_factory=list)
    bounds: list[UpperBound] = field(default_factory=list)
    percents: list[Percent] = field(default_factory=list)
    weighted: list[WeightedPercent] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    headcounts: dict[tuple[int, str], float] = field(default_factory=dict)
    """``(year, staff_group)`` to the published headcount (the weights' numerators)."""
    uncovered: dict[str, int] = field(default_factory=dict)
    """Tables with hidden cells the audit has no relations for, to their number of them."""
    not_counts: dict[str, str] = field(default_factory=dict)
    """Tables read but publishing no count relation (or republishing another table's rows),
    to why (:mod:`analysis.disclosure.relations_more`)."""
    tables: int = 0


@dataclass(frozen=True)
class TableSpec:
    """How a published table's columns relate to counts (one entry of TABLE_RELATIONS).

    Attributes
    ----------
    universe
        The :attr:`Cell.universe` of its rows.
    slice
        The columns giving :attr:`Cell.slice` (a missing ``year`` is the run's year).
    groups
        ``"group_type"`` for ``group_type``/``group`` columns; ``"columns"`` for plain
        dimension columns (the side file's ``dimensions``); ``"breakdown"`` for
        ``breakdown``/``group`` columns whose ``all`` rows are the organisation (the
        comments' code frequencies); ``"action"`` for the targeted
        and comparison units of an action (``action_outcomes``); ``"none"`` for whole-
        organisation rows.
    counts
        Count column to its measure (``"n"`` or ``"positive"``; prefixed ``"rest:"`` for
        the rest of the organisation, :attr:`Cell.rest`).
    percents
        Percent column to ``(numerator measure, denominator measure, year column)``; a
        denominator ``"organisation"`` is the slice's total; ``"headcount"`` the row's
        headcount column.
    weighted
        Weighted percent column to ``(numerator measure, denominator measure)``.
    upper_bounds
        Columns bounding the ``n`` measure from above (``headcount``).
    unshown
        Counts no column shows, checked in a hidden row as if they were hidden counts: a
        name to its measure (``{"n - n_positive": "other"}``, the other answers, so that a
        hidden group whose every answer is positive is caught as one whose none is).
    dimensions
        For ``groups="columns"``: the dimension columns (default: the side file's).
    """

    universe: str
    slice: tuple[str, ...]
    groups: str
    counts: Mapping[str, str]
    percents: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    weighted: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    upper_bounds: tuple[str, ...] = ()
    unshown: Mapping[str, str] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()


_ITEM = ("year", "item_id")
TABLE_RELATIONS: dict[str, TableSpec] = {
    "survey/item_scores": TableSpec(
        "answers",
        _ITEM,
        "group_type",
        counts={"n": "n", "n_positive": "positive"},
        percents={"pct_positive": ("positive", "n", "year")},
        weighted={"pct_positive_weighted": ("positive", "n")},
        unshown={"n - n_positive": "other"},
    ),
    "survey/changes": TableSpec(
        "answers",
        _ITEM,
        "group_type",
        counts={},
        percents={
            "pct": ("positive", "n", "year"),
            "base_pct": ("positive", "n", "base_year"),
        },
    ),
    "survey/group_differences": TableSpec(
        "answers",
        _ITEM,
        "group_type",
        counts={"n": "n", "rest_n": f"{REST}n"},
        percents={
            "pct": ("positive", "n", "year"),
            "rest_pct": (f"{REST}positive", f"{REST}n", "year"),
        },
        weighted={
            "pct_weighted": ("positive", "n"),
            "rest_pct_weighted": (f"{REST}positive", f"{REST}n"),
        },
    ),
    "survey/item_rest": TableSpec("answers", _ITEM, "none", counts={"n": "n"}),
    # The organisation's own rows, as in item_scores and theme_scores (checked equal on the
    # demo): a share of the answers by code (answer_distribution), the comparison with
    # other organisations (benchmark), a theme's consistency (reliability), blanks per item
    # (missing_answers, the run's year). No group is broken down in them.
    "survey/answer_distribution": TableSpec("answers", _ITEM, "none", counts={"n": "n"}),
    "survey/benchmark": TableSpec(
        "answers",
        _ITEM,
        "none",
        counts={"n": "n"},
        percents={"pct": ("positive", "n", "year")},
    ),
    "survey/reliability": TableSpec("theme_answers", ("year", "theme"), "none", counts={"n": "n"}),
    "data_overview/missing_answers": TableSpec("answers", _ITEM, "none", counts={"answered": "n"}),
    "survey/theme_scores": TableSpec(
        "theme_answers", ("year", "theme"), "group_type", counts={"n": "n"}
    ),
    "survey/response_rates": TableSpec(
        "respondents",
        ("year",),
        "group_type",
        counts={"respondents": "n"},
        percents={"response_rate": ("n", "headcount", "year")},
        upper_bounds=("headcount",),
    ),
    "comments/code_frequencies": TableSpec(
        "commenters",
        ("year", "code_id"),
        "breakdown",
        counts={"commenters": "n", "respondents": "positive"},
        percents={"percent": ("positive", "n", "year")},
        unshown={"commenters - respondents": "other"},
    ),
    "interventions/action_trends": TableSpec(
        "answers",
        _ITEM,
        "action",
        counts={"n": "n"},
        percents={"mean": ("positive", "n", "year")},
    ),
    **{
        f"data_overview/response_by_{name}": TableSpec(
            "respondents",
            ("year",),
            "columns",
            counts={"respondents": "n"},
            percents={"response_rate": ("n", "headcount", "year")},
            upper_bounds=("headcount",),
            dimensions=dimensions,
        )
        for name, dimensions in {
            "year": (),
            "directorate": ("directorate",),
            "staff_group": ("staff_group",),
            "directorate_and_staff_group": ("directorate", "staff_group"),
            "year_and_staff_group": ("staff_group",),
        }.items()
    },
    **{
        f"data_overview/respondents_by_{column}": TableSpec(
            "respondents",
            ("year",),
            "columns",
            counts={"respondents": "n"},
            percents={"percent": ("n", "organisation", "year")},
            dimensions=(column,),
        )
        for column in ("age_band", "gender", "ethnicity", "disability")
    },
}
"""Published table (``stage/name``) to what its columns are. Keep in step with the stages."""


def read_published(path: Path) -> list[dict[str, str]]:
    """A published CSV's rows as text (hidden cells are ``""`` or ``[c]``), each cell as the
    table held it before it was written.

    A text cell beginning with a formula character was written with a leading quote
    (:func:`analysis.text_safety.spreadsheet_text`), which a reader knows to drop. Read with
    it, a group's label would differ between tables: ``'+Managers`` in the staff groups'
    rows, but ``+Managers`` after the separator of a crossing's label (only a cell's start
    is quoted), so the crossing's cells would belong to a staff group of their own and the
    organisation's lines would add up twice (measured on the demo package with markup in
    its names: 340 slices of answers with no counts fitting them, left unaudited, and 211
    counts pinned by those phantom groups).
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        return [  # only a cell beginning with the quote can have been quoted
            {
                column: text_from_spreadsheet(value) if value and value[0] == "'" else value
                for column, value in row.items()
            }
            for row in csv.DictReader(file)
        ]


def decimals(text: str) -> int:
    """The number of decimals a figure was written with: ``"59.25"`` -> 2, ``"12"`` -> 0."""
    mantissa = text.lower().split("e")[0]
    digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    return max(0, digits - exponent)


def half_unit(text: str) -> float:
    """Half the last written unit of a published figure, at least :data:`PERCENT_TOLERANCE`."""
    return max(0.5 * 10.0 ** -decimals(text), PERCENT_TOLERANCE)


def _is_hidden(text: str | None) -> bool:
    text = (text or "").strip()
    return text in HIDDEN_MARKS or text.lower() == "nan"


def _number(text: str) -> float | None:
    if _is_hidden(text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _group_conditions(group_type: str, group: str) -> dict[str, tuple[str, ...]] | None:
    """``("directorate x staff_group", "A | B")`` -> ``{directorate: (A,), staff_group: (B,)}``."""
    if group_type == "organisation":
        return {}
    columns = group_type.split(CROSSING)
    values = group.split(SEPARATOR)
    if len(columns) != len(values):
        return None
    return {column: (value,) for column, value in zip(columns, values, strict=True)}


def _action_units(tables_dir: Path) -> dict[tuple[str, str, str], dict[str, tuple[str, ...]]]:
    """``(action_ids, item_id, group)`` to the units a row of ``action_trends`` covers."""
    path = tables_dir / "interventions" / "action_outcomes.csv"
    if not path.is_file():
        return {}
    units: dict[tuple[str, str, str], dict[str, tuple[str, ...]]] = {}
    for row in read_published(path):
        column = "team_id" if row.get("unit") == "team" else "directorate"
        targeted = row.get("teams") if column == "team_id" else row.get("directorates")
        comparison = row.get("comparison", "")
        for group, names in (("targeted", targeted), ("comparison", comparison)):
            listed = tuple(sorted(n.strip() for n in str(names or "").split(",") if n.strip()))
            if listed and listed not in (("All",), ("none",)):
                units[(row["action_ids"], row["item_id"], group)] = {column: listed}
    return units


def _where(conditions: Mapping[str, tuple[str, ...]]) -> tuple:
    return tuple(sorted((column, tuple(sorted(v))) for column, v in conditions.items()))


def _rows(
    table: list[dict[str, str]], spec: TableSpec, meta: Mapping, year: int, actions: Mapping
) -> Iterator[tuple[dict, dict[str, tuple[str, ...]] | None, str]]:
    """Each row with its conditions (None when the audit cannot place it) and its key."""
    dimensions = list(spec.dimensions or meta.get("dimensions") or [])
    for row in table:
        row.setdefault("year", str(year))
        if spec.groups == "group_type":
            conditions = _group_conditions(row["group_type"], row["group"])
            key = f"{row['group_type']}={row['group']}"
        elif spec.groups == "columns":
            conditions = {column: (row[column],) for column in dimensions}
            key = ", ".join(f"{c}={row[c]}" for c in dimensions) or "all"
        elif spec.groups == "breakdown":
            everyone = row["breakdown"] == "all"
            conditions = {} if everyone else {row["breakdown"]: (row["group"],)}
            key = "organisation" if everyone else f"{row['breakdown']}={row['group']}"
        elif spec.groups == "action":
            conditions = actions.get((row["action_ids"], row["item_id"], row["group"]))
            key = f"{row['action_ids']} {row['group']}"
        else:
            conditions, key = {}, "organisation"
        slice_key = ", ".join(f"{c}={row[c]}" for c in spec.slice if c in row)
        yield row, conditions, f"{slice_key}, {key}"


def _slice(row: Mapping, spec: TableSpec, year_column: str) -> tuple:
    values = []
    for column in spec.slice:
        text = row[year_column] if column == "year" else row[column]
        values.append(int(float(text)) if column == "year" else text)
    return tuple(values)


def _add_table(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    spec: TableSpec,
    meta: Mapping,
    year: int,
    actions: Mapping,
    years: Collection[int] | None = None,
) -> None:
    for row, conditions, key in _rows(table, spec, meta, year, actions):
        if years is not None and not _about(row, years):
            continue
        hidden_row = str(row.get("suppressed", "")).strip().lower() == "true"
        if conditions is None:
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        where = _where(conditions)
        slice_ = _slice(row, spec, "year")

        def cell(measure: str, slice_: tuple = slice_, where: tuple = where) -> Cell:
            rest = measure.startswith(REST)
            return Cell(spec.universe, slice_, where, measure.removeprefix(REST), rest)

        for column, measure in spec.counts.items():
            value = None if hidden_row else _number(row[column])
            if value is None:
                relations.hidden.append(Hidden(name, key, column, cell(measure)))
            else:
                relations.published.append(Published(cell(measure), value, f"{name}: {key}"))
        if hidden_row:
            for column, measure in spec.unshown.items():
                relations.hidden.append(Hidden(name, key, column, cell(measure)))
        for column in spec.upper_bounds:
            value = _number(row[column])
            if value is not None:
                relations.bounds.append(UpperBound(cell("n"), value, f"{name}: {key}"))
                if spec.universe == "respondents" and set(conditions) == {"staff_group"}:
                    relations.headcounts[(slice_[0], conditions["staff_group"][0])] = value
        for column, (numerator, denominator, year_column) in spec.percents.items():
            text = row.get(column, "")
            value = None if hidden_row else _number(text)
            if value is None or year_column not in row or _is_hidden(row[year_column]):
                continue
            here = _slice(row, spec, year_column)
            half = half_unit(text)
            if denominator == "headcount":
                den: Cell | float | None = _number(row.get("headcount", ""))
            elif denominator == "organisation":
                den = Cell(spec.universe, here, (), "n")
            else:
                den = cell(denominator, here)
            if den is None:
                continue
            relations.percents.append(
                Percent(cell(numerator, here), den, value - half, value + half, f"{name}: {key}")
            )
        for column, (numerator, denominator) in spec.weighted.items():
            text = row.get(column, "")
            value = None if hidden_row else _number(text)
            if value is None:
                continue
            half = half_unit(text)
            if _one_weighting_class(conditions, spec.weighted[column]):
                relations.percents.append(
                    Percent(cell(numerator), cell(denominator), value - half, value + half,
                            f"{name}: {key} ({column})")
                )  # fmt: skip
                continue
            relations.weighted.append(
                WeightedPercent(
                    cell(numerator),
                    cell(denominator),
                    value - half,
                    value + half,
                    slice_[0],
                    f"{name}: {key} ({column})",
                )
            )


def _one_weighting_class(
    conditions: Mapping[str, tuple[str, ...]], measures: tuple[str, str]
) -> bool:
    """Whether a weighted figure is over one weighting class (one staff group), its own.

    ``sum_g w_g (x_g - p n_g)`` over the staff groups g of a row within one staff group has
    one term: the weight cancels and the figure is the group's plain percentage. It is then
    read as one (:class:`Percent`), which needs no weights: the audit keeps it in a year
    whose hidden staff groups' weights it cannot resolve.
    """
    rest = any(measure.startswith(REST) for measure in measures)
    return not rest and len(conditions.get("staff_group", ())) == 1


def _about(row: Mapping[str, str], years: Collection[int]) -> bool:
    """Whether a row's year (or base year, for a change) is one of ``years``."""
    for column in ("year", "base_year"):
        number = _number(row.get(column, ""))
        if number is not None and int(number) in years:
            return True
    return False


def _count_hidden(table: list[dict[str, str]]) -> int:
    marked = sum(value.strip() == "[c]" for row in table for value in row.values() if value)
    return marked + sum(row.get("suppressed", "").lower() == "true" for row in table)


def _spec_from_metadata(meta: Mapping) -> TableSpec | None:
    """A table not in :data:`TABLE_RELATIONS` whose side file links it to the survey's answers.

    The gate writes ``universe`` and ``attributes`` (the columns linking rows to other
    tables); a table counting ``survey responses`` per year, item and group (a pack's
    tables) gives its counts as answers of those groups.
    """
    attributes = set(meta.get("attributes") or ())
    count = meta.get("count")
    if (
        meta.get("universe") == "survey responses"
        and count
        and {"year", "item_id", "group_type", "group"} <= attributes
    ):
        return TableSpec("answers", _ITEM, "group_type", counts={str(count): "n"})
    return None


def _published_side_files(run_dir: Path) -> list[Path]:
    """Every published table's side file: the stages' (``tables/<stage>/``) and the packs'
    (``packs/<column>/tables/<pack>/``, where the pipeline's packs publish)."""
    stages = sorted((run_dir / "tables").glob("*/*.json"))
    return stages + sorted((run_dir / "packs").glob("*/tables/*/*.json"))


def _table_name(meta_path: Path) -> str:
    """``stage/name`` for a stage's table; ``packs/<column>/<pack>/<name>`` for a pack's."""
    if meta_path.parent.parent.name == "tables" and meta_path.parents[3].name == "packs":
        column = meta_path.parents[2].name
        return f"packs/{column}/{meta_path.parent.name}/{meta_path.stem}"
    return f"{meta_path.parent.name}/{meta_path.stem}"


def read_relations(
    run_dir: Path | str, year: int, years: Collection[int] | None = None
) -> Relations:
    """Read every published table of a run folder into relations over counts.

    Parameters
    ----------
    run_dir
        The run folder (or its work folder before it is moved into place): it has
        ``tables/<stage>/<name>.csv`` and ``.json`` for every stage and pack.
    year
        The run's survey year (for tables without a ``year`` column).
    years
        Keep only relations over these years' slices (None: all). Slices of different
        years share no unknowns, so the others only cost time.

    Returns
    -------
    Relations
        Published counts, bounds, percentages, weighted percentages and hidden counts;
        tables with hidden cells but no declaration in :data:`TABLE_RELATIONS` (nor an
        ``audit`` key in their side file) are counted in ``uncovered``.
    """
    from analysis.disclosure.relations_more import (  # it builds on this module
        add_more_table,
        pack_mirror,
    )

    tables_dir = Path(run_dir) / "tables"
    relations = Relations()
    actions = _action_units(tables_dir)
    for meta_path in _published_side_files(Path(run_dir)):
        csv_path = meta_path.with_suffix(".csv")
        if not csv_path.is_file():
            continue
        name = _table_name(meta_path)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        table = read_published(csv_path)
        relations.tables += 1
        spec = TABLE_RELATIONS.get(name) or TABLE_RELATIONS.get(pack_mirror(name))
        spec = spec or _spec_from_metadata(meta)
        if spec is None and add_more_table(
            relations, name, table, meta, tables_dir, year, years, relations.not_counts
        ):
            continue
        if spec is None:
            # Read by no reader: listed with its hidden cells (0 when it hides none, but
            # its published counts are equations the audit does not use either).
            relations.uncovered[name] = _count_hidden(table)
            continue
        _add_table(relations, name, table, spec, meta, year, actions, years)
    return relations
