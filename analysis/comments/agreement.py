"""Inter-coder agreement: how far two or more people coding the same comments agree.

The public function is :func:`agreement`, which takes the long coding table and returns
one row per code plus an ``overall`` row. The statistics it reports are also available on
their own, each taking a ratings matrix (one row per comment, one column per coder, NaN
where a coder did not code the comment; see :mod:`analysis.comments.ratings`):

- :func:`percent_agreement`: the share of agreeing pairs of coders, not chance-corrected;
- :func:`cohen_kappa`: Cohen's kappa, exactly two coders;
- :func:`fleiss_kappa`: Fleiss' kappa, any number of coders;
- :func:`krippendorff_alpha`: Krippendorff's alpha, any number of coders and missing codings;
- :func:`gwet_ac1`: Gwet's AC1, which stays stable when a code is rare.

Chance-corrected coefficients fall when a code is rare even though coders agree almost
always (the "kappa paradox", Feinstein and Cicchetti 1990); reporting prevalence, percent
agreement and AC1 beside kappa and alpha makes that visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis.comments.ratings import (
    category_counts,
    category_matrix,
    code_matrices,
    cross_table,
    reliability_sample,
)
from analysis.datapackage.codings import CODE_SEPARATOR, clean_codings

__all__ = [
    "AGREEMENT_COLUMNS",
    "agreement",
    "PAIRWISE_COLUMNS",
    "pairwise_agreement",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
]

AGREEMENT_COLUMNS = [
    "code",
    "n_units",
    "n_coders",
    "prevalence",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
]
"""The columns of the table :func:`agreement` returns, in order."""

PAIRWISE_COLUMNS = ["coders", "coder_a", "coder_b", *AGREEMENT_COLUMNS]
"""The columns of the table :func:`pairwise_agreement` returns, in order."""

Ratings = pd.DataFrame | np.ndarray | Sequence[Sequence[object]]
_BINARY = (0, 1)
_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _chance_corrected(observed: float, chance: float) -> float:
    """(observed - chance) / (1 - chance); NaN where chance agreement is 1 (0/0)."""
    if np.isclose(chance, 1.0):
        return float("nan")
    return float((observed - chance) / (1.0 - chance))


def _pairable(counts: np.ndarray) -> np.ndarray:
    """The rows of a category-count table for comments with two or more codings."""
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        raise ValueError(
            "no comment has codings from two or more coders, so there is no pair of "
            "codings to compare"
        )
    return pairable


def _observed_agreement(counts: np.ndarray) -> float:
    pairable = _pairable(counts)
    coders = pairable.sum(axis=1)
    agreeing_pairs = (pairable * (pairable - 1)).sum(axis=1)
    return float(np.mean(agreeing_pairs / (coders * (coders - 1))))


def _category_shares(counts: np.ndarray) -> np.ndarray:
    """pi_k: the mean over coded comments of the share of its codings in category k."""
    coded = counts[counts.sum(axis=1) >= 1]
    return (coded / coded.sum(axis=1, keepdims=True)).mean(axis=0)


def percent_agreement(ratings: Ratings) -> float:
    r"""Percent agreement: the share of pairs of coders who coded a comment alike.

    Parameters
    ----------
    ratings
        Units x coders matrix: one row per comment, one column per coder, NaN or None
        where a coder did not code the comment.

    Returns
    -------
    float
        Between 0 and 1. For two coders, the share of the comments both coded on which
        they agree.

    Raises
    ------
    ValueError
        If no comment was coded by two or more coders.

    Notes
    -----
    With :math:`n_{ik}` the coders who put comment :math:`i` in category :math:`k` and
    :math:`r_i = \sum_k n_{ik}`, over the :math:`n'` comments with :math:`r_i \ge 2`:

    .. math:: p_a = \frac{1}{n'} \sum_i \sum_k \frac{n_{ik}(n_{ik} - 1)}{r_i(r_i - 1)}

    This is Fleiss' (1971) :math:`\bar P`, extended to missing codings by Gwet (2014),
    and the ``pa`` of R's ``irrCAC``. It is not chance-corrected: with a rare code most
    agreement is on the code's absence. (R's ``irr::agree`` counts instead the comments on
    which *all* coders agree; for two coders the two are the same.)

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
       *Psychological Bulletin*, 76(5), 378-382.
    .. [2] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.), ch. 2.
       Advanced Analytics.

    Examples
    --------
    Krippendorff's (2011) four coders, twelve comments, with missing codings:

    >>> ratings = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...            [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...            [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None]]
    >>> round(percent_agreement(ratings), 7)
    0.8181818

    In R: ``irrCAC::pa.coeff.raw(cac.raw4raters)$est$pa`` gives 0.8181818.
    """
    counts, _ = category_counts(ratings)
    return _observed_agreement(counts)


def cohen_kappa(ratings: Ratings, categories: Sequence[object] | None = None) -> float:
    r"""Cohen's kappa for two coders.

    Parameters
    ----------
    ratings
        Units x 2 matrix: one row per comment, one column per coder, NaN or None where a
        coder did not code the comment. Comments not coded by both are left out.
    categories
        Every possible category. Default: the values found. (Categories nobody used do
        not change kappa.)

    Returns
    -------
    float
        1 for perfect agreement, 0 for agreement at chance level; NaN where chance
        agreement is 1 (both coders used one category only) and kappa is undefined.

    Raises
    ------
    ValueError
        If ``ratings`` does not have exactly two columns, or no comment was coded by both.

    Notes
    -----
    With :math:`p_{kl}` the share of comments the first coder put in :math:`k` and the
    second in :math:`l`, and :math:`p_{k+}`, :math:`p_{+k}` the two coders' own shares:

    .. math:: \kappa = \frac{p_o - p_e}{1 - p_e}, \quad p_o = \sum_k p_{kk}, \quad
              p_e = \sum_k p_{k+} \, p_{+k}

    Chance agreement uses each coder's own distribution over categories. Computed by
    statsmodels' ``inter_rater.cohens_kappa`` on the cross table of the two coders.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational
       and Psychological Measurement*, 20(1), 37-46.

    Examples
    --------
    Krippendorff's (2011) two coders of ten comments, binary:

    >>> ratings = list(zip([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]))
    >>> round(cohen_kappa(ratings), 7)
    0.0909091

    In R: ``irr::kappa2(cbind(a, b))$value`` and ``psych::cohen.kappa(cbind(a, b))$kappa``
    both give 0.09090909.
    """
    table = cross_table(ratings, categories).to_numpy()
    total = table.sum()
    if total == 0:
        raise ValueError("no comment was coded by both coders, so Cohen's kappa is undefined")
    shares = table / total
    if np.isclose(float(shares.sum(axis=1) @ shares.sum(axis=0)), 1.0):
        return float("nan")  # both coders used one category only: kappa is 0/0
    from statsmodels.stats.inter_rater import cohens_kappa  # heavy: only where it is used

    return float(cohens_kappa(table, return_results=False))


def fleiss_kappa(ratings: Ratings, categories: Sequence[object] | None = None) -> float:
    r"""Fleiss' kappa for any number of coders, missing codings allowed.

    Parameters
    ----------
    ratings
        Units x coders matrix: one row per comment, one column per coder, NaN or None
        where a coder did not code the comment.
    categories
        Every possible category. Default: the values found. (Categories nobody used do
        not change kappa.)

    Returns
    -------
    float
        1 for perfect agreement, 0 at chance level; NaN where chance agreement is 1.

    Raises
    ------
    ValueError
        If no comment was coded by two or more coders.

    Notes
    -----
    With :math:`p_a` the percent agreement (see :func:`percent_agreement`), :math:`r_i`
    the coders of comment :math:`i` and :math:`n` the comments coded at all:

    .. math:: \kappa_F = \frac{p_a - p_e}{1 - p_e}, \quad p_e = \sum_k \pi_k^2, \quad
              \pi_k = \frac{1}{n} \sum_i \frac{n_{ik}}{r_i}

    With every comment coded by every coder this is Fleiss (1971); with missing codings
    it is Gwet's (2014) extension, as in R's ``irrCAC::fleiss.kappa.raw`` (a comment coded
    once counts towards :math:`\pi_k` but not :math:`p_a`). statsmodels'
    ``inter_rater.fleiss_kappa`` assumes the same number of coders for every comment, so
    it differs from this wherever a coding is missing; hence the computation here.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
       *Psychological Bulletin*, 76(5), 378-382.
    .. [2] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.), ch. 2.
       Advanced Analytics.

    Examples
    --------
    >>> ratings = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...            [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...            [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None]]
    >>> round(fleiss_kappa(ratings), 5)
    0.76117

    In R: ``irrCAC::fleiss.kappa.raw(cac.raw4raters)$est$coeff.val`` gives 0.76117.
    """
    counts, _ = category_counts(ratings, categories)
    return _fleiss_from_counts(counts, _observed_agreement(counts))


def _fleiss_from_counts(counts: np.ndarray, observed: float) -> float:
    return _chance_corrected(observed, float(np.sum(_category_shares(counts) ** 2)))


def gwet_ac1(ratings: Ratings, categories: Sequence[object] | None = None) -> float:
    r"""Gwet's AC1 for any number of coders, missing codings allowed.

    Parameters
    ----------
    ratings
        Units x coders matrix: one row per comment, one column per coder, NaN or None
        where a coder did not code the comment.
    categories
        Every possible category. Unlike kappa, AC1 depends on how many categories there
        are (:math:`q`), so pass them all when some went unused (``[0, 1]`` for a code
        applied or not). Default: the values found.

    Returns
    -------
    float
        1 for perfect agreement, 0 at chance level; NaN with fewer than two categories.

    Raises
    ------
    ValueError
        If no comment was coded by two or more coders.

    Notes
    -----
    With :math:`p_a` the percent agreement and :math:`\pi_k` as in :func:`fleiss_kappa`:

    .. math:: AC_1 = \frac{p_a - p_e}{1 - p_e}, \quad
              p_e = \frac{1}{q - 1} \sum_{k=1}^{q} \pi_k (1 - \pi_k)

    Chance agreement is small when one category dominates, so AC1 stays high when a
    rare code is rarely applied and coders agree on its absence, where kappa and alpha
    fall (the kappa paradox). As in R's ``irrCAC::gwet.ac1.raw``.

    References
    ----------
    .. [1] Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the
       presence of high agreement. *British Journal of Mathematical and Statistical
       Psychology*, 61(1), 29-48.
    .. [2] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.), ch. 2.
       Advanced Analytics.

    Examples
    --------
    >>> ratings = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...            [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...            [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None]]
    >>> round(gwet_ac1(ratings), 5)
    0.77544

    In R: ``irrCAC::gwet.ac1.raw(cac.raw4raters)$est$coeff.val`` gives 0.77544.
    """
    counts, _ = category_counts(ratings, categories)
    return _ac1_from_counts(counts, _observed_agreement(counts))


def _ac1_from_counts(counts: np.ndarray, observed: float) -> float:
    n_categories = counts.shape[1]
    if n_categories < 2:
        return float("nan")
    shares = _category_shares(counts)
    chance = float(np.sum(shares * (1.0 - shares)) / (n_categories - 1))
    return _chance_corrected(observed, chance)


def _squared_differences(level: str, categories: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Krippendorff's metric differences delta^2 between every pair of categories."""
    if level == "nominal":
        return 1.0 - np.eye(len(categories))
    try:
        values = categories.astype(float)
    except (TypeError, ValueError):
        raise ValueError(
            f"level={level!r} needs numeric categories; got {categories.tolist()}"
        ) from None
    if level == "interval":
        return np.subtract.outer(values, values) ** 2
    if level == "ratio":
        sums = np.add.outer(values, values)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.nan_to_num((np.subtract.outer(values, values) / sums) ** 2)
    order = np.argsort(values)
    ranked_totals = totals[order]
    cumulative = np.concatenate([[0.0], np.cumsum(ranked_totals)])
    ranks = np.arange(len(order))
    low, high = np.minimum.outer(ranks, ranks), np.maximum.outer(ranks, ranks)
    between = cumulative[high + 1] - cumulative[low]
    ordinal = (between - (ranked_totals[low] + ranked_totals[high]) / 2.0) ** 2
    differences = np.empty_like(ordinal)
    differences[np.ix_(order, order)] = ordinal
    return differences


