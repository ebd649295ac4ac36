"""Findings for figure titles and alt text, computed from published tables only.

A figure's title states what it shows ("Response rates ranged from 38% (Corporate
Services) to 67% (Therapies) in 2008"), not what it is ("Response rate by directorate").
Every function here takes rows of a table that passed the disclosure gate and reads only
the rows the gate left visible: a row whose ``suppressed`` flag is true, or whose value is
empty, is never named, ranked or counted, so a title cannot give away a hidden figure.

* :func:`lowest_and_highest` and :func:`range_finding`, :func:`extremes_finding`: the
  smallest and largest published value and the sentences that name them;
  :func:`highest`: every row tied at the largest.
* :func:`positive_share`: each question's percent positive from its answer distribution.
* :func:`times_lowest_and_highest` and :func:`group_comparison_finding`: which group is
  most often the lowest (or highest) across the questions of a heatmap or the years of a
  trend.
* :func:`largest_change_finding`: the largest change since an earlier survey among the
  questions shown, and how many changed significantly.

This module sits on the shared-services floor, beside :mod:`analysis.figures`, because
three stages write their titles with it (the data overview's response-rate range and group
comparison, the survey's extremes, comparisons and changes, the comments stage's most
raised code), and a stage never imports another stage (``pyproject.toml``'s import-linter
contracts, ``docs/architecture.md``).
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "extremes_finding",
    "group_comparison_finding",
    "highest",
    "largest_change_finding",
    "lowest_and_highest",
    "positive_share",
    "range_finding",
    "times_lowest_and_highest",
]


def _shown(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """The rows of a gated table that are published: not suppressed and with a value."""
    missing = [column for column in (value, "suppressed") if column not in table.columns]
    if missing:
        raise ValueError(
            f"the table has no column(s) {missing}: a finding needs a published (gated) table "
            f"with the value column and the gate's 'suppressed' flag"
        )
    values = pd.to_numeric(table[value], errors="coerce")
    published = ~table["suppressed"].fillna(True).astype(bool) & values.notna()
    return table[published].assign(**{value: values[published].astype(float)})


def lowest_and_highest(
    table: pd.DataFrame, *, category: str, value: str
) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """The published row with the lowest ``value`` and the one with the highest.

    Parameters
    ----------
    table
        A gated table with columns ``category``, ``value`` and ``suppressed``.
    category
        The column naming each row (e.g. ``directorate``).
    value
        The column compared (e.g. ``response_rate``).

    Returns
    -------
    tuple or None
        ``((lowest name, lowest value), (highest name, highest value))``: the first and
        the last row when sorted by value, then name, so a tie for lowest goes to the name
        first in alphabetical order and a tie for highest to the name last, and two
        published rows never give the same row twice. None when no row is published.
        Suppressed rows and empty values are left out.

    Examples
    --------
    >>> table = pd.DataFrame({"group": ["A", "B", "C"], "rate": [40.0, 9.0, 70.0],
    ...                       "suppressed": [False, True, False]})
    >>> lowest_and_highest(table, category="group", value="rate")
    (('A', 40.0), ('C', 70.0))
    """
    shown = _shown(table, value)
    if shown.empty:
        return None
    ordered = shown.assign(_name=shown[category].astype(str)).sort_values([value, "_name"])
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return (low["_name"], float(low[value])), (high["_name"], float(high[value]))


def highest(table: pd.DataFrame, *, category: str, value: str) -> tuple[list[str], float] | None:
    """The published rows sharing the highest ``value``, so that a tie is not hidden.

    Parameters
    ----------
    table
        A gated table with columns ``category``, ``value`` and ``suppressed``.
    category
        The column naming each row.
    value
        The column compared.

    Returns
    -------
    tuple or None
        ``(names, highest value)``: the names of every published row with the highest
        value, in alphabetical order. None when no row is published.

    Examples
    --------
    >>> pairs = pd.DataFrame({"pair": ["IT and pay", "Pay and staffing", "IT and staffing"],
    ...                       "respondents": [3, 3, 9], "suppressed": [False, False, True]})
    >>> highest(pairs, category="pair", value="respondents")
    (['IT and pay', 'Pay and staffing'], 3.0)
    """
    shown = _shown(table, value)
    if shown.empty:
        return None
    top = shown[value].max()
    return sorted(shown.loc[shown[value] == top, category].astype(str)), float(top)


def _number(value: float, unit: str, decimals: int) -> str:
    return f"{value:.{decimals}f}{unit}"


def range_finding(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    measure: str,
    when: str = "",
    unit: str = "%",
    decimals: int = 0,
) -> str:
    """Say how far a measure ranged across the published groups.

    Parameters
    ----------
    table
        A gated table with columns ``category``, ``value`` and ``suppressed``.
    category, value
        The columns naming each group and holding its figure.
    measure
        What the figures are, plural and capitalised (e.g. ``"Response rates"``).
    when
        Appended to the sentence (e.g. ``" in 2008"``).
    unit
        Written after each figure.
    decimals
        Decimal places of each figure.

    Returns
    -------
    str
        ``"Response rates ranged from 38% (Corporate Services) to 67% (Therapies) in 2008"``;
        with one published group, its figure alone; with none, that all are suppressed.

    Examples
    --------
    >>> table = pd.DataFrame({"directorate": ["Therapies", "Corporate", "Small"],
    ...                       "rate": [66.7, 38.2, None], "suppressed": [False, False, True]})
    >>> range_finding(table, category="directorate", value="rate", measure="Response rates",
    ...               when=" in 2008")
    'Response rates ranged from 38% (Corporate) to 67% (Therapies) in 2008'
    """
    extremes = lowest_and_highest(table, category=category, value=value)
    if extremes is None:
        return f"{measure}{when}: every group suppressed"
    (low, low_value), (high, high_value) = extremes
    if len(_shown(table, value)) == 1:
        return f"{measure}{when}: {_number(low_value, unit, decimals)} ({low}), other groups [c]"
    return (
        f"{measure} ranged from {_number(low_value, unit, decimals)} ({low}) to "
        f"{_number(high_value, unit, decimals)} ({high}){when}"
    )


def extremes_finding(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    high: str = "Most positive",
    low: str = "least positive",
    unit: str = "%",
    decimals: int = 0,
) -> str:
    """Name the published row with the highest figure and the one with the lowest.

    Parameters
    ----------
    table
        A gated table with columns ``category``, ``value`` and ``suppressed``.
    category, value
        The columns naming each row and holding its figure.
    high, low
        The words before the highest and the lowest (the first capitalised).
    unit
        Written after each figure.
    decimals
        Decimal places of each figure.

    Returns
    -------
    str
        ``"Most positive: Q3b (92%); least positive: Q5a (23%)"``; with one published row,
        that row alone; with none, that every row is suppressed.

    Examples
    --------
    >>> table = pd.DataFrame({"item": ["Q1", "Q2", "Q3"], "pct": [91.6, 23.4, 99.0],
    ...                       "suppressed": [False, False, True]})
    >>> extremes_finding(table, category="item", value="pct")
    'Most positive: Q1 (92%); least positive: Q2 (23%)'
    """
    extremes = lowest_and_highest(table, category=category, value=value)
    if extremes is None:
        return f"{high}: none to show, every figure suppressed"
    (low_name, low_value), (high_name, high_value) = extremes
    shown_high = f"{high}: {high_name} ({_number(high_value, unit, decimals)})"
    if len(_shown(table, value)) == 1:
        return shown_high
    return f"{shown_high}; {low}: {low_name} ({_number(low_value, unit, decimals)})"


def positive_share(distribution: pd.DataFrame, *, item: str) -> pd.DataFrame:
    """Each published question's percent positive, summed from its answer distribution.

    The percent positive is the sum of the shares of the answers on the positive side of
    the scale (``answer_position`` above 0), as drawn right of the centre in
    :func:`analysis.survey.figures.likert_bars`. A question with any suppressed row is
    left out, as the figure leaves out its bar.

    Parameters
    ----------
    distribution
        Gated rows of :func:`analysis.survey.stage.answer_distribution`:
        ``answer_position`` (empty for excluded answers such as "don't know"),
        ``percent`` (of valid answers), ``suppressed`` and the column ``item``.
    item
        The column naming each question.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``pct_positive`` (0-100) and ``suppressed`` (all false), one row per
        published question, in the order of ``distribution``.

    Examples
    --------
    >>> rows = pd.DataFrame({"item": ["Q1"] * 4, "answer_position": [-1, 0, 1, None],
    ...                      "percent": [20.0, 30.0, 50.0, 8.0], "suppressed": [False] * 4})
    >>> positive_share(rows, item="item")
      item  pct_positive  suppressed
    0   Q1          50.0       False
    """
    hidden = distribution.groupby(item, sort=False)["suppressed"].transform(
        lambda flags: flags.fillna(True).astype(bool).any()
    )
    shown = distribution[~hidden.astype(bool)]
    positions = pd.to_numeric(shown["answer_position"], errors="coerce")
    percents = pd.to_numeric(shown["percent"], errors="coerce").where(positions > 0, 0.0)
    table = percents.groupby(shown[item], sort=False).sum().rename("pct_positive").reset_index()
    return table.assign(suppressed=False)


def times_lowest_and_highest(
    cells: pd.DataFrame, *, row: str, column: str, value: str
) -> pd.DataFrame:
    """How often each group of a heatmap has the lowest and the highest published figure.

    Each row of the heatmap (a question) where at least two groups are published counts
    once: the group with its lowest figure scores a ``lowest``, the group with its highest
    a ``highest`` (every group sharing a tied figure scores). Suppressed cells take no part.

    Parameters
    ----------
    cells
        Gated rows with ``row``, ``column``, ``value`` and ``suppressed``, one per cell.
    row, column
        The columns naming the heatmap's rows (questions) and columns (groups).
    value
        The figure in each cell (e.g. ``pct_positive``).

    Returns
    -------
    pandas.DataFrame
        ``group``, ``lowest``, ``highest`` and ``compared`` (the rows with at least two
        published groups, the same on every line), one line per group with a published
        cell, sorted by name.

    Examples
    --------
    >>> cells = pd.DataFrame({"item": ["Q1", "Q1", "Q2", "Q2", "Q3"],
    ...                       "group": ["A", "B", "A", "B", "A"],
    ...                       "pct": [40.0, 60.0, 30.0, 20.0, 10.0],
    ...                       "suppressed": [False] * 5})
    >>> times_lowest_and_highest(cells, row="item", column="group", value="pct")
      group  lowest  highest  compared
    0     A       1        1         2
    1     B       1        1         2
    """
    shown = _shown(cells, value).assign(_group=lambda t: t[column].astype(str))
    groups = sorted(shown["_group"].unique())
    counts = pd.DataFrame({"group": groups, "lowest": 0, "highest": 0})
    counts = counts.set_index("group")
    compared = 0
    for _, per_row in shown.groupby(row, sort=False):
        if len(per_row) < 2:
            continue
        compared += 1
        for name in per_row.loc[per_row[value] == per_row[value].min(), "_group"]:
            counts.loc[name, "lowest"] += 1
        for name in per_row.loc[per_row[value] == per_row[value].max(), "_group"]:
            counts.loc[name, "highest"] += 1
    return counts.reset_index().assign(compared=compared)


def group_comparison_finding(
    cells: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    when: str = "",
    lowest: str = "was least positive on",
    highest: str = "most positive on",
    rows: str = "questions",
    width: int = 90,
) -> str:
    """Say which group was most often the lowest, and the most often highest if it fits.

    Parameters
    ----------
    cells
        Gated rows with ``row``, ``column``, ``value`` and ``suppressed``, one per cell.
    row, column, value
        As for :func:`times_lowest_and_highest`.
    when
        Added after the count (e.g. ``" in 2008"``).
    lowest, highest
        The words between a group and its count of lowest and of highest figures.
    rows
        What the rows are called, plural (e.g. ``"questions"`` or ``"years"``).
    width
        The longest sentence: the most often highest group is added only when the whole
        stays within it.

    Returns
    -------
    str
        ``"Community Nursing was least positive on 21 of 48 questions in 2008; Therapies
        most positive on 15"``. Ties in the count go to the name first in alphabetical
        order. When no row has two published groups, says so, naming the one group
        published if there is only one.

    Examples
    --------
    >>> cells = pd.DataFrame({"item": ["Q1", "Q1", "Q2", "Q2"],
    ...                       "group": ["A", "B", "A", "B"], "pct": [40.0, 60.0, 30.0, 35.0],
    ...                       "suppressed": [False] * 4})
    >>> group_comparison_finding(cells, row="item", column="group", value="pct", when=" in 2008")
    'A was least positive on 2 of 2 questions in 2008; B most positive on 2'
    """
    counts = times_lowest_and_highest(cells, row=row, column=column, value=value)
    compared = int(counts["compared"].iloc[0]) if len(counts) else 0
    if compared == 0:
        if len(counts) == 1:
            return f"Only {counts['group'].iloc[0]} is large enough to show{when}"
        return f"Too few groups are large enough to compare{when}"
    low = counts.sort_values(["lowest", "group"], ascending=[False, True]).iloc[0]
    high = counts.sort_values(["highest", "group"], ascending=[False, True]).iloc[0]
    finding = f"{low['group']} {lowest} {low['lowest']} of {compared} {rows}{when}"
    more = f"; {high['group']} {highest} {high['highest']}"
    return finding + more if len(finding + more) <= width else finding


def largest_change_finding(changes: pd.DataFrame, *, item: str, since: str) -> str:
    """Name the question whose percent positive changed most, and how many changed significantly.

    Parameters
    ----------
    changes
        Gated rows of the ``changes`` table for the questions shown: ``diff_pp``
        (percentage points), ``significant``, ``suppressed`` and the column ``item``.
    item
        The column naming each question (e.g. its question number).
    since
        The comparison year or phrase (e.g. ``"2007"``).

    Returns
    -------
    str
        ``"Largest change since 2007: Q12a, up 12 points; 4 of 6 changed significantly"``;
        ties in size go to the name first in alphabetical order. When no change is
        published, says so.

    Examples
    --------
    >>> changes = pd.DataFrame({"item": ["Q1", "Q2", "Q3"], "diff_pp": [-8.4, 3.0, 20.0],
    ...                         "significant": [True, False, None],
    ...                         "suppressed": [False, False, True]})
    >>> largest_change_finding(changes, item="item", since="2007")
    'Largest change since 2007: Q1, down 8 points; 1 of 2 changed significantly'
    """
    shown = _shown(changes, "diff_pp")
    if shown.empty:
        return f"No change since {since} can be shown"
    ordered = shown.assign(_size=shown["diff_pp"].abs(), _name=shown[item].astype(str))
    largest = ordered.sort_values(["_size", "_name"], ascending=[False, True]).iloc[0]
    direction = "up" if largest["diff_pp"] > 0 else "down"
    significant = int(shown["significant"].fillna(False).astype(bool).sum())
    return (
        f"Largest change since {since}: {largest['_name']}, {direction} "
        f"{largest['_size']:.0f} points; {significant} of {len(shown)} changed significantly"
    )
