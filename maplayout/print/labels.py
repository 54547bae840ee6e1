"""A small deterministic label placer for :mod:`maplayout.print.figure`.

Labels are placed in priority order (unit names, group names, corridor functions, site
numbers, neighbouring provinces). Each label has a list of candidate positions; the first
one whose box (measured with the figure's renderer, in display pixels) stays inside the
axes and overlaps neither a fixed artist (scale bar, north arrow), a site marker nor a label
already placed wins. A label with no free candidate is left out. Candidates far from their
anchor get a thin leader line. No randomness: identical input gives identical placement.

The boxes taken and the markers are kept in a uniform grid of :data:`CELL` pixel cells
(:class:`_Grid`), so a candidate is tested only against the boxes and markers in the cells
it touches, not against everything placed so far: at a given density the work grows about
linearly with the number of labels, not quadratically (1,000 sites cost 10.8 million
overlap tests before the grid). The grid answers exactly what the scan answered, so the
placements are unchanged. :class:`PlacerStats` counts the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Around", "BesideMarker", "Label", "OnAnchor", "PlacerStats", "place_labels"]

#: Priorities (lower is placed first).
UNIT, GROUP, LINK, SITE, CONTEXT = 1, 2, 3, 4, 5

#: Half the side of the box kept free around a site marker (a 7 pt marker and its edge), pt.
MARKER_HALF = 4.5

#: The side of a cell of the placer's grid, in display pixels (about two site numbers).
CELL = 24.0

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
    ``measure_as`` is a text of the same size measured instead (``"000"`` for site number
    ``"127"``: the bundled font's figures are tabular), so many labels share one measurement.
    ``plain_leader``: the leader line is a straight segment from the label box's edge to the
    anchor, drawn with the other plain leaders as one line collection (no arrow patch per
    label, which matplotlib clips against the label's box at every draw).
    """

    text: str | Sequence[str]
    priority: int
    candidates: Callable[[float, float], list[Candidate]]
    style: dict[str, Any] = field(default_factory=dict)
    leader_color: str = "#444444"
    avoid: Sequence[float] | None = None
    owner: tuple[float, float] | None = None
    measure_as: str | None = None
    plain_leader: bool = False


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


@dataclass
class PlacerStats:
    """What :func:`place_labels` did: labels placed and left out, candidates tried, and the
    box-overlap and marker-distance tests the grid let through (the work that was quadratic)."""

    placed: int = 0
    dropped: int = 0
    candidates: int = 0
    overlap_tests: int = 0  # box tests done (up to the first overlap)
    distance_tests: int = 0  # markers looked at for a number's owner


def _cells(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
    i0, i1 = math.floor(x0 / CELL), math.floor(x1 / CELL)
    j0, j1 = math.floor(y0 / CELL), math.floor(y1 / CELL)
    return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]


class _Grid:
    """Boxes (or points) filed under every :data:`CELL` cell they touch."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.items: list[Box] = []

    def add(self, box: Box) -> None:
        index = len(self.items)
        self.items.append(box)
        for cell in _cells(*box):
            self.cells.setdefault(cell, []).append(index)

    def near(self, box: Box) -> set[int]:
        """The indices of the items in the cells ``box`` touches."""
        found: set[int] = set()
        for cell in _cells(*box):
            found.update(self.cells.get(cell, ()))
        return found


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


#: The rings of candidates around a site marker: distance (in marker radii + half the
#: label) and whether a leader line joins the label to the marker.
RINGS = ((1.0, False), (2.4, True), (3.8, True), (5.2, True))


def beside_marker(
    x: float, y: float, w: float, h: float, *, radius: float, rings: int = len(RINGS)
) -> list[Candidate]:
    """Candidates for a site number: the eight places around the marker, then (``rings`` >
    1) rings further out with a leader line."""
    dirs = [(1, 1), (1, 0), (1, -1), (0, 1), (0, -1), (-1, 1), (-1, 0), (-1, -1)]
    out: list[Candidate] = []
    for ring, leader in RINGS[:rings]:
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
    """Candidates of a site number: :func:`beside_marker` at ``radius`` points, on the
    first ``rings`` rings of :data:`RINGS`."""

    x: float
    y: float
    radius: float
    rings: int = len(RINGS)

    def __call__(self, w: float, h: float) -> list[Candidate]:
        return beside_marker(self.x, self.y, w, h, radius=self.radius, rings=self.rings)


def place_labels(
    ax: Any,
    labels: Sequence[Label],
    markers: Sequence[tuple[float, float]],
    *,
    stats: PlacerStats | None = None,
) -> int:
    """Place ``labels`` on ``ax`` avoiding each other, ``markers`` (data points) and the
    text and patches already on the axes with ``zorder >= 20`` (scale bar, north arrow).

    Returns the number of labels left out because no candidate was free; ``stats``, if
    given, is filled in with what the placement did.
    """
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    board = _board(ax, renderer, markers, stats if stats is not None else PlacerStats())
    dropped = 0
    sizes: dict[str, tuple[float, float]] = {}
    plain: list[tuple[Label, _Chosen]] = []
    for label in sorted(labels, key=lambda lb: lb.priority):  # stable: plan order within
        chosen = _choose(board, label, _options(ax, label, renderer, board.px, sizes))
        if chosen is None:
            dropped += 1
            continue
        board.taken.add(chosen[-1])
        if label.plain_leader and chosen[5]:
            plain.append((label, chosen))
            chosen = (*chosen[:5], False, chosen[6])
        _annotate(ax, label, chosen)
    if plain:
        _plain_leaders(ax, board, plain)
    board.stats.dropped += dropped
    board.stats.placed += len(labels) - dropped
    return dropped


@dataclass
class _Board:
    """Where labels may go, in display pixels: the axes' inside, the boxes taken so far and
    the markers (each in a :class:`_Grid`), and the data-to-pixel transform."""

    px: float
    inner: Box
    taken: _Grid
    marks: _Grid
    to_px: Any
    stats: PlacerStats

    def free(self, box: Box) -> bool:
        """True when ``box`` overlaps nothing taken (cell by cell, stopping at the first
        overlap; a box filed under two cells may be tested twice, which changes nothing)."""
        items, cells, stats = self.taken.items, self.taken.cells, self.stats
        for cell in _cells(*box):
            for i in cells.get(cell, ()):
                stats.overlap_tests += 1
                if _overlaps(box, items[i]):
                    return False
        return True

    def ambiguous(self, cx: float, cy: float, owner: tuple[float, float]) -> bool:
        """True when another marker is nearer to (cx, cy) than ``owner`` (pixels): only the
        markers within that distance's square can be."""
        reach = math.hypot(cx - owner[0], cy - owner[1]) + 1.0  # a pixel spare: rounding
        near = self.marks.near((cx - reach, cy - reach, cx + reach, cy + reach))
        self.stats.distance_tests += len(near)
        items = self.marks.items
        return _ambiguous(cx, cy, owner, [items[i][:2] for i in sorted(near)])


