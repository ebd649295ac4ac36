"""Group packs: who gets one, the pack's gated tables, and a real run with ``--pack``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.packs import (
    choose_pack,
    group_slug,
    pack_tables,
    plan_packs,
    rest_of_organisation_gate,
    strongest_and_weakest,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _responses(sizes: dict[str | None, int], year: int = 2008) -> pd.DataFrame:
    labels = [label for label, size in sizes.items() for _ in range(size)]
    return pd.DataFrame({"year": year, "directorate": pd.Series(labels, dtype=object)})


def _reasons(sizes: dict[str | None, int], minimum: int = 11) -> dict[str, str]:
    plans = plan_packs(_responses(sizes), "directorate", 2008, minimum, ["directorate"])
    return {plan.group: plan.reason for plan in plans}


def test_group_slugs_are_file_names_and_unique() -> None:
    assert group_slug("Mental Health and Learning Disabilities") == (
        "mental-health-and-learning-disabilities"
    )
    assert group_slug("Children & Families (CF)") == "children-families-cf"
    assert group_slug("Children & Families (CF)", ["children-families-cf"]) == (
        "children-families-cf-2"
    )
    assert group_slug("16-24") == "group-16-24"
    assert group_slug("???") == "group"


def test_small_groups_get_no_pack_and_the_reason_never_gives_their_count() -> None:
    # C (5) and D (4) are under 11: two hidden cells in the line, so nothing else is hidden.
    reasons = _reasons({"A": 100, "B": 12, "C": 5, "D": 4})
    assert reasons["A"] == "" and reasons["B"] == ""
    assert reasons["C"] == reasons["D"] == "fewer than 11 respondents in 2008"


def test_a_group_hidden_to_protect_a_smaller_one_gets_no_pack() -> None:
    # C (5) alone is under 11, so the gate also hides the smallest other group, B (20):
    # otherwise C = organisation - A - B.
    reasons = _reasons({"A": 50, "B": 20, "C": 5})
    assert reasons["A"] == ""
    assert reasons["B"] == (
        "its figures for 2008 are hidden so that a smaller directorate's cannot be worked out "
        "by subtraction"
    )
    assert reasons["C"] == "fewer than 11 respondents in 2008"


def test_no_pack_when_the_rest_of_the_organisation_is_too_small() -> None:
    # B (5) and C (4) are hidden; A (100) is shown, but the rest of the organisation is
    # 5 + 4 = 9 < 11 respondents, whom A's pack against the organisation would reveal.
    reasons = _reasons({"A": 100, "B": 5, "C": 4})
    assert reasons["A"].startswith("the rest of the organisation had fewer than 11")


def test_respondents_who_did_not_state_their_group_get_no_pack() -> None:
    reasons = _reasons({"A": 30, "B": 30, None: 15})
    assert reasons["Not stated"].startswith("respondents who did not state their directorate")


def test_a_pack_needs_a_group_column() -> None:
    with pytest.raises(ValueError, match="group columns are directorate"):
        plan_packs(_responses({"A": 30}), "team", 2008, 11, ["directorate"])


def test_the_rest_of_the_organisation_is_gated_with_the_group() -> None:
    differences = pd.DataFrame(
        {
            "year": [2008, 2008, 2008],
            "group_type": "directorate",
            "group": "A",
            "item_id": ["q1", "q2", "q3"],
            "n": [50.0, 50.0, np.nan],
            "pct": [60.0, 70.0, np.nan],
            "rest_n": [30.0, 8.0, 40.0],
            "rest_pct": [50.0, 40.0, 55.0],
            "diff_pp": [10.0, 30.0, np.nan],
            "significant": [False, True, False],
            "suppressed": [False, False, True],
        }
    )
    gated = rest_of_organisation_gate(differences, minimum=11)
    # q1: 50 and 30 both >= 11, shown. q2: the rest has 8 < 11, so the group's row (50) is
    # hidden too: organisation - group = rest. q3 was already hidden; its rest stays hidden.
    assert gated["suppressed"].tolist() == [False, True, True]
    assert gated.loc[0, "rest_pct"] == 50.0 and gated.loc[0, "pct"] == 60.0
    assert gated.loc[1, ["n", "pct", "rest_n", "rest_pct", "diff_pp"]].isna().all()
    assert pd.isna(gated.loc[1, "significant"]) and np.isnan(gated.loc[2, "rest_n"])


def test_strongest_and_weakest_skip_hidden_items() -> None:
    against = pd.DataFrame(
        {
            "item_id": ["q1", "q2", "q3", "q4"],
            "pct": [80.0, 20.0, np.nan, 50.0],
            "suppressed": [False, False, True, False],
        }
    )
    chosen = strongest_and_weakest(against, number=1)
    assert chosen[["rank", "item_id"]].values.tolist() == [["strongest", "q1"], ["weakest", "q2"]]


ISSUE_ITEM_SCORES = [
    "year",
    "group_type",
    "group",
    "item_id",
    "n",
    "n_positive",
    "pct_positive",
    "ci_low",
    "ci_high",
    "pct_positive_weighted",
    "se_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
    "mean",
    "suppressed",
]
ISSUE_CHANGES = [
    "item_id",
    "group_type",
    "group",
    "year",
    "base_year",
    "pct",
    "base_pct",
    "diff_pp",
    "z",
    "p_value",
    "p_adjusted",
    "significant",
]


@pytest.fixture(scope="module")
def pack_run(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m analysis run --stages survey --pack directorate`` with minimum 55.

    In 2008 the demo's directorates had 140, 104, 98, 96, 64 and 54 respondents (README),
    so with a minimum group size of 55 Commissioning and Public Health (54) gets no pack,
    and nor does Corporate Services (64), the smallest other directorate, which the gate
    hides with it: otherwise 54 = organisation - the other five.
    """
    data = tmp_path_factory.mktemp("pack-data") / "demo"
    shutil.copytree(demo_data, data)
    description = data / "dataset.yml"
    text = description.read_text(encoding="utf-8")
    assert "minimum_group_size: 11" in text
    description.write_text(text.replace("minimum_group_size: 11", "minimum_group_size: 55"))
    out = tmp_path_factory.mktemp("pack-reports")
    command = [sys.executable, "-m", "analysis", "run", "--data", str(data), "--out", str(out)]
    completed = subprocess.run(
        [*command, "--stages", "survey", "--pack", "directorate"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out / "5NF" / "2008"  # organisation.code names the dataset


@pytest.mark.pipeline
def test_one_pack_per_eligible_directorate_and_the_reason_for_the_other(pack_run: Path) -> None:
    manifest = json.loads((pack_run / "manifest.json").read_text(encoding="utf-8"))
    assert [stage["name"] for stage in manifest["stages"]] == ["survey"]
    packs = {pack["group"]: pack for pack in manifest["packs"]}
    assert len(packs) == 6
    small = packs.pop("Commissioning and Public Health")
    assert small["reason"] == "fewer than 55 respondents in 2008" and "result" not in small
    protecting = packs.pop("Corporate Services")
    assert protecting["reason"] == (
        "its figures for 2008 are hidden so that a smaller directorate's cannot be worked "
        "out by subtraction"
    )
    assert "result" not in protecting
    assert all(p["result"]["status"] == "succeeded" and not p["reason"] for p in packs.values())
    pages = sorted(path.name for path in (pack_run / "packs" / "directorate").glob("*.html"))
    assert pages == [
        "children-and-families.html",
        "community-nursing.html",
        "mental-health-and-learning-disabilities.html",
        "therapies.html",
    ]
    index = (pack_run / "index.html").read_text(encoding="utf-8")
    assert 'href="packs/directorate/therapies.html"' in index
    assert "fewer than 55 respondents in 2008" in index
    assert "cannot be worked out by subtraction" in index
    page = (pack_run / "packs" / "directorate" / "therapies.html").read_text(encoding="utf-8")
    assert 'href="../../index.html"' in page


@pytest.mark.pipeline
def test_pack_tables_show_nothing_resting_on_a_small_group(pack_run: Path) -> None:
    tables = pack_run / "packs" / "directorate" / "tables" / "community-nursing"
    against = pd.read_csv(tables / "against_organisation.csv", encoding="utf-8-sig")
    shown = against[~against["suppressed"]]
    # Both the directorate and the rest of the organisation have at least 55 answers
    # wherever a row is shown; hidden rows are empty.
    assert len(shown) and (shown["n"] >= 55).all() and (shown["rest_n"] >= 55).all()
    hidden = against[against["suppressed"]]
    assert len(hidden) and hidden[["n", "pct", "rest_n", "rest_pct"]].isna().all().all()
    # The organisation's percent positive beside the directorate's is the survey table's
    # (in shown rows: a hidden row is empty throughout).
    scores = pd.read_csv(pack_run / "tables" / "survey" / "item_scores.csv", encoding="utf-8-sig")
    organisation = scores[(scores["group_type"] == "organisation") & (scores["year"] == 2008)]
    merged = shown.merge(organisation, on="item_id")
    assert len(merged) == len(shown)
    assert np.allclose(merged["organisation_pct"], merged["pct_positive"], equal_nan=True)
    subgroups = pd.read_csv(tables / "subgroups.csv", encoding="utf-8-sig")
    assert set(subgroups["group_type"]) == {"directorate x staff_group"}
    assert subgroups["group"].str.startswith("Community Nursing | ").all()
    assert (subgroups.loc[~subgroups["suppressed"], "n"] >= 55).all()


@pytest.mark.pipeline
def test_survey_tables_have_the_issues_columns_and_empty_suppressed_cells(pack_run: Path) -> None:
    folder = pack_run / "tables" / "survey"
    scores = pd.read_csv(folder / "item_scores.csv", encoding="utf-8-sig")
    assert list(scores.columns) == ISSUE_ITEM_SCORES
    assert scores["suppressed"].dtype == bool and scores["suppressed"].any()
    hidden = scores[scores["suppressed"]]
    assert (
        hidden.drop(columns=["year", "group_type", "group", "item_id", "suppressed"])
        .isna()
        .all()
        .all()
    )
    assert (scores.loc[~scores["suppressed"], "n"] >= 55).all()
    assert "[c]" not in (folder / "item_scores.csv").read_text(encoding="utf-8-sig")
    changes = pd.read_csv(folder / "changes.csv", encoding="utf-8-sig")
    assert list(changes.columns[:12]) == ISSUE_CHANGES
    assert list(changes.columns[12:]) == [
        "pct_weighted",
        "base_pct_weighted",
        "diff_pp_weighted",
        "z_weighted",
        "p_value_weighted",
        "p_adjusted_weighted",
        "significant_weighted",
        "suppressed",
    ]
    assert not (folder / "changes_weighted.csv").exists()
    # README effect 1, from the published changes.csv: appraisal_had rose by a designed 20
    # points from 2005 to 2006 in Community Nursing and Children and Families, 2 elsewhere.
    rise = changes[
        (changes["item_id"] == "appraisal_had")
        & (changes["group_type"] == "directorate")
        & (changes["year"] == 2006)
        & (changes["base_year"] == 2005)
    ].set_index("group")
    targeted = rise.loc[["Community Nursing", "Children and Families"]]
    assert targeted["diff_pp"].between(12, 28).all() and targeted["significant"].all()
    # Their weighted figures rest on directorate x staff group cells the gate hides (each has
    # fewer than 11 doctors), so they are not published (docs/disclosure.md, rule 4).
    assert targeted["diff_pp_weighted"].isna().all()


@pytest.mark.pipeline
@pytest.mark.browser
def test_a_pack_opens_in_the_browser_self_contained(pack_run: Path, browser: object) -> None:
    from test_browser import OpenedPage

    opened = OpenedPage(browser, pack_run / "packs" / "directorate" / "therapies.html")
    try:
        opened.check_self_contained()
        page = opened.page
        assert page.get_by_role("heading", name="Against the organisation", exact=True).is_visible()
        assert page.locator("nav.report-contents").is_visible()
        # against the organisation and theme trends at least (the staff-group heatmap
        # only when some staff group of Therapies reaches 55 answers)
        images = page.locator("main figure img")
        assert images.count() >= 2
        for number in range(images.count()):
            image = images.nth(number)
            assert (image.get_attribute("alt") or "").strip() and image.is_visible()
        text = page.locator("body").inner_text()
        assert "pack_tables(" not in text and "plan_packs(" not in text
        assert 'href="../../index.html"' in page.content()
    finally:
        opened.close()


def _survey_tables() -> dict[str, pd.DataFrame]:
    crossing = "directorate x staff_group"
    scores = pd.DataFrame(
        {
            "year": 2008,
            "group_type": [
                "organisation",
                "directorate",
                "directorate",
                crossing,
                crossing,
                crossing,
            ],
            "group": ["Trust", "A", "B", "A | Nurses", "A | Admin", "B | Nurses"],
            "item_id": "q1",
            "n": [100.0, 60.0, 40.0, 45.0, 15.0, 40.0],
            "pct_positive": [60.0, 70.0, 45.0, 71.0, 66.7, 45.0],
            "suppressed": False,
        }
    )
    differences = pd.DataFrame(
        {
            "year": 2008,
            "group_type": "directorate",
            "group": ["A", "B"],
            "item_id": "q1",
            "n": [60.0, 40.0],
            "pct": [70.0, 45.0],
            "rest_n": [40.0, 60.0],
            "rest_pct": [45.0, 70.0],
            "diff_pp": [25.0, -25.0],
            "p_value": [0.012, 0.012],
            "p_adjusted": [0.012, 0.012],
            "significant": [True, True],
            "suppressed": False,
        }
    )
    changes = pd.DataFrame(
        {
            "item_id": "q1",
            "group_type": "directorate",
            "group": ["A", "A"],
            "year": [2008, 2007],
            "base_year": [2007, 2006],
            "diff_pp": [5.0, -2.0],
            "suppressed": False,
        }
    )
    themes = pd.DataFrame(
        {
            "year": [2007, 2008, 2008],
            "group_type": "directorate",
            "group": ["A", "A", "B"],
            "theme": "Appraisal",
            "n": [55.0, 60.0, 40.0],
            "score": [6.1, 6.4, 5.2],
            "suppressed": False,
        }
    )
    rates = pd.DataFrame(
        {
            "year": 2008,
            "group_type": ["directorate", crossing, crossing],
            "group": ["A", "A | Nurses", "B | Nurses"],
            "headcount": [120, 80, 90],
            "respondents": [60, 45, 40],
            "suppressed": False,
        }
    )
    return {
        "item_scores": scores,
        "group_differences": differences,
        "changes": changes,
        "theme_scores": themes,
        "response_rates": rates,
    }


def test_a_pack_selects_its_groups_rows_of_the_survey_tables() -> None:
    pack = pack_tables(_survey_tables(), "directorate", "A", 2008, minimum=11)
    against = pack["against_organisation"]
    assert list(against.columns[4:8]) == ["n", "pct", "organisation_pct", "rest_n"]
    assert against[["pct", "organisation_pct", "rest_pct"]].values.tolist() == [[70.0, 60.0, 45.0]]
    assert pack["changes"]["base_year"].tolist() == [2007]  # 2008's changes only
    assert pack["themes"]["year"].tolist() == [2007, 2008]
    assert pack["subgroups"]["subgroup"].tolist() == ["Nurses", "Admin"]
    assert pack["response_rates"]["subgroup"].tolist() == ["", "Nurses"]
    assert pack["strongest_weakest"]["rank"].tolist() == ["strongest"]
    with pytest.raises(ValueError, match="no directorate 'C' in 2008"):
        pack_tables(_survey_tables(), "directorate", "C", 2008, minimum=11)


@pytest.mark.pipeline
def test_every_published_survey_table_is_documented_with_its_columns(pack_run: Path) -> None:
    from documented_tables import DOCS, documented_columns, published_columns

    documented = documented_columns((DOCS / "survey-tables.md").read_text(encoding="utf-8"))
    published = published_columns(pack_run, "survey")
    assert set(published) == set(documented)
    for name, header in published.items():
        assert header == documented[name], name


@pytest.mark.pipeline
def test_no_pack_figure_can_be_worked_out_by_subtraction(pack_run: Path) -> None:
    from disclosure_attack import attack_published_table

    published = sorted(pack_run.glob("packs/directorate/tables/*/*.csv"))
    assert len(published) == 4 * 6  # six tables in each of the four packs
    attacked = 0
    for csv_path in published:
        metadata = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
        assert metadata["gated"] and metadata["suppressed_symbol"] == "", csv_path.name
        if metadata["count"] is None:
            continue  # rows of gated survey tables, hidden where they are hidden
        found = attack_published_table(csv_path)
        assert found == {"recoverable": [], "small_counts": [], "values_shown_in_hidden_rows": []}
        attacked += 1
    assert attacked == 4  # each pack's subgroups: a complete row of the crossing


def test_choose_pack_takes_the_largest_eligible_group_or_says_why_not() -> None:
    packs = plan_packs(
        _responses({"A": 30, "B": 50, "C": 5, "D": 4}), "directorate", 2008, 11, ["directorate"]
    )
    assert choose_pack(packs).group == "B"  # 50 respondents, the most
    assert choose_pack(packs, "A").slug == "a"
    with pytest.raises(ValueError, match="'C' gets no pack: fewer than 11 respondents in 2008"):
        choose_pack(packs, "C")
    with pytest.raises(ValueError, match="'E' had no respondents"):
        choose_pack(packs, "E")


def test_an_unknown_pack_column_stops_the_run_before_any_kernel(
    demo_data: Path, tmp_path: Path
) -> None:
    from analysis.pipeline import RunSetupError, run_pipeline

    with pytest.raises(RunSetupError, match="--pack 'team': packs are made for a group column"):
        run_pipeline(demo_data, out_dir=tmp_path, stages=["survey"], packs=["team"])
    with pytest.raises(RunSetupError, match="--pack names a column twice"):
        run_pipeline(demo_data, out_dir=tmp_path, packs=["directorate", "directorate"])
    assert not list(tmp_path.rglob("*.html"))
