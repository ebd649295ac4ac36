"""Machine-assisted coding: suggest codes for the comments nobody has coded yet.

The coder stays in charge. A model (:mod:`analysis.comments.suggest_model`) learns from
the comments coded so far and, for each comment not yet coded, suggests codes with a
calibrated probability each (:func:`suggest_codes`); nothing is applied until a person
accepts a suggestion (:func:`record_accepted_suggestions`, which writes to that person's
own coding log). The model's own coding is kept apart, as the coder
:data:`~analysis.comments.suggest_model.MODEL_CODER` (:func:`model_codings`,
:func:`record_model_codings`), so that agreement between the model and each person can be
reported beside the agreement between people with :func:`analysis.comments.agreement`.
How good the suggestions are is measured by :mod:`analysis.comments.suggest_quality`.

A session::

    codings = load_codings(package)
    researcher = codings[codings["coder"] == "researcher"]
    suggestions = suggest_codes(comments, researcher, codebook)   # shown in the widget
    # ... the coder ticks the ones to accept, in an "accepted" column ...
    with CodingLog(package, "researcher", codebook) as log:
        record_accepted_suggestions(log, suggestions)
    record_model_codings(package, model_codings(comments, researcher, codebook), codebook)
    agreement(load_codings(package))   # the model beside the people
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.comments.suggest_model import (
    MIN_EXAMPLES,
    MODEL_CODER,
    CodeModel,
    CodingTask,
    coding_task,
    fold_indices,
    out_of_fold_choices,
)
from analysis.datapackage.codebook import Codebook
from analysis.datapackage.coding_logs import CodingLog

__all__ = [
    "SUGGESTION_COLUMNS",
    "suggest_codes",
    "model_codings",
    "record_model_codings",
    "record_accepted_suggestions",
]

SUGGESTION_COLUMNS = ["comment_id", "rank", "code_id", "label", "probability", "chosen"]
"""The columns of :func:`suggest_codes`."""


# --------------------------------------------------------------------------- suggestions


def suggest_codes(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    top: int = 3,
    min_probability: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Suggest codes, with a calibrated probability each, for every comment not yet coded.

    Parameters
    ----------
    comments
        The ``comments`` table (``comment_id``, ``text``, optionally ``question``).
    codings
        One coder's codings so far (see
        :func:`~analysis.comments.suggest_model.coding_task`).
    codebook
        The codebook: labels, keyword hints, and which codes exist.
    top
        At most this many suggestions per comment, most probable first.
    min_probability
        Leave out suggestions less probable than this (the model's chosen code is kept).
    seed
        Seed of the calibration folds and solver; the same inputs give the same output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUGGESTION_COLUMNS`, one row per suggestion, comments in the order
        of ``comments``: ``rank`` (1 = most probable), ``probability`` (calibrated: of the
        comments given probability 0.8, about 8 in 10 have the code), ``chosen`` (the model
        would apply this code itself; see
        :meth:`~analysis.comments.suggest_model.CodeModel.choose`). Nothing is applied: the
        coder accepts suggestions with :func:`record_accepted_suggestions`.
        ``result.attrs["notes"]`` says what the model learnt from and which codes it could
        not learn.

    Raises
    ------
    ValueError
        For bad input (see :func:`~analysis.comments.suggest_model.coding_task`),
        ``top`` below 1, ``min_probability``
        outside [0, 1], or too few coded comments.

    Examples
    --------
    >>> comments = pd.DataFrame({
    ...     "comment_id": [f"c{i}" for i in range(7)],
    ...     "text": ["more pay", "pay rise", "better pay", "the car park is full",
    ...              "no parking spaces", "parking is hard", "pay us fairly"]})
    >>> codings = pd.DataFrame({"comment_id": [f"c{i}" for i in range(6)],
    ...                         "code_id": ["pay"] * 3 + ["parking"] * 3})
    >>> suggest_codes(comments, codings).round(2)
      comment_id  rank code_id label  probability  chosen
    0         c6     1     pay   pay         0.97    True
    """
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a whole number of 1 or more, got {top!r}")
    if not 0.0 <= min_probability <= 1.0:
        raise ValueError(f"min_probability must be between 0 and 1, got {min_probability!r}")
    task = coding_task(comments, codings, codebook)
    uncoded = task.uncoded
    if not len(uncoded):
        return _with_notes(pd.DataFrame(columns=SUGGESTION_COLUMNS), ["every comment is coded"])
    model = CodeModel(task, np.arange(len(task.coded)), seed=seed)
    probabilities = model.probabilities(uncoded)
    chosen = model.choose(uncoded)
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :top]
    rows = []
    for i, row in enumerate(uncoded):
        rank = 0
        for j in order[i]:
            if probabilities[i, j] < min_probability and not chosen[i, j]:
                continue
            rank += 1
            code = task.codes[j]
            rows.append(
                (
                    task.comment_ids[row],
                    rank,
                    code,
                    task.labels[code],
                    probabilities[i, j],
                    chosen[i, j],
                )
            )
    table = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS).astype(
        {
            "comment_id": "str",
            "rank": "int64",
            "code_id": "str",
            "label": "str",
            "probability": "float64",
            "chosen": "bool",
        }
    )
    return _with_notes(table, _model_notes(task, model))


