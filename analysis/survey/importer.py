"""Building a data package from a survey contractor's flat files (``import-survey``).

Survey contractors and national microdata deliver flat files: one row per respondent of
every organisation surveyed (``respondent_id``, ``year``, ``org``, group columns, one column
per item, blanks for missing), a questionnaire sheet, and sometimes headcounts. The
contract of ``docs/data-package.md`` asks for something tidier. :func:`import_survey` reads
the flat files with the data package's own readers (CSV in UTF-8 or Windows-1252,
``.xlsx``, ``.sav``, ``.parquet``), checks them (every problem names the file, the row and
the column, and says what was expected), and writes one organisation's data package:

* ``dataset.yml``, ``questionnaire.csv`` and ``scales.csv`` (the built-in scales
  ``agree5`` and ``yesno``, and those of a scales file, that the questionnaire uses);
* ``responses.csv``: the organisation's respondents, with ``directorate``, ``staff_group``
  and the other group columns, and the item columns only (other columns of the responses
  file, which may identify people, are left out);
* ``staff.csv``: the organisation's headcounts from the population file, or, without
  one, its respondents per directorate and staff group ("Not stated" where blank), so
  that weights are all 1 and response rates 100% by construction;
* ``comparators.csv``: every other organisation's ``n`` and ``n_positive`` per item and
  year, counted from its respondents with the same questionnaire rules;
* ``comparator_profile.csv``: the other organisations' headcounts per staff group, when
  the population file has them;
* ``comments.csv`` from an optional free-text file.

The questionnaire and scales are checked before the responses are read; the responses are
read once (:mod:`analysis.survey.responses_scan`: in batches of rows for Parquet), keeping
the organisation's respondents and only counting the others' answers, so a national file
needs little memory. The folder is written next to its destination under a temporary name,
validated with :func:`analysis.datapackage.load_data_package`, then renamed into place: a
failed import never leaves a half-written package. The input files are only read.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.datapackage import load_data_package
from analysis.datapackage.conversion import quote_cell
from analysis.datapackage.groups import NOT_STATED
from analysis.datapackage.plain_yaml import dump_plain_yaml
from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.readers import read_table
from analysis.datapackage.schemas import TABLES, ColumnSpec, TableSpec
from analysis.datapackage.table_checks import check_table
from analysis.problems import DataPackageError, Problem
from analysis.survey.responses_scan import ScannedResponses, read_header, scan_responses

__all__ = [
    "BUILT_IN_SCALES",
    "NO_DIRECTORATE",
    "QUESTIONNAIRE_SPEC",
    "ImportSummary",
    "SurveyImportError",
    "import_survey",
    "import_survey_from_command_line",
]

BUILT_IN_SCALES = pd.DataFrame(
    {
        "scale_id": ["agree5"] * 5 + ["yesno"] * 2,
        "code": [1, 2, 3, 4, 5, 1, 2],
        "label": [
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
            "Yes",
            "No",
        ],
    }
)
"""The scales every questionnaire may name without a scales file."""

NO_DIRECTORATE = "Whole organisation"
"""The ``directorate`` of every respondent when the flat files have no directorate column."""

QUESTIONNAIRE_SPEC = TableSpec(
    "questionnaire",
    (
        ColumnSpec("item_id"),
        ColumnSpec("column"),
        ColumnSpec("year", "integer"),
        ColumnSpec("text"),
        ColumnSpec("theme"),
        ColumnSpec("scale"),
        ColumnSpec("positive_codes", "codes"),
        ColumnSpec("excluded_codes", "codes", blank_allowed=True),
        ColumnSpec("reverse", "boolean", blank_allowed=True),
    ),
    required=True,
    unique=(("year", "item_id"), ("year", "column")),
)
"""The contractor's questionnaire sheet: one row per item per year (``reverse`` blank = false)."""

_RESERVED = ("respondent_id", "year", "org", "team_id", "organisation")


class SurveyImportError(DataPackageError):
    """Raised when the flat files cannot make a data package; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(".", problems)
        lines = [f"The survey files have {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_survey` wrote.

    Attributes
    ----------
    folder
        The data package folder.
    survey_years
        The years with the organisation's respondents.
    respondents
        The organisation's respondents per year.
    comparator_organisations
        How many other organisations have item results in ``comparators.csv``.
    left_out_columns
        Columns of the responses file that are neither items nor group columns, and so
        were not copied.
    headcounts_from_population
        Whether ``staff.csv`` holds real headcounts (else respondent counts).
    user_missing
        Per column, the codes an SPSS responses file declares user-missing, with their
        labels: they became the items' excluded codes.
    relabelled_scales
        The package's scales made for items whose labels differ from the scale the
        questionnaire names (SPSS value labels, or excluded codes outside the scale).
    """

    folder: Path
    survey_years: tuple[int, ...]
    respondents: dict[int, int]
    comparator_organisations: int
    left_out_columns: tuple[str, ...]
    headcounts_from_population: bool
    user_missing: dict[str, dict[int, str]] = field(default_factory=dict)
    relabelled_scales: tuple[str, ...] = ()


