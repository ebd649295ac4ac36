"""Redaction of personal identifiers from staff comments before they are quoted.

:func:`redact` replaces each identifier with a typed placeholder, :func:`find_identifiers`
says where they are. Both work offline, with regular expressions, checksums and name lists
(no language model), fast enough for 10,000 comments in about two seconds. Patterns that
need a cue word run only on comments holding one, and the slower ones only on comments with
a digit.

What is found, and the decisions taken where the text is ambiguous:

``EMAIL``
    ``name@domain.tld``, in any case, with ``+`` tags (``jo.b+survey@nhs.net``); and
    addresses written out so that robots do not read them: ``k.osei at nhs dot net``,
    ``ruth [at] gmail [dot] com``, ``p_a(at)outlook.com``, ``tom.b @ nhs.net``. With a
    plain " at " and a plain domain the part before must look like an address's (a dot,
    ``_`` or a digit: "jo.bloggs at nhs.net", not "I work at nhs.net").
``URL``
    ``http(s)://...``, ``www....`` and bare domains such as ``linkedin.com/in/...``,
    ``bit.ly/...``, ``forms.gle/...`` (the domain must end in a common top-level domain:
    com, org, net, uk, io, gle, blog, ...). The bare NHS domains ``nhs.net`` and ``nhs.uk``
    name the e-mail system and the website, not anyone's page, and are kept.
``PHONE``
    UK numbers in every common writing: ``07700 900123``, ``07700-900-123``, ``07700.900.123``,
    ``07700900123``, ``+44 7700 900123``, ``+44-7700-900123``, ``(+44) 7700 900123``, ``+44
    (0)7700 900123``, ``0044 ...``, ``(01225) 824567``, ``020 7946 0018``, ``0113 496 0789``,
    ``0800``/``0300``/``0345`` numbers; numbers of other countries after ``+`` (``+353 87 123
    4567``, 8 to 15 digits). An 11-digit number starting with 0 is a phone number; so is a
    10-digit one starting with 01 that fails the NHS number check (a few areas still have
    9-digit local numbers). Extensions after "ext", "extension" or "x" (``ext. 4521``,
    ``x4417``) join the number before; alone, "x" needs "on", "call", "ring", "my extension
    is"... before it. A bleep or pager number ("bleep 2417", "bleep me on 6651") is a phone
    number unless it is a role's ("the bleep", "crash bleep", "on-call bleep").
``NHS_NUMBER``
    Ten digits, written together or spaced (3-3-4 or any other grouping), whose last digit
    is the modulus-11 check digit of the first nine (:func:`is_valid_nhs_number`). A
    10-digit number that fails the check is an NHS number when written 3-3-4 (``123 456
    7890``, ``485-777-3456``: the NHS's own grouping, and a mistyped NHS number still
    points at a patient), or when the writer says it is one or whose it is, before or
    after ("NHS number, 487 222 6977", "patient 4505577109", "4505577109 - that
    patient"); other 10-digit numbers failing the check (order numbers, references) are
    kept. A UK phone number has 11 digits with its leading 0, so it is never taken for an
    NHS number. Other patient identifiers are found as this kind: a code with five digits
    or more after "hospital number", "MRN", "CHI", "case note number"...
``NI_NUMBER``
    National Insurance numbers, ``AB 12 34 56 C`` in any spacing or case, with the
    prefixes HMRC never issues (first letter D F I Q U V, second letter D F I O Q U V,
    BG GB KN NK NT TN ZZ) left out; the final letter may be missing after "NI number",
    "N.I. no" or "national insurance"; any prefix after those or in pay and tax.
``POSTCODE``
    Full postcodes (``BA1 3NG``, ``bs8 1th``, ``Ls6 2qb``, ``GL513PR``) in any case.
    Outward codes alone where they are unambiguous: a two-letter postcode area (``BA2``,
    ``ls6``) after a word of place ("live in", "moved to", "at", "near", "postcode") and
    lists of them ("BS3 and BS4"); one-letter areas in any case (``B12``, ``m21``, ``L8``) after
    "postcode", "I live in", "moved to" or in a list ("L8 and L17"), but not B in a list
    nor M after "the", because B12 is a vitamin and the M62 a motorway; and never ``CT``,
    ``FY`` or ``ST`` followed by a digit, which in the NHS are training grades (FY1, CT2,
    ST3).
``HANDLE``
    Social media handles: ``@`` then letters, digits, ``_`` or ``.`` (``@ward7_insider``),
    not inside an e-mail address, and not a time ("handover @8pm", "@0800").
``STAFF_ID``
    Whatever matches ``staff_id_pattern`` (a regular expression, from the data package's
    ``dataset.yml``, checked by :func:`check_staff_id_pattern`), in any case ("e882013"
    for ``E\\d{6}``), written with a space or dash between its letters and digits ("NF
    20417", "QMC-104431") and with an assignment's suffix ("30918842-1"); and any code with
    three digits or more after "staff number", "employee ID", "payroll ref", "assignment
    number", "ESR no", "smartcard number", "badge number"... (with "is", "was", "of", ":",
    "-" between), or called one after it ("E304412 is my staff number"). After "ESR",
    "badge", "assignment" or "employee" alone, a code with five digits or more, or with
    letters and three digits or more.
``GMC_NUMBER``
    Seven digits, together or spaced ("7 081 234"), within a few words after "GMC" or
    "General Medical Council" ("GMC 7041832", "GMC-7041832", "gmc#7711223", "GMC ID is
    ..."); seven digits called a GMC number after them ("7456123 is his GMC number"), but
    not a Datix, incident or order reference; seven digits alone are kept.
``NMC_PIN``
    Two digits, a letter, four digits and a letter (``12A3456E``), in any case; after "NMC"
    or "PIN", with spaces or dashes too (``19A 2345E``, ``12C-4567-E``).
``ADDRESS``
    A house number (``42``, ``27a``, ``5-7``) and one to three capitalised words ending in a
    street word (Road, Street, Lane, Avenue, Close, Grove, Terrace, Estate, Business Park...) or
    its abbreviation (Rd, Ave, Cres, Gdns; St and Dr not before a capitalised word, where they
    are Saint and Doctor): ``42 Elmfield Road``, ``3 Queen St``, with what comes before the
    number (``Flat B,``, ``Suite 4, 2nd Floor,``, a house name such as ``The Old School
    House,``, a block such as ``Elm Court,``, a building such as ``St James's University
    Hospital,``) and after the street (a village or town after a comma, not a person's name, and
    a postcode): ``2 Church Lane, Little Wenham``, ``5 Kingsley Terrace, SO15 2JD``. Without a
    house number, a flat, unit or house name and a street (``Unit 3, Millbrook Industrial
    Estate``, ``Rose Cottage, Mill Lane``); after a flat, a house number and capitalised words
    (``Flat 2, 14 The Maltings``). A number after "the", "ward", "bay", "band"... is no house
    number ("the 3 Tuns Road clinic", "Ward 3, Station Road site"). In lower case or capitals, a
    house number and one or two words ending in a street word (``12 elm grove``, ``42 ELMFIELD
    ROAD``), or capitalised before a street word in lower case (``42 Elmfield road``), unless a
    word says time, distance or quantity ("a 20 minute drive", "a 2 lane road"). After "at",
    "to", "outside"..., a house number and one word shaped like a street's name (``40
    Kingsway``, ``5 Northgate``). After "I live at", "my address is", "sent ... to", "my house
    on"..., a house number and one to three capitalised words without a street word (``221
    Kingsway``, ``34 The Paddocks``), or words in any case ending in a street word; after "lives
    on", a street without a number. "No." before the house number is taken in (``No. 9 Primrose
    Hill Road``); every address takes the town and postcode after it, a town in any case before
    a postcode (``7 oakwood crescent wigan wn1 2qq``); a post office box (``PO Box 4127``,
    ``P.O. Box 77, Leeds``) is an address. Also: a house's name after "the", "c/o" or "Ground
    Floor Flat" before the number (``the Laurels, 44 Park Crescent``); a flat, plot or caravan
    and its estate or park (``Caravan 12, Sunnyside Holiday Park``); a house's name, a street
    and a town without a number (``Meadow View, Station Road, Hebden Bridge``); the comma-parted
    parts of an address line before a postcode (``Hill Farm, Long Sutton PE12 9XX``); a UK town
    in any case after an address so written (``14 BRIARWOOD DRIVE, PENISTONE``, ``8 elm view
    colne``), towns with small words (``Ashby de la Zouch``); "Floor 2,", "Building 3,", "Block
    C," and a building's name before the street (``Building 3, Parkside, Queen Elizabeth
    Road``); Welsh streets, the street word first (``41 Ffordd Glyndwr``, ``Heol y Felin``); "at
    home" before the house number; "flat 5 at" before it; a house's name where someone lives
    (``lives at Wisteria Lodge``, ``we live at Ty Gwyn``); a village then its town, a county
    and an outward code after the address (``3 Beech Way, Roundhay, Leeds``, ``..., Clitheroe,
    Lancashire``, ``9 Fir Close, M14``). A street named without a house
    number ("the traffic on Kirkstall Road") locates nobody and is kept, unless someone lives
    there ("at home on Raglan St", "patients on Oakfield Ave and Birch Rd"). The patterns are in
    :mod:`analysis.comments.addresses`.
``DATE_OF_BIRTH``
    A date written after "DOB", "D.O.B.", "date of birth", "date-of-birth", "born", "birthday",
    "b'day", or an age ("I turn 60 on", "he will be 50 on") (``12/03/1975``, ``3.2.71``,
    ``1971-02-03``, ``3rd March 1968``, ``3rd Feb '71``, ``Feb 3rd 1971``, ``30 Nov 1979``,
    ``June 1971``, ``born in 1962``, ``born in '68``), or called one after it ("02/06/1980 is my
    date of birth"); other dates are kept.
``NAME``
    Person names, see :mod:`analysis.comments.names`. Titles and roles stay, the name goes:
    "Dr Patel" becomes "Dr [NAME]".

What identifies nobody is kept: "Band 5", "Ward 7", "2 weeks", "in 2005", "the NHS",
"Monday", "10mg", "6 staff", "Room 14", "ICD-10 F32.1", and the places listed in ``keep``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis.comments.addresses import POSTCODE, street_addresses
from analysis.comments.name_tagger import tagged_names
from analysis.comments.names import NameList, find_person_names
from analysis.comments.names_beside import names_beside_found
from analysis.datapackage.staff_id_pattern import (
    STAFF_ID_PATTERN_MAX_LENGTH,
    check_staff_id_pattern,
)

__all__ = [
    "IDENTIFIER_KINDS",
    "STRUCTURED_KINDS",
    "Identifier",
    "find_identifiers",
    "redact",
    "is_valid_nhs_number",
    "check_staff_id_pattern",
    "STAFF_ID_PATTERN_MAX_LENGTH",
    "read_labelled_identifiers",
    "redaction_scores",
]

IDENTIFIER_KINDS = (
    "EMAIL",
    "URL",
    "HANDLE",
    "STAFF_ID",
    "GMC_NUMBER",
    "NMC_PIN",
    "NHS_NUMBER",
    "NI_NUMBER",
    "PHONE",
    "DATE_OF_BIRTH",
    "ADDRESS",
    "POSTCODE",
    "NAME",
)
"""The kinds of identifier, in the order that wins when two claim the same text."""

STRUCTURED_KINDS = tuple(kind for kind in IDENTIFIER_KINDS if kind != "NAME")
"""The kinds found by pattern and checksum rather than by name lists."""

_PRIORITY = {kind: rank for rank, kind in enumerate(IDENTIFIER_KINDS)}


class Identifier(NamedTuple):
    """A personal identifier found in a comment: ``text[start:end]`` is of ``kind``."""

    start: int
    end: int
    kind: str
    text: str


_TOP_LEVEL_DOMAINS = (
    "com|org|net|uk|io|info|gov|edu|co|me|ly|ac|nhs|scot|wales|cymru|ie|eu|us|ca|au|de|fr"
    "|be|gle|app|blog|site|online|xyz|tv|page|link"
)
_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_AT_WRITTEN_OUT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s+@\s*|\s*@\s+)"
_DOT_WRITTEN_OUT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_EMAIL_WRITTEN_OUT = re.compile(
    rf"(?<![\w.+%-])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*(?:{_DOT_WRITTEN_OUT}[A-Za-z0-9_%+-]+)*)"
    rf"(?P<at>{_AT_WRITTEN_OUT})"
    rf"(?P<domain>[A-Za-z0-9-]+(?:(?:\.|{_DOT_WRITTEN_OUT})[A-Za-z0-9-]+)*"
    rf"(?:\.|{_DOT_WRITTEN_OUT})(?:{_TOP_LEVEL_DOMAINS}))(?![\w@])",
    re.IGNORECASE,
)
"""An address written so that robots do not read it: "k.osei at nhs dot net",
"ruth [at] gmail [dot] com", "jo @ nhs.net". With a plain " at " and a plain domain, the
name before must look like an address's ("jo.bloggs at nhs.net", not "I work at nhs.net")."""
_EMAIL_CUE = re.compile(r"(?i)\b(?:e-?mail(?:\s+address)?|mail|contact)\b(?:\s+me)?\W*$")
"""What says an address written with a plain " at " is one: "email me: jsmith at nhs.net"."""
_WRITTEN_OUT_WORDS = (" dot ", "at]", "at)", "at}", "at>", "dot]", "dot)")
_AT_DOMAIN = re.compile(r" at [\w-]+\.[a-z]")
"""What an address written out needs, looked for in lower case before the slower pattern."""
_URL = re.compile(
    r"(?<![\w@.-])(?:(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?:[a-z0-9-]+\.)+(?:{_TOP_LEVEL_DOMAINS})(?:/[^\s<>\"']*)?(?![\w@]))",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\""
_NOT_AN_ADDRESS_OF_ANYONE = frozenset({"nhs.net", "nhs.uk", "nhs.scot", "nhs.wales"})
"""Bare NHS domains name the e-mail system or the website, not a page of anyone's."""

_NUMBER = re.compile(
    r"""
    (?<![\w+/£$,])(?<!\d\.)
    (?P<prefix>(?:\(\+44\)|(?:\+|00)\s?44)[\s-]?(?:\(0\)\s?)?|\((?=0))?
    (?P<body>\d{1,11}(?:(?:\)\s?|\s?[-.]\s?|\s)\d{1,11}){0,5})
    (?![\w/]|[.,]\d)
    """,
    re.VERBOSE,
)
_DIGITS = re.compile(r"\d+")
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?!44)\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\d{1,4}){2,5}(?![\w/]|[.,]\d)"
)
"""A phone number of another country: "+353 87 123 4567" (8 to 15 digits)."""
_EXTENSION = re.compile(
    r"\b(?:extension|extn|ext)(?![a-z])\.?\s*(?:(?:is|no\b\.?|number|:)\s*)?(?P<number>\d{3,6})\b",
    re.IGNORECASE,
)
_X_EXTENSION = re.compile(r"(?<![\w.])x\.?\s?(?P<number>\d{3,6})\b", re.IGNORECASE)
"""An extension written "x4417": a phone number only after one or after "on", "call",
"my extension is"..."""
_PHONE_CUE = re.compile(
    r"(?i)\b(?:on|call|ring|dial|phone|tel|contact|me|ext(?:ension|n)?(?:\s+(?:is|was|number))?)"
    r"\W*$"
)
_BLEEP = re.compile(
    r"\b(?:bleep|pager|blp)s?\b(?:\s*(?:number|no\b\.?|num|#|is|was|me|on|at|:|-)){0,3}\s*"
    r"(?P<number>\d{3,6})\b",
    re.IGNORECASE,
)
"""A bleep or pager number ("bleep 2417", "bleep me on 6651"), found as a phone number."""
_SHARED_BLEEP = re.compile(
    r"(?i)\b(?:the|a|an|one|on[\s-]?call|crash|arrest|team|ward|site|unit)\s+$"
)
"""A bleep held by a role, not by a person: "The bleep 1234 is held by whoever is on call"."""
_ABBREVIATED_EXTENSION = re.compile(r"(?:ext|extn|x)\.?\s?:?\s?", re.IGNORECASE)
_EXTENSION_GAP = re.compile(r"[\s,(]*")
"""What may stand between a phone number and its extension, which then join."""
_NHS_CUE = re.compile(
    r"\b(?:nhs|chi|patient|pt|client|service\s+user|resident|hospital|medical\s+record)"
    r"(?:['’]?s)?\s*(?:number|no\b\.?|num|#|id)?"
    r"(?:\s*(?:is|was|of|as|[:.,\-–])){0,2}\s*\(?\s*$",
    re.IGNORECASE,
)
"""What calls ten digits failing the check an NHS number: "NHS no.", or the person it
belongs to ("patient 4505577109", "client's number")."""
_NHS_CUE_AFTER = re.compile(
    r"[\s\-–:,()]*(?:(?:is|was)\s+)?(?:(?:the|a|my|his|her|their|our|this|that)\s+)?"
    r"(?:patient|pt|nhs)\b",
    re.IGNORECASE,
)
"""The same cue after the number: "4505577109 - that patient", "... is the patient's"."""
_PATIENT_ID = re.compile(
    r"\b(?:(?:hospital|hosp|unit|case\s?notes?|medical\s+records?|patient|pas|rio|k)\s*"
    r"(?:number|no\b\.?|num|id|#)|mrn|chi)\b\s*(?:(?:is|was|of|:|#|-)\s*){0,2}\(?"
    r"(?P<id>[A-Z]{0,4}[-/]?\d[A-Z\d-]*\d)(?![\w-])",
    re.IGNORECASE,
)
"""A patient's hospital number, MRN or CHI number: "Hospital number RTH4412098", "MRN
40917723" (found as NHS_NUMBER, the patient identifier kind)."""
_NOT_A_PERSON_BEFORE = re.compile(
    r"(?i)\b(?:datix|incident|ref|reference|order|invoice|case|complaint|ticket|job|po)\b"
    r"[\s.:#-]*(?:no\b\.?|number|num)?[\s.:#-]*$"
)
"""References to things, not people: "Datix 7710023 was about the GMC referral"."""

