"""The shipped Hunan boundaries: loading, integrity check and place-name resolution.

Files live in :func:`maplayout._paths.geodata_dir` (``geodata/`` in a checkout,
``maplayout/_geodata`` in a wheel) and are described by ``manifest.json`` (see
``docs/geodata.md``). The first load in a process checks every file's sha256 against the
manifest (about a millisecond per 100 KB), so a missing, truncated or edited file is
reported as one :class:`~maplayout.errors.GeodataError` line instead of a parser traceback.
"""

from __future__ import annotations

import csv
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError, PlaceNotFoundError, closest
from maplayout.geo.chinafiles import CHINA_MANIFEST, china_manifest, verify_china_files
from maplayout.geo.names import normalise, to_hans

__all__ = [
    "LEVELS",
    "UNIT_FILE_COLUMNS",
    "Unit",
    "geodata_summary",
    "load_block_exceptions",
    "load_units",
    "resolve",
    "verify_geodata",
]

#: Levels in resolution priority order (a higher level wins a tie).
LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "neighbour")
FILES: dict[str, str] = {
    "province": "boundaries/hunan-province.geojson",
    "prefecture": "boundaries/hunan-prefectures.geojson",
    "county": "boundaries/hunan-counties.geojson",
    "neighbour": "boundaries/neighbours.geojson",
}
#: Columns of every frame returned by :func:`load_units`, in order.
UNIT_FILE_COLUMNS: tuple[str, ...] = (
    "adcode",
    "parent_adcode",
    "level",
    "name_zh_hans",
    "name_zh_hant",
    "name_en",
    "short_zh_hans",
    "short_zh_hant",
    "short_en",
    "block",
    "alt_blocks",
    "label_lon",
    "label_lat",
    "geometry",
)
_FIX = "run `maplayout geodata rebuild` or reinstall maplayout"
_VERIFIED: set[Path] = set()
#: Boundary files parsed by the check, kept until their first load takes them
#: (``{path: (bytes, features)}``): each file is parsed once per process, not twice.
_PARSED: dict[Path, tuple[bytes, list[Any]]] = {}