def krippendorff_alpha(
    ratings: Ratings,
    level: Literal["nominal", "ordinal", "interval", "ratio"] = "nominal",
    categories: Sequence[object] | None = None,
) -> float:
    r"""Krippendorff's alpha for any number of coders, missing codings allowed.

    Parameters
    ----------
    ratings
        Units x coders matrix: one row per comment, one column per coder, NaN or None
        where a coder did not code the comment. Comments coded only once are not
        pairable and do not count.
    level
        The level of measurement: ``"nominal"`` for codes (the default), or
        ``"ordinal"``, ``"interval"``, ``"ratio"`` for numeric ratings.
    categories
        Every possible value. Default: the values found. (Values nobody used do not
        change alpha.)

    Returns
    -------
    float
        1 for perfect reliability, 0 when disagreement is what chance predicts; NaN when
        every pairable coding has the same value (no variation: alpha is undefined).

    Raises
    ------
    ValueError
        If ``level`` is unknown, a numeric level meets non-numeric values, or no comment
        was coded by two or more coders.

    Notes
    -----
    From the coincidence matrix over comments :math:`u` with :math:`m_u \ge 2` codings,

    .. math:: o_{ck} = \sum_u \frac{n_{uc} (n_{uk} - [c = k])}{m_u - 1}, \quad
              n_c = \sum_k o_{ck}, \quad n = \sum_c n_c

    .. math:: \alpha = 1 - \frac{D_o}{D_e} = 1 - (n - 1)
              \frac{\sum_{c,k} o_{ck} \, \delta^2_{ck}}{\sum_{c,k} n_c n_k \, \delta^2_{ck}}

    with :math:`\delta^2_{ck} = [c \ne k]` (nominal), :math:`(c - k)^2` (interval),
    :math:`((c - k)/(c + k))^2` (ratio), or
    :math:`(\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2` (ordinal), as in Krippendorff (2011)
    and R's ``irrCAC::krippen.alpha.raw``. (R's ``irr::kripp.alpha`` leaves out the
    weight :math:`1/(m_u - 1)` when no coding is missing, so with three or more coders
    and complete data it differs slightly: 0.431 instead of 0.433 on Fleiss' 1971 data.)

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
       Departmental Papers (ASC) 43, Annenberg School for Communication, University of
       Pennsylvania.
    .. [2] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
       reliability measure for coding data. *Communication Methods and Measures*, 1(1),
       77-89.

    Examples
    --------
    Krippendorff's (2011) example C: four coders, twelve comments, missing codings.

    >>> ratings = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...            [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...            [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None]]
    >>> round(krippendorff_alpha(ratings), 3), round(krippendorff_alpha(ratings, "interval"), 3)
    (0.743, 0.849)

    In R: ``irr::kripp.alpha(t(cac.raw4raters), "nominal")$value`` gives 0.7434211.
    """
    if level not in _LEVELS:
        raise ValueError(f"level must be one of {_LEVELS}; got {level!r}")
    counts, found = category_counts(ratings, categories)
    return _alpha_from_counts(counts, found, level)


