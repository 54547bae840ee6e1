"""Plan sections that reference places: units, groups, links, sites and facts.

Private helper of :mod:`maplayout.plan`: each ``_section(value, …)`` checks one list of the
plan with a :class:`~maplayout.plan.fields.Checker`, resolves its places with a
:class:`~maplayout.plan.places.PlaceResolver` and returns the typed items that passed.
"""

from __future__ import annotations

from typing import Any

from maplayout.errors import closest
from maplayout.names import to_hant
from maplayout.plan.fields import Checker, Text, short_repr
from maplayout.plan.places import PlaceResolver, check_site
from maplayout.plan.types import (
    CONFIDENCES,
    DIRECTIONS,
    PRECISIONS,
    Fact,
    Group,
    Link,
    Site,
    UnitRole,
)

_UNIT_KEYS = ("place", "role", "label", "description", "source")
_GROUP_KEYS = (
    "id",
    "label",
    "role",
    "members",
    "block",
    "county_exceptions",
    "description",
    "source",
)
_LINK_KEYS = ("id", "role", "label", "from", "to", "through", "direction", "description", "source")
_SITE_KEYS = (
    "id",
    "name",
    "kind",
    "host",
    "lon",
    "lat",
    "datum",
    "precision",
    "radius_m",
    "confidence",
    "identity_uncertain",
    "precision_note",
    "location_source",
    "description",
    "source",
)
_FACT_KEYS = (
    "id",
    "label",
    "description",
    "value",
    "unit",
    "display",
    "year",
    "tier",
    "hosts",
    "source",
)
_DATUMS = ("WGS-84", "GCJ-02", "BD-09")
_MAX_RADIUS_M = 100_000.0
_MAX_FACT = 1e15  # a fact's number: beyond this, doubles stop holding every integer

#: Paragraph ids of the plan's source (``None`` when the source itself failed to validate).
Paras = tuple[str, ...] | None
#: Place names as written in the plan, and the adcodes they resolved to (same order).
PlaceList = tuple[tuple[str, ...], tuple[str, ...]]


def _refs(d: dict[str, Any], path: str, chk: Checker, paras: Paras) -> tuple[str, ...] | None:
    if "source" not in d:
        chk.error(path, "missing source reference", expected="source: a paragraph id such as P17")
        return None
    return chk.source_refs(d["source"], f"{path}.source", paras)


def _items(value: Any, section: str, chk: Checker) -> list[tuple[str, Any]]:
    if value is None:
        return []
    items = chk.sequence(value, section)
    return [(f"{section}[{i}]", item) for i, item in enumerate(items or [])]


def _role_ref(d: dict[str, Any], path: str, chk: Checker, role_ids: tuple[str, ...]) -> str | None:
    rid = d.get("role")
    if not isinstance(rid, str) or rid not in role_ids:
        if isinstance(rid, str):
            chk.error(
                f"{path}.role",
                f"unknown role {rid!r}",
                value=rid,
                expected="one of the roles " + ", ".join(role_ids),
                suggestions=closest(rid, role_ids),
            )
        else:
            chk.wrong_type(f"{path}.role", rid, "a role id: one of " + ", ".join(role_ids))
        return None
    return rid


def _claim(ids: dict[str, str], value: str | None, path: str, chk: Checker) -> None:
    if value is None:
        return
    if value in ids:
        chk.error(
            f"{path}.id",
            f"duplicate id {value!r} (already used by {ids[value]})",
            value=value,
            expected="ids unique across groups, links, sites and facts",
        )
    else:
        ids[value] = path


def _units(
    value: Any,
    chk: Checker,
    paras: Paras,
    role_ids: tuple[str, ...],
    resolver: PlaceResolver,
    region: Any,
) -> list[UnitRole]:
    out: list[UnitRole] = []
    seen: dict[str, str] = {}
    for path, item in _items(value, "units", chk):
        d = chk.mapping(item, path, _UNIT_KEYS, required=("place", "role"))
        if d is None:
            continue
        unit = (
            resolver.resolve(d["place"], f"{path}.place", region=region) if "place" in d else None
        )
        role = _role_ref(d, path, chk, role_ids) if "role" in d else None
        label = chk.text(d.get("label"), f"{path}.label", required=False)
        desc = chk.text(d.get("description"), f"{path}.description", required=False)
        refs = _refs(d, path, chk, paras)
        if unit is not None and unit.adcode in seen:
            chk.error(
                f"{path}.place",
                f"duplicate unit {d['place']!r} ({unit.adcode}, already given a role in "
                f"{seen[unit.adcode]})",
                value=d["place"],
                expected="each unit once in units",
            )
            continue
        if unit is not None:
            seen[unit.adcode] = path
        if (
            unit is not None
            and role is not None
            and label is not None
            and desc is not None
            and refs is not None
        ):
            out.append(UnitRole(str(d["place"]), unit.adcode, unit.level, role, label, desc, refs))
    return out


