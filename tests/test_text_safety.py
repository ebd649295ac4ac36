"""Text from the data shows as text: escaping for HTML, Markdown, figures and spreadsheets.

References: OWASP "CSV Injection" (the formula prefixes ``=``, ``+``, ``-``, ``@``, tab and
carriage return, neutralised with a leading ``'``); CommonMark 0.31.2 section 2.4 (every
ASCII punctuation character may be backslash-escaped); the reports' own Markdown renderer,
nbconvert's ``markdown2html_mistune``, decides what the escaped text looks like on the page.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.text_safety import (  # noqa: E402
    html_text,
    literal_figure_text,
    markdown,
    markdown_list,
    markdown_text,
    sanitise_html,
    spreadsheet_cells,
    spreadsheet_text,
    text_from_spreadsheet,
)

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<svg onload=window.__xss=1>",
    "<img src=x onerror=window.__xss=1>",
    '<img src="x">',
    "<details open ontoggle=window.__xss=1>",
    "[click](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">click</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "$\\alpha$ and $$x^2$$",
    "**bold** _it_ `code` # not a heading | a | b |",
    "1. not a list\n- nor this\n> nor a quote",
    "&lt;script&gt; &amp; &#60;b&#62; \\*",
    "<<SCRIPT>window.__xss=1//<</SCRIPT>",
    "<IMG SRC=JaVaScRiPt:window.__xss=1>",
    "<BODY ONLOAD=window.__xss=1>",
    "Café – £5 <b>",
]
SVG_PAYLOADS = [
    # what the SPC icons' allow-list (svg, title, circle, polyline, text) might be abused with
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/></svg>',
    '<svg><set attributeName="onmouseover" to="window.__xss=1"/></svg>',
    '<svg><a href="javascript:window.__xss=1"><text x="1" y="9">click</text></a></svg>',
    '<svg><a xlink:href="javascript:window.__xss=1"><text>click</text></a></svg>',
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/></svg>',
    "<svg><foreignObject><img src=x onerror=window.__xss=1></foreignObject></svg>",
    "<svg><title><img src=x onerror=window.__xss=1></title></svg>",
    "<svg><desc><img src=x onerror=window.__xss=1></desc></svg>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><image href=https://evil.invalid/x.png /></svg>",
    '<svg><circle r="9" fill="url(https://evil.invalid/p.svg#g)" onclick="window.__xss=1"/></svg>',
    '<svg><text font-family="x;background:url(https://evil.invalid/x)">t</text></svg>',
    '<svg style="background:url(https://evil.invalid/x.png)"><circle r="1"/></svg>',
    '<p style="background:url(https://evil.invalid/x.png)">tracked</p>',
    '<p style="color:red;background:u\\72l(https://evil.invalid/x.png)">escaped</p>',
    '<svg></p><style><a id="</style><img src=1 onerror=window.__xss=1>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<svg><svg onload=window.__xss=1></svg></svg>",
    "<title>pwned</title>",
]
PAYLOADS += SVG_PAYLOADS


class _Page(HTMLParser):
    """The text and the elements of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Page:
    page = _Page()
    page.feed(fragment)
    page.close()
    return page


