"""The rows of the model's frames: one builder per plan layer drawn straight from the plan
(links, sites) and the context frame, and the column helpers every builder shares (a text's
three language columns, a resolved style's columns, a frame in the contract's column order).

The units and groups, which need the level's membership, are built in
:mod:`maplayout.model.build`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point

from maplayout.model.contract import (
    CONTEXT_COLUMNS,
    LANG_SUFFIX,
    LANGS,
    LINK_COLUMNS,
    SITE_COLUMNS,
)
from maplayout.plan import Plan, Style, Text

__all__ = [
    "UNIT_STYLE",
    "context_frame",
    "lang_texts",
    "link_frame",
    "model_frame",
    "site_frame",
    "style_columns",
    "texts_row",
]

_CRS = "EPSG:4326"

#: The style columns of a unit row (a group's add ``dash``).
UNIT_STYLE = ("fill", "stroke", "fill_opacity", "weight")


def lang_texts(prefix: str, t: Text) -> dict[str, str]:
    """``{prefix_zh_hans: …, prefix_zh_hant: …, prefix_en: …}``: ``t``'s language columns."""
    return {f"{prefix}_{LANG_SUFFIX[lang]}": t.get(lang) for lang in LANGS}


def texts_row(first: dict[str, Any], item: Any, **texts: Text) -> dict[str, Any]:
    """A frame row: ``first``, then each text's three language columns, in order, then the
    plan item's ``description`` and ``interpretation``."""
    row = dict(first)
    texts.update(description=item.description, interpretation=item.interpretation)
    for prefix, text in texts.items():
        row.update(lang_texts(prefix, text))
    return row


def style_columns(s: Style, keys: tuple[str, ...] = UNIT_STYLE) -> dict[str, Any]:
    """The frame columns ``keys`` of a resolved style."""
    return {key: getattr(s, key) for key in keys}


def model_frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """A frame of ``rows`` in EPSG:4326: ``columns`` first, in order, then any extra ones."""
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry="geometry", crs=_CRS)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=_CRS)
    extra = [c for c in gdf.columns if c not in columns]
    return gdf[[*columns, *extra]]


def _label_points(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, tuple[float, float]]:
    out = {}
    for f in frames.values():
        for a, x, y in zip(f["adcode"], f["label_lon"], f["label_lat"], strict=True):
            out[a] = (float(x), float(y))
    return out


def _place_names(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, dict[str, str]]:
    """``{adcode: {lang: short name, else full name}}`` of every prefecture and county: a
    link's stop below the drawn level keeps its own name (吉首, never 433101)."""
    out: dict[str, dict[str, str]] = {}
    for f in frames.values():
        cols = {
            lang: (
                f[f"short_{LANG_SUFFIX[lang]}"].tolist(),
                f[f"name_{LANG_SUFFIX[lang]}"].tolist(),
            )
            for lang in LANGS
        }
        for k, a in enumerate(f["adcode"]):
            out[str(a)] = {lang: str(cols[lang][0][k] or cols[lang][1][k] or "") for lang in LANGS}
    return out


def link_frame(plan: Plan, frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    pts = _label_points(frames)
    names = _place_names(frames)
    rows = []
    for link in plan.links:
        role = plan.role(link.role)
        style = plan.style_of(link.role, link.style)
        row = texts_row(
            {"id": link.id, "role": link.role},
            link,
            label=link.label,
            role_label=role.label,
        )
        row.update(
            stops=link.stop_adcodes,
            direction=link.direction,
            source_refs=link.source_refs,
            **style_columns(style, ("stroke", "weight", "dash")),
            geometry=LineString([pts[a] for a in link.stop_adcodes]),
            closed=link.closed,
            own_style=bool(link.style),
        )
        row["stop_names"] = tuple(
            {lang: names.get(a, {}).get(lang) or a for lang in LANGS} for a in link.stop_adcodes
        )
        rows.append(row)
    return model_frame(rows, LINK_COLUMNS)


def site_frame(plan: Plan, frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    county = frames.get("county")  # a site's host_adcode is its county's prefecture
    parent = (
        {} if county is None else dict(zip(county["adcode"], county["parent_adcode"], strict=True))
    )
    rows = []
    for s in plan.sites:
        kind = plan.site_kind(s.kind)
        row = texts_row(
            {"id": s.id, "kind": s.kind},
            s,
            name=s.name,
            kind_label=kind.label,
        )
        row.update(lang_texts("precision_note", s.precision_note))
        row.update(lang_texts("location_source", s.location_source))
        row.update(
            host_adcode=parent.get(s.host_adcode, s.host_adcode),
            precision=s.precision,
            radius_m=float(s.radius_m),
            identity_uncertain=bool(s.identity_uncertain),
            source_refs=s.source_refs,
            location_source=s.location_source.en,  # contract column: the original note
            color=kind.color,
            geometry=Point(s.lon, s.lat),
            confidence=s.confidence,
            datum=s.datum,
            given_lon=s.given_lon,
            given_lat=s.given_lat,
            host_unit_adcode=s.host_adcode,
        )
        rows.append(row)
    return model_frame(rows, SITE_COLUMNS)


def context_frame(plan: Plan, load_units: Any) -> gpd.GeoDataFrame:
    rows = []
    for level, kind in (("province", "region"), ("neighbour", "neighbour")):
        f = load_units(level).sort_values("adcode", kind="stable")
        if kind == "region":
            f = f[f["adcode"] == plan.region_adcode]
        for r in f.itertuples(index=False):
            row: dict[str, Any] = {"adcode": r.adcode, "kind": kind, "geometry": r.geometry}
            for lang in LANGS:
                key = f"name_{LANG_SUFFIX[lang]}"
                row[key] = getattr(r, key) or ""
            rows.append(row)
    return model_frame(rows, CONTEXT_COLUMNS)
