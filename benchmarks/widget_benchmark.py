"""Time the coding widget on 10,000 comments: moving to the next comment must take < 100 ms.

Builds a temporary data package folder with ``--comments`` comments (the demo package's
texts, repeated with new ids, years and groups) and the demo codebook, with three machine
suggestions per comment (random codes and probabilities, as
:func:`analysis.comments.suggest_codes` gives them), opens a
:class:`~analysis.comments.widget.CodingWidget` on it as coder ``benchmark`` and, ``--moves``
times, ticks a code and clicks *Next* (``button.click()``, as the browser's click arrives in
the kernel). The click is timed alone (it finds the next comment, redacts it and updates
every widget, the suggestion rows among them), and so is the tick (it writes the decision to
the coding log, with its ``fsync``). Also timed: building the widget, setting the coder
(replaying the log) and changing a filter.

Prints the median, 95th percentile and slowest click and tick, and exits with status 1 if the
slowest click is 100 ms or more.

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

from analysis.comments.widget import CodingSession, CodingWidget
from analysis.datapackage.codebook import load_codebook

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


def random_suggestions(
    comments: pd.DataFrame, codes: tuple[str, ...], seed: int = 2
) -> pd.DataFrame:
    """Three suggested codes per comment, each with a probability from 0.5 to 1."""
    rng = np.random.default_rng(seed)
    picked = np.array([rng.choice(len(codes), size=3, replace=False) for _ in range(len(comments))])
    return pd.DataFrame(
        {
            "comment_id": np.repeat(comments["comment_id"].to_numpy(), 3),
            "code_id": np.asarray(codes)[picked.ravel()],
            "probability": rng.uniform(0.5, 1.0, size=picked.size),
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
        suggestions = random_suggestions(comments, codes)
        widget = CodingWidget(CodingSession(comments, codebook, folder, suggestions=suggestions))
        build = time.perf_counter() - build
        coder = timed(lambda: setattr(widget.coder, "value", "benchmark"))
        clicks, ticks = [], []
        for move in range(arguments.moves):
            box = widget.checkboxes[codes[move % len(codes)]]
            ticks.append(timed(lambda box=box: setattr(box, "value", True)))
            clicks.append(timed(widget.next_button.click))
        filtering = timed(lambda: setattr(widget.uncoded_only, "value", True))
        remaining = widget.session.progress().view_size
        widget.session.close()
    clicks_ms = sorted(1000 * seconds for seconds in clicks)
    ticks_ms = sorted(1000 * seconds for seconds in ticks)
    p95 = clicks_ms[min(len(clicks_ms) - 1, int(0.95 * len(clicks_ms)))]
    tick_p95 = ticks_ms[min(len(ticks_ms) - 1, int(0.95 * len(ticks_ms)))]
    print(f"comments: {arguments.comments:,}; moves timed: {arguments.moves}")
    print(f"build the widget:        {1000 * build:8.1f} ms")
    print(f"set the coder:           {1000 * coder:8.1f} ms")
    print(f"'uncoded only' filter:   {1000 * filtering:8.1f} ms ({remaining:,} comments left)")
    print(
        f"next comment (click):    median {statistics.median(clicks_ms):.1f} ms, "
        f"95th percentile {p95:.1f} ms, slowest {clicks_ms[-1]:.1f} ms "
        f"(goal: every move < {1000 * GOAL_SECONDS:.0f} ms)"
    )
    print(
        f"tick a code (saved):     median {statistics.median(ticks_ms):.1f} ms, "
        f"95th percentile {tick_p95:.1f} ms, slowest {ticks_ms[-1]:.1f} ms"
    )
    return 0 if clicks_ms[-1] < 1000 * GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
