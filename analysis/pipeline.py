"""The main job, ``python -m analysis run``: every stage notebook, then the reports.

A run, in order:

1. Validate the data package once (a :class:`~analysis.problems.DataPackageError` stops the
   run before any kernel starts), resolve the survey year, check every ``-p`` parameter
   against the stage notebooks' ``parameters`` cells.
2. Run the stage notebooks with papermill, each on its own kernel, in threads: stages that do
   not depend on each other run side by side. Each stage is rendered to HTML as soon as it
   finishes, in this process. A failing stage does not stop the others; stages that depend on
   it are skipped.
3. A partial run (``--stages``) copies the other stages' outputs forward from the year's
   current run folder and keeps their manifest entries (:mod:`analysis.partial_runs`). Write
   ``tables.xlsx``, the "Since last year" section and ``proposed_actions.csv``
   (:mod:`analysis.closing_the_loop`), ``manifest.json`` and ``index.html`` for the run.
4. Move the finished run into place, ``{out}/{dataset}/{year}/``, and rebuild
   ``{out}/index.html``.

Everything is written into a hidden sibling folder first; only a finished run replaces the
previous one (renamed aside, the new one renamed in, the old one deleted), so a crash never
leaves a half-written report where a good one stood, and the next run finishes or undoes a
swap that was killed half-way (:mod:`analysis.run_folders`, which also keeps the run from
writing into the data package or replacing folders the suite did not write). A run with a
failed stage never replaces a successful run: it is kept beside it as ``{year}-failed``.

Speed: most of a run is starting Python processes and importing libraries. The pipeline
imports papermill and nbconvert once (the plain command line does both for every notebook,
and here each import costs seconds), renders in its own process, runs independent stages side
by side, and starts each stage's kernel before it needs it: the kernel boots and imports the
modules its notebook imports while this process is still importing papermill and nbconvert.

Threads rather than processes: a stage spends its time waiting on its kernel, which is a
process of its own, so threads give real parallelism without pickling notebooks or paying
for another interpreter. Papermill is safe in threads as used here: its ``cwd`` option calls
:func:`os.chdir`, which is process-wide, so it is never used (each kernel is started in its
notebook's folder instead); each thread runs its kernel's asyncio loop (jupyter_core's
``run_sync`` keeps one loop per thread, and a kernel is started, used and shut down in the
same thread); and rendering shares one nbconvert exporter behind a lock.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import platform
import queue
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client import AsyncKernelManager
from jupyter_client.session import Session
from jupyter_core.utils import ensure_event_loop, run_sync

import analysis
from analysis import stages as stage_registry
from analysis.datapackage import (
    VALIDATED_PACKAGES_ENV,
    DataPackage,
    load_data_package,
    save_validated_package,
)
from analysis.datapackage.readiness import year_blockers
from analysis.disclosure.audit import audit_run
from analysis.parquet_tables import write_parquet_tables
from analysis.partial_runs import (
    carry_forward,
    out_of_date,
    previous_manifest,
    stage_input_checksums,
)
from analysis.rendering import hide_machine_paths, prepare_exporter, render_notebook
from analysis.run_folders import (
    MARKER,
    OutputFolderError,
    check_apart,
    is_suite_folder,
    move_into_place,
    new_work_folder,
    prepare_reports_folder,
    recover_folder,
    remove_stale_copies,
    remove_suite_folder,
    validated_package_copy,
)
from analysis.run_index import describe_error, write_reports_index, write_run_index
from analysis.stages import Stage, run_in_dependency_order, select_stages
from analysis.summary.methods import STAGE_METHODS, methods_section, write_statistics_page
from analysis.workbook import (
    SUPPRESSED,
    PublishedTableFile,
    SheetTable,
    excel_sheet_names,
    read_sheet_table,
    write_tables_workbook,
)

if TYPE_CHECKING:
    from analysis.packs import GroupPack

__all__ = [
    "KERNEL_NAME",
    "PACKAGES_IN_MANIFEST",
    "RESERVED_PARAMETERS",
    "SUPPRESSED",
    "PublishedTableFile",
    "RunResult",
    "RunSetupError",
    "StageError",
    "StageResult",
    "convert_parameter_value",
    "excel_sheet_names",
    "notebook_parameters",
    "run_from_command_line",
    "run_pipeline",
    "write_tables_workbook",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT / "data" / "demo"

KERNEL_NAME = "python3"
"""Committed notebooks have their metadata stripped, so the kernel is named explicitly."""

RESERVED_PARAMETERS = ("data_dir", "year", "output_dir")
"""Parameters every stage notebook declares; the pipeline sets them."""

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

# ipykernel warns on stderr, for every kernel, that its local TCP sockets are not encrypted;
# only its errors are worth a user's attention (cells' errors come through the protocol).
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
_KERNEL_START_SECONDS = 60

# Sent to a stage's kernel as soon as it starts, silently (no output, no execution count):
# the modules its notebook imports, imported while the pipeline itself is still importing
# papermill and nbconvert. An import that fails here fails again, visibly, in its cell.
_PRELOAD = """\
def _pipeline_preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_pipeline_preload({names!r})
del _pipeline_preload
"""


class RunSetupError(ValueError):
    """The run's options are wrong (an unknown year, stage or parameter); nothing has run."""


