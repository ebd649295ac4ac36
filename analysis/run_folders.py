"""The reports folder's safety rules: what the suite may write, replace, delete and recover.

The suite writes into a reports folder (``--out``) only what it can prove it wrote:

- A **marker file**, :data:`MARKER` (``.workforce-run.json``: which program wrote the folder,
  its version and what the folder is), sits in the reports folder itself and in every run
  folder and private profile folder the suite writes. A folder without it is never replaced
  or deleted. Reports folders written before markers existed are recognised by their index
  page (reports folder) or ``manifest.json`` (run folder).
- ``--out`` and ``--data`` must be apart: neither may be inside the other
  (:func:`check_apart`), so a run never writes into the data package.
- ``--out`` must be new, empty, or a reports folder the suite wrote
  (:func:`prepare_reports_folder`): it never overwrites someone else's ``index.html``.

A run is written into a hidden work folder, ``.{year}.partial-{pid}-{hex}``, then swapped in
(:func:`move_into_place`): the old run renamed aside to ``.{year}.old-{pid}-{hex}``, the new
one renamed in, the old one deleted. The work folder's marker says, before the swap starts,
that it is complete and where it goes. If the process is killed at any moment, the next run
(:func:`recover_folder`) puts things right: a missing run folder is restored from the
complete new run (the swap is resumed) or, failing that, from the old one (rolled back), and
every leftover work or old folder of a process that no longer exists is deleted. The
temporary copies of the validated package (:func:`validated_package_copy`) are deleted when
the run ends, and the next run deletes those of killed runs (:func:`remove_stale_copies`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

import analysis
from analysis.publishing import write_atomically

__all__ = [
    "MARKER",
    "OutputFolderError",
    "check_apart",
    "is_suite_folder",
    "move_into_place",
    "new_work_folder",
    "prepare_reports_folder",
    "recover_folder",
    "remove_stale_copies",
    "remove_suite_folder",
    "validated_package_copy",
    "write_marker",
]

MARKER = ".workforce-run.json"
"""The marker file in every folder the suite writes into a reports folder."""

WRITTEN_BY = "analysis (workforce action-research suite)"

_LEFTOVER = re.compile(r"\.(?P<target>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)-[0-9a-f]+")
_VALIDATED_PREFIX = "analysis-validated-"
_LEGACY_COPY_AGE_SECONDS = 24 * 3600
_LEGACY_INDEX_TITLE = "<title>Staff survey reports: every run</title>"


class OutputFolderError(ValueError):
    """The reports folder cannot be used as asked: nothing has been written or deleted."""


def write_marker(folder: Path, kind: str, **details: Any) -> Path:
    """Write the marker file saying the suite wrote ``folder``.

    Parameters
    ----------
    folder
        The folder.
    kind
        ``"reports"`` (the ``--out`` folder), ``"run"`` or ``"profile"``.
    **details
        More to record, e.g. ``complete=True, target="2008"`` for a run about to be moved in.
    """
    content = {"written_by": WRITTEN_BY, "version": analysis.__version__, "kind": kind}
    text = json.dumps({**content, **details}, indent=2) + "\n"
    return write_atomically(folder / MARKER, text.encode("utf-8"))


def _marker(folder: Path) -> dict[str, Any] | None:
    try:
        content = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("written_by") != WRITTEN_BY:
        return None
    return content


def is_suite_folder(folder: Path, kind: str) -> bool:
    """Whether the suite wrote ``folder`` as a ``kind`` folder (so it may replace or delete it).

    Folders written before markers existed count when they hold what the suite wrote: a run
    folder its ``manifest.json`` (with ``manifest_version``), a profile folder its
    ``staff_profile.html``.
    """
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = _marker(folder)
    if marker is not None:
        return marker.get("kind") == kind
    if kind == "run":
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(manifest, dict) and "manifest_version" in manifest
    if kind == "profile":
        return (folder / "staff_profile.html").is_file()
    return False


def check_apart(data_dir: Path, out_dir: Path) -> None:
    """Refuse a reports folder inside the data package, or a data package inside it.

    Parameters
    ----------
    data_dir, out_dir
        Resolved folders (:meth:`pathlib.Path.resolve`).

    Raises
    ------
    OutputFolderError
        When they are the same folder or one is inside the other.
    """
    if out_dir == data_dir:
        raise OutputFolderError(
            f"--out and --data are the same folder ({out_dir}); the reports must go in a "
            "folder of their own, outside the data package"
        )
    if out_dir.is_relative_to(data_dir):
        raise OutputFolderError(
            f"--out {out_dir} is inside the data package {data_dir}; the data package is only "
            "read, never written: choose a reports folder outside it"
        )
    if data_dir.is_relative_to(out_dir):
        raise OutputFolderError(
            f"the data package {data_dir} is inside the reports folder --out {out_dir}; "
            "choose a reports folder that does not hold the data"
        )


def prepare_reports_folder(out_dir: Path) -> None:
    """Make ``out_dir`` a reports folder, refusing one that holds files the suite did not write.

    A new or empty folder gets the marker; so does a reports folder an earlier version of
    the suite wrote (recognised by its index page).

    Raises
    ------
    OutputFolderError
        When ``out_dir`` is a file, or a folder holding other files.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"--out {out_dir} is a file; expected a reports folder")
    if out_dir.is_dir():
        marker = _marker(out_dir)
        if marker is not None:
            if marker.get("kind") != "reports":
                raise OutputFolderError(
                    f"--out {out_dir} is a {marker.get('kind')} folder the suite wrote, not a "
                    "reports folder; give the reports folder instead"
                )
            return
        entries = sorted(out_dir.iterdir())
        if entries and not _is_legacy_reports_folder(entries):
            shown = ", ".join(entry.name for entry in entries[:3])
            more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
            raise OutputFolderError(
                f"--out {out_dir} already holds files the suite did not write ({shown}{more}); "
                "choose a new or empty folder, or a reports folder the suite wrote"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_marker(out_dir, "reports")


def _is_legacy_reports_folder(entries: list[Path]) -> bool:
    """A reports folder from before markers: its index page, dataset folders, hidden files."""
    index = next((entry for entry in entries if entry.name == "index.html"), None)
    if index is None or not index.is_file():
        return False
    try:
        page = index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _LEGACY_INDEX_TITLE in page and all(
        (entry.is_dir() and not entry.is_symlink()) or entry.name.startswith(".")
        for entry in entries
        if entry != index
    )


def new_work_folder(parent: Path, target: str, kind: str) -> Path:
    """Make the hidden work folder for a new ``target``, marked as the suite's, incomplete.

    Returns
    -------
    Path
        ``{parent}/.{target}.partial-{pid}-{hex}``.
    """
    work = parent / f".{target}.partial-{os.getpid()}-{secrets.token_hex(3)}"
    work.mkdir()
    write_marker(work, kind, complete=False)
    return work


def move_into_place(new: Path, target: Path, kind: str) -> None:
    """Replace ``target`` by the complete work folder ``new``, recoverably.

    Steps: (1) ``new``'s marker records that it is complete and where it goes; (2) the
    current ``target``, if any, is renamed aside to ``.{name}.old-{pid}-{hex}``; (3) ``new``
    is renamed to ``target``; (4) the old folder is deleted. A kill after any step leaves a
    state :func:`recover_folder` completes.

    Raises
    ------
    OutputFolderError
        When ``target`` exists but the suite did not write it (it is left alone).
    """
    if target.exists() and not is_suite_folder(target, kind):
        raise OutputFolderError(
            f"{target} exists but the suite did not write it (it has no {MARKER}); "
            "move it away or choose another --out"
        )
    write_marker(new, kind, complete=True, target=target.name)
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.old-{os.getpid()}-{secrets.token_hex(3)}")
        os.rename(target, aside)
    try:
        os.rename(new, target)
    except OSError:
        if aside is not None:
            os.rename(aside, target)
        raise
    if aside is not None:
        shutil.rmtree(aside)


def remove_suite_folder(folder: Path, kind: str) -> bool:
    """Delete ``folder`` if the suite wrote it as a ``kind`` folder; whether it was deleted."""
    if not is_suite_folder(folder, kind):
        return False
    shutil.rmtree(folder)
    return True


def _user() -> int | None:
    """This user's id (``None`` on Windows, where temporary folders are per user anyway)."""
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid else None


def _process_exists(pid: int) -> bool:
    return pid == os.getpid() or psutil.pid_exists(pid)


def recover_folder(parent: Path, kind: str) -> list[str]:
    """Finish or undo the swaps of killed processes in ``parent`` and delete their leftovers.

    For every ``target`` with leftovers (``.{target}.partial-*``, ``.{target}.old-*``) of a
    process that no longer exists and that the suite wrote: if ``{parent}/{target}`` is
    missing, it is restored from the newest complete work folder meant for it (the swap is
    resumed) or else from the newest old folder (rolled back). Then every such leftover is
    deleted. Folders of processes still running (another run at the same time) and folders
    without the suite's marker are left alone.

    Parameters
    ----------
    parent
        A dataset's folder (``{out}/{dataset}``, run folders) or its ``private`` folder
        (profile folders).
    kind
        ``"run"`` or ``"profile"``.

    Returns
    -------
    list of str
        One sentence per folder restored, and one for the leftovers deleted.
    """
    if not parent.is_dir():
        return []
    leftovers: list[tuple[Path, str, str]] = []  # folder, "partial"/"old", target
    for entry in parent.iterdir():
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None or _process_exists(int(found["pid"])):
            continue
        if not is_suite_folder(entry, kind):
            continue
        target = found["target"]
        if found["kind"] == "partial":
            marker = _marker(entry) or {}
            if not marker.get("complete"):
                leftovers.append((entry, "partial", ""))
                continue
            target = str(marker.get("target") or target)
        leftovers.append((entry, found["kind"], target))
    done: list[str] = []
    for target in sorted({target for _, _, target in leftovers if target}):
        if (parent / target).exists():
            continue
        for wanted, verb in (("partial", "resumed"), ("old", "rolled back")):
            candidates = [f for f, k, t in leftovers if k == wanted and t == target]
            if candidates:
                newest = max(candidates, key=lambda folder: (folder / MARKER).stat().st_mtime)
                os.rename(newest, parent / target)
                leftovers = [item for item in leftovers if item[0] != newest]
                done.append(f"Restored {parent.name}/{target}: a killed run's swap was {verb}.")
                break
    for folder, _, _ in leftovers:
        shutil.rmtree(folder, ignore_errors=True)
    if leftovers:
        done.append(f"Removed {len(leftovers)} folder(s) left in {parent.name}/ by killed runs.")
    return done


@contextmanager
def validated_package_copy() -> Iterator[Path]:
    """A temporary folder for the run's validated package, deleted when the run ends.

    Its name, ``analysis-validated-{pid}-...``, lets :func:`remove_stale_copies` delete it
    if the run is killed.
    """
    with tempfile.TemporaryDirectory(prefix=f"{_VALIDATED_PREFIX}{os.getpid()}-") as folder:
        yield Path(folder)


def remove_stale_copies(temporary: Path | None = None) -> int:
    """Delete the validated-package copies of runs that were killed; how many were deleted.

    Only folders named ``analysis-validated-{pid}-...`` whose process no longer exists and
    that belong to this user are deleted, plus copies from before the process id was in the
    name (``analysis-validated-XXXXXXXX``, holding only ``.pickle`` files) older than a day.

    Parameters
    ----------
    temporary
        The folder to look in; :func:`tempfile.gettempdir` when ``None``.
    """
    temporary = Path(temporary or tempfile.gettempdir())
    removed = 0
    for entry in temporary.glob(f"{_VALIDATED_PREFIX}*"):
        rest = entry.name[len(_VALIDATED_PREFIX) :]
        try:
            if entry.is_symlink() or not entry.is_dir():
                continue
            if _user() is not None and entry.stat().st_uid != _user():
                continue
            pid, dash, _ = rest.partition("-")
            if dash and pid.isdigit():
                stale = not _process_exists(int(pid))
            else:
                old = time.time() - entry.stat().st_mtime > _LEGACY_COPY_AGE_SECONDS
                stale = old and all(path.suffix == ".pickle" for path in entry.iterdir())
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed
