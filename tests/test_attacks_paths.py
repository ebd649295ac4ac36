"""Files are never lost or overwritten, and killed runs are put right (issue #10, parts 6, 8).

Path tricks: ``--data some/dir/..``, ``--data`` equal to ``--out``, one inside the other, an
``--out`` holding someone else's ``index.html`` or a folder the suite did not write where a
run would go, staff IDs ``.`` and ``../2008``, and the private profiles' permissions.

Crash recovery: the run folder's swap (:func:`analysis.run_folders.move_into_place`) is killed
with ``os._exit`` in a subprocess before each of its steps, and the next run's recovery
(:func:`analysis.run_folders.recover_folder`) must leave the year folder complete, and no
work or old folder behind. Tests that run the pipeline use the tiny notebooks of
``tests/notebooks`` (seconds each) and are marked ``slow``.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from test_pipeline import checksums, write_tiny_package

from analysis.cli import main
from analysis.filenames import UnsafeFileNameError, safe_file_name
from analysis.pipeline import RunSetupError, run_pipeline
from analysis.run_folders import (
    MARKER,
    is_suite_folder,
    new_work_folder,
    prepare_reports_folder,
    recover_folder,
    remove_stale_copies,
)
from analysis.stages import Stage

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALPHA = Stage("alpha", Path(__file__).resolve().parent / "notebooks" / "alpha.ipynb", "Alpha")
QUIET = [].append


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_package(tmp_path_factory.mktemp("data") / "tiny")


# --- one gate for file names ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (".", "names a folder itself"),
        ("..", "names a folder itself"),
        ("../2008", "path separator"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("a\x00b", "control character U+0000"),
        ("a\nb", "control character U+000A"),
        ("\u202egnp.exe", "control character U+202E"),  # right-to-left override
        (".hidden", "starts with '.'"),
        ("CON", "Windows reserves it"),
        ("nul.txt", "Windows reserves it"),
        ("com1", "Windows reserves it"),
        ("a:b", "Windows does not allow"),
        ("ends.", "ends with '.'"),
        (" space", "starts or ends with a space"),
        ("", "empty"),
        ("x" * 101, "101 bytes long"),
        ("é" * 51, "102 bytes long"),
    ],
)
def test_unsafe_names_are_refused_saying_why(name: str, why: str) -> None:
    with pytest.raises(UnsafeFileNameError, match=re.escape(why)):
        safe_file_name("staff ID", name)


@pytest.mark.parametrize("name", ["S0002", "5NF", "community-nursing", "Zoë_2", "x" * 100])
def test_ordinary_names_pass_unchanged(name: str) -> None:
    assert safe_file_name("staff ID", name) == name


# --- --data and --out ----------------------------------------------------------------------


def test_data_equal_to_out_is_refused_and_nothing_is_written(tiny_package: Path) -> None:
    before = checksums(tiny_package)
    with pytest.raises(RunSetupError, match="--out and --data are the same folder"):
        run_pipeline(tiny_package, out_dir=tiny_package, registry=(ALPHA,), progress=QUIET)
    assert checksums(tiny_package) == before


def test_out_inside_the_data_package_is_refused(tiny_package: Path) -> None:
    before = checksums(tiny_package)
    with pytest.raises(RunSetupError, match="is inside the data package"):
        run_pipeline(
            tiny_package, out_dir=tiny_package / "reports", registry=(ALPHA,), progress=QUIET
        )
    assert checksums(tiny_package) == before and not (tiny_package / "reports").exists()


def test_data_inside_out_is_refused(tmp_path: Path) -> None:
    package = write_tiny_package(tmp_path / "reports" / "tiny")
    with pytest.raises(RunSetupError, match="is inside the reports folder"):
        run_pipeline(package, out_dir=tmp_path / "reports", registry=(ALPHA,), progress=QUIET)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["tiny"]


def test_data_equal_to_out_through_dot_dot_is_refused_on_the_command_line(
    tiny_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tricky = tiny_package / "sub" / ".."  # resolves to the package itself
    (tiny_package / "sub").mkdir(exist_ok=True)
    try:
        status = main(["run", "--data", str(tricky), "--out", str(tiny_package)])
    finally:
        (tiny_package / "sub").rmdir()
    assert status == 2
    assert "Cannot run: --out and --data are the same folder" in capsys.readouterr().err


def test_someone_elses_index_html_is_never_overwritten(
    tiny_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "website"
    out.mkdir()
    (out / "index.html").write_text("<h1>My own site</h1>", encoding="utf-8")
    status = main(["run", "--data", str(tiny_package), "--out", str(out)])
    assert status == 2
    assert "already holds files the suite did not write (index.html)" in capsys.readouterr().err
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>My own site</h1>"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_a_reports_folder_from_before_markers_is_adopted(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    (out / "demo" / "2008").mkdir(parents=True)
    (out / "index.html").write_text(
        "<html><head><title>Staff survey reports: every run</title></head></html>"
    )
    prepare_reports_folder(out)
    assert json.loads((out / MARKER).read_text())["kind"] == "reports"


def test_a_run_folder_the_suite_did_not_write_is_not_replaced(
    tiny_package: Path, tmp_path: Path
) -> None:
    prepare_reports_folder(tmp_path)
    theirs = tmp_path / "5TF" / "2008"
    theirs.mkdir(parents=True)
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RunSetupError, match=r"5TF/2008 exists but the suite did not write it"):
        run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA,), progress=QUIET)
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]


@pytest.mark.slow
def test_data_named_dot_dot_cannot_reach_a_folder_beside_out(tmp_path: Path) -> None:
    """``--data some/dir/..`` once named the dataset ``..``: the run replaced ``out/../2008``."""
    package = write_tiny_package(tmp_path / "some")
    (package / "dir").mkdir()
    beside = tmp_path / "2008"  # what {out}/../2008 would have been
    beside.mkdir()
    (beside / "precious.txt").write_text("keep me", encoding="utf-8")
    result = run_pipeline(
        package / "dir" / "..", out_dir=tmp_path / "reports", registry=(ALPHA,), progress=QUIET
    )
    assert result.succeeded and result.run_dir == tmp_path / "reports" / "5TF" / "2008"
    assert (beside / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert is_suite_folder(result.run_dir, "run")
    marker = json.loads((result.run_dir / MARKER).read_text(encoding="utf-8"))
    assert marker["written_by"].startswith("analysis") and marker["complete"] is True


# --- private profiles ----------------------------------------------------------------------


@pytest.mark.parametrize("staff_id", [".", "..", "../2008", "S0002/..", ".S0002"])
def test_a_staff_id_that_is_not_a_file_name_is_refused_and_nothing_is_deleted(
    staff_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    prepare_reports_folder(out)
    sibling = out / "5NF" / "private" / "S0002"
    sibling.mkdir(parents=True)
    (sibling / "staff_profile.html").write_text("someone's profile", encoding="utf-8")
    year = out / "5NF" / "2008"
    year.mkdir()
    (year / "index.html").write_text("a run", encoding="utf-8")
    status = main(["profile", staff_id, "--out", str(out)])
    error = capsys.readouterr().err
    assert status == 2
    assert error.startswith(f"Cannot make the profile: the staff ID {staff_id!r} cannot be a")
    assert "Traceback" not in error
    assert (sibling / "staff_profile.html").read_text(encoding="utf-8") == "someone's profile"
    assert (year / "index.html").read_text(encoding="utf-8") == "a run"


def test_a_profile_cannot_be_written_into_the_data_package(
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo = PROJECT_ROOT / "data" / "demo"
    before = checksums(demo)
    assert main(["profile", "S0002", "--out", str(demo / "reports")]) == 2
    assert "is inside the data package" in capsys.readouterr().err
    assert checksums(demo) == before


@pytest.mark.slow
def test_private_profiles_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    previous = os.umask(0)  # the most permissive umask: every file would be world-writable
    try:
        assert main(["profile", "S0002", "--out", str(out)]) == 0
    finally:
        os.umask(previous)
    private = out / "5NF" / "private"
    found = [private, *private.rglob("*")]
    assert len(found) > 4  # private, S0002, its page, notebook, marker, figures...
    for path in found:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


# --- crash recovery --------------------------------------------------------------------------

_KILL_DURING_SWAP = """
import os, shutil, sys
from pathlib import Path
import analysis.run_folders as folders

