"""The page's data: a :class:`~maplayout.model.LayoutModel` as the one JSON payload the page
script reads (``static/js``).

One helper per layer (units, parents, groups, links, sites, context); each returns plain
JSON values. The payload's keys are what the script reads (``fo`` fill opacity, ``w`` line
weight, ``g`` encoded geometry, ``lab`` label point, ``ll`` a site's ``[lat, lon]``): they
are a file format, kept short because every unit repeats them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely

from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, as_list, as_number, records
from maplayout.model.symbology import display_fills, extra_search_keys
from maplayout.text import (
    attribution_text,
    display_facts,
    lang_texts,
    page_ui,
    row_texts,
    view_suffix,
)
from maplayout.web.basemaps import Basemap
from maplayout.web.codec import SCALE, encode_geometry, encode_ring

__all__ = ["build_payload", "page_data"]


def build_payload(
    model: LayoutModel, lang: str, basemap: Basemap, key: str | None, title: Any
) -> dict[str, Any]:
    """The payload of a page of ``model`` (already in ``basemap``'s datum) in ``lang``.

    A view spanning several provinces (a national page) also carries ``provinces`` (outlines
    and names), each unit and prefecture its province (``prov``) and coarse outlines (``gc``):
    the page draws provinces and prefectures with the coarse outlines, and decodes and draws a
    province's full outlines (a county view: its counties) only when the view zooms into it.
    """
    payload = {
        "v": 1,
        "lang": lang,
        "level": model.level,
        "scale": SCALE,
        "ui": page_ui(
            model.level, str(model.meta.get("neighbours") or "province"), _search_example(model)
        ),
        "meta": _page_meta(model, basemap, title),
        "bounds": _bounds(model),
        "basemap": basemap.to_json(lang, key),
        "units": _units(model),
        "parents": _parents(model),
        "groups": _groups(model),
        "links": _links(model),
        "sites": _sites(model),
        "context": _context(model),
        "legend": list(model.legend),
        "facts": display_facts(model),
    }
    if _split_by_province(model):
        _add_province_detail(payload, model)
    return payload


def _search_example(model: LayoutModel) -> dict[str, str] | None:
    """Short names of a unit of this page for the search box's example, or ``None`` when the
    page has the unit the shipped placeholder names, as a unit or a parent (株洲: Hunan's
    pages keep their bytes)."""
    units = model.units
    shown = set(units["short_zh_hans"])
    if "parent_short_zh_hans" in units.columns:  # a county page of Hunan: found by its cities
        shown |= set(units["parent_short_zh_hans"])
    if units.empty or "株洲" in shown:
        return None
    row = units.iloc[min(1, len(units) - 1)]  # the second unit: the first is often the capital
    names = {k: str(row[f"short_{k}"] or row[f"name_{k}"]) for k in ("zh_hans", "zh_hant", "en")}
    return names if all(names.values()) else None


def _province_of(adcode: str) -> str:
    """The province (adcode) of a unit's adcode: its first two digits."""
    return adcode[:2] + "0000"


def _point_latlon(geom: Any) -> list[float]:
    """``[lat, lon]`` of a point inside ``geom`` (where its name is written)."""
    p = geom.representative_point()
    return [round(p.y, 4), round(p.x, 4)]


def _split_by_province(model: LayoutModel) -> bool:
    """Whether the page draws its detail per province: a prefecture or county view of several
    provinces (a province view's units are the provinces themselves)."""
    if model.level not in ("prefecture", "county") or not len(model.units):
        return False
    return len({_province_of(str(a)) for a in model.units["adcode"]}) > 1


#: Tolerance of the wide view's outlines (``shapely.coverage_simplify``, degrees: the side of
#: the smallest triangle kept): about a pixel at zoom 5.5. A province's full outlines replace
#: them once the view zooms in on it (zoom 6 and closer); all of China's prefectures and
#: provinces come to ~50,000 points instead of ~350,000.
COARSE_DEG = 0.03


def _union(geoms: Any) -> Any:
    """The union of a coverage's shapes (a plain union when they are not a clean coverage)."""
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapely.make_valid(np.asarray(geoms, dtype=object)))


