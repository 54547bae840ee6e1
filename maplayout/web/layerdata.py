"""The data layers' part of the page payload: points, clusters per zoom, hexbins, counts.

A page with data layers gets a second JSON block (``maplayout-layers``) that only
``static/js/datalayer.js`` reads; a plan without layers gets neither, so its page is the page
of before. Everything the page draws is decided here, once, deterministically:

* the points as ``lat,lon`` integer deltas (:func:`~maplayout.web.codec.encode_points`),
  names and categories as string tables, weights as numbers, links sparse;
* **clusters per zoom level**: a grid of :data:`CELL`-pixel cells in Web-Mercator pixels at
  each zoom from :data:`ZOOM_MIN`; a cell with two points or more is one cluster (count and
  centroid), a lone point stays a point. Every point is in exactly one cell at every zoom,
  so the counts of a zoom sum to the layer's size. From the first zoom where clusters would
  hold under :data:`CLUSTER_SHARE` of the points, the page draws the points themselves;
* **hexbins**: pointy-top hexagons of one size (the region's width over :data:`HEX_ACROSS`)
  in Web-Mercator pixels at zoom 0, with their counts and colour class;
* **counts per unit** (the choropleth's classes) and the count texts of every unit, role and
  group in the three languages (:func:`maplayout.text.layer_count_text`).

Colours are resolved here (:data:`RAMP`): the page only paints them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from maplayout.model import LANGS, LayoutModel
from maplayout.strings import UI
from maplayout.text import lang_texts, layer_count_text
from maplayout.web.codec import encode_ints, encode_points

__all__ = ["class_breaks", "clusters", "hexbins", "layers_payload", "mercator_px"]

#: The page's smallest zoom (``minZoom`` of ``static/js/layers.js``): clusters start here.
ZOOM_MIN = 4
#: The last zoom clusters are computed for (the page's ``maxZoom`` is 14).
ZOOM_LAST = 13
#: Cluster cell size in screen pixels.
CELL = 64
#: Clusters stop at the first zoom where cells of two points or more hold fewer than this
#: share of the points: from there on the page draws every point.
CLUSTER_SHARE = 0.5
#: Hexagons across the region's width.
HEX_ACROSS = 28
#: Sequential classes of the choropleth and the hexbins (ColorBrewer YlOrRd, 5 classes).
RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: A unit with no point.
ZERO_FILL = "#f2f2f2"
_SQRT3 = math.sqrt(3.0)


def mercator_px(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Web-Mercator pixel coordinates at zoom 0 (a 256-pixel world), as Leaflet projects."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -85.0511287798, 85.0511287798)
    x = (lon + 180.0) / 360.0 * 256.0
    s = np.sin(np.radians(lat))
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * 256.0
    return x, y


def _unproject(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon = x / 256.0 * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * y / 256.0))))
    return lon, lat


def clusters(lon: Any, lat: Any) -> list[dict[str, Any]]:
    """Per zoom from :data:`ZOOM_MIN`: ``{"z", "ll", "n", "one"}`` — the clusters' centroids
    (encoded points), their counts (encoded ints) and the lone points' indices (encoded
    deltas). Stops before the first zoom where clusters hold under :data:`CLUSTER_SHARE`."""
    x0, y0 = mercator_px(lon, lat)
    out: list[dict[str, Any]] = []
    for z in range(ZOOM_MIN, ZOOM_LAST + 1):
        f = 2.0**z / CELL
        cx, cy = np.floor(x0 * f).astype(np.int64), np.floor(y0 * f).astype(np.int64)
        keys = cy * (1 << 32) + cx
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        many = counts >= 2
        if counts[many].sum() < CLUSTER_SHARE * len(x0):
            break
        mx = np.bincount(inverse, weights=x0)[many] / counts[many]
        my = np.bincount(inverse, weights=y0)[many] / counts[many]
        clon, clat = _unproject(mx, my)
        lone = np.flatnonzero(~many[inverse])
        out.append(
            {
                "z": z,
                "ll": encode_points(clat, clon),
                "n": encode_ints(counts[many]),
                "one": encode_ints(np.diff(lone, prepend=0)),
            }
        )
    return out


def class_breaks(values: Any, k: int = len(RAMP)) -> list[int]:
    """Upper bounds of up to ``k`` classes of the positive ``values`` (quantiles, whole
    numbers, strictly increasing; the last is the maximum)."""
    v = np.asarray(values, dtype=float)
    v = v[v > 0]
    if not v.size:
        return []
    qs = np.quantile(v, np.arange(1, k + 1) / k, method="inverted_cdf")
    return sorted({math.ceil(q) for q in qs})


def _classify(values: Any, breaks: list[int]) -> np.ndarray:
    """Class of each value: ``-1`` for 0, else the first break it does not exceed."""
    v = np.asarray(values, dtype=float)
    cls = np.searchsorted(np.asarray(breaks, dtype=float), v, side="left")
    return np.where(v > 0, cls, -1)


def _legend(breaks: list[int]) -> list[dict[str, Any]]:
    """The classes as legend rows: ``{"fill", "lo", "hi"}`` (the page words them)."""
    rows, lo = [], 1
    ramp = RAMP[len(RAMP) - len(breaks) :] if len(breaks) < len(RAMP) else RAMP
    for hi, fill in zip(breaks, ramp, strict=False):
        rows.append({"fill": fill, "lo": lo, "hi": hi})
        lo = hi + 1
    return rows


def _ramp(breaks: list[int]) -> list[str]:
    return [r["fill"] for r in _legend(breaks)]


def hexbins(lon: Any, lat: Any, width_px: float) -> dict[str, Any]:
    """Pointy-top hexagons of size ``s`` (centre to corner, zoom-0 pixels) fitting
    :data:`HEX_ACROSS` across ``width_px``: axial ``q``, ``r``, counts ``n`` and class ``k``
    (encoded ints, sorted by ``r`` then ``q``), the ``breaks`` and their ``legend``."""
    x, y = mercator_px(lon, lat)
    s = max(width_px, 1e-9) / (HEX_ACROSS * _SQRT3)
    q = (_SQRT3 / 3 * x - y / 3) / s
    r = (2 / 3 * y) / s
    # cube rounding
    cx, cz = q, r
    cy = -cx - cz
    rx, ry, rz = np.rint(cx), np.rint(cy), np.rint(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_z = ~fix_x & (dz >= dy)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(fix_z, -rx - ry, rz)
    qi, ri = rx.astype(np.int64), rz.astype(np.int64)
    keys = np.column_stack([ri, qi])
    uniq, counts = np.unique(keys, axis=0, return_counts=True)
    breaks = class_breaks(counts)
    return {
        "s": round(float(s), 6),
        "q": encode_ints(uniq[:, 1]),
        "r": encode_ints(uniq[:, 0]),
        "n": encode_ints(counts),
        "k": encode_ints(_classify(counts, breaks)),
        "legend": _legend(breaks),
    }


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(float(v), 3)


def _spec(model: LayoutModel, layer_id: str) -> Any:
    plan = model.plan
    for layer in plan.layers if plan is not None else ():
        if layer.id == layer_id:
            return layer
    return None


def _texts(value: Any, fallback: str) -> dict[str, str]:
    if value is None:
        return dict.fromkeys(LANGS, fallback)
    texts = {k: value.get(k) for k in LANGS} if hasattr(value, "get") else lang_texts(value)
    return {k: texts[k] or fallback for k in LANGS}


def _head(model: LayoutModel, layer_id: str, n: int) -> dict[str, Any]:
    spec = _spec(model, layer_id)
    source = {}
    if spec is not None and any(spec.data_source.get(k) for k in LANGS):
        source = {
            "title": _texts(spec.data_source, ""),
            "url": spec.data_url if spec.data_url.startswith(("http://", "https://")) else "",
            "date": spec.data_date,
        }
    return {
        "id": layer_id,
        "n": n,
        "label": _texts(spec.label if spec is not None else None, layer_id),
        "color": spec.color if spec is not None else "#d6604d",
        "radius": float(spec.radius) if spec is not None else 3.0,
        "source": source,
        "cols": {
            "category": spec.category if spec is not None else "",
            "weight": spec.weight if spec is not None else "",
        },
    }


def _count_texts(model: LayoutModel, layer_id: str, scope: str, keys: list[str]) -> dict:
    return {
        key: {k: layer_count_text(model, layer_id, scope, key, k) for k in LANGS} for key in keys
    }


def _counts(model: LayoutModel, layer_id: str) -> dict[str, Any]:
    """Counts per unit (with the choropleth's class), role and group, and their texts."""
    counts = model.layer_counts
    assert counts is not None
    mine = counts[counts["layer"] == layer_id]
    units = [str(a) for a in model.units["adcode"]]
    per_unit = mine[mine["scope"] == "unit"].set_index("key")["count"]
    unit_counts = np.array([int(per_unit.get(a, 0)) for a in units])
    breaks = class_breaks(unit_counts)
    ramp = _ramp(breaks)
    classes = _classify(unit_counts, breaks)
    fills = {a: (ramp[c] if c >= 0 else ZERO_FILL) for a, c in zip(units, classes, strict=True)}
    counted = [a for a in units if a in per_unit.index]
    roles = sorted(k for k in mine.loc[mine["scope"] == "role", "key"] if k)
    groups = sorted(mine.loc[mine["scope"] == "group", "key"])
    out: dict[str, Any] = {
        "fill": fills,
        "legend": _legend(breaks),
        "unit": _count_texts(model, layer_id, "unit", counted),
        "role": [_count_texts(model, layer_id, "role", [r])[r] for r in roles],
        "group": [_count_texts(model, layer_id, "group", [g])[g] for g in groups],
    }
    if "" in set(per_unit.index):
        out["outside"] = _count_texts(model, layer_id, "unit", [""])[""]
    return out


def _layer(model: LayoutModel, layer_id: str, pts: pd.DataFrame, width_px: float) -> dict:
    lon = pts.geometry.x.to_numpy()
    lat = pts.geometry.y.to_numpy()
    head = _head(model, layer_id, len(pts))
    cats = pts["category"].astype(str).to_numpy()
    table = sorted(set(cats))
    units = [str(a) for a in model.units["adcode"]]
    where = {a: i for i, a in enumerate(units)}
    unit_idx = [where.get(str(a), -1) for a in pts["unit_adcode"]]
    links = [[i, str(u)] for i, u in enumerate(pts["link"]) if str(u or "")]
    weights = pts["weight"].to_numpy(dtype=float)
    data: dict[str, Any] = {
        **head,
        "ll": encode_points(lat, lon),
        "rows": encode_ints(np.diff(pts["row"].to_numpy(dtype=np.int64), prepend=0)),
        "names": [str(v) for v in pts["name"]],
        "unit": encode_ints(unit_idx),
        "units": units,
        "zoom": clusters(lon, lat),
        "hex": hexbins(lon, lat, width_px),
        "counts": _counts(model, layer_id),
    }
    if table != [""]:
        data["cats"] = table
        data["cat"] = encode_ints(np.searchsorted(np.asarray(table), cats))
    if head["cols"]["weight"]:
        data["w"] = [_number(v) for v in weights]
    if links:
        data["links"] = links
    return data


def _ui() -> dict[str, dict[str, str]]:
    """The data layers' page strings (``layer.*`` of :data:`maplayout.strings.UI`)."""
    return {k: {key: UI[key][k] for key in sorted(UI) if key.startswith("layer.")} for k in LANGS}


def layers_payload(model: LayoutModel) -> dict[str, Any] | None:
    """The ``maplayout-layers`` JSON of ``model``'s page, or ``None`` when it has no layer.

    ``model`` is in the page's datum (points, clusters and hexagons are drawn in it).
    """
    pts = model.layer_points
    if pts is None or not len(pts):
        return None
    x, _ = mercator_px(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    if len(model.units):
        west, _s, east, _n = model.units.total_bounds
        (x_west, x_east), _ = mercator_px([west, east], [0.0, 0.0])
        width = float(x_east - x_west)
    else:
        width = float(x.max() - x.min())
    layers = [
        _layer(model, str(layer_id), frame, width)
        for layer_id, frame in pts.groupby("layer", sort=False)
    ]
    return {"v": 1, "ui": _ui(), "layers": layers}
