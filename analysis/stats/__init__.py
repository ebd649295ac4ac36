"""Shared statistics for the survey and indicators stages, each checked against a reference.

Every function here reproduces a named reference implementation (R's ``prop.test``,
``t.test``, ``p.adjust``, ``survey::svymean``, ``psych::alpha`` and PHEindicatormethods);
``docs/statistics.md`` lists method, formula and reference per function.

Modules, by the question they answer:

* :mod:`~analysis.stats.proportions`: percent positive with its interval; has it changed?
* :mod:`~analysis.stats.rates`: events per N staff with exact or Byar intervals.
* :mod:`~analysis.stats.means`: a mean with its t interval.
* :mod:`~analysis.stats.weighted`: figures weighted to the workforce, with their errors.
* :mod:`~analysis.stats.multiple_testing`: p-values adjusted across many items.
* :mod:`~analysis.stats.quantiles`: which fifth (or tenth) of the units is this one in?
* :mod:`~analysis.stats.reliability`: does a theme's set of items hang together?
* :mod:`~analysis.stats.scores`: 0-10 item scores and theme scores.
"""

from analysis.stats.means import mean_ci
from analysis.stats.multiple_testing import P_VALUE_METHODS, adjust_p_values
from analysis.stats.proportions import two_proportion_test, wilson_ci
from analysis.stats.quantiles import quantile_groups
from analysis.stats.rates import BYAR_FROM_EVENTS, byar_ci, exact_poisson_ci, rate_ci
from analysis.stats.reliability import ALPHA_CI_METHODS, cronbach_alpha, item_rest_correlations
from analysis.stats.scores import (
    respondent_theme_scores,
    reverse_codes,
    score_0_to_10,
    theme_score,
)
from analysis.stats.weighted import (
    nonresponse_weights,
    weighted_difference_test,
    weighted_mean,
    weighted_percent,
    weighted_percent_ci,
    weighted_percent_from_counts,
)

__all__ = [
    "ALPHA_CI_METHODS",
    "BYAR_FROM_EVENTS",
    "P_VALUE_METHODS",
    "adjust_p_values",
    "byar_ci",
    "cronbach_alpha",
    "exact_poisson_ci",
    "item_rest_correlations",
    "mean_ci",
    "nonresponse_weights",
    "quantile_groups",
    "rate_ci",
    "respondent_theme_scores",
    "reverse_codes",
    "score_0_to_10",
    "theme_score",
    "two_proportion_test",
    "weighted_difference_test",
    "weighted_mean",
    "weighted_percent",
    "weighted_percent_ci",
    "weighted_percent_from_counts",
    "wilson_ci",
]
