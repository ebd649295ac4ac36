"""Actions agreed after each survey, and the people-management courses with their evaluations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo_generator.effects import (
    COURSE_FOLLOW_UP_GAIN,
    COURSE_LINE_MANAGER_GAIN,
    COURSE_POST_GAIN,
    MANAGER_COURSE_ID,
    MANAGER_COURSE_NAME,
    MANAGER_ITEMS,
)
from demo_generator.organisation import CF, CN, CP, CS, MH, TEAMS, TH

__all__ = [
    "Cohort",
    "COHORTS",
    "choose_course_participants",
    "course_effect_start_years",
    "courses_table",
    "training_evaluations_table",
    "action_plans_table",
    "action_reviews_table",
]

APPRAISAL_COURSE_ID = "ASR"
APPRAISAL_COURSE_NAME = "Appraisal skills for reviewers"


@dataclass(frozen=True)
class Cohort:
    """One cohort of a course.

    ``teams`` is how many teams send participants; ``directorates`` restricts where they
    come from (empty: anywhere not already trained); ``survey_effect_from`` is the first survey
    year whose answers in the participants' teams carry the planted effect (None: no effect);
    ``line_manager_gain`` is the rise in the line managers' ratings by the follow-up.
    """

    course_id: str
    course_name: str
    cohort: str
    start: str
    teams: int
    directorates: tuple[str, ...]
    measures: tuple[str, ...]
    post_gain: float
    follow_up_gain: float
    survey_effect_from: int | None
    line_manager_gain: float = COURSE_LINE_MANAGER_GAIN


_MANAGER_MEASURES = (
    "confidence_giving_feedback",
    "confidence_difficult_conversations",
    "confidence_supporting_wellbeing",
    "knowledge_of_hr_policies",
    "confidence_running_appraisals",
)
_APPRAISAL_MEASURES = (
    "confidence_conducting_appraisal",
    "knowledge_of_ksf",
    "confidence_agreeing_objectives",
    "confidence_writing_pdp",
)
_CLINICAL = tuple(sorted({team.directorate for team in TEAMS if team.clinical}))

COHORTS: tuple[Cohort, ...] = (
    Cohort(
        MANAGER_COURSE_ID,
        MANAGER_COURSE_NAME,
        "2005 pilot",
        "2005-10-04",
        4,
        (CP, CS),
        _MANAGER_MEASURES,
        COURSE_POST_GAIN,
        COURSE_FOLLOW_UP_GAIN,
        2006,
    ),
    Cohort(
        MANAGER_COURSE_ID,
        MANAGER_COURSE_NAME,
        "2006 cohort 1",
        "2006-03-07",
        7,
        _CLINICAL,
        _MANAGER_MEASURES,
        COURSE_POST_GAIN,
        COURSE_FOLLOW_UP_GAIN,
        2007,
    ),
    Cohort(
        MANAGER_COURSE_ID,
        MANAGER_COURSE_NAME,
        "2006 cohort 2",
        "2006-09-12",
        7,
        _CLINICAL,
        _MANAGER_MEASURES,
        COURSE_POST_GAIN,
        COURSE_FOLLOW_UP_GAIN,
        2007,
    ),
    Cohort(
        MANAGER_COURSE_ID,
        MANAGER_COURSE_NAME,
        "2007 cohort 1",
        "2007-03-06",
        6,
        (),
        _MANAGER_MEASURES,
        COURSE_POST_GAIN,
        COURSE_FOLLOW_UP_GAIN,
        2008,
    ),
    Cohort(
        APPRAISAL_COURSE_ID,
        APPRAISAL_COURSE_NAME,
        "2006 A",
        "2006-02-14",
        8,
        (CN, CF),
        _APPRAISAL_MEASURES,
        0.8,
        0.6,
        None,
        0.4,
    ),
    Cohort(
        APPRAISAL_COURSE_ID,
        APPRAISAL_COURSE_NAME,
        "2006 B",
        "2006-05-16",
        8,
        (CN, CF),
        _APPRAISAL_MEASURES,
        0.8,
        0.6,
        None,
        0.4,
    ),
)
_POST_DAYS = 56  # the course runs over eight weeks; the post rating is at the last session
_FOLLOW_UP_DAYS = 182
_MISSED_FOLLOW_UP = 0.10
_MISSED_LINE_MANAGER_FOLLOW_UP = 0.15
_REACTIONS = {"satisfaction": 4.1, "relevance": 3.8}
"""Level 1 measures rated by participants at the last session only: the latent mean of each."""
_TEAM_LEADER = "R10"


def choose_course_participants(rng: np.random.Generator, staff_list: pd.DataFrame) -> pd.DataFrame:
    """Pick each cohort's participants from the staff list.

    The manager course takes team leaders (up to two per team) from teams no earlier cohort
    has trained; the appraisal course takes team leaders and Band 7 staff from targeted
    directorates. Everyone was in post at least 90 days before the course started.

    Returns
    -------
    pandas.DataFrame
        One row per participant: ``course_id``, ``course_name``, ``cohort``,
        ``participant_id``, ``team_id``, ``start``.
    """
    directorate_of = {team.team_id: team.directorate for team in TEAMS}
    staff = staff_list.assign(directorate=staff_list["team_id"].map(directorate_of))
    trained: set[str] = set()
    rows = []
    for cohort in COHORTS:
        cutoff = (np.datetime64(cohort.start) - np.timedelta64(90, "D")).astype(str)
        eligible = staff[staff["start_date"] <= cutoff]
        if cohort.course_id == MANAGER_COURSE_ID:
            eligible = eligible[eligible["role_id"] == _TEAM_LEADER]
            eligible = eligible[~eligible["team_id"].isin(trained)]
        else:
            eligible = eligible[
                (eligible["role_id"] == _TEAM_LEADER) | (eligible["band"] == "Band 7")
            ]
        if cohort.directorates:
            eligible = eligible[eligible["directorate"].isin(cohort.directorates)]
        teams = np.array(sorted(eligible["team_id"].unique()))
        chosen = rng.choice(teams, size=min(cohort.teams, len(teams)), replace=False)
        for team_id in sorted(chosen):
            people = sorted(eligible.loc[eligible["team_id"] == team_id, "staff_id"])
            count = min(len(people), 2 if cohort.course_id == MANAGER_COURSE_ID else 1)
            for staff_id in rng.choice(people, size=count, replace=False):
                rows.append(
                    (cohort.course_id, cohort.course_name, cohort.cohort, staff_id, team_id)
                    + (cohort.start,)
                )
        if cohort.course_id == MANAGER_COURSE_ID:
            trained.update(chosen.tolist())
    columns = ["course_id", "course_name", "cohort", "participant_id", "team_id", "start"]
    return pd.DataFrame(rows, columns=columns)


def course_effect_start_years(participants: pd.DataFrame) -> dict[str, int]:
    """Team -> first survey year carrying the manager course's planted effect."""
    effect_from = {cohort.cohort: cohort.survey_effect_from for cohort in COHORTS}
    starts: dict[str, int] = {}
    for team_id, cohort in zip(participants["team_id"], participants["cohort"], strict=True):
        year = effect_from[cohort]
        if year is not None:
            starts[team_id] = min(year, starts.get(team_id, year))
    return dict(sorted(starts.items()))


