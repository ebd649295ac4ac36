"""The ``staff_id_pattern`` of ``dataset.yml``: checked when the package is read.

Redaction (:mod:`analysis.comments.redaction`) runs the pattern on every comment, so a
pattern that could take very long on some texts is refused when ``dataset.yml`` is read.
"""

from __future__ import annotations

import re

__all__ = ["STAFF_ID_PATTERN_MAX_LENGTH", "check_staff_id_pattern"]

_LEADING_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")
"""Global inline flags (``(?i)``) that open a pattern: they must stay at its very start."""

STAFF_ID_PATTERN_MAX_LENGTH = 100
"""The longest ``staff_id_pattern`` accepted, in characters."""

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_REFUSED = {
    "GROUPREF": "a back-reference",
    "GROUPREF_EXISTS": "a conditional group",
    "ASSERT": "a look-ahead or look-behind",
    "ASSERT_NOT": "a look-ahead or look-behind",
}


def _unsafe_part(items: object, inside_repeat: bool) -> str | None:
    """What makes a parsed pattern unsafe to run on untrusted text, or None.

    ``items`` is a parse tree of :mod:`re`'s own parser: a list of ``(opcode, argument)``.
    """
    for opcode, argument in items:  # type: ignore[attr-defined]
        name = str(opcode)
        if name in _REFUSED:
            return _REFUSED[name]
        if name in _REPEATS:
            variable = argument[0] != argument[1]
            if inside_repeat and variable:
                return "a repeat inside a repeat (such as (a+)+), which can take exponential time"
            found = _unsafe_part(argument[2], inside_repeat or variable)
        elif name == "SUBPATTERN":
            found = _unsafe_part(argument[-1], inside_repeat)
        elif name == "BRANCH":
            if inside_repeat:
                return "alternatives inside a repeat (such as (a|ab)+), which can be slow"
            found = next(
                (part for branch in argument[1] if (part := _unsafe_part(branch, False))), None
            )
        else:
            found = None
        if found:
            return found
    return None


def check_staff_id_pattern(pattern: str) -> re.Pattern[str]:
    """Check a ``staff_id_pattern`` from ``dataset.yml`` and compile it as a whole word.

    Parameters
    ----------
    pattern : str
        A regular expression matching one staff number, e.g. ``r"NF\\d{5}"``.

    Returns
    -------
    re.Pattern
        The pattern, matched only as a whole word (not inside a longer word or number).

    Raises
    ------
    ValueError
        Saying what is wrong: not text, longer than :data:`STAFF_ID_PATTERN_MAX_LENGTH`,
        not a regular expression, matching the empty string, or built so that it could
        take very long on some comments (a repeat inside a repeat, alternatives inside a
        repeat, back-references, look-arounds).

    Notes
    -----
    Python's :mod:`re` has no time limit, and a pattern such as ``(a+)+$`` takes
    exponential time on some texts ("catastrophic backtracking"). Refusing nested repeats
    and repeated alternatives leaves patterns whose running time grows at most
    polynomially with the comment's length, with the degree bounded by the pattern's
    length, which is capped (Davis et al. 2018).

    References
    ----------
    Davis, J. C., Coghlan, C. A., Servant, F. and Lee, D. (2018). The impact of regular
    expression denial of service (ReDoS) in practice. ESEC/FSE 2018, 246-256.

    Examples
    --------
    >>> [m.group() for m in check_staff_id_pattern(r"NF\\d{5}").finditer("NF01234, NF012345")]
    ['NF01234']

    Global flags such as ``(?i)`` stay at the front, where :mod:`re` requires them:

    >>> check_staff_id_pattern(r"(?i)nf\\d{5}").findall("staff no nf01234, NF01235")
    ['nf01234', 'NF01235']
    """
    example = "it should match one staff number, e.g. NF\\d{5}"
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"staff_id_pattern must be a regular expression as text; {example}")
    if len(pattern) > STAFF_ID_PATTERN_MAX_LENGTH:
        raise ValueError(
            f"staff_id_pattern is {len(pattern)} characters long; at most "
            f"{STAFF_ID_PATTERN_MAX_LENGTH} are accepted ({example})"
        )
    try:
        tree = re._parser.parse(pattern)  # re's own parser, to inspect the pattern's shape
    except re.error as error:
        raise ValueError(
            f"staff_id_pattern {pattern!r} is not a valid regular expression ({error}); {example}"
        ) from None
    unsafe = _unsafe_part(tree, False)
    if unsafe:
        raise ValueError(
            f"staff_id_pattern {pattern!r} is refused: it has {unsafe}; write a plain "
            f"pattern for one staff number ({example})"
        )
    if re.fullmatch(pattern, ""):
        raise ValueError(f"staff_id_pattern {pattern!r} matches empty text; {example}")
    flags = _LEADING_FLAGS.match(pattern)
    rest = pattern[flags.end() :] if flags else pattern
    return re.compile(rf"{flags.group() if flags else ''}(?<!\w)(?:{rest})(?!\w)")