_NI = re.compile(
    r"(?<!\w)(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"(?:[ -]?\d{2}){3}(?P<suffix>[ -]?[A-D])?(?!\w)",
    re.IGNORECASE,
)
_NI_ANY_PREFIX = re.compile(r"(?<!\w)[A-Z]{2}(?:[ -]?\d{2}){3}[ -]?[A-D]?(?!\w)", re.IGNORECASE)
"""An NI number with any two letters: after "NI number", prefixes never issued count too
("QQ 12 34 56 C", HMRC's example)."""
_NI_CUE = re.compile(
    r"(?:\bni\b|\bn\.\s?i\b\.?|\bnino\b|\bnational\s+insurance\b)\s*(?:number|no\b\.?)?"
    r"\s*(?:is|was|as|[:\-])?\s*$",
    re.IGNORECASE,
)

_NI_PAY_CUE = re.compile(
    r"\b(?:payroll|payslips?|hmrc|tax|pension|p45|p60)\b(?:\s+[\w'’]+){0,3}\s*[:\-]?\s*$",
    re.IGNORECASE,
)
"""Pay and tax, where NI numbers are written: "Payroll used QQ123456A"."""

_ORDINAL = re.compile(r"(?i:1st|2nd|3rd|[04-9]th)$")
# Two-letter postcode areas; CT, FY and ST are left out: in the NHS they are training
# grades (CT1, FY2, ST3), which staff mention far more often than Canterbury or Stoke.
_AREAS = re.findall(
    r"\w+",
    "AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CV CW DA DD DE DG DH DL DN DT DY "
    "EC EH EN EX FK GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL "
    "LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM "
    "SN SO SP SR SS SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE",
)
_ONE_LETTER_AREAS = "BEGLMNSW"
"""Birmingham, East London, Glasgow, Liverpool, Manchester, North London, Sheffield, West
London: "B12" is also a vitamin and "M4" a motorway, so these need a stronger cue."""
_AREA_SET = frozenset(_AREAS)
_OUTWARD = r"[A-Za-z]{1,2}\d{1,2}[A-Za-z]?(?!\w)"
"""An outward code's shape; :func:`_is_outward_code` says whether its area is one."""
_OUTWARD_LIST = re.compile(
    r"(?i:\b(?P<cue>in|at|from|near|to|around|postcodes?|post\s?codes?|area|lives?|lived|living"
    r"|based|covers?|covering)\s+(?P<the>the\s+)?)"
    rf"(?P<codes>{_OUTWARD}(?:(?:\s*,\s*|\s+(?i:and|or|&)\s+|\s*/\s*){_OUTWARD})*)"
)
_OUTWARD_CODE = re.compile(_OUTWARD)
_HOME_CUE = re.compile(
    r"(?i)\b(?:(?:live[sd]?|living|based|house|home|flat)\s+(?:in|near|at)"
    r"|mov(?:e|ed|ing)"
    r"\s+(?:house\s+)?to|post\s?codes?\s*(?:is|was|of|:)?)\s+(?:the\s+)?$"
)
"""Where a one-letter outward code is a postcode: "i live in M21", "moved to L8"."""
_POSTCODE_CUE_OUTWARD = re.compile(
    r"(?i:\bpost\s?code\s*(?:is\s+|:\s*)?)(?P<code>[A-Z]{1,2}\d{1,2}[A-Z]?)(?!\w)"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_WITHOUT_FULL_STOP = _MONTH.removesuffix(r"\.?")
_FULL_STOP_AFTER_A_MONTH = re.compile(r"[a-z]{5,}\.$", re.IGNORECASE)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|['’]\d{2})"
_DATE = (
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    rf"|{_DAY}[\s\-/]+(?:of\s+)?{_MONTH}(?:,?[\s\-/]+(?:\d{{4}}|['’]?\d{{2}}(?![\d:])))?"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY},?\s+{_YEAR}"
    rf"|{_MONTH_WITHOUT_FULL_STOP}\s+(?:the\s+)?{_DAY}"
    rf"|{_MONTH},?\s+{_YEAR}"
    r"|(?:19|20)\d{2}|['’]\d{2}"
    r"|\d{1,2}[/.]\d{1,2}(?![/.]?\d)"
)
_DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date[\s-]+of[\s-]+birth|birth[\s-]?date|born|birthday"
    r"|b['’-]?day|\b(?:i|he|she)(?:(?:['’]ll|\s+will)\s+(?:be|turn)"
    r"|\s+(?:am\s+|is\s+|was\s+)?turn(?:s|ed|ing)?)\s+(?:1[6-9]|[2-9]\d)(?:\s+years?\s+old)?\s+on)"
    r"(?:['’]s)?"
    r"(?:\s*[:\-–,(=]\s*|\s+)(?:(?:is|was|on|in|the|of|being|as)\s+){0,3}"
    rf"(?P<date>{_DATE})(?![\w/])",
    re.IGNORECASE,
)
_DATE_OF_BIRTH_AFTER = re.compile(
    rf"(?<![\w/.])(?P<date>{_DATE})(?![\w/])(?=\s*\)?\s*(?:is|was|[-–,(:])?\s*"
    r"(?:my|his|her|their|the\s+patient['’]s)\s+(?:d\.?o\.?b\b|date\s+of\s+birth|birthday))",
    re.IGNORECASE,
)
"""A date called a date of birth after it: "03/02/1971 is my date of birth"."""
_DATE_OF_BIRTH_MINE = re.compile(
    r"\b(?:d\.?o\.?b(?:s|['’]s)?|dates?\s+of\s+birth|birthdays?|b['’-]?days?)(?![\w.])"
    r"[^.!?]{0,60}?"
    r"\b(?:mine|his|hers|theirs)\s+(?:is|was|being|[:=])\s+(?:on\s+)?(?:the\s+)?"
    rf"(?P<date>{_DATE})(?![\w/])",
    re.IGNORECASE,
)
"""A date that is someone's own, after talk of dates of birth: "putting everyone's DOB on the
board (mine is 21 June 1990)"."""

