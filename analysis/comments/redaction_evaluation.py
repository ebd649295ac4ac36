"""Measuring redaction on labelled sentences: names, structured identifiers, precision.

The labelled sets are JSON Lines files, one sentence a line::

    {"id": "H001", "text": "Dr A. Khan shouted.", "staff_id_pattern": null,
     "spans": [{"start": 3, "end": 10, "kind": "name", "type": "NAME", "text": "A. Khan"}]}

``kind`` is ``name`` or ``structured``; ``type`` is one of
:data:`analysis.comments.redaction.IDENTIFIER_KINDS`; ``staff_id_pattern`` is the pattern
declared for that sentence's organisation (or null).

The matching rule of :func:`class_scores` is span-level and reads the two classes only, as a
reader of the redacted text would:

* a labelled span is *found* when identifiers of its class (``NAME`` for a name, any other
  kind for a structured identifier) cover every character of it that is not a space:
  redacting "Karen" of "Karen Smith" leaves the surname readable, so it is not found;
* a predicted identifier is *correct* when it overlaps a labelled span of its class;
* recall = found / labelled per class; precision = correct / predicted over both classes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.comments.redaction import IDENTIFIER_KINDS, Identifier

__all__ = ["read_labelled_spans", "identifier_class", "class_scores"]


def identifier_class(kind: str) -> str:
    """``"name"`` for NAME, ``"structured"`` for every other kind of identifier."""
    return "name" if kind == "NAME" else "structured"


def read_labelled_spans(path: str | Path) -> pd.DataFrame:
    """Read a labelled set in JSON Lines (see the module's docstring).

    Parameters
    ----------
    path : str or Path
        The ``.jsonl`` file, UTF-8.

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``sentence_id``, ``text``, ``identifiers`` (a list of
        :class:`~analysis.comments.redaction.Identifier`, ``kind`` being the label's
        ``type``), ``names`` and ``keep`` (empty tuples) and ``staff_id_pattern``.

    Raises
    ------
    ValueError
        Naming the line whose JSON is malformed, whose type is unknown, whose kind does
        not match its type, or whose span does not match the text at its offsets.
    """
    rows = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            record = json.loads(line)
            text = record["text"]
            identifiers = [
                Identifier(int(span["start"]), int(span["end"]), span["type"], span["text"])
                for span in record["spans"]
            ]
            kinds = [span["kind"] for span in record["spans"]]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{where}: not a labelled sentence ({error!r})") from None
        for identifier, kind in zip(identifiers, kinds, strict=True):
            if identifier.kind not in IDENTIFIER_KINDS:
                raise ValueError(f"{where}: unknown type {identifier.kind!r}")
            if kind != identifier_class(identifier.kind):
                raise ValueError(f"{where}: kind {kind!r} does not fit type {identifier.kind}")
            if text[identifier.start : identifier.end] != identifier.text:
                raise ValueError(
                    f"{where}: text[{identifier.start}:{identifier.end}] is "
                    f"{text[identifier.start : identifier.end]!r}, not {identifier.text!r}"
                )
        rows.append(
            {
                "sentence_id": record.get("id", f"line {number}"),
                "text": text,
                "identifiers": identifiers,
                "names": (),
                "keep": (),
                "staff_id_pattern": record.get("staff_id_pattern") or None,
            }
        )
    return pd.DataFrame(rows, dtype=object)


def _found(label: Identifier, found: Sequence[Identifier]) -> bool:
    wanted = identifier_class(label.kind)
    return all(
        any(identifier_class(f.kind) == wanted and f.start <= position < f.end for f in found)
        for position in range(label.start, label.end)
        if not label.text[position - label.start].isspace()
    )


def class_scores(
    expected: Sequence[Sequence[Identifier]], found: Sequence[Sequence[Identifier]]
) -> dict[str, float | int]:
    """Recall for names and for structured identifiers, and precision, span by span.

    Parameters
    ----------
    expected : sequence of sequences of Identifier
        The labelled identifiers of each sentence.
    found : sequence of sequences of Identifier
        What :func:`~analysis.comments.redaction.find_identifiers` found in the same
        sentences, in the same order.

    Returns
    -------
    dict
        ``names_labelled``, ``names_found``, ``names_recall``, ``structured_labelled``,
        ``structured_found``, ``structured_recall``, ``predicted``, ``correct`` and
        ``precision`` (NaN where nothing was labelled or predicted).

    Notes
    -----
    The matching rule is set out in this module's docstring.

    Examples
    --------
    >>> label = [Identifier(0, 11, "NAME", "Karen Smith")]
    >>> half = [Identifier(0, 5, "NAME", "Karen"), Identifier(20, 25, "NAME", "Monday")]
    >>> scores = class_scores([label], [half])
    >>> scores["names_recall"], scores["precision"]
    (0.0, 0.5)
    """
    if len(expected) != len(found):
        raise ValueError(
            f"expected has {len(expected)} sentences but found has {len(found)}; "
            "give the identifiers of the same sentences in the same order"
        )
    counts = {"name": [0, 0], "structured": [0, 0]}
    predicted = correct = 0
    for labels, predictions in zip(expected, found, strict=True):
        for label in labels:
            counts[identifier_class(label.kind)][0] += 1
            counts[identifier_class(label.kind)][1] += _found(label, predictions)
        for prediction in predictions:
            predicted += 1
            correct += any(
                identifier_class(label.kind) == identifier_class(prediction.kind)
                and label.start < prediction.end
                and prediction.start < label.end
                for label in labels
            )
    scores: dict[str, float | int] = {}
    for name, (labelled, hit) in (("names", counts["name"]), ("structured", counts["structured"])):
        scores[f"{name}_labelled"] = labelled
        scores[f"{name}_found"] = hit
        scores[f"{name}_recall"] = hit / labelled if labelled else float("nan")
    scores |= {
        "predicted": predicted,
        "correct": correct,
        "precision": correct / predicted if predicted else float("nan"),
    }
    return scores
