"""The interventions figures draw published tables and mark suppressed points."""

import pandas as pd

from analysis.evaluation.figures import (
    group_trends_chart,
    interrupted_time_series_chart,
    paired_changes_chart,
    skill_needs_chart,
)


def test_trends_chart_names_hidden_points_and_marks_the_action():
    table = pd.DataFrame(
        {
            "group": ["targeted"] * 3 + ["comparison"] * 3,
            "year": [2004, 2005, 2006] * 2,
            "mean": [50.0, None, 70.0, 60.0, 61.0, 62.0],
            "ci_low": [45.0, None, 65.0, 55.0, 56.0, 57.0],
            "ci_high": [55.0, None, 75.0, 65.0, 66.0, 67.0],
            "suppressed": [False, True, False, False, False, False],
        }
    )
    figure = group_trends_chart(table, first_treated_year=2006, title="T", ylabel="%")
    axes = figure.axes[0]
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend == ["Targeted ([c]: 2005)", "Comparison"]
    assert axes.lines[-1].get_xdata()[0] == 2005.5  # the action line, before 2006
    assert axes.get_title(loc="left") == "T"


def test_its_chart_draws_the_counterfactual_after_the_start_only():
    lines = pd.DataFrame(
        {
            "month": ["2006-01", "2006-02", "2006-03", "2006-04"],
            "observed": [1.0, 2.0, 5.0, 6.0],
            "fitted": [1.0, 2.0, 5.0, 6.0],
            "counterfactual": [1.0, 2.0, 3.0, 4.0],
        }
    )
    figure = interrupted_time_series_chart(lines, intervention_month="2006-03", title="T",
                                           ylabel="%")  # fmt: skip
    expected = [line for line in figure.axes[0].lines if line.get_label().startswith("Expected")]
    assert list(expected[0].get_ydata()) == [3.0, 4.0]


def test_paired_changes_chart_writes_c_for_suppressed_rows():
    table = pd.DataFrame(
        {
            "course_id": ["A", "A"],
            "level": ["2 learning", "3 behaviour"],
            "measure": ["m", "m"],
            "mean_change": [1.0, None],
            "ci_low": [0.5, None],
            "ci_high": [1.5, None],
            "suppressed": [False, True],
        }
    )
    figure = paired_changes_chart(table, title="T", xlabel="points")
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["[c]"]
    assert len(figure.axes[0].get_yticklabels()) == 2


def test_paired_changes_chart_labels_line_managers_ratings():
    table = pd.DataFrame(
        {
            "course_id": ["A", "A"],
            "level": ["3 behaviour", "3 behaviour"],
            "rater": ["self", "line_manager"],
            "measure": ["all measures"] * 2,
            "mean_change": [0.7, 0.4],
            "ci_low": [0.5, 0.3],
            "ci_high": [0.9, 0.5],
        }
    )
    figure = paired_changes_chart(table, title="T", xlabel="points")
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    # rows are drawn bottom-up, so the last row is the first label
    assert labels == ["A behaviour (line manager): all measures", "A behaviour: all measures"]


def test_skill_needs_chart_writes_each_value_and_c_for_hidden_cells():
    table = pd.DataFrame(
        {
            "skill": ["appraisal", "recognition"] * 2,
            "directorate": ["All directorates"] * 2 + ["Estates"] * 2,
            "percent_positive": [52.4, 41.0, 60.2, None],
            "suppressed": [False, False, False, True],
        }
    )
    figure = skill_needs_chart(table, title="Recognition is weakest")
    axes = figure.axes[0]
    assert [text.get_text() for text in axes.texts] == ["52", "41", "60", "[c]"]
    assert [label.get_text() for label in axes.get_xticklabels()] == ["appraisal", "recognition"]
    assert [label.get_text() for label in axes.get_yticklabels()] == ["All directorates", "Estates"]
    assert axes.get_title(loc="left") == "Recognition is weakest"
