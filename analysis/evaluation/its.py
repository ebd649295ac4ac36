"""Interrupted time series: segmented regression with Newey-West standard errors.

Did a monthly indicator change its level or its trend when an action started? The series
is fitted by ordinary least squares as two joined straight lines (one before, one after
the intervention), optionally with month-of-year terms, and the uncertainty allows for
autocorrelation and heteroscedasticity with the Newey-West (Bartlett kernel) covariance,
exactly as R's ``lm`` with ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE,
adjust = TRUE)`` and ``lmtest::coeftest``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats._validation import as_float_array, check_confidence

__all__ = [
    "MINIMUM_POINTS_EACH_SIDE",
    "controlled_interrupted_time_series",
    "default_newey_west_lag",
    "interrupted_time_series",
    "interrupted_time_series_lines",
    "newey_west_covariance",
]

MINIMUM_POINTS_EACH_SIDE = 3
"""Points needed before and after the intervention (Cochrane EPOC's criterion for an ITS)."""

_SEGMENT_TERMS = ("baseline_level", "pre_trend", "level_change", "slope_change")


def default_newey_west_lag(n_observations: int) -> int:
    """Newey and West's rule of thumb for the lag: ``floor(4 (T / 100) ^ (2 / 9))``.

    Parameters
    ----------
    n_observations
        The number of time points ``T`` in the fit.

    Returns
    -------
    int
        The lag truncation ``L`` (for example 3 for 36 months, 4 for 192 months).

    References
    ----------
    Newey WK, West KD (1994). Automatic lag selection in covariance matrix estimation.
    Review of Economic Studies 61:631-653.

    Examples
    --------
    >>> default_newey_west_lag(48)
    3
    """
    if n_observations < 1:
        raise ValueError(f"n_observations must be at least 1, got {n_observations}")
    return int(np.floor(4 * (n_observations / 100) ** (2 / 9)))


def newey_west_covariance(
    design: np.ndarray, residuals: np.ndarray, lag: int, adjust: bool = True
) -> np.ndarray:
    """Newey-West (Bartlett kernel) covariance of OLS coefficients.

    Parameters
    ----------
    design
        The ``n x k`` design matrix of the fit, rows in time order.
    residuals
        The ``n`` OLS residuals, in the same order.
    lag
        The lag truncation ``L`` (0 gives White's HC0, or HC1 with ``adjust``).
    adjust
        Multiply by the small-sample factor ``n / (n - k)``.

    Returns
    -------
    numpy.ndarray
        The ``k x k`` covariance matrix.

    Notes
    -----
    With scores :math:`s_t = x_t u_t`, :math:`\\Gamma_j = \\sum_{t > j} s_t s_{t-j}'` and
    Bartlett weights :math:`w_j = 1 - j / (L + 1)`,

    .. math:: V = \\frac{n}{n-k} (X'X)^{-1} \\Big(\\Gamma_0 + \\sum_{j=1}^{L}
              w_j (\\Gamma_j + \\Gamma_j')\\Big) (X'X)^{-1}.

    This is ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = TRUE)`` (and
    statsmodels' ``cov_type="HAC"`` with ``maxlags=L, use_correction=True``). The middle
    term is statsmodels' ``sandwich_covariance.S_hac_simple``.

    References
    ----------
    Newey WK, West KD (1987). A simple, positive semi-definite, heteroskedasticity and
    autocorrelation consistent covariance matrix. Econometrica 55:703-708.
    Zeileis A (2004). Econometric computing with HC and HAC covariance matrix estimators.
    Journal of Statistical Software 11(10).
    """
    design = np.asarray(design, dtype=float)
    residuals = np.asarray(residuals, dtype=float)
    n, k = design.shape
    if residuals.shape != (n,):
        raise ValueError(
            f"residuals must have one value per design row ({n}), got {residuals.shape}"
        )
    if not 0 <= lag < n:
        raise ValueError(f"lag must be between 0 and {n - 1} (the number of points - 1), got {lag}")
    from statsmodels.stats.sandwich_covariance import S_hac_simple  # heavy: used here only

    meat = S_hac_simple(design * residuals[:, None], nlags=lag)  # Bartlett weights
    bread = np.linalg.inv(design.T @ design)
    covariance = bread @ meat @ bread
    return covariance * n / (n - k) if adjust else covariance


@dataclass(frozen=True)
class _SegmentedFit:
    terms: list[str]
    design: np.ndarray  # all positions, including those with a missing value
    observed: np.ndarray  # True where the value is present
    coefficients: np.ndarray
    covariance: np.ndarray
    df_residual: int
    lag: int


def _month_dummies(periods: Any, n: int) -> tuple[list[str], np.ndarray]:
    """Month-of-year indicator columns, the earliest calendar month present as reference."""
    if periods is None:
        raise ValueError(
            "seasonal=True needs periods: the month of each value, e.g. '2006-04' strings"
        )
    try:
        months = pd.PeriodIndex(pd.Index(periods).astype(str), freq="M")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"periods must be monthly, e.g. '2006-04' strings or dates; could not read them "
            f"as months: {error}"
        ) from None
    if len(months) != n:
        raise ValueError(f"periods has {len(months)} entries but values has {n}")
    steps = np.diff(months.asi8)
    if (steps != 1).any():
        at = int(np.flatnonzero(steps != 1)[0])
        raise ValueError(
            f"periods must be consecutive months; {months[at]} is followed by "
            f"{months[at + 1]}. Give every month, with a blank value where it is missing."
        )
    month_of_year = np.asarray(months.month)
    present = np.unique(month_of_year)
    names = [f"month_{month:02d}" for month in present[1:]]
    columns = (month_of_year[:, None] == present[None, 1:]).astype(float)
    return names, columns


