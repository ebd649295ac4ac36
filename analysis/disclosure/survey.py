"""Disclosure control of the survey tables: the gate, applied with the right structure.

Every survey table passes :func:`analysis.disclosure.suppress_small_groups`, but a survey
table is not one flat table. The organisation's row is the total of each breakdown's rows,
and a directorate x staff group crossing adds up to both the directorate rows and the
staff group rows published beside it. A hidden directorate could be worked out from the
crossing's cells if the two were suppressed separately, so each crossing is gated together
with its margins and the organisation total, as one two-way table in which the margins are
the category *All* (:data:`ALL`): a line ``cells - All = 0`` has the same hidden-cell
algebra as the gate's ``cells = total``. Tables derived from the item scores (changes,
group against the rest) hide every row that rests on a hidden item score, so nothing
hidden in one table shows in another.

The gate stops any single hidden cell being worked out, but the hidden cells of a line add
up to its published total minus its shown cells: the *rest* of the organisation (or of a
directorate). Where a group holds all but a few respondents, that rest would be a figure on
fewer than the minimum group size, published by subtraction from the organisation's row,
and directly as ``rest_n`` and ``rest_pct`` in the group differences. So a line whose hidden
cells add up to fewer than the minimum has its smallest shown cell hidden too, and a group
difference whose rest is below the minimum is hidden.

:func:`suppress_survey_tables` applies all of this to the tables of
:func:`analysis.survey.survey_tables`, so that a notebook cannot forget one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.datapackage.groups import SEPARATOR, split_crossing
from analysis.disclosure.cells import suppress_small_groups
from analysis.disclosure.marks import mark_gated
from analysis.disclosure.protection import PROTECTION_LEVEL
from analysis.disclosure.weighted import hidden_weighted_rows, weighted_columns

__all__ = [
    "ALL",
    "TABLE_KINDS",
    "suppress_breakdowns",
    "suppress_survey_table",
    "suppress_survey_tables",
]

ALL = "\uffffAll"
"""The category standing for a margin (all groups) inside a gated two-way table; it sorts
after every label so that ties for complementary suppression go to a real group."""


@dataclass(frozen=True)
class _Gate:
    """How one kind of table passes the gate."""

    count: str | None
    for_each: tuple[str, ...]
    labels: tuple[str, ...] = ()
    grouped: bool = False
    derived_years: tuple[str, ...] = ()
    rest: str | None = None
    answers: tuple[str, ...] = ()
    """Count columns splitting the count by answer (``n_positive``): with the count minus
    their sum (the other answers), each must leave a hidden rest of at least the protection
    level on every line (:func:`_small_rests`)."""
    of_respondents: bool = False
    """Whether the count is of respondents answering (an item, a theme): at most the group's
    respondents, which ``response_rates`` publishes (rule 4's ceilings,
    :func:`_respondent_ceilings`)."""
    same_across: tuple[str, ...] = ()
    """Columns of ``for_each`` along which a group's count is the same figure (the
    commenters of a group, on every code's row): a group hidden in one of those tables is
    hidden in all of them (:func:`_shared_hidden`)."""


WEIGHTING = ("staff_group",)
"""The weighting classes of :func:`analysis.survey.survey_tables` (as the NHS staff survey)."""

TABLE_KINDS: dict[str, _Gate] = {
    "item_scores": _Gate(
        "n", ("year", "item_id"), grouped=True, answers=("n_positive",), of_respondents=True
    ),
    "theme_scores": _Gate("n", ("year", "theme"), grouped=True, of_respondents=True),
    "key_finding_scores": _Gate("n", ("year", "theme"), grouped=True, of_respondents=True),
    "response_rates": _Gate("respondents", ("year",), labels=("headcount",), grouped=True),
    "changes": _Gate(None, (), derived_years=("year", "base_year")),
    "group_differences": _Gate(None, (), derived_years=("year",), rest="rest_n"),
    "benchmark": _Gate(
        "n",
        ("year", "item_id"),
        labels=("comparators", "worst", "median", "average", "best", "organisations"),
    ),
    "reliability": _Gate("n", ("year", "theme"), labels=("items", "note")),
    "item_rest": _Gate("n", ("year", "theme", "item_id"), labels=("note",)),
    "drivers": _Gate("n", ("year", "outcome", "predictor"), labels=("predictor_type", "theme")),
}
"""Each survey table kind and how it is gated: its count column, the columns that split it
into separate tables, the columns that stay visible, and whether it has breakdowns
(``group_type``/``group``) or is hidden wherever the item scores it rests on are, and
its count of the rest of the organisation, if any."""


def _kind_of(name: str) -> str:
    for kind in sorted(TABLE_KINDS, key=len, reverse=True):
        if name == kind or name.startswith(kind + "_"):
            return kind
    raise ValueError(
        f"unknown survey table {name!r}: its name must be one of {sorted(TABLE_KINDS)}, "
        "optionally followed by _ and a suffix (e.g. changes_weighted)"
    )


def _mask(table: pd.DataFrame, columns: Sequence[str], hidden: np.ndarray) -> pd.DataFrame:
    """Blank ``columns`` in hidden rows, keeping integer and boolean columns' types."""
    result = table.copy()
    for column in columns:
        values = result[column]
        if values.dtype == bool:
            values = values.astype("boolean")
        elif pd.api.types.is_integer_dtype(values) and not isinstance(
            values.dtype, pd.api.extensions.ExtensionDtype
        ):
            values = values.astype("Int64")
        result[column] = values.mask(hidden)
    return result


def _blocks(structure: dict[str, tuple[str, ...]]) -> list[tuple[list[str], list[str]]]:
    """Group types gated together, with the dimensions of their gated table.

    Each crossing forms one block with its two margins and the organisation; each other
    breakdown forms a block with the organisation; the organisation alone when nothing else.
    """
    for group_type, columns in structure.items():
        if len(columns) > 2:
            raise ValueError(f"group_type {group_type!r} crosses more than two columns")
    totals = [t for t, columns in structure.items() if not columns]
    one_way = {columns[0]: t for t, columns in structure.items() if len(columns) == 1}
    blocks, crossed_columns = [], set()
    for group_type, columns in structure.items():
        if len(columns) != 2:
            continue
        if crossed_columns & set(columns):
            raise ValueError(
                f"column(s) {sorted(crossed_columns & set(columns))} appear in more than one "
                "crossing; each group column may be crossed with one other only"
            )
        crossed_columns |= set(columns)
        margins = [one_way[c] for c in columns if c in one_way]
        blocks.append(([*totals, *margins, group_type], list(columns)))
    for column, group_type in one_way.items():
        if column not in crossed_columns:
            blocks.append(([*totals, group_type], [column]))
    if not blocks and totals:
        blocks.append((totals, []))
    return blocks


