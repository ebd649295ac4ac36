"""Validating a whole data package: each table against the contract, then across tables.

Cross-table checks are vectorised (``isin`` on keys, one mask per item column and year)
so a national-size package stays quick; only the messages of the problems actually
listed are formatted one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.datapackage.codebook import Codebook, survey_link_problems
from analysis.datapackage.conversion import quote_cell
from analysis.datapackage.description import DatasetDescription
from analysis.datapackage.indicator_specifications import PerformanceModel
from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.schemas import (
    PROPOSAL_PLACEHOLDER,
    TABLES,
    TableSpec,
    responses_spec,
)
from analysis.datapackage.table_checks import check_table, check_unique
from analysis.datapackage.user_missing import honour_user_missing

__all__ = ["validate_tables", "check_across_tables"]

_RESPONSES_HINT = (
    "responses may hold only respondent_id, year, team_id, the group_columns of "
    "dataset.yml and the columns named in questionnaire; add it to group_columns in "
    "dataset.yml, or remove it"
)


def validate_tables(
    raw: dict[str, pd.DataFrame],
    files: dict[str, str],
    description: DatasetDescription | None,
    codebook: Codebook | None,
    log: ProblemLog,
    *,
    codebook_found: bool = False,
    indicators: PerformanceModel | None = None,
    indicators_found: bool = False,
    user_missing: dict[str, dict[int, str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Check and convert every table, then check the tables against each other.

    Parameters
    ----------
    raw
        Table name to its raw cells, for the tables that could be read.
    files
        Table name to its file's name, for problems: every table found, including those
        that could not be read (their problems are already reported, so checks that refer
        to them are skipped).
    description
        The checked ``dataset.yml``, or ``None`` when it has problems (checks that need it
        are then skipped).
    codebook
        The checked ``codebook.yml``, or ``None``.
    log
        Receives every problem found.
    codebook_found
        Whether ``codebook.yml`` exists (when it does but ``codebook`` is ``None``, its
        problems are reported already and codings are not checked against it).
    indicators, indicators_found
        The checked ``indicators.yml`` (or ``None``) and whether the file exists, for the
        outcome measures named in ``action_plans`` and ``courses``.
    user_missing
        Per ``responses`` column, the codes its SPSS file declares user-missing, with their
        labels: they become excluded codes of the column's items and codes of their scales
        (:func:`analysis.datapackage.user_missing.honour_user_missing`) before the answers
        are checked against the scales.

    Returns
    -------
    dict of str to pandas.DataFrame
        The converted tables, indexed by 0-based data row as read.
    """
    tables: dict[str, pd.DataFrame] = {}
    for name in (name for name in TABLES if name in raw):  # questionnaire before responses
        spec, sources, hint = TABLES[name], None, None
        if name == "responses":
            spec, sources, hint = _responses_contract(tables.get("questionnaire"), description)
        tables[name] = check_table(
            raw[name],
            spec,
            files[name],
            log,
            column_sources=sources,
            extra_columns_hint=hint,
        )
    tables = honour_user_missing(tables, user_missing or {})
    check_across_tables(
        tables,
        files,
        description,
        codebook,
        log,
        codebook_found=codebook_found,
        indicators=indicators,
        indicators_found=indicators_found,
    )
    return tables


def _responses_contract(
    questionnaire: pd.DataFrame | None, description: DatasetDescription | None
) -> tuple[TableSpec, dict[str, str], str | None]:
    groups = description.group_columns if description else ()
    items = _usable(questionnaire, "year", "item_id", "column")
    if items is None:
        return responses_spec(groups, ()), {}, None
    items = items.dropna(subset=["column"]).drop_duplicates("column")
    sources = {
        column: f"named in questionnaire for item '{item}' in {year}"
        for column, item, year in zip(items["column"], items["item_id"], items["year"], strict=True)
    }
    for name in groups:
        sources[name] = "a group column of dataset.yml"
    hint = _RESPONSES_HINT if description else None
    return responses_spec(groups, tuple(items["column"])), sources, hint


def _usable(table: pd.DataFrame | None, *columns: str) -> pd.DataFrame | None:
    """Return the table when it exists and has all the columns, else ``None``."""
    if table is None or not set(columns) <= set(table.columns):
        return None
    return table


