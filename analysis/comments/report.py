"""Everything the comments stage's notebook shows: gated tables, figures and findings.

The notebook ``notebooks/02_comments.ipynb`` tells the story; this module does the work.
:func:`open_stage` reads the data package once and decides which comments and coders count;
each later function builds one section of the report, publishes its tables, figures and
headline figures through :class:`~analysis.publishing.StageOutput` (whose ``table`` method
runs the disclosure gate, :func:`analysis.disclosure.suppress_small_groups`) and returns a
:class:`~analysis.publishing.Shown`: what the notebook cell displays, in order.

Examples
--------
>>> stage = open_stage("data/demo", None, "reports/scratch")        # doctest: +SKIP
>>> coder_agreement(stage, machine_coding=True)                     # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from textwrap import fill
from typing import TYPE_CHECKING

import pandas as pd

from analysis import findings
from analysis.comments import (
    MODEL_CODER,
    TooFewCodedError,
    agreement,
    choose_coders,
    codings_for_analysis,
    load_codings,
    model_codings,
    pairwise_agreement,
    suggest_codes,
)
from analysis.comments import figures as comment_figures
from analysis.comments.coding_methods import coding_methods_by_year, mixed_methods_warning
from analysis.comments.frequencies import (
    KEYWORD_CODER,
    change_in_share,
    code_cooccurrence,
    code_frequencies,
    code_vs_scores,
    coded_comments,
    keyword_codings,
    linked_survey_scores,
    suppress_code_frequencies,
)
from analysis.comments.quotes import (
    ApprovalSheet,
    approval_sheet,
    approved_comment_ids,
    quotes_markdown,
    representative_quotes,
)
from analysis.comments.suggest_quality import (
    SuggestionQuality,
    learning_curve_finding,
    suggestion_quality,
)
from analysis.comments.widget import CodingWidget, coding_widget
from analysis.datapackage import DataPackage, open_data_package
from analysis.datapackage.codebook import Codebook
from analysis.datapackage.coverage import (
    CodingCoverage,
    coding_coverage,
    comments_coded_by_year,
    comments_up_to,
)
from analysis.datapackage.windows import package_up_to, windows_sentence
from analysis.figures import trend_chart
from analysis.publishing import DisplayedFigure, PublishedTable, Shown, StageOutput
from analysis.text_safety import markdown

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "PRIVATE_FOLDER",
    "CodeFrequencies",
    "CommentsStage",
    "Suggestions",
    "approval_sheet_section",
    "changes_since_previous_survey",
    "codes_by_group",
    "codes_raised_together",
    "coding_widget_with_suggestions",
    "comment_counts",
    "coder_agreement",
    "comments_and_scores",
    "comments_sentence",
    "group_finding",
    "keyword_hints_check",
    "open_stage",
    "opening",
    "pair_finding",
    "shown_counts",
    "significant_changes_sentence",
    "staff_quotes",
    "suggestion_quality_section",
    "suggestions_for_uncoded",
    "what_staff_write_about",
]

MOST_RAISED = 8
"""How many of the year's most raised codes the figures, pairs and quotes cover."""

SIGNIFICANCE = 0.05
"""Holm-adjusted p-values under this are called significant."""

AGREEMENT_PRECISION = {"percent_agreement": "coefficient"}
"""The share of comments coders agree on is a 0-1 proportion, shown to 2 decimals like the
kappas (its name would make it a percentage, shown to 1 decimal: 0.97 as 1.0)."""

NOT_PERSON_LEVEL_QUALITY = (
    "not person-level: how often the suggestion model agrees with the people's coding, "
    "over every coded comment, not broken down by any group of staff"
)


@dataclass
class CommentsStage:
    """The comments and coders one report counts, read once from the data package.

    Attributes
    ----------
    package
        The data package, cut at the report year (nothing later is read).
    out
        Where tables, figures and headline figures are published.
    report_year
        The survey year reported on.
    comments
        The comments of the report year and earlier.
    codings
        The people's codings of those comments (earlier model codings left out: the model
        codes afresh).
    analysis_coding
        The codings the analysis counts: the primary coder's, reconciled ones first.
    coded
        One row per comment and code counted, with its ``source`` (a coder or keywords).
    coverage
        How far the report year is coded, and the year whose codes are counted.
    """

    package: DataPackage
    out: StageOutput
    data_dir: str
    report_year: int
    keyword_coding: bool
    comments: pd.DataFrame
    codings: pd.DataFrame
    primary_coder: str
    second_coder: str | None
    analysis_coding: pd.DataFrame
    coded: pd.DataFrame
    coverage: CodingCoverage
    methods: pd.DataFrame
    counts: PublishedTable | None = None

    @property
    def codebook(self) -> Codebook:
        """The data package's qualitative codebook."""
        return self.package.codebook

    @property
    def minimum(self) -> int:
        """The minimum group size of the data package."""
        return self.package.description.minimum_group_size

    @property
    def counted_year(self) -> int:
        """The latest year with coded comments, whose codes the report counts."""
        return self.coverage.counted_year

    @property
    def codes(self) -> list[str]:
        """The codebook's codable codes, in codebook order."""
        return [code.id for code in self.codebook if code.codable]

    @property
    def labels(self) -> dict[str, str]:
        """Each code's label, by code id."""
        return {code.id: code.label for code in self.codebook}

    @property
    def by_people(self) -> pd.DataFrame:
        """The counted codes that a person gave (not keyword hints)."""
        return self.coded[self.coded["source"] != KEYWORD_CODER]

    @property
    def staff_id_pattern(self) -> str | None:
        """The data package's staff-number pattern, for redaction (None: none declared)."""
        return self.package.description.staff_id_pattern or None


