"""The one gate through which text from a data package or the command line becomes a file name.

Staff IDs (private profiles), group columns and group names (packs), stage names and the
dataset's name (``organisation.code`` in ``dataset.yml``) all name files or folders. Every one
of them goes through :func:`safe_file_name`, which refuses rather than repairs: a name that
would climb out of its folder (``..``, ``a/b``), hide itself (``.x``, which the suite keeps
for its own work folders), carry control characters, or be illegal on Windows (``CON``,
``a:b``, a trailing dot or space) is an error naming what it is and why.

References
----------
Microsoft, "Naming files, paths, and namespaces" (reserved names and characters),
https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_NAME_BYTES", "UnsafeFileNameError", "safe_file_name"]

MAX_NAME_BYTES = 100
"""The longest name accepted, in UTF-8 bytes: room for the suite's own prefixes and suffixes
(``.{name}.partial-{pid}-{hex}``) within the 255 bytes most file systems allow."""

_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.IGNORECASE)
_WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


class UnsafeFileNameError(ValueError):
    """A name cannot safely become a file or folder name."""


def safe_file_name(kind: str, text: object) -> str:
    """Return ``text`` unchanged if it is safe as one file or folder name; else raise.

    Parameters
    ----------
    kind
        What the name is, for the message (``"staff ID"``, ``"organisation.code"``).
    text
        The candidate name.

    Returns
    -------
    str
        ``text``.

    Raises
    ------
    UnsafeFileNameError
        If ``text`` is not a string, is empty, is ``.`` or ``..``, starts with ``.``,
        contains a path separator, a control character or a character Windows forbids
        (``<>:"/\\|?*``), is a name Windows reserves (``CON``, ``NUL``, ``COM1``...), ends
        with a dot or a space, or is longer than :data:`MAX_NAME_BYTES` bytes in UTF-8.

    Examples
    --------
    >>> safe_file_name("staff ID", "S0002")
    'S0002'
    >>> safe_file_name("staff ID", "../2008")
    Traceback (most recent call last):
    ...
    analysis.filenames.UnsafeFileNameError: the staff ID '../2008' cannot be a file name: \
it contains '/' (a path separator)
    """
    problem = _problem(text)
    if problem:
        shown = repr(text) if len(repr(text)) <= 60 else repr(text)[:57] + "..."
        raise UnsafeFileNameError(f"the {kind} {shown} cannot be a file name: {problem}")
    assert isinstance(text, str)
    return text


def _problem(text: object) -> str:
    """Why ``text`` is not a safe file name, or ``""``."""
    if not isinstance(text, str):
        return f"expected text, got {type(text).__name__}"
    if not text:
        return "it is empty"
    if text in (".", ".."):
        return "it names a folder itself ('.' or '..'), not a file inside it"
    for character in text:
        if character in "/\\":
            return f"it contains {character!r} (a path separator)"
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            return f"it contains the control character U+{ord(character):04X}"
        if character in _WINDOWS_FORBIDDEN:
            return f"it contains {character!r}, which Windows does not allow in file names"
    if text.startswith("."):
        return "it starts with '.', which hides it (the suite keeps such names for its own work)"
    if text.endswith((".", " ")) or text.startswith(" "):
        return "it starts or ends with a space, or ends with '.', which Windows drops"
    if _WINDOWS_RESERVED.fullmatch(text):
        return "Windows reserves it for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)"
    size = len(text.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return f"it is {size} bytes long; the most is {MAX_NAME_BYTES}"
    return ""
