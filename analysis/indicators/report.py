"""The indicators stage's report: everything ``notebooks/03_indicators.ipynb`` shows.

The notebook tells the story; this module builds what each of its cells shows. Every table
is published through :class:`analysis.publishing.StageOutput` and reaches the reader only
after the disclosure gate: team values about staff pass
:func:`analysis.indicators.values.suppress_small_teams` (which applies
:func:`analysis.disclosure.suppress_small_groups`), the funnel plots hide what the team table
hides (:func:`analysis.disclosure.derived.hide_where_hidden`), and the appraisal tables pass
the gate with their staff counts. Findings and figures are read from the gated tables: a
hidden team never enters a sentence, a count or a chart.

Start with :func:`open_report`; each method of :class:`IndicatorsReport` is one cell of the
notebook, in the notebook's order (the headline figures are recorded in that order). The
sentences and the tables about the performance model are :mod:`analysis.indicators.findings`.

References
----------
.. [1] NHS England (2019), *Making Data Count: Getting started*: SPC charts, their rules and
   icons.
.. [2] Spiegelhalter, D. J. (2005), "Funnel plots for comparing institutional performance",
   *Statistics in Medicine* 24(8), 1185-1202.
.. [3] OECD and JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and
   User Guide*, OECD Publishing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from analysis.datapackage import DataPackage, open_data_package
from analysis.datapackage.readiness import year_blockers
from analysis.datapackage.windows import ReportWindow, package_up_to, windows_sentence
from analysis.disclosure.derived import hide_where_hidden
from analysis.disclosure.gated import gate
from analysis.indicators import (
    appraisals,
    composite_figures,
    figures,
    line_of_sight,
    profiles,
    quality,
    spc_icons,
    specifications,
    values,
)
from analysis.indicators.composite import CompositeIndex, composite_index
from analysis.indicators.findings import (
    catalogue,
    clear_goals_finding,
    composite_indicator_ids,
    funnel_finding,
    funnel_indicators,
    indicators_by_role,
    line_of_sight_finding,
    passport,
    recalculation_note,
    role_finding,
    spc_finding,
    teams_left_out,
)
from analysis.publishing import DisplayedFigure, PublishedTable, Shown, StageOutput
from analysis.text_safety import markdown

__all__ = ["FUNNEL_LABELS", "IndicatorsReport", "Shown", "open_report"]

FUNNEL_LABELS = ["indicator_id", "period", "unit", "data_type", "phi", "tau2", "adjusted", "target"]
"""The funnel table's columns that describe a point, not a figure about staff."""

_VALUE_LABELS = ["indicator_id", "level", "unit", "period"]
"""The columns of an indicator values table that name a row (shown even where hidden)."""


# The report --------------------------------------------------------------------------------


