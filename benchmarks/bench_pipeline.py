"""Time ``python -m analysis run`` against the plain command-line sequence it replaces.

In the same invocation, alternately and ``--repeats`` times (after one untimed warm-up of
each):

(a) the pipeline: ``python -m analysis run --data DATA --out <fresh folder>``;
(b) the naive sequence: for each stage notebook, one after another, ``papermill`` (command
    line, kernel ``python3``, run in ``notebooks/``) then ``jupyter nbconvert --to html
    --no-input`` on the executed notebook.

Both start from a fresh output folder and run every registered stage (or ``--stages``). The
pipeline also validates the data package, writes ``tables.xlsx``, the manifest and the index
pages; the naive sequence does none of that. Prints the median seconds of each and their
ratio (goal: pipeline <= 0.5 x naive) and writes everything to ``benchmarks/results/``.

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py [--repeats 3] [--data DIR] [--stages a,b]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOAL = 0.5

sys.path.insert(0, str(PROJECT_ROOT))
from results_file import write_results  # noqa: E402

from analysis.stages import STAGES, select_stages  # noqa: E402


def run_quietly(command: list[str], **options: object) -> None:
    """Run a command; on failure, show its output and stop the benchmark."""
    completed = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    if completed.returncode != 0:
        sys.exit(
            f"benchmark stopped: {' '.join(command)} exited with {completed.returncode}\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )


def time_pipeline(data: Path, stage_names: list[str]) -> float:
    """Seconds for ``python -m analysis run`` into a fresh reports folder."""
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as out:
        command = [sys.executable, "-m", "analysis", "run", "--data", str(data), "--out", out]
        command += ["--stages", ",".join(stage_names)]
        started = time.perf_counter()
        run_quietly(command, cwd=PROJECT_ROOT)
        return time.perf_counter() - started


def time_naive_sequence(data: Path, stage_names: list[str]) -> float:
    """Seconds for papermill then nbconvert, on the command line, stage after stage."""
    stages = select_stages(stage_names)
    # The kernels import the project's ``analysis``, as the pipeline's kernels do.
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench-naive-") as out:
        started = time.perf_counter()
        for stage in stages:
            executed = Path(out) / "notebooks" / f"{stage.name}.ipynb"
            executed.parent.mkdir(exist_ok=True)
            run_quietly(
                [
                    str(BIN / "papermill"),
                    str(stage.notebook_path),
                    str(executed),
                    "-k",
                    "python3",
                    "--language",
                    "python",
                    "--cwd",
                    str(stage.notebook_path.parent),
                    "--no-progress-bar",
                    "-p",
                    "data_dir",
                    str(data),
                    "-p",
                    "output_dir",
                    out,
                ],
                env=env,
            )
            run_quietly(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                env=env,
            )
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--data", type=Path, default=None, help="data package (default: demo)")
    parser.add_argument("--stages", default=None, help="comma-separated stages (default: all)")
    parser.add_argument("--no-warm-up", action="store_true", help="skip the untimed first runs")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    names = args.stages.split(",") if args.stages else [stage.name for stage in STAGES]
    names = [stage.name for stage in select_stages(names)]

    with tempfile.TemporaryDirectory(prefix="bench-data-") as scratch:
        data = args.data
        if data is None:
            data = Path(scratch) / "demo"
            run_quietly([sys.executable, "-m", "analysis", "demo", str(data)], cwd=PROJECT_ROOT)
        data = data.resolve()
        print(f"Stages: {', '.join(names)}; data: {data.name}; {os.cpu_count()} CPU(s)")
        if not args.no_warm_up:
            print("Warm-up (untimed): one run of each ...")
            time_pipeline(data, names)
            time_naive_sequence(data, names)
        pipeline: list[float] = []
        naive: list[float] = []
        for repeat in range(args.repeats):
            # Alternate which goes first, so that neither always meets a warmer machine.
            order = [("pipeline", time_pipeline), ("naive", time_naive_sequence)]
            for label, measure in order if repeat % 2 == 0 else order[::-1]:
                seconds = measure(data, names)
                (pipeline if label == "pipeline" else naive).append(seconds)
                print(f"  run {repeat + 1}/{args.repeats} {label:>8}: {seconds:6.1f} s")

    ratio = statistics.median(pipeline) / statistics.median(naive)
    print(f"median pipeline: {statistics.median(pipeline):.1f} s")
    print(f"median naive papermill + nbconvert sequence: {statistics.median(naive):.1f} s")
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"ratio pipeline / naive: {ratio:.2f} ({verdict} the goal of <= {GOAL})")

    result = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stages": names,
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "pipeline_seconds": [round(s, 3) for s in pipeline],
        "naive_seconds": [round(s, 3) for s in naive],
        "median_pipeline_seconds": round(statistics.median(pipeline), 3),
        "median_naive_seconds": round(statistics.median(naive), 3),
        "ratio": round(ratio, 3),
        "goal": GOAL,
    }
    packages = ("papermill", "nbconvert", "nbclient", "ipykernel", "pandas")
    path = write_results("bench_pipeline", result, packages)
    print(f"results: {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
