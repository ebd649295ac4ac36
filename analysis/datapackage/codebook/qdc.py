"""The REFI-QDA codebook exchange format (``.qdc``), read and written.

NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette read and write it. A theme that is only a
container is exported with ``isCodable="false"``; the definition and the other fields go
into ``Description``; each code's GUID is a UUID 5 of its id, so it is the same in every
export. Code sets (``<Sets>``: ATLAS.ti's code groups) are read and written back with their
GUIDs. Exporting then importing gives back the same codebook.

References
----------
REFI-QDA Standard 1.5, section 5 (the codebook exchange format) and its ``Codebook.xsd``,
https://www.qdasoftware.org/.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.datapackage.codebook.model import (
    FALSE_WORDS,
    Code,
    Codebook,
    CodebookError,
    CodeSet,
    code_guid,
    duplicate_labels,
    id_problem,
    raise_if_any,
    set_guid,
    set_problems,
    slug,
    tree_problems,
)
from analysis.problems import Problem

__all__ = [
    "QDC_NAMESPACE",
    "DuplicateLabelWarning",
    "codebook_from_qdc",
    "codebook_to_qdc",
    "read_qdc",
    "write_qdc",
]

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
"""The XML namespace of a REFI-QDA codebook (``.qdc``) file."""

_ORIGIN = "workforce-action-research"


class DuplicateLabelWarning(UserWarning):
    """Two or more codes share a label, which other programs may merge on import.

    QualCoder, for one, identifies codes by name when it imports a codebook, so two
    codes called ``Other`` under different themes become one code there. Export with
    ``qualify_labels=True`` to name them ``Theme / Other`` instead.
    """


def codebook_to_qdc(
    codebook: Codebook, origin: str = _ORIGIN, *, qualify_labels: bool = False
) -> bytes:
    """The codebook as a REFI-QDA codebook (``.qdc``) document.

    Parameters
    ----------
    codebook
        The codebook to export.
    origin
        The ``origin`` attribute: the program that wrote the file.
    qualify_labels
        Name each code whose label another entry shares by its path, ``Access / Other``
        (and, were two paths the same, the id in brackets), so that a program that
        identifies codes by name (QualCoder merges codes of the same name on import)
        keeps them apart. The label itself travels in the ``Label:`` field of the
        description, so reading the file back gives the same codebook. Without it, shared
        labels are exported as they are with a :class:`DuplicateLabelWarning`.

    Returns
    -------
    bytes
        UTF-8 XML in the ``urn:QDA-XML:codebook:1.0`` namespace. Each entry is a ``Code``
        element with ``guid`` (see :attr:`Code.qdc_guid`), ``name`` (the label),
        ``isCodable`` and ``color``; sub-codes nest inside. ``Description`` holds the
        definition, then a blank line and the fields the standard has no place for, one per
        line (``ID:``, ``Label:`` when the name is qualified, ``When to use:``, ``When
        not to use:``, ``Examples:`` as ``- `` items, ``Keywords:``, ``Survey items:``,
        ``Survey themes:``); later lines of a value are indented by two spaces. The code
        sets follow in ``Sets``, each ``Set`` with its ``guid`` (see
        :attr:`CodeSet.qdc_guid`), ``name``, ``Description`` (when it has one) and a
        ``MemberCode`` per code. The same codebook always gives the same bytes.

    Warns
    -----
    DuplicateLabelWarning
        When two entries share a label and ``qualify_labels`` is false.
    """
    names = _qdc_names(codebook, qualify_labels)
    # The namespace is declared as the default on the root, so every element is in it.
    root = ElementTree.Element("CodeBook", {"xmlns": QDC_NAMESPACE, "origin": origin})
    codes_element = ElementTree.SubElement(root, "Codes")

    def add(parent_element: ElementTree.Element, code: Code) -> None:
        attributes = {
            "guid": code.qdc_guid,
            "name": names[code.id],
            "isCodable": "true" if code.codable else "false",
        }
        if code.colour:
            attributes["color"] = code.colour
        element = ElementTree.SubElement(parent_element, "Code", attributes)
        description = _description(code, names[code.id])
        ElementTree.SubElement(element, "Description").text = description
        for child in codebook.children(code.id):
            add(element, child)

    for theme in codebook.children(None):
        add(codes_element, theme)
    if codebook.sets:
        sets_element = ElementTree.SubElement(root, "Sets")
        for code_set in codebook.sets:
            attributes = {"guid": code_set.qdc_guid, "name": code_set.name}
            element = ElementTree.SubElement(sets_element, "Set", attributes)
            if code_set.description:
                ElementTree.SubElement(element, "Description").text = code_set.description
            for member in code_set.members:
                ElementTree.SubElement(element, "MemberCode", {"guid": codebook[member].qdc_guid})
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def write_qdc(
    codebook: Codebook, path: Path | str, origin: str = _ORIGIN, *, qualify_labels: bool = False
) -> Path:
    """Write the codebook to a ``.qdc`` file (see :func:`codebook_to_qdc`) and return its path."""
    path = Path(path)
    path.write_bytes(codebook_to_qdc(codebook, origin, qualify_labels=qualify_labels))
    return path


def _qdc_names(codebook: Codebook, qualify: bool) -> dict[str, str]:
    """Each entry's ``name`` in the export: its label, or its path where labels repeat."""
    names = {code.id: code.label for code in codebook}
    shared = duplicate_labels(codebook)
    if not shared:
        return names
    if not qualify:
        listed = "; ".join(f"{label!r} ({', '.join(ids)})" for label, ids in shared.items())
        warnings.warn(
            DuplicateLabelWarning(
                f"codes share a label, and programs that identify codes by name (QualCoder) "
                f"will merge them on import: {listed}; export with qualify_labels=True to "
                "name them by their path"
            ),
            stacklevel=3,
        )
        return names
    repeated = {code_id for ids in shared.values() for code_id in ids}
    for code_id in repeated:
        path = [codebook[code_id]]
        while path[0].parent is not None:
            path.insert(0, codebook[path[0].parent])
        names[code_id] = " / ".join(code.label for code in path)
    counts = pd.Series([names[code_id].casefold() for code_id in repeated]).value_counts()
    for code_id in repeated:
        if counts[names[code_id].casefold()] > 1:
            names[code_id] += f" ({code_id})"
    return names


