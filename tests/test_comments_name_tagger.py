"""The CRF name tagger: its shipped model, its training data and what the vetoes keep.

The figures of the tagger with the rules (leave-one-set-out on the development sets, and
each set) are measured by ``analysis/comments/name_lists/train_name_tagger.py
--cross-validate`` and ``benchmarks/redaction_benchmark.py`` and reported in
``docs/redaction.md``; the sentences below are new, written for these tests.
"""

from __future__ import annotations

import pytest

from analysis.comments import name_tagger
from analysis.comments.name_lists import train_name_tagger
from analysis.comments.name_tagger import sentence_features, tagged_names, tokens
from analysis.comments.redaction import find_identifiers


def names_in(text: str) -> list[str]:
    return [text[start:end] for start, end in tagged_names(text)]


def test_the_model_is_shipped_and_small() -> None:
    # The shipped file is about 100 KB; the brief allows up to ~5 MB of package data.
    assert name_tagger.MODEL.exists()
    assert name_tagger.MODEL.stat().st_size < 5_000_000


def test_tokens_keep_offsets_initials_and_apostrophes() -> None:
    text = "Dr A. O'Neill-Reid's rota"
    assert [(start, end) for start, end, _ in tokens(text)] == [(0, 2), (3, 5), (6, 20), (21, 25)]
    assert [text[start:end] for start, end, _ in tokens(text)][2] == "O'Neill-Reid's"


def test_features_read_case_lists_and_neighbours() -> None:
    features = sentence_features(["my", "manager", "Thandiwe", "shouted"])
    assert (
        "title" in features[2] and "-1:role" in features[2] and "+1:w=shouted" not in (features[2])
    )
    assert "1:w=shouted" in features[2] and "-2:det" in features[2]
    assert "sentence_start" in features[0] and "-1:edge" in features[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names in no rule's context, from no list or in lower case
        (
            "Honestly Ngozi Adebayo-Okafor carried the whole department through winter.",
            ["Ngozi Adebayo-Okafor"],
        ),
        ("Thanks to Siobhan and Tendai the audit was finished.", ["Siobhan", "Tendai"]),
    ],
)
def test_the_tagger_finds_names(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # vetoes: acronyms, wards and buildings named after people, charities, drugs,
        # contractions, misspellings, English words not written as names
        "CAMHS and the PTSD service were brilliant, thanks XXXX.",
        "Hogarth ward have some exceptional nursing staff.",
        "The Marie Curie nurses were exemplary.",
        "My heartfelt thanks to all on Harvey 1.",
        "Aripiprazole does cause weight gain.",
        "The staff were very pleasent and helpful.",
        "Don't change anything, it was lovely.",
    ],
)
def test_the_rules_lists_veto_what_is_no_name(text: str) -> None:
    assert names_in(text) == []


def test_find_identifiers_takes_the_union_and_leaves_structured_spans_alone() -> None:
    text = "Email t.oduya@nhs.net or ask Tendai in pharmacy."
    found = [(i.kind, i.text) for i in find_identifiers(text)]
    assert ("EMAIL", "t.oduya@nhs.net") in found and ("NAME", "Tendai") in found
    assert all(not (i.kind == "NAME" and "oduya" in i.text) for i in find_identifiers(text))


def test_synthetic_training_sentences_are_deterministic_and_labelled() -> None:
    first = train_name_tagger.synthetic_sentences(200, seed=7)
    assert first == train_name_tagger.synthetic_sentences(200, seed=7)
    assert first != train_name_tagger.synthetic_sentences(200, seed=8)
    for text, spans in first:
        assert all(text[start:end].strip() == text[start:end] != "" for start, end in spans)


def test_labelled_sequence_marks_the_words_of_a_name() -> None:
    words, labels = train_name_tagger.labelled_sequence("Ask Jo Bloggs now.", [(4, 13)])
    assert words == ["Ask", "Jo", "Bloggs", "now."]
    assert labels == ["O", "N", "N", "O"]
