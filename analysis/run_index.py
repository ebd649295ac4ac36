"""The index pages: one per run (``{run}/index.html``) and one for the reports folder.

A run's index page is what a reader opens first: the organisation and year, a link to the
annual summary (``summary.html``, :mod:`analysis.summary`) first, then to every stage's
report with its status, the year's headline figures (from ``headlines/*.json``), what
went wrong in any failed stage, and links to ``tables.xlsx`` and the CSV files. The reports
folder's ``index.html`` lists every run, rebuilt from the runs' ``manifest.json`` files.

Both pages are self-contained (the style sheet is inlined, nothing is loaded from the
internet) and written from the Jinja2 templates in ``analysis/templates``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.page_style import TEMPLATES_DIR, page_css

__all__ = ["collect_runs", "describe_error", "write_reports_index", "write_run_index"]

_STATUS_TEXT = {"succeeded": "Succeeded", "failed": "Failed", "skipped": "Skipped"}

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["j2"]),
    keep_trailing_newline=True,
)


def _css() -> str:
    return page_css() + "\n" + (TEMPLATES_DIR / "index.css").read_text(encoding="utf-8")


def _when(iso_time: str) -> str:
    moment = datetime.fromisoformat(iso_time)
    return f"{moment.day} {moment:%B %Y at %H:%M}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def describe_error(
    name: str, message: str, cell: int | None = None, execution_count: int | None = None
) -> str:
    """One line saying where a stage failed: "cell 4 (In [2]) raised KeyError: 'x'".

    Parameters
    ----------
    name
        The exception's type.
    message
        Its message (only the first line is used).
    cell
        The failing cell's number in the notebook as written, if known.
    execution_count
        The ``In [n]`` number it ran with, if known.
    """
    where = ""
    if cell is not None:
        where = f"cell {cell}"
        if execution_count is not None:
            where += f" (In [{execution_count}])"
        where += " raised "
    text = message.strip()
    first_line = text.splitlines()[0] if text else ""
    return f"{where}{name}" + (f": {first_line}" if first_line else "")


def _headlines(run_dir: Path, stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups = []
    for stage in stages:
        path = run_dir / "headlines" / f"{stage['name']}.json"
        if not path.is_file():
            continue
        entries = json.loads(path.read_text(encoding="utf-8"))
        rows = [
            {
                "label": str(entry.get("label", "")),
                "value": _show(entry.get("value")),
                "note": str(entry.get("note") or ""),
                "caveat": str(entry.get("caveat") or ""),
                "adjustment": str(entry.get("adjustment") or ""),
            }
            for entry in entries
        ]
        if rows:
            groups.append({"title": stage["title"], "headlines": rows})
    return groups


def _since_last_year(run_dir: Path) -> dict[str, Any] | None:
    """The "Since last year" section (:mod:`analysis.closing_the_loop`), values formatted."""
    path = run_dir / "since_last_year.json"
    if not path.is_file():
        return None
    section = json.loads(path.read_text(encoding="utf-8"))
    section["headlines"] = [
        {**row, "previous": _show(row.get("previous")), "current": _show(row.get("current"))}
        for row in section.get("headlines", [])
    ]
    return section


def _write(path: Path, text: str) -> Path:
    """Write atomically: a reader never sees half a page."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def write_run_index(run_dir: Path | str, manifest: Mapping[str, Any]) -> Path:
    """Write a run's ``index.html`` from its manifest and published files.

    Parameters
    ----------
    run_dir
        The run folder (holding ``headlines/``, ``tables/``, the stage reports).
    manifest
        The run's manifest, as :func:`analysis.pipeline.run_pipeline` writes it: dataset,
        organisation, year, status, finished_at, duration_seconds, stages (name, title,
        status, report, notebook, duration_seconds, error, skipped_because), tables, and
        packs when the run made group packs (column, group, reason and, for a group that
        got one, its stage ``result``).

    Returns
    -------
    Path
        The page, ``{run_dir}/index.html``.
    """
    run_dir = Path(run_dir)
    stages = []
    for stage in manifest["stages"]:
        error = stage.get("error")
        detail = stage.get("skipped_because") or ""
        if error:
            detail = describe_error(**error)
        status_text = _STATUS_TEXT.get(stage["status"], stage["status"])
        stages.append(
            {
                **stage,
                "status_text": "Not run: no data" if stage.get("left_out") else status_text,
                "duration_text": _duration(stage.get("duration_seconds")),
                "detail": detail,
                "error_line": detail if error else "",
                "ran_at_text": _when(stage["finished_at"]) if stage.get("finished_at") else "",
                "inputs": [
                    {"path": path, "checksum": checksum}
                    for path, checksum in (stage.get("input_checksums") or {}).items()
                ],
                "out_of_date": stage.get("out_of_date") or "",
            }
        )
    packs = []
    for pack in manifest.get("packs", []):
        result = pack.get("result") or {}
        detail = pack["reason"] or result.get("skipped_because") or ""
        if result.get("error"):
            detail = describe_error(**result["error"])
        status = result.get("status", "not made")
        packs.append(
            {
                **pack,
                "title": pack["group"],
                "column_text": pack["column"].replace("_", " "),
                "report": result.get("report"),
                "status": status.replace(" ", "-"),
                "status_text": _STATUS_TEXT.get(status, "No pack"),
                "detail": detail,
            }
        )
    titles = {stage["name"]: stage["title"] for stage in stages}
    failed = [s for s in stages if s["status"] == "failed"]
    count_failed = len(failed)
    left_out = sum(bool(stage.get("left_out")) for stage in stages)
    status_text = "Every stage succeeded"
    if left_out:
        status_text = (
            f"Every stage that could run succeeded; {left_out} of {len(stages)} not run, "
            "for lack of data"
        )
    stale = sum(bool(stage["out_of_date"]) for stage in stages)
    if stale:
        status_text += f"; {stale} report(s) out of date: run those stages again"
    if manifest["status"] != "succeeded":
        status_text = f"{count_failed} of {len(stages)} stage(s) failed"
        failed_packs = sum(pack["status"] == "failed" for pack in packs)
        if failed_packs:
            status_text += f", {failed_packs} of {len(packs)} group pack(s) failed"
    page = _environment.get_template("run_index.html.j2").render(
        css=_css(),
        organisation=manifest["organisation"],
        dataset=manifest["dataset"],
        year=manifest["year"],
        status=manifest["status"],
        status_text=status_text,
        finished_at=manifest["finished_at"],
        finished_at_text=_when(manifest["finished_at"]),
        duration_text=_duration(manifest.get("duration_seconds")),
        stages=stages,
        packs=packs,
        problems=failed,
        headlines=_headlines(run_dir, stages),
        since=_since_last_year(run_dir),
        proposed_actions=(run_dir / "proposed_actions.csv").is_file(),
        summary="summary.html" if (run_dir / "summary.html").is_file() else None,
        # dataset.yml's, as the manifest records it; no literal fallback (the page words
        # the note without a figure when a manifest lacks it)
        minimum_text=manifest.get("minimum_group_size"),
        audit_text=_audit_text(manifest.get("disclosure_audit")),
        tables=[
            {
                **table,
                "csv": quote(table["csv"]),
                "stage_title": titles.get(table["stage"], table["stage"]),
            }
            for table in manifest.get("tables", [])
        ],
        analysis_version=manifest.get("packages", {}).get("analysis", ""),
        git_commit=manifest.get("git", {}).get("commit"),
        uncommitted_changes=manifest.get("git", {}).get("uncommitted_changes"),
    )
    return _write(run_dir / "index.html", page)


