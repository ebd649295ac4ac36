"""WRES/WDES-style equality indicators from the survey's published ``equality_groups`` table.

The NHS Workforce Race Equality Standard (WRES) indicators 5-8 and the Workforce
Disability Equality Standard (WDES) metrics 4-5 are staff survey percentages compared
between Black and minority ethnic (BME) and white staff, and between disabled and
non-disabled staff. :data:`INDICATORS` maps them to this suite's survey questions; each
indicator is computed from the published percent positive of each side
(:mod:`analysis.survey.equality`), so a side hidden by the disclosure gate stays hidden.

For an indicator measured as "experienced" (harassment, discrimination) the percentage is
of staff who did *not* give the positive answer (``100 - percent positive``), and a higher
figure is worse; for "positive" (fair career progression) a lower figure is worse. The gap is
the group's percentage minus the reference group's, in percentage points, tested with a
two-proportion z-test (:func:`analysis.stats.two_proportion_test`, R's ``prop.test(correct
= FALSE)``).

References
----------
NHS England (2023). Workforce Race Equality Standard: technical guidance.
https://www.england.nhs.uk/about/equality/equality-hub/workforce-equality-data-standards/
NHS England (2023). Workforce Disability Equality Standard: technical guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stats import two_proportion_test

__all__ = ["INDICATOR_COLUMNS", "INDICATORS", "EqualityIndicator", "equality_indicators"]


@dataclass(frozen=True)
class EqualityIndicator:
    """One WRES/WDES-style indicator.

    Attributes
    ----------
    name
        What it measures, in the standards' words.
    item_id
        The survey question it is computed from.
    measure
        ``"experienced"`` (100 - percent positive; higher is worse) or ``"positive"``
        (percent positive; lower is worse).
    standards
        The standards' own numbers for it (e.g. ``"WRES 6, WDES 4b-4c"``).
    """

    name: str
    item_id: str
    measure: str
    standards: str


INDICATORS = (
    EqualityIndicator(
        "Harassment, bullying or abuse from patients, relatives or the public",
        "harassment_patients",
        "experienced",
        "WRES 5, WDES 4a",
    ),
    EqualityIndicator(
        "Harassment, bullying or abuse from managers or colleagues",
        "bullying_colleagues",
        "experienced",
        "WRES 6, WDES 4b-4c",
    ),
    EqualityIndicator(
        "Believe the organisation acts fairly on career progression",
        "equal_opportunities",
        "positive",
        "WRES 7, WDES 5",
    ),
    EqualityIndicator(
        "Personally experienced discrimination at work",
        "discrimination_experienced",
        "experienced",
        "WRES 8",
    ),
)
"""The indicators, for the demo questionnaire's question identifiers."""

INDICATOR_COLUMNS = (
    "indicator",
    "standards",
    "comparison",
    "group",
    "reference",
    "group_n",
    "group_pct",
    "reference_n",
    "reference_pct",
    "gap_pp",
    "p_value",
    "worse_for_group",
    "status",
)
"""Columns of :func:`equality_indicators`."""


def equality_indicators(
    published: pd.DataFrame,
    year: int,
    indicators: tuple[EqualityIndicator, ...] = INDICATORS,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The WRES/WDES-style indicators of one year, from the published equality table.

    Parameters
    ----------
    published
        ``tables/survey/equality_groups.csv`` as read (hidden figures empty, ``suppressed``
        True).
    year
        The report year.
    indicators
        Which questions make up the indicators.
    alpha
        Level at which a gap is called significant (``worse_for_group``).

    Returns
    -------
    pandas.DataFrame
        :data:`INDICATOR_COLUMNS`, one row per indicator and comparison: each side's
        number of valid answers and percentage (in the indicator's measure), the gap in
        percentage points (group minus reference), the two-proportion test's p-value,
        ``worse_for_group`` (True where the gap is significant at ``alpha`` and to the
        group's disadvantage) and ``status``: ``"shown"``, ``"suppressed"`` (hidden to
        protect small groups) or ``"not asked"`` (the question is not in that year's
        questionnaire).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "year": 2008, "item_id": "bullying_colleagues", "comparison": "ethnicity",
    ...     "side": ["group", "reference"], "group": ["BME", "White"],
    ...     "n": [40, 400], "n_positive": [30, 340], "suppressed": False})
    >>> row = equality_indicators(table, 2008).iloc[1]
    >>> [float(row[column]) for column in ("group_pct", "reference_pct", "gap_pp")]
    [25.0, 15.0, 10.0]
    """
    rows = []
    this_year = published.loc[published["year"] == year]
    for indicator in indicators:
        asked = this_year.loc[this_year["item_id"] == indicator.item_id]
        comparisons = list(dict.fromkeys(this_year["comparison"]))
        for comparison in comparisons:
            pair = asked.loc[asked["comparison"] == comparison].set_index("side")
            row = {
                "indicator": indicator.name,
                "standards": indicator.standards,
                "comparison": comparison,
                "group": "",
                "reference": "",
                "status": "not asked",
            }
            if {"group", "reference"} <= set(pair.index):
                group, reference = pair.loc["group"], pair.loc["reference"]
                row |= {"group": str(group["group"]), "reference": str(reference["group"])}
                if bool(group["suppressed"]) or bool(reference["suppressed"]):
                    row["status"] = "suppressed"
                else:
                    row |= _figures(indicator, group, reference, alpha)
            rows.append(row)
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))


def _figures(
    indicator: EqualityIndicator, group: pd.Series, reference: pd.Series, alpha: float
) -> dict[str, object]:
    counts = []
    for side in (group, reference):
        n, positive = int(side["n"]), int(side["n_positive"])
        counts.append((n - positive if indicator.measure == "experienced" else positive, n))
    (x1, n1), (x2, n2) = counts
    gap, _, p_value = two_proportion_test(x1, n1, x2, n2)
    disadvantage = gap > 0 if indicator.measure == "experienced" else gap < 0
    return {
        "group_n": n1,
        "group_pct": 100 * x1 / n1,
        "reference_n": n2,
        "reference_pct": 100 * x2 / n2,
        "gap_pp": float(gap),
        "p_value": float(p_value),
        "worse_for_group": bool(disadvantage and np.isfinite(p_value) and p_value < alpha),
        "status": "shown",
    }