def _place_list(
    value: Any,
    path: str,
    chk: Checker,
    resolver: PlaceResolver,
    region: Any,
    *,
    min_len: int,
) -> PlaceList | None:
    items = chk.sequence(value, path, allow_empty=min_len == 0)
    if items is None:
        return None
    if len(items) < min_len:
        chk.error(path, f"{len(items)} place(s) given", expected=f"at least {min_len} places")
        return None
    units = [resolver.resolve(q, f"{path}[{i}]", region=region) for i, q in enumerate(items)]
    if any(u is None for u in units):
        return None
    return tuple(str(q) for q in items), tuple(u.adcode for u in units)


def _groups(
    value: Any,
    chk: Checker,
    paras: Paras,
    role_ids: tuple[str, ...],
    resolver: PlaceResolver,
    region: Any,
    ids: dict[str, str],
) -> list[Group]:
    out: list[Group] = []
    for path, item in _items(value, "groups", chk):
        d = chk.mapping(item, path, _GROUP_KEYS, required=("id", "label"))
        if d is None:
            continue
        gid = chk.ident(d["id"], f"{path}.id") if "id" in d else None
        _claim(ids, gid, path, chk)
        label = chk.text(d["label"], f"{path}.label") if "label" in d else None
        role = _role_ref(d, path, chk, role_ids) if d.get("role") not in (None, "") else ""
        members: PlaceList | None = ((), ())
        if "members" in d:
            members = _place_list(d["members"], f"{path}.members", chk, resolver, region, min_len=1)
        block: str | None = ""
        if "block" in d:
            block = resolver.block(d["block"], f"{path}.block")
        if "members" not in d and "block" not in d:
            chk.error(
                path,
                "group has neither members nor block",
                expected="members: [places] and/or block: id",
            )
        exc = chk.boolean(d.get("county_exceptions", True), f"{path}.county_exceptions")
        desc = chk.text(d.get("description"), f"{path}.description", required=False)
        refs = _refs(d, path, chk, paras)
        if (
            gid is not None
            and label is not None
            and role is not None
            and members is not None
            and block is not None
            and exc is not None
            and desc is not None
            and refs is not None
        ):
            out.append(Group(gid, label, role, members[0], members[1], block, exc, desc, refs))
    return out


def _links(
    value: Any,
    chk: Checker,
    paras: Paras,
    role_ids: tuple[str, ...],
    resolver: PlaceResolver,
    region: Any,
    ids: dict[str, str],
) -> list[Link]:
    out: list[Link] = []
    for path, item in _items(value, "links", chk):
        d = chk.mapping(item, path, _LINK_KEYS, required=("id", "role", "label"))
        if d is None:
            continue
        lid = chk.ident(d["id"], f"{path}.id") if "id" in d else None
        _claim(ids, lid, path, chk)
        role = _role_ref(d, path, chk, role_ids) if "role" in d else None
        label = chk.text(d["label"], f"{path}.label") if "label" in d else None
        stops: PlaceList | None = None
        if "through" in d and ("from" in d or "to" in d):
            chk.error(
                path,
                "link has both through and from/to",
                expected="either through: [places] or from: and to:",
            )
        elif "through" in d:
            stops = _place_list(d["through"], f"{path}.through", chk, resolver, region, min_len=2)
            key = "through"
        elif "from" in d and "to" in d:
            a = resolver.resolve(d["from"], f"{path}.from", region=region)
            b = resolver.resolve(d["to"], f"{path}.to", region=region)
            if a is not None and b is not None:
                stops = ((str(d["from"]), str(d["to"])), (a.adcode, b.adcode))
            key = "to"
        else:
            chk.error(path, "link has no stops", expected="from: and to:, or through: [places]")
        if stops is not None:
            for i in range(1, len(stops[1])):
                if stops[1][i] == stops[1][i - 1]:
                    where = f"{path}.{key}" if key == "to" else f"{path}.through[{i}]"
                    chk.error(
                        where,
                        f"link {lid or '?'!s} goes from {stops[0][i - 1]!r} to itself "
                        f"({stops[1][i]})",
                        value=stops[0][i],
                        expected="two different places in a row",
                    )
                    stops = None
                    break
        direction = chk.choice(
            d.get("direction", "none"), f"{path}.direction", DIRECTIONS, "direction"
        )
        desc = chk.text(d.get("description"), f"{path}.description", required=False)
        refs = _refs(d, path, chk, paras)
        if (
            lid is not None
            and role is not None
            and label is not None
            and stops is not None
            and direction is not None
            and desc is not None
            and refs is not None
        ):
            out.append(Link(lid, role, label, stops[0], stops[1], direction, desc, refs))
    return out