def check_across_tables(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    description: DatasetDescription | None,
    codebook: Codebook | None,
    log: ProblemLog,
    *,
    codebook_found: bool = False,
    indicators: PerformanceModel | None = None,
    indicators_found: bool = False,
) -> None:
    """Check what involves more than one table, or a table and ``dataset.yml``.

    Parameters are as for :func:`validate_tables`, with ``tables`` already converted.
    """
    if description is not None:
        _check_years(tables, files, description, log)
        _check_comparator_group(tables, description, log)
    _check_questionnaire(tables, files, description, log)
    _check_response_codes(tables, files, log)
    _check_headcounts(tables, files, log)
    _check_comparator_counts(tables, files, log)
    if codebook is not None or not codebook_found:
        _check_codings(tables, files, codebook, log)
    _check_codebook_links(tables, files, codebook, log)
    for table, columns, target, target_columns, what in _REFERENCES:
        _check_reference(tables, files, log, table, columns, target, target_columns, what)
    _check_group_labels(tables, files, log)
    if indicators is not None or not indicators_found:
        for table in ("action_plans", "courses"):
            _check_indicator_ids(tables, files, table, indicators, log)
    _check_review_after_start(tables, files, log)
    _check_unedited_proposals(tables, files, log)
    if (codebook is not None or not codebook_found) and (
        indicators is not None or not indicators_found
    ):
        _check_action_findings_and_outcomes(tables, files, codebook, indicators, log)
    _check_course_register(tables, files, log)
    _check_action_teams(tables, files, log)
    if indicators is not None:
        _check_appraisal_links(tables, files, indicators, log)


def _check_years(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    description: DatasetDescription,
    log: ProblemLog,
) -> None:
    years = description.survey_years
    listed = ", ".join(str(year) for year in years)
    for name, table in tables.items():
        column = TABLES[name].year_column
        if column is None or column not in table.columns:
            continue
        values = table[column]
        other = values.notna() & ~values.isin(years)
        if not other.any():
            continue
        log.add_rows(
            files[name],
            column,
            "year not surveyed",
            table.index[other],
            lambda index, values=values: (
                f"{values[index]} is not one of the survey_years in dataset.yml ({listed})"
            ),
        )
        table[column] = values.mask(other)  # so later checks do not report these rows again
    for name in ("questionnaire", "responses"):
        table = _usable(tables.get(name), "year")
        if table is None:
            continue
        for year in sorted(set(years) - set(table["year"].dropna())):
            log.add(
                files[name],
                f"no rows for {year}, which dataset.yml lists in survey_years",
                column="year",
            )


def _check_comparator_group(
    tables: dict[str, pd.DataFrame], description: DatasetDescription, log: ProblemLog
) -> None:
    if "comparators" in tables and not description.comparator_group:
        log.add(
            "dataset.yml",
            "missing key 'comparator_group' (the name of the comparator group, e.g. "
            "'Primary care trusts'), needed because the package has a comparators table",
        )


def _check_questionnaire(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    description: DatasetDescription | None,
    log: ProblemLog,
) -> None:
    questionnaire = tables.get("questionnaire")
    if questionnaire is None:
        return
    file = files["questionnaire"]
    if description is not None and "column" in questionnaire.columns:
        reserved = {"respondent_id", "year", "team_id", *description.group_columns}
        clash = questionnaire["column"].isin(reserved)
        log.add_rows(
            file,
            "column",
            "reserved column",
            questionnaire.index[clash],
            lambda index: (
                f"{quote_cell(questionnaire.at[index, 'column'])} is not an item column "
                "(it is respondent_id, year, team_id or a group column); expected the "
                "responses column holding this item's answers"
            ),
        )
    items = _usable(questionnaire, "scale_id", "positive_codes", "excluded_codes")
    scales = _usable(tables.get("scales"), "scale_id", "code")
    if items is None or scales is None:
        return
    scale_file = files["scales"]
    known = items["scale_id"].isin(scales["scale_id"])
    log.add_rows(
        file,
        "scale_id",
        "unknown scale",
        items.index[items["scale_id"].notna() & ~known],
        lambda index: (
            f"{quote_cell(items.at[index, 'scale_id'])} is not a scale_id in {scale_file}"
        ),
    )
    codes = scales.dropna(subset=["code"]).groupby("scale_id")["code"].agg(frozenset)
    for column in ("positive_codes", "excluded_codes"):
        outside = [
            index
            for index, scale, listed in zip(
                items.index, items["scale_id"], items[column], strict=True
            )
            if scale in codes.index and not set(listed) <= codes[scale]
        ]
        log.add_rows(
            file,
            column,
            "code not in scale",
            outside,
            lambda index, column=column: _codes_outside_scale(items, index, column, codes),
        )
    both = [
        index
        for index, positive, excluded in zip(
            items.index, items["positive_codes"], items["excluded_codes"], strict=True
        )
        if set(positive) & set(excluded)
    ]
    log.add_rows(
        file,
        "excluded_codes",
        "positive and excluded",
        both,
        lambda index: (
            "a code cannot be both positive and excluded; expected codes not "
            f"in positive_codes {_codes_text(items.at[index, 'positive_codes'])}"
        ),
    )


