"""Label markers drawn only in view (issue #11, ``static/js/labelview.js``): a label is placed
with a 2D translate (no compositing layer of its own), is displayed only when its placement
shows it and its box meets the view padded as the paths' renderer pads it, and is at its
anchor's current position whenever it is displayed, after zooms and pans made while it was
not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.web import render_map
from tests.factories import hunan_model

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
VIEW = """([lat, lon, z]) => new Promise(r => { const m = window.maplayout.map;
  m.once('moveend', () => r()); m.setView([lat, lon], z, {animate: false}); })"""
ZOOM = """(d) => new Promise(r => { const m = window.maplayout.map; m.once('moveend', () => r());
  m.setZoom(m.getZoom() + d * m.options.zoomDelta, {animate: false}); })"""
PAN = """([dx, dy]) => new Promise(r => { const m = window.maplayout.map;
  m.once('moveend', () => r()); m.panBy([dx, dy], {animate: false}); })"""
# every label marker: displayed?, hidden by its placement?, its icon's transform, the
# position Leaflet gives its anchor now, its text box (page) and the map's box
STATE = """() => { const m = window.maplayout.map, out = [];
  const c = m.getContainer().getBoundingClientRect();
  window.maplayout.layers.labels.eachLayer(mk => {
    const e = mk.getElement(), s = e.querySelector('.ml-label-text'), r = s.getBoundingClientRect();
    const ll = mk.getLatLng(), a = m.latLngToContainerPoint(ll);
    const p = m.latLngToLayerPoint(ll).round();
    out.push({shown: e.style.display !== 'none', hidden: s.classList.contains('ml-hidden'),
      transform: e.style.transform, at: `translate(${p.x}px, ${p.y}px)`, ax: a.x, ay: a.y,
      box: [r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top]});
  });
  return {labels: out, w: c.width, h: c.height}; }"""


@pytest.fixture(scope="module")
def county_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("label-view")
    return render_map(hunan_model("county")).save(out / "county.html")


def _check(page: Any) -> list[dict[str, Any]]:
    st = page.evaluate(STATE)
    w, h, labels = st["w"], st["h"], st["labels"]
    pad = 0.1  # L.SVG's padding: the paths are drawn this far beyond the view too
    for lab in labels:
        assert "translate3d" not in lab["transform"]
        if lab["shown"]:
            assert not lab["hidden"]
            assert lab["transform"] == lab["at"]  # where its anchor is now
            x0, y0, x1, y1 = lab["box"]
            assert x1 > -pad * w and x0 < (1 + pad) * w and y1 > -pad * h and y0 < (1 + pad) * h
        elif not lab["hidden"]:  # culled: its anchor is out of the view
            assert not (0 <= lab["ax"] <= w and 0 <= lab["ay"] <= h), lab
    return labels


def test_labels_out_of_view_are_not_displayed(open_offline: Any, county_page: Path) -> None:
    rec = open_offline(county_page, width=640, height=420)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    labels = _check(page)
    assert len(labels) >= 122  # a label per county, and the groups', corridors' …
    assert sum(lab["shown"] for lab in labels) > 30  # the whole province in view
    page.evaluate(VIEW, [28.2, 112.95, 10])  # Changsha, close
    near = _check(page)
    shown = {i for i, lab in enumerate(near) if lab["shown"]}
    assert 0 < len(shown) < 40
    # zoomed and panned while most were not displayed: those displayed now are where they belong
    page.evaluate(ZOOM, -1)
    page.evaluate(PAN, [-600, 350])
    page.evaluate(ZOOM, 1)
    moved = _check(page)
    assert {i for i, lab in enumerate(moved) if lab["shown"]} - shown
    page.evaluate(VIEW, [27.6, 111.7, 6.5])
    assert sum(lab["shown"] for lab in _check(page)) > 30
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


def test_the_labels_layer_shown_again_is_culled_again(open_offline: Any, county_page: Path) -> None:
    rec = open_offline(county_page, width=640, height=420)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    page.evaluate(VIEW, [28.2, 112.95, 10])
    before = [lab["shown"] for lab in _check(page)]
    page.evaluate(
        "() => { const m = window.maplayout.map, l = window.maplayout.layers.labels;"
        " m.removeLayer(l); m.addLayer(l); m.fire('overlayadd', {layer: l}); }"
    )
    assert [lab["shown"] for lab in _check(page)] == before
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []
