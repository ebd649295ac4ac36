"""A codebook from a plain table (``.csv`` or ``.xlsx``), one row per entry."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.datapackage.codebook.model import (
    FALSE_WORDS,
    LIST_FIELDS,
    TEXT_FIELDS,
    TRUE_WORDS,
    Code,
    Codebook,
    CodebookError,
    raise_if_any,
    resolve_codable,
    slug,
    tree_problems,
)
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_table

__all__ = ["read_codebook_table"]


def read_codebook_table(path: Path | str, columns: Mapping[str, str] | None = None) -> Codebook:
    """Read a codebook from a plain table (``.csv`` or ``.xlsx``), one row per entry.

    Parameters
    ----------
    path
        The table. Columns: ``id`` and ``label`` (required); ``parent`` (the id of the
        entry it sits under) or ``theme`` (the label of its theme: themes are made from the
        distinct labels, with ids made from them, ``Staff attitude`` -> ``staff_attitude``);
        ``definition``, ``when_to_use``, ``when_not_to_use``; ``examples`` (one per line
        within the cell); ``keywords``, ``survey_items`` and ``survey_themes`` (separated
        by semicolons); ``codable``
        (``true``/``false``, blank for the default) and ``colour``. Other columns are
        ignored, so a table of coded comments with a code and a category column can be read
        as its own codebook: rows that repeat an entry exactly are read once.
    columns
        Our column name -> the file's, for files that name them differently, e.g.
        ``{"id": "code", "label": "subcategory", "theme": "label"}``.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Every problem, each naming the row and column: a missing column, a blank id or
        label, an id given two different entries (with both rows), an unknown parent, a
        value of ``codable`` that is not true or false.
    """
    path = Path(path)
    file = path.name
    log = ProblemLog()
    cells = read_table(path, path.read_bytes(), file, log)
    if cells is None:
        raise CodebookError(file, log.problems())
    names = {field: field for field in _TABLE_FIELDS} | dict(columns or {})
    unknown = sorted(set(names) - set(_TABLE_FIELDS))
    if unknown:
        raise ValueError(f"columns maps unknown field(s) {unknown}; fields are {_TABLE_FIELDS}")
    for field in ("id", "label"):
        if names[field] not in cells.columns:
            log.add(file, _missing_column(names[field], field, cells.columns), row=1)
    if names["parent"] in cells.columns and names["theme"] in cells.columns:
        log.add(file, "give either a 'parent' or a 'theme' column, not both", row=1)
    raise_if_any(file, log.problems())

    codes: list[Code] = []
    explicit: list[bool | None] = []
    first_row: list[int] = []
    variants: set[tuple[Code, bool | None]] = set()
    themes: dict[str, str] = {}
    for index, row in _table_rows(cells, names):
        entry, codable = _table_entry(row, index, file, names, log)
        if entry is None:
            continue
        if row.get("theme") and row["theme"] not in themes:
            themes[row["theme"]] = slug(row["theme"]) or "theme"
            codes.append(Code(id=themes[row["theme"]], label=row["theme"], codable=False))
            explicit.append(False)
            first_row.append(index)
        if row.get("theme"):
            entry = dataclasses.replace(entry, parent=themes[row["theme"]])
        if (entry, codable) in variants:
            continue
        variants.add((entry, codable))
        codes.append(entry)
        explicit.append(codable)
        first_row.append(index)
    for position, message in tree_problems(codes):
        row_number = spreadsheet_row(first_row[position])
        message = re.sub(
            r"entry (\d+)",
            lambda match: f"row {spreadsheet_row(first_row[int(match.group(1)) - 1])}",
            message,
        )
        if "is used twice" in message:
            message += "; the two rows describe it differently"
        log.add(file, message, row=row_number, column=names["id"])
    raise_if_any(file, log.problems())
    return Codebook(resolve_codable(codes, explicit))


_TABLE_FIELDS = (
    "id",
    "label",
    "parent",
    "theme",
    *TEXT_FIELDS,
    *LIST_FIELDS,
    "codable",
    "colour",
)


def _missing_column(name: str, field: str, found: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, [str(column) for column in found], n=1)
    hint = f"; is it '{close[0]}'? (pass columns={{'{field}': '{close[0]}'}})" if close else ""
    return f"no column '{name}' (the entries' {field}){hint}"


def _table_rows(cells: pd.DataFrame, names: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    present = {field: name for field, name in names.items() if name in cells.columns}
    frame = cells[list(present.values())].copy()
    frame.columns = list(present)
    text = frame.astype("string").drop_duplicates()  # the first row of each distinct entry
    records = text.to_dict(orient="records")
    return [
        (int(index), {key: value for key, value in record.items() if not pd.isna(value)})
        for index, record in zip(text.index, records, strict=True)
    ]


def _table_entry(
    row: dict[str, str], index: int, file: str, names: dict[str, str], log: ProblemLog
) -> tuple[Code | None, bool | None]:
    number = spreadsheet_row(index)
    for field in ("id", "label"):
        if not row.get(field):
            log.add(file, f"the {field} is blank; every entry needs one", number, names[field])
    if not row.get("id") or not row.get("label"):
        return None, None
    codable_text = row.get("codable", "").lower()
    codable: bool | None = None
    if codable_text in TRUE_WORDS | FALSE_WORDS:
        codable = codable_text in TRUE_WORDS
    elif codable_text:
        log.add(file, f"expected true or false, found {row['codable']!r}", number, names["codable"])
    code = Code(
        id=row["id"],
        label=row["label"],
        parent=row.get("parent"),
        **{field: row.get(field, "") for field in TEXT_FIELDS},
        examples=tuple(
            line.strip() for line in row.get("examples", "").splitlines() if line.strip()
        ),
        **{
            field: tuple(word.strip() for word in row.get(field, "").split(";") if word.strip())
            for field in ("keywords", "survey_items", "survey_themes")
        },
        colour=row.get("colour"),
    )
    return code, codable
