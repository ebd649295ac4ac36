"""Performance indicators: statistical process control and funnel plots (issue 5)."""

from analysis.indicators.funnel import funnel
from analysis.indicators.spc import spc

__all__ = ["funnel", "spc"]
