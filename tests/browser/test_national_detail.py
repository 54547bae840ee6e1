"""County detail per province on the national page (issue #11 part 6): a county view spanning
several provinces draws provinces and prefectures, and decodes and draws a province's counties
only when the view zooms in on it (or a search selects one of them).

Real national boundaries are not needed to check the mechanism: the page is built from
Hunan's county model with each prefecture taken as a "province" (``payload._province_of``),
so the same code paths run on 14 chunks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.web import payload, render_map
from tests.factories import hunan_model

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
ZOOM_TO = """([lat, lon, z]) => new Promise(r => { const m = window.maplayout.map;
  m.once('zoomend', () => r()); m.setView([lat, lon], z, {animate: false}); })"""


@pytest.fixture(scope="module")
def split_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setattr(payload, "_province_of", lambda adcode: adcode[:4] + "00")
    try:
        page = render_map(hunan_model("county"))
    finally:
        mp.undo()
    return page.save(tmp_path_factory.mktemp("national-detail") / "split.html")


def _counts(page: Any) -> dict[str, Any]:
    return page.evaluate("window.maplayout.counts()")


def test_the_wide_view_draws_provinces_and_prefectures_only(
    open_offline: Any, split_page: Path
) -> None:
    rec = open_offline(split_page, width=400, height=320)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    assert page.evaluate("window.maplayout.map.getZoom()") < 6
    c = _counts(page)
    assert (c["units"], c["parents"], c["provinces"], c["detail"]) == (0, 14, 14, [])
    texts = page.evaluate(
        "() => [...document.querySelectorAll('.ml-label-province .ml-label-text:not(.ml-hidden)')]"
        ".map(e => e.textContent)"
    )
    assert "长沙" in texts  # the chunks' names label the wide view
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


def test_zooming_in_draws_only_the_provinces_in_view(open_offline: Any, split_page: Path) -> None:
    rec = open_offline(split_page, width=400, height=320)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    page.evaluate(ZOOM_TO, [28.2, 113.0, 9])  # Changsha
    c = _counts(page)
    loaded = c["detail"]
    assert "430100" in loaded and 0 < len(loaded) < 14
    expected = page.evaluate(
        "(ids) => window.maplayout.data.units.filter(u => ids.includes(u.prov)).length", loaded
    )
    assert c["units"] == expected > 0
    # prefectures of drawn provinces have their full outline, the others their coarse one
    drawn = page.evaluate(
        """() => { const out = {}; const D = window.maplayout.data;
          window.maplayout.layers.parents.eachLayer(l => {
            out[l.feature.id] = l.getLatLngs().flat(3).length; });
          const pts = g => g.reduce((n, p) => n + p.reduce((m, r) =>
            m + window.maplayout.decode(r).length, 0), 0);
          return D.parents.map(p => [p.prov, out[p.id], pts(p.g), pts(p.gc)]); }"""
    )
    for prov, n, fine, coarse in drawn:
        assert n == (fine if prov in loaded else coarse), prov
    # a county of a province not drawn yet: selecting it draws its province
    far = page.evaluate(
        "(ids) => window.maplayout.data.units.find(u => !ids.includes(u.prov)).id", loaded
    )
    page.evaluate("(id) => window.maplayout.select('unit', id)", far)
    page.wait_for_timeout(300)
    after = _counts(page)["detail"]
    assert set(loaded) < set(after)
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []
