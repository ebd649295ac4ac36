"""Free-text comments, written from the hand-written fragments in ``comment_bank.yml``.

About a third of respondents comment. Which topics a respondent writes about depends on how
they answered (someone bullied by colleagues is more likely to write about bullying, someone
with an unsupportive manager about their manager), on their directorate and on the year
(IT complaints jump after the new electronic record system of 2007; appraisal praise rises
where the appraisal action plan ran). Each topic is a code of ``codebook.yml``; the true codes
of every comment are kept for the simulated coders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import pandas as pd

from analysis.datapackage.plain_yaml import load_plain_yaml
from demo_generator.effects import APPRAISAL_ACTION_YEAR, APPRAISAL_TARGETED, IT_COMMENT_SHARE
from demo_generator.organisation import ADM, CF, CN, CP, CS, MH, SUP, TH

__all__ = [
    "QUESTIONS",
    "Fragment",
    "Comments",
    "load_comment_bank",
    "nhs_number_check_digit",
    "write_comments",
]

QUESTIONS = ("What would most improve your working life?", "Any other comments about working here?")
_DIRECTORATE_KEYS = {"CN": CN, "CF": CF, "TH": TH, "MH": MH, "CP": CP, "CS": CS}
_TOPIC_COUNTS = (1, 2, 3)
_TOPIC_COUNT_SHARES = (0.50, 0.33, 0.17)
_COMMENT_RATE = 0.31
_ANSWERS_FIRST, _ANSWERS_SECOND = 0.85, 0.50
_POSITIVE_CODES = {
    "manager_support_positive",
    "appraisal_positive",
    "team_working_positive",
    "pride_in_job",
}
_NOTHING_MORE = (
    "See above.",
    "No.",
    "Nothing further to add.",
    "Nothing else.",
    "Not really.",
    "No comment.",
)
_IDENTIFIER_KINDS = ("name", "phone", "email", "nhs_number", "postcode")
_IDENTIFIERS_EACH = 3
_FIRST_NAMES = ("Sarah", "Karen", "Julie", "David", "Mark", "Helen", "Susan", "Andrew", "Claire")
_LAST_NAMES = ("Jones", "Hartley", "Okafor", "Patel", "Whitworth", "Brennan", "Ashworth")
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_KEEP_CAPITAL = re.compile(r"^(I\b|I'|[A-Z]{2,}\b|Agenda for Change)")


@dataclass(frozen=True)
class Fragment:
    """A hand-written piece of text and where it may be used."""

    text: str
    first_year: int = 0
    last_year: int = 9999
    directorates: tuple[str, ...] = ()

    def fits(self, year: int, directorate: str) -> bool:
        """Whether the fragment may appear in a comment of this year and directorate."""
        in_years = self.first_year <= year <= self.last_year
        return in_years and (not self.directorates or directorate in self.directorates)


def _fragment(raw: str) -> Fragment:
    text, _, tags = raw.partition(" ~")
    first, last, directorates = 0, 9999, []
    for tag in tags.split():
        if tag in _DIRECTORATE_KEYS:
            directorates.append(_DIRECTORATE_KEYS[tag])
        else:
            start, _, end = tag.partition("-")
            first = int(start) if start else first
            last = int(end) if end else last
    return Fragment(text.strip(), first, last, tuple(directorates))


def load_comment_bank() -> dict:
    """The comment bank as parsed fragments.

    Returns
    -------
    dict
        ``openers``, ``closers`` and ``connectors``: lists of ``Fragment``; ``codes``: code ->
        ``{"says": [...], "wants": [...]}``; ``identifiers``: kind -> list of templates.
    """
    raw = load_plain_yaml(files("demo_generator").joinpath("comment_bank.yml").read_text("utf-8"))
    bank = {key: [_fragment(text) for text in raw[key]] for key in ("openers", "closers")}
    bank["connectors"] = [_fragment(text) for text in raw["connectors"]]
    bank["codes"] = {
        code: {
            part: [_fragment(text) for text in entry.get(part) or []] for part in ("says", "wants")
        }
        for code, entry in raw["codes"].items()
    }
    bank["identifiers"] = raw["identifiers"]
    return bank


@dataclass(frozen=True)
class Comments:
    """The generated comments.

    Attributes
    ----------
    comments
        The ``comments`` table.
    topics
        ``comment_id`` -> the codes the comment was written about (its true codes).
    identifiers
        One row per planted personal identifier: ``comment_id``, ``kind``, ``value``.
    """

    comments: pd.DataFrame
    topics: dict[str, tuple[str, ...]]
    identifiers: pd.DataFrame


def _topic_weights(person, codes: list[str]) -> np.ndarray:
    """Relative chance of each code for this respondent (IT systems is drawn separately)."""

    def answered(item_id: str, code: int) -> bool:
        value = getattr(person, item_id)
        return not pd.isna(value) and value == code

    pressure, manager = person.factor_pressure, person.factor_manager
    communication, engagement = person.factor_communication, person.factor_engagement
    clinical = person.directorate in (CN, CF, TH, MH)
    targeted = person.directorate in APPRAISAL_TARGETED and person.year >= APPRAISAL_ACTION_YEAR
    had_appraisal = answered("appraisal_had", 1)
    weights = {
        "workload_pressure": 1.0 * np.exp(-0.8 * pressure),
        "staffing_levels": 0.7 * np.exp(-0.6 * pressure) * (1.3 if person.directorate == CN else 1),
        "unpaid_hours": 0.35 * np.exp(-0.5 * pressure) * (1.3 if clinical else 0.7),
        "paperwork": 0.5 * (1.2 if clinical else 0.8),
        "manager_support_positive": 0.35 * np.exp(0.9 * manager),
        "manager_support_negative": 0.45 * np.exp(-0.9 * manager),
        "senior_management": 0.5 * np.exp(-0.6 * communication),
        "change_management": 0.3 * {2006: 2.5, 2007: 1.5, 2008: 1.5}.get(person.year, 1.0),
        "appraisal_positive": 0.12 * (1.5 if had_appraisal else 0.2) * (4.0 if targeted else 1.0),
        "appraisal_negative": 0.25 * (0.7 if had_appraisal else 2.5) * (0.5 if targeted else 1.0),
        "training_access": 0.45 * np.exp(-0.5 * person.factor_training),
        "career_progression": 0.3 * (1.5 if person.staff_group in (SUP, ADM) else 1.0),
        "communication_top_down": 0.45 * np.exp(-0.6 * communication),
        "involvement": 0.35 * np.exp(-0.6 * communication),
        "recognition": 0.4 * np.exp(-0.6 * person.factor_satisfaction),
        "equipment": 0.25,
        "estates": 0.3,
        "car_parking": 0.3 * (1.5 if person.directorate in (CP, CS) else 1.0),
        "pay_banding": 0.45
        * (2.0 if answered("satisfied_pay", 1) or answered("satisfied_pay", 2) else 0.6)
        * (1.5 if person.year in (2005, 2006) else 1.0),
        "flexible_working": 0.25 * (1.3 if person.gender == "Female" else 0.8),
        "travel_expenses": 0.2
        * (1.8 if person.directorate in (CN, CF, MH) else 0.6)
        * (1.5 if person.year >= 2007 else 1.0),
        "bullying_harassment": 0.12 * (5.0 if answered("bullying_colleagues", 1) else 1.0),
        "violence_aggression": 0.1
        * (5.0 if answered("violence_patients", 1) or answered("harassment_patients", 1) else 1),
        "stress_wellbeing": 0.3 * (2.5 if answered("stress_work_related", 1) else 0.8),
        "equality_fairness": 0.1 * (4.0 if answered("discrimination_experienced", 1) else 1.0),
        "patient_care_quality": 0.35 * (1.3 if clinical else 0.3),
        "team_working_positive": 0.35 * np.exp(0.5 * person.factor_team),
        "pride_in_job": 0.35 * np.exp(0.6 * engagement),
        "survey_scepticism": 0.2 * np.exp(-0.4 * engagement),
    }
    return np.array([weights[code] for code in codes])


def _pick(rng: np.random.Generator, fragments: list[Fragment], year: int, directorate: str) -> str:
    usable = [fragment for fragment in fragments if fragment.fits(year, directorate)]
    return usable[rng.integers(len(usable))].text


def _lower_start(text: str) -> str:
    return text if _KEEP_CAPITAL.match(text) else text[:1].lower() + text[1:]


def _join(pieces: list[str]) -> str:
    text = pieces[0]
    for piece in pieces[1:]:
        glued = text.endswith((",", " but", " and", " however")) or text.endswith("however,")
        text = f"{text} {_lower_start(piece) if glued else piece}"
    return text


def _wants_list(phrases: list[str], rng: np.random.Generator) -> str:
    if len(phrases) == 1:
        text = phrases[0]
    elif rng.random() < 0.25:
        return " ".join(f"{n}. {p[:1].upper() + p[1:]}." for n, p in enumerate(phrases, start=1))
    else:
        text = ", ".join(phrases[:-1]) + " and " + phrases[-1]
    ending = rng.choice([".", ".", ".", "!", "", "!!"])
    return text[:1].upper() + text[1:] + ending


def _compose(rng, bank, codes: list[str], question: int, year: int, directorate: str) -> str:
    """Write one comment about ``codes`` in answer to question 0 or 1."""
    if not codes:
        return str(rng.choice(_NOTHING_MORE))
    wants, says = [], []
    for code in codes:
        entry = bank["codes"][code]
        usable_wants = [f for f in entry["wants"] if f.fits(year, directorate)]
        if question == 0 and usable_wants and rng.random() < 0.6:
            wants.append(usable_wants[rng.integers(len(usable_wants))].text)
        else:
            says.append(_pick(rng, entry["says"], year, directorate))
            if rng.random() < 0.3:
                extra = _pick(rng, entry["says"], year, directorate)
                if extra not in says:
                    says.append(extra)
    pieces = [_wants_list(wants, rng)] if wants else []
    if pieces and says and not pieces[0].endswith((".", "!")):
        pieces[0] += "."
    if says:
        if question == 1 and rng.random() < 0.25 or question == 0 and rng.random() < 0.05:
            pieces.append(_pick(rng, bank["openers"], year, directorate))
        for index, sentence in enumerate(says):
            if index > 0 and rng.random() < 0.15:
                connector = _pick(rng, bank["connectors"], year, directorate)
                sentence = f"{connector} {_lower_start(sentence)}"
            pieces.append(sentence)
        if rng.random() < 0.12:
            pieces.append(_pick(rng, bank["closers"], year, directorate))
    if pieces[-1].endswith(","):
        pieces[-1] = pieces[-1][:-1] + "."
    return _join(pieces)


def _roughen(rng: np.random.Generator, text: str) -> str:
    """Add the slips people make when typing into a survey box."""
    choice = rng.integers(7)
    if choice == 0:
        return text.replace("n't", "nt").replace("'s", "s").replace("I'm", "Im")
    if choice == 1:
        return text.lower()
    if choice == 2:
        return text.replace(" and ", " & ")
    if choice == 3:
        return text.rstrip(".!") + "..."
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha()]
    if not long_words:
        return text
    index = long_words[rng.integers(len(long_words))]
    word = words[index]
    at = int(rng.integers(1, len(word) - 2))
    if choice in (4, 5):  # swapped letters
        words[index] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:  # a doubled letter
        words[index] = word[:at] + word[at] + word[at:]
    return " ".join(words)


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The NHS number's modulus 11 check digit, or None when the digits are invalid.

    References
    ----------
    NHS Data Dictionary, "NHS NUMBER": weights 10 down to 2 on the first nine digits;
    check digit = 11 - (weighted sum mod 11), 11 becomes 0 and 10 is invalid.
    """
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def _identifier(rng: np.random.Generator, kind: str) -> str:
    first = str(rng.choice(_FIRST_NAMES))
    last = str(rng.choice(_LAST_NAMES))
    if kind == "name":
        return f"{first} {last}"
    if kind == "phone":  # Ofcom's ranges reserved for drama: never a real line
        return str(
            rng.choice([f"07700 900{rng.integers(1000):03d}", f"01632 960{rng.integers(1000):03d}"])
        )
    if kind == "email":
        return f"{first.lower()}.{last.lower()}@northfield-pct.nhs.uk"
    if kind == "nhs_number":
        while True:
            digits = "".join(str(d) for d in rng.integers(0, 10, 9))
            check = nhs_number_check_digit(digits)
            if check is not None and digits[0] != "0":
                number = digits + str(check)
                return f"{number[:3]} {number[3:6]} {number[6:]}"
    letters = _POSTCODE_LETTERS
    return (
        f"NF{rng.integers(1, 10)} {rng.integers(1, 10)}"
        f"{letters[rng.integers(len(letters))]}{letters[rng.integers(len(letters))]}"
    )