_STAFF_ID_CUE = re.compile(
    r"\b(?:(?P<worded>(?:staff|employee|emp|payroll|pay|personnel|assignment|esr|badge"
    r"|smart\s?card)\s*(?:number|no\b\.?|num|id|#|ref(?:erence)?\b\.?|code))"
    r"|esr|smart\s?card|badge|assignment|employee"
    r"|(?:(?:my|his|her|their)\s+id|(?-i:ID))(?:\s*(?:number|no\b\.?|num))?)"
    r"\s*(?:(?:is|was|of|[:#=\-–])\s*){0,2}\(?(?P<id>[A-Z]{0,5}[-/]?\d[A-Z\d/-]*[A-Z\d]|\d)"
    r"(?![\w-])",
    re.IGNORECASE,
)
"""A code with a digit after "staff number", "employee ID", "payroll ref", "ESR no:",
"smartcard number", "badge number"...; after "ESR", "badge", "assignment", "employee",
"my ID" or "ID" alone, a code with five digits or more, or with letters and three digits or
more."""
_STAFF_ID_AFTER = re.compile(
    r"(?<![\w-])(?P<id>[A-Z]{0,5}[-/]?\d[A-Z\d/-]*[A-Z\d])(?=\s+(?:is|was)\s+(?:my|his|her|their)"
    r"\s+(?:staff|employee|esr|payroll|assignment|pay)\s*(?:number|no\b|id|ref))",
    re.IGNORECASE,
)
"""A code called a staff number after it: "E304412 is my staff number"."""
_ASSIGNMENT_SUFFIX = re.compile(r"[-/]\d{1,2}(?![\w-])")
"""An assignment's number after a staff number: "20773341-2"."""
_ANOTHER_REGISTER_BEFORE = re.compile(r"(?i)\b(?:gmc|nmc|nhs|patient|pt|hospital)\W*$")
_CODE_WITH_SEPARATOR = re.compile(r"(?<![\w-])(?P<letters>[A-Za-z]{1,6})[ -](?P<digits>\d{2,12})\b")
"""A code written with a space or dash where ``staff_id_pattern`` has none ("NF 20417")."""
_ANY_DIGIT = re.compile(r"\d")
_DATE_OF_BIRTH_WORDS = ("dob", "d.o.b", "d o b", "d. o. b", "birth", "born", "day", "turn", "ll be")
"""Words one of which a date of birth needs near it, looked for before the slower patterns;
"turn" and "ll be" for an age on a date ("I will be 60 on ...")."""
_BLEEP_WORDS = ("bleep", "pager", "blp")
_PATIENT_ID_WORDS = ("hosp", "unit", "case", "record", "patient", "pas", "rio", "k ", "mrn", "chi")
_STAFF_ID_WORDS = ("staff", "emp", "pay", "personnel", "assignment", "esr", "badge", "smart", "id")
"""Words one of which each cued pattern needs: the pattern runs only on comments with one."""

