"""Plain-language verdicts: what each interval may and may not be said to show."""

import pandas as pd
import pytest

from analysis.evaluation import (
    DESIGN_CAVEATS,
    difference_in_differences_verdict,
    placebo_caveat,
    verdict,
)


def test_an_interval_above_zero_is_an_improvement_when_higher_is_better():
    # 0.08 to 0.20 as a share, x 100 = 8 to 20 percentage points
    assert verdict(0.08, 0.20, scale=100, unit="percentage points") == (
        "consistent with an improvement of 8 to 20 percentage points"
    )


def test_when_lower_is_better_a_fall_is_an_improvement_and_a_rise_a_worsening():
    assert verdict(-2.0, -1.0, better="lower", unit="days") == (
        "consistent with an improvement of 1 to 2 days"
    )
    assert verdict(1.0, 2.0, better="lower", unit="days") == (
        "consistent with a worsening of 1 to 2 days"
    )


def test_an_interval_spanning_zero_is_no_clear_change_never_no_effect():
    text = verdict(-0.04, 0.09, scale=100)
    assert text == (
        "no clear change: consistent with anything from a worsening of 4 points to an "
        "improvement of 9 points"
    )
    assert "no effect" not in text
    # exactly 1 of a unit is singular
    assert verdict(-1.0, 2.0, unit="percentage points") == (
        "no clear change: consistent with anything from a worsening of 1 percentage point to "
        "an improvement of 2 percentage points"
    )


def test_digits_grow_so_that_the_ends_neither_merge_nor_read_as_zero():
    # 0.3 to 0.4 points with 0 decimals would read "0 to 0": one decimal is used instead
    assert verdict(0.3, 0.4) == "consistent with an improvement of 0.3 to 0.4 points"
    # 1.21 and 1.24 both round to 1.2: two decimals
    assert verdict(1.21, 1.24, digits=1) == (
        "consistent with an improvement of 1.21 to 1.24 points"
    )
    # spanning zero: the worsening of 0.004 x 100 = 0.4 is shown as 0.4, not 0
    assert verdict(-0.004, 0.15, scale=100) == (
        "no clear change: consistent with anything from a worsening of 0.4 points to an "
        "improvement of 15 points"
    )


def test_a_bootstrap_that_does_not_confirm_turns_the_claim_into_a_suggestion():
    text = verdict(0.08, 0.20, scale=100, bootstrap_p_value=0.12)
    assert text.startswith("the interval suggests an improvement of 8 to 20 points, but")
    assert "does not confirm it (p = 0.12)" in text
    confirmed = verdict(0.08, 0.20, scale=100, bootstrap_p_value=0.01)
    assert confirmed == "consistent with an improvement of 8 to 20 points"


def test_caveats_follow_after_semicolons():
    text = verdict(0.08, 0.20, scale=100, caveats=[DESIGN_CAVEATS["pre_post"]])
    assert text == (
        "consistent with an improvement of 8 to 20 points; there is no comparison group, so "
        "anything else that changed over the same period could explain this"
    )


def test_placebo_caveat_names_the_direction_of_earlier_drift():
    assert placebo_caveat(-0.05, 0.04, 2006) is None
    assert placebo_caveat(0.01, 0.09, 2006) == (
        "the targeted units were already improving faster than the comparison units before "
        "2006, so this may overstate the action's effect"
    )
    assert "falling behind" in placebo_caveat(-0.09, -0.01, 2006)
    assert "understate" in placebo_caveat(-0.09, -0.01, 2006)
    # for an outcome where lower is better a placebo rise means falling behind
    assert "falling behind" in placebo_caveat(0.01, 0.09, 2006, better="lower")


def did_table(low, high, bootstrap_p, clusters, treated_clusters):
    table = pd.DataFrame(
        {
            "ci_low": [low],
            "ci_high": [high],
            "bootstrap_p_value": [bootstrap_p],
            "n_clusters": [clusters],
            "n_treated_clusters": [treated_clusters],
            "few_clusters": [clusters < 30],
        }
    )
    table.attrs["conf"] = 0.95
    return table


