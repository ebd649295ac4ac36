"""The demo questionnaire: items in the style of the national NHS staff survey, 2003-2008.

Items keep a stable ``item_id`` across years while their question numbers move as sections
are reordered and items are added (2006) or dropped, and two items are reworded, as happened
to the real questionnaires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from demo_generator.organisation import SURVEY_YEARS

__all__ = [
    "Item",
    "ITEMS",
    "THEMES",
    "SCALES",
    "item_by_id",
    "items_in_year",
    "question_numbers",
    "scales_table",
    "questionnaire_table",
]

SCALES: dict[str, tuple[tuple[int, str], ...]] = {
    "agree5": (
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Neither agree nor disagree"),
        (4, "Agree"),
        (5, "Strongly agree"),
    ),
    "satisfied5": (
        (1, "Very dissatisfied"),
        (2, "Dissatisfied"),
        (3, "Neither satisfied nor dissatisfied"),
        (4, "Satisfied"),
        (5, "Very satisfied"),
    ),
    "frequency5": ((1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Always")),
    "yes_no": ((1, "Yes"), (2, "No")),
    "yes_no_dk": ((1, "Yes"), (2, "No"), (9, "Don't know")),
}

# Theme key -> label as written to the questionnaire's ``theme`` column.
THEMES: dict[str, str] = {
    "appraisal": "Appraisal and development",
    "training": "Training and learning",
    "pressure": "Work pressure",
    "satisfaction": "Job satisfaction",
    "manager": "Support from immediate manager",
    "team": "Team working",
    "errors": "Errors, near misses and incidents",
    "violence": "Violence, harassment and bullying",
    "health": "Health and well-being",
    "communication": "Communication and involvement",
    "equality": "Equality and diversity",
    "engagement": "Staff engagement",
}


@dataclass(frozen=True)
class Item:
    """One questionnaire item and how the generator answers it.

    Parameters
    ----------
    item_id, theme, scale_id, wording
        As in ``questionnaire.csv`` (``theme`` is a key of ``THEMES``).
    baseline
        Share of positive answers among the trust's respondents in the item's first year.
    reverse_scored
        Agreeing is the negative answer (agree/frequency scales).
    yes_is_positive
        For yes/no scales: whether "Yes" is the positive answer.
    dont_know
        Share of "Don't know" answers (scales with code 9).
    routed_by
        ``(item_id, code)``: asked only of respondents who gave that code to that item.
    first_year, last_year
        The years the item was asked.
    rewordings
        Year -> new wording from that year (the trend starts again).
    """

    item_id: str
    theme: str
    scale_id: str
    wording: str
    baseline: float
    reverse_scored: bool = False
    yes_is_positive: bool = True
    dont_know: float = 0.0
    routed_by: tuple[str, int] | tuple[tuple[str, int], ...] | None = None
    first_year: int = SURVEY_YEARS[0]
    last_year: int = SURVEY_YEARS[-1]
    rewordings: dict[int, str] = field(default_factory=dict)

    def asked_in(self, year: int) -> bool:
        """Whether the item was on the questionnaire in ``year``."""
        return self.first_year <= year <= self.last_year

    def wording_in(self, year: int) -> str:
        """The wording printed in ``year``."""
        wording = self.wording
        for changed, new in sorted(self.rewordings.items()):
            if year >= changed:
                wording = new
        return wording

    def comparable_with_previous(self, year: int) -> bool:
        """False in the item's first year and in a year it was reworded."""
        return year != self.first_year and year not in self.rewordings

    @property
    def positive_codes(self) -> tuple[int, ...]:
        """Codes that count as positive."""
        if self.scale_id in ("yes_no", "yes_no_dk"):
            return (1,) if self.yes_is_positive else (2,)
        return (1, 2) if self.reverse_scored else (4, 5)

    @property
    def excluded_codes(self) -> tuple[int, ...]:
        """Codes left out of the item's ``n``."""
        return (9,) if self.scale_id == "yes_no_dk" else ()


