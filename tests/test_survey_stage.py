"""The survey stage's gated tables and report views (analysis.survey.stage)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.datapackage import load_data_package
from analysis.disclosure.marks import mark_gated
from analysis.publishing import StageOutput
from analysis.survey.stage import (
    answer_distribution,
    changes_since_previous_year,
    item_labels,
    publication_metadata,
    published_rows,
    stage_tables,
    trend_series,
)
from analysis.survey.tables import weighted_side_by_side
from demo_generator.effects import APPRAISAL_TARGETED, BEST_ITEM, WORST_ITEMS

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def _questionnaire() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2008, 2008],
            "item_id": ["pressure", "appraisal"],
            "column": ["q1", "q2"],
            "question_number": ["Q1", "Q2"],
            "wording": ["I face unrealistic time pressures at work.", "Did you have one?"],
            "theme": ["Work pressure", "Appraisal"],
            "scale_id": ["agree5", "yes_no_dk"],
            "positive_codes": [(1, 2), (1,)],
            "excluded_codes": [(), (9,)],
            "comparable_with_previous": [True, True],
        }
    )


def _scales() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scale_id": ["agree5"] * 5 + ["yes_no_dk"] * 3,
            "code": [1, 2, 3, 4, 5, 1, 2, 9],
            "label": ["SD", "D", "N", "A", "SA", "Yes", "No", "Don't know"],
        }
    )


def test_answer_distribution_by_hand() -> None:
    # q1 (reverse scored: disagreeing is positive): codes 1,1,2,3,5,<blank> -> n = 5;
    # code 1 = 2/5 = 40%, 2 = 20%, 3 = 20%, 4 = 0%, 5 = 20%; percent positive 40 + 20 = 60.
    # q2: Yes, Yes, No, Don't know, Don't know, blank -> n = 3 valid, 5 answered;
    # Yes = 2/3 = 66.7%, No = 33.3%, Don't know = 2/5 = 40% of all answers.
    responses = pd.DataFrame(
        {
            "year": [2008] * 6,
            "q1": pd.array([1, 1, 2, 3, 5, None], dtype="Int64"),
            "q2": pd.array([1, 1, 2, 9, 9, None], dtype="Int64"),
        }
    )
    table = answer_distribution(responses, _questionnaire(), _scales(), 2008)
    q1 = table[table["item_id"] == "pressure"].set_index("code")
    assert q1["percent"].tolist() == pytest.approx([40, 20, 20, 0, 20])
    assert (q1["n"] == 5).all() and (q1["answered"] == 5).all()
    # Reverse scored: strongly disagree (1) is the most positive answer.
    assert q1["answer_position"].tolist() == [2, 1, 0, -1, -2]
    q2 = table[table["item_id"] == "appraisal"].set_index("code")
    assert q2.loc[[1, 2], "percent"].tolist() == pytest.approx([200 / 3, 100 / 3])
    assert q2.loc[9, "percent"] == pytest.approx(40)
    assert q2["answer_position"].tolist()[:2] == [1, -1]
    assert pd.isna(q2.loc[9, "answer_position"])
    assert (q2["n"] == 3).all() and (q2["answered"] == 5).all()


def test_answer_distribution_rejects_a_year_without_items() -> None:
    with pytest.raises(ValueError, match="no items in 2003"):
        answer_distribution(pd.DataFrame({"year": []}), _questionnaire(), _scales(), 2003)


def test_trend_series_restarts_at_a_rewording() -> None:
    questionnaire = pd.DataFrame(
        {
            "year": [2005, 2006, 2007, 2008],
            "item_id": ["x"] * 4,
            "comparable_with_previous": [False, True, False, True],
        }
    )
    scores = pd.DataFrame({"year": [2005, 2006, 2007, 2008], "item_id": ["x"] * 4})
    assert trend_series(scores, questionnaire)["series"].tolist() == [1, 1, 2, 2]


def test_changes_since_previous_year_picks_the_organisation_and_last_survey() -> None:
    changes = pd.DataFrame(
        {
            "group_type": ["organisation", "organisation", "directorate", "organisation"],
            "year": [2008, 2008, 2008, 2008],
            "base_year": [2007, 2003, 2007, 2007],
            "item_id": ["a", "a", "a", "b"],
            "diff_pp": [1.0, 5.0, 9.0, 4.0],
        }
    )
    chosen = changes_since_previous_year(changes, 2008, [2003, 2007, 2008])
    assert chosen["item_id"].tolist() == ["b", "a"]
    assert changes_since_previous_year(changes, 2003, [2003, 2007, 2008]).empty


def test_item_labels_shorten_long_wording() -> None:
    labels = item_labels(_questionnaire(), 2008, width=20)
    assert labels["item"].tolist() == ["Q1 I face...", "Q2 Did you have one?"]


def test_item_labels_never_cut_two_questions_alike() -> None:
    # Q14b and Q14c (NHS Staff Survey) share their opening words; cut at 60 characters both
    # would read "In the last 12 months, have you experienced...". Their ends tell them apart.
    questionnaire = pd.DataFrame(
        {
            "year": [2008, 2008],
            "item_id": ["b", "c"],
            "question_number": ["Q14b", "Q14c"],
            "wording": [
                "In the last 12 months, have you experienced harassment, bullying or abuse "
                "from patients or their relatives?",
                "In the last 12 months, have you experienced harassment, bullying or abuse "
                "from managers?",
            ],
            "theme": ["t", "t"],
        }
    )
    labels = item_labels(questionnaire, 2008, width=60)
    assert labels["item"].nunique() == 2
    assert labels["item"].str.endswith(("relatives?", "managers?")).all()
    assert labels["question"].tolist() == [
        "Q14b " + questionnaire["wording"][0],
        "Q14c " + questionnaire["wording"][1],
    ]


def test_published_rows_leave_p_values_to_the_presentation_rules(tmp_path) -> None:
    # The issue: p = 0.033 rounded to 1 decimal read "0" in "Change since last year".
    changes = pd.DataFrame(
        {"item_id": ["a", "b"], "diff_pp": [4.0, -5.0], "p_value": [0.033, 0.00002]}
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        changes, "changes", title="t", disclosure="not person-level: test"
    )
    html = published_rows(published, [True, True])._repr_html_()
    assert ">0.0330<" in html and ">&lt; 0.001<" in html


def test_publication_metadata_names_the_gate_structure() -> None:
    grouped = publication_metadata("item_scores", pd.DataFrame())
    assert grouped == {
        "count": "n",
        "dimensions": ("group",),
        "for_each": ("year", "item_id", "group_type"),
        "labels": (),
        "universe": "survey responses",
        "weights": {},
    }
    weighted = publication_metadata("item_scores", pd.DataFrame(columns=["pct_positive_weighted"]))
    assert weighted["weights"]["columns"] == ["pct_positive_weighted"]
    assert weighted["weights"]["classes"] == ["staff_group"]
    derived = publication_metadata(
        "changes_weighted", pd.DataFrame(columns=["item_id", "group_type", "group", "year"])
    )
    assert derived["count"] is None and derived["labels"] == (
        "item_id",
        "group_type",
        "group",
        "year",
    )
    with pytest.raises(ValueError, match="unknown survey table"):
        publication_metadata("scores", pd.DataFrame())


def test_published_rows_keep_hidden_cells_hidden(tmp_path) -> None:
    table = pd.DataFrame(
        {
            "item_id": ["a", "b", "c"],
            "n": pd.array([20, None, 30], dtype="Int64"),
            "pct": [50.0, None, 70.0],
            "suppressed": [False, True, False],
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        mark_gated(table, "survey"), "t", title="t", count="n", for_each=["item_id"], gated=True
    )
    labels = pd.DataFrame({"item_id": ["a", "b"], "wording": ["A?", "B?"]})
    view = published_rows(published, table["item_id"] != "c", ["wording", "n", "pct"], labels)
    html = view._repr_html_()
    assert "A?" in html and "[c]" in html and "70" not in html
    with pytest.raises(ValueError, match="not in the published table"):
        published_rows(published, table["n"].notna(), ["nope"])


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, pd.DataFrame]:
    return stage_tables(load_data_package(DEMO), 2008)


@pytest.mark.slow
def test_stage_tables_are_all_gated_and_reject_bad_input(demo_tables) -> None:
    assert {"item_scores", "changes", "benchmark", "drivers", "reliability"} <= set(demo_tables)
    for table in demo_tables.values():
        assert "suppressed" in table.columns
    scores = demo_tables["item_scores"]
    # No shown row rests on fewer than 11 valid answers (README: Medical and Dental had 7
    # respondents in 2008, so it must be hidden).
    assert (scores.loc[~scores["suppressed"], "n"] >= 11).all()
    medical = scores[(scores["group"] == "Medical and Dental") & (scores["year"] == 2008)]
    assert medical["suppressed"].all() and medical["pct_positive"].isna().all()
    package = load_data_package(DEMO)
    with pytest.raises(ValueError, match="not a survey year"):
        stage_tables(package, 2002)
    with pytest.raises(ValueError, match="adjust"):
        stage_tables(package, 2008, adjust="bonferroni")


def test_stage_tables_recover_the_planted_effects(demo_tables) -> None:
    changes = demo_tables["changes"]
    rise = changes[
        (changes["item_id"] == "appraisal_had")
        & (changes["group_type"] == "directorate")
        & (changes["year"] == 2006)
        & (changes["base_year"] == 2005)
    ].set_index("group")
    # README effect 1: designed +20 points in the targeted directorates, +2 elsewhere.
    targeted = rise.loc[list(APPRAISAL_TARGETED)]
    assert targeted["diff_pp"].between(12, 28).all() and targeted["significant"].all()
    assert rise.drop(index=list(APPRAISAL_TARGETED))["diff_pp"].abs().max() < 8
    # README effect 4: best in the group on training_received 2008, worst on two items.
    bench = demo_tables["benchmark"].set_index(["item_id", "year"])
    assert bench.loc[BEST_ITEM, "rank"] == 1
    for item in WORST_ITEMS:
        assert bench.loc[item, "comparison"] == "worse"
    # "Other effects": job satisfaction's strongest theme drivers include manager support
    # and work pressure (designed weights 0.42 and 0.38).
    drivers = demo_tables["drivers"]
    themes = drivers[drivers["predictor_type"] == "theme"].head(3)["predictor"].tolist()
    assert {"Support from immediate manager", "Work pressure"} <= set(themes)
    # README effect 5: weighting to the staff profile lowers percent positive.
    org = demo_tables["theme_scores"]
    org = org[(org["group_type"] == "organisation") & (org["theme"] == "Job satisfaction")]
    # The weighted figure is published only in years where no staff group is hidden
    # (analysis.disclosure.weighted): there, weighting lowers it.
    shown = org["score_weighted"].notna()
    assert shown.sum() >= 2
    assert (org.loc[shown, "score_weighted"] < org.loc[shown, "score"]).all()


def test_machine_readable_tables_leave_hidden_cells_empty_with_a_suppressed_flag(
    tmp_path,
) -> None:
    table = pd.DataFrame(
        {
            "item_id": ["a", "b"],
            "n": pd.array([20, None], dtype="Int64"),
            "pct": [50.0, None],
            "suppressed": [False, True],
            "suppression": pd.array(["", "primary"], dtype="string"),
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        mark_gated(table, "survey"),  # as the survey gate returns its tables
        "t",
        title="t",
        count="n",
        for_each=["item_id"],
        gated=True,
        blank_suppressed=True,
    )
    lines = published.csv_path.read_text(encoding="utf-8-sig").splitlines()
    # The issue: "Suppressed cells are empty with suppressed = true"; which hidden cells
    # are primary stays unpublished.
    assert lines == ["item_id,n,pct,suppressed", "a,20,50.0,False", "b,,,True"]
    metadata = json.loads(published.json_path.read_text(encoding="utf-8"))
    assert metadata["suppressed_symbol"] == ""
    assert metadata["columns"] == ["item_id", "n", "pct", "suppressed"]
    assert "[c]" in published._repr_html_()  # the report still shows the symbol


def test_unweighted_and_weighted_figures_side_by_side() -> None:
    keys = ["item_id", "year"]
    unweighted = pd.DataFrame(
        {"item_id": ["a", "b"], "year": [2008, 2008], "n": [40, 50], "pct": [50.0, 60.0]}
    )
    weighted = pd.DataFrame(
        {"item_id": ["b", "a"], "year": [2008, 2008], "n": [50, 40], "pct": [58.0, 47.5]}
    )
    both = weighted_side_by_side(unweighted, weighted, keys, shared=["n"])
    assert list(both.columns) == ["item_id", "year", "n", "pct", "pct_weighted"]
    assert both["pct_weighted"].tolist() == [47.5, 58.0]  # matched by item, not by position
    with pytest.raises(pd.errors.MergeError):
        weighted_side_by_side(unweighted, pd.concat([weighted, weighted]), keys, shared=["n"])
