"""Plain-language verdicts that never say more than the numbers allow.

A verdict reads the confidence interval, not the point estimate: "consistent with an
improvement of 8 to 20 points" when the whole interval is on the side of improvement, "no
clear change" (with the range the data allow) when it spans zero, and it never says "no
effect". When an action's plan stated the direction it expected, the verdict names it: a
change the other way is "opposite to the one expected", never an improvement. A weaker test
that disagrees (the wild cluster bootstrap with few units) and the weaknesses of the design
are added as caveats.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "DESIGN_CAVEATS",
    "FEW_TREATED_CLUSTERS",
    "clear_direction",
    "comparison_finding",
    "difference_in_differences_verdict",
    "placebo_caveat",
    "verdict",
    "verdict_caveats",
]

DESIGN_CAVEATS = {
    "pre_post": (
        "there is no comparison group, so anything else that changed over the same period "
        "could explain this"
    ),
    "difference_in_differences": (
        "this assumes the targeted and comparison units would otherwise have changed alike"
    ),
    "interrupted_time_series": (
        "this assumes the earlier trend would have continued; anything else that changed at "
        "the same time could explain this"
    ),
    "controlled_interrupted_time_series": (
        "this assumes nothing else changed for the targeted teams alone at the same time"
    ),
    "training": (
        "attendance was not random: teams that sent people may differ from those that did not"
    ),
}
"""The weakness of each design, in words a board member can weigh."""

FEW_TREATED_CLUSTERS = 3
"""With this many targeted clusters or fewer, clustered intervals are too narrow (MacKinnon &
Webb 2017, 2018)."""

_BETTER = ("higher", "lower")


def _number(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals, or up to two more if it would read as 0."""
    for places in range(digits, digits + 3):
        text = f"{value:.{places}f}"
        if float(text) != 0:
            return text
    return text


def _amount(text: str, unit: str) -> str:
    """``"1 point"`` but ``"2 points"``: a unit ending in s loses it after exactly 1."""
    return f"{text} {unit[:-1] if text == '1' and unit.endswith('s') else unit}"


def _magnitudes(low: float, high: float, digits: int) -> tuple[str, str]:
    """The two ends' sizes as text, with enough decimals that they neither merge nor vanish."""
    a, b = sorted((abs(low), abs(high)))
    for places in range(digits, digits + 3):
        text_a, text_b = f"{a:.{places}f}", f"{b:.{places}f}"
        if text_a != text_b and float(text_a) != 0:
            break
    return text_a, text_b


def clear_direction(ci_low: float, ci_high: float) -> str | None:
    """Which way a whole confidence interval points: the one reading every verdict starts from.

    Parameters
    ----------
    ci_low, ci_high
        The confidence interval of a change.

    Returns
    -------
    str or None
        ``"rise"`` when the whole interval is above zero, ``"fall"`` when it is below,
        ``None`` when it includes zero (or an end is missing): no clear change.

    Examples
    --------
    >>> clear_direction(0.5, 3.0), clear_direction(-3.0, -0.5), clear_direction(-1.0, 2.0)
    ('rise', 'fall', None)
    """
    if ci_low > 0:
        return "rise"
    if ci_high < 0:
        return "fall"
    return None


def comparison_finding(ci_low: float, ci_high: float, units: str) -> str:
    """What a difference-in-differences interval says, as a chart title's words.

    Parameters
    ----------
    ci_low, ci_high
        The interval of the change in the targeted units beyond the comparison units.
    units
        What was targeted and compared, plural: ``"teams"`` or ``"directorates"``.

    Returns
    -------
    str
        Read as :func:`clear_direction` reads the interval; for example "rose more in the
        targeted teams than elsewhere", or "moved in the targeted teams with no clear
        difference from elsewhere" when the interval includes zero.

    Examples
    --------
    >>> comparison_finding(-9.0, -2.0, "directorates")
    'fell in the targeted directorates against elsewhere'
    """
    direction = clear_direction(ci_low, ci_high)
    if direction == "rise":
        return f"rose more in the targeted {units} than elsewhere"
    if direction == "fall":
        return f"fell in the targeted {units} against elsewhere"
    return f"moved in the targeted {units} with no clear difference from elsewhere"