def _codes_outside_scale(items: pd.DataFrame, index: int, column: str, codes: pd.Series) -> str:
    scale = items.at[index, "scale_id"]
    listed = items.at[index, column]
    outside = [code for code in listed if code not in codes[scale]]
    return (
        f"code(s) {_codes_text(outside)} are not in scale '{scale}'; expected codes among "
        f"{_codes_text(sorted(codes[scale]))}"
    )


def _codes_text(codes: Iterable[int]) -> str:
    return ";".join(str(code) for code in codes)


def _check_response_codes(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    responses = _usable(tables.get("responses"), "year")
    items = _usable(tables.get("questionnaire"), "year", "item_id", "column", "scale_id")
    scales = _usable(tables.get("scales"), "scale_id", "code")
    if responses is None or items is None or scales is None:
        return
    if log.has_problems(files["questionnaire"], ("year", "column", "scale_id")) or (
        log.has_problems(files["scales"], ("scale_id", "code"))
    ):
        return  # fix those first: answers would look wrong only because of them
    file = files["responses"]
    asked = items.dropna(subset=["year", "column"]).drop_duplicates(["year", "column"])
    codes = scales.dropna(subset=["code"]).groupby("scale_id")["code"].agg(sorted)
    scale_of = asked.set_index(["column", "year"])[["scale_id", "item_id"]]
    allowed = {
        (column, year): np.array(codes[scale_id], dtype="float64")
        for column, year, scale_id in zip(
            asked["column"], asked["year"], asked["scale_id"], strict=True
        )
        if scale_id in codes.index
    }
    years = responses["year"].to_numpy(dtype="float64", na_value=np.nan)
    in_year = {year: years == year for year in np.unique(years[~np.isnan(years)])}
    for column, asked_in in asked.groupby("column")["year"].agg(list).items():
        if column not in responses.columns:
            continue
        values = responses[column].to_numpy(dtype="float64", na_value=np.nan)
        answered = ~np.isnan(values)
        if not answered.any():
            continue
        log.add_rows(
            file,
            column,
            "not asked",
            responses.index[answered & ~np.isnan(years) & ~np.isin(years, asked_in)],
            lambda index, column=column: (
                f"code {responses.at[index, column]} but questionnaire has no item in "
                f"column '{column}' for {responses.at[index, 'year']}; expected a blank cell"
            ),
        )
        outside = np.zeros(len(values), dtype=bool)
        for year in asked_in:
            if (column, year) in allowed and year in in_year:
                codes_allowed = allowed[(column, year)]
                outside |= in_year[year] & answered & ~np.isin(values, codes_allowed)
        log.add_rows(
            file,
            column,
            "code not in scale",
            responses.index[outside],
            lambda index, column=column: _code_outside_scale(
                responses, index, column, scale_of, codes
            ),
        )


def _code_outside_scale(
    responses: pd.DataFrame,
    index: int,
    column: str,
    scale_of: pd.DataFrame,
    codes: pd.Series,
) -> str:
    year = responses.at[index, "year"]
    scale_id, item_id = scale_of.loc[(column, year), ["scale_id", "item_id"]]
    return (
        f"code {responses.at[index, column]} is not in scale '{scale_id}' of item "
        f"'{item_id}' in {year}; expected one of {_codes_text(codes[scale_id])} or a blank cell"
    )


def _check_headcounts(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    cell = ["year", "directorate", "staff_group"]
    responses = _usable(tables.get("responses"), *cell)
    staff = _usable(tables.get("staff"), *cell, "headcount")
    if responses is None or staff is None or log.has_problems(files["staff"], tuple(cell)):
        return
    stated = responses.dropna(subset=cell)
    respondents = stated.groupby(cell).size().rename("respondents")
    first_row = stated.reset_index().groupby(cell)["index"].min()
    listed = staff.dropna(subset=cell).drop_duplicates(cell)
    joined = listed.join(respondents, on=cell, how="left")
    over = joined["respondents"].notna() & (joined["respondents"] > joined["headcount"])
    log.add_rows(
        files["staff"],
        "headcount",
        "fewer staff than respondents",
        joined.index[over.fillna(False).astype(bool)],
        lambda index: (
            f"headcount {joined.at[index, 'headcount']} is less than the "
            f"{int(joined.at[index, 'respondents'])} respondents in {files['responses']} for "
            f"{_cell_text(joined.loc[index])}; expected at least as many staff as respondents"
        ),
    )
    unlisted = respondents.index.difference(pd.MultiIndex.from_frame(listed[cell]))
    rows = sorted(first_row[unlisted].tolist())
    log.add_rows(
        files["responses"],
        "directorate",
        "no headcount",
        rows,
        lambda index: (
            f"{_cell_text(responses.loc[index])} has no headcount in {files['staff']}; "
            "expected a directorate and staff group listed there for that year"
        ),
    )


def _cell_text(row: pd.Series) -> str:
    return (
        f"year {row['year']}, directorate {quote_cell(row['directorate'])}, "
        f"staff group {quote_cell(row['staff_group'])}"
    )


def _check_comparator_counts(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    comparators = _usable(tables.get("comparators"), "n", "n_positive")
    if comparators is None:
        return
    more = (comparators["n_positive"] > comparators["n"]).fillna(False).astype(bool)
    log.add_rows(
        files["comparators"],
        "n_positive",
        "more positive than answers",
        comparators.index[more],
        lambda index: (
            f"{comparators.at[index, 'n_positive']} positive answers but n is "
            f"{comparators.at[index, 'n']}; expected n_positive <= n"
        ),
    )


def _check_codebook_links(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    codebook: Codebook | None,
    log: ProblemLog,
) -> None:
    """The codebook's ``survey_items`` and ``survey_themes`` must be in the questionnaire."""
    questionnaire = _usable(tables.get("questionnaire"), "item_id", "theme")
    if codebook is None or questionnaire is None:
        return
    for problem in survey_link_problems(codebook, questionnaire):
        log.add("codebook.yml", problem.replace("the questionnaire", files["questionnaire"], 1))


def _check_codings(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    codebook: Codebook | None,
    log: ProblemLog,
) -> None:
    codings = _usable(tables.get("codings"), "code_id")
    if codings is None:
        return
    applied = codings["code_id"].notna()
    if codebook is None:
        if applied.any():
            log.add(
                files["codings"],
                "codes are applied but the package has no codebook.yml defining them",
                column="code_id",
            )
        return
    unknown = applied & ~codings["code_id"].isin(codebook.codable_ids())
    log.add_rows(
        files["codings"],
        "code_id",
        "unknown code",
        codings.index[unknown],
        lambda index: (
            f"{quote_cell(codings.at[index, 'code_id'])} is not a code id in codebook.yml; "
            "expected a code of the codebook, or a blank cell for 'no code applies'"
        ),
    )


_REFERENCES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], str], ...] = (
    ("comparators", ("year", "item_id"), "questionnaire", ("year", "item_id"), ""),
    ("comments", ("year", "respondent_id"), "responses", ("year", "respondent_id"), ""),
    ("codings", ("comment_id",), "comments", ("comment_id",), ""),
    ("quotes_approved", ("comment_id",), "comments", ("comment_id",), ""),
    ("responses", ("team_id",), "teams", ("team_id",), ""),
    ("indicator_values", ("team_id",), "teams", ("team_id",), ""),
    ("action_plans", ("theme",), "questionnaire", ("theme",), "(any year)"),
    ("action_plans", ("item_id",), "questionnaire", ("item_id",), "(any year)"),
    ("action_reviews", ("action_id",), "action_plans", ("action_id",), ""),
    ("action_plans", ("team_id",), "teams", ("team_id",), ""),
    ("training_evaluations", ("participant_id",), "staff_list", ("staff_id",), ""),
    ("training_evaluations", ("team_id",), "teams", ("team_id",), ""),
    ("courses", ("item_id",), "questionnaire", ("item_id",), "(any year)"),
    ("staff_list", ("team_id",), "teams", ("team_id",), ""),
    ("staff_list", ("role_id",), "role_profiles", ("role_id",), ""),
    ("appraisals", ("staff_id",), "staff_list", ("staff_id",), ""),
    (
        "appraisal_objectives",
        ("staff_id", "review_date"),
        "appraisals",
        ("staff_id", "review_date"),
        "",
    ),
    (
        "appraisal_skills",
        ("staff_id", "review_date"),
        "appraisals",
        ("staff_id", "review_date"),
        "",
    ),
)
"""Foreign keys: (table, columns, referenced table, its columns, words saying where)."""


