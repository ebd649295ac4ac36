"""Difference-in-differences against R (lm + sandwich::vcovCL), statsmodels and wildboottest.

The survey panel below is built by a formula (no random numbers), so R and this file see the
same 360 respondents (6 units x 4 years x 15), written to CSV for R. References:

* R 4.2.2, sandwich 3.0-2, lmtest 0.9-40::

    d$D <- as.numeric(d$unit %in% c("A", "B") & d$year >= 2005)
    fit <- lm(positive ~ factor(unit) + factor(year) + D, data = d)
    V <- vcovCL(fit, cluster = ~unit, type = "HC1")
    coeftest(fit, vcov = V, df = 5)["D", ]; coefci(fit, vcov = V, df = 5)["D", ]

* wildboottest 0.3.2 (Python port of fwildclusterboot), ``WildboottestCL(X, Y, cluster, R)``,
  ``get_scores(bootstrap_type="11", impose_null=True)`` with its weight matrix ``v`` set to all
  6^6 = 46656 Webb weight vectors, then the share of bootstrap |t*| >= |t|. Its bootstrap t
  statistics agreed with this package's to 1.3e-14 on every one of the 46656 draws.
"""

import time

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.evaluation import (
    WEBB_WEIGHTS,
    difference_in_differences,
    group_trends,
    placebo_difference_in_differences,
    pre_post_means,
    webb_weight_draws,
)

TREATED = ["A", "B"]


def survey_panel(balanced: bool = True) -> pd.DataFrame:
    """Six units, 2003-2006, 15 respondents a year; A and B targeted from 2005 (+4 in 20)."""
    rows = []
    for u, unit in enumerate("ABCDEF"):
        for year in range(2003, 2007):
            for r in range(15):
                if not balanced and (r + u + year) % 4 == 0 and r > 5:
                    continue
                score = (r * 37 + u * 11 + (year - 2003) * 7 + u * r * 3) % 20
                threshold = 8 + u + (year - 2003) + 4 * (unit in TREATED and year >= 2005)
                rows.append({"unit": unit, "year": year, "positive": int(score < threshold)})
    return pd.DataFrame(rows)


def cluster_t(design: np.ndarray, y: np.ndarray, clusters: np.ndarray) -> float:
    """CR1 t statistic of the last coefficient, straight from the sandwich's definition."""
    n, k = design.shape
    groups = np.unique(clusters)
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    residuals = y - design @ beta
    bread = np.linalg.inv(design.T @ design)
    meat = sum(
        np.outer(design[clusters == g].T @ residuals[clusters == g],
                 design[clusters == g].T @ residuals[clusters == g])
        for g in groups
    )  # fmt: skip
    c = len(groups) / (len(groups) - 1) * (n - 1) / (n - k)
    return beta[-1] / np.sqrt(c * (bread @ meat @ bread)[-1, -1])


def loop_bootstrap_p_value(data, treated, first_year, weights):
    """The WCR bootstrap one draw at a time: refit the full model on every bootstrap sample."""
    clusters = pd.factorize(data["unit"], sort=True)[0]
    fixed = pd.get_dummies(data[["unit"]].astype(str), drop_first=True).join(
        pd.get_dummies(data["year"].astype(str), prefix="y", drop_first=True)
    )
    z = np.column_stack([np.ones(len(data)), fixed.to_numpy(float)])
    d = (data["unit"].isin(treated) & (data["year"] >= first_year)).to_numpy(float)
    design = np.column_stack([z, d])
    y = data["positive"].to_numpy(float)
    restricted_fit = z @ np.linalg.lstsq(z, y, rcond=None)[0]
    restricted_residuals = y - restricted_fit
    t_observed = cluster_t(design, y, clusters)
    t_boot = [
        cluster_t(design, restricted_fit + v[clusters] * restricted_residuals, clusters)
        for v in weights
    ]
    return np.mean(np.abs(t_boot) >= abs(t_observed) * (1 - 1e-10))


