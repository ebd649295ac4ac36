"""Time national-scale survey scoring and import against reading the file and counting its values.

Issue 3 ("Speed and scale"): on a synthetic national file the size of the NHS staff survey
(700,000 respondents a year for 5 years, 90 items, 250 organisations, 8 staff groups, in
Parquet), computing every organisation's unweighted and weighted item scores, year-on-year
changes and the comparator statistics must take at most 10 times as long as merely reading
the file and counting each column's values once, with peak memory under 4 GiB.

Issue 14: ``import-survey`` on the same file, as a contractor delivers it (with ``org`` and
``respondent_id``), building one trust's data package with every other organisation as its
comparators, must take at most 10 times as long as reading that file and counting each of
its columns' values once, with peak memory under 2 GiB (a trust analyst's laptop).

The benchmark

1. generates the file (seeded), with its questionnaire and headcount table, into a cache
   folder keyed by seed and size (``--cache``, default ``benchmarks/results/cache/``, not
   committed), and the contractor's version of it for the import
   (:func:`write_import_files`); a second run with the same seed and size reuses them;
2. times, each in a fresh child process so that each has its own peak memory,
   (a) ``baseline``: :func:`analysis.survey.national.read_national_responses` then
   ``value_counts(dropna=False)`` on every column, and
   (b) ``national``: the same read, then :func:`analysis.survey.national.national_survey_tables`
   (item scores with Wilson and weighted intervals, changes unweighted and weighted,
   comparator statistics and every organisation's rank, quintile and comparison);
   (c) ``import_baseline``: (a) on the contractor's file (94 columns, ``respondent_id``
   included), and
   (d) ``import``: :func:`analysis.survey.importer.import_survey` of that file for
   organisation ``RX001`` into a fresh folder;
3. prints the times, the ratios (b)/(a) and (d)/(c) and each child's peak resident memory
   (``ru_maxrss``, which includes Arrow's buffers), and writes them to
   ``benchmarks/results/``.

Usage::

    .venv/bin/python benchmarks/bench_national_survey.py [--repeats 1] [--seed 2026]
        [--respondents 700000] [--years 5] [--items 90] [--organisations 250]
        [--tasks national,import]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 10.0
GOAL_MEMORY_GIB = 4.0
GOAL_IMPORT_MEMORY_GIB = 2.0
FIRST_YEAR = 2019
YESNO_ITEMS = 10
"""The last items are yes/no (1 = yes, 2 = no, 3 = don't know, excluded); the rest agree5."""
REVERSED_EVERY = 9
"""Every 9th agree item is negatively worded: its positive codes are 1 and 2."""
BLANK_RATE = 0.03
DONT_KNOW_RATE = 0.08
STAFF_GROUPS = (
    "Allied health professionals",
    "Admin and clerical",
    "Estates and ancillary",
    "General management",
    "Healthcare assistants",
    "Medical and dental",
    "Nursing and midwifery",
    "Scientific and technical",
)

sys.path.insert(0, str(PROJECT_ROOT))
from results_file import RESULTS, write_results  # noqa: E402

from analysis.survey.importer import import_survey  # noqa: E402
from analysis.survey.national import (  # noqa: E402
    national_survey_tables,
    read_national_responses,
)


def questionnaire_table(items: int, years: int) -> pd.DataFrame:
    """The questionnaire: agree5 items then yes/no items, the same every year.

    Item ``q02`` is reworded in the third year: it gets the new ``item_id`` ``q02r`` and
    starts a new series, so the comparison years are not simply "every previous year".
    """
    rows = []
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for number in range(1, items + 1):
            column = f"q{number:02d}"
            yesno = number > items - YESNO_ITEMS
            reworded = column == "q02" and year >= FIRST_YEAR + 2
            rows.append(
                {
                    "year": year,
                    "item_id": f"{column}r" if reworded else column,
                    "column": column,
                    "theme": f"theme{(number - 1) // 10 + 1}",
                    "scale_id": "yesno" if yesno else "agree5",
                    "positive_codes": (1,)
                    if yesno
                    else ((1, 2) if number % REVERSED_EVERY == 0 else (4, 5)),
                    "excluded_codes": (3,) if yesno else (),
                    "comparable_with_previous": year != FIRST_YEAR + 2 or column != "q02",
                }
            )
    return pd.DataFrame(rows)


def generate(
    folder: Path, seed: int, respondents: int, years: int, items: int, organisations: int
) -> None:
    """Write ``responses.parquet`` and ``headcounts.parquet`` (the questionnaire is
    :func:`questionnaire_table`, rebuilt from the number of items and years).

    Organisations differ in size (log-normal shares, about 0.1% to 2.6% of respondents),
    staff mix (Dirichlet around a national mix) and response rate by staff group (30-70%).
    An answer is a latent score (item level + organisation x item + staff group + the
    organisation's yearly drift + the respondent's general disposition + noise) cut into
    five codes, or turned into yes/no; 3% of answers are blank, 8% of yes/no answers are
    "don't know".
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    codes = np.array([f"RX{number:03d}" for number in range(1, organisations + 1)])
    share = rng.lognormal(0.0, 0.7, organisations)
    share = np.maximum(share / share.sum(), 0.001)
    share /= share.sum()
    national_mix = rng.dirichlet(np.full(len(STAFF_GROUPS), 4.0))
    staff_mix = rng.dirichlet(60 * national_mix, organisations)
    response_rate = rng.uniform(0.3, 0.7, (organisations, len(STAFF_GROUPS)))
    item_level = rng.normal(0.4, 0.6, items)
    organisation_item = rng.normal(0.0, 0.2, (organisations, items))
    organisation_level = rng.normal(0.0, 0.25, organisations)
    group_level = rng.normal(0.0, 0.2, len(STAFF_GROUPS))
    drift = np.cumsum(rng.normal(0.0, 0.08, (years, organisations)), axis=0)
    schema = pa.schema(
        [("year", pa.int16()), ("organisation", pa.dictionary(pa.int16(), pa.string()))]
        + [("staff_group", pa.dictionary(pa.int8(), pa.string()))]
        + [(f"q{number:02d}", pa.int8()) for number in range(1, items + 1)]
    )
    headcounts = []
    path = folder / "responses.parquet"
    with pq.ParquetWriter(path, schema) as writer:
        for offset in range(years):
            per_organisation = rng.multinomial(respondents, share)
            organisation = np.repeat(np.arange(organisations, dtype=np.int16), per_organisation)
            group = np.concatenate(
                [
                    rng.choice(len(STAFF_GROUPS), size=size, p=mix).astype(np.int8)
                    for size, mix in zip(per_organisation, staff_mix, strict=True)
                ]
            )
            answered = np.zeros((organisations, len(STAFF_GROUPS)), dtype=np.int64)
            np.add.at(answered, (organisation, group), 1)
            headcount = np.ceil(answered / response_rate).astype(np.int64) + rng.integers(
                0, 3, answered.shape
            )
            headcounts.append(
                pd.DataFrame(
                    {
                        "year": FIRST_YEAR + offset,
                        "organisation": np.repeat(codes, len(STAFF_GROUPS)),
                        "staff_group": np.tile(STAFF_GROUPS, organisations),
                        "headcount": headcount.ravel(),
                    }
                )
            )
            base = (
                organisation_level[organisation]
                + group_level[group]
                + drift[offset, organisation]
                + 0.7 * rng.standard_normal(respondents)
            ).astype(np.float32)
            columns = {
                "year": pa.array(np.full(respondents, FIRST_YEAR + offset, dtype=np.int16)),
                "organisation": pa.DictionaryArray.from_arrays(pa.array(organisation), codes),
                "staff_group": pa.DictionaryArray.from_arrays(pa.array(group), list(STAFF_GROUPS)),
            }
            for item in range(items):
                latent = (
                    base
                    + np.float32(item_level[item])
                    + organisation_item[organisation, item].astype(np.float32)
                    + rng.standard_normal(respondents, dtype=np.float32)
                )
                if item >= items - YESNO_ITEMS:
                    answer = np.where(latent > 0, 1, 2).astype(np.int8)
                    answer[rng.random(respondents) < DONT_KNOW_RATE] = 3
                else:
                    answer = (1 + np.searchsorted([-1.6, -0.6, 0.3, 1.3], latent)).astype(np.int8)
                    if (item + 1) % REVERSED_EVERY == 0:
                        answer = (6 - answer).astype(np.int8)
                blank = rng.random(respondents) < BLANK_RATE
                columns[f"q{item + 1:02d}"] = pa.array(answer, mask=blank)
            writer.write_table(pa.table(columns, schema=schema))
    pd.concat(headcounts, ignore_index=True).to_parquet(folder / "headcounts.parquet")


IMPORTED_ORGANISATION = "RX001"
"""The trust whose data package ``import-survey`` builds (every other one a comparator)."""


def write_import_files(folder: Path, items: int, years: int) -> Path:
    """The national file as a survey contractor delivers it, for ``import-survey``.

    ``responses_import.parquet`` is ``responses.parquet`` with ``org`` for ``organisation``
    and a ``respondent_id`` (a whole number, unique within each year), written row group
    by row group; ``questionnaire.csv`` is :func:`questionnaire_table` in the importer's
    columns (the yes/no items exclude code 3, "don't know", outside the built-in ``yesno``
    scale); ``headcounts_import.parquet`` is the headcount table with ``org``. Made once.
    """
    target = folder / "import"
    if target.exists():
        return target
    partial = folder / "import.partial"
    partial.mkdir(exist_ok=True)
    source = pq.ParquetFile(folder / "responses.parquet")
    schema = source.schema_arrow
    names = ["org" if name == "organisation" else name for name in schema.names]
    fields = [pa.field("respondent_id", pa.int64())] + [
        field.with_name(name) for field, name in zip(schema, names, strict=True)
    ]
    numbers: dict[int, int] = {}
    with pq.ParquetWriter(partial / "responses_import.parquet", pa.schema(fields)) as writer:
        for group in range(source.num_row_groups):
            table = source.read_row_group(group).rename_columns(names)
            year = int(table["year"][0].as_py())
            start = numbers.get(year, 0)
            numbers[year] = start + table.num_rows
            ids = pa.array(np.arange(start, start + table.num_rows, dtype=np.int64))
            writer.write_table(table.add_column(0, "respondent_id", ids))
    questionnaire = questionnaire_table(items, years)
    pd.DataFrame(
        {
            "item_id": questionnaire["item_id"],
            "column": questionnaire["column"],
            "year": questionnaire["year"],
            "text": "Question " + questionnaire["item_id"],
            "theme": questionnaire["theme"],
            "scale": questionnaire["scale_id"],
            "positive_codes": questionnaire["positive_codes"].map(_codes_text),
            "excluded_codes": questionnaire["excluded_codes"].map(_codes_text),
            "reverse": [codes == (1, 2) for codes in questionnaire["positive_codes"]],
        }
    ).to_csv(partial / "questionnaire.csv", index=False)
    headcounts = pd.read_parquet(folder / "headcounts.parquet")
    headcounts.rename(columns={"organisation": "org"}).to_parquet(
        partial / "headcounts_import.parquet"
    )
    partial.rename(target)
    return target


def _codes_text(codes: tuple[int, ...]) -> str:
    return ";".join(str(code) for code in codes)


def cached_data(cache: Path, args: argparse.Namespace) -> Path:
    """The data folder for this seed and size, generated on first use."""
    name = f"seed{args.seed}-r{args.respondents}-y{args.years}-i{args.items}-o{args.organisations}"
    folder = cache / name
    if not folder.exists():
        print(f"Generating {folder} ...", flush=True)
        started = time.perf_counter()
        generate(
            folder.with_suffix(".partial"),
            args.seed,
            args.respondents,
            args.years,
            args.items,
            args.organisations,
        )
        folder.with_suffix(".partial").rename(folder)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def peak_memory_bytes() -> int:
    """This process's peak resident set size (``ru_maxrss`` is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def cpu_seconds() -> float:
    """User + system CPU seconds of this process (all its threads) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(task: str, folder: Path, items: int, years: int) -> dict[str, float | int]:
    """Run one task in this process; return its seconds, peak memory and output size."""
    if task == "import":
        return measure_import(folder / "import")
    started, cpu_started = time.perf_counter(), cpu_seconds()
    path = folder / "import" / "responses_import.parquet"
    responses = read_national_responses(
        path if task == "import_baseline" else folder / "responses.parquet"
    )
    if task in ("baseline", "import_baseline"):
        counted = [responses[column].value_counts(dropna=False) for column in responses]
        size = sum(len(counts) for counts in counted)
    else:
        headcounts = pd.read_parquet(folder / "headcounts.parquet")
        questionnaire = questionnaire_table(items, years)
        tables = national_survey_tables(responses, questionnaire, headcounts)
        size = sum(len(table) for table in tables.values())
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_bytes": peak_memory_bytes(),
        "rows_read": len(responses),
        "columns_read": responses.shape[1],
        "output_rows": size,
    }


def measure_import(folder: Path) -> dict[str, float | int]:
    """``import-survey`` of the contractor's file for :data:`IMPORTED_ORGANISATION`."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        summary = import_survey(
            folder / "responses_import.parquet",
            folder / "questionnaire.csv",
            organisation=IMPORTED_ORGANISATION,
            group_columns=["staff_group"],
            staff_group="staff_group",
            population=folder / "headcounts_import.parquet",
            out=Path(scratch) / "package",
        )
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        comparators = pd.read_csv(summary.folder / "comparators.csv")
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_bytes": peak_memory_bytes(),
        "respondents": sum(summary.respondents.values()),
        "comparator_organisations": summary.comparator_organisations,
        "output_rows": len(comparators),
    }


