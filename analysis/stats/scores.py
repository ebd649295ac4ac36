"""Scale scores as the NHS staff survey computes them: 0-10 item scores and theme scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats._validation import ArrayLike, as_float_array, like_input
from analysis.stats.weighted import weighted_mean

__all__ = ["reverse_codes", "score_0_to_10", "respondent_theme_scores", "theme_score"]


def _check_codes(codes: ArrayLike, scale_points: int) -> np.ndarray:
    if isinstance(scale_points, bool) or not isinstance(scale_points, int | np.integer):
        raise ValueError(f"scale_points must be a whole number, got {scale_points!r}")
    if scale_points < 2:
        raise ValueError(f"scale_points must be 2 or more, got {scale_points}")
    values = as_float_array(codes, "codes")
    present = values[~np.isnan(values)]
    bad = (present < 1) | (present > scale_points) | (present != np.round(present))
    if bad.any():
        raise ValueError(
            f"codes must be whole numbers from 1 to {scale_points} or missing; got "
            f"{present[bad][0]:g}. Set excluded codes (e.g. 'don't know') to missing first."
        )
    return values


def reverse_codes(codes: ArrayLike, scale_points: int = 5) -> ArrayLike:
    """Reverse answer codes on a 1..``scale_points`` scale: ``scale_points + 1 - code``.

    Use it for reverse-scored items (where agreeing is the negative answer) before averaging
    raw codes, as in the 1-5 "key finding" scale scores of the 2003-2008 NHS staff surveys.

    Parameters
    ----------
    codes
        Answer codes 1..``scale_points``; missing stays missing.
    scale_points
        Number of points on the scale (5 for strongly disagree .. strongly agree).

    Returns
    -------
    The reversed codes, in the shape of ``codes``.

    Raises
    ------
    ValueError
        If a code is not a whole number from 1 to ``scale_points``.

    Examples
    --------
    >>> reverse_codes([1, 2, 5])
    array([5., 4., 1.])
    """
    values = _check_codes(codes, scale_points)
    return like_input(scale_points + 1 - values, codes)


def score_0_to_10(codes: ArrayLike, scale_points: int = 5, reverse: bool = False) -> ArrayLike:
    """Score answer codes 0-10 in the positive direction, as the NHS staff survey does.

    Parameters
    ----------
    codes
        Answer codes 1..``scale_points``, where the highest code is the most positive
        answer unless ``reverse``. Excluded codes must already be missing; missing stays
        missing.
    scale_points
        Number of points on the scale; 5 maps 1..5 to 0, 2.5, 5, 7.5, 10.
    reverse
        True for reverse-scored items (the lowest code is the most positive answer): 1..5
        map to 10, 7.5, 5, 2.5, 0.

    Returns
    -------
    Scores 0-10 in the shape of ``codes``.

    Raises
    ------
    ValueError
        If a code is not a whole number from 1 to ``scale_points``.

    Notes
    -----
    :math:`s = 10\\,(c - 1)/(K - 1)` for code :math:`c` on a :math:`K`-point scale, or
    :math:`10\\,(K - c)/(K - 1)` when reversed: equally spaced scores from 0 (the most
    negative answer) to 10 (the most positive), as in the NHS staff survey's theme scores
    since 2018.

    References
    ----------
    NHS Staff Survey Coordination Centre, technical document published with each year's
    benchmark reports (scoring of questions for theme scores).

    Examples
    --------
    >>> score_0_to_10([1, 2, 3, 4, 5])
    array([ 0. ,  2.5,  5. ,  7.5, 10. ])
    """
    values = _check_codes(codes, scale_points)
    positive_codes = scale_points + 1 - values if reverse else values
    return like_input(10 * (positive_codes - 1) / (scale_points - 1), codes)


def respondent_theme_scores(item_scores: pd.DataFrame, min_items: int = 1) -> pd.Series:
    """Each respondent's theme score: the mean of the theme's items they answered.

    Parameters
    ----------
    item_scores
        One row per respondent, one column per item of the theme, holding 0-10 scores from
        :func:`score_0_to_10` (or raw 1-5 codes for the older key-finding scales); missing
        where not answered.
    min_items
        A respondent needs at least this many answered items to get a score (1 by default:
        any answered item counts).

    Returns
    -------
    pandas.Series
        One score per respondent (same index); missing where fewer than ``min_items`` items
        were answered.

    Raises
    ------
    ValueError
        If ``item_scores`` is not a DataFrame of numbers or ``min_items`` is not between 1
        and the number of items.

    Examples
    --------
    >>> respondent_theme_scores(pd.DataFrame({"a": [10, 5.0], "b": [7.5, None]})).tolist()
    [8.75, 5.0]
    """
    if not isinstance(item_scores, pd.DataFrame):
        raise ValueError("item_scores must be a pandas DataFrame with one column per item")
    if not 1 <= min_items <= item_scores.shape[1]:
        raise ValueError(
            f"min_items must be between 1 and the number of items ({item_scores.shape[1]}), "
            f"got {min_items}"
        )
    scores = np.column_stack(
        [as_float_array(item_scores[name], f"item {name!r}") for name in item_scores.columns]
    )
    answered = (~np.isnan(scores)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        means = np.nansum(scores, axis=1) / answered
    return pd.Series(
        np.where(answered >= min_items, means, np.nan), index=item_scores.index, name="score"
    )


def theme_score(
    item_scores: pd.DataFrame, weights: ArrayLike | None = None, min_items: int = 1
) -> float:
    """A theme's score: the mean over respondents of their theme scores, optionally weighted.

    Parameters
    ----------
    item_scores
        As for :func:`respondent_theme_scores`.
    weights
        Respondents' weights (e.g. :func:`~analysis.stats.nonresponse_weights`); None for
        the unweighted mean. For the weighted score's standard error use
        :func:`~analysis.stats.weighted_mean` on :func:`respondent_theme_scores`.
    min_items
        As for :func:`respondent_theme_scores`.

    Returns
    -------
    float
        The theme score (NaN if no respondent has a score).

    Raises
    ------
    ValueError
        As :func:`respondent_theme_scores`, or for invalid weights.

    Notes
    -----
    A respondent's theme score is the mean of the item scores they gave; the theme score is
    the (weighted) mean of the respondents' theme scores, so every respondent counts once
    however many of the theme's items they answered.

    Examples
    --------
    >>> theme_score(pd.DataFrame({"a": [10, 5.0], "b": [7.5, None]}))  # (8.75 + 5) / 2
    6.875
    """
    respondent_scores = respondent_theme_scores(item_scores, min_items)
    if weights is None:
        return float(respondent_scores.mean())
    return weighted_mean(respondent_scores, weights)[0]
