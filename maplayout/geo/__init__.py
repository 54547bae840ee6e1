"""Boundary data: the shipped outlines (load, resolve, verify), datums, place names.

* :mod:`maplayout.geo.boundaries` loads and checks the shipped ``geodata/`` and resolves a
  place name to a unit;
* :mod:`maplayout.geo.datum` converts between WGS-84, GCJ-02 and BD-09;
* :mod:`maplayout.geo.china` resolves a name among every unit of China (3,280 units);
* :mod:`maplayout.geo.names` folds Chinese scripts and strips administrative suffixes;
* :mod:`maplayout.geo.rebuild` regenerates ``geodata/`` from its source (extra ``rebuild``).

This package imports no other stage of maplayout (only ``errors`` and ``_paths``).

Names are imported on first use: :mod:`.names` (script folding, used by the plan check) and
:mod:`.datum` load without geopandas, which only :mod:`.boundaries` and :mod:`.china` need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from maplayout._paths import geodata_dir

if TYPE_CHECKING:
    from maplayout.geo.boundaries import (
        LEVELS,
        UNIT_FILE_COLUMNS,
        Unit,
        geodata_summary,
        load_block_exceptions,
        load_units,
        resolve,
        verify_geodata,
    )
    from maplayout.geo.china import (
        CHINA_LEVELS,
        AmbiguousPlaceError,
        ChinaUnit,
        china_candidates,
        china_units,
        resolve_china,
    )
    from maplayout.geo.datum import (
        DATUMS,
        MASK_FILE,
        bd09_to_gcj02,
        bd09_to_wgs84,
        convert,
        gcj02_to_bd09,
        gcj02_to_wgs84,
        in_china,
        inverse_unmasked,
        normalise_datum,
        transform_geometry,
        wgs84_to_bd09,
        wgs84_to_gcj02,
    )
    from maplayout.geo.names import (
        ADMIN_SUFFIXES,
        normalise,
        strip_suffix,
        to_hans,
        to_hant,
        viewer_suffixes,
    )

_LAZY: dict[str, tuple[str, ...]] = {
    "boundaries": (
        "LEVELS",
        "UNIT_FILE_COLUMNS",
        "Unit",
        "geodata_summary",
        "load_block_exceptions",
        "load_units",
        "resolve",
        "verify_geodata",
    ),
    "china": (
        "CHINA_LEVELS",
        "AmbiguousPlaceError",
        "ChinaUnit",
        "china_candidates",
        "china_units",
        "resolve_china",
    ),
    "datum": (
        "DATUMS",
        "MASK_FILE",
        "bd09_to_gcj02",
        "bd09_to_wgs84",
        "convert",
        "gcj02_to_bd09",
        "gcj02_to_wgs84",
        "in_china",
        "inverse_unmasked",
        "normalise_datum",
        "transform_geometry",
        "wgs84_to_bd09",
        "wgs84_to_gcj02",
    ),
    "names": (
        "ADMIN_SUFFIXES",
        "normalise",
        "strip_suffix",
        "to_hans",
        "to_hant",
        "viewer_suffixes",
    ),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "ADMIN_SUFFIXES",
    "CHINA_LEVELS",
    "DATUMS",
    "LEVELS",
    "MASK_FILE",
    "UNIT_FILE_COLUMNS",
    "AmbiguousPlaceError",
    "ChinaUnit",
    "Unit",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "china_candidates",
    "china_units",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "geodata_dir",
    "geodata_summary",
    "in_china",
    "inverse_unmasked",
    "load_block_exceptions",
    "load_units",
    "normalise",
    "normalise_datum",
    "resolve",
    "resolve_china",
    "strip_suffix",
    "to_hans",
    "to_hant",
    "transform_geometry",
    "verify_geodata",
    "viewer_suffixes",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
