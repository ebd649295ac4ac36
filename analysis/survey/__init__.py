"""The survey stage's computations: scores, weights, trends, benchmarks, breakdowns, drivers.

Start from :func:`survey_tables` (every table of a data package, unsuppressed) and
:func:`suppress_survey_tables` (the disclosure gate, applied with each table's structure).
The building blocks, by the question they answer:

* :mod:`~analysis.survey.counts`: how many gave each answer? (counted once, by group)
* :mod:`~analysis.survey.scores`: percent positive, Wilson interval, weighted percent, mean.
* :mod:`~analysis.survey.weights`: weights to the workforce or a comparator staff profile.
* :mod:`~analysis.survey.themes`: 0-10 and 1-5 theme scores; Cronbach's alpha per theme.
* :mod:`~analysis.survey.changes`: has an item changed since last year, or the first year?
* :mod:`~analysis.survey.benchmark`: where does the organisation sit among comparators?
* :mod:`~analysis.survey.breakdowns`: every group, each against the rest; response rates.
* :mod:`~analysis.survey.drivers`: what goes with job satisfaction (association, not cause)?
* :mod:`~analysis.survey.suppression`: the disclosure gate for every survey table.
* :mod:`~analysis.survey.figures`: the stage's figures, drawn from gated tables (the
  directorates' packs draw with them too).

Each table's columns are listed in a ``*_COLUMNS`` constant and documented in the Returns
section of the function that makes it.
"""

from analysis.datapackage.groups import (
    CROSSING,
    NOT_STATED,
    ORGANISATION,
    SEPARATOR,
    breakdown_types,
)
from analysis.datapackage.questionnaire import comparison_years, item_codes
from analysis.datapackage.respondents import (
    RESPONSE_RATE_COLUMNS,
    SCORINGS,
    count_respondents,
    respondent_item_scores,
    respondent_weights,
    response_rates,
)
from analysis.disclosure.survey import TABLE_KINDS, suppress_survey_table, suppress_survey_tables
from analysis.survey.benchmark import (
    BENCHMARK_COLUMNS,
    COMPARATOR_STATISTICS_COLUMNS,
    benchmark,
    comparator_statistics,
)
from analysis.survey.breakdowns import (
    GROUP_DIFFERENCE_COLUMNS,
    group_differences,
    item_scores_by_group,
)
from analysis.survey.changes import CHANGE_COLUMNS, changes
from analysis.survey.counts import count_answers
from analysis.survey.drivers import (
    DRIVER_COLUMNS,
    DRIVERS_METHOD,
    NO_OUTCOME_NOTE,
    choose_outcome,
    default_outcome,
    key_drivers,
)
from analysis.survey.scores import ITEM_SCORE_COLUMNS, score_items, valid_counts
from analysis.survey.tables import benchmark_side_by_side, survey_tables
from analysis.survey.themes import (
    ITEM_REST_COLUMNS,
    RELIABILITY_COLUMNS,
    THEME_SCORE_COLUMNS,
    item_rest,
    theme_reliability,
    theme_scores,
    theme_scores_by_group,
)
from analysis.survey.weights import (
    comparator_profile_weights,
    workforce_weights,
)

__all__ = [
    "BENCHMARK_COLUMNS",
    "CHANGE_COLUMNS",
    "COMPARATOR_STATISTICS_COLUMNS",
    "CROSSING",
    "DRIVERS_METHOD",
    "NO_OUTCOME_NOTE",
    "DRIVER_COLUMNS",
    "GROUP_DIFFERENCE_COLUMNS",
    "ITEM_REST_COLUMNS",
    "ITEM_SCORE_COLUMNS",
    "NOT_STATED",
    "ORGANISATION",
    "RELIABILITY_COLUMNS",
    "RESPONSE_RATE_COLUMNS",
    "SCORINGS",
    "SEPARATOR",
    "TABLE_KINDS",
    "THEME_SCORE_COLUMNS",
    "benchmark",
    "benchmark_side_by_side",
    "breakdown_types",
    "changes",
    "comparator_profile_weights",
    "comparator_statistics",
    "comparison_years",
    "count_answers",
    "count_respondents",
    "choose_outcome",
    "default_outcome",
    "group_differences",
    "item_codes",
    "item_rest",
    "item_scores_by_group",
    "key_drivers",
    "respondent_item_scores",
    "respondent_weights",
    "response_rates",
    "score_items",
    "suppress_survey_table",
    "suppress_survey_tables",
    "survey_tables",
    "theme_reliability",
    "theme_scores",
    "theme_scores_by_group",
    "valid_counts",
    "workforce_weights",
]
