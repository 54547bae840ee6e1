"""The built maps in a real headless Chromium with the network blocked (conftest fixtures).

The page exposes a documented debug handle, ``window.maplayout`` (see the head of
``maplayout/web/static/js/head.js``), used here to count what is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export
from maplayout.web import render_map
from tests.factories import EVIL, hunan_model

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("browser-maps")
    result = export.build(out=out, figures=False, snapshots="no")
    layout, county = result.maps
    return {"layout": layout, "county": county, "index": result.index_path, "dir": out}


def _open(open_offline: Any, path: Path, **kw: Any) -> Any:
    rec = open_offline(path, **kw)
    rec.page.wait_for_function(READY, timeout=5000)
    return rec


def _clean(rec: Any) -> None:
    assert rec.requests == []
    assert rec.console_errors == []
    assert rec.page_errors == []


def test_layout_map_draws_everything_offline(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = _open(open_offline, maps["layout"])
    counts = rec.page.evaluate("window.maplayout.counts()")
    data = rec.page.evaluate(
        "({sites: maplayout.data.sites.length, links: maplayout.data.links.length,"
        " approx: maplayout.data.sites.filter(s => s.precision !== 'surveyed' && s.r > 0).length})"
    )
    assert counts["units"] == 14
    assert rec.page.locator("path.ml-unit").count() == 14
    assert counts["links"] == data["links"] == 2
    assert counts["sites"] == data["sites"] == rec.page.locator("path.ml-site").count()
    assert data["sites"] >= 10
    assert counts["uncertainty"] == data["approx"] > 0
    assert counts["groups"] >= 3 and counts["context"] == 7
    assert counts["visibleLabels"] >= 14
    _clean(rec)


def test_county_view_draws_122_counties_and_prefecture_borders(
    open_offline: Any, maps: dict[str, Path]
) -> None:
    rec = _open(open_offline, maps["county"])
    counts = rec.page.evaluate("window.maplayout.counts()")
    assert counts["units"] == 122 == rec.page.locator("path.ml-unit").count()
    assert counts["parents"] == 14
    assert counts["links"] == 2
    assert counts["exceptions"] >= 1  # county-level block exceptions are outlined
    _clean(rec)


def test_map_signals_ready_once_drawn(open_offline: Any, maps: dict[str, Path]) -> None:
    # how fast is measured by benchmarks/ side by side with the naive script, never here
    rec = _open(open_offline, maps["layout"])
    ready_at = rec.page.evaluate("window.maplayout.readyAt")
    assert isinstance(ready_at, (int, float)) and ready_at > 0
    assert rec.page.get_attribute("html", "data-ml-ready") == "1"


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_default_view_fits_hunan(open_offline: Any, maps: dict[str, Path], size: tuple) -> None:
    rec = _open(open_offline, maps["layout"], width=size[0], height=size[1])
    fit = rec.page.evaluate(
        """() => { const m = maplayout.map, b = L.latLngBounds(maplayout.data.bounds);
        const s = m.getSize(), nw = m.latLngToContainerPoint(b.getNorthWest()),
              se = m.latLngToContainerPoint(b.getSouthEast());
        return {inside: m.getBounds().contains(b),
                w: (se.x - nw.x) / s.x, h: (se.y - nw.y) / s.y}; }"""
    )
    assert fit["inside"]
    assert max(fit["w"], fit["h"]) > 0.75  # Hunan fills the map, not a speck in it


def test_popup_opens_on_click(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = _open(open_offline, maps["layout"])
    page = rec.page
    point = page.evaluate(
        """() => { const u = maplayout.data.units.find(u => u.id === '431200');
        const p = maplayout.map.latLngToContainerPoint(u.lab);
        const r = document.getElementById('ml-map').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=2000)
    assert "怀化市" in popup.inner_text()
    # the sites around Changsha are grouped at this zoom: the group fans out on click
    page.locator(".ml-site-group").first.click()
    page.locator("path.ml-site:not(.ml-grouped)").last.click(force=True)
    page.wait_for_function(
        "document.querySelector('.leaflet-popup-content .ml-precision') !== null", timeout=2000
    )
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")
    text = page.inner_text(".leaflet-popup-content")
    assert "位置" in text
    _clean(rec)