def _sites(
    value: Any,
    chk: Checker,
    paras: Paras,
    kind_ids: tuple[str, ...],
    resolver: PlaceResolver,
    region: Any,
    ids: dict[str, str],
) -> list[Site]:
    from maplayout.datum import convert, normalise_datum

    out: list[Site] = []
    req = ("id", "name", "kind", "host", "lon", "lat", "datum", "precision", "radius_m")
    for path, item in _items(value, "sites", chk):
        d = chk.mapping(item, path, _SITE_KEYS, required=req)
        if d is None:
            continue
        sid = chk.ident(d["id"], f"{path}.id") if "id" in d else None
        _claim(ids, sid, path, chk)
        name = chk.text(d["name"], f"{path}.name") if "name" in d else None
        kind = chk.choice(d["kind"], f"{path}.kind", kind_ids, "site kind") if "kind" in d else None
        host = resolver.resolve(d["host"], f"{path}.host", region=region) if "host" in d else None
        lon = chk.number(d["lon"], f"{path}.lon", lo=-180.0, hi=180.0) if "lon" in d else None
        lat = None
        if "lat" in d:
            raw_lat = d["lat"]
            swapped = (
                isinstance(raw_lat, (int, float))
                and not isinstance(raw_lat, bool)
                and abs(raw_lat) > 90
                and isinstance(lon, (int, float))
                and abs(lon) <= 90
            )
            if swapped:
                chk.error(
                    f"{path}.lat",
                    f"latitude out of range: {raw_lat!r} (lon and lat look swapped)",
                    value=raw_lat,
                    expected="lon: longitude (-180 to 180), lat: latitude (-90 to 90)",
                )
            else:
                lat = chk.number(raw_lat, f"{path}.lat", lo=-90.0, hi=90.0)
        datum = None
        if "datum" in d:
            raw = d["datum"]
            try:
                normalise_datum(str(raw))
                datum = {"WGS84": "WGS-84", "GCJ02": "GCJ-02", "BD09": "BD-09"}[
                    normalise_datum(str(raw))
                ]
            except ValueError:
                chk.error(
                    f"{path}.datum",
                    f"unknown datum {short_repr(raw)}",
                    value=raw,
                    expected="one of " + ", ".join(_DATUMS),
                    suggestions=closest(str(raw), _DATUMS),
                )
        prec = (
            chk.choice(d["precision"], f"{path}.precision", PRECISIONS, "precision")
            if "precision" in d
            else None
        )
        radius = (
            chk.number(d["radius_m"], f"{path}.radius_m", lo=0.0, hi=_MAX_RADIUS_M)
            if "radius_m" in d
            else None
        )
        if prec is not None and radius is not None and prec != "surveyed" and radius == 0:
            chk.error(
                f"{path}.radius_m",
                f"radius_m is 0 for a {prec} site",
                value=radius,
                expected="the uncertainty radius in metres (> 0), or precision: surveyed",
            )
            radius = None
        conf = chk.choice(
            d.get("confidence", "medium"), f"{path}.confidence", CONFIDENCES, "confidence"
        )
        ident = chk.boolean(d.get("identity_uncertain", False), f"{path}.identity_uncertain")
        note = chk.text(d.get("precision_note"), f"{path}.precision_note", required=False)
        locsrc = _location_source(d.get("location_source", ""), f"{path}.location_source", chk)
        desc = chk.text(d.get("description"), f"{path}.description", required=False)
        refs = _refs(d, path, chk, paras)
        if (
            sid is None
            or name is None
            or kind is None
            or host is None
            or lon is None
            or lat is None
            or datum is None
            or prec is None
            or radius is None
            or conf is None
            or ident is None
            or note is None
            or locsrc is None
            or desc is None
            or refs is None
        ):
            continue
        wlon, wlat = convert(float(lon), float(lat), datum, "WGS-84")
        site = Site(
            sid,
            name,
            kind,
            str(d["host"]),
            host.adcode,
            round(wlon, 7),
            round(wlat, 7),
            datum,
            float(lon),
            float(lat),
            prec,
            float(radius),
            conf,
            ident,
            note,
            locsrc,
            desc,
            refs,
        )
        if region is not None and check_site(site, path, region, host, chk):
            out.append(site)
    return out


