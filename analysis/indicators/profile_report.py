"""The private staff profile's report: everything ``notebooks/private/staff_profile.ipynb`` shows.

The notebook tells the story; this module builds what each of its cells shows, for one member
of staff (:func:`analysis.indicators.profiles.staff_profile`): their details, appraisals,
objectives, Knowledge and Skills Framework (KSF) review, and their team's values on the
indicators their role influences. The person's own records are declared as such
(:func:`analysis.disclosure.gated.one_person`); the team's values pass the disclosure gate
like every team value (:func:`analysis.indicators.values.suppress_small_teams`), so a team
under the minimum group size shows ``[c]``.

Start with :func:`open_profile`; each method of :class:`ProfileReport` is one cell of the
notebook, in the notebook's order.

References
----------
.. [1] Department of Health (2004), *The NHS Knowledge and Skills Framework (NHS KSF) and
   the Development Review Process*: the six core dimensions and the levels a post requires.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from analysis.datapackage import DataPackage, open_data_package
from analysis.disclosure.gated import one_person
from analysis.indicators import figures, profiles, values
from analysis.publishing import DisplayedFigure, PublishedTable, Shown, StageOutput
from analysis.text_safety import markdown

__all__ = ["ProfileReport", "open_profile", "profile_of", "skills_finding"]

TEAM_TABLE_DROPPED = ["role_id", "role", "indicator_id", "unit", "directorate"]
"""The role profile's columns the team table leaves out: the title names the team and role."""


def skills_finding(skills: pd.DataFrame) -> str:
    """The KSF review in a phrase: on how many dimensions the person is below the post's level.

    Parameters
    ----------
    skills
        :attr:`analysis.indicators.profiles.StaffProfile.skills`, with a ``gap`` column
        (required level minus assessed level; positive below the post's level).

    Returns
    -------
    str
        ``"below the post's level on 2 of 6 dimensions"`` or ``"meets the post's level on
        all 6 dimensions"``. Numbers only: nothing from the data package.
    """
    gaps = int((skills["gap"] > 0).sum())
    if gaps:
        return f"below the post's level on {gaps} of {len(skills)} dimensions"
    return f"meets the post's level on all {len(skills)} dimensions"


