"""The demo package's README.md: the organisation, the files, and every planted effect.

Design sizes come from ``demo_generator.effects``; the "measured" figures are computed here
from the generated tables with the simple computation each section describes, so a reader
(or a test) can check an analysis against them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo_generator import effects
from demo_generator.comparators import item_counts
from demo_generator.effects import (
    APPRAISAL_STEP_MONTH,
    APPRAISAL_TARGETED,
    BEST_ITEM,
    BULLYING_ITEM,
    COMPLAINTS_SPIKE,
    IT_COMMENT_SHARE,
    MANAGER_ITEMS,
    SEED,
    SICKNESS_SHIFT_DIRECTORATE,
    SICKNESS_SHIFT_MONTH,
    WORST_ITEMS,
)
from demo_generator.organisation import (
    DIRECTORATES,
    MINIMUM_GROUP_SIZE,
    ORGANISATION_CODE,
    ORGANISATION_NAME,
    POPULATION_SERVED,
    STAFF_GROUPS,
    SURVEY_YEARS,
    TEAMS,
)
from demo_generator.questionnaire import ITEMS, THEMES, item_by_id

__all__ = ["readme_text"]

_FILES = {
    "dataset.yml": "the organisation, survey years, group columns, minimum group size",
    "questionnaire.csv": "items asked each year: column, question number, wording, theme, scale",
    "scales.csv": "response scales and their codes",
    "responses.csv": "one row per respondent per year; codes under each year's column names",
    "staff.csv": "headcount by year, directorate and staff group (census 30 September)",
    "comparators.csv": "n and n_positive per item for the trust (5NF) and 25 comparators",
    "comparator_profile.csv": "the 25 comparators' headcount by year and staff group, added up",
    "comments.csv": "free-text answers to two questions",
    "codebook.yml": "8 themes, 30 codes with definitions, examples and keywords",
    "codings.csv": "all comments coded by the researcher; 300 second-coded blind by the supervisor",
    "teams.csv": "41 teams and their directorates",
    "indicator_values.csv": "8 monthly indicators per team (one a rubric), 2003-01 to 2008-12",
    "action_plans.csv": (
        "actions agreed after each survey, 2003-2007, with the finding behind each and the "
        "outcome measures chosen in advance (one for a single team)"
    ),
    "action_reviews.csv": "what each action's reviews found, by date",
    "training_evaluations.csv": (
        "ratings before, after and six months after two courses (self and line manager)"
    ),
    "courses.csv": "the course register: each course's objectives and the outcomes they target",
    "role_profiles.csv": "12 role profiles",
    "staff_list.csv": "pseudonymised staff in post in 2008 (no names)",
    "appraisals.csv": "appraisals of the 2008 staff, 2003-2008",
    "appraisal_objectives.csv": "objectives agreed at appraisals from April 2006",
    "appraisal_skills.csv": "KSF core dimensions: required and assessed levels",
}


def _table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(str(column) for column in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = [
        "| " + " | ".join(str(value) for value in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])


def _pct(value: float) -> str:
    return f"{value:.1f}"


def _percent_positive(answers: pd.DataFrame, item_ids) -> float:
    """% positive of the pooled answers to ``item_ids`` (excluded codes left out)."""
    positive = total = 0
    for item_id in item_ids:
        item = item_by_id(item_id)
        codes = answers[item_id].dropna()
        codes = codes[~codes.isin(item.excluded_codes)]
        positive += int(codes.isin(item.positive_codes).sum())
        total += len(codes)
    return 100 * positive / total


def _did(answers: pd.DataFrame, treated, post, item_ids) -> tuple[float, float, float]:
    """(change in treated, change in comparison, difference-in-differences), points."""
    changes = []
    for group in (treated, ~treated):
        after = _percent_positive(answers[group & post], item_ids)
        before = _percent_positive(answers[group & ~post], item_ids)
        changes.append(after - before)
    return changes[0], changes[1], changes[0] - changes[1]


def _organisation(package) -> str:
    staff = package.tables["staff"]
    responses = package.tables["responses"]
    headcount = staff.groupby("year")["headcount"].sum()
    respondents = responses.groupby("year").size()
    by_group = (
        responses.groupby(["year", "staff_group"]).size()
        / staff.groupby(["year", "staff_group"])["headcount"].sum()
    ).unstack()
    rates = pd.DataFrame({"year": list(SURVEY_YEARS)})
    rates["headcount"] = [int(headcount[y]) for y in SURVEY_YEARS]
    rates["respondents"] = [int(respondents[y]) for y in SURVEY_YEARS]
    rates["response rate %"] = [_pct(100 * respondents[y] / headcount[y]) for y in SURVEY_YEARS]
    for group in STAFF_GROUPS:
        rates[group] = [_pct(100 * by_group.loc[y, group]) for y in SURVEY_YEARS]
    teams = pd.DataFrame(
        {
            "directorate": list(DIRECTORATES),
            "teams": [
                ", ".join(f"{t.team_id} {t.team_name}" for t in TEAMS if t.directorate == d)
                for d in DIRECTORATES
            ],
        }
    )
    small = []
    for column in ("staff_group", "age_band", "ethnicity", "disability", "gender"):
        counts = responses.groupby(["year", column]).size()
        for (year, value), count in counts.items():
            if count < MINIMUM_GROUP_SIZE and value != "":
                small.append(f"{column} = {value} in {year} ({count})")
    return f"""## The organisation

