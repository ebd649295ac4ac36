"""Running a notebook on a kernel with papermill: the only place that imports papermill.

A notebook runs on a kernel started beforehand (:func:`start_kernel`), in the notebook's own
folder and with the project first on its ``PYTHONPATH``, so that it imports the same
``analysis`` as the process that started it whether or not the project is installed. The
pipeline starts each stage's kernel before it needs it and has it import its notebook's
modules while this process is still importing papermill and nbconvert
(:meth:`NotebookKernel.start_preloading`, :func:`import_while_kernels_start`).

Papermill is safe in threads as used here: its ``cwd`` option calls :func:`os.chdir`, which
is process-wide, so it is never used (the kernel is started in the notebook's folder
instead), and each thread runs its kernel's asyncio loop (jupyter_core's ``run_sync`` keeps
one loop per thread; a kernel is started, used and shut down in the same thread).
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client import AsyncKernelManager
from jupyter_client.session import Session
from jupyter_core.utils import run_sync

from analysis.pipeline.plan import PROJECT_ROOT, _read_parameters
from analysis.pipeline.render import prepare_exporter

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "KERNEL_NAME",
    "CellFailure",
    "NotebookFailed",
    "NotebookKernel",
    "execute_notebook",
    "import_while_kernels_start",
    "run_notebook",
    "start_kernel",
]

KERNEL_NAME = "python3"
"""Committed notebooks have their metadata stripped, so the kernel is named explicitly."""

# ipykernel warns on stderr, for every kernel, that its local TCP sockets are not encrypted;
# only its errors are worth a user's attention (cells' errors come through the protocol).
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
_KERNEL_START_SECONDS = 60

# Sent to a stage's kernel as soon as it starts, silently (no output, no execution count):
# the modules its notebook imports, imported while the pipeline itself is still importing
# papermill and nbconvert. An import that fails here fails again, visibly, in its cell.
_PRELOAD = """\
def _pipeline_preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_pipeline_preload({names!r})
del _pipeline_preload
"""


@dataclass(frozen=True)
class CellFailure:
    """A cell that raised while papermill ran its notebook.

    Parameters
    ----------
    name
        The exception's type (``KeyError``).
    message
        The exception's message.
    cell
        The cell's number in the notebook as written (1 = first cell; papermill's injected
        parameters cell is not counted).
    execution_count
        The ``In [n]`` number the cell ran with.
    """

    name: str
    message: str
    cell: int
    execution_count: int | None


class NotebookFailed(RuntimeError):
    """A cell of a notebook run by :func:`run_notebook` raised (see :attr:`failure`)."""

    def __init__(self, notebook: Path, failure: CellFailure) -> None:
        super().__init__(f"{notebook.name}, cell {failure.cell}: {failure.name}: {failure.message}")
        self.failure = failure


class NotebookKernel(AsyncKernelManager):
    """A kernel, started before papermill runs a notebook on it.

    It remembers every client connected to it, so that :meth:`close` can stop them along
    with the kernel: papermill leaves the client of a kernel it did not start running.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.connected_clients: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A client of this kernel (as the base class), remembered for :meth:`close`."""
        connected = super().client(**kwargs)
        self.connected_clients.append(connected)
        return connected

    def start_preloading(self, modules: Sequence[str]) -> Callable[[], None]:
        """Have the kernel import ``modules`` now, silently; return a function that waits.

        The preloading client has a session of its own: a kernel routes replies by the
        client's session, and papermill's client uses the manager's.
        """
        preloader = self.client(
            session=Session(key=self.session.key, signature_scheme=self.session.signature_scheme)
        )
        preloader.start_channels()
        request = preloader.execute(
            _PRELOAD.format(names=list(modules)), silent=True, store_history=False
        )

        async def reply() -> None:
            deadline = time.monotonic() + _KERNEL_START_SECONDS
            while (remaining := deadline - time.monotonic()) > 0:
                message = await preloader.get_shell_msg(timeout=remaining)
                if message["parent_header"].get("msg_id") == request:
                    break

        def wait() -> None:
            try:
                run_sync(reply)()
            except queue.Empty:
                pass  # a kernel that never answers fails visibly when papermill starts
            finally:
                preloader.stop_channels()
                self.connected_clients.remove(preloader)

        return wait

    def ask_to_stop(self) -> None:
        """Stop every client and ask the kernel to shut down, without waiting for it."""
        for connected in self.connected_clients:
            connected.stop_channels()
        self.connected_clients.clear()
        if self.has_kernel and not self.shutting_down:
            self.shutting_down = True
            run_sync(self.request_shutdown)()

    def close(self) -> None:
        """Stop the kernel: wait for it to exit (killing it after a while), then clean up."""
        self.ask_to_stop()
        if self.has_kernel:
            run_sync(self.finish_shutdown)()
        run_sync(self.cleanup_resources)()


def start_kernel(notebook_dir: Path, env: Mapping[str, str] | None = None) -> NotebookKernel:
    """Start a kernel in the notebook's folder.

    Parameters
    ----------
    notebook_dir
        The notebook's folder, the kernel's working folder (the notebook's relative paths
        resolve from there, as in JupyterLab).
    env
        Environment variables for the kernel besides this process's own.

    Returns
    -------
    NotebookKernel
        The started kernel; :meth:`NotebookKernel.close` stops it.
    """
    manager = NotebookKernel(kernel_name=KERNEL_NAME)
    python_path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    run_sync(manager.start_kernel)(
        cwd=str(notebook_dir),
        env={**os.environ, "PYTHONPATH": python_path, **(env or {})},
        extra_arguments=_KERNEL_ARGUMENTS,
    )
    return manager


def import_while_kernels_start() -> None:
    """Import what the rest of the run needs: seconds of work, done while a kernel boots.

    The first stage's thread pays for the imports; the others find them done (Python's
    import lock makes them wait rather than import twice).
    """
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    prepare_exporter()


def _failing_cell(cell_index: int, parameters_cell: int) -> int:
    """The failing cell's number in the notebook as written (papermill inserted one cell)."""
    injected_at = parameters_cell + 1
    return cell_index + 1 if cell_index < injected_at else cell_index


