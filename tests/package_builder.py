"""Write a small, valid data package into a folder, for tests to break one way each.

``minimal_tables()`` returns the tables as object-dtype DataFrames of plain Python values,
so a test can put any bad value into any cell; ``write_package`` writes them with
``dataset.yml`` and ``codebook.yml`` in one of the four table formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

__all__ = [
    "DATE_COLUMNS",
    "minimal_description",
    "minimal_codebook",
    "minimal_tables",
    "write_package",
    "write_table",
]

DATE_COLUMNS = ("start_date", "due_date", "date", "review_date")
"""Columns written as real dates (not text) in .xlsx, .sav and .parquet files."""

AGREE5 = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}
YES_NO_DK = {1: "Yes", 2: "No", 9: "Don't know"}


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})


def minimal_description() -> dict[str, Any]:
    """Return the content of a valid ``dataset.yml``."""
    return {
        "organisation": {"name": "Testfield Primary Care Trust", "code": "5TF"},
        "survey_years": [2022, 2023],
        "group_columns": ["directorate", "staff_group"],
        "minimum_group_size": 11,
        "comparator_group": "Primary care trusts",
    }


def minimal_codebook() -> list[dict[str, Any]]:
    """Return the content of a valid ``codebook.yml``: one theme with two codes."""
    return [
        {
            "id": "resources",
            "label": "Resources",
            "definition": "Staffing and workload",
            "codes": [
                {"id": "workload", "label": "Workload", "keywords": ["busy", "workload"]},
                {"id": "staffing", "label": "Staffing", "keywords": ["short-staffed"]},
            ],
        }
    ]


REQUIRED = ("questionnaire", "scales", "responses", "staff")
REFERS_TO = {
    "responses": ("teams",),
    "codings": ("comments",),
    "quotes_approved": ("comments",),
    "indicator_values": ("teams",),
    "training_evaluations": ("staff_list", "teams"),
    "staff_list": ("teams", "role_profiles"),
    "appraisals": ("staff_list",),
    "appraisal_objectives": ("appraisals",),
    "appraisal_skills": ("appraisals",),
}
"""The optional tables each table's foreign keys need."""


def minimal_tables(*wanted: str) -> dict[str, pd.DataFrame]:
    """Return the tables of a small valid package (2022: 4 respondents, 2023: 5).

    Items: ``q1`` (agree5, both years), ``q2`` (yes/no/don't know, both years) and
    ``q3`` (agree5, reverse scored, new in 2023).

    Parameters
    ----------
    wanted
        When given, only the required tables, these tables and the tables they refer to
        (still a valid package, and quicker to load); by default every table.
    """
    tables = _all_tables()
    if not wanted:
        return tables
    keep: set[str] = set()
    pending = [*REQUIRED, *wanted]
    while pending:
        name = pending.pop()
        if name not in keep:
            keep.add(name)
            pending.extend(REFERS_TO.get(name, ()))
    return {name: table for name, table in tables.items() if name in keep}


