"""The run's folders: the reports folder made ready, a partial run's kept stages, where a
failed run goes (the swap itself is :mod:`analysis.run_folders`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.partial_runs import carry_forward, previous_manifest
from analysis.pipeline.plan import RunSetupError, _Plan
from analysis.run_folders import (
    MARKER,
    OutputFolderError,
    is_suite_folder,
    prepare_reports_folder,
    recover_folder,
    remove_stale_copies,
)

__all__: list[str] = []


def _kept_from_previous_run(plan: _Plan, old_dir: Path, work_dir: Path) -> dict[str, Any]:
    """A partial run keeps the other stages of the year's run: their files and entries.

    Returns the kept ``stages`` entries and ``packs`` (see :mod:`analysis.partial_runs`);
    nothing when there is no run of this year the suite wrote.
    """
    previous = previous_manifest(old_dir)
    if previous is None or previous.get("year") != plan.year:
        return {}
    this_run = {stage.name for stage in plan.stages} | {s.name for s, _ in plan.left_out}
    known = {stage.name for stage in plan.registry}
    kept = [
        entry
        for entry in previous["stages"]
        if isinstance(entry, dict) and entry.get("name") in known - this_run
    ]
    packs = [] if plan.packs else list(previous.get("packs") or [])
    pack_stages = [p["result"]["name"] for p in packs if (p.get("result") or {}).get("name")]
    carry_forward(
        old_dir, work_dir, [entry["name"] for entry in kept] + pack_stages, packs=bool(packs)
    )
    return {"stages": kept, "packs": packs}


def _is_successful_run(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return folder.exists()  # a folder we did not write, or cannot read: keep it
    return manifest.get("status") != "failed"


def _prepare_out_folder(plan: _Plan, out_dir: Path, progress: Callable[[str], object]) -> Path:
    """Make the reports and dataset folders ready; put right what killed runs left there.

    Refuses (before any kernel starts) a reports folder holding files the suite did not
    write, and a run folder the suite did not write where this run would go.
    """
    try:
        prepare_reports_folder(out_dir)
        dataset_dir = out_dir / plan.package.name
        dataset_dir.mkdir(exist_ok=True)
        for message in recover_folder(dataset_dir, "run"):
            progress(message)
        if removed := remove_stale_copies():
            progress(f"Removed {removed} temporary package copy(ies) left by killed runs.")
        for name in (str(plan.year), f"{plan.year}-failed"):
            folder = dataset_dir / name
            if folder.exists() and not is_suite_folder(folder, "run"):
                raise OutputFolderError(
                    f"{folder} exists but the suite did not write it (it has no "
                    f"{MARKER}); move it away or choose another --out"
                )
    except OutputFolderError as error:
        raise RunSetupError(str(error)) from error
    return dataset_dir
