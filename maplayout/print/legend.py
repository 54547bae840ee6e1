"""The print figure's legend: one handle per ``model.legend`` entry (entries of identical
label and style merged into one row), each followed by its ``members`` (the role's items
drawn in their own styles, indented beneath it), then the HTML legend's conditional extras."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from maplayout.model import LayoutModel, pick_text
from maplayout.print.points import layer_legend_rows
from maplayout.print.style import NEIGHBOUR, PX, dash, site_marker
from maplayout.text import neighbour_label, ui_text

__all__ = ["LegendRow", "legend_entries", "legend_handles", "legend_rows"]

#: How far a member's swatch is indented under its role's, in font sizes.
MEMBER_INDENT = 0.7


@dataclass(frozen=True)
class LegendRow:
    """One row of the figure's legend: its handle, its label and whether it is a member
    of the role above it (drawn indented, smaller)."""

    handle: Any
    label: str
    member: bool = False


def _legend_key(entry: dict[str, Any]) -> str:
    return json.dumps([entry.get("label"), entry.get("style")], sort_keys=True, default=str)


def legend_entries(model: LayoutModel) -> list[list[dict[str, Any]]]:
    """``model.legend`` with entries of identical label and style merged, in first-seen
    order: each item lists the merged entries (one swatch each, drawn as one legend row)."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for entry in model.legend:
        merged.setdefault(_legend_key(entry), []).append(entry)
    return list(merged.values())


def _area_handle(kind: str, style: dict[str, Any]) -> Any:
    """The swatch of a unit (filled, thin edge) or a group (its fill, outline and dash)."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    if kind == "unit":
        return Patch(
            facecolor=to_rgba(style.get("fill", "#cccccc"), float(style.get("fill_opacity", 0.7))),
            edgecolor=style.get("stroke", "#555555"),
            linewidth=0.6,
        )
    return Patch(
        facecolor=to_rgba(style.get("fill") or "#000000", float(style.get("fill_opacity") or 0)),
        edgecolor=style.get("stroke", "#333333"),
        linewidth=float(style.get("weight", 2)) * PX,
        linestyle=dash(style.get("dash", "")),
    )


def _link_handle(style: dict[str, Any], *, arrow: bool = True) -> Any:
    """A link's line, with the role's arrowhead (a member's short swatch shows its dash)."""
    from matplotlib.lines import Line2D

    return Line2D(
        [0, 1],
        [0, 0],
        color=style.get("stroke", "#333333"),
        linewidth=float(style.get("weight", 3)) * PX,
        linestyle=dash(style.get("dash", "")),
        marker=">" if arrow else "",
        markersize=7,
        markevery=[1],
    )


def _site_handle(model: LayoutModel, ident: str, style: dict[str, Any]) -> Any:
    """A site kind's marker, in the legend style's colour or its first site's."""
    from matplotlib.lines import Line2D

    sites = model.sites
    kinds = list(sites["kind"]) if len(sites) else []
    colors = list(sites["color"]) if len(sites) else []
    first = [c for k, c in zip(kinds, colors, strict=True) if k == ident][:1]
    color = style.get("color") or (first[0] if first else "#333333")
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=site_marker(ident, kinds),
        markersize=8,
        markerfacecolor=color,
        markeredgecolor="white",
        markeredgewidth=0.8,
    )


def _entry_handle(model: LayoutModel, entry: dict[str, Any], *, member: bool = False) -> Any:
    style = dict(entry.get("style") or {})
    kind = entry.get("kind")
    if kind in ("unit", "group"):
        return _area_handle(str(kind), style)
    if kind == "link":
        return _link_handle(style, arrow=not member)
    ident = str(entry.get("id", "")).split(":", 1)[-1]  # "site:laboratory" → "laboratory"
    return _site_handle(model, ident, style)


def _extras(model: LayoutModel, lang: str) -> tuple[list[Any], list[str]]:
    """The HTML legend's conditional rows: uncertainty circle, block exception, neighbour."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    keys: list[str] = []
    sites = model.sites
    if len(sites) and bool(((sites["precision"] != "surveyed") & (sites["radius_m"] > 0)).any()):
        circle = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=11,
            markerfacecolor="none",
            markeredgecolor="#555555",
            markeredgewidth=0.8,
        )
        handles.append(circle)
        keys.append("legend.uncertainty")
    if any(len(a or ()) for a in model.units["alt_blocks"]):
        dotted = Patch(
            facecolor="none", edgecolor="#111111", linewidth=1.5, linestyle=(0, (1, 1.5))
        )
        handles.append(dotted)
        keys.append("legend.exception")
    if bool((model.context["kind"] == "neighbour").any()):
        neighbour = Patch(
            linewidth=0.5, facecolor=NEIGHBOUR["facecolor"], edgecolor=NEIGHBOUR["edgecolor"]
        )
        handles.append(neighbour)
        keys.append("legend.neighbour")
    labels = [ui_text(key, lang) for key in keys]
    if keys and keys[-1] == "legend.neighbour":
        labels[-1] = neighbour_label(model.meta, lang)
    return handles, labels


def _members(entries: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The merged entries' members as (kind, member), each id and style once, in order."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for entry in entries:
        for member in entry.get("members") or ():
            key = json.dumps([member.get("id"), member.get("style")], sort_keys=True, default=str)
            out.setdefault(key, (str(entry.get("kind")), dict(member)))
    return list(out.values())


def legend_rows(model: LayoutModel, lang: str) -> list[LegendRow]:
    """The legend's rows: each (merged) ``model.legend`` entry, then its members beneath it,
    each with a swatch in its own style, then the HTML legend's conditional extras
    (uncertainty circle, block exception, neighbouring province), in the HTML's order, then
    one row per data layer with its number of points (never its points' names).

    Entries with the same label and the same style (a role used by units and by a group, or
    by corridor units and corridor lines) become one row whose handle is a tuple of their
    symbols drawn over each other (see :func:`legend_entries`)."""
    rows: list[LegendRow] = []
    for entries in legend_entries(model):
        symbols = tuple(_entry_handle(model, dict(e)) for e in entries)
        handle = symbols[0] if len(symbols) == 1 else symbols
        rows.append(LegendRow(handle, pick_text(entries[0].get("label"), lang)))
        for kind, member in _members(entries):
            swatch = _entry_handle(model, {**member, "kind": kind}, member=True)
            rows.append(LegendRow(swatch, pick_text(member.get("label"), lang), member=True))
    extra_handles, extra_labels = _extras(model, lang)
    rows += [LegendRow(h, label) for h, label in zip(extra_handles, extra_labels, strict=True)]
    rows += [LegendRow(h, label) for h, label in layer_legend_rows(model, lang)]
    return rows


def legend_handles(model: LayoutModel, lang: str) -> tuple[list[Any], list[str]]:
    """The handles and labels of :func:`legend_rows`, members included."""
    rows = legend_rows(model, lang)
    return [r.handle for r in rows], [r.label for r in rows]
