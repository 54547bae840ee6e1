"""Boundary data: the shipped outlines (load, resolve, verify), datums, place names.

* :mod:`maplayout.geo.boundaries` loads and checks the shipped ``geodata/`` and resolves a
  place name to a unit;
* :mod:`maplayout.geo.datum` converts between WGS-84, GCJ-02 and BD-09;
* :mod:`maplayout.geo.china` resolves a name among every unit of China (3,280 units);
* :mod:`maplayout.geo.chinadata` loads the boundaries of every unit of China, per province;
* :mod:`maplayout.geo.names` folds Chinese scripts and strips administrative suffixes;
* :mod:`maplayout.geo.rebuild` regenerates ``geodata/`` from its source (extra ``rebuild``).

This package imports no other stage of maplayout (only ``errors`` and ``_paths``).
"""

from __future__ import annotations

from maplayout._paths import geodata_dir
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

__all__ = [
    "ADMIN_SUFFIXES",
    "CHINA_LEVELS",
    "CHINA_MANIFEST",
    "CHINA_UNIT_COLUMNS",
    "DATUMS",
    "LEVELS",
    "MASK_FILE",
    "UNIT_FILE_COLUMNS",
    "AmbiguousPlaceError",
    "ChinaUnit",
    "Unit",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "checked_china_file",
    "china_candidates",
    "china_file",
    "china_manifest",
    "china_unit_geometry",
    "china_units",
    "convert",
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
