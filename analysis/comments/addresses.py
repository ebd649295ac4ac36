"""Street addresses in staff comments, as character spans, and the postcode pattern.

Part of the redactor (:mod:`analysis.comments.redaction`, whose docstring says what an
address is and what is kept): a house number and a street, what comes before the number
(flats, units, floors, house names, "c/o"), the village, town and postcode after it (read
by :mod:`analysis.comments.address_towns`),
addresses after a cue ("I live at", "sent ... to"), lower case and capitals, lines of an
envelope without a house number, PO boxes, and streets where someone lives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.comments.address_towns import (
    _CAPITALISED,
    _LOCALITY,
    _NOT_PLACE_WORDS,
    _PARTICLE,
    _PLACE_JOIN,
    FULL_POSTCODE,
    POSTCODE,
    _is_place,
    _with_town_and_postcode,
)
from analysis.comments.names import (
    FIRST_NAMES,
    MORE_FIRST_NAMES,
    PLACES,
    is_english,
)

__all__ = ["FULL_POSTCODE", "POSTCODE", "street_addresses"]


_STREET_WORDS = (
    "road|street|lane|avenue|close|drive|way|gardens|terrace|crescent|grove|place|court"
    "|square|hill|park|row|mews|walk|view|rise|green|parade|vale|fields|meadow|gate|wharf"
    "|yard|chase|croft|heights|quay|boulevard|circus|embankment|wynd|brow|ridge|approach"
    "|mount|end|side|causeway|broadway|orchard|paddock|cottages|villas|bank|plaza"
    "|mead|spinney|copse|dell|dene|leys|leas|nook|fold|garth|glade|pastures|knoll|coppice"
    "|promenade|esplanade|alley|brae|loan"
)
_WELSH_STREET = (
    r"(?:Heol|Ffordd|Stryd|L[oô]n|Rhodfa|Cilgant|Clos|Llys|Maes|Teras|Cwrt|Parc)\s+"
    r"(?:(?:y|yr)\s+)?[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?"
)
"""A Welsh street, its street word first: "Heol y Felin", "Ffordd Glyndwr", "Maes yr Haf"."""
_STREET_TYPE = (
    rf"(?:(?:{_STREET_WORDS.title()})\b"
    r"|(?:Industrial|Trading|Business|Retail|Science|Enterprise)\s+(?:Estate|Park|Centre)\b"
    r"|(?:Rd|Ln|Ave|Av|Cl|Cres|Gdns|Gro|Tce|Terr|Pl|Sq|Ct|Crt|Pk|Pde|Blvd|Hts)\b\.?"
    r"|(?:St|Dr)\b\.?(?!\s+[A-Z](?![A-Z]?\d)))"
)
"""A street word, capitalised or abbreviated ("Rd", "Ave"); "St" and "Dr" not before a
capitalised word, where they are "Saint" and "Doctor" (a postcode may follow: "Bedford St
CV1 4FF")."""
_STREET = (
    rf"(?:(?:St\.\s+)?(?:{_CAPITALISED}[\s-]){{1,3}}{_STREET_TYPE}"
    r"(?:\s+(?:North|South|East|West|Upper|Lower)\b(?!\s+[A-Z]))?"
    rf"|{_WELSH_STREET}(?![\w'’]))"
)
_UNIT = (
    r"(?:(?i:flat|apartment|apt|unit|suite|room|block)\s+(?:\d{1,4}[A-Za-z]?(?:/\w{1,2})?|[A-Z])\b"
    r",?\s+"
    r"|(?i:(?:\d{1,2}(?:st|nd|rd|th)|ground|first|second|third|top|basement)\s+floor"
    r"(?:\s+flat)?),?\s+"
    r"|(?i:floor|building|block)\s+(?:\d{1,3}|[A-Z])\b,\s+"
    r"|(?i:flat|apartment|apt)\s+\d{1,4}[A-Za-z]?\s+(?:at|of)\s+"
    r"|(?i:c/o)\s+)"
)
"""A flat, unit or floor before the house, or "care of": "Flat B, ", "Flat 1/R, " (a
Glasgow tenement's floor and door), "Suite 4, 2nd Floor, ",
"Ground Floor Flat, ", "Floor 2, ", "Building 3, ", "flat 5 at ", "c/o "."""
_HOUSE_NAME = (
    r"(?:[Tt]he\s+(?:[A-Z][a-z'’]+\s+){0,2}[A-Z][a-z'’]+,\s+"
    r"|(?:[Tt]he\s+)?(?:[A-Z][a-z'’]+\s+){0,3}(?:House|Cottage|Lodge|Farm|Barn|Bungalow|Villa"
    r"|Manor|Hall|Mansions|Chambers|Buildings|Court|Tower|Point|Heights|Mews|Hospital|Centre"
    r"|Rectory|Vicarage|Mill|Grange|Cottages"
    r"|Clinic|Surgery|Practice),?\s+)"
)
"""A house or building name before the street: "The Old School House, 5 Mill Street",
"St James's University Hospital, Beckett Street", "the Laurels, 44 Park Crescent" (a name
after "the", then a comma and the house); a building's comma may be left out: "Flat 7 Wharf
House 3 Canal Street"."""
_HOUSE_NUMBER = (
    r"(?:\d{1,3}/(?:\d{1,2}[A-Za-z]?,\s+(?=\d))?)?"
    r"\d{1,4}[A-Za-z]?(?:\s?[-–]\s?\d{1,4}[A-Za-z]?)?,?\s+"
)
"""A house number: "42", "12a", "3-5", or a Scottish tenement's stair and flat first: "9/3"
(number 9, flat 3), "2/1, 34" (second floor, first door, of number 34)."""
_ADDRESS = re.compile(rf"(?=\d)(?<![\w£$.,]){_HOUSE_NUMBER}{_STREET}\.?")
"""A house number and capitalised words ending in a street word: "42 Elmfield Road"."""
_BEFORE_THE_HOUSE_NUMBER = re.compile(
    rf"(?:{_UNIT}{{0,2}}{_HOUSE_NAME}{_UNIT}{{0,2}}|{_UNIT}{{1,2}})$"
)
"""A flat, unit or house name before the house number: "Flat B, 27 Carlton Ave"."""
_HOUSE_NAME_AFTER_CUE = re.compile(
    r"(?i:\baddress\s*(?:is|was|[:\-])|\blive[sd]?\s+at)\s+"
    r"(?P<house>(?:[Tt]he\s+)?[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2},\s+)$"
)
"""Any house's name between "address:" or "lives at" and the house number: "New address:
Westwood, 5 Kirk Brae"."""
_ADDRESS_WITHOUT_NUMBER = re.compile(
    rf"(?<![\w£$.,])(?:{_UNIT}{{0,2}}{_HOUSE_NAME}{_UNIT}{{0,2}}"
    rf"|{_UNIT}{{1,2}}(?:{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}},\s+)?){_STREET}\.?"
    rf"|(?<![\w£$.,]){_HOUSE_NAME}?(?i:flat|apartment|apt)\s+(?:\d{{1,4}}[A-Za-z]?|[A-Z])\b,?\s+"
    rf"{_HOUSE_NUMBER}(?:The\s+)?{_CAPITALISED}(?:[\s-]{_CAPITALISED}){{0,2}}(?![\w'’])"
)
"""A house name, flat or unit and a street: "Unit 3, Millbrook Industrial Estate", "Building
3, Parkside, Queen Elizabeth Road" (a building's name between the unit and the street)."""
_WITHOUT_NUMBER_WORDS = (
    "flat ",
    "apartment ",
    "apt ",
    "unit ",
    "suite ",
    "room ",
    "block ",
    "floor",
    "building ",
    "house,",
    "cottage,",
    "lodge,",
    "farm,",
    "barn,",
    "bungalow,",
    "villa,",
    "manor,",
    "hall,",
    "mansions,",
    "chambers,",
    "buildings,",
    "court,",
    "tower,",
    "point,",
    "heights,",
    "mews,",
    "hospital,",
    "rectory,",
    "vicarage,",
    "mill,",
    "grange,",
    "cottages,",
    "centre,",
    "clinic,",
    "surgery,",
    "practice,",
)
"""What an address without a house number needs, looked for in lower case before the slower
patterns run."""
_CELTIC_PARTICLE = r"(?:y|yr|na|nan|an)"
"""The article inside Welsh, Gaelic and Irish names of streets and houses: "Pen y Bont",
"Glan yr Afon", "Tigh na Mara", "Cnoc an Fhraoich"."""
_CHUNK_WORD = (
    rf"(?:[A-Z][a-z'’]+(?:-(?:[a-z]{{2,5}}-)*[A-Z][a-z'’]+)?|\d{{1,4}}[A-Za-z]?|[A-Z]"
    rf"|{_PARTICLE}(?=\s+[A-Z]))"
)
"""A word of an address line: capitalised, hyphenated with small words ("Stoke-on-Trent"),
a number, an initial or a particle."""
_DWELLING = re.compile(
    r"(?<![\w£$.,])(?i:flat|apartment|apt|plot|caravan|chalet|maisonette|pitch)\s+"
    rf"(?:\d{{1,4}}[A-Za-z]?|[A-Z])\b,\s+(?:The\s+)?[A-Z][a-z'’]+(?:\s+[A-Z]\b|\s+[A-Z][a-z'’]+)+"
    rf"(?:\s+{_CHUNK_WORD})*"
    rf"(?:,\s+[A-Z][a-z'’]+(?:\s+{_CHUNK_WORD})*){{0,2}}"
)
"""A flat, plot or caravan and the name of its block, estate or park (two capitalised words
or more), without a house number: "Apartment 1203, Skyline Plaza", "Flat 3b, Tower Block C,
Ropewalk Estate", "Caravan 12, Sunnyside Holiday Park"."""
_DWELLING_WORDS = ("flat ", "apartment ", "apt ", "plot ", "caravan ", "chalet ", "maisonette ")
_ADDRESS_LINE_BEFORE_POSTCODE = re.compile(
    rf"(?<![\w'’])(?:(?:[Tt]he\s+)?(?:{_CHUNK_WORD}\s+){{0,3}}{_CHUNK_WORD},\s+){{1,3}}"
    rf"(?:{_CHUNK_WORD}\s+){{0,2}}{_CHUNK_WORD},?\s*$"
)
"""Capitalised parts of an address line, parted by commas, just before a full postcode:
"The Granary, Nether Lane, Ampleforth YO62 4EQ", "Hill Farm, Long Sutton PE12 9XX"."""
_STREET_BETWEEN_COMMAS = re.compile(rf",\s+(?P<street>{_STREET}),")
_HOUSE_NAME_BEFORE_STREET = re.compile(
    r"(?<![\w'’])(?:[Tt]he\s+)?(?:[A-Z][a-z'’]+\s+){0,2}[A-Z][a-z'’]+$"
)
"""A house's name, a street and a town parted by commas, without a house number: "the Old
Forge, Back Lane, Thornton", "Meadow View, Station Road, Hebden Bridge"."""
_HOUSE_AND_PLACES = re.compile(
    r"(?<![\w'’])(?:[Tt]he\s+(?:[A-Z][a-z'’]+\s+){0,2}|(?:[A-Z][a-z'’]+\s+){1,2})"
    r"(?:Cottages?|Farm(?:house)?|Lodge|Barn|Bungalow|Villa|Manor|Rectory|Vicarage|Mill|Grange)"
    rf"(?P<places>(?:,\s+{_CAPITALISED}(?:[\s-](?:{_PARTICLE}[\s-]){{0,2}}{_CAPITALISED}){{0,2}}){{1,2}})"
    r"(?=\s*(?:[,.;:!?)]|$|\s+[a-z]))"
)
"""A house's name and its village or town, without a street: "Hillside Cottage, Blackmoor,
Holmfirth", "Low Farm, Hutton Rudby"; not "House", which names offices ("Bevan House,
Harrogate")."""
_HOUSE_WORD = re.compile(
    r"(?i)\b(?:house|cottages?|farm|lodge|barn|bungalow|villa|manor|hall|mill|grange|court"
    r"|view|rectory|vicarage|the)\b"
)
"""Words that make the first part of an address line a house's name, not a person's."""
_HOUSE_AND_PLACE_WORDS = tuple(
    f"{word},"
    for word in re.findall(
        r"\w+",
        "cottage cottages farm farmhouse lodge barn bungalow villa manor rectory"
        " vicarage mill grange",
    )
)
_NAMED_HOUSE_AFTER_CUE = re.compile(
    r"(?i:\b(?:sent|went|called|go|going|drove|drive)\b(?:\s+[\w'’]+){0,3}?\s+out\s+to"
    r"|\b(?:delivered|forwarded|addressed|visit(?:s|ed|ing)?)\b(?:\s+[\w'’]+){0,4}?\s+(?:to|at)"
    r"|\baddress\s*(?:is|was|[:\-])|\blive[sd]?\s+at"
    r"|\b(?:mail|post|letters?|correspondence|payslips?)\s+to|\bcommut(?:e|es|ed|ing)\s+from)\s+"
    rf"(?P<address>(?P<house>{_CAPITALISED}(?:\s+(?:(?:{_PARTICLE}|{_CELTIC_PARTICLE})\s+)?"
    rf"{_CAPITALISED}){{1,2}}),\s+"
    rf"(?P<place>{_CAPITALISED}(?:[\s-]{_CAPITALISED})?))"
    r"(?=\s*(?:[.;:!?)]|$|\s+(?!(?:and|or)\b)[a-z]|,?\s+(?:and\s+)?(?:I|we|he|she|they)\b))"
)
"""After "sent ... out to", "visited ... at", "address is", "lives at", "commute from": a
house's name of two or three words (a Welsh or Gaelic article between: "Cnoc an Fhraoich"),
one of them no English word and none a town, and its village or town: "Rhos Fawr,
Pentraeth", "Tan y Bryn, Llanberis"; after "mail to", "letters to": "sending mail to Bryn
Awel, Llanrug, I haven't lived there" (a new clause after the village, or "and I"). Not
after "sent to", where hospitals are ("sent to Queen Elizabeth, Birmingham"), nor a name with
a word of rank."""
_RANK_WORDS = frozenset(("queen", "king", "prince", "princess", "royal", "duke", "duchess", "st"))
"""Words of rank or sainthood, which name hospitals, not houses: "Queen Elizabeth", "Princess
Royal", "St Mary's"."""
_CUE_WORDS = (
    " out to",
    "deliver",
    "forward",
    "address",
    "visit",
    "live",
    "mail",
    "post",
    "letter",
    "commut",
)
_HOUSE_WHERE_SOMEONE_LIVES = re.compile(
    r"(?i:\b(?:live[sd]?|living|stay(?:s|ed|ing)?)\s+at|\b(?:home\s+)?address\s*(?:is|was|[:\-]))\s+"
    r"(?P<address>(?:[Tt]he\s+)?(?:[A-Z][a-z'’]+\s+){1,2}"
    r"(?:House|Cottage|Farm(?:house)?|Lodge|Barn|Bungalow|Villa|Manor|Rectory|Vicarage|Mill"
    r"|Grange)\b"
    r"|(?:T[yŷ]|Plas|Hafod|Bwthyn)\s+[A-Z][a-z'’]+)"
)
"""A house's name without a number where someone lives: "she lives at Wisteria Lodge", "my
address is The Old Rectory", "we live at Ty Gwyn" (Welsh: the house)."""
_PO_BOX = re.compile(r"(?i)(?<![\w.])P\.?\s?O\.?\s+Box\s+\d{1,6}\b")
"""A post office box: "PO Box 4127", "P.O. Box 77"."""
_NOT_A_HOUSE_NUMBER_BEFORE = re.compile(
    r"(?i)(?:\b(?:wards?|bays?|beds?|rooms?|bands?|levels?|floors?|theatres?|gates?|platforms?"
    r"|phase|(?<!last\s)(?<!next\s)(?<!this\s)(?:years?|weeks?|days?)|page|step|the)|£)\s*$"
)
"""A number after these is no house number: "Ward 3, Station Road site", "the 3 Tuns Road
clinic" (a place named after its street); "last week", "next year" are times, not a week or
year with a number."""
_STREET_LOWER = (
    "road|rd|street|st|lane|avenue|ave|crescent|cres|grove|terrace|gardens|gdns|close|drive"
    "|way|place|court|square|mews|rise|view|walk|mount|parade|ct|crt|cl|tce|terr|pde|bank"
)
_ADDRESS_ANY_CASE = re.compile(
    r"(?<![\w£$.,])(?P<address>(?:(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?,?\s+"
    r"(?:\d{1,4}[a-z]?,?\s+)?|\d{1,4}[a-z]?,?\s+)"
    rf"(?P<words>(?:[a-z'’]+\s+){{1,2}})(?:{_STREET_LOWER}))\b",
    re.IGNORECASE,
)
"""A house number and words all in lower case or all in capitals ending in a street word
("12 elm grove", "42 ELMFIELD ROAD", "flat 11 kingsmead court"), unless a word says time,
distance or quantity."""
_LOWER_STREET_WORDS = tuple(
    f" {word}{after}"
    for word in _STREET_LOWER.split("|")
    for after in ((" ", ",", ".", ";") if len(word) < 3 else ("",))
)
"""Looked for in the comment in lower case and a space, before the slower pattern; "st" and
"rd" only as words, since " st" starts "staff" and "still"."""
_NOT_STREET_NAME_WORDS = frozenset(
    re.findall(
        r"[\w']+",
        "minute minutes min mins hour hours hr hrs mile miles km metre metres yard yards day days"
        " week weeks month months year years bed beds bay bays ward wards of the a an to and or"
        " is are was were be been so too very quite more less far long short times people staff"
        " patients nurses cars car us them we they in on at by for with from other different new"
        " lane way road street minutes' hours' miles' one two three four five lanes roads"
        " star stars point points percent per",
    )
)
_STREETLIKE_NAME = re.compile(
    r"(?=\d)(?<![\w£$.,])(?P<address>\d{1,4}[A-Za-z]?\s+[A-Z][a-z]+"
    r"(?:way|gate|side|mead|croft|dale|bank|wood|field|fields|ridge|moor|brow|hurst|combe"
    r"|holme|garth|lands))\b"
    r"(?!\s+(?i:ward|unit|wing|suite|house|clinic|centre|center|hospital|bay|team|practice))"
)
"""A house number and one word shaped like a street's name ("at 40 Kingsway", "to 5
Northgate") after a word of place."""
_PLACE_WORD_BEFORE = re.compile(
    r"(?i)\b(?:at|to|on|from|outside|opposite|near|off|behind|into)\s+$"
)
_ADDRESS_AFTER_CUE = re.compile(
    r"(?i:\b(?:live[sd]?|living|stay(?:s|ed|ing)?)\s+at|\bmov(?:e|ed|ing)\s+(?:to|from|into)"
    r"|\baddress\s*(?:is|was|[:\-])"
    r"|\b(?:sent|posted|delivered|forwarded|addressed|turned\s+up|visit(?:s|ed|ing)?)\b"
    r"(?:\s+[\w'’]+){0,4}?\s+(?:to|at)"
    r"|\b(?:go(?:es|ing)?|went|gone)\s+(?:round\s+|back\s+)?to"
    r"|\b(?:send|sending|posting|delivering|forwarding)\b(?:\s+[\w'’]+){0,4}?\s+(?:to|at)"
    r"|\b(?:house|home|flat)\s+(?:is\s+)?(?:at|on)|\bat\s+home)\s+"
    r"(?P<address>(?:(?i:flat|apartment|apt|unit)\s+\d{1,4}[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    r"(?!(?i:wards?|bays?|beds?|days?|nights?|weeks?|months?|years?|hours?|shifts?|minutes?"
    r"|north|south|east|west|long|short|different|other|more|patients?|staff|the\s+ward"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
    r"|june|july|august|september|october|november|december)\b)"
    r"(?:(?i:(?:[a-z'’]+\s+){1,3}(?:"
    + _STREET_WORDS
    + r"))\b|(?:The\s+)?[A-Z][a-z'’]+(?:[\s-][A-Z][a-z'’]+){0,2}(?![\w'’])))"
    r"(?!\s+(?i:hospital|clinic|surgery|health|medical|practice|centre|site|unit|office|hub"
    r"|ward|bay|band))"
)
"""An address after "I live at", "address is", "sent ... to", "my house on"...: a house
number and capitalised words with no street word ("221 Kingsway", "34 The Paddocks"), or
words in any case ending in a street word ("flat 4 101 station road")."""
_ANY_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W\d_]+"
"""A capitalised word, accents allowed: "Sràid", "Bóthar"."""
_STREET_WITHOUT_STREET_WORD = re.compile(
    rf"(?=\d)(?<![\w£$.,])(?P<street>\d{{1,4}}[A-Za-z]?,?\s+(?:The\s+)?(?P<name>{_ANY_CAPITALISED}"
    rf"(?:\s+(?:(?P<particle>{_CELTIC_PARTICLE})\s+(?:h-)?)?{_ANY_CAPITALISED}){{0,2}}))"
    rf",\s+(?P<place>{_CAPITALISED}(?:{_PLACE_JOIN}{_CAPITALISED}){{0,2}})"
    r"(?=\s*(?:[,.;:!?)]|$|\s+[a-z]|\s+[A-Z]{1,2}\d))"
)
"""A house number, a street's name with no street word and, after a comma, its village or
town: "3 Tan y Bryn, Bethesda", "6 The Paddocks, Hook Norton", "9 Craigpark, Dennistoun"."""
_ADDRESS_WORD_BEFORE = re.compile(
    r"(?i)(?:\b(?:at|to|from|in|into)|\baddress\s*(?:is|was|[:\-]))\s+$"
)
_NOT_STREET_WITHOUT_STREET_WORD = frozenset(
    re.findall(
        r"\w+",
        "hospital hospitals clinic clinics ward wards trust trusts site sites team teams unit units"
        " practice practices surgery surgeries centre centres",
    )
)
_NAMED_STREET = (
    rf"(?:[A-Z][a-z'’]+[\s-]){{1,3}}(?:{_STREET_WORDS.title()}"
    r"|Rd|Ave|St|Ln|Cl|Cres|Gdns|Gro|Tce|Terr|Pl|Sq|Ct|Crt|Pde)\b"
)
"""Capitalised words ending in a street word: "Beechwood Crescent", "Tolpuddle St"."""
_STREET_AFTER_CUE = re.compile(
    r"(?i:\b(?:live[sd]?|living)\s+(?:on|in|off|at)"
    r"|\b(?:house|home|flat|patients|residents|neighbours)\s+(?:is\s+|are\s+)?(?:on|in|off)"
    r"|\b(?:my|our|his|her|their)\s+(?:street|road)\s*(?:\(|,|:|\s(?:is|was))"
    r"|\s(?:and|&))(?:\s+|(?<=\())"
    rf"(?P<address>{_NAMED_STREET})"
    r"(?!\.?\s+(?i:hospital|clinic|surgery|health|medical|practice|centre|site|unit|office|hub"
    r"|building|ward))"
)
"""A street without a house number where someone lives: "lives on Beechwood Crescent", "at
home on Tolpuddle St", "in my street (Juniper Crescent)", "patients on Elmtree Ave and
Hawthorn Rd" (the second street of a list too)."""
_STREET_NEAR_HOME = re.compile(
    rf"(?<![\w'’])(?P<address>{_NAMED_STREET})\s+(?:near|by|next\s+to|opposite|close\s+to"
    r"|round\s+the\s+corner\s+from)\s+(?:my|our|his|her|their)\s+(?:house|home|flat)\b"
)
"""A street without a house number said to be near someone's home: "is on Harrow Road near
my house"."""
_HOME_WORDS = (" house", " home", " flat")


def _addresses(text: str, lowered: str, has_digit: bool) -> Iterable[tuple[int, int]]:
    """Street addresses, with or without a cue, with the town and postcode after them."""
    yield from _with_town_and_postcode(text, _streets(text, lowered, has_digit))
    if "box" in lowered:
        for match in _PO_BOX.finditer(text):
            end = match.end()
            locality = _LOCALITY.match(text, end)
            if locality and _is_place(locality.group("place")):
                end = locality.end("place")
            yield match.start(), end


def _address_lines(text: str, lowered: str, has_digit: bool) -> Iterable[tuple[int, int]]:
    """Addresses without a house number shaped as a line of an envelope: a dwelling and its
    estate, a house's name with its street and town or with its village and town, a house's
    name after a cue, parts before a postcode."""
    if any(word in lowered for word in _DWELLING_WORDS):
        for match in _DWELLING.finditer(text):
            yield match.start(), match.end()
    for match in _STREET_BETWEEN_COMMAS.finditer(text):
        house = _HOUSE_NAME_BEFORE_STREET.search(text[max(0, match.start() - 40) : match.start()])
        locality = _LOCALITY.match(text, match.end("street"))
        if (
            house
            and locality
            and locality.group("place").split()[0].lower() not in _NOT_PLACE_WORDS
        ):
            yield match.start() - len(house.group()), locality.end("place")
    if any(word in lowered for word in _HOUSE_AND_PLACE_WORDS):
        for match in _HOUSE_AND_PLACES.finditer(text):
            places = match.group("places").split(",")[1:]
            if all(_is_place(place.strip()) for place in places):
                yield match.span()
    if any(word in lowered for word in _CUE_WORDS):
        for match in _NAMED_HOUSE_AFTER_CUE.finditer(text):
            house = match.group("house").lower()
            if (
                house not in PLACES
                and not any(word in PLACES or word in _RANK_WORDS for word in house.split())
                and not all(is_english(word) for word in house.split())
                and _is_place(match.group("place"))
            ):
                yield match.span("address")
    if has_digit:
        for match in POSTCODE.finditer(text):
            line = _ADDRESS_LINE_BEFORE_POSTCODE.search(
                text[max(0, match.start() - 100) : match.start()]
            )
            if line:
                yield match.start() - len(_without_a_person(line.group())), match.end()


def _without_a_person(line: str) -> str:
    """An address line less a person's name opening it, as a letter is headed: "Joanne
    Pryce, 8 Harebell Close, Worksop" -> "8 Harebell Close, Worksop"."""
    first, comma, rest = line.partition(",")
    words = first.split()
    if (
        comma
        and 2 <= len(words) <= 3
        and words[0].lower() in FIRST_NAMES | MORE_FIRST_NAMES
        and not _HOUSE_WORD.search(first)
    ):
        return rest.lstrip()
    return line


def _streets(text: str, lowered: str, has_digit: bool) -> Iterable[tuple[int, int]]:
    """Street addresses, with or without a cue (see :mod:`analysis.comments.redaction`),
    without the town."""
    found = []
    if has_digit:
        for match in _ADDRESS.finditer(text):
            start = match.start()
            before = _BEFORE_THE_HOUSE_NUMBER.search(text[max(0, start - 80) : start])
            if before:
                start -= len(before.group())
            elif house := _HOUSE_NAME_AFTER_CUE.search(text[max(0, start - 60) : start]):
                start -= len(house.group("house"))
            elif _NOT_A_HOUSE_NUMBER_BEFORE.search(text[max(0, start - 12) : start]):
                continue
            found.append((start, match.start() + len(match.group().rstrip("."))))
    if any(word in lowered for word in _WITHOUT_NUMBER_WORDS):
        for match in _ADDRESS_WITHOUT_NUMBER.finditer(text):
            found.append((match.start(), match.start() + len(match.group().rstrip("."))))
    if "," in text:
        found.extend(_address_lines(text, lowered, has_digit))
    yield from found
    if not has_digit:
        return
    any_case = any(word in lowered + " " for word in _LOWER_STREET_WORDS)
    for match in _ADDRESS_ANY_CASE.finditer(text) if any_case else ():
        address = match.group("address")
        words = match.group("words").split()
        street_word = address.rsplit(maxsplit=1)[-1]
        written_as_one = address.islower() or address.isupper()
        capitalised_name = street_word.islower() and all(word.istitle() for word in words)
        if (written_as_one or capitalised_name) and not _NOT_STREET_NAME_WORDS.intersection(
            word.lower() for word in words
        ):
            yield match.span("address")
    for match in _ADDRESS_AFTER_CUE.finditer(text):
        yield match.span("address")
    for match in _STREETLIKE_NAME.finditer(text):
        if _PLACE_WORD_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            yield match.span("address")
    if "," in text:
        yield from _streets_without_street_word(text)


def _streets_without_street_word(text: str) -> Iterable[tuple[int, int]]:
    """A house number and a street's name with no street word, before a comma and its town:
    after "at", "to", "from", "address is", after a flat or house name, or with a Welsh or
    Gaelic article ("12 Tigh na Mara, Oban"); the town is added by the caller."""
    for match in _STREET_WITHOUT_STREET_WORD.finditer(text):
        start = match.start()
        before = _BEFORE_THE_HOUSE_NUMBER.search(text[max(0, start - 80) : start])
        words = {word.lower() for word in re.findall(r"\w+", match.group("name"))}
        if (
            (before or match.group("particle") or _ADDRESS_WORD_BEFORE.search(text[:start]))
            and not _NOT_A_HOUSE_NUMBER_BEFORE.search(text[max(0, start - 12) : start])
            and not words & (_NOT_STREET_NAME_WORDS | _NOT_STREET_WITHOUT_STREET_WORD)
            and _is_place(match.group("place"))
        ):
            yield start - (len(before.group()) if before else 0), match.end("street")


def street_addresses(text: str, lowered: str, has_digit: bool) -> Iterable[tuple[int, int]]:
    """The ``(start, end)`` spans of the street addresses of a comment.

    Several rules may find the same address: the spans may repeat and overlap, and
    :func:`~analysis.comments.redaction.find_identifiers` keeps the longest.

    Parameters
    ----------
    text : str
        The comment.
    lowered : str
        ``text.lower()``, for the quick tests before the slower patterns.
    has_digit : bool
        Whether ``text`` holds a digit; patterns that need a house number run only then.

    Examples
    --------
    >>> text = "I live at Flat 2, 17 Carrington Street, Leeds LS6 2QB now"
    >>> {text[start:end] for start, end in street_addresses(text, text.lower(), True)}
    {'Flat 2, 17 Carrington Street, Leeds LS6 2QB'}
    """
    if "live" in lowered or "address" in lowered:
        for match in _HOUSE_WHERE_SOMEONE_LIVES.finditer(text):
            yield from _with_town_and_postcode(text, [match.span("address")])
    end_of_street = -1
    for match in _STREET_AFTER_CUE.finditer(text):
        if match.group().lstrip()[:1] not in "a&" or match.start() == end_of_street:
            end_of_street = match.end()
            yield match.span("address")
    if any(word in lowered for word in _HOME_WORDS):
        for match in _STREET_NEAR_HOME.finditer(text):
            yield match.span("address")
    if has_digit or "," in text:
        yield from _addresses(text, lowered, has_digit)
