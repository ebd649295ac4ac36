"""Publishing a stage's tables, figures and headline figures.

A notebook narrates; :class:`StageOutput` writes and shows. Every table it publishes passes
the disclosure gate (:func:`analysis.disclosure.suppress_small_groups`) unless the notebook
says explicitly why the table is not about people. Files are laid out as::

    {output_dir}/tables/{stage}/{name}.csv     UTF-8 with BOM, suppressed cells as [c] (or
                                               empty, with a ``suppressed`` column),
                                               figures rounded by kind
                                               (:mod:`analysis.disclosure.precision`)
    {output_dir}/tables/{stage}/{name}.json    title, note, count, dimensions, values...
    {output_dir}/figures/{stage}/{name}.png    dpi 110, tight bounding box
    {output_dir}/figures/{stage}/{name}.json   alt text, caption, the tables it shows
    {output_dir}/headlines/{stage}.json        [{label, value, note, caveat, adjustment}, ...]:
                                               each value taken from a published table

Every file is written atomically: a failure mid-write leaves the previous file intact.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure.gated import (
    NOT_PERSON_LEVEL,
    GatedTable,
    GatedValue,
    accept_gated,
    gate,
    not_person_level,
    summary_of,
    value_from,
)
from analysis.disclosure.marks import gated_structure, is_cleared
from analysis.disclosure.precision import column_kinds, decimals_shown, round_for_publication
from analysis.filenames import safe_file_name
from analysis.presentation import (
    SHOW_CHOICES,
    collapsible,
    column_decimals,
    format_number,
    format_p_value,
    heading,
    is_p_value,
)
from analysis.text_safety import html_text, literal_figure_text, spreadsheet_cells

__all__ = [
    "SUPPRESSED_SYMBOL",
    "NOT_PERSON_LEVEL",
    "DisplayedFigure",
    "Shown",
    "GatedTable",
    "display_decimals",
    "PublishedTable",
    "StageOutput",
    "suppression_footnote",
    "write_atomically",
]

SUPPRESSED_SYMBOL = "[c]"
"""The Government Analysis Function's symbol for a confidential (suppressed) figure."""

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_HIDDEN_COLUMNS = ("suppressed", "suppression")


def suppression_footnote(minimum: int) -> str:
    """The footnote that explains ``[c]`` to readers."""
    return (
        f"{SUPPRESSED_SYMBOL} fewer than {minimum} respondents, or hidden so that a hidden "
        "figure cannot be worked out by subtraction"
    )


