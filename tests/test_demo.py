"""Tests of the demo data package generator (``demo_generator``).

The package is generated once per test session into a temporary folder and read back from
its files with plain pandas, so every check here is an independent computation on what a user
gets, compared with the sizes documented in ``demo_generator.effects`` and README.md.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from demo_generator import effects, write_demo
from demo_generator.comments import nhs_number_check_digit

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data-package.md"
MINIMUM = 11


@pytest.fixture(scope="module")
def demo(demo_data) -> Path:
    """The session's demo package (conftest.py), written by ``write_demo`` into a new folder."""
    return demo_data


def read(folder: Path, name: str) -> pd.DataFrame:
    codes_as_text = {"positive_codes": str, "excluded_codes": str}
    return pd.read_csv(
        folder / f"{name}.csv", keep_default_na=False, na_values=[""], dtype=codes_as_text
    )


@pytest.fixture(scope="module")
def tables(demo) -> dict[str, pd.DataFrame]:
    return {path.stem: read(demo, path.stem) for path in demo.glob("*.csv")}


@pytest.fixture(scope="module")
def long_answers(tables) -> pd.DataFrame:
    """One row per respondent per item: ``year``, ``item_id``, ``code``, ``positive``."""
    responses, questionnaire = tables["responses"], tables["questionnaire"]
    parts = []
    for year, items in questionnaire.groupby("year"):
        rows = responses[responses["year"] == year]
        melted = rows.melt(
            id_vars=["respondent_id", "year", "directorate", "staff_group", "team_id"],
            value_vars=list(items["column"]),
            var_name="column",
            value_name="code",
        )
        parts.append(melted.merge(items, on=["year", "column"]))
    answers = pd.concat(parts, ignore_index=True).dropna(subset=["code"])
    code = answers["code"].astype(int).astype(str)

    def listed(column: str) -> np.ndarray:
        lists = answers[column].fillna("").astype(str).str.split(";")
        return np.array([c in codes for c, codes in zip(code, lists, strict=True)])

    answers = answers.assign(positive=listed("positive_codes"))
    return answers[~listed("excluded_codes")]


def percent_positive(answers: pd.DataFrame) -> float:
    return 100 * answers["positive"].mean()


def did(answers: pd.DataFrame, treated: pd.Series, post: pd.Series) -> float:
    """Difference-in-differences of pooled % positive, in points."""
    return (
        percent_positive(answers[treated & post])
        - percent_positive(answers[treated & ~post])
        - percent_positive(answers[~treated & post])
        + percent_positive(answers[~treated & ~post])
    )


# --- files, determinism, contract ----------------------------------------------------------


def checksums(folder: Path) -> dict[str, str]:
    files = sorted(path for path in folder.iterdir() if path.is_file())
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def test_second_run_is_byte_identical_and_leaves_other_files_alone(demo, tmp_path):
    # The fixture wrote into a folder that did not exist; this run writes into one that does.
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "my_notes.txt").write_text("keep me", encoding="utf-8")
    assert write_demo(str(folder)) == folder
    assert (folder / "my_notes.txt").read_text(encoding="utf-8") == "keep me"
    again = checksums(folder)
    del again["my_notes.txt"]
    assert again == checksums(demo)


def test_the_committed_demo_is_what_the_generator_writes(demo):
    # data/demo is what notebooks opened in JupyterLab read (their default data_dir); the
    # suite's demo run reads a freshly written copy: the two must be the same files.
    # (Files a user added to data/demo, such as codings from the widget, are not compared.)
    committed = Path(__file__).resolve().parents[1] / "data" / "demo"
    written, there = checksums(demo), checksums(committed)
    assert {name: there.get(name) for name in written} == written


def test_refuses_a_file_as_the_folder(tmp_path):
    target = tmp_path / "a_file"
    target.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="not a folder"):
        write_demo(target)


def test_files_are_utf8_with_newline_line_ends(demo):
    for path in demo.iterdir():
        data = path.read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, path.name
        assert data.endswith(b"\n"), path.name


def documented_columns() -> dict[str, list[str]]:
    """Table -> column names, read from the column tables of docs/data-package.md.

    A row such as "each of `group_columns`" stands for several columns; it is kept as one
    placeholder (only ``responses`` has such rows, and it is checked separately).
    """
    columns: dict[str, list[str]] = {}
    table = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = re.match(r"#{2,3} `(\w+)`", line)  # a table: "### `staff`: ..."
            table = heading.group(1) if heading else None
            if table:
                columns[table] = []
            continue
        if table is None or not line.startswith("| ") or line.startswith(("| column", "| ---")):
            continue
        first_cell = line.split("|")[1].strip()
        if first_cell.startswith("each"):
            columns[table].append(f"<{first_cell}>")
        else:
            columns[table] += re.findall(r"`(\w+)`", first_cell)
    return {name: names for name, names in columns.items() if names}


