"""A statistical person-name tagger: a linear-chain CRF over the words of a comment.

The rules of :mod:`analysis.comments.names` find what they were written for; this tagger
reads the same evidence (word shape, case, position, membership of the shipped name lists
and of English, the words around and their cue classes: titles, roles, "my", verbs) as
weighted features learnt from labelled sentences, so it also finds names in contexts no rule
names. :func:`analysis.comments.redaction.find_identifiers` takes the union of both, and
the rules' lists of what is never a name veto the tagger's findings
(:func:`tagged_names`).

The model (``name_lists/name_tagger.crfsuite``) is trained offline by
``name_lists/train_name_tagger.py`` on the development sets and on synthetic sentences
built from templates with names drawn from the shipped lists; it is read with
`python-crfsuite <https://github.com/scrapinghub/python-crfsuite>`_ (CRFsuite, Okazaki
2007; Lafferty, McCallum and Pereira 2001, "Conditional random fields"). Nothing is
downloaded.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from analysis.comments.names import (
    CENSUS_SURNAMES,
    COUNTRIES,
    ENGLISH_FIRST_NAMES,
    FIRST_NAMES,
    MODERN_WORDS,
    MORE_FIRST_NAMES,
    MORE_SURNAMES,
    NOT_NAMES,
    PLACES,
    PUBLIC_FIGURES,
    ROLES,
    SURNAMES,
    TITLES,
    is_demonym,
    is_english,
    one_edit_from_english,
)
from analysis.comments.names_context import _DRUG_STEMS, _NAME_SHAPE, _PLACE_ENDING
from analysis.comments.names_lexicon import (
    _BUILDINGS,
    _CONDITION_WORDS,
    _EPONYMOUS_CONDITIONS,
    _FACILITIES,
    _MONTH_ABBREVIATIONS,
)

__all__ = ["MODEL", "THRESHOLD", "tokens", "sentence_features", "tagged_names"]

MODEL = Path(__file__).resolve().parent / "name_lists" / "name_tagger.crfsuite"
"""The trained model, shipped with the package."""

THRESHOLD = 0.5
"""Least marginal probability of "part of a name" for a word to be tagged."""

_TOKEN = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*\.?|[^\w\s]")
_FIRST = FIRST_NAMES | MORE_FIRST_NAMES
_SURNAMES = SURNAMES | MORE_SURNAMES | CENSUS_SURNAMES
_PLACE_WORDS = frozenset(word for place in PLACES for word in place.split())
_DETERMINERS = frozenset(["my", "our", "the", "a", "an", "his", "her", "their", "your"])
_SENTENCE_ENDS = frozenset(".!?")
_CONTRACTION = re.compile(r"(?:n't|'t|'ve|'re|'ll|'m|'d)$")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The words and punctuation marks of ``text`` with their offsets.

    Examples
    --------
    >>> tokens("Dr A. Khan shouted.")
    [(0, 2, 'Dr'), (3, 5, 'A.'), (6, 10, 'Khan'), (11, 19, 'shouted.')]
    """
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]+", "X", re.sub(r"[a-z]+", "x", re.sub(r"\d+", "d", word)))
    return shape[:6]


@functools.lru_cache(maxsize=65_536)
def _word_features(word: str) -> tuple[str, ...]:
    bare = word.rstrip(".")
    lower = bare.lower().replace("’", "'")
    stem = lower[:-2] if lower.endswith("'s") else lower
    features = [
        f"w={lower}",
        f"shape={_shape(bare)}",
        f"p3={lower[:3]}",
        f"s2={lower[-2:]}",
        f"s3={lower[-3:]}",
        f"len={min(len(bare), 10)}",
    ]
    flags = {
        "title": bare[:1].isupper() and bare[1:].islower(),
        "upper": bare.isupper() and len(bare) > 1,
        "lower": bare.islower(),
        "alpha": bare.isalpha(),
        "initial": len(bare) == 1 and bare.isupper(),
        "stop": word.endswith("."),
        "poss": lower != stem,
        "first": stem in _FIRST,
        "surname": stem in _SURNAMES,
        "curated_first": stem in FIRST_NAMES,
        "curated_surname": stem in SURNAMES,
        "english_first": stem in ENGLISH_FIRST_NAMES,
        "place": stem in _PLACE_WORDS,
        "country": stem in COUNTRIES,
        "english": stem.isalpha() and is_english(stem),
        "not_name": stem in NOT_NAMES,
        "titleword": stem in TITLES,
        "role": stem in ROLES,
        "det": stem in _DETERMINERS,
    }
    features += [name for name, on in flags.items() if on]
    return tuple(features)


