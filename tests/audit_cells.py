"""The cells and settings the hand-built audit tests share (``tests/test_disclosure_audit*.py``).

Each test writes the relations of a small published table by hand and audits them with
:func:`analysis.disclosure.audit.audit_relations`, for one survey year and one item.
"""

from __future__ import annotations

from analysis.disclosure.relations import Cell

YEAR = 2008
MINIMUM_GROUP_SIZE = 11
"""The minimum group size the audit is given (a dataset.yml's; the demo package's is 11)."""


def respondents(**where: str) -> Cell:
    """The respondents of :data:`YEAR` in the group ``where`` (column=value), or everyone."""
    return Cell("respondents", (YEAR,), tuple(sorted((k, (v,)) for k, v in where.items())))


def answers(measure: str = "n", **where: str) -> Cell:
    """The answers to item ``q1`` in :data:`YEAR` of the group ``where``: ``measure`` is
    ``n`` (those answering) or ``positive`` (those answering positively)."""
    return Cell("answers", (YEAR, "q1"), respondents(**where).where, measure)
