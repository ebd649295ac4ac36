"""The stage registry: which notebooks make up a run, and in which order they may run.

A stage is one parameterised notebook. Stages that do not depend on each other run side
by side; a stage runs only once every stage it depends on has succeeded. To add a stage,
add its notebook to ``notebooks/`` and a :class:`Stage` to :data:`STAGES`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from analysis.filenames import safe_file_name

__all__ = [
    "NOTEBOOKS_DIR",
    "STAGES",
    "Stage",
    "FinishedStage",
    "select_stages",
    "run_in_dependency_order",
]

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
"""Where the stage notebooks live; a stage's relative notebook path starts here."""

_STAGE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

Result = TypeVar("Result")


@dataclass(frozen=True)
class Stage:
    """One stage of a run: a notebook, the title readers see, and what it needs first.

    Parameters
    ----------
    name
        Short identifier in lower case (``data_overview``): the ``--stages`` option, the
        sub-folder of the published tables and figures, and the report's file name.
    notebook
        The notebook, relative to :data:`NOTEBOOKS_DIR` or absolute. It runs with its own
        folder as the working directory.
    title
        The report's title, as readers see it (``Data overview``).
    depends_on
        Names of the stages whose published outputs this stage reads.
    expected_seconds
        About how long the stage takes on the demo data: among the stages ready to run,
        the longest start first, so that side-by-side stages finish close together.
    needs
        The data package's optional inputs the notebook cannot do without: table names
        (``action_plans``) and the files ``codebook.yml`` and ``indicators.yml``. A run
        on a package without one of them leaves the stage out and says why.
    """

    name: str
    notebook: Path | str
    title: str
    depends_on: tuple[str, ...] = ()
    expected_seconds: float = 0.0
    needs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _STAGE_NAME.match(self.name):
            raise ValueError(
                f"stage name {self.name!r} must be lower case letters, digits and underscores, "
                "starting with a letter (e.g. 'data_overview')"
            )
        safe_file_name("stage name", self.name)  # it names the report and tables folders
        if not self.title.strip():
            raise ValueError(f"stage {self.name!r} needs a title for its report")
        object.__setattr__(self, "notebook", Path(self.notebook))
        object.__setattr__(self, "depends_on", tuple(self.depends_on))
        object.__setattr__(self, "needs", tuple(self.needs))
        if self.name in self.depends_on:
            raise ValueError(f"stage {self.name!r} cannot depend on itself")

    @property
    def notebook_path(self) -> Path:
        """The notebook's absolute path."""
        return NOTEBOOKS_DIR / self.notebook


STAGES: tuple[Stage, ...] = (
    Stage(
        "data_overview",
        "00_data_overview.ipynb",
        "Data overview: who answered the survey",
        expected_seconds=8,
    ),
    Stage("survey", "01_survey.ipynb", "Staff survey results", expected_seconds=30),
    Stage(
        "comments",
        "02_comments.ipynb",
        "Comments: what staff wrote",
        expected_seconds=10,
        needs=("comments", "codings", "codebook.yml"),
    ),
    Stage(
        "indicators",
        "03_indicators.ipynb",
        "Performance indicators",
        expected_seconds=22,
        needs=(
            "indicators.yml",
            "indicator_values",
            "teams",
            "role_profiles",
            "staff_list",
            "appraisals",
            "appraisal_objectives",
            "appraisal_skills",
        ),
    ),
    Stage(
        "interventions",
        "04_interventions.ipynb",
        "Interventions: what the actions and courses changed",
        expected_seconds=10,
        needs=("action_plans", "training_evaluations"),
    ),
)
"""Every stage of the suite, in the order their reports are listed."""


@dataclass(frozen=True)
class FinishedStage(Generic[Result]):
    """A stage that has finished: its result, or why it was skipped.

    Parameters
    ----------
    stage
        The stage.
    result
        What the stage's runner returned; ``None`` when the stage was skipped.
    skipped_because
        Why the stage did not run (a dependency failed or was skipped), else ``""``.
    """

    stage: Stage
    result: Result | None
    skipped_because: str = ""


def _check_registry(registry: Sequence[Stage]) -> dict[str, Stage]:
    by_name: dict[str, Stage] = {}
    for stage in registry:
        if stage.name in by_name:
            raise ValueError(f"two stages are called {stage.name!r}; stage names must be unique")
        by_name[stage.name] = stage
    for stage in registry:
        for dependency in stage.depends_on:
            if dependency not in by_name:
                raise ValueError(
                    f"stage {stage.name!r} depends on {dependency!r}, which is not a stage"
                )
    return by_name


