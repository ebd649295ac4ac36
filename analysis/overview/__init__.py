"""The data overview stage: who answered the staff survey, and what they were asked.

:mod:`analysis.overview.counts` holds the tables of counts (nothing draws there);
:mod:`analysis.overview.report` builds everything ``notebooks/00_data_overview.ipynb``
shows. The names below are the counts module's, importable as ``analysis.overview.X``.
"""

from analysis.overview.counts import (
    NOT_STATED,
    comments_by_year,
    gated_response_rates,
    missing_answers,
    published_response_rates,
    questionnaire_changes,
    respondents_by_group,
    response_by_year,
    response_rates,
    response_rates_over_years,
)

__all__ = [
    "NOT_STATED",
    "gated_response_rates",
    "published_response_rates",
    "response_by_year",
    "response_rates",
    "response_rates_over_years",
    "respondents_by_group",
    "missing_answers",
    "questionnaire_changes",
    "comments_by_year",
]
