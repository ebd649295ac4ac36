"""The coding widget in a real JupyterLab, coded by clicking in headless Chromium.

A JupyterLab server is started on a free localhost port (in a subprocess, with its own
configuration, runtime and workspace folders) on a temporary folder holding a copy of the
demo data package and a one-cell notebook that shows the widget on it. Chromium opens the
notebook, runs the cell, types a coder's name, ticks a code by clicking its label and clicks
*Next*, then *Next* again on the second comment without ticking anything; the test then
reads the coder's log on disk: the code applied to the first comment, the second read
without a code. The server is stopped at the end,
whatever happens. Skips when Chromium is not installed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from analysis.datapackage.coding_logs import coding_history

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO = PROJECT_ROOT / "data" / "demo"
SERVER_START_SECONDS = 40
CODE_LABEL = "Staffing levels and vacancies"  # staffing_levels in data/demo/codebook.yml

pytestmark = pytest.mark.browser


def free_port() -> int:
    """A localhost port nobody listens on (asked of the operating system)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_notebook(path: Path, package: Path) -> None:
    cell = f"from analysis.comments.widget import coding_widget\ncoding_widget({str(package)!r})"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)


@pytest.fixture
def jupyterlab(tmp_path: Path, browser: object) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a copy of the demo package: (notebook URL, package folder).

    Asks for the ``browser`` fixture first, so it skips before starting a server where no
    Chromium is installed.
    """
    root = tmp_path / "lab"
    package = root / "demo"
    shutil.copytree(DEMO, package)
    write_notebook(root / "code_comments.ipynb", package)
    port, token = free_port(), secrets.token_hex(16)
    env = os.environ | {
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{base}/api/status?token={token}", server, tmp_path / "server.log")
        yield f"{base}/lab/tree/code_comments.ipynb?token={token}", package
    finally:
        stop(server)
        log.close()


def wait_for_server(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                json.load(response)
                return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    """Stop the server and its kernel (its process group), politely first."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def events_of(package: Path, coder: str, timeout: float = 10) -> list[list[object]]:
    """The coder's decisions on disk, waiting until there are two (apply, read)."""
    deadline = time.monotonic() + timeout
    while True:
        history = coding_history(package)
        history = history[history["coder"] == coder]
        if len(history) >= 2 or time.monotonic() > deadline:
            return [
                [event, comment_id, None if pd.isna(code_id) else code_id]
                for event, comment_id, code_id in history[["event", "comment_id", "code_id"]].values
            ]
        time.sleep(0.1)


def test_a_comment_is_coded_by_clicking_in_jupyterlab(
    jupyterlab: tuple[str, Path], browser: Any
) -> None:
    from playwright.sync_api import expect

    url, package = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url)
        # the status bar says so once the notebook's kernel is connected and ready
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=30_000)
        page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")
        widget = page.locator(".jp-OutputArea-output .widget-vbox").first
        coder = widget.get_by_placeholder("your name or initials")
        coder.wait_for(timeout=30_000)
        expect(widget).to_contain_text("Children and Families")  # C00001's directorate
        coder.fill("supervisor")
        coder.press("Enter")
        checkbox = widget.get_by_label(CODE_LABEL)
        expect(checkbox).to_be_enabled(timeout=10_000)
        checkbox.click()
        expect(checkbox).to_be_checked()
        next_button = widget.get_by_role("button", name="Next")
        next_button.click()
        expect(widget).to_contain_text("Comment 2 of")
        expect(checkbox).not_to_be_checked()
        next_button.click()  # C00002 read and left without a code
        expect(widget).to_contain_text("Comment 3 of")
    finally:
        page.close()
    assert events_of(package, "supervisor") == [
        ["apply", "C00001", "staffing_levels"],
        ["read", "C00002", None],
    ]