@dataclass
class CodeFrequencies:
    """The gated code frequencies and the year's most raised codes, besides what is shown."""

    published: PublishedTable
    top_codes: list[str] = field(default_factory=list)
    shown: Shown = field(default_factory=Shown)

    def _ipython_display_(self) -> None:
        self.shown._ipython_display_()

    @property
    def gated(self) -> pd.DataFrame:
        """The published frequencies, small groups suppressed."""
        return self.published.data

    @property
    def by_year(self) -> pd.DataFrame:
        """The frequencies over every respondent (no group), one row per year and code."""
        return self.gated[self.gated["breakdown"] == "all"]


@dataclass
class Suggestions:
    """The model's code suggestions for the comments not coded yet (None: no suggestions)."""

    shown: Shown
    table: pd.DataFrame | None = None

    def _ipython_display_(self) -> None:
        self.shown._ipython_display_()


def open_stage(
    data_dir: str,
    year: int | None,
    output_dir: str,
    *,
    primary_coder: str | None = None,
    second_coder: str | None = None,
    keyword_coding: bool = False,
    detail: bool = False,
    validated_package: str | None = None,
    validated_package_sha256: str | None = None,
) -> CommentsStage:
    """Read the data package and decide which comments and coders the report counts.

    Parameters
    ----------
    data_dir
        The data package folder.
    year
        The survey year to report on; None means the latest year in the package.
    output_dir
        Where the stage publishes its tables, figures and headline figures.
    primary_coder, second_coder
        The coders whose codes count and who second-coded a sample; None chooses them
        (:func:`analysis.comments.choose_coders`).
    keyword_coding
        True to count keyword hints for comments no person has coded yet.
    detail
        True shows long tables open (see :class:`~analysis.publishing.StageOutput`).
    validated_package, validated_package_sha256
        The package the pipeline validated and its SHA-256 (the notebook's parameters);
        ``None`` reads and validates ``data_dir``
        (:func:`analysis.datapackage.open_data_package`).
    """
    package = open_data_package(data_dir, validated_package, validated_package_sha256)
    report_year = package.report_year(None if year is None else int(year))
    package = package_up_to(package, report_year)  # nothing after the report year
    out = StageOutput(
        output_dir,
        stage="comments",
        minimum_group_size=package.description.minimum_group_size,
        detail=detail,
    )
    comments, codings = comments_up_to(
        package.tables["comments"],
        pd.concat([package.tables["codings"], load_codings(data_dir)], ignore_index=True),
        report_year,
    )
    codings = codings[codings["coder"] != MODEL_CODER]  # the model codes afresh
    primary_coder, second_coder = choose_coders(codings, primary_coder, second_coder)
    analysis_coding = codings_for_analysis(codings, primary_coder)
    coded = coded_comments(
        comments, codings, primary_coder, package.codebook if keyword_coding else None
    )
    return CommentsStage(
        package=package,
        out=out,
        data_dir=str(data_dir),
        report_year=report_year,
        keyword_coding=bool(keyword_coding),
        comments=comments,
        codings=codings,
        primary_coder=primary_coder,
        second_coder=second_coder,
        analysis_coding=analysis_coding,
        coded=coded,
        coverage=coding_coverage(comments, analysis_coding, report_year),
        methods=coding_methods_by_year(coded),
    )


def comment_counts(stage: CommentsStage) -> PublishedTable:
    """Publish (once) the comments of each year and how far they are coded, gated.

    Every number of comments the report gives is read from this table
    (:func:`shown_counts`), never counted afresh: a year whose commenters are fewer than
    the minimum group size is hidden here, so no sentence gives its counts either, and
    no total over years is published (it would equal, or give by subtraction, a hidden
    year's count). Years are gated one by one (``for_each``), not as parts of a total.
    """
    if stage.counts is None:
        keyword_ids = stage.coded.loc[stage.coded["source"] == KEYWORD_CODER, "comment_id"]
        stage.counts = stage.out.table(
            comments_coded_by_year(stage.comments, stage.analysis_coding, keyword_ids),
            "comments_coded_by_year",
            title="Comments by survey year, the respondents who wrote them, and how many are coded",
            count="commenters",
            for_each=["year"],
            note="Coded by keywords: comments no person coded yet that the codebook's "
            "keyword hints code (counted only with keyword_coding).",
        )
    return stage.counts