def test_every_documented_table_exists_with_exactly_the_documented_columns(demo, tables):
    description = yaml.safe_load((demo / "dataset.yml").read_text(encoding="utf-8"))
    documented = documented_columns()
    assert len(documented) >= 16  # the parser found the tables
    for name, names in documented.items():
        if name == "quotes_approved":  # read only with `quotes: approved_only`; the demo quotes all
            continue
        assert name in tables, f"{name}.csv is missing"
        if name == "responses":
            item_columns = set(tables["questionnaire"]["column"])
            expected = ["respondent_id", "year", *description["group_columns"], "team_id"]
            assert list(tables[name].columns[: len(expected)]) == expected
            assert set(tables[name].columns[len(expected) :]) == item_columns
        else:
            assert list(tables[name].columns) == names, name


def test_dataset_description(demo, tables):
    description = yaml.safe_load((demo / "dataset.yml").read_text(encoding="utf-8"))
    assert description["organisation"] == {"name": "Northfield Primary Care Trust", "code": "5NF"}
    assert description["survey_years"] == [2003, 2004, 2005, 2006, 2007, 2008]
    assert description["minimum_group_size"] == MINIMUM
    for table in tables.values():
        for column in ("year", "survey_year"):
            if column in table:
                assert set(table[column]) <= set(description["survey_years"])


def test_codebook_and_codings(demo, tables):
    themes = yaml.safe_load((demo / "codebook.yml").read_text(encoding="utf-8"))
    codes = [code for theme in themes for code in theme["codes"]]
    assert 6 <= len(themes) <= 10 and 25 <= len(codes) <= 35
    keys = {"id", "label", "definition", "when_to_use", "when_not_to_use", "examples", "keywords"}
    links = {"survey_themes", "survey_items"}  # optional: the code's link to the numbers
    assert all(
        keys <= set(code) <= keys | links and code["examples"] and code["keywords"]
        for code in codes
    )
    # every code but car parking says which survey themes or items it speaks to
    unlinked = [code["id"] for code in codes if not links & set(code)]
    assert unlinked == ["car_parking"]
    codings = tables["codings"]
    assert set(codings["coder"]) == {"researcher", "supervisor"}
    # the researcher codes every comment; the supervisor second-codes a sample of 300
    coders_per_comment = codings.groupby("comment_id")["coder"].nunique()
    assert set(codings["comment_id"]) == set(tables["comments"]["comment_id"])
    assert (coders_per_comment == 2).sum() == 300
    assert set(codings["code_id"].dropna()) <= {code["id"] for code in codes}
    assert codings["code_id"].isna().any()  # a coder who applied no code left a blank row
    assert set(codings["comment_id"]) <= set(tables["comments"]["comment_id"])


# --- realism ----------------------------------------------------------------------------------


def test_workforce_size_and_structure(tables):
    staff, teams = tables["staff"], tables["teams"]
    headcount = staff.groupby("year")["headcount"].sum()
    assert headcount.between(900, 1100).all()
    assert staff["directorate"].nunique() == 6
    assert 6 <= staff["staff_group"].nunique() <= 8
    assert 35 <= len(teams) <= 45
    staff_list = tables["staff_list"]
    assert staff_list["staff_id"].str.fullmatch(r"S\d{4}").all()
    by_cell = staff_list.merge(teams, on="team_id").groupby(["directorate", "staff_group"]).size()
    latest = staff[staff["year"] == 2008].set_index(["directorate", "staff_group"])["headcount"]
    assert by_cell.sort_index().equals(latest.sort_index().rename(None))


def test_respondents_never_exceed_headcount(tables):
    respondents = tables["responses"].groupby(["year", "directorate", "staff_group"]).size()
    headcount = tables["staff"].set_index(["year", "directorate", "staff_group"])["headcount"]
    assert (respondents <= headcount.reindex(respondents.index)).all()
    assert set(tables["responses"]["team_id"]) <= set(tables["teams"]["team_id"])