def write_atomically(path: Path | str, content: bytes, *, mode: int = 0o644) -> Path:
    """Write ``content`` to ``path`` so that readers see the old file or the new, never half.

    The bytes go to a temporary file in the same folder, are flushed and synced to disk,
    and then replace ``path`` in one step (:func:`os.replace`). On failure the temporary
    file is removed and ``path`` is untouched.

    Parameters
    ----------
    path
        The file to write; its folder is created if needed.
    content
        The file's bytes.
    mode
        The file's permissions: readable by everyone (0644, reports are for sharing) unless
        asked otherwise (0600 for a private file: it is never readable by others, not
        even for a moment, since the temporary file is created owner-only).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # mkstemp makes it owner-only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _check_name(kind: str, name: str) -> str:
    """Return ``name`` if it is safe as a file or folder name, else raise ValueError."""
    if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name):
        raise ValueError(
            f"{kind} must be a file-name-safe word (letters, digits, '_' or '-', e.g. "
            f"'response_rates'), got {name!r}"
        )
    return safe_file_name(kind, name)  # also: not a Windows device name, not too long


def _plain(value: Any) -> Any:
    """Turn numpy and pandas scalars into JSON-ready Python values (missing becomes None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class _NumberFormat:
    """How a numeric column is shown: decimal places and thousands separators, or p-values."""

    decimals: int
    grouping: bool
    p_value: bool = False

    def __call__(self, value: Any) -> str:
        if self.p_value:
            return format_p_value(value)
        # Round half up on the decimal digits the reader sees (70.25 -> 70.3), as
        # published statistics do, not half to even on the binary float (70.2).
        return format_number(value, self.decimals, self.grouping)


def _number_formats(
    table: pd.DataFrame, columns: Sequence[str], precision: Mapping[str, str]
) -> dict[str, _NumberFormat]:
    """The format of each numeric column (:mod:`analysis.presentation`'s rules).

    ``table`` holds the figures as published (rounded by ``precision``, the kind of each
    rounded column), so no column is shown with more decimals than it holds; an interval's
    bound shown like its estimate never gets more decimals than its kind is published with.
    """
    decimals = column_decimals(table, columns)
    formats = {}
    for column in columns:
        if decimals[column] is None:
            continue
        published = decimals_shown(precision.get(str(column)))
        shown = decimals[column] if published is None else min(decimals[column], published)
        formats[column] = _NumberFormat(
            shown,
            grouping="year" not in str(column).lower(),
            p_value=is_p_value(column),
        )
    return formats


def display_decimals(column: pd.Series) -> int | None:
    """The decimal places the reports show a column with; None when it is not numeric.

    About three significant figures of the column's largest value (73.4, 7.34, 0.734; at
    least 1, at most 3), never more decimals than the column holds, none for whole
    numbers: the rule of the reports' HTML tables (:func:`analysis.presentation.column_decimals`),
    for other files (``tables.xlsx``) to display numbers the same way.
    """
    return column_decimals(column.to_frame("column"))["column"]


def _format_cell(value: Any, number_format: _NumberFormat | None) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if number_format is None:
        return str(value)
    return number_format(value)


@dataclass(frozen=True)
class PublishedTable:
    """A published table: its data after disclosure control, its files, and how it shows.

    Attributes
    ----------
    data
        The table after suppression (with ``suppressed`` and ``suppression`` columns when
        it passed the gate).
    title, note
        Shown as the table's caption and under it.
    count, dimensions, values
        The columns as given to the gate (``count`` is ``None`` for a table that is not
        person-level).
    minimum
        The minimum group size applied.
    csv_path, json_path
        Where the table was written.
    shown_columns
        The columns readers see, in order (the table's own, without ``suppressed`` and
        ``suppression``: readers are not told which hidden cells are primary, since that
        would narrow what a hidden cell could be).
    gated
        Whether the table passed the gate before it was given (``gated=True``).
    blank_suppressed
        Whether the CSV leaves hidden cells empty and ends with a ``suppressed`` column
        (``True``/``False``) instead of showing ``[c]``.
    detail
        Whether a folded table starts open (see :func:`collapsible`).
    show
        ``"auto"`` folds the table into ``<details>`` when it has more than
        :data:`~analysis.presentation.KEY_ROWS` rows or
        :data:`~analysis.presentation.KEY_CELLS` cells, so that the report leads with its
        findings; ``"folded"`` always, ``"open"`` never.
    precision
        The kind of each rounded column (:mod:`analysis.disclosure.precision`): ``data``
        holds the figures as published, rounded, and the HTML table never shows a column
        with more decimals than its kind is published with.
    source
        The :class:`~analysis.disclosure.gated.GatedTable` it was published from (what
        headlines, findings and figures take their figures from).
    """

    data: pd.DataFrame
    title: str
    note: str
    count: str | None
    dimensions: tuple[str, ...]
    values: tuple[str, ...]
    minimum: int
    csv_path: Path
    json_path: Path
    shown_columns: tuple[str, ...]
    gated: bool = False
    blank_suppressed: bool = False
    detail: bool = False
    show: str = "auto"
    precision: Mapping[str, str] = field(default_factory=dict)
    source: GatedTable | None = field(default=None, repr=False, compare=False)

    @property
    def suppressed(self) -> pd.Series:
        """Which rows are suppressed (all ``False`` for a table that is not person-level)."""
        if "suppressed" in self.data.columns and (self.count is not None or self.gated):
            return self.data["suppressed"].astype(bool)
        return pd.Series(False, index=self.data.index)

    def for_readers(self) -> pd.DataFrame:
        """The table as its CSV shows it.

        ``[c]`` in hidden cells and no suppression columns; with ``blank_suppressed``,
        hidden cells empty and a last column ``suppressed`` (``True`` in hidden rows).
        """
        shown = self.data[list(self.shown_columns)].astype(object)
        hidden = self.suppressed.to_numpy()
        for column in [self.count, *self.values]:
            if column is not None:
                shown.loc[hidden, column] = None if self.blank_suppressed else SUPPRESSED_SYMBOL
        if self.blank_suppressed:
            shown["suppressed"] = hidden
        return shown

    def _repr_html_(self) -> str:
        hidden = self.suppressed.to_numpy()
        figures = {c for c in [self.count, *self.values] if c is not None}
        data = self.data
        numeric = _number_formats(
            data,
            [c for c in self.shown_columns if c in figures or self.count is None],
            self.precision,
        )
        formats = {c: numeric.get(c) for c in self.shown_columns}
        header = "".join(
            f'<th scope="col"{_align(formats[c])}>{html.escape(heading(c))}</th>'
            for c in self.shown_columns
        )
        body = []
        for position in range(len(data)):
            cells = []
            for number, column in enumerate(self.shown_columns):
                if hidden[position] and column in figures:
                    text = SUPPRESSED_SYMBOL
                else:
                    text = _format_cell(data[column].iloc[position], formats[column])
                is_row_header = number == 0 and formats[column] is None
                tag, scope = ("th", ' scope="row"') if is_row_header else ("td", "")
                shown_as = formats[column]
                kind = ' class="p-value"' if shown_as is not None and shown_as.p_value else ""
                cells.append(
                    f"<{tag}{scope}{kind}{_align(formats[column])}>{html.escape(text)}</{tag}>"
                )
            body.append(f"<tr>{''.join(cells)}</tr>")
        notes = []
        if hidden.any():
            notes.append(suppression_footnote(self.minimum))
        if self.note:
            notes.append(self.note)
        footer = "".join(f'<p class="table-note">{html.escape(n)}</p>' for n in notes)
        table = (
            f'<div class="published-table" role="region" tabindex="0" '
            f'aria-label="{html.escape(self.title)}">'
            f"<table><caption>{html.escape(self.title)}</caption>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{footer}</div>"
        )
        csv_name = Path(self.csv_path).name if self.csv_path else "the CSV"
        return collapsible(
            table,
            rows=len(data),
            columns=len(self.shown_columns),
            show=self.show,
            summary=f"{self.title}: full table, {len(data):,} rows (also in {csv_name} "
            "and the workbook)",
            detail=self.detail,
        )


def _align(number_format: _NumberFormat | None) -> str:
    """Numbers right-aligned so they line up; text left-aligned so it reads."""
    return f' style="text-align: {"right" if number_format is not None else "left"}"'


@dataclass(frozen=True)
class DisplayedFigure:
    """A saved figure that shows itself, with its alt text, inside a self-contained report.

    Attributes
    ----------
    path
        The PNG file written.
    alt
        The alt text read out by screen readers.
    caption
        The visible caption (may be empty).
    png
        The PNG's bytes.
    folded
        Whether the figure is folded into ``<details>`` (its alt text the visible line),
        for a series of figures that would otherwise bury the report's findings.
    detail
        Whether a folded figure starts open.
    """

    path: Path
    alt: str
    caption: str
    png: bytes = field(repr=False)
    folded: bool = False
    detail: bool = False

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.png).decode("ascii")
        caption = f"<figcaption>{html_text(self.caption)}</figcaption>" if self.caption else ""
        shown = (
            f'<figure><img src="data:image/png;base64,{encoded}" '
            f'alt="{html_text(self.alt)}">{caption}</figure>'
        )
        if not self.folded:
            return shown
        opened = " open" if self.detail else ""
        return (
            f'<details class="full-figure"{opened}><summary>{html_text(self.alt)}</summary>'
            f"{shown}</details>"
        )


