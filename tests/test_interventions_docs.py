"""docs/interventions-tables.md documents every table the interventions stage publishes,
with exactly its columns, in order."""

from __future__ import annotations

from documented_tables import DOCS, documented_columns, published_columns


def test_the_parser_reads_rows_naming_several_columns():
    text = "## a.csv\n\n| column | meaning |\n| --- | --- |\n| `x`, `y` | both |\n"
    text += "| `z` | one, not `q` |\n## Other\n| `w` | not a table |\n"
    assert documented_columns(text) == {"a.csv": ["x", "y", "z"]}


def test_every_published_table_is_documented_with_its_columns(demo_run):
    text = (DOCS / "interventions-tables.md").read_text(encoding="utf-8")
    documented = documented_columns(text)
    published = published_columns(demo_run, "interventions")
    assert set(published) == set(documented)
    for name, header in published.items():
        assert header == documented[name], name