dataset, kill_before = Path(sys.argv[1]), int(sys.argv[2])
work = folders.new_work_folder(dataset, "2008", "run")
(work / "manifest.json").write_text('{"manifest_version": 1, "status": "succeeded"}')
(work / "index.html").write_text("new run")
steps = [0]

def step(real):
    def wrapped(*args, **kwargs):
        steps[0] += 1
        if steps[0] == kill_before:
            os._exit(9)
        return real(*args, **kwargs)
    return wrapped

folders.write_marker = step(folders.write_marker)  # 1: mark the work folder complete
os.rename = step(os.rename)  # 2: old run aside, 3: new run in
shutil.rmtree = step(shutil.rmtree)  # 4: old run deleted
folders.move_into_place(work, dataset / "2008", "run")
"""

SWAP_STEPS = {
    1: ("before the work folder is marked complete", "old run"),
    2: ("before the old run is renamed aside", "old run"),
    3: ("after the old run is aside, before the new one is renamed in", "new run"),
    4: ("after the new run is in, before the old one is deleted", "new run"),
    5: ("not killed", "new run"),
}


def _old_run(dataset: Path) -> None:
    folder = new_work_folder(dataset, "2008", "run")
    (folder / "manifest.json").write_text('{"manifest_version": 1, "status": "succeeded"}')
    (folder / "index.html").write_text("old run")
    folder.rename(dataset / "2008")


@pytest.mark.parametrize("kill_before", sorted(SWAP_STEPS))
def test_a_swap_killed_at_any_step_is_recovered_by_the_next_run(
    tmp_path: Path, kill_before: int
) -> None:
    moment, expected = SWAP_STEPS[kill_before]
    dataset = tmp_path / "5TF"
    dataset.mkdir()
    _old_run(dataset)
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_DURING_SWAP, str(dataset), str(kill_before)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == (0 if kill_before == 5 else 9), killed.stderr
    if kill_before == 3:
        assert not (dataset / "2008").exists()  # the state the issue reports

    recover_folder(dataset, "run")

    assert (dataset / "2008" / "index.html").read_text() == expected, moment
    assert is_suite_folder(dataset / "2008", "run")
    assert sorted(p.name for p in dataset.iterdir()) == ["2008"], moment


def test_recovery_leaves_folders_of_running_processes_and_of_others_alone(tmp_path: Path) -> None:
    dataset = tmp_path / "5TF"
    dataset.mkdir()
    _old_run(dataset)
    ours_running = new_work_folder(dataset, "2008", "run")  # this process is alive
    theirs = dataset / ".2008.partial-999999999-abcdef"  # no marker: not the suite's
    theirs.mkdir()
    assert recover_folder(dataset, "run") == []
    assert ours_running.is_dir() and theirs.is_dir()


def test_a_failing_run_removes_its_work_folder_and_package_copy(
    tiny_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import run as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_tables_workbook", broken)
    with pytest.raises(OSError, match="disk full"):
        run_pipeline(tiny_package, out_dir=tmp_path, registry=(ALPHA,), progress=QUIET)
    assert [p.name for p in (tmp_path / "5TF").iterdir()] == []
    assert not list(Path(tempfile.gettempdir()).glob(f"analysis-validated-{os.getpid()}-*"))


def test_stale_package_copies_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / "analysis-validated-999999999-x1y2z3"
    alive = tmp_path / f"analysis-validated-{os.getpid()}-a1b2c3"
    other = tmp_path / "analysis-validated-notes"
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "package.pickle").write_bytes(b"x")
    assert remove_stale_copies(tmp_path) == 1
    assert not dead.exists() and alive.exists() and other.exists()


_KILL_MID_RUN_SWAP = """
import os, sys
import analysis.pipeline.run as pipeline
import analysis.run_folders as folders
from analysis.stages import Stage

