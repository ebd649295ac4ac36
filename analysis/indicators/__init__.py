"""Performance indicators: statistical process control and funnel plots (issue 5)."""

import importlib
from typing import Any

from analysis.indicators.funnel import funnel
from analysis.indicators.profiles import role_profiles, staff_profile
from analysis.indicators.spc import spc

# Imported on first use: they need scipy.stats, seconds of imports that reading a data
# package's indicators.yml (which imports this package) should not pay for.
_LAZY_NAMES = {
    "CompositeIndex": "composite",
    "composite_index": "composite",
    "indicator_quality": "quality",
}

__all__ = [
    "CompositeIndex",
    "composite_index",
    "funnel",
    "indicator_quality",
    "role_profiles",
    "spc",
    "staff_profile",
]


def __getattr__(name: str) -> Any:
    """Import a name of :data:`_LAZY_NAMES` from its module the first time it is used."""
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.indicators' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analysis.indicators.{module}"), name)
    globals()[name] = value
    return value
