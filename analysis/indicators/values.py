"""Indicator values per team, directorate and organisation: intervals, ratings, SPC, funnels.

The monthly ``indicator_values`` table holds a numerator and a denominator per team and
month; rubric (ordinal) ratings are kept there too, the level as numerator.
:func:`survey_indicator_values` and :func:`comment_indicator_values` turn the survey's
answers and the coded comments into rows of the same shape, so that qualitative indicators
go through the same tables, ratings and disclosure control. Everything here starts from those
counts: they are summed to the level
(team, directorate, organisation) and period (month or calendar year) asked for, and every
value, interval and rating is derived from the sums, following the indicator's
specification (:class:`~analysis.datapackage.indicator_specifications.IndicatorSpecification`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.datapackage.codings import MACHINE_CODERS, choose_coders, codings_for_analysis
from analysis.datapackage.indicator_specifications import (
    ORGANISATION_UNIT,
    IndicatorSpecification,
    PerformanceModel,
)
from analysis.datapackage.windows import ReportWindow, report_window
from analysis.disclosure import suppress_small_groups
from analysis.disclosure.derived import carry_mark
from analysis.disclosure.rests import protect_event_rests
from analysis.indicators.funnel import funnel, funnel_limits
from analysis.stats import quantile_groups, rate_ci, wilson_ci
from analysis.stats.spc import spc

__all__ = [
    "IndicatorPeriod",
    "LEVELS",
    "ORGANISATION",
    "PERIODS",
    "SURVEY_MONTH",
    "comment_indicator_values",
    "default_spc_charts",
    "funnel_curve",
    "indicator_funnel",
    "indicator_spc",
    "indicator_table",
    "quintile_ratings",
    "rate_against",
    "reporting_period",
    "scorecard",
    "spc_figure_name",
    "spc_summary",
    "summarise_spc_charts",
    "suppress_small_teams",
    "survey_indicator_values",
    "unit_spc_charts",
    "up_to",
]

LEVELS = ("team", "directorate", "organisation")
PERIODS = ("month", "year")
ORGANISATION = ORGANISATION_UNIT
"""The ``unit`` of organisation-level rows."""
MONTHS_IN_YEAR = 12
"""An annualised indicator's yearly denominator is its monthly denominators summed over
the year's months and divided by this: the mean monthly denominator for a full year (e.g.
the mean headcount), so that the value is per 12 months."""
SURVEY_MONTH = 9
"""Survey- and comment-based values are dated to September (the staff census month) of the
survey year, so that they fall in the survey's calendar year."""

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


_QUINTILE_WORDS = {
    "high_is_good": ("worst", "worse", "middle", "better", "best"),
    "low_is_good": ("worst", "worse", "middle", "better", "best"),
    "no_judgement": ("lowest", "low", "middle", "high", "highest"),
}


def quintile_ratings(
    value: pd.Series | np.ndarray, period: pd.Series | np.ndarray, polarity: str
) -> np.ndarray:
    """Rate units by the fifth of all units they fall in, period by period.

    Parameters
    ----------
    value
        Each unit's value.
    period
        Each value's period: quintiles are formed within a period.
    polarity
        ``high_is_good``, ``low_is_good`` or ``no_judgement``.

    Returns
    -------
    numpy.ndarray of str
        ``quintile 1 (worst)`` to ``quintile 5 (best)`` where a direction is good,
        ``quintile 1 (lowest)`` to ``quintile 5 (highest)`` where there is no judgement;
        ``not compared`` for a missing value or a period with fewer than 5 values.

    Raises
    ------
    ValueError
        If ``polarity`` is unknown.

    Notes
    -----
    :func:`analysis.stats.quantile_groups` with ``nquantiles=5`` and ``invert`` set so that
    quintile 1 holds the worst values (the lowest when high is good, the highest when low is
    good) or, without judgement, the lowest: the convention of PHEindicatormethods' test
    data, where ``invert`` is FALSE for "RAG - High is good" and TRUE for "RAG - Low is good".

    References
    ----------
    PHEindicatormethods ``phe_quantile`` and ``data-raw/LoadTestdata.R``.
    """
    if polarity not in _QUINTILE_WORDS:
        raise ValueError(f"polarity must be one of {', '.join(_QUINTILE_WORDS)}; got {polarity!r}")
    numbers = pd.Series(np.asarray(value, dtype=float))
    periods = pd.Series(np.asarray(period))
    invert = polarity == "low_is_good"
    groups = numbers.groupby(periods, sort=False).transform(
        lambda part: quantile_groups(part.to_numpy(), nquantiles=5, invert=invert)
    )
    words = _QUINTILE_WORDS[polarity]
    labels = {number: f"quintile {number} ({words[number - 1]})" for number in range(1, 6)}
    return np.array(
        ["not compared" if np.isnan(group) else labels[int(group)] for group in groups],
        dtype=object,
    )


