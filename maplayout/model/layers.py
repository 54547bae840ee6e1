"""Data layers counted against the layout: each point joined to its unit, role and groups.

One vectorised spatial join (``geopandas.sjoin``, predicate ``within``) of every layer's
points with the model's units; a point on a shared border goes to the first unit in the
units' order, a point outside every unit gets ``unit_adcode = ""``. The counts are per
layer and per unit, per role (the unit's role at the model's level, ``""`` for none) and per
group (a unit in two groups counts in both), with the weight sums and each count's share of
its layer (0..1). Words for them are :func:`maplayout.text.layer_count_text`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from maplayout.model.contract import LAYER_COUNT_COLUMNS, LAYER_POINT_COLUMNS
from maplayout.plan import Plan

__all__ = ["layer_counts", "layer_points"]

_CRS = "EPSG:4326"


def layer_points(plan: Plan, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every layer's points with their unit, role and groups (:data:`LAYER_POINT_COLUMNS`)."""
    frames = [_joined(layer.id, layer.points, units) for layer in plan.layers]
    frames = [frame for frame in frames if frame is not None]
    if not frames:
        return gpd.GeoDataFrame(
            {c: [] for c in LAYER_POINT_COLUMNS if c != "geometry"},
            geometry=gpd.GeoSeries([], crs=_CRS),
            crs=_CRS,
        )
    joined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=_CRS)


def _joined(layer_id: str, points: Any, units: gpd.GeoDataFrame) -> pd.DataFrame | None:
    if points is None:
        return None
    frame = gpd.GeoDataFrame(
        points[["row", "name", "category", "weight", "link"]].reset_index(drop=True),
        geometry=gpd.points_from_xy(points["lon"], points["lat"]),
        crs=_CRS,
    )
    right = units[["adcode", "role", "group_ids", "geometry"]].reset_index(drop=True)
    hits = gpd.sjoin(frame, right, how="left", predicate="within")
    hits = hits[~hits.index.duplicated(keep="first")].sort_index()  # a border point: once
    found = hits["adcode"].notna().to_numpy()
    out = pd.DataFrame(
        {
            "layer": layer_id,
            "row": frame["row"].to_numpy(),
            "name": frame["name"].to_numpy(),
            "category": frame["category"].to_numpy(),
            "weight": frame["weight"].to_numpy(dtype=float),
            "link": frame["link"].to_numpy(),
            "unit_adcode": np.where(found, hits["adcode"].fillna("").astype(str), ""),
            "role": np.where(found, hits["role"].fillna("").astype(str), ""),
            "group_ids": [g if isinstance(g, tuple) else () for g in hits["group_ids"]],
            "geometry": frame.geometry.to_numpy(),
        }
    )
    return out[list(LAYER_POINT_COLUMNS)]


def layer_counts(points: gpd.GeoDataFrame) -> pd.DataFrame:
    """Counts and weight sums per layer and unit / role / group (:data:`LAYER_COUNT_COLUMNS`).

    Rows are sorted by layer, scope (``unit``, ``role``, ``group``) and key.
    """
    if not len(points):  # no data layer (most plans): the same empty frame, without groupby
        text = pd.Series([], dtype=object).astype(str)
        return pd.DataFrame(
            {
                "layer": points["layer"].reset_index(drop=True),
                "scope": text,
                "key": text,
                "count": pd.Series([], dtype=int),
                "weight": points["weight"].reset_index(drop=True),
                "share": pd.Series([], dtype=float),
            },
            index=pd.RangeIndex(0),
        )
    return _counts(points)


def _counts(points: gpd.GeoDataFrame) -> pd.DataFrame:
    parts = []
    for scope, column in (("unit", "unit_adcode"), ("role", "role"), ("group", "group_ids")):
        frame = points[["layer", column, "weight"]]
        if scope == "group":
            frame = frame.explode(column).dropna(subset=[column])
        grouped = frame.groupby(["layer", column], sort=True)["weight"].agg(["size", "sum"])
        grouped = grouped.reset_index().rename(
            columns={column: "key", "size": "count", "sum": "weight"}
        )
        grouped.insert(1, "scope", scope)
        parts.append(grouped)
    counts = pd.concat(parts, ignore_index=True)
    totals = points.groupby("layer").size()
    counts["count"] = counts["count"].astype(int)
    counts["key"] = counts["key"].astype(str)
    counts["share"] = counts["count"] / counts["layer"].map(totals).astype(float)
    return counts[list(LAYER_COUNT_COLUMNS)].reset_index(drop=True)
