"""What each stage has, and lacks, for each survey year: the check command's readiness list.

A data package is valid or not (:mod:`analysis.datapackage.validation`); a valid package
may still lack part of a year, e.g. a new survey year whose comments are not coded yet or
whose indicator months have not arrived. For each stage and year this module lists what is
missing, naming the table, the column and the year, and whether the stage can still report:

* a *gap* is part of the year the stage reports without, saying so in its report (the
  survey without a comparator profile is compared unweighted);
* a *blocker* is something without which the stage cannot report on that year at all.

The stages' needs are declared in :data:`YEARLY_NEEDS` (stage name to the checks of one
year) next to the tables each stage cannot do without at all
(:attr:`analysis.stages.Stage.needs`). :func:`stage_notes` gives a stage's report the same
sentences the check command prints, so a report and ``check`` never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis import stages as stage_registry
from analysis.datapackage.coding_logs import load_codings
from analysis.datapackage.codings import (
    MACHINE_CODERS,
    RECONCILED_CODER,
    choose_coders,
    codings_for_analysis,
)
from analysis.datapackage.coverage import coding_coverage
from analysis.datapackage.indicator_specifications import (
    ORGANISATION_UNIT,
    IndicatorSpecificationError,
    check_against_package,
)
from analysis.datapackage.windows import report_window
from analysis.text_safety import markdown_list

if TYPE_CHECKING:
    from IPython.display import Markdown

    from analysis.datapackage.package import DataPackage

__all__ = [
    "Missing",
    "StageReadiness",
    "YEARLY_NEEDS",
    "describe_readiness",
    "notes_markdown",
    "package_readiness",
    "stage_notes",
    "stage_readiness",
    "year_blockers",
]


@dataclass(frozen=True)
class Missing:
    """One thing a stage lacks for a year.

    Attributes
    ----------
    table
        The table or file (``indicator_values``, ``indicators.yml``).
    column
        The column concerned, or ``""``.
    message
        What is missing and what the stage does without it, for people.
    blocks
        ``True`` when the stage cannot report on the year without it.
    absent
        ``True`` when the package lacks the table or file altogether (a run leaves the
        stage out rather than failing it).
    """

    table: str
    column: str
    message: str
    blocks: bool = False
    absent: bool = False


@dataclass(frozen=True)
class StageReadiness:
    """What one stage has for one year.

    Attributes
    ----------
    stage
        The stage's name.
    year
        The survey year.
    missing
        What it lacks, in the order found.
    """

    stage: str
    year: int
    missing: tuple[Missing, ...]

    @property
    def ready(self) -> bool:
        """Whether the stage can report on the year (nothing blocks it)."""
        return not any(item.blocks for item in self.missing)

    @property
    def complete(self) -> bool:
        """Whether the stage has everything it uses for the year."""
        return not self.missing


_Check = Callable[["DataPackage", int], list[Missing]]


def _rows_of_year(table_name: str) -> _Check:
    """A check that ``table_name`` has rows of the year, without which the stage cannot run."""

    def check(package: DataPackage, year: int) -> list[Missing]:
        table = package.tables.get(table_name)
        if table is None:
            return []  # an absent optional table is the stage's whole-package need
        if not (table["year"] == year).any():
            message = f"no {table_name} rows for {year} (cannot report on it)"
            return [Missing(table_name, "year", message, blocks=True)]
        return []

    return check


def _comparator_profile(package: DataPackage, year: int) -> list[Missing]:
    profile = package.comparator_profile
    if profile is None or "year" not in profile.columns or (profile["year"] == year).any():
        return []
    return [
        Missing(
            "comparator_profile",
            "year",
            f"no comparator_profile rows for {year}: the benchmark is unweighted only",
        )
    ]


def _comparators(package: DataPackage, year: int) -> list[Missing]:
    comparators = package.comparators
    if comparators is None or (comparators["year"] == year).any():
        return []
    return [
        Missing(
            "comparators",
            "year",
            f"no comparators rows for {year}: no comparison with other organisations that year",
        )
    ]


def _value_labels(package: DataPackage, year: int) -> list[Missing]:
    """Where ``responses.sav`` labels an item's code otherwise than its scale does.

    An SPSS file carries its own value labels; the reports label answers from ``scales``.
    When the two disagree (a contractor's file saying 1 = "Never" where the scale says
    "Strongly disagree"), the reports would silently use the scale's words, so ``check``
    names each disagreement. Codes the scale does not hold (user-missing codes, already
    excluded codes) are not compared.
    """
    responses, scales = package.tables.get("responses"), package.tables.get("scales")
    questionnaire = package.tables.get("questionnaire")
    file_labels = {} if responses is None else responses.attrs.get("value_labels", {})
    if not file_labels or scales is None or questionnaire is None:
        return []
    items = questionnaire.loc[questionnaire["year"] == year, ["column", "scale_id"]]
    scale_labels = {
        (str(scale_id), int(code)): str(label)
        for scale_id, code, label in scales[["scale_id", "code", "label"]].itertuples(index=False)
    }
    missing = []
    for column, scale_id in items.itertuples(index=False):
        for code, label in sorted(file_labels.get(column, {}).items()):
            expected = scale_labels.get((str(scale_id), int(code)))
            if expected is not None and expected.strip() != str(label).strip():
                missing.append(
                    Missing(
                        "responses",
                        column,
                        f"the file labels code {int(code)} of column {column!r} "
                        f"{str(label)!r}, but scale {scale_id!r} (scales) says "
                        f"{expected!r}: the reports use the scale's label",
                    )
                )
    return missing


def _codings(package: DataPackage, year: int) -> list[Missing]:
    """The year's comments a person has coded, counted as the comments stage counts them."""
    comments, codings = package.comments, package.codings
    if comments is None or codings is None:
        return []
    logged = load_codings(package.folder)  # the coding widget's logs, as the stage reads them
    every = pd.concat([codings, logged], ignore_index=True)
    so_far = set(comments.loc[comments["year"] <= year, "comment_id"].astype(str))
    people = every[~every["coder"].astype(str).isin(MACHINE_CODERS)]
    by_people = people[
        (people["coder"].astype(str) != RECONCILED_CODER)
        & people["comment_id"].astype(str).isin(so_far)
    ]
    if by_people.empty:  # the stage's choose_coders has no coder to read
        return [
            Missing(
                "codings",
                "coder",
                f"no comment up to {year} has been coded by a person: code some with the "
                "coding widget (docs/annual-cycle.md) first",
                blocks=True,
            )
        ]
    ids = set(comments.loc[comments["year"] == year, "comment_id"].astype(str))
    if not ids:
        return [Missing("comments", "year", f"no comments rows for {year}", blocks=False)]
    primary, _ = choose_coders(people)  # the stage's default: who coded the most comments
    counted = codings_for_analysis(people, primary)
    coverage = coding_coverage(comments[comments["year"] <= year], counted, year)
    if coverage.coded == coverage.comments:
        return []
    coders = ", ".join(f"{coder!r} {count}" for coder, count in coverage.coders)
    return [
        Missing(
            "codings",
            "comment_id",
            f"{coverage.coded} of {coverage.comments} comments of {year} coded"
            + (f" (by {coders})" if coders else "")
            + ": code the rest with the coding widget (docs/annual-cycle.md); until then the "
            "report counts "
            + ("the coded ones" if coverage.coded else "the latest year with coded comments")
            + " and shows the machine's suggestions for the others as suggestions only",
        )
    ]


