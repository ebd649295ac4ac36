"""The documented protection level: how widely a reader must stay unsure of a hidden count.

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S., Spicer, K.
and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley, section 4.3 (protection
levels: the feasibility interval an intruder can compute for a sensitive cell must be at
least this wide).
"""

from __future__ import annotations

__all__ = ["PROTECTION_LEVEL", "protection_for"]

PROTECTION_LEVEL = 2
"""The least width of a hidden count's range of whole numbers (``upper - lower``).

Width 2 means at least three values stay possible, so a reader cannot tell the count to
within one person either way (the interval rule of Statistics Norway's GaussSuppression,
``protectionIntervals``: upper bound at least one above the value, width at least 2). The
gate keeps every hidden count of positive (and of other) answers at least this wide by
construction (:mod:`analysis.disclosure.survey`); the audit
(:mod:`analysis.disclosure.audit`) checks every hidden count against it.
"""


def protection_for(minimum_group_size: int, level: int = PROTECTION_LEVEL) -> int:
    """The protection level that applies under a package's minimum group size.

    A package may publish any group of ``minimum_group_size`` people, and with it each
    count inside that group exactly; asking a hidden count to stay less known than a
    published one would fail runs the package's own rule allows (a package declaring a
    minimum of 1 publishes every count). So the level is at most ``minimum_group_size - 1``:
    a hidden single person's answer is still unknown under a minimum of 2.

    Parameters
    ----------
    minimum_group_size
        The package's ``minimum_group_size`` (``dataset.yml``).
    level
        The documented level, :data:`PROTECTION_LEVEL`.

    Examples
    --------
    >>> protection_for(11), protection_for(2), protection_for(1)
    (2, 1, 0)
    """
    return max(0, min(level, minimum_group_size - 1))
