"""The map body of the print figure: context, units, groups, corridors and sites, in that
order, clipped to a view; labels are collected for :func:`maplayout.print.labels.place_labels`.

Colours come from the model: a unit's fill composited with its first group's is
:func:`maplayout.model.symbology.composite_rgba` (the symbology the page draws too), taken
here at full float precision so the figure's bytes do not depend on the page's rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from maplayout.model import LayoutModel
from maplayout.model import row_text as row_lang_text
from maplayout.model.symbology import RGBA, composite_rgba
from maplayout.print.labels import (
    CONTEXT,
    GROUP,
    MARKER_HALF,
    SITE,
    UNIT,
    Around,
    BesideMarker,
    Label,
    OnAnchor,
)
from maplayout.print.links import draw_links
from maplayout.print.points import MANY_SITES, MANY_SITES_RINGS, draw_layers, draw_many_sites
from maplayout.print.shapes import add_shape, inside, project
from maplayout.print.style import LABEL_BOX, NEIGHBOUR, PX, balanced, dash, site_marker

__all__ = ["draw_map", "unit_face"]

Markers = list[tuple[float, float]]


@dataclass
class _Canvas:
    """What every layer of one map shares: the axes, the view and the labels collected."""

    ax: Any
    view: Sequence[float]
    labels: list[Label] = field(default_factory=list)

    def __post_init__(self) -> None:
        from shapely.geometry import box

        view = self.view
        margin = 0.02 * (view[2] - view[0])
        self.frame = box(*view)
        self.clip = box(view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin)

    def shape(self, geom: Any, **style: Any) -> None:
        """Draw ``geom``, cut to what the view shows (nothing when it lies wholly outside:
        the inset skips most units without cutting them)."""
        x0, y0, x1, y1 = geom.bounds
        c0, c1, c2, c3 = self.clip.bounds
        if x1 < c0 or x0 > c2 or y1 < c1 or y0 > c3:
            return
        add_shape(
            self.ax, geom if self.clip.contains(geom) else geom.intersection(self.clip), **style
        )

    def area_label(self, x: float, y: float, value: str, priority: int, **style: Any) -> None:
        """Queue an area's name: a group's may move away with a leader line, a neighbour's
        stays over the neighbour or is left out, the others move around their anchor."""
        if not value:
            return
        style.setdefault("bbox", LABEL_BOX)
        if style["bbox"] is None:
            del style["bbox"]
        far = priority == GROUP
        cands = OnAnchor(x, y) if priority == CONTEXT else Around(x, y, far=far)
        text = list(dict.fromkeys([value, balanced(value)])) if far else value
        color = style.get("color", "#444444")
        self.labels.append(Label(text, priority, cands, style, leader_color=color))


def unit_face(unit: Any, group_rgba: dict[str, RGBA]) -> RGBA:
    """A unit's fill as drawn: its own, or for a unit without a role its first group's fill
    composited over it (one patch, so overlapping groups never stack)."""
    from matplotlib.colors import to_rgba

    face = to_rgba(unit["fill"], float(unit["fill_opacity"]))
    fills = [group_rgba[g] for g in (unit["group_ids"] or ()) if g in group_rgba]
    if not unit["role"] and fills and fills[0][3] > 0:
        return composite_rgba(fills[0], face)
    return face


def _draw_context(canvas: _Canvas, ctx: Any, lang: str, inset: bool) -> None:
    area = canvas.frame.area
    for _, row in ctx[ctx["kind"] != "region"].iterrows():
        canvas.shape(row.geometry, lw=0.5, zorder=1, **NEIGHBOUR)
        part = row.geometry.intersection(canvas.frame)
        if not inset and not part.is_empty and part.area > 0.02 * area:
            p = part.representative_point()
            name = row_lang_text(row, "name", lang)
            canvas.area_label(p.x, p.y, name, CONTEXT, color="#80807a", fontsize=8, bbox=None)


def _draw_units(canvas: _Canvas, units: Any, groups: Any, county: bool) -> None:
    """Unit fills, the county view's block exceptions (dotted, as in the HTML)."""
    from matplotlib.colors import to_rgba

    group_rgba = {
        str(g["id"]): to_rgba(g["fill"] or "#000000", float(g["fill_opacity"] or 0))
        for _, g in groups.iterrows()
    }
    for _, u in units.iterrows():
        canvas.shape(
            u.geometry,
            facecolor=unit_face(u, group_rgba),
            edgecolor=u["stroke"],
            lw=float(u["weight"]) * PX * (0.5 if county else 1),
            zorder=3,
        )
        if len(u["alt_blocks"] or ()):
            canvas.shape(
                u.geometry,
                facecolor="none",
                edgecolor="#111111",
                lw=1.5,
                linestyle=(0, (1, 1.5)),
                zorder=4,
            )


