"""Finding person names in staff comments, offline and without a language model.

A word is read as a name on evidence of these kinds (the rules of :func:`find_person_names`):

1. the organisation's own list of names (``names``): a listed name written in full, in any
   case ("Karen Smith", "karen smith"); any word of a listed name when capitalised
   ("Smith"); the first word of a listed name in any case ("karen");
2. a title or role just before it: "Dr Patel", "Sister O'Neill", "Mr. Smith", "Dr J.
   Okafor", "Dr A. Khan", "Dr van der Merwe", "my manager Karen", "our team leader Jo", "the
   CPN Andy", "a nurse called Precious", and in lower case "my manager sue is..." (a first
   name that is also a word, such as "sue", only when "is", "was", "and", "said"... follows;
   never "will", "may" or "drew"). After a role written in capitals with no "my", "our",
   "the"... before it ("GP Visit", "OT Dept"), only a listed name counts;
3. a list of first names: the curated list of common UK first names (:data:`FIRST_NAMES`,
   written for this project from public knowledge of names common in the UK and its health
   workforce), capitalised, or in lower case when four letters or more and not also a
   common word ("nicola" but not "mark", "harry" or "dawn"); and the first names of many
   countries in :data:`MORE_FIRST_NAMES`, capitalised ("Xiaoming", "Thandiwe"), except
   after "in", "at", "from"... where such a word is more often a place;
4. a capitalised word followed by a listed surname (:data:`SURNAMES`,
   :data:`MORE_SURNAMES`): "Zbigniew Kowalski" inside a sentence; at the start of a sentence
   when either word is in the curated lists ("Hussein Ali", "Ngozika Eze"); two words in
   capitals when the second is a listed surname ("SUE HARRIS");
5. initials before a capitalised word: "J. Smith", "C.D. Ramirez"; "J Smith" without a
   full stop only before a listed surname;
6. capitalised words where the context says person: before a verb or description only a
   person takes ("Patel is a bully", "Okafor shouted", "Hendricks never listens", "X is
   the kindest nurse"), possibly after a short phrase ("Radek from the IT helpdesk fixed");
   or after words that take a person ("bullied by", "thanks to", "reported", "complaints
   about", "scared of", "told"). Words ending in "-ly" or "-ed", contractions ("Don't")
   and words after "in", "at", "from"... are not read so;
7. a list beside a found name ("Chidinma and Rotimi");
8. unknown words: a word is *unknown* when it is not English (:func:`is_english`: the
   ``web2`` and ``gcide`` lists of ``english-words``, their inflections and irregular verb
   forms), not a UK or Irish town (:data:`PLACES`), not in :data:`NOT_NAMES` or
   :data:`MODERN_WORDS` (NHS systems, brands, "Brexit"), and not a long word one edit from an
   English word (a misspelling such as "Treatement"). Capitalised words, one of them unknown
   and none a place word, followed by what a person does are a name ("Gethin has made",
   "Aditi and Rahim from the phlebotomy team are", "that Ebony Campbell-Reid runs"), unless
   the verb is passive ("was given") or plural without "and" ("Appts were"), a word ends like
   a drug (:data:`_DRUG_STEMS`, "Aripiprazole") or is written like "TVs". An unknown word in
   lower case after a role or title ("my manager bernice", "dr bhatt") or after "bullied
   by", "thanks to"... is a name; so is an unknown word of five letters or more in capitals
   with two vowels ("BRADSHAW", not "CAMHS"), and one in capitals after a name in capitals
   ("GRAHAM PEMBERTON"), and an unknown word just before a found name;
9. more person contexts for rule 6: "work with", "meeting with", "tell", "letting",
   "nominate", "challenge", "complains about", "told by", "ignored by"... before; "admits",
   "arrived", "insists", "blames" after;
10. a listed surname alone inside a sentence after a word in lower case, when it is not
   an English word, a town or a country ("a meeting with Ashworth", "challenge
   Winterbottom"); the surname lists include :data:`CENSUS_SURNAMES`;
11. capitalised words, one unknown or listed, owning what only a person has ("Xiaoming's
   contract", "Okafor's temper", "Priti's house"), and a listed first name and "s" without
   the apostrophe ("Zainabs leadership");
12. capitalised words, not all English, beside a role between commas ("Vasilios, our
   porter,", "Kerensa, the ward clerk,"), or followed by "my" or "our" and a role or a
   relation without commas ("Rukhsana my neighbour works").
13. capitalised words, each listed or not English, then "the" and a role ("Arash the
   registrar", "Bill the porter"); a pay band as a role ("my band 6 keisha", "my band 7,
   Thornbury,"); person passives after an unknown word ("Xolani was refused", "Lwazi was
   made to feel") and after any capitalised first name ("Hazel was bullied", "Rose is
   retiring", "Amber was rude"); a first name that is also an English word
   (:data:`ENGLISH_FIRST_NAMES`, "Ebony") opening a sentence beside a found name; first names
   joined by hyphens ("Jo-Anne"); a lower-case first name beside a lower-case name ("aisha
   and tom").

Endings "-ly" and "-ed" mark an adverb or a verb only when what is left is English
("Really", "Closed", "Basically"), so "Anatoly" and "Naveed" stay names; "co-" words
("Co-amoxiclav") are drugs; after an abstract-noun name opening a sentence ("Faith", "Joy",
"Hope"), "in" and "at" do not show a name ("Faith in leadership").

:data:`MORE_FIRST_NAMES` and :data:`MORE_SURNAMES` come from the first and last names of
every Latin-alphabet locale of Faker (MIT licence), less every word that is an English word
or proper noun in the ``english-words`` lists (which drops "Hope", "Will", "London",
"Devon"); ``name_lists/build.py`` rebuilds them and says how.

A name found by any rule takes in the capitalised words that follow it ("Tracey Holloway",
"Lucy Ward"), particles and initials ("J. van der Merwe"), a particle joined by a hyphen
("fatima al-rashid"), and a listed surname written in lower case after a first name written
in lower case ("karen smith").

What is kept: words in :data:`NOT_NAMES` (days, jobs, NHS words, function words, words for
groups of people such as "Everyone" and "Management"); first names that are ordinary words
("Will", "Hope", "Grace", "Mark") at the start of a sentence unless a surname, an initial or
a word such as "said" or "in" follows ("Will in estates", "Mark X has"); months and colours
that are first names ("May", "June", "Amber") unless a surname follows or a title or role
comes before; "Jan" before a year; :data:`PUBLIC_FIGURES`; and places and things named
after people: a name followed by a word such as "Hospital", "Ward", "Road" or "award" after
"on", "at", "the", "a"... ("on Florence Ward", "the Stanley Road clinic", "a Daisy award"),
or after "St", "Queen", "King", "Prince", "Princess" or "Royal", or "called" ("a ward called
Iris ward"); a name and a place word
opening a sentence ("Victoria Ward needs") unless a person's verb follows; towns of
several words ("Milton Keynes"); after "Mount", "the" or "of" ("Mount Vernon", "The Brompton
has", "Head of Midwifery"); unlisted words ending like an English place
(:data:`_PLACE_ENDING`: "Derriford", "Pinderfields"); a building named with a possessive
("Maggie's centre"); things out of stock or prescribed ("Clexane and Tazocin are out of
stock"); and, in a person context, English words that are no first name ("Catering was
rude").

The finder is split by job: :mod:`analysis.comments.names_lexicon` holds the word lists and
the English-word tests, :mod:`analysis.comments.names_context` the patterns of the context,
:mod:`analysis.comments.names_words` the words of one comment and the tests of one word, and
this module the rules; the lists and tests named above are re-exported here.
"""

