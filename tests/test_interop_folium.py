"""The folium bridge's object tree (no browser): every layer of our own page, named as the
page names it, with the model's feature counts; datum shift; ``m=``; offline save rules."""

from __future__ import annotations

import filecmp
import json

import folium
import pytest
from folium.plugins import Fullscreen

from maplayout.errors import BuildError
from maplayout.interop import explore, layer_names, render_html, save_offline
from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.text import ui_strings


@pytest.fixture(scope="module", params=["prefecture", "county"])
def model(request):
    return build_model(load_plan(), level=request.param)


def _groups(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.FeatureGroup)}


def _count(fg: folium.FeatureGroup, kind: type) -> int:
    n = 0
    for c in fg._children.values():
        if isinstance(c, folium.GeoJson):
            n += len(c.data["features"])
        elif type(c) is kind:
            n += 1
    return n


def test_every_page_layer_with_the_models_counts(model):
    m = model.explore(lang="en")
    names = layer_names(model, "en")
    fgs = _groups(m)
    ui = ui_strings()["en"]
    expected = {
        names["units"]: len(model.units),
        names["groups"]: len(model.groups),
        names["links"]: len(model.links),
        names["sites"]: len(model.sites),
        names["uncertainty"]: int(
            ((model.sites["precision"] != "surveyed") & (model.sites["radius_m"] > 0)).sum()
        ),
        names["context"]: len(model.context),
    }
    if model.level == "county":
        expected[names["parents"]] = model.units["parent_adcode"].nunique()
    assert names["units"] == ui[f"layer.units.{model.level}"]
    assert set(fgs) == {*expected, names["labels"]}
    kinds = {names["links"]: folium.PolyLine, names["sites"]: folium.CircleMarker}
    kinds[names["uncertainty"]] = folium.Circle
    for name, n in expected.items():
        assert _count(fgs[name], kinds.get(name, folium.GeoJson)) == n, name
    arrows = sum(isinstance(c, folium.Polygon) for c in fgs[names["links"]]._children.values())
    heads = {"forward": 1, "backward": 1, "both": 2, "none": 0}
    assert arrows == sum(heads[d] for d in model.links["direction"])
    assert sum(isinstance(c, folium.LayerControl) for c in m._children.values()) == 1


def test_styles_are_the_models_display_fills(model):
    m = model.explore()
    units = next(c for c in _groups(m)[layer_names(model)["units"]]._children.values())
    fills = [f["properties"]["fill"] for f in units.data["features"]]
    assert fills == model.units["display_fill"].tolist()


def test_gaode_shifts_to_gcj02_and_m_adds_onto_a_map(model):
    base = folium.Map(location=[28, 112], zoom_start=6, tiles=None)
    out = model.explore(base, basemap="gaode")
    assert out is base
    site = next(
        c
        for c in _groups(out)[layer_names(model)["sites"]]._children.values()
        if isinstance(c, folium.CircleMarker)
    )
    lat, lon = site.location
    wgs = model.sites.geometry.iloc[0]
    assert 0.003 < lon - wgs.x < 0.008 and -0.005 < lat - wgs.y < 0  # ~500 m east, ~300 m south
    assert not any(isinstance(c, folium.TileLayer) for c in out._children.values())
    again = model.explore(out)  # a second layout onto the same map: still one control
    assert sum(isinstance(c, folium.LayerControl) for c in again._children.values()) == 1


def test_texts_are_escaped():
    from tests.factories import EVIL, hunan_model

    html = render_html(explore(hunan_model("prefecture", evil=True)))
    assert "<img src=x onerror" not in html
    assert EVIL not in html


def test_offline_save_is_byte_identical_and_has_no_cdn_link(tmp_path):
    model = build_model(load_plan())
    a = save_offline(model.explore(), tmp_path / "a.html")
    b = save_offline(model.explore(), tmp_path / "b.html")
    assert filecmp.cmp(a, b, shallow=False)
    text = a.read_text(encoding="utf-8")
    assert "<script src=" not in text and 'rel="stylesheet" href=' not in text
    online = save_offline(model.explore(), tmp_path / "c.html", inline=False)
    assert "https://cdn.jsdelivr.net/npm/leaflet@" in online.read_text(encoding="utf-8")


def test_an_asset_no_package_ships_is_one_line(tmp_path):
    m = build_model(load_plan()).explore()
    Fullscreen().add_to(m)
    with pytest.raises(BuildError) as err:
        save_offline(m, tmp_path / "x.html")
    url = dict(Fullscreen.default_js)["Control.Fullscreen.js"]
    assert str(err.value) == (
        f"cannot save offline: no installed package ships Control.FullScreen.min.js ({url}); "
        "save with inline=False to load it from the network, or leave out what needs it"
    )
    assert not (tmp_path / "x.html").exists()
    json.dumps(m.to_dict())  # the map itself is untouched and still serialisable
