"""The reports' presentation rules (analysis.presentation) and their use in published tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.presentation import (
    COLUMN_HEADINGS,
    KEY_ROWS,
    column_decimals,
    contrast_ratio,
    format_p_value,
    heading,
    interval_estimates,
    is_p_value,
    readable_text_colour,
)
from analysis.publishing import StageOutput


@pytest.mark.parametrize(
    ("p", "shown"),
    [
        # the p-values, shown as "0" before: 3 significant figures by hand
        (0.033, "0.0330"),
        (0.035, "0.0350"),
        (0.044, "0.0440"),
        (0.04449, "0.0445"),  # half up on the shown digit
        (0.5, "0.500"),
        (1.0, "1.00"),
        (0.001, "0.00100"),
        (0.00099, "< 0.001"),
        (1.05e-73, "< 0.001"),
        (0.09996, "0.100"),  # rounds up into the next decade: still 3 figures
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_p_values_have_three_significant_figures_and_never_read_zero(p, shown) -> None:
    assert format_p_value(p) == shown


def test_p_value_columns_are_recognised_by_name() -> None:
    names = ["p_value", "p_adjusted", "p_adjusted_weighted", "wilcoxon_p_value", "p_value_holm"]
    assert all(is_p_value(n) for n in names)
    assert not any(is_p_value(n) for n in ["pct", "percent_positive", "spearman_rho", "pp"])


def test_an_interval_shows_with_its_estimates_decimals() -> None:
    # The issue: alpha 0.4 [0.4, 0.5] was printed 0.400 [0.400, 0.500]. Held to 1 decimal,
    # the three are shown with 1; a 2-decimal estimate brings its interval to 2.
    rounded = pd.DataFrame({"alpha": [0.4, 0.5], "ci_low": [0.4, 0.4], "ci_high": [0.5, 0.6]})
    assert column_decimals(rounded) == {"alpha": 1, "ci_low": 1, "ci_high": 1}
    mixed = pd.DataFrame({"correlation": [0.67], "ci_low": [0.6], "ci_high": [0.7]})
    assert column_decimals(mixed) == {"correlation": 2, "ci_low": 2, "ci_high": 2}


def test_intervals_pair_with_their_estimate() -> None:
    columns = ["theme", "score", "ci_low", "ci_high", "score_weighted", "ci_low_weighted"]
    assert interval_estimates(columns) == {
        "ci_low": "score",
        "ci_high": "score",
        "ci_low_weighted": "score_weighted",
    }
    assert interval_estimates(["g_z", "g_z_ci_low", "g_z_ci_high"]) == {
        "g_z_ci_low": "g_z",
        "g_z_ci_high": "g_z",
    }


def test_numbers_follow_three_significant_figures_but_never_invent_digits() -> None:
    table = pd.DataFrame(
        {"pct": [73.4567, 5.0], "small": [0.73456, 0.1], "whole": [3.0, 4.0], "held": [7.5, 2.0]}
    )
    assert column_decimals(table) == {"pct": 1, "small": 3, "whole": 0, "held": 1}


def test_headings_come_from_the_dictionary() -> None:
    assert heading("ci_low") == "95% CI, low"
    assert heading("diff_pp") == "Difference (points)"  # a change, or a gap to the rest
    assert heading("pct_weighted") == "Weighted %"
    assert heading("se_weighted") == "Standard error (weighted)"
    assert heading("g_z_ci_low") == "z, 95% CI low"
    assert heading("score_weighted") == "Score (weighted)"  # rule for _weighted columns
    assert heading("percent_blank") == "Percent blank"  # fallback from the name
    assert "best" in heading("quintile")  # the quintile's direction is stated
    assert all(text and text == text.strip() for text in COLUMN_HEADINGS.values())


def test_text_colours_pass_wcag_aa() -> None:
    # WCAG 2.1 contrast: white on #00a36e is 3.25:1 (axe-core reported 3.24), below 4.5.
    assert contrast_ratio("#ffffff", "#00a36e") == pytest.approx(3.25, abs=0.01)
    for background in ("#00a36e", "#ffbf00", "#d5281b", "#41b6e6", "#005eb8", "#e8edee"):
        assert contrast_ratio(readable_text_colour(background), background) >= 4.5


def test_published_table_uses_the_rules_and_folds_long_tables(tmp_path) -> None:
    table = pd.DataFrame(
        {
            "item": [f"Q{i}" for i in range(KEY_ROWS + 1)],
            "diff_pp": [1.25] * (KEY_ROWS + 1),
            "p_value": [0.033] + [0.0001] * KEY_ROWS,
        }
    )
    out = StageOutput(tmp_path, "survey", 5)
    published = out.table(table, "changes", title="Changes", disclosure="not person-level: x")
    shown = published._repr_html_()
    assert shown.startswith('<details class="full-table">')
    assert "Difference (points)" in shown and "p-value" in shown
    assert ">0.0330<" in shown and ">&lt; 0.001<" in shown
    assert ">1.3<" in shown  # diff_pp: percentage points, 1 decimal as in the CSV
    csv = published.csv_path.read_text(encoding="utf-8-sig")
    assert "1.3," in csv and "0.033" in csv
    opened = StageOutput(tmp_path, "survey", 5, detail=True)
    again = opened.table(table, "changes", title="Changes", disclosure="not person-level: x")
    assert again._repr_html_().startswith('<details class="full-table" open>')
    short = out.table(table.head(3), "short", title="Short", disclosure="not person-level: x")
    assert short._repr_html_().startswith('<div class="published-table"')