_HANDLE = re.compile(
    r"(?<![\w@.])@(?!\d{1,4}(?:[:.]\d{2})?\s?(?:am|pm|hrs?|h)?\b)"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?",
    re.IGNORECASE,
)
"""A handle, not a time ("handover @8pm", "meds @0800")."""
_GMC = re.compile(
    r"(?:\bGMC(?![a-z])|\bGeneral\s+Medical\s+Council\b)[^\d\n]{0,30}?"
    r"(?<!\d)(?P<number>\d(?:[ -]?\d){6})(?![ -]?\d)",
    re.IGNORECASE,
)
"""Seven digits, written together or spaced, within a few words after "GMC"."""
_GMC_AFTER = re.compile(
    r"(?<![\w+/£$.,])(?P<number>\d{7})(?![\d/.,]\d|\w)(?=(?:\W+[\w'’]+){0,3}?\W+GMC\b)",
    re.IGNORECASE,
)
"""Seven digits called a GMC number after them: "7456123 is his GMC number"."""
_NMC_PIN = re.compile(r"(?<![\w/])\d{2}[A-Za-z]\d{4}[A-Za-z](?!\w)")
_NMC_PIN_SPACED = re.compile(
    r"\b(?:nmc|pin)\b(?:\W{1,3}(?:number|no\b\.?|pin|is|was|registration)){0,3}\W{1,3}"
    r"(?P<pin>\d{2}\s?[A-Z][\s-]?\d{4}[\s-]?[A-Z])(?!\w)",
    re.IGNORECASE,
)
"""A PIN written with spaces or dashes ("19A 2345E", "12C-4567-E"), after "NMC" or "PIN"."""


