"""maplayout: regional industry-layout plans rendered to offline, deterministic maps.

The pipeline, one package or module per stage::

    plan (maplayout.plan) → geo (maplayout.geo) → model (maplayout.model: the join)
        → web (maplayout.web) / print figure (maplayout.print)
        → publish (maplayout.publish: build, reports, embed kit, snapshots)

Heavy modules are imported on first use, so ``import maplayout`` stays cheap.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("maplayout")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0+unknown"

_LAZY = {
    "load_units": "maplayout.geo",
    "resolve": "maplayout.geo",
    "verify_geodata": "maplayout.geo",
    "load_plan": "maplayout.plan",
    "check_plan": "maplayout.plan",
    "load_plan_text": "maplayout.plan",
    "validate_plan": "maplayout.plan",
    "MapHTML": "maplayout.publish.embed",
    "make_figures": "maplayout.print.figure",
    "render_map": "maplayout.web",
    "render_index": "maplayout.web",
    "build": "maplayout.publish.pipeline",
    "build_model": "maplayout.model",
    "join": "maplayout.model",  # deprecated name of build_model
    "make_figure": "maplayout.print.figure",
    "wgs84_to_gcj02": "maplayout.geo",
    "gcj02_to_wgs84": "maplayout.geo",
    "wgs84_to_bd09": "maplayout.geo",
    "bd09_to_wgs84": "maplayout.geo",
    "MaplayoutError": "maplayout.errors",
    "PlanError": "maplayout.errors",
    "GeodataError": "maplayout.errors",
    "PlaceNotFoundError": "maplayout.errors",
    "LayoutModel": "maplayout.model",
    "save_offline": "maplayout.interop",
    "explore": "maplayout.interop",
    "to_file": "maplayout.interop",
}

# Not here: ``snapshot``; use ``from maplayout.publish import snapshot``.
__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'maplayout' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
