"""Relations of the tables :data:`~analysis.disclosure.relations.TABLE_RELATIONS` does not
declare: indicators, appraisal coverage, comments against scores, equality groups, training
reactions; and the tables that publish no count relation, with the reason.

:func:`~analysis.disclosure.relations.read_relations` hands every table it has no
:class:`~analysis.disclosure.relations.TableSpec` for to :func:`add_more_table`. Each reader
below turns the table's rows into cells of the audit's universes, as a reader of the run
can (``docs/disclosure.md``, "Relations"):

* ``indicator_numerator``, ``indicator_denominator``, ``indicator_staff`` per
  ``(year, indicator_id)``: an indicator's yearly numerator, denominator and average staff
  headcount of a team, directorate or the organisation (``indicators/indicator_values*``).
  They add up: a directorate's figures are its teams' summed month by month
  (:func:`analysis.indicators.values.indicator_table`). Each is published rounded, so it is
  an interval of half its last unit (the staff, a rounded mean, of 0.5);
* ``appraisals`` per ``(year,)``: staff due an appraisal (``n``) and appraised
  (``positive``) by team and by staff group (``indicators/appraisal_coverage_*``), both
  partitions of the organisation's staff due;
* ``answers`` and ``theme_answers``: the respondents with a score on a linked item or theme
  who raised a code (``code:<code_id> = with``) and the others (``= without``), a partition
  of the item's or theme's respondents (``comments/code_vs_scores*``); the equality groups'
  sides, as the ethnicity and disability categories each side is made of
  (:data:`analysis.datapackage.equality_sides.COMPARISONS`, ``survey/equality_groups``);
* ``ratings`` per ``(year, course_id, measure)``: the training reactions' raters, by score
  and by cohort, and those rating 4 or 5 (``positive``).

A table that republishes another table's figures row by row (the scorecard, funnel points,
role profiles) is checked to show no row its source hides (a row it showed would be one
more equation); tables publishing no figure a linear relation over counts can use are named
with the reason in :data:`NOT_COUNTS`. Both are recorded in the audit's ``not_counts``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

from analysis.disclosure.relations import (
    Cell,
    Hidden,
    Percent,
    Published,
    Relations,
    half_unit,
    read_published,
)

__all__ = ["NOT_COUNTS", "PACK_MIRRORS", "REPUBLISHED", "add_more_table", "pack_mirror"]

STAFF_HALF_UNIT = 0.5
"""An indicator's ``staff`` is the average monthly headcount rounded to a whole number."""

NOT_COUNTS: dict[str, str] = {
    "interventions/its_lines": (
        "monthly values (ratios) of an action's targeted and comparison teams pooled, each "
        "group at least the minimum in every month (analysis.evaluation.series_gate); no "
        "numerator, denominator or count is published, so no linear relation over counts"
    ),
    "interventions/its": (
        "model coefficients (level and slope changes, their errors and p-values) of the "
        "series in its_lines: no count, and not linear in any count"
    ),
    "interventions/its_spc": (
        "SPC limits and signals of the series in its_lines: functions of ratios, no count"
    ),
    **dict.fromkeys(
        ("comments/agreement", "comments/keyword_agreement"),
        "agreement between coders (or keyword hints) on the comments both coded: n_units and "
        "ratios of its cross table (prevalence, share agreeing, kappas). Published only while "
        "comments_coded_by_year shows every year (analysis.comments.report."
        "_agreement_hidden), so its comments are among shown years' counts; counted over "
        "years and codes, not by any group of staff, and comments bound no count of "
        "commenters (a respondent may write several)",
    ),
    **dict.fromkeys(
        ("comments/coding_quality", "comments/coding_learning_curve"),
        "the suggestion model's cross-validated quality over every comment coded by people "
        "(support, predicted, sizes learnt from, and ratios of them). Published only while "
        "comments_coded_by_year shows every year (analysis.comments.report."
        "suggestion_quality_section); not by any group of staff",
    ),
}
"""Tables without a count relation an LP could use, to why (recorded in the manifest)."""

REPUBLISHED: dict[str, tuple[str, tuple[str, ...]]] = {
    "indicators/scorecard": ("indicators/indicator_values", ("indicator_id", "unit")),
    "indicators/role_profiles": ("indicators/indicator_values", ("indicator_id", "unit")),
    "indicators/funnel": ("indicators/indicator_values", ("indicator_id", "unit", "period")),
}
"""A table whose rows republish a source table's rows (same figures, or functions of them),
to the source and the columns matching a row to its source row."""