def _fit_segmented(
    values: Any, intervention_index: int, lags: int | None, seasonal: bool, periods: Any
) -> _SegmentedFit:
    y = as_float_array(values, "values").ravel()
    n = y.size
    if isinstance(intervention_index, bool) or not isinstance(intervention_index, int | np.integer):
        raise ValueError(
            f"intervention_index must be the whole-number position of the first value after "
            f"the intervention, got {intervention_index!r}"
        )
    observed = ~np.isnan(y)
    before = int(observed[:intervention_index].sum())
    after = int(observed[intervention_index:].sum())
    if not 0 < intervention_index < n or min(before, after) < MINIMUM_POINTS_EACH_SIDE:
        raise ValueError(
            f"an interrupted time series needs at least {MINIMUM_POINTS_EACH_SIDE} values "
            f"before and after the intervention; intervention_index={intervention_index} "
            f"leaves {before} before and {after} after (of {n} values)"
        )
    t = np.arange(n, dtype=float)
    after_flag = (t >= intervention_index).astype(float)
    design = np.column_stack([np.ones(n), t, after_flag, (t - intervention_index) * after_flag])
    terms = list(_SEGMENT_TERMS)
    if seasonal:
        names, dummies = _month_dummies(periods, n)
        design = np.column_stack([design, dummies])
        terms += names
    fit_design = design[observed]
    k = fit_design.shape[1]
    n_fit = int(observed.sum())
    if n_fit <= k or np.linalg.matrix_rank(fit_design) < k:
        raise ValueError(
            f"too few values to estimate {k} terms ({n_fit} values present); "
            f"fit without seasonal terms or give a longer series"
        )
    lag = default_newey_west_lag(n_fit) if lags is None else lags
    if isinstance(lag, bool) or not isinstance(lag, int | np.integer) or not 0 <= lag < n_fit:
        raise ValueError(f"lags must be a whole number from 0 to {n_fit - 1}, got {lags!r}")
    coefficients, *_ = np.linalg.lstsq(fit_design, y[observed], rcond=None)
    residuals = y[observed] - fit_design @ coefficients
    covariance = newey_west_covariance(fit_design, residuals, int(lag))
    return _SegmentedFit(terms, design, observed, coefficients, covariance, n_fit - k, int(lag))


