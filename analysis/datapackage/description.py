"""Reading ``dataset.yml`` (the package's description) and ``codebook.yml``.

YAML problems name the line: syntax errors through PyYAML's ``problem_mark``, and keys or
values through the line of the node they were read from.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.datapackage.codebook import Codebook, CodebookError, parse_codebook
from analysis.datapackage.plain_yaml import KeyPath, read_yaml
from analysis.datapackage.problem_log import ProblemLog
from analysis.datapackage.staff_id_pattern import check_staff_id_pattern
from analysis.datapackage.windows import DEFAULT_WINDOWS, WINDOW_DATA, WINDOW_KINDS
from analysis.filenames import UnsafeFileNameError, safe_file_name

__all__ = [
    "DatasetDescription",
    "REQUIRED_GROUP_COLUMNS",
    "read_description",
    "read_codebook",
    "QUOTES_SETTINGS",
]

REQUIRED_GROUP_COLUMNS = ("directorate", "staff_group")
_RESERVED_COLUMNS = ("respondent_id", "year", "team_id")

_KEYS: dict[str, Any] = {
    "organisation": {"name": "text", "code": "text"},
    "survey_years": "years",
    "group_columns": "names",
    "minimum_group_size": "size",
    "comparator_group": "text",
    "staff_id_pattern": "pattern",
    "quotes": "quotes",
    "windows": {name: "window" for name in WINDOW_DATA},
}
_OPTIONAL_BELOW = ("windows",)
"""Mappings whose keys may each be left out."""
_REQUIRED = ("organisation", "survey_years", "group_columns", "minimum_group_size")
_EXPECTED = {
    "text": "text",
    "years": "a list of years, e.g. [2022, 2023]",
    "names": "a list of column names, e.g. [directorate, staff_group]",
    "size": (
        "a whole number >= 1, the fewest respondents a shown figure may be based on; "
        "the NHS Staff Survey's own is 11"
    ),
    "mapping": "keys indented below it",
    "pattern": "a regular expression matching one staff number, e.g. 'NF\\d{5}'",
    "quotes": "all or approved_only",
    "window": " or ".join(WINDOW_KINDS),
}
QUOTES_SETTINGS = ("all", "approved_only")
"""The values of ``quotes``: every redacted quote, or only those in quotes_approved.csv."""


@dataclass(frozen=True)
class DatasetDescription:
    """What ``dataset.yml`` says about the organisation and its survey.

    Attributes
    ----------
    organisation_name, organisation_code
        From ``organisation.name`` and ``organisation.code``.
    survey_years
        The years with a staff survey, in increasing order.
    group_columns
        The respondent columns results are broken down by (includes ``directorate`` and
        ``staff_group``).
    minimum_group_size
        Figures based on fewer respondents are suppressed. Required: it comes from
        ``dataset.yml`` only, never from a default.
    comparator_group
        The name of the comparator group; required when the package has ``comparators``.
    staff_id_pattern
        A regular expression matching one of the organisation's staff numbers; quotes have
        what it matches redacted (checked by
        :func:`analysis.comments.redaction.check_staff_id_pattern`). Empty when not set.
    quotes
        ``all`` (every quote, redacted; the default) or ``approved_only`` (only the
        comments listed in ``quotes_approved.csv``).
    windows
        The window each kind of dated data is read in for a report year (``indicators``,
        ``appraisals``, ``training``: ``calendar_year``, ``financial_year`` or
        ``survey_month``; see :mod:`analysis.datapackage.windows`), with the defaults of
        :data:`~analysis.datapackage.windows.DEFAULT_WINDOWS` filled in.
    """

    organisation_name: str
    organisation_code: str
    survey_years: tuple[int, ...]
    group_columns: tuple[str, ...]
    minimum_group_size: int
    comparator_group: str = ""
    staff_id_pattern: str = ""
    quotes: str = "all"
    windows: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_WINDOWS))


def read_description(data: bytes, file: str, log: ProblemLog) -> DatasetDescription | None:
    """Read and check ``dataset.yml``.

    Parameters
    ----------
    data
        The file's bytes.
    file
        Its name, for problems.
    log
        Receives a problem for every unknown key (with the closest known key), missing
        required key and value of the wrong type.

    Returns
    -------
    DatasetDescription or None
        ``None`` when any problem was found.
    """
    problems_before = len(log)
    parsed = read_yaml(data, file, log)
    if parsed is None:
        return None
    content, lines = parsed
    if not isinstance(content, dict):
        found = "nothing" if content is None else f"{type(content).__name__} {content!r}"[:60]
        log.add(file, f"expected the keys {', '.join(_KEYS)}; found {found}")
        return None
    values = _check_keys(content, _KEYS, (), lines, file, log)
    if len(log) > problems_before:
        return None
    organisation = values["organisation"]
    try:
        safe_file_name("organisation.code", organisation["code"])
    except UnsafeFileNameError as error:
        where = _at(lines.get(("organisation", "code")))
        log.add(file, f"{where}{error} (the code names the reports' folder), e.g. '5NF'")
        return None
    return DatasetDescription(
        organisation_name=organisation["name"],
        organisation_code=organisation["code"],
        survey_years=tuple(sorted(values["survey_years"])),
        group_columns=tuple(values["group_columns"]),
        minimum_group_size=values["minimum_group_size"],
        comparator_group=values.get("comparator_group", ""),
        staff_id_pattern=values.get("staff_id_pattern", ""),
        quotes=values.get("quotes", "all"),
        windows={**DEFAULT_WINDOWS, **values.get("windows", {})},
    )


def _check_keys(
    content: dict,
    keys: dict[str, Any],
    path: KeyPath,
    lines: dict[KeyPath, int],
    file: str,
    log: ProblemLog,
) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for key, value in content.items():
        where = _at(lines.get(path + (key,)))
        if key not in keys:
            log.add(file, f"{where}unknown key '{key}'{_suggest_key(str(key), path)}")
            continue
        expected = keys[key]
        if isinstance(expected, dict):
            if isinstance(value, dict):
                checked[key] = _check_keys(value, expected, path + (key,), lines, file, log)
            else:
                keys_below = ", ".join(expected)
                log.add(file, f"{where}'{key}' should have {_EXPECTED['mapping']} ({keys_below})")
            continue
        message = _value_problem(expected, value)
        if message:
            log.add(file, f"{where}'{_dotted(path + (key,))}' {message}")
        else:
            checked[key] = value.strip() if isinstance(value, str) else value
    required = _REQUIRED if not path else () if path[0] in _OPTIONAL_BELOW else tuple(keys)
    for key in required:
        if key not in content:
            inside = f" under '{_dotted(path)}'" if path else ""
            log.add(file, f"missing key '{key}'{inside}{_describe_missing(keys[key])}")
    return checked


def _describe_missing(expected: Any) -> str:
    if isinstance(expected, dict):
        return f" (with {', '.join(expected)} below it)"
    return f" ({_EXPECTED[expected]})"


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _suggest_key(key: str, path: KeyPath) -> str:
    if path:
        nested = _KEYS[str(path[0])]
        candidates = {name: f"'{name}'" for name in nested}
    else:
        candidates = {name: f"'{name}'" for name in _KEYS}
        for parent, nested in _KEYS.items():
            if isinstance(nested, dict):
                for name in nested:
                    candidates[f"{parent}.{name}"] = f"'{name}' under '{parent}'"
                    candidates[f"{parent}_{name}"] = f"'{name}' under '{parent}'"
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    return f"; did you mean {candidates[close[0]]}?" if close else ""


def _value_problem(expected: str, value: Any) -> str | None:
    """Return what is wrong with a value, or ``None`` when it is fine."""
    if expected == "text":
        if isinstance(value, str) and value.strip():
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"should be text, found the number {value}; put it in quotes: '{value}'"
        return f"should be text, found {_found(value)}"
    if expected == "pattern":
        return _pattern_problem(value)
    if expected == "quotes":
        if value in QUOTES_SETTINGS:
            return None
        return f"should be {_EXPECTED['quotes']}, found {_found(value)}"
    if expected == "window":
        if value in WINDOW_KINDS:
            return None
        return f"should be {_EXPECTED['window']}, found {_found(value)}"
    if expected == "size":
        if _is_whole(value) and value >= 1:
            return None
        return f"should be {_EXPECTED['size']}, found {_found(value)}"
    if not isinstance(value, list) or not value:
        return f"should be {_EXPECTED[expected]}, found {_found(value)}"
    if expected == "years":
        wrong = [item for item in value if not (_is_whole(item) and 1000 <= item <= 9999)]
        if wrong:
            return f"should list four-digit years, found {_found(wrong[0])}"
    else:
        wrong = [item for item in value if not (isinstance(item, str) and item.strip())]
        if wrong:
            return f"should list column names, found {_found(wrong[0])}"
        reserved = [name for name in value if name in _RESERVED_COLUMNS]
        if reserved:
            return f"must not include '{reserved[0]}' (responses always has that column)"
        absent = [name for name in REQUIRED_GROUP_COLUMNS if name not in value]
        if absent:
            return f"must include '{absent[0]}' (required: {', '.join(REQUIRED_GROUP_COLUMNS)})"
    repeated = sorted({str(item) for item in value if value.count(item) > 1})
    if repeated:
        return f"lists {repeated[0]} more than once"
    return None


def _pattern_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"should be {_EXPECTED['pattern']}, found {_found(value)}"
    try:
        check_staff_id_pattern(value.strip())
    except ValueError as error:
        return f"is not usable: {error}"
    return None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_codebook(data: bytes, file: str, log: ProblemLog) -> Codebook | None:
    """Read ``codebook.yml`` and check it with the comments stage's codebook rules.

    The rules (themes containing codes to any depth, unique ids, known parents, labels
    present; every problem with its line) live in :mod:`analysis.datapackage.codebook`; this
    adds each problem to ``log``.

    Returns
    -------
    Codebook or None
        The checked codebook, or ``None`` when it has problems.
    """
    try:
        return parse_codebook(data, file)
    except CodebookError as error:
        for problem in error.problems:
            log.add(problem.file, problem.message, problem.row, problem.column)
        return None


def _at(line: int | None) -> str:
    return f"line {line}: " if line else ""
