"""Indicator quality: is an indicator fit for comparing teams?

A design check for the performance model, one row per indicator, answering five questions
an analyst asks before trusting an indicator to judge teams: is it complete, are team
differences stable over time, does it separate teams beyond chance, does it only repeat
another indicator, and are some teams too small to say anything? Each answer is a number
with a reference, and the row ends with a verdict in plain language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.datapackage.indicator_specifications import IndicatorSpecification, PerformanceModel
from analysis.datapackage.windows import report_window
from analysis.indicators.values import indicator_funnel

__all__ = ["indicator_correlations", "indicator_quality", "stability", "team_homogeneity"]

MONTHS_PER_YEAR = 12


def indicator_quality(
    monthly: pd.DataFrame,
    model: PerformanceModel,
    *,
    year: int | None = None,
    year_window: str = "calendar_year",
    minimum: int,
    completeness_threshold: float = 0.9,
    reliability_threshold: float = 0.7,
    redundancy_threshold: float = 0.8,
    alpha: float = 0.05,
    expected_minimum: float = 5.0,
) -> pd.DataFrame:
    """Check each indicator's completeness, stability, discrimination and redundancy.

    Parameters
    ----------
    monthly
        The monthly team table of :func:`analysis.indicators.values.indicator_table`
        (``level="team"``, ``period="month"``), before suppression: the checks need
        every team. The result describes indicators, not teams.
    model
        The specifications (value type and disclosure rule of each indicator).
    year
        The report year whose team totals are compared (discrimination, redundancy,
        small denominators): the twelve months of its ``year_window``; default the latest
        such year in ``monthly``.
    year_window
        The kind of window a year's team totals sum (``dataset.yml``'s
        ``windows.indicators``: ``calendar_year``, ``financial_year`` or ``survey_month``;
        :func:`analysis.datapackage.windows.report_window`), as in
        :func:`analysis.indicators.values.indicator_table`.
    minimum
        The minimum group size: teams with fewer staff behind an indicator about staff
        are counted as small.
    completeness_threshold, reliability_threshold, redundancy_threshold, alpha,
    expected_minimum
        The verdict's thresholds: the share of team-months present (0.9); the reliability
        of a team's 12-month mean (0.7, Nunnally's convention); the Spearman correlation
        whose size makes two indicators redundant (0.8); the significance level of the
        test of homogeneity (0.05); the expected count below which a team's figure is too
        small for the chi-squared approximation (5, Cochran's rule).

    Returns
    -------
    pandas.DataFrame
        One row per indicator in ``monthly``, in the specifications' order:

        ``indicator_id``; ``value_type``; ``teams`` (with at least one value) and
        ``teams_total``;
        ``completeness`` (share of team-months with a value, over every team in
        ``monthly`` and every month from its first to its last);
        ``month_to_month_icc`` and ``annual_reliability`` (:func:`stability`);
        ``phi`` (the funnel plot's dispersion ratio), ``funnel_outliers`` (teams
        outside the 99.8% limits), ``chi_squared``, ``df``, ``p_value``
        (:func:`team_homogeneity`) and ``discriminates`` (``p_value < alpha``; missing
        for counts, means and ratings, which have no denominator to compare teams on);
        ``most_correlated_with`` and ``spearman_rho`` (the indicator whose team values in
        ``year`` correlate most with this one's, by absolute value) and ``redundant``;
        ``small_teams`` (teams with fewer than ``minimum`` staff, for indicators about
        staff) and ``small_expected`` (teams whose expected count of events, or of
        non-events, is below ``expected_minimum``); ``verdict`` (in words).

    Raises
    ------
    ValueError
        If ``monthly`` lacks a column, holds an indicator the model does not know, or
        has no values in ``year``'s window.

    References
    ----------
    Spiegelhalter D.J. (2005) Funnel plots for comparing institutional performance.
    *Statistics in Medicine* 24:1185-1202 (phi). McGraw K.O. and Wong S.P. (1996) Forming
    inferences about some intraclass correlation coefficients. *Psychological Methods*
    1:30-46 (ICC). Nunnally J.C. (1978) *Psychometric Theory*, 2nd ed. (0.7). Cochran W.G.
    (1954) Some methods for strengthening the common chi-squared tests. *Biometrics*
    10:417-451 (expected counts of 5). OECD and JRC (2008) *Handbook on Constructing
    Composite Indicators*, step 4 (correlations between indicators).
    """
    required = ["indicator_id", "unit", "period", "numerator", "denominator", "value", "staff"]
    absent = [c for c in required if c not in monthly.columns]
    if absent:
        raise ValueError(
            f"monthly has no column(s) {absent}: give the monthly team table of "
            f"values.indicator_table(level='team', period='month')"
        )
    known = {i.id for i in model.indicators}
    unknown = sorted(set(monthly["indicator_id"]) - known)
    if unknown:
        raise ValueError(f"indicators {unknown} of monthly are not in the specifications")
    months = pd.PeriodIndex(monthly["period"], freq="M")
    window_years = report_window(year_window, 2000).year_of(pd.Series(months))
    chosen = int(window_years.max()) if year is None else int(year)
    annual = _annual_totals(monthly, window_years.astype(str).to_numpy())
    this_year = annual[annual["period"] == str(chosen)]
    if this_year.empty:
        raise ValueError(
            f"monthly has no values in {chosen}'s window "
            f"({report_window(year_window, chosen).label})"
        )
    correlations = indicator_correlations(this_year, threshold=redundancy_threshold)
    all_teams = monthly["unit"].nunique()
    span = len(pd.period_range(months.min(), months.max(), freq="M"))

    rows = []
    for indicator in model.indicators:
        rows_of = monthly[monthly["indicator_id"] == indicator.id]
        if rows_of.empty:
            continue
        present = rows_of[rows_of["value"].notna()]
        row: dict[str, object] = {
            "indicator_id": indicator.id,
            "value_type": indicator.value_type,
            "teams": present["unit"].nunique(),
            "teams_total": all_teams,
            "completeness": len(present.drop_duplicates(["unit", "period"])) / (all_teams * span),
        }
        wide = present.pivot_table(index="unit", columns="period", values="value", aggfunc="first")
        icc, reliability = stability(wide)
        row["month_to_month_icc"], row["annual_reliability"] = icc, reliability
        year_rows = this_year[this_year["indicator_id"] == indicator.id]
        row.update(_discrimination(year_rows, indicator, chosen, expected_minimum))
        row.update(_redundancy(correlations, indicator.id, redundancy_threshold))
        staff = year_rows["staff"]
        row["small_teams"] = int((staff < minimum).sum()) if indicator.about_staff else 0
        rows.append(row)

    table = pd.DataFrame(rows)
    for column in ("funnel_outliers", "df", "small_expected"):
        table[column] = table[column].astype("Int64")
    table["verdict"] = [
        _verdict(
            row,
            minimum=minimum,
            completeness_threshold=completeness_threshold,
            reliability_threshold=reliability_threshold,
            alpha=alpha,
            expected_minimum=expected_minimum,
        )
        for row in table.to_dict("records")
    ]
    table["discriminates"] = [None if pd.isna(p) else bool(p < alpha) for p in table["p_value"]]
    order = [
        "indicator_id", "value_type", "teams", "teams_total", "completeness", "month_to_month_icc",
        "annual_reliability", "phi", "funnel_outliers", "chi_squared", "df", "p_value",
        "discriminates", "most_correlated_with", "spearman_rho", "redundant", "small_teams",
        "small_expected", "verdict",
    ]  # fmt: skip
    return table[order]


def stability(values: pd.DataFrame, months_per_mean: int = MONTHS_PER_YEAR) -> tuple[float, float]:
    """How consistently team differences repeat from month to month.

    Parameters
    ----------
    values
        Teams as rows, months as columns. Teams with a missing month are left out (the
        two-way analysis of variance needs a complete table).
    months_per_mean
        The number of months in the mean whose reliability is reported (12: a year).

    Returns
    -------
    tuple of float
        ``(icc, reliability)``: the single-month consistency intraclass correlation
        ICC(C,1) and the reliability of a team's mean over ``months_per_mean`` months;
        both missing with fewer than 3 complete teams or 3 months, or no variation.

    Notes
    -----
    From the two-way analysis of variance of value on team and month (no interaction),
    with ``n`` teams, ``m`` months, ``MSR`` the teams' mean square and ``MSE`` the
    residual mean square: ``ICC(C,1) = (MSR - MSE) / (MSR + (m - 1) MSE)`` (McGraw and
    Wong's case 3, consistency; Shrout and Fleiss' ICC(3,1)). Months are a fixed effect,
    so a common trend or season does not count as instability. The reliability of a mean
    of ``k`` months is the Spearman-Brown ``k ICC / (1 + (k - 1) ICC)``.

    References
    ----------
    McGraw K.O. and Wong S.P. (1996) *Psychological Methods* 1:30-46. Shrout P.E. and
    Fleiss J.L. (1979) Intraclass correlations: uses in assessing rater reliability.
    *Psychological Bulletin* 86:420-428. R: the mean squares of
    ``anova(lm(value ~ team + month))``.
    """
    complete = values.dropna(axis=0, how="any").to_numpy(dtype=float)
    teams, months = complete.shape
    if teams < 3 or months < 3:
        return np.nan, np.nan
    grand = complete.mean()
    between_teams = months * ((complete.mean(axis=1) - grand) ** 2).sum()
    between_months = teams * ((complete.mean(axis=0) - grand) ** 2).sum()
    residual = ((complete - grand) ** 2).sum() - between_teams - between_months
    ms_teams = between_teams / (teams - 1)
    ms_error = residual / ((teams - 1) * (months - 1))
    denominator = ms_teams + (months - 1) * ms_error
    if denominator <= 0:
        return np.nan, np.nan
    icc = (ms_teams - ms_error) / denominator
    reliability = months_per_mean * icc / (1 + (months_per_mean - 1) * icc)
    return float(icc), float(reliability)


def team_homogeneity(
    numerator: np.ndarray | pd.Series, denominator: np.ndarray | pd.Series, value_type: str
) -> tuple[float, int, float]:
    """Chi-squared test that every team has the same underlying proportion or rate.

    Parameters
    ----------
    numerator, denominator
        Each team's events and cases (proportions) or events and exposure (rates).
    value_type
        ``"proportion"`` or ``"rate"``.

    Returns
    -------
    tuple
        ``(chi_squared, df, p_value)``.

    Raises
    ------
    ValueError
        For another value type, fewer than 2 teams, or negative or missing counts.

    Notes
    -----
    Proportions: Pearson's test of homogeneity of the teams by (events, non-events)
    table, ``df = teams - 1``, without continuity correction (R's ``chisq.test`` on the
    matrix; R corrects 2 by 2 tables, so compare with ``correct = FALSE`` there). Rates:
    the Poisson dispersion test given the total, ``sum (O - E)^2 / E`` with
    ``E = denominator x pooled rate`` (R's ``chisq.test(O, p = denominator /
    sum(denominator))``). It asks the question the funnel plot's ``phi`` measures (phi is
    about the statistic over its degrees of freedom, after trimming).

    References
    ----------
    Agresti A. (2013) *Categorical Data Analysis*, 3rd ed., section 3.2. R ``chisq.test``.
    """
    events = np.asarray(numerator, dtype=float)
    size = np.asarray(denominator, dtype=float)
    if value_type not in ("proportion", "rate"):
        raise ValueError(f"value_type must be 'proportion' or 'rate'; got {value_type!r}")
    if events.shape != size.shape or events.ndim != 1 or len(events) < 2:
        raise ValueError("numerator and denominator need one entry per team, at least 2 teams")
    if not (np.isfinite(events).all() and np.isfinite(size).all()):
        raise ValueError("numerator and denominator must not be missing")
    if (events < 0).any() or (size <= 0).any():
        raise ValueError("numerator must be >= 0 and denominator > 0")
    if value_type == "proportion":
        table = np.column_stack([events, size - events])
        statistic, p_value, df, _ = stats.chi2_contingency(table, correction=False)
        return float(statistic), int(df), float(p_value)
    expected = size / size.sum() * events.sum()
    statistic, p_value = stats.chisquare(events, expected)
    return float(statistic), len(events) - 1, float(p_value)


def indicator_correlations(annual: pd.DataFrame, *, threshold: float = 0.8) -> pd.DataFrame:
    """Spearman correlations between indicators across teams, flagging redundant pairs.

    Parameters
    ----------
    annual
        One period's team values: ``indicator_id``, ``unit``, ``value``.
    threshold
        ``|rho| >= threshold`` flags a pair as redundant (the JRC's 0.8 rule of thumb:
        the pair measures much the same thing, so a composite would count it twice).

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``indicator_a``, ``indicator_b``, ``teams`` (with both
        values), ``spearman_rho`` and ``redundant``.

    Notes
    -----
    Pairwise complete teams, ties given average ranks: R's
    ``cor(x, y, method = "spearman", use = "pairwise.complete.obs")``.

    References
    ----------
    OECD and JRC (2008) *Handbook on Constructing Composite Indicators*, step 4.
    """
    wide = annual.pivot_table(index="unit", columns="indicator_id", values="value")
    names = list(wide.columns)
    rows = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            both = wide[[first, second]].dropna()
            rho = (
                float(stats.spearmanr(both[first], both[second]).statistic)
                if len(both) >= 3 and both[first].nunique() > 1 and both[second].nunique() > 1
                else np.nan
            )
            rows.append(
                {
                    "indicator_a": first,
                    "indicator_b": second,
                    "teams": len(both),
                    "spearman_rho": rho,
                    "redundant": bool(abs(rho) >= threshold) if np.isfinite(rho) else False,
                }
            )
    columns = ["indicator_a", "indicator_b", "teams", "spearman_rho", "redundant"]
    return pd.DataFrame(rows, columns=columns)


def _annual_totals(monthly: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """Sum each team's months into the years of their windows, as values.indicator_table does."""
    frame = monthly.assign(year=years)
    totals = frame.groupby(["indicator_id", "unit", "year"], as_index=False).agg(
        numerator=("numerator", lambda v: v.sum(min_count=1)),
        denominator=("denominator", lambda v: v.sum(min_count=1)),
        staff=("staff", "mean"),
        months=("value", "count"),
    )
    totals = totals.rename(columns={"year": "period"})
    ratio = totals["numerator"] / totals["denominator"]
    totals["value"] = ratio.where(totals["denominator"].notna(), totals["numerator"])
    return totals


