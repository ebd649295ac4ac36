"""Composite indices (JRC/OECD Handbook) with their uncertainty and sensitivity analysis.

Reference numbers are hand calculations (shown beside each check), R 4.x output (the call is
quoted) and the Ishigami function's analytic Sobol indices.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.indicators import composite_figures, values
from analysis.indicators.composite import (
    CompositeIndex,
    composite_index,
    normalise,
    pca_weights,
    sobol_indices,
    winsorise,
)

POLARITY = {"x": "high_is_good", "y": "low_is_good"}


def _tidy(columns: dict[str, list[float]], teams: str = "ABCD") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit": team, "indicator_id": name, "value": value}
            for name, column in columns.items()
            for team, value in zip(teams, column, strict=True)
        ]
    )


# A tiny table: x high is good, y low is good.
TINY = _tidy({"x": [2, 4, 6, 10], "y": [30, 20, 10, 25]})


def test_min_max_z_score_and_rank_by_hand():
    wide = pd.DataFrame({"x": [2.0, 4, 6, 10], "minus_y": [-30.0, -20, -10, -25]})
    # min-max: 100 (x - 2) / (10 - 2) = 0, 25, 50, 100; -y: 100 (-y + 30) / 20 = 0, 50, 100, 25
    assert normalise(wide, "min_max")["x"].tolist() == [0, 25, 50, 100]
    assert normalise(wide, "min_max")["minus_y"].tolist() == [0, 50, 100, 25]
    # z-score: mean 5.5, sd sqrt(35 / 3); R: scale(c(2, 4, 6, 10))[, 1]
    expected = [-1.0246950766, -0.4391550328, 0.1463850109, 1.3174650985]
    assert normalise(wide, "z_score")["x"].to_numpy() == pytest.approx(expected, abs=1e-10)
    # rank: lowest 1; R: rank(c(-30, -20, -10, -25)) = 1 3 4 2
    assert normalise(wide, "rank")["minus_y"].tolist() == [1, 3, 4, 2]
    with pytest.raises(ValueError, match=r"\['flat'\] have the same value"):
        normalise(wide.assign(flat=1.0), "min_max")
    with pytest.raises(ValueError, match="method must be one of"):
        normalise(wide, "decimal")


def test_arithmetic_and_geometric_composites_by_hand():
    arithmetic = composite_index(TINY, POLARITY, samples=100)
    scores = arithmetic.scores.set_index("team")
    # equal weights on min-max: A (0 + 0) / 2 = 0, B (25 + 50) / 2 = 37.5, C 75, D 62.5
    assert scores["composite"].to_dict() == pytest.approx({"A": 0, "B": 37.5, "C": 75, "D": 62.5})
    assert scores["rank"].to_dict() == {"A": 4, "B": 3, "C": 1, "D": 2}
    assert arithmetic.scores["team"].tolist() == ["C", "D", "B", "A"]  # best first

    geometric = composite_index(TINY, POLARITY, aggregation="geometric", samples=100)
    # shifted to start at 1: x 1, 26, 51, 101 and -y 1, 51, 101, 26; geometric mean of each
    # team's two: A 1, B sqrt(26 x 51) = 36.414283, C sqrt(51 x 101) = 71.770467,
    # D sqrt(101 x 26) = 51.244512 - each below its arithmetic mean (13.5, 38.5, 76, 63.5)
    expected = {"A": 1.0, "B": 36.414283, "C": 71.770467, "D": 51.244512}
    got = geometric.scores.set_index("team")["composite"].to_dict()
    assert got == pytest.approx(expected, abs=1e-6)


def test_expert_weights_are_rescaled_to_sum_to_one():
    index = composite_index(TINY, POLARITY, weights={"x": 3, "y": 1}, samples=100)
    # weights 0.75 and 0.25 on min-max: B 0.75 x 25 + 0.25 x 50 = 31.25, D 75 + 6.25 = 81.25
    assert index.indicators.set_index("indicator")["weight"].to_dict() == {"x": 0.75, "y": 0.25}
    scores = index.scores.set_index("team")["composite"]
    assert scores["B"] == pytest.approx(31.25) and scores["D"] == pytest.approx(81.25)
    assert index.scores["team"].tolist() == ["D", "C", "B", "A"]


def test_pca_weights_match_r_prcomp():
    wide = pd.DataFrame(
        {"a": [2, 4, 6, 10, 3, 7], "b": [30, 20, 10, 25, 28, 12], "c": [5, 9, 4, 8, 6, 7]},
        dtype=float,
    )
    # R: m <- cbind(a = c(2, 4, 6, 10, 3, 7), b = c(30, 20, 10, 25, 28, 12),
    #               c = c(5, 9, 4, 8, 6, 7)); prcomp(m, scale. = TRUE)$rotation[, 1]^2
    expected = [0.5558716461, 0.2932271732, 0.1509011808]
    assert pca_weights(wide).to_numpy() == pytest.approx(expected, abs=1e-9)
    assert pca_weights(wide).sum() == pytest.approx(1)


def test_winsorise_follows_coinr():
    # COINr's own example: x <- c(1:10, 30, 100). With COINr's skew() and kurt() (e1071
    # type 2) R gives skewness 3.063241034 and kurtosis 9.741390835: it fails |skew| >= 2 and
    # kurt >= 3.5, so the 100 becomes the next highest value, 30. Then skewness is
    # 1.712038060 (kurtosis 1.815780538): it passes after one point.
    x = np.array([*range(1, 11), 30, 100], dtype=float)
    treated, changed = winsorise(x)
    assert changed == 1
    assert treated.tolist() == [*range(1, 11), 30, 30]
    # with both thresholds at 1.5 the two tied 30s fail too and become 10 together
    # (3 points in all; R: skew(c(1:10, 10, 10)) = -0.2679180244 passes)
    treated, changed = winsorise(x, skew_threshold=1.5, kurtosis_threshold=1.5)
    assert changed == 3 and treated.tolist() == [*range(1, 11), 10, 10]
    # the limit stops it: one point only, even though the result still fails
    assert winsorise(x, skew_threshold=1.5, kurtosis_threshold=1.5, max_winsorised=1)[1] == 1


def test_composite_reports_outlier_treatment():
    rng = np.random.default_rng(3)
    x = [*rng.normal(50, 5, 11), 150.0]  # one far outlier among 12 teams
    y = list(rng.normal(10, 2, 12))
    data = _tidy({"x": x, "y": y}, teams="ABCDEFGHIJKL")
    index = composite_index(data, POLARITY, samples=100)
    rows = index.indicators.set_index("indicator")
    assert rows.loc["x", "winsorised"] >= 1 and rows.loc["x", "skewness"] >= 2
    assert rows.loc["x", "skewness_treated"] < rows.loc["x", "skewness"]
    assert rows.loc["y", "winsorised"] == 0
    assert rows.loc["y", "outliers"] == "none needing treatment"
    untreated = composite_index(data, POLARITY, treat_outliers=False, samples=100)
    assert untreated.indicators["winsorised"].tolist() == [0, 0]
    # Winsorising pulls L's 150 in to the next highest x: that team (the runner-up) now
    # shares the top min-max score of 100 with L, where untreated it was squeezed far below
    runner_up = "ABCDEFGHIJK"[int(np.argmax(x[:11]))]
    treated_scores = index.scores.set_index("team")["composite"]
    untreated_scores = untreated.scores.set_index("team")["composite"]
    assert treated_scores[runner_up] > untreated_scores[runner_up] + 20


def test_sobol_indices_reproduce_ishigami_analytic_values():
    # Ishigami & Homma (1990), a = 7, b = 0.1, X ~ U(-pi, pi)^3. Analytic indices (Saltelli
    # et al. 2008, Global Sensitivity Analysis: The Primer, section 4.4): S1 0.3139,
    # S2 0.4424, S3 0; ST1 0.5576, ST2 0.4424, ST3 0.2437.
    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    rng = np.random.default_rng(1)
    a = rng.uniform(-np.pi, np.pi, (200_000, 3))
    b = rng.uniform(-np.pi, np.pi, (200_000, 3))
    firsts, totals = [], []
    for factor in range(3):
        ab = a.copy()
        ab[:, factor] = b[:, factor]
        first, total = sobol_indices(ishigami(a), ishigami(b), ishigami(ab))
        firsts.append(float(first))
        totals.append(float(total))
    assert firsts == pytest.approx([0.3139, 0.4424, 0.0], abs=0.02)
    assert totals == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.02)


def test_uncertainty_analysis_is_reproducible_with_a_seed():
    rng = np.random.default_rng(7)
    data = _tidy({name: list(rng.normal(0, 1, 10)) for name in ("x", "y", "z")}, teams="ABCDEFGHIJ")
    polarity = {"x": "high_is_good", "y": "low_is_good", "z": "high_is_good"}
    first = composite_index(data, polarity, seed=11)
    again = composite_index(data, polarity, seed=11)
    other = composite_index(data, polarity, seed=12)
    pd.testing.assert_frame_equal(first.scores, again.scores)
    pd.testing.assert_frame_equal(first.sensitivity, again.sensitivity)
    assert not first.sensitivity["first_order"].equals(other.sensitivity["first_order"])
    # the reference composite does not depend on the seed
    pd.testing.assert_series_equal(first.scores["composite"], other.scores["composite"])


def test_a_choice_that_never_varies_explains_nothing():
    rng = np.random.default_rng(5)
    data = _tidy({name: list(rng.normal(0, 1, 10)) for name in ("x", "y", "z")}, teams="ABCDEFGHIJ")
    polarity = {"x": "high_is_good", "y": "high_is_good", "z": "high_is_good"}
    index = composite_index(data, polarity, weight_perturbation=0)
    choices = index.sensitivity.set_index("choice")
    # weights times exactly 1: swapping them between scenarios changes no rank
    assert choices.loc["weights", "first_order"] == 0
    assert choices.loc["weights", "total_effect"] == 0
    assert choices.loc["indicator_set", "total_effect"] > 0
    assert list(choices.index) == ["normalisation", "weights", "aggregation", "indicator_set"]


def test_teams_in_the_same_order_on_every_indicator_have_certain_ranks():
    # A is best on both indicators, D worst: no choice can change the order
    data = _tidy({"x": [9, 7, 4, 1], "y": [1, 2, 5, 8]})
    index = composite_index(data, POLARITY, samples=200)
    scores = index.scores
    assert (scores["rank_p05"] == scores["rank"]).all()
    assert (scores["rank_p95"] == scores["rank"]).all()
    assert scores["team"].tolist() == ["A", "B", "C", "D"]
    assert (scores["most_influential_choice"] == "none").all()
    assert index.sensitivity["first_order"].isna().all()
    assert composite_figures.sensitivity_finding(index.sensitivity) == (
        "No choice changes any team's rank"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"polarity": {"x": "high_is_good", "y": "no_judgement"}}, "'y' has polarity"),
        ({"polarity": {"x": "high_is_good"}}, r"no entry for indicators \['y'\]"),
        ({"normalisation": "decimal"}, "normalisation must be one of"),
        ({"aggregation": "harmonic"}, "aggregation must be one of"),
        ({"weights": "budget"}, "weights must be 'equal', 'pca' or a mapping"),
        ({"weights": {"x": 1}}, r"missing \['y'\]"),
        ({"weights": {"x": 1, "y": -1}}, "weights must be numbers > 0"),
        ({"samples": 10}, "samples must be a whole number >= 100"),
        ({"weight_perturbation": 1.5}, "weight_perturbation must be"),
        ({"value": "score"}, r"no column\(s\) \['score'\]"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(change, message):
    arguments = {"polarity": POLARITY, **change}
    polarity = arguments.pop("polarity")
    with pytest.raises(ValueError, match=message):
        composite_index(TINY, polarity, **arguments)


def test_missing_values_and_duplicates_name_the_team_and_indicator():
    gap = TINY[~((TINY["unit"] == "B") & (TINY["indicator_id"] == "y"))]
    with pytest.raises(ValueError, match=r"missing or infinite for 'B' \(y\)"):
        composite_index(gap, POLARITY)
    twice = pd.concat([TINY, TINY.iloc[[0]]])
    with pytest.raises(ValueError, match="team 'A' has 2 rows for indicator 'x'"):
        composite_index(twice, POLARITY)
    with pytest.raises(ValueError, match="at least 4 teams"):
        composite_index(TINY[TINY["unit"] != "D"], POLARITY)


@pytest.fixture(scope="module")
def demo_composite(demo_data):
    package = load_data_package(demo_data)
    model = package.indicators
    annual = values.indicator_table(
        package.indicator_values, package.teams, model, level="team", period="year"
    )
    published = values.suppress_small_teams(annual, model, package.description.minimum_group_size)
    chosen = ["sickness_absence", "turnover", "vacancies", "appraisal_completion"]
    chosen.append("mandatory_training")
    rows = published[(published["period"] == "2008") & published["indicator_id"].isin(chosen)]
    hidden = rows.loc[rows["suppressed"], "unit"].unique()
    rows = rows[~rows["unit"].isin(hidden)]
    started = time.perf_counter()
    index = composite_index(rows, {i.id: i.polarity for i in model.indicators})
    return index, rows, time.perf_counter() - started


@pytest.mark.slow
def test_demo_composite_runs_fast_and_gives_sensible_intervals(demo_composite):
    index, rows, seconds = demo_composite
    assert isinstance(index, CompositeIndex)
    assert seconds < 2  # 1,000 base samples: 6,000 scenarios
    scores = index.scores
    teams = rows["unit"].nunique()
    assert len(scores) == teams > 20
    assert sorted(scores["rank"]) == list(range(1, teams + 1))
    assert (scores["rank_p05"] <= scores["median_rank"]).all()
    assert (scores["median_rank"] <= scores["rank_p95"]).all()
    assert scores["rank_p05"].min() >= 1 and scores["rank_p95"].max() <= teams
    # the reference choices are one of the scenarios: most teams' reference rank is inside
    # their own interval
    inside = (scores["rank"] >= scores["rank_p05"]) & (scores["rank"] <= scores["rank_p95"])
    assert inside.mean() > 0.9
    sensitivity = index.sensitivity
    assert (sensitivity["total_effect"] >= sensitivity["first_order"] - 0.05).all()
    assert sensitivity["first_order"].sum() <= 1.05  # shares of one variance (plus noise)
    assert (sensitivity["total_effect"] > 0).all()


def test_demo_composite_figures_state_their_finding(demo_composite):
    index, _, _ = demo_composite
    finding = composite_figures.rank_uncertainty_finding(index.scores)
    assert finding.startswith("Team ranks span a median of")
    figure = composite_figures.rank_uncertainty_chart(index.scores)
    axes = figure.axes[0]
    assert axes.get_title(loc="left") == finding
    assert axes.get_xlabel() == "Rank among teams (1 = best)"
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert (
        labels == index.scores.sort_values(["median_rank", "rank"], kind="stable")["team"].tolist()
    )
    figure = composite_figures.sensitivity_chart(index.sensitivity)
    top = index.sensitivity.loc[index.sensitivity["total_effect"].idxmax(), "choice"]
    assert figure.axes[0].get_title(loc="left").startswith(composite_figures.CHOICE_LABELS[top])
    assert figure.axes[0].get_xlabel() == "Share of the variance of teams' ranks (%)"
