"""Rendering an executed notebook as a report: no code, nothing fetched, a contents list, alt text.

These tests build small notebooks in memory (with outputs, as if executed), so no kernel runs.
"""

from __future__ import annotations

import base64
import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.pipeline.render import (
    Heading,
    RenderError,
    hide_machine_paths,
    render_notebook,
    source_cell_number,
    table_of_contents,
)

# A 1x1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
        "3a7e9b550000000a49444154789c636000000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def executed_notebook(*extra_cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: parameters, injected parameters, outputs."""
    cells = [
        new_markdown_cell("# Survey results\n\nWhat staff said.\n\n## By directorate"),
        new_code_cell('data_dir = "../data/demo"', metadata={"tags": ["parameters"]}),
        new_code_cell('data_dir = "/srv/data/demo"', metadata={"tags": ["injected-parameters"]}),
        new_code_cell(
            "secret_code_marker = compute_things()",
            execution_count=3,
            outputs=[new_output("stream", name="stdout", text="42 respondents\n")],
        ),
        new_markdown_cell("### How to read it\n\n#### Not in the contents"),
        *extra_cells,
    ]
    return new_notebook(cells=cells)


def render(notebook: nbformat.NotebookNode, **options: object) -> str:
    defaults = {"title": "Survey", "organisation": "Northfield <Primary> Care Trust"}
    return render_notebook(notebook, **{**defaults, **options})


def test_report_shows_outputs_and_markdown_but_no_code_or_prompts() -> None:
    page = render(executed_notebook())
    assert "42 respondents" in page and "What staff said." in page
    assert "secret_code_marker" not in page and "compute_things" not in page
    assert not re.search(r'<div class="[^"]*jp-(Input|Output)Prompt', page)
    assert not re.search(
        r'<div class="[^"]*jp-InputArea[^"]*"[^>]*>\s*<div class="[^"]*jp-Editor', page
    )
    assert "In&nbsp;[" not in page


def test_report_loads_nothing_from_the_internet() -> None:
    page = render(executed_notebook())
    assert not re.search(r"<script[^>]+src=", page), "a script is loaded from a file or URL"
    assert not re.search(r"<link[^>]+href=", page), "a style sheet or font is loaded"
    assert "@import" not in page and "@font-face" not in page
    for cdn in ("cdnjs", "unpkg", "jsdelivr", "require.min.js", "MathJax.js", "mathjax"):
        assert cdn not in page


def test_title_and_banner_name_the_stage_and_organisation() -> None:
    page = render(executed_notebook(), context="Staff survey 2008", index_href="index.html")
    assert "<title>Survey – Northfield &lt;Primary&gt; Care Trust</title>" in page
    assert '<span class="report-context">Staff survey 2008</span>' in page
    assert '<a href="index.html">All reports of this run</a>' in page


def test_contents_lists_h1_to_h3_nested_with_their_ids() -> None:
    page = render(executed_notebook())
    nav = page[page.index("<nav") : page.index("</nav>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    assert links == [
        ("Survey-results", "Survey results"),
        ("By-directorate", "By directorate"),
        ("How-to-read-it", "How to read it"),
    ]
    for target, _ in links:
        assert f'id="{target}"' in page
    # h2 inside h1's list, h3 inside h2's: three nested lists.
    assert nav.count("<ol>") == 3
    assert page.index("<nav") < page.index('<main id="report">')


def test_contents_nests_headings_that_skip_a_level() -> None:
    nav = table_of_contents(
        [Heading(1, "a", "A"), Heading(3, "b", "B <&>"), Heading(2, "c", "C"), Heading(1, "d", "D")]
    )
    items = re.sub(r"\s+", "", nav[nav.index("<ol>") : nav.rindex("</ol>") + 5])
    assert items == (
        '<ol><li><ahref="#a">A</a><ol><li><ahref="#b">B&lt;&amp;&gt;</a></li></ol>'
        '<ol><li><ahref="#c">C</a></li></ol></li><li><ahref="#d">D</a></li></ol>'
    )
    assert table_of_contents([]) == ""


def test_an_image_without_alt_text_stops_the_render_naming_its_cell() -> None:
    figure = new_code_cell(
        "plt.show()",
        execution_count=4,
        outputs=[new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})],
    )
    # Written notebook: markdown, parameters, code, markdown, figure -> the figure is cell 5;
    # the injected-parameters cell that papermill added is not counted.
    with pytest.raises(RenderError, match=r"1 image\(s\) without alt text \(cell 5\)"):
        render(executed_notebook(figure))


@pytest.mark.parametrize(
    "cell",
    [
        new_markdown_cell(f"![](data:image/png;base64,{PNG})"),
        new_code_cell(
            "show()",
            outputs=[
                new_output(
                    "display_data", data={"text/html": f'<img src="data:image/png;base64,{PNG}">'}
                )
            ],
        ),
        new_code_cell(
            "show()",
            outputs=[
                new_output(
                    "display_data",
                    data={"text/html": f'<img alt="  " src="data:image/png;base64,{PNG}">'},
                )
            ],
        ),
    ],
    ids=["markdown-empty-alt", "html-no-alt", "html-blank-alt"],
)
def test_every_kind_of_undescribed_image_is_caught(cell: nbformat.NotebookNode) -> None:
    with pytest.raises(RenderError, match="without alt text"):
        render(executed_notebook(cell))