def _model_notes(task: CodingTask, model: CodeModel) -> list[str]:
    scheme = "one code per comment" if task.exclusive else "several codes per comment"
    notes = [
        f"learnt from {len(task.coded)} coded comments ({scheme}); "
        f"{len(task.uncoded)} not yet coded"
    ]
    unlearnt = [code for code in task.codes if code not in model.learnt_codes]
    if unlearnt:
        notes.append(
            f"never suggested (fewer than {MIN_EXAMPLES} coded comments have them"
            f"{'' if task.exclusive else ', or nearly all do'}): {unlearnt}"
        )
    return notes


def _with_notes(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    table.attrs["notes"] = notes
    return table


# --------------------------------------------------------------------------- the model as a coder


def model_codings(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    folds: int = 5,
    seed: int = 0,
    sample: Collection[str] | None = None,
) -> pd.DataFrame:
    """The model's own coding of every comment, as coder :data:`MODEL_CODER`.

    Comments a person coded are coded by a model that never saw them (``folds``-fold
    cross-validation), so that agreement between the model and that person is honest;
    the others by the model trained on every coded comment (the ``chosen`` suggestions of
    :func:`suggest_codes`). With ``sample``, only the comments of the sample are coded, by
    one model trained on every coded comment outside it (held-out validation: one fit
    instead of ``folds``, quick enough for a report).

    Parameters
    ----------
    comments, codings, codebook
        As for :func:`suggest_codes`.
    folds
        Folds of the cross-validation over the coded comments (stratified by code in a
        one-code-per-comment scheme).
    seed
        Seed of the folds, the calibration and the solver.
    sample
        Comment ids to code, held out from the model's training: for instance the sample
        two people double-coded, so that the model is compared with each person on the
        comments the people were compared on.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder`` (:data:`MODEL_CODER`) and ``code_id`` (blank where
        the model applies no code), ready for :func:`record_model_codings` and
        :func:`analysis.comments.agreement`.

    Raises
    ------
    ValueError
        As :func:`suggest_codes`, and for ``sample`` ids that are not comments.
    """
    task = coding_task(comments, codings, codebook)
    if sample is not None:
        wanted = np.isin(task.comment_ids, np.asarray([str(c) for c in sample], dtype=object))
        unknown = sorted({str(c) for c in sample} - set(task.comment_ids))
        if unknown:
            raise ValueError(
                f"sample names {len(unknown)} comment(s) not in comments: {unknown[:5]}"
            )
        training = np.flatnonzero(~wanted[task.coded])
        rows_coded = np.flatnonzero(wanted)
        model = CodeModel(task, training, calibrate=not task.exclusive, seed=seed)
        return _model_rows(task.comment_ids[rows_coded], task.codes, model.choose(rows_coded))
    chosen = np.zeros((len(task.comment_ids), len(task.codes)), dtype=bool)
    chosen[task.coded] = out_of_fold_choices(task, fold_indices(task, folds, seed), seed)
    uncoded = task.uncoded
    if len(uncoded):
        model = CodeModel(task, np.arange(len(task.coded)), seed=seed)
        chosen[uncoded] = model.choose(uncoded)
    return _model_rows(task.comment_ids, task.codes, chosen)


def _model_rows(
    comment_ids: np.ndarray, codes: tuple[str, ...], chosen: np.ndarray
) -> pd.DataFrame:
    rows = []
    for comment_id, row in zip(comment_ids, chosen, strict=True):
        applied = [codes[j] for j in np.flatnonzero(row)] or [None]
        rows.extend((comment_id, MODEL_CODER, code) for code in applied)
    return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")


def record_model_codings(
    package: Path | str, codings: pd.DataFrame, codebook: Codebook | None = None
) -> int:
    """Write the model's coding to its own log in the data package's ``codings/`` folder.

    Parameters
    ----------
    package
        The data package folder.
    codings
        From :func:`model_codings`.
    codebook
        When given, every code is checked against it.

    Returns
    -------
    int
        The number of events written (0 when the log already holds this coding).
    """
    with CodingLog(package, MODEL_CODER, codebook=codebook) as log:
        return log.record_codings(codings)


def record_accepted_suggestions(log: CodingLog, suggestions: pd.DataFrame) -> int:
    """Apply the suggestions a coder accepted, in that coder's own log.

    Parameters
    ----------
    log
        The coder's open :class:`~analysis.datapackage.coding_logs.CodingLog` (not the model's).
    suggestions
        Rows of :func:`suggest_codes` with a boolean ``accepted`` column; each accepted
        row is applied with a memo giving the model's probability, the others are left.

    Returns
    -------
    int
        The number of codes applied.

    Raises
    ------
    ValueError
        If ``log`` is the model's own, or ``accepted`` is missing.
    """
    if log.coder == MODEL_CODER:
        raise ValueError("accepted suggestions belong in the log of the person who accepted them")
    if "accepted" not in suggestions.columns:
        raise ValueError(
            "suggestions need an 'accepted' column (True for each one the coder accepts)"
        )
    accepted = suggestions[suggestions["accepted"].fillna(False).astype(bool)]
    for row in accepted.itertuples(index=False):
        log.apply(
            row.comment_id, row.code_id, memo=f"accepted suggestion (p = {row.probability:.2f})"
        )
    return len(accepted)
