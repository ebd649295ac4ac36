"""The patterns of what stands around a name: the context rules' regular expressions.

Part of the name finder (:mod:`analysis.comments.names`, whose docstring says what each
rule reads): what a person does after a name, what takes a person before it, drugs and
place endings that are no names, predicates, possessions, roles and the gaps between
words.
"""

from __future__ import annotations

import re

from analysis.comments.names_lexicon import (
    PUBLIC_FIGURES,
    ROLES,
    TITLES,
    _words,
)

_LIST_GAP = re.compile(r"\s*[,&]\s*")

_PLACE_PREPOSITIONS = _words("in at from near around towards via into outside")
"""Ordinary-word names that are also verbs after a role ("my manager will...")."""

_INITIAL_STOP = re.compile(r"\.\s?")
_ADVERBS = (
    r"(?:(?:never|always|often|constantly|really|also|just|even|still|actually|openly"
    r"|regularly|repeatedly|then|once|again|has|had)\s+)*"
)
_ROLE_WORDS = "|".join(sorted(ROLES - {"called", "named"}, key=len, reverse=True))
_PERSON_VERBS = (
    r"(?:(?:shout|scream|yell|swear|bull(?:y|ie)|humiliate|belittle|undermine|patronise"
    r"|intimidate|harass|threaten|treat|laugh|refuse|ignore|favour|ask|help|listen|cover"
    r"|teache?|support|deserve|smile|phone|email|sort|fix|talk|cr(?:y|ie))(?:s|d|ed)"
    r"|explain(?:s|ed\s+(?:to|it|that|why|how|what))"
    r"|swore|picks?\s+on|picked\s+on|manag(?:es|ed)\s+(?:by|us)|sa(?:id|ys)|told|tells"
    r"|admits|admitted|arrived|insists|insisted|blames|blamed|refuses"
    r"|stayed|taught|spoke|speaks|rang|went\s+above|goes\s+above|runs\s+the|ran\s+the"
    r"|liv(?:es|ed)\s+(?:in|at|with|near)"
    r"|keeps\s+us|kept\s+us|never\s+(?:answers|replies|responds|returns)"
    r"|(?:makes|made)\s+(?:me|us|everyone|them)\s+feel"
    r"|(?:makes|made|takes|took)\s+(?:the\s+)?time"
    r"|(?:makes|made)\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:joke|comment|remark|complaint)s?"
    r"|(?:is\s+|was\s+)?retir(?:es|ed|ing)"
    r"|(?:is|was|were|got|gets|has\s+been|had\s+been)\s+(?:bullied|harassed|victimised"
    r"|humiliated|belittled|singled\s+out|passed\s+over|overlooked|sent\s+home"
    r"|told\s+(?:off|to)|made\s+to\s+feel|reduced\s+to\s+tears)"
    r"|(?:is|was)\s+(?:a|an)\s+(?:nightmare|pleasure|joy|dream|pain)\s+to\s+work\s+(?:with|for)"
    r"|should\s+be\s+(?:sacked|promoted|disciplined|investigated|thanked|praised|ashamed)"
    r"|(?:is|was)\s+(?:a|an|so|very|always|never)?\s*"
    r"(?:in\s+tears|bully|legend|rude|kind|racist|sexist|inspiration|credit|asset|gem|angel|menace|hero"
    r"|superstar|unapproachable|approachable|dismissive|supportive|unprofessional|aggressive"
    r"|abusive)"
    r"|(?:is|was|has\s+been)\s+(?:a|an|the|our|my)\s+(?:[a-z]+\s+){0,2}?"
    rf"(?:{_ROLE_WORDS}|hca|person|woman|man|lady|guy|boss|bully))\b"
)
_PERSON_AFTER = re.compile(
    rf"(?:['’]s)?(?:\s+(?:in|from|on|at)(?:\s+(?:the|our|a))?(?:\s+[\w&/-]+){{1,3}})?"
    rf"(?:\s+{_ADVERBS}{_PERSON_VERBS}|,?\s+(?:and\s+)?(?:he|she|who)\b"
    r"|\s+(?:and|&)\s+(?:I|me|myself)\b(?![’'])"
    rf"|\s+as\s+(?:a|an|my|our|the|their)\s+(?:[a-z]+\s+){{0,2}}?(?:{_ROLE_WORDS})\b)",
    re.IGNORECASE,
)
_PERSON_VERB_AFTER = re.compile(rf"\s+{_ADVERBS}{_PERSON_VERBS}", re.IGNORECASE)
"""What a person does, right after a word: "shouted", "never listens"."""
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:bullying|harassment|abuse|racism|victimisation)\s+(?:from|by)"
    r"|\b(?:bullied|harassed|belittled|humiliated|intimidated|supported|helped|mentored|"
    r"managed|trained|taught|victimised|targeted|shouted\s+at|abused|threatened)\s+by"
    r"|\bthanks?(?:\s+you)?(?:\s+so\s+much)?(?:\s+to)?"
    r"|\b(?:well\s+done|shout[\s-]*out|kudos|hats\s+off)(?:\s+to)?"
    r"|\b(?:reported|complain(?:t|ts|ed)?\s+about|concerns?\s+about|scared\s+of|afraid\s+of"
    r"|frightened\s+of|told|asked|ask|ask\s+for|contact|spoke\s+to|speak\s+to|talk\s+to|talked\s+to"
    r"|shout(?:s|ed)?\s+at\s+by|people\s+like|without|complains\s+about|nominate|challenge"
    r"|tell|letting|(?:work|works|worked|working|meeting|met|clash(?:es|ed)?)\s+with"
    r"|(?:told|ignored|dismissed|blamed|undermined|criticised|overruled|refused|sacked"
    r"|disciplined|sent\s+home|yelled\s+at|screamed\s+at)\s+by)"
    r")\s+$",
    re.IGNORECASE,
)
_LOWER_CASE_PERSON_BEFORE = re.compile(
    r"\b(?:(?:bullied|harassed|belittled|humiliated|intimidated|victimised|targeted|abused"
    r"|threatened|shouted\s+at)\s+by|thanks\s+to|thank\s+you\s+to|scared\s+of|afraid\s+of"
    r"|reported|complaints?\s+about|spoke\s+to|speak\s+to|listen(?:s|ed)?\s+to"
    r"|talk(?:s|ed)?\s+to|work(?:s|ed|ing)?\s+with)\s+$",
    re.IGNORECASE,
)
"""Words before a name written in lower case, stricter than :data:`_PERSON_BEFORE`: "ask
for" or "without" are followed by ordinary misspelt words more often than by names."""