def _alpha_from_counts(counts: np.ndarray, found: np.ndarray, level: str) -> float:
    pairable = _pairable(counts).astype(float)
    weights = 1.0 / (pairable.sum(axis=1) - 1.0)
    coincidences = (pairable * weights[:, None]).T @ pairable - np.diag(weights @ pairable)
    totals = coincidences.sum(axis=1)
    total = totals.sum()
    differences = _squared_differences(level, found, totals)
    expected = float(totals @ differences @ totals)
    if np.isclose(expected, 0.0):
        return float("nan")
    return float(1.0 - (total - 1.0) * np.sum(coincidences * differences) / expected)


def _agreement_row(
    code: str, ratings: pd.DataFrame, *, binary: bool, two_coders: bool
) -> dict[str, object]:
    categories = _BINARY if binary else None
    counts, found = category_counts(ratings, categories)
    observed = _observed_agreement(counts)
    return {
        "code": code,
        "n_units": len(ratings),
        "n_coders": ratings.shape[1],
        "prevalence": float(np.nanmean(ratings.to_numpy(dtype=float))) if binary else np.nan,
        "percent_agreement": observed,
        "cohen_kappa": cohen_kappa(ratings, categories) if two_coders else np.nan,
        "fleiss_kappa": _fleiss_from_counts(counts, observed),
        "krippendorff_alpha": _alpha_from_counts(counts, found, "nominal"),
        "gwet_ac1": _ac1_from_counts(counts, observed),
    }


