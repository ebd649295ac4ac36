"""What the audit finds: each hidden count's range, the failures, and the run's result.

:class:`AuditResult` gathers them and gives the manifest's ``disclosure_audit`` entry;
:class:`DisclosureAuditError` stops a run whose audit failed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from analysis.disclosure.protection import PROTECTION_LEVEL

__all__ = [
    "DEFAULT_PROTECTION_LEVEL",
    "AuditFailure",
    "AuditResult",
    "DisclosureAuditError",
    "HiddenRange",
]

DEFAULT_PROTECTION_LEVEL = PROTECTION_LEVEL
"""The least width of a hidden count's range of whole numbers (``upper - lower``): the
documented :data:`analysis.disclosure.protection.PROTECTION_LEVEL` (2)."""

_INTEGER_SLACK = 1e-6


class DisclosureAuditError(RuntimeError):
    """The audit found hidden counts a reader can pin down; the run must not be published."""

    def __init__(self, result: AuditResult) -> None:
        self.result = result
        super().__init__(result.describe_failures())


@dataclass(frozen=True)
class HiddenRange:
    """What a reader can know of one hidden count.

    ``lower`` and ``upper`` are the linear programme's bounds; the whole numbers in them
    run from ``ceil(lower)`` to ``floor(upper)`` (:attr:`width`).
    """

    table: str
    key: str
    column: str
    lower: float
    upper: float
    exact: bool = True
    """False when the range was only shown wide enough (by feasible points found), not solved."""
    own_figure: bool = False
    """True when the range is narrow only because a published group holding the count has
    fewer than the protection level of those answers
    (:func:`~.verdicts._a_group_says_it`): that group's own figure, not a failure."""

    @property
    def width(self) -> int:
        """``floor(upper) - ceil(lower)``: how many people the reader is unsure by."""
        return math.floor(self.upper + _INTEGER_SLACK) - math.ceil(self.lower - _INTEGER_SLACK)


@dataclass(frozen=True)
class AuditFailure:
    """A hidden count pinned down, or a small group worked out by subtraction."""

    table: str
    key: str
    column: str
    reason: str

    def describe(self) -> str:
        """One line naming the table, the row and why."""
        return f"{self.table} [{self.key}] {self.column}: {self.reason}"


@dataclass
class AuditResult:
    """The audit of one run: every hidden count's range, and the failures."""

    ranges: list[HiddenRange] = field(default_factory=list)
    failures: list[AuditFailure] = field(default_factory=list)
    protection_level: int = DEFAULT_PROTECTION_LEVEL
    minimum_group_size: int = field(kw_only=True)
    """The package's (``dataset.yml``): always given, there is no default."""
    seconds: float = 0.0
    problems: int = 0
    not_covered: dict[str, int] = field(default_factory=dict)
    not_counts: dict[str, str] = field(default_factory=dict)
    """Tables read that publish no count relation, to why (``relations.not_counts``)."""
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether no hidden count is pinned down and no small group is derivable."""
        return not self.failures

    @property
    def narrowest(self) -> HiddenRange | None:
        """The hidden count with the narrowest range (the first such, in reading order, an
        exactly solved one before one only shown wide enough), leaving out those a
        published group's own figure accounts for."""
        return min(
            (r for r in self.ranges if not r.own_figure),
            key=lambda r: (r.width, not r.exact),
            default=None,
        )

    @property
    def own_figures(self) -> int:
        """Hidden answer counts as narrow as a published group's own figure (not failures)."""
        return sum(r.own_figure for r in self.ranges)

    def describe_failures(self, limit: int = 10) -> str:
        """The failures, one a line (the first ``limit``), for the terminal and the index."""
        lines = [f.describe() for f in self.failures[:limit]]
        if len(self.failures) > limit:
            lines.append(f"... and {len(self.failures) - limit} more")
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        """The manifest's ``disclosure_audit`` entry."""
        narrowest = self.narrowest
        return {
            "audited": True,
            "passed": self.passed,
            "protection_level": self.protection_level,
            "minimum_group_size": self.minimum_group_size,
            "hidden_counts_checked": len(self.ranges),
            "linear_programmes": self.problems,
            "seconds": round(self.seconds, 2),
            "narrowest": None
            if narrowest is None
            else {
                "table": narrowest.table,
                "key": narrowest.key,
                "column": narrowest.column,
                "lower": round(narrowest.lower, 3),
                "upper": round(narrowest.upper, 3),
                "width": narrowest.width,
                "exact": narrowest.exact,
            },
            "narrow_as_their_group": self.own_figures,
            "failures": [f.describe() for f in self.failures[:50]],
            "failure_count": len(self.failures),
            "not_covered": dict(self.not_covered),
            "not_counts": dict(self.not_counts),
            "notes": list(self.notes),
        }