def test_a_described_figure_renders() -> None:
    figure = new_code_cell(
        "out.figure(fig, 'rates', alt='Bar chart of response rates')",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/html": f'<figure><img src="data:image/png;base64,{PNG}" '
                    'alt="Bar chart of response rates"><figcaption>Rates</figcaption></figure>'
                },
            )
        ],
    )
    page = render(executed_notebook(figure))
    assert 'alt="Bar chart of response rates"' in page


def test_machine_paths_are_hidden_from_the_page() -> None:
    failing = new_code_cell(
        "boom()",
        outputs=[
            new_output(
                "error",
                ename="FileNotFoundError",
                evalue="/home/me/project/data/demo/staff.csv",
                traceback=[
                    "File /home/me/project/analysis/survey.py:12",
                    "FileNotFoundError: /home/me/project/data/demo/staff.csv",
                ],
            )
        ],
    )
    page = render(
        executed_notebook(failing),
        hide_paths={"/home/me/project": "[project]", "/home/me": "~"},
    )
    assert "/home/me" not in page
    assert "[project]/data/demo/staff.csv" in page and "[project]/analysis/survey.py" in page


def test_hiding_paths_replaces_whole_folder_names_longest_first() -> None:
    paths = {"/home/me": "~", "/home/me/project": "[project]"}
    text = "/home/me/project/a.py /home/me/notes /home/melissa/x /home/me"
    assert hide_machine_paths(text, paths) == "[project]/a.py ~/notes /home/melissa/x ~"
    assert hide_machine_paths("unchanged", {}) == "unchanged"


def test_cell_numbers_ignore_cells_papermill_added() -> None:
    notebook = executed_notebook()
    # 0 markdown, 1 parameters, 2 injected (added), 3 code, 4 markdown
    assert [source_cell_number(notebook, i) for i in range(5)] == [1, 2, None, 3, 4]
    with pytest.raises(ValueError, match="there is no cell 5"):
        source_cell_number(notebook, 5)


def test_what_a_cell_missed_escaping_is_cleaned_but_the_template_and_figures_stay() -> None:
    unescaped = new_code_cell(
        "display(HTML(name))",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/html": '<p onclick="window.__xss=1">Ward <script>window.__xss=1'
                    '</script><a href="javascript:window.__xss=1">link</a>'
                    '<iframe srcdoc="x"></iframe><img src="x" alt="tracker"></p>'
                },
            ),
            new_output(
                "display_data",
                data={"text/markdown": "[x](javascript:alert(1)) <svg onload=alert(1)>"},
            ),
        ],
    )
    figure = new_code_cell(
        "out.figure(fig, 'rates', alt='Bar chart')",
        outputs=[
            new_output(
                "display_data",
                data={"text/html": f'<img src="data:image/png;base64,{PNG}" alt="Bar chart">'},
            )
        ],
    )
    page = render(executed_notebook(unescaped, figure))
    main = page[page.index('<main id="report">') :]
    for removed in ("<script", "onclick", "javascript:", "<iframe", "onload", 'src="x"'):
        assert removed not in main, removed
    # <svg> is allowed for the SPC icons: the payload's is left empty and inert
    assert re.findall(r"<svg.*?</svg>", main, re.S) == ["<svg></svg>"]
    assert "Ward" in main and "link" in main
    embedded = re.escape(f'src="data:image/png;base64,{PNG}"')
    assert re.search(f'<img (?=[^>]*alt="Bar chart")(?=[^>]*{embedded})', main)
    assert page.count("<style") == page[: page.index('<main id="report">')].count("<style") >= 1
    assert "Northfield &lt;Primary&gt; Care Trust" in page


def test_a_comment_holding_an_image_tag_renders_as_text() -> None:
    from analysis.comments.quotes import quotes_markdown

    quotes = pd.DataFrame(
        {
            "code_id": ["staffing"],
            "rank": [1],
            "comment_id": ["C1"],
            "year": [2024],
            "quote": ['<img src="x"> more staff\nplease'],
        }  # fmt: skip
    )
    shown = quotes_markdown(quotes, {"staffing": "Staffing <b>levels</b>"})
    cell = new_code_cell(
        "quotes", outputs=[new_output("display_data", data={"text/markdown": shown.data})]
    )
    page = render(executed_notebook(cell))
    assert "&lt;img src=&quot;x&quot;&gt; more staff please" in page or (
        '&lt;img src="x"&gt; more staff please' in page
    )
    assert "Staffing &lt;b&gt;levels&lt;/b&gt;" in page


def test_the_appendix_ends_the_main_part_and_joins_the_contents() -> None:
    from analysis.summary.methods import methods_section

    appendix = methods_section(["wilson"], {"output_dir": "/home/me/run"}, changed=[])
    page = render(executed_notebook(), appendix=appendix, hide_paths={"/home/me/run": "[run]"})
    main = page[page.index('<main id="report">') : page.rindex("</main>")]
    assert main.rstrip().endswith("</section>")
    assert 'id="methods-and-references"' in main
    assert 'href="#methods-and-references"' in page  # listed in the table of contents
    assert "/home/me/run" not in page and "[run]" in page
