"""How the reports present figures: one set of rules for every stage's tables.

The rules (documented for readers in ``docs/presentation.md``):

* **p-values** to 3 significant figures (``0.0332``, ``0.500``), and ``< 0.001`` below
  0.001, so that no p-value reads ``0`` (:func:`format_p_value`).
* **Estimates and their intervals** with the same decimals: ``ci_low``/``ci_high`` (and
  ``lower_95``/``upper_95``, ``x_ci_low``/``x_ci_high``...) are shown like their estimate
  (:func:`column_decimals`).
* **Never more decimals than the data hold**: a column already rounded to 1 decimal is
  shown with 1, not padded to 3 (``0.4``, not ``0.400``); otherwise about three
  significant figures of the column's largest value (73.4, 7.34, 0.734).
* **Column headings** from one dictionary (:data:`COLUMN_HEADINGS`): ``95% CI, low``,
  ``Difference (points)``, ``Weighted %``; a ``_weighted`` column not in it is the heading of
  its unweighted column followed by ``(weighted)``.
* **Quintiles** say which end is best in their heading.
* **Colours** of table cells: text is black or white, whichever contrasts more with the
  background (:func:`readable_text_colour`), so every cell passes WCAG 2.1 AA (4.5:1).

References
----------
.. [1] Government Analysis Function (2021), *Presenting numbers in tables*.
.. [2] American Psychological Association (2020), *Publication Manual*, 7th ed., 6.36:
   exact p-values to two or three decimals, ``p < .001`` below that.
.. [3] W3C (2018), *Web Content Accessibility Guidelines 2.1*, 1.4.3 Contrast (Minimum),
   and the definitions of *relative luminance* and *contrast ratio*.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "COLUMN_HEADINGS",
    "KEY_CELLS",
    "KEY_ROWS",
    "SHOW_CHOICES",
    "collapsible",
    "column_decimals",
    "contrast_ratio",
    "format_number",
    "format_p_value",
    "heading",
    "interval_estimates",
    "is_p_value",
    "readable_text_colour",
]

KEY_ROWS = 20
"""A table with more rows than this is folded in the reports (``<details>``)."""

KEY_CELLS = 200
"""A table with more cells than this (say 20 rows of 10 columns) is folded too."""

COLUMN_HEADINGS: dict[str, str] = {
    "alpha": "Cronbach's alpha",
    "base_pct": "Base year %",
    "base_pct_weighted": "Base year, weighted %",
    "base_year": "Base year",
    "ci_high": "95% CI, high",
    "ci_low": "95% CI, low",
    "ci_high_weighted": "95% CI, high (weighted)",
    "ci_low_weighted": "95% CI, low (weighted)",
    "cohen_kappa": "Cohen's kappa",
    "diff_pp": "Difference (points)",
    "diff_pp_weighted": "Difference, weighted (points)",
    "df": "Degrees of freedom",
    "g_z": "Standardised score (z)",
    "g_z_ci_high": "z, 95% CI high",
    "g_z_ci_low": "z, 95% CI low",
    "group_type": "Breakdown",
    "gwet_ac1": "Gwet's AC1",
    "item_id": "Question id",
    "item_rest_correlation": "Item-rest correlation",
    "lower_95": "95% limit, low",
    "lower_998": "99.8% limit, low",
    "n": "Respondents",
    "n_respondents": "Respondents",
    "p_adjusted": "p-value, adjusted",
    "p_adjusted_weighted": "p-value, adjusted (weighted)",
    "p_value": "p-value",
    "p_value_holm": "p-value, Holm-adjusted",
    "p_value_weighted": "p-value (weighted)",
    "pct": "%",
    "pct_positive": "Percent positive",
    "pct_positive_weighted": "Percent positive, weighted",
    "pct_weighted": "Weighted %",
    "percent_4_or_5": "% scoring 4 or 5",
    "question_number": "Question",
    "quintile": "Quintile (1 = best fifth)",
    "quintile_weighted": "Quintile, weighted (1 = best fifth)",
    "rank_p05": "Rank, 5th percentile",
    "rank_p95": "Rank, 95th percentile",
    "rest_n": "Respondents in the rest",
    "rest_pct": "Rest of organisation %",
    "rest_pct_weighted": "Rest of organisation, weighted %",
    "response_rate": "Response rate %",
    "se": "Standard error",
    "se_weighted": "Standard error (weighted)",
    "spearman_rho": "Spearman's rho",
    "std_error": "Standard error",
    "upper_95": "95% limit, high",
    "upper_998": "99.8% limit, high",
    "z": "z",
    "z_weighted": "z (weighted)",
}
"""Readers' headings of the published tables' columns (the CSVs keep the column names)."""

SHOW_CHOICES = ("auto", "folded", "open")
"""How a table or figure shows in a report: folded when too big, always folded, or open."""

_INTERVALS = (
    ("ci_low", "ci_high"),
    ("lower_95", "upper_95"),
    ("lower_998", "upper_998"),
    ("lower_limit", "upper_limit"),
    ("rank_p05", "rank_p95"),
)
_MOST_DECIMALS = 3


def heading(column: object) -> str:
    """A column's heading for readers, from :data:`COLUMN_HEADINGS` or its name.

    Examples
    --------
    >>> heading("diff_pp"), heading("score_weighted"), heading("percent_blank")
    ('Difference (points)', 'Score (weighted)', 'Percent blank')
    """
    name = str(column)
    if name in COLUMN_HEADINGS:
        return COLUMN_HEADINGS[name]
    if name.endswith("_weighted") and len(name) > len("_weighted"):
        return f"{heading(name[: -len('_weighted')])} (weighted)"
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def is_p_value(column: object) -> bool:
    """Whether a column holds p-values (``p_value``, ``p_adjusted``, ``wilcoxon_p_value``...).

    Examples
    --------
    >>> [is_p_value(c) for c in ("p_value", "p_adjusted_weighted", "bootstrap_p_value", "pct")]
    [True, True, True, False]
    """
    name = str(column)
    base = name[: -len("_weighted")] if name.endswith("_weighted") else name
    return (
        base in ("p_value", "p_adjusted")
        or base.endswith("_p_value")
        or base.startswith(("p_value_", "p_adjusted_"))
    )


def _half_up(value: float, decimals: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def format_p_value(value: Any) -> str:
    """A p-value to 3 significant figures, or ``< 0.001``; empty when missing.

    Examples
    --------
    >>> [format_p_value(p) for p in (0.033, 0.0442, 0.5, 1.0, 0.0004, 0.001, None)]
    ['0.0330', '0.0442', '0.500', '1.00', '< 0.001', '0.00100', '']
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    p = float(value)
    if not math.isfinite(p):
        return ""
    if p < 0.001:
        return "< 0.001"
    decimals = 2 - math.floor(math.log10(p))
    shown = _half_up(p, decimals)
    if shown != 0 and shown.adjusted() > math.floor(math.log10(p)):  # 0.09995 -> 0.1000
        shown = _half_up(p, decimals - 1)
        decimals -= 1
    return f"{shown:.{decimals}f}"


