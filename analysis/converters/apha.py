"""The AphA CPD survey (2022, 237 NHS analysts) as a data package.

``python -m analysis.converters.apha --out DIR --minimum-group-size N`` reads
``apha_cpd_survey.csv`` and the question texts in ``apha_cpd_survey_labels.csv`` beside it
(by default in ``../shared/data/real/`` from the project's root; the files are only read),
writes the flat files of :func:`analysis.survey.importer.import_survey` to a temporary folder and
imports them. What it decides, and why, is in ``docs/real-data.md``:

* answers stored as text labels become codes of the scales below, matched on the label's
  opening words (dashes and spaces normalised); ``-`` is a blank; an unknown label is a
  problem naming the row and the column;
* percent positive counts the answers above the middle of each ordered scale (the top
  answer of a 3-point scale, the top two of a 4- or 5-point scale), ``Yes`` on yes/no
  items; ``Don't know`` is excluded;
* the staff group is the Agenda for Change band (other grades are "Not on Agenda for
  Change"; "Prefer not to say" is not stated); organisation types are tidied into the
  questionnaire's categories, other answers being "Other";
* every free-text field (``*_txt``) goes to the comments table;
* the respondents are one "organisation" (the survey's population), so there are no
  comparators, and without headcounts response rates are 100% by construction.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.datapackage.conversion import quote_cell
from analysis.problems import DataPackageError, Problem
from analysis.survey.importer import ImportSummary, SurveyImportError, import_survey

__all__ = [
    "DEFAULT_SOURCE",
    "ITEMS",
    "ORGANISATION_CODE",
    "SCALES",
    "OrdinalItem",
    "apha_flat_files",
    "convert_apha",
    "main",
]

DEFAULT_SOURCE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "apha_cpd_survey.csv"
)
"""Where the survey sits beside the project (not in it: see its README)."""

ORGANISATION_CODE = "APHA"
ORGANISATION_NAME = "AphA CPD survey of NHS analysts"
BLANK = "-"
"""How the export marks an unanswered question."""

SCALES: dict[str, tuple[str, ...]] = {
    "likely5": (
        "Very unlikely",
        "Somewhat unlikely",
        "Undecided",
        "Somewhat likely",
        "Very likely",
    ),
    "aware3": ("Not at all", "Yes - would like to know more", "Fully aware"),
    "often4": ("Rarely", "Sometimes", "Often", "Always"),
    "support3": ("Not at all", "Somewhat", "Very supportive"),
    "discuss5": (
        "Not at all",
        "Only when I request",
        "Only when appraisals are due",
        "Occasionally",
        "Regularly",
    ),
    "influence5": (
        "Not at all",
        "Yes - a little",
        "Yes - somewhat",
        "Yes - very often",
        "Yes - analytics influences most decisions",
    ),
}
"""The ordered answer scales (codes 1, 2, ... in this order), each label's opening words."""

_YES_NO = ("Yes", "No")
_YES_NO_DK = {"Yes": 1, "No": 2, "Don't know": 9}


@dataclass(frozen=True)
class OrdinalItem:
    """One closed question of the export and how it is scored.

    Attributes
    ----------
    column
        The export's column.
    item_id, theme
        As in the questionnaire.
    scale
        A key of :data:`SCALES`, ``yesno`` or ``yes_no_dk``.
    """

    column: str
    item_id: str
    theme: str
    scale: str

    def codes(self) -> dict[str, int]:
        """Each answer's opening words (normalised) to its code."""
        if self.scale == "yesno":
            labels = dict(zip(_YES_NO, (1, 2), strict=True))
        elif self.scale == "yes_no_dk":
            labels = _YES_NO_DK
        else:
            labels = {label: code for code, label in enumerate(SCALES[self.scale], start=1)}
        return {_normalise(label): code for label, code in labels.items()}

    def positive_codes(self) -> tuple[int, ...]:
        """Yes; else the codes above the middle of the scale."""
        if self.scale in ("yesno", "yes_no_dk"):
            return (1,)
        points = len(SCALES[self.scale])
        return tuple(code for code in range(1, points + 1) if code > (points + 1) / 2)

    def excluded_codes(self) -> tuple[int, ...]:
        """Don't know, on the scale that has it."""
        return (9,) if self.scale == "yes_no_dk" else ()