def indicator_table(
    indicator_values: pd.DataFrame,
    teams: pd.DataFrame,
    model: PerformanceModel,
    *,
    level: str = "team",
    period: str = "year",
    year_window: str = "calendar_year",
) -> pd.DataFrame:
    """Indicator values with confidence intervals and ratings, per unit and period.

    Parameters
    ----------
    indicator_values
        The data package's ``indicator_values`` (``month`` a monthly Period), optionally
        with the rows of :func:`survey_indicator_values` and
        :func:`comment_indicator_values`, whose ``staff`` column (respondents) then decides
        disclosure control for those indicators.
    teams
        The data package's ``teams`` (``team_id``, ``directorate``).
    model
        The specifications; every indicator with rows in ``indicator_values`` is used.
    level
        ``team``, ``directorate`` or ``organisation``.
    period
        ``month`` or ``year`` (calendar year, as text such as ``"2008"``: numerators and
        denominators are summed over its months, so a yearly proportion is the pooled
        monthly proportion).
    year_window
        Which twelve months make up the year ``"2008"``: ``calendar_year`` (January to
        December), ``financial_year`` (April 2007 to March 2008) or ``survey_month``
        (October 2007 to September 2008); see :mod:`analysis.datapackage.windows`.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, unit and period: ``indicator_id``, ``level``, ``unit`` (team
        id, directorate or ``Organisation``), ``directorate`` (for teams), ``period``,
        ``numerator``, ``denominator``, ``value`` (``numerator / denominator *
        multiplier``; the count itself for counts), ``ci_low``, ``ci_high`` (at the
        indicator's benchmark level: Wilson for proportions, exact Poisson below 10 events
        and Byar from 10 for rates and counts, as PHEindicatormethods; missing for means),
        ``comparison`` (the target, or the organisation's value in the same period),
        ``rating``, ``staff`` (the average headcount behind the value, for disclosure
        control; missing when the indicator is not about staff), ``median`` (ordinal
        ratings only: the median level) and ``unit_of_measure`` (the value's unit, from
        :meth:`~analysis.datapackage.indicator_specifications.IndicatorSpecification.unit_for`).
        For an annualised indicator (``annualise``) a year's denominator is the sum of its
        monthly denominators over :data:`MONTHS_IN_YEAR` (the mean headcount for a full year) and
        its interval the rate interval of the events. For an ordinal (rubric) indicator the
        numerator counts ratings at or above the standard, the denominator counts ratings,
        and the value is their share with a Wilson interval.

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
    present = set(monthly["indicator_id"])
    wanted = [i for i in model.indicators if i.id in present]
    frames = []
    for indicator in wanted:
        rows = monthly[monthly["indicator_id"] == indicator.id]
        if rows.empty:
            continue
        frames.append(_indicator_rows(rows, indicator, headcount, monthly, period, year_window))
    if not frames:
        raise ValueError("indicator_values has no rows for the specified indicators")
    table = pd.concat(frames, ignore_index=True)
    table.insert(1, "level", level)
    if level != "team":
        table = table.drop(columns="directorate")
    return table


def _period_key(months: pd.Series, period: str, year_window: str) -> pd.Series:
    """Each month's period: the month itself, or the year of its window as text."""
    if period == "month":
        return months
    return report_window(year_window, 2000).year_of(months).astype(str)


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
    year_window: str,
) -> pd.DataFrame:
    keys = ["unit", "directorate"] if rows["unit"].ne(rows["directorate"]).any() else ["unit"]
    if (rows["unit"] == ORGANISATION).all():
        keys = ["unit"]
    medians = None
    if indicator.value_type == "ordinal":
        rows, medians = _rubric_counts(rows, indicator, keys, period, year_window)
    # Survey and comment rows carry the respondents behind them (several items' answers
    # would count people more than once); other rows take the staff from the disclosure rule.
    given_staff = "staff" in rows and rows["staff"].notna().any()
    summed = ["numerator", "denominator", "staff"] if given_staff else ["numerator", "denominator"]
    by_month = rows.groupby([*keys, "month"], as_index=False, sort=True)[summed].sum(min_count=1)
    if given_staff:
        by_month["staff"] = by_month["staff"].fillna(0)
    elif indicator.disclosure == "staff_denominator":
        by_month["staff"] = by_month["denominator"]
    elif indicator.disclosure == "staff_in_team" and headcount is not None:
        by_month["staff"] = headcount.reindex(
            pd.MultiIndex.from_frame(by_month[["unit", "month"]])
        ).to_numpy()
    else:
        by_month["staff"] = np.nan
    by_month["period"] = _period_key(by_month["month"], period, year_window)
    grouped = by_month.groupby([*keys, "period"], sort=True)
    table = pd.DataFrame(
        {
            "numerator": grouped["numerator"].sum(),
            "denominator": grouped["denominator"].sum(min_count=1),  # no months: missing
            "staff": grouped["staff"].mean(),
        }
    ).reset_index()
    if indicator.annualise and period == "year":
        table["denominator"] = table["denominator"] / MONTHS_IN_YEAR
    if "directorate" not in table:
        table["directorate"] = pd.NA
    table["staff"] = table["staff"].round()
    table.insert(0, "indicator_id", indicator.id)
    value, low, high = _value_and_interval(table, indicator, period)
    table["value"], table["ci_low"], table["ci_high"] = value, low, high
    table["comparison"] = _comparison(table, indicator, monthly, period, year_window)
    if indicator.benchmark_method == "confidence_interval":
        table["rating"] = rate_against(low, high, table["comparison"], indicator.polarity)
    elif indicator.benchmark_method == "quintiles" and (table["unit"] != ORGANISATION).any():
        table["rating"] = quintile_ratings(table["value"], table["period"], indicator.polarity)
    else:
        table["rating"] = "not compared"
    table["median"] = np.nan
    if medians is not None:
        table["median"] = medians.reindex(
            pd.MultiIndex.from_frame(table[[*keys, "period"]])
        ).to_numpy()
    columns = ["indicator_id", "unit", "directorate", "period", "numerator", "denominator"]
    columns += ["value", "ci_low", "ci_high", "comparison", "rating", "staff", "median"]
    table["unit_of_measure"] = indicator.unit_for(period)
    return table[[*columns, "unit_of_measure"]]