def is_valid_nhs_number(number: str) -> bool:
    """Whether ``number`` is a valid NHS number: ten digits with a modulus-11 check digit.

    Parameters
    ----------
    number : str
        The number as written; spaces and dashes are ignored ("943 476 5919").

    Returns
    -------
    bool
        True when it has ten digits and the tenth is the check digit of the first nine.

    Notes
    -----
    Multiply the first nine digits by 10, 9, ..., 2 and add them up; the check digit is
    11 minus the remainder of that sum divided by 11, with 11 read as 0. A result of 10
    means the nine digits have no valid check digit, so no NHS number starts with them.

    References
    ----------
    NHS Digital, NHS Data Model and Dictionary: "NHS Number" (Modulus 11 algorithm).

    Examples
    --------
    >>> is_valid_nhs_number("943 476 5919")
    True
    >>> is_valid_nhs_number("943 476 5918")
    False
    """
    digits = re.sub(r"[\s-]", "", number)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


def _numbers(text: str) -> Iterable[tuple[int, int, str]]:
    """Phone and NHS numbers among the runs of digits in ``text``."""
    for match in _NUMBER.finditer(text):
        international = (match.group("prefix") or "").lstrip("(") != ""
        offset = match.start("body")
        groups = [
            (offset + g.start(), offset + g.end(), g.group())
            for g in _DIGITS.finditer(match.group("body"))
        ]
        first = 0
        while first < len(groups):
            found = _number_from(text, groups[first:], international and first == 0)
            if found is None:
                first += 1
                continue
            length, kind = found
            start = match.start() if first == 0 else groups[first][0]
            yield start, groups[first + length - 1][1], kind
            first += length


def _number_from(
    text: str, groups: list[tuple[int, int, str]], international: bool
) -> tuple[int, str] | None:
    """How many of ``groups`` (start, end, digits) make the longest phone or NHS number."""
    before = text[max(0, groups[0][0] - 30) : groups[0][0]]
    digits, best = "", None
    for count, (_, end, group) in enumerate(groups, start=1):
        digits += group
        if len(digits) > 11:
            break
        as_nhs_number = [len(g) for _, _, g in groups[:count]] == [3, 3, 4]
        kind = _number_kind(digits, international, before, as_nhs_number, text[end : end + 40])
        if kind is not None:
            best = (count, kind)
    return best


def _number_kind(
    digits: str, international: bool, before: str, grouped_3_3_4: bool, after: str
) -> str | None:
    """PHONE, NHS_NUMBER or None for a run of digits (see the module's notes)."""
    if international:
        return "PHONE" if len(digits) in (9, 10) and digits[0] != "0" else None
    if len(digits) == 11:
        return "PHONE" if digits[0] == "0" and digits[1] in "123578" else None
    if len(digits) != 10:
        return None
    if is_valid_nhs_number(digits):
        return "NHS_NUMBER"
    if digits.startswith("01"):
        return "PHONE"
    if grouped_3_3_4 and digits[0] != "0":
        return "NHS_NUMBER"
    if _NHS_CUE.search(before) or _NHS_CUE_AFTER.match(after):
        return "NHS_NUMBER"
    return None


