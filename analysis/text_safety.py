"""Text from a data package shown as text: never markup, never a formula.

Every string in a data package (the organisation's name, directorate and team names, comments,
code labels, role purposes, action text...) is untrusted. Wherever such a string reaches a
report, a figure or a spreadsheet it goes through one of these functions:

* :func:`html_text` for HTML (element text and quoted attribute values);
* :func:`markdown_text` for Markdown, which a notebook's ``display(Markdown(...))`` turns into
  HTML: Markdown's own specials are escaped and so is HTML;
* :func:`markdown` and :func:`markdown_list`, which fill a notebook's trusted Markdown
  template with escaped fields;
* :func:`literal_figure_text` for matplotlib figures, whose ``$...$`` would be read as mathtext;
* :func:`spreadsheet_text` and :func:`spreadsheet_cells` for CSV and Excel cells, which a
  spreadsheet would evaluate when they begin like a formula (:func:`text_from_spreadsheet`
  undoes it for code that reads a published CSV back).

A second line of defence, :func:`sanitise_html`, cleans every rendered output of a report
with an allow-list, so that a missed escape shows as text instead of running.

References
----------
.. [1] CommonMark Spec 0.31.2, section 2.4 "Backslash escapes" and section 6.2 "Entity and
   numeric character references", https://spec.commonmark.org/0.31.2/
.. [2] OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
.. [3] OWASP Cheat Sheet Series, "Cross Site Scripting Prevention Cheat Sheet", rule 1 (HTML
   encode before inserting untrusted data into element content) and rule 2 (attribute
   encode before inserting into quoted attribute values),
   https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
.. [4] Matplotlib, "Writing mathematical expressions" and ``Text.set_parse_math``,
   https://matplotlib.org/stable/users/explain/text/mathtext.html
"""

from __future__ import annotations

import html
import math
import re
import string
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import Markdown
    from matplotlib.figure import Figure

__all__ = [
    "FORMULA_STARTS",
    "html_text",
    "literal_figure_text",
    "markdown",
    "markdown_list",
    "markdown_text",
    "sanitise_html",
    "spreadsheet_cells",
    "spreadsheet_text",
    "text_from_spreadsheet",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP [2]_)."""

# CommonMark's backslash-escapable ASCII punctuation [1]_, less the three characters that
# are written as entity references instead (so that they are safe as HTML too).
_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%'()*+,\-./:;=?@\[\\\]^_`{|}~])""")
_HTML_IN_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _as_text(value: Any) -> str:
    """A value as text; ``None`` and missing values (NaN, ``pd.NA``, ``pd.NaT``) become ``""``."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def html_text(value: Any) -> str:
    """Escape a value for HTML element content and for a quoted attribute value.

    ``&``, ``<``, ``>``, ``"`` and ``'`` become character references, as OWASP's rules 1
    and 2 [3]_ ask, so the text shows exactly as written and cannot open a tag or leave an
    attribute.

    Parameters
    ----------
    value
        Any value; ``None`` and missing values give ``""``.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(_as_text(value), quote=True)


def markdown_text(value: Any) -> str:
    """Escape a value so that Markdown shows it literally, inline, and HTML cannot come of it.

    Every ASCII punctuation character that CommonMark lets a backslash escape [1]_ is
    backslash-escaped (so ``*``, ``_``, ``[``, ``` ` ``, ``#``, ``|``, ``$`` and the rest
    lose their meaning), and ``&``, ``<`` and ``>`` are written as entity references,
    which both Markdown and HTML show as the character itself. Line breaks become spaces:
    the text stays inside the sentence, list item or quote it was put in.

    Parameters
    ----------
    value
        Any value; ``None`` and missing values give ``""``.

    Returns
    -------
    str
        Markdown source that renders as the value's text.

    Examples
    --------
    >>> markdown_text("[x](javascript:alert(1))")
    '\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)'
    >>> markdown_text("<b>£5 & more</b>")
    '&lt;b&gt;£5 &amp; more&lt;\\\\/b&gt;'
    """
    text = _LINE_BREAKS.sub(" ", _as_text(value))
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return "".join(_HTML_IN_MARKDOWN.get(character, character) for character in text)


