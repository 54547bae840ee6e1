"""Boundary data: the shipped outlines (load, resolve, verify), datums, place names.

* :mod:`maplayout.geo.boundaries` loads and checks the shipped ``geodata/`` and resolves a
  place name to a unit;
* :mod:`maplayout.geo.datum` converts between WGS-84, GCJ-02 and BD-09;
* :mod:`maplayout.geo.china` resolves a name among every unit of China (3,280 units);
* :mod:`maplayout.geo.userunits` reads and checks a user's own boundaries (zones);
* :mod:`maplayout.geo.chinadata` loads the boundaries of every unit of China, per province;
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
        unit_label,
    )
    from maplayout.geo.chinadata import (
        CHINA_UNIT_COLUMNS,
        china_unit_geometry,
        load_china_units,
        units_around,
    )
    from maplayout.geo.chinafiles import (
        CHINA_MANIFEST,
        checked_china_file,
        china_file,
        china_manifest,
        verify_china_files,
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
    from maplayout.geo.userunits import (
        BOUNDARY_SUFFIXES,
        MAX_BOUNDARY_BYTES,
        MAX_VERTICES,
        MAX_ZONES,
        OVERLAP_SHARE,
        USER_LEVEL,
        BoundarySpec,
        UserUnit,
        UserUnits,
        check_user_units,
        frame_digest,
        read_user_units,
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
        "unit_label",
    ),
    "chinadata": (
        "CHINA_UNIT_COLUMNS",
        "china_unit_geometry",
        "load_china_units",
        "units_around",
    ),
    "chinafiles": (
        "CHINA_MANIFEST",
        "checked_china_file",
        "china_file",
        "china_manifest",
        "verify_china_files",
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
    "userunits": (
        "BOUNDARY_SUFFIXES",
        "MAX_BOUNDARY_BYTES",
        "MAX_VERTICES",
        "MAX_ZONES",
        "OVERLAP_SHARE",
        "USER_LEVEL",
        "BoundarySpec",
        "UserUnit",
        "UserUnits",
        "check_user_units",
        "frame_digest",
        "read_user_units",
    ),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "ADMIN_SUFFIXES",
    "BOUNDARY_SUFFIXES",
    "CHINA_LEVELS",
    "CHINA_MANIFEST",
    "CHINA_UNIT_COLUMNS",
    "DATUMS",
    "LEVELS",
    "MASK_FILE",
    "MAX_BOUNDARY_BYTES",
    "MAX_VERTICES",
    "MAX_ZONES",
    "OVERLAP_SHARE",
    "UNIT_FILE_COLUMNS",
    "USER_LEVEL",
    "AmbiguousPlaceError",
    "BoundarySpec",
    "ChinaUnit",
    "Unit",
    "UserUnit",
    "UserUnits",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "check_user_units",
    "checked_china_file",
    "china_candidates",
    "china_file",
    "china_manifest",
    "china_unit_geometry",
    "china_units",
    "convert",
    "frame_digest",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "geodata_dir",
    "geodata_summary",
    "in_china",
    "inverse_unmasked",
    "load_block_exceptions",
    "load_china_units",
    "load_units",
    "normalise",
    "normalise_datum",
    "read_user_units",
    "resolve",
    "resolve_china",
    "strip_suffix",
    "to_hans",
    "to_hant",
    "transform_geometry",
    "unit_label",
    "units_around",
    "verify_china_files",
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