def agreement(codings: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Inter-coder agreement per code and overall, from a long coding table.

    Parameters
    ----------
    codings
        One row per comment, coder and code applied, with columns ``comment_id``,
        ``coder`` and ``code`` (or ``code_id``, as in the data package). A coder who read
        a comment and applied no code is recorded with a blank code, so absence is known,
        not guessed. A coder with no row for a comment did not code it (missing).
        Repeated (comment, coder, code) rows are counted once, with a warning.
    codes
        The codes to report, in this order (for example the codebook's, so that a code
        never applied still gets a row). Default: the codes found, sorted.

    Returns
    -------
    pandas.DataFrame
        One row per code, then a row with code ``"overall"``; columns
        :data:`AGREEMENT_COLUMNS`:

        - ``n_units``: comments coded by two or more coders (the reliability sample);
          comments coded once are left out of every statistic;
        - ``n_coders``: coders with codings in that sample;
        - ``prevalence``: the share of codings in the sample that apply the code (NaN in
          the overall row);
        - ``percent_agreement``, ``cohen_kappa``, ``fleiss_kappa``,
          ``krippendorff_alpha`` (nominal), ``gwet_ac1``: see the functions of the same
          names. Cohen's kappa is given only when the sample has exactly two coders, and
          is NaN otherwise (read Fleiss' kappa then). A coefficient is NaN where it is
          undefined, e.g. kappa and alpha for a code nobody applied.

        ``result.attrs["notes"]`` lists, in words, what a reader should know (why a
        column is NaN, comments left out, how several codes per comment were handled).

    Raises
    ------
    ValueError
        If a column is missing, a row lacks a comment ID or coder, no comment was coded
        by two or more coders, or a code is not in ``codes``.

    Notes
    -----
    Per code, each coder's value for a comment is whether they applied that code (1) or
    not (0), a binary rating. In the overall row the value is the code itself, a nominal
    rating (a blank code is the category "(no code)"), so for a scheme with one code per
    comment the overall row is the ordinary multi-category agreement. Where a coder
    applied several codes to one comment, the overall value is that combination of codes,
    so coders agree only on the same combination; the per-code rows are then the fairer
    summary.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
       Departmental Papers (ASC) 43, University of Pennsylvania.
    .. [2] Feinstein, A. R., & Cicchetti, D. V. (1990). High agreement but low kappa: I.
       The problems of two paradoxes. *Journal of Clinical Epidemiology*, 43(6), 543-549.
    .. [3] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.).
       Advanced Analytics.

    Examples
    --------
    >>> codings = pd.DataFrame({
    ...     "comment_id": ["c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4"],
    ...     "coder": ["AB", "CD"] * 4,
    ...     "code": ["pay", "pay", "staffing", "pay", None, None, "staffing", "staffing"],
    ... })
    >>> table = agreement(codings)
    >>> table[["code", "n_units", "prevalence", "percent_agreement"]]
           code  n_units  prevalence  percent_agreement
    0       pay        4       0.375               0.75
    1  staffing        4       0.375               0.75
    2   overall        4         NaN               0.75

    In R, the overall Cohen's kappa: ``irr::kappa2(cbind(c("pay", "staffing", "none",
    "staffing"), c("pay", "pay", "none", "staffing")))$value`` gives 0.6363636.

    >>> round(float(table.loc[2, "cohen_kappa"]), 7)
    0.6363636
    """
    clean = clean_codings(codings)
    sample = reliability_sample(clean)
    left_out = clean["comment_id"].nunique() - sample["comment_id"].nunique()
    coders = sorted(sample["coder"].unique().tolist())
    two_coders = len(coders) == 2

    rows = [
        _agreement_row(code, ratings, binary=True, two_coders=two_coders)
        for code, ratings in code_matrices(sample, codes).items()
    ]
    overall = category_matrix(sample)
    rows.append(_agreement_row("overall", overall, binary=False, two_coders=two_coders))
    result = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)

    notes = []
    if left_out:
        notes.append(
            f"{left_out} comment(s) coded by one coder only are left out: agreement is "
            f"measured on the {len(overall)} comments coded by two or more."
        )
    if not two_coders:
        notes.append(
            f"cohen_kappa is NaN: Cohen's kappa compares exactly two coders and these "
            f"codings have {len(coders)} ({', '.join(coders)}); read fleiss_kappa instead."
        )
    if overall.stack().astype(str).str.contains(CODE_SEPARATOR, regex=False).any():
        notes.append(
            "Some coders applied several codes to one comment: in the overall row each "
            "coder's value is the combination of codes, so only identical combinations "
            "agree; the per-code rows are the fairer summary."
        )
    result.attrs["notes"] = notes
    return result


def pairwise_agreement(
    codings: pd.DataFrame,
    codes: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Agreement between each pair of coders, per code and overall, one block per pair.

    Where a model codes beside people (:data:`analysis.comments.MODEL_CODER`), its
    agreement with each person sits beside the agreement between the people, each on the
    comments both coders of the pair coded.

    Parameters
    ----------
    codings
        As for :func:`agreement`, with any number of coders.
    codes
        As for :func:`agreement`.
    pairs
        The pairs ``(coder_a, coder_b)`` to compare, in this order. Default: every pair of
        coders, in alphabetical order.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIRWISE_COLUMNS`: ``coders`` (``"coder_a and coder_b"``),
        ``coder_a``, ``coder_b``, then the rows of :func:`agreement` for that pair (so
        ``cohen_kappa`` is always given). A pair with no comment coded by both is left
        out, and said so in ``result.attrs["notes"]``, with the notes of :func:`agreement`
        (each once, followed by the pairs it concerns).

    Raises
    ------
    ValueError
        As for :func:`agreement`; also if a coder of ``pairs`` has no codings, or a pair
        names one coder twice, or no pair has a comment coded by both.

    Notes
    -----
    Each block is exactly :func:`agreement` of the codings of the two coders, so the
    methods and references are those of :func:`agreement` (Cohen 1960; Fleiss 1971;
    Krippendorff 2011; Gwet 2014).

    Examples
    --------
    The example of :func:`agreement` with a third coder, ``model``:

    >>> codings = pd.DataFrame({
    ...     "comment_id": ["c1", "c2", "c3", "c4"] * 3,
    ...     "coder": ["AB"] * 4 + ["CD"] * 4 + ["model"] * 4,
    ...     "code": ["pay", "staffing", None, "staffing", "pay", "pay", None, "staffing",
    ...              "pay", "staffing", "staffing", "staffing"]})
    >>> table = pairwise_agreement(codings)
    >>> table.loc[table["code"] == "overall", ["coders", "percent_agreement", "cohen_kappa"]]
             coders  percent_agreement  cohen_kappa
    2     AB and CD               0.75     0.636364
    5  AB and model               0.75     0.555556
    8  CD and model               0.50     0.272727
    """
    clean = clean_codings(codings)
    coders = sorted(clean["coder"].unique().tolist())
    if pairs is None:
        pairs = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1 :]]
    blocks, notes = [], []
    said: dict[str, list[str]] = {}  # each note of agreement(), and the pairs it is about
    for coder_a, coder_b in pairs:
        for coder in (coder_a, coder_b):
            if coder not in coders:
                raise ValueError(f"coder {coder!r} has no codings; the coders are {coders}")
        if coder_a == coder_b:
            raise ValueError(f"a pair compares two coders, not {coder_a!r} with itself")
        both = clean[clean["coder"].isin([coder_a, coder_b])]
        shared = both.groupby("comment_id")["coder"].nunique()
        if not (shared == 2).any():
            notes.append(f"{coder_a} and {coder_b} coded no comment in common: left out.")
            continue
        block = agreement(both, codes)
        for note in block.attrs["notes"]:
            said.setdefault(note, []).append(f"{coder_a} and {coder_b}")
        block.insert(0, "coder_b", coder_b)
        block.insert(0, "coder_a", coder_a)
        block.insert(0, "coders", f"{coder_a} and {coder_b}")
        blocks.append(block)
    if not blocks:
        raise ValueError("no pair of coders coded a comment in common")
    result = pd.concat(blocks, ignore_index=True)[PAIRWISE_COLUMNS]
    result.attrs["notes"] = notes + [f"{note} ({'; '.join(named)})" for note, named in said.items()]
    return result
