"""Group packs: one short survey report per directorate (or per group of any group column).

Managers want their own page. ``python -m analysis run --pack directorate`` runs the pack
notebook (``notebooks/05_survey_pack.ipynb``) once per directorate, after the survey stage,
and writes ``{run}/packs/directorate/{slug}.html`` with the pack's tables and figures in
``{run}/packs/directorate/tables/{slug}/`` and ``figures/{slug}/``. This module decides who
gets a pack and builds each pack's tables from the survey stage's gated tables:

* :func:`plan_packs`: which groups get a pack, and why the others do not.
* :func:`survey_tables_for_pack`: the survey stage's published tables (or, when a pack is
  run on its own, the same tables computed and gated afresh).
* :func:`pack_tables`: the pack's tables: the group against the organisation and the rest
  of it, against its own earlier years, its subgroups, its strongest and weakest items.

Disclosure: a pack only selects rows of tables that have passed the gate, so nothing hidden
in the organisation's tables shows in a pack. It adds one comparison of its own, the group
against *the rest of the organisation*; since the rest is the organisation minus the group,
each (year, item) pair of group and rest passes
:func:`analysis.disclosure.suppress_small_groups` as a partition of the organisation, so a
rest of fewer than the minimum group size hides the group's row too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.datapackage.groups import NOT_STATED, group_labels
from analysis.disclosure import suppress_small_groups
from analysis.disclosure.derived import carry_mark
from analysis.disclosure.gated import read_back
from analysis.disclosure.marks import is_gated
from analysis.disclosure.structures import rest_of_organisation_gate
from analysis.filenames import safe_file_name
from analysis.text_safety import text_from_spreadsheet

if TYPE_CHECKING:
    from analysis.datapackage import DataPackage
    from analysis.stages import Stage

__all__ = [
    "AGAINST_ORGANISATION_COLUMNS",
    "PACK_NOTEBOOK",
    "PACK_TABLES",
    "GroupPack",
    "choose_pack",
    "group_slug",
    "pack_folder",
    "pack_stages",
    "pack_tables",
    "plan_packs",
    "rest_of_organisation_gate",
    "strongest_and_weakest",
    "survey_tables_for_pack",
]

PACK_NOTEBOOK = "05_survey_pack.ipynb"
"""The pack notebook, in ``notebooks/``."""

PACK_TABLES = ("item_scores", "theme_scores", "changes", "group_differences", "response_rates")
"""The survey stage's tables a pack reads."""

AGAINST_ORGANISATION_COLUMNS = (
    "year",
    "group_type",
    "group",
    "item_id",
    "n",
    "pct",
    "organisation_pct",
    "rest_n",
    "rest_pct",
    "diff_pp",
    "p_value",
    "p_adjusted",
    "significant",
    "suppressed",
)
"""Columns of a pack's ``against_organisation`` table."""

_MAX_SLUG = 60


@dataclass(frozen=True)
class GroupPack:
    """One group of a group column, and whether it gets a pack.

    Parameters
    ----------
    column
        The group column (``directorate``).
    group
        The group's label (``Community Nursing``).
    slug
        The pack's file name without extension (``community-nursing``).
    respondents
        The group's respondents in the report year (never shown when the group gets no
        pack).
    reason
        Why the group gets no pack; empty when it gets one.
    """

    column: str
    group: str
    slug: str
    respondents: int
    reason: str = ""

    @property
    def eligible(self) -> bool:
        """Whether the group gets a pack."""
        return not self.reason

    @property
    def stage_name(self) -> str:
        """The pack's name among the run's stages (``pack_directorate_community_nursing``)."""
        return f"pack_{self.column.lower()}_{self.slug.replace('-', '_')}"

    @property
    def report(self) -> str:
        """The pack's HTML page relative to the run folder, with ``/`` separators."""
        return f"packs/{self.column}/{self.slug}.html"


