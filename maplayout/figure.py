"""Print figures of a layout model (SVG, PDF, PNG) through matplotlib, without a browser.

The figure uses the symbology of the interactive map — the colours and line styles come
from the model, the legend entries are exactly ``model.legend`` — and adds what a printed
map needs: a title, a scale bar, a north arrow and a source / attribution / datum line.

Geometry is drawn in a transverse Mercator projection centred on the plan's region, so
distances are metric: uncertainty circles are true ``radius_m`` circles and the scale bar is
measured in metres. Text is set in an installed CJK font (Noto Sans CJK is preferred); SVG
text stays text and PDF fonts are embedded (TrueType), so labels can be searched and read.
"""

from __future__ import annotations

import argparse
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from maplayout._atomic import write_bytes_atomic
from maplayout.embed import source_line
from maplayout.errors import BuildError, DependencyMissingError, closest
from maplayout.model import LANG_SUFFIX, LayoutModel

__all__ = ["PAPERS", "cjk_font", "figure_cli", "local_crs", "make_figure", "site_marker"]

#: Paper sizes in inches (width, height).
PAPERS: dict[str, tuple[float, float]] = {
    "A4-landscape": (297 / 25.4, 210 / 25.4),
    "A4-portrait": (210 / 25.4, 297 / 25.4),
}
_FORMATS = (".svg", ".pdf", ".png")

#: CJK font families tried in order, per language.
_CJK_FAMILIES: dict[str, tuple[str, ...]] = {
    "zh-Hans": (
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "Noto Sans SC",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
        "Microsoft YaHei",
        "SimHei",
        "PingFang SC",
        "Droid Sans Fallback",
    ),
    "zh-Hant": (
        "Noto Sans CJK TC",
        "Noto Serif CJK TC",
        "Source Han Sans TC",
        "Noto Sans TC",
        "Microsoft JhengHei",
        "PingFang TC",
    ),
}
_INSTALL_HINT = "apt-get install fonts-noto-cjk"

# Marker shapes for site kinds: known kinds first, others in sorted order after them.
_KNOWN_MARKERS = {
    "innovation-base": "o",
    "laboratory": "^",
    "data-centre": "s",
    "computing-centre": "D",
    "ftz": "P",
}
_SPARE_MARKERS = ("v", "X", "p", "h", "*", "<", ">", "8")

_UI = {
    "legend": {"zh-Hans": "图例", "zh-Hant": "圖例", "en": "Legend"},
    "sites": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "Sites"},
    "circle": {
        "zh-Hans": "虚线圆：位置为近似，半径为不确定范围",
        "zh-Hant": "虛線圓：位置為近似，半徑為不確定範圍",
        "en": "Dashed circle: approximate position, radius = uncertainty",
    },
    "north": {"zh-Hans": "北", "zh-Hant": "北", "en": "N"},
    "paragraphs": {"zh-Hans": "段落", "zh-Hant": "段落", "en": "paragraphs"},
}
_PX = 0.75  # one CSS pixel in points


def _text(model_meta_field: Any, lang: str) -> str:
    """Pick ``lang`` from a ``{lang: str}`` dict, falling back to zh-Hans, then en."""
    if isinstance(model_meta_field, dict):
        for key in (lang, "zh-Hans", "en"):
            if model_meta_field.get(key):
                return str(model_meta_field[key])
        return ""
    return "" if model_meta_field is None else str(model_meta_field)


def _col(row: Any, name: str, lang: str) -> str:
    value = row.get(f"{name}_{LANG_SUFFIX[lang]}", "") or row.get(f"{name}_zh_hans", "")
    return str(value or "")