def run_child(task: str, folder: Path, args: argparse.Namespace) -> dict[str, float | int]:
    """Run ``measure`` in a fresh Python process, so that its peak memory is its own."""
    command = [sys.executable, __file__, "--child", task, "--data", str(folder)]
    command += ["--items", str(args.items), "--years", str(args.years)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"benchmark stopped: {task} failed\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of each (default 1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--respondents", type=int, default=700_000, help="per year")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--items", type=int, default=90)
    parser.add_argument("--organisations", type=int, default=250)
    parser.add_argument("--cache", type=Path, default=RESULTS / "cache")
    parser.add_argument(
        "--tasks",
        default="national,import",
        help="what to time: national (a, b), import (c, d) or both (default)",
    )
    parser.add_argument(
        "--child",
        choices=("baseline", "national", "import_baseline", "import"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.items, args.years)))
        return 0
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.items <= YESNO_ITEMS or args.years < 2:
        parser.error(f"--items must be above {YESNO_ITEMS} and --years at least 2")

    folder = cached_data(args.cache, args)
    tasks = []
    if "national" in args.tasks.split(","):
        tasks += ["baseline", "national"]
    if "import" in args.tasks.split(","):
        write_import_files(folder, args.items, args.years)
        tasks += ["import_baseline", "import"]
    if not tasks:
        parser.error("--tasks must name national, import or both")
    size_mib = (folder / "responses.parquet").stat().st_size / 2**20
    print(
        f"{args.respondents * args.years:,} rows, {args.items} items, {args.organisations} "
        f"organisations, {len(STAFF_GROUPS)} staff groups; {size_mib:.0f} MiB of Parquet; "
        f"{os.cpu_count()} CPU(s)",
        flush=True,
    )
    runs: dict[str, list[dict[str, float | int]]] = {task: [] for task in tasks}
    for repeat in range(args.repeats):
        for task in tasks if repeat % 2 == 0 else _alternated(tasks):
            result = run_child(task, folder, args)
            runs[task].append(result)
            peak = result["peak_rss_bytes"] / 2**30
            print(
                f"  run {repeat + 1}/{args.repeats} {task:>15}: {result['seconds']:6.1f} s "
                f"({result['cpu_seconds']:.1f} s CPU), peak {peak:.2f} GiB",
                flush=True,
            )

    result = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": folder.name,
        "parquet_mib": round(size_mib, 1),
        "rows": args.respondents * args.years,
        "items": args.items,
        "organisations": args.organisations,
        "staff_groups": len(STAFF_GROUPS),
        "cpus": os.cpu_count(),
        "runs": runs,
        "peak_memory_measured": "ru_maxrss of each child process (read + task)",
    }
    if "national" in runs:
        result["national"] = _compare(
            runs, "baseline", "national", GOAL_MEMORY_GIB, "read + national survey tables"
        )
    if "import" in runs:
        result["import"] = _compare(
            runs, "import_baseline", "import", GOAL_IMPORT_MEMORY_GIB, "import-survey"
        )
    result["load_average_at_end"] = os.getloadavg()
    path = write_results("bench_national_survey", result, ("pandas", "numpy", "pyarrow", "scipy"))
    print(f"results: {path.relative_to(PROJECT_ROOT)}")
    return 0


