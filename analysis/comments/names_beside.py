"""More of a comment's names, read from the names already found in it.

One job: after the rules of :mod:`analysis.comments.names` and the tagger have found names,
find every other mention of a found word, an unknown first name just before a found name,
and an unknown word listed beside one (:func:`names_beside_found`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.comments.names import (
    _DATE_AND_COLOUR_NAMES,
    _DRUG_STEMS,
    _NAME_SHAPE,
    _NO_NAMES,
    _ORDINARY_WORD_NAMES,
    _PLACE_LEADS,
    _PLACE_PREPOSITIONS,
    NOT_NAMES,
    PLACES,
    _capitalised,
    _NameFinder,
    english_words,
)

__all__ = ["names_beside_found"]

_CAPITALISED_BEFORE = re.compile(r"(?<![^\W\d_])[A-Z][a-z'’]+ $")
_LISTED_BESIDE = (" and ", " & ", ", ", ", and ")
"""What joins two names of a list ("Gwenllian and Rhodri")."""


def names_beside_found(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """More of a comment's names, read from the names already found in it.

    Parameters
    ----------
    text : str
        The comment as written.
    spans : iterable of (int, int)
        The character spans of the names found by the rules and the tagger.

    Returns
    -------
    list of (int, int)
        Spans of words not in ``spans``: every other mention of a word of a found name that
        is in no English word list ("Day" of "Boxing Day" is), spelt the same ("Aled
        Pritchard has made ..., thanks Aled"); an unknown capitalised word just before a
        found name, its first name ("I am Oleksandr Petrenko", where only "Petrenko" was
        found); and an unknown capitalised word listed beside a found name with "and", "&"
        or a comma ("Honestly Gwenllian and Rhodri", where the tagger found "Rhodri").
        Unknown means what
        :meth:`~analysis.comments.names_words.CommentWords.unknown` says: not English, a
        place, a demonym or a listed word.

    Examples
    --------
    >>> text = "Aled Pritchard fixed it, thanks Aled"
    >>> [text[start:end] for start, end in names_beside_found(text, [(0, 14)])]
    ['Aled']
    """
    spans = list(spans)
    repeated = any(text.count(word) > 1 for start, end in spans for word in text[start:end].split())
    listed = any(
        text[max(0, start - 6) : start].endswith(_LISTED_BESIDE)
        or text[end : end + 6].startswith(_LISTED_BESIDE)
        for start, end in spans
    )
    if (
        not repeated
        and not listed
        and not any(
            _CAPITALISED_BEFORE.search(text, max(0, start - 40), start) for start, _ in spans
        )
    ):
        return []  # a quick test: most comments have none of these
    finder = _NameFinder(text, _NO_NAMES)
    inside = [
        any(start <= finder.starts[k] and finder.ends[k] <= end for start, end in spans)
        for k in range(finder.count)
    ]
    starts = {start for start, _ in spans}
    ends = {end for _, end in spans}
    found_words = {
        finder.words[k]
        for k in range(finder.count)
        if inside[k]
        and _capitalised(finder.words[k])
        and finder.lowers[k] not in NOT_NAMES | _ORDINARY_WORD_NAMES | _DATE_AND_COLOUR_NAMES
        and finder.lowers[k] not in PLACES
        and finder.lowers[k] not in english_words()
    }
    extra = []
    for k in range(finder.count):
        if inside[k]:
            continue
        beside = (
            k + 1 < finder.count and finder.starts[k + 1] in starts and finder.gap(k + 1) == " "
        ) or (
            listed
            and (
                any(text[finder.ends[k] : start] in _LISTED_BESIDE for start in starts)
                or any(text[end : finder.starts[k]] in _LISTED_BESIDE for end in ends)
            )
        )
        unknown_beside = (
            beside
            and _capitalised(finder.words[k])
            and _NAME_SHAPE.fullmatch(finder.words[k]) is not None
            and finder.unknown(k)
            and not finder.place_shaped(k)
            and _DRUG_STEMS.search(finder.lowers[k]) is None
            and not (k > 0 and finder.lowers[k - 1] in _PLACE_PREPOSITIONS | _PLACE_LEADS)
        )
        if finder.words[k] in found_words or unknown_beside:
            extra.append((finder.starts[k], finder.ends[k]))
    return extra
