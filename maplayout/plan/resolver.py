"""Place names in a plan: resolved among every unit of China, inside the region first.

:class:`PlaceResolver` reports each unknown, ambiguous, out-of-region or wrong-level place as
one problem naming the closest valid choices or the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from maplayout.errors import PlaceNotFoundError
from maplayout.plan.fields import Checker, short_repr
from maplayout.plan.region import (
    HUNAN,
    REGION_LEVELS,
    Region,
    china_unit,
    known_blocks,
    region_prefix,
)

__all__ = ["PlaceResolver", "suggest_places"]

_UNIT_LEVELS = ("prefecture", "county")


def _levels_text(levels: Sequence[str]) -> str:
    return " or ".join(levels)


class PlaceResolver:
    """Resolves plan place references and reports unknown or out-of-region places.

    Places are looked up among every unit of China (:func:`maplayout.geo.resolve_china`), a
    name several units carry inside the region first. A region inside Hunan asks the shipped
    Hunan files first (:func:`maplayout.geo.resolve`): the default plan validates without
    building the national index.
    """

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self._cache: dict[tuple[str, tuple[str, ...]], Any] = {}

    def _lookup(self, name: str, region: Region | None) -> Any:
        """The unit ``name`` means (inside ``region`` first), or the error saying why not."""
        from maplayout.geo import boundaries as geodata
        from maplayout.geo import resolve_china

        key = (name, region.adcodes if region is not None else ())
        if key in self._cache:
            return self._cache[key]
        found: Any = None
        if region is None or region.in_hunan:
            try:
                unit = geodata.resolve(name)
            except PlaceNotFoundError:
                unit = None
            inside = unit is not None and (region is None or region.contains(unit.adcode))
            if unit is not None and inside and unit.level != "neighbour":
                found = unit
        if found is None:
            try:
                found = resolve_china(name, within=list(key[1]) or None)
            except PlaceNotFoundError as err:
                found = err
        self._cache[key] = found
        return found

    def region(self, value: object, path: str = "region") -> Region | None:
        """The plan's ``region``: one place or a list, each a province, a city or the country."""
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            self.checker.error(path, "empty list", expected=_REGION_EXPECTED)
            return None
        units = []
        for index, item in enumerate(items):
            where = f"{path}[{index}]" if isinstance(value, list) else path
            unit = self._region_unit(item, where)
            if unit is None:
                return None
            units.append(unit)
        codes = [u.adcode for u in units]
        for index, unit in enumerate(units):
            inside = [o for o in units if o.adcode != unit.adcode and _contains(o, unit.adcode)]
            if codes.index(unit.adcode) != index or inside:
                other = inside[0] if inside else unit
                self.checker.error(
                    f"{path}[{index}]",
                    f"{unit.name_zh_hans} ({unit.adcode}) is already in the region "
                    f"(as {other.name_zh_hans}, {other.adcode})",
                    value=items[index],
                    expected="each region once, none inside another",
                )
                return None
        return Region(tuple(units))

    def _region_unit(self, query: object, path: str) -> Any:
        if isinstance(query, bool) or not isinstance(query, (str, int)) or not str(query).strip():
            self.checker.wrong_type(path, query, _REGION_EXPECTED)
            return None
        name = str(query).strip()
        unit = self._lookup(name, None)
        if isinstance(unit, PlaceNotFoundError):
            self._unknown(path, name, unit, REGION_LEVELS[1:], None, "a province or city")
            return None
        if unit.level not in REGION_LEVELS:
            self.checker.error(
                path,
                f"place {name!r} is a {unit.level} ({unit.name_zh_hans}, {unit.adcode})",
                value=name,
                expected=_REGION_EXPECTED,
            )
            return None
        return unit

    def resolve(
        self,
        query: object,
        path: str,
        *,
        levels: tuple[str, ...] | None = None,
        region: Region | None = None,
    ) -> Any:
        """The unit ``query`` names, or ``None`` after reporting a problem at ``path``.

        ``levels`` defaults to the region's :attr:`Region.place_levels`.
        """
        if isinstance(query, bool) or not isinstance(query, (str, int)) or str(query).strip() == "":
            self.checker.wrong_type(path, query, "a place name or adcode")
            return None
        if levels is None:
            levels = region.place_levels if region is not None else _UNIT_LEVELS
        name = str(query).strip()
        unit = self._lookup(name, region)
        where = f" of {region.name_zh_hans}" if region is not None else ""
        if isinstance(unit, PlaceNotFoundError):
            self._unknown(path, name, unit, levels, region, f"a {_levels_text(levels)}")
            return None
        if region is not None and not region.contains(unit.adcode):
            self._outside(path, name, unit, levels, region)
            return None
        if unit.level not in levels:
            self.checker.error(
                path,
                f"place {name!r} is a {unit.level} ({unit.name_zh_hans}, {unit.adcode})",
                value=name,
                expected=f"a {_levels_text(levels)}{where}",
            )
            return None
        return unit

    def _unknown(
        self,
        path: str,
        name: str,
        err: PlaceNotFoundError,
        levels: tuple[str, ...],
        region: Region | None,
        what: str,
    ) -> None:
        """Report an unknown, or ambiguous, place name."""
        from maplayout.geo import AmbiguousPlaceError, unit_label

        if isinstance(err, AmbiguousPlaceError):
            listed = ", ".join(unit_label(u) for u in err.candidates)
            inside = region is not None and any(region.contains(u.adcode) for u in err.candidates)
            none_in = f" (none in {region.name_zh_hans})" if region and not inside else ""
            first = err.candidates[0]
            self.checker.error(
                path,
                f"ambiguous place {name!r}{none_in}: {listed}",
                value=name,
                expected=f"the city with the name (such as {unit_label(first).split(' (')[0]}) "
                f"or the adcode ({first.adcode})",
            )
            return
        where = f" in {region.name_zh_hans}" if region is not None else ""
        what_digits = "adcode" if name.isdigit() else "name"
        self.checker.error(
            path,
            f"unknown place {name!r}: no unit of China has that {what_digits}",
            value=name,
            expected=f"{what} name or adcode{where}",
            suggestions=suggest_places(name, levels, region.adcodes if region else ())
            or err.suggestions,
        )

    def _outside(
        self, path: str, name: str, unit: Any, levels: tuple[str, ...], region: Region
    ) -> None:
        """Report a place of China outside the plan's region, with the region that would hold
        it (the place's province, or its city for a city region)."""
        province = china_unit(str(getattr(unit, "province_adcode", "") or unit.adcode[:2] + "0000"))
        if region.level == "prefecture" and unit.level == "county":
            wider = china_unit(str(unit.parent_adcode)) or province
        elif region.level == "prefecture" and unit.level == "prefecture":
            wider = unit
        else:
            wider = province or unit
        container = (
            f" is in {province.name_zh_hans},"
            if province is not None and province.adcode != unit.adcode
            else " is"
        )
        names = [u.name_zh_hans for u in region.units] + [wider.name_zh_hans]
        self.checker.error(
            path,
            f"place {name!r} ({unit.name_zh_hans}, {unit.adcode}){container} outside this "
            f"plan's region {region.name_zh_hans}",
            value=name,
            expected=f"a {_levels_text(levels)} of {region.name_zh_hans}, or a wider region: "
            f"region: [{', '.join(names)}]",
        )

    def block(self, value: object, path: str, region: Region | None = None) -> str | None:
        """A regional block id of the region's data (``CZT``, ``DONGTING`` … in Hunan)."""
        blocks = known_blocks(region.adcodes if region is not None else (HUNAN,))
        if not blocks and region is not None:
            self.checker.error(
                path,
                f"unknown block {short_repr(value)}: {region.name_zh_hans} has no regional "
                "blocks in the shipped data",
                value=value,
                expected="members: [places] instead of block",
            )
            return None
        if not isinstance(value, str) or value not in blocks:
            self.checker.not_one_of(path, f"unknown block {short_repr(value)}", value, blocks)
            return None
        return value


