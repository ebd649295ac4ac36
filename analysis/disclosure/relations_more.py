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

Tables counting people no other table counts (:data:`OWN_COUNTS`: matched course
participants, staff by role or objective, respondents of the teams a course trained) are
read as counts of their own, each with the links to other tables it does not make.

A table that republishes another table's figures row by row (the scorecard, funnel points,
role profiles) is checked to show no row its source hides (a row it showed would be one
more equation); tables publishing no figure a linear relation over counts can use are named
with the reason in :data:`NOT_COUNTS`. Both are recorded in the audit's ``not_counts``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from analysis.disclosure.relations import (
    Cell,
    Hidden,
    Percent,
    Published,
    Relations,
    UpperBound,
    half_unit,
    read_published,
)

__all__ = [
    "NOT_COUNTS",
    "OWN_COUNTS",
    "PACK_MIRRORS",
    "REPUBLISHED",
    "add_more_table",
    "pack_mirror",
    "what_it_is",
]

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
    "interventions/evaluation_summary": (
        "estimates, 95% intervals, p-values and verdicts of the actions' and courses' "
        "evaluations (action_outcomes, its, training, training_results), one line each, "
        "hidden where those tables hide them (analysis.evaluation.summary): no count"
    ),
}
"""Tables without a count relation an LP could use, to why (recorded in the manifest)."""

OWN_COUNTS: dict[str, str] = {
    "survey/drivers": (
        "the organisation's respondents answering both the outcome and the predictor: at "
        "most either theme's respondents (theme_scores' organisation row, always shown); "
        "that link is not made"
    ),
    "indicators/appraisal_objectives_by_objective": (
        "staff whose appraisal objectives serve each organisational objective (a person may "
        "serve several, so no partition of the staff list); objectives are not people"
    ),
    "indicators/clear_goals_by_appraisal": (
        "an item's respondents who had an appraisal and who had not (the organisation only): "
        "together at most the item's answers (item_scores); that link is not made"
    ),
    "indicators/skills_gaps_by_role": (
        "staff assessed on a KSF dimension by role (below_required, a part of them, is not "
        "read); no other table counts staff by role"
    ),
    "interventions/action_outcomes": (
        "the smaller of an action's targeted and comparison groups of respondents (units "
        "of at least the minimum); their answers by team are published nowhere else"
    ),
    "interventions/course_trends": (
        "respondents of the teams a course trained and of the teams it did not, by year; "
        "survey answers by team are published nowhere else"
    ),
    "interventions/training": (
        "matched participants of a course's level 2 or 3 ratings (n_unmatched, the others, "
        "is not read); its raters are counted by no other table"
    ),
    "interventions/training_results": (
        "respondents of a course's trained and comparison teams over the years compared; "
        "survey answers by team are published nowhere else"
    ),
}
"""Tables whose count is of people no other table counts, read as counts of their own
(:func:`_own_counts`), to what they count and which link to other tables is not made."""

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


_INDICATOR_COUNTS = {
    "numerator": "indicator_numerator",
    "denominator": "indicator_denominator",
    "staff": "indicator_staff",
}
NOT_PERSON_LEVEL = "not person-level"
"""The gate's :attr:`~analysis.disclosure.gated.GatedTable.structure` of a table it was told
is about no person (its ``disclosure`` gives why)."""


def _shape(meta: Mapping) -> dict[str, set[str]]:
    """What the gate says a table is (its side file, :meth:`GatedTable.metadata`): its count
    column, dimensions, ``for_each`` columns, values and labels, each as a set."""
    return {
        "count": {str(meta["count"])} if meta.get("count") else set(),
        "dimensions": {str(c) for c in meta.get("dimensions") or ()},
        "for_each": {str(c) for c in meta.get("for_each") or ()},
        "values": {str(c) for c in meta.get("values") or ()},
        "labels": {str(c) for c in meta.get("labels") or ()},
    }


