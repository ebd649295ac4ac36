"""The pipeline: stage selection and scheduling, parameters, failures, atomic runs, manifest.

Most tests run the real pipeline (real kernels, papermill, nbconvert) on the tiny notebooks
in ``tests/notebooks`` and a tiny data package written here, so they take seconds. Tests
marked ``pipeline`` check the real run on the demo data (the ``demo_run`` fixture).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import papermill
import pyarrow.parquet as pq
import pytest
from jupyter_client import AsyncKernelManager
from openpyxl import load_workbook
from papermill.cli import _resolve_type as papermill_resolve_type

from analysis import cli
from analysis import stages as stage_registry
from analysis.pipeline import (
    PublishedTableFile,
    RunSetupError,
    convert_parameter_value,
    excel_sheet_names,
    notebook_parameters,
    run_from_command_line,
    run_pipeline,
    write_tables_workbook,
)
from analysis.stages import Stage, run_in_dependency_order, select_stages

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"

ALPHA = Stage("alpha", NOTEBOOKS / "alpha.ipynb", "Alpha stage")
BETA = Stage("beta", NOTEBOOKS / "beta.ipynb", "Beta stage")
FAILING = Stage("failing", NOTEBOOKS / "failing.ipynb", "Failing stage")
DEPENDENT = Stage("dependent", NOTEBOOKS / "dependent.ipynb", "Dependent stage", ("alpha",))
AFTER_FAILING = Stage("after_failing", NOTEBOOKS / "dependent.ipynb", "After", ("failing",))
DYING = Stage("dying", NOTEBOOKS / "dying.ipynb", "Dying stage")


def write_tiny_package(folder: Path) -> Path:
    """A valid data package with two survey years, 2007 and 2008, and one item."""
    folder.mkdir(parents=True)
    (folder / "dataset.yml").write_text(
        "organisation:\n  name: Testfield Primary Care Trust\n  code: 5TF\n"
        "survey_years: [2007, 2008]\ngroup_columns: [directorate, staff_group]\n"
        "minimum_group_size: 11\ncomparator_group: Primary care trusts\n",
        encoding="utf-8",
    )
    (folder / "questionnaire.csv").write_text(
        "year,item_id,column,question_number,wording,theme,scale_id,positive_codes,"
        "excluded_codes,reverse_scored,comparable_with_previous\n"
        "2007,appraisal_had,q1,Q1,Had an appraisal,Appraisal,yes_no,1,,false,true\n"
        "2008,appraisal_had,q1,Q1,Had an appraisal,Appraisal,yes_no,1,,false,true\n",
        encoding="utf-8",
    )
    (folder / "scales.csv").write_text(
        "scale_id,code,label\nyes_no,1,Yes\nyes_no,2,No\n", encoding="utf-8"
    )
    responses = ["respondent_id,year,directorate,staff_group,q1"]
    staff = ["year,directorate,staff_group,headcount"]
    number = 0
    for year in (2007, 2008):
        for directorate in ("Nursing", "Corporate"):
            for group in ("Nurses", "Admin"):
                staff.append(f"{year},{directorate},{group},30")
                for answer in [1] * 8 + [2] * 7:
                    number += 1
                    responses.append(f"R{number},{year},{directorate},{group},{answer}")
    (folder / "responses.csv").write_text("\n".join(responses) + "\n", encoding="utf-8")
    (folder / "staff.csv").write_text("\n".join(staff) + "\n", encoding="utf-8")
    return folder


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_package(tmp_path_factory.mktemp("data") / "tiny")


@pytest.fixture(scope="module")
def tiny_run(tiny_package: Path, tmp_path_factory: pytest.TempPathFactory):
    """One run of six tiny stages: two independent, one failing, two dependent, one dying."""
    out = tmp_path_factory.mktemp("reports")
    lines: list[str] = []
    working_directory = os.getcwd()
    result = run_pipeline(
        tiny_package,
        out_dir=out,
        registry=(ALPHA, BETA, FAILING, DEPENDENT, AFTER_FAILING, DYING),
        parameters={"label": "from -p", "pause_seconds": 1.0},
        progress=lines.append,
        max_parallel=2,
    )
    # papermill's cwd option would os.chdir() the whole process from several threads.
    assert os.getcwd() == working_directory, "the run changed the working directory"
    return result, lines, out


# --- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "7",
        "-3",
        "0.05",
        "1e3",
        "True",
        "False",
        "None",
        "true",
        "none",
        "Community Nursing",
        " 12 ",
        "1_000",
        "nan",
        "inf",
        "",
        "0x1F",
        "2008-01",
    ],
)
def test_parameter_values_convert_like_papermills_command_line(text: str) -> None:
    ours, theirs = convert_parameter_value(text), papermill_resolve_type(text)
    assert type(ours) is type(theirs)
    assert ours == theirs or (ours != ours and theirs != theirs)  # nan != nan


def test_parameter_values_convert_to_the_expected_types() -> None:
    # Hand-worked: int() accepts "7" and " 12 ", float() accepts "0.05" and "1e3" (= 1000.0).
    assert convert_parameter_value("7") == 7 and isinstance(convert_parameter_value("7"), int)
    assert convert_parameter_value(" 12 ") == 12
    assert convert_parameter_value("0.05") == pytest.approx(0.05)
    assert convert_parameter_value("1e3") == 1000.0
    assert convert_parameter_value("True") is True
    assert convert_parameter_value("None") is None
    assert convert_parameter_value("true") == "true"


def test_notebook_parameters_lists_the_parameters_cell() -> None:
    assert notebook_parameters(NOTEBOOKS / "alpha.ipynb") == {
        "inputs": {"data_dir": "../data/demo", "year": None, "output_dir": "../reports/scratch"},
        "pause_seconds": 0.0,
        "label": "tiny",
    }


def test_a_notebook_without_a_parameters_cell_is_refused(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(notebook, tmp_path / "untagged.ipynb")
    with pytest.raises(RunSetupError, match="exactly one cell tagged 'parameters'; it has 0"):
        notebook_parameters(tmp_path / "untagged.ipynb")


# --- stage selection and scheduling ---------------------------------------------------------


def test_selecting_a_stage_adds_what_it_depends_on_in_order() -> None:
    registry = (DEPENDENT, BETA, ALPHA)
    assert [s.name for s in select_stages(["dependent"], registry)] == ["alpha", "dependent"]
    assert [s.name for s in select_stages(None, registry)] == ["beta", "alpha", "dependent"]


def test_an_unknown_stage_name_suggests_the_closest() -> None:
    with pytest.raises(ValueError, match="unknown stage 'alpah' \\(did you mean 'alpha'\\?\\)"):
        select_stages(["alpah"], (ALPHA, BETA))


def test_circular_and_missing_dependencies_are_refused() -> None:
    first = Stage("first", "first.ipynb", "First", ("second",))
    second = Stage("second", "second.ipynb", "Second", ("first",))
    with pytest.raises(ValueError, match="in a circle"):
        select_stages(None, (first, second))
    with pytest.raises(ValueError, match="depends on 'second', which is not a stage"):
        select_stages(None, (first,))
    with pytest.raises(ValueError, match="two stages are called 'alpha'"):
        select_stages(None, (ALPHA, ALPHA))


def test_a_stage_checks_its_name_title_and_dependencies() -> None:
    with pytest.raises(ValueError, match="lower case letters"):
        Stage("Data Overview", "x.ipynb", "Title")
    with pytest.raises(ValueError, match="needs a title"):
        Stage("overview", "x.ipynb", "  ")
    with pytest.raises(ValueError, match="cannot depend on itself"):
        Stage("overview", "x.ipynb", "Title", ("overview",))
    assert (
        Stage("overview", "x.ipynb", "Title").notebook_path
        == stage_registry.NOTEBOOKS_DIR / "x.ipynb"
    )


def test_the_registry_is_valid_and_its_notebooks_exist() -> None:
    chosen = select_stages(None, stage_registry.STAGES)
    assert chosen, "no stages registered"
    for stage in chosen:
        assert stage.notebook_path.is_file(), stage.notebook_path


def test_scheduler_runs_independent_stages_side_by_side() -> None:
    times: dict[str, tuple[float, float]] = {}

    def run(stage: Stage) -> bool:
        started = time.perf_counter()
        time.sleep(0.3)
        times[stage.name] = (started, time.perf_counter())
        return True

    finished = list(
        run_in_dependency_order([ALPHA, BETA, DEPENDENT], run, succeeded=bool, max_parallel=2)
    )
    assert [f.stage.name for f in finished][-1] == "dependent"
    (a_start, a_end), (b_start, b_end) = times["alpha"], times["beta"]
    assert a_start < b_end and b_start < a_end, "alpha and beta did not overlap"
    assert times["dependent"][0] >= a_end, "dependent started before alpha finished"


def test_scheduler_skips_stages_after_a_failure_with_the_reason() -> None:
    c = Stage("c", "c.ipynb", "C", ("b",))
    d = Stage("d", "d.ipynb", "D", ("c",))
    b = Stage("b", "b.ipynb", "B")
    ran: list[str] = []
    lock = threading.Lock()

    def run(stage: Stage) -> bool:
        with lock:
            ran.append(stage.name)
        return stage.name != "b"

    finished = {
        f.stage.name: f
        for f in run_in_dependency_order([ALPHA, b, c, d], run, succeeded=bool, max_parallel=2)
    }
    assert sorted(ran) == ["alpha", "b"]
    assert finished["c"].result is None
    assert finished["c"].skipped_because == "it depends on b, which failed"
    assert finished["d"].skipped_because == "it depends on c, which was skipped"


# --- a real run of tiny stages ----------------------------------------------------------------


def test_independent_stages_ran_on_kernels_at_the_same_time(tiny_run) -> None:
    result, _, _ = tiny_run
    alpha = json.loads((result.run_dir / "timings" / "alpha.json").read_text())
    beta = json.loads((result.run_dir / "timings" / "beta.json").read_text())
    # Each notebook sleeps 1 s between its own clock readings; the intervals must overlap.
    assert alpha["started"] < beta["finished"] and beta["started"] < alpha["finished"]


def test_parameters_are_injected_with_their_types_and_paths_hidden(tiny_run) -> None:
    result, _, _ = tiny_run
    executed = nbformat.read(result.run_dir / "notebooks" / "alpha.ipynb", as_version=4)
    printed = "".join(
        output.get("text", "") for cell in executed.cells for output in cell.get("outputs", [])
    )
    assert "year=2008 label='from -p' pause_seconds=1.0" in printed
    injected = next(
        c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])
    )
    assigned = {}
    exec(injected.source, {}, assigned)  # the injected cell is plain assignments
    values = assigned["inputs"]  # what the plan resolved, in one parameter
    # The kernel got absolute paths; the run's copy of the notebook shows them as the
    # reports do, so that it does not tell readers where the suite ran.
    assert values["data_dir"] == "[data]" and values["output_dir"] == "[run]"
    # The plan's report year (the tiny package's latest survey year) and the package it
    # validated, saved in the run's private temporary folder, with the file's SHA-256.
    assert values["year"] == 2008
    assert values["validated_package"] == "[tmp]/validated_package.pickle"
    assert len(values["validated_package_sha256"]) == 64
    int(values["validated_package_sha256"], 16)  # hexadecimal


def test_the_stage_runner_passes_the_plans_package_year_and_checksum(
    tiny_package: Path, tmp_path: Path
) -> None:
    from analysis.datapackage import open_validated_package
    from analysis.pipeline.plan import _plan_run, _save_validated_package
    from analysis.pipeline.stage import _notebook_parameters

    planned = _plan_run(tiny_package, None, None, {"label": "from -p"}, (ALPHA, BETA))
    plan = _save_validated_package(planned, tmp_path / "validated")
    given = _notebook_parameters(ALPHA, plan, tmp_path / "work")
    saved = tmp_path / "validated" / "validated_package.pickle"
    assert given == {
        "inputs": {
            "data_dir": str(tiny_package),
            "year": 2008,
            "output_dir": str(tmp_path / "work"),
            "validated_package": str(saved),
            # Reference: hashlib over the saved file's bytes.
            "validated_package_sha256": hashlib.sha256(saved.read_bytes()).hexdigest(),
        },
        "label": "from -p",
    }
    inputs = given["inputs"]
    reopened = open_validated_package(
        inputs["validated_package"], inputs["validated_package_sha256"]
    )
    assert reopened.checksums == planned.package.checksums


@pytest.mark.parametrize("name", ["inputs", "validated_package", "validated_package_sha256"])
def test_the_validated_package_cannot_be_set_with_p(tiny_package: Path, name: str) -> None:
    with pytest.raises(RunSetupError, match=f"the parameter '{name}' is set by the pipeline"):
        run_pipeline(tiny_package, out_dir=tiny_package.parent / "out", parameters={name: "x"})


def test_a_failing_stage_is_reported_and_the_others_still_publish(tiny_run) -> None:
    result, lines, _ = tiny_run
    by_name = {stage.name: stage for stage in result.stages}
    assert result.status == "failed"
    assert by_name["alpha"].succeeded and by_name["beta"].succeeded
    assert by_name["dependent"].succeeded  # it read alpha's published table
    failing = by_name["failing"]
    assert failing.status == "failed"
    assert (failing.error.name, failing.error.cell) == ("ValueError", 4)
    assert failing.error.message == "planted failure for the tests"
    assert by_name["after_failing"].status == "skipped"
    assert by_name["after_failing"].skipped_because == "it depends on failing, which failed"
    failed_lines = [line for line in lines if "failing ... FAILED" in line]
    assert len(failed_lines) == 1
    assert "cell 4 (In [4]) raised ValueError: planted failure for the tests" in failed_lines[0]
    index = (result.run_dir / "index.html").read_text(encoding="utf-8")
    assert "cell 4 (In [4]) raised ValueError: planted failure for the tests" in index
    failed_report = (result.run_dir / "failing.html").read_text(encoding="utf-8")
    assert "planted failure for the tests" in failed_report
    for name in ("alpha", "beta", "dependent"):
        assert (result.run_dir / f"{name}.html").is_file()
    assert (result.run_dir / "tables" / "alpha" / "respondents.csv").is_file()


def test_a_kernel_that_dies_fails_its_stage_only(tiny_run) -> None:
    result, lines, _ = tiny_run
    dying = next(stage for stage in result.stages if stage.name == "dying")
    assert dying.status == "failed" and dying.error.name == "DeadKernelError"
    assert any("dying ... FAILED" in line and "DeadKernelError" in line for line in lines)
    assert sum(stage.succeeded for stage in result.stages) == 3  # alpha, beta, dependent


def test_progress_counts_every_stage_as_it_finishes(tiny_run) -> None:
    _, lines, _ = tiny_run
    numbered = [line for line in lines if line.startswith("[")]
    assert [line.split("]")[0] for line in numbered] == [f"[{n}/6" for n in range(1, 7)]
    assert any(line.startswith("[") and "alpha ... done in " in line for line in numbered)


def test_manifest_records_inputs_versions_and_timings(tiny_run, tiny_package: Path) -> None:
    result, _, _ = tiny_run
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_files"] == checksums(tiny_package)
    assert manifest["parameters"]["label"] == "from -p"
    assert manifest["parameters"]["year"] == 2008
    import nbconvert
    import pandas

    assert manifest["packages"]["pandas"] == pandas.__version__
    assert manifest["packages"]["nbconvert"] == nbconvert.__version__
    assert manifest["packages"]["papermill"] == papermill.__version__
    assert manifest["packages"]["python"] == ".".join(map(str, sys.version_info[:3]))
    head = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    expected = head.stdout.strip() if head.returncode == 0 else None
    assert manifest["git"]["commit"] == expected
    statuses = {stage["name"]: stage["status"] for stage in manifest["stages"]}
    assert statuses == {
        "alpha": "succeeded",
        "beta": "succeeded",
        "failing": "failed",
        "dependent": "succeeded",
        "after_failing": "skipped",
        "dying": "failed",
    }
    alpha = next(stage for stage in manifest["stages"] if stage["name"] == "alpha")
    assert manifest["started_at"] <= alpha["started_at"] < alpha["finished_at"]
    assert alpha["finished_at"] <= manifest["finished_at"]
    assert alpha["duration_seconds"] >= 1.0  # the notebook sleeps 1 s
    assert manifest["duration_seconds"] >= alpha["duration_seconds"]


def test_no_machine_specific_path_in_pages_or_json(tiny_run) -> None:
    result, _, out = tiny_run
    forbidden = {str(PROJECT_ROOT), str(Path.home()), str(out), str(out.resolve())}
    for path in [*out.rglob("*.html"), *out.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        found = [folder for folder in forbidden if folder in text]
        assert not found, f"{path.relative_to(out)} shows {found}"


def test_workbook_and_index_of_a_run(tiny_run) -> None:
    result, _, out = tiny_run
    workbook = load_workbook(result.run_dir / "tables.xlsx")
    assert workbook.sheetnames == ["Contents", "respondents", "respondents~2", "Notes"]
    sheet = workbook["respondents"]
    assert [c.value for c in sheet[2]] == ["Nursing", 40, 55.0]
    assert [c.value for c in sheet[3]] == ["Medical and Dental", "[c]", "[c]"]
    reports_index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="5TF/2008/index.html"' in reports_index
    run_index = (result.run_dir / "index.html").read_text(encoding="utf-8")
    for link in ("alpha.html", "failing.html", "tables.xlsx", "tables/alpha/respondents.csv"):
        assert f'href="{link}"' in run_index
    assert "Respondents (from -p)" in run_index  # a headline figure


# --- atomic runs ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_failed_run_never_replaces_a_good_one(tiny_package: Path, tmp_path: Path) -> None:
    quiet = [].append
    good = run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA,), progress=quiet)
    assert good.succeeded and good.run_dir == tmp_path / "5TF" / "2008"
    before = checksums(good.run_dir)

    failed = run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA, FAILING), progress=quiet)
    assert failed.status == "failed"
    assert failed.run_dir == tmp_path / "5TF" / "2008-failed"
    assert checksums(good.run_dir) == before, "the good run was changed"
    listed = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "5TF/2008-failed/index.html" in listed and "5TF/2008/index.html" in listed

    again = run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA,), progress=quiet)
    assert again.succeeded and again.run_dir == good.run_dir
    assert checksums(good.run_dir) != before, "the new good run did not replace the old"
    assert not (tmp_path / "5TF" / "2008-failed").exists()
    assert [p.name for p in (tmp_path / "5TF").iterdir()] == ["2008"]  # nothing left aside


def test_killing_a_run_midway_leaves_the_previous_run_intact(
    tiny_package: Path, tmp_path: Path
) -> None:
    run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA,), progress=[].append)
    before = checksums(tmp_path)
    assert (tmp_path / "5TF" / "2008" / ".workforce-run.json").is_file()  # the suite's marker
    script = (
        "from analysis.pipeline import run_pipeline\n"
        "from analysis.stages import Stage\n"
        f"run_pipeline({str(tiny_package)!r}, out_dir={str(tmp_path)!r}, "
        f"registry=(Stage('alpha', {str(NOTEBOOKS / 'alpha.ipynb')!r}, 'Alpha'),), "
        "parameters={'pause_seconds': 120.0})\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        started = []
        while not started and time.monotonic() < deadline:
            started = list((tmp_path / "5TF").glob(".2008.partial-*/notebooks"))
            time.sleep(0.1)
        assert started, "the run did not get as far as its stages within 60 s"
        time.sleep(2)  # the stage's kernel is starting or sleeping: the run is half-way
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    after = {
        name: digest
        for name, digest in checksums(tmp_path).items()
        if not any(".partial-" in part for part in Path(name).parts)
    }
    assert after == before, "the previous run or the reports index changed"
    visible = sorted(p.name for p in (tmp_path / "5TF").iterdir() if not p.name.startswith("."))
    assert visible == ["2008"]


@pytest.mark.slow
def test_the_default_demo_data_is_written_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import run as pipeline

    default = tmp_path / "data" / "demo"
    monkeypatch.setattr(pipeline, "DEFAULT_DATA", default)
    lines: list[str] = []
    result = run_pipeline(
        default, out_dir=tmp_path / "reports", registry=(ALPHA,), progress=lines.append
    )
    assert (default / "dataset.yml").is_file() and lines[0].startswith("Writing the demo")
    assert result.succeeded and result.run_dir.parent.name == "5NF"  # organisation.code


# --- checks before anything runs ------------------------------------------------------------


def spy_on_kernels(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record every kernel start and notebook execution instead of doing it."""
    calls: list[object] = []
    monkeypatch.setattr(AsyncKernelManager, "start_kernel", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(a))
    return calls


