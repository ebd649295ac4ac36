"""Key drivers: which themes and items go with an outcome the researcher chooses.

The method is deliberately simple and stated in :data:`DRIVERS_METHOD` for the report:
Pearson correlations between respondents' 0-10 scores on the outcome and on every theme
and item outside the outcome's theme, with 95% intervals. It shows association, not
cause.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as distributions

from analysis.datapackage.respondents import respondent_item_scores
from analysis.stats import respondent_theme_scores

__all__ = [
    "DRIVER_COLUMNS",
    "DRIVERS_METHOD",
    "NO_OUTCOME_NOTE",
    "choose_outcome",
    "default_outcome",
    "key_drivers",
]

DRIVER_COLUMNS = (
    "year",
    "outcome",
    "predictor",
    "predictor_type",
    "theme",
    "n",
    "correlation",
    "ci_low",
    "ci_high",
    "p_value",
    "rank",
)
"""Columns of :func:`key_drivers`."""

DRIVERS_METHOD = (
    "Key drivers are the themes and items whose scores go most closely with the outcome "
    "among this year's respondents: the Pearson correlation between each respondent's 0-10 "
    "score on the outcome and on the theme or item (respondents who answered both), with its "
    "95% confidence interval (Fisher's z) and p-value (as R's cor.test). Items of the "
    "outcome's own theme are left out, since they partly measure the outcome itself. A "
    "strong correlation shows association, not cause: staff who are positive about one thing "
    "tend to be positive about others, and both may follow from something not asked. Treat "
    "the list as a place to start asking staff, not as proof that acting on an item will "
    "change the outcome. Figures are unweighted."
)
"""How the key drivers are found and what they cannot show, for the report's text."""


def default_outcome(questionnaire: pd.DataFrame) -> str:
    """The default outcome: the job satisfaction theme, else an intention-to-leave item.

    Parameters
    ----------
    questionnaire
        The questionnaire (``theme`` and ``item_id``).

    Returns
    -------
    str
        The first theme whose name contains "satisfaction", else the first item whose ID
        contains "leave" or "stay".

    Raises
    ------
    ValueError
        If neither exists: the outcome must then be chosen.
    """
    themes = pd.unique(questionnaire["theme"].astype("str"))
    for theme in themes:
        if "satisfaction" in theme.lower():
            return str(theme)
    for item_id in pd.unique(questionnaire["item_id"].astype("str")):
        if "leave" in item_id.lower() or "stay" in item_id.lower():
            return str(item_id)
    raise ValueError(
        "no job satisfaction theme and no intention-to-leave item found: choose the outcome, "
        f"a theme among {list(themes)} or an item_id"
    )


NO_OUTCOME_NOTE = (
    "No key drivers: the questionnaire has no job satisfaction theme and no "
    "intention-to-leave item to take as the outcome; choose one with "
    '`-p outcome="<theme or item_id>"`.'
)
"""The one line the report shows instead of the key drivers when no outcome is found."""


def choose_outcome(
    questionnaire: pd.DataFrame, year: int, outcome: str | None = None
) -> str | None:
    """The key drivers' outcome for a year: the one given, else :func:`default_outcome`.

    Parameters
    ----------
    questionnaire
        The questionnaire (``year``, ``theme``, ``item_id``).
    year
        The survey year.
    outcome
        The outcome chosen by the researcher (a theme or an ``item_id``), or ``None``.

    Returns
    -------
    str or None
        ``outcome`` when given; else the year's default; ``None`` when there is none, so
        the key drivers are left out (see :data:`NO_OUTCOME_NOTE`).

    Examples
    --------
    >>> items = pd.DataFrame({"year": [2024], "theme": ["Workload"], "item_id": ["time"]})
    >>> choose_outcome(items, 2024) is None, choose_outcome(items, 2024, "Workload")
    (True, 'Workload')
    """
    if outcome is not None:
        return outcome
    try:
        return default_outcome(questionnaire[questionnaire["year"] == year])
    except ValueError:
        return None


