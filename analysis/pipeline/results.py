"""What happened in a run: each stage's result, and the run's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from analysis.run_index import describe_error

__all__ = ["RunResult", "StageError", "StageResult"]


def _now() -> str:
    """The time now, in ISO 8601 with the UTC offset, to the millisecond."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


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