def format_number(value: Any, decimals: int, grouping: bool = True) -> str:
    """A number rounded half up to ``decimals`` places, with thousands separators or not.

    Examples
    --------
    >>> format_number(70.25, 1), format_number(1234.5, 0), format_number(2008, 0, False)
    ('70.3', '1,235', '2008')
    """
    separator = "," if grouping else ""
    return f"{_half_up(value, decimals):{separator}.{decimals}f}"


def _decimals_held(numbers: np.ndarray) -> int:
    """The fewest decimals (0 to 3) that show every number exactly as the data hold it."""
    for decimals in range(_MOST_DECIMALS):
        if np.allclose(numbers, np.round(numbers, decimals), rtol=0, atol=1e-9):
            return decimals
    return _MOST_DECIMALS


def _own_decimals(column: pd.Series) -> int | None:
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return None
    numbers = column.dropna().to_numpy(dtype=float)
    numbers = numbers[np.isfinite(numbers)]
    if numbers.size == 0 or np.all(numbers == np.round(numbers)):
        return 0
    largest = float(np.max(np.abs(numbers)))
    digits_before_point = math.floor(math.log10(largest)) + 1 if largest >= 1 else 0
    three_figures = min(_MOST_DECIMALS, max(1, _MOST_DECIMALS - digits_before_point))
    return min(three_figures, _decimals_held(numbers))