def _phones(text: str, lowered: str) -> Iterable[Identifier]:
    """Phone and NHS numbers, extensions joined to the number before, bleeps."""
    phones = []
    for start, end, kind in _numbers(text):
        yield Identifier(start, end, kind, text[start:end])
        if kind == "PHONE":
            phones.append((start, end))
    if "+" in text:
        for match in _INTERNATIONAL.finditer(text):
            if 8 <= sum(character.isdigit() for character in match.group()) <= 15:
                yield Identifier(match.start(), match.end(), "PHONE", match.group())
    extensions = [(match, True) for match in _EXTENSION.finditer(text)] if "ext" in lowered else []
    extensions += [(match, False) for match in _X_EXTENSION.finditer(text)]
    for match, named in extensions:
        joined = False
        for start, end in phones:
            if _EXTENSION_GAP.fullmatch(text[end : match.start()]):
                joined = True
                yield Identifier(start, match.end(), "PHONE", text[start : match.end()])
        if named or joined or _PHONE_CUE.search(text[max(0, match.start() - 20) : match.start()]):
            # "ext. 4521" and "x4521" are redacted whole; "my extension is 2284" keeps its words
            whole = _ABBREVIATED_EXTENSION.fullmatch(text, match.start(), match.start("number"))
            start = match.start() if whole else match.start("number")
            yield Identifier(start, match.end(), "PHONE", text[start : match.end()])
    bleeps = _BLEEP.finditer(text) if _mentions(lowered, _BLEEP_WORDS) else ()
    for match in bleeps:
        if not _SHARED_BLEEP.search(text[max(0, match.start() - 20) : match.start()]):
            yield _group(match, "number", "PHONE")
    patient_ids = _PATIENT_ID.finditer(text) if _mentions(lowered, _PATIENT_ID_WORDS) else ()
    for match in patient_ids:
        if sum(character.isdigit() for character in match.group("id")) >= 5:
            yield _group(match, "id", "NHS_NUMBER")


def _national_insurance_numbers(text: str) -> Iterable[Identifier]:
    for match in _NI.finditer(text):
        if match.group("suffix") or _NI_CUE.search(
            text[max(0, match.start() - 30) : match.start()]
        ):
            yield Identifier(match.start(), match.end(), "NI_NUMBER", match.group())
    for match in _NI_ANY_PREFIX.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not _NI.fullmatch(match.group()) and (
            _NI_CUE.search(before) or _NI_PAY_CUE.search(before)
        ):
            yield Identifier(match.start(), match.end(), "NI_NUMBER", match.group())


def _staff_numbers(
    text: str, lowered: str, staff_id: re.Pattern[str] | None
) -> Iterable[Identifier]:
    """Codes after a cue for a staff number, and what ``staff_id_pattern`` matches."""
    cued = _mentions(lowered, _STAFF_ID_WORDS)
    for match in _STAFF_ID_CUE.finditer(text) if cued else ():
        if _ANOTHER_REGISTER_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue  # "his GMC ID is ...", "patient ID ..."
        code = match.group("id")
        digits = sum(character.isdigit() for character in code)
        letters = any(character.isalpha() for character in code)
        if digits >= 3 if match.group("worded") else digits >= 5 or (letters and digits >= 3):
            yield _group(match, "id", "STAFF_ID")
    for match in _STAFF_ID_AFTER.finditer(text) if cued else ():
        yield _group(match, "id", "STAFF_ID")
    if staff_id is None:
        return
    any_case = _in_any_case(staff_id)
    for match in any_case.finditer(text):
        suffix = _ASSIGNMENT_SUFFIX.match(text, match.end())
        end = suffix.end() if suffix else match.end()
        yield Identifier(match.start(), end, "STAFF_ID", text[match.start() : end])
    for match in _CODE_WITH_SEPARATOR.finditer(text):
        letters, digits = match.group("letters"), match.group("digits")
        if any(any_case.fullmatch(letters + joint + digits) for joint in ("", "-", " ")):
            yield Identifier(match.start(), match.end(), "STAFF_ID", match.group())


def _registration_numbers(text: str, lowered: str) -> Iterable[Identifier]:
    """GMC numbers and NMC PINs."""
    if "gmc" in lowered or "general medical" in lowered:
        for match in _GMC.finditer(text):
            yield _group(match, "number", "GMC_NUMBER")
        for match in _GMC_AFTER.finditer(text):
            if not _NOT_A_PERSON_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
                yield _group(match, "number", "GMC_NUMBER")
    for match in _NMC_PIN.finditer(text):
        yield Identifier(match.start(), match.end(), "NMC_PIN", match.group())
    if "nmc" in lowered or "pin" in lowered:
        for match in _NMC_PIN_SPACED.finditer(text):
            yield _group(match, "pin", "NMC_PIN")


@functools.lru_cache(maxsize=32)
def _in_any_case(staff_id: re.Pattern[str]) -> re.Pattern[str]:
    """``staff_id_pattern`` matched in any case: "e882013" for ``E\\d{6}``."""
    return re.compile(staff_id.pattern, staff_id.flags | re.IGNORECASE)


def _dates_of_birth(text: str) -> Iterable[Identifier]:
    for pattern in (_DATE_OF_BIRTH, _DATE_OF_BIRTH_AFTER, _DATE_OF_BIRTH_MINE):
        for match in pattern.finditer(text):
            date = match.group("date")
            if _FULL_STOP_AFTER_A_MONTH.search(date):
                date = date[:-1]  # the sentence's full stop, after "January"
            start = match.start("date")
            yield Identifier(start, start + len(date), "DATE_OF_BIRTH", date)


def _structured(text: str, staff_id: re.Pattern[str] | None) -> Iterable[Identifier]:
    """Every identifier found by pattern, before overlaps are resolved."""
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield Identifier(match.start(), match.end(), "EMAIL", match.group())
        for match in _HANDLE.finditer(text):
            yield Identifier(match.start(), match.end(), "HANDLE", match.group())
    lowered = text.lower()
    if (
        "@" in text
        or any(word in lowered for word in _WRITTEN_OUT_WORDS)
        or _AT_DOMAIN.search(lowered)
    ):
        for match in _EMAIL_WRITTEN_OUT.finditer(text):
            if _written_out_email(match):
                yield Identifier(match.start(), match.end(), "EMAIL", match.group())
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        if "." in url and url.lower() not in _NOT_AN_ADDRESS_OF_ANYONE:
            yield Identifier(match.start(), match.start() + len(url), "URL", url)
    has_digit = _ANY_DIGIT.search(text) is not None
    for start, end in street_addresses(text, lowered, has_digit):
        yield Identifier(start, end, "ADDRESS", text[start:end])
    if not has_digit:
        return
    yield from _phones(text, lowered)
    yield from _national_insurance_numbers(text)
    yield from _postcodes(text)
    if _mentions(lowered, _DATE_OF_BIRTH_WORDS):
        yield from _dates_of_birth(text)
    yield from _staff_numbers(text, lowered, staff_id)
    yield from _registration_numbers(text, lowered)


def _mentions(lowered: str, words: tuple[str, ...]) -> bool:
    """Whether a comment in lower case holds any of ``words``: a quick test before a slower
    pattern that needs one of them."""
    return any(word in lowered for word in words)


