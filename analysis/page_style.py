"""The reports' templates folder and the style sheet every page of a run shares.

The stage reports (:mod:`analysis.pipeline.render`), the index pages
(:mod:`analysis.run_index`) and the annual summary (:mod:`analysis.summary.page`) inline the
same style sheet, so that each page is self-contained and nothing is loaded from the
internet.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TEMPLATES_DIR", "page_css"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""The nbconvert template ``report`` and the index pages' templates."""


def page_css() -> str:
    """The style sheet shared by the reports and the index pages (inlined in each page)."""
    return (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
