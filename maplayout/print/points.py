"""Many points on the print figure: the plan's sites once they are many, and the data layers.

A few sites are drawn one by one (:func:`maplayout.print.layers.draw_map`); from
:data:`MANY_SITES` on, the uncertainty circles are one ``EllipseCollection`` (true circles in
metres) and the markers one scatter per marker shape, so 5,000 sites are a handful of artists.

A data layer (``layers:`` in the plan, :mod:`maplayout.model.layers`) is drawn as its plan
option ``style.figure`` says:

* ``points`` (the default): one scatter of every point in the layer's colour and radius
  (smaller when the layer is dense: :func:`point_diameter`);
* ``counts``: one proportional circle per unit at the unit's label point, its area the
  number of the layer's points in the unit (``model.layer_counts``, scope ``unit``), the
  largest :data:`COUNT_DIAMETER` points across. The units keep their role colours (a
  choropleth would hide the layout the map is about).

A collection of more than :data:`RASTER_POINTS` points is rasterised in PDF and SVG (at the
figure's dpi), so 20,000 points make a small image instead of 20,000 vector paths; the
rest of the figure stays vector. Never a list of the points' names: the legend gives each
layer one row with its number of points, the source line credits each layer's data source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from maplayout.model import LayoutModel, pick_text
from maplayout.print.style import PX, site_marker
from maplayout.text import ui_text

__all__ = [
    "COUNT_DIAMETER",
    "MANY_SITES",
    "MANY_SITES_RINGS",
    "RASTER_POINTS",
    "LayerStyle",
    "draw_layers",
    "draw_many_sites",
    "layer_credit",
    "layer_legend_rows",
    "layer_styles",
    "point_diameter",
]

#: From this many sites on, the sites are drawn as collections (fewer: one artist each)
#: and their numbers keep to the first :data:`MANY_SITES_RINGS` rings of candidates
#: (:data:`maplayout.print.labels.RINGS`: beside the marker or one short leader away), so
#: hundreds of sites do not make a web of long leader lines; a number with no free place
#: there is left out of the map (the key lists every site).
MANY_SITES = 60
MANY_SITES_RINGS = 2
#: A collection of more points than this is rasterised in PDF and SVG.
RASTER_POINTS = 2000
#: The diameter (points) of the largest proportional circle of a ``counts`` layer.
COUNT_DIAMETER = 26.0
#: Above this many points a ``points`` layer's markers shrink (area ∝ 1 / count) …
DENSE_POINTS = 2000
#: … but never below this diameter (points).
MIN_DIAMETER = 1.2
#: The zorder of data layers: over the units' fills and outlines, under the corridor lines,
#: the labels and the sites.
LAYER_ZORDER = 6


@dataclass(frozen=True)
class LayerStyle:
    """How the figure draws one data layer: its id, label, colour, marker radius (CSS
    pixels, as on the page), ``figure`` mode (``points`` or ``counts``) and data source."""

    id: str
    label: str
    color: str
    radius: float
    figure: str
    source: str


def layer_styles(model: LayoutModel, lang: str) -> list[LayerStyle]:
    """The model's data layers in plan order (those with points), as the figure draws them."""
    points = model.layer_points
    if points is None or not len(points):
        return []
    plan_layers = {layer.id: layer for layer in (model.plan.layers if model.plan else ())}
    out = []
    for layer_id in dict.fromkeys(str(v) for v in points["layer"]):
        spec = plan_layers.get(layer_id)
        if spec is None:
            out.append(LayerStyle(layer_id, layer_id, "#d6604d", 3.0, "points", ""))
            continue
        source = pick_text(spec.data_source.as_dict(), lang)
        if source and spec.data_date:
            source += f" ({spec.data_date})" if lang == "en" else f"（{spec.data_date}）"
        label = pick_text(spec.label.as_dict(), lang) or layer_id
        figure = getattr(spec, "figure", "points")
        out.append(LayerStyle(layer_id, label, spec.color, spec.radius, figure, source))
    return out


def point_diameter(radius: float, n: int) -> float:
    """The printed diameter (points) of a ``points`` layer's marker: the layer's ``radius``
    (CSS pixels, as on the page), shrunk for more than :data:`DENSE_POINTS` points so that
    their total area stays that of :data:`DENSE_POINTS` (20,000 points of radius 3: 1.4 pt)."""
    full = 2 * radius * PX
    if n <= DENSE_POINTS:
        return full
    return max(full * math.sqrt(DENSE_POINTS / n), MIN_DIAMETER)


def _rasterise(artist: Any, n: int) -> Any:
    if n > RASTER_POINTS:
        artist.set_rasterized(True)
    return artist