def shown_counts(stage: CommentsStage, year: int) -> pd.Series | None:
    """The published counts of ``year``'s comments (None: hidden by the gate, or no row)."""
    data = comment_counts(stage).data
    row = data[(data["year"] == year) & ~data["suppressed"].astype(bool)]
    return None if row.empty else row.iloc[0]


def _every_year_shown(stage: CommentsStage) -> bool:
    """Whether the gate shows every year's counts (so totals over years give nothing away)."""
    return not comment_counts(stage).data["suppressed"].astype(bool).any()


def _too_few_reason(stage: CommentsStage, error: TooFewCodedError) -> str:
    """Why the model cannot run, without counts of coded comments when a year is hidden.

    The error's own words count the coded comments (in all and by code); they add up to
    the hidden years' counts, so they are left out then.
    """
    if _every_year_shown(stage):
        return str(error)
    return (
        "too few comments are coded for the model (how many is not shown: some year's "
        "comments are hidden)"
    )


def comments_sentence(stage: CommentsStage) -> Markdown:
    """How many comments the report year has, and how many are coded by people and keywords.

    The numbers are the report year's row of the published :func:`comment_counts`; when
    the gate hides it, the sentence says so and gives none.
    """
    row = shown_counts(stage, stage.report_year)
    if row is None:
        counts = (
            "The number of comments in {year} is not shown: fewer than {minimum} "
            "respondents wrote them."
        )
        values = {}
    else:
        counts = "{comments:,} comments in {year}; {by_people:,} coded by people" + (
            " and {by_keywords:,} by keyword hints."
            if stage.keyword_coding
            else "; the others are not counted."
        )
        values = {
            "comments": int(row["comments"]),
            "by_people": int(row["coded_by_people"]),
            "by_keywords": int(row["coded_by_keywords"]),
        }
    return markdown(
        "**{organisation}**: staff survey {year}. "
        + counts
        + " Minimum group size: {minimum} respondents.",
        organisation=stage.package.description.organisation_name,
        year=stage.report_year,
        minimum=stage.minimum,
        **values,
    )


def opening(stage: CommentsStage) -> Shown:
    """The report's opening: the windows, the comments counted, and how far they are coded."""
    windows = windows_sentence(stage.package.description.windows, stage.report_year)
    counts_shown = shown_counts(stage, stage.report_year) is not None
    return Shown(
        markdown("{windows}", windows=windows),
        comments_sentence(stage),
        stage.coverage.markdown(counts_shown=counts_shown),  # names escaped
        comment_counts(stage),
    )


def _double_coded(stage: CommentsStage) -> list[str]:
    """The comments both the primary and the second coder coded, sorted by id."""
    people = stage.codings
    coded_by = {
        coder: set(people.loc[people["coder"] == coder, "comment_id"].astype(str))
        for coder in (stage.primary_coder, stage.second_coder)
    }
    return sorted(coded_by[stage.primary_coder] & coded_by[stage.second_coder])


def _model_as_third_coder(
    stage: CommentsStage, double_coded: list[str], machine_coding: bool
) -> tuple[pd.DataFrame | None, str]:
    """The model's codes of the double-coded sample (None: left out) and a note saying why."""
    if not machine_coding:
        return None, "The model is switched off (machine_coding = False)."
    try:
        model = model_codings(
            stage.comments, stage.analysis_coding, stage.codebook, sample=double_coded
        )
    except TooFewCodedError as error:
        return None, f"The model is left out: {_too_few_reason(stage, error)}."
    learnt_from = stage.analysis_coding["comment_id"].nunique() - len(double_coded)
    return model, (
        f"The model learnt from {learnt_from:,} other comments coded by people and coded "
        f"{len(double_coded):,} double-coded ones."
    )


def _agreement_hidden(stage: CommentsStage, what: str) -> Markdown | None:
    """Why an agreement table is not shown (None: every year's comment counts are shown).

    An agreement table's figures (prevalence, the share agreeing, kappas, AC1) are ratios
    of the counts of one cross table over the comments both coders coded: with few
    comments their denominators give that number back, which can be, or add up to, a
    hidden year's count. So they are hidden with that count (``n_units``) whenever a year
    is hidden; with every year shown they bound no hidden count (``docs/disclosure.md``,
    "Agreement tables").
    """
    if _every_year_shown(stage):
        return None
    return markdown(
        what + " is not shown: its figures are ratios over the comments coded, from which "
        "their number could be worked out, and some year's comments are hidden (fewer "
        "than {minimum} respondents wrote them).",
        minimum=stage.minimum,
    )


