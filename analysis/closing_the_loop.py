"""Closing the loop of the action-research cycle: since last year, and what to act on now.

After a run's stages have written their published tables, :func:`close_the_loop` reads them
(only the rows the disclosure gate left visible) and writes two files into the run folder:

- ``since_last_year.json``, the index page's "Since last year" section: last year's headline
  figures beside this year's (from the previous survey year's run folder in the same reports
  folder, when there is one); last year's actions with their pre-registered outcome
  measures and the verdicts this year's run gave them (``tables/interventions``); and this
  year's findings that call for action (:func:`findings_for_action`).
- ``proposed_actions.csv``: one row per finding, in the columns of the data package's
  ``action_plans`` table (:data:`PLAN_COLUMNS`), with the finding, its baseline and the
  outcome measure filled in and ``to agree`` where people must decide (the action, its
  owner, the dates). Once edited and appended to ``action_plans``, next year's run evaluates
  it like any other action (``docs/annual-cycle.md``, "Closing the loop").

Findings that call for action (a survey item's % positive, the whole organisation):

- a significant decline since the previous survey (``tables/survey/changes.csv``);
- an item in the bottom fifth of the comparator group (``tables/survey/benchmark.csv``,
  quintile 5);
- a widening equality gap: a group of an equality characteristic (every group column but
  directorate and staff group) significantly below the rest of the organisation, further
  below than last year (``tables/survey/group_differences.csv``);
- a rising comment theme: a code raised by significantly more commenting staff than last
  year (``tables/comments/code_share_change.csv``, Holm-adjusted p < 0.05), with a warning
  when the two years were coded by different methods.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.datapackage import DataPackage
from analysis.datapackage.schemas import PROPOSAL_PLACEHOLDER
from analysis.evaluation.register import REGISTER_COLUMNS
from analysis.publishing import write_atomically
from analysis.run_folders import is_suite_folder
from analysis.text_safety import spreadsheet_cells, text_from_spreadsheet

__all__ = [
    "NOT_EQUALITY_GROUPS",
    "PLAN_COLUMNS",
    "TO_AGREE",
    "close_the_loop",
    "findings_for_action",
    "headlines_beside",
    "last_years_actions",
    "proposed_actions",
]

PLAN_COLUMNS = tuple(column for column in REGISTER_COLUMNS if column != "finding")
"""The columns of the data package's ``action_plans`` table, in its order."""

TO_AGREE = PROPOSAL_PLACEHOLDER
"""What ``proposed_actions.csv`` says where people must decide; ``check`` refuses an
``action_plans`` row that still holds it (an unedited proposal is not an action plan)."""

NOT_EQUALITY_GROUPS = ("organisation", "directorate", "staff_group", "team")
"""Group types of ``group_differences`` that are not equality characteristics."""

_SIGNIFICANT = 0.05
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _published(run_dir: Path, stage: str, name: str) -> pd.DataFrame | None:
    """A published table as its readers see it, formula quotes undone; ``None`` if absent."""
    path = run_dir / "tables" / stage / f"{name}.csv"
    if not path.is_file():
        return None
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return table.map(text_from_spreadsheet)