_REGION_EXPECTED = (
    "a province or city name or adcode, a list of them, or 中国 for the whole country"
)


def _contains(unit: Any, adcode: str) -> bool:
    return str(adcode).startswith(region_prefix(unit.adcode))


@lru_cache(maxsize=8)
def _name_pool(levels: tuple[str, ...]) -> tuple[tuple[int, str, str, str, str, str], ...]:
    """``(level rank, adcode, full name, short name, English name, English short name)`` of
    every unit of China at ``levels``."""
    from maplayout.geo import china_units

    rank = {level: n for n, level in enumerate(levels)}
    return tuple(
        (rank[u.level], u.adcode, u.name_zh_hans, u.short_zh_hans, u.name_en, u.short_en)
        for u in sorted(china_units(), key=lambda u: (rank.get(u.level, 9), u.adcode))
        if u.level in rank
    )


def suggest_places(
    query: str, levels: tuple[str, ...], within: Sequence[str] = (), n: int = 3
) -> list[str]:
    """Up to ``n`` full unit names closest to ``query`` inside the regions ``within`` (adcodes).

    Chinese place names are most distinctive by their first characters, so candidates are
    ranked by the length of the common prefix with the query (after folding to Simplified
    script and dropping the admin suffix), then by similarity: ``株州`` → 株洲市 (not 郴州市).
    """
    import difflib

    from maplayout.geo.names import normalise

    key = normalise(query)
    if not key:
        return []
    prefixes = tuple(region_prefix(a) for a in within)
    ascii_q = query.isascii()
    scored = []
    for rank, adcode, full, short, full_en, short_en in _name_pool(levels):
        if prefixes and not adcode.startswith(prefixes):
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
