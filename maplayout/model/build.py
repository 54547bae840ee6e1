"""The join stage: a validated plan × the boundaries → a :class:`~maplayout.model.LayoutModel`.

Pure functions: no renderer import, no file writes. The only reads are the boundaries through
:func:`maplayout.geo.load_units` and the manifest (for the attribution line).

At ``level="county"`` the units are the counties; a role the plan gives a prefecture applies
to each of its counties (a role given to a county itself wins), and a group defined by a
regional ``block`` also takes in the counties whose ``alt_blocks`` name that block (the
county-level exceptions such as 望城 in 洞庭湖) unless the group sets
``county_exceptions: false``. Such counties are listed in the group's ``exception_members``.

Examples
--------
>>> from maplayout.model import build_model
>>> model = build_model(load_plan(), level="county")  # doctest: +SKIP
>>> model.units.loc[model.units.short_zh_hans == "望城", "group_ids"].iloc[0]  # doctest: +SKIP
('czt', 'dongting')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point

from maplayout.model.contract import (
    CONTEXT_COLUMNS,
    GROUP_COLUMNS,
    LANG_SUFFIX,
    LANGS,
    LINK_COLUMNS,
    SITE_COLUMNS,
    UNIT_COLUMNS,
    UNIT_PARENT_COLUMNS,
    LayoutModel,
)
from maplayout.model.layers import layer_counts, layer_points
from maplayout.model.meta import model_meta
from maplayout.model.symbology import legend_entries, with_display_fills
from maplayout.model.types import Fact
from maplayout.plan import GROUPING_STYLE, UNASSIGNED_STYLE, Plan, Style, Text

__all__ = ["LEVELS", "build_model", "join"]

LEVELS = ("prefecture", "county")
_CRS = "EPSG:4326"
_EXTRA_UNIT = ("function_zh_hans", "function_zh_hant", "function_en", "role_from")
_EXTRA_GROUP = ("block", "county_exceptions", "exception_members")
_EXTRA_SITE = ("confidence", "datum", "given_lon", "given_lat", "host_unit_adcode")


def build_model(plan: Plan | str | Path | None = None, level: str = "prefecture") -> LayoutModel:
    """Join a plan with the boundaries at ``level`` (``"prefecture"`` or ``"county"``).

    Parameters
    ----------
    plan
        A :class:`~maplayout.plan.Plan`, a plan file path, or ``None`` for the default plan.
    level
        The admin level of ``model.units``: the 14 prefectures or the 122 counties of Hunan.

    Returns
    -------
    LayoutModel
        Every frame in EPSG:4326 with the columns of :mod:`maplayout.model.contract` (plus a
        few extra columns documented in ``docs/plan-format.md``); the units carry their
        resolved display fill (:mod:`maplayout.model.symbology`).
    """
    from maplayout.geo import load_units

    if not isinstance(plan, Plan):
        from maplayout.plan import load_plan

        plan = load_plan(plan)
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    frames = {lv: load_units(lv) for lv in ("prefecture", "county")}
    members = _group_members(plan, level, frames)  # once: units and outlines both use it
    units = _units(plan, level, frames, members)
    groups = _groups(plan, members, units)
    points = layer_points(plan, units)
    model = LayoutModel(
        level=level,  # type: ignore[arg-type]
        meta={**model_meta(plan, level), "notes": _notes(plan, level)},
        legend=cast(list[dict[str, Any]], legend_entries(plan)),
        units=with_display_fills(units, groups),
        groups=groups,
        links=_links(plan, frames),
        sites=_sites(plan, frames),
        context=_context(plan, load_units),
        facts=[cast(Fact, f.as_dict()) for f in plan.facts],
        layer_points=points,
        layer_counts=layer_counts(points),
        plan=plan,
    )
    model.check()
    return model


#: The style columns of a unit row (a group's add ``dash``).
_UNIT_STYLE = ("fill", "stroke", "fill_opacity", "weight")


# --------------------------------------------------------------------------------------------
def _text(prefix: str, t: Text) -> dict[str, str]:
    return {f"{prefix}_{LANG_SUFFIX[lang]}": t.get(lang) for lang in LANGS}


def _texts_row(first: dict[str, Any], item: Any, **texts: Text) -> dict[str, Any]:
    """A frame row: ``first``, then each text's three language columns, in order, then the
    plan item's ``description`` and ``interpretation``."""
    row = dict(first)
    texts.update(description=item.description, interpretation=item.interpretation)
    for prefix, text in texts.items():
        row.update(_text(prefix, text))
    return row


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value if v)
    if not isinstance(value, str) or not value:
        return ()
    return tuple(v for v in value.split(";") if v)


