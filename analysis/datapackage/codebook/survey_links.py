"""The link from what staff wrote to how they answered: codes' survey items and themes."""

from __future__ import annotations

import difflib

import pandas as pd

from analysis.datapackage.codebook.model import Codebook, line_prefix

__all__ = ["survey_link_problems"]


def survey_link_problems(codebook: Codebook, questionnaire: pd.DataFrame) -> list[str]:
    """Check each code's ``survey_items`` and ``survey_themes`` against the questionnaire.

    Parameters
    ----------
    codebook
        The codebook.
    questionnaire
        The data package's ``questionnaire`` table (columns ``item_id`` and ``theme``).

    Returns
    -------
    list of str
        One message per item or theme that the questionnaire does not have (in any year),
        naming the line of ``codebook.yml``, the code and the nearest spelling; empty when
        every link is known.

    Examples
    --------
    >>> from analysis.datapackage.codebook.yml import parse_codebook
    >>> book = parse_codebook('''
    ... - id: PAY
    ...   label: Pay
    ...   codes:
    ...     - {id: pay, label: Pay, survey_items: [pay_satisfied], survey_themes: [Reward]}
    ... ''')
    >>> questionnaire = pd.DataFrame({"item_id": ["pay_satisfaction"], "theme": ["Reward"]})
    >>> for problem in survey_link_problems(book, questionnaire):  # doctest: +NORMALIZE_WHITESPACE
    ...     print(problem)
    line 5: code 'pay' lists survey item 'pay_satisfied', which is not an item_id in the
    questionnaire; did you mean 'pay_satisfaction'?
    """
    known = {
        "item": ("item_id", set(questionnaire["item_id"].dropna().astype(str))),
        "theme": ("theme", set(questionnaire["theme"].dropna().astype(str))),
    }
    problems = []
    for code in codebook:
        for kind, values in (("theme", code.survey_themes), ("item", code.survey_items)):
            column, found = known[kind]
            for value in values:
                if value in found:
                    continue
                close = difflib.get_close_matches(value, sorted(found), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(
                    f"{line_prefix(codebook.line_of(code.id))}code '{code.id}' lists survey {kind} "
                    f"'{value}', which is not {'an' if kind == 'item' else 'a'} {column} in the "
                    f"questionnaire{hint}"
                )
    return problems
