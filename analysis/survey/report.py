"""Everything the survey stage's report shows: gated tables, figures with alt text, findings.

The notebook ``notebooks/01_survey.ipynb`` tells the story; this module builds what each of
its cells shows. :func:`open_survey_report` loads the data package up to the report year and
publishes the stage's gated tables once; every other function takes the
:class:`SurveyReport` it returns and gives one part of the report, in the notebook's order:

* :func:`introduction`: the windows sentence, the heading line and the data notes.
* :func:`who_answered`: respondents and response rates.
* :func:`theme_trends`, :func:`theme_table`: the organisation's theme scores.
* :func:`answers_to_each_question`: how staff answered each question.
* :func:`change_since_last_year`, :func:`significant_changes_table`, :func:`question_trends`:
  change since the previous survey.
* :func:`comparison_with_comparators`: the benchmark against comparator organisations.
* :func:`group_heatmaps`, :func:`directorate_theme_table`: directorates and staff groups.
* :func:`equality_breakdowns`, :func:`equality_groups_table`: equality groups.
* :func:`theme_reliability`: Cronbach's alpha.
* :func:`key_drivers`: what goes with the outcome.

Disclosure: every table is published through :meth:`analysis.publishing.StageOutput.table`
with the gate (:mod:`analysis.disclosure`), and figures, counts and findings are drawn only
from the published (gated) tables, so nothing hidden there shows anywhere else. Headlines
pass :meth:`analysis.publishing.StageOutput.headline`, which gates them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from analysis import findings
from analysis.datapackage import DataPackage, open_data_package
from analysis.datapackage.readiness import notes_markdown
from analysis.datapackage.windows import package_up_to, windows_sentence
from analysis.publishing import DisplayedFigure, PublishedTable, Shown, StageOutput
from analysis.survey import DRIVERS_METHOD, NO_OUTCOME_NOTE, equality_section, figures
from analysis.survey.equality import equality_groups
from analysis.survey.stage import (
    answer_distribution,
    benchmark_of_year,
    change_headlines,
    changes_since_previous_year,
    drivers_outcome,
    item_labels,
    predictor_labels,
    publication_metadata,
    published_rows,
    significant_changes,
    stage_tables,
    trend_series,
)
from analysis.text_safety import markdown

__all__ = [
    "ADJUSTMENT_WORDS",
    "AboutAQuestion",
    "Shown",
    "SurveyReport",
    "answers_to_each_question",
    "change_since_last_year",
    "comparison_with_comparators",
    "directorate_theme_table",
    "equality_breakdowns",
    "equality_groups_table",
    "group_heatmaps",
    "introduction",
    "key_drivers",
    "open_survey_report",
    "percent_positive_heatmap",
    "question_trends",
    "significant_changes_table",
    "table_titles",
    "trend_questions",
    "theme_reliability",
    "theme_table",
    "theme_trends",
    "theme_trends_figure",
    "who_answered",
]

ADJUSTMENT_WORDS = {
    None: "not adjusted",
    "holm": "Holm-adjusted",
    "bh": "Benjamini-Hochberg-adjusted",
}
"""How the report names each ``adjust`` parameter's p-values."""

_TREND_QUESTIONS = 6  # questions drawn by default: those that changed most
_STRONGEST_DIFFERENCES = 20  # equality differences listed in the report
_DRIVERS_SHOWN = 8  # key drivers listed per predictor type


class AboutAQuestion(Protocol):
    """Anything about one survey question, such as a WRES/WDES equality indicator."""

    item_id: str


