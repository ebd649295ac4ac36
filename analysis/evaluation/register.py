"""The action plan register: what was agreed, how far it got, and what moved (issue 6).

Reads the data package's ``action_plans`` table. Actions with the same survey year, primary
outcome and wording are one action rolled out in several directorates (``AP2005-1`` and
``AP2005-2``) and are evaluated together. Each action is judged on the outcome measures
chosen when it was agreed (``outcome_measures``, the first the primary outcome; in older
packages without them, ``item_id`` then ``indicator_id``), each read in its expected
direction (``expected_direction``; when not stated, a rise in % positive and the
indicator's polarity):

* survey item: difference-in-differences of the share of positive answers, targeted
  directorates (or teams, for team-level actions) against those no action on that item
  targeted, clustered by those units, with a placebo test on an earlier year; an action
  for all directorates has no comparison group and gets a plain before/after comparison;
* indicator: interrupted time series of the targeted teams' pooled monthly value,
  controlled by the untargeted teams' series when there are any, and the SPC chart
  rebased at the action's start.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.datapackage import DataPackage
from analysis.datapackage.respondents import answer_flags
from analysis.evaluation.did import (
    difference_in_differences,
    group_trends,
    placebo_difference_in_differences,
)
from analysis.evaluation.its import (
    controlled_interrupted_time_series,
    interrupted_time_series,
    interrupted_time_series_lines,
)
from analysis.evaluation.series_gate import hidden_series_reason
from analysis.evaluation.verdicts import (
    DESIGN_CAVEATS,
    difference_in_differences_verdict,
    verdict,
)
from analysis.stats.spc import spc

__all__ = [
    "ALL_DIRECTORATES",
    "CENSUS_MONTH_DAY",
    "EXPECTED_DIRECTIONS",
    "REGISTER_COLUMNS",
    "STATUSES",
    "action_finding",
    "action_groups",
    "action_indicator_effects",
    "action_outcomes",
    "action_progress",
    "action_register",
    "action_trends",
    "first_survey_after",
    "indicator_series",
    "outcome_measures",
    "overdue_actions",
    "positive_answers",
    "spc_before_after",
]

ALL_DIRECTORATES = "All"
"""The ``directorate`` of an action for the whole organisation."""

STATUSES = ("planned", "in progress", "done", "dropped")
"""The statuses of an action, in the order of the progress view."""

CENSUS_MONTH_DAY = (9, 30)
"""The staff survey's census date (30 September): a survey measures what happened before it."""

_OPEN = ("planned", "in progress")

EXPECTED_DIRECTIONS = ("increase", "decrease")
"""The directions an action may expect of an outcome measure."""

REGISTER_COLUMNS = (
    "action_id", "survey_year", "theme", "finding_type", "finding_id", "baseline_value",
    "finding", "item_id", "indicator_id", "outcome_measures", "expected_direction",
    "directorate", "team_id", "action", "owner_role", "start_date", "due_date", "status",
)  # fmt: skip
"""The register's columns before ``overdue`` and the reviews (``team_id`` only when the
package's ``action_plans`` has it)."""

_FINDING_WORDS = {
    "item": ("survey item", "% positive"),
    "theme": ("survey theme", " out of 10"),
    "code": ("comment code", "% of commenting staff"),
    "indicator": ("indicator", ""),
}


def _ids(text: object) -> list[str]:
    return [] if pd.isna(text) or text == "" else [part.strip() for part in str(text).split(";")]


