"""Converters from real survey exports, which nobody here designed, to the suite's flat files.

Each converter turns one published export into the flat files of
:func:`analysis.survey.importer.import_survey` (answers as codes, a questionnaire sheet,
scales, free text) and imports them, so that the checks and the data package are the same
as for a contractor's files. See ``docs/real-data.md``.

* :mod:`~analysis.converters.apha`: the Association of Professional Healthcare Analysts'
  2022 survey of NHS analysts on continuing professional development.
"""
