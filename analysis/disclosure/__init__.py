"""Disclosure control: the one gate every published figure passes.

A figure based on fewer than the minimum group size of respondents (the data package's
``minimum_group_size`` in ``dataset.yml``; 11 in the NHS Staff Survey) is never shown, and
neither is any figure that would let a reader work a hidden one out by combining figures
published elsewhere. The rules and structures are described in ``docs/disclosure.md``.

Modules
-------
cells
    Primary and secondary cell suppression of one table (:func:`suppress_small_groups`).
structures
    Groups inside groups published elsewhere, e.g. a team within its directorate
    (:func:`suppress_within`): the rest of the container must not be small.
survey
    The survey tables' gate: breakdowns gated with their margins and the organisation, the
    small-rest rule, tables derived from the item scores
    (:func:`analysis.disclosure.survey.suppress_survey_tables`).
weighted
    Weighted figures: shown only where every weighting class under them is shown.
gated
    :class:`GatedTable`, the only kind of table :mod:`analysis.publishing` publishes as
    person-level, and the relation metadata it carries.
"""

from analysis.disclosure.cells import DisclosureWarning, suppress_small_groups
from analysis.disclosure.structures import suppress_within

__all__ = [
    "DisclosureWarning",
    "suppress_small_groups",
    "suppress_within",
]
