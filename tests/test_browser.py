"""What readers see: the demo run's reports opened in headless Chromium, and its tables attacked.

Every stage report and both index pages are opened from ``file://``: nothing may be fetched
from anywhere but the file system or ``data:`` URLs, no console error and no failed request
is allowed, the table of contents and every figure (with alt text) must be visible, and no
code may be. Then every published table is attacked as a reader with a spreadsheet would:
no suppressed figure may be worked out by subtraction, and no shown count may be below the
minimum group size.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import stages as stage_registry

SUPPRESSED = "[c]"
REPORT_WIDTH = 1280
"""The browser window's width for the layout checks (a laptop's)."""
TALLEST_REPORT = 20_000
"""The tallest a report may be by default (px at 1280 px wide): it leads with its findings."""
AXE_CORE = "axe-core@4.10.2"
"""axe-core from npm, pinned: the accessibility rules the reports are checked against."""
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class OpenedPage:
    """A page opened from a file, with everything it logged and requested."""

    def __init__(self, browser: object, path: Path) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda message: (
                self.problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "requestfailed",
            lambda request: self.problems.append(f"failed request: {request.url}"),
        )
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def check_self_contained(self) -> None:
        outside = [url for url in self.requests if not url.startswith(("file://", "data:"))]
        assert not outside, f"requests outside file:// and data: {outside}"
        assert not self.problems, self.problems

    def close(self) -> None:
        self.context.close()


def stage_reports(run_dir: Path) -> list[dict]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return manifest["stages"]


def code_lines(stage_name: str) -> list[str]:
    """Distinctive lines of a stage notebook's code cells, which readers must not see."""
    stage = next(s for s in stage_registry.STAGES if s.name == stage_name)
    notebook = nbformat.read(stage.notebook_path, as_version=4)
    return [
        line.strip()
        for cell in notebook.cells
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", [])
        for line in cell.source.splitlines()
        if len(line.strip()) > 20 and ("(" in line or "=" in line)
    ]


@pytest.mark.browser
@pytest.mark.pipeline
def test_stage_reports_are_self_contained_and_show_no_code(browser, demo_run: Path) -> None:
    stages = stage_reports(demo_run)
    assert stages
    for stage in stages:
        opened = OpenedPage(browser, demo_run / stage["report"])
        try:
            opened.check_self_contained()
            page = opened.page
            assert page.title().strip(), f"{stage['name']}: empty <title>"
            assert page.locator("html").get_attribute("lang") == "en"
            nav = page.locator("nav.report-contents")
            assert nav.is_visible(), f"{stage['name']}: no visible table of contents"
            links = nav.locator("a")
            assert links.count() >= 1
            for number in range(links.count()):
                target = links.nth(number).get_attribute("href")
                # heading ids may hold any character (an apostrophe, say), so ask the page
                # itself rather than build a CSS selector from the id
                found = page.evaluate(
                    "href => document.querySelectorAll("
                    "'#' + CSS.escape(decodeURIComponent(href.slice(1)))).length",
                    target,
                )
                assert found == 1, target
            images = page.locator("main img")
            for number in range(images.count()):
                image = images.nth(number)
                assert (image.get_attribute("alt") or "").strip(), f"{stage['name']}: no alt"
                # a figure folded into a closed <details> is shown when its line is clicked
                folded = image.evaluate("img => !!img.closest('details:not([open])')")
                assert folded or image.is_visible()
                assert image.evaluate("img => img.complete && img.naturalWidth > 0")
            for selector in (".jp-CodeCell .jp-InputArea", ".jp-InputPrompt", ".jp-OutputPrompt"):
                shown = page.locator(selector)
                assert not any(shown.nth(i).is_visible() for i in range(shown.count())), selector
            text = page.locator("body").inner_text()
            visible_code = [line for line in code_lines(stage["name"]) if line in text]
            assert not visible_code, f"{stage['name']} shows code: {visible_code[:3]}"
        finally:
            opened.close()


@pytest.mark.browser
@pytest.mark.pipeline
def test_data_overview_shows_its_figures(browser, demo_run: Path) -> None:
    opened = OpenedPage(browser, demo_run / "data_overview.html")
    try:
        figures = opened.page.locator("main figure img")
        assert figures.count() >= 1, "the data overview shows no figure"
        assert all(figures.nth(i).is_visible() for i in range(figures.count()))
    finally:
        opened.close()