def cjk_font(lang: str = "zh-Hans") -> str:
    """Return the family name of an installed CJK font suited to ``lang``.

    Raises
    ------
    DependencyMissingError
        When no CJK font is installed (English figures then use DejaVu Sans instead).
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    order = _CJK_FAMILIES.get(lang, ()) + _CJK_FAMILIES["zh-Hans"] + _CJK_FAMILIES["zh-Hant"]
    for family in order:
        if family in installed:
            return family
    for family in sorted(installed):  # any other CJK family the system has
        if "CJK" in family and "Mono" not in family:
            return family
    if lang == "en":
        return "DejaVu Sans"
    raise DependencyMissingError(
        f"no CJK font found for {lang} figure text; install one: {_INSTALL_HINT}"
    )


def local_crs(model: LayoutModel) -> Any:
    """A transverse Mercator CRS (metres) centred on the model's region."""
    from pyproj import CRS

    region = model.context[model.context["kind"] == "region"]
    frame = region if len(region) else model.units
    minx, miny, maxx, maxy = frame.total_bounds
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +k=1 +x_0=0 +y_0=0 "
        "+ellps=WGS84 +units=m +no_defs"
    )


def site_marker(kind: str, kinds: Sequence[str] = ()) -> str:
    """The matplotlib marker of a site kind (stable for a given set of kinds)."""
    if kind in _KNOWN_MARKERS:
        return _KNOWN_MARKERS[kind]
    others = sorted({k for k in kinds if k not in _KNOWN_MARKERS} | {kind})
    return _SPARE_MARKERS[others.index(kind) % len(_SPARE_MARKERS)]


def _dash(dash: Any, width_pt: float) -> Any:
    """SVG dash array (``"6 4"``, px) → a matplotlib line style (points)."""
    parts = [float(p) * _PX for p in str(dash or "").replace(",", " ").split()]
    if not parts or not any(parts):
        return "solid"
    if len(parts) % 2:
        parts *= 2
    return (0, tuple(parts))


def _paper(paper: str) -> tuple[str, tuple[float, float]]:
    for name, size in PAPERS.items():
        if name.lower() == str(paper).lower():
            return name, size
    near = closest(str(paper), PAPERS, n=1)
    hint = f"; closest: {near[0]}" if near else ""
    raise BuildError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}{hint}")


def _legend_handles(model: LayoutModel, lang: str) -> tuple[list[Any], list[str]]:
    """One handle per ``model.legend`` entry, styled like the map's features."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kinds = list(model.sites["kind"]) if len(model.sites) else []
    handles, labels = [], []
    for entry in model.legend:
        style = dict(entry.get("style") or {})
        kind = entry.get("kind")
        ident = str(entry.get("id", "")).split(":", 1)[-1]  # "unit:core" → "core"
        if kind == "unit":
            rows = model.units[model.units["role"] == ident]
            if len(rows):
                r = rows.iloc[0]
                style = {
                    "fill": r["fill"],
                    "stroke": r["stroke"],
                    "fill_opacity": r["fill_opacity"],
                    **style,
                }
            h = Patch(
                facecolor=to_rgba(style.get("fill", "#cccccc"), style.get("fill_opacity", 0.7)),
                edgecolor=style.get("stroke", "#555555"),
                linewidth=0.6,
            )
        elif kind == "group":
            groups = model.groups
            rows = groups[
                (groups["role"] == ident) | ((groups["role"] == "") & (groups["id"] == ident))
            ]
            if len(rows):
                r = rows.iloc[0]
                style = {"stroke": r["stroke"], "dash": r["dash"], "weight": r["weight"], **style}
            lw = float(style.get("weight", 2)) * _PX
            h = Patch(
                facecolor="none",
                edgecolor=style.get("stroke", "#333333"),
                linewidth=lw,
                linestyle=_dash(style.get("dash", "6 4"), lw),
            )
        elif kind == "link":
            rows = model.links[model.links["role"] == ident]
            if len(rows):
                r = rows.iloc[0]
                style = {"stroke": r["stroke"], "weight": r["weight"], "dash": r["dash"], **style}
            lw = float(style.get("weight", 3)) * _PX
            h = Line2D(
                [],
                [],
                color=style.get("stroke", "#333333"),
                linewidth=lw,
                linestyle=_dash(style.get("dash", ""), lw),
                marker=">",
                markersize=7,
                markevery=[1],
            )
            h.set_data([0, 1], [0, 0])
        else:  # site
            rows = model.sites[model.sites["kind"] == ident] if len(model.sites) else []
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
        handles.append(h)
        labels.append(_text(entry.get("label"), lang))
    return handles, labels


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) near a fifth of ``span_m``."""
    target = span_m / 5
    exp = 10 ** math.floor(math.log10(target))
    return max(m * exp for m in (1, 2, 5) if m * exp <= target)


