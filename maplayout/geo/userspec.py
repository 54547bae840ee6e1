"""What a plan's own boundaries are read with: the file types and the columns (the plan's
``boundaries:`` entry), apart from :mod:`maplayout.geo.userunits` so that the plan check
needs no geopandas until a plan has zones."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BOUNDARY_SUFFIXES", "MAX_BOUNDARY_BYTES", "BoundarySpec"]

#: File types a plan's ``boundaries.file`` may name.
BOUNDARY_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".parquet", ".geoparquet")
#: Largest boundary file read (a Shapefile: its .shp and .dbf together).
MAX_BOUNDARY_BYTES = 64_000_000


@dataclass(frozen=True)
class BoundarySpec:
    """Where a user's zones are and which columns hold what (the plan's ``boundaries:``).

    ``name`` is the zh-Hans name column (required); ``name_zh_hant`` absent → OpenCC from
    zh-Hans; ``name_en`` absent or empty → the zh-Hans name. ``crs`` states the CRS of a file
    that has none; ``datum`` is the datum of the coordinates once in longitude/latitude
    (``GCJ-02`` / ``BD-09`` for Chinese sources), converted to WGS-84.
    """

    file: str = ""
    layer: str = ""
    id: str = "id"
    name: str = "name"
    name_zh_hant: str = ""
    name_en: str = ""
    parent: str = ""
    crs: str = ""
    datum: str = "WGS-84"

    def columns(self) -> dict[str, str]:
        """``{key: column}`` of the column keys the spec names (``id``, ``name`` …)."""
        keys = ("id", "name", "name_zh_hant", "name_en", "parent")
        return {key: getattr(self, key) for key in keys if getattr(self, key)}
