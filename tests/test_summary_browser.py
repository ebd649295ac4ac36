"""The demo run's annual summary in headless Chromium: no console error, at most 4 A4 pages.

The page count is read from the PDF that Chromium prints (``page.pdf(format="A4")``): every
page of a PDF is an object of ``/Type /Page`` (PDF 1.7, ISO 32000-1, section 7.7.3.3).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (Chromium writes them uncompressed)."""
    return len(PAGE_OBJECT.findall(pdf))


def test_count_pdf_pages_counts_pages_not_the_page_tree() -> None:
    # A hand-written two-page PDF skeleton: one /Pages tree, two /Page leaves.
    pdf = b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> << /Type/Page >>"
    assert count_pdf_pages(pdf) == 2


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.pipeline
def test_summary_prints_on_at_most_four_a4_pages(browser, demo_run: Path) -> None:
    summary = demo_run / "summary.html"
    index = (demo_run / "index.html").read_text(encoding="utf-8")
    assert index.index('href="summary.html"') < index.index('href="data_overview.html"')
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(summary.as_uri(), wait_until="load")
    assert page.locator("h2#equality").is_visible()
    assert page.locator("#methods-and-references").is_visible()
    pdf = page.pdf(format="A4")
    context.close()
    assert not problems, problems
    pages = count_pdf_pages(pdf)
    assert 1 <= pages <= 4, f"the summary prints on {pages} A4 pages"