def import_survey(
    responses: Path | str,
    questionnaire: Path | str,
    *,
    organisation: str,
    group_columns: Sequence[str],
    staff_group: str,
    minimum_group_size: int,
    out: Path | str,
    population: Path | str | None = None,
    scales: Path | str | None = None,
    comments: Path | str | None = None,
    directorate: str | None = None,
    organisation_name: str | None = None,
    comparator_group: str = "Other organisations in the survey file",
    replace: bool = False,
) -> ImportSummary:
    """Build one organisation's data package from a contractor's flat files.

    Parameters
    ----------
    responses
        One row per respondent: ``respondent_id``, ``year``, ``org``, the group columns and
        one column per item (codes; blank for missing). Rows of other organisations become
        the comparators.
    questionnaire
        ``item_id, column, year, text, theme, scale, positive_codes, excluded_codes,
        reverse`` (codes separated by ``;``). A reworded item needs a new ``item_id``.
    organisation
        The organisation's code in ``org`` (``--org``).
    group_columns
        Columns of ``responses`` to break results down by (``--groups``).
    staff_group
        The column holding the staff group (written as ``staff_group``).
    minimum_group_size
        ``minimum_group_size`` in ``dataset.yml`` (``--minimum-group-size``): figures based
        on fewer respondents are suppressed; a whole number of at least 1 (the NHS Staff
        Survey's own is 11). Required, so that the package states it.
    out
        The data package folder to create; it must not exist unless ``replace``.
    population
        Optional headcounts: ``year, org, <staff_group column>, headcount`` (and the
        directorate column when there is one).
    scales
        Optional scales: ``scale_id, code, label``, for scales other than the built-in
        ``agree5`` and ``yesno`` (repeating a built-in scale is allowed only unchanged).
    comments
        Optional free text: ``respondent_id, year, org, question, text``.
    directorate
        The column holding the directorate (written as ``directorate``); by default the
        group column called ``directorate``, and without one every respondent is in
        :data:`NO_DIRECTORATE`.
    organisation_name
        ``organisation.name`` in ``dataset.yml``; the code when not given.
    comparator_group
        ``comparator_group`` in ``dataset.yml`` when there are other organisations.
    replace
        Replace ``out`` when it is already a data package (it has a ``dataset.yml``).

    Returns
    -------
    ImportSummary
        Where the package is and what went in.

    Raises
    ------
    SurveyImportError
        Listing every problem of the options and the flat files, each naming the file, the
        row and the column, and what was expected; nothing is written.
    """
    inputs = {
        "responses": Path(responses),
        "questionnaire": Path(questionnaire),
        "population": None if population is None else Path(population),
        "scales": None if scales is None else Path(scales),
        "comments": None if comments is None else Path(comments),
    }
    out = Path(out)
    groups = list(dict.fromkeys([*group_columns, staff_group]))
    if directorate is None and "directorate" in groups:
        directorate = "directorate"
    if directorate is not None:
        groups = list(dict.fromkeys([directorate, *groups]))
    log = ProblemLog()
    _check_options(inputs, out, replace, groups, log)
    _check_minimum_group_size(minimum_group_size, log)
    if log:
        raise SurveyImportError(log.problems())
    files = {name: path.name for name, path in inputs.items() if path is not None}
    scale_cells = None if inputs["scales"] is None else _read(inputs["scales"], log)
    points, added = _scales(scale_cells, files.get("scales"), log)
    given_scales = _named_scales(scale_cells)
    items = _questionnaire(_read(inputs["questionnaire"], log), files["questionnaire"], points, log)
    if log or items is None:  # a bad questionnaire is refused before the responses are read
        raise SurveyImportError(log.problems())
    header, cells = read_header(inputs["responses"], log)
    if header is None or not _has_columns(header, files, items, groups, log):
        raise SurveyImportError(log.problems())
    user_missing = {} if cells is None else dict(cells.attrs.get("user_missing", {}))
    items = _honour_user_missing(items, user_missing, files, log)
    if log:
        raise SurveyImportError(log.problems())
    scan = scan_responses(
        inputs["responses"],
        cells,
        items,
        _allowed_codes(items, points),
        groups,
        organisation,
        files,
        log,
    )
    del cells
    _check_organisation(scan, organisation, files["responses"], log)
    own = scan.own
    years = tuple(sorted(int(year) for year in own["year"].unique()))
    renames = {staff_group: "staff_group"}
    if directorate is not None:
        renames[directorate] = "directorate"
    raw = {name: _read(inputs[name], log) for name in ("population", "comments") if inputs[name]}
    staff, profile = _headcounts(
        raw.get("population"), files, own, renames, organisation, years, log
    )
    comment_table = _comments(raw.get("comments"), files, own, organisation, log)
    if log:
        raise SurveyImportError(log.problems())
    items = items[items["year"].isin(years)].reset_index(drop=True)
    labels = {
        column: {**scan.value_labels.get(column, {}), **user_missing.get(column, {})}
        for column in {*scan.value_labels, *user_missing}
    }
    items, scale_table = _package_scales(items, points, added, labels, given_scales)
    package_groups = ["directorate", "staff_group"] + [
        column for column in groups if column not in renames
    ]
    own = own.rename(columns=renames)
    if directorate is None:
        own = own.assign(directorate=NO_DIRECTORATE)
    comparators = _comparator_results(scan.counts, items)
    tables = {
        "questionnaire": _package_questionnaire(items),
        "scales": scale_table,
        "responses": _package_responses(own, items, package_groups),
        "staff": staff if staff is not None else _respondent_counts(own),
        "comparators": comparators,
        "comparator_profile": profile,
        "comments": comment_table,
    }
    description = {
        "organisation": {"name": organisation_name or organisation, "code": organisation},
        "survey_years": list(years),
        "group_columns": package_groups,
        "minimum_group_size": minimum_group_size,
    }
    if not comparators.empty:
        description["comparator_group"] = comparator_group
    _write_package(out, description, tables, inputs, replace)
    left_out = [
        column
        for column in header
        if column not in {"respondent_id", "year", "org", *groups, *items["column"]}
    ]
    return ImportSummary(
        folder=out,
        survey_years=years,
        respondents={year: int((own["year"] == year).sum()) for year in years},
        comparator_organisations=int(comparators["organisation_code"].nunique()),
        left_out_columns=tuple(left_out),
        headcounts_from_population=staff is not None,
        user_missing={column: dict(codes) for column, codes in user_missing.items()},
        relabelled_scales=tuple(sorted(set(items["scale"]) - set(points["scale_id"]))),
    )


