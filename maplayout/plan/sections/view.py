"""The ``view`` section: the maps' starting extent and the unit levels to build."""

from __future__ import annotations

from typing import Any, NamedTuple

from maplayout.plan.sections.context import SectionContext

VIEW_KEYS = ("levels", "extent")


class View(NamedTuple):
    """What ``view`` sets (``()`` / ``None`` where it sets nothing)."""

    levels: tuple[str, ...] = ()
    extent: tuple[float, float, float, float] | None = None
    extent_adcodes: tuple[str, ...] = ()


def read_view(value: Any, ctx: SectionContext) -> View | None:
    """``view: {levels: [county], extent: 长沙}``; ``None`` once a problem is reported.

    ``levels`` lists the maps to build by unit level, the layout map's first, each a level
    below the region (a province: ``prefecture``, ``county``). ``extent`` frames the maps at
    the start: a place or a list of places of the region, or ``[west, south, east, north]``
    in degrees (WGS-84).
    """
    if value is None:
        return View()
    entry = ctx.checker.mapping(value, "view", VIEW_KEYS)
    if entry is None:
        return None
    levels: tuple[str, ...] | None = ()
    if "levels" in entry:
        levels = _levels(entry["levels"], ctx)
    extent: tuple[Any, ...] | None = (None, ())
    if "extent" in entry:
        extent = _extent(entry["extent"], ctx)
    if levels is None or extent is None:
        return None
    return View(levels, *extent)


def _levels(value: Any, ctx: SectionContext) -> tuple[str, ...] | None:
    allowed = ctx.region.place_levels if ctx.region is not None else ("prefecture", "county")
    items = ctx.checker.sequence(value, "view.levels", allow_empty=False)
    if items is None:
        return None
    out: list[str] = []
    for index, item in enumerate(items):
        path = f"view.levels[{index}]"
        level = ctx.checker.choice(item, path, allowed, "level")
        if level is None:
            return None
        if level in out:
            ctx.checker.error(path, f"level {level!r} listed twice", value=level,
                              expected="each level once")  # fmt: skip
            return None
        out.append(level)
    return tuple(out)


def _extent(value: Any, ctx: SectionContext) -> tuple[Any, ...] | None:
    """``(bbox, ())`` for four numbers, ``(None, adcodes)`` for places."""
    checker = ctx.checker
    numbers = (
        isinstance(value, list)
        and value
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    )
    if numbers:
        if len(value) != 4:
            checker.error("view.extent", f"{len(value)} numbers given", value=value,
                          expected="[west, south, east, north] in degrees")  # fmt: skip
            return None
        west, south, east, north = (float(v) for v in value)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            checker.error(
                "view.extent",
                f"not a box: {value!r}",
                value=value,
                expected="[west, south, east, north] with west < east and south < north",
            )
            return None
        return (west, south, east, north), ()
    places = value if isinstance(value, list) else [value]
    found = ctx.place_list(places, "view.extent", min_len=1)
    if found is None:
        return None
    return None, found[1]
