"""A user's own boundaries: development zones, a 国土空间规划 layer, an older division.

A file (GeoPackage, GeoJSON, Shapefile, GeoParquet) or a GeoDataFrame becomes a frame of
units like the shipped ones (:data:`~maplayout.geo.UNIT_FILE_COLUMNS`, EPSG:4326, WGS-84)
whose ``adcode`` is the user's id and whose ``level`` is :data:`USER_LEVEL`. Every check
reports all its findings as :class:`~maplayout.errors.PlanProblem` lines naming the file,
the feature (its 1-based number in the file, as a table's row), the column, the bad value
and what was expected:

* missing layer or column (with the closest names), no CRS (a ``crs`` may state it), a CRS
  that disagrees with the stated one, coordinates outside longitude/latitude once
  reprojected (a wrong CRS);
* too many features or vertices (:data:`MAX_ZONES`, :data:`MAX_VERTICES`), a file larger
  than :data:`MAX_BOUNDARY_BYTES` (checked by the caller before reading);
* empty or missing ids or names, duplicate ids (all listed);
* empty, non-polygon and invalid geometries: invalid ones are **not repaired** (a silent
  repair could move a boundary); the message says whether ``make_valid`` would give a
  polygon and how much of the area it keeps;
* overlapping zones: every pair whose overlap exceeds :data:`OVERLAP_SHARE` of the smaller
  zone's area, with the overlap in km² (slivers from digitising stay below it).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from maplayout.errors import DependencyMissingError, PlanProblem, closest
from maplayout.geo.boundaries import UNIT_FILE_COLUMNS
from maplayout.geo.names import normalise, to_hans, to_hant
from maplayout.geo.userspec import BOUNDARY_SUFFIXES, MAX_BOUNDARY_BYTES, BoundarySpec

__all__ = [
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
]

#: The ``level`` of a user's units.
USER_LEVEL = "zone"
#: Most features in a boundary file, and most vertices in all of them.
MAX_ZONES = 5_000
MAX_VERTICES = 2_000_000
#: Two zones overlap when the shared area exceeds this share of the smaller one's area.
OVERLAP_SHARE = 0.005
#: At most this many overlapping pairs are listed one per line (then a count of the rest).
_MAX_PAIRS = 20

Problem = Callable[..., PlanProblem]


@dataclass(frozen=True)
class UserUnit:
    """One of a user's zones, as the plan's place resolver returns it."""

    adcode: str
    parent_adcode: str
    level: str
    name_zh_hans: str
    name_zh_hant: str
    name_en: str
    geometry: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class UserUnits:
    """A checked set of zones: ``frame`` has :data:`UNIT_FILE_COLUMNS` (EPSG:4326, WGS-84).

    ``shown`` names the source in messages and attributions (the file as the plan writes it,
    or ``boundaries=`` for a GeoDataFrame); ``digest`` is the sha256 of the file's bytes (of
    the frame's WKB and attributes for a GeoDataFrame).
    """

    frame: gpd.GeoDataFrame = field(compare=False, repr=False)
    shown: str
    digest: str
    spec: BoundarySpec = field(default_factory=BoundarySpec)

    def find(self, query: object) -> list[UserUnit]:
        """The zones ``query`` names: its id exactly, else a name in any script or case
        (zh-Hans, zh-Hant, en), else a name without its administrative suffix."""
        text = unicodedata.normalize("NFKC", str(query)).strip()
        ids, exact, loose = self._index()
        if text in ids:
            return [ids[text]]
        return exact.get(_fold(text)) or loose.get(normalise(text)) or []

    def choices(self, query: str) -> list[str]:
        """Up to three ``name (id)`` of the zones whose name or id is closest to ``query``."""
        units = self.units()
        label: dict[str, str] = {}
        for u in units:
            for key in (u.adcode, u.name_zh_hans, u.name_en):
                label.setdefault(key, f"{u.name_zh_hans} ({u.adcode})")
        q = to_hans(query) if not query.isascii() else query
        return [label[c] for c in closest(q, list(label))]

    def _index(
        self,
    ) -> tuple[dict[str, UserUnit], dict[str, list[UserUnit]], dict[str, list[UserUnit]]]:
        cached = self.__dict__.get("_cached_index")
        if cached is None:
            units = self.units()
            exact: dict[str, list[UserUnit]] = {}
            loose: dict[str, list[UserUnit]] = {}
            for u in units:
                names = (u.name_zh_hans, u.name_zh_hant, u.name_en)
                for key in {_fold(n) for n in names if n}:
                    exact.setdefault(key, []).append(u)
                for key in {normalise(n) for n in names if n}:
                    loose.setdefault(key, []).append(u)
            cached = ({u.adcode: u for u in units}, exact, loose)
            object.__setattr__(self, "_cached_index", cached)
        return cached

    def units(self) -> list[UserUnit]:
        """Every zone, in the frame's order."""
        f = self.frame
        return [
            UserUnit(a, p, USER_LEVEL, n, t, e, g)
            for a, p, n, t, e, g in zip(
                f["adcode"],
                f["parent_adcode"],
                f["name_zh_hans"],
                f["name_zh_hant"],
                f["name_en"],
                f.geometry,
                strict=True,
            )
        ]