def import_survey_from_command_line(args: argparse.Namespace) -> int:
    """``python -m analysis import-survey``: import, then say what was written.

    Parameters
    ----------
    args
        From :func:`analysis.cli.build_parser`.

    Returns
    -------
    int
        0 when the package was written (or, with ``--add-year``, the year appended by
        :func:`analysis.survey.add_year.add_survey_year`). Problems with the files raise
        :class:`SurveyImportError`, which the command line prints.
    """
    options = {
        "responses": args.responses,
        "questionnaire": args.questionnaire,
        "organisation": args.org,
        "group_columns": [name.strip() for name in args.groups.split(",") if name.strip()],
        "staff_group": args.staff_group,
        "minimum_group_size": args.minimum_group_size,
        "population": args.population,
        "scales": args.scales,
        "comments": args.comments,
        "directorate": args.directorate,
        "organisation_name": args.name,
    }
    if args.add_year:
        from analysis.survey.add_year import add_survey_year

        if args.replace:
            raise SurveyImportError(
                [Problem("--add-year", "adds to a data package; it cannot be used with --replace")]
            )
        added = add_survey_year(args.out, options)
        print(f"Added {', '.join(map(str, added))} to the data package {args.out}.")
        print(f"Check it with: python -m analysis check {args.out} --year {added[-1]}")
        return 0
    summary = import_survey(out=args.out, replace=args.replace, **options)
    counts = ", ".join(f"{year}: {n}" for year, n in summary.respondents.items())
    print(f"Wrote the data package {summary.folder} (respondents {counts}).")
    print(f"Comparators: {summary.comparator_organisations} other organisation(s).")
    print(f"Minimum group size: {args.minimum_group_size} (minimum_group_size in dataset.yml).")
    if not summary.headcounts_from_population:
        print(
            "No --population: staff.csv counts respondents, so weights are 1 and response "
            "rates are 100% by construction."
        )
    if summary.left_out_columns:
        print("Not copied (neither items nor groups): " + ", ".join(summary.left_out_columns))
    for column, codes in summary.user_missing.items():
        declared = "; ".join(f"{code} = {label}" for code, label in codes.items())
        print(f"{column}: user-missing in the SPSS file, so excluded: {declared}")
    if summary.relabelled_scales:
        print(
            "Scales of their own (labels from the responses file or excluded codes): "
            + ", ".join(summary.relabelled_scales)
        )
    print(f"Check it with: python -m analysis check {summary.folder}")
    return 0