_A, _S, _F = "agree5", "satisfied5", "frequency5"
_YN, _YND = "yes_no", "yes_no_dk"
_LAST12 = "In the last 12 months, have you "

ITEMS: tuple[Item, ...] = (
    # Appraisal and development
    Item(
        "appraisal_had",
        "appraisal",
        _YN,
        _LAST12 + "had an appraisal, annual review, development review, or Knowledge and Skills "
        "Framework (KSF) development review?",
        0.58,
    ),
    Item(
        "appraisal_objectives_agreed",
        "appraisal",
        _YND,
        "Did your appraisal or review agree clear objectives for your work?",
        0.70,
        dont_know=0.05,
        routed_by=("appraisal_had", 1),
    ),
    Item(
        "appraisal_pdp",
        "appraisal",
        _YND,
        "Did your appraisal or review result in a personal development plan (PDP) being agreed?",
        0.62,
        dont_know=0.06,
        routed_by=("appraisal_had", 1),
    ),
    Item(
        "appraisal_helped_job",
        "appraisal",
        _A,
        "My appraisal or review helped me to improve how I do my job.",
        0.45,
        routed_by=("appraisal_had", 1),
    ),
    # Training and learning
    Item(
        "training_received",
        "training",
        _YN,
        _LAST12 + "received any training, learning or development (apart from health and "
        "safety training)?",
        0.78,
    ),
    Item(
        "training_mandatory",
        "training",
        _YN,
        _LAST12 + "received health and safety training paid for or provided by the trust?",
        0.70,
    ),
    Item(
        "training_equality",
        "training",
        _YN,
        _LAST12 + "received equality and diversity training?",
        0.35,
        first_year=2006,
    ),
    Item(
        "training_helped_job",
        "training",
        _A,
        "The training, learning or development I received has helped me to do my job better.",
        0.68,
        routed_by=("training_received", 1),
    ),
    Item(
        "training_stay_up_to_date",
        "training",
        _A,
        "The training, learning or development I received has helped me stay up to date with "
        "professional requirements.",
        0.62,
        routed_by=("training_received", 1),
    ),
    # Work pressure
    Item(
        "pressure_conflicting_demands",
        "pressure",
        _A,
        "I cannot meet all the conflicting demands on my time at work.",
        0.38,
        reverse_scored=True,
    ),
    Item(
        "pressure_unrealistic_time",
        "pressure",
        _A,
        "I am often under unrealistic time pressures at work.",
        0.36,
        reverse_scored=True,
    ),
    Item(
        "pressure_enough_staff",
        "pressure",
        _A,
        "There are enough staff in my team for me to do my job properly.",
        0.30,
        rewordings={2004: "There are enough staff at this trust for me to do my job properly."},
    ),
    Item(
        "pressure_adequate_materials",
        "pressure",
        _A,
        "I have adequate materials, supplies and equipment to do my work.",
        0.55,
    ),
    # Team working
    Item(
        "team_clear_objectives",
        "team",
        _A,
        "My team has clear, shared objectives.",
        0.72,
    ),
    Item(
        "team_meet_regularly",
        "team",
        _A,
        "Team members meet regularly to discuss the team's effectiveness.",
        0.55,
        last_year=2005,
    ),
    Item(
        "team_work_closely",
        "team",
        _A,
        "Team members have to work closely with each other to achieve the team's objectives.",
        0.75,
    ),
    # Support from immediate manager
    Item(
        "manager_feedback",
        "manager",
        _A,
        "My immediate manager gives me clear feedback on my work.",
        0.50,
    ),
    Item(
        "manager_asks_opinion",
        "manager",
        _A,
        "My immediate manager asks for my opinion before making decisions that affect my work.",
        0.50,
    ),
    Item(
        "manager_supportive_crisis",
        "manager",
        _A,
        "My immediate manager is supportive in a personal crisis.",
        0.66,
    ),
    Item(
        "manager_encourages_teamwork",
        "manager",
        _A,
        "My immediate manager encourages those who work for her or him to work as a team.",
        0.60,
    ),
    Item(
        "satisfied_manager_support",
        "manager",
        _S,
        "How satisfied are you with the support you get from your immediate manager?",
        0.56,
    ),
    # Job satisfaction
    Item(
        "satisfied_recognition",
        "satisfaction",
        _S,
        "How satisfied are you with the recognition you get for good work?",
        0.45,
    ),
    Item(
        "satisfied_responsibility",
        "satisfaction",
        _S,
        "How satisfied are you with the amount of responsibility you are given?",
        0.66,
    ),
    Item(
        "satisfied_skills",
        "satisfaction",
        _S,
        "How satisfied are you with the opportunities you have to use your skills?",
        0.60,
    ),
    Item(
        "satisfied_valued",
        "satisfaction",
        _S,
        "How satisfied are you with the extent to which the trust values your work?",
        0.36,
    ),
    Item(
        "satisfied_pay",
        "satisfaction",
        _S,
        "How satisfied are you with your level of pay?",
        0.32,
    ),
    Item(
        "satisfied_freedom",
        "satisfaction",
        _S,
        "How satisfied are you with the freedom you have to choose your own method of working?",
        0.55,
        last_year=2006,
    ),
    # Communication and involvement
    Item(
        "comms_know_senior",
        "communication",
        _A,
        "I know who the senior managers are here.",
        0.62,
    ),
    Item(
        "comms_senior_involve",
        "communication",
        _A,
        "Senior managers here try to involve staff in important decisions.",
        0.28,
    ),
    Item(
        "comms_senior_act",
        "communication",
        _A,
        "Senior managers act on staff feedback.",
        0.26,
    ),
    Item(
        "comms_senior_communication",
        "communication",
        _A,
        "Communication between senior management and staff is effective.",
        0.30,
    ),
    Item(
        "comms_able_to_contribute",
        "communication",
        _A,
        "I am able to make suggestions to improve the work of my team or department.",
        0.66,
    ),
    # Errors, near misses and incidents
    Item(
        "errors_witnessed",
        "errors",
        _YN,
        "In the last month, have you seen any errors, near misses or incidents that could have "
        "hurt patients or service users?",
        0.80,
        yes_is_positive=False,
    ),
    Item(
        "errors_reported",
        "errors",
        _YND,
        "The last time you saw an error, near miss or incident that could have hurt patients, did "
        "you or a colleague report it?",
        0.88,
        dont_know=0.06,
        routed_by=("errors_witnessed", 1),
    ),
    Item(
        "errors_fair_treatment",
        "errors",
        _A,
        "The trust treats staff who are involved in an error, near miss or incident fairly.",
        0.42,
    ),
    Item(
        "errors_encourages_reporting",
        "errors",
        _A,
        "The trust encourages us to report errors, near misses or incidents.",
        0.72,
    ),
    Item(
        "errors_action_taken",
        "errors",
        _A,
        "When errors, near misses or incidents are reported, the trust takes action to ensure "
        "that they do not happen again.",
        0.50,
    ),
    # Violence, harassment and bullying
    Item(
        "violence_patients",
        "violence",
        _YN,
        _LAST12 + "experienced physical violence from patients, service users, their relatives "
        "or other members of the public?",
        0.90,
        yes_is_positive=False,
    ),
    Item(
        "harassment_patients",
        "violence",
        _YN,
        _LAST12 + "experienced harassment, bullying or abuse from patients, service users, their "
        "relatives or other members of the public?",
        0.80,
        yes_is_positive=False,
    ),
    Item(
        "bullying_colleagues",
        "violence",
        _YN,
        _LAST12 + "experienced harassment, bullying or abuse from your manager or other "
        "colleagues?",
        0.84,
        yes_is_positive=False,
    ),
    Item(
        "bullying_reported",
        "violence",
        _YND,
        "The last time you experienced harassment, bullying or abuse at work, did you or a "
        "colleague report it?",
        0.55,
        dont_know=0.08,
        routed_by=(("harassment_patients", 1), ("bullying_colleagues", 1)),
        first_year=2006,
    ),
    # Health and well-being
    Item(
        "stress_work_related",
        "health",
        _YN,
        _LAST12 + "been injured or felt unwell as a result of work-related stress?",
        0.68,
        yes_is_positive=False,
    ),
    Item(
        "injury_at_work",
        "health",
        _YN,
        _LAST12 + "been injured or felt unwell as a result of a work-related accident or incident?",
        0.88,
        yes_is_positive=False,
    ),
    Item(
        "wellbeing_trust_action",
        "health",
        _YND,
        "Does the trust take positive action on health and well-being?",
        0.55,
        dont_know=0.25,
        first_year=2006,
    ),
    # Equality and diversity
    Item(
        "equal_opportunities",
        "equality",
        _YND,
        "Does the trust act fairly with regard to career progression and promotion?",
        0.76,
        dont_know=0.30,
        rewordings={
            2006: "Does the trust act fairly with regard to career progression and promotion, "
            "regardless of ethnic background, gender, religion, sexual orientation, disability "
            "or age?"
        },
    ),
    Item(
        "discrimination_experienced",
        "equality",
        _YN,
        _LAST12 + "personally experienced discrimination at work?",
        0.93,
        yes_is_positive=False,
    ),
    # Staff engagement
    Item(
        "enthusiastic",
        "engagement",
        _F,
        "How often, if at all, are you enthusiastic about your job?",
        0.70,
        first_year=2006,
    ),
    Item(
        "look_forward",
        "engagement",
        _F,
        "How often, if at all, do you look forward to going to work?",
        0.50,
        first_year=2006,
    ),
    Item(
        "leave_thinking",
        "engagement",
        _A,
        "I often think about leaving this trust.",
        0.55,
        reverse_scored=True,
    ),
    Item(
        "leave_next_year",
        "engagement",
        _A,
        "I will probably look for a job at a new organisation in the next 12 months.",
        0.66,
        reverse_scored=True,
    ),
    Item(
        "recommend_work",
        "engagement",
        _A,
        "I would recommend the trust as a place to work.",
        0.48,
    ),
    Item(
        "recommend_care",
        "engagement",
        _A,
        "If a friend or relative needed treatment, I would be happy with the standard of care "
        "provided by this trust.",
        0.62,
    ),
)

