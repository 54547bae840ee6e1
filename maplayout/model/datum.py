"""A model moved to another datum: what a basemap in GCJ-02 or BD-09 draws over."""

from __future__ import annotations

import shapely

from maplayout.geo.datum import transform_geometry
from maplayout.model.contract import LayoutModel

__all__ = ["in_datum"]


def in_datum(model: LayoutModel, datum: str) -> LayoutModel:
    """``model`` with every geometry, label point, data-layer point and the view's extent
    (``meta["extent"]``, its corners) moved from WGS-84 to ``datum`` (the counts, joined in
    WGS-84, stay as they are)."""
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
    meta = model.meta
    if meta.get("extent"):
        x0, y0, x1, y1 = (float(v) for v in meta["extent"])
        corners = transform_geometry(shapely.points([x0, x1], [y0, y1]), "WGS84", datum)
        xs, ys = shapely.get_x(corners), shapely.get_y(corners)
        meta = {**meta, "extent": [float(xs[0]), float(ys[0]), float(xs[1]), float(ys[1])]}
    return LayoutModel(
        level=model.level,
        meta=meta,
        legend=model.legend,
        facts=model.facts,
        layer_points=points,
        layer_counts=model.layer_counts,
        plan=model.plan,
        **frames,
    )
