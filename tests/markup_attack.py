"""A data package whose every text field that reaches a report holds an XSS payload.

:func:`write_attack_package` writes the demo organisation's package and then rewrites, in
every table that holds them (so that the package stays consistent and valid), the names and
texts readers see: the organisation, directorates, staff groups, teams, role names and
purposes, comments, codebook labels, indicator and objective names, action text, course
names and objectives, and questionnaire wording. Each new value keeps the old one (the
pipeline still finds its groups) and adds a payload from the OWASP XSS Filter Evasion Cheat
Sheet (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html);
some values begin with ``=``, ``+``, ``-`` or ``@``, as a CSV-injection attack would.

Every payload that runs sets ``window.__xss`` (or the page's title to ``pwned``, or opens a
dialog), which the browser test checks after loading each page.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

__all__ = ["FORMULA_PREFIXES", "PAYLOADS", "write_attack_package"]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<svg onload=window.__xss=1>",
    "<img src=x onerror=window.__xss=1>",
    '<img src="x">',
    "<details open ontoggle=window.__xss=1>",
    "[click](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">click</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '"><script>document.title=`pwned`</script>',
    "'><img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} {% raw %}",
    "$\\alpha$ and $x^2$",
    "<IMG SRC=JaVaScRiPt:window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<style>@import 'http://evil.invalid/x.css';</style>",
    "<object data=javascript:window.__xss=1></object>",
    # aimed at the inline SVG the sanitiser allows for the SPC icons, and at style
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    '<svg><a href="javascript:window.__xss=1"><text x=1 y=9>click</text></a></svg>',
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/></svg>',
    "<svg><foreignObject><img src=x onerror=window.__xss=1></foreignObject></svg>",
    '<p style="background:url(http://evil.invalid/x.png)">styled</p>',
    "<title>pwned</title>",
]
"""Payloads from the OWASP XSS Filter Evasion Cheat Sheet, plus template and mathtext ones,
and ones aimed at the SPC icons' SVG elements and at style attributes."""

FORMULA_PREFIXES = ["", "=", "+", "-", "@"]
"""What some rewritten values begin with (OWASP CSV injection)."""


class _Attack:
    """Hands out payloads in turn and remembers each value's new text, per kind of name."""

    def __init__(self) -> None:
        self._payloads = itertools.cycle(PAYLOADS)
        self._prefixes = itertools.cycle(FORMULA_PREFIXES)
        self.names: dict[str, dict[str, str]] = {}

    def __call__(self, kind: str, value: Any, *, prefix: bool = True) -> Any:
        if not isinstance(value, str) or not value:
            return value
        names = self.names.setdefault(kind, {})
        if value not in names:
            start = next(self._prefixes) if prefix else ""
            names[value] = f"{start}{value} {next(self._payloads)}"
        return names[value]

    def column(self, table: pd.DataFrame, column: str, kind: str, **options: Any) -> None:
        if column in table.columns:
            table[column] = table[column].map(lambda value: self(kind, value, **options))


def write_attack_package(folder: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """Write the demo package with every shown text attacked.

    Parameters
    ----------
    folder
        Where to write the package.

    Returns
    -------
    tuple
        The package folder, and per kind of name (``organisation``, ``directorate``, ...)
        each original value's attacked text.
    """
    from demo_generator import write_demo

    package = Path(write_demo(folder))
    attack = _Attack()

    def table(name: str) -> pd.DataFrame:
        return pd.read_csv(package / f"{name}.csv", dtype=str, keep_default_na=False)

    def save(name: str, frame: pd.DataFrame) -> None:
        frame.to_csv(package / f"{name}.csv", index=False)

    description = yaml.safe_load((package / "dataset.yml").read_text(encoding="utf-8"))
    description["organisation"]["name"] = attack(
        "organisation", description["organisation"]["name"], prefix=False
    )
    (package / "dataset.yml").write_text(yaml.safe_dump(description), encoding="utf-8")

    for name, columns in {
        "responses": {"directorate": "directorate", "staff_group": "staff_group"},
        "staff": {"directorate": "directorate", "staff_group": "staff_group"},
        "teams": {"directorate": "directorate", "team_name": "team"},
        "comparator_profile": {"staff_group": "staff_group"},
        "role_profiles": {"staff_group": "staff_group", "role_name": "role", "purpose": "text"},
        "staff_list": {"staff_group": "staff_group"},
        "comments": {"text": "comment"},
        "action_plans": {"action": "text", "owner_role": "text"},
        "action_reviews": {"note": "text"},
        "courses": {"course_name": "course", "objective": "text"},
        "training_evaluations": {"course_name": "course"},
        "questionnaire": {"wording": "wording"},
    }.items():
        frame = table(name)
        for column, kind in columns.items():
            attack.column(frame, column, kind)
        if name == "action_plans":
            # "All" means the whole organisation; other directorates are renamed as above.
            frame["directorate"] = frame["directorate"].map(
                lambda value: value if value == "All" else attack("directorate", value)
            )
        save(name, frame)

    codebook = yaml.safe_load((package / "codebook.yml").read_text(encoding="utf-8"))
    for theme in codebook:
        theme["label"] = attack("code_label", theme["label"])
        for code in theme.get("codes", []):
            code["label"] = attack("code_label", code["label"])
    (package / "codebook.yml").write_text(yaml.safe_dump(codebook), encoding="utf-8")

    model = yaml.safe_load((package / "indicators.yml").read_text(encoding="utf-8"))
    for objective in model["objectives"]:
        objective["name"] = attack("objective", objective["name"])
    renamed_directorates = attack.names.get("directorate", {})
    for indicator in model["indicators"]:
        indicator["name"] = attack("indicator", indicator["name"], prefix=False)
        for change in indicator.get("recalculate_at", []):
            # a declared change names its unit as the package does, so it follows the renaming
            change["unit"] = renamed_directorates.get(change.get("unit"), change.get("unit"))
            change["reason"] = attack("change_reason", change["reason"], prefix=False)
    (package / "indicators.yml").write_text(yaml.safe_dump(model), encoding="utf-8")
    return package, attack.names
