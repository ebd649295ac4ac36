"""The examples in the docstrings of analysis.stats run and give the numbers they quote.

Each example quotes a reference number (an R call or a published test expectation), so a
failing example means the documentation and the code disagree.
"""

import doctest

import pytest

import analysis.stats.means
import analysis.stats.multiple_testing
import analysis.stats.proportions
import analysis.stats.quantiles
import analysis.stats.rates
import analysis.stats.reliability
import analysis.stats.scores
import analysis.stats.weighted

MODULES = [
    analysis.stats.proportions,
    analysis.stats.quantiles,
    analysis.stats.rates,
    analysis.stats.means,
    analysis.stats.weighted,
    analysis.stats.multiple_testing,
    analysis.stats.reliability,
    analysis.stats.scores,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_docstring_examples_give_the_quoted_numbers(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{module.__name__} has no examples"
    assert result.failed == 0, f"{module.__name__}: {result.failed} example(s) failed"
