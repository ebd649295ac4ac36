"""Everything a group's survey pack shows: gated tables, figures with alt text, findings.

The notebook ``notebooks/05_survey_pack.ipynb`` tells the story of one group (a directorate,
or a group of any other group column); this module builds what each of its cells shows.
:func:`open_pack_report` chooses the group (:func:`analysis.packs.choose_pack`), builds the
pack's tables from the survey stage's gated tables (:func:`analysis.packs.pack_tables`) and
publishes them once; every other function takes the :class:`PackReport` it returns and gives
one part of the pack, in the notebook's order:

* :func:`heading`: the pack's heading line.
* :func:`who_answered`: respondents and response rates, with their headlines.
* :func:`against_organisation`, :func:`against_organisation_table`: the group against the
  organisation and the rest of it.
* :func:`own_earlier_years`, :func:`significant_changes_table`: the group against its own
  earlier years.
* :func:`subgroups`: the group's staff groups (or other subgroups).
* :func:`strongest_and_weakest`: its strongest and weakest questions.

Disclosure: every table passes the gate of :meth:`analysis.publishing.StageOutput.table`
(the comparison with the rest of the organisation is gated in
:func:`analysis.packs.pack_tables`), and figures, counts and headlines are drawn only from
the published tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.datapackage import DataPackage, open_data_package
from analysis.packs import choose_pack, pack_folder, pack_tables, plan_packs, survey_tables_for_pack
from analysis.publishing import DisplayedFigure, PublishedTable, StageOutput
from analysis.survey import figures as survey_figures
from analysis.survey.report import Shown, percent_positive_heatmap, theme_trends_figure
from analysis.survey.stage import item_labels, published_rows
from analysis.text_safety import markdown

__all__ = [
    "PackReport",
    "against_organisation",
    "against_organisation_table",
    "heading",
    "open_pack_report",
    "own_earlier_years",
    "significant_changes_table",
    "strongest_and_weakest",
    "subgroups",
    "who_answered",
]

_KEYS = ["year", "group_type", "group", "item_id"]


@dataclass
class PackReport:
    """One group's survey pack: the package, the group, its published tables and the writer.

    Attributes
    ----------
    package
        The data package.
    report_year
        The survey year reported on.
    column
        The group column the pack is for, e.g. ``"directorate"``.
    group
        The group's label.
    out
        The pack's writer of tables, figures and headlines.
    labels
        The questions' short labels (:func:`analysis.survey.stage.item_labels`).
    published
        The pack's published tables, by name.
    """

    package: DataPackage
    report_year: int
    column: str
    group: str
    out: StageOutput
    labels: pd.DataFrame
    published: dict[str, PublishedTable]

    def item_names(self, rows: pd.DataFrame, how: str = "inner") -> pd.DataFrame:
        """``rows`` with the questions' short labels (``item``) joined on ``item_id``."""
        return rows.merge(self.labels[["item_id", "item"]], on="item_id", how=how)


def _publish(
    out: StageOutput, tables: dict[str, pd.DataFrame], group: str, year: int
) -> dict[str, PublishedTable]:
    """Publish the pack's tables through the gate (hidden cells empty in the CSV)."""

    def publish(name: str, title: str, ids: list[str]) -> PublishedTable:
        return out.table(
            tables[name], name, title=title, gated=True, labels=ids, blank_suppressed=True
        )

    return {
        "against_organisation": publish(
            "against_organisation",
            f"{group} against the organisation and the rest of it, {year}",
            _KEYS,
        ),
        "changes": publish(
            "changes", f"{group}: change since earlier years", [*_KEYS, "base_year"]
        ),
        "themes": publish(
            "themes",
            f"{group}: theme scores (0-10) by year",
            ["year", "group_type", "group", "theme"],
        ),
        # A complete row of the survey table's crossing (the group's n split by subgroup),
        # so it is published with the gate's structure, as in item_scores.
        "subgroups": out.table(
            tables["subgroups"],
            "subgroups",
            title=f"{group}: percent positive by subgroup, {year}",
            count="n",
            dimensions=["group"],
            for_each=["year", "item_id", "group_type"],
            labels=["subgroup"],
            gated=True,
            blank_suppressed=True,
        ),
        "response_rates": publish(
            "response_rates",
            f"{group}: respondents and response rate, {year}",
            ["year", "group_type", "group", "subgroup", "headcount"],
        ),
        "strongest_weakest": publish(
            "strongest_weakest",
            f"{group}: strongest and weakest questions, {year}",
            [*_KEYS, "rank"],
        ),
    }


