"""Figures that scale (issue #13): the label placer's work grows about linearly (a grid, not
a scan of everything placed), with the same placements as the scan; many sites are drawn as
collections; the site key never overflows silently; data layers are drawn as points or counts."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _svgtext import svg_text_lines, svg_texts

from maplayout.model import LayoutModel, build_model
from maplayout.plan import check_plan, load_plan, load_plan_text
from maplayout.print import (
    COUNT_DIAMETER,
    PAPERS,
    RASTER_POINTS,
    choose_font,
    draw_figure,
    key_pages,
    make_figure,
    make_figures,
    point_diameter,
)
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


# -- the figure with many sites, the continued key and the data layers ----------------------

ROOT = Path(__file__).resolve().parents[1]


def _bench_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_points = _bench_module("make_points")


@pytest.fixture(scope="module")
def sites300() -> LayoutModel:
    """The default plan with 300 generated sites (310 sites in all)."""
    return build_model(load_plan_text(make_points.site_plan(300)))


def _map_axes(fig: Any) -> Any:
    return fig.axes[0]


def _offsets(ax: Any) -> int:
    from matplotlib.collections import PathCollection

    found = [np.asarray(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)]
    return sum(len(f) for f in found)


def test_300_sites_every_marker_on_the_map_every_entry_in_the_pdf(sites300, tmp_path):
    n = len(sites300.sites)
    assert n == 310
    svg, pdf = make_figures(sites300, [tmp_path / "f.svg", tmp_path / "f.pdf"], dpi=72)
    # the map: every site a marker (one scatter per marker shape, not 310 artists)
    fig = draw_figure(sites300)
    assert _offsets(_map_axes(fig)) == n
    assert len(_map_axes(fig).lines) + len(_map_axes(fig).collections) < 20
    # the PDF: the first page and continuation pages list every entry once, in order
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    names = re.findall(r"(\d+)  ?(企业\d{5}|[^\s(]+) \(±", text)
    numbers = [int(num) for num, _ in names]
    assert numbers == list(range(1, n + 1))  # every entry once, in order
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(pdf)).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    assert "地点（续）" in text
    # the SVG: the first page's entries, then a note saying where the rest are
    lines = svg_text_lines(svg)
    shown = [int(m.group(1)) for t in lines if (m := re.match(r"(\d+) +\S.* \(±", t))]
    assert shown == list(range(1, len(shown) + 1)) and len(shown) > 10
    note = [t for t in lines if "见 PDF 版第" in t]
    assert len(note) == 1
    first, last = (int(v) for v in re.findall(r"(\d+)–(\d+)", note[0])[0])
    assert first == max(shown) + 1 and last == n
    assert f"第 2–{pages} 页" in note[0] or (pages == 2 and "第 2 页" in note[0])


def _pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def test_the_key_fits_its_box_on_the_first_page(sites300):
    fig = draw_figure(sites300)
    key = fig.axes[-1]
    renderer = fig.canvas.get_renderer()
    body = max(key.texts, key=lambda t: len(t.get_text()))
    assert body.get_window_extent(renderer).y0 >= key.get_window_extent(renderer).y0 - 0.5


def test_key_pages_keep_every_entry_once_in_order():
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=PAPERS["A4-landscape"], dpi=100)
    FigureCanvasAgg(fig)
    entries = [f"{i}  地点{i}" + ("\n    第二行" if i % 7 == 0 else "") for i in range(1, 2001)]
    with matplotlib.rc_context({"font.family": choose_font(None).families}):
        pages = key_pages(fig, entries)
    assert [e for page in pages for column in page for e in column] == entries
    assert all(1 <= len(page) <= 5 for page in pages)
    assert len(pages) > 1 and all(len(page) == 5 for page in pages[:-1])


@pytest.fixture(scope="module")
def layer_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("layers")
    (folder / "firms.csv").write_text(make_points.points_csv(2500), encoding="utf-8")
    return folder


def _layer_model(folder: Path, figure: str, lang_label: str = "企业") -> LayoutModel:
    plan = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
    entry = (
        "\nlayers:\n  - id: firms\n    file: firms.csv\n"
        f"    label: {{zh-Hans: {lang_label}, en: Firms}}\n    datum: GCJ-02\n"
        f"    style: {{figure: {figure}}}\n"
        "    data_source: {title: {zh-Hans: 合成企业名录, en: Synthetic register}, date: 2024-05}\n"
    )
    path = folder / f"plan-{figure}.yaml"
    path.write_text(plan.replace("\nsites:\n", entry + "sites:\n", 1), encoding="utf-8")
    return build_model(load_plan(path))


def test_a_points_layer_is_one_rasterised_scatter_with_a_legend_row_and_its_source(
    layer_folder, tmp_path
):
    model = _layer_model(layer_folder, "points")
    fig = draw_figure(model)
    ax = _map_axes(fig)
    layer = [c for c in ax.collections if len(c.get_offsets()) == 2500]
    assert len(layer) == 1 and layer[0].get_rasterized()  # 2,500 > RASTER_POINTS
    assert RASTER_POINTS < 2500
    svg = make_figure(model, tmp_path / "f.svg")
    texts = svg_texts(svg)
    assert "企业（2,500 个）" in texts
    assert not any("企业0" in t for t in texts)  # never the points' names
    source = [t for t in texts if "WGS-84" in t]
    assert source and source[0].endswith("图层数据：合成企业名录（2024-05）")
    assert "<image" in svg.read_text("utf-8")  # the points are one image in the SVG
    en = svg_texts(make_figure(model, tmp_path / "en.svg", lang="en"))
    assert "Firms (2,500)" in en
    assert any(t.endswith("Layer data: Synthetic register (2024-05)") for t in en)


def test_a_counts_layer_is_one_circle_per_unit_with_area_as_its_count(layer_folder, tmp_path):
    model = _layer_model(layer_folder, "counts")
    counts = model.layer_counts
    assert counts is not None
    per_unit = counts[(counts["scope"] == "unit") & (counts["key"] != "")]
    fig = draw_figure(model)
    ax = _map_axes(fig)
    circles = [c for c in ax.collections if len(c.get_offsets()) == len(per_unit)]
    assert len(circles) == 1
    sizes = np.sort(circles[0].get_sizes())
    expected = np.sort(per_unit["count"].to_numpy(dtype=float))
    assert np.allclose(sizes / sizes.max(), expected / expected.max())
    assert sizes.max() == pytest.approx(COUNT_DIAMETER**2)
    assert not any(len(c.get_offsets()) == 2500 for c in ax.collections)  # no points drawn
    lines = svg_text_lines(make_figure(model, tmp_path / "f.svg"))
    largest = f"{int(expected.max()):,}"
    row = f"企业（2,500 个；圆面积示各区数量，最多 {largest}）"
    assert row.replace(" ", "") in "".join(lines).replace(" ", "")  # wrapped over lines


def test_dense_point_layers_shrink_their_markers():
    assert point_diameter(3.0, 100) == pytest.approx(4.5)
    assert point_diameter(3.0, 20_000) == pytest.approx(4.5 * (2000 / 20_000) ** 0.5)
    assert point_diameter(1.0, 200_000) == 1.2


def test_a_bad_figure_mode_is_one_line_naming_the_choices(tmp_path):
    plan = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
    (tmp_path / "f.csv").write_text("name,lng,lat\n甲,113.0,28.2\n", "utf-8")
    entry = (
        "\nlayers:\n  - id: f\n    file: f.csv\n    label: {zh-Hans: 甲, en: A}\n"
        "    datum: WGS-84\n    style: {figure: count}\n"
        "    data_source: {title: {zh-Hans: 甲, en: A}}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(plan.replace("\nsites:\n", entry + "sites:\n", 1), encoding="utf-8")
    _, problems = check_plan(path)
    messages = [str(p).replace(str(tmp_path) + "/", "") for p in problems]
    assert messages == [
        "plan.yaml:34: layers[0].style.figure: unknown figure mode 'count'; "
        "expected one of points, counts; closest: counts, points"
    ]


def test_the_figure_benchmark_measures_a_small_layer(tmp_path, monkeypatch):
    bench = _bench_module("figure_scaling")
    row = bench.measure("points:100", 1)
    assert row["sites"] == 10 and float(row["png"]) > 0 and float(row["all"]) >= float(row["png"])
    assert row["pages"] == 1 and set(row["bytes"]) == {"svg", "pdf", "png"}
    out = bench.table([row], naive=2.0)
    assert "| 100-point layer, points |" in out
    # --write-docs replaces only its own section
    doc = tmp_path / "docs" / "reports.md"
    doc.parent.mkdir()
    doc.write_text("# R\n\n### Figure scaling\n\nold\n\n### Next\n\nkept\n", encoding="utf-8")
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    bench.write_docs("new table")
    assert doc.read_text("utf-8") == "# R\n\n### Figure scaling\n\nnew table\n\n### Next\n\nkept\n"


def test_portrait_english_key_note_and_pages(sites300, tmp_path):
    png, pdf = make_figures(
        sites300, [tmp_path / "f.svg", tmp_path / "f.pdf"], paper="A4-portrait", lang="en"
    )
    note = [t for t in svg_text_lines(png) if "of the PDF figure" in t]
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(pdf)).group(1))  # type: ignore[union-attr]
    assert len(note) == 1 and pages == 3
    assert re.fullmatch(r"Sites (\d+)–310: see pages 2–3 of the PDF figure", note[0])
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert [int(n) for n in re.findall(r"(\d+) +Company \d{5} \(±", text)] == list(range(1, 301))
