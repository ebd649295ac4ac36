"""Training courses evaluated on Kirkpatrick's four levels (issue 6).

Reads the data package's ``training_evaluations`` table (one row per participant, course,
cohort, time point and measure):

1. *reaction*: measures rated only after the course (satisfaction, relevance), as
   distributions (:func:`reaction_distribution`);
2. *learning*: pre against post ratings of matched participants (:func:`paired_ratings`
   with ``later="post"``);
3. *behaviour*: pre against follow-up ratings some months later (``later="follow_up"``),
   by the participants themselves and by their line managers (``rater="line_manager"``:
   the table's optional ``rater`` column; without it every rating is the participant's own);
4. *results*: the survey answers of the attendees' teams against teams that sent nobody,
   by difference-in-differences (:func:`course_results`). Attendance is not random, and the
   verdicts say so.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from analysis.datapackage import DataPackage
from analysis.evaluation.did import difference_in_differences, group_trends
from analysis.evaluation.paired import paired_effect
from analysis.evaluation.register import outcome_measures, positive_answers
from analysis.evaluation.verdicts import DESIGN_CAVEATS, difference_in_differences_verdict, verdict

__all__ = [
    "ALL_MEASURES",
    "COURSE_RESULT_COLUMNS",
    "LEVELS",
    "RATERS",
    "course_results",
    "concurrent_actions",
    "course_trends",
    "paired_ratings",
    "reaction_by_cohort",
    "reaction_distribution",
    "trained_teams",
]

ALL_MEASURES = "all measures"
"""The ``measure`` of the row that averages each participant's measures."""

LEVELS = {"post": "2 learning", "follow_up": "3 behaviour"}
"""Kirkpatrick's level measured by each later time point against ``pre``."""

RATERS = ("self", "line_manager")
"""Who gave a rating: the participant, or their line manager (Kirkpatrick level 3)."""


def _by(evaluations: pd.DataFrame, rater: str) -> pd.DataFrame:
    """The ratings given by one rater (a table without ``rater`` holds self-ratings only)."""
    if rater not in RATERS:
        raise ValueError(f"rater must be one of {', '.join(RATERS)}, got {rater!r}")
    if "rater" not in evaluations.columns:
        return evaluations if rater == "self" else evaluations.iloc[0:0]
    return evaluations.loc[evaluations["rater"] == rater]


def _evaluations(package_or_table: DataPackage | pd.DataFrame) -> pd.DataFrame:
    if isinstance(package_or_table, pd.DataFrame):
        return package_or_table
    table = package_or_table.tables.get("training_evaluations")
    if table is None:
        raise ValueError("the data package has no training_evaluations table")
    return table