_ICONS_ON_THE_PAGE = """() => [...document.querySelectorAll("main svg[role='img']")].map(svg => {
    const box = svg.getBoundingClientRect();
    const style = getComputedStyle(svg);
    return {
        label: svg.getAttribute("aria-label") || "",
        title: svg.querySelector("title")?.textContent || "",
        shapes: svg.querySelectorAll("circle, polyline").length,
        width: box.width,
        height: box.height,
        shown: style.display !== "none" && style.visibility !== "hidden",
        folded: svg.closest("details:not([open])") !== null,
    };
})"""


@pytest.mark.browser
@pytest.mark.pipeline
def test_indicators_shows_the_spc_icons_and_their_matrix(browser, demo_run: Path) -> None:
    import io

    from PIL import Image

    opened = OpenedPage(browser, demo_run / "indicators.html")
    try:
        opened.check_self_contained()
        page = opened.page
        icons = page.evaluate(_ICONS_ON_THE_PAGE)
        # the matrix alone heads its 7 rows and 4 columns with an icon each
        assert len(icons) >= 11, f"{len(icons)} SPC icons survived the report's sanitiser"
        for icon in icons:
            assert icon["label"].startswith(("Variation: ", "Assurance: ")), icon
            assert icon["title"] == icon["label"] and icon["shapes"] >= 1, icon
            if not icon["folded"]:
                assert icon["shown"] and icon["width"] >= 20 and icon["height"] >= 20, icon
        matrix = page.locator("table.spc-matrix")
        assert matrix.is_visible()
        assert matrix.locator("tbody tr").count() == 7
        assert matrix.locator("thead svg[role='img']").count() == 4
        # drawn, not blank: the improvement icon's blue ring (#289de0) is on screen
        improvement = matrix.locator("tbody svg[aria-label^='Variation: special cause improv']")
        picture = Image.open(io.BytesIO(improvement.first.screenshot())).convert("RGB")
        blue = sum(
            1
            for red, green, blue_ in picture.getdata()
            if abs(red - 0x28) < 40 and abs(green - 0x9D) < 40 and abs(blue_ - 0xE0) < 40
        )
        assert blue >= 30, f"{blue} blue pixels in the improvement icon"
    finally:
        opened.close()


@pytest.mark.browser
@pytest.mark.pipeline
def test_index_pages_link_every_report_and_table(browser, demo_run: Path) -> None:
    opened = OpenedPage(browser, demo_run / "index.html")
    try:
        opened.check_self_contained()
        page = opened.page
        for stage in stage_reports(demo_run):
            link = page.locator(f"a[href='{stage['report']}']")
            assert link.is_visible() and link.inner_text() == stage["title"]
        assert page.locator("a[href='tables.xlsx']").is_visible()
        for csv_path in demo_run.glob("tables/*/*.csv"):
            relative = csv_path.relative_to(demo_run).as_posix()
            assert page.locator(f"a[href='{relative}']").count() == 1, relative
        assert page.get_by_role("heading", name="Headline figures").is_visible()
    finally:
        opened.close()
    opened = OpenedPage(browser, demo_run.parent.parent / "index.html")
    try:
        opened.check_self_contained()
        href = f"{demo_run.parent.name}/{demo_run.name}/index.html"
        assert opened.page.locator(f"a[href='{href}']").is_visible()
    finally:
        opened.close()


@pytest.mark.pipeline
def test_no_published_figure_can_be_worked_out_by_subtraction(demo_run: Path) -> None:
    from disclosure_attack import attack_published_table

    published = sorted(demo_run.glob("tables/*/*.csv"))
    assert published
    attacked = 0
    for csv_path in published:
        metadata = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
        if metadata.get("count") is None:
            # Either not about people, or derived from a table the gate has already hidden
            # cells of (e.g. changes between two gated years), with the hidden rows kept hidden.
            assert metadata.get("gated") or "not person-level" in json.dumps(metadata), (
                csv_path.name
            )
            continue
        if csv_path.stem == "equality_groups":
            # The attack assumes each line's total is published; the two sides of an equality
            # comparison do not add up to any published count (staff who did not state their
            # ethnicity or disability are on neither side). The whole-run audit reads this
            # table's real relations (analysis.disclosure.relations_more: each side is the sum
            # of its categories in item_scores) and the demo run passes it
            # (test_disclosure_audit_cover.py::test_the_demo_run_reads_every_table).
            assert metadata["structure"].startswith("equality groups"), metadata
            continue
        found = attack_published_table(csv_path)
        assert found == {"recoverable": [], "small_counts": [], "values_shown_in_hidden_rows": []}
        attacked += 1
    assert attacked >= 1, "no table with counts was published"