_ITEMS_BY_ID = {item.item_id: item for item in ITEMS}

# Question blocks (one printed question number, items lettered a, b, c ...).
_BLOCKS: dict[str, tuple[str, ...]] = {
    "appraisal": ("appraisal_had",),
    "appraisal_detail": ("appraisal_objectives_agreed", "appraisal_pdp", "appraisal_helped_job"),
    "training": ("training_received", "training_mandatory", "training_equality"),
    "training_effect": ("training_helped_job", "training_stay_up_to_date"),
    "job": (
        "pressure_conflicting_demands",
        "pressure_unrealistic_time",
        "pressure_enough_staff",
        "pressure_adequate_materials",
    ),
    "team": ("team_clear_objectives", "team_meet_regularly", "team_work_closely"),
    "manager": (
        "manager_feedback",
        "manager_asks_opinion",
        "manager_supportive_crisis",
        "manager_encourages_teamwork",
    ),
    "satisfaction": (
        "satisfied_recognition",
        "satisfied_manager_support",
        "satisfied_responsibility",
        "satisfied_skills",
        "satisfied_valued",
        "satisfied_pay",
        "satisfied_freedom",
    ),
    "engagement": ("enthusiastic", "look_forward"),
    "communication": (
        "comms_know_senior",
        "comms_senior_involve",
        "comms_senior_act",
        "comms_senior_communication",
        "comms_able_to_contribute",
    ),
    "errors_seen": ("errors_witnessed",),
    "errors_reported": ("errors_reported",),
    "errors_culture": (
        "errors_fair_treatment",
        "errors_encourages_reporting",
        "errors_action_taken",
    ),
    "violence": ("violence_patients", "harassment_patients", "bullying_colleagues"),
    "bullying_reported": ("bullying_reported",),
    "health": ("stress_work_related", "injury_at_work", "wellbeing_trust_action"),
    "equality": ("equal_opportunities", "discrimination_experienced"),
    "leaving": ("leave_thinking", "leave_next_year"),
    "recommend": ("recommend_work", "recommend_care"),
}

