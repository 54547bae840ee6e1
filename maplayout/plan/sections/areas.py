"""The sections that give admin units a part: ``units``, ``groups`` and ``links``."""

from __future__ import annotations

from typing import Any

from maplayout.plan.sections.context import PlaceList, SectionContext, complete
from maplayout.plan.sections.header import style_over
from maplayout.plan.types import DIRECTIONS, Group, Link, StyleOver, UnitRole

UNIT_KEYS = ("place", "role", "label", "description", "interpretation", "source", "style")
GROUP_KEYS = (
    "id",
    "label",
    "role",
    "members",
    "block",
    "county_exceptions",
    "description",
    "interpretation",
    "source",
    "style",
)
LINK_KEYS = (
    "id",
    "role",
    "label",
    "from",
    "to",
    "through",
    "closed",
    "direction",
    "description",
    "interpretation",
    "source",
    "style",
)


def read_units(value: Any, ctx: SectionContext) -> list[UnitRole]:
    """The ``units`` section: one role per admin unit, each unit at most once."""
    checker = ctx.checker
    out: list[UnitRole] = []
    seen: dict[str, str] = {}
    for path, entry in ctx.entries(value, "units", UNIT_KEYS, ("place", "role")):
        unit = ctx.place(entry["place"], f"{path}.place") if "place" in entry else None
        role = ctx.role(entry, path) if "role" in entry else None
        label = checker.text(entry.get("label"), f"{path}.label", required=False)
        about = ctx.about(entry, path)
        if unit is not None and unit.adcode in seen:
            checker.error(
                f"{path}.place",
                f"duplicate unit {entry['place']!r} ({unit.adcode}, already given a role in "
                f"{seen[unit.adcode]})",
                value=entry["place"],
                expected="each unit once in units",
            )
            continue
        if unit is not None:
            seen[unit.adcode] = path
        fields = complete({"unit": unit, "role": role, "label": label}, about)
        if fields is not None:
            unit = fields.pop("unit")
            out.append(
                UnitRole(
                    **fields,
                    place=str(entry["place"]),
                    adcode=unit.adcode,
                    level=unit.level,
                    style=_own_style(entry, path, ctx),
                )
            )
    return out


def _own_style(entry: dict[str, Any], path: str, ctx: SectionContext) -> StyleOver:
    """An item's own ``style`` keys (over its role's), ``()`` when it gives none."""
    if "style" not in entry:
        return ()
    return style_over(entry["style"], f"{path}.style", ctx.checker)


def read_groups(value: Any, ctx: SectionContext) -> list[Group]:
    """The ``groups`` section: named sets of units (``members`` and/or a ``block``)."""
    checker = ctx.checker
    out: list[Group] = []
    for path, entry in ctx.entries(value, "groups", GROUP_KEYS, ("id", "label")):
        group_id = ctx.item_id(entry, path)
        label = checker.text(entry["label"], f"{path}.label") if "label" in entry else None
        role = ctx.role(entry, path) if entry.get("role") not in (None, "") else ""
        members: PlaceList | None = ((), ())
        if "members" in entry:
            members = ctx.place_list(entry["members"], f"{path}.members", min_len=1)
        block: str | None = ""
        if "block" in entry:
            block = ctx.resolver.block(entry["block"], f"{path}.block", ctx.region)
        if "members" not in entry and "block" not in entry:
            checker.error(
                path,
                "group has neither members nor block",
                expected="members: [places] and/or block: id",
            )
        exceptions = checker.boolean(
            entry.get("county_exceptions", True), f"{path}.county_exceptions"
        )
        fields = complete(
            {
                "id": group_id,
                "label": label,
                "role": role,
                "members": members,
                "block": block,
                "county_exceptions": exceptions,
            },
            ctx.about(entry, path),
        )
        if fields is not None:
            fields["members"], fields["member_adcodes"] = fields["members"]
            out.append(Group(**fields, style=_own_style(entry, path, ctx)))
    return out


def read_links(value: Any, ctx: SectionContext) -> list[Link]:
    """The ``links`` section: corridors, bands and axes through two or more places."""
    checker = ctx.checker
    out: list[Link] = []
    for path, entry in ctx.entries(value, "links", LINK_KEYS, ("id", "role", "label")):
        link_id = ctx.item_id(entry, path)
        role = ctx.role(entry, path) if "role" in entry else None
        label = checker.text(entry["label"], f"{path}.label") if "label" in entry else None
        stops = _link_stops(entry, path, link_id, ctx)
        direction = checker.choice(
            entry.get("direction", "none"), f"{path}.direction", DIRECTIONS, "direction"
        )
        closed = checker.boolean(entry.get("closed", False), f"{path}.closed")
        fields = complete(
            {"id": link_id, "role": role, "label": label, "direction": direction},
            _ring(stops, closed),
            ctx.about(entry, path),
        )
        if fields is not None:
            out.append(Link(**fields, style=_own_style(entry, path, ctx)))
    return out


def _ring(stops: PlaceList | None, closed: bool | None) -> dict[str, Any] | None:
    """A link's ``stops``, ``stop_adcodes`` and ``closed``: a closed link ends where it starts
    (a link whose stops already do is closed)."""
    if stops is None or closed is None:
        return None
    names, adcodes = stops
    ring = adcodes[0] == adcodes[-1]
    if closed and not ring:
        names, adcodes = (*names, names[0]), (*adcodes, adcodes[0])
    return {"stops": names, "stop_adcodes": adcodes, "closed": closed or ring}


def _link_stops(
    entry: dict[str, Any], path: str, link_id: str | None, ctx: SectionContext
) -> PlaceList | None:
    """A link's stops: ``through: [places]`` or ``from:`` and ``to:``, no place twice in a row."""
    stops: PlaceList | None = None
    if "through" in entry and ("from" in entry or "to" in entry):
        ctx.checker.error(
            path,
            "link has both through and from/to",
            expected="either through: [places] or from: and to:",
        )
    elif "through" in entry:
        stops = ctx.place_list(entry["through"], f"{path}.through", min_len=2)
    elif "from" in entry and "to" in entry:
        start = ctx.place(entry["from"], f"{path}.from")
        end = ctx.place(entry["to"], f"{path}.to")
        if start is not None and end is not None:
            stops = ((str(entry["from"]), str(entry["to"])), (start.adcode, end.adcode))
    else:
        ctx.checker.error(path, "link has no stops", expected="from: and to:, or through: [places]")
    if stops is None:
        return None
    names, adcodes = stops
    for index in range(1, len(adcodes)):
        if adcodes[index] == adcodes[index - 1]:
            where = f"{path}.through[{index}]" if "through" in entry else f"{path}.to"
            ctx.checker.error(
                where,
                f"link {link_id or '?'!s} goes from {names[index - 1]!r} to itself "
                f"({adcodes[index]})",
                value=names[index],
                expected="two different places in a row",
            )
            return None
    return stops
