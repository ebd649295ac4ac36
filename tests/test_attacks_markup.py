"""Nothing from the data is markup, and no published cell is a formula (issue #10, parts 3-4).

The pipeline runs on the demo package with every text that reaches a report replaced by an
XSS payload (:mod:`markup_attack`: OWASP XSS Filter Evasion Cheat Sheet payloads, template
and mathtext injection, and values beginning with ``=``, ``+``, ``-``, ``@``). Then every
page it wrote (stage reports, survey packs, the run's index page and the reports folder's
index) is opened in headless Chromium with scripts enabled: no payload may run (each would
set ``window.__xss``, retitle the page ``pwned`` or open a dialog), no element may carry an
event handler, script, frame or ``javascript:`` link, and each payload must show as text.
Every published CSV is then read as a spreadsheet would: no text cell may begin with a
formula character (OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from markup_attack import PAYLOADS, write_attack_package

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_FOUND_IN_PAGE = """() => {
    const handlers = [];
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            if (attribute.name.toLowerCase().startsWith("on")) {
                handlers.push(`${element.tagName} ${attribute.name}`);
            }
        }
    }
    const scriptLinks = [...document.querySelectorAll("[href], [src], [action], [formaction]")]
        .flatMap(e => ["href", "src", "action", "formaction"].map(a => e.getAttribute(a) || ""))
        .filter(url => url.replace(/\\s/g, "").toLowerCase().startsWith("javascript:"));
    return {
        xss: window.__xss === undefined ? null : String(window.__xss),
        title: document.title,
        handlers,
        scriptLinks,
        // <details> is not counted: the suite's own pages fold long sections with it, and a
        // payload's <details ontoggle> is caught by the event-handler check above. An <svg>
        // is counted unless it is one of the suite's SPC icons: role="img", labelled
        // "Variation: ..." or "Assurance: ...", holding only title, circle, polyline and text.
        active: [...document.querySelectorAll("*")].filter(element => {
            const name = element.localName.toLowerCase();
            if (name === "svg") {
                const icon = element.getAttribute("role") === "img"
                    && /^(Variation|Assurance): /.test(element.getAttribute("aria-label") || "")
                    && [...element.querySelectorAll("*")].every(
                        part => ["title", "circle", "polyline", "text"].includes(part.localName));
                return !icon;
            }
            return ["script", "iframe", "object", "embed", "frame", "frameset", "base", "form",
                    "use", "image", "foreignobject", "animate", "set", "feimage"].includes(name);
        }).length,
        text: document.body.innerText,
    };
}"""


@pytest.fixture(scope="module")
def attack_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The attacked package's folder, and each attacked value by kind of name."""
    return write_attack_package(tmp_path_factory.mktemp("markup-attack") / "data")


@pytest.fixture(scope="module")
def attack_run(attack_package: tuple[Path, dict]) -> tuple[Path, dict[str, dict[str, str]]]:
    """The run folder of the pipeline (with survey packs) on the attacked package."""
    package, names = attack_package
    out = package.parent / "reports"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "run",
            "--data",
            str(package),
            "--out",
            str(out),
            "--pack",
            "directorate",
            # The demo's SPC charts name demo directorates; draw the organisation's instead.
            "-p",
            "spc_charts=None",
        ],  # fmt: skip
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    manifests = sorted(out.glob("*/*/manifest.json"))
    assert len(manifests) == 1, f"{completed.stdout}\n{completed.stderr}"
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    failed = [(s["name"], s.get("error")) for s in manifest["stages"] if s["status"] != "succeeded"]
    assert not failed and completed.returncode == 0, (failed, completed.stdout, completed.stderr)
    return manifests[0].parent, names


def _is_formula(cell: object) -> bool:
    """Text a spreadsheet would evaluate: a formula start that is not a plain number."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_STARTS):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _open(browser: object, path: Path) -> dict:
    """Open a page with scripts on; what ran and what the page holds (see _FOUND_IN_PAGE)."""
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: object) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # let onload / ontoggle handlers fire, if any survived
    found = page.evaluate(_FOUND_IN_PAGE)
    context.close()
    loaded = [url for url in requests if not url.startswith(("file://", "data:"))]
    return {**found, "dialogs": dialogs, "loaded": loaded}


def _assert_nothing_ran(found: dict, where: object) -> None:
    assert found["xss"] is None, f"{where}: a payload ran"
    assert "pwned" not in found["title"] and not found["dialogs"], (where, found["title"])
    assert not found["handlers"] and not found["scriptLinks"], (where, found["handlers"])
    assert found["active"] == 0, f"{where}: script, frame, object, form or foreign svg element"
    assert not found["loaded"], f"{where}: requested {found['loaded']}"


def _pages(run_dir: Path) -> list[Path]:
    reports_index = run_dir.parent.parent / "index.html"
    return [*sorted(run_dir.rglob("*.html")), reports_index]


@pytest.mark.slow
@pytest.mark.pipeline
@pytest.mark.browser
def test_no_payload_runs_and_every_payload_shows_as_text(browser, attack_run) -> None:
    run_dir, names = attack_run
    pages = _pages(run_dir)
    # docs/statistics.html is the project's methods document, copied into the run: no data.
    stage_reports = [p for p in pages if p.name != "index.html" and p.parent.name != "docs"]
    assert len(stage_reports) >= 6 + 5, "every stage and every directorate's pack"
    organisation = next(iter(names["organisation"].values()))
    shown_text = []
    for path in pages:
        found = _open(browser, path)
        _assert_nothing_ran(found, path.relative_to(run_dir.parent.parent))
        if path in stage_reports:
            assert organisation in found["text"], path
        shown_text.append(found["text"])
    everything = "\n".join(shown_text)
    assert organisation in everything
    missing = [payload for payload in PAYLOADS if payload not in everything]
    assert not missing, f"payloads not shown literally anywhere: {missing}"
    # Team names reach only the private profile (below); these reach the stage reports.
    for kind in ("directorate", "staff_group", "role", "comment", "code_label", "indicator"):
        assert any(value in everything for value in names[kind].values()), kind


@pytest.mark.slow
@pytest.mark.browser
def test_the_private_profile_runs_no_payload(browser, attack_package, tmp_path) -> None:
    package, names = attack_package
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "profile",
            "S0002",
            "--data",
            str(package),
            "--out",
            str(tmp_path),
        ],  # fmt: skip
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, (completed.stdout, completed.stderr)
    (page,) = tmp_path.rglob("staff_profile.html")
    found = _open(browser, page)
    _assert_nothing_ran(found, page.name)
    assert next(iter(names["organisation"].values())) in found["text"]
    assert any(team in found["text"] for team in names["team"].values()), "the team's name"


@pytest.mark.slow
@pytest.mark.pipeline
def test_published_tables_hold_no_formula(attack_run) -> None:
    run_dir, _ = attack_run
    neutralised = 0
    for path in sorted((run_dir / "tables").rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row_number, row in enumerate(csv.reader(handle), start=1):
                for cell in row:
                    neutralised += cell.startswith(tuple("'" + s for s in FORMULA_STARTS))
                    assert not _is_formula(cell), f"{path.name} row {row_number}: {cell!r}"
    assert neutralised > 0, "the attacked names reached the tables and were neutralised"

    from openpyxl import load_workbook

    workbook = load_workbook(run_dir / "tables.xlsx", read_only=True)
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or _is_formula(cell.value)
    ]
    workbook.close()
    assert not formulas, formulas[:10]
