"""``python -m maplayout`` is the ``maplayout`` command."""

from maplayout.cli import main

raise SystemExit(main())
