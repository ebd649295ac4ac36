"""``codebook.yml``: the codebook as the data package writes it, read and written back.

Entries nest through ``codes:``; an entry may also sit at the top level and name its parent
with ``parent: <id>``; a top-level ``{set: <name>, members: [...]}`` is a code set. Every
problem names its line. :func:`codebook_to_yaml` writes a codebook that
:func:`parse_codebook` reads back equal.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from analysis.datapackage.codebook.model import (
    GUID_PATTERN,
    LIST_FIELDS,
    TEXT_FIELDS,
    Code,
    Codebook,
    CodebookError,
    CodeSet,
    brief_repr,
    is_theme,
    line_prefix,
    raise_if_any,
    resolve_codable,
    set_problems,
    tree_problems,
)
from analysis.datapackage.plain_yaml import dump_plain_yaml, read_yaml
from analysis.datapackage.problem_log import ProblemLog

__all__ = ["codebook_to_yaml", "load_codebook", "parse_codebook"]

_YAML_KEYS = ("id", "label", *TEXT_FIELDS, *LIST_FIELDS, "codes", "parent", "codable")
_YAML_KEYS += ("colour", "guid")


def load_codebook(path: Path | str) -> Codebook:
    """Read and check a ``codebook.yml``.

    Parameters
    ----------
    path
        The YAML file: a list of themes, each ``{id, label, definition, codes: [...]}``;
        each code ``{id, label, definition, when_to_use, when_not_to_use, examples,
        keywords}`` and optionally its own ``codes`` (sub-codes), ``parent`` (the id of the
        entry it belongs under, for an entry written at the top level), ``codable``
        (``true``/``false``), ``colour`` (``#RRGGBB``), ``guid``, and ``survey_items`` and
        ``survey_themes`` (lists of the questionnaire's ``item_id`` and ``theme`` values
        the code relates to; :func:`survey_link_problems` checks them). A top-level entry
        ``{set: <name>, members: [<ids>], description, guid}`` is a code set
        (:class:`CodeSet`).

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Listing every problem with its line: YAML syntax, unknown keys, ids that are blank
        or repeated, empty labels, unknown parents, loops, values of the wrong type.
    """
    path = Path(path)
    return parse_codebook(path.read_bytes(), path.name)


def parse_codebook(text: str | bytes, file: str = "codebook.yml") -> Codebook:
    """Check a codebook's YAML text and return the codebook (see :func:`load_codebook`).

    Parameters
    ----------
    text
        The YAML, as text or as the file's bytes (UTF-8).
    file
        The file's name, for problems.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Listing every problem with its line.

    Examples
    --------
    >>> parse_codebook('''
    ... - id: PAY
    ...   label: Pay
    ...   codes:
    ...     - {id: pay_banding, label: Pay and banding}
    ... ''').codable_ids()
    ('pay_banding',)
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    log = ProblemLog()
    parsed = read_yaml(data, file, log)
    if parsed is None:
        raise CodebookError(file, log.problems())
    content, lines = parsed
    if not isinstance(content, list) or not content:
        log.add(
            file,
            "expected a list of themes, each with id, label and codes; found "
            + brief_repr(content),
        )
        raise CodebookError(file, log.problems())
    codes: list[Code] = []
    explicit: list[bool | None] = []
    where: list[int | None] = []
    _read_entries(content, (), None, lines, file, log, codes, explicit, where)
    for position, message in tree_problems(codes):
        log.add(file, line_prefix(where[position]) + _with_lines(message, where))
    sets = _yaml_sets(content, lines, file, log)
    known = {code.id: code for code in codes}
    named: set[str] = set()
    for code_set, line in sets:
        # Each set is checked on its own, so a repeated name is reported here, by its line.
        for message in set_problems([code_set], known):
            log.add(file, line_prefix(line) + message)
        if code_set.name in named:
            log.add(
                file,
                f"{line_prefix(line)}code set {code_set.name!r} is given twice; set names "
                "must be unique",
            )
        named.add(code_set.name)
    raise_if_any(file, log.problems())
    lines = {code.id: line for code, line in zip(codes, where, strict=True) if line}
    return Codebook(
        resolve_codable(codes, explicit), lines, sets=[code_set for code_set, _ in sets]
    )


_SET_KEYS = ("set", "description", "guid", "members")


def _yaml_sets(
    content: list[Any], lines: dict[tuple[str | int, ...], int], file: str, log: ProblemLog
) -> list[tuple[CodeSet, int | None]]:
    """The top-level entries ``{set: name, members: [ids], description, guid}``."""
    sets = []
    for position, entry in enumerate(content):
        if not _is_set_entry(entry):
            continue

        def problem(key: str, message: str, position: int = position) -> None:
            log.add(file, line_prefix(lines.get((position, key), lines.get((position,)))) + message)

        for key in entry:
            if key not in _SET_KEYS:
                close = difflib.get_close_matches(str(key), _SET_KEYS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problem(str(key), f"unknown key '{key}' in a code set{hint}")
        guid = _yaml_text(entry, "guid", problem) or None
        if guid is not None and not GUID_PATTERN.fullmatch(guid):
            problem("guid", f"guid {guid!r} is not a GUID (8-4-4-4-12 hexadecimal digits)")
            guid = None
        code_set = CodeSet(
            name=_yaml_text(entry, "set", problem),
            members=_yaml_list(entry, "members", problem),
            description=_yaml_text(entry, "description", problem),
            guid=guid,
        )
        sets.append((code_set, lines.get((position,))))
    return sets


def _is_set_entry(entry: object) -> bool:
    return isinstance(entry, dict) and "set" in entry


def _read_entries(
    entries: list[Any],
    path: tuple[str | int, ...],
    parent: str | None,
    lines: dict[tuple[str | int, ...], int],
    file: str,
    log: ProblemLog,
    codes: list[Code],
    explicit: list[bool | None],
    where: list[int | None],
) -> None:
    for position, entry in enumerate(entries):
        entry_path = (*path, position)
        line = lines.get(entry_path)
        if not path and _is_set_entry(entry):
            continue  # a code set, read by _yaml_sets
        if not isinstance(entry, dict):
            log.add(
                file,
                f"{line_prefix(line)}expected an entry with 'id' and 'label', found "
                + brief_repr(entry),
            )
            continue
        values = _entry_values(entry, entry_path, parent, lines, file, log)
        codes.append(Code(**values["code"]))
        explicit.append(values["codable"])
        where.append(line)
        children = entry.get("codes", [])
        if isinstance(children, list):
            child_parent = values["code"]["id"] if isinstance(entry.get("id"), str) else None
            path_below = (*entry_path, "codes")
            _read_entries(
                children, path_below, child_parent, lines, file, log, codes, explicit, where
            )
        else:
            line = lines.get((*entry_path, "codes"))
            log.add(
                file,
                f"{line_prefix(line)}'codes' should be a list of entries, found "
                + brief_repr(children),
            )


def _entry_values(
    entry: dict[str, Any],
    path: tuple[str | int, ...],
    nesting_parent: str | None,
    lines: dict[tuple[str | int, ...], int],
    file: str,
    log: ProblemLog,
) -> dict[str, Any]:
    def problem(key: str, message: str) -> None:
        log.add(file, line_prefix(lines.get((*path, key), lines.get(path))) + message)

    for key in entry:
        if key not in _YAML_KEYS:
            close = difflib.get_close_matches(str(key), _YAML_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problem(str(key), f"unknown key '{key}'{hint}")
    code_id = entry.get("id")
    if isinstance(code_id, int | float) and not isinstance(code_id, bool):
        problem(
            "id", f"id {code_id} is a number; put it in quotes ('{code_id}') to keep it as written"
        )
        code_id = str(code_id)
    parent = nesting_parent
    if "parent" in entry:
        stated = entry["parent"]
        if nesting_parent is not None and stated != nesting_parent:
            problem("parent", f"says parent '{stated}' but is listed under '{nesting_parent}'")
        elif not isinstance(stated, str) or not stated.strip():
            problem("parent", f"'parent' should be the id of an entry, found {brief_repr(stated)}")
        else:
            parent = stated.strip()
    code: dict[str, Any] = {
        "id": code_id.strip() if isinstance(code_id, str) else code_id,
        "label": _yaml_text(entry, "label", problem),
        "parent": parent,
    }
    for name in TEXT_FIELDS:
        code[name] = _yaml_text(entry, name, problem)
    for name in LIST_FIELDS:
        code[name] = _yaml_list(entry, name, problem)
    for name in ("colour", "guid"):
        value = _yaml_text(entry, name, problem) or None
        code[name] = value
    if code["guid"] is not None and not GUID_PATTERN.fullmatch(code["guid"]):
        problem("guid", f"guid {code['guid']!r} is not a GUID (8-4-4-4-12 hexadecimal digits)")
    codable = entry.get("codable")
    if codable is not None and not isinstance(codable, bool):
        problem("codable", f"'codable' should be true or false, found {brief_repr(codable)}")
        codable = None
    return {"code": code, "codable": codable}


def _yaml_text(entry: dict[str, Any], key: str, problem: Any) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    problem(key, f"'{key}' should be text, found {brief_repr(value)}")
    return ""


def _yaml_list(entry: dict[str, Any], key: str, problem: Any) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problem(key, f"'{key}' should be a list of text, found {brief_repr(value)}")
        return ()
    return tuple(item.strip() for item in value if item.strip())


def _with_lines(message: str, where: list[int | None]) -> str:
    """Replace 'entry N' (a position) in a tree problem by the entry's line."""
    return re.sub(
        r"entry (\d+)",
        lambda match: f"line {where[int(match.group(1)) - 1]}",
        message,
    )


def codebook_to_yaml(codebook: Codebook) -> str:
    """Write a codebook as ``codebook.yml`` text, nested by ``codes:``.

    Keys that hold their default (empty text, no examples, the default ``codable``) are
    left out, so the file stays short. :func:`parse_codebook` of the result gives back an
    equal codebook.
    """
    parents = {code.parent for code in codebook}

    def entry(code: Code) -> dict[str, Any]:
        values: dict[str, Any] = {"id": code.id, "label": code.label}
        values.update({name: getattr(code, name) for name in TEXT_FIELDS if getattr(code, name)})
        values.update(
            {name: list(getattr(code, name)) for name in LIST_FIELDS if getattr(code, name)}
        )
        if code.codable == is_theme(code, parents):
            values["codable"] = code.codable
        values.update(
            {name: getattr(code, name) for name in ("colour", "guid") if getattr(code, name)}
        )
        children = codebook.children(code.id)
        if children:
            values["codes"] = [entry(child) for child in children]
        return values

    themes = [entry(code) for code in codebook.children(None)]
    for code_set in codebook.sets:
        values: dict[str, Any] = {"set": code_set.name}
        if code_set.description:
            values["description"] = code_set.description
        values["members"] = list(code_set.members)
        if code_set.guid:
            values["guid"] = code_set.guid
        themes.append(values)
    return dump_plain_yaml(themes, sort_keys=False, allow_unicode=True, width=100)
