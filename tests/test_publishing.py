"""Tests of StageOutput: published tables, figures and headline figures."""

from __future__ import annotations

import base64
import json
import os
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from disclosure_attack import attack_published_table, read_published_table  # noqa: E402
from PIL import Image  # noqa: E402

from analysis.disclosure.gated import GatedTable, GatedValue, gate, not_person_level  # noqa: E402
from analysis.disclosure.marks import mark_gated  # noqa: E402
from analysis.publishing import (  # noqa: E402
    StageOutput,
    suppression_footnote,
    write_atomically,
)

FOOTNOTE = (
    "[c] fewer than 11 respondents, or hidden so that a hidden figure cannot be worked out "
    "by subtraction"
)


@pytest.fixture
def by_directorate() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "directorate": ["Adult services", "Children's services", "Corporate", "Estates"],
            "respondents": [5, 20, 1240, 30],
            "percent_positive": [60.0, 55.5, 70.25, 65.125],
        }
    )


def publish(out: StageOutput, table: pd.DataFrame, **extra):
    return out.table(
        table,
        "by_directorate",
        title="Staff recommending the trust, by directorate",
        count="respondents",
        dimensions=["directorate"],
        **extra,
    )


# --- tables -------------------------------------------------------------------------------


def test_table_files_are_written_where_the_pipeline_expects_them(tmp_path, by_directorate):
    published = publish(StageOutput(tmp_path, "survey", 11), by_directorate)
    assert published.csv_path == tmp_path / "tables" / "survey" / "by_directorate.csv"
    assert published.json_path == tmp_path / "tables" / "survey" / "by_directorate.json"
    assert published.csv_path.is_file() and published.json_path.is_file()


def test_csv_has_a_byte_order_mark_and_c_in_every_hidden_cell(tmp_path, by_directorate):
    published = publish(StageOutput(tmp_path, "survey", 11), by_directorate)
    raw = published.csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    # Adult services (5) is primary; Children's services (20) is the next smallest.
    assert lines == [
        "directorate,respondents,percent_positive",
        "Adult services,[c],[c]",
        "Children's services,[c],[c]",
        # Percentages to 1 decimal, half up (docs/disclosure.md, precision).
        "Corporate,1240,70.3",
        "Estates,30,65.1",
    ]


def test_json_describes_the_table(tmp_path, by_directorate):
    published = publish(StageOutput(tmp_path, "survey", 11), by_directorate, note="Q23d")
    metadata = json.loads(published.json_path.read_text(encoding="utf-8"))
    assert metadata["title"] == "Staff recommending the trust, by directorate"
    assert metadata["note"] == "Q23d"
    assert metadata["stage"] == "survey"
    assert metadata["count"] == "respondents"
    assert metadata["dimensions"] == ["directorate"]
    assert metadata["values"] == ["percent_positive"]
    assert metadata["minimum"] == 11
    assert metadata["columns"] == ["directorate", "respondents", "percent_positive"]


def test_a_published_table_resists_the_independent_attacker(tmp_path):
    table = pd.DataFrame(
        [(d, g, n) for d, g, n in zip("AABBCC", "xyxyxy", [4, 30, 25, 40, 35, 45], strict=True)],
        columns=["directorate", "staff_group", "respondents"],
    ).assign(percent=[50.0, 60, 70, 80, 90, 40])
    published = StageOutput(tmp_path, "survey", 11).table(
        table,
        "grid",
        title="Grid",
        count="respondents",
        dimensions=["directorate", "staff_group"],
    )
    attack = attack_published_table(published.csv_path)
    assert attack == {"recoverable": [], "small_counts": [], "values_shown_in_hidden_rows": []}
    # and the published file really hides something: (A,x) and its partners
    reader_view, _ = read_published_table(published.csv_path)
    assert reader_view["respondents"].isna().sum() == 4


