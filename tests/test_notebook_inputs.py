"""How a stage notebook gets its data package: the pipeline's checked file, or ``data_dir``.

The pipeline passes ``validated_package`` and ``validated_package_sha256`` in ``inputs`` (see
docs/architecture.md, "How a stage gets its inputs"); a notebook opened by hand keeps their
defaults (``None``) and reads ``data_dir`` itself. Both paths run the data overview notebook
(the quickest stage) on the small package of ``tests/package_builder.py``.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import nbformat
import pytest
from package_builder import write_package

from analysis.datapackage import file_sha256, load_data_package, save_validated_package
from analysis.pipeline.execute import NotebookFailed, run_notebook

OVERVIEW = Path(__file__).resolve().parent.parent / "notebooks" / "00_data_overview.ipynb"

pytestmark = pytest.mark.slow


def _printed(executed: Path) -> str:
    notebook = nbformat.read(executed, as_version=4)
    return "".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/markdown", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def test_with_the_defaults_the_notebook_reads_data_dir_itself(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "package")
    executed = tmp_path / "overview.ipynb"
    # As in JupyterLab: only the folders differ from the parameters cell's defaults.
    inputs = {"data_dir": str(folder), "year": None, "output_dir": str(tmp_path / "out")}
    run_notebook(OVERVIEW, executed, {"inputs": inputs})
    latest = load_data_package(folder).latest_year
    # The opening sentence, escaped as Markdown (analysis.text_safety.markdown).
    assert rf"Report year {latest}\: survey {latest}\;" in _printed(executed)


def test_a_tampered_validated_package_stops_the_stage_with_a_clear_error(
    tmp_path: Path,
) -> None:
    folder = write_package(tmp_path / "package")
    saved = save_validated_package(load_data_package(folder), tmp_path / "validated")
    recorded = file_sha256(saved)
    saved.write_bytes(pickle.dumps({"not": "the package"}))
    parameters = {
        "inputs": {
            "data_dir": str(folder),
            "year": None,
            "output_dir": str(tmp_path / "out"),
            "validated_package": str(saved),
            "validated_package_sha256": recorded,
        }
    }
    with pytest.raises(NotebookFailed) as raised:
        run_notebook(OVERVIEW, tmp_path / "overview.ipynb", parameters)
    assert raised.value.failure.name == "ValidatedPackageError"
    assert "was changed after it was validated" in raised.value.failure.message
    assert recorded in raised.value.failure.message
