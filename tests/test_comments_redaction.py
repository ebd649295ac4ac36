"""Redaction of personal identifiers: the labelled sets, each kind, speed and real text.

The development set is ``tests/data/redaction_test_set.csv`` (458 sentences written to
resemble NHS staff comments, 230 with identifiers labelled by span and kind; the ``batch``
column says whether a sentence was written before the detector (1) or afterwards to probe
it (2)) with ``tests/data/redaction_dev.jsonl`` (the misses listed in issue #10, part 5, and
probes written afterwards). ``tests/data/redaction_dev_2.jsonl`` (332 sentences),
``tests/data/redaction_dev_3.jsonl`` (373), ``tests/data/redaction_dev_4.jsonl`` (376),
``tests/data/redaction_dev_5.jsonl`` (391) and ``tests/data/redaction_dev_6.jsonl`` (337)
were the first to fifth held-out sets; they became development sets once measured.
``tests/data/redaction_dev_7.jsonl`` (157) holds probes of the structured identifiers and
traps, written for the change that read dev 6's structured misses.
``tests/data/redaction_dev_8.jsonl`` (466) was the sixth held-out set, run once at ada7272.
``tests/data/redaction_dev_9.jsonl`` (90) holds probes of street addresses and traps, written
for the change that read dev 8's address misses, before its rules.
``tests/data/redaction_dev_10.jsonl`` (433) was the seventh held-out set, written blind by
someone else on another branch and run once at 87eebb0; its figures as held out are in a
comment here and in ``docs/redaction.md``. ``tests/data/redaction_dev_11.jsonl`` (500) was
the eighth held-out set, written blind and run once at 3595e08; the next held-out set,
written blind elsewhere, is the measure.
Phone numbers are from Ofcom's ranges reserved for drama (07700 900xxx, 020 7946 0xxx,
01632 960xxx ...), NHS numbers pass or fail the check digit on purpose.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments import names as names_module
from analysis.comments import redaction
from analysis.comments.names_beside import names_beside_found
from analysis.comments.redaction import (
    Identifier,
    find_identifiers,
    is_valid_nhs_number,
    read_labelled_identifiers,
    redact,
    redaction_scores,
)
from analysis.comments.redaction_evaluation import class_scores, read_labelled_spans

DATA = Path(__file__).parent / "data"
REAL_FEEDBACK = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real"
).resolve() / "nhs_patient_feedback_coded.csv"


def kinds(text: str, **options) -> list[tuple[str, str]]:
    return [(found.kind, found.text) for found in find_identifiers(text, **options)]


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    """The development set: the first labelled set and the issue's misses (#10, part 5)."""
    return pd.concat(
        [
            read_labelled_identifiers(DATA / "redaction_test_set.csv"),
            read_labelled_spans(DATA / "redaction_dev.jsonl"),
        ],
        ignore_index=True,
    )


@pytest.fixture(scope="module")
def scores(labelled: pd.DataFrame) -> pd.DataFrame:
    found = [
        find_identifiers(row.text, row.names, staff_id_pattern=row.staff_id_pattern, keep=row.keep)
        for row in labelled.itertuples()
    ]
    return redaction_scores(list(labelled["identifiers"]), found).set_index("kind")


# --- the labelled set ------------------------------------------------------------------


def test_labelled_set_is_large_and_half_positive(labelled: pd.DataFrame) -> None:
    with_identifiers = labelled["identifiers"].map(bool)
    assert len(labelled) >= 300
    assert 0.45 <= with_identifiers.mean() <= 0.55
    assert {i.kind for spans in labelled["identifiers"] for i in spans} == set(
        redaction.IDENTIFIER_KINDS
    )


def test_structured_identifiers_recall_at_least_099(scores: pd.DataFrame) -> None:
    assert scores.loc["structured", "labelled"] >= 100
    assert scores.loc["structured", "recall"] >= 0.99


def test_names_recall_at_least_090(scores: pd.DataFrame) -> None:
    assert scores.loc["NAME", "labelled"] >= 100
    assert scores.loc["NAME", "recall"] >= 0.90


def test_overall_precision_at_least_095(scores: pd.DataFrame) -> None:
    assert scores.loc["all", "precision"] >= 0.95


def test_every_structured_kind_is_found(scores: pd.DataFrame) -> None:
    # With 9 to 38 labelled of each kind, 0.9 allows at most one miss per kind.
    for kind in redaction.STRUCTURED_KINDS:
        assert scores.loc[kind, "recall"] >= 0.9, kind


# --- each kind of identifier -------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "07700 900 123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "(01225) 824567",
        "01225 824567",
        "020 7946 0018",
        "(020) 7946 0018",
        "+44 20 7946 0018",
        "0113 496 0789",
        "0161-496-0123",
    ],
)
def test_uk_phone_numbers_in_every_common_format(phone: str) -> None:
    assert kinds(f"Ring me on {phone} after 5pm.") == [("PHONE", phone)]


def test_extension_numbers_are_phones() -> None:
    # An abbreviated extension is redacted whole; "my extension is" keeps its words.
    assert kinds("I'm on ext. 4521 most days") == [("PHONE", "ext. 4521")]
    assert kinds("My extension is 2284.") == [("PHONE", "2284")]


def test_nhs_number_check_digit_by_hand() -> None:
    # NHS Data Dictionary example 943 476 5919: 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4
    # + 9*3 + 1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9, the tenth digit.
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("943-476-5919")
    assert not is_valid_nhs_number("943 476 5918")
    # 123 456 7890: 1*10 + 2*9 + ... + 9*2 = 210; 210 mod 11 = 1; check 10: no valid number.
    assert not is_valid_nhs_number("1234567890")
    assert not is_valid_nhs_number("943 476 591")


@pytest.mark.parametrize("written", ["9434765919", "943 476 5919", "943-476-5919", "9434 765 919"])
def test_nhs_numbers_in_any_spacing(written: str) -> None:
    assert kinds(f"Patient {written} waited 9 weeks.") == [("NHS_NUMBER", written)]


def test_ten_digits_failing_the_check_are_kept_unless_called_an_nhs_number() -> None:
    # 943 476 5918 fails the check (see above): an order number, not a patient.
    assert kinds("Order 9434765918 is lost.") == []
    # The writer says it is an NHS number: a mistyped one still points at a patient.
    assert kinds("NHS number 943 476 5918 was wrong") == [("NHS_NUMBER", "943 476 5918")]
    # With its leading 0 a UK phone number has 11 digits: never an NHS number.
    assert kinds("Call 0117 496 0202") == [("PHONE", "0117 496 0202")]


def test_national_insurance_numbers() -> None:
    assert kinds("NI AB 12 34 56 C on my payslip") == [("NI_NUMBER", "AB 12 34 56 C")]
    assert kinds("it was jg103759a") == [("NI_NUMBER", "jg103759a")]
    assert kinds("my NI number AB123456 is wrong") == [("NI_NUMBER", "AB123456")]
    # GB and QQ are never issued; without a suffix letter or a cue it is not a NINO.
    assert kinds("codes GB123456A, QQ123456C and AB123456") == []


def test_postcodes_full_and_outward() -> None:
    assert kinds("The clinic at BA1 3NG and bs8 1th and GL513PR") == [
        ("POSTCODE", "BA1 3NG"),
        ("POSTCODE", "bs8 1th"),
        ("POSTCODE", "GL513PR"),
    ]
    assert kinds("Patients in BS3 and BS4 wait longest") == [
        ("POSTCODE", "BS3"),
        ("POSTCODE", "BS4"),
    ]
    assert kinds("My postcode is B12") == [("POSTCODE", "B12")]


def test_things_that_look_like_postcodes_are_kept() -> None:
    text = "B12 injections, the M4, the A303, FY1 and ST3 doctors, CT2 trainees, NEWS2, in B12"
    assert kinds(text) == []


def test_emails_and_urls() -> None:
    assert kinds("Write to Karen.Smith@nhs.net or see www.example.org.uk/page.") == [
        ("EMAIL", "Karen.Smith@nhs.net"),
        ("URL", "www.example.org.uk/page"),
    ]
    assert kinds("(https://survey.example.com/s/8XhQ2) and linkedin.com/in/jo-b") == [
        ("URL", "https://survey.example.com/s/8XhQ2"),
        ("URL", "linkedin.com/in/jo-b"),
    ]


def test_staff_numbers_by_pattern_and_by_cue() -> None:
    assert kinds("NF01234 and NF99812", staff_id_pattern=r"NF\d{5}") == [
        ("STAFF_ID", "NF01234"),
        ("STAFF_ID", "NF99812"),
    ]
    assert kinds("NF01234 and NF99812") == []
    assert kinds("My ESR number: 20481937.") == [("STAFF_ID", "20481937")]


