"""Plan checks that need the boundaries: site positions against the region and their host.

Places are resolved by :mod:`maplayout.plan.resolver`; outlines come from
:func:`maplayout.plan.region.unit_geometry` (the shipped Hunan files, else the national data).
Nothing here reads a boundary file itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from maplayout.plan.fields import Checker
from maplayout.plan.region import Region, prefectures_within, unit_geometry

if TYPE_CHECKING:
    from maplayout.plan.types import Site


@cache
def _polygon_m(adcode: str, level: str, epsg: int) -> Any:
    """The unit's polygon projected to ``epsg`` (metres).

    Cached for the whole run (keys: the shipped units × the UTM zones their sites fall in,
    a few hundred at most): a bound of 64 thrashed on county hosts. A 5,000-site plan over
    the 122 counties (``benchmarks/make_points.py sites 5000``): 1,715 misses → 130, check
    11.4–15.3 s → 3.7–8.7 s on the shared 2-core machine, identical plan and problems.
    """
    geom = unit_geometry(adcode, level)
    if geom is None:
        return None
    return _projected(geom, epsg)


def _projected(geom: Any, epsg: int) -> Any:
    """``geom`` (WGS-84 lon/lat) in ``epsg``: the transformer ``GeoSeries.to_crs`` builds,
    built once per zone (the same coordinates, bit for bit)."""
    import numpy as np
    import shapely

    transform = _to_utm(epsg).transform
    return shapely.transform(geom, lambda c: np.column_stack(transform(c[:, 0], c[:, 1])))


def _utm_epsg(lon: float, lat: float) -> int:
    zone = int((lon + 180.0) // 6.0) + 1
    return (32600 if lat >= 0 else 32700) + max(1, min(60, zone))


@lru_cache(maxsize=8)
def _to_utm(epsg: int) -> Any:
    """WGS-84 lon/lat → ``epsg`` (the transformer GeoPandas' ``to_crs`` builds, built once)."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)


def _distance_km(lon: float, lat: float, adcode: str, level: str, own: Any = None) -> float | None:
    """Distance from the point to the unit in km (0 inside); ``None`` if the unit is unknown.

    A zone of the plan's own boundaries (``own``, with its ``geometry``) is measured as is.
    """
    from shapely.geometry import Point

    epsg = _utm_epsg(lon, lat)
    if getattr(own, "geometry", None) is not None:
        poly = _projected(own.geometry, epsg)
    else:
        poly = _polygon_m(adcode, level, epsg)
    if poly is None:
        return None
    x, y = _to_utm(epsg).transform(lon, lat)
    return float(poly.distance(Point(x, y))) / 1000.0


def _region_km(lon: float, lat: float, region: Region) -> float | None:
    """Distance from the point to the nearest unit of the region (0 inside)."""
    if region.level == "country":
        return None  # every site is checked against its host unit, inside the country
    found = [_distance_km(lon, lat, u.adcode, u.level) for u in region.units]
    known = [d for d in found if d is not None]
    return min(known) if known else None


def _containing_prefecture(lon: float, lat: float, within: tuple[str, ...]) -> list[str]:
    from shapely.geometry import Point

    pref = prefectures_within(within)
    hit = pref[pref.geometry.contains(Point(lon, lat))]
    return [f"{row.name_zh_hans} ({row.adcode})" for row in hit.itertuples()]


def check_site(site: Site, path: str, region: Region, host: Any, chk: Checker) -> bool:
    """Check that a site lies in the plan region and in (or near) its host unit.

    The site's uncertainty radius is the tolerance: a point drawn with a 3 km circle may sit
    up to 3 km outside its host's boundary. Returns ``True`` when the site passes.
    """
    tol_km = site.radius_m / 1000.0
    d_region = _region_km(site.lon, site.lat, region)
    if d_region is not None and d_region > tol_km:
        hint = ""
        swapped = _region_km(site.lat, site.lon, region)
        if swapped is not None and swapped <= tol_km:
            hint = " (lon and lat look swapped)"
        where = f"the plan region {region.name_zh_hans} ({', '.join(region.adcodes)}){hint}"
        expected = (
            f"a point inside {region.name_zh_hans} "
            f"(tolerance: the site's radius_m, {site.radius_m:g} m)"
        )
        _outside(chk, path, site, d_region, where, expected)
        return False
    d_host = _distance_km(site.lon, site.lat, host.adcode, host.level, own=host)
    if d_host is not None and d_host > tol_km:
        where = f"its host {host.name_zh_hans} ({host.adcode})"
        expected = (
            f"a point inside {host.name_zh_hans} or within the site's radius_m "
            f"({site.radius_m:g} m) of it"
        )
        own = getattr(host, "geometry", None) is not None  # a zone: no prefecture to suggest
        near = [] if own else _containing_prefecture(site.lon, site.lat, region.adcodes)
        _outside(chk, path, site, d_host, where, expected, near)
        return False
    return True


def _outside(
    chk: Checker,
    path: str,
    site: Site,
    km: float,
    where: str,
    expected: str,
    suggestions: Sequence[str] = (),
) -> None:
    """Report ``site`` as lying ``km`` outside ``where``."""
    chk.error(
        f"{path}.lon",
        f"site {site.id!r} at ({site.given_lon}, {site.given_lat}) lies {km:.1f} km "
        f"outside {where}",
        value=(site.given_lon, site.given_lat),
        expected=expected,
        suggestions=suggestions,
    )
