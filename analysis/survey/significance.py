"""Significance flags: p-values adjusted across items, compared with alpha."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.stats import P_VALUE_METHODS, adjust_p_values

__all__ = ["flag_significant"]


def flag_significant(
    table: pd.DataFrame, families: Sequence[str], adjust: str | None, alpha: float
) -> pd.DataFrame:
    """Add ``p_adjusted`` and ``significant`` to a table with ``p_value``.

    Parameters
    ----------
    table
        With a ``p_value`` column.
    families
        Columns whose combinations are the families adjusted together (e.g. one group in
        one year across all items).
    adjust
        ``None`` (``p_adjusted`` is the p-value), ``"holm"`` or ``"bh"``.
    alpha
        Significance level: ``significant`` is ``p_adjusted < alpha``; False where the test
        could not be done (missing p-value).

    Returns
    -------
    pandas.DataFrame
        The table with the two columns added.

    Raises
    ------
    ValueError
        If ``adjust`` is not ``None``, ``"holm"`` or ``"bh"``, or ``alpha`` is not in (0, 1).
    """
    if adjust is not None and str(adjust).lower() not in (*P_VALUE_METHODS, "fdr"):
        raise ValueError(f"adjust must be None or one of {P_VALUE_METHODS}, got {adjust!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, e.g. 0.05; got {alpha}")
    table = table.copy()
    if adjust is None:
        table["p_adjusted"] = table["p_value"]
    else:
        table["p_adjusted"] = table.groupby(list(families), sort=False, observed=True)[
            "p_value"
        ].transform(lambda p: adjust_p_values(p.to_numpy(dtype=float), adjust))
    table["significant"] = (table["p_adjusted"] < alpha).fillna(False).astype(bool)
    return table