# ---------------------------------------------------------------------------- reading
def read_user_units(
    source: bytes | Path,
    spec: BoundarySpec,
    shown: str,
    entry: Problem | None = None,
) -> tuple[UserUnits | None, list[PlanProblem]]:
    """Read and check the zones of a boundary file.

    Parameters
    ----------
    source
        The file's bytes (GeoPackage, GeoJSON, GeoParquet), or the path of a Shapefile (its
        sidecar files are read beside it); the caller bounds the size.
    spec
        The columns, layer, CRS and datum.
    shown
        The file as messages name it.
    entry
        Makes a problem of the spec itself (``entry(key, message, **kw)``: a missing layer or
        column belongs to the plan's ``boundaries.<key>`` line); default: a problem of
        ``shown`` at field ``key``.

    Returns
    -------
    (UserUnits or None, problems)
        ``None`` when any problem is an error.
    """
    entry = entry or _file_problem(shown)
    suffix = Path(spec.file or shown).suffix.lower()
    try:
        if suffix in (".parquet", ".geoparquet"):
            frame = _parquet(source)
        else:
            frame, problem = _ogr(source, spec.layer, entry)
            if problem is not None:
                return None, [problem]
    except DependencyMissingError:
        raise
    except Exception as err:  # pyogrio.errors.DataSourceError, ArrowInvalid … from a bad file
        why = _reason(err)
        return None, [
            PlanProblem(shown, "<file>", f"not a readable boundary file ({why})", expected=_KINDS)
        ]
    digest = hashlib.sha256(source if isinstance(source, bytes) else _shp_bytes(source)).hexdigest()
    return check_user_units(frame, spec, shown, entry, digest=digest)


def _reason(err: Exception) -> str:
    """GDAL's reason without its in-memory file name and driver advice, in one line."""
    text = re.sub(r"'?/vsimem/\S+?'?\s", "", str(err).splitlines()[0] if str(err) else "")
    parts = [p.strip() for p in text.split(";") if p.strip()]
    kept = "; ".join(p for p in parts if not p.startswith("It might help")).rstrip(".")
    return kept[:200] or type(err).__name__


_KINDS = "a GeoPackage, GeoJSON, Shapefile or GeoParquet file of polygons"


def _fold(text: str) -> str:
    """Exact-match key: NFKC, single spaces, lower case, Simplified script."""
    s = " ".join(unicodedata.normalize("NFKC", text).split()).lower()
    return s if s.isascii() else to_hans(s)


def _file_problem(shown: str) -> Problem:
    def make(key: str, message: str, **kw: Any) -> PlanProblem:
        return PlanProblem(shown, key, message, **kw)

    return make


def _ogr(
    source: bytes | Path, layer: str, entry: Problem
) -> tuple[gpd.GeoDataFrame, PlanProblem | None]:
    import pyogrio

    def target() -> Any:
        return io.BytesIO(source) if isinstance(source, bytes) else str(source)

    with warnings.catch_warnings():  # GDAL's note on an in-memory file's missing extension
        warnings.simplefilter("ignore", RuntimeWarning)
        names = [str(n) for n in pyogrio.list_layers(target())[:, 0]]
        if layer and layer not in names:
            return gpd.GeoDataFrame(), entry(
                "layer",
                f"the file has no layer {layer!r}",
                value=layer,
                expected="one of the layers " + ", ".join(names),
                suggestions=closest(layer, names),
            )
        if not layer and len(names) > 1:
            return gpd.GeoDataFrame(), entry(
                "layer",
                f"the file has {len(names)} layers and no layer is named",
                expected="layer: one of " + ", ".join(names),
            )
        return pyogrio.read_dataframe(target(), layer=layer or None), None


def _parquet(source: bytes | Path) -> gpd.GeoDataFrame:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise DependencyMissingError(
            "reading GeoParquet boundaries needs pyarrow: pip install 'maplayout[tables]'",
            missing="pyarrow",
        ) from None
    return gpd.read_parquet(io.BytesIO(source) if isinstance(source, bytes) else source)


def _shp_bytes(path: Path) -> bytes:
    """A Shapefile's identity: its .shp, .dbf and .prj bytes (for the digest)."""
    return b"".join(
        p.read_bytes() for ext in (".shp", ".dbf", ".prj") if (p := path.with_suffix(ext)).is_file()
    )


def frame_digest(frame: gpd.GeoDataFrame) -> str:
    """A sha256 of a GeoDataFrame's geometries (WKB), attributes and CRS."""
    h = hashlib.sha256()
    h.update(str(frame.crs.to_string() if frame.crs is not None else "").encode())
    attrs = frame.drop(columns=frame.geometry.name)
    h.update(attrs.to_csv(index=False).encode("utf-8"))
    for wkb in shapely.to_wkb(np.asarray(frame.geometry.array), hex=False):
        h.update(wkb if wkb is not None else b"")
    return h.hexdigest()


# ---------------------------------------------------------------------------- checks
def check_user_units(
    frame: gpd.GeoDataFrame,
    spec: BoundarySpec,
    shown: str = "boundaries=",
    entry: Problem | None = None,
    *,
    digest: str = "",
) -> tuple[UserUnits | None, list[PlanProblem]]:
    """Check a frame of zones (from a file or from Python) and convert it to unit columns.

    Returns ``(units, problems)``; ``units`` is ``None`` when any problem is an error.
    See the module docstring for the checks.
    """
    entry = entry or _file_problem(shown)
    if not isinstance(frame, gpd.GeoDataFrame):
        return None, [
            PlanProblem(
                shown,
                "<frame>",
                f"the boundaries are a {type(frame).__name__}, not a GeoDataFrame",
                expected="a GeoDataFrame of polygons with an id and a name column",
            )
        ]
    problems = _columns(frame, spec, entry)
    crs, crs_problem = _crs(frame, spec, entry)
    problems += [crs_problem] if crs_problem else []
    problems += _size(frame, shown)
    if problems:
        return None, problems
    frame = frame.reset_index(drop=True)
    ids = [_id(v) for v in frame[spec.id]]
    names = [_text(v) for v in frame[spec.name]]
    problems += _ids(ids, spec.id, shown)
    problems += _names(names, ids, spec.name, shown)
    problems += _geometries(frame.geometry, ids, shown)
    if problems:
        return None, problems
    geoms = gpd.GeoSeries(frame.geometry.to_numpy(), crs=crs).to_crs("EPSG:4326")
    bad = _outside_lonlat(geoms, crs, spec, entry)
    if bad is not None:
        return None, [bad]
    lonlat = shapely.force_2d(np.asarray(geoms.array))  # a PolygonZ's heights are not drawn
    if spec.datum != "WGS-84":
        from maplayout.geo.datum import transform_geometry

        lonlat = transform_geometry(lonlat, spec.datum, "WGS-84")
    problems += _overlaps(lonlat, ids, shown)
    if problems:
        return None, problems
    units = _unit_frame(frame, spec, ids, names, lonlat)
    return UserUnits(units, shown, digest or frame_digest(frame), spec), []


def _columns(frame: gpd.GeoDataFrame, spec: BoundarySpec, entry: Problem) -> list[PlanProblem]:
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    out = []
    for key, column in spec.columns().items():
        if column not in names:
            out.append(
                entry(
                    key,
                    f"the boundaries have no column {column!r}",
                    value=column,
                    expected="one of the columns " + ", ".join(names),
                    suggestions=closest(column, names),
                )
            )
    return out