_Option = tuple[bool, str, float, float, Candidate]
_Chosen = tuple[str, float, float, float, float, bool, Box]


def _board(
    ax: Any, renderer: Any, markers: Sequence[tuple[float, float]], stats: PlacerStats
) -> _Board:
    px = ax.figure.dpi / 72
    frame = ax.get_window_extent(renderer)
    taken = _Grid()
    for artist in [*ax.texts, *ax.patches]:
        if artist.get_zorder() >= 20 and artist.get_visible():
            if (
                hasattr(artist, "get_text")
                and not artist.get_text()
                and not hasattr(artist, "arrow_patch")
            ):
                continue
            taken.add(_grow(artist.get_window_extent(renderer), 1))
    half = MARKER_HALF * px
    to_px = ax.transData.transform
    marks = _Grid()
    if len(markers):
        import numpy as np

        for cx, cy in to_px(np.asarray(markers, dtype=float)).tolist():
            marks.add((cx, cy, cx, cy))
            taken.add((cx - half, cy - half, cx + half, cy + half))
    inner = (frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1)
    return _Board(px, inner, taken, marks, to_px, stats)


def _options(
    ax: Any, label: Label, renderer: Any, px: float, sizes: dict[str, tuple[float, float]]
) -> list[_Option]:
    """Every candidate of every text variant, those without a leader first. ``sizes``
    keeps the measurements of this placement, by text and style."""
    texts = [label.text] if isinstance(label.text, str) else list(label.text)
    options: list[_Option] = []
    for text in texts:
        probe = label.measure_as or text
        key = repr((probe, sorted(label.style.items())))
        if key not in sizes:
            sizes[key] = measure(ax, label, probe, renderer)
        w, h = sizes[key]
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
    anchors: dict[tuple[float, float], Any] = {}  # a label's candidates share an anchor
    for _, text, hw, hh, (x, y, dx, dy, leader) in options:
        board.stats.candidates += 1
        if (x, y) not in anchors:
            anchors[(x, y)] = to_px((x, y))
        cx, cy = anchors[(x, y)]
        cx, cy = cx + dx * px, cy + dy * px
        box = (cx - hw, cy - hh, cx + hw, cy + hh)
        inside = inner[0] <= box[0] and inner[1] <= box[1]
        if not (inside and box[2] <= inner[2] and box[3] <= inner[3]):
            continue
        if avoid is not None and _overlaps(box, avoid):
            continue
        if not board.free(box):
            continue
        if owner is not None and not leader and board.ambiguous(cx, cy, owner):
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


def _plain_leaders(ax: Any, board: _Board, plain: list[tuple[Label, _Chosen]]) -> None:
    """One line collection of straight leaders: from 2 pt off each label's box to 2 pt off
    its anchor (as the annotation arrows' ``shrinkB``), in data coordinates."""
    import numpy as np
    from matplotlib.collections import LineCollection

    gap = 2 * board.px
    ends = []
    for _, (_, x, y, _, _, _, box) in plain:
        ax_, ay_ = board.to_px((x, y))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        ux, uy = ax_ - cx, ay_ - cy
        length = math.hypot(ux, uy) or 1.0
        hw, hh = (box[2] - box[0]) / 2 + gap, (box[3] - box[1]) / 2 + gap
        t = min(hw / abs(ux) if ux else math.inf, hh / abs(uy) if uy else math.inf, 1.0)
        shrink = min(gap / length, 1.0 - t)
        ends.append([(cx + ux * t, cy + uy * t), (ax_ - ux * shrink, ay_ - uy * shrink)])
    inverse = ax.transData.inverted()
    segments = inverse.transform(np.asarray(ends, dtype=float).reshape(-1, 2)).reshape(-1, 2, 2)
    first = plain[0][0]
    ax.add_collection(
        LineCollection(
            list(segments),
            colors=[label.leader_color for label, _ in plain],
            linewidths=0.6,
            zorder=first.style.get("zorder", 13),
        ),
        autolim=False,
    )