@dataclass(frozen=True)
class StageError:
    """Where and how a stage failed.

    Parameters
    ----------
    name
        The exception's type (``KeyError``), or what went wrong around the notebook
        (``DeadKernelError``, ``RenderError``).
    message
        The exception's message.
    cell
        The failing cell's number in the notebook as written (1 = first cell), if known.
    execution_count
        The ``In [n]`` number the cell ran with, if it ran.
    """

    name: str
    message: str
    cell: int | None = None
    execution_count: int | None = None

    def describe(self) -> str:
        """One line for the terminal and the run's index page."""
        return describe_error(self.name, self.message, self.cell, self.execution_count)


@dataclass(frozen=True)
class StageResult:
    """What happened to one stage in a run.

    Parameters
    ----------
    name, title
        The stage's name and report title.
    status
        ``"succeeded"``, ``"failed"`` or ``"skipped"``.
    started_at, finished_at
        ISO 8601 times with the UTC offset (``None`` for a skipped stage).
    duration_seconds
        Wall-clock seconds from kernel start to rendered report.
    report
        The HTML report's path relative to the run folder (a failed stage has one too,
        showing the error), or ``None``.
    notebook
        The executed notebook's path relative to the run folder, or ``None``.
    error
        Where and how the stage failed.
    skipped_because
        Why a skipped stage did not run.
    left_out
        Whether it was skipped because the data package lacks what it needs (which does
        not make the run fail) rather than because a stage it depends on failed.
    """

    name: str
    title: str
    status: str
    started_at: str | None = None
    finished_at: str | None = None
    duration_seconds: float | None = None
    report: str | None = None
    notebook: str | None = None
    error: StageError | None = None
    skipped_because: str = ""
    left_out: bool = False

    @property
    def succeeded(self) -> bool:
        """Whether the stage ran to the end and its report was rendered."""
        return self.status == "succeeded"


@dataclass(frozen=True)
class RunResult:
    """The outcome of :func:`run_pipeline`.

    Parameters
    ----------
    run_dir
        Where the run's reports are: ``{out}/{dataset}/{year}``, or ``{year}-failed`` when a
        failed run was kept beside a successful one.
    status
        ``"succeeded"`` when every stage succeeded, else ``"failed"``.
    stages
        Each stage's result, in the order the stages are listed.
    duration_seconds
        The whole run, from validation to the rebuilt index.
    """

    run_dir: Path
    status: str
    stages: tuple[StageResult, ...]
    duration_seconds: float

    @property
    def succeeded(self) -> bool:
        """Whether every stage succeeded."""
        return self.status == "succeeded"

    @property
    def index_html(self) -> Path:
        """The run's index page."""
        return self.run_dir / "index.html"


