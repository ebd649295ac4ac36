"""``python -m analysis profile STAFF_ID``: one member of staff's private one-page profile.

The notebook ``notebooks/private/staff_profile.ipynb`` is run for one staff ID and rendered to
HTML the way the pipeline runs and renders a stage (:func:`analysis.pipeline.execute.run_notebook`
and :func:`analysis.pipeline.render.render_notebook`: no code, no link back to any index), into a
folder of its own::

    {out}/{dataset}/private/{staff_id}/staff_profile.html
    {out}/{dataset}/private/{staff_id}/staff_profile.ipynb   the executed notebook
    {out}/{dataset}/private/{staff_id}/figures/...

No run index or reports index lists this folder: the reports index is rebuilt from
``{out}/{dataset}/{year}/manifest.json`` files and a private folder has no manifest. The
folder is written atomically: a failed run leaves no half-written profile, and an earlier
profile of the same person is replaced only by a complete new one (the swap of
:mod:`analysis.run_folders`, so leftovers of a killed run are put right by the next).

The staff ID becomes a folder name only through :func:`analysis.filenames.safe_file_name`
(``.``, ``..`` or ``../2008`` are refused), ``--data`` and ``--out`` must be apart, and the
``private`` folder and every profile in it can be read by their owner only: folders
``0700``, files ``0600``, whatever the user's umask.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from analysis.filenames import UnsafeFileNameError, safe_file_name
from analysis.pipeline.execute import NotebookFailed, run_notebook
from analysis.pipeline.render import render_notebook
from analysis.run_folders import (
    OutputFolderError,
    check_apart,
    is_suite_folder,
    move_into_place,
    new_work_folder,
    prepare_reports_folder,
    recover_folder,
    validated_package_copy,
)

__all__ = [
    "PRIVATE_FOLDER",
    "PROFILE_NOTEBOOK",
    "private_profile_folder",
    "profile_from_command_line",
    "run_staff_profile",
]

PROFILE_NOTEBOOK = (
    Path(__file__).resolve().parent.parent / "notebooks" / "private" / ("staff_profile.ipynb")
)
"""The private profile's notebook, parameterised by ``staff_id``."""

PRIVATE_FOLDER = "private"
"""The folder, beside a dataset's run folders, that holds private profiles."""


def private_profile_folder(out_dir: Path | str, dataset: str, staff_id: str) -> Path:
    """Where the private profile of ``staff_id`` is written: ``{out}/{dataset}/private/{id}``.

    Raises
    ------
    analysis.filenames.UnsafeFileNameError
        If the staff ID or the dataset's name cannot be a folder name.
    """
    return (
        Path(out_dir)
        / safe_file_name("dataset name", dataset)
        / PRIVATE_FOLDER
        / safe_file_name("staff ID", staff_id)
    )


def _owner_only(folder: Path) -> None:
    """Let only the owner read ``folder`` and everything in it (folders 0700, files 0600)."""
    for inside, folders, files in os.walk(folder):
        os.chmod(inside, 0o700)
        for name in folders:
            os.chmod(Path(inside) / name, 0o700)
        for name in files:
            os.chmod(Path(inside) / name, 0o600)


def run_staff_profile(staff_id: str, data_dir: Path | str, out_dir: Path | str) -> Path:
    """Run and render the private profile of one member of staff.

    Parameters
    ----------
    staff_id
        The pseudonymised staff ID (``staff_id`` in the package's ``staff_list``).
    data_dir
        The data package folder.
    out_dir
        The reports folder.

    Returns
    -------
    pathlib.Path
        The profile's HTML page.

    Raises
    ------
    analysis.indicators.profiles.UnknownStaffError
        If the staff ID is not in ``staff_list`` (checked before the notebook runs).
    ValueError
        If the data package has no ``staff_list``.
    analysis.problems.DataPackageError
        If the data package has problems.
    analysis.filenames.UnsafeFileNameError
        If the staff ID cannot be a folder name (``.``, ``../2008``).
    analysis.run_folders.OutputFolderError
        If ``out_dir`` is inside the data package or the other way round, holds files the
        suite did not write, or holds a profile folder the suite did not write.
    analysis.pipeline.execute.NotebookFailed
        If a cell of the profile's notebook raised; no profile is written.
    """
    from analysis.datapackage import file_sha256, load_data_package, save_validated_package
    from analysis.indicators.profiles import check_staff_id

    data_dir = Path(data_dir).resolve()
    out_dir = Path(out_dir).resolve()
    safe_file_name("staff ID", staff_id)
    check_apart(data_dir, out_dir)
    package = load_data_package(data_dir)
    if package.staff_list is None:
        raise ValueError(
            f"the data package {data_dir.name!r} has no staff_list table, so it has no staff "
            "to profile"
        )
    check_staff_id(staff_id, package.staff_list, data_dir.name)
    target = private_profile_folder(out_dir, package.name, staff_id)
    prepare_reports_folder(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    _owner_only(target.parent)
    recover_folder(target.parent, "profile")
    if target.exists() and not is_suite_folder(target, "profile"):
        raise OutputFolderError(
            f"{target} exists but the suite did not write it; move it away or choose another --out"
        )
    work = new_work_folder(target.parent, staff_id, "profile")
    os.chmod(work, 0o700)
    try:
        with validated_package_copy() as folder:
            saved = save_validated_package(package, folder)
            inputs = {
                "data_dir": str(data_dir),
                "year": package.report_year(),
                "output_dir": str(work),
                "validated_package": str(saved),
                "validated_package_sha256": file_sha256(saved),
            }
            parameters = {"inputs": inputs, "staff_id": staff_id}
            notebook = run_notebook(PROFILE_NOTEBOOK, work / PROFILE_NOTEBOOK.name, parameters)
        hide = {str(work): "[profile]", str(data_dir): "[data]", str(Path.home()): "~"}
        page = render_notebook(
            notebook,
            title=f"Private profile: {staff_id}",
            organisation=package.description.organisation_name,
            context="Private: for the member of staff and their line manager only",
            index_href=None,
            source_dir=PROFILE_NOTEBOOK.parent,
            hide_paths=hide,
        )
        (work / "staff_profile.html").write_text(page, encoding="utf-8")
        _owner_only(work)
        move_into_place(work, target, "profile")
        _owner_only(target)  # the marker was rewritten
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target / "staff_profile.html"


def profile_from_command_line(args: argparse.Namespace) -> int:
    """``python -m analysis profile STAFF_ID``: write the profile and say where it is.

    Parameters
    ----------
    args
        ``staff_id``, ``data`` and ``out`` from :func:`analysis.cli.build_parser`.

    Returns
    -------
    int
        0 when the profile was written, 1 when a cell of its notebook failed, 2 when the
        staff ID is unknown or cannot be a folder name, or the reports folder cannot be used.
    """
    from analysis.indicators.profiles import UnknownStaffError

    try:
        page = run_staff_profile(args.staff_id, args.data, args.out)
    except (UnknownStaffError, UnsafeFileNameError, OutputFolderError) as error:
        print(f"Cannot make the profile: {error}", file=sys.stderr)
        return 2
    except NotebookFailed as error:
        print(f"The profile's notebook failed: {error}", file=sys.stderr)
        return 1
    print(f"Wrote the private profile of {args.staff_id} to {page}")
    print("It is private: share it only with the member of staff and their line manager.")
    return 0
