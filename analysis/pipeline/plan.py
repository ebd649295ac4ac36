"""What a run will do, worked out and checked before any kernel starts.

:func:`_plan_run` validates the data package once (a
:class:`~analysis.problems.DataPackageError` stops the run here), resolves the report year
once (every stage notebook is given it in ``inputs``), chooses the stages, leaves out those the
package cannot feed (with the reason), and checks every ``-p`` parameter against the stage
notebooks' ``parameters`` cells. :func:`_plan_packs` adds a stage per group pack
(:mod:`analysis.packs`). :func:`_save_validated_package` saves the validated package for
the kernels with its SHA-256. The result, a :class:`_Plan`, is what the rest of the run
reads.
"""

from __future__ import annotations

import ast
import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.datapackage import (
    DataPackage,
    file_sha256,
    load_data_package,
    save_validated_package,
)
from analysis.datapackage.readiness import year_blockers
from analysis.stages import Stage, select_stages

if TYPE_CHECKING:
    from analysis.packs import GroupPack

__all__ = [
    "DEFAULT_DATA",
    "PROJECT_ROOT",
    "RESERVED_PARAMETERS",
    "STAGE_INPUTS",
    "RunSetupError",
    "convert_parameter_value",
    "notebook_parameters",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
"""The project's folder: the stage kernels import ``analysis`` from here."""

DEFAULT_DATA = PROJECT_ROOT / "data" / "demo"
"""The demo organisation's data package, written on first use."""

STAGE_INPUTS = (
    "data_dir",
    "year",
    "output_dir",
    "validated_package",
    "validated_package_sha256",
)
"""The keys of the ``inputs`` parameter: what the plan resolved for every stage.

A stage notebook passes them on in one call (``open_report(**inputs, ...)``); opened by
hand, it keeps the defaults of its parameters cell (``data_dir``, ``year``, ``output_dir``;
no validated package, so ``data_dir`` is read and validated there).
"""

RESERVED_PARAMETERS = ("inputs",)
"""Parameters every stage notebook declares; the pipeline sets them (``inputs``:
:data:`STAGE_INPUTS`)."""


class RunSetupError(ValueError):
    """The run's options are wrong (an unknown year, stage or parameter); nothing has run."""


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
    validated_package: Path | None = None
    """The validated package saved for the stage kernels (:func:`_save_validated_package`)."""
    validated_package_sha256: str | None = None
    """Its SHA-256: each kernel checks it before unpickling the file."""
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


def _plan_run(
    data_dir: Path,
    year: int | None,
    stage_names: Sequence[str] | None,
    parameters: Mapping[str, Any],
    registry: Sequence[Stage],
) -> _Plan:
    """Everything checked before a kernel starts."""
    parameters = dict(parameters)
    for name, option in (
        ("inputs", "use --data, --year and --out instead"),
        ("data_dir", "use --data instead"),
        ("output_dir", "use --out instead"),
        ("validated_package", "it is the package the pipeline validated"),
        ("validated_package_sha256", "it is the validated package's checksum"),
    ):
        if name in parameters:
            raise RunSetupError(f"the parameter {name!r} is set by the pipeline; {option}")
    if "year" in parameters:
        from_parameter = parameters.pop("year")
        if year is not None and from_parameter is not None and from_parameter != year:
            raise RunSetupError(f"--year {year} and -p year={from_parameter} disagree")
        year = year if year is not None else from_parameter
    package = load_data_package(data_dir)
    try:
        year = package.report_year(year)  # every stage notebook's ``inputs["year"]``
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
                f"{', '.join(missing)} (every stage notebook declares "
                f"{', '.join(RESERVED_PARAMETERS)})"
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
            f"{', '.join(accepted) if accepted else '(none besides those the pipeline sets)'}"
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


def _save_validated_package(plan: _Plan, folder: Path) -> _Plan:
    """Save the plan's validated package in the run's private ``folder``, with its SHA-256.

    Every stage notebook is given the file and its checksum in its ``inputs`` parameter, as
    ``validated_package`` and ``validated_package_sha256``
    (:func:`analysis.datapackage.open_data_package`), so no kernel reads and validates the
    data package again, and none unpickles a file other than the one saved here.
    """
    saved = save_validated_package(plan.package, folder)
    return dataclasses.replace(
        plan, validated_package=saved, validated_package_sha256=file_sha256(saved)
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
