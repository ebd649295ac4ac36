"""Theme scores (0-10, or the 1-5 key-finding scale) and whether each theme hangs together.

As the NHS staff survey computes them: every answer is scored in the positive direction
(0, 2.5, 5, 7.5, 10 on a five-point scale; 0 and 10 on a yes/no item), a respondent's theme
score is the mean of the theme's items they answered, and the theme score is the mean (or
workforce-weighted mean) over respondents. The 2003-2008 surveys reported "key findings"
on the 1-5 scale instead: the same, with five-point items' codes oriented so that 5 is the
most positive answer. Cronbach's alpha and item-rest correlations of the 0-10 item scores
tell whether a theme's items measure one thing in this organisation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as distributions

from analysis.datapackage.groups import label_groups
from analysis.datapackage.respondents import (
    SCORINGS,
    check_scoring,
    respondent_item_scores,
    respondent_themes,
)
from analysis.stats import (
    cronbach_alpha,
    item_rest_correlations,
)

__all__ = [
    "THEME_SCORE_COLUMNS",
    "RELIABILITY_COLUMNS",
    "ITEM_REST_COLUMNS",
    "theme_scores",
    "theme_scores_by_group",
    "theme_reliability",
    "item_rest",
]


THEME_SCORE_COLUMNS = (
    "n",
    "score",
    "ci_low",
    "ci_high",
    "score_weighted",
    "se_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
)
"""Figures of a theme score after its key columns (year, groups, theme)."""

RELIABILITY_COLUMNS = ("year", "theme", "items", "n", "alpha", "ci_low", "ci_high", "note")
"""Columns of :func:`theme_reliability`."""

ITEM_REST_COLUMNS = ("year", "theme", "item_id", "n", "item_rest_correlation", "note")
"""Columns of :func:`item_rest`."""


def _summarise(
    respondents: pd.DataFrame, by: Sequence[str], scoring: str, conf: float
) -> pd.DataFrame:
    """Mean with t interval and weighted mean with svymean SE, per year, group and theme."""
    keys = ["year", *by, "theme"]
    y = respondents["score"].to_numpy(dtype=float)
    w = respondents["weight"].to_numpy(dtype=float)
    present = ~np.isnan(y)
    y0, w0 = np.where(present, y, 0.0), np.where(present, w, 0.0)
    parts = pd.DataFrame(
        {
            "n": present.astype(np.int64),
            "y": y0,
            "yy": y0**2,
            "W": w0,
            "Wy": w0 * y0,
            "WWy": w0**2 * y0,
            "WWyy": w0**2 * y0**2,
            "WW": w0**2,
        }
    )
    sums = parts.groupby([respondents[k] for k in keys], sort=True, observed=True).sum()
    n = sums["n"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums["y"] / n
        variance = (sums["yy"] - n * mean**2) / (n - 1)
        half = distributions.t.ppf(0.5 + conf / 2, n - 1) * np.sqrt(variance.clip(lower=0) / n)
        weighted = sums["Wy"] / sums["W"]
        squares = sums["WWyy"] - 2 * weighted * sums["WWy"] + weighted**2 * sums["WW"]
        se = np.sqrt(n / (n - 1) * squares.clip(lower=0)) / sums["W"]
    low, high = SCORINGS[scoring]
    table = pd.DataFrame(
        {
            "n": sums["n"],
            "score": mean,
            "ci_low": (mean - half).where(n > 1),
            "ci_high": (mean + half).where(n > 1),
            "score_weighted": weighted,
            "se_weighted": se.where(n > 1),
        }
    )
    table["ci_low_weighted"] = (weighted - 1.96 * table["se_weighted"]).clip(low, high)
    table["ci_high_weighted"] = (weighted + 1.96 * table["se_weighted"]).clip(low, high)
    table = table.reset_index()
    table["theme"] = table["theme"].astype("str")
    return table


def theme_scores(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    by: Sequence[str] = (),
    weights: pd.DataFrame | None = None,
    scoring: str = "0-10",
    min_items: int = 1,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Theme scores per year (and group), unweighted with a t interval and weighted with SE.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    by
        Group columns to score within.
    weights
        From :func:`~analysis.survey.workforce_weights`; ``None`` leaves the weighted
        columns missing.
    scoring
        ``"0-10"`` (NHS theme scores) or ``"1-5"`` (2003-2008 key findings).
    min_items
        Answered items a respondent needs for a theme score.
    conf
        Confidence level of the unweighted interval.

    Returns
    -------
    pandas.DataFrame
        ``year``, the ``by`` columns, ``theme`` and :data:`THEME_SCORE_COLUMNS`: ``n``
        (respondents with a theme score), ``score`` (mean of respondents' scores) with
        ``ci_low``/``ci_high`` (Student's t, as R ``t.test`` and
        :func:`analysis.stats.mean_ci`), ``score_weighted`` with ``se_weighted`` (as R
        ``svymean`` of the respondents' scores, :func:`analysis.stats.weighted_mean`) and
        its interval +/- 1.96 SE clipped to the scale.

    Examples
    --------
    Two respondents answering items a and b with 0-10 scores (10, 7.5) and (5, blank) have
    theme scores 8.75 and 5: the theme score is 6.875.
    """
    check_scoring(scoring)
    respondents = respondent_themes(
        responses, questionnaire, scales, by, weights, scoring, min_items
    )
    return _summarise(respondents, list(by), scoring, conf)