#: The last county frame dissolved into prefectures and its borders: the map and its inset
#: draw the same frame (``(weak reference to the frame, borders)``).
_LAST_BORDERS: list[Any] = [None, []]


def _prefecture_borders(units: Any) -> list[Any]:
    """The prefectures of a county model's units (``model.units``), dissolved once per frame."""
    import weakref

    ref, borders = _LAST_BORDERS
    if ref is not None and ref() is units:
        return list(borders)
    borders = _dissolve(units)
    _LAST_BORDERS[:] = [weakref.ref(units), borders]
    return list(borders)


def _dissolve(units: Any) -> list[Any]:
    """``units.dissolve(by="parent_adcode").geometry`` without pandas' group-by machinery
    (two thirds of its time): each parent's units, in row order, unioned; parents sorted."""
    import numpy as np
    import shapely

    parents = units["parent_adcode"]
    geoms = np.asarray(units.geometry.values, dtype=object)
    keys = parents.to_numpy(dtype=object)
    known = parents.notna().to_numpy()
    return [shapely.union_all(geoms[known & (keys == key)]) for key in sorted(set(keys[known]))]


def _draw_outlines(canvas: _Canvas, model: LayoutModel, groups: Any, ctx: Any) -> None:
    """Prefecture borders over the counties, the region's border, the groups' outlines."""
    if model.level == "county" and len(model.units):
        for geom in _prefecture_borders(model.units):
            canvas.shape(geom, facecolor="none", edgecolor="#333333", lw=1.2, zorder=4)
    for geom in ctx[ctx["kind"] == "region"].geometry:
        canvas.shape(geom, facecolor="none", edgecolor="#222222", lw=1.4, zorder=4)
    for _, g in groups.iterrows():
        canvas.shape(
            g.geometry,
            facecolor="none",
            edgecolor=g["stroke"],
            lw=float(g["weight"]) * PX,
            linestyle=dash(g["dash"]),
            zorder=5,
        )


def _unit_labels(canvas: _Canvas, units: Any, crs: Any, lang: str, **where: Any) -> None:
    """Unit names at their label points; at county level those inside ``avoid`` (the inset's
    area) are left to the inset."""
    inset, county, avoid = where["inset"], where["county"], where["avoid"]
    anchors = zip(units["label_lon"], units["label_lat"], strict=True)
    pts = project([(float(x), float(y)) for x, y in anchors], crs)
    for (x, y), (_, u) in zip(pts, units.iterrows(), strict=True):
        if not inside(x, y, canvas.view) or (county and avoid is not None and inside(x, y, avoid)):
            continue
        canvas.area_label(
            x,
            y,
            row_lang_text(u, "short", lang) or row_lang_text(u, "name", lang),
            UNIT,
            fontsize=9 if inset else 6 if county else 10,
            fontweight="bold" if u["role"] == "core" else "normal",
            zorder=9,
        )


def _group_labels(canvas: _Canvas, model: LayoutModel, crs: Any, lang: str) -> None:
    groups = model.groups
    anchors = zip(groups["label_lon"], groups["label_lat"], strict=True)
    pts = project([(float(x), float(y)) for x, y in anchors], crs)
    for (x, y), (_, g) in zip(pts, groups.iterrows(), strict=True):
        label = row_lang_text(g, "label", lang)
        canvas.area_label(x, y, label, GROUP, fontsize=9, style="italic", color="#1f3f6f", zorder=9)