class IndicatorsReport:
    """The indicators stage for one data package and report year: one method per cell.

    Made by :func:`open_report`. The values are worked out once, when first needed, and
    every table is published once; the methods return what the cell shows.

    Parameters
    ----------
    package
        The validated data package, cut to the report year
        (:func:`analysis.datapackage.windows.package_up_to`).
    model
        The indicator specifications, checked against the package.
    out
        Where the stage publishes.
    survey_year
        The survey year reported on.
    spc_charts, primary_coder, appraisal_year, clear_goals_items, appraisal_item
        The notebook's parameters of the same names.
    """

    def __init__(
        self,
        package: DataPackage,
        model: specifications.PerformanceModel,
        out: StageOutput,
        survey_year: int,
        *,
        spc_charts: Sequence[Sequence[str]] | None = None,
        primary_coder: str | None = None,
        appraisal_year: int | None = None,
        clear_goals_items: Sequence[str] | None = None,
        appraisal_item: str | None = None,
    ) -> None:
        self.package = package
        self.model = model
        self.out = out
        self.survey_year = survey_year
        self.charts_asked = spc_charts
        self.primary_coder = primary_coder
        self.appraisal_year = appraisal_year
        self.clear_goals_items = clear_goals_items
        self.appraisal_item = appraisal_item
        self.minimum = out.minimum_group_size
        self.windows = package.description.windows
        self.period = values.reporting_period(
            package.indicator_values, survey_year, self.windows["indicators"]
        )
        self.report_year = self.period.window.year
        self.names = {i.id: i.name for i in model.indicators}

    # The values behind the tables ---------------------------------------------------------

    @cached_property
    def all_values(self) -> pd.DataFrame:
        """Every indicator value up to the end of the shown window, monthly rows.

        The package's ``indicator_values`` with the survey-derived and comment-based values
        worked out from the package (comment-based only when it has coded comments).
        """
        package, model = self.package, self.model
        survey_values = values.survey_indicator_values(
            package.responses, package.questionnaire, model
        )
        comment_values = None  # no coded comments in this data package
        if package.comments is not None and package.codings is not None:
            comment_values = values.comment_indicator_values(
                package.comments, package.codings, package.responses, model, self.primary_coder
            )
        every = [package.indicator_values, survey_values, comment_values]
        return values.up_to(pd.concat(every, ignore_index=True), self.period.window)

    def _values(self, level: str, period: str) -> pd.DataFrame:
        """:func:`analysis.indicators.values.indicator_table` at a level, by year or month."""
        return values.indicator_table(
            self.all_values,
            self.package.teams,
            self.model,
            level=level,
            period=period,
            year_window=self.period.window.kind,
        )

    def _gated(self, table: pd.DataFrame) -> pd.DataFrame:
        """The disclosure gate for indicator values: small teams hidden, with a partner."""
        return values.suppress_small_teams(table, self.model, self.minimum)

    @cached_property
    def team_values(self) -> pd.DataFrame:
        """Team values by year, before the gate (for funnel limits and correlations)."""
        return self._values("team", "year")

    @cached_property
    def gated_team_values(self) -> pd.DataFrame:
        """Team values by year after the gate."""
        return self._gated(self.team_values)

    @cached_property
    def gated_team_values_this_year(self) -> pd.DataFrame:
        """The gated team values of the shown year."""
        table = self.gated_team_values
        return table[table["period"] == str(self.report_year)]

    @cached_property
    def monthly_values(self) -> dict[str, pd.DataFrame]:
        """Monthly values at each level (organisation, directorate, team), before the gate."""
        return {level: self._values(level, "month") for level in values.LEVELS}

    @cached_property
    def gated_monthly_values(self) -> dict[str, pd.DataFrame]:
        """Monthly values at each level after the gate."""
        return {level: self._gated(table) for level, table in self.monthly_values.items()}

    @cached_property
    def unit_spc_charts(self) -> dict[str, dict[tuple[str, str], pd.DataFrame]]:
        """Each level's SPC charts by indicator and unit, from the gated monthly values."""
        return {
            level: values.unit_spc_charts(table, self.model)
            for level, table in self.gated_monthly_values.items()
        }

    @cached_property
    def spc_summaries(self) -> dict[str, pd.DataFrame]:
        """Each level's SPC summary (latest point's icons), from its charts."""
        return {
            level: values.summarise_spc_charts(charts)
            for level, charts in self.unit_spc_charts.items()
        }

    @cached_property
    def team_scorecard(self) -> pd.DataFrame:
        """Every team's gated value, rating and trend on every indicator in the shown year."""
        return values.scorecard(
            self.gated_team_values, self.spc_summaries["team"], self.report_year, self.model
        )

    @cached_property
    def role_profile_rows(self) -> pd.DataFrame:
        """Each role's indicators by team, from the gated scorecard."""
        package = self.package
        return profiles.role_profiles(
            self.team_scorecard, package.staff_list, package.role_profiles, self.model
        )

    @cached_property
    def coverage_window(self) -> ReportWindow | None:
        """The appraisal window shown (``None``: no appraisal recorded up to the year)."""
        year = self.survey_year if self.appraisal_year is None else int(self.appraisal_year)
        return appraisals.appraisal_window(
            self.package.appraisals, year, self.windows["appraisals"]
        )

    # Tables the headlines and figures are taken from -----------------------------------

    @cached_property
    def published_performance_model(self) -> PublishedTable:
        """The ``performance_model`` table (:func:`catalogue`), published."""
        return self.out.table(
            catalogue(self.model),
            "performance_model",
            title="Objectives, domains, indicators and the roles that influence them",
            disclosure="not person-level: describes indicators, not people",
        )

    @cached_property
    def published_spc(self) -> PublishedTable:
        """The ``spc`` table: every shown team's SPC summary, published."""
        return self.out.table(
            self.spc_summaries["team"],
            "spc",
            title="SPC summary by indicator and team, all months",
            disclosure="not person-level: teams with any month below the minimum staff are "
            "left out",
        )

    @cached_property
    def published_scorecard(self) -> PublishedTable:
        """The ``scorecard`` table, published as gated."""
        return self.out.table(
            self.team_scorecard,
            "scorecard",
            title=f"Team scorecard, {self.report_year}",
            gated=True,
            labels=["unit", "directorate", "indicator_id", "indicator", "unit_of_measure"],
        )

    # The notebook's cells, in order --------------------------------------------------------

    def introduction(self) -> Shown:
        """The windows, the organisation and its model in one line, and the period shown."""
        description = self.package.description
        return Shown(
            markdown("{windows}", windows=windows_sentence(self.windows, self.survey_year)),
            markdown(
                "**{organisation}**: {indicators} indicators serving {objectives} "
                "objectives; funnel plots and scorecard for {year}. Minimum group size: "
                "{minimum} staff.",
                organisation=description.organisation_name,
                indicators=len(self.model.indicators),
                objectives=len(self.model.objectives),
                year=self.report_year,
                minimum=self.minimum,
            ),
            markdown(  # the period's note has numbers and months only: the suite's Markdown
                self.period.note() + " Nothing after {last} is shown.",
                last=self.period.window.last.strftime("%B %Y"),
            ),
        )

    def performance_model(self) -> DisplayedFigure:
        """Publish the performance model and the line of sight; show the line-of-sight diagram.

        The ``performance_model`` table (one row per indicator) is published for the CSVs
        and the workbook; the ``line_of_sight`` table counts the indicators linking each
        role to each objective, and the diagram's title says which roles cannot see every
        objective (:func:`line_of_sight_finding`).
        """
        model = self.model
        self.published_performance_model  # noqa: B018 - published here, in the files only
        links = line_of_sight.line_of_sight(model, self.package.role_profiles)
        reach = line_of_sight.objectives_by_role(links, self.package.role_profiles)
        finding = line_of_sight_finding(reach, len(model.objectives))
        published_reach = self.out.table(
            reach,
            "line_of_sight",
            title="Indicators linking each role to each objective",
            disclosure="not person-level: describes roles and indicators, not people",
            note="Quantitative and qualitative: counts of indicators; linked: at least one.",
        )
        return self.out.figure(
            figures.line_of_sight_chart(links, title=f"Line of sight: {finding}"),
            "line_of_sight",
            alt=f"Diagram linking {len(model.objectives)} objectives to their domains, "
            f"{len(model.indicators)} indicators (squares quantitative, circles qualitative) "
            f"and the {reach['role'].nunique()} roles that influence them: {finding}.",
            caption="Lines coloured by objective. Read from left to right: an objective, the "
            "domains and indicators that measure it, and the roles that can move them.",
            data=published_reach,
        )

    def role_indicators(self) -> PublishedTable:
        """The indicators each role influences (:func:`indicators_by_role`), published."""
        return self.out.table(
            indicators_by_role(self.model, self.package.role_profiles),
            "role_indicators",
            title="Indicators each role influences, quantitative and qualitative",
            disclosure="not person-level: describes roles, not people",
        )

    def passports(self) -> Shown:
        """One passport per indicator (:func:`passport`), each published and folded."""
        return Shown(
            *(
                self.out.table(
                    passport(indicator),
                    f"passport_{indicator.id}",
                    title=f"Indicator passport: {indicator.name}",
                    disclosure="not person-level: indicator metadata",
                    show="folded",
                )
                for indicator in self.model.indicators
            )
        )

    def values_by_directorate(self) -> PublishedTable:
        """Publish the gated yearly values of the organisation and directorates; show these.

        The organisation's table (``indicator_values_organisation``) is in the files only.
        """
        self.out.table(
            self._gated(self._values("organisation", "year")),
            "indicator_values_organisation",
            title="Indicator values for the whole organisation by year",
            gated=True,
            labels=_VALUE_LABELS,
        )
        return self.out.table(
            self._gated(self._values("directorate", "year")),
            "indicator_values_directorate",
            title="Indicator values by directorate and year",
            gated=True,
            labels=_VALUE_LABELS,
        )

    def values_by_team(self) -> PublishedTable:
        """The gated team values of the shown year, published as ``indicator_values``."""
        return self.out.table(
            self.gated_team_values_this_year,
            "indicator_values",
            title=f"Indicator values by team, {self.report_year}",
            gated=True,
            labels=["indicator_id", "level", "unit", "directorate", "period"],
            note="Staff: average headcount behind the value. Rates and proportions per the "
            "unit in each indicator's passport. All years: indicator_values_organisation.csv "
            "and indicator_values_directorate.csv.",
        )

    def spc_charts(self) -> Shown:
        """The SPC charts chosen (or asked for), each with its icons; a hidden one as ``[c]``.

        Unless the notebook's ``spc_charts`` names them, the charts are
        :func:`analysis.indicators.values.default_spc_charts` of the gated monthly values.
        A chart with any month hidden by the gate is not drawn.
        """
        chosen = self.charts_asked or values.default_spc_charts(self.spc_summaries, self.model)
        shown: list[Any] = [markdown("{count} SPC charts.", count=len(chosen))]
        for number, (indicator_id, level, unit) in enumerate(chosen, start=1):
            shown.extend(self._spc_chart(number, indicator_id, level, unit))
        return Shown(*shown)

    def _spc_chart(self, number: int, indicator_id: str, level: str, unit: str) -> list[Any]:
        """One SPC chart and its icons, or the sentence saying it is hidden."""
        indicator = self.model[indicator_id]
        table = self.gated_monthly_values[level]
        rows = table[(table["unit"] == unit) & (table["indicator_id"] == indicator_id)]
        if rows["suppressed"].any():
            return [
                markdown(
                    "{name} for {unit}: [c] (fewer than {minimum} staff).",
                    name=indicator.name,
                    unit=unit,
                    minimum=self.minimum,
                )
            ]
        chart = self.unit_spc_charts[level].get((indicator_id, unit))
        if chart is None:  # asked for, but not summarised (e.g. an annual indicator)
            chart = values.indicator_spc(table, indicator, unit)
        finding = spc_finding(chart)
        recalculated = recalculation_note(chart)
        monthly_unit = indicator.unit_for("month")
        figure = self.out.figure(
            figures.spc_chart(
                chart, title=f"{indicator.name}, {unit}: {finding}", ylabel=monthly_unit
            ),
            values.spc_figure_name(number, indicator_id, level, unit),
            alt=f"SPC chart of monthly {indicator.name.lower()} ({monthly_unit}) for {unit}: "
            f"{finding}.{recalculated}",
            caption=f"{indicator.name} ({monthly_unit}), {unit}, by month.{recalculated}",
            data=rows,
            folded=level != "organisation",  # team and directorate charts fold
        )
        return [figure, HTML(spc_icons.chart_icons_html(chart))]

    def spc_summary(self) -> HTML:
        """Publish the teams' SPC summary (``spc``); show the organisation's summary matrix."""
        self.published_spc  # noqa: B018 - published here, in the files only
        return HTML(
            spc_icons.summary_matrix_html(
                self.spc_summaries["organisation"],
                self.names,
                caption="Summary matrix: the organisation's SPC charts by variation and assurance",
            )
        )

    def funnel_plots(self) -> Shown:
        """A funnel plot per proportion or rate, teams hidden as in the team table.

        Each indicator's funnel points hide what ``indicator_values`` hides
        (:func:`analysis.disclosure.derived.hide_where_hidden`); the plots with teams
        outside the limits lead and the others are folded. All points are published as
        ``funnel``.
        """
        this_year = self.gated_team_values_this_year
        gated_points, shown = [], []
        for indicator in funnel_indicators(self.model):
            points = values.indicator_funnel(self.team_values, indicator, self.report_year)
            gated = hide_where_hidden(
                points,
                this_year[this_year["indicator_id"] == indicator.id],
                on=["indicator_id", "unit"],
                labels=FUNNEL_LABELS,
            )
            gated_points.append(gated)
            shown.append(self._funnel_plot(indicator, points, gated))
        self.out.table(
            pd.concat(gated_points, ignore_index=True),
            "funnel",
            title=f"Funnel plot results by indicator and team, {self.report_year}",
            gated=True,
            labels=FUNNEL_LABELS,
        )
        return Shown(*shown)

    def _funnel_plot(
        self,
        indicator: specifications.IndicatorSpecification,
        points: pd.DataFrame,
        gated: pd.DataFrame,
    ) -> DisplayedFigure:
        """One indicator's funnel plot, drawn from its gated points."""
        finding = funnel_finding(gated)
        is_ratio = gated["data_type"].iloc[0] != "PR"
        year = self.report_year
        return self.out.figure(
            figures.funnel_plot(
                gated,
                values.funnel_curve(points),
                title=f"{indicator.name}, {year}: {finding}",
                xlabel=("Expected events (log scale)" if is_ratio else "Denominator (log scale)"),
                ylabel=("Ratio to organisation rate" if is_ratio else "Proportion (0-1)"),
            ),
            f"funnel_{indicator.id}",
            alt=f"Funnel plot of {indicator.name.lower()} by team in {year}: {finding}.",
            caption=f"{indicator.name}: each point a team; lines the 95% and 99.8% limits.",
            data=gated,
            # plots with outliers lead; the others are folded
            folded=not (gated["outlier"] & ~gated["suppressed"]).any(),
        )

    def scorecard(self) -> DisplayedFigure:
        """Publish the team scorecard; show it as a grid coloured by rating."""
        card = self.team_scorecard
        published = self.published_scorecard
        worse = card[(card["rating"] == "worse") & ~card["suppressed"]]
        year = self.report_year
        return self.out.figure(
            figures.scorecard_chart(
                card, title=f"Team scorecard {year}: {len(worse)} team ratings worse than benchmark"
            ),
            "scorecard",
            alt=f"Grid of teams by indicators for {year}, each cell coloured by its rating.",
            caption="Green better, amber similar, red worse than the benchmark; blue higher or "
            "lower where there is no judgement; grey not compared; [c] suppressed.",
            data=published,
        )

    def role_profiles(self) -> Shown:
        """Publish the role profiles and their summary; show one page per role.

        Each role's page: its name and purpose, the grid of its teams' values (captioned
        with :func:`role_finding`) and its teams by rating, folded.
        """
        year = self.report_year
        profile = self.role_profile_rows
        self.out.table(
            profile,
            "role_profiles",
            title=f"Role profiles: each role's indicators by team, {year}",
            gated=True,
            values=list(profiles.ROLE_PROFILE_VALUES),
            labels=list(profiles.ROLE_PROFILE_LABELS),
        )
        summary = self.out.table(
            profiles.role_profile_summary(profile),
            "role_profile_summary",
            title=f"Role profiles in brief: teams by rating, {year}",
            disclosure="not person-level: counts of teams, from the suppressed scorecard",
        )
        shown: list[Any] = []
        for role_id, rows in profile.groupby("role_id", sort=True):
            shown.extend(self._role_page(role_id, rows, summary))
        return Shown(*shown)

    def _role_page(self, role_id: str, rows: pd.DataFrame, summary: PublishedTable) -> list[Any]:
        """One role's name and purpose, its grid and its teams by rating."""
        role = rows["role"].iloc[0]
        purpose = self.package.role_profiles.set_index("role_id")["purpose"]
        cells, ratings = profiles.role_profile_grid(rows)
        caption = f"{role}, {self.report_year}: {role_finding(rows)}"
        grid = figures.role_profile_html(
            cells, ratings, caption=caption, detail=self.out.detail, show="folded"
        )
        return [
            markdown("### {role}\n\n{purpose}", role=role, purpose=purpose[role_id]),
            HTML(grid),
            dataclasses.replace(
                summary,
                data=summary.data[summary.data["role_id"] == role_id],
                title=f"{role}: teams by rating on each indicator",
                show="folded",
            ),
        ]

    def appraisal_coverage(self) -> Shown | Markdown:
        """Appraisal coverage by team and staff group; the organisation's as a headline.

        Coverage tables pass the gate with ``staff_due`` as the count; the organisation's
        figure is taken from its own gated table.
        """
        window = self.coverage_window
        if window is None:
            return markdown(
                "No appraisal was recorded up to {year}: no coverage to show.",
                year=self.survey_year,
            )
        package = self.package
        shown: list[Any] = [
            markdown("Appraisals: {window}.", window=window.describe(self.survey_year))
        ]
        for by, what in (("team_id", "team"), ("staff_group", "staff group")):
            shown.append(
                self.out.table(
                    appraisals.appraisal_coverage(
                        package.appraisals, package.staff_list, window, by
                    ),
                    f"appraisal_coverage_{what.replace(' ', '_')}",
                    title=f"Appraisal coverage by {what}, {window.label}",
                    count="staff_due",
                    dimensions=[by],
                    note="Coverage: % of staff due an appraisal who had one; 95% Wilson interval.",
                )
            )
        organisation = appraisals.appraisal_coverage(
            package.appraisals,
            package.staff_list.assign(organisation="All staff"),
            window,
            "organisation",
        )
        self.out.headline(
            f"Appraisal coverage, {window.label} (%)",
            gate(
                organisation, count="staff_due", dimensions=["organisation"], minimum=self.minimum
            ),
            row={"organisation": "All staff"},
            column="coverage",
        )
        return Shown(*shown)

    def appraisal_objectives(self) -> PublishedTable:
        """Appraisal objectives by the organisational objective they serve, gated by staff."""
        links = appraisals.objectives_by_organisational_objective(
            appraisals.reviews_up_to(self.package.appraisal_objectives, self.coverage_window),
            self.model,
        )
        fewest = links.sort_values("share").iloc[0]
        return self.out.table(
            links,
            "appraisal_objectives_by_objective",
            title="Appraisal objectives by the organisational objective they serve; fewest "
            f"serve {fewest['objective_id']} ({fewest['share']:.0f}%)",
            count="staff",
            dimensions=["objective_id"],
            labels=["objective"],
            note="Staff: staff with at least one such objective. Share: % of all appraisal "
            "objectives.",
        )

    def skills_gaps(self) -> PublishedTable:
        """Staff assessed below their post's KSF level, by role and dimension, gated by staff."""
        package = self.package
        return self.out.table(
            appraisals.skills_gaps_by_role(
                appraisals.reviews_up_to(package.appraisal_skills, self.coverage_window),
                package.staff_list,
                package.role_profiles,
            ),
            "skills_gaps_by_role",
            title="Staff assessed below the KSF level their post requires, by role and dimension",
            count="staff_assessed",
            dimensions=["role_id"],
            labels=["role"],
            for_each=["ksf_dimension"],
        )

    def clear_goals(self) -> Shown | Markdown:
        """Percent positive on clear-goals items, with and without an appraisal, by year.

        The items are the notebook's ``clear_goals_items`` and ``appraisal_item``, else
        ``appraisal_comparison`` in ``indicators.yml``; without them, a sentence says so.
        The table passes the gate with ``respondents`` as the count, and each item's chart
        and finding (:func:`clear_goals_finding`) are drawn from the published table.
        """
        goal_items = tuple(self.clear_goals_items or self.model.goal_items)
        had_appraisal_item = self.appraisal_item or self.model.appraisal_item
        if not goal_items or had_appraisal_item is None:
            return markdown(
                "Not compared: indicators.yml declares no `appraisal_comparison` (the survey "
                "item asking about an appraisal and the items about clear goals)."
            )
        responses = self.package.responses
        published = self.out.table(
            appraisals.clear_goals_by_appraisal(
                responses[responses["year"] <= self.survey_year],
                self.package.questionnaire,
                goal_items=goal_items,
                appraisal_item=had_appraisal_item,
            ),
            "clear_goals_by_appraisal",
            title="Percent positive on clear-goals items, respondents with and without an "
            "appraisal",
            count="respondents",
            dimensions=["group"],
            for_each=["year", "item_id"],
            note="Difference: appraised minus not appraised, percentage points; the same on "
            "both rows.",
        )
        return Shown(
            *(
                self._clear_goals_chart(str(item_id), rows, published)
                for item_id, rows in published.data.groupby("item_id", sort=False)
            )
        )

    def _clear_goals_chart(
        self, item_id: str, rows: pd.DataFrame, published: PublishedTable
    ) -> DisplayedFigure:
        """One clear-goals item's chart by year, appraised against not appraised."""
        questionnaire = self.package.questionnaire
        wording = questionnaire.drop_duplicates("item_id", keep="last").set_index("item_id")
        question = wording["wording"][item_id]
        finding = clear_goals_finding(rows)
        return self.out.figure(
            figures.clear_goals_chart(rows, title=f"'{question}': {finding}", ylabel="% positive"),
            f"clear_goals_{item_id}",
            alt=f"Line chart of percent positive on '{question}' by survey year for "
            f"respondents with and without an appraisal: {finding}.",
            caption="Bars: 95% Wilson intervals. An association, not an effect of appraisal.",
            data=published,
        )

    @cached_property
    def team_composite(self) -> CompositeIndex:
        """The composite index of the shown year, without the teams with a hidden value."""
        rows = self._composite_rows
        left_out = teams_left_out(rows)
        polarity = {i.id: i.polarity for i in self.model.indicators}
        return composite_index(rows[~rows["unit"].isin(left_out)], polarity)

    @property
    def _composite_rows(self) -> pd.DataFrame:
        """The gated team values of the shown year for the indicators the composite combines."""
        table = self.gated_team_values_this_year
        return table[table["indicator_id"].isin(composite_indicator_ids(self.model))]

    @cached_property
    def published_composite(self) -> PublishedTable:
        """The ``composite`` table: each shown team's score, rank and rank interval."""
        return self.out.table(
            self.team_composite.scores,
            "composite",
            title=f"Composite score by team, {self.report_year}, with its rank interval",
            disclosure="not person-level: teams with any value based on fewer than the minimum "
            "staff are left out",
            note="Composite: equal weights, min-max normalisation (0-100), arithmetic mean. Rank "
            "1 is best. The rank interval holds 90% of the team's ranks over 2,000 alternative "
            "constructions (normalisation, weights, aggregation, one indicator left out).",
        )

    def composite(self) -> Markdown:
        """Publish each team's composite score and rank interval; say what it combines."""
        combined = composite_indicator_ids(self.model)
        sentence = markdown(
            "The composite combines {combined} indicators ({names}) for {teams} teams in "
            "{year}. {left_out} team(s) are left out because a value is `[c]` (fewer than "
            "{minimum} staff, or hidden to protect another team).",
            combined=len(combined),
            names=", ".join(self.names[i].lower() for i in combined),
            teams=len(self.team_composite.scores),
            year=self.report_year,
            left_out=len(teams_left_out(self._composite_rows)),
            minimum=self.minimum,
        )
        self.published_composite  # noqa: B018 - published here, in the files only
        return sentence

    def composite_uncertainty(self) -> Shown:
        """The composite's rank intervals and what moves them; the indicators it combines.

        Publishes ``composite_sensitivity`` (the share of the ranks' variance due to each
        choice) and ``composite_indicators``, which is shown.
        """
        composite = self.team_composite
        ranks = self.out.figure(
            composite_figures.rank_uncertainty_chart(composite.scores),
            "composite_rank_uncertainty",
            alt="Each team's rank on the composite with its 5th to 95th percentile interval over "
            "alternative constructions: "
            f"{composite_figures.rank_uncertainty_finding(composite.scores)}.",
            caption="Grey bar: 5th-95th percentile rank; blue dot: median rank; black diamond: "
            "rank under the reference choices.",
            data=self.published_composite,
        )
        published_sensitivity = self.out.table(
            composite.sensitivity,
            "composite_sensitivity",
            title="How much each choice in building the composite moves the teams' ranks",
            disclosure="not person-level: describes the method",
        )
        sensitivity = self.out.figure(
            composite_figures.sensitivity_chart(composite.sensitivity),
            "composite_sensitivity",
            alt="Bar chart of the share of the variance of teams' ranks due to each choice: "
            f"{composite_figures.sensitivity_finding(composite.sensitivity)}.",
            caption="First order: the choice alone; total effect: with its interactions.",
            data=published_sensitivity,
        )
        indicators = self.out.table(
            composite.indicators,
            "composite_indicators",
            title="Indicators in the composite: direction, weight and outlier treatment",
            disclosure="not person-level: describes indicators across teams",
        )
        return Shown(ranks, sensitivity, indicators)

    @cached_property
    def published_quality(self) -> PublishedTable:
        """The ``indicator_quality`` table: one row per indicator, with its verdict."""
        year = self.report_year
        checks = quality.indicator_quality(
            self.monthly_values["team"],
            self.model,
            year=year,
            year_window=self.period.window.kind,
            minimum=self.minimum,
        )
        return self.out.table(
            checks,
            "indicator_quality",
            title="Indicator quality: completeness, stability, discrimination, redundancy "
            f"({year})",
            disclosure="not person-level: one row per indicator; teams are only counted",
        )

    def indicator_quality(self) -> Shown:
        """Publish the indicator quality checks and correlations; record the fit indicators.

        Both tables are in the files only (the cell shows nothing); the headline counts the
        indicators whose verdict is "Fit for comparing teams".
        """
        year = self.report_year
        published = self.published_quality
        team_values = self.team_values
        self.out.table(
            quality.indicator_correlations(team_values[team_values["period"] == str(year)]),
            "indicator_correlations",
            title=f"Spearman correlations between indicators across teams, {year}",
            disclosure="not person-level: correlations across all teams",
            note="Redundant: |rho| of 0.8 or more - the two indicators rank teams almost alike.",
        )
        fit = published.data["verdict"].str.startswith("Fit for comparing teams")
        self.out.headline(
            "Indicators fit for comparing teams", published, statistic="rows", where=fit
        )
        return Shown()

    def headlines(self) -> Shown:
        """Record the stage's last headline figures for the run's index page.

        The number of indicators, of team charts whose latest point is a concern and of
        team ratings worse than benchmark in the shown year, each from its published table.
        """
        spc, card = self.published_spc, self.published_scorecard
        concern = spc.data["variation_icon"].str.startswith("concern")
        self.out.headline("Indicators", self.published_performance_model, statistic="rows")
        self.out.headline(
            "Team charts whose latest point is a concern", spc, statistic="rows", where=concern
        )
        self.out.headline(
            f"Team ratings worse than benchmark, {self.report_year}",
            card,
            statistic="rows",
            where=card.data["rating"] == "worse",
        )
        return Shown()


