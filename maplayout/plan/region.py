"""The plan's region: a province, a city, several of them, or the whole country.

:class:`Region` says what the region is and which places lie inside it; the regional blocks
are data per region (``sources/regions.csv``: Hunan's 长株潭, 洞庭湖, 湘南, 大湘西); the
outlines come from the shipped Hunan files for Hunan and from the national data otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "HUNAN",
    "PLACE_LEVELS",
    "REGION_LEVELS",
    "VIEW_LEVELS",
    "Region",
    "china_unit",
    "known_blocks",
    "prefectures_within",
    "region_geometry",
    "region_prefix",
    "unit_geometry",
]

#: The levels a plan region may have, and the unit levels inside it that a plan may name.
REGION_LEVELS: tuple[str, ...] = ("country", "province", "prefecture")
PLACE_LEVELS: dict[str, tuple[str, ...]] = {
    "country": ("province", "prefecture", "county"),
    "province": ("prefecture", "county"),
    "prefecture": ("county",),
}
#: The views (unit levels) a region is drawn at, the first the layout map.
VIEW_LEVELS: dict[str, tuple[str, ...]] = {
    "country": ("province", "prefecture"),
    "province": ("prefecture", "county"),
    "prefecture": ("county",),
}
#: The shipped Hunan files answer for regions inside Hunan (the default plan's fast path).
HUNAN = "430000"


def region_prefix(adcode: str) -> str:
    """Adcode prefix shared by every unit inside ``adcode`` (430000 → "43", 430100 → "4301").

    The country (100000) contains every unit: its prefix is ``""``.
    """
    prefix = str(adcode)
    if prefix == "100000":
        return ""
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


@lru_cache(maxsize=1)
def _china_by_code() -> dict[str, Any]:
    """``{adcode: unit}`` over every unit of China, the highest level for a shared adcode."""
    from maplayout.geo import china_units

    out: dict[str, Any] = {}
    for u in china_units():
        out.setdefault(u.adcode, u)
    return out


@lru_cache(maxsize=1)
def _city_like_provinces() -> frozenset[str]:
    """Provinces with a single prefecture-level unit (北京, 上海, 重庆, 香港 …): cities."""
    from maplayout.geo import china_units

    count: dict[str, int] = {}
    for u in china_units():
        if u.level == "prefecture":
            count[u.province_adcode] = count.get(u.province_adcode, 0) + 1
    return frozenset(code for code, n in count.items() if n == 1)


def _region_level(unit: Any) -> str:
    """The level a region unit acts at: a municipality such as 重庆市 is a city."""
    if unit.level == "province" and unit.adcode != HUNAN and unit.adcode in _city_like_provinces():
        return "prefecture"
    return str(unit.level)


@dataclass(frozen=True)
class Region:
    """The plan's region: a province, a city, several of them, or the whole country.

    ``units`` are the resolved units (each with ``adcode``, ``level``, ``name_zh_hans``), in
    the plan's order. Places anywhere inside one of them belong to the region.
    """

    units: tuple[Any, ...]

    @property
    def adcode(self) -> str:
        """The first unit's adcode (the only one for a single-unit region)."""
        return str(self.units[0].adcode)

    @property
    def adcodes(self) -> tuple[str, ...]:
        return tuple(str(u.adcode) for u in self.units)

    @property
    def level(self) -> str:
        """``country``, ``province`` or ``prefecture`` (a city): the highest of its units."""
        levels = {_region_level(u) for u in self.units}
        return next(lv for lv in REGION_LEVELS if lv in levels)

    @property
    def name_zh_hans(self) -> str:
        """``湖南省``; ``成都市、重庆市`` for a list."""
        return "、".join(u.name_zh_hans for u in self.units)

    @property
    def place_levels(self) -> tuple[str, ...]:
        """The unit levels a place of the plan may have (a province: its prefectures and
        counties; a city: its counties and districts; the country: all three)."""
        return PLACE_LEVELS[self.level]

    @property
    def view_levels(self) -> tuple[str, ...]:
        """The unit level of each map, the layout map's first."""
        return VIEW_LEVELS[self.level]

    @property
    def in_hunan(self) -> bool:
        """Every unit lies in Hunan: the shipped Hunan files hold all its places."""
        return all(a.startswith("43") for a in self.adcodes)

    def contains(self, adcode: str) -> bool:
        """Whether the unit ``adcode`` lies inside the region (a region unit itself counts)."""
        return any(str(adcode).startswith(region_prefix(a)) for a in self.adcodes)


