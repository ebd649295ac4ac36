"""Time the coding widget on 10,000 comments: moving to the next comment must take < 100 ms.

Builds a temporary data package folder with ``--comments`` comments (the demo package's
texts, repeated with new ids, years and groups) and the demo codebook, opens a
:class:`~analysis.comments.widget.CodingWidget` on it as coder ``benchmark`` and, ``--moves``
times, ticks a code and clicks *Next* (``button.click()``, as the browser's click arrives in
the kernel). Each click is timed alone: it writes the decision to the coding log (with its
``fsync``), finds the next comment, redacts it and updates every widget. Also timed: building
the widget, setting the coder (replaying the log) and changing a filter.

Prints the median, 95th percentile and slowest click, and exits with status 1 if the slowest
is 100 ms or more.

Usage::

    .venv/bin/python benchmarks/widget_benchmark.py [--comments 10000] [--moves 300] [--where DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.comments.codebook import load_codebook
from analysis.comments.widget import CodingSession, CodingWidget

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO = PROJECT_ROOT / "data" / "demo"
GOAL_SECONDS = 0.100


def many_comments(count: int, seed: int = 1) -> pd.DataFrame:
    """``count`` comments: the demo package's texts and groups, repeated, with new ids."""
    demo = pd.read_csv(DEMO / "comments.csv", dtype=str)
    responses = pd.read_csv(
        DEMO / "responses.csv", usecols=["respondent_id", "directorate", "staff_group"], dtype=str
    )
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "comment_id": [f"B{number:06d}" for number in range(1, count + 1)],
            "year": rng.choice(np.arange(2003, 2009), size=count),
            "question": demo["question"].to_numpy()[np.arange(count) % len(demo)],
            "text": demo["text"].to_numpy()[rng.integers(0, len(demo), size=count)],
            "directorate": responses["directorate"].to_numpy()[
                rng.integers(0, len(responses), count)
            ],
            "staff_group": responses["staff_group"].to_numpy()[
                rng.integers(0, len(responses), count)
            ],
        }
    )


def timed(action: object) -> float:
    """Seconds taken by ``action()``."""
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 if a move took 100 ms or more."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument(
        "--where",
        type=Path,
        default=None,
        help="make the temporary package folder here "
        "(e.g. on the network drive the researcher will use: its fsync is what each move waits on)",
    )
    arguments = parser.parse_args(argv)
    comments = many_comments(arguments.comments)
    codebook = load_codebook(DEMO / "codebook.yml")
    codes = codebook.codable_ids()
    with tempfile.TemporaryDirectory(dir=arguments.where) as folder:
        build = time.perf_counter()
        widget = CodingWidget(CodingSession(comments, codebook, folder))
        build = time.perf_counter() - build
        coder = timed(lambda: setattr(widget.coder, "value", "benchmark"))
        clicks = []
        for move in range(arguments.moves):
            widget.checkboxes[codes[move % len(codes)]].value = True
            clicks.append(timed(widget.next_button.click))
        filtering = timed(lambda: setattr(widget.uncoded_only, "value", True))
        remaining = widget.session.progress().view_size
        widget.session.close()
    clicks_ms = sorted(1000 * seconds for seconds in clicks)
    p95 = clicks_ms[min(len(clicks_ms) - 1, int(0.95 * len(clicks_ms)))]
    print(f"comments: {arguments.comments:,}; moves timed: {arguments.moves}")
    print(f"build the widget:        {1000 * build:8.1f} ms")
    print(f"set the coder:           {1000 * coder:8.1f} ms")
    print(f"'uncoded only' filter:   {1000 * filtering:8.1f} ms ({remaining:,} comments left)")
    print(
        f"next comment (click):    median {statistics.median(clicks_ms):.1f} ms, "
        f"95th percentile {p95:.1f} ms, slowest {clicks_ms[-1]:.1f} ms "
        f"(goal: every move < {1000 * GOAL_SECONDS:.0f} ms)"
    )
    return 0 if clicks_ms[-1] < 1000 * GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
