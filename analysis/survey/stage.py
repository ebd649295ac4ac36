"""The survey stage's tables for one report year, gated, and the views its report shows.

:func:`stage_tables` is the notebook's single call: every table of
:func:`analysis.survey.survey_tables` up to the report year, with the key drivers of that
year, passed through :func:`analysis.survey.suppress_survey_tables`. The other functions
select or reshape gated tables for the report (they never undo suppression):

* :func:`answer_distribution`: how the answers to each item split, for diverging bars.
* :func:`trend_series`: item scores with a series number that restarts where an item was
  reworded, so trend lines are not drawn across a break.
* :func:`changes_since_previous_year`: the organisation's changes since the last survey.
* :func:`change_headlines`: how many questions rose or fell significantly, with Holm's
  adjustment beside an unadjusted count and the caveat that goes with it.
* :func:`published_rows`: some rows and columns of a published table, still showing ``[c]``.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.datapackage.groups import ORGANISATION, breakdown_types
from analysis.datapackage.questionnaire import item_codes
from analysis.datapackage.respondents import respondents_by_breakdown
from analysis.presentation import is_p_value
from analysis.survey.counts import count_answers
from analysis.survey.drivers import choose_outcome, key_drivers
from analysis.survey.suppression import TABLE_KINDS, suppress_survey_tables
from analysis.survey.tables import survey_tables

if TYPE_CHECKING:
    from analysis.datapackage import DataPackage
    from analysis.publishing import PublishedTable

__all__ = [
    "DISTRIBUTION_COLUMNS",
    "answer_distribution",
    "benchmark_of_year",
    "change_headlines",
    "changes_since_previous_year",
    "drivers_outcome",
    "item_labels",
    "predictor_labels",
    "publication_metadata",
    "published_rows",
    "significant_changes",
    "stage_tables",
    "trend_series",
]

DISTRIBUTION_COLUMNS = (
    "year",
    "item_id",
    "code",
    "label",
    "answer_position",
    "n",
    "answered",
    "percent",
)
"""Columns of :func:`answer_distribution`."""

_ADJUSTMENTS = (None, "holm", "bh")
_ADJUSTMENT_NAMES = {"holm": "Holm's", "bh": "the Benjamini-Hochberg"}


def stage_tables(
    package: DataPackage,
    year: int | None,
    *,
    adjust: str | None = None,
    outcome: str | None = None,
    crossed: Sequence[Sequence[str]] = (("directorate", "staff_group"),),
) -> dict[str, pd.DataFrame]:
    """Every survey table up to ``year``, with that year's key drivers, through the gate.

    Parameters
    ----------
    package
        A loaded data package.
    year
        The report year: one of the package's survey years (``None``: the latest, see
        :meth:`analysis.datapackage.DataPackage.report_year`). Later years are left out, so
        a report on an earlier year shows what was known then.
    adjust
        Adjust p-values across items: ``None``, ``"holm"`` or ``"bh"``.
    outcome
        The key drivers' outcome (a theme or an ``item_id``); ``None`` for
        :func:`analysis.survey.default_outcome`. Without an outcome given or found there
        is no ``drivers`` table (the report says so with
        :data:`analysis.survey.NO_OUTCOME_NOTE`).
    crossed
        Crossed breakdowns, as for :func:`analysis.survey.survey_tables`.

    Returns
    -------
    dict
        The tables of :func:`analysis.survey.survey_tables` (``drivers`` for ``year``, when
        there is an outcome;
        ``benchmark`` weighted to the package's ``comparator_profile`` too, where it has
        one), rows of later years dropped, each passed through
        :func:`analysis.survey.suppress_survey_tables` with the package's minimum group size.

    Raises
    ------
    ValueError
        If ``year`` is not a survey year or ``adjust`` is not one of None, "holm", "bh".
    """
    description = package.description
    year = package.report_year(year)
    if adjust not in _ADJUSTMENTS:
        raise ValueError(f"adjust must be None, 'holm' or 'bh', got {adjust!r}")
    tables = survey_tables(
        package,
        crossed=crossed,
        adjust=adjust,
        outcome=outcome,
        comparator_profile=package.comparator_profile,
    )
    tables.pop("drivers", None)
    chosen = choose_outcome(package.questionnaire, year, outcome)
    if chosen is not None:
        tables["drivers"] = key_drivers(
            package.responses, package.questionnaire, package.scales, chosen, year=year
        )
    tables = {name: table[table["year"] <= year] for name, table in tables.items()}
    tables = {name: table.reset_index(drop=True) for name, table in tables.items()}
    breakdowns = breakdown_types(description.group_columns, crossed)
    respondents = respondents_by_breakdown(
        package.responses, breakdowns, description.organisation_name
    )
    respondents = respondents[respondents["year"] <= year].reset_index(drop=True)
    return suppress_survey_tables(
        tables, description.minimum_group_size, breakdowns, respondents=respondents
    )


def benchmark_of_year(benchmark: pd.DataFrame, year: int) -> tuple[pd.DataFrame, bool]:
    """The benchmark's rows of one year, and whether they have the profile-weighted figures.

    Parameters
    ----------
    benchmark
        The published (gated) ``benchmark`` table.
    year
        The report year.

    Returns
    -------
    tuple
        The year's rows (empty when ``comparators`` has no rows for the year) and ``True``
        when some row of the year has ``pct_weighted`` (the package's ``comparator_profile``
        covers the year), else ``False``: the comparison is unweighted only that year.
    """
    rows = benchmark[benchmark["year"] == year]
    weighted = "pct_weighted" in rows.columns and bool(rows["pct_weighted"].notna().any())
    return rows, weighted


def drivers_outcome(tables: dict[str, pd.DataFrame]) -> str | None:
    """The outcome of the key drivers in :func:`stage_tables`' tables; ``None`` without them."""
    drivers = tables.get("drivers")
    return None if drivers is None or drivers.empty else str(drivers["outcome"].iloc[0])