def _check_reference(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    log: ProblemLog,
    table: str,
    columns: tuple[str, ...],
    target: str,
    target_columns: tuple[str, ...],
    where: str,
) -> None:
    frame = _usable(tables.get(table), *columns)
    if frame is None:
        return
    referring = np.logical_and.reduce([frame[column].notna().to_numpy() for column in columns])
    if not referring.any():
        return
    if target not in tables:
        if target in files:
            return  # the file is there but could not be read: reported already
        log.add(
            files[table],
            f"refers to the {target} table, which the package does not have; add "
            f"{target}.csv (see docs/data-package.md) or leave this column blank",
            column=columns[-1],
        )
        return
    reference = _usable(tables[target], *target_columns)
    if reference is None or log.has_problems(files[target], target_columns):
        return
    if len(columns) == 1:
        known = frame[columns[0]].isin(reference[target_columns[0]].dropna()).to_numpy()
    else:
        keys = pd.MultiIndex.from_arrays([frame[column] for column in columns])
        known = keys.isin(pd.MultiIndex.from_arrays([reference[c] for c in target_columns]))
    unknown = referring & ~known
    target_name = " and ".join(target_columns)
    context = f" {where}" if where else ""

    def describe(index: int) -> str:
        value = quote_cell(frame.at[index, columns[-1]])
        given = ", ".join(f"{name} {quote_cell(frame.at[index, name])}" for name in columns[:-1])
        qualifier = f" for {given}" if given else ""
        return (
            f"{value} is not a known {target_columns[-1]} in {files[target]}{qualifier}"
            f"{context}; expected a {target_name} listed there"
        )

    log.add_rows(files[table], columns[-1], f"unknown {target}", frame.index[unknown], describe)


