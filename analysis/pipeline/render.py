"""Executed notebook to HTML report: the only place that imports nbconvert.

No code, nothing from the internet, every image described.

Rendering happens in the pipeline's own process with nbconvert's :class:`HTMLExporter`
(rather than one ``jupyter nbconvert`` process per notebook), using the ``report`` template
in ``analysis/templates``: nbconvert's ``lab`` template without the scripts it would fetch
from CDNs (require.js, MathJax, mermaid, the Jupyter widgets embedder). The equivalent
command line is ``jupyter nbconvert --to html --no-input``.

After rendering, everything the notebook's cells put on the page (between the trusted
template's ``<main id="report">`` and ``</main>``) is cleaned with an allow-list
(:func:`analysis.text_safety.sanitise_html`), so that text from the data that a notebook failed
to escape shows as text and cannot run. Then the report gets a table of contents (every
``h1``-``h3`` that has an id) and is checked: an image without alternative text stops the
render with a :class:`RenderError`, because readers using a screen reader would otherwise miss
the figure.
"""

from __future__ import annotations

import copy
import html
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.page_style import TEMPLATES_DIR, page_css

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

__all__ = [
    "Heading",
    "RenderError",
    "hide_machine_paths",
    "prepare_exporter",
    "render_notebook",
    "sanitise_report",
    "source_cell_number",
    "table_of_contents",
]

_TOC_MARKER = "<!-- report-table-of-contents -->"
_MAIN_START = '<main id="report">'
_MAIN_END = "</main>"
# nbconvert gives an image without alt text this placeholder, which describes nothing.
_PLACEHOLDER_ALT = "no description has been provided for this image"
_PAPERMILL_CELL_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})

_exporter_lock = threading.Lock()
_exporter: HTMLExporter | None = None


class RenderError(ValueError):
    """A notebook could not become a report (for example an image has no alt text)."""


@dataclass(frozen=True)
class Heading:
    """A heading of a report, for its table of contents.

    Parameters
    ----------
    level
        1, 2 or 3 (``h1`` to ``h3``).
    id
        The heading's ``id`` attribute, the link target.
    text
        The heading's text, without nbconvert's anchor-link pilcrow.
    """

    level: int
    id: str
    text: str


def source_cell_number(notebook: nbformat.NotebookNode, index: int) -> int | None:
    """The 1-based number, in the notebook as written, of a cell of the executed notebook.

    Papermill adds cells when it runs a notebook (the injected parameters, and a banner when
    a cell fails); they are not counted, so the number matches what the author sees in
    JupyterLab. Returns ``None`` for a cell papermill added.
    """
    if not 0 <= index < len(notebook.cells):
        raise ValueError(f"the notebook has {len(notebook.cells)} cells; there is no cell {index}")

    def added_by_papermill(cell: nbformat.NotebookNode) -> bool:
        return bool(_PAPERMILL_CELL_TAGS.intersection(cell.get("metadata", {}).get("tags", [])))

    if added_by_papermill(notebook.cells[index]):
        return None
    return sum(not added_by_papermill(cell) for cell in notebook.cells[: index + 1])


