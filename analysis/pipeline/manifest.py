"""The run's manifest (``manifest.json``): what ran, on what, with what, and what it published.

The manifest records the data package's files with their SHA-256 checksums, the run's
parameters, the versions of Python, ``analysis`` and the libraries that shaped the results
(:data:`PACKAGES_IN_MANIFEST`), the project's git commit, each stage's result with the
checksums of the inputs it read, and every published table. A partial run keeps the other
stages' entries from the year's previous run, each marked when its inputs have changed since
(:mod:`analysis.partial_runs`).
"""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

import analysis
from analysis.partial_runs import out_of_date, stage_input_checksums
from analysis.pipeline.plan import PROJECT_ROOT, _Plan
from analysis.pipeline.results import StageResult, _now
from analysis.workbook import PublishedTableFile, excel_sheet_names

__all__ = ["PACKAGES_IN_MANIFEST"]

PACKAGES_IN_MANIFEST = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pyyaml",
    "openpyxl",
    "pyreadstat",
    "pyarrow",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)
"""Distributions whose versions the manifest records (besides Python and ``analysis``)."""


def _published_tables(run_dir: Path, stage_names: Sequence[str]) -> list[PublishedTableFile]:
    found: list[tuple[str, str, dict[str, Any]]] = []
    for stage in stage_names:
        for meta_path in sorted((run_dir / "tables" / stage).glob("*.json")):
            if meta_path.with_suffix(".csv").is_file():
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                found.append((stage, meta_path.stem, meta))
    sheets = excel_sheet_names([name for _, name, _ in found])
    return [
        PublishedTableFile(
            stage=stage,
            name=name,
            title=str(meta.get("title") or name),
            note=str(meta.get("note") or ""),
            csv=f"tables/{stage}/{name}.csv",
            sheet=sheet,
        )
        for (stage, name, meta), sheet in zip(found, sheets, strict=True)
    ]


def _package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {
        "python": platform.python_version(),
        "analysis": analysis.__version__,
    }
    for distribution in PACKAGES_IN_MANIFEST:
        try:
            versions[distribution] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            versions[distribution] = None
    return versions


def _git_commit() -> dict[str, Any]:
    """The project's git commit and whether tracked files differ from it, if it is a repo."""
    try:
        found = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--show-toplevel", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        lines = found.stdout.split()
        if found.returncode != 0 or len(lines) != 2 or Path(lines[0]).resolve() != PROJECT_ROOT:
            return {"commit": None, "uncommitted_changes": None}
        status = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None, "uncommitted_changes": None}
    changed = bool(status.stdout.strip()) if status.returncode == 0 else None
    return {"commit": lines[1], "uncommitted_changes": changed}


def _json_value(value: Any) -> Any:
    return value if isinstance(value, bool | int | float | str | type(None)) else repr(value)


def _stage_entries(
    plan: _Plan, results: Sequence[StageResult], kept: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The manifest's stage entries: this run's (with their parameters and inputs) and the
    kept ones of a partial run, in the registry's order, each marked if out of date."""
    checksums = plan.package.file_checksums()
    by_stage = {stage.name: stage for stage in (*plan.registry, *plan.stages)}
    pack_stages = {p.stage_name for p in plan.packs}
    entries = {
        result.name: asdict(result)
        | {
            "parameters": {
                "year": plan.year,
                **{
                    k: _json_value(v) for k, v in plan.stage_parameters.get(result.name, {}).items()
                },
            },
            "input_checksums": (
                None
                if result.left_out
                else stage_input_checksums(checksums, by_stage[result.name], plan.registry)
            ),
        }
        for result in results
        if result.name not in pack_stages
    }
    entries.update((entry["name"], dict(entry)) for entry in kept)
    kept_names = {entry["name"] for entry in kept}
    order = [stage.name for stage in plan.registry if stage.name in entries]
    order += [name for name in entries if name not in order]
    finished = {name: entry.get("finished_at") or "" for name, entry in entries.items()}
    for name in order:
        stage = by_stage[name]
        entries[name]["out_of_date"] = (
            out_of_date(
                entries[name],
                stage_input_checksums(checksums, stage, plan.registry),
                finished,
                stage.depends_on,
            )
            if name in kept_names and entries[name].get("status") == "succeeded"
            else ""
        )
    return [entries[name] for name in order]


def _manifest(
    plan: _Plan,
    results: Sequence[StageResult],
    tables: Sequence[PublishedTableFile],
    started_at: str,
    duration: float,
    status: str,
    kept: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The run's manifest; ``kept`` holds the stage entries and packs a partial run kept."""
    kept = kept or {}
    by_name = {result.name: result for result in results}
    packs = [
        {"column": p.column, "group": p.group, "reason": p.reason}
        | ({"result": asdict(by_name[p.stage_name])} if p.stage_name in by_name else {})
        for p in plan.packs
    ] or kept.get("packs", [])
    stages = _stage_entries(plan, results, kept.get("stages", []))
    if kept.get("stages") and status == "succeeded":
        status = "succeeded" if all(_stage_ok(entry) for entry in stages) else "failed"
    # Codes the SPSS responses file declares user-missing, honoured as excluded codes.
    user_missing = plan.package.responses.attrs.get("user_missing") or {}
    return {
        "manifest_version": 1,
        "dataset": plan.package.name,
        "organisation": plan.package.description.organisation_name,
        "year": plan.year,
        "minimum_group_size": plan.package.description.minimum_group_size,
        "status": status,
        "started_at": started_at,
        "finished_at": _now(),
        "duration_seconds": round(duration, 3),
        "parameters": {
            "data_package": plan.package.name,
            "year": plan.year,
            "stages": [stage.name for stage in plan.stages],
            **{name: _json_value(value) for name, value in plan.parameters.items()},
        },
        "input_files": plan.package.file_checksums(),
        "packages": _package_versions(),
        "git": _git_commit(),
        "stages": stages,
        "tables": [asdict(table) for table in tables],
        **({"packs": packs} if packs else {}),
        **(
            {
                "user_missing_codes": {
                    "file": plan.package.files["responses"].name,
                    "columns": {
                        column: {str(code): label for code, label in codes.items()}
                        for column, codes in user_missing.items()
                    },
                }
            }
            if user_missing
            else {}
        ),
    }


def _stage_ok(entry: Mapping[str, Any]) -> bool:
    return entry.get("status") == "succeeded" or bool(entry.get("left_out"))
