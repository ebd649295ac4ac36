"""The audit reads a label the spreadsheet guard quoted as the label itself (issue #10).

A published CSV's text cell beginning with ``=``, ``+``, ``-`` or ``@`` gets a leading quote
(:func:`analysis.text_safety.spreadsheet_text`), but only at the cell's start: a staff
group ``+X`` is written ``'+X`` in its own rows and ``+X`` after the separator of a
crossing's label (``'=A | +X``). Read as written, the crossing's cells belonged to a staff
group of their own, unbounded by ``'+X``'s published rows; on the demo package with markup
in its names, 340 slices of answers had no counts fitting them (left unaudited) and 211
counts were pinned by those phantom groups, while the demo's own run passed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.disclosure.audit import audit_relations
from analysis.disclosure.relations import read_published, read_relations
from analysis.text_safety import spreadsheet_cells

YEAR = 2008
META = {
    "count": "n",
    "universe": "survey responses",
    "attributes": ["year", "group_type", "group", "item_id"],
}


def _rows(a: str, b: str, x: str, y: str) -> list[tuple]:
    """Directorates a, b by staff groups x, y: every margin shown, every crossing cell
    hidden; a holds 12 (7 positive), b 18 (11), x 14 (8), y 16 (10); the organisation 30
    (18). A crossing cell's answers then lie within its Frechet bounds, e.g. (a, x) in
    [0, 12] and its positive answers in [0, 7]."""
    shown = [
        ("organisation", "Org", 30, 18),
        ("directorate", a, 12, 7),
        ("directorate", b, 18, 11),
        ("staff_group", x, 14, 8),
        ("staff_group", y, 16, 10),
    ]
    hidden = [
        ("directorate x staff_group", f"{d} | {g}", None, None) for d in (a, b) for g in (x, y)
    ]
    return shown + hidden


def _write(run: Path, labels: tuple[str, str, str, str]) -> None:
    table = pd.DataFrame(
        [
            {
                "year": YEAR,
                "group_type": group_type,
                "group": group,
                "item_id": "q1",
                "n": n,
                "n_positive": positive,
                "suppressed": n is None,
            }
            for group_type, group, n, positive in _rows(*labels)
        ]
    ).astype({"n": "Int64", "n_positive": "Int64"})
    folder = run / "tables" / "survey"
    folder.mkdir(parents=True)
    # as analysis.publishing writes a table
    (folder / "item_scores.csv").write_text(
        spreadsheet_cells(table).to_csv(index=False, na_rep=""), encoding="utf-8"
    )
    (folder / "item_scores.json").write_text(json.dumps(META), encoding="utf-8")


def _ranges(run: Path) -> dict[tuple[str, str], tuple[float, float]]:
    relations = read_relations(run, YEAR, years=[YEAR])
    result = audit_relations(relations, years=[YEAR], minimum_group_size=11, exact=True)
    return {(r.key, r.column): (r.lower, r.upper) for r in result.ranges}


def test_a_quoted_label_is_read_without_its_quote(tmp_path: Path) -> None:
    _write(tmp_path, ("=A", "B", "+X", "Y"))
    rows = read_published(tmp_path / "tables" / "survey" / "item_scores.csv")
    raw = (tmp_path / "tables" / "survey" / "item_scores.csv").read_text(encoding="utf-8")
    assert "'+X" in raw and "'=A | +X" in raw  # quoted at a cell's start only
    assert {row["group"] for row in rows} >= {"=A", "+X", "=A | +X", "B | +X"}


def test_quoted_labels_give_the_ranges_plain_labels_give(tmp_path: Path) -> None:
    """The same table with plain labels and with labels a spreadsheet would take for
    formulas: every hidden count has the same range (the Frechet bounds of the docstring of
    :func:`_rows`), keys aside. Read with their quotes, ``B | +X`` was a cell of a staff
    group ``+X`` that no published row bounds apart from the crossing, and the audit pinned
    its positive and other answers to exactly 0 (measured before the fix)."""
    _write(tmp_path / "plain", ("A", "B", "X", "Y"))
    _write(tmp_path / "quoted", ("=A", "B", "+X", "Y"))
    plain = _ranges(tmp_path / "plain")
    quoted = _ranges(tmp_path / "quoted")
    renamed = {
        (key.replace("=A", "A").replace("+X", "X"), column): found
        for (key, column), found in quoted.items()
    }
    assert len(plain) == 12  # 4 hidden cells: answers, positive, other
    assert renamed == plain
    assert plain[("year=2008, item_id=q1, directorate x staff_group=A | X", "n")] == (0, 12)
