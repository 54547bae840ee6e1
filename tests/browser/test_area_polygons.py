"""Area polygons cheap on a zoom step (issue #11 part 6, ``static/js/area.js``): the page's
units, prefectures, provinces, groups and context draw exactly the SVG paths Leaflet's own
``L.polygon`` draws from the same outlines, at every zoom and after pans (clipped at the
view's edge), while only the shapes in view are projected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.web import render_map
from tests.factories import hunan_model

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
VIEW = """([lat, lon, z]) => new Promise(r => { const m = window.maplayout.map;
  m.once('zoomend', () => r()); m.setView([lat, lon], z, {animate: false}); })"""
MOVE = """([lat, lon, z]) => new Promise(r => { const m = window.maplayout.map;
  m.once('moveend', () => r()); m.setView([lat, lon], z, {animate: false}); })"""
PAN = """([dx, dy]) => new Promise(r => { const m = window.maplayout.map;
  m.once('moveend', () => r()); m.panBy([dx, dy], {animate: false}); })"""
# each drawn area beside a plain Leaflet polygon of the same outline, options and pane
TWINS = """() => { const m = window.maplayout.map, out = [];
  for (const k of ['units', 'parents', 'context', 'groups']) {
    window.maplayout.layers[k].eachLayer(l => {
      if (!m.hasLayer(l)) return;
      const twin = L.polygon(l.getLatLngs(), Object.assign({}, l.options, {interactive: false}));
      window.__twins = (window.__twins || []).concat([[l, twin.addTo(m)]]);
    });
  }
  return window.__twins.length; }"""
PATHS = """() => window.__twins.map(([l, t]) =>
  [l.feature ? l.feature.id : '', l.getElement().getAttribute('d'),
   t.getElement().getAttribute('d')])"""
PROJECTED = """() => { let n = 0, all = 0; window.maplayout.layers.units.eachLayer(l => {
  all += 1; if (l._rings) n += 1; }); return [n, all]; }"""


@pytest.fixture(scope="module")
def county_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("area-polygons")
    return render_map(hunan_model("county")).save(out / "county.html")


def _same_paths(page: Any) -> int:
    rows = page.evaluate(PATHS)
    differ = [r[0] for r in rows if r[1] != r[2]]
    assert differ == [], differ[:5]
    return sum(1 for r in rows if r[1] not in ("M0 0", ""))


def test_areas_draw_the_paths_of_leaflet_polygons(open_offline: Any, county_page: Path) -> None:
    rec = open_offline(county_page, width=900, height=600)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    assert page.evaluate(TWINS) > 100
    assert _same_paths(page) > 100  # the whole province in view
    for lat, lon, z in ((28.2, 112.95, 8.5), (27.3, 110.5, 10), (28.2, 112.95, 12.25)):
        page.evaluate(VIEW, [lat, lon, z])
        drawn = _same_paths(page)
        assert 0 < drawn < 122
        page.evaluate(PAN, [260, -170])  # the clip bounds move with the view
        assert _same_paths(page) > 0
        page.evaluate(VIEW, [lat, lon, z - 0.25])
        _same_paths(page)
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


def test_only_the_areas_in_view_are_projected(open_offline: Any, county_page: Path) -> None:
    rec = open_offline(county_page, width=900, height=600)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    projected, total = page.evaluate(PROJECTED)
    assert projected == total == 122  # the whole province in view
    page.evaluate(VIEW, [28.2, 112.95, 11])  # Changsha, close
    projected, total = page.evaluate(PROJECTED)
    assert 0 < projected < total / 4
    # panned back over the others: they are projected (and drawn) then
    page.evaluate(MOVE, [27.3, 110.5, 11])
    ids = page.evaluate(
        """() => { const m = window.maplayout.map, out = [];
          window.maplayout.layers.units.eachLayer(l => {
            if (m.getBounds().intersects(l.getBounds())) out.push(
              [l.feature.id, !!l._rings, l.getElement().getAttribute('d').length]); });
          return out; }"""
    )
    assert ids and all(has and n > 4 for _id, has, n in ids)


# rings of random points (a seeded generator: pixel-like integers, fractions, repeats, short
# rings), simplified by the page's areas and by Leaflet's L.LineUtil.simplify
SIMPLIFY = """() => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const proto = Object.getPrototypeOf(window.maplayout.layers.units.getLayers()[0]);
  const out = {rings: 0, points: 0, kept: 0, differ: []};
  for (const tol of [1, 2.5, 0.4]) {
    for (let k = 0; k < 300; k++) {
      const n = k < 6 ? k : 3 + Math.floor(rnd() * 400), pts = [];
      let x = 0, y = 0;
      for (let i = 0; i < n; i++) {
        const step = rnd() < 0.3 ? 0 : rnd() * 6;
        x += (rnd() - 0.5) * step; y += (rnd() - 0.5) * step;
        pts.push(L.point(k % 2 ? Math.round(x) : x, k % 2 ? Math.round(y) : y));
      }
      const own = {_parts: [pts.slice()], options: {smoothFactor: tol}};
      proto._simplifyPoints.call(own);
      const want = L.LineUtil.simplify(pts, tol);
      out.rings += 1; out.points += n; out.kept += want.length;
      if (own._parts[0].length !== want.length || own._parts[0].some((p, i) => p !== want[i]))
        out.differ.push([tol, k]);
    }
  }
  return out; }"""


def test_areas_simplify_as_leaflet_does(open_offline: Any, county_page: Path) -> None:
    rec = open_offline(county_page, width=900, height=600)
    rec.page.wait_for_function(READY, timeout=5000)
    got = rec.page.evaluate(SIMPLIFY)
    assert got["differ"] == []
    assert got["rings"] == 900 and 0 < got["kept"] < got["points"] / 2  # it did simplify


# each unit's area beside L.polygon made from its decoded rings as plain [lat, lon] pairs: the
# same latlngs (closing vertices dropped alike) and the same bounds
CONVERTED = """() => { const ml = window.maplayout, byId = {}, out = {n: 0, differ: []};
  ml.data.units.forEach(u => { byId[u.id] = u; });
  ml.layers.units.eachLayer(l => {
    const u = byId[l.feature.id];
    const twin = L.polygon(u.g.map(p => p.map(r => ml.decode(r))));
    const flat = x => JSON.stringify(x, (k, v) => v instanceof L.LatLng ? [v.lat, v.lng] : v);
    out.n += 1;
    if (flat(l.getLatLngs()) !== flat(twin.getLatLngs()) ||
        flat(l.getBounds()) !== flat(twin.getBounds())) out.differ.push(u.id);
  });
  return out; }"""


def test_areas_keep_the_latlngs_and_bounds_of_leaflet_polygons(
    open_offline: Any, county_page: Path
) -> None:
    rec = open_offline(county_page, width=900, height=600)
    rec.page.wait_for_function(READY, timeout=5000)
    got = rec.page.evaluate(CONVERTED)
    assert got["differ"] == [] and got["n"] == 122
