"""Drawing helpers of :mod:`maplayout.figure`: features, legend handles, scale bar, arrow.

Everything here draws in projected metres on a matplotlib ``Axes``; styles come from the
model (the same columns the HTML renderer reads), so print and screen agree.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from maplayout._figlabels import (
    CONTEXT,
    GROUP,
    LINK,
    MARKER_HALF,
    SITE,
    UNIT,
    Label,
    around,
    beside_marker,
)
from maplayout.model import LayoutModel
from maplayout.model import pick_text as text
from maplayout.model import row_text as col

PX = 0.75  # one CSS pixel in points
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7}
NEIGHBOUR = {"facecolor": "#e8e8e4", "edgecolor": "#9aa0a6"}  # as the HTML's .ml-sw-neighbour

# Marker shapes for site kinds: known kinds first, others in sorted order after them.
_KNOWN_MARKERS = {
    "innovation-base": "o",
    "laboratory": "^",
    "data-centre": "s",
    "computing-centre": "D",
    "ftz": "P",
}
_SPARE_MARKERS = ("v", "X", "p", "h", "*", "<", ">", "8")

# Fallbacks when the renderer's ui.json is not there (the HTML legend reads its labels there).
_EXTRA_LABELS = {
    "legend.uncertainty": {
        "zh-Hans": "位置不确定范围",
        "zh-Hant": "位置不確定範圍",
        "en": "Position uncertainty",
    },
    "legend.exception": {
        "zh-Hans": "跨区县（另属其他板块）",
        "zh-Hant": "跨區縣（另屬其他板塊）",
        "en": "County also counted in another block",
    },
    "legend.neighbour": {"zh-Hans": "邻省", "zh-Hant": "鄰省", "en": "Neighbouring province"},
}


@lru_cache(maxsize=1)
def _ui_json() -> dict[str, dict[str, str]]:
    path = Path(__file__).resolve().parent / "static" / "ui.json"
    try:
        return cast(dict[str, dict[str, str]], json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def ui_label(key: str, lang: str) -> str:
    """A UI string shared with the HTML map (``static/ui.json``), with a built-in fallback."""
    return _ui_json().get(lang, {}).get(key) or _EXTRA_LABELS[key][lang]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap ``text`` to ``width`` display columns (CJK characters count two), breaking
    after spaces and Chinese list punctuation when it can."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[^\s、，；]*[\s、，；]?", text):
        if not token:
            continue
        if line and _width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = indent
        while _width(line + token.rstrip()) > width and len(token) > 1:  # a very long word
            cut = 1
            while _width(line + token[: cut + 1]) <= width:
                cut += 1
            lines.append(line + token[:cut])
            line, token = indent, token[cut:]
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


_NO_BREAK_AFTER = "“‘（《「『"
_NO_BREAK_BEFORE = "”’）》」』、，。；：！？"


def balanced(text: str) -> str:
    """``text`` on two lines of about equal width (CJK characters count two), never breaking
    after an opening or before a closing quote or punctuation; ``text`` if it has no such
    place (or when it is short)."""
    total = _width(text)
    best, where = total, 0
    for i in range(1, len(text)):
        if text[i - 1] in _NO_BREAK_AFTER or text[i] in _NO_BREAK_BEFORE:
            continue
        if text[i - 1].isascii() and text[i].isascii() and " " not in text[i - 1 : i + 1]:
            continue  # inside a word
        diff = abs(total - 2 * _width(text[:i]))
        if diff < best:
            best, where = diff, i
    if not where or total < 8:
        return text
    return text[:where].rstrip() + "\n" + text[where:].lstrip()


def site_marker(kind: str, kinds: Sequence[str] = ()) -> str:
    """The matplotlib marker of a site kind (stable for a given set of kinds)."""
    if kind in _KNOWN_MARKERS:
        return _KNOWN_MARKERS[kind]
    others = sorted({k for k in kinds if k not in _KNOWN_MARKERS} | {kind})
    return _SPARE_MARKERS[others.index(kind) % len(_SPARE_MARKERS)]


def dash(value: Any) -> Any:
    """SVG dash array (``"6 4"``, px) → a matplotlib line style (points)."""
    parts = [float(p) * PX for p in str(value or "").replace(",", " ").split()]
    if not parts or not any(parts):
        return "solid"
    if len(parts) % 2:
        parts *= 2
    return (0, tuple(parts))


def project(points: list[tuple[float, float]], crs: Any) -> list[tuple[float, float]]:
    from pyproj import Transformer

    if not points:
        return []
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xs, ys = t.transform([p[0] for p in points], [p[1] for p in points])
    return list(zip(xs, ys, strict=True))


def _path(geom: Any) -> Any:
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


def _add_shape(ax: Any, geom: Any, **style: Any) -> None:
    from matplotlib.patches import PathPatch

    path = _path(geom)
    if path is not None:
        ax.add_patch(PathPatch(path, **style))


def region_view(model: LayoutModel, crs: Any) -> tuple[float, float, float, float]:
    """The projected extent of the plan's region, padded by 4 %."""
    ctx = model.context.to_crs(crs)
    region = ctx[ctx["kind"] == "region"]
    minx, miny, maxx, maxy = (region if len(region) else model.units.to_crs(crs)).total_bounds
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
    units = model.units.to_crs(crs)
    try:
        geoms = shapely.coverage_simplify(units.geometry.values, tol, simplify_boundary=True)
    except Exception:  # not a valid coverage: simplify each unit on its own
        geoms = shapely.simplify(units.geometry.values, tol, preserve_topology=True)
    units = units.set_geometry(list(geoms), crs=units.crs)
    groups = model.groups.to_crs(crs)
    groups = groups.set_geometry(
        list(shapely.simplify(groups.geometry.values, tol)), crs=groups.crs
    )
    ctx = model.context.to_crs(crs)
    clipped = shapely.simplify(shapely.intersection(ctx.geometry.values, frame), tol)
    ctx = ctx.set_geometry(list(clipped), crs=ctx.crs)
    return replace(
        model,
        units=units,
        groups=groups,
        context=ctx,
        links=model.links.to_crs(crs),
        sites=model.sites.to_crs(crs),
    )


