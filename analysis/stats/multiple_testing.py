"""Adjusting p-values across many items: Holm and Benjamini-Hochberg, as R's ``p.adjust``."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

from analysis.stats._validation import ArrayLike, as_float_array, like_input

__all__ = ["adjust_p_values", "P_VALUE_METHODS"]

#: Accepted ``method`` names: Holm's family-wise error control and Benjamini-Hochberg's
#: false discovery rate.
P_VALUE_METHODS = ("holm", "bh")

_STATSMODELS_METHOD = {"holm": "holm", "bh": "fdr_bh"}


def adjust_p_values(p: ArrayLike, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons, as R's ``p.adjust(p, method)``.

    Parameters
    ----------
    p
        p-values between 0 and 1. Missing values (e.g. a suppressed item) stay missing and
        are not counted among the tests, as in R.
    method
        ``"holm"`` (Holm's step-down method, controls the family-wise error rate) or
        ``"bh"`` (Benjamini-Hochberg, controls the false discovery rate); case-insensitive,
        and R's names ``"BH"`` and ``"fdr"`` are accepted for the latter.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Adjusted p-values in the original order (a Series with the same index for a
        Series, a float for a single value).

    Raises
    ------
    ValueError
        If ``method`` is unknown or a p-value is outside [0, 1].

    Notes
    -----
    With the :math:`m` non-missing p-values sorted increasingly, :math:`p_{(1)} \\le \\dots \\le
    p_{(m)}`:

    * Holm: :math:`\\tilde p_{(i)} = \\min(1, \\max_{j \\le i} (m - j + 1)\\, p_{(j)})`;
    * Benjamini-Hochberg: :math:`\\tilde p_{(i)} = \\min(1, \\min_{j \\ge i} m\\, p_{(j)} / j)`.

    References
    ----------
    Holm S (1979). A simple sequentially rejective multiple test procedure. Scandinavian
    Journal of Statistics 6:65-70.
    Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. J R Stat Soc B 57:289-300.
    R Core Team, ``stats::p.adjust``. Computed by statsmodels' ``multipletests`` (methods
    ``holm`` and ``fdr_bh``), which gives the same numbers as R.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], "holm")  # R: p.adjust(c(.01, .04, .03), "holm")
    array([0.03, 0.06, 0.06])
    """
    name = method.lower() if isinstance(method, str) else method
    name = "bh" if name == "fdr" else name
    if name not in P_VALUE_METHODS:
        raise ValueError(f"method must be one of {P_VALUE_METHODS}, got {method!r}")
    values = as_float_array(p, "p")
    flat = values.ravel()
    outside = (flat < 0) | (flat > 1)
    if outside.any():
        raise ValueError(f"p-values must be between 0 and 1; got {flat[outside][0]:g}")
    present = ~np.isnan(flat)
    adjusted = np.full(flat.shape, np.nan)
    if present.any():
        adjusted[present] = multipletests(flat[present], method=_STATSMODELS_METHOD[name])[1]
    return like_input(adjusted.reshape(values.shape), p)