def answer_distribution(
    responses: pd.DataFrame, questionnaire: pd.DataFrame, scales: pd.DataFrame, year: int
) -> pd.DataFrame:
    """How the organisation's answers to each item split between the item's codes.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    year
        The survey year.

    Returns
    -------
    pandas.DataFrame
        :data:`DISTRIBUTION_COLUMNS`, one row per item and code of its scale (in the
        questionnaire's item order, codes increasing): ``n`` the item's valid answers (as
        in the item scores), ``answered`` its answers including excluded codes such as
        "don't know", ``percent`` the code's share of valid answers (0-100; for an
        excluded code, its share of all answers), and ``answer_position`` the code's place
        on a scale centred on the neutral answer: ``1, 2, ...`` from the centre towards the
        positive end, ``-1, -2, ...`` towards the negative end, ``0`` for the middle code
        of an odd-length scale, missing for an excluded code. The positive codes' percents
        add up to the item's percent positive.

    Raises
    ------
    ValueError
        If ``year`` has no questionnaire rows.
    """
    items = questionnaire[questionnaire["year"] == year]
    if items.empty:
        raise ValueError(f"the questionnaire has no items in {year!r}")
    counts = count_answers(responses[responses["year"] == year], items)
    counts = counts[counts["code"].notna()]
    tally = counts.set_index(["item_id", counts["code"].astype("int64")])["count"]
    codes = item_codes(items, scales).set_index("item_id")
    labels = scales.assign(code=scales["code"].astype("int64"))
    rows = []
    for item in items.itertuples(index=False):
        scale = labels[labels["scale_id"] == item.scale_id].sort_values("code")
        valid = codes.loc[item.item_id, "valid_codes"]
        high = codes.loc[item.item_id, "positive_high"]
        ordered = list(valid) if pd.isna(high) or bool(high) else list(valid)[::-1]
        middle = (len(ordered) - 1) / 2
        found = {code: int(tally.get((item.item_id, code), 0)) for code in scale["code"]}
        n = sum(found[code] for code in valid)
        answered = sum(found.values())
        for code, label in zip(scale["code"], scale["label"], strict=True):
            if code in valid:
                offset = ordered.index(code) - middle
                position = int(np.sign(offset) * np.ceil(abs(offset)))
                base = n
            else:
                position, base = pd.NA, answered
            percent = 100 * found[code] / base if base else np.nan
            rows.append((year, item.item_id, code, label, position, n, answered, percent))
    table = pd.DataFrame(rows, columns=list(DISTRIBUTION_COLUMNS))
    return table.astype({"answer_position": "Int64", "item_id": "str", "label": "str"})


