"""The page with a data layer of 10 … 20,000 points, side by side with folium + MarkerCluster.

For each size: synthetic GCJ-02 companies (``make_points.points_csv``) as a layer of a copy of
the default plan, the model built, and two pages written:

* **maplayout**: ``render_map`` (clusters precomputed per zoom, drawn on one canvas);
* **folium**: the same WGS-84 points (the model's ``layer_points``) as ``folium.Marker``\\ s
  with a popup each in a ``folium.plugins.MarkerCluster``, the prefecture outlines as one
  ``folium.GeoJson``, saved with ``maplayout.interop.save_offline`` (Leaflet, jQuery and
  Leaflet.markercluster inlined from their xstatic packages, so both pages open offline).

Each page is opened ``--repeat`` times in headless Chromium (Debian's ``/usr/bin/chromium``,
1366×768, network blocked) and measured the same way; the medians are printed:

* **bytes** of the HTML file;
* **ready**: ms from navigation start to the first animation frame after the ``load`` event
  (both pages build their map in inline scripts before ``load``);
* **zoom step**: ms from ``map.setZoom(z ± 1, {animate: false})`` to the next animation
  frame (+1 three times from the province view, then −1 three times; the median of six);
* **DOM**: element count at the province view (the map fitted to the region);
* for maplayout also the layer module's own start-up (**init**: parse, decode, first paint)
  and the canvas **paint** of a zoom step (median of the six), which the machine's load
  disturbs less than the wall-clock times around them.

The ratios are maplayout / folium. A line for the default page (no layer) is the baseline
that a plan without layers keeps.

Usage::

    python benchmarks/layers_page.py [--sizes 10,100,1000,5000,20000] [--repeat 3] [--write-docs]

``--write-docs`` replaces the "Page numbers" section of ``docs/layers.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_points import points_csv  # noqa: E402

SIZES = (10, 100, 1000, 5000, 20000)
LAYER = """layers:
  - id: companies
    file: companies.csv
    label: {zh-Hans: 人工智能企业, zh-Hant: 人工智慧企業, en: AI companies}
    datum: GCJ-02
    category: 类别
    weight: 员工数
    data_source: {title: {zh-Hans: 合成数据, en: Synthetic data}, date: 2024-05}
