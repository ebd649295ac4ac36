"""The annual summary page, ``summary.html`` in the run folder, and its PDF.

The page is rendered from ``analysis/templates/summary.html.j2`` with Jinja2's autoescape,
so every string from the data (group, theme and action names) reaches the page as text. Its
style sheet prints it on A4 (``@page``), in at most four pages for the demo organisation
(measured by ``tests/test_summary_browser.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.page_style import TEMPLATES_DIR, page_css
from analysis.publishing import write_atomically
from analysis.summary.methods import methods_section
from analysis.summary.sentences import (
    build_sections,
    focus_areas,
    headline_lines,
    year_in_one_paragraph,
)
from analysis.summary.sources import PublishedRun

__all__ = ["CHROMIUM_ARGS", "SUMMARY_FILE", "print_summary_pdf", "write_summary"]

SUMMARY_METHODS = ("disclosure", "two_proportion", "holm", "wres_wdes", "spc", "did")
"""The methods behind the figures the summary quotes or derives."""

SUMMARY_FILE = "summary.html"
"""The summary's file name in the run folder."""

CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")
"""Chromium's options for printing, as ``tests/conftest.py`` launches it."""

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["j2"]),
    keep_trailing_newline=True,
)


def write_summary(run_dir: Path | str, manifest: Mapping[str, Any]) -> Path:
    """Write ``summary.html`` for a run from its published files.

    Parameters
    ----------
    run_dir
        The run folder, with ``tables/``, ``headlines/`` and the stage reports.
    manifest
        The run's manifest (which stages ran, the parameters).

    Returns
    -------
    Path
        The page, ``{run_dir}/summary.html``.
    """
    run = PublishedRun(run_dir, manifest)
    sections = build_sections(run)
    css = page_css() + "\n" + (TEMPLATES_DIR / "summary.css").read_text(encoding="utf-8")
    page = _environment.get_template("summary.html.j2").render(
        css=css,
        organisation=str(manifest["organisation"]),
        year=run.year,
        paragraph=year_in_one_paragraph(run, sections),
        headlines=headline_lines(run),
        sections=sections,
        focus=focus_areas(run, sections),
        methods=methods_section(
            SUMMARY_METHODS,
            manifest,
            changed=set(manifest.get("parameters", {})) - {"data_package", "year", "stages"},
        ),
    )
    return write_atomically(Path(run_dir) / SUMMARY_FILE, page.encode("utf-8"))


def print_summary_pdf(run_dir: Path | str, chromium: str | None = None) -> str:
    """Print ``summary.html`` to ``summary.pdf`` with headless Chromium; say what happened.

    Parameters
    ----------
    run_dir
        The run folder holding ``summary.html``.
    chromium
        The browser's path; by default ``chromium`` (Debian's package) on the ``PATH``.

    Returns
    -------
    str
        Where the PDF was written, or why not (no Chromium installed, or Chromium failed);
        the run carries on either way.
    """
    run_dir = Path(run_dir)
    browser = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return (
            "summary.pdf not written: headless Chromium is not installed (Debian: apt install "
            "chromium); summary.html prints to A4 from any browser."
        )
    target = run_dir / "summary.pdf"
    with tempfile.TemporaryDirectory(prefix="summary-pdf-") as folder:
        printed = Path(folder) / "summary.pdf"
        command = [
            browser,
            *CHROMIUM_ARGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={printed}",
            (run_dir / SUMMARY_FILE).resolve().as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=True)
        except (OSError, subprocess.SubprocessError) as failure:
            return f"summary.pdf not written: Chromium failed ({type(failure).__name__})."
        if not printed.is_file():
            return "summary.pdf not written: Chromium printed nothing."
        write_atomically(target, printed.read_bytes())
    return f"Wrote {target.name}."
