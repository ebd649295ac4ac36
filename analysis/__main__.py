"""Allow ``python -m analysis ...``."""

from analysis.cli import main

raise SystemExit(main())
