"""``import-survey --add-year``: add a new survey year to an existing data package.

The contractor's files of the new year are imported on their own first (into a temporary
folder, with every check of :func:`analysis.survey.importer.import_survey`), then checked
against the earlier years and appended:

* the year must be new, the organisation and the group columns the same;
* an item asked before keeps its scale, positive and excluded codes, direction and wording
  (a reworded item needs a new ``item_id``, so that its trend starts again); it is marked
  ``comparable_with_previous`` when it was asked the year before;
* a scale used before keeps its codes and labels.

Nothing that was there is rewritten: each table's new rows are added after its existing
rows, whose values stay as they were (a new item adds its column, blank in earlier years);
``dataset.yml`` gains the year in ``survey_years``. The package is written into a copy beside
it, validated, then swapped in, so a failure leaves the package as it was.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.datapackage import DataPackage, load_data_package
from analysis.datapackage.problem_log import ProblemLog, spreadsheet_row
from analysis.datapackage.readers import read_table

__all__ = ["add_survey_year"]

_ITEM_RULES = ("scale_id", "positive_codes", "excluded_codes", "reverse_scored", "wording")
_APPENDED = (
    "questionnaire",
    "responses",
    "staff",
    "comparators",
    "comparator_profile",
    "comments",
    "scales",
)


def add_survey_year(out: Path | str, import_options: Mapping[str, Any]) -> tuple[int, ...]:
    """Import a new year's flat files and append them to the data package ``out``.

    Parameters
    ----------
    out
        An existing, valid data package whose tables are CSV files.
    import_options
        The arguments of :func:`analysis.survey.importer.import_survey` other than ``out``
        and ``replace`` (``responses``, ``questionnaire``, ``organisation``...).

    Returns
    -------
    tuple of int
        The survey years added.

    Raises
    ------
    analysis.survey.importer.SurveyImportError
        Listing every problem of the new files or of their fit with the earlier years
        (each naming the table, the item or column, and what was expected); nothing is
        written.
    analysis.problems.DataPackageError
        If ``out`` is not a valid data package.
    """
    from analysis.survey.importer import SurveyImportError, import_survey

    out = Path(out).resolve()
    existing = load_data_package(out)
    with tempfile.TemporaryDirectory(prefix=".add-year-", dir=out.parent) as scratch:
        new_folder = Path(scratch) / "new-year"
        import_survey(out=new_folder, replace=False, **import_options)
        new = load_data_package(new_folder)
        log = ProblemLog()
        _check_compatible(existing, new, _InputRows.of(import_options), log)
        if log:
            raise SurveyImportError(log.problems())
        added = new.description.survey_years
        _write_appended(out, existing, new, log)
        if log:
            raise SurveyImportError(log.problems())
    return added


_FLAT_COLUMNS = {
    "scale_id": "scale",
    "positive_codes": "positive_codes",
    "excluded_codes": "excluded_codes",
    "reverse_scored": "reverse",
    "wording": "text",
}
"""The questionnaire file's column (docs/import-survey.md) for each rule an item keeps."""


@dataclass(frozen=True)
class _InputRows:
    """Where an item or a scale of the new year is in the contractor's files.

    Attributes
    ----------
    questionnaire, scales
        The file's name and the spreadsheet row (header row 1) of each ``(item_id, year)``
        of the questionnaire file, and of each scale's first row in the scales file.
    """

    questionnaire: tuple[str, dict[tuple[str, int], int]]
    scales: tuple[str, dict[str, int]] | None

    @classmethod
    def of(cls, import_options: Mapping[str, Any]) -> _InputRows:
        """Read the questionnaire and scales files (already checked by the import)."""
        path = Path(import_options["questionnaire"])
        cells = read_table(path, path.read_bytes(), path.name, ProblemLog())
        years = pd.to_numeric(cells["year"], errors="coerce")
        items = {
            (str(item_id).strip(), int(year)): spreadsheet_row(index)
            for index, (item_id, year) in enumerate(zip(cells["item_id"], years, strict=True))
            if pd.notna(year)
        }
        scales = None
        if import_options.get("scales") is not None:
            scales_path = Path(import_options["scales"])
            scale_cells = read_table(
                scales_path, scales_path.read_bytes(), scales_path.name, ProblemLog()
            )
            first: dict[str, int] = {}
            for index, scale_id in enumerate(scale_cells["scale_id"]):
                first.setdefault(str(scale_id).strip(), spreadsheet_row(index))
            scales = (scales_path.name, first)
        return cls((path.name, items), scales)