def _coarse(geoms: list[Any]) -> list[Any]:
    """``geoms`` (a coverage: shared borders stay shared) simplified for the wide view."""
    arr = np.asarray(geoms, dtype=object)
    try:
        out = shapely.coverage_simplify(arr, COARSE_DEG)
    except shapely.errors.GEOSException:  # not a clean coverage: each shape on its own
        out = shapely.simplify(arr, COARSE_DEG, preserve_topology=True)
    return list(out)


#: A unit's fields a page of several provinces leaves out when empty (static/js/head.js puts
#: them back as "", [] or empty texts): ~130 bytes a unit, 0.37 MB on a page of China's counties.
_OMITTED_WHEN_EMPTY = ("role", "roleLabel", "desc", "block", "altBlocks", "groups", "refs")
_NO_TEXT = dict.fromkeys(LANGS, "")


def page_data(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the page embeds it: on a page of several provinces (thousands of units)
    each unit's empty fields are left out (``static/js/head.js`` puts them back); the text
    version is rendered from the full ``payload``."""
    if "provinces" not in payload:
        return payload
    units = [
        {k: v for k, v in u.items() if k not in _OMITTED_WHEN_EMPTY or v not in ("", [], _NO_TEXT)}
        for u in payload["units"]
    ]
    return {**payload, "units": units}


def _add_province_detail(payload: dict[str, Any], model: LayoutModel) -> None:
    """Each unit's and prefecture's province; ``provinces`` (id, names, ``b`` bounds, label
    point, outline); and for the wide view a coarse outline ``gc`` of every shape drawn before
    its province's detail: the prefectures of a county view (filled as their counties when
    they share one fill), the units of a prefecture view, the provinces."""
    from maplayout.geo.china import china_units

    names = {u.adcode: u for u in china_units()}
    for unit in payload["units"]:
        unit["prov"] = _province_of(unit["id"])
    if model.level == "county":
        fills = display_fills(model.units, model.groups)
        by_parent: dict[str, set[tuple[str, float]]] = {}
        for unit, (fill, opacity) in zip(payload["units"], fills, strict=True):
            by_parent.setdefault(unit["parent"], set()).add((fill, opacity))
        outlines = {
            str(k): _union(f.geometry.values)
            for k, f in model.units.groupby("parent_adcode", sort=True)
        }
        coarse = dict(zip(outlines, _coarse(list(outlines.values())), strict=True))
        for parent in payload["parents"]:
            parent["prov"] = _province_of(parent["id"])
            parent["lab"] = _point_latlon(outlines[parent["id"]])
            parent["gc"] = encode_geometry(coarse[parent["id"]])
            shared = by_parent.get(parent["id"], set())
            fill, opacity = next(iter(shared)) if len(shared) == 1 else ("#ffffff", 0.0)
            parent["fill"], parent["fo"] = fill, opacity
    else:
        for unit, geom in zip(payload["units"], _coarse(list(model.units.geometry)), strict=True):
            unit["gc"] = encode_geometry(geom)
    provinces = []
    frame = model.units.assign(_prov=[_province_of(str(a)) for a in model.units["adcode"]])
    merged_by = {
        str(k): _union(part.geometry.values) for k, part in frame.groupby("_prov", sort=True)
    }
    coarse_by = dict(zip(merged_by, _coarse(list(merged_by.values())), strict=True))
    for prov, merged in merged_by.items():
        x0, y0, x1, y1 = (float(v) for v in merged.bounds)
        unit = names.get(prov)
        name, short = (
            (
                {"zh-Hans": unit.name_zh_hans, "zh-Hant": unit.name_zh_hant, "en": unit.name_en},
                {"zh-Hans": unit.short_zh_hans, "zh-Hant": unit.short_zh_hant, "en": unit.short_en},
            )
            if unit
            else (dict.fromkeys(LANGS, prov), dict.fromkeys(LANGS, prov))
        )
        provinces.append(
            {
                "id": prov,
                "name": name,
                "short": short,
                "b": [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]],
                "lab": _point_latlon(merged),
                "g": encode_geometry(merged),
                "gc": encode_geometry(coarse_by[prov]),
            }
        )
    payload["provinces"] = provinces


def _page_meta(model: LayoutModel, basemap: Basemap, title: Any) -> dict[str, Any]:
    """``model.meta`` with the attribution for the page's datum and the page's title (a
    county view says so)."""
    meta: dict[str, Any] = dict(model.meta)
    meta["attribution"] = {k: attribution_text(model.meta, k, basemap.datum) for k in LANGS}
    if title:
        meta["title"] = lang_texts(title)
    layout = (model.meta.get("levels") or ["prefecture"])[0]
    suffix = {k: view_suffix(model.level, k, layout) for k in LANGS}
    if any(suffix.values()):  # the county view, a national plan's prefecture view
        base = lang_texts(meta.get("title"))
        meta["title"] = {k: v + suffix[k] if v else v for k, v in base.items()}
    return meta


def _bounds(model: LayoutModel) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the plan's ``view.extent``, else of its region
    (else of the units)."""
    extent = model.meta.get("extent")
    if extent:
        x0, y0, x1, y1 = (float(v) for v in extent)
        return [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]]
    region = model.context[model.context["kind"] == "region"] if len(model.context) else None
    frame = region if region is not None and len(region) else model.units
    x0, y0, x1, y1 = (float(v) for v in frame.total_bounds)
    return [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]]


