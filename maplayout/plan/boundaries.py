"""A plan's own boundaries: read the ``boundaries:`` file (or a GeoDataFrame) and check it.

The file is read through :func:`maplayout._safeio.read_limited` (regular files only, at most
:data:`~maplayout.geo.userunits.MAX_BOUNDARY_BYTES`; a Shapefile's ``.shp`` and ``.dbf`` are
checked for both); a problem of the entry (a missing file, layer or column) names the plan
file and the entry's line, a problem of a zone names the boundary file and the feature
(``zones.gpkg:3: geometry: zone 'Z3' has an invalid geometry …``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import DependencyMissingError, PlanProblem
from maplayout.geo.userspec import MAX_BOUNDARY_BYTES
from maplayout.plan.sections.boundaries import BoundaryEntry

if TYPE_CHECKING:  # maplayout.geo.userunits loads geopandas: imported where a plan has zones
    from maplayout.geo.userspec import BoundarySpec
    from maplayout.geo.userunits import UserUnits

__all__ = ["load_boundaries", "python_spec", "zones_outside"]

#: Optional columns a GeoDataFrame from Python is read with when they are present and the
#: plan has no ``boundaries:`` section naming its columns.
_DEFAULT_OPTIONAL = ("name_zh_hant", "name_en", "parent")


def python_spec(frame: Any) -> BoundarySpec:
    """The columns of a GeoDataFrame given without a ``boundaries:`` section: ``id``,
    ``name`` (zh-Hans), and ``name_zh_hant``, ``name_en``, ``parent`` where present."""
    from maplayout.geo.userspec import BoundarySpec

    columns = {str(c) for c in getattr(frame, "columns", ())}
    return BoundarySpec(**{key: key for key in _DEFAULT_OPTIONAL if key in columns})


def load_boundaries(
    entry: BoundaryEntry, base: Path, plan_file: str, frame: Any = None
) -> tuple[UserUnits | None, list[PlanProblem]]:
    """The zones of ``entry`` (``frame`` stands in for its file when given), and the problems.

    ``None`` when any problem is an error.
    """
    from maplayout.geo.userunits import check_user_units, read_user_units

    spec = entry.spec

    def entry_problem(key: str, message: str, **kw: Any) -> PlanProblem:
        return PlanProblem(plan_file, f"boundaries.{key}", message, line=entry.line, **kw)

    if frame is not None:
        return check_user_units(frame, spec, "boundaries=", entry_problem)
    path = base / spec.file
    shown = str(path)
    expected = f"a boundary file of at most {MAX_BOUNDARY_BYTES} bytes next to the plan"
    try:
        if path.suffix.lower() == ".shp":
            source: bytes | Path = path
            size = sum(
                len(read_limited(path.with_suffix(ext), MAX_BOUNDARY_BYTES, "Shapefile part"))
                for ext in (".shp", ".dbf")
            )
            if size > MAX_BOUNDARY_BYTES:
                return None, [
                    entry_problem(
                        "file",
                        f"file is too large ({size} bytes in .shp and .dbf): {shown}",
                        expected=expected,
                    )
                ]
        else:
            source = read_limited(path, MAX_BOUNDARY_BYTES, "boundary file")
    except InputFileError as err:
        return None, [entry_problem("file", f"{err.reason}: {err.path}", expected=expected)]
    try:
        return read_user_units(source, spec, shown, entry_problem)
    except DependencyMissingError as err:
        return None, [entry_problem("file", str(err))]


def zones_outside(units: UserUnits, region: Any) -> list[str]:
    """Ids of the zones whose label point lies outside every unit of the plan's ``region``
    (more than 1 km away); ``[]`` for the whole country or a region without an outline."""
    import shapely

    from maplayout.plan.region import unit_geometry

    if region.level == "country":
        return []
    outlines = [unit_geometry(u.adcode, getattr(u, "level", "province")) for u in region.units]
    known = [g for g in outlines if g is not None]
    if not known:
        return []
    area = shapely.union_all(known).buffer(0.01)  # about 1 km: a zone on the region's edge
    frame = units.frame
    inside = shapely.contains_xy(area, frame["label_lon"], frame["label_lat"])
    return [str(a) for a, ok in zip(frame["adcode"], inside, strict=True) if not ok]
