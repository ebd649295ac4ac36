"""Coding methods per year, and the warning when compared years were coded differently."""

from __future__ import annotations

import pandas as pd

from analysis.comments.coding_methods import (
    coding_methods_by_year,
    methods_text,
    mixed_methods_warning,
)
from analysis.comments.frequencies import coded_comments
from analysis.datapackage.codebook import parse_codebook

BOOK = parse_codebook(
    """
- id: RES
  label: Resources
  codes:
    - {id: it_systems, label: IT, keywords: [computer]}
    - {id: staffing, label: Staffing, keywords: [short staffed]}
"""
)


def comments_and_codings() -> tuple[pd.DataFrame, pd.DataFrame]:
    """2007: four comments, all coded by the researcher. 2008: four comments, the researcher
    coded one (and a reconciliation another); two are left to the keyword hints."""
    comments = pd.DataFrame(
        {
            "comment_id": [f"c{i}" for i in range(1, 9)],
            "respondent_id": [f"r{i}" for i in range(1, 9)],
            "year": [2007] * 4 + [2008] * 4,
            "text": ["computer", "short staffed", "fine", "computer slow"] * 2,
        }
    )
    codings = pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c6"],
            "coder": ["researcher"] * 5 + ["reconciled", "researcher"],
            "code_id": ["it_systems", "staffing", None, "it_systems", "it_systems", "staffing",
                        "staffing"],
        }
    )  # fmt: skip
    return comments, codings


def test_each_years_comments_are_counted_by_method() -> None:
    comments, codings = comments_and_codings()
    coded = coded_comments(comments, codings, "researcher", keyword_codebook=BOOK)
    methods = coding_methods_by_year(coded)
    # By hand: 2007 c1-c4 by the researcher; 2008 c5 (researcher), c6 (reconciled),
    # c7 and c8 by keywords (c7's text "fine" gets no code but is still keyword-coded).
    assert methods.to_dict("records") == [
        {"year": 2007, "method": "people", "comments": 4, "percent": 100.0},
        {"year": 2008, "method": "people", "comments": 2, "percent": 50.0},
        {"year": 2008, "method": "keywords", "comments": 2, "percent": 50.0},
    ]
    assert methods_text(methods, 2007) == "people"
    assert methods_text(methods, 2008) == "people 50%, keywords 50%"
    warning = mixed_methods_warning(methods, [2007, 2008])
    assert warning.startswith(
        "Coding methods differ between the years compared (2007: people; 2008: people 50%, "
        "keywords 50%)"
    )


def test_years_coded_the_same_way_get_no_warning() -> None:
    comments, codings = comments_and_codings()
    coded = coded_comments(comments, codings, "researcher")  # no keyword hints
    methods = coding_methods_by_year(coded)
    assert set(methods["method"]) == {"people"}
    assert mixed_methods_warning(methods, [2007, 2008]) == ""


def test_the_model_coding_on_its_own_is_a_method_of_its_own() -> None:
    coded = pd.DataFrame(
        {
            "comment_id": ["a", "b", "c"],
            "year": [2007, 2008, 2008],
            "source": ["researcher", "model", "model"],
        }
    )
    methods = coding_methods_by_year(coded)
    assert methods_text(methods, 2008) == "model"
    assert "(2007: people; 2008: model)" in mixed_methods_warning(methods, [2007, 2008])
