"""Which comments a report on one survey year reads, and how far they are coded.

A new survey year's comments arrive before anyone has coded them. The comments stage still
reports: it counts the codes of the latest year that has coded comments, says so, asks for
the rest to be coded, and shows the machine's code suggestions as suggestions only
(:func:`analysis.comments.suggest_codes`), never counted with the people's codes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis.text_safety import markdown

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = ["CodingCoverage", "coding_coverage", "comments_up_to", "comments_coded_by_year"]


def comments_up_to(
    comments: pd.DataFrame, codings: pd.DataFrame, year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comments of ``year`` and earlier, and the codings of those comments only.

    A report on ``year`` shows nothing later, so later comments (and their codings, which
    would train the suggestion model) are left out.
    """
    kept = comments[comments["year"] <= year].reset_index(drop=True)
    ids = set(kept["comment_id"].astype(str))
    return kept, codings[codings["comment_id"].astype(str).isin(ids)].reset_index(drop=True)


@dataclass(frozen=True)
class CodingCoverage:
    """How far the report year's comments are coded, and which year the codes are counted in.

    Attributes
    ----------
    year
        The report year.
    comments
        The report year's comments.
    coded
        How many of them a person has coded (any coder, or a reconciliation; never the
        machine's suggestions).
    counted_year
        The year whose codes the report counts: ``year`` when any of its comments are
        coded, else the latest earlier year with coded comments (``None`` if there is none).
    coders
        Whose codes are counted for the year's coded comments: ``(coder, comments)`` pairs,
        most comments first (ties by name); ``reconciled`` for reconciled codings.
    """

    year: int
    comments: int
    coded: int
    counted_year: int | None
    coders: tuple[tuple[str, int], ...] = ()

    def coders_text(self) -> str:
        """Whose codes are counted, in words, e.g. ``"alice 120, reconciled 18"`` (plain text).

        Examples
        --------
        >>> CodingCoverage(2009, 3, 3, 2009, (("alice", 2), ("bob", 1))).coders_text()
        'alice 2, bob 1'
        """
        return ", ".join(f"{coder} {comments:,}" for coder, comments in self.coders)

    def note(self) -> str:
        """What the report says about coding, in Markdown (numbers and years only)."""
        if self.comments == 0:
            return f"No comments were written in {self.year}."
        if self.coded == self.comments:
            return f"All {self.comments:,} comments of {self.year} are coded."
        share = f"{self.coded:,} of the {self.comments:,} comments of {self.year} are coded"
        if self.coded:
            return (
                f"**{share} so far**: the counts for {self.year} rest on the coded ones. "
                "Code the rest (the coding widget, docs/annual-cycle.md) before sharing."
            )
        where = (
            f"The counts below are for **{self.counted_year}**, the latest year with coded "
            "comments."
            if self.counted_year is not None
            else "No earlier year has coded comments either."
        )
        return (
            f"**{share}**: code them (the coding widget, docs/annual-cycle.md). {where} The "
            "machine's suggestions for the uncoded comments, at the end of this report, are "
            "suggestions only: they are not counted."
        )

    def note_without_counts(self) -> str:
        """:meth:`note` without a number: for a year whose comment counts the gate hides."""
        if self.coded == self.comments:
            return f"The comments of {self.year} are coded."
        if self.coded:
            return (
                f"**Only some of the comments of {self.year} are coded so far**: the counts "
                f"for {self.year} rest on the coded ones. Code the rest (the coding widget, "
                "docs/annual-cycle.md) before sharing."
            )
        return (
            f"**The comments of {self.year} are not coded yet**: code them (the coding "
            "widget, docs/annual-cycle.md)."
        )

    def markdown(self, *, counts_shown: bool = True) -> Markdown:
        """The report's sentence on coding (:meth:`note`) and whose codes are counted.

        The coders' names come from the data package: they are escaped
        (:func:`analysis.text_safety.markdown`).

        Parameters
        ----------
        counts_shown
            False when the gate hides the year's comment counts (the year's row of
            :func:`comments_coded_by_year`, published): the sentence then gives no number,
            and the coders are named without how many comments each coded, since those
            add up to the hidden count.
        """
        if not counts_shown:
            template = self.note_without_counts()
            if self.coders:
                template += " Whose codes are counted for {year}: {coders}."
            coders = ", ".join(coder for coder, _ in self.coders)
            return markdown(template, year=self.year, coders=coders)
        template = self.note()  # numbers and years only: the suite's own Markdown
        if self.coders:
            template += " Whose codes are counted for {year}: {coders}."
        return markdown(template, year=self.year, coders=self.coders_text())


