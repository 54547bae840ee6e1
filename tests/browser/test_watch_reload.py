"""``build --watch`` in Chromium: the open page reloads itself after a save rebuilt the maps.

The watch loop runs in a thread on a temp copy of a plan; the page is opened from the local
server (127.0.0.1); every other request is blocked and recorded. Waits are bounded.
"""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path
from typing import Any

from maplayout.live import watch

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 90_000


def test_the_open_page_reloads_after_a_save(browser: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(ROOT / "tests" / "plans" / "minimal.yaml", plan)
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    options = {"figures": False, "snapshots": "no"}
    thread = threading.Thread(
        target=watch,
        args=(plan, tmp_path / "maps"),
        kwargs={"options": options, "announce": urls.put, "stop": stop, "report": print},
        daemon=True,
    )
    thread.start()
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        url = urls.get(timeout=WAIT_MS / 1000)
        blocked: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "minimal.html", wait_until="load")
        page.wait_for_function("document.title.includes('测试')", timeout=WAIT_MS)
        assert "测试二" not in page.title()
        page.evaluate("window.__beforeSave = true")
        page.screenshot(path=str(tmp_path / "before.png"))

        text = plan.read_text("utf-8").replace(
            "zh-Hans: 测试, en: Test}", "zh-Hans: 测试二, en: Test 2}"
        )
        plan.write_text(text, encoding="utf-8")

        page.wait_for_function(
            "!window.__beforeSave && document.title.includes('测试二')", timeout=WAIT_MS
        )  # a new document: the page reloaded itself and shows the new title
        page.wait_for_selector(".leaflet-container", timeout=WAIT_MS)
        page.screenshot(path=str(tmp_path / "after.png"))
        assert blocked == [] and errors == []
    finally:
        context.close()
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
