"""A small deterministic label placer for :mod:`maplayout.print.figure`.

Labels are placed in priority order (unit names, group names, corridor functions, site
numbers, neighbouring provinces). Each label has a list of candidate positions; the first
one whose box (measured with the figure's renderer, in display pixels) stays inside the
axes and overlaps neither a fixed artist (scale bar, north arrow), a site marker nor a label
already placed wins. A label with no free candidate is left out. Candidates far from their
anchor get a thin leader line. No randomness: identical input gives identical placement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Around", "BesideMarker", "Label", "OnAnchor", "place_labels"]

#: Priorities (lower is placed first).
UNIT, GROUP, LINK, SITE, CONTEXT = 1, 2, 3, 4, 5

#: Half the side of the box kept free around a site marker (a 7 pt marker and its edge), pt.
MARKER_HALF = 4.5

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels
Candidate = tuple[float, float, float, float, bool]  # anchor x, y (data), dx, dy (pt), leader


@dataclass
class Label:
    """One label to place.

    ``candidates(w, h)`` lists, for a label ``w`` × ``h`` points large, ``(x, y, dx, dy,
    leader)``: the anchor in data coordinates, the offset of the label's centre in points and
    whether a leader line joins the label to the anchor.
    ``avoid`` is a data extent the label box must stay out of (the area the inset enlarges).
    ``owner`` is the marker a site number belongs to: without a leader line, the number must
    sit nearer to it than to any other marker, so it cannot be read as another site's.
    ``text`` may list variants (e.g. wrapped wider and narrower): every variant's candidates
    without a leader line are tried, in order, before any candidate with one.
    """

    text: str | Sequence[str]
    priority: int
    candidates: Callable[[float, float], list[Candidate]]
    style: dict[str, Any] = field(default_factory=dict)
    leader_color: str = "#444444"
    avoid: Sequence[float] | None = None
    owner: tuple[float, float] | None = None


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _ambiguous(
    cx: float, cy: float, owner: tuple[float, float], marks: Sequence[tuple[float, float]]
) -> bool:
    """True when another marker is nearer to (cx, cy) than the owner marker (pixels)."""
    own = (cx - owner[0]) ** 2 + (cy - owner[1]) ** 2
    return any((cx - mx) ** 2 + (cy - my) ** 2 < own for mx, my in marks)


def _grow(b: Any, pad: float) -> Box:
    return (b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad)


def measure(ax: Any, label: Label, text: str, renderer: Any) -> tuple[float, float]:
    """Width and height (points) of ``text`` in the label's style, box padding included."""
    from matplotlib.text import Text

    style = {k: v for k, v in label.style.items() if k not in ("bbox", "zorder")}
    t = Text(0, 0, text, ha="center", va="center", **style)
    t.set_figure(ax.figure)
    bb = t.get_window_extent(renderer)
    scale = 72 / ax.figure.dpi
    pad = 2 * 0.15 * float(t.get_fontsize()) if "bbox" in label.style else 0.0
    return bb.width * scale + pad, bb.height * scale + pad


def around(x: float, y: float, w: float, h: float, *, far: bool = False) -> list[Candidate]:
    """Candidates around an area label: on the anchor, then above/below/beside, then further;
    with ``far``, then two rings further out with a leader line."""
    offs = [
        (0, 0),
        (0, -h),
        (0, h),
        (0.6 * w, 0),
        (-0.6 * w, 0),
        (0.6 * w, -h),
        (-0.6 * w, -h),
        (0.6 * w, h),
        (-0.6 * w, h),
        (0, -2 * h),
        (0, 2 * h),
        (1.1 * w, 0),
        (-1.1 * w, 0),
    ]
    out = [(x, y, dx, dy, False) for dx, dy in offs]
    if far:
        dirs = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
        for gap in (18, 36, 60):
            out += [(x, y, ux * (w / 2 + gap), uy * (h / 2 + gap), True) for ux, uy in dirs]
    return out


def beside_marker(x: float, y: float, w: float, h: float, *, radius: float) -> list[Candidate]:
    """Candidates for a site number: the eight places around the marker, then two rings
    further out with a leader line."""
    dirs = [(1, 1), (1, 0), (1, -1), (0, 1), (0, -1), (-1, 1), (-1, 0), (-1, -1)]
    out: list[Candidate] = []
    for ring, leader in ((1.0, False), (2.4, True), (3.8, True), (5.2, True)):
        for ux, uy in dirs:
            dx = ux * (radius + w / 2) * ring
            dy = uy * (radius + h / 2) * ring
            out.append((x, y, dx, dy, leader))
    return out


@dataclass(frozen=True)
class OnAnchor:
    """Candidates of a label that stays on its anchor or is left out (a neighbour's name)."""

    x: float
    y: float

    def __call__(self, w: float, h: float) -> list[Candidate]:
        return [(self.x, self.y, 0.0, 0.0, False)]