def test_dates_of_birth_but_not_other_dates() -> None:
    assert kinds("DOB 12/03/1975, started 12/03/2019") == [("DATE_OF_BIRTH", "12/03/1975")]
    assert kinds("born in 1962 and joined in 2005") == [("DATE_OF_BIRTH", "1962")]
    assert kinds("date of birth: 3rd March 1968") == [("DATE_OF_BIRTH", "3rd March 1968")]
    assert kinds("Born and bred in Northfield since 1970") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dr Patel never listens", "Patel"),
        ("Sister O'Neill runs the ward", "O'Neill"),
        ("Sister O’Neill runs the ward", "O’Neill"),
        ("Mr. Smith from estates", "Smith"),
        ("Dr J. Okafor is great", "J. Okafor"),
        ("Dr van der Merwe leads", "van der Merwe"),
        ("my manager Karen is great", "Karen"),
        ("our team leader Jo helps", "Jo"),
        ("the CPN Andy is kind", "Andy"),
        ("a nurse called Precious helped", "Precious"),
        ("Tracey Holloway shouts", "Tracey Holloway"),
        ("Thanks Grace for the card", "Grace"),
        ("Will in estates fixed it", "Will"),
        ("thank you nicola for listening", "nicola"),
        ("MY MANAGER DAVE IS A BULLY", "DAVE"),
        ("I work with Zbigniew Kowalski", "Zbigniew Kowalski"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    assert kinds(text) == [("NAME", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Will anyone read this?",
        "Hope this helps.",
        "May was the worst month.",
        "Rated Amber again on the dashboard.",
        "The Mary Seacole programme was good.",
        "Florence Nightingale would despair.",
        "The GP Visit and the OT Dept were fine.",
        "on Florence Ward and the Stanley Road clinic",
        "St Anne's Hospital is too far",
        "Band 5, Ward 7, 2 weeks, in 2005, the NHS, Monday, 10mg, 6 staff, Room 14",
        "Left in Jan 2021 for the Red Cross",
    ],
)
def test_what_identifies_nobody_is_kept(text: str) -> None:
    assert kinds(text) == []


def test_organisation_names_whole_and_in_parts() -> None:
    staff = ["Bronwen Ellery", "Hollis Pryce"]
    assert kinds("I drove past Ellery, and hollis pryce too", names=staff) == [
        ("NAME", "Ellery"),
        ("NAME", "hollis pryce"),
    ]
    assert kinds("I drove past Ellery, and hollis pryce too") == [("NAME", "Ellery")]


def test_keep_protects_the_organisations_places_only_where_they_are() -> None:
    assert redact("I work at Beverley with Beverley Knight", keep=["Beverley"]) == (
        "I work at Beverley with [NAME]"
    )
    assert kinds("Florence Ward is short-staffed", keep=["Florence Ward"]) == []


def test_redact_replaces_with_typed_placeholders() -> None:
    text = "Dr Patel (r.patel@nhs.net, 07700 900777), NHS no. 943 476 5919, DOB 04/05/1951."
    assert redact(text) == (
        "Dr [NAME] ([EMAIL], [PHONE]), NHS no. [NHS_NUMBER], DOB [DATE_OF_BIRTH]."
    )


def test_overlaps_keep_the_longest_identifier() -> None:
    # The name inside an email address is part of the email.
    assert kinds("Email karen.smith@nhs.net today") == [("EMAIL", "karen.smith@nhs.net")]


def test_helpful_errors() -> None:
    with pytest.raises(ValueError, match="fill missing comments"):
        redact(float("nan"))
    with pytest.raises(ValueError, match="not one string"):
        redact("text", names="Karen Smith")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        redact("text", staff_id_pattern="NF(")
    with pytest.raises(ValueError, match="non-empty place names"):
        redact("text", keep=["Bath", ""])


# --- measuring -----------------------------------------------------------------------------


def test_redaction_scores_by_hand() -> None:
    expected = [
        [Identifier(0, 5, "NAME", "Karen"), Identifier(10, 22, "PHONE", "07700 900123")],
        [Identifier(0, 11, "NAME", "Karen Smith")],
    ]
    found = [
        # Karen found; the phone found as an NHS number (wrong kind); a stray name.
        [
            Identifier(0, 5, "NAME", "Karen"),
            Identifier(10, 22, "NHS_NUMBER", "07700 900123"),
            Identifier(30, 34, "NAME", "Ward"),
        ],
        # Only "Karen" of "Karen Smith": the surname shows, so not found.
        [Identifier(0, 5, "NAME", "Karen")],
    ]
    scores = redaction_scores(expected, found).set_index("kind")
    # NAME: labelled 2, found 1 -> recall 1/2; predicted 3, correct 2 (the stray is wrong).
    assert scores.loc["NAME", ["labelled", "found", "predicted", "correct"]].tolist() == [
        2,
        1,
        3,
        2,
    ]
    assert scores.loc["NAME", "recall"] == pytest.approx(0.5)
    assert scores.loc["NAME", "precision"] == pytest.approx(2 / 3)
    # all: labelled 3, found 1; predicted 4, correct 2.
    assert scores.loc["all", "recall"] == pytest.approx(1 / 3)
    assert scores.loc["all", "precision"] == pytest.approx(0.5)
    assert pd.isna(scores.loc["EMAIL", "recall"])


def test_labels_that_do_not_match_the_text_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        'sentence_id,text,identifiers\nS1,Hi Karen,"[{""kind"": ""NAME"", ""start"": 2, '
        '""end"": 7, ""text"": ""Karen""}]"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"row 2 \(S1\): text\[2:7\] is ' Kare'"):
        read_labelled_identifiers(path)


def best_of_three(work: Callable[[], object]) -> float:
    """The least CPU time, in seconds, of three runs of ``work``.

    One run's CPU time grows by a third to a half when the other test worker loads the
    second core: the two timed tests below took 3.06 s and 3.31 s in one CI run (3b06168),
    and 2.3 to 2.5 s and 1.7 to 2.2 s on the idle machine with the same code. The least of
    several runs is the figure least disturbed by what else runs, as :mod:`timeit` advises
    ("the lowest value gives a lower bound for how fast your machine can run the given code
    snippet").
    """
    times = []
    for _ in range(3):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


@pytest.mark.slow
def test_ten_thousand_comments_in_under_three_seconds(labelled: pd.DataFrame) -> None:
    # Measured 2.2 to 2.6 s of CPU with the CRF name tagger (0.4 s of it), 1.2 to 1.5 s with
    # the rules alone; the structured patterns added for dev 6 and dev 7 cost about 0.1 s more
    # (docs/redaction.md); the bound leaves room for a slower machine.
    comments = (list(labelled["text"]) * 22)[:10_000]

    def redact_all() -> None:
        for comment in comments:
            redact(comment, ["Bronwen Ellery", "Hollis Pryce"], staff_id_pattern=r"NF\d{5}")

    assert best_of_three(redact_all) < 3.0


def test_real_nhs_feedback() -> None:
    if not REAL_FEEDBACK.exists():
        pytest.skip(f"real data not here: {REAL_FEEDBACK} (a fresh clone does not have it)")
    comments = pd.read_csv(REAL_FEEDBACK)["feedback"].fillna("").astype(str).tolist()
    assert len(comments) == 10_334
    found = [find_identifiers(comment) for comment in comments]
    # Measured 1.7 to 2.1 s of CPU with the CRF name tagger (about 0.9 s of it), 1.2 to
    # 1.3 s with the rules alone (docs/redaction.md); 1.7 to 2.2 s at 537ea41 and since.
    assert best_of_three(lambda: [find_identifiers(comment) for comment in comments]) < 3.0
    # Read by hand, these comments hold no email, phone, NHS number, postcode or other
    # structured identifier: anything found would be a false positive.
    assert [i for spans in found for i in spans if i.kind != "NAME"] == []
    # They do name staff ("Dr <surname>" and first names): hundreds are found.
    assert sum(i.kind == "NAME" for spans in found for i in spans) > 400


# --- issue #10, part 5: the listed misses, the pattern check and the held-out set -------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr A. Khan never listens.", [("NAME", "A. Khan")]),
        ("J. Smith in payroll sorted it.", [("NAME", "J. Smith")]),
        ("my manager sue is never here", [("NAME", "sue")]),
        ("SUE HARRIS IS A BULLY", [("NAME", "SUE HARRIS")]),
        ("Patel is a bully.", [("NAME", "Patel")]),
        ("Xiaoming covered my shift.", [("NAME", "Xiaoming")]),
        ("Thandiwe is a great mentor.", [("NAME", "Thandiwe")]),
        ("Hermione Blackwood shouted at me.", [("NAME", "Hermione Blackwood")]),
        ("My GMC number is 7123456.", [("GMC_NUMBER", "7123456")]),
        ("NMC PIN 12A3456E, pin 03b9876c", [("NMC_PIN", "12A3456E"), ("NMC_PIN", "03b9876c")]),
        ("I live at 12 Acacia Avenue now.", [("ADDRESS", "12 Acacia Avenue")]),
        ("Follow @nhs_nightowl for more.", [("HANDLE", "@nhs_nightowl")]),
        ("Mail jo@nhs.net today", [("EMAIL", "jo@nhs.net")]),
    ],
)
def test_the_issues_listed_misses(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_the_declared_staff_number_pattern_is_applied() -> None:
    text = "I am RWD204817 and my pay is wrong; RWD2048170 is not an ID"
    assert kinds(text, staff_id_pattern=r"RWD\d{6}") == [("STAFF_ID", "RWD204817")]
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a+)+$", "a repeat inside a repeat"),
        ("(a|ab)*c", "alternatives inside a repeat"),
        (r"(\d)\1", "a back-reference"),
        (r"(?=N)N\d", "a look-ahead or look-behind"),
        (r"\d*", "matches empty text"),
        ("NF(", "not a valid regular expression"),
        ("N" * 101, "at most 100"),
    ],
)
def test_unsafe_or_broken_staff_number_patterns_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        redaction.check_staff_id_pattern(pattern)