def _rubric_counts(
    rows: pd.DataFrame,
    indicator: IndicatorSpecification,
    keys: list[str],
    period: str,
    year_window: str,
) -> tuple[pd.DataFrame, pd.Series]:
    """Ratings as counts (meeting the standard / rated) and each unit's median level."""
    levels = [level for level, _ in indicator.levels]
    rated = rows[rows["numerator"].notna()]
    outside = ~rated["numerator"].isin(levels)
    if outside.any():
        first = rated[outside].iloc[0]
        raise ValueError(
            f"indicator_values: indicator {indicator.id!r}, team {first['team_id']!r}, month "
            f"{first['month']}: column 'numerator' holds rating {first['numerator']:g}, not one "
            f"of the rubric's levels {levels}"
        )
    key = _period_key(rated["month"], period, year_window)
    medians = rated.groupby([*(rated[k] for k in keys), key.rename("period")])["numerator"].median()
    counts = rows.assign(
        numerator=(rows["numerator"] >= indicator.standard).astype(float),
        denominator=1.0,
    )
    return counts[rows["numerator"].notna()], medians


def _value_and_interval(
    table: pd.DataFrame, indicator: IndicatorSpecification, period: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = table["numerator"].to_numpy(dtype=float)
    n = table["denominator"].to_numpy(dtype=float)
    conf = indicator.benchmark_level / 100
    scale = indicator.multiplier
    if indicator.annualise and period == "year":
        # events over staff-years: a rate, whose interval holds even above 100%
        low, high = rate_ci(x, n, conf=conf, multiplier=scale)
        return x / n * scale, np.asarray(low), np.asarray(high)
    if indicator.value_type in ("proportion", "ordinal"):
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
    table: pd.DataFrame,
    indicator: IndicatorSpecification,
    monthly: pd.DataFrame,
    period: str,
    year_window: str,
) -> np.ndarray:
    if indicator.comparator == "target" or indicator.benchmark_method != "confidence_interval":
        target = np.nan if indicator.target is None else indicator.target
        return np.full(len(table), target)
    if (table["unit"] == ORGANISATION).all():
        return np.full(len(table), np.nan)
    rows = monthly[monthly["indicator_id"] == indicator.id]
    if indicator.value_type == "ordinal":
        rows = rows[rows["numerator"].notna()]
        rows = rows.assign(numerator=rows["numerator"] >= indicator.standard, denominator=1.0)
    key = _period_key(rows["month"], period, year_window)
    sums = rows.groupby(key)[["numerator", "denominator"]].sum()
    if indicator.value_type == "count":
        return np.full(len(table), np.nan)
    if indicator.annualise and period == "year":
        sums["denominator"] = sums["denominator"] / MONTHS_IN_YEAR
    organisation = sums["numerator"] / sums["denominator"] * indicator.multiplier
    return table["period"].map(organisation).to_numpy(dtype=float)