def trend_series(item_scores: pd.DataFrame, questionnaire: pd.DataFrame) -> pd.DataFrame:
    """Add ``series``: a number that restarts an item's trend where it was reworded.

    Parameters
    ----------
    item_scores
        Rows of the (gated) item scores: ``year``, ``item_id``.
    questionnaire
        With ``year``, ``item_id``, ``comparable_with_previous``.

    Returns
    -------
    pandas.DataFrame
        ``item_scores`` with ``series``: 1 for the item's first series, 2 from the first
        year the questionnaire marks not comparable with the previous one, and so on. Lines
        join points of one series only (an item's first year also starts a series, so
        ``comparable_with_previous`` is not read there).
    """
    ordered = questionnaire.sort_values(["item_id", "year"], kind="stable")
    first = ~ordered["item_id"].duplicated()
    starts = first | ~ordered["comparable_with_previous"].astype(bool)
    numbers = starts.astype(int).groupby(ordered["item_id"]).cumsum()
    lookup = pd.DataFrame(
        {"item_id": ordered["item_id"].astype("str"), "year": ordered["year"], "series": numbers}
    )
    return item_scores.merge(lookup, on=["item_id", "year"], how="left", validate="many_to_one")


def change_headlines(
    previous: pd.DataFrame, adjust: str | None, alpha: float = 0.05
) -> dict[str, dict[str, object]]:
    """The headline counts of questions significantly better and worse than last year.

    An unadjusted count of significant changes over many questions includes false alarms
    (about 1 in 20 unchanged questions at the 5% level), so when ``adjust`` is ``None`` each
    count carries the count after Holm's adjustment (as R's ``p.adjust(p, "holm")``) and a
    caveat saying the count is unadjusted.

    Parameters
    ----------
    previous
        From :func:`changes_since_previous_year` (gated: hidden rows are left out).
    adjust
        The stage's ``adjust`` parameter: ``None``, ``"holm"`` or ``"bh"``.
    alpha
        The significance level the ``significant`` column used.

    Returns
    -------
    dict
        ``"better"`` and ``"worse"``, each with ``value``, ``adjustment`` and ``caveat``
        for :meth:`analysis.publishing.StageOutput.headline`.

    References
    ----------
    Holm S (1979). A simple sequentially rejective multiple test procedure. Scandinavian
    Journal of Statistics 6(2):65-70.
    """
    from analysis.stats import adjust_p_values

    shown = previous.loc[~previous["suppressed"].astype(bool)]
    tested = shown.loc[shown["p_value"].notna()]
    questions = len(tested)
    rose = tested["diff_pp"] > 0
    significant = tested["significant"].fillna(False).astype(bool)
    counts = {"better": int((significant & rose).sum()), "worse": int((significant & ~rose).sum())}
    if adjust is not None:
        method = _ADJUSTMENT_NAMES[adjust]
        note = f"after {method} adjustment for {questions} questions"
        return {
            side: {"value": count, "adjustment": note, "caveat": ""}
            for side, count in counts.items()
        }
    holm = np.asarray(adjust_p_values(tested["p_value"].to_numpy(float), "holm")) < alpha
    adjusted = {"better": int((holm & rose).sum()), "worse": int((holm & ~rose).sum())}
    caveat = (
        f"not adjusted for testing {questions} questions at once: at the {alpha:.0%} level "
        "about 1 in 20 questions that did not change shows as significant by chance"
    )
    return {
        side: {
            "value": count,
            "adjustment": f"{adjusted[side]} after Holm's adjustment for {questions} questions",
            "caveat": caveat,
        }
        for side, count in counts.items()
    }


def changes_since_previous_year(
    changes: pd.DataFrame, year: int, survey_years: Sequence[int]
) -> pd.DataFrame:
    """The organisation's changes in ``year`` against the survey year before it.

    Parameters
    ----------
    changes
        The gated ``changes`` table.
    year
        The report year.
    survey_years
        The package's survey years.

    Returns
    -------
    pandas.DataFrame
        The rows with ``group_type == "organisation"``, ``year`` and ``base_year`` the
        previous survey year, largest rise first; empty when ``year`` is the first survey.
    """
    earlier = [y for y in survey_years if y < year]
    if not earlier:
        return changes.iloc[0:0]
    chosen = changes[
        (changes["group_type"] == ORGANISATION)
        & (changes["year"] == year)
        & (changes["base_year"] == max(earlier))
    ]
    return chosen.sort_values("diff_pp", ascending=False, ignore_index=True)


def significant_changes(
    changes: pd.DataFrame, year: int, survey_years: Sequence[int], direction: int
) -> pd.Series:
    """Which rows of ``changes`` are the organisation's significant changes in one direction.

    The rows of :func:`changes_since_previous_year` (the organisation, ``year`` against the
    survey year before it) that are significant and rose (``direction`` 1) or fell (-1), as
    a mask on the table's rows: what a headline counts (hidden rows are left out by
    :meth:`analysis.publishing.StageOutput.headline`).
    """
    earlier = [y for y in survey_years if y < year]
    if not earlier:
        return pd.Series(False, index=changes.index)
    latest = (
        (changes["group_type"] == ORGANISATION)
        & (changes["year"] == year)
        & (changes["base_year"] == max(earlier))
    )
    significant = changes["significant"].astype("boolean").fillna(False).astype(bool)
    return latest & significant & (np.sign(changes["diff_pp"]) == direction)