from __future__ import annotations

import re

from analysis.comments.names_context import (
    _APPOSITION,
    _APPOSITION_WITHOUT_COMMAS,
    _BAND_GAP,
    _CUES,
    _DRUG_STEMS,
    _INITIAL_GAP,
    _INITIAL_STOP,
    _LIST_GAP,
    _LOWER_CASE_PERSON_BEFORE,
    _NAME_SHAPE,
    _NUMBER_NEXT,
    _PERSON_AFTER,
    _PERSON_BEFORE,
    _PERSON_CONTEXT,
    _PERSON_VERB_AFTER,
    _PLACE_PREPOSITIONS,
    _POSSESSIVE_PERSON,
    _POSSESSIVE_WITHOUT_APOSTROPHE,
    _PREDICATE,
    _PUBLIC_FIGURE_LENGTHS,
    _RELATIONS,
    _ROLE_AFTER,
    _ROLE_GAP,
    _TITLE_FULL_STOP,
    _WARD_NUMBER,
)
from analysis.comments.names_lexicon import (
    _ABBREVIATED_TITLES,
    _ABSTRACT_NOUN_NAMES,
    _AFTER_A_NAME,
    _AFTER_A_NAME_IN_LOWER_CASE,
    _ALL_FIRST_NAMES,
    _ALL_SURNAMES,
    _BUILDINGS,
    _CONDITION_WORDS,
    _DATE_AND_COLOUR_NAMES,
    _DETERMINERS,
    _EPONYMOUS_CONDITIONS,
    _FACILITIES,
    _FACILITY_SURNAMES,
    _HOSPITALS,
    _LOCATION_WORDS,
    _LOWER_CASE_WORDS,
    _NAMES_BEFORE_YEARS,
    _ORDINARY_WORD_NAMES,
    _PARTICLES,
    _PLACE_LEADS,
    _PLACE_WORD_NAMES,
    _VERB_NAMES,
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
    _inflected,
    english_words,
    is_demonym,
    is_english,
    one_edit_from_english,
)
from analysis.comments.names_words import (
    _NO_NAMES,
    CommentWords,
    NameList,
    _capitalised,
    _hyphenated_first_name,
    _shouted,
)

