"""The indicators stage runs on a package named nothing like the demo, with its defaults.

Every directorate, team id, indicator id and the survey items the stage uses by default are
renamed in a copy of the demo data package (a plain text substitution across its files, so
every reference moves with its name), and the organisation gets another code. The stage
notebook then runs through the pipeline with no parameter: whatever it shows, it must find in
the package.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from documented_tables import DOCS, documented_columns, published_columns

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DIRECTORATES = {
    "Community Nursing": "Home & Neighbourhood Care",
    "Children and Families": "Young People's Services",
    "Therapies": "Rehabilitation",
    "Mental Health and Learning Disabilities": "Wellbeing Services",
    "Commissioning and Public Health": "Population Health",
    "Corporate Services": "Back Office",
}
INDICATORS = {
    "sickness_absence": "absence_rate",
    "turnover": "leavers",
    "vacancies": "unfilled_posts",
    "appraisal_completion": "reviews_done",
    "mandatory_training": "core_skills",
    "complaints": "concerns_raised",
    "patient_contacts_per_wte": "visits_per_wte",
}
ITEMS = {"appraisal_had": "had_review", "team_clear_objectives": "goals_clear"}


def _renamed_copy(source: Path, target: Path) -> Path:
    """Copy the package, renaming every name above and each team id ``Tnn`` to ``Wnnx``."""
    shutil.copytree(source, target)
    words = {**INDICATORS, **ITEMS}
    for path in sorted(target.iterdir()):
        if path.suffix not in (".csv", ".yml") or path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8-sig")
        for old, new in DIRECTORATES.items():
            text = text.replace(old, new)
        for old, new in words.items():
            text = re.sub(rf"\b{old}\b", new, text)
        text = re.sub(r"\bT(\d{2})\b", r"W\1x", text)
        text = text.replace('code: "5NF"', 'code: "9QX"')
        path.write_text(text, encoding="utf-8")
    return target


@pytest.mark.slow
def test_indicators_stage_runs_with_its_defaults_on_a_renamed_package(
    demo_data: Path, tmp_path: Path
) -> None:
    data = _renamed_copy(demo_data, tmp_path / "renamed")
    out = tmp_path / "reports"
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(data), "--stages", "indicators"]
        + ["--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    run = out / "9QX" / "2008"
    html = (run / "indicators.html").read_text(encoding="utf-8")
    # the default charts are the package's: each monthly indicator's organisation chart ...
    figures = sorted(path.name for path in (run / "figures" / "indicators").glob("spc_*.png"))
    for new in INDICATORS.values():
        assert any(f"_{new}_organisation_Organisation" in name for name in figures), new
    # ... and the known changes declared for the organisation and for the renamed
    # directorates (so their teams) rebase the charts
    assert "Limits recalculated from 2006-04: action plans AP2005-1 and AP2005-2" in html
    summary = pd.read_csv(run / "tables" / "indicators" / "spc.csv", dtype=str).fillna("")
    reviews = summary[summary["indicator_id"] == "reviews_done"]
    teams = pd.read_csv(data / "teams.csv", dtype=str).set_index("team_id")["directorate"]
    targeted = (
        reviews["unit"]
        .map(teams)
        .isin([DIRECTORATES["Community Nursing"], DIRECTORATES["Children and Families"]])
    )
    assert targeted.any() and (reviews.loc[targeted, "recalculated_at"] == "2006-04").all()
    assert (reviews.loc[~targeted, "recalculated_at"] == "").all()
    # the appraisal comparison follows the renamed items declared in indicators.yml
    assert (run / "figures" / "indicators" / "clear_goals_goals_clear.png").is_file()
    # no demo name is shown anywhere in the stage's tables
    tables = " ".join(
        path.read_text(encoding="utf-8-sig")
        for path in (run / "tables" / "indicators").glob("*.csv")
    )
    for old in [*DIRECTORATES, *ITEMS]:
        assert old not in tables and old not in html, old
    assert re.search(r"\bT\d{2}\b", tables) is None
    headlines = json.loads((run / "headlines" / "indicators.json").read_text(encoding="utf-8"))
    assert headlines
    # the tables this change touched have the columns docs/indicators-tables.md lists
    documented = documented_columns((DOCS / "indicators-tables.md").read_text(encoding="utf-8"))
    published = published_columns(run, "indicators")
    for table in ("spc.csv", "indicator_values.csv"):
        assert published[table] == documented[table], table
    # the SPC summary matrix and its icons are inline SVG, kept by the reports' allow-list
    # sanitiser (analysis/text_safety.py); the browser test shows them drawn
    assert 'class="spc-matrix"' in html
    assert len(re.findall(r'<svg [^>]*role="img"', html)) >= 11  # 7 rows, 4 columns