_ERRORS_AND_AFTER = ("errors_seen", "errors_reported", "errors_culture", "violence")
# The order of question blocks in each edition of the questionnaire.
_EDITIONS: dict[tuple[int, ...], tuple[str, ...]] = {
    (2003,): (
        "appraisal",
        "appraisal_detail",
        "training",
        "training_effect",
        "job",
        "team",
        "manager",
        "satisfaction",
        "communication",
        *_ERRORS_AND_AFTER,
        "health",
        "equality",
        "leaving",
        "recommend",
    ),
    (2004, 2005): (
        "training",
        "training_effect",
        "appraisal",
        "appraisal_detail",
        "job",
        "team",
        "manager",
        "satisfaction",
        *_ERRORS_AND_AFTER,
        "health",
        "communication",
        "equality",
        "leaving",
        "recommend",
    ),
    (2006, 2007, 2008): (
        "appraisal",
        "appraisal_detail",
        "training",
        "training_effect",
        "job",
        "manager",
        "satisfaction",
        "team",
        "engagement",
        "communication",
        *_ERRORS_AND_AFTER,
        "bullying_reported",
        "health",
        "equality",
        "leaving",
        "recommend",
    ),
}


def item_by_id(item_id: str) -> Item:
    """The item with this ``item_id``."""
    return _ITEMS_BY_ID[item_id]