def _numbers(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Numeric columns (``[c]`` and blanks become missing) and ``suppressed`` as booleans."""
    converted = {column: pd.to_numeric(table[column], errors="coerce") for column in columns}
    shown = table.get("suppressed", pd.Series("False", index=table.index)) != "True"
    return table.assign(**converted, _shown=shown)


def _flag(table: pd.DataFrame, column: str) -> pd.Series:
    return table[column].str.lower() == "true"


def findings_for_action(
    run_dir: Path, year: int, previous_year: int | None, wording: Mapping[str, str]
) -> list[dict[str, Any]]:
    """This year's findings that call for action, from the run's published tables.

    Parameters
    ----------
    run_dir
        The run folder (its ``tables/survey`` and ``tables/comments``).
    year, previous_year
        The report year and the survey year before it (``None`` for the first).
    wording
        Item id to the question's wording, for the sentences.

    Returns
    -------
    list of dict
        One per finding: ``kind`` (``significant decline``, ``bottom quintile``,
        ``widening equality gap`` or ``rising comment theme``), ``finding_type`` (``item``
        or ``code``), ``finding_id``, ``baseline_value`` (this year's % positive of the
        item, or % of commenting staff raising the code, rounded to 0.1) and ``finding``
        (one sentence). Rows the disclosure gate hid are never read.
    """
    found: list[dict[str, Any]] = []

    def item(item_id: str) -> str:
        return f"{wording.get(item_id, item_id)} ({item_id})"

    changes = _published(run_dir, "survey", "changes")
    if changes is not None and previous_year is not None:
        rows = _numbers(changes, "pct", "diff_pp")
        rows = rows[
            rows["_shown"]
            & (rows["group_type"] == "organisation")
            & (rows["year"] == str(year))
            & (rows["base_year"] == str(previous_year))
            & _flag(rows, "significant")
            & (rows["diff_pp"] < 0)
        ]
        for row in rows.sort_values("diff_pp").itertuples():
            found.append(
                {
                    "kind": "significant decline",
                    "finding_type": "item",
                    "finding_id": row.item_id,
                    "baseline_value": round(float(row.pct), 1),
                    "finding": f"{item(row.item_id)}: {row.pct:.0f}% positive in {year}, down "
                    f"{-row.diff_pp:.0f} points since {previous_year} (significant)",
                }
            )
    benchmark = _published(run_dir, "survey", "benchmark")
    if benchmark is not None:
        rows = _numbers(benchmark, "pct", "quintile", "rank", "organisations")
        rows = rows[rows["_shown"] & (rows["year"] == str(year)) & (rows["quintile"] == 5)]
        for row in rows.sort_values("pct").itertuples():
            found.append(
                {
                    "kind": "bottom quintile",
                    "finding_type": "item",
                    "finding_id": row.item_id,
                    "baseline_value": round(float(row.pct), 1),
                    "finding": f"{item(row.item_id)}: {row.pct:.0f}% positive in {year}, in "
                    f"the bottom fifth of the comparator group ({row.rank:.0f} of "
                    f"{row.organisations:.0f})",
                }
            )
    found += _widening_gaps(run_dir, year, previous_year, item)
    found += _rising_codes(run_dir, year, previous_year)
    return found


def _widening_gaps(
    run_dir: Path, year: int, previous_year: int | None, item: Any
) -> list[dict[str, Any]]:
    differences = _published(run_dir, "survey", "group_differences")
    scores = _published(run_dir, "survey", "item_scores")
    if differences is None or scores is None or previous_year is None:
        return []
    rows = _numbers(differences, "diff_pp")
    rows = rows[
        rows["_shown"]
        & ~rows["group_type"].isin(NOT_EQUALITY_GROUPS)
        & ~rows["group_type"].str.contains(" x ", regex=False)
    ]
    key = ["group_type", "group", "item_id"]
    now = rows[(rows["year"] == str(year)) & _flag(rows, "significant") & (rows["diff_pp"] < 0)]
    before = rows[rows["year"] == str(previous_year)].set_index(key)["diff_pp"]
    organisation = _numbers(scores, "pct_positive")
    organisation = organisation[
        organisation["_shown"]
        & (organisation["group_type"] == "organisation")
        & (organisation["year"] == str(year))
    ].set_index("item_id")["pct_positive"]
    found = []
    for row in now.sort_values("diff_pp").itertuples():
        earlier = before.get((row.group_type, row.group, row.item_id))
        baseline = organisation.get(row.item_id)
        if earlier is None or pd.isna(earlier) or row.diff_pp >= earlier or pd.isna(baseline):
            continue
        found.append(
            {
                "kind": "widening equality gap",
                "finding_type": "item",
                "finding_id": row.item_id,
                "baseline_value": round(float(baseline), 1),
                "finding": f"{item(row.item_id)}: {row.group} ({row.group_type.replace('_', ' ')})"
                f" {-row.diff_pp:.0f} points below the rest of the organisation in {year}, "
                f"{_gap(earlier)} in {previous_year}",
            }
        )
    return found


def _gap(difference: float) -> str:
    """A group's difference from the rest, in words: ``"4 points below"``, ``"2 above"``."""
    side = "below" if difference < 0 else "above"
    return f"{abs(difference):.0f} points {side}"


def _rising_codes(run_dir: Path, year: int, previous_year: int | None) -> list[dict[str, Any]]:
    changes = _published(run_dir, "comments", "code_share_change")
    column = f"percent_{year}"
    if changes is None or previous_year is None or column not in changes.columns:
        return []
    rows = _numbers(changes, column, "change", "p_value_holm")
    rows = rows[(rows["change"] > 0) & (rows["p_value_holm"] < _SIGNIFICANT)]
    found = []
    for row in rows.sort_values("change", ascending=False).to_dict("records"):
        mixed = "methods_differ" in row and str(row["methods_differ"]).lower() == "true"
        found.append(
            {
                "kind": "rising comment theme",
                "finding_type": "code",
                "finding_id": row["code_id"],
                "baseline_value": round(float(row[column]), 1),
                "finding": f"{row['label']} ({row['code_id']}): raised by {row[column]:.0f}% "
                f"of commenting staff in {year}, up {row['change']:.0f} points since "
                f"{previous_year} (significant)"
                + (
                    "; the two years were coded by different methods, so part of the change "
                    "may come from the coding"
                    if mixed
                    else ""
                ),
            }
        )
    return found


def _item_theme(package: DataPackage, year: int) -> dict[str, str]:
    questionnaire = package.tables["questionnaire"]
    rows = questionnaire[questionnaire["year"] == year]
    return dict(zip(rows["item_id"], rows["theme"], strict=True))


def proposed_actions(
    findings: Sequence[Mapping[str, Any]], package: DataPackage, year: int
) -> pd.DataFrame:
    """One proposed action per finding, in the columns of the ``action_plans`` table.

    Parameters
    ----------
    findings
        From :func:`findings_for_action`; a finding id named twice (an item both declining
        and in the bottom fifth) gives one row.
    package
        The data package: its questionnaire (the item's theme), codebook (a code's linked
        survey theme and item) and ``action_plans`` (ids already taken).
    year
        The report year, the proposed actions' ``survey_year``.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`: ``action_id`` (``AP{year}-{n}``, the first numbers not taken),
        the finding (``finding_type``, ``finding_id``, ``baseline_value``), the item as
        ``item_id`` and primary ``outcome_measures`` with ``expected_direction``
        ``increase``, ``directorate`` ``All``, ``status`` ``planned``, ``action`` saying
        which finding to act on, ``owner_role`` :data:`TO_AGREE`, and placeholder dates:
        start 1 April of the next year (so the next survey follows it) and review a year
        later. A code the codebook links to no survey theme or item has no outcome
        measure the suite can evaluate and gets no row.
    """
    themes = _item_theme(package, year)
    plans = package.tables.get("action_plans")
    taken = set() if plans is None else set(plans["action_id"].astype(str))
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    number = 0
    for finding in findings:
        key = (finding["finding_type"], finding["finding_id"])
        if key in seen:
            continue
        seen.add(key)
        item_id, theme = finding["finding_id"], None
        if finding["finding_type"] == "code":
            code = next((c for c in package.codebook or () if c.id == finding["finding_id"]), None)
            linked = [i for i in (code.survey_items if code else ()) if i in themes]
            item_id = linked[0] if linked else None
            theme = (code.survey_themes[0] if code and code.survey_themes else None) or (
                themes.get(item_id) if item_id else None
            )
        else:
            theme = themes.get(item_id)
        if item_id is None or theme is None:
            continue
        number += 1
        while f"AP{year}-{number}" in taken:
            number += 1
        rows.append(
            {
                "action_id": f"AP{year}-{number}",
                "survey_year": year,
                "theme": theme,
                "finding_type": finding["finding_type"],
                "finding_id": finding["finding_id"],
                "baseline_value": finding["baseline_value"],
                "item_id": item_id,
                "indicator_id": "",
                "outcome_measures": item_id,
                "expected_direction": "increase",
                "directorate": "All",
                "team_id": "",
                "action": f"{TO_AGREE}: what to do about {finding['finding']}",
                "owner_role": TO_AGREE,
                "start_date": f"{year + 1}-04-01",
                "due_date": f"{year + 2}-03-31",
                "status": "planned",
            }
        )
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def headlines_beside(run_dir: Path, previous_dir: Path | None) -> list[dict[str, Any]]:
    """Last year's headline figures beside this year's, matched by stage and label.

    Labels are matched with their years left out ("Most raised in comments, 2007" and
    "..., 2008" are one figure). Returns rows of ``stage``, ``label`` (this year's),
    ``previous`` and ``current`` (``None`` where a year has no such figure).
    """

    def read(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
        figures: dict[tuple[str, str], dict[str, Any]] = {}
        for path in sorted((folder / "headlines").glob("*.json")):
            try:
                entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for entry in entries if isinstance(entries, list) else []:
                label = str(entry.get("label", ""))
                figures[(path.stem, _YEAR.sub("<year>", label))] = entry
        return figures

    current = read(run_dir)
    previous = read(previous_dir) if previous_dir is not None else {}
    rows = []
    for key in [*current, *(k for k in previous if k not in current)]:
        label = (current.get(key) or previous[key]).get("label", "")
        rows.append(
            {
                "stage": key[0],
                "label": str(label),
                "previous": (previous.get(key) or {}).get("value"),
                "current": (current.get(key) or {}).get("value"),
            }
        )
    return rows


def last_years_actions(run_dir: Path, previous_year: int | None) -> list[dict[str, Any]]:
    """The actions agreed after last year's survey, their outcome measures and verdicts.

    From the interventions stage's ``actions`` and ``evaluation_summary`` tables of this run:
    rows of ``action_id``, ``action``, ``outcome_measures``, ``expected_direction``,
    ``status`` and ``verdicts`` (outcome, design and verdict of each evaluation of the
    action's primary outcome; empty when no survey has followed its start yet).
    """
    actions = _published(run_dir, "interventions", "actions")
    if actions is None or previous_year is None:
        return []
    summary = _published(run_dir, "interventions", "evaluation_summary")
    evaluated: dict[str, list[dict[str, str]]] = {}
    if summary is not None:
        rows = summary[(summary["evaluated"] == "action") & _flag(summary, "primary")]
        for row in rows.to_dict("records"):
            for action_id in re.split(r"[,;]\s*", row["id"]):
                evaluated.setdefault(action_id.strip(), []).append(
                    {k: row[k] for k in ("outcome", "design", "verdict")}
                )
    return [
        {
            **{
                k: row.get(k, "")
                for k in ("action_id", "action", "outcome_measures", "expected_direction")
            },
            "status": row.get("status", ""),
            "verdicts": evaluated.get(row["action_id"], []),
        }
        for row in actions[actions["survey_year"] == str(previous_year)].to_dict("records")
    ]


def close_the_loop(
    run_dir: Path, package: DataPackage, year: int, dataset_dir: Path
) -> dict[str, Any]:
    """Write ``since_last_year.json`` and ``proposed_actions.csv`` into a run folder.

    Parameters
    ----------
    run_dir
        The run folder, its stages' tables written.
    package
        The data package.
    year
        The report year.
    dataset_dir
        The dataset's folder in the reports folder, where last year's run may be
        (``{dataset_dir}/{previous year}``, read only if the suite wrote it).

    Returns
    -------
    dict
        The section, as written to ``since_last_year.json``: ``year``, ``previous_year``,
        ``previous_run`` (whether last year's run folder was found), ``headlines``
        (:func:`headlines_beside`), ``actions`` (:func:`last_years_actions`) and
        ``findings`` (:func:`findings_for_action`, each with ``proposed_action``, the id
        of its row in ``proposed_actions.csv`` or ``""``).
    """
    earlier = [y for y in package.description.survey_years if y < year]
    previous_year = max(earlier) if earlier else None
    previous_dir = dataset_dir / str(previous_year) if previous_year is not None else None
    if previous_dir is not None and not is_suite_folder(previous_dir, "run"):
        previous_dir = None
    questionnaire = package.tables["questionnaire"]
    wording = dict(
        zip(
            questionnaire.loc[questionnaire["year"] == year, "item_id"],
            questionnaire.loc[questionnaire["year"] == year, "wording"],
            strict=True,
        )
    )
    findings = findings_for_action(run_dir, year, previous_year, wording)
    proposed = proposed_actions(findings, package, year)
    by_finding = dict(
        zip(
            zip(proposed["finding_type"], proposed["finding_id"], strict=True),
            proposed["action_id"],
            strict=True,
        )
    )
    for finding in findings:
        finding["proposed_action"] = by_finding.get(
            (finding["finding_type"], finding["finding_id"]), ""
        )
    section = {
        "year": year,
        "previous_year": previous_year,
        "previous_run": previous_dir is not None,
        "headlines": headlines_beside(run_dir, previous_dir),
        "actions": last_years_actions(run_dir, previous_year),
        "findings": findings,
    }
    csv_text = spreadsheet_cells(proposed).to_csv(index=False, na_rep="", lineterminator="\n")
    write_atomically(run_dir / "proposed_actions.csv", csv_text.encode("utf-8"))
    text = json.dumps(section, indent=2, ensure_ascii=False) + "\n"
    write_atomically(run_dir / "since_last_year.json", text.encode("utf-8"))
    return section
