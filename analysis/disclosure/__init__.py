"""Disclosure control: the one gate every published figure passes.

A figure based on fewer than the minimum group size of respondents (11 by default, as in
the NHS Staff Survey) is never shown, and neither is any figure that would let a reader
work a hidden one out by combining figures published elsewhere.

Modules
-------
cells
    Primary and secondary cell suppression of one table (:func:`suppress_small_groups`).
"""

from analysis.disclosure.cells import (
    DEFAULT_MINIMUM_GROUP_SIZE,
    DisclosureWarning,
    suppress_small_groups,
)

__all__ = [
    "DEFAULT_MINIMUM_GROUP_SIZE",
    "DisclosureWarning",
    "suppress_small_groups",
]
