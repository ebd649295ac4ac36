"""Performance indicators: statistical process control and funnel plots (issue 5)."""

from analysis.indicators.funnel import funnel
from analysis.indicators.profiles import role_profiles, staff_profile
from analysis.indicators.spc import spc
from analysis.lazy_imports import lazy_names

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


__getattr__ = lazy_names(__name__, _LAZY_NAMES)
