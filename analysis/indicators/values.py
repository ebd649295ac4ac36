"""Indicator values per team, directorate and organisation: intervals, ratings, SPC, funnels.

The monthly ``indicator_values`` table holds a numerator and a denominator per team and
month. Everything here starts from those counts: they are summed to the level
(team, directorate, organisation) and period (month or calendar year) asked for, and every
value, interval and rating is derived from the sums, following the indicator's
specification (:class:`~analysis.indicators.specifications.IndicatorSpecification`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.disclosure import suppress_small_groups
from analysis.indicators.funnel import funnel, funnel_limits
from analysis.indicators.spc import spc
from analysis.indicators.specifications import IndicatorSpecification, PerformanceModel
from analysis.stats import rate_ci, wilson_ci

__all__ = [
    "LEVELS",
    "ORGANISATION",
    "PERIODS",
    "funnel_curve",
    "indicator_funnel",
    "indicator_spc",
    "indicator_table",
    "rate_against",
    "scorecard",
    "spc_summary",
    "suppress_small_teams",
]

LEVELS = ("team", "directorate", "organisation")
PERIODS = ("month", "year")
ORGANISATION = "Organisation"
"""The ``unit`` of organisation-level rows."""

_DIRECTION_WORDS = {
    "high_is_good": {"higher": "better", "lower": "worse"},
    "low_is_good": {"higher": "worse", "lower": "better"},
    "no_judgement": {"higher": "higher", "lower": "lower"},
}


def rate_against(
    ci_low: np.ndarray | pd.Series | float,
    ci_high: np.ndarray | pd.Series | float,
    comparison: np.ndarray | pd.Series | float,
    polarity: str,
) -> np.ndarray:
    """Rate values as better, similar or worse than a comparison value, by their interval.

    Parameters
    ----------
    ci_low, ci_high
        Each value's confidence interval.
    comparison
        The target or comparator value (missing: ``not compared``).
    polarity
        ``high_is_good``, ``low_is_good`` or ``no_judgement``.

    Returns
    -------
    numpy.ndarray of str
        ``better``/``similar``/``worse`` (or ``higher``/``similar``/``lower`` when
        ``no_judgement``); ``not compared`` where the interval or comparison is missing.

    Notes
    -----
    As Fingertips' "compared with benchmark" (PHE, *Fingertips technical guidance*): the
    value differs when its interval excludes the comparison value; an interval that touches
    it is similar.
    """
    if polarity not in _DIRECTION_WORDS:
        raise ValueError(f"polarity must be one of {', '.join(_DIRECTION_WORDS)}; got {polarity!r}")
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    against = np.broadcast_to(np.asarray(comparison, dtype=float), low.shape)
    words = _DIRECTION_WORDS[polarity]
    rating = np.where(
        low > against, words["higher"], np.where(high < against, words["lower"], "similar")
    ).astype(object)
    rating[np.isnan(low) | np.isnan(high) | np.isnan(against)] = "not compared"
    return rating


def indicator_table(
    indicator_values: pd.DataFrame,
    teams: pd.DataFrame,
    model: PerformanceModel,
    *,
    level: str = "team",
    period: str = "year",
) -> pd.DataFrame:
    """Indicator values with confidence intervals and ratings, per unit and period.

    Parameters
    ----------
    indicator_values
        The data package's ``indicator_values`` (``month`` a monthly Period).
    teams
        The data package's ``teams`` (``team_id``, ``directorate``).
    model
        The specifications; indicators whose ``source`` is ``indicator_values`` are used.
    level
        ``team``, ``directorate`` or ``organisation``.
    period
        ``month`` or ``year`` (calendar year, as text such as ``"2008"``: numerators and
        denominators are summed over its months, so a yearly proportion is the pooled
        monthly proportion).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, unit and period: ``indicator_id``, ``level``, ``unit`` (team
        id, directorate or ``Organisation``), ``directorate`` (for teams), ``period``,
        ``numerator``, ``denominator``, ``value`` (``numerator / denominator *
        multiplier``; the count itself for counts), ``ci_low``, ``ci_high`` (at the
        indicator's benchmark level: Wilson for proportions, exact Poisson below 10 events
        and Byar from 10 for rates and counts, as PHEindicatormethods; missing for means
        and ordinal ratings), ``comparison`` (the target, or the organisation's value in the
        same period), ``rating`` and ``staff`` (the average headcount behind the value, for
        disclosure control; missing when the indicator is not about staff).

    Raises
    ------
    ValueError
        If ``level`` or ``period`` is unknown or a team has no directorate.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}; got {period!r}")
    monthly = _with_units(indicator_values, teams, level)
    headcount = _headcount(monthly, model)
    wanted = [i for i in model.indicators if i.source == "indicator_values"]
    frames = []
    for indicator in wanted:
        rows = monthly[monthly["indicator_id"] == indicator.id]
        if rows.empty:
            continue
        frames.append(_indicator_rows(rows, indicator, headcount, monthly, period))
    if not frames:
        raise ValueError("indicator_values has no rows for the specified indicators")
    table = pd.concat(frames, ignore_index=True)
    table.insert(1, "level", level)
    if level != "team":
        table = table.drop(columns="directorate")
    return table


