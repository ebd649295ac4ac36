"""The real AphA CPD survey of NHS analysts, converted, checked and reported on.

The survey sits beside the project in ``../shared/data/real/`` (see its README), not in
it; these tests skip when it is absent. Expected numbers are counted from the export
itself with pandas, as shown in each comment (``d`` is
``pd.read_csv("apha_cpd_survey.csv", dtype=str, keep_default_na=False)``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analysis.converters.apha import apha_flat_files, convert_apha
from analysis.datapackage import check_data_package, load_data_package
from analysis.pipeline import run_pipeline
from analysis.survey.importer import SurveyImportError

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
SOURCE = REAL_DATA / "apha_cpd_survey.csv"
MINIMUM = 11  # the NHS Staff Survey's minimum group size, stated for the package
SHA256 = "575042c1c53b2fb37aacf58bf041d7162cc6f7817e3cb32062faa6eb1d544f63"  # its README

pytestmark = pytest.mark.skipif(
    not SOURCE.is_file(),
    reason=f"the real AphA survey is not at {SOURCE} (it lives beside the project, not in "
    "it; see ../shared/data/real/README.md)",
)


@pytest.fixture(scope="module")
def package_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("apha") / "apha"
    convert_apha(out, MINIMUM, SOURCE)
    return out


@pytest.fixture(scope="module")
def run_dir(package_folder, tmp_path_factory) -> Path:
    """The run folder of one pipeline run of the survey stage."""
    reports = tmp_path_factory.mktemp("reports")
    result = run_pipeline(
        package_folder, out_dir=reports, stages=["survey"], progress=lambda line: None
    )
    assert result.succeeded, [stage.status for stage in result.stages]
    assert (result.run_dir / "survey.html").is_file()
    return result.run_dir


@pytest.fixture(scope="module")
def tables(run_dir) -> dict[str, pd.DataFrame]:
    """The survey stage's published tables."""
    folder = run_dir / "tables" / "survey"
    return {
        name: pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig")
        for name in ("item_scores", "response_rates")
    }


def test_the_source_is_the_published_file_and_is_only_read(package_folder):
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SHA256


def test_the_converted_package_passes_check(package_folder, capsys):
    assert check_data_package(package_folder) == 0
    assert "no problems found" in capsys.readouterr().out
    assert load_data_package(package_folder).description.minimum_group_size == MINIMUM


def test_every_free_text_answer_reaches_the_comments_table(package_folder):
    comments = load_data_package(package_folder).comments
    # Non-blank answers in the six *_txt columns:
    # sum(((d[c] != "-") & (d[c].str.strip() != "")).sum() for c in d if c.endswith("_txt"))
    assert len(comments) == 678
    budget = comments[comments["question"] == "Please state budget per year:"]
    assert len(budget) == 30  # d["q17b_org_cpd_budget_txt"]: 237 rows, 207 of them "-"