_CONTEXT_FLAGS = (
    "title",
    "upper",
    "lower",
    "first",
    "surname",
    "english",
    "not_name",
    "titleword",
    "role",
    "det",
    "place",
    "initial",
    "stop",
)


@functools.lru_cache(maxsize=65_536)
def _context_features(word: str, offset: int) -> tuple[str, ...]:
    """What a word tells its neighbour ``offset`` words away: its cue classes, and the word
    itself when it stands next to it."""
    own = _word_features(word)
    listed = [f"{offset}:{own[0]}"] if abs(offset) == 1 else []
    return (*listed, *(f"{offset}:{flag}" for flag in _CONTEXT_FLAGS if flag in own))


def _shouted(words: list[str]) -> bool:
    """Whether most words of a comment are written in capitals."""
    letters = [word for word in words if word.isalpha()]
    return sum(word.isupper() for word in letters) > 0.6 * max(1, len(letters))


def sentence_features(words: list[str]) -> list[list[str]]:
    """The features of each word, with those of its neighbours (two each side).

    Parameters
    ----------
    words : list of str
        The tokens of one comment, as :func:`tokens` gives them.

    Returns
    -------
    list of list of str
        One list of feature names per word, for CRFsuite.
    """
    own = [_word_features(word) for word in words]
    shouted = _shouted(words)
    result = []
    for i, features in enumerate(own):
        row = ["bias", *features]
        starts = i == 0 or words[i - 1] in _SENTENCE_ENDS or words[i - 1][-1:] in _SENTENCE_ENDS
        if starts:
            row.append("sentence_start")
        if shouted:
            row.append("shouted_text")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if not 0 <= j < len(words):
                row.append(f"{offset}:edge")
                continue
            row += _context_features(words[j], offset)
        if i + 1 < len(words):
            row.append(f"+1w|w={own[i][0]}|{own[i + 1][0]}")
        if i > 0:
            row.append(f"-1w|w={own[i - 1][0]}|{own[i][0]}")
        result.append(row)
    return result


@functools.cache
def _tagger():
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


@functools.lru_cache(maxsize=65_536)
def _vetoed(word: str, shouted: bool) -> bool:
    """Whether the rules' lists say ``word`` is no name, whatever the tagger reads.

    Vetoed: words the rules never read as names (:data:`~analysis.comments.names.NOT_NAMES`,
    :data:`~analysis.comments.names.MODERN_WORDS`), places and countries, words without a
    letter, capitals in a text not written in capitals (acronyms: "CAMHS", "XXXX"), English
    words that are no curated first name or surname, or not written as a name ("Made",
    "white", "patIence"), contractions ("Don't"), drugs ("Aripiprazole"), month
    abbreviations, words not shaped like a name ("TIWs", "vVery"), and, unless a name
    list holds them, words in lower case ("pleasent"), long words one edit from an English
    word ("Treatement") and words ending like an English place ("Derriford").
    """
    bare = word.rstrip(".")
    lower = bare.lower().replace("’", "'")
    lower = lower[:-2] if lower.endswith("'s") else lower
    if lower in NOT_NAMES or lower in MODERN_WORDS or lower in COUNTRIES or lower in PLACES:
        return True
    if is_demonym(lower):
        return True  # "Ukrainian patients"
    stem = bare[:-2] if lower != bare.lower() else bare
    if not any(c.isalpha() for c in lower) or (stem.isupper() and len(stem) > 1 and not shouted):
        return True
    if _CONTRACTION.search(lower) or _DRUG_STEMS.search(lower) or lower in _MONTH_ABBREVIATIONS:
        return True
    if not shouted and not _NAME_SHAPE.fullmatch(stem):
        return True
    parts = [part for part in lower.split("-") if part]
    if all(is_english(part) for part in parts):
        written_as_name = shouted or bare.istitle()
        return not written_as_name or not all(p in FIRST_NAMES or p in SURNAMES for p in parts)
    misspelt = len(lower) >= 4 and one_edit_from_english(lower)
    if bare.islower():
        return misspelt or not all(part in _FIRST or part in _SURNAMES for part in parts)
    if all(part in _FIRST or part in _SURNAMES for part in parts):
        return False
    return (len(lower) >= 6 and misspelt) or _PLACE_ENDING.search(lower) is not None


