"""Tests of :mod:`analysis.indicators.profile_report`: what the private profile's cells show.

The expected values are read by hand from the demo package's CSV files (``data/demo``), cited
at each assertion; the minimum group size of the demo is 11 (``dataset.yml``).
"""

import json

import pandas as pd
import pytest
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from analysis.indicators.profile_report import open_profile, profile_of, skills_finding
from analysis.indicators.profiles import UnknownStaffError
from analysis.private_profile import PROFILE_NOTEBOOK
from analysis.publishing import DisplayedFigure, PublishedTable, Shown

DEMO = "data/demo"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The profile of S0002 (team T33, 16 staff in ``staff_list.csv``), opened once."""
    return open_profile(DEMO, "S0002", None, tmp_path_factory.mktemp("profile"), "researcher")


def _profile(report, staff_id, tmp_path):
    return profile_of(report.package, staff_id, None, tmp_path, "researcher")


def test_introduction_names_the_organisation_and_the_person(report):
    shown = report.introduction()
    assert isinstance(shown, Shown) and len(shown) == 2
    sentence, details = shown
    assert sentence.data == "**Northfield Primary Care Trust**: private profile of S0002."
    assert isinstance(details, Styler)
    assert "S0002" in details.to_html()


def test_appraisals_show_every_review_with_its_date_written_out(report):
    page = report.appraisals().to_html()
    # appraisals.csv: S0002 was reviewed on 2006-01-16, 2006-08-31 and 2007-08-27.
    for day in ("16 January 2006", "31 August 2006", "27 August 2007"):
        assert day in page
    assert "Attend the &#39;Managing people well&#39; course." in page  # escaped


def test_objectives_or_the_sentence_saying_there_are_none(report, tmp_path):
    assert isinstance(report.objectives(), Styler)
    # S0001 has no row in appraisal_objectives.csv.
    none = _profile(report, "S0001", tmp_path).objectives()
    assert isinstance(none, Markdown)
    assert none.data == "No objectives are recorded for this member of staff."


def test_skills_finding_counts_the_dimensions_below_the_posts_level():
    met = pd.DataFrame({"gap": [0, 0, 0]})
    short = pd.DataFrame({"gap": [1, 0, 2, 0]})
    assert skills_finding(met) == "meets the post's level on all 3 dimensions"
    assert skills_finding(short) == "below the post's level on 2 of 4 dimensions"


def test_skills_chart_says_in_its_alt_text_whether_the_person_meets_the_post(report, tmp_path):
    # appraisal_skills.csv, S0002's latest review: assessed >= required on all 6 dimensions.
    met = report.skills()
    assert isinstance(met, DisplayedFigure)
    assert met.alt.endswith(
        "on each of 6 core dimensions: meets the post's level on all 6 dimensions."
    )
    assert met.path.name == "skills.png" and met.path.is_file()
    # S0004's review of 2008-08-15 (lines 32-37): below on "Health, safety and security"
    # and "Equality and diversity" (required 2, assessed 1), met on the other four.
    short = _profile(report, "S0004", tmp_path).skills()
    assert short.alt.endswith(": below the post's level on 2 of 6 dimensions.")
    # S0001 has no KSF review.
    none = _profile(report, "S0001", tmp_path).skills()
    assert none.data == "No KSF review is recorded for this member of staff."


def test_team_table_has_the_role_profile_columns_and_the_teams_values(report):
    table = report.team_indicators()
    assert isinstance(table, PublishedTable)
    assert table.title == "Team T33, 2008: the indicators this role influences"
    published = pd.read_csv(table.csv_path, dtype=str, keep_default_na=False)
    columns = ["type", "indicator", "unit_of_measure", "value", "median", "rating", "trend"]
    assert published.columns.tolist() == columns
    # role_profiles.csv / indicators.yml: role R09 influences four quantitative and two
    # qualitative indicators.
    assert published["type"].tolist() == ["quantitative"] * 4 + ["qualitative"] * 2
    assert published.loc[0, "indicator"] == "Sickness absence rate"
    assert published.loc[0, "value"] != "[c]"  # 16 staff in T33: shown


def test_a_team_under_the_minimum_has_its_staff_values_hidden(report, tmp_path):
    # staff_list.csv: S0068 is in T35, which has 6 staff, fewer than the minimum of 11.
    table = _profile(report, "S0068", tmp_path).team_indicators()
    assert table.title.startswith("Team T35, 2008")
    published = pd.read_csv(table.csv_path, dtype=str, keep_default_na=False).set_index("indicator")
    staff_rows = published.drop(index="Complaints")  # complaints are counted, not staff
    assert (staff_rows[["value", "median", "rating", "trend"]] == "[c]").all().all()
    assert published.loc["Complaints", "value"] != "[c]"


def test_an_unknown_staff_id_stops_before_anything_is_shown(report, tmp_path):
    with pytest.raises(UnknownStaffError, match="S9999"):
        _profile(report, "S9999", tmp_path)


def test_notebook_cells_are_short_and_each_shows_one_call_of_the_report():
    notebook = json.loads(PROFILE_NOTEBOOK.read_text(encoding="utf-8"))
    code = [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", [])
    ]
    # The opening call passes the profile command's inputs, then shows the introduction.
    assert max(len(source.splitlines()) for source in code) <= 12
    opening, *cells = code
    assert "open_profile(" in opening and opening.endswith("\nprofile.introduction()")
    assert cells == [
        "profile.appraisals()",
        "profile.objectives()",
        "profile.skills()",
        "profile.team_indicators()",
    ]
