"""The main job, ``python -m analysis run``: plan, run the stages, publish the run in one move.

:func:`run_pipeline` plans the run (:mod:`analysis.pipeline.plan`), runs the stages side by
side in threads into a hidden work folder (:mod:`analysis.pipeline.stage`), writes the
workbook, the "Since last year" section, the manifest (:mod:`analysis.pipeline.manifest`),
the annual summary and the run's index page, optionally audits every published table
together, and then moves the finished run into place and rebuilds the reports index.

Only a finished run replaces the previous one (renamed aside, the new one renamed in, the old
one deleted), so a crash never leaves a half-written report where a good one stood, and the
next run finishes or undoes a swap that was killed half-way (:mod:`analysis.run_folders`). A
run with a failed stage never replaces a successful run: it is kept beside it as
``{year}-failed``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import stages as stage_registry
from analysis.disclosure.audit import audit_run
from analysis.parquet_tables import write_parquet_tables
from analysis.pipeline.folders import (
    _is_successful_run,
    _kept_from_previous_run,
    _prepare_out_folder,
)
from analysis.pipeline.manifest import _manifest, _published_tables
from analysis.pipeline.plan import (
    DEFAULT_DATA,
    PROJECT_ROOT,
    RunSetupError,
    _Plan,
    _plan_packs,
    _plan_run,
    _save_validated_package,
    convert_parameter_value,
)
from analysis.pipeline.render import hide_machine_paths
from analysis.pipeline.results import RunResult, StageResult, _now
from analysis.pipeline.stage import _run_stage
from analysis.run_folders import (
    OutputFolderError,
    check_apart,
    move_into_place,
    new_work_folder,
    remove_suite_folder,
    validated_package_copy,
)
from analysis.run_index import write_reports_index, write_run_index
from analysis.stages import Stage, run_in_dependency_order
from analysis.summary.methods import write_statistics_page
from analysis.workbook import SheetTable, read_sheet_table, write_tables_workbook

__all__ = ["run_from_command_line", "run_pipeline"]


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _machine_paths(*folders: tuple[Path, str]) -> dict[str, str]:
    hidden: dict[str, str] = {}
    for folder, label in folders:
        for variant in {str(folder), str(folder.resolve())}:
            hidden.setdefault(variant, label)
    return hidden


def _close_the_loop(
    plan: _Plan, work_dir: Path, dataset_dir: Path, hide: Mapping[str, str]
) -> None:
    """Write the "Since last year" section and ``proposed_actions.csv``
    (:mod:`analysis.closing_the_loop`); a problem there is shown on the index page rather
    than losing the run's reports."""
    from analysis.closing_the_loop import close_the_loop

    try:
        close_the_loop(work_dir, plan.package, plan.year, dataset_dir)
    except Exception as failure:  # noqa: BLE001 - the stages' reports stand on their own
        problem = {"problem": hide_machine_paths(f"{type(failure).__name__}: {failure}", hide)}
        (work_dir / "since_last_year.json").write_text(json.dumps(problem), encoding="utf-8")


def _finished_line(number: int, total: int, stage: Stage, result: StageResult | None) -> str:
    prefix = f"[{number}/{total}] {stage.name} ..."
    if result is None:
        return f"{prefix} skipped"
    if result.succeeded:
        return f"{prefix} done in {result.duration_seconds:.1f} s"
    detail = result.error.describe() if result.error else "failed"
    return f"{prefix} FAILED after {result.duration_seconds:.1f} s: {detail}"


