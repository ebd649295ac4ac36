"""The data overview stage's report: everything ``notebooks/00_data_overview.ipynb`` shows.

The notebook tells the story; this module builds what each of its cells shows. Every table
is published through :class:`analysis.publishing.StageOutput`, which applies the disclosure
gate; the response tables are the survey stage's, gated together
(:func:`analysis.overview.counts.gated_response_rates`). Findings and figures are read
from the published (gated) tables, so a hidden group never enters a sentence or a chart.

Start with :func:`open_report`; each method of :class:`OverviewReport` is one cell of the
notebook, in the notebook's order (tables and headline figures are published in that
order, so call the methods in it).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from analysis import figures, findings
from analysis.datapackage import DataPackage, open_data_package
from analysis.datapackage.summary import quotes_setting
from analysis.datapackage.windows import package_up_to, windows_sentence
from analysis.overview import counts
from analysis.publishing import PublishedTable, Shown, StageOutput
from analysis.text_safety import markdown

__all__ = ["BLANK_SHARE", "OverviewReport", "Shown", "open_report"]

BLANK_SHARE = 10
"""Percent of respondents above which an item counts as often left blank."""

_RESPONSE_FIGURES = {"count": "respondents", "values": ["response_rate"], "labels": ["headcount"]}
"""How every response-rate table is gated: its count, its figures and its labels."""


class OverviewReport:
    """The data overview for one data package and report year: one method per cell.

    Made by :func:`open_report`.

    Parameters
    ----------
    package
        The validated data package, cut to the report year
        (:func:`analysis.datapackage.windows.package_up_to`).
    out
        Where the stage publishes.
    report_year
        The survey year reported on.
    """

    def __init__(self, package: DataPackage, out: StageOutput, report_year: int) -> None:
        self.package = package
        self.out = out
        self.report_year = report_year

    @cached_property
    def response_rates(self) -> pd.DataFrame:
        """The survey stage's response rates, every year to the report year, gated."""
        return counts.gated_response_rates(self.package, self.report_year)

    def introduction(self) -> Shown:
        """The windows of the report and the package's organisation, years and settings."""
        description = self.package.description
        return Shown(
            markdown("{windows}", windows=windows_sentence(description.windows, self.report_year)),
            markdown(
                "**{organisation}**: staff survey {year}. Survey years in the data "
                "package: {years}. Minimum group size: {minimum} respondents. {quotes}.",
                organisation=description.organisation_name,
                year=self.report_year,
                years=", ".join(map(str, description.survey_years)),
                minimum=self.out.minimum_group_size,
                quotes=quotes_setting(self.package),
            ),
        )

    def response_over_the_years(self) -> Shown:
        """Publish the response by year (and its headlines), then by staff group and year.

        Returns the table by year, the line chart of the staff groups' response rates and
        their table.
        """
        by_year = self.out.table(
            counts.published_response_rates(self.response_rates, []),
            "response_by_year",
            title="Respondents and response rate by survey year",
            for_each=["year"],
            gated=True,
            **_RESPONSE_FIGURES,
        )
        this_year = {"year": self.report_year}
        self.out.headline("Respondents", by_year, row=this_year, column="respondents")
        self.out.headline("Response rate", by_year, row=this_year, text="{response_rate:.0f}%")
        published = self.out.table(
            counts.published_response_rates(self.response_rates, ["staff_group"]),
            "response_by_year_and_staff_group",
            title="Response rate by staff group and survey year",
            dimensions=["staff_group"],
            for_each=["year"],
            gated=True,
            **_RESPONSE_FIGURES,
        )
        finding = findings.group_comparison_finding(
            published.data,
            row="year",
            column="staff_group",
            value="response_rate",
            lowest="had the lowest response rate in",
            highest="the highest in",
            rows="years",
        )
        chart = figures.trend_chart(
            published.data,
            x="year",
            y="response_rate",
            series="staff_group",
            xlabel="Survey year",
            ylabel="Response rate (%)",
            title=finding,
        )
        figure = self.out.figure(
            chart,
            "response_by_year_and_staff_group",
            alt="Line chart of the response rate of each staff group in every survey year. "
            f"{finding}.",
            caption="Response rate (%) by staff group. [c]: suppressed.",
            data=published,
        )
        return Shown(by_year, figure, published)

    def _response_by(self, column: str, label: str) -> Shown:
        """Publish the report year's response rates by ``column``, with their bar chart."""
        published = self.out.table(
            counts.published_response_rates(self.response_rates, [column], self.report_year),
            f"response_by_{column}",
            title=f"Response rate by {label}, {self.report_year}",
            dimensions=[column],
            gated=True,
            **_RESPONSE_FIGURES,
        )
        finding = findings.range_finding(
            published.data,
            category=column,
            value="response_rate",
            measure="Response rates",
            when=f" in {self.report_year}",
        )
        chart = figures.bar_chart(
            published.data,
            category=column,
            value="response_rate",
            xlabel="Response rate (%)",
            title=finding,
            limit=100,
        )
        figure = self.out.figure(
            chart,
            f"response_by_{column}",
            alt=f"Bar chart of the response rate of each {label} in {self.report_year}. {finding}.",
            caption=f"Response rate (%) by {label}. [c]: suppressed.",
            data=published,
        )
        return Shown(figure, published)

    def response_by_directorate(self) -> Shown:
        """The bar chart of the directorates' response rates in the report year, and its table."""
        return self._response_by("directorate", "directorate")

    def response_by_staff_group(self) -> Shown:
        """The bar chart of the staff groups' response rates in the report year, and its table."""
        return self._response_by("staff_group", "staff group")

    def response_by_directorate_and_staff_group(self) -> PublishedTable:
        """The report year's response rates by directorate and staff group together."""
        by = ["directorate", "staff_group"]
        return self.out.table(
            counts.published_response_rates(self.response_rates, by, self.report_year),
            "response_by_directorate_and_staff_group",
            title=f"Response rate by directorate and staff group, {self.report_year}",
            dimensions=by,
            gated=True,
            **_RESPONSE_FIGURES,
        )

    def who_responded(self) -> Shown:
        """One table of respondents per demographic group column (not directorate, staff group)."""
        columns = [
            column
            for column in self.package.description.group_columns
            if column not in ("directorate", "staff_group")
        ]
        return Shown(
            *(
                self.out.table(
                    counts.respondents_by_group(self.package, self.report_year, column),
                    f"respondents_by_{column}",
                    title=f"Respondents by {column.replace('_', ' ')}, {self.report_year}",
                    count="respondents",
                    dimensions=[column],
                    values=["percent"],
                )
                for column in columns
            )
        )

    def missing_answers(self) -> Shown:
        """The sentence on the items often left blank, and the table of answers per item."""
        missing = counts.missing_answers(self.package, self.report_year)
        return Shown(
            often_blank_sentence(missing, self.report_year),
            self.out.table(
                missing,
                "missing_answers",
                title=f"Answers, excluded answers and blanks per item, {self.report_year}",
                count="respondents",
                for_each=["item_id"],
                values=["answered", "excluded", "blank", "percent_blank"],
                labels=["question_number", "theme"],
            ),
        )

    def questionnaire_changes(self) -> PublishedTable:
        """What changed in the questionnaire from each survey year to the next."""
        return self.out.table(
            counts.questionnaire_changes(self.package),
            "questionnaire_changes",
            title="Questionnaire changes from one survey year to the next",
            disclosure="not person-level: lists questions, not answers",
        )

    def comments(self) -> PublishedTable:
        """Publish the respondents who wrote comments each year, and the report year's count."""
        published = self.out.table(
            counts.comments_by_year(self.package),
            "comments_by_year",
            title="Respondents who wrote free-text comments, by survey year",
            count="commenters",
            for_each=["year"],  # years are not parts of a published total
            values=["comments", "percent_commenting"],
            labels=["respondents"],
        )
        this_year = {"year": self.report_year}
        self.out.headline("Comments", published, row=this_year, column="comments")
        return published


