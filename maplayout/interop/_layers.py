"""The layout's layers as folium ``FeatureGroup``\\ s (one function per layer).

Every text is escaped here before it reaches folium (whose popups and tooltips take HTML);
colours and widths come finished from the model (display fills from
:mod:`maplayout.model.symbology`), nothing is re-decided.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import shapely

from maplayout.model import LayoutModel, as_list, as_number, records, row_text
from maplayout.model.symbology import display_fills

__all__ = ["LAYER_KEYS", "layer_groups"]

#: The page's overlays in its layer control's order: (key, ui string key).
LAYER_KEYS: tuple[tuple[str, str], ...] = (
    ("units", "layer.units.{level}"),
    ("parents", "layer.parents"),
    ("groups", "layer.groups"),
    ("links", "layer.links"),
    ("sites", "layer.sites"),
    ("uncertainty", "layer.uncertainty"),
    ("context", "layer.context"),
    ("labels", "layer.labels"),
)


def _esc(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def _card(title: str, *lines: str, refs: Any = ()) -> str:
    """A popup's HTML: an escaped title, escaped lines and the paragraph ids."""
    parts = [f"<b>{_esc(title)}</b>"] + [f"<div>{_esc(t)}</div>" for t in lines if t]
    refs = as_list(refs)
    if refs:
        parts.append(f"<div><small>{_esc(' · '.join(refs))}</small></div>")
    return "".join(parts)


def _geojson(frame: Any, style: Any, name: str, tip: bool = True, popup: bool = True) -> Any:
    import folium

    kwargs: dict[str, Any] = {}
    if tip:
        kwargs["tooltip"] = folium.GeoJsonTooltip(fields=["tip"], labels=False)
    if popup:
        kwargs["popup"] = folium.GeoJsonPopup(fields=["card"], labels=False, max_width=320)
    return folium.GeoJson(frame, style_function=style, name=name, **kwargs)


def _units(fg: Any, model: LayoutModel, lang: str) -> int:
    frame = model.units[["geometry"]].copy()
    rows = records(model.units)
    fills = display_fills(model.units, model.groups)
    frame["fill"] = [f for f, _ in fills]
    frame["fo"] = [a for _, a in fills]
    frame["stroke"] = [str(r.get("stroke") or "#666666") for r in rows]
    frame["w"] = [as_number(r.get("weight"), 1.0) for r in rows]
    frame["tip"] = [
        _esc(" · ".join(filter(None, [row_text(r, "name", lang), row_text(r, "role_label", lang)])))
        for r in rows
    ]
    frame["card"] = [
        _card(
            row_text(r, "name", lang),
            row_text(r, "role_label", lang),
            row_text(r, "description", lang),
            refs=r.get("source_refs"),
        )
        for r in rows
    ]

    def style(f: Mapping[str, Any]) -> dict[str, Any]:
        p = f["properties"]
        return {
            "color": p["stroke"],
            "weight": p["w"],
            "fillColor": p["fill"],
            "fillOpacity": p["fo"],
        }

    if len(frame):
        _geojson(frame, style, "units").add_to(fg)
    return len(frame)


def _parents(fg: Any, model: LayoutModel, lang: str) -> int:
    if model.level != "county" or not len(model.units):
        return 0
    import geopandas as gpd

    rows = []
    for parent, part in model.units.groupby("parent_adcode", sort=True):
        name = row_text(part.iloc[0], "parent_name", lang)
        rows.append({"id": str(parent), "tip": _esc(name), "geometry": part.union_all()})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=model.units.crs)

    def style(f: Mapping[str, Any]) -> dict[str, Any]:
        return {"color": "#222222", "weight": 2.2, "fill": False}

    _geojson(frame, style, "parents", popup=False).add_to(fg)
    return len(frame)


def _groups(fg: Any, model: LayoutModel, lang: str) -> int:
    frame = model.groups[["geometry", "stroke", "weight", "dash"]].copy()
    rows = records(model.groups)
    frame["tip"] = [_esc(row_text(r, "label", lang)) for r in rows]
    frame["card"] = [
        _card(row_text(r, "label", lang), row_text(r, "description", lang), refs=r["source_refs"])
        for r in rows
    ]

    def style(f: Mapping[str, Any]) -> dict[str, Any]:
        p = f["properties"]
        return {
            "color": p["stroke"] or "#333333",
            "weight": as_number(p["weight"], 2.0),
            "dashArray": p["dash"] or None,
            "fillOpacity": 0,
        }

    if len(frame):
        _geojson(frame, style, "groups").add_to(fg)
    return len(frame)


def _arrowhead(a: tuple[float, float], b: tuple[float, float], size: float) -> list[list[float]]:
    """A triangle ``[lat, lon]`` ring pointing at ``b`` from the direction of ``a``."""
    kx = math.cos(math.radians(b[1]))  # degrees of longitude are shorter away from the equator
    dx, dy = (b[0] - a[0]) * kx, b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    bx, by = -ux * size, -uy * size
    w = size * 0.55
    corners = [(0.0, 0.0), (bx - uy * w, by + ux * w), (bx + uy * w, by - ux * w)]
    return [[round(b[1] + y, 6), round(b[0] + x / kx, 6)] for x, y in corners]


