"""Shared fixtures: the demo data package, one real run of the pipeline on it, and Chromium.

``demo_run`` runs ``python -m analysis run`` once per test session (in a subprocess, as a
user would) and returns the run folder, so that every test that needs real reports reuses
the same run. Tests that use it are slow: mark them ``pipeline``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# tests/notebooks holds tiny stage notebooks for the pipeline's unit tests; they are run by
# those tests with their parameters, not by nbval as notebooks of the suite.
collect_ignore_glob = ["notebooks/*.ipynb"]

CHROMIUM = shutil.which("chromium")
"""Debian's chromium: the browser of the browser tests (no browser is downloaded)."""
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium driven by Playwright; skips, saying why, where none is installed."""
    if CHROMIUM is None:
        pytest.skip(
            "no 'chromium' on PATH: install Debian's chromium package (apt-get install "
            "chromium) to open the reports in a browser"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation's data package, written once per session into a temporary folder."""
    from demo_generator import write_demo

    return Path(write_demo(tmp_path_factory.mktemp("demo-data") / "demo"))


@pytest.fixture(scope="session")
def demo_run(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run folder of ``python -m analysis run --data <demo> --out <tmp>``, run once."""
    out = tmp_path_factory.mktemp("demo-reports")
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(demo_data), "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        pytest.fail(
            f"python -m analysis run exited with {completed.returncode}\n"
            f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}"
        )
    manifests = sorted(out.glob("*/*/manifest.json"))
    if len(manifests) != 1:
        pytest.fail(f"expected one run in {out}, found {[str(m) for m in manifests]}")
    run_dir = manifests[0].parent
    assert json.loads(manifests[0].read_text(encoding="utf-8"))["status"] == "succeeded"
    return run_dir
