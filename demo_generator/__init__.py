"""The demo organisation's synthetic data package (Northfield Primary Care Trust).

``write_demo(folder)`` writes a complete data package (see ``docs/data-package.md``) for a
fictional primary care trust of about 1,000 staff, with staff surveys 2003-2008, comments,
indicators, action plans, courses and appraisals. Effects are planted with known sizes
(``demo_generator.effects``) and documented in the package's ``README.md`` so that the
analyses can be checked against the truth. Output is byte-identical on every run.

The generator sits beside the runtime package ``analysis``, not in it: ``python -m analysis
demo`` (and a run on the default ``data/demo`` when that folder is missing) and the tests
import it; the reports never do.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from demo_generator.appraisals import appraisal_tables
from demo_generator.codings import codebook_text, codings_table
from demo_generator.comments import Comments, write_comments
from demo_generator.comparators import comparator_profile_table, comparators_table
from demo_generator.effects import SEED
from demo_generator.indicator_specs import indicator_specifications_text
from demo_generator.indicators import indicator_values_table
from demo_generator.interventions import (
    action_plans_table,
    action_reviews_table,
    choose_course_participants,
    course_effect_start_years,
    courses_table,
    training_evaluations_table,
)
from demo_generator.organisation import (
    COMPARATOR_GROUP,
    GROUP_COLUMNS,
    MINIMUM_GROUP_SIZE,
    ORGANISATION_CODE,
    ORGANISATION_NAME,
    POPULATION_SERVED,
    SURVEY_YEARS,
    role_profiles_table,
    teams_table,
)
from demo_generator.questionnaire import questionnaire_table, scales_table
from demo_generator.survey import Survey, run_survey
from demo_generator.workforce import Workforce, build_workforce
from demo_generator.writer import table_to_csv_text, write_text

__all__ = ["DemoPackage", "TABLE_FILES", "build_demo", "dataset_yml", "write_demo"]

TABLE_FILES = (
    "questionnaire",
    "scales",
    "responses",
    "staff",
    "comparators",
    "comparator_profile",
    "comments",
    "codings",
    "teams",
    "indicator_values",
    "action_plans",
    "action_reviews",
    "training_evaluations",
    "courses",
    "role_profiles",
    "staff_list",
    "appraisals",
    "appraisal_objectives",
    "appraisal_skills",
)
"""Every table the demo writes, as ``<name>.csv``."""

_DECIMALS = {"indicator_values": {"numerator": 1, "denominator": 1}}


@dataclass(frozen=True)
class DemoPackage:
    """Everything the demo writes, in memory, plus the truth behind it.

    Attributes
    ----------
    tables
        Table name -> table, as written to ``<name>.csv``.
    codebook
        The text of ``codebook.yml``.
    workforce, survey, comments, course_participants, course_start
        The generator's intermediate results (for README.md and tests): the censuses, the
        respondents' answers with their latent factors, the comments' true codes and planted
        identifiers, the course participants, and team -> first survey year carrying the
        manager course's effect.
    """

    tables: dict[str, pd.DataFrame]
    codebook: str
    workforce: Workforce
    survey: Survey
    comments: Comments
    course_participants: pd.DataFrame
    course_start: dict[str, int]


def _rng(component: str) -> np.random.Generator:
    """An independent, reproducible generator per component (changing one leaves the rest)."""
    return np.random.default_rng([SEED, zlib.crc32(component.encode("utf-8"))])


def build_demo() -> DemoPackage:
    """Generate every table of the demo package in memory (deterministic)."""
    workforce = build_workforce(_rng("workforce"))
    participants = choose_course_participants(_rng("courses"), workforce.staff_list)
    course_start = course_effect_start_years(participants)
    survey = run_survey(_rng("survey"), workforce, course_start)
    comments = write_comments(_rng("comments"), survey.answers)
    appraisals, objectives, skills = appraisal_tables(_rng("appraisals"), workforce.staff_list)
    tables = {
        "questionnaire": questionnaire_table(),
        "scales": scales_table(),
        "responses": survey.responses,
        "staff": workforce.staff,
        "comparators": comparators_table(_rng("comparators"), survey.answers),
        "comparator_profile": comparator_profile_table(_rng("comparator_profile")),
        "comments": comments.comments,
        "codings": codings_table(_rng("codings"), comments.topics),
        "teams": teams_table(),
        "indicator_values": indicator_values_table(_rng("indicators"), workforce),
        "action_plans": action_plans_table(),
        "action_reviews": action_reviews_table(),
        "training_evaluations": training_evaluations_table(_rng("evaluations"), participants),
        "courses": courses_table(),
        "role_profiles": role_profiles_table(),
        "staff_list": workforce.staff_list,
        "appraisals": appraisals,
        "appraisal_objectives": objectives,
        "appraisal_skills": skills,
    }
    return DemoPackage(
        tables=tables,
        codebook=codebook_text(),
        workforce=workforce,
        survey=survey,
        comments=comments,
        course_participants=participants,
        course_start=course_start,
    )


def dataset_yml() -> str:
    """The text of the demo's ``dataset.yml``."""
    years = ", ".join(str(year) for year in SURVEY_YEARS)
    groups = ", ".join(GROUP_COLUMNS)
    return (
        "# The demo organisation, written by `python -m analysis demo`. Synthetic data:\n"
        "# no real person or organisation. See README.md for what was planted.\n"
        f"# Population served: about {POPULATION_SERVED:,} people.\n"
        "organisation:\n"
        f"  name: {ORGANISATION_NAME}\n"
        f'  code: "{ORGANISATION_CODE}"\n'
        f"survey_years: [{years}]\n"
        f"group_columns: [{groups}]\n"
        f"minimum_group_size: {MINIMUM_GROUP_SIZE}\n"
        f"comparator_group: {COMPARATOR_GROUP}\n"
    )


def write_demo(folder: Path | str) -> Path:
    """Write the demo organisation's data package into ``folder``.

    The folder is created if missing. Only the package's own files are (over)written:
    ``dataset.yml``, ``codebook.yml``, ``README.md`` and one CSV per table in
    ``TABLE_FILES``. The output is byte-identical on every run.

    Parameters
    ----------
    folder
        Where to write the package, e.g. ``data/demo``.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> from demo_generator import write_demo
    >>> write_demo("data/demo")  # doctest: +SKIP
    PosixPath('data/demo')
    """
    from demo_generator.readme import readme_text

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} exists and is not a folder; give a folder for the demo package")
    folder.mkdir(parents=True, exist_ok=True)
    package = build_demo()
    write_text(folder / "dataset.yml", dataset_yml())
    write_text(folder / "codebook.yml", package.codebook)
    write_text(folder / "indicators.yml", indicator_specifications_text())
    for name in TABLE_FILES:
        text = table_to_csv_text(package.tables[name], _DECIMALS.get(name))
        write_text(folder / f"{name}.csv", text)
    write_text(folder / "README.md", readme_text(package))
    return folder
