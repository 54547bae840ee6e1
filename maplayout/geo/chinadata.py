"""Boundaries of every unit of China (``geodata/china/``): read lazily, per province.

The files are made by :mod:`maplayout.geo.rebuild.national` (see ``docs/geodata.md``):

* ``china/country.fgb`` and ``china/provinces.fgb``: the country and the 34 provincial-level
  units at the national tolerance (1,000 m), for national views;
* ``china/prefectures/<province>.fgb`` and ``china/counties/<province>.fgb``: every
  prefecture- and county-level unit at 200 m; prefectures are their counties dissolved.

Each file is checked against its sha256 in ``china/manifest.json`` the first time a process
reads it, so a damaged file is one :class:`~maplayout.errors.GeodataError` line.

>>> load_china_units("prefecture", within="430000").shape[0]
14
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError, PlaceNotFoundError, closest
from maplayout.geo.boundaries import UNIT_FILE_COLUMNS
from maplayout.geo.china import CHINA_LEVELS, ChinaUnit, china_units
from maplayout.geo.chinafiles import CHINA_MANIFEST, checked_china_file, china_file

__all__ = [
    "CHINA_MANIFEST",
    "CHINA_UNIT_COLUMNS",
    "china_unit_geometry",
    "load_china_units",
    "units_around",
]

#: Columns of every frame :func:`load_china_units` returns, in order.
CHINA_UNIT_COLUMNS: tuple[str, ...] = (*UNIT_FILE_COLUMNS[:-1], "province_adcode", "geometry")
_FIX = "run `maplayout geodata rebuild --china` or reinstall maplayout"
_COUNTRY = "100000"


def _root(folder: str | Path | None) -> Path:
    return Path(folder).resolve() if folder is not None else geodata_dir().resolve()


_rel = china_file


@lru_cache(maxsize=256)
def _read(root: Path, rel: str) -> gpd.GeoDataFrame:
    import pyogrio

    path = checked_china_file(root, rel)
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as err:
        raise GeodataError(f"{path}: unreadable ({err}); {_FIX}") from None
    frame["alt_blocks"] = [tuple(s.split(";")) if s else () for s in frame["alt_blocks"]]
    frame = frame[list(CHINA_UNIT_COLUMNS)]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _check_level(level: str) -> str:
    if level not in CHINA_LEVELS:
        hint = ", ".join(closest(str(level), CHINA_LEVELS)) or ", ".join(CHINA_LEVELS)
        raise GeodataError(
            f"unknown level {level!r}; expected one of {', '.join(CHINA_LEVELS)} (closest: {hint})"
        )
    return level


@lru_cache(maxsize=4)
def _units(root: Path) -> dict[str, list[ChinaUnit]]:
    out: dict[str, list[ChinaUnit]] = {}
    for u in china_units(root):
        out.setdefault(u.adcode, []).append(u)
    return out


def _lookup(root: Path, adcode: object) -> list[ChinaUnit]:
    code = str(adcode).strip()
    found = _units(root).get(code)
    if not found:
        pool = sorted(_units(root))
        near = [c for c in pool if c.startswith(code[:4])][:3] if code.isdigit() else []
        near = near or closest(code, pool)
        hint = f"; closest: {', '.join(near)}" if near else ""
        raise PlaceNotFoundError(
            adcode, near, f"unknown adcode {code!r}: no unit of China has it{hint}"
        )
    return found


def _ancestry(u: ChinaUnit) -> set[str]:
    """The unit's own adcode and those of the units above it."""
    out = {u.adcode, _COUNTRY, u.province_adcode}
    if u.level == "county":
        out.add(u.parent_adcode)
    return out - {""}