def draw_many_sites(ax: Any, sites: Any, kinds: list[str]) -> None:
    """Every site of ``sites`` (projected, metres) as collections: the uncertainty circles
    (radius ``radius_m``) as one, the markers as one scatter per marker shape."""
    from matplotlib.collections import EllipseCollection
    from matplotlib.colors import to_rgba

    x = sites.geometry.x.to_numpy(dtype=float)
    y = sites.geometry.y.to_numpy(dtype=float)
    radius = sites["radius_m"].fillna(0).to_numpy(dtype=float)
    colors = [str(c) for c in sites["color"]]
    circled = radius > 0
    if circled.any():
        d = 2 * radius[circled]
        circles = EllipseCollection(
            d,
            d,
            np.zeros(len(d)),
            units="xy",
            offsets=np.column_stack([x[circled], y[circled]]),
            offset_transform=ax.transData,
            facecolors=[to_rgba(c, 0.12) for c, keep in zip(colors, circled, strict=True) if keep],
            edgecolors=[c for c, keep in zip(colors, circled, strict=True) if keep],
            linewidths=0.7,
            linestyles=[(0, (3, 2))],
            zorder=11,
        )
        ax.add_collection(_rasterise(circles, int(circled.sum())), autolim=False)
    shapes = [site_marker(k, kinds) for k in sites["kind"]]
    for shape in dict.fromkeys(shapes):
        pick = np.array([s == shape for s in shapes])
        dots = ax.scatter(
            x[pick],
            y[pick],
            s=7.0**2,
            marker=shape,
            c=[c for c, keep in zip(colors, pick, strict=True) if keep],
            edgecolors="white",
            linewidths=0.7,
            zorder=12,
            plotnonfinite=False,
        )
        _rasterise(dots, int(pick.sum()))


def draw_layers(
    ax: Any,
    model: LayoutModel,
    crs: Any,
    lang: str,
    view: Sequence[float],
    *,
    inset: bool = False,
) -> list[LayerStyle]:
    """Draw every data layer of ``model`` on ``ax`` (projected with ``crs``; only the points
    inside ``view``); the inset shows the ``points`` layers only. Returns the layers drawn."""
    styles = layer_styles(model, lang)
    if not styles:
        return []
    points = model.layer_points
    assert points is not None  # layer_styles found some
    projected = points.to_crs(crs)  # no work when already projected (print.simplified)
    xs = projected.geometry.x.to_numpy(dtype=float)
    ys = projected.geometry.y.to_numpy(dtype=float)
    seen = (xs >= view[0]) & (xs <= view[2]) & (ys >= view[1]) & (ys <= view[3])
    layer_of = points["layer"].astype(str).to_numpy()
    for style in styles:
        if style.figure == "counts":
            if not inset:
                _draw_counts(ax, model, crs, style)
            continue
        pick = (layer_of == style.id) & seen
        size = point_diameter(style.radius, int((layer_of == style.id).sum())) ** 2
        dots = ax.scatter(
            xs[pick],
            ys[pick],
            s=size,
            c=style.color,
            alpha=0.75,
            edgecolors="none",
            linewidths=0,
            zorder=LAYER_ZORDER,
        )
        _rasterise(dots, int(pick.sum()))
    return styles


def _unit_counts(model: LayoutModel, layer: str) -> dict[str, int]:
    counts = model.layer_counts
    if counts is None:
        return {}
    rows = counts[(counts["layer"] == layer) & (counts["scope"] == "unit") & (counts["key"] != "")]
    return {str(k): int(c) for k, c in zip(rows["key"], rows["count"], strict=True)}


def _draw_counts(ax: Any, model: LayoutModel, crs: Any, style: LayerStyle) -> None:
    """Proportional circles at the units' label points: area ∝ the unit's count."""
    from maplayout.print.shapes import project

    counts = _unit_counts(model, style.id)
    units = model.units[model.units["adcode"].astype(str).isin(list(counts))]
    if not len(units) or not counts:
        return
    anchors = [(float(u["label_lon"]), float(u["label_lat"])) for _, u in units.iterrows()]
    xy = np.asarray(project(anchors, crs), dtype=float)
    n = np.array([counts[str(a)] for a in units["adcode"]], dtype=float)
    order = np.argsort(-n, kind="stable")  # large circles first, small ones on top
    ax.scatter(
        xy[order, 0],
        xy[order, 1],
        s=COUNT_DIAMETER**2 * n[order] / n.max(),
        c=style.color,
        alpha=0.55,
        edgecolors="white",
        linewidths=0.6,
        zorder=LAYER_ZORDER,
    )


def layer_legend_rows(model: LayoutModel, lang: str) -> list[tuple[Any, str]]:
    """One legend row per data layer: its symbol and ``label (count)`` (``counts`` layers
    say the circles' meaning and the largest count)."""
    from matplotlib.lines import Line2D

    points = model.layer_points
    rows: list[tuple[Any, str]] = []
    for style in layer_styles(model, lang):
        total = int((points["layer"] == style.id).sum()) if points is not None else 0
        if style.figure == "counts":
            largest = max(_unit_counts(model, style.id).values(), default=0)
            text = ui_text("figure.layer_counts", lang).format(
                label=style.label, count=f"{total:,}", max=f"{largest:,}"
            )
            size = 10.0
        else:
            text = ui_text("figure.layer_points", lang).format(
                label=style.label, count=f"{total:,}"
            )
            size = max(2 * style.radius * PX, 3.0)
        handle = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=size,
            markerfacecolor=style.color,
            markeredgecolor="white" if style.figure == "counts" else style.color,
            alpha=0.75,
        )
        rows.append((handle, text))
    return rows


def layer_credit(model: LayoutModel, lang: str) -> str:
    """The data layers' sources for the figure's source line (``""`` without layers):
    ``图层数据：企查查导出（2024-05）``, each source once, in plan order."""
    sources = list(dict.fromkeys(s.source for s in layer_styles(model, lang) if s.source))
    if not sources:
        return ""
    sep = "; " if lang == "en" else "；"
    colon = ": " if lang == "en" else "："
    return ui_text("figure.layer_source", lang) + colon + sep.join(sources)