def reaction_distribution(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Level 1: how participants rated measures asked only after the course, as distributions.

    Parameters
    ----------
    evaluations
        The ``training_evaluations`` table (only the participants' own ratings are read).

    Returns
    -------
    pandas.DataFrame
        For each course and measure rated only at ``post``, one row per score 1-5:
        ``course_id``, ``course_name``, ``measure``, ``score``, ``raters`` (who rated the
        measure: the base of the percentages, for the disclosure gate), ``participants``
        (who gave that score) and ``percent`` of the raters. Empty (same columns) when no
        measure is rated only after the course.

    Examples
    --------
    >>> rows = pd.DataFrame({"course_id": "C", "course_name": "Course", "timepoint": "post",
    ...                      "measure": "satisfaction", "score": [4, 5, 5, 3]})
    >>> reaction_distribution(rows)["percent"].tolist()
    [0.0, 0.0, 25.0, 25.0, 50.0]
    """
    columns = ["course_id", "course_name", "measure", "score", "raters", "participants"]
    columns.append("percent")
    rows = _reaction_rows(evaluations).set_index(["course_id", "measure"])
    if rows.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    for (course, measure), part in rows.groupby(level=[0, 1]):
        counts = part["score"].value_counts().reindex(range(1, 6), fill_value=0)
        parts.append(
            pd.DataFrame(
                {
                    "course_id": course,
                    "course_name": part["course_name"].iloc[0],
                    "measure": measure,
                    "score": counts.index.to_numpy(),
                    "raters": int(counts.sum()),
                    "participants": counts.to_numpy(),
                    "percent": counts.to_numpy() / counts.sum() * 100,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[columns]


def _reaction_rows(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Self-ratings of the measures rated only after the course (``post``)."""
    evaluations = _by(evaluations, "self")
    timepoints = evaluations.groupby(["course_id", "measure"])["timepoint"].agg(set)
    reaction = timepoints[timepoints.map(lambda seen: seen == {"post"})].index
    keys = pd.MultiIndex.from_frame(evaluations[["course_id", "measure"]])
    return evaluations.loc[keys.isin(reaction)]


def reaction_by_cohort(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Level 1 by cohort: how many rated each reaction measure, the median and % 4 or 5.

    Parameters
    ----------
    evaluations
        The ``training_evaluations`` table (only the participants' own ratings are read).

    Returns
    -------
    pandas.DataFrame
        One row per course, measure rated only after the course, and cohort:
        ``course_id``, ``course_name``, ``measure``, ``cohort``, ``participants``,
        ``median`` and ``percent_4_or_5`` (the share rating 4 or 5 of 5). Empty (same
        columns) when no measure is rated only after the course.

    Examples
    --------
    >>> rows = pd.DataFrame({"course_id": "C", "course_name": "Course", "timepoint": "post",
    ...                      "measure": "relevance", "cohort": ["A", "A", "A", "B"],
    ...                      "score": [2, 4, 5, 3]})
    >>> reaction_by_cohort(rows)[["cohort", "median", "percent_4_or_5"]].values.tolist()
    [['A', 4.0, 66.66666666666666], ['B', 3.0, 0.0]]
    """
    columns = ["course_id", "course_name", "measure", "cohort", "participants", "median"]
    columns.append("percent_4_or_5")
    rows = _reaction_rows(evaluations)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = (
        rows.assign(high=rows["score"] >= 4)
        .groupby(["course_id", "measure", "cohort"], sort=True)
        .agg(
            course_name=("course_name", "first"),
            participants=("score", "size"),
            median=("score", "median"),
            percent_4_or_5=("high", "mean"),
        )
        .reset_index()
    )
    table["percent_4_or_5"] *= 100
    table["median"] = table["median"].astype(float)
    return table[columns]


_PAIRED_RATING_TYPES = {
    **dict.fromkeys(("course_id", "course_name", "level", "rater", "measure"), "str"),
    "n_pairs": "int64",
    "n_unmatched": "int64",
    **dict.fromkeys(
        ("mean_pre", "mean_post", "mean_change", "ci_low", "ci_high", "sd_change", "t"),
        "float64",
    ),
    "df": "int64",
    **dict.fromkeys(("p_value", "wilcoxon_v", "wilcoxon_p_value"), "float64"),
    "wilcoxon_method": "str",
    **dict.fromkeys(
        ("d_z", "d_z_ci_low", "d_z_ci_high", "hedges_j", "g_z", "g_z_ci_low", "g_z_ci_high"),
        "float64",
    ),
    **dict.fromkeys(("effect_size", "verdict"), "str"),
}
"""The columns of :func:`paired_ratings` and their types, kept when it has no rows."""


def paired_ratings(
    evaluations: pd.DataFrame,
    later: str = "post",
    conf: float = 0.95,
    rater: str = "self",
) -> pd.DataFrame:
    """Levels 2 and 3: each course's ratings before against after, matched participants only.

    Parameters
    ----------
    evaluations
        The ``training_evaluations`` table.
    later
        ``"post"`` (level 2, learning) or ``"follow_up"`` (level 3, behaviour).
    conf
        Confidence level of the intervals.
    rater
        Whose ratings: ``"self"`` (the participants') or ``"line_manager"`` (their line
        managers', of the participants' practice before the course and at follow-up).

    Returns
    -------
    pandas.DataFrame
        One row per course and measure, plus a row per course for :data:`ALL_MEASURES` (each
        participant's mean over the measures they rated at both times): ``course_id``,
        ``course_name``, ``level``, ``rater``, ``measure`` and the columns of
        :func:`~analysis.evaluation.paired_effect` (``n_pairs``, ``n_unmatched``,
        ``mean_change`` with its interval, paired t and Wilcoxon p-values, ``g_z`` ...),
        and ``verdict``. A participant is matched when rated at both times in the same
        course, cohort and measure; the unmatched are counted, not used. Measures not rated
        at both time points (such as level 1 reactions) are left out; so is a course with
        no ratings by ``rater``. When no course has any (no evaluations yet, or no
        follow-up yet), the table has no rows but the same columns and types.

    Notes
    -----
    Each row is :func:`~analysis.evaluation.paired_effect` (paired t-test, Wilcoxon
    signed-rank test, Hedges-corrected d_z with its noncentral-t interval; Lakens 2013).
    """
    if later not in LEVELS:
        raise ValueError(f"later must be one of {', '.join(LEVELS)}, got {later!r}")
    evaluations = _by(evaluations, rater)
    keys = ["course_id", "cohort", "participant_id", "measure"]
    seen = evaluations.groupby(["course_id", "measure"])["timepoint"].agg(set)
    rated_twice = seen[seen.map(lambda times: {"pre", later} <= times)].index
    evaluations = evaluations.loc[
        pd.MultiIndex.from_frame(evaluations[["course_id", "measure"]]).isin(rated_twice)
    ]
    if evaluations.empty:
        return pd.DataFrame(columns=list(_PAIRED_RATING_TYPES)).astype(_PAIRED_RATING_TYPES)
    wide = evaluations.pivot_table(
        index=[*keys, "course_name"], columns="timepoint", values="score", aggfunc="first"
    ).reindex(columns=["pre", later])
    wide = wide.reset_index()
    rows = []
    for course, part in wide.groupby("course_id", sort=True):
        per_person = (
            part.dropna(subset=["pre", later])
            .groupby(["cohort", "participant_id"])[["pre", later]]
            .mean()
        )
        people = pd.MultiIndex.from_frame(part[["cohort", "participant_id"]].drop_duplicates())
        pooled = per_person.reindex(people)  # people with no matched measure count as unmatched
        measures = list(part.groupby("measure", sort=True))
        for measure, ratings in [*measures, (ALL_MEASURES, pooled)]:
            effect = paired_effect(ratings["pre"].to_numpy(float), ratings[later].to_numpy(float))
            effect.insert(0, "measure", measure)
            rows.append(effect.assign(course_id=course, course_name=part["course_name"].iloc[0]))
    table = pd.concat(rows, ignore_index=True)
    table["level"] = LEVELS[later]
    table["rater"] = rater
    caveat = DESIGN_CAVEATS["pre_post"]
    table["verdict"] = [
        verdict(low, high, unit="points on the 1-5 scale", digits=1, caveats=[caveat])
        for low, high in zip(table["ci_low"], table["ci_high"], strict=True)
    ]
    first = ["course_id", "course_name", "level", "rater", "measure"]
    return table[first + [c for c in table.columns if c not in first]]


def trained_teams(evaluations: pd.DataFrame, course_id: str) -> pd.DataFrame:
    """The teams that sent people on a course, and the first survey that could show it.

    Parameters
    ----------
    evaluations
        The ``training_evaluations`` table.
    course_id
        The course.

    Returns
    -------
    pandas.DataFrame
        ``team_id``, ``trained`` (date of its first cohort's course) and
        ``first_survey_year``: the year after that course, so that its managers have had
        time to manage differently before staff answer the survey.
    """
    rows = evaluations.loc[evaluations["course_id"] == course_id]
    if rows.empty:
        raise ValueError(f"no course {course_id!r} in training_evaluations")
    first = rows.groupby("team_id")["date"].min()
    return pd.DataFrame(
        {
            "team_id": first.index.to_numpy(object),
            "trained": first.to_numpy(),
            "first_survey_year": (first.dt.year + 1).to_numpy(int),
        }
    )


COURSE_RESULT_COLUMNS = (
    "course_id", "first_survey_year", "trained_teams", "comparison_teams", "n_respondents",
    "estimate", "ci_low", "ci_high", "p_value", "bootstrap_p_value", "verdict",
)  # fmt: skip
"""The columns of :func:`course_results`."""

_COURSE_RESULT_TYPES = {
    "first_survey_year": "int64",
    "trained_teams": "int64",
    "comparison_teams": "int64",
    "n_respondents": "int64",
    **{column: "float64" for column in ("estimate", "ci_low", "ci_high", "p_value")},
    "bootstrap_p_value": "float64",
}
"""Typed even when empty, so that the courses' results concatenate as numbers."""


def _respondent_shares(
    package: DataPackage, item_ids: Collection[str], report_year: int
) -> pd.DataFrame:
    shares = positive_answers(package, item_ids, last_year=report_year)
    return shares.dropna(subset=["positive", "team_id"])


def concurrent_actions(
    package: DataPackage, item_ids: Collection[str], team_ids: Collection[str], last_year: int
) -> str:
    """A caveat naming action plans that could share the credit for a course's results.

    Parameters
    ----------
    package
        The data package (``action_plans`` and ``teams``; without either there is nothing
        to name).
    item_ids
        The survey items the course aims to move.
    team_ids
        The trained teams.
    last_year
        Actions starting after this year are left out.

    Returns
    -------
    str
        Empty when no action with any of the items among its outcome measures
        (:func:`~analysis.evaluation.register.outcome_measures`), other than the dropped
        ones and those for the whole organisation (which reach the comparison teams
        alike), targeted the trained teams' directorates; otherwise a sentence naming the
        actions.

    Examples
    --------
    The demo's appraisal course ran in the directorates of the 2005 appraisal action:
    ``"actions on the same survey items (AP2005-1, AP2005-2) targeted the trained teams'
    directorates from 2006-02-01, so part of the change may be theirs"``.
    """
    plans, teams = package.tables.get("action_plans"), package.tables.get("teams")
    if plans is None or teams is None:
        return ""
    directorates = set(teams.loc[teams["team_id"].isin(list(team_ids)), "directorate"])
    on_items = pd.Series(
        [bool(set(outcome_measures(row)[0]) & set(item_ids)) for _, row in plans.iterrows()],
        index=plans.index,
        dtype=bool,
    )
    overlapping = plans.loc[
        (plans["status"] != "dropped")
        & on_items
        & plans["directorate"].isin(directorates)
        & (plans["start_date"].dt.year <= last_year)
    ]
    if overlapping.empty:
        return ""
    return (
        f"actions on the same survey items ({', '.join(overlapping['action_id'])}) targeted "
        f"the trained teams' directorates from {overlapping['start_date'].min():%Y-%m-%d}, so "
        "part of the change may be theirs"
    )


def course_results(
    package: DataPackage,
    course_id: str,
    item_ids: Collection[str],
    report_year: int,
    *,
    bootstrap_reps: int = 1999,
    seed: int = 1,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Level 4: the attendees' teams against teams that sent nobody, on the linked items.

    Parameters
    ----------
    package
        The data package (``responses`` need ``team_id``).
    course_id
        The course.
    item_ids
        The survey items the course aims to move (e.g. the manager items); each
        respondent's share of them answered positively is the outcome.
    report_year
        The last survey year used.
    bootstrap_reps, seed, conf
        As :func:`~analysis.evaluation.difference_in_differences`.

    Returns
    -------
    pandas.DataFrame
        One row per group of teams with the same ``first_survey_year`` (within the
        survey years): ``course_id``, ``first_survey_year``, ``trained_teams``,
        ``comparison_teams``, ``n_respondents``, ``estimate``, ``ci_low``, ``ci_high``
        (percentage points), ``p_value``, ``bootstrap_p_value`` and ``verdict`` (with the
        caveat that attendance was not random). ``result.attrs["notes"]`` says what was
        left out and why: the whole course when it has no evaluations up to
        ``report_year`` or fewer than 2 teams that sent nobody have respondents; trained
        teams first surveyed after ``report_year``, trained before the first survey, or
        without respondents on the items. With nothing to compare the table has no rows
        but the same columns.

    Notes
    -----
    The verdict names any action plan on the same items that targeted the trained teams'
    directorates (:func:`concurrent_actions`). Teams are the units and the clusters; the
    comparison teams are those that never sent anyone. Teams trained in other years are
    left out of each comparison, so each estimate compares like periods (a staggered
    design split into clean two-group comparisons).
    """
    evaluations = _evaluations(package)
    rows, notes = [], []
    if not (evaluations["course_id"] == course_id).any():
        notes.append(
            f"course {course_id}: no training evaluations up to {report_year}, so no team "
            "is known to have been trained"
        )
        return _course_result_table(rows, notes)
    shares = _respondent_shares(package, item_ids, report_year)
    teams = trained_teams(evaluations, course_id)
    surveyed = set(shares["team_id"])
    never = sorted(surveyed - set(teams["team_id"]))
    if len(never) < 2:
        notes.append(
            f"course {course_id}: fewer than 2 teams that sent nobody have respondents who "
            "answered the linked items, so there is no comparison group"
        )
        teams = teams.iloc[:0]
    for start, group in teams.groupby("first_survey_year"):
        if start > report_year:
            notes.append(
                f"course {course_id}: {len(group)} teams trained in {start - 1} are first "
                f"surveyed in {start}, after {report_year}"
            )
            continue
        if start <= min(shares["year"]):
            notes.append(
                f"course {course_id}: {len(group)} teams trained before the first survey "
                f"({min(shares['year'])}) have no survey before their course, so they are "
                "left out"
            )
            continue
        treated = sorted(set(group["team_id"]) & surveyed)
        if len(treated) < len(group):
            notes.append(
                f"course {course_id}, first surveyed {start}: {len(group) - len(treated)} of "
                f"{len(group)} trained teams have no respondents who answered the linked "
                "items, so they are left out"
            )
        if not treated:
            continue
        data = shares.loc[shares["team_id"].isin([*treated, *never])]
        did = difference_in_differences(
            data, "positive", "team_id", "year", treated, int(start),
            bootstrap_reps=bootstrap_reps, seed=seed, conf=conf,
        )  # fmt: skip
        result = did.iloc[0]
        text = difference_in_differences_verdict(did, first_treated_year=int(start))
        overlap = concurrent_actions(package, item_ids, treated, report_year)
        if overlap:
            text += f"; {overlap}"
        rows.append(
            {
                "course_id": course_id,
                "first_survey_year": int(start),
                "trained_teams": len(treated),
                "comparison_teams": len(never),
                "n_respondents": int(result["n_respondents"]),
                "estimate": result["estimate"] * 100,
                "ci_low": result["ci_low"] * 100,
                "ci_high": result["ci_high"] * 100,
                "p_value": result["p_value"],
                "bootstrap_p_value": result["bootstrap_p_value"],
                "verdict": f"{text}; {DESIGN_CAVEATS['training']}",
            }
        )
    return _course_result_table(rows, notes)


def _course_result_table(rows: list[dict], notes: list[str]) -> pd.DataFrame:
    """:func:`course_results`' rows as a typed table (also when empty), with its notes."""
    table = pd.DataFrame(rows, columns=COURSE_RESULT_COLUMNS).astype(_COURSE_RESULT_TYPES)
    table.attrs["notes"] = notes
    return table


def course_trends(
    package: DataPackage,
    course_id: str,
    item_ids: Collection[str],
    first_survey_year: int,
    report_year: int,
    conf: float = 0.95,
) -> pd.DataFrame:
    """% positive of one group of trained teams and of never-trained teams, every year.

    Parameters
    ----------
    package, course_id, item_ids, report_year, conf
        As :func:`course_results`.
    first_survey_year
        Which trained teams: those whose first survey after the course is this year.

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.evaluation.group_trends` in percent: ``group`` (``"targeted"``:
        the trained teams; ``"comparison"``), ``year``, ``n`` (respondents), ``mean``,
        ``ci_low``, ``ci_high``. Pass it through the disclosure gate.
    """
    shares = _respondent_shares(package, item_ids, report_year)
    teams = trained_teams(_evaluations(package), course_id)
    treated = sorted(
        set(teams.loc[teams["first_survey_year"] == first_survey_year, "team_id"])
        & set(shares["team_id"])
    )
    if not treated:
        raise ValueError(
            f"no teams of course {course_id!r} first surveyed in {first_survey_year} have "
            "respondents who answered the items"
        )
    never = sorted(set(shares["team_id"]) - set(teams["team_id"]))
    data = shares.loc[shares["team_id"].isin([*treated, *never])]
    trends = group_trends(data, "positive", "team_id", "year", treated, conf)
    trends[["mean", "ci_low", "ci_high"]] *= 100
    trends["n"] = trends["n"].astype("int64")
    return trends[["group", "year", "n", "mean", "ci_low", "ci_high"]].reset_index(drop=True)