def theme_scores_by_group(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    breakdowns: Mapping[str, Sequence[str]],
    weights: pd.DataFrame | None = None,
    organisation: str = "Organisation",
    scoring: str = "0-10",
    min_items: int = 1,
) -> pd.DataFrame:
    """Theme scores of the organisation and every group of every breakdown.

    Parameters
    ----------
    breakdowns
        From :func:`~analysis.survey.breakdown_types`.
    organisation
        The ``group`` label of the organisation's rows.
    responses, questionnaire, scales, weights, scoring, min_items
        As :func:`theme_scores`.

    Returns
    -------
    pandas.DataFrame
        The ``theme_scores`` table before suppression: ``year``, ``group_type``, ``group``,
        ``theme`` and :data:`THEME_SCORE_COLUMNS`. Every group of a year's respondents has
        a row for every theme (``n = 0`` where none of them has a score).
    """
    check_scoring(scoring)
    columns = list(dict.fromkeys(c for group in breakdowns.values() for c in group))
    respondents = respondent_themes(
        responses, questionnaire, scales, columns, weights, scoring, min_items
    )
    parts = [
        label_groups(_summarise(respondents, group, scoring, 0.95), group, name, organisation)
        for name, group in breakdowns.items()
    ]
    table = pd.concat(parts, ignore_index=True)
    table = table.iloc[np.argsort(table["year"].to_numpy(), kind="stable")]
    return table[["year", "group_type", "group", "theme", *THEME_SCORE_COLUMNS]].reset_index(
        drop=True
    )


def _theme_items(
    responses: pd.DataFrame, questionnaire: pd.DataFrame, scales: pd.DataFrame
) -> list[tuple[int, str, pd.DataFrame]]:
    """(year, theme, 0-10 item scores of its respondents) for every theme of every year."""
    themes = questionnaire.set_index(["year", "item_id"])["theme"]
    result = []
    for year in sorted(questionnaire["year"].unique()):
        items = respondent_item_scores(responses, questionnaire, scales, year)
        theme_of = themes.loc[year].reindex(items.columns)
        for theme in pd.unique(theme_of):
            result.append((int(year), str(theme), items.loc[:, (theme_of == theme).to_numpy()]))
    return result


def theme_reliability(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    ci_method: str = "feldt",
) -> pd.DataFrame:
    """Cronbach's alpha of every theme in every year, with its 95% interval.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    ci_method
        ``"feldt"`` or ``"duhachek"``, see :func:`analysis.stats.cronbach_alpha`.

    Returns
    -------
    pandas.DataFrame
        :data:`RELIABILITY_COLUMNS`: ``items`` (scored items in the theme), ``n``
        (respondents who answered at least one), ``alpha``, ``ci_low``, ``ci_high`` and
        ``note``, which says why alpha is missing (a single item, an item everybody
        answered alike, items never answered together).

    Notes
    -----
    Alpha is computed on the 0-10 item scores, the numbers averaged into the theme score,
    with pairwise covariances, as R's ``psych::alpha(items)`` (``raw_alpha``). Routed items
    (asked only of those who answered another item a certain way) make alpha hard to
    read; the note does not flag them.
    """
    rows = []
    for year, theme, items in _theme_items(responses, questionnaire, scales):
        answered = int(items.notna().any(axis=1).sum())
        row = {"year": year, "theme": theme, "items": items.shape[1], "n": answered}
        if items.shape[1] < 2:
            row.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan, note="a single item")
        else:
            try:
                alpha, (low, high) = cronbach_alpha(items, ci_method=ci_method)
                row.update(alpha=alpha, ci_low=low, ci_high=high, note="")
            except ValueError as error:
                row.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan, note=str(error))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RELIABILITY_COLUMNS))


def item_rest(
    responses: pd.DataFrame, questionnaire: pd.DataFrame, scales: pd.DataFrame
) -> pd.DataFrame:
    """Correlation of each item with the rest of its theme (psych's ``r.drop``), per year.

    Returns
    -------
    pandas.DataFrame
        :data:`ITEM_REST_COLUMNS`: ``n`` is the respondents who answered the item; the
        correlation is missing (with a ``note``) where the theme's alpha cannot be computed.
    """
    rows = []
    for year, theme, items in _theme_items(responses, questionnaire, scales):
        note = "a single item" if items.shape[1] < 2 else ""
        correlations = pd.Series(np.nan, index=items.columns)
        if not note:
            try:
                correlations = item_rest_correlations(items)
            except ValueError as error:
                note = str(error)
        for item_id in items.columns:
            rows.append(
                {
                    "year": year,
                    "theme": theme,
                    "item_id": item_id,
                    "n": int(items[item_id].notna().sum()),
                    "item_rest_correlation": float(correlations[item_id]),
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=list(ITEM_REST_COLUMNS))