def coder_agreement(stage: CommentsStage, *, machine_coding: bool) -> Shown:
    """Agreement between the two coders, and of the suggestion model with each of them.

    Publishes the ``agreement`` table and the headline median kappas; with a single coder,
    two coders who share no comment, or a year's comments hidden (:func:`_agreement_hidden`),
    says why agreement is left out.
    """
    first, second = stage.primary_coder, stage.second_coder
    if second is None:
        return Shown(
            markdown(
                "Agreement between coders is left out: only {coder} coded comments, and it "
                "takes a second coder coding some of the same comments to measure it.",
                coder=first,
            )
        )
    double_coded = _double_coded(stage)
    if not double_coded:
        return Shown(
            markdown(
                "Agreement between coders is left out: {first} and {second} have no shared "
                "comments (no comment was coded by both), and agreement is measured on the "
                "comments both coded. Ask {second} to code a sample of {first}'s comments "
                "without seeing {first}'s codes.",
                first=first,
                second=second,
            )
        )
    hidden = _agreement_hidden(stage, "Agreement between coders")
    if hidden is not None:
        return Shown(hidden)
    people = stage.codings[stage.codings["coder"].isin([first, second])]
    pairs = [(first, second)]
    model, model_note = _model_as_third_coder(stage, double_coded, machine_coding)
    if model is not None:
        people = pd.concat([people, model], ignore_index=True)
        pairs += [(MODEL_CODER, first), (MODEL_CODER, second)]
    table = pairwise_agreement(people, codes=stage.codes, pairs=pairs)
    table.insert(4, "label", table["code"].map(stage.labels).fillna("All codes"))
    published = stage.out.table(
        table,
        "agreement",
        title="Agreement between each pair of coders (people and the suggestion model), per code",
        disclosure="not person-level: agreement between coders' decisions on a sample of "
        "comments, not broken down by any group of staff",
        precision=AGREEMENT_PRECISION,
    )
    per_code = published.data["code"] != "overall"
    median_kappa = published.data[per_code].groupby("coders", sort=False)["cohen_kappa"].median()
    between_people = f"{first} and {second}"
    stage.out.headline(
        "Agreement between coders (median Cohen's kappa over codes)",
        published,
        statistic="median",
        column="cohen_kappa",
        where=per_code & (published.data["coders"] == between_people),
        note=f"{len(double_coded):,} comments coded by both",
    )
    if any(name.startswith(f"{MODEL_CODER} and") for name in median_kappa.index):
        stage.out.headline(
            f"Agreement of the suggestion model with {first} (median Cohen's kappa)",
            published,
            statistic="median",
            column="cohen_kappa",
            where=per_code & (published.data["coders"] == f"{MODEL_CODER} and {first}"),
            note=f"on {len(double_coded):,} double-coded comments, which it never saw",
        )
    sentence = markdown(
        "{n:,} comments were coded by both {first} and {second}. {model_note} Median "
        "Cohen's kappa over codes: {kappas}. {notes}",
        n=len(double_coded),
        first=first,
        second=second,
        model_note=model_note,
        kappas="; ".join(f"{name} {kappa:.2f}" for name, kappa in median_kappa.items()),
        notes=" ".join(table.attrs.get("notes", [])),
    )
    return Shown(sentence, published)


def keyword_hints_check(stage: CommentsStage) -> Shown:
    """The keyword hints' agreement with the primary coder, on the comments that coder read.

    Not shown while a year's comments are hidden (:func:`_agreement_hidden`).
    """
    if not stage.keyword_coding:
        return Shown(
            markdown("Keyword coding is switched off: only comments coded by people count.")
        )
    hidden = _agreement_hidden(stage, "The keyword hints' agreement with the primary coder")
    if hidden is not None:
        return Shown(hidden)
    codings = stage.codings
    primary = codings[codings["coder"] == stage.primary_coder]
    read_by_primary = stage.comments[stage.comments["comment_id"].isin(primary["comment_id"])]
    check = agreement(
        pd.concat([primary, keyword_codings(read_by_primary, stage.codebook)], ignore_index=True),
        codes=stage.codes,
    )
    check.insert(1, "label", check["code"].map(stage.labels).fillna("All codes"))
    columns = ["code", "label", "n_units", "prevalence", "percent_agreement"]
    published = stage.out.table(
        check[columns + ["cohen_kappa", "gwet_ac1"]],
        "keyword_agreement",
        title=f"Keyword hints against {stage.primary_coder}, per code",
        disclosure="not person-level: agreement between the keyword hints and a coder on "
        "a sample of comments",
        precision=AGREEMENT_PRECISION,
    )
    return Shown(published)


def _methods_note(warning: str) -> str:
    """A table note's sentence warning that the coding methods differ ('' when they do not)."""
    return f" {warning}." if warning else ""


