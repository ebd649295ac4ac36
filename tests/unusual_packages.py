"""Small data packages of unusual shapes, for the "valid means runnable" tests.

:class:`Shape` says what a package looks like (how many directorates, teams, staff groups
and survey years, how many respondents in each cell, which optional tables, what the ids and
labels look like); :func:`write_shaped_package` writes a package of that shape whose every
table follows ``docs/data-package.md``. :func:`shapes` is the Hypothesis strategy that draws
shapes; the named cases of issue #10 (a directorate with one team, trained teams without
respondents, ids with spaces, long labels) are shapes too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st
from package_builder import write_package

AGREE5 = {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}
YES_NO_DK = {1: "Yes", 2: "No", 9: "Don't know"}
OPTIONAL = ("comparators", "comments", "action_plans", "training")
"""Optional parts a shape may have: each is a table or a group of tables."""


@dataclass(frozen=True)
class Shape:
    """What a generated data package looks like.

    Parameters
    ----------
    teams_per_directorate
        One entry per directorate: how many teams it has (at least 1).
    staff_groups
        How many staff groups.
    years
        How many survey years (consecutive, ending in 2023).
    respondents
        Respondents per (year, directorate, staff group) cell, in that nested order, cycled
        if shorter. A year left with no respondent gets one, since every survey year needs
        responses.
    optional
        The optional parts present, from :data:`OPTIONAL`.
    odd_ids
        Ids with spaces and non-ASCII letters (teams, staff, respondents, comments, items,
        codes, courses and actions).
    label_length
        Length of the directorate, team, item, scale and code labels (0: short labels).
    untrained_respondents
        Whether the teams sent on a course have respondents; when False they have none.
    minimum_group_size
        The package's minimum group size.
    seed
        Seeds the answers.
    """

    teams_per_directorate: tuple[int, ...] = (2, 1)
    staff_groups: int = 2
    years: int = 2
    respondents: tuple[int, ...] = (12,)
    optional: frozenset[str] = field(default_factory=lambda: frozenset(OPTIONAL))
    odd_ids: bool = False
    label_length: int = 0
    untrained_respondents: bool = True
    minimum_group_size: int = 5
    seed: int = 0


def _label(base: str, length: int) -> str:
    """``base``, padded with words to ``length`` characters when ``length`` is given."""
    if length <= len(base):
        return base
    filler = " and the wider service of the local health economy"
    return (base + filler * (length // len(filler) + 1))[:length].rstrip() + "."


def _id(plain: str, odd: bool) -> str:
    """An id: ``plain``, or with a space and a non-ASCII letter in it."""
    return f"{plain[:1]} {plain[1:]} é" if odd else plain


def _frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})


def shaped_tables(shape: Shape) -> tuple[dict[str, pd.DataFrame], dict, list[dict]]:
    """The tables, ``dataset.yml`` and ``codebook.yml`` of a package of ``shape``."""
    rng = random.Random(shape.seed)
    odd, length = shape.odd_ids, shape.label_length
    years = list(range(2024 - shape.years, 2024))
    directorates = [
        _label(f"Directorate {chr(65 + d)}", length)
        for d in range(len(shape.teams_per_directorate))
    ]
    groups = [_label(f"Group {g + 1}", length // 2) for g in range(shape.staff_groups)]
    teams = [
        (_id(f"T{d}{t}", odd), _label(f"Team {d}.{t}", length), directorate)
        for d, (directorate, count) in enumerate(
            zip(directorates, shape.teams_per_directorate, strict=True)
        )
        for t in range(count)
    ]
    trained = teams[-1][0]
    items = [
        (_id("look_forward", odd), "Engagement", "agree5", "4;5", None, False),
        (_id("appraisal_had", odd), "Appraisal", "yes_no_dk", "1", "9", False),
        (_id("time_pressure", odd), "Workload", "agree5", "1;2", None, True),
    ]
    questionnaire = _frame(
        {
            "year": [y for y in years for _ in items],
            "item_id": [item[0] for _ in years for item in items],
            "column": [f"q{i + 1}" for _ in years for i in range(len(items))],
            "question_number": [f"Q{i + 1}" for _ in years for i in range(len(items))],
            "wording": [
                _label(f"Question about {item[0]}", length) for _ in years for item in items
            ],
            "theme": [item[1] for _ in years for item in items],
            "scale_id": [item[2] for _ in years for item in items],
            "positive_codes": [item[3] for _ in years for item in items],
            "excluded_codes": [item[4] for _ in years for item in items],
            "reverse_scored": [item[5] for _ in years for item in items],
            "comparable_with_previous": [True for _ in years for _ in items],
        }
    )
    scales = _frame(
        {
            "scale_id": ["agree5"] * 5 + ["yes_no_dk"] * 3,
            "code": [*AGREE5, *YES_NO_DK],
            "label": [_label(text, length) for text in [*AGREE5.values(), *YES_NO_DK.values()]],
        }
    )
    cells = [(y, d, g) for y in years for d in range(len(directorates)) for g in range(len(groups))]
    counts = [shape.respondents[i % len(shape.respondents)] for i in range(len(cells))]
    for year in years:
        if not any(c for (y, _, _), c in zip(cells, counts, strict=True) if y == year):
            counts[[cell[0] for cell in cells].index(year)] = 1
    respondents: dict[str, list] = {
        "respondent_id": [],
        "year": [],
        "directorate": [],
        "staff_group": [],
        "team_id": [],
    }
    answers: dict[str, list] = {"q1": [], "q2": [], "q3": []}
    staff_rows = []
    for (year, d, group), count in zip(cells, counts, strict=True):
        own_teams = [t[0] for t in teams if t[2] == directorates[d]]
        if not shape.untrained_respondents:
            own_teams = [t for t in own_teams if t != trained] or [None]
        for number in range(count):
            respondents["respondent_id"].append(_id(f"R{year}-{d}-{group}-{number}", odd))
            respondents["year"].append(year)
            respondents["directorate"].append(directorates[d])
            respondents["staff_group"].append(groups[group])
            respondents["team_id"].append(own_teams[number % len(own_teams)])
            answers["q1"].append(rng.choice([1, 2, 3, 4, 5, None]))
            answers["q2"].append(rng.choice([1, 2, 9, None]))
            answers["q3"].append(rng.choice([1, 2, 3, 4, 5]))
        staff_rows.append((year, directorates[d], groups[group], count + rng.randint(0, 10)))
    responses = _frame({**respondents, **answers})
    staff = _frame(
        {
            "year": [row[0] for row in staff_rows],
            "directorate": [row[1] for row in staff_rows],
            "staff_group": [row[2] for row in staff_rows],
            "headcount": [row[3] for row in staff_rows],
        }
    )
    team_table = _frame(
        {
            "team_id": [t[0] for t in teams],
            "team_name": [t[1] for t in teams],
            "directorate": [t[2] for t in teams],
        }
    )
    tables = {
        "questionnaire": questionnaire,
        "scales": scales,
        "responses": responses,
        "staff": staff,
        "teams": team_table,
    }
    codes = [_id("workload", odd), _id("staffing", odd)]
    codebook = [
        {
            "id": _id("resources", odd),
            "label": _label("Resources", length),
            "definition": "Staffing and workload",
            "codes": [
                {"id": codes[0], "label": _label("Workload", length), "keywords": ["busy"]},
                {"id": codes[1], "label": _label("Staffing", length), "keywords": ["short"]},
            ],
        }
    ]
    if "comparators" in shape.optional:
        tables["comparators"] = _frame(
            {
                "year": [y for y in years for _ in range(2)],
                "organisation_code": ["5AA", "5BB"] * len(years),
                "organisation_name": [_label("Alpha PCT", length), "Beta PCT"] * len(years),
                "item_id": [items[0][0]] * 2 * len(years),
                "n": [300, 250] * len(years),
                "n_positive": [150, 80] * len(years),
            }
        )
    if "comments" in shape.optional:
        texts = ["We are always short-staffed.", "Too busy to breathe.", "Café – £5", "Fine."]
        chosen = responses.sample(frac=0.5, random_state=shape.seed)
        comment_ids = [_id(f"C{n}", odd) for n in range(len(chosen))]
        tables["comments"] = _frame(
            {
                "comment_id": comment_ids,
                "respondent_id": list(chosen["respondent_id"]),
                "year": list(chosen["year"]),
                "question": ["What would most improve your working life?"] * len(chosen),
                "text": [texts[n % len(texts)] for n in range(len(chosen))],
            }
        )
        coders = [("AB", 1), ("CD", 2)]
        tables["codings"] = _frame(
            {
                "comment_id": [c for c in comment_ids for _ in coders][: 2 * len(comment_ids)],
                "coder": [coder for _ in comment_ids for coder, _ in coders],
                "code_id": [rng.choice([*codes, None]) for _ in comment_ids for _ in coders],
            }
        )
    if "action_plans" in shape.optional:
        tables["action_plans"] = _frame(
            {
                "action_id": [_id("AP1", odd), _id("AP2", odd)],
                "survey_year": [years[0], years[0]],
                "theme": ["Appraisal", "Engagement"],
                "item_id": [items[1][0], items[0][0]],
                "indicator_id": [None, None],
                "directorate": ["All", directorates[0]],
                "action": [_label("Train managers in appraisal", length), "Listen"],
                "owner_role": ["Head of HR", "Director"],
                "start_date": [f"{years[0]}-11-01", f"{years[0]}-11-01"],
                "due_date": [f"{years[0] + 1}-06-30", f"{years[0] + 1}-06-30"],
                "status": ["in progress", "done"],
            }
        )
    if "training" in shape.optional:
        course = _id("PM1", odd)
        participants = [_id(f"S{n:04d}", odd) for n in range(4)]
        tables["role_profiles"] = _frame(
            {
                "role_id": ["MGR"],
                "role_name": [_label("Team manager", length)],
                "staff_group": [groups[0]],
                "purpose": ["Lead the team"],
            }
        )
        tables["staff_list"] = _frame(
            {
                "staff_id": participants,
                "team_id": [trained] * len(participants),
                "role_id": ["MGR"] * len(participants),
                "staff_group": [groups[0]] * len(participants),
                "band": ["Band 7"] * len(participants),
                "start_date": ["2015-04-01"] * len(participants),
            }
        )
        held = years[-2] if len(years) > 1 else years[-1]  # after that year's survey
        rows = [
            (person, timepoint, f"{held}-{month}-01", rng.randint(1, 5))
            for person in participants
            for timepoint, month in (("pre", 11), ("post", 12))
        ]
        tables["training_evaluations"] = _frame(
            {
                "course_id": [course] * len(rows),
                "course_name": [_label("People management", length)] * len(rows),
                "cohort": ["first"] * len(rows),
                "participant_id": [row[0] for row in rows],
                "team_id": [trained] * len(rows),
                "timepoint": [row[1] for row in rows],
                "date": [row[2] for row in rows],
                "measure": ["confidence_giving_feedback"] * len(rows),
                "score": [row[3] for row in rows],
            }
        )
        tables["courses"] = _frame(
            {
                "course_id": [course],
                "course_name": [_label("People management", length)],
                "skill": ["appraisal"],
                "objective": ["Hold useful appraisals"],
                "item_id": [items[1][0]],
                "indicator_id": [None],
            }
        )
    description = {
        "organisation": {"name": _label("Testfield Primary Care Trust", length), "code": "5TF"},
        "survey_years": years,
        "group_columns": ["directorate", "staff_group"],
        "minimum_group_size": shape.minimum_group_size,
    }
    if "comparators" in shape.optional:
        description["comparator_group"] = "Primary care trusts"
    return tables, description, codebook


def write_shaped_package(folder: Path, shape: Shape) -> Path:
    """Write a data package of ``shape`` into ``folder`` (as CSV files) and return it."""
    tables, description, codebook = shaped_tables(shape)
    return write_package(folder, tables, description, codebook)


NAMED_CASES = {
    "one_directorate_one_team": Shape(teams_per_directorate=(1,), respondents=(14, 6)),
    "a_directorate_with_one_team": Shape(teams_per_directorate=(3, 1, 2)),
    "trained_teams_without_respondents": Shape(untrained_respondents=False),
    "ids_with_spaces": Shape(odd_ids=True),
    "long_labels": Shape(label_length=199),  # 200 characters: the codebook label limit,
}
"""The cases issue #10 names, each a shape."""


def shapes() -> st.SearchStrategy[Shape]:
    """Hypothesis strategy: small packages of unusual shapes (see :class:`Shape`)."""
    return st.builds(
        Shape,
        teams_per_directorate=st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
        staff_groups=st.integers(1, 3),
        years=st.integers(1, 3),
        respondents=st.lists(st.integers(0, 15), min_size=1, max_size=6).map(tuple),
        optional=st.frozensets(st.sampled_from(OPTIONAL)),
        odd_ids=st.booleans(),
        label_length=st.sampled_from([0, 0, 120, 199]),
        untrained_respondents=st.booleans(),
        minimum_group_size=st.sampled_from([1, 5, 11]),
        seed=st.integers(0, 2**16),
    )
