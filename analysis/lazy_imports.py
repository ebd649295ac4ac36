"""Names a package exports but imports only when first used (PEP 562).

``analysis.comments`` and ``analysis.indicators`` are imported whenever a data package is
read (for ``codebook.yml`` and ``indicators.yml``); some of their modules import
scipy.stats or scikit-learn, seconds of work the pipeline's own process should not do
before the stage kernels can start.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` importing each name from its sub-module on first use.

    Parameters
    ----------
    package
        The package's ``__name__`` (``"analysis.comments"``).
    modules
        Exported name to the sub-module that defines it (``{"code_frequencies":
        "frequencies"}``).

    Returns
    -------
    callable
        To assign to the package's ``__getattr__``. Once imported, a name is kept in the
        package's namespace, so later uses cost nothing.
    """

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
