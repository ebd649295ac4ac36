"""Representative quotes per code: varied, and redacted before anyone sees them.

:func:`representative_quotes` picks, for each code, a few comments that carry it and differ
from each other in wording, so that a report does not quote the same phrasing five times.
Every quote is passed through :func:`analysis.comments.redaction.redact` before it is
returned.

The choice is deterministic: the first quote is the comment closest to the code's typical
wording (the highest mean word overlap with the code's other comments, ties to the lower
comment id); each next quote is the comment whose greatest Jaccard similarity to the quotes
already chosen is smallest (a max-min, "farthest point" selection; Gonzalez 1985). Comments
too short to say anything (fewer than ``min_words`` words) are used only when nothing
longer is left.

Researchers may approve quotes before any report shows them: with ``quotes: approved_only``
in ``dataset.yml``, only comments listed in the data package's ``quotes_approved.csv``
(``comment_id``, ``approver``, ``date``) are quoted (:func:`approved_comment_ids`).
:func:`approval_sheet` writes the candidates for the researcher to mark, and
:func:`quotes_markdown` shows the chosen quotes, escaped, in a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from analysis.comments.redaction import redact
from analysis.publishing import write_atomically
from analysis.text_safety import markdown_text, spreadsheet_text

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "QUOTE_COLUMNS",
    "APPROVAL_SHEET_COLUMNS",
    "word_set",
    "jaccard_similarity",
    "representative_quotes",
    "approved_comment_ids",
    "quotes_markdown",
    "ApprovalSheet",
    "approval_sheet",
]

QUOTE_COLUMNS = ["code_id", "rank", "comment_id", "year", "quote"]
"""The columns of :func:`representative_quotes`."""

_WORD = re.compile(r"[a-z0-9']+")


def word_set(text: str) -> frozenset[str]:
    """The distinct lower-case words of a text (letters, digits, apostrophes)."""
    return frozenset(_WORD.findall(str(text).lower()))


def jaccard_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """|A and B| / |A or B| of two word sets; 0 when both are empty.

    Examples
    --------
    >>> jaccard_similarity(word_set("more staff please"), word_set("more staff"))
    0.6666666666666666
    """
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _similarities(words: Sequence[frozenset[str]]) -> np.ndarray:
    size = len(words)
    matrix = np.eye(size)
    for i in range(size):
        for j in range(i + 1, size):
            matrix[i, j] = matrix[j, i] = jaccard_similarity(words[i], words[j])
    return matrix


def _varied(words: Sequence[frozenset[str]], count: int, min_words: int) -> list[int]:
    """Positions of ``count`` varied texts, in the order chosen (see the module notes)."""
    similarity = _similarities(words)
    long_enough = np.array([len(w) >= min_words for w in words])
    typical = (similarity.sum(axis=1) - 1.0) / max(len(words) - 1, 1)
    pool = np.flatnonzero(long_enough) if long_enough.any() else np.arange(len(words))
    chosen = [int(pool[np.argmax(typical[pool])])]
    while len(chosen) < min(count, len(words)):
        remaining = [i for i in pool if i not in chosen]
        if not remaining:
            pool = np.arange(len(words))
            continue
        closest = similarity[np.ix_(remaining, chosen)].max(axis=1)
        chosen.append(int(remaining[int(np.argmin(closest))]))
    return chosen


def representative_quotes(
    comments: pd.DataFrame,
    coded: pd.DataFrame,
    codes: Sequence[str],
    per_code: int = 3,
    *,
    names: Iterable[str] = (),
    staff_id_pattern: str | None = None,
    min_words: int = 5,
    approved: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Up to ``per_code`` varied, redacted quotes for each code.

    Parameters
    ----------
    comments
        ``comment_id``, ``year`` and ``text``.
    coded
        ``comment_id`` and ``code_id`` (as :func:`analysis.comments.frequencies.coded_comments`);
        a comment is a candidate for every code it carries.
    codes
        The codes to quote, in order.
    per_code
        The most quotes per code (at least 1).
    names, staff_id_pattern
        Passed to :func:`~analysis.comments.redaction.redact` (staff names to remove, the
        data package's staff number pattern).
    min_words
        Shorter comments are quoted only when no longer one is left.
    approved
        When given, only these comment ids may be quoted (see
        :func:`approved_comment_ids`); ``None`` (the default) allows every comment.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`QUOTE_COLUMNS`, codes in the given order and ``rank`` 1, 2, ... in
        the order the quotes were chosen. Every ``quote`` is redacted.

    Raises
    ------
    ValueError
        If ``per_code`` is below 1 or a column is missing.
    """
    if isinstance(per_code, bool) or not isinstance(per_code, int) or per_code < 1:
        raise ValueError(f"per_code must be a whole number of at least 1, got {per_code!r}")
    for table, name, needed in (
        (comments, "comments", ("comment_id", "year", "text")),
        (coded, "coded", ("comment_id", "code_id")),
    ):
        missing = [column for column in needed if column not in table.columns]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {missing}")
    texts = comments.assign(comment_id=comments["comment_id"].astype("str")).set_index("comment_id")
    pairs = coded.dropna(subset=["code_id"]).astype({"comment_id": "str", "code_id": "str"})
    if approved is not None:
        pairs = pairs[pairs["comment_id"].isin({str(comment_id) for comment_id in approved})]
    rows = []
    for code in codes:
        ids = sorted(set(pairs.loc[pairs["code_id"] == code, "comment_id"]) & set(texts.index))
        if not ids:
            continue
        words = [word_set(texts.at[comment_id, "text"]) for comment_id in ids]
        for rank, position in enumerate(_varied(words, per_code, min_words), start=1):
            comment_id = ids[position]
            text = str(texts.at[comment_id, "text"])
            quote = redact(text, names, staff_id_pattern=staff_id_pattern)
            rows.append((code, rank, comment_id, int(texts.at[comment_id, "year"]), quote))
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def approved_comment_ids(
    setting: str, quotes_approved: pd.DataFrame | None
) -> frozenset[str] | None:
    """The comments a report may quote under the ``quotes`` setting of ``dataset.yml``.

    Parameters
    ----------
    setting
        ``all`` or ``approved_only``.
    quotes_approved
        The data package's ``quotes_approved`` table (``comment_id``, ``approver``,
        ``date``), or ``None`` when it has none.

    Returns
    -------
    frozenset of str or None
        ``None`` for ``all`` (any comment may be quoted); for ``approved_only``, the listed
        comment ids (empty when nothing is approved yet, so nothing is quoted).

    Examples
    --------
    >>> table = pd.DataFrame({"comment_id": ["C7"], "approver": ["JS"], "date": ["2024-05-01"]})
    >>> approved_comment_ids("approved_only", table)
    frozenset({'C7'})
    >>> approved_comment_ids("all", table) is None
    True
    """
    if setting == "all":
        return None
    if setting != "approved_only":
        raise ValueError(f"quotes must be 'all' or 'approved_only', got {setting!r}")
    if quotes_approved is None:
        return frozenset()
    return frozenset(quotes_approved["comment_id"].dropna().astype(str))