def sites_view(model: LayoutModel, crs: Any, view: Sequence[float]) -> Any:
    """A square extent around the sites when they crowd a small part of the map, else None."""
    if len(model.sites) < 2:
        return None
    sites = model.sites.to_crs(crs)
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
) -> tuple[list[Label], list[tuple[float, float]]]:
    """Context, units, groups, links and sites, in that order, clipped to ``view``.

    Labels are not drawn here: they are returned, with the site marker positions they must
    keep off, for :func:`maplayout._figlabels.place_labels` (called once every fixed artist
    such as the scale bar is on the axes). ``avoid`` is the extent of an inset drawn
    elsewhere: corridor labels stay out of it and, at county level, the unit labels inside it
    are left to the inset. ``numbers=False`` leaves the site numbers out (the inset has them).

    Group fills are laid only over the units without a role (each unit takes the fill of its
    first group), so a unit with a role keeps exactly its legend colour and overlapping
    groups do not stack into a colour of their own; every group keeps its outline.
    """
    from matplotlib.colors import to_rgba
    from shapely.geometry import box

    county = model.level == "county"
    ctx = model.context.to_crs(crs)
    units = model.units.to_crs(crs)
    groups = model.groups.to_crs(crs)
    frame = box(*view)
    area = frame.area
    margin = 0.02 * (view[2] - view[0])
    clip = box(view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin)
    labels: list[Label] = []

    def add_shape(ax: Any, geom: Any, **style: Any) -> None:  # only what the view shows
        _add_shape(ax, geom if clip.contains(geom) else geom.intersection(clip), **style)

    def area_label(x: float, y: float, value: str, priority: int, **style: Any) -> None:
        if value:
            style.setdefault("bbox", LABEL_BOX)
            if style["bbox"] is None:
                del style["bbox"]
            far = priority == GROUP  # a group's name may move away, with a leader line
            if priority == CONTEXT:  # a neighbour's name stays over the neighbour or goes
                cands = lambda w, h, x=x, y=y: [(x, y, 0.0, 0.0, False)]  # noqa: E731
            else:
                cands = lambda w, h, x=x, y=y: around(x, y, w, h, far=far)  # noqa: E731
            text = list(dict.fromkeys([value, balanced(value)])) if far else value
            color = style.get("color", "#444444")
            labels.append(Label(text, priority, cands, style, leader_color=color))

    for _, row in ctx[ctx["kind"] != "region"].iterrows():
        add_shape(ax, row.geometry, lw=0.5, zorder=1, **NEIGHBOUR)
        part = row.geometry.intersection(frame)
        if not inset and not part.is_empty and part.area > 0.02 * area:
            p = part.representative_point()
            area_label(
                p.x, p.y, col(row, "name", lang), CONTEXT, color="#80807a", fontsize=8, bbox=None
            )
    group_fill = {
        str(g["id"]): to_rgba(g["fill"] or "#000000", float(g["fill_opacity"] or 0))
        for _, g in groups.iterrows()
    }
    for _, u in units.iterrows():
        face = to_rgba(u["fill"], float(u["fill_opacity"]))
        fills = [group_fill[g] for g in (u["group_ids"] or ()) if g in group_fill]
        if not u["role"] and fills and fills[0][3] > 0:
            face = _over(fills[0], face)  # the group's fill laid over the unit's, in one patch
        add_shape(
            ax,
            u.geometry,
            facecolor=face,
            edgecolor=u["stroke"],
            lw=float(u["weight"]) * PX * (0.5 if county else 1),
            zorder=3,
        )
        if len(u["alt_blocks"] or ()):  # county-level block exception, as in the HTML
            add_shape(
                ax,
                u.geometry,
                facecolor="none",
                edgecolor="#111111",
                lw=1.5,
                linestyle=(0, (1, 1.5)),
                zorder=4,
            )
    if county and len(units):  # prefecture borders emphasised over the counties
        for geom in units.dissolve(by="parent_adcode").geometry:
            add_shape(ax, geom, facecolor="none", edgecolor="#333333", lw=1.2, zorder=4)
    for geom in ctx[ctx["kind"] == "region"].geometry:
        add_shape(ax, geom, facecolor="none", edgecolor="#222222", lw=1.4, zorder=4)
    for _, g in groups.iterrows():
        add_shape(
            ax,
            g.geometry,
            facecolor="none",
            edgecolor=g["stroke"],
            lw=float(g["weight"]) * PX,
            linestyle=dash(g["dash"]),
            zorder=5,
        )

    pts = project(
        [(float(u["label_lon"]), float(u["label_lat"])) for _, u in units.iterrows()], crs
    )
    for (x, y), (_, u) in zip(pts, units.iterrows(), strict=True):
        if not _inside(x, y, view):
            continue
        if county and avoid is not None and _inside(x, y, avoid):
            continue
        area_label(
            x,
            y,
            col(u, "short", lang) or col(u, "name", lang),
            UNIT,
            fontsize=9 if inset else 6 if county else 10,
            fontweight="bold" if u["role"] == "core" else "normal",
            zorder=9,
        )
    if not inset:
        gpts = project(
            [(float(g["label_lon"]), float(g["label_lat"])) for _, g in model.groups.iterrows()],
            crs,
        )
        for (x, y), (_, g) in zip(gpts, model.groups.iterrows(), strict=True):
            area_label(
                x,
                y,
                col(g, "label", lang),
                GROUP,
                fontsize=9,
                style="italic",
                color="#1f3f6f",
                zorder=9,
            )
    labels += _draw_links(ax, model, crs, lang, labels=not inset, avoid=avoid)
    markers, numbered = _draw_sites(ax, model, crs, view, size=8 if inset else 6.5)
    if numbers:
        labels += numbered

    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
    return labels, markers