@dataclass
class SurveyReport:
    """The survey stage for one report year: the package, its gated tables and the writer.

    Attributes
    ----------
    package
        The data package, cut to the report year (nothing later).
    report_year
        The survey year reported on.
    adjust
        The multiple-testing adjustment: ``None``, ``"holm"`` or ``"bh"``.
    out
        The stage's writer of tables, figures and headlines.
    tables
        The stage's gated tables (:func:`analysis.survey.stage.stage_tables`).
    labels
        The questions' short labels (:func:`analysis.survey.stage.item_labels`).
    published
        The published tables, by name, as :meth:`StageOutput.table` returned them.
    """

    package: DataPackage
    report_year: int
    adjust: str | None
    out: StageOutput
    tables: dict[str, pd.DataFrame]
    labels: pd.DataFrame
    published: dict[str, PublishedTable]

    @property
    def minimum(self) -> int:
        """The data package's minimum group size."""
        return self.package.description.minimum_group_size

    def item_names(self, rows: pd.DataFrame, column: str = "item") -> pd.DataFrame:
        """``rows`` with a label column of :attr:`labels` joined on ``item_id``."""
        return rows.merge(self.labels[["item_id", column]], on="item_id")


def table_titles(report_year: int, outcome: str | None) -> dict[str, str]:
    """The title of each of the stage's published tables, in publishing order.

    Parameters
    ----------
    report_year
        The survey year reported on.
    outcome
        The key drivers' outcome (:func:`analysis.survey.stage.drivers_outcome`).

    Returns
    -------
    dict of str to str
        Table name to title.
    """
    return {
        "item_scores": "Percent positive per question, year and group (unweighted and weighted)",
        "theme_scores": "Theme scores (0-10) per year and group (unweighted and weighted)",
        "changes": "Change in percent positive since the previous and the first year "
        "(unweighted and weighted)",
        "group_differences": "Each group against the rest of the organisation, per question "
        "(unweighted and weighted)",
        "response_rates": "Respondents and response rate per year and group",
        "reliability": "Internal consistency of each theme (Cronbach's alpha)",
        "item_rest": "Item-rest correlation of each question with the rest of its theme",
        "benchmark": "The organisation among its comparator group, per question and year "
        "(unweighted, and weighted to the comparator group's staff-group profile)",
        "drivers": f"Key drivers of {outcome}, {report_year}",
    }


