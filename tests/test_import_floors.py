"""The package's floors hold: import-linter's contracts in ``pyproject.toml`` are kept.

The contracts (``[tool.importlinter]``) say that each floor imports only from the floors
below it (the run, the stages, the shared services, the data package, the foundations), that
no stage imports another, that only ``analysis.pipeline`` imports papermill or nbconvert, and
that no report-making module imports the demo generator (docs/architecture.md). ``lint-imports``
checks them from the command line; this test runs the same check, and shows on a copy of the
package that each kind of forbidden import breaks its contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"

# Run in a fresh interpreter whose first path entry is the package to check: import-linter
# finds the package by importing it, and must see this checkout's (or the copy's) files.
_LINT = """
import sys
sys.path.insert(0, sys.argv[1])
from importlinter.cli import lint_imports
sys.exit(lint_imports(config_filenames=(sys.argv[2],), no_cache=True, no_logo=True))
"""


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _LINT, str(source_root), str(CONFIG)],
        capture_output=True,
        text=True,
        cwd=source_root,
        check=False,
    )


def test_every_import_contract_is_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_only_the_pipeline_package_may_import_papermill_or_nbconvert() -> None:
    # The "kernels" contract lists its source modules one by one (a forbidden contract
    # cannot say "all but one"): it must name every module of analysis but the pipeline.
    contracts = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (kernels,) = [c for c in contracts["contracts"] if c["id"] == "kernels"]
    top_level = {
        f"analysis.{path.stem}"
        for path in (ROOT / "analysis").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert "analysis.pipeline" in top_level and "analysis.cli" in top_level
    assert set(kernels["source_modules"]) == top_level - {"analysis.pipeline"}
    assert {"papermill", "nbconvert"} <= set(kernels["forbidden_modules"])


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # The data package reading a stage, as it once did for the codebook (this also
        # links the stages to each other through the data package).
        ("datapackage/groups.py", "import analysis.comments.agreement", "Floors"),
        # One stage reading another's module.
        ("comments/quotes.py", "import analysis.survey.changes", "never imports another"),
        # A stage starting kernels itself.
        ("evaluation/verdicts.py", "import papermill", "papermill or nbconvert"),
        # A run-floor module running a notebook its own way, beside the pipeline's.
        ("private_profile.py", "import papermill", "papermill or nbconvert"),
        # Reports computed from the generator's planted effects rather than from the data.
        ("survey/changes.py", "import demo_generator.effects", "not for reports"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copytree(
        ROOT / "analysis", tmp_path / "analysis", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "analysis" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [row for row in result.stdout.splitlines() if row.rstrip().endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout
