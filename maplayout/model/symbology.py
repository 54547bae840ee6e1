"""Symbology decided once: the colours units are drawn with, the legend, the search keys.

The join (:func:`~maplayout.model.build_model`) calls these and stores the result in the
model; the renderers (web page, print figure) read it instead of recomputing it:

* :func:`display_fill` — a unit without a role takes its first group's fill composited over
  its own (:func:`composite`), so a unit with a role keeps exactly its legend colour;
  stored in the units' :data:`~maplayout.model.contract.UNIT_DISPLAY_COLUMNS`;
* :func:`legend_entries` — the legend, in drawing order, only what the plan uses;
* :func:`search_keys` — every spelling a reader may type for a place (both Chinese scripts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from maplayout.geo.names import to_hans, to_hant
from maplayout.model.contract import UNIT_DISPLAY_COLUMNS, as_list, as_number, records
from maplayout.model.types import LegendEntry
from maplayout.plan import GROUPING_STYLE, Plan

__all__ = [
    "RGBA",
    "composite",
    "composite_rgba",
    "display_fill",
    "display_fills",
    "extra_search_keys",
    "group_fills",
    "hex_rgb",
    "legend_entries",
    "search_keys",
    "with_display_fills",
]

RGBA = tuple[float, float, float, float]

#: Defaults of a unit or group row without a colour (as the page has always drawn them).
UNIT_FILL, UNIT_FILL_OPACITY, GROUP_FILL = "#cccccc", 0.6, "#333333"


def hex_rgb(color: str) -> tuple[float, float, float]:
    """``"#rrggbb"`` or ``"#rgb"`` as fractions 0..1 (mid grey for a malformed colour)."""
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    try:
        return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)
    except ValueError:
        return (0.5, 0.5, 0.5)


def composite_rgba(top: Sequence[float], below: Sequence[float]) -> RGBA:
    """The RGBA of ``top`` composited over ``below`` (both RGBA 0..1, straight alpha)."""
    alpha = top[3] + below[3] * (1 - top[3])
    if alpha == 0:
        return (0.0, 0.0, 0.0, 0.0)
    rgb = [(top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / alpha for i in range(3)]
    return (rgb[0], rgb[1], rgb[2], alpha)


def composite(top: str, top_a: float, below: str, below_a: float) -> tuple[str, float]:
    """``top`` at ``top_a`` composited over ``below`` at ``below_a``: ``(hex, alpha)``."""
    if top_a + below_a * (1 - top_a) <= 0:
        return below, 0.0
    *rgb, alpha = composite_rgba((*hex_rgb(top), top_a), (*hex_rgb(below), below_a))
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb), round(alpha, 3)


def group_fills(groups: Any) -> dict[str, tuple[str, float]]:
    """``{group id: (fill, opacity)}`` of a groups frame."""
    return {
        str(r["id"]): (str(r.get("fill") or GROUP_FILL), as_number(r.get("fill_opacity"), 0.0))
        for r in records(groups)
    }


def display_fill(
    unit: Mapping[str, Any], fills: Mapping[str, tuple[str, float]]
) -> tuple[str, float]:
    """The ``(fill, opacity)`` a unit row is drawn with: its own, or for a unit without a role
    its first group's fill (``fills``, from :func:`group_fills`) composited over its own."""
    fill = str(unit.get("fill") or UNIT_FILL)
    opacity = as_number(unit.get("fill_opacity"), UNIT_FILL_OPACITY)
    gids = [g for g in as_list(unit.get("group_ids")) if g in fills]
    if not unit.get("role") and gids and fills[gids[0]][1] > 0:
        return composite(*fills[gids[0]], fill, opacity)
    return fill, opacity


def with_display_fills(units: Any, groups: Any) -> Any:
    """``units`` with :data:`~maplayout.model.contract.UNIT_DISPLAY_COLUMNS` filled in."""
    fills = group_fills(groups)
    resolved = [display_fill(r, fills) for r in records(units)]
    out = units.copy()
    out[UNIT_DISPLAY_COLUMNS[0]] = pd.Series(
        [f for f, _ in resolved], index=units.index, dtype=object
    )
    out[UNIT_DISPLAY_COLUMNS[1]] = pd.Series(
        [a for _, a in resolved], index=units.index, dtype=float
    )
    return out


def display_fills(units: Any, groups: Any) -> list[tuple[str, float]]:
    """``(fill, opacity)`` of every unit row: the join's resolved columns when the frame has
    them, else resolved here (a model built by hand)."""
    fill_col, opacity_col = UNIT_DISPLAY_COLUMNS
    if fill_col in units.columns and opacity_col in units.columns:
        return [
            (str(f), as_number(a, UNIT_FILL_OPACITY))
            for f, a in zip(units[fill_col].tolist(), units[opacity_col].tolist(), strict=True)
        ]
    fills = group_fills(groups)
    return [display_fill(r, fills) for r in records(units)]


def search_keys(*names: Mapping[str, str]) -> list[str]:
    """Every form a reader may type for ``names`` (``{lang: text}`` maps), deduplicated.

    Each name gives its zh-Hans, its given zh-Hant and English forms, plus
    :func:`~maplayout.geo.names.to_hant` of the zh-Hans (the standard Traditional spelling,
    e.g. 华云 → 華雲) and :func:`~maplayout.geo.names.to_hans` of the zh-Hant (e.g. 華云 →
    华云), so both scripts and both variants find the place. Order is stable.
    """
    keys: list[str] = []
    for name in names:
        hans, hant = name.get("zh-Hans", ""), name.get("zh-Hant", "")
        keys += [hans, hant, name.get("en", ""), to_hant(hans), to_hans(hant)]
    return list(dict.fromkeys(k for k in keys if k))


def extra_search_keys(*names: Mapping[str, str]) -> list[str]:
    """:func:`search_keys` less the names the page indexes anyway (the payload carries only
    the script variants the plan does not spell out)."""
    given = {v for name in names for v in name.values()}
    return [k for k in search_keys(*names) if k not in given]


def legend_entries(plan: Plan) -> list[LegendEntry]:
    """Legend entries in drawing order: unit roles, group roles and groupings, link roles,
    site kinds, each only when the plan uses it. A role one of whose items carries its own
    ``style`` lists its items beneath it (``members``), each with its own swatch."""

    def entry(kind: Any, key: str, label: Any, style: dict[str, Any]) -> LegendEntry:
        return {"id": f"{kind}:{key}", "kind": kind, "label": label.as_dict(), "style": style}

    def with_members(e: LegendEntry, items: list[tuple[str, Any, Any]]) -> LegendEntry:
        if any(over for _, _, over in items):
            role = e["id"].split(":", 1)[1]
            e["members"] = [
                {"id": key, "label": label.as_dict(), "style": plan.style_of(role, over).as_dict()}
                for key, label, over in items
            ]
        return e

    def by_role(kind: str, items: Sequence[Any]) -> list[LegendEntry]:
        """One entry per role the ``items`` (groups or links) use, in the plan's role order."""
        return [
            with_members(
                entry(kind, r.id, r.label, r.style.as_dict()),
                [(i.id, i.label, i.style) for i in items if i.role == r.id],
            )
            for r in plan.roles
            if any(i.role == r.id for i in items)
        ]

    first_use = list(dict.fromkeys(u.role for u in plan.units))
    out = [
        with_members(
            entry("unit", r.id, r.label, r.style.as_dict()),
            [(u.adcode, u.label or r.label, u.style) for u in plan.units if u.role == r.id],
        )
        for r in map(plan.role, first_use)
    ]
    out += by_role("group", plan.groups)
    out += [
        entry("group", g.id, g.label, plan.style_of("", g.style, GROUPING_STYLE).as_dict())
        for g in plan.groups
        if not g.role
    ]
    out += by_role("link", plan.links)
    out += [
        entry("site", k.id, k.label, {"color": k.color})
        for k in plan.site_kinds
        if any(s.kind == k.id for s in plan.sites)
    ]
    return out
