"""Reconciling two coders: where they disagree, what they decided, and what analysis uses.

After a supervisor second-codes a sample, the two coders meet over the comments they coded
differently. :func:`disagreement_table` lists each (comment, code) that one applied and the
other did not, with a blank ``keep`` column for their decision. :func:`reconcile` turns the
decisions into a *reconciled coding*: the codes both applied plus those they kept. It is
recorded as a coder of its own, :data:`RECONCILED_CODER` (:func:`record_reconciled`), so the
original codings stay as they were and agreement is still measured on them.
:func:`codings_for_analysis` then gives, per comment, the reconciled codes where there are
any and the primary coder's otherwise.

Reconciliation by discussion ("negotiated agreement") is described by Campbell, Quincy,
Osserman and Pedersen (2013), "Coding in-depth semistructured interviews", *Sociological
Methods & Research* 42(3), 294-320.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.datapackage.codebook import Codebook
from analysis.datapackage.coding_logs import CodingLog
from analysis.datapackage.codings import (
    CODE_SEPARATOR,
    RECONCILED_CODER,
    clean_codings,
)

__all__ = [
    "DISAGREEMENT_COLUMNS",
    "disagreement_table",
    "reconcile",
    "record_reconciled",
]

DISAGREEMENT_COLUMNS = [
    "comment_id",
    "code_id",
    "label",
    "applied_by",
    "not_applied_by",
    "agreed_codes",
    "keep",
]
"""The columns of :func:`disagreement_table` (plus ``text`` when comments are given)."""

_KEEP = {"true", "yes", "y", "1", "keep"}
_DROP = {"false", "no", "n", "0", "drop"}


def disagreement_table(
    codings: pd.DataFrame,
    first: str,
    second: str,
    codebook: Codebook | None = None,
    comments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every code that one of two coders applied to a comment and the other did not.

    Only comments both coders read are compared (a comment the second coder never saw is
    not a disagreement).

    Parameters
    ----------
    codings
        Long table with ``comment_id``, ``coder`` and ``code`` (or ``code_id``); a blank
        code where the coder read the comment and applied none (as
        :func:`analysis.datapackage.coding_logs.load_codings` returns).
    first, second
        The two coders' names.
    codebook
        When given, fills ``label`` with each code's label.
    comments
        When given (columns ``comment_id`` and ``text``), adds each comment's ``text`` so
        that the coders can reread it. The table is for the coders only: it is not
        redacted and must not go into a report.

    Returns
    -------
    pandas.DataFrame
        One row per disagreement, sorted by comment and code, with columns
        :data:`DISAGREEMENT_COLUMNS`: ``applied_by`` and ``not_applied_by`` name the coders;
        ``agreed_codes`` lists the codes both applied to that comment (joined by ``;``);
        ``keep`` is blank, for the coders' decision (true to keep the code in the
        reconciled coding, false to leave it out).

    Raises
    ------
    ValueError
        If ``first`` and ``second`` are the same, or either coded none of the comments.

    Examples
    --------
    >>> codings = pd.DataFrame({"comment_id": ["1", "1", "1", "2"],
    ...                         "coder": ["A", "A", "B", "B"],
    ...                         "code": ["pay", "staffing", "pay", "pay"]})
    >>> disagreement_table(codings, "A", "B")[["comment_id", "code_id", "applied_by"]]
      comment_id   code_id applied_by
    0          1  staffing          A
    """
    clean = clean_codings(codings)
    codes_by_coder = _codes_by_coder(clean, first, second)
    both_read = sorted(set(codes_by_coder[first]) & set(codes_by_coder[second]))
    rows = []
    for comment_id in both_read:
        first_codes = codes_by_coder[first][comment_id]
        second_codes = codes_by_coder[second][comment_id]
        agreed = CODE_SEPARATOR.join(sorted(first_codes & second_codes))
        for code_id in sorted(first_codes ^ second_codes):
            applied, missed = (first, second) if code_id in first_codes else (second, first)
            label = codebook[code_id].label if codebook is not None and code_id in codebook else ""
            rows.append((comment_id, code_id, label, applied, missed, agreed, pd.NA))
    table = pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)
    table = table.astype({name: "string" for name in DISAGREEMENT_COLUMNS[:-1]})
    table["keep"] = table["keep"].astype("boolean")
    if comments is not None:
        texts = comments.assign(comment_id=comments["comment_id"].astype("string"))
        table = table.merge(texts[["comment_id", "text"]], on="comment_id", how="left")
    return table


