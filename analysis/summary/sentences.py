"""The annual summary's sections: figures and sentences from the published files only.

Each function takes a :class:`~analysis.summary.sources.PublishedRun` and returns one
:class:`Section`: plain-text sentences, optional table rows, the caveats of the tables it
quotes (their notes, and a headline's own caveat and adjustment) and, when the stage behind
it did not run or did not publish what it needs, why the section is missing. The page
(:mod:`analysis.summary.page`) escapes every string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.datapackage.equality_sides import COMPARISONS
from analysis.stats import adjust_p_values
from analysis.summary.equality import equality_indicators
from analysis.summary.sources import PublishedRun, SourceTable

__all__ = ["SECTIONS", "Section", "build_sections"]

_Z95 = 1.959963984540054


@dataclass
class Section:
    """One part of the summary.

    Attributes
    ----------
    key, title
        Anchor and heading.
    sentences
        Plain text, one sentence (or short paragraph) each.
    columns, rows
        An optional table: headings and rows of plain-text cells (a cell may be a dict
        ``{"text", "icon"}``, the icon a CSS class name from the page's style sheet).
    caveats
        Notes that travel with the figures quoted (from the tables' notes, headlines'
        caveats and adjustments).
    sources
        The published files the section was built from.
    missing
        Why the section has no figures, or ``""``.
    """

    key: str
    title: str
    sentences: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    missing: str = ""

    def cite(self, table: SourceTable) -> None:
        """Record a table as a source, and its note as a caveat."""
        self.sources.append(table.path)
        if table.note and table.note not in self.caveats:
            self.caveats.append(table.note)


def _label(item_id: object, numbers: dict[str, str] | None = None) -> str:
    """A question as readers see it: ``recommend care (Q23a)``."""
    text = str(item_id).replace("_", " ")
    number = (numbers or {}).get(str(item_id))
    return f"{text} ({number})" if number else text


def _question_numbers(run: PublishedRun) -> dict[str, str]:
    """The report year's question numbers by item, from the data overview's published table."""
    source = run.table("data_overview", "missing_answers")
    if source is None or not {"item_id", "question_number"} <= set(source.data.columns):
        return {}
    pairs = source.data[["item_id", "question_number"]].dropna().astype(str)
    return dict(zip(pairs["item_id"], pairs["question_number"], strict=True))


def _pct(value: float) -> str:
    return f"{value:.0f}%"


def _missing(section: Section, run: PublishedRun, stage: str, what: str) -> Section:
    reason = run.missing_because(stage) or f"the {stage} stage did not publish {what}"
    section.missing = f"Not available: {reason}."
    return section


def _organisation_row(table: pd.DataFrame) -> pd.DataFrame:
    return table.loc[(table["group_type"] == "organisation") & ~table["suppressed"]]


def response(run: PublishedRun) -> Section:
    """Respondents and the response rate, this year and last."""
    section = Section("response", "Response rate")
    source = run.table("survey", "response_rates")
    if source is None:
        return _missing(section, run, "survey", "response rates")
    section.cite(source)
    rows = _organisation_row(source.data).set_index("year")
    if run.year not in rows.index:
        section.missing = "Not available: the organisation's response rate is hidden."
        return section
    now = rows.loc[run.year]
    sentence = (
        f"{int(now['respondents']):,} of {int(now['headcount']):,} staff answered the survey in "
        f"{run.year}, a response rate of {_pct(now['response_rate'])}"
    )
    earlier = [y for y in rows.index if y < run.year]
    if earlier:
        before = rows.loc[max(earlier)]
        sentence += f" ({_pct(before['response_rate'])} in {max(earlier)})"
    section.sentences.append(sentence + ".")
    return section


def _theme_changes(themes: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each theme this year against the previous survey year: z-test from the intervals.

    The standard error of a theme score is read back from its published 95% interval
    (half-width / 1.96); the difference is tested with a z-test and the p-values are
    Holm-adjusted over the themes (Holm 1979).
    """
    org = _organisation_row(themes)
    earlier = sorted(y for y in org["year"].unique() if y < year)
    now = org.loc[org["year"] == year].set_index("theme")
    if not earlier:
        return now.assign(previous=np.nan, change=np.nan, p_holm=np.nan)
    before = org.loc[org["year"] == earlier[-1]].set_index("theme")
    joined = now.join(before[["score", "ci_low", "ci_high"]], rsuffix="_before", how="left")
    se = (joined["ci_high"] - joined["ci_low"]) / (2 * _Z95)
    se_before = (joined["ci_high_before"] - joined["ci_low_before"]) / (2 * _Z95)
    change = joined["score"] - joined["score_before"]
    z = change / np.sqrt(se**2 + se_before**2)
    from scipy.stats import norm

    p = pd.Series(2 * norm.sf(np.abs(z)), index=joined.index)
    tested = p.notna()
    p_holm = pd.Series(np.nan, index=joined.index)
    if tested.any():
        p_holm[tested] = adjust_p_values(p[tested].to_numpy(), "holm")
    return joined.assign(previous=joined["score_before"], change=change, p_holm=p_holm)


def themes(run: PublishedRun) -> Section:
    """Theme scores against last year and against the comparator group."""
    section = Section("themes", "Theme scores")
    source = run.table("survey", "theme_scores")
    if source is None:
        return _missing(section, run, "survey", "theme scores")
    section.cite(source)
    changes = _theme_changes(source.data, run.year)
    against = {}
    bench = run.table("survey", "benchmark")
    item_themes = run.table("survey", "item_rest")
    if bench is not None and item_themes is not None:
        section.cite(bench)
        section.sources.append(item_themes.path)
        mapping = item_themes.data.loc[item_themes.data["year"] == run.year, ["item_id", "theme"]]
        this = bench.data.loc[(bench.data["year"] == run.year) & ~bench.data["suppressed"]]
        counted = this.merge(mapping.drop_duplicates(), on="item_id")
        for theme, rows in counted.groupby("theme"):
            counts = rows["comparison"].value_counts()
            against[theme] = (
                int(counts.get("better", 0)),
                int(counts.get("similar", 0)),
                int(counts.get("worse", 0)),
            )
    section.columns = [
        "Theme",
        f"Score {run.year} (0-10)",
        "Previous survey",
        "Change",
        "Questions against comparators (better / similar / worse)",
    ]
    rose = fell = 0
    for theme, row in changes.iterrows():
        icon, text = "icon-none", "no earlier year"
        if pd.notna(row["change"]):
            if row["p_holm"] < 0.05:
                up = row["change"] > 0
                rose, fell = rose + up, fell + (not up)
                icon = "icon-up" if up else "icon-down"
                text = f"{row['change']:+.1f}, {'higher' if up else 'lower'}"
            else:
                icon, text = "icon-same", f"{row['change']:+.1f}, no clear change"
        better, similar, worse = against.get(theme, (None, None, None))
        comparison = (
            {"text": f"{better} / {similar} / {worse}", "icon": _comparison_icon(better, worse)}
            if better is not None
            else "not compared"
        )
        section.rows.append(
            [
                str(theme),
                f"{row['score']:.1f}",
                "" if pd.isna(row["previous"]) else f"{row['previous']:.1f}",
                {"text": text, "icon": icon},
                comparison,
            ]
        )
    section.sentences.append(
        f"Against the previous survey, {rose} theme(s) scored clearly higher and {fell} clearly "
        f"lower, after Holm's adjustment for {int(changes['p_holm'].notna().sum())} themes."
    )
    section.caveats.append(
        "A theme's change is tested with a z-test using standard errors read back from the "
        "published 95% intervals; comparator counts are of single questions against the "
        "comparator average, not adjusted for testing many questions, as the national survey's "
        "reports."
    )
    return section


def _comparison_icon(better: int | None, worse: int | None) -> str:
    if better is None:
        return "icon-none"
    if better > worse:
        return "icon-up"
    if worse > better:
        return "icon-down"
    return "icon-same"


def strongest_and_concerning(run: PublishedRun) -> Section:
    """The 3 strongest and the 3 most concerning results against the comparator group."""
    section = Section("results", "Strongest and most concerning results")
    bench = run.table("survey", "benchmark")
    if bench is None:
        return _missing(section, run, "survey", "a comparator table")
    section.cite(bench)
    this = bench.data.loc[(bench.data["year"] == run.year) & ~bench.data["suppressed"]]
    this = this.assign(gap=this["pct"] - this["average"])
    strongest = this.loc[this["comparison"] == "better"].nlargest(3, "gap")
    concerning = this.loc[this["comparison"] == "worse"].nsmallest(3, "gap")
    section.columns = ["", "Question", f"% positive {run.year}", "Comparator average", "Gap"]
    numbers = _question_numbers(run)
    for kind, rows, icon in (
        ("Strongest", strongest, "icon-up"),
        ("Most concerning", concerning, "icon-down"),
    ):
        for _, row in rows.iterrows():
            section.rows.append(
                [
                    {"text": kind, "icon": icon},
                    _label(row["item_id"], numbers),
                    _pct(row["pct"]),
                    _pct(row["average"]),
                    f"{row['gap']:+.0f} points",
                ]
            )
    section.sentences.append(
        f"Of {len(this)} questions compared with the comparator group in {run.year}, "
        f"{int((this['comparison'] == 'better').sum())} were significantly better than its "
        f"average and {int((this['comparison'] == 'worse').sum())} significantly worse."
    )
    section.sentences.append(
        "The table shows the (up to) 3 of each furthest above and below the average."
    )
    section.caveats.append(
        "Significance against the comparator average is not adjusted for testing many "
        "questions, as the national survey's reports."
    )
    return section


def equality(run: PublishedRun) -> Section:
    """WRES/WDES-style indicators: BME against white staff, disabled against non-disabled."""
    section = Section("equality", "Equality gaps (WRES/WDES-style indicators)")
    source = run.table("survey", "equality_groups")
    if source is None:
        return _missing(section, run, "survey", "the equality groups table")
    section.cite(source)
    indicators = equality_indicators(source.data, run.year)
    order = {c.column: number for number, c in enumerate(COMPARISONS)}
    indicators = indicators.sort_values("comparison", key=lambda c: c.map(order), kind="stable")
    section.columns = ["Indicator", "Standards", "Group", "Reference", "Gap", ""]
    worse = []
    for _, row in indicators.iterrows():
        if row["status"] != "shown":
            text = (
                "[c] hidden to protect small groups"
                if row["status"] == "suppressed"
                else ("question not asked")
            )
            section.rows.append(
                [
                    row["indicator"],
                    row["standards"],
                    row["group"] or row["comparison"],
                    "",
                    "",
                    text,
                ]
            )
            continue
        significant = row["p_value"] < 0.05
        icon = (
            "icon-down"
            if row["worse_for_group"]
            else ("icon-same" if not significant else "icon-up")
        )
        verdict = (
            "worse for the group"
            if row["worse_for_group"]
            else ("better for the group" if significant else "no clear gap")
        )
        if row["worse_for_group"]:
            worse.append(f"{row['indicator'].lower()} ({row['group']})")
        section.rows.append(
            [
                row["indicator"],
                row["standards"],
                f"{row['group']}: {_pct(row['group_pct'])} of {int(row['group_n'])}",
                f"{row['reference']}: {_pct(row['reference_pct'])} of {int(row['reference_n'])}",
                f"{row['gap_pp']:+.0f} points (p = {row['p_value']:.2f})",
                {"text": verdict, "icon": icon},
            ]
        )
    shown = int((indicators["status"] == "shown").sum())
    section.sentences.append(
        f"{shown} of {len(indicators)} indicator comparisons could be published; "
        + (
            f"a significant gap to the group's disadvantage on {len(worse)}: {'; '.join(worse)}."
            if worse
            else "none shows a significant gap to the group's disadvantage."
        )
    )
    section.caveats.append(
        "Percentages of valid answers; 'experienced' indicators are 100 minus the percent "
        "positive. Gaps tested with a two-proportion z-test, not adjusted for the "
        f"{shown} comparisons. Ethnicities starting with 'White' count as white; 'Not stated' "
        "on neither side."
    )
    return section


def comments(run: PublishedRun) -> Section:
    """Comment themes rising and falling since last year."""
    section = Section("comments", "What staff wrote: themes rising and falling")
    source = run.table("comments", "code_share_change")
    if source is None:
        return _missing(section, run, "comments", "the change in comment themes")
    section.cite(source)
    data = source.data.dropna(subset=["change"])
    rising = data.loc[data["change"] > 0].nlargest(3, "change")
    falling = data.loc[data["change"] < 0].nsmallest(3, "change")
    share_columns = [c for c in data.columns if c.startswith("percent_")]
    section.columns = [
        "",
        "Theme",
        *[c.replace("percent_", "% of comments, ") for c in share_columns],
        "Change",
        "Holm-adjusted p",
    ]
    for kind, rows, icon in (("Rising", rising, "icon-up"), ("Falling", falling, "icon-down")):
        for _, row in rows.iterrows():
            section.rows.append(
                [
                    {"text": kind, "icon": icon},
                    str(row["label"]),
                    *[_pct(row[c]) for c in share_columns],
                    f"{row['change']:+.0f} points",
                    f"{row['p_value_holm']:.2f}" if "p_value_holm" in row else "",
                ]
            )
    significant = int((data.get("p_value_holm", pd.Series(dtype=float)) < 0.05).sum())
    section.sentences.append(
        f"{significant} of {len(data)} comment themes changed significantly after Holm's "
        "adjustment; the rest of the rises and falls may be chance."
    )
    return section


def spc_matrix(run: PublishedRun) -> Section:
    """Making Data Count summary matrix: variation icon by assurance icon, with counts."""
    section = Section("spc", "Indicators: Making Data Count summary")
    source = run.table("indicators", "spc")
    if source is None:
        return _missing(section, run, "indicators", "SPC charts")
    section.cite(source)
    data = source.data.assign(
        assurance=source.data["assurance_icon"].fillna("no target").astype(str),
        variation=source.data["variation_icon"].fillna("unknown").astype(str),
    )
    counts = pd.crosstab(data["variation"], data["assurance"])
    section.columns = ["Variation \\ assurance", *[c.replace("_", " ") for c in counts.columns]]
    for variation, row in counts.iterrows():
        section.rows.append(
            [
                {"text": str(variation).replace("_", " "), "icon": _variation_icon(variation)},
                *[str(int(v)) for v in row],
            ]
        )
    concern = int(data["variation"].str.startswith("concern").sum())
    section.sentences.append(
        f"{len(data)} team charts: {concern} show special-cause variation of concern at their "
        "latest points, "
        f"{int(data['variation'].str.startswith('improvement').sum())} of improvement."
    )
    return section


def _variation_icon(variation: object) -> str:
    text = str(variation)
    if text.startswith("concern"):
        return "icon-down"
    if text.startswith("improvement"):
        return "icon-up"
    return "icon-same"


def actions(run: PublishedRun) -> Section:
    """Last year's actions, each with the verdict (and every caveat) on its primary outcome."""
    section = Section("actions", f"Actions agreed after the {run.year - 1} survey")
    plans = run.table("interventions", "actions")
    outcomes = run.table("interventions", "action_outcomes")
    if plans is None or outcomes is None:
        return _missing(section, run, "interventions", "the actions and their outcomes")
    section.cite(plans)
    section.cite(outcomes)
    last_year = plans.data.loc[plans.data["survey_year"] == run.year - 1]
    section.columns = ["Action", "Status", "Primary outcome", "Verdict"]
    primary = outcomes.data.loc[outcomes.data["primary"].astype(str).str.lower() == "true"]
    for _, plan in last_year.iterrows():
        found = primary.loc[
            primary["action_ids"]
            .astype(str)
            .str.split(" + ", regex=False)
            .map(lambda ids, action=plan["action_id"]: action in ids)
        ]
        verdict = (
            str(found.iloc[0]["verdict"])
            if len(found) and pd.notna(found.iloc[0]["verdict"])
            else "no outcome yet (or hidden to protect small groups)"
        )
        section.rows.append(
            [
                f"{plan['action_id']}: {plan['action']}",
                str(plan["status"]),
                _label(found.iloc[0]["item_id"]) if len(found) else "",
                verdict,
            ]
        )
    improved = sum(str(row[3]).startswith("consistent with an improvement") for row in section.rows)
    section.sentences.append(
        f"{len(last_year)} action(s) were agreed after the {run.year - 1} survey; the verdict on "
        f"{improved} of them reads as an improvement in its primary outcome."
    )
    section.sentences.append("Each verdict is quoted whole, with its caveats.")
    return section


SECTIONS = (response, themes, strongest_and_concerning, equality, comments, spc_matrix, actions)
"""The summary's sections after the opening paragraph, in order."""


def headline_lines(run: PublishedRun) -> list[dict[str, str]]:
    """Every stage's headline figures, each with its caveat and adjustment."""
    lines = []
    for stage in run.stages:
        for entry in run.headlines(stage):
            value = entry.get("value")
            text = (
                ""
                if value is None
                else (
                    f"{value:,}"
                    if isinstance(value, int) and not isinstance(value, bool)
                    else str(value)
                )
            )
            lines.append(
                {
                    "label": str(entry.get("label", "")),
                    "value": text,
                    "adjustment": str(entry.get("adjustment") or ""),
                    "caveat": str(entry.get("caveat") or ""),
                    "note": str(entry.get("note") or ""),
                }
            )
    return lines


def _change_headlines(run: PublishedRun) -> list[str]:
    """The survey's count of questions better and worse than last year, with its adjustment."""
    found = {h.get("label"): h for h in run.headlines("survey")}
    better = found.get("Questions significantly better than last year")
    worse = found.get("Questions significantly worse than last year")
    if better is None or worse is None:
        return []
    sentence = (
        f"Since last year, {better.get('value')} question(s) were significantly better and "
        f"{worse.get('value')} significantly worse"
    )
    if better.get("adjustment") or worse.get("adjustment"):
        sentence += (
            f" (better: {better.get('adjustment') or 'no adjustment'}; worse: "
            f"{worse.get('adjustment') or 'no adjustment'})"
        )
    if better.get("caveat"):
        sentence += f"; {better['caveat']}"
    return [sentence + "."]


def year_in_one_paragraph(run: PublishedRun, sections: list[Section]) -> str:
    """The year in one paragraph, from the sections' first sentences and what is missing."""
    organisation = str(run.manifest["organisation"])
    parts = [f"{organisation}, staff survey {run.year}."]
    for section in sections:
        if section.sentences:
            parts.append(section.sentences[0])
        if section.key == "response":
            parts += _change_headlines(run)
    missing = [s.title for s in sections if s.missing]
    if missing:
        parts.append(f"Not in this summary: {', '.join(missing).lower()} (see below why).")
    return " ".join(parts)


def focus_areas(run: PublishedRun, sections: list[Section]) -> list[str]:
    """Proposed focus areas for next year, each naming the evidence behind it."""
    by_key = {section.key: section for section in sections}
    proposals = []
    results = by_key.get("results")
    if results and not results.missing:
        concerning = [row[1] for row in results.rows if row[0]["text"] == "Most concerning"]
        if concerning:
            proposals.append(
                "Questions furthest below the comparator average: " + "; ".join(concerning) + "."
            )
    themes_section = by_key.get("themes")
    if themes_section and not themes_section.missing:
        lower = [row[0] for row in themes_section.rows if row[3]["icon"] == "icon-down"]
        if lower:
            proposals.append("Themes clearly lower than last year: " + "; ".join(lower) + ".")
    equality_section = by_key.get("equality")
    if equality_section and not equality_section.missing:
        gaps = [
            f"{row[0]} ({row[2].split(':')[0]})"
            for row in equality_section.rows
            if isinstance(row[5], dict) and row[5]["icon"] == "icon-down"
        ]
        if gaps:
            proposals.append("Equality gaps to the group's disadvantage: " + "; ".join(gaps) + ".")
        hidden = sum(1 for row in equality_section.rows if isinstance(row[5], str))
        if hidden:
            proposals.append(
                f"{hidden} equality indicator(s) could not be published (small groups or "
                "questions not asked): consider how to hear from these staff another way."
            )
    spc = by_key.get("spc")
    if spc and not spc.missing:
        concern = sum(
            int(cell) for row in spc.rows if row[0]["icon"] == "icon-down" for cell in row[1:]
        )
        if concern:
            proposals.append(
                f"{concern} team indicator chart(s) show variation of concern: review those teams."
            )
    if not proposals:
        proposals.append(
            "No result stands out as a concern in the published figures; keep the current actions."
        )
    return proposals


def build_sections(run: PublishedRun) -> list[Section]:
    """Every section of the summary, in order."""
    return [make(run) for make in SECTIONS]