def what_it_is(meta: Mapping) -> str | None:
    """Which of this module's readers a table is for, from the gate's metadata alone.

    The table's universe, breakdown (dimensions, ``for_each``) and the columns it counts
    are what the gate recorded in its side file; the file's name plays no part, so a
    renamed table is read the same, and a new one no reader fits is left to the caller to
    list as not covered.

    Returns
    -------
    str or None
        ``"indicator values"``, ``"appraisal coverage"``, ``"code against scores"``,
        ``"equality groups"``, ``"training reaction"``, ``"training reaction cohorts"``,
        ``"code pairs"``, ``"commenters by year"``, ``"commenters by group"``,
        ``"respondents to items"``,
        ``"code share change"``,
        ``"not person-level"``, or None.
    """
    if meta.get("structure") == NOT_PERSON_LEVEL:
        return NOT_PERSON_LEVEL
    shape = _shape(meta)
    count, dimensions, for_each = shape["count"], shape["dimensions"], shape["for_each"]
    if (
        meta.get("structure") == "derived"
        and set(_INDICATOR_COUNTS) <= shape["values"]
        and {"indicator_id", "level", "unit", "period"} <= shape["labels"]
    ):
        return "indicator values"
    if count == {"staff_due"} and "appraised" in shape["values"] and len(dimensions) == 1:
        return "appraisal coverage"
    if count == {"respondents_with_code"} and {"year", "code_id", "link", "measure"} <= for_each:
        return "code against scores"
    if (
        meta.get("universe") == "survey responses"
        and count == {"n"}
        and "n_positive" in shape["values"]
        and dimensions == {"group"}
        and {"year", "item_id", "comparison"} <= for_each
    ):
        return "equality groups"
    if count == {"commenters"} and {"code_a", "code_b"} <= for_each and not dimensions:
        return "code pairs"
    if count == {"commenters"} and for_each == {"year"} and not dimensions:
        return "commenters by year"
    if count == {"commenters"} and len(dimensions) == 1 and "raised" in shape["values"]:
        return "commenters by group"
    if (
        meta.get("structure") == "derived"
        and "code_id" in shape["values"]
        and any(c.startswith("percent_") and _year(c[8:]) for c in shape["values"])
    ):
        return "code share change"
    if (
        meta.get("universe") == "survey responses"
        and count == {"respondents"}
        and len(dimensions) == 1
        and "items" in shape["labels"]
    ):
        return "respondents to items"
    if count == {"raters"} and dimensions == {"score"} and {"course_id", "measure"} <= for_each:
        return "training reaction"
    if (
        count == {"participants"}
        and dimensions == {"cohort"}
        and {"course_id", "measure"} <= for_each
    ):
        return "training reaction cohorts"
    return None


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


# --- the organisation's commenters ----------------------------------------------------


def _codes_by_year(tables_dir: Path) -> dict[int, list[str]]:
    """Each year's codes in ``comments/code_frequencies`` (its ``all`` rows)."""
    path = tables_dir / "comments" / "code_frequencies.csv"
    codes: dict[int, list[str]] = {}
    if path.is_file():
        for row in read_published(path):
            year = _year(row.get("year"))
            if row.get("breakdown") == "all" and year is not None:
                codes.setdefault(year, []).append(row.get("code_id", ""))
    return codes


def _commenters_by_year(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    tables_dir: Path,
    years: Collection[int] | None,
) -> None:
    """A year's commenters (and respondents) in the whole organisation: the commenters of
    every code's ``all`` row of ``code_frequencies`` that year (the same people), and the
    year's respondents. Comments (not people) are not counts of the audit's universes."""
    codes = _codes_by_year(tables_dir)
    for row in table:
        year = _year(row.get("year"))
        if year is None or (years is not None and year not in years):
            continue
        key, hidden_row = f"year={year}", _hidden_row(row)
        for code in codes.get(year, []):
            cell = Cell("commenters", (year, code), ())
            _count(relations, name, key, "commenters", cell, row.get("commenters"), hidden_row)
        if "respondents" in row:
            cell = Cell("respondents", (year,), ())
            _count(relations, name, key, "respondents", cell, row.get("respondents"), hidden_row)