def _indented(text: str, prefix: str = "  ") -> str:
    return text.replace("\n", "\n" + prefix)


def _description(code: Code, name: str) -> str:
    footer = [f"ID: {code.id}"]
    if name != code.label:
        footer.append("Label: " + code.label)
    if code.when_to_use:
        footer.append("When to use: " + _indented(code.when_to_use))
    if code.when_not_to_use:
        footer.append("When not to use: " + _indented(code.when_not_to_use))
    if code.examples:
        footer.append("Examples:")
        footer += ["  - " + _indented(example, "    ") for example in code.examples]
    if code.keywords:
        footer.append("Keywords: " + "; ".join(code.keywords))
    if code.survey_items:
        footer.append("Survey items: " + "; ".join(code.survey_items))
    if code.survey_themes:
        footer.append("Survey themes: " + "; ".join(code.survey_themes))
    body = "\n".join(footer)
    return f"{code.definition}\n\n{body}" if code.definition else body


_FOOTER_FIELDS = {
    "ID: ": "id",
    "Label: ": "label",
    "When to use: ": "when_to_use",
    "When not to use: ": "when_not_to_use",
    "Keywords: ": "keywords",
    "Survey items: ": "survey_items",
    "Survey themes: ": "survey_themes",
}


def _split_description(text: str) -> tuple[str, dict[str, Any] | None]:
    """Split a Description into the definition and the fields written by :func:`_description`.

    The fields start at the last ``ID:`` line that begins the text or follows a blank line
    and after which every line is one of the fields; otherwise the whole text is the
    definition (a codebook written by another program).
    """
    starts = [match.start() + 2 for match in re.finditer(r"\n\nID: ", text)]
    if text.startswith("ID: "):
        starts.insert(0, 0)
    for start in reversed(starts):
        fields = _parse_footer(text[start:])
        if fields is not None:
            return text[: max(start - 2, 0)], fields
    return text, None


def _parse_footer(footer: str) -> dict[str, Any] | None:
    fields: dict[str, Any] = {}
    current: str | None = None
    for line in footer.split("\n"):
        header = next((head for head in _FOOTER_FIELDS if line.startswith(head)), None)
        if header is not None and _FOOTER_FIELDS[header] not in fields:
            current = _FOOTER_FIELDS[header]
            fields[current] = line[len(header) :]
        elif line == "Examples:" and "examples" not in fields:
            current, fields["examples"] = "examples", []
        elif current == "examples" and line.startswith("  - "):
            fields["examples"].append(line[4:])
        elif current == "examples" and line.startswith("    ") and fields["examples"]:
            fields["examples"][-1] += "\n" + line[4:]
        elif current in ("when_to_use", "when_not_to_use") and line.startswith("  "):
            fields[current] += "\n" + line[2:]
        else:
            return None
    if not fields.get("id") or id_problem(fields["id"]):
        return None
    fields["examples"] = tuple(fields.get("examples", ()))
    for name in ("keywords", "survey_items", "survey_themes"):
        fields[name] = tuple(fields[name].split("; ")) if name in fields else ()
    return fields