def test_a_pattern_opening_with_global_flags_is_accepted() -> None:
    # Found when held-out set 6 was first run (a declared pattern opening with "(?i)"):
    # wrapping the pattern in word boundaries put the flag mid-expression, and re raised
    # "global flags not at the start". The flags now stay at the front.
    text = "my staff number is emp-204817 and my old one EMP-204816"
    assert kinds(text, staff_id_pattern=r"(?i)EMP-\d{6}") == [
        ("STAFF_ID", "emp-204817"),
        ("STAFF_ID", "EMP-204816"),
    ]


def test_a_safe_pattern_runs_fast_on_a_hostile_comment() -> None:
    # A fixed-count repeat inside a repeat is allowed: it cannot backtrack exponentially.
    compiled = redaction.check_staff_id_pattern(r"(?:\d{3}-)+X")
    started = time.process_time()
    assert compiled.search("123-" * 5_000 + "Y") is None
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Rule 8: an unknown capitalised word, then what a person does.
        ("Eirlys has made the clinic a calmer place.", ["Eirlys"]),
        ("Sefa and Kobina from the portering team are always early.", ["Sefa", "Kobina"]),
        ("The audit that Marisela Quispe-Huaman runs is excellent.", ["Marisela Quispe-Huaman"]),
        ("Tuilagi has been bullied since he joined.", ["Tuilagi"]),
        # Rule 9 and rule 2 in lower case: an unknown word after a role or "bullied by".
        ("my manager eirlys never replies", ["eirlys"]),
        ("i was bullied by tuilagi for a year", ["tuilagi"]),
        ("I asked dr nwankwo for help", ["nwankwo"]),
        # Names in capitals that no list holds.
        ("WHY IS ROWBOTHAM STILL IN CHARGE?", ["ROWBOTHAM"]),
        ("GRAHAM ROWBOTHAM SHOULD GO.", ["GRAHAM ROWBOTHAM"]),
        # An ordinary-word name before an unknown word is a name.
        ("Will Tuilagi ever be held to account?", ["Will Tuilagi"]),
    ],
)
def test_unknown_names_in_a_person_context_are_found(text: str, expected: list[str]) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Swindon has a better rota system.",  # a town (GeoNames)
        "Milton Keynes has more parking.",
        "Victoria Ward needs new beds.",  # a ward named after a person, opening a sentence
        "Staff at the Royal Victoria Infirmary get free parking.",
        "Aripiprazole does cause weight gain.",  # a drug (WHO stem)
        "Perscriptions could have been ready.",  # a misspelt word, one edit from English
        "Appts were on time.",  # a plural: not one person
        "Datix has been down all week.",  # an NHS system
        "Tazocin was given late again.",  # passive: things are given
        "Kingsley Wing has no staff toilets.",  # a place word in the name
        "CAMHS IS OVERWHELMED.",  # an acronym in capitals
        "we had to ask for meds without judgement",  # lower case, no cue for a person
    ],
)
def test_places_drugs_systems_and_misspellings_are_kept(text: str) -> None:
    assert kinds(text) == []


def test_english_words_include_inflections_and_irregular_forms() -> None:
    # web2 and gcide hold stems; inflected and irregular forms are read as English too.
    assert names_module.is_english("regrading") and names_module.is_english("became")
    assert not names_module.is_english("eirlys")


def test_the_first_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_2.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # Measured by benchmarks/redaction_benchmark.py: 142/148 names, 219/219 correct at
    # 459c71d; it was 120/148 and 199/206 before its misses were read (docs/redaction.md).
    assert scores["names_found"] >= 142 and scores["structured_recall"] == 1.0
    assert scores["precision"] >= 0.99


def test_the_second_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_3.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # Measured by benchmarks/redaction_benchmark.py at 459c71d: 180/183 names, 57/57
    # structured, 238/240 correct; as the second held-out set it was 167/183, 56/57 and
    # 224/229 (commit 523ea8e, docs/redaction.md).
    assert scores["names_found"] >= 180 and scores["structured_found"] == 57
    assert scores["precision"] >= 0.99


def test_the_third_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_4.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # Measured by benchmarks/redaction_benchmark.py: as the third held-out set it was
    # 177/192 names, 76/78 structured and 253/265 correct (459c71d, docs/redaction.md); its
    # misses were then read and the rules changed: 191/192, 78/78 and 269/269 since.
    assert scores["names_found"] >= 191 and scores["structured_found"] == 78
    assert scores["precision"] >= 0.99


def test_the_fourth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_5.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the fourth held-out set (redaction_heldout_4.jsonl) it was run once at eba7a78:
    # names 182/205, structured 73/77, 257/263 correct (docs/redaction.md). With the CRF
    # tagger, trained with it, and the structured fixes, benchmarks/redaction_benchmark.py
    # measures 197/205, 77/77 and 277/282; left out of the tagger's training it is lower
    # (train_name_tagger.py --cross-validate, docs/redaction.md).
    assert scores["names_found"] >= 197 and scores["structured_found"] == 77
    assert scores["precision"] >= 0.98


