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

import warnings
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import shapely

from maplayout.errors import LevelError
from maplayout.model.contract import (
    CONTEXT_COLUMNS,
    GROUP_COLUMNS,
    LANG_SUFFIX,
    LANGS,
    UNIT_COLUMNS,
    UNIT_PARENT_COLUMNS,
    LayoutModel,
)
from maplayout.model.layers import layer_counts, layer_points
from maplayout.model.meta import model_meta
from maplayout.model.rows import (
    UNIT_STYLE,
    context_frame,
    lang_texts,
    link_frame,
    model_frame,
    site_frame,
    style_columns,
    texts_row,
)
from maplayout.model.sources import (
    UNIT_LEVELS,
    frame_bounds,
    is_hunan_default,
    level_frame,
    parent_level,
    region_context_rows,
)
from maplayout.model.symbology import legend_entries, with_display_fills
from maplayout.model.types import Fact, Meta
from maplayout.plan import GROUPING_STYLE, UNASSIGNED_STYLE, Plan, Text

__all__ = ["LEVELS", "build_model", "join", "model_levels", "unit_frames"]

#: The levels of a Hunan plan's two maps (a plan's own are :func:`model_levels`).
LEVELS = ("prefecture", "county")
_EXTRA_UNIT = ("function_zh_hans", "function_zh_hant", "function_en", "role_from")
_EXTRA_GROUP = ("block", "county_exceptions", "exception_members")
_EXTRA_SITE = ("confidence", "datum", "given_lon", "given_lat", "host_unit_adcode")


def build_model(plan: Plan | str | Path | None = None, level: str | None = None) -> LayoutModel:
    """Join a plan with the boundaries at ``level``.

    Parameters
    ----------
    plan
        A :class:`~maplayout.plan.Plan`, a plan file path, or ``None`` for the default plan.
    level
        The admin level of ``model.units``, one of :func:`model_levels` (default: the first,
        the layout map's): for a province the prefectures or the counties (Hunan: 14 or
        122), for a city its districts and counties, for the country the provinces or the
        prefectures.

    Returns
    -------
    LayoutModel
        Every frame in EPSG:4326 with the columns of :mod:`maplayout.model.contract` (plus a
        few extra columns documented in ``docs/plan-format.md``); the units carry their
        resolved display fill (:mod:`maplayout.model.symbology`). A role the plan gives a
        unit below ``level`` is reported in one warning line (and in ``meta["notes"]``).
    """
    from maplayout.geo import load_units

    if not isinstance(plan, Plan):
        from maplayout.plan import load_plan

        plan = load_plan(plan)
    levels = model_levels(plan)
    level = level or levels[0]
    if level not in levels:
        raise LevelError(
            f"unknown level {level!r}; expected one of {', '.join(levels)} "
            f"(the maps of plan {plan.id})"
        )
    frames = unit_frames(plan, level)
    members = _group_members(plan, level, frames)  # once: units and outlines both use it
    units = _units(plan, level, frames, members)
    groups = _groups(plan, members, units)
    points = layer_points(plan, units)
    notes = _notes(plan, level)
    if notes:
        warnings.warn(_notes_line(plan, level), stacklevel=2)
    meta: Meta = {**model_meta(plan, level), "notes": notes}
    if tuple(levels) != LEVELS:
        meta["levels"] = list(levels)
    if plan.region_level == "prefecture":  # a city's neighbours are prefectures
        meta["neighbours"] = "prefecture"
    extent = _extent(plan, frames)
    if extent is not None:
        meta["extent"] = extent
    model = LayoutModel(
        level=level,  # type: ignore[arg-type]
        meta=meta,
        legend=cast(list[dict[str, Any]], legend_entries(plan)),
        units=with_display_fills(units, groups),
        groups=groups,
        links=link_frame(plan, frames),
        sites=site_frame(plan, frames),
        context=_context(plan, load_units),
        facts=[cast(Fact, f.as_dict()) for f in plan.facts],
        layer_points=points,
        layer_counts=layer_counts(points),
        plan=plan,
    )
    model.check()
    return model


def model_levels(plan: Plan) -> tuple[str, ...]:
    """The levels ``plan``'s maps are built at, the layout map's first: ``view.levels``, else
    the region's (a province: prefecture, county; a city: county; the country: province,
    prefecture)."""
    return tuple(plan.levels)