def _scale_bar(ax: Any) -> None:
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
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
    km = length / 1000
    fmt = (lambda v: f"{v:g}") if km >= 1 else (lambda v: f"{v * 1000:g}")
    unit = "km" if km >= 1 else "m"
    for frac in (0, 0.5, 1):
        label = fmt(km * frac) + (f" {unit}" if frac == 1 else "")
        ax.text(
            left + frac * length,
            bottom + 1.8 * height,
            label,
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=20,
        )


def _north_arrow(ax: Any, lang: str) -> None:
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
        _UI["north"][lang],
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        zorder=20,
    )


_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.65}


def _path(geom: Any) -> Any:
    """A matplotlib Path of a (Multi)Polygon, holes included."""
    import numpy as np
    from matplotlib.path import Path as MPath

    verts: list[Any] = []
    codes: list[Any] = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
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


def _label(ax: Any, x: float, y: float, text: str, **kw: Any) -> None:
    if text:
        ax.text(x, y, text, ha="center", va="center", bbox=_LABEL_BOX, **kw)


def _draw_map(ax: Any, model: LayoutModel, crs: Any, lang: str) -> None:
    """Context, units, groups, links and sites, in that order, in projected metres."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch

    county = model.level == "county"
    ctx = model.context.to_crs(crs)
    region = ctx[ctx["kind"] == "region"]
    units = model.units.to_crs(crs)
    minx, miny, maxx, maxy = (region if len(region) else units).total_bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    view = (minx - pad, miny - pad, maxx + pad, maxy + pad)

    for _, row in ctx[ctx["kind"] != "region"].iterrows():
        _add_shape(ax, row.geometry, facecolor="#f2f2ef", edgecolor="#b5b5b0", lw=0.5, zorder=1)
        from shapely.geometry import box

        part = row.geometry.intersection(box(*view))
        if not part.is_empty and part.area > 0.02 * (view[2] - view[0]) * (view[3] - view[1]):
            p = part.representative_point()
            ax.text(
                p.x,
                p.y,
                _col(row, "name", lang),
                color="#8a8a85",
                fontsize=8,
                ha="center",
                va="center",
                zorder=2,
            )
    for _, u in units.iterrows():
        _add_shape(
            ax,
            u.geometry,
            facecolor=to_rgba(u["fill"], float(u["fill_opacity"])),
            edgecolor=u["stroke"],
            lw=float(u["weight"]) * _PX * (0.5 if county else 1),
            zorder=3,
        )
    if county and len(units):  # prefecture borders emphasised over the counties
        for geom in units.dissolve(by="parent_adcode").geometry:
            _add_shape(ax, geom, facecolor="none", edgecolor="#333333", lw=1.2, zorder=4)
    for geom in region.geometry:
        _add_shape(ax, geom, facecolor="none", edgecolor="#222222", lw=1.4, zorder=4)
    for _, g in model.groups.to_crs(crs).iterrows():
        lw = float(g["weight"]) * _PX
        _add_shape(
            ax,
            g.geometry,
            facecolor=to_rgba(g["fill"] or "#000000", float(g["fill_opacity"] or 0)),
            edgecolor=g["stroke"],
            lw=lw,
            linestyle=_dash(g["dash"], lw),
            zorder=5,
        )

    size = 6 if county else 10
    pts = _project(
        [(float(u["label_lon"]), float(u["label_lat"])) for _, u in units.iterrows()], crs
    )
    for (x, y), (_, u) in zip(pts, units.iterrows(), strict=True):
        _label(
            ax,
            x,
            y,
            _col(u, "short", lang) or _col(u, "name", lang),
            fontsize=size,
            fontweight="bold" if u["role"] == "core" else "normal",
            zorder=9,
        )
    gpts = _project(
        [(float(g["label_lon"]), float(g["label_lat"])) for _, g in model.groups.iterrows()], crs
    )
    for (x, y), (_, g) in zip(gpts, model.groups.iterrows(), strict=True):
        _label(
            ax, x, y, _col(g, "label", lang), fontsize=9, style="italic", color="#1f3f6f", zorder=9
        )

    for _, link in model.links.to_crs(crs).iterrows():
        coords = list(link.geometry.coords)
        if len(coords) < 2:
            continue
        lw = float(link["weight"]) * _PX
        xs, ys = zip(*coords, strict=True)
        ax.plot(
            xs,
            ys,
            color=link["stroke"],
            lw=lw,
            linestyle=_dash(link["dash"], lw),
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
        mid = link.geometry.interpolate(0.5, normalized=True)
        _label(
            ax,
            mid.x,
            mid.y,
            _col(link, "label", lang),
            fontsize=7.5,
            color=link["stroke"],
            zorder=10,
        )

    sites = model.sites.to_crs(crs)
    kinds = list(sites["kind"])
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
        ax.annotate(
            str(i),
            (s.geometry.x, s.geometry.y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=6.5,
            zorder=13,
        )

    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)


def _project(points: list[tuple[float, float]], crs: Any) -> list[tuple[float, float]]:
    from pyproj import Transformer

    if not points:
        return []
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xs, ys = t.transform([p[0] for p in points], [p[1] for p in points])
    return list(zip(xs, ys, strict=True))


def _site_key(model: LayoutModel, lang: str) -> list[str]:
    lines = []
    for i, (_, s) in enumerate(model.sites.iterrows(), start=1):
        text = f"{i}  {_col(s, 'name', lang)}"
        radius = float(s["radius_m"] or 0)
        if radius > 0:
            text += f" (±{radius / 1000:g} km)"
        if bool(s["identity_uncertain"]):
            text += " ?"
        lines.append(text)
    return lines


def make_figure(
    model: LayoutModel,
    path: str | Path,
    *,
    paper: str = "A4-landscape",
    dpi: int = 200,
    lang: str = "zh-Hans",
    title: str | None = None,
) -> Path:
    """Draw ``model`` as a print figure and write it to ``path`` (format from the suffix).

    Parameters
    ----------
    model : LayoutModel
        The joined model (prefecture or county level).
    path : str or Path
        Output file ending in ``.svg``, ``.pdf`` or ``.png``; written atomically.
    paper : {"A4-landscape", "A4-portrait"}
        Page size and orientation.
    dpi : int
        Resolution of PNG output (vector formats ignore it except for rasterised parts).
    lang : {"zh-Hans", "zh-Hant", "en"}
        Language of every label.
    title : str, optional
        Overrides the plan's title.

    Returns
    -------
    Path
        The written file. Identical inputs give identical bytes.

    Raises
    ------
    DependencyMissingError
        No CJK font is installed.
    BuildError
        Unknown paper size or output suffix.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise BuildError(
            f"{path}: unsupported figure format {path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(_FORMATS)}"
        )
    if lang not in LANG_SUFFIX:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANG_SUFFIX)}")
    paper_name, size = _paper(paper)
    family = cjk_font(lang)
    rc = {
        "font.family": [family, "DejaVu Sans"],
        "svg.fonttype": "none",
        "svg.hashsalt": "maplayout",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "lines.scale_dashes": False,
        "axes.unicode_minus": False,
        "path.simplify": True,
    }
    portrait = paper_name.endswith("portrait")
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=size, dpi=100)
        FigureCanvasAgg(fig)
        if True:
            if portrait:
                ax = fig.add_axes((0.05, 0.30, 0.90, 0.60))
                side = fig.add_axes((0.05, 0.05, 0.90, 0.23))
            else:
                ax = fig.add_axes((0.03, 0.07, 0.64, 0.82))
                side = fig.add_axes((0.69, 0.07, 0.29, 0.82))
            crs = local_crs(model)
            _draw_map(ax, model, crs, lang)
            _scale_bar(ax)
            _north_arrow(ax, lang)
            _draw_side(side, model, lang, portrait)
            heading = title or _text(model.meta.get("title"), lang)
            fig.text(
                0.03 if not portrait else 0.05,
                0.965,
                heading,
                fontsize=17,
                fontweight="bold",
                ha="left",
                va="top",
            )
            sub = _text(model.meta.get("subtitle"), lang)
            if sub:
                fig.text(
                    0.03 if not portrait else 0.05,
                    0.925 if not portrait else 0.94,
                    sub,
                    fontsize=11,
                    color="#444444",
                    ha="left",
                    va="top",
                )
            fig.text(
                0.03 if not portrait else 0.05,
                0.018,
                source_line(model, lang),
                fontsize=6.5,
                color="#333333",
                ha="left",
                va="bottom",
                wrap=True,
            )
            buf = io.BytesIO()
            meta: dict[str, Any] = {}
            if suffix == ".svg":
                meta = {"Date": None}
            elif suffix == ".pdf":
                meta = {"CreationDate": None, "ModDate": None}
            fig.savefig(buf, format=suffix[1:], dpi=dpi, metadata=meta)
    return write_bytes_atomic(path, buf.getvalue())


