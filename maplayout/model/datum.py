"""A model moved to another datum: what a basemap in GCJ-02 or BD-09 draws over."""

from __future__ import annotations

import shapely

from maplayout.geo.datum import transform_geometry
from maplayout.model.contract import LayoutModel

__all__ = ["in_datum"]


def in_datum(model: LayoutModel, datum: str) -> LayoutModel:
    """``model`` with every geometry, label point and data-layer point moved from WGS-84 to
    ``datum`` (the counts, joined in WGS-84, stay as they are)."""
    if datum == "WGS84":
        return model
    frames = {}
    for name in ("units", "groups", "links", "sites", "context"):
        frame = getattr(model, name).copy()
        if len(frame):
            moved = transform_geometry(frame.geometry.values, "WGS84", datum)
            frame = frame.set_geometry(moved, crs=frame.crs)
            if "label_lon" in frame.columns:
                lon, lat = frame["label_lon"].astype(float), frame["label_lat"].astype(float)
                pts = transform_geometry(shapely.points(lon, lat), "WGS84", datum)
                frame["label_lon"], frame["label_lat"] = shapely.get_x(pts), shapely.get_y(pts)
        frames[name] = frame
    points = model.layer_points
    if points is not None and len(points):
        moved = transform_geometry(points.geometry.values, "WGS84", datum)
        points = points.set_geometry(moved, crs=points.crs)
    return LayoutModel(
        level=model.level,
        meta=model.meta,
        legend=model.legend,
        facts=model.facts,
        layer_points=points,
        layer_counts=model.layer_counts,
        plan=model.plan,
        **frames,
    )
