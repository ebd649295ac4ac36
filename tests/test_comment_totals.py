"""No published number of comments equals, or gives by subtraction, a count the gate hides.

Issue #10 (privacy by construction). On a data package with one survey year, the data
overview's ``comments_by_year`` hid the year's comments (too few commenters), while the
comments report's opening gave the package's total number of comments: in a one-year
package, the hidden count itself. Every count of comments now comes from a gated table
(``comments_coded_by_year`` of the comments stage), years are gated one by one (no total
over years is published), and the gate's DisclosureWarning for this case is gone (pyproject
makes it an error).

The package is the test builder's minimal one (``tests/package_builder.py``): comments C1
(2022, respondent A1), C2 and C3 (2023, respondents B2 and B5), all coded by people. So, by
hand: 2022 has 1 commenter and 1 comment, 2023 has 2 commenters and 2 comments.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.comments.report import (
    coder_agreement,
    keyword_hints_check,
    open_stage,
    opening,
    suggestion_quality_section,
    suggestions_for_uncoded,
)
from analysis.disclosure import DisclosureWarning
from analysis.overview.report import open_report
from tests.package_builder import comments_package


def _texts(shown) -> list[str]:
    """The Markdown sentences of what a report cell shows."""
    return [part.data for part in shown if isinstance(getattr(part, "data", None), str)]


def _numbers(texts: list[str]) -> set[int]:
    """Every whole number in the sentences (years included), commas and escapes removed."""
    joined = " ".join(texts).replace(",", "").replace("\\", "")
    return {int(number) for number in re.findall(r"\d+", joined)}


@pytest.fixture
def one_year(tmp_path: Path) -> Path:
    """2023 only, minimum group size 3: its 2 commenters are under it (5 respondents are not)."""
    return comments_package(tmp_path / "package", years=[2023], minimum=3)


def test_overview_hides_the_one_year_without_a_disclosure_warning(one_year, tmp_path) -> None:
    report = open_report(one_year, year=None, output_dir=tmp_path / "out")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DisclosureWarning)
        published = report.comments()
    row = published.data.set_index("year").loc[2023]
    assert bool(row["suppressed"]) and pd.isna(row["comments"])


def test_comments_report_gives_no_count_of_a_hidden_one_year_package(one_year, tmp_path) -> None:
    stage = open_stage(str(one_year), None, str(tmp_path / "out"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DisclosureWarning)
        shown = opening(stage)
    counts = shown[-1].data.set_index("year").loc[2023]
    assert bool(counts["suppressed"]) and pd.isna(counts["comments"])
    texts = _texts(shown)
    assert "not shown: fewer than 3 respondents wrote them" in texts[1]
    # The hidden count (2 comments, 2 commenters) and the coders' shares (1 each) appear
    # nowhere: the only numbers left are the years and the minimum group size.
    assert _numbers(texts) <= {2022, 2023, 3, 12}  # 12: "April 2022 to March 2023" windows
    assert 2 not in _numbers(texts) and 1 not in _numbers(texts)


def test_no_total_over_years_gives_a_hidden_year_away(tmp_path) -> None:
    # Minimum 2: 2022 (1 commenter) is hidden, 2023 (2 commenters) is shown. A total over
    # both years (3) minus 2023's 2 would give 2022's hidden 1 comment.
    package = comments_package(tmp_path / "package", years=[2022, 2023], minimum=2)
    stage = open_stage(str(package), None, str(tmp_path / "out"))
    shown = opening(stage)
    counts = shown[-1].data.set_index("year")
    assert bool(counts.loc[2022, "suppressed"]) and not bool(counts.loc[2023, "suppressed"])
    assert counts.loc[2023, ["comments", "coded_by_people"]].tolist() == [2, 2]
    texts = _texts(shown)
    assert "2 comments in 2023; 2 coded by people" in texts[1]
    assert "All 2 comments of 2023 are coded" in texts[2]
    assert 3 not in _numbers(texts)


def test_agreement_and_suggestions_give_no_count_of_a_hidden_year(tmp_path) -> None:
    # One year, 2 comments (C2, C3) under the minimum 3; AB coded both, CD coded C3. The
    # agreement table's n_units of the keyword check (comments AB read: 2) and the notes
    # (1 comment coded by one coder only + 1 by two = 2) would give the hidden count; so
    # would the tables' ratios, whose denominators are those counts: neither agreement
    # table is published (tests/test_comment_leaks.py).
    package = comments_package(tmp_path / "package", years=[2023], minimum=3, double_code=True)
    stage = open_stage(str(package), None, str(tmp_path / "out"), keyword_coding=True)
    opening(stage)
    agreement = coder_agreement(stage, machine_coding=False)
    keywords = keyword_hints_check(stage)
    # The model, switched on, cannot learn from 2 comments: its error counts them, and the
    # quality section's tables count the coded comments; neither is shown.
    suggestions = suggestions_for_uncoded(stage, machine_coding=True, threshold=0.5)
    quality = suggestion_quality_section(
        stage, machine_coding=True, folds=2, sizes=[1], min_support=1
    )
    with_model = coder_agreement(stage, machine_coding=True)
    texts = (
        _texts(agreement)
        + _texts(keywords)
        + _texts(suggestions.shown)
        + _texts(quality)
        + _texts(with_model)
    )
    assert texts[0].startswith("Agreement between coders is not shown") and len(agreement) == 1
    assert texts[1].startswith("The keyword hints' agreement") and len(keywords) == 1
    assert "How well the suggestions code is not shown" in texts[3]
    assert texts[4] == texts[0]
    assert _numbers(texts) <= {3, 50, 2023}  # the minimum, 50%, the year
    assert 2 not in _numbers(texts)