def test_difference_in_differences_verdict_brings_the_caveats_together():
    result = did_table(0.08, 0.20, 0.21, clusters=6, treated_clusters=2)
    placebo = did_table(0.01, 0.09, 0.3, clusters=6, treated_clusters=2)
    text = difference_in_differences_verdict(result, placebo, first_treated_year=2006)
    assert text == (
        "the interval suggests an improvement of 8 to 20 percentage points, but the wild "
        "cluster bootstrap, more reliable with so few units, does not confirm it (p = 0.21); "
        "the targeted units were already improving faster than the comparison units before "
        "2006, so this may overstate the action's effect; with only 2 targeted units the "
        "interval is probably too narrow; this assumes the targeted and comparison units "
        "would otherwise have changed alike"
    )
    # 40 clusters but 1 targeted (one team among forty): the bootstrap is read all the same
    one_team = did_table(0.004, 0.074, 0.49, clusters=40, treated_clusters=1)
    assert difference_in_differences_verdict(one_team) == (
        "the interval suggests an improvement of 0.4 to 7.4 percentage points, but the wild "
        "cluster bootstrap, more reliable with so few units, does not confirm it (p = 0.49); "
        "with only one targeted unit the interval is probably too narrow; this assumes the "
        "targeted and comparison units would otherwise have changed alike"
    )
    # 40 clusters, 12 targeted: the clustered interval stands and only the design caveat stays
    many = did_table(0.08, 0.20, 0.21, clusters=40, treated_clusters=12)
    assert difference_in_differences_verdict(many) == (
        "consistent with an improvement of 8 to 20 percentage points; this assumes the "
        "targeted and comparison units would otherwise have changed alike"
    )


def test_bad_input_is_refused_with_a_helpful_message():
    with pytest.raises(ValueError, match="better must be 'higher' or 'lower'"):
        verdict(0, 2, better="up")
    with pytest.raises(ValueError, match="low <= high"):
        verdict(2, 0)
    with pytest.raises(ValueError, match="two numbers"):
        verdict(float("nan"), 2)
    with pytest.raises(ValueError, match="first_treated_year is needed"):
        result = did_table(0.08, 0.20, 0.21, clusters=6, treated_clusters=2)
        difference_in_differences_verdict(result, result)


def test_a_fall_expected_and_found_is_an_improvement_in_the_expected_direction():
    # an action expecting sickness absence to decrease; level change -2.0 to -1.0 days
    assert verdict(-2.0, -1.0, better="lower", unit="days", pre_registered=True) == (
        "consistent with an improvement in the expected direction: a fall of 1 to 2 days"
    )


def test_a_change_against_the_expected_direction_is_reported_as_such_never_as_improvement():
    # expected a decrease, the interval 1.0 to 2.0 is a rise
    text = verdict(1.0, 2.0, better="lower", unit="days", pre_registered=True)
    assert text == "consistent with a change opposite to the one expected: a rise of 1 to 2 days"
    # expected an increase (a share, x 100), the interval -0.08 to -0.02 is a fall
    text = verdict(-0.08, -0.02, scale=100, unit="percentage points", pre_registered=True)
    assert text == (
        "consistent with a change opposite to the one expected: a fall of 2 to 8 percentage points"
    )
    assert "improvement" not in text


def test_an_expected_direction_spanning_zero_names_which_end_was_expected():
    # expected a decrease; -1.2 to 0.6 days: a fall of 1.2 (expected) or a rise of 0.6
    assert verdict(-1.2, 0.6, better="lower", unit="days", digits=1, pre_registered=True) == (
        "no clear change: consistent with anything from a fall of 1.2 days (the expected "
        "direction) to a rise of 0.6 days (against the expected direction)"
    )


def test_an_expected_direction_with_an_unconfirming_bootstrap_stays_a_suggestion():
    text = verdict(0.08, 0.20, scale=100, bootstrap_p_value=0.12, pre_registered=True)
    assert text.startswith(
        "the interval suggests an improvement in the expected direction (a rise of 8 to 20 "
        "points), but the wild cluster bootstrap"
    )