def _crs(
    frame: gpd.GeoDataFrame, spec: BoundarySpec, entry: Problem
) -> tuple[Any, PlanProblem | None]:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    stated = None
    if spec.crs:
        try:
            stated = CRS.from_user_input(spec.crs)
        except CRSError:
            return None, entry(
                "crs",
                f"unknown CRS {spec.crs!r}",
                value=spec.crs,
                expected="an EPSG code such as EPSG:4326 (longitude/latitude) or EPSG:3857",
            )
    if frame.crs is None:
        if stated is None:
            return None, entry(
                "crs",
                "the boundaries state no CRS",
                expected="crs: the CRS of the coordinates, such as EPSG:4326 (longitude/"
                "latitude), EPSG:3857 or EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)",
            )
        return stated, None
    if stated is not None and not stated.equals(frame.crs, ignore_axis_order=True):
        return None, entry(
            "crs",
            f"the boundaries state {frame.crs.to_string()}, the plan says {spec.crs}",
            value=spec.crs,
            expected=f"crs: {frame.crs.to_string()} or no crs (the file's own is used)",
        )
    return frame.crs, None


def _size(frame: gpd.GeoDataFrame, shown: str) -> list[PlanProblem]:
    if len(frame) == 0:
        return [PlanProblem(shown, "<file>", "no features", expected="at least one zone")]
    if len(frame) > MAX_ZONES:
        return [
            PlanProblem(
                shown,
                "<file>",
                f"too many features ({len(frame)})",
                expected=f"at most {MAX_ZONES} zones",
            )
        ]
    vertices = int(shapely.get_num_coordinates(np.asarray(frame.geometry.array)).sum())
    if vertices > MAX_VERTICES:
        return [
            PlanProblem(
                shown,
                "<file>",
                f"too many vertices ({vertices})",
                expected=f"at most {MAX_VERTICES} in all zones (simplify them first)",
            )
        ]
    return []


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _id(value: Any) -> str:
    """An id cell as text: ``7`` and ``7.0`` are ``"7"``."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return _text(value)


def _ids(ids: list[str], column: str, shown: str) -> list[PlanProblem]:
    out = [
        PlanProblem(shown, column, "empty id", line=i + 1, expected="a unique id for every zone")
        for i, v in enumerate(ids)
        if not v
    ]
    rows: dict[str, list[int]] = {}
    for i, v in enumerate(ids):
        if v:
            rows.setdefault(v, []).append(i + 1)
    dup = {v: r for v, r in rows.items() if len(r) > 1}
    if dup:
        listed = ", ".join(
            f"{v!r} (features {', '.join(map(str, r))})" for v, r in sorted(dup.items())
        )
        out.append(
            PlanProblem(
                shown,
                column,
                f"duplicate ids: {listed}",
                value=sorted(dup),
                expected="a unique id for every zone",
            )
        )
    return out


def _names(names: list[str], ids: list[str], column: str, shown: str) -> list[PlanProblem]:
    return [
        PlanProblem(
            shown,
            column,
            f"zone {ids[i]!r} has no name",
            line=i + 1,
            expected="its zh-Hans name",
        )
        for i, name in enumerate(names)
        if not name
    ]


def _geometries(geoms: gpd.GeoSeries, ids: list[str], shown: str) -> list[PlanProblem]:
    out = []
    polygonal = ("Polygon", "MultiPolygon")
    for i, geom in enumerate(geoms):
        label = f"zone {ids[i]!r}" if ids[i] else f"feature {i + 1}"
        if geom is None or geom.is_empty:
            out.append(
                PlanProblem(
                    shown,
                    "geometry",
                    f"{label} has an empty geometry",
                    line=i + 1,
                    expected="a Polygon or MultiPolygon",
                )
            )
        elif geom.geom_type not in polygonal:
            out.append(
                PlanProblem(
                    shown,
                    "geometry",
                    f"{label} is a {geom.geom_type}",
                    line=i + 1,
                    value=geom.geom_type,
                    expected="a Polygon or MultiPolygon (zones are areas)",
                )
            )
        elif not geom.is_valid:
            out.append(
                PlanProblem(
                    shown,
                    "geometry",
                    f"{label} has an invalid geometry ({shapely.is_valid_reason(geom)}); "
                    + _repair_hint(geom),
                    line=i + 1,
                    expected="a valid polygon (fix it in the source, or repair it with "
                    "GeoDataFrame.make_valid() and check the result)",
                )
            )
    return out


def _repair_hint(geom: Any) -> str:
    """Whether ``make_valid`` would give a polygon, and how much of the drawn area it keeps."""
    fixed = shapely.make_valid(geom)
    parts = [
        p for p in getattr(fixed, "geoms", [fixed]) if p.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not parts:
        return "make_valid would not give a polygon"
    area = sum(p.area for p in parts)
    shell = shapely.Polygon(geom.exterior) if geom.geom_type == "Polygon" else None
    if shell is not None and shell.is_valid and shell.area > 0:
        share = 100 * area / shell.area
        return f"make_valid would fix it (keeping {share:.1f}% of its outline's area)"
    return "make_valid would fix it"


def _outside_lonlat(
    geoms: gpd.GeoSeries, crs: Any, spec: BoundarySpec, entry: Problem
) -> PlanProblem | None:
    x0, y0, x1, y1 = geoms.total_bounds
    if np.all(np.isfinite([x0, y0, x1, y1])) and -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90:
        return None
    return entry(
        "crs",
        f"the zones fall outside longitude/latitude once converted from {crs.to_string()} "
        f"(bounds {x0:.6g}, {y0:.6g}, {x1:.6g}, {y1:.6g}): the CRS looks wrong",
        value=spec.crs or crs.to_string(),
        expected="the CRS the coordinates are really in",
    )


def _overlaps(geoms: np.ndarray, ids: list[str], shown: str) -> list[PlanProblem]:
    """Every pair of zones sharing more than :data:`OVERLAP_SHARE` of the smaller's area."""
    from pyproj import CRS, Transformer

    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
    laea = CRS.from_proj4(f"+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m")
    to_m = Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    metres = shapely.transform(geoms, lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1])))
    shared = shapely.area(shapely.intersection(metres[left], metres[right]))
    smaller = np.minimum(shapely.area(metres[left]), shapely.area(metres[right]))
    over = np.flatnonzero(shared > OVERLAP_SHARE * smaller)
    out = [
        PlanProblem(
            shown,
            "geometry",
            f"zones {ids[left[k]]!r} and {ids[right[k]]!r} overlap by "
            f"{shared[k] / 1e6:.3g} km² ({100 * shared[k] / smaller[k]:.1f}% of the smaller)",
            line=int(left[k]) + 1,
            expected=f"zones that do not overlap (tolerance {100 * OVERLAP_SHARE:g}% of the "
            "smaller zone's area)",
        )
        for k in over[:_MAX_PAIRS]
    ]
    if len(over) > _MAX_PAIRS:
        out.append(
            PlanProblem(
                shown,
                "geometry",
                f"and {len(over) - _MAX_PAIRS} more overlapping pairs",
                expected="zones that do not overlap",
            )
        )
    return out


