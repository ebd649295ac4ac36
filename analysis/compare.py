"""Comparing two runs: every published number that changed, and why it might have.

A supervisor reviewing this year's reports, or a researcher who changed a parameter and ran
a stage again, asks the same question: *what changed since the last run?*
:func:`compare_runs` answers it from two run folders (``reports/<dataset>/<year>/``) using
only what the runs published: the CSV tables (so it sees exactly what the disclosure gate
let through, never a hidden figure) and the two ``manifest.json`` files (inputs and their
checksums, parameters, package versions, the code's git commit).

Rows of a table are matched on their key columns, every column that is not a published
figure: a table's JSON side file names its ``count`` and ``values``; for a table that does
not name them, every numeric column is a figure. A figure that differs gives one row of
:attr:`RunComparison.differences`; a row present in one run only gives one row with
``change`` ``"added"`` or ``"removed"``.

The command line is ``python -m analysis compare OLD_RUN NEW_RUN [--out DIR]``; it writes
``comparison.html`` (a short summary first, then every difference) and ``differences.csv``
(columns ``table, key, column, old, new, change``).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.publishing import SUPPRESSED_SYMBOL, write_atomically

__all__ = [
    "DIFFERENCE_COLUMNS",
    "RunComparison",
    "compare_runs",
    "compare_from_command_line",
    "write_comparison",
]

DIFFERENCE_COLUMNS = ("table", "key", "column", "old", "new", "change")
"""The columns of ``differences.csv``, in order."""

_GATE_COLUMNS = ("suppressed", "suppression")
_RELATIVE_TOLERANCE = 1e-9
"""Figures equal to this relative precision are the same figure written twice."""


@dataclass(frozen=True)
class RunComparison:
    """What changed between two runs.

    Attributes
    ----------
    old_run, new_run
        The two run folders compared.
    differences
        One row per published figure that changed, or row that appeared or disappeared:
        ``table`` (``stage/name``), ``key`` (the row's key columns as ``column=value``
        pairs), ``column``, ``old``, ``new`` and ``change`` (new minus old for numbers,
        ``"changed"`` for text, ``"added"``/``"removed"`` for a row present in one run
        only, ``"suppressed"``/``"shown"`` for a figure the gate hid in one run only).
    tables_added, tables_removed
        Tables published by one run only.
    manifest_differences
        One row per difference of the manifests: ``section`` (``inputs``, ``parameters``,
        ``packages``, ``code`` or ``run``), ``name``, ``old``, ``new``.
    """

    old_run: Path
    new_run: Path
    differences: pd.DataFrame
    tables_added: tuple[str, ...]
    tables_removed: tuple[str, ...]
    manifest_differences: pd.DataFrame

    def summary(self) -> str:
        """The comparison in one sentence, as the HTML page opens.

        Examples
        --------
        >>> empty = pd.DataFrame(columns=list(DIFFERENCE_COLUMNS))
        >>> manifests = pd.DataFrame(
        ...     [
        ...         ["inputs", "responses.csv", "ab12", "cd34"],
        ...         ["parameters", "adjust", "holm", "none"],
        ...     ],
        ...     columns=["section", "name", "old", "new"],
        ... )
        >>> print(RunComparison(Path("a"), Path("b"), empty, (), (), manifests).summary())
        No published number changed; inputs: responses.csv changed; parameters: adjust holm → none.
        """
        changed = self.differences[~self.differences["change"].isin(["added", "removed"])]
        tables = self.differences["table"].nunique()
        parts = []
        if len(changed):
            numbers = "number" if len(changed) == 1 else "numbers"
            parts.append(
                f"{len(changed)} {numbers} changed in {changed['table'].nunique()} "
                f"table{'s' if changed['table'].nunique() != 1 else ''}"
            )
        else:
            parts.append("No published number changed")
        rows = self.differences["change"].isin(["added", "removed"]).sum()
        if rows:
            parts[-1] += f" ({rows} row{'s' if rows != 1 else ''} added or removed"
            parts[-1] += f" in {tables} table{'s' if tables != 1 else ''})"
        if self.tables_added or self.tables_removed:
            parts.append(
                f"tables: {len(self.tables_added)} added, {len(self.tables_removed)} removed"
            )
        for section, rows_of_section in self.manifest_differences.groupby("section", sort=False):
            described = [_describe_manifest_change(row) for row in rows_of_section.itertuples()]
            parts.append(f"{section}: {', '.join(described)}")
        return "; ".join(parts) + "."


def _describe_manifest_change(row: Any) -> str:
    if row.section == "inputs":
        if row.old is None:
            return f"{row.name} added"
        if row.new is None:
            return f"{row.name} removed"
        return f"{row.name} changed"
    return f"{row.name} {row.old} → {row.new}"


def _read_manifest(run: Path) -> dict[str, Any]:
    path = run / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"{run} is not a run folder: it has no manifest.json (expected a folder such as "
            "reports/<dataset>/<year>/ written by python -m analysis run)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _published_tables(run: Path) -> dict[str, Path]:
    """The run's published CSV tables, by ``stage/name``."""
    return {
        f"{csv.parent.name}/{csv.stem}": csv for csv in sorted((run / "tables").glob("*/*.csv"))
    }


