"""Composite indices of team performance, always with their uncertainty and sensitivity.

A composite index condenses several indicators (a domain, or a role's profile) into one
score per team. Every step of its construction is a choice - how outliers are treated, how
indicators are put on a common scale, how they are weighted and combined, which indicators
are in - and the ranking of teams can depend on those choices as much as on performance.
Following the JRC/OECD *Handbook on Constructing Composite Indicators* (2008), this module
builds the index under reference choices and, in the same call, runs the handbook's
uncertainty and sensitivity analysis: a Monte Carlo over the alternative choices that
gives each team's rank interval and the share of rank variance due to each choice
(Saisana, Saltelli and Tarantola 2005). There is no way to get the scores without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "AGGREGATIONS",
    "NORMALISATIONS",
    "UNCERTAIN_CHOICES",
    "CompositeIndex",
    "CompositeOptions",
    "composite_index",
    "normalise",
    "pca_weights",
    "sobol_indices",
    "winsorise",
]

NORMALISATIONS = ("min_max", "z_score", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
POLARITIES = ("high_is_good", "low_is_good")
UNCERTAIN_CHOICES = ("normalisation", "weights", "aggregation", "indicator_set")
"""The input factors of the uncertainty analysis, in the order of the sensitivity table."""


@dataclass(frozen=True)
class CompositeOptions:
    """The validated choices of a composite index and of its uncertainty analysis.

    Parameters
    ----------
    normalisation
        The reference normalisation: ``"min_max"`` (0-100), ``"z_score"`` or ``"rank"``.
    weights
        ``"equal"``, ``"pca"`` (squared loadings of the first principal component), or a
        mapping from indicator to a positive weight (expert weights; rescaled to sum to 1).
    aggregation
        The reference aggregation: ``"arithmetic"`` or ``"geometric"`` (weighted means).
    treat_outliers
        Winsorise indicators whose skewness and kurtosis both pass the thresholds.
    skew_threshold, kurtosis_threshold
        An indicator needs treatment when ``|skewness| >= skew_threshold`` and
        ``kurtosis >= kurtosis_threshold`` (excess kurtosis); the JRC's 2 and 3.5.
    max_winsorised
        The most points Winsorised per indicator (COINr's ``winmax``, 5).
    weight_perturbation
        In the uncertainty analysis each weight is multiplied by a factor drawn uniformly
        from ``1 - weight_perturbation`` to ``1 + weight_perturbation`` (0 to below 1).
    samples
        The Monte Carlo base sample size ``N`` (at least 100): ``2N`` independent scenarios
        give the rank intervals; ``N (2 + 4)`` evaluations give the sensitivity indices.
    seed
        The random seed: the same seed gives the same intervals and indices.

    Raises
    ------
    ValueError
        If an option is invalid; the message names it.
    """

    normalisation: str = "min_max"
    weights: str | Mapping[str, float] = "equal"
    aggregation: str = "arithmetic"
    treat_outliers: bool = True
    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    max_winsorised: int = 5
    weight_perturbation: float = 0.25
    samples: int = 1000
    seed: int = 20080930

    def __post_init__(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(
                f"normalisation must be one of {', '.join(NORMALISATIONS)}; "
                f"got {self.normalisation!r}"
            )
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(
                f"aggregation must be one of {', '.join(AGGREGATIONS)}; got {self.aggregation!r}"
            )
        if isinstance(self.weights, str) and self.weights not in ("equal", "pca"):
            raise ValueError(
                f"weights must be 'equal', 'pca' or a mapping from indicator to weight; "
                f"got {self.weights!r}"
            )
        if not isinstance(self.weights, str | Mapping):
            raise ValueError(
                f"weights must be 'equal', 'pca' or a mapping from indicator to weight; "
                f"got {type(self.weights).__name__}"
            )
        if not isinstance(self.treat_outliers, bool | np.bool_):
            raise ValueError(f"treat_outliers must be True or False; got {self.treat_outliers!r}")
        for name in ("skew_threshold", "kurtosis_threshold"):
            if not _is_number(getattr(self, name)) or getattr(self, name) <= 0:
                raise ValueError(f"{name} must be a number > 0; got {getattr(self, name)!r}")
        if not _is_integer(self.max_winsorised) or self.max_winsorised < 0:
            raise ValueError(
                f"max_winsorised must be a whole number >= 0; got {self.max_winsorised!r}"
            )
        if not _is_number(self.weight_perturbation) or not 0 <= self.weight_perturbation < 1:
            raise ValueError(
                f"weight_perturbation must be a number from 0 to below 1 (a share of each "
                f"weight); got {self.weight_perturbation!r}"
            )
        if not _is_integer(self.samples) or self.samples < 100:
            raise ValueError(f"samples must be a whole number >= 100; got {self.samples!r}")
        if not _is_integer(self.seed):
            raise ValueError(f"seed must be a whole number; got {self.seed!r}")


@dataclass(frozen=True)
class CompositeIndex:
    """A composite index with its uncertainty and sensitivity analysis.

    Attributes
    ----------
    scores
        One row per team, best first (the table ``composite.csv``): ``team``,
        ``composite`` (the score under the reference choices), ``rank`` (1 = best),
        ``median_rank``, ``rank_p05`` and ``rank_p95`` (the 5th and 95th percentiles of
        the team's rank over the Monte Carlo scenarios), ``most_influential_choice`` (the
        choice with the largest total effect on this team's rank; ``none`` when its rank
        never changes).
    sensitivity
        One row per uncertain choice (:data:`UNCERTAIN_CHOICES`): ``choice``,
        ``alternatives`` (in words), ``first_order`` (the share of the variance of teams'
        ranks that the choice explains on its own) and ``total_effect`` (its share
        including interactions with the other choices).
    indicators
        One row per indicator: ``indicator``, ``polarity``, ``weight`` (reference),
        ``skewness``, ``kurtosis`` (before treatment), ``winsorised`` (points),
        ``skewness_treated``, ``kurtosis_treated`` and ``outliers`` (in words).
    options
        The choices used.
    """

    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    indicators: pd.DataFrame
    options: CompositeOptions


def composite_index(
    data: pd.DataFrame,
    polarity: Mapping[str, str],
    *,
    team: str = "unit",
    indicator: str = "indicator_id",
    value: str = "value",
    normalisation: str = "min_max",
    weights: str | Mapping[str, float] = "equal",
    aggregation: str = "arithmetic",
    treat_outliers: bool = True,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
    max_winsorised: int = 5,
    weight_perturbation: float = 0.25,
    samples: int = 1000,
    seed: int = 20080930,
) -> CompositeIndex:
    """Build a composite index of teams and its uncertainty and sensitivity analysis.

    Parameters
    ----------
    data
        A tidy table with one value per team and indicator (e.g. one period of
        :func:`analysis.indicators.values.indicator_table`). Every team needs a value of
        every indicator: drop teams with suppressed or missing values first.
    polarity
        Each indicator's polarity: ``high_is_good`` or ``low_is_good`` (an indicator
        without a judgement cannot be part of a composite: better is undefined).
    team, indicator, value
        The columns of ``data`` holding the team, the indicator and the value.
    normalisation, weights, aggregation, treat_outliers, skew_threshold,
    kurtosis_threshold, max_winsorised, weight_perturbation, samples, seed
        The reference choices and the Monte Carlo settings (:class:`CompositeOptions`).

    Returns
    -------
    CompositeIndex
        The scores with each team's rank interval, the sensitivity of ranks to each
        choice, and the indicators' weights and outlier treatment.

    Raises
    ------
    ValueError
        If an option is invalid, a column is missing, a team lacks an indicator's value,
        an indicator has no direction or does not vary, or there are fewer than 4 teams or
        2 indicators. The message names the team, the indicator or the option.

    Notes
    -----
    The steps of the JRC/OECD Handbook (2008), Part 1, steps 4-7:

    1. *Outliers* (step 4): an indicator with ``|skewness| >= 2`` and excess
       ``kurtosis >= 3.5`` (sample statistics, Excel's and e1071 type 2) is Winsorised by
       :func:`winsorise`, as COINr's ``Treat``.
    2. *Orientation*: values of ``low_is_good`` indicators are negated, so higher is
       always better.
    3. *Normalisation* (step 5): :func:`normalise`.
    4. *Weights* (step 6): equal, expert, or the squared loadings of the first principal
       component of the indicators' correlation matrix (:func:`pca_weights`).
    5. *Aggregation* (step 6): the weighted arithmetic mean ``sum w_i x_i``, or the
       weighted geometric mean ``prod x_i ** w_i``. The geometric mean needs positive
       values, so each normalised indicator is first shifted to start at 1
       (``x - min(x) + 1``): ranks stay ``1..n``, min-max scores become 1-101, z-scores
       ``z - min(z) + 1``.
    6. *Uncertainty and sensitivity analysis* (step 7; Saisana et al. 2005): four
       uncertain choices, drawn independently in each scenario - the normalisation
       (each of three equally likely), the weights (each reference weight multiplied by
       ``U(1 - p, 1 + p)``, then rescaled to sum to 1), the aggregation (each of two
       equally likely) and the indicator set (all indicators, or all but one, each of
       ``k + 1`` sets equally likely; the weights of the rest are rescaled). Each team's
       rank (1 = best; ties share the average rank) is computed in ``2N`` independent
       scenarios (the sample matrices ``A`` and ``B``) for the rank interval, and in the
       ``4N`` further scenarios of Saltelli's design (``A`` with one choice taken from
       ``B``) for the first-order and total-effect indices (:func:`sobol_indices`). The
       indices in the sensitivity table pool the teams: each is the sum over teams of
       the estimated partial variances over the sum of the teams' rank variances, so it
       is the share of all rank variance due to the choice.

    References
    ----------
    OECD and JRC (2008) *Handbook on Constructing Composite Indicators: Methodology and
    User Guide*. OECD Publishing, Paris. Saisana M., Saltelli A. and Tarantola S. (2005)
    Uncertainty and sensitivity analysis techniques as tools for the quality assessment of
    composite indicators. *JRSS A* 168:307-323. Saltelli A. et al. (2010) Variance based
    sensitivity analysis of model output: design and estimator for the total sensitivity
    index. *Computer Physics Communications* 181:259-270. Becker W. et al., COINr
    (R package): ``Treat``, ``winsorise``, ``check_SkewKurt``.

    Examples
    --------
    >>> data = pd.DataFrame({
    ...     "unit": list("ABCD") * 2,
    ...     "indicator_id": ["absence"] * 4 + ["training"] * 4,
    ...     "value": [4.0, 5.0, 6.0, 5.5, 90.0, 80.0, 70.0, 95.0],
    ... })
    >>> index = composite_index(
    ...     data, {"absence": "low_is_good", "training": "high_is_good"}, samples=200
    ... )
    >>> index.scores["team"].tolist()
    ['A', 'D', 'B', 'C']
    """
    options = CompositeOptions(
        normalisation=normalisation,
        weights=weights,
        aggregation=aggregation,
        treat_outliers=treat_outliers,
        skew_threshold=skew_threshold,
        kurtosis_threshold=kurtosis_threshold,
        max_winsorised=max_winsorised,
        weight_perturbation=weight_perturbation,
        samples=samples,
        seed=seed,
    )
    matrix = _team_by_indicator(data, team, indicator, value)
    names = list(matrix.columns)
    directions = _directions(names, polarity)

    treated, treatment = _treat(matrix, options)
    oriented = treated * np.where(directions == "low_is_good", -1.0, 1.0)
    normalised = np.stack([normalise(oriented, method).to_numpy() for method in NORMALISATIONS])
    reference_weights = _reference_weights(options.weights, oriented)
    log_positive = np.log(normalised - normalised.min(axis=1, keepdims=True) + 1.0)

    reference = _Scenarios.reference(options, len(names))
    reference_score = _scores(normalised, log_positive, reference_weights, reference)[0]
    reference_rank = _ranks(reference_score[None, :])[0]

    draws = _draw_scenarios(options, len(names))
    ranks = {
        key: _ranks(_scores(normalised, log_positive, reference_weights, scenarios))
        for key, scenarios in draws.items()
    }
    independent = np.vstack([ranks["A"], ranks["B"]])
    first, total = _pooled_indices(ranks)
    per_team_total = np.stack(
        [sobol_indices(ranks["A"], ranks["B"], ranks[c])[1] for c in UNCERTAIN_CHOICES]
    )
    varies = independent.var(axis=0) > 0
    driver = np.where(
        varies,
        np.asarray(UNCERTAIN_CHOICES)[np.argmax(np.nan_to_num(per_team_total, nan=-1), 0)],
        "none",
    )

    scores = pd.DataFrame(
        {
            "team": matrix.index,
            "composite": reference_score,
            "rank": reference_rank,
            "median_rank": np.median(independent, axis=0),
            "rank_p05": np.percentile(independent, 5, axis=0),
            "rank_p95": np.percentile(independent, 95, axis=0),
            "most_influential_choice": driver,
        }
    )
    scores = scores.sort_values(["rank", "team"], kind="stable").reset_index(drop=True)
    sensitivity = pd.DataFrame(
        {
            "choice": UNCERTAIN_CHOICES,
            "alternatives": _alternatives_in_words(options, names),
            "first_order": first,
            "total_effect": total,
        }
    )
    treatment.insert(1, "polarity", directions)
    treatment.insert(2, "weight", reference_weights)
    return CompositeIndex(scores, sensitivity, treatment, options)


def normalise(values: pd.DataFrame, method: str) -> pd.DataFrame:
    """Put each indicator (column) on a common scale, higher still meaning higher.

    Parameters
    ----------
    values
        Teams as rows, indicators as columns, no missing values.
    method
        ``"min_max"``: ``100 (x - min) / (max - min)``, 0 for the lowest team and 100 for
        the highest. ``"z_score"``: ``(x - mean) / sd`` with the sample standard deviation
        (``n - 1``), as R's ``scale``. ``"rank"``: the rank among teams, 1 for the lowest;
        ties share the average rank, as R's ``rank``.

    Returns
    -------
    pandas.DataFrame
        The normalised values, same shape and labels.

    Raises
    ------
    ValueError
        If the method is unknown or an indicator does not vary (it cannot be scaled).

    References
    ----------
    OECD and JRC (2008) *Handbook on Constructing Composite Indicators*, step 5 and
    Table 3.
    """
    if method not in NORMALISATIONS:
        raise ValueError(f"method must be one of {', '.join(NORMALISATIONS)}; got {method!r}")
    spread = values.max() - values.min()
    if (spread <= 0).any():
        flat = spread.index[spread <= 0].tolist()
        raise ValueError(f"indicators {flat} have the same value for every team: nothing to scale")
    if method == "min_max":
        return 100 * (values - values.min()) / spread
    if method == "z_score":
        return (values - values.mean()) / values.std(ddof=1)
    return values.rank(method="average")


def pca_weights(values: pd.DataFrame) -> pd.Series:
    """Statistical weights: squared loadings of the first principal component.

    Parameters
    ----------
    values
        Teams as rows, indicators as columns (oriented so that higher is better).

    Returns
    -------
    pandas.Series
        One weight per indicator, summing to 1.

    Notes
    -----
    The first eigenvector ``v`` of the indicators' correlation matrix (the first principal
    component of the standardised indicators) has unit length, so ``v_i ** 2`` sum to 1:
    each indicator is weighted by its share of the component that best summarises the
    indicators together. This is the one-factor case of the handbook's factor-analysis
    weights (step 6, after Nicoletti et al. 2000); indicators unrelated to the others get
    little weight, which is worth reading before accepting the weights.

    References
    ----------
    OECD and JRC (2008) *Handbook on Constructing Composite Indicators*, step 6.
    R: ``prcomp(x, scale. = TRUE)$rotation[, 1]^2``.
    """
    correlation = np.corrcoef(values.to_numpy(dtype=float), rowvar=False)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    first = eigenvectors[:, np.argmax(eigenvalues)]
    return pd.Series(first**2 / (first**2).sum(), index=values.columns, name="weight")


def winsorise(
    values: np.ndarray | pd.Series,
    *,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
    max_winsorised: int = 5,
) -> tuple[np.ndarray, int]:
    """Winsorise the most extreme values one at a time until skewness and kurtosis pass.

    Parameters
    ----------
    values
        One indicator's values across teams (at least 4).
    skew_threshold, kurtosis_threshold
        The values need treatment while ``|skewness| >= skew_threshold`` and
        ``kurtosis >= kurtosis_threshold``.
    max_winsorised
        The most points changed.

    Returns
    -------
    tuple of numpy.ndarray and int
        The treated values and the number of points Winsorised.

    Notes
    -----
    As COINr's ``winsorise``: while the values fail the check, the highest value (when
    skewness is >= 0) or the lowest (when it is < 0) is replaced by the next highest (or
    lowest) value; tied extremes are replaced together and each counts. Skewness and
    kurtosis are the sample statistics ``G1`` and ``G2`` (Excel's ``SKEW`` and ``KURT``,
    e1071's type 2; kurtosis is excess kurtosis, 0 for a normal distribution).

    References
    ----------
    OECD and JRC (2008) *Handbook on Constructing Composite Indicators*, step 4. Becker W.
    et al., COINr: ``R/treat.R`` (``winsorise``, ``check_SkewKurt``, ``skew``, ``kurt``).
    """
    treated = np.asarray(values, dtype=float).copy()
    changed = 0
    while changed < max_winsorised and _needs_treatment(
        treated, skew_threshold, kurtosis_threshold
    ):
        high = stats.skew(treated, bias=False) >= 0
        extreme = treated.max() if high else treated.min()
        at_extreme = treated == extreme
        rest = treated[~at_extreme]
        treated[at_extreme] = rest.max() if high else rest.min()
        changed += int(at_extreme.sum())
    return treated, changed


def sobol_indices(
    f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total-effect sensitivity indices from Saltelli's sampling design.

    Parameters
    ----------
    f_a, f_b
        The model output on the independent sample matrices ``A`` and ``B`` (``N`` rows;
        extra columns are separate outputs, e.g. one per team).
    f_ab
        The output on ``A`` with the factor (or group of factors) of interest taken from
        ``B``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(first_order, total_effect)``, one per output column; missing where the output
        does not vary.

    Notes
    -----
    With ``V`` the variance of the outputs of ``A`` and ``B`` together,
    ``S_i = mean(f_B (f_AB - f_A)) / V`` (Saltelli et al. 2010, eq. (b) of Table 2) and
    ``S_Ti = mean((f_A - f_AB)^2) / (2 V)`` (Jansen 1999). Both are Monte Carlo estimates:
    values slightly below 0 are noise around 0.

    References
    ----------
    Saltelli A. et al. (2010) *Computer Physics Communications* 181:259-270. Jansen M.J.W.
    (1999) Analysis of variance designs for model output. *Computer Physics
    Communications* 117:35-43.
    """
    variance = np.var(np.concatenate([f_a, f_b]), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(f_b * (f_ab - f_a), axis=0) / variance
        total = np.mean((f_a - f_ab) ** 2, axis=0) / (2 * variance)
    undefined = variance == 0
    return np.where(undefined, np.nan, first), np.where(undefined, np.nan, total)


@dataclass(frozen=True)
class _Scenarios:
    """One row per scenario: normalisation, weight multipliers, aggregation, excluded."""

    normalisation: np.ndarray
    multipliers: np.ndarray
    aggregation: np.ndarray
    excluded: np.ndarray

    @classmethod
    def reference(cls, options: CompositeOptions, indicators: int) -> _Scenarios:
        return cls(
            np.array([NORMALISATIONS.index(options.normalisation)]),
            np.ones((1, indicators)),
            np.array([AGGREGATIONS.index(options.aggregation)]),
            np.array([-1]),
        )

    def with_choice_from(self, other: _Scenarios, choice: str) -> _Scenarios:
        field = {
            "normalisation": "normalisation",
            "weights": "multipliers",
            "aggregation": "aggregation",
            "indicator_set": "excluded",
        }[choice]
        return _Scenarios(**{**self.__dict__, field: getattr(other, field)})


def _draw_scenarios(options: CompositeOptions, indicators: int) -> dict[str, _Scenarios]:
    """The matrices A and B of independent scenarios and A with each choice from B."""
    rng = np.random.default_rng(options.seed)
    spread = options.weight_perturbation

    def sample() -> _Scenarios:
        return _Scenarios(
            rng.integers(0, len(NORMALISATIONS), options.samples),
            rng.uniform(1 - spread, 1 + spread, (options.samples, indicators)),
            rng.integers(0, len(AGGREGATIONS), options.samples),
            rng.integers(-1, indicators, options.samples),
        )

    a, b = sample(), sample()
    return {"A": a, "B": b, **{c: a.with_choice_from(b, c) for c in UNCERTAIN_CHOICES}}


def _scores(
    normalised: np.ndarray,
    log_positive: np.ndarray,
    reference_weights: np.ndarray,
    scenarios: _Scenarios,
) -> np.ndarray:
    """Composite scores, scenarios by teams."""
    weights = reference_weights * scenarios.multipliers
    rows = np.arange(len(weights))
    dropped = scenarios.excluded >= 0
    weights[rows[dropped], scenarios.excluded[dropped]] = 0.0
    weights /= weights.sum(axis=1, keepdims=True)
    arithmetic = np.einsum("snk,sk->sn", normalised[scenarios.normalisation], weights)
    geometric = np.exp(np.einsum("snk,sk->sn", log_positive[scenarios.normalisation], weights))
    return np.where((scenarios.aggregation == 0)[:, None], arithmetic, geometric)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Each team's rank in each scenario: 1 for the highest score, ties averaged."""
    return stats.rankdata(-np.round(scores, 10), method="average", axis=1)


def _pooled_indices(ranks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total-effect indices of each choice, pooled over teams."""
    f_a, f_b = ranks["A"], ranks["B"]
    variance = np.var(np.vstack([f_a, f_b]), axis=0).sum()
    first, total = [], []
    for choice in UNCERTAIN_CHOICES:
        f_ab = ranks[choice]
        partial = np.mean(f_b * (f_ab - f_a), axis=0).sum()
        effect = np.mean((f_a - f_ab) ** 2, axis=0).sum() / 2
        first.append(partial / variance if variance > 0 else np.nan)
        total.append(effect / variance if variance > 0 else np.nan)
    return np.array(first), np.array(total)


def _team_by_indicator(data: pd.DataFrame, team: str, indicator: str, value: str) -> pd.DataFrame:
    """Check the tidy table and reshape it to teams by indicators."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    missing = [c for c in (team, indicator, value) if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}; it has {list(data.columns)}")
    numbers = pd.to_numeric(data[value], errors="coerce")
    bad = data[data[value].notna() & numbers.isna()]
    if not bad.empty:
        row = bad.iloc[0]
        raise ValueError(
            f"{value} must be numbers: team {row[team]!r}, indicator {row[indicator]!r} has "
            f"{row[value]!r}"
        )
    tidy = data.assign(**{value: numbers})
    repeated = tidy[tidy.duplicated([team, indicator], keep=False)]
    if not repeated.empty:
        row = repeated.iloc[0]
        raise ValueError(
            f"data must hold one value per team and indicator: team {row[team]!r} has "
            f"{(repeated[team] == row[team]).sum()} rows for indicator {row[indicator]!r} "
            f"(choose one period)"
        )
    matrix = tidy.pivot(index=team, columns=indicator, values=value).sort_index()
    gaps = matrix.isna() | ~np.isfinite(matrix)
    if gaps.to_numpy().any():
        teams, indicators = np.nonzero(gaps.to_numpy())
        listed = [
            f"{matrix.index[t]!r} ({matrix.columns[i]})"
            for t, i in zip(teams, indicators, strict=True)
        ]
        raise ValueError(
            f"every team needs a value of every indicator (a composite does not impute); "
            f"missing or infinite for {', '.join(listed[:10])}"
            f"{' and more' if len(listed) > 10 else ''}: leave those teams out"
        )
    if matrix.shape[0] < 4:
        raise ValueError(f"a composite ranks teams: give at least 4 teams; got {matrix.shape[0]}")
    if matrix.shape[1] < 2:
        raise ValueError(
            f"a composite combines indicators: give at least 2; got {list(matrix.columns)}"
        )
    return matrix.astype(float)


def _directions(names: list[str], polarity: Mapping[str, str]) -> np.ndarray:
    unknown = [n for n in names if n not in polarity]
    if unknown:
        raise ValueError(f"polarity has no entry for indicators {unknown}")
    for name in names:
        if polarity[name] not in POLARITIES:
            raise ValueError(
                f"indicator {name!r} has polarity {polarity[name]!r}: a composite needs "
                f"high_is_good or low_is_good (better must be defined)"
            )
    return np.array([polarity[n] for n in names])


def _needs_treatment(values: np.ndarray, skew_threshold: float, kurtosis_threshold: float) -> bool:
    if np.ptp(values) == 0:
        return False
    skewness = stats.skew(values, bias=False)
    kurtosis = stats.kurtosis(values, fisher=True, bias=False)
    return bool(abs(skewness) >= skew_threshold and kurtosis >= kurtosis_threshold)


def _treat(matrix: pd.DataFrame, options: CompositeOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Winsorise the indicators that need it; report before and after."""
    treated = matrix.copy()
    rows = []
    for name in matrix.columns:
        before = matrix[name].to_numpy()
        after, changed = before, 0
        if options.treat_outliers:
            after, changed = winsorise(
                before,
                skew_threshold=options.skew_threshold,
                kurtosis_threshold=options.kurtosis_threshold,
                max_winsorised=options.max_winsorised,
            )
        treated[name] = after
        still = _needs_treatment(after, options.skew_threshold, options.kurtosis_threshold)
        if not options.treat_outliers:
            words = "not treated (outlier treatment off)"
        elif changed == 0:
            words = "none needing treatment"
        elif still:
            words = f"{changed} Winsorised (the limit); still skewed: read with care"
        else:
            words = f"{changed} Winsorised"
        rows.append(
            {
                "indicator": name,
                "skewness": _skewness(before),
                "kurtosis": _kurtosis(before),
                "winsorised": changed,
                "skewness_treated": _skewness(after),
                "kurtosis_treated": _kurtosis(after),
                "outliers": words,
            }
        )
    return treated, pd.DataFrame(rows)


def _skewness(values: np.ndarray) -> float:
    return float(stats.skew(values, bias=False)) if np.ptp(values) > 0 else 0.0


def _kurtosis(values: np.ndarray) -> float:
    return float(stats.kurtosis(values, fisher=True, bias=False)) if np.ptp(values) > 0 else 0.0


def _reference_weights(weights: str | Mapping[str, float], oriented: pd.DataFrame) -> np.ndarray:
    names = list(oriented.columns)
    if isinstance(weights, str):
        if weights == "equal":
            return np.full(len(names), 1 / len(names))
        return pca_weights(oriented).to_numpy()
    extra = sorted(set(weights) - set(names))
    absent = [n for n in names if n not in weights]
    if extra or absent:
        raise ValueError(
            f"weights must name exactly the indicators {names}; "
            f"missing {absent}, not in the data {extra}"
        )
    given = np.array([weights[n] for n in names], dtype=float)
    if not (np.isfinite(given) & (given > 0)).all():
        bad = {
            n: weights[n]
            for n, w in zip(names, given, strict=True)
            if not (np.isfinite(w) and w > 0)
        }
        raise ValueError(f"weights must be numbers > 0; got {bad}")
    return given / given.sum()


def _alternatives_in_words(options: CompositeOptions, names: list[str]) -> list[str]:
    spread = round(100 * options.weight_perturbation)
    return [
        "min-max (0-100), z-score, rank",
        f"each weight times 1 +/- up to {spread}%",
        "arithmetic, geometric mean",
        f"all {len(names)} indicators, or all but one",
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