def _run_into_place(
    plan: _Plan,
    dataset_dir: Path,
    out_dir: Path,
    progress: Callable[[str], object],
    max_parallel: int | None,
    started_at: str,
    started: float,
) -> tuple[tuple[StageResult, ...], str, Path]:
    """Run the stages into a work folder and move it into place: results, status, run folder.

    The work folder (marked as the suite's, see :mod:`analysis.run_folders`) is deleted if
    anything goes wrong before it is in place.
    """
    work_dir = new_work_folder(dataset_dir, str(plan.year), "run")
    (work_dir / "notebooks").mkdir()
    hide_paths = _machine_paths(
        (work_dir, "[run]"),
        (out_dir, "[reports]"),
        (plan.data_dir, "[data]"),
        *(() if plan.validated_package is None else ((plan.validated_package.parent, "[tmp]"),)),
        (PROJECT_ROOT, "[project]"),
        (Path(sys.prefix), "[python]"),
        (Path(sys.base_prefix), "[python]"),
        (Path.home(), "~"),
    )
    parallel = max(1, min(len(plan.stages), max_parallel or os.cpu_count() or 1))
    progress(
        f"{plan.package.description.organisation_name} ({plan.package.name}), staff survey "
        f"{plan.year}: running {len(plan.stages)} stage(s), up to {parallel} at a time"
    )
    try:
        finished: dict[str, StageResult] = {
            stage.name: StageResult(
                name=stage.name,
                title=stage.title,
                status="skipped",
                skipped_because=reason,
                left_out=True,
            )
            for stage, reason in plan.left_out
        }
        for stage, reason in plan.left_out:
            progress(f"[-] {stage.name} ... not run: {reason}")
        sheets: dict[str, SheetTable] = {}
        for number, done in enumerate(
            run_in_dependency_order(
                plan.stages,
                lambda stage: _run_stage(stage, plan, work_dir, hide_paths),
                succeeded=lambda result: result.succeeded,
                max_parallel=parallel,
            ),
            start=1,
        ):
            result = done.result or StageResult(
                name=done.stage.name,
                title=done.stage.title,
                status="skipped",
                skipped_because=done.skipped_because,
            )
            finished[done.stage.name] = result
            line = _finished_line(number, len(plan.stages), done.stage, done.result)
            progress(f"{line}: {done.skipped_because}" if done.result is None else line)
            # Its Parquet files and Excel sheets' cells, made while later stages still run.
            published = _published_tables(work_dir, [done.stage.name])
            write_parquet_tables(work_dir, published)
            sheets.update((t.csv, read_sheet_table(work_dir / t.csv, plan.year)) for t in published)
        order = [*plan.order, *(s.name for s in plan.stages if s.name not in plan.order)]
        results = tuple(finished[name] for name in order)
        status = "succeeded" if all(r.succeeded or r.left_out for r in results) else "failed"
        kept = _kept_from_previous_run(plan, dataset_dir / str(plan.year), work_dir)
        kept_names = [entry["name"] for entry in kept.get("stages", [])]
        published = {*(stage.name for stage in plan.stages), *kept_names}
        in_registry = [stage.name for stage in plan.registry if stage.name in published]
        tables = _published_tables(
            work_dir, [*in_registry, *(s.name for s in plan.stages if s.name not in in_registry)]
        )
        write_tables_workbook(
            work_dir,
            tables,
            year=plan.year,
            minimum_group_size=plan.package.description.minimum_group_size,
            prepared=sheets,
        )
        _close_the_loop(plan, work_dir, dataset_dir, hide_paths)
        audit = None
        if plan.audit:
            audit = audit_run(work_dir, plan.package, year=plan.year)
            if not audit.passed:
                status = "failed"
                progress(f"Disclosure audit FAILED, not published:\n{audit.describe_failures()}")
        manifest = _manifest(
            plan, results, tables, started_at, time.perf_counter() - started, status, kept
        )
        manifest["disclosure_audit"] = (
            audit.summary() if audit is not None else {"audited": False, "passed": None}
        )
        (work_dir / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        from analysis.summary.page import write_summary  # scipy: only once the stages ran

        write_statistics_page(work_dir)
        write_summary(work_dir, manifest)
        write_run_index(work_dir, manifest)
        target = dataset_dir / str(plan.year)
        if status == "failed" and _is_successful_run(target):
            target = dataset_dir / f"{plan.year}-failed"
        move_into_place(work_dir, target, "run")
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    return results, status, target


def run_pipeline(
    data_dir: Path | str,
    *,
    year: int | None = None,
    out_dir: Path | str,
    stages: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: Callable[[str], object] = print,
    registry: Sequence[Stage] | None = None,
    max_parallel: int | None = None,
    packs: Sequence[str] = (),
    pdf: bool = False,
    audit: bool = True,
) -> RunResult:
    """Run the stage notebooks on a data package and write the year's reports.

    Parameters
    ----------
    data_dir
        The data package folder. If it is the default ``data/demo`` and does not exist, the
        demo organisation's package is written there first.
    year
        The survey year to report on; ``None`` means the latest of ``survey_years``.
    out_dir
        The reports folder; the run lands in ``{out_dir}/{dataset}/{year}``, where the dataset
        is named by ``organisation.code`` in ``dataset.yml``. It must be new, empty or a
        reports folder the suite wrote, and apart from ``data_dir`` (see
        :mod:`analysis.run_folders`).
    stages
        Names of the stages to run (their dependencies are added); ``None`` runs all.
    parameters
        Further notebook parameters, name to value. Each must be declared in the
        parameters cell of at least one stage being run, and is given to those stages.
        ``year`` is accepted as another way of giving ``year``.
    progress
        Receives one line of text per step (``print`` by default).
    registry
        The stages to choose from; :data:`analysis.stages.STAGES` when ``None``.
    max_parallel
        The most stages running at once; by default the number of CPUs.
    packs
        Group columns (``["directorate"]``) to make a pack for every group of: the pack
        notebook (:data:`analysis.packs.PACK_NOTEBOOK`) runs once per group after the
        survey stage (added to ``stages`` if needed), side by side like stages, and writes
        ``packs/{column}/{slug}.html``; the manifest's ``packs`` lists every group, with
        the reason when it gets no pack.
    audit
        Before the run is published, audit every published table of every year together
        with :func:`analysis.disclosure.audit.audit_run`: a hidden count that the published
        figures pin down fails the run, which is then not published as the year's run. On
        by default; ``False`` (``--no-audit``, for quick iteration) writes a run whose
        manifest (``disclosure_audit.audited: false``) and index say it was not audited.
    pdf
        Also print the annual summary to ``summary.pdf`` with headless Chromium; where none
        is installed, a progress line says so and the run carries on.

    Returns
    -------
    RunResult
        Where the reports are, and each stage's status and timing.

    Raises
    ------
    analysis.problems.DataPackageError
        The data package has problems; nothing has run.
    RunSetupError
        An unknown year, stage or parameter, a stage notebook without a proper
        ``parameters`` cell, ``out_dir`` and ``data_dir`` not apart, or an ``out_dir``
        holding files or a run folder the suite did not write; nothing has run.
    """
    started_at, started = _now(), time.perf_counter()
    data_dir = Path(data_dir).resolve()
    out_dir = Path(out_dir).resolve()
    try:
        check_apart(data_dir, out_dir)
    except OutputFolderError as error:
        raise RunSetupError(str(error)) from error
    if data_dir == DEFAULT_DATA and not data_dir.exists():
        from demo_generator import write_demo

        progress(f"Writing the demo data package to {_display_path(data_dir)} ...")
        write_demo(data_dir)
    if registry is None:
        registry = stage_registry.STAGES
    if packs and stages is not None and "survey" not in stages:
        stages = [*stages, "survey"]
    plan = _plan_run(data_dir, year, stages, parameters or {}, registry)
    if packs:
        plan = _plan_packs(plan, packs)
    dataset_dir = _prepare_out_folder(plan, out_dir, progress)
    with validated_package_copy() as validated:
        plan = dataclasses.replace(_save_validated_package(plan, validated), audit=audit)
        results, status, target = _run_into_place(
            plan, dataset_dir, out_dir, progress, max_parallel, started_at, started
        )
    if status == "succeeded":
        remove_suite_folder(dataset_dir / f"{plan.year}-failed", "run")
    if pdf:
        from analysis.summary.page import print_summary_pdf

        progress(print_summary_pdf(target))
    write_reports_index(out_dir)
    duration = time.perf_counter() - started
    failed = [r for r in results if r.status == "failed"]
    skipped = [r for r in results if r.status == "skipped" and not r.left_out]
    left_out = [r for r in results if r.left_out]
    succeeded = len(results) - len(failed) - len(skipped) - len(left_out)
    summary = f"Finished in {duration:.1f} s: {succeeded} of {len(results)} stage(s) succeeded"
    if failed or skipped:
        summary += f", {len(failed)} failed, {len(skipped)} skipped"
    if left_out:
        summary += f", {len(left_out)} not run for lack of data"
    progress(summary + f". Reports: {_display_path(target / 'index.html')}")
    if target.name.endswith("-failed"):
        progress(
            f"The previous successful run in {_display_path(dataset_dir / str(plan.year))} "
            "was kept."
        )
    return RunResult(run_dir=target, status=status, stages=results, duration_seconds=duration)


def run_from_command_line(args: argparse.Namespace) -> int:
    """``python -m analysis run``: run the pipeline with the parsed options.

    Parameters
    ----------
    args
        From :func:`analysis.cli.build_parser`: ``data``, ``year``, ``out``, ``stages``
        (comma-separated names or ``None``), ``parameters`` (``(name, text)`` pairs from
        ``-p``, converted like papermill's command line does) and ``packs`` (group columns
        from ``--pack``).

    Returns
    -------
    int
        0 when every stage succeeded, 1 when a stage failed, 2 when the options are wrong
        (nothing ran). A data package with problems raises
        :class:`~analysis.problems.DataPackageError`, which the command line prints.
    """
    stage_names = None
    if args.stages:
        stage_names = [name.strip() for name in args.stages.split(",") if name.strip()]
    parameters = {name: convert_parameter_value(text) for name, text in args.parameters}
    try:
        result = run_pipeline(
            args.data,
            year=args.year,
            out_dir=args.out,
            stages=stage_names,
            parameters=parameters,
            packs=getattr(args, "packs", None) or (),
            pdf=getattr(args, "pdf", False),
            audit=not getattr(args, "no_audit", False),
        )
    except RunSetupError as error:
        print(f"Cannot run: {error}", file=sys.stderr)
        return 2
    return 0 if result.succeeded else 1