def _organisation(scores: pd.DataFrame, item_id: str) -> pd.Series:
    rows = scores[(scores["group_type"] == "organisation") & (scores["item_id"] == item_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_every_respondent_is_counted(tables):
    rates = tables["response_rates"]
    organisation = rates[rates["group_type"] == "organisation"].iloc[0]
    assert organisation["respondents"] == 237  # len(d)
    # Without headcounts the staff table counts respondents, the 3 without a band
    # ("Prefer not to say" 2, "-" 1) under "Not stated", so the rate is 100%, not 237 / 234.
    assert organisation["headcount"] == 237


def test_ordinal_items_are_scored_as_counted_by_hand(tables):
    scores = tables["item_scores"]
    # d["q07a_future_health_work_cat"]: Very likely 93 + Somewhat likely 69 = 162 of 237.
    stay = _organisation(scores, "stay_in_nhs_3_years")
    assert (stay["n"], stay["n_positive"]) == (237, 162)
    assert stay["pct_positive"] == round(100 * 162 / 237, 1)  # published to 1 decimal
    # d["q17a_org_cpd_budget_cat"]: Yes 59, No 44, Don't know 134 (excluded): 59 of 103.
    budget = _organisation(scores, "organisation_has_cpd_budget")
    assert (budget["n"], budget["n_positive"]) == (103, 59)
    # d["q18a_org_study_leave_ind"]: Yes 113, No 102, "-" 22 (blank): 113 of 215.
    leave = _organisation(scores, "organisation_offers_study_leave")
    assert (leave["n"], leave["n_positive"]) == (215, 113)
    # d["q12a_cpd_time_at_work_cat"]: Often 59 + Always 22 = 81 of 237 (top two of four).
    time = _organisation(scores, "time_to_upskill_at_work")
    assert time["n_positive"] == 81


def test_band_and_organisation_type_breakdowns_suppress_small_groups(tables):
    scores = tables["item_scores"]
    stay = scores[scores["item_id"] == "stay_in_nhs_3_years"].set_index(["group_type", "group"])
    # d["q05a_afc_band_cat"]: "Band 6 or 7" 97 respondents, "Band 9 or VSM" 7 (< MINIMUM).
    assert stay.loc[("staff_group", "Band 6 or 7"), "n"] == 97
    assert not stay.loc[("staff_group", "Band 6 or 7"), "suppressed"]
    assert stay.loc[("staff_group", "Band 9 or VSM"), "suppressed"]
    assert pd.isna(stay.loc[("staff_group", "Band 9 or VSM"), "pct_positive"])
    # d["q22a_org_nhs_type_cat"]: 126 answers start "Trust"; "Trust, moving to CSU" is one more.
    assert (
        stay.loc[("organisation_type", "Trust (hospitals, mental health, ambulance, etc.)"), "n"]
        == 127
    )
    types = stay.loc["organisation_type"]
    assert types["suppressed"].any() and not types["suppressed"].all()
    assert (types.loc[~types["suppressed"], "n"] >= MINIMUM).all()


def test_an_unknown_answer_label_names_its_row_and_column(tmp_path):
    export = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    export.loc[4, "q14a_mgr_cpd_supportive_cat"] = "Brilliant"
    export.to_csv(tmp_path / "apha_cpd_survey.csv", index=False)
    labels = SOURCE.with_name("apha_cpd_survey_labels.csv")
    (tmp_path / labels.name).write_bytes(labels.read_bytes())
    with pytest.raises(SurveyImportError) as caught:
        apha_flat_files(tmp_path / "apha_cpd_survey.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "apha_cpd_survey.csv, row 6, column 'q14a_mgr_cpd_supportive_cat': 'Brilliant' is not "
        "an answer of this question; expected one starting with: not at all; somewhat; very "
        "supportive (or '-' for a blank)"
    ]


def test_the_workbook_reads_back_as_the_csvs_with_the_reports_formats(run_dir):
    # Every survey sheet read back by openpyxl (values, number formats) and calamine
    # (values) against its CSV read by pandas: numbers equal, [c] kept; a p-value cell
    # shows 3 significant figures (decimals + floor(log10 p) + 1 == 3; APA 7th ed., 6.36)
    # or "< 0.001" (the CSV holds p-values rounded to 3 significant figures, so none sits
    # on a rounding boundary); other decimal numbers at most 3 decimals.
    import json
    import math

    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    path = run_dir / "tables.xlsx"
    book = load_workbook(path)
    calamine = CalamineWorkbook.from_path(str(path))
    contents = {row[1]: row[0] for row in book["Contents"].iter_rows(min_row=2, values_only=True)}
    checked_p = 0
    for csv in sorted((run_dir / "tables" / "survey").glob("*.csv")):
        meta = json.loads(csv.with_suffix(".json").read_text(encoding="utf-8"))
        expected = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        sheet = book[contents[csv.stem]]
        read = calamine.get_sheet_by_name(contents[csv.stem]).to_python()
        assert [c.value for c in sheet[1]] == list(expected.columns)
        shown = expected
        if "year" in expected.columns and "year" not in (meta.get("dimensions") or []):
            this_year = expected[expected["year"] == run_dir.name]  # reports/<org>/<year>
            shown = this_year if len(this_year) else expected
        assert len(read) - 1 == len(shown) == sheet.max_row - 1
        p_columns = {c for c, kind in (meta.get("precision") or {}).items() if kind == "p-value"}
        cells = list(sheet.iter_rows(min_row=2))
        for number, column in enumerate(expected.columns):
            values = [row[number] for row in read[1:]]
            for text, row, value in zip(shown[column], cells, values, strict=True):
                cell = row[number]
                if text in ("", "[c]"):
                    assert cell.value in (None, "[c]") and value in ("", "[c]")
                    continue
                if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                    assert cell.value == float(text) == value
                    fmt = cell.number_format
                    if column in p_columns:
                        checked_p += 1
                        if float(text) < 0.001:
                            assert fmt.startswith('[<0.001]"< 0.001"')
                        else:
                            decimals = len(fmt.split(".")[1]) if "." in fmt else 0
                            assert decimals + math.floor(math.log10(float(text))) + 1 == 3
                    else:
                        assert "." not in fmt or len(fmt.split(".")[1]) <= 3
    assert checked_p > 0
