"""Individual performance management, summarised for the organisation (never per person).

Appraisal records (``appraisals``, ``appraisal_objectives``, ``appraisal_skills`` with
``staff_list``) are checked when the data package loads (types, keys, and every objective's
``linked_to`` against ``indicators.yml``). Here they are summarised into tables about teams,
staff groups, roles and objectives, each with the count of staff behind it for the
disclosure gate:

- :func:`appraisal_coverage`: the share of staff due an appraisal who had one, by team or
  staff group;
- :func:`objectives_by_organisational_objective`: how many appraisal objectives link to each
  organisational objective, directly or through one of its indicators (the line of sight
  made measurable);
- :func:`skills_gaps_by_role`: Knowledge and Skills Framework (KSF) dimensions where staff
  are assessed below the level their post requires;
- :func:`clear_goals_by_appraisal`: whether staff who had an appraisal report clearer goals
  in the staff survey than staff who did not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.datapackage.indicator_specifications import PerformanceModel
from analysis.datapackage.windows import ReportWindow, report_window
from analysis.stats import two_proportion_test, wilson_ci

__all__ = [
    "APPRAISAL_YEAR_START_MONTH",
    "HAD_APPRAISAL",
    "NO_APPRAISAL",
    "appraisal_coverage",
    "appraisal_year",
    "clear_goals_by_appraisal",
    "latest_complete_appraisal_year",
    "appraisal_window",
    "reviews_up_to",
    "objectives_by_organisational_objective",
    "skills_gaps_by_role",
]

APPRAISAL_YEAR_START_MONTH = 4
"""Appraisal years run from April to March, as the NHS financial year."""
HAD_APPRAISAL = "had an appraisal"
NO_APPRAISAL = "no appraisal"


def appraisal_year(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of the appraisal year starting in April of ``year``."""
    start = pd.Timestamp(year=int(year), month=APPRAISAL_YEAR_START_MONTH, day=1)
    return start, start + pd.DateOffset(years=1) - pd.Timedelta(days=1)


def latest_complete_appraisal_year(appraisals: pd.DataFrame) -> int:
    """The latest appraisal year (April-March) that ends on or before the last review date."""
    last = pd.Timestamp(appraisals["review_date"].max())
    year = last.year if last.month >= APPRAISAL_YEAR_START_MONTH else last.year - 1
    _, end = appraisal_year(year)
    return year if end <= last else year - 1


def appraisal_window(appraisals: pd.DataFrame, report_year: int, kind: str) -> ReportWindow | None:
    """The appraisal window a report on ``report_year`` shows: complete, and not later.

    Parameters
    ----------
    appraisals
        The data package's ``appraisals`` (``review_date``).
    report_year
        The run's survey year.
    kind
        ``dataset.yml``'s ``windows.appraisals`` (see :mod:`analysis.datapackage.windows`).

    Returns
    -------
    ReportWindow or None
        The window of ``kind`` ending in ``report_year`` when the reviews reach its last
        month; otherwise the latest earlier window they reach the end of (the latest
        available one: compare its ``year`` with ``report_year`` to say so); ``None`` when
        there is no review at all. A review in the last month counts as reaching it, since
        the package is cut at the window's last day
        (:func:`analysis.datapackage.windows.package_up_to`) and reviews are not daily.
    """
    window = report_window(kind, report_year)
    if appraisals.empty:
        return None
    last = pd.Timestamp(appraisals["review_date"].max())
    while window.last.start_time > last:  # the reviews do not reach the window's last month
        window = report_window(kind, window.year - 1)
    return window


def reviews_up_to(table: pd.DataFrame, window: ReportWindow | None) -> pd.DataFrame:
    """The rows of ``appraisals``, ``appraisal_objectives`` or ``appraisal_skills`` whose
    ``review_date`` is not after the window's last day (a report shows nothing later);
    every row when ``window`` is ``None`` (no appraisal window: nothing to cut to)."""
    if window is None:
        return table
    return table[table["review_date"] <= window.last_day].reset_index(drop=True)