def group_slug(label: str, taken: Sequence[str] = ()) -> str:
    """A file-name-safe name for a group: lower case letters and digits joined by ``-``.

    Parameters
    ----------
    label
        The group's label.
    taken
        Slugs already given to other groups; a clash gets ``-2``, ``-3``...

    Returns
    -------
    str
        For example ``"Mental Health and Learning Disabilities"`` gives
        ``"mental-health-and-learning-disabilities"``; a label without letters or digits
        gives ``"group"``. At most 60 characters before a clash's ``-2``, and checked by
        :func:`analysis.filenames.safe_file_name`, the one gate for file names.
    """
    base = re.sub(r"[^a-z0-9]+", "-", str(label).lower()).strip("-") or "group"
    if base[0].isdigit():
        base = f"group-{base}"
    base = base[:_MAX_SLUG].rstrip("-")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return safe_file_name("group's file name", slug)


def pack_folder(output_dir: Path | str, column: str) -> Path:
    """Where a column's packs go in a run folder: ``{output_dir}/packs/{column}``.

    Raises
    ------
    analysis.filenames.UnsafeFileNameError
        If the column's name cannot be a folder name.
    """
    return Path(output_dir) / "packs" / safe_file_name("group column", column)


def plan_packs(
    responses: pd.DataFrame,
    column: str,
    year: int,
    minimum: int,
    group_columns: Sequence[str],
) -> list[GroupPack]:
    """Which groups of ``column`` get a pack in ``year``, and why the others do not.

    Parameters
    ----------
    responses
        The data package's responses (``year`` and the group columns).
    column
        The group column, one of ``group_columns``.
    year
        The report year.
    minimum
        The minimum group size.
    group_columns
        The data package's group columns.

    Returns
    -------
    list of GroupPack
        Every group with respondents in ``year``, in label order. A group gets no pack
        when its respondent count is hidden by the disclosure gate
        (:func:`~analysis.disclosure.suppress_small_groups` over the groups' respondents,
        a partition of the organisation's): fewer than ``minimum`` respondents, or hidden
        so that a smaller group's count cannot be worked out by subtraction. Nor when the
        rest of the organisation has fewer than ``minimum`` respondents (the pack's figures
        against the organisation's would reveal theirs), nor for respondents who did not
        state their group. The reasons never give a hidden count.

    Raises
    ------
    ValueError
        If ``column`` is not a group column, or nobody responded in ``year``.
    """
    if column not in group_columns:
        raise ValueError(
            f"--pack {column!r}: packs are made for a group column of the data package; "
            f"its group columns are {', '.join(group_columns)}"
        )
    answered = responses.loc[responses["year"] == year, column]
    if answered.empty:
        raise ValueError(f"nobody responded in {year}, so there are no packs to make")
    labels = group_labels(answered)
    counts = labels.value_counts().sort_index().rename_axis("group").reset_index(name="n")
    gated = suppress_small_groups(counts, count="n", dimensions=["group"], minimum=minimum)
    total = int(counts["n"].sum())
    packs: list[GroupPack] = []
    for label, n, suppression in zip(
        counts["group"], counts["n"], gated["suppression"], strict=True
    ):
        slug = group_slug(label, [pack.slug for pack in packs])
        if label == NOT_STATED:
            reason = f"respondents who did not state their {column}: not a group with a manager"
        elif suppression == "primary":
            reason = f"fewer than {minimum} respondents in {year}"
        elif suppression == "secondary":
            reason = (
                f"its figures for {year} are hidden so that a smaller "
                f"{column.replace('_', ' ')}'s cannot be worked out by subtraction"
            )
        elif 0 < total - int(n) < minimum:
            reason = (
                f"the rest of the organisation had fewer than {minimum} respondents in {year}: "
                "the pack set against the organisation's report would reveal their answers"
            )
        else:
            reason = ""
        packs.append(GroupPack(column, str(label), slug, int(n), reason))
    return packs


def choose_pack(packs: Sequence[GroupPack], group: str | None = None) -> GroupPack:
    """The pack of ``group``, or of the largest group that gets one.

    Parameters
    ----------
    packs
        From :func:`plan_packs`.
    group
        The group's label; ``None`` for the eligible group with the most respondents.

    Returns
    -------
    GroupPack

    Raises
    ------
    ValueError
        If ``group`` had no respondents or gets no pack (with the reason), or no group
        gets one.
    """
    if group is None:
        eligible = sorted((p for p in packs if p.eligible), key=lambda p: -p.respondents)
        if not eligible:
            raise ValueError("no group gets a pack: every group is below the minimum group size")
        return eligible[0]
    chosen = next((pack for pack in packs if pack.group == group), None)
    if chosen is None:
        raise ValueError(
            f"{group!r} had no respondents; the groups are {', '.join(p.group for p in packs)}"
        )
    if not chosen.eligible:
        raise ValueError(f"{group!r} gets no pack: {chosen.reason}")
    return chosen


