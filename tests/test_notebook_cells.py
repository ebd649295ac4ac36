"""Notebooks tell the story and hold no logic: small cells, each one call that shows a result.

Issue #11: "markdown, then one call per cell that displays a result. No cell holds more than
about 12 lines, and no cell computes or gates anything." Every code cell of every notebook
under ``notebooks/`` (the private profile too) is read as Python with :mod:`ast`: it must
have at most :data:`MAX_LINES` lines and no function or class definition, loop,
comprehension, ``lambda``, ``if``/``else``, ``try`` or ``with``; that work belongs in the
stage's report module, where it is tested.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").rglob("*.ipynb"))

MAX_LINES = 12
"""The most lines a code cell may hold, blank lines and comments included."""

LOGIC = {
    ast.FunctionDef: "defines a function",
    ast.AsyncFunctionDef: "defines a function",
    ast.ClassDef: "defines a class",
    ast.Lambda: "defines a function (lambda)",
    ast.For: "loops (for)",
    ast.AsyncFor: "loops (for)",
    ast.While: "loops (while)",
    ast.ListComp: "loops (a comprehension)",
    ast.SetComp: "loops (a comprehension)",
    ast.DictComp: "loops (a comprehension)",
    ast.GeneratorExp: "loops (a generator)",
    ast.If: "decides (if)",
    ast.IfExp: "decides (if ... else)",
    ast.Match: "decides (match)",
    ast.Try: "catches errors (try)",
    ast.With: "opens a context (with)",
}
"""What a cell may not do, and how the failure names it."""


def code_cells(path: Path) -> list[tuple[int, str]]:
    """Each code cell's index in the notebook and its source."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (index, "".join(cell["source"]))
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
    ]


def logic_in(source: str) -> list[str]:
    """What a cell's source does that a notebook cell must not (empty: nothing)."""
    tree = ast.parse(source)
    return sorted(
        {
            f"line {node.lineno}: {LOGIC[type(node)]}"
            for node in ast.walk(tree)
            if type(node) in LOGIC
        }
    )


def test_there_are_notebooks_to_check() -> None:
    assert len(NOTEBOOKS) >= 7, NOTEBOOKS  # the six stage notebooks and the private profile


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_has_at_most_twelve_lines(path: Path) -> None:
    long = {
        index: len(source.splitlines())
        for index, source in code_cells(path)
        if len(source.splitlines()) > MAX_LINES
    }
    assert not long, f"{path.name}: cells longer than {MAX_LINES} lines (cell: lines): {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_defines_loops_or_decides(path: Path) -> None:
    found = {index: logic_in(source) for index, source in code_cells(path)}
    found = {index: what for index, what in found.items() if what}
    assert not found, f"{path.name}: logic in cells (move it to the report module): {found}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    return 1", ["line 1: defines a function"]),
        ("class Table:\n    pass", ["line 1: defines a class"]),
        ("for x in y:\n    show(x)", ["line 1: loops (for)"]),
        ("shown = [f(x) for x in y]", ["line 1: loops (a comprehension)"]),
        ("x = 1\nif x:\n    show(x)", ["line 2: decides (if)"]),
        ("report.introduction()", []),
        ("report = open_report(**inputs, detail=detail)\nreport.introduction()", []),
    ],
)
def test_the_check_finds_logic_and_passes_plain_calls(source: str, expected: list[str]) -> None:
    # Hand-written cases: the check is not vacuous, and one call per cell passes it.
    assert logic_in(source) == expected