def what_staff_write_about(stage: CommentsStage) -> CodeFrequencies:
    """The share of commenting respondents raising each code, by year and group.

    Publishes the ``code_frequencies`` table, each breakdown gated with its total
    (:func:`~analysis.comments.frequencies.suppress_code_frequencies`), the headline most
    raised code and the bar chart of this year's most raised codes over the last three
    years, which it shows, or the sentence saying why no code's share can be shown.
    """
    year = stage.counted_year
    all_years_warning = mixed_methods_warning(stage.methods, sorted(stage.coded["year"].unique()))
    frequencies = code_frequencies(
        stage.coded,
        stage.package.tables["responses"],
        stage.codes,
        group_columns=stage.package.description.group_columns,
        group_year=year,
        labels=stage.labels,
    )
    published = stage.out.table(
        suppress_code_frequencies(frequencies, stage.minimum),
        "code_frequencies",
        title="Respondents raising each code, by year and group",
        gated=True,
        count="commenters",
        dimensions=["group"],
        for_each=["breakdown", "year", "code_id"],
        labels=["label"],
        note="Percent: of respondents with a coded comment in that year and group."
        + _methods_note(all_years_warning),
    )
    result = CodeFrequencies(published=published)
    by_year = result.by_year
    this_year = by_year[by_year["year"] == year].sort_values("percent", ascending=False)
    result.top_codes = this_year["code_id"].head(MOST_RAISED).tolist()
    if this_year["suppressed"].all():
        result.shown = Shown(
            markdown(
                "No code's share can be shown for {year}: every count of commenting "
                "respondents is under {minimum} or hidden with one that is.",
                year=year,
                minimum=stage.minimum,
            )
        )
        return result
    leader = this_year.iloc[0]
    stage.out.headline(
        f"Most raised in comments, {year}",
        published,
        row=leader.name,
        text="{label} ({percent:.0f}%)",
    )
    result.shown = Shown(_frequency_figure(stage, result, leader["label"]))
    return result


def _frequency_figure(
    stage: CommentsStage, frequencies: CodeFrequencies, leader: str
) -> DisplayedFigure:
    """The bar chart of the most raised codes in the last three survey years."""
    year, top_codes, by_year = stage.counted_year, frequencies.top_codes, frequencies.by_year
    recent_years = sorted(by_year["year"].unique())[-3:]
    recent_warning = mixed_methods_warning(stage.methods, recent_years)
    shown = by_year[by_year["code_id"].isin(top_codes) & by_year["year"].isin(recent_years)]
    shown = shown.set_index("code_id").loc[top_codes].reset_index()
    return stage.out.figure(
        comment_figures.code_frequency_bars(
            shown,
            title=f"{leader} was the most raised topic in {year}",
            xlabel="Respondents raising the code (% of commenting respondents)",
        ),
        "code_frequencies",
        alt="Bar chart of the share of commenting respondents raising each of the "
        f"{len(top_codes)} codes most raised in {year}, in the years "
        f"{', '.join(map(str, recent_years))}.",
        caption="Share of commenting respondents raising each code. [c]: suppressed."
        + _methods_note(recent_warning),
        data=frequencies.published,
    )


def significant_changes_sentence(changes: pd.DataFrame, warning: str) -> Markdown:
    """The changes whose Holm-adjusted p-value is under 0.05, with their size in points."""
    significant = changes[changes["p_value_holm"] < SIGNIFICANCE]
    return markdown(
        "Changes that remain significant after Holm's adjustment: {changes}. {warning}",
        changes="; ".join(
            f"{row.label} ({row.change:+.1f} points)" for row in significant.itertuples()
        )
        or "none",
        warning=f"{warning}." if warning else "",
    )


def changes_since_previous_survey(stage: CommentsStage, frequencies: CodeFrequencies) -> Shown:
    """The change in each code's share since the previous survey year (two-proportion z-test).

    Publishes the gated ``code_share_change`` table and the headline largest change.
    """
    year = stage.counted_year
    years = sorted(frequencies.by_year["year"].unique())
    previous_year = max((y for y in years if y < year), default=None)
    if previous_year is None:
        return Shown(
            markdown("{year} is the first survey year: there is nothing to compare.", year=year)
        )
    changes = change_in_share(frequencies.gated, previous_year, year)
    warning = mixed_methods_warning(stage.methods, [previous_year, year])
    changes["methods_differ"] = bool(warning)
    changes = changes.rename(
        columns={"percent_from": f"percent_{previous_year}", "percent_to": f"percent_{year}"}
    ).sort_values("change", key=abs, ascending=False)
    published = stage.out.table(
        changes,
        "code_share_change",
        title=f"Change in each code's share of commenting respondents, {previous_year} to {year}",
        gated=True,
        note="Change in percentage points; p-value: two-proportion z-test."
        + _methods_note(warning),
    )
    shown_changes = changes.dropna(subset=["change"])
    if len(shown_changes):  # else every change rests on a group under the minimum size
        stage.out.headline(
            f"Largest change in comments since {previous_year}",
            published,
            row=shown_changes.iloc[0].name,
            text="{label} ({change:+.0f} points)",
            note=warning,
        )
    return Shown(published, significant_changes_sentence(changes, warning))


def group_finding(rows: pd.DataFrame, axis_label: str, year: int) -> str:
    """The finding sentence of a heatmap: the group and code with the highest share."""
    top_cells = findings.highest(
        rows.assign(cell=rows["label"] + ", by " + rows["group"]), category="cell", value="percent"
    )
    if not top_cells:
        return f"No {axis_label.lower()} is large enough to show in {year}"
    return f"Most raised in {year}: {'; '.join(top_cells[0])} ({top_cells[1]:.0f}% of commenters)"


