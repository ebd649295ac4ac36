"""Tests of indicator values, intervals, ratings, suppression, SPC and funnels."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.datapackage import load_data_package
from analysis.datapackage.indicator_specifications import parse_indicator_specifications
from analysis.indicators import values
from demo_generator.effects import (
    APPRAISAL_STEP_MONTH,
    COMPLAINTS_SPIKE,
    SICKNESS_SHIFT_MONTH,
    TRAINING_LAPSE,
)
from demo_generator.indicator_specs import indicator_specifications_text

MODEL = parse_indicator_specifications(indicator_specifications_text())


def _rows(indicator_id, team, numerators, denominators, start="2008-01"):
    months = pd.period_range(start, periods=len(numerators), freq="M")
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "team_id": team,
            "month": months,
            "numerator": np.asarray(numerators, dtype=float),
            "denominator": np.asarray(denominators, dtype=float),
        }
    )


TEAMS = pd.DataFrame({"team_id": ["A", "B"], "directorate": ["D", "D"]})


def test_rate_against_follows_polarity():
    low, high = np.array([1.0, 3.0, 5.0]), np.array([2.0, 6.0, 7.0])
    # intervals [1,2], [3,6], [5,7] against 4: below, containing, above
    assert values.rate_against(low, high, 4.0, "high_is_good").tolist() == [
        "worse",
        "similar",
        "better",
    ]
    assert values.rate_against(low, high, 4.0, "low_is_good").tolist() == [
        "better",
        "similar",
        "worse",
    ]
    assert values.rate_against(low, high, 4.0, "no_judgement").tolist() == [
        "lower",
        "similar",
        "higher",
    ]
    assert values.rate_against(low, high, np.nan, "low_is_good").tolist() == ["not compared"] * 3
    with pytest.raises(ValueError, match="polarity must be one of"):
        values.rate_against(low, high, 4.0, "up")


def test_yearly_proportion_sums_months_and_uses_wilson():
    data = pd.concat(
        [
            _rows("appraisal_completion", "A", [3, 2], [10, 10]),
            _rows("appraisal_completion", "B", [9, 9], [10, 10]),
            _rows("turnover", "A", [0, 0], [10, 10]),
            _rows("turnover", "B", [0, 0], [10, 10]),
        ]
    )
    table = values.indicator_table(data, TEAMS, MODEL, level="team", period="year")
    row = table[(table["indicator_id"] == "appraisal_completion") & (table["unit"] == "A")].iloc[0]
    # 5 / 20 = 25%; Wilson 95% for 5/20 is 11.19% to 46.87% (Newcombe 1998, PHE tools)
    assert row["value"] == pytest.approx(25.0)
    assert row["ci_low"] == pytest.approx(11.19, abs=0.01)
    assert row["ci_high"] == pytest.approx(46.87, abs=0.01)
    # target 75% is above the whole interval and high is good: worse
    assert row["comparison"] == 75.0 and row["rating"] == "worse"
    assert row["staff"] == 10  # average monthly denominator (staff due an appraisal)


def test_count_uses_byar_from_ten_events():
    data = _rows("complaints", "A", [14], [np.nan])
    table = values.indicator_table(data, TEAMS, MODEL, level="team", period="month")
    row = table.iloc[0]
    # Byar: 14 (1 - 1/126 - 1.96/(3 sqrt 14))^3 = 7.65; 15 (1 - 1/135 + 1.96/(3 sqrt 15))^3 = 23.49
    assert (row["value"], round(row["ci_low"], 2), round(row["ci_high"], 2)) == (14, 7.65, 23.49)
    assert row["rating"] == "not compared"  # benchmark_method none


def test_small_team_is_suppressed_with_a_partner_in_its_directorate():
    teams = pd.DataFrame({"team_id": list("ABC"), "directorate": ["D"] * 3})
    data = pd.concat(
        [
            _rows("turnover", "A", [1], [5]),
            _rows("turnover", "B", [2], [40]),
            _rows("turnover", "C", [3], [60]),
            _rows("complaints", "A", [2], [np.nan]),
        ]
    )
    table = values.indicator_table(data, teams, MODEL, level="team", period="month")
    gated = values.suppress_small_teams(table, MODEL, minimum=11)
    hidden = gated.set_index(["indicator_id", "unit"])["suppressed"]
    # A has 5 staff (primary); B (40) is the smallest other team (secondary); complaints are
    # not about staff, so A's complaints stay visible
    assert hidden[("turnover", "A")] and hidden[("turnover", "B")]
    assert not hidden[("turnover", "C")] and not hidden[("complaints", "A")]
    assert gated.loc[gated["suppressed"], "value"].isna().all()


@pytest.fixture(scope="module")
def demo():
    package = load_data_package("data/demo")
    return package, parse_indicator_specifications(indicator_specifications_text())


def test_demo_sickness_shift_in_community_nursing_is_found(demo):
    package, model = demo
    monthly = values.indicator_table(
        package.indicator_values, package.teams, model, level="directorate", period="month"
    )
    concern_after = {}
    for unit in monthly["unit"].unique():
        chart = values.indicator_spc(monthly, model["sickness_absence"], unit)
        after = chart["period"] >= pd.Period(SICKNESS_SHIFT_MONTH, "M")
        concern = chart["point_type"] == "special_cause_concern"
        concern_after[unit] = int((after & concern & chart["shift"]).sum())
    # Community Nursing: most of the 30 months from 2006-07 are a shift above the mean;
    # no other directorate has even half as many
    assert concern_after["Community Nursing"] >= 15
    others = [n for unit, n in concern_after.items() if unit != "Community Nursing"]
    assert concern_after["Community Nursing"] > 2 * max(others)


def test_demo_complaints_spike_is_an_astronomical_point(demo):
    package, model = demo
    team, month, count = COMPLAINTS_SPIKE
    monthly = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="month"
    )
    chart = values.indicator_spc(monthly, model["complaints"], team)
    special = chart[chart["point_type"] != "common_cause"]
    assert special["period"].astype(str).tolist() == [month]
    assert special["value"].iloc[0] == count
    assert special["special_cause_rule"].iloc[0] == "outside_limits"
    assert special["point_type"].iloc[0] == "special_cause_concern"


def test_demo_appraisal_step_is_improvement_unless_the_known_change_is_declared(demo):
    package, model = demo
    monthly = values.indicator_table(
        package.indicator_values, package.teams, model, level="directorate", period="month"
    )
    for unit in ("Community Nursing", "Children and Families"):
        # without the declared change (no rebase), every month after the step is special
        # cause improvement: the step itself, read as one process
        chart = values.indicator_spc(monthly, model["appraisal_completion"], unit, rebase=[])
        after = chart["period"] >= pd.Period(APPRAISAL_STEP_MONTH, "M")
        assert (chart.loc[after, "point_type"] == "special_cause_improvement").all(), unit
        # indicators.yml declares the step (action plans AP2005-1/-2): two processes, each
        # with its own limits; the new mean is the generator's 55% -> 80% step, about
        chart = values.indicator_spc(monthly, model["appraisal_completion"], unit)
        assert chart["segment"].tolist() == [0] * 39 + [1] * 33  # 2003-01..2006-03, 2006-04..
        means = chart.groupby("segment")["mean"].first()
        assert means[1] - means[0] == pytest.approx(25, abs=4)
        assert chart["recalculated_because"].iloc[39].startswith("action plan AP2005-")
        assert (chart["point_type"] != "common_cause").sum() < 20  # was 72 of 72 for CN
    chart = values.indicator_spc(monthly, model["appraisal_completion"], "Corporate Services")
    assert chart["segment"].eq(0).all()  # the changes name other directorates
    assert (chart["point_type"] != "special_cause_improvement").all()


def test_declared_changes_apply_to_the_unit_its_teams_or_every_chart():
    text = indicator_specifications_text().replace(
        "  source: indicator_values\n  recalculate_at:\n",
        "  source: indicator_values\n  recalculate_at:\n"
        "  - date: '2008-07'\n    reason: every chart\n",
        1,
    )
    model = parse_indicator_specifications(text)
    appraisal = model["appraisal_completion"]
    # Community Nursing's own change, then the one for every chart
    assert appraisal.changes_for("Community Nursing") == ("2006-04", "2008-07")
    assert appraisal.changes_for("T03", "Community Nursing") == ("2006-04", "2008-07")
    assert appraisal.changes_for("T30", "Therapies") == ("2008-07",)
    teams = pd.DataFrame({"team_id": ["A"], "directorate": ["Community Nursing"]})
    data = _rows("appraisal_completion", "A", [5, 6, 5, 8, 9, 8, 9, 8], [10] * 8, "2006-01")
    monthly = values.indicator_table(data, teams, model, level="team", period="month")
    chart = values.indicator_spc(monthly, appraisal, "A")
    # 2006-04 is in the data: a rebase there; 2008-07 is not, so it is skipped (as
    # NHSRplotthedots ignores rebase dates outside the data)
    assert chart["segment"].tolist() == [0, 0, 0, 1, 1, 1, 1, 1]
    # segment 0: 50, 60, 50 -> mean 53.33, moving ranges 10, 10 -> limits 53.33 -/+ 26.6;
    # segment 1: 80, 90, 80, 90, 80 -> mean 84, moving ranges all 10 -> limits 84 -/+ 26.6,
    # the upper one 110.6 capped at 100 (a percentage); the moving range 60 -> 80 across
    # the change is not used
    first, second = chart.iloc[0], chart.iloc[3]
    assert (first["mean"], first["lpl"], first["upl"]) == pytest.approx(
        (53.333, 26.733, 79.933), abs=1e-3
    )
    assert second["mean"] == pytest.approx(84.0)
    assert second["lpl"] == pytest.approx(84 - 26.6)
    assert second["upl"] == 100.0


def test_count_chart_limits_are_floored_at_zero():
    # complaints 0, 3, 0, 3, ...: mean 1.5, moving range 3, lower limit 1.5 - 7.98 < 0
    data = _rows("complaints", "A", [0, 3] * 6, [np.nan] * 12)
    monthly = values.indicator_table(data, TEAMS, MODEL, level="team", period="month")
    chart = values.indicator_spc(monthly, MODEL["complaints"], "A")
    assert chart["lpl"].eq(0).all() and chart["near_lpl"].eq(0).all()
    assert chart["upl"].iloc[0] == pytest.approx(1.5 + 2.66 * 3)


def test_annualised_turnover_is_leavers_in_the_year_over_the_mean_headcount():
    # 12 months, headcount 90 to 112 (mean 101), 1 leaver a month: 12 / 101 = 11.88% a year,
    # not the pooled monthly rate 12 / 1212 = 0.99%
    heads = list(range(90, 114, 2))
    data = _rows("turnover", "A", [1] * 12, heads)
    table = values.indicator_table(data, TEAMS, MODEL, level="team", period="year")
    row = table.iloc[0]
    assert row["denominator"] == pytest.approx(101)
    assert row["value"] == pytest.approx(1200 / 101)
    assert row["unit_of_measure"] == "% of staff in post, over 12 months"
    assert row["staff"] == 101  # the mean headcount decides disclosure control
    # 12 leavers is a count of events over 101 staff-years: Byar's interval (12 events, 95%),
    # 12 (1 - 1/108 - 1.96/(3 sqrt 12))^3 = 6.1935 and 13 (1 - 1/117 + 1.96/(3 sqrt 13))^3
    # = 20.9629 leavers, over 101 staff-years
    assert row["ci_low"] == pytest.approx(100 * 6.1935 / 101, abs=1e-3)
    assert row["ci_high"] == pytest.approx(100 * 20.9629 / 101, abs=1e-3)
    no_charts = pd.DataFrame(columns=["indicator_id", "unit", "variation_icon"])
    gated_table = values.suppress_small_teams(table, MODEL, minimum=11)
    card = values.scorecard(gated_table, no_charts, "2008", MODEL)
    assert card["unit_of_measure"].tolist() == ["% of staff in post, over 12 months"]
    monthly = values.indicator_table(data, TEAMS, MODEL, level="team", period="month")
    assert monthly["value"].iloc[0] == pytest.approx(100 / 90)  # a month's rate is a month's
    assert monthly["unit_of_measure"].iloc[0] == "% of staff in post, in the month"


def test_annualised_part_year_is_scaled_to_twelve_months():
    # 6 months of 100 staff with 1 leaver each: 6 leavers over 50 staff-years = 12% a year
    data = _rows("turnover", "A", [1] * 6, [100] * 6)
    table = values.indicator_table(data, TEAMS, MODEL, level="team", period="year")
    assert table["value"].iloc[0] == pytest.approx(12.0)


def test_default_charts_come_from_the_data_not_the_demo():
    summaries = {
        "organisation": pd.DataFrame(
            {"indicator_id": ["vacancies", "turnover"], "unit": ["Organisation"] * 2,
             "variation_icon": ["common_cause", "common_cause"]}
        ),
        "directorate": pd.DataFrame(
            {"indicator_id": ["turnover", "turnover"], "unit": ["Ops", "Care"],
             "variation_icon": ["concern_high", "common_cause"]}
        ),
        "team": pd.DataFrame(
            {"indicator_id": ["turnover", "turnover"], "unit": ["X1", "X2"],
             "variation_icon": ["improvement_low", "concern_high"]}
        ),
    }  # fmt: skip
    # the model's order (turnover before vacancies), organisation first, then directorates
    # with any special cause, then teams with a concern
    assert values.default_spc_charts(summaries, MODEL) == [
        ("turnover", "organisation", "Organisation"),
        ("turnover", "directorate", "Ops"),
        ("turnover", "team", "X2"),
        ("vacancies", "organisation", "Organisation"),
    ]


def test_spc_figure_names_are_safe_for_any_unit():
    name = values.spc_figure_name(7, "t", "team", "../Ünit <b>")
    assert name == "spc_07_t_team__nit_b"  # "../Ü" and " <" become "_"


def test_demo_funnel_reports_outliers_and_overdispersion(demo):
    package, model = demo
    annual = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="year"
    )
    result = values.indicator_funnel(annual, model["sickness_absence"], 2008)
    assert len(result) == 41 and result["adjusted"].all()  # phi > 1: limits widened
    # the 2008 sickness funnel flags T32 and T41 (both low, z below -3.09)
    assert result.loc[result["outlier"], "unit"].tolist() == ["T32", "T41"]
    assert (result.loc[result["outlier"], "z_adjusted"] < -3.09).all()
    curve = values.funnel_curve(result)
    assert (curve["lower_998"] < curve["lower_95"]).all()
    assert (curve["upper_95"] < curve["upper_998"]).all()
    with pytest.raises(ValueError, match="needs a proportion or a rate"):
        values.indicator_funnel(annual, model["complaints"], 2008)


def test_demo_readme_names_the_planted_special_causes_and_funnel_outlier():
    # data/demo/README.md, section 3, documents what the demo tests of this file look for
    text = Path("data/demo/README.md").read_text(encoding="utf-8")
    team, month, count = COMPLAINTS_SPIKE
    assert f"team {team} has **{count}** complaints in {month}" in text
    lapse_team, lapse_year, _ = TRAINING_LAPSE
    assert f"team {lapse_team} (Finance) lapses" in text
    assert "low outlier" in text and f"{lapse_year} funnel" in text


@pytest.mark.slow
def test_demo_training_lapse_is_the_only_funnel_outlier_and_a_special_cause(demo):
    package, model = demo
    team, year, drop = TRAINING_LAPSE
    annual = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="year"
    )
    result = values.indicator_funnel(annual, model["mandatory_training"], int(year))
    # 41 teams, little overdispersion (phi 1.62); the lapsed team alone is beyond 99.8%
    assert len(result) == 41 and result["phi"].iloc[0] == pytest.approx(1.62, abs=0.01)
    outliers = result[result["outlier"]]
    assert outliers["unit"].tolist() == [team]
    assert outliers["z_adjusted"].iloc[0] < -3.09  # qnorm(0.001): below the lower limit
    assert outliers["value"].iloc[0] < outliers["lower_998"].iloc[0]
    # README: 62.7% against 85.3% for the other teams pooled, about the planted 25 points
    assert outliers["value"].iloc[0] == pytest.approx(0.627, abs=0.0005)
    monthly = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="month"
    )
    chart = values.indicator_spc(monthly, model["mandatory_training"], team)
    in_year = chart["period"].astype(str).str.startswith(year)
    # every month of the lapse is a special cause concern (a shift below the mean, with
    # two-in-three and points below the lower process limit)
    assert (chart.loc[in_year, "point_type"] == "special_cause_concern").all()
    assert chart.loc[in_year, "outside_limits"].any()


def _model_with(indicator_id, **fields):
    content = yaml.safe_load(indicator_specifications_text())
    spec = next(i for i in content["indicators"] if i["id"] == indicator_id)
    spec.update(fields)
    return parse_indicator_specifications(yaml.safe_dump(content))


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        # R 4.2: prop.test(x, 100, correct = FALSE, conf.level = level)$conf.int
        # 10/100 at 95%: 0.0552 to 0.1744, below the organisation's 20%: better (low is good)
        # 30/100 at 95%: 0.2189 to 0.3958, above it: worse
        (95, ["better", "worse"]),
        # 10/100 at 99.8%: 0.0397 to 0.2301, and 30/100: 0.1810 to 0.4539; both hold 20%
        (99.8, ["similar", "similar"]),
    ],
)
def test_rating_uses_the_benchmark_level_and_the_organisation(level, expected):
    # turnover as a plain monthly proportion (not annualised), so a year pools the months
    model = _model_with(
        "turnover", benchmark_level=level, comparator="organisation", annualise=False
    )
    data = pd.concat([_rows("turnover", "A", [10], [100]), _rows("turnover", "B", [30], [100])])
    table = values.indicator_table(data, TEAMS, model, level="team", period="year")
    assert table["comparison"].tolist() == [20.0, 20.0]  # pooled 40 / 200
    assert table["rating"].tolist() == expected
    b_interval = {95: [21.89488529, 39.58485463], 99.8: [18.10162718, 45.38521031]}[level]
    assert table[["ci_low", "ci_high"]].iloc[1].tolist() == pytest.approx(b_interval)


def test_quintile_ratings_follow_polarity_as_phe_quantile():
    # Ten teams valued 1..10 in 2008: n / q = 2, so two teams per quintile. High is good:
    # quintile 1 holds the lowest values (phe_quantile invert = FALSE); low is good: the
    # highest (invert = TRUE); no judgement: the lowest, in words lowest..highest.
    value = list(range(1, 11)) + [1, 2, 3, 4] + [np.nan]
    period = ["2008"] * 10 + ["2007"] * 4 + ["2008"]
    high = values.quintile_ratings(value, period, "high_is_good").tolist()
    assert high[:10] == [
        "quintile 1 (worst)", "quintile 1 (worst)", "quintile 2 (worse)", "quintile 2 (worse)",
        "quintile 3 (middle)", "quintile 3 (middle)", "quintile 4 (better)",
        "quintile 4 (better)", "quintile 5 (best)", "quintile 5 (best)",
    ]  # fmt: skip
    # four teams in 2007 are too few for quintiles, and a missing value has none
    assert high[10:] == ["not compared"] * 5
    low = values.quintile_ratings(value, period, "low_is_good").tolist()
    assert low[0] == "quintile 5 (best)" and low[9] == "quintile 1 (worst)"
    neutral = values.quintile_ratings(value, period, "no_judgement").tolist()
    assert neutral[0] == "quintile 1 (lowest)" and neutral[9] == "quintile 5 (highest)"
    with pytest.raises(ValueError, match="polarity must be one of"):
        values.quintile_ratings(value, period, "up")


def test_indicator_table_rates_quintiles_among_teams_and_not_the_organisation():
    model = _model_with("appraisal_completion", benchmark_method="quintiles")
    teams = pd.DataFrame({"team_id": list("ABCDE"), "directorate": ["D"] * 5})
    appraised = {"A": 2, "B": 4, "C": 6, "D": 8, "E": 10}
    data = pd.concat([_rows("appraisal_completion", t, [x], [20]) for t, x in appraised.items()])
    table = values.indicator_table(data, teams, model, level="team", period="year")
    # 10% to 50%, high is good; five teams: one per quintile, A worst
    assert table["rating"].tolist() == [
        "quintile 1 (worst)", "quintile 2 (worse)", "quintile 3 (middle)",
        "quintile 4 (better)", "quintile 5 (best)",
    ]  # fmt: skip
    organisation = values.indicator_table(data, teams, model, level="organisation")
    assert organisation["rating"].tolist() == ["not compared"]