def _over(top: Sequence[float], below: Sequence[float]) -> tuple[float, float, float, float]:
    """The RGBA of ``top`` composited over ``below`` (both RGBA, straight alpha)."""
    alpha = top[3] + below[3] * (1 - top[3])
    if alpha == 0:
        return (0.0, 0.0, 0.0, 0.0)
    rgb = [(top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / alpha for i in range(3)]
    return (rgb[0], rgb[1], rgb[2], alpha)


def _inside(x: float, y: float, extent: Sequence[float]) -> bool:
    return extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]


def _draw_links(
    ax: Any,
    model: LayoutModel,
    crs: Any,
    lang: str,
    *,
    labels: bool,
    avoid: Sequence[float] | None = None,
) -> list[Label]:
    """Corridor shafts with arrowheads; returns their labels, whose candidates sit beside
    the line (the side away from the other corridors first), then further out with a
    leader line. A label never covers ``avoid`` (the inset's area)."""
    from matplotlib.patches import FancyArrowPatch

    links = model.links.to_crs(crs)
    mids = [g.interpolate(0.5, normalized=True) for g in links.geometry]
    cx = sum(m.x for m in mids) / len(mids) if mids else 0.0
    cy = sum(m.y for m in mids) / len(mids) if mids else 0.0
    out: list[Label] = []
    for mid, (_, link) in zip(mids, links.iterrows(), strict=True):
        coords = list(link.geometry.coords)
        if len(coords) < 2:
            continue
        lw = float(link["weight"]) * PX
        xs, ys = zip(*coords, strict=True)
        ax.plot(
            xs,
            ys,
            color=link["stroke"],
            lw=lw,
            linestyle=dash(link["dash"]),
            solid_capstyle="round",
            zorder=7,
        )
        heads = []
        if link["direction"] in ("forward", "both"):
            heads.append((coords[-2], coords[-1]))
        if link["direction"] in ("backward", "both"):
            heads.append((coords[1], coords[0]))
        for a, b in heads:  # the head stops short of the stop so its label stays readable
            base = (a[0] + 0.6 * (b[0] - a[0]), a[1] + 0.6 * (b[1] - a[1]))
            tip = (a[0] + 0.85 * (b[0] - a[0]), a[1] + 0.85 * (b[1] - a[1]))
            ax.add_patch(
                FancyArrowPatch(
                    base,
                    tip,
                    arrowstyle="-|>",
                    mutation_scale=8 + 3 * lw,
                    color=link["stroke"],
                    lw=lw,
                    zorder=8,
                )
            )
        value = col(link, "label", lang)
        if not labels or not value:
            continue
        (x0, y0), (x1, y1) = coords[0], coords[-1]
        nx, ny = -(y1 - y0), x1 - x0  # normal of the chord
        norm = math.hypot(nx, ny) or 1.0
        nx, ny = nx / norm, ny / norm
        if len(mids) > 1 and (mid.x - cx) * nx + (mid.y - cy) * ny < 0:
            nx, ny = -nx, -ny  # away from the other corridors
        points = [link.geometry.interpolate(t, normalized=True) for t in _ALONG]

        def cands(w: float, h: float, points: Any = points, n: tuple = (nx, ny)) -> list:
            out_: list[tuple[float, float, float, float, bool]] = []
            ways = [n, (-n[0], -n[1])]  # beside the line: the outer side first
            far = [*ways, (0.0, 1.0), (0.0, -1.0), (-1.0, 0.0), (1.0, 0.0)]
            for extra, leader in _REACH:
                for ux, uy in far if leader else ways:
                    reach = abs(ux) * w / 2 + abs(uy) * h / 2 + extra
                    out_ += [(p.x, p.y, ux * reach, uy * reach, leader) for p in points]
            return out_

        style = {
            "fontsize": 7.5,
            "color": link["stroke"],
            "fontweight": "bold",
            "bbox": LABEL_BOX,
            "zorder": 10,
        }
        wide = wrap(value, 28)
        variants = [wide] if "\n" in wide else [wide, balanced(value)]
        out.append(Label(variants, LINK, cands, style, leader_color=link["stroke"], avoid=avoid))
    return out