def _dependency_order(stages: Sequence[Stage]) -> list[Stage]:
    """Kahn's topological sort, stable with respect to the given order."""
    remaining = list(stages)
    placed: set[str] = set()
    ordered: list[Stage] = []
    while remaining:
        ready = [s for s in remaining if all(d in placed for d in s.depends_on)]
        if not ready:
            cycle = ", ".join(f"{s.name} (needs {', '.join(s.depends_on)})" for s in remaining)
            raise ValueError(f"these stages depend on each other in a circle: {cycle}")
        for stage in ready:
            ordered.append(stage)
            placed.add(stage.name)
            remaining.remove(stage)
    return ordered


def select_stages(
    names: Sequence[str] | None = None, registry: Sequence[Stage] = STAGES
) -> tuple[Stage, ...]:
    """Choose the stages to run, with everything they depend on, in dependency order.

    Parameters
    ----------
    names
        Stage names (e.g. from ``--stages survey,comments``); ``None`` means every stage.
    registry
        The stages to choose from; :data:`STAGES` by default.

    Returns
    -------
    tuple of Stage
        The chosen stages and, added automatically, every stage they depend on, ordered so
        that a stage comes after its dependencies (otherwise in registry order).

    Raises
    ------
    ValueError
        An unknown stage name (with the closest known names), duplicate stage names in the
        registry, a dependency that is not a stage, or a circle of dependencies.
    """
    by_name = _check_registry(registry)
    if names is None:
        return tuple(_dependency_order(registry))
    unknown = [name for name in names if name not in by_name]
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, by_name, n=1)
            hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ValueError(f"unknown stage {', '.join(hints)}; the stages are: {', '.join(by_name)}")
    wanted: set[str] = set()
    to_visit = list(names)
    while to_visit:
        name = to_visit.pop()
        if name not in wanted:
            wanted.add(name)
            to_visit.extend(by_name[name].depends_on)
    return tuple(_dependency_order([s for s in registry if s.name in wanted]))


def run_in_dependency_order(
    stages: Sequence[Stage],
    run: Callable[[Stage], Result],
    *,
    succeeded: Callable[[Result], bool],
    max_parallel: int,
) -> Iterator[FinishedStage[Result]]:
    """Run stages in threads, each as soon as its dependencies have succeeded.

    Independent stages run side by side, at most ``max_parallel`` at a time. A stage whose
    dependency failed (or was itself skipped) is not run: it is reported as skipped, with
    the reason.

    Parameters
    ----------
    stages
        The stages, every dependency among them (as :func:`select_stages` returns them).
    run
        Runs one stage and returns its result; it should report a failure in its result
        rather than raise (an exception stops the whole run).
    succeeded
        Whether a result counts as success, so that dependent stages may start.
    max_parallel
        The most stages running at once (>= 1).

    Yields
    ------
    FinishedStage
        Each stage as it finishes or is skipped, in the order that happens.
    """
    if max_parallel < 1:
        raise ValueError(f"max_parallel must be at least 1, got {max_parallel}")
    known = {stage.name for stage in stages}
    for stage in stages:
        missing = [d for d in stage.depends_on if d not in known]
        if missing:
            raise ValueError(
                f"stage {stage.name!r} depends on {', '.join(missing)}, which is not being run; "
                "choose the stages with select_stages()"
            )
    pending = _dependency_order(stages)
    good: set[str] = set()
    bad: dict[str, str] = {}  # stage name -> "failed" or "was skipped"
    pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="stage")
    running: dict[Future[Result], Stage] = {}
    try:
        while pending or running:
            for stage in list(pending):
                blocked = [d for d in stage.depends_on if d in bad]
                if blocked:
                    pending.remove(stage)
                    bad[stage.name] = "was skipped"
                    reasons = ", ".join(f"{d}, which {bad[d]}" for d in blocked)
                    yield FinishedStage(stage, None, f"it depends on {reasons}")
            for stage in sorted(pending, key=lambda ready: -ready.expected_seconds):
                if len(running) >= max_parallel:
                    break
                if all(d in good for d in stage.depends_on):
                    pending.remove(stage)
                    running[pool.submit(run, stage)] = stage
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                stage = running.pop(future)
                result = future.result()
                if succeeded(result):
                    good.add(stage.name)
                else:
                    bad[stage.name] = "failed"
                yield FinishedStage(stage, result)
    finally:
        pool.shutdown(wait=not running, cancel_futures=True)
