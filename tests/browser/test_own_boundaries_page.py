"""A plan's own boundaries in Chromium: the made-up zones (tests/_zones.py) drawn, labelled
and found by the search in every script, the page framed on them, nothing fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline
from tests._zones import NAMES, write_plan

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"


@pytest.fixture(scope="module")
def zone_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("own-boundaries")
    result = pipeline.build(write_plan(folder), out=folder / "maps", figures=False, snapshots="no")
    assert [p.name for p in result.maps] == ["zones-demo.html"]
    return result.maps[0]


def _labels(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".ml-label-unit .ml-label-text", "es => es.map(e => e.textContent)"
    )


def test_the_page_draws_labels_and_finds_the_zones(open_offline: Any, zone_map: Path) -> None:
    rec = open_offline(zone_map)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    counts = page.evaluate("window.maplayout.counts()")
    assert page.locator("path.ml-unit").count() == counts["units"] == 6
    assert counts["groups"] == 1 and counts["links"] == 1 and counts["sites"] == 1
    assert counts["context"] == 1  # the zones' outline, no neighbouring provinces
    assert counts["parents"] == 2  # the districts the parent column names: 岳麓区, 雨花区
    layers = page.text_content(".leaflet-control-layers") or ""
    assert "分区" in layers and "所在区域界" in layers and "分区范围" in layers
    assert "市州" not in layers and "邻省" not in layers
    assert _labels(page) == list(NAMES)
    # the view is framed on the zones (about 16 × 11 km), not on the province
    west, south, east, north = page.evaluate(
        "(() => { const b = maplayout.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    assert 112.8 < west < 112.9 and 113.07 < east < 113.2 and 28.0 < south < 28.1 < north < 28.3
    for query, zone in (("星沙智造园", "Z2"), ("星沙智造園", "Z2"), ("Muyun Park", "Z6")):
        assert page.evaluate("q => maplayout.search(q)[0]", query)["id"] == zone, query
    assert page.evaluate("q => maplayout.search(q)[0]", "雨花區")["id"] == "雨花区"  # a parent
    page.fill("#ml-q", "湘江算力")
    page.wait_for_selector("#ml-results li")
    assert page.inner_text("#ml-results li >> nth=0") == "湘江算力港"
    page.press("#ml-q", "Enter")
    page.locator(".leaflet-popup-content").wait_for(timeout=2000)
    assert "湘江算力港" in page.inner_text(".leaflet-popup-content")
    page.click('button[data-lang="en"]')
    # English names where the file has them, else the zh-Hans name
    assert _labels(page)[:3] == ["Lushan Data Valley", "Xingsha Smart Park", "湘江算力港"]
    page.click('button[data-lang="zh-Hant"]')
    assert "星沙智造園" in _labels(page)
    assert "分區" in (page.text_content(".leaflet-control-layers") or "")
    assert rec.requests == [] and rec.console_errors == [] and rec.page_errors == []