def _draw_side(ax: Any, model: LayoutModel, lang: str, portrait: bool) -> None:
    """Legend (exactly ``model.legend``), the uncertainty note and the numbered site key."""
    ax.set_axis_off()
    handles, labels = _legend_handles(model, lang)
    leg = ax.legend(
        handles,
        labels,
        title=_UI["legend"][lang],
        loc="upper left",
        frameon=False,
        fontsize=9,
        title_fontsize=10,
        alignment="left",
        ncols=2 if portrait else 1,
        borderaxespad=0,
        handlelength=2.2,
    )
    ax.add_artist(leg)
    renderer = ax.figure.canvas.get_renderer()
    bbox = leg.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    y = bbox.y0 - 0.03
    has_circle = bool(len(model.sites)) and bool((model.sites["radius_m"] > 0).any())
    if has_circle:
        ax.text(
            0,
            y,
            _UI["circle"][lang],
            fontsize=7,
            color="#444444",
            va="top",
            transform=ax.transAxes,
            wrap=True,
        )
        y -= 0.05
    key = _site_key(model, lang)
    if key:
        x0 = 0.5 if portrait else 0.0
        y0 = 1.0 if portrait else y
        ax.text(
            x0,
            y0,
            _UI["sites"][lang],
            fontsize=9,
            fontweight="bold",
            va="top",
            transform=ax.transAxes,
        )
        step = 0.075 if portrait else 0.032
        for i, line in enumerate(key, start=1):
            ax.text(x0, y0 - i * step - 0.01, line, fontsize=7, va="top", transform=ax.transAxes)


def figure_cli(args: argparse.Namespace) -> int:
    """``maplayout figure [PLAN] --out F --level --paper --dpi --lang``: print the written path."""
    from maplayout.join import join
    from maplayout.plan import load_plan

    model = join(load_plan(args.plan), level=getattr(args, "level", "prefecture"))
    out = make_figure(
        model,
        args.out,
        paper=getattr(args, "paper", "A4-landscape"),
        dpi=int(getattr(args, "dpi", 200)),
        lang=getattr(args, "lang", "zh-Hans"),
        title=getattr(args, "title", None),
    )
    print(out)
    return 0