def outcome_measures(row: pd.Series) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An action's pre-registered outcome measures and the direction expected of each.

    Parameters
    ----------
    row
        One row of the data package's ``action_plans``.

    Returns
    -------
    measures : tuple of str
        ``outcome_measures`` split at ``;`` (the first is the primary outcome); when the
        row has none, ``item_id`` then ``indicator_id`` (the register's older form).
    directions : tuple of str
        ``increase`` or ``decrease`` per measure from ``expected_direction`` (one value
        applies to every measure); ``""`` for each when the direction was not stated.

    Examples
    --------
    >>> row = pd.Series({"item_id": "appraisal_had", "indicator_id": "sickness_absence",
    ...                  "outcome_measures": "stress_work_related;sickness_absence",
    ...                  "expected_direction": "increase;decrease"})
    >>> outcome_measures(row)
    (('stress_work_related', 'sickness_absence'), ('increase', 'decrease'))
    """
    measures = _ids(row.get("outcome_measures"))
    if not measures:
        measures = [row[c] for c in ("item_id", "indicator_id") if pd.notna(row.get(c, None))]
    directions = _ids(row.get("expected_direction")) or [""]
    if len(directions) == 1:
        directions = directions * len(measures)
    if len(directions) != len(measures) or set(directions) - {"", *EXPECTED_DIRECTIONS}:
        raise ValueError(
            f"action {row.get('action_id')}: expected_direction {row.get('expected_direction')!r} "
            f"does not fit the outcome measures {measures}; expected increase or decrease, one "
            "for all measures or one per measure"
        )
    return tuple(measures), tuple(directions)


def action_finding(row: pd.Series) -> str:
    """The finding that prompted an action, in words.

    Parameters
    ----------
    row
        One row of the data package's ``action_plans``.

    Returns
    -------
    str
        For example ``"survey item appraisal_had in 2005: 52.3% positive"``; without a
        recorded finding, the theme and survey year (``"theme Work pressure in 2003"``).
    """
    kind, finding = row.get("finding_type"), row.get("finding_id")
    year = int(row["survey_year"])
    if pd.isna(kind) or pd.isna(finding) or kind == "" or finding == "":
        return f"theme {row['theme']} in {year}"
    what, unit = _FINDING_WORDS[kind]
    text = f"{what} {finding} in {year}"
    baseline = row.get("baseline_value")
    if pd.notna(baseline):
        text += f": {baseline:g}{unit}"
    return text


def first_survey_after(start_date: pd.Timestamp, survey_years: Sequence[int]) -> int | None:
    """The first survey year whose census date (30 September) falls after an action's start.

    Parameters
    ----------
    start_date
        The action's start date.
    survey_years
        The data package's survey years.

    Returns
    -------
    int or None
        ``None`` when no survey in the data followed the start.

    Examples
    --------
    >>> first_survey_after(pd.Timestamp("2006-02-01"), [2005, 2006, 2007])
    2006
    >>> first_survey_after(pd.Timestamp("2006-10-15"), [2005, 2006, 2007])
    2007
    """
    month, day = CENSUS_MONTH_DAY
    for year in sorted(survey_years):
        if pd.Timestamp(year=int(year), month=month, day=day) > start_date:
            return int(year)
    return None


def _is_overdue(action_plans: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Started, still planned or in progress, and past the due (review) date."""
    return (
        action_plans["status"].isin(_OPEN)
        & (action_plans["due_date"] < as_of)
        & (action_plans["start_date"] <= as_of)
    )


def action_register(
    action_plans: pd.DataFrame, as_of: pd.Timestamp, reviews: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The action plan register as published: every action, its finding, outcomes and state.

    Parameters
    ----------
    action_plans
        The data package's ``action_plans`` table.
    as_of
        The date the register is read on (e.g. the end of the report year).
    reviews
        The data package's ``action_reviews`` table, if any: reviews after ``as_of`` are
        left out.

    Returns
    -------
    pandas.DataFrame
        :data:`REGISTER_COLUMNS` (optional columns the package lacks are empty; ``finding``
        is :func:`action_finding`; ``outcome_measures`` are those :func:`outcome_measures`
        evaluates, ``;``-separated; ``expected_direction`` as stated, empty if not), dates as
        ``YYYY-MM-DD`` text, blank identifiers as empty text, then ``overdue`` (True when the
        action is still planned or in progress after its due date at ``as_of``) and, with
        ``reviews``, ``reviews`` (how many by ``as_of``), ``last_review`` (its date, empty
        if none) and ``last_review_note``. Columns outside the contract are left out.
    """
    as_of = pd.Timestamp(as_of)
    table = action_plans.copy()
    for column in ("finding_type", "finding_id", "expected_direction"):
        table[column] = table.get(column, pd.Series("", index=table.index)).fillna("")
    table["baseline_value"] = table.get("baseline_value", pd.Series(np.nan, index=table.index))
    table["finding"] = [action_finding(row) for _, row in action_plans.iterrows()]
    table["outcome_measures"] = [
        ";".join(outcome_measures(row)[0]) for _, row in action_plans.iterrows()
    ]
    for column in ("item_id", "indicator_id"):
        table[column] = table[column].fillna("")
    if "team_id" in table.columns:
        table["team_id"] = table["team_id"].fillna("")
    table = table[[column for column in REGISTER_COLUMNS if column in table.columns]]
    table["overdue"] = _is_overdue(action_plans, as_of)
    for column in ("start_date", "due_date"):
        table[column] = table[column].dt.strftime("%Y-%m-%d")
    if reviews is not None:
        done = reviews.loc[reviews["review_date"] <= as_of].sort_values("review_date")
        last = done.groupby("action_id").last()
        table["reviews"] = table["action_id"].map(done.groupby("action_id").size())
        table["reviews"] = table["reviews"].fillna(0).astype("int64")
        table["last_review"] = (
            table["action_id"].map(last["review_date"].dt.strftime("%Y-%m-%d")).fillna("")
        )
        table["last_review_note"] = table["action_id"].map(last["note"]).fillna("")
    return table


def action_progress(action_plans: pd.DataFrame) -> pd.DataFrame:
    """Actions by the survey year that raised them and their status: the progress view.

    Parameters
    ----------
    action_plans
        The data package's ``action_plans`` table.

    Returns
    -------
    pandas.DataFrame
        One row per survey year: ``survey_year``, a count column per status in
        :data:`STATUSES` order (``in progress`` as ``in_progress``) and ``total``.
    """
    unknown = sorted(set(action_plans["status"]) - set(STATUSES))
    if unknown:
        raise ValueError(f"unknown action status {unknown}; allowed: {', '.join(STATUSES)}")
    counts = pd.crosstab(action_plans["survey_year"], action_plans["status"])
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts.columns = [status.replace(" ", "_") for status in STATUSES]
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index().astype("int64")


def overdue_actions(action_plans: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Actions still planned or in progress after their due (review) date.

    Parameters
    ----------
    action_plans
        The data package's ``action_plans`` table.
    as_of
        The date the register is read on (e.g. the end of the report year).

    Returns
    -------
    pandas.DataFrame
        ``action_id``, ``directorate``, ``action``, ``owner_role``, ``due_date`` (text),
        ``status`` and ``days_overdue``, most overdue first.
    """
    as_of = pd.Timestamp(as_of)
    late = action_plans.loc[_is_overdue(action_plans, as_of)].copy()
    late["days_overdue"] = (as_of - late["due_date"]).dt.days.astype("int64")
    late["due_date"] = late["due_date"].dt.strftime("%Y-%m-%d")
    columns = ["action_id", "directorate", "action", "owner_role", "due_date", "status"]
    return late.sort_values("days_overdue", ascending=False)[[*columns, "days_overdue"]]


def action_groups(action_plans: pd.DataFrame) -> pd.DataFrame:
    """One row per action as evaluated: rows with the same year, primary outcome and wording.

    Parameters
    ----------
    action_plans
        The data package's ``action_plans`` table.

    Returns
    -------
    pandas.DataFrame
        ``action_ids`` (joined by ``" + "``), ``survey_year``, ``theme``, ``finding`` (each
        part's :func:`action_finding`, prefixed by its directorate when the parts' findings
        differ), ``outcome_measures`` and ``expected_directions`` (tuples, as
        :func:`outcome_measures` gives them for the first part), ``directorates`` (tuple;
        ``("All",)`` for the whole organisation), ``teams`` (the teams named in the table's
        optional ``team_id`` column; empty when every part targets whole directorates),
        ``targets`` (each part's directorate and team, ``""`` for the whole directorate),
        ``action``, ``start_date`` (the earliest) and ``status`` (the least advanced:
        dropped only when every part was dropped).
    """
    order = {status: rank for rank, status in enumerate(STATUSES)}
    plans = action_plans.assign(
        _outcomes=[outcome_measures(row) for _, row in action_plans.iterrows()],
        _finding=[action_finding(row) for _, row in action_plans.iterrows()],
    )
    plans["_primary"] = [measures[0] if measures else "" for measures, _ in plans["_outcomes"]]
    rows = []
    for _, part in plans.groupby(["survey_year", "_primary", "action"], sort=False):
        live = part.loc[part["status"] != "dropped"]
        statuses = (live if len(live) else part)["status"]
        teams = part["team_id"] if "team_id" in part.columns else pd.Series("", index=part.index)
        teams = teams.fillna("").astype(str)
        findings = list(dict.fromkeys(part["_finding"]))
        if len(findings) > 1:
            places = zip(part["directorate"], part["_finding"], strict=True)
            findings = [f"{directorate}: {finding}" for directorate, finding in places]
        measures, directions = part["_outcomes"].iloc[0]
        rows.append(
            {
                "action_ids": " + ".join(part["action_id"]),
                "survey_year": int(part["survey_year"].iloc[0]),
                "theme": part["theme"].iloc[0],
                "finding": "; ".join(findings),
                "outcome_measures": measures,
                "expected_directions": directions,
                "directorates": tuple(dict.fromkeys(part["directorate"])),
                "teams": tuple(team for team in teams if team),
                "targets": tuple(zip(part["directorate"], teams, strict=True)),
                "action": part["action"].iloc[0],
                "start_date": part["start_date"].min(),
                "status": min(statuses, key=order.__getitem__),
            }
        )
    return pd.DataFrame(rows)


def positive_answers(
    package: DataPackage, item_ids: Collection[str], last_year: int | None = None
) -> pd.DataFrame:
    """Each respondent's share of positive answers on some items, one row per respondent-year.

    Parameters
    ----------
    package
        The data package.
    item_ids
        The items (``item_id``); for one item the share is 1 (positive) or 0.
    last_year
        Leave out later survey years.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``directorate``, ``team_id`` (missing when the package has none) and
        ``positive``: the share of the items the respondent answered (excluded codes such
        as "don't know" left out) that were positive, as
        :func:`analysis.datapackage.respondents.answer_flags` defines both (the survey
        stage's percent positive uses the same); missing when none were answered.
        Years where none of the items was asked are left out.
    """
    item_ids = [item_ids] if isinstance(item_ids, str) else list(item_ids)
    questionnaire = package.tables["questionnaire"]
    unknown = sorted(set(item_ids) - set(questionnaire["item_id"]))
    if unknown:
        raise ValueError(f"no item {unknown} in the questionnaire")
    responses = package.tables["responses"]
    parts = []
    for year, items in questionnaire.loc[questionnaire["item_id"].isin(item_ids)].groupby("year"):
        if last_year is not None and year > last_year:
            continue
        answers = responses.loc[responses["year"] == year]
        answered = np.zeros(len(answers))
        positive = np.zeros(len(answers))
        for item in items.itertuples():
            codes = pd.DataFrame(
                {"year": year, "item_id": item.item_id, "code": answers[item.column]}
            )
            valid, is_positive = answer_flags(codes, items)
            answered += valid
            positive += is_positive
        share = np.where(answered > 0, positive / np.maximum(answered, 1), np.nan)
        team = answers["team_id"] if "team_id" in answers.columns else pd.NA
        parts.append(
            pd.DataFrame(
                {
                    "year": int(year),
                    "directorate": answers["directorate"].to_numpy(object),
                    "team_id": pd.Series(team, index=answers.index).to_numpy(object),
                    "positive": share,
                }
            )
        )
    if not parts:
        raise ValueError(f"none of {item_ids} was asked in the years analysed")
    return pd.concat(parts, ignore_index=True)


def _welch(before: np.ndarray, after: np.ndarray, conf: float) -> tuple[float, float, float]:
    """Welch's interval and p-value of mean(after) - mean(before) (R ``t.test(after, before)``)."""
    test = stats.ttest_ind(after, before, equal_var=False)
    interval = test.confidence_interval(conf)
    return float(interval.low), float(interval.high), float(test.pvalue)


def _acting_on(groups: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The actions that name ``measure`` among their outcome measures."""
    return groups.loc[[measure in measures for measures in groups["outcome_measures"]]]


def _comparison_units(groups: pd.DataFrame, measure: str, all_units: Collection[str]) -> list[str]:
    """Directorates no directorate- or team-specific action on the same outcome targeted."""
    targeted = set()
    for other in _acting_on(groups, measure).itertuples():
        if ALL_DIRECTORATES not in other.directorates:
            targeted.update(other.directorates)
    return sorted(set(all_units) - targeted)


def _target_teams(package: DataPackage, targets: Collection[tuple[str, str]]) -> list[str]:
    """The teams some action rows target: each row's team, or every team of its directorate."""
    teams = package.tables.get("teams")
    chosen = set()
    for directorate, team in targets:
        if team:
            chosen.add(team)
        elif teams is not None:
            chosen.update(teams.loc[teams["directorate"] == directorate, "team_id"])
    return sorted(chosen)


def _comparison_teams(
    package: DataPackage, groups: pd.DataFrame, measure: str, all_teams: Collection[str]
) -> list[str]:
    """Teams no directorate- or team-specific action on the same outcome targeted."""
    targeted: set[str] = set()
    for other in _acting_on(groups, measure).itertuples():
        if ALL_DIRECTORATES not in other.directorates:
            targeted.update(_target_teams(package, other.targets))
    return sorted(set(all_teams) - targeted)


def _percent(frame: pd.DataFrame, when: np.ndarray) -> tuple[int, float]:
    values = frame.loc[when, "positive"]
    return int(values.size), float(values.mean() * 100) if values.size else np.nan


def action_outcomes(
    package: DataPackage,
    report_year: int,
    *,
    bootstrap_reps: int = 1999,
    seed: int = 1,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Each action's survey outcomes before and after, with the effect and a verdict.

    Parameters
    ----------
    package
        The data package (needs ``action_plans``).
    report_year
        The last survey year used.
    bootstrap_reps, seed
        Wild cluster bootstrap samples and seed (see
        :func:`~analysis.evaluation.difference_in_differences`).
    conf
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per action of :func:`action_groups` and survey item among its outcome
        measures, for actions not dropped and followed by a survey up to ``report_year``:
        ``action_ids``, ``item_id``, ``primary`` (True for the action's first outcome
        measure), ``expected_direction`` (as stated in the plan; empty when not stated,
        and a rise in % positive is then read as the improvement), ``finding`` (what
        prompted the action, :func:`action_finding`), ``directorates`` (text), ``teams``
        (text; empty when whole directorates were targeted), ``unit`` (``directorate`` or
        ``team``: what the comparison compares and clusters by), ``status``,
        ``first_year_after``, ``comparison`` (the comparison directorates or teams),
        ``targeted_before``, ``targeted_after``, ``comparison_before``,
        ``comparison_after`` (% positive, years before pooled and years from
        ``first_year_after`` pooled), ``design``, ``estimate``, ``ci_low``, ``ci_high``
        (percentage points), ``p_value``, ``bootstrap_p_value``, ``placebo_estimate``,
        ``verdict`` (naming the expected direction when the plan stated it: a change the
        other way is never called an improvement), ``summary`` (the one-line before/after)
        and ``smallest_group``: the fewest respondents behind any of the four percentages,
        the count for the disclosure gate.

    Notes
    -----
    The estimate is :func:`~analysis.evaluation.difference_in_differences` (directorates
    as units and clusters; teams, against teams no action on the item targeted, when the
    action names teams) or, for an action for all directorates, the change in the
    share positive with Welch's interval (no comparison group: the verdict says so).
    """
    plans = package.tables.get("action_plans")
    if plans is None:
        raise ValueError("the data package has no action_plans table")
    groups = action_groups(plans)
    items = set(package.tables["questionnaire"]["item_id"])
    years = [y for y in package.description.survey_years if y <= report_year]
    directorates = sorted(package.tables["responses"]["directorate"].dropna().unique())
    rows = []
    for group in groups.itertuples():
        first_year = first_survey_after(group.start_date, years)
        if group.status == "dropped" or first_year is None:
            continue
        for position, (measure, direction) in enumerate(
            zip(group.outcome_measures, group.expected_directions, strict=True)
        ):
            if measure not in items:
                continue
            row = _item_outcome(
                package, groups, group, measure, first_year, report_year, directorates,
                direction=direction, bootstrap_reps=bootstrap_reps, seed=seed, conf=conf,
            )  # fmt: skip
            if row is not None:
                row["primary"] = position == 0
                rows.append(row)
    columns = [
        "action_ids", "item_id", "primary", "expected_direction", "finding", "directorates",
        "teams", "unit", "status", "first_year_after", "comparison", "targeted_before",
        "targeted_after", "comparison_before", "comparison_after", "design", "estimate",
        "ci_low", "ci_high", "p_value", "bootstrap_p_value", "placebo_estimate", "verdict",
        "summary", "smallest_group",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).astype({"smallest_group": "int64"})


def _item_outcome(
    package: DataPackage,
    groups: pd.DataFrame,
    group: tuple,
    item_id: str,
    first_year: int,
    report_year: int,
    directorates: list[str],
    *,
    direction: str,
    bootstrap_reps: int,
    seed: int,
    conf: float,
) -> dict | None:
    """One action's before and after on one survey item (``None`` with no year before)."""
    unit = "team_id" if group.teams else "directorate"
    frame = positive_answers(package, [item_id], last_year=report_year)
    frame = frame.dropna(subset=["positive", unit])
    before_years = sorted(y for y in frame["year"].unique() if y < first_year)
    if not before_years:
        return None
    after = (frame["year"] >= first_year).to_numpy()
    whole = ALL_DIRECTORATES in group.directorates
    if group.teams:
        targeted = _target_teams(package, group.targets)
        all_teams = sorted(frame["team_id"].unique())
        comparison = _comparison_teams(package, groups, item_id, all_teams)
    else:
        targeted = directorates if whole else list(group.directorates)
        comparison = [] if whole else _comparison_units(groups, item_id, directorates)
    in_target = frame[unit].isin(targeted).to_numpy()
    in_comparison = frame[unit].isin(comparison).to_numpy()
    n_tb, targeted_before = _percent(frame, in_target & ~after)
    n_ta, targeted_after = _percent(frame, in_target & after)
    better = "lower" if direction == "decrease" else "higher"
    stated = direction != ""
    row = {
        "action_ids": group.action_ids,
        "item_id": item_id,
        "expected_direction": direction,
        "finding": group.finding,
        "directorates": ", ".join(group.directorates),
        "teams": ", ".join(group.teams),
        "unit": "team" if group.teams else "directorate",
        "status": group.status,
        "first_year_after": first_year,
        "comparison": ", ".join(comparison) if comparison else "none",
        "targeted_before": targeted_before,
        "targeted_after": targeted_after,
    }
    if comparison:
        n_cb, row["comparison_before"] = _percent(frame, in_comparison & ~after)
        n_ca, row["comparison_after"] = _percent(frame, in_comparison & after)
        data = frame.loc[in_target | in_comparison]
        did = difference_in_differences(
            data, "positive", unit, "year", targeted, first_year,
            bootstrap_reps=bootstrap_reps, seed=seed, conf=conf,
        )  # fmt: skip
        placebo = None
        if len(before_years) >= 2:
            placebo = placebo_difference_in_differences(
                data, "positive", unit, "year", targeted, first_year,
                placebo_year=before_years[len(before_years) // 2],
                bootstrap_reps=bootstrap_reps, seed=seed, conf=conf,
            )  # fmt: skip
        result = did.iloc[0]
        row.update(
            design="difference-in-differences",
            estimate=result["estimate"] * 100,
            ci_low=result["ci_low"] * 100,
            ci_high=result["ci_high"] * 100,
            p_value=result["p_value"],
            bootstrap_p_value=result["bootstrap_p_value"],
            placebo_estimate=np.nan if placebo is None else placebo["estimate"].iloc[0] * 100,
            verdict=difference_in_differences_verdict(
                did, placebo, first_year, better=better, pre_registered=stated
            ),
        )
        smallest = min(n_tb, n_ta, n_cb, n_ca)
    else:
        values = frame["positive"].to_numpy(float)
        low, high, p_value = _welch(values[~after], values[after], conf)
        row.update(
            comparison_before=np.nan,
            comparison_after=np.nan,
            design="before and after (no comparison group)",
            estimate=targeted_after - targeted_before,
            ci_low=low * 100,
            ci_high=high * 100,
            p_value=p_value,
            bootstrap_p_value=np.nan,
            placebo_estimate=np.nan,
            verdict=verdict(
                low,
                high,
                better=better,
                unit="percentage points",
                scale=100,
                pre_registered=stated,
                caveats=[DESIGN_CAVEATS["pre_post"]],
            ),  # fmt: skip
        )
        smallest = min(n_tb, n_ta)
    row["summary"] = _summary_line(row, before_years, first_year, report_year)
    row["smallest_group"] = smallest
    return row


def action_trends(
    package: DataPackage,
    item_id: str,
    targeted: Collection[str],
    comparison: Collection[str],
    report_year: int,
    conf: float = 0.95,
    unit: str = "directorate",
    containers: bool = False,
) -> pd.DataFrame:
    """% positive on an action's item in its targeted and comparison units, every year.

    Parameters
    ----------
    package
        The data package.
    item_id
        The action's target item.
    targeted, comparison
        The directorates or teams (as :func:`action_outcomes` gives them).
    report_year
        The last survey year used.
    conf
        Confidence level of the intervals.
    unit
        ``"directorate"`` or ``"team_id"``: what ``targeted`` and ``comparison`` name.
    containers
        Add the counts of the published groups containing each row's units, for
        :func:`analysis.disclosure.suppress_within`: ``directorates_n`` (respondents who
        answered the item in the directorates the units belong to, as the survey's
        ``item_scores`` counts them) and ``organisation_n`` (everyone who answered it).

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.evaluation.group_trends` in percent: ``group`` (``"targeted"``,
        ``"comparison"``), ``year``, ``n`` (respondents: the count for the disclosure
        gate), ``mean``, ``ci_low``, ``ci_high``: the years before the action show
        whether the two groups moved in parallel until then.
    """
    answers = positive_answers(package, [item_id], last_year=report_year)
    answers = answers.loc[answers[unit].isin([*targeted, *comparison])]
    trends = group_trends(answers, "positive", unit, "year", list(targeted), conf)
    trends[["mean", "ci_low", "ci_high"]] *= 100
    trends["n"] = trends["n"].astype("int64")
    columns = ["group", "year", "n", "mean", "ci_low", "ci_high"]
    if containers:
        everyone = positive_answers(package, [item_id], last_year=report_year)
        answered = everyone[everyone["positive"].notna()]
        trends["organisation_n"] = trends["year"].map(answered.groupby("year").size())
        for group, units in (("targeted", targeted), ("comparison", comparison)):
            directorates = answered.loc[answered[unit].isin(list(units)), "directorate"].unique()
            within = answered[answered["directorate"].isin(directorates)]
            chosen = trends["group"] == group
            counts = within.groupby("year").size()
            trends.loc[chosen, "directorates_n"] = trends.loc[chosen, "year"].map(counts)
        columns += ["directorates_n", "organisation_n"]
    return trends[columns].reset_index(drop=True)


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _summary_line(row: dict, before_years: list[int], first_year: int, last_year: int) -> str:
    """``"appraisal_had % positive, 2003-2005 -> 2006-2008: targeted 55% -> 75%; ..."``."""
    span = f"{_years(before_years[0], before_years[-1])} -> {_years(first_year, last_year)}"
    text = (
        f"{row['item_id']} % positive, {span}: targeted {row['targeted_before']:.0f}% -> "
        f"{row['targeted_after']:.0f}%"
    )
    if not np.isnan(row["comparison_before"]):
        text += f"; elsewhere {row['comparison_before']:.0f}% -> {row['comparison_after']:.0f}%"
    return text


def indicator_series(
    package: DataPackage, indicator_id: str, team_ids: Collection[str], last_month: pd.Period
) -> pd.Series:
    """An indicator's monthly value pooled over teams: sum of numerators / sum of denominators.

    Parameters
    ----------
    package
        The data package (needs ``indicator_values``).
    indicator_id
        The indicator.
    team_ids
        The teams to pool.
    last_month
        Leave out later months.

    Returns
    -------
    pandas.Series
        Indexed by month (``period[M]``), every month from the first to the last present.
        A ratio indicator is given in percent; a count indicator (blank denominators) as
        the total count per month.
    """
    values = package.tables.get("indicator_values")
    if values is None:
        raise ValueError("the data package has no indicator_values table")
    rows = values.loc[
        (values["indicator_id"] == indicator_id)
        & values["team_id"].isin(list(team_ids))
        & (values["month"] <= last_month)
    ]
    if rows.empty:
        raise ValueError(f"no values of indicator {indicator_id!r} for the teams {team_ids}")
    sums = rows.groupby("month")[["numerator", "denominator"]].sum(min_count=1)
    if rows["denominator"].isna().all():
        series = sums["numerator"]
    else:
        series = sums["numerator"] / sums["denominator"] * 100
    months = pd.period_range(series.index.min(), series.index.max(), freq="M")
    return series.reindex(months).rename(indicator_id)


def _teams_in(package: DataPackage, directorates: Collection[str]) -> list[str]:
    teams = package.tables["teams"]
    return sorted(teams.loc[teams["directorate"].isin(list(directorates)), "team_id"])


def action_indicator_effects(
    package: DataPackage,
    report_year: int,
    lower_is_better: Collection[str] = (),
    conf: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interrupted time series of each action's indicators at the month the action started.

    Parameters
    ----------
    package
        The data package (needs ``action_plans``, ``indicator_values`` and ``teams``).
    report_year
        The last calendar year of months used.
    lower_is_better
        Indicators for which a fall is an improvement (e.g. ``sickness_absence``): the
        direction read when the plan states none.
    conf
        Confidence level of the intervals.

    Returns
    -------
    its : pandas.DataFrame
        Per action, indicator among its outcome measures and design (``interrupted time
        series`` of the targeted teams; ``controlled`` when untargeted teams exist:
        targeted minus comparison), the ``level_change`` and ``slope_change`` rows:
        ``action_ids``, ``indicator_id``, ``primary`` (True for the action's first outcome
        measure), ``expected_direction`` (as stated in the plan, empty if not),
        ``intervention_month``, ``design``, ``term``, ``estimate``, ``std_error``,
        ``ci_low``, ``ci_high``, ``p_value``, ``months``, ``newey_west_lag`` and, on the
        level change, the ``verdict``. Units: percentage points (or counts) and per month
        for slopes. A series the disclosure rule hides
        (:func:`analysis.evaluation.series_gate.hidden_series_reason`: a unit below the
        package's minimum group size of staff, directly or as a rest) has one row,
        ``design`` ``"not shown"``, no figures and the reason as its ``verdict``.
    lines : pandas.DataFrame
        For the figures: ``action_ids``, ``indicator_id``, ``month`` (text), ``observed``,
        ``fitted`` and ``counterfactual`` of the targeted teams' series, and
        ``comparison`` (the comparison teams' series, when any); nothing of a hidden
        series.

    Notes
    -----
    Month-of-year terms are included (indicators such as sickness absence peak in
    winter). Newey-West standard errors with the default lag (see
    :func:`~analysis.evaluation.interrupted_time_series`).
    """
    plans = package.tables.get("action_plans")
    if plans is None:
        raise ValueError("the data package has no action_plans table")
    groups = action_groups(plans)
    items = set(package.tables["questionnaire"]["item_id"])
    directorates = sorted(package.tables["teams"]["directorate"].unique())
    last_month = pd.Period(f"{report_year}-12", freq="M")
    its_rows, line_parts = [], []
    for group in groups.itertuples():
        if group.status == "dropped":
            continue
        for position, (measure, direction) in enumerate(
            zip(group.outcome_measures, group.expected_directions, strict=True)
        ):
            if measure in items:
                continue
            fitted = _indicator_effect(
                package, groups, group, measure, directorates, last_month, conf
            )
            if fitted is None:
                continue
            rows, lines = fitted
            read = direction or ("decrease" if measure in lower_is_better else "increase")
            for row in rows:
                row.update(primary=position == 0, expected_direction=direction)
                if row["term"] == "level_change" and row["design"] != "not shown":
                    row["verdict"] = _its_verdict(row, read, stated=direction != "")
            its_rows += rows
            line_parts.append(lines)
    if not its_rows:  # no action has an indicator among its outcomes
        return pd.DataFrame(columns=_ITS_COLUMNS), pd.DataFrame(columns=_ITS_LINE_COLUMNS)
    return pd.DataFrame(its_rows), pd.concat(line_parts, ignore_index=True)


_ITS_COLUMNS = (
    "action_ids", "indicator_id", "primary", "expected_direction", "intervention_month",
    "design", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "months",
    "newey_west_lag", "verdict",
)  # fmt: skip
"""The columns of :func:`action_indicator_effects`'s ``its`` (as its rows give them)."""
_ITS_LINE_COLUMNS = ("action_ids", "indicator_id", "month", "observed", "fitted", "counterfactual")
"""The columns of :func:`action_indicator_effects`'s ``lines`` without a comparison."""


def _indicator_effect(
    package: DataPackage,
    groups: pd.DataFrame,
    group: tuple,
    indicator_id: str,
    directorates: list[str],
    last_month: pd.Period,
    conf: float,
) -> tuple[list[dict], pd.DataFrame] | None:
    """One action's interrupted time series on one indicator: its rows and lines.

    The rows' ``primary``, ``expected_direction`` and ``verdict`` are for the caller to
    fill. ``None`` when the action started outside the series or too few months lie on one
    side of its start.
    """
    whole = ALL_DIRECTORATES in group.directorates
    if group.teams:
        targeted = _target_teams(package, group.targets)
        all_teams = sorted(package.tables["teams"]["team_id"])
        comparison = _comparison_teams(package, groups, indicator_id, all_teams)
    else:
        targeted = _teams_in(package, directorates if whole else group.directorates)
        untargeted = [] if whole else _comparison_units(groups, indicator_id, directorates)
        comparison = _teams_in(package, untargeted) if untargeted else []
    series = indicator_series(package, indicator_id, targeted, last_month)
    start = pd.Period(group.start_date, freq="M")
    if start not in series.index:
        return None
    minimum = package.description.minimum_group_size
    hidden = hidden_series_reason(
        package, indicator_id, targeted, comparison, series.index, minimum
    )
    if hidden is not None:
        row = dict.fromkeys(_ITS_COLUMNS, np.nan)
        row.update(
            action_ids=group.action_ids, indicator_id=indicator_id, primary=False,
            expected_direction="", intervention_month=str(start), design="not shown",
            term="level_change", verdict=hidden,
        )  # fmt: skip
        return [row], pd.DataFrame(columns=_ITS_LINE_COLUMNS)
    index = int(series.index.get_loc(start))
    periods = series.index.astype(str).tolist()
    values = series.to_numpy()
    try:
        fit = interrupted_time_series(values, index, seasonal=True, periods=periods, conf=conf)
    except ValueError:
        return None  # too few months on one side of the start
    fits = [("interrupted time series", fit)]
    lines = interrupted_time_series_lines(values, index, True, periods)
    lines.insert(0, "indicator_id", indicator_id)
    lines.insert(0, "action_ids", group.action_ids)
    lines = lines.drop(columns="position").rename(columns={"period": "month"})
    if comparison:
        others = indicator_series(package, indicator_id, comparison, last_month)
        others = others.reindex(series.index).to_numpy()
        controlled = controlled_interrupted_time_series(
            values, others, index, seasonal=True, periods=periods, conf=conf
        )
        fits.append(("controlled interrupted time series", controlled))
        lines["comparison"] = others
    rows = []
    for design, fit in fits:
        for term in ("level_change", "slope_change"):
            rows.append(
                {
                    "action_ids": group.action_ids,
                    "indicator_id": indicator_id,
                    "primary": False,
                    "expected_direction": "",
                    "intervention_month": str(start),
                    "design": design,
                    "term": term,
                    **fit.set_index("term").loc[term].to_dict(),
                    "months": fit.attrs["n"],
                    "newey_west_lag": fit.attrs["lag"],
                    "verdict": "",
                }
            )
    return rows, lines


def _its_verdict(row: dict, direction: str, *, stated: bool) -> str:
    key = "controlled_interrupted_time_series" if row["design"].startswith("controlled") else (
        "interrupted_time_series"
    )  # fmt: skip
    return verdict(
        row["ci_low"], row["ci_high"], better="lower" if direction == "decrease" else "higher",
        unit="points", digits=1, pre_registered=stated, caveats=[DESIGN_CAVEATS[key]],
    )  # fmt: skip


def spc_before_after(
    series: pd.Series, start: pd.Period | str, improvement: str = "increase"
) -> pd.DataFrame:
    """The SPC chart of a monthly series rebased at an action's start, summarised by segment.

    Parameters
    ----------
    series
        Monthly values indexed by month (as :func:`indicator_series` returns).
    start
        The month the action started: the chart's new baseline.
    improvement
        ``"increase"``, ``"decrease"`` or ``"neutral"``, as
        :func:`analysis.stats.spc.spc`.

    Returns
    -------
    pandas.DataFrame
        One row per segment (``before`` and ``after``): ``first_month``, ``last_month``,
        ``months``, ``mean``, ``lower_limit``, ``upper_limit``, ``special_cause_points``
        and ``variation`` (the Making Data Count icon of the segment's last point).
    """
    start = pd.Period(start, freq="M")
    values = series.dropna()
    chart = spc(values.to_numpy(), values.index.astype(str), improvement, rebase=[str(start)])
    chart["special"] = chart["point_type"] != "common_cause"
    summary = chart.groupby("segment").agg(
        first_month=("period", "first"),
        last_month=("period", "last"),
        months=("value", "size"),
        mean=("mean", "first"),
        lower_limit=("lpl", "first"),
        upper_limit=("upl", "first"),
        special_cause_points=("special", "sum"),
        variation=("variation_icon", "last"),
    )
    summary.insert(0, "segment", ["before", "after"][: len(summary)])
    return summary.reset_index(drop=True)