_SUPPORT = "Time and support for CPD"
_SOURCES = "Where analysts hear of CPD"
ITEMS = (
    OrdinalItem(
        "q07a_future_health_work_cat", "stay_in_nhs_3_years", "Career intentions", "likely5"
    ),
    OrdinalItem("q08a_apha_aware_ind", "aware_of_apha", "Professional community", "yesno"),
    OrdinalItem("q11a_nhs_cpd_aware_cat", "aware_of_cpd_opportunities", _SUPPORT, "aware3"),
    OrdinalItem("q12a_cpd_time_at_work_cat", "time_to_upskill_at_work", _SUPPORT, "often4"),
    OrdinalItem("q14a_mgr_cpd_supportive_cat", "manager_supports_cpd", _SUPPORT, "support3"),
    OrdinalItem("q16a_org_cpd_supportive_cat", "organisation_supports_cpd", _SUPPORT, "support3"),
    OrdinalItem("q17a_org_cpd_budget_cat", "organisation_has_cpd_budget", _SUPPORT, "yes_no_dk"),
    OrdinalItem("q18a_org_study_leave_ind", "organisation_offers_study_leave", _SUPPORT, "yesno"),
    OrdinalItem("q19a_mgr_cpd_discuss_freq_cat", "development_discussed", _SUPPORT, "discuss5"),
    OrdinalItem("q20a_cpd_opps_nhs_intranet_ind", "hears_via_nhs_intranet", _SOURCES, "yesno"),
    OrdinalItem("q20b_cpd_opps_org_website_ind", "hears_via_org_website", _SOURCES, "yesno"),
    OrdinalItem("q20c_cpd_opps_blogs_ind", "hears_via_blogs", _SOURCES, "yesno"),
    OrdinalItem("q20d_cpd_opps_twitter_ind", "hears_via_twitter", _SOURCES, "yesno"),
    OrdinalItem("q20e_cpd_opps_linkedin_ind", "hears_via_linkedin", _SOURCES, "yesno"),
    OrdinalItem("q20f_cpd_opps_word_of_mouth_ind", "hears_by_word_of_mouth", _SOURCES, "yesno"),
    OrdinalItem("q20g_cpd_opps_apha_website_ind", "hears_via_apha_website", _SOURCES, "yesno"),
    OrdinalItem(
        "q24a_org_analytics_influence_cat",
        "analytics_influences_decisions",
        "Influence of analytics",
        "influence5",
    ),
)
"""The closed questions scored. Left out: ``q13a`` (CPD out of hours) and ``q15a`` (would
like more support), whose favourable answer is not clear, and the background questions."""

BAND_COLUMN = "q05a_afc_band_cat"
ORGANISATION_TYPE_COLUMN = "q22a_org_nhs_type_cat"
_BANDS = ("Band 5 and below", "Band 6 or 7", "Band 8a or 8b", "Band 8c or 8d", "Band 9 or VSM")
_NOT_ON_AGENDA_FOR_CHANGE = "Not on Agenda for Change"
_ORGANISATION_TYPES = {
    "trust": "Trust (hospitals, mental health, ambulance, etc.)",
    "csu": "CSU",
    "ccg/icb/icp": "CCG/ICB/ICP",
    "ics": "ICS",
    "community care": "Community care, social care, primary care networks",
    "nhs england": "NHS England",
    "nhse": "NHS England",
    "local authority": "Local authority",
}
"""Opening words of an organisation type (normalised) to its category; others are Other."""


def _normalise(text: str) -> str:
    """Lower case, every dash a hyphen, spaces collapsed: labels differ only in these."""
    text = re.sub(r"[\u2013\u2014]", "-", str(text)).casefold()
    return " ".join(text.split())


def _code(label: str, codes: dict[str, int]) -> int | None:
    words = _normalise(label)
    for opening, code in codes.items():
        if words == opening or words.startswith(opening + " "):
            return code
    return None


def _organisation_type(answer: str) -> str | None:
    if answer == BLANK:
        return None
    words = _normalise(answer)
    for opening, category in _ORGANISATION_TYPES.items():
        if words.startswith(opening):
            return category
    return "Other"


def _band(answer: str) -> str | None:
    if answer in (BLANK, "Prefer not to say"):
        return None
    return answer if answer in _BANDS else _NOT_ON_AGENDA_FOR_CHANGE