#: Gaps (pt) between a corridor and its label, and whether a leader line is drawn.
_REACH = (
    (6, False),
    (12, False),
    (18, False),
    (28, True),
    (50, True),
    (80, True),
    (115, True),
    (160, True),
    (210, True),
)
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)  # where along a corridor its label may sit


def _draw_sites(
    ax: Any, model: LayoutModel, crs: Any, view: Sequence[float], *, size: float
) -> tuple[list[tuple[float, float]], list[Label]]:
    """Site markers and uncertainty circles; returns the marker positions in ``view`` and
    the number labels (numbered as in the site key)."""
    from matplotlib.colors import to_rgba

    sites = model.sites.to_crs(crs)
    kinds = list(sites["kind"])
    markers: list[tuple[float, float]] = []
    numbers: list[Label] = []
    radius_pt = MARKER_HALF + 1.5  # clear of the marker's box
    for i, (_, s) in enumerate(sites.iterrows(), start=1):
        radius = float(s["radius_m"] or 0)
        if radius > 0:  # a true circle in metres: the projection is local and conformal
            _add_shape(
                ax,
                s.geometry.buffer(radius, quad_segs=32),
                facecolor=to_rgba(s["color"], 0.12),
                edgecolor=s["color"],
                lw=0.7,
                linestyle=(0, (3, 2)),
                zorder=11,
            )
        ax.plot(
            [s.geometry.x],
            [s.geometry.y],
            linestyle="none",
            marker=site_marker(s["kind"], kinds),
            markersize=7,
            markerfacecolor=s["color"],
            markeredgecolor="white",
            markeredgewidth=0.7,
            zorder=12,
        )
        x, y = s.geometry.x, s.geometry.y
        if not _inside(x, y, view):
            continue
        markers.append((x, y))

        def cands(w: float, h: float, x: float = x, y: float = y) -> list:
            return beside_marker(x, y, w, h, radius=radius_pt)

        numbers.append(Label(str(i), SITE, cands, {"fontsize": size, "zorder": 13}, owner=(x, y)))
    return markers, numbers