def test_response_rates(tables):
    respondents = tables["responses"].groupby("year").size()
    headcount = tables["staff"].groupby("year")["headcount"].sum()
    assert (respondents / headcount).between(0.45, 0.65).all()
    by_group = (
        tables["responses"].groupby(["year", "staff_group"]).size()
        / tables["staff"].groupby(["year", "staff_group"])["headcount"].sum()
    ).unstack()
    assert ((by_group.max(axis=1) - by_group.min(axis=1)) > 0.15).all()


def test_items_per_year_and_codes_within_scales(tables):
    questionnaire, scales, responses = (
        tables["questionnaire"],
        tables["scales"],
        tables["responses"],
    )
    assert questionnaire.groupby("year").size().between(40, 60).all()
    codes = scales.groupby("scale_id")["code"].apply(set)
    for item in questionnaire.itertuples(index=False):
        answered = responses.loc[responses["year"] == item.year, item.column].dropna()
        assert set(answered.astype(int)) <= codes[item.scale_id], (item.year, item.item_id)
    asked = questionnaire.groupby("year")["column"].apply(set)
    for year, columns in asked.items():
        not_asked = sorted(set(questionnaire["column"]) - columns)
        assert responses.loc[responses["year"] == year, not_asked].isna().all().all()
    # Some blanks and some "don't know" answers among asked items.
    assert (responses[list(asked[2008])][responses["year"] == 2008] == 9).any().any()


def test_comments_from_a_quarter_to_two_fifths_of_respondents(tables):
    comments, responses = tables["comments"], tables["responses"]
    share = comments.groupby("year")["respondent_id"].nunique() / responses.groupby("year").size()
    assert share.between(0.25, 0.40).all()
    keys = set(zip(responses["year"], responses["respondent_id"], strict=True))
    assert set(zip(comments["year"], comments["respondent_id"], strict=True)) <= keys
    assert comments["comment_id"].is_unique
    assert comments["question"].nunique() == 2


def test_some_groups_have_fewer_than_the_minimum_respondents(tables):
    small = []
    for column in ("staff_group", "age_band", "ethnicity", "disability"):
        counts = tables["responses"].groupby(["year", column]).size()
        small += [key for key, count in counts.items() if count < MINIMUM]
    assert small


