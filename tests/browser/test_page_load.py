"""Loading a map page costs Chromium no frame it throws away (issue #13): rendering waits for
the parser to pass the page's scripts (a render-blocking ``<link rel="expect">``), so the first
frame painted is the drawn map, never the bare page laid out and painted before the map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.web import render_map
from tests.factories import hunan_model

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
# the first paint's time (ms after navigation), once there is one
FIRST_PAINT = """() => new Promise(r => {
  const seen = performance.getEntriesByName('first-paint');
  if (seen.length) { r(seen[0].startTime); return; }
  new PerformanceObserver((list, obs) => { obs.disconnect(); r(list.getEntries()[0].startTime); })
    .observe({type: 'paint', buffered: true});
})"""


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page-load")
    return render_map(hunan_model("county")).save(out / "county.html")


def test_the_first_frame_is_painted_once_the_map_is_ready(
    open_offline: Any, page_path: Path
) -> None:
    rec = open_offline(page_path)
    rec.page.wait_for_function(READY, timeout=5000)
    ready_at = rec.page.evaluate("window.maplayout.readyAt")
    first_paint = rec.page.evaluate(FIRST_PAINT)
    assert first_paint >= ready_at > 0
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


def test_the_render_blocking_mark_comes_after_the_scripts(page_path: Path) -> None:
    html = page_path.read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert '<link rel="expect" href="#ml-parsed" blocking="render">' in head
    mark = html.index('<div id="ml-parsed" hidden></div>')
    assert mark > html.rindex("<script>") and html.index("</body>") > mark
