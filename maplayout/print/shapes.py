"""Geometry for print: projection to the figure's local CRS, simplification for print
resolution, the region's and the sites' extents, and shapes drawn as matplotlib patches."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from maplayout.model import LayoutModel

__all__ = [
    "add_shape",
    "inside",
    "project",
    "region_view",
    "simplified",
    "sites_view",
    "to_local",
]


def _transformer(source: Any, target: Any) -> Any:
    """One pyproj transformer per pair of CRSs (and thread): making one takes ~20 ms, and a
    figure projects a dozen frames and point lists from the same CRS to the same local one."""
    import threading

    return _thread_transformer(source, target, threading.get_ident())


@lru_cache(maxsize=16)
def _thread_transformer(source: Any, target: Any, _thread: int) -> Any:
    from pyproj import CRS, Transformer

    return Transformer.from_crs(CRS(source), CRS(target), always_xy=True)


def project(points: list[tuple[float, float]], crs: Any) -> list[tuple[float, float]]:
    """Longitude/latitude (WGS-84) points in ``crs``."""
    if not points:
        return []
    t = _transformer("EPSG:4326", crs)
    xs, ys = t.transform([p[0] for p in points], [p[1] for p in points])
    return list(zip(xs, ys, strict=True))


def to_local(frame: Any, crs: Any) -> Any:
    """``frame.to_crs(crs)`` with a cached transformer: the same coordinates (the same
    pyproj operation on the same numbers), without a new transformer per frame."""
    import numpy as np
    import shapely

    if frame.crs is None or frame.crs.is_exact_same(crs):
        return frame.to_crs(crs)
    t = _transformer(frame.crs, crs)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if shapely.has_z(geoms).any():  # 3-D shapes: geopandas' own way
        return frame.to_crs(crs)
    moved = shapely.transform(geoms, lambda x, y: t.transform(x, y), interleaved=False)
    return frame.set_geometry(list(moved), crs=crs)


def shape_path(geom: Any) -> Any:
    """A matplotlib Path of a (Multi)Polygon, holes included."""
    import numpy as np
    from matplotlib.path import Path as MPath

    verts: list[Any] = []
    codes: list[Any] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), MPath.LINETO, dtype=MPath.code_type)
            c[0], c[-1] = MPath.MOVETO, MPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MPath(np.concatenate(verts), np.concatenate(codes))


def add_shape(ax: Any, geom: Any, **style: Any) -> None:
    """Add ``geom`` to ``ax`` as one patch. Added as an artist, not with ``add_patch``: the
    maps set their limits themselves, and ``add_patch``'s data-limit update walks every
    Bézier segment of the shape (a third of a figure's drawing time)."""
    from matplotlib.patches import PathPatch

    path = shape_path(geom)
    if path is not None:
        ax.add_artist(PathPatch(path, **style))


def region_view(model: LayoutModel, crs: Any) -> tuple[float, float, float, float]:
    """The projected extent of the plan's region, padded by 4 %."""
    ctx = to_local(model.context, crs)
    region = ctx[ctx["kind"] == "region"]
    minx, miny, maxx, maxy = (region if len(region) else to_local(model.units, crs)).total_bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def simplified(model: LayoutModel, crs: Any, view: Sequence[float]) -> LayoutModel:
    """The model projected to ``crs``, simplified to what print resolution can show and with
    the (large) neighbouring provinces clipped near the view. Only for drawing."""
    from dataclasses import replace

    import shapely

    width = view[2] - view[0]
    tol = width / 800  # ~0.2 mm on an A4 map
    grow = 0.5 * width
    frame = shapely.box(view[0] - grow, view[1] - grow, view[2] + grow, view[3] + grow)
    units = to_local(model.units, crs)
    try:
        geoms = shapely.coverage_simplify(units.geometry.values, tol, simplify_boundary=True)
    except Exception:  # not a valid coverage: simplify each unit on its own
        geoms = shapely.simplify(units.geometry.values, tol, preserve_topology=True)
    units = units.set_geometry(list(geoms), crs=units.crs)
    groups = to_local(model.groups, crs)
    groups = groups.set_geometry(
        list(shapely.simplify(groups.geometry.values, tol)), crs=groups.crs
    )
    ctx = to_local(model.context, crs)
    clipped = shapely.simplify(shapely.intersection(ctx.geometry.values, frame), tol)
    ctx = ctx.set_geometry(list(clipped), crs=ctx.crs)
    return replace(
        model,
        units=units,
        groups=groups,
        context=ctx,
        links=to_local(model.links, crs),
        sites=to_local(model.sites, crs),
        layer_points=None if model.layer_points is None else to_local(model.layer_points, crs),
    )


def sites_view(model: LayoutModel, crs: Any, view: Sequence[float]) -> Any:
    """A square extent around the sites when they crowd a small part of the map, else None."""
    if len(model.sites) < 2:
        return None
    sites = to_local(model.sites, crs)
    shapes = [
        g.buffer(max(float(r or 0), 1.0))
        for g, r in zip(sites.geometry, sites["radius_m"], strict=True)
    ]
    import shapely

    minx, miny, maxx, maxy = shapely.union_all(shapes).bounds
    span = max(maxx - minx, maxy - miny)
    if span > 0.2 * min(view[2] - view[0], view[3] - view[1]):
        return None
    half = max(span * 0.65, 15_000)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return (cx - half, cy - half, cx + half, cy + half)


def inside(x: float, y: float, extent: Sequence[float]) -> bool:
    return extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]