_DRUG_STEMS = re.compile(
    r"^co-[a-z]|(?:azole|pril|olol|statin|mab|cillin|mycin|micin|oxacin|sartan|tidine|azepam|zolam"
    r"|triptan|gliptin|parin|vir|dronate|setron|profen|fenac|caine|dipine|azine|oxetine"
    r"|pramine|apine|idone|afil|floxacin|cycline|lukast|tinib|semide|thiazide|traline|triptyline"
    r"|cetamol|codone|morphine|phylline|olone|asone|isolone|gliflozin|formin|xaban|gatran"
    r"|clopidogrel|prazole|lamide|clazide|pidem|piclone|tropium|terol|sonide|ticasone)$"
)
"""Endings of international non-proprietary drug names (WHO stems): "Aripiprazole",
"Ramipril", "Atorvastatin"; and "co-" combinations ("Co-amoxiclav", "Co-codamol"). Unknown
words written so are not read as names."""

_PLACE_ENDING = re.compile(
    r"(?:fields?|wells?|ford|shawe?|ham|bury|borough|burgh|mouth|minster|chester|caster|thorpe"
    r"|wick|combe|stead|ington|ston|hurst|bridge|brook|moor|church|cliffe)$"
)
"""Endings of English place names ("Pinderfields", "Ninewells", "Derriford", "Wythenshawe"):
an unknown word so written, in no name list, is read as a place (hospitals are named after
them), not as a name."""

_NAME_SHAPE = re.compile(
    r"(?:Mc|Mac|O['’]|D['’]|Di|De|La|Le|Van|Von)?[^\W\d_][^\W\d_A-Z]*"
    r"(?:['’\-][^\W\d_][^\W\d_A-Z]*)*"
)
"""How a capitalised name is written: "Gethin", "O'Driscoll", "McAllister", "Campbell-Reid";
not "TVs" or "EverthIng"."""

_PERSON_CONTEXT = re.compile(
    rf"{_PERSON_VERBS}|\b(?:by|thanks?|reported|about|of|told|asked|for|to|like|without|ask|contact|he|she|who)\b",
    re.IGNORECASE,
)

_THING_STATES = (
    r"(?:out\s+of\s+stock|in\s+short\s+supply|(?:un)?available|on\s+back\s*order"
    r"|prescribed|discontinued)"
)
"""What is said of things, not people ("Clexane and Tazocin are constantly out of stock")."""

