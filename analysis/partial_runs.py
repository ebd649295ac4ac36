"""Partial runs (``run --stages X``): X's outputs are replaced, every other stage's are kept.

A partial run writes the stages it runs into a work folder as a full run does; then the
outputs of every other stage are copied forward, byte for byte, from the year's current run
folder (only a folder the suite wrote, :func:`analysis.run_folders.is_suite_folder`), their
manifest entries are kept as they were (each with its own ``finished_at``, parameters and
input checksums), and the index and workbook are made again from the merged folder before
it is swapped into place.

A stage's outputs (:func:`stage_paths`) are, by the layout every stage notebook follows: its
report ``{stage}.html``, the file ``{folder}/{stage}.*`` and the folder ``{folder}/{stage}/``
in any top-level folder (``notebooks/{stage}.ipynb``, ``headlines/{stage}.json``,
``tables/{stage}/``, ``figures/{stage}/``...). Group packs (``packs/``) are kept when the run
makes none.

Each stage's manifest entry records the checksums of the inputs it read
(:func:`stage_input_checksums`): the files of the ``needs`` of :class:`analysis.stages.Stage`,
plus the survey files every stage reads (every file no stage names in its ``needs``). A kept
stage whose recorded inputs differ from the package's current ones, or that depends on a
stage that ran after it, is marked out of date (:func:`out_of_date`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from analysis.run_folders import is_suite_folder
from analysis.stages import Stage

__all__ = [
    "carry_forward",
    "out_of_date",
    "previous_manifest",
    "stage_input_checksums",
    "stage_paths",
]


def _input_name(path: str) -> str:
    """The input a package file belongs to: ``responses.csv`` -> ``responses``,
    ``codings/researcher.jsonl`` -> ``codings``, ``codebook.yml`` stays ``codebook.yml``."""
    parts = PurePosixPath(path).parts
    if len(parts) > 1 or parts[0].endswith((".yml", ".yaml")):
        return parts[0]
    return parts[0].split(".")[0]


def stage_input_checksums(
    checksums: Mapping[str, str], stage: Stage, registry: Sequence[Stage]
) -> dict[str, str]:
    """The checksums of the package files a stage reads.

    Parameters
    ----------
    checksums
        Every package file's SHA-256 by path relative to the package
        (:meth:`analysis.datapackage.DataPackage.file_checksums`).
    stage
        The stage.
    registry
        Every stage of the run: a file that another stage names in its ``needs`` and this
        one does not is not this stage's input.

    Returns
    -------
    dict
        Path to checksum, sorted by path: the files of the stage's own ``needs`` and every
        file no stage of ``registry`` names (the survey tables, ``dataset.yml``...).

    Examples
    --------
    >>> survey = Stage("survey", "s.ipynb", "Survey")
    >>> comments = Stage("comments", "c.ipynb", "Comments", needs=("comments", "codings"))
    >>> files = {"responses.csv": "a", "comments.csv": "b", "codings/x.jsonl": "c"}
    >>> stage_input_checksums(files, survey, [survey, comments])
    {'responses.csv': 'a'}
    >>> sorted(stage_input_checksums(files, comments, [survey, comments]))
    ['codings/x.jsonl', 'comments.csv', 'responses.csv']
    """
    others = {need for other in registry for need in other.needs} - set(stage.needs)
    return {
        path: checksum
        for path, checksum in sorted(checksums.items())
        if _input_name(path) not in others
    }


def stage_paths(run_dir: Path, stage_name: str) -> list[Path]:
    """A stage's outputs in a run folder (see the module's description), sorted.

    Parameters
    ----------
    run_dir
        The run folder.
    stage_name
        The stage's name (letters, digits and underscores: it cannot climb out of the folder).
    """
    found = [run_dir / f"{stage_name}.html"]
    for folder in sorted(run_dir.iterdir()):
        if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith("."):
            found.extend(folder.glob(f"{stage_name}.*"))
            found.append(folder / stage_name)
    return sorted(path for path in found if path.exists() and not path.is_symlink())


def previous_manifest(run_dir: Path) -> dict[str, Any] | None:
    """The manifest of the year's current run folder, if the suite wrote it and it is readable."""
    if not is_suite_folder(run_dir, "run"):
        return None
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("stages"), list):
        return None
    return manifest


def carry_forward(
    old_dir: Path, work_dir: Path, stage_names: Sequence[str], *, packs: bool
) -> None:
    """Copy the outputs of ``stage_names`` (and ``packs/`` if ``packs``) from the old run folder.

    Files are copied with their bytes and times (:func:`shutil.copy2`); a path the new run
    already wrote is left as the new run wrote it.
    """
    paths = [path for name in stage_names for path in stage_paths(old_dir, name)]
    if packs and (old_dir / "packs").is_dir():
        paths.append(old_dir / "packs")
    for source in paths:
        target = work_dir / source.relative_to(old_dir)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, symlinks=False)
        else:
            shutil.copy2(source, target)


def _moment(iso_time: str) -> datetime:
    return datetime.fromisoformat(iso_time)


def out_of_date(
    entry: Mapping[str, Any],
    current_inputs: Mapping[str, str],
    finished: Mapping[str, str],
    depends_on: Sequence[str],
) -> str:
    """Why a kept stage's report is out of date, or ``""`` when it is not.

    Parameters
    ----------
    entry
        The stage's manifest entry (``input_checksums``, ``finished_at``).
    current_inputs
        The checksums of the stage's inputs in the package now
        (:func:`stage_input_checksums`).
    finished
        Every stage's ``finished_at`` in the merged run.
    depends_on
        The stages whose outputs this one reads.

    Examples
    --------
    >>> entry = {"input_checksums": {"a.csv": "1", "b.csv": "2"},
    ...          "finished_at": "2026-01-01T10:00+00:00"}
    >>> out_of_date(entry, {"a.csv": "1", "b.csv": "3", "c.csv": "4"}, {}, [])
    'its inputs changed since it ran: b.csv, c.csv'
    >>> later = {"survey": "2026-02-01T10:00+00:00"}
    >>> out_of_date(entry, {"a.csv": "1", "b.csv": "2"}, later, ["survey"])
    'survey ran after it'
    """
    recorded = entry.get("input_checksums")
    reasons = []
    if recorded is None:
        reasons.append("its inputs were not recorded when it ran")
    else:
        changed = sorted(
            path
            for path in set(recorded) | set(current_inputs)
            if recorded.get(path) != current_inputs.get(path)
        )
        if changed:
            reasons.append(f"its inputs changed since it ran: {', '.join(changed)}")
    ran_at = entry.get("finished_at")
    later = [
        name
        for name in depends_on
        if ran_at and finished.get(name) and _moment(finished[name]) > _moment(ran_at)
    ]
    if later:
        reasons.append(f"{', '.join(later)} ran after it")
    return "; ".join(reasons)