def _check_compatible(
    existing: DataPackage, new: DataPackage, rows: _InputRows, log: ProblemLog
) -> None:
    old, added = existing.description, new.description
    again = sorted(set(added.survey_years) & set(old.survey_years))
    if again:
        log.add(
            "--add-year",
            f"{', '.join(map(str, again))} already in the data package's survey_years "
            f"({', '.join(map(str, old.survey_years))}); --add-year adds new years only",
        )
    if added.organisation_code != old.organisation_code:
        log.add(
            "--org",
            f"'{added.organisation_code}' is not the data package's organisation "
            f"'{old.organisation_code}'",
        )
    if added.minimum_group_size != old.minimum_group_size:
        log.add(
            "--minimum-group-size",
            f"{added.minimum_group_size} is not the data package's minimum_group_size "
            f"{old.minimum_group_size}; expected the same every year",
        )
    if set(added.group_columns) != set(old.group_columns):
        log.add(
            "--groups",
            f"the group columns {', '.join(added.group_columns)} differ from the earlier "
            f"years' {', '.join(old.group_columns)}; expected the same groups every year",
        )
    for name in existing.tables:
        if name in _APPENDED and not existing.files[name].name.endswith(".csv"):
            log.add(
                existing.files[name].name,
                "--add-year appends to CSV tables only; save this table as CSV first",
            )
    _check_items(existing.questionnaire, new.questionnaire, rows.questionnaire, log)
    _check_scales(existing.scales, new.scales, rows.scales, log)


def _check_items(
    old: pd.DataFrame,
    new: pd.DataFrame,
    where: tuple[str, dict[tuple[str, int], int]],
    log: ProblemLog,
) -> None:
    file, rows = where
    latest = old.sort_values("year").drop_duplicates("item_id", keep="last").set_index("item_id")
    for row in new.itertuples(index=False):
        if row.item_id not in latest.index:
            continue
        before = latest.loc[row.item_id]
        for rule in _ITEM_RULES:
            was, now = before[rule], getattr(row, rule)
            if was != now:
                log.add(
                    file,
                    f"item '{row.item_id}' in {row.year}: {rule} is {_shown(now)}, but "
                    f"{_shown(was)} in "
                    f"{before['year']} in the data package's questionnaire; expected the same, "
                    "or a new item_id for a changed item",
                    rows.get((str(row.item_id), int(row.year))),
                    _FLAT_COLUMNS[rule],
                )