def appraisal_coverage(
    appraisals: pd.DataFrame,
    staff_list: pd.DataFrame,
    year: int | ReportWindow,
    by: str,
    *,
    months_in_post: int = 3,
) -> pd.DataFrame:
    """The share of staff due an appraisal who had one in an appraisal year, by group.

    Parameters
    ----------
    appraisals
        The data package's ``appraisals`` (``staff_id``, ``review_date``).
    staff_list
        The data package's ``staff_list`` (``staff_id``, ``team_id``, ``staff_group``,
        ``start_date``): the staff in post.
    year
        The appraisal year, April ``year`` to March ``year + 1``, or a window from
        :func:`appraisal_window`.
    by
        The ``staff_list`` column to group by, e.g. ``team_id`` or ``staff_group``.
    months_in_post
        Staff who started fewer months than this before the year began are not yet due.

    Returns
    -------
    pandas.DataFrame
        One row per group: the group column, ``staff_due`` (the count for disclosure
        control), ``appraised`` (due staff with at least one review in the year),
        ``coverage`` (percent) and its 95% Wilson interval ``ci_low``, ``ci_high``.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``staff_list``.

    Notes
    -----
    Coverage is ``appraised / staff_due * 100``; the interval is Wilson's score interval
    (Wilson 1927), as PHEindicatormethods ``phe_proportion``.
    """
    if by not in staff_list:
        raise ValueError(f"by must be a column of staff_list; got {by!r}")
    if isinstance(year, ReportWindow):
        start, end = year.first_day, year.last_day
    else:
        start, end = appraisal_year(year)
    due_from = start - pd.DateOffset(months=months_in_post)
    due = staff_list[pd.to_datetime(staff_list["start_date"]) <= due_from]
    in_year = appraisals[appraisals["review_date"].between(start, end)]
    appraised = due["staff_id"].isin(in_year["staff_id"])
    table = (
        due.assign(appraised=appraised)
        .groupby(by, sort=True)
        .agg(staff_due=("staff_id", "size"), appraised=("appraised", "sum"))
        .reset_index()
    )
    x = table["appraised"].to_numpy(dtype=float)
    n = table["staff_due"].to_numpy(dtype=float)
    low, high = wilson_ci(x, n)
    table["coverage"] = x / n * 100
    table["ci_low"] = np.asarray(low) * 100
    table["ci_high"] = np.asarray(high) * 100
    return table


