"""Data quality and response: the tables of counts of the data overview stage.

Every function takes a loaded :class:`~analysis.datapackage.DataPackage` and returns a
tidy table of counts, ready for :meth:`analysis.publishing.StageOutput.table`, which
applies disclosure control. Nothing here draws.

The response tables are the survey stage's: :func:`gated_response_rates` passes them
through the survey gate (:func:`analysis.disclosure.survey.suppress_survey_table`), which
gates the organisation, directorates, staff groups and their crossing together with the
small-rest rule, and :func:`published_response_rates` picks one breakdown from it. So the
overview shows exactly the cells the survey stage shows, never one it hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.datapackage.groups import NOT_STATED, breakdown_types
from analysis.datapackage.respondents import response_rates as survey_response_rates
from analysis.datapackage.respondents import response_rates_by
from analysis.disclosure.survey import suppress_survey_table

if TYPE_CHECKING:
    from analysis.datapackage import DataPackage

__all__ = [
    "NOT_STATED",
    "gated_response_rates",
    "published_response_rates",
    "response_by_year",
    "response_rates",
    "response_rates_over_years",
    "respondents_by_group",
    "missing_answers",
    "questionnaire_changes",
    "comments_by_year",
]


def _year_responses(package: DataPackage, year: int) -> pd.DataFrame:
    responses = package.responses
    chosen = responses[responses["year"] == year]
    if chosen.empty:
        raise ValueError(
            f"no responses for {year}; the data package has years "
            f"{sorted(responses['year'].unique().tolist())}"
        )
    return chosen


def _with_not_stated(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Label blank group values "Not stated" so every partition is complete."""
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].astype("string").fillna(NOT_STATED)
    return frame


def gated_response_rates(package: DataPackage, last_year: int | None = None) -> pd.DataFrame:
    """The survey stage's response rates, every year to ``last_year``, after the survey gate.

    Parameters
    ----------
    package
        The loaded data package; its ``minimum_group_size`` is the gate's.
    last_year
        Leave out later years (as the survey stage does); ``None`` keeps every year.

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.survey.response_rates` (``year``, ``group_type``, ``group``,
        ``headcount``, ``respondents``, ``response_rate``) with ``suppressed`` and
        ``suppression``, hidden cells missing.
    """
    description = package.description
    breakdowns = breakdown_types(description.group_columns)
    table = survey_response_rates(
        package.responses, package.staff, breakdowns, description.organisation_name
    )
    if last_year is not None:
        table = table[table["year"] <= last_year].reset_index(drop=True)
    return suppress_survey_table(
        table,
        "response_rates",
        minimum=description.minimum_group_size,
        breakdowns=breakdowns,
    )


def published_response_rates(
    gated: pd.DataFrame, by: Sequence[str], year: int | None = None
) -> pd.DataFrame:
    """One breakdown of :func:`gated_response_rates`, with a column per group column.

    Parameters
    ----------
    gated
        What :func:`gated_response_rates` returned.
    by
        ``[]`` for the organisation, ``["directorate"]``, ``["staff_group"]`` or
        ``["directorate", "staff_group"]``.
    year
        One year (the ``year`` column is then dropped), or ``None`` for every year.

    Returns
    -------
    pandas.DataFrame
        ``year`` (every year only), the ``by`` columns, ``headcount``, ``respondents``,
        ``response_rate``, ``suppressed`` and ``suppression``; ready for
        :meth:`~analysis.publishing.StageOutput.table` with ``gated=True``.
    """
    by = list(by)
    group_type = " x ".join(by) if by else "organisation"
    rows = gated[gated["group_type"] == group_type]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        raise ValueError(
            f"no response rates by {by or 'organisation'}"
            + (f" in {year}" if year is not None else "")
            + f"; the breakdowns are {sorted(gated['group_type'].unique())}"
        )
    labels = rows["group"].astype("str").str.split(" | ", regex=False)
    columns = {column: labels.str[position] for position, column in enumerate(by)}
    table = rows.assign(**columns)
    keep = [*([] if year is not None else ["year"]), *by]
    figures = ["headcount", "respondents", "response_rate", "suppressed", "suppression"]
    return table[[*keep, *figures]].reset_index(drop=True)


def response_by_year(package: DataPackage) -> pd.DataFrame:
    """Respondents, headcount and response rate for every survey year.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``respondents``, ``headcount``, ``response_rate`` (percent,
        respondents / headcount x 100, as the NHS staff survey reports it).
    """
    respondents = package.responses.groupby("year").size().rename("respondents")
    headcount = package.staff.groupby("year")["headcount"].sum().rename("headcount")
    table = pd.concat([respondents, headcount], axis=1).fillna(0).astype("int64")
    table["response_rate"] = 100 * table["respondents"] / table["headcount"]
    return table.reset_index()


def response_rates(package: DataPackage, year: int, by: Sequence[str]) -> pd.DataFrame:
    """Respondents, headcount and response rate in one year by staff-table groups.

    Parameters
    ----------
    package
        The loaded data package.
    year
        The survey year.
    by
        Columns present in both ``responses`` and ``staff`` (``directorate``,
        ``staff_group`` or both).

    Returns
    -------
    pandas.DataFrame
        One row per group present in the staff table: ``by`` columns, ``headcount``,
        ``respondents``, ``response_rate`` (percent). Respondents whose group is not stated
        cannot be placed against a headcount and are counted in a "Not stated" row with no
        headcount.
    """
    by = list(by)
    unknown = [c for c in by if c not in package.staff.columns]
    if unknown:
        raise ValueError(
            f"the staff table has no column(s) {unknown}; choose from directorate, staff_group"
        )
    responses = _year_responses(package, year)
    staff = package.staff[package.staff["year"] == year]
    table = response_rates_by(responses, staff, by).drop(columns="year")
    return table.astype({column: "str" for column in by}).astype({"response_rate": "Float64"})


