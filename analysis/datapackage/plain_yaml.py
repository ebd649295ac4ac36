"""YAML without anchors, aliases or deep nesting: the only way the suite reads YAML.

A YAML alias (``*name``) repeats an anchored value (``&name``) by reference, so a file of a
kilobyte can stand for billions of values ("billion laughs"): PyYAML builds them all, or the
code walking the result never finishes. The data package's YAML files (``dataset.yml``,
``codebook.yml``, ``indicators.yml``) never need them, so they are refused, before anything
is built, with the line and column of the first one. Nesting deeper than
:data:`~analysis.datapackage.limits.MAX_YAML_DEPTH` and files larger than
:data:`~analysis.datapackage.limits.MAX_YAML_BYTES` are refused too (PyYAML composes
recursively, so deep nesting would otherwise end in a ``RecursionError``).

References
----------
"Billion laughs attack", https://en.wikipedia.org/wiki/Billion_laughs_attack; PyYAML issue
#1013 ("yaml.safe_load is not safe against alias expansion").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from analysis.datapackage.limits import MAX_YAML_BYTES, MAX_YAML_DEPTH

if TYPE_CHECKING:
    from analysis.datapackage.problem_log import ProblemLog

__all__ = [
    "KeyPath",
    "read_yaml",
    "YamlLimitError",
    "compose_plain_yaml",
    "describe_yaml_error",
    "dump_plain_yaml",
    "load_plain_yaml",
]

KeyPath = tuple[str | int, ...]
"""Where a value sits in a YAML file: its keys and list positions from the top."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class YamlLimitError(yaml.MarkedYAMLError):
    """Valid YAML the suite refuses: an anchor or alias, deep nesting, or a file too large."""

    def __str__(self) -> str:
        return str(self.problem)


def _refuse(problem: str, mark: Any = None) -> YamlLimitError:
    return YamlLimitError(problem=problem, problem_mark=mark)


def _check_events(text: str) -> None:
    """Scan the parser's events (nothing is built) for anchors, aliases and deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(
                f"an alias (*{event.anchor}) repeats another value; aliases are not "
                "allowed in the data package's YAML files: write the value out in full",
                event.start_mark,
            )
        if getattr(event, "anchor", None):
            raise _refuse(
                f"an anchor (&{event.anchor}) marks a value to repeat; anchors and aliases "
                "are not allowed in the data package's YAML files: write values out in full",
                event.start_mark,
            )
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _refuse(
                    f"lists and mappings are nested more than {MAX_YAML_DEPTH} deep; "
                    "the data package's YAML files never need that much",
                    event.start_mark,
                )
        elif isinstance(event, _CLOSES):
            depth -= 1


def compose_plain_yaml(text: str) -> yaml.Node | None:
    """Parse YAML text into its node tree, refusing anchors, aliases and deep nesting.

    Parameters
    ----------
    text
        The YAML text (one document).

    Returns
    -------
    yaml.Node or None
        The document's root node (each node keeps its ``start_mark`` for line numbers), or
        ``None`` for an empty document.

    Raises
    ------
    yaml.YAMLError
        A syntax error, or :class:`YamlLimitError` for what the suite refuses; both carry
        ``problem_mark`` (line and column) when known.

    Examples
    --------
    >>> compose_plain_yaml("a: [1, 2]").value[0][0].value
    'a'
    >>> compose_plain_yaml("a: &x [1]\\nb: *x")
    Traceback (most recent call last):
    ...
    analysis.datapackage.plain_yaml.YamlLimitError: an anchor (&x) marks a value to repeat; \
anchors and aliases are not allowed in the data package's YAML files: write values out in full
    """
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise _refuse(
            f"the file is {size:,} bytes; a data package's YAML file may be at most "
            f"{MAX_YAML_BYTES:,} bytes"
        )
    _check_events(text)
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_plain_yaml(text: str) -> Any:
    """Parse YAML text into Python values (as :func:`yaml.safe_load`), refusing aliases.

    Raises
    ------
    yaml.YAMLError
        As :func:`compose_plain_yaml`.

    Examples
    --------
    >>> load_plain_yaml("years: [2022, 2023]")
    {'years': [2022, 2023]}
    """
    node = compose_plain_yaml(text)
    if node is None:
        return None
    loader = _LOADER("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def describe_yaml_error(error: yaml.YAMLError) -> str:
    """One line for a YAML problem: ``line 3, column 5: ...``.

    A syntax error reads ``not valid YAML: ...``; what the suite refuses says why.
    """
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    if isinstance(error, YamlLimitError):
        return f"{where}{problem}"
    return f"{where}not valid YAML: {problem}"


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A safe dumper that writes a value used twice out twice, never as an anchor and alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_plain_yaml(value: Any, **options: Any) -> str:
    """Write values as YAML (as :func:`yaml.safe_dump`) without anchors and aliases.

    :func:`yaml.safe_dump` writes an object that appears twice as ``&id001`` and ``*id001``,
    which the suite's own readers refuse (:func:`compose_plain_yaml`); this writes it out
    in full each time.

    Parameters
    ----------
    value
        Plain Python values (dicts, lists, text, numbers, booleans, ``None``).
    **options
        Passed to :func:`yaml.dump` (``sort_keys``, ``allow_unicode``, ``width``...).

    Examples
    --------
    >>> shared = [1, 2]
    >>> print(dump_plain_yaml({"a": shared, "b": shared}, default_flow_style=True), end="")
    {a: [1, 2], b: [1, 2]}
    """
    return yaml.dump(value, Dumper=_PlainDumper, **options)


def read_yaml(data: bytes, file: str, log: ProblemLog) -> tuple[Any, dict[KeyPath, int]] | None:
    """Parse a YAML file, keeping the line on which each key and list item starts.

    Parameters
    ----------
    data
        The file's bytes (UTF-8).
    file
        Its name, for problems.
    log
        Receives a problem for text that is not UTF-8, a YAML syntax error (with its line
        and column), an anchor or alias, nesting or a file beyond the limits
        (:mod:`analysis.datapackage.plain_yaml`), or a key written twice in one mapping.

    Returns
    -------
    tuple or None
        ``(value, lines)`` where ``lines`` maps a path of keys and list positions to a
        1-based line number; ``None`` when the file cannot be parsed.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        log.add(file, f"line {line}: not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8")
        return None
    try:
        node = compose_plain_yaml(text)
        value = None if node is None else yaml.SafeLoader("").construct_document(node)
    except yaml.YAMLError as error:
        log.add(file, describe_yaml_error(error))
        return None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _index_lines(node, (), lines, file, log)
    return value, lines


def _index_lines(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], file: str, log: ProblemLog
) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if path + (key,) in lines:
                first = lines[path + (key,)]
                log.add(
                    file,
                    f"line {line}: key '{key}' appears again (first on line {first}); "
                    "keep only one",
                )
                continue
            lines[path + (key,)] = line
            _index_lines(value_node, path + (key,), lines, file, log)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index_lines(item, path + (position,), lines, file, log)