def quotes_markdown(
    quotes: pd.DataFrame, labels: Mapping[str, str], setting: str = "all"
) -> Markdown:
    """The quotes under their codes' labels, as Markdown for a report.

    Parameters
    ----------
    quotes
        As returned by :func:`representative_quotes`.
    labels
        Each code's label by code id.
    setting
        The ``quotes`` setting of ``dataset.yml``, to say why nothing is shown.

    Returns
    -------
    IPython.display.Markdown
        A bold label then block-quoted quotes per code; every label and quote is escaped
        with :func:`analysis.text_safety.markdown_text` (HTML and Markdown), so a comment
        cannot add links, images or markup to a report, and its line breaks become spaces.

    Examples
    --------
    >>> quotes = pd.DataFrame({"code_id": ["pay"], "quote": ["<b>More</b> pay *now*"]})
    >>> print(quotes_markdown(quotes, {"pay": "Pay"}).data)
    **Pay**
    <BLANKLINE>
    > &lt;b&gt;More&lt;\\/b&gt; pay \\*now\\*
    <BLANKLINE>
    """
    from IPython.display import Markdown

    if quotes.empty:
        if setting == "approved_only":
            return Markdown(
                "No quotes: dataset.yml says `quotes: approved_only` and no comment coded "
                "this year is listed in quotes_approved.csv."
            )
        return Markdown("No comment coded by people this year.")
    lines = []
    for code_id, rows in quotes.groupby("code_id", sort=False):
        lines.append(f"**{markdown_text(labels.get(code_id, code_id))}**\n")
        lines.extend(f"> {markdown_text(quote)}\n" for quote in rows["quote"])
    return Markdown("\n".join(lines))