def verdict(
    ci_low: float,
    ci_high: float,
    better: str = "higher",
    unit: str = "points",
    scale: float = 1.0,
    digits: int = 0,
    bootstrap_p_value: float | None = None,
    alpha: float = 0.05,
    caveats: Sequence[str] = (),
    pre_registered: bool = False,
) -> str:
    """One sentence on what a change's confidence interval says, in plain language.

    Parameters
    ----------
    ci_low, ci_high
        The confidence interval of the estimated change. The point estimate is left out
        on purpose: the verdict claims only what the whole interval supports.
    better
        ``"higher"`` if a rise is an improvement (e.g. % appraised), ``"lower"`` if a fall
        is (e.g. sickness absence).
    unit
        The unit after scaling, e.g. ``"percentage points"``.
    scale
        Multiply the numbers by this first (100 turns a share into percentage points).
    digits
        Decimals shown; more are used where the two ends would otherwise look equal or 0.
    bootstrap_p_value
        The wild cluster bootstrap p-value, when the units are few; if it is ``alpha`` or
        more while the interval excludes zero, the verdict says the finding is not
        confirmed.
    alpha
        Significance level matching the interval (0.05 for a 95% interval).
    caveats
        Further sentences (e.g. from :data:`DESIGN_CAVEATS` or :func:`placebo_caveat`),
        appended after semicolons.
    pre_registered
        Whether ``better`` is the direction an action's plan stated in advance
        (``expected_direction``): the verdict then names the change as a rise or a fall
        and says whether it is the direction expected.

    Returns
    -------
    str
        For example ``"consistent with an improvement of 8 to 20 points; this assumes ..."``
        or, pre-registered, ``"consistent with an improvement in the expected direction: a
        fall of 1 to 2 days"`` and ``"consistent with a change opposite to the one expected:
        a rise of 1 to 2 days"``.

    Raises
    ------
    ValueError
        If ``better`` is not ``"higher"`` or ``"lower"``, or the interval is missing or
        reversed.

    Notes
    -----
    The wording follows the interval only: an interval that includes zero is reported as
    "no clear change" together with the largest worsening and improvement it allows,
    because absence of evidence is not evidence of absence (Altman & Bland 1995).

    References
    ----------
    Altman DG, Bland JM (1995). Absence of evidence is not evidence of absence. BMJ 311:485.

    Examples
    --------
    >>> verdict(0.08, 0.20, scale=100)
    'consistent with an improvement of 8 to 20 points'
    >>> sickness = verdict(-1.2, 0.6, better="lower", unit="days", digits=1)
    >>> print(sickness)  # doctest: +NORMALIZE_WHITESPACE
    no clear change: consistent with anything from an improvement of 1.2 days to a worsening
    of 0.6 days
    >>> verdict(-2.0, -1.0, better="lower", unit="days", pre_registered=True)
    'consistent with an improvement in the expected direction: a fall of 1 to 2 days'
    """
    if better not in _BETTER:
        raise ValueError(f"better must be 'higher' or 'lower', got {better!r}")
    low, high = ci_low * scale, ci_high * scale
    if not (np.isfinite(low) and np.isfinite(high)) or low > high:
        raise ValueError(
            f"the interval must be two numbers, low <= high; got ({ci_low}, {ci_high})"
        )
    improving_sign = 1 if better == "higher" else -1
    side = clear_direction(low, high)
    if side is not None:
        improving = (side == "rise") == (improving_sign > 0)
        a, b = _magnitudes(low, high, digits)
        if pre_registered:
            change = f"a {side} of {a} to {b} {unit}"
            if improving:
                direction = "an improvement in the expected direction"
            else:
                direction = "a change opposite to the one expected"
            claim, suggestion = f"{direction}: {change}", f"{direction} ({change})"
        else:
            direction = "an improvement" if improving else "a worsening"
            claim = suggestion = f"{direction} of {a} to {b} {unit}"
        sentence = f"consistent with {claim}"
        if bootstrap_p_value is not None and bootstrap_p_value >= alpha:
            sentence = (
                f"the interval suggests {suggestion}, but the wild cluster bootstrap, more "
                f"reliable with so few units, does not confirm it (p = {bootstrap_p_value:.2f})"
            )
    elif pre_registered:
        expected = {True: "the expected direction", False: "against the expected direction"}
        fall = (
            f"a fall of {_amount(_number(abs(low), digits), unit)} ({expected[better == 'lower']})"
        )
        rise = f"a rise of {_amount(_number(high, digits), unit)} ({expected[better == 'higher']})"
        sentence = f"no clear change: consistent with anything from {fall} to {rise}"
    else:
        worse, improve = (low, high) if improving_sign > 0 else (high, low)
        ends = {
            "worse": f"a worsening of {_amount(_number(abs(worse), digits), unit)}",
            "improve": f"an improvement of {_amount(_number(abs(improve), digits), unit)}",
        }
        order = ("worse", "improve") if improving_sign > 0 else ("improve", "worse")
        sentence = (
            f"no clear change: consistent with anything from {ends[order[0]]} to {ends[order[1]]}"
        )
    return "; ".join([sentence, *caveats])


