"""Tables whose groups lie inside groups published elsewhere: a team within its directorate.

A table of targeted and comparison teams passes :func:`~analysis.disclosure.cells.
suppress_small_groups` on its own, but its rows are parts of groups the survey stage
publishes: a team is part of its directorate, and every unit part of the organisation. The
directorate's published count minus the team's is the *rest of the directorate*, published
by subtraction; if it is below the minimum group size, the few people in it are exposed
(their percent positive too, from the two percentages and counts). So each row is checked
against the count of every published group containing it (:func:`suppress_within`): a rest
``0 < container - n < minimum`` hides the row, as the survey gate's small-rest rule does
for the rest of the organisation. :func:`rest_of_organisation_gate` does the same for a
group's comparison with the rest of the organisation in a survey pack.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.disclosure.cells import suppress_small_groups
from analysis.disclosure.marks import mark_gated

__all__ = ["rest_of_organisation_gate", "suppress_within"]


def suppress_within(
    table: pd.DataFrame,
    *,
    count: str,
    containers: Sequence[str],
    minimum: int,
    dimensions: Sequence[str] = (),
    for_each: Sequence[str] = (),
    values: Sequence[str] | None = None,
    labels: Sequence[str] = (),
    line: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Suppress a table's small groups and every group that leaves a small rest of a container.

    Parameters
    ----------
    table
        One row per cell, with the count and, in each ``containers`` column, the count of a
        published group (same year and item) that contains the row's group: for a team, its
        directorate's; for any unit, the organisation's.
    count, dimensions, for_each, values, labels, minimum
        As for :func:`~analysis.disclosure.suppress_small_groups`.
    containers
        The container count columns. They are dropped from the result.
    line
        ``(dimension, container)``: the cells along ``dimension`` (e.g. ``group``: the
        targeted and the comparison units) are disjoint parts of ``container`` (e.g. the
        organisation), so the container minus the shown cells of a line is a rest too.

    Returns
    -------
    pandas.DataFrame
        As :func:`~analysis.disclosure.suppress_small_groups` returns, without the
        container columns. A row whose count leaves ``0 < container - count < minimum`` is
        hidden, and so is the smallest shown cell of a line whose container minus its
        shown cells is in that range; the gate then runs again with those rows counted as
        0, so that what would reveal them is hidden too.

    Examples
    --------
    A team of 12 in a directorate of 18: the rest of the directorate is 6.

    >>> table = pd.DataFrame({"group": ["targeted", "comparison"], "n": [12, 40],
    ...                       "pct": [50.0, 60.0], "directorate_n": [18, 40]})
    >>> out = suppress_within(table, count="n", containers=["directorate_n"], minimum=11,
    ...                       dimensions=["group"])
    >>> out["suppressed"].tolist()
    [True, True]
    """
    containers = list(containers)
    missing = [c for c in containers if c not in table.columns]
    if missing:
        raise ValueError(f"container column(s) {missing} are not in the table")
    counts = table[count].to_numpy(dtype=float)
    held = table[containers].to_numpy(dtype=float)
    body = table.drop(columns=containers)
    keys = [*for_each, *dimensions]
    forced = np.zeros(len(table), dtype=bool)
    for _ in range(len(table) + 1):
        gated = suppress_small_groups(
            body.assign(**{count: table[count].where(~forced, 0)}),
            count=count,
            dimensions=dimensions,
            for_each=for_each,
            values=values,
            labels=labels,
            minimum=minimum,
        )
        hidden = gated["suppressed"].to_numpy(dtype=bool)
        rests = held - counts[:, None]
        more = ~hidden & ((rests > 0) & (rests < minimum)).any(axis=1)
        if line is not None:
            more |= _small_line_rests(table, keys, line, counts, hidden, minimum)
        if not more.any():
            break
        forced |= more
    # Rows hidden for a small rest entered with count 0: they are hidden, not primary.
    primary = counts < minimum
    gated["suppression"] = pd.array(
        np.where(primary, "primary", np.where(hidden, "secondary", "")), dtype="string"
    )
    return mark_gated(gated, "within")


def _small_line_rests(
    table: pd.DataFrame,
    keys: list[str],
    line: tuple[str, str],
    counts: np.ndarray,
    hidden: np.ndarray,
    minimum: int,
) -> np.ndarray:
    """The smallest shown cell of each line whose container minus its shown cells is small."""
    dimension, container = line
    others = [k for k in keys if k != dimension]
    ids = (
        table.groupby(others, sort=False, dropna=False).ngroup().to_numpy()
        if others
        else np.zeros(len(table), dtype=np.int64)
    )
    shown_sum = np.bincount(ids, weights=np.where(hidden, 0.0, counts))
    total = pd.Series(table[container].to_numpy(dtype=float)).groupby(ids).max().to_numpy()
    rest = total - shown_sum
    small = (rest > 0) & (rest < minimum)
    candidates = np.flatnonzero(small[ids] & ~hidden)
    more = np.zeros(len(table), dtype=bool)
    if candidates.size:
        ordered = candidates[np.argsort(counts[candidates], kind="stable")]
        _, first = np.unique(ids[ordered], return_index=True)
        more[ordered[first]] = True
    return more


def rest_of_organisation_gate(differences: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Hide a group's comparison with the rest of the organisation where either is too small.

    Parameters
    ----------
    differences
        Gated rows of the ``group_differences`` table for one group: ``year``, ``item_id``,
        ``n``, ``rest_n``, ``suppressed`` and the figures.
    minimum
        The minimum group size.

    Returns
    -------
    pandas.DataFrame
        ``differences`` with every figure missing (and ``suppressed`` true) in rows already
        hidden or where the pair (group ``n``, rest ``rest_n``), gated by
        :func:`~analysis.disclosure.suppress_small_groups` as a partition of the
        organisation, is hidden: a rest below ``minimum`` hides the group's row too, since
        the group is the organisation minus the rest.
    """
    pairs = pd.DataFrame(
        {
            "year": np.repeat(differences["year"].to_numpy(), 2),
            "item_id": np.repeat(differences["item_id"].to_numpy(), 2),
            "part": np.tile(["group", "rest"], len(differences)),
            "n": np.column_stack(
                [
                    differences["n"].fillna(0).to_numpy(dtype=float),
                    differences["rest_n"].fillna(0).to_numpy(dtype=float),
                ]
            ).ravel(),
        }
    )
    gated = suppress_small_groups(
        pairs, count="n", dimensions=["part"], for_each=["year", "item_id"], minimum=minimum
    )
    hidden = gated["suppressed"].to_numpy(dtype=bool).reshape(-1, 2).any(axis=1)
    hidden |= differences["suppressed"].to_numpy(dtype=bool)
    result = differences.copy()
    fixed = ["year", "group_type", "group", "item_id", "suppressed"]
    for column in [c for c in result.columns if c not in fixed]:
        values = result[column]
        if values.dtype == bool:
            values = values.astype("boolean")
        result[column] = values.mask(hidden)
    result["suppressed"] = hidden
    return mark_gated(result, "within")