def interval_estimates(columns: Sequence[object]) -> dict[str, str]:
    """Each interval column's estimate: the column its bounds are shown like.

    ``x_ci_low`` goes with ``x``; a bare ``ci_low[_weighted]`` (or ``lower_95``...) with the
    nearest column before it that is not a bound itself (``score``, ``ci_low``,
    ``ci_high``).

    Examples
    --------
    >>> interval_estimates(["theme", "score", "ci_low", "ci_high", "g_z", "g_z_ci_low"])
    {'ci_low': 'score', 'ci_high': 'score', 'g_z_ci_low': 'g_z'}
    """
    names = [str(c) for c in columns]
    bounds = {}
    for name in names:
        for low, high in _INTERVALS:
            for bound in (low, high):
                base = name[: -len("_weighted")] if name.endswith("_weighted") else name
                if base == bound:
                    bounds[name] = None
                elif base.endswith(f"_{bound}") and base[: -len(bound) - 1] in names:
                    bounds[name] = base[: -len(bound) - 1]
    for name, estimate in list(bounds.items()):
        if estimate is None:
            before = [c for c in names[: names.index(name)] if c not in bounds]
            if before:
                bounds[name] = before[-1]
            else:
                del bounds[name]
    return {name: estimate for name, estimate in bounds.items() if estimate is not None}


def column_decimals(table: pd.DataFrame, columns: Iterable[object] | None = None) -> dict:
    """The decimals each numeric column of ``table`` is shown with (None: not a number).

    About three significant figures of the column's largest value, never more decimals
    than the column holds, none for whole numbers; an interval's bounds and its estimate
    share the most decimals any of them needs. p-values are not covered (see
    :func:`format_p_value`).

    Examples
    --------
    >>> table = pd.DataFrame({"alpha": [0.4, 0.83], "ci_low": [0.4, 0.8], "ci_high": [0.5, 0.9]})
    >>> column_decimals(table)
    {'alpha': 2, 'ci_low': 2, 'ci_high': 2}
    """
    names = list(table.columns if columns is None else columns)
    decimals = {c: _own_decimals(table[c]) for c in names}
    groups: dict[str, list[object]] = {}
    for bound, estimate in interval_estimates(names).items():
        groups.setdefault(estimate, [estimate]).append(bound)
    for members in groups.values():
        known = [decimals[m] for m in members if decimals.get(m) is not None]
        if known:
            for member in members:
                if decimals.get(member) is not None:
                    decimals[member] = max(known)
    return decimals


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#ffffff", "#00a36e"), 2), round(contrast_ratio("#000", "#fff"))
    (3.25, 21)
    """
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str, dark: str = "#231f20", light: str = "#ffffff") -> str:
    """The text colour, ``dark`` or ``light``, that contrasts more with ``background``.

    Examples
    --------
    >>> readable_text_colour("#00a36e"), readable_text_colour("#005eb8")
    ('#231f20', '#ffffff')
    """
    if contrast_ratio(dark, background) >= contrast_ratio(light, background):
        return dark
    return light


def collapsible(
    table_html: str,
    *,
    rows: int,
    columns: int = 1,
    summary: str,
    detail: bool,
    show: str = "auto",
) -> str:
    """A table's HTML, folded into ``<details>`` when it is too long to lead a section.

    Parameters
    ----------
    table_html
        The table's (escaped) HTML.
    rows, columns
        Its size: with ``show="auto"`` it is folded when it has more than
        :data:`KEY_ROWS` rows or more than
        :data:`KEY_CELLS` cells.
    summary
        What the fold's visible line says (plain text; escaped here).
    detail
        True for analysts: the fold starts open (the notebooks' ``detail`` parameter).
    show
        ``"auto"``, ``"folded"`` (always folded) or ``"open"`` (never folded).

    Returns
    -------
    str
        ``table_html`` unchanged, or inside ``<details>``.
    """
    if show not in SHOW_CHOICES:
        raise ValueError(f"show must be one of {SHOW_CHOICES}, got {show!r}")
    too_big = rows > KEY_ROWS or rows * columns > KEY_CELLS
    if show == "open" or (show == "auto" and not too_big):
        return table_html
    opened = " open" if detail else ""
    return (
        f'<details class="full-table"{opened}><summary>{html.escape(summary)}</summary>'
        f"{table_html}</details>"
    )
