"""The model behind the code suggestions: features, a linear classifier, calibration.

:mod:`analysis.comments.suggest` uses it to suggest codes and to record the model as a
coder; :mod:`analysis.comments.suggest_quality` to measure it by cross-validation.

Features
--------
A comment becomes a sparse vector of five blocks:

- word unigrams and bigrams, and character 2- to 5-grams, of the whole comment;
- character 2- to 5-grams of its *opening clause* (:func:`opening_clause`). Coders tend to
  code what a comment raises first: on the 10,334 real NHS comments this block lifts the
  cross-validated macro F1 from about 0.635 to 0.668 and kappa from 0.669 to 0.704;
- the question the comment answers (one column per question), when there is one;
- keyword hints from the codebook (one column per code that has keywords: does one occur?).

Text n-grams are hashed, which learns nothing from the data; which n-grams are kept (those
in two or more coded comments) and their IDF weights (with sublinear term frequency, each
block scaled to unit length) are fitted on the coded comments the model learns from, so
cross-validation never lets a held-out comment shape the features.

Classifier and probabilities
----------------------------
Linear support vector machines (squared hinge loss, cost :data:`COST`; Joachims 1998):

- *one code per comment* (every coded comment has at most one code, as in the NHS
  feedback data): one machine per code against the rest, with "no code" as one more
  class when coders left comments without a code. Class weights
  ``(n / (k * n_code)) ** WEIGHT_POWER`` sit between none and "balanced", so rare codes
  are not drowned out. The model chooses the highest-scoring class. Probabilities are the
  softmax of the scores times a temperature fitted on cross-validated scores inside the
  training comments (temperature scaling, Guo et al. 2017): they add up to 1 over the
  classes and never change which one is most probable;
- *several codes per comment*: one unweighted binary machine per code; each code's
  probability comes from Platt scaling of its cross-validated scores (Platt 1999, as
  refined by Lin, Lin and Weng 2007), and the model applies every code whose probability
  is 0.5 or more. (Class weights lowered the cross-validated macro F1 of the demo coding.)

A code is learnt only when at least :data:`MIN_EXAMPLES` coded comments have it (and, with
several codes per comment, as many do not).

References
----------
.. [1] Joachims, T. (1998). Text categorization with support vector machines: learning
   with many relevant features. *ECML-98*, 137-142.
.. [2] Platt, J. (1999). Probabilistic outputs for support vector machines and comparisons
   to regularized likelihood methods. *Advances in Large Margin Classifiers*, 61-74.
.. [3] Lin, H.-T., Lin, C.-J., & Weng, R. C. (2007). A note on Platt's probabilistic
   outputs for support vector machines. *Machine Learning*, 68(3), 267-276.
.. [4] Guo, C., Pleiss, G., Sun, Y., & Weinberger, K. Q. (2017). On calibration of modern
   neural networks. *ICML 2017* (temperature scaling).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_softmax, softmax
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import LinearSVC

from analysis.datapackage.codebook import Codebook
from analysis.datapackage.codings import NO_CODE

__all__ = [
    "MODEL_CODER",
    "MIN_EXAMPLES",
    "COST",
    "WEIGHT_POWER",
    "opening_clause",
    "CodingTask",
    "coding_task",
    "TooFewCodedError",
    "CodeModel",
    "fold_indices",
    "out_of_fold_choices",
]

MODEL_CODER = "model"
"""The coder name under which the model's own coding is recorded."""

MIN_EXAMPLES = 3
"""A code is learnt only when at least this many coded comments have it."""

COST = 0.2
"""The support vector machines' cost ``C`` (smaller: smoother, more regularised)."""

WEIGHT_POWER = 0.75
"""One code per comment: class weights are "balanced" to this power (0: every comment
weighs the same; 1: every class weighs the same)."""

_CALIBRATION_FOLDS = 3
_MIN_DOCUMENT_FREQUENCY = 2
_NO_CODE = -1
_CLAUSE_BREAK = re.compile(r"[.!?\n,;:]+\s*|\s+(?:and|but)\s+", re.IGNORECASE)


def _counts(**settings: object) -> HashingVectorizer:
    """Hashed raw counts (no sign flipping, no normalising: IDF and scaling come later)."""
    return HashingVectorizer(alternate_sign=False, norm=None, **settings)


_TEXT_HASHERS = (
    ("words", _counts(ngram_range=(1, 2), strip_accents="unicode", n_features=2**20)),
    ("characters", _counts(analyzer="char", ngram_range=(2, 5), n_features=2**21)),
    ("opening", _counts(analyzer="char", ngram_range=(2, 5), n_features=2**21)),
)
_QUESTION_HASHER = _counts(analyzer=lambda question: [question], binary=True, n_features=2**12)


def opening_clause(text: str) -> str:
    """The first clause of a comment: up to the first stop, comma, colon, "and" or "but".

    Examples
    --------
    >>> opening_clause("Parking is awful, but the staff were lovely.")
    'Parking is awful'
    >>> opening_clause("  ...Nothing really")
    'Nothing really'
    """
    for clause in _CLAUSE_BREAK.split(text):
        if clause.strip():
            return clause.strip()
    return ""


# --------------------------------------------------------------------------- features


@dataclass(frozen=True)
class _HashedComments:
    """Comments as hashed n-gram counts (three text blocks) plus indicator columns."""

    text_blocks: tuple[sparse.csr_matrix, ...]
    indicators: sparse.csr_matrix

    @classmethod
    def of(
        cls, texts: Sequence[str], questions: Sequence[str] | None, hints: Sequence[re.Pattern]
    ) -> _HashedComments:
        openings = [opening_clause(text) for text in texts]
        blocks = tuple(
            hasher.transform(openings if name == "opening" else texts).tocsr()
            for name, hasher in _TEXT_HASHERS
        )
        columns = []
        if questions is not None:
            columns.append(_QUESTION_HASHER.transform(questions))
        if hints:
            found = [[float(bool(hint.search(text))) for hint in hints] for text in texts]
            columns.append(sparse.csr_matrix(np.array(found, dtype=float)))
        indicators = (
            sparse.hstack(columns).tocsr() if columns else sparse.csr_matrix((len(texts), 0))
        )
        return cls(blocks, indicators)

    def rows(self, index: np.ndarray) -> _HashedComments:
        return _HashedComments(
            tuple(block[index] for block in self.text_blocks), self.indicators[index]
        )

    def __len__(self) -> int:
        return self.indicators.shape[0]


class _Weighting:
    """Which n-grams are kept and their IDF weights, fitted on coded comments only."""

    def __init__(self, coded: _HashedComments) -> None:
        self.kept = []
        self.idf = []
        for block in coded.text_blocks:
            frequency = np.bincount(block.indices, minlength=block.shape[1])
            kept = np.flatnonzero(frequency >= min(_MIN_DOCUMENT_FREQUENCY, len(coded)))
            self.kept.append(kept)
            self.idf.append(TfidfTransformer(sublinear_tf=True).fit(block[:, kept]))

    def features(self, comments: _HashedComments) -> sparse.csr_matrix:
        blocks = [
            idf.transform(block[:, kept])
            for block, kept, idf in zip(comments.text_blocks, self.kept, self.idf, strict=True)
        ]
        return sparse.hstack([*blocks, comments.indicators]).tocsr()


# --------------------------------------------------------------------------- the task


@dataclass(frozen=True)
class CodingTask:
    """Comments, the codes coded so far, and the scheme, checked and ready to model.

    Built by :func:`coding_task`. ``targets[i, j]`` says whether coded comment
    ``coded[i]`` (a row of ``comment_ids``) has code ``codes[j]``.
    """

    comment_ids: np.ndarray
    codes: tuple[str, ...]
    labels: Mapping[str, str]
    coded: np.ndarray
    targets: np.ndarray
    exclusive: bool
    hashed: _HashedComments = field(repr=False)

    @property
    def uncoded(self) -> np.ndarray:
        """Rows of ``comment_ids`` not coded yet."""
        return np.setdiff1d(np.arange(len(self.comment_ids)), self.coded)

    def categories(self, chosen: np.ndarray) -> np.ndarray:
        """Each comment's codes as one nominal value, as :func:`analysis.comments.agreement`
        reads them: the codes joined by ";", or :data:`~analysis.datapackage.codings.NO_CODE`."""
        return np.array(
            [";".join(np.asarray(self.codes)[row]) or NO_CODE for row in chosen], dtype=object
        )


