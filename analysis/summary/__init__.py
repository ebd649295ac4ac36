"""The annual summary for the board: ``summary.html`` (and ``summary.pdf``) in a run folder.

Built after every stage, from the run folder's published files only (gated tables, their
notes, headline figures with their caveats): :func:`analysis.summary.page.write_summary`.
Modules: :mod:`~analysis.summary.sources` reads the files, :mod:`~analysis.summary.equality`
computes the WRES/WDES-style indicators, :mod:`~analysis.summary.sentences` writes the
sections, :mod:`~analysis.summary.page` renders the page and prints it, and
:mod:`~analysis.summary.methods` makes every report's "Methods and references".

The package itself imports nothing, so that the pipeline's process stays light (the sections
use scipy and statsmodels): import from the modules.
"""
