"""The whole-run disclosure audit: how narrowly can a reader pin down each hidden count?

The gate (:mod:`analysis.disclosure.cells` and the survey gate) decides table by table what
to hide. The audit checks the result as an attacker would, from the published files alone
plus what any reader of the data package knows (which teams make up which directorate):
it reads every table of the run (:func:`analysis.disclosure.relations.read_relations`),
writes the counts behind them as non-negative *atoms* (people of one unit, staff group,
answer...), and for every hidden count solves two linear programmes, its least and its
greatest value consistent with everything published (``scipy.optimize.linprog``, HiGHS).

Rule: a hidden count whose range holds fewer than :data:`DEFAULT_PROTECTION_LEVEL` + 1
whole numbers is a failure, and so is any group worked out exactly by subtracting one
published count from another that holds it, when it has 1 to ``minimum - 1`` people.

The modules, each with one job:

- :mod:`~analysis.disclosure.audit.results`: what the audit finds (a hidden count's range,
  a failure, the run's result) and the error that stops a run;
- :mod:`~analysis.disclosure.audit.programme`: one slice's atoms and linear relations, and
  its programme kept loaded in HiGHS;
- :mod:`~analysis.disclosure.audit.building`: the relations read from the run grouped by
  slice, the relations a reader adds to them, and each slice's programme built from them;
- :mod:`~analysis.disclosure.audit.weights`: the staff-group weights of the weighted
  figures, and the splits of hidden respondents they may come from;
- :mod:`~analysis.disclosure.audit.screen`: each hidden count's range, solving as few
  programmes as the rule needs;
- :mod:`~analysis.disclosure.audit.verdicts`: which narrow ranges are only a published
  group's own figure, and which small groups are worked out by subtraction;
- :mod:`~analysis.disclosure.audit.run`: the audit of a run's relations and of a run folder
  (:func:`audit_relations`, :func:`audit_run`).

See ``docs/disclosure.md`` ("The audit") for the relations, the choice of the protection
level and what the audit does not cover.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.3
(protection levels and the attacker's feasibility intervals, computed by linear programming).
"""

from __future__ import annotations

from analysis.disclosure.audit.programme import Structure
from analysis.disclosure.audit.results import (
    DEFAULT_PROTECTION_LEVEL,
    AuditFailure,
    AuditResult,
    DisclosureAuditError,
    HiddenRange,
)
from analysis.disclosure.audit.run import audit_relations, audit_run

__all__ = [
    "DEFAULT_PROTECTION_LEVEL",
    "AuditFailure",
    "AuditResult",
    "DisclosureAuditError",
    "HiddenRange",
    "Structure",
    "audit_relations",
    "audit_run",
]