def _figure_columns(csv: Path, table: pd.DataFrame) -> list[str]:
    """The published figures of a table: its count and values, else its numeric columns."""
    side = csv.with_suffix(".json")
    described: Mapping[str, Any] = {}
    if side.is_file():
        described = json.loads(side.read_text(encoding="utf-8"))
    named = [described.get("count"), *described.get("values", [])]
    figures = [column for column in named if column in table.columns]
    if figures:
        return figures
    numeric = table.apply(lambda column: pd.to_numeric(column, errors="coerce").notna().any())
    return [column for column in table.columns if numeric[column] and column not in _GATE_COLUMNS]


def _read_table(csv: Path) -> pd.DataFrame:
    return pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _keyed(table: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Index ``table`` by its key columns, numbering rows that share a key."""
    keyed = table.copy()
    if keys:
        keyed["_key"] = [
            "; ".join(f"{column}={value}" for column, value in zip(keys, row, strict=True))
            for row in keyed[list(keys)].itertuples(index=False)
        ]
    else:
        keyed["_key"] = ""
    repeat = keyed.groupby("_key").cumcount()
    keyed["_key"] = keyed["_key"].where(repeat == 0, keyed["_key"] + "; row=" + repeat.astype(str))
    return keyed.set_index("_key")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _hidden(text: str) -> bool:
    return text in ("", SUPPRESSED_SYMBOL)


def _change(old: str, new: str) -> str | float | None:
    """How a published figure changed, or ``None`` if it did not."""
    if old == new:
        return None
    if _hidden(old) != _hidden(new):
        return "shown" if _hidden(old) else "suppressed"
    old_number, new_number = _number(old), _number(new)
    if old_number is not None and new_number is not None:
        if math.isclose(old_number, new_number, rel_tol=_RELATIVE_TOLERANCE, abs_tol=0.0):
            return None
        return round(new_number - old_number, max(_decimals(old), _decimals(new)))
    return "changed"


def _decimals(text: str) -> int:
    """How many decimals a published number shows (``"0.095"``: 3), so that a change is
    given to the figures' own precision rather than with floating-point noise."""
    mantissa = text.strip().lower().split("e")[0]
    return len(mantissa.partition(".")[2])


def _table_differences(name: str, old_csv: Path, new_csv: Path) -> list[tuple[Any, ...]]:
    old_table, new_table = _read_table(old_csv), _read_table(new_csv)
    figures = [
        column
        for column in dict.fromkeys(
            _figure_columns(old_csv, old_table) + _figure_columns(new_csv, new_table)
        )
        if column in old_table.columns or column in new_table.columns
    ]
    shared = [column for column in old_table.columns if column in new_table.columns]
    keys = [column for column in shared if column not in figures and column not in _GATE_COLUMNS]
    old_rows, new_rows = _keyed(old_table, keys), _keyed(new_table, keys)
    found: list[tuple[Any, ...]] = []
    for key in old_rows.index.difference(new_rows.index, sort=False):
        found.append((name, key, "", "", "", "removed"))
    for key in new_rows.index.difference(old_rows.index, sort=False):
        found.append((name, key, "", "", "", "added"))
    both = old_rows.index.intersection(new_rows.index, sort=False)
    for column in figures:
        old_values = old_rows[column] if column in old_rows else pd.Series("", index=old_rows.index)
        new_values = new_rows[column] if column in new_rows else pd.Series("", index=new_rows.index)
        for key in both:
            change = _change(old_values.at[key], new_values.at[key])
            if change is not None:
                found.append((name, key, column, old_values.at[key], new_values.at[key], change))
    return found


def _manifest_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> pd.DataFrame:
    rows: list[tuple[str, str, Any, Any]] = []

    def differ(section: str, old_part: Mapping[str, Any], new_part: Mapping[str, Any]) -> None:
        for name in sorted(set(old_part) | set(new_part)):
            before, after = old_part.get(name), new_part.get(name)
            if before != after:
                rows.append((section, name, before, after))

    differ("inputs", old.get("input_files", {}), new.get("input_files", {}))
    differ("parameters", old.get("parameters", {}), new.get("parameters", {}))
    differ("packages", old.get("packages", {}), new.get("packages", {}))
    differ("code", old.get("git", {}), new.get("git", {}))
    run_facts = ("dataset", "organisation", "year", "minimum_group_size", "status")
    differ(
        "run",
        {fact: old.get(fact) for fact in run_facts},
        {fact: new.get(fact) for fact in run_facts},
    )
    return pd.DataFrame(rows, columns=["section", "name", "old", "new"])


def compare_runs(old_run: Path | str, new_run: Path | str) -> RunComparison:
    """Compare two run folders' published tables and manifests.

    Parameters
    ----------
    old_run, new_run
        Run folders (``reports/<dataset>/<year>/``), each with its ``manifest.json``.

    Returns
    -------
    RunComparison
        The published figures that changed, rows and tables that appeared or disappeared,
        and the differences of the manifests.

    Raises
    ------
    FileNotFoundError
        If a folder is not a run folder (no ``manifest.json``).

    Notes
    -----
    Only published files are read, so a figure the disclosure gate hid shows as hidden in
    the comparison too (``change`` ``"suppressed"`` where the gate hid a figure that the
    other run showed). Numbers are compared as published; two numbers within a relative
    difference of 1e-9 are the same figure.
    """
    old_run, new_run = Path(old_run).resolve(), Path(new_run).resolve()
    old_manifest, new_manifest = _read_manifest(old_run), _read_manifest(new_run)
    old_tables, new_tables = _published_tables(old_run), _published_tables(new_run)
    found: list[tuple[Any, ...]] = []
    for name in sorted(set(old_tables) & set(new_tables)):
        found.extend(_table_differences(name, old_tables[name], new_tables[name]))
    differences = pd.DataFrame(found, columns=list(DIFFERENCE_COLUMNS))
    return RunComparison(
        old_run=old_run,
        new_run=new_run,
        differences=differences,
        tables_added=tuple(sorted(set(new_tables) - set(old_tables))),
        tables_removed=tuple(sorted(set(old_tables) - set(new_tables))),
        manifest_differences=_manifest_differences(old_manifest, new_manifest),
    )


def _html_table(frame: pd.DataFrame, caption: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(caption)}: none.</p>"
    header = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_shown(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, float):
        return f"{value:+.6g}"
    return str(value)


def comparison_html(comparison: RunComparison) -> str:
    """The comparison as a self-contained HTML page (every text escaped)."""
    by_table = (
        comparison.differences.groupby("table", sort=True)
        .size()
        .rename("differences")
        .reset_index()
    )
    tables = [
        ("Tables published by the new run only", comparison.tables_added),
        ("Tables published by the old run only", comparison.tables_removed),
    ]
    table_lists = "".join(
        f"<h2>{html.escape(title)}</h2><ul>"
        + "".join(f"<li>{html.escape(name)}</li>" for name in names)
        + "</ul>"
        for title, names in tables
        if names
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Comparison of two runs</title>"
        "<style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto}"
        "td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}"
        "caption{text-align:left;font-weight:bold}</style></head><body>"
        "<h1>Comparison of two runs</h1>"
        f"<p><strong>{html.escape(comparison.summary())}</strong></p>"
        f"<p>Old run: {html.escape(comparison.old_run.name)} "
        f"({html.escape(str(comparison.old_run.parent.name))}); new run: "
        f"{html.escape(comparison.new_run.name)} "
        f"({html.escape(str(comparison.new_run.parent.name))}). Only published figures are "
        "compared: a figure hidden by the disclosure gate stays hidden here.</p>"
        "<h2>What the runs were made from</h2>"
        + _html_table(comparison.manifest_differences, "Differences of the manifests")
        + table_lists
        + "<h2>Published figures that changed</h2>"
        + _html_table(by_table, "Differences per table")
        + _html_table(comparison.differences, "Every difference")
        + "</body></html>"
    )


def write_comparison(comparison: RunComparison, out_dir: Path | str) -> tuple[Path, Path]:
    """Write ``comparison.html`` and ``differences.csv`` into ``out_dir``, atomically.

    Returns
    -------
    tuple of pathlib.Path
        The HTML page and the CSV file.
    """
    out_dir = Path(out_dir).resolve()
    for run in (comparison.old_run, comparison.new_run):
        if out_dir == run or run in out_dir.parents:
            raise ValueError(
                f"--out {out_dir} is inside the run folder {run}: a run folder holds only what "
                "its run wrote; choose another folder"
            )
    page = write_atomically(out_dir / "comparison.html", comparison_html(comparison).encode())
    table = comparison.differences.astype(object).map(
        lambda value: value if not isinstance(value, str) else _neutralised(value)
    )
    csv = write_atomically(
        out_dir / "differences.csv", table.to_csv(index=False).encode("utf-8-sig")
    )
    return page, csv


def _neutralised(text: str) -> str:
    """A text cell that a spreadsheet will not take for a formula (OWASP CSV injection)."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and _number(text) is None:
        return "'" + text
    return text


def compare_from_command_line(old_run: Path, new_run: Path, out_dir: Path) -> int:
    """``python -m analysis compare``: write the comparison and print its summary."""
    comparison = compare_runs(old_run, new_run)
    page, csv = write_comparison(comparison, out_dir)
    print(comparison.summary())
    print(f"Wrote {page} and {csv}")
    return 0