def verdict_caveats(text: str) -> str:
    """The caveats of a verdict from :func:`verdict`: everything after its first sentence.

    A headline quoting a verdict's estimate carries these with it, so that a reader of the
    index page sees the same warning as a reader of the report.

    Parameters
    ----------
    text
        A verdict, ``"sentence; caveat; caveat"``.

    Returns
    -------
    str
        ``"caveat; caveat"``, or ``""`` when the verdict has none.

    Examples
    --------
    >>> verdict_caveats("no clear change: from 1 to 3 points; the interval is too narrow")
    'the interval is too narrow'
    """
    return str(text).partition("; ")[2]


def placebo_caveat(
    ci_low: float,
    ci_high: float,
    first_treated_year: int,
    better: str = "higher",
) -> str | None:
    """A caveat when the placebo test finds the groups already drifting apart.

    Parameters
    ----------
    ci_low, ci_high
        The interval of :func:`~analysis.evaluation.placebo_difference_in_differences`.
    first_treated_year
        The first survey year after the real action.
    better
        ``"higher"`` or ``"lower"``, as in :func:`verdict`.

    Returns
    -------
    str or None
        ``None`` when the placebo interval includes zero (no sign of diverging trends,
        which is not proof of parallel ones); otherwise a sentence saying which way the
        targeted units were already moving.
    """
    if better not in _BETTER:
        raise ValueError(f"better must be 'higher' or 'lower', got {better!r}")
    if ci_low <= 0 <= ci_high:
        return None
    gaining = (ci_low > 0) == (better == "higher")
    moving = "improving faster than" if gaining else "falling behind"
    consequence = "overstate" if gaining else "understate"
    return (
        f"the targeted units were already {moving} the comparison units before "
        f"{first_treated_year}, so this may {consequence} the action's effect"
    )


def difference_in_differences_verdict(
    result: pd.DataFrame,
    placebo: pd.DataFrame | None = None,
    first_treated_year: int | None = None,
    better: str = "higher",
    unit: str = "percentage points",
    scale: float = 100.0,
    digits: int = 0,
    pre_registered: bool = False,
) -> str:
    """The verdict on a difference-in-differences, with its design's caveats.

    Parameters
    ----------
    result
        The table of :func:`~analysis.evaluation.difference_in_differences`.
    placebo
        The table of :func:`~analysis.evaluation.placebo_difference_in_differences`, if run.
    first_treated_year
        Needed with ``placebo``, for its caveat.
    better, unit, scale, digits, pre_registered
        As :func:`verdict`; the defaults suit a 0/1 outcome (a share, shown in points).

    Returns
    -------
    str
        :func:`verdict` of the interval, reading the bootstrap p-value when clusters are
        few or the targeted clusters are (however many clusters there are in all: one
        targeted team among thirty is still one), followed by the placebo caveat (if
        any), a caveat on few targeted clusters (three or fewer: the clustered interval
        is then too narrow, MacKinnon & Webb 2017) and the parallel-trends assumption.

    References
    ----------
    MacKinnon JG, Webb MD (2017). Wild bootstrap inference for wildly different cluster
    sizes. Journal of Applied Econometrics 32:233-254.
    """
    row = result.iloc[0]
    caveats = []
    if placebo is not None:
        if first_treated_year is None:
            raise ValueError("first_treated_year is needed to word the placebo caveat")
        drift = placebo_caveat(
            placebo["ci_low"].iloc[0], placebo["ci_high"].iloc[0], first_treated_year, better
        )
        if drift is not None:
            caveats.append(drift)
    treated_clusters = int(row["n_treated_clusters"])
    if treated_clusters <= FEW_TREATED_CLUSTERS:
        units = (
            "one targeted unit" if treated_clusters == 1 else f"{treated_clusters} targeted units"
        )
        caveats.append(f"with only {units} the interval is probably too narrow")
    caveats.append(DESIGN_CAVEATS["difference_in_differences"])
    few = bool(row["few_clusters"]) or treated_clusters <= FEW_TREATED_CLUSTERS
    bootstrap = row["bootstrap_p_value"] if few else None
    if bootstrap is not None and np.isnan(bootstrap):
        bootstrap = None
    return verdict(
        row["ci_low"],
        row["ci_high"],
        better=better,
        unit=unit,
        scale=scale,
        digits=digits,
        bootstrap_p_value=bootstrap,
        alpha=1 - result.attrs.get("conf", 0.95),
        caveats=caveats,
        pre_registered=pre_registered,
    )
