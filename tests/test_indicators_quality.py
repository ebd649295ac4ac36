"""Indicator quality: completeness, stability, discrimination, redundancy, small teams.

Reference numbers are R 4.x output (the call is quoted beside each check) and hand
calculations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import indicator_specifications as specifications
from analysis.datapackage import load_data_package
from analysis.indicators import values
from analysis.indicators.quality import (
    indicator_correlations,
    indicator_quality,
    stability,
    team_homogeneity,
)


def test_team_homogeneity_of_proportions_matches_r_chisq_test():
    # R: x <- c(12, 30, 8, 20); n <- c(100, 150, 90, 110); chisq.test(cbind(x, n - x))
    # X-squared = 6.840738209, df = 3, p-value = 0.0771510025
    statistic, df, p_value = team_homogeneity([12, 30, 8, 20], [100, 150, 90, 110], "proportion")
    assert statistic == pytest.approx(6.840738209, abs=1e-8)
    assert df == 3
    assert p_value == pytest.approx(0.0771510025, abs=1e-9)


def test_team_homogeneity_of_rates_matches_r_chisq_test_with_p():
    # R: o <- c(5, 12, 20, 9); e <- c(100, 150, 200, 60); chisq.test(o, p = e / sum(e))
    # X-squared = 4.556521739, df = 3, p-value = 0.2073037473
    statistic, df, p_value = team_homogeneity([5, 12, 20, 9], [100, 150, 200, 60], "rate")
    assert statistic == pytest.approx(4.556521739, abs=1e-8)
    assert df == 3
    assert p_value == pytest.approx(0.2073037473, abs=1e-9)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([1, 2], [10, 10], "count"), "value_type must be"),
        (([1], [10], "rate"), "at least 2 teams"),
        (([1, -2], [10, 10], "rate"), "numerator must be >= 0"),
        (([1, np.nan], [10, 10], "rate"), "must not be missing"),
    ],
)
def test_team_homogeneity_refuses_bad_input(arguments, message):
    with pytest.raises(ValueError, match=message):
        team_homogeneity(*arguments)


def test_stability_from_the_two_way_anova_matches_r():
    table = pd.DataFrame(
        [[5, 6, 7], [8, 9, 9], [4, 4, 6], [7, 8, 10]], index=list("ABCD"), dtype=float
    )
    # R: d <- data.frame(team = factor(rep(c("A", "B", "C", "D"), each = 3)),
    #   month = factor(rep(1:3, 4)), value = c(5, 6, 7, 8, 9, 9, 4, 4, 6, 7, 8, 10))
    #   anova(lm(value ~ team + month, data = d))
    # team Mean Sq 10.972222222, Residuals Mean Sq 0.305555556; so
    # ICC(C,1) = (10.972222 - 0.305556) / (10.972222 + 2 x 0.305556) = 10.666667 / 11.583333
    #          = 0.9208633; a 12-month mean: 11.0503597 / 11.1294964 = 0.9928895
    icc, reliability = stability(table)
    assert icc == pytest.approx(10.666666667 / 11.583333333, abs=1e-9)
    assert reliability == pytest.approx(0.9928895, abs=1e-7)
    # a team with a missing month is left out; with only two complete teams nothing is said
    assert np.isnan(stability(table.iloc[:2])[0])
    gappy = table.copy()
    gappy.iloc[0, 0] = np.nan
    assert stability(gappy)[0] == pytest.approx(stability(table.iloc[1:])[0])


def test_spearman_correlations_match_r_with_pairwise_complete_teams():
    annual = pd.DataFrame(
        {
            "unit": list("ABCDEFG") * 3,
            "indicator_id": ["a"] * 7 + ["b"] * 7 + ["c"] * 7,
            "value": [1, 2, 3, 4, 5, 6, np.nan, 2, 1, 4, 3, 6, 5, 9, 6, 5, 4, 3, 2, 2, 1],
        }
    )
    # R: a <- c(1, 2, 3, 4, 5, 6, NA); b <- c(2, 1, 4, 3, 6, 5, 9); c3 <- c(6, 5, 4, 3, 2, 2, 1)
    #    cor(cbind(a, b, c3), method = "spearman", use = "pairwise.complete.obs")
    # a-b 0.8285714286, a-c3 -0.9856107606, b-c3 -0.9189562119
    pairs = indicator_correlations(annual).set_index(["indicator_a", "indicator_b"])
    assert pairs.loc[("a", "b"), "spearman_rho"] == pytest.approx(0.8285714286, abs=1e-9)
    assert pairs.loc[("a", "c"), "spearman_rho"] == pytest.approx(-0.9856107606, abs=1e-9)
    assert pairs.loc[("b", "c"), "spearman_rho"] == pytest.approx(-0.9189562119, abs=1e-9)
    assert pairs.loc[("a", "b"), "teams"] == 6 and pairs.loc[("b", "c"), "teams"] == 7
    assert pairs["redundant"].tolist() == [True, True, True]
    assert indicator_correlations(annual, threshold=0.9)["redundant"].tolist() == [
        False,
        True,
        True,
    ]


SPECIFICATIONS = """
objectives:
- {id: O1, name: Healthy workforce}
headcount_indicator: leavers
indicators:
- id: leavers
  name: Leavers
  definition: Leavers as a share of staff.
  rationale: Retention.
  objective: O1
  domain: Retention
  type: quantitative
  unit: '%'
  value_type: proportion
  numerator: Leavers
  numerator_source: ESR
  denominator: Staff
  denominator_source: ESR
  polarity: low_is_good
  frequency: monthly
  benchmark_method: confidence_interval
  benchmark_level: 95
  comparator: organisation
  roles: [R1]
  owner: HR
  disclosure: staff_denominator
  source: indicator_values