APPROVAL_SHEET_COLUMNS = ["comment_id", "approver", "date", "code_id", "quote"]
"""The columns of the sheet :func:`approval_sheet` writes."""


class ApprovalSheet(NamedTuple):
    """The candidate quotes written for a researcher to approve.

    Shown in a report it says where the sheet is and what to do, never how many candidates
    it holds: on a package of one year, or for a code few raised, that number is a count of
    comments the disclosure gate may hide (the researcher reads it in the sheet).
    """

    path: Path
    candidates: int

    def _repr_markdown_(self) -> str:
        return (
            f"The candidate quotes, redacted, are in `{self.path}` (how many is not shown "
            "here: it counts comments). To approve "
            "one, fill in `approver` (your name or initials) and `date` (YYYY-MM-DD); "
            "delete the rows you do not approve; save the file as `quotes_approved.csv` in "
            "the data package. With `quotes: approved_only` in `dataset.yml`, reports then "
            "quote only those comments."
        )


def approval_sheet(
    comments: pd.DataFrame,
    coded: pd.DataFrame,
    codes: Sequence[str],
    path: str | Path,
    *,
    per_code: int = 10,
    names: Iterable[str] = (),
    staff_id_pattern: str | None = None,
    approved: Iterable[str] = (),
) -> ApprovalSheet:
    """Write the candidate quotes of each code to a CSV for a researcher to approve.

    Parameters
    ----------
    comments, coded, codes, names, staff_id_pattern
        As for :func:`representative_quotes`.
    path
        The CSV to write (UTF-8 with a byte-order mark, so that Excel reads it),
        atomically and readable by its owner only (0600); its folder is created. Write it
        somewhere private: it quotes comments (redacted).
    per_code
        The most candidates per code.
    approved
        Comment ids already approved, left out of the sheet.

    Returns
    -------
    ApprovalSheet
        The path written and the number of candidates; shown in a notebook, it says what
        to do next.

    Notes
    -----
    The sheet has the columns :data:`APPROVAL_SHEET_COLUMNS`: ``approver`` and ``date``
    are blank for the researcher to fill in, and the file, less the rows not approved, is
    a valid ``quotes_approved.csv`` (``code_id`` and ``quote`` are extra columns the check
    ignores). A comment carrying several codes is listed once, under its first code. A
    cell starting with = + - or @ is written with a leading apostrophe so that a
    spreadsheet shows it as text.
    """
    done = {str(comment_id) for comment_id in approved}
    candidates = coded[~coded["comment_id"].astype(str).isin(done)]
    quotes = representative_quotes(
        comments,
        candidates,
        codes,
        per_code,
        names=names,
        staff_id_pattern=staff_id_pattern,
    ).drop_duplicates("comment_id")
    sheet = pd.DataFrame(
        {
            "comment_id": quotes["comment_id"].map(spreadsheet_text),
            "approver": "",
            "date": "",
            "code_id": quotes["code_id"].map(spreadsheet_text),
            "quote": quotes["quote"].map(spreadsheet_text),
        },
        columns=APPROVAL_SHEET_COLUMNS,
    )
    written = write_atomically(
        Path(path),
        sheet.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"),
        mode=0o600,
    )
    return ApprovalSheet(written, len(sheet))
