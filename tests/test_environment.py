"""The conda environment and the pip project list the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _normalise(requirement: str) -> tuple[str, str]:
    """Split ``'pandas>=2.1'`` into ``('pandas', '>=2.1')`` with PEP 503 name folding."""
    match = REQUIREMENT.match(requirement)
    assert match, requirement
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def test_environment_yml_lists_the_same_packages_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = dict(
        _normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = dict(
        _normalise(d)
        for d in environment["dependencies"]
        if isinstance(d, str) and not d.startswith(("python=", "pip"))
    )
    assert conda_side == pip_side
    assert "python=3.11" in environment["dependencies"]
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section == ["--editable ."]
