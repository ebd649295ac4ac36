"""One stage of a run: start its kernel, run its notebook, render its report.

A stage's thread starts the stage's kernel, has it import its notebook's modules while this
process imports papermill and nbconvert, runs the notebook with papermill
(:mod:`analysis.pipeline.execute`) and renders the report as soon as the notebook finishes
(:mod:`analysis.pipeline.render`). Whatever goes wrong (a failing cell, a dead kernel, an
image without alt text) fails this stage, not the run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_core.utils import ensure_event_loop

from analysis.pipeline.execute import (
    NotebookKernel,
    execute_notebook,
    import_while_kernels_start,
    start_kernel,
)
from analysis.pipeline.plan import RESERVED_PARAMETERS, _Plan
from analysis.pipeline.render import hide_machine_paths, render_notebook
from analysis.pipeline.results import StageError, StageResult, _now
from analysis.stages import Stage
from analysis.summary.methods import STAGE_METHODS, methods_section

__all__: list[str] = []


def _notebook_parameters(stage: Stage, plan: _Plan, work_dir: Path) -> dict[str, Any]:
    """The papermill parameters of a stage's notebook: what the plan resolved, then ``-p``.

    What the plan resolved is one parameter, ``inputs`` (its keys are
    :data:`~analysis.pipeline.plan.STAGE_INPUTS`): ``year`` is the plan's report year and
    ``validated_package`` with ``validated_package_sha256`` the package the plan validated
    and saved (see :func:`analysis.datapackage.open_data_package`), so no kernel reads,
    validates or resolves them again.
    """
    saved = plan.validated_package
    inputs = {
        "data_dir": str(plan.data_dir),
        "year": plan.year,
        "output_dir": str(work_dir),
        "validated_package": None if saved is None else str(saved),
        "validated_package_sha256": plan.validated_package_sha256,
    }
    return {"inputs": inputs, **plan.stage_parameters[stage.name]}


def _execute_notebook(
    stage: Stage, plan: _Plan, kernel: NotebookKernel, work_dir: Path, hide: Mapping[str, str]
) -> tuple[Any, StageError | None]:
    """Run the stage's notebook with papermill on its kernel; the executed notebook, or why not."""
    notebook, failure = execute_notebook(
        stage.notebook_path,
        work_dir / "notebooks" / f"{stage.name}.ipynb",
        _notebook_parameters(stage, plan, work_dir),
        kernel,
        plan.notebooks[stage.name].cell_index,
    )
    if failure is None:
        return notebook, None
    return notebook, StageError(
        name=failure.name,
        message=hide_machine_paths(failure.message, hide),
        cell=failure.cell,
        execution_count=failure.execution_count,
    )


def _render_report(
    stage: Stage, plan: _Plan, notebook: Any, work_dir: Path, hide: Mapping[str, str]
) -> tuple[str | None, StageError | None]:
    """Write the stage's HTML report; its path in the run folder, or why there is none."""
    report = next((p.report for p in plan.packs if p.stage_name == stage.name), None)
    report = report or f"{stage.name}.html"
    defaults = plan.notebooks[stage.name].defaults if stage.name in plan.notebooks else {}
    # ``inputs`` is the run's plumbing (its folders, year and validated package file), not a
    # choice of method: the table lists the folders and the year first, as before.
    defaults = {k: v for k, v in defaults.items() if k not in RESERVED_PARAMETERS}
    given = plan.stage_parameters.get(stage.name, {})
    methods = methods_section(
        STAGE_METHODS.get("survey_pack" if report.startswith("packs/") else stage.name, ()),
        {
            "data_dir": str(plan.data_dir),
            "year": plan.year,
            "output_dir": str(work_dir),
            **defaults,
            **given,
        },
        changed=[name for name in given if name in plan.parameters],
        docs_prefix="../" * report.count("/"),
    )
    try:
        page = render_notebook(
            notebook,
            title=stage.title,
            organisation=plan.package.description.organisation_name,
            context=f"Staff survey {plan.year}",
            index_href="../" * report.count("/") + "index.html",
            source_dir=stage.notebook_path.parent,
            hide_paths=hide,
            appendix=methods,
        )
    except Exception as failure:  # noqa: BLE001 - e.g. RenderError: an image without alt text
        return None, StageError(type(failure).__name__, hide_machine_paths(str(failure), hide))
    (work_dir / report).parent.mkdir(parents=True, exist_ok=True)
    (work_dir / report).write_text(page, encoding="utf-8")
    return report, None


def _run_stage(stage: Stage, plan: _Plan, work_dir: Path, hide: Mapping[str, str]) -> StageResult:
    """Start the stage's kernel, run its notebook, render its report: what happened."""
    started_at, started = _now(), time.perf_counter()
    error: StageError | None = None
    report = None
    kernel = None
    try:
        kernel = start_kernel(stage.notebook_path.parent)
        preloaded = kernel.start_preloading(plan.notebooks[stage.name].imports)
        import_while_kernels_start()
        preloaded()
        notebook, error = _execute_notebook(stage, plan, kernel, work_dir, hide)
        kernel.ask_to_stop()  # it exits while the report renders
        report, render_error = _render_report(stage, plan, notebook, work_dir, hide)
        error = error or render_error
        _hide_paths_in_notebook(work_dir / "notebooks" / f"{stage.name}.ipynb", hide)
    except Exception as failure:  # noqa: BLE001 - a dead kernel fails this stage, not the run
        error = StageError(type(failure).__name__, hide_machine_paths(str(failure), hide))
    finally:
        if kernel is not None:
            kernel.close()
        # The thread's asyncio loop (made by jupyter_core's run_sync for the kernel) would
        # otherwise stay open with its sockets after the thread ends.
        ensure_event_loop().close()
    executed = work_dir / "notebooks" / f"{stage.name}.ipynb"
    return StageResult(
        name=stage.name,
        title=stage.title,
        status="failed" if error else "succeeded",
        started_at=started_at,
        finished_at=_now(),
        duration_seconds=round(time.perf_counter() - started, 3),
        report=report,
        notebook=f"notebooks/{executed.name}" if executed.is_file() else None,
        error=error,
    )


def _hide_paths_in_notebook(executed: Path, hide: Mapping[str, str]) -> None:
    """Replace machine-specific folders in the run's copy of an executed notebook.

    The copy is a record (its parameters, outputs and errors), shared with the reports;
    like them it shows ``[data]``, ``[run]``... rather than where the suite ran.
    """
    if executed.is_file():
        text = executed.read_text(encoding="utf-8")
        executed.write_text(hide_machine_paths(text, hide), encoding="utf-8")