def training_evaluations_table(
    rng: np.random.Generator, participants: pd.DataFrame
) -> pd.DataFrame:
    """Ratings (1-5) before, at the end of, and six months after each course.

    Self-ratings (``rater`` ``self``): a participant's latent rating is their own level plus
    a measure offset plus noise; the post and follow-up latent ratings add the cohort's
    gains; scores are rounded and kept within 1..5. About one participant in ten misses the
    follow-up. Then the line managers' ratings of each participant's practice
    (``line_manager``), before the course and at the follow-up only: the manager's view of
    the participant plus noise, the follow-up adding the cohort's ``line_manager_gain``;
    about 15% of the follow-up ratings are missing. Last, each participant's reactions at the
    last session (``satisfaction`` and ``relevance``, rated only then; latent means in
    ``_REACTIONS``, sd 0.8). Line managers' ratings and reactions are drawn after every
    self-rating, so the self-ratings are the same as before they were added.
    """
    cohorts = {cohort.cohort: cohort for cohort in COHORTS}
    rows = []
    for participant in participants.itertuples(index=False):
        cohort = cohorts[participant.cohort]
        start = np.datetime64(participant.start)
        dates = {
            "pre": start,
            "post": start + np.timedelta64(_POST_DAYS, "D"),
            "follow_up": start + np.timedelta64(_FOLLOW_UP_DAYS, "D"),
        }
        gains = {"pre": 0.0, "post": cohort.post_gain, "follow_up": cohort.follow_up_gain}
        level = rng.normal(2.5, 0.45)
        offsets = rng.normal(0, 0.3, len(cohort.measures))
        missed_follow_up = rng.random() < _MISSED_FOLLOW_UP
        for timepoint, gain in gains.items():
            if timepoint == "follow_up" and missed_follow_up:
                continue
            latent = level + offsets + gain + rng.normal(0, 0.45, len(cohort.measures))
            scores = np.clip(np.rint(latent), 1, 5).astype(int)
            for measure, score in zip(cohort.measures, scores, strict=True):
                rows.append(
                    (
                        cohort.course_id,
                        cohort.course_name,
                        cohort.cohort,
                        participant.participant_id,
                        participant.team_id,
                        timepoint,
                        str(dates[timepoint]),
                        measure,
                        int(score),
                        "self",
                    )
                )
    for participant in participants.itertuples(index=False):
        cohort = cohorts[participant.cohort]
        start = np.datetime64(participant.start)
        view = rng.normal(2.7, 0.4) + rng.normal(0, 0.25, len(cohort.measures))
        missed_follow_up = rng.random() < _MISSED_LINE_MANAGER_FOLLOW_UP
        for timepoint, gain in (("pre", 0.0), ("follow_up", cohort.line_manager_gain)):
            latent = view + gain + rng.normal(0, 0.4, len(cohort.measures))
            if timepoint == "follow_up" and missed_follow_up:
                continue
            scores = np.clip(np.rint(latent), 1, 5).astype(int)
            days = 0 if timepoint == "pre" else _FOLLOW_UP_DAYS
            for measure, score in zip(cohort.measures, scores, strict=True):
                rows.append(
                    (
                        cohort.course_id,
                        cohort.course_name,
                        cohort.cohort,
                        participant.participant_id,
                        participant.team_id,
                        timepoint,
                        str(start + np.timedelta64(days, "D")),
                        measure,
                        int(score),
                        "line_manager",
                    )
                )
    for participant in participants.itertuples(index=False):
        cohort = cohorts[participant.cohort]
        last_session = np.datetime64(participant.start) + np.timedelta64(_POST_DAYS, "D")
        for measure, centre in _REACTIONS.items():
            score = int(np.clip(np.rint(rng.normal(centre, 0.8)), 1, 5))
            rows.append(
                (
                    cohort.course_id,
                    cohort.course_name,
                    cohort.cohort,
                    participant.participant_id,
                    participant.team_id,
                    "post",
                    str(last_session),
                    measure,
                    score,
                    "self",
                )
            )
    columns = [
        "course_id",
        "course_name",
        "cohort",
        "participant_id",
        "team_id",
        "timepoint",
        "date",
        "measure",
        "score",
        "rater",
    ]
    return pd.DataFrame(rows, columns=columns)