def _alternated(tasks: list[str]) -> list[str]:
    """Each pair (floor, task) in the other order, for alternate repeats."""
    return [task for pair in zip(tasks[1::2], tasks[::2], strict=True) for task in pair]


def _compare(
    runs: dict[str, list[dict[str, float | int]]],
    floor: str,
    task: str,
    goal_memory_gib: float,
    name: str,
) -> dict[str, object]:
    """Print and return the medians, the ratio of ``task`` to ``floor`` and the peaks."""
    baseline = statistics.median(run["seconds"] for run in runs[floor])
    timed = statistics.median(run["seconds"] for run in runs[task])
    ratio = timed / baseline
    cpu_ratio = statistics.median(run["cpu_seconds"] for run in runs[task]) / (
        statistics.median(run["cpu_seconds"] for run in runs[floor])
    )
    peak_gib = max(run["peak_rss_bytes"] for run in runs[task]) / 2**30
    baseline_peak_gib = max(run["peak_rss_bytes"] for run in runs[floor]) / 2**30
    meets = ratio <= GOAL_RATIO and peak_gib < goal_memory_gib
    print(
        f"read + value_counts on every column: {baseline:.1f} s (peak {baseline_peak_gib:.2f} GiB)"
    )
    print(f"{name + ':':<36} {timed:.1f} s (peak {peak_gib:.2f} GiB)")
    print(
        f"ratio {ratio:.2f} (goal <= {GOAL_RATIO:g}); peak memory {peak_gib:.2f} GiB (goal < "
        f"{goal_memory_gib:g}): {'meets' if meets else 'misses'} the goal"
    )
    print(f"ratio of CPU seconds (less affected by other processes): {cpu_ratio:.2f}")
    return {
        "median_baseline_seconds": round(baseline, 3),
        f"median_{task}_seconds": round(timed, 3),
        "ratio": round(ratio, 3),
        "cpu_seconds_ratio": round(cpu_ratio, 3),
        f"peak_rss_gib_{task}": round(peak_gib, 3),
        "peak_rss_gib_baseline": round(baseline_peak_gib, 3),
        "goal": {"ratio": GOAL_RATIO, "peak_memory_gib": goal_memory_gib},
        "meets_goal": meets,
    }


if __name__ == "__main__":
    raise SystemExit(main())