{ORGANISATION_NAME} (code `{ORGANISATION_CODE}`) is a fictional primary care trust serving
about {POPULATION_SERVED:,} people, with about 1,000 staff in {len(DIRECTORATES)} directorates,
{len(STAFF_GROUPS)} staff groups and {len(TEAMS)} teams. Every year from 2003 to 2008 all staff
in post at the census (30 September) were invited to the national NHS staff survey.
Respondents are not linked across years. The data were generated by `demo_generator`
(seed {SEED}); nothing here describes a real person or organisation.

Response rates (%) by year and staff group (respondents / headcount):

{_table(rates)}

Teams:

{_table(teams)}

Groups with fewer than {MINIMUM_GROUP_SIZE} respondents in a year (for the disclosure gate to
suppress): {"; ".join(small)}.
"""


def _files(package) -> str:
    rows = []
    for name, description in _FILES.items():
        table = package.tables.get(name.removesuffix(".csv")) if name.endswith(".csv") else None
        rows.append((f"`{name}`", "" if table is None else f"{len(table):,}", description))
    return "## Files\n\n" + _table(pd.DataFrame(rows, columns=["file", "rows", "contents"])) + "\n"


def _appraisal(package) -> str:
    answers = package.survey.answers
    targeted = answers["directorate"].isin(APPRAISAL_TARGETED)
    post = answers["year"] >= effects.APPRAISAL_ACTION_YEAR
    in_targeted, elsewhere, did = _did(answers, targeted, post, ["appraisal_had"])
    rise = effects.APPRAISAL_SURVEY_RISE * 100
    rise_elsewhere = effects.APPRAISAL_SURVEY_RISE_ELSEWHERE * 100
    yearly = pd.DataFrame({"year": list(SURVEY_YEARS)})
    for label, group in (("targeted %", targeted), ("elsewhere %", ~targeted)):
        yearly[label] = [
            _pct(_percent_positive(answers[group & (answers["year"] == y)], ["appraisal_had"]))
            for y in SURVEY_YEARS
        ]
    values = package.tables["indicator_values"]
    completion = values[values["indicator_id"] == "appraisal_completion"]
    targeted_teams = [t.team_id for t in TEAMS if t.directorate in APPRAISAL_TARGETED]
    completion = completion[completion["team_id"].isin(targeted_teams)]
    after = completion["month"] >= APPRAISAL_STEP_MONTH
    rate_before = completion[~after]["numerator"].sum() / completion[~after]["denominator"].sum()
    rate_after = completion[after]["numerator"].sum() / completion[after]["denominator"].sum()
    return f"""### 1. Appraisal action plan (after the 2005 survey)

Actions `AP2005-1` and `AP2005-2` targeted {" and ".join(APPRAISAL_TARGETED)}.
- Survey item `appraisal_had` (% Yes): designed rise of {rise:.0f} points in the targeted
  directorates from 2006 and {rise_elsewhere:.0f} points elsewhere, so a
  difference-in-differences (2006-2008 against 2003-2005, targeted against the other
  directorates, pooled respondents) has a design size of **{rise - rise_elsewhere:.0f} points**.
  Within each directorate and year exactly the designed share answered Yes (before item
  non-response). Measured: targeted {_pct(in_targeted)}, elsewhere {_pct(elsewhere)},
  difference-in-differences **{_pct(did)}** points.
