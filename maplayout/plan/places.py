"""Plan checks that need the boundaries: place names, regional blocks, site positions.

Places are resolved with
:func:`maplayout.geo.resolve`; polygons come from :func:`maplayout.geo.load_units`.
Nothing here reads a boundary file itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from maplayout.errors import PlaceNotFoundError
from maplayout.plan.fields import Checker, short_repr

if TYPE_CHECKING:
    from maplayout.plan.types import Site

_UNIT_LEVELS = ("prefecture", "county")


def region_prefix(adcode: str) -> str:
    """Adcode prefix shared by every unit inside ``adcode`` (430000 → "43", 430100 → "4301")."""
    prefix = str(adcode)
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


class PlaceResolver:
    """Resolves plan place references and reports unknown or out-of-region places."""

    def __init__(self, checker: Checker, own: Any = None) -> None:
        self.checker = checker
        self._cache: dict[str, Any] = {}
        #: The plan's own boundaries (:class:`~maplayout.geo.userunits.UserUnits`): places
        #: other than the region resolve against them; ``False`` when they failed to load
        #: (their problems are reported; places are then not checked).
        self.own = own

    def resolve(
        self,
        query: object,
        path: str,
        *,
        levels: tuple[str, ...] = _UNIT_LEVELS,
        region: Any = None,
    ) -> Any:
        """The unit ``query`` names, or ``None`` after reporting a problem at ``path``."""
        from maplayout.geo import boundaries as geodata

        if isinstance(query, bool) or not isinstance(query, (str, int)) or str(query).strip() == "":
            self.checker.wrong_type(path, query, "a place name or adcode")
            return None
        name = str(query).strip()
        if self.own is not None and levels == _UNIT_LEVELS:
            return self.own_unit(name, path)
        if name not in self._cache:
            try:
                self._cache[name] = geodata.resolve(name)
            except PlaceNotFoundError as err:
                self._cache[name] = err
        unit = self._cache[name]
        if isinstance(unit, PlaceNotFoundError):
            where = f" in {region.name_zh_hans}" if region is not None else ""
            prefix = region_prefix(region.adcode) if region is not None else ""
            self.checker.error(
                path,
                f"unknown place {name!r}",
                value=name,
                expected=f"a {' or '.join(levels)} name or adcode{where}",
                suggestions=suggest_places(name, levels, prefix) or unit.suggestions,
            )
            return None
        if unit.level not in levels:
            where = f" of {region.name_zh_hans}" if region is not None else ""
            self.checker.error(
                path,
                f"place {name!r} is a {unit.level} ({unit.name_zh_hans}, {unit.adcode})",
                value=name,
                expected=f"a {' or '.join(levels)}{where}",
            )
            return None
        if region is not None and not str(unit.adcode).startswith(region_prefix(region.adcode)):
            self.checker.error(
                path,
                f"place {name!r} ({unit.name_zh_hans}, {unit.adcode}) is outside the plan region "
                f"{region.name_zh_hans} ({region.adcode})",
                value=name,
                expected=f"a {' or '.join(levels)} of {region.name_zh_hans}",
            )
            return None
        return unit

    def own_unit(self, name: str, path: str) -> Any:
        """The zone of the plan's own boundaries ``name`` names (its id or a name in either
        script, or English), or ``None`` after reporting an unknown or ambiguous name."""
        if self.own is False:
            return None
        found = self.own.find(name)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{u.name_zh_hans} ({u.adcode})" for u in found)
            self.checker.error(
                path,
                f"place {name!r} names {len(found)} zones: {listed}",
                value=name,
                expected="the zone's id",
            )
            return None
        self.checker.error(
            path,
            f"unknown place {name!r}",
            value=name,
            expected=f"a zone id or name of the plan's boundaries ({self.own.shown})",
            suggestions=self.own.choices(name),
        )
        return None

    def block(self, value: object, path: str) -> str | None:
        """A regional block id known to the boundary data (``CZT``, ``DONGTING`` …)."""
        if self.own is not None:
            self.checker.error(
                path,
                f"block {short_repr(value)}: the plan has its own boundaries, which have no "
                "regional blocks",
                value=value,
                expected="members: [zones] (regional blocks belong to the shipped Hunan data)",
            )
            return None
        blocks = known_blocks()
        if not isinstance(value, str) or value not in blocks:
            self.checker.not_one_of(path, f"unknown block {short_repr(value)}", value, blocks)
            return None
        return value


@lru_cache(maxsize=8)
def _name_pool(levels: tuple[str, ...]) -> tuple[tuple[int, str, str, str, str, str], ...]:
    """``(level rank, adcode, full name, short name, English name, English short name)``."""
    from maplayout.geo import load_units

    out = []
    for rank, level in enumerate(levels):
        for row in load_units(level).itertuples(index=False):
            out.append(
                (
                    rank,
                    str(row.adcode),
                    row.name_zh_hans,
                    row.short_zh_hans,
                    row.name_en,
                    row.short_en,
                )
            )
    return tuple(out)


def suggest_places(query: str, levels: tuple[str, ...], prefix: str = "", n: int = 3) -> list[str]:
    """Up to ``n`` full unit names closest to ``query`` within the region ``prefix``.

    Chinese place names are most distinctive by their first characters, so candidates are
    ranked by the length of the common prefix with the query (after folding to Simplified
    script and dropping the admin suffix), then by similarity: ``株州`` → 株洲市 (not 郴州市).
    """
    import difflib

    from maplayout.geo.names import normalise

    key = normalise(query)
    if not key:
        return []
    ascii_q = query.isascii()
    scored = []
    for rank, adcode, full, short, full_en, short_en in _name_pool(levels):
        if prefix and not adcode.startswith(prefix):
            continue
        cand = normalise(short_en) if ascii_q else normalise(short)
        common = 0
        for mine, theirs in zip(key, cand, strict=False):
            if mine != theirs:
                break
            common += 1
        ratio = difflib.SequenceMatcher(None, key, cand).ratio()
        if common or ratio >= 0.5:
            scored.append((-common, -ratio, rank, adcode, full_en if ascii_q else full))
    scored.sort()
    return [full for *_, full in scored[:n]]


@lru_cache(maxsize=1)
def known_blocks() -> tuple[str, ...]:
    """Block ids present in the prefecture boundaries, in order of first appearance."""
    from maplayout.geo import load_units

    units = load_units("prefecture")
    seen: list[str] = []
    for block in units["block"]:
        if block and block not in seen:
            seen.append(str(block))
    return tuple(seen)


@cache
def _polygon_m(adcode: str, level: str, epsg: int) -> Any:
    """The unit's polygon projected to ``epsg`` (metres).

    Cached for the whole run (keys: the shipped units × the UTM zones their sites fall in,
    a few hundred at most): a bound of 64 thrashed on county hosts. A 5,000-site plan over
    the 122 counties (``benchmarks/make_points.py sites 5000``): 1,715 misses → 130, check
    11.4–15.3 s → 3.7–8.7 s on the shared 2-core machine, identical plan and problems.
    """
    from maplayout.geo import load_units

    units = load_units(level)
    row = units[units["adcode"] == adcode]
    if row.empty:
        return None
    return row.to_crs(epsg).geometry.iloc[0]


@lru_cache(maxsize=1)
def _prefectures() -> Any:
    from maplayout.geo import load_units

    return load_units("prefecture")


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
    import shapely
    from shapely.geometry import Point

    epsg = _utm_epsg(lon, lat)
    if getattr(own, "geometry", None) is not None:
        transform = _to_utm(epsg).transform
        poly = shapely.transform(
            own.geometry, lambda c: np.column_stack(transform(c[:, 0], c[:, 1]))
        )
    else:
        poly = _polygon_m(adcode, level, epsg)
    if poly is None:
        return None
    x, y = _to_utm(epsg).transform(lon, lat)
    return float(poly.distance(Point(x, y))) / 1000.0


def _containing_prefecture(lon: float, lat: float) -> list[str]:
    from shapely.geometry import Point

    pref = _prefectures()
    hit = pref[pref.geometry.contains(Point(lon, lat))]
    return [f"{row.name_zh_hans} ({row.adcode})" for row in hit.itertuples()]


def check_site(site: Site, path: str, region: Any, host: Any, chk: Checker) -> bool:
    """Check that a site lies in the plan region and in (or near) its host unit.

    The site's uncertainty radius is the tolerance: a point drawn with a 3 km circle may sit
    up to 3 km outside its host's boundary. Returns ``True`` when the site passes.
    """
    tol_km = site.radius_m / 1000.0
    d_region = _distance_km(site.lon, site.lat, region.adcode, region.level)
    if d_region is not None and d_region > tol_km:
        hint = ""
        swapped = _distance_km(site.lat, site.lon, region.adcode, region.level)
        if swapped is not None and swapped <= tol_km:
            hint = " (lon and lat look swapped)"
        where = f"the plan region {region.name_zh_hans} ({region.adcode}){hint}"
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
        near = [] if own else _containing_prefecture(site.lon, site.lat)
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
