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

from dataclasses import dataclass

import pandas as pd

__all__ = ["DEFAULT_WINDOWS", "WINDOW_KINDS", "WINDOW_DATA", "ReportWindow", "report_window"]

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
        return f"{self.label} (the latest available; the {int(report_year)} window has no data)"

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