class _EscapingFormatter(string.Formatter):
    """``str.format`` that escapes every field after applying its format spec."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None or (not isinstance(value, str) and _as_text(value) == ""):
            return ""
        return markdown_text(super().format_field(value, format_spec))


_FORMATTER = _EscapingFormatter()


def _to_markdown(source: str) -> Markdown:
    from IPython.display import Markdown

    return Markdown(source)


def markdown(template: str, /, **fields: Any) -> Markdown:
    """A Markdown display from a trusted template whose fields come from the data.

    The template is the notebook's own text, with ``str.format`` fields such as
    ``{organisation}`` or ``{count:,}``; each field is formatted, then escaped with
    :func:`markdown_text`, so that only the template's own Markdown is markup.

    Parameters
    ----------
    template
        Markdown written by the notebook's author.
    **fields
        The values of the template's fields.

    Returns
    -------
    IPython.display.Markdown
        Shows in the notebook and the report.

    Examples
    --------
    >>> markdown("**{name}**: {n:,} staff", name="<script>x</script>", n=1200).data
    '**&lt;script&gt;x&lt;\\\\/script&gt;**: 1\\\\,200 staff'
    """
    return _to_markdown(_FORMATTER.vformat(template, (), fields))


def markdown_list(
    template: str,
    rows: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    before: str = "",
    after: str = "",
    **fields: Any,
) -> Markdown:
    """A Markdown display with one line per row, each filled and escaped like :func:`markdown`.

    Parameters
    ----------
    template
        The Markdown of one line, e.g. ``"- **{directorate}**: {skill}"``; its fields are
        the row's columns and ``fields``.
    rows
        A table (one line per row) or mappings.
    before, after
        Trusted Markdown templates before and after the lines, filled from ``fields``.
    **fields
        Values shared by every line and by ``before`` and ``after``.

    Returns
    -------
    IPython.display.Markdown
        ``before``, the lines (one per row, separated by line breaks), then ``after``.

    Examples
    --------
    >>> markdown_list("- {name}", [{"name": "*A*"}, {"name": "B"}], before="Teams:\\n\\n").data
    'Teams:\\n\\n- \\\\*A\\\\*\\n- B'
    """
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    lines = [_FORMATTER.vformat(template, (), {**fields, **record}) for record in records]
    return _to_markdown(
        _FORMATTER.vformat(before, (), fields)
        + "\n".join(lines)
        + _FORMATTER.vformat(after, (), fields)
    )


def literal_figure_text(figure: Figure) -> Figure:
    """Make every text of a matplotlib figure show literally: no ``$...$`` mathtext.

    Matplotlib reads text between two ``$`` as a TeX-like expression [4]_, so a team
    called ``$\\alpha$ team`` would be drawn as a Greek letter, and an unbalanced or
    malformed expression stops the figure from saving. Every :class:`~matplotlib.text.Text`
    of the figure (titles, axis and tick labels, legends, annotations) is told not to parse
    mathtext. Texts that matplotlib creates only while drawing (further tick labels) take
    ``rcParams["text.parse_math"]``, so call it, and save, inside
    ``matplotlib.rc_context({"text.parse_math": False})``, as
    :meth:`analysis.publishing.StageOutput.figure` does.

    Parameters
    ----------
    figure
        The figure; changed in place.

    Returns
    -------
    matplotlib.figure.Figure
        The same figure.
    """
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        text.set_parse_math(False)
    return figure


def _formula_like(text: str) -> bool:
    """Whether a text begins, after any single quotes, with a formula character."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_text(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would read as a formula (OWASP [2]_).

    A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading single quote, which spreadsheets show as text and never evaluate. A text that
    is a plain number (``-3.2``, ``+1e5``) is left alone: it is no formula, and the quote
    would turn a number into text. So that the change can be undone exactly
    (:func:`text_from_spreadsheet`), a text that already begins with quotes followed by
    such a character gets one more quote. Values that are not text are returned unchanged.

    Parameters
    ----------
    value
        A cell's value.

    Returns
    -------
    Any
        The value, with ``'`` in front if it is formula-like text.

    Examples
    --------
    >>> spreadsheet_text('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> spreadsheet_text("-3.2"), spreadsheet_text(-3.2), spreadsheet_text("Nursing")
    ('-3.2', -3.2, 'Nursing')
    """
    if not isinstance(value, str) or not _formula_like(value) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def text_from_spreadsheet(value: Any) -> Any:
    """The original text of a cell written with :func:`spreadsheet_text`.

    For code that reads a published CSV back (a survey pack reads the survey stage's
    tables): the one quote that :func:`spreadsheet_text` added is removed.

    Parameters
    ----------
    value
        A cell's value as read from the CSV.

    Returns
    -------
    Any
        The value before :func:`spreadsheet_text`.

    Examples
    --------
    >>> [text_from_spreadsheet(spreadsheet_text(t)) for t in ["=1+1", "'=1", "'x", "-2"]]
    ['=1+1', "'=1", "'x", '-2']
    """
    if isinstance(value, str) and value.startswith("'") and _formula_like(value):
        return value[1:]
    return value


def spreadsheet_cells(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with :func:`spreadsheet_text` applied to every text cell.

    Numbers stay numbers; only ``str`` cells can change.

    Parameters
    ----------
    table
        The table about to be written as CSV or to a workbook.

    Returns
    -------
    pandas.DataFrame
        The neutralised copy (the same object when no column can hold text).
    """
    import pandas as pd

    text_columns = [
        column
        for column in table.columns
        if not pd.api.types.is_numeric_dtype(table[column])
        and not pd.api.types.is_bool_dtype(table[column])
    ]
    if not text_columns:
        return table
    neutralised = table.copy()
    for column in text_columns:
        # kept as objects: inferring a dtype would turn a count column with hidden (empty)
        # cells into floats, and 479 would be written as 479.0
        neutralised[column] = pd.Series(
            [spreadsheet_text(value) for value in table[column]],
            index=table.index,
            dtype=object,
        )
    return neutralised


# Making Data Count's icons (analysis.indicators.spc_icons) are inline SVG. Exactly their
# elements and attributes are allowed, and each attribute only with a value of the icons'
# form (numbers, #rrggbb colours, a few keywords): no SVG element that links, loads, embeds
# or animates (<a> in SVG keeps HTML's link rules; <use>, <image>, <foreignObject>,
# <animate>, <set>, <desc> are removed) and no url(...) paint. <title> holds the icon's words.
_NUMBER = r"\d+(?:\.\d+)?"
_SVG_ATTRIBUTE_VALUES = {
    "xmlns": re.compile(r"http://www\.w3\.org/2000/svg"),
    "viewBox": re.compile(rf"{_NUMBER}(?: {_NUMBER}){{3}}"),
    "points": re.compile(rf"{_NUMBER},{_NUMBER}(?: {_NUMBER},{_NUMBER})*"),
    "fill": re.compile(r"#[0-9a-fA-F]{6}|none"),
    "stroke": re.compile(r"#[0-9a-fA-F]{6}|none"),
    "font-family": re.compile(r"[A-Za-z][A-Za-z ,-]*"),
    "font-weight": re.compile(r"bold|normal"),
    "text-anchor": re.compile(r"start|middle|end"),
    **{
        name: re.compile(_NUMBER)
        for name in ("width", "height", "cx", "cy", "r", "x", "y", "stroke-width", "font-size")
    },
}
_SVG_ATTRIBUTES = {
    "svg": {"xmlns", "viewBox", "width", "height"},
    "circle": {"cx", "cy", "r", "fill", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "text": {"x", "y", "font-family", "font-size", "font-weight", "text-anchor", "fill"},
    "title": set(),
}


# What the reports' outputs may hold: the HTML that the suite's own displays write
# (published tables, figures, role-profile grids) and that Markdown renders to. Anything
# else is removed; <script>, <style> and the like are removed with their content.
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "svg", "title", "circle", "polyline", "text",  # the SPC icons: see _SVG_ATTRIBUTES
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "style", "role", "lang", "dir", "tabindex"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "abbr"},
    "td": {"colspan", "rowspan", "headers"},
    "col": {"span"},
    "details": {"open"},
    "ol": {"start"},
    **_SVG_ATTRIBUTES,
}
_ALLOWED_STYLE_PROPERTIES = {
    "text-align", "background", "background-color", "color", "font-weight", "font-style", "width",
    "min-width", "white-space", "border", "padding", "padding-left", "margin", "vertical-align",
}  # fmt: skip
_REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
_IMAGE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
# Anything in a style that could load (url(), image(), image-set(), @import), run
# (expression()) or hide either behind a CSS escape.
_STYLE_THAT_LOADS = re.compile(r"url\s*\(|image(?:-set)?\s*\(|expression\s*\(|@import|\\", re.I)


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Images only as embedded pictures; no ``data:`` link (it could hold a page); no style
    that loads; the icons' SVG attributes only with values of their form."""
    address = value.strip()
    if element == "img" and attribute == "src":
        return address if _IMAGE_DATA.fullmatch(address) else None
    if attribute == "href" and address.lower().startswith("data:"):
        return None
    if attribute == "style" and _STYLE_THAT_LOADS.search(value):
        return None
    if element in _SVG_ATTRIBUTES and attribute in _SVG_ATTRIBUTES[element]:
        return value if _SVG_ATTRIBUTE_VALUES[attribute].fullmatch(address) else None
    return value


