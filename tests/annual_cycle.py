"""Build the demo's next survey year, 2009, the way ``docs/annual-cycle.md`` says to by hand.

``add_survey_files`` does step 1 of the routine, the contractor's files only: 2009 rows in
``questionnaire``, ``responses``, ``staff`` and ``comments``, and 2009 in ``survey_years``.
The 2009 respondents are 2008's rows drawn again with replacement (a fixed seed) under new
respondent ids; the questionnaire, the staff counts and the comments are 2008's, re-dated.
``add_rest_of_year`` does the later steps: comparators' results (2008's, re-dated),
comparator profile, indicator months to
2009-12, codings of the 2009 comments, 2008's appraisals a year later and the action plan
made on 2008's findings (2007's plan, re-dated).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

NEW_YEAR = 2009
LAST_YEAR = 2008


def copy_package(source: Path, target: Path) -> Path:
    """Copy a data package folder (the demo's is shared by the session: never edit it)."""
    shutil.copytree(source, target)
    return target


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _append(folder: Path, name: str, rows: pd.DataFrame) -> None:
    table = _read(folder, name)
    pd.concat([table, rows[table.columns]], ignore_index=True).to_csv(
        folder / f"{name}.csv", index=False
    )


def add_survey_files(folder: Path, seed: int = 2009) -> None:
    """Add 2009's survey files (questionnaire, responses, staff, comments) to a demo copy."""
    questionnaire = _read(folder, "questionnaire")
    new_items = questionnaire[questionnaire["year"] == str(LAST_YEAR)].assign(year=str(NEW_YEAR))
    new_items["comparable_with_previous"] = "true"
    _append(folder, "questionnaire", new_items)

    responses = _read(folder, "responses")
    last = responses[responses["year"] == str(LAST_YEAR)].reset_index(drop=True)
    rows = np.random.default_rng(seed).integers(0, len(last), size=len(last))
    new_responses = last.iloc[rows].reset_index(drop=True)
    old_ids = new_responses["respondent_id"].tolist()
    new_ids = [f"{NEW_YEAR}-{number:04d}" for number in range(1, len(new_responses) + 1)]
    new_responses["respondent_id"] = new_ids
    new_responses["year"] = str(NEW_YEAR)
    _append(folder, "responses", new_responses)

    staff = _read(folder, "staff")
    _append(folder, "staff", staff[staff["year"] == str(LAST_YEAR)].assign(year=str(NEW_YEAR)))

    comments = _read(folder, "comments")
    last_comments = comments[comments["year"] == str(LAST_YEAR)]
    first_new_id = {old: new for new, old in reversed(list(zip(new_ids, old_ids, strict=True)))}
    new_comments = last_comments[last_comments["respondent_id"].isin(first_new_id)].copy()
    new_comments["respondent_id"] = new_comments["respondent_id"].map(first_new_id)
    new_comments["year"] = str(NEW_YEAR)
    numbers = [int(re.sub(r"\D", "", cid)) for cid in comments["comment_id"]]
    start = max(numbers) + 1
    new_comments["comment_id"] = [f"C{start + i:05d}" for i in range(len(new_comments))]
    _append(folder, "comments", new_comments)

    dataset = (folder / "dataset.yml").read_text(encoding="utf-8")
    years = re.search(r"survey_years: \[([^\]]*)\]", dataset)
    assert years is not None, "the demo's dataset.yml lists survey_years on one line"
    dataset = dataset.replace(years.group(0), f"survey_years: [{years.group(1)}, {NEW_YEAR}]")
    (folder / "dataset.yml").write_text(dataset, encoding="utf-8")


def add_rest_of_year(folder: Path) -> None:
    """Add the rest of 2009: comparators, profile, months, codings, appraisals, action plan."""
    comparators = _read(folder, "comparators")
    last_results = comparators[comparators["year"] == str(LAST_YEAR)]
    _append(folder, "comparators", last_results.assign(year=str(NEW_YEAR)))

    profile = _read(folder, "comparator_profile")
    _append(
        folder,
        "comparator_profile",
        profile[profile["year"] == str(LAST_YEAR)].assign(year=str(NEW_YEAR)),
    )

    values = _read(folder, "indicator_values")
    last = values[values["month"].str.startswith(str(LAST_YEAR))]
    new_values = last.assign(month=last["month"].str.replace(str(LAST_YEAR), str(NEW_YEAR)))
    _append(folder, "indicator_values", new_values)

    comments = _read(folder, "comments")
    codings = _read(folder, "codings")
    by_text = dict(
        zip(
            comments.loc[comments["year"] == str(LAST_YEAR), "text"],
            comments.loc[comments["year"] == str(LAST_YEAR), "comment_id"],
            strict=True,
        )
    )
    new_comments = comments[comments["year"] == str(NEW_YEAR)]
    new_codings = []
    for comment_id, text in zip(new_comments["comment_id"], new_comments["text"], strict=True):
        earlier = codings[codings["comment_id"] == by_text[text]]
        new_codings.append(earlier.assign(comment_id=comment_id))
    _append(folder, "codings", pd.concat(new_codings, ignore_index=True))

    for name in ("appraisals", "appraisal_objectives", "appraisal_skills"):
        table = _read(folder, name)
        last = table[table["review_date"].str.startswith(str(LAST_YEAR))].copy()
        dates = pd.to_datetime(last["review_date"]) + pd.DateOffset(years=1)
        last["review_date"] = dates.dt.strftime("%Y-%m-%d")
        _append(folder, name, last)

    plans = _read(folder, "action_plans")
    last_plans = plans[plans["survey_year"] == str(2007)].copy()
    last_plans["survey_year"] = str(LAST_YEAR)
    last_plans["action_id"] = [f"AP{LAST_YEAR}-{i}" for i in range(1, len(last_plans) + 1)]
    for column in ("start_date", "due_date"):
        dates = pd.to_datetime(last_plans[column]) + pd.DateOffset(years=1)
        last_plans[column] = dates.dt.strftime("%Y-%m-%d")
    last_plans["status"] = "in progress"
    _append(folder, "action_plans", last_plans)