def test_the_fifth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_6.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the fifth held-out set (redaction_heldout_5.jsonl, written blind by someone else,
    # committed alone in 5a1c05c) it was run once at 06ac4ec: names 178/187, structured 66/75,
    # 251/252 correct. Its nine structured misses were then read and their classes made
    # general (docs/redaction.md); benchmarks/redaction_benchmark.py measures names 178/187,
    # structured 75/75 and 254/255 correct since. The names rules were not changed.
    assert scores["names_found"] >= 178 and scores["structured_found"] == 75
    assert scores["precision"] >= 0.99


def test_the_structured_probes_are_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_7.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # Written for this change, before the rules they probe (157 sentences, 128 structured
    # identifiers, 40 sentences of traps). benchmarks/redaction_benchmark.py: structured
    # 76/128 and 86/93 correct with the rules before (ebff7c8); 128/128 and 129/130 since.
    assert len(labelled) >= 100 and scores["structured_labelled"] >= 100
    assert scores["structured_found"] == scores["structured_labelled"]
    assert scores["precision"] >= 0.98


def test_the_sixth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_8.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the sixth held-out set (redaction_heldout_6.jsonl, written blind, committed alone in
    # 3ff9b14) it was run once at ada7272: names 197/204, structured 225/228 (the three misses
    # addresses), 420/430 correct. benchmarks/redaction_benchmark.py measures the same at
    # 8f4b23b; since its address misses were read and their classes made general
    # (docs/redaction.md), and "Hope Hospital" read as a place: names 197/204, structured
    # 228/228, 420/429 correct.
    assert len(labelled) == 466
    assert scores["names_found"] >= 197 and scores["structured_found"] == 228
    assert scores["precision"] >= 0.97


def test_the_address_probes_are_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_9.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    addresses = sum(i.kind == "ADDRESS" for spans in labelled["identifiers"] for i in spans)
    traps = sum(not spans for spans in labelled["identifiers"])
    # Written for this change, before its rules (90 sentences, 62 addresses, 34 sentences of
    # traps). benchmarks/redaction_benchmark.py: structured 51/62 and 53/59 correct with the
    # rules before (8f4b23b); 62/62 and 62/63 since (the one wrong finding: "12 Acre Road
    # houses", a count of houses read as an address).
    assert len(labelled) >= 80 and addresses >= 50 and traps >= 30
    assert scores["structured_found"] == scores["structured_labelled"]
    assert scores["precision"] >= 0.95


def test_the_seventh_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_10.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the seventh held-out set (redaction_heldout_7.jsonl, 433 sentences, written blind by
    # someone else, committed alone in 8ffd2d4) it was run once at 87eebb0, aggregate figures
    # only: names 157/168, structured 216/240 (addresses 52/76, every other kind 164/164),
    # 371/382 correct (docs/redaction.md). benchmarks/redaction_benchmark.py measures the
    # same at a111a18, before its misses were read; since they were read and their forms made
    # general (docs/redaction.md): names 161/168, structured 239/240, 385/392 correct.
    assert len(labelled) == 433
    assert scores["names_found"] >= 161 and scores["structured_found"] == 239
    assert scores["precision"] >= 0.98


def test_the_eighth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_11.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the eighth held-out set (redaction_heldout_8.jsonl, 500 sentences, written blind by
    # someone who had read neither the redactor nor any development set, committed alone in
    # 6f7b546) it was run once at 3595e08, aggregate figures only: names 192/204, structured
    # 262/277 (addresses 86/99, postcodes 33/34, phones 16/17, dates of birth 14/15, the other
    # kinds 113/113), 439/454 correct (docs/redaction.md). benchmarks/redaction_benchmark.py
    # measures the same at 08997e1, before its misses were read; since they were read and
    # their forms made general (docs/redaction.md): names 200/204, structured 277/277,
    # 456/463 correct.
    assert len(labelled) == 500
    assert scores["names_found"] >= 200 and scores["structured_found"] == 277
    assert scores["precision"] >= 0.98


def test_the_ninth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_12.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the ninth held-out set (redaction_heldout_9.jsonl, 500 sentences, written blind by
    # someone who had read neither the redactor nor any development set, committed alone in
    # 9d98c98) it was run once at f3a5ba9, aggregate figures only: names 202/209, structured
    # 268/277 (addresses 93/101, dates of birth 14/15, every other kind 161/161), 456/469
    # correct (docs/redaction.md). benchmarks/redaction_benchmark.py measures the same at
    # a86cbfa, before its misses were read; since its address and date-of-birth misses were
    # read and their forms made general, and conditions and restaurants read as no person's
    # (docs/redaction.md): names 202/209, structured 277/277, 460/468 correct.
    assert len(labelled) == 500
    assert scores["names_found"] >= 202 and scores["structured_found"] == 277
    assert scores["precision"] >= 0.98


def test_the_tenth_held_out_set_is_now_a_development_set() -> None:
    labelled = read_labelled_spans(DATA / "redaction_dev_13.jsonl")
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    scores = class_scores(list(labelled["identifiers"]), found)
    # As the tenth held-out set (redaction_heldout_10.jsonl, 500 sentences, written blind by
    # someone who had read neither the redactor nor any development set, committed alone in
    # 106f2df) it was run once at 2c617ff, aggregate figures only: names 185/200, structured
    # 276/294 (addresses 87/105, every other kind 189/189), 456/482 correct
    # (docs/redaction.md). benchmarks/redaction_benchmark.py measures the same at 620032e,
    # before its misses were read; since its address misses and some of its name misses
    # were read and their forms made general (docs/redaction.md): names 188/200, structured
    # 287/294 (addresses 98/105), 464/478 correct.
    assert len(labelled) == 500
    assert scores["names_found"] >= 188 and scores["structured_found"] >= 287
    assert scores["correct"] >= 464 and scores["predicted"] <= 478


HELD_OUT = DATA / "redaction_heldout_11.jsonl"


@pytest.fixture(scope="module")
def held_out() -> dict:
    """Aggregate scores on the eleventh held-out set: written blind by someone else, never opened.

    Written (500 sentences, 202 names, 293 structured identifiers of which 102 addresses, 100
    sentences of traps, 15 sentences declaring a staff ID pattern; committed alone in
    3fb03f0) by a helper who had read neither the redactor nor any development set, while
    dev 13's misses were being read on another branch.
    """
    labelled = read_labelled_spans(HELD_OUT)
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    return class_scores(list(labelled["identifiers"]), found) | {"sentences": len(labelled)}


def test_held_out_set_is_large_and_mixed(held_out: dict) -> None:
    assert held_out["sentences"] >= 300
    assert held_out["names_labelled"] >= 150 and held_out["structured_labelled"] >= 150


def test_held_out_figures_as_measured(held_out: dict) -> None:
    # The eleventh held-out set was run once, at a3edf87, aggregate figures only: names
    # 191/202, structured 278/293 (covered whole: addresses 88/102, dates of birth 14/15,
    # every other kind 176/176), 432 of 448 findings correct (docs/redaction.md). Any
    # change to these counts is a change of the redactor that must be reported, not tuned
    # against.
    assert (held_out["names_found"], held_out["names_labelled"]) == (191, 202)
    assert (held_out["structured_found"], held_out["structured_labelled"]) == (278, 293)
    assert (held_out["correct"], held_out["predicted"]) == (432, 448)


def test_held_out_precision_at_least_095(held_out: dict) -> None:
    # Measured 0.964 (432/448) at a3edf87 (0.946 on the tenth set, 0.972 on the ninth).
    assert held_out["precision"] >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="goal not reached: eleventh held-out set, names recall measured 0.946 (191/202) "
    "at a3edf87 (0.925 on the tenth, 0.967 on the ninth); see docs/redaction.md. Strict: "
    "fails loudly once met.",
)
def test_held_out_names_recall_at_least_095(held_out: dict) -> None:
    assert held_out["names_recall"] >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="goal not reached: eleventh held-out set, structured recall measured 0.949 "
    "(278/293; addresses 88/102, dates of birth 14/15) at a3edf87 (0.939 on the tenth); "
    "see docs/redaction.md. Strict: fails loudly once met.",
)
def test_held_out_structured_recall_at_least_099(held_out: dict) -> None:
    assert held_out["structured_recall"] >= 0.99


# --- rules added from the development sets' misses (dev 2 and dev 3) ------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a listed surname alone inside a sentence (census surnames too)
        ("I had a meeting with Ashworth and was told to toughen up.", ["Ashworth"]),
        ("Nobody will challenge Winterbottom because he is friends with him.", ["Winterbottom"]),
        ("Even Fairbairn admits the rota is a mess.", ["Fairbairn"]),
        # what only a person has
        ("When Xiaoming's contract ended they did not even say goodbye.", ["Xiaoming"]),
        # a role between commas
        ("Vasilios, our porter, always has a smile.", ["Vasilios"]),
        ("Kerensa, the ward clerk, keeps the whole place running.", ["Kerensa"]),
        # "-ly" is an adverb's ending only when the stem is English
        ("Big thanks to Anatoly and Pilar for sorting the equipment.", ["Anatoly", "Pilar"]),
    ],
)
def test_names_found_by_the_rules_for_surnames_possessors_and_appositions(
    text: str, expected: list[str]
) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Travelling to Spain meant the discharge was delayed.",  # a country, a census surname
        "Last consultancy 7th Dec 2014.",  # a month's abbreviation, a census surname
        "Basically told can't help and left to get on with it.",  # "-ally" adverb
        "Co-amoxiclav was out of stock for a week.",  # a "co-" drug
        "Faith in leadership is at an all time low.",  # an abstract noun before "in"
        "Joy at work is something I have not felt in years.",
        "The SNOMED code is missing from the template.",
        "I was sent to 3 Wards in one shift.",  # a number and words, no address
        "The new rota system went live on 1 April 2006.",
    ],
)
def test_countries_months_adverbs_drugs_and_abstract_nouns_are_kept(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("They sent my letters to 221 Kingsway instead.", "221 Kingsway"),  # no street word
        ("My address is Flat 2, 14 The Maltings now.", "Flat 2, 14 The Maltings"),
        ("i live at 7 orchard close with my mum", "7 orchard close"),  # lower case
        ("Payslips were posted to 3 Hollins Brow by mistake.", "3 Hollins Brow"),
    ],
)
def test_addresses_after_an_address_cue(text: str, address: str) -> None:
    assert kinds(text) == [("ADDRESS", address)]


# --- rules added from the third held-out set's misses (dev 4) and probes written after --


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a role after "the", without commas (dev 4, and probes)
        ("Arash the registrar is brilliant with anxious families.", ["Arash"]),
        ("Bill the porter is a legend.", ["Bill"]),
        ("Olive the healthcare assistant deserves a medal.", ["Olive"]),
        # a pay band as a cue, in any case
        ("my band 6 keisha covers for everyone and gets no thanks", ["keisha"]),
        ("My band 7 gareth refuses to do appraisals.", ["gareth"]),
        # person passives and person predicates after unknown or ordinary-word names
        ("Xolani was refused a flexible working request twice.", ["Xolani"]),
        ("Lwazi was made to feel unwelcome because of his accent.", ["Lwazi"]),
        ("Hazel was bullied for months before anyone noticed.", ["Hazel"]),
        ("Rose is retiring after forty years on the ward.", ["Rose"]),
        ("Rowan made a joke about my religion in the staff room.", ["Rowan"]),
        ("Amber was rude to my student.", ["Amber"]),
        ("Delyth from HR lost my paperwork twice.", ["Delyth"]),
        ("Having Magnus as a manager has made me want to leave.", ["Magnus"]),
        ("Well done to Oyelaran for the audit.", ["Oyelaran"]),
        # lower case after more cues; names listed beside a lower-case name
        ("nobody listens to tobias even though he is the most experienced", ["tobias"]),
        ("please pass my thanks to aisha and tom", ["aisha", "tom"]),
        # a name that is an English word beside a found name, opening a sentence
        ("Ebony and Shanice are always left to do the heavy lifting.", ["Ebony", "Shanice"]),
        # hyphenated first names
        ("Jo-Anne and Lee-Ann deserve more thanks.", ["Jo-Anne", "Lee-Ann"]),
    ],
)
def test_names_found_by_the_rules_from_the_third_held_out_set(
    text: str, expected: list[str]
) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "the nurse handing me over",  # census surname that is an inflected English word
        "Sister and Charge Nurse roles should be paid the same.",
        "Paracetamol and Oramorph were out of stock on nights.",  # things out of stock
        "Clexane and Tazocin are constantly out of stock.",
        "Health Education England funding for my course was withdrawn.",
        "The Mount Vernon site is too far from the main hospital.",
        "Diwali and Eid are never considered when the rota is written.",
        "Joy has gone out of this job for most of us.",
        "Our Head of Midwifery is approachable.",
        "Dr Google is consulted more than the consultant on this ward.",
        "Stepping Hill has a better sickness policy than we do.",
        "The Victoria line strikes made everyone late.",
        "Catering was rude to the patients.",  # an English word, no first name
        "Derriford was rude to me on the phone.",  # a place name's ending
        "The Brompton has better pay.",
        "Duty of Candour was ignored.",
        "Sertraline made me feel better.",  # a drug stem
        "Maggie's centre is a lifeline.",  # a building named with a possessive
        "Postcode is missing from the form.",  # a modern word
        "I keep going to 2 Gynae clinics.",  # no address
        "We are going to 12 Hour shifts next month.",
    ],
)
def test_words_kept_by_the_rules_from_the_third_held_out_set(text: str) -> None:
    assert kinds(text) == []


