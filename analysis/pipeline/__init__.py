"""Running the notebooks and publishing their reports: the only package that imports papermill
and nbconvert.

A run (``python -m analysis run``, :func:`run_pipeline`), in order:

1. Plan (:mod:`~analysis.pipeline.plan`): validate the data package once (a
   :class:`~analysis.problems.DataPackageError` stops the run before any kernel starts),
   resolve the report year once, choose the stages and check every ``-p`` parameter against
   the stage notebooks' ``parameters`` cells.
2. Run each stage (:mod:`~analysis.pipeline.stage`) in a thread: start its kernel, run its
   notebook with papermill (:mod:`~analysis.pipeline.execute`), render it to HTML as soon as
   it finishes (:mod:`~analysis.pipeline.render`). Stages that do not depend on each other run
   side by side; a failing stage does not stop the others, and stages that depend on it are
   skipped.
3. A partial run (``--stages``) copies the other stages' outputs forward from the year's
   current run folder and keeps their manifest entries (:mod:`analysis.partial_runs`). Write
   ``tables.xlsx``, the "Since last year" section and ``proposed_actions.csv``
   (:mod:`analysis.closing_the_loop`), ``manifest.json`` (:mod:`~analysis.pipeline.manifest`)
   and ``index.html`` for the run.
4. Move the finished run into place, ``{out}/{dataset}/{year}/``, and rebuild
   ``{out}/index.html`` (:mod:`~analysis.pipeline.run`).

A private profile (:mod:`analysis.private_profile`) runs and renders its notebook with the
same :func:`~analysis.pipeline.execute.run_notebook` and
:func:`~analysis.pipeline.render.render_notebook`; group packs are stages of a run.

Speed: most of a run is starting Python processes and importing libraries. The pipeline
imports papermill and nbconvert once (the plain command line does both for every notebook,
and here each import costs seconds), renders in its own process, runs independent stages side
by side, and starts each stage's kernel before it needs it: the kernel boots and imports the
modules its notebook imports while this process is still importing papermill and nbconvert.

Threads rather than processes: a stage spends its time waiting on its kernel, which is a
process of its own, so threads give real parallelism without pickling notebooks or paying
for another interpreter; rendering shares one nbconvert exporter behind a lock.
"""

from __future__ import annotations

from analysis.pipeline.execute import KERNEL_NAME
from analysis.pipeline.manifest import PACKAGES_IN_MANIFEST
from analysis.pipeline.plan import (
    RESERVED_PARAMETERS,
    STAGE_INPUTS,
    RunSetupError,
    convert_parameter_value,
    notebook_parameters,
)
from analysis.pipeline.results import RunResult, StageError, StageResult
from analysis.pipeline.run import run_from_command_line, run_pipeline
from analysis.workbook import (
    SUPPRESSED,
    PublishedTableFile,
    excel_sheet_names,
    write_tables_workbook,
)

__all__ = [
    "KERNEL_NAME",
    "PACKAGES_IN_MANIFEST",
    "RESERVED_PARAMETERS",
    "STAGE_INPUTS",
    "SUPPRESSED",
    "PublishedTableFile",
    "RunResult",
    "RunSetupError",
    "StageError",
    "StageResult",
    "convert_parameter_value",
    "excel_sheet_names",
    "notebook_parameters",
    "run_from_command_line",
    "run_pipeline",
    "write_tables_workbook",
]