def _style_cols(s: Style, keys: tuple[str, ...] = _UNIT_STYLE) -> dict[str, Any]:
    """The frame columns ``keys`` of a resolved style."""
    return {key: getattr(s, key) for key in keys}


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry="geometry", crs=_CRS)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=_CRS)
    extra = [c for c in gdf.columns if c not in columns]
    return gdf[[*columns, *extra]]


def _expand(adcodes: tuple[str, ...], level: str, frames: dict[str, gpd.GeoDataFrame]) -> list:
    """Adcodes at ``level`` covered by ``adcodes`` (a prefecture → its counties)."""
    if level == "prefecture":
        known = set(frames["prefecture"]["adcode"])
        return [a for a in adcodes if a in known]
    county = frames["county"]
    counties = set(county["adcode"])
    out: list[str] = []
    for a in adcodes:
        if a in counties:
            out.append(a)
        else:
            out.extend(county.loc[county["parent_adcode"] == a, "adcode"].tolist())
    return out


def _units(
    plan: Plan,
    level: str,
    frames: dict[str, gpd.GeoDataFrame],
    members: dict[str, tuple[list[str], list[str]]],
) -> gpd.GeoDataFrame:
    base = frames[level].sort_values("adcode", kind="stable")
    assigned: dict[str, tuple[Any, str]] = {}
    # prefecture-level roles first, so that a role given to a county overrides its prefecture's
    for u in sorted(plan.units, key=lambda u: 0 if u.level == "prefecture" else 1):
        for a in _expand((u.adcode,), level, frames):
            assigned[a] = (u, u.adcode)
    parents = _parent_names(level, frames)
    rows = []
    for r in base.itertuples(index=False):
        row: dict[str, Any] = {
            "adcode": r.adcode,
            "parent_adcode": r.parent_adcode,
            "level": level,
        }
        for col in ("name", "short"):
            for lang in LANGS:
                key = f"{col}_{LANG_SUFFIX[lang]}"
                row[key] = getattr(r, key) or ""
        row.update(parents.get(r.parent_adcode) or dict.fromkeys(UNIT_PARENT_COLUMNS, ""))
        row["block"] = r.block or ""
        row["alt_blocks"] = _split(r.alt_blocks)
        hit = assigned.get(r.adcode)
        if hit:
            u, src = hit
            role = plan.role(u.role)
            row.update(role=u.role, **_text("role_label", role.label))
            row.update(_text("description", u.description))
            row.update(_text("interpretation", u.interpretation))
            row["source_refs"] = u.source_refs
            row.update(_style_cols(plan.style_of(u.role, u.style)))
            fn, from_ = u.label, src
        else:
            row.update(role="", **_text("role_label", Text()))
            row.update(_text("description", Text()))
            row.update(_text("interpretation", Text()))
            row["source_refs"] = ()
            row.update(_style_cols(UNASSIGNED_STYLE))
            fn, from_ = Text(), ""
        row["group_ids"] = tuple(g.id for g in plan.groups if r.adcode in members[g.id][0])
        row["label_lon"] = float(r.label_lon)
        row["label_lat"] = float(r.label_lat)
        row["geometry"] = r.geometry
        row.update(_text("function", fn))
        row["role_from"] = from_
        rows.append(row)
    return _frame(rows, (*UNIT_COLUMNS, *UNIT_PARENT_COLUMNS))


def _parent_names(level: str, frames: dict[str, gpd.GeoDataFrame]) -> dict[str, dict[str, str]]:
    """``{parent adcode: {parent_name_zh_hans: …, parent_short_en: …}}`` for units at ``level``.

    The parents of counties are the prefectures; those of prefectures the province.
    """
    from maplayout.geo import load_units

    parent = frames["prefecture"] if level == "county" else load_units("province")
    out: dict[str, dict[str, str]] = {}
    for r in parent.itertuples(index=False):
        out[str(r.adcode)] = {
            f"parent_{col}_{LANG_SUFFIX[lang]}": getattr(r, f"{col}_{LANG_SUFFIX[lang]}") or ""
            for col in ("name", "short")
            for lang in LANGS
        }
    return out


