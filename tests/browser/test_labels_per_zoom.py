"""Labels are placed once per zoom level (issue #11 part 6): a zoom level's placement is kept
and reapplied when the map comes back to it, panning places nothing, and a language switch
places them afresh (their texts change size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
LABELS = """() => [...document.querySelectorAll('.ml-label-text')].map(e =>
  [e.textContent, e.classList.contains('ml-hidden'), e.style.transform])"""
ZOOM = """(d) => new Promise(r => { const m = window.maplayout.map; m.once('zoomend', () => r());
  m.setZoom(m.getZoom() + d * m.options.zoomDelta, {animate: false}); })"""


@pytest.fixture(scope="module")
def county_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labels-per-zoom")
    return export.build(out=out, figures=False, snapshots="no").maps[1]


def _runs(page: Any) -> dict[str, int]:
    return page.evaluate("Object.assign({}, window.maplayout.labelRuns)")


def test_a_zoom_level_is_placed_once_and_reused(open_offline: Any, county_map: Path) -> None:
    rec = open_offline(county_map)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    first = page.evaluate(LABELS)
    start = _runs(page)
    assert start["placed"] >= 1
    page.evaluate(ZOOM, 1)
    zoomed = page.evaluate(LABELS)
    assert zoomed != first  # a new zoom level: labels placed anew
    assert _runs(page)["placed"] == start["placed"] + 1
    page.evaluate(ZOOM, -1)
    assert page.evaluate(LABELS) == first  # back: the same placement, reapplied
    runs = _runs(page)
    assert runs["placed"] == start["placed"] + 1
    assert runs["reused"] == start["reused"] + 1
    page.evaluate("window.maplayout.map.panBy([120, 80], {animate: false})")
    assert _runs(page) == runs  # panning places nothing
    assert page.evaluate("window.maplayout.labelMs") >= 0
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


def test_a_language_switch_places_labels_afresh(open_offline: Any, county_map: Path) -> None:
    rec = open_offline(county_map)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    before = _runs(page)["placed"]
    page.evaluate("window.maplayout.setLang('en')")
    assert _runs(page)["placed"] == before + 1
    texts = [t for t, hidden, _ in page.evaluate(LABELS) if not hidden]
    assert "Liuyang" in texts and "浏阳" not in texts
    # every visible label's box lies where the placement put it: none overlaps another unit label
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.ml-label-unit .ml-label-text:not(.ml-hidden)')]
          .map(e => { const r = e.getBoundingClientRect();
                      return [r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(boxes) > 20
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
            assert not overlap, (a, b)
