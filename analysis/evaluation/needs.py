"""Training needs: which people-management skills are weakest, and where (issue 6).

Course design starts from evidence. Each people-management skill (appraisal, managing
attendance, recognition, communication, handling bullying) is read from the survey items
that show it from the staff's side, and, when the comments have been coded, from the
codes that speak of it:

* :func:`skill_scores`: each skill's % positive by directorate (and for the whole
  organisation) in one survey year, with its interval, its gap from the organisation and
  its rank among the skills within the directorate (1 = the weakest);
* :func:`skill_comment_shares`: the share of commenting respondents in each directorate
  who raised any of a skill's codes.

The course register (:func:`course_register`) then links each course's objectives to the
items and indicators it aims to move, so that a reader can check that the courses address
the weakest skills.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from analysis.datapackage import DataPackage
from analysis.datapackage.codebook import Codebook
from analysis.evaluation.register import positive_answers

if TYPE_CHECKING:
    from analysis.publishing import PublishedTable

__all__ = [
    "ALL_DIRECTORATES",
    "PEOPLE_MANAGEMENT_SKILLS",
    "SKILL_CODES",
    "SKILL_COLUMNS",
    "SKILL_ITEMS",
    "course_register",
    "organisation_ranking",
    "ranking_sentence",
    "skill_comment_shares",
    "skill_scores",
    "weakest_skill_finding",
]

PEOPLE_MANAGEMENT_SKILLS = (
    "appraisal",
    "managing attendance",
    "recognition",
    "communication",
    "handling bullying",
)
"""The people-management skills the courses address, in the order they are shown."""

SKILL_ITEMS: dict[str, list[str]] = {
    "appraisal": ["appraisal_had", "appraisal_helped_job"],
    "managing attendance": ["manager_supportive_crisis", "wellbeing_trust_action"],
    "recognition": ["satisfied_recognition", "satisfied_valued"],
    "communication": ["manager_feedback", "manager_asks_opinion", "comms_able_to_contribute"],
    "handling bullying": ["bullying_colleagues", "bullying_reported"],
}
"""For each skill, the survey items (``item_id``) that show it from the staff's side: the
interventions notebook's ``skill_items`` when it is left at ``None``."""

SKILL_CODES: dict[str, list[str]] = {
    "appraisal": ["appraisal_negative"],
    "managing attendance": ["stress_wellbeing"],
    "recognition": ["recognition"],
    "communication": ["manager_support_negative", "involvement"],
    "handling bullying": ["bullying_harassment"],
}
"""For each skill, the comment codes (``code_id``) that speak of it: the interventions
notebook's ``skill_codes`` when it is left at ``None``."""

SKILL_COLUMNS = (
    "skill", "items", "directorate", "respondents", "percent_positive", "ci_low", "ci_high",
    "difference", "weakest_rank",
)  # fmt: skip
"""The columns of :func:`skill_scores`."""

ALL_DIRECTORATES = "All directorates"
"""The ``directorate`` of the whole organisation's rows."""