def _written_out_email(match: re.Match[str]) -> bool:
    """Whether an address written out ("jo at nhs dot net") is one, not "I work at nhs.net"."""
    at = match.group("at").strip().lower()
    written_out = at != "at" or re.search(r"(?i)\bdot\b", match.group())
    text_before = match.string[max(0, match.start() - 25) : match.start()]
    return (
        bool(written_out)
        or bool(re.search(r"[._\d]", match.group("local")))
        or bool(_EMAIL_CUE.search(text_before))
    )


def _group(match: re.Match[str], group: str, kind: str) -> Identifier:
    return Identifier(match.start(group), match.end(group), kind, match.group(group))


def _postcodes(text: str) -> Iterable[Identifier]:
    for match in POSTCODE.finditer(text):
        code = match.group()
        if not _ORDINAL.search(code) or code.isupper():
            yield Identifier(match.start(), match.end(), "POSTCODE", code)
    for listed in _OUTWARD_LIST.finditer(text):
        offset = listed.start("codes")
        codes = list(_OUTWARD_CODE.finditer(listed.group("codes")))
        at_home = _HOME_CUE.search(text[max(0, listed.start("codes") - 40) : listed.start("codes")])
        for match in codes:
            code = match.group()
            if not _is_outward_code(code):
                continue
            one_letter_area = code[1].isdigit()
            # B12 is a vitamin, "the M62" a motorway: one-letter areas need a stronger cue
            if (
                one_letter_area
                and not at_home
                and (len(codes) < 2 or code[0] == "B" or (code[0] == "M" and listed.group("the")))
            ):
                continue
            start, end = offset + match.start(), offset + match.end()
            yield Identifier(start, end, "POSTCODE", code)
    for match in _POSTCODE_CUE_OUTWARD.finditer(text):
        yield _group(match, "code", "POSTCODE")


def _is_outward_code(code: str) -> bool:
    """Whether ``code`` ("LS6", "ls6", "M21") starts with a postcode area (see _AREAS)."""
    if code[1].isdigit():
        return code[0].upper() in _ONE_LETTER_AREAS
    return code[:2].upper() in _AREA_SET


class _Options(NamedTuple):
    names: NameList
    staff_id: re.Pattern[str] | None
    keep: re.Pattern[str] | None


@functools.lru_cache(maxsize=32)
def _options(
    names: tuple[str, ...], staff_id_pattern: str | re.Pattern[str] | None, keep: tuple[str, ...]
) -> _Options:
    """Check and compile the options once for many comments."""
    staff_id = None
    if isinstance(staff_id_pattern, re.Pattern):
        staff_id = staff_id_pattern
    elif isinstance(staff_id_pattern, str) and staff_id_pattern.strip():
        staff_id = check_staff_id_pattern(staff_id_pattern)
    elif staff_id_pattern is not None and not isinstance(staff_id_pattern, str):
        raise ValueError(
            "staff_id_pattern must be a regular expression as text (e.g. r'NF\\d{5}') or "
            f"None; got {type(staff_id_pattern).__name__}"
        )
    for place in keep:
        if not isinstance(place, str) or not place.strip():
            raise ValueError(f"keep must hold non-empty place names; got {place!r}")
    places = sorted((re.escape(place.strip()) for place in keep), key=len, reverse=True)
    keep_pattern = re.compile(rf"(?<!\w)(?:{'|'.join(places)})(?!\w)", re.I) if places else None
    return _Options(NameList.from_names(names), staff_id, keep_pattern)


