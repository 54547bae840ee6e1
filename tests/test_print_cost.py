"""The print figure's shortcuts give what the long way gives: projected frames, font coverage,
the county view's prefecture borders, the collector's state (issue #13, figure CPU)."""

from __future__ import annotations

import gc
import threading

import pytest
import shapely

from maplayout.print import figure as figure_module
from maplayout.print import fonts, layers, shapes
from maplayout.print.figure import draw_figure, local_crs, make_figures
from maplayout.print.fonts import bundled_font_files
from tests.factories import tiny_model


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.fixture(scope="module")
def county_model():
    from maplayout.model import build_model

    return build_model(None, level="county")


def test_to_local_is_to_crs_with_the_same_coordinates(county_model):
    crs = local_crs(county_model)
    for name in ("units", "groups", "context", "links", "sites"):
        frame = getattr(county_model, name)
        mine, theirs = shapes.to_local(frame, crs), frame.to_crs(crs)
        assert mine.crs.is_exact_same(theirs.crs), name
        assert list(mine.columns) == list(theirs.columns), name
        assert list(mine.index) == list(theirs.index), name
        # the same pyproj operation on the same numbers: equal to the last bit
        assert [g.wkb for g in mine.geometry] == [g.wkb for g in theirs.geometry], name
        assert mine.drop(columns="geometry").equals(theirs.drop(columns="geometry")), name
        assert frame.crs.is_exact_same("EPSG:4326")  # the input is left as it was


def test_to_local_of_a_projected_frame_is_a_copy(county_model):
    crs = local_crs(county_model)
    once = shapes.to_local(county_model.units, crs)
    twice = shapes.to_local(once, crs)
    assert twice is not once
    assert [g.wkb for g in twice.geometry] == [g.wkb for g in once.geometry]


def test_one_transformer_per_crs_pair_and_thread(model):
    crs = local_crs(model)
    first = shapes._transformer("EPSG:4326", crs)
    assert shapes._transformer("EPSG:4326", crs) is first
    other: list[object] = []
    worker = threading.Thread(target=lambda: other.append(shapes._transformer("EPSG:4326", crs)))
    worker.start()
    worker.join()
    assert other[0] is not first  # pyproj transformers are not shared across threads
    lon, lat = 112.9, 28.2
    assert shapes.project([(lon, lat)], crs) == [first.transform(lon, lat)]


@pytest.mark.parametrize("face", [0, 1], ids=["regular", "bold"])
def test_font_coverage_is_the_fonts_best_cmap(face):
    from fontTools.ttLib import TTFont

    path = bundled_font_files()[face]
    font = TTFont(str(path), lazy=True)
    try:
        expected = frozenset(font.getBestCmap())
    finally:
        font.close()
    assert fonts._cmap(path) == expected
    assert ord("湘") in expected and ord("A") in expected


def test_county_borders_are_dissolved_once_per_figure(county_model, monkeypatch):
    calls: list[int] = []
    dissolve = layers._dissolve

    def counted(units):
        calls.append(len(units))
        return dissolve(units)

    monkeypatch.setattr(layers, "_dissolve", counted)
    layers._LAST_BORDERS[:] = [None, []]
    fig = draw_figure(county_model)
    assert calls == [len(county_model.units)]  # the map and its inset share it
    assert len(fig.axes) >= 4  # map, legend, inset, key
    borders = layers._prefecture_borders(county_model.units)
    assert len(calls) == 2  # another frame (the model's own), dissolved anew
    assert len(borders) == county_model.units["parent_adcode"].nunique()


def test_borders_are_geopandas_dissolve(county_model):
    units = county_model.units.copy()
    expected = units.dissolve(by="parent_adcode").geometry
    assert [g.wkb for g in layers._dissolve(units)] == [g.wkb for g in expected]
    units.loc[units.index[:3], "parent_adcode"] = None  # no parent: left out, as dissolve does
    units.loc[units.index[3], "parent_adcode"] = "100000"  # sorted first
    expected = units.dissolve(by="parent_adcode").geometry
    assert [g.wkb for g in layers._dissolve(units)] == [g.wkb for g in expected]


@pytest.mark.parametrize("enabled", [True, False])
def test_figures_draw_without_the_collector_and_leave_its_state(
    model, tmp_path, monkeypatch, enabled
):
    seen: list[bool] = []
    draw = figure_module._draw_covered

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return draw(*args, **kwargs)

    monkeypatch.setattr(figure_module, "_draw_covered", watched)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        make_figures(model, [tmp_path / "f.png"], dpi=50)
        assert gc.isenabled() is enabled
        with pytest.raises(Exception, match="boom"):  # restored on errors too
            monkeypatch.setattr(figure_module, "_draw_covered", _boom)
            make_figures(model, [tmp_path / "g.png"], dpi=50)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
    assert (tmp_path / "f.png").stat().st_size > 0
    assert not (tmp_path / "g.png").exists()


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


def test_projected_shapes_keep_their_rings(model):
    """``to_local`` moves every ring of a (Multi)Polygon, holes included."""
    import geopandas

    crs = local_crs(model)
    hole = shapely.Polygon(
        [(112, 28), (113, 28), (113, 29), (112, 29)],
        [[(112.4, 28.4), (112.6, 28.4), (112.5, 28.6)]],
    )
    frame = geopandas.GeoDataFrame({"id": ["a"]}, geometry=[hole], crs="EPSG:4326")
    mine, theirs = shapes.to_local(frame, crs), frame.to_crs(crs)
    assert mine.geometry[0].wkb == theirs.geometry[0].wkb
    assert len(mine.geometry[0].interiors) == 1


def test_to_local_of_empty_and_missing_shapes(model):
    import geopandas

    crs = local_crs(model)
    empty = geopandas.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326")
    assert len(shapes.to_local(empty, crs)) == 0
    assert shapes.to_local(empty, crs).crs.is_exact_same(crs)
    shapes_ = [None, shapely.Point(112.9, 28.2), shapely.Polygon()]
    frame = geopandas.GeoDataFrame({"id": [1, 2, 3]}, geometry=shapes_, crs="EPSG:4326")
    mine, theirs = shapes.to_local(frame, crs), frame.to_crs(crs)
    assert [g if g is None else g.wkb for g in mine.geometry] == [
        g if g is None else g.wkb for g in theirs.geometry
    ]
    assert mine.geometry.iloc[0] is None and mine.geometry.iloc[2].is_empty