def codes_by_group(stage: CommentsStage, frequencies: CodeFrequencies) -> Shown:
    """Heatmaps of the most raised codes' shares by directorate and by staff group."""
    year, top_codes = stage.counted_year, frequencies.top_codes
    shown = []
    for column, axis_label in (("directorate", "Directorate"), ("staff_group", "Staff group")):
        gated = frequencies.gated
        rows = gated[(gated["breakdown"] == column) & gated["code_id"].isin(top_codes)]
        finding = group_finding(rows, axis_label, year)
        shown.append(
            stage.out.figure(
                comment_figures.group_code_heatmap(rows, title=finding, group_label=axis_label),
                f"codes_by_{column}",
                alt=f"Heatmap of the share of commenting respondents in each "
                f"{axis_label.lower()} raising each of the {len(top_codes)} most raised codes "
                f"in {year}; suppressed cells are hatched and marked [c]. {finding}.",
                caption=f"Share of commenting respondents (%) by {axis_label.lower()}. "
                "[c]: suppressed.",
                data=frequencies.published,
            )
        )
    return Shown(*shown)


def pair_finding(two_codes: pd.DataFrame, labels: dict[str, str], year: int) -> str:
    """The finding sentence of the co-occurrence matrix: the pair raised together most."""
    together = findings.highest(
        two_codes.assign(
            pair=two_codes["code_a"].map(labels) + " and " + two_codes["code_b"].map(labels)
        ),
        category="pair",
        value="respondents",
    )
    if together is None:
        return f"No pair of the most raised codes can be shown in {year}"
    if len(together[0]) == 1:
        return (
            f"{together[0][0]} were raised together most often in {year} "
            f"({together[1]:.0f} respondents)"
        )
    return (
        f"{len(together[0])} pairs of codes tied as most often raised together in "
        f"{year}, by {together[1]:.0f} respondents each"
    )


def codes_raised_together(stage: CommentsStage, frequencies: CodeFrequencies) -> Shown:
    """How many respondents raised both codes of each pair (gated table and matrix figure)."""
    year, top_codes = stage.counted_year, frequencies.top_codes
    published = stage.out.table(
        code_cooccurrence(stage.coded, stage.codes, year),
        "code_cooccurrence",
        title=f"Respondents raising both codes of each pair, {year}",
        count="commenters",
        for_each=["code_a", "code_b"],
        note="The diagonal holds the respondents raising the code. "
        "Percent: of commenting respondents.",
    )
    pairs = published.data
    top_pairs = pairs[pairs["code_a"].isin(top_codes) & pairs["code_b"].isin(top_codes)]
    finding = pair_finding(
        top_pairs[top_pairs["code_a"] != top_pairs["code_b"]], stage.labels, year
    )
    figure = stage.out.figure(
        comment_figures.cooccurrence_matrix(top_pairs, title=finding, labels=stage.labels),
        "code_cooccurrence",
        alt=f"Matrix of the number of respondents raising both codes of each pair of the "
        f"{len(top_codes)} most raised codes in {year}. {finding}.",
        caption="Respondents raising both codes; the diagonal: respondents raising the code.",
        data=published,
    )
    return Shown(figure)


def comments_and_scores(stage: CommentsStage) -> Shown:
    """Survey scores of respondents who raised each code against everyone else's.

    Publishes the gated ``code_vs_scores`` table and, from its shown rows, the significant
    differences (``code_vs_scores_significant``), gated again.
    """
    year = stage.counted_year
    tables = stage.package.tables
    scores = linked_survey_scores(
        tables["responses"], tables["questionnaire"], tables["scales"], stage.codebook, year
    )
    links = code_vs_scores(stage.coded, scores, stage.codebook, year, minimum=stage.minimum)
    links.insert(0, "year", year)  # links the rows to the year's item and theme respondents
    shown = []
    if links.attrs["notes"]:
        shown.append(markdown("Not compared: {notes}.", notes="; ".join(links.attrs["notes"])))
    table_keys = {
        "count": "respondents_with_code",
        "for_each": ["year", "code_id", "link", "measure"],
        "labels": ["label"],
    }
    published = stage.out.table(
        links,
        "code_vs_scores",
        title=f"Survey scores of respondents who raised each code and of everyone else, {year}",
        note="Scores 0-10 on the themes and items the codebook links each code to; "
        "p-value: Welch's t-test, Holm-adjusted over the links.",
        **table_keys,
    )
    strongest = published.data
    strongest = strongest[~strongest["suppressed"] & (strongest["p_value_holm"] < SIGNIFICANCE)]
    strongest = strongest.sort_values("difference", key=abs, ascending=False)
    shown.append(
        stage.out.table(
            strongest.drop(columns=["suppressed", "suppression"]),
            "code_vs_scores_significant",
            title=f"Codes whose writers scored a linked theme or item differently, {year} "
            "(Holm p < 0.05)",
            **table_keys,
        )
    )
    return Shown(*shown)