def test_unknown_parameter_stops_the_run_before_any_kernel(
    tiny_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy_on_kernels(monkeypatch)
    with pytest.raises(RunSetupError, match="unknown parameter 'colour'.*label, pause_seconds"):
        run_pipeline(
            tiny_package, out_dir=tmp_path, registry=(ALPHA,), parameters={"colour": "red"}
        )
    with pytest.raises(RunSetupError, match="use --out instead"):
        run_pipeline(
            tiny_package, out_dir=tmp_path, registry=(ALPHA,), parameters={"output_dir": "x"}
        )
    with pytest.raises(RunSetupError, match="2010 is not a survey year.*2007, 2008"):
        run_pipeline(tiny_package, out_dir=tmp_path, year=2010, registry=(ALPHA,))
    assert calls == [] and list(tmp_path.iterdir()) == []


def test_a_bad_data_package_stops_the_run_before_any_kernel(
    tiny_package: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls = spy_on_kernels(monkeypatch)
    broken = write_tiny_package(tmp_path / "broken")
    staff = (broken / "staff.csv").read_text(encoding="utf-8")
    (broken / "staff.csv").write_text(staff.replace(",30\n", ",thirty\n", 1), encoding="utf-8")
    status = cli.main(["run", "--data", str(broken), "--out", str(tmp_path / "out")])
    assert status == 1
    error = capsys.readouterr().err
    assert "staff.csv" in error and "row 2" in error and "headcount" in error
    assert calls == [] and not (tmp_path / "out").exists()


def test_command_line_exit_status_and_year_given_as_a_parameter(
    tiny_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage_registry, "STAGES", (ALPHA, FAILING))

    def command(*options: str) -> int:
        args = cli.build_parser().parse_args(
            ["run", "--data", str(tiny_package), "--out", str(tmp_path), *options]
        )
        assert isinstance(args, argparse.Namespace)
        return run_from_command_line(args)

    assert command("--stages", "alpha", "-p", "year=2007", "-p", "label=cli") == 0
    executed = nbformat.read(tmp_path / "5TF" / "2007" / "notebooks" / "alpha.ipynb", 4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "year=2007 label='cli'" in printed
    assert command("--stages", "failing") == 1
    assert command("--stages", "alpha", "-p", "colour=red") == 2


# --- the workbook on its own ---------------------------------------------------------------


def test_sheet_names_are_short_unique_ignoring_case_and_legal() -> None:
    long_name = "percent_positive_by_directorate_and_staff_group"  # 47 characters
    names = excel_sheet_names([long_name, long_name.upper(), "a[b]:c*?/d\\e", "contents", "notes"])
    # Cut to 31; the second is the first ignoring case, so it is cut to 29 and ends "~2";
    # each of [ ] : * ? / \\ becomes "_"; "contents" and "notes" are the workbook's own.
    assert names == [
        long_name[:31],
        long_name.upper()[:29] + "~2",
        "a_b__c___d_e",
        "contents~2",
        "notes~2",
    ]


def test_workbook_keeps_text_and_suppressed_cells_and_freezes_the_header(tmp_path: Path) -> None:
    folder = tmp_path / "tables" / "survey"
    folder.mkdir(parents=True)
    (folder / "by_team.csv").write_text(
        "\ufeffteam_code,respondents,percent_positive\n007,40,55.25\n012,[c],[c]\n",
        encoding="utf-8",
    )
    (folder / "by_group.csv").write_text("\ufeffgroup,n\nA,12\n", encoding="utf-8")
    tables = [
        PublishedTableFile("survey", "by_team", "By team", "", "tables/survey/by_team.csv", "t"),
        PublishedTableFile(
            "survey", "by_group", "By group", "a note", "tables/survey/by_group.csv", "g"
        ),
    ]
    workbook = load_workbook(write_tables_workbook(tmp_path, tables))
    assert workbook.sheetnames == ["Contents", "t", "g", "Notes"]
    sheet = workbook["t"]
    assert [c.value for c in sheet[1]] == ["team_code", "respondents", "percent_positive"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    # Team codes keep their leading zeros (text); counts and percentages become numbers.
    assert [c.value for c in sheet[2]] == ["007", 40, 55.25]
    assert [c.value for c in sheet[3]] == ["012", "[c]", "[c]"]
    # The report's decimals: 55.25 is shown to three significant figures (see
    # analysis.publishing.display_decimals) and stored whole.
    assert sheet["C2"].number_format == "#,##0.0"
    contents = workbook["Contents"]
    assert [c.value for c in contents[3]] == [
        "g",
        "by_group",
        "survey",
        "By group",
        "1",
        "a note",
        "tables/survey/by_group.csv",
        "tables/survey/by_group.parquet",
    ]
    assert contents["A2"].hyperlink.location == "'t'!A1"


# --- the real run on the demo data ------------------------------------------------------------


@pytest.mark.pipeline
def test_demo_run_succeeds_with_a_report_per_stage(demo_run: Path, demo_data: Path) -> None:
    manifest = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    assert [s["name"] for s in manifest["stages"]] == [s.name for s in stage_registry.STAGES]
    for stage in manifest["stages"]:
        assert stage["status"] == "succeeded", stage
        assert (demo_run / stage["report"]).is_file()
        assert (demo_run / stage["notebook"]).is_file()
    # Every data file of the package (its README is documentation, not input), hashed here.
    on_disk = checksums(demo_data)
    inputs = {name for name in on_disk if name.endswith((".csv", ".yml"))}
    assert set(manifest["input_files"]) == inputs
    assert manifest["input_files"] == {name: on_disk[name] for name in inputs}
    assert manifest["year"] == int(demo_run.name)


@pytest.mark.pipeline
def test_demo_run_workbook_has_a_sheet_per_published_table(demo_run: Path) -> None:
    published = sorted(demo_run.glob("tables/*/*.json"))
    assert published, "the demo run published no tables"
    workbook = load_workbook(demo_run / "tables.xlsx", read_only=True)
    assert len(workbook.sheetnames) == len(published) + 2  # with Contents and Notes
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert len({name.lower() for name in workbook.sheetnames}) == len(workbook.sheetnames)
    # The sheets show the report year's rows of tables with a year column (not of trend
    # tables): every [c] of those rows, and no other, is in the workbook.
    year = int(demo_run.name)
    csv_cells = 0
    for path in published:
        rows = list(csv.reader(io.StringIO(path.with_suffix(".csv").read_text("utf-8-sig"))))
        trend = "year" in json.loads(path.read_text(encoding="utf-8"))["dimensions"]
        if "year" in rows[0] and not trend:
            of_year = [row for row in rows[1:] if row[rows[0].index("year")] == str(year)]
            rows = rows[:1] + (of_year or rows[1:])
        csv_cells += sum(value == "[c]" for row in rows for value in row)
    sheet_cells = sum(
        1
        for name in workbook.sheetnames[1:-1]
        for row in workbook[name].iter_rows(values_only=True)
        for value in row
        if value == "[c]"
    )
    assert sheet_cells == csv_cells
    # Every table is also written as Parquet, with every row of its CSV.
    for path in published:
        assert pq.read_metadata(path.with_suffix(".parquet")).num_rows == (
            len(list(csv.reader(io.StringIO(path.with_suffix(".csv").read_text("utf-8-sig"))))) - 1
        )


@pytest.mark.pipeline
def test_demo_run_has_no_machine_specific_paths(demo_run: Path) -> None:
    forbidden = {str(PROJECT_ROOT), str(Path.home()), str(demo_run.parent.parent)}
    for path in [*demo_run.rglob("*.html"), *demo_run.rglob("*.json"), *demo_run.rglob("*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        assert not [f for f in forbidden if f in text], path.name


def test_the_suppressed_symbol_matches_publishing() -> None:
    from analysis import pipeline, publishing

    assert pipeline.SUPPRESSED == publishing.SUPPRESSED_SYMBOL


# --- stages whose data the package lacks ---------------------------------------------------

NEEDS_INDICATORS = Stage(
    "needs_indicators", NOTEBOOKS / "beta.ipynb", "Needs indicators", needs=("indicators.yml",)
)
NEEDS_PLANS = Stage(
    "needs_plans", NOTEBOOKS / "beta.ipynb", "Needs plans", needs=("teams", "action_plans")
)
AFTER_LEFT_OUT = Stage(
    "after_left_out", NOTEBOOKS / "dependent.ipynb", "After", ("needs_indicators",)
)


def test_stages_the_package_cannot_feed_are_left_out_with_the_reason(
    tiny_package: Path, tmp_path: Path
) -> None:
    # The tiny package has survey tables only: no indicators.yml, teams or action plans.
    lines: list[str] = []
    result = run_pipeline(
        tiny_package,
        out_dir=tmp_path,
        registry=(ALPHA, NEEDS_INDICATORS, NEEDS_PLANS, AFTER_LEFT_OUT),
        progress=lines.append,
    )
    assert result.succeeded, "a stage left out for lack of data does not fail the run"
    by_name = {stage.name: stage for stage in result.stages}
    assert [stage.name for stage in result.stages] == [
        "alpha",
        "needs_indicators",
        "needs_plans",
        "after_left_out",
    ]
    assert by_name["alpha"].status == "succeeded"
    assert by_name["needs_indicators"].skipped_because.startswith(
        "the data package has no indicators.yml"
    )
    assert by_name["needs_plans"].skipped_because.startswith(
        "the data package has no teams, action_plans"
    )
    assert by_name["after_left_out"].skipped_because == (
        "it depends on needs_indicators, which cannot run"
    )
    assert all(by_name[name].left_out for name in by_name if name != "alpha")
    assert "1 of 4 stage(s) succeeded, 3 not run for lack of data" in lines[-1]
    index = (result.run_dir / "index.html").read_text(encoding="utf-8")
    assert "the data package has no indicators.yml" in index
    assert "Every stage that could run succeeded; 3 of 4 not run, for lack of data" in index
    assert index.count("Not run: no data") == 3


def test_a_stage_asked_for_by_name_that_cannot_run_is_an_error(
    tiny_package: Path, tmp_path: Path
) -> None:
    with pytest.raises(RunSetupError, match=r"the needs_plans stage cannot run: .*no teams"):
        run_pipeline(
            tiny_package,
            out_dir=tmp_path,
            stages=["needs_plans"],
            registry=(ALPHA, NEEDS_PLANS),
            progress=lambda line: None,
        )
    assert not any(tmp_path.rglob("index.html")), "nothing ran"