_LABEL_CHECKS = (
    ("teams", "directorate"),
    ("action_plans", "directorate"),
    ("staff_list", "staff_group"),
    ("role_profiles", "staff_group"),
)


def _check_group_labels(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    """Directorates and staff groups elsewhere must be spelt as in staff or responses."""
    for table, column in _LABEL_CHECKS:
        frame = _usable(tables.get(table), column)
        if frame is None:
            continue
        known = {"All"} if table == "action_plans" else set()
        sources = []
        for source in ("staff", "responses"):
            labels = _usable(tables.get(source), column)
            if labels is not None:
                known |= set(labels[column].dropna())
                sources.append(files[source])
        if not sources:
            continue
        unknown = frame[column].notna() & ~frame[column].isin(known)
        log.add_rows(
            files[table],
            column,
            f"unknown {column}",
            frame.index[unknown],
            lambda index, frame=frame, column=column, sources=sources, known=known: (
                f"{quote_cell(frame.at[index, column])} is not a {column} in "
                f"{' or '.join(sources)}; expected the same spelling"
                + (" (or 'All')" if "All" in known else "")
            ),
        )


def _check_indicator_ids(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    table: str,
    indicators: PerformanceModel | None,
    log: ProblemLog,
) -> None:
    """An outcome measure named in ``indicator_id`` must be an indicator of indicators.yml."""
    frame = _usable(tables.get(table), "indicator_id")
    if frame is None:
        return
    named = frame["indicator_id"].notna()
    if not named.any():
        return
    if indicators is None:
        log.add(
            files[table],
            "names indicators but the package has no indicators.yml defining them; add "
            "indicators.yml (see docs/data-package.md) or leave indicator_id blank",
            column="indicator_id",
        )
        return
    known = [indicator.id for indicator in indicators.indicators]
    unknown = named & ~frame["indicator_id"].isin(known)
    log.add_rows(
        files[table],
        "indicator_id",
        "unknown indicator",
        frame.index[unknown],
        lambda index: (
            f"{quote_cell(frame.at[index, 'indicator_id'])} is not an indicator id in "
            f"indicators.yml; expected one of {', '.join(known)}, or a blank cell"
        ),
    )


def _check_review_after_start(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    """An action cannot be due for review, or reviewed, before it starts."""
    plans = _usable(tables.get("action_plans"), "action_id", "start_date", "due_date")
    if plans is None:
        return
    reviews = _usable(tables.get("action_reviews"), "action_id", "review_date")
    if reviews is not None:
        start = reviews["action_id"].map(
            plans.dropna(subset=["action_id"])
            .drop_duplicates("action_id")
            .set_index("action_id")["start_date"]
        )
        before = (reviews["review_date"] < start).fillna(False).astype(bool)
        log.add_rows(
            files["action_reviews"],
            "review_date",
            "review before start",
            reviews.index[before],
            lambda index: (
                f"review {reviews.at[index, 'review_date']:%Y-%m-%d} of action "
                f"{quote_cell(reviews.at[index, 'action_id'])} is before its start_date "
                f"{start[index]:%Y-%m-%d} in {files['action_plans']}; expected a date on or "
                "after the start"
            ),
        )
    early = (plans["due_date"] < plans["start_date"]).fillna(False).astype(bool)
    log.add_rows(
        files["action_plans"],
        "due_date",
        "review before start",
        plans.index[early],
        lambda index: (
            f"review (due) date {plans.at[index, 'due_date']:%Y-%m-%d} is before the "
            f"start_date {plans.at[index, 'start_date']:%Y-%m-%d}; expected a date on or "
            "after the start"
        ),
    )


_SELF_RATINGS_KEY = ("course_id", "cohort", "participant_id", "measure", "timepoint")


def _check_course_register(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    """Evaluated courses must be in the course register; ratings without rater are self."""
    evaluations = _usable(tables.get("training_evaluations"), "course_id")
    if evaluations is None:
        return
    if "rater" not in evaluations.columns:  # every rating is the participant's own
        check_unique(evaluations, _SELF_RATINGS_KEY, files["training_evaluations"], log)
    courses = _usable(tables.get("courses"), "course_id")
    if courses is None or log.has_problems(files["courses"], ("course_id",)):
        return
    unknown = evaluations["course_id"].notna() & ~evaluations["course_id"].isin(
        courses["course_id"].dropna()
    )
    first = evaluations.loc[unknown].drop_duplicates("course_id").index
    log.add_rows(
        files["training_evaluations"],
        "course_id",
        "unknown course",
        first,
        lambda index: (
            f"{quote_cell(evaluations.at[index, 'course_id'])} is not a course_id in "
            f"{files['courses']}; expected every evaluated course in the course register"
        ),
    )


def _check_appraisal_links(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    indicators: PerformanceModel,
    log: ProblemLog,
) -> None:
    """An appraisal objective's ``linked_to`` must be an objective or indicator id."""
    frame = _usable(tables.get("appraisal_objectives"), "linked_to")
    if frame is None:
        return
    known = [o.id for o in indicators.objectives] + [i.id for i in indicators.indicators]
    unknown = frame["linked_to"].notna() & ~frame["linked_to"].isin(known)
    log.add_rows(
        files["appraisal_objectives"],
        "linked_to",
        "unknown objective or indicator",
        frame.index[unknown],
        lambda index: (
            f"{quote_cell(frame.at[index, 'linked_to'])} is not an objective or indicator id "
            f"in indicators.yml; expected one of {', '.join(known)}"
        ),
    )


def _check_unedited_proposals(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    """An action plan row is what people agreed: not a proposal appended unedited.

    A run's ``proposed_actions.csv`` leaves :data:`PROPOSAL_PLACEHOLDER` where people must
    decide (``action``, ``owner_role``); a row of ``action_plans`` whose text cell still
    starts with it was appended without being agreed, and would be evaluated as if it had
    been carried out.
    """
    plans = tables.get("action_plans")
    if plans is None:
        return
    placeholder = PROPOSAL_PLACEHOLDER.casefold()
    text_columns = [c.name for c in TABLES["action_plans"].columns if c.kind == "text"]
    for column in (c for c in text_columns if c in plans.columns):
        text = plans[column].astype("string").str.strip().str.casefold()
        unedited = text.str.startswith(placeholder).fillna(False).astype(bool)
        log.add_rows(
            files["action_plans"],
            column,
            "unedited proposal",
            plans.index[unedited],
            lambda index, column=column: (
                f"{quote_cell(plans.at[index, column])} of action "
                f"{quote_cell(plans.at[index, 'action_id'])} is the placeholder of a proposed "
                "action (proposed_actions.csv): an unedited proposal is not an action plan; "
                f"expected the {column} people agreed, or delete the row "
                "(docs/annual-cycle.md, 'Closing the loop')"
            ),
        )


def _check_action_teams(
    tables: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog
) -> None:
    """A team an action targets must be in the action's directorate."""
    plans = _usable(tables.get("action_plans"), "team_id", "directorate")
    teams = _usable(tables.get("teams"), "team_id", "directorate")
    if plans is None or teams is None or log.has_problems(files["teams"], ("team_id",)):
        return
    directorate_of = plans["team_id"].map(
        teams.drop_duplicates("team_id").set_index("team_id")["directorate"]
    )
    elsewhere = (directorate_of.notna() & (directorate_of != plans["directorate"])).astype(bool)
    log.add_rows(
        files["action_plans"],
        "team_id",
        "team in another directorate",
        plans.index[elsewhere],
        lambda index: (
            f"team {quote_cell(plans.at[index, 'team_id'])} is in "
            f"{quote_cell(directorate_of[index])} in {files['teams']}, not in "
            f"{quote_cell(plans.at[index, 'directorate'])}; expected the directorate of the "
            "team (or a blank team_id for the whole directorate)"
        ),
    )


_FINDING_BASELINE_RANGES = {"item": (0, 100), "code": (0, 100), "theme": (0, 10)}
"""A finding's baseline bounds: % positive on an item, % of commenting respondents raising a
code, a theme's 0-10 score; an indicator measured in % is also 0-100."""


def _split_ids(text: object) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``; a blank cell -> ``[]``."""
    return [] if pd.isna(text) else [part.strip() for part in str(text).split(";")]


def _check_action_findings_and_outcomes(
    tables: dict[str, pd.DataFrame],
    files: dict[str, str],
    codebook: Codebook | None,
    indicators: PerformanceModel | None,
    log: ProblemLog,
) -> None:
    """The finding behind each action and its pre-registered outcomes must exist and agree.

    ``finding_id`` must be an id of its ``finding_type`` (an item asked in ``survey_year``, a
    theme, a code of ``codebook.yml``, an indicator of ``indicators.yml``); ``baseline_value``
    needs a finding and must be in the finding's range; each of ``outcome_measures`` must be
    an item or an indicator, and must include ``item_id`` and ``indicator_id`` when those are
    given; ``expected_direction`` must be ``increase`` or ``decrease``, one for all measures
    or one per measure, and agree with the measure's polarity (a survey item's % positive
    counts favourable answers, so only a rise is an improvement).
    """
    plans = tables.get("action_plans")
    questionnaire = _usable(tables.get("questionnaire"), "year", "item_id", "theme")
    if plans is None or questionnaire is None:
        return
    if log.has_problems(files["questionnaire"], ("year", "item_id", "theme")):
        return
    file = files["action_plans"]
    typed = not log.has_problems(file, ("finding_type",))
    items = set(questionnaire["item_id"].dropna())
    asked = set(zip(questionnaire["year"], questionnaire["item_id"], strict=True))
    themes = set(questionnaire["theme"].dropna())
    codes = set(codebook.codable_ids()) if codebook is not None else set()
    specs = {i.id: i for i in indicators.indicators} if indicators is not None else {}
    sources = {
        "item": (items, f"an item_id in {files['questionnaire']}"),
        "theme": (themes, f"a theme in {files['questionnaire']}"),
        "code": (codes, "a code id in codebook.yml"),
        "indicator": (set(specs), "an indicator id in indicators.yml"),
    }
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}

    def problem(column: str, kind: str, index: int, message: str) -> None:
        found.setdefault((column, kind), []).append((index, message))

    def what_it_is(value: str) -> str:
        kinds = [where for ids, where in sources.values() if value in ids]
        return f" (it is {kinds[0]})" if kinds else ""

    for index, row in plans.iterrows():
        finding_type, finding_id = row.get("finding_type"), row.get("finding_id")
        baseline = row.get("baseline_value")
        if not typed:
            finding_type = finding_id = baseline = None
        if pd.notna(finding_type) and pd.isna(finding_id):
            problem("finding_id", "finding without id", index, (
                f"finding_type is '{finding_type}' but finding_id is blank; expected "
                f"{sources[finding_type][1]}"))  # fmt: skip
        if pd.isna(finding_type) and pd.notna(finding_id):
            problem("finding_type", "finding without type", index, (
                f"finding_id {quote_cell(finding_id)} has no finding_type; expected one of "
                "'item', 'theme', 'code', 'indicator'"))  # fmt: skip
        if pd.notna(finding_type) and pd.notna(finding_id):
            ids, where = sources[finding_type]
            if finding_id not in ids:
                problem("finding_id", "finding not of its type", index, (
                    f"{quote_cell(finding_id)} is not {where}{what_it_is(finding_id)}; "
                    f"expected {where}, since finding_type is '{finding_type}'"))  # fmt: skip
            elif (
                finding_type == "item"
                and pd.notna(row["survey_year"])
                and ((row["survey_year"], finding_id) not in asked)
            ):
                problem("finding_id", "finding not asked that year", index, (
                    f"item {quote_cell(finding_id)} was not asked in {row['survey_year']} "
                    f"({files['questionnaire']}); expected an item of the survey_year's "
                    "questionnaire"))  # fmt: skip
        if pd.notna(baseline):
            if pd.isna(finding_id):
                problem("baseline_value", "baseline without finding", index, (
                    f"baseline {baseline:g} but no finding_id; expected a blank baseline_value, "
                    "or the finding it measures in finding_type and finding_id"))  # fmt: skip
            elif pd.notna(finding_type):
                bounds = _FINDING_BASELINE_RANGES.get(finding_type)
                spec = specs.get(finding_id)
                if finding_type == "indicator" and spec is not None and spec.unit.startswith("%"):
                    bounds = (0, 100)
                if bounds is not None and not bounds[0] <= baseline <= bounds[1]:
                    problem("baseline_value", "baseline out of range", index, (
                        f"baseline {baseline:g} is outside {bounds[0]}-{bounds[1]}; expected the "
                        f"{finding_type}'s value in {row['survey_year']} as a "
                        + ("0-10 score" if finding_type == "theme" else "percentage")
                    ))  # fmt: skip
        named = _split_ids(row.get("outcome_measures"))
        for measure in named:
            if measure not in items and measure not in specs:
                problem("outcome_measures", "unknown outcome measure", index, (
                    f"{quote_cell(measure)} is not an item_id in {files['questionnaire']} or an "
                    "indicator id in indicators.yml; expected item and indicator ids separated "
                    "by ';', the primary outcome first"))  # fmt: skip
        for column in ("item_id", "indicator_id"):
            if named and pd.notna(row[column]) and row[column] not in named:
                problem(column, "not among the outcome measures", index, (
                    f"{quote_cell(row[column])} is not among the outcome_measures "
                    f"{quote_cell(row['outcome_measures'])}; expected one of them, or a blank "
                    "cell"))  # fmt: skip
        if pd.isna(row.get("expected_direction")):
            continue
        measures = named or [row[c] for c in ("item_id", "indicator_id") if pd.notna(row[c])]
        directions = _split_ids(row["expected_direction"])
        unknown = [d for d in directions if d not in ("increase", "decrease")]
        if unknown or len(directions) not in {1, len(measures)}:
            problem("expected_direction", "unknown direction", index, (
                f"{quote_cell(row['expected_direction'])} is not a direction for the "
                f"{len(measures)} outcome measure(s) {';'.join(measures) or '(none)'}; expected "
                "'increase' or 'decrease', one for all measures or one per measure separated "
                "by ';'"))  # fmt: skip
            continue
        for measure, direction in zip(measures, directions * len(measures), strict=False):
            spec = specs.get(measure)
            better = "increase" if measure in items else (spec.improvement if spec else "neutral")
            if better != "neutral" and direction != better:
                reason = (
                    "a survey item's % positive counts favourable answers"
                    if measure in items
                    else f"{measure}'s polarity in indicators.yml is {spec.polarity}"
                )
                problem("expected_direction", "direction against polarity", index, (
                    f"'{direction}' expected of {quote_cell(measure)}, but {reason}; expected "
                    f"'{better}'"))  # fmt: skip
    for (column, kind), entries in found.items():
        messages = dict(entries)
        log.add_rows(file, column, kind, [i for i, _ in entries], messages.__getitem__)
