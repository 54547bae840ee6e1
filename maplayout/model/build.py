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

from maplayout.geo.userunits import USER_LEVEL
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
from maplayout.model.symbology import legend_entries, with_display_fills
from maplayout.model.types import Fact
from maplayout.plan import GROUPING_STYLE, UNASSIGNED_STYLE, Plan, Text

__all__ = ["LEVELS", "build_model", "join", "model_levels", "unit_frames"]

LEVELS = ("prefecture", "county")
_EXTRA_UNIT = ("function_zh_hans", "function_zh_hant", "function_en", "role_from")
_EXTRA_GROUP = ("block", "county_exceptions", "exception_members")
_EXTRA_SITE = ("confidence", "datum", "given_lon", "given_lat", "host_unit_adcode")


def build_model(
    plan: Plan | str | Path | None = None,
    level: str = "prefecture",
    *,
    boundaries: gpd.GeoDataFrame | None = None,
) -> LayoutModel:
    """Join a plan with the boundaries at ``level`` (``"prefecture"`` or ``"county"``).

    Parameters
    ----------
    plan
        A :class:`~maplayout.plan.Plan`, a plan file path, or ``None`` for the default plan.
    level
        The admin level of ``model.units``: the 14 prefectures or the 122 counties of Hunan.
        A plan with its own boundaries has one level, ``"zone"`` (its zones; the default
        ``"prefecture"`` means it too).
    boundaries
        A GeoDataFrame of the plan's own units (zones, any CRS): the plan is read with them
        (:func:`~maplayout.plan.load_plan`'s ``boundaries``), so its places resolve against
        the zones' ids and names; a :class:`~maplayout.plan.Plan` is re-read from its file.

    Returns
    -------
    LayoutModel
        Every frame in EPSG:4326 with the columns of :mod:`maplayout.model.contract` (plus a
        few extra columns documented in ``docs/plan-format.md``); the units carry their
        resolved display fill (:mod:`maplayout.model.symbology`).
    """
    from maplayout.geo import load_units

    plan = _read_plan(plan, boundaries)
    if plan.boundaries is not None and level == "prefecture":
        level = USER_LEVEL  # the default level of a plan with its own boundaries: its zones
    if level not in model_levels(plan):
        raise ValueError(
            f"unknown level {level!r}; expected one of {', '.join(model_levels(plan))}"
            + (" (a plan with its own boundaries has one level)" if level in LEVELS else "")
        )
    frames = unit_frames(plan)
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
        links=link_frame(plan, frames),
        sites=site_frame(plan, frames),
        context=context_frame(plan, load_units) if plan.boundaries is None else _own_context(units),
        facts=[cast(Fact, f.as_dict()) for f in plan.facts],
        layer_points=points,
        layer_counts=layer_counts(points),
        plan=plan,
    )
    model.check()
    return model


def _read_plan(plan: Plan | str | Path | None, boundaries: gpd.GeoDataFrame | None) -> Plan:
    """The plan to join, read with the own ``boundaries`` when they are given."""
    from maplayout.plan import load_plan

    if boundaries is None:
        return plan if isinstance(plan, Plan) else load_plan(plan)
    if isinstance(plan, Plan):
        if not Path(plan.path).is_file():
            raise ValueError(
                f"build_model(plan, boundaries=…): plan {plan.id!r} was not read from a file; "
                "pass load_plan_text(text, boundaries=gdf) instead"
            )
        plan = plan.path
    return load_plan(plan, boundaries=boundaries)


def model_levels(plan: Plan) -> tuple[str, ...]:
    """The levels a model of ``plan`` can be built at: :data:`LEVELS`, or only ``"zone"``
    for a plan with its own boundaries (a build draws it as its one map)."""
    return (USER_LEVEL,) if plan.boundaries is not None else LEVELS


def unit_frames(plan: Plan) -> dict[str, gpd.GeoDataFrame]:
    """The unit source of a model: a frame per level (``"prefecture"``, ``"county"``, and
    ``"zone"`` for own boundaries) with :data:`maplayout.geo.UNIT_FILE_COLUMNS`.

    The plan's own boundaries (``plan.boundaries``) are the ``zone`` frame and the shipped
    levels are empty; otherwise the shipped Hunan files.
    """
    if plan.boundaries is not None:
        zones = plan.boundaries.frame.copy()
        empty = zones.iloc[0:0]
        return {USER_LEVEL: zones, "prefecture": empty.copy(), "county": empty.copy()}
    from maplayout.geo import load_units

    return {lv: load_units(lv) for lv in ("prefecture", "county")}


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value if v)
    if not isinstance(value, str) or not value:
        return ()
    return tuple(v for v in value.split(";") if v)


def _expand(adcodes: tuple[str, ...], level: str, frames: dict[str, gpd.GeoDataFrame]) -> list:
    """Adcodes at ``level`` covered by ``adcodes`` (a prefecture → its counties)."""
    if level != "county":  # prefectures, or a plan's own zones
        known = set(frames[level]["adcode"])
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
    parents = _parent_names(level, frames) if plan.boundaries is None else _zone_parents(base)
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


def _own_context(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The context of a plan with its own boundaries: the zones' dissolved outline as the
    ``region`` (maps frame on it and draw it as the plan area's edge), no neighbours."""
    row: dict[str, Any] = {
        "adcode": "",
        "kind": "region",
        "geometry": shapely.union_all(units.geometry),
    }
    row.update(lang_texts("name", Text()))
    return model_frame([row], CONTEXT_COLUMNS)


def _zone_parents(zones: gpd.GeoDataFrame) -> dict[str, dict[str, str]]:
    """``{parent: {parent_name_zh_hans: parent, …}}`` of own zones whose ``parent`` column
    names the area they lie in (a text: zh-Hant by OpenCC, English as written)."""
    from maplayout.geo import to_hant

    out: dict[str, dict[str, str]] = {}
    for parent in zones["parent_adcode"]:
        if parent and parent not in out:
            names = {"zh_hans": parent, "zh_hant": to_hant(parent), "en": parent}
            out[parent] = {
                f"parent_{col}_{suffix}": name
                for col in ("name", "short")
                for suffix, name in names.items()
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
