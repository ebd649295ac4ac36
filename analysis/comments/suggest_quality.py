"""How good the code suggestions are: cross-validation against the human coding.

- :func:`cross_validate_coding`: per code precision, recall, F1, support and Cohen's kappa
  between the model (never shown the comments it codes) and the person, plus ``macro`` and
  ``overall`` rows;
- :func:`learning_curve`: the same measures after training on more and more coded
  comments, to see how many the model needs;
- :func:`suggestion_quality`: both from one set of folds, as the comments report shows
  them: the learning curve's last point is the cross-validation itself, so the report pays
  for the full-size models once; with :func:`learning_curve_finding` (the figure's title)
  and a plain note on codes with too few coded comments to judge.

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
from contextlib import AbstractContextManager
from typing import NamedTuple

import numpy as np
import pandas as pd
import sklearn

from analysis.comments.agreement import cohen_kappa
from analysis.comments.suggest_model import (
    CodeModel,
    CodingTask,
    TooFewCodedError,
    coding_task,
    fold_indices,
    out_of_fold_choices,
)
from analysis.datapackage.codebook import Codebook

__all__ = [
    "QUALITY_COLUMNS",
    "LEARNING_CURVE_COLUMNS",
    "MIN_SUPPORT",
    "STILL_IMPROVING",
    "SuggestionQuality",
    "coding_quality",
    "cross_validate_coding",
    "learning_curve",
    "learning_curve_finding",
    "suggestion_quality",
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

MIN_SUPPORT = 30
"""Codes with fewer comments coded by people have their figures called rough: each comment
found or missed moves such a code's recall by more than 1/30 (0.03)."""

STILL_IMPROVING = 0.01
"""Gain in macro F1 per 100 more coded comments from which :func:`learning_curve_finding`
says that more coding still improves the suggestions."""


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
    table, _ = _cross_validated(task, fold_indices(task, folds, seed), seed)
    return table