def item_labels(questionnaire: pd.DataFrame, year: int, width: int = 60) -> pd.DataFrame:
    """Readable labels of the items asked in ``year``, for tables and figures.

    Parameters
    ----------
    questionnaire
        With ``year``, ``item_id``, ``question_number``, ``wording`` and ``theme``.
    year
        The survey year whose wording is used.
    width
        The longest ``item`` label, in characters; longer wording is cut at a word and
        ends with an ellipsis.

    Returns
    -------
    pandas.DataFrame
        ``item_id``, ``question_number``, ``wording``, ``theme``, ``question`` (number and
        full wording, for tables, which wrap it) and ``item`` (number and wording cut to
        ``width``, e.g. ``"Q1 In the last 12 months, have you had an..."``, for figures;
        questions whose cut wordings would read alike keep their ends too), in
        questionnaire order.
    """
    items = questionnaire.loc[
        questionnaire["year"] == year, ["item_id", "question_number", "wording", "theme"]
    ].reset_index(drop=True)
    full = items["question_number"].astype(str) + " " + items["wording"].astype(str)
    items["question"] = full
    items["item"] = _distinct_short_labels(list(full), width)
    return items.astype({"item": "str", "question": "str"})


def _distinct_short_labels(texts: list[str], width: int) -> list[str]:
    """Each text cut at a word to ``width`` characters, unless that would make two read alike.

    Questions that share their opening words (``Q14b``/``Q14c`` "In the last 12 months, have
    you experienced...") keep their opening and their end, cut in the middle; if even that is
    ambiguous they are shown whole.
    """
    words_of = [text.split(" ", 1) for text in texts]
    numbers = [parts[0] for parts in words_of]
    wordings = [parts[1] if len(parts) > 1 else "" for parts in words_of]
    short = [textwrap.shorten(text, width=width, placeholder="...") for text in wordings]
    clashing = {text for text in short if short.count(text) > 1 and text.endswith("...")}
    labels = []
    for number, wording, cut in zip(numbers, wordings, short, strict=True):
        if cut in clashing:
            half = max(10, (width - len(number)) // 2)
            start = textwrap.shorten(wording, width=half, placeholder="")
            end = " ".join(wording.split()[-max(1, len(wording[-half:].split()) - 1) :])
            cut = f"{start}...{end}" if len(start) + len(end) + 3 < len(wording) else wording
        labels.append(f"{number} {cut}".strip())
    return [
        label if labels.count(label) == 1 else text
        for label, text in zip(labels, texts, strict=True)
    ]


def predictor_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """What each key driver is, in words: the question's number and wording, or its theme.

    Parameters
    ----------
    labels
        :func:`item_labels`.

    Returns
    -------
    pandas.DataFrame
        ``predictor`` (an ``item_id`` or a theme, as the drivers table names it) and
        ``driver`` (``"Q7a How satisfied are you..."`` or ``"Theme: Staff engagement"``),
        for :func:`published_rows` ``labels``.

    Examples
    --------
    >>> labels = pd.DataFrame({"item_id": ["look_forward"], "theme": ["Engagement"],
    ...                        "question": ["Q5a I look forward to going to work."]})
    >>> predictor_labels(labels)["driver"].tolist()
    ['Q5a I look forward to going to work.', 'Theme: Engagement']
    """
    questions = labels[["item_id", "question"]].rename(
        columns={"item_id": "predictor", "question": "driver"}
    )
    themes = pd.DataFrame({"predictor": labels["theme"].dropna().unique()})
    themes["driver"] = "Theme: " + themes["predictor"].astype(str)
    return pd.concat([questions, themes], ignore_index=True).drop_duplicates("predictor")


def publication_metadata(name: str, table: pd.DataFrame) -> dict[str, object]:
    """The gate's structure of a survey table, for :meth:`StageOutput.table` with ``gated=True``.

    Parameters
    ----------
    name
        The table's name in :func:`stage_tables` (``item_scores``, ``changes``...).
    table
        The gated table.

    Returns
    -------
    dict
        ``count``, ``dimensions``, ``for_each`` and ``labels`` as
        :func:`analysis.survey.suppress_survey_table` used them (in grouped tables each
        ``group_type`` (breakdown) is a partition along ``group``; a table derived from the
        item scores has no count, and its identifying columns (item, group, years) are
        labels, so that they stay visible in a hidden row), with ``universe`` and
        ``weights`` (how its weighted figures are weighted) for the JSON side file.
    """
    kinds = [k for k in TABLE_KINDS if name == k or name.startswith(k + "_")]
    if not kinds:
        raise ValueError(f"unknown survey table {name!r}: expected one of {sorted(TABLE_KINDS)}")
    gate = TABLE_KINDS[max(kinds, key=len)]
    relations = {"universe": "survey responses", "weights": _weights(name, table)}
    if gate.derived_years:
        keys = ("item_id", "group_type", "group", *gate.derived_years)
        labels = tuple(column for column in keys if column in table.columns)
        return {"count": None, "dimensions": (), "for_each": (), "labels": labels, **relations}
    if not gate.grouped:
        return {
            "count": gate.count,
            "dimensions": (),
            "for_each": gate.for_each,
            "labels": gate.labels,
            **relations,
        }
    # Within one breakdown (group_type) the groups partition the organisation, so a reader
    # can subtract along `group`; different breakdowns are separate tables of one total.
    return {
        "count": gate.count,
        "dimensions": ("group",),
        "for_each": (*gate.for_each, "group_type"),
        "labels": gate.labels,
        **relations,
    }


def _weights(name: str, table: pd.DataFrame) -> dict[str, object]:
    """How a survey table's weighted figures are weighted, for its JSON side file."""
    columns = [str(c) for c in table.columns if str(c).endswith("_weighted")]
    if not columns:
        return {}
    population = (
        "the comparator group's headcount (comparator_profile)"
        if name.startswith("benchmark")
        else "the staff table's headcount (response_rates: headcount)"
    )
    return {
        "columns": columns,
        "classes": ["staff_group"],
        "weight": f"{population} / respondents of the staff group in the year "
        "(response_rates: group_type staff_group, respondents)",
        "shown": "only where every weighting class under the row is a shown cell with a "
        "shown weight (analysis.disclosure.weighted)",
    }


def published_rows(
    published: PublishedTable,
    rows: pd.Series | np.ndarray,
    columns: Sequence[str] | None = None,
    labels: pd.DataFrame | None = None,
    decimals: int = 1,
) -> PublishedTable:
    """Some rows (and columns) of a published table, to show in the report.

    The files already written are not touched; hidden cells still show as ``[c]``.

    Parameters
    ----------
    published
        What :meth:`analysis.publishing.StageOutput.table` returned.
    rows
        A boolean mask over ``published.data``.
    columns
        The columns to show, in order; by default those the published table shows.
    labels
        Optional label columns (e.g. :func:`item_labels`) joined on the columns they share
        with the table; columns of ``labels`` named in ``columns`` may then be shown.
    decimals
        Decimal places of label columns holding numbers, such as the comparators' worst
        and best, which the publisher does not format; figures, their intervals and
        p-values follow :mod:`analysis.presentation`. Years are shown as text, without a
        thousands separator.

    Returns
    -------
    PublishedTable
        A copy holding only those rows and columns.

    Raises
    ------
    ValueError
        If a column is not shown by the published table.
    """
    mask = np.asarray(rows, dtype=bool)
    data = published.data[mask].reset_index(drop=True)
    available = list(published.shown_columns)
    if labels is not None:
        keys = [c for c in labels.columns if c in data.columns]
        if not keys:
            raise ValueError("labels share no column with the published table to join on")
        extra = labels.drop_duplicates(keys)
        data = data.merge(extra, on=keys, how="left", validate="many_to_one")
        available += [c for c in labels.columns if c not in keys]
    shown = tuple(published.shown_columns if columns is None else columns)
    unknown = [c for c in shown if c not in available]
    if unknown:
        raise ValueError(
            f"column(s) {unknown} are not in the published table; choose among {available}"
        )
    for column in ("year", "base_year"):
        if column in data.columns:
            data[column] = data[column].astype("str")
    # Figures and p-values are shown by the publisher's rules (analysis.presentation);
    # only the label columns it leaves as they are (the comparators' worst, best) are rounded.
    figures = {c for c in [published.count, *published.values] if c is not None}
    formatted_by_publisher = published.count is None
    floats = [
        c
        for c in data.columns
        if pd.api.types.is_float_dtype(data[c])
        and not is_p_value(c)
        and not formatted_by_publisher
        and c not in figures
    ]
    data[floats] = data[floats].round(decimals)
    return dataclasses.replace(published, data=data, shown_columns=shown)
