"""Statistical process control (XmR charts) read the "Making Data Count" way.

The method is NHS England's "Making Data Count" as the R package NHSRplotthedots
(``ptd_spc``) implements it, step by step: options are validated first, then the
process limits are computed per baseline segment, then each of the four special-cause
rules is evaluated, then the rules are combined by precedence into a point type, and
finally the variation and assurance icons are read from the last point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "IMPROVEMENT_DIRECTIONS",
    "LIMIT_FACTOR",
    "MINIMUM_BASELINE_POINTS",
    "MOVING_RANGE_SCREEN",
    "RUN_LENGTH",
    "SPCOptions",
    "spc",
    "trend_points",
    "shift_points",
    "two_in_three_points",
]

IMPROVEMENT_DIRECTIONS = ("increase", "decrease", "neutral")
LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
MOVING_RANGE_SCREEN = 3.267  # D4 for moving ranges of two points (Nelson 1982)
RUN_LENGTH = 7  # points in a trend or a shift, as NHSRplotthedots counts them
MINIMUM_BASELINE_POINTS = 12  # fewer points give trial limits; fixing needs at least this


@dataclass(frozen=True)
class SPCOptions:
    """The validated options of one SPC chart (NHSRplotthedots' ``ptd_spc_options``).

    Parameters
    ----------
    improvement
        ``"increase"``, ``"decrease"`` or ``"neutral"``: which direction of change is good.
    target
        A target value for the assurance icon, or ``None``.
    rebase
        Periods at which a new baseline (segment with its own limits) starts.
    fix_after_n_points
        Compute each segment's limits from its first N points only (N >= 12), or ``None``.
    screen_outliers
        Drop moving ranges of 3.267 x the mean moving range or more before the limits.
    two_in_three_includes_outside
        Count points beyond the process limits as "near the limits" in the two-in-three
        rule (the 2023 Making Data Count variant); NHSRplotthedots excludes them.
    lower_bound, upper_bound
        The values a measure cannot pass (0 for a count or rate, 100 for a percentage):
        the process limits and near-limit lines are drawn no further, or ``None``.

    Raises
    ------
    ValueError
        If an option is invalid; the message names the argument.
    """

    improvement: str = "increase"
    target: float | None = None
    rebase: tuple[Any, ...] = ()
    fix_after_n_points: int | None = None
    screen_outliers: bool = True
    two_in_three_includes_outside: bool = False
    lower_bound: float | None = None
    upper_bound: float | None = None

    def __post_init__(self) -> None:
        if self.improvement not in IMPROVEMENT_DIRECTIONS:
            raise ValueError(
                f"improvement must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}; "
                f"got {self.improvement!r}"
            )
        if self.target is not None and (
            isinstance(self.target, bool)
            or not isinstance(self.target, int | float | np.number)
            or not np.isfinite(self.target)
        ):
            raise ValueError(f"target must be a single finite number or None; got {self.target!r}")
        if self.fix_after_n_points is not None and (
            isinstance(self.fix_after_n_points, bool)
            or not isinstance(self.fix_after_n_points, int | np.integer)
            or self.fix_after_n_points < MINIMUM_BASELINE_POINTS
        ):
            raise ValueError(
                f"fix_after_n_points must be a whole number of at least "
                f"{MINIMUM_BASELINE_POINTS}, or None; got {self.fix_after_n_points!r}"
            )
        for name in ("screen_outliers", "two_in_three_includes_outside"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise ValueError(f"{name} must be True or False; got {getattr(self, name)!r}")
        for name in ("lower_bound", "upper_bound"):
            bound = getattr(self, name)
            if bound is not None and (
                isinstance(bound, bool)
                or not isinstance(bound, int | float | np.number)
                or not np.isfinite(bound)
            ):
                raise ValueError(f"{name} must be a single finite number or None; got {bound!r}")
        if (
            self.lower_bound is not None
            and self.upper_bound is not None
            and self.lower_bound >= self.upper_bound
        ):
            raise ValueError(
                f"lower_bound must be below upper_bound; got {self.lower_bound!r} and "
                f"{self.upper_bound!r}"
            )

    @property
    def direction(self) -> int:
        """+1 when an increase is an improvement, -1 for a decrease, 0 when neutral."""
        return {"increase": 1, "decrease": -1, "neutral": 0}[self.improvement]


def spc(
    values: Sequence[float] | np.ndarray | pd.Series,
    periods: Sequence[Any] | np.ndarray | pd.Series | None = None,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Sequence[Any] | None = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    *,
    two_in_three_includes_outside: bool = False,
    lower_bound: float | None = None,
    upper_bound: float | None = None,
) -> pd.DataFrame:
    """An XmR chart with Making Data Count special-cause rules, one row per point.

    Parameters
    ----------
    values
        The measured values, finite numbers, one per period.
    periods
        The period of each value (dates, ``YYYY-MM`` text, numbers: anything sortable),
        unique. Points are put in period order. Default: 1, 2, ..., n in the given order.
    improvement
        ``"increase"`` (higher is better), ``"decrease"`` (lower is better) or
        ``"neutral"``.
    target
        The target, for the assurance icon; ``None`` for no target.
    rebase
        Periods (each one of ``periods``) at which a new baseline starts: each segment
        gets its own mean and limits, and no rule runs across a rebase.
    fix_after_n_points
        Fix each segment's mean and limits on its first N points (N >= 12).
    screen_outliers
        Screen moving ranges before computing the limits (NHSRplotthedots' default;
        the Making Data Count Excel tool does not screen: pass ``False`` to match it).
    two_in_three_includes_outside
        Use the 2023 Making Data Count two-in-three rule, which counts points beyond
        the process limits as near them.
    lower_bound, upper_bound
        The range the measure can take, e.g. 0 for counts and rates and 0 to 100 for
        percentages: the limits and near-limit lines are floored and capped there (a count
        chart never shows a lower limit of -2). Values must lie within the bounds.

    Returns
    -------
    pandas.DataFrame
        One row per point, in period order, with columns ``period``, ``value``,
        ``segment`` (0 before the first rebase, then 1, 2, ...), ``mean``, ``lpl``,
        ``upl``, ``near_lpl``, ``near_upl``, ``trial_limits`` (the segment has fewer than
        12 points), the rule flags ``outside_limits``, ``trend``, ``two_in_three`` and
        ``shift`` (each True where the point belongs to that pattern, whatever the
        precedence), ``special_cause_rule`` (the rule that decided the point's type,
        missing for common cause), ``point_type`` (``common_cause``,
        ``special_cause_improvement``, ``special_cause_concern``,
        ``special_cause_neutral_high``, ``special_cause_neutral_low``), ``target``,
        ``variation_icon`` (the last point of each segment read as a Making Data Count
        icon: ``common_cause``, ``improvement_high``, ``improvement_low``,
        ``concern_high``, ``concern_low``, ``neutral_high``, ``neutral_low``) and
        ``assurance_icon`` (on the last segment only: ``consistent_pass``,
        ``consistent_fail`` or ``inconsistent``; missing without a target or when
        neutral). The chart's icons are those of the last row.

    Raises
    ------
    ValueError
        If an argument is invalid; the message names it.

    Notes
    -----
    Within each segment, with ``x`` its values (its first N when fixed): the centre
    line is the mean of ``x``; the moving ranges are ``|x_i - x_(i-1)|``; when
    screening, moving ranges of ``3.267 * mean`` or more are dropped and their mean is
    recomputed (the centre line is not); the process limits are
    ``mean +/- 2.66 * mean moving range`` and the near-limit lines lie at two thirds of
    that distance. Special causes, in order of precedence:

    1. ``outside_limits``: strictly above the upper or below the lower process limit;
    2. ``trend``: 7 points each strictly above (or below) the one before (a tie breaks
       it); a point in two trends takes the direction of the later one;
    3. ``two_in_three``: two of three consecutive points beyond the same near-limit line,
       all three on the same side of the mean; only the near points are flagged;
    4. ``shift``: 7 points on the same side of the mean (a point on the mean breaks it).

    Deviations from NHSRplotthedots: it ignores rebase dates that are not in the data
    (here that is an error), and its default trial-limit warning fires below 13 points
    although its message and tests say 12 (here: fewer than 12 points). A segment whose
    moving ranges are all zero has no limits (missing), as in NHSRplotthedots.

    References
    ----------
    NHS England, *Making Data Count* (2019; 2023 update). NHS-R Community,
    NHSRplotthedots 0.2, ``R/ptd_spc_standard.R`` and ``R/ptd_calculate_point_type.R``.
    Nelson L.S. (1982) Control charts for individual measurements. *Journal of Quality
    Technology* 14(3):172-173.

    Examples
    --------
    The "Deviations from Excel defaults" vignette of NHSRplotthedots:

    >>> chart = spc([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    >>> round(float(chart["upl"].iloc[0]), 2), round(float(chart["mean"].iloc[0]), 2)
    (4.6, 1.94)
    >>> chart["point_type"].iloc[4]
    'special_cause_improvement'
    """
    options = SPCOptions(
        improvement=improvement,
        target=target,
        rebase=tuple(rebase) if rebase is not None else (),
        fix_after_n_points=fix_after_n_points,
        screen_outliers=screen_outliers,
        two_in_three_includes_outside=two_in_three_includes_outside,
        lower_bound=lower_bound,
        upper_bound=upper_bound,
    )
    period, value = _ordered_points(values, periods)
    _check_bounds(value, options)
    segment = _segments(period, options.rebase)
    _, starts, position = np.unique(segment, return_index=True, return_inverse=True)
    pieces = [_segment_columns(part, options) for part in np.split(value, starts[1:])]
    columns = {name: np.concatenate([piece[name] for piece in pieces]) for name in pieces[0]}
    last_point_type = columns["point_type"][np.append(starts[1:], len(value)) - 1][position]
    if options.lower_bound is not None or options.upper_bound is not None:
        for name in ("lpl", "upl", "near_lpl", "near_upl"):
            columns[name] = np.clip(columns[name], options.lower_bound, options.upper_bound)
    chart = pd.DataFrame({"period": period, "value": value, "segment": segment, **columns})
    chart["target"] = np.nan if options.target is None else float(options.target)
    chart["variation_icon"] = [
        _variation_icon(point_type, options.direction) for point_type in last_point_type
    ]
    chart["assurance_icon"] = _assurance_icons(columns["lpl"], columns["upl"], segment, options)
    text = ["special_cause_rule", "point_type", "variation_icon", "assurance_icon"]
    chart[text] = chart[text].astype("str")
    return chart


def _ordered_points(values: Any, periods: Any) -> tuple[pd.Series, np.ndarray]:
    """Check values and periods and return both in period order."""
    try:
        numbers = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"values must be numbers: {error}") from None
    if numbers.ndim != 1 or numbers.size == 0:
        raise ValueError("values must be a non-empty one-dimensional sequence of numbers")
    if not np.isfinite(numbers).all():
        where = np.flatnonzero(~np.isfinite(numbers)).tolist()
        raise ValueError(
            f"values must be finite numbers with no gaps; missing or infinite at "
            f"positions {where[:10]}"
        )
    if periods is None:
        period = pd.Series(np.arange(1, numbers.size + 1))
    else:
        period = pd.Series(list(periods) if not isinstance(periods, pd.Series) else periods)
        period = period.reset_index(drop=True)
        if len(period) != numbers.size:
            raise ValueError(
                f"periods must have one entry per value: {len(period)} periods for "
                f"{numbers.size} values"
            )
        if period.isna().any():
            raise ValueError("periods must not be missing")
        duplicated = period[period.duplicated()].unique().tolist()
        if duplicated:
            raise ValueError(f"periods must be unique; repeated: {duplicated[:10]}")
    try:
        order = np.argsort(period.to_numpy(), kind="stable")
    except TypeError as error:
        raise ValueError(f"periods must be comparable with each other: {error}") from None
    return period.iloc[order].reset_index(drop=True), numbers[order]


def _check_bounds(value: np.ndarray, options: SPCOptions) -> None:
    """Refuse values outside the bounds the measure is said to keep within."""
    low = -np.inf if options.lower_bound is None else options.lower_bound
    high = np.inf if options.upper_bound is None else options.upper_bound
    outside = np.flatnonzero((value < low) | (value > high)).tolist()
    if outside:
        raise ValueError(
            f"values must lie between lower_bound {low:g} and upper_bound {high:g}; "
            f"not at positions {outside[:10]}"
        )


def _segments(period: pd.Series, rebase: tuple[Any, ...]) -> np.ndarray:
    """Number the baseline segments: 0 up to the first rebase, then 1, 2, ..."""
    if not rebase:
        return np.zeros(len(period), dtype=int)
    starts = list(rebase)
    try:
        if isinstance(period.dtype, pd.PeriodDtype):
            starts = list(pd.PeriodIndex(starts, freq=period.dtype.freq))
        elif pd.api.types.is_datetime64_any_dtype(period):
            starts = list(pd.to_datetime(starts))
    except (TypeError, ValueError) as error:
        raise ValueError(f"rebase must hold periods like those given: {error}") from None
    known = set(period.tolist())
    missing = [start for start in starts if start not in known]
    if missing:
        raise ValueError(f"rebase periods must be among the periods; not found: {missing}")
    start_set = set(starts)
    is_start = np.array([value in start_set for value in period.tolist()])
    return np.cumsum(is_start).astype(int)


def _segment_columns(y: np.ndarray, options: SPCOptions) -> dict[str, np.ndarray]:
    """Limits, rule flags and point types of one baseline segment's values."""
    baseline = y[: options.fix_after_n_points]
    mean = baseline.mean()
    moving_ranges = np.abs(np.diff(baseline))
    if options.screen_outliers and moving_ranges.size:
        moving_ranges = moving_ranges[moving_ranges < MOVING_RANGE_SCREEN * moving_ranges.mean()]
    mean_moving_range = moving_ranges.mean() if moving_ranges.size else np.nan
    half_width = LIMIT_FACTOR * mean_moving_range

    side = np.sign(y - mean).astype(int)
    outside = (y > mean + half_width) | (y < mean - half_width)
    beyond_near = (y > mean + 2 / 3 * half_width) | (y < mean - 2 / 3 * half_width)
    near = beyond_near if options.two_in_three_includes_outside else beyond_near & ~outside
    trend = trend_points(y)
    two_in_three = two_in_three_points(near, side)
    shift = shift_points(side)
    rule, high = _special_cause(y, side, outside, trend, two_in_three, shift)

    def constant(value: float | bool) -> np.ndarray:
        return np.full(len(y), value)

    return {
        "mean": constant(mean),
        "lpl": constant(mean - half_width),
        "upl": constant(mean + half_width),
        "near_lpl": constant(mean - 2 / 3 * half_width),
        "near_upl": constant(mean + 2 / 3 * half_width),
        "trial_limits": constant(len(y) < MINIMUM_BASELINE_POINTS),
        "outside_limits": outside,
        "trend": trend,
        "two_in_three": two_in_three,
        "shift": shift,
        "special_cause_rule": np.array(rule, dtype=object),
        "point_type": np.array(_point_types(rule, high, options.direction), dtype=object),
    }


def trend_points(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Which points belong to a trend of 7 points, each strictly above (or below) the last.

    Parameters
    ----------
    values
        The values in period order.

    Returns
    -------
    numpy.ndarray
        Booleans, True for every point of every run of 7 strictly increasing or strictly
        decreasing values (a tie breaks a run).

    References
    ----------
    NHSRplotthedots, ``ptd_seven_point_trend`` and ``ptd_part_of_seven_trend``.
    """
    values = np.asarray(values, dtype=float)
    steps = np.sign(np.diff(values))
    ends = np.zeros(len(values), dtype=bool)
    if len(steps) >= RUN_LENGTH - 1:
        windows = sliding_window_view(steps, RUN_LENGTH - 1)
        ends[RUN_LENGTH - 1 :] = (windows == 1).all(axis=1) | (windows == -1).all(axis=1)
    return _runs_ending_at(ends)


def shift_points(side: Sequence[int] | np.ndarray) -> np.ndarray:
    """Which points belong to a shift: 7 points in a row on the same side of the mean.

    Parameters
    ----------
    side
        For each point in period order, +1 above the mean, -1 below, 0 on it.

    Returns
    -------
    numpy.ndarray
        Booleans, True for every point of every run of 7 points with the same non-zero
        side (a point on the mean breaks a run).

    References
    ----------
    NHSRplotthedots, ``ptd_seven_point_one_side_mean``.
    """
    side = np.asarray(side)
    ends = np.zeros(len(side), dtype=bool)
    if len(side) >= RUN_LENGTH:
        windows = sliding_window_view(side, RUN_LENGTH)
        ends[RUN_LENGTH - 1 :] = (windows == windows[:, :1]).all(axis=1) & (windows[:, 0] != 0)
    return _runs_ending_at(ends)


def two_in_three_points(
    near: Sequence[bool] | np.ndarray, side: Sequence[int] | np.ndarray
) -> np.ndarray:
    """Which points are two (or three) of three consecutive points near a process limit.

    Parameters
    ----------
    near
        For each point in period order, whether it is beyond a near-limit line (two
        thirds of the way from the mean to a process limit).
    side
        For each point, +1 above the mean, -1 below, 0 on it.

    Returns
    -------
    numpy.ndarray
        Booleans, True for each near point inside a window of three consecutive points
        that holds at least two near points and lies wholly on one side of the mean.

    References
    ----------
    NHSRplotthedots, ``ptd_two_in_three`` and ``ptd_part_of_two_in_three``.
    """
    near = np.asarray(near, dtype=bool)
    side = np.asarray(side)
    if near.shape != side.shape:
        raise ValueError("near and side must have the same length")
    in_window = np.zeros(len(near), dtype=bool)
    if len(near) >= 3:
        qualifying = (sliding_window_view(near, 3).sum(axis=1) >= 2) & (
            np.abs(sliding_window_view(side, 3).sum(axis=1)) == 3
        )
        for start in np.flatnonzero(qualifying):
            in_window[start : start + 3] = True
    return in_window & near


def _runs_ending_at(ends: np.ndarray) -> np.ndarray:
    """Mark each flagged run end and the RUN_LENGTH - 1 points before it."""
    members = np.zeros(len(ends), dtype=bool)
    for end in np.flatnonzero(ends):
        members[end - RUN_LENGTH + 1 : end + 1] = True
    return members


def _special_cause(
    y: np.ndarray,
    side: np.ndarray,
    outside: np.ndarray,
    trend: np.ndarray,
    two_in_three: np.ndarray,
    shift: np.ndarray,
) -> tuple[list[str | None], np.ndarray]:
    """The deciding rule of each point, by precedence, and whether it signals high."""
    steps = np.sign(np.diff(y))
    before = np.concatenate([[0.0], steps])  # sign(y_i - y_(i-1))
    after = np.concatenate([steps, [0.0]])  # sign(y_(i+1) - y_i)
    next_in_trend = np.concatenate([trend[1:], [False]])
    # a point inside a trend (or shared by two) reads the direction to its right
    trend_rising = np.where(trend & next_in_trend, after, before) == 1

    rules: list[str | None] = []
    high = np.zeros(len(y), dtype=bool)
    for i in range(len(y)):
        if outside[i]:
            rules.append("outside_limits")
            high[i] = side[i] == 1
        elif trend[i]:
            rules.append("trend")
            high[i] = trend_rising[i]
        elif two_in_three[i]:
            rules.append("two_in_three")
            high[i] = side[i] > 0
        elif shift[i]:
            rules.append("shift")
            high[i] = side[i] > 0
        else:
            rules.append(None)
    return rules, high


def _point_types(rules: list[str | None], high: np.ndarray, direction: int) -> list[str]:
    """Read each special cause as improvement, concern or neutral high/low."""
    types = []
    for rule, is_high in zip(rules, high, strict=True):
        if rule is None:
            types.append("common_cause")
        elif direction == 0:
            types.append("special_cause_neutral_high" if is_high else "special_cause_neutral_low")
        else:
            good = is_high == (direction == 1)
            types.append("special_cause_improvement" if good else "special_cause_concern")
    return types


def _variation_icon(point_type: str, direction: int) -> str:
    """The Making Data Count variation icon for a chart whose last point has this type."""
    if point_type == "common_cause":
        return point_type
    kind = point_type.removeprefix("special_cause_")
    if kind in ("improvement", "concern"):
        high = (kind == "improvement") == (direction == 1)
        return f"{kind}_{'high' if high else 'low'}"
    return kind  # neutral_high or neutral_low


def _assurance_icons(
    lpl: np.ndarray, upl: np.ndarray, segment: np.ndarray, options: SPCOptions
) -> list[str | None]:
    """The assurance icon, on the last segment: where the target lies against its limits."""
    if options.target is None or options.direction == 0:
        return [None] * len(segment)
    if options.target > upl[-1]:
        icon = "consistent_fail" if options.direction == 1 else "consistent_pass"
    elif options.target < lpl[-1]:
        icon = "consistent_pass" if options.direction == 1 else "consistent_fail"
    else:
        icon = "inconsistent"
    return [icon if part == segment[-1] else None for part in segment]
