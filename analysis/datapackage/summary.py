"""``python -m analysis check``: validate a data package and summarise it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.datapackage.package import DataPackage, load_data_package
from analysis.datapackage.readiness import describe_readiness, package_readiness
from analysis.datapackage.schemas import OPTIONAL_TABLES
from analysis.problems import DataPackageError

__all__ = ["check_data_package", "yearly_summary", "describe_package", "quotes_setting"]


def yearly_summary(package: DataPackage) -> pd.DataFrame:
    """Count respondents, staff, items and comments in each survey year.

    Parameters
    ----------
    package
        A loaded data package.

    Returns
    -------
    pandas.DataFrame
        One row per survey year: ``year``, ``respondents``, ``headcount`` (total staff in
        ``staff``), ``response_rate`` (respondents / headcount; missing when the headcount
        is 0), ``items`` (questionnaire rows) and ``comments`` (0 without a comments table).
    """
    years = pd.Index(package.description.survey_years, name="year")
    comments = package.comments
    summary = pd.DataFrame(
        {
            "respondents": package.responses.groupby("year").size(),
            "headcount": package.staff.groupby("year")["headcount"].sum(),
            "items": package.questionnaire.groupby("year").size(),
            "comments": comments.groupby("year").size() if comments is not None else None,
        },
        index=years,
    )
    summary = summary.fillna(0).astype("int64")
    rate = summary["respondents"] / summary["headcount"].where(summary["headcount"] > 0)
    summary.insert(2, "response_rate", rate)
    return summary.reset_index()


def describe_package(package: DataPackage) -> str:
    """Return the check command's summary of a valid data package, as text."""
    description = package.description
    lines = [
        f"Data package '{package.folder.name}': no problems found.",
        f"Organisation: {description.organisation_name} ({description.organisation_code})",
        f"Survey years: {', '.join(str(year) for year in description.survey_years)}",
        f"Group columns: {', '.join(description.group_columns)}",
        f"Minimum group size: {description.minimum_group_size}",
    ]
    if description.comparator_group:
        lines.append(f"Comparator group: {description.comparator_group}")
    lines.append(f"Staff number pattern: {description.staff_id_pattern or 'none'}")
    lines.append(quotes_setting(package))
    lines.append(
        "Windows: " + ", ".join(f"{data} {kind}" for data, kind in description.windows.items())
    )
    table = yearly_summary(package)
    table["response_rate"] = table["response_rate"].map(
        lambda rate: "n/a" if pd.isna(rate) else f"{rate:.1%}"
    )
    table = table.rename(columns={"response_rate": "response rate"})
    lines += ["", table.to_string(index=False), ""]
    present = [
        f"{name} ({_rows(len(package.tables[name]))})"
        for name in OPTIONAL_TABLES
        if name in package.tables
    ]
    absent = [name for name in OPTIONAL_TABLES if name not in package.tables]
    lines.append(f"Optional tables present: {', '.join(present) or 'none'}")
    lines.append(f"Optional tables absent: {', '.join(absent) or 'none'}")
    lines.append(f"Codebook: {'codebook.yml' if package.codebook is not None else 'none'}")
    return "\n".join(lines)


def quotes_setting(package: DataPackage) -> str:
    """One line saying which comments reports may quote (the ``quotes`` setting).

    Examples: "Quotes: all (redacted)" or "Quotes: approved only (12 in
    quotes_approved.csv)".
    """
    if package.description.quotes != "approved_only":
        return "Quotes: all (redacted)"
    approved = package.tables.get("quotes_approved")
    count = 0 if approved is None else len(approved)
    return f"Quotes: approved only ({count} in quotes_approved.csv)"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def check_data_package(folder: Path | str, year: int | None = None) -> int:
    """Validate a data package and print its summary, or the list of its problems.

    Parameters
    ----------
    folder
        The data package folder.
    year
        Check the stages' readiness for this survey year only; ``None`` for every year.

    Returns
    -------
    int
        0 when the package is valid (the summary is printed: organisation, years,
        respondents, headcount and response rate, items and comments per year, optional
        tables present, then each stage's readiness year by year: what it lacks, naming
        the table, column and year, see :mod:`analysis.datapackage.readiness`); 1 when it
        has problems (printed one per line as ``file, row N, column 'x': message``) or
        ``year`` is not a survey year.
    """
    try:
        package = load_data_package(Path(folder).resolve())  # "data/.." is named by its folder
    except DataPackageError as error:
        print(error)
        return 1
    if year is not None:
        try:
            package.report_year(year)
        except ValueError as error:
            print(error)
            return 1
    print(describe_package(package))
    readiness = package_readiness(package, None if year is None else [year])
    print("")
    print("Stages, year by year (what each lacks):")
    print(describe_readiness(readiness))
    return 0