_COURSE_OBJECTIVES = (
    # (course_id, course_name, skill, objective, item_id, indicator_id)
    (MANAGER_COURSE_ID, MANAGER_COURSE_NAME, "communication",
     "Give each member of the team regular, specific feedback on their work.",
     MANAGER_ITEMS[0], ""),
    (MANAGER_COURSE_ID, MANAGER_COURSE_NAME, "communication",
     "Ask for the team's views before decisions that affect their work.", MANAGER_ITEMS[1], ""),
    (MANAGER_COURSE_ID, MANAGER_COURSE_NAME, "managing attendance",
     "Support staff through pressure and ill health and manage absence fairly.",
     MANAGER_ITEMS[2], "sickness_absence"),
    (MANAGER_COURSE_ID, MANAGER_COURSE_NAME, "communication",
     "Run team meetings that help the team work together.", MANAGER_ITEMS[3], ""),
    (MANAGER_COURSE_ID, MANAGER_COURSE_NAME, "recognition",
     "Recognise good work so that staff feel supported by their manager.", MANAGER_ITEMS[4], ""),
    (APPRAISAL_COURSE_ID, APPRAISAL_COURSE_NAME, "appraisal",
     "Hold a KSF development review with every member of staff each year.", "appraisal_had",
     "appraisal_completion"),
    (APPRAISAL_COURSE_ID, APPRAISAL_COURSE_NAME, "appraisal",
     "Agree clear objectives and a personal development plan at each review.",
     "appraisal_objectives_agreed", ""),
    (APPRAISAL_COURSE_ID, APPRAISAL_COURSE_NAME, "appraisal",
     "Make the review useful to the member of staff in their job.", "appraisal_helped_job", ""),
)  # fmt: skip