def _label_latlon(row: Mapping[str, Any]) -> list[float]:
    return [round(as_number(row["label_lat"]), 5), round(as_number(row["label_lon"]), 5)]


def _interpretation(row: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``{"interp": {lang: text}}`` when the plan marks an interpretation on the item (the
    model's optional ``interpretation_*`` columns), else ``{}`` (most units have none)."""
    texts = row_texts(row, "interpretation")
    return {"interp": texts} if any(texts.values()) else {}


def _units(model: LayoutModel) -> list[dict[str, Any]]:
    fills = display_fills(model.units, model.groups)  # resolved once, by the join
    return [
        {
            "id": str(r["adcode"]),
            "parent": str(r.get("parent_adcode") or ""),
            "name": row_texts(r, "name"),
            "short": row_texts(r, "short"),
            "role": str(r.get("role") or ""),
            "roleLabel": row_texts(r, "role_label"),
            "desc": row_texts(r, "description"),
            **_interpretation(r),
            "block": str(r.get("block") or ""),
            "altBlocks": as_list(r.get("alt_blocks")),
            "groups": as_list(r.get("group_ids")),
            "refs": as_list(r.get("source_refs")),
            "fill": fill,
            "stroke": str(r.get("stroke") or "#555555"),
            "fo": opacity,
            "w": as_number(r.get("weight"), 1.0),
            "lab": _label_latlon(r),
            "keys": extra_search_keys(row_texts(r, "name"), row_texts(r, "short")),
            "g": encode_geometry(r["geometry"]),
        }
        for r, (fill, opacity) in zip(records(model.units), fills, strict=True)
    ]


def _parents(model: LayoutModel) -> list[dict[str, Any]]:
    """A county view's prefectures (merged outlines and names), for the search; on a map of
    a plan's own zones, the areas its ``parent`` column names."""
    if model.level not in ("county", "zone") or not len(model.units):
        return []
    # grouped by hand (pandas' groupby copies every column of every group): the groups in
    # sorted order, each's rows in frame order, rows without a parent left out, as groupby
    rows = records(model.units)
    groups: dict[Any, list[int]] = {}
    for i, row in enumerate(rows):
        key = row["parent_adcode"]
        if key is not None and not (isinstance(key, float) and np.isnan(key)):
            groups.setdefault(key, []).append(i)
    geoms = model.units.geometry.to_numpy()
    parents = []
    for parent in sorted(groups):
        if model.level == "zone" and not parent:
            continue  # zones without a parent
        members = geoms[groups[parent]]
        if model.level == "zone":  # zones need not form a clean coverage
            merged = shapely.union_all(members)
        else:
            merged = shapely.coverage_union_all(members)
        first = rows[groups[parent][0]]  # parent names (the join's parent_* columns)
        name, short = row_texts(first, "parent_name"), row_texts(first, "parent_short")
        parents.append(
            {
                "id": str(parent),
                "name": name,
                "short": short,
                "keys": extra_search_keys(name, short),
                "g": encode_geometry(merged),
            }
        )
    return parents


def _area_head(r: dict[str, Any]) -> dict[str, Any]:
    """The keys a group and a link share, first in both: id, role and their texts."""
    return {
        "id": str(r["id"]),
        "role": str(r.get("role") or ""),
        "label": row_texts(r, "label"),
        "roleLabel": row_texts(r, "role_label"),
        "desc": row_texts(r, "description"),
    }


def _groups(model: LayoutModel) -> list[dict[str, Any]]:
    return [
        {
            **_area_head(r),
            **_interpretation(r),
            "members": as_list(r.get("members")),
            "refs": as_list(r.get("source_refs")),
            "stroke": str(r.get("stroke") or "#333333"),
            "fill": str(r.get("fill") or "#333333"),
            "fo": as_number(r.get("fill_opacity"), 0.0),
            "w": as_number(r.get("weight"), 2.0),
            "dash": str(r.get("dash") or ""),
            "lab": _label_latlon(r),
            "g": encode_geometry(r["geometry"]),
        }
        for r in records(model.groups)
    ]


def _links(model: LayoutModel) -> list[dict[str, Any]]:
    return [
        {
            **_area_head(r),
            **_interpretation(r),
            "stops": as_list(r.get("stops")),
            "dir": str(r.get("direction") or "forward"),
            "refs": as_list(r.get("source_refs")),
            "stroke": str(r.get("stroke") or "#6a3d9a"),
            "w": as_number(r.get("weight"), 3.0),
            "dash": str(r.get("dash") or ""),
            "closed": bool(r.get("closed", False)),
            "stopNames": _stop_names(r),
            "g": encode_ring(np.asarray(r["geometry"].coords)),
        }
        for r in records(model.links)
    ]


def _stop_names(row: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each stop's name per language (the join's ``stop_names``; the adcode when absent)."""
    stops = as_list(row.get("stops"))
    own = list(row.get("stop_names") or ())
    if len(own) != len(stops):
        return [dict.fromkeys(LANGS, a) for a in stops]
    return [{k: str(names.get(k) or a) for k in LANGS} for a, names in zip(stops, own, strict=True)]


def _location_source(row: Mapping[str, Any]) -> str | dict[str, str]:
    """A site's ``location_source`` per language when the model has it, else the plain text
    (one string when every language reads the same, to keep the payload small)."""
    plain = str(row.get("location_source") or "")
    if f"location_source_{LANG_SUFFIX['en']}" not in row:
        return plain
    texts = row_texts(row, "location_source")
    return plain if len(set(texts.values())) == 1 else texts


def _sites(model: LayoutModel) -> list[dict[str, Any]]:
    return [
        {
            "id": str(r["id"]),
            "kind": str(r.get("kind") or ""),
            "name": row_texts(r, "name"),
            "kindLabel": row_texts(r, "kind_label"),
            "desc": row_texts(r, "description"),
            **_interpretation(r),
            "note": row_texts(r, "precision_note"),
            "host": str(r.get("host_adcode") or ""),
            "precision": str(r.get("precision") or "surveyed"),
            "r": as_number(r.get("radius_m"), 0.0),
            "uncertain": bool(r.get("identity_uncertain")),
            "refs": as_list(r.get("source_refs")),
            "locSrc": _location_source(r),
            "color": str(r.get("color") or "#333333"),
            "ll": [round(r["geometry"].y, 5), round(r["geometry"].x, 5)],
            "keys": extra_search_keys(row_texts(r, "name")),
        }
        for r in records(model.sites)
    ]


def _context(model: LayoutModel) -> list[dict[str, Any]]:
    frame = _bounds(model)
    view = shapely.box(frame[0][1], frame[0][0], frame[1][1], frame[1][0])
    out = []
    for r in records(model.context):
        item: dict[str, Any] = {
            "id": str(r["adcode"]),
            "name": row_texts(r, "name"),
            "kind": str(r.get("kind") or "neighbour"),
            "g": encode_geometry(r["geometry"]),
        }
        lab = _context_label(r["geometry"], view) if item["kind"] == "neighbour" else None
        if lab:
            item["lab"] = lab
        out.append(item)
    return out


def _context_label(geom: Any, view: Any) -> list[float] | None:
    """``[lat, lon]`` for a neighbour's name: inside the part of it the map's frame shows,
    when that part is large enough to hold a name (as the print figure places them)."""
    part = shapely.intersection(geom, view)
    if part.is_empty or part.area < 0.02 * view.area:
        return None
    p = part.representative_point()
    return [round(p.y, 4), round(p.x, 4)]