def _approved(stage: CommentsStage) -> frozenset[str] | None:
    """The comment ids approved for quoting (None: every comment may be quoted)."""
    return approved_comment_ids(
        stage.package.description.quotes, stage.package.tables.get("quotes_approved")
    )


def _quoted_year_hidden(stage: CommentsStage, before: str = "") -> Markdown | None:
    """Why the counted year is not quoted (None: its comment counts are shown, it may be).

    A year whose counts :func:`comment_counts` hides is never quoted, nor offered for
    approval: a quote shows that comments of that year exist (a count of at least one, and
    exactly the number quoted when fewer than asked) and what they say (``docs/disclosure.md``,
    "Quotes"). ``before``: the report's own words to put first.
    """
    if shown_counts(stage, stage.counted_year) is not None:
        return None
    return markdown(
        before + "Comments of {year} are not quoted: fewer than {minimum} respondents wrote them, "
        "and a quote would show that they exist and what they say.",
        year=stage.counted_year,
        minimum=stage.minimum,
    )


def staff_quotes(stage: CommentsStage, frequencies: CodeFrequencies, *, per_code: int) -> Markdown:
    """A few varied, redacted quotes for each of the year's most raised codes.

    Nothing is quoted from a year whose comment counts are hidden (:func:`_quoted_year_hidden`).
    """
    hidden = _quoted_year_hidden(stage)
    if hidden is not None:
        return hidden
    quotes = representative_quotes(
        stage.comments[stage.comments["year"] == stage.counted_year],
        stage.by_people,
        frequencies.top_codes,
        per_code=per_code,
        staff_id_pattern=stage.staff_id_pattern,
        approved=_approved(stage),
    )
    return quotes_markdown(quotes, stage.labels, stage.package.description.quotes)


PRIVATE_FOLDER = "private"
"""The run folder's owner-only folder for what is not to be shared (the approval sheet)."""


def approval_sheet_section(
    stage: CommentsStage,
    frequencies: CodeFrequencies,
    *,
    write: bool,
    output_dir: str | Path | None = None,
) -> ApprovalSheet | Markdown:
    """Write this year's candidate quotes, redacted, to a private sheet to approve (if asked).

    The sheet is ``{output_dir}/private/quotes_to_approve.csv``, ``output_dir`` being the
    stage's own output folder (the notebook's ``inputs["output_dir"]``) when ``None``: the
    folder is the owner's only (0700) and the file too (0600), written atomically. A year
    whose comment counts are hidden has no candidates (it is never quoted) and no sheet; what
    the report shows never counts the candidates
    (:class:`~analysis.comments.quotes.ApprovalSheet`).
    """
    if not write:
        return markdown("No approval sheet written (write_approval_sheet = False).")
    hidden = _quoted_year_hidden(stage, before="No approval sheet written. ")
    if hidden is not None:
        return hidden
    folder = stage.out.output_dir if output_dir is None else output_dir
    private = Path(folder) / PRIVATE_FOLDER
    private.mkdir(mode=0o700, parents=True, exist_ok=True)
    private.chmod(0o700)  # whatever the umask, or an older folder's mode
    return approval_sheet(
        stage.comments[stage.comments["year"] == stage.counted_year],
        stage.by_people,
        frequencies.top_codes,
        private / "quotes_to_approve.csv",
        staff_id_pattern=stage.staff_id_pattern,
        approved=_approved(stage) or (),
    )


def _learning_curve_figure(
    stage: CommentsStage, quality: SuggestionQuality, published: PublishedTable, folds: int
) -> DisplayedFigure:
    """The line chart of macro F1 and kappa against the number of coded comments learnt from."""
    curve = published.data
    measures = curve.melt(
        id_vars="n_coded",
        value_vars=["macro_f1", "cohen_kappa"],
        var_name="measure",
        value_name="value",
    ).assign(suppressed=False)
    measures["measure"] = measures["measure"].map(
        {"macro_f1": "Macro F1", "cohen_kappa": "Cohen's kappa"}
    )
    figure = trend_chart(
        measures,
        x="n_coded",
        y="value",
        series="measure",
        xlabel="Coded comments the model learnt from",
        ylabel="Agreement with people (0-1)",
        title=fill(learning_curve_finding(curve), 60),
    )
    figure.axes[0].set_ylim(0, 1)
    sizes_learnt = ", ".join(f"{n:,}" for n in curve["n_coded"])

    return stage.out.figure(
        figure,
        "coding_learning_curve",
        alt=f"Line chart of the suggestion model's macro F1 and Cohen's kappa against the "
        f"people's coding, after learning from {sizes_learnt} coded comments, each "
        f"measured by {folds}-fold cross-validation on the "
        f"{quality.by_code.attrs['n_coded']:,} comments coded by people.",
        caption="Macro F1: the mean over codes of each code's F1. Cohen's kappa: "
        "agreement on each comment's whole set of codes, beyond chance.",
        data=published,
    )