"""

_READY = """window.addEventListener('load', function () {
  requestAnimationFrame(function () { window.__benchReady = performance.now(); });
});"""

_MEASURE = """async () => {
  const map = window.maplayout ? window.maplayout.map
    : window[Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)];
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  await frame();
  const dom = document.getElementsByTagName('*').length;
  const dl = window.maplayout && window.maplayout.dataLayers;
  const steps = [], paints = [];
  for (const d of [1, 1, 1, -1, -1, -1]) {
    const t = performance.now();
    map.setZoom(map.getZoom() + d, {animate: false});
    await frame();
    steps.push(performance.now() - t);
    if (dl) paints.push(dl.paintMs());
  }
  return {ready: window.__benchReady, dom: dom, steps: steps, paints: paints,
          init: dl ? dl.initMs : null};
}"""


def write_pages(n: int, folder: Path) -> tuple[Path, Path]:
    """The maplayout page and the folium page of ``n`` points, in ``folder``."""
    import folium
    from folium.plugins import MarkerCluster

    from maplayout._paths import default_plan_path
    from maplayout.interop import save_offline
    from maplayout.model import build_model
    from maplayout.plan import load_plan
    from maplayout.web import render_map

    (folder / "companies.csv").write_text(points_csv(n), encoding="utf-8")
    text = default_plan_path().read_text(encoding="utf-8")
    plan = folder / "plan.yaml"
    plan.write_text(text.replace("\nsites:\n", "\n" + LAYER + "sites:\n", 1), encoding="utf-8")
    model = build_model(load_plan(plan))
    ours = folder / "maplayout.html"
    render_map(model).save(ours)

    west, south, east, north = model.units.total_bounds
    m = folium.Map(tiles=None)
    # as our page's map; Leaflet.markercluster needs a maxZoom
    m.options.update(minZoom=4, maxZoom=14, zoomSnap=0.25)
    folium.GeoJson(model.units[["adcode", "geometry"]]).add_to(m)
    cluster = MarkerCluster().add_to(m)
    pts = model.layer_points
    for name, geom in zip(pts["name"], pts.geometry, strict=True):
        folium.Marker([geom.y, geom.x], popup=str(name)).add_to(cluster)
    m.fit_bounds([[south, west], [north, east]])
    theirs = folder / "folium.html"
    save_offline(m, theirs)
    return ours, theirs


def measure_page(browser: Any, path: Path) -> dict[str, float]:
    """One load of ``path``: ready ms, median zoom-step ms, DOM elements."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:", "about:"))
            else route.abort()
        ),
    )
    context.add_init_script(_READY)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_function("window.__benchReady !== undefined", timeout=120_000)
    out = page.evaluate(_MEASURE)
    context.close()
    if errors:
        raise RuntimeError(f"{path.name}: {errors[0]}")
    res = {"ready": out["ready"], "zoom": statistics.median(out["steps"]), "dom": out["dom"]}
    if out["paints"]:
        res["init"] = out["init"]
        res["paint"] = statistics.median(out["paints"])
    return res


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def run(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium
    from maplayout.web import render_map

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=find_chromium(), args=list(CHROMIUM_ARGS), headless=True
        )
        from maplayout.model import build_model

        base = Path(tmp) / "default.html"
        render_map(build_model()).save(base)
        runs = [measure_page(browser, base) for _ in range(repeat)]
        rows.append({"n": 0, "ours": {**_median(runs), "bytes": base.stat().st_size}})
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            ours, theirs = write_pages(n, folder)
            row: dict[str, Any] = {"n": n}
            for key, path in (("ours", ours), ("folium", theirs)):
                runs = [measure_page(browser, path) for _ in range(repeat)]
                row[key] = {**_median(runs), "bytes": path.stat().st_size}
            rows.append(row)
            print(line(row), flush=True)
        browser.close()
    return rows


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def line(row: dict[str, Any]) -> str:
    o = row["ours"]
    if "folium" not in row:
        return (
            f"| default page (no layer) | {o['bytes'] / 1e6:.2f} | – | {o['ready']:.0f} | – "
            f"| {o['zoom']:.1f} | – | {o['dom']:,} | – | – | – |"
        )
    f = row["folium"]
    own = f" | {o['init']:.1f} | {o['paint']:.1f}"
    return (
        f"| {row['n']:,} | {o['bytes'] / 1e6:.2f} | {f['bytes'] / 1e6:.2f} "
        f"({_ratio(o['bytes'], f['bytes'])}) | {o['ready']:.0f} | {f['ready']:.0f} "
        f"({_ratio(o['ready'], f['ready'])}) | {o['zoom']:.1f} | {f['zoom']:.1f} "
        f"({_ratio(o['zoom'], f['zoom'])}) | {o['dom']:,} | {f['dom']:,} "
        f"({_ratio(o['dom'], f['dom'])}){own} |"
    )


def table(rows: list[dict[str, Any]]) -> str:
    head = [
        "| points | page (MB) | folium (MB) (ratio) | ready (ms) | folium (ms) (ratio) "
        "| zoom step (ms) | folium (ms) (ratio) | DOM | folium DOM (ratio) | init (ms) "
        "| paint (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    return "\n".join(head + [line(r) for r in rows])


def write_docs(text: str, path: Path = ROOT / "docs" / "layers.md") -> None:
    """Replace the text between ``## Page numbers`` and the next ``## `` heading."""
    doc = path.read_text(encoding="utf-8")
    head, marker, rest = doc.partition("\n## Page numbers\n")
    if not marker:
        head, marker, rest = doc.partition("\n## Numbers\n")
        rest = marker + rest
        marker = "\n## Page numbers\n"
    else:
        rest = rest[rest.index("\n## ") :] if "\n## " in rest else ""
    path.write_text(head.rstrip("\n") + "\n" + marker + "\n" + text + "\n" + rest, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    rows = run([int(n) for n in args.sizes.split(",")], args.repeat)
    out = table(rows)
    print(out)
    if args.write_docs:
        note = (
            f"`python benchmarks/layers_page.py --repeat {args.repeat} --write-docs` "
            f"({platform.machine()}, {platform.python_version()}, headless Chromium 1366×768, "
            "network blocked; a shared 2-core machine with other jobs running, so the times "
            f"are noisy: medians of {args.repeat} loads). ready = navigation start to the "
            "first frame after `load`; zoom step = `setZoom(z ± 1, {animate: false})` to the "
            "next frame, median of six steps from the province view; DOM = elements at the "
            "province view. Ratios are maplayout / folium (folium + MarkerCluster, one "
            "`Marker` with a popup per point, saved offline by `maplayout.interop.save_offline`)."
        )
        write_docs(note + "\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