def _draw_site(ax: Any, site: Any, kinds: list[str]) -> None:
    """A site's marker, and its uncertainty circle (a true circle in metres: the projection
    is local and conformal)."""
    from matplotlib.colors import to_rgba

    radius = float(site["radius_m"] or 0)
    if radius > 0:
        add_shape(
            ax,
            site.geometry.buffer(radius, quad_segs=32),
            facecolor=to_rgba(site["color"], 0.12),
            edgecolor=site["color"],
            lw=0.7,
            linestyle=(0, (3, 2)),
            zorder=11,
        )
    from matplotlib.lines import Line2D

    # a Line2D added as ``ax.plot`` adds it, without plot()'s argument parsing (a figure
    # draws each site twice: map and inset)
    marker = Line2D(
        [site.geometry.x],
        [site.geometry.y],
        linestyle="none",
        marker=site_marker(site["kind"], kinds),
        markersize=7,
        markerfacecolor=site["color"],
        markeredgecolor="white",
        markeredgewidth=0.7,
        zorder=12,
    )
    ax.add_line(marker)


def _draw_sites(
    canvas: _Canvas, model: LayoutModel, crs: Any, size: float
) -> tuple[Markers, list[Label]]:
    """Site markers; returns the marker positions in the view and the number labels
    (numbered as in the site key)."""
    sites = model.sites.to_crs(crs)
    kinds = list(sites["kind"])
    markers: Markers = []
    numbers: list[Label] = []
    radius_pt = MARKER_HALF + 1.5  # clear of the marker's box
    many = len(sites) >= MANY_SITES
    if many:
        draw_many_sites(canvas.ax, sites, kinds)
    xs, ys = sites.geometry.x.tolist(), sites.geometry.y.tolist()
    for i, (x, y) in enumerate(zip(xs, ys, strict=True), start=1):
        if not many:
            _draw_site(canvas.ax, sites.iloc[i - 1], kinds)
        if inside(x, y, canvas.view):
            markers.append((x, y))
            if many:  # short leaders only; numbers measured by their digit count
                cands = BesideMarker(x, y, radius_pt, rings=MANY_SITES_RINGS)
                style = {"fontsize": size, "zorder": 13}
                probe = "0" * len(str(i))
                numbers.append(
                    Label(
                        str(i),
                        SITE,
                        cands,
                        style,
                        owner=(x, y),
                        measure_as=probe,
                        plain_leader=True,
                    )
                )
                continue
            cands = BesideMarker(x, y, radius_pt)
            numbers.append(
                Label(str(i), SITE, cands, {"fontsize": size, "zorder": 13}, owner=(x, y))
            )
    return markers, numbers


def _frame_axes(ax: Any, view: Sequence[float]) -> None:
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)


def draw_map(
    ax: Any,
    model: LayoutModel,
    crs: Any,
    lang: str,
    view: Sequence[float],
    *,
    inset: bool = False,
    avoid: Sequence[float] | None = None,
    numbers: bool = True,
) -> tuple[list[Label], Markers]:
    """Context, units, groups, links, data layers and sites, in that order, clipped to
    ``view`` (many sites and the layers' points: :mod:`maplayout.print.points`).

    Labels are not drawn here: they are returned, with the site marker positions they must
    keep off, for :func:`maplayout.print.labels.place_labels` (called once every fixed artist
    such as the scale bar is on the axes). ``avoid`` is the extent of an inset drawn
    elsewhere: corridor labels stay out of it and, at county level, the unit labels inside it
    are left to the inset. ``numbers=False`` leaves the site numbers out (the inset has them).

    Group fills are laid only over the units without a role (:func:`unit_face`), so a unit
    with a role keeps exactly its legend colour; every group keeps its outline.
    """
    county = model.level == "county"
    ctx, units, groups = (f.to_crs(crs) for f in (model.context, model.units, model.groups))
    canvas = _Canvas(ax, view)
    _draw_context(canvas, ctx, lang, inset)
    _draw_units(canvas, units, groups, county)
    _draw_outlines(canvas, model, groups, ctx)
    _unit_labels(canvas, units, crs, lang, inset=inset, county=county, avoid=avoid)
    if not inset:
        _group_labels(canvas, model, crs, lang)
    labels = canvas.labels + draw_links(ax, model, crs, lang, labels=not inset, avoid=avoid)
    draw_layers(ax, model, crs, lang, view, inset=inset)
    markers, numbered = _draw_sites(canvas, model, crs, size=8 if inset else 6.5)
    _frame_axes(ax, view)
    return (labels + numbered if numbers else labels), markers