def _audit_text(audit: Mapping[str, Any] | None) -> str:
    """What the run's disclosure audit found, for the run's facts (``--no-audit``: NOT audited)."""
    if not audit or audit.get("audited") is False:
        return (
            "NOT audited (run with --no-audit): published figures were not checked together "
            "for hidden counts a reader can work out"
        )
    if audit.get("passed"):
        return (
            f"Passed: {audit.get('hidden_counts_checked', 0):,} hidden counts checked, none "
            f"narrower than {audit.get('protection_level')} people"
        )
    return f"FAILED: {audit.get('failure_count', 0):,} hidden counts a reader can work out"


def collect_runs(out_dir: Path | str) -> list[dict[str, Any]]:
    """Every run in a reports folder, from the manifests, newest first.

    Parameters
    ----------
    out_dir
        The reports folder (``{out_dir}/{dataset}/{year}/manifest.json``); hidden folders
        (runs still being written, or old runs being deleted) are left out.

    Returns
    -------
    list of dict
        Per run: dataset, organisation, year, status, finished_at and ``href``, the run's
        index page relative to ``out_dir``; ``kept_beside`` is true for a failed run kept
        beside a successful one.
    """
    out_dir = Path(out_dir)
    runs = []
    for manifest_path in out_dir.glob("*/*/manifest.json"):
        run_dir = manifest_path.parent
        if run_dir.name.startswith(".") or run_dir.parent.name.startswith("."):
            continue
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            runs.append(
                {
                    "dataset": manifest["dataset"],
                    "organisation": manifest["organisation"],
                    "year": manifest["year"],
                    "status": manifest["status"],
                    "finished_at": manifest["finished_at"],
                    "href": f"{quote(run_dir.parent.name)}/{quote(run_dir.name)}/index.html",
                    "kept_beside": run_dir.name.endswith("-failed"),
                }
            )
        except (OSError, ValueError, KeyError):
            continue  # not a run this suite wrote
    return sorted(runs, key=lambda run: datetime.fromisoformat(run["finished_at"]), reverse=True)


def write_reports_index(out_dir: Path | str) -> Path:
    """Rebuild the reports folder's ``index.html``, listing every run.

    Parameters
    ----------
    out_dir
        The reports folder.

    Returns
    -------
    Path
        The page, ``{out_dir}/index.html``.
    """
    out_dir = Path(out_dir)
    runs = [
        {
            **run,
            "finished_at_text": _when(run["finished_at"]),
            "status_text": _STATUS_TEXT.get(run["status"], run["status"]),
        }
        for run in collect_runs(out_dir)
    ]
    page = _environment.get_template("reports_index.html.j2").render(css=_css(), runs=runs)
    return _write(out_dir / "index.html", page)