def _with_units(indicator_values: pd.DataFrame, teams: pd.DataFrame, level: str) -> pd.DataFrame:
    directorate = teams.set_index("team_id")["directorate"]
    monthly = indicator_values.assign(directorate=indicator_values["team_id"].map(directorate))
    unknown = monthly.loc[monthly["directorate"].isna(), "team_id"].unique().tolist()
    if unknown:
        raise ValueError(f"teams {unknown[:10]} of indicator_values are not in teams")
    monthly["unit"] = {
        "team": monthly["team_id"],
        "directorate": monthly["directorate"],
        "organisation": pd.Series(ORGANISATION, index=monthly.index),
    }[level]
    return monthly


def _headcount(monthly: pd.DataFrame, model: PerformanceModel) -> pd.Series | None:
    """Each unit's headcount per month: the summed denominator of the headcount indicator."""
    if model.headcount_indicator is None:
        return None
    rows = monthly[monthly["indicator_id"] == model.headcount_indicator]
    return rows.groupby(["unit", "month"])["denominator"].sum()


def _indicator_rows(
    rows: pd.DataFrame,
    indicator: IndicatorSpecification,
    headcount: pd.Series | None,
    monthly: pd.DataFrame,
    period: str,
) -> pd.DataFrame:
    keys = ["unit", "directorate"] if rows["unit"].ne(rows["directorate"]).any() else ["unit"]
    if (rows["unit"] == ORGANISATION).all():
        keys = ["unit"]
    by_month = rows.groupby([*keys, "month"], as_index=False, sort=True)[
        ["numerator", "denominator"]
    ].sum(min_count=1)
    if indicator.disclosure == "staff_denominator":
        by_month["staff"] = by_month["denominator"]
    elif indicator.disclosure == "staff_in_team" and headcount is not None:
        by_month["staff"] = headcount.reindex(
            pd.MultiIndex.from_frame(by_month[["unit", "month"]])
        ).to_numpy()
    else:
        by_month["staff"] = np.nan
    by_month["period"] = (
        by_month["month"].dt.year.astype(str) if period == "year" else by_month["month"]
    )
    table = by_month.groupby([*keys, "period"], as_index=False, sort=True).agg(
        numerator=("numerator", "sum"),
        denominator=("denominator", lambda d: d.sum(min_count=1)),
        staff=("staff", "mean"),
    )
    if "directorate" not in table:
        table["directorate"] = pd.NA
    table["staff"] = table["staff"].round()
    table.insert(0, "indicator_id", indicator.id)
    value, low, high = _value_and_interval(table, indicator)
    table["value"], table["ci_low"], table["ci_high"] = value, low, high
    table["comparison"] = _comparison(table, indicator, monthly, period)
    if indicator.benchmark_method == "confidence_interval":
        table["rating"] = rate_against(low, high, table["comparison"], indicator.polarity)
    elif indicator.benchmark_method == "quintiles" and (table["unit"] != ORGANISATION).any():
        quintile = table.groupby("period")["value"].transform(
            lambda v: pd.qcut(v.rank(method="first"), 5, labels=False) + 1
        )
        table["rating"] = "quintile " + quintile.astype("Int64").astype(str)
    else:
        table["rating"] = "not compared"
    columns = ["indicator_id", "unit", "directorate", "period", "numerator", "denominator"]
    columns += ["value", "ci_low", "ci_high", "comparison", "rating", "staff"]
    return table[columns]


