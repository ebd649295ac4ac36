"""Where the benchmarks keep what they measured: ``benchmarks/results/`` (not committed)."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "benchmarks" / "results"


def _git_commit() -> str | None:
    head = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() if head.returncode == 0 else None


def write_results(benchmark: str, result: dict[str, Any], packages: Sequence[str]) -> Path:
    """Write one run's figures, with the versions measured and the git commit, as JSON.

    Parameters
    ----------
    benchmark
        The file name's start (``bench_pipeline``); a UTC time stamp follows it.
    result
        The figures.
    packages
        Distributions whose versions matter to the figures (Python's is always added).

    Returns
    -------
    Path
        The file, ``benchmarks/results/{benchmark}-{stamp}.json``.
    """
    versions = {"python": platform.python_version()}
    versions |= {name: metadata.version(name) for name in packages}
    record = {**result, "versions": versions, "git_commit": _git_commit()}
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{benchmark}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path
