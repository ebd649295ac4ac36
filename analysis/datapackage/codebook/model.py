"""The codebook's model: its entries, code sets and the checks that make a tree of them.

:class:`Codebook` holds :class:`Code` entries in tree order and :class:`CodeSet` groups,
and refuses a tree with problems (:class:`CodebookError`). The readers of each format
(:mod:`~analysis.datapackage.codebook.yml`, :mod:`~analysis.datapackage.codebook.qdc`,
:mod:`~analysis.datapackage.codebook.table`) build entries and report the problems of
:func:`tree_problems` and :func:`set_problems` in their own terms (a line, an element, a
row); the helpers they share are here, outside ``__all__``.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.datapackage.limits import MAX_LABEL_CHARACTERS
from analysis.problems import Problem

__all__ = [
    "CODE_GUID_NAMESPACE",
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookError",
    "code_guid",
    "duplicate_labels",
    "set_guid",
]

CODE_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:workforce-action-research:codebook")
"""The UUID 5 namespace from which each code's GUID is made (see :func:`code_guid`)."""

TEXT_FIELDS = ("definition", "when_to_use", "when_not_to_use")
"""An entry's fields of free text."""
LIST_FIELDS = ("examples", "keywords", "survey_items", "survey_themes")
"""An entry's fields that hold a list of text."""
GUID_PATTERN = re.compile(r"\{?[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?")
"""A GUID, with or without braces."""
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}
"""How a table or an XML attribute writes true and false."""
_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_FORBIDDEN_IN_ID = (";", "\n", "\r")


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
        problems = tree_problems(entries)
        if problems:
            raise CodebookError(
                "codebook", [Problem("codebook", f"entry {i + 1}: {m}") for i, m in problems]
            )
        self._codes = _tree_order(entries)
        self._by_id = {code.id: code for code in self._codes}
        self._sets = tuple(sets)
        in_sets = set_problems(self._sets, self._by_id)
        if in_sets:
            raise CodebookError("codebook", [Problem("codebook", m) for m in in_sets])

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
                    **{name: getattr(code, name) for name in TEXT_FIELDS},
                    **{name: "; ".join(getattr(code, name)) for name in LIST_FIELDS},
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


def set_problems(sets: Sequence[CodeSet], codes: Mapping[str, Code]) -> list[str]:
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
        if code_set.guid is not None and not GUID_PATTERN.fullmatch(code_set.guid):
            problems.append(f"code set {code_set.name!r}: {code_set.guid!r} is not a GUID")
    return problems


# --------------------------------------------------------------------------- tree checks


def id_problem(code_id: object) -> str | None:
    if not isinstance(code_id, str) or not code_id.strip():
        return f"an id must be text, found {brief_repr(code_id)}"
    if code_id != code_id.strip():
        return f"id {code_id!r} starts or ends with a space"
    if len(code_id) > MAX_LABEL_CHARACTERS:
        return f"an id of {len(code_id):,} characters; the most is {MAX_LABEL_CHARACTERS}"
    bad = [char for char in _FORBIDDEN_IN_ID if char in code_id]
    if bad:
        return f"id {code_id!r} contains {bad[0]!r}; ids cannot hold semicolons or line breaks"
    return None


def tree_problems(codes: Sequence[Code]) -> list[tuple[int, str]]:
    """Every problem of a list of entries, as (position in ``codes``, message)."""
    problems: list[tuple[int, str]] = []
    first: dict[str, int] = {}
    for position, code in enumerate(codes):
        problem = id_problem(code.id)
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


def resolve_codable(codes: list[Code], explicit: list[bool | None]) -> list[Code]:
    """Apply the default: a top-level entry with children is a container, others codable."""
    parents = {code.parent for code in codes}
    return [
        dataclasses.replace(
            code, codable=stated if stated is not None else not is_theme(code, parents)
        )
        for code, stated in zip(codes, explicit, strict=True)
    ]


def is_theme(code: Code, parents: set[str | None]) -> bool:
    return code.parent is None and code.id in parents


def brief_repr(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def raise_if_any(file: str, problems: list[Problem]) -> None:
    if problems:
        raise CodebookError(file, problems)


def line_prefix(line: int | None) -> str:
    """``"line 12: "``, the start of a problem about a line of a file; ``""`` without one."""
    return f"line {line}: " if line else ""


def slug(label: str) -> str:
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