def _value_and_interval(
    table: pd.DataFrame, indicator: IndicatorSpecification
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = table["numerator"].to_numpy(dtype=float)
    n = table["denominator"].to_numpy(dtype=float)
    conf = indicator.benchmark_level / 100
    scale = indicator.multiplier
    if indicator.value_type == "proportion":
        low, high = wilson_ci(x, n, conf=conf)
        return x / n * scale, np.asarray(low) * scale, np.asarray(high) * scale
    if indicator.value_type == "rate":
        low, high = rate_ci(x, n, conf=conf, multiplier=scale)
        return x / n * scale, np.asarray(low), np.asarray(high)
    if indicator.value_type == "count":
        low, high = rate_ci(x, np.ones_like(x), conf=conf, multiplier=1)
        return x, np.asarray(low), np.asarray(high)
    missing = np.full(len(x), np.nan)
    return x / n * scale, missing, missing.copy()


def _comparison(
    table: pd.DataFrame, indicator: IndicatorSpecification, monthly: pd.DataFrame, period: str
) -> np.ndarray:
    if indicator.comparator == "target" or indicator.benchmark_method != "confidence_interval":
        target = np.nan if indicator.target is None else indicator.target
        return np.full(len(table), target)
    if (table["unit"] == ORGANISATION).all():
        return np.full(len(table), np.nan)
    rows = monthly[monthly["indicator_id"] == indicator.id]
    key = rows["month"].dt.year.astype(str) if period == "year" else rows["month"]
    sums = rows.groupby(key)[["numerator", "denominator"]].sum()
    if indicator.value_type == "count":
        return np.full(len(table), np.nan)
    organisation = sums["numerator"] / sums["denominator"] * indicator.multiplier
    return table["period"].map(organisation).to_numpy(dtype=float)


def suppress_small_teams(
    table: pd.DataFrame, model: PerformanceModel, minimum: int = 11
) -> pd.DataFrame:
    """Apply each indicator's disclosure rule: hide values based on fewer than ``minimum`` staff.

    Values of indicators about staff (``staff_denominator``, ``staff_in_team``) pass
    :func:`analysis.disclosure.suppress_small_groups` with ``staff`` as the count, units as
    the dimension and each indicator, period (and, for teams, directorate) as a separate
    table, so a hidden team cannot be recovered from its directorate's total. Indicators
    that are not about staff are left as they are.

    Parameters
    ----------
    table
        A table from :func:`indicator_table`.
    model
        The specifications (for each indicator's disclosure rule).
    minimum
        The minimum group size.

    Returns
    -------
    pandas.DataFrame
        The table, in the same order, with ``suppressed`` and ``suppression`` columns and the
        figures (numerator, denominator, value, interval, rating, staff) missing where
        suppressed; ready for ``StageOutput.table(..., gated=True)``.
    """
    about_staff = table["indicator_id"].map(
        {indicator.id: indicator.about_staff for indicator in model.indicators}
    )
    if about_staff.isna().any():
        unknown = table.loc[about_staff.isna(), "indicator_id"].unique().tolist()
        raise ValueError(f"indicators {unknown} are not in the specifications")
    figures = ["numerator", "denominator", "value", "ci_low", "ci_high", "rating"]
    for_each = ["indicator_id", "period"]
    if "directorate" in table and table["directorate"].notna().any():
        for_each.append("directorate")
    staff_rows = table[about_staff.astype(bool)].copy()
    other_rows = table[~about_staff.astype(bool)].copy()
    parts = [other_rows.assign(suppressed=False, suppression="")]
    if not staff_rows.empty:
        staff_rows["staff"] = staff_rows["staff"].fillna(0).astype(int)
        labels = [c for c in staff_rows.columns if c not in {*figures, *for_each, "unit", "staff"}]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a team that cannot be protected stops the run
            gated = suppress_small_groups(
                staff_rows,
                count="staff",
                dimensions=["unit"],
                values=figures,
                minimum=minimum,
                labels=labels,
                for_each=for_each,
            )
        gated["rating"] = gated["rating"].astype(object).where(~gated["suppressed"], None)
        parts.append(gated)
    result = pd.concat(parts).loc[table.index]
    result["suppressed"] = result["suppressed"].astype(bool)
    return result


def indicator_spc(
    monthly: pd.DataFrame, indicator: IndicatorSpecification, unit: str, **options: object
) -> pd.DataFrame:
    """The XmR chart of one indicator for one unit, read the Making Data Count way.

    Parameters
    ----------
    monthly
        A monthly table from :func:`indicator_table` (``period="month"``).
    indicator
        The indicator's specification: its polarity gives the improvement direction and its
        target the assurance line.
    unit
        The unit (team id, directorate or ``Organisation``).
    **options
        Passed to :func:`analysis.indicators.spc` (``rebase``, ``fix_after_n_points``...).

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.indicators.spc`'s table, with ``indicator_id`` and ``unit``.
    """
    rows = monthly[(monthly["indicator_id"] == indicator.id) & (monthly["unit"] == unit)]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        raise ValueError(f"no monthly values of {indicator.id!r} for {unit!r}")
    chart = spc(
        rows["value"].to_numpy(dtype=float),
        rows["period"].reset_index(drop=True),
        improvement=indicator.improvement,
        target=indicator.target,
        **options,
    )
    chart.insert(0, "unit", unit)
    chart.insert(0, "indicator_id", indicator.id)
    return chart


def spc_summary(monthly: pd.DataFrame, model: PerformanceModel) -> pd.DataFrame:
    """Every indicator's SPC chart for every unit, summarised to one row per chart.

    Parameters
    ----------
    monthly
        A monthly table from :func:`indicator_table` (may be suppressed: units with a
        suppressed month are left out, since their chart would show it).
    model
        The specifications.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id``, ``unit``, ``points``, ``special_causes`` (points that are not
        common cause), ``improvement`` and ``concern`` (how many of each),
        ``first_special_cause`` (the period of the earliest), ``variation_icon`` and
        ``assurance_icon`` of the last point.
    """
    rows = []
    hidden = monthly["suppressed"] if "suppressed" in monthly else pd.Series(False, monthly.index)
    for (indicator_id, unit), part in monthly.groupby(["indicator_id", "unit"], sort=True):
        if hidden.loc[part.index].any():
            continue
        chart = indicator_spc(part, model[indicator_id], unit)
        special = chart[chart["point_type"] != "common_cause"]
        rows.append(
            {
                "indicator_id": indicator_id,
                "unit": unit,
                "points": len(chart),
                "special_causes": len(special),
                "improvement": int((chart["point_type"] == "special_cause_improvement").sum()),
                "concern": int((chart["point_type"] == "special_cause_concern").sum()),
                "first_special_cause": special["period"].iloc[0] if len(special) else None,
                "variation_icon": chart["variation_icon"].iloc[-1],
                "assurance_icon": chart["assurance_icon"].iloc[-1],
            }
        )
    return pd.DataFrame(rows)


def indicator_funnel(
    table: pd.DataFrame, indicator: IndicatorSpecification, period: object
) -> pd.DataFrame:
    """Compare the units of one indicator in one period on a funnel plot.

    Proportions are compared as proportions (arcsine scale). Rates are compared as
    indirectly standardised ratios: observed = the numerator, expected = the denominator
    times the pooled rate (SHMI method; CQC where some unit has no events).

    Parameters
    ----------
    table
        A table from :func:`indicator_table` (normally ``level="team"``, ``period="year"``),
        before suppression (the funnel's dispersion needs every unit).
    indicator
        The indicator: a proportion or a rate.
    period
        The period to compare.

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.indicators.funnel`'s table plus ``indicator_id``, ``period``,
        ``data_type`` and ``value_shown`` (the unit's value on the indicator's scale).

    Raises
    ------
    ValueError
        For counts, means and ordinal ratings (no denominator to compare against).
    """
    if indicator.value_type not in ("proportion", "rate"):
        raise ValueError(
            f"a funnel plot needs a proportion or a rate; {indicator.id!r} is a "
            f"{indicator.value_type}"
        )
    same_period = table["period"].astype(str) == str(period)
    rows = table[(table["indicator_id"] == indicator.id) & same_period]
    if rows.empty:
        raise ValueError(f"no values of {indicator.id!r} in {period!r}")
    observed = rows["numerator"].to_numpy(dtype=float)
    size = rows["denominator"].to_numpy(dtype=float)
    if indicator.value_type == "proportion":
        result = funnel(observed, size, data_type="PR", units=rows["unit"])
        result["data_type"] = "PR"
        result["value_shown"] = result["value"] * indicator.multiplier
    else:
        pooled = observed.sum() / size.sum()
        method = "SHMI" if (observed > 0).all() else "CQC"
        result = funnel(
            observed, size * pooled, data_type="SR", sr_method=method, units=rows["unit"]
        )
        result["data_type"] = f"SR ({method})"
        result["value_shown"] = result["value"] * pooled * indicator.multiplier
    result.insert(0, "period", period)
    result.insert(0, "indicator_id", indicator.id)
    return result


def funnel_curve(funnel_table: pd.DataFrame, points: int = 200) -> pd.DataFrame:
    """The funnel's 95% and 99.8% limits over a grid of denominators, for drawing.

    Parameters
    ----------
    funnel_table
        A table from :func:`indicator_funnel`.
    points
        Grid points between the smallest and largest denominator (geometric spacing).

    Returns
    -------
    pandas.DataFrame
        ``denominator``, ``target`` and the four limits, on the same scale as the table's
        ``value`` (proportion, or ratio to the pooled rate).
    """
    size = funnel_table["denominator"].to_numpy(dtype=float)
    grid = np.geomspace(size.min() * 0.8, size.max() * 1.2, points)
    data_type = str(funnel_table["data_type"].iloc[0])
    tau2 = float(funnel_table["tau2"].iloc[0]) if bool(funnel_table["adjusted"].iloc[0]) else None
    if data_type == "PR":
        target = float(funnel_table["target"].iloc[0])
        curve = funnel_limits(grid, "PR", target=target, tau2=tau2)
    else:
        method = "CQC" if "CQC" in data_type else "SHMI"
        target = 1.0
        curve = funnel_limits(grid, "SR", sr_method=method, tau2=tau2)
    curve.insert(1, "target", target)
    return curve


def scorecard(
    annual: pd.DataFrame, summary: pd.DataFrame, period: object, model: PerformanceModel
) -> pd.DataFrame:
    """The team scorecard: each team's value and rating per indicator, with its SPC icon.

    Parameters
    ----------
    annual
        A suppressed yearly team table (:func:`suppress_small_teams` of
        :func:`indicator_table`).
    summary
        :func:`spc_summary` of the monthly team table.
    period
        The year shown.
    model
        The specifications (for names and units).

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``directorate``, ``indicator_id``, ``indicator``, ``unit_of_measure``,
        ``value``, ``rating``, ``variation_icon``, ``suppressed``: one row per team and
        indicator, for the scorecard figure and ``scorecard.csv``.
    """
    rows = annual[annual["period"].astype(str) == str(period)]
    icons = summary.set_index(["indicator_id", "unit"])["variation_icon"]
    card = rows[["unit", "directorate", "indicator_id", "value", "rating", "suppressed"]].copy()
    keys = pd.MultiIndex.from_frame(card[["indicator_id", "unit"]])
    card["variation_icon"] = icons.reindex(keys).to_numpy()
    card["variation_icon"] = card["variation_icon"].where(~card["suppressed"], None)
    names = {i.id: i.name for i in model.indicators}
    units = {i.id: i.unit for i in model.indicators}
    card.insert(3, "indicator", card["indicator_id"].map(names))
    card.insert(4, "unit_of_measure", card["indicator_id"].map(units))
    return card.reset_index(drop=True)