def suppress_small_teams(
    table: pd.DataFrame, model: PerformanceModel, minimum: int
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
    figures += [column for column in ("median",) if column in table]
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
        gated = protect_event_rests(gated, staff_rows, for_each, [*figures, "staff"])
        gated["rating"] = gated["rating"].astype(object).where(~gated["suppressed"], None)
        parts.append(gated)
    result = pd.concat(parts).loc[table.index]
    result["suppressed"] = result["suppressed"].astype(bool)
    return carry_mark(result, *parts[1:])


def indicator_spc(
    monthly: pd.DataFrame, indicator: IndicatorSpecification, unit: str, **options: object
) -> pd.DataFrame:
    """The XmR chart of one indicator for one unit, read the Making Data Count way.

    Parameters
    ----------
    monthly
        A monthly table from :func:`indicator_table` (``period="month"``).
    indicator
        The indicator's specification: its polarity gives the improvement direction, its
        target the assurance, its value type the bounds of the limits (from
        :meth:`~analysis.datapackage.indicator_specifications.IndicatorSpecification.spc_bounds`),
        and its ``recalculate_at`` the months where the limits are recalculated (those
        that apply to the unit, or to its directorate, and fall after its first month).
    unit
        The unit (team id, directorate or ``Organisation``).
    **options
        Passed to :func:`analysis.stats.spc` (``fix_after_n_points``...); a
        ``rebase`` given here replaces the declared changes.

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.stats.spc`'s table, with ``indicator_id`` and ``unit`` first
        and ``recalculated_because`` last (the declared reason on the first point of each
        new segment, else empty).

    Notes
    -----
    A declared month without data for the unit is skipped, as NHSRplotthedots ignores
    rebase dates outside the data.
    """
    rows = monthly[(monthly["indicator_id"] == indicator.id) & (monthly["unit"] == unit)]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        raise ValueError(f"no monthly values of {indicator.id!r} for {unit!r}")
    periods = rows["period"].reset_index(drop=True)
    directorate = None
    if "directorate" in rows and rows["directorate"].notna().any():
        directorate = str(rows["directorate"].dropna().iloc[0])
    declared = [c for c in indicator.recalculate_at if c.applies_to(unit, directorate)]
    months = [str(month) for month in periods]
    if "rebase" not in options:
        options["rebase"] = [
            periods.iloc[months.index(change)]
            for change in indicator.changes_for(unit, directorate)
            if change in months and change > min(months)
        ]
    lower, upper = indicator.spc_bounds()
    chart = spc(
        rows["value"].to_numpy(dtype=float),
        periods,
        improvement=indicator.improvement,
        target=indicator.target,
        lower_bound=lower,
        upper_bound=upper,
        **options,
    )
    chart.insert(0, "unit", unit)
    chart.insert(0, "indicator_id", indicator.id)
    starts = chart["segment"].diff().fillna(0).to_numpy() > 0
    chart["recalculated_because"] = [
        "; ".join(c.reason for c in declared if c.month == str(period)) if start else ""
        for period, start in zip(chart["period"], starts, strict=True)
    ]
    return chart


def unit_spc_charts(
    monthly: pd.DataFrame, model: PerformanceModel
) -> dict[tuple[str, str], pd.DataFrame]:
    """Every indicator's SPC chart for every unit whose months are all shown.

    Parameters
    ----------
    monthly
        A monthly table from :func:`indicator_table` (may be suppressed: units with a
        suppressed month are left out, since their chart would show it).
    model
        The specifications. Only monthly indicators are charted: annual (survey and
        comment) values have too few points for SPC, and an ordinal rating's monthly
        share meeting the standard is 0 or 100%, not a measurement an XmR chart can read.

    Returns
    -------
    dict of (str, str) to pandas.DataFrame
        :func:`indicator_spc` of each ``(indicator_id, unit)``, in that sorted order.
    """
    hidden = monthly["suppressed"] if "suppressed" in monthly else pd.Series(False, monthly.index)
    charted = {
        i.id for i in model.indicators if i.frequency == "monthly" and i.value_type != "ordinal"
    }
    return {
        (indicator_id, unit): indicator_spc(part, model[indicator_id], unit)
        for (indicator_id, unit), part in monthly.groupby(["indicator_id", "unit"], sort=True)
        if indicator_id in charted and not hidden.loc[part.index].any()
    }


def summarise_spc_charts(charts: Mapping[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """Summarise SPC charts to one row per chart, in the charts' order.

    Parameters
    ----------
    charts
        Charts by ``(indicator_id, unit)``, as :func:`unit_spc_charts` returns them.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id``, ``unit``, ``points``, ``special_causes`` (points that are not
        common cause), ``improvement`` and ``concern`` (how many of each),
        ``first_special_cause`` (the period of the earliest), ``recalculated_at`` (the
        months where the limits were recalculated, ``;``-separated), ``variation_icon`` and
        ``assurance_icon`` of the last point.
    """
    rows = []
    for (indicator_id, unit), chart in charts.items():
        special = chart[chart["point_type"] != "common_cause"]
        starts = chart.loc[chart["segment"].diff().fillna(0) > 0, "period"]
        rows.append(
            {
                "indicator_id": indicator_id,
                "unit": unit,
                "points": len(chart),
                "special_causes": len(special),
                "improvement": int((chart["point_type"] == "special_cause_improvement").sum()),
                "concern": int((chart["point_type"] == "special_cause_concern").sum()),
                "first_special_cause": special["period"].iloc[0] if len(special) else None,
                "recalculated_at": ";".join(str(start) for start in starts),
                "variation_icon": chart["variation_icon"].iloc[-1],
                "assurance_icon": chart["assurance_icon"].iloc[-1],
            }
        )
    columns = ["indicator_id", "unit", "points", "special_causes", "improvement", "concern"]
    columns += ["first_special_cause", "recalculated_at", "variation_icon", "assurance_icon"]
    return pd.DataFrame(rows, columns=columns)


def spc_summary(monthly: pd.DataFrame, model: PerformanceModel) -> pd.DataFrame:
    """Every indicator's SPC chart for every unit, summarised to one row per chart.

    Parameters
    ----------
    monthly
        A monthly table from :func:`indicator_table`, as :func:`unit_spc_charts` takes it.
    model
        The specifications.

    Returns
    -------
    pandas.DataFrame
        :func:`summarise_spc_charts` of :func:`unit_spc_charts`.
    """
    return summarise_spc_charts(unit_spc_charts(monthly, model))


def default_spc_charts(
    summaries: Mapping[str, pd.DataFrame], model: PerformanceModel
) -> list[tuple[str, str, str]]:
    """The SPC charts a report shows by default, chosen from the data package.

    Parameters
    ----------
    summaries
        :func:`spc_summary` per level (``organisation``, ``directorate``, ``team``; a level
        may be missing), each from a suppressed monthly table so that no hidden unit is
        chosen.
    model
        The specifications (for the order of the indicators).

    Returns
    -------
    list of (indicator_id, level, unit)
        Each charted indicator's organisation chart, then every directorate whose latest
        point shows special cause variation (its variation icon is not common cause), then
        every team whose latest point is a special cause concern (team improvements are
        left to the summary table, to keep the report short), in the indicators' order,
        then by level and unit.
    """
    order = {indicator.id: number for number, indicator in enumerate(model.indicators)}
    chosen: list[tuple[int, int, str, str, str]] = []
    for rank, level in enumerate(LEVELS[::-1]):
        summary = summaries.get(level)
        if summary is None or summary.empty:
            continue
        if level == "directorate":
            summary = summary[summary["variation_icon"] != "common_cause"]
        elif level == "team":
            summary = summary[summary["variation_icon"].str.startswith("concern")]
        for row in summary.itertuples(index=False):
            chosen.append((order[row.indicator_id], rank, str(row.unit), row.indicator_id, level))
    return [(indicator_id, level, unit) for _, _, unit, indicator_id, level in sorted(chosen)]


def spc_figure_name(number: int, indicator_id: str, level: str, unit: str) -> str:
    """A safe, unique figure name for the ``number``-th SPC chart of a report.

    Parameters
    ----------
    number
        The chart's place in the report (makes the name unique).
    indicator_id, level, unit
        The chart; untrusted text, reduced to ASCII letters, digits, ``_`` and ``-``.

    Returns
    -------
    str
        E.g. ``spc_03_sickness_absence_directorate_Community_Nursing``, at most 100
        characters.

    Examples
    --------
    >>> spc_figure_name(3, "sickness_absence", "directorate", "Children & Families")
    'spc_03_sickness_absence_directorate_Children_Families'
    """
    words = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{indicator_id}_{level}_{unit}").strip("_-")
    return f"spc_{int(number):02d}_{words}"[:100].rstrip("_-")


def indicator_funnel(
    table: pd.DataFrame, indicator: IndicatorSpecification, period: object
) -> pd.DataFrame:
    """Compare the units of one indicator in one period on a funnel plot.

    Proportions are compared as proportions (arcsine scale). Rates, and annualised proportions
    (events over staff-years), are compared as indirectly standardised ratios: observed = the
    numerator, expected = the denominator times the pooled rate (SHMI method; CQC where some
    unit has no events).

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
    if indicator.value_type == "proportion" and not indicator.annualise:
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
        ``value``, ``median`` (ordinal ratings only), ``rating``, ``variation_icon``,
        ``suppressed``: one row per team and indicator, for the scorecard figure and
        ``scorecard.csv``.
    """
    rows = annual[annual["period"].astype(str) == str(period)]
    icons = summary.set_index(["indicator_id", "unit"])["variation_icon"]
    kept = ["unit", "directorate", "indicator_id", "value", "median", "rating", "suppressed"]
    card = rows[[c for c in kept if c in rows]].copy()
    keys = pd.MultiIndex.from_frame(card[["indicator_id", "unit"]])
    card["variation_icon"] = icons.reindex(keys).to_numpy()
    card["variation_icon"] = card["variation_icon"].where(~card["suppressed"], None)
    names = {i.id: i.name for i in model.indicators}
    units = {i.id: i.unit_for("year") for i in model.indicators}
    card.insert(3, "indicator", card["indicator_id"].map(names))
    card.insert(4, "unit_of_measure", card["indicator_id"].map(units))
    return carry_mark(card.reset_index(drop=True), annual)


def _survey_month(year: int) -> pd.Period:
    return pd.Period(f"{int(year)}-{SURVEY_MONTH:02d}", freq="M")


def survey_indicator_values(
    responses: pd.DataFrame, questionnaire: pd.DataFrame, model: PerformanceModel
) -> pd.DataFrame:
    """Survey-derived indicators: each team's percent positive on the indicator's items.

    Parameters
    ----------
    responses
        The data package's ``responses`` (``year``, ``team_id``, the item columns).
    questionnaire
        The data package's ``questionnaire`` (``year``, ``item_id``, ``column``,
        ``positive_codes``, ``excluded_codes``).
    model
        The specifications: indicators whose ``source`` is ``survey``.

    Returns
    -------
    pandas.DataFrame
        Rows shaped like ``indicator_values`` (``indicator_id``, ``team_id``, ``month``,
        ``numerator``, ``denominator``) plus ``staff``: per team and survey year (dated to
        :data:`SURVEY_MONTH`), the positive answers, the valid answers (not blank, not an
        excluded code such as "Don't know") and the respondents with a valid answer.
        Respondents without a team are left out; teams without a valid answer are absent.
        An item not in ``questionnaire`` (not asked up to the report year) gives no rows;
        ``python -m analysis check`` reports an item that no year's questionnaire has
        (:mod:`analysis.datapackage.readiness`).

    Notes
    -----
    Percent positive as in the NHS Staff Survey benchmark reports: positive answers over
    answers to the question, excluding "Don't know" and similar codes; with several items,
    answers are pooled (each respondent counts once per item answered).
    """
    people = responses[responses["team_id"].notna()]
    frames = []
    for indicator in (i for i in model.indicators if i.source == "survey"):
        asked = questionnaire[questionnaire["item_id"].isin(indicator.items)]
        for year, items in asked.groupby("year", sort=True):
            answering = people[people["year"] == year]
            positive = np.zeros(len(answering))
            valid = np.zeros(len(answering))
            for item in items.itertuples(index=False):
                codes = answering[item.column].to_numpy(dtype=float, na_value=np.nan)
                usable = ~np.isnan(codes) & ~np.isin(codes, list(item.excluded_codes))
                valid += usable
                positive += usable & np.isin(codes, list(item.positive_codes))
            counts = (
                pd.DataFrame(
                    {
                        "team_id": answering["team_id"].to_numpy(),
                        "numerator": positive,
                        "denominator": valid,
                        "staff": (valid > 0).astype(float),
                    }
                )
                .groupby("team_id", sort=True)
                .sum()
            )
            counts = counts[counts["denominator"] > 0].reset_index()
            counts.insert(0, "indicator_id", indicator.id)
            counts.insert(2, "month", _survey_month(year))
            frames.append(counts)
    return _indicator_rows_frame(frames)


def comment_indicator_values(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    responses: pd.DataFrame,
    model: PerformanceModel,
    primary_coder: str | None,
) -> pd.DataFrame:
    """Comment-based indicators: the share of a team's commenting staff raising the codes.

    Computed here from the data package's comments and codings, so the indicators stage
    does not depend on the comments stage having run.

    Parameters
    ----------
    comments
        The data package's ``comments`` (``comment_id``, ``respondent_id``, ``year``).
    codings
        The data package's ``codings``; the analysis coding of each comment is taken by
        :func:`analysis.datapackage.codings.codings_for_analysis` (reconciled codes where
        there are any, else ``primary_coder``'s).
    responses
        The data package's ``responses`` (``respondent_id``, ``year``, ``team_id``): a
        comment's team is its writer's.
    model
        The specifications: indicators whose ``source`` is ``comments``.
    primary_coder
        The coder whose codes count where no reconciled coding exists; ``None`` chooses the
        person who coded the most comments, as the comments stage does
        (:func:`analysis.datapackage.codings.choose_coders`).

    Returns
    -------
    pandas.DataFrame
        Rows shaped like ``indicator_values`` plus ``staff``, per team and survey year
        (dated to :data:`SURVEY_MONTH`): ``numerator`` the respondents with a coded comment
        raising any of the indicator's codes, ``denominator`` and ``staff`` the respondents
        with a coded comment. Comments not yet coded are left out.

    Notes
    -----
    People, not comments, are counted (a respondent may answer both free-text questions), so
    that the disclosure rule's count is a count of staff, as in
    :func:`analysis.comments.frequencies.code_frequencies`.
    """
    people = codings[~codings["coder"].astype(str).isin(MACHINE_CODERS)]
    primary_coder, _ = choose_coders(people, primary_coder)
    coded = codings_for_analysis(people, primary_coder)
    writers = comments[["comment_id", "respondent_id", "year"]].merge(
        responses[["respondent_id", "year", "team_id"]], on=["respondent_id", "year"], how="left"
    )
    writers = writers[writers["team_id"].notna()]
    coded = coded.merge(writers, on="comment_id", how="inner")
    frames = []
    for indicator in (i for i in model.indicators if i.source == "comments"):
        raised = coded.assign(raised=coded["code_id"].isin(indicator.codes))
        people = raised.groupby(["year", "team_id", "respondent_id"], sort=True)["raised"].any()
        counts = people.groupby(level=["year", "team_id"]).agg(["sum", "size"]).reset_index()
        frames.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator.id,
                    "team_id": counts["team_id"].to_numpy(),
                    "month": [_survey_month(year) for year in counts["year"]],
                    "numerator": counts["sum"].to_numpy(dtype=float),
                    "denominator": counts["size"].to_numpy(dtype=float),
                    "staff": counts["size"].to_numpy(dtype=float),
                }
            )
        )
    return _indicator_rows_frame(frames)