def _choose_topics(rng: np.random.Generator, person, codes: list[str]) -> list[str]:
    """One to three codes; IT systems at the year's designed share, the rest by weight."""
    count = int(rng.choice(_TOPIC_COUNTS, p=_TOPIC_COUNT_SHARES))
    chosen: list[str] = []
    if rng.random() < IT_COMMENT_SHARE[person.year]:
        chosen.append("it_systems")
        count -= 1
    if count:
        weights = _topic_weights(person, codes)
        picks = rng.choice(len(codes), size=count, replace=False, p=weights / weights.sum())
        chosen += [codes[index] for index in picks]
    rng.shuffle(chosen)
    return chosen


def _split_by_question(rng: np.random.Generator, chosen: list[str]) -> dict[int, list[str]]:
    """Question index -> codes written in answer to it (praise goes to "any other comments")."""
    first = rng.random() < _ANSWERS_FIRST
    second = rng.random() < _ANSWERS_SECOND or not first
    if not (first and second):
        return {0 if first else 1: chosen}
    by_question: dict[int, list[str]] = {0: [], 1: []}
    for code in chosen:
        question = 1 if code in _POSITIVE_CODES else int(rng.random() < 0.3)
        by_question[question].append(code)
    return by_question


def _plant_identifiers(rng: np.random.Generator, bank: dict, table: pd.DataFrame) -> pd.DataFrame:
    """Add an identifier sentence to a few comments (in place); return what was planted."""
    planted = []
    candidates = np.flatnonzero(table["text"].str.len() > 25)
    picks = rng.choice(candidates, size=len(_IDENTIFIER_KINDS) * _IDENTIFIERS_EACH, replace=False)
    for number, row in enumerate(sorted(picks)):
        kind = _IDENTIFIER_KINDS[number % len(_IDENTIFIER_KINDS)]
        value = _identifier(rng, kind)
        template = str(rng.choice(bank["identifiers"][kind]))
        sentence = template.replace("{" + kind + "}", value)
        text = table.at[row, "text"]
        table.at[row, "text"] = f"{sentence} {text}" if rng.random() < 0.3 else f"{text} {sentence}"
        planted.append((table.at[row, "comment_id"], kind, value))
    return pd.DataFrame(planted, columns=["comment_id", "kind", "value"])