def test_the_attacker_would_notice_a_table_published_without_the_gate(tmp_path):
    # A control for the test above: the same kind of files, hand-written with one hidden
    # cell, are attacked successfully.
    folder = tmp_path / "tables" / "survey"
    folder.mkdir(parents=True)
    (folder / "leaky.csv").write_text("d,n,p\na,[c],40.0\nb,30,50.0\nc,8,60.0\n", "utf-8-sig")
    (folder / "leaky.json").write_text(
        json.dumps({"count": "n", "dimensions": ["d"], "values": ["p"], "minimum": 11})
    )
    attack = attack_published_table(folder / "leaky.csv")
    assert attack["recoverable"] == [{"d": "a"}]
    assert attack["small_counts"] == [{"d": "c", "n": 8, "p": "60.0"}]
    [leak] = attack["values_shown_in_hidden_rows"]
    assert (leak["d"], leak["p"]) == ("a", "40.0") and pd.isna(leak["n"])


def test_the_stage_minimum_group_size_is_applied(tmp_path, by_directorate):
    published = publish(StageOutput(tmp_path, "survey", minimum_group_size=5), by_directorate)
    # 5 is not below 5: nothing is hidden.
    assert not published.data["suppressed"].any()
    assert "[c]" not in published.csv_path.read_text(encoding="utf-8-sig")
    assert json.loads(published.json_path.read_text())["minimum"] == 5


def test_values_default_to_every_figure_and_labels_stay_visible(tmp_path):
    table = pd.DataFrame(
        {
            "item": ["q1", "q1", "q1"],
            "directorate": ["A", "B", "C"],
            "respondents": [5, 20, 30],
            "change": ["up", "down", "same"],
            "wording": ["I would recommend"] * 3,
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        table,
        "change",
        title="Change",
        count="respondents",
        dimensions=["directorate"],
        labels=["wording"],
        for_each=["item"],
    )
    lines = published.csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "q1,A,[c],[c],I would recommend"
    metadata = json.loads(published.json_path.read_text())
    assert metadata["values"] == ["change"]
    assert metadata["for_each"] == ["item"]


def test_a_table_without_a_count_must_say_why(tmp_path):
    changes = pd.DataFrame({"item_id": ["q1"], "change": ["reworded in 2024"]})
    out = StageOutput(tmp_path, "survey", 11)
    with pytest.raises(ValueError, match="not person-level"):
        out.table(changes, "changes", title="Questionnaire changes")
    with pytest.raises(ValueError, match="not person-level: <reason>"):
        out.table(changes, "changes", title="Changes", disclosure="not person-level")
    with pytest.raises(ValueError, match="not both"):
        out.table(
            changes.assign(n=[30]),
            "changes",
            title="Changes",
            count="n",
            dimensions=["item_id"],
            disclosure="not person-level: a list of questions",
        )
    assert not (tmp_path / "tables" / "survey" / "changes.csv").exists()
    published = out.table(
        changes,
        "changes",
        title="Questionnaire changes",
        disclosure="not person-level: the questionnaire's changes between years",
    )
    assert published.csv_path.read_text(encoding="utf-8-sig").splitlines() == [
        "item_id,change",
        "q1,reworded in 2024",
    ]
    metadata = json.loads(published.json_path.read_text())
    assert metadata["count"] is None
    assert metadata["disclosure"] == "not person-level: the questionnaire's changes between years"
    assert attack_published_table(published.csv_path)["recoverable"] == []


@pytest.mark.parametrize("name", ["../escape", "", "with space", "a/b", ".hidden"])
def test_unsafe_table_names_are_refused(tmp_path, by_directorate, name):
    with pytest.raises(ValueError, match="file-name-safe"):
        StageOutput(tmp_path, "survey", 11).table(
            by_directorate, name, title="T", count="respondents", dimensions=["directorate"]
        )


def test_a_table_needs_a_title(tmp_path, by_directorate):
    with pytest.raises(ValueError, match="title"):
        StageOutput(tmp_path, "survey", 11).table(
            by_directorate, "t", title=" ", count="respondents", dimensions=["directorate"]
        )


def test_the_gate_errors_reach_the_notebook(tmp_path, by_directorate):
    with pytest.raises(ValueError, match="dimension column 'staff_group'"):
        StageOutput(tmp_path, "survey", 11).table(
            by_directorate, "t", title="T", count="respondents", dimensions=["staff_group"]
        )


def test_bad_stage_and_minimum_are_refused(tmp_path):
    with pytest.raises(ValueError, match="stage"):
        StageOutput(tmp_path, "survey/2024", 11)
    with pytest.raises(ValueError, match="at least 1"):
        StageOutput(tmp_path, "survey", minimum_group_size=0)


# --- the table's HTML ---------------------------------------------------------------------


def test_html_is_an_accessible_table_with_c_and_the_footnote(tmp_path, by_directorate):
    html = publish(
        StageOutput(tmp_path, "survey", 11), by_directorate, note="Source: NHS staff survey"
    )
    html = html._repr_html_()
    assert "<caption>Staff recommending the trust, by directorate</caption>" in html
    assert html.count('<th scope="col"') == 3
    assert '<th scope="col" style="text-align: right">Percent positive</th>' in html
    assert '<th scope="row" style="text-align: left">Adult services</th>' in html
    assert html.count('<td style="text-align: right">[c]</td>') == 4
    assert f'<p class="table-note">{FOOTNOTE}</p>' in html
    assert "Source: NHS staff survey" in html
    assert "suppression" not in html.lower().replace("suppression_footnote", "")
    assert "Children&#x27;s services" in html  # escaped


def test_html_rounds_sensibly(tmp_path, by_directorate):
    html = publish(StageOutput(tmp_path, "survey", 11), by_directorate)._repr_html_()
    cells = re.findall(r'<td style="text-align: right">([^<]*)</td>', html)
    # Counts are whole: no decimals, thousands separated. Percentages up to 99.9 get one
    # decimal (about three significant figures), rounded half up: 70.25 -> 70.3,
    # 65.125 -> 65.1.
    assert cells == ["[c]", "[c]", "[c]", "[c]", "1,240", "70.3", "30", "65.1"]


def test_html_of_proportions_shows_no_more_decimals_than_the_csv(tmp_path):
    table = pd.DataFrame({"d": ["a", "b"], "n": [50, 60], "proportion": [0.7345, 0.1]})
    html = (
        StageOutput(tmp_path, "survey", 11)
        .table(table, "p", title="P", count="n", dimensions=["d"])
        ._repr_html_()
    )
    # A proportion is a figure of no declared kind: published to 2 decimals
    # (docs/disclosure.md); the HTML shows no more than the CSV: 0.7345 -> 0.73, 0.1 -> 0.10.
    assert re.findall(r'<td style="text-align: right">([^<]*)</td>', html) == [
        "50",
        "0.73",
        "60",
        "0.10",
    ]
    assert "[c]" not in html  # nothing hidden, so no footnote either
    assert FOOTNOTE not in html


def test_html_title_is_escaped(tmp_path, by_directorate):
    published = StageOutput(tmp_path, "survey", 11).table(
        by_directorate,
        "t",
        title="Scores <b>& ranks</b>",
        count="respondents",
        dimensions=["directorate"],
    )
    assert "<caption>Scores &lt;b&gt;&amp; ranks&lt;/b&gt;</caption>" in published._repr_html_()


def test_footnote_follows_the_minimum():
    assert suppression_footnote(11) == FOOTNOTE
    assert suppression_footnote(5).startswith("[c] fewer than 5 respondents")


# --- figures ------------------------------------------------------------------------------


def make_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["A", "B"], [60, 70])
    return fig


