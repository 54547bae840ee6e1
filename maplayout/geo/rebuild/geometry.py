"""Geometry steps of the geodata rebuild: coverage simplification edge by edge, dropping
offshore islets, measured deviation, label points."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import shapely

from maplayout.errors import GeodataError

__all__ = [
    "DECIMALS",
    "METRIC_CRS",
    "MIN_NEIGHBOUR_PART_KM2",
    "M_PER_DEG",
    "NEIGHBOUR_TOLERANCE_M",
    "TOLERANCE_M",
    "drop_small_parts",
    "label_point",
    "max_deviation_m",
    "simplify_coverage",
]

#: Douglas-Peucker tolerance for Hunan's edges, metres.
TOLERANCE_M = 200.0
#: Tolerance for edges not on a Hunan county (neighbour-only borders and coasts), metres.
NEIGHBOUR_TOLERANCE_M = 2000.0
#: Neighbour polygon parts smaller than this (km²) are dropped (offshore islets).
MIN_NEIGHBOUR_PART_KM2 = 50.0
#: Decimal places kept in the shipped coordinates (1e-4° ≈ 11 m north-south, 10 m east-west).
DECIMALS = 4
REF_LAT = 27.5  # centre latitude of Hunan; x is scaled by cos(ref lat) for an even frame
M_PER_DEG = 111_320.0
METRIC_CRS = "EPSG:32649"  # UTM zone 49N, for measuring deviations in metres

_K = float(np.cos(np.radians(REF_LAT)))


def _to_even(coords: np.ndarray) -> np.ndarray:
    return cast(np.ndarray, coords * np.array([_K, 1.0]))


def _from_even(coords: np.ndarray) -> np.ndarray:
    return cast(np.ndarray, np.round(coords / np.array([_K, 1.0]), DECIMALS))


def simplify_coverage(geoms: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Simplify a valid coverage edge by edge; ``fine[i]`` marks units using TOLERANCE_M.

    Returns the simplified units in input order; raises GeodataError if the result is not a
    valid coverage with every unit present.
    """
    network = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    edges = shapely.get_parts(network)
    fine_area = shapely.union_all(geoms[fine])
    mid = shapely.line_interpolate_point(edges, 0.5, normalized=True)
    is_fine = shapely.dwithin(mid, fine_area, 1e-9)
    even = shapely.transform(shapely.multilinestrings(edges), _to_even)
    simplified: dict[int, Any] = {}
    for tol_m, pick in ((TOLERANCE_M, is_fine), (NEIGHBOUR_TOLERANCE_M, ~is_fine)):
        s = shapely.simplify(even, tol_m / M_PER_DEG, preserve_topology=True)
        parts = shapely.get_parts(s)
        if len(parts) != len(edges):  # pragma: no cover - GEOS keeps every part
            raise GeodataError("rebuild: simplification dropped an edge")
        simplified.update({int(i): parts[i] for i in np.flatnonzero(pick)})
    merged = np.array([simplified[i] for i in range(len(edges))])
    merged = shapely.transform(merged, _from_even)
    merged = merged[~shapely.is_empty(merged)]
    faces = shapely.get_parts(shapely.polygonize(merged))
    tree = shapely.STRtree(geoms)
    face_idx, unit_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    out = []
    for k in range(len(geoms)):
        own = faces[face_idx[unit_idx == k]]
        if len(own) == 0:
            raise GeodataError(f"rebuild: unit #{k} vanished during simplification")
        out.append(own[0] if len(own) == 1 else shapely.coverage_union_all(own))
    result = shapely.normalize(np.array(out))
    if not (shapely.is_valid(result).all() and shapely.coverage_is_valid(result)):
        raise GeodataError("rebuild: simplified boundaries are not a valid coverage")
    return cast(np.ndarray, result)


def drop_small_parts(geom: Any, min_km2: float, near: Any) -> Any:
    """Drop parts smaller than ``min_km2`` unless they touch ``near`` (enclaves in Hunan)."""
    parts = shapely.get_parts(geom)
    lat = shapely.get_y(shapely.centroid(parts))
    km2 = shapely.area(parts) * (M_PER_DEG / 1000.0) ** 2 * np.cos(np.radians(lat))
    keep = parts[(km2 >= min_km2) | shapely.intersects(parts, near)]
    return keep[0] if len(keep) == 1 else shapely.multipolygons(keep)


def _metric(geoms: Any) -> Any:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    return shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def max_deviation_m(shipped: np.ndarray, source: np.ndarray) -> float:
    """Largest Hausdorff distance (m) between shipped and source outlines."""
    d = shapely.hausdorff_distance(
        shapely.boundary(_metric(shipped)), shapely.boundary(_metric(source))
    )
    return round(float(np.max(d)), 1)


def label_point(geom: Any) -> tuple[float, float]:
    """Centre of the maximum inscribed circle (pole of inaccessibility), rounded, inside."""
    line = shapely.maximum_inscribed_circle(geom, 0.0005)
    pt = shapely.get_point(line, 0)
    lon, lat = round(shapely.get_x(pt), DECIMALS), round(shapely.get_y(pt), DECIMALS)
    if not shapely.contains_xy(geom, lon, lat):  # pragma: no cover - defensive
        pt = shapely.point_on_surface(geom)
        lon, lat = round(shapely.get_x(pt), DECIMALS), round(shapely.get_y(pt), DECIMALS)
    return lon, lat
