"""Who is on which side of the WRES and WDES comparisons: a model of the package's groups.

An ethnicity starting with "White" is white; "Not stated", blank and "Prefer not to say"
are on neither side; every other ethnicity is Black and minority ethnic (BME). A disability
of "Yes" is disabled, "No" is non-disabled, anything else neither. The survey stage
publishes the comparison (:mod:`analysis.survey.equality`) and the disclosure audit reads
which categories make up each side, so the definition sits on the data package's floor.

References
----------
NHS England (2023). Workforce Race Equality Standard: technical guidance, indicators 5-8.
NHS England (2023). Workforce Disability Equality Standard: technical guidance, metrics 4-9.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["COMPARISONS", "NEITHER", "Comparison"]

NEITHER = "\uffffneither"
"""The side of an answer on neither side of a comparison (sorts last)."""
_NOT_STATED = {"", "not stated", "prefer not to say", "not known", "unknown"}


@dataclass(frozen=True)
class Comparison:
    """One equality comparison: a group column split into a group and a reference group.

    Attributes
    ----------
    column
        The data package's group column (``ethnicity``).
    group, reference
        The labels of the two sides (``Black and minority ethnic``, ``White``).
    """

    column: str
    group: str
    reference: str

    def side(self, value: object) -> str:
        """``group``, ``reference`` or neither, for one answer to the group column."""
        text = "" if pd.isna(value) else str(value).strip()
        if text.casefold() in _NOT_STATED:
            return NEITHER
        if self.column == "ethnicity":
            return self.reference if text.casefold().startswith("white") else self.group
        return {"yes": self.group, "no": self.reference}.get(text.casefold(), NEITHER)


COMPARISONS = (
    Comparison("ethnicity", "Black and minority ethnic", "White"),
    Comparison("disability", "Disabled", "Non-disabled"),
)
"""The WRES (ethnicity) and WDES (disability) comparisons."""
