"""The documented protection level: how widely a reader must stay unsure of a hidden count.

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S., Spicer, K.
and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley, section 4.3 (protection
levels: the feasibility interval an intruder can compute for a sensitive cell must be at
least this wide).
"""

from __future__ import annotations

__all__ = ["PROTECTION_LEVEL"]

PROTECTION_LEVEL = 2
"""The least width of a hidden count's range of whole numbers (``upper - lower``).

Width 2 means at least three values stay possible, so a reader cannot tell the count to
within one person either way (the interval rule of Statistics Norway's GaussSuppression,
``protectionIntervals``: upper bound at least one above the value, width at least 2). The
gate keeps every hidden count of positive (and of other) answers at least this wide by
construction (:mod:`analysis.disclosure.survey`); the audit
(:mod:`analysis.disclosure.audit`) checks every hidden count against it.
"""