class StageOutput:
    """What a stage's notebook uses to publish tables, figures and headline figures.

    Parameters
    ----------
    output_dir
        The run's folder (e.g. ``reports/demo/2024``).
    stage
        The stage's name (e.g. ``survey``); used in folder and file names.
    minimum_group_size
        Figures based on fewer respondents are suppressed: the data package's
        ``minimum_group_size`` (required, so that it comes from ``dataset.yml`` only).
    detail
        False (the default) folds every table longer than
        :data:`~analysis.presentation.KEY_ROWS` rows into ``<details>``, so that the report
        leads with its findings; True shows them open, for analysts. The files are the
        same either way.

    Opening a stage's output sets the suite's seaborn theme for the figures it draws
    (:func:`analysis.figures.use_suite_theme`).

    Examples
    --------
    >>> minimum = package.description.minimum_group_size              # doctest: +SKIP
    >>> out = StageOutput(run_folder, "survey", minimum)               # doctest: +SKIP
    >>> out.table(by_directorate, "response_rates", title="Response rate by directorate",
    ...           count="respondents", dimensions=["directorate"])     # doctest: +SKIP
    >>> out.figure(fig, "response_rates", alt="Bar chart of ...",
    ...            data=published)                                     # doctest: +SKIP
    >>> out.headline("Response rate", published, row={"year": 2024},
    ...              column="response_rate")                          # doctest: +SKIP
    """

    def __init__(
        self,
        output_dir: Path | str,
        stage: str,
        minimum_group_size: int,
        detail: bool = False,
    ) -> None:
        from analysis.figures import use_suite_theme

        self.output_dir = Path(output_dir)
        self.detail = bool(detail)
        use_suite_theme()  # every figure the stage draws has the suite's seaborn theme
        self.stage = _check_name("stage", stage)
        if (
            isinstance(minimum_group_size, bool)
            or not isinstance(minimum_group_size, (int, np.integer))
            or minimum_group_size < 1
        ):
            raise ValueError(
                f"minimum_group_size must be a whole number of at least 1, got "
                f"{minimum_group_size!r}"
            )
        self.minimum_group_size = int(minimum_group_size)
        self._headlines: list[dict[str, Any]] = []

    def table(
        self,
        table: pd.DataFrame | GatedTable,
        name: str,
        *,
        title: str,
        count: str | None = None,
        dimensions: Sequence[str] = (),
        values: Sequence[str] | None = None,
        note: str = "",
        labels: Sequence[str] = (),
        for_each: Sequence[str] = (),
        disclosure: str | None = None,
        gated: bool = False,
        blank_suppressed: bool = False,
        universe: str | None = None,
        weights: Mapping[str, Any] | None = None,
        precision: Mapping[str, str] | None = None,
        show: str = "auto",
    ) -> PublishedTable:
        """Publish a table: disclosure control, then ``tables/{stage}/{name}.csv`` and ``.json``.

        Only a :class:`~analysis.disclosure.gated.GatedTable` is published: one is given,
        or made here by the gate from the arguments (cell suppression with ``count``;
        accepting a table the gate already returned with ``gated=True``; or the explicit
        ``disclosure="not person-level: <reason>"`` declaration).

        Parameters
        ----------
        table
            A :class:`~analysis.disclosure.gated.GatedTable` (the other disclosure
            arguments must then be left out), or a tidy table, one row per cell.
        name
            The file name, without extension (letters, digits, ``_``, ``-``).
        title
            The caption readers see.
        count
            The column with the number of respondents behind each row. When given, the
            table passes :func:`~analysis.disclosure.suppress_small_groups`.
        dimensions, values, labels, for_each
            As for :func:`~analysis.disclosure.suppress_small_groups`. ``values`` defaults
            to every column that is not the count, a dimension, a label or ``for_each``.
        note
            Shown under the table and saved in the JSON.
        disclosure
            Required when ``count`` is ``None``: ``"not person-level: <reason>"``, e.g.
            ``"not person-level: the questionnaire's changes between years"``.
        gated
            True for a table that has already passed the gate with its structure (for
            example by :func:`analysis.survey.suppress_survey_tables`, which gates a
            breakdown together with its totals, or
            :func:`analysis.disclosure.suppress_within`): it must carry the gate's mark and
            ``suppressed`` column, whose rows are then shown as ``[c]`` in every value
            column. ``count`` may be ``None`` for a derived table (such as changes between
            years).
        blank_suppressed
            For machine-readable tables: the CSV leaves hidden cells empty and adds a last
            column ``suppressed`` (``True`` in hidden rows), so that numeric columns stay
            numeric for R, pandas and Excel. The report still shows ``[c]``.
        universe, weights
            Relation metadata for the JSON (see
            :class:`~analysis.disclosure.gated.GatedTable`): what the counts count, and how
            weighted figures are weighted.
        precision
            The kind of a column whose name does not say it, e.g. ``{"mean": "percent"}``
            (keys of :data:`analysis.disclosure.precision.PRECISION`). Other decimal
            columns are rounded by their names' kinds, or as ``figure`` (2 decimals).
        show
            ``"auto"`` (folded into ``<details>`` when longer than 20 rows or 200 cells),
            ``"folded"`` or ``"open"``; with the ``detail`` of this object, folds start open.

        Returns
        -------
        PublishedTable
            Shows itself as an accessible HTML table in the notebook.

        Raises
        ------
        ValueError
            If the table has no count and no ``not person-level`` declaration, if both are
            given, if a table marked ``gated`` did not come from the gate, or if the gate
            rejects the table.
        """
        name = _check_name("table name", name)
        if show not in SHOW_CHOICES:
            raise ValueError(f"show must be one of {SHOW_CHOICES}, got {show!r}")
        if not isinstance(title, str) or not title.strip():
            raise ValueError("every table needs a title (its caption in the report)")
        if isinstance(table, GatedTable):
            given = [count, disclosure, universe, weights, values]
            if any(v is not None for v in given) or gated or dimensions or labels or for_each:
                raise ValueError(
                    f"table {name!r} is a GatedTable: its disclosure metadata comes with it; "
                    "leave out count, dimensions, values, labels, for_each, disclosure, gated, "
                    "universe and weights"
                )
            gated_table = table
        elif gated:
            gated_table = accept_gated(
                table,
                count=count,
                minimum=self.minimum_group_size,
                dimensions=dimensions,
                values=values,
                labels=labels,
                for_each=for_each,
                universe=universe,
                weights=weights,
            )
        elif count is None:
            gated_table = not_person_level(table, disclosure, self.minimum_group_size)
        else:
            if disclosure is not None:
                raise ValueError(
                    "give either count (the table passes disclosure control) or disclosure="
                    "'not person-level: <reason>', not both"
                )
            gated_table = gate(
                table,
                count=count,
                dimensions=dimensions,
                values=values,
                minimum=self.minimum_group_size,
                labels=labels,
                for_each=for_each,
                universe=universe,
                weights=weights,
            )
        if gated_table.minimum != self.minimum_group_size:
            raise ValueError(
                f"table {name!r} was gated with minimum {gated_table.minimum}, but this run's "
                f"minimum group size is {self.minimum_group_size}"
            )
        pre_gated = gated or isinstance(table, GatedTable)
        published = self._publish(
            gated_table, name, title, note, blank_suppressed, pre_gated, precision
        )
        return dataclasses.replace(published, show=show)

    def _publish(
        self,
        gated: GatedTable,
        name: str,
        title: str,
        note: str,
        blank_suppressed: bool,
        pre_gated: bool,
        declared: Mapping[str, str] | None = None,
    ) -> PublishedTable:
        """Write a gated table's CSV and JSON and return it as published."""
        precision = column_kinds(gated.data, declared)
        data = round_for_publication(gated.data, precision)
        person_level = gated.person_level
        shown_columns = tuple(
            c for c in data.columns if not person_level or c not in _HIDDEN_COLUMNS
        )
        folder = self.output_dir / "tables" / self.stage
        published = PublishedTable(
            data=data,
            title=title,
            note=note,
            count=gated.count,
            dimensions=gated.dimensions,
            values=gated.values,
            minimum=self.minimum_group_size,
            csv_path=folder / f"{name}.csv",
            json_path=folder / f"{name}.json",
            shown_columns=shown_columns,
            gated=pre_gated and person_level,
            blank_suppressed=blank_suppressed,
            detail=self.detail,
            precision={c: k for c, k in precision.items() if c in shown_columns},
            source=gated,
        )
        for_readers = published.for_readers()
        # A text cell beginning like a formula (=, +, -, @) gets a leading ' (OWASP).
        csv_text = spreadsheet_cells(for_readers).to_csv(index=False, na_rep="")
        write_atomically(published.csv_path, csv_text.encode("utf-8-sig"))
        metadata = {
            "title": title,
            "note": note,
            "stage": self.stage,
            **gated.metadata(),
            "columns": [str(c) for c in for_readers.columns],
            "precision": dict(published.precision),
            "gated": published.gated,
            "suppressed_symbol": "" if blank_suppressed else SUPPRESSED_SYMBOL,
            "csv": published.csv_path.name,
        }
        write_atomically(published.json_path, _json_bytes(metadata))
        return published

    def figure(
        self,
        fig: Any,
        name: str,
        *,
        alt: str,
        data: Any,
        caption: str = "",
        folded: bool = False,
    ) -> DisplayedFigure:
        """Save a matplotlib figure to ``figures/{stage}/{name}.png`` and show it once.

        A figure is drawn from published tables only: ``data`` names them, and
        ``figures/{stage}/{name}.json`` records them with the alt text and caption. The
        figure functions draw a hidden cell as ``[c]`` (or leave it out), never its figure.

        Parameters
        ----------
        fig
            A matplotlib ``Figure`` (or an object with a ``.figure``, e.g. a seaborn grid).
        name
            The file name, without extension.
        alt
            Alt text: what the figure shows, for readers who cannot see it. Required.
        data
            The :class:`PublishedTable` the figure shows (or a list of them), a
            :class:`~analysis.disclosure.gated.GatedTable`, or rows selected from a table
            the gate returned (they carry its mark). Required: a DataFrame the gate has not
            seen is refused.
        caption
            A visible caption.
        folded
            Fold the figure into ``<details>`` (open when this object's ``detail`` is True):
            for the less important of a long series of figures.

        Returns
        -------
        DisplayedFigure
            Shows itself as ``<figure><img alt=...><figcaption>`` with the PNG embedded,
            so the HTML report is self-contained.
        """
        import matplotlib
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        name = _check_name("figure name", name)
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(
                f"figure {name!r} needs alt text describing what it shows, for readers who "
                "cannot see it"
            )
        figure = fig if isinstance(fig, Figure) else getattr(fig, "figure", None)
        if not isinstance(figure, Figure):
            raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
        sources = self._figure_sources(name, data)
        buffer = io.BytesIO()
        try:
            # Labels from the data show as written: "$...$" is not read as mathtext.
            with matplotlib.rc_context({"text.parse_math": False}):
                literal_figure_text(figure)
                figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        finally:
            plt.close(figure)
        png = buffer.getvalue()
        folder = self.output_dir / "figures" / self.stage
        path = write_atomically(folder / f"{name}.png", png)
        side_file = {"alt": alt.strip(), "caption": caption, "data": sources}
        write_atomically(folder / f"{name}.json", _json_bytes(side_file))
        return DisplayedFigure(
            path=path,
            alt=alt.strip(),
            caption=caption,
            png=png,
            folded=folded,
            detail=self.detail,
        )

    def _figure_sources(self, name: str, data: Any) -> list[str]:
        """The tables a figure is drawn from, as recorded in its JSON; refuse anything else."""
        tables = list(data) if isinstance(data, (list, tuple)) else [data]
        sources = []
        for table in tables:
            if isinstance(table, PublishedTable):
                folder = self.output_dir.resolve()
                path = table.csv_path.resolve()
                where = path.relative_to(folder) if path.is_relative_to(folder) else path.name
                sources.append(Path(where).as_posix())
            elif isinstance(table, GatedTable):
                sources.append(f"gated: {table.structure}")
            elif isinstance(table, pd.DataFrame) and is_cleared(table):
                sources.append(f"gated: {gated_structure(table) or 'rows of a gated table'}")
            else:
                raise TypeError(
                    f"figure {name!r}: data must be the published table(s) it is drawn from "
                    "(a PublishedTable, a GatedTable, or rows selected from one), not "
                    f"{type(table).__name__} without the gate's mark: a figure cannot show a "
                    "figure the gate has not seen"
                )
        if not sources:
            raise TypeError(f"figure {name!r}: data must name the published table(s) it shows")
        return sources

    def headline(
        self,
        label: str,
        figure: GatedValue | PublishedTable | GatedTable,
        *,
        row: Mapping[str, Any] | Any = None,
        column: str | None = None,
        text: str | None = None,
        statistic: str | None = None,
        where: pd.Series | None = None,
        note: str = "",
        caveat: str = "",
        adjustment: str = "",
    ) -> GatedValue:
        """Record a headline figure for the run's index page in ``headlines/{stage}.json``.

        A headline's figure comes from a published (gated) table, as published: a cell of
        one row (``row`` with ``column`` or a ``text`` template), or a summary of its shown
        rows (``statistic``: ``"rows"``, how many; ``"median"`` of ``column``). A figure
        resting on a hidden cell is recorded as ``[c]``; a plain number is refused.

        The stage's file is rewritten (atomically) with every headline recorded by this
        object so far, so a re-run replaces a previous run's list and recording the same
        label again replaces its value.

        Parameters
        ----------
        label
            What the figure is, e.g. ``"Response rate"``.
        figure
            The :class:`PublishedTable` (or :class:`~analysis.disclosure.gated.GatedTable`)
            the figure is taken from, or a :class:`~analysis.disclosure.gated.GatedValue`.
        row, column, text
            See :func:`analysis.disclosure.gated.value_from`.
        statistic, where
            See :func:`analysis.disclosure.gated.summary_of`.
        note
            Context shown with it.
        caveat
            The warning the figure's own report gives with it (e.g. "with only two
            targeted units the interval is probably too narrow"); shown next to the figure
            wherever it is quoted (the run's index, the annual summary).
        adjustment
            The figure after adjusting for multiple testing, when the value is not adjusted
            (e.g. "0 after Holm's adjustment for 46 questions"); shown next to the figure.

        Returns
        -------
        GatedValue
            The figure recorded.

        Examples
        --------
        >>> out.headline("Respondents", published, row={"year": 2024},
        ...              column="respondents")                           # doctest: +SKIP
        >>> out.headline("Questions better", changes, statistic="rows",
        ...              where=changes.data["diff_pp"] > 0)              # doctest: +SKIP
        """
        if not isinstance(label, str) or not label.strip():
            raise ValueError("a headline needs a label saying what the figure is")
        value = self._gated_value(label, figure, row, column, text, statistic, where)
        entry = {
            "label": label,
            "value": _plain(value.value),
            "note": note,
            "caveat": caveat,
            "adjustment": adjustment,
        }
        labels = [h["label"] for h in self._headlines]
        if label in labels:
            self._headlines[labels.index(label)] = entry
        else:
            self._headlines.append(entry)
        path = self.output_dir / "headlines" / f"{self.stage}.json"
        write_atomically(path, _json_bytes(self._headlines))
        return value

    def _gated_value(
        self,
        label: str,
        figure: Any,
        row: Any,
        column: str | None,
        text: str | None,
        statistic: str | None,
        where: pd.Series | None,
    ) -> GatedValue:
        """The headline's figure, made by the gate from a published table."""
        if isinstance(figure, GatedValue):
            if any(v is not None for v in (row, column, text, statistic, where)):
                raise ValueError(f"headline {label!r}: a GatedValue needs no row or column")
            return figure
        if isinstance(figure, PublishedTable) and figure.source is not None:
            source, precision = figure.source, figure.precision
        elif isinstance(figure, GatedTable):
            source, precision = figure, None
        else:
            raise TypeError(
                f"headline {label!r}: the figure must come from a published table (give the "
                "PublishedTable with row= and column=, or statistic=), not a plain "
                f"{type(figure).__name__}: a headline cannot carry a figure the gate has not seen"
            )
        if source.minimum != self.minimum_group_size:
            raise ValueError(f"headline {label!r}: its table was gated with another minimum")
        if statistic is not None:
            return summary_of(
                source, statistic=statistic, where=where, column=column, precision=precision
            )
        return value_from(source, row=row, column=column, text=text, precision=precision)


def _json_bytes(content: Any) -> bytes:
    text = json.dumps(content, indent=2, ensure_ascii=False, default=str)
    return (text + "\n").encode("utf-8")


class Shown(tuple):
    """Several results one notebook cell shows one after another, in order.

    A stage's report method returns ``Shown(sentence, table, figure)``; as the last
    expression of a cell it displays each item in turn (``None`` items are skipped), exactly
    as one ``display()`` call per item would, and nothing when empty.
    """

    __slots__ = ()

    def __new__(cls, *items: Any) -> Shown:
        return super().__new__(cls, items)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for item in self:
            if item is not None:
                display(item)
