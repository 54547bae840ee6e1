"""The print figure's site key: the numbered list of the sites (the numbers beside the map's
markers), each with its uncertainty, a ``?`` for an uncertain identity and a mark for a site
whose plan gives an interpretation (the mark explained once, under the list)."""

from __future__ import annotations

from typing import Any

from maplayout.model import LayoutModel, row_text
from maplayout.print.style import wrap
from maplayout.text import ui_text

__all__ = ["site_key", "site_lines"]


def site_key(ax: Any, model: LayoutModel, lang: str, *, top: float) -> None:
    """Numbered list of the sites (the numbers beside the markers), with their uncertainty."""
    ax.set_axis_off()
    if not len(model.sites):
        return
    ax.text(
        0,
        top,
        ui_text("figure.sites", lang),
        fontsize=9,
        fontweight="bold",
        va="top",
        transform=ax.transAxes,
    )
    lines, marked = site_lines(model, lang)
    if marked:  # the mark explained once, under the list
        lines += ["", wrap(ui_text("figure.interp_note", lang), 46, indent="  ")]
    ax.text(
        0,
        top - 0.06,
        "\n".join(lines),
        fontsize=7,
        va="top",
        linespacing=1.6,
        transform=ax.transAxes,
    )


def site_lines(model: LayoutModel, lang: str) -> tuple[list[str], bool]:
    """The key's lines: number, name, uncertainty, ``?`` for an uncertain identity and the
    interpretation mark for a site whose plan gives an ``interpretation``; and whether any
    line has that mark."""
    mark = ui_text("figure.interp_mark", lang)
    lines = []
    marked = False
    for i, (_, s) in enumerate(model.sites.iterrows(), start=1):
        line = f"{i}  {row_text(s, 'name', lang)}"
        radius = float(s["radius_m"] or 0)
        if radius > 0:
            line += f" (±{radius / 1000:g} km)"
        if bool(s["identity_uncertain"]):
            line += " ?"
        if row_text(s, "interpretation", lang):
            line += f" {mark}"
            marked = True
        lines.append(wrap(line, 46, indent="    "))
    return lines, marked