def open_pack_report(
    data_dir: Path | str,
    year: int | str | None,
    output_dir: Path | str,
    pack_column: str,
    pack_group: str | None = None,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> PackReport:
    """Choose the group, build its pack's tables and publish them through the gate.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The survey year; ``None`` means the package's latest.
    output_dir
        The run folder: the survey stage's tables are read from it when published there
        (:func:`analysis.packs.survey_tables_for_pack`), and the pack is written to
        ``output_dir/packs/<pack_column>/``.
    pack_column
        The group column, e.g. ``"directorate"``.
    pack_group
        The group's label; ``None`` chooses the group with the most respondents.
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).

    Returns
    -------
    PackReport
        The pack, its tables published.

    Raises
    ------
    ValueError
        From :func:`analysis.packs.choose_pack` when the group cannot have a pack.
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    description = package.description
    report_year = package.report_year(None if year is None else int(year))
    minimum = description.minimum_group_size
    plan = choose_pack(
        plan_packs(package.responses, pack_column, report_year, minimum, description.group_columns),
        pack_group,
    )
    out = StageOutput(
        pack_folder(output_dir, pack_column), stage=plan.slug, minimum_group_size=minimum
    )
    tables = pack_tables(
        survey_tables_for_pack(output_dir, package, report_year),
        pack_column,
        plan.group,
        report_year,
        minimum,
    )
    labels = item_labels(package.questionnaire, report_year)
    published = _publish(out, tables, plan.group, report_year)
    return PackReport(package, report_year, pack_column, plan.group, out, labels, published)


def heading(report: PackReport) -> Any:
    """The pack's heading line: group, column, organisation, year and minimum group size."""
    description = report.package.description
    return markdown(
        "**{group}** ({column}), {organisation}: staff survey {year}. Minimum group size: "
        "{minimum} respondents.",
        group=report.group,
        column=report.column.replace("_", " "),
        organisation=description.organisation_name,
        year=report.report_year,
        minimum=description.minimum_group_size,
    )


def who_answered(report: PackReport) -> PublishedTable:
    """Headlines of the group's respondents and response rate; the table of this year."""
    rates = report.published["response_rates"]
    own = rates.data[rates.data["subgroup"] == ""]
    if len(own):
        report.out.headline("Respondents", rates, row=own.index[0], column="respondents")
        report.out.headline("Response rate (%)", rates, row=own.index[0], column="response_rate")
    return published_rows(
        rates,
        rates.data["year"] == report.report_year,
        ["group", "headcount", "respondents", "response_rate"],
    )


def against_organisation(report: PackReport) -> DisplayedFigure:
    """Headlines of questions significantly above and below the rest; the dot plot."""
    compared = report.published["against_organisation"]
    significant = compared.data["significant"].astype("boolean").fillna(False).astype(bool)
    higher, lower = (
        report.out.headline(
            f"Questions significantly {label} positive than the rest",
            compared,
            statistic="rows",
            where=significant & (compared.data["diff_pp"] * direction > 0),
        ).value
        for label, direction in (("more", 1), ("less", -1))
    )
    group = report.group
    finding = (
        f"{group}, {report.report_year}: more positive than the rest of the organisation on "
        f"{higher} questions, less positive on {lower}"
    )
    return report.out.figure(
        survey_figures.group_against_organisation(
            report.item_names(compared.data, how="left"), item="item", group=group, title=finding
        ),
        "against_organisation",
        alt=f"Dot plot: for every question, a tick at the whole organisation's percent positive "
        f"and a dot at {group}'s, green where significantly higher than the rest of the "
        "organisation, red where lower, grey where the difference is not significant. "
        f"{finding}.",
        caption="Percent positive (%), unweighted. [c]: suppressed.",
        data=compared,
    )


def against_organisation_table(report: PackReport) -> PublishedTable:
    """The group against the organisation and the rest of it, per question, this year."""
    compared = report.published["against_organisation"]
    return published_rows(
        compared,
        compared.data["year"] == report.report_year,
        ["item", "n", "pct", "organisation_pct", "rest_pct", "diff_pp", "p_value", "significant"],
        labels=report.labels,
        decimals=3,
    )


def _significant_changes(report: PackReport) -> pd.Series:
    """Mask of the published changes that are significant and not hidden."""
    changes = report.published["changes"].data
    return changes["significant"].fillna(False).astype(bool) & ~changes["suppressed"]


def _theme_trends(report: PackReport) -> DisplayedFigure | None:
    """The group's theme scores by year; ``None`` when every score is hidden."""
    published = report.published["themes"]
    if not (~published.data["suppressed"]).any():
        return None
    return theme_trends_figure(
        report.out,
        published,
        published.data,
        report.report_year,
        whose=f"{report.group}'s",
        caption_note=" [c]: suppressed.",
    )[1]


def own_earlier_years(report: PackReport) -> Shown:
    """The theme trends figure and the count of significant changes since earlier years."""
    return Shown(
        _theme_trends(report),
        markdown(
            "**{significant}** comparisons with an earlier year were significant."
            if len(report.published["changes"].data)
            else "{year} is the first survey year: there is no earlier year to compare with.",
            significant=int(_significant_changes(report).sum()),
            year=report.report_year,
        ),
    )


def significant_changes_table(report: PackReport) -> PublishedTable:
    """The group's significant changes since earlier years."""
    return published_rows(
        report.published["changes"],
        _significant_changes(report),
        ["item", "base_year", "base_pct", "pct", "diff_pp", "p_value"],
        labels=report.labels,
        decimals=3,
    )


def subgroups(report: PackReport) -> Any:
    """Heatmap of the group's subgroups by question; a note when none is large enough."""
    published = report.published["subgroups"]
    cells = report.item_names(published.data)
    if not (~cells["suppressed"]).any():
        return markdown("No subgroup of this group is large enough to show.")
    crossed = cells["group_type"].iloc[0].split(" x ")
    by = next(part for part in crossed if part != report.column).replace("_", " ")
    return percent_positive_heatmap(
        report.out,
        published,
        cells,
        report.report_year,
        column="subgroup",
        name=by,
        stem="subgroups",
        within=report.group,
    )


def strongest_and_weakest(report: PackReport) -> PublishedTable:
    """The group's five strongest and five weakest questions this year."""
    strongest = report.published["strongest_weakest"]
    return published_rows(
        strongest,
        strongest.data["year"] == report.report_year,
        ["rank", "item", "n", "pct", "organisation_pct", "diff_pp", "significant"],
        labels=report.labels,
    )