def _rendered(markdown_source: str) -> _Page:
    """Markdown as the reports render it (nbconvert's mistune filter), parsed."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return _parse(markdown2html_mistune(markdown_source))


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_each_owasp_formula_prefix_gets_a_quote(prefix: str) -> None:
    cell = f'{prefix}HYPERLINK("http://x","y")'
    assert spreadsheet_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3.2", "+1", "-0.5e-3", "12", "Nursing", "", "'quoted", "a=b"])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert spreadsheet_text(cell) == cell


@pytest.mark.parametrize("cell", ["=1+1", "'=1+1", "''@x", "'plain", "-2", "-x", "\t=1", "x"])
def test_the_quote_can_be_taken_off_again_exactly(cell: str) -> None:
    written = spreadsheet_text(cell)
    assert not written.startswith(("=", "+", "@", "\t", "\r")), written
    assert text_from_spreadsheet(written) == cell


def test_values_that_are_not_text_are_left_alone() -> None:
    assert spreadsheet_text(-3.2) == -3.2
    assert spreadsheet_text(None) is None


def test_spreadsheet_cells_changes_text_columns_only() -> None:
    table = pd.DataFrame(
        {
            "team": ["=1+1", "@SUM(A1)", "Ward 3"],
            "change": [-3.2, 1.0, -0.1],
            "label": ["-x", None, "-2"],
        }
    )
    cells = spreadsheet_cells(table)
    assert cells["team"].tolist() == ["'=1+1", "'@SUM(A1)", "Ward 3"]
    assert cells["change"].tolist() == [-3.2, 1.0, -0.1]
    assert cells["label"].iloc[0] == "'-x" and pd.isna(cells["label"].iloc[1])
    assert cells["label"].iloc[2] == "-2"
    assert table["team"].iloc[0] == "=1+1", "the table given is not changed"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_is_text_in_an_element_and_in_an_attribute(payload: str) -> None:
    in_element = _parse(f"<p>{html_text(payload)}</p>")
    assert in_element.tags == [("p", {})]
    assert "".join(in_element.text) == payload
    in_attribute = _parse(f'<img alt="{html_text(payload)}">')
    assert in_attribute.tags == [("img", {"alt": payload})]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_renders_as_the_text_itself(payload: str) -> None:
    page = _rendered(markdown_text(payload))
    assert [tag for tag, _ in page.tags] == ["p"], page.tags
    # Line breaks become spaces: the text stays inline.
    assert "".join(page.text).strip() == " ".join(payload.splitlines()).strip()


def test_markdown_fills_a_template_and_escapes_only_the_fields() -> None:
    shown = markdown(
        "**{name}**: {n:,} staff, {share:.0%}", name="<b>*Ward*</b>", n=1234, share=0.5
    )
    page = _rendered(shown.data)
    assert [tag for tag, _ in page.tags] == ["p", "strong"]
    assert "".join(page.text).strip() == "<b>*Ward*</b>: 1,234 staff, 50%"


def test_markdown_list_makes_one_item_per_row_with_escaped_cells() -> None:
    rows = pd.DataFrame({"team": ["[x](javascript:1)", "B"], "change": [1.25, -2.0]})
    shown = markdown_list("- **{team}**: {change:+.1f}", rows, before="By team ({n}):\n\n", n=2)
    page = _rendered(shown.data)
    assert [tag for tag, _ in page.tags] == ["p", "ul", "li", "strong", "li", "strong"]
    text = "".join(page.text)
    assert "[x](javascript:1): +1.2" in text and "B: -2.0" in text and "By team (2):" in text
    assert not any(attributes for _, attributes in page.tags)


def test_missing_values_show_as_nothing() -> None:
    assert markdown("[{a}][{b}]", a=None, b=float("nan")).data == "[][]"


def test_figure_text_is_drawn_literally_even_when_it_is_invalid_mathtext() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    def draw(literal: bool) -> None:
        figure, axes = plt.subplots()
        axes.bar([r"$\notacommand{$", "$x^2$"], [1, 2])
        axes.set_title(r"$\frac{1}{$ team")
        try:
            with matplotlib.rc_context({"text.parse_math": not literal}):
                if literal:
                    literal_figure_text(figure)
                figure.savefig(io.BytesIO(), format="png")
            assert not any(text.get_parse_math() for text in figure.findobj(Text))
        finally:
            plt.close(figure)

    # Matplotlib itself rejects the labels as mathtext (the reference behaviour) ...
    with pytest.raises(ValueError):
        draw(literal=False)
    # ... and draws them as plain text once told to.
    draw(literal=True)


# The SPC icons' elements and attributes (analysis/indicators/spc_icons.py), as parsed.
_ICON_ATTRIBUTES = {
    "svg": {"xmlns", "viewbox", "width", "height", "aria-label"},
    "title": set(),
    "circle": {"cx", "cy", "r", "fill", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "text": {"x", "y", "font-family", "font-size", "font-weight", "text-anchor", "fill"}
    | {"aria-hidden"},
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_leaves_nothing_that_runs(payload: str) -> None:
    cleaned = _parse(sanitise_html(f"<div>{payload}</div>"))
    for tag, attributes in cleaned.tags:
        # <details> is kept (the reports fold long tables) but never with its ontoggle
        assert tag not in {"script", "iframe", "body", "style", "object"}
        assert tag not in {"use", "image", "foreignobject", "animate", "set", "desc", "math"}
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        # nothing can load: no url(...) in any attribute (style, fill, font-family...)
        values = "".join(value or "" for value in attributes.values()).replace(" ", "").lower()
        assert "url(" not in values and "\\" not in values, (tag, attributes)
        if tag in _ICON_ATTRIBUTES:
            assert set(attributes) <= _ICON_ATTRIBUTES[tag] | {"role", "style"}, attributes
        for name in ("href", "src", "srcdoc"):
            value = (attributes.get(name) or "").replace(" ", "").lower()
            assert not value.startswith(("javascript:", "data:text")), (tag, attributes)
        if tag == "img":
            assert "src" not in attributes, "only embedded data:image pictures may load"


def test_sanitiser_keeps_the_suites_own_tables_and_figures() -> None:
    from analysis.publishing import DisplayedFigure, PublishedTable

    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    figure = DisplayedFigure(path=None, alt="Bar chart <of> teams", caption="A & B", png=png)
    table = PublishedTable(
        data=pd.DataFrame({"team": ["<Ward>", "B"], "n": [12, 30], "suppressed": [False, True]}),
        title="Teams",
        note="note",
        count="n",
        dimensions=("team",),
        values=(),
        minimum=11,
        csv_path=None,
        json_path=None,
        shown_columns=("team", "n"),
    )

    def elements(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
        """Tags and attributes; the sanitiser writes ``text-align:left`` without the space."""
        return [
            (tag, {name: (value or "").replace(" ", "") for name, value in attributes.items()})
            for tag, attributes in _parse(fragment).tags
        ]

    for fragment in (figure._repr_html_(), table._repr_html_()):
        cleaned = sanitise_html(fragment)
        assert elements(cleaned) == elements(fragment)
        assert "".join(_parse(cleaned).text) == "".join(_parse(fragment).text)


def test_sanitiser_defuses_svg_payloads_as_measured() -> None:
    # What nh3 0.3.8 (ammonia) with the suite's allow-list makes of the SVG abuse payloads,
    # measured: the foreign elements go with their content, handlers and url() values go.
    expected = {
        SVG_PAYLOADS[0]: "<svg></svg>",
        SVG_PAYLOADS[
            2
        ]: '<svg><a rel="noopener noreferrer"><text x="1" y="9">click</text></a></svg>',
        SVG_PAYLOADS[4]: "<svg></svg>",
        SVG_PAYLOADS[5]: "<svg></svg>",
        SVG_PAYLOADS[6]: "<svg><title></title></svg>",
        SVG_PAYLOADS[10]: '<svg><circle r="9"></circle></svg>',
        SVG_PAYLOADS[11]: "<svg><text>t</text></svg>",
        SVG_PAYLOADS[12]: '<svg><circle r="1"></circle></svg>',
        SVG_PAYLOADS[13]: "<p>tracked</p>",
        SVG_PAYLOADS[14]: "<p>escaped</p>",
    }
    for payload, cleaned in expected.items():
        assert sanitise_html(payload) == cleaned, payload


def test_sanitiser_keeps_the_spc_icons_and_matrix_exactly() -> None:
    import re

    from analysis.indicators.spc_icons import (
        ASSURANCE_ICONS,
        VARIATION_ICONS,
        chart_icons_html,
        icon_svg,
        summary_matrix_html,
    )

    summary = pd.DataFrame(
        {
            "indicator_id": ["a", "b"],
            "unit": ["Organisation", "<T1>"],
            "variation_icon": ["concern_high", "common_cause"],
            "assurance_icon": ["consistent_fail", None],
        }
    )
    chart = pd.DataFrame(
        {"variation_icon": ["improvement_low"], "assurance_icon": ["inconsistent"]}
    )
    fragments = [icon_svg(icon) for icon in (*VARIATION_ICONS, *ASSURANCE_ICONS, None)]
    fragments += [
        summary_matrix_html(summary, {"a": "Sickness & <b>absence</b>"}, caption="<M>"),
        chart_icons_html(chart),
    ]
    for fragment in fragments:
        # the sanitiser writes <circle ...></circle> for the self-closed <circle .../>
        expected = re.sub(r"<(\w+)([^<>]*?)/>", r"<\1\2></\1>", fragment)
        assert sanitise_html(fragment) == expected