def _read_published(path: Path) -> pd.DataFrame:
    table = pd.read_csv(
        path,
        encoding="utf-8-sig",
        dtype={"group_type": "str", "group": "str", "item_id": "str", "theme": "str"},
        keep_default_na=False,
        na_values=[""],
    )
    for column in ("significant", "suppressed"):
        if column in table.columns:
            table[column] = table[column].astype("str").eq("True")
    for column in table.columns:  # the CSV's text cells were neutralised against formulas
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(text_from_spreadsheet)
    return read_back(table, path)


def survey_tables_for_pack(
    output_dir: Path | str, package: DataPackage, year: int
) -> dict[str, pd.DataFrame]:
    """The survey stage's gated tables that a pack reads (:data:`PACK_TABLES`).

    Parameters
    ----------
    output_dir
        The run folder. When the survey stage has published its tables there for this
        organisation and ``year`` (``tables/survey/*.csv``, with their ``suppressed``
        column), they are read; otherwise (a pack run on its own in JupyterLab, or tables
        left there by another run) they are computed and gated afresh with
        :func:`analysis.survey.stage.stage_tables`, which gives the same rows.
    package
        The loaded data package.
    year
        The report year.

    Returns
    -------
    dict
        Name to gated table, each with a ``suppressed`` column; hidden figures missing.
    """
    folder = Path(output_dir) / "tables" / "survey"
    paths = {name: folder / f"{name}.csv" for name in PACK_TABLES}
    if all(path.is_file() for path in paths.values()):
        tables = {name: _read_published(path) for name, path in paths.items()}
        scores = tables["item_scores"]
        organisation = scores.loc[scores["group_type"] == "organisation", "group"]
        this_run = (
            all(is_gated(table) for table in tables.values())
            and scores["year"].max() == year
            and set(organisation) == {package.description.organisation_name}
        )
        if this_run:
            return tables
    from analysis.survey.stage import stage_tables

    computed = stage_tables(package, year)
    return {name: computed[name] for name in PACK_TABLES}


def strongest_and_weakest(against: pd.DataFrame, number: int = 5) -> pd.DataFrame:
    """The group's items with the highest and the lowest percent positive.

    Parameters
    ----------
    against
        The pack's ``against_organisation`` table (one year): ``pct`` and ``suppressed``.
    number
        How many of each.

    Returns
    -------
    pandas.DataFrame
        ``against``'s shown rows with ``rank`` added: ``"strongest"`` rows first (highest
        ``pct`` first), then ``"weakest"`` (lowest last); an item is in one list only.
    """
    shown = against[~against["suppressed"]].sort_values(
        ["pct", "item_id"], ascending=[False, True], kind="stable"
    )
    strongest = shown.head(number)
    weakest = shown.drop(index=strongest.index).tail(number)
    return pd.concat(
        [strongest.assign(rank="strongest"), weakest.assign(rank="weakest")], ignore_index=True
    )


def _crossings(tables: Mapping[str, pd.DataFrame], column: str) -> list[tuple[str, int]]:
    """The crossed ``group_type``s that include ``column``, with its place in the pair."""
    found = []
    for group_type in pd.unique(tables["item_scores"]["group_type"]):
        parts = str(group_type).split(" x ")
        if len(parts) == 2 and column in parts:
            found.append((str(group_type), parts.index(column)))
    return found