def items_in_year(year: int) -> tuple[Item, ...]:
    """The items asked in ``year``, in questionnaire order."""
    return tuple(item_by_id(item_id) for item_id in question_numbers(year))


def question_numbers(year: int) -> dict[str, str]:
    """Item ID -> printed question number (``Q12a``, or ``Q3`` for a single-item question)."""
    blocks = next(order for years, order in _EDITIONS.items() if year in years)
    numbers: dict[str, str] = {}
    number = 0
    for block in blocks:
        asked = [item_id for item_id in _BLOCKS[block] if item_by_id(item_id).asked_in(year)]
        if not asked:
            continue
        number += 1
        if len(asked) == 1:
            numbers[asked[0]] = f"Q{number}"
        else:
            for letter, item_id in zip("abcdefghij", asked, strict=False):
                numbers[item_id] = f"Q{number}{letter}"
    return numbers


def _codes(codes: tuple[int, ...]) -> str:
    return ";".join(str(code) for code in codes)


def scales_table() -> pd.DataFrame:
    """The ``scales`` table: one row per code per scale."""
    rows = [(scale_id, code, label) for scale_id, codes in SCALES.items() for code, label in codes]
    return pd.DataFrame(rows, columns=["scale_id", "code", "label"])


def questionnaire_table() -> pd.DataFrame:
    """The ``questionnaire`` table: one row per item per year, in questionnaire order."""
    rows = []
    for year in SURVEY_YEARS:
        for item_id, number in question_numbers(year).items():
            item = item_by_id(item_id)
            rows.append(
                {
                    "year": year,
                    "item_id": item_id,
                    "column": number.lower(),
                    "question_number": number,
                    "wording": item.wording_in(year),
                    "theme": THEMES[item.theme],
                    "scale_id": item.scale_id,
                    "positive_codes": _codes(item.positive_codes),
                    "excluded_codes": _codes(item.excluded_codes),
                    "reverse_scored": "true" if item.reverse_scored else "false",
                    "comparable_with_previous": (
                        "true" if item.comparable_with_previous(year) else "false"
                    ),
                }
            )
    return pd.DataFrame(rows)