def identifier_rows(demo) -> list[tuple[str, str, str]]:
    text = (demo / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (C\d{5}) \| (\w+) \| (.+?) \|$", text, flags=re.MULTILINE)


PATTERNS = {
    "phone": r"\b0\d{3,4} ?\d{6}\b",
    "email": r"[\w.]+@[\w.-]+",
    "nhs_number": r"\b\d{3} \d{3} \d{4}\b",
    "postcode": r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b",
}


def test_listed_comments_hold_their_identifiers_and_no_others_do(demo, tables):
    rows = identifier_rows(demo)
    comments = tables["comments"].set_index("comment_id")["text"]
    assert {kind for _, kind, _ in rows} == {"name", "phone", "email", "nhs_number", "postcode"}
    assert 0.005 <= len(rows) / len(comments) <= 0.02
    for comment_id, kind, value in rows:
        assert value in comments[comment_id]
        if kind == "nhs_number":
            digits = value.replace(" ", "")
            assert nhs_number_check_digit(digits[:9]) == int(digits[9])
    listed = {comment_id for comment_id, _, _ in rows}
    for kind, pattern in PATTERNS.items():
        found = set(comments.index[comments.str.contains(pattern, regex=True)])
        expected = {cid for cid, k, _ in rows if k == kind}
        assert found == expected, kind
        assert found <= listed


# --- planted effects ----------------------------------------------------------------------


def test_appraisal_action_plan_difference_in_differences(long_answers, tables):
    had = long_answers[long_answers["item_id"] == "appraisal_had"]
    treated = had["directorate"].isin(effects.APPRAISAL_TARGETED)
    estimate = did(had, treated, had["year"] >= 2006)
    design = 100 * (effects.APPRAISAL_SURVEY_RISE - effects.APPRAISAL_SURVEY_RISE_ELSEWHERE)
    assert abs(estimate - design) < 5
    values = tables["indicator_values"].merge(tables["teams"], on="team_id")
    completion = values[
        (values["indicator_id"] == "appraisal_completion")
        & values["directorate"].isin(effects.APPRAISAL_TARGETED)
    ]
    after = completion["month"] >= effects.APPRAISAL_STEP_MONTH
    rates = [
        completion[mask]["numerator"].sum() / completion[mask]["denominator"].sum()
        for mask in (~after, after)
    ]
    assert rates[0] == pytest.approx(effects.APPRAISAL_COMPLETION_BEFORE, abs=0.03)
    assert rates[1] == pytest.approx(effects.APPRAISAL_COMPLETION_AFTER, abs=0.03)


def test_manager_course_ratings_and_teams(long_answers, tables):
    evaluations = tables["training_evaluations"]
    course = evaluations[evaluations["course_id"] == effects.MANAGER_COURSE_ID]
    means = course.groupby("timepoint")["score"].mean()
    assert means["post"] - means["pre"] == pytest.approx(effects.COURSE_POST_GAIN, abs=0.25)
    assert means["follow_up"] - means["pre"] == pytest.approx(
        effects.COURSE_FOLLOW_UP_GAIN, abs=0.25
    )
    assert set(evaluations["participant_id"]) <= set(tables["staff_list"]["staff_id"])
    trained_2006 = set(course.loc[course["cohort"].str.startswith("2006"), "team_id"])
    never = set(tables["teams"]["team_id"]) - set(course["team_id"])
    manager = long_answers[long_answers["item_id"].isin(effects.MANAGER_ITEMS)]
    manager = manager[manager["team_id"].isin(trained_2006 | never)]
    estimate = did(manager, manager["team_id"].isin(trained_2006), manager["year"] >= 2007)
    assert abs(estimate - effects.MANAGER_COURSE_TARGET_PP) < 5


def xmr_upper_limit(values: np.ndarray) -> float:
    """XmR upper process limit: mean + 2.66 x mean moving range (NHS 'Making Data Count')."""
    return values.mean() + 2.66 * np.abs(np.diff(values)).mean()


def test_sickness_shift_and_complaints_outlier(tables):
    values = tables["indicator_values"].merge(tables["teams"], on="team_id")
    sickness = values[values["indicator_id"] == "sickness_absence"]
    in_cn = sickness["directorate"] == effects.SICKNESS_SHIFT_DIRECTORATE
    monthly = sickness[in_cn].groupby("month")[["numerator", "denominator"]].sum()
    rate = monthly["numerator"] / monthly["denominator"]
    after = rate.index >= effects.SICKNESS_SHIFT_MONTH
    others = sickness[~in_cn].groupby("month")[["numerator", "denominator"]].sum()
    other_rate = others["numerator"] / others["denominator"]
    shift = (rate[after].mean() - rate[~after].mean()) - (
        other_rate[after].mean() - other_rate[~after].mean()
    )
    assert shift == pytest.approx(effects.SICKNESS_SHIFT, abs=0.003)
    # SPC shift rule: a run of at least 7 points above the pre-shift centre line.
    above = (rate[after] > rate[~after].mean()).to_numpy()
    longest = max(len(run) for run in "".join("x" if a else " " for a in above).split())
    assert longest >= 7
    assert 0.035 < rate[~after].mean() < 0.06
    team, month, count = effects.COMPLAINTS_SPIKE
    complaints = values[(values["indicator_id"] == "complaints") & (values["team_id"] == team)]
    complaints = complaints.set_index("month")["numerator"]
    assert complaints[month] == count
    assert count > xmr_upper_limit(complaints.drop(month).to_numpy())
    assert values.loc[values["indicator_id"] == "complaints", "denominator"].isna().all()


def test_indicator_coverage(tables):
    values, teams = tables["indicator_values"], tables["teams"]
    assert not values.duplicated(["indicator_id", "team_id", "month"]).any()
    months = values["month"].unique()
    assert len(months) == 72 and months.min() == "2003-01" and months.max() == "2008-12"
    contacts = values[values["indicator_id"] == "patient_contacts_per_wte"]["team_id"].nunique()
    assert 0 < contacts < len(teams)
    assert (values["numerator"] >= 0).all()
    assert (values["denominator"].dropna() > 0).all()


def test_work_pressure_worsens_in_community_nursing(long_answers):
    item = long_answers[long_answers["item_id"] == "pressure_conflicting_demands"]
    in_cn = item["directorate"] == "Community Nursing"
    slopes = []
    for group in (in_cn, ~in_cn):
        yearly = item[group].groupby("year")["positive"].mean() * 100
        slopes.append(np.polyfit(yearly.index, yearly.to_numpy(), 1)[0])
    assert slopes[0] < -1.5  # points per year
    assert abs(slopes[1]) < 1.0


def test_trust_against_its_comparators(tables, long_answers):
    comparators = tables["comparators"]
    comparators = comparators.assign(share=comparators["n_positive"] / comparators["n"])
    trust = comparators[comparators["organisation_code"] == "5NF"].set_index(["item_id", "year"])
    others = comparators[comparators["organisation_code"] != "5NF"]
    assert others["organisation_code"].nunique() == 25
    # The trust's own rows are its unweighted counts.
    counts = long_answers.groupby(["item_id", "year"])["positive"].agg(["size", "sum"])
    assert (trust["n"] == counts["size"].reindex(trust.index)).all()
    assert (trust["n_positive"] == counts["sum"].reindex(trust.index)).all()

    def group(item_id: str, year: int) -> pd.Series:
        return others[(others["item_id"] == item_id) & (others["year"] == year)]["share"]

    gap = (
        group(effects.BULLYING_ITEM, 2008).mean()
        - trust.loc[(effects.BULLYING_ITEM, 2008), "share"]
    )
    assert gap == pytest.approx(effects.BULLYING_GAP_2008, abs=0.02)
    assert trust.loc[effects.BEST_ITEM, "share"] > group(*effects.BEST_ITEM).max()
    for key in effects.WORST_ITEMS:
        assert trust.loc[key, "share"] < group(*key).min()
    ranks = [
        (group(item_id, year) > share).mean() for (item_id, year), share in trust["share"].items()
    ]
    assert 0.2 < np.mean(ranks) < 0.8  # elsewhere the trust sits in the middle of the pack


def test_weighting_to_the_staff_profile_moves_job_satisfaction(long_answers, tables):
    satisfaction = long_answers[long_answers["theme"] == "Job satisfaction"]
    cells = ["year", "directorate", "staff_group"]
    respondents = tables["responses"].groupby(cells).size().rename("respondents")
    weights = tables["staff"].set_index(cells)["headcount"] / respondents
    satisfaction = satisfaction.join(weights.rename("weight"), on=cells)
    differences = []
    for _, part in satisfaction.groupby("year"):
        unweighted = part["positive"].mean()
        weighted = np.average(part["positive"], weights=part["weight"])
        differences.append(100 * (unweighted - weighted))
    assert max(differences) >= 2


def test_questionnaire_changes(tables):
    questionnaire = tables["questionnaire"]
    first_year = questionnaire.groupby("item_id")["year"].min()
    assert (first_year == 2006).sum() >= 2
    in_2006 = questionnaire[questionnaire["year"] == 2006].set_index("item_id")
    new_in_2006 = first_year[first_year == 2006].index
    assert not in_2006.loc[new_in_2006, "comparable_with_previous"].any()
    reworded = in_2006[~in_2006["comparable_with_previous"] & ~in_2006.index.isin(new_in_2006)]
    assert len(reworded) >= 1
    for item_id in reworded.index:
        wordings = questionnaire[questionnaire["item_id"] == item_id].set_index("year")["wording"]
        assert wordings[2006] != wordings[2005]
    columns = questionnaire.groupby("item_id")["column"].nunique()
    assert (columns > 1).sum() >= 10
    assert (
        first_year.index.isin(questionnaire[questionnaire["year"] == 2008]["item_id"])
    ).sum() < len(first_year)


IT_WORDS = r"\b(?:IT|computers?|laptops?|new system|electronic|EPR|network|helpdesk|log on)\b"


def test_more_comments_about_it_systems_in_2007(tables):
    comments = tables["comments"]
    about_it = comments["text"].str.contains(IT_WORDS, regex=True)
    share = about_it.groupby(comments["year"]).mean()
    assert share[effects.IT_SYSTEM_YEAR] > 2 * share[[2003, 2004, 2005, 2006]].mean()


def cronbach_alpha(items: pd.DataFrame) -> float:
    items = items.dropna()
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def theme_scores(long_answers: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """Respondent x item scores (1-5 items, reversed where needed) and each item's theme."""
    part = long_answers[(long_answers["year"] == year) & long_answers["scale_id"].str.endswith("5")]
    score = np.where(part["reverse_scored"], 6 - part["code"], part["code"])
    return part.assign(score=score).pivot_table(
        index="respondent_id", columns="item_id", values="score"
    ), part.drop_duplicates("item_id").set_index("item_id")["theme"]


def test_themes_hang_together(long_answers):
    scores, theme_of = theme_scores(long_answers, 2008)
    for theme in (
        "Support from immediate manager",
        "Job satisfaction",
        "Work pressure",
        "Communication and involvement",
        "Staff engagement",
    ):
        items = theme_of[theme_of == theme].index
        assert 0.7 <= cronbach_alpha(scores[items]) <= 0.92, theme


def test_key_drivers_of_job_satisfaction_are_manager_support_and_work_pressure(long_answers):
    scores, theme_of = theme_scores(long_answers, 2008)
    by_theme = scores.T.groupby(theme_of).mean().T.dropna()
    outcome = by_theme.pop("Job satisfaction")
    drivers = by_theme.drop(columns=["Staff engagement"])
    z = (drivers - drivers.mean()) / drivers.std()
    design = np.column_stack([np.ones(len(z)), z.to_numpy()])
    coefficients = np.linalg.lstsq(design, (outcome - outcome.mean()) / outcome.std(), rcond=None)[
        0
    ]
    ranked = pd.Series(coefficients[1:], index=drivers.columns).sort_values(ascending=False)
    assert set(ranked.index[:2]) == {"Support from immediate manager", "Work pressure"}


def kappa(first: np.ndarray, second: np.ndarray) -> float:
    """Cohen's kappa of two binary ratings."""
    observed = (first == second).mean()
    expected = first.mean() * second.mean() + (1 - first.mean()) * (1 - second.mean())
    return (observed - expected) / (1 - expected)


def test_coders_mostly_agree(tables):
    double_coded = tables["codings"].groupby("comment_id")["coder"].transform("nunique") == 2
    codings = tables["codings"][double_coded].dropna()
    applied = pd.crosstab([codings["comment_id"], codings["code_id"]], codings["coder"]) > 0
    comments = tables["codings"][double_coded]["comment_id"].unique()
    values = []
    for _, table in applied.groupby(level="code_id"):
        table = table.droplevel("code_id").reindex(comments, fill_value=False)
        if table.sum().min() >= 12:
            values.append(kappa(table["researcher"].to_numpy(), table["supervisor"].to_numpy()))
    assert len(values) >= 6
    assert 0.6 <= np.median(values) <= 0.85
    assert min(values) > 0.4 and max(values) < 0.95


def test_cross_table_references_hold(tables):
    questionnaire, teams = tables["questionnaire"], tables["teams"]
    staff_list, roles = tables["staff_list"], tables["role_profiles"]
    theme_of = questionnaire.drop_duplicates("item_id").set_index("item_id")["theme"]
    plans = tables["action_plans"]
    assert plans.groupby("survey_year").size().between(3, 6).all()
    assert set(plans["status"]) <= {"planned", "in progress", "done", "dropped"}
    assert set(plans["directorate"]) <= set(teams["directorate"]) | {"All"}
    assert (plans["theme"] == plans["item_id"].map(theme_of)).all()
    assert (plans["start_date"] < plans["due_date"]).all()
    indicator_ids = set(tables["indicator_values"]["indicator_id"])
    assert set(plans["indicator_id"].dropna()) <= indicator_ids

    comparators = tables["comparators"]
    asked = set(zip(questionnaire["year"], questionnaire["item_id"], strict=True))
    assert set(zip(comparators["year"], comparators["item_id"], strict=True)) == asked
    assert (comparators["n_positive"] <= comparators["n"]).all()

    role_group = roles.set_index("role_id")["staff_group"]
    assert (staff_list["role_id"].map(role_group) == staff_list["staff_group"]).all()
    evaluations = tables["training_evaluations"]
    team_of = staff_list.set_index("staff_id")["team_id"]
    assert (evaluations["participant_id"].map(team_of) == evaluations["team_id"]).all()
    assert evaluations["score"].between(1, 5).all()

    appraisals = tables["appraisals"]
    assert not appraisals.duplicated(["staff_id", "review_date"]).any()
    assert set(appraisals["staff_id"]) <= set(staff_list["staff_id"])
    reviews = set(zip(appraisals["staff_id"], appraisals["review_date"], strict=True))
    for name in ("appraisal_objectives", "appraisal_skills"):
        table = tables[name]
        assert set(zip(table["staff_id"], table["review_date"], strict=True)) <= reviews
    linked = set(tables["appraisal_objectives"]["linked_to"])
    assert linked <= indicator_ids | {"O1", "O2", "O3"}  # the objectives of indicators.yml
    skills = tables["appraisal_skills"]
    assert skills[["required_level", "assessed_level"]].stack().between(1, 4).all()
    assert skills["ksf_dimension"].nunique() == 6