class ProfileReport:
    """One member of staff's private profile: one method per cell of the notebook.

    Made by :func:`open_profile`.

    Parameters
    ----------
    package
        The validated data package.
    person
        The member of staff's records (:func:`analysis.indicators.profiles.staff_profile`).
    out
        Where the profile publishes its table and figure.
    report_year
        The calendar year whose team values are shown.
    primary_coder
        The coder whose codes count for comment-based indicators where no reconciled coding
        exists.
    """

    def __init__(
        self,
        package: DataPackage,
        person: profiles.StaffProfile,
        out: StageOutput,
        report_year: int,
        primary_coder: str | None,
    ) -> None:
        self.package = package
        self.person = person
        self.out = out
        self.report_year = report_year
        self.primary_coder = primary_coder
        self.model = package.indicators
        self.minimum = out.minimum_group_size

    def introduction(self) -> Shown:
        """The organisation and the staff ID in one line, then the person's details."""
        return Shown(
            markdown(
                "**{organisation}**: private profile of {staff_id}.",
                organisation=self.package.description.organisation_name,
                staff_id=self.person.staff_id,
            ),
            self.person.details.style.format(escape="html").hide(axis="index").hide(axis="columns"),
        )

    def appraisals(self) -> Styler:
        """Every review on record, dates written out, the data escaped."""
        return self.person.appraisals.style.hide(axis="index").format(
            {"review_date": "{:%d %B %Y}"}, escape="html"
        )

    def objectives(self) -> Markdown | Styler:
        """The latest objectives and the organisational objective each serves, or why none."""
        if self.person.objectives.empty:
            return markdown("No objectives are recorded for this member of staff.")
        return self.person.objectives.style.format(escape="html").hide(axis="index")

    def skills(self) -> Markdown | DisplayedFigure:
        """The KSF chart (assessed against required level) with its finding, or why none."""
        skills = self.person.skills
        if skills.empty:
            return markdown("No KSF review is recorded for this member of staff.")
        finding = skills_finding(skills)
        return self.out.figure(
            figures.skills_chart(skills, title=f"KSF review: {finding}"),
            "skills",
            alt=f"Bar chart of the assessed KSF level against the level the post requires on "
            f"each of {len(skills)} core dimensions: {finding}.",
            caption="Filled bars: assessed level; dashed outline: the level the post requires.",
            data=one_person(skills, "their own KSF review", self.minimum),
        )

    @cached_property
    def all_values(self) -> pd.DataFrame:
        """Every indicator value, monthly rows: the package's, the survey's and the comments'.

        The package's ``indicator_values`` with the survey-derived
        (:func:`analysis.indicators.values.survey_indicator_values`) and comment-based
        (:func:`analysis.indicators.values.comment_indicator_values`) ones.
        """
        package, model = self.package, self.model
        return pd.concat(
            [
                package.indicator_values,
                values.survey_indicator_values(package.responses, package.questionnaire, model),
                values.comment_indicator_values(
                    package.comments, package.codings, package.responses, model, self.primary_coder
                ),
            ],
            ignore_index=True,
        )

    def team_values(self, period: str) -> pd.DataFrame:
        """Every team's indicator values by ``period`` (``"year"`` or ``"month"``), gated.

        Teams under the minimum group size are suppressed
        (:func:`analysis.indicators.values.suppress_small_teams`).
        """
        table = values.indicator_table(
            self.all_values, self.package.teams, self.model, level="team", period=period
        )
        return values.suppress_small_teams(table, self.model, self.minimum)

    def team_indicators(self) -> PublishedTable:
        """Publish and show the team's values on the indicators the person's role influences.

        The scorecard of the report year with the team's SPC summary, cut to the person's
        role and team (:func:`analysis.indicators.profiles.role_profiles`).
        """
        person, model = self.person, self.model
        monthly = self.team_values("month")
        summary = values.spc_summary(monthly[monthly["unit"] == person.team_id], model)
        card = values.scorecard(self.team_values("year"), summary, self.report_year, model)
        team_profile = profiles.role_profiles(
            card, self.package.staff_list, self.package.role_profiles, model
        )
        team_profile = team_profile[
            (team_profile["role_id"] == person.role_id) & (team_profile["unit"] == person.team_id)
        ]
        return self.out.table(
            team_profile.drop(columns=TEAM_TABLE_DROPPED),
            "team_indicators",
            title=f"Team {person.team_id}, {self.report_year}: the indicators this role influences",
            gated=True,
            values=["value", "median", "rating", "trend"],
            labels=["type", "indicator", "unit_of_measure"],
        )


def open_profile(
    data_dir: Path | str,
    staff_id: str,
    year: int | str | None,
    output_dir: Path | str,
    primary_coder: str | None = None,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> ProfileReport:
    """Load the data package and gather one member of staff's records.

    Parameters
    ----------
    data_dir
        The data package folder.
    staff_id
        The pseudonymised staff ID (``staff_id`` in the package's ``staff_list``).
    year
        The report year, one of the survey years; ``None`` means the latest
        (:meth:`analysis.datapackage.DataPackage.report_year`).
    output_dir
        Where the profile's table and figure are written.
    primary_coder
        The coder whose codes count for comment-based indicators where no reconciled coding
        exists.
    validated_package, validated_package_sha256
        The package the command validated and its SHA-256; ``None`` reads and validates
        ``data_dir`` (:func:`analysis.datapackage.open_data_package`).

    Returns
    -------
    ProfileReport
        Ready to build the notebook's cells.

    Raises
    ------
    analysis.indicators.profiles.UnknownStaffError
        If the staff ID is not in ``staff_list``.
    analysis.problems.DataPackageError
        If the data package is not valid.
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    return profile_of(package, staff_id, year, output_dir, primary_coder)


def profile_of(
    package: DataPackage,
    staff_id: str,
    year: int | str | None,
    output_dir: Path | str,
    primary_coder: str | None = None,
) -> ProfileReport:
    """One member of staff's profile from a package already loaded (see :func:`open_profile`).

    Raises
    ------
    analysis.indicators.profiles.UnknownStaffError
        If the staff ID is not in ``staff_list``.
    """
    minimum = package.description.minimum_group_size
    out = StageOutput(output_dir, stage="staff_profile", minimum_group_size=minimum)
    person = profiles.staff_profile(
        staff_id,
        staff_list=package.staff_list,
        teams=package.teams,
        role_profiles=package.role_profiles,
        appraisals=package.appraisals,
        appraisal_objectives=package.appraisal_objectives,
        appraisal_skills=package.appraisal_skills,
        model=package.indicators,
        package_name=package.name,
    )
    return ProfileReport(package, person, out, package.report_year(year), primary_coder)