def apha_flat_files(source: Path | str = DEFAULT_SOURCE) -> dict[str, pd.DataFrame]:
    """The export as the importer's flat files.

    Parameters
    ----------
    source
        ``apha_cpd_survey.csv``; ``apha_cpd_survey_labels.csv`` must be beside it.

    Returns
    -------
    dict
        ``responses`` (``respondent_id``, ``year``, ``org``, ``band``,
        ``organisation_type`` and one column of codes per item of :data:`ITEMS`),
        ``questionnaire``, ``scales`` and ``comments`` (every non-blank ``*_txt`` answer).

    Raises
    ------
    SurveyImportError
        If a file is missing or an answer is not a label of its question's scale (naming
        the row and the column).
    """
    source = Path(source)
    labels_file = source.with_name("apha_cpd_survey_labels.csv")
    missing = [path for path in (source, labels_file) if not path.is_file()]
    if missing:
        raise SurveyImportError(
            [
                Problem(str(path), "does not exist; expected the AphA survey export")
                for path in missing
            ]
        )
    export = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    wording = pd.read_csv(labels_file, dtype=str, keep_default_na=False).set_index("column")
    problems = []
    answers = {}
    for item in ITEMS:
        codes = item.codes()
        found = [None if text == BLANK else _code(text, codes) for text in export[item.column]]
        for row, (text, code) in enumerate(zip(export[item.column], found, strict=True), 2):
            if text != BLANK and code is None:
                expected = "; ".join(codes)
                problems.append(
                    Problem(
                        source.name,
                        f"{quote_cell(text)} is not an answer of this question; expected one "
                        f"starting with: {expected} (or '-' for a blank)",
                        row,
                        item.column,
                    )
                )
        answers[item.column] = pd.array(found, dtype="Int64")
    if problems:
        raise SurveyImportError(problems)
    year = export["form_started_dttm"].str[:4].astype(int)
    responses = pd.DataFrame(
        {
            "respondent_id": export["respondent_id"],
            "year": year,
            "org": ORGANISATION_CODE,
            "band": export[BAND_COLUMN].map(_band),
            "organisation_type": export[ORGANISATION_TYPE_COLUMN].map(_organisation_type),
            **answers,
        }
    )
    questionnaire = pd.DataFrame(
        {
            "item_id": [item.item_id for item in ITEMS],
            "column": [item.column for item in ITEMS],
            "year": int(year.iloc[0]),
            "text": [wording.at[item.column, "label"] for item in ITEMS],
            "theme": [item.theme for item in ITEMS],
            "scale": [item.scale for item in ITEMS],
            "positive_codes": [";".join(map(str, item.positive_codes())) for item in ITEMS],
            "excluded_codes": [";".join(map(str, item.excluded_codes())) for item in ITEMS],
            "reverse": False,
        }
    )
    scales = pd.DataFrame(
        [
            (scale_id, code, label)
            for scale_id, labels in SCALES.items()
            for code, label in enumerate(labels, start=1)
        ]
        + [("yes_no_dk", code, label) for label, code in _YES_NO_DK.items()],
        columns=["scale_id", "code", "label"],
    )
    text_columns = [column for column in export.columns if column.endswith("_txt")]
    long = export.melt(
        id_vars=["respondent_id"], value_vars=text_columns, var_name="column", value_name="text"
    )
    long = long[(long["text"].str.strip() != "") & (long["text"] != BLANK)]
    comments = pd.DataFrame(
        {
            "respondent_id": long["respondent_id"],
            "year": int(year.iloc[0]),
            "org": ORGANISATION_CODE,
            "question": long["column"].map(wording["label"]),
            "text": long["text"],
        }
    )
    return {
        "responses": responses,
        "questionnaire": questionnaire,
        "scales": scales,
        "comments": comments,
    }


def convert_apha(
    out: Path | str,
    minimum_group_size: int,
    source: Path | str = DEFAULT_SOURCE,
    replace: bool = False,
) -> ImportSummary:
    """Write the AphA survey as a data package (through the flat files and the importer).

    Parameters
    ----------
    out
        The data package folder to create (replaced only with ``replace``).
    minimum_group_size
        ``minimum_group_size`` in the package's ``dataset.yml`` (``--minimum-group-size``).
    source
        ``apha_cpd_survey.csv``, with ``apha_cpd_survey_labels.csv`` beside it.
    replace
        Replace ``out`` if it is already a data package.

    Returns
    -------
    ImportSummary
        What :func:`~analysis.survey.importer.import_survey` wrote.
    """
    flat = apha_flat_files(source)
    with tempfile.TemporaryDirectory(prefix="apha-flat-") as folder:
        files = {name: Path(folder) / f"{name}.csv" for name in flat}
        for name, table in flat.items():
            table.to_csv(files[name], index=False, encoding="utf-8")
        return import_survey(
            files["responses"],
            files["questionnaire"],
            organisation=ORGANISATION_CODE,
            group_columns=["band", "organisation_type"],
            staff_group="band",
            minimum_group_size=minimum_group_size,
            out=out,
            scales=files["scales"],
            comments=files["comments"],
            organisation_name=ORGANISATION_NAME,
            replace=replace,
        )


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.converters.apha --out DIR --minimum-group-size N [--source CSV]``.

    ``--replace`` replaces an existing package.
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis.converters.apha",
        description="Write the AphA CPD survey of NHS analysts as a data package.",
    )
    parser.add_argument("--out", type=Path, required=True, help="the data package to create")
    parser.add_argument(
        "--minimum-group-size",
        type=int,
        required=True,
        help="minimum_group_size in dataset.yml: figures based on fewer respondents are "
        "suppressed (the NHS Staff Survey's own is 11)",
    )
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the survey CSV")
    parser.add_argument("--replace", action="store_true", help="replace an existing package")
    args = parser.parse_args(argv)
    try:
        summary = convert_apha(args.out, args.minimum_group_size, args.source, replace=args.replace)
    except DataPackageError as error:
        print(error, file=sys.stderr)
        return 1
    respondents = sum(summary.respondents.values())
    print(f"Wrote the data package {summary.folder} ({respondents} respondents).")
    print(f"Report on it with: python -m analysis run --data {summary.folder} --stages survey")
    return 0


if __name__ == "__main__":
    sys.exit(main())