def test_balanced_panel_matches_the_two_by_two_means_and_r_vcovcl():
    data = survey_panel()
    row = difference_in_differences(data, "positive", "unit", "year", TREATED, 2005).iloc[0]
    # By hand (balanced cells, so the two-way fixed effects estimate is the 2 x 2 difference
    # of means): targeted 0.233333 -> 0.85, comparison 0.583333 -> 0.683333;
    # (0.85 - 0.233333) - (0.683333 - 0.583333) = 0.516667. R: 0.51666666666666794
    means = (
        data.assign(t=data["unit"].isin(TREATED), after=data["year"] >= 2005)
        .groupby(["t", "after"])["positive"]
        .mean()
    )
    by_hand = (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
    assert row["estimate"] == pytest.approx(by_hand, rel=1e-12)
    assert row["estimate"] == pytest.approx(0.51666666666666794, rel=1e-12)
    # R: Std. Error 0.30326948569280759, Pr(>|t|) 0.14917219116172584 (t on 5 df),
    # 2.5 % -0.26291236455803013, 97.5 % 1.29624569789136590
    assert row["std_error"] == pytest.approx(0.30326948569280759, rel=1e-10)
    assert row["p_value"] == pytest.approx(0.14917219116172584, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (-0.26291236455803013, 1.29624569789136590), rel=1e-10
    )
    assert (row["df"], row["n_respondents"], row["n_clusters"], row["n_treated_clusters"]) == (
        5, 360, 6, 2,
    )  # fmt: skip
    assert row["few_clusters"]


def test_unbalanced_panel_matches_r_and_statsmodels_clustered_ols():
    data = survey_panel(balanced=False)
    row = difference_in_differences(data, "positive", "unit", "year", TREATED, 2005).iloc[0]
    # R (306 respondents): 0.49961538461538413, SE 0.30769427388814885, p 0.16535902505118044,
    # CI -0.29133792677079617 1.29056869600156432
    assert row["n_respondents"] == 306
    assert row["estimate"] == pytest.approx(0.49961538461538413, rel=1e-12)
    assert row["std_error"] == pytest.approx(0.30769427388814885, rel=1e-10)
    assert row["p_value"] == pytest.approx(0.16535902505118044, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (-0.29133792677079617, 1.29056869600156432), rel=1e-10
    )
    # statsmodels: OLS with dummies, cov_type="cluster" (default correction), t on G - 1 df
    design = pd.get_dummies(data[["unit"]], drop_first=True).join(
        pd.get_dummies(data["year"].astype(str), prefix="y", drop_first=True)
    )
    design = sm.add_constant(design.astype(float))
    design["D"] = (data["unit"].isin(TREATED) & (data["year"] >= 2005)).astype(float)
    fit = sm.OLS(data["positive"].astype(float), design).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["unit"])[0]}, use_t=True
    )
    assert row["std_error"] == pytest.approx(fit.bse["D"], rel=1e-10)
    assert row["p_value"] == pytest.approx(fit.pvalues["D"], rel=1e-10)
    assert [row["ci_low"], row["ci_high"]] == pytest.approx(fit.conf_int().loc["D"].tolist())


def test_clusters_of_whole_units_match_r_vcovcl():
    # R: d$area <- c(A = "north", B = "south", C = "north", D = "south", E = "east",
    # F = "east")[d$unit]; vcovCL(fit, cluster = ~area, type = "HC1"); df = 3 - 1 = 2:
    # SE 0.31667755088058264, p 0.25537030191351434, CI -0.86293814413132885 1.86216891336209711
    data = survey_panel(balanced=False)
    areas = {"A": "north", "B": "south", "C": "north", "D": "south", "E": "east", "F": "east"}
    data["area"] = data["unit"].map(areas)
    row = difference_in_differences(
        data, "positive", "unit", "year", TREATED, 2005, cluster="area", bootstrap_reps=0
    ).iloc[0]
    assert (row["n_clusters"], row["n_treated_clusters"], row["df"]) == (3, 2, 2)
    assert row["std_error"] == pytest.approx(0.31667755088058264, rel=1e-10)
    assert row["p_value"] == pytest.approx(0.25537030191351434, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (-0.86293814413132885, 1.86216891336209711), rel=1e-10
    )
    data.loc[0, "area"] = "south"  # one respondent of unit A now in another cluster
    with pytest.raises(ValueError, match="unit 'A' spans several 'area' clusters"):
        difference_in_differences(data, "positive", "unit", "year", TREATED, 2005, cluster="area")


@pytest.mark.parametrize(
    "balanced, exceed",
    # wildboottest, all 46656 Webb vectors: balanced 4560 draws with |t*| >= |t| = 1.70366
    # (p = 0.09773662551440329); unbalanced 6922 with |t*| >= 1.62374 (p = 0.1483624828532236)
    [(True, 4560), (False, 6922)],
)
def test_enumerated_webb_bootstrap_matches_wildboottest(balanced, exceed):
    data = survey_panel(balanced)
    row = difference_in_differences(
        data, "positive", "unit", "year", TREATED, 2005, bootstrap_reps=6**6
    ).iloc[0]
    assert row["bootstrap_reps"] == 46656
    assert "all 46656 combinations" in row["bootstrap_weights"]
    assert row["bootstrap_p_value"] == pytest.approx(exceed / 46656, abs=1e-15)