def _block_keys(
    part: pd.DataFrame,
    dimensions: list[str],
    structure: dict[str, tuple[str, ...]],
    for_each: Sequence[str],
) -> tuple[pd.DataFrame, list[str]]:
    """A block's rows as cells of a table: ``for_each`` columns and one column per dimension
    (``"dimension 0"``...), :data:`ALL` in a margin; and the dimension columns' names."""
    cells: dict[str, np.ndarray] = {key: part[key].to_numpy() for key in for_each}
    labels = part["group"].astype("str").to_numpy(dtype=object)
    for position, dimension in enumerate(dimensions):
        values = np.full(len(part), ALL, dtype=object)
        for group_type, columns in structure.items():
            chosen = (part["group_type"] == group_type).to_numpy()
            if not chosen.any() or dimension not in columns:
                continue
            if len(columns) == 1:
                values[chosen] = labels[chosen]
            else:
                split = [label.split(SEPARATOR) for label in labels[chosen]]
                if any(len(pieces) != 2 for pieces in split):
                    raise ValueError(
                        f"a group of {group_type!r} is not two labels joined by {SEPARATOR!r}"
                    )
                values[chosen] = [pieces[columns.index(dimension)] for pieces in split]
        cells[f"dimension {position}"] = values
    return pd.DataFrame(cells), [f"dimension {position}" for position in range(len(dimensions))]


def _gated_block(
    table: pd.DataFrame,
    rows: np.ndarray,
    dimensions: list[str],
    structure: dict[str, tuple[str, ...]],
    gate: _Gate,
    minimum: int,
    ceilings: Sequence[np.ndarray] = (),
    hide: np.ndarray | None = None,
) -> pd.DataFrame:
    """Run the gate on one block and return its ``suppressed`` and ``suppression`` columns.

    ``ceilings`` are arrays (one entry per row of the block, ``inf`` where unknown) of the
    most people a reader knows each row's count can be: one array per set of published
    counts a reader may use (the groups' respondents; those and the respondents to the
    item's theme). Each is checked on its own (:func:`_pinned_counts`), since what a
    group's own figure says depends on which of its counts the reader takes. ``hide``
    marks rows to hide whatever their count (:func:`_answers_pinning_respondents`).
    """
    part = table.iloc[rows]
    keys, names = _block_keys(part, dimensions, structure, gate.for_each)
    counts = part[gate.count].to_numpy(dtype=float)
    tables = (
        keys.groupby(list(gate.for_each), sort=False, dropna=False).ngroup().to_numpy()
        if gate.for_each
        else np.zeros(len(keys), dtype=np.int64)
    )
    answers = [
        part[column].fillna(0).to_numpy(dtype=float)
        for column in gate.answers
        if column in part.columns
    ]
    if answers:
        answers.append(counts - np.sum(answers, axis=0))  # the other answers
    rests = [(counts, minimum), *[(split, PROTECTION_LEVEL) for split in answers]]
    hidden = np.zeros(len(keys), dtype=bool)
    forced = np.zeros(len(keys), dtype=bool) if hide is None else hide.copy()
    redo = np.ones(len(keys), dtype=bool)
    while redo.any():
        # Cells hidden to protect a small rest enter the gate with count 0, so that it hides
        # them and whatever stops them being worked out; only the tables that changed rerun.
        chosen = keys[redo].assign(**{gate.count: np.where(forced, 0.0, counts)[redo]})
        gated = suppress_small_groups(
            chosen,
            count=gate.count,
            dimensions=names,
            values=[],
            for_each=list(gate.for_each),
            minimum=minimum,
        )
        hidden[redo] = gated["suppressed"].to_numpy(dtype=bool)
        more = _small_rests(keys, names, gate.for_each, rests, hidden)
        if not more.any() and answers:
            more = _pinned_answers(keys, names, gate.for_each, counts, answers, hidden)
        for most in ceilings:
            if not more.any() and np.isfinite(most).any():
                more = _pinned_counts(keys, names, gate.for_each, counts, most, hidden)
        if not more.any() and gate.same_across:
            more = _shared_hidden(keys, names, gate.for_each, gate.same_across, hidden)
        forced |= more
        redo = np.isin(tables, tables[more])
    primary = counts < minimum
    suppression = np.where(primary, "primary", np.where(hidden, "secondary", ""))
    return pd.DataFrame({"suppressed": hidden, "suppression": suppression}, index=rows)


def _small_rests(
    keys: pd.DataFrame,
    dimensions: list[str],
    for_each: Sequence[str],
    rests: Sequence[tuple[np.ndarray, float]],
    hidden: np.ndarray,
) -> np.ndarray:
    """Cells to hide so that no line's hidden cells add up to a small or pinning rest.

    On a line whose total is shown (its :data:`ALL` cell, e.g. the organisation's row), the
    hidden cells add up to the total minus the shown ones: a *rest* that anyone can work
    out. ``rests`` pairs each count the table publishes per cell with the least rest it may
    leave: ``(respondents, minimum)``, and for a table of answers ``(positive answers,
    protection level)`` and ``(other answers, protection level)``.

    * Respondents: the gate makes sure no single hidden cell can be worked out, but a rest
      of, say, 5 respondents (the organisation minus a group that holds all but 5 of them)
      would still be published. Where a line's hidden cells number at least one and add
      up to fewer than ``minimum`` (including 0: counts cannot be negative, so a rest of 0
      reveals every hidden cell), its smallest shown cell (ties to the label sorting first)
      is returned, to be hidden too.
    * Answers: where the hidden cells of a line hold fewer than the protection level of
      positive answers (or of other answers), counts cannot be negative, so each hidden
      cell's positive answers lie between 0 and that rest: with a rest of 0, a reader
      learns that *nobody* in the hidden groups answered positively (or that everybody
      did). This is group attribute disclosure in a frequency table (Hundepool et al.
      2012, chapter 5), and the pattern fails the protection-interval requirement of
      section 4.3: the intruder's feasibility interval of each hidden count must be at least
      the protection level wide. The line's smallest shown cell holding some of those
      answers is returned, to be hidden too. A line none of whose shown cells holds any
      (every cell hidden, or the shown ones all answered the same way) is left as it is:
      its hidden cells then hold what its total publishes about itself (a published group
      of at least ``minimum`` in which fewer than the protection level answered one way),
      and hiding the total does not help, since other tables bound it (respondents in
      ``response_rates``; measured on the demo: hiding Medical and Dental's row pinned its
      answers to 2 values). The whole-run audit tells that case from a disclosure.

    A line without an :data:`ALL` cell counts as having its total published elsewhere.
    The caller reruns the gate and this rule until nothing changes.

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S.,
    Spicer, K. and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley,
    section 4.3 (protection levels and feasibility intervals) and chapter 5 (disclosure
    risks of frequency tables: group attribute disclosure, zeros).
    """
    more = np.zeros(len(keys), dtype=bool)
    for dimension in dimensions:
        others = [*for_each, *[d for d in dimensions if d != dimension]]
        line = (
            keys.groupby(others, sort=False, dropna=False).ngroup().to_numpy()
            if others
            else np.zeros(len(keys), dtype=np.int64)
        )
        margin = keys[dimension].to_numpy() == ALL
        inner_hidden = ~margin & hidden
        published = (_line_sums(line, margin & ~hidden) > 0) | (_line_sums(line, margin) == 0)
        some_hidden = _line_sums(line, inner_hidden) > 0
        for position, (counts, least) in enumerate(rests):
            rest = _line_sums(line, np.where(inner_hidden, counts, 0.0))
            small = published & some_hidden & (rest < least)
            holders = ~margin & ~hidden & (counts > 0 if position else True)
            candidates = np.flatnonzero(small[line] & holders)
            if candidates.size:
                labels = keys.iloc[candidates][dimensions].astype("str").agg("\x1f".join, axis=1)
                order = np.lexsort((labels.to_numpy(dtype=object), rests[0][0][candidates]))
                ordered = candidates[order]
                _, first = np.unique(line[ordered], return_index=True)
                more[ordered[first]] = True
    return more