@dataclass(frozen=True)
class Around:
    """Candidates of an area label: :func:`around` its anchor (``far``: with leader lines)."""

    x: float
    y: float
    far: bool = False

    def __call__(self, w: float, h: float) -> list[Candidate]:
        return around(self.x, self.y, w, h, far=self.far)


@dataclass(frozen=True)
class BesideMarker:
    """Candidates of a site number: :func:`beside_marker` at ``radius`` points."""

    x: float
    y: float
    radius: float

    def __call__(self, w: float, h: float) -> list[Candidate]:
        return beside_marker(self.x, self.y, w, h, radius=self.radius)


def place_labels(ax: Any, labels: Sequence[Label], markers: Sequence[tuple[float, float]]) -> int:
    """Place ``labels`` on ``ax`` avoiding each other, ``markers`` (data points) and the
    text and patches already on the axes with ``zorder >= 20`` (scale bar, north arrow).

    Returns the number of labels left out because no candidate was free.
    """
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    board = _board(ax, renderer, markers)
    dropped = 0
    for label in sorted(labels, key=lambda lb: lb.priority):  # stable: plan order within
        chosen = _choose(board, label, _options(ax, label, renderer, board.px))
        if chosen is None:
            dropped += 1
            continue
        board.taken.append(chosen[-1])
        _annotate(ax, label, chosen)
    return dropped


@dataclass
class _Board:
    """Where labels may go, in display pixels: the axes' inside, the boxes taken so far,
    the markers, and the data-to-pixel transform."""

    px: float
    inner: Box
    taken: list[Box]
    marks: list[tuple[float, float]]
    to_px: Any


_Option = tuple[bool, str, float, float, Candidate]
_Chosen = tuple[str, float, float, float, float, bool, Box]


def _board(ax: Any, renderer: Any, markers: Sequence[tuple[float, float]]) -> _Board:
    px = ax.figure.dpi / 72
    frame = ax.get_window_extent(renderer)
    taken: list[Box] = []
    for artist in [*ax.texts, *ax.patches]:
        if artist.get_zorder() >= 20 and artist.get_visible():
            if (
                hasattr(artist, "get_text")
                and not artist.get_text()
                and not hasattr(artist, "arrow_patch")
            ):
                continue
            taken.append(_grow(artist.get_window_extent(renderer), 1))
    half = MARKER_HALF * px
    to_px = ax.transData.transform
    marks = [tuple(to_px((mx, my))) for mx, my in markers]
    for cx, cy in marks:
        taken.append((cx - half, cy - half, cx + half, cy + half))
    inner = (frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1)
    return _Board(px, inner, taken, marks, to_px)


def _options(ax: Any, label: Label, renderer: Any, px: float) -> list[_Option]:
    """Every candidate of every text variant, those without a leader first."""
    texts = [label.text] if isinstance(label.text, str) else list(label.text)
    options: list[_Option] = []
    for text in texts:
        w, h = measure(ax, label, text, renderer)
        hw, hh = w * px / 2 + 0.5, h * px / 2 + 0.5
        options += [(c[4], text, hw, hh, c) for c in label.candidates(w, h)]
    options.sort(key=lambda o: o[0])  # stable: no leader first, variant order kept
    return options


def _choose(board: _Board, label: Label, options: list[_Option]) -> _Chosen | None:
    """The first candidate inside the axes, off the label's ``avoid`` box and everything
    taken, and (without a leader) not nearer another marker than its owner."""
    to_px, inner, px = board.to_px, board.inner, board.px
    avoid = None
    if label.avoid is not None:
        a0 = to_px((label.avoid[0], label.avoid[1]))
        a1 = to_px((label.avoid[2], label.avoid[3]))
        avoid = (a0[0], a0[1], a1[0], a1[1])
    owner = to_px(label.owner) if label.owner is not None else None
    for _, text, hw, hh, (x, y, dx, dy, leader) in options:
        cx, cy = to_px((x, y))
        cx, cy = cx + dx * px, cy + dy * px
        box = (cx - hw, cy - hh, cx + hw, cy + hh)
        inside = inner[0] <= box[0] and inner[1] <= box[1]
        if not (inside and box[2] <= inner[2] and box[3] <= inner[3]):
            continue
        if avoid is not None and _overlaps(box, avoid):
            continue
        if any(_overlaps(box, t) for t in board.taken):
            continue
        if owner is not None and not leader and _ambiguous(cx, cy, owner, board.marks):
            continue
        return (text, x, y, dx, dy, leader, box)
    return None


def _annotate(ax: Any, label: Label, chosen: _Chosen) -> None:
    text, x, y, dx, dy, leader, _box = chosen
    arrow = None
    if leader:
        arrow = {
            "arrowstyle": "-",
            "color": label.leader_color,
            "lw": 0.6,
            "shrinkA": 0,
            "shrinkB": 2,
        }
    ax.annotate(
        text,
        (x, y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha="center",
        va="center",
        arrowprops=arrow,
        annotation_clip=False,
        **label.style,
    )