def open_report(
    data_dir: Path | str,
    *,
    year: int | str | None,
    output_dir: Path | str,
    spc_charts: Sequence[Sequence[str]] | None = None,
    primary_coder: str | None = None,
    appraisal_year: int | str | None = None,
    clear_goals_items: Sequence[str] | None = None,
    appraisal_item: str | None = None,
    detail: bool = False,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> IndicatorsReport:
    """Load the data package, with its checked ``indicators.yml``; start the stage's output.

    The performance model is the one the data package read and checked
    (:attr:`analysis.datapackage.DataPackage.indicators`); it is not read again. Whether it
    fits the package (its roles, indicator values and units) is the readiness check the run's
    plan makes before it starts the stage (:func:`analysis.datapackage.readiness.year_blockers`),
    asked again here so that a report opened outside a run stops just as a run would.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The survey year reported on; ``None`` means the latest. Nothing after it is used
        (:func:`analysis.datapackage.windows.package_up_to`).
    output_dir
        The run's folder, where the stage publishes.
    spc_charts, primary_coder, appraisal_year, clear_goals_items, appraisal_item, detail
        The notebook's parameters of the same names (its first Markdown cell says what
        each means).
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).

    Returns
    -------
    IndicatorsReport
        Ready to build the notebook's cells.

    Raises
    ------
    analysis.problems.DataPackageError
        If the data package is not valid (``indicators.yml`` among its files).
    FileNotFoundError
        If the package has no ``indicators.yml``.
    analysis.datapackage.indicator_specifications.IndicatorSpecificationError
        If ``indicators.yml`` names a role, indicator or unit the package does not have.
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    survey_year = package.report_year(None if year is None else int(year))
    model = package.indicators
    if model is None:
        raise FileNotFoundError(
            f"the data package {package.name!r} has no {specifications.SPECIFICATIONS_FILE}; "
            "the indicators stage needs it (see docs/data-package.md)"
        )
    if blockers := year_blockers(package, "indicators", survey_year):
        raise specifications.IndicatorSpecificationError(
            specifications.SPECIFICATIONS_FILE, blockers
        )
    minimum = package.description.minimum_group_size
    out = StageOutput(output_dir, stage="indicators", minimum_group_size=minimum, detail=detail)
    return IndicatorsReport(
        package_up_to(package, survey_year),  # nothing after the report year
        model,
        out,
        survey_year,
        spc_charts=spc_charts,
        primary_coder=primary_coder,
        appraisal_year=None if appraisal_year is None else int(appraisal_year),
        clear_goals_items=clear_goals_items,
        appraisal_item=appraisal_item,
    )
