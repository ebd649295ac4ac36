"""The qualitative codebook: themes containing codes, read, checked and exchanged.

A codebook is a tree. Its top-level entries are *themes*; below them are *codes*, and codes
may hold sub-codes to any depth. *Code sets* (:class:`CodeSet`) group codes from anywhere
in the tree under a name. Every entry has a stable ``id`` (what codings refer to), a
``label`` (what coders see), and optionally a ``definition``, ``when_to_use``,
``when_not_to_use``, ``examples``, ``keywords`` (hints for machine-assisted coding), and
``survey_items`` and ``survey_themes``: the questionnaire's items (``item_id``) and themes
that the code speaks to, the link from what staff wrote to how they answered (checked
against the questionnaire when the data package is loaded, :func:`survey_link_problems`).

Three ways in and out:

- ``codebook.yml`` in the data package (:func:`load_codebook`, :func:`parse_codebook`,
  :func:`codebook_to_yaml`). Entries nest through ``codes:``; an entry may also sit at the
  top level and name its parent with ``parent: <id>``. Every problem names its line.
- The REFI-QDA codebook exchange format, ``.qdc`` (:func:`write_qdc`, :func:`read_qdc`),
  read and written by NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette. A theme that is only
  a container is exported with ``isCodable="false"``; the definition and the other fields
  go into ``Description``; each code's GUID is a UUID 5 of its id, so it is the same in
  every export. Code sets (``<Sets>``: ATLAS.ti's code groups) are read and written back
  with their GUIDs. Exporting then importing gives back the same codebook.
- A plain table, ``.csv`` or ``.xlsx``, one row per entry (:func:`read_codebook_table`).

Which entries can be applied to a comment: a theme (a top-level entry with codes below it)
is a container and cannot, unless it says ``codable: true``; every other entry can, unless
it says ``codable: false``.

The modules: :mod:`~analysis.datapackage.codebook.model` (the entries, the tree and its
checks), :mod:`~analysis.datapackage.codebook.yml`, :mod:`~analysis.datapackage.codebook.qdc`
and :mod:`~analysis.datapackage.codebook.table` (one format each), and
:mod:`~analysis.datapackage.codebook.survey_links` (codes against the questionnaire).

References
----------
REFI-QDA Standard 1.5, section 5 (the codebook exchange format) and its ``Codebook.xsd``,
https://www.qdasoftware.org/. MacQueen, McLellan, Kay and Milstein (1998), "Codebook
development for team-based qualitative analysis", *Cultural Anthropology Methods* 10(2),
for the fields of a code (definition, when to use, when not to use, examples).
"""

from analysis.datapackage.codebook.model import (
    CODE_GUID_NAMESPACE,
    Code,
    Codebook,
    CodebookError,
    CodeSet,
    code_guid,
    duplicate_labels,
    set_guid,
)
from analysis.datapackage.codebook.qdc import (
    QDC_NAMESPACE,
    DuplicateLabelWarning,
    codebook_from_qdc,
    codebook_to_qdc,
    read_qdc,
    write_qdc,
)
from analysis.datapackage.codebook.survey_links import survey_link_problems
from analysis.datapackage.codebook.table import read_codebook_table
from analysis.datapackage.codebook.yml import codebook_to_yaml, load_codebook, parse_codebook

__all__ = [
    "QDC_NAMESPACE",
    "CODE_GUID_NAMESPACE",
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookError",
    "DuplicateLabelWarning",
    "duplicate_labels",
    "code_guid",
    "set_guid",
    "load_codebook",
    "parse_codebook",
    "codebook_to_yaml",
    "codebook_to_qdc",
    "write_qdc",
    "codebook_from_qdc",
    "read_qdc",
    "read_codebook_table",
    "survey_link_problems",
]
