"""Rests of events: the hidden teams of a line must hold enough of its published numerator.

An indicator publishes, per line (an indicator, a period and a directorate), each shown
team's numerator (leavers, sickness episodes...) and the directorate's. What the hidden
teams hold between them is the difference, the *rest*. The gate's rule 4
(``docs/disclosure.md``) asks that rest to be at least the
protection level; this module applies it to indicators' events, as
:mod:`analysis.disclosure.survey` does to survey answers.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.3
(protection levels).
"""

from __future__ import annotations

import pandas as pd

from analysis.disclosure.protection import PROTECTION_LEVEL

__all__ = ["protect_event_rests"]


def protect_event_rests(
    gated: pd.DataFrame, table: pd.DataFrame, for_each: list[str], figures: list[str]
) -> pd.DataFrame:
    """Hide more teams where the hidden ones hold almost none of their line's numerator.

    The hidden teams of a line (an indicator, year and directorate) hold the directorate's
    published numerator minus the shown teams': the *rest*. With a rest below the
    protection level (no leaver, or one, among them) a reader learns that each hidden team
    had at most that many: the survey gate's rule 4 (``docs/disclosure.md``), here for an
    indicator's events. The line's shown team with the smallest non-zero numerator is hidden
    too, until the rest reaches the level or no shown team holds any (then the rest is the
    directorate's own published figure, which says as much of every team in it).

    Parameters
    ----------
    gated
        The rows after :func:`~analysis.disclosure.suppress_small_groups` (``suppressed``
        and ``suppression`` columns).
    table
        The same rows before it (the true numerators).
    for_each
        The columns naming a line.
    figures
        The columns hidden with a row.

    Returns
    -------
    pandas.DataFrame
        ``gated`` with the added teams hidden (``suppression`` "secondary").
    """
    numerator = pd.to_numeric(table["numerator"], errors="coerce").fillna(0.0)
    hidden = gated["suppressed"].astype(bool).copy()
    for rows in gated.groupby(for_each, sort=False, dropna=False).groups.values():
        while hidden[rows].any() and not hidden[rows].all():
            if numerator[rows][hidden[rows]].sum() >= PROTECTION_LEVEL:
                break
            holders = numerator[rows][~hidden[rows] & (numerator[rows] > 0)]
            if holders.empty:
                break
            hidden[holders.idxmin()] = True
    added = hidden & ~gated["suppressed"].astype(bool)
    if not added.any():
        return gated
    gated = gated.copy()
    for column in figures:
        if column in gated:
            gated[column] = gated[column].mask(added)
    gated["suppressed"] = hidden
    gated["suppression"] = gated["suppression"].mask(added, "secondary")
    return gated
