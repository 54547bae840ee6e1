"""What loading a map page costs Chromium: wall time and CPU from navigation to ``ready``.

Opens each page from disk in Debian's Chromium (Playwright, every network request blocked, a
fresh context of 1366 × 768 per load, as a build's snapshot does) and reads, per load:

* **ready** – ``maplayout.readyAt``: ``performance.now()`` when the page says it is
  interactive (navigation start = 0);
* **all CPU** – the CPU time of every Chromium process (browser, renderer, GPU, utility; read
  from ``/proc`` with psutil) between opening the page and ``ready``;
* **shot CPU** – the same, until a PNG screenshot of the page is taken two frames after
  ``ready`` (what a build's snapshot pays: the first frames' paint and raster included);
* **script** – from a second, traced load: the CPU time of our page script's run (the page's
  last inline ``<script>``; its forced layouts included), the part this project's JavaScript
  decides;
* **main CPU** – from the same traced load: the renderer main thread's CPU time (the thread
  time of its top-level tasks, trace category ``toplevel``) from navigation until ``ready``:
  parsing, script, style, layout, paint, garbage collection;
* with ``--breakdown``, the main thread's time by trace event (``ParseHTML``, ``Layout``,
  ``UpdateLayoutTree``, ``Paint``, ``FunctionCall`` …, nested events counted in their own row
  too) from one more traced load per page.

The loads of the pages are interleaved (page 1, page 2, …, page 1, …) so that a busy machine
slows them alike; the rows give medians over ``--repeat`` loads, and the ratio of each page's
medians to the first page's (list main's page first to compare a change side by side).

Usage::

    python benchmarks/page_load.py BEFORE.html AFTER.html [--repeat 7] [--breakdown]
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
from pathlib import Path
from typing import Any

import psutil

from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium

_READY = "window.maplayout && window.maplayout.ready"
_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))"
_BREAKDOWN = (
    "ParseHTML",
    "EvaluateScript",
    "v8.compile",
    "FunctionCall",
    "TimerFire",
    "FireAnimationFrame",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "MajorGC",
    "MinorGC",
    "V8.GC_SCAVENGER",
    "V8.GC_MARK_COMPACTOR",
)


def _chromium_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of every Chromium process under this one, by pid."""
    out: dict[int, float] = {}
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name().lower():
                t = p.cpu_times()
                out[p.pid] = t.user + t.system
        except psutil.Error:
            continue
    return out


def _main_thread_ms(events: list[dict[str, Any]], names: tuple[str, ...] = ()) -> Any:
    """The renderer main threads' top-level CPU time (ms) in a trace; with ``names``, also
    the wall time (ms) of those events by name."""
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    cpu, end = 0.0, -1.0
    by_name: collections.Counter[str] = collections.Counter()
    for e in sorted(events, key=lambda e: e.get("ts", 0)):
        if e.get("ph") != "X" or (e["pid"], e["tid"]) not in main:
            continue
        if e.get("name") in names:
            by_name[e["name"]] += e.get("dur", 0) / 1000
        if e["ts"] < end:
            continue  # nested in a task counted already
        end = e["ts"] + e.get("dur", 0)
        cpu += e.get("tdur", 0) / 1000
    return (cpu, by_name) if names else cpu


def _offline(route: Any) -> None:
    """Files load; every other request is blocked."""
    route.continue_() if route.request.url.startswith("file:") else route.abort()