def open_survey_report(
    data_dir: Path | str,
    year: int | str | None,
    output_dir: Path | str,
    *,
    adjust: str | None = None,
    outcome: str | None = None,
    detail: bool = False,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> SurveyReport:
    """Load the data package and publish the survey stage's gated tables.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The survey year; ``None`` means the package's latest. Later years are left out.
    output_dir
        Where the stage writes its tables, figures and headlines.
    adjust
        The multiple-testing adjustment: ``None``, ``"holm"`` or ``"bh"``.
    outcome
        The key drivers' outcome (a theme or ``item_id``); ``None`` chooses one.
    detail
        Whether long tables are shown open in the report.
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).

    Returns
    -------
    SurveyReport
        The report, its tables published (CSV and metadata written) through the gate.
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    report_year = package.report_year(None if year is None else int(year))
    package = package_up_to(package, report_year)  # nothing after the report year
    description = package.description
    out = StageOutput(
        output_dir,
        stage="survey",
        minimum_group_size=description.minimum_group_size,
        detail=detail,
    )
    tables = stage_tables(package, report_year, adjust=adjust, outcome=outcome)
    notes = {"drivers": DRIVERS_METHOD}
    published = {
        name: out.table(
            tables[name],
            name,
            title=title,
            note=notes.get(name, ""),
            gated=True,
            blank_suppressed=True,
            **publication_metadata(name, tables[name]),
        )
        for name, title in table_titles(report_year, drivers_outcome(tables)).items()
        if name in tables
    }
    labels = item_labels(package.questionnaire, report_year)
    return SurveyReport(package, report_year, adjust, out, tables, labels, published)


def introduction(report: SurveyReport) -> Shown:
    """The windows sentence, the report's heading line and the data package's notes."""
    description = report.package.description
    return Shown(
        markdown("{windows}", windows=windows_sentence(description.windows, report.report_year)),
        markdown(
            "**{organisation}**: staff survey {year}. Minimum group size: {minimum} "
            "respondents. Significance at the 5% level, p-values {adjustment}.",
            organisation=description.organisation_name,
            year=report.report_year,
            minimum=report.minimum,
            adjustment=ADJUSTMENT_WORDS[report.adjust],
        ),
        notes_markdown(report.package, "survey", report.report_year),
    )


def who_answered(report: SurveyReport) -> PublishedTable:
    """Respondents and response rate of the organisation and its staff groups this year."""
    rates = report.published["response_rates"]
    this_year = (rates.data["year"] == report.report_year) & rates.data["group_type"].isin(
        ["organisation", "staff_group"]
    )
    return published_rows(
        rates, this_year, ["group_type", "group", "headcount", "respondents", "response_rate"]
    )


def _organisation_themes(report: SurveyReport) -> pd.Series:
    """Mask of the organisation's rows in the published theme scores."""
    themes = report.published["theme_scores"].data
    return (themes["group_type"] == "organisation") & (themes["year"] <= report.report_year)


def theme_trends_figure(
    out: StageOutput,
    published: PublishedTable,
    theme_rows: pd.DataFrame,
    report_year: int,
    *,
    whose: str = "the organisation's",
    caption_note: str = "",
) -> tuple[str, DisplayedFigure]:
    """The finding on one group's theme scores this year and the figure of their trends.

    Parameters
    ----------
    out
        The writer of the figure.
    published
        The published theme scores the figure is drawn from (its data, for the figure's files).
    theme_rows
        The group's rows of ``published``: one per theme and year.
    report_year
        The survey year whose highest and lowest scores make the finding.
    whose
        Whose scores the alt text names, e.g. ``"the organisation's"`` or ``"Surgery's"``.
    caption_note
        Appended to the caption, e.g. ``" [c]: suppressed."`` where cells may be hidden.

    Returns
    -------
    tuple of str and DisplayedFigure
        The finding (:func:`analysis.findings.extremes_finding`) and the figure.
    """
    finding = findings.extremes_finding(
        theme_rows[theme_rows["year"] == report_year],
        category="theme",
        value="score",
        high=f"Highest theme score in {report_year}",
        low="lowest",
        unit=" of 10",
        decimals=1,
    )
    figure = out.figure(
        figures.trend_panels(
            theme_rows,
            panel="theme",
            y="score",
            low="ci_low",
            high="ci_high",
            ylabel="Theme score (0-10)",
            title=finding,
            limits=(0, 10),
            columns=4,
        ),
        "theme_trends",
        alt=f"Small line charts, one per theme, of {whose} 0-10 theme score in every "
        f"survey year with a shaded 95% confidence interval. {finding}.",
        caption=f"Theme scores (0-10), unweighted, with 95% confidence intervals.{caption_note}",
        data=published,
    )
    return finding, figure


def theme_trends(report: SurveyReport) -> Shown:
    """The finding on this year's theme scores and the figure of their trends."""
    published = report.published["theme_scores"]
    finding, figure = theme_trends_figure(
        report.out, published, published.data[_organisation_themes(report)], report.report_year
    )
    return Shown(markdown("{finding}.", finding=finding), figure)


def theme_table(report: SurveyReport) -> PublishedTable:
    """The organisation's theme scores this year, unweighted and weighted."""
    published = report.published["theme_scores"]
    return published_rows(
        published,
        _organisation_themes(report) & (published.data["year"] == report.report_year),
        [
            "theme",
            "n",
            "score",
            "ci_low",
            "ci_high",
            "score_weighted",
            "ci_low_weighted",
            "ci_high_weighted",
        ],
    )


def answers_to_each_question(report: SurveyReport) -> DisplayedFigure:
    """Publish the answer distribution (gated) and draw it as diverging bars."""
    year = report.report_year
    package = report.package
    distribution = report.out.table(
        answer_distribution(package.responses, package.questionnaire, package.scales, year),
        "answer_distribution",
        title=f"Share of answers to each question by answer, {year}",
        count="n",
        for_each=["year", "item_id", "code"],
        labels=["label", "answer_position"],
        values=["answered", "percent"],
        blank_suppressed=True,
    )
    bars = report.item_names(distribution.data)
    positive = findings.positive_share(bars, item="item").merge(
        report.labels[["item", "question_number"]], on="item"
    )
    most_and_least = {"high": f"Most positive in {year}", "low": "least positive"}
    return report.out.figure(
        figures.likert_bars(
            bars,
            item="item",
            title=findings.extremes_finding(
                positive, category="question_number", value="pct_positive", **most_and_least
            ),
        ),
        "answer_distribution",
        alt=f"Diverging stacked bar chart: for every question of {year}, the share of "
        "negative answers to the left of a central line and positive answers to the right, "
        "with the share of 'don't know' answers in a separate panel. "
        + findings.extremes_finding(
            positive, category="item", value="pct_positive", **most_and_least
        )
        + " (share of valid answers).",
        caption="Share of valid answers (%). [c]: suppressed.",
        data=distribution,
    )


def _previous_year_changes(report: SurveyReport) -> pd.DataFrame:
    """The organisation's published changes since the previous survey, this year."""
    return changes_since_previous_year(
        report.published["changes"].data,
        report.report_year,
        report.package.description.survey_years,
    )


def _shown_changes(report: SurveyReport) -> pd.DataFrame:
    """Those of :func:`_previous_year_changes` that the gate did not hide."""
    previous = _previous_year_changes(report)
    return previous[~previous["suppressed"]]


def change_since_last_year(report: SurveyReport) -> Any:
    """Headlines and the sentence on questions significantly better or worse than last year.

    Writes two headlines ("Questions significantly better/worse than last year"), gated by
    :meth:`StageOutput.headline`, and returns the sentence that counts them.
    """
    published = report.published["changes"]
    survey_years = report.package.description.survey_years
    previous = _previous_year_changes(report)
    shown = previous[~previous["suppressed"]]
    significant = shown["significant"].fillna(False)
    counted = change_headlines(previous, report.adjust)
    for label, direction in (("better", 1), ("worse", -1)):
        report.out.headline(
            f"Questions significantly {label} than last year",
            published,
            statistic="rows",
            where=significant_changes(published.data, report.report_year, survey_years, direction),
            caveat=counted[label]["caveat"],
            adjustment=counted[label]["adjustment"],
        )
    return markdown(
        "Of {shown} questions comparable with the previous survey, **{better}** were "
        "significantly more positive in {year} and **{worse}** significantly less positive "
        "(better: {better_adjusted}; worse: {worse_adjusted}){caveat}."
        if len(previous)
        else "{year} is the first survey year: there is no earlier year to compare with.",
        shown=len(shown),
        better=int((significant & (shown["diff_pp"] > 0)).sum()),
        worse=int((significant & (shown["diff_pp"] < 0)).sum()),
        better_adjusted=counted["better"]["adjustment"],
        worse_adjusted=counted["worse"]["adjustment"],
        caveat=f"; {counted['better']['caveat']}" if counted["better"]["caveat"] else "",
        year=report.report_year,
    )


def significant_changes_table(report: SurveyReport) -> PublishedTable:
    """The organisation's significant changes this year, against the previous survey."""
    published = report.published["changes"]
    changes = published.data
    significant_rows = (
        (changes["group_type"] == "organisation")
        & (changes["year"] == report.report_year)
        & changes["base_year"].isin(_previous_year_changes(report)["base_year"].unique())
        & changes["significant"].fillna(False).astype(bool)
    )
    return published_rows(
        published,
        significant_rows,
        ["question", "base_year", "base_pct", "pct", "diff_pp", "p_value", "p_adjusted"],
        labels=report.labels,
    )


def trend_questions(report: SurveyReport, trend_items: Sequence[str] | None) -> list[str]:
    """The questions whose trends are drawn.

    Parameters
    ----------
    report
        The survey report.
    trend_items
        ``item_id`` s chosen by the reader; ``None`` chooses the (up to six) questions whose
        published percent positive changed most since the previous survey.

    Returns
    -------
    list of str
        The chosen ``item_id`` s.
    """
    if trend_items is not None:
        return list(trend_items)
    shown = _shown_changes(report)
    ranked = shown.loc[shown["diff_pp"].abs().sort_values(ascending=False).index]
    return list(ranked["item_id"].head(_TREND_QUESTIONS))


def question_trends(
    report: SurveyReport, trend_items: Sequence[str] | None = None
) -> DisplayedFigure | None:
    """Trends of the chosen questions over the comparator band; ``None`` without any rows."""
    chosen = trend_questions(report, trend_items)
    scores = report.published["item_scores"].data
    trend_rows = report.item_names(
        trend_series(
            scores[(scores["group_type"] == "organisation") & scores["item_id"].isin(chosen)],
            report.package.questionnaire,
        )
    )
    band = report.published.get("benchmark")
    band_rows = None if band is None else report.item_names(band.data)
    shown = _shown_changes(report)
    base_years = shown["base_year"].unique()
    finding = findings.largest_change_finding(
        report.item_names(shown[shown["item_id"].isin(chosen)], "question_number"),
        item="question_number",
        since=str(base_years[0]) if len(base_years) == 1 else "the previous survey",
    )
    if not len(trend_rows):
        return None
    return report.out.figure(
        figures.trend_panels(
            trend_rows,
            panel="item",
            y="pct_positive",
            low="ci_low",
            high="ci_high",
            band=band_rows,
            ylabel="Percent positive (%)",
            title=finding,
        ),
        "item_trends",
        alt="Small line charts, one per question, of the organisation's percent positive "
        "in every survey year with a shaded 95% interval, over a grey band from the "
        "comparator group's worst to best result and a dashed line at its average. "
        f"{finding}.",
        caption="Percent positive (%), unweighted, with 95% Wilson intervals. Grey band: "
        "comparator organisations, worst to best; dashed: comparator average. [c]: "
        "suppressed.",
        data=[report.published["item_scores"], *([] if band is None else [band])],
    )


def _comparison_counts(rows: pd.DataFrame, column: str) -> dict[str, int]:
    """How many unsuppressed questions were better, similar and worse than the comparators."""
    counts = rows.loc[~rows["suppressed"], column].value_counts()
    return {word: counts.get(word, 0) for word in ("better", "similar", "worse")}


def comparison_with_comparators(report: SurveyReport) -> Shown:
    """Sentences, figure and table of the organisation among its comparator group."""
    year = report.report_year
    published = report.published.get("benchmark")
    if published is None:
        return Shown(
            markdown("The data package has no comparator table, so there is no comparison.")
        )
    this_bench, profile_weighted = benchmark_of_year(published.data, year)
    if not len(this_bench):
        return Shown(
            markdown(
                "The comparators table has no {year} rows: no comparison this year.",
                year=year,
            )
        )
    this_bench = report.item_names(this_bench)
    counts = _comparison_counts(this_bench, "comparison")
    shown: list[Any] = [
        markdown(
            "In {year}, against the average of {comparators} comparator organisations, the "
            "organisation was significantly better on **{better}** questions, similar on "
            "{similar} and significantly worse on **{worse}**.",
            year=year,
            comparators=int(this_bench["comparators"].max()),
            **counts,
        )
    ]
    if profile_weighted:
        shown.append(
            markdown(
                "Weighted to the comparator group's staff-group mix, it was significantly "
                "better on **{better}**, similar on {similar} and significantly worse on "
                "**{worse}** (the columns ending `weighted`).",
                **_comparison_counts(this_bench, "comparison_weighted"),
            )
        )
    finding = (
        f"{year}: better than comparators on {counts['better']} questions, "
        f"worse on {counts['worse']}"
    )
    shown.append(
        report.out.figure(
            figures.benchmark_dots(this_bench, item="item", title=finding),
            "benchmark",
            alt="Dot plot: for every question, a grey bar from the comparator group's worst "
            "to best percent positive, a tick at its average and a dot for the organisation, "
            "green where significantly better, red where worse, dark grey where similar. "
            f"{finding}.",
            caption="Percent positive (%), unweighted, as the comparators' published figures.",
            data=published,
        )
    )
    weighted = ["pct_weighted", "se_weighted", "rank_weighted", "comparison_weighted"]
    shown.append(
        published_rows(
            published,
            published.data["year"] == year,
            [
                "question",
                "n",
                "pct",
                "worst",
                "average",
                "best",
                "rank",
                "organisations",
                "quintile",
                "comparison",
                *(weighted if profile_weighted else []),
            ],
            labels=report.labels,
        )
    )
    return Shown(*shown)


def percent_positive_heatmap(
    out: StageOutput,
    published: PublishedTable,
    cells: pd.DataFrame,
    report_year: int,
    *,
    column: str,
    name: str,
    stem: str,
    within: str = "",
) -> DisplayedFigure:
    """Heatmap of this year's percent positive by question (rows) and group (columns).

    Parameters
    ----------
    out
        The writer of the figure.
    published
        The published table the cells come from (its data, for the figure's files).
    cells
        One row per question and group, with the questions' labels in ``item``.
    report_year
        The survey year the cells are of.
    column
        The column of ``cells`` that names the groups.
    name
        What a group is, in words, e.g. ``"staff group"``.
    stem
        The figure's file name stem.
    within
        The group the groups belong to, named in the alt text (e.g. a directorate's pack),
        or ``""`` for the whole organisation.

    Returns
    -------
    DisplayedFigure
        The figure, its finding (:func:`analysis.findings.group_comparison_finding`) as title
        and in the alt text.
    """
    finding = findings.group_comparison_finding(
        cells,
        row="item",
        column=column,
        value="pct_positive",
        when=f" in {report_year}",
    )
    of_group = f" of {within}" if within else ""
    return out.figure(
        figures.group_heatmap(
            cells,
            row="item",
            column=column,
            value="pct_positive",
            title=finding,
            colour_label="Percent positive (%)",
        ),
        stem,
        alt=f"Heatmap of the percent positive on every question (rows) in every {name}"
        f"{of_group} (columns), blue high and red low, with suppressed cells hatched and "
        f"marked [c]. {finding}.",
        caption=f"Percent positive (%) by {name}, unweighted. [c]: suppressed.",
        data=published,
    )


def group_heatmaps(report: SurveyReport) -> Shown:
    """Heatmaps of this year's percent positive by directorate and by staff group."""
    published = report.published["item_scores"]
    scores = published.data
    this_year = report.item_names(scores[scores["year"] == report.report_year])
    return Shown(
        *(
            percent_positive_heatmap(
                report.out,
                published,
                this_year[this_year["group_type"] == group_column],
                report.report_year,
                column="group",
                name=name,
                stem=f"heatmap_{group_column}",
            )
            for group_column, name in (
                ("directorate", "directorate"),
                ("staff_group", "staff group"),
            )
        )
    )


def directorate_theme_table(report: SurveyReport) -> PublishedTable:
    """Theme scores of every directorate this year."""
    published = report.published["theme_scores"]
    themes = published.data
    return published_rows(
        published,
        (themes["year"] == report.report_year) & (themes["group_type"] == "directorate"),
        ["group", "theme", "n", "score", "ci_low", "ci_high", "score_weighted"],
    )


def _equality_heatmap(report: SurveyReport, group_column: str) -> DisplayedFigure:
    """Heatmap of this year's theme scores across the groups of one equality breakdown."""
    published = report.published["theme_scores"]
    themes = published.data
    name = group_column.replace("_", " ")
    cells = themes[(themes["year"] == report.report_year) & (themes["group_type"] == group_column)]
    finding = findings.group_comparison_finding(
        cells,
        row="theme",
        column="group",
        value="score",
        when=f" in {report.report_year}",
        rows="themes",
    )
    return report.out.figure(
        figures.group_heatmap(
            cells,
            row="theme",
            column="group",
            value="score",
            title=finding,
            colour_label="Theme score (0-10)",
            limits=(0, 10),
            decimals=1,
        ),
        f"equality_{group_column}",
        alt=f"Heatmap of the 0-10 score on every theme (rows) for every {name} group "
        f"(columns), blue high and red low, with suppressed cells hatched and marked [c]. "
        f"{finding}.",
        caption=f"Theme scores (0-10) by {name}, unweighted. [c]: suppressed.",
        data=published,
    )


def equality_breakdowns(report: SurveyReport) -> Shown:
    """The equality finding, a theme heatmap per breakdown and the strongest differences."""
    year = report.report_year
    breakdowns = equality_section.equality_breakdowns(report.package.description.group_columns)
    published = report.published["group_differences"]
    differences = published.data
    finding = equality_section.equality_finding(
        differences,
        equality_section.equality_differences(differences, year, breakdowns),
        report.labels,
        year,
        ADJUSTMENT_WORDS[report.adjust],
    )
    return Shown(
        markdown("{finding}", finding=finding),
        *(_equality_heatmap(report, group_column) for group_column in breakdowns),
        markdown("Those with the strongest evidence, at most 20 (all: `group_differences.csv`):"),
        published_rows(
            published,
            equality_section.equality_differences(
                differences, year, breakdowns, strongest=_STRONGEST_DIFFERENCES
            ),
            list(equality_section.EQUALITY_COLUMNS),
            labels=report.labels,
        ),
    )


def equality_groups_table(
    report: SurveyReport, indicators: Iterable[AboutAQuestion]
) -> PublishedTable:
    """Publish BME against white and disabled against non-disabled staff (gated).

    Parameters
    ----------
    report
        The survey report.
    indicators
        The questions to show, e.g. the annual summary's WRES/WDES-style indicators
        (:data:`analysis.summary.equality.INDICATORS`), passed in by the notebook: the
        summary is a floor above the stages.

    Returns
    -------
    PublishedTable
        The published table's rows of those questions in the report year.
    """
    package = report.package
    equality = report.out.table(
        equality_groups(
            package.responses, package.questionnaire, report.tables["item_scores"], report.minimum
        ),
        "equality_groups",
        title="Percent positive of BME against white staff and of disabled against non-disabled "
        "staff, per question and year",
        gated=True,
        blank_suppressed=True,
        count="n",
        dimensions=("group",),
        for_each=("year", "item_id", "comparison"),
        labels=("side",),
        values=("n_positive", "pct_positive", "ci_low", "ci_high"),
    )
    return published_rows(
        equality,
        (equality.data["year"] == report.report_year)
        & equality.data["item_id"].isin([indicator.item_id for indicator in indicators]),
        ["item_id", "comparison", "group", "n", "pct_positive", "ci_low", "ci_high"],
    )


def theme_reliability(report: SurveyReport) -> PublishedTable:
    """Cronbach's alpha of every theme this year."""
    published = report.published["reliability"]
    return published_rows(published, published.data["year"] == report.report_year)


def key_drivers(report: SurveyReport) -> Shown:
    """The outcome's headline, the method and the strongest drivers; a note without them."""
    if "drivers" not in report.published:
        return Shown(markdown(NO_OUTCOME_NOTE))
    published = report.published["drivers"]
    outcome = drivers_outcome(report.tables)
    themes = report.published["theme_scores"]
    outcome_rows = themes.data[
        _organisation_themes(report)
        & (themes.data["year"] == report.report_year)
        & (themes.data["theme"] == outcome)
    ]
    if len(outcome_rows):
        report.out.headline(
            f"{outcome} theme score (0-10)", themes, row=outcome_rows.index[0], column="score"
        )
    drivers = published.data
    top = drivers.groupby("predictor_type").head(_DRIVERS_SHOWN).index
    return Shown(
        markdown("**Outcome: {outcome}.** " + DRIVERS_METHOD, outcome=outcome),
        published_rows(
            published,
            drivers.index.isin(top),
            ["driver", "predictor_type", "theme", "n", "correlation"]
            + ["ci_low", "ci_high", "rank"],
            labels=predictor_labels(report.labels),
        ),
    )
