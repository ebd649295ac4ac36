"""Internal consistency of a theme: Cronbach's alpha and item-rest correlations, as psych."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.stats._validation import as_float_array

__all__ = ["cronbach_alpha", "item_rest_correlations", "ALPHA_CI_METHODS"]

#: Interval methods of :func:`cronbach_alpha`; both are printed by ``psych::alpha`` under
#: "95% confidence boundaries".
ALPHA_CI_METHODS = ("feldt", "duhachek")

#: ``psych::alpha`` prints the Duhachek interval as alpha +/- 1.96 ase (a rounded quantile).
_PSYCH_Z = 1.96


def _item_covariance(items: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Validate ``items`` and return its pairwise covariance matrix and number of respondents."""
    if not isinstance(items, pd.DataFrame):
        raise ValueError(
            f"items must be a pandas DataFrame, one column per item; got {type(items)}"
        )
    if items.shape[1] < 2:
        raise ValueError(f"items must have at least 2 columns (items), got {items.shape[1]}")
    answers = pd.DataFrame(
        {name: as_float_array(items[name], f"item {name!r}") for name in items.columns},
        index=items.index,
    ).dropna(how="all")
    if len(answers) < 3:
        raise ValueError(f"items need at least 3 respondents with an answer, got {len(answers)}")
    constant = [name for name in answers if not answers[name].std() > 0]
    if constant:
        raise ValueError(
            f"item(s) {constant} have no variance (every answer the same, or fewer than 2 "
            "answers); leave them out of the theme's reliability"
        )
    covariance = answers.cov()
    if covariance.isna().to_numpy().any():
        rows, columns = np.nonzero(covariance.isna().to_numpy())
        raise ValueError(
            f"items {covariance.index[rows[0]]!r} and {covariance.columns[columns[0]]!r} were "
            "both answered by fewer than 2 respondents, so their covariance is undefined"
        )
    return covariance.to_numpy(), len(answers)


def cronbach_alpha(items: pd.DataFrame, ci_method: str = "feldt") -> tuple[float, tuple]:
    """Cronbach's alpha of a set of items with its 95% interval, as R's ``psych::alpha``.

    Parameters
    ----------
    items
        One row per respondent, one numeric column per item (all scored in the same
        direction: reverse reverse-scored items first). Missing answers are allowed: the
        covariances are pairwise, as ``psych::alpha``'s default ``use = "pairwise"``. Rows
        with no answer at all are dropped before counting respondents.
    ci_method
        ``"feldt"`` (default) or ``"duhachek"``: ``psych::alpha`` prints both under "95%
        confidence boundaries"; Feldt's is also what ``psych::alpha.ci`` returns.

    Returns
    -------
    alpha, (ci_low, ci_high)
        psych's ``raw_alpha`` and the chosen 95% interval.

    Raises
    ------
    ValueError
        If ``items`` has fewer than 2 items or 3 respondents, an item has no variance, two
        items share fewer than 2 respondents, or ``ci_method`` is unknown.

    Notes
    -----
    With :math:`C` the :math:`k \\times k` covariance matrix of the items and :math:`n` the
    number of respondents,

    .. math:: \\alpha = \\frac{k}{k - 1}
              \\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1^T C \\mathbf 1}\\right).

    *Feldt* (``psych::alpha.ci``), with :math:`F_q` the :math:`q` quantile of the F
    distribution on :math:`n - 1` and :math:`(n - 1)(k - 1)` degrees of freedom:
    :math:`[1 - (1 - \\alpha) F_{0.975},\\ 1 - (1 - \\alpha) F_{0.025}]`.

    *Duhachek*: :math:`\\alpha \\mp 1.96 \\sqrt{Q / n}` (psych's ``ase``, using 1.96 as psych
    does), where with :math:`S = \\mathbf 1^T C \\mathbf 1`,

    .. math:: Q = \\frac{2k^2}{(k - 1)^2 S^3}\\left[S\\left(\\operatorname{tr}(C^2) +
              (\\operatorname{tr} C)^2\\right) - 2 \\operatorname{tr}(C)\\, \\mathbf 1^T C^2
              \\mathbf 1\\right].

    Unlike ``psych::alpha``, an item with no variance is an error here (psych drops it with
    a warning), and items are never reversed automatically (psych does so only with
    ``check.keys = TRUE``).

    References
    ----------
    Cronbach LJ (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16:297-334.
    Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha.
    Applied Psychological Measurement 11:93-103.
    Duhachek A, Iacobucci D (2004). Alpha's standard error (ASE): an accurate and precise
    confidence interval estimate. Journal of Applied Psychology 89:792-808.
    Revelle W, psych: procedures for psychological, psychometric and personality research
    (R package), ``alpha`` and ``alpha.ci``.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
    >>> cronbach_alpha(data)  # R: psych::alpha(data): raw_alpha and $feldt
    (0.94508670520231..., (0.72254331754362..., 0.99388464802810...))
    """
    if ci_method not in ALPHA_CI_METHODS:
        raise ValueError(f"ci_method must be one of {ALPHA_CI_METHODS}, got {ci_method!r}")
    covariance, n = _item_covariance(items)
    k = covariance.shape[0]
    total = covariance.sum()
    trace = np.trace(covariance)
    alpha = k / (k - 1) * (1 - trace / total)
    if ci_method == "feldt":
        df_respondents, df_error = n - 1, (n - 1) * (k - 1)
        low = 1 - (1 - alpha) * stats.f.ppf(0.975, df_respondents, df_error)
        high = 1 - (1 - alpha) * stats.f.ppf(0.025, df_respondents, df_error)
    else:
        squared = covariance @ covariance
        q = (2 * k**2 / ((k - 1) ** 2 * total**3)) * (
            total * (np.trace(squared) + trace**2) - 2 * trace * squared.sum()
        )
        half_width = _PSYCH_Z * np.sqrt(q / n)
        low, high = alpha - half_width, alpha + half_width
    return float(alpha), (float(low), float(high))


def item_rest_correlations(items: pd.DataFrame) -> pd.Series:
    """Correlation of each item with the sum of the other items (psych's ``r.drop``).

    Parameters
    ----------
    items
        As for :func:`cronbach_alpha`.

    Returns
    -------
    pandas.Series
        One correlation per item, indexed by the item columns.

    Raises
    ------
    ValueError
        As for :func:`cronbach_alpha`.

    Notes
    -----
    From the pairwise covariance matrix :math:`C`, for item :math:`i`:
    :math:`r_i = \\sum_{j \\ne i} C_{ij} / \\sqrt{C_{ii} \\sum_{j, l \\ne i} C_{jl}}`, the
    ``r.drop`` column of ``psych::alpha(items)$item.stats``. A low or negative value marks
    an item that does not hang together with the rest of the theme.

    References
    ----------
    Revelle W, psych (R package), ``alpha``: ``item.stats$r.drop``.
    """
    covariance, _ = _item_covariance(items)
    k = covariance.shape[0]
    correlations = np.empty(k)
    for i in range(k):
        rest = np.arange(k) != i
        correlations[i] = covariance[i, rest].sum() / np.sqrt(
            covariance[i, i] * covariance[np.ix_(rest, rest)].sum()
        )
    return pd.Series(correlations, index=items.columns, name="item_rest_correlation")