def _indicator_months(package: DataPackage, year: int) -> list[Missing]:
    values = package.indicator_values
    if values is None or values.empty:
        return []
    window = report_window(package.description.windows["indicators"], year)
    latest = values["month"].max()
    if latest >= window.last:
        return []
    return [
        Missing(
            "indicator_values",
            "month",
            f"no indicator_values after {latest.strftime('%Y-%m')} "
            f"(the {year} window is {window.label}): the report shows the latest "
            "available period",
        )
    ]


def _indicator_specifications(package: DataPackage, year: int) -> list[Missing]:
    model, values, roles = package.indicators, package.indicator_values, package.role_profiles
    if model is None or values is None or roles is None:
        return []
    teams = package.teams
    units = None if teams is None else {ORGANISATION_UNIT, *teams["team_id"], *teams["directorate"]}
    try:
        check_against_package(
            model, set(roles["role_id"]), set(values["indicator_id"]), units=units
        )
    except IndicatorSpecificationError as error:
        return [Missing("indicators.yml", "", problem, blocks=True) for problem in error.problems]
    asked = set(package.questionnaire["item_id"])
    return [
        Missing(
            "indicators.yml",
            "items",
            f"indicator {indicator.id!r}: field 'items': {sorted(set(indicator.items) - asked)} "
            "are not item_id values of any year's questionnaire",
            blocks=True,
        )
        for indicator in model.indicators
        if indicator.source == "survey" and not set(indicator.items) <= asked
    ]


def _appraisals(package: DataPackage, year: int) -> list[Missing]:
    appraisals = package.appraisals
    if appraisals is None or appraisals.empty:
        return []
    window = report_window(package.description.windows["appraisals"], year)
    if not (appraisals["review_date"] <= window.last_day).any():
        return [
            Missing(
                "appraisals",
                "review_date",
                f"no appraisals up to {window.last_day:%Y-%m-%d} (the {year} window is "
                f"{window.label}): the indicators report has no appraisal summary for {year}",
            )
        ]
    if appraisals["review_date"].max() >= window.last.start_time:  # as appraisal_window
        return []
    latest = appraisals["review_date"].max().strftime("%Y-%m-%d")
    return [
        Missing(
            "appraisals",
            "review_date",
            f"no appraisals after {latest} (the {year} window is {window.label}): the report "
            "shows the latest complete appraisal year",
        )
    ]