def _all_tables() -> dict[str, pd.DataFrame]:
    scales = _frame(
        {
            "scale_id": ["agree5"] * 5 + ["yes_no_dk"] * 3,
            "code": [*AGREE5, *YES_NO_DK],
            "label": [*AGREE5.values(), *YES_NO_DK.values()],
        }
    )
    questionnaire = _frame(
        {
            "year": [2022, 2022, 2023, 2023, 2023],
            "item_id": [
                "enthusiastic",
                "appraisal_had",
                "enthusiastic",
                "appraisal_had",
                "pressure",
            ],
            "column": ["q1", "q2", "q1", "q2", "q3"],
            "question_number": ["Q1", "Q2", "Q1", "Q2a", "Q3"],
            "wording": [
                "I look forward to going to work",
                "Have you had an appraisal?",
                "I look forward to going to work",
                "In the last 12 months, have you had an appraisal?",
                "I am under unrealistic time pressures",
            ],
            "theme": ["Engagement", "Appraisal", "Engagement", "Appraisal", "Workload"],
            "scale_id": ["agree5", "yes_no_dk", "agree5", "yes_no_dk", "agree5"],
            "positive_codes": ["4;5", "1", "4;5", "1", "1;2"],
            "excluded_codes": [None, "9", None, "9", None],
            "reverse_scored": [False, False, False, False, True],
            "comparable_with_previous": [True, True, True, False, False],
        }
    )
    responses = _frame(
        {
            "respondent_id": ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "B5"],
            "year": [2022] * 4 + [2023] * 5,
            "directorate": ["Community", "Community", "Corporate", None]
            + ["Community"] * 3
            + ["Corporate"] * 2,
            "staff_group": [
                "Nursing",
                "Nursing",
                "Admin",
                "Admin",
                "Nursing",
                "Nursing",
                "Admin",
                "Admin",
                "Admin",
            ],
            "team_id": ["T1", "T1", "T2", None, "T1", "T1", "T1", "T2", "T2"],
            "q1": [5, 4, None, 2, 1, 3, 4, 5, 4],
            "q2": [1, 2, 9, 1, 1, 1, 2, None, 9],
            "q3": [None, None, None, None, 1, 2, 5, 4, None],
        }
    )
    staff = _frame(
        {
            "year": [2022, 2022, 2022, 2023, 2023, 2023],
            "directorate": ["Community", "Community", "Corporate"] * 2,
            "staff_group": ["Nursing", "Admin", "Admin"] * 2,
            "headcount": [10, 4, 6, 12, 3, 5],
        }
    )
    comparators = _frame(
        {
            "year": [2022, 2023, 2023],
            "organisation_code": ["5AA", "5AA", "5BB"],
            "organisation_name": ["Alpha PCT", "Alpha PCT", "Beta PCT"],
            "item_id": ["enthusiastic", "enthusiastic", "pressure"],
            "n": [300, 310, 250],
            "n_positive": [150, 160, 80],
        }
    )
    comparator_profile = _frame(
        {
            "year": [2022, 2022, 2023, 2023],
            "staff_group": ["Nursing", "Admin"] * 2,
            "headcount": [400, 150, 420, 160],
        }
    )
    comments = _frame(
        {
            "comment_id": ["C1", "C2", "C3"],
            "respondent_id": ["A1", "B2", "B5"],
            "year": [2022, 2023, 2023],
            "question": ["What would most improve your working life?"] * 3,
            "text": ["We are always short-staffed.", "More time with patients.", "Café – £5"],
        }
    )
    codings = _frame(
        {
            "comment_id": ["C1", "C2", "C3"],
            "coder": ["AB", "AB", "CD"],
            "code_id": ["staffing", None, "workload"],
        }
    )
    quotes_approved = _frame({"comment_id": ["C3"], "approver": ["JS"], "date": ["2024-05-01"]})
    teams = _frame(
        {
            "team_id": ["T1", "T2"],
            "team_name": ["District nursing north", "Finance"],
            "directorate": ["Community", "Corporate"],
        }
    )
    indicator_values = _frame(
        {
            "indicator_id": ["sickness_absence"] * 3 + ["complaints"],
            "team_id": ["T1", "T1", "T2", "T1"],
            "month": ["2023-01", "2023-02", "2023-01", "2023-01"],
            "numerator": [12.5, 9, 3, 2],
            "denominator": [400, 380, 200, None],
        }
    )
    action_plans = _frame(
        {
            "action_id": ["AP1"],
            "survey_year": [2022],
            "theme": ["Appraisal"],
            "item_id": ["appraisal_had"],
            "indicator_id": [None],
            "directorate": ["All"],
            "action": ["Train managers in appraisal conversations"],
            "owner_role": ["Head of HR"],
            "start_date": ["2023-01-09"],
            "due_date": ["2023-06-30"],
            "status": ["in progress"],
        }
    )
    training_evaluations = _frame(
        {
            "course_id": ["PM1", "PM1"],
            "course_name": ["People management"] * 2,
            "cohort": ["2023a"] * 2,
            "participant_id": ["S0001", "S0001"],
            "team_id": ["T1", "T1"],
            "timepoint": ["pre", "post"],
            "date": ["2023-02-01", "2023-04-01"],
            "measure": ["confidence_giving_feedback"] * 2,
            "score": [2, 4],
        }
    )
    action_reviews = _frame(
        {
            "action_id": ["AP1"],
            "review_date": ["2023-03-31"],
            "note": ["Half of the managers trained."],
        }
    )
    courses = _frame(
        {
            "course_id": ["PM1"],
            "course_name": ["People management"],
            "skill": ["communication"],
            "objective": ["Give regular feedback"],
            "item_id": ["enthusiastic"],
            "indicator_id": [None],
        }
    )
    role_profiles = _frame(
        {
            "role_id": ["DN", "FO"],
            "role_name": ["District nurse", "Finance officer"],
            "staff_group": ["Nursing", "Admin"],
            "purpose": ["Care for patients at home", "Pay suppliers on time"],
        }
    )
    staff_list = _frame(
        {
            "staff_id": ["S0001", "S0002"],
            "team_id": ["T1", "T2"],
            "role_id": ["DN", "FO"],
            "staff_group": ["Nursing", "Admin"],
            "band": ["Band 6", "Band 4"],
            "start_date": ["2019-04-01", "2021-09-13"],
        }
    )
    appraisals = _frame(
        {
            "staff_id": ["S0001", "S0002"],
            "review_date": ["2023-05-02", "2023-05-03"],
            "overall_rating": [3, 4],
            "development_action": ["Lead a huddle", None],
        }
    )
    appraisal_objectives = _frame(
        {
            "staff_id": ["S0001"],
            "review_date": ["2023-05-02"],
            "objective": ["Reduce missed visits"],
            "linked_to": ["missed_visits"],
        }
    )
    appraisal_skills = _frame(
        {
            "staff_id": ["S0001", "S0001"],
            "review_date": ["2023-05-02", "2023-05-02"],
            "ksf_dimension": ["Communication", "Service improvement"],
            "required_level": [3, 2],
            "assessed_level": [3, 1],
        }
    )
    return {
        "questionnaire": questionnaire,
        "scales": scales,
        "responses": responses,
        "staff": staff,
        "comparators": comparators,
        "comparator_profile": comparator_profile,
        "comments": comments,
        "quotes_approved": quotes_approved,
        "codings": codings,
        "teams": teams,
        "indicator_values": indicator_values,
        "action_plans": action_plans,
        "action_reviews": action_reviews,
        "training_evaluations": training_evaluations,
        "courses": courses,
        "role_profiles": role_profiles,
        "staff_list": staff_list,
        "appraisals": appraisals,
        "appraisal_objectives": appraisal_objectives,
        "appraisal_skills": appraisal_skills,
    }