def test_language_switch_relabels_everything(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = _open(open_offline, maps["layout"])
    page = rec.page

    def labels() -> list[str]:
        return page.eval_on_selector_all(
            ".ml-label-unit .ml-label-text", "es => es.map(e => e.textContent)"
        )

    assert "长沙" in labels()
    page.click('button[data-lang="en"]')
    assert page.get_attribute("html", "lang") == "en"
    assert "Changsha" in labels()
    assert page.title() == page.evaluate("maplayout.data.meta.title.en")
    assert page.inner_text("#ml-title") == page.evaluate("maplayout.data.meta.title.en")
    assert page.inner_text(".ml-legend-head") == "Legend"
    assert page.get_attribute("#ml-q", "placeholder").startswith("Search")
    assert page.get_attribute('button[data-lang="en"]', "aria-pressed") == "true"
    assert page.is_visible('#ml-text [data-lang-block="en"]')
    assert not page.is_visible('#ml-text [data-lang-block="zh-Hans"]')
    page.click('button[data-lang="zh-Hant"]')
    assert "長沙" in labels()
    assert page.get_attribute("html", "lang") == "zh-Hant"
    _clean(rec)


def test_search_finds_zhuzhou_in_every_script(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = _open(open_offline, maps["layout"])
    page = rec.page
    for query in ("株洲", "株洲市", "Zhuzhou", "zhuzhou city"):
        first = page.evaluate("q => maplayout.search(q)[0]", query)
        assert first["id"] == "430200", query
    page.fill("#ml-q", "株洲")
    page.wait_for_selector("#ml-results li")
    assert page.inner_text("#ml-results li >> nth=0") == "株洲市"
    page.press("#ml-q", "Enter")
    page.locator(".leaflet-popup-content").wait_for(timeout=2000)
    assert "株洲市" in page.inner_text(".leaflet-popup-content")
    _clean(rec)


def test_escaping_corpus_renders_as_text(open_offline: Any, tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    path.write_text(render_map(hunan_model("prefecture", evil=True)), encoding="utf-8")
    rec = open_offline(path)
    dialogs: list[str] = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.wait_for_function(READY, timeout=5000)
    page = rec.page
    assert page.evaluate("document.getElementById('ml-title').textContent") == EVIL
    assert page.title().startswith("</script><img src=x onerror=alert(1)>")
    page.evaluate("maplayout.select('site', 'malanshan')")
    page.locator(".leaflet-popup-content h3").wait_for(timeout=2000)
    assert page.evaluate("document.querySelector('.leaflet-popup-content h3').textContent") == EVIL
    page.click('button[data-lang="en"]')
    page.evaluate("maplayout.select('unit', '430100')")
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    labels = page.eval_on_selector_all(".ml-label-text", "es => es.map(e => e.textContent)")
    assert EVIL in labels  # the Dongting group and a corridor carry the corpus as labels
    assert dialogs == []
    _clean(rec)


def test_tiles_failing_offline_do_not_break_the_map(open_offline: Any, tmp_path: Path) -> None:
    path = tmp_path / "osm.html"
    path.write_text(render_map(hunan_model("prefecture"), basemap="osm"), encoding="utf-8")
    rec = _open(open_offline, path)
    rec.page.wait_for_timeout(300)
    assert rec.page.evaluate("maplayout.counts().units") == 14
    assert rec.requests and all(
        u.startswith("https://tile.openstreetmap.org/") for u in rec.requests
    )
    assert rec.page_errors == []
    assert all("Failed to load resource" in e for e in rec.console_errors)


def test_viewer_page_links_every_map(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = open_offline(maps["index"])
    hrefs = rec.page.eval_on_selector_all("main a", "as => as.map(a => a.getAttribute('href'))")
    assert maps["layout"].name in hrefs and maps["county"].name in hrefs
    _clean(rec)


def test_directed_corridors_get_arrowheads_at_their_end(open_offline: Any, tmp_path: Path) -> None:
    path = tmp_path / "arrows.html"
    path.write_text(render_map(hunan_model("prefecture")), encoding="utf-8")  # forward links
    rec = _open(open_offline, path)
    counts = rec.page.evaluate("maplayout.counts()")
    assert counts["links"] == 2 and counts["arrows"] == 2
    assert rec.page.locator("path.ml-arrow").count() == 2
    # each arrow tip lies within 20 px of its corridor's last stop (Zhuzhou, Xiangtan)
    gaps = rec.page.evaluate(
        """() => { const m = maplayout.map;
        const tips = [];
        maplayout.layers.links.eachLayer(l => {
          if (l instanceof L.Polygon) tips.push(m.latLngToContainerPoint(l.getLatLngs()[0][0]));
        });
        return maplayout.data.links.map((k, i) => {
          const pts = maplayout.decode(k.g), end = m.latLngToContainerPoint(pts[pts.length - 1]);
          return Math.min(...tips.map(t => t.distanceTo(end)));
        }); }"""
    )
    assert len(gaps) == 2 and max(gaps) < 20
    _clean(rec)


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_visible_labels_do_not_overlap(
    open_offline: Any, maps: dict[str, Path], size: tuple, lang: str
) -> None:
    rec = _open(open_offline, maps["layout"], width=size[0], height=size[1])
    rec.page.evaluate("l => maplayout.setLang(l)", lang)
    rects = rec.page.evaluate(
        """() => [...document.querySelectorAll('.ml-label-text:not(.ml-hidden)')].map(e => {
          const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(rects) >= 14
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0 or overlap_y <= 0, (a, b)


def test_text_version_works_without_javascript(browser: Any, maps: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(maps["layout"].resolve().as_uri())
        assert "JavaScript" in page.inner_text("body")  # the <noscript> note is shown
        tables = page.locator('#ml-text [data-lang-block="zh-Hans"] table')
        assert tables.count() == 4  # units, regions, corridors, sites
        assert tables.nth(0).locator("tbody tr").count() == 14
        assert "株洲市" in tables.nth(0).inner_text()
        assert tables.nth(3).locator("tbody tr").count() >= 10
    finally:
        context.close()


def test_fullscreen_and_reset_view_buttons(open_offline: Any, maps: dict[str, Path]) -> None:
    rec = _open(open_offline, maps["layout"])
    page = rec.page
    page.click("button.ml-fullscreen")
    page.wait_for_selector('button.ml-fullscreen[aria-pressed="true"]', timeout=5000)
    assert page.evaluate("document.fullscreenElement.id") == "ml-app"
    assert page.get_attribute("button.ml-fullscreen", "aria-label") == "退出全屏"
    page.click("button.ml-fullscreen")
    page.wait_for_selector('button.ml-fullscreen[aria-pressed="false"]', timeout=5000)
    assert page.evaluate("document.fullscreenElement") is None
    start = page.evaluate("maplayout.map.getZoom()")
    page.evaluate("maplayout.select('unit', '430200')")
    page.wait_for_function(f"maplayout.map.getZoom() > {start}")
    page.click("button.ml-reset")  # also while the zoom animation may still be running
    page.wait_for_function(f"Math.abs(maplayout.map.getZoom() - {start}) < 0.01", timeout=5000)
    _clean(rec)


def test_viewer_page_switches_language(open_offline: Any, maps: dict[str, Path]) -> None:
    """The viewer page's 简 / 繁 / EN switch swaps every text the build wrote in zh-Hans."""
    rec = open_offline(maps["index"])
    page = rec.page

    def texts() -> dict[str, Any]:
        return page.evaluate(
            """() => {
              const all = s => [...document.querySelectorAll(s)].map(e => e.textContent);
              return {lang: document.documentElement.lang, h1: all('h1')[0],
                      titles: all('li[data-i] h2'), open: all('[data-ui="index.open"]')[0],
                      extra: all('li[data-i="0"] [data-x]')};
            }"""
        )

    zh = texts()
    assert zh["lang"] == "zh-Hans" and zh["open"] == "打开地图"
    assert zh["titles"][1].endswith("（区县视图）")
    page.click(".ml-lang button[data-lang='en']")
    en = texts()
    assert en["lang"] == "en" and en["open"] == "Open the map"
    assert en["h1"] != zh["h1"] and en["h1"].isascii()
    assert en["titles"][1].endswith(" (county view)") and en["titles"][0].isascii()
    assert en["extra"] == ["Embed code", "Data table (CSV)"]
    assert page.get_attribute(".ml-lang button[data-lang='en']", "aria-pressed") == "true"
    page.click(".ml-lang button[data-lang='zh-Hant']")
    hant = texts()
    assert hant["titles"][1].endswith("（區縣視圖）") and hant["open"] == "打開地圖"
    page.click(".ml-lang button[data-lang='zh-Hans']")
    assert texts() == zh
    _clean(rec)
