"""The words of one comment and what the name lists say of each, for the name finder.

Part of the name finder (:mod:`analysis.comments.names`): the organisation's own list of
names (:class:`NameList`) and :class:`CommentWords`, a comment split into words with
the tests the rules ask of one word (unknown, listed, a first name, capitalised...).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.comments.names_context import (
    _DRUG_STEMS,
    _NAME_SHAPE,
    _PLACE_ENDING,
    _PLACE_PREPOSITIONS,
    _SENTENCE_END,
    _TOKEN,
    _lengths,
)
from analysis.comments.names_lexicon import (
    _ALL_FIRST_NAMES,
    _ALL_SURNAMES,
    _DATE_AND_COLOUR_NAMES,
    _FACILITIES,
    _MONTH_ABBREVIATIONS,
    _PARTICLES,
    _PLACE_LEADS,
    COUNTRIES,
    ENGLISH_FIRST_NAMES,
    FIRST_NAMES,
    MODERN_WORDS,
    NOT_NAMES,
    PLACES,
    SURNAMES,
    _inflected,
    _words,
    is_demonym,
    is_english,
    one_edit_from_english,
)

__all__ = ["NameList", "CommentWords"]


@dataclass(frozen=True)
class NameList:
    """An organisation's list of names (for example its staff list), ready for matching.

    Parameters
    ----------
    whole : frozenset of tuple of str
        Each name as a tuple of its lower-case words, matched whole in any case.
    parts : frozenset of str
        Every word (of two letters or more) of every name, lower case, matched alone when
        capitalised.
    first : frozenset of str
        The first word of every name, lower case, matched alone in any case.
    """

    whole: frozenset[tuple[str, ...]] = frozenset()
    parts: frozenset[str] = frozenset()
    first: frozenset[str] = frozenset()

    @functools.cached_property
    def possible_first_words(self) -> frozenset[str]:
        """Words that may start a name: shipped first names and words of listed names."""
        return _ALL_FIRST_NAMES | self.parts

    @functools.cached_property
    def possible_surnames(self) -> frozenset[str]:
        """Words that may end a name: shipped surnames and words of listed names."""
        return _ALL_SURNAMES | self.parts

    @functools.cached_property
    def lengths(self) -> dict[str, frozenset[int]]:
        """For each first word of a listed name, the numbers of words of names it starts."""
        return _lengths(self.whole)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> NameList:
        """Build the lookup from names such as ``["Karen Smith", "Jo Bloggs"]``.

        Raises
        ------
        ValueError
            If ``names`` is a single string or holds something that is not a string.
        """
        if isinstance(names, str):
            raise ValueError(
                f"names must be a list of names, not one string: use names=[{names!r}]"
            )
        whole, parts, first = set(), set(), set()
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"names must be strings; got {name!r} ({type(name).__name__})")
            words = tuple(word.lower() for word in _TOKEN.findall(name))
            if words:
                whole.add(words)
                parts.update(word for word in words if len(word) > 1)
                first.add(words[0])
        return cls(frozenset(whole), frozenset(parts), frozenset(first))


def _capitalised(word: str) -> bool:
    """True for "Karen", "O'Neill", "McDonald"; False for "karen", "NHS", "K", "wIll"."""
    return word[0].isupper() and not word.isupper()


def _shouted(word: str) -> bool:
    """True for "DAVE", "PATEL": a word of two letters or more in capitals."""
    return len(word) > 1 and word.isupper()


_SHORT_FIRST_NAMES = _words("jo al ed di bo ty lu mo")
"""First names of two letters, which the longer lists leave out."""


def _hyphenated_first_name(lower: str) -> bool:
    """Whether ``lower`` joins first names with hyphens ("jo-anne", "lee-ann", "mary-kate")."""
    parts = lower.split("-")
    return len(parts) > 1 and all(
        part in _ALL_FIRST_NAMES or part in ENGLISH_FIRST_NAMES or part in _SHORT_FIRST_NAMES
        for part in parts
    )


_NO_NAMES = NameList()


class CommentWords:
    """The words of one comment, and what the name lists and the English words say of each.

    Token ``i`` is ``words[i]`` (its possessive "'s" removed), at ``starts[i]:ends[i]``;
    ``own`` is the organisation's :class:`NameList`. The rules of
    :func:`~analysis.comments.names.find_person_names` read a comment through these tests.
    """

    def __init__(self, text: str, own: NameList) -> None:
        self.text = text
        self.own = own
        matches = list(_TOKEN.finditer(text))
        self.starts = [match.start() for match in matches]
        self.words = [match.group() for match in matches]
        self.ends = [match.end() for match in matches]
        for i, word in enumerate(self.words):
            if word[-1] in "sS" and len(word) > 3 and word[-2] in "'’":
                self.words[i] = word[:-2]
                self.ends[i] -= 2
        self.lowers = [word.lower() for word in self.words]
        self.count = len(self.words)

    def gap(self, i: int) -> str:
        """The text between token ``i - 1`` and token ``i``."""
        return self.text[self.ends[i - 1] : self.starts[i]]

    def sentence_start(self, i: int) -> bool:
        return (
            i == 0 or _SENTENCE_END.search(self.text, self.ends[i - 1], self.starts[i]) is not None
        )

    def unknown(self, k: int) -> bool:
        """Whether token ``k`` is a word no list knows: not English, not a place, not listed.

        A hyphenated word is unknown when one of its parts is ("Campbell-Reid", "Hyun-woo").
        """
        lower = self.lowers[k]
        return (
            len(lower) > 2
            and lower not in NOT_NAMES
            and lower not in _FACILITIES
            and lower not in MODERN_WORDS
            and lower not in PLACES
            and not _inflected(lower)
            and not all(map(is_english, lower.split("-")))
            and not self.misspelt(k)
            and not is_demonym(lower)
        )

    def shouted_unknown(self, k: int) -> bool:
        """An unknown word in capitals with two vowels or more ("BRADSHAW", not "CAMHS")."""
        word = self.words[k]
        return (
            _shouted(word)
            and len(word) >= 4
            and sum(char in "AEIOUY" for char in word) >= 2
            and self.unknown(k)
        )

    def place_shaped(self, k: int) -> bool:
        """Whether token ``k`` is an unlisted word with a place name's ending ("Derriford")."""
        lower = self.lowers[k]
        return (
            _PLACE_ENDING.search(lower) is not None
            and lower not in _ALL_SURNAMES
            and lower not in _ALL_FIRST_NAMES
            and lower not in self.own.parts
        )

    def misspelt(self, k: int) -> bool:
        """Whether token ``k``, of eight letters or more, is one edit from an English word.

        Long unknown words one letter away from a word ("Perscriptions", "Treatement",
        "Everbody") are misspellings more often than names.
        """
        word = self.lowers[k]
        return len(word) >= 8 and one_edit_from_english(word)

    def first_name(self, i: int) -> bool:
        return (
            self.lowers[i] in _ALL_FIRST_NAMES
            or self.lowers[i] in self.own.first
            or _hyphenated_first_name(self.lowers[i])
        )

    def listed(self, i: int) -> bool:
        lower = self.lowers[i]
        return self.first_name(i) or lower in _ALL_SURNAMES or lower in self.own.parts

    def curated(self, i: int) -> bool:
        """Whether token ``i`` is in the curated UK lists or the organisation's list."""
        lower = self.lowers[i]
        return lower in FIRST_NAMES or lower in SURNAMES or lower in self.own.parts

    def unknown_name_follows(self, i: int) -> bool:
        """Whether an unknown capitalised word follows token ``i`` ("Will Anstruther")."""
        j = i + 1
        return (
            j < self.count
            and self.gap(j) == " "
            and _capitalised(self.words[j])
            and _NAME_SHAPE.fullmatch(self.words[j]) is not None
            and _DRUG_STEMS.search(self.lowers[j]) is None
            and self.unknown(j)
        )

    def followed_by(self, i: int, words: frozenset[str]) -> bool:
        return i + 1 < self.count and self.gap(i + 1) == " " and self.words[i + 1] in words

    def initial_follows(self, i: int) -> bool:
        """Whether a surname's initial follows token ``i`` ("Mark X has been...")."""
        return (
            i + 1 < self.count
            and self.gap(i + 1) == " "
            and len(self.words[i + 1]) == 1
            and self.words[i + 1].isupper()
            and self.words[i + 1] not in "AI"
        )

    def surname_follows(self, i: int) -> bool:
        if i + 1 >= self.count or self.gap(i + 1) != " " or not self.words[i + 1][0].isupper():
            return False
        return self.lowers[i + 1] in _ALL_SURNAMES or self.lowers[i + 1] in self.own.parts

    def plain_capitalised(self, k: int) -> bool:
        """Whether token ``k`` is capitalised like a name and is no word for a place or thing."""
        lower = self.lowers[k]
        return (
            _capitalised(self.words[k])
            and _NAME_SHAPE.fullmatch(self.words[k]) is not None
            and lower not in NOT_NAMES
            and lower not in _FACILITIES
            and lower not in MODERN_WORDS
            and lower not in PLACES
            and lower not in COUNTRIES
            and lower not in _DATE_AND_COLOUR_NAMES
            and lower not in _MONTH_ABBREVIATIONS
            and _DRUG_STEMS.search(lower) is None
            and not (k > 0 and self.lowers[k - 1] in _PLACE_PREPOSITIONS | _PLACE_LEADS)
        )

    def particles_then_name(self, i: int) -> bool:
        """Whether tokens from ``i`` are particles then a capitalised word ("van der Merwe")."""
        for j in range(i, self.count):
            if self.lowers[j] not in _PARTICLES:
                return _capitalised(self.words[j])
        return False
