"""The run folder's published files, as the annual summary reads them.

The summary reads only what the stages published: ``tables/{stage}/{name}.csv`` with its
``.json`` side file (title and note), ``headlines/{stage}.json`` and the run's
``manifest.json`` (which stages ran). It never sees the data package, so every figure it
quotes has passed the disclosure gate. A hidden figure is an empty cell with ``suppressed``
True, or ``[c]``; both read as missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.publishing import SUPPRESSED_SYMBOL

__all__ = ["PublishedRun", "SourceTable"]


@dataclass(frozen=True)
class SourceTable:
    """A published table and the note its report prints under it.

    Attributes
    ----------
    data
        The CSV as read; hidden figures are missing.
    title, note
        From the table's JSON side file.
    path
        The CSV's path relative to the run folder (for the summary's source notes).
    """

    data: pd.DataFrame
    title: str
    note: str
    path: str


class PublishedRun:
    """One run folder's published tables, headlines and stage statuses.

    Parameters
    ----------
    run_dir
        The run folder.
    manifest
        Its manifest (as :func:`analysis.pipeline.run_pipeline` writes it).
    """

    def __init__(self, run_dir: Path | str, manifest: Mapping[str, Any]) -> None:
        self.run_dir = Path(run_dir)
        self.manifest = manifest
        self.year = int(manifest["year"])
        self.stages = {stage["name"]: stage for stage in manifest["stages"]}

    def missing_because(self, stage: str) -> str:
        """Why a stage's part of the summary is missing, or ``""`` when the stage succeeded."""
        result = self.stages.get(stage)
        if result is None:
            return f"the {stage} stage was not chosen for this run"
        if result["status"] == "succeeded":
            return ""
        if result.get("left_out"):
            return f"the {stage} stage was not run: {result.get('skipped_because') or 'no data'}"
        if result["status"] == "skipped":
            return f"the {stage} stage was skipped: {result.get('skipped_because', '')}"
        error = result.get("error") or {}
        return f"the {stage} stage failed ({error.get('name', 'error')}); see its report"

    def table(self, stage: str, name: str) -> SourceTable | None:
        """A published table, or ``None`` when the stage did not publish it."""
        csv = self.run_dir / "tables" / stage / f"{name}.csv"
        meta_path = csv.with_suffix(".json")
        if not csv.is_file() or not meta_path.is_file():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = pd.read_csv(csv, encoding="utf-8-sig", na_values=[SUPPRESSED_SYMBOL])
        if "suppressed" in data.columns:
            data["suppressed"] = data["suppressed"].astype(str).str.lower().eq("true")
        else:  # hidden cells show as [c]
            text = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            data["suppressed"] = text.eq(SUPPRESSED_SYMBOL).any(axis=1).to_numpy()
        return SourceTable(
            data=data,
            title=str(meta.get("title") or name),
            note=str(meta.get("note") or ""),
            path=f"tables/{stage}/{name}.csv",
        )

    def headlines(self, stage: str) -> list[dict[str, Any]]:
        """A stage's headline figures (``[]`` when it recorded none)."""
        path = self.run_dir / "headlines" / f"{stage}.json"
        if not path.is_file():
            return []
        return list(json.loads(path.read_text(encoding="utf-8")))