def courses_table() -> pd.DataFrame:
    """The ``courses`` register: each course's objectives and the outcomes they aim to move."""
    columns = ["course_id", "course_name", "skill", "objective", "item_id", "indicator_id"]
    return pd.DataFrame(list(_COURSE_OBJECTIVES), columns=columns)


_ALL = "All"
_ACTIONS = (
    # (survey_year, theme, item_id, indicator_id, directorate, action, owner, start, due, status)
    (2003, "Work pressure", "pressure_enough_staff", "vacancies", CN,
     "Review district nursing caseloads and recruit to the vacant posts they show.",
     "Director of Community Nursing", "2004-02-01", "2004-12-31", "done"),
    (2003, "Violence, harassment and bullying", "violence_patients", "", _ALL,
     "Lone worker policy, personal alarms and conflict resolution training for community staff.",
     "Head of Health and Safety", "2004-03-01", "2005-03-31", "done"),
    (2003, "Communication and involvement", "comms_senior_communication", "", _ALL,
     "Monthly team brief from the board, cascaded through every team meeting.",
     "Director of Corporate Services", "2004-01-15", "2004-06-30", "done"),
    (2003, "Training and learning", "training_mandatory", "mandatory_training", _ALL,
     "Publish a mandatory training matrix for every role and report compliance monthly.",
     "Head of Learning and Development", "2004-04-01", "2005-03-31", "done"),
    (2004, "Appraisal and development", "appraisal_had", "appraisal_completion", _ALL,
     "Prepare for the Knowledge and Skills Framework: draft KSF outlines for every post.",
     "Director of Human Resources", "2005-01-10", "2005-12-31", "done"),
    (2004, "Violence, harassment and bullying", "bullying_colleagues", "", _ALL,
     "Dignity at work policy with trained harassment advisers in each directorate.",
     "Director of Human Resources", "2005-02-01", "2005-09-30", "done"),
    (2004, "Health and well-being", "stress_work_related", "sickness_absence", _ALL,
     "Stress risk assessment in every team, with occupational health support.",
     "Occupational Health Lead", "2005-03-01", "2006-03-31", "done"),
    (2004, "Errors, near misses and incidents", "errors_fair_treatment", "", _ALL,
     "Fair blame statement agreed by the board; incident reporting training for team leaders.",
     "Head of Governance and Patient Safety", "2005-04-01", "2005-12-31", "done"),
    (2005, "Appraisal and development", "appraisal_had", "appraisal_completion", CN,
     "Every member of staff to have a KSF development review within 12 months: protected time, "
     "reviewer training and monthly completion reports to the directorate board.",
     "Director of Community Nursing", "2006-02-01", "2007-03-31", "done"),
    (2005, "Appraisal and development", "appraisal_had", "appraisal_completion", CF,
     "Every member of staff to have a KSF development review within 12 months: protected time, "
     "reviewer training and monthly completion reports to the directorate board.",
     "Director of Children and Families", "2006-02-01", "2007-03-31", "done"),
    (2005, "Support from immediate manager", "manager_feedback", "", _ALL,
     "Run the 'Managing people well' course for line managers in two cohorts in 2006.",
     "Head of Learning and Development", "2006-03-01", "2006-12-31", "done"),
    (2005, "Work pressure", "pressure_conflicting_demands", "sickness_absence", CN,
     "Introduce a caseload weighting tool for district nursing teams.",
     "Community Nursing Service Manager", "2006-04-01", "2006-12-31", "dropped"),
    (2006, "Communication and involvement", "comms_senior_act", "", _ALL,
     "Publish a 'You said, we did' bulletin after each staff survey.",
     "Communications Manager", "2007-02-01", "2007-04-30", "done"),
    (2006, "Work pressure", "pressure_enough_staff", "vacancies", CN,
     "Recruitment campaign for district nurses and a bank of returners.",
     "Director of Community Nursing", "2007-01-15", "2007-12-31", "done"),
    (2006, "Health and well-being", "stress_work_related", "sickness_absence", CN,
     "Fast-track occupational health referral for community nursing staff.",
     "Occupational Health Lead", "2007-03-01", "2008-03-31", "in progress"),
    (2006, "Appraisal and development", "appraisal_had", "appraisal_completion", TH,
     "Extend the community nursing appraisal approach to Therapies.",
     "Director of Therapies", "2008-04-01", "2009-03-31", "planned"),
    (2007, "Violence, harassment and bullying", "bullying_colleagues", "", _ALL,
     "Relaunch dignity at work: anonymous reporting line and mediation service.",
     "Director of Human Resources", "2008-02-01", "2008-12-31", "in progress"),
    (2007, "Support from immediate manager", "manager_asks_opinion", "", _ALL,
     "Make 'Managing people well' part of induction for every new line manager.",
     "Head of Learning and Development", "2008-04-01", "2009-03-31", "planned"),
    (2007, "Work pressure", "pressure_conflicting_demands", "sickness_absence", CN,
     "Independent review of district nursing workload and skill mix.",
     "Director of Community Nursing", "2008-01-07", "2008-10-31", "in progress"),
    (2007, "Violence, harassment and bullying", "violence_patients", "", MH,
     "Conflict resolution refresher and a second worker on night visits for the crisis team.",
     "Crisis Resolution Service Manager", "2008-02-01", "2008-09-30", "done"),
)  # fmt: skip
_ACTION_TEAMS = {"AP2007-4": "T26"}
"""Actions for one team rather than the whole directorate (no planted effect)."""