@pytest.mark.pipeline
def test_no_shown_count_is_below_the_minimum(demo_run: Path) -> None:
    manifest = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))
    minimum = manifest["minimum_group_size"]
    for meta_path in sorted(demo_run.glob("tables/*/*.json")):
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        if metadata.get("count") is None:
            continue
        table = pd.read_csv(
            meta_path.with_suffix(".csv"), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        shown = table[metadata["count"]]
        shown = pd.to_numeric(shown[(shown != SUPPRESSED) & (shown != "")])
        assert (shown >= minimum).all(), f"{meta_path.stem}: counts below {minimum} shown"


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe-core's ``axe.min.js``: ``$AXE_CORE_JS``, ``.cache/axe-core``, or installed by npm.

    npm installs the pinned version once per session into a temporary folder (npm is a
    package registry the CI reaches); without npm the test skips, saying why.
    """
    candidates = [
        Path(os.environ["AXE_CORE_JS"]) if os.environ.get("AXE_CORE_JS") else None,
        PROJECT_ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js",
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(
            "axe-core is not available: install Node.js's npm (apt-get install npm) so that "
            f"the test can run 'npm install {AXE_CORE}', or set AXE_CORE_JS to axe.min.js"
        )
    folder = tmp_path_factory.mktemp("axe-core")
    completed = subprocess.run(
        [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", AXE_CORE],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if completed.returncode != 0 or not script.is_file():
        pytest.skip(f"npm could not install {AXE_CORE}: {completed.stderr.strip()[-500:]}")
    return script.read_text(encoding="utf-8")


# Elements that stick out to the right of the report's column, unless inside a box that
# scrolls (or clips) them itself.
_OVERFLOWING = """() => {
  const main = document.querySelector('main') || document.body;
  const edge = main.getBoundingClientRect().right + 1;
  const out = [];
  for (const element of main.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (!box.width || box.right <= edge) continue;
    let parent = element.parentElement, scrolled = false;
    while (parent && parent !== main) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) {
        scrolled = true;
        break;
      }
      parent = parent.parentElement;
    }
    if (!scrolled) out.push(`${element.tagName}.${element.className} ends at ${box.right}px`);
  }
  return out;
}"""

# The text of every cell in a column headed "p-value...", "P value", "P adjusted" or "p".
_P_VALUE_CELLS = """() => {
  const cells = [];
  for (const table of document.querySelectorAll('main table')) {
    const heads = [...table.querySelectorAll('thead th')];
    const columns = heads
      .map((th, index) => [th.textContent.trim().toLowerCase().replace(/[-_]/g, ' '), index])
      .filter(([text]) => /^p( value| adjusted|$)/.test(text))
      .map(([, index]) => index);
    for (const row of table.querySelectorAll('tbody tr')) {
      for (const index of columns) {
        const cell = row.children[index];
        if (cell) cells.push(cell.textContent.trim());
      }
    }
  }
  return cells;
}"""


@pytest.mark.browser
@pytest.mark.pipeline
def test_reports_are_short_fit_their_column_and_pass_axe(
    browser, demo_run: Path, axe_script: str
) -> None:
    reports = [demo_run / stage["report"] for stage in stage_reports(demo_run)]
    reports.append(demo_run / "index.html")
    measured = {}
    for report in reports:
        context = browser.new_context(viewport={"width": REPORT_WIDTH, "height": 900})
        page = context.new_page()
        try:
            page.goto(report.as_uri(), wait_until="load")
            height = page.evaluate("document.documentElement.scrollHeight")
            measured[report.name] = height
            assert height <= TALLEST_REPORT, f"{report.name} is {height} px tall"
            assert page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            ), f"{report.name} scrolls sideways"
            overflowing = page.evaluate(_OVERFLOWING)
            assert not overflowing, f"{report.name}: wider than the column: {overflowing[:5]}"
            p_values = page.evaluate(_P_VALUE_CELLS)
            zeros = [text for text in p_values if text.replace("0", "").strip(".") == ""]
            assert not [z for z in zeros if z], f"{report.name}: p-values shown as {zeros[:5]}"
            page.add_script_tag(content=axe_script)
            violations = page.evaluate(
                "async () => (await axe.run(document, {runOnly: "
                "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}))"
                ".violations.map(v => `${v.id} (${v.nodes.length}): ${v.help}; ` + "
                "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
            )
            assert violations == [], f"{report.name}: axe-core violations {violations}"
        finally:
            context.close()
    assert len(measured) == len(reports)
