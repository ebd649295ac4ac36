"""How each year's comments were coded, and a warning when compared years were coded differently.

A comment's codes come from one of three methods, read from the ``source`` of
:func:`analysis.comments.frequencies.coded_comments`:

- ``people``: a person's coding (any coder's name, or a reconciled coding; codes a person
  accepted from the model's suggestions are in that person's log and count as theirs);
- ``model``: the suggestion model coding on its own
  (:data:`analysis.comments.suggest_model.MODEL_CODER`);
- ``keywords``: the codebook's keyword hints
  (:data:`analysis.comments.frequencies.KEYWORD_CODER`).

A change in how often a code is raised between a year coded by people and a year coded by
keywords may come from the method rather than from what staff wrote: every table and
sentence comparing such years says so (:func:`mixed_methods_warning`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.comments.frequencies import KEYWORD_CODER
from analysis.comments.suggest_model import MODEL_CODER

__all__ = [
    "CODING_METHODS",
    "coding_method",
    "coding_methods_by_year",
    "methods_text",
    "mixed_methods_warning",
]

CODING_METHODS = ("people", "model", "keywords")
"""The coding methods, in the order they are named."""


def coding_method(source: str) -> str:
    """The method behind a coding's ``source``: ``people``, ``model`` or ``keywords``.

    Examples
    --------
    >>> [coding_method(s) for s in ["researcher", "reconciled", "model", "keywords"]]
    ['people', 'people', 'model', 'keywords']
    """
    if source == KEYWORD_CODER:
        return "keywords"
    if source == MODEL_CODER:
        return "model"
    return "people"


def coding_methods_by_year(coded: pd.DataFrame) -> pd.DataFrame:
    """How many of each year's coded comments each method coded.

    Parameters
    ----------
    coded
        From :func:`analysis.comments.frequencies.coded_comments` (``comment_id``,
        ``year``, ``source``).

    Returns
    -------
    pandas.DataFrame
        One row per year and method used that year: ``year``, ``method``, ``comments``
        (coded comments) and ``percent`` (of the year's coded comments), in year and
        :data:`CODING_METHODS` order. Counts of comments, not of people: not for publishing
        by group.

    Examples
    --------
    >>> coded = pd.DataFrame({"comment_id": ["a", "a", "b", "c"], "year": [2007, 2007, 2008, 2008],
    ...                       "source": ["researcher", "researcher", "researcher", "keywords"]})
    >>> coding_methods_by_year(coded).to_dict("records")[1:]
    [{'year': 2008, 'method': 'people', 'comments': 1, 'percent': 50.0}, \
{'year': 2008, 'method': 'keywords', 'comments': 1, 'percent': 50.0}]
    """
    comments = coded.drop_duplicates("comment_id").assign(
        method=lambda rows: rows["source"].astype(str).map(coding_method)
    )
    counts = comments.groupby(["year", "method"]).size().rename("comments").reset_index()
    counts["percent"] = (
        100.0 * counts["comments"] / counts.groupby("year")["comments"].transform("sum")
    )
    counts["order"] = counts["method"].map(CODING_METHODS.index)
    counts = counts.sort_values(["year", "order"]).drop(columns="order")
    return counts.astype({"year": "int64", "comments": "int64"}).reset_index(drop=True)


def methods_text(methods: pd.DataFrame, year: int) -> str:
    """How one year was coded, in words: ``"people"`` or ``"people 60%, keywords 40%"``.

    Parameters
    ----------
    methods
        From :func:`coding_methods_by_year`.
    year
        The year.
    """
    rows = methods[methods["year"] == year]
    if rows.empty:
        return "no coded comments"
    if len(rows) == 1:
        return str(rows["method"].iloc[0])
    return ", ".join(f"{row.method} {row.percent:.0f}%" for row in rows.itertuples())


def mixed_methods_warning(methods: pd.DataFrame, years: Sequence[int]) -> str:
    """A warning when the compared years were not coded by the same method(s), else ``""``.

    The years count as coded differently when the sets of methods used differ (one year by
    people only, another partly by keywords).

    Parameters
    ----------
    methods
        From :func:`coding_methods_by_year`.
    years
        The years compared.

    Examples
    --------
    >>> methods = pd.DataFrame({"year": [2007, 2008, 2008], "method": ["people", "people",
    ...     "keywords"], "comments": [50, 30, 20], "percent": [100.0, 60.0, 40.0]})
    >>> mixed_methods_warning(methods, [2007, 2008])
    'Coding methods differ between the years compared (2007: people; 2008: people 60%, \
keywords 40%): a change may come from how the comments were coded, not from what staff wrote'
    >>> mixed_methods_warning(methods, [2007])
    ''
    """
    used = {year: frozenset(methods.loc[methods["year"] == year, "method"]) for year in years}
    if len(set(used.values())) <= 1:
        return ""
    each = "; ".join(f"{year}: {methods_text(methods, year)}" for year in years)
    return (
        f"Coding methods differ between the years compared ({each}): a change may come from "
        "how the comments were coded, not from what staff wrote"
    )
