"""The demo organisation: Northfield Primary Care Trust, its directorates, staff groups and teams.

Everything here is fictional. The numbers are chosen to look like a primary care trust of
2003-2008 in England: about 1,000 staff serving about 186,000 people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "ORGANISATION_NAME",
    "ORGANISATION_CODE",
    "POPULATION_SERVED",
    "COMPARATOR_GROUP",
    "SURVEY_YEARS",
    "GROUP_COLUMNS",
    "MINIMUM_GROUP_SIZE",
    "DIRECTORATES",
    "STAFF_GROUPS",
    "BASE_HEADCOUNT",
    "Team",
    "TEAMS",
    "Role",
    "ROLES",
    "teams_table",
    "role_profiles_table",
]

ORGANISATION_NAME = "Northfield Primary Care Trust"
ORGANISATION_CODE = "5NF"
POPULATION_SERVED = 186_000
COMPARATOR_GROUP = "Primary care trusts"
SURVEY_YEARS = (2003, 2004, 2005, 2006, 2007, 2008)
GROUP_COLUMNS = ("directorate", "staff_group", "age_band", "gender", "ethnicity", "disability")
MINIMUM_GROUP_SIZE = 11

CN = "Community Nursing"
CF = "Children and Families"
TH = "Therapies"
MH = "Mental Health and Learning Disabilities"
CP = "Commissioning and Public Health"
CS = "Corporate Services"
DIRECTORATES = (CN, CF, TH, MH, CP, CS)

NUR = "Nursing and Health Visiting"
AHP = "Allied Health Professionals"
MED = "Medical and Dental"
ADM = "Administrative and Clerical"
MAN = "Managers"
SUP = "Support Workers"
SCI = "Scientific and Technical"
STAFF_GROUPS = (NUR, AHP, MED, ADM, MAN, SUP, SCI)

# Headcount in 2005 by directorate (rows) and staff group (columns, in STAFF_GROUPS order).
BASE_HEADCOUNT: dict[str, tuple[int, ...]] = {
    CN: (205, 6, 4, 34, 13, 58, 0),
    CF: (102, 18, 7, 24, 8, 19, 0),
    TH: (6, 92, 2, 17, 7, 16, 12),
    MH: (88, 14, 11, 22, 9, 30, 9),
    CP: (7, 0, 5, 26, 24, 0, 8),
    CS: (0, 0, 0, 62, 22, 14, 3),
}


@dataclass(frozen=True)
class Team:
    """A team: where staff work, and the unit of the monthly indicators.

    Parameters
    ----------
    team_id, team_name, directorate
        As written to ``teams.csv``.
    size
        Relative size within the directorate.
    clinical
        Whether the team sees patients (it then reports patient contacts per WTE).
    affinity
        Staff groups concentrated in this team, with a weight multiplier.
    """

    team_id: str
    team_name: str
    directorate: str
    size: float
    clinical: bool
    affinity: dict[str, float] = field(default_factory=dict)


def _teams() -> tuple[Team, ...]:
    rows = [
        (CN, "District Nursing North", 1.3, True, {}),
        (CN, "District Nursing South", 1.3, True, {}),
        (CN, "District Nursing East", 1.1, True, {}),
        (CN, "District Nursing West", 1.1, True, {}),
        (CN, "District Nursing Central", 1.0, True, {}),
        (CN, "Intermediate Care", 1.0, True, {AHP: 8.0, MED: 4.0}),
        (CN, "Community Matrons", 0.6, True, {}),
        (CN, "Continence and Tissue Viability", 0.5, True, {}),
        (CN, "Out of Hours Nursing", 0.8, True, {}),
        (CN, "Community Nursing Management and Administration", 0.5, False, {ADM: 6.0, MAN: 6.0}),
        (CF, "Health Visiting North", 1.2, True, {}),
        (CF, "Health Visiting South", 1.2, True, {}),
        (CF, "School Nursing", 0.9, True, {}),
        (CF, "Community Paediatrics", 0.5, True, {MED: 20.0}),
        (CF, "Children's Therapy Team", 0.6, True, {AHP: 20.0}),
        (CF, "Safeguarding Children", 0.4, True, {}),
        (CF, "Children's Continuing Care", 0.5, True, {SUP: 3.0}),
        (TH, "Physiotherapy Musculoskeletal", 1.2, True, {}),
        (TH, "Community Physiotherapy", 0.9, True, {}),
        (TH, "Occupational Therapy", 0.9, True, {}),
        (TH, "Community Rehabilitation", 0.8, True, {NUR: 4.0}),
        (TH, "Wheelchair and Equipment Service", 0.5, True, {SUP: 3.0}),
        (TH, "Pharmacy and Medicines Management", 0.5, False, {SCI: 30.0}),
        (MH, "Community Mental Health Team North", 1.1, True, {}),
        (MH, "Community Mental Health Team South", 1.1, True, {}),
        (MH, "Crisis Resolution and Home Treatment", 0.8, True, {}),
        (MH, "Older People's Mental Health", 0.9, True, {}),
        (MH, "Learning Disabilities", 0.9, True, {SUP: 3.0}),
        (MH, "Psychological Therapies", 0.5, True, {SCI: 30.0}),
        (MH, "Substance Misuse", 0.5, True, {}),
        (CP, "Commissioning", 1.0, False, {MAN: 3.0}),
        (CP, "Health Improvement", 0.9, False, {NUR: 4.0}),
        (CP, "Public Health Intelligence", 0.5, False, {SCI: 30.0}),
        (CP, "Primary Care Development", 0.7, False, {MED: 6.0}),
        (CP, "Prescribing Support", 0.4, False, {}),
        (CS, "Finance", 1.0, False, {}),
        (CS, "Human Resources", 0.9, False, {}),
        (CS, "Information Technology", 0.8, False, {SCI: 10.0}),
        (CS, "Estates and Facilities", 0.9, False, {SUP: 30.0}),
        (CS, "Governance and Patient Safety", 0.5, False, {}),
        (CS, "Chief Executive's Office", 0.4, False, {MAN: 3.0}),
    ]
    return tuple(
        Team(f"T{number:02d}", name, directorate, size, clinical, affinity)
        for number, (directorate, name, size, clinical, affinity) in enumerate(rows, start=1)
    )


TEAMS: tuple[Team, ...] = _teams()


@dataclass(frozen=True)
class Role:
    """A role profile: what a job is for, and the bands it is paid on.

    ``bands`` maps an Agenda for Change band to its share of the role's staff.
    """

    role_id: str
    role_name: str
    staff_group: str
    purpose: str
    bands: dict[str, float]


ROLES: tuple[Role, ...] = (
    Role(
        "R01",
        "District nurse",
        NUR,
        "Assesses, plans and delivers nursing care to housebound patients in their own homes "
        "and manages a caseload with the wider district nursing team.",
        {"Band 5": 0.30, "Band 6": 0.55, "Band 7": 0.15},
    ),
    Role(
        "R02",
        "Health visitor",
        NUR,
        "Leads the healthy child programme for families with children under five: "
        "development reviews, parenting support and safeguarding.",
        {"Band 6": 0.85, "Band 7": 0.15},
    ),
    Role(
        "R03",
        "School nurse",
        NUR,
        "Promotes the health of school-age children through drop-in clinics, immunisation "
        "and health education, and supports children with complex needs in school.",
        {"Band 5": 0.50, "Band 6": 0.50},
    ),
    Role(
        "R04",
        "Community psychiatric nurse",
        NUR,
        "Care-coordinates adults with mental health problems living in the community, "
        "assesses risk and delivers psychosocial interventions.",
        {"Band 5": 0.25, "Band 6": 0.60, "Band 7": 0.15},
    ),
    Role(
        "R05",
        "Specialist nurse",
        NUR,
        "Provides specialist nursing advice and treatment (for example continence, tissue "
        "viability, long-term conditions) and supports generalist colleagues.",
        {"Band 6": 0.40, "Band 7": 0.60},
    ),
    Role(
        "R06",
        "Physiotherapist",
        AHP,
        "Assesses and treats people with movement and musculoskeletal problems in clinics, "
        "homes and community settings.",
        {"Band 5": 0.30, "Band 6": 0.45, "Band 7": 0.25},
    ),
    Role(
        "R07",
        "Occupational therapist",
        AHP,
        "Helps people to carry out everyday activities through rehabilitation, equipment and "
        "adaptations, in physical and mental health services.",
        {"Band 5": 0.35, "Band 6": 0.45, "Band 7": 0.20},
    ),
    Role(
        "R08",
        "GP with special interest",
        MED,
        "Medical staff in community services: GPs with a special interest, community "
        "paediatricians and psychiatrists, and public health doctors.",
        {"Medical and dental pay scale": 1.0},
    ),
    Role(
        "R09",
        "Team administrator",
        ADM,
        "Runs a team's administration: referrals, clinic booking, records, rotas and "
        "correspondence.",
        {"Band 2": 0.30, "Band 3": 0.50, "Band 4": 0.20},
    ),
    Role(
        "R10",
        "Team leader",
        MAN,
        "Leads a team or service: line-manages staff, holds the budget, runs appraisals and "
        "answers for the team's performance.",
        {"Band 7": 0.45, "Band 8a": 0.35, "Band 8b": 0.15, "Band 8c": 0.05},
    ),
    Role(
        "R11",
        "Healthcare support worker",
        SUP,
        "Delivers delegated care and practical support under the supervision of registered "
        "staff, or keeps buildings and equipment running.",
        {"Band 2": 0.45, "Band 3": 0.45, "Band 4": 0.10},
    ),
    Role(
        "R12",
        "Healthcare scientist or technician",
        SCI,
        "Scientific and technical staff: pharmacy technicians, psychologists and information "
        "analysts who provide specialist services to clinical teams.",
        {"Band 4": 0.25, "Band 5": 0.25, "Band 6": 0.20, "Band 7": 0.20, "Band 8a": 0.10},
    ),
)


def teams_table() -> pd.DataFrame:
    """The ``teams`` table: one row per team."""
    return pd.DataFrame(
        {
            "team_id": [team.team_id for team in TEAMS],
            "team_name": [team.team_name for team in TEAMS],
            "directorate": [team.directorate for team in TEAMS],
        }
    )


def role_profiles_table() -> pd.DataFrame:
    """The ``role_profiles`` table: one row per role."""
    return pd.DataFrame(
        {
            "role_id": [role.role_id for role in ROLES],
            "role_name": [role.role_name for role in ROLES],
            "staff_group": [role.staff_group for role in ROLES],
            "purpose": [role.purpose for role in ROLES],
        }
    )