- Indicator `appraisal_completion` in the targeted directorates' teams steps from
  {effects.APPRAISAL_COMPLETION_BEFORE:.0%} to {effects.APPRAISAL_COMPLETION_AFTER:.0%} from
  {APPRAISAL_STEP_MONTH} (team-level noise around it). Measured (sum of numerators / sum of
  denominators): {rate_before:.1%} before, {rate_after:.1%} from {APPRAISAL_STEP_MONTH}.
  `indicators.yml` declares the step as a known change (`recalculate_at`), so the SPC charts
  of those directorates, their teams and the organisation have their own limits from
  {APPRAISAL_STEP_MONTH}.
- Minor: in the targeted directorates from 2006 the other appraisal items improve (latent +0.2),
  appraisals in `appraisals.csv` follow the same step, and comments praising appraisal become
  four times as likely.
- `AP2006-4` (extending the appraisal approach to Therapies, planned for 2008) and `AP2007-4`
  (the one action for a single team, `T26`, in `action_plans.csv`'s optional `team_id` column,
  on `violence_patients`) carry no planted effect: they are there to be found not effective.
  Each action's reviews are in `action_reviews.csv`.
- Each action records the finding that prompted it (`finding_type`, `finding_id` and
  `baseline_value`, its value in the survey year for the action's directorate; `AP2004-2`
  and `AP2007-2` were prompted by a comment code, `AP2003-1` by the vacancy rate) and the
  outcome measures chosen in advance with the direction expected (`outcome_measures`, the
  first the primary outcome, and `expected_direction`): `AP2005-1` and `AP2005-2` chose
  `appraisal_had` (primary), `appraisal_helped_job` and `appraisal_completion`.

{_table(yearly)}
"""


def _course(package) -> str:
    answers = package.survey.answers
    participants = package.course_participants
    evaluations = package.tables["training_evaluations"]
    reactions = evaluations["measure"].isin(["satisfaction", "relevance"])
    reaction = evaluations.loc[reactions].groupby(["course_id", "measure"])["score"]
    satisfied = reaction.apply(lambda scores: (scores >= 4).mean() * 100)
    evaluations = evaluations.loc[~reactions]
    by_rater = evaluations.groupby(["rater", "course_id", "timepoint"])["score"].mean().unstack()
    means = by_rater.loc["self"][["pre", "post", "follow_up"]]
    managers = by_rater.loc["line_manager"][["pre", "follow_up"]]
    course = means.loc[effects.MANAGER_COURSE_ID]
    cohorts_2006 = participants["cohort"].str.startswith("2006") & (
        participants["course_id"] == effects.MANAGER_COURSE_ID
    )
    treated_teams = sorted(set(participants.loc[cohorts_2006, "team_id"]))
    trained_any = set(
        participants.loc[participants["course_id"] == effects.MANAGER_COURSE_ID, "team_id"]
    )
    never = sorted({t.team_id for t in TEAMS} - trained_any)
    in_scope = answers["team_id"].isin(treated_teams + never)
    scoped = answers[in_scope]
    treated = scoped["team_id"].isin(treated_teams)
    post = scoped["year"] >= 2007
    change_treated, change_control, did = _did(scoped, treated, post, MANAGER_ITEMS)
    starts = pd.DataFrame(
        sorted(package.course_start.items(), key=lambda pair: (pair[1], pair[0])),
        columns=["team_id", "effect from survey"],
    )
    starts = starts.groupby("effect from survey")["team_id"].apply(", ".join).reset_index()
    realised = "; ".join(
        f"teams from {year}: {effect:+.1f} points"
        for year, effect in package.survey.manager_effect_pp.items()
    )
    gain_post = course["post"] - course["pre"]
    gain_follow_up = course["follow_up"] - course["pre"]
    asr = means.loc["ASR"]
    return f"""### 2. "{effects.MANAGER_COURSE_NAME}" course for line managers

Cohorts: a 2005 pilot, two cohorts in 2006 and one in 2007 (course `{effects.MANAGER_COURSE_ID}`
in `training_evaluations.csv`; participants are team leaders in `staff_list.csv`, at most two per
team, each team trained once).
- Self-ratings (1-5, five measures): designed gain of {effects.COURSE_POST_GAIN} point pre to post
  and {effects.COURSE_FOLLOW_UP_GAIN} pre to follow-up (latent, before rounding and clipping to
  1..5; about 10% miss the follow-up). Measured means: pre {course["pre"]:.2f}, post
  {course["post"]:.2f}, follow-up {course["follow_up"]:.2f} (gains {gain_post:.2f} and
  {gain_follow_up:.2f}).