def _label_point(geom: Any) -> tuple[float, float]:
    """A point well inside the zone's largest part (pole of inaccessibility)."""
    from shapely.ops import polylabel

    big = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
    x0, y0, x1, y1 = big.bounds
    try:
        pt = polylabel(big, tolerance=max(x1 - x0, y1 - y0) / 200 or 1e-6)
    except Exception:  # pragma: no cover - degenerate polygons
        pt = big.representative_point()
    return round(pt.x, 6), round(pt.y, 6)


def _unit_frame(
    frame: gpd.GeoDataFrame,
    spec: BoundarySpec,
    ids: list[str],
    names: list[str],
    lonlat: np.ndarray,
) -> gpd.GeoDataFrame:
    def column(key: str) -> list[str]:
        name = getattr(spec, key)
        return [_text(v) for v in frame[name]] if name else [""] * len(frame)

    hant = [h or to_hant(n) for h, n in zip(column("name_zh_hant"), names, strict=True)]
    en = [e or n for e, n in zip(column("name_en"), names, strict=True)]
    labels = [_label_point(g) for g in lonlat]
    data = {
        "adcode": ids,
        "parent_adcode": column("parent"),
        "level": USER_LEVEL,
        "name_zh_hans": names,
        "name_zh_hant": hant,
        "name_en": en,
        "short_zh_hans": names,
        "short_zh_hant": hant,
        "short_en": en,
        "block": "",
        "alt_blocks": [()] * len(ids),
        "label_lon": [x for x, _ in labels],
        "label_lat": [y for _, y in labels],
    }
    out = gpd.GeoDataFrame(pd.DataFrame(data), geometry=list(lonlat), crs="EPSG:4326")
    return out[list(UNIT_FILE_COLUMNS)]