def _cross_validated(
    task: CodingTask, splits: list[tuple[np.ndarray, np.ndarray]], seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`coding_quality` of the out-of-fold coding (with its ``attrs``), and the coding."""
    start = time.perf_counter()
    with _without_input_checks():
        chosen = out_of_fold_choices(task, splits, seed)
    seconds = time.perf_counter() - start
    table = coding_quality(task, chosen)
    scheme = "one code per comment" if task.exclusive else "several codes per comment"
    table.attrs.update(
        n_coded=len(task.coded),
        folds=len(splits),
        seconds=seconds,
        notes=[
            f"{len(splits)}-fold cross-validation over {len(task.coded)} coded comments "
            f"({scheme}); each comment coded by a model that never saw it"
        ],
    )
    return table, chosen


def _without_input_checks() -> AbstractContextManager:
    """scikit-learn without its checks of finite inputs and of settings.

    The models' inputs are their own TF-IDF matrices and fixed settings, so the checks
    change nothing but cost about a twentieth of the time of the hundreds of fits a
    cross-validation makes (``sklearn.config_context``: ``assume_finite``,
    ``skip_parameter_validation``).
    """
    return sklearn.config_context(assume_finite=True, skip_parameter_validation=True)


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
    rows = _curve_rows(task, splits, sizes, seed)
    return pd.DataFrame(rows, columns=LEARNING_CURVE_COLUMNS)


def _curve_rows(
    task: CodingTask,
    splits: list[tuple[np.ndarray, np.ndarray]],
    sizes: Sequence[int],
    seed: int,
) -> list[tuple[int, float, float, float]]:
    """Learning-curve rows: each fold's model learns from ``size`` of its training comments,
    drawn at random (the same draw for every size, so smaller sets nest in larger ones)."""
    order = np.random.default_rng(seed)
    shuffled = [order.permutation(training) for training, _ in splits]
    rows = []
    for size in sizes:
        chosen = np.zeros_like(task.targets)
        try:
            with _without_input_checks():
                for training, (_, held_out) in zip(shuffled, splits, strict=True):
                    model = CodeModel(
                        task, training[:size], calibrate=not task.exclusive, seed=seed
                    )
                    chosen[held_out] = model.choose(task.coded[held_out])
        except TooFewCodedError:
            rows.append((size, np.nan, np.nan, np.nan))
            continue
        rows.append(_curve_row(task, chosen, size, coding_quality(task, chosen)))
    return rows


def _curve_row(
    task: CodingTask, chosen: np.ndarray, size: int, quality: pd.DataFrame
) -> tuple[int, float, float, float]:
    """``n_coded``, macro F1, overall kappa and percent agreement of one out-of-fold coding
    (``chosen``, whose :func:`coding_quality` is ``quality``)."""
    quality = quality.set_index("code")
    same = task.categories(chosen) == task.categories(task.targets)
    return (
        size,
        quality.loc["macro", "f1"],
        quality.loc["overall", "cohen_kappa"],
        float(same.mean()),
    )


class SuggestionQuality(NamedTuple):
    """What :func:`suggestion_quality` returns: the per-code table and the learning curve."""

    by_code: pd.DataFrame
    learning_curve: pd.DataFrame


def suggestion_quality(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    folds: int = 5,
    sizes: Sequence[int] = (),
    seed: int = 0,
    min_support: int = MIN_SUPPORT,
) -> SuggestionQuality:
    """Cross-validated quality per code and the learning curve, from one set of folds.

    What the comments report shows. :func:`cross_validate_coding` and
    :func:`learning_curve` each draw folds and fit models of their own; here the folds are
    drawn once, and the cross-validation's models (each learning from every comment of the
    other folds) give the learning curve its last point, so the report pays for the
    full-size models once. With the same ``folds`` and ``seed``, ``by_code`` equals
    :func:`cross_validate_coding`'s table and the curve's other rows equal those of
    :func:`learning_curve` with the same ``sizes``.

    Parameters
    ----------
    comments, codings, codebook
        As for :func:`cross_validate_coding`.
    folds, seed
        As for :func:`cross_validate_coding`.
    sizes
        Numbers of coded comments for the learning curve's earlier points. Sizes not below
        the smallest training fold are left out: the last point already learns from all of
        each fold's training comments.
    min_support
        Codes with fewer comments coded by people than this are named in a note: their
        figures are rough.

    Returns
    -------
    SuggestionQuality
        ``by_code``: as :func:`cross_validate_coding` (columns :data:`QUALITY_COLUMNS`),
        whose ``attrs["notes"]`` also name the codes with ``support`` below
        ``min_support``, the codes no comment coded by people has, and the codes the model
        never applied. ``learning_curve``: as :func:`learning_curve` (columns
        :data:`LEARNING_CURVE_COLUMNS`), one row per size kept and a last row for the
        cross-validation, whose ``n_coded`` is the mean number of comments the folds'
        models learnt from, rounded; ``attrs["seconds"]`` is the time its earlier points
        took.

    Raises
    ------
    TooFewCodedError
        If fewer comments are coded than there are folds, or a fold's model has too few
        coded comments to learn from.
    ValueError
        If ``folds`` is not an integer of at least 2, or a size is not a whole number of
        at least 1.

    Examples
    --------
    The comments report on the demo organisation (1,162 coded comments, 30 codes, several
    per comment) uses 2 folds and sizes 100 and 300: 3 points, 6 models, a few seconds.

    >>> quality = suggestion_quality(comments, coding, codebook, folds=2,
    ...                              sizes=[100, 300])                      # doctest: +SKIP
    >>> quality.learning_curve["n_coded"].tolist()                         # doctest: +SKIP
    [100, 300, 581]
    """
    if any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
        raise ValueError(f"sizes must be whole numbers of at least 1; got {list(sizes)}")
    task = coding_task(comments, codings, codebook)
    if isinstance(folds, int) and folds >= 2 and len(task.coded) < folds:
        raise TooFewCodedError(
            f"too few coded comments to cross-validate: {len(task.coded)} coded, {folds} folds"
        )
    splits = fold_indices(task, folds, seed)
    by_code, chosen = _cross_validated(task, splits, seed)
    by_code.attrs["notes"] += _support_notes(by_code, min_support)

    smallest = min(len(training) for training, _ in splits)
    start = time.perf_counter()
    rows = _curve_rows(task, splits, sorted({size for size in sizes if size < smallest}), seed)
    seconds = time.perf_counter() - start
    learnt_from = round(float(np.mean([len(training) for training, _ in splits])))
    rows.append(_curve_row(task, chosen, learnt_from, by_code))
    curve = pd.DataFrame(rows, columns=LEARNING_CURVE_COLUMNS)
    curve.attrs["seconds"] = seconds
    return SuggestionQuality(by_code, curve)


def _support_notes(table: pd.DataFrame, min_support: int) -> list[str]:
    """Plain notes on the codes whose figures rest on too few comments, or on none."""
    codes = table[~table["code"].isin(["macro", "overall"])]

    def named(rows: pd.DataFrame, counts: bool = False) -> str:
        return "; ".join(
            f"{row.label} ({row.support})" if counts else str(row.label)
            for row in rows.itertuples()
        )

    notes = []
    few = codes[(codes["support"] > 0) & (codes["support"] < min_support)]
    if len(few):
        notes.append(
            f"{len(few)} {'code has' if len(few) == 1 else 'codes have'} fewer than "
            f"{min_support} comments coded by people, so each comment found or missed moves "
            f"{'its' if len(few) == 1 else 'their'} recall by more than "
            f"{1 / min_support:.2f}: read {'its' if len(few) == 1 else 'their'} figures as "
            f"rough ({named(few, counts=True)})"
        )
    absent = codes[codes["support"] == 0]
    if len(absent):
        notes.append(
            f"no comment coded by people has {named(absent)}: the model cannot learn "
            f"{'it' if len(absent) == 1 else 'them'} and there is nothing to measure"
        )
    never = codes[(codes["support"] > 0) & (codes["predicted"] == 0)]
    if len(never):
        notes.append(f"the model never applied {named(never)}: precision is empty and recall 0")
    return notes


def learning_curve_finding(curve: pd.DataFrame) -> str:
    """What a learning curve shows, in one sentence: the title of its figure.

    The last two points with a macro F1 are compared: a gain of :data:`STILL_IMPROVING`
    or more per 100 more coded comments means that more coding still improves the
    suggestions; less, that they have levelled off.

    Parameters
    ----------
    curve
        From :func:`learning_curve` or :func:`suggestion_quality`.

    Returns
    -------
    str

    Examples
    --------
    The learning curve of the real NHS feedback (``benchmarks/suggest_benchmark.py``) gains
    0.01 in macro F1 from its last 1,867 coded comments:

    >>> curve = pd.DataFrame({"n_coded": [6400, 8267], "macro_f1": [0.658, 0.668]})
    >>> learning_curve_finding(curve)
    'The suggestions have levelled off: macro F1 0.66 from 6,400 coded comments, 0.67 from 8,267'
    """
    rows = curve.dropna(subset=["macro_f1"])
    if rows.empty:
        return "Too few coded comments for the suggestion model to learn from"
    last = rows.iloc[-1]
    if len(rows) == 1:
        return (
            f"The suggestions reach a macro F1 of {last['macro_f1']:.2f} from "
            f"{int(last['n_coded']):,} coded comments"
        )
    before = rows.iloc[-2]
    gain = (last["macro_f1"] - before["macro_f1"]) / (last["n_coded"] - before["n_coded"])
    span = (
        f"macro F1 {before['macro_f1']:.2f} from {int(before['n_coded']):,} coded comments, "
        f"{last['macro_f1']:.2f} from {int(last['n_coded']):,}"
    )
    if 100 * gain >= STILL_IMPROVING:
        return f"More coding still improves the suggestions: {span}"
    return f"The suggestions have levelled off: {span}"
