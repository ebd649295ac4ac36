"""A notebook run on its own (as a private profile is) goes through the pipeline's runner.

``analysis.pipeline.execute.run_notebook`` starts a kernel, runs the notebook with papermill
and stops the kernel; a failing cell is reported by its number in the notebook as written,
the same number a stage's failure gets (tests/test_pipeline.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.execute import CellFailure, NotebookFailed, run_notebook

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


@pytest.mark.slow
def test_a_failing_cell_stops_the_notebook_and_is_named_as_written(tmp_path: Path) -> None:
    executed = tmp_path / "failing.ipynb"
    parameters = {"inputs": {"data_dir": str(tmp_path), "year": 2008, "output_dir": str(tmp_path)}}
    with pytest.raises(NotebookFailed) as raised:
        run_notebook(NOTEBOOKS / "failing.ipynb", executed, parameters)
    # failing.ipynb: a markdown cell, the parameters cell, a print, then (the fourth cell as
    # written) the raise. Executed in order: parameters, injected parameters, print, raise,
    # so the raise has execution count 4.
    assert raised.value.failure == CellFailure(
        name="ValueError", message="planted failure for the tests", cell=4, execution_count=4
    )
    assert str(raised.value) == ("failing.ipynb, cell 4: ValueError: planted failure for the tests")
    ran = nbformat.read(executed, as_version=4)
    outputs = [output.get("text", "") for cell in ran.cells for output in cell.get("outputs", [])]
    assert "the third cell runs\n" in outputs and "never reached\n" not in outputs