- Line managers' ratings of the same participants (`rater` `line_manager`, before the course and
  at the follow-up only; about 15% of follow-ups missing): designed gain of
  {effects.COURSE_LINE_MANAGER_GAIN} point (latent). Measured means: pre
  {managers.loc[effects.MANAGER_COURSE_ID, "pre"]:.2f}, follow-up
  {managers.loc[effects.MANAGER_COURSE_ID, "follow_up"]:.2f}.
- Reactions (level 1, rated at the last session only, both courses): `satisfaction` (latent
  mean 4.1) and `relevance` (3.8), sd 0.8. Measured, % rating 4 or 5: satisfaction
  {satisfied[(effects.MANAGER_COURSE_ID, "satisfaction")]:.0f}% (`{effects.MANAGER_COURSE_ID}`)
  and {satisfied[("ASR", "satisfaction")]:.0f}% (`ASR`); relevance
  {satisfied[(effects.MANAGER_COURSE_ID, "relevance")]:.0f}% and
  {satisfied[("ASR", "relevance")]:.0f}%.
- Survey: in each trained team, the latent "support from immediate manager" factor rises by
  {effects.MANAGER_COURSE_SHIFT} from the survey after the cohort's year, designed to lift
  % positive on the manager items ({", ".join(f"`{i}`" for i in MANAGER_ITEMS)}) by about
  **{effects.MANAGER_COURSE_TARGET_PP:.0f} points**. The same respondents' answers drawn without
  the effect give the realised effect: {realised}.
  Job satisfaction and engagement rise with it (they depend on manager support).
- Simple check: teams of the 2006 cohorts ({len(treated_teams)} teams) against never-trained teams
  ({len(never)} teams: {", ".join(never)}), pooled % positive on the manager items, 2007-2008
  against 2003-2006: change {_pct(change_treated)} against {_pct(change_control)},
  difference-in-differences **{_pct(did)}** points (its standard error is about 3 points).
- Teams whose answers carry the effect:

{_table(starts)}

A second course, "Appraisal skills for reviewers" (`ASR`, two cohorts in 2006, staff of the
targeted directorates), has designed gains of 0.8 (post) and 0.6 (follow-up) and no planted
survey effect. Measured means: pre {asr["pre"]:.2f}, post {asr["post"]:.2f}, follow-up
{asr["follow_up"]:.2f}; line managers (designed gain 0.4): pre {managers.loc["ASR", "pre"]:.2f},
follow-up {managers.loc["ASR", "follow_up"]:.2f}.

`courses.csv` links each course's objectives to the survey items (and indicators) it aims to
move: `{effects.MANAGER_COURSE_ID}` to the manager items above (and `sickness_absence`), `ASR` to
the appraisal items (and `appraisal_completion`).
"""


def _indicators(package) -> str:
    values = package.tables["indicator_values"]
    sickness = values[values["indicator_id"] == "sickness_absence"]
    directorate_of = {t.team_id: t.directorate for t in TEAMS}
    in_cn = sickness["team_id"].map(directorate_of) == SICKNESS_SHIFT_DIRECTORATE
    after = sickness["month"] >= SICKNESS_SHIFT_MONTH

    def rate(mask) -> str:
        part = sickness[mask]
        return f"{100 * part['numerator'].sum() / part['denominator'].sum():.2f}%"

    team, month, count = COMPLAINTS_SPIKE
    complaints = values[(values["indicator_id"] == "complaints") & (values["team_id"] == team)]
    usual = complaints[complaints["month"] != month]["numerator"]
    lapse_team, lapse_year, lapse_drop = effects.TRAINING_LAPSE
    training = values[values["indicator_id"] == "mandatory_training"]
    training = training[training["month"].str.startswith(lapse_year)]
    in_lapse = training["team_id"] == lapse_team

    def share(part: pd.DataFrame) -> str:
        return f"{100 * part['numerator'].sum() / part['denominator'].sum():.1f}%"

    lapse_name = next(t.team_name for t in TEAMS if t.team_id == lapse_team)
    return f"""### 3. Sickness absence shift, a complaints outlier and a training lapse

