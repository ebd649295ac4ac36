"""Redaction of personal identifiers: the labelled sets, each kind, speed and real text.

The development set is ``tests/data/redaction_test_set.csv`` (458 sentences written to
resemble NHS staff comments, 230 with identifiers labelled by span and kind; the ``batch``
column says whether a sentence was written before the detector (1) or afterwards to probe
it (2)) with ``tests/data/redaction_dev.jsonl`` (the misses listed in issue #10, part 5, and
probes written afterwards). ``tests/data/redaction_dev_2.jsonl`` (332 sentences),
``tests/data/redaction_dev_3.jsonl`` (373), ``tests/data/redaction_dev_4.jsonl`` (376) and
``tests/data/redaction_dev_5.jsonl`` (391) were the first to fourth held-out sets; they
became development sets once measured. The held-out set is now
``tests/data/redaction_heldout_5.jsonl``, written by someone else and never opened while
the redactor was developed; its aggregate figures are computed here and reported in
``docs/redaction.md``. Phone numbers are from Ofcom's ranges reserved for drama (07700
900xxx, 020 7946 0xxx, 01632 960xxx ...), NHS numbers pass or fail the check digit on purpose.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments import names as names_module
from analysis.comments import redaction
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
    assert kinds("I'm on ext. 4521 most days") == [("PHONE", "4521")]
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


@pytest.mark.slow
def test_ten_thousand_comments_in_under_three_seconds(labelled: pd.DataFrame) -> None:
    # Measured 2.2 to 2.6 s of CPU with the CRF name tagger (0.4 s of it), 1.2 to 1.5 s with
    # the rules alone (docs/redaction.md); the bound leaves room for a slower machine.
    comments = (list(labelled["text"]) * 22)[:10_000]
    started = time.process_time()
    for comment in comments:
        redact(comment, ["Bronwen Ellery", "Hollis Pryce"], staff_id_pattern=r"NF\d{5}")
    assert time.process_time() - started < 3.0


def test_real_nhs_feedback() -> None:
    if not REAL_FEEDBACK.exists():
        pytest.skip(f"real data not here: {REAL_FEEDBACK} (a fresh clone does not have it)")
    comments = pd.read_csv(REAL_FEEDBACK)["feedback"].fillna("").astype(str).tolist()
    assert len(comments) == 10_334
    started = time.process_time()
    found = [find_identifiers(comment) for comment in comments]
    # Measured 1.7 to 2.1 s of CPU with the CRF name tagger (about 0.9 s of it), 1.2 to
    # 1.3 s with the rules alone (docs/redaction.md).
    assert time.process_time() - started < 3.0
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


HELD_OUT = DATA / "redaction_heldout_5.jsonl"


@pytest.fixture(scope="module")
def held_out() -> dict:
    """Aggregate scores on the fifth held-out set: written by someone else, never opened."""
    labelled = read_labelled_spans(HELD_OUT)
    found = [
        find_identifiers(row.text, staff_id_pattern=row.staff_id_pattern)
        for row in labelled.itertuples()
    ]
    return class_scores(list(labelled["identifiers"]), found) | {"sentences": len(labelled)}


def test_held_out_set_is_large_and_mixed(held_out: dict) -> None:
    assert held_out["sentences"] >= 300
    assert held_out["names_labelled"] >= 150 and held_out["structured_labelled"] >= 50


def test_held_out_figures_as_measured(held_out: dict) -> None:
    # The fifth held-out set (written blind by someone else, committed alone in 5a1c05c)
    # was run once, at 06ac4ec with the CRF tagger final (8c0f84f), by
    # benchmarks/redaction_benchmark.py: names 178/187, structured 66/75, 251 of 252
    # findings correct (docs/redaction.md). Any change to these counts is a change of the
    # redactor that must be reported, not tuned against.
    assert (held_out["names_found"], held_out["names_labelled"]) == (178, 187)
    assert (held_out["structured_found"], held_out["structured_labelled"]) == (66, 75)
    assert (held_out["correct"], held_out["predicted"]) == (251, 252)


def test_held_out_precision_at_least_095(held_out: dict) -> None:
    # Measured 0.996 (251/252) at 06ac4ec.
    assert held_out["precision"] >= 0.95


def test_held_out_names_recall_at_least_095(held_out: dict) -> None:
    # Measured 0.952 (178/187) at 06ac4ec.
    assert held_out["names_recall"] >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="goal not reached: fifth held-out set, structured recall measured 0.880 (66/75) "
    "at commit 06ac4ec; see docs/redaction.md. Strict: this test fails loudly once the goal "
    "is met.",
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