def coding_task(
    comments: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook | None = None
) -> CodingTask:
    """Check comments and codings and prepare them for the model.

    Parameters
    ----------
    comments
        The data package's ``comments`` table: ``comment_id`` and ``text``, and
        ``question`` when there is one (it is then a feature).
    codings
        One coder's codings: ``comment_id`` and ``code_id`` (or ``code``), a blank code
        where the comment was read and no code applies. A ``coder`` column may be present;
        rows of :data:`MODEL_CODER` are ignored and there must be one other coder (use
        :func:`analysis.comments.codings_for_analysis` to get one coding from several).
    codebook
        When given: the codes are its codable codes (so codes never applied still get a
        row in quality tables), their labels, and their keywords as hints.

    Returns
    -------
    CodingTask

    Raises
    ------
    ValueError
        If a column is missing, comment ids repeat, codings name an unknown comment or a
        code outside the codebook, or codings hold several coders.
    """
    for name, table, needed in (
        ("comments", comments, ("comment_id", "text")),
        ("codings", codings, ("comment_id",)),
    ):
        if not isinstance(table, pd.DataFrame):
            raise ValueError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
        missing = [column for column in needed if column not in table.columns]
        if missing:
            raise ValueError(f"{name} lack the column(s) {missing}; found {list(table.columns)}")
    comment_ids = comments["comment_id"].astype(str).str.strip().to_numpy(dtype=object)
    repeated = pd.Series(comment_ids).duplicated()
    if repeated.any():
        raise ValueError(
            f"comment ids repeat in comments: {sorted(set(comment_ids[repeated]))[:5]}"
        )

    coded_codes = _codes_by_comment(codings)
    unknown = sorted(set(coded_codes) - set(comment_ids))
    if unknown:
        raise ValueError(
            f"codings name {len(unknown)} comment(s) not in comments, e.g. {unknown[:5]}"
        )
    applied = sorted({code for codes in coded_codes.values() for code in codes})
    if codebook is None:
        codes = tuple(applied)
        labels = {code: code for code in codes}
        hints: list[re.Pattern] = []
    else:
        codes = codebook.codable_ids()
        outside = [code for code in applied if code not in codes]
        if outside:
            raise ValueError(
                f"codings use code(s) {outside} that are not codable codes of the codebook"
            )
        labels = {code: codebook[code].label for code in codes}
        hints = [_keyword_pattern(codebook[code].keywords) for code in codes]
        hints = [hint for hint in hints if hint is not None]

    position = {comment_id: row for row, comment_id in enumerate(comment_ids)}
    coded = np.array(sorted(position[comment_id] for comment_id in coded_codes), dtype=int)
    column = {code: j for j, code in enumerate(codes)}
    targets = np.zeros((len(coded), len(codes)), dtype=bool)
    for i, row in enumerate(coded):
        for code in coded_codes[comment_ids[row]]:
            targets[i, column[code]] = True

    texts = comments["text"].astype(object).where(comments["text"].notna(), "").astype(str)
    questions = None
    if "question" in comments.columns:
        questions = comments["question"].astype(object).where(comments["question"].notna(), "")
        questions = questions.astype(str).tolist()
    return CodingTask(
        comment_ids=comment_ids,
        codes=codes,
        labels=labels,
        coded=coded,
        targets=targets,
        exclusive=bool((targets.sum(axis=1) <= 1).all()),
        hashed=_HashedComments.of(texts.tolist(), questions, hints),
    )


