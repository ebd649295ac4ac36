"""Funnel plots for comparing teams, with overdispersion, as FunnelPlotR computes them.

Each unit's indicator (a proportion, or an indirectly standardised ratio of observed to
expected counts) is compared with control limits that narrow as the unit's denominator
grows (Spiegelhalter 2005). When the units vary more than chance allows, the limits are
widened by an additive random-effects variance, tau-squared, estimated after
Winsorising (or, for the SHMI method, truncating) the most extreme z-scores
(Spiegelhalter et al. 2012). Nothing here draws: ``funnel_limits`` gives the curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DATA_TYPES", "LIMITS", "SR_METHODS", "FunnelOptions", "funnel", "funnel_limits"]

DATA_TYPES = ("PR", "SR")
SR_METHODS = ("SHMI", "CQC")
LIMITS = (95, 99.8)
_TAIL = {95: 0.025, 99.8: 0.001}
_SUFFIX = {95: "95", 99.8: "998"}


@dataclass(frozen=True)
class FunnelOptions:
    """The validated options of one funnel plot.

    Parameters
    ----------
    data_type
        ``"PR"`` for proportions (numerator events out of denominator cases) or ``"SR"``
        for indirectly standardised ratios (observed / expected counts).
    limit
        The limit that flags an outlier: 95 or 99.8 (percent).
    overdispersion
        Widen the limits by tau-squared when the dispersion ratio phi exceeds 1.
    sr_method
        For standardised ratios: ``"SHMI"`` (log scale, truncation) or ``"CQC"``
        (square-root scale, Winsorisation).
    trim
        The share of units at each end Winsorised (or truncated) before estimating
        phi, between 0 and 0.5 (exclusive).
    shmi_rounding
        Round each unit's expected count to 2 decimal places, as the SHMI does (used only
        with ``data_type="SR"`` and ``sr_method="SHMI"``).

    Raises
    ------
    ValueError
        If an option is invalid; the message names the argument.
    """

    data_type: str = "PR"
    limit: float = 99.8
    overdispersion: bool = True
    sr_method: str = "SHMI"
    trim: float = 0.1
    shmi_rounding: bool = True

    def __post_init__(self) -> None:
        if self.data_type not in DATA_TYPES:
            raise ValueError(
                f"data_type must be 'PR' (proportions) or 'SR' (standardised ratios); "
                f"got {self.data_type!r}"
            )
        if self.limit not in LIMITS:
            raise ValueError(f"limit must be 95 or 99.8 (percent); got {self.limit!r}")
        if self.sr_method not in SR_METHODS:
            raise ValueError(f"sr_method must be 'SHMI' or 'CQC'; got {self.sr_method!r}")
        if isinstance(self.trim, bool) or not isinstance(self.trim, int | float | np.number):
            raise ValueError(f"trim must be a number; got {self.trim!r}")
        if not 0 < self.trim < 0.5:
            raise ValueError(
                f"trim must be between 0 and 0.5 (a share at each end); got {self.trim!r}"
            )
        for name in ("overdispersion", "shmi_rounding"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise ValueError(f"{name} must be True or False; got {getattr(self, name)!r}")

    @property
    def truncates(self) -> bool:
        """Whether extreme z-scores are truncated (SHMI) rather than Winsorised."""
        return self.data_type == "SR" and self.sr_method == "SHMI"


def funnel(
    numerator: Sequence[float] | np.ndarray | pd.Series,
    denominator: Sequence[float] | np.ndarray | pd.Series,
    data_type: str = "PR",
    limit: float = 99.8,
    overdispersion: bool = True,
    sr_method: str = "SHMI",
    trim: float = 0.1,
    *,
    units: Sequence[Any] | np.ndarray | pd.Series | None = None,
    shmi_rounding: bool = True,
) -> pd.DataFrame:
    """Compare units on a funnel plot: value, z-score, limits and outlier flag per unit.

    Parameters
    ----------
    numerator
        Events (``PR``) or observed counts (``SR``), one per row, >= 0.
    denominator
        Cases (``PR``) or expected counts (``SR``), one per row, > 0.
    data_type
        ``"PR"`` for proportions or ``"SR"`` for indirectly standardised ratios.
    limit
        The limit that flags an outlier: 95 or 99.8 (percent).
    overdispersion
        Widen the limits for overdispersion when the dispersion ratio exceeds 1.
    sr_method
        For ``SR``: ``"SHMI"`` (log-transformed, truncated) or ``"CQC"``
        (square-root-transformed, Winsorised). Ignored for proportions.
    trim
        Share of units at each end Winsorised or truncated before estimating phi.
    units
        The unit (team) of each row; rows of the same unit are summed first, as
        FunnelPlotR does. Default: each row is its own unit, numbered 1, 2, ...
    shmi_rounding
        Round expected counts to 2 decimals for the SHMI method (FunnelPlotR's default).

    Returns
    -------
    pandas.DataFrame
        One row per unit, ordered by unit, with columns ``unit``, ``numerator``,
        ``denominator``, ``value`` (numerator / denominator), ``target`` (the centre
        line: the pooled proportion, or 1 for ratios), ``z`` (the z-score on the
        transformed scale, before any overdispersion adjustment), ``z_adjusted`` (with
        tau-squared added to its variance), ``trimmed`` (True where the unit's z-score was
        Winsorised or truncated when estimating phi), ``lower_95``, ``upper_95``,
        ``lower_998``, ``upper_998`` (the limits at the unit's denominator, on the value's
        scale), ``outlier`` (outside the limits chosen by ``limit``), ``phi`` (the
        dispersion ratio estimated), ``tau2`` (the between-unit variance added to the
        limits: 0 when they are not adjusted) and ``adjusted`` (whether they are).

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.

    Notes
    -----
    With ``Y`` the transformed value, ``t`` the transformed target and ``s`` its
    standard error: proportions use ``Y = asin(sqrt(p))``, ``s = 1 / (2 sqrt(n))``;
    SHMI ratios ``Y = log(O / E)``, ``s = 1 / sqrt(E)``; CQC ratios
    ``Y = sqrt(O / E)``, ``s = 1 / (2 sqrt(E))``. Then ``z = (Y - t) / s``. The z-scores
    are Winsorised at the ``trim`` and ``1 - trim`` quantiles (SHMI: units ranked into
    ``1 / trim`` groups and the outer groups dropped), ``phi`` is the mean of the
    squared remaining z-scores over their number ``k``, and
    ``tau2 = max(0, (k phi - (k - 1)) / (sum w - sum w^2 / sum w))`` with ``w = 1 / s^2``
    (0 when ``k phi < k - 1``). When ``overdispersion`` is on and ``phi > 1`` the limits
    are ``t +/- z_alpha sqrt(s^2 + tau2)`` back-transformed; otherwise they are the
    unadjusted ones (exact Poisson for ratios, arcsine with ``tau2 = 0`` for
    proportions).

    One deliberate deviation from FunnelPlotR: its CQC limits are not
    back-transformed from the square-root scale (FunnelPlotR issue #33); here they are
    squared, so that a unit is an outlier exactly when its ``z_adjusted`` passes the
    limit. SHMI and proportion results match FunnelPlotR.

    References
    ----------
    Spiegelhalter D.J. (2005) Funnel plots for comparing institutional performance.
    *Statistics in Medicine* 24:1185-1202. Spiegelhalter D.J. et al. (2012) Statistical
    methods for healthcare regulation: rating, screening and surveillance. *JRSS A*
    175:1-47. NHS Digital, SHMI specification. NHS-R Community, FunnelPlotR 0.5,
    ``R/od_adjustment.R`` and ``R/calculate_limits.R``.

    Examples
    --------
    FunnelPlotR's own test data (``tests/testthat/test-classes_methods.R``):

    >>> table = funnel([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220],
    ...                data_type="SR", units=list("abcdef"))
    >>> round(float(table["phi"].iloc[0]), 6)
    2.948033
    """
    options = FunnelOptions(
        data_type=data_type,
        limit=limit,
        overdispersion=overdispersion,
        sr_method=sr_method,
        trim=trim,
        shmi_rounding=shmi_rounding,
    )
    table = _unit_totals(numerator, denominator, units, options)
    observed = table["numerator"].to_numpy()
    size = table["denominator"].to_numpy()
    target = observed.sum() / size.sum() if options.data_type == "PR" else 1.0

    transformed, centre, standard_error = _transform(observed / size, size, target, options)
    z = (transformed - centre) / standard_error
    kept, trimmed = _trimmed_z_scores(z, options)
    phi = float(np.nanmean(kept**2))
    adjusted = options.overdispersion and phi > 1
    tau2 = _between_unit_variance(phi, standard_error[~np.isnan(kept)]) if adjusted else 0.0

    limits = funnel_limits(
        size,
        options.data_type,
        target=target if options.data_type == "PR" else None,
        sr_method=options.sr_method,
        tau2=tau2 if adjusted else None,
    )
    table["value"] = observed / size
    table["target"] = target
    table["z"] = z
    table["z_adjusted"] = (transformed - centre) / np.sqrt(standard_error**2 + tau2)
    table["trimmed"] = trimmed
    for column in ("lower_95", "upper_95", "lower_998", "upper_998"):
        table[column] = limits[column].to_numpy()
    suffix = _SUFFIX[options.limit]
    table["outlier"] = (table["value"] < table[f"lower_{suffix}"]) | (
        table["value"] > table[f"upper_{suffix}"]
    )
    table["phi"] = phi
    table["tau2"] = tau2
    table["adjusted"] = adjusted
    return table


def funnel_limits(
    denominator: Sequence[float] | np.ndarray | pd.Series | float,
    data_type: str = "PR",
    *,
    target: float | None = None,
    sr_method: str = "SHMI",
    tau2: float | None = None,
) -> pd.DataFrame:
    """95% and 99.8% funnel limits at given denominators, for tables and drawing.

    Parameters
    ----------
    denominator
        Denominators (cases, or expected counts for ratios), > 0.
    data_type
        ``"PR"`` (proportions) or ``"SR"`` (standardised ratios).
    target
        The centre line for proportions, strictly between 0 and 1 (usually the pooled
        proportion); must be ``None`` for ratios, whose centre line is 1.
    sr_method
        For ratios with ``tau2`` given: ``"SHMI"`` (log scale) or ``"CQC"`` (square-root
        scale).
    tau2
        ``None`` for unadjusted limits (exact Poisson for ratios; arcsine normal
        approximation for proportions), or the between-unit variance on the transformed
        scale for overdispersion-adjusted limits.

    Returns
    -------
    pandas.DataFrame
        Columns ``denominator``, ``lower_95``, ``upper_95``, ``lower_998``,
        ``upper_998``, in the given order.

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.

    Notes
    -----
    Proportions: ``sin(asin(sqrt(target)) -/+ z sqrt(1 / (4 n) + tau2))^2``, set to 0 (or
    1) where the angle passes 0 (or pi/2), which is how FunnelPlotR removes the
    arcsine's non-monotone part. Unadjusted ratios: ``chi2(alpha/2; 2E) / 2E`` and
    ``chi2(1 - alpha/2; 2(E + 1)) / 2E``. SHMI: ``exp(-/+ z sqrt(1 / E + tau2))``. CQC:
    ``(1 -/+ z sqrt(1 / (4E) + tau2))^2``, the lower one 0 where the bracket is negative.

    References
    ----------
    Spiegelhalter D.J. (2005) *Statistics in Medicine* 24:1185-1202. FunnelPlotR,
    ``R/calculate_limits.R``.
    """
    from scipy import stats  # imported here: reading indicators.yml should not need it

    FunnelOptions(data_type=data_type, sr_method=sr_method)
    size = np.atleast_1d(np.asarray(denominator, dtype=float))
    if size.ndim != 1 or not (np.isfinite(size) & (size > 0)).all():
        raise ValueError("denominator must be finite numbers greater than 0")
    if data_type == "PR" and (target is None or not 0 < target < 1):
        raise ValueError(f"target must be a proportion strictly between 0 and 1; got {target!r}")
    if data_type == "SR" and target is not None:
        raise ValueError("target must be None for standardised ratios (their centre line is 1)")
    if tau2 is not None and not (np.isfinite(tau2) and tau2 >= 0):
        raise ValueError(f"tau2 must be a number >= 0, or None; got {tau2!r}")

    limits = pd.DataFrame({"denominator": size})
    for level in LIMITS:
        z = stats.norm.ppf(1 - _TAIL[level])
        suffix = _SUFFIX[level]
        if data_type == "PR":
            spread = z * np.sqrt(1 / (4 * size) + (tau2 or 0.0))
            centre = np.arcsin(np.sqrt(target))
            low_angle, high_angle = centre - spread, centre + spread
            lower = np.where(low_angle < 0, 0.0, np.sin(low_angle) ** 2)
            upper = np.where(high_angle > np.pi / 2, 1.0, np.sin(high_angle) ** 2)
        elif tau2 is None:
            tail = _TAIL[level]
            lower = stats.chi2.ppf(tail, 2 * size) / (2 * size)
            upper = stats.chi2.ppf(1 - tail, 2 * (size + 1)) / (2 * size)
        elif sr_method == "SHMI":
            spread = z * np.sqrt(1 / size + tau2)
            lower, upper = np.exp(-spread), np.exp(spread)
        else:
            spread = z * np.sqrt(1 / (4 * size) + tau2)
            lower, upper = np.clip(1 - spread, 0, None) ** 2, (1 + spread) ** 2
        limits[f"lower_{suffix}"] = lower
        limits[f"upper_{suffix}"] = upper
    return limits


def _unit_totals(
    numerator: Any, denominator: Any, units: Any, options: FunnelOptions
) -> pd.DataFrame:
    """Check the counts and sum them per unit."""
    arrays = {}
    for name, values in (("numerator", numerator), ("denominator", denominator)):
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be numbers: {error}") from None
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"{name} must be a non-empty one-dimensional sequence of numbers")
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must not be missing or infinite")
        arrays[name] = array
    if arrays["numerator"].size != arrays["denominator"].size:
        raise ValueError(
            f"numerator and denominator must have the same length: "
            f"{arrays['numerator'].size} and {arrays['denominator'].size}"
        )
    if units is None:
        unit = np.arange(1, arrays["numerator"].size + 1)
    else:
        unit = pd.Series(units).reset_index(drop=True)
        if len(unit) != arrays["numerator"].size:
            raise ValueError(
                f"units must have one entry per numerator: {len(unit)} units for "
                f"{arrays['numerator'].size} rows"
            )
        if unit.isna().any():
            raise ValueError("units must not be missing")
    rows = pd.DataFrame({"unit": unit, **arrays})
    table = rows.groupby("unit", sort=True, as_index=False)[["numerator", "denominator"]].sum()
    if options.truncates and options.shmi_rounding:
        table["denominator"] = table["denominator"].round(2)

    if (table["numerator"] < 0).any():
        raise ValueError("numerator must be >= 0")
    if (table["denominator"] <= 0).any():
        bad = table.loc[table["denominator"] <= 0, "unit"].tolist()
        raise ValueError(f"denominator must be greater than 0; not so for units {bad[:10]}")
    if options.data_type == "PR" and (table["numerator"] > table["denominator"]).any():
        bad = table.loc[table["numerator"] > table["denominator"], "unit"].tolist()
        raise ValueError(
            f"numerator must not exceed denominator for proportions; it does for units {bad[:10]}"
        )
    pooled = table["numerator"].sum() / table["denominator"].sum()
    if options.data_type == "PR" and not 0 < pooled < 1:
        raise ValueError(
            f"numerator: the pooled proportion is {pooled:g}; a funnel plot of proportions "
            f"needs some units with events and some cases without"
        )
    if options.truncates and (table["numerator"] == 0).any():
        bad = table.loc[table["numerator"] == 0, "unit"].tolist()
        raise ValueError(
            f"the SHMI method takes the log of observed / expected, so numerator must be "
            f"greater than 0; it is 0 for units {bad[:10]} (use sr_method='CQC')"
        )
    if len(table) < 2:
        raise ValueError("a funnel plot compares units: give at least 2 units")
    return table


def _transform(
    value: np.ndarray, size: np.ndarray, target: float, options: FunnelOptions
) -> tuple[np.ndarray, float, np.ndarray]:
    """The value, the centre line and the standard error on the variance-stabilised scale."""
    if options.data_type == "PR":
        return np.arcsin(np.sqrt(value)), float(np.arcsin(np.sqrt(target))), 1 / (2 * np.sqrt(size))
    if options.sr_method == "SHMI":
        return np.log(value), 0.0, 1 / np.sqrt(size)
    return np.sqrt(value), 1.0, 1 / (2 * np.sqrt(size))


def _trimmed_z_scores(z: np.ndarray, options: FunnelOptions) -> tuple[np.ndarray, np.ndarray]:
    """Winsorise (or, for SHMI, truncate to missing) the outer z-scores.

    Returns the z-scores to estimate phi from and which units were trimmed.
    """
    from scipy import stats  # imported here: reading indicators.yml should not need it

    if options.truncates:
        groups = 1 / options.trim
        rank = stats.rankdata(z, method="average")
        group = np.floor(rank * groups / (len(z) + 1))
        trimmed = (group <= 0) | (group >= groups - 1)
        return np.where(trimmed, np.nan, z), trimmed
    low, high = np.quantile(z, [options.trim, 1 - options.trim])
    trimmed = ~((z > low) & (z < high))
    return np.clip(z, low, high), trimmed


def _between_unit_variance(phi: float, standard_error: np.ndarray) -> float:
    """DerSimonian-Laird tau-squared from the dispersion ratio (Spiegelhalter 2012)."""
    count = len(standard_error)
    weight = 1 / standard_error**2
    spread = weight.sum() - (weight**2).sum() / weight.sum()
    return max(0.0, float((count * phi - (count - 1)) / spread))