def coding_coverage(
    comments: pd.DataFrame, analysis_coding: pd.DataFrame, year: int
) -> CodingCoverage:
    """How far the comments of ``year`` are coded.

    Parameters
    ----------
    comments
        The ``comments`` table (``comment_id``, ``year``), up to ``year``.
    analysis_coding
        From :func:`analysis.comments.codings_for_analysis`: the one coding per comment that
        analysis uses (``comment_id``, ``source``: every person's codings, none of the
        machine's).
    year
        The report year.

    Returns
    -------
    CodingCoverage
    """
    coded_ids = set(analysis_coding["comment_id"].astype(str))
    is_coded = comments["comment_id"].astype(str).isin(coded_ids)
    of_year = comments["year"] == year
    coded_years = comments.loc[is_coded & (comments["year"] <= year), "year"]
    counted = int(year) if (is_coded & of_year).any() else None
    if counted is None and not coded_years.empty:
        counted = int(coded_years.max())
    of_year_ids = set(comments.loc[of_year, "comment_id"].astype(str))
    sources = analysis_coding.assign(comment_id=analysis_coding["comment_id"].astype(str))
    sources = sources[sources["comment_id"].isin(of_year_ids)]
    by_coder = sources.groupby(sources["source"].astype(str))["comment_id"].nunique()
    coders = tuple(
        (str(coder), int(by_coder[coder]))
        for coder in sorted(by_coder.index, key=lambda c: (-by_coder[c], c))
    )
    return CodingCoverage(
        int(year), int(of_year.sum()), int((is_coded & of_year).sum()), counted, coders
    )


def comments_coded_by_year(
    comments: pd.DataFrame, analysis_coding: pd.DataFrame, keyword_coded: Collection[str] = ()
) -> pd.DataFrame:
    """The comments of each year, the respondents who wrote them, and how many are coded.

    The one source of the comments report's counts: it is published through the gate
    (one row per year, ``commenters`` the count), and every sentence that gives a number
    of comments reads it from the published table, so a year the gate hides gives none.

    Parameters
    ----------
    comments
        The ``comments`` table (``comment_id``, ``respondent_id``, ``year``).
    analysis_coding
        The people's codings the analysis uses (``comment_id``), as for
        :func:`coding_coverage`.
    keyword_coded
        The ids of the comments keyword hints code (counted only where no person coded).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``commenters``, ``comments``, ``coded_by_people`` (as
        :attr:`CodingCoverage.coded`), ``coded_by_keywords`` (comments no person coded
        that keyword hints code), ``not_coded``.
    """
    ids = comments["comment_id"].astype(str)
    by_people = ids.isin(set(analysis_coding["comment_id"].astype(str)))
    by_keywords = ~by_people & ids.isin({str(comment_id) for comment_id in keyword_coded})
    frame = comments.assign(
        by_people=by_people, by_keywords=by_keywords, id=ids, year=comments["year"].astype(int)
    )
    table = frame.groupby("year").agg(
        commenters=("respondent_id", "nunique"),
        comments=("id", "nunique"),
        coded_by_people=("by_people", "sum"),
        coded_by_keywords=("by_keywords", "sum"),
    )
    table = table.astype("int64")
    table["not_coded"] = table["comments"] - table["coded_by_people"] - table["coded_by_keywords"]
    return table.reset_index()