def read_qdc(path: Path | str) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) file; see :func:`codebook_from_qdc`."""
    path = Path(path)
    return codebook_from_qdc(path.read_bytes(), path.name)


def codebook_from_qdc(data: bytes, file: str = "codebook.qdc") -> Codebook:
    """Read a REFI-QDA codebook document, from this suite or another program.

    Parameters
    ----------
    data
        The XML document.
    file
        Its name, for problems.

    Returns
    -------
    Codebook
        ``name`` becomes the label, ``isCodable`` (default ``true``) ``codable``, ``color``
        ``colour``, nesting ``parent``. A ``Description`` written by :func:`codebook_to_qdc`
        gives back the id and every field; any other is the definition, and the id is made
        from the name (``Staff attitude`` -> ``staff_attitude``, with ``_2``, ``_3`` for
        repeats). A GUID that is not :func:`code_guid` of the id is kept in ``guid``, so the
        codebook goes back to its program with the same GUIDs.

    Raises
    ------
    CodebookError
        If the document is not XML, its root is not ``CodeBook``, a ``Code`` lacks its
        name, or the resulting codebook has problems (e.g. repeated ids).
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise CodebookError(
            file, [Problem(file, f"line {line}, column {column + 1}: not valid XML ({error})")]
        ) from None
    if _local(root.tag) != "CodeBook":
        message = f"the root element is <{_local(root.tag)}>; a REFI-QDA codebook has <CodeBook>"
        raise CodebookError(file, [Problem(file, message)])
    codes_element = next((child for child in root if _local(child.tag) == "Codes"), None)
    if codes_element is None:
        raise CodebookError(file, [Problem(file, "<CodeBook> has no <Codes> element")])
    codes: list[Code] = []
    names: list[str] = []
    problems: list[Problem] = []
    _read_qdc_codes(codes_element, None, file, codes, names, problems)
    codes = _ids_for_foreign_codes(codes)
    for position, message in tree_problems(codes):
        problems.append(Problem(file, f"<Code name={names[position]!r}>: {message}"))
    raise_if_any(file, problems)
    sets_element = next((child for child in root if _local(child.tag) == "Sets"), None)
    sets = [] if sets_element is None else _read_qdc_sets(sets_element, codes, file, problems)
    problems += [Problem(file, message) for message in set_problems(sets, {c.id: c for c in codes})]
    raise_if_any(file, problems)
    return Codebook(codes, sets=sets)


def _read_qdc_sets(
    element: ElementTree.Element, codes: list[Code], file: str, problems: list[Problem]
) -> list[CodeSet]:
    """The ``Set`` elements, their ``MemberCode`` GUIDs turned into code ids."""
    by_guid = {code.qdc_guid.strip("{}").lower(): code.id for code in codes}
    sets = []
    for child in element:
        if _local(child.tag) != "Set":
            continue
        name = (child.get("name") or "").strip()
        guid = child.get("guid")
        if not name:
            problems.append(Problem(file, f"a <Set> (guid {guid}) has no name"))
            continue
        description = next((d.text or "" for d in child if _local(d.tag) == "Description"), "")
        members: list[str] = []
        for member in child:
            if _local(member.tag) != "MemberCode":
                continue
            code_id = by_guid.get((member.get("guid") or "").strip("{}").lower())
            if code_id is None:
                problems.append(
                    Problem(
                        file,
                        f"<Set name={name!r}>: <MemberCode guid={member.get('guid')!r}> is not "
                        "the guid of any <Code> in <Codes>",
                    )
                )
            elif code_id not in members:
                members.append(code_id)
        made = guid is not None and guid.strip("{}").lower() == set_guid(name)
        sets.append(
            CodeSet(
                name=name,
                members=tuple(members),
                description=description.strip(),
                guid=None if made or not guid else guid,
            )
        )
    return sets


def _is_made_guid(guid: str, code_id: str | None) -> bool:
    """Whether ``guid`` is :func:`code_guid` of ``code_id`` (any case, braces or not)."""
    return code_id is not None and guid.strip("{}").lower() == code_guid(code_id)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_qdc_codes(
    element: ElementTree.Element,
    parent: str | None,
    file: str,
    codes: list[Code],
    names: list[str],
    problems: list[Problem],
) -> None:
    for child in element:
        if _local(child.tag) != "Code":
            continue
        name = (child.get("name") or "").strip()
        if not name:
            problems.append(Problem(file, f"a <Code> (guid {child.get('guid')}) has no name"))
            continue
        description = next((d.text or "" for d in child if _local(d.tag) == "Description"), "")
        definition, fields = _split_description(description.strip("\n"))
        codable = child.get("isCodable", "true").strip().lower() not in FALSE_WORDS
        guid = child.get("guid")
        values = {"definition": definition.strip()} | (fields or {})
        code_id = values.pop("id", None)
        code = Code(
            id=code_id or "",
            label=values.pop("label", None) or name,
            parent=parent,
            codable=codable,
            colour=child.get("color"),
            guid=guid if guid and not _is_made_guid(guid, code_id) else None,
            **values,
        )
        codes.append(code)
        names.append(name)
        _read_qdc_codes(child, code.id or _pending(len(codes) - 1), file, codes, names, problems)


def _pending(position: int) -> str:
    """A placeholder parent for children of a code whose id is made later."""
    return f"\x00{position}"


def _ids_for_foreign_codes(codes: list[Code]) -> list[Code]:
    """Give codes without an id one made from the label, unique within the codebook."""
    taken = {code.id for code in codes if code.id}
    made: dict[str, str] = {}
    result = []
    for position, code in enumerate(codes):
        if not code.id:
            base = slug(code.label) or "code"
            candidate, number = base, 1
            while candidate in taken:
                number += 1
                candidate = f"{base}_{number}"
            taken.add(candidate)
            made[_pending(position)] = candidate
            code = dataclasses.replace(code, id=candidate)
        result.append(code)
    return [dataclasses.replace(code, parent=made.get(code.parent, code.parent)) for code in result]
