"""How good the code suggestions are: cross-validation against the human coding.

- :func:`cross_validate_coding`: per code precision, recall, F1, support and Cohen's kappa
  between the model (never shown the comments it codes) and the person, plus ``macro`` and
  ``overall`` rows;
- :func:`learning_curve`: the same measures after training on more and more coded
  comments, to see how many the model needs.

Per code, the person's and the model's values for a comment are whether each applied the
code (binary); in the ``overall`` row the value is the comment's code itself (nominal, the
combination of codes where several apply), as in :func:`analysis.comments.agreement`, so
for a one-code-per-comment scheme the overall kappa is the ordinary multi-category Cohen's
kappa and the overall F1 is the share of comments coded alike. The way the model's quality
is reported follows pxtextmining (The Strategy Unit, NHS England), which publishes per-code
precision, recall and F1 with their macro averages for its NHS patient-feedback models.

References
----------
.. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
   Psychological Measurement*, 20(1), 37-46.
.. [2] Sokolova, M., & Lapalme, G. (2009). A systematic analysis of performance measures
   for classification tasks. *Information Processing & Management*, 45(4), 427-437
   (macro-averaged precision, recall and F1).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.comments.agreement import cohen_kappa
from analysis.comments.codebook import Codebook
from analysis.comments.suggest_model import (
    CodeModel,
    CodingTask,
    TooFewCodedError,
    coding_task,
    fold_indices,
    out_of_fold_choices,
)

__all__ = [
    "QUALITY_COLUMNS",
    "LEARNING_CURVE_COLUMNS",
    "coding_quality",
    "cross_validate_coding",
    "learning_curve",
]

QUALITY_COLUMNS = [
    "code",
    "label",
    "support",
    "predicted",
    "precision",
    "recall",
    "f1",
    "cohen_kappa",
]
"""The columns of :func:`cross_validate_coding` and :func:`coding_quality`."""

LEARNING_CURVE_COLUMNS = ["n_coded", "macro_f1", "cohen_kappa", "percent_agreement"]
"""The columns of :func:`learning_curve`."""


def coding_quality(task: CodingTask, chosen: np.ndarray) -> pd.DataFrame:
    """Compare the model's coding of the coded comments with the person's.

    Parameters
    ----------
    task
        From :func:`analysis.comments.suggest_model.coding_task`.
    chosen
        The model's coding, shaped like ``task.targets`` (boolean).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`QUALITY_COLUMNS`; one row per code of ``task.codes``, then
        ``macro`` (the unweighted mean of the code rows, leaving out values that are NaN;
        ``support`` and ``predicted`` are totals) and ``overall`` (precision, recall and
        F1 over every comment and code, and the nominal kappa). ``support``: comments the
        person gave the code; ``predicted``: comments the model gave it. Precision is NaN
        for a code the model never applied, recall for a code the person never applied
        (F1 is then 0 when the other coder applied it and NaN otherwise); kappa is NaN
        where it is undefined.
    """
    truth = task.targets
    true_positive = (truth & chosen).sum(axis=0)
    support, predicted = truth.sum(axis=0), chosen.sum(axis=0)
    precision = _ratio(true_positive, predicted)
    recall = _ratio(true_positive, support)
    f1 = _ratio(2 * true_positive, support + predicted)
    kappas = [
        _kappa(truth[:, j].astype(int), chosen[:, j].astype(int), (0, 1))
        for j in range(len(task.codes))
    ]
    table = pd.DataFrame(
        {
            "code": list(task.codes),
            "label": [task.labels[code] for code in task.codes],
            "support": support,
            "predicted": predicted,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "cohen_kappa": kappas,
        }
    )
    macro = {
        "code": "macro",
        "label": "mean over codes",
        "support": support.sum(),
        "predicted": predicted.sum(),
    }
    for column in ("precision", "recall", "f1", "cohen_kappa"):
        macro[column] = float(np.nanmean(table[column])) if table[column].notna().any() else np.nan
    overall_tp = true_positive.sum()
    overall = {
        "code": "overall",
        "label": "every comment and code",
        "support": support.sum(),
        "predicted": predicted.sum(),
        "precision": _ratio(overall_tp, predicted.sum()),
        "recall": _ratio(overall_tp, support.sum()),
        "f1": _ratio(2 * overall_tp, support.sum() + predicted.sum()),
        "cohen_kappa": _kappa(task.categories(truth), task.categories(chosen), None),
    }
    table = pd.concat([table, pd.DataFrame([macro, overall])], ignore_index=True)
    return table.astype({"support": "int64", "predicted": "int64"})[QUALITY_COLUMNS]


def _ratio(numerator: np.ndarray | int, denominator: np.ndarray | int) -> np.ndarray | float:
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )
    return float(result) if result.ndim == 0 else result


def _kappa(person: np.ndarray, model: np.ndarray, categories: Sequence[object] | None) -> float:
    return cohen_kappa(np.column_stack([person, model]).astype(object), categories)


def cross_validate_coding(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    folds: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """Cross-validated quality of the code suggestions against one person's coding.

    Each coded comment is coded by a model trained on the other folds (features, n-gram
    weights and model all fitted inside the fold), and the two codings are compared.

    Parameters
    ----------
    comments, codings, codebook
        As for :func:`analysis.comments.suggest.suggest_codes`; only coded comments count.
    folds
        Number of folds (stratified by code in a one-code-per-comment scheme).
    seed
        Seed of the folds and solver.

    Returns
    -------
    pandas.DataFrame
        :func:`coding_quality` of the out-of-fold coding. ``result.attrs`` holds
        ``n_coded``, ``folds``, ``seconds`` (wall-clock time to train and predict every
        fold) and ``notes``.

    Examples
    --------
    On the 10,334 real NHS comments of ``../shared/data/real/`` (9 categories),
    ``cross_validate_coding(...).set_index("code").loc[["macro", "overall"]]`` gives a
    macro F1 of about 0.67 and an overall kappa of about 0.70 (see
    ``benchmarks/suggest_benchmark.py``).
    """
    task = coding_task(comments, codings, codebook)
    start = time.perf_counter()
    chosen = out_of_fold_choices(task, fold_indices(task, folds, seed), seed)
    seconds = time.perf_counter() - start
    table = coding_quality(task, chosen)
    scheme = "one code per comment" if task.exclusive else "several codes per comment"
    table.attrs.update(
        n_coded=len(task.coded),
        folds=folds,
        seconds=seconds,
        notes=[
            f"{folds}-fold cross-validation over {len(task.coded)} coded comments ({scheme}); "
            f"each comment coded by a model that never saw it"
        ],
    )
    return table


def learning_curve(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    sizes: Sequence[int] | None = None,
    folds: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """How the suggestions improve as more comments are coded.

    For each fold and each size ``n``, the model learns from ``n`` coded comments drawn at
    random from the other folds (each size's comments include the smaller sizes') and
    codes the held-out fold; the measures pool every fold's held-out comments.

    Parameters
    ----------
    comments, codings, codebook
        As for :func:`cross_validate_coding`.
    sizes
        Numbers of coded comments to learn from. Default: 50, 100, 200, ... doubling, and
        all of a fold's training comments.
    folds, seed
        As for :func:`cross_validate_coding`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LEARNING_CURVE_COLUMNS`, one row per size: ``n_coded`` (comments
        learnt from), ``macro_f1`` and ``cohen_kappa`` (the ``macro`` F1 and ``overall``
        kappa of :func:`coding_quality`) and ``percent_agreement`` (the share of comments
        given the same codes). A size too small to learn from (fewer than two codes with
        enough examples) gets NaN.

    Raises
    ------
    ValueError
        If a size is below 1 or above the comments available for training in a fold.
    """
    task = coding_task(comments, codings, codebook)
    splits = fold_indices(task, folds, seed)
    largest = min(len(training) for training, _ in splits)
    if sizes is None:
        sizes = [n for n in (50 * 2**k for k in range(20)) if n < largest] + [largest]
    sizes = sorted(set(sizes))
    if sizes[0] < 1 or sizes[-1] > largest:
        raise ValueError(
            f"sizes must be between 1 and {largest} (the smallest training fold); got {sizes}"
        )
    order = np.random.default_rng(seed)
    shuffled = [order.permutation(training) for training, _ in splits]
    rows = []
    for size in sizes:
        chosen = np.zeros_like(task.targets)
        try:
            for training, (_, held_out) in zip(shuffled, splits, strict=True):
                model = CodeModel(task, training[:size], calibrate=not task.exclusive, seed=seed)
                chosen[held_out] = model.choose(task.coded[held_out])
        except TooFewCodedError:
            rows.append((size, np.nan, np.nan, np.nan))
            continue
        quality = coding_quality(task, chosen).set_index("code")
        same = task.categories(chosen) == task.categories(task.targets)
        rows.append(
            (
                size,
                quality.loc["macro", "f1"],
                quality.loc["overall", "cohen_kappa"],
                float(same.mean()),
            )
        )
    return pd.DataFrame(rows, columns=LEARNING_CURVE_COLUMNS)
