"""Figures that scale (issue #13): the label placer's work grows about linearly (a grid, not
a scan of everything placed), with the same placements as the scan; many sites are drawn as
collections; the site key never overflows silently; data layers are drawn as points or counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from maplayout.print import labels as placer
from maplayout.print.labels import BesideMarker, Label, PlacerStats, place_labels


def _axes(scale: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8 * scale, 6 * scale), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
    ax.set_xlim(0, 1000 * scale)
    ax.set_ylim(0, 750 * scale)
    return ax


def _scatter(n: int, scale: float, seed: int = 5) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    xs, ys = rng.uniform(0, 1000 * scale, n), rng.uniform(0, 750 * scale, n)
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def _place(n: int, scale: float = 1.0) -> tuple[PlacerStats, list[tuple[str, Any, Any]]]:
    """``n`` numbered markers on a page ``scale`` times as wide and high (same density
    for ``n`` ∝ ``scale``²)."""
    ax = _axes(scale)
    marks = _scatter(n, scale)
    labels = [
        Label(str(i), 4, BesideMarker(x, y, 6.0), {"fontsize": 6.5}, owner=(x, y))
        for i, (x, y) in enumerate(marks, start=1)
    ]
    stats = PlacerStats()
    dropped = place_labels(ax, labels, marks, stats=stats)
    assert stats.dropped == dropped and stats.placed + dropped == n
    placed = [(t.get_text(), t.xy, t.xyann) for t in ax.texts]
    return stats, placed


def test_the_grid_places_exactly_what_a_scan_of_everything_places(monkeypatch):
    _, grid = _place(400)
    monkeypatch.setattr(placer, "CELL", 1e9)  # one cell: every box tested, as before the grid
    _, scan = _place(400)
    assert grid == scan
    assert len(grid) > 100  # a real, crowded placement, not an empty one


def test_overlap_tests_grow_about_linearly_not_quadratically():
    small, _ = _place(250)
    large, _ = _place(1000, scale=2.0)  # as crowded, four times as many
    # four times the labels: a scan of everything taken does ~16x the overlap tests
    # (10.8 million for 1,000 sites); the grid stays near 4x
    assert large.candidates > 3 * small.candidates
    per_candidate_small = small.overlap_tests / small.candidates
    per_candidate_large = large.overlap_tests / large.candidates
    assert per_candidate_large < 2 * per_candidate_small
    assert large.overlap_tests < 6 * small.overlap_tests
    assert large.distance_tests < 6 * small.distance_tests


def test_a_one_cell_grid_is_the_quadratic_scan(monkeypatch):
    grid, _ = _place(400)
    monkeypatch.setattr(placer, "CELL", 1e9)
    scan, _ = _place(400)
    assert scan.candidates == grid.candidates
    assert scan.overlap_tests > 10 * grid.overlap_tests


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n):
    stats, placed = _place(n)
    assert stats.placed == len(placed) == n
