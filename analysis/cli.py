"""The command line: ``python -m analysis demo|check|run|import-survey|profile``.

- ``demo [FOLDER]``: write the demo organisation's data package (``demo_generator``).
- ``check FOLDER``: validate a data package and summarise it (``analysis.datapackage``).
- ``run [--data] [--year] [--out] [--stages] [-p NAME=VALUE] [--pack COLUMN] [--pdf]``: run
  the stage notebooks and write the reports and the annual summary (``analysis.pipeline``;
  packs: ``analysis.packs``; the summary: ``analysis.summary``).
- ``import-survey --responses --questionnaire --org --groups --staff-group --out ...``:
  build a data package from a survey contractor's flat files (``analysis.survey.importer``;
  docs/import-survey.md).
- ``profile STAFF_ID [--data] [--out]``: write one member of staff's private profile
  (``analysis.private_profile``).
- ``compare OLD_RUN NEW_RUN [--out]``: every published number, input, parameter and
  package version that differs between two run folders (``analysis.compare``).

Each sub-command is a thin wrapper around the module named beside it. The AphA converter
has its own command line: ``python -m analysis.converters.apha``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.problems import DataPackageError

__all__ = ["main", "PROJECT_ROOT", "DEFAULT_DATA", "DEFAULT_REPORTS"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT / "data" / "demo"
DEFAULT_REPORTS = PROJECT_ROOT / "reports"


def _parse_parameter(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE (e.g. -p alpha=0.01), got {text!r}")
    return name, value


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for ``python -m analysis``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Workforce action-research suite: demo data, data checks and reports.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="write the demo organisation's data package")
    demo.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DATA)

    check = commands.add_parser("check", help="validate a data package and summarise it")
    check.add_argument("folder", type=Path)
    check.add_argument(
        "--year", type=int, default=None, help="check the stages' readiness for one survey year"
    )

    run = commands.add_parser("run", help="run the stage notebooks and write the reports")
    run.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data package folder")
    run.add_argument("--year", type=int, default=None, help="survey year (default: the latest)")
    run.add_argument("--out", type=Path, default=DEFAULT_REPORTS, help="reports folder")
    run.add_argument("--stages", default=None, help="comma-separated stage names (default: all)")
    run.add_argument(
        "-p",
        dest="parameters",
        action="append",
        type=_parse_parameter,
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter (repeatable)",
    )
    run.add_argument(
        "--no-audit",
        action="store_true",
        help="skip the whole-run disclosure audit (on by default: every published table of "
        "every year checked together before publishing, docs/disclosure.md); for quick "
        "iteration only: the manifest and the run's index then say the run was NOT audited",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="also print the annual summary to summary.pdf with headless Chromium",
    )
    run.add_argument(
        "--pack",
        dest="packs",
        action="append",
        default=[],
        metavar="COLUMN",
        help="also write a survey pack for every group of a group column, e.g. --pack "
        "directorate (repeatable; packs/COLUMN/GROUP.html in the run folder)",
    )

    survey = commands.add_parser(
        "import-survey",
        help="build a data package from a survey contractor's flat files (docs/import-survey.md)",
    )
    survey.add_argument("--responses", type=Path, required=True, help="one row per respondent")
    survey.add_argument("--questionnaire", type=Path, required=True, help="one row per item/year")
    survey.add_argument("--population", type=Path, help="headcounts: year, org, staff group")
    survey.add_argument("--scales", type=Path, help="scales other than agree5 and yesno")
    survey.add_argument("--comments", type=Path, help="free text: respondent_id, year, org, ...")
    survey.add_argument("--org", required=True, help="the organisation's code in column org")
    survey.add_argument("--groups", required=True, help="comma-separated group columns")
    survey.add_argument("--staff-group", required=True, help="the staff group column")
    survey.add_argument(
        "--minimum-group-size",
        type=int,
        required=True,
        help="minimum_group_size in dataset.yml: figures based on fewer respondents are "
        "suppressed (the NHS Staff Survey's own is 11)",
    )
    survey.add_argument("--directorate", help="the directorate column (default: 'directorate')")
    survey.add_argument("--name", help="the organisation's name (default: its code)")
    survey.add_argument("--out", type=Path, required=True, help="the data package to create")
    survey.add_argument("--replace", action="store_true", help="replace an existing package")
    survey.add_argument(
        "--add-year",
        action="store_true",
        help="append a new survey year to the existing package --out (docs/annual-cycle.md)",
    )

    profile = commands.add_parser(
        "profile",
        help="write one member of staff's private profile (reports/<dataset>/private/<id>/)",
    )
    profile.add_argument("staff_id", help="the pseudonymised staff_id in the package's staff_list")
    profile.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data package folder")
    profile.add_argument("--out", type=Path, default=DEFAULT_REPORTS, help="reports folder")

    compare = commands.add_parser(
        "compare",
        help="what changed between two runs (comparison.html and differences.csv)",
    )
    compare.add_argument(
        "old_run", type=Path, help="the earlier run folder (reports/<dataset>/<year>)"
    )
    compare.add_argument("new_run", type=Path, help="the later run folder")
    compare.add_argument(
        "--out", type=Path, default=Path("comparison"), help="folder for the comparison files"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            from demo_generator import write_demo

            folder = write_demo(args.folder)
            print(f"Wrote the demo organisation's data package to {folder}")
            return 0
        if args.command == "check":
            from analysis.datapackage import check_data_package

            return check_data_package(args.folder, args.year)
        if args.command == "import-survey":
            from analysis.survey.importer import import_survey_from_command_line

            return import_survey_from_command_line(args)
        if args.command == "run":
            from analysis.pipeline import run_from_command_line

            return run_from_command_line(args)
        if args.command == "profile":
            from analysis.private_profile import profile_from_command_line

            return profile_from_command_line(args)
        if args.command == "compare":
            from analysis.compare import compare_from_command_line

            try:
                return compare_from_command_line(args.old_run, args.new_run, args.out)
            except (FileNotFoundError, ValueError) as error:
                print(error, file=sys.stderr)
                return 1
    except DataPackageError as error:
        print(error, file=sys.stderr)
        return 1
    raise AssertionError(f"unhandled command {args.command}")
