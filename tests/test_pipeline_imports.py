"""The pipeline's own process stays light: stage kernels import the statistics libraries.

Reading and validating a data package happens before any stage's kernel can start, so
every second of import there delays the whole run. scipy.stats and scikit-learn alone
took 3-4 s to import on the CI machine. The codebook and the indicator specifications are
part of :mod:`analysis.datapackage`, which imports no stage (see the import contracts in
``pyproject.toml``), so reading a package imports none of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("scipy.stats", "sklearn", "statsmodels", "matplotlib", "seaborn")


def test_reading_a_data_package_imports_no_statistics_library(demo_data: Path) -> None:
    script = (
        "import sys\n"
        "import analysis.pipeline\n"
        "from analysis.datapackage import load_data_package\n"
        f"package = load_data_package({str(demo_data)!r})\n"
        "assert package.codebook is not None and package.indicators is not None\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_stage_packages_define_every_name_they_export() -> None:
    import analysis.comments as comments
    import analysis.indicators as indicators
    import analysis.survey as survey

    for package in (comments, indicators, survey):
        assert [name for name in package.__all__ if not hasattr(package, name)] == []