- id: audits
  name: Audits passed
  definition: Audits passed as a share of audits.
  rationale: Safety.
  objective: O1
  domain: Safety
  type: quantitative
  unit: '%'
  value_type: proportion
  numerator: Passed
  numerator_source: Audit
  denominator: Audits
  denominator_source: Audit
  polarity: high_is_good
  frequency: monthly
  benchmark_method: confidence_interval
  benchmark_level: 95
  comparator: organisation
  roles: [R1]
  owner: Governance
  disclosure: not_person_level
  source: indicator_values
"""


def _monthly() -> tuple[pd.DataFrame, specifications.PerformanceModel]:
    """Four teams over 24 months; team D has no audits in its last 12 months."""
    model = specifications.parse_indicator_specifications(SPECIFICATIONS)
    rng = np.random.default_rng(8)
    months = pd.period_range("2007-01", "2008-12", freq="M")
    staff = {"A": 40, "B": 60, "C": 8, "D": 50}
    passing = {"A": 0.5, "B": 0.6, "C": 0.7, "D": 0.95}
    rows = []
    for team, size in staff.items():
        for month in months:
            rows.append(("leavers", team, month, rng.binomial(size, 0.02), size))
            if team == "D" and month.year == 2008:
                continue
            rows.append(("audits", team, month, rng.binomial(40, passing[team]), 40))
    monthly = pd.DataFrame(
        rows, columns=["indicator_id", "unit", "period", "numerator", "denominator"]
    )
    monthly["value"] = monthly["numerator"] / monthly["denominator"] * 100
    monthly["staff"] = np.where(
        monthly["indicator_id"] == "leavers", monthly["denominator"], np.nan
    )
    return monthly, model


def test_quality_table_on_a_small_organisation():
    monthly, model = _monthly()
    quality = indicator_quality(monthly, model, year=2007, minimum=11).set_index("indicator_id")
    assert list(quality.index) == ["leavers", "audits"]
    # audits: 3 teams x 24 months + 12 months of D, over 4 teams x 24 months = 84 / 96
    assert quality.loc["audits", "completeness"] == pytest.approx(84 / 96)
    assert quality.loc["leavers", "completeness"] == 1
    # audit pass rates differ by design (50% to 95%): beyond chance, stable month to month
    assert quality.loc["audits", "discriminates"]
    assert quality.loc["audits", "annual_reliability"] > 0.9
    # leavers are drawn at the same 2% everywhere: no real differences between teams, so
    # neither discrimination nor a stable ranking; team C has 8 staff (below 11) and expects
    # 8 x 12 x 2% = 1.9 leavers in the year (below 5)
    assert not quality.loc["leavers", "discriminates"]
    assert quality.loc["leavers", "annual_reliability"] < 0.7
    assert quality.loc["leavers", "small_teams"] == 1
    assert quality.loc["leavers", "small_expected"] == 1  # C; A expects 40 x 12 x 2% = 9.6
    assert quality.loc["audits", "small_teams"] == 0  # not about staff
    verdict = quality.loc["leavers", "verdict"]
    assert verdict.startswith("Use with care: ")
    assert "teams do not differ beyond chance" in verdict
    assert "1 team(s) with fewer than 11 staff" in verdict
    assert (
        "values for 88% of team-months (4 of 4 teams report it)"
        in (quality.loc["audits", "verdict"])
    )
    # two indicators: each is the other's most correlated
    assert quality.loc["leavers", "most_correlated_with"] == "audits"
    # the year asked for decides the comparison; 2008 leaves D out of the audits
    later = indicator_quality(monthly, model, year=2008, minimum=11).set_index("indicator_id")
    assert later.loc["audits", "df"] == 2 and quality.loc["audits", "df"] == 3


def _financial_year_monthly() -> pd.DataFrame:
    """Three teams, January 2007 to December 2008, whose April-to-March years differ.

    Audits (10 a month): A and C pass 5 every month; B passes 8 from April 2007 to March
    2008 (the financial year 2008) and 5 in every other month. Leavers: 1 a month in every
    team; A has 12 staff from April 2007 to March 2008 and 8 in every other month, B and C 20.
    """
    rows = []
    in_financial_2008 = set(pd.period_range("2007-04", "2008-03", freq="M"))
    for month in pd.period_range("2007-01", "2008-12", freq="M"):
        financial_2008 = month in in_financial_2008
        for team in "ABC":
            passed = 8 if team == "B" and financial_2008 else 5
            rows.append(("audits", team, month, passed, 10, np.nan))
            staff = (12 if financial_2008 else 8) if team == "A" else 20
            rows.append(("leavers", team, month, 1, staff, staff))
    monthly = pd.DataFrame(
        rows, columns=["indicator_id", "unit", "period", "numerator", "denominator", "staff"]
    )
    monthly["value"] = monthly["numerator"] / monthly["denominator"] * 100
    return monthly


def test_quality_compares_the_teams_over_the_report_years_window():
    monthly = _financial_year_monthly()
    model = specifications.parse_indicator_specifications(SPECIFICATIONS)
    financial = indicator_quality(
        monthly, model, year=2008, year_window="financial_year", minimum=11
    ).set_index("indicator_id")
    # April 2007 to March 2008, by hand: passed A 60, B 96, C 60 of 120 each; pooled
    # 216/360 = 0.6, expected 72 passed and 48 failed per team;
    # chi2 = 2 * 12^2/72 + 24^2/72 + 2 * 12^2/48 + 24^2/48 = 4 + 8 + 6 + 12 = 30 on 2 df,
    # p = exp(-30 / 2) (the chi-squared survival function with 2 df is exp(-x/2))
    assert financial.loc["audits", "chi_squared"] == pytest.approx(30)
    assert financial.loc["audits", "df"] == 2
    assert financial.loc["audits", "p_value"] == pytest.approx(np.exp(-15))
    # A's 12 staff over the financial year are not fewer than 11
    assert financial.loc["leavers", "small_teams"] == 0
    calendar = indicator_quality(monthly, model, year=2008, minimum=11).set_index("indicator_id")
    # January to December 2008: passed A 60, B 3 x 8 + 9 x 5 = 69, C 60 of 120; pooled
    # 189/360, expected 63 and 57; chi2 = 2 * 3^2/63 + 6^2/63 + 2 * 3^2/57 + 6^2/57
    # = 54/63 + 54/57
    assert calendar.loc["audits", "chi_squared"] == pytest.approx(54 / 63 + 54 / 57)
    # A averages (3 x 12 + 9 x 8) / 12 = 9 staff in 2008: fewer than 11
    assert calendar.loc["leavers", "small_teams"] == 1
    # the default year is the latest window's: April 2008 onwards, 45 of 90 passed everywhere
    latest = indicator_quality(monthly, model, year_window="financial_year", minimum=11)
    assert latest.set_index("indicator_id").loc["audits", "chi_squared"] == pytest.approx(0)
    with pytest.raises(ValueError, match=r"no values in 2010's window \(April 2009 to March"):
        indicator_quality(monthly, model, year=2010, year_window="financial_year", minimum=11)


def test_quality_refuses_a_table_it_cannot_read():
    monthly, model = _monthly()
    with pytest.raises(ValueError, match=r"no column\(s\) \['staff'\]"):
        indicator_quality(monthly.drop(columns="staff"), model, minimum=11)
    with pytest.raises(ValueError, match=r"indicators \['sickness'\] of monthly"):
        indicator_quality(
            monthly.replace({"indicator_id": {"audits": "sickness"}}), model, minimum=11
        )
    with pytest.raises(ValueError, match="no values in 2003"):
        indicator_quality(monthly, model, year=2003, minimum=11)


@pytest.fixture(scope="module")
def demo_quality(demo_data):
    package = load_data_package(demo_data)
    model = package.indicators
    monthly = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="month"
    )
    annual = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="year"
    )
    quality = indicator_quality(monthly, model, year=2008, minimum=11)
    return quality.set_index("indicator_id"), annual, model


def test_demo_funnel_outliers_make_sickness_discriminating(demo_quality):
    quality, annual, model = demo_quality
    # the 2008 sickness funnel has teams outside the 99.8% limits (T32 and T41 low, see
    # tests/test_indicators_values.py): the quality check says the indicator separates teams
    funnel = values.indicator_funnel(annual, model["sickness_absence"], 2008)
    outliers = int(funnel["outlier"].sum())
    assert outliers >= 1
    sickness = quality.loc["sickness_absence"]
    assert sickness["funnel_outliers"] == outliers
    assert sickness["phi"] == pytest.approx(float(funnel["phi"].iloc[0]))
    assert sickness["discriminates"] and sickness["p_value"] < 1e-6
    # persistent team differences plus the Community Nursing shift: a reliable yearly mean
    assert sickness["annual_reliability"] > 0.7
    assert "teams do not differ" not in sickness["verdict"]


def test_demo_quality_finds_what_the_generator_planted(demo_quality):
    quality, _, _ = demo_quality
    # turnover has no team effect in the generator: nothing beyond chance, and few leavers
    turnover = quality.loc["turnover"]
    assert not turnover["discriminates"]
    assert turnover["small_expected"] > 20
    # patient contacts are recorded for clinical teams only (28 of 41)
    contacts = quality.loc["patient_contacts_per_wte"]
    assert contacts["teams"] < contacts["teams_total"] == 41
    assert contacts["completeness"] == pytest.approx(contacts["teams"] / 41)
    # complaints are counts: no denominator, so the funnel and the test are not applied
    complaints = quality.loc["complaints"]
    assert pd.isna(complaints["p_value"]) and complaints["discriminates"] is None
    assert "discrimination not assessed (a count:" in complaints["verdict"]
    assert (quality["completeness"] <= 1).all()
    assert quality["verdict"].str.len().gt(0).all()