@dataclass(frozen=True)
class _NotebookParameters:
    cell_index: int
    defaults: dict[str, Any] = field(default_factory=dict)
    imports: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Plan:
    package: DataPackage
    data_dir: Path
    year: int
    stages: tuple[Stage, ...]
    parameters: dict[str, Any]
    stage_parameters: dict[str, dict[str, Any]]
    notebooks: dict[str, _NotebookParameters]
    validated: Path | None = None
    """The folder where the validated package is saved for the stage kernels."""
    packs: tuple[GroupPack, ...] = ()
    """Every group of the ``--pack`` columns, with or without a pack."""
    left_out: tuple[tuple[Stage, str], ...] = ()
    """Stages chosen but not run, each with why: the data package lacks what they need."""
    order: tuple[str, ...] = ()
    """Every chosen stage's name, run or left out, in the order reports are listed."""
    registry: tuple[Stage, ...] = ()
    """Every stage the run chose from (for each stage's inputs and a partial run's merge)."""
    audit: bool = True
    """Whether the whole-run disclosure audit checks the run before it is published."""


def convert_parameter_value(text: str) -> bool | int | float | str | None:
    """Convert a ``-p NAME=VALUE`` value the way papermill's command line does.

    ``True``/``False`` become booleans, ``None`` becomes ``None``, then whatever ``int()``
    accepts becomes an integer, whatever ``float()`` accepts a float, and anything else
    stays text.

    References
    ----------
    ``papermill.cli._resolve_type`` (papermill 2.x), which the tests compare against.

    Examples
    --------
    >>> [convert_parameter_value(v) for v in ["True", "7", "0.05", "None", "Community"]]
    [True, 7, 0.05, None, 'Community']
    """
    if text == "True":
        return True
    if text == "False":
        return False
    if text == "None":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def notebook_parameters(notebook: Path | str) -> dict[str, Any]:
    """The parameters a notebook declares in its cell tagged ``parameters``, with defaults.

    Parameters
    ----------
    notebook
        The notebook file.

    Returns
    -------
    dict
        Each assigned name to its default value (a Python literal) or, when the default is
        an expression, to the expression's source text.

    Raises
    ------
    RunSetupError
        The notebook is missing, has no or several cells tagged ``parameters``, or that
        cell is not valid Python.
    """
    return _read_parameters(Path(notebook)).defaults