_FINDINGS = {
    # action_id: (finding_type, finding_id, baseline_value)
    "AP2003-1": ("indicator", "vacancies", 9.3),
    "AP2003-2": ("item", "violence_patients", 89.5),
    "AP2003-3": ("item", "comms_senior_communication", 30.3),
    "AP2003-4": ("item", "training_mandatory", 70.3),
    "AP2004-1": ("item", "appraisal_had", 60.0),
    "AP2004-2": ("code", "bullying_harassment", 2.9),
    "AP2004-3": ("item", "stress_work_related", 67.7),
    "AP2004-4": ("item", "errors_fair_treatment", 43.0),
    "AP2005-1": ("item", "appraisal_had", 53.7),
    "AP2005-2": ("item", "appraisal_had", 57.7),
    "AP2005-3": ("item", "manager_feedback", 53.5),
    "AP2005-4": ("item", "pressure_conflicting_demands", 31.0),
    "AP2006-1": ("item", "comms_senior_act", 28.0),
    "AP2006-2": ("item", "pressure_enough_staff", 13.6),
    "AP2006-3": ("item", "stress_work_related", 59.3),
    "AP2006-4": ("item", "appraisal_had", 66.3),
    "AP2007-1": ("item", "bullying_colleagues", 85.8),
    "AP2007-2": ("code", "manager_support_negative", 7.0),
    "AP2007-3": ("item", "pressure_conflicting_demands", 20.9),
    "AP2007-4": ("item", "violence_patients", 87.6),
}
"""What prompted each action, with its value in the survey year for the action's directorate
(the whole organisation for ``All``): % positive for an item, % of commenting respondents
raising the code (the researcher's coding) for a code, the pooled annual rate for an
indicator. Computed from the demo's own tables; ``tests/test_evaluation_register.py`` checks
them."""

_OUTCOMES = {
    # action_id: (outcome_measures, expected_direction); others: the item, "increase"
    "AP2003-1": ("vacancies;pressure_enough_staff", "decrease;increase"),
    "AP2003-4": ("training_mandatory;mandatory_training", "increase"),
    "AP2004-1": ("appraisal_had;appraisal_completion", "increase"),
    "AP2004-3": ("stress_work_related;sickness_absence", "increase;decrease"),
    "AP2005-1": ("appraisal_had;appraisal_helped_job;appraisal_completion", "increase"),
    "AP2005-2": ("appraisal_had;appraisal_helped_job;appraisal_completion", "increase"),
    "AP2005-4": ("pressure_conflicting_demands;sickness_absence", "increase;decrease"),
    "AP2006-2": ("pressure_enough_staff;vacancies", "increase;decrease"),
    "AP2006-3": ("stress_work_related;sickness_absence", "increase;decrease"),
    "AP2006-4": ("appraisal_had;appraisal_completion", "increase"),
    "AP2007-3": ("pressure_conflicting_demands;sickness_absence", "increase;decrease"),
}
"""The outcome measures chosen when each action was agreed (the first is the primary) and
the direction expected of each."""


