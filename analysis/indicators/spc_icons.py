"""Making Data Count's variation and assurance icons, as small inline SVG images.

The icons are drawn here, not downloaded: a ring in the Making Data Count colour of the
signal (blue improvement, orange concern, purple neutral, grey common cause or hit and miss),
a small run chart of seven points for variation (rising for ``high``, falling for ``low``)
and a letter (``H``/``L`` for high/low, ``P``/``F``/``?`` for pass, fail and hit and miss).
Every icon is an ``<svg role="img">`` with an ``aria-label`` and a ``<title>`` saying what it
means in words, so a screen reader reads it and the report passes without images. Letters
are near-black on white (contrast 16.3:1, WCAG AA asks 4.5:1); the colours only mark the
ring and the points. :func:`summary_matrix_html` counts charts by variation and assurance
icon, as Making Data Count's summary matrix.

References
----------
NHS England (2019, updated 2023) *Making Data Count: strengthening your decisions*, the
variation and assurance icons and the summary matrix. W3C (2018) *WCAG 2.1*, success
criterion 1.4.3 (contrast, minimum).
"""

from __future__ import annotations

from html import escape

import pandas as pd

__all__ = [
    "ASSURANCE_ICONS",
    "ICON_WORDS",
    "TEXT_COLOUR",
    "VARIATION_ICONS",
    "assurance_icon_svg",
    "chart_icons_html",
    "contrast_ratio",
    "icon_svg",
    "summary_matrix_html",
    "variation_icon_svg",
]

VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")

ICON_WORDS = {
    "common_cause": "common cause variation",
    "improvement_high": "special cause improvement, higher values",
    "improvement_low": "special cause improvement, lower values",
    "concern_high": "special cause concern, higher values",
    "concern_low": "special cause concern, lower values",
    "neutral_high": "special cause variation (neither good nor bad), higher values",
    "neutral_low": "special cause variation (neither good nor bad), lower values",
    "consistent_pass": "the target will consistently be met",
    "consistent_fail": "the target will consistently be missed",
    "inconsistent": "the target will be met and missed (hit and miss)",
    "no_target": "no target, so no assurance",
}
"""What each icon means, in words (alt text and labels)."""

TEXT_COLOUR = "#231f20"
"""Letters on the icons: NHS near-black on white."""

_COLOURS = {
    "common_cause": "#a6a6a6",
    "improvement": "#289de0",
    "concern": "#fab428",
    "neutral": "#361475",
    "consistent_pass": "#289de0",
    "consistent_fail": "#fab428",
    "inconsistent": "#a6a6a6",
}
_RUN_HIGH = (27, 26, 27, 25, 21, 17, 12)  # y of the seven points, rising at the end
_RUN_FLAT = (22, 19, 23, 20, 23, 19, 22)


def variation_icon_svg(icon: str, size: int = 36) -> str:
    """A Making Data Count variation icon as inline SVG.

    Parameters
    ----------
    icon
        One of :data:`VARIATION_ICONS` (``spc``'s ``variation_icon``).
    size
        Width and height in CSS pixels.

    Returns
    -------
    str
        ``<svg role="img" aria-label="Variation: ...">`` with a ``<title>``.

    Raises
    ------
    ValueError
        If ``icon`` is not a variation icon.
    """
    if icon not in VARIATION_ICONS:
        raise ValueError(f"icon must be one of {', '.join(VARIATION_ICONS)}; got {icon!r}")
    kind, _, direction = icon.partition("_")
    colour = _COLOURS["common_cause" if icon == "common_cause" else kind]
    heights = _RUN_FLAT if icon == "common_cause" else _RUN_HIGH
    if direction == "low":
        heights = tuple(40 - y for y in heights)
    points = [(8 + 4 * i, y) for i, y in enumerate(heights)]
    special = icon != "common_cause"
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="1.8" fill="{colour if special and i >= 4 else "#6f6f6f"}"/>'
        for i, (x, y) in enumerate(points)
    )
    line = " ".join(f"{x},{y}" for x, y in points)
    letter = "" if icon == "common_cause" else direction[0].upper()
    body = f'<polyline points="{line}" fill="none" stroke="#6f6f6f" stroke-width="1"/>{dots}'
    if letter:
        letter_y = 31 if direction == "high" else 15
        body += _letter(letter, 29, letter_y, 9)
    return _ring(f"Variation: {ICON_WORDS[icon]}", colour, body, size)