def _shown(value: object) -> str:
    """A questionnaire value as a message shows it (a NumPy scalar as the Python value)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _check_scales(
    old: pd.DataFrame,
    new: pd.DataFrame,
    where: tuple[str, dict[str, int]] | None,
    log: ProblemLog,
) -> None:
    file, rows = where if where is not None else ("scales", {})
    for scale_id, scale_rows in new.groupby("scale_id", sort=True):
        before = old[old["scale_id"] == scale_id]
        if before.empty:
            continue
        was = dict(zip(before["code"], before["label"], strict=True))
        now = dict(zip(scale_rows["code"], scale_rows["label"], strict=True))
        if was != now:
            log.add(
                file,
                f"scale '{scale_id}' has codes and labels {now} but {was} in the data "
                "package's scales; expected the same scale, or a new scale_id",
                rows.get(str(scale_id)),
                "label",
            )


def _new_rows(existing: DataPackage, new: DataPackage, name: str) -> pd.DataFrame | None:
    """The rows of ``name`` to append, as text read from the imported CSV file."""
    if name not in new.tables:
        return None
    rows = pd.read_csv(new.files[name], dtype=str, keep_default_na=False)
    if name == "scales":
        known = set(existing.scales["scale_id"])
        rows = rows[~rows["scale_id"].isin(known)]
    if name == "questionnaire":
        asked = existing.questionnaire
        for index in rows.index:
            year = int(rows.at[index, "year"])
            before = asked[(asked["item_id"] == rows.at[index, "item_id"]) & (asked["year"] < year)]
            previous = [y for y in existing.description.survey_years if y < year]
            comparable = bool(previous) and (before["year"] == previous[-1]).any()
            rows.at[index, "comparable_with_previous"] = "true" if comparable else "false"
    return rows if len(rows) else None


def _write_appended(out: Path, existing: DataPackage, new: DataPackage, log: ProblemLog) -> None:
    partial = out.parent / f".{out.name}.add-year-{os.getpid()}-{secrets.token_hex(3)}"
    shutil.copytree(out, partial)
    try:
        for name in _APPENDED:
            rows = _new_rows(existing, new, name)
            if rows is None:
                continue
            file = partial / f"{name}.csv"
            if file.exists():
                _append_csv(file, rows)
            else:
                rows.to_csv(file, index=False, encoding="utf-8")
        _add_years(partial / "dataset.yml", new.description.survey_years, log)
        if log:
            shutil.rmtree(partial)
            return
        load_data_package(partial)
        old = out.parent / f".{out.name}.before-add-year-{secrets.token_hex(3)}"
        out.rename(old)
        partial.rename(out)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _append_csv(file: Path, rows: pd.DataFrame) -> None:
    """Add rows after a CSV file's rows; a new column is added blank for the earlier rows."""
    earlier = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    extra = [column for column in rows.columns if column not in earlier.columns]
    if not extra:
        text = rows.reindex(columns=earlier.columns, fill_value="").to_csv(
            index=False, header=False
        )
        data = file.read_bytes()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        file.write_bytes(data + text.encode("utf-8"))
        return
    combined = pd.concat([earlier, rows], ignore_index=True).fillna("")
    combined[[*earlier.columns, *extra]].to_csv(file, index=False, encoding="utf-8")


_YEARS_FLOW = re.compile(r"^survey_years:[ \t]*\[([^\]]*)\][ \t]*$", re.MULTILINE)
_YEARS_BLOCK = re.compile(
    r"^survey_years:[ \t]*\n((?:([ \t]*)-[ \t]*\d{4}[ \t]*\n)+)", re.MULTILINE
)


def _add_years(dataset: Path, years: tuple[int, ...], log: ProblemLog) -> None:
    """Add ``years`` to ``survey_years`` in dataset.yml, leaving every other line as it was."""
    text = dataset.read_text(encoding="utf-8-sig")
    flow, block = _YEARS_FLOW.search(text), _YEARS_BLOCK.search(text)
    if flow is not None:
        listed = [int(part) for part in flow.group(1).replace(" ", "").split(",") if part]
        updated = ", ".join(str(year) for year in sorted({*listed, *years}))
        text = text[: flow.start()] + f"survey_years: [{updated}]" + text[flow.end() :]
    elif block is not None:
        indent = block.group(2)
        added = "".join(f"{indent}- {year}\n" for year in years)
        text = text[: block.end()] + added + text[block.end() :]
    else:
        log.add(
            "dataset.yml",
            "survey_years is neither one line such as [2003, 2004] nor a list of years, one "
            "per line; add the year by hand (docs/annual-cycle.md)",
        )
        return
    dataset.write_text(text, encoding="utf-8")
