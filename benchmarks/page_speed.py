"""How fast a built map page is in headless Chromium: ready time, zoom step, label placement.

Opens each page from disk in Debian's Chromium (Playwright, every network request blocked, a
1280 × 800 viewport) and reads, per page:

* **size** – the HTML file's bytes;
* **ready** – ``maplayout.readyAt``: ``performance.now()`` when the page says it is
  interactive (navigation start = 0), the median of ``--repeat`` fresh loads;
* **zoom step** – one ``zoomDelta`` step in (and back out) without animation, timed from the
  call until the frame after the page's ``zoomend`` work has been laid out and painted (two
  animation frames), the median over the steps;
* **labels** – ``maplayout.labelMs``, the time the last label placement took (when the page
  reports it), the median over the steps;
* **step CPU** (:func:`step_cpu`, ``national_page.py``) – the renderer main thread's CPU time
  per zoom step from a Chromium trace, steadier than wall time on a loaded machine.

Usage::

    python benchmarks/page_speed.py PAGE.html [PAGE.html ...] [--repeat 5] [--steps 6]

Prints one row per page. Timings on a shared machine are noisy: use several repeats and
compare medians measured side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium

_STEP_JS = """async (dir) => {
  const m = window.maplayout.map;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  const done = new Promise(r => m.once('zoomend', () => r()));
  m.setZoom(m.getZoom() + dir * m.options.zoomDelta, {animate: false});
  await done;
  document.body.getBoundingClientRect();
  await frame(); await frame();
  return [performance.now() - t0, window.maplayout.labelMs ?? null];
}"""


_GOTO_JS = """async ([lat, lon, z]) => {
  const m = window.maplayout.map;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  const done = new Promise(r => m.once('zoomend', () => r()));
  m.setView([lat, lon], z, {animate: false});
  await done;
  document.body.getBoundingClientRect();
  await frame(); await frame();
  return performance.now() - t0;
}"""


def step_cpu(
    browser: Any, path: Path, steps: int, at: tuple[float, float, float] | None = None
) -> float:
    """The median main-thread CPU time (ms) of a zoom step: the thread time of the renderer
    main thread's top-level tasks from a Chromium trace of each step (script, style, layout,
    paint, garbage collection). Less sensitive than wall time to other processes on a loaded
    machine; the tracing adds a little to it."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.maplayout && window.maplayout.ready", timeout=60_000)
    if at:
        page.evaluate(_GOTO_JS, list(at))
    out = []
    for k in range(steps):
        browser.start_tracing(page=page, categories=["toplevel"])
        page.evaluate(_STEP_JS, 1 if k < steps // 2 else -1)
        events = json.loads(browser.stop_tracing())["traceEvents"]
        main = {
            (e["pid"], e["tid"])
            for e in events
            if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
        }
        cpu, end = 0.0, -1.0
        for e in sorted(events, key=lambda e: e.get("ts", 0)):
            if e.get("ph") != "X" or (e["pid"], e["tid"]) not in main or e["ts"] < end:
                continue  # another thread, or nested in a task counted already
            end = e["ts"] + e.get("dur", 0)
            cpu += e.get("tdur", 0) / 1000
        out.append(cpu)
    page.close()
    return statistics.median(out)


def measure(
    browser: Any, path: Path, repeat: int, steps: int, at: tuple[float, float, float] | None = None
) -> dict[str, Any]:
    """Size, median ready time, median zoom step and label placement of one page; with
    ``at`` = (lat, lon, zoom) the steps start there (``goto_ms``: the jump, detail included)."""
    readies: list[float] = []
    goto = None
    zooms: list[float] = []
    labels: list[float] = []
    for i in range(repeat):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.maplayout && window.maplayout.ready", timeout=60_000)
        readies.append(float(page.evaluate("window.maplayout.readyAt")))
        if i == 0:
            goto = page.evaluate(_GOTO_JS, list(at)) if at else None
            for k in range(steps):
                ms, lab = page.evaluate(_STEP_JS, 1 if k < steps // 2 else -1)
                zooms.append(float(ms))
                if lab is not None:
                    labels.append(float(lab))
        page.close()
    return {
        "page": path.name,
        "bytes": path.stat().st_size,
        "ready_ms": statistics.median(readies),
        "zoom_ms": statistics.median(zooms),
        "labels_ms": statistics.median(labels) if labels else None,
        "goto_ms": goto,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", type=int, default=6)
    args = parser.parse_args(argv)
    exe = find_chromium()
    if exe is None:
        print("no Chromium found")
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS), headless=True)
        print(f"{'page':40} {'size':>10} {'ready':>9} {'zoom step':>10} {'labels':>8}")
        for path in args.pages:
            r = measure(browser, path, args.repeat, args.steps)
            lab = "–" if r["labels_ms"] is None else f"{r['labels_ms']:.1f}"
            print(
                f"{r['page']:40} {r['bytes'] / 1e6:8.2f}MB {r['ready_ms']:7.0f}ms "
                f"{r['zoom_ms']:8.1f}ms {lab:>8}"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