def objectives_by_organisational_objective(
    appraisal_objectives: pd.DataFrame,
    model: PerformanceModel,
    *,
    since: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """How many appraisal objectives link to each organisational objective, and how.

    Parameters
    ----------
    appraisal_objectives
        The data package's ``appraisal_objectives`` (``staff_id``, ``review_date``,
        ``linked_to``: an objective or indicator id of ``indicators.yml``).
    model
        The specifications: an objective linked to an indicator serves that indicator's
        objective.
    since
        Only objectives agreed at reviews on or after this date (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per organisational objective, in file order: ``objective_id``,
        ``objective``, ``via_objective`` (appraisal objectives linked to it directly),
        ``via_indicator`` (linked to one of its indicators), ``objectives`` (both),
        ``share`` (percent of all appraisal objectives) and ``staff`` (staff with at least
        one such objective: the count for disclosure control).

    Raises
    ------
    ValueError
        If a ``linked_to`` is neither an objective nor an indicator id (the data package
        check reports these with their row when it loads).
    """
    rows = appraisal_objectives
    if since is not None:
        rows = rows[rows["review_date"] >= pd.Timestamp(since)]
    objective_of = {o.id: o.id for o in model.objectives}
    objective_of.update({i.id: i.objective for i in model.indicators})
    served = rows["linked_to"].map(objective_of)
    if served.isna().any():
        unknown = sorted(rows.loc[served.isna(), "linked_to"].unique().tolist())
        raise ValueError(
            f"appraisal_objectives: column 'linked_to' holds {unknown[:5]}, which are not "
            "objective or indicator ids in indicators.yml"
        )
    direct = rows["linked_to"].isin([o.id for o in model.objectives])
    linked = rows.assign(objective_id=served, direct=direct)
    table = pd.DataFrame(
        {
            "objective_id": [o.id for o in model.objectives],
            "objective": [o.name for o in model.objectives],
        }
    )
    grouped = linked.groupby("objective_id")
    table["via_objective"] = table["objective_id"].map(grouped["direct"].sum()).fillna(0)
    table["objectives"] = table["objective_id"].map(grouped.size()).fillna(0).astype(int)
    table["via_objective"] = table["via_objective"].astype(int)
    table["via_indicator"] = table["objectives"] - table["via_objective"]
    table["share"] = table["objectives"] / max(len(rows), 1) * 100
    staff = grouped["staff_id"].nunique()
    table["staff"] = table["objective_id"].map(staff).fillna(0).astype(int)
    columns = ["objective_id", "objective", "via_objective", "via_indicator", "objectives"]
    return table[[*columns, "share", "staff"]]


def skills_gaps_by_role(
    appraisal_skills: pd.DataFrame,
    staff_list: pd.DataFrame,
    role_profiles: pd.DataFrame,
) -> pd.DataFrame:
    """KSF dimensions where staff are assessed below their post's level, by role.

    Parameters
    ----------
    appraisal_skills
        The data package's ``appraisal_skills`` (``staff_id``, ``review_date``,
        ``ksf_dimension``, ``required_level``, ``assessed_level``). Each member of staff's
        latest review is used.
    staff_list
        The data package's ``staff_list`` (``staff_id``, ``role_id``).
    role_profiles
        The data package's ``role_profiles`` (``role_id``, ``role_name``).

    Returns
    -------
    pandas.DataFrame
        One row per role and KSF dimension: ``role_id``, ``role``, ``ksf_dimension``,
        ``staff_assessed`` (the count for disclosure control), ``below_required`` (staff
        assessed below the required level), ``percent_below`` and ``mean_gap`` (the mean
        of ``required - assessed`` over staff below the level, in KSF levels).
    """
    latest = appraisal_skills["review_date"] == appraisal_skills.groupby("staff_id")[
        "review_date"
    ].transform("max")
    skills = appraisal_skills[latest].merge(staff_list[["staff_id", "role_id"]], on="staff_id")
    gap = skills["required_level"] - skills["assessed_level"]
    skills = skills.assign(below=gap > 0, gap=gap.where(gap > 0))
    table = (
        skills.groupby(["role_id", "ksf_dimension"], sort=True)
        .agg(
            staff_assessed=("staff_id", "nunique"),
            below_required=("below", "sum"),
            mean_gap=("gap", "mean"),
        )
        .reset_index()
    )
    names = dict(zip(role_profiles["role_id"], role_profiles["role_name"], strict=True))
    table.insert(1, "role", table["role_id"].map(names))
    table["percent_below"] = table["below_required"] / table["staff_assessed"] * 100
    columns = ["role_id", "role", "ksf_dimension", "staff_assessed", "below_required"]
    return table[[*columns, "percent_below", "mean_gap"]]


def clear_goals_by_appraisal(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    *,
    goal_items: tuple[str, ...] = ("team_clear_objectives",),
    appraisal_item: str = "appraisal_had",
) -> pd.DataFrame:
    """Percent positive on clear-goals items among respondents with and without an appraisal.

    Parameters
    ----------
    responses
        The data package's ``responses``.
    questionnaire
        The data package's ``questionnaire`` (``positive_codes``, ``excluded_codes``).
    goal_items
        The items about clear goals (``item_id``), e.g. ``team_clear_objectives`` ("My team
        has clear, shared objectives").
    appraisal_item
        The item asking whether the respondent had an appraisal: its positive codes mean
        "had one", its other valid codes "did not".

    Returns
    -------
    pandas.DataFrame
        Two rows per year and goal item asked with the appraisal item, one per group:
        ``year``, ``item_id``, ``group`` (``had an appraisal``, ``no appraisal``),
        ``respondents`` (answering the goal item: the count for disclosure control),
        ``percent_positive`` with its 95% Wilson interval ``ci_low``, ``ci_high``, and, the
        same on both rows, ``difference`` (appraised minus not, in percentage points) and
        its ``p_value``.

    Raises
    ------
    ValueError
        If an item is not in the questionnaire.

    Notes
    -----
    A cross-sectional comparison of two groups of respondents in the same year, with
    Wilson intervals (Wilson 1927) and the two-proportion z-test
    (:func:`analysis.stats.two_proportion_test`, R's ``prop.test(correct = FALSE)``).
    It shows an association, not an effect: staff who are appraised differ from those who
    are not (tenure, role, team, manager), and both answers are self-reported. Respondents
    are not linked to appraisal records, so the survey's own appraisal question defines the
    groups.
    """
    wanted = (appraisal_item, *goal_items)
    missing = sorted(set(wanted) - set(questionnaire["item_id"]))
    if missing:
        raise ValueError(f"items {missing} are not in the questionnaire")
    rows = []
    for year, items in questionnaire[questionnaire["item_id"].isin(wanted)].groupby("year"):
        by_item = items.set_index("item_id")
        if appraisal_item not in by_item.index:
            continue
        people = responses[responses["year"] == year]
        had = _codes(people, by_item.loc[appraisal_item])
        for goal in (g for g in goal_items if g in by_item.index):
            answer = _codes(people, by_item.loc[goal])
            groups = {}
            for name, member in (("appraised", had == 1), ("not_appraised", had == 0)):
                valid = member & ~np.isnan(answer)
                groups[name] = (float(np.nansum(answer[valid])), float(valid.sum()))
            (x1, n1), (x2, n2) = groups["appraised"], groups["not_appraised"]
            low, high = wilson_ci(np.array([x1, x2]), np.array([n1, n2]))
            difference, _, p_value = two_proportion_test(x1, n1, x2, n2)
            for number, (group, x, n) in enumerate(
                ((HAD_APPRAISAL, x1, n1), (NO_APPRAISAL, x2, n2))
            ):
                rows.append(
                    {
                        "year": int(year),
                        "item_id": goal,
                        "group": group,
                        "respondents": int(n),
                        "percent_positive": x / n * 100 if n else np.nan,
                        "ci_low": low[number] * 100,
                        "ci_high": high[number] * 100,
                        "difference": float(difference),
                        "p_value": float(p_value),
                    }
                )
    return pd.DataFrame(rows)


def _codes(people: pd.DataFrame, item: pd.Series) -> np.ndarray:
    """1 for a positive answer, 0 for another valid one, NaN for blank or excluded."""
    codes = people[item["column"]].to_numpy(dtype=float, na_value=np.nan)
    valid = ~np.isnan(codes) & ~np.isin(codes, list(item["excluded_codes"]))
    positive = np.isin(codes, list(item["positive_codes"]))
    return np.where(valid, positive.astype(float), np.nan)