def _cell_source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _module_imports(cells: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Modules a notebook imports at the top level of its code cells (``import`` lines only)."""
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        lines = _cell_source(cell).splitlines()
        python = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(python)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names.extend(f"{node.module}.{a.name}" for a in node.names if a.name != "*")
    return tuple(dict.fromkeys(names))


def _read_parameters(path: Path) -> _NotebookParameters:
    # Read as plain JSON: importing nbformat takes seconds, better spent while kernels start.
    if not path.is_file():
        raise RunSetupError(f"the stage notebook {path.name} does not exist (looked in {path})")
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError) as error:
        raise RunSetupError(f"{path.name} is not a Jupyter notebook ({error})") from error
    tagged = [
        index
        for index, cell in enumerate(cells)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) != 1:
        raise RunSetupError(
            f"{path.name} must have exactly one cell tagged 'parameters'; it has {len(tagged)}"
        )
    source = _cell_source(cells[tagged[0]])
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise RunSetupError(
            f"{path.name}: the parameters cell is not valid Python (line {error.lineno}: "
            f"{error.msg})"
        ) from error
    defaults: dict[str, Any] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    defaults[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    defaults[target.id] = ast.get_source_segment(source, node.value)
    return _NotebookParameters(
        cell_index=tagged[0], defaults=defaults, imports=_module_imports(cells)
    )


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _plan_run(
    data_dir: Path,
    year: int | None,
    stage_names: Sequence[str] | None,
    parameters: Mapping[str, Any],
    registry: Sequence[Stage],
) -> _Plan:
    """Everything checked before a kernel starts."""
    parameters = dict(parameters)
    for name in ("data_dir", "output_dir"):
        if name in parameters:
            option = "--data" if name == "data_dir" else "--out"
            raise RunSetupError(
                f"the parameter {name!r} is set by the pipeline; use {option} instead"
            )
    if "year" in parameters:
        from_parameter = parameters.pop("year")
        if year is not None and from_parameter is not None and from_parameter != year:
            raise RunSetupError(f"--year {year} and -p year={from_parameter} disagree")
        year = year if year is not None else from_parameter
    package = load_data_package(data_dir)
    try:
        year = package.report_year(year)  # passed to every stage notebook as ``year``
    except ValueError as error:
        raise RunSetupError(str(error)) from error
    try:
        chosen = select_stages(stage_names, registry)
    except ValueError as error:
        raise RunSetupError(str(error)) from error
    stages, left_out = _stages_the_package_allows(package, chosen, stage_names, year)
    declared = {stage.name: _read_parameters(stage.notebook_path) for stage in stages}
    for stage in stages:
        missing = [n for n in RESERVED_PARAMETERS if n not in declared[stage.name].defaults]
        if missing:
            raise RunSetupError(
                f"{stage.notebook_path.name}: the parameters cell must set "
                f"{', '.join(missing)} (every stage notebook declares data_dir, year and "
                "output_dir)"
            )
    unknown = [
        name
        for name in parameters
        if not any(name in found.defaults for found in declared.values())
    ]
    if unknown:
        accepted = sorted(
            {n for found in declared.values() for n in found.defaults} - set(RESERVED_PARAMETERS)
        )
        raise RunSetupError(
            f"unknown parameter {', '.join(map(repr, unknown))}: no stage notebook being run "
            "declares it in its parameters cell; the parameters are: "
            f"{', '.join(accepted) if accepted else '(none besides data_dir, year, output_dir)'}"
        )
    stage_parameters = {
        stage.name: {
            name: value
            for name, value in parameters.items()
            if name in declared[stage.name].defaults
        }
        for stage in stages
    }
    return _Plan(
        package=package,
        data_dir=data_dir,
        year=year,
        stages=stages,
        parameters=parameters,
        stage_parameters=stage_parameters,
        notebooks=declared,
        left_out=left_out,
        order=tuple(stage.name for stage in chosen),
        registry=tuple(registry),
    )


def _absent_inputs(package: DataPackage, needs: Sequence[str]) -> list[str]:
    """Which of a stage's ``needs`` (tables, ``codebook.yml``, ``indicators.yml``) are absent."""
    files = {"codebook.yml": package.codebook, "indicators.yml": package.indicators}
    return [
        name
        for name in needs
        if (files[name] is None if name in files else name not in package.tables)
    ]


def _stages_the_package_allows(
    package: DataPackage, chosen: Sequence[Stage], asked_for: Sequence[str] | None, year: int
) -> tuple[tuple[Stage, ...], tuple[tuple[Stage, str], ...]]:
    """Split the chosen stages into those to run and those left out, with the reason.

    A stage is left out when the data package lacks one of its ``needs`` (a survey-only
    package has no indicators), when the year lacks what it cannot report without
    (:func:`analysis.datapackage.readiness.year_blockers`: the first survey year has no
    earlier action plan to evaluate), or when a stage it depends on is left out. A stage
    named in ``--stages`` that cannot run is an error rather than a silent omission.
    """
    reasons: dict[str, str] = {}
    for stage in chosen:
        absent = _absent_inputs(package, stage.needs)
        if absent:
            reasons[stage.name] = (
                f"the data package has no {', '.join(absent)} (see docs/data-package.md)"
            )
        elif blockers := year_blockers(package, stage.name, year):
            reasons[stage.name] = "; ".join(blockers)
        elif blocked := [d for d in stage.depends_on if d in reasons]:
            reasons[stage.name] = f"it depends on {', '.join(blocked)}, which cannot run"
    refused = [name for name in asked_for or () if name in reasons]
    if refused:
        raise RunSetupError(
            "; ".join(f"the {name} stage cannot run: {reasons[name]}" for name in refused)
        )
    return (
        tuple(stage for stage in chosen if stage.name not in reasons),
        tuple((stage, reasons[stage.name]) for stage in chosen if stage.name in reasons),
    )


def _plan_packs(plan: _Plan, columns: Sequence[str]) -> _Plan:
    """Add a stage per group pack (see :mod:`analysis.packs`) to a planned run."""
    from analysis.packs import pack_stages

    if "survey" not in {stage.name for stage in plan.stages}:
        raise RunSetupError("--pack needs the survey stage, which this registry does not have")
    try:
        groups, stages = pack_stages(plan.package, columns, plan.year)
    except ValueError as error:
        raise RunSetupError(str(error)) from error
    notebook = _read_parameters(stages[0].notebook_path) if stages else None
    shared = {
        name: value
        for name, value in plan.parameters.items()
        if notebook is not None and name in notebook.defaults
    }
    by_name = {pack.stage_name: pack for pack in groups}
    return dataclasses.replace(
        plan,
        stages=(*plan.stages, *stages),
        stage_parameters={
            **plan.stage_parameters,
            **{
                stage.name: {
                    **shared,
                    "pack_column": by_name[stage.name].column,
                    "pack_group": by_name[stage.name].group,
                }
                for stage in stages
            },
        },
        notebooks={**plan.notebooks, **{stage.name: notebook for stage in stages}},
        packs=tuple(groups),
    )


class _StageKernelManager(AsyncKernelManager):
    """A stage's kernel, started before papermill runs the notebook on it.

    It remembers every client connected to it, so that :meth:`close` can stop them along
    with the kernel: papermill leaves the client of a kernel it did not start running.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stage_clients: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A client of this kernel (as the base class), remembered for :meth:`close`."""
        connected = super().client(**kwargs)
        self.stage_clients.append(connected)
        return connected

    def start_preloading(self, modules: Sequence[str]) -> Callable[[], None]:
        """Have the kernel import ``modules`` now, silently; return a function that waits.

        The preloading client has a session of its own: a kernel routes replies by the
        client's session, and papermill's client uses the manager's.
        """
        preloader = self.client(
            session=Session(key=self.session.key, signature_scheme=self.session.signature_scheme)
        )
        preloader.start_channels()
        request = preloader.execute(
            _PRELOAD.format(names=list(modules)), silent=True, store_history=False
        )

        async def reply() -> None:
            deadline = time.monotonic() + _KERNEL_START_SECONDS
            while (remaining := deadline - time.monotonic()) > 0:
                message = await preloader.get_shell_msg(timeout=remaining)
                if message["parent_header"].get("msg_id") == request:
                    break

        def wait() -> None:
            try:
                run_sync(reply)()
            except queue.Empty:
                pass  # a kernel that never answers fails visibly when papermill starts
            finally:
                preloader.stop_channels()
                self.stage_clients.remove(preloader)

        return wait

    def ask_to_stop(self) -> None:
        """Stop every client and ask the kernel to shut down, without waiting for it."""
        for connected in self.stage_clients:
            connected.stop_channels()
        self.stage_clients.clear()
        if self.has_kernel and not self.shutting_down:
            self.shutting_down = True
            run_sync(self.request_shutdown)()

    def close(self) -> None:
        """Stop the kernel: wait for it to exit (killing it after a while), then clean up."""
        self.ask_to_stop()
        if self.has_kernel:
            run_sync(self.finish_shutdown)()
        run_sync(self.cleanup_resources)()


def _start_stage_kernel(notebook_dir: Path, validated: Path) -> _StageKernelManager:
    """Start a kernel in the notebook's folder.

    The kernel gets the project first on its ``PYTHONPATH``, so it imports the same
    ``analysis`` as the pipeline whether or not the project is installed, and the folder of
    the package the pipeline has validated (``validated``), so the notebook need not
    validate it again.
    """
    manager = _StageKernelManager(kernel_name=KERNEL_NAME)
    python_path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    run_sync(manager.start_kernel)(
        cwd=str(notebook_dir),
        env={**os.environ, "PYTHONPATH": python_path, VALIDATED_PACKAGES_ENV: str(validated)},
        extra_arguments=_KERNEL_ARGUMENTS,
    )
    return manager


def _import_while_kernels_start() -> None:
    """Import what the rest of the run needs: seconds of work, done while a kernel boots.

    The first stage's thread pays for the imports; the others find them done (Python's
    import lock makes them wait rather than import twice).
    """
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    prepare_exporter()


def _failing_cell(error: Any, parameters_cell: int) -> int:
    """The failing cell's number in the notebook as written (papermill inserted one cell)."""
    injected_at = parameters_cell + 1
    return error.cell_index + 1 if error.cell_index < injected_at else error.cell_index


def _execute_notebook(
    stage: Stage, plan: _Plan, kernel: _StageKernelManager, work_dir: Path, hide: Mapping[str, str]
) -> tuple[Any, StageError | None]:
    """Run the stage's notebook with papermill on its kernel; the executed notebook, or why not."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed = work_dir / "notebooks" / f"{stage.name}.ipynb"
    parameters = {
        "data_dir": str(plan.data_dir),
        "year": plan.year,
        "output_dir": str(work_dir),
        **plan.stage_parameters[stage.name],
    }
    try:
        notebook = papermill.execute_notebook(
            str(stage.notebook_path),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            request_save_on_cell_execute=False,
            km=kernel,
        )
        return notebook, None
    except PapermillExecutionError as failure:
        error = StageError(
            name=failure.ename,
            message=hide_machine_paths(str(failure.evalue), hide),
            cell=_failing_cell(failure, plan.notebooks[stage.name].cell_index),
            execution_count=failure.exec_count,
        )
        return nbformat.read(executed, as_version=4), error


def _render_report(
    stage: Stage, plan: _Plan, notebook: Any, work_dir: Path, hide: Mapping[str, str]
) -> tuple[str | None, StageError | None]:
    """Write the stage's HTML report; its path in the run folder, or why there is none."""
    report = next((p.report for p in plan.packs if p.stage_name == stage.name), None)
    report = report or f"{stage.name}.html"
    defaults = plan.notebooks[stage.name].defaults if stage.name in plan.notebooks else {}
    given = plan.stage_parameters.get(stage.name, {})
    methods = methods_section(
        STAGE_METHODS.get("survey_pack" if report.startswith("packs/") else stage.name, ()),
        {
            **defaults,
            "data_dir": str(plan.data_dir),
            "year": plan.year,
            "output_dir": str(work_dir),
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
        kernel = _start_stage_kernel(stage.notebook_path.parent, plan.validated)
        preloaded = kernel.start_preloading(plan.notebooks[stage.name].imports)
        _import_while_kernels_start()
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


def _machine_paths(*folders: tuple[Path, str]) -> dict[str, str]:
    hidden: dict[str, str] = {}
    for folder, label in folders:
        for variant in {str(folder), str(folder.resolve())}:
            hidden.setdefault(variant, label)
    return hidden


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
        save_validated_package(plan.package, validated)
        plan = dataclasses.replace(plan, validated=validated, audit=audit)
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
