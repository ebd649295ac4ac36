"""What a group's survey pack shows (analysis.pack_report).

A small function is checked on a tiny table counted by hand; the whole pack once on the
demo package, in the notebook's order, against the raw responses and the tables the pack
itself published.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import pack_report as pack
from analysis.pack_report import PackReport, _significant_changes
from analysis.publishing import Shown

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"


def test_significant_changes_leave_out_hidden_and_untested_rows() -> None:
    changes = pd.DataFrame(
        {
            "significant": [True, None, True, False],
            "suppressed": [False, False, True, False],
        }
    )
    report = PackReport(
        None,
        2009,
        "directorate",
        "A",
        None,
        pd.DataFrame(),
        {"changes": SimpleNamespace(data=changes)},
    )
    # By hand: only the first row is both significant and shown.
    assert list(_significant_changes(report)) == [True, False, False, False]


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[PackReport, list, Path]:
    """The demo's largest directorate's pack, every part built in the notebook's order."""
    out = tmp_path_factory.mktemp("pack-report")
    report = pack.open_pack_report(DEMO, None, out, "directorate")
    parts = [
        pack.heading(report),
        pack.who_answered(report),
        pack.against_organisation(report),
        pack.against_organisation_table(report),
        pack.own_earlier_years(report),
        pack.significant_changes_table(report),
        pack.subgroups(report),
        pack.strongest_and_weakest(report),
    ]
    return report, parts, out


@pytest.mark.slow
def test_demo_pack_counts_the_groups_respondents(demo_pack) -> None:
    report, parts, _ = demo_pack
    responses = report.package.responses
    # Reference: the raw responses of the group in the report year.
    expected = (
        (responses["year"] == report.report_year) & (responses["directorate"] == report.group)
    ).sum()
    own = parts[1].data[parts[1].data["group"] == report.group]
    assert own["respondents"].iloc[0] == expected


@pytest.mark.slow
def test_demo_pack_finding_counts_the_published_significant_differences(demo_pack) -> None:
    report, parts, out = demo_pack
    folder = out / "packs" / "directorate" / "tables" / report.out.stage
    against = pd.read_csv(folder / "against_organisation.csv")
    significant = against["significant"].astype("boolean").fillna(False).astype(bool)
    more = int((significant & (against["diff_pp"] > 0)).sum())
    less = int((significant & (against["diff_pp"] < 0)).sum())
    assert parts[2].alt.endswith(
        f"more positive than the rest of the organisation on {more} questions, "
        f"less positive on {less}."
    )
    headlines = json.dumps(json.loads(next((out / "packs").rglob("headlines/*.json")).read_text()))
    assert "Questions significantly more positive than the rest" in headlines
    assert isinstance(parts[4], Shown)