PACK_MIRRORS = {
    "subgroups": "survey/item_scores",
    "themes": "survey/theme_scores",
    "changes": "survey/changes",
    "response_rates": "survey/response_rates",
    "against_organisation": "survey/group_differences",
    "strongest_weakest": "survey/group_differences",
}
"""A survey pack's table (:mod:`analysis.pack_report`) to the survey table whose columns it
has: rows of that table (or of the group against the rest of the organisation), for one
group and its subgroups."""


def pack_mirror(name: str) -> str | None:
    """The survey table a pack's table (``packs/<column>/<pack>/<name>``) mirrors, if any."""
    parts = name.split("/")
    if len(parts) == 4 and parts[0] == "packs":
        return PACK_MIRRORS.get(parts[3])
    return None


_INDICATOR_TABLE = re.compile(r"^indicators/indicator_values(_directorate|_organisation)?$")
_INDICATOR_COUNTS = {
    "numerator": "indicator_numerator",
    "denominator": "indicator_denominator",
    "staff": "indicator_staff",
}
_CODE_TABLE = re.compile(r"^comments/code_vs_scores(_significant)?$")


def _hidden_row(row: Mapping[str, str]) -> bool:
    """A row the gate hid, by its ``suppressed`` column (machine-readable CSVs); a CSV for
    people marks each hidden figure ``[c]`` instead, read cell by cell (:func:`_count`)."""
    return str(row.get("suppressed", "")).strip().lower() == "true"


def _marked_hidden(row: Mapping[str, str]) -> bool:
    """A hidden row, marked either way: ``suppressed`` true, or any figure ``[c]``."""
    return _hidden_row(row) or any((v or "").strip() == "[c]" for v in row.values())


def _value(text: str | None) -> float | None:
    text = (text or "").strip()
    if text in ("", "[c]") or text.lower() == "nan":
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    value = _value(text)
    return None if value is None else int(value)


def _where(conditions: Mapping[str, tuple[str, ...]]) -> tuple:
    return tuple(sorted((column, tuple(sorted(v))) for column, v in conditions.items()))


def _about(relations: Relations, cell: Cell, value: float, half: float, source: str) -> None:
    """``value - half <= cell <= value + half``: a figure published rounded.

    Written as a percentage of the constant 100 (:class:`Percent` with a number
    denominator), which the audit turns into the two bounds.
    """
    relations.percents.append(Percent(cell, 100.0, value - half, value + half, source))


def _count(
    relations: Relations,
    name: str,
    key: str,
    column: str,
    cell: Cell,
    text: str | None,
    hidden_row: bool,
    *,
    half: float | None = None,
) -> None:
    """A published count (an equality, or an interval when ``half`` is given) or a hidden one."""
    value = None if hidden_row else _value(text)
    if value is None:
        if hidden_row or (text or "").strip() == "[c]":
            relations.hidden.append(Hidden(name, key, column, cell))
        return
    if half is None:
        relations.published.append(Published(cell, value, f"{name}: {key}"))
    else:
        _about(relations, cell, value, max(half, half_unit(text or "")), f"{name}: {key}")


def _percent(
    relations: Relations, name: str, key: str, numerator: Cell, denominator: Cell, text: str
) -> None:
    value = _value(text)
    if value is not None:
        half = half_unit(text)
        relations.percents.append(
            Percent(numerator, denominator, value - half, value + half, f"{name}: {key}")
        )


# --- indicators --------------------------------------------------------------------------


def _indicator_values(
    relations: Relations, name: str, table: list[dict[str, str]], years: Collection[int] | None
) -> None:
    """An indicator's numerator, denominator and staff of each team, directorate or the
    organisation, in its year: three additive counts per ``(year, indicator_id)``."""
    for row in table:
        year = _year(row.get("period"))
        if year is None:  # a hidden or monthly period: not placed
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        if years is not None and year not in years:
            continue
        level, unit = row.get("level", ""), row.get("unit", "")
        conditions = {"team": {"team_id": (unit,)}, "directorate": {"directorate": (unit,)}}
        where = _where(conditions.get(level, {}))
        key = f"{row['indicator_id']}, {year}, {level}={unit}"
        hidden_row = _hidden_row(row) or (row.get("numerator") or "").strip() == "[c]"
        for column, universe in _INDICATOR_COUNTS.items():
            if column not in row or (not hidden_row and _value(row[column]) is None):
                continue  # not about staff: no staff figure
            cell = Cell(universe, (year, row["indicator_id"]), where)
            half = STAFF_HALF_UNIT if column == "staff" else 0.0
            _count(relations, name, key, column, cell, row[column], hidden_row, half=half)


