"""Shared fixtures: the demo data package, one real run of the pipeline on it, and Chromium.

``demo_run`` runs ``python -m analysis run --pack directorate`` once per test session (in a
subprocess, as a user would) and returns the run folder, so that every test that needs real
reports reuses the same run: it is the suite's one end-to-end execution of the stage
notebooks (and of the survey pack notebook, once per directorate). ``demo_run_audit`` is
the disclosure audit the pipeline made of that run, kept by it (``tests/run_keeping_audit.py``)
so that no test audits the run again. ``demo_data`` and
``demo_run`` are shared by every pytest-xdist worker (made by the first worker that needs them,
under a file lock) and are read-only for tests: a test that changes a package or a run copies
it first.

Tests that use ``demo_run``, a browser, or the ``pipeline`` or ``browser`` marker are marked
``slow`` here, so that ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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


SLOW_FIXTURES = frozenset({"demo_run", "browser"})
"""Fixtures that make a test slow: a whole pipeline run, or Chromium."""


HEAVY_FIRST = (
    "tests/test_disclosure_audit.py",
    "tests/test_attacks_markup.py",
    "tests/test_annual_cycle.py::test_a_new_year_with_the_survey_files_only",
    "tests/test_annual_cycle.py::test_the_whole_year_reports_on_2009",
    "tests/test_compare.py",
    "tests/test_closing_the_loop.py",
    "tests/test_annual_cycle.py::test_an_old_year_shows_nothing_later",
    "tests/test_packs.py",
    "tests/test_pipeline.py",
    "tests/test_valid_means_runnable.py::test_every_valid_package_runs_to_completion",
    "tests/test_survey_national.py",
    "tests/test_indicators_stage_renamed.py",
    "tests/test_valid_means_runnable.py::test_every_valid_package_runs_every_stage_in_process",
    "tests/test_attacks_paths.py",
    "tests/test_browser.py",
    "tests/test_valid_means_runnable.py",
    "tests/test_survey_pack_report.py",
    "tests/test_survey_report.py",
    "tests/test_attacks_disclosure.py",
)
"""Test modules (or tests) that take the longest, longest first: each runs a pipeline or
more (``docs/testing.md``, Timings). They are collected first, so that pytest-xdist starts
them first and the short tests fill in around them, rather than a long one starting last."""

OWN_SCOPES = ("tests/test_annual_cycle.py", "tests/test_valid_means_runnable.py")
"""Modules whose tests are each a whole run (or several) with no costly module fixture:
under ``--dist loadscope`` each test is a unit of its own, so that they share the workers."""


def _heaviness(item: pytest.Item) -> int:
    """The place in :data:`HEAVY_FIRST` of the first entry the test's id starts with."""
    for place, prefix in enumerate(HEAVY_FIRST):
        if item.nodeid == prefix or item.nodeid.startswith((f"{prefix}::", f"{prefix}[")):
            return place
    return len(HEAVY_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that runs the pipeline or a browser, however it was marked,
    and put the longest tests first (:data:`HEAVY_FIRST`; otherwise in collection order)."""
    for item in items:
        marked = {mark.name for mark in item.iter_markers()}
        if marked & {"pipeline", "browser"} or SLOW_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_heaviness)  # stable: the order within a place is kept


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadscope`` in collection order (longest first), with :data:`OWN_SCOPES`.

    pytest-xdist's own ``loadscope`` sorts the modules by their number of tests, which
    started the few long pipeline tests last, on one worker, after everything else.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class HeavyFirstScheduling(LoadScopeScheduling):
        """Whole modules to one worker, in collection order; :data:`OWN_SCOPES` per test."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.split("::", 1)[0] in OWN_SCOPES:
                return nodeid
            return super()._split_scope(nodeid)

    config.option.loadscopereorder = False
    return HeavyFirstScheduling(config, log)


def once_per_session(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]
) -> Path:
    """``make(folder)`` once for the whole session, shared by every pytest-xdist worker.

    Without xdist this is ``make`` in a new temporary folder. Under xdist the workers share the
    parent of their temporary folders: the first to get the lock makes the thing and writes
    where it is (or why it failed) beside it; the others read that. This is pytest-xdist's
    documented pattern for session fixtures ("Making session-scoped fixtures execute only
    once").
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    record = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not record.is_file():
            folder = shared / name
            folder.mkdir(exist_ok=True)
            try:
                made = {"path": str(make(folder))}
            except BaseException as error:  # pytest.fail raises a BaseException too
                made = {"error": f"{type(error).__name__}: {error}"}
                record.write_text(json.dumps(made), encoding="utf-8")
                raise
            record.write_text(json.dumps(made), encoding="utf-8")
        made = json.loads(record.read_text(encoding="utf-8"))
    if "error" in made:
        pytest.fail(f"{name} failed in another worker: {made['error']}")
    return Path(made["path"])


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation's data package, written once per session into a temporary folder.

    Read-only: a test that changes the package copies it first.
    """
    from demo_generator import write_demo

    return once_per_session(
        tmp_path_factory, "demo-data", lambda folder: Path(write_demo(folder / "demo"))
    )


DEMO_AUDIT = "audit.pickle"
"""Beside the demo run's reports folder: the audit the pipeline made of the run."""


def _run_demo(demo_data: Path, folder: Path) -> Path:
    """``python -m analysis run --pack directorate`` on the demo package into
    ``folder/reports``, keeping the run's audit in ``folder/audit.pickle``
    (``tests/run_keeping_audit.py``)."""
    out = folder / "reports"
    completed = subprocess.run(
        [sys.executable, "-m", "tests.run_keeping_audit", str(folder / DEMO_AUDIT), "run"]
        + ["--data", str(demo_data), "--out", str(out), "--pack", "directorate"],
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
    assert json.loads(manifests[0].read_text(encoding="utf-8"))["status"] == "succeeded"
    return manifests[0].parent


@pytest.fixture(scope="session")
def demo_run(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run folder of ``python -m analysis run --data <demo> --out <tmp> --pack directorate``.

    Run once per session (see :func:`once_per_session`); read-only for tests.
    """
    return once_per_session(tmp_path_factory, "demo-reports", lambda out: _run_demo(demo_data, out))


@pytest.fixture(scope="session")
def demo_run_audit(demo_run: Path) -> object:
    """The :class:`analysis.disclosure.audit.AuditResult` of the pipeline's audit of
    ``demo_run`` (the call it makes before it moves the run into place), kept by the run."""
    import pickle

    return pickle.loads((demo_run.parents[2] / DEMO_AUDIT).read_bytes())