_PARTICIPLE = (
    r"(?:being|been|[a-z]+ed|given|taken|done|seen|written|shown|found|lost|stolen|withdrawn"
    r"|made|kept|left|sent|put)"
)
_PREDICATE = re.compile(
    rf"(?:,?\s+and\s+[A-Z][\w'’-]+)?"
    rf"(?:\s+(?:in|from|on|at|with)(?:\s+(?:the|our|a))?(?:\s+[\w&/-]+){{1,3}}?)?"
    rf"\s+{_ADVERBS}(?:(?:is|was|are|were)(?!\s+{_ADVERBS}(?:{_PARTICIPLE}|{_THING_STATES})\b)"
    rf"|(?:has|had|have)(?!\s+(?:[a-z]+ed|been\s+(?:[a-z]+ed|{_THING_STATES}))\b)"
    r"|(?:(?:has|had|have)\s+been|is|was|are|were)\s+(?:always\s+|often\s+|never\s+)?"
    r"(?:bullied|harassed|promoted|suspended|sacked|disciplined|redeployed|seconded"
    r"|signed\s+off|off\s+sick|on\s+(?:leave|nights)|refused|singled\s+out|overlooked"
    r"|passed\s+over|excluded|victimised|targeted|blamed|humiliated|ignored|criticised"
    r"|praised|thanked|(?:made|left|forced|expected|asked|told|pressured)\s+to)"
    r"|never|always|will|would|can|could|should|does|did|doesn['’]t|didn['’]t|won['’]t"
    r"|can['’]t|kept|keeps|made|makes|gave|gives|took|takes|got|gets|went|goes|came|comes"
    r"|left|works|worked|stayed|helped|helps|set|sets|sorted|sorts|ran|runs|sent|sends"
    r"|knew|knows|tried|tries|lets|brought|brings|stepped|transferred|moved|joined|started"
    r"|organised|organized|covered|covers|treats|treated|cares|cared|listens|listened"
    r"|deserves|deserved|shouted|shouts|called|calls|rang|checks|checked|smiles|smiled"
    r"|lost|loses|forgot|forgets|lied|lies|ignored|ignores|refused|refuses)\b"
)
"""What a person does after an unknown word ("Gethin has made", "Aditi and Rahim from the
phlebotomy team are"); "was given", "is being", "has replaced" are passive or things."""

_POSSESSIVE_PERSON = re.compile(
    r"['’]s\s+(?:(?:own|new|old|last|first|current|poor|elderly|late)\s+)?"
    r"(?:contract|behaviou?r|attitude|husband|wife|partner|mum|mother|dad|father|son"
    r"|daughter|children|kids|baby|family|retirement|leaving|funeral|wedding|maternity"
    r"|paternity|sickness|appraisal|line\s+manager|manager|temper|caseload|shifts|bullying"
    r"|comments|remarks|team|probation|preceptorship|secondment|resignation|promotion|mentor"
    r"|preceptor|supervisor|colleagues|friends?|boyfriend|girlfriend|career|salary|payslip"
    r"|grievance|disciplinary|tribunal|visa|accent|religion|pregnancy|boss|locker|uniform"
    r"|sister|brother|parents|grandchildren|(?:sick|annual|compassionate)\s+leave"
    r"|leadership|house|home|flat|car|birthday|job|kindness|hard\s+work|patience)\b",
    re.IGNORECASE,
)
"""What only a person has, after a possessive ("Xiaoming's contract", "Okafor's temper",
"Priya's house")."""
_POSSESSIVE_WITHOUT_APOSTROPHE = re.compile(_POSSESSIVE_PERSON.pattern[len("['’]s") :], re.I)
"""The same after a first name and "s" written without an apostrophe ("Zainabs leadership")."""

_ROLE_AFTER = re.compile(
    rf"\s+the\s+(?:[a-z-]+\s+){{0,2}}?(?P<role>{_ROLE_WORDS})\b(?!\s+(?:of|for|to|on|in)\b)"
)
"""A role after a name, with "the" and no commas ("Arash the registrar", "Bill the porter")."""

_BAND_GAP = re.compile(r"\s+\d[a-z]?\s*[,:\-–]?\s+")
"""Between "band" and a name: a pay band number ("my band 6 keisha", "my band 7, Thornbury")."""

_APPOSITION = re.compile(
    r",\s+(?:our|the|my|a|their)\s+(?:[a-z-]+\s+){0,2}?(?P<role>[a-z-]+)\s*,", re.IGNORECASE
)
"""A role between commas after a name ("Vasilios, our porter,", "Kerensa, the ward clerk,")."""

_RELATIONS = frozenset(
    _words("neighbour neighbor friend colleague mentor buddy husband wife partner cousin")
)
"""Relations that name a person beside a name as a role does ("Rukhsana my neighbour")."""
_APPOSITION_WITHOUT_COMMAS = re.compile(
    rf"\s+(?:my|our)\s+(?:[a-z-]+\s+)??(?P<role>{_ROLE_WORDS}|{'|'.join(sorted(_RELATIONS))})"
    r"\s+(?!(?:of|for|to|and|or)\b)[a-z]",
    re.IGNORECASE,
)
"""A role or relation with "my" or "our" right after a name, with no commas ("Rukhsana my
neighbour works here"), before a word in lower case."""

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?\n]")
_TITLE_FULL_STOP = re.compile(r"\.\s*")
_INITIAL_GAP = re.compile(r"\.?\s*")
_ROLE_GAP = re.compile(r"\s*[,:\-–]?\s+")
_NUMBER_NEXT = re.compile(r"\s*\d")
_WARD_NUMBER = re.compile(r" \d{1,2}[A-Za-z]?\b")


def _lengths(names: frozenset[tuple[str, ...]]) -> dict[str, frozenset[int]]:
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return {first: frozenset(sizes) for first, sizes in lengths.items()}


_PUBLIC_FIGURE_LENGTHS = _lengths(PUBLIC_FIGURES)
_CUES = TITLES | ROLES
