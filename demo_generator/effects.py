"""The effects planted in the demo data, in one place.

The generator reads these constants, ``README.md`` documents them, and ``tests/test_demo.py``
checks that a simple analysis of the written files recovers them. Sizes are design values;
README.md also reports what each one measures in the generated files.
"""

from __future__ import annotations

from demo_generator.organisation import CF, CN, CP, CS, DIRECTORATES, MH, TH

__all__ = [
    "SEED",
    "APPRAISAL_TARGETED",
    "APPRAISAL_ACTION_YEAR",
    "APPRAISAL_SURVEY_RISE",
    "APPRAISAL_SURVEY_RISE_ELSEWHERE",
    "appraisal_rate",
    "APPRAISAL_STEP_MONTH",
    "APPRAISAL_COMPLETION_BEFORE",
    "APPRAISAL_COMPLETION_AFTER",
    "MANAGER_COURSE_ID",
    "MANAGER_COURSE_NAME",
    "MANAGER_COURSE_SHIFT",
    "MANAGER_COURSE_TARGET_PP",
    "MANAGER_ITEMS",
    "COURSE_POST_GAIN",
    "COURSE_FOLLOW_UP_GAIN",
    "COURSE_LINE_MANAGER_GAIN",
    "SICKNESS_SHIFT",
    "SICKNESS_SHIFT_MONTH",
    "SICKNESS_SHIFT_DIRECTORATE",
    "COMPLAINTS_SPIKE",
    "TRAINING_LAPSE",
    "PRESSURE_TREND_CN",
    "BULLYING_ITEM",
    "BULLYING_GAP_2008",
    "BEST_ITEM",
    "WORST_ITEMS",
    "IT_COMMENT_SHARE",
    "IT_SYSTEM_YEAR",
]

SEED = 20080930
"""Seed of every random draw (the 2008 census date)."""

# 1. Appraisal action plan after the 2005 survey, in two directorates.
APPRAISAL_TARGETED = (CN, CF)
APPRAISAL_ACTION_YEAR = 2006
APPRAISAL_SURVEY_RISE = 0.20
"""Rise in the share answering Yes to ``appraisal_had`` in targeted directorates, 2006-2008."""
APPRAISAL_SURVEY_RISE_ELSEWHERE = 0.02
_APPRAISAL_BASE = {CN: 0.53, CF: 0.57, TH: 0.65, MH: 0.61, CP: 0.69, CS: 0.63}
_APPRAISAL_WIGGLE = {2003: -0.01, 2004: 0.0, 2005: 0.01, 2006: -0.005, 2007: 0.005, 2008: 0.0}
APPRAISAL_STEP_MONTH = "2006-04"
APPRAISAL_COMPLETION_BEFORE = 0.55
APPRAISAL_COMPLETION_AFTER = 0.80


def appraisal_rate(directorate: str, year: int) -> float:
    """Designed share of staff answering Yes to ``appraisal_had``.

    The year-to-year wiggles average to zero within 2003-2005 and within 2006-2008, so the
    difference-in-differences of the designed rates is exactly
    ``APPRAISAL_SURVEY_RISE - APPRAISAL_SURVEY_RISE_ELSEWHERE`` (18 points).
    """
    if directorate not in DIRECTORATES:
        raise ValueError(f"unknown directorate {directorate!r}; expected one of {DIRECTORATES}")
    rate = _APPRAISAL_BASE[directorate] + _APPRAISAL_WIGGLE[year]
    if year >= APPRAISAL_ACTION_YEAR:
        targeted = directorate in APPRAISAL_TARGETED
        rate += APPRAISAL_SURVEY_RISE if targeted else APPRAISAL_SURVEY_RISE_ELSEWHERE
    return rate


# 2. The "Managing people well" course for line managers.
MANAGER_COURSE_ID = "MPW"
MANAGER_COURSE_NAME = "Managing people well"
MANAGER_COURSE_SHIFT = 0.36
"""Shift of the latent 'support from immediate manager' factor in attendees' teams."""
MANAGER_COURSE_TARGET_PP = 10.0
"""Resulting rise in % positive of the manager items (percentage points, design target)."""
MANAGER_ITEMS = (
    "manager_feedback",
    "manager_asks_opinion",
    "manager_supportive_crisis",
    "manager_encourages_teamwork",
    "satisfied_manager_support",
)
COURSE_POST_GAIN = 1.0
COURSE_FOLLOW_UP_GAIN = 0.7
COURSE_LINE_MANAGER_GAIN = 0.5
"""Gain in the participants' line managers' ratings, pre-course to follow-up (level 3)."""

# 3. Sickness absence shift, a complaints outlier and a mandatory training lapse.
SICKNESS_SHIFT = 0.010
SICKNESS_SHIFT_MONTH = "2006-07"
SICKNESS_SHIFT_DIRECTORATE = CN
COMPLAINTS_SPIKE = ("T01", "2007-08", 14)
"""(team, month, complaints): one astronomical point."""
TRAINING_LAPSE = ("T36", "2008", 0.25)
"""(team, year, drop): Finance's mandatory training compliance falls by 25 points in 2008,
which makes it the low outlier of that year's funnel plot."""

# 4. Work pressure and the comparator group.
PRESSURE_TREND_CN = -0.12
"""Latent work-pressure factor in Community Nursing, change per year since 2003."""
BULLYING_ITEM = "bullying_colleagues"
BULLYING_GAP_2008 = 0.06
"""Comparator average minus the trust's share positive on BULLYING_ITEM in 2008."""
BEST_ITEM = ("training_received", 2008)
WORST_ITEMS = (("pressure_conflicting_demands", 2008), ("stress_work_related", 2008))

# 7. Comments about IT after the new electronic record system (2007).
IT_SYSTEM_YEAR = 2007
IT_COMMENT_SHARE = {2003: 0.05, 2004: 0.05, 2005: 0.06, 2006: 0.06, 2007: 0.22, 2008: 0.11}
"""Share of commenting respondents whose comment is (partly) about IT systems."""
