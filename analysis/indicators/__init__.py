"""Performance indicators: statistical process control and funnel plots (issue 5).

The indicator specifications (``indicators.yml``) are part of the data package:
:mod:`analysis.datapackage.indicator_specifications`, available here as ``specifications``
for the indicators notebook. The SPC limits are statistics: :mod:`analysis.stats.spc`.
"""

from analysis.datapackage import indicator_specifications as specifications
from analysis.indicators.composite import CompositeIndex, composite_index
from analysis.indicators.funnel import funnel
from analysis.indicators.profiles import role_profiles, staff_profile
from analysis.indicators.quality import indicator_quality
from analysis.stats.spc import spc

__all__ = [
    "CompositeIndex",
    "composite_index",
    "funnel",
    "indicator_quality",
    "role_profiles",
    "specifications",
    "spc",
    "staff_profile",
]