# --- names from dev 10's misses (the seventh held-out set), made general ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # another mention of a word of a found name, spelt the same
        ("Gwilym Parry sorted my rota, cheers Gwilym", ["Gwilym Parry", "Gwilym"]),
        # mistreatment "from" or "by" a person
        ("The harassment from Adeyemi went on for months.", ["Adeyemi"]),
        # a listed name in lower case before what a person does
        ("okafor never listens to the band 5s", ["okafor"]),
        ("nowak shouted at a student in front of patients", ["nowak"]),
        ("mensah was rude to a student", ["mensah"]),
    ],
)
def test_names_from_dev_10(text: str, expected: list[str]) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Half the team are Nigerian or Ghanaian nurses recruited last year.",  # demonyms
        "Sudanese and Iraqi families need interpreters more often.",
        "The racism from Bradford fans at the match spilled into A&E.",  # a town after "from"
        "the rota shouted at me in red ink",  # an English word before a person's verb
    ],
)
def test_words_kept_by_the_rules_from_dev_10(text: str) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == []


# --- names from dev 11's misses (the eighth held-out set), made general ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # where a person lives
        ("Gethin lives with his mum near the hospital", ["Gethin"]),
        # a pay band opening the comment, before a first name that is also a word
        ("band 5 blessing is always on time", ["blessing"]),
        # "my" or "our" and a role or relation right after a name, without commas
        ("Eirwen my buddy showed me round", ["Eirwen"]),
        # a first name and "s" owning what only a person has, without the apostrophe
        ("Kofis leadership kept us going", ["Kofis"]),
        ("Bogdans kindness made my week", ["Bogdans"]),
        ("Olumide's house is near the hospital", ["Olumide"]),  # a home, not a building
        # an unknown word listed beside a found name
        ("Frankly Eluned and Rhodri hold the unit together", ["Eluned", "Rhodri"]),
        ("Mcguinness and Gethin cover nights", ["Mcguinness", "Gethin"]),
        # a particle joined by a hyphen continues the name
        ("sister amira el-masri sent me home", ["amira el-masri"]),
        ("Dr Yusuf al-Hakim was kind", ["Yusuf al-Hakim"]),
        ("Karen de-escalated it", ["Karen"]),  # "de-" and an English word is no particle
    ],
)
def test_names_from_dev_11(text: str, expected: list[str]) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pt lives at home with his wife",  # "pt" is a patient
        "Leeds my home town is lovely",  # a town before "my"
        "Heads leadership meeting was cancelled",  # an English word and "s"
        "Thanks to our team my manager said",
        "Hope lives in all of us",  # an abstract noun that is a first name
        "Our unit is called Heather ward and it is cold",  # a ward named after a first name
        "Aneurin Bevan would be appalled by the rota",  # a public figure, one word tagged
        "Mark the box when you finish",  # a verb opening a sentence
    ],
)
def test_words_kept_by_the_rules_from_dev_11(text: str) -> None:
    assert [found for kind, found in kinds(text) if kind == "NAME"] == []


def test_an_unknown_word_before_a_found_name_is_its_first_name() -> None:
    # When the tagger finds only the surname ("Petrenko" of dev 10), the unknown capitalised
    # word before it is the first name; a second mention of a found unknown word is a name.
    text = "I am Bohdan Kovalenko."
    assert names_beside_found(text, [(12, 21)]) == [(5, 11)]
    text = "Christmas Day, Boxing Day and New Year's Day"  # English words are not repeated
    assert names_beside_found(text, [(15, 25)]) == []


def test_demonyms_are_not_first_names() -> None:
    # A country that is also a first name ("Lucia") makes no demonym of "Lucian".
    assert names_module.is_demonym("Ukrainian") and names_module.is_demonym("Nepalese")
    assert not names_module.is_demonym("Christian") and not names_module.is_demonym("Lucian")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "My National Insurance number QQ 12 34 56 C is wrong on my payslip.",
            ("NI_NUMBER", "QQ 12 34 56 C"),
        ),  # a prefix never issued, after a cue
        ("My NI number is TN 34 56 78 A and it's wrong.", ("NI_NUMBER", "TN 34 56 78 A")),
        (
            "My payslips keep going to 56 Kingsmead which is my ex-partner's house.",
            ("ADDRESS", "56 Kingsmead"),
        ),
        ("They keep posting my rota to 31 Beechwood now.", ("ADDRESS", "31 Beechwood")),
    ],
)
def test_structured_identifiers_from_the_third_held_out_set(
    text: str, expected: tuple[str, str]
) -> None:
    assert kinds(text) == [expected]


# --- structured identifiers: general forms of the fourth held-out set's misses ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the cue after the number
        ("3318204 is her GMC number.", [("GMC_NUMBER", "3318204")]),
        ("Ref 3318204 was on the rota.", []),
        # ten digits failing the check, called the number of a person
        ("the letter for patient 1234567890 went astray", [("NHS_NUMBER", "1234567890")]),
        ("client's number 1234567890 was wrong", [("NHS_NUMBER", "1234567890")]),
        # an NI number never issued, in pay and tax
        ("my payslip shows GB123456A again", [("NI_NUMBER", "GB123456A")]),
        ("HMRC has QQ 12 34 56 C on file", [("NI_NUMBER", "QQ 12 34 56 C")]),
        # a street without a house number where someone lives
        ("She lives off Mill Lane now.", [("ADDRESS", "Mill Lane")]),
        ("We met on Mill Lane.", []),
        # an extension joins the phone number before it
        ("ring 0117 496 0123 ext. 4521 today", [("PHONE", "0117 496 0123 ext. 4521")]),
    ],
)
def test_structured_identifiers_with_the_cue_after_or_without_a_number(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(kind, found) for kind, found in kinds(text) if kind != "NAME"] == expected


# --- structured identifiers: the classes of dev 6's misses and of the probes (dev 7) ----


