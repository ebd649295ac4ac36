"""The scheduler starts the longest ready stages first, and never before their dependencies."""

from __future__ import annotations

from analysis.stages import STAGES, Stage, run_in_dependency_order


def _start_order(stages: list[Stage]) -> list[str]:
    started: list[str] = []

    def run(stage: Stage) -> bool:
        started.append(stage.name)
        return True

    list(run_in_dependency_order(stages, run, succeeded=bool, max_parallel=1))
    return started


def test_longest_ready_stage_starts_first() -> None:
    stages = [
        Stage("short", "a.ipynb", "Short", expected_seconds=5),
        Stage("long", "b.ipynb", "Long", expected_seconds=30),
        Stage("middle", "c.ipynb", "Middle", expected_seconds=10),
    ]
    assert _start_order(stages) == ["long", "middle", "short"]


def test_a_long_stage_still_waits_for_what_it_depends_on() -> None:
    stages = [
        Stage("base", "a.ipynb", "Base", expected_seconds=1),
        Stage("long", "b.ipynb", "Long", depends_on=("base",), expected_seconds=30),
        Stage("other", "c.ipynb", "Other", expected_seconds=5),
    ]
    assert _start_order(stages) == ["other", "base", "long"]


def test_every_registered_stage_has_a_notebook() -> None:
    assert all(stage.notebook_path.is_file() for stage in STAGES)
    assert [stage.name for stage in STAGES][0] == "data_overview"
