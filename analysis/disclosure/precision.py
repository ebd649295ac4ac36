"""The precision published figures carry: what people read, not what the computer holds.

Published tables round each figure by its kind (:data:`PRECISION`): percentages (and
percentage points) to 1 decimal, scores to 2 decimals, standard errors and test statistics
to 2 decimals, p-values to 3 significant figures. Full precision stays in the executed
notebooks in the run folder, which the index never shares. Extra digits tell readers
nothing (a survey percentage is uncertain by several points) but give an attacker exact
equations to solve; the gate does not rely on rounding (it hides what could be solved),
and rounding does not weaken it.

References: Government Analysis Function (2021), *Presenting numbers in tables*: round
to the precision that is meaningful; NHS Staff Survey reports give percentages to whole
numbers or 1 decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

__all__ = ["PRECISION", "column_kinds", "round_for_publication"]

PRECISION = {
    "percent": ("decimals", 1),
    "score": ("decimals", 2),
    "standard error": ("decimals", 2),
    "statistic": ("decimals", 2),
    "p-value": ("significant", 3),
}
"""Each kind of figure and how it is rounded: decimal places, or significant figures."""

_INTERVAL = ("ci_low", "ci_high")


def _base(name: str) -> str:
    return name[: -len("_weighted")] if name.endswith("_weighted") else name


def _is_percent(base: str) -> bool:
    words = base.split("_")
    return "pct" in words or "percent" in words or "pp" in words or base == "response_rate"


def column_kinds(columns: Iterable[Any]) -> dict[str, str]:
    """The kind of each column that is rounded, read from its name.

    ``*pct*``, ``*percent*``, ``*_pp`` and ``response_rate`` are percentages; ``score`` a
    score; ``p_value`` and ``p_adjusted`` p-values; ``se`` a standard error; ``z`` a test
    statistic; ``ci_low``/``ci_high`` take the kind of the table's figure (a score in a
    table of scores, a percentage in a table of percentages). A ``_weighted`` suffix keeps
    the kind. Other columns are not rounded.
    """
    names = [str(c) for c in columns]
    bases = {_base(n) for n in names}
    figure = "score" if "score" in bases else "percent" if any(map(_is_percent, bases)) else None
    kinds = {}
    for name in names:
        base = _base(name)
        if base in ("p_value", "p_adjusted"):
            kinds[name] = "p-value"
        elif _is_percent(base):
            kinds[name] = "percent"
        elif base == "score":
            kinds[name] = "score"
        elif base == "se" and figure is not None:
            kinds[name] = "standard error"
        elif base == "z":
            kinds[name] = "statistic"
        elif base in _INTERVAL and figure is not None:
            kinds[name] = figure
    return kinds


def _rounded(value: Any, how: tuple[str, int]) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value  # text ([c]), missing, booleans
    if isinstance(value, float) and not math.isfinite(value):
        return value
    mode, digits = how
    if mode == "significant":
        if value == 0:
            return 0.0
        digits = digits - 1 - math.floor(math.log10(abs(value)))
    # Half up on the decimal digits readers see (70.25 -> 70.3), as published statistics do.
    return float(
        Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    )


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
        if pd.api.types.is_numeric_dtype(values):
            numbers = values.astype("float64")
            result[column] = numbers.map(lambda v, how=how: _rounded(v, how))
        else:
            result[column] = values.map(
                lambda v, how=how: _rounded(v.item() if hasattr(v, "item") else v, how)
            )
    return result
