"""The data overview's figures, checked by hand on the small test package.

The package (tests/package_builder.py) has 4 respondents in 2022 and 5 in 2023, and a
headcount of 20 in each year; every expected number below is worked out from it in a comment.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from package_builder import write_package

from analysis import overview
from analysis.datapackage import DataPackage, load_data_package


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> DataPackage:
    folder: Path = write_package(tmp_path_factory.mktemp("package"))
    return load_data_package(folder)


def test_response_by_year(package: DataPackage) -> None:
    table = overview.response_by_year(package).set_index("year")
    # 2022: 4 respondents / (10 + 4 + 6) staff = 20%; 2023: 5 / (12 + 3 + 5) = 25%
    assert table.loc[2022, ["respondents", "headcount"]].tolist() == [4, 20]
    assert table.loc[2022, "response_rate"] == pytest.approx(20.0)
    assert table.loc[2023, "response_rate"] == pytest.approx(25.0)


def test_response_rates_by_directorate_places_blank_groups_in_not_stated(
    package: DataPackage,
) -> None:
    table = overview.response_rates(package, 2022, by=["directorate"]).set_index("directorate")
    # Community: A1, A2 of 10 + 4 staff; Corporate: A3 of 6; A4 left directorate blank.
    assert table.loc["Community", "respondents"] == 2
    assert table.loc["Community", "response_rate"] == pytest.approx(100 * 2 / 14)
    assert table.loc["Corporate", "response_rate"] == pytest.approx(100 * 1 / 6)
    assert table.loc[overview.NOT_STATED, "respondents"] == 1
    assert pd.isna(table.loc[overview.NOT_STATED, "headcount"])
    assert table["respondents"].sum() == 4


def test_response_rates_over_years_has_a_row_per_year_and_group(package: DataPackage) -> None:
    table = overview.response_rates_over_years(package, by=["staff_group"])
    assert list(table.columns[:2]) == ["year", "staff_group"]
    rates = table.set_index(["year", "staff_group"])["response_rate"]
    # 2023 Nursing: B1, B2 of 12 staff; Admin: B3, B4, B5 of 3 + 5 staff.
    assert rates[(2023, "Nursing")] == pytest.approx(100 * 2 / 12)
    assert rates[(2023, "Admin")] == pytest.approx(100 * 3 / 8)


def test_response_rates_rejects_a_column_the_staff_table_lacks(package: DataPackage) -> None:
    with pytest.raises(ValueError, match="staff table has no column"):
        overview.response_rates(package, 2023, by=["team_id"])


def test_respondents_by_group_shares(package: DataPackage) -> None:
    table = overview.respondents_by_group(package, 2022, "directorate").set_index("directorate")
    assert table["respondents"].to_dict() == {"Community": 2, "Corporate": 1, "Not stated": 1}
    assert table.loc["Community", "percent"] == pytest.approx(50.0)


def test_missing_answers_separates_excluded_from_blank(package: DataPackage) -> None:
    table = overview.missing_answers(package, 2023).set_index("item_id")
    # q2 in 2023 = [1, 1, 2, blank, 9]: 3 answered, 1 "don't know" (9, excluded), 1 blank.
    assert table.loc["appraisal_had", ["answered", "excluded", "blank"]].tolist() == [3, 1, 1]
    assert table.loc["appraisal_had", "percent_blank"] == pytest.approx(20.0)
    # q1 in 2023 = [1, 3, 4, 5, 4]: all answered.
    assert table.loc["enthusiastic", ["answered", "excluded", "blank"]].tolist() == [5, 0, 0]


def test_unknown_year_is_a_clear_error(package: DataPackage) -> None:
    with pytest.raises(ValueError, match="no responses for 2019"):
        overview.missing_answers(package, 2019)


def test_questionnaire_changes(package: DataPackage) -> None:
    table = overview.questionnaire_changes(package)
    changes = dict(zip(table["item_id"], table["change"], strict=True))
    # pressure is asked from 2023 only; appraisal_had is marked not comparable in 2023.
    assert changes == {"appraisal_had": "reworded", "pressure": "new"}
    reworded = table.set_index("item_id").loc["appraisal_had"]
    assert reworded["before"] == "Q2: Have you had an appraisal?"
    assert reworded["after"].startswith("Q2a: In the last 12 months")


def test_comments_by_year(package: DataPackage) -> None:
    table = overview.comments_by_year(package).set_index("year")
    # 2022: A1 wrote C1 (1 of 4 respondents); 2023: B2 and B5 wrote C2, C3 (2 of 5).
    assert table.loc[2022, ["commenters", "comments"]].tolist() == [1, 1]
    assert table.loc[2023, "percent_commenting"] == pytest.approx(40.0)