def _discrimination(
    rows: pd.DataFrame, indicator: IndicatorSpecification, year: int, expected_minimum: float
) -> dict[str, object]:
    empty = {
        "phi": np.nan,
        "funnel_outliers": None,
        "chi_squared": np.nan,
        "df": None,
        "p_value": np.nan,
        "small_expected": None,
    }
    if indicator.value_type not in ("proportion", "rate"):
        return empty
    usable = rows[rows["numerator"].notna() & (rows["denominator"] > 0)]
    if usable["unit"].nunique() < 2:
        return empty
    result = indicator_funnel(usable, indicator, str(year))
    events = usable["numerator"].to_numpy(dtype=float)
    size = usable["denominator"].to_numpy(dtype=float)
    chi_squared, df, p_value = team_homogeneity(events, size, indicator.value_type)
    pooled = events.sum() / size.sum()
    expected = size * pooled
    if indicator.value_type == "proportion":
        expected = np.minimum(expected, size * (1 - pooled))
    return {
        "phi": float(result["phi"].iloc[0]),
        "funnel_outliers": int(result["outlier"].sum()),
        "chi_squared": chi_squared,
        "df": df,
        "p_value": p_value,
        "small_expected": int((expected < expected_minimum).sum()),
    }


def _redundancy(correlations: pd.DataFrame, indicator_id: str, threshold: float) -> dict:
    pairs = correlations[
        (correlations["indicator_a"] == indicator_id)
        | (correlations["indicator_b"] == indicator_id)
    ].dropna(subset=["spearman_rho"])
    if pairs.empty:
        return {"most_correlated_with": None, "spearman_rho": np.nan, "redundant": False}
    strongest = pairs.loc[pairs["spearman_rho"].abs().idxmax()]
    other = (
        strongest["indicator_b"]
        if strongest["indicator_a"] == indicator_id
        else strongest["indicator_a"]
    )
    rho = float(strongest["spearman_rho"])
    return {"most_correlated_with": other, "spearman_rho": rho, "redundant": abs(rho) >= threshold}