def suggestion_quality_section(
    stage: CommentsStage,
    *,
    machine_coding: bool,
    folds: int,
    sizes: list[int],
    min_support: int,
) -> Shown:
    """How well the suggestion model codes, by cross-validation, and its learning curve."""
    if not machine_coding:
        return Shown(
            markdown("The model is switched off (machine_coding = False): nothing to measure.")
        )
    if not _every_year_shown(stage):  # its tables count the comments coded, by code
        return Shown(
            markdown(
                "How well the suggestions code is not shown: its figures count the comments "
                "coded, and some year's comments are hidden (fewer than {minimum} respondents "
                "wrote them).",
                minimum=stage.minimum,
            )
        )
    try:
        quality = suggestion_quality(
            stage.comments,
            stage.analysis_coding,
            stage.codebook,
            folds=folds,
            sizes=sizes,
            min_support=min_support,
        )
    except TooFewCodedError as error:
        return Shown(
            markdown(
                "The suggestions cannot be measured yet: {error}.",
                error=_too_few_reason(stage, error),
            )
        )
    notes = " ".join(f"{note[0].upper()}{note[1:]}." for note in quality.by_code.attrs["notes"])
    by_code = stage.out.table(
        quality.by_code,
        "coding_quality",
        title=f"How well the suggestion model codes each code: {folds}-fold "
        f"cross-validation against the people's coding",
        disclosure=NOT_PERSON_LEVEL_QUALITY,
        note="Precision, recall, F1 and kappa run from 0 to 1; an empty cell cannot be "
        "computed (a code the model never applied has no precision).",
    )
    curve = stage.out.table(
        quality.learning_curve,
        "coding_learning_curve",
        title="How the suggestions improve with the number of coded comments learnt from",
        disclosure=NOT_PERSON_LEVEL_QUALITY,
    )
    return Shown(
        markdown("{notes}", notes=notes),
        by_code,
        _learning_curve_figure(stage, quality, curve, folds),
    )


def suggestions_for_uncoded(
    stage: CommentsStage, *, machine_coding: bool, threshold: float
) -> Suggestions:
    """The model's code suggestions for the comments nobody has coded yet.

    None is counted in the report; they wait in the coding widget for a person.
    """
    comments = stage.comments
    not_coded = comments[
        ~comments["comment_id"].astype(str).isin(stage.analysis_coding["comment_id"])
    ]
    if not machine_coding:
        return Suggestions(
            Shown(markdown("The model is switched off (machine_coding = False): no suggestions."))
        )
    if not len(not_coded):
        return Suggestions(
            Shown(markdown("Every comment is coded by a person: there is nothing to suggest."))
        )
    try:
        suggestions = suggest_codes(comments, stage.analysis_coding, stage.codebook)
    except TooFewCodedError as error:
        return Suggestions(
            Shown(markdown("No suggestions yet: {error}.", error=_too_few_reason(stage, error)))
        )
    shown = suggestions[suggestions["probability"] >= threshold]
    if not _every_year_shown(stage):  # these counts add up to a hidden year's
        return Suggestions(
            Shown(
                markdown(
                    "Some comments are not coded yet; the model's suggestions (probability "
                    "{threshold:.0%} or more) wait for them in the coding widget. How many is "
                    "not shown: a year's comments are hidden (fewer than {minimum} "
                    "respondents wrote them). {notes}",
                    threshold=threshold,
                    minimum=stage.minimum,
                    notes=" ".join(suggestions.attrs["notes"]),
                )
            ),
            table=suggestions,
        )
    sentence = markdown(
        "{not_coded:,} comments are not coded yet; the model suggests at least one code "
        "with a probability of {threshold:.0%} or more for {suggested:,} of them "
        "({suggestions:,} suggestions). {notes}",
        not_coded=len(not_coded),
        threshold=threshold,
        suggested=shown["comment_id"].nunique(),
        suggestions=len(shown),
        notes=" ".join(suggestions.attrs["notes"]),
    )
    return Suggestions(Shown(sentence), table=suggestions)


def coding_widget_with_suggestions(
    stage: CommentsStage, suggestions: Suggestions, *, show: bool, min_probability: float
) -> CodingWidget | None:
    """The coding widget with the model's suggestions, coding as the stage's primary coder.

    For JupyterLab (the notebook's ``open_coding_widget``); a pipeline run leaves ``show``
    ``False`` and the report shows nothing. Nothing is coded without a person.

    Parameters
    ----------
    stage
        The stage from :func:`open_stage`: its data package folder and primary coder.
    suggestions
        From :func:`suggestions_for_uncoded`; without a table the widget has no suggestions.
    show
        Whether to make the widget at all.
    min_probability
        The lowest probability of a suggestion the widget shows (``suggestion_threshold``).

    Returns
    -------
    CodingWidget or None
        The widget, for the cell to display; ``None`` when ``show`` is ``False``.
    """
    if not show:
        return None
    return coding_widget(
        stage.data_dir,
        coder=stage.primary_coder,
        suggestions=suggestions.table,
        min_probability=min_probability,
    )