def _commenters_by_group(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    meta: Mapping,
    tables_dir: Path,
    year: int,
    years: Collection[int] | None,
) -> None:
    """The run year's commenters of each group (a row ``All ...`` is the organisation) and
    those raising a code (``raised``, for a row of one code in ``codes``): the cells of
    ``code_frequencies``' breakdown by the same column, so that a group it hides and this
    table shows is caught. Those raising any of several codes are people no other table
    counts (their own cell, at most the commenters)."""
    if years is not None and year not in years:
        return
    (column,) = _shape(meta)["dimensions"]
    codes_of_year = _codes_by_year(tables_dir).get(year, [])
    for row in table:
        group = row.get(column, "")
        where = () if group.startswith("All ") else ((column, (group,)),)
        key, hidden_row = f"{row.get('skill', '')}, {column}={group}", _hidden_row(row)
        for code in codes_of_year:
            cell = Cell("commenters", (year, code), where)
            _count(relations, name, key, "commenters", cell, row.get("commenters"), hidden_row)
        codes = [c.strip() for c in (row.get("codes") or "").split(",") if c.strip()]
        if len(codes) == 1:
            raised = Cell("commenters", (year, codes[0]), where, "positive")
            _count(relations, name, key, "raised", raised, row.get("raised"), hidden_row)


def _respondents_to_items(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    meta: Mapping,
    year: int,
    years: Collection[int] | None,
) -> None:
    """The run year's respondents answering any of a set of items (``items``), by a group
    column (a row ``All ...`` is the organisation): each item's answers of the group are at
    most that many (the training needs' skills by directorate). These people, answering
    any of several items, are counted by no other table: the rows give bounds only."""
    if years is not None and year not in years:
        return
    (column,) = _shape(meta)["dimensions"]
    for row in table:
        value = None if _marked_hidden(row) else _value(row.get("respondents"))
        if value is None:
            continue
        group = row.get(column, "")
        where = () if group.startswith("All ") else ((column, (group,)),)
        source = f"{name}: {row.get('skill', '')}, {column}={group}"
        for item in (i.strip() for i in (row.get("items") or "").split(",")):
            if item:
                cell = Cell("answers", (year, item), where)
                relations.bounds.append(UpperBound(cell, value, source))


def _code_pairs(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    year: int,
    years: Collection[int] | None,
) -> None:
    """The run year's commenters raising both codes of a pair, over the whole organisation:
    a code with itself is its ``all`` row of ``code_frequencies`` (those raising it), and
    each row's commenters are the year's commenters. A pair of two codes counts people no
    other table splits (its own cell)."""
    if years is not None and year not in years:
        return
    for row in table:
        first, second = row.get("code_a", ""), row.get("code_b", "")
        key, hidden_row = f"code_a={first}, code_b={second}", _hidden_row(row)
        commenters = Cell("commenters", (year, first), ())
        _count(relations, name, key, "commenters", commenters, row.get("commenters"), hidden_row)
        both = (
            Cell("commenters", (year, first), (), "positive")
            if first == second
            else Cell("code pairs", (year, *sorted((first, second))), ())
        )
        _count(relations, name, key, "respondents", both, row.get("respondents"), hidden_row)
        _percent(relations, name, key, both, commenters, row.get("percent", ""))


def _code_share_change(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    years: Collection[int] | None,
) -> None:
    """Each code's share of the organisation's commenters in two years (``percent_<year>``):
    the ``all`` rows' percentages of ``code_frequencies``, as percentages of their counts."""
    for row in table:
        code = row.get("code_id", "")
        for column, text in row.items():
            year = _year(column.removeprefix("percent_")) if column.startswith("percent_") else None
            if year is None or (years is not None and year not in years):
                continue
            n = Cell("commenters", (year, code), ())
            positive = Cell("commenters", (year, code), (), "positive")
            _percent(relations, name, f"code_id={code}", positive, n, text or "")