def _open(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce")
    context.route("**/*", _offline)
    return context, context.new_page()


def _since(before: dict[int, float]) -> float:
    """CPU ms of the Chromium processes since ``before`` (a process started since from 0)."""
    return sum(t - before.get(pid, 0.0) for pid, t in _chromium_cpu().items()) * 1000


def load_once(browser: Any, path: Path) -> dict[str, Any]:
    """One fresh load of ``path``, untraced: ready (ms), all-process CPU (ms) until ready and
    until a screenshot is taken as the snapshot worker takes it (two frames after ready)."""
    context, page = _open(browser)
    cdp = context.new_cdp_session(page)
    before = _chromium_cpu()
    page.goto(path.resolve().as_uri())
    page.wait_for_function(_READY, timeout=60_000, polling=10)
    all_cpu = _since(before)
    page.evaluate(_FRAMES)
    cdp.send("Page.captureScreenshot", {"format": "png"})
    shot_cpu = _since(before)
    ready = float(page.evaluate("window.maplayout.readyAt"))
    context.close()
    return {"ready_ms": ready, "all_cpu_ms": all_cpu, "shot_cpu_ms": shot_cpu}


def _script_cpu(events: list[dict[str, Any]], url: str) -> float:
    """CPU ms of the page's last inline script (ours: Leaflet's comes before it) as it ran."""
    runs = [
        e
        for e in events
        if e.get("name") == "EvaluateScript"
        and e.get("ph") == "X"
        and e.get("args", {}).get("data", {}).get("url") == url
    ]
    last = max(runs, key=lambda e: e["args"]["data"].get("lineNumber", 0))
    return float(last.get("tdur", 0)) / 1000


def traced_load(browser: Any, path: Path, breakdown: bool = False) -> dict[str, Any]:
    """One fresh load of ``path`` under a trace: the main thread's CPU (ms) until ready and
    our script's CPU (ms); with ``breakdown`` the main thread's time by event name too."""
    context, page = _open(browser)
    cats = ["toplevel", "devtools.timeline"] + (["v8"] if breakdown else [])
    browser.start_tracing(page=page, categories=cats)
    page.goto(path.resolve().as_uri())
    page.wait_for_function(_READY, timeout=60_000, polling=10)
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    row: dict[str, Any] = {"script_cpu_ms": _script_cpu(events, path.resolve().as_uri())}
    if breakdown:
        row["main_cpu_ms"], row["by_name"] = _main_thread_ms(events, _BREAKDOWN)
    else:
        row["main_cpu_ms"] = _main_thread_ms(events)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument(
        "--chromium-arg", action="append", default=[], help="an extra Chromium flag (repeatable)"
    )
    args = parser.parse_args(argv)
    exe = find_chromium()
    if exe is None:
        print("no Chromium found")
        return 1
    from playwright.sync_api import sync_playwright

    keys = ("ready_ms", "script_cpu_ms", "main_cpu_ms", "all_cpu_ms", "shot_cpu_ms")
    rows: dict[Path, list[dict[str, Any]]] = {p: [] for p in args.pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe, args=[*CHROMIUM_ARGS, *args.chromium_arg], headless=True
        )
        for path in args.pages:  # one load each to warm the browser up, not counted
            load_once(browser, path)
        for _ in range(args.repeat):
            for path in args.pages:
                rows[path].append({**load_once(browser, path), **traced_load(browser, path)})
        parts = {}
        if args.breakdown:
            parts = {p: traced_load(browser, p, breakdown=True) for p in args.pages}
        browser.close()
    med = {p: {k: statistics.median(r[k] for r in rows[p]) for k in keys} for p in args.pages}
    first = args.pages[0]
    print(f"medians of {args.repeat} loads each, interleaved")
    print(
        f"{'page':44} {'ready':>7} {'script':>7} {'main CPU':>8} {'all CPU':>7} {'shot CPU':>8}"
        "   ratios to the first"
    )
    for p in args.pages:
        m = med[p]
        ratios = " ".join(f"{m[k] / med[first][k]:.2f}" for k in keys)
        print(
            f"{str(p)[-44:]:44} {m['ready_ms']:5.0f}ms {m['script_cpu_ms']:5.0f}ms "
            f"{m['main_cpu_ms']:6.0f}ms {m['all_cpu_ms']:5.0f}ms {m['shot_cpu_ms']:6.0f}ms"
            f"   {ratios}"
        )
    if parts:
        print("\nmain thread by trace event (ms of wall time, one traced load; nested events")
        print("in their own row too)")
        print(f"{'event':22}" + "".join(f" {str(p)[-24:]:>24}" for p in args.pages))
        for name in _BREAKDOWN:
            vals = [parts[p]["by_name"].get(name, 0.0) for p in args.pages]
            if any(vals):
                print(f"{name:22}" + "".join(f" {v:24.1f}" for v in vals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