real = folders.move_into_place

def killed_half_way(new, target, kind):
    renames, rename = [0], os.rename
    def counting(source, destination):
        renames[0] += 1
        if renames[0] == 2:  # the old run is aside; the new one is not in yet
            os._exit(9)
        rename(source, destination)
    os.rename = counting
    real(new, target, kind)

pipeline.move_into_place = killed_half_way
alpha = Stage("alpha", sys.argv[3], "Alpha")
pipeline.run_pipeline(sys.argv[1], out_dir=sys.argv[2], registry=(alpha,))
"""


@pytest.mark.slow
def test_a_run_killed_during_its_swap_is_recovered_and_index_links_work(
    tiny_package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    first = run_pipeline(tiny_package, out_dir=out, registry=(ALPHA,), progress=QUIET)
    assert first.succeeded
    killed = subprocess.Popen(
        [sys.executable, "-c", _KILL_MID_RUN_SWAP, str(tiny_package), str(out), ALPHA.notebook],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert killed.wait(timeout=300) == 9
    dataset = out / "5TF"
    assert not (dataset / "2008").exists()  # the index links to a missing folder
    assert list(dataset.glob(".2008.old-*")) and list(dataset.glob(".2008.partial-*"))
    copies = list(Path(tempfile.gettempdir()).glob(f"analysis-validated-{killed.pid}-*"))
    assert copies, "the killed run's package copy should be left to clean up"

    lines: list[str] = []
    again = run_pipeline(tiny_package, out_dir=out, registry=(ALPHA,), progress=lines.append)

    assert any(
        line.startswith("Restored 5TF/2008: a killed run's swap was resumed") for line in lines
    )
    assert any("temporary package copy" in line for line in lines)
    assert again.succeeded and sorted(p.name for p in dataset.iterdir()) == ["2008"]
    assert not any(copy.exists() for copy in copies)
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', index)
    assert links and all((out / unquote(link)).is_file() for link in links), links
