"""Comparing two runs (``python -m analysis compare``): what changed, and only that."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.compare import DIFFERENCE_COLUMNS, compare_runs, write_comparison

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _run_folder(root: Path, name: str, tables: dict[str, pd.DataFrame], **manifest) -> Path:
    """A minimal run folder: a manifest and published tables with their JSON side files."""
    run = root / name
    for key, table in tables.items():
        stage, table_name = key.split("/")
        folder = run / "tables" / stage
        folder.mkdir(parents=True, exist_ok=True)
        table.to_csv(folder / f"{table_name}.csv", index=False, encoding="utf-8-sig")
        side = {"count": "n", "values": ["pct"]} if "n" in table.columns else {}
        (folder / f"{table_name}.json").write_text(json.dumps(side), encoding="utf-8")
    facts = {
        "dataset": "demo",
        "year": 2008,
        "minimum_group_size": 11,
        "input_files": {"responses.csv": "aaa", "staff.csv": "bbb"},
        "parameters": {"adjust": "holm"},
        "packages": {"pandas": "3.0.0"},
        "git": {"commit": "abc"},
    }
    facts.update(manifest)
    (run / "manifest.json").write_text(json.dumps(facts), encoding="utf-8")
    return run


def _scores(pcts: list[object], ns: list[object], groups=("Nursing", "Medical", "Admin")):
    return pd.DataFrame({"group": list(groups), "n": ns, "pct": pcts, "suppressed": False})


def test_changed_added_removed_and_suppressed_figures_are_each_found(tmp_path: Path) -> None:
    old = _run_folder(
        tmp_path,
        "old",
        {"survey/item_scores": _scores([50.0, 61.5, 70.0], [40, 13, 20])},
    )
    new_table = _scores(
        [50.0, "", 72.5, 10.0], [40, "", 20, 30], ("Nursing", "Medical", "Admin", "Estates")
    )
    new = _run_folder(
        tmp_path,
        "new",
        {"survey/item_scores": new_table, "survey/theme_scores": _scores([1], [12], ("All",))},
        input_files={"responses.csv": "ccc", "staff.csv": "bbb"},
        parameters={"adjust": "none"},
    )
    comparison = compare_runs(old, new)
    found = comparison.differences.set_index(["key", "column"])
    assert list(comparison.differences.columns) == list(DIFFERENCE_COLUMNS)
    # Admin's percentage rose by 2.5 points; Nursing did not change and is not listed
    assert found.loc[("group=Admin", "pct"), "change"] == pytest.approx(2.5)
    assert "group=Nursing" not in found.index.get_level_values("key")
    # Medical was shown in the old run and hidden by the gate in the new one
    assert found.loc[("group=Medical", "n"), "change"] == "suppressed"
    assert found.loc[("group=Medical", "pct"), "change"] == "suppressed"
    assert found.loc[("group=Estates", ""), "change"] == "added"
    assert len(comparison.differences) == 4
    assert comparison.tables_added == ("survey/theme_scores",)
    manifests = comparison.manifest_differences.set_index(["section", "name"])
    assert manifests.loc[("inputs", "responses.csv"), "new"] == "ccc"
    assert ("inputs", "staff.csv") not in manifests.index
    assert comparison.summary() == (
        "3 numbers changed in 1 table (1 row added or removed in 1 table); "
        "tables: 1 added, 0 removed; inputs: responses.csv changed; "
        "parameters: adjust holm → none."
    )


def test_rows_sharing_a_key_are_matched_in_order(tmp_path: Path) -> None:
    # a table whose key columns repeat (no unique key) is compared row by row within the key
    table = pd.DataFrame({"group": ["A", "A"], "n": [12, 15], "pct": [10.0, 20.0]})
    changed = table.assign(pct=[10.0, 25.0])
    old = _run_folder(tmp_path, "old", {"survey/t": table})
    new = _run_folder(tmp_path, "new", {"survey/t": changed})
    differences = compare_runs(old, new).differences
    assert differences[["key", "column", "change"]].values.tolist() == [
        ["group=A; row=1", "pct", 5.0]
    ]


def test_a_change_has_the_precision_of_the_figures(tmp_path: Path) -> None:
    # 0.1 - 0.095 is 0.0050000000000000044 in floating point; both figures show at most
    # 3 decimals, so the change is 0.005 (and 12.25 - 12.5 = -0.25 exactly)
    table = pd.DataFrame({"group": ["A", "B"], "n": [12, 15], "pct": ["0.095", "12.5"]})
    changed = table.assign(pct=["0.1", "12.25"])
    old = _run_folder(tmp_path, "old", {"survey/t": table})
    new = _run_folder(tmp_path, "new", {"survey/t": changed})
    differences = compare_runs(old, new).differences
    assert differences["change"].tolist() == [0.005, -0.25]
    assert str(differences["change"].iloc[0]) == "0.005"


def test_the_files_escape_text_from_the_data(tmp_path: Path) -> None:
    payload = "<img src=x onerror=alert(1)>"
    formula = '=HYPERLINK("http://example.invalid")'
    old = _run_folder(tmp_path, "old", {"survey/t": _scores(["fine"], [12], (payload,))})
    new = _run_folder(tmp_path, "new", {"survey/t": _scores([formula], [12], (payload,))})
    page, csv = write_comparison(compare_runs(old, new), tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    assert payload not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    cells = pd.read_csv(csv, dtype=str, encoding="utf-8-sig")
    # OWASP: a text cell that a spreadsheet would evaluate starts with a quote instead
    assert cells["new"].tolist() == ["'" + formula]


def test_the_comparison_is_not_written_into_a_run_folder(tmp_path: Path) -> None:
    old = _run_folder(tmp_path, "old", {"survey/t": _scores([1.0], [12], ("A",))})
    new = _run_folder(tmp_path, "new", {"survey/t": _scores([1.0], [12], ("A",))})
    with pytest.raises(ValueError, match="inside the run folder"):
        write_comparison(compare_runs(old, new), new / "comparison")


def test_a_folder_without_a_manifest_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "compare", str(tmp_path), str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "has no manifest.json" in completed.stderr and "Traceback" not in completed.stderr


def _run_survey(data: Path, out: Path) -> Path:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "run",
            "--data",
            str(data),
            "--out",
            str(out),
            "--stages",
            "survey",
            # what is compared is the tables; the demo run's audit (test_disclosure_audit.py)
            # covers the gate on this package less one answer
            "--no-audit",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (manifest,) = out.glob("*/*/manifest.json")
    return manifest.parent


@pytest.mark.slow
@pytest.mark.pipeline
def test_two_runs_differing_in_one_answer_differ_only_where_it_counts(
    demo_data: Path, demo_run: Path, tmp_path: Path
) -> None:
    # One member of staff's 2008 answer to Q1 ("had an appraisal") goes from yes (1) to no (2).
    # The old run is the session's demo run (every stage); the new one runs the survey stage,
    # so the tables the two share, which are compared, are the survey's.
    changed = tmp_path / "changed"
    shutil.copytree(demo_data, changed)
    responses = pd.read_csv(changed / "responses.csv", dtype=str, keep_default_na=False)
    who = responses.index[(responses["year"] == "2008") & (responses["q1"] == "1")][0]
    responses.loc[who, "q1"] = "2"
    responses.to_csv(changed / "responses.csv", index=False)
    new = _run_survey(changed, tmp_path / "new")

    comparison = compare_runs(demo_run, new)
    # every survey table is in both runs, so every one of them is compared
    assert not [
        t for t in comparison.tables_added + comparison.tables_removed if t.startswith("survey/")
    ]
    differences = comparison.differences
    assert not differences.empty
    # the organisation's 2008 count of positive answers to Q1 is one lower
    organisation = differences[
        (differences["table"] == "survey/item_scores")
        & differences["key"].str.contains("group_type=organisation", regex=False)
        & differences["key"].str.contains("item_id=appraisal_had", regex=False)
        & differences["key"].str.startswith("year=2008")
    ].set_index("column")
    assert organisation.loc["n_positive", "change"] == -1
    assert "n" not in organisation.index  # the answer changed, not whether it was given
    # every other difference is about Q1, its theme, or a multiple-testing adjustment that
    # depends on every p-value of its family
    theme = "theme=Appraisal and development"
    about_q1 = differences["key"].str.contains("appraisal_had", regex=False) | differences[
        "key"
    ].str.contains(theme, regex=False)
    adjusted = differences["column"].str.startswith(("p_adjusted", "significant"))
    drivers = differences["table"] == "survey/drivers"
    assert differences[~(about_q1 | adjusted | drivers)].empty, differences[
        ~(about_q1 | adjusted | drivers)
    ].to_string()
    # no earlier year's scores moved, and the only input that changed is responses.csv
    scores = differences[differences["table"].isin(["survey/item_scores", "survey/theme_scores"])]
    assert scores["key"].str.startswith("year=2008;").all()
    inputs = comparison.manifest_differences
    assert inputs[inputs["section"] == "inputs"]["name"].tolist() == ["responses.csv"]