def action_plans_table() -> pd.DataFrame:
    """The ``action_plans`` table: actions agreed after each survey from 2003 to 2007.

    ``team_id`` is blank where an action is for the whole directorate (or organisation).
    Each action records its finding (``_FINDINGS``), its outcome measures chosen in advance
    and the direction expected of them (``_OUTCOMES``; otherwise its item, to increase).
    """
    columns = [
        "survey_year",
        "theme",
        "item_id",
        "indicator_id",
        "directorate",
        "action",
        "owner_role",
        "start_date",
        "due_date",
        "status",
    ]
    table = pd.DataFrame(list(_ACTIONS), columns=columns)
    number = table.groupby("survey_year").cumcount() + 1
    table.insert(
        0, "action_id", [f"AP{y}-{n}" for y, n in zip(table["survey_year"], number, strict=True)]
    )
    team = table["action_id"].map(_ACTION_TEAMS).fillna("")
    table.insert(table.columns.get_loc("directorate") + 1, "team_id", team)
    findings = pd.DataFrame(
        [_FINDINGS[action_id] for action_id in table["action_id"]],
        columns=["finding_type", "finding_id", "baseline_value"],
    )
    findings["baseline_value"] = findings["baseline_value"].map("{:.1f}".format)  # as written
    for offset, column in enumerate(findings.columns, start=1):
        table.insert(table.columns.get_loc("theme") + offset, column, findings[column])
    outcomes = [
        _OUTCOMES.get(action_id, (item_id, "increase"))
        for action_id, item_id in zip(table["action_id"], table["item_id"], strict=True)
    ]
    measures, directions = zip(*outcomes, strict=True)
    at = table.columns.get_loc("indicator_id") + 1
    table.insert(at, "outcome_measures", list(measures))
    table.insert(at + 1, "expected_direction", list(directions))
    return table


_REVIEWS = (
    # (action_id, review_date, note)
    ("AP2003-1", "2004-12-14", "Caseload review done; 6 of 9 vacant posts filled."),
    ("AP2003-2", "2005-03-22", "Alarms issued to all community staff; 212 staff trained."),
    ("AP2003-3", "2004-07-06", "Team brief monthly; attendance recorded in 38 of 41 teams."),
    ("AP2003-4", "2005-03-29", "Matrix published; compliance reported to the board each month."),
    ("AP2004-1", "2005-12-13", "KSF outlines drafted for every post."),
    ("AP2004-2", "2005-09-27", "Policy agreed; 12 harassment advisers trained."),
    ("AP2004-3", "2006-03-28", "Stress risk assessments done in 35 of 41 teams."),
    ("AP2004-4", "2005-12-06", "Fair blame statement agreed; 60 team leaders trained."),
    ("AP2005-1", "2006-09-26", "Reviewers trained; completion reported monthly, 72% in August."),
    ("AP2005-1", "2007-03-27", "Completion above 80% since April 2006; protected time kept."),
    ("AP2005-2", "2006-09-26", "Reviewers trained; completion reported monthly, 70% in August."),
    ("AP2005-2", "2007-03-27", "Completion around 80%; review time protected in team rotas."),
    ("AP2005-3", "2006-12-12", "Two cohorts of 'Managing people well' run; 2007 cohort planned."),
    ("AP2005-4", "2006-06-20", "Dropped: the caseload tool did not work with the new record."),
    ("AP2006-1", "2007-04-24", "Bulletin published after the 2006 survey."),
    ("AP2006-2", "2007-12-18", "Campaign closed; 11 district nurses and 4 returners appointed."),
    ("AP2006-3", "2007-09-25", "Fast-track referral open; waiting time down from 6 to 2 weeks."),
    ("AP2006-3", "2008-03-25", "Referrals continue; review of absence rates delayed to 2009."),
    ("AP2007-1", "2008-06-24", "Reporting line open; mediation service being procured."),
    ("AP2007-3", "2008-07-22", "Review under way; report expected by the end of the year."),
    ("AP2007-4", "2008-10-14", "Refresher done by all crisis staff; two staff on 9 visits in 10."),
)  # fmt: skip


def action_reviews_table() -> pd.DataFrame:
    """The ``action_reviews`` table: what each action's reviews found, by date."""
    return pd.DataFrame(list(_REVIEWS), columns=["action_id", "review_date", "note"])