def _codes_by_comment(codings: pd.DataFrame) -> dict[str, set[str]]:
    code_column = "code_id" if "code_id" in codings.columns else "code"
    if code_column not in codings.columns:
        raise ValueError(f"codings lack a code_id (or code) column; found {list(codings.columns)}")
    table = codings
    if "coder" in table.columns:
        table = table[table["coder"].astype(str).str.strip() != MODEL_CODER]
        coders = sorted(table["coder"].dropna().astype(str).str.strip().unique())
        if len(coders) > 1:
            raise ValueError(
                f"codings hold several coders {coders}; the model learns from one coding: "
                f"pass one coder's rows, or the reconciled coding from "
                f"analysis.comments.codings_for_analysis(codings, primary_coder)"
            )
    found: dict[str, set[str]] = {}
    for comment_id, code in zip(table["comment_id"], table[code_column], strict=True):
        if pd.isna(comment_id) or not str(comment_id).strip():
            raise ValueError("codings have a row without a comment_id")
        codes = found.setdefault(str(comment_id).strip(), set())
        if not pd.isna(code) and str(code).strip():
            codes.add(str(code).strip())
    return found


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern | None:
    words = [re.escape(keyword.strip()) for keyword in keywords if keyword.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


# --------------------------------------------------------------------------- the model


class TooFewCodedError(ValueError):
    """Too few comments are coded for the model to learn from."""


class CodeModel:
    """The suggestion model for one coding task, trained on some of its coded comments.

    Parameters
    ----------
    task
        The coding task (:func:`coding_task`).
    training
        Positions in ``task.coded`` (and rows of ``task.targets``) to learn from.
    calibrate
        Fit the probability calibration (three-fold cross-validation inside
        ``training``). Without it, :meth:`choose` still works for a one-code-per-comment
        scheme, whose choice the calibration never changes.
    seed
        Seed of the calibration folds and of the solver.

    Raises
    ------
    TooFewCodedError
        If fewer than two codes (counting "no code" in a one-code scheme) have
        :data:`MIN_EXAMPLES` coded comments each; in a several-codes scheme, if no code
        has that many comments with it and that many without.
    """

    def __init__(
        self, task: CodingTask, training: np.ndarray, calibrate: bool = True, seed: int = 0
    ) -> None:
        self.task = task
        self.seed = seed
        targets = task.targets[training]
        hashed = task.hashed.rows(task.coded[training])
        if task.exclusive:
            classes = _class_of(targets)
            counts = {value: int((classes == value).sum()) for value in np.unique(classes)}
            self.outputs = np.array([c for c, n in counts.items() if n >= MIN_EXAMPLES], dtype=int)
            usable = np.isin(classes, self.outputs)
            if len(self.outputs) < 2:
                raise TooFewCodedError(self._too_few(counts))
            hashed, targets = hashed.rows(np.flatnonzero(usable)), targets[usable]
        else:
            positives = targets.sum(axis=0)
            enough = (positives >= MIN_EXAMPLES) & (len(targets) - positives >= MIN_EXAMPLES)
            self.outputs = np.flatnonzero(enough)
            if len(self.outputs) < 1:
                raise TooFewCodedError(self._too_few(dict(enumerate(positives.tolist()))))
        self.weighting = _Weighting(hashed)
        features = self.weighting.features(hashed)
        self.machines = _fit_machines(features, targets, task.exclusive, self.outputs, seed)
        self.temperature = 1.0
        self.platt = np.tile([1.0, 0.0], (len(self.outputs), 1))
        if calibrate:
            self._calibrate(features, targets)

    def _too_few(self, counts: Mapping[int, int]) -> str:
        named = {(NO_CODE if c == _NO_CODE else self.task.codes[c]): n for c, n in counts.items()}
        return (
            f"too few coded comments to learn from: a code needs {MIN_EXAMPLES} coded comments "
            f"and the model at least two codes (or a code and 'no code'); found {named}"
        )

    # -- fitting

    def _calibrate(self, features: sparse.csr_matrix, targets: np.ndarray) -> None:
        scores = np.zeros((len(targets), len(self.outputs)))
        if self.task.exclusive:
            classes = _class_of(targets)
            splits = StratifiedKFold(_CALIBRATION_FOLDS, shuffle=True, random_state=self.seed)
            folds = splits.split(features, classes)
        else:
            folds = KFold(_CALIBRATION_FOLDS, shuffle=True, random_state=self.seed).split(features)
        for train, test in folds:
            machines = _fit_machines(
                features[train], targets[train], self.task.exclusive, self.outputs, self.seed
            )
            scores[test] = _scores(machines, features[test], self.task.exclusive)
        if self.task.exclusive:
            truth = np.searchsorted(self.outputs, _class_of(targets))
            self.temperature = _fit_temperature(scores, truth)
        else:
            for j, code in enumerate(self.outputs):
                self.platt[j] = _fit_platt(scores[:, j], targets[:, code])

    # -- using

    @property
    def learnt_codes(self) -> tuple[str, ...]:
        """The codes the model can apply (those with enough coded examples)."""
        return tuple(self.task.codes[output] for output in self.outputs if output != _NO_CODE)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Decision scores of comments (rows of ``task.comment_ids``), one column per output."""
        features = self.weighting.features(self.task.hashed.rows(rows))
        return _scores(self.machines, features, self.task.exclusive)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Calibrated probability of each code (``task.codes``) for each comment.

        Codes the model could not learn (too few examples) get 0.
        """
        scores = self.scores(rows)
        probabilities = np.zeros((len(rows), len(self.task.codes)))
        if self.task.exclusive:
            output = softmax(self.temperature * scores, axis=1)
            is_code = self.outputs != _NO_CODE
            probabilities[:, self.outputs[is_code]] = output[:, is_code]
        else:
            slope, intercept = self.platt[:, 0], self.platt[:, 1]
            probabilities[:, self.outputs] = expit(scores * slope + intercept)
        return probabilities

    def choose(self, rows: np.ndarray) -> np.ndarray:
        """The model's own coding: which codes it applies to each comment (boolean matrix).

        One code per comment: the most probable output (which may be "no code"). Several
        codes per comment: each code whose probability is 0.5 or more.
        """
        chosen = np.zeros((len(rows), len(self.task.codes)), dtype=bool)
        if self.task.exclusive:
            best = self.outputs[self.scores(rows).argmax(axis=1)]
            has_code = best != _NO_CODE
            chosen[np.flatnonzero(has_code), best[has_code]] = True
        else:
            chosen = self.probabilities(rows) >= 0.5
        return chosen


def _class_of(targets: np.ndarray) -> np.ndarray:
    """One code per comment: the code's column, or ``_NO_CODE``."""
    return np.where(targets.any(axis=1), targets.argmax(axis=1), _NO_CODE)


def _fit_machines(
    features: sparse.csr_matrix,
    targets: np.ndarray,
    exclusive: bool,
    outputs: np.ndarray,
    seed: int,
) -> list[LinearSVC | None]:
    """One multi-class machine, or one binary machine per code (``None``: nothing to learn)."""
    if exclusive:
        classes = _class_of(targets)
        positives = np.array([(classes == c).sum() for c in outputs])
        weights = (len(classes) / (len(outputs) * positives)) ** WEIGHT_POWER
        weights = dict(zip(outputs.tolist(), weights, strict=True))
        machine = LinearSVC(C=COST, class_weight=weights, random_state=seed)
        return [machine.fit(features, classes)]
    machines: list[LinearSVC | None] = []
    for code in outputs:
        target = targets[:, code]
        positives = int(target.sum())
        if positives in (0, len(target)):
            machines.append(None)
            continue
        machine = LinearSVC(C=COST, random_state=seed)
        machines.append(machine.fit(features, target))
    return machines


def _scores(
    machines: list[LinearSVC | None], features: sparse.csr_matrix, exclusive: bool
) -> np.ndarray:
    if exclusive:
        # one multi-class machine; with two classes liblinear gives one column for the second
        scores = machines[0].decision_function(features)
        return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores
    # a binary machine trained on one class only (a calibration fold without the code)
    # scores every comment as clearly not having it
    return np.column_stack(
        [
            np.full(features.shape[0], -1.0) if m is None else m.decision_function(features)
            for m in machines
        ]
    )


def _fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature ``t`` minimising the log loss of ``softmax(t * scores)``.

    As Platt does for two classes, the targets are smoothed by ``1 / (n + 2)`` for ``n``
    comments, so that a handful of perfectly separated comments does not give certainty.
    """
    smoothing = 1 / (len(truth) + 2)
    targets = np.full(scores.shape, smoothing / scores.shape[1])
    targets[np.arange(len(truth)), truth] += 1 - smoothing

    def loss(log_temperature: float) -> float:
        logits = np.exp(log_temperature) * scores
        return -float(np.sum(targets * log_softmax(logits, axis=1)) / len(truth))

    return float(np.exp(minimize_scalar(loss, bounds=(-5.0, 5.0), method="bounded").x))


def _fit_platt(scores: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of ``p = expit(slope * score + intercept)`` by Platt's method.

    Maximum likelihood with Platt's smoothed targets, ``(N+ + 1) / (N+ + 2)`` for the
    comments with the code and ``1 / (N- + 2)`` for the others, by Newton's method with
    backtracking (Lin, Lin and Weng 2007, "A note on Platt's probabilistic outputs for
    support vector machines", *Machine Learning* 68, 267-276).
    """
    positives = int(target.sum())
    negatives = len(target) - positives
    smoothed = np.where(target, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    design = np.column_stack([scores, np.ones_like(scores)])

    def loss(weights: np.ndarray) -> float:
        z = design @ weights
        return float(np.sum(smoothed * np.logaddexp(0, -z) + (1 - smoothed) * np.logaddexp(0, z)))

    weights = np.array([0.0, np.log((positives + 1) / (negatives + 1))])
    for _ in range(100):
        probability = expit(design @ weights)
        gradient = design.T @ (probability - smoothed)
        if np.abs(gradient).max() < 1e-8:
            break
        hessian = (design * (probability * (1 - probability))[:, None]).T @ design
        step = np.linalg.solve(hessian + 1e-12 * np.eye(2), gradient)
        current, size = loss(weights), 1.0
        while size > 1e-10 and loss(weights - size * step) > current - 1e-4 * size * (
            gradient @ step
        ):
            size /= 2
        weights = weights - size * step
    return float(weights[0]), float(weights[1])


# --------------------------------------------------------------------------- folds


def fold_indices(task: CodingTask, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds over the coded comments: positions in ``task.coded``.

    Stratified by code in a one-code-per-comment scheme when every code has ``folds``
    comments or more; shuffled at random otherwise.

    Raises
    ------
    ValueError
        If ``folds`` is below 2 or above the number of coded comments.
    """
    if not isinstance(folds, int) or not 2 <= folds <= len(task.coded):
        raise ValueError(
            f"folds must be an integer from 2 to the number of coded comments "
            f"({len(task.coded)}), got {folds!r}"
        )
    positions = np.arange(len(task.coded))
    if task.exclusive:
        classes = _class_of(task.targets)
        if np.unique(classes, return_counts=True)[1].min() >= folds:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
            return list(splitter.split(positions, classes))
    return list(KFold(folds, shuffle=True, random_state=seed).split(positions))


def out_of_fold_choices(
    task: CodingTask, folds: list[tuple[np.ndarray, np.ndarray]], seed: int
) -> np.ndarray:
    """The model's coding of every coded comment by a model that never saw it.

    Returns
    -------
    numpy.ndarray
        Boolean, shaped like ``task.targets``.
    """
    chosen = np.zeros_like(task.targets)
    calibrate = not task.exclusive  # a one-code choice does not depend on calibration
    for training, held_out in folds:
        model = CodeModel(task, training, calibrate=calibrate, seed=seed)
        chosen[held_out] = model.choose(task.coded[held_out])
    return chosen