def tagged_names(text: str, threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """The spans of ``text`` the CRF reads as person names, less the rules' vetoes.

    Parameters
    ----------
    text : str
        A comment.
    threshold : float, optional
        Least marginal probability of the label ``N`` (part of a name) for a word.

    Returns
    -------
    list of (start, end)
        Character spans of runs of tagged words, in order.
    """
    found = tokens(text)
    if not found:
        return []
    words = [word for _, _, word in found]
    shouted = _shouted(words)
    if all(_vetoed(word, shouted) for word in words):
        return []
    tagger = _tagger()
    tagger.set(sentence_features(words))
    tagger.tag()
    spans: list[tuple[int, int]] = []
    previous = ""
    for index, (start, end, word) in enumerate(found):
        named = not _vetoed(word, shouted) and tagger.marginal("N", index) >= threshold
        if named:
            bare = word.rstrip(".")
            if len(bare) > 1:
                end = start + len(bare) - (2 if bare.endswith(("'s", "’s")) else 0)
            initial = len(previous.rstrip(".")) == 1
            gap = text[spans[-1][1] : start] if previous and spans else "\n"
            if gap.strip() == "" and "\n" not in gap or initial and gap.strip() == ".":
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        previous = word if named else ""
    return [span for span in spans if not _names_a_thing(text, *span)]


_NEXT_WORD = re.compile(r"(?:['’]s)?[ \t]+([^\W\d_]+|\d)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
_IMPERATIVE = re.compile(
    r"[ \t]+(?:the|a|an|your|all|each|every|this|that|these|those|any)[ \t]+(?P<object>[a-z]+)"
)
"""A determiner and a word in lower case after a word opening a sentence: "Mark the sheet",
"Sue the trust" are verbs."""


def _names_a_thing(text: str, start: int, end: int) -> bool:
    """Whether the words ``text[start:end]`` name a place, a ward or a charity, as the rules
    read them: a facility word or a number after them ("Hogarth ward", "Harvey 1", "Latham
    house", "Maggie's centre"), or a public figure ("Marie Curie nurses", "Nye Bevan" where
    only "Bevan" was tagged); or are a verb opening a sentence (:func:`_imperative`)."""
    following = _NEXT_WORD.match(text, end)
    after = following.group(1).lower() if following else ""
    possessive = text[end : end + 2] in ("'s", "’s")
    if after.isdigit() or after in (_BUILDINGS if possessive else _FACILITIES):
        return True
    words = tuple(text[start:end].lower().split())
    if (
        possessive
        and len(words) == 1
        and (after in _CONDITION_WORDS or words[0] in _EPONYMOUS_CONDITIONS)
    ):
        return True  # "Parkinson's", "Bell's palsy": conditions
    preceding = _WORD_BEFORE.search(text, max(0, start - 30), start)
    before = preceding.group(1).lower() if preceding else ""
    if any(
        figure[: len(words)] == words or figure in ((*words, after), (before, *words))
        for figure in PUBLIC_FIGURES
    ):
        return True
    return _imperative(text, start, end)


def _imperative(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, one English word opening a sentence, is a verb: a
    determiner and a word in lower case that is no role nor a word for people or a department
    follow ("Mark the sheet"; not "Bill the porter", "Rob the security guard")."""
    word = text[start:end]
    opens = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?\n"
    following = _IMPERATIVE.match(text, end)
    return (
        opens
        and " " not in word
        and is_english(word.lower())
        and following is not None
        and following.group("object") not in ROLES | NOT_NAMES
    )
