"""Read the column tables of the ``docs/*-tables.md`` pages, to check them against a run.

Each published table has a section ``## name.csv`` with a column table whose first cell
names the column(s): ``| `mean_pre`, `mean_post` | ... |``. Placeholders such as
``percent_<report year>`` stand for a column named after a year.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def documented_columns(text: str) -> dict[str, list[str]]:
    """Table file -> its columns, from the ``## name.csv`` sections' column tables.

    A row may name several columns; a column table ends at the next heading, and only its
    first cell names columns.
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
        columns[table] += re.findall(r"`([\w<> ]+)`", line.split("|")[1])
    return columns


def published_columns(run_dir: Path, stage: str) -> dict[str, list[str]]:
    """Table file -> its header, for every CSV a stage wrote in a run."""
    return {
        path.name: path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        for path in sorted((run_dir / "tables" / stage).glob("*.csv"))
    }