def _as_tuple(values: Iterable[str], argument: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ValueError(f"{argument} must be a list of strings, not one string: use [{values!r}]")
    return values if isinstance(values, tuple) else tuple(values)


def find_identifiers(
    text: str,
    names: Iterable[str] = (),
    *,
    staff_id_pattern: str | re.Pattern[str] | None = None,
    keep: Iterable[str] = (),
) -> list[Identifier]:
    """Find the personal identifiers in a comment.

    Parameters
    ----------
    text : str
        The comment as written.
    names : iterable of str, optional
        Names to find whatever their context, e.g. the organisation's staff list
        (``["Karen Smith", "Jo Bloggs"]``); each is found whole and word by word.
    staff_id_pattern : str or compiled pattern, optional
        A regular expression matching one staff number, from ``dataset.yml``
        (e.g. ``r"NF\\d{5}"``); it is matched as a whole word.
    keep : iterable of str, optional
        Place names of the organisation to keep even where they look like an identifier
        (``["Beverley", "Florence Ward"]``), matched as whole words in any case. An
        identifier that lies wholly inside one of them is not reported.

    Returns
    -------
    list of Identifier
        ``(start, end, kind, text)`` for each identifier, in the order they appear, never
        overlapping; ``kind`` is one of :data:`IDENTIFIER_KINDS`.

    Raises
    ------
    ValueError
        If ``text`` is not a string, ``names`` or ``keep`` is a single string, or
        ``staff_id_pattern`` is not a valid regular expression.

    Notes
    -----
    What each kind covers, and how ambiguous cases are decided, is set out in the
    docstring of :mod:`analysis.comments.redaction`. Where two findings overlap the
    longer wins, then the kind listed first in :data:`IDENTIFIER_KINDS`.

    Examples
    --------
    >>> find_identifiers("Ring Dr Patel on 07700 900123, Band 5 on Ward 7.")
    [Identifier(start=8, end=13, kind='NAME', text='Patel'), \
Identifier(start=17, end=29, kind='PHONE', text='07700 900123')]
    """
    if not isinstance(text, str):
        raise ValueError(
            f"text must be a string; got {type(text).__name__} {text!r} (fill missing "
            "comments with '' before redacting)"
        )
    options = _options(_as_tuple(names, "names"), staff_id_pattern, _as_tuple(keep, "keep"))
    found = list(_structured(text, options.staff_id))
    structured_count = len(found)
    found += [
        Identifier(start, end, "NAME", text[start:end])
        for start, end in find_person_names(text, options.names)
    ]
    structured = [(identifier.start, identifier.end) for identifier in found[:structured_count]]
    found += [
        Identifier(start, end, "NAME", text[start:end])
        for start, end in tagged_names(text)
        if all(end <= other_start or other_end <= start for other_start, other_end in structured)
    ]
    found += [
        Identifier(start, end, "NAME", text[start:end])
        for start, end in names_beside_found(
            text, [(i.start, i.end) for i in found[structured_count:]]
        )
        if all(end <= other_start or other_end <= start for other_start, other_end in structured)
    ]
    if options.keep is not None:
        kept = [(match.start(), match.end()) for match in options.keep.finditer(text)]
        found = [
            identifier
            for identifier in found
            if not any(start <= identifier.start and identifier.end <= end for start, end in kept)
        ]
    return _without_overlaps(found)


def _without_overlaps(found: list[Identifier]) -> list[Identifier]:
    """The longest identifiers first, then by kind priority, dropping any that overlap."""
    chosen: list[Identifier] = []
    for identifier in sorted(found, key=lambda i: (i.start - i.end, _PRIORITY[i.kind], i.start)):
        if all(identifier.end <= other.start or other.end <= identifier.start for other in chosen):
            chosen.append(identifier)
    return sorted(chosen)


def redact(
    text: str,
    names: Iterable[str] = (),
    *,
    staff_id_pattern: str | re.Pattern[str] | None = None,
    keep: Iterable[str] = (),
) -> str:
    """Replace each personal identifier in a comment with a typed placeholder.

    Parameters
    ----------
    text, names, staff_id_pattern, keep
        As for :func:`find_identifiers`.

    Returns
    -------
    str
        The comment with each identifier replaced by ``[KIND]``: ``[NAME]``, ``[EMAIL]``,
        ``[PHONE]``, ``[NHS_NUMBER]``, ``[NI_NUMBER]``, ``[POSTCODE]``, ``[URL]``,
        ``[STAFF_ID]`` or ``[DATE_OF_BIRTH]``.

    Examples
    --------
    >>> redact("My manager Karen (karen.smith@nhs.net) moved us to Ward 7 in 2005.")
    'My manager [NAME] ([EMAIL]) moved us to Ward 7 in 2005.'
    """
    pieces, position = [], 0
    for identifier in find_identifiers(text, names, staff_id_pattern=staff_id_pattern, keep=keep):
        pieces += [text[position : identifier.start], f"[{identifier.kind}]"]
        position = identifier.end
    pieces.append(text[position:])
    return "".join(pieces)


def _split_list(cell: object) -> tuple[str, ...]:
    if not isinstance(cell, str) or not cell.strip():
        return ()
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def read_labelled_identifiers(path: str | Path) -> pd.DataFrame:
    """Read a labelled set of comments for measuring redaction.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV with columns ``sentence_id``, ``text`` and ``identifiers`` (a JSON
        list of ``{"kind", "start", "end", "text"}``, ``[]`` for none), and optionally
        ``names``, ``keep`` (semicolon-separated) and ``staff_id_pattern``, the options
        to use for that sentence.

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``sentence_id``, ``text``, ``identifiers`` (a list of
        :class:`Identifier`), ``names`` and ``keep`` (tuples of str) and
        ``staff_id_pattern`` (str or None).

    Raises
    ------
    ValueError
        Naming the row (numbered as a spreadsheet shows it) whose labels are malformed,
        of an unknown kind, or do not match the text at their offsets.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"sentence_id", "text", "identifiers"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    labelled = []
    for row_number, row in enumerate(table.to_dict("records"), start=2):
        where = f"{path}, row {row_number} ({row['sentence_id']})"
        try:
            labels = json.loads(row["identifiers"] or "[]")
            identifiers = [
                Identifier(int(label["start"]), int(label["end"]), label["kind"], label["text"])
                for label in labels
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"{where}: identifiers is not a JSON list of spans ({error})"
            ) from None
        for identifier in identifiers:
            if identifier.kind not in IDENTIFIER_KINDS:
                raise ValueError(f"{where}: unknown kind {identifier.kind!r}")
            if row["text"][identifier.start : identifier.end] != identifier.text:
                raise ValueError(
                    f"{where}: text[{identifier.start}:{identifier.end}] is "
                    f"{row['text'][identifier.start : identifier.end]!r}, "
                    f"not {identifier.text!r}"
                )
        labelled.append(
            {
                "sentence_id": row["sentence_id"],
                "text": row["text"],
                "identifiers": identifiers,
                "names": _split_list(row.get("names")),
                "keep": _split_list(row.get("keep")),
                "staff_id_pattern": row.get("staff_id_pattern") or None,
            }
        )
    return pd.DataFrame(labelled, dtype=object)


def _covered(span: Identifier, found: Sequence[Identifier]) -> bool:
    """Whether every character of ``span`` lies in some identifier of the same kind."""
    return all(
        any(f.kind == span.kind and f.start <= position < f.end for f in found)
        for position in range(span.start, span.end)
        if not span.text[position - span.start].isspace()
    )


def redaction_scores(
    expected: Sequence[Sequence[Identifier]], found: Sequence[Sequence[Identifier]]
) -> pd.DataFrame:
    """Recall and precision of redaction against labelled identifiers, by kind.

    Parameters
    ----------
    expected : sequence of sequences of Identifier
        The labelled identifiers of each comment.
    found : sequence of sequences of Identifier
        What :func:`find_identifiers` found in the same comments, in the same order.

    Returns
    -------
    pandas.DataFrame
        One row per kind in :data:`IDENTIFIER_KINDS`, then ``structured`` (all kinds but
        NAME) and ``all``, with columns ``kind``, ``labelled``, ``found``, ``recall``,
        ``predicted``, ``correct``, ``precision`` (NaN where nothing was labelled or
        predicted).

    Notes
    -----
    A labelled identifier counts as found when identifiers of its kind cover every
    character of it: redacting "Karen" of "Karen Smith" leaves the surname readable, so
    it is not found. A predicted identifier is correct when it overlaps a labelled one of
    its kind. recall = found / labelled, precision = correct / predicted.
    """
    if len(expected) != len(found):
        raise ValueError(
            f"expected has {len(expected)} comments but found has {len(found)}; "
            "give the identifiers of the same comments in the same order"
        )
    counts = {kind: [0, 0, 0, 0] for kind in IDENTIFIER_KINDS}
    for labels, predictions in zip(expected, found, strict=True):
        for label in labels:
            counts[label.kind][0] += 1
            counts[label.kind][1] += _covered(label, predictions)
        for prediction in predictions:
            counts[prediction.kind][2] += 1
            counts[prediction.kind][3] += any(
                label.kind == prediction.kind
                and label.start < prediction.end
                and prediction.start < label.end
                for label in labels
            )
    groups = {kind: (kind,) for kind in IDENTIFIER_KINDS}
    groups |= {"structured": STRUCTURED_KINDS, "all": IDENTIFIER_KINDS}
    rows = []
    for name, kinds in groups.items():
        labelled, hit, predicted, correct = (
            sum(counts[kind][i] for kind in kinds) for i in range(4)
        )
        rows.append(
            {
                "kind": name,
                "labelled": labelled,
                "found": hit,
                "recall": hit / labelled if labelled else float("nan"),
                "predicted": predicted,
                "correct": correct,
                "precision": correct / predicted if predicted else float("nan"),
            }
        )
    return pd.DataFrame(rows)