def write_table(folder: Path, name: str, table: pd.DataFrame, fmt: str = "csv") -> Path:
    """Write one table as ``<name>.<fmt>`` (csv, xlsx, sav or parquet) and return its path.

    In .xlsx, .sav and .parquet files the ``DATE_COLUMNS`` are real dates and the other
    columns take their natural types; the responses' item columns get SPSS value labels.
    """
    path = Path(folder) / f"{name}.{fmt}"
    if fmt == "csv":
        table.to_csv(path, index=False)
        return path
    typed = table.copy()
    for column in typed.columns:
        if column in DATE_COLUMNS:
            typed[column] = pd.to_datetime(typed[column], format="%Y-%m-%d")
        elif typed[column].map(lambda value: isinstance(value, str)).any():
            typed[column] = typed[column].astype("str")
        else:
            typed[column] = pd.to_numeric(typed[column]) if fmt != "xlsx" else typed[column]
    if fmt == "xlsx":
        typed.to_excel(path, index=False)
    elif fmt == "parquet":
        typed.to_parquet(path, index=False)
    elif fmt == "sav":
        _write_sav(typed, path, name)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected csv, xlsx, sav or parquet")
    return path


def _write_sav(table: pd.DataFrame, path: Path, name: str) -> None:
    import pyreadstat

    for column in table.columns:
        if table[column].dtype == "str":
            table[column] = table[column].astype(object).where(table[column].notna(), "")
        elif table[column].dtype == bool:
            table[column] = table[column].astype(int)
    labels = {}
    if name == "responses":
        labels = {"q1": AGREE5, "q2": YES_NO_DK, "q3": AGREE5}
    pyreadstat.write_sav(table, str(path), variable_value_labels=labels)


def write_package(
    folder: Path,
    tables: dict[str, pd.DataFrame] | None = None,
    description: dict[str, Any] | None = None,
    codebook: list[dict[str, Any]] | None = None,
    fmt: str = "csv",
) -> Path:
    """Write a data package (by default the minimal valid one) and return its folder.

    Parameters
    ----------
    folder
        Created if needed.
    tables, description, codebook
        Defaults: :func:`minimal_tables`, :func:`minimal_description`,
        :func:`minimal_codebook`.
    fmt
        The format of every table: ``csv``, ``xlsx``, ``sav`` or ``parquet``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    description = minimal_description() if description is None else description
    codebook = minimal_codebook() if codebook is None else codebook
    (folder / "dataset.yml").write_text(yaml.safe_dump(description, sort_keys=False))
    (folder / "codebook.yml").write_text(yaml.safe_dump(codebook, sort_keys=False))
    for name, table in (minimal_tables() if tables is None else tables).items():
        write_table(folder, name, table, fmt)
    return folder


def comments_package(
    folder: Path, *, years: list[int], minimum: int, double_code: bool = False
) -> Path:
    """The minimal package's comments and codings, cut to ``years``, written to ``folder``.

    Comments C1 (2022, respondent A1), C2 and C3 (2023, respondents B2 and B5); coder AB
    coded C1 and C2 (C2 with no code), coder CD coded C3 (``workload``).

    Parameters
    ----------
    folder
        Where the package is written.
    years
        The survey years kept (``survey_years`` of ``dataset.yml``).
    minimum
        The package's ``minimum_group_size``.
    double_code
        AB codes C3 too (``workload``), so both coders read C3.
    """
    kept = {}
    for name, table in minimal_tables("comments", "codings").items():
        if "year" in table.columns:
            table = table[table["year"].isin(years)].reset_index(drop=True)
        kept[name] = table
    ids = set(kept["comments"]["comment_id"])
    kept["codings"] = kept["codings"][kept["codings"]["comment_id"].isin(ids)]
    if double_code:
        extra = pd.DataFrame({"comment_id": ["C3"], "coder": ["AB"], "code_id": ["workload"]})
        kept["codings"] = pd.concat([kept["codings"], extra.astype(object)], ignore_index=True)
    description = minimal_description()
    description["survey_years"] = years
    description["minimum_group_size"] = minimum
    return write_package(folder, kept, description)