def pack_tables(
    tables: Mapping[str, pd.DataFrame], column: str, group: str, year: int, minimum: int
) -> dict[str, pd.DataFrame]:
    """A group's pack: rows of the survey stage's gated tables, and the group against the rest.

    Parameters
    ----------
    tables
        From :func:`survey_tables_for_pack`.
    column, group
        The group column and the group.
    year
        The report year.
    minimum
        The minimum group size (for the rest of the organisation).

    Returns
    -------
    dict
        ``against_organisation``: per item in ``year``, the group's ``n`` and ``pct``, the
        organisation's ``organisation_pct``, the rest's ``rest_n`` and ``rest_pct``,
        ``diff_pp`` (group minus rest), ``p_value``, ``p_adjusted``, ``significant``,
        gated by :func:`rest_of_organisation_gate`. ``changes``: the group's changes in
        ``year`` against earlier years. ``themes``: its theme scores in every year up to
        ``year``. ``subgroups``: its item scores in ``year`` by the other column of each
        crossing with ``column`` (its staff groups, for a directorate), with ``subgroup``.
        ``response_rates``: its respondents and response rate (and its subgroups'), when
        the staff table has them. ``strongest_weakest``: :func:`strongest_and_weakest`.
        Every table keeps the gate's ``suppressed`` column.

    Raises
    ------
    ValueError
        If the survey tables have no rows for the group in ``year``.
    """
    scores = tables["item_scores"]
    mine = (scores["group_type"] == column) & (scores["group"] == group) & (scores["year"] == year)
    if not mine.any():
        raise ValueError(f"the survey tables have no {column} {group!r} in {year}")
    differences = tables["group_differences"]
    rows = differences[
        (differences["group_type"] == column)
        & (differences["group"] == group)
        & (differences["year"] == year)
    ]
    organisation = scores.loc[
        (scores["group_type"] == "organisation") & (scores["year"] == year),
        ["item_id", "pct_positive"],
    ].rename(columns={"pct_positive": "organisation_pct"})
    rows = rows.merge(organisation, on="item_id", how="left", validate="one_to_one")
    against = rest_of_organisation_gate(rows[list(AGAINST_ORGANISATION_COLUMNS)], minimum)
    change_rows = tables["changes"]
    changes = change_rows[
        (change_rows["group_type"] == column)
        & (change_rows["group"] == group)
        & (change_rows["year"] == year)
    ]
    themes = tables["theme_scores"]
    theme_rows = themes[
        (themes["group_type"] == column) & (themes["group"] == group) & (themes["year"] <= year)
    ]
    subgroups, rates = [], []
    response = tables["response_rates"]
    own_rates = (response["group_type"] == column) & (response["group"] == group)
    rates.append(response[own_rates & (response["year"] == year)].assign(subgroup=""))
    for group_type, place in _crossings(tables, column):
        for table, found in ((scores, subgroups), (response, rates)):
            crossed = table[(table["group_type"] == group_type) & (table["year"] == year)]
            pieces = crossed["group"].str.split(" | ", regex=False)
            chosen = crossed[pieces.str[place] == group]
            found.append(chosen.assign(subgroup=pieces[chosen.index].str[1 - place]))
    subgroup_scores = (
        pd.concat(subgroups, ignore_index=True)
        if subgroups
        else scores.iloc[0:0].assign(subgroup="")
    )
    return {
        "against_organisation": against,
        "changes": changes.reset_index(drop=True),
        "themes": theme_rows.reset_index(drop=True),
        "subgroups": subgroup_scores,
        "response_rates": pd.concat(rates, ignore_index=True),
        "strongest_weakest": carry_mark(strongest_and_weakest(against), against),
    }


def pack_stages(
    package: DataPackage, columns: Sequence[str], year: int
) -> tuple[list[GroupPack], list[Stage]]:
    """Every group's pack for each column, and a stage for each group that gets one.

    Parameters
    ----------
    package
        The loaded data package.
    columns
        Group columns (``--pack directorate --pack staff_group``).
    year
        The report year.

    Returns
    -------
    (list of GroupPack, list of Stage)
        Every group (:func:`plan_packs`), and for each eligible group a stage running
        :data:`PACK_NOTEBOOK` after the survey stage, named :attr:`GroupPack.stage_name`.

    Raises
    ------
    ValueError
        As :func:`plan_packs`, or a column given twice.
    """
    from analysis.stages import Stage

    if len(set(columns)) != len(columns):
        raise ValueError(f"--pack names a column twice: {list(columns)}")
    description = package.description
    groups = [
        pack
        for column in columns
        for pack in plan_packs(
            package.responses,
            column,
            year,
            description.minimum_group_size,
            description.group_columns,
        )
    ]
    stages = [
        Stage(
            pack.stage_name,
            PACK_NOTEBOOK,
            f"{pack.group}: staff survey pack",
            depends_on=("survey",),
            expected_seconds=12,
        )
        for pack in groups
        if pack.eligible
    ]
    return groups, stages