def _folder(folder: str | Path | None) -> Path:
    return Path(folder).resolve() if folder is not None else geodata_dir().resolve()


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise GeodataError(f"{path}: missing; {_FIX}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise GeodataError(f"{path}: not valid JSON ({err}); {_FIX}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise GeodataError(f"{path}: no 'files' table; {_FIX}")
    return manifest


def verify_geodata(folder: str | Path | None = None, *, full: bool = False) -> dict[str, Any]:
    """Check every file listed in ``manifest.json`` against its sha256 and size.

    The files of all of China (``china/manifest.json``) are checked for presence and size;
    their sha256 when first read, or here with ``full``.

    Parameters
    ----------
    folder
        The geodata folder (default: the shipped one).
    full
        Also hash every file of all of China (``maplayout geodata check``; ≈ 0.1 s).

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    GeodataError
        One line naming the first missing or mismatching file and how to fix it.
    """
    root = _folder(folder)
    manifest = _manifest(root)
    read: dict[Path, bytes] = {}
    for rel, info in sorted(manifest["files"].items()):
        path = root / rel
        if not isinstance(info, dict):
            raise GeodataError(
                f"{root / 'manifest.json'}: files[{rel!r}] is {type(info).__name__}, "
                f"expected a table with sha256 and bytes; {_FIX}"
            )
        if not path.is_file():
            raise GeodataError(f"{path}: missing (listed in manifest.json); {_FIX}")
        read[path] = data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != info.get("sha256"):
            raise GeodataError(
                f"{path}: contents do not match manifest.json (sha256 {digest[:12]}, "
                f"expected {str(info.get('sha256'))[:12]}); {_FIX}"
            )
    _check_counts(root, manifest, read)
    if (root / CHINA_MANIFEST).is_file():  # all of China: sizes now, hashes when read
        verify_china_files(root, hashes=full)
    _VERIFIED.add(root)
    return manifest


def _features(path: Path, data: bytes | None = None) -> list[Any]:
    """The ``features`` of a boundary file (``data``: its bytes, when already read); the
    file parsed by the check is not parsed again while its bytes are the same."""
    if data is None:
        data = path.read_bytes()
    kept = _PARSED.pop(path, None)
    if kept is not None and kept[0] == data:
        return kept[1]
    features: list[Any] = json.loads(data.decode("utf-8"))["features"]
    return features


def _check_counts(
    root: Path, manifest: dict[str, Any], read: dict[Path, bytes] | None = None
) -> None:
    """Each boundary file holds the number of units the manifest records (an emptied file
    with a matching hash is still wrong). ``read``: the files' bytes already read; their
    parsed features are kept for the first :func:`_load`."""
    counts = manifest.get("features")
    if not isinstance(counts, dict):
        raise GeodataError(f"{root / 'manifest.json'}: no 'features' counts; {_FIX}")
    for level, rel in FILES.items():
        path = root / rel
        try:
            data = (read or {}).get(path)
            features = json.loads((path.read_bytes() if data is None else data).decode("utf-8"))
            features = features["features"]
            n = len(features) if isinstance(features, list) else -1
            if data is not None and n > 0:
                _PARSED[path] = (data, features)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise GeodataError(f"{path}: unreadable ({err}); {_FIX}") from None
        if n != counts.get(level) or n < 1:
            raise GeodataError(
                f"{path}: {n} units, manifest.json records {counts.get(level)!r} "
                f"{level} units; {_FIX}"
            )


def _ensure_verified(root: Path) -> None:
    if root not in _VERIFIED:
        verify_geodata(root)


def _check_level(level: str) -> str:
    if level not in FILES:
        hint = ", ".join(closest(str(level), LEVELS)) or ", ".join(LEVELS)
        raise GeodataError(
            f"unknown level {level!r}; expected one of {', '.join(LEVELS)} (closest: {hint})"
        )
    return level


@lru_cache(maxsize=16)
def _load(level: str, root: Path) -> gpd.GeoDataFrame:
    _ensure_verified(root)
    path = root / FILES[level]
    try:
        features = _features(path)
        # shape() builds each geometry from the parsed coordinates: the same geometry as
        # from_geojson(json.dumps(...)) without writing and re-reading the text
        geoms = [shape(f["geometry"]) for f in features]
        rows = [f["properties"] for f in features]
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        shapely.errors.ShapelyError,
    ) as err:
        raise GeodataError(f"{path}: unreadable ({err}); {_FIX}") from None
    frame = pd.DataFrame(rows, columns=list(UNIT_FILE_COLUMNS[:-1]))
    frame["alt_blocks"] = [tuple(s.split(";")) if s else () for s in frame["alt_blocks"]]
    frame["label_lon"] = frame["label_lon"].astype(float)
    frame["label_lat"] = frame["label_lat"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def load_units(level: str, *, folder: str | Path | None = None) -> gpd.GeoDataFrame:
    """Boundaries of one level as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    level
        ``"province"`` (1 row), ``"prefecture"`` (14), ``"county"`` (122) or
        ``"neighbour"`` (the six neighbouring provinces, coarser).
    folder
        Geodata folder (default: the shipped one).

    Returns
    -------
    GeoDataFrame
        Columns :data:`UNIT_FILE_COLUMNS`, rows ordered by adcode; ``alt_blocks`` is a tuple.
        A fresh copy: changing it does not affect later calls.
    """
    return _load(_check_level(level), _folder(folder)).copy()


# ---------------------------------------------------------------------------- resolver
@dataclass(frozen=True)
class Unit:
    """One administrative unit, as the resolver returns it."""

    adcode: str
    parent_adcode: str
    level: str
    name_zh_hans: str
    name_zh_hant: str
    name_en: str
    short_zh_hans: str
    short_zh_hant: str
    short_en: str
    block: str
    alt_blocks: tuple[str, ...]
    label_lon: float
    label_lat: float


def _fold(text: object) -> str:
    """Exact-match key: NFKC, Simplified script, lower case, single spaces."""
    s = " ".join(unicodedata.normalize("NFKC", str(text)).split()).lower()
    return s if s.isascii() else to_hans(s)


@lru_cache(maxsize=4)
def _index(root: Path) -> tuple[dict[str, Unit], list[dict[str, list[Unit]]]]:
    units: dict[str, Unit] = {}
    fields = list(UNIT_FILE_COLUMNS[:-1])  # Unit's fields, in order
    for level in LEVELS:
        frame = _load(level, root)
        for values in zip(*(frame[c].tolist() for c in fields), strict=True):
            unit = Unit(*values)  # one tolist() per column: cheaper than itertuples
            units[unit.adcode] = unit
    exact: dict[str, list[Unit]] = {}
    loose: dict[str, list[Unit]] = {}
    for u in units.values():
        names = (u.name_zh_hans, u.name_zh_hant, u.name_en)
        shorts = (u.short_zh_hans, u.short_zh_hant, u.short_en)
        for key in {_fold(n) for n in (*names, *shorts) if n}:
            exact.setdefault(key, []).append(u)
        for key in {normalise(n) for n in (*names, *shorts) if n}:
            loose.setdefault(key, []).append(u)
    return units, [exact, loose]


def _not_found(query: object, suggestions: list[str], message: str | None = None) -> Exception:
    return PlaceNotFoundError(query, suggestions, message)


def _pick(found: list[Unit], level: str | None) -> Unit | None:
    if level is not None:
        found = [u for u in found if u.level == level]
    if not found:
        return None
    best = min(LEVELS.index(u.level) for u in found)
    top = sorted(
        {u.adcode: u for u in found if LEVELS.index(u.level) == best}.values(),
        key=lambda u: u.adcode,
    )
    return top[0]


def resolve(
    query: str | int, level: str | None = None, *, folder: str | Path | None = None
) -> Unit:
    """Find the unit a user means by an adcode or a name.

    Accepts an adcode (``430100`` or ``"430100"``), a full or short name in Simplified or
    Traditional Chinese, with or without the administrative suffix (市 / 州 / 县 / 区 /
    自治州 / 自治县), or English, in any case: ``長沙``, ``长沙市``, ``Changsha``, ``湘西州`` and
    ``湘西土家族苗族自治州`` all give a prefecture.

    An exact full or short name beats a suffix-stripped match (``长沙县`` is the county,
    ``长沙`` the prefecture); among equal matches the higher level wins unless ``level`` is
    given.

    Raises
    ------
    PlaceNotFoundError
        With the closest names (or adcodes) when nothing matches.
    """
    root = _folder(folder)
    if level is not None:
        _check_level(level)
    units, tiers = _index(root)
    text = unicodedata.normalize("NFKC", str(query)).strip()
    pool = [u for u in units.values() if level is None or u.level == level]
    if text.isdigit():
        unit = units.get(text)
        if unit is not None and (level is None or unit.level == level):
            return unit
        near = [f"{u.adcode} {u.name_zh_hans}" for u in pool if u.adcode.startswith(text[:4])]
        near = near[:3] or closest(text, [f"{u.adcode} {u.name_zh_hans}" for u in pool])
        if unit is not None:
            why = f"adcode {text} is a {unit.level} ({unit.name_zh_hans}), not a {level}"
        elif len(text) != 6:
            why = f"unknown adcode {text!r}: adcodes have 6 digits"
        else:
            why = (
                f"unknown adcode {text!r}: not in the shipped geodata (Hunan 43xxxx and "
                "its neighbours 360000, 420000, 440000, 450000, 500000, 520000)"
            )
        hint = f"; closest: {', '.join(near)}" if near else ""
        raise _not_found(query, near, why + hint)
    keys = (_fold(text), normalise(text))
    for tier, key in zip(tiers, keys, strict=True):
        unit = _pick(tier.get(key, []), level)
        if unit is not None:
            return unit
    if text.isascii():
        choices = [n for u in pool for n in (u.name_en, u.short_en)]
    else:
        choices = [n for u in pool for n in (u.name_zh_hans, u.short_zh_hans)]
    near = closest(to_hans(text) if not text.isascii() else text, choices)
    if level is not None:
        other = next(
            (u for t, k in zip(tiers, keys, strict=True) if (u := _pick(t.get(k, []), None))), None
        )
        if other is not None:
            hint = f"; closest: {', '.join(near)}" if near else ""
            why = (
                f"{text!r} is a {other.level} ({other.name_zh_hans} {other.adcode}), not a {level}"
            )
            raise _not_found(query, near, why + hint)
    raise _not_found(query, near)


# ---------------------------------------------------------------------------- summaries
def load_block_exceptions(folder: str | Path | None = None) -> pd.DataFrame:
    """County-level exceptions to the prefecture → regional block table.

    Returns the county rows of ``sources/regions.csv`` (adcode, level, name_zh_hans, block,
    alt_block, confidence, source, notes) plus ``applied``: whether the exception is in the
    boundary files' ``alt_blocks`` (confidence high or medium; low ones are listed only).
    """
    root = _folder(folder)
    _ensure_verified(root)
    path = root / "sources" / "regions.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("level") == "county"]
    frame = pd.DataFrame(rows, dtype=str)
    frame["applied"] = frame["confidence"].isin(["high", "medium"])
    return frame.reset_index(drop=True)


def geodata_summary(folder: str | Path | None = None) -> str:
    """A few lines describing the shipped boundaries (source, datum, counts, sizes)."""
    root = _folder(folder)
    m = verify_geodata(root)
    src, simp = m["source"], m["simplification"]
    lines = [
        f"geodata: {root}",
        f"source: {src['package']} {src['version']}; {src['attribution']}",
        f"datum: {m['datum']['shipped']}, converted from {m['datum']['source']}",
        f"simplification: tolerance {simp['tolerance_m']:g} m, measured max deviation "
        f"{simp['max_deviation_m']['county']:g} m (counties)",
    ]
    for level in LEVELS:
        info = m["files"][FILES[level]]
        lines.append(
            f"  {level:<10} {m['features'][level]:>4} units  "
            f"{simp['vertices_after'][level]:>6} vertices  {info['bytes'] / 1024:7.1f} KiB  "
            f"{FILES[level]}"
        )
    if (root / CHINA_MANIFEST).is_file():
        china = china_manifest(root)
        size = sum(f["bytes"] for f in china["files"].values())
        order = ("country", "province", "prefecture", "county")
        counts = ", ".join(f"{china['features'].get(lv, 0):,} {lv}" for lv in order)
        lines.append(
            f"all of China: {counts}; {len(china['files'])} files, {size / 2**20:.1f} MiB "
            f"({CHINA_MANIFEST})"
        )
    return "\n".join(lines)