def shown_data():
    """A gated table for figures to be drawn from (nothing about people in it)."""
    return not_person_level(pd.DataFrame({"x": ["A", "B"]}), "not person-level: a test", 11)


def test_figure_is_saved_closed_and_shown_with_alt_text(tmp_path):
    fig = make_figure()
    shown = StageOutput(tmp_path, "survey", 11).figure(
        fig,
        "recommend",
        alt="Bar chart: A 60%, B 70%",
        caption="Figure 1. Recommend",
        data=shown_data(),
    )
    path = tmp_path / "figures" / "survey" / "recommend.png"
    assert shown.path == path
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as image:
        assert image.info["dpi"] == pytest.approx((110, 110), abs=0.01)
    assert not plt.fignum_exists(fig.number)
    html = shown._repr_html_()
    match = re.fullmatch(
        r'<figure><img src="data:image/png;base64,([A-Za-z0-9+/=]+)" '
        r'alt="Bar chart: A 60%, B 70%"><figcaption>Figure 1. Recommend</figcaption></figure>',
        html,
    )
    assert match is not None
    assert base64.b64decode(match.group(1)) == path.read_bytes()


def test_figure_alt_text_is_escaped_and_caption_optional(tmp_path):
    shown = StageOutput(tmp_path, "survey", 11).figure(
        make_figure(), "f", alt='Scores "A" > "B"', data=shown_data()
    )
    html = shown._repr_html_()
    assert 'alt="Scores &quot;A&quot; &gt; &quot;B&quot;"' in html
    assert "<figcaption>" not in html