def _coefficient_table(fit: _SegmentedFit, conf: float, design_name: str) -> pd.DataFrame:
    std_error = np.sqrt(np.diag(fit.covariance))
    t_value = fit.coefficients / std_error
    half_width = stats.t.ppf(0.5 + conf / 2, fit.df_residual) * std_error
    table = pd.DataFrame(
        {
            "term": fit.terms,
            "estimate": fit.coefficients,
            "std_error": std_error,
            "ci_low": fit.coefficients - half_width,
            "ci_high": fit.coefficients + half_width,
            "p_value": 2 * stats.t.sf(np.abs(t_value), fit.df_residual),
        }
    )
    table.attrs.update(
        design=design_name,
        n=int(fit.observed.sum()),
        lag=fit.lag,
        df_residual=fit.df_residual,
        conf=conf,
    )
    return table


def interrupted_time_series(
    values: Sequence[float] | np.ndarray | pd.Series,
    intervention_index: int,
    lags: int | None = None,
    seasonal: bool = False,
    periods: Any = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Level and slope change of a series at an intervention, by segmented regression.

    Parameters
    ----------
    values
        The series in time order, equally spaced (e.g. a team's monthly sickness rate).
        Missing values are left out of the fit, as R's ``lm`` does; the Newey-West lags
        then count the values present.
    intervention_index
        Position (0-based) of the first value after the intervention started.
    lags
        Newey-West lag truncation ``L``; default ``floor(4 (T / 100) ^ (2 / 9))`` with
        ``T`` the number of values present (see :func:`default_newey_west_lag`).
    seasonal
        Add month-of-year terms (needs monthly ``periods``); the earliest calendar month
        present is the reference, as R's ``factor(month)``.
    periods
        The month of each value (``"YYYY-MM"`` strings, dates or monthly periods), one per
        value and consecutive. Needed only when ``seasonal``.
    conf
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per term, columns ``term, estimate, std_error, ci_low, ci_high, p_value``.
        Terms: ``baseline_level`` (fitted value at position 0), ``pre_trend`` (change per
        period before), ``level_change`` (immediate jump at the intervention),
        ``slope_change`` (change in the trend per period after), then ``month_MM`` terms.
        ``attrs`` holds ``design``, ``n``, ``lag``, ``df_residual`` and ``conf``.

    Raises
    ------
    ValueError
        Fewer than 3 values on either side, a bad lag, non-monthly or non-consecutive
        periods, or too few values for the terms.

    Notes
    -----
    With :math:`t = 0, 1, \\dots, T-1`, :math:`s` the intervention index and
    :math:`A_t = [t \\ge s]`, the model is

    .. math:: y_t = b_0 + b_1 t + b_2 A_t + b_3 (t - s) A_t \\; (+ \\textstyle\\sum_m
              c_m [\\mathrm{month}_t = m]) + e_t,

    fitted by OLS. Standard errors are Newey-West with Bartlett weights and the factor
    :math:`n/(n-k)` (:func:`newey_west_covariance`); intervals and p-values use Student's
    t with the residual degrees of freedom :math:`n - k`, as ``lmtest::coeftest`` and
    ``lmtest::coefci`` do for an ``lm`` fit. In R::

        t <- 0:(T - 1); after <- as.numeric(t >= s)
        fit <- lm(y ~ t + after + I((t - s) * after))
        lmtest::coeftest(fit, vcov = sandwich::NeweyWest(fit, lag = L, prewhite = FALSE,
                                                         adjust = TRUE))

    The design assumes the pre-intervention trend would have continued; a change that
    happened at the same time for another reason is indistinguishable from the
    intervention's effect (use :func:`controlled_interrupted_time_series`).

    References
    ----------
    Wagner AK, Soumerai SB, Zhang F, Ross-Degnan D (2002). Segmented regression analysis
    of interrupted time series studies in medication use research. J Clin Pharm Ther
    27:299-309.
    Bernal JL, Cummins S, Gasparrini A (2017). Interrupted time series regression for the
    evaluation of public health interventions: a tutorial. Int J Epidemiol 46:348-355.
    Newey WK, West KD (1987). Econometrica 55:703-708.

    Examples
    --------
    A series rising by 1 a month that jumps by 5 and then rises by 2 a month:

    >>> y = [10, 11, 12, 13, 14, 20, 22, 24, 26, 28]
    >>> interrupted_time_series(y, 5, lags=0)["estimate"].round(6).tolist()
    [10.0, 1.0, 5.0, 1.0]
    """
    confidence = check_confidence(conf)
    fit = _fit_segmented(values, intervention_index, lags, seasonal, periods)
    return _coefficient_table(fit, confidence, "interrupted time series")


def controlled_interrupted_time_series(
    targeted: Sequence[float] | np.ndarray | pd.Series,
    comparison: Sequence[float] | np.ndarray | pd.Series,
    intervention_index: int,
    lags: int | None = None,
    seasonal: bool = False,
    periods: Any = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Segmented regression of the gap between targeted and comparison series.

    Parameters
    ----------
    targeted, comparison
        The targeted teams' series and the untargeted (comparison) teams' series, same
        length and same periods, in time order.
    intervention_index, lags, seasonal, periods, conf
        As :func:`interrupted_time_series`.

    Returns
    -------
    pandas.DataFrame
        As :func:`interrupted_time_series`, for the difference ``targeted - comparison``:
        ``level_change`` and ``slope_change`` are how much more the targeted series jumped
        and turned than the comparison series. ``attrs["design"]`` says so.

    Notes
    -----
    Changes common to both series (a new national policy, a hard winter) cancel in the
    difference, which is the point of the comparison; the design still assumes that
    nothing else changed for the targeted teams only at the same time.

    References
    ----------
    Lopez Bernal J, Cummins S, Gasparrini A (2018). The use of controls in interrupted
    time series studies of public health interventions. Int J Epidemiol 47:2082-2093.
    """
    first = as_float_array(targeted, "targeted").ravel()
    second = as_float_array(comparison, "comparison").ravel()
    if first.size != second.size:
        raise ValueError(
            f"targeted and comparison must cover the same periods; got {first.size} and "
            f"{second.size} values"
        )
    confidence = check_confidence(conf)
    fit = _fit_segmented(first - second, intervention_index, lags, seasonal, periods)
    return _coefficient_table(fit, confidence, "controlled interrupted time series (difference)")


def interrupted_time_series_lines(
    values: Sequence[float] | np.ndarray | pd.Series,
    intervention_index: int,
    seasonal: bool = False,
    periods: Any = None,
) -> pd.DataFrame:
    """The fitted segmented-regression line and its counterfactual, for a figure.

    Parameters
    ----------
    values, intervention_index, seasonal, periods
        As :func:`interrupted_time_series`.

    Returns
    -------
    pandas.DataFrame
        One row per value: ``position``, ``period`` (when given), ``observed``, ``fitted``
        (the whole model) and ``counterfactual`` (the pre-intervention line carried on,
        with the same month-of-year terms: what the model expects without the
        intervention). Before the intervention the two lines coincide.

    Examples
    --------
    >>> lines = interrupted_time_series_lines([10, 11, 12, 13, 14, 20, 21, 22, 23, 24], 5)
    >>> lines["counterfactual"].round(6).tolist()[-1], lines["fitted"].round(6).tolist()[-1]
    (19.0, 24.0)
    """
    fit = _fit_segmented(values, intervention_index, 0, seasonal, periods)
    without = fit.coefficients.copy()
    without[2:4] = 0.0
    n = fit.design.shape[0]
    lines = pd.DataFrame({"position": np.arange(n)})
    if periods is not None:
        if len(periods) != n:
            raise ValueError(f"periods has {len(periods)} entries but values has {n}")
        lines["period"] = list(periods)
    lines["observed"] = as_float_array(values, "values").ravel()
    lines["fitted"] = fit.design @ fit.coefficients
    lines["counterfactual"] = fit.design @ without
    return lines
