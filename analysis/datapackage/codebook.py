"""The qualitative codebook: themes containing codes, read, checked and exchanged.

A codebook is a tree. Its top-level entries are *themes*; below them are *codes*, and codes
may hold sub-codes to any depth. *Code sets* (:class:`CodeSet`) group codes from anywhere
in the tree under a name. Every entry has a stable ``id`` (what codings refer to), a
``label`` (what coders see), and optionally a ``definition``, ``when_to_use``,
``when_not_to_use``, ``examples``, ``keywords`` (hints for machine-assisted coding), and
``survey_items`` and ``survey_themes``: the questionnaire's items (``item_id``) and themes
that the code speaks to, the link from what staff wrote to how they answered (checked
against the questionnaire when the data package is loaded, :func:`survey_link_problems`).

Three ways in and out:

- ``codebook.yml`` in the data package (:func:`load_codebook`, :func:`parse_codebook`,
  :func:`codebook_to_yaml`). Entries nest through ``codes:``; an entry may also sit at the
  top level and name its parent with ``parent: <id>``. Every problem names its line.
- The REFI-QDA codebook exchange format, ``.qdc`` (:func:`write_qdc`, :func:`read_qdc`),
  read and written by NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette. A theme that is only
  a container is exported with ``isCodable="false"``; the definition and the other fields
  go into ``Description``; each code's GUID is a UUID 5 of its id, so it is the same in
  every export. Code sets (``<Sets>``: ATLAS.ti's code groups) are read and written back
  with their GUIDs. Exporting then importing gives back the same codebook.
- A plain table, ``.csv`` or ``.xlsx``, one row per entry (:func:`read_codebook_table`).

Which entries can be applied to a comment: a theme (a top-level entry with codes below it)
is a container and cannot, unless it says ``codable: true``; every other entry can, unless
it says ``codable: false``.

References
----------
REFI-QDA Standard 1.5, section 5 (the codebook exchange format) and its ``Codebook.xsd``,
https://www.qdasoftware.org/. MacQueen, McLellan, Kay and Milstein (1998), "Codebook
development for team-based qualitative analysis", *Cultural Anthropology Methods* 10(2),
for the fields of a code (definition, when to use, when not to use, examples).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import uuid
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.datapackage.limits import MAX_LABEL_CHARACTERS
from analysis.datapackage.plain_yaml import dump_plain_yaml, read_yaml
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_table
from analysis.problems import Problem

__all__ = [
    "QDC_NAMESPACE",
    "CODE_GUID_NAMESPACE",
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookError",
    "DuplicateLabelWarning",
    "duplicate_labels",
    "code_guid",
    "set_guid",
    "load_codebook",
    "parse_codebook",
    "codebook_to_yaml",
    "codebook_to_qdc",
    "write_qdc",
    "codebook_from_qdc",
    "read_qdc",
    "read_codebook_table",
    "survey_link_problems",
]

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
"""The XML namespace of a REFI-QDA codebook (``.qdc``) file."""

CODE_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:workforce-action-research:codebook")
"""The UUID 5 namespace from which each code's GUID is made (see :func:`code_guid`)."""