def _indicator_rows_frame(frames: list[pd.DataFrame]) -> pd.DataFrame:
    columns = ["indicator_id", "team_id", "month", "numerator", "denominator", "staff"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.concat(frames, ignore_index=True)[columns]
    table["month"] = table["month"].astype("period[M]")
    return table


@dataclass(frozen=True)
class IndicatorPeriod:
    """The year an indicators report shows, and what it says about it.

    Attributes
    ----------
    window
        The window shown: the report year's, or the latest one with ``indicator_values``.
    report_year
        The survey year of the run.
    latest_month
        The last month of ``indicator_values`` within the report year's window.
    """

    window: ReportWindow
    report_year: int
    latest_month: pd.Period

    @property
    def latest_available(self) -> bool:
        """Whether an earlier year is shown because the report year has no values."""
        return self.window.year != self.report_year

    def note(self) -> str:
        """The period in words, naming what is missing (Markdown; numbers and months only)."""
        shown = f"Indicator year {self.window.year}: {self.window.label} ({self.window.kind})."
        latest = self.latest_month.strftime("%B %Y")
        if self.latest_available:
            return (
                f"{shown} **This is the latest available period**: indicator_values has no "
                f"months in the {self.report_year} window (the latest is {latest}). Add them "
                "and run again (docs/annual-cycle.md)."
            )
        if self.latest_month < self.window.last:
            return f"{shown} **Part of the year only**: indicator_values ends in {latest}."
        return shown


def reporting_period(
    indicator_values: pd.DataFrame, report_year: int, kind: str
) -> IndicatorPeriod:
    """The year of indicator values a report on ``report_year`` shows.

    Parameters
    ----------
    indicator_values
        The data package's ``indicator_values`` (``month`` a monthly Period).
    report_year
        The run's survey year.
    kind
        The window of ``dataset.yml``'s ``windows.indicators``.

    Returns
    -------
    IndicatorPeriod
        The report year's window when ``indicator_values`` has a month in it; otherwise the
        window of the latest month before it (the latest available period, named as such).

    Raises
    ------
    ValueError
        If ``indicator_values`` has no month up to the end of the report year's window.
    """
    window = report_window(kind, report_year)
    months = indicator_values.loc[indicator_values["month"] <= window.last, "month"]
    if months.empty:
        raise ValueError(
            f"indicator_values has no month up to {window.last.strftime('%Y-%m')}, the end of "
            f"the {report_year} window ({window.label}); its first month is "
            f"{indicator_values['month'].min().strftime('%Y-%m')}"
        )
    latest = months.max()
    shown = int(window.year_of(pd.Series([latest])).iloc[0])
    return IndicatorPeriod(report_window(kind, shown), int(report_year), latest)


def up_to(rows: pd.DataFrame, window: ReportWindow) -> pd.DataFrame:
    """The rows of months up to the end of ``window`` (nothing later is shown)."""
    return rows[rows["month"] <= window.last].reset_index(drop=True)