def china_unit(adcode: str) -> Any:
    """The unit of China with ``adcode`` (the highest level for a shared one), or ``None``."""
    return _china_by_code().get(str(adcode))


@lru_cache(maxsize=1)
def _block_table() -> tuple[tuple[str, str], ...]:
    """``(adcode, block)`` from ``sources/regions.csv``, the blocks as data: each prefecture's
    block, then the county exceptions that the boundaries apply (望城 also in 洞庭湖)."""
    import csv

    from maplayout.geo import geodata_dir

    with (geodata_dir() / "sources" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    prefectures = [(r["adcode"], r["block"]) for r in rows if r.get("level") == "prefecture"]
    exceptions = [
        (r["adcode"], r["alt_block"])
        for r in rows
        if r.get("level") == "county" and r.get("confidence") in ("high", "medium")
    ]
    return tuple((a, b) for a, b in (*prefectures, *exceptions) if b)


@lru_cache(maxsize=16)
def known_blocks(within: tuple[str, ...] = (HUNAN,)) -> tuple[str, ...]:
    """Block ids of the prefectures inside (or equal to) the regions ``within``, in order of
    first appearance: Hunan's ``CZT``, ``XIANGNAN``, ``DAXIANGXI``, ``DONGTING``; none for a
    region whose data defines no blocks."""
    prefixes = tuple(region_prefix(a) for a in within)
    seen: list[str] = []
    for adcode, block in _block_table():
        inside = adcode.startswith(prefixes) or any(
            a.startswith(region_prefix(adcode)) for a in within
        )
        if inside and block not in seen:
            seen.append(block)
    return tuple(seen)


def unit_geometry(adcode: str, level: str) -> Any:
    """The outline of one unit (WGS-84): from the shipped Hunan files when it is one of
    theirs, else from the national data (:func:`maplayout.geo.china_unit_geometry`)."""
    from maplayout.geo import load_units

    if str(adcode).startswith("43") and level in ("province", "prefecture", "county"):
        units = load_units(level)
        row = units[units["adcode"] == adcode]
        if not row.empty:
            return row.geometry.iloc[0]
    return _china_geometry(str(adcode))


def _china_geometry(adcode: str) -> Any:
    """A unit's national outline; a province's at the detail of its prefectures (200 m)."""
    from maplayout.geo import china_unit_geometry, load_china_units

    try:
        if adcode.endswith("0000") and adcode != "100000":
            frame = load_china_units("province", within=adcode, detail=True)
            return frame.geometry.iloc[0] if len(frame) else None
        return china_unit_geometry(adcode)
    except LookupError:
        return None


def region_geometry(adcodes: Sequence[str]) -> Any:
    """The union of the region units ``adcodes`` (``None`` for the whole country, or when
    an outline is missing)."""
    import shapely

    if not adcodes or "100000" in adcodes:
        return None
    parts = [unit_geometry(a, _level_of(a)) for a in adcodes]
    if any(p is None for p in parts):
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _level_of(adcode: str) -> str:
    """The level an adcode's form implies (430000 a province, 430100 a prefecture)."""
    return (
        "province"
        if adcode.endswith("0000")
        else "prefecture"
        if adcode.endswith("00")
        else "county"
    )


def prefectures_within(within: tuple[str, ...]) -> Any:
    """The prefectures of the regions ``within`` (Hunan's from its shipped file)."""
    from maplayout.geo import load_units

    if all(a.startswith("43") for a in within):
        return load_units("prefecture")
    from maplayout.geo import load_china_units

    return load_china_units("prefecture", within=list(within))
