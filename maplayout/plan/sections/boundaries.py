"""The ``boundaries`` section: the plan's own units, from a boundary file next to the plan.

Only the entry is checked here (keys, the file name, column names as strings, CRS, datum,
attribution); :mod:`maplayout.plan.boundaries` reads the file and checks its zones, before
the sections that name places, because those places resolve against the zones.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from maplayout.geo.userspec import BOUNDARY_SUFFIXES, BoundarySpec
from maplayout.plan.fields import Checker
from maplayout.plan.sections.sites import read_datum
from maplayout.plan.types import EMPTY_TEXT, Text

BOUNDARY_KEYS = (
    "file",
    "layer",
    "id",
    "name",
    "name_zh_hant",
    "name_en",
    "parent",
    "crs",
    "datum",
    "attribution",
)
_COLUMNS = ("layer", "id", "name", "name_zh_hant", "name_en", "parent", "crs")


class BoundaryEntry(NamedTuple):
    """The checked ``boundaries:`` entry: the spec, its attribution and its plan line."""

    spec: BoundarySpec
    attribution: Text
    line: int | None


def read_boundaries(
    value: Any, checker: Checker, *, need_file: bool = True
) -> BoundaryEntry | None:
    """The ``boundaries`` mapping; ``None`` after its problems are reported.

    ``need_file`` is ``False`` when a GeoDataFrame from Python stands in for the file.
    """
    required = ("file", "id", "name") if need_file else ()
    entry = checker.mapping(value, "boundaries", BOUNDARY_KEYS, required=required)
    if entry is None:
        return None
    found: dict[str, Any] = {}
    if "file" in entry:
        found["file"] = _file(entry["file"], "boundaries.file", checker)
    for key in _COLUMNS:
        if key in entry:
            found[key] = checker.string(entry[key], f"boundaries.{key}", max_len=200)
    if "datum" in entry:
        found["datum"] = read_datum(entry["datum"], "boundaries.datum", checker)
    attribution: Text | None = EMPTY_TEXT
    if "attribution" in entry:
        attribution = checker.text(entry["attribution"], "boundaries.attribution")
    if any(v is None for v in found.values()) or attribution is None:
        return None
    if not all(key in found for key in required):
        return None
    return BoundaryEntry(BoundarySpec(**found), attribution, checker.line_of("boundaries"))


def _file(value: Any, path: str, checker: Checker) -> str | None:
    """A relative path inside the plan's folder with a boundary file's suffix."""
    return checker.relative_file(
        value,
        path,
        "boundary file",
        "zones.gpkg, data/zones.geojson",
        BOUNDARY_SUFFIXES,
        "a boundary file",
    )
