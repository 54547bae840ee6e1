"""Map furniture of the print figure: the scale bar and the north arrow."""

from __future__ import annotations

import math
from typing import Any, cast

__all__ = ["north_arrow", "scale_bar"]


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) no longer than a fifth of ``span_m``."""
    target = span_m / 5
    exp = 10 ** math.floor(math.log10(target))
    return cast(float, max(m * exp for m in (1, 2, 5) if m * exp <= target))


def scale_bar(ax: Any, *, fontsize: float = 7, ticks: bool = True) -> float:
    """Draw a four-segment scale bar (metres → km) in the lower left; return its length (m)."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    left, bottom = x0 + 0.05 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * length / 4, bottom),
                length / 4,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=20,
            )
        )
    km = length >= 1000
    for frac in (0, 0.5, 1) if ticks else (1,):
        v = length * frac / (1000 if km else 1)
        label = f"{v:g}" + ((" km" if km else " m") if frac == 1 else "")
        ax.text(
            left + frac * length,
            bottom + 1.8 * height,
            label,
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=20,
        )
    return length


def north_arrow(ax: Any, label: str) -> None:
    """An arrow pointing up (grid north = true north on the central meridian)."""
    ax.annotate(
        "",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.87),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.8", "lw": 1.4, "color": "k"},
        zorder=20,
    )
    ax.text(
        0.95,
        0.955,
        label,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        zorder=20,
    )