def _mean_interval(values: np.ndarray, conf: float) -> tuple[float, float, float]:
    """Mean and t interval, as R's ``t.test(values, conf.level = conf)$conf.int``."""
    mean = float(values.mean())
    if values.size < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf((1 + conf) / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean, mean - half, mean + half


def skill_scores(
    package: DataPackage,
    skill_items: Mapping[str, Sequence[str]],
    year: int,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Each skill's % positive by directorate in one year, and how it ranks there.

    Parameters
    ----------
    package
        The data package.
    skill_items
        Skill to the survey items (``item_id``) that show it, e.g. ``{"appraisal":
        ["appraisal_had", "appraisal_helped_job"]}``. Items not asked in ``year`` are left
        out, and so is a skill none of whose items was asked that year.
    year
        The survey year.
    conf
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per skill and directorate, the whole organisation first
        (:data:`ALL_DIRECTORATES`): ``skill``, ``items`` (the items asked that year,
        joined by ``", "``), ``directorate``, ``respondents`` (who answered at least one
        of the items: the count for the disclosure gate), ``percent_positive``,
        ``ci_low``, ``ci_high``, ``difference`` (percentage points from the whole
        organisation) and ``weakest_rank`` (1 = the skill with the lowest % positive in
        that directorate). ``result.attrs["notes"]`` names the skills left out because
        none of their items was asked in ``year``, or nobody answered them (blank or an
        excluded code only); with none left the table is empty.

    Notes
    -----
    Each respondent's share of the skill's items answered positively (excluded codes
    such as "don't know" left out) is averaged, so every respondent counts once; with
    one item this is the usual % positive. The interval is the t interval of that mean
    (R: ``t.test(share)$conf.int``), which for a single item is the Wald interval with
    an n - 1 correction; it is read as a guide to which gaps are beyond noise, not as a
    test.
    """
    if not skill_items:
        raise ValueError("give at least one skill and its survey items")
    if year not in package.description.survey_years:
        raise ValueError(f"no staff survey in {year}")
    asked = set(package.items(year)["item_id"])
    rows, notes = [], []
    for skill, items in skill_items.items():
        items_asked = [item for item in items if item in asked]
        if not items_asked:
            notes.append(f"{skill} (none of its items {', '.join(items)} was asked in {year})")
            continue
        answers = positive_answers(package, items_asked, last_year=year)
        answers = answers.loc[(answers["year"] == year) & answers["positive"].notna()]
        if answers.empty:
            notes.append(
                f"{skill} (nobody answered its items {', '.join(items_asked)} in {year}, "
                'other than with an excluded code such as "don\'t know")'
            )
            continue
        groups = [(ALL_DIRECTORATES, answers)]
        groups += list(answers.dropna(subset=["directorate"]).groupby("directorate", sort=True))
        for directorate, part in groups:
            mean, low, high = _mean_interval(part["positive"].to_numpy(float), conf)
            rows.append(
                {
                    "skill": skill,
                    "items": ", ".join(items_asked),
                    "directorate": directorate,
                    "respondents": len(part),
                    "percent_positive": mean * 100,
                    "ci_low": low * 100,
                    "ci_high": high * 100,
                }
            )
    table = pd.DataFrame(rows, columns=SKILL_COLUMNS[:-2]).astype({"respondents": "int64"})
    table.attrs["notes"] = notes
    whole = table.loc[table["directorate"] == ALL_DIRECTORATES].set_index("skill")
    table["difference"] = table["percent_positive"] - table["skill"].map(whole["percent_positive"])
    table["weakest_rank"] = (
        table.groupby("directorate")["percent_positive"].rank(method="min").astype("int64")
    )
    return table


def organisation_ranking(published: PublishedTable) -> pd.DataFrame:
    """The whole organisation's skills that the disclosure gate shows, weakest first.

    Parameters
    ----------
    published
        :func:`skill_scores` as published (gated) by the stage.

    Returns
    -------
    pandas.DataFrame
        The :data:`ALL_DIRECTORATES` rows that are not suppressed, by ``percent_positive``
        (lowest first; ties in the table's order). Empty when every one is hidden, for
        example when fewer respondents than the minimum group size answered the items.
    """
    shown = published.data.loc[~published.suppressed]
    whole = shown.loc[shown["directorate"] == ALL_DIRECTORATES]
    return whole.sort_values("percent_positive", kind="stable")


def _hidden_sentence(published: PublishedTable) -> str:
    return (
        "every organisation-wide score is hidden by the disclosure rules (minimum group size "
        f"{published.minimum} respondents)"
    )


def weakest_skill_finding(published: PublishedTable, year: int) -> str:
    """The training-needs finding in one sentence: the skill staff rated lowest.

    Parameters
    ----------
    published
        :func:`skill_scores` as published (gated) by the stage.
    year
        The survey year of the scores.

    Returns
    -------
    str
        E.g. "In 2008 staff rated recognition lowest of the people-management skills (41%
        positive across the organisation)", or, when the gate hides every
        organisation-wide score, a sentence saying so and why (no skill is named).
    """
    ranking = organisation_ranking(published)
    if ranking.empty:
        return f"In {year} no skill is named the weakest: {_hidden_sentence(published)}"
    weakest = ranking.iloc[0]
    return (
        f"In {year} staff rated {weakest['skill']} lowest of the people-management skills "
        f"({weakest['percent_positive']:.0f}% positive across the organisation)"
    )


def ranking_sentence(published: PublishedTable) -> str:
    """The skills in order across the organisation, weakest first, as a sentence.

    Parameters
    ----------
    published
        :func:`skill_scores` as published (gated) by the stage.

    Returns
    -------
    str
        E.g. "Across the organisation the skills rank, weakest first: recognition (41%),
        appraisal (63%)." Skills whose organisation-wide row is hidden are not listed; when
        all are hidden the sentence says so and why.
    """
    ranking = organisation_ranking(published)
    if ranking.empty:
        return f"The skills are not ranked across the organisation: {_hidden_sentence(published)}."
    listed = ", ".join(f"{row.skill} ({row.percent_positive:.0f}%)" for row in ranking.itertuples())
    return f"Across the organisation the skills rank, weakest first: {listed}."


def skill_comment_shares(
    coded: pd.DataFrame,
    responses: pd.DataFrame,
    skill_codes: Mapping[str, Sequence[str]],
    year: int,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """The share of commenting respondents who raised each skill's codes, by directorate.

    Parameters
    ----------
    coded
        The comments' coding, from :func:`analysis.datapackage.codings.coded_comments`
        (``respondent_id``, ``year``, ``code_id``).
    responses
        The data package's ``responses`` (``respondent_id``, ``year``, ``directorate``).
    skill_codes
        Skill to the codebook codes that speak of it (usually its negative codes, e.g.
        ``{"handling bullying": ["bullying_harassment"]}``).
    year
        The survey year.
    codebook
        The package's codebook: when given, codes that are not in it are left out, and so
        is a skill none of whose codes is in it (nobody could have raised them).

    Returns
    -------
    pandas.DataFrame
        One row per skill and directorate, the whole organisation first
        (:data:`ALL_DIRECTORATES`): ``skill``, ``codes``, ``directorate``,
        ``commenters`` (respondents with a coded comment that year: the count for the
        disclosure gate), ``raised`` (of them, those with a comment carrying any of the
        skill's codes) and ``percent`` (raised / commenters x 100).
        ``result.attrs["notes"]`` names the skills left out for want of codes.
    """
    notes = []
    if codebook is not None:
        known = {code.id for code in codebook}
        kept = {skill: [c for c in codes if c in known] for skill, codes in skill_codes.items()}
        notes = [
            f"{skill} (none of its codes {', '.join(skill_codes[skill])} is in the codebook)"
            for skill, codes in kept.items()
            if not codes
        ]
        skill_codes = {skill: codes for skill, codes in kept.items() if codes}
    rows = coded.loc[coded["year"] == year, ["respondent_id", "code_id"]]
    groups = responses.loc[responses["year"] == year, ["respondent_id", "directorate"]]
    groups = groups.assign(respondent_id=groups["respondent_id"].astype("string"))
    rows = rows.assign(respondent_id=rows["respondent_id"].astype("string"))
    rows = rows.merge(groups, on="respondent_id", how="inner")
    result = []
    for skill, codes in skill_codes.items():
        raised_by = set(rows.loc[rows["code_id"].isin(list(codes)), "respondent_id"])
        parts = [(ALL_DIRECTORATES, rows)]
        parts += list(rows.dropna(subset=["directorate"]).groupby("directorate", sort=True))
        for directorate, part in parts:
            people = set(part["respondent_id"])
            result.append(
                {
                    "skill": skill,
                    "codes": ", ".join(codes),
                    "directorate": directorate,
                    "commenters": len(people),
                    "raised": len(people & raised_by),
                }
            )
    table = pd.DataFrame(
        result, columns=["skill", "codes", "directorate", "commenters", "raised"]
    ).astype({"commenters": "int64", "raised": "int64"})
    table["percent"] = 100.0 * table["raised"] / table["commenters"]
    table.attrs["notes"] = notes
    return table


def course_register(package: DataPackage, year: int | None = None) -> pd.DataFrame:
    """The course register with each outcome in words: what each course aims to move.

    Parameters
    ----------
    package
        The data package (needs ``courses``).
    year
        The questionnaire year whose wording is shown (default: the latest).

    Returns
    -------
    pandas.DataFrame
        The ``courses`` table with ``item_wording`` (the item's wording in ``year``, or
        its latest wording) and ``indicator_name`` (from ``indicators.yml``) added after
        each identifier.
    """
    courses = package.tables.get("courses")
    if courses is None:
        raise ValueError("the data package has no courses table (the course register)")
    questionnaire = package.tables["questionnaire"]
    year = package.latest_year if year is None else year
    ordered = questionnaire.assign(this_year=questionnaire["year"] == year).sort_values(
        ["this_year", "year"]
    )
    wording = ordered.groupby("item_id")["wording"].last()
    names = {}
    if package.indicators is not None:
        names = {indicator.id: indicator.name for indicator in package.indicators.indicators}
    table = courses.copy()
    table.insert(
        table.columns.get_loc("item_id") + 1, "item_wording", table["item_id"].map(wording)
    )
    table["indicator_name"] = table["indicator_id"].map(names)
    return table