def _appraisal_coverage(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    meta: Mapping,
    year: int,
    years: Collection[int] | None,
) -> None:
    """Staff due an appraisal and appraised, by the table's one dimension (team or staff
    group): partitions of the organisation's staff due in the window."""
    if years is not None and year not in years:
        return
    (dimension,) = meta.get("dimensions") or ["team_id"]
    for row in table:
        where = _where({dimension: (row[dimension],)})
        key = f"{dimension}={row[dimension]}"
        hidden_row = _hidden_row(row) or (row.get("staff_due") or "").strip() == "[c]"
        due = Cell("appraisals", (year,), where)
        appraised = Cell("appraisals", (year,), where, "positive")
        _count(relations, name, key, "staff_due", due, row.get("staff_due"), hidden_row)
        _count(relations, name, key, "appraised", appraised, row.get("appraised"), hidden_row)
        if hidden_row:
            other = Cell("appraisals", (year,), where, "other")
            relations.hidden.append(Hidden(name, key, "staff_due - appraised", other))
        elif "coverage" in row:
            _percent(relations, name, key, appraised, due, row["coverage"])


# --- comments against scores -------------------------------------------------------------


def _code_vs_scores(
    relations: Relations, name: str, table: list[dict[str, str]], years: Collection[int] | None
) -> None:
    """Respondents with a score on a linked item or theme who raised the code, and the
    others: a partition of the item's (theme's) respondents of the year."""
    for row in table:
        year = _year(row.get("year"))
        if year is None:  # no year (a table written before it had one): cannot be placed
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        if years is not None and year not in years:
            continue
        universe = "theme_answers" if row["link"] == "theme" else "answers"
        column = f"code:{row['code_id']}"
        key = f"year={year}, {row['link']}={row['measure']}, code_id={row['code_id']}"
        hidden_row = _hidden_row(row)
        for side, count in (
            ("with", "respondents_with_code"),
            ("without", "respondents_without_code"),
        ):
            cell = Cell(universe, (year, row["measure"]), ((column, (side,)),))
            _count(relations, name, key, count, cell, row.get(count), hidden_row)


# --- equality groups ---------------------------------------------------------------------


def _categories(tables_dir: Path, column: str) -> tuple[str, ...]:
    """The categories of a group column the survey publishes (``survey/item_scores``' groups,
    hidden or not): what a reader knows each equality side is made of."""
    path = tables_dir / "survey" / "item_scores.csv"
    if not path.is_file():
        return ()
    return tuple(sorted({r["group"] for r in read_published(path) if r["group_type"] == column}))


def _equality_groups(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    tables_dir: Path,
    years: Collection[int] | None,
) -> None:
    """Each side of an equality comparison: the answers of the categories it is made of."""
    from analysis.datapackage.equality_sides import COMPARISONS

    sides: dict[tuple[str, str], tuple[str, ...]] = {}
    for comparison in COMPARISONS:
        for category in _categories(tables_dir, comparison.column):
            label = comparison.side(category)
            key = (comparison.column, label)
            sides[key] = (*sides.get(key, ()), category)
    for row in table:
        year = _year(row.get("year"))
        if year is None:
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        if years is not None and year not in years:
            continue
        categories = sides.get((row["comparison"], row["group"]))
        if not categories:
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        where = ((row["comparison"], categories),)
        key = f"year={year}, item_id={row['item_id']}, {row['comparison']}={row['group']}"
        slice_ = (year, row["item_id"])
        hidden_row = _hidden_row(row)
        n, positive = Cell("answers", slice_, where), Cell("answers", slice_, where, "positive")
        _count(relations, name, key, "n", n, row.get("n"), hidden_row)
        _count(relations, name, key, "n_positive", positive, row.get("n_positive"), hidden_row)
        if hidden_row:
            other = Cell("answers", slice_, where, "other")
            relations.hidden.append(Hidden(name, key, "n - n_positive", other))
        else:
            _percent(relations, name, key, positive, n, row.get("pct_positive", ""))


# --- training reactions ------------------------------------------------------------------


def _training_reaction(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    year: int,
    years: Collection[int] | None,
) -> None:
    """Raters of a course's reaction measure, each score's share of them, and those rating
    4 or 5 (the scores' shares added): ``ratings`` per ``(year, course_id, measure)``."""
    if years is not None and year not in years:
        return
    positive: dict[tuple, list[float]] = {}
    for row in table:
        slice_ = (year, row["course_id"], row["measure"])
        key = f"course_id={row['course_id']}, measure={row['measure']}"
        raters = _value(row.get("raters"))
        everyone = Cell("ratings", slice_, ())
        _count(relations, name, key, "raters", everyone, row.get("raters"), _hidden_row(row))
        share, score = _value(row.get("percent")), _value(row.get("score"))
        if raters is None or share is None or score is None:
            continue
        half = half_unit(row["percent"])
        cell = Cell("ratings", slice_, (("score", (row["score"],)),))
        relations.percents.append(
            Percent(cell, raters, share - half, share + half, f"{name}: {key}, score={score:g}")
        )
        if score >= 4:
            low, high = positive.setdefault((slice_, key, raters), [0.0, 0.0])
            positive[(slice_, key, raters)] = [low + share - half, high + share + half]
    for (slice_, key, raters), (low, high) in positive.items():
        cell = Cell("ratings", slice_, (), "positive")
        relations.percents.append(Percent(cell, raters, low, high, f"{name}: {key}, 4 or 5"))