def test_random_webb_bootstrap_is_reproducible_and_agrees_with_enumeration():
    data = survey_panel()
    first = difference_in_differences(data, "positive", "unit", "year", TREATED, 2005, seed=3)
    again = difference_in_differences(data, "positive", "unit", "year", TREATED, 2005, seed=3)
    p = first["bootstrap_p_value"].iloc[0]
    assert p == again["bootstrap_p_value"].iloc[0]
    assert first["bootstrap_reps"].iloc[0] == 9999
    # Monte Carlo error around the enumerated p = 4560 / 46656 = 0.0977:
    # sqrt(0.0977 * 0.9023 / 9999) = 0.00297; allow 4 of them
    assert abs(p - 4560 / 46656) < 4 * 0.00297
    # wildboottest's own random Webb draws (B = 99999, seeds 1 and 2): 0.09818, 0.09794
    assert abs(p - 0.09818) < 4 * 0.00297


def test_vectorised_bootstrap_equals_refitting_every_draw():
    # Four units (A targeted): 6^4 = 1296 <= 9999 draws, so every combination is enumerated.
    small = survey_panel().query("unit in ['A', 'B', 'C', 'D']")
    row = difference_in_differences(small, "positive", "unit", "year", ["A"], 2005).iloc[0]
    assert row["bootstrap_reps"] == 1296
    every = webb_weight_draws(4, 9999, seed=None)
    assert every.shape == (1296, 4) and np.unique(every, axis=0).shape[0] == 1296
    assert row["bootstrap_p_value"] == pytest.approx(
        loop_bootstrap_p_value(small, ["A"], 2005, every), abs=1e-15
    )
    # Random draws (six units, 300 draws with seed 5): the same weights, refitted one by one.
    data = survey_panel()
    row = difference_in_differences(
        data, "positive", "unit", "year", TREATED, 2005, bootstrap_reps=300, seed=5
    ).iloc[0]
    weights = webb_weight_draws(6, 300, seed=5)
    assert set(np.round(np.unique(weights), 12)) == set(np.round(WEBB_WEIGHTS, 12))
    assert row["bootstrap_p_value"] == pytest.approx(
        loop_bootstrap_p_value(data, TREATED, 2005, weights), abs=1e-15
    )


def test_webb_weights_have_mean_zero_and_variance_one():
    # (-sqrt(3/2), -1, -sqrt(1/2), sqrt(1/2), 1, sqrt(3/2)): mean 0, mean square (3+2+1)*2/2/6 = 1
    assert WEBB_WEIGHTS.mean() == pytest.approx(0, abs=1e-15)
    assert (WEBB_WEIGHTS**2).mean() == pytest.approx(1, rel=1e-15)


def test_placebo_uses_only_the_years_before_the_action_and_matches_r():
    # R: p <- subset(d, year < 2005); p$D <- as.numeric(p$unit %in% c("A","B") & p$year >= 2004)
    # same model: 0.033333333333333527, SE 0.076793794161413007, p 0.682334280817923577,
    # CI -0.16407139902758874 0.23073806569425578
    table = placebo_difference_in_differences(
        survey_panel(), "positive", "unit", "year", TREATED, 2005, placebo_year=2004
    )
    row = table.iloc[0]
    assert row["n_respondents"] == 180
    assert row["estimate"] == pytest.approx(0.033333333333333527, rel=1e-10)
    assert row["std_error"] == pytest.approx(0.076793794161413007, rel=1e-10)
    assert row["p_value"] == pytest.approx(0.682334280817923577, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (-0.16407139902758874, 0.23073806569425578), rel=1e-10
    )
    assert "placebo" in table.attrs["design"]


