"""The interventions stage's report: everything its notebook shows, built and gated here.

The notebook ``04_interventions.ipynb`` tells the story (what each step asks and how to read
it) and makes one call per result. :class:`InterventionsReport` makes those calls: each
publishes its tables through the disclosure gate (:class:`analysis.publishing.StageOutput`),
draws its figures from the published tables only, with alt text, records the run's headline
figures, and returns what the report shows as :class:`Shown`. The verdicts and the words
that read an interval come from :mod:`analysis.evaluation.verdicts`, the finding sentences,
chart titles and alt texts from :mod:`analysis.evaluation.findings`.

The steps, in the report's order:

* the action plan register, its reviews, progress and overdue actions;
* training needs: the weakest people-management skills, and what comments say of them;
* the course register;
* what each action changed in the survey (difference-in-differences or before and after),
  with the trends of targeted against comparison units;
* what each action changed in its indicator (interrupted time series and SPC);
* the courses on Kirkpatrick's four levels (reaction, learning, behaviour, results);
* the evaluation summary.

A step that needs another's published table (the summary needs every estimate) publishes it
when first asked, so the files are the same whichever step runs first.

References
----------
Kirkpatrick DL, Kirkpatrick JD (2006). Evaluating Training Programs: The Four Levels, 3rd ed.
Berrett-Koehler.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.datapackage import open_data_package
from analysis.datapackage.codings import (
    MACHINE_CODERS,
    RECONCILED_CODER,
    coded_comments,
)
from analysis.datapackage.readiness import notes_markdown
from analysis.datapackage.windows import package_up_to, windows_sentence
from analysis.disclosure import suppress_within
from analysis.evaluation import figures, needs, register, training, verdicts
from analysis.evaluation.findings import (
    NamedIndicator,
    action_outcome_list,
    action_trend_texts,
    indicator_chart_texts,
    training_changes_title,
)
from analysis.evaluation.summary import evaluation_summary
from analysis.publishing import PublishedTable, Shown, StageOutput
from analysis.text_safety import markdown, markdown_list

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "PAIRED_RATING_COLUMNS",
    "InterventionsReport",
    "NamedIndicator",
    "Shown",
    "action_outcome_list",
    "action_trend_texts",
    "course_outcome_items",
    "indicator_chart_texts",
    "shown_rows",
    "training_changes_title",
]

PAIRED_RATING_COLUMNS = (
    "course_id", "course_name", "level", "rater", "measure", "n_pairs", "n_unmatched",
    "mean_pre", "mean_post", "mean_change", "ci_low", "ci_high", "p_value", "wilcoxon_p_value",
    "g_z", "g_z_ci_low", "g_z_ci_high", "verdict",
)  # fmt: skip
"""The columns of levels 2 and 3 as published (``mean_post`` is shown as ``mean_later``)."""


_POOLED_INDICATORS = "not person-level: monthly indicators pooled over whole directorates' teams"


def shown_rows(published: PublishedTable) -> pd.DataFrame:
    """The rows of a published table that the disclosure gate shows.

    Parameters
    ----------
    published
        A table from :meth:`analysis.publishing.StageOutput.table`.

    Returns
    -------
    pandas.DataFrame
        ``published.data`` without its suppressed rows (all of them for a table that is not
        person-level).
    """
    return published.data.loc[~published.suppressed]


def course_outcome_items(courses: pd.DataFrame) -> dict[str, list[str]]:
    """The survey items each course aims to move, from the course register.

    Parameters
    ----------
    courses
        The package's ``courses`` table (``course_id``, ``item_id``; one row per link).

    Returns
    -------
    dict
        ``course_id`` to its sorted distinct ``item_id``; courses linked to no item are left
        out (their level 4 cannot be read from the survey).
    """
    return {
        course: sorted(items.dropna().unique())
        for course, items in courses.groupby("course_id")["item_id"]
        if items.notna().any()
    }


def _people_codings(codings: pd.DataFrame | None) -> pd.DataFrame:
    """The codings people made (no machine suggestions), or none if no person coded yet.

    Reconciled codes alone do not count: :func:`~analysis.datapackage.codings.choose_coders`
    needs a person who coded.
    """
    if codings is None:
        return pd.DataFrame(columns=["comment_id", "coder", "code_id"])
    coders = codings["coder"].astype(str)
    people = codings[~coders.isin(MACHINE_CODERS)]
    if not (people["coder"].astype(str) != RECONCILED_CODER).any():
        return people.iloc[0:0]
    return people


@dataclass(frozen=True)
class _CourseResults:
    """Level 4 as published: the table (if any), its shown rows and what was left out."""

    published: PublishedTable | None
    shown: pd.DataFrame
    left_out: list[str]


class InterventionsReport:
    """The interventions stage of one report year: each method is one result of the report.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The last survey year used; ``None`` for the latest in the package. Nothing after it
        is read.
    output_dir
        Where the tables, figures and headline figures are written.
    detail
        ``True`` shows long tables open, for analysts.
    bootstrap_reps, seed
        The wild cluster bootstrap's samples and random seed (difference-in-differences).
    needs_year
        The survey year the training needs are read from; ``None`` for ``year``.
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).

    Examples
    --------
    >>> report = InterventionsReport("data/demo", None, "reports/scratch")  # doctest: +SKIP
    >>> report.action_register()                                           # doctest: +SKIP
    """

    def __init__(
        self,
        data_dir: Path | str,
        year: int | None,
        output_dir: Path | str,
        *,
        detail: bool = False,
        bootstrap_reps: int = 1999,
        seed: int = 1,
        needs_year: int | None = None,
        validated_package: Path | str | None = None,
        validated_package_sha256: str | None = None,
    ) -> None:
        package = open_data_package(data_dir, validated_package, validated_package_sha256)
        self.year = package.report_year(None if year is None else int(year))
        self.package = package_up_to(package, self.year)  # nothing after the report year
        self.minimum = self.package.description.minimum_group_size
        self.out = StageOutput(
            output_dir, stage="interventions", minimum_group_size=self.minimum, detail=detail
        )
        self.bootstrap_reps = bootstrap_reps
        self.seed = seed
        self.needs_year = self.year if needs_year is None else int(needs_year)
        self.end_of_year = pd.Timestamp(f"{self.year}-12-31")
        self.plans = self.package.tables["action_plans"]
        self.reviews = self.package.tables.get("action_reviews")
        specs = self.package.indicators
        self.indicators = {} if specs is None else {i.id: i for i in specs.indicators}

    # --- the package and the register ------------------------------------------------------

    def introduction(self) -> Shown:
        """The windows read, the organisation and the minimum group size, and any gaps."""
        description = self.package.description
        return Shown(
            markdown("{windows}", windows=windows_sentence(description.windows, self.year)),
            markdown(
                "**{organisation}**: actions and courses evaluated with the staff surveys up "
                "to {year}. Minimum group size: {minimum} respondents.",
                organisation=description.organisation_name,
                year=self.year,
                minimum=self.minimum,
            ),
            notes_markdown(self.package, "interventions", self.year),
        )

    def action_register(self) -> Shown:
        """The action plan register at the end of the report year."""
        return Shown(
            self.out.table(
                register.action_register(self.plans, self.end_of_year, self.reviews),
                "actions",
                title=f"The action plan register at the end of {self.year}",
                disclosure="not person-level: actions and the roles that own them",
                note="finding: what prompted the action, with its baseline value. "
                "outcome_measures: chosen in advance, the first is the primary outcome; "
                "expected_direction: one for all measures or one per measure (empty: not "
                "stated). due_date: the review date.",
            )
        )

    def review_history(self) -> Shown:
        """What each action's reviews found, by date (nothing when the package has none)."""
        if self.reviews is None:
            return Shown()
        history = self.reviews.loc[self.reviews["review_date"] <= self.end_of_year].sort_values(
            ["action_id", "review_date"]
        )
        return Shown(
            self.out.table(
                history.assign(review_date=history["review_date"].dt.strftime("%Y-%m-%d")),
                "action_reviews",
                title=f"What each action's reviews found, by date, up to {self.year}",
                disclosure="not person-level: reviews of actions",
            )
        )

    def action_progress(self) -> Shown:
        """How many actions each survey raised, by status."""
        return Shown(
            self.out.table(
                register.action_progress(self.plans),
                "action_progress",
                title="Actions by the survey that raised them and their status",
                disclosure="not person-level: counts actions, not people",
            )
        )

    def overdue_actions(self) -> Shown:
        """The actions past their due date, and their number as a headline figure."""
        published = self.out.table(
            register.overdue_actions(self.plans, self.end_of_year),
            "overdue_actions",
            title=f"Actions past their due date at the end of {self.year}",
            disclosure="not person-level: actions and the roles that own them",
        )
        self.out.headline("Overdue actions", published, statistic="rows")
        return Shown(published)

    # --- training needs and the course register --------------------------------------------

    def training_needs(self, skill_items: Mapping[str, Sequence[str]] | None = None) -> Shown:
        """The people-management skills as staff saw them, the weakest first, by directorate.

        Parameters
        ----------
        skill_items
            For each skill, the survey items that show it (the notebook's ``skill_items``);
            ``None`` means :data:`~analysis.evaluation.needs.SKILL_ITEMS`.

        Returns
        -------
        Shown
            The skills left out and why; then the gated table, its chart (titled with the
            weakest skill across the organisation, :func:`~analysis.evaluation.needs.
            weakest_skill_finding`) and the ranking with the weakest skill of each
            directorate the gate shows; or why there are no training needs to show.
        """
        chosen = needs.SKILL_ITEMS if skill_items is None else skill_items
        skills = needs.skill_scores(self.package, chosen, self.needs_year)
        shown = []
        if skills.attrs["notes"]:
            shown.append(
                markdown("Skills left out: {notes}.", notes="; ".join(skills.attrs["notes"]))
            )
        if skills.empty:
            shown.append(
                markdown(
                    "The training needs are left out: none of the skills' survey items (the "
                    "parameter `skill_items`) was asked in {year}.",
                    year=self.needs_year,
                )
            )
            return Shown(*shown)
        published = self.out.table(
            skills,
            "training_needs",
            title=f"People-management skills as staff saw them in {self.needs_year}: % positive",
            count="respondents",
            dimensions=["directorate"],
            for_each=["skill"],
            labels=["items"],
            note="percent_positive: mean over respondents of the share of the skill's items "
            "answered positively. difference: percentage points from all directorates. "
            "weakest_rank: 1 = the skill with the lowest % positive in that directorate.",
        )
        finding = needs.weakest_skill_finding(published, self.needs_year)
        figure = self.out.figure(
            figures.skill_needs_chart(published.data, title=finding),
            "training_needs",
            alt="Grid of the % of positive answers for each people-management skill (columns) in "
            f"each directorate and the whole organisation (rows) in {self.needs_year}; lighter "
            f"cells show lower scores and so greater training needs. {finding}.",
            caption="Numbers: % positive. Lighter: greater need. [c]: suppressed.",
            data=published,
        )
        weakest = skills.loc[
            (skills["directorate"] != needs.ALL_DIRECTORATES)
            & ~published.suppressed.to_numpy()
            & (skills["weakest_rank"] == 1)
        ]
        ranking = markdown_list(
            "- **{directorate}**: {skill}, {percent_positive:.0f}% positive ({difference:+.1f} "
            "points from the organisation)",
            weakest,
            before="{ranking}\n\nThe weakest skill in each directorate:\n\n",
            ranking=needs.ranking_sentence(published),
        )
        return Shown(*shown, published, figure, ranking)

    def skill_comments(
        self, skill_codes: Mapping[str, Sequence[str]] | None, primary_coder: str | None
    ) -> Shown:
        """The share of commenting respondents who raised each skill's comment codes.

        Parameters
        ----------
        skill_codes
            For each skill, its comment codes (the notebook's ``skill_codes``); ``None``
            means :data:`~analysis.evaluation.needs.SKILL_CODES`; empty leaves comments out.
        primary_coder
            The coder whose codes count; ``None`` for the one who coded the most comments.
        """
        package = self.package
        skill_codes = needs.SKILL_CODES if skill_codes is None else skill_codes
        people = _people_codings(package.codings)
        if package.comments is None or people.empty or not skill_codes:
            return Shown(
                markdown(
                    "No comments coded by a person in the data package: the survey items "
                    "alone are read."
                )
            )
        shares = needs.skill_comment_shares(
            coded_comments(package.comments, people, primary_coder),
            package.responses,
            skill_codes,
            self.needs_year,
            codebook=package.codebook,
        )
        shown = []
        if shares.attrs["notes"]:
            shown.append(
                markdown("Skills left out: {notes}.", notes="; ".join(shares.attrs["notes"]))
            )
        published = self.out.table(
            shares,
            "training_needs_comments",
            title=f"Commenting respondents raising each skill's codes in {self.needs_year}",
            count="commenters",
            dimensions=["directorate"],
            for_each=["skill"],
            labels=["codes"],
            note="percent: raised / commenters x 100 (respondents with a coded comment).",
        )
        return Shown(*shown, published)

    @cached_property
    def course_items(self) -> dict[str, list[str]]:
        """The survey items each course aims to move (:func:`course_outcome_items`)."""
        courses = self.package.tables.get("courses")
        return {} if courses is None else course_outcome_items(courses)

    def course_register(self) -> Shown:
        """Each course's objectives and the outcomes it aims to move, or why there is none."""
        if self.package.tables.get("courses") is None:
            return Shown(
                markdown("The data package has no course register (`courses`): level 4 is skipped.")
            )
        return Shown(
            self.out.table(
                needs.course_register(self.package, self.year),
                "courses",
                title="The course register: objectives and the outcomes each course aims to move",
                disclosure="not person-level: the courses' design",
            )
        )

    # --- what each action changed in the survey --------------------------------------------

    @cached_property
    def published_outcomes(self) -> PublishedTable:
        """Each action's survey outcomes before and after, gated (``action_outcomes``)."""
        return self.out.table(
            register.action_outcomes(
                self.package, self.year, bootstrap_reps=self.bootstrap_reps, seed=self.seed
            ),
            "action_outcomes",
            title=f"Each action's survey outcomes before and after, up to {self.year}",
            count="smallest_group",
            for_each=["action_ids", "item_id"],
            labels=[
                "primary",
                "expected_direction",
                "finding",
                "directorates",
                "teams",
                "unit",
                "status",
                "first_year_after",
                "comparison",
                "design",
            ],
            note="Percentages: % of respondents answering positively. Estimate, interval (95%): "
            "percentage points. smallest_group: the fewest respondents behind any of the "
            "percentages.",
        )

    def action_outcomes(self) -> Shown:
        """The table of each action's survey outcomes."""
        return Shown(self.published_outcomes)

    def action_findings(self, headline_action: str | None) -> Shown:
        """Each action's outcome in a line with its verdict; one action's as a headline.

        Parameters
        ----------
        headline_action
            The ``action_ids`` whose primary outcome goes on the run's index page (with its
            verdict's caveats), if the gate shows it; ``None`` for none.
        """
        published = self.published_outcomes
        shown = shown_rows(published)
        hidden = published.data.loc[published.suppressed]
        headline = shown.loc[(shown["action_ids"] == headline_action) & shown["primary"]]
        if len(headline):
            row = headline.iloc[0]
            self.out.headline(
                f"Action {headline_action}: change in {row['item_id']} beyond comparison",
                published,
                row=row.name,
                text="{estimate:.0f} points ({ci_low:.0f} to {ci_high:.0f})",
                caveat=verdicts.verdict_caveats(row["verdict"]),
            )
        return Shown(action_outcome_list(shown, hidden, self.minimum))

    def _published_trends(self, compared: pd.DataFrame) -> PublishedTable | None:
        """The yearly % positive of targeted and comparison units, gated with their containers."""
        parts = []
        for action in compared.itertuples():
            by_team = action.unit == "team"
            targeted = (action.teams if by_team else action.directorates).split(", ")
            trends = register.action_trends(
                self.package,
                action.item_id,
                targeted,
                action.comparison.split(", "),
                self.year,
                unit="team_id" if by_team else "directorate",
                containers=True,
            )
            trends.insert(0, "item_id", action.item_id)
            trends.insert(0, "action_ids", action.action_ids)
            parts.append(trends)
        if not parts:
            return None
        return self.out.table(
            suppress_within(
                pd.concat(parts, ignore_index=True),
                count="n",
                containers=["directorates_n", "organisation_n"],
                line=("group", "organisation_n"),
                dimensions=["group", "year"],
                for_each=["action_ids", "item_id"],
                minimum=self.minimum,
            ),
            "action_trends",
            title="% positive on each action's survey outcomes, targeted and comparison units",
            count="n",
            dimensions=["group", "year"],
            for_each=["action_ids", "item_id"],
            gated=True,
            note="mean, ci_low, ci_high: % of respondents answering positively, with 95% t "
            "intervals.",
            precision={"mean": "percent", "ci_low": "percent", "ci_high": "percent"},
        )

    def action_trends(self) -> Shown:
        """A chart per compared action: targeted against comparison units, year by year.

        Only actions whose outcome the gate shows and that have comparison units
        (difference-in-differences) are drawn; the first chart is open, the others folded.
        """
        shown = shown_rows(self.published_outcomes)
        compared = shown.loc[shown["design"] == "difference-in-differences"]
        published = self._published_trends(compared)
        if published is None:
            return Shown(
                markdown(
                    "No action has units it did not target to compare with (difference-in-"
                    "differences), so no trends of targeted against comparison units are "
                    "shown."
                )
            )
        charts = []
        for number, action in enumerate(compared.itertuples(), start=1):
            trends = published.data.loc[
                (published.data["action_ids"] == action.action_ids)
                & (published.data["item_id"] == action.item_id)
            ]
            title, alt = action_trend_texts(action)
            units = "teams" if action.unit == "team" else "directorates"
            charts.append(
                self.out.figure(
                    figures.group_trends_chart(
                        trends,
                        first_treated_year=int(action.first_year_after),
                        title=title,
                        ylabel=f"{action.item_id.replace('_', ' ')} (% positive)",
                        labels=(f"Targeted {units}", f"Comparison {units}"),
                    ),
                    f"action_trends_{number}",
                    alt=alt,
                    caption="Bars: 95% confidence intervals. [c]: suppressed.",
                    data=trends,
                    folded=number > 1,  # the first action shown, the others folded
                )
            )
        return Shown(*charts)

    # --- what each action changed in its indicator -----------------------------------------

    @cached_property
    def _indicator_effects(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:func:`~analysis.evaluation.register.action_indicator_effects` of the package."""
        lower_is_better = [i.id for i in self.indicators.values() if i.polarity == "low_is_good"]
        return register.action_indicator_effects(self.package, self.year, lower_is_better)

    @cached_property
    def published_its(self) -> PublishedTable:
        """The interrupted time series of each action's indicator (``its``)."""
        return self.out.table(
            self._indicator_effects[0],
            "its",
            title="Interrupted time series of each action's indicator",
            disclosure=_POOLED_INDICATORS,
            note="Units: percentage points for rates, counts for counts; slope change per month.",
        )

    @property
    def _level_changes(self) -> pd.DataFrame:
        """The jump of each action's indicator when it started: the ``level_change`` rows."""
        its = self._indicator_effects[0]
        return its.loc[its["term"] == "level_change"]

    def indicator_effects(self) -> Shown:
        """The interrupted-time-series table, and each action's jump with its verdict."""
        published = self.published_its
        level_changes = self._level_changes.assign(
            indicator=lambda table: table["indicator_id"].str.replace("_", " ")
        )
        hidden = level_changes["design"] == "not shown"  # a series of too few staff
        jumps = markdown_list(
            "- **{action_ids}**, {indicator} from {intervention_month} ({design}): {estimate:+.1f} "
            "({ci_low:.1f} to {ci_high:.1f}). *Verdict*: {verdict}.",
            level_changes.loc[~hidden],
            before="Every coefficient is in the table `its`. The jump when each action "
            "started:\n\n",
        )
        if not hidden.any():
            return Shown(published, jumps)
        not_shown = markdown_list(
            "- **{action_ids}**, {indicator}: {verdict}.",
            level_changes.loc[hidden],
            before="Not shown:\n\n",
        )
        return Shown(published, jumps, not_shown)

    @cached_property
    def published_its_lines(self) -> PublishedTable:
        """Each action's indicator: observed, fitted and expected (``its_lines``)."""
        return self.out.table(
            self._indicator_effects[1],
            "its_lines",
            title="Each action's indicator in the targeted teams: observed, fitted and expected",
            disclosure=_POOLED_INDICATORS,
        )

    def _plain_series(self) -> Iterable[tuple[int, Any, pd.DataFrame]]:
        """Each uncontrolled time series: its number, level change row and published lines."""
        level_changes = self._level_changes
        plain = level_changes.loc[level_changes["design"] == "interrupted time series"]
        lines = self.published_its_lines.data
        for number, row in enumerate(plain.itertuples(), start=1):
            chosen = (lines["action_ids"] == row.action_ids) & (
                lines["indicator_id"] == row.indicator_id
            )
            yield number, row, lines.loc[chosen]

    def indicator_charts(self) -> Shown:
        """A chart per action's indicator: observed, fitted and the line expected without it.

        The first chart is open, the others folded.
        """
        charts = []
        for number, row, lines in self._plain_series():
            title, ylabel, alt = indicator_chart_texts(
                row, self.indicators.get(row.indicator_id), "comparison" in lines.columns
            )
            charts.append(
                self.out.figure(
                    figures.interrupted_time_series_chart(
                        lines, intervention_month=row.intervention_month, title=title, ylabel=ylabel
                    ),
                    f"its_{number}",
                    alt=alt,
                    caption="Dashed orange: the earlier trend carried on (what the model expects "
                    "without the action).",
                    data=lines,
                    folded=number > 1,  # the first action shown, the others folded
                )
            )
        return Shown(*charts)

    def indicator_spc(self) -> Shown:
        """The SPC limits of each action's indicator before and after it started."""
        parts = []
        for _, row, lines in self._plain_series():
            series = pd.Series(
                lines["observed"].to_numpy(), index=pd.PeriodIndex(lines["month"], freq="M")
            )
            spec = self.indicators.get(row.indicator_id)
            improvement = spec.improvement if spec else "neutral"
            parts.append(
                register.spc_before_after(series, row.intervention_month, improvement).assign(
                    action_ids=row.action_ids, indicator_id=row.indicator_id
                )
            )
        if not parts:
            return Shown()
        table = pd.concat(parts, ignore_index=True)
        first = ["action_ids", "indicator_id"]
        return Shown(
            self.out.table(
                table[first + [c for c in table.columns if c not in first]],
                "its_spc",
                title="Each action's indicator in the targeted teams: SPC limits before and after",
                disclosure=_POOLED_INDICATORS,
            )
        )

    # --- the courses -------------------------------------------------------------------------

    @property
    def _evaluations(self) -> pd.DataFrame:
        return self.package.tables["training_evaluations"]

    def _no_ratings(self, what: str) -> Markdown:
        """Why a level shows nothing: no evaluations at all yet, or none of ``what``."""
        if self._evaluations.empty:
            return markdown("No training evaluations up to {year}.", year=self.year)
        return markdown("No course has {what} up to {year}.", what=what, year=self.year)

    def course_reactions(self) -> Shown:
        """Level 1: how participants rated each course, overall and by cohort."""
        reaction = training.reaction_distribution(self._evaluations)
        if reaction.empty:
            return Shown(self._no_ratings("ratings given only after the course (level 1)"))
        distribution = self.out.table(
            reaction.drop(columns="participants"),
            "training_reaction",
            title="Level 1: how participants rated each course at its last session (% per score)",
            count="raters",
            dimensions=["score"],
            for_each=["course_id", "measure"],
            labels=["course_name"],
            note="percent: % of the raters giving each score from 1 (lowest) to 5 (highest).",
        )
        by_cohort = self.out.table(
            training.reaction_by_cohort(self._evaluations),
            "training_reaction_cohorts",
            title="Level 1 by cohort: median rating and % rating 4 or 5",
            count="participants",
            dimensions=["cohort"],
            for_each=["course_id", "measure"],
            labels=["course_name"],
        )
        return Shown(distribution, by_cohort)

    @cached_property
    def published_training(self) -> PublishedTable:
        """Levels 2 and 3: matched participants' ratings before and after (``training``)."""
        evaluations = self._evaluations
        ratings = pd.concat(
            [
                training.paired_ratings(evaluations, "post"),
                training.paired_ratings(evaluations, "follow_up"),
                training.paired_ratings(evaluations, "follow_up", rater="line_manager"),
            ],
            ignore_index=True,
        )
        return self.out.table(
            ratings[list(PAIRED_RATING_COLUMNS)].rename(columns={"mean_post": "mean_later"}),
            "training",
            title="Levels 2 and 3: matched participants' ratings (1-5) before and after",
            count="n_pairs",
            for_each=["course_id", "level", "rater", "measure"],
            labels=["course_name"],
            note="rater: self (the participant) or line_manager. mean_later: just after the "
            "course (level 2) or at follow-up (level 3). g_z: Hedges-corrected mean change / SD "
            "of changes, interval from the noncentral t.",
        )

    @property
    def _pooled_ratings(self) -> pd.DataFrame:
        """The shown rows of levels 2 and 3 over all measures together."""
        published = self.published_training
        return published.data.loc[
            (published.data["measure"] == training.ALL_MEASURES) & ~published.suppressed
        ]

    def course_ratings(self) -> Shown:
        """Levels 2 and 3: the table, and each course's change over all measures, in words.

        Without ratings before and after, the table has no rows, and a sentence says why.
        """
        if not len(self.published_training.data):
            why = self._no_ratings("ratings before and after the course (levels 2 and 3)")
            return Shown(why, self.published_training)
        pooled = self._pooled_ratings
        if pooled.empty:
            return Shown(
                self.published_training,
                markdown(
                    "No course's change over all measures is shown: the disclosure gate hides "
                    "each one ([c] in the table; the minimum group size is {minimum}).",
                    minimum=self.minimum,
                ),
            )
        changes = markdown_list(
            "- **{course_id}**, level {level} ({rater}): {mean_pre:.2f} -> {mean_later:.2f} for "
            "{n_pairs} matched participants ({n_unmatched} unmatched). *Verdict*: {verdict}.",
            pooled.assign(rater=pooled["rater"].str.replace("_", " ")),
            before="Each course, all measures together:\n\n",
        )
        return Shown(self.published_training, changes)

    def course_rating_changes(self, headline_course: str | None) -> Shown:
        """The chart of every rating change; one course's gains as headline figures.

        Parameters
        ----------
        headline_course
            The ``course_id`` whose level 2 self-rating gain and level 3 line managers'
            gain go on the run's index page, where the gate shows them; ``None`` for none.
            Nothing is shown without ratings before and after (:meth:`course_ratings` says
            why).
        """
        published = self.published_training
        if not len(published.data):
            return Shown()
        if published.suppressed.all():
            return Shown(
                markdown(
                    "No chart of the rating changes: the disclosure gate hides every course's "
                    "ratings in {year} ([c] in the table; the minimum group size is {minimum}).",
                    year=self.year,
                    minimum=self.minimum,
                )
            )
        if headline_course is not None:
            course = self._pooled_ratings
            course = course.loc[course["course_id"] == headline_course].set_index(
                ["level", "rater"]
            )
            pooled_row = {"course_id": headline_course, "measure": training.ALL_MEASURES}
            gains = {
                ("2 learning", "self"): "confidence gain just after",
                ("3 behaviour", "line_manager"): "line managers' rating gain at follow-up",
            }
            for (level, rater), label in gains.items():
                if (level, rater) in course.index:  # in the package, and not suppressed
                    self.out.headline(
                        f"{headline_course} course: {label}",
                        published,
                        row={**pooled_row, "level": level, "rater": rater},
                        text="{mean_change:.1f} points on 1-5",
                    )
        title = training_changes_title(published)
        figure = self.out.figure(
            figures.paired_changes_chart(
                published.data,
                title=title,
                xlabel="Mean change in rating (points on a 1-5 scale), 95% interval",
            ),
            "training_changes",
            alt="Forest plot of the mean change in ratings per course and measure: self-ratings "
            "just after the course (level 2) and at follow-up (level 3), and line managers' "
            f"ratings at follow-up, with 95% intervals. {title}.",
            caption="Blue: level 2 (just after); orange: level 3 self-rating (follow-up); grey: "
            "level 3 line manager's rating. [c]: suppressed.",
            data=published,
        )
        return Shown(figure)

    @cached_property
    def _course_results(self) -> _CourseResults:
        """Level 4 of every course with survey items, gated (``training_results``)."""
        parts = [
            training.course_results(
                self.package,
                course_id,
                items,
                self.year,
                bootstrap_reps=self.bootstrap_reps,
                seed=self.seed,
            )
            for course_id, items in self.course_items.items()
        ]
        left_out = [note for part in parts for note in part.attrs["notes"]]
        results = (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=list(training.COURSE_RESULT_COLUMNS))
        )
        if not len(results):
            return _CourseResults(None, results, left_out)
        published = self.out.table(
            results,
            "training_results",
            title="Level 4: % positive on the linked survey items, trained teams against the "
            "others",
            count="n_respondents",
            for_each=["course_id", "first_survey_year"],
            labels=["trained_teams", "comparison_teams"],
            note="Estimate and interval (95%) in percentage points.",
        )
        return _CourseResults(published, shown_rows(published), left_out)

    def course_results(self) -> Shown:
        """Level 4: trained teams against the others on each course's survey items."""
        level4 = self._course_results
        shown = []
        if level4.left_out:
            shown.append(
                markdown("Left out of level 4: {reasons}.", reasons="; ".join(level4.left_out))
            )
        if level4.published is not None:
            shown.append(level4.published)
        else:
            why = (
                "see above"
                if level4.left_out
                else "no course has survey items in the course register"
            )
            shown.append(markdown("No level 4 results: {why}.", why=why))
        return Shown(*shown)

    def course_trends(self, headline_course: str | None) -> Shown:
        """One course's level 4 year by year, as a table, a headline figure and a chart.

        Parameters
        ----------
        headline_course
            The ``course_id`` shown (its largest group of trained teams the gate shows);
            ``None`` or a course without shown level 4 results shows nothing.
        """
        results = self._course_results.shown
        if not len(results):
            return Shown()
        of_course = results.loc[results["course_id"] == headline_course]
        if not len(of_course):
            return Shown()
        main_group = of_course.sort_values("trained_teams").iloc[-1]
        start = int(main_group["first_survey_year"])
        trends = self.out.table(
            training.course_trends(
                self.package, headline_course, self.course_items[headline_course], start, self.year
            ),
            "course_trends",
            title=f"{headline_course}: % positive on the linked items, teams first surveyed after "
            f"the course in {start} against teams that sent nobody",
            count="n",
            dimensions=["group", "year"],
        )
        self.out.headline(
            f"{headline_course} course: linked items, trained teams beyond others",
            self._course_results.published,
            row=main_group.name,
            text="{estimate:.0f} points ({ci_low:.0f} to {ci_high:.0f})",
            caveat=verdicts.verdict_caveats(main_group["verdict"]),
        )
        figure = self.out.figure(
            figures.group_trends_chart(
                trends.data,
                first_treated_year=start,
                title=f"Staff of teams trained on {headline_course} answered its linked items "
                f"about {main_group['estimate']:.0f} points more positively from {start}",
                ylabel="Positive on the linked items (% of answers)",
                labels=("Teams whose managers attended", "Teams that sent nobody"),
            ),
            "course_trends",
            alt="Line chart of the percentage of positive answers on the course's linked survey "
            "items each year, in trained teams and in teams that sent nobody, with the course "
            f"marked: trained teams' staff answered about {main_group['estimate']:.0f} points "
            f"more positively from {start}.",
            caption="Bars: 95% confidence intervals. [c]: suppressed.",
            data=trends,
        )
        return Shown(trends, figure)

    # --- the summary ---------------------------------------------------------------------

    def evaluation_summary(self) -> Shown:
        """One line per action and course and outcome, hidden where their tables hide them."""
        level4 = self._course_results
        results = level4.published.data if len(level4.shown) else level4.shown
        summary = evaluation_summary(
            self.published_outcomes.data,
            self.published_its.data,
            self.published_training.data,
            results,
        )
        nothing = (
            markdown("No action or course has an estimate up to {year}.", year=self.year)
            if summary.empty
            else None
        )
        return Shown(
            nothing,
            self.out.table(
                summary,
                "evaluation_summary",
                title=f"What each action and course changed, up to {self.year}",
                gated=True,
                labels=["evaluated", "id", "outcome", "primary", "design", "unit"],
                note="primary: the outcome chosen in advance. Estimates and 95% intervals in "
                "the unit shown.",
            ),
        )
