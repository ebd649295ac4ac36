"""The precision published figures carry: what people read, not what the computer holds.

Published tables round each figure by its kind (:data:`PRECISION`): percentages (and
percentage points) to 1 decimal, scores to 2 decimals, standard errors and test statistics
to 2 decimals, coefficients (correlations, kappas, reliability) to 2 decimals, p-values to
3 significant figures. A column's kind is read from its name (:func:`column_kinds`) or
declared where the table is published; every other column of decimal numbers is a
``figure``: 2 decimals, or 3 significant figures for a number below 0.1 in size, so that a
small rate does not round to 0. Whole numbers (counts) are never changed. Full precision
stays in the executed notebooks in the run folder, which the index never shares. Extra
digits tell readers nothing (a survey percentage is uncertain by several points) but give
an attacker exact equations to solve; the gate does not rely on rounding (it hides what
could be solved), and rounding does not weaken it.

References: Government Analysis Function (2021), *Presenting numbers in tables*: round
to the precision that is meaningful; NHS Staff Survey reports give percentages to whole
numbers or 1 decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PRECISION", "column_kinds", "decimals_shown", "round_for_publication"]

PRECISION = {
    "percent": ("decimals", 1),
    "score": ("decimals", 2),
    "standard error": ("decimals", 2),
    "statistic": ("decimals", 2),
    "p-value": ("significant", 3),
    "coefficient": ("decimals", 2),
    "figure": ("figure", 2),
}
"""Each kind of figure and how it is rounded: decimal places, or significant figures."""

_INTERVAL = ("ci_low", "ci_high")
_LIKE_THE_FIGURE = ("mean", "median", "mean_change", "sd", "estimate", "lower", "upper")
_COEFFICIENTS = ("r", "rho", "correlation", "kappa", "cohen_kappa", "alpha", "cronbach_alpha")


def _base(name: str) -> str:
    return name[: -len("_weighted")] if name.endswith("_weighted") else name


def _is_percent(base: str) -> bool:
    words = base.split("_")
    named = base in ("response_rate", "coverage")
    return "pct" in words or "percent" in words or "pp" in words or named


def _is_p_value(base: str) -> bool:
    return base in ("p", "p_value", "p_adjusted") or base.startswith(("p_value_", "p_adjusted_"))


def _is_coefficient(base: str) -> bool:
    return base in _COEFFICIENTS or base.endswith(("_kappa", "_correlation", "_alpha", "_rho"))


def column_kinds(
    columns: Iterable[Any] | pd.DataFrame, declared: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The kind of each column that is rounded: declared, or read from its name.

    ``*pct*``, ``*percent*``, ``*_pp``, ``response_rate`` and ``coverage`` are
    percentages; ``score`` a score; ``p``, ``p_value*`` and ``p_adjusted*`` p-values;
    ``se`` a standard error; ``z`` a test statistic; ``r``, ``rho``, ``correlation``,
    ``*kappa`` and ``*alpha`` coefficients; ``ci_low``/``ci_high`` and ``mean``,
    ``median``, ``sd``, ``estimate``... take the kind of the table's figure (a score in a
    table of scores, a percentage in a table of percentages). A ``_weighted`` suffix keeps
    the kind. Given a table, every other column holding decimal numbers is a ``figure``
    (:data:`PRECISION`).

    Parameters
    ----------
    columns
        The table (its column types are read), or only its column names.
    declared
        Kinds declared where the table is made (keys of :data:`PRECISION`); they win over
        the names.

    Raises
    ------
    ValueError
        If a declared kind is not one of :data:`PRECISION`.
    """
    declared = dict(declared or {})
    unknown = {c: k for c, k in declared.items() if k not in PRECISION}
    if unknown:
        raise ValueError(
            f"unknown precision kind(s) {unknown}: declare one of {', '.join(PRECISION)}"
        )
    table = columns if isinstance(columns, pd.DataFrame) else None
    names = [str(c) for c in columns]
    bases = {_base(n) for n in names}
    figure = "score" if "score" in bases else "percent" if any(map(_is_percent, bases)) else None
    kinds = {}
    for name in names:
        base = _base(name)
        if name in declared:
            kinds[name] = declared[name]
        elif _is_p_value(base):
            kinds[name] = "p-value"
        elif _is_percent(base):
            kinds[name] = "percent"
        elif base == "score":
            kinds[name] = "score"
        elif base == "se" and figure is not None:
            kinds[name] = "standard error"
        elif base == "z":
            kinds[name] = "statistic"
        elif (base in _INTERVAL or base in _LIKE_THE_FIGURE) and figure is not None:
            kinds[name] = figure
        elif _is_coefficient(base):
            kinds[name] = "coefficient"
        elif table is not None and pd.api.types.is_float_dtype(table[name]):
            kinds[name] = "figure"
    return kinds


def _rounded(value: Any, how: tuple[str, int]) -> Any:
    if isinstance(value, bool) or not isinstance(value, float):
        return value  # text ([c]), missing, booleans, whole numbers (counts)
    if not math.isfinite(value):
        return value
    mode, digits = how
    if mode == "figure" and value != 0 and abs(value) < 0.1:
        mode, digits = "significant", 3
    if mode == "significant":
        if value == 0:
            return 0.0
        digits = digits - 1 - math.floor(math.log10(abs(value)))
    # Half up on the decimal digits readers see (70.25 -> 70.3), as published statistics do.
    return float(
        Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    )


def _python(value: Any) -> Any:
    """A numpy scalar as the Python number it holds (a numpy float as ``float``)."""
    return value.item() if isinstance(value, np.generic) else value


def decimals_shown(kind: str | None) -> int | None:
    """The most decimal places a figure of ``kind`` is published with (None: no fixed limit).

    A report formatting a column must not show more decimals than this: the reader would
    see digits the CSV does not carry (``70.30`` for a percentage published as ``70.3``).
    """
    if kind is None:
        return None
    mode, digits = PRECISION[kind]
    return digits if mode == "decimals" else None


def round_for_publication(table: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """A copy of ``table`` with each column of ``kinds`` rounded as :data:`PRECISION` says.

    Examples
    --------
    >>> table = pd.DataFrame({"pct": [70.25, None], "p_value": [0.012345, 0.5]})
    >>> round_for_publication(table, column_kinds(table.columns)).to_dict("list")
    {'pct': [70.3, nan], 'p_value': [0.0123, 0.5]}
    """
    result = table.copy()
    for column, kind in kinds.items():
        if column not in result.columns:
            continue
        how = PRECISION[kind]
        values = result[column]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_integer_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            numbers = values.astype("float64")
            result[column] = numbers.map(lambda v, how=how: _rounded(v, how))
        else:
            result[column] = values.map(lambda v, how=how: _rounded(_python(v), how))
    return result
