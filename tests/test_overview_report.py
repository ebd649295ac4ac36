"""The data overview's report (analysis.overview.report): what each notebook cell shows.

The figures of the demo organisation (``data/demo``, report year 2008) were read from a run of
the stage before its notebook's code moved into the report module
(``python -m analysis run --stages data_overview``: headlines 556 respondents, a 55% response
rate and 214 comments), and are checked again here against the counts worked out without the
gate (:func:`analysis.overview.response_by_year`, :func:`analysis.overview.comments_by_year`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import overview
from analysis.overview.report import OverviewReport, often_blank_sentence, open_report
from analysis.publishing import DisplayedFigure, PublishedTable

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def _missing(percent_blank: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "question_number": [f"q{n}" for n in range(1, len(percent_blank) + 1)],
            "percent_blank": percent_blank,
        }
    )


def test_often_blank_sentence_names_the_items_over_ten_percent() -> None:
    # 3 items; only 12.5% is over 10% (exactly 10% is not "more than"). The list of items
    # is a value, so its colon is escaped for Markdown (it renders as a plain colon).
    sentence = often_blank_sentence(_missing([5.0, 10.0, 12.5]), 2023)
    assert sentence.data == (
        "3 items were asked in 2023; 1 were left blank by more than 10% of respondents\\: q3."
    )


def test_often_blank_sentence_without_such_items() -> None:
    sentence = often_blank_sentence(_missing([0.0, 9.9]), 2022)
    assert sentence.data == (
        "2 items were asked in 2022; 0 were left blank by more than 10% of respondents."
    )


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> tuple[OverviewReport, dict[str, object]]:
    """Every cell of the notebook, called in the notebook's order on the demo."""
    report = open_report(DEMO, year=2008, output_dir=tmp_path_factory.mktemp("overview"))
    cells = [
        "introduction",
        "response_over_the_years",
        "response_by_directorate",
        "response_by_staff_group",
        "response_by_directorate_and_staff_group",
        "who_responded",
        "missing_answers",
        "questionnaire_changes",
        "comments",
    ]
    return report, {cell: getattr(report, cell)() for cell in cells}


def test_headlines_are_the_published_figures(shown: tuple[OverviewReport, dict]) -> None:
    report, _ = shown
    headlines = json.loads((report.out.output_dir / "headlines" / "data_overview.json").read_text())
    values = {headline["label"]: headline["value"] for headline in headlines}
    assert values == {"Respondents": 556, "Response rate": "55%", "Comments": 214}
    by_year = overview.response_by_year(report.package).set_index("year").loc[2008]
    assert by_year["respondents"] == 556
    assert f"{by_year['response_rate']:.0f}%" == "55%"
    comments = overview.comments_by_year(report.package).set_index("year").loc[2008]
    assert comments["comments"] == 214


def test_cells_show_tables_and_figures_in_order(shown: tuple[OverviewReport, dict]) -> None:
    _, cells = shown
    over_years = cells["response_over_the_years"]
    assert [type(part) for part in over_years] == [PublishedTable, DisplayedFigure, PublishedTable]
    assert [over_years[0].csv_path.stem, over_years[2].csv_path.stem] == [
        "response_by_year",
        "response_by_year_and_staff_group",
    ]
    for cell, name in [
        ("response_by_directorate", "response_by_directorate"),
        ("response_by_staff_group", "response_by_staff_group"),
    ]:
        figure, table = cells[cell]
        assert figure.path.stem == name and table.csv_path.stem == name
        assert "Bar chart of the response rate" in figure.alt
    assert [table.csv_path.stem for table in cells["who_responded"]] == [
        "respondents_by_age_band",
        "respondents_by_gender",
        "respondents_by_ethnicity",
        "respondents_by_disability",
    ]
    sentence, missing = cells["missing_answers"]
    assert sentence.data.startswith(f"{len(missing.data)} items were asked in 2008;")
    assert cells["comments"].csv_path.stem == "comments_by_year"


def test_response_tables_hide_what_survey_hides(shown: tuple[OverviewReport, dict]) -> None:
    report, cells = shown
    gated = overview.gated_response_rates(report.package, 2008)
    crossing = gated[(gated["group_type"] == "directorate x staff_group") & (gated["year"] == 2008)]
    published = cells["response_by_directorate_and_staff_group"].data
    assert int(published["suppressed"].sum()) == int(crossing["suppressed"].sum())
