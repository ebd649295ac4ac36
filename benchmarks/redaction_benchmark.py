"""How well and how fast redaction works: the dev and held-out sets, and real NHS feedback.

Run from the project's root::

    .venv/bin/python benchmarks/redaction_benchmark.py            # figures only
    .venv/bin/python benchmarks/redaction_benchmark.py --list     # and every real finding

It prints, for the development set (``tests/data/redaction_test_set.csv``,
``tests/data/redaction_dev.jsonl``, ``tests/data/redaction_dev_2.jsonl`` to
``tests/data/redaction_dev_6.jsonl``, ``tests/data/redaction_dev_8.jsonl``,
``tests/data/redaction_dev_10.jsonl`` to ``tests/data/redaction_dev_13.jsonl``, the first
ten held-out sets, development sets since they were measured,
``tests/data/redaction_dev_7.jsonl``, probes of the structured identifiers, and
``tests/data/redaction_dev_9.jsonl``, probes of addresses) and for the held-out set
(``tests/data/redaction_heldout_11.jsonl``, written by someone else before any tuning and
never used to develop; left out when not here or with ``--dev-only``; aggregate figures
only),
recall for names, recall for structured identifiers and precision, span by span (the
matching rule is in :mod:`analysis.comments.redaction_evaluation`); then recall and precision
per kind on the development set, the time to redact 10,000 comments, and what is found in the
10,334 real comments of ``../shared/data/real/nhs_patient_feedback_coded.csv`` when that file
is present.
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import pandas as pd

from analysis.comments.redaction import (
    find_identifiers,
    read_labelled_identifiers,
    redact,
    redaction_scores,
)
from analysis.comments.redaction_evaluation import class_scores, read_labelled_spans

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "redaction_test_set.csv"
DEV_MISSES = ROOT / "tests" / "data" / "redaction_dev.jsonl"
DEV_FIRST_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_2.jsonl"
DEV_SECOND_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_3.jsonl"
DEV_THIRD_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_4.jsonl"
DEV_FOURTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_5.jsonl"
DEV_FIFTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_6.jsonl"
DEV_STRUCTURED_PROBES = ROOT / "tests" / "data" / "redaction_dev_7.jsonl"
DEV_SIXTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_8.jsonl"
DEV_ADDRESS_PROBES = ROOT / "tests" / "data" / "redaction_dev_9.jsonl"
DEV_SEVENTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_10.jsonl"
DEV_EIGHTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_11.jsonl"
DEV_NINTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_12.jsonl"
DEV_TENTH_HELD_OUT = ROOT / "tests" / "data" / "redaction_dev_13.jsonl"
HELD_OUT = ROOT / "tests" / "data" / "redaction_heldout_11.jsonl"
REAL_FEEDBACK = (ROOT / ".." / "shared" / "data" / "real").resolve() / (
    "nhs_patient_feedback_coded.csv"
)


def found_in(labelled: pd.DataFrame) -> list[list]:
    """What :func:`find_identifiers` finds in each labelled sentence, with its options."""
    return [
        find_identifiers(row.text, row.names, staff_id_pattern=row.staff_id_pattern, keep=row.keep)
        for row in labelled.itertuples()
    ]


def labelled_scores(labelled: pd.DataFrame) -> pd.DataFrame:
    """Recall and precision per kind on the labelled sentences given."""
    return redaction_scores(list(labelled["identifiers"]), found_in(labelled))


def development_set() -> pd.DataFrame:
    """The first labelled set, the issue's misses, the first ten held-out sets and the
    structured and address probes, together."""
    return pd.concat(
        [
            read_labelled_identifiers(LABELLED),
            read_labelled_spans(DEV_MISSES),
            read_labelled_spans(DEV_FIRST_HELD_OUT),
            read_labelled_spans(DEV_SECOND_HELD_OUT),
            read_labelled_spans(DEV_THIRD_HELD_OUT),
            read_labelled_spans(DEV_FOURTH_HELD_OUT),
            read_labelled_spans(DEV_FIFTH_HELD_OUT),
            read_labelled_spans(DEV_STRUCTURED_PROBES),
            read_labelled_spans(DEV_SIXTH_HELD_OUT),
            read_labelled_spans(DEV_ADDRESS_PROBES),
            read_labelled_spans(DEV_SEVENTH_HELD_OUT),
            read_labelled_spans(DEV_EIGHTH_HELD_OUT),
            read_labelled_spans(DEV_NINTH_HELD_OUT),
            read_labelled_spans(DEV_TENTH_HELD_OUT),
        ],
        ignore_index=True,
    )


def summary(name: str, labelled: pd.DataFrame) -> dict:
    """Names recall, structured recall and precision on one set, printed and returned."""
    scores = class_scores(list(labelled["identifiers"]), found_in(labelled))
    print(
        f"{name:<9}{len(labelled):>5} sentences  names recall {scores['names_recall']:.3f} "
        f"({scores['names_found']}/{scores['names_labelled']})  structured recall "
        f"{scores['structured_recall']:.3f} ({scores['structured_found']}/"
        f"{scores['structured_labelled']})  precision {scores['precision']:.3f} "
        f"({scores['correct']}/{scores['predicted']})"
    )
    return scores


def timed(comments: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds to redact ``comments``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for comment in comments:
        redact(comment)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every real finding")
    parser.add_argument(
        "--dev-only", action="store_true", help="leave the held-out set alone (while tuning)"
    )
    arguments = parser.parse_args()

    summary("dev", development_set())
    summary("dev 1", read_labelled_identifiers(LABELLED))
    summary("dev miss", read_labelled_spans(DEV_MISSES))
    summary("dev 2", read_labelled_spans(DEV_FIRST_HELD_OUT))
    summary("dev 3", read_labelled_spans(DEV_SECOND_HELD_OUT))
    summary("dev 4", read_labelled_spans(DEV_THIRD_HELD_OUT))
    summary("dev 5", read_labelled_spans(DEV_FOURTH_HELD_OUT))
    summary("dev 6", read_labelled_spans(DEV_FIFTH_HELD_OUT))
    summary("dev 7", read_labelled_spans(DEV_STRUCTURED_PROBES))
    summary("dev 8", read_labelled_spans(DEV_SIXTH_HELD_OUT))
    summary("dev 9", read_labelled_spans(DEV_ADDRESS_PROBES))
    summary("dev 10", read_labelled_spans(DEV_SEVENTH_HELD_OUT))
    summary("dev 11", read_labelled_spans(DEV_EIGHTH_HELD_OUT))
    summary("dev 12", read_labelled_spans(DEV_NINTH_HELD_OUT))
    summary("dev 13", read_labelled_spans(DEV_TENTH_HELD_OUT))
    if arguments.dev_only:
        print("held-out set left alone (--dev-only)")
    elif not HELD_OUT.exists():
        print(f"held-out set not measured: {HELD_OUT.name} is not here")
    else:
        summary("held-out", read_labelled_spans(HELD_OUT))

    labelled = read_labelled_identifiers(LABELLED)
    batches = pd.read_csv(LABELLED, dtype=str, usecols=["batch"])["batch"]
    print(
        f"\nFirst labelled set: {len(labelled)} sentences, "
        f"{labelled['identifiers'].map(bool).sum()} with identifiers\n"
    )
    print(labelled_scores(labelled).to_string(index=False, float_format="{:.3f}".format))
    for batch in sorted(batches.unique()):
        scores = labelled_scores(labelled[batches == batch]).set_index("kind")
        print(
            f"\nbatch {batch}: structured recall {scores.loc['structured', 'recall']:.3f}, "
            f"name recall {scores.loc['NAME', 'recall']:.3f}, "
            f"overall precision {scores.loc['all', 'precision']:.3f}"
        )

    comments = (list(labelled["text"]) * 22)[:10_000]
    wall, cpu = timed(comments)
    print(f"\n10,000 labelled comments: {wall:.2f} s wall clock, {cpu:.2f} s CPU")

    if not REAL_FEEDBACK.exists():
        print(f"\nReal feedback skipped: {REAL_FEEDBACK} is not here")
        return
    real = pd.read_csv(REAL_FEEDBACK)["feedback"].fillna("").astype(str).tolist()
    wall, cpu = timed(real)
    found = [find_identifiers(comment) for comment in real]
    by_kind = collections.Counter(i.kind for spans in found for i in spans)
    print(
        f"\nReal NHS feedback: {len(real)} comments in {wall:.2f} s wall clock, {cpu:.2f} s CPU;"
        f" {sum(map(bool, found))} comments redacted; by kind: {dict(by_kind)}"
    )
    if arguments.list:
        for comment, spans in zip(real, found, strict=True):
            for i in spans:
                print(f"{i.kind:<14}{i.text!r:<28}{comment[max(0, i.start - 40) : i.end + 30]!r}")


if __name__ == "__main__":
    main()