- `sickness_absence` (days lost / days available) rises by
  **{effects.SICKNESS_SHIFT * 100:.1f} percentage point** in every {SICKNESS_SHIFT_DIRECTORATE}
  team from {SICKNESS_SHIFT_MONTH}, sustained to the end (a shift for SPC rules). All teams
  have a winter peak (amplitude 0.8 points, highest in January) and month-to-month noise.
  Measured, all {SICKNESS_SHIFT_DIRECTORATE} teams pooled: {rate(in_cn & ~after)} before,
  {rate(in_cn & after)} after; other teams {rate(~in_cn & ~after)} and {rate(~in_cn & after)}.
- `complaints` (a count, blank denominator): team {team} has **{count}** complaints in {month}
  (an astronomical point); its other months average {usual.mean():.2f} (maximum
  {int(usual.max())}).
- `mandatory_training` (staff compliant / staff): team {lapse_team} ({lapse_name}) lapses by
  **{lapse_drop * 100:.0f} percentage points** throughout {lapse_year}, so it is the low outlier
  (beyond the 99.8% limits, after the overdispersion adjustment) of the {lapse_year} funnel
  plot of teams. Measured, {lapse_year}: {lapse_team} {share(training[in_lapse])}, other teams
  pooled {share(training[~in_lapse])}.
- Also: `vacancies` in {SICKNESS_SHIFT_DIRECTORATE} are 3.5 points higher from 2005-10 to 2007-06
  (eased by the 2007 recruitment campaign); `mandatory_training` improves by 2.5 points a year
  everywhere; `turnover` peaks in August and September; `patient_contacts_per_wte` (clinical
  teams only) dips in August and December.
"""


def _pressure_and_comparators(package) -> str:
    answers = package.survey.answers
    in_cn = answers["directorate"] == "Community Nursing"
    item = "pressure_conflicting_demands"
    yearly = pd.DataFrame({"year": list(SURVEY_YEARS)})
    yearly["Community Nursing %"] = [
        _pct(_percent_positive(answers[in_cn & (answers["year"] == y)], [item]))
        for y in SURVEY_YEARS
    ]
    yearly["elsewhere %"] = [
        _pct(_percent_positive(answers[~in_cn & (answers["year"] == y)], [item]))
        for y in SURVEY_YEARS
    ]
    comparators = package.tables["comparators"]
    comparators = comparators.assign(share=100 * comparators["n_positive"] / comparators["n"])
    others = comparators[comparators["organisation_code"] != ORGANISATION_CODE]

    def trust_and_group(item_id: str, year: int) -> tuple[float, pd.Series]:
        own = item_counts(answers, year).set_index("item_id").loc[item_id]
        group = others[(others["item_id"] == item_id) & (others["year"] == year)]["share"]
        return 100 * own["n_positive"] / own["n"], group

    last = SURVEY_YEARS[-1]
    bullying, bullying_group = trust_and_group(BULLYING_ITEM, last)
    best, best_group = trust_and_group(*BEST_ITEM)
    worst = []
    for item_id, year in WORST_ITEMS:
        trust, group = trust_and_group(item_id, year)
        worst.append(
            f"`{item_id}` {year} (trust {_pct(trust)}%, lowest comparator {_pct(group.min())}%)"
        )
    return f"""### 4. Work pressure in Community Nursing; the trust among its comparators

- The latent work-pressure factor in Community Nursing falls by
  {abs(effects.PRESSURE_TREND_CN)} a year from 2003 (a steady worsening; job satisfaction and
  work-related stress there follow it). % positive (disagreeing) on `{item}`:

{_table(yearly)}

- `comparators.csv` holds the trust's own row (`{ORGANISATION_CODE}`, computed from
  `responses.csv`, unweighted) and 25 fictional primary care trusts (codes `5ZA`-`5ZY`).
- `{BULLYING_ITEM}` in {last} (% answering No): the comparator average is designed to be
  {effects.BULLYING_GAP_2008 * 100:.0f} points above the trust (the trust also gets worse in
  {last}). Measured: trust {_pct(bullying)}%, comparator mean {_pct(bullying_group.mean())}%
  (gap {_pct(bullying_group.mean() - bullying)} points).
- `{BEST_ITEM[0]}` in {BEST_ITEM[1]}: the trust is best in the group. Measured: trust
  {_pct(best)}%, highest comparator {_pct(best_group.max())}%.