def structured(text: str, **options) -> list[tuple[str, str]]:
    return [(kind, found) for kind, found in kinds(text, **options) if kind != "NAME"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phones: dots, dashes after +44, (+44), a full stop before, extensions, bleeps
        ("text 07700.900.321 later", [("PHONE", "07700.900.321")]),
        ("Call +44-7700-900-654 now", [("PHONE", "+44-7700-900-654")]),
        ("Reach me on (+44) 7700 900 741.", [("PHONE", "(+44) 7700 900 741")]),
        ("Tel.0117 496 0455 only", [("PHONE", "0117 496 0455")]),
        ("Phone 0161 496 0101 x 233 please", [("PHONE", "0161 496 0101 x 233")]),
        ("I'm on x4417 if needed", [("PHONE", "x4417")]),
        ("ring 0114 496 0999 ext4455 today", [("PHONE", "0114 496 0999 ext4455")]),
        ("bleep me on 3321 tonight", [("PHONE", "3321")]),
        ("the agency is on +353 87 123 4567", [("PHONE", "+353 87 123 4567")]),
        ("Her bleep number is 6650.", [("PHONE", "6650")]),
        # emails written out
        ("mail sam.o at nhs dot net please", [("EMAIL", "sam.o at nhs dot net")]),
        ("contact priya [at] outlook [dot] com", [("EMAIL", "priya [at] outlook [dot] com")]),
        ("write to j_k(at)gmail.com", [("EMAIL", "j_k(at)gmail.com")]),
        ("send to tom.b @ nhs.net", [("EMAIL", "tom.b @ nhs.net")]),
        ("email me: jsmith at nhs.net", [("EMAIL", "jsmith at nhs.net")]),
        # URLs with more top-level domains
        ("see forms.gle/x7Yz2 now", [("URL", "forms.gle/x7Yz2")]),
        ("my blog nightsister.blog explains", [("URL", "nightsister.blog")]),
        # NHS numbers: written 3-3-4, the cue after the comma, hospital numbers, MRN
        ("Results for 123 456 7890 went astray.", [("NHS_NUMBER", "123 456 7890")]),
        ("the wrong NHS number, 485-777-3458, was used", [("NHS_NUMBER", "485-777-3458")]),
        ("4505577108 - that patient waited", [("NHS_NUMBER", "4505577108")]),
        ("Hospital no: RBA1234567 on the board", [("NHS_NUMBER", "RBA1234567")]),
        ("MRN 55012877 on the sign", [("NHS_NUMBER", "55012877")]),
        # NI numbers after "N.I."
        ("N.I. no JT 48 29 17 on file", [("NI_NUMBER", "JT 48 29 17")]),
        # postcodes: mixed case, lower-case outward codes, one-letter areas at home
        ("moved to Ls6 2qb last year", [("POSTCODE", "Ls6 2qb")]),
        ("i live in bd7 now", [("POSTCODE", "bd7")]),
        ("I live in S10 and drive in", [("POSTCODE", "S10")]),
        ("Visits in E1 and E14 are slow", [("POSTCODE", "E1"), ("POSTCODE", "E14")]),
        # GMC: spaced, dashed, attached, "General Medical Council", "GMC ID"
        ("GMC 6 123 458 on the rota", [("GMC_NUMBER", "6 123 458")]),
        ("GMC-7012345 here", [("GMC_NUMBER", "7012345")]),
        ("gmc7012345 here", [("GMC_NUMBER", "7012345")]),
        ("General Medical Council no. 7012345", [("GMC_NUMBER", "7012345")]),
        ("his GMC ID is 7012345", [("GMC_NUMBER", "7012345")]),
        # NMC PINs spaced or dashed after a cue
        ("NMC PIN 12 A 3456 E", [("NMC_PIN", "12 A 3456 E")]),
        ("my pin is 09B-1234-C", [("NMC_PIN", "09B-1234-C")]),
        # staff numbers after more cues, and the cue after
        ("Employee number was 44810272 then", [("STAFF_ID", "44810272")]),
        ("payroll ref PR-20931 please", [("STAFF_ID", "PR-20931")]),
        ("ESR 30128874 shows", [("STAFF_ID", "30128874")]),
        ("smartcard number 700012345679 lost", [("STAFF_ID", "700012345679")]),
        ("E304413 is my staff number", [("STAFF_ID", "E304413")]),
        ("my ID number is 20481938", [("STAFF_ID", "20481938")]),
        # dates of birth: two-digit years, month first, hyphenated cue, "birthday's"
        ("DOB 3.2.71 on the letter", [("DATE_OF_BIRTH", "3.2.71")]),
        ("born on the 3rd Feb '71", [("DATE_OF_BIRTH", "3rd Feb '71")]),
        ("DoB: Feb 3rd 1971 printed", [("DATE_OF_BIRTH", "Feb 3rd 1971")]),
        ("date-of-birth 30 Nov 1979 read out", [("DATE_OF_BIRTH", "30 Nov 1979")]),
        ("My birthday's on 1 January.", [("DATE_OF_BIRTH", "1 January")]),
        ("02/06/1980 is my date of birth", [("DATE_OF_BIRTH", "02/06/1980")]),
    ],
)
def test_structured_identifiers_in_more_of_the_ways_staff_write_them(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert structured(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations; not "St" before a name (a saint) nor "Dr" before one (a doctor)
        ("We moved to 3 Queen St, no lift.", [("ADDRESS", "3 Queen St")]),
        ("I live at 14 Acacia Rd now", [("ADDRESS", "14 Acacia Rd")]),
        # a flat with a letter, a suite and a floor, a unit on an estate, a house name
        ("Post to Flat B, 27 Carlton Ave please", [("ADDRESS", "Flat B, 27 Carlton Ave")]),
        (
            "Suite 4, 2nd Floor, 18 Market Street is it",
            [("ADDRESS", "Suite 4, 2nd Floor, 18 Market Street")],
        ),
        (
            "Unit 9, Kingfisher Business Park has no heating",
            [("ADDRESS", "Unit 9, Kingfisher Business Park")],
        ),
        (
            "The hub at Ivy House, 5 Mill Street is cold",
            [("ADDRESS", "Ivy House, 5 Mill Street")],
        ),
        ("The hub at Rose Cottage, Mill Lane floods", [("ADDRESS", "Rose Cottage, Mill Lane")]),
        (
            "Flat 3, Elm Court, 12 Mill Road is damp",
            [("ADDRESS", "Flat 3, Elm Court, 12 Mill Road")],
        ),
        ("Flat 2, 14 The Maltings is damp", [("ADDRESS", "Flat 2, 14 The Maltings")]),
        (
            "Post goes to St James's University Hospital, Beckett Street, Leeds LS9 7TF.",
            [("ADDRESS", "St James's University Hospital, Beckett Street, Leeds LS9 7TF")],
        ),
        ("I went to the hospital, Mill Lane was closed.", []),
        ("12 Harrogate Road North is the base", [("ADDRESS", "12 Harrogate Road North")]),
        # a village after a comma, and a postcode after the address
        (
            "It went to 9 Station Road, Little Hadham and back",
            [("ADDRESS", "9 Station Road, Little Hadham")],
        ),
        (
            "Sent to 5 Kingsley Terrace, SO15 2JD again",
            [("ADDRESS", "5 Kingsley Terrace, SO15 2JD")],
        ),
        # before a facility word, unless "the" makes the number part of a place's name
        ("The lift at 14 Harrow Road clinic is broken", [("ADDRESS", "14 Harrow Road")]),
        ("The 3 Tuns Road clinic is closing", []),
        # one word shaped like a street's name after a word of place
        ("Park at 40 Kingsway instead", [("ADDRESS", "40 Kingsway")]),
        ("We meet at 3 Lakeside ward", []),
        # lower case or capitals without a cue, unless a word says time or quantity
        ("i live on 12 elm grove", [("ADDRESS", "12 elm grove")]),
        ("MY ADDRESS IS 42 ELMFIELD ROAD", [("ADDRESS", "42 ELMFIELD ROAD")]),
        ("She lives at 42 Elmfield road.", [("ADDRESS", "42 Elmfield road")]),
        ("a 20 minute drive and a 2 lane road", []),
        ("the 2 of us are close", []),
    ],
)
def test_addresses_in_more_of_the_ways_staff_write_them(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert structured(text) == expected


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("my number is e882014", r"E\d{6}", [("STAFF_ID", "e882014")]),  # any case
        ("I am NF 20418 on the rota", r"NF\d{5}", [("STAFF_ID", "NF 20418")]),  # a space
        (
            "Both QMC-104432 and QMC104891",
            r"QMC\d{6}",
            [("STAFF_ID", "QMC-104432"), ("STAFF_ID", "QMC104891")],
        ),
        ("assignment 30918843-1 closed", r"\d{8}", [("STAFF_ID", "30918843-1")]),  # its suffix
        ("The E-learning took 3 hours", r"E\d{6}", []),
    ],
)
def test_the_declared_staff_id_pattern_in_any_case_and_spacing(
    text: str, pattern: str, expected: list[tuple[str, str]]
) -> None:
    assert structured(text, staff_id_pattern=pattern) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The bleep 1234 is held by whoever is on call.",  # a role's bleep, not a person's
        "Crash bleep is 2222.",
        "Call 999 or 111, they said.",
        "Handover @ 8pm and meds round @0800 clash.",  # times, not handles
        "Our nhs.net accounts lock every 30 days.",  # the e-mail system, no one's address
        "I work at the hub on Tuesdays.",  # "at" is no e-mail's "@"
        "I work at nhs.net and hate it.",
        "His ID was on the badge; we got 2 ID badges; ESR 2019 upgrade; staff numbers 2022/23.",
        "I'm in B12 deficiency clinic; born at 28 weeks; PIN 1234 for the door; 4 x 1000 mg.",
        "Datix 7710023 was about the GMC referral.",  # a Datix number before "GMC"
        "I reported it to the GMC in 2021 and waited 2 years.",
        "Incident number 20231104 and Datix W104455 were closed.",
        "B12 jabs, the M62, the A1 and our ST3s.",
        "The restructure started on 03/02/2021.",  # a date, no birth
        "She was born in October. 2 home visits since.",  # a month ending a sentence
        "Band 8a pays £50,952 for 37.5 hrs and 0.5 WTE.",
        "We need +2 nurses and a +10% uplift; score +12 345.",
        "We work 0800-2000 at a 1:8 ratio.",
        "Ward 3, Station Road site is closed.",  # a ward's number
        "I did 4 long days and 2 nights in a row.",
    ],
)
def test_structured_traps_are_kept(text: str) -> None:
    assert structured(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town after any address, also one found after a cue or shaped like a street's name
        ("Post for me goes to 66 Queensway, Rotherham", "66 Queensway, Rotherham"),
        ("She lives at 3 The Paddock, Bramley if needed.", "3 The Paddock, Bramley"),
        # a town in any case between the street and its postcode
        ("my address is 7 oakwood crescent wigan wn1 2qq ok", "7 oakwood crescent wigan wn1 2qq"),
        # street words that end a street's name: End, Side, Mount; abbreviations Pde, Crt
        ("7 Bridge End, Hexham is home.", "7 Bridge End, Hexham"),
        (
            "Flat 14 Marlowe House, 3 Canal Side was on the form",
            "Flat 14 Marlowe House, 3 Canal Side",
        ),
        ("He waited outside 19 Hazel Mount at night.", "19 Hazel Mount"),
        ("The form had 58 Victoria Pde on it.", "58 Victoria Pde"),
        ("Home address 6 Windsor Crt, Blackpool was shown.", "6 Windsor Crt, Blackpool"),
        # house names: a rectory, vicarage, mill, grange
        (
            "Visit at The Old Rectory, Church Lane, Aldbrough today.",
            "The Old Rectory, Church Lane, Aldbrough",
        ),
        # lower case: "st", "rise", "view" and a flat before the number
        ("my address is flat 6, 22 victoria st but", "flat 6, 22 victoria st"),
        ("visited mr at 17 lark rise and his wife", "17 lark rise"),
        ("i live at 45 meadow view and", "45 meadow view"),
        # "No." before the house number
        ("Lives at No. 9 Primrose Hill Road with two children.", "No. 9 Primrose Hill Road"),
        # post office boxes, with a town
        ("Deliveries go to PO Box 4127, which nobody checks.", "PO Box 4127"),
        ("Write to me at P.O. Box 77, Leeds as I move.", "P.O. Box 77, Leeds"),
    ],
)
def test_addresses_from_the_sixth_held_out_set_and_the_address_probes(
    text: str, expected: str
) -> None:
    assert structured(text) == [("ADDRESS", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "The traffic on Kirkstall Road makes me late.",  # a street alone locates nobody
        "I walk down the high street to the bus station.",
        "Patient moved from Bed 12 Bay 3 to a side room.",
        "Ward 27 Level 4 has had no hot water.",
        "The Church Lane Clinic is closing.",
        "Meet at Gate 3 for the shuttle; Building 2 has no lift; Car park 2 is full.",
        "A 2 lane road with no pavement; I drive 30 minutes along the ring road.",
        "The 4 Oaks Road site has better parking.",
        "We had 20 Dr visits cancelled; 3 St John Ambulance volunteers came.",
        "The staff still start at 7 and the 3 st johns volunteers left.",  # not "st" of a street
        "The walk-in centre on Green St is closed on Sundays.",
        "It took 10 min walk to get there, a 5 star view of the car park.",
        "The PO said the box 7 was empty.",  # no post office box
    ],
)
def test_address_traps_are_kept(text: str) -> None:
    assert structured(text) == []


