"""The loaded data package, and loading it: read every file, validate, then type."""

from __future__ import annotations

import hashlib
import numbers
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.datapackage.codebook import Codebook
from analysis.datapackage.description import (
    DatasetDescription,
    read_codebook,
    read_description,
)
from analysis.datapackage.indicator_specifications import (
    IndicatorSpecificationError,
    PerformanceModel,
    parse_indicator_specifications,
)
from analysis.datapackage.limits import check_file_size
from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.readers import (
    CODEBOOK_FILE,
    DESCRIPTION_FILE,
    INDICATORS_FILE,
    TABLE_EXTENSIONS,
    locate_files,
    read_table,
)
from analysis.datapackage.schemas import REQUIRED_TABLES, TABLES
from analysis.datapackage.validation import validate_tables
from analysis.problems import DataPackageError, Problem

__all__ = [
    "DataPackage",
    "ValidatedPackageError",
    "file_sha256",
    "load_data_package",
    "open_data_package",
    "open_validated_package",
    "save_validated_package",
]


def _table(name: str) -> property:
    def get(package: DataPackage) -> pd.DataFrame | None:
        return package.tables.get(name)

    required = "always present" if TABLES[name].required else "``None`` when absent"
    return property(get, doc=f"The ``{name}`` table ({required}).")


@dataclass(frozen=True, eq=False)
class DataPackage:
    """A validated data package: the organisation's description and its tables.

    Attributes
    ----------
    folder
        The data package folder.
    description
        What ``dataset.yml`` says.
    tables
        Table name to its table, for every table present. Rows keep the file's order,
        with a fresh 0-based index. Types: years and counts ``int64``; response codes
        nullable ``Int64``; code lists (``positive_codes``) tuples of ints; ``true``/
        ``false`` columns ``bool``; dates ``datetime64[ns]``; ``month`` ``period[M]``;
        text ``str``. Tables read from ``.sav`` or ``.zsav`` keep SPSS value labels in
        ``attrs["value_labels"]`` (``{column: {code: label}}``) and the codes declared
        user-missing in ``attrs["user_missing"]`` (same form); in ``responses`` those codes
        are excluded codes of their items and codes of their scales, with the file's labels.
    files
        Table name to its file.
    codebook
        The checked ``codebook.yml`` (:class:`analysis.datapackage.codebook.Codebook`), or ``None``.
    indicators
        The checked ``indicators.yml`` (the performance model: objectives and indicator
        specifications, :class:`analysis.datapackage.indicator_specifications.PerformanceModel`), or
        ``None``.
    checksums
        Relative path to the SHA-256 of the bytes read, for every input file; use
        :meth:`file_checksums`.
    """

    folder: Path
    description: DatasetDescription
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    codebook: Codebook | None = None
    indicators: PerformanceModel | None = None
    checksums: dict[str, str] = field(default_factory=dict, repr=False)

    questionnaire = _table("questionnaire")
    scales = _table("scales")
    responses = _table("responses")
    staff = _table("staff")
    comparators = _table("comparators")
    comparator_profile = _table("comparator_profile")
    comments = _table("comments")
    codings = _table("codings")
    teams = _table("teams")
    indicator_values = _table("indicator_values")
    action_plans = _table("action_plans")
    action_reviews = _table("action_reviews")
    training_evaluations = _table("training_evaluations")
    courses = _table("courses")
    role_profiles = _table("role_profiles")
    staff_list = _table("staff_list")
    appraisals = _table("appraisals")
    appraisal_objectives = _table("appraisal_objectives")
    appraisal_skills = _table("appraisal_skills")

    @property
    def name(self) -> str:
        """The dataset's name: ``organisation.code`` in ``dataset.yml`` (e.g. ``5NF``).

        It names the reports' folder (``{out}/{name}/{year}``), so it comes from what the
        package says rather than from its folder's name (``--data some/dir/..`` would be
        ``..``); :func:`analysis.datapackage.description.read_description` has checked it
        with :func:`analysis.filenames.safe_file_name`.
        """
        return self.description.organisation_code

    @property
    def latest_year(self) -> int:
        """The latest of ``survey_years``."""
        return self.description.survey_years[-1]

    def report_year(self, year: int | None = None) -> int:
        """The year a report is on: ``year``, checked, or the latest survey year.

        The one place the report year is worked out: the pipeline resolves it once, before
        any kernel starts, and passes it to every stage notebook as its ``year`` parameter;
        ``check --year`` and the survey stage's tables check theirs here too.

        Parameters
        ----------
        year
            One of ``survey_years``; ``None`` for the latest.

        Returns
        -------
        int
            The report year.

        Raises
        ------
        ValueError
            If ``year`` is not a whole number among ``survey_years``, naming the package
            and its survey years.
        """
        survey_years = self.description.survey_years
        if year is None:
            return self.latest_year
        if (
            isinstance(year, bool)
            or not isinstance(year, numbers.Integral)
            or year not in survey_years
        ):
            raise ValueError(
                f"{year!r} is not a survey year of the data package {self.name!r}; "
                f"its survey years are {', '.join(map(str, survey_years))}"
            )
        return int(year)

    def items(self, year: int) -> pd.DataFrame:
        """Return the questionnaire's rows for one survey year, in file order.

        Parameters
        ----------
        year
            One of ``description.survey_years``.
        """
        if year not in self.description.survey_years:
            years = ", ".join(str(known) for known in self.description.survey_years)
            raise ValueError(f"no staff survey in {year}; the survey_years are {years}")
        questionnaire = self.tables["questionnaire"]
        return questionnaire[questionnaire["year"] == year].reset_index(drop=True)

    def file_checksums(self) -> dict[str, str]:
        """Return the SHA-256 of every input file, by path relative to the package folder.

        The checksums are of the bytes actually read when the package was loaded, so a
        run's manifest records exactly what was analysed.
        """
        return dict(sorted(self.checksums.items()))