def _links(fg: Any, model: LayoutModel, lang: str) -> int:
    import folium

    for r in records(model.links):
        pts = [(float(x), float(y)) for x, y in r["geometry"].coords]
        color, weight = str(r.get("stroke") or "#6a3d9a"), as_number(r.get("weight"), 3.0)
        tip = _esc(row_text(r, "label", lang))
        card = _card(
            row_text(r, "label", lang), row_text(r, "description", lang), refs=r["source_refs"]
        )
        folium.PolyLine(
            [[y, x] for x, y in pts],
            color=color,
            weight=weight,
            dash_array=str(r.get("dash") or "") or None,
            tooltip=folium.Tooltip(tip, sticky=True),
            popup=folium.Popup(card, max_width=320),
        ).add_to(fg)
        size = min(0.12, 0.2 * shapely.length(r["geometry"]))
        direction = str(r.get("direction") or "forward")
        ends = []
        if direction in ("forward", "both"):
            ends.append((pts[-2], pts[-1]))
        if direction in ("backward", "both"):
            ends.append((pts[1], pts[0]))
        for a, b in ends:
            folium.Polygon(
                _arrowhead(a, b, size), color="#ffffff", weight=1.5, fill_color=color,
                fill_opacity=1.0, tooltip=folium.Tooltip(tip, sticky=True),
            ).add_to(fg)  # fmt: skip
    return len(model.links)


def _sites(fg: Any, unc: Any, model: LayoutModel, lang: str) -> tuple[int, int]:
    import folium

    n_unc = 0
    for r in records(model.sites):
        color, precision = str(r.get("color") or "#333333"), str(r.get("precision") or "")
        lat, lon = float(r["geometry"].y), float(r["geometry"].x)
        radius = as_number(r.get("radius_m"), 0.0)
        if precision != "surveyed" and radius > 0:
            folium.Circle(
                [lat, lon], radius=radius, color=color, weight=1.2, dash_array="3 3",
                fill_color=color, fill_opacity=0.08, interactive=False,
            ).add_to(unc)  # fmt: skip
            n_unc += 1
        card = _card(
            row_text(r, "name", lang),
            row_text(r, "kind_label", lang),
            row_text(r, "description", lang),
            row_text(r, "precision_note", lang),
            refs=r.get("source_refs"),
        )
        folium.CircleMarker(
            [lat, lon], radius=5 if precision == "placeholder" else 6.5, color="#ffffff",
            weight=2, fill_color=color, fill_opacity=0.55 if precision == "placeholder" else 1.0,
            tooltip=folium.Tooltip(_esc(row_text(r, "name", lang))),
            popup=folium.Popup(card, max_width=320),
        ).add_to(fg)  # fmt: skip
    return len(model.sites), n_unc


def _context(fg: Any, model: LayoutModel, lang: str) -> int:
    frame = model.context[["geometry", "kind"]].copy()
    frame["tip"] = [_esc(row_text(r, "name", lang)) for r in records(model.context)]

    def style(f: Mapping[str, Any]) -> dict[str, Any]:
        region = f["properties"]["kind"] == "region"
        return {
            "color": "#555555" if region else "#9aa0a6",
            "weight": 2.5 if region else 0.8,
            "fillColor": "#ffffff" if region else "#e8e8e4",
            "fillOpacity": 0 if region else 1,
            "fill": not region,  # the region's outline takes no clicks meant for its units
        }

    if len(frame):
        _geojson(frame, style, "context", popup=False).add_to(fg)
    return len(frame)


def _label(fg: Any, lat: float, lon: float, text: str, css: str) -> None:
    import folium

    icon = folium.DivIcon(
        html=f'<div class="ml-fl-label" style="{css}">{_esc(text)}</div>',
        icon_size=(0, 0),
        class_name="ml-fl",
    )
    folium.Marker([lat, lon], icon=icon, interactive=False).add_to(fg)


def _labels(fg: Any, model: LayoutModel, lang: str) -> int:
    n = 0
    for r in records(model.units):
        if model.level == "county" and not r.get("role"):
            continue  # without the page's collision avoidance, only counties with a role
        text = row_text(r, "short", lang) or row_text(r, "name", lang)
        bold = "font-weight:700;" if r.get("role") == "core" else ""
        _label(fg, float(r["label_lat"]), float(r["label_lon"]), text, bold)
        n += 1
    for r in records(model.groups):
        _label(fg, float(r["label_lat"]), float(r["label_lon"]), row_text(r, "label", lang), "")
        n += 1
    for r in records(model.links):
        c = r["geometry"].coords
        mid = ((c[0][1] + c[-1][1]) / 2, (c[0][0] + c[-1][0]) / 2)
        color = f"color:{_esc(r.get('stroke') or '#333333')};"
        _label(fg, mid[0], mid[1], row_text(r, "label", lang), color)
        n += 1
    return n


def layer_groups(model: LayoutModel, lang: str, names: Mapping[str, str]) -> dict[str, Any]:
    """``{key: (FeatureGroup, feature count)}`` for every non-empty layer, in page order."""
    import folium

    fgs = {k: folium.FeatureGroup(name=names[k], overlay=True, show=True) for k, _ in LAYER_KEYS}
    counts = {
        "units": _units(fgs["units"], model, lang),
        "parents": _parents(fgs["parents"], model, lang),
        "groups": _groups(fgs["groups"], model, lang),
        "links": _links(fgs["links"], model, lang),
        "context": _context(fgs["context"], model, lang),
        "labels": _labels(fgs["labels"], model, lang),
    }
    counts["sites"], counts["uncertainty"] = _sites(fgs["sites"], fgs["uncertainty"], model, lang)
    return {k: (fgs[k], counts[k]) for k, _ in LAYER_KEYS if counts[k]}