def _check_options(
    inputs: dict[str, Path | None], out: Path, replace: bool, groups: list[str], log: ProblemLog
) -> None:
    for option, path in inputs.items():
        if path is not None and not path.is_file():
            found = "is a folder" if path.is_dir() else "does not exist"
            log.add(str(path), f"{found}; expected the {option} file (--{option})")
    if out.exists():
        if not replace:
            log.add(
                str(out),
                "already exists; choose a new folder for the data package (--out), or "
                "give --replace to replace a data package written before",
            )
        elif not (out / "dataset.yml").is_file():
            log.add(str(out), "is not a data package (no dataset.yml), so it is not replaced")
        for path in inputs.values():
            if path is not None and path.resolve().is_relative_to(out.resolve()):
                log.add(str(path), f"is inside {out}; the input files are never replaced")
    for column in groups:
        if column in _RESERVED or " x " in column:
            log.add(
                "--groups",
                f"'{column}' cannot be a group column (reserved: {', '.join(_RESERVED)}; "
                "' x ' marks crossed breakdowns)",
            )


def _check_minimum_group_size(minimum_group_size: object, log: ProblemLog) -> None:
    whole = isinstance(minimum_group_size, int) and not isinstance(minimum_group_size, bool)
    if not whole or minimum_group_size < 1:
        log.add(
            "--minimum-group-size",
            "should be a whole number >= 1, the fewest respondents a shown figure may be "
            f"based on (the NHS Staff Survey's own is 11); found {minimum_group_size!r}",
        )


