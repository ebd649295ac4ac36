"""Input checks and shape handling shared by the statistics modules.

Every public function of :mod:`analysis.stats` accepts scalars, lists, numpy arrays or
pandas Series. Inputs are turned into float arrays here (missing values become NaN) and
results are given back in the shape of the inputs: a float when every input is a scalar, a
Series with the index of the first Series given, otherwise a numpy array. Arrays are
combined by position, never aligned on a pandas index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "ArrayLike",
    "as_float_array",
    "check_confidence",
    "check_non_negative",
    "check_not_above",
    "like_input",
    "two_sided_z",
]

ArrayLike = float | int | Sequence[float] | np.ndarray | pd.Series


def as_float_array(values: Any, name: str) -> np.ndarray:
    """Return ``values`` as a float array, with missing values (None, NaN, pd.NA) as NaN.

    Parameters
    ----------
    values
        A number, a sequence of numbers, a numpy array or a pandas Series.
    name
        The argument's name, used in the error message.

    Raises
    ------
    ValueError
        If a value is not a number (for example a text label that was not coded).
    """
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        values = values.to_numpy(dtype=object, na_value=np.nan)
    array = np.asarray(values)
    if array.dtype == object:
        array = np.where(pd.isna(array), np.nan, array)
    try:
        return array.astype(float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must contain numbers only (blank for missing): {error}") from None


def check_confidence(conf: float) -> float:
    """Check that ``conf`` is a confidence level strictly between 0 and 1 and return it.

    Raises
    ------
    ValueError
        If ``conf`` is not a number in (0, 1), for example ``95`` instead of ``0.95``.
    """
    if isinstance(conf, bool) or not isinstance(conf, int | float | np.floating | np.integer):
        raise ValueError(f"conf must be a number between 0 and 1, got {conf!r}")
    if not 0 < conf < 1:
        hint = f" (did you mean {conf / 100:g}?)" if 1 < conf < 100 else ""
        raise ValueError(f"conf must be between 0 and 1, e.g. 0.95 for 95%, got {conf}{hint}")
    return float(conf)


def _first_offender(mask: np.ndarray) -> str:
    positions = np.flatnonzero(mask)
    more = f" and {positions.size - 1} more" if positions.size > 1 else ""
    return f"position {positions[0]}{more}"


def check_non_negative(values: np.ndarray, name: str, what: str) -> None:
    """Raise ValueError if any non-missing value is negative.

    Parameters
    ----------
    values
        A float array (NaN is allowed and ignored).
    name
        The argument's name.
    what
        What the values are, in words (e.g. ``"positive answers"``).
    """
    bad = values < 0
    if bad.any():
        first = values[bad].flat[0]
        raise ValueError(
            f"{name} ({what}) must be 0 or more; got {first:g} at {_first_offender(bad.ravel())}"
        )


def check_not_above(x: np.ndarray, n: np.ndarray, x_name: str, n_name: str) -> None:
    """Raise ValueError if any ``x`` is larger than the matching ``n``."""
    bad = x > n
    if bad.any():
        raise ValueError(
            f"{x_name} must not exceed {n_name}; got {x_name}={x[bad].flat[0]:g} > "
            f"{n_name}={n[bad].flat[0]:g} at {_first_offender(bad.ravel())}"
        )


def like_input(result: np.ndarray, *templates: Any) -> Any:
    """Give ``result`` back in the shape of the inputs ``templates``.

    A pandas Series (the first Series among the templates gives the index) if any input
    is a Series, a float if every input is a scalar, otherwise a numpy array.
    """
    for template in templates:
        if isinstance(template, pd.Series):
            return pd.Series(np.broadcast_to(result, len(template)), index=template.index)
    if np.ndim(result) == 0 and all(np.ndim(template) == 0 for template in templates):
        return float(result)
    return np.asarray(result, dtype=float)


def two_sided_z(conf: float) -> float:
    """Return the standard normal quantile for a two-sided interval of level ``conf``."""
    return float(stats.norm.ppf(0.5 + check_confidence(conf) / 2))