def _location_source(value: Any, path: str, chk: Checker) -> Text | None:
    """``location_source``: a multilingual text, or (older plans) one plain string.

    A plain string is used in every language (converted to traditional characters for
    ``zh-Hant``); an empty string means "not stated".
    """
    if isinstance(value, dict):
        return chk.text(value, path)
    text = chk.string(value, path, allow_empty=True)
    return None if text is None else Text(text, to_hant(text), text)


def _facts(
    value: Any,
    section: str,
    kind: str,
    chk: Checker,
    paras: Paras,
    resolver: PlaceResolver,
    region: Any,
    ids: dict[str, str],
    parent: str = "",
) -> list[Fact]:
    out: list[Fact] = []
    keys = (*_FACT_KEYS, "targets") if kind == "cluster" else _FACT_KEYS
    for path, item in _items(value, section, chk):
        d = chk.mapping(item, path, keys, required=("id", "label"))
        if d is None:
            continue
        fid = chk.ident(d["id"], f"{path}.id") if "id" in d else None
        _claim(ids, fid, path, chk)
        label = chk.text(d["label"], f"{path}.label") if "label" in d else None
        desc = chk.text(d.get("description"), f"{path}.description", required=False)
        fval: Any = d.get("value")
        if fval is not None and (isinstance(fval, bool) or not isinstance(fval, (int, float, str))):
            expected = "a number or a string"
            if isinstance(fval, dict):  # a text per language belongs in display
                expected += "; put the text for each language in display: {zh-Hans: …, en: …}"
            chk.wrong_type(f"{path}.value", fval, expected)
            fval = ...
        elif isinstance(fval, str):
            fval = chk.string(fval, f"{path}.value", max_len=120)
            fval = ... if fval is None else fval
        elif fval is not None:  # finite, and small enough to print and compare exactly
            fval = chk.number(fval, f"{path}.value", lo=-_MAX_FACT, hi=_MAX_FACT)
            fval = ... if fval is None else fval
        unit = chk.text(d.get("unit"), f"{path}.unit", required=False)
        display = chk.text(d.get("display"), f"{path}.display", required=False)
        year = None
        if d.get("year") is not None:
            y = chk.number(d["year"], f"{path}.year", lo=1900, hi=2100, integer=True)
            year = int(y) if y is not None else ...
        tier = chk.text(d.get("tier"), f"{path}.tier", required=False)
        hosts: PlaceList | None = ((), ())
        if "hosts" in d:
            hosts = _place_list(d["hosts"], f"{path}.hosts", chk, resolver, region, min_len=1)
        refs = _refs(d, path, chk, paras)
        children: list[Fact] = []
        if "targets" in d:
            children = _facts(
                d["targets"],
                f"{path}.targets",
                "target",
                chk,
                paras,
                resolver,
                region,
                ids,
                parent=fid or "",
            )
        if (
            fid is None
            or label is None
            or desc is None
            or unit is None
            or display is None
            or tier is None
            or hosts is None
            or refs is None
            or fval is ...
            or year is ...
        ):
            continue
        out.append(
            Fact(
                fid,
                kind,
                label,
                desc,
                fval,
                unit,
                year,
                tier,
                hosts[0],
                hosts[1],
                parent,
                refs,
                display,
            )
        )
        out.extend(children)
    return out