class ValidatedPackageError(ValueError):
    """A saved validated package is missing or not the file the pipeline checksummed."""


def file_sha256(path: Path | str) -> str:
    """Return the SHA-256 of a file's bytes, in hexadecimal."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_validated_package(package: DataPackage, folder: Path | str) -> Path:
    """Save a validated package for the stage kernels (see :func:`open_validated_package`).

    Parameters
    ----------
    package
        A package returned by :func:`load_data_package`.
    folder
        A folder private to one run (the pipeline makes a temporary one, owner-only).

    Returns
    -------
    Path
        The file written (``validated_package.pickle``); the pipeline passes it, with its
        SHA-256 (:func:`file_sha256`), to every stage notebook.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "validated_package.pickle"
    path.write_bytes(pickle.dumps(package, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def open_validated_package(path: Path | str, sha256: str) -> DataPackage:
    """Load the package the pipeline validated, after checking the file is the one it saved.

    Unpickling runs code, so the file is read once, its SHA-256 compared with ``sha256``
    (the checksum the pipeline's plan computed when it saved the file), and only the
    checked bytes are unpickled.

    Parameters
    ----------
    path
        The file written by :func:`save_validated_package` (the notebook parameter
        ``validated_package``).
    sha256
        Its SHA-256 in hexadecimal (the notebook parameter ``validated_package_sha256``).

    Returns
    -------
    DataPackage
        The validated package.

    Raises
    ------
    ValidatedPackageError
        If the file is missing, or its SHA-256 differs from ``sha256`` (it was changed after
        the pipeline saved it); nothing is unpickled.

    References
    ----------
    Python documentation, ``pickle``: "Warning: The pickle module is not secure. Only
    unpickle data you trust."
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidatedPackageError(
            f"the validated package {path} cannot be read ({error.strerror}); run the "
            "notebook through the pipeline again, or set validated_package = None"
        ) from error
    found = hashlib.sha256(data).hexdigest()
    if not isinstance(sha256, str) or found != sha256.lower():
        raise ValidatedPackageError(
            f"the validated package {path} has SHA-256 {found}, not {sha256!r} as the "
            "pipeline recorded: the file was changed after it was validated, so it is not "
            "loaded; run the pipeline again"
        )
    package = pickle.loads(data)  # noqa: S301 - the bytes' checksum was checked above
    if not isinstance(package, DataPackage):
        raise ValidatedPackageError(f"{path} does not hold a data package")
    return package


def open_data_package(
    data_dir: Path | str,
    validated_package: Path | str | None = None,
    validated_package_sha256: str | None = None,
) -> DataPackage:
    """The stage's data package: the pipeline's validated one, or ``data_dir`` loaded now.

    Parameters
    ----------
    data_dir
        The data package folder, read and validated when ``validated_package`` is ``None``
        (a notebook opened by hand in JupyterLab).
    validated_package, validated_package_sha256
        The file the pipeline saved and its SHA-256 (the notebooks' parameters of the same
        names); see :func:`open_validated_package`.

    Raises
    ------
    ValidatedPackageError
        If ``validated_package`` is given without its checksum, or fails the check.
    analysis.problems.DataPackageError
        If ``data_dir`` is read and has problems.
    """
    if validated_package is None:
        return load_data_package(data_dir)
    if validated_package_sha256 is None:
        raise ValidatedPackageError(
            "validated_package is set but validated_package_sha256 is not; the package is "
            "only loaded after its checksum is checked"
        )
    return open_validated_package(validated_package, validated_package_sha256)


def load_data_package(folder: Path | str) -> DataPackage:
    """Read a data package, validate everything and return it typed.

    Parameters
    ----------
    folder
        The data package folder (``dataset.yml``, optional ``codebook.yml``, and one file
        per table: ``.csv``, ``.xlsx``, ``.sav`` or ``.parquet``). Files are only read.

    Returns
    -------
    DataPackage
        The validated package.

    Raises
    ------
    analysis.problems.DataPackageError
        Listing every problem found (at most 20 of one kind in one column of one file,
        then a count), each naming the file, the row and the column where they apply.

    Notes
    -----
    The contract is ``docs/data-package.md``. Inside a pipeline run the stage notebooks
    do not call this: they get the package the pipeline validated
    (:func:`open_data_package`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        found = "is a file, not a folder" if folder.exists() else "does not exist"
        problem = Problem(str(folder), f"{found}; expected a data package folder")
        raise DataPackageError(folder, [problem])
    log = ProblemLog()
    found = locate_files(folder, log)
    checksums: dict[str, str] = {}

    def read_bytes(path: Path) -> bytes | None:
        if not check_file_size(path, path.name, log):
            return None
        data = path.read_bytes()
        checksums[path.relative_to(folder).as_posix()] = hashlib.sha256(data).hexdigest()
        return data

    description = None
    if found.description is None:
        log.add(
            DESCRIPTION_FILE,
            "missing: every data package needs a dataset.yml describing the organisation "
            "(see docs/data-package.md)",
        )
    elif (data := read_bytes(found.description)) is not None:
        description = read_description(data, DESCRIPTION_FILE, log)
    codebook = None
    if found.codebook is not None and (data := read_bytes(found.codebook)) is not None:
        codebook = read_codebook(data, CODEBOOK_FILE, log)
    indicators = None
    if found.indicators is not None and (data := read_bytes(found.indicators)) is not None:
        indicators = _read_indicators(data, log)
    formats = ", ".join(TABLE_EXTENSIONS)
    for name in REQUIRED_TABLES:
        if name not in found.tables and name not in found.unusable:
            log.add(f"{name}.csv", f"missing: the required table '{name}' ({formats})")
    file_names = {name: path.name for name, path in {**found.unusable, **found.tables}.items()}
    raw: dict[str, pd.DataFrame] = {}
    labels: dict[str, dict[str, Any]] = {}  # kept aside: pandas copies attrs on every step
    for name, path in found.tables.items():
        data = read_bytes(path)
        cells = None if data is None else read_table(path, data, path.name, log)
        if cells is not None:
            labels[name], cells.attrs = cells.attrs, {}
            raw[name] = cells
    tables = validate_tables(
        raw,
        file_names,
        description,
        codebook,
        log,
        codebook_found=found.codebook is not None,
        indicators=indicators,
        indicators_found=found.indicators is not None,
        user_missing=labels.get("responses", {}).get("user_missing"),
    )
    if log or description is None:
        raise DataPackageError(folder, log.problems())
    return DataPackage(
        folder=folder,
        description=description,
        tables={
            name: _final_types(name, tables[name], labels[name])
            for name in TABLES
            if name in tables
        },
        files=dict(found.tables),
        codebook=codebook,
        indicators=indicators,
        checksums=checksums,
    )


def _read_indicators(data: bytes, log: ProblemLog) -> PerformanceModel | None:
    """Check ``indicators.yml`` with the indicator specifications' rules; problems go to ``log``."""
    try:
        return parse_indicator_specifications(data.decode("utf-8-sig"), INDICATORS_FILE)
    except UnicodeDecodeError as error:
        log.add(INDICATORS_FILE, f"not UTF-8 text (byte {error.start}); save it as UTF-8")
    except IndicatorSpecificationError as error:
        for problem in error.problems:
            log.add(INDICATORS_FILE, problem)
    return None


def _final_types(name: str, table: pd.DataFrame, attrs: dict[str, Any]) -> pd.DataFrame:
    """Give a valid table its final types: no-blank integers int64, booleans bool."""
    table = table.reset_index(drop=True)
    for spec in TABLES[name].columns:
        if spec.name not in table.columns or spec.blank_allowed:
            continue
        if spec.kind == "integer":
            table[spec.name] = table[spec.name].astype("int64")
        elif spec.kind == "boolean":
            table[spec.name] = table[spec.name].astype(bool)
    table.attrs = dict(attrs)
    return table
