"""Encodings of the page's payload: geometry as compact text, JSON safe inside ``<script>``.

Geometries travel in a compact text encoding (see :func:`encode_ring`): integer coordinates
at 1e-4° (~11 m), delta- and zig-zag-coded, written as variable-length base-32 digits in a
URL-safe alphabet, so boundaries cost about 4–5 bytes per vertex instead of ~40 in GeoJSON.
The page's decoder is ``static/js/decode.js``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

__all__ = [
    "ALPHABET",
    "SCALE",
    "encode_geometry",
    "encode_ints",
    "encode_points",
    "encode_ring",
    "script_json",
]

#: Digits of the geometry encoding: 0–31 end a number, 32–63 continue it (5 bits each).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Coordinates are stored as integers of 1/SCALE degree.
SCALE = 10_000

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&'\u2028\u2029]")


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: sorted keys, and ``< > & '`` U+2028/9 escaped.

    The result can never close the script element or open an HTML comment, whatever the
    plan's texts contain, and parses to exactly ``value``.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


_ALPHA_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def _varints(values: np.ndarray) -> str:
    """Zig-zag, then 5-bit groups, least significant first; digits >= 32 mean "more follows"."""
    v = np.asarray(values, dtype=np.int64).ravel()
    if v.size == 0:
        return ""
    z = np.where(v >= 0, v << 1, ((-v) << 1) - 1)
    nchunks = np.ones(len(z), dtype=np.int64)
    rest = z >> 5
    while rest.any():
        nchunks += rest > 0
        rest >>= 5
    width = int(nchunks.max())
    k = np.arange(width)
    chunks = (z[:, None] >> (5 * k)) & 31
    digits = chunks + 32 * (k < (nchunks[:, None] - 1))
    return _ALPHA_BYTES[digits[k < nchunks[:, None]]].tobytes().decode("ascii")


def encode_ring(coords: Any, scale: int = SCALE) -> str:
    """Encode a ring or line of ``(lon, lat)`` as text: ``lat,lon`` integer deltas.

    Consecutive points that coincide after rounding are dropped. The page's decoder
    (``ring()`` in ``static/js/decode.js``) reverses this exactly.

    >>> encode_ring([(112.0, 28.0), (112.0001, 28.0)])
    'g8iRgwrkCAC'
    """
    arr = np.rint(np.asarray(coords, dtype=float)[:, :2] * scale).astype(np.int64)
    if len(arr) > 1:
        keep = np.ones(len(arr), dtype=bool)
        keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
        arr = arr[keep]
    latlon = arr[:, ::-1]
    deltas = np.diff(latlon, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return _varints(deltas)


def encode_ints(values: Any) -> str:
    """Integers as zig-zag varint text, no deltas (counts, class numbers); decoded by
    ``ints()`` in ``static/js/datalayer.js``.

    >>> encode_ints([0, 1, -1, 40])
    'ACBwC'
    """
    return _varints(np.asarray(values, dtype=np.int64))


def encode_points(lat: Any, lon: Any, scale: int = SCALE) -> str:
    """Points as ``lat,lon`` integer deltas, like :func:`encode_ring` but keeping every point
    (two points at the same place stay two), so the i-th decoded point is the i-th given.

    >>> encode_points([28.0, 28.0], [112.0, 112.0])
    'g8iRgwrkCAA'
    """
    arr = np.rint(np.column_stack([lat, lon]).astype(float) * scale).astype(np.int64)
    if not len(arr):
        return ""
    return _varints(np.diff(arr, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)))


def encode_geometry(geom: Any) -> list[list[str]]:
    """(Multi)Polygon → ``[[exterior, hole, ...], ...]`` of encoded rings."""
    if geom is None or geom.is_empty:
        return []
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        rings = [p.exterior, *p.interiors]
        encoded = [encode_ring(np.asarray(r.coords)[:-1]) for r in rings]
        out.append([e for e in encoded if len(e) > 0])
    return out