__all__ = [
    "FIRST_NAMES",
    "SURNAMES",
    "MORE_FIRST_NAMES",
    "MORE_SURNAMES",
    "CENSUS_SURNAMES",
    "ENGLISH_FIRST_NAMES",
    "TITLES",
    "ROLES",
    "NOT_NAMES",
    "PUBLIC_FIGURES",
    "PLACES",
    "COUNTRIES",
    "MODERN_WORDS",
    "english_words",
    "is_english",
    "is_demonym",
    "one_edit_from_english",
    "NameList",
    "find_person_names",
]


class _NameFinder(CommentWords):
    """The rules of :func:`find_person_names` applied to one comment (see
    :class:`~analysis.comments.names_words.CommentWords` for its words)."""

    def unknown_before_verb(self, i: int, last: int) -> bool:
        """Rule 8: capitalised words, one of them unknown, then what a person does.

        "Gethin has made", "Aditi and Rahim from the phlebotomy team are", "that Ebony
        Campbell-Reid runs"; not after "in", "at", "from"..., not a place ("Swindon has"),
        nor with a word for a place or thing ("Kingsley Wing has").
        """
        words = range(i, last + 1)
        if i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS | {"the", "of"}:
            return False  # "in Swindon", "The Brompton has", "Duty of Candour was"
        if any(self.place_shaped(k) for k in words):
            return False  # "Pinderfields was"
        if any(
            not _capitalised(self.words[k])
            or self.lowers[k] in NOT_NAMES
            or self.lowers[k] in _FACILITIES
            or self.lowers[k] in MODERN_WORDS
            or self.lowers[k] in PLACES
            for k in words
        ):
            return False
        if " ".join(self.lowers[i : last + 1]) in PLACES or not any(map(self.unknown, words)):
            return False
        if any(
            not _NAME_SHAPE.fullmatch(self.words[k]) or _DRUG_STEMS.search(self.lowers[k])
            for k in words
        ):
            return False
        predicate = _PREDICATE.match(self.text, self.ends[last])
        if predicate is None:
            return False
        # "Appts were", "Apps have": a plural verb needs "X and Y".
        plural = re.search(r"\b(?:are|were|have)\b", predicate.group()) is not None
        return not plural or " and " in predicate.group()

    def lower_case_after_person_cue(self, i: int) -> bool:
        """Rule 9: an unknown word in lower case where only a person fits ("bullied by jo")."""
        before = self.text[max(0, self.starts[i] - 40) : self.starts[i]]
        return (
            self.words[i].islower()
            and (self.unknown(i) or (self.first_name(i) and not is_english(self.lowers[i])))
            and not (i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS)
            and _LOWER_CASE_PERSON_BEFORE.search(before) is not None
        )

    def lower_case_before_person_verb(self, i: int) -> bool:
        """Rule 8: a listed name in lower case, no English word, before what a person does
        ("hughes shouted at", "okafor never listens"); not after "in", "at", "from"..."""
        lower = self.lowers[i]
        if not self.words[i].islower() or len(lower) < 4 or is_english(lower):
            return False
        if lower in NOT_NAMES or lower in MODERN_WORDS or lower in PLACES or lower in COUNTRIES:
            return False
        if i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS:
            return False
        return (lower in _ALL_SURNAMES or self.first_name(i)) and bool(
            _PERSON_VERB_AFTER.match(self.text, self.ends[i])
        )

    def cued(self, i: int) -> bool:
        """Rule 2: whether a title or role is written just before token ``i``."""
        if i == 0:
            return False
        before, lower, word, gap = self.lowers[i - 1], self.lowers[i], self.words[i], self.gap(i)
        abbreviated = before in _ABBREVIATED_TITLES
        after_title = gap.isspace() or (abbreviated and _TITLE_FULL_STOP.fullmatch(gap))
        if abbreviated and after_title and _capitalised(word) and lower in SURNAMES:
            return True  # "Dr Ward", "Mr Porter": surnames that are also ordinary words
        if before in TITLES and after_title and self.initials_then_name(i):
            return True  # "Dr A. Khan"
        if lower in NOT_NAMES or lower in MODERN_WORDS:
            return False  # "Dr Google"
        if (
            before in ("called", "named")
            and i + 1 < self.count
            and self.words[i + 1] in _FACILITIES
        ):
            return False  # "a ward called Iris ward" is a place, read by is_place
        if before == "band" and (self.sentence_start(i - 1) or self.lowers[i - 2] in _DETERMINERS):
            return _BAND_GAP.fullmatch(gap) is not None and self.name_after_role(i, gap)
        if before in TITLES and after_title:
            return self.name_after_title(i)
        if before in ROLES and _ROLE_GAP.fullmatch(gap):
            return self.name_after_role(i, gap)
        return False

    def name_after_title(self, i: int) -> bool:
        word = self.words[i]
        if self.lowers[i] in _PARTICLES:
            return self.particles_then_name(i)
        if _capitalised(word) or (word.isupper() and word != "I"):
            return True
        if self.listed(i) and self.lowers[i] not in _ORDINARY_WORD_NAMES:
            return True
        return word.islower() and self.unknown(i)  # "dr okwu"

    def name_after_role(self, i: int, gap: str) -> bool:
        word, role = self.words[i], self.words[i - 1]
        if not word[0].isupper():
            if self.lowers[i] in _ORDINARY_WORD_NAMES:
                return self.lowers[i] not in _VERB_NAMES and self.followed_by(
                    i, _AFTER_A_NAME | _AFTER_A_NAME_IN_LOWER_CASE
                )
            return self.first_name(i) or self.unknown(i)  # "my manager bernice"
        if self.listed(i):
            return _capitalised(word) or _shouted(word)
        return _capitalised(word) and (
            role.islower()
            or "," in gap
            or self.lowers[i - 1] in ("called", "named")
            or (i >= 2 and self.lowers[i - 2] in _DETERMINERS)
        )

    def starts_name(self, i: int) -> bool:
        """Rules 1 and 3: whether token ``i`` is a name by itself."""
        word, lower = self.words[i], self.lowers[i]
        in_own = lower in self.own.parts
        if lower in NOT_NAMES or not (
            in_own or lower in _ALL_FIRST_NAMES or _hyphenated_first_name(lower)
        ):
            return False
        if word.isupper() and len(word) > 1 and self.surname_follows(i):
            return True  # "SUE HARRIS"
        if lower in _DATE_AND_COLOUR_NAMES:
            return self.surname_follows(i)
        if lower in _NAMES_BEFORE_YEARS and _NUMBER_NEXT.match(self.text, self.ends[i]):
            return False
        ordinary = lower in _ORDINARY_WORD_NAMES
        if (
            lower not in FIRST_NAMES
            and not in_own
            and i > 0
            and self.lowers[i - 1] in _PLACE_PREPOSITIONS
        ):
            return False  # "in Preston": the longer lists hold some places
        if not word[0].isupper():
            return not ordinary and (
                lower in self.own.first
                or (len(word) > 3 and lower in FIRST_NAMES and lower not in _LOWER_CASE_WORDS)
            )
        if word.isupper():
            return not ordinary and (in_own or len(word) >= 4)
        if ordinary and self.sentence_start(i):
            return (
                self.surname_follows(i)
                or self.followed_by(
                    i,
                    _AFTER_A_NAME - {"in", "at", "has", "had"}
                    if lower in _ABSTRACT_NOUN_NAMES
                    else _AFTER_A_NAME,
                )
                or self.initial_follows(i)
                or self.unknown_name_follows(i)
            )
        return True

    def unlisted_before_surname(self, i: int) -> bool:
        """Rule 4: an unlisted capitalised word inside a sentence before a listed surname."""
        shouted_pair = (
            _shouted(self.words[i]) and i + 1 < self.count and _shouted(self.words[i + 1])
        )
        return (
            (_capitalised(self.words[i]) or shouted_pair)
            and self.lowers[i] not in NOT_NAMES
            and self.lowers[i] not in _FACILITIES
            and self.surname_follows(i)
            and self.lowers[i + 1] not in NOT_NAMES
            and (
                not self.sentence_start(i)
                or self.lowers[i] in SURNAMES
                or (
                    self.lowers[i + 1] in SURNAMES
                    and self.lowers[i] not in _PLACE_LEADS
                    and not _inflected(self.words[i])
                    and not is_english(self.lowers[i])  # "Stepping Hill"
                )
            )
        )

    def initials_then_name(self, i: int) -> bool:
        """Rule 5: tokens from ``i`` are initials then a surname ("J. Smith", "C.D. Ramirez").

        An initial is one capital letter followed by a full stop, or by a space when a
        listed surname follows ("J Smith"); "I" and "A" only with a full stop.
        """
        j = i
        while j + 1 < self.count and len(self.words[j]) == 1 and self.words[j].isupper():
            gap = self.gap(j + 1)
            stopped = _INITIAL_STOP.fullmatch(gap) is not None
            if not stopped and not (gap == " " and self.words[j] not in "AI"):
                return False
            surname_next = self.lowers[j + 1] in _ALL_SURNAMES or len(self.words[j + 1]) == 1
            if not stopped and not surname_next:
                return False
            j += 1
        word = self.words[j]
        return (
            j > i
            and len(word) > 1
            and _capitalised(word)
            and self.lowers[j] not in NOT_NAMES
            and self.lowers[j] not in _FACILITIES
        )

    def in_person_context(self, i: int, last: int) -> bool:
        """Rule 6: words ``i..last`` stand where only a person can ("bullied by X", "X shouted").

        The words must be capitalised, and none of them a word that is never a name.
        """
        if any(
            not (_capitalised(self.words[k]) or self.shouted_unknown(k))
            or self.lowers[k] in NOT_NAMES
            or self.lowers[k] in _FACILITIES
            or self.lowers[k] in MODERN_WORDS
            for k in range(i, last + 1)
        ):
            return False
        if any(_inflected(self.words[k]) for k in range(i, last + 1)):
            return False
        after_place_word = i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS
        if after_place_word and (self.lowers[i] in PLACES or self.lowers[i] in COUNTRIES):
            return False  # "harassment from Leeds"
        before = self.text[max(0, self.starts[i] - 40) : self.starts[i]]
        if _PERSON_BEFORE.search(before):
            return True  # "complaints about Featherstone", a town too; "bullying from X"
        if after_place_word:
            return False
        if i > 0 and self.lowers[i - 1] == "of":
            return False  # "Our Head of Midwifery is approachable"
        if any(self.lowers[k] in _DATE_AND_COLOUR_NAMES for k in range(i, last + 1)) and (
            self.sentence_start(i) is False
        ):
            return False  # "in May", but "Amber was rude to my student"
        if all(
            is_english(self.lowers[k])
            and not self.listed(k)
            and self.lowers[k] not in ENGLISH_FIRST_NAMES
            for k in range(i, last + 1)
        ):
            return False  # "Catering was rude", but "Rowan made a joke"
        if last > i and self.lowers[i].endswith("ing") and is_english(self.lowers[i]):
            return False  # "Having Magnus as a manager": "Magnus" is read alone
        after = _PERSON_AFTER.match(self.text, self.ends[last])
        if after is None or " ".join(self.lowers[i : last + 1]) in PLACES:
            return False
        if self.lowers[i] in _ABSTRACT_NOUN_NAMES and " liv" in after.group().lower():
            return False  # "Hope lives in all of us"
        pronoun = re.search(r"\b(?:he|she|who)\b", after.group(), re.IGNORECASE) is not None
        return pronoun or not any(
            self.place_shaped(k) or _DRUG_STEMS.search(self.lowers[k]) for k in range(i, last + 1)
        )

    def surname_alone(self, i: int, last: int) -> bool:
        """Rule 10: a listed surname alone inside a sentence ("a meeting with Ashworth").

        One capitalised word, not opening a sentence, after a word in lower case, in the
        surname lists and not an English word or a town.
        """
        return (
            i == last
            and i > 0
            and not self.sentence_start(i)
            and self.words[i - 1].islower()
            and self.lowers[i] in _ALL_SURNAMES
            and self.plain_capitalised(i)
            and not is_english(self.lowers[i])
        )

    def possessor(self, i: int, last: int) -> bool:
        """Rule 11: unknown or listed words owning what only a person has ("X's contract"),
        or a first name and "s" without the apostrophe ("Zainabs leadership")."""
        owner = _POSSESSIVE_PERSON.match(self.text, self.ends[last]) is not None
        if not owner and i == last and self.lowers[i].endswith("s"):
            # "Zainabs leadership": a first name and "s", no apostrophe, no English word
            stem = self.lowers[i][:-1]
            owner = (
                stem in _ALL_FIRST_NAMES
                and not is_english(stem)
                and not is_english(self.lowers[i])
                and _POSSESSIVE_WITHOUT_APOSTROPHE.match(self.text, self.ends[i]) is not None
            )
        return (
            owner
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and any(self.unknown(k) or self.listed(k) for k in range(i, last + 1))
        )

    def in_apposition(self, i: int, last: int) -> bool:
        """Rule 12: capitalised words beside a role between commas ("Kerensa, the ward clerk,"),
        or after them with "my" or "our" ("Rukhsana my neighbour works")."""
        role = _APPOSITION.match(self.text, self.ends[last]) or _APPOSITION_WITHOUT_COMMAS.match(
            self.text, self.ends[last]
        )
        return (
            role is not None
            and role.group("role").lower()
            in ROLES | _RELATIONS | {"receptionist", "porter", "clerk"}
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and not all(is_english(self.lowers[k]) for k in range(i, last + 1))
        )

    def role_after(self, i: int, last: int) -> bool:
        """Rule 13: a name, "the" and a role ("Arash the registrar", "Bill the porter is")."""
        role = _ROLE_AFTER.match(self.text, self.ends[last])
        return (
            role is not None
            and role.group("role").lower() in ROLES
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and all(self.listed(k) or not is_english(self.lowers[k]) for k in range(i, last + 1))
        )

    def extend(self, i: int) -> int:
        """The index of the last word of the name that starts at token ``i``."""
        last = i
        while last + 1 < self.count and last - i < 4:
            j = last + 1
            initial = len(self.words[last]) == 1
            if self.gap(j) != " " and not (initial and _INITIAL_GAP.fullmatch(self.gap(j))):
                break
            if not (
                (self.lowers[j] in _PARTICLES and self.particles_then_name(j))
                or self.continues_name(j, lower_case=self.words[i].islower())
            ):
                break
            last = j
        return last

    def continues_name(self, j: int, *, lower_case: bool) -> bool:
        """Whether token ``j`` is the next word of a name; ``lower_case`` if it started so."""
        word, lower = self.words[j], self.lowers[j]
        listed = lower in _ALL_SURNAMES or lower in self.own.parts
        if lower in _FACILITY_SURNAMES:
            return listed and not _NUMBER_NEXT.match(self.text, self.ends[j])
        if len(word) == 1 and word.isupper():
            return self.initials_then_name(j)
        if lower in NOT_NAMES or lower in _FACILITIES:
            return False
        particle, _, rest = lower.partition("-")
        if (
            rest
            and particle in _PARTICLES
            and (rest in _ALL_SURNAMES or not is_english(rest) or rest != word[len(particle) + 1 :])
        ):
            return True  # "fatima al-rashid", "Omar el-Sayed"
        if _capitalised(word):
            return True
        if _shouted(word) and _shouted(self.words[j - 1]) and self.shouted_unknown(j):
            return True  # "GRAHAM PEMBERTON"
        return listed and (_shouted(word) or (lower_case and word.islower()))

    def is_place(self, first: int, last: int, listed: bool) -> bool:
        """Whether the words ``first..last`` name a place or thing ("on Florence Ward")."""
        before = self.lowers[first - 1] if first > 0 else ""
        if before in _PLACE_LEADS or (
            last > first and " ".join(self.lowers[first : last + 1]) in PLACES
        ):
            return True
        after = self.lowers[last + 1] if last + 1 < self.count else ""
        if after in _HOSPITALS and self.words[last + 1].istitle():
            return True  # "Hope Hospital", "Victoria Infirmary": no person is so followed
        possessive = self.text[self.ends[last] : self.ends[last] + 2] in ("'s", "’s")
        home = possessive and self.words[last + 1] == "house"  # "Priti's house"
        if possessive and after in _BUILDINGS and not home:
            return True  # "Maggie's centre", "St Luke's hospice"
        if (
            possessive
            and first == last
            and (after in _CONDITION_WORDS or self.lowers[last] in _EPONYMOUS_CONDITIONS)
        ):
            return True  # "Parkinson's", "Bell's palsy": conditions
        facility = (
            (after in _FACILITIES and not home)
            or (last > first and self.lowers[last] in _FACILITY_SURNAMES)
            or _WARD_NUMBER.match(self.text, self.ends[last]) is not None
        )
        named_ward = (
            last > first and self.words[last].istitle() and self.lowers[last] in _FACILITIES
        )
        opens = (
            named_ward
            and self.sentence_start(first)
            and not _PERSON_AFTER.match(self.text, self.ends[last])
        )  # "Victoria Ward needs new beds"
        return facility and (before in _LOCATION_WORDS or not listed or opens)

    def whole_names(self, lengths: dict[str, frozenset[int]], names: frozenset[tuple[str, ...]]):
        """The first and last token of each of ``names`` written out in full, in any case."""
        found = []
        for i in (i for i, lower in enumerate(self.lowers) if lower in lengths):
            for length in lengths[self.lowers[i]]:
                if tuple(self.lowers[i : i + length]) in names:
                    found.append((i, i + length - 1))
        return found

    def candidates(self) -> list[int]:
        """The tokens that may start a name: a quick test that skips most words."""
        lowers, words = self.lowers, self.words
        possible, surnames = self.own.possible_first_words, self.own.possible_surnames
        context = _PERSON_CONTEXT.search(self.text) is not None
        english = english_words()
        return [
            i
            for i, lower in enumerate(lowers)
            if lower in possible
            or ("-" in lower and _hyphenated_first_name(lower))
            or (i > 0 and lowers[i - 1] in _CUES)
            or (words[i][0].isupper() and i + 1 < self.count and lowers[i + 1] in surnames)
            or (len(words[i]) == 1 and words[i].isupper())
            or (context and _capitalised(words[i]) and lower not in NOT_NAMES)
            or (_capitalised(words[i]) and lower not in english and lower not in NOT_NAMES)
            or (context and words[i].islower() and lower not in english)
            or (_shouted(words[i]) and lower not in english)
        ]

    def find(self) -> list[tuple[int, int]]:
        spans = self.whole_names(self.own.lengths, self.own.whole)
        public = set()
        for first, last in self.whole_names(_PUBLIC_FIGURE_LENGTHS, PUBLIC_FIGURES):
            public.update(range(first, last + 1))
        after_last = 0
        for i in self.candidates():
            if i < after_last or i in public:
                continue
            cued = self.cued(i)
            listed = cued or self.starts_name(i)
            if listed or self.unlisted_before_surname(i) or self.initials_then_name(i):
                last = self.extend(i)
                if cued or not self.is_place(i, last, listed and self.curated(i)):
                    spans.append((i, last))
                after_last = last + 1
            elif _capitalised(self.words[i]) or _shouted(self.words[i]):
                last = self.extend(i)
                shouted_name = self.shouted_unknown(i) and len(self.words[i]) >= 5  # "BRADSHAW"
                if (
                    shouted_name
                    or self.in_person_context(i, last)
                    or self.unknown_before_verb(i, last)
                    or self.surname_alone(i, last)
                    or self.possessor(i, last)
                    or self.in_apposition(i, last)
                    or self.role_after(i, last)
                ) and not self.is_place(i, last, False):
                    spans.append((i, last))
                    after_last = last + 1
            elif self.lower_case_after_person_cue(i) or self.lower_case_before_person_verb(i):
                last = self.extend(i)
                spans.append((i, last))
                after_last = last + 1
        spans = [(self.surname_before(first), last) for first, last in spans]
        spans += self.listed_with(spans)
        return [(self.starts[first], self.ends[last]) for first, last in spans]

    def surname_before(self, first: int) -> int:
        """Where a name starts that a listed surname may open ("Nguyen Thi Lan")."""
        i = first - 1
        if (
            i >= 0
            and self.gap(first) == " "
            and _capitalised(self.words[i])
            and (
                self.lowers[i] in _ALL_SURNAMES
                or (_NAME_SHAPE.fullmatch(self.words[i]) and self.unknown(i))  # "Cheng Wei"
            )
            and self.lowers[i] not in NOT_NAMES
            and self.lowers[i] not in _FACILITIES
            and not (i > 0 and self.lowers[i - 1] in _CUES)
        ):
            return i
        return first

    def coordinated(self, j: int, *, lower_case: bool = False) -> bool:
        """Whether token ``j``, written beside a name with "and" or a comma, is a name too.

        Beside a name written in lower case, a first name in lower case ("aisha and tom").
        """
        word = self.words[j]
        if lower_case and word.islower():
            kept = NOT_NAMES | _ORDINARY_WORD_NAMES | _LOWER_CASE_WORDS
            first = self.first_name(j) or self.lowers[j] in ENGLISH_FIRST_NAMES
            return first and self.lowers[j] not in kept
        return (
            _capitalised(word)
            and self.lowers[j] not in NOT_NAMES
            and self.lowers[j] not in _FACILITIES
            and self.lowers[j] not in _DATE_AND_COLOUR_NAMES
            and not _inflected(word)
        )

    def _and_between(self, left: int, right: int) -> bool:
        """Whether tokens ``left`` and ``right`` are joined by "and" (or ", and")."""
        return (
            self.lowers[left + 1] == "and"
            and self.gap(right) == " "
            and self.gap(left + 1) in (" ", ", ")
        )

    def listed_with(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Rule 7: names listed beside a found name ("Chidinma and Rotimi", "X, Y and Z")."""
        taken = {k for first, last in spans for k in range(first, last + 1)}
        added: list[tuple[int, int]] = []
        pending = list(spans)
        while pending:
            first, last = pending.pop()
            neighbours = []
            if last + 1 < self.count and _LIST_GAP.fullmatch(self.gap(last + 1)):
                neighbours.append(last + 1)
            if first > 0 and _LIST_GAP.fullmatch(self.gap(first)):
                neighbours.append(first - 1)
            elif first > 1 and self._and_between(first - 2, first):
                neighbours.append(first - 2)
            if last + 2 < self.count and self._and_between(last, last + 2):
                neighbours.append(last + 2)
            for j in neighbours:
                if j in taken or not self.coordinated(j, lower_case=self.words[first].islower()):
                    continue
                if self.sentence_start(j) and (
                    self.lowers[j] in PLACES | COUNTRIES | _PLACE_WORD_NAMES
                    or not (self.first_name(j) or self.lowers[j] in ENGLISH_FIRST_NAMES)
                ):
                    continue  # "Ebony and Shanice are", not "Datix and Karen"
                end = self.extend(j) if j > last else j
                if self.is_place(j, end, False):
                    continue
                taken.update(range(j, end + 1))
                added.append((j, end))
                pending.append((j, end))
        return added


def find_person_names(text: str, names: NameList | None = None) -> list[tuple[int, int]]:
    """Find the person names written in a comment.

    Parameters
    ----------
    text : str
        The comment as written.
    names : NameList, optional
        The organisation's own names (see :meth:`NameList.from_names`).

    Returns
    -------
    list of (int, int)
        The ``(start, end)`` character span of each name, titles and roles left out
        ("Dr Patel" gives the span of "Patel"); spans may overlap when two rules agree.

    Notes
    -----
    The rules, what they keep and why are described in this module's docstring. They read
    capitalisation, so a name written in lower case is found only when it is on the
    organisation's list, is a curated first name, or is a listed first name after a title or
    role.

    Examples
    --------
    >>> text = "My manager Karen and Dr O'Neill are great, unlike the M4 on a Monday."
    >>> [text[start:end] for start, end in find_person_names(text)]
    ['Karen', "O'Neill"]
    """
    return _NameFinder(text, names or _NO_NAMES).find()