- The trust is worst in the group on {" and ".join(worst)}.
- Elsewhere the trust sits at varying ranks: each item-year's comparator centre is offset from
  the trust at random (sd 0.25 on the log-odds scale).
- `comparator_profile.csv` adds up the 25 comparators' headcounts by staff group. Their mix is
  designed to differ from the trust's, so that weighting the trust to it moves its figures
  (support workers, who rate their work lowest, are a larger share). Measured, {last}:
{_profile_shares(package, last)}
"""


def _profile_shares(package, year: int) -> str:
    profile = package.tables["comparator_profile"]
    profile = profile[profile["year"] == year].groupby("staff_group")["headcount"].sum()
    staff = package.tables["staff"]
    staff = staff[staff["year"] == year].groupby("staff_group")["headcount"].sum()
    shares = [
        f"  - {group}: {_pct(100 * profile[group] / profile.sum())}% of the comparators' "
        f"staff, {_pct(100 * staff[group] / staff.sum())}% of the trust's"
        for group in ("Support Workers", "Managers", "Nursing and Health Visiting")
    ]
    return "\n".join(shares)


def _weighting(package) -> str:
    answers = package.survey.answers
    staff = package.tables["staff"]
    satisfaction = [i.item_id for i in ITEMS if i.theme == "satisfaction"]
    rows = []
    for year in SURVEY_YEARS:
        part = answers[answers["year"] == year]
        asked = [i for i in satisfaction if item_by_id(i).asked_in(year)]
        cells = part.groupby(["directorate", "staff_group"]).size().rename("respondents")
        heads = staff[staff["year"] == year].set_index(["directorate", "staff_group"])["headcount"]
        weight = (heads / cells).rename("weight")
        part = part.join(weight, on=["directorate", "staff_group"])
        codes = part[asked].to_numpy(dtype=float)
        answered = ~np.isnan(codes)
        positive = np.isin(codes, (4, 5))
        weights = np.broadcast_to(part["weight"].to_numpy()[:, None], codes.shape)
        unweighted = 100 * positive[answered].mean()
        weighted = 100 * (positive * weights)[answered].sum() / weights[answered].sum()
        rows.append((year, _pct(unweighted), _pct(weighted), _pct(unweighted - weighted)))
    table = pd.DataFrame(rows, columns=["year", "unweighted %", "weighted %", "difference"])
    return f"""### 5. Non-response by staff group

Response rates differ by staff group (designed: Managers 80%, Administrative and Clerical 70%,
Allied Health Professionals 62%, Scientific and Technical 60%, Nursing and Health Visiting 52%,
Medical and Dental 36%, Support Workers 32%, plus year and directorate adjustments), and so do
attitudes (general engagement, latent: Managers +0.65, Administrative and Clerical +0.40, Allied
Health Professionals +0.15, Scientific and Technical +0.05, Nursing -0.15, Medical -0.35, Support
Workers -0.60). Respondents over-represent the more positive groups, so weighting to the staff
profile lowers % positive. Pooled % positive on the job satisfaction items, unweighted and
weighted by headcount / respondents in each directorate x staff group cell:

{_table(table)}
"""


def _questionnaire(package) -> str:
    questionnaire = package.tables["questionnaire"]
    new = [f"`{i.item_id}` ({i.first_year})" for i in ITEMS if i.first_year > SURVEY_YEARS[0]]
    dropped = [
        f"`{i.item_id}` (last asked {i.last_year})" for i in ITEMS if i.last_year < SURVEY_YEARS[-1]
    ]
    reworded = [f"`{i.item_id}` in {year}" for i in ITEMS for year in sorted(i.rewordings)]
    moves = questionnaire[
        questionnaire["item_id"].isin(["appraisal_had", "manager_feedback", "equal_opportunities"])
    ]
    moves = moves.pivot(index="item_id", columns="year", values="column").reset_index()
    counts = questionnaire.groupby("year").size()
    return f"""### 6. Questionnaire changes

- Items per year: {", ".join(f"{y}: {counts[y]}" for y in SURVEY_YEARS)}; themes:
  {", ".join(THEMES.values())}.
- New items: {", ".join(new)}. Dropped: {", ".join(dropped)}.
- Reworded (`comparable_with_previous` false that year): {", ".join(reworded)}. The 2006
  rewording of `equal_opportunities` also shifts its answers (latent +0.3: the new wording reads
  more positively), so its trend must restart; `pressure_enough_staff` 2004 (latent -0.1).