def unit_frames(plan: Plan, level: str | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The unit source of a model: a frame per level with
    :data:`maplayout.geo.UNIT_FILE_COLUMNS`, cut to the plan's region.

    A Hunan plan gets the shipped prefecture and county files as they are; another region
    gets ``level`` (default: each of :func:`model_levels`), the levels below it that the
    plan names places at, and the level above it (for the units' parent names).
    """
    from maplayout.geo import load_units

    if is_hunan_default(plan):
        return {lv: load_units(lv) for lv in ("prefecture", "county")}
    wanted = {level} if level else set(model_levels(plan))
    named = {_level_of(a) for a in _place_adcodes(plan)} | wanted
    need = {lv for lv in UNIT_LEVELS if lv in named} | {
        parent_level(lv) for lv in wanted if parent_level(lv) != "country"
    }
    return {lv: level_frame(plan, lv) for lv in UNIT_LEVELS if lv in need}


def _place_adcodes(plan: Plan) -> set[str]:
    """Every unit the plan names (roles, group members, link stops, site hosts)."""
    found = {u.adcode for u in plan.units} | {s.host_adcode for s in plan.sites}
    for g in plan.groups:
        found |= set(g.member_adcodes)
    for link in plan.links:
        found |= set(link.stop_adcodes)
    return found


def _context(plan: Plan, load_units: Any) -> gpd.GeoDataFrame:
    """The region's outline and its neighbours (Hunan: the shipped neighbours file)."""
    if is_hunan_default(plan):
        return context_frame(plan, load_units)
    rows = []
    for kind, r in region_context_rows(plan):
        row: dict[str, Any] = {"adcode": str(r.adcode), "kind": kind, "geometry": r.geometry}
        for lang in LANGS:
            key = f"name_{LANG_SUFFIX[lang]}"
            row[key] = getattr(r, key) or ""
        rows.append(row)
    return model_frame(rows, CONTEXT_COLUMNS)


def _extent(plan: Plan, frames: dict[str, gpd.GeoDataFrame]) -> list[float] | None:
    """``view.extent`` as ``[west, south, east, north]`` (``None``: the maps frame the region)."""
    if plan.extent is not None:
        return [float(v) for v in plan.extent]
    if plan.extent_adcodes:
        found = frame_bounds(list(frames.values()), plan.extent_adcodes)
        if found is None:  # places at a level the model does not load
            extra = [level_frame(plan, lv) for lv in UNIT_LEVELS if lv not in frames]
            found = frame_bounds(extra, plan.extent_adcodes)
        return found
    return None


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value if v)
    if not isinstance(value, str) or not value:
        return ()
    return tuple(v for v in value.split(";") if v)


def _expand(adcodes: tuple[str, ...], level: str, frames: dict[str, gpd.GeoDataFrame]) -> list:
    """Adcodes at ``level`` covered by ``adcodes`` (a prefecture → its counties, a province →
    its prefectures or counties); a unit below ``level`` covers none."""
    from maplayout.plan.region import region_prefix

    codes = [str(a) for a in frames[level]["adcode"]]
    known = set(codes)
    out: list[str] = []
    for a in adcodes:
        if a in known:
            out.append(a)
        elif not a.endswith("00") or level == "province":
            continue  # a county (or a prefecture on a province map): below the level
        else:
            prefix = region_prefix(a)
            out.extend(c for c in codes if c.startswith(prefix))
    return out


def _units(
    plan: Plan,
    level: str,
    frames: dict[str, gpd.GeoDataFrame],
    members: dict[str, tuple[list[str], list[str]]],
) -> gpd.GeoDataFrame:
    base = frames[level].sort_values("adcode", kind="stable")
    assigned: dict[str, tuple[Any, str]] = {}
    # higher levels first, so that a role given to a county overrides its prefecture's
    for u in sorted(plan.units, key=lambda u: UNIT_LEVELS.index(u.level)):
        for a in _expand((u.adcode,), level, frames):
            assigned[a] = (u, u.adcode)
    parents = _parent_names(level, frames)
    used = _exception_blocks(plan)
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
        row["alt_blocks"] = tuple(b for b in _split(r.alt_blocks) if b in used)
        hit = assigned.get(r.adcode)
        if hit:
            u, src = hit
            role = plan.role(u.role)
            row.update(role=u.role, **lang_texts("role_label", role.label))
            row.update(lang_texts("description", u.description))
            row.update(lang_texts("interpretation", u.interpretation))
            row["source_refs"] = u.source_refs
            row.update(style_columns(plan.style_of(u.role, u.style)))
            fn, from_ = u.label, src
        else:
            row.update(role="", **lang_texts("role_label", Text()))
            row.update(lang_texts("description", Text()))
            row.update(lang_texts("interpretation", Text()))
            row["source_refs"] = ()
            row.update(style_columns(UNASSIGNED_STYLE))
            fn, from_ = Text(), ""
        row["group_ids"] = tuple(g.id for g in plan.groups if r.adcode in members[g.id][0])
        row["label_lon"] = float(r.label_lon)
        row["label_lat"] = float(r.label_lat)
        row["geometry"] = r.geometry
        row.update(lang_texts("function", fn))
        row["role_from"] = from_
        rows.append(row)
    return model_frame(rows, (*UNIT_COLUMNS, *UNIT_PARENT_COLUMNS))


def _exception_blocks(plan: Plan) -> set[str]:
    """Blocks whose county exceptions are drawn: those of the plan's block groups that keep
    them (a block the plan does not use gets no exception outline nor legend entry)."""
    return {g.block for g in plan.groups if g.block and g.county_exceptions}


def _parent_names(level: str, frames: dict[str, gpd.GeoDataFrame]) -> dict[str, dict[str, str]]:
    """``{parent adcode: {parent_name_zh_hans: …, parent_short_en: …}}`` for units at ``level``.

    The parents of counties are the prefectures; those of prefectures the province; the
    provinces' parent (the country) is not named.
    """
    from maplayout.geo import load_units

    up = parent_level(level)
    if up == "country":
        return {}
    parent = frames[up] if up in frames else load_units(up)
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
        row = texts_row(
            {"id": g.id, "role": g.role},
            g,
            label=g.label,
            role_label=role.label if role else Text(),
        )
        row.update(style_columns(style, (*UNIT_STYLE, "dash")))
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
    return model_frame(rows, GROUP_COLUMNS)


def _notes(plan: Plan, level: str) -> list[str]:
    """What the model leaves out at ``level``: roles and group members below it (county
    places in a prefecture-level model)."""
    rank = UNIT_LEVELS.index(level)
    below = {lv for lv in UNIT_LEVELS if UNIT_LEVELS.index(lv) > rank}
    out = [
        f"units: role {u.role!r} of {u.level} {u.place} ({u.adcode}) is not drawn at {level} level"
        for u in plan.units
        if u.level in below
    ]
    for g in plan.groups:
        lows = [_level_of(a) in below for a in g.member_adcodes]
        for q, a, low in zip(g.members, g.member_adcodes, lows, strict=True):
            if low:
                out.append(
                    f"groups: {_level_of(a)} {q} ({a}) of group {g.id!r} is not drawn at "
                    f"{level} level"
                )
        if not g.block and all(lows):
            out.append(f"groups: group {g.id!r} has no {level} member and is not drawn")
    return out


def _level_of(adcode: str) -> str:
    """The level an adcode's form implies (440000 a province, 440100 a prefecture)."""
    if adcode.endswith("0000"):
        return "province"
    return "prefecture" if adcode.endswith("00") else "county"


def _notes_line(plan: Plan, level: str) -> str:
    """The one warning line of a model that leaves places out, naming the map that draws
    them: ``… the prefecture map leaves out 2 places below its level: 望城区 (430112, role
    eco-barrier), 汨罗市 (430681, group zone-lake); the county map draws them``."""
    rank = UNIT_LEVELS.index(level)
    items = [
        f"{u.place} ({u.adcode}, role {u.role})"
        for u in plan.units
        if UNIT_LEVELS.index(u.level) > rank
    ]
    for g in plan.groups:
        items += [
            f"{q} ({a}, group {g.id})"
            for q, a in zip(g.members, g.member_adcodes, strict=True)
            if UNIT_LEVELS.index(_level_of(a)) > rank
        ]
    deeper = [lv for lv in model_levels(plan) if UNIT_LEVELS.index(lv) > rank]
    where = f"the {deeper[-1]} map draws them" if deeper else "add their level to view.levels"
    shown = ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
    return (
        f"plan {plan.id}: the {level} map leaves out {len(items)} place(s) below its level: "
        f"{shown}; {where}"
    )


#: The former name of :func:`build_model` (deprecated: the stage is the join, the function
#: builds the model); kept so ``from maplayout.model import join`` keeps working.
join = build_model
