"""``python -m tests.run_keeping_audit AUDIT_FILE run ...``: ``python -m analysis run ...``
that also keeps the run's disclosure audit.

The session's demo run (``tests/conftest.py``) is made this way, so that the tests of the
audit read the audit the pipeline itself made of that run (``audit_run(work folder,
package, year=...)`` in :mod:`analysis.pipeline.run`), pickled to ``AUDIT_FILE``, rather
than audit the same run a second time (tens of seconds). Everything else is the command
line's own :func:`analysis.cli.main`.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

from analysis import cli
from analysis.disclosure.audit import AuditResult
from analysis.pipeline import run as pipeline_run


def main(arguments: list[str]) -> int:
    """Run the command line ``arguments[1:]``, keeping each audit it makes in ``arguments[0]``.

    Parameters
    ----------
    arguments
        The file to pickle the audit to, then the arguments of ``python -m analysis``.

    Returns
    -------
    int
        The command line's exit status.
    """
    audit_file = Path(arguments[0])
    audit_run = pipeline_run.audit_run

    def audit_and_keep(*args: Any, **kwargs: Any) -> AuditResult:
        result = audit_run(*args, **kwargs)
        audit_file.write_bytes(pickle.dumps(result))
        return result

    pipeline_run.audit_run = audit_and_keep
    return cli.main(arguments[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
