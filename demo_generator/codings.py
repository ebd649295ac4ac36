"""The researcher's coding of every comment, and a supervisor's blind second coding of a sample.

Each coder reads a comment and applies each of its true codes with a coder-specific chance;
a missed code is sometimes replaced by a neighbouring code of the same theme, and now and then
a coder adds a neighbouring code the writer did not mean. A coder who applies nothing records
a row with a blank ``code_id``. The result agrees most of the time (Cohen's kappa about
0.6-0.8 on the common codes) without being perfect.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import pandas as pd

from analysis.datapackage.plain_yaml import load_plain_yaml

__all__ = [
    "Coder",
    "CODERS",
    "CODED_SAMPLE_SIZE",
    "codebook_text",
    "codes_by_theme",
    "codings_table",
]

CODED_SAMPLE_SIZE = 300


@dataclass(frozen=True)
class Coder:
    """A simulated coder: how often a true code is applied, and how often one is added."""

    name: str
    recall: float
    substitution: float
    addition: float


CODERS = (
    Coder("researcher", recall=0.84, substitution=0.5, addition=0.12),
    Coder("supervisor", recall=0.78, substitution=0.5, addition=0.15),
)


def codebook_text() -> str:
    """The demo codebook, as written to ``codebook.yml``."""
    return files("demo_generator").joinpath("codebook.yml").read_text("utf-8")


def codes_by_theme() -> dict[str, tuple[str, ...]]:
    """Theme ID -> its code IDs, from the codebook."""
    themes = load_plain_yaml(codebook_text())
    return {theme["id"]: tuple(code["id"] for code in theme["codes"]) for theme in themes}


def _code_once(
    rng: np.random.Generator, coder: Coder, true_codes: tuple[str, ...], theme_of, themes
) -> list[str]:
    applied: set[str] = set()
    for code in true_codes:
        neighbours = [other for other in themes[theme_of[code]] if other != code]
        if rng.random() < coder.recall:
            applied.add(code)
        elif rng.random() < coder.substitution:
            applied.add(neighbours[rng.integers(len(neighbours))])
    if true_codes and rng.random() < coder.addition:
        source = true_codes[rng.integers(len(true_codes))]
        neighbours = [other for other in themes[theme_of[source]] if other != source]
        applied.add(neighbours[rng.integers(len(neighbours))])
    return sorted(applied)


def codings_table(rng: np.random.Generator, topics: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """The ``codings`` table: the researcher codes every comment, and the supervisor codes
    a random sample of ``CODED_SAMPLE_SIZE`` of them independently (the double-coded sample
    for inter-coder agreement).

    Parameters
    ----------
    rng
        The generator for this component.
    topics
        ``comment_id`` -> the comment's true codes.
    """
    themes = codes_by_theme()
    theme_of = {code: theme for theme, codes in themes.items() for code in codes}
    comment_ids = sorted(topics)
    sample = set(rng.choice(comment_ids, size=CODED_SAMPLE_SIZE, replace=False).tolist())
    rows = []
    for comment_id in comment_ids:
        for coder in CODERS if comment_id in sample else CODERS[:1]:
            applied = _code_once(rng, coder, topics[comment_id], theme_of, themes)
            rows.extend((comment_id, coder.name, code) for code in applied or [""])
    return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"])
