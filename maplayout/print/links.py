"""Corridors on the print figure: shafts with arrowheads, and labels that sit beside the line
(the side away from the other corridors first), then further out with a leader line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from maplayout.model import LayoutModel
from maplayout.model import row_text as row_lang_text
from maplayout.print.labels import LINK, Candidate, Label
from maplayout.print.style import LABEL_BOX, PX, balanced, dash, wrap

__all__ = ["draw_links"]

#: Gaps (pt) between a corridor and its label, and whether a leader line is drawn.
_REACH = (
    (6, False),
    (12, False),
    (18, False),
    (28, True),
    (50, True),
    (80, True),
    (115, True),
    (160, True),
    (210, True),
)
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)  # where along a corridor its label may sit


@dataclass(frozen=True)
class BesideLine:
    """Candidates of a corridor label: at points along the line, offset along its normal
    (the outer side first), then in any direction with a leader line."""

    points: Sequence[Any]
    normal: tuple[float, float]

    def __call__(self, w: float, h: float) -> list[Candidate]:
        n = self.normal
        out: list[Candidate] = []
        ways = [n, (-n[0], -n[1])]  # beside the line: the outer side first
        far = [*ways, (0.0, 1.0), (0.0, -1.0), (-1.0, 0.0), (1.0, 0.0)]
        for extra, leader in _REACH:
            for ux, uy in far if leader else ways:
                reach = abs(ux) * w / 2 + abs(uy) * h / 2 + extra
                out += [(p.x, p.y, ux * reach, uy * reach, leader) for p in self.points]
        return out


def _draw_shaft(ax: Any, link: Any, coords: list[Any]) -> None:
    """The corridor's line and its arrowheads (each stops short of the stop it points at,
    so the stop's label stays readable)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    lw = float(link["weight"]) * PX
    xs, ys = zip(*coords, strict=True)
    ax.add_line(  # as ``ax.plot`` adds it, without plot()'s argument parsing
        Line2D(
            xs,
            ys,
            color=link["stroke"],
            lw=lw,
            linestyle=dash(link["dash"]),
            solid_capstyle="round",
            zorder=7,
        )
    )
    heads = []
    if link["direction"] in ("forward", "both"):
        heads.append((coords[-2], coords[-1]))
    if link["direction"] in ("backward", "both"):
        heads.append((coords[1], coords[0]))
    for a, b in heads:
        base = (a[0] + 0.6 * (b[0] - a[0]), a[1] + 0.6 * (b[1] - a[1]))
        tip = (a[0] + 0.85 * (b[0] - a[0]), a[1] + 0.85 * (b[1] - a[1]))
        ax.add_patch(
            FancyArrowPatch(
                base,
                tip,
                arrowstyle="-|>",
                mutation_scale=8 + 3 * lw,
                color=link["stroke"],
                lw=lw,
                zorder=8,
            )
        )


def _outer_normal(coords: list[Any], mid: Any, centre: tuple[float, float], alone: bool) -> Any:
    """The unit normal of the corridor's chord, turned away from the other corridors."""
    (x0, y0), (x1, y1) = coords[0], coords[-1]
    nx, ny = -(y1 - y0), x1 - x0
    norm = math.hypot(nx, ny) or 1.0
    nx, ny = nx / norm, ny / norm
    if not alone and (mid.x - centre[0]) * nx + (mid.y - centre[1]) * ny < 0:
        nx, ny = -nx, -ny
    return nx, ny


def _link_label(link: Any, value: str, normal: Any, avoid: Sequence[float] | None) -> Label:
    points = [link.geometry.interpolate(t, normalized=True) for t in _ALONG]
    style = {
        "fontsize": 7.5,
        "color": link["stroke"],
        "fontweight": "bold",
        "bbox": LABEL_BOX,
        "zorder": 10,
    }
    wide = wrap(value, 28)
    variants = [wide] if "\n" in wide else [wide, balanced(value)]
    candidates = BesideLine(points, normal)
    return Label(variants, LINK, candidates, style, leader_color=link["stroke"], avoid=avoid)


def draw_links(
    ax: Any,
    model: LayoutModel,
    crs: Any,
    lang: str,
    *,
    labels: bool,
    avoid: Sequence[float] | None = None,
) -> list[Label]:
    """Draw the corridors; return their labels (``labels=False``: none). A label never
    covers ``avoid`` (the inset's area)."""
    links = model.links.to_crs(crs)
    mids = [g.interpolate(0.5, normalized=True) for g in links.geometry]
    cx = sum(m.x for m in mids) / len(mids) if mids else 0.0
    cy = sum(m.y for m in mids) / len(mids) if mids else 0.0
    out: list[Label] = []
    for mid, (_, link) in zip(mids, links.iterrows(), strict=True):
        coords = list(link.geometry.coords)
        if len(coords) < 2:
            continue
        _draw_shaft(ax, link, coords)
        value = row_lang_text(link, "label", lang)
        if labels and value:
            normal = _outer_normal(coords, mid, (cx, cy), len(mids) <= 1)
            out.append(_link_label(link, value, normal, avoid))
    return out