def often_blank_sentence(missing: pd.DataFrame, year: int) -> Markdown:
    """How many items were asked, and which were left blank by over :data:`BLANK_SHARE` %.

    Parameters
    ----------
    missing
        :func:`analysis.overview.counts.missing_answers` for ``year``.
    year
        The survey year.
    """
    often_blank = missing[missing["percent_blank"] > BLANK_SHARE]
    return markdown(
        "{asked} items were asked in {year}; {blank} were left blank by more than {share}% of "
        "respondents{which}.",
        asked=len(missing),
        share=BLANK_SHARE,
        year=year,
        blank=len(often_blank),
        which=": " + ", ".join(often_blank["question_number"]) if len(often_blank) else "",
    )


def open_report(
    data_dir: Path | str,
    *,
    year: int | str | None,
    output_dir: Path | str,
    detail: bool = False,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> OverviewReport:
    """Load and check the data package, cut it to the report year; start the stage's output.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The survey year reported on; ``None`` means the latest. Nothing after it is used
        (:func:`analysis.datapackage.windows.package_up_to`).
    output_dir
        The run's folder, where the stage publishes.
    detail
        ``True`` shows long tables open (the notebook's parameter of the same name).
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).

    Raises
    ------
    analysis.problems.DataPackageError
        If the data package is not valid.
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    report_year = package.report_year(None if year is None else int(year))
    minimum = package.description.minimum_group_size
    out = StageOutput(output_dir, stage="data_overview", minimum_group_size=minimum, detail=detail)
    return OverviewReport(package_up_to(package, report_year), out, report_year)