def load_china_units(
    level: str,
    within: str | Sequence[str] | None = None,
    *,
    detail: bool = False,
    folder: str | Path | None = None,
) -> gpd.GeoDataFrame:
    """Units of one level of China as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level
        ``"country"`` (1 row), ``"province"`` (34), ``"prefecture"`` (370) or ``"county"``
        (2,875). Chongqing, Taiwan, Hong Kong and Macao stand in at prefecture level with
        their own adcode, Taiwan at county level too (as the source has them).
    within
        Adcode(s) of units (``"100000"`` for all): only units inside them, or equal to one.
        Only the files of the provinces concerned are read.
    detail
        For ``"province"`` and ``"country"``: dissolve the prefectures (200 m) instead of the
        national outlines (1,000 m), so the outline matches the units inside it.
    folder
        Geodata folder (default: the shipped one).

    Returns
    -------
    GeoDataFrame
        Columns :data:`CHINA_UNIT_COLUMNS`, rows ordered by adcode; ``alt_blocks`` a tuple.
        A fresh copy.
    """
    _check_level(level)
    root = _root(folder)
    if within is None:
        codes: set[str] = {_COUNTRY}
    else:
        items = [within] if isinstance(within, (str, int)) else list(within)
        codes = {u.adcode for w in items for u in _lookup(root, w)}
    if level in ("country", "province") and not detail:
        frame = _read(root, _rel(level))
    else:
        provinces = _provinces_of(root, codes)
        if level in ("country", "province"):
            frame = _dissolved(root, level, tuple(sorted(provinces)))
        else:
            parts = [_read(root, _rel(level, p)) for p in sorted(provinces)]
            frame = (
                pd.concat(parts, ignore_index=True)
                if parts
                else _read(root, _rel(level, "430000")).iloc[:0]
            )
    keep = [bool(codes & _ancestry_row(r)) for r in frame.itertuples(index=False)]
    out = frame[keep].sort_values("adcode", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326").copy()


def _ancestry_row(row: Any) -> set[str]:
    out = {row.adcode, _COUNTRY, row.province_adcode}
    if row.level == "county":
        out.add(row.parent_adcode)
    return out - {""}


def _provinces_of(root: Path, codes: set[str]) -> set[str]:
    if _COUNTRY in codes:
        return {u.adcode for us in _units(root).values() for u in us if u.level == "province"}
    return {u.province_adcode for c in codes for u in _units(root)[c]}


@lru_cache(maxsize=64)
def _dissolved(root: Path, level: str, provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Provinces (or the country) dissolved from the prefectures at their detail."""
    names = _read(root, _rel(level)) if level == "province" else _read(root, _rel("country"))
    rows = []
    for p in provinces:
        prefs = _read(root, _rel("prefecture", p))
        rows.append((p, shapely.coverage_union_all(np.asarray(prefs.geometry.values))))
    geoms = {p: g for p, g in rows}
    if level == "country":
        if len(provinces) < len(_read(root, _rel("province"))):
            return names.iloc[:0]
        frame = names.copy()
        frame["geometry"] = [shapely.normalize(shapely.coverage_union_all(list(geoms.values())))]
        return frame
    frame = names[names["adcode"].isin(geoms)].copy()
    frame["geometry"] = [shapely.normalize(geoms[a]) for a in frame["adcode"]]
    return frame


def china_unit_geometry(
    adcode: str | int, *, level: str | None = None, folder: str | Path | None = None
) -> Any:
    """The outline of one unit (the highest level with that adcode unless ``level``)."""
    root = _root(folder)
    found = _lookup(root, adcode)
    if level is not None:
        _check_level(level)
        found = [u for u in found if u.level == level]
        if not found:
            raise PlaceNotFoundError(
                adcode,
                [],
                f"adcode {adcode} is not a {level} (it is a {_lookup(root, adcode)[0].level})",
            )
    u = min(found, key=lambda u: CHINA_LEVELS.index(u.level))
    frame = load_china_units(u.level, within=u.adcode, folder=root)
    return frame.loc[frame["adcode"] == u.adcode, "geometry"].iloc[0]


def units_around(
    adcodes: Sequence[str], level: str, *, folder: str | Path | None = None
) -> gpd.GeoDataFrame:
    """Units at ``level`` sharing a border with the union of ``adcodes`` (not those units,
    nor units inside them), found from the geometry: two outlines share a border when their
    boundaries meet along a line and their interiors do not overlap.

    For ``"prefecture"`` and ``"county"`` the union is taken at the 200 m detail, where
    shared borders are identical; for ``"province"`` from the national outlines when every
    adcode is a province, else the provinces of the bordering prefectures. ``"country"``
    has no units around it in the data (an empty frame).
    """
    _check_level(level)
    root = _root(folder)
    items = [adcodes] if isinstance(adcodes, (str, int)) else list(adcodes)
    units = [min(_lookup(root, a), key=lambda u: CHINA_LEVELS.index(u.level)) for a in items]
    codes = {u.adcode for u in units}
    empty = load_china_units(level, within="710000", folder=root).iloc[:0]
    if level == "country" or not units or _COUNTRY in codes:
        return empty
    if level == "province":
        provs = load_china_units("province", folder=root)
        if all(u.level == "province" for u in units):
            base = shapely.union_all(provs.loc[provs["adcode"].isin(codes), "geometry"].values)
            return _touching(provs[~provs["adcode"].isin(codes)], base)
        ring = units_around(items, "prefecture", folder=root)
        own = {u.province_adcode for u in units}
        keep = set(ring["province_adcode"]) - own
        return provs[provs["adcode"].isin(keep)].reset_index(drop=True)
    base = shapely.union_all([_detail_geometry(root, u) for u in units])
    provs = load_china_units("province", folder=root)
    near = provs.loc[shapely.dwithin(provs.geometry.values, base, 0.05), "adcode"]
    cand = load_china_units(level, within=list(near), folder=root)
    cand = cand[[not (codes & _ancestry_row(r)) for r in cand.itertuples(index=False)]]
    return _touching(cand, base)


def _detail_geometry(root: Path, u: ChinaUnit) -> Any:
    """A unit's outline at the 200 m detail (a province: its prefectures dissolved)."""
    if u.level == "province":
        prefs = load_china_units("prefecture", within=u.adcode, folder=root)
        return shapely.coverage_union_all(np.asarray(prefs.geometry.values))
    frame = load_china_units(u.level, within=u.adcode, folder=root)
    return frame.geometry.values[list(frame["adcode"]).index(u.adcode)]


def _touching(frame: gpd.GeoDataFrame, base: Any) -> gpd.GeoDataFrame:
    hit = shapely.relate_pattern(np.asarray(frame.geometry.values), base, "F***1****")
    return frame[hit].reset_index(drop=True)