- Question numbers move as sections are reordered (2004) and items added (2006); `item_id` stays
  stable. For example, the response column of three items:

{_table(moves)}
"""


def _comments(package) -> str:
    comments = package.tables["comments"]
    answers = package.survey.answers
    topics = package.comments.topics
    about_it = comments["comment_id"].map(lambda cid: "it_systems" in topics[cid])
    by_person = comments.assign(it=about_it).groupby(["year", "respondent_id"])["it"].any()
    share = by_person.groupby("year").mean()
    commenters = comments.groupby("year")["respondent_id"].nunique()
    respondents = answers.groupby("year").size()
    rows = [
        (
            y,
            int(commenters[y]),
            _pct(100 * commenters[y] / respondents[y]),
            f"{IT_COMMENT_SHARE[y]:.0%}",
            _pct(100 * share[y]),
        )
        for y in SURVEY_YEARS
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "year",
            "commenters",
            "% of respondents",
            "IT share (design)",
            "IT share (measured %)",
        ],
    )
    identifiers = package.comments.identifiers
    return f"""### 7. Comments about IT after the new electronic record system (2007)

The new electronic patient record went live in 2007: the share of commenting respondents who
write about IT systems (code `it_systems`) jumps that year, then eases. Other topics follow the
answers: bullying comments are five times as likely from respondents bullied by colleagues,
manager comments follow the manager factor, workload and staffing comments the work-pressure
factor, pay comments the Agenda for Change years (2005-2006), change-management comments the
2006 merger.

{_table(table)}

## Coding

`codings.csv` holds the researcher's coding of all
{package.tables["codings"]["comment_id"].nunique()} comments, and the supervisor's blind,
independent second coding of a random sample of 300 of them (the sample for inter-coder
agreement). Both code from each comment's true codes: each true code
is applied with probability 0.84 (researcher) or 0.78 (supervisor); a missed code is replaced by
another code of the same theme half the time; a coder adds a same-theme code the writer did not
mean with probability 0.12 or 0.15. A coder who applied no code has a row with a blank `code_id`.

## Personal identifiers in comments

{len(identifiers)} comments contain a made-up personal identifier, for redaction to find (phone
numbers are in Ofcom's ranges reserved for drama; NHS numbers pass the modulus 11 check):

{_table(identifiers)}
"""


def readme_text(package) -> str:
    """The text of the demo package's README.md."""
    parts = [
        f"# Demo data package: {ORGANISATION_NAME}\n\n"
        "Synthetic data written by `python -m analysis demo` (`demo_generator/`). Do not edit by\n"
        "hand: change the generator and regenerate. The output is byte-identical on every run.\n",
        _organisation(package),
        _files(package),
        "## Planted effects\n\nEach effect below has a design size (the generator's constant in\n"
        "`demo_generator/effects.py`) and the value a simple computation on these files gives.\n",
        _appraisal(package),
        _course(package),
        _indicators(package),
        _pressure_and_comparators(package),
        _weighting(package),
        _questionnaire(package),
        _comments(package),
        "## Other effects in the answers\n\n"
        "- Job satisfaction depends on support from the immediate manager (weight 0.42) and on\n"
        "  work pressure (0.38) besides general engagement (0.20): a key-driver analysis finds\n"
        "  those two. Staff engagement depends on job satisfaction (0.50) and manager support.\n"
        "- Themes hang together: each item is its theme's factor plus noise (Cronbach's alpha\n"
        "  about 0.7-0.9 for the agreement and satisfaction themes).\n"
        "- Black and minority ethnic staff report more discrimination (latent -0.6) and bullying\n"
        "  (-0.3), and see fairness in career progression less (-0.4); disabled staff report\n"
        "  more discrimination (-0.4), bullying (-0.3) and ill health (-0.3); staff aged 16-30\n"
        "  are more likely to think of leaving (-0.35).\n"
        "- Violence from the public is highest in Mental Health and Learning Disabilities and\n"
        "  among nurses and support workers; pay satisfaction is lowest among support workers\n"
        "  and administrative staff and rises a little with Agenda for Change (2005-2006).\n"
        "- Teams differ persistently (random team effects on engagement, manager support and\n"
        "  work pressure). About 2% of respondents stop part-way; item non-response is about\n"
        "  2-3%; routed items are blank for those not routed to them.\n",
    ]
    return "\n".join(part.rstrip() + "\n" for part in parts)
