"""The survey tables' disclosure gate now lives in :mod:`analysis.disclosure.survey`.

Kept so that ``from analysis.survey.suppression import ...`` goes on working.
"""

from analysis.disclosure.survey import (
    ALL,
    TABLE_KINDS,
    suppress_survey_table,
    suppress_survey_tables,
)

__all__ = ["ALL", "TABLE_KINDS", "suppress_survey_table", "suppress_survey_tables"]