# --- addresses from dev 10's misses (the seventh held-out set), made general -----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a house's name after "the", a comma, then the house
        ("We went to the Beeches, 12 Orchard Rd for a review.", "the Beeches, 12 Orchard Rd"),
        ("Parcel left at the Mill House, 4 Quarry Lane today.", "the Mill House, 4 Quarry Lane"),
        # floors, flats and "care of" before the house number
        ("Seen at First Floor Flat, 8 Ashby Terr on Monday.", "First Floor Flat, 8 Ashby Terr"),
        ("Send it c/o 15 Larch Way, Otley please.", "c/o 15 Larch Way, Otley"),
        # a flat, plot or caravan and its estate or park, without a house number
        (
            "We visited Flat 2a, Orchid Block B, Canal Estate twice.",
            "Flat 2a, Orchid Block B, Canal Estate",
        ),
        (
            "The visit to Plot 14, Riverside Park Homes was cancelled.",
            "Plot 14, Riverside Park Homes",
        ),
        ("Chalet 3, Seaview Holiday Village has no ramp.", "Chalet 3, Seaview Holiday Village"),
        # a house's name, a street and a town without a number
        (
            "Call at Rose Cottage, Mill Lane, Haworth and knock loudly.",
            "Rose Cottage, Mill Lane, Haworth",
        ),
        (
            "The patient at Ivy Lodge, Green Lane, Thorner was discharged.",
            "Ivy Lodge, Green Lane, Thorner",
        ),
        # the parts of an address line before a postcode
        (
            "Home visit at The Old Bakery, Main Street, Kirkby LS22 4RT again.",
            "The Old Bakery, Main Street, Kirkby LS22 4RT",
        ),
        ("They moved to Ash Farm, Great Ayton TS9 6QQ last year.", "Ash Farm, Great Ayton TS9 6QQ"),
        (
            "Flat 6, Nelson House, Queen St DN1 2AB is on the list.",
            "Flat 6, Nelson House, Queen St DN1 2AB",
        ),
        # lower case flat and street; abbreviations and capitals; a known town in any case
        ("post sent to flat 7 ferncliffe court instead", "flat 7 ferncliffe court"),
        ("FROM 3 ST MARYS CT TO THE SURGERY", "3 ST MARYS CT"),
        ("I live at 40 church street, penistone now", "40 church street, penistone"),
        ("LETTERS GO TO 8 PARK ROAD, KENDAL AND GET LOST", "8 PARK ROAD, KENDAL"),
        # "Bank" and "Plaza" are street words
        ("her house at 6 Lilac Bank is not safe", "6 Lilac Bank"),
        # "last week", "next year" are times: the number after them is a house's
        ("eg last week 31 Beech Cres where the dog bit me", "31 Beech Cres"),
        # a street where someone lives without a number: at home, patients or residents on it
        ("We saw him at home on Raglan St daily.", "Raglan St"),
    ],
)
def test_addresses_from_dev_10(text: str, expected: str) -> None:
    assert structured(text) == [("ADDRESS", expected)]


def test_streets_in_a_list_after_patients_on() -> None:
    text = "patients on Oakfield Ave and Birch Rd complain the most"
    assert structured(text) == [("ADDRESS", "Oakfield Ave"), ("ADDRESS", "Birch Rd")]


@pytest.mark.parametrize(
    "text",
    [
        "The Plot 2, Figure 3 shows the trend.",  # a figure's plot, not a plot of land
        "Last week 3 staff left and this week 4 nurses were off sick.",
        "Flat 2, the one upstairs, was flooded.",  # no estate named after the flat
        "At the Hollies, Mum was cared for beautifully.",  # a house's name alone
        "The flat 4 of us share is cold.",
        "Patients on Ward 7 are waiting too long.",
        "We used to park on Station Road but the council put yellow lines down.",
    ],
)
def test_address_traps_from_dev_10_are_kept(text: str) -> None:
    assert structured(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We cover the Grange site and Hope Hospital on the same day.",  # from dev 8
        "She was moved to Victoria Infirmary and then to Florence Hospice.",
    ],
)
def test_a_name_before_a_capitalised_hospital_is_a_place(text: str) -> None:
    assert kinds(text) == []


def test_a_name_before_hospital_in_lower_case_is_still_a_name() -> None:
    assert kinds("Karen Smith hospital manager shouted at me") == [("NAME", "Karen Smith")]


# --- structured identifiers from dev 11's misses (the eighth held-out set), made general -


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a floor, building or block with its number and a comma before the house or street
        (
            "Please post it to Floor 3, Mercer House, 21 Albion Street today.",
            "Floor 3, Mercer House, 21 Albion Street",
        ),
        # a building's name between the unit and the street
        (
            "They moved us to Building 2, Riverside, Kings Mill Road last month.",
            "Building 2, Riverside, Kings Mill Road",
        ),
        (
            "Send the kit to Block B, Oakfield Business Centre please.",
            "Block B, Oakfield Business Centre",
        ),
        # street words: Mead, Spinney, Promenade...
        ("Collect it from Unit 4 Abbey Mead tomorrow.", "Unit 4 Abbey Mead"),
        ("The letter went to 27 Harbour Promenade by mistake.", "27 Harbour Promenade"),
        # Welsh streets, the street word first, with "y" or "yr"
        ("my address is 22 Ffordd Eryri, Caernarfon now", "22 Ffordd Eryri, Caernarfon"),
        ("They still have 6 Heol y Nant on file.", "6 Heol y Nant"),
        (
            "Home visit at Bryn Derw, Maes yr Haf, Aberaeron SA46 0AB on Friday.",
            "Bryn Derw, Maes yr Haf, Aberaeron SA46 0AB",
        ),
        # a town with small words in it after the address
        ("she lives at 3 The Copse, Stratford upon Avon", "3 The Copse, Stratford upon Avon"),
        # a town in lower case after a lower-case address, without a comma
        ("i live at 14 willow view burnley so the bus takes ages", "14 willow view burnley"),
        ("i moved from 12 elm grove march last year", "12 elm grove"),  # a town, a month
        # a village and its town, a county, an outward code after the address
        ("post goes to 3 Beech Way, Roundhay, Leeds now", "3 Beech Way, Roundhay, Leeds"),
        ("we live at 5 Ash Grove, Clitheroe, Lancashire", "5 Ash Grove, Clitheroe, Lancashire"),
        ("I live at 9 Fir Close, M14 so parking is bad", "9 Fir Close, M14"),
        ("I live at 12 Elm Road, ST3 registrars park there", "12 Elm Road"),  # a grade
        # "at home" before the house number
        ("ring me at home 12 The Orchards, Leeds after six", "12 The Orchards, Leeds"),
        # a house's name and its village or town, without a street
        (
            "the visit was at Orchard Farm, Little Snoring, Fakenham on Monday",
            "Orchard Farm, Little Snoring, Fakenham",
        ),
        ("I had to drive out to Low Farm, Hutton Rudby at midnight", "Low Farm, Hutton Rudby"),
        # after a cue, a house's name of words that are not all English, and its village
        ("sent a nurse out to Bryn Teg, Llanfair on her own", "Bryn Teg, Llanfair"),
        # a Glasgow tenement's flat
        ("Flat 1/R, 22 Hyndland Road is my address", "Flat 1/R, 22 Hyndland Road"),
        # a capitalised town without a comma, not an English word
        ("I live at 33 Acacia Avenue Birmingham now", "33 Acacia Avenue Birmingham"),
        ("I left 12 Elm Road March last year", "12 Elm Road"),  # March: a town, a month
        # a house's name without a number where someone lives; a flat "at" the house
        ("my nan lives at Brambles Cottage so I do her shopping", "Brambles Cottage"),
        ("our address is The Old Vicarage now", "The Old Vicarage"),
        ("they live at Plas Newydd near the coast", "Plas Newydd"),
        ("my sister is in flat 9 at 41 Orchard Road", "flat 9 at 41 Orchard Road"),
    ],
)
def test_addresses_from_dev_11(text: str, expected: str) -> None:
    assert structured(text) == [("ADDRESS", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my ext is x4410 if you need me", ("PHONE", "x4410")),  # "x" after "my extension is"
        ("we live in s10 near the hospital", ("POSTCODE", "s10")),  # one letter, lower case
        ("I turn 50 on 14 June 1976 and want to retire", ("DATE_OF_BIRTH", "14 June 1976")),
        ("she'll be 65 on 3rd May so please plan the rota", ("DATE_OF_BIRTH", "3rd May")),
    ],
)
def test_structured_identifiers_from_dev_11(text: str, expected: tuple[str, str]) -> None:
    assert structured(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Building 3 has no heating at all.",  # a building with a number, no street
        "The lift on Floor 2, Main Block is broken again.",  # no street word
        "I met 4 Red Cross volunteers at the door.",
        "We went to the Esplanade for lunch.",  # a street word without a number
        "i live 2 miles from colne",  # a town alone
        "The NHS will be 80 on 5 July 2028.",  # an age that is nobody's
        "We were 12 on the ward on 3 March.",  # a count of staff, then a date
        "Take 2 x 500mg tablets.",  # a dose, not an extension
        "We met at Trust House, then went to the ward.",  # no village after the house
        "She lives at the end of a long road.",
        "We were moved to Bevan House for the training.",  # a building, not where one lives
        "Samples were sent to Pharmacy Stores, Leeds by taxi.",  # English words, a department
        "We sent her to Queen Elizabeth, Birmingham for surgery.",  # a hospital, no "out to"
        "The meeting at Bevan House, Harrogate was pointless.",  # "House" names offices
        "at home, 3 Kids to feed and no pay rise",  # "at home," then a count
        "I was sent to Jane Smith, Matron, for a telling off.",  # a person and her role
    ],
)
def test_structured_traps_from_dev_11_are_kept(text: str) -> None:
    assert structured(text) == []


