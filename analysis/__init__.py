"""Action-research notebook suite for workforce performance in health organisations.

The package does every computation; the notebooks in ``notebooks/`` narrate and show.
"""

__version__ = "0.1.0"