def sanitise_html(fragment: str) -> str:
    """Clean an HTML fragment with an allow-list: what could run or load is removed.

    Uses nh3, the Python binding of the Rust sanitiser ammonia (html5ever parses the
    fragment as a browser would). Kept: the tags and attributes of tables, figures,
    headings, lists, links, folds (``<details>``) and text; ``style`` only with layout and
    colour properties and nothing that loads (``url()``, ``image-set()``, ``@import``, CSS
    escapes); links only to ``http``, ``https``, ``mailto`` and relative or ``#``
    addresses; images only as embedded ``data:image/...;base64`` pictures (a report loads
    nothing); the Making Data Count icons' inline SVG (``<svg>``, ``<title>``,
    ``<circle>``, ``<polyline>``, ``<text>``, each attribute only with a value of the
    icons' form: numbers, ``#rrggbb`` colours, a few keywords). Removed: ``<script>``,
    ``<style>``, ``<iframe>``, ``<object>``, ``<embed>`` (with their content), every other
    tag (its text is kept; in SVG: ``<use>``, ``<image>``, ``<foreignObject>``,
    ``<animate>``, ``<set>``...), event handlers such as ``onerror``, ``ontoggle`` or
    ``onbegin``, and ``javascript:`` or
    ``data:text/html`` URLs.

    Parameters
    ----------
    fragment
        An output's HTML (not a whole page: the report's own template is trusted).

    Returns
    -------
    str
        The cleaned HTML.

    References
    ----------
    .. [5] nh3, https://nh3.readthedocs.io/; ammonia, https://github.com/rust-ammonia/ammonia

    Examples
    --------
    >>> sanitise_html('<p onclick="x()">Hi<script>alert(1)</script><img src=x alt=""></p>')
    '<p>Hi<img alt=""></p>'
    """
    import nh3

    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_REMOVED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes={"http", "https", "mailto", "data"},
        filter_style_properties=_ALLOWED_STYLE_PROPERTIES,
        strip_comments=True,
    )
