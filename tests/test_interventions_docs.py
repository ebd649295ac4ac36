"""docs/interventions-tables.md documents every table the interventions stage publishes,
with exactly its columns, in order."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "interventions-tables.md"


def documented_columns(text: str) -> dict[str, list[str]]:
    """Table file -> its columns, from the ``## name.csv`` sections' column tables.

    A row may name several columns (``| `mean_pre`, `mean_post` | ...``); the column
    table ends at the next heading.
    """
    columns: dict[str, list[str]] = {}
    table = None
    for line in text.splitlines():
        if line.startswith("#"):
            heading = re.match(r"## (\w+\.csv)$", line)
            table = heading.group(1) if heading else None
            if table:
                columns[table] = []
            continue
        if table is None or not line.startswith("| ") or line.startswith(("| column", "| ---")):
            continue
        columns[table] += re.findall(r"`(\w+)`", line.split("|")[1])
    return columns


def published_columns(run_dir: Path) -> dict[str, list[str]]:
    """Table file -> its header, for every CSV the interventions stage wrote in a run."""
    folder = run_dir / "tables" / "interventions"
    return {
        path.name: path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        for path in sorted(folder.glob("*.csv"))
    }


def test_the_parser_reads_rows_naming_several_columns():
    text = "## a.csv\n\n| column | meaning |\n| --- | --- |\n| `x`, `y` | both |\n"
    text += "| `z` | one, not `q` |\n## Other\n| `w` | not a table |\n"
    assert documented_columns(text) == {"a.csv": ["x", "y", "z"]}


def test_every_published_table_is_documented_with_its_columns(demo_run):
    documented = documented_columns(DOCS.read_text(encoding="utf-8"))
    published = published_columns(demo_run)
    assert set(published) == set(documented)
    for name, header in published.items():
        assert header == documented[name], name
