"""The village, town, county and postcode after a street address, and the postcode pattern.

Part of the address finder (:mod:`analysis.comments.addresses`): one job, to extend the span
of an address found by a street rule over "No." before it and what follows it on an envelope
("3 Beech Way, Roundhay, Leeds, West Yorkshire LS8 1AB"), and to say whether capitalised
words after a street can be a place rather than a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.comments.names import (
    FIRST_NAMES,
    MORE_FIRST_NAMES,
    PLACES,
    ROLES,
    TITLES,
    is_english,
)

__all__ = ["FULL_POSTCODE", "POSTCODE"]

FULL_POSTCODE = (
    r"(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2})(?!\w)"
)


POSTCODE = re.compile(rf"(?<!\w){FULL_POSTCODE}", re.IGNORECASE)


_POSTCODE_AFTER_ADDRESS = re.compile(
    rf",?\s*{FULL_POSTCODE}|,\s*(?!(?:ct|fy|st)\d)"
    r"(?:[A-Z]{1,2}\d{1,2}[A-Z]?|[a-z]{1,2}\d{1,2}[a-z]?)(?![\w-])",
    re.IGNORECASE,
)
"""A postcode just after an address, which then takes it in: "5 Kingsley Terrace, SO15 2JD";
an outward code after a comma ("12 Elm Road, L8", "7 birch close, ls6"), not a training
grade ("ST3")."""


_COUNTY = re.compile(
    r",\s*(?:(?:North|South|East|West|Mid|Greater)\s+)?(?:[A-Z][a-z]+shire|Surrey|Kent|Essex"
    r"|Devon|Cornwall|Norfolk|Suffolk|Cumbria|Merseyside|Middlesex|Somerset|Dorset|Rutland"
    r"|Northumberland|Durham|Sussex|Glamorgan|Gwynedd|Powys|Fife|Lothian|Manchester|Midlands"
    r"|Yorkshire|Anglia|Tyne\s+and\s+Wear)\b"
)
"""A county after the town: "Blackburn, Lancashire", "Richmond, Surrey"."""


_CAPITALISED = r"(?:Ma?c[A-Z][a-z'’]+|[A-Z][a-z'’]+)"


_PARTICLE = r"(?:y|yr|de|la|le|upon|under|cum|super)"
"""Small words inside the names of places: "Ashby de la Zouch", "Heol y Felin"."""


_PLACE_JOIN = rf"(?:-(?:(?:{_PARTICLE}|in|on|by|en)-){{1,2}}|[\s-](?:{_PARTICLE}[\s-]){{0,2}})"
"""What joins the words of a place's name: a space or hyphen, with small words between, or
hyphens around "in", "on", "by" or "en": "Barrow-in-Furness", "Southend-on-Sea"."""


_LOCALITY = re.compile(
    rf",\s*(?P<place>{_CAPITALISED}(?:{_PLACE_JOIN}{_CAPITALISED}){{0,2}})"
    r"(?=\s*(?:[,.;:!?)]|$|\s+[a-z]|\s+[—–]|\s+[A-Z]{1,2}\d))"
)
"""A village or town after the street, before punctuation or a word in lower case."""


_TOWN_WITHOUT_COMMA = re.compile(
    rf"\s+(?P<place>{_CAPITALISED}(?:{_PLACE_JOIN}{_CAPITALISED}){{0,2}})"
    r"(?=\s*(?:[,.;:!?)]|$|\s+[a-z]|\s+[—–]|\s+[A-Z]{1,2}\d))"
)


_TOWN_AND_POSTCODE = re.compile(rf",?\s*(?:[A-Za-z][a-z'’-]+\s+){{1,2}}{FULL_POSTCODE}", re.I)
"""A town in any case between the street and its postcode: "7 oakwood crescent wigan wn1 2qq"."""


_LOCALITY_ANY_CASE = re.compile(r"(?:,\s*|\s+)(?P<place>[A-Za-z][\w'’-]+(?:\s[A-Za-z][\w'’-]+)?)")
"""A town in capitals or lower case after an address so written ("14 BRIARWOOD DRIVE,
PENISTONE", "128 high street, cottenham", "8 elm view colne"): taken only when the words
name a UK town."""


_NUMBER_WORD_BEFORE = re.compile(r"(?i)\b(?:no\.?|number)\s*$")
""""No." or "number" before a house number, which the address takes in: "No. 9 Primrose Hill
Road", "number 23 Elm Street"."""


_NOT_PLACE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "i the a we he she they it but and so which who this that my our please then there when"
        " where if as not no yes all everyone nobody",
    )
)


def _with_town_and_postcode(
    text: str, spans: Iterable[tuple[int, int]]
) -> Iterable[tuple[int, int]]:
    """The spans of addresses, each with "No." before it and the village, town, county and
    postcode after."""
    for start, end in spans:
        address = text[start:end]
        number = _NUMBER_WORD_BEFORE.search(text[max(0, start - 8) : start])
        if number:
            start -= len(number.group())
        locality = _LOCALITY.match(text, end)
        if locality and _is_place(locality.group("place")):
            end = locality.end("place")
            town = _LOCALITY.match(text, end)  # "Headingley, Leeds"
            if town and town.group("place").lower() in PLACES:
                end = town.end("place")
        elif address.isupper() or address.islower():
            end = _town_in_any_case(text, end)
        else:
            end = _town_without_comma(text, end)
        county = _COUNTY.match(text, end)
        if county:
            end = county.end()
        postcode = _POSTCODE_AFTER_ADDRESS.match(text, end) or _TOWN_AND_POSTCODE.match(text, end)
        if postcode:
            end = postcode.end()
        yield start, end


def _town_in_any_case(text: str, end: int) -> int:
    """The end of a UK town in any case after ``end`` ("..., PENISTONE"), or ``end``; without
    a comma, not a town that is an English word ("12 elm grove march")."""
    locality = _LOCALITY_ANY_CASE.match(text, end)
    if not locality:
        return end
    words = locality.group("place").split()
    comma = "," in text[end : locality.start("place")]
    for count in (2, 1)[2 - len(words) :]:
        town = " ".join(words[:count]).lower()
        if town in PLACES and (comma or not is_english(words[0].lower())):
            return locality.start("place") + len(town)
    return end


def _town_without_comma(text: str, end: int) -> int:
    """The end of a capitalised UK town just after ``end`` without a comma ("33 Acacia Avenue
    Birmingham"), or ``end``; towns that are English words ("Street", "March") are left."""
    town = _TOWN_WITHOUT_COMMA.match(text, end)
    place = town.group("place") if town else ""
    if place.lower() in PLACES and not is_english(place.split()[0].lower()):
        return town.end("place")
    return end


def _is_place(words: str) -> bool:
    """Whether capitalised words after a street can be its village or town, not a person."""
    first = words.split()[0].lower()
    if words.lower() in PLACES or words.lower().replace(" ", "-") in PLACES or first in PLACES:
        return True
    return not any(
        first in words_of_a_person
        for words_of_a_person in (_NOT_PLACE_WORDS, TITLES, ROLES, FIRST_NAMES, MORE_FIRST_NAMES)
    )