def response_rates_over_years(package: DataPackage, by: Sequence[str]) -> pd.DataFrame:
    """Respondents, headcount and response rate by group for every survey year.

    The same as :func:`response_rates` for each year in turn, with a ``year`` column first.
    """
    tables = [
        response_rates(package, year, by).assign(year=year)
        for year in package.description.survey_years
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["year", *table.columns.drop("year")]]


def respondents_by_group(package: DataPackage, year: int, column: str) -> pd.DataFrame:
    """Respondents in one year by a group column, with their share of all respondents.

    Returns
    -------
    pandas.DataFrame
        ``column``, ``respondents``, ``percent`` (of the year's respondents). Blank
        answers are counted as "Not stated".
    """
    responses = _with_not_stated(_year_responses(package, year), [column])
    table = responses.groupby(column).size().rename("respondents").reset_index()
    table["percent"] = 100 * table["respondents"] / table["respondents"].sum()
    return table


def missing_answers(package: DataPackage, year: int) -> pd.DataFrame:
    """How many respondents left each item blank or chose an excluded answer in one year.

    Returns
    -------
    pandas.DataFrame
        One row per item asked that year, in questionnaire order: ``item_id``,
        ``question_number``, ``theme``, ``respondents``, ``answered`` (a code of the scale
        that is not excluded), ``excluded`` (e.g. "don't know"), ``blank``,
        ``percent_blank``.
    """
    responses = _year_responses(package, year)
    rows = []
    for item in package.items(year).itertuples(index=False):
        answers = responses[item.column]
        excluded = answers.isin(list(item.excluded_codes)).sum() if item.excluded_codes else 0
        blank = int(answers.isna().sum())
        rows.append(
            {
                "item_id": item.item_id,
                "question_number": item.question_number,
                "theme": item.theme,
                "respondents": len(answers),
                "answered": len(answers) - blank - int(excluded),
                "excluded": int(excluded),
                "blank": blank,
            }
        )
    table = pd.DataFrame(rows)
    table["percent_blank"] = 100 * table["blank"] / table["respondents"]
    return table


def questionnaire_changes(package: DataPackage) -> pd.DataFrame:
    """What changed in the questionnaire from each survey year to the next.

    An item is *new* when its ``item_id`` was not asked the previous year, *dropped* when
    it is no longer asked, *reworded* when the questionnaire marks it not comparable with
    the previous year (its trend starts again), and *renumbered* when only its question
    number or response column changed.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``item_id``, ``change``, ``before`` and ``after`` (question number and
        wording), one row per change.
    """
    questionnaire = package.questionnaire
    years = sorted(questionnaire["year"].unique().tolist())
    rows: list[dict[str, object]] = []
    for previous, current in zip(years, years[1:], strict=False):
        before = questionnaire[questionnaire["year"] == previous].set_index("item_id")
        after = questionnaire[questionnaire["year"] == current].set_index("item_id")
        for item_id in after.index.difference(before.index):
            rows.append(_change(current, item_id, "new", None, after.loc[item_id]))
        for item_id in before.index.difference(after.index):
            rows.append(_change(current, item_id, "dropped", before.loc[item_id], None))
        for item_id in after.index.intersection(before.index):
            old, new = before.loc[item_id], after.loc[item_id]
            if not bool(new["comparable_with_previous"]):
                rows.append(_change(current, item_id, "reworded", old, new))
            elif old["question_number"] != new["question_number"] or old["column"] != new["column"]:
                rows.append(_change(current, item_id, "renumbered", old, new))
    columns = ["year", "item_id", "change", "before", "after"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["year", "change", "item_id"], ignore_index=True
    )


def _change(
    year: int, item_id: str, change: str, old: pd.Series | None, new: pd.Series | None
) -> dict[str, object]:
    def describe(item: pd.Series | None) -> str:
        return "" if item is None else f"{item['question_number']}: {item['wording']}"

    return {
        "year": year,
        "item_id": item_id,
        "change": change,
        "before": describe(old),
        "after": describe(new),
    }


def comments_by_year(package: DataPackage) -> pd.DataFrame:
    """Free-text comments per survey year.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``respondents``, ``commenters`` (respondents who wrote at least one
        comment), ``comments``, ``percent_commenting``. Years with no comments table give
        zero comments.
    """
    respondents = package.responses.groupby("year").size().rename("respondents")
    comments = package.comments
    if comments is None:
        comments = pd.DataFrame(
            {"year": pd.Series(dtype="int64"), "respondent_id": pd.Series(dtype="string")}
        )
    commenters = comments.groupby("year")["respondent_id"].nunique().rename("commenters")
    count = comments.groupby("year").size().rename("comments")
    table = pd.concat([respondents, commenters, count], axis=1).fillna(0).astype("int64")
    table["percent_commenting"] = 100 * table["commenters"] / table["respondents"]
    return table.reset_index().rename(columns={"index": "year"})