def _pinned_answers(
    keys: pd.DataFrame,
    dimensions: list[str],
    for_each: Sequence[str],
    counts: np.ndarray,
    answers: Sequence[np.ndarray],
    hidden: np.ndarray,
    level: int = PROTECTION_LEVEL,
) -> np.ndarray:
    """Shown cells to hide where the lines together pin a hidden cell's answers.

    :func:`_small_rests` looks at one line at a time. Lines also act together: a hidden
    staff group's other answers may be at most the organisation's rest (3, say) minus what
    the shown cells of another hidden staff group already hold (2, in a shown directorate x
    staff group cell), leaving it 0 or 1. The bounds every line gives each hidden cell's
    answers are propagated until they settle (:func:`_answer_bounds`); a hidden cell whose
    whole numbers then span less than the protection level has, on each line through it,
    the smallest shown cell holding some of those answers hidden too. A range ``[0, k]``
    under a published group holding ``k`` such answers is that group's own figure and is
    left as it is (hiding more cannot change it).

    Propagated bounds are at least as wide as a linear programme's, so this catches the
    pins that chains of lines make, not all; the whole-run audit solves the programmes.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, section 4.3 (the
    intruder's feasibility intervals of the hidden cells must be at least the protection
    level wide).
    """
    lines, margins = _lines(keys, dimensions, for_each)
    more = np.zeros(len(keys), dtype=bool)
    for split in answers:
        low, high = _answer_bounds(lines, margins, split, hidden)
        pinned = hidden & (np.floor(high + 1e-6) - np.ceil(low - 1e-6) < level)
        # [0, k] under a published group holding k such answers is that group's own figure
        # (see _small_rests); hiding more does not change it.
        cap = np.full(len(keys), np.inf)
        for line, margin in zip(lines, margins, strict=True):
            total = _line_sums(line, np.where(margin & ~hidden, split, 0.0))
            shown = _line_sums(line, margin & ~hidden) > 0
            cap = np.minimum(cap, np.where(shown[line] & ~margin, total[line], np.inf))
        pinned &= ~((low < 1e-6) & (high >= cap - 1e-6))
        if not pinned.any():
            continue
        holding = ~hidden & (split > 0)
        more |= _smallest_holders(keys, dimensions, lines, margins, pinned, holding, counts)
        # Pinned from below (the line's rest less the most its other hidden cells hold): one
        # more hidden cell on the line widens it even if it holds none of those answers, as
        # the reader cannot tell. Used on a line none of whose shown cells holds any, where
        # the rule above finds nothing (the markup-attacked demo, 2007 violence_patients:
        # Community Nursing's administrative staff, 5 of the 6 other answers of a column
        # whose shown cells had none, the other hidden cell at most 1).
        below = pinned & (np.ceil(low - 1e-6) > 0)
        if below.any():
            more |= _smallest_holders(
                keys, dimensions, lines, margins, below, ~hidden & (counts > 0), counts, holding
            )
    return more


def _pinned_counts(
    keys: pd.DataFrame,
    dimensions: list[str],
    for_each: Sequence[str],
    counts: np.ndarray,
    ceilings: np.ndarray,
    hidden: np.ndarray,
    level: int = PROTECTION_LEVEL,
) -> np.ndarray:
    """Shown cells to hide where the groups' respondents pin a hidden cell's answers.

    A group answering an item has at most its respondents, which ``response_rates``
    publishes for cells the item's table hides (``ceilings``). Where the hidden cells of a
    line held almost every respondent's answer (Administrative and Clerical in 2003 on the
    demo: 30 hidden answers, 19 + 11 respondents in the two hidden cells), their answers are
    pinned from below by the line and from above by the respondents: each cell's answers
    are its respondents. The lines' bounds (:func:`_answer_bounds`, starting from the
    ceilings) find such cells; on each line through one whose whole numbers span less than
    the protection level, the smallest shown cell with respondents who did not answer (or
    with unknown respondents) is hidden too, so that the hidden cells' unanswered places
    add up to more.

    A range ``[respondents - k, respondents]`` under a published group in which ``k``
    respondents (fewer than the protection level) left the item unanswered is that group's
    own figure (all 124 administrative staff answered, so every part of them did), as
    :func:`_pinned_answers`' ``[0, k]``: hiding more cannot change it, so it is left.
    """
    lines, margins = _lines(keys, dimensions, for_each)
    low, high = _answer_bounds(lines, margins, counts, hidden, ceilings=ceilings)
    pinned = hidden & (np.floor(high + 1e-6) - np.ceil(low - 1e-6) < level)
    known = np.isfinite(ceilings)
    cap = np.full(len(keys), np.inf)  # the least unanswered places of a shown group above
    for line, margin in zip(lines, margins, strict=True):
        total = margin & ~hidden & known
        unanswered = _line_sums(line, np.where(total, ceilings - counts, 0.0))
        cap = np.minimum(
            cap, np.where((_line_sums(line, total) > 0)[line], unanswered[line], np.inf)
        )
    pinned &= ~(known & (high >= ceilings - 1e-6) & (ceilings - low >= cap - 1e-6))
    if not pinned.any():
        return np.zeros(len(keys), dtype=bool)
    return _smallest_holders(
        keys, dimensions, lines, margins, pinned, ~hidden & (ceilings > counts), counts
    )