def _group_members(
    plan: Plan, level: str, frames: dict[str, gpd.GeoDataFrame]
) -> dict[str, tuple[list[str], list[str]]]:
    """``{group id: (member adcodes at level, those added only by a county exception)}``."""
    base = frames[level].sort_values("adcode", kind="stable")
    out = {}
    for g in plan.groups:
        chosen = set(_expand(g.member_adcodes, level, frames))
        extra: set[str] = set()
        if g.block:
            chosen |= set(base.loc[base["block"] == g.block, "adcode"])
            if level == "county" and g.county_exceptions:
                alt = base[[g.block in _split(v) for v in base["alt_blocks"]]]
                extra = set(alt["adcode"]) - chosen
                chosen |= extra
        ordered = [a for a in base["adcode"] if a in chosen]
        out[g.id] = (ordered, sorted(extra))
    return out


def _label_point(geom: Any) -> tuple[float, float]:
    """A point well inside the largest part of ``geom`` (pole of inaccessibility)."""
    from shapely.ops import polylabel

    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.area)
    try:
        pt = polylabel(big, tolerance=0.005)
    except Exception:  # pragma: no cover - degenerate polygons
        pt = big.representative_point()
    return round(pt.x, 6), round(pt.y, 6)


def _groups(
    plan: Plan, members: dict[str, tuple[list[str], list[str]]], units: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    geoms = dict(zip(units["adcode"], units.geometry, strict=True))
    rows = []
    for g in plan.groups:
        adcodes, extra = members[g.id]
        parts = [geoms[a] for a in adcodes if a in geoms]
        if not parts:  # only county members in a prefecture-level model: see meta notes
            continue
        geom = shapely.union_all(parts)
        role = plan.role(g.role) if g.role else None
        style = plan.style_of(g.role, g.style, GROUPING_STYLE)
        lon, lat = _label_point(geom)
        row = _texts_row(
            {"id": g.id, "role": g.role},
            g,
            label=g.label,
            role_label=role.label if role else Text(),
        )
        row.update(_style_cols(style, (*_UNIT_STYLE, "dash")))
        row.update(
            members=tuple(adcodes),
            source_refs=g.source_refs,
            label_lon=lon,
            label_lat=lat,
            geometry=geom,
            block=g.block,
            county_exceptions=g.county_exceptions,
            exception_members=tuple(extra),
        )
        rows.append(row)
    return _frame(rows, GROUP_COLUMNS)


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


def _links(plan: Plan, frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    pts = _label_points(frames)
    names = _place_names(frames)
    rows = []
    for link in plan.links:
        role = plan.role(link.role)
        style = plan.style_of(link.role, link.style)
        row = _texts_row(
            {"id": link.id, "role": link.role},
            link,
            label=link.label,
            role_label=role.label,
        )
        row.update(
            stops=link.stop_adcodes,
            direction=link.direction,
            source_refs=link.source_refs,
            **_style_cols(style, ("stroke", "weight", "dash")),
            geometry=LineString([pts[a] for a in link.stop_adcodes]),
            closed=link.closed,
            own_style=bool(link.style),
        )
        row["stop_names"] = tuple(
            {lang: names.get(a, {}).get(lang) or a for lang in LANGS} for a in link.stop_adcodes
        )
        rows.append(row)
    return _frame(rows, LINK_COLUMNS)


def _sites(plan: Plan, frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    county = frames["county"]
    parent = dict(zip(county["adcode"], county["parent_adcode"], strict=True))
    rows = []
    for s in plan.sites:
        kind = plan.site_kind(s.kind)
        row = _texts_row(
            {"id": s.id, "kind": s.kind},
            s,
            name=s.name,
            kind_label=kind.label,
        )
        row.update(_text("precision_note", s.precision_note))
        row.update(_text("location_source", s.location_source))
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
    return _frame(rows, SITE_COLUMNS)


def _context(plan: Plan, load_units: Any) -> gpd.GeoDataFrame:
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
    return _frame(rows, CONTEXT_COLUMNS)


def _notes(plan: Plan, level: str) -> list[str]:
    """What the model leaves out at ``level`` (county places in a prefecture-level model)."""
    if level != "prefecture":
        return []
    out = [
        f"units: role {u.role!r} of county {u.place} ({u.adcode}) is not drawn at prefecture level"
        for u in plan.units
        if u.level == "county"
    ]
    for g in plan.groups:
        for q, a in zip(g.members, g.member_adcodes, strict=True):
            if not a.endswith("00"):
                out.append(
                    f"groups: county {q} ({a}) of group {g.id!r} is not drawn at prefecture level"
                )
        if not g.block and all(not a.endswith("00") for a in g.member_adcodes):
            out.append(f"groups: group {g.id!r} has no prefecture member and is not drawn")
    return out


#: The former name of :func:`build_model` (deprecated: the stage is the join, the function
#: builds the model); kept so ``from maplayout.model import join`` keeps working.
join = build_model
