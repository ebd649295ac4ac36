"""The survey report's equality section: which published rows it shows, and its finding."""

from __future__ import annotations

import pandas as pd

from analysis.survey.equality_section import (
    equality_breakdowns,
    equality_differences,
    equality_finding,
)


def _differences() -> pd.DataFrame:
    # A hand-made published group_differences table: two equality breakdowns, one
    # organisational one, a suppressed row and a non-significant row.
    return pd.DataFrame(
        {
            "year": [2008, 2008, 2008, 2008, 2008, 2007],
            "group_type": [
                "ethnicity",
                "ethnicity",
                "disability",
                "directorate",
                "gender",
                "ethnicity",
            ],
            "group": ["BME", "White", "Yes", "Acute", "Male", "BME"],
            "item_id": ["bullied", "bullied", "discriminated", "bullied", "bullied", "bullied"],
            "diff_pp": [-12.0, 3.0, -8.5, -20.0, 1.0, -30.0],
            "p_adjusted": [0.01, 0.04, 0.001, 0.001, 0.5, 0.001],
            "significant": [True, True, True, True, False, True],
            "suppressed": [False, False, False, False, False, False],
        }
    )


def test_equality_breakdowns_leave_out_directorate_and_staff_group() -> None:
    columns = ["directorate", "staff_group", "age_band", "gender", "ethnicity", "disability"]
    assert equality_breakdowns(columns) == ["age_band", "gender", "ethnicity", "disability"]


def test_only_significant_equality_rows_of_the_report_year() -> None:
    table = _differences()
    rows = equality_differences(table, 2008, ["ethnicity", "disability", "gender"])
    assert rows.tolist() == [True, True, True, False, False, False]
    suppressed = table.assign(suppressed=[True, False, False, False, False, False])
    assert not equality_differences(suppressed, 2008, ["ethnicity"]).iloc[0]
    strongest = equality_differences(table, 2008, ["ethnicity", "disability"], strongest=2)
    assert strongest.tolist() == [True, False, True, False, False, False]  # p 0.001, 0.01


def test_finding_names_the_largest_shortfall() -> None:
    table = _differences()
    labels = pd.DataFrame(
        {"item_id": ["bullied", "discriminated"], "question_number": ["Q14b", "Q17b"]}
    )
    rows = equality_differences(table, 2008, ["ethnicity", "disability"])
    assert equality_finding(table, rows, labels, 2008, "Holm-adjusted") == (
        "In 2008, 3 differences between an equality group and the rest of the organisation "
        "were significant (p-values Holm-adjusted); the largest shortfall: BME (ethnicity) on "
        "Q14b, -12.0 points."
    )
    none = equality_differences(table, 2008, ["age_band"])
    assert "no equality group differed significantly" in equality_finding(
        table, none, labels, 2008, "not adjusted"
    )
