"""Quantile groups (quintiles, deciles) of a set of values, as PHEindicatormethods assigns them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["quantile_groups"]


def quantile_groups(
    values: Sequence[float] | np.ndarray | pd.Series,
    nquantiles: int = 5,
    invert: bool = True,
) -> np.ndarray:
    """Assign each value to one of ``nquantiles`` groups by its rank among the values.

    Parameters
    ----------
    values
        The values of one set of units (e.g. teams in a year); missing values get no group.
    nquantiles
        The number of groups: 5 for quintiles, 10 for deciles.
    invert
        ``True``: group 1 holds the highest values (PHEindicatormethods' default);
        ``False``: group 1 holds the lowest.

    Returns
    -------
    numpy.ndarray
        Floats: each value's group, 1 to ``nquantiles``; missing for missing values, and for
        every value when fewer than ``nquantiles`` values are present.

    Raises
    ------
    ValueError
        If ``values`` are not numbers, ``nquantiles`` is not a whole number of at least 2
        or ``invert`` is not True or False.

    Notes
    -----
    With ``n`` values present, ``a`` each value (``max - value`` when inverted) and ``r``
    its rank among them, ties taking the lowest rank (R's ``rank(ties.method = "min")``):
    ``group = floor((q + 1) - ceiling(((n + 1) - r) / (n / q)))``, and 1 where that gives 0.

    References
    ----------
    UKHSA (formerly PHE), PHEindicatormethods ``phe_quantile`` (``R/Quantiles.R``), and OHID,
    *Technical guide: assigning deprivation categories* (Fingertips methods).

    Examples
    --------
    Ten values into quintiles, highest first (by hand: ``n / q = 2``; the value 10 has
    ``a = 0``, rank 1, so ``floor(6 - ceiling(10 / 2)) = 1``; the value 1 has rank 10, so
    ``floor(6 - ceiling(1 / 2)) = 5``):

    >>> quantile_groups(range(1, 11)).tolist()
    [5.0, 5.0, 4.0, 4.0, 3.0, 3.0, 2.0, 2.0, 1.0, 1.0]
    """
    try:
        numbers = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"values must be numbers: {error}") from None
    if numbers.ndim != 1:
        raise ValueError("values must be a one-dimensional sequence of numbers")
    if isinstance(nquantiles, bool) or not isinstance(nquantiles, int | np.integer):
        raise ValueError(f"nquantiles must be a whole number of at least 2; got {nquantiles!r}")
    if nquantiles < 2:
        raise ValueError(f"nquantiles must be a whole number of at least 2; got {nquantiles!r}")
    if not isinstance(invert, bool | np.bool_):
        raise ValueError(f"invert must be True or False; got {invert!r}")
    present = ~np.isnan(numbers)
    count = int(present.sum())
    groups = np.full(numbers.shape, np.nan)
    if count < nquantiles:
        return groups
    adjusted = np.nanmax(numbers) - numbers if invert else numbers
    rank = pd.Series(adjusted[present]).rank(method="min").to_numpy()
    group = np.floor((nquantiles + 1) - np.ceil(((count + 1) - rank) / (count / nquantiles)))
    groups[present] = np.where(group == 0, 1, group)
    return groups
