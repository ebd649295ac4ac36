"""Valid means runnable (issue #10): a package that passes ``check`` runs every stage.

Every stage either succeeds or is left out of the run with its reason; none fails. The
packages are those of ``tests/unusual_packages.py``: the four cases the issue names (a
directorate with one team, trained teams without respondents, ids with spaces, long labels)
and, through Hypothesis, small packages of unusual shapes (1-3 directorates of 1-3 teams,
1-3 staff groups and survey years, 0-15 respondents per cell so that many cells fall under
the minimum group size, optional tables present or not, odd ids, long labels).

Two properties (the whole module is ``slow``: every test runs every stage on a package):

* in process: the stage notebooks' code cells run in this process (the code papermill runs,
  without kernels or rendering) on many generated packages;
* whole runs: ``python -m analysis run`` on a few generated packages exits 0 with every stage
  succeeded or left out.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from unusual_packages import NAMED_CASES, Shape, shapes, write_shaped_package

from analysis.datapackage import load_data_package
from analysis.problems import DataPackageError
from analysis.stages import STAGES

pytestmark = pytest.mark.slow  # each test loads or runs a whole package (seconds)

matplotlib.use("Agg")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def run_stage_in_process(notebook: Path, data_dir: Path, output_dir: Path) -> None:
    """Run a stage notebook's code cells here, as papermill would with these parameters.

    The parameters cell runs first, then ``inputs`` is set to these folders and the latest
    year (as papermill's injected cell does, without a validated package); an exception
    names the failing cell.
    """
    import matplotlib.pyplot as plt

    namespace: dict = {"display": lambda *objects, **options: None}
    cells = _code_cells(notebook)
    exec(compile(cells[0], f"{notebook.name} parameters", "exec"), namespace)
    namespace["inputs"] = {"data_dir": str(data_dir), "year": None, "output_dir": str(output_dir)}
    try:
        for number, cell in enumerate(cells[1:], start=2):
            try:
                exec(compile(cell, f"{notebook.name} code cell {number}", "exec"), namespace)
            except Exception as error:
                raise AssertionError(
                    f"{notebook.name}, code cell {number} raised {type(error).__name__}: {error}"
                ) from error
    finally:
        plt.close("all")


def _runnable_stages(data_dir: Path) -> list:
    """The stages a run on this package would run (the others are left out with a reason).

    Asks the pipeline's own planner, so that a stage left out for its year (for example
    comments that nobody has coded) is left out here too.
    """
    from analysis.pipeline.plan import _stages_the_package_allows

    package = load_data_package(data_dir)
    runnable, _ = _stages_the_package_allows(package, STAGES, None, package.latest_year)
    return list(runnable)


def _check_passes(data_dir: Path) -> bool:
    try:
        load_data_package(data_dir)
    except DataPackageError:
        return False
    return True


def _run_every_stage_in_process(data_dir: Path, output_dir: Path) -> None:
    for stage in _runnable_stages(data_dir):
        run_stage_in_process(stage.notebook_path, data_dir, output_dir)


def _run_pipeline(data_dir: Path, out: Path) -> tuple[subprocess.CompletedProcess, dict]:
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(data_dir), "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    manifests = sorted(out.glob("*/*/manifest.json"))
    manifest = json.loads(manifests[0].read_text(encoding="utf-8")) if manifests else {}
    return completed, manifest


def _assert_every_stage_ran_or_was_left_out(
    completed: subprocess.CompletedProcess, manifest: dict
) -> None:
    assert completed.returncode == 0, (
        f"run exited with {completed.returncode}\n{completed.stdout}\n{completed.stderr}"
    )
    stages = manifest["stages"]
    assert {stage["name"] for stage in stages} == {stage.name for stage in STAGES}
    for stage in stages:
        if stage["status"] == "skipped":
            assert stage["left_out"] and stage["skipped_because"], stage
        else:
            assert stage["status"] == "succeeded", stage


# --- the cases issue #10 names ----------------------------------------------------------


@pytest.mark.parametrize("case", sorted(NAMED_CASES))
def test_named_case_passes_check_and_every_stage_runs_in_process(case, tmp_path):
    data_dir = write_shaped_package(tmp_path / "data", NAMED_CASES[case])
    assert _check_passes(data_dir)
    names = {stage.name for stage in _runnable_stages(data_dir)}
    assert names == {"data_overview", "survey", "comments", "interventions"}
    _run_every_stage_in_process(data_dir, tmp_path / "out")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(NAMED_CASES))
def test_named_case_runs_to_completion(case, tmp_path):
    data_dir = write_shaped_package(tmp_path / "data", NAMED_CASES[case])
    completed, manifest = _run_pipeline(data_dir, tmp_path / "reports")
    _assert_every_stage_ran_or_was_left_out(completed, manifest)
    left_out = {stage["name"]: stage["skipped_because"] for stage in manifest["stages"]}
    assert "indicators.yml" in left_out["indicators"]


# --- the crashes found, each at its root ----------------------------------------------------


def test_comments_nobody_coded_leave_the_comments_stage_out_with_the_reason(tmp_path):
    from analysis.datapackage.readiness import year_blockers

    # One respondent: the generator samples half of the respondents' comments, round(0.5) = 0,
    # so comments.csv and codings.csv have no rows. This passes check, and the comments stage
    # used to fail in choose_coders ("the codings hold no coder").
    shape = Shape(teams_per_directorate=(1,), staff_groups=1, years=1, respondents=(1,),
                  optional=frozenset({"comments"}))  # fmt: skip
    data_dir = write_shaped_package(tmp_path / "data", shape)
    assert _check_passes(data_dir)
    package = load_data_package(data_dir)
    assert package.comments.empty and package.codings.empty
    assert year_blockers(package, "comments", 2023) == [
        "no comment up to 2023 has been coded by a person: code some with the coding widget "
        "(docs/annual-cycle.md) first"
    ]
    assert {stage.name for stage in _runnable_stages(data_dir)} == {"data_overview", "survey"}
    _run_every_stage_in_process(data_dir, tmp_path / "out")


@pytest.fixture(scope="module")
def untrained(tmp_path_factory):
    """The trained-teams-without-respondents case: teams T00, T01 (Directorate A), T10 (B)."""
    folder = tmp_path_factory.mktemp("untrained")
    shape = NAMED_CASES["trained_teams_without_respondents"]
    return load_data_package(write_shaped_package(folder, shape))


def test_trained_teams_without_respondents_are_left_out_with_the_reason(untrained):
    from analysis.evaluation.training import COURSE_RESULT_COLUMNS, course_results

    # PM1 trained T10 in November 2022, so its first survey is 2023; T10 has no respondents
    # (the shape gives them to T00 and T01 only), which used to fail inside the DiD.
    results = course_results(untrained, "PM1", ["appraisal_had"], 2023, bootstrap_reps=99)
    assert results.empty and list(results.columns) == list(COURSE_RESULT_COLUMNS)
    assert results.attrs["notes"] == [
        "course PM1, first surveyed 2023: 1 of 1 trained teams have no respondents who "
        "answered the linked items, so they are left out"
    ]


def test_no_job_satisfaction_outcome_leaves_the_key_drivers_out(untrained):
    from analysis.survey.stage import stage_tables

    # themes Engagement, Appraisal and Workload; no item id with "leave" or "stay"
    assert "drivers" not in stage_tables(untrained, 2023)
    assert "drivers" in stage_tables(untrained, 2023, outcome="Engagement")


def test_codes_without_survey_links_give_an_empty_numeric_comparison(untrained):
    from analysis.comments.frequencies import code_vs_scores, coded_comments, linked_survey_scores

    coded = coded_comments(untrained.comments, untrained.codings, "AB")
    scores = linked_survey_scores(
        untrained.responses, untrained.questionnaire, untrained.scales, untrained.codebook, 2023
    )
    links = code_vs_scores(coded, scores, untrained.codebook, 2023, minimum=11)
    # the generated codebook links no code to a theme or item: nothing to compare, and the
    # disclosure gate needs the count columns numeric even then
    assert links.empty
    assert links["respondents_with_code"].dtype == "int64"
    assert links.attrs["notes"] == [
        "codes with no survey theme or item in the codebook: workload, staffing"
    ]


# --- properties -------------------------------------------------------------------------


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=shapes())
def test_every_valid_package_runs_every_stage_in_process(shape: Shape) -> None:
    with tempfile.TemporaryDirectory(prefix="valid-means-runnable-") as folder:
        data_dir = write_shaped_package(Path(folder) / "data", shape)
        if _check_passes(data_dir):
            _run_every_stage_in_process(data_dir, Path(folder) / "out")


# Each example is a whole run (kernels, rendering: see docs/testing.md for its time); the
# in-process property above takes 10 shapes through the same stage code, the named cases four
# more to the end. Three generated shapes (derandomized: the same three in every run) keep
# kernels and rendering on odd shapes in the suite without taking minutes of it.
@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=shapes())
def test_every_valid_package_runs_to_completion(shape: Shape) -> None:
    with tempfile.TemporaryDirectory(prefix="valid-means-runnable-") as folder:
        data_dir = write_shaped_package(Path(folder) / "data", shape)
        if _check_passes(data_dir):
            completed, manifest = _run_pipeline(data_dir, Path(folder) / "reports")
            _assert_every_stage_ran_or_was_left_out(completed, manifest)