def _training_reaction_cohorts(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    year: int,
    years: Collection[int] | None,
) -> None:
    """Each cohort's raters and those rating 4 or 5: a partition of the course's raters."""
    if years is not None and year not in years:
        return
    for row in table:
        slice_ = (year, row["course_id"], row["measure"])
        where = (("cohort", (row["cohort"],)),)
        key = f"course_id={row['course_id']}, measure={row['measure']}, cohort={row['cohort']}"
        hidden_row = _hidden_row(row) or (row.get("participants") or "") == "[c]"
        n, positive = Cell("ratings", slice_, where), Cell("ratings", slice_, where, "positive")
        _count(relations, name, key, "participants", n, row.get("participants"), hidden_row)
        if hidden_row:
            relations.hidden.append(Hidden(name, key, "4 or 5", positive))
            relations.hidden.append(
                Hidden(name, key, "1 to 3", Cell("ratings", slice_, where, "other"))
            )
        else:
            _percent(relations, name, key, positive, n, row.get("percent_4_or_5", ""))


# --- tables republishing another ---------------------------------------------------------


def _republished(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    tables_dir: Path,
    year: int,
    not_counts: dict[str, str],
) -> None:
    """A table republishing its source's rows: a failure where it shows a row the source hides.

    The shown rows' figures are the source's (or functions of them, such as a funnel
    point's ratio to the organisation): nothing new. A row shown here but hidden in the
    source would publish a hidden figure; it is recorded as a hidden count with no room
    (a range of width 0), so that the audit fails and names it.
    """
    source, columns = REPUBLISHED[name]
    path = tables_dir / f"{source}.csv"
    hidden_in_source: set[tuple[str, ...]] = set()
    if path.is_file():
        for row in read_published(path):
            if _marked_hidden(row):
                hidden_in_source.add(tuple(row.get(c, "") for c in columns))
    shown_hidden = 0
    for row in table:
        match = tuple(row.get(c, "") for c in columns)
        if match in hidden_in_source and not _marked_hidden(row):
            shown_hidden += 1
            key = ", ".join(f"{c}={v}" for c, v in zip(columns, match, strict=True))
            cell = Cell("republished", (_year(row.get("period")) or year, name, key), ())
            relations.published.append(Published(cell, 1.0, f"{name}: {key}"))
            relations.hidden.append(Hidden(name, key, f"shows a row {source} hides", cell))
    not_counts[name] = (
        f"republishes {source} row by row (matched on {', '.join(columns)}); hidden where it "
        f"is (checked: {shown_hidden} rows shown that it hides)"
    )


# --- entry point -------------------------------------------------------------------------


def add_more_table(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    meta: Mapping,
    tables_dir: Path,
    year: int,
    years: Collection[int] | None,
    not_counts: dict[str, str],
) -> bool:
    """Read one published table with the readers of this module.

    Parameters
    ----------
    relations
        Where the table's cells and relations are added.
    name
        ``stage/name`` of the table.
    table, meta
        Its rows as published and its JSON side file.
    tables_dir
        The run's ``tables`` folder (for tables whose rows name another table's).
    year
        The run's year (for tables without a year column).
    years
        Keep only these years' rows (None: all).
    not_counts
        Tables without a count relation, to why: filled for :data:`NOT_COUNTS` and
        :data:`REPUBLISHED` tables.

    Returns
    -------
    bool
        Whether the table was read (or recorded in ``not_counts``).
    """
    if _INDICATOR_TABLE.match(name):
        _indicator_values(relations, name, table, years)
    elif name.startswith("indicators/appraisal_coverage_"):
        _appraisal_coverage(relations, name, table, meta, year, years)
    elif _CODE_TABLE.match(name):
        _code_vs_scores(relations, name, table, years)
    elif name == "survey/equality_groups":
        _equality_groups(relations, name, table, tables_dir, years)
    elif name == "interventions/training_reaction":
        _training_reaction(relations, name, table, year, years)
    elif name == "interventions/training_reaction_cohorts":
        _training_reaction_cohorts(relations, name, table, year, years)
    elif name in REPUBLISHED:
        _republished(relations, name, table, tables_dir, year, not_counts)
    elif name in NOT_COUNTS:
        not_counts[name] = NOT_COUNTS[name]
    else:
        return False
    return True
