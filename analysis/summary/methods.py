"""Every report's last section, "Methods and references", and the run's copy of the methods.

Each stage declares the methods it uses (:data:`STAGE_METHODS`, keys of :data:`METHODS`);
each method has a one-line description, a reference and a heading in
``docs/statistics.md``. The pipeline writes that document, rendered to HTML with an id on
every heading, into the run folder (``docs/statistics.html``), so the section's links work
offline. The section also lists the stage's parameters, marking those changed with ``-p``.

Every string that reaches the section is escaped here (:func:`html.escape`): parameter values
come from the command line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analysis.publishing import write_atomically

__all__ = [
    "METHODS",
    "STAGE_METHODS",
    "STATISTICS_DOC",
    "STATISTICS_FILE",
    "Method",
    "heading_id",
    "method_anchor",
    "methods_section",
    "write_statistics_page",
]

STATISTICS_DOC = Path(__file__).resolve().parents[2] / "docs" / "statistics.md"
"""The methods document, ``docs/statistics.md``."""

STATISTICS_FILE = "docs/statistics.html"
"""Its rendered copy in a run folder."""


@dataclass(frozen=True)
class Method:
    """A method a report uses.

    Attributes
    ----------
    name
        What readers call it.
    description
        One line: what it is used for.
    reference
        The reference to cite.
    heading
        Text that starts its heading in ``docs/statistics.md`` (after the ``#``).
    """

    name: str
    description: str
    reference: str
    heading: str


METHODS: dict[str, Method] = {
    "disclosure": Method(
        "Small-group suppression",
        "figures on fewer respondents than the minimum group size, and figures that would "
        "reveal them by subtraction, are hidden as [c]",
        "Government Statistical Service (2021). Disclosure control guidance for tables.",
        "`suppress_small_groups",
    ),
    "wilson": Method(
        "Wilson score interval",
        "95% interval of a percent positive",
        "Wilson EB (1927). Journal of the American Statistical Association 22:209-212.",
        "`wilson_ci`",
    ),
    "two_proportion": Method(
        "Two-proportion z-test",
        "change since last year, a group against the rest, equality gaps",
        "Altman DG (1991). Practical statistics for medical research, section 10.7.",
        "`two_proportion_test`",
    ),
    "weighting": Method(
        "Non-response weighting",
        "weighted percentages re-balanced to the workforce's staff-group profile",
        "Kish L (1965). Survey sampling. Wiley.",
        "`nonresponse_weights`",
    ),
    "holm": Method(
        "Holm's adjustment for multiple testing",
        "counts of significant results over many questions",
        "Holm S (1979). Scandinavian Journal of Statistics 6:65-70.",
        "`adjust_p_values`",
    ),
    "theme_scores": Method(
        "0-10 theme scores",
        "each answer scored 0 to 10, averaged per respondent and theme",
        "NHS Staff Survey Coordination Centre. Technical guide to the survey's scores.",
        "`score_0_to_10`",
    ),
    "cronbach": Method(
        "Cronbach's alpha",
        "whether a theme's questions hang together",
        "Cronbach LJ (1951). Psychometrika 16:297-334.",
        "`cronbach_alpha`",
    ),
    "key_drivers": Method(
        "Key drivers (correlation)",
        "what goes with the chosen outcome",
        "Spearman C (1904). American Journal of Psychology 15:72-101.",
        "`key_drivers",
    ),
    "kappa": Method(
        "Cohen's kappa",
        "agreement between coders of comments",
        "Cohen J (1960). Educational and Psychological Measurement 20:37-46.",
        "Agreement between coders",
    ),
    "spc": Method(
        "Statistical process control (Making Data Count)",
        "variation and assurance icons of monthly indicators",
        "NHS England (2019). Making Data Count: strengthening your decisions.",
        "`spc(",
    ),
    "funnel": Method(
        "Funnel plots",
        "teams against the organisation's average, allowing for their size",
        "Spiegelhalter DJ (2005). Statistics in Medicine 24:1185-1202.",
        "`funnel(",
    ),
    "composite": Method(
        "Composite index",
        "indicators combined, with its sensitivity to the weights",
        "OECD/JRC (2008). Handbook on constructing composite indicators.",
        "`composite_index",
    ),
    "did": Method(
        "Difference in differences",
        "what an action changed beyond comparison teams",
        "Angrist JD, Pischke J-S (2009). Mostly harmless econometrics, chapter 5.",
        "`difference_in_differences",
    ),
    "its": Method(
        "Interrupted time series",
        "a change in level or trend after an action",
        "Bernal JL et al. (2017). International Journal of Epidemiology 46:348-355.",
        "`interrupted_time_series",
    ),
    "paired": Method(
        "Paired before-and-after change",
        "what a course changed in its participants' ratings",
        "Altman DG (1991). Practical statistics for medical research, section 9.5.",
        "`paired_effect",
    ),
    "wres_wdes": Method(
        "WRES/WDES-style equality indicators",
        "BME against white staff and disabled against non-disabled staff",
        "NHS England (2023). Workforce Race and Disability Equality Standards.",
        "Equality indicators",
    ),
}
"""Every method a report may list, by key."""

STAGE_METHODS: dict[str, tuple[str, ...]] = {
    "data_overview": ("disclosure",),
    "survey": (
        "disclosure",
        "wilson",
        "weighting",
        "theme_scores",
        "two_proportion",
        "holm",
        "cronbach",
        "key_drivers",
        "wres_wdes",
    ),
    "comments": ("disclosure", "kappa", "two_proportion", "holm"),
    "indicators": ("disclosure", "spc", "funnel", "composite", "wilson"),
    "interventions": ("disclosure", "did", "its", "paired"),
    "survey_pack": ("disclosure", "wilson", "two_proportion", "holm"),
}
"""The methods each stage's report uses, in the order it uses them."""


def heading_id(text: str) -> str:
    """The id of a heading, as GitHub makes it: lower case, punctuation dropped, ``-`` for spaces.

    Examples
    --------
    >>> heading_id("### `wilson_ci`".lstrip("# "))
    'wilson_ci'
    >>> heading_id("Agreement between coders (`analysis.comments.agreement`)")
    'agreement-between-coders-analysiscommentsagreement'
    """
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


@cache
def _headings() -> tuple[str, ...]:
    lines = STATISTICS_DOC.read_text(encoding="utf-8").splitlines()
    return tuple(line.lstrip("#").strip() for line in lines if re.match(r"#{1,4} ", line))


def method_anchor(key: str) -> str:
    """The id of a method's heading in ``docs/statistics.md``.

    Raises
    ------
    KeyError
        If no heading of the document starts with the method's ``heading``.
    """
    start = METHODS[key].heading
    for heading in _headings():
        if heading.startswith(start):
            return heading_id(heading)
    raise KeyError(f"docs/statistics.md has no heading starting with {start!r} (method {key!r})")


def _show(value: Any) -> str:
    return "None" if value is None else repr(value) if isinstance(value, str) else str(value)


def methods_section(
    methods: Iterable[str],
    manifest_or_parameters: Mapping[str, Any],
    changed: Iterable[str] = (),
    docs_prefix: str = "",
) -> str:
    """The "Methods and references" section as HTML, every string escaped.

    Parameters
    ----------
    methods
        Keys of :data:`METHODS`.
    manifest_or_parameters
        The run's manifest (its ``parameters`` are listed) or the parameters themselves.
    changed
        Names of parameters given with ``-p``: marked as changed.
    docs_prefix
        Path from the report to the run folder (``"../../"`` for a pack).

    Returns
    -------
    str
        ``<section id="methods-and-references">...</section>``.
    """
    parameters = manifest_or_parameters.get("parameters", manifest_or_parameters)
    changed = set(changed)
    link = f"{docs_prefix}{STATISTICS_FILE}"
    items = []
    for key in methods:
        method = METHODS[key]
        items.append(
            f'<li><a href="{html.escape(link)}#{html.escape(method_anchor(key))}">'
            f"{html.escape(method.name)}</a>: {html.escape(method.description)}. "
            f"{html.escape(method.reference)}</li>"
        )
    rows = []
    for name, value in parameters.items():
        mark = " <strong>(changed with -p)</strong>" if name in changed else ""
        rows.append(
            f'<tr><th scope="row"><code>{html.escape(str(name))}</code></th>'
            f"<td><code>{html.escape(_show(value))}</code>{mark}</td></tr>"
        )
    return (
        '<section class="methods" aria-labelledby="methods-and-references">'
        '<h2 id="methods-and-references">Methods and references</h2>'
        f"<ul>{''.join(items)}</ul>"
        f'<p>Formulas, checks against R and further references: <a href="{html.escape(link)}">'
        "statistics.html</a> (a copy of docs/statistics.md in this run's folder).</p>"
        "<table><caption>The run's parameters</caption>"
        '<thead><tr><th scope="col">Parameter</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def write_statistics_page(run_dir: Path | str) -> Path:
    """Render ``docs/statistics.md`` to ``{run_dir}/docs/statistics.html``, an id on every heading.

    The document is the project's own (trusted) text; it is rendered with mistune (already
    installed with nbconvert) with raw HTML escaped.
    """
    import mistune

    class _Renderer(mistune.HTMLRenderer):
        def heading(self, text: str, level: int, **attrs: Any) -> str:
            plain = re.sub(r"<[^>]+>", "", text)
            return f'<h{level} id="{heading_id(html.unescape(plain))}">{text}</h{level}>\n'

    render = mistune.create_markdown(renderer=_Renderer(escape=True), plugins=["table"])
    body = render(STATISTICS_DOC.read_text(encoding="utf-8"))
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Statistics: methods, formulas and references</title>\n<style>"
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;"
        "line-height:1.5}table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;"
        "padding:0.2rem 0.5rem;text-align:left}code{background:#f0f4f5}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
    return write_atomically(Path(run_dir) / STATISTICS_FILE, page.encode("utf-8"))