def _codes_by_coder(clean: pd.DataFrame, first: str, second: str) -> dict[str, dict[str, set[str]]]:
    if first == second:
        raise ValueError(f"reconciling needs two different coders; both are {first!r}")
    found = sorted(clean["coder"].unique().tolist())
    result: dict[str, dict[str, set[str]]] = {}
    for coder in (first, second):
        rows = clean[clean["coder"] == coder]
        if rows.empty:
            raise ValueError(f"coder {coder!r} coded none of these comments; coders are {found}")
        result[coder] = {
            comment_id: set(codes.dropna())
            for comment_id, codes in rows.groupby("comment_id", sort=False)["code"]
        }
    return result


def reconcile(
    codings: pd.DataFrame, first: str, second: str, decisions: pd.DataFrame
) -> pd.DataFrame:
    """The reconciled coding of the comments both coders read.

    Parameters
    ----------
    codings
        As for :func:`disagreement_table`.
    first, second
        The two coders.
    decisions
        The disagreement table with ``keep`` filled in for every row (true/false, also
        yes/no, 1/0 or keep/drop as typed in a spreadsheet); only ``comment_id``,
        ``code_id`` and ``keep`` are read.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder`` (:data:`RECONCILED_CODER`) and ``code_id``: per
        comment the codes both applied plus the kept ones; a blank ``code_id`` where none
        remains.

    Raises
    ------
    ValueError
        If a disagreement has no decision, a decision is not true or false, or a decision
        is about a (comment, code) on which the coders did not disagree (the codings
        changed since the table was made: make it again).
    """
    missing = {"comment_id", "code_id", "keep"} - set(decisions.columns)
    if missing:
        raise ValueError(f"decisions lack the column(s) {sorted(missing)}")
    table = disagreement_table(codings, first, second)
    keep = _decided(decisions)
    expected = set(zip(table["comment_id"], table["code_id"], strict=True))
    undecided = sorted(expected - set(keep))
    stale = sorted(set(keep) - expected)
    if undecided or stale:
        parts = []
        if undecided:
            parts.append(f"{len(undecided)} disagreement(s) have no decision, e.g. {undecided[:3]}")
        if stale:
            parts.append(
                f"{len(stale)} decision(s) are not disagreements between {first!r} and "
                f"{second!r} (make the disagreement table again), e.g. {stale[:3]}"
            )
        raise ValueError("; ".join(parts))

    codes_by_coder = _codes_by_coder(clean_codings(codings), first, second)
    rows = []
    for comment_id in sorted(set(codes_by_coder[first]) & set(codes_by_coder[second])):
        first_codes = codes_by_coder[first][comment_id]
        second_codes = codes_by_coder[second][comment_id]
        kept = {code for code in first_codes ^ second_codes if keep[(comment_id, code)]}
        codes = sorted((first_codes & second_codes) | kept)
        rows.extend((comment_id, RECONCILED_CODER, code) for code in codes or [None])
    return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")


def _decided(decisions: pd.DataFrame) -> dict[tuple[str, str], bool]:
    keep: dict[tuple[str, str], bool] = {}
    for position, (comment_id, code_id, value) in enumerate(
        zip(decisions["comment_id"], decisions["code_id"], decisions["keep"], strict=True)
    ):
        text = "" if pd.isna(value) else str(value).strip().lower()
        if text in ("1.0", "0.0"):
            text = text[0]
        if text not in _KEEP | _DROP:
            raise ValueError(
                f"decision row {position + 1} (comment {comment_id!r}, code {code_id!r}): keep "
                f"is {value!r}; expected true (keep the code) or false (leave it out)"
            )
        key = (str(comment_id).strip(), str(code_id).strip())
        if key in keep:
            raise ValueError(f"decision row {position + 1}: {key} is decided twice")
        keep[key] = text in _KEEP
    return keep


def record_reconciled(
    package: Path | str, reconciled: pd.DataFrame, codebook: Codebook | None = None
) -> int:
    """Record a reconciled coding in the coding store as coder :data:`RECONCILED_CODER`.

    Parameters
    ----------
    package
        The data package folder (the log goes to ``codings/reconciled.jsonl``).
    reconciled
        As returned by :func:`reconcile`.
    codebook
        When given, every code is checked against it.

    Returns
    -------
    int
        The number of decisions written (0 when the store already holds this coding).
    """
    with CodingLog(package, RECONCILED_CODER, codebook=codebook) as log:
        return log.record_codings(reconciled)
