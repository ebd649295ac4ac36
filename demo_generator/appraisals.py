"""Appraisals of the staff in post in 2008, with their objectives and KSF skill levels.

An appraisal year runs from April to March. Staff in the targeted directorates are appraised
far more often from April 2006 (the appraisal action plan). Objectives and Knowledge and Skills
Framework (KSF) assessments are recorded from April 2006, when the trust adopted the KSF
development review.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_generator.effects import (
    APPRAISAL_COMPLETION_AFTER,
    APPRAISAL_COMPLETION_BEFORE,
    APPRAISAL_STEP_MONTH,
    APPRAISAL_TARGETED,
)
from demo_generator.organisation import TEAMS

__all__ = [
    "KSF_CORE_DIMENSIONS",
    "appraisal_tables",
]

KSF_CORE_DIMENSIONS = (
    "Communication",
    "Personal and people development",
    "Health, safety and security",
    "Service improvement",
    "Quality",
    "Equality and diversity",
)
_RATINGS = (1, 2, 3, 4)
_RATING_SHARES = (0.03, 0.20, 0.60, 0.17)
_KSF_FROM = "2006-04-01"
_LAST_DAY = "2008-12-31"
_APPRAISAL_ELSEWHERE = 0.62

_DEVELOPMENT_ACTIONS = (
    "Attend the 'Managing people well' course.",
    "Complete level 2 safeguarding children training.",
    "Shadow a band 7 colleague for two days.",
    "Complete the mentorship module at the university.",
    "Attend the clinical supervision skills workshop.",
    "Complete the ECDL computer course.",
    "Update manual handling and basic life support.",
    "Join the directorate's audit group.",
    "Take the lead on infection control in the team.",
    "Start the non-medical prescribing course.",
    "Complete the electronic record system training.",
    "Present a case study at the team's learning session.",
    "Attend the leadership development programme.",
    "Spend a day with the commissioning team.",
    "Complete the conflict resolution training.",
)
# (linked_to: an objective or indicator id of indicators.yml, objective, for team leaders only)
_OBJECTIVES = (
    ("O3", "See new referrals within the team's waiting time standard.", False),
    ("O3", "Offer evening or weekend appointments in at least one clinic a month.", False),
    ("O3", "Reduce the number of appointments cancelled by the service.", False),
    ("O3", "Reach every family in the two most deprived wards.", False),
    ("O3", "Record the ethnicity of every new patient on the caseload.", False),
    ("O3", "Run a stop smoking drop-in at the health centre.", False),
    ("O2", "Complete the development actions agreed in the personal development plan.", False),
    ("O2", "Mentor a student on placement this year.", False),
    ("O2", "Achieve the KSF foundation gateway for the post.", False),
    ("O1", "Keep mileage and overtime within the team budget.", True),
    ("vacancies", "Reduce the team's use of bank and agency staff.", True),
    ("O3", "Order dressings and equipment through the new formulary.", False),
    ("O3", "Report every incident within 24 hours of it happening.", False),
    ("O3", "Complete the infection control audit each quarter.", False),
    (
        "record_keeping_audit",
        "Keep records to the standard of the annual record-keeping audit.",
        False,
    ),
    ("sickness_absence", "Bring the team's sickness absence below 4.5%.", True),
    ("sickness_absence", "Hold return-to-work interviews after every episode of sickness.", True),
    ("appraisal_completion", "Appraise every member of the team this year.", True),
    ("mandatory_training", "Keep up to date with all mandatory training.", False),
    ("mandatory_training", "Bring the team's mandatory training compliance above 90%.", True),
    ("patient_contacts_per_wte", "Increase face-to-face contacts per WTE by 5%.", True),
    ("patient_contacts_per_wte", "Use the scheduling system to cut travel between visits.", False),
    ("complaints", "Respond to every complaint within 25 working days.", True),
    ("vacancies", "Recruit to the team's vacant posts within three months.", True),
    ("turnover", "Hold exit interviews with every leaver and act on the findings.", True),
)  # fmt: skip
_REQUIRED_LEVEL = {
    "Band 2": 1,
    "Band 3": 1,
    "Band 4": 2,
    "Band 5": 2,
    "Band 6": 3,
    "Band 7": 3,
    "Band 8a": 4,
    "Band 8b": 4,
    "Band 8c": 4,
    "Medical and dental pay scale": 3,
}


def _appraisal_share(directorate: str, year: int) -> float:
    window_start = f"{year}-04"
    if directorate in APPRAISAL_TARGETED:
        after = window_start >= APPRAISAL_STEP_MONTH
        return APPRAISAL_COMPLETION_AFTER if after else APPRAISAL_COMPLETION_BEFORE
    return _APPRAISAL_ELSEWHERE + 0.005 * (year - 2003)


def appraisal_tables(
    rng: np.random.Generator, staff_list: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``appraisals``, ``appraisal_objectives`` and ``appraisal_skills`` tables.

    Parameters
    ----------
    rng
        The generator for this component.
    staff_list
        The ``staff_list`` table: who is appraised.
    """
    directorate_of = {team.team_id: team.directorate for team in TEAMS}
    last_day = np.datetime64(_LAST_DAY)
    appraisals, objectives, skills = [], [], []
    for person in staff_list.itertuples(index=False):
        directorate = directorate_of[person.team_id]
        started = np.datetime64(person.start_date)
        leader = person.role_id == "R10"
        for year in range(2003, 2009):
            window = np.datetime64(f"{year}-04-01")
            if started > window - np.timedelta64(90, "D"):
                continue
            if rng.random() >= _appraisal_share(directorate, year):
                continue
            day = window + np.timedelta64(int(rng.integers(0, 365)), "D")
            if day > last_day:
                continue
            review_date = str(day)
            rating = int(rng.choice(_RATINGS, p=_RATING_SHARES))
            action = (
                _DEVELOPMENT_ACTIONS[rng.integers(len(_DEVELOPMENT_ACTIONS))]
                if rng.random() < 0.7
                else ""
            )
            appraisals.append((person.staff_id, review_date, rating, action))
            if review_date < _KSF_FROM:
                continue
            pool = [row for row in _OBJECTIVES if leader or not row[2]]
            count = int(rng.integers(2, 5))
            for index in sorted(rng.choice(len(pool), size=count, replace=False)):
                linked_to, objective, _ = pool[index]
                objectives.append((person.staff_id, review_date, objective, linked_to))
            required = _REQUIRED_LEVEL[person.band]
            for dimension in KSF_CORE_DIMENSIONS:
                need = min(4, required + (dimension == "Communication" and required < 4))
                assessed = int(np.clip(round(need + rng.normal(-0.15, 0.6)), 1, 4))
                skills.append((person.staff_id, review_date, dimension, need, assessed))
    return (
        pd.DataFrame(
            appraisals,
            columns=["staff_id", "review_date", "overall_rating", "development_action"],
        ),
        pd.DataFrame(objectives, columns=["staff_id", "review_date", "objective", "linked_to"]),
        pd.DataFrame(
            skills,
            columns=[
                "staff_id",
                "review_date",
                "ksf_dimension",
                "required_level",
                "assessed_level",
            ],
        ),
    )