def _read(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    cells = read_table(path, path.read_bytes(), path.name, log)
    if cells is not None:
        cells.attrs = {}
    return cells


def _scales(
    cells: pd.DataFrame | None, file: str | None, log: ProblemLog
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scales' points, and the labels of codes a scales file adds to a built-in scale.

    A scales file may repeat a built-in scale unchanged, and may give it more codes: those
    are answers outside the scale's points (such as 9 = "Don't know"), which an item can
    only exclude. Returns ``(points, added)``, both with ``scale_id, code, label``.
    """
    added = BUILT_IN_SCALES.iloc[:0]
    if cells is None or file is None:
        return BUILT_IN_SCALES.copy(), added
    table = check_table(cells, TABLES["scales"], file, log)
    if log.has_problems(file, ("scale_id", "code", "label")):
        return BUILT_IN_SCALES.copy(), added
    table = table[["scale_id", "code", "label"]].astype({"code": "int64"})
    for scale_id, built_in in BUILT_IN_SCALES.groupby("scale_id"):
        given = table[table["scale_id"] == scale_id]
        points = given[given["code"].isin(built_in["code"])]
        same = points[["code", "label"]].to_numpy().tolist() == (
            built_in[["code", "label"]].to_numpy().tolist()
        )
        if len(given) and not same:
            log.add(
                file,
                f"scale '{scale_id}' is built in and cannot be redefined; expected it "
                f"unchanged ({_scale_text(built_in)}), with any further codes (such as 9 = "
                "Don't know) added after them, or under another scale_id",
                row=int(given.index[0]) + 2,
                column="scale_id",
            )
    built_in = table["scale_id"].isin(BUILT_IN_SCALES["scale_id"])
    known = pd.MultiIndex.from_frame(BUILT_IN_SCALES[["scale_id", "code"]])
    added = table[built_in & ~pd.MultiIndex.from_frame(table[["scale_id", "code"]]).isin(known)]
    points = pd.concat([BUILT_IN_SCALES, table[~built_in]], ignore_index=True)
    return points, added.reset_index(drop=True)


def _scale_text(scale: pd.DataFrame) -> str:
    return ", ".join(
        f"{code} = {label}" for code, label in zip(scale["code"], scale["label"], strict=True)
    )


def _questionnaire(
    cells: pd.DataFrame | None, file: str, scales: pd.DataFrame, log: ProblemLog
) -> pd.DataFrame | None:
    """Check the contractor's questionnaire; ``None`` when it cannot be used."""
    if cells is None:
        return None
    items = check_table(cells, QUESTIONNAIRE_SPEC, file, log)
    if log.has_problems(file, tuple(spec.name for spec in QUESTIONNAIRE_SPEC.columns)):
        return None
    items["reverse"] = items["reverse"].fillna(False).astype(bool)
    codes = scales.groupby("scale_id")["code"].agg(frozenset)
    known = ", ".join(sorted(codes.index))
    for index, item in items.iterrows():
        row = int(index) + 2
        if item["scale"] not in codes.index:
            log.add(
                file,
                f"{quote_cell(item['scale'])} is not a known scale; expected one of {known} "
                "(others come from a scales file, --scales)",
                row=row,
                column="scale",
            )
            continue
        scale = codes[item["scale"]]
        outside = [code for code in item["positive_codes"] if code not in scale]
        if outside:
            log.add(
                file,
                f"code(s) {_codes(outside)} are not in scale '{item['scale']}'; "
                f"expected codes among {_codes(sorted(scale))} (a code outside the scale, "
                "such as 9 for don't know, can only be excluded)",
                row=row,
                column="positive_codes",
            )
        if set(item["positive_codes"]) & set(item["excluded_codes"]):
            log.add(
                file,
                "a code cannot be both positive and excluded; expected codes not in "
                f"positive_codes {_codes(item['positive_codes'])}",
                row=row,
                column="excluded_codes",
            )
    _check_rewording(items, file, log)
    return items


def _check_rewording(items: pd.DataFrame, file: str, log: ProblemLog) -> None:
    """An item_id keeps its wording: a reworded item must get a new item_id."""
    wording = items["text"].str.split().str.join(" ").str.casefold()
    ordered = items.assign(wording=wording).sort_values(["item_id", "year"], kind="stable")
    first = ordered.groupby("item_id")[["wording", "year"]].transform("first")
    changed = ordered.index[ordered["wording"] != first["wording"]]
    log.add_rows(
        file,
        "text",
        "reworded",
        changed,
        lambda index: (
            f"item '{items.at[index, 'item_id']}' is worded differently in "
            f"{items.at[index, 'year']} than in {first.at[index, 'year']}; a reworded item "
            "starts a new series, so expected a new item_id for it"
        ),
    )


def _has_columns(
    header: list[str],
    files: dict[str, str],
    items: pd.DataFrame,
    groups: list[str],
    log: ProblemLog,
) -> bool:
    """Whether the responses file has every column the import needs (problems otherwise)."""
    file = files["responses"]
    absent = items.index[~items["column"].isin(header)]
    log.add_rows(
        files["questionnaire"],
        "column",
        "column not in responses",
        absent,
        lambda index: (
            f"{quote_cell(items.at[index, 'column'])} (item '{items.at[index, 'item_id']}' in "
            f"{items.at[index, 'year']}) is not a column of {file}; expected the responses "
            "column holding this item's answers"
        ),
    )
    for column in sorted(set(groups) & set(items["column"])):
        log.add("--groups", f"'{column}' is an item column of the questionnaire, not a group")
    fixed = (ColumnSpec("respondent_id"), ColumnSpec("year", "integer"), ColumnSpec("org"))
    spec = TableSpec("responses", fixed + tuple(ColumnSpec(column) for column in groups))
    sources = {column: "named in --groups, --staff-group or --directorate" for column in groups}
    before = len(log.problems())
    check_table(pd.DataFrame(columns=header), spec, file, log, column_sources=sources)
    return not len(absent) and len(log.problems()) == before


def _allowed_codes(items: pd.DataFrame, points: pd.DataFrame) -> dict[tuple[str, int], np.ndarray]:
    """``(column, year)`` -> the codes an answer may take: the scale's points and the
    item's excluded codes (answers outside the scale, such as 9 for don't know)."""
    codes = points.groupby("scale_id")["code"].agg(frozenset)
    return {
        (item.column, item.year): np.array(
            sorted(codes[item.scale] | set(item.excluded_codes)), dtype="float64"
        )
        for item in items.itertuples(index=False)
    }


def _check_organisation(
    scan: ScannedResponses, organisation: str, file: str, log: ProblemLog
) -> None:
    if organisation in scan.organisations or log.has_problems(file, ("year", "org")):
        return
    found = ", ".join(repr(code) for code in sorted(scan.organisations)[:20])
    log.add(
        file,
        f"no rows for organisation '{organisation}' (--org); expected one of the codes in "
        f"this column: {found}",
        column="org",
    )


def _honour_user_missing(
    items: pd.DataFrame, declared: dict[str, dict[int, str]], files: dict[str, str], log: ProblemLog
) -> pd.DataFrame:
    """Add the codes the SPSS responses file declares user-missing to the items' excluded codes.

    SPSS leaves user-missing codes (``MISSING VALUES q1 (-9)``) out of every statistic; so
    does the import, which counts them as excluded answers (labelled in the package's scale
    by :func:`_package_scales`). A declared code the questionnaire counts as positive is a
    problem naming the questionnaire's row.
    """
    if not declared:
        return items
    for index, item in items.iterrows():
        clash = sorted(set(item["positive_codes"]) & set(declared.get(item["column"], {})))
        if clash:
            log.add(
                files["questionnaire"],
                f"code(s) {_codes(clash)} of column {quote_cell(item['column'])} are declared "
                f"user-missing in {files['responses']}; expected positive codes that are "
                "answers, not missing values",
                row=int(index) + 2,
                column="positive_codes",
            )
    excluded = [
        tuple(sorted({*codes, *declared.get(column, {})}))
        for column, codes in zip(items["column"], items["excluded_codes"], strict=True)
    ]
    return items.assign(excluded_codes=pd.Series(excluded, index=items.index, dtype=object))


def _named_scales(cells: pd.DataFrame | None) -> set[str]:
    """The scale ids a scales file names (its labels win over a responses file's)."""
    if cells is None or "scale_id" not in cells.columns:
        return set()
    return {str(value).strip() for value in cells["scale_id"].dropna()}


def _same_label(first: str, second: str) -> bool:
    return " ".join(str(first).split()).casefold() == " ".join(str(second).split()).casefold()


def _package_scales(
    items: pd.DataFrame,
    points: pd.DataFrame,
    added: pd.DataFrame,
    value_labels: dict,
    given_scales: set[str] = frozenset(),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The items with the scale each has in the package, and the package's scales table.

    The labels of an item's codes come from the scales file when it names the item's
    scale; otherwise from the responses file's SPSS value labels (``value_labels``, with
    the labels of its user-missing codes), else from the built-in scale. An item whose
    labels differ from its scale's gets a scale of its own in the package:

    * SPSS labels that differ from a built-in scale's (``agree5`` labelled 1 = Never ...
      5 = Always) make ``<scale>_<column>`` (``agree5_q4``), every point labelled as the
      file labels it (an unlabelled point by its code, as SPSS shows it);
    * the data package counts an item's excluded codes among its scale's codes, so an item
      that excludes codes outside its scale (9 = don't know on ``agree5``) gets
      ``<scale>_with_<codes>`` (``agree5_with_9``): the points and those codes, labelled
      as the scales file labels them (codes it adds to a built-in scale), else as the SPSS
      file does, else ``Code 9 (excluded)``.

    Items with the same labels share a scale.
    """
    codes = points.groupby("scale_id")["code"].agg(frozenset)
    given = {(row.scale_id, row.code): row.label for row in added.itertuples(index=False)}
    made: dict[tuple, str] = {}
    tables: dict[str, pd.DataFrame] = {}
    package_scale = []
    for item in items.itertuples(index=False):
        base = points[points["scale_id"] == item.scale].sort_values("code", kind="stable")
        spss = {} if item.scale in given_scales else value_labels.get(item.column, {})
        point_labels = list(base["label"])
        relabelled = any(
            not _same_label(spss[code], label)
            for code, label in zip(base["code"], point_labels, strict=True)
            if code in spss
        )
        if relabelled:
            point_labels = [str(spss.get(code, code)) for code in base["code"]]
        extra = sorted(code for code in item.excluded_codes if code not in codes[item.scale])
        extra_labels = [
            given.get((item.scale, code), value_labels.get(item.column, {}).get(code))
            or f"Code {code} (excluded)"
            for code in extra
        ]
        if not extra and not relabelled:
            package_scale.append(item.scale)
            continue
        key = (item.scale, tuple(point_labels), tuple(extra), tuple(extra_labels))
        if key not in made:
            name = item.scale + (f"_{item.column}" if relabelled else "")
            if extra:
                name += f"_with_{'_'.join(str(code) for code in extra)}"
            scale_id, number = name, 1
            while scale_id in codes.index or scale_id in tables:
                number += 1
                scale_id = f"{name}_{number}"
            made[key] = scale_id
            tables[scale_id] = pd.DataFrame(
                {
                    "scale_id": scale_id,
                    "code": [*base["code"], *extra],
                    "label": [*point_labels, *extra_labels],
                }
            )
        package_scale.append(made[key])
    items = items.assign(scale=package_scale)
    plain = points[points["scale_id"].isin(items["scale"])]
    return items, pd.concat([plain, *tables.values()], ignore_index=True)


def _headcounts(
    cells: pd.DataFrame | None,
    files: dict[str, str],
    own: pd.DataFrame,
    renames: dict[str, str],
    organisation: str,
    years: tuple[int, ...],
    log: ProblemLog,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The staff table and the comparator profile from the population file, if given."""
    if cells is None:
        return None, None
    file = files["population"]
    columns = (ColumnSpec("year", "integer"), ColumnSpec("org"))
    columns += tuple(ColumnSpec(column) for column in reversed(renames))
    columns += (ColumnSpec("headcount", "integer", at_least=0),)
    key = ("year", "org", *reversed(renames))
    table = check_table(cells, TableSpec("population", columns, unique=(key,)), file, log)
    if log.has_problems(file, tuple(spec.name for spec in columns)):
        return None, None
    table = table[list(key) + ["headcount"]].rename(columns=renames)
    table = table[table["year"].isin(years)]
    cell = ["year", "directorate", "staff_group"]
    if "directorate" not in table.columns:
        table = table.assign(directorate=NO_DIRECTORATE)
    mine = table[table["org"] == organisation]
    counts = own.rename(columns=renames)
    if "directorate" not in counts.columns:
        counts = counts.assign(directorate=NO_DIRECTORATE)
    stated = counts.dropna(subset=cell)
    respondents = stated.groupby(cell).size().rename("respondents")
    joined = mine.join(respondents, on=cell)
    over = joined.index[joined["respondents"].fillna(0) > joined["headcount"]]
    log.add_rows(
        file,
        "headcount",
        "fewer staff than respondents",
        over,
        lambda index: (
            f"headcount {joined.at[index, 'headcount']} is less than the "
            f"{int(joined.at[index, 'respondents'])} respondents in {files['responses']}; "
            "expected at least as many staff as respondents"
        ),
    )
    listed = pd.MultiIndex.from_frame(mine[cell])
    for missing in respondents.index.difference(listed):
        first = stated.index[(stated[cell] == list(missing)).all(axis=1)][0]
        described = ", ".join(
            f"{name} {quote_cell(value)}" for name, value in zip(cell, missing, strict=True)
        )
        log.add(
            files["responses"],
            f"{described} has respondents but no headcount in {file}; expected a row there "
            "for every staff group (and directorate) with respondents",
            row=int(first) + 2,
            column=next(iter(renames)),
        )
    staff = mine[cell + ["headcount"]].sort_values(cell, ignore_index=True)
    others = table[table["org"] != organisation]
    profile = None
    if not others.empty:
        summed = others.groupby(["year", "staff_group"], sort=True)["headcount"].sum()
        profile = summed.reset_index()
    return staff, profile


def _comments(
    cells: pd.DataFrame | None,
    files: dict[str, str],
    own: pd.DataFrame,
    organisation: str,
    log: ProblemLog,
) -> pd.DataFrame | None:
    """The organisation's free-text answers as the comments table."""
    if cells is None:
        return None
    file = files["comments"]
    spec = TableSpec(
        "comments",
        (
            ColumnSpec("respondent_id"),
            ColumnSpec("year", "integer"),
            ColumnSpec("org"),
            ColumnSpec("question"),
            ColumnSpec("text"),
        ),
    )
    table = check_table(cells, spec, file, log)
    if log.has_problems(file, tuple(column.name for column in spec.columns)):
        return None
    table = table[table["org"] == organisation]
    known = pd.MultiIndex.from_frame(own[["year", "respondent_id"]])
    unknown = ~pd.MultiIndex.from_frame(table[["year", "respondent_id"]]).isin(known)
    log.add_rows(
        file,
        "respondent_id",
        "unknown respondent",
        table.index[unknown],
        lambda index: (
            f"{quote_cell(table.at[index, 'respondent_id'])} is not a respondent of "
            f"'{organisation}' in {table.at[index, 'year']} in {files['responses']}; expected "
            "the respondent_id of the person who wrote it"
        ),
    )
    number = table.groupby(["year", "respondent_id"]).cumcount() + 1
    comment_id = table["year"].astype(str) + "-" + table["respondent_id"] + "-" + number.astype(str)
    return pd.DataFrame(
        {
            "comment_id": comment_id,
            "respondent_id": table["respondent_id"],
            "year": table["year"],
            "question": table["question"],
            "text": table["text"],
        }
    ).reset_index(drop=True)


def _comparator_results(counts: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Every other organisation's valid and positive answers per item and year.

    ``counts`` holds each code's count per year, organisation and column
    (:func:`analysis.survey.responses_scan.scan_responses`). ``n`` counts the answers
    that are neither blank nor an excluded code, ``n_positive`` those among them in
    ``positive_codes``: the same rules as the organisation's own scores.
    """
    columns = [spec.name for spec in TABLES["comparators"].columns]
    rules = [
        (item.year, item.item_id, code, kind)
        for item in items.itertuples(index=False)
        for kind, listed in (("positive", item.positive_codes), ("excluded", item.excluded_codes))
        for code in listed
    ]
    flags = pd.DataFrame(rules, columns=["year", "item_id", "code", "kind"])
    order = items[["year", "item_id"]].assign(order=range(len(items)))
    key = ["year", "item_id"]
    counts = counts.astype({"year": "int64", "column": "str", "code": "Int64"}).merge(
        items[["year", "column", "item_id"]].astype({"year": "int64", "item_id": "str"}),
        on=["year", "column"],
    )
    counts = counts.merge(order.astype({"year": "int64", "item_id": "str"}), on=key)
    if counts.empty:
        return pd.DataFrame(columns=columns)
    flagged = counts.merge(
        flags.astype({"year": "int64", "item_id": "str", "code": "Int64"}),
        on=[*key, "code"],
        how="left",
    )
    valid = flagged["code"].notna() & (flagged["kind"] != "excluded")
    table = (
        flagged.assign(
            n=flagged["count"].where(valid, 0),
            n_positive=flagged["count"].where(flagged["kind"] == "positive", 0),
        )
        .groupby(["year", "org", "order", "item_id"], sort=True)[["n", "n_positive"]]
        .sum()
        .reset_index()
        .rename(columns={"org": "organisation_code"})
    )
    table["organisation_name"] = table["organisation_code"]
    return table[columns].astype({"n": "int64", "n_positive": "int64"}).reset_index(drop=True)


def _package_questionnaire(items: pd.DataFrame) -> pd.DataFrame:
    """The contract's questionnaire: an item is comparable where it was asked before."""
    earlier = items.groupby("item_id")["year"].transform("min") < items["year"]
    return pd.DataFrame(
        {
            "year": items["year"],
            "item_id": items["item_id"],
            "column": items["column"],
            "question_number": items["column"],
            "wording": items["text"],
            "theme": items["theme"],
            "scale_id": items["scale"],
            "positive_codes": items["positive_codes"].map(_codes),
            "excluded_codes": items["excluded_codes"].map(_codes),
            "reverse_scored": items["reverse"].map({True: "true", False: "false"}),
            "comparable_with_previous": earlier.map({True: "true", False: "false"}),
        }
    )


def _package_responses(own: pd.DataFrame, items: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    columns = ["respondent_id", "year", *groups, *dict.fromkeys(items["column"])]
    return own[columns].sort_values(["year"], kind="stable")


def _respondent_counts(own: pd.DataFrame) -> pd.DataFrame:
    """Without headcounts, the staff table counts the respondents of each group.

    Respondents who did not state their directorate or staff group are counted under
    "Not stated" (the label the survey tables give them), so that the organisation's
    headcount equals its respondents and every response rate is 100%.
    """
    cell = ["year", "directorate", "staff_group"]
    labelled = own[cell].fillna({"directorate": NOT_STATED, "staff_group": NOT_STATED})
    counted = labelled.groupby(cell, sort=True).size()
    return counted.rename("headcount").reset_index()


def _codes(codes: Sequence[int]) -> str:
    return ";".join(str(code) for code in codes)


def _write_package(
    out: Path,
    description: dict,
    tables: dict[str, pd.DataFrame | None],
    inputs: dict[str, Path | None],
    replace: bool,
) -> None:
    """Write into a temporary folder beside ``out``, validate, then rename into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(3)}"
    partial.mkdir()
    try:
        sources = [
            f"#   --{option} {path.name} (sha256 {hashlib.sha256(path.read_bytes()).hexdigest()})"
            for option, path in inputs.items()
            if path is not None
        ]
        header = "\n".join(["# Written by `python -m analysis import-survey` from:", *sources, ""])
        text = dump_plain_yaml(description, sort_keys=False, allow_unicode=True)
        (partial / "dataset.yml").write_text(header + text, encoding="utf-8")
        for name, table in tables.items():
            if table is not None and not table.empty:
                table.to_csv(partial / f"{name}.csv", index=False, encoding="utf-8")
        load_data_package(partial)
        if out.exists() and replace:
            old = out.parent / f".{out.name}.replaced-{secrets.token_hex(3)}"
            out.rename(old)
            partial.rename(out)
            shutil.rmtree(old)
        else:
            partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