def _correlation(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float, float, float]:
    """Pearson r on pairwise-complete values, its Fisher 95% interval and cor.test p-value."""
    both = ~np.isnan(x) & ~np.isnan(y)
    n = int(both.sum())
    if n < 4 or np.std(x[both]) == 0 or np.std(y[both]) == 0:
        return n, np.nan, np.nan, np.nan, np.nan
    r = float(np.corrcoef(x[both], y[both])[0, 1])
    r = min(max(r, -1.0), 1.0)
    half = distributions.norm.ppf(0.975) / np.sqrt(n - 3)
    low, high = np.tanh(np.arctanh(r) - half), np.tanh(np.arctanh(r) + half)
    with np.errstate(divide="ignore"):
        t = r * np.sqrt((n - 2) / (1 - r**2))
    p_value = float(2 * distributions.t.sf(abs(t), n - 2))
    return n, r, float(low), float(high), p_value


def key_drivers(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    outcome: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Themes and items most strongly associated with an outcome, strongest first.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables (filter ``responses`` first for one directorate).
    outcome
        A theme (its theme score is the outcome) or an ``item_id``; by default
        :func:`default_outcome`.
    year
        The survey year; by default the latest in the questionnaire.

    Returns
    -------
    pandas.DataFrame
        :data:`DRIVER_COLUMNS`: one row per theme (``predictor_type = "theme"``) and item
        (``"item"``) outside the outcome's theme, with ``n`` (respondents with both scores),
        the Pearson ``correlation``, its 95% interval ``ci_low``/``ci_high`` (Fisher's z:
        ``tanh(atanh(r) +/- z / sqrt(n - 3))``, ``z`` the normal 97.5% quantile),
        ``p_value`` (t-test with ``n - 2`` degrees of freedom) and ``rank`` (1 = strongest
        positive correlation, within themes and within items). Missing where fewer than 4
        respondents answered both.

    Raises
    ------
    ValueError
        If the outcome is neither a theme nor an item of that year.

    Notes
    -----
    Equals R's ``cor.test(x, y)`` (``estimate``, ``conf.int``, ``p.value``) on the
    respondents with both scores. See :data:`DRIVERS_METHOD` for the caveats.
    """
    year = int(questionnaire["year"].max()) if year is None else int(year)
    items_of_year = questionnaire[questionnaire["year"] == year]
    outcome = default_outcome(items_of_year) if outcome is None else outcome
    themes = items_of_year.set_index("item_id")["theme"].astype("str")
    rows = responses[responses["year"] == year]
    item_scores = respondent_item_scores(rows, items_of_year, scales, year)
    theme_of = themes.reindex(item_scores.columns)
    theme_scores = pd.DataFrame(
        {
            theme: respondent_theme_scores(item_scores.loc[:, (theme_of == theme).to_numpy()])
            for theme in pd.unique(theme_of)
        },
        index=item_scores.index,
    )
    if outcome in set(themes):
        outcome_theme, target = outcome, theme_scores[outcome].to_numpy()
    elif outcome in item_scores.columns:
        outcome_theme, target = themes[outcome], item_scores[outcome].to_numpy()
    else:
        raise ValueError(
            f"outcome {outcome!r} is neither a theme nor a scored item of {year}; themes are "
            f"{sorted(set(themes))}"
        )
    result = []
    predictors = [("theme", name, name, theme_scores[name]) for name in theme_scores.columns]
    predictors += [("item", name, themes[name], item_scores[name]) for name in item_scores]
    for kind, name, theme, values in predictors:
        if theme == outcome_theme:
            continue
        n, r, low, high, p_value = _correlation(values.to_numpy(dtype=float), target)
        result.append((year, outcome, name, kind, theme, n, r, low, high, p_value))
    table = pd.DataFrame(result, columns=list(DRIVER_COLUMNS[:-1]))
    table["rank"] = (
        table.groupby("predictor_type")["correlation"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    return table.sort_values(
        ["predictor_type", "rank"], ascending=[False, True], na_position="last", ignore_index=True
    )