def write_comments(rng: np.random.Generator, answers: pd.DataFrame) -> Comments:
    """Decide who comments, on what, and write the text.

    Less engaged respondents are a little more likely to comment. A respondent answers the
    first question, the second, or both; an answer with no topic is a brief "nothing more"
    (most such answers are left blank, i.e. not written).

    Parameters
    ----------
    rng
        The generator for this component.
    answers
        The survey's per-respondent answers and theme factors.
    """
    bank = load_comment_bank()
    codes = [code for code in bank["codes"] if code != "it_systems"]
    log_odds = np.log(_COMMENT_RATE / (1 - _COMMENT_RATE)) - 0.3 * answers["factor_engagement"]
    chance = (1 / (1 + np.exp(-log_odds))).to_numpy()
    commenters = answers[rng.random(len(answers)) < chance]
    rows, topics = [], []
    for person in commenters.itertuples(index=False):
        by_question = _split_by_question(rng, _choose_topics(rng, person, codes))
        for question, question_codes in sorted(by_question.items()):
            if not question_codes and rng.random() < 0.75:
                continue
            text = _compose(rng, bank, question_codes, question, person.year, person.directorate)
            if rng.random() < 0.12:
                text = _roughen(rng, text)
            rows.append((person.respondent_id, person.year, question, text))
            topics.append(tuple(sorted(question_codes)))
    table = pd.DataFrame(rows, columns=["respondent_id", "year", "_question", "text"])
    table["_topics"] = topics
    table = table.sort_values(["year", "respondent_id", "_question"], ignore_index=True)
    table.insert(0, "comment_id", [f"C{number:05d}" for number in range(1, len(table) + 1)])
    table["question"] = [QUESTIONS[index] for index in table["_question"]]
    identifiers = _plant_identifiers(rng, bank, table)
    return Comments(
        comments=table[["comment_id", "respondent_id", "year", "question", "text"]],
        topics=dict(zip(table["comment_id"], table["_topics"], strict=True)),
        identifiers=identifiers,
    )
