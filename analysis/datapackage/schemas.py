"""The data contract as code: each table's columns, their kinds and allowed values.

The prose version, for people, is ``docs/data-package.md``; the two must agree. Checks
that involve more than one table (foreign keys, codes within an item's scale) live in
:mod:`analysis.datapackage.validation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ColumnKind",
    "ColumnSpec",
    "TableSpec",
    "TABLES",
    "REQUIRED_TABLES",
    "OPTIONAL_TABLES",
    "RESPONSES_FIXED_COLUMNS",
    "KIND_DESCRIPTIONS",
    "PROPOSAL_PLACEHOLDER",
    "responses_spec",
]

PROPOSAL_PLACEHOLDER = "to agree"
"""What a run's ``proposed_actions.csv`` writes where people must decide (the action and its
owner): an ``action_plans`` row still holding it is an unedited proposal, not an action plan,
and is refused (:mod:`analysis.datapackage.validation`)."""

ColumnKind = Literal["text", "integer", "code", "number", "boolean", "codes", "date", "month"]

KIND_DESCRIPTIONS: dict[str, str] = {
    "text": "text",
    "integer": "a whole number",
    "code": "a whole-number code",
    "number": "a number",
    "boolean": "true or false",
    "codes": "whole-number codes separated by semicolons, e.g. 4;5",
    "date": "a date as YYYY-MM-DD, e.g. 2023-04-01",
    "month": "a month as YYYY-MM, e.g. 2023-04",
}
"""How each kind of column is described to the user in problem messages."""


@dataclass(frozen=True)
class ColumnSpec:
    """What one column must hold.

    Parameters
    ----------
    name
        The column's name in the file.
    kind
        ``text``; ``integer`` (int64, or Int64 when blanks are allowed); ``code`` (nullable
        Int64); ``number`` (float64); ``boolean`` (bool); ``codes`` (a semicolon list,
        loaded as a tuple of ints); ``date`` (datetime64); ``month`` (``YYYY-MM``, loaded as
        a pandas ``Period`` of frequency ``M``).
    blank_allowed
        Whether blank cells are allowed (they load as missing values).
    at_least, greater_than, at_most
        Bounds for numeric kinds.
    allowed
        For text, the only values allowed.
    present
        Whether the column must be in the file (``False`` for optional columns).
    """

    name: str
    kind: ColumnKind = "text"
    blank_allowed: bool = False
    at_least: float | None = None
    greater_than: float | None = None
    at_most: float | None = None
    allowed: tuple[str, ...] = ()
    present: bool = True

    def expectation(self) -> str:
        """Describe the allowed values in words, for problem messages."""
        if self.allowed:
            return "one of " + ", ".join(repr(value) for value in self.allowed)
        words = KIND_DESCRIPTIONS[self.kind]
        bounds = []
        if self.at_least is not None:
            bounds.append(f">= {self.at_least:g}")
        if self.greater_than is not None:
            bounds.append(f"> {self.greater_than:g}")
        if self.at_most is not None:
            bounds.append(f"<= {self.at_most:g}")
        return words + (" " + " and ".join(bounds) if bounds else "")


@dataclass(frozen=True)
class TableSpec:
    """What one table must hold.

    Parameters
    ----------
    name
        The table's name: its file is ``<name>.csv`` (or ``.xlsx``, ``.sav``, ``.zsav``,
        ``.parquet``).
    columns
        The columns the contract defines.
    required
        Whether every data package must have this table (it must then have data rows).
    unique
        Keys that must not repeat; the last column of each key is the one named in the
        problem, the others say within what it must be unique.
    year_column
        The column holding a survey year, checked against ``survey_years``.
    """

    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = False
    unique: tuple[tuple[str, ...], ...] = ()
    year_column: str | None = None


_YEAR = ColumnSpec("year", "integer")

RESPONSES_FIXED_COLUMNS = (
    ColumnSpec("respondent_id"),
    _YEAR,
    ColumnSpec("team_id", blank_allowed=True, present=False),
)
"""The columns of ``responses`` other than group columns and questionnaire items."""

_TABLE_LIST = [
    TableSpec(
        "questionnaire",
        (
            _YEAR,
            ColumnSpec("item_id"),
            ColumnSpec("column"),
            ColumnSpec("question_number"),
            ColumnSpec("wording"),
            ColumnSpec("theme"),
            ColumnSpec("scale_id"),
            ColumnSpec("positive_codes", "codes"),
            ColumnSpec("excluded_codes", "codes", blank_allowed=True),
            ColumnSpec("reverse_scored", "boolean"),
            ColumnSpec("comparable_with_previous", "boolean"),
        ),
        required=True,
        unique=(("year", "item_id"), ("year", "column")),
        year_column="year",
    ),
    TableSpec(
        "scales",
        (ColumnSpec("scale_id"), ColumnSpec("code", "integer"), ColumnSpec("label")),
        required=True,
        unique=(("scale_id", "code"),),
    ),
    TableSpec(
        "responses",
        RESPONSES_FIXED_COLUMNS,
        required=True,
        unique=(("year", "respondent_id"),),
        year_column="year",
    ),
    TableSpec(
        "staff",
        (
            _YEAR,
            ColumnSpec("directorate"),
            ColumnSpec("staff_group"),
            ColumnSpec("headcount", "integer", at_least=0),
        ),
        required=True,
        unique=(("year", "directorate", "staff_group"),),
        year_column="year",
    ),
    TableSpec(
        "comparators",
        (
            _YEAR,
            ColumnSpec("organisation_code"),
            ColumnSpec("organisation_name"),
            ColumnSpec("item_id"),
            ColumnSpec("n", "integer", at_least=0),
            ColumnSpec("n_positive", "integer", at_least=0),
        ),
        unique=(("year", "organisation_code", "item_id"),),
        year_column="year",
    ),
    TableSpec(
        "comparator_profile",
        (
            _YEAR,
            ColumnSpec("staff_group"),
            ColumnSpec("headcount", "integer", at_least=0),
        ),
        unique=(("year", "staff_group"),),
        year_column="year",
    ),
    TableSpec(
        "comments",
        (
            ColumnSpec("comment_id"),
            ColumnSpec("respondent_id"),
            _YEAR,
            ColumnSpec("question"),
            ColumnSpec("text"),
        ),
        unique=(("comment_id",),),
        year_column="year",
    ),
    TableSpec(
        "codings",
        (ColumnSpec("comment_id"), ColumnSpec("coder"), ColumnSpec("code_id", blank_allowed=True)),
    ),
    TableSpec(
        "quotes_approved",
        (ColumnSpec("comment_id"), ColumnSpec("approver"), ColumnSpec("date", "date")),
        unique=(("comment_id",),),
    ),
    TableSpec(
        "teams",
        (ColumnSpec("team_id"), ColumnSpec("team_name"), ColumnSpec("directorate")),
        unique=(("team_id",),),
    ),
    TableSpec(
        "indicator_values",
        (
            ColumnSpec("indicator_id"),
            ColumnSpec("team_id"),
            ColumnSpec("month", "month"),
            ColumnSpec("numerator", "number", at_least=0),
            ColumnSpec("denominator", "number", blank_allowed=True, greater_than=0),
        ),
        unique=(("indicator_id", "team_id", "month"),),
    ),
    TableSpec(
        "action_plans",
        (
            ColumnSpec("action_id"),
            ColumnSpec("survey_year", "integer"),
            ColumnSpec("theme"),
            ColumnSpec(
                "finding_type",
                blank_allowed=True,
                allowed=("item", "theme", "code", "indicator"),
                present=False,
            ),
            ColumnSpec("finding_id", blank_allowed=True, present=False),
            ColumnSpec("baseline_value", "number", blank_allowed=True, present=False),
            ColumnSpec("item_id", blank_allowed=True),
            ColumnSpec("indicator_id", blank_allowed=True),
            ColumnSpec("outcome_measures", blank_allowed=True, present=False),
            ColumnSpec("expected_direction", blank_allowed=True, present=False),
            ColumnSpec("directorate"),
            ColumnSpec("team_id", blank_allowed=True, present=False),
            ColumnSpec("action"),
            ColumnSpec("owner_role"),
            ColumnSpec("start_date", "date"),
            ColumnSpec("due_date", "date"),
            ColumnSpec("status", allowed=("planned", "in progress", "done", "dropped")),
        ),
        unique=(("action_id",),),
        year_column="survey_year",
    ),
    TableSpec(
        "action_reviews",
        (
            ColumnSpec("action_id"),
            ColumnSpec("review_date", "date"),
            ColumnSpec("note"),
        ),
        unique=(("action_id", "review_date"),),
    ),
    TableSpec(
        "training_evaluations",
        (
            ColumnSpec("course_id"),
            ColumnSpec("course_name"),
            ColumnSpec("cohort"),
            ColumnSpec("participant_id"),
            ColumnSpec("team_id"),
            ColumnSpec("timepoint", allowed=("pre", "post", "follow_up")),
            ColumnSpec("date", "date"),
            ColumnSpec("measure"),
            ColumnSpec("score", "integer", at_least=1, at_most=5),
            ColumnSpec("rater", allowed=("self", "line_manager"), present=False),
        ),
        unique=(("course_id", "cohort", "participant_id", "measure", "rater", "timepoint"),),
    ),
    TableSpec(
        "courses",
        (
            ColumnSpec("course_id"),
            ColumnSpec("course_name"),
            ColumnSpec("skill"),
            ColumnSpec("objective"),
            ColumnSpec("item_id", blank_allowed=True),
            ColumnSpec("indicator_id", blank_allowed=True),
        ),
    ),
    TableSpec(
        "role_profiles",
        (
            ColumnSpec("role_id"),
            ColumnSpec("role_name"),
            ColumnSpec("staff_group"),
            ColumnSpec("purpose"),
        ),
        unique=(("role_id",),),
    ),
    TableSpec(
        "staff_list",
        (
            ColumnSpec("staff_id"),
            ColumnSpec("team_id"),
            ColumnSpec("role_id"),
            ColumnSpec("staff_group"),
            ColumnSpec("band"),
            ColumnSpec("start_date", "date"),
        ),
        unique=(("staff_id",),),
    ),
    TableSpec(
        "appraisals",
        (
            ColumnSpec("staff_id"),
            ColumnSpec("review_date", "date"),
            ColumnSpec("overall_rating", "integer", at_least=1, at_most=4),
            ColumnSpec("development_action", blank_allowed=True),
        ),
        unique=(("staff_id", "review_date"),),
    ),
    TableSpec(
        "appraisal_objectives",
        (
            ColumnSpec("staff_id"),
            ColumnSpec("review_date", "date"),
            ColumnSpec("objective"),
            ColumnSpec("linked_to"),
        ),
    ),
    TableSpec(
        "appraisal_skills",
        (
            ColumnSpec("staff_id"),
            ColumnSpec("review_date", "date"),
            ColumnSpec("ksf_dimension"),
            ColumnSpec("required_level", "integer", at_least=1, at_most=4),
            ColumnSpec("assessed_level", "integer", at_least=1, at_most=4),
        ),
        unique=(("staff_id", "review_date", "ksf_dimension"),),
    ),
]

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in _TABLE_LIST}
"""Every table of the contract by name. ``responses`` lists only its fixed columns: its
full specification depends on the package (see :func:`responses_spec`)."""

REQUIRED_TABLES = tuple(name for name, spec in TABLES.items() if spec.required)
OPTIONAL_TABLES = tuple(name for name, spec in TABLES.items() if not spec.required)


def responses_spec(group_columns: tuple[str, ...], item_columns: tuple[str, ...]) -> TableSpec:
    """Return the specification of ``responses`` for one data package.

    Parameters
    ----------
    group_columns
        ``group_columns`` from ``dataset.yml``: text, blank meaning "not stated".
    item_columns
        Every ``column`` named in the questionnaire (any year): nullable codes.

    Returns
    -------
    TableSpec
        The fixed columns, then the group columns, then the item columns.
    """
    fixed = {spec.name for spec in RESPONSES_FIXED_COLUMNS}
    groups = tuple(
        ColumnSpec(name, blank_allowed=True) for name in group_columns if name not in fixed
    )
    taken = fixed | set(group_columns)
    items = tuple(
        ColumnSpec(name, "code", blank_allowed=True) for name in item_columns if name not in taken
    )
    base = TABLES["responses"]
    return TableSpec(
        base.name,
        base.columns + groups + items,
        required=True,
        unique=base.unique,
        year_column=base.year_column,
    )
