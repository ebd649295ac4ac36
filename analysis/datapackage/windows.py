"""The report year's windows: which months a report on survey year Y reads.

A report on survey year ``Y`` shows nothing later than ``Y``'s window. ``dataset.yml`` sets
one window for each kind of dated data, under ``windows``:

.. code-block:: yaml

    windows:
      indicators: calendar_year     # monthly indicator values
      appraisals: financial_year    # appraisal reviews, objectives and skills
      training: calendar_year       # training evaluations

The kinds of window (each the twelve months ending in year ``Y``):

* ``calendar_year``: January to December ``Y``;
* ``financial_year``: April ``Y - 1`` to March ``Y``, the NHS financial year ending in ``Y``;
* ``survey_month``: October ``Y - 1`` to September ``Y``, the twelve months to the staff
  census month in which the survey is run.

Without ``windows`` (or for a kind left out) the defaults of :data:`DEFAULT_WINDOWS` apply.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from analysis.datapackage.package import DataPackage

__all__ = [
    "DEFAULT_WINDOWS",
    "WINDOW_KINDS",
    "WINDOW_DATA",
    "ReportWindow",
    "package_up_to",
    "windows_sentence",
    "report_window",
]

WINDOW_KINDS: dict[str, int] = {"calendar_year": 12, "financial_year": 3, "survey_month": 9}
"""Each kind of window and the month (1-12) of year ``Y`` in which it ends."""

WINDOW_DATA = ("indicators", "appraisals", "training")
"""The dated data whose window ``dataset.yml`` may set."""

DEFAULT_WINDOWS: dict[str, str] = {
    "indicators": "calendar_year",
    "appraisals": "financial_year",
    "training": "calendar_year",
}
"""The windows used where ``dataset.yml`` sets none."""


@dataclass(frozen=True)
class ReportWindow:
    """The twelve months a report on one survey year reads, for one kind of data.

    Attributes
    ----------
    kind
        One of :data:`WINDOW_KINDS`.
    year
        The year the window ends in (the report year, or the latest available one).
    first, last
        The window's first and last months.
    """

    kind: str
    year: int
    first: pd.Period
    last: pd.Period

    @property
    def label(self) -> str:
        """The window in words, e.g. ``"April 2007 to March 2008"``."""
        return f"{self.first.strftime('%B %Y')} to {self.last.strftime('%B %Y')}"

    @property
    def last_day(self) -> pd.Timestamp:
        """The window's last day (dates after it are later than the report year)."""
        return self.last.to_timestamp(how="end").normalize()

    @property
    def first_day(self) -> pd.Timestamp:
        """The window's first day."""
        return self.first.to_timestamp(how="start")

    def describe(self, report_year: int) -> str:
        """The window in words, saying when it is an earlier one than the report year's."""
        if self.year == int(report_year):
            return self.label
        return (
            f"{self.label} (the latest complete one available: the {int(report_year)} window "
            "is not covered yet)"
        )

    def year_of(self, months: pd.Series) -> pd.Series:
        """The year of the window of this kind that each month (a monthly Period) falls in."""
        shift = 12 - WINDOW_KINDS[self.kind]
        return (months + shift).dt.year


def report_window(kind: str, year: int) -> ReportWindow:
    """The window of ``kind`` that ends in ``year``.

    Parameters
    ----------
    kind
        ``calendar_year``, ``financial_year`` or ``survey_month``.
    year
        The report year.

    Returns
    -------
    ReportWindow

    Examples
    --------
    >>> report_window("financial_year", 2008).label
    'April 2007 to March 2008'
    >>> report_window("survey_month", 2008).label
    'October 2007 to September 2008'
    """
    if kind not in WINDOW_KINDS:
        raise ValueError(f"a window is one of {', '.join(WINDOW_KINDS)}; got {kind!r}")
    last = pd.Period(f"{int(year)}-{WINDOW_KINDS[kind]:02d}", freq="M")
    return ReportWindow(kind, int(year), last - 11, last)


