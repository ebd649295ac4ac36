"""Every statistics module documents itself with examples that quote a reference number.

pytest runs the examples themselves (``--doctest-modules`` in ``pyproject.toml``); this test
only makes sure that no module of :mod:`analysis.stats` is left without any, since a module
with no example would pass that run silently.
"""

import doctest
import importlib
import pkgutil

import pytest

import analysis.stats

STATISTICS_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(analysis.stats.__path__, "analysis.stats.")
    if not info.name.rsplit(".", 1)[-1].startswith("_")
)


@pytest.mark.parametrize("name", STATISTICS_MODULES)
def test_statistics_module_has_examples(name: str) -> None:
    module = importlib.import_module(name)
    examples = sum(len(test.examples) for test in doctest.DocTestFinder().find(module))
    assert examples > 0, f"{name} has no docstring examples"