@pytest.mark.parametrize("alt", ["", "   "])
def test_figure_without_alt_text_is_refused(tmp_path, alt):
    fig = make_figure()
    with pytest.raises(ValueError, match="alt text"):
        StageOutput(tmp_path, "survey", 11).figure(fig, "f", alt=alt, data=shown_data())
    assert not (tmp_path / "figures" / "survey" / "f.png").exists()
    plt.close(fig)


def test_figure_must_be_a_matplotlib_figure(tmp_path):
    with pytest.raises(ValueError, match="matplotlib Figure"):
        StageOutput(tmp_path, "survey", 11).figure("not a figure", "f", alt="x", data=shown_data())


def test_a_figure_records_the_published_tables_it_shows(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    shown = rates.data[~rates.suppressed]  # rows selected from a gated table keep its mark
    out.figure(make_figure(), "f", alt="Bar chart", data=[rates, shown])
    side_file = json.loads((tmp_path / "figures" / "survey" / "f.json").read_text())
    assert side_file["data"] == ["tables/survey/rates.csv", "gated: cells"]
    assert side_file["alt"] == "Bar chart"


@pytest.mark.parametrize("data", [None, pd.DataFrame({"directorate": ["D"], "rate": [80.0]})])
def test_a_figure_drawn_from_data_the_gate_has_not_seen_is_refused(tmp_path, data):
    fig = make_figure()
    with pytest.raises(TypeError, match="gate has not seen"):
        StageOutput(tmp_path, "survey", 11).figure(fig, "f", alt="x", data=data)
    assert not (tmp_path / "figures" / "survey" / "f.png").exists()
    plt.close(fig)


# --- headlines ----------------------------------------------------------------------------


def read_headlines(folder, stage="survey"):
    return json.loads((folder / "headlines" / f"{stage}.json").read_text(encoding="utf-8"))


def rates_table(out):
    """A published table: directorate D has 6 respondents, below 11, so it is hidden."""
    table = pd.DataFrame(
        {
            "directorate": ["A", "B", "C", "D"],
            "respondents": [812, 40, 120, 6],
            "response_rate": [47.25, 62.5, 55.0, 80.0],
        }
    )
    return out.table(
        table,
        "rates",
        title="Rates",
        count="respondents",
        dimensions=["directorate"],
    )


def test_headlines_take_published_rows_and_show_hidden_ones_as_c(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    out.headline("Response rate", rates, row={"directorate": "A"}, column="response_rate", note="A")
    # D (6 respondents) is hidden by primary suppression; its partner B (40, the smallest
    # other) by secondary suppression: both headlines read [c], never 80.0 or 62.5.
    assert rates.suppressed.tolist() == [False, True, False, True]
    out.headline("D: response rate", rates, row={"directorate": "D"}, column="response_rate")
    out.headline("B: response rate", rates, row={"directorate": "B"}, column="response_rate")
    out.headline("B", rates, row={"directorate": "B"}, text="{directorate} ({response_rate}%)")
    out.headline("B's name", rates, row={"directorate": "B"}, text="{directorate}")
    out.headline(
        "C",
        rates,
        row=2,
        text="{directorate} ({response_rate}%)",
        caveat="not adjusted",
        adjustment="0 after Holm's adjustment",
    )
    blank = {"caveat": "", "adjustment": ""}
    assert read_headlines(tmp_path) == [
        # 47.25 is published as 47.3 (1 decimal, half up): the headline shows the same.
        {"label": "Response rate", "value": 47.3, "note": "A", **blank},
        {"label": "D: response rate", "value": "[c]", "note": "", **blank},
        {"label": "B: response rate", "value": "[c]", "note": "", **blank},
        {"label": "B", "value": "[c]", "note": "", **blank},
        {"label": "B's name", "value": "B", "note": "", **blank},
        {
            "label": "C",
            "value": "C (55.0%)",
            "note": "",
            "caveat": "not adjusted",
            "adjustment": "0 after Holm's adjustment",
        },
    ]


def test_headline_summaries_count_and_summarise_shown_rows_only(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    high = rates.data["response_rate"] > 50
    out.headline("Above 50%", rates, statistic="rows", where=high)
    out.headline("Median rate", rates, statistic="median", column="response_rate")
    # C (55.0) is shown; B (62.5) and D (80.0) are hidden, so only C counts; the median of
    # the shown rates 47.3 (47.25 as published) and 55.0 is (47.3 + 55.0) / 2 = 51.15.
    assert [h["value"] for h in read_headlines(tmp_path)] == [1, pytest.approx(51.15)]


@pytest.mark.parametrize("figure", [47.2, "7 of 9 improved", pd.DataFrame({"x": [1]})])
def test_a_headline_without_a_published_table_is_refused(tmp_path, figure):
    with pytest.raises(TypeError, match="published table"):
        StageOutput(tmp_path, "survey", 11).headline("Response rate", figure)
    assert not (tmp_path / "headlines").exists()


def test_a_gated_value_is_made_only_by_the_gate():
    with pytest.raises(TypeError, match="only by the gate"):
        GatedValue(47.2, False)


def test_a_headline_row_must_match_one_row(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    with pytest.raises(ValueError, match="matches 0 rows"):
        out.headline("X", rates, row={"directorate": "Z"}, column="response_rate")


def test_recording_a_label_again_replaces_it_in_place(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    out.headline("Response rate", rates, row={"directorate": "A"}, column="response_rate")
    out.headline("Themes", rates, statistic="rows")
    out.headline("Response rate", rates, row={"directorate": "C"}, column="response_rate")
    assert [(h["label"], h["value"]) for h in read_headlines(tmp_path)] == [
        ("Response rate", 55.0),
        ("Themes", 2),
    ]


def test_a_new_run_replaces_the_previous_runs_headlines(tmp_path):
    old = StageOutput(tmp_path, "survey", 11)
    old.headline("Old figure", rates_table(old), statistic="rows")
    new = StageOutput(tmp_path, "survey", 11)
    new.headline("New figure", rates_table(new), statistic="rows")
    assert read_headlines(tmp_path) == [
        {"label": "New figure", "value": 2, "note": "", "caveat": "", "adjustment": ""}
    ]


def test_headline_values_from_numpy_are_plain_json(tmp_path):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    out.headline("Count", rates, row={"directorate": "A"}, column="respondents")
    value = json.loads((tmp_path / "headlines" / "survey.json").read_text())[0]["value"]
    assert value == 812 and isinstance(value, int)


# --- atomic writes ------------------------------------------------------------------------


def fail_replace(*args, **kwargs):
    raise OSError("disk full")


def test_a_failed_table_write_leaves_the_previous_file_intact(
    tmp_path, by_directorate, monkeypatch
):
    out = StageOutput(tmp_path, "survey", 11)
    published = publish(out, by_directorate)
    before = published.csv_path.read_bytes()
    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        publish(out, by_directorate.assign(respondents=[50, 60, 70, 80]))
    assert published.csv_path.read_bytes() == before
    assert sorted(p.name for p in published.csv_path.parent.iterdir()) == [
        "by_directorate.csv",
        "by_directorate.json",
    ]


def test_a_failed_headline_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    out.headline("Response rate", rates, row={"directorate": "A"}, column="response_rate")
    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError):
        out.headline("Response rate", rates, row={"directorate": "B"}, column="response_rate")
    assert read_headlines(tmp_path) == [
        {"label": "Response rate", "value": 47.3, "note": "", "caveat": "", "adjustment": ""}
    ]
    assert [p.name for p in (tmp_path / "headlines").iterdir()] == ["survey.json"]


def test_a_failed_figure_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    out = StageOutput(tmp_path, "survey", 11)
    shown = out.figure(make_figure(), "f", alt="first", data=shown_data())
    before = shown.path.read_bytes()
    monkeypatch.setattr(os, "replace", fail_replace)
    fig, ax = plt.subplots()
    ax.plot([3, 1, 2])
    with pytest.raises(OSError):
        out.figure(fig, "f", alt="second", data=shown_data())
    assert shown.path.read_bytes() == before
    assert sorted(p.name for p in shown.path.parent.iterdir()) == ["f.json", "f.png"]


def test_write_atomically_creates_folders_and_readable_files(tmp_path):
    path = write_atomically(tmp_path / "a" / "b.txt", b"hello")
    assert path.read_bytes() == b"hello"
    assert path.stat().st_mode & 0o044 == 0o044  # readable by group and others
    write_atomically(path, b"again")
    assert path.read_bytes() == b"again"


def test_an_already_gated_table_is_published_with_c_where_the_gate_hid_it(tmp_path):
    # As analysis.survey.suppress_survey_tables returns a derived table: no count column,
    # the gate's `suppressed` flag, and figures already blanked in the hidden row.
    changes = pd.DataFrame(
        {
            "group": ["A", "B"],
            "diff_pp": [4.5, None],
            "p_value": [0.03, None],
            "suppressed": [False, True],
            "suppression": ["", "primary"],
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        mark_gated(changes, "survey"),  # as the survey gate returns its tables
        "changes",
        title="Change since last year",
        dimensions=["group"],
        gated=True,
    )
    lines = published.csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["group,diff_pp,p_value", "A,4.5,0.03", "B,[c],[c]"]
    assert json.loads(published.json_path.read_text())["gated"] is True
    assert "[c]" in published._repr_html_()


def test_a_table_marked_gated_must_have_passed_the_gate(tmp_path):
    with pytest.raises(ValueError, match="did not come out of the disclosure gate"):
        StageOutput(tmp_path, "survey", 11).table(
            pd.DataFrame({"group": ["A"], "n": [3]}), "raw", title="Raw", gated=True
        )
    # A `suppressed` column typed by hand is not the gate's word.
    forged = pd.DataFrame({"group": ["A"], "n": [3], "suppressed": [False]})
    with pytest.raises(ValueError, match="did not come out of the disclosure gate"):
        StageOutput(tmp_path, "survey", 11).table(forged, "raw", title="Raw", gated=True)


def test_only_the_gate_makes_a_gated_table():
    with pytest.raises(TypeError, match="made only by the gate"):
        GatedTable(
            data=pd.DataFrame({"n": [3]}),
            count="n",
            dimensions=(),
            for_each=(),
            values=(),
            labels=(),
            minimum=11,
            structure="cells",
        )


def test_a_gated_table_is_published_with_its_relation_metadata(tmp_path):
    table = pd.DataFrame(
        {"year": [2008, 2008], "directorate": ["A", "B"], "n": [30, 40], "pct": [50.0, 60.0]}
    )
    gated = gate(table, count="n", dimensions=["directorate"], for_each=["year"], minimum=11)
    published = StageOutput(tmp_path, "survey", 11).table(gated, "t", title="T")
    metadata = json.loads(published.json_path.read_text())
    assert metadata["count"] == "n"
    assert metadata["dimensions"] == ["directorate"]
    assert metadata["for_each"] == ["year"]
    assert metadata["values"] == ["pct"]
    assert metadata["structure"] == "cells"
    assert metadata["universe"] == "survey responses"
    assert metadata["attributes"] == ["year", "directorate"]
    assert metadata["weights"] == {}
    with pytest.raises(ValueError, match="gated with minimum 11"):
        StageOutput(tmp_path, "survey", 5).table(gated, "t", title="T")
    with pytest.raises(ValueError, match="is a GatedTable"):
        StageOutput(tmp_path, "survey", 11).table(gated, "t", title="T", count="n")


def test_year_columns_are_shown_without_a_thousands_separator(tmp_path):
    table = pd.DataFrame({"survey_year": [2007, 2008], "respondents": [1240, 1311]})
    published = StageOutput(tmp_path, "survey", 11).table(
        table, "years", title="By year", count="respondents", dimensions=["survey_year"]
    )
    html = published._repr_html_()
    assert ">2008<" in html and "2,008" not in html
    assert ">1,311<" in html  # counts keep their separator


def test_published_figures_carry_the_precision_people_read(tmp_path):
    table = pd.DataFrame(
        {
            "theme": ["a", "b"],
            "n": [40, 50],
            "score": [6.12549, 7.0],
            "ci_low": [5.5555, 6.444],
            "pct_positive": [70.25, 33.333333],
            "p_value": [0.000123456, 0.98765],
            "correlation": [0.123456, 0.5],
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        table, "t", title="T", count="n", dimensions=["theme"]
    )
    lines = published.csv_path.read_text(encoding="utf-8-sig").splitlines()
    # Scores (and their intervals, in a table of scores) 2 decimals, percentages 1 decimal,
    # p-values 3 significant figures, coefficients 2 decimals, half up (docs/disclosure.md).
    assert lines[1:] == [
        "a,40,6.13,5.56,70.3,0.000123,0.12",
        "b,50,7.0,6.44,33.3,0.988,0.5",
    ]
    precision = json.loads(published.json_path.read_text())["precision"]
    assert precision == {
        "score": "score",
        "ci_low": "score",
        "pct_positive": "percent",
        "p_value": "p-value",
        "correlation": "coefficient",
    }
    # What the notebook goes on to use is the published figure; full precision stays in the
    # gated table (and the executed notebook in the run folder).
    assert published.data["score"].iloc[0] == 6.13
    assert published.source.data["score"].iloc[0] == 6.12549


def test_every_decimal_column_is_rounded_by_a_declared_or_default_kind(tmp_path):
    table = pd.DataFrame(
        {
            "group": ["a", "b"],
            "n": [40, 50],
            "pct_positive": [70.25, 33.3333],
            "mean": [70.2549, 33.3333],
            "p_value_holm": [0.0123456, 1.0],
            "rate_per_1000": [12.3456, 0.0012345],
            "growth": [1.23456, 2.5],
        }
    )
    published = StageOutput(tmp_path, "survey", 11).table(
        table,
        "t",
        title="T",
        count="n",
        dimensions=["group"],
        precision={"growth": "percent"},
    )
    lines = published.csv_path.read_text(encoding="utf-8-sig").splitlines()
    # mean: a percentage in a table of percentages (1 decimal); p_value_holm: a p-value (3
    # significant figures); rate_per_1000: no kind, so a figure: 2 decimals, or 3
    # significant figures below 0.1 (0.0012345 -> 0.00123); growth: declared a percentage.
    assert lines[1:] == [
        "a,40,70.3,70.3,0.0123,12.35,1.2",
        "b,50,33.3,33.3,1.0,0.00123,2.5",
    ]
    html = published._repr_html_()
    cells = re.findall(r'<td(?: class="p-value")? style="text-align: right">([^<]*)</td>', html)
    # The HTML keeps the reports' display (about 3 significant figures of the column's
    # largest value: 12.35 -> 12.4) but never shows more decimals than the CSV (70.3, not
    # 70.25 or 70.30); a p-value shows its 3 significant figures, as the CSV publishes it
    # (analysis.presentation.format_p_value: 0.0123, and 1.00 for 1).
    assert cells[:6] == ["40", "70.3", "70.3", "0.0123", "12.4", "1.2"]
    assert cells[9] == "1.00"


def test_an_unknown_precision_kind_is_refused(tmp_path):
    table = pd.DataFrame({"group": ["a"], "n": [40], "x": [1.5]})
    with pytest.raises(ValueError, match="unknown precision kind"):
        StageOutput(tmp_path, "survey", 11).table(
            table, "t", title="T", count="n", dimensions=["group"], precision={"x": "exact"}
        )


def test_hidden_cells_hold_no_figure_for_a_figure_to_draw(tmp_path):
    # Figures are drawn from PublishedTable.data (or rows of it): a hidden row's count and
    # figures are empty there, so no chart, title or alt text built from it can show them.
    out = StageOutput(tmp_path, "survey", 11)
    rates = rates_table(out)
    hidden = rates.data.loc[rates.suppressed, ["respondents", "response_rate"]]
    assert list(rates.data.loc[rates.suppressed, "directorate"]) == ["B", "D"]
    assert hidden.isna().all().all()


def test_shown_displays_each_item_in_order_skips_none_and_shows_nothing_when_empty(
    monkeypatch,
) -> None:
    import IPython.display

    from analysis.publishing import Shown

    seen = []
    monkeypatch.setattr(IPython.display, "display", seen.append)
    Shown("first", None, "second")._ipython_display_()
    Shown()._ipython_display_()
    assert seen == ["first", "second"]