def assurance_icon_svg(icon: str | None, size: int = 36) -> str:
    """A Making Data Count assurance icon as inline SVG.

    Parameters
    ----------
    icon
        One of :data:`ASSURANCE_ICONS`, or ``None``/missing/``"None"`` for a chart without
        a target (an empty grey ring labelled "no target").
    size
        Width and height in CSS pixels.

    Returns
    -------
    str
        ``<svg role="img" aria-label="Assurance: ...">`` with a ``<title>``.

    Raises
    ------
    ValueError
        If ``icon`` is another text.
    """
    if icon is None or pd.isna(icon) or icon in ("None", "nan", ""):
        return _ring(f"Assurance: {ICON_WORDS['no_target']}", "#d8dde0", "", size)
    if icon not in ASSURANCE_ICONS:
        raise ValueError(f"icon must be one of {', '.join(ASSURANCE_ICONS)}; got {icon!r}")
    letter = {"consistent_pass": "P", "consistent_fail": "F", "inconsistent": "?"}[icon]
    return _ring(
        f"Assurance: {ICON_WORDS[icon]}", _COLOURS[icon], _letter(letter, 20, 26, 16), size
    )


def icon_svg(icon: str | None, size: int = 36) -> str:
    """The variation or assurance icon named by ``icon`` (see the two functions above)."""
    if icon in VARIATION_ICONS:
        return variation_icon_svg(str(icon), size)
    return assurance_icon_svg(icon, size)


def chart_icons_html(chart: pd.DataFrame) -> str:
    """The two icons of one chart (its last point), each followed by its meaning.

    Parameters
    ----------
    chart
        A table from :func:`analysis.stats.spc` or
        :func:`analysis.indicators.values.indicator_spc`.

    Returns
    -------
    str
        A ``<p>`` with the variation and assurance icons and their words (escaped).
    """
    variation = str(chart["variation_icon"].iloc[-1])
    assurance = chart["assurance_icon"].iloc[-1]
    assurance_key = assurance if assurance in ASSURANCE_ICONS else "no_target"
    return (
        f'<p class="spc-icons" style="color:{TEXT_COLOUR}">'
        f"{variation_icon_svg(variation)} Variation: {escape(ICON_WORDS[variation])}. "
        f"{assurance_icon_svg(assurance)} Assurance: {escape(ICON_WORDS[assurance_key])}.</p>"
    )


def summary_matrix_html(summary: pd.DataFrame, names: dict[str, str], *, caption: str) -> str:
    """Making Data Count's summary matrix: charts counted by variation and assurance icon.

    Parameters
    ----------
    summary
        :func:`analysis.indicators.values.spc_summary` (``indicator_id``, ``unit``,
        ``variation_icon``, ``assurance_icon``).
    names
        Indicator id -> name, for the list in each cell.
    caption
        The table's caption (escaped here).

    Returns
    -------
    str
        An HTML table: one row per variation icon and one column per assurance icon (and
        one for charts without a target), each heading an icon with its words, each cell
        the number of charts and, under it, which (indicator name, and unit unless it is
        the organisation). Every text is escaped.
    """
    columns = [*ASSURANCE_ICONS, "no_target"]
    assurance = summary["assurance_icon"].map(
        lambda icon: icon if icon in ASSURANCE_ICONS else "no_target"
    )
    head = "".join(
        f'<th scope="col">{icon_svg(None if c == "no_target" else c, 28)}<br>'
        f"{escape(ICON_WORDS[c])}</th>"
        for c in columns
    )
    rows = []
    for variation in VARIATION_ICONS:
        cells = []
        for column in columns:
            here = summary[(summary["variation_icon"] == variation) & (assurance == column)]
            listed = "".join(
                f"<li>{escape(names.get(row.indicator_id, str(row.indicator_id)))}"
                f"{'' if row.unit == 'Organisation' else ', ' + escape(str(row.unit))}</li>"
                for row in here.itertuples(index=False)
            )
            cells.append(
                f'<td style="text-align:left;vertical-align:top"><strong>{len(here)}</strong>'
                + (f'<ul style="margin:0;padding-left:1.1em">{listed}</ul>' if listed else "")
                + "</td>"
            )
        rows.append(
            f'<tr><th scope="row" style="text-align:left">{variation_icon_svg(variation, 28)} '
            f"{escape(ICON_WORDS[variation])}</th>{''.join(cells)}</tr>"
        )
    return (
        f'<table class="spc-matrix" style="color:{TEXT_COLOUR};background:#ffffff">'
        f"<caption>{escape(caption)}</caption>"
        '<thead><tr><th scope="col">Variation (rows) by assurance (columns)</th>'
        f"{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    References
    ----------
    W3C, *WCAG 2.1*, definitions of "contrast ratio" and "relative luminance".

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _letter(text: str, x: float, y: float, size: float) -> str:
    return (
        f'<text x="{x}" y="{y}" font-family="Arial, sans-serif" font-size="{size}" '
        f'font-weight="bold" text-anchor="middle" fill="{TEXT_COLOUR}" '
        f'aria-hidden="true">{escape(text)}</text>'
    )


def _ring(label: str, colour: str, body: str, size: int) -> str:
    label = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'width="{int(size)}" height="{int(size)}" viewBox="0 0 40 40" '
        f'style="vertical-align:middle"><title>{label}</title>'
        f'<circle cx="20" cy="20" r="17.5" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="3"/>{body}</svg>'
    )
