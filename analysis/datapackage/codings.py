"""The long coding table, and the one coding per comment that every stage analyses.

A coding table is long: one row per comment, coder and code applied, with a blank code
where the coder read the comment and applied none. It comes from the data package's
``codings`` table and the coding logs of its ``codings/`` folder
(:mod:`analysis.datapackage.coding_logs`). :func:`clean_codings` checks and normalises it;
:func:`codings_for_analysis` picks, per comment, the reconciled codes where two coders
reconciled it (:data:`RECONCILED_CODER`) and the primary coder's otherwise, so that the
comments and indicators stages count the same codings. :func:`coded_comments` gives that
coding each comment's respondent and year (:func:`with_respondents`), as the comments and
interventions stages count it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

__all__ = [
    "CODE_SEPARATOR",
    "NO_CODE",
    "MACHINE_CODERS",
    "RECONCILED_CODER",
    "choose_coders",
    "clean_codings",
    "coded_comments",
    "codings_for_analysis",
    "with_respondents",
]

NO_CODE = "(no code)"
"""The nominal value of a comment that a coder read and applied no code to."""

CODE_SEPARATOR = ";"
"""Joins the codes one coder applied to one comment into a single nominal value."""

_KEYS = ["comment_id", "coder"]


RECONCILED_CODER = "reconciled"
"""The coder name under which a reconciled coding is recorded."""

MACHINE_CODERS = ("model", "keywords")
"""The coder names of machine codings, never counted as a person's: the suggestion model
(:data:`analysis.comments.suggest_model.MODEL_CODER`) and the codebook's keyword hints
(:data:`analysis.comments.frequencies.KEYWORD_CODER`)."""


def clean_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """Check a long coding table and return it normalised.

    Parameters
    ----------
    codings
        One row per comment, coder and code, with columns ``comment_id``, ``coder`` and
        ``code`` (``code_id``, the data package's name for it, is accepted too). A blank or
        missing code means the coder read the comment and applied no code.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder`` and ``code`` as text, ``code`` missing (``NA``)
        where blank, surrounding spaces removed. Rows that repeat a (comment, coder, code)
        are dropped with a :class:`UserWarning` saying how many. A blank row for a comment
        and coder that also has codes is dropped: the codes say the comment was read.

    Raises
    ------
    ValueError
        If ``codings`` is not a DataFrame, has no rows, lacks a column, or has a row
        without a comment ID or coder.

    Examples
    --------
    >>> table = pd.DataFrame({"comment_id": [7, 7], "coder": ["AB", " CD"], "code": ["pay", " "]})
    >>> clean_codings(table)
      comment_id coder  code
    0          7    AB   pay
    1          7    CD  <NA>
    """
    if not isinstance(codings, pd.DataFrame):
        raise ValueError(
            f"codings must be a pandas DataFrame with columns comment_id, coder and code; "
            f"got {type(codings).__name__}"
        )
    code_column = "code" if "code" in codings.columns or "code_id" not in codings else "code_id"
    missing = [name for name in (*_KEYS, code_column) if name not in codings.columns]
    if missing:
        raise ValueError(
            f"codings lack the column(s) {missing}; expected comment_id, coder and code "
            f"(one row per comment, coder and code applied); found {list(codings.columns)}"
        )
    if codings.empty:
        raise ValueError("codings has no rows: there is nothing to measure agreement on")

    clean = pd.DataFrame(
        {
            "comment_id": _as_text(codings["comment_id"]),
            "coder": _as_text(codings["coder"]),
            "code": _as_text(codings[code_column]),
        }
    ).reset_index(drop=True)
    for column in _KEYS:
        blank = clean[column].isna()
        if blank.any():
            rows = (np.flatnonzero(blank) + 1).tolist()
            raise ValueError(
                f"codings has {int(blank.sum())} row(s) without a {column} (data rows "
                f"{rows[:10]}{' ...' if len(rows) > 10 else ''}, counting from 1); every "
                f"coding needs the comment it belongs to and the coder who made it"
            )

    repeated = clean.duplicated()
    if repeated.any():
        count = int(repeated.sum())
        warnings.warn(
            f"{count} row{'s' if count > 1 else ''} repeat{'' if count > 1 else 's'} a "
            f"(comment_id, coder, code) already in the codings and "
            f"{'were' if count > 1 else 'was'} counted once",
            UserWarning,
            stacklevel=2,
        )
        clean = clean[~repeated]
    has_code = clean["code"].notna().groupby([clean["comment_id"], clean["coder"]]).transform("any")
    clean = clean[clean["code"].notna() | ~has_code]
    return clean.reset_index(drop=True)


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def codings_for_analysis(codings: pd.DataFrame, primary_coder: str) -> pd.DataFrame:
    """The one coding per comment that analysis uses.

    Parameters
    ----------
    codings
        Long table of every coder's codings (``comment_id``, ``coder``, ``code`` or
        ``code_id``), including :data:`RECONCILED_CODER`.
    primary_coder
        The coder whose codes count where no reconciled coding exists (usually the
        researcher).

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``code_id`` and ``source`` (the coder whose codes are
        used): the reconciled codes for comments that were reconciled, the primary coder's
        for the others, and for a comment neither coded (a year coded by someone else) the
        codes of the other person who coded the most comments (ties: the first name in
        alphabetical order); a blank ``code_id`` for a comment read and left without a code.
        Machine codings (:data:`MACHINE_CODERS`) are never used.

    Raises
    ------
    ValueError
        If ``primary_coder`` coded nothing.
    """
    clean = clean_codings(codings)
    if not (clean["coder"] == primary_coder).any():
        found = sorted(clean["coder"].unique().tolist())
        raise ValueError(f"coder {primary_coder!r} coded nothing; coders are {found}")
    reconciled = clean[clean["coder"] == RECONCILED_CODER]
    primary = clean[
        (clean["coder"] == primary_coder) & ~clean["comment_id"].isin(reconciled["comment_id"])
    ]
    chosen = pd.concat([reconciled, primary], ignore_index=True)
    others = clean[
        ~clean["coder"].isin([RECONCILED_CODER, primary_coder, *MACHINE_CODERS])
        & ~clean["comment_id"].isin(chosen["comment_id"])
    ]
    if not others.empty:
        counts = clean.groupby("coder")["comment_id"].nunique()
        ranked = sorted(others["coder"].unique(), key=lambda coder: (-counts[coder], coder))
        rank = others["coder"].map({coder: place for place, coder in enumerate(ranked)})
        first = rank == rank.groupby(others["comment_id"]).transform("min")
        chosen = pd.concat([chosen, others[first]], ignore_index=True)
    table = chosen.rename(columns={"code": "code_id", "coder": "source"})
    table = table[["comment_id", "code_id", "source"]].sort_values(["comment_id", "code_id"])
    return table.reset_index(drop=True)


def choose_coders(
    codings: pd.DataFrame, primary_coder: str | None = None, second_coder: str | None = None
) -> tuple[str, str | None]:
    """The primary and second coder: those named, else the people who coded most comments.

    Parameters
    ----------
    codings
        Long table of the people's codings (``comment_id``, ``coder``); drop machine coders
        (the suggestion model) first. :data:`RECONCILED_CODER` is never chosen.
    primary_coder, second_coder
        The coders to use; ``None`` chooses the coder with the most coded comments (ties:
        the first name in alphabetical order), and the second coder with the next most.

    Returns
    -------
    tuple
        ``(primary_coder, second_coder)``; ``second_coder`` is ``None`` when the codings
        hold no other coder.

    Raises
    ------
    ValueError
        If the codings hold no coder at all.

    Examples
    --------
    >>> codings = pd.DataFrame(
    ...     {"comment_id": ["C1", "C2", "C1"], "coder": ["AB", "AB", "CD"], "code_id": "x"}
    ... )
    >>> choose_coders(codings)
    ('AB', 'CD')
    >>> choose_coders(codings, primary_coder="CD")
    ('CD', 'AB')
    """
    people = codings[codings["coder"] != RECONCILED_CODER]
    counts = people.groupby(people["coder"].astype("str"))["comment_id"].nunique()
    ranked = sorted(counts.index, key=lambda coder: (-counts[coder], coder))
    if primary_coder is None:
        if not ranked:
            raise ValueError("the codings hold no coder: code some comments first")
        primary_coder = ranked[0]
    if second_coder is None:
        second_coder = next((coder for coder in ranked if coder != primary_coder), None)
    return primary_coder, second_coder


def with_respondents(coding: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    """Each coded comment's respondent and year, beside its codes.

    Parameters
    ----------
    coding
        One coding per comment (``comment_id``, ``code_id``, ``source``), as
        :func:`codings_for_analysis`.
    comments
        The package's ``comments`` (``comment_id``, ``respondent_id``, ``year``).

    Returns
    -------
    pandas.DataFrame
        ``comment_id``, ``respondent_id``, ``year``, ``code_id`` (blank where a comment was
        read and given no code) and ``source``, sorted by comment and code.

    Raises
    ------
    ValueError
        If a coded comment is not in ``comments``.
    """
    known = comments.assign(comment_id=comments["comment_id"].astype("string"))
    unknown = sorted(set(coding["comment_id"]) - set(known["comment_id"]))
    if unknown:
        raise ValueError(
            f"{len(unknown)} coded comment(s) are not in the comments table, e.g. {unknown[:3]}"
        )
    table = coding.merge(known[["comment_id", "respondent_id", "year"]], on="comment_id")
    columns = ["comment_id", "respondent_id", "year", "code_id", "source"]
    table = table[columns].astype({"respondent_id": "string", "year": "int64"})
    return table.sort_values(["comment_id", "code_id"]).reset_index(drop=True)


def coded_comments(
    comments: pd.DataFrame, codings: pd.DataFrame, primary_coder: str | None = None
) -> pd.DataFrame:
    """The coding every stage counts, with each comment's respondent and year.

    Reconciled codes first, then the primary coder's (:func:`codings_for_analysis`).

    Parameters
    ----------
    comments
        The package's ``comments`` (``comment_id``, ``respondent_id``, ``year``).
    codings
        Every coder's codings (``comment_id``, ``coder``, ``code_id``).
    primary_coder
        The coder whose codes count; ``None`` for the one who coded the most comments
        (:func:`choose_coders`).

    Returns
    -------
    pandas.DataFrame
        As :func:`with_respondents`.

    Raises
    ------
    ValueError
        If ``primary_coder`` coded nothing, or a coded comment is not in ``comments``.

    Examples
    --------
    >>> comments = pd.DataFrame(
    ...     {"comment_id": ["C1", "C2"], "respondent_id": ["R1", "R2"], "year": [2008, 2008]}
    ... )
    >>> codings = pd.DataFrame(
    ...     {"comment_id": ["C1", "C2", "C2"], "coder": "AB", "code_id": ["x", "x", "y"]}
    ... )
    >>> coded_comments(comments, codings)[["comment_id", "respondent_id", "code_id"]]
      comment_id respondent_id code_id
    0         C1            R1       x
    1         C2            R2       x
    2         C2            R2       y
    """
    coder, _ = choose_coders(codings, primary_coder)
    return with_respondents(codings_for_analysis(codings, coder), comments)