class _ReportInspector(HTMLParser):
    """Collects headings with ids and images without alt text, noting each one's cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self.images_without_alt: list[tuple[int, str]] = []  # (cell ordinal, cell id)
        self._cell: tuple[int, str] = (-1, "")
        self._heading: tuple[int, str] | None = None
        self._heading_text: list[str] = []
        self._in_anchor_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "jp-Cell" in classes:
            cell_id = (attributes.get("id") or "").removeprefix("cell-id=")
            self._cell = (self._cell[0] + 1, cell_id)
        elif tag in ("h1", "h2", "h3") and attributes.get("id") and self._heading is None:
            self._heading = (int(tag[1]), attributes["id"] or "")
            self._heading_text = []
        elif tag == "a" and "anchor-link" in classes:
            self._in_anchor_link += 1
        elif tag == "img" and (attributes.get("alt") or "").strip().lower() in (
            "",
            _PLACEHOLDER_ALT,
        ):
            self.images_without_alt.append(self._cell)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_anchor_link:
            self._in_anchor_link -= 1
        elif self._heading is not None and tag == f"h{self._heading[0]}":
            text = " ".join("".join(self._heading_text).split())
            self.headings.append(Heading(self._heading[0], self._heading[1], text))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self._in_anchor_link:
            self._heading_text.append(data)


def table_of_contents(headings: list[Heading]) -> str:
    """A ``<nav>`` listing the headings as nested lists of links.

    Parameters
    ----------
    headings
        In document order; levels may skip (an ``h3`` straight after an ``h1``).

    Returns
    -------
    str
        The ``<nav aria-labelledby=...>`` element, or ``""`` when there are no headings.
    """
    if not headings:
        return ""
    parts = [
        '<nav class="report-contents" aria-labelledby="report-contents-title">',
        '<p class="report-contents-title" id="report-contents-title">Contents</p>',
    ]
    open_levels: list[int] = []
    for heading in headings:
        while open_levels and open_levels[-1] > heading.level:
            parts.append("</li></ol>")
            open_levels.pop()
        if open_levels and open_levels[-1] == heading.level:
            parts.append("</li>")
        else:
            parts.append("<ol>")
            open_levels.append(heading.level)
        parts.append(
            f'<li><a href="#{html.escape(heading.id, quote=True)}">{html.escape(heading.text)}</a>'
        )
    parts.extend("</li></ol>" for _ in open_levels)
    parts.append("</nav>")
    return "\n".join(parts)


def prepare_exporter() -> None:
    """Import nbconvert and load the report template now, so that the first render is quick.

    The pipeline calls this while the first stage's kernel is starting.
    """
    with _exporter_lock:
        _shared_exporter()


def _shared_exporter() -> HTMLExporter:
    global _exporter
    if _exporter is None:
        # Imported on first use: nbconvert takes seconds to import, which the pipeline
        # spends while the stage kernels start.
        from nbconvert import HTMLExporter

        _exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            template_name="report",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    return _exporter


def sanitise_report(page: str) -> str:
    """Clean what the cells wrote into a rendered report; the template around it is kept.

    The part between the report template's ``<main id="report">`` and the last ``</main>``
    goes through :func:`analysis.text_safety.sanitise_html`; the head (style sheet, title)
    and the banner come from the trusted template, which escapes what it is given.

    Parameters
    ----------
    page
        A whole page rendered with the ``report`` template.

    Returns
    -------
    str
        The page with its main part cleaned.

    Raises
    ------
    RenderError
        If the page has no ``<main id="report">`` ... ``</main>`` (not the report template).
    """
    from analysis.text_safety import sanitise_html

    start = page.find(_MAIN_START)
    end = page.rfind(_MAIN_END)
    if start < 0 or end < start:
        raise RenderError(
            f"the rendered page has no {_MAIN_START}...{_MAIN_END}: it was not rendered with "
            "the report template, so its content cannot be cleaned"
        )
    start += len(_MAIN_START)
    return page[:start] + sanitise_html(page[start:end]) + page[end:]


def hide_machine_paths(text: str, hide_paths: Mapping[str, str]) -> str:
    """Replace machine-specific folders in a text by what readers should see instead.

    Parameters
    ----------
    text
        Any text: an HTML page, an error message.
    hide_paths
        Folder (as text) to its replacement, e.g. ``{"/home/me/project": "[project]"}``. A
        folder is replaced only where its name ends (``/home/me`` is not replaced inside
        ``/home/melissa``); longer folders win over their parents.

    Returns
    -------
    str
        The text with every listed folder replaced.
    """
    folders = sorted((path for path in hide_paths if path), key=len, reverse=True)
    if not folders:
        return text
    pattern = re.compile("(?:" + "|".join(re.escape(path) for path in folders) + r")(?![\w.-])")
    return pattern.sub(lambda match: hide_paths[match.group(0)], text)


def render_notebook(
    notebook: nbformat.NotebookNode,
    *,
    title: str,
    organisation: str,
    context: str = "",
    index_href: str | None = None,
    source_dir: Path | str | None = None,
    hide_paths: Mapping[str, str] | None = None,
    appendix: str = "",
) -> str:
    """Render an executed notebook as a self-contained HTML report without code.

    Parameters
    ----------
    notebook
        The executed notebook (it is not modified).
    title
        The stage's title; the page's ``<title>`` is "title – organisation".
    organisation
        The organisation's name, shown at the top of the page.
    context
        A short description shown beside it (e.g. "Staff survey 2008").
    index_href
        Link from the report back to the run's index page, if any.
    source_dir
        The notebook's own folder, to embed images that its markdown refers to.
    hide_paths
        Text to replace in the page: machine-specific folders (keys) and what readers see
        instead (values), e.g. ``{"/home/me/project": "[project]"}``, so that error
        messages do not reveal where the suite ran.
    appendix
        Trusted HTML, every string in it already escaped, added at the end of the report's
        main part after the cells' output is sanitised: the "Methods and references"
        section (:func:`analysis.summary.methods.methods_section`).

    Returns
    -------
    str
        The complete HTML page.

    Raises
    ------
    RenderError
        When an image has no alternative text; the message names the cells.
    """
    page = copy.copy(notebook)
    page.metadata = copy.deepcopy(notebook.metadata)
    page.metadata["title"] = f"{title} – {organisation}"
    resources = {
        "metadata": {"name": title, "path": str(source_dir) if source_dir else ""},
        "report": {
            "organisation": organisation,
            "context": context,
            "index_href": index_href,
            "css": page_css(),
        },
    }
    with _exporter_lock:
        body, _ = _shared_exporter().from_notebook_node(page, resources=resources)
    body = sanitise_report(hide_machine_paths(body, hide_paths or {}))
    if appendix:
        end = body.rfind(_MAIN_END)
        body = body[:end] + hide_machine_paths(appendix, hide_paths or {}) + body[end:]
    inspector = _ReportInspector()
    inspector.feed(body)
    inspector.close()
    if inspector.images_without_alt:
        index_by_id = {cell.get("id"): index for index, cell in enumerate(notebook.cells)}
        numbers = set()
        for ordinal, cell_id in inspector.images_without_alt:
            index = index_by_id.get(cell_id, ordinal) if cell_id else ordinal
            if 0 <= index < len(notebook.cells):
                numbers.add(source_cell_number(notebook, index))
        cells = [f"cell {number}" for number in sorted(n for n in numbers if n is not None)]
        where = f" ({', '.join(cells)})" if cells else ""
        raise RenderError(
            f"the report {title!r} shows {len(inspector.images_without_alt)} image(s) without "
            f"alt text{where}; publish figures with StageOutput.figure(fig, name, alt=...) so "
            "that every image is described for readers who cannot see it"
        )
    return body.replace(_TOC_MARKER, table_of_contents(inspector.headings), 1)