def _action_plans(package: DataPackage, year: int) -> list[Missing]:
    plans = package.action_plans
    if plans is None:
        return []
    if not (plans["survey_year"] < year).any():
        return [
            Missing(
                "action_plans",
                "survey_year",
                f"no action_plans made before {year} (survey_year before {year}): nothing to "
                "evaluate yet",
                blocks=True,
            )
        ]
    earlier = [y for y in package.description.survey_years if y < year]
    if (plans["survey_year"] == earlier[-1]).any():
        return []
    return [
        Missing(
            "action_plans",
            "survey_year",
            f"no action_plans with survey_year {earlier[-1]}: no actions from last year's "
            "findings to evaluate",
        )
    ]


_SURVEY_FILES: tuple[_Check, ...] = (
    _rows_of_year("questionnaire"),
    _rows_of_year("responses"),
    _rows_of_year("staff"),
)

YEARLY_NEEDS: dict[str, tuple[_Check, ...]] = {
    "data_overview": _SURVEY_FILES,
    "survey": (*_SURVEY_FILES, _comparators, _comparator_profile, _value_labels),
    "comments": (_rows_of_year("responses"), _codings),
    "indicators": (_indicator_specifications, _indicator_months, _appraisals),
    "interventions": (_rows_of_year("responses"), _action_plans),
}
"""Each stage's checks of one year: what it reads from that year, and whether it must."""


def stage_readiness(package: DataPackage, stage: str, year: int) -> StageReadiness:
    """What one stage has and lacks for one survey year.

    Parameters
    ----------
    package
        A loaded (valid) data package.
    stage
        A stage name of :data:`analysis.stages.STAGES`.
    year
        One of the package's survey years.

    Returns
    -------
    StageReadiness
        First the tables and files the stage needs that the package lacks altogether
        (:attr:`analysis.stages.Stage.needs`, blocking), then what the year lacks.
    """
    declared = {s.name: s for s in stage_registry.STAGES}  # looked up now: tests swap it
    if stage not in declared:
        raise ValueError(f"unknown stage {stage!r}; the stages are {', '.join(declared)}")
    missing = [
        Missing(name, "", f"the data package has no {name}", blocks=True, absent=True)
        for name in declared[stage].needs
        if not _present(package, name)
    ]
    if not missing:
        for check in YEARLY_NEEDS.get(stage, ()):
            missing.extend(check(package, year))
    return StageReadiness(stage, year, tuple(missing))


def _present(package: DataPackage, name: str) -> bool:
    if name == "codebook.yml":
        return package.codebook is not None
    if name == "indicators.yml":
        return package.indicators is not None
    return name in package.tables


def package_readiness(
    package: DataPackage, years: Sequence[int] | None = None
) -> list[StageReadiness]:
    """Every stage's readiness for every year (or the years given), year by year."""
    chosen = package.description.survey_years if years is None else years
    return [
        stage_readiness(package, s.name, year) for year in chosen for s in stage_registry.STAGES
    ]


def describe_readiness(readiness: Sequence[StageReadiness]) -> str:
    """The readiness list as the check command prints it: per year, one line per stage.

    A stage is ``ready`` (nothing missing), ``ready with gaps`` (it reports, saying what
    it lacks), ``left out`` (the package lacks a table or file it needs altogether: a run
    leaves it out) or ``cannot report`` (the year lacks something it cannot do without).
    """
    lines = []
    for item in readiness:
        if item.complete:
            state = "ready"
        elif item.ready:
            state = "ready with gaps"
        elif any(missing.absent for missing in item.missing):
            state = "left out"
        else:
            state = "cannot report"
        notes = "; ".join(missing.message for missing in item.missing)
        lines.append(f"  {item.stage} {item.year}: {state}" + (f": {notes}" if notes else ""))
    return "\n".join(lines)


def year_blockers(package: DataPackage, stage: str, year: int) -> list[str]:
    """Why a stage cannot report on ``year`` although the package has every table it needs.

    Only the yearly needs of :data:`YEARLY_NEEDS` are read (a stage unknown there has
    none), so a run can leave such a stage out for that year, saying why, rather than fail.
    """
    return [
        missing.message
        for check in YEARLY_NEEDS.get(stage, ())
        for missing in check(package, year)
        if missing.blocks
    ]


def stage_notes(package: DataPackage, stage: str, year: int) -> list[str]:
    """What a stage's report should say it lacks for the year (empty when complete)."""
    return [missing.message for missing in stage_readiness(package, stage, year).missing]


def notes_markdown(package: DataPackage, stage: str, year: int) -> Markdown:
    """The stage's notes for its report, as Markdown (empty when the year is complete).

    The notes may quote the package's own words (an indicator id), so each is filled in
    and escaped by :func:`analysis.text_safety.markdown_list`.
    """
    notes = stage_notes(package, stage, year)
    before = "**Part of {year} is missing from the data package.**\n\n" if notes else ""
    return markdown_list("- {note}", [{"note": note} for note in notes], before=before, year=year)