_ORIGIN = "workforce-action-research"
_TEXT_FIELDS = ("definition", "when_to_use", "when_not_to_use")
_LIST_FIELDS = ("examples", "keywords", "survey_items", "survey_themes")
_YAML_KEYS = ("id", "label", *_TEXT_FIELDS, *_LIST_FIELDS, "codes", "parent", "codable")
_YAML_KEYS += ("colour", "guid")
_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_GUID = re.compile(r"\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?")
_FORBIDDEN_IN_ID = (";", "\n", "\r")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True)
class Code:
    """One entry of a codebook: a theme, a code or a sub-code.

    Attributes
    ----------
    id
        Stable identifier that codings refer to, e.g. ``workload_pressure``. Unique in the
        codebook; no semicolons (they separate codes in a spreadsheet cell) or line breaks.
    label
        What coders see, e.g. ``Workload and time pressure``.
    parent
        The ``id`` of the entry it sits under; ``None`` for a theme (top level).
    definition, when_to_use, when_not_to_use
        Guidance for coders; empty when not given.
    examples
        Example comments that take this code.
    keywords
        Words or phrases that hint at the code (used by machine-assisted coding).
    codable
        Whether a coder can apply it; ``False`` for a theme that only groups codes.
    colour
        ``#RRGGBB`` (or ``#RGB``) shown by QDA software, or ``None``.
    guid
        The GUID another program gave it, kept so that a codebook imported from NVivo or
        ATLAS.ti is exported with the same GUIDs; ``None`` when it is :func:`code_guid` of
        the id (every code made here).
    survey_items
        The ``item_id`` of each questionnaire item the code relates to: the comments stage
        compares the item scores of respondents who raised the code with everyone else's.
    survey_themes
        The questionnaire ``theme`` names the code relates to, compared in the same way.
    """

    id: str
    label: str
    parent: str | None = None
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    codable: bool = True
    colour: str | None = None
    guid: str | None = None
    survey_items: tuple[str, ...] = ()
    survey_themes: tuple[str, ...] = ()

    @property
    def qdc_guid(self) -> str:
        """The GUID written to a ``.qdc`` file: ``guid`` if set, else :func:`code_guid`."""
        return self.guid or code_guid(self.id)


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes from anywhere in the tree: a REFI-QDA ``Set`` (an ATLAS.ti
    code group, an NVivo or MAXQDA code set).

    Attributes
    ----------
    name
        The set's name, e.g. ``Barriers to care``.
    members
        The ``id`` of each code in the set, in the order given.
    description
        The set's description; empty when not given.
    guid
        The GUID another program gave it, kept on export; ``None`` for a set made here
        (exported with a UUID 5 of its name, see :func:`set_guid`).
    """

    name: str
    members: tuple[str, ...] = ()
    description: str = ""
    guid: str | None = None

    @property
    def qdc_guid(self) -> str:
        """The GUID written to a ``.qdc`` file: ``guid`` if set, else :func:`set_guid`."""
        return self.guid or set_guid(self.name)


class DuplicateLabelWarning(UserWarning):
    """Two or more codes share a label, which other programs may merge on import.

    QualCoder, for one, identifies codes by name when it imports a codebook, so two
    codes called ``Other`` under different themes become one code there. Export with
    ``qualify_labels=True`` to name them ``Theme / Other`` instead.
    """


class CodebookError(ValueError):
    """A codebook has problems; carries every problem found, each naming where it is.

    Parameters
    ----------
    file
        The codebook file's name.
    problems
        The problems found (a check does not stop at the first).
    """

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        lines = [f"The codebook {file!r} has {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class Codebook:
    """A checked codebook: its entries in tree order (each parent before its children).

    Parameters
    ----------
    codes
        The entries, in any order that keeps siblings in their intended order.
    lines
        The line of ``codebook.yml`` of each id, for messages (see :meth:`line_of`).
    sets
        The code sets; their members must be ids of ``codes``.

    Raises
    ------
    CodebookError
        If an id is blank, repeated or contains a semicolon or line break; a label is
        empty; a parent is unknown; parents form a loop; or a code set has no name, the
        name of another, a member that is not an id or a GUID that is not one.

    Examples
    --------
    >>> book = Codebook([Code("WORK", "Workload", codable=False),
    ...                  Code("pressure", "Time pressure", parent="WORK")])
    >>> book.codable_ids(), book.theme_of("pressure")
    (('pressure',), 'WORK')
    """

    def __init__(
        self,
        codes: Iterable[Code],
        lines: Mapping[str, int] | None = None,
        sets: Iterable[CodeSet] = (),
    ) -> None:
        entries = list(codes)
        self._lines = dict(lines or {})
        problems = _tree_problems(entries)
        if problems:
            raise CodebookError(
                "codebook", [Problem("codebook", f"entry {i + 1}: {m}") for i, m in problems]
            )
        self._codes = _tree_order(entries)
        self._by_id = {code.id: code for code in self._codes}
        self._sets = tuple(sets)
        set_problems = _set_problems(self._sets, self._by_id)
        if set_problems:
            raise CodebookError("codebook", [Problem("codebook", m) for m in set_problems])

    @property
    def codes(self) -> tuple[Code, ...]:
        """Every entry, themes first in tree order (depth first, siblings in order)."""
        return self._codes

    @property
    def sets(self) -> tuple[CodeSet, ...]:
        """The code sets (groups of codes across the tree), in the order given."""
        return self._sets

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except KeyError:
            close = difflib.get_close_matches(str(code_id), self._by_id, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"{code_id!r} is not an id of this codebook{hint}") from None

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Codebook)
            and self._codes == other._codes
            and self._sets == other._sets
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking containers compare by value

    def __repr__(self) -> str:
        themes = sum(code.parent is None for code in self._codes)
        codable = len(self.codable_ids())
        return f"<Codebook: {themes} themes, {len(self._codes)} entries, {codable} codable>"

    def line_of(self, code_id: str) -> int | None:
        """The line of ``codebook.yml`` where an entry is written (``None`` if not read from
        YAML); not part of what makes two codebooks equal."""
        return self._lines.get(code_id)

    def codable_ids(self) -> tuple[str, ...]:
        """The ids a coder can apply, in tree order."""
        return tuple(code.id for code in self._codes if code.codable)

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """The entries directly below ``code_id``; the themes when ``code_id`` is ``None``."""
        return tuple(code for code in self._codes if code.parent == code_id)

    def theme_of(self, code_id: str) -> str:
        """The id of the theme (top-level entry) that ``code_id`` sits under, or itself."""
        code = self[code_id]
        while code.parent is not None:
            code = self._by_id[code.parent]
        return code.id

    def to_table(self) -> pd.DataFrame:
        """One row per entry, in tree order, for display and for joining to codings.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``label``, ``parent``, ``theme`` (the top-level ancestor's id),
            ``depth`` (0 for a theme), ``codable``, ``definition``, ``when_to_use``,
            ``when_not_to_use``, ``examples``, ``keywords``, ``survey_items`` and
            ``survey_themes`` (lists joined by ``"; "``).
        """
        depth: dict[str, int] = {}
        rows = []
        for code in self._codes:
            depth[code.id] = 0 if code.parent is None else depth[code.parent] + 1
            rows.append(
                {
                    "id": code.id,
                    "label": code.label,
                    "parent": code.parent,
                    "theme": self.theme_of(code.id),
                    "depth": depth[code.id],
                    "codable": code.codable,
                    **{name: getattr(code, name) for name in _TEXT_FIELDS},
                    **{name: "; ".join(getattr(code, name)) for name in _LIST_FIELDS},
                }
            )
        return pd.DataFrame(rows)


def code_guid(code_id: str) -> str:
    """The GUID of a code in a ``.qdc`` export: a UUID 5 of its id, the same in every export.

    Examples
    --------
    >>> code_guid("pay") == code_guid("pay") != code_guid("pay_banding")
    True
    """
    return str(uuid.uuid5(CODE_GUID_NAMESPACE, code_id))


def set_guid(name: str) -> str:
    """The GUID of a code set made here: a UUID 5 of ``set:`` and its name.

    Examples
    --------
    >>> set_guid("Barriers") == set_guid("Barriers") != code_guid("Barriers")
    True
    """
    return str(uuid.uuid5(CODE_GUID_NAMESPACE, "set:" + name))


def duplicate_labels(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Labels given to more than one entry (ignoring case and surrounding spaces).

    Returns
    -------
    dict
        Each shared label (as first written) -> the ids of the entries that carry it, in
        tree order; empty when every label is distinct.

    Examples
    --------
    >>> book = Codebook([Code("A", "Access", codable=False), Code("a_other", "Other", "A"),
    ...                  Code("S", "Staff", codable=False), Code("s_other", "other", "S")])
    >>> duplicate_labels(book)
    {'Other': ('a_other', 's_other')}
    """
    by_label: dict[str, list[Code]] = {}
    for code in codebook:
        by_label.setdefault(code.label.strip().casefold(), []).append(code)
    return {
        codes[0].label: tuple(code.id for code in codes)
        for codes in by_label.values()
        if len(codes) > 1
    }


def _set_problems(sets: Sequence[CodeSet], codes: Mapping[str, Code]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for code_set in sets:
        if not isinstance(code_set.name, str) or not code_set.name.strip():
            problems.append("a code set has an empty name; every set needs one")
            continue
        if code_set.name in seen:
            problems.append(f"code set {code_set.name!r} is given twice; set names must be unique")
        seen.add(code_set.name)
        for member in code_set.members:
            if member not in codes:
                close = difflib.get_close_matches(str(member), codes, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(
                    f"code set {code_set.name!r} lists '{member}', which is not an id{hint}"
                )
        if code_set.guid is not None and not _GUID.fullmatch(code_set.guid):
            problems.append(f"code set {code_set.name!r}: {code_set.guid!r} is not a GUID")
    return problems


# --------------------------------------------------------------------------- tree checks


def _id_problem(code_id: object) -> str | None:
    if not isinstance(code_id, str) or not code_id.strip():
        return f"an id must be text, found {_shown(code_id)}"
    if code_id != code_id.strip():
        return f"id {code_id!r} starts or ends with a space"
    if len(code_id) > MAX_LABEL_CHARACTERS:
        return f"an id of {len(code_id):,} characters; the most is {MAX_LABEL_CHARACTERS}"
    bad = [char for char in _FORBIDDEN_IN_ID if char in code_id]
    if bad:
        return f"id {code_id!r} contains {bad[0]!r}; ids cannot hold semicolons or line breaks"
    return None


def _tree_problems(codes: Sequence[Code]) -> list[tuple[int, str]]:
    """Every problem of a list of entries, as (position in ``codes``, message)."""
    problems: list[tuple[int, str]] = []
    first: dict[str, int] = {}
    for position, code in enumerate(codes):
        problem = _id_problem(code.id)
        if problem:
            problems.append((position, problem))
            continue
        if code.id in first:
            problems.append((position, _repeated(code.id, first[code.id])))
        else:
            first[code.id] = position
        if not isinstance(code.label, str) or not code.label.strip():
            problems.append((position, f"'{code.id}' has an empty label; every entry needs one"))
        elif len(code.label) > MAX_LABEL_CHARACTERS:
            problems.append(
                (
                    position,
                    f"'{code.id}' has a label of {len(code.label):,} characters; a label is a "
                    f"heading of at most {MAX_LABEL_CHARACTERS} (put the rest in 'definition')",
                )
            )
        if code.colour is not None and not _COLOUR.fullmatch(code.colour):
            problems.append((position, f"colour {code.colour!r} is not #RRGGBB or #RGB"))
        for field in ("keywords", "survey_items", "survey_themes"):
            for value in getattr(code, field):
                if ";" in value or "\n" in value:
                    problems.append((position, f"{field} {value!r} holds ';' or a line break"))
    for position, code in enumerate(codes):
        if code.parent is not None and code.parent not in first:
            close = difflib.get_close_matches(str(code.parent), first, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                (position, f"'{code.id}' names parent '{code.parent}', which is not an id{hint}")
            )
    problems += _loops(codes, first)
    return sorted(problems, key=lambda problem: problem[0])


def _repeated(code_id: str, first_position: int) -> str:
    return f"id '{code_id}' is used twice (first by entry {first_position + 1}); ids must be unique"


def _loops(codes: Sequence[Code], first: dict[str, int]) -> list[tuple[int, str]]:
    parent_of = {code.id: code.parent for code in codes if code.id in first}
    reported: set[str] = set()
    problems = []
    for code_id in parent_of:
        seen = [code_id]
        parent = parent_of[code_id]
        while parent is not None and parent in parent_of and parent not in seen:
            seen.append(parent)
            parent = parent_of[parent]
        if parent == code_id and code_id not in reported:
            reported.update(seen)
            chain = " -> ".join([*seen, code_id])
            problems.append((first[code_id], f"parents form a loop: {chain}"))
    return problems


def _tree_order(codes: Sequence[Code]) -> tuple[Code, ...]:
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent, []).append(code)
    ordered: list[Code] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack.extend(reversed(children.get(code.id, [])))
    return tuple(ordered)


def _resolve_codable(codes: list[Code], explicit: list[bool | None]) -> list[Code]:
    """Apply the default: a top-level entry with children is a container, others codable."""
    parents = {code.parent for code in codes}
    return [
        dataclasses.replace(
            code, codable=stated if stated is not None else not _is_theme(code, parents)
        )
        for code, stated in zip(codes, explicit, strict=True)
    ]


def _is_theme(code: Code, parents: set[str | None]) -> bool:
    return code.parent is None and code.id in parents


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _raise_if_any(file: str, problems: list[Problem]) -> None:
    if problems:
        raise CodebookError(file, problems)


# --------------------------------------------------------------------------- YAML


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
            f"expected a list of themes, each with id, label and codes; found {_shown(content)}",
        )
        raise CodebookError(file, log.problems())
    codes: list[Code] = []
    explicit: list[bool | None] = []
    where: list[int | None] = []
    _read_entries(content, (), None, lines, file, log, codes, explicit, where)
    for position, message in _tree_problems(codes):
        log.add(file, _at(where[position]) + _with_lines(message, where))
    sets = _yaml_sets(content, lines, file, log)
    known = {code.id: code for code in codes}
    named: set[str] = set()
    for code_set, line in sets:
        # Each set is checked on its own, so a repeated name is reported here, by its line.
        for message in _set_problems([code_set], known):
            log.add(file, _at(line) + message)
        if code_set.name in named:
            log.add(
                file,
                f"{_at(line)}code set {code_set.name!r} is given twice; set names must be unique",
            )
        named.add(code_set.name)
    _raise_if_any(file, log.problems())
    lines = {code.id: line for code, line in zip(codes, where, strict=True) if line}
    return Codebook(
        _resolve_codable(codes, explicit), lines, sets=[code_set for code_set, _ in sets]
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
            log.add(file, _at(lines.get((position, key), lines.get((position,)))) + message)

        for key in entry:
            if key not in _SET_KEYS:
                close = difflib.get_close_matches(str(key), _SET_KEYS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problem(str(key), f"unknown key '{key}' in a code set{hint}")
        guid = _yaml_text(entry, "guid", problem) or None
        if guid is not None and not _GUID.fullmatch(guid):
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


def survey_link_problems(codebook: Codebook, questionnaire: pd.DataFrame) -> list[str]:
    """Check each code's ``survey_items`` and ``survey_themes`` against the questionnaire.

    Parameters
    ----------
    codebook
        The codebook.
    questionnaire
        The data package's ``questionnaire`` table (columns ``item_id`` and ``theme``).

    Returns
    -------
    list of str
        One message per item or theme that the questionnaire does not have (in any year),
        naming the line of ``codebook.yml``, the code and the nearest spelling; empty when
        every link is known.

    Examples
    --------
    >>> book = parse_codebook('''
    ... - id: PAY
    ...   label: Pay
    ...   codes:
    ...     - {id: pay, label: Pay, survey_items: [pay_satisfied], survey_themes: [Reward]}
    ... ''')
    >>> questionnaire = pd.DataFrame({"item_id": ["pay_satisfaction"], "theme": ["Reward"]})
    >>> for problem in survey_link_problems(book, questionnaire):  # doctest: +NORMALIZE_WHITESPACE
    ...     print(problem)
    line 5: code 'pay' lists survey item 'pay_satisfied', which is not an item_id in the
    questionnaire; did you mean 'pay_satisfaction'?
    """
    known = {
        "item": ("item_id", set(questionnaire["item_id"].dropna().astype(str))),
        "theme": ("theme", set(questionnaire["theme"].dropna().astype(str))),
    }
    problems = []
    for code in codebook:
        for kind, values in (("theme", code.survey_themes), ("item", code.survey_items)):
            column, found = known[kind]
            for value in values:
                if value in found:
                    continue
                close = difflib.get_close_matches(value, sorted(found), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(
                    f"{_at(codebook.line_of(code.id))}code '{code.id}' lists survey {kind} "
                    f"'{value}', which is not {'an' if kind == 'item' else 'a'} {column} in the "
                    f"questionnaire{hint}"
                )
    return problems


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
                file, f"{_at(line)}expected an entry with 'id' and 'label', found {_shown(entry)}"
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
                file, f"{_at(line)}'codes' should be a list of entries, found {_shown(children)}"
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
        log.add(file, _at(lines.get((*path, key), lines.get(path))) + message)

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
            problem("parent", f"'parent' should be the id of an entry, found {_shown(stated)}")
        else:
            parent = stated.strip()
    code: dict[str, Any] = {
        "id": code_id.strip() if isinstance(code_id, str) else code_id,
        "label": _yaml_text(entry, "label", problem),
        "parent": parent,
    }
    for name in _TEXT_FIELDS:
        code[name] = _yaml_text(entry, name, problem)
    for name in _LIST_FIELDS:
        code[name] = _yaml_list(entry, name, problem)
    for name in ("colour", "guid"):
        value = _yaml_text(entry, name, problem) or None
        code[name] = value
    if code["guid"] is not None and not _GUID.fullmatch(code["guid"]):
        problem("guid", f"guid {code['guid']!r} is not a GUID (8-4-4-4-12 hexadecimal digits)")
    codable = entry.get("codable")
    if codable is not None and not isinstance(codable, bool):
        problem("codable", f"'codable' should be true or false, found {_shown(codable)}")
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
    problem(key, f"'{key}' should be text, found {_shown(value)}")
    return ""


def _yaml_list(entry: dict[str, Any], key: str, problem: Any) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problem(key, f"'{key}' should be a list of text, found {_shown(value)}")
        return ()
    return tuple(item.strip() for item in value if item.strip())


def _at(line: int | None) -> str:
    return f"line {line}: " if line else ""


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
        values.update({name: getattr(code, name) for name in _TEXT_FIELDS if getattr(code, name)})
        values.update(
            {name: list(getattr(code, name)) for name in _LIST_FIELDS if getattr(code, name)}
        )
        if code.codable == _is_theme(code, parents):
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


# --------------------------------------------------------------------------- REFI-QDA .qdc


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
    if not fields.get("id") or _id_problem(fields["id"]):
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
    for position, message in _tree_problems(codes):
        problems.append(Problem(file, f"<Code name={names[position]!r}>: {message}"))
    _raise_if_any(file, problems)
    sets_element = next((child for child in root if _local(child.tag) == "Sets"), None)
    sets = [] if sets_element is None else _read_qdc_sets(sets_element, codes, file, problems)
    problems += [
        Problem(file, message) for message in _set_problems(sets, {c.id: c for c in codes})
    ]
    _raise_if_any(file, problems)
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
        codable = child.get("isCodable", "true").strip().lower() not in _FALSE
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
            base = _slug(code.label) or "code"
            candidate, number = base, 1
            while candidate in taken:
                number += 1
                candidate = f"{base}_{number}"
            taken.add(candidate)
            made[_pending(position)] = candidate
            code = dataclasses.replace(code, id=candidate)
        result.append(code)
    return [dataclasses.replace(code, parent=made.get(code.parent, code.parent)) for code in result]


def _slug(label: str) -> str:
    """An id made from a label: transliterated to ASCII letters, lower case, words joined
    by ``_`` (``Réunions d'équipe`` -> ``reunions_dequipe``, ``Ærø`` -> ``aero``,
    ``Рабочая нагрузка`` -> ``rabochaya_nagruzka``).

    Transliteration is :func:`anyascii.anyascii` (ISC licence), which covers Latin letters
    that do not decompose (æ, ø, ß, ł), Greek, Cyrillic and CJK; Unicode decomposition
    alone keeps only accented Latin letters.
    """
    from anyascii import anyascii

    text = anyascii(label).lower().replace("'", "")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


# --------------------------------------------------------------------------- plain tables


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
    _raise_if_any(file, log.problems())

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
            themes[row["theme"]] = _slug(row["theme"]) or "theme"
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
    for position, message in _tree_problems(codes):
        row_number = spreadsheet_row(first_row[position])
        message = re.sub(
            r"entry (\d+)",
            lambda match: f"row {spreadsheet_row(first_row[int(match.group(1)) - 1])}",
            message,
        )
        if "is used twice" in message:
            message += "; the two rows describe it differently"
        log.add(file, message, row=row_number, column=names["id"])
    _raise_if_any(file, log.problems())
    return Codebook(_resolve_codable(codes, explicit))


_TABLE_FIELDS = (
    "id",
    "label",
    "parent",
    "theme",
    *_TEXT_FIELDS,
    *_LIST_FIELDS,
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
    if codable_text in _TRUE | _FALSE:
        codable = codable_text in _TRUE
    elif codable_text:
        log.add(file, f"expected true or false, found {row['codable']!r}", number, names["codable"])
    code = Code(
        id=row["id"],
        label=row["label"],
        parent=row.get("parent"),
        **{field: row.get(field, "") for field in _TEXT_FIELDS},
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