def _legend_key(entry: dict[str, Any]) -> str:
    return json.dumps([entry.get("label"), entry.get("style")], sort_keys=True, default=str)


def legend_entries(model: LayoutModel) -> list[list[dict[str, Any]]]:
    """``model.legend`` with entries of identical label and style merged, in first-seen
    order: each item lists the merged entries (one swatch each, drawn as one legend row)."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for entry in model.legend:
        merged.setdefault(_legend_key(entry), []).append(entry)
    return list(merged.values())


def legend_handles(model: LayoutModel, lang: str) -> tuple[list[Any], list[str]]:
    """One handle per ``model.legend`` entry, then the HTML legend's conditional extras
    (uncertainty circle, block exception, neighbouring province), in the HTML's order.

    Entries with the same label and the same style (a role used by units and by a group, or
    by corridor units and corridor lines) become one row whose handle is a tuple of their
    symbols drawn over each other (see :func:`legend_entries`)."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kinds = list(model.sites["kind"]) if len(model.sites) else []
    handles: list[Any] = []
    labels: list[str] = []
    seen: dict[str, int] = {}
    for entry in model.legend:
        style = dict(entry.get("style") or {})
        kind = entry.get("kind")
        ident = str(entry.get("id", "")).split(":", 1)[-1]  # "unit:core" → "core"
        if kind == "unit":
            h: Any = Patch(
                facecolor=to_rgba(
                    style.get("fill", "#cccccc"), float(style.get("fill_opacity", 0.7))
                ),
                edgecolor=style.get("stroke", "#555555"),
                linewidth=0.6,
            )
        elif kind == "group":
            lw = float(style.get("weight", 2)) * PX
            h = Patch(
                facecolor=to_rgba(
                    style.get("fill") or "#000000", float(style.get("fill_opacity") or 0)
                ),
                edgecolor=style.get("stroke", "#333333"),
                linewidth=lw,
                linestyle=dash(style.get("dash", "")),
            )
        elif kind == "link":
            lw = float(style.get("weight", 3)) * PX
            h = Line2D(
                [0, 1],
                [0, 0],
                color=style.get("stroke", "#333333"),
                linewidth=lw,
                linestyle=dash(style.get("dash", "")),
                marker=">",
                markersize=7,
                markevery=[1],
            )
        else:  # site
            rows = (
                model.sites[model.sites["kind"] == ident]
                if len(model.sites)
                else model.sites.iloc[:0]
            )
            color = style.get("color") or (rows.iloc[0]["color"] if len(rows) else "#333333")
            h = Line2D(
                [],
                [],
                linestyle="none",
                marker=site_marker(ident, kinds),
                markersize=8,
                markerfacecolor=color,
                markeredgecolor="white",
                markeredgewidth=0.8,
            )
        key = _legend_key(entry)
        if key in seen:  # same label, same style: one entry showing both symbols
            k = seen[key]
            handles[k] = (*handles[k], h) if isinstance(handles[k], tuple) else (handles[k], h)
            continue
        seen[key] = len(handles)
        handles.append(h)
        labels.append(text(entry.get("label"), lang))
    sites = model.sites
    if len(sites) and bool(((sites["precision"] != "surveyed") & (sites["radius_m"] > 0)).any()):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=11,
                markerfacecolor="none",
                markeredgecolor="#555555",
                markeredgewidth=0.8,
            )
        )
        labels.append(ui_label("legend.uncertainty", lang))
    if any(len(a or ()) for a in model.units["alt_blocks"]):
        handles.append(
            Patch(facecolor="none", edgecolor="#111111", linewidth=1.5, linestyle=(0, (1, 1.5)))
        )
        labels.append(ui_label("legend.exception", lang))
    if bool((model.context["kind"] == "neighbour").any()):
        handles.append(
            Patch(
                linewidth=0.5,
                facecolor=NEIGHBOUR["facecolor"],
                edgecolor=NEIGHBOUR["edgecolor"],
            )
        )
        labels.append(ui_label("legend.neighbour", lang))
    return handles, labels


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) no longer than a fifth of ``span_m``."""
    target = span_m / 5
    exp = 10 ** math.floor(math.log10(target))
    return cast(float, max(m * exp for m in (1, 2, 5) if m * exp <= target))


def scale_bar(ax: Any, *, fontsize: float = 7, ticks: bool = True) -> float:
    """Draw a four-segment scale bar (metres → km) in the lower left; return its length (m)."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom = x0 + 0.05 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * length / 4, bottom),
                length / 4,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=20,
            )
        )
    km = length >= 1000
    for frac in (0, 0.5, 1) if ticks else (1,):
        v = length * frac / (1000 if km else 1)
        label = f"{v:g}" + ((" km" if km else " m") if frac == 1 else "")
        ax.text(
            left + frac * length,
            bottom + 1.8 * height,
            label,
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=20,
        )
    return length


def north_arrow(ax: Any, label: str) -> None:
    """An arrow pointing up (grid north = true north on the central meridian)."""
    ax.annotate(
        "",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.87),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.8", "lw": 1.4, "color": "k"},
        zorder=20,
    )
    ax.text(
        0.95,
        0.955,
        label,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        zorder=20,
    )
