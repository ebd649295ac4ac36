"""Train the CRF name tagger (``name_tagger.crfsuite``) offline, and cross-validate it.

Run from the project's root::

    .venv/bin/python -m analysis.comments.name_lists.train_name_tagger            # the model
    .venv/bin/python -m analysis.comments.name_lists.train_name_tagger --cross-validate

Training data: every development set (``tests/data/redaction_test_set.csv`` and
``tests/data/redaction_dev*.jsonl``; never a held-out set) and synthetic sentences built
from :data:`TEMPLATES` with names drawn at random (fixed seed) from the shipped name lists,
in every case. ``--cross-validate`` leaves each development set out in turn, trains on the
rest (and fresh synthetic sentences), and prints the rules-and-tagger figures on the set
left out: the honest estimate before a held-out run.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

import pandas as pd

from analysis.comments import name_tagger
from analysis.comments.name_tagger import sentence_features, tokens
from analysis.comments.names import (
    CENSUS_SURNAMES,
    COUNTRIES,
    ENGLISH_FIRST_NAMES,
    FIRST_NAMES,
    MORE_FIRST_NAMES,
    MORE_SURNAMES,
    PLACES,
    SURNAMES,
)
from analysis.comments.redaction import find_identifiers, read_labelled_identifiers
from analysis.comments.redaction_evaluation import class_scores, read_labelled_spans

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
DEVELOPMENT_SETS = {
    "dev 1": DATA / "redaction_test_set.csv",
    "dev misses": DATA / "redaction_dev.jsonl",
    "dev 2": DATA / "redaction_dev_2.jsonl",
    "dev 3": DATA / "redaction_dev_3.jsonl",
    "dev 4": DATA / "redaction_dev_4.jsonl",
    "dev 5": DATA / "redaction_dev_5.jsonl",
}
SEED = 20261207
SYNTHETIC_SENTENCES = 6000

# {F} first name, {S} surname, {N} full name, {T} title, {P} place, {C} country, {E} an
# English-word first name used as a word.
TEMPLATES = """
{N} shouted at me in front of patients.
my manager {F} never listens to anyone on the ward.
I was bullied by {S} for months and nobody did anything.
{T} {S} is the best consultant I have worked with.
{F} from pharmacy always helps when we are short.
Please thank {F} and {F} on the night shift.
{S} is a bully and everyone knows it.
Ask {F} about the rota, she sorted it last time.
I reported {N} to HR but nothing happened.
{F}'s attitude towards junior staff is appalling.
The new matron {N} has turned the unit around.
Since {F} left, morale has collapsed.
{N} and {N} deserve recognition for their hard work.
{T} {F} {S} refused to see my patient.
Our band 7 {F} is brilliant.
I moved here from {P} two years ago.
The trust should learn from how {P} runs its clinics.
Staff from {C} are treated differently by {F}.
There is no {E} left in this department.
We need more {E} and less blame.
{F} {S} always takes credit for other people's work.
Thanks to {F} the audit went well.
{S} said I was lazy in my appraisal.
My supervisor, {F}, has been very supportive.
{F} was rude to a patient's family yesterday.
I spoke to {T} {S} about the incident and she laughed.
Nobody on {P} ward listens except {F}.
{F} and I raised concerns about staffing.
When {F} is in charge the shift runs smoothly.
The locum {T} {S} left early again.
Can someone tell {F} that breaks are not optional?
I was told by {N} that my contract would not be renewed.
{N} from estates fixed the heating in a day.
Working with {F} has been the highlight of my year.
{S} keeps changing the rota without telling us.
The registrar {F} was excellent with my patient.
Everyone in {P} knows what {S} did.
I trained in {C} and came to {P} in 2019.
{F} covered my shift when my mum was ill.
Management ignored what {F} {S} reported.
Our ward sister {F} deserves a medal.
""".strip().splitlines()


def _pools() -> dict[str, list[str]]:
    return {
        "F": sorted(FIRST_NAMES | MORE_FIRST_NAMES),
        "S": sorted(SURNAMES | MORE_SURNAMES | CENSUS_SURNAMES),
        "T": ["Dr", "Dr.", "Mr", "Mrs", "Ms", "Sister", "Prof", "Nurse", "Matron"],
        "P": sorted(place for place in PLACES if " " not in place),
        "C": sorted(country for country in COUNTRIES if len(country) > 3),
        "E": sorted(ENGLISH_FIRST_NAMES),
    }


def synthetic_sentences(count: int, seed: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """``count`` sentences from :data:`TEMPLATES` with the spans of their names.

    Names are title case, lower case or capitals at random; a tenth of the sentences are
    written wholly in capitals and a tenth wholly in lower case.
    """
    rng = random.Random(seed)
    pools = _pools()
    sentences = []
    for _ in range(count):
        template = rng.choice(TEMPLATES)
        case = rng.choices(["title", "lower", "upper"], weights=[7, 2, 1])[0]
        text, spans, position = "", [], 0
        for piece in template.replace("{", "\0{").replace("}", "}\0").split("\0"):
            if piece.startswith("{") and piece.endswith("}") and len(piece) == 3:
                slot = piece[1]
                if slot == "N":
                    value = f"{rng.choice(pools['F'])} {rng.choice(pools['S'])}"
                    if rng.random() < 0.2:
                        value = f"{value[0]}. {value.split()[1]}"
                else:
                    value = rng.choice(pools[slot])
                value = {"title": value.title(), "lower": value.lower(), "upper": value.upper()}[
                    case if slot in "FSN" else "title" if slot in "PC" else "lower"
                ]
                if slot == "T":
                    value = value.title()
                if slot in "FSN":
                    spans.append((position, position + len(value)))
            else:
                value = piece
            text += value
            position += len(value)
        whole = rng.random()
        if whole < 0.1:
            text = text.upper()
        elif whole < 0.2:
            text = text.lower()
        sentences.append((text, spans))
    return sentences


def development_sets() -> dict[str, pd.DataFrame]:
    """Every development set, by name."""
    return {
        name: read_labelled_identifiers(path)
        if path.suffix == ".csv"
        else read_labelled_spans(path)
        for name, path in DEVELOPMENT_SETS.items()
    }


def labelled_sequence(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """The words of ``text`` and their labels: ``N`` inside a name span, ``O`` outside."""
    found = tokens(text)
    labels = [
        "N" if any(s < end and start < e for s, e in spans) else "O" for start, end, _ in found
    ]
    return [word for _, _, word in found], labels


def _name_spans(identifiers) -> list[tuple[int, int]]:
    return [(i.start, i.end) for i in identifiers if i.kind == "NAME"]


def train(sentences: list[tuple[str, list[tuple[int, int]]]], model: Path) -> None:
    """Train a CRF on ``sentences`` (text and name spans) and write it to ``model``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for text, spans in sentences:
        words, labels = labelled_sequence(text, spans)
        if words:
            trainer.append(sentence_features(words), labels)
    trainer.set_params(
        {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
    )
    trainer.train(str(model))


def _sentences(frame: pd.DataFrame) -> list[tuple[str, list[tuple[int, int]]]]:
    return [(row.text, _name_spans(row.identifiers)) for row in frame.itertuples()]


def cross_validate() -> None:
    """Leave each development set out in turn; print the rules-and-tagger figures on it."""
    sets = development_sets()
    totals = {"names_found": 0, "names_labelled": 0, "correct": 0, "predicted": 0}
    with tempfile.TemporaryDirectory() as folder:
        for left_out, frame in sets.items():
            training = synthetic_sentences(SYNTHETIC_SENTENCES, SEED)
            for name, other in sets.items():
                if name != left_out:
                    training += _sentences(other)
            model = Path(folder) / "model.crfsuite"
            train(training, model)
            name_tagger.MODEL = model
            name_tagger._tagger.cache_clear()
            found = [
                find_identifiers(row.text, row.names, staff_id_pattern=row.staff_id_pattern)
                for row in frame.itertuples()
            ]
            scores = class_scores(list(frame["identifiers"]), found)
            for key in totals:
                totals[key] += scores[key]
            print(
                f"left out {left_out:<11}{len(frame):>5} sentences  names recall "
                f"{scores['names_recall']:.3f} ({scores['names_found']}/"
                f"{scores['names_labelled']})  precision {scores['precision']:.3f} "
                f"({scores['correct']}/{scores['predicted']})",
                flush=True,
            )
    print(
        f"all left-out sets: names recall "
        f"{totals['names_found'] / totals['names_labelled']:.3f} "
        f"({totals['names_found']}/{totals['names_labelled']})  precision "
        f"{totals['correct'] / totals['predicted']:.3f} ({totals['correct']}/"
        f"{totals['predicted']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true", help="leave-one-set-out")
    arguments = parser.parse_args()
    if arguments.cross_validate:
        cross_validate()
        return
    training = synthetic_sentences(SYNTHETIC_SENTENCES, SEED)
    for frame in development_sets().values():
        training += _sentences(frame)
    train(training, name_tagger.MODEL)
    print(f"{name_tagger.MODEL}: {name_tagger.MODEL.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