def test_pre_post_means_match_welch_t_test_in_r():
    table = pre_post_means(survey_panel(False), "positive", "unit", "year", TREATED, 2005)
    targeted = table.set_index("group").loc["targeted"]
    # Counts by hand from R's table(): targeted 26 + 26 before (5 + 7 positive = 12 of 52),
    # 25 + 25 after (20 + 22 = 42 of 50): 12/52 = 0.230769, 42/50 = 0.84
    assert (targeted["n_before"], targeted["n_after"]) == (52, 50)
    assert targeted["mean_before"] == pytest.approx(12 / 52, rel=1e-12)
    assert targeted["mean_after"] == pytest.approx(42 / 50, rel=1e-12)
    # R: t.test(after, before)$conf.int (Welch) for each group
    assert (targeted["ci_low"], targeted["ci_high"]) == pytest.approx(
        (0.45269779687617823, 0.76576374158536020), rel=1e-10
    )
    comparison = table.set_index("group").loc["comparison"]
    assert (comparison["ci_low"], comparison["ci_high"]) == pytest.approx(
        (-0.022578784382501719, 0.238265058892305759), rel=1e-10
    )


def test_group_trends_give_each_year_with_its_t_interval():
    trends = group_trends(survey_panel(False), "positive", "unit", "year", TREATED)
    assert len(trends) == 8
    row = trends.set_index(["group", "year"]).loc[("targeted", 2003)]
    # 5 positive of 26 (R table above); R: t.test(...)$conf.int 0.029969306533394437
    # 0.354646078081990279
    assert (row["n"], row["mean"]) == (26, pytest.approx(5 / 26, rel=1e-12))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (0.029969306533394437, 0.354646078081990279), rel=1e-10
    )


def test_four_thousand_respondents_in_forty_units_take_well_under_a_second_or_two():
    # 40 teams x 6 years, about 17 respondents per team-year; 10 teams targeted from 2006.
    index = np.arange(4000)
    data = pd.DataFrame(
        {
            "unit": [f"T{i % 40:02d}" for i in index],
            "year": 2003 + (index // 40) % 6,
            "positive": ((index * 7919) % 100 < 55).astype(int),
        }
    )
    started = time.perf_counter()
    row = difference_in_differences(
        data, "positive", "unit", "year", [f"T{i:02d}" for i in range(10)], 2006
    ).iloc[0]
    elapsed = time.perf_counter() - started
    assert row["n_clusters"] == 40 and row["bootstrap_reps"] == 9999
    assert not row["few_clusters"]
    # A draw-by-draw loop takes minutes; the vectorised bootstrap about 0.2 s on 2 cores.
    assert elapsed < 5


def test_missing_outcomes_are_left_out_and_counted():
    data = survey_panel()
    data["positive"] = data["positive"].astype(float)
    data.loc[[0, 1, 2], "positive"] = np.nan
    table = difference_in_differences(
        data, "positive", "unit", "year", TREATED, 2005, bootstrap_reps=0
    )
    assert table["n_respondents"].iloc[0] == 357 and table.attrs["n_dropped"] == 3
    assert np.isnan(table["bootstrap_p_value"].iloc[0]) and table["bootstrap_reps"].iloc[0] == 0


def test_bad_input_is_refused_with_a_helpful_message():
    data = survey_panel()
    with pytest.raises(ValueError, match="units not found in column 'unit': \\['Z'\\]"):
        difference_in_differences(data, "positive", "unit", "year", ["A", "Z"], 2005)
    with pytest.raises(ValueError, match="needs untargeted units"):
        difference_in_differences(data, "positive", "unit", "year", list("ABCDEF"), 2005)
    with pytest.raises(ValueError, match="the data cover 2003-2006"):
        difference_in_differences(data, "positive", "unit", "year", TREATED, 2007)
    with pytest.raises(ValueError, match="no column 'score'"):
        difference_in_differences(data, "score", "unit", "year", TREATED, 2005)
    with pytest.raises(ValueError, match="bootstrap_reps must be 0"):
        difference_in_differences(
            data, "positive", "unit", "year", TREATED, 2005, bootstrap_reps=-1
        )
    with pytest.raises(ValueError, match="no respondents in the targeted units before 2005"):
        difference_in_differences(
            data.query("not (unit in ['A', 'B'] and year < 2005)"),
            "positive", "unit", "year", TREATED, 2005,
        )  # fmt: skip
    with pytest.raises(ValueError, match="must be earlier than first_treated_year"):
        placebo_difference_in_differences(data, "positive", "unit", "year", TREATED, 2005, 2005)
    with pytest.raises(ValueError, match="no respondents in the targeted units from 2005"):
        pre_post_means(data.query("not (unit in ['A', 'B'] and year >= 2005)"), "positive",
                       "unit", "year", TREATED, 2005)  # fmt: skip