# --- addresses from dev 12's misses (the ninth held-out set), made general ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Scottish tenement's stair and flat before the street, or before the house number
        (
            "Post goes to 14/2 Marchmont Crescent, Edinburgh now.",
            "14/2 Marchmont Crescent, Edinburgh",
        ),
        ("Write to 0/1, 27 Byres Road, Glasgow please.", "0/1, 27 Byres Road, Glasgow"),
        # a town joined by hyphens around a small word
        ("Send it to 4 Mill Lane, Stratford-upon-Avon please.", "4 Mill Lane, Stratford-upon-Avon"),
        (
            "I moved to 22 Marine Parade, Southend-on-Sea last year.",
            "22 Marine Parade, Southend-on-Sea",
        ),
        # a town before a dash
        ("My address: 7 Quarry Road, Inverness — update it.", "7 Quarry Road, Inverness"),
        # a building's name without its comma, between the flat and the house number
        (
            "I'm in Flat 3 Riverside House 10 Mill Street now.",
            "Flat 3 Riverside House 10 Mill Street",
        ),
        # a street named as one's own street
        ("Cars park all along my street (Laburnum Grove) every day.", "Laburnum Grove"),
        ("Our road, Mafeking Terrace, floods every winter.", "Mafeking Terrace"),
        ("my street is Holly Close so the bus is no use", "Holly Close"),
        # a street said to be near one's home
        ("The bus stops on Chapel Lane near my house so I could start earlier.", "Chapel Lane"),
        ("I park on Victoria Street opposite my flat.", "Victoria Street"),
        # "number" before the house number; "St." with its full stop before a street
        ("I live at number 23 Elm Street so parking is bad.", "number 23 Elm Street"),
        ("They wrote to 44 St. Mary's Road, Oxford by mistake.", "44 St. Mary's Road, Oxford"),
        # a hyphenated town in an address line before a postcode, with no street word
        (
            "Home is 8 Mount Pleasant, Stoke-on-Trent ST4 2AB.",
            "8 Mount Pleasant, Stoke-on-Trent ST4 2AB",
        ),
        (
            "I rent a room at 31 Victoria Road, Chester-le-Street.",
            "31 Victoria Road, Chester-le-Street",
        ),
        # any house's name between "address:" or "lives at" and the house number
        ("My address is Hillcrest, 12 Moor Lane, Buxton.", "Hillcrest, 12 Moor Lane, Buxton"),
        ("she lives at Fairview, 3 Church Street now", "Fairview, 3 Church Street"),
        # a house's name and village after "mail to", "letters to", before a new clause
        (
            "HR keep sending letters to Tan y Bryn, Llanberis, I moved out years ago.",
            "Tan y Bryn, Llanberis",
        ),
    ],
)
def test_addresses_from_dev_12(text: str, expected: str) -> None:
    assert structured(text) == [("ADDRESS", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "My street has no lighting at all.",  # no street's name
        "Our road (the A38) is shut again.",  # a road's number, no street word
        "Results were 8/10 on the ward audit.",  # a score, no street
        "Her house near the park was flooded.",  # a home, no street named
        "We walked from Bevan House to the canteen.",  # a building without a house number
        "Ward 3 Main Street entrance is locked.",  # a ward's number
    ],
)
def test_address_traps_from_dev_12_are_kept(text: str) -> None:
    assert structured(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOBs went up on the staff board, mine is 4 March 1985!", "4 March 1985"),
        ("They asked for birthdays for the rota; his was 12/09/1979.", "12/09/1979"),
    ],
)
def test_a_date_of_birth_that_is_someones_own_after_talk_of_dates_of_birth(
    text: str, expected: str
) -> None:
    assert structured(text) == [("DATE_OF_BIRTH", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "Birthdays are never marked here, mine was ignored.",  # no date
        "My DOB is wrong on ESR. The deadline, mine is 3 June, passed.",  # another sentence
        "We sent letters to Queen Elizabeth, Birmingham about it.",  # English words: a hospital
    ],
)
def test_date_of_birth_and_house_traps_from_dev_12_are_kept(text: str) -> None:
    assert structured(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Patients with Crohn's and Parkinson's wait too long for their meds.",
        "Two of my patients have Huntington's this month.",
        "Bell's palsy clinics were cancelled again.",  # a possessive before "palsy"
        "The catering staff in the Harrison Restaurant are always cheerful.",
        "We met in the Nightingale Canteen at noon.",
    ],
)
def test_conditions_and_restaurants_are_no_persons(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Parkinson's ward round was late again.", ["Parkinson"]),  # after a title
        ("Karen Bell's palsy clinic is brilliant.", ["Karen Bell"]),  # a first name before
        ("I had lunch with Harrison in the canteen.", ["Harrison"]),
    ],
)
def test_names_beside_conditions_and_restaurants_are_kept(text: str, expected: list[str]) -> None:
    assert [i.text for i in find_identifiers(text) if i.kind == "NAME"] == expected


# --- addresses from dev 13's misses (the tenth held-out set), made general ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Welsh, Gaelic or Irish street with its article, no street word, and its town
        ("Post went to 7 Bryn yr Eglwys, Dolgellau last week.", "7 Bryn yr Eglwys, Dolgellau"),
        ("We moved to 2 Taigh na Beinne, Portree in May.", "2 Taigh na Beinne, Portree"),
        ("she is at 19 Cúl na Gréine, Derry and loves it", "19 Cúl na Gréine, Derry"),
        # accents and "h-" after the article
        ("Forms went to 5 Rathad na h-Aibhne, Dingwall.", "5 Rathad na h-Aibhne, Dingwall"),
        # a house number and a name with no street word after "at", "to", "from" or a flat
        ("Payslips go to 11 The Spinneys, Kirkby Stephen.", "11 The Spinneys, Kirkby Stephen"),
        ("I drive in from 4 Highfield, Garstang every day.", "4 Highfield, Garstang"),
        ("I rent Flat 2/1, 30 Broomhill, Partick with friends.", "Flat 2/1, 30 Broomhill, Partick"),
        # a house's name with a Gaelic article after "lives at", before "and I"
        ("he lives at Tigh an Uillt, Balivanich and I visit", "Tigh an Uillt, Balivanich"),
        # a house's name and its village after "commute from"
        ("I commute from Bryn Glas, Llanfyllin so I am late.", "Bryn Glas, Llanfyllin"),
    ],
)
def test_addresses_from_dev_13(text: str, expected: str) -> None:
    assert structured(text) == [("ADDRESS", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "We have 3 Consultants, Leeds and Bradford share them.",  # no word of place before
        "I have worked in 2 Hospitals, Leeds and York.",  # hospitals, not a street
        "She came 3 Times, Sunday included.",  # no word of place before
        "The rota is split at 4 Teams, Harrogate keeps one.",  # teams, not a street
        "Patients are in 12 Wards, Oxford has more.",  # wards
        "I commute from Leeds, Bradford is too far.",  # a town, no house
        "I commute from Queen Street, Wakefield and I hate it.",  # a street word, no house
    ],
)
def test_address_traps_from_dev_13_are_kept(text: str) -> None:
    assert structured(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person's name heading an address line, kept out of the address
        (
            "Write to Tom Baker, Rose Cottage, Hill Lane, Ripon HG4 1AB please.",
            [("NAME", "Tom Baker"), ("ADDRESS", "Rose Cottage, Hill Lane, Ripon HG4 1AB")],
        ),
        (
            "Contact: Priya Shah, 14 Elm Close, Selby YO8 4QT",
            [("NAME", "Priya Shah"), ("ADDRESS", "14 Elm Close, Selby YO8 4QT")],
        ),
        # the Welsh "ap" (son of) inside a name; "binti" (daughter of)
        ("Dr Sion ap Dafydd is always kind.", [("NAME", "Sion ap Dafydd")]),
        ("Staff nurse Nur binti Ahmad covered two wards.", [("NAME", "Nur binti Ahmad")]),
        # an unknown word before "and I", "and me": a person
        ("Oluwaseun and I covered the whole ward.", [("NAME", "Oluwaseun")]),
        ("They moved Tendai and me to nights.", [("NAME", "Tendai")]),
        ("Karen in outpatients is great.", [("NAME", "Karen")]),  # a person in a department
    ],
)
def test_names_from_dev_13(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(i.kind, i.text) for i in find_identifiers(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Leeds and I never got on.",  # a town
        "Nights and I do not mix.",  # an English word
        "The Granary, Nether Lane, Ampleforth YO62 4EQ",  # a house's name, no person
        "Clinic 4 at the Jenner department has no sink.",  # a department named after someone
        "We met at the Harvey outpatients.",  # outpatients named after someone
    ],
)
def test_name_traps_from_dev_13_are_kept(text: str) -> None:
    assert [i for i in find_identifiers(text) if i.kind == "NAME"] == []
