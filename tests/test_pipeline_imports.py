"""The pipeline's own process stays light: stage kernels import the statistics libraries.

Reading and validating a data package happens before any stage's kernel can start, so
every second of import there delays the whole run. scipy.stats and scikit-learn alone
took 3-4 s to import on the CI machine; the packages that read ``codebook.yml`` and
``indicators.yml`` (``analysis.comments``, ``analysis.indicators``) import them lazily.
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


def test_lazy_names_are_the_same_objects_as_in_their_modules() -> None:
    import analysis.comments as comments
    import analysis.indicators as indicators
    from analysis.comments import frequencies, suggest_model
    from analysis.indicators import composite, quality

    assert comments.code_frequencies is frequencies.code_frequencies
    assert comments.MODEL_CODER == suggest_model.MODEL_CODER
    assert indicators.composite_index is composite.composite_index
    assert indicators.indicator_quality is quality.indicator_quality
    assert set(comments.__all__) <= set(dir(comments)) | set(comments._LAZY_NAMES)
