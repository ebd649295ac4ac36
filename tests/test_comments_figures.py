"""The comments stage's figures draw published tables and mark suppressed cells."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.comments.figures import (
    code_frequency_bars,
    cooccurrence_matrix,
    group_code_heatmap,
)


def _texts(figure: plt.Figure) -> list[str]:
    return [text.get_text() for text in figure.axes[0].texts]


def test_code_frequency_bars_mark_suppressed_cells_not_zero() -> None:
    table = pd.DataFrame(
        {
            "label": ["IT", "IT", "Pay", "Pay"],
            "year": [2007, 2008, 2007, 2008],
            "percent": [19.0, 8.0, float("nan"), 12.0],
            "suppressed": [False, False, True, False],
        }
    )
    figure = code_frequency_bars(table, title="IT comments fell in 2008", xlabel="Share (%)")
    texts = _texts(figure)
    assert texts.count("[c]") == 1
    assert {"19", "8", "12"} <= set(texts) and "0" not in texts
    assert figure.axes[0].get_title(loc="left") == "IT comments fell in 2008"
    assert figure.axes[0].get_xlabel() == "Share (%)"
    plt.close(figure)


def test_group_heatmap_marks_suppressed_cells() -> None:
    table = pd.DataFrame(
        {
            "group": ["North", "North", "South", "South"],
            "label": ["IT", "Pay", "IT", "Pay"],
            "percent": [20.0, 10.0, float("nan"), float("nan")],
            "suppressed": [False, False, True, True],
        }
    )
    figure = group_code_heatmap(table, title="North writes about IT", group_label="Directorate")
    texts = _texts(figure)
    assert texts.count("[c]") == 2 and {"20", "10"} <= set(texts)
    assert figure.axes[0].get_ylabel() == "Directorate"
    plt.close(figure)


def test_cooccurrence_matrix_is_mirrored() -> None:
    table = pd.DataFrame(
        {
            "code_a": ["a", "a", "b"],
            "code_b": ["a", "b", "b"],
            "respondents": [30, 12, 25],
            "suppressed": [False, False, False],
        }
    )
    figure = cooccurrence_matrix(table, title="a and b go together", labels={"a": "A", "b": "B"})
    # 2 x 2 matrix: 30, 12 / 12, 25.
    assert sorted(_texts(figure)) == ["12", "12", "25", "30"]
    plt.close(figure)


def test_figures_refuse_ungated_tables() -> None:
    with pytest.raises(ValueError, match="suppressed"):
        code_frequency_bars(
            pd.DataFrame({"label": ["IT"], "year": [2007], "percent": [1.0]}), title="t", xlabel="x"
        )