def _shared_hidden(
    keys: pd.DataFrame,
    dimensions: list[str],
    for_each: Sequence[str],
    same_across: Sequence[str],
    hidden: np.ndarray,
) -> np.ndarray:
    """Shown cells of a group that another of its tables hides, where the count is shared.

    A group's commenters are one figure, printed on every code's row. Gated code by code,
    a group hidden under one code (as the partner of a small group there) could be shown
    under another, and its commenters then come back into the first; found by the
    whole-run audit on the demo's 2008 comments (age band 66+ and gender "Not stated"
    pinned to exactly 3 commenters). So the gate takes one decision per group: a group
    hidden in any of the tables along ``same_across`` is hidden in all of them (and the
    gate, rerun, hides what protects it there).
    """
    by = [*[c for c in for_each if c not in same_across], *dimensions]
    group = keys.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    return (_line_sums(group, hidden) > 0)[group] & ~hidden


def _lines(
    keys: pd.DataFrame, dimensions: list[str], for_each: Sequence[str]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each dimension's lines (rows sharing every other key, numbered) and margin cells."""
    lines, margins = [], []
    for dimension in dimensions:
        others = [*for_each, *[d for d in dimensions if d != dimension]]
        lines.append(
            keys.groupby(others, sort=False, dropna=False).ngroup().to_numpy()
            if others
            else np.zeros(len(keys), dtype=np.int64)
        )
        margins.append(keys[dimension].to_numpy() == ALL)
    return lines, margins


def _smallest_holders(
    keys: pd.DataFrame,
    dimensions: list[str],
    lines: Sequence[np.ndarray],
    margins: Sequence[np.ndarray],
    flagged: np.ndarray,
    holders: np.ndarray,
    counts: np.ndarray,
    unless: np.ndarray | None = None,
) -> np.ndarray:
    """On each line through a flagged cell, its smallest holder (ties to the first label);
    with ``unless``, only on lines holding none of the cells it marks."""
    more = np.zeros(len(keys), dtype=bool)
    for line, margin in zip(lines, margins, strict=True):
        through = _line_sums(line, flagged) > 0
        if unless is not None:
            through &= _line_sums(line, unless & ~margin) == 0
        candidates = np.flatnonzero(through[line] & holders & ~margin)
        if candidates.size == 0:
            continue
        labels = keys.iloc[candidates][dimensions].astype("str").agg("\x1f".join, axis=1)
        ordered = candidates[np.lexsort((labels.to_numpy(dtype=object), counts[candidates]))]
        _, first = np.unique(line[ordered], return_index=True)
        more[ordered[first]] = True
    return more


def _answer_bounds(
    lines: Sequence[np.ndarray],
    margins: Sequence[np.ndarray],
    values: np.ndarray,
    hidden: np.ndarray,
    rounds: int = 50,
    ceilings: np.ndarray | None = None,
    floors: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on hidden cells' counts from every line ``inner cells - total = 0``.

    Shown cells are their values; hidden ones start at ``[0, inf)``, or at ``[0, ceiling]``
    where a ceiling is known (the group's published respondents), and from a floor where
    one is (the group's published answers bounding its respondents). Each round tightens
    every hidden cell by what the line's other cells allow (interval constraint
    propagation, as a linear programme's presolve does), until nothing moves.
    """
    low = np.where(hidden, 0.0 if floors is None else floors, values)
    high = np.where(hidden, np.inf if ceilings is None else ceilings, values)
    for _ in range(rounds):
        moved = False
        for line, margin in zip(lines, margins, strict=True):
            has_total = _line_sums(line, margin) > 0
            sign = np.where(margin, -1.0, 1.0)
            least = np.where(sign > 0, low, -high)  # each cell's least contribution
            most = np.where(sign > 0, high, -low)
            least_inf, most_inf = np.isinf(least), np.isinf(most)
            line_least = _line_sums(line, np.where(least_inf, 0.0, least))
            line_most = _line_sums(line, np.where(most_inf, 0.0, most))
            others_least_inf = _line_sums(line, least_inf)[line] - least_inf
            others_most_inf = _line_sums(line, most_inf)[line] - most_inf
            rest_least = np.where(
                others_least_inf > 0, -np.inf, line_least[line] - np.where(least_inf, 0, least)
            )
            rest_most = np.where(
                others_most_inf > 0, np.inf, line_most[line] - np.where(most_inf, 0, most)
            )
            # sign * x = -(the others): x in [-rest_most, -rest_least] for an inner cell,
            # [rest_least, rest_most] for the total.
            new_low = np.where(sign > 0, -rest_most, rest_least)
            new_high = np.where(sign > 0, -rest_least, rest_most)
            use = hidden & has_total[line]
            tighter_low = use & (new_low > low + 1e-9)
            tighter_high = use & (new_high < high - 1e-9)
            if tighter_low.any() or tighter_high.any():
                low = np.where(tighter_low, new_low, low)
                high = np.where(tighter_high, new_high, high)
                moved = True
        if not moved:
            break
    return low, high


def _line_sums(line: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The sum of ``weights`` over each line (lines numbered 0, 1, ... in ``line``)."""
    return np.bincount(line, weights=weights, minlength=int(line.max()) + 1)


def _suppress_grouped(
    table: pd.DataFrame,
    gate: _Gate,
    minimum: int,
    breakdowns: Mapping[str, Sequence[str]] | None,
    unknown_weights: set[tuple] | None = None,
    weighting: Sequence[str] = WEIGHTING,
    most: Sequence[np.ndarray] = (),
    hide: np.ndarray | None = None,
) -> pd.DataFrame:
    """Gate a table with breakdowns, block by block; ``most`` are each row's ceilings,
    ``hide`` the rows to hide whatever their count."""
    structure = split_crossing(table, breakdowns)
    positions = np.arange(len(table))
    hidden = np.zeros(len(table), dtype=bool)
    primary = np.zeros(len(table), dtype=bool)
    for group_types, dimensions in _blocks(structure):
        rows = positions[table["group_type"].isin(group_types).to_numpy()]
        flags = _gated_block(
            table,
            rows,
            dimensions,
            structure,
            gate,
            minimum,
            [m[rows] for m in most],
            None if hide is None else hide[rows],
        )
        hidden[rows] |= flags["suppressed"].to_numpy(dtype=bool)
        primary[rows] |= (flags["suppression"] == "primary").to_numpy()
    keys = {"year", "group_type", "group", *gate.for_each, *gate.labels}
    values = [gate.count, *[c for c in table.columns if c not in keys and c != gate.count]]
    result = _mask(table, values, hidden)
    weighted = weighted_columns(table)
    if weighted:
        if unknown_weights is None:
            raise ValueError(
                "this table has weighted figures: pass the gated response_rates (or use "
                "suppress_survey_tables) so that the gate knows which weights are published"
            )
        exposed = hidden_weighted_rows(
            table, structure, hidden, gate.for_each, weighting, unknown_weights
        )
        result = _mask(result, weighted, exposed)
    result["suppressed"] = hidden
    result["suppression"] = pd.array(
        np.where(primary, "primary", np.where(hidden, "secondary", "")), dtype="string"
    )
    return result


def _most_known(
    gated: pd.DataFrame,
    count: str,
    for_each: Sequence[str],
    breakdowns: Mapping[str, Sequence[str]] | None,
    ceilings: np.ndarray,
) -> np.ndarray:
    """The most a reader of a gated table of counts knows each row's count can be.

    A shown row's count; for a hidden one, what ``ceilings`` (``inf`` where none) and the
    lines of the table allow (:func:`_answer_bounds`).
    """
    hidden = gated["suppressed"].to_numpy(dtype=bool)
    counts = pd.to_numeric(gated[count], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    counts = np.nan_to_num(counts, nan=0.0)
    most = np.where(hidden, ceilings, counts)
    structure = split_crossing(gated, breakdowns)
    positions = np.arange(len(gated))
    for group_types, dimensions in _blocks(structure):
        rows = positions[gated["group_type"].isin(group_types).to_numpy()]
        keys, names = _block_keys(gated.iloc[rows], dimensions, structure, for_each)
        lines, margins = _lines(keys, names, for_each)
        _, high = _answer_bounds(
            lines, margins, counts[rows], hidden[rows], ceilings=ceilings[rows]
        )
        most[rows] = np.minimum(most[rows], high)
    return most


def _group_index(table: pd.DataFrame, *more: str) -> pd.MultiIndex:
    """``(year, group_type, group, *more)`` of each row, labels as text."""
    return pd.MultiIndex.from_arrays(
        [
            table["year"],
            table["group_type"].astype("str"),
            table["group"].astype("str"),
            *[table[column] for column in more],
        ]
    )


def _respondent_ceilings(
    response_rates: pd.DataFrame | None,
    breakdowns: Mapping[str, Sequence[str]] | None,
    respondents: pd.DataFrame | None = None,
) -> pd.Series | None:
    """The most respondents a reader knows each group has.

    From the gated ``response_rates``: a shown group's respondents; for a hidden one, what
    its headcount (shown beside it) and the lines of the table allow (:func:`_most_known`).
    From ``respondents`` (every breakdown's groups, ``year``, ``group_type``, ``group``,
    ``respondents``): each group's respondents, taken as known exactly, small groups and
    the staff groups of ``response_rates`` too. A reader does not see them all, but works
    them out closely: a group's respondents are at least its most answers to any item (or
    respondents to any theme), and the groups hidden on a line share what the organisation's
    respondents leave beyond those lower bounds, *together* (the whole-run audit links
    them so, :mod:`analysis.disclosure.relations`). A ceiling per group cannot say
    "together": a small group's ceiling of the organisation's rest let two hidden groups
    each take it all, while the audit pinned them (2004 on the demo: ethnicity "Not
    stated" at 12 answers, the other hidden groups holding the rest of 24). The true
    respondents are at most what any reader knows, so the gate checks the lines against
    them. Indexed by ``(year, group_type, group)``, the least of the two; None without
    either table.
    """
    parts = []
    if response_rates is not None and "suppressed" in response_rates.columns:
        headcount = np.full(len(response_rates), np.inf)
        if "headcount" in response_rates.columns:
            values = pd.to_numeric(response_rates["headcount"], errors="coerce")
            headcount = np.nan_to_num(values.to_numpy(dtype=float, na_value=np.nan), nan=np.inf)
        most = _most_known(response_rates, "respondents", ("year",), breakdowns, headcount)
        parts.append(pd.Series(most, index=_group_index(response_rates)))
    if respondents is not None:
        counts = pd.to_numeric(respondents["respondents"], errors="raise").to_numpy(dtype=float)
        parts.append(pd.Series(counts, index=_group_index(respondents)))
    if not parts:
        return None
    return pd.concat(parts).groupby(level=[0, 1, 2]).min()


def _container_ceilings(
    table: pd.DataFrame,
    containers: Sequence[tuple[pd.DataFrame, pd.DataFrame]],
    item_themes: pd.DataFrame | None,
    breakdowns: Mapping[str, Sequence[str]] | None,
    ceilings: pd.Series | None,
) -> np.ndarray:
    """The most answers each row of ``item_scores`` can hold by its theme's published counts.

    A respondent who answered an item has a score on its theme: so a group's answers to an
    item are at most its respondents to the item's theme (``theme_scores`` ``n``, and
    ``key_finding_scores`` ``n`` where its scale takes the item). ``containers`` pairs each
    such table before and after the gate; ``item_themes`` (``year``, ``item_id``,
    ``theme``: published in ``item_rest``) links items to themes. A theme's count is taken
    as a ceiling of an item of a year only where it is at least the item's count in every
    group (as it is when the theme's score takes the item), so that a scale built on some
    of a theme's items never bounds another. A shown theme count is its ``n``; a hidden one
    what its respondents and its table's lines allow (:func:`_most_known`).
    """
    most = np.full(len(table), np.inf)
    if item_themes is None or not containers:
        return most
    links = item_themes[["year", "item_id", "theme"]].drop_duplicates(["year", "item_id"])
    rows = table[["year", "group_type", "group", "item_id", "n"]].merge(
        links, on=["year", "item_id"], how="left"
    )
    for raw, gated in containers:
        ceiling = np.full(len(gated), np.inf)
        if ceilings is not None:
            ceiling = ceilings.reindex(_group_index(gated)).fillna(np.inf).to_numpy(dtype=float)
        known = pd.Series(
            _most_known(gated, "n", ("year", "theme"), breakdowns, ceiling),
            index=_group_index(gated, "theme"),
        )
        true = pd.Series(raw["n"].to_numpy(dtype=float), index=_group_index(raw, "theme"))
        wanted = _group_index(rows, "theme")
        counts = rows["n"].to_numpy(dtype=float)
        above = true.reindex(wanted).to_numpy(dtype=float)
        holds = pd.Series(~(counts > above) & np.isfinite(above)).groupby(
            [rows["year"].to_numpy(), rows["item_id"].to_numpy()]
        )
        contained = holds.transform("all").to_numpy(dtype=bool)
        found = known.reindex(wanted).fillna(np.inf).to_numpy(dtype=float)
        most = np.minimum(most, np.where(contained, found, np.inf))
    return most


def _answers_pinning_respondents(
    response_rates: pd.DataFrame,
    true_respondents: np.ndarray,
    answer_tables: Sequence[pd.DataFrame],
    breakdowns: Mapping[str, Sequence[str]] | None,
    level: int = PROTECTION_LEVEL,
) -> pd.Series:
    """The most answers each group hidden in ``response_rates`` may show without pinning it.

    A group's respondents are at least its answers to any item, and its respondents to any
    theme: the item and theme tables show them for a group of at least the minimum even
    where ``response_rates`` hides its respondents as the partner of a small group. On the
    demo, 2007's administrative staff of Commissioning and of Therapies (hidden, 34
    together) showed 21 and 13 theme respondents, so 21 and 13 respondents, and the small
    staff groups of Commissioning came back (found by the whole-run audit). With every
    shown count of the gated ``answer_tables`` as a floor of the group's respondents and
    the headcounts as ceilings, the lines of ``response_rates`` bound each hidden cell
    (:func:`_answer_bounds`); a cell whose whole numbers span less than ``level`` may show
    at most its respondents (``true_respondents``, before the gate) minus ``level``, so
    that the floors leave it that much room.

    Returns
    -------
    pandas.Series
        Indexed by ``(year, group_type, group)``: the most answers each pinned group may
        show; empty when nothing is pinned.
    """
    parts = []
    for answers in answer_tables:
        shown = ~answers["suppressed"].to_numpy(dtype=bool)
        counts = pd.to_numeric(answers["n"], errors="coerce").to_numpy(dtype=float)
        parts.append(pd.Series(counts[shown], index=_group_index(answers[shown])))
    hidden = response_rates["suppressed"].to_numpy(dtype=bool)
    if not parts or not hidden.any():
        return pd.Series(dtype=float)
    index = _group_index(response_rates)
    floors = pd.concat(parts).groupby(level=[0, 1, 2]).max()
    floors = floors.reindex(index).fillna(0.0).to_numpy(dtype=float)
    counts = pd.to_numeric(response_rates["respondents"], errors="coerce")
    counts = np.nan_to_num(counts.to_numpy(dtype=float, na_value=np.nan), nan=0.0)
    headcount = np.full(len(response_rates), np.inf)
    if "headcount" in response_rates.columns:
        values = pd.to_numeric(response_rates["headcount"], errors="coerce")
        headcount = np.nan_to_num(values.to_numpy(dtype=float, na_value=np.nan), nan=np.inf)
    structure = split_crossing(response_rates, breakdowns)
    positions = np.arange(len(response_rates))
    pinned = np.zeros(len(response_rates), dtype=bool)
    for group_types, dimensions in _blocks(structure):
        rows = positions[response_rates["group_type"].isin(group_types).to_numpy()]
        keys, names = _block_keys(response_rates.iloc[rows], dimensions, structure, ("year",))
        lines, margins = _lines(keys, names, ("year",))
        low, high = _answer_bounds(
            lines,
            margins,
            counts[rows],
            hidden[rows],
            ceilings=headcount[rows],
            floors=floors[rows],
        )
        pinned[rows] = hidden[rows] & (np.floor(high + 1e-6) - np.ceil(low - 1e-6) < level)
    return pd.Series(true_respondents[pinned] - level, index=index[pinned])


def _unknown_weights(
    response_rates: pd.DataFrame | None, weighting: Sequence[str]
) -> set[tuple] | None:
    """``(year, class)`` of the weighting classes whose respondents the gate hides."""
    if response_rates is None:
        return None
    if "suppressed" not in response_rates.columns:
        raise ValueError("response_rates must be the gated table (after suppress_survey_table)")
    rows = response_rates[
        (response_rates["group_type"] == " x ".join(weighting)) & response_rates["suppressed"]
    ]
    return set(zip(rows["year"], rows["group"].astype("str"), strict=True))


def _hide_weighted_as_sources(
    table: pd.DataFrame, item_scores: pd.DataFrame, gate: _Gate
) -> pd.DataFrame:
    """Hide a derived table's weighted figures wherever the item scores' ones are hidden.

    A change rests on the group's weighted figure in both years; a group against the rest
    of the organisation also on the organisation's (the rest is the organisation minus the
    group, class by class).
    """
    weighted = weighted_columns(table)
    if not weighted or "pct_positive_weighted" not in item_scores.columns:
        return table
    keys = ["item_id", "group_type", "group", "year"]
    source = item_scores.set_index(keys)["pct_positive_weighted"]
    exposed = np.zeros(len(table), dtype=bool)
    for year_column in gate.derived_years:
        wanted = table[keys[:3]].assign(year=table[year_column].to_numpy())
        exposed |= source.reindex(pd.MultiIndex.from_frame(wanted)).isna().to_numpy()
        if gate.rest is not None:
            organisation = item_scores[item_scores["group_type"] == "organisation"]
            totals = organisation.set_index(["item_id", "year"])["pct_positive_weighted"]
            wanted = pd.MultiIndex.from_arrays([table["item_id"], table[year_column]])
            exposed |= totals.reindex(wanted).isna().to_numpy()
    return _mask(table, weighted, exposed)


def _suppress_derived(
    table: pd.DataFrame, gate: _Gate, item_scores: pd.DataFrame | None, minimum: int
) -> pd.DataFrame:
    if item_scores is None or "suppressed" not in item_scores.columns:
        raise ValueError(
            "this table is derived from the item scores: pass item_scores=<the item_scores "
            "table after suppress_survey_table> so that its hidden cells stay hidden here"
        )
    keys = ["item_id", "group_type", "group"]
    lookup = item_scores.set_index([*keys, "year"])["suppression"]
    hidden = np.zeros(len(table), dtype=bool)
    primary = np.zeros(len(table), dtype=bool)
    for year_column in gate.derived_years:
        wanted = pd.MultiIndex.from_frame(table[[*keys, year_column]])
        found = lookup.reindex(wanted)
        hidden |= (found.isna() | (found != "")).to_numpy(dtype=bool)
        primary |= (found == "primary").fillna(False).to_numpy(dtype=bool)
    if gate.rest is not None:
        # The group against the rest of the organisation: a rest below the minimum hides the
        # comparison, and the group's own figures, which with the organisation's published
        # row would give the rest by subtraction (as analysis.packs.rest_of_organisation_gate).
        small_rest = (table[gate.rest].fillna(0).to_numpy(dtype=float) < minimum) & ~hidden
        hidden |= small_rest
        primary |= small_rest
    fixed = {"year", "base_year", *keys}
    result = _mask(table, [c for c in table.columns if c not in fixed], hidden)
    result = _hide_weighted_as_sources(result, item_scores, gate)
    result["suppressed"] = hidden
    result["suppression"] = pd.array(
        np.where(primary, "primary", np.where(hidden, "secondary", "")), dtype="string"
    )
    return result


def suppress_survey_table(
    table: pd.DataFrame,
    kind: str,
    *,
    minimum: int,
    item_scores: pd.DataFrame | None = None,
    breakdowns: Mapping[str, Sequence[str]] | None = None,
    response_rates: pd.DataFrame | None = None,
    weighting: Sequence[str] = WEIGHTING,
    respondents: pd.DataFrame | None = None,
    themes: Sequence[tuple[pd.DataFrame, pd.DataFrame]] | None = None,
    item_themes: pd.DataFrame | None = None,
    hide: np.ndarray | None = None,
) -> pd.DataFrame:
    """Pass one survey table through the disclosure gate, with its structure.

    Parameters
    ----------
    table
        A table of :func:`analysis.survey.survey_tables`, before suppression.
    kind
        Its kind: a key of :data:`TABLE_KINDS` (``"item_scores"``, ``"changes"``...),
        optionally with a suffix (``"changes_weighted"``).
    minimum
        The minimum group size (the data package's ``minimum_group_size``; there is no
        default, so that it comes from ``dataset.yml`` only).
    item_scores
        For ``changes``, ``group_differences`` and ``benchmark``: the item scores *after*
        this function, whose hidden rows (and hidden weighted figures) are hidden here too.
    breakdowns
        From :func:`~analysis.survey.breakdown_types`; without it the ``group_type`` names
        are read (a column, or two joined by ``" x "``).
    response_rates
        For a grouped table with weighted figures (``*_weighted`` columns): the response
        rates *after* this function, which say whose weights are published. For the item,
        theme and key finding scores, they also give each group's most answers (its
        respondents, :func:`_respondent_ceilings`); without them those ceilings are not
        checked (:func:`suppress_survey_tables` always passes them).
    weighting
        The weighting classes' columns (:func:`analysis.survey.survey_tables`'s).
    respondents
        For the item, theme and key finding scores: every breakdown's respondents
        (``year``, ``group_type``, ``group``, ``respondents``), more ceilings of each
        group's answers, taken as published (:func:`_respondent_ceilings`).
    themes, item_themes
        For the item scores: the theme and key finding scores, each as ``(table before the
        gate, table after it)``, and each item's theme (``year``, ``item_id``, ``theme``, as
        ``item_rest``): a group's respondents to an item's theme are ceilings of its answers
        to the item (:func:`_container_ceilings`).
    hide
        For a table with breakdowns: rows to hide whatever their count (one boolean per
        row), with what protects them (:func:`suppress_survey_tables` passes the answers
        that would pin respondents ``response_rates`` hides).

    Returns
    -------
    pandas.DataFrame
        The table with every figure resting on a hidden count blanked (missing, never 0;
        integer columns become ``Int64``) and two added columns, ``suppressed`` (bool) and
        ``suppression`` (``"primary"``, ``"secondary"`` or ``""``), as
        :func:`analysis.disclosure.suppress_small_groups` returns. In a table with groups, a
        line of groups whose hidden ones add up to fewer than ``minimum`` respondents has
        its smallest shown group hidden too; in ``group_differences``, a row whose
        ``rest_n`` is below ``minimum`` is hidden. Weighted figures are blanked in a shown
        row unless every weighting class under it is shown
        (:mod:`analysis.disclosure.weighted`).

    Raises
    ------
    ValueError
        For an unknown kind, a derived table without gated ``item_scores``, a weighted
        table without gated ``response_rates``, or what the gate refuses.

    Warns
    -----
    analysis.disclosure.DisclosureWarning
        When a hidden cell can be worked out whatever else is hidden (a group with a single
        row along a dimension, e.g. a directorate with one staff group).
    """
    gate = TABLE_KINDS[_kind_of(kind)]
    if gate.derived_years:
        return mark_gated(_suppress_derived(table, gate, item_scores, minimum), "survey")
    if gate.grouped:
        unknown = _unknown_weights(response_rates, weighting)
        most = []
        if gate.of_respondents:
            ceilings = _respondent_ceilings(response_rates, breakdowns, respondents)
            if ceilings is not None:
                found = ceilings.reindex(_group_index(table)).fillna(np.inf)
                most.append(found.to_numpy(dtype=float))
            if "item_id" in gate.for_each:
                contained = _container_ceilings(
                    table, themes or (), item_themes, breakdowns, ceilings
                )
                if np.isfinite(contained).any():
                    most.append(np.minimum(contained, most[0]) if most else contained)
        return mark_gated(
            _suppress_grouped(table, gate, minimum, breakdowns, unknown, weighting, most, hide),
            "survey",
        )
    gated = suppress_small_groups(
        table,
        count=gate.count,
        dimensions=[],
        for_each=list(gate.for_each),
        labels=list(gate.labels),
        minimum=minimum,
    )
    if weighted_columns(table):
        # The organisation standardised to a profile, by staff group: the classes are the
        # organisation's staff groups, as for its own weighted figure.
        if item_scores is None:
            raise ValueError(
                f"table {kind!r} has weighted figures: pass the gated item_scores so that "
                "they are hidden where the organisation's weighted figures are"
            )
        organisation = item_scores[item_scores["group_type"] == "organisation"]
        shown = organisation.set_index(["year", "item_id"])["pct_positive_weighted"]
        wanted = pd.MultiIndex.from_frame(table[["year", "item_id"]])
        exposed = shown.reindex(wanted).isna().to_numpy()
        gated = _mask(gated, weighted_columns(table), exposed)
    return mark_gated(gated, "survey")


def suppress_breakdowns(
    table: pd.DataFrame,
    *,
    count: str,
    for_each: Sequence[str],
    minimum: int,
    answers: Sequence[str] = (),
    labels: Sequence[str] = (),
    breakdowns: Mapping[str, Sequence[str]] | None = None,
    same_across: Sequence[str] = (),
) -> pd.DataFrame:
    """Gate any table of counts broken down by groups, with its total, as the item scores are.

    The same rules as :func:`suppress_survey_table` for a grouped kind, for a table that is
    not one of :data:`TABLE_KINDS` (for example the comments stage's code frequencies): each
    breakdown is gated together with the organisation's row (and a crossing with its
    margins), a line whose hidden cells add up to fewer than ``minimum`` has more hidden,
    and each column of ``answers`` (and ``count`` minus their sum) must leave every line's
    hidden cells at least :data:`~analysis.disclosure.protection.PROTECTION_LEVEL` of it
    (rule 4 of ``docs/disclosure.md``).

    Parameters
    ----------
    table
        Tidy, with columns ``group_type`` (``"organisation"`` for the total row, else the
        group column or a crossing) and ``group``, ``count``, ``for_each`` and ``answers``.
    count
        The respondents behind each row (the count the gate reads).
    for_each
        Columns splitting the table into separate tables (e.g. ``year``, ``code_id``).
    minimum
        The minimum group size (from ``dataset.yml``).
    answers
        Count columns splitting ``count`` by answer, e.g. the respondents who raised a code.
    labels
        Columns that stay visible in hidden rows.
    breakdowns
        As for :func:`suppress_survey_table`.
    same_across
        Columns of ``for_each`` along which each group's ``count`` is one figure (the
        commenters, on every code's row): a group is then hidden in all those tables or in
        none.

    Returns
    -------
    pandas.DataFrame
        As :func:`suppress_survey_table`: hidden rows blanked, with ``suppressed`` and
        ``suppression`` columns, marked as gated.

    Examples
    --------
    Two groups of 30 and 6 commenters; the 6 are hidden, and with them the 30 (else the
    organisation's 36 minus 30 gives them):

    >>> table = pd.DataFrame({"group_type": ["organisation", "site", "site"],
    ...     "group": ["All", "A", "B"], "year": 2008, "commenters": [36, 30, 6],
    ...     "raised": [5, 5, 0]})
    >>> suppress_breakdowns(table, count="commenters", for_each=["year"], minimum=11,
    ...     answers=["raised"])["suppressed"].tolist()
    [False, True, True]
    """
    gate = _Gate(
        count,
        tuple(for_each),
        labels=tuple(labels),
        grouped=True,
        answers=tuple(answers),
        same_across=tuple(same_across),
    )
    return mark_gated(_suppress_grouped(table, gate, minimum, breakdowns), "survey")


ROUNDS = 5
"""The most times :func:`suppress_survey_tables` regates the answers that pin respondents
(the demo settles after 2)."""


def _hide_pinning_answers(
    tables: Mapping[str, pd.DataFrame],
    gated: Mapping[str, pd.DataFrame],
    hide: dict[str, np.ndarray],
    names: Sequence[str],
    breakdowns: Mapping[str, Sequence[str]] | None,
) -> bool:
    """Add to ``hide`` the shown answers that pin respondents ``response_rates`` hides.

    Each table of ``names`` (answers or theme respondents, gated) has its rows of a pinned
    group hidden where they show more than :func:`_answers_pinning_respondents` allows.
    Returns whether anything shown was added (then the caller gates those tables again).
    """
    chosen = [name for name in names if name in gated]
    if "response_rates" not in gated or not chosen:
        return False
    true = pd.to_numeric(tables["response_rates"]["respondents"], errors="coerce")
    most = _answers_pinning_respondents(
        gated["response_rates"],
        true.to_numpy(dtype=float, na_value=np.nan),
        [gated[name] for name in chosen],
        breakdowns,
    )
    if most.empty:
        return False
    grew = False
    for name in chosen:
        allowed = most.reindex(_group_index(tables[name])).to_numpy(dtype=float)
        counts = pd.to_numeric(tables[name]["n"], errors="coerce").to_numpy(dtype=float)
        more = np.nan_to_num(counts, nan=0.0) > np.nan_to_num(allowed, nan=np.inf)
        if (more & ~gated[name]["suppressed"].to_numpy(dtype=bool)).any():
            hide[name] = hide.get(name, np.zeros(len(counts), dtype=bool)) | more
            grew = True
    return grew


def suppress_survey_tables(
    tables: Mapping[str, pd.DataFrame],
    minimum: int,
    breakdowns: Mapping[str, Sequence[str]] | None = None,
    weighting: Sequence[str] = WEIGHTING,
    respondents: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Pass every survey table through the gate: response rates, theme and key finding
    scores, item scores, then the rest.

    Parameters
    ----------
    tables
        Name to table, as :func:`analysis.survey.survey_tables` returns; each name is a kind
        of :data:`TABLE_KINDS`, optionally with a suffix. Tables derived from the item
        scores need an ``item_scores`` table among them; tables with weighted figures need
        ``response_rates``. The theme and key finding scores bound the item scores' answers
        when ``item_rest`` (which links items to themes) is among them.
    minimum
        The minimum group size.
    breakdowns, weighting, respondents
        As for :func:`suppress_survey_table`.

    Returns
    -------
    dict
        The same names, every table suppressed.
    """
    kinds = {name: _kind_of(name) for name in tables}
    order = ("response_rates", "theme_scores", "key_finding_scores", "item_scores")
    gated: dict[str, pd.DataFrame] = {}
    hide: dict[str, np.ndarray] = {}
    for _ in range(ROUNDS):
        for first in order:
            if first in tables:
                gated[first] = suppress_survey_table(
                    tables[first],
                    first,
                    minimum=minimum,
                    breakdowns=breakdowns,
                    response_rates=gated.get("response_rates"),
                    weighting=weighting,
                    respondents=respondents,
                    themes=[(tables[n], gated[n]) for n in order[1:3] if n in gated],
                    item_themes=tables.get("item_rest"),
                    hide=hide.get(first),
                )
        if not _hide_pinning_answers(tables, gated, hide, order[1:], breakdowns):
            break
    for name, table in tables.items():
        if name in gated:
            continue
        gated[name] = suppress_survey_table(
            table,
            kinds[name],
            minimum=minimum,
            item_scores=gated.get("item_scores"),
            breakdowns=breakdowns,
            response_rates=gated.get("response_rates"),
            weighting=weighting,
        )
    return {name: mark_gated(gated[name], "survey") for name in tables}
