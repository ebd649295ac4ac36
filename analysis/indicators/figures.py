"""Drawing the indicators stage's figures: SPC charts, funnel plots, scorecard, line of sight.

Drawing only: every function takes a table computed (and, for people, suppressed) elsewhere
and returns a matplotlib ``Figure``. Colours follow NHS England's *Making Data Count*:
orange for special cause concern, blue for improvement, purple for neutral special causes,
grey for common cause; ratings use red-amber-green where a direction is good and
blue-orange-blue where there is no judgement (:data:`RATING_COLOURS`).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from analysis.figures import finish_chart  # noqa: E402
from analysis.presentation import collapsible, readable_text_colour  # noqa: E402
from analysis.text_safety import html_text  # noqa: E402

__all__ = [
    "POINT_COLOURS",
    "RATING_COLOURS",
    "clear_goals_chart",
    "funnel_plot",
    "line_of_sight_chart",
    "role_profile_html",
    "scorecard_chart",
    "skills_chart",
    "spc_chart",
]

POINT_COLOURS = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#289de0",
    "special_cause_concern": "#fab428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
}
"""Making Data Count colours of each point type."""

RATING_COLOURS = {
    "better": "#00a36e",
    "similar": "#ffbf00",
    "worse": "#d5281b",
    "higher": "#41b6e6",
    "lower": "#005eb8",
    "not compared": "#e8edee",
}
"""Rating colours, as Fingertips' benchmark colours: red-amber-green (worse, similar, better)
where high or low is good; blue-amber-blue (lower dark blue, similar amber, higher light blue)
where there is no judgement; grey when not compared."""

_POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neutral",
    "special_cause_neutral_low": "Special cause: neutral",
}
_ICON_WORDS = {
    "common_cause": "common cause variation",
    "improvement_high": "improvement (high)",
    "improvement_low": "improvement (low)",
    "concern_high": "concern (high)",
    "concern_low": "concern (low)",
    "neutral_high": "neutral special cause (high)",
    "neutral_low": "neutral special cause (low)",
    "consistent_pass": "will consistently pass the target",
    "consistent_fail": "will consistently fail the target",
    "inconsistent": "hit and miss against the target",
}


def spc_chart(chart: pd.DataFrame, *, title: str, ylabel: str) -> Figure:
    """Draw an XmR chart in the Making Data Count style.

    Parameters
    ----------
    chart
        A table from :func:`analysis.stats.spc` (one unit's points, in order).
    title
        The finding, e.g. ``"Sickness absence in Community Nursing shifted up from 2006"``.
    ylabel
        The value axis label with its unit.

    Returns
    -------
    matplotlib.figure.Figure
        Grey line with points coloured by type, dashed process limits and the mean of
        each segment, a dash-dot line where the limits are recalculated, the target (red,
        dotted) and the variation and assurance icons in words.
    """
    figure, axes = plt.subplots(figsize=(8.5, 3.8))
    x = chart["period"].astype(str).to_numpy()
    position = np.arange(len(x))
    axes.plot(position, chart["value"], color="#7f7f7f", linewidth=1, zorder=1)
    for point_type, colour in POINT_COLOURS.items():
        chosen = (chart["point_type"] == point_type).to_numpy()
        if chosen.any():
            axes.scatter(position[chosen], chart["value"][chosen], color=colour, s=18, zorder=2)
    for _, rows in chart.groupby("segment"):
        where = position[rows.index]
        axes.plot(where, rows["mean"], color="#231f20", linewidth=1)
        axes.plot(where, rows["upl"], color="#231f20", linestyle="--", linewidth=0.8)
        axes.plot(where, rows["lpl"], color="#231f20", linestyle="--", linewidth=0.8)
    changes = position[chart["segment"].diff().fillna(0).to_numpy() > 0]
    for change in changes:
        axes.axvline(change - 0.5, color="#425563", linestyle="-.", linewidth=0.9)
    if chart["target"].notna().any():
        axes.axhline(chart["target"].iloc[0], color="#d5281b", linestyle=":", linewidth=1.2)
    step = max(1, len(x) // 12)
    axes.set_xticks(position[::step], x[::step], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel(ylabel)
    axes.set_xlabel("Month")
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    handles = [
        Line2D([], [], color=colour, marker="o", linestyle="", label=_POINT_LABELS[kind])
        for kind, colour in POINT_COLOURS.items()
        if kind != "special_cause_neutral_low" and (chart["point_type"] == kind).any()
    ]
    handles.append(Line2D([], [], color="#231f20", linestyle="--", label="Process limits"))
    if len(changes):
        handles.append(Line2D([], [], color="#425563", linestyle="-.", label="Limits recalculated"))
    if chart["target"].notna().any():
        handles.append(Line2D([], [], color="#d5281b", linestyle=":", label="Target"))
    axes.legend(handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    icons = [f"Variation: {_ICON_WORDS[chart['variation_icon'].iloc[-1]]}"]
    assurance = chart["assurance_icon"].iloc[-1]
    if assurance in _ICON_WORDS:
        icons.append(f"Assurance: {_ICON_WORDS[assurance]}")
    axes.text(1.01, 0.0, "\n".join(icons), transform=axes.transAxes, fontsize=8, va="bottom")
    figure.tight_layout()
    return figure


def funnel_plot(
    published: pd.DataFrame, curve: pd.DataFrame, *, title: str, xlabel: str, ylabel: str
) -> Figure:
    """Draw a funnel plot of published (suppressed) units with their 95% and 99.8% limits.

    Parameters
    ----------
    published
        A funnel table (:func:`analysis.indicators.values.indicator_funnel`) with a
        ``suppressed`` column: suppressed units are not drawn and are counted in a note.
    curve
        :func:`analysis.indicators.values.funnel_curve` of the same funnel.
    title, xlabel, ylabel
        The finding and the axis labels with units.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure, axes = plt.subplots(figsize=(7.5, 4.5))
    size = curve["denominator"]
    axes.plot(size, curve["target"], color="#231f20", linewidth=1, label="Organisation")
    axes.plot(size, curve["upper_95"], color="#005eb8", linestyle="--", label="95% limits")
    axes.plot(size, curve["lower_95"], color="#005eb8", linestyle="--")
    axes.plot(size, curve["upper_998"], color="#d5281b", linestyle="-", label="99.8% limits")
    axes.plot(size, curve["lower_998"], color="#d5281b", linestyle="-")
    shown = published[~published["suppressed"].astype(bool)]
    outlier = shown["outlier"].astype(bool)
    axes.scatter(shown["denominator"][~outlier], shown["value"][~outlier], color="#7f7f7f", s=20)
    axes.scatter(
        shown["denominator"][outlier],
        shown["value"][outlier],
        color="#d5281b",
        s=30,
        label="Outside 99.8% limits",
    )
    for _, row in shown[outlier].iterrows():
        axes.annotate(
            str(row["unit"]),
            (row["denominator"], row["value"]),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    hidden = int(published["suppressed"].astype(bool).sum())
    if hidden:
        axes.text(
            0.99,
            0.01,
            f"{hidden} team(s) not shown: [c] fewer than the minimum staff",
            transform=axes.transAxes,
            ha="right",
            fontsize=8,
        )
    axes.set_xscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    return finish_chart(figure, axes, title)


def scorecard_chart(card: pd.DataFrame, *, title: str) -> Figure:
    """Draw the team scorecard: teams down, indicators across, cells coloured by rating.

    Parameters
    ----------
    card
        :func:`analysis.indicators.values.scorecard`: suppressed cells show ``[c]`` on
        white, never a value.
    title
        The finding.

    Returns
    -------
    matplotlib.figure.Figure
    """
    teams = sorted(card["unit"].unique())
    indicators = list(dict.fromkeys(card["indicator"]))
    figure, axes = plt.subplots(figsize=(1.3 * len(indicators) + 2.5, 0.28 * len(teams) + 1.8))
    cells = card.set_index(["unit", "indicator"])
    for row, team in enumerate(teams):
        for column, indicator in enumerate(indicators):
            if (team, indicator) not in cells.index:
                continue
            cell = cells.loc[(team, indicator)]
            hidden = bool(cell["suppressed"])
            colour = "white" if hidden else RATING_COLOURS.get(cell["rating"], "#e8edee")
            axes.add_patch(plt.Rectangle((column, row), 1, 1, color=colour, ec="white"))
            text = "[c]" if hidden else f"{cell['value']:.3g}"
            axes.text(column + 0.5, row + 0.5, text, ha="center", va="center", fontsize=7)
    axes.set_xlim(0, len(indicators))
    axes.set_ylim(len(teams), 0)
    axes.set_xticks(
        np.arange(len(indicators)) + 0.5, indicators, rotation=30, ha="right", fontsize=8
    )
    axes.set_yticks(np.arange(len(teams)) + 0.5, teams, fontsize=7)
    axes.set_xlabel("Indicator (value in its unit)")
    axes.set_ylabel("Team")
    axes.set_title(title, fontsize=11, loc="left")
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    legend = [Patch(color=c, label=r) for r, c in RATING_COLOURS.items()]
    axes.legend(handles=legend, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    return figure


_OBJECTIVE_COLOURS = ("#005eb8", "#ed8b00", "#007f3b", "#7c2855", "#330072", "#425563")
"""Line-of-sight paths coloured by objective (NHS identity colours, distinct in greyscale)."""


def line_of_sight_chart(links: pd.DataFrame, *, title: str) -> Figure:
    """Draw the line of sight: objectives, domains, indicators and roles as linked columns.

    Parameters
    ----------
    links
        :func:`analysis.indicators.line_of_sight.line_of_sight`.
    title
        The finding.

    Returns
    -------
    matplotlib.figure.Figure
        Four columns of labelled nodes joined by lines coloured by objective; indicators are
        squares when quantitative and open circles when qualitative, so the chart reads in
        black and white.
    """
    columns = {
        "objective": list(dict.fromkeys(links["objective_id"] + " " + links["objective"])),
        "domain": list(dict.fromkeys(links["domain"])),
        "indicator": list(dict.fromkeys(links["indicator"])),
        "role": list(dict.fromkeys(links["role"])),
    }
    height = max(len(names) for names in columns.values())
    figure, axes = plt.subplots(figsize=(12, 0.42 * height + 1.6))

    def place(names: list[str]) -> dict[str, float]:
        step = height / len(names)
        return {name: height - step * (number + 0.5) for number, name in enumerate(names)}

    where = {kind: place(names) for kind, names in columns.items()}
    x = {"objective": 0.0, "domain": 1.0, "indicator": 2.0, "role": 3.0}
    labelled = links.assign(objective_label=links["objective_id"] + " " + links["objective"])
    colours = {
        name: _OBJECTIVE_COLOURS[number % len(_OBJECTIVE_COLOURS)]
        for number, name in enumerate(columns["objective"])
    }
    steps = (
        ("objective_label", "objective", "domain", "domain", 1.6),
        ("domain", "domain", "indicator", "indicator", 1.2),
        ("indicator", "indicator", "role", "role", 0.6),
    )
    for left_column, left_kind, right_column, right_kind, width in steps:
        pairs = labelled[[left_column, right_column, "objective_label"]].drop_duplicates()
        rows = list(pairs.itertuples(index=False))
        segments = [
            [(x[left_kind], where[left_kind][left]), (x[right_kind], where[right_kind][right])]
            for left, right, _ in rows
        ]
        edges = LineCollection(
            segments,
            colors=[colours[objective] for _, _, objective in rows],
            linewidths=width,
            alpha=0.55,
            zorder=1,
        )
        axes.add_collection(edges)
    kinds = links.drop_duplicates("indicator").set_index("indicator")["type"]
    for kind, names in columns.items():
        for name in names:
            y = where[kind][name]
            if kind == "indicator":
                qualitative = kinds[name] == "qualitative"
                axes.scatter(
                    x[kind],
                    y,
                    marker="o" if qualitative else "s",
                    s=40,
                    facecolor="white" if qualitative else "#231f20",
                    edgecolor="#231f20",
                    zorder=3,
                )
            else:
                axes.scatter(x[kind], y, s=22, color="#231f20", zorder=3)
            align = {"objective": "right", "role": "left"}.get(kind, "center")
            offset = {"objective": -0.04, "role": 0.04}.get(kind, 0.0)
            axes.text(
                x[kind] + offset,
                y + (0.0 if align != "center" else 0.28),
                name,
                ha=align,
                va="center",
                fontsize=8,
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
            )
    for kind, position in x.items():
        axes.text(position, height + 0.35, f"{kind.capitalize()}s", ha="center", weight="bold")
    handles = [
        Line2D([], [], marker="s", color="#231f20", linestyle="", label="Quantitative indicator"),
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="white",
            color="#231f20",
            linestyle="",
            label="Qualitative indicator",
        ),
    ]
    axes.legend(
        handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.08, 1)
    )
    axes.set_xlim(-1.3, 3.9)
    axes.set_ylim(-0.2, height + 0.7)
    axes.set_axis_off()
    axes.set_title(title, fontsize=11, loc="left")
    figure.tight_layout()
    return figure


def role_profile_html(
    cells: pd.DataFrame,
    ratings: pd.DataFrame,
    *,
    caption: str,
    detail: bool = False,
    show: str = "auto",
) -> str:
    """Show one role's profile as an HTML table: teams down, indicators across, by rating.

    Parameters
    ----------
    cells, ratings
        :func:`analysis.indicators.profiles.role_profile_grid`: the text of each cell and
        its rating (``[c]`` and missing for suppressed cells).
    caption
        The table's caption: the finding.
    detail, show
        How the table folds into ``<details>``, its caption the visible line
        (:func:`analysis.presentation.collapsible`): by default when it has more than
        :data:`analysis.presentation.KEY_ROWS` teams; open from the start with ``detail``.

    Returns
    -------
    str
        An HTML table (with ``_repr_html_`` semantics: display it with
        ``IPython.display.HTML``). Each cell is coloured as :data:`RATING_COLOURS` with its
        rating also in words, so it reads in black and white; the two column header rows
        are the indicator type and the indicator.
    """

    def background(rating: object) -> str:
        if not isinstance(rating, str):
            return "#ffffff"
        return RATING_COLOURS.get(rating, "#e8edee")

    kinds = list(dict.fromkeys(cells.columns.get_level_values(0)))
    head_types = "".join(
        f'<th scope="colgroup" colspan="{(cells.columns.get_level_values(0) == kind).sum()}">'
        f"{html_text(str(kind))}</th>"
        for kind in kinds
    )
    head_names = "".join(
        f'<th scope="col">{html_text(str(name))}</th>' for _, name in cells.columns
    )
    body = []
    for team, row in cells.iterrows():
        tds = []
        for column in cells.columns:
            rating = ratings.at[team, column]
            colour = background(rating)
            text_colour = readable_text_colour(colour)  # WCAG AA: 4.5:1 at least
            tds.append(
                f'<td style="background:{colour};color:{text_colour};text-align:center">'
                f"{html_text(str(row[column]))}</td>"
            )
        body.append(f'<tr><th scope="row">{html_text(str(team))}</th>{"".join(tds)}</tr>')
    table = (
        f'<div class="published-table" role="region" tabindex="0" '
        f'aria-label="{html_text(caption)}"><table>'
        f"<caption>{html_text(caption)}</caption>"
        f'<thead><tr><th scope="col" rowspan="2">Team</th>{head_types}</tr>'
        f"<tr>{head_names}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    return collapsible(
        table,
        rows=len(cells),
        columns=len(cells.columns) + 1,
        summary=f"{caption} ({len(cells)} teams)",
        detail=detail,
        show=show,
    )


def clear_goals_chart(table: pd.DataFrame, *, title: str, ylabel: str) -> Figure:
    """Draw percent positive by year for respondents with and without an appraisal.

    Parameters
    ----------
    table
        One goal item's rows of
        :func:`analysis.indicators.appraisals.clear_goals_by_appraisal`, after the
        disclosure gate (suppressed rows are not drawn).
    title, ylabel
        The finding and the value axis label.

    Returns
    -------
    matplotlib.figure.Figure
        One line per group with 95% interval bars; solid with filled circles for staff who
        had an appraisal, dashed with open squares for the others, so it reads in print.
    """
    figure, axes = plt.subplots(figsize=(7.5, 3.8))
    shown = table[~table["suppressed"].astype(bool)] if "suppressed" in table else table
    styles = (("#005eb8", "-", "o", "#005eb8"), ("#425563", "--", "s", "white"))
    for (group, rows), (colour, line, marker, face) in zip(
        shown.groupby("group", sort=True), styles, strict=False
    ):
        years = rows["year"].to_numpy()
        value = rows["percent_positive"].to_numpy(dtype=float)
        error = np.vstack(
            [
                value - rows["ci_low"].to_numpy(dtype=float),
                rows["ci_high"].to_numpy(dtype=float) - value,
            ]
        )
        axes.errorbar(
            years,
            value,
            yerr=error,
            color=colour,
            linestyle=line,
            marker=marker,
            markerfacecolor=face,
            capsize=3,
            label=str(group).capitalize(),
        )
    axes.set_xticks(sorted(shown["year"].unique()))
    axes.set_xlabel("Survey year")
    axes.set_ylabel(ylabel)
    return finish_chart(figure, axes, title)


def skills_chart(skills: pd.DataFrame, *, title: str) -> Figure:
    """Draw one review's KSF levels: required (outline) and assessed (filled), per dimension.

    Parameters
    ----------
    skills
        :attr:`analysis.indicators.profiles.StaffProfile.skills`.
    title
        The finding.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars of the assessed level with the required level as an open bar
        around them; dimensions below the requirement are labelled "gap".
    """
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(skills) + 1.4))
    position = np.arange(len(skills))
    axes.barh(position, skills["assessed_level"], color="#005eb8", height=0.5, label="Assessed")
    axes.barh(
        position,
        skills["required_level"],
        facecolor="none",
        edgecolor="#231f20",
        linestyle="--",
        height=0.75,
        label="Required for the post",
    )
    for where, gap in zip(position, skills["gap"], strict=True):
        if gap > 0:
            axes.text(4.1, where, f"gap of {gap}", va="center", fontsize=8)
    axes.set_yticks(position, skills["ksf_dimension"], fontsize=8)
    axes.set_xlim(0, 5)
    axes.set_xticks([1, 2, 3, 4])
    axes.set_xlabel("KSF level")
    axes.invert_yaxis()
    return finish_chart(figure, axes, title)
