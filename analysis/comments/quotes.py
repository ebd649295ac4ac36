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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.comments.redaction import redact
from analysis.text_safety import markdown_text

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "QUOTE_COLUMNS",
    "word_set",
    "jaccard_similarity",
    "quotes_markdown",
    "representative_quotes",
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


def quotes_markdown(quotes: pd.DataFrame, labels: Mapping[str, str]) -> Markdown:
    """The quotes as Markdown: each code's label in bold, then its quotes as block quotes.

    A comment is text, never markup: its words are escaped with
    :func:`analysis.text_safety.markdown_text`, so a comment holding ``<img src=x>`` or
    ``[x](javascript:...)`` shows those characters, and its line breaks become spaces so
    that it stays inside its quote.

    Parameters
    ----------
    quotes
        :func:`representative_quotes`.
    labels
        Each code's label, by code id.

    Returns
    -------
    IPython.display.Markdown
        The quotes, or a sentence saying there are none.
    """
    from IPython.display import Markdown

    lines = []
    for code_id, rows in quotes.groupby("code_id", sort=False):
        lines.append(f"**{markdown_text(labels.get(code_id, code_id))}**\n")
        lines.extend(f"> {markdown_text(quote)}\n" for quote in rows["quote"])
    return Markdown("\n".join(lines) if lines else "No comment coded by people this year.")