def _verdict(
    row: dict,
    *,
    minimum: int,
    completeness_threshold: float,
    reliability_threshold: float,
    alpha: float,
    expected_minimum: float,
) -> str:
    """The row's findings in words: fit for comparing teams, or what to be careful about."""
    cautions = []
    if row["completeness"] < completeness_threshold:
        cautions.append(
            f"values for {row['completeness']:.0%} of team-months "
            f"({row['teams']} of {row['teams_total']} teams report it)"
        )
    if np.isnan(row["annual_reliability"]):
        cautions.append("stability not assessed (too few complete teams)")
    elif row["annual_reliability"] < reliability_threshold:
        cautions.append(
            f"team differences change from month to month (reliability of a year's mean "
            f"{row['annual_reliability']:.2f})"
        )
    if np.isnan(row["p_value"]):
        cautions.append(
            f"discrimination not assessed (a {row['value_type']}: the funnel plot and the "
            f"chi-squared test need a proportion or a rate)"
        )
    elif row["p_value"] >= alpha:
        cautions.append(f"teams do not differ beyond chance (p = {row['p_value']:.2g})")
    if row["redundant"]:
        cautions.append(
            f"repeats {row['most_correlated_with']} (Spearman rho {row['spearman_rho']:.2f})"
        )
    notes = []
    if row["small_teams"]:
        notes.append(
            f"{row['small_teams']} team(s) with fewer than {minimum} staff (suppressed in reports)"
        )
    if not pd.isna(row["small_expected"]) and row["small_expected"]:
        notes.append(
            f"{row['small_expected']} team(s) expecting fewer than {expected_minimum:g} "
            f"events in the year (their intervals are wide)"
        )
    if cautions:
        verdict = "Use with care: " + "; ".join(cautions) + "."
    else:
        verdict = (
            f"Fit for comparing teams: complete, stable (reliability "
            f"{row['annual_reliability']:.2f}), teams differ beyond chance (phi "
            f"{row['phi']:.1f}), not redundant."
        )
    return verdict + (f" Note: {'; '.join(notes)}." if notes else "")