def execute_notebook(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    kernel: NotebookKernel,
    parameters_cell: int,
) -> tuple[nbformat.NotebookNode, CellFailure | None]:
    """Run a notebook with papermill on a started kernel.

    Parameters
    ----------
    notebook
        The notebook to run (it is not modified).
    executed
        Where the executed notebook is written, whether or not a cell fails.
    parameters
        The parameters papermill injects after the cell tagged ``parameters``.
    kernel
        From :func:`start_kernel`, in the notebook's folder.
    parameters_cell
        The index of the notebook's ``parameters`` cell, to number a failing cell as the
        author sees it.

    Returns
    -------
    (nbformat.NotebookNode, CellFailure or None)
        The executed notebook, and the cell that raised, if one did (the cells after it
        did not run).
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        ran = papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=dict(parameters),
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            request_save_on_cell_execute=False,
            km=kernel,
        )
        return ran, None
    except PapermillExecutionError as failure:
        return nbformat.read(executed, as_version=4), CellFailure(
            name=failure.ename,
            message=str(failure.evalue),
            cell=_failing_cell(failure.cell_index, parameters_cell),
            execution_count=failure.exec_count,
        )


def run_notebook(
    notebook: Path, executed: Path, parameters: Mapping[str, Any]
) -> nbformat.NotebookNode:
    """Start a kernel for one notebook, run the notebook on it, stop the kernel.

    For a notebook run on its own, such as a private profile
    (:mod:`analysis.private_profile`); the pipeline's stages use :func:`start_kernel` and
    :func:`execute_notebook`, to start kernels early and run them side by side.

    Parameters
    ----------
    notebook, executed, parameters
        As :func:`execute_notebook`.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    NotebookFailed
        A cell raised; the executed notebook, as far as it ran, is at ``executed``.
    analysis.pipeline.RunSetupError
        The notebook is missing or has no single cell tagged ``parameters``.
    """
    parameters_cell = _read_parameters(notebook).cell_index
    kernel = start_kernel(notebook.parent)
    try:
        ran, failure = execute_notebook(notebook, executed, parameters, kernel, parameters_cell)
    finally:
        kernel.close()
    if failure is not None:
        raise NotebookFailed(notebook, failure)
    return ran