def windows_sentence(windows: dict[str, str], year: int) -> str:
    """The report year's windows in one sentence, for every report's opening paragraph.

    Examples
    --------
    >>> windows_sentence(DEFAULT_WINDOWS, 2008)  # doctest: +NORMALIZE_WHITESPACE
    'Report year 2008: survey 2008; indicators January 2008 to December 2008; appraisals
    April 2007 to March 2008; training January 2008 to December 2008 (dataset.yml windows).'
    """
    parts = [f"{data} {report_window(windows[data], year).label}" for data in WINDOW_DATA]
    return f"Report year {year}: survey {year}; {'; '.join(parts)} (dataset.yml windows)."


_BY_SURVEY_YEAR = {
    "questionnaire": "year",
    "responses": "year",
    "staff": "year",
    "comparators": "year",
    "comparator_profile": "year",
    "comments": "year",
}
_BY_WINDOW = {
    "indicator_values": ("indicators", "month"),
    "appraisals": ("appraisals", "review_date"),
    "appraisal_objectives": ("appraisals", "review_date"),
    "appraisal_skills": ("appraisals", "review_date"),
    "training_evaluations": ("training", "date"),
}


def package_up_to(package: DataPackage, year: int) -> DataPackage:
    """The data package as it stood at the end of the report year: nothing later.

    Every stage reads the package through this, so a report on ``year`` (``run --year``)
    shows no survey year after ``year`` and no month after the end of ``year``'s windows.

    Parameters
    ----------
    package
        A loaded data package.
    year
        The report year, one of its survey years
        (:meth:`~analysis.datapackage.DataPackage.report_year` checks it).

    Returns
    -------
    DataPackage
        A copy whose ``survey_years`` end at ``year``; the survey tables (``questionnaire``,
        ``responses``, ``staff``, ``comparators``, ``comparator_profile`` by ``year``,
        ``comments``) cut at ``year``, with the ``codings`` of the kept comments;
        ``action_plans`` made on the findings of earlier surveys (``survey_year`` before
        ``year``: the plan made on ``year``'s own findings is next year's to evaluate) and
        their ``action_reviews`` up to the end of ``year``; ``indicator_values``
        (``month``), the appraisal tables (``review_date``) and ``training_evaluations``
        (``date``) cut at the end of their window (``dataset.yml``'s ``windows``). Other
        tables are kept whole.
    """
    description = package.description
    year = package.report_year(year)
    tables = dict(package.tables)
    for name, column in _BY_SURVEY_YEAR.items():
        if name in tables and column in tables[name].columns:
            table = tables[name]
            tables[name] = table[table[column] <= year].reset_index(drop=True)
    if "action_plans" in tables:  # the plans made on earlier surveys' findings
        plans = tables["action_plans"]
        tables["action_plans"] = plans[plans["survey_year"] < year].reset_index(drop=True)
    if "action_reviews" in tables:
        reviews = tables["action_reviews"]
        last_day = report_window("calendar_year", year).last_day
        tables["action_reviews"] = reviews[reviews["review_date"] <= last_day].reset_index(
            drop=True
        )
    for name, (data, column) in _BY_WINDOW.items():
        if name in tables:
            window = report_window(description.windows[data], year)
            table = tables[name]
            last = window.last if column == "month" else window.last_day
            tables[name] = table[table[column] <= last].reset_index(drop=True)
    for name, parent, key in (
        ("codings", "comments", "comment_id"),
        ("quotes_approved", "comments", "comment_id"),
        ("action_reviews", "action_plans", "action_id"),
    ):
        if name in tables and parent in tables:
            kept = set(tables[parent][key].astype(str))
            table = tables[name]
            tables[name] = table[table[key].astype(str).isin(kept)].reset_index(drop=True)
    years = tuple(y for y in description.survey_years if y <= year)
    cut = dataclasses.replace(description, survey_years=years)
    return dataclasses.replace(package, description=cut, tables=tables)