# --- counts of their own -----------------------------------------------------------------


def _own_counts(
    relations: Relations,
    name: str,
    table: list[dict[str, str]],
    meta: Mapping,
    year: int,
    years: Collection[int] | None,
) -> None:
    """A table whose count no other table shares (:data:`OWN_COUNTS`): each row's count in
    a universe of its own, so that a hidden row is bounded by what the table itself shows.

    The slice is the row's year (its ``year`` column, else the run's) with its ``for_each``
    values and every dimension but the first (``course_trends``' year); the first dimension
    is the row's condition, a classification of the table's own (named after it, so that
    two tables' ``group`` columns are not one). The shown rows of a dimension add up to no
    published total here, so no row is worked out from the others unless the table shows
    its own total.
    """
    count = str(meta.get("count") or "")
    dimensions = [str(c) for c in meta.get("dimensions") or ()]
    for_each = [str(c) for c in meta.get("for_each") or () if c != "year"]
    more = [c for c in dimensions[1:] if c != "year"]  # the slice's year is its first key
    for row in table:
        row_year = _year(row.get("year")) if "year" in row else year
        if row_year is None:
            relations.uncovered[name] = relations.uncovered.get(name, 0) + 1
            continue
        if years is not None and row_year not in years:
            continue
        slice_ = (row_year, name, *[row.get(c, "") for c in [*for_each, *more]])
        where = (
            _where({f"{name}:{dimensions[0]}": (row.get(dimensions[0], ""),)}) if dimensions else ()
        )
        key = ", ".join(f"{c}={row.get(c, '')}" for c in [*for_each, *dimensions] if c in row)
        hidden_row = _hidden_row(row) or (row.get(count) or "").strip() == "[c]"
        cell = Cell(name, slice_, where)
        _count(relations, name, key or name, count, cell, row.get(count), hidden_row)


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
        Whether the table was read (or recorded in ``not_counts``). The reader is chosen by
        :func:`what_it_is` from the gate's metadata; only a derived table republishing
        another (:data:`REPUBLISHED`) is known by its name, as the gate records no source,
        and a table of counts of its own (:data:`OWN_COUNTS`), so that a new table is
        listed as not covered until someone decides how it links to the others.
    """
    kind = what_it_is(meta)
    if kind == "indicator values":
        _indicator_values(relations, name, table, years)
    elif kind == "appraisal coverage":
        _appraisal_coverage(relations, name, table, meta, year, years)
    elif kind == "code against scores":
        _code_vs_scores(relations, name, table, years)
    elif kind == "equality groups":
        _equality_groups(relations, name, table, tables_dir, years)
    elif kind == "training reaction":
        _training_reaction(relations, name, table, year, years)
    elif kind == "commenters by year":
        _commenters_by_year(relations, name, table, tables_dir, years)
    elif kind == "commenters by group":
        _commenters_by_group(relations, name, table, meta, tables_dir, year, years)
    elif kind == "respondents to items":
        _respondents_to_items(relations, name, table, meta, year, years)
    elif kind == "code pairs":
        _code_pairs(relations, name, table, year, years)
    elif kind == "code share change":
        _code_share_change(relations, name, table, years)
    elif kind == "training reaction cohorts":
        _training_reaction_cohorts(relations, name, table, year, years)
    elif name in OWN_COUNTS and meta.get("count"):
        _own_counts(relations, name, table, meta, year, years)
    elif name in REPUBLISHED and meta.get("structure") == "derived":
        _republished(relations, name, table, tables_dir, year, not_counts)
    elif kind == NOT_PERSON_LEVEL:
        reason = NOT_COUNTS.get(name) or meta.get("disclosure") or "declared by its stage"
        not_counts[name] = str(reason)
    elif name in NOT_COUNTS and not meta.get("count"):
        not_counts[name] = NOT_COUNTS[name]
    else:
        return False
    return True
