"""Synthetic, deterministic inputs for the data-layer tests and the scaling benchmark.

``points_csv(n)`` is a CSV of ``n`` companies at points inside Hunan's counties, written in
GCJ-02 (as copied from Amap) with Chinese headers (名称, 类别, 员工数, 经度, 纬度); the same
``seed`` always gives the same bytes, so no 20,000-row file is kept in the repository.
``site_plan(n)`` is the default plan with ``n`` extra generated sites (the plan-size limits).

Usage::

    python benchmarks/make_points.py points 20000 out.csv
    python benchmarks/make_points.py sites 5000 plan.yaml
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import numpy as np
import shapely

CATEGORIES = ("算法", "算力", "数据", "应用", "硬件")


def points_wgs84(n: int, seed: int = 13) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lon, lat, county index)``: ``n`` WGS-84 points inside Hunan's counties.

    Rejection sampling in the province's bounds, in rounds of a fixed size, so the result
    depends only on ``n`` and ``seed``.
    """
    from maplayout.geo import load_units

    counties = load_units("county")
    geoms = np.asarray(counties.geometry.values)
    west, south, east, north = counties.total_bounds
    rng = np.random.default_rng(seed)
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    idx: list[np.ndarray] = []
    have = 0
    while have < n:
        x = np.round(rng.uniform(west, east, 4096), 6)
        y = np.round(rng.uniform(south, north, 4096), 6)
        hit = np.full(x.size, -1)
        for i, geom in enumerate(geoms):  # 122 vectorised tests per round
            inside = shapely.contains_xy(geom, x, y) & (hit < 0)
            hit[inside] = i
        keep = hit >= 0
        lons.append(x[keep])
        lats.append(y[keep])
        idx.append(hit[keep])
        have += int(keep.sum())
    return (np.concatenate(lons)[:n], np.concatenate(lats)[:n], np.concatenate(idx)[:n])


def points_csv(n: int, seed: int = 13) -> str:
    """A GCJ-02 CSV of ``n`` synthetic companies (header 名称,类别,员工数,经度,纬度)."""
    from maplayout.geo.datum import wgs84_to_gcj02

    lon, lat, _ = points_wgs84(n, seed)
    glon, glat = wgs84_to_gcj02(lon, lat)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["名称", "类别", "员工数", "经度", "纬度"])
    for i in range(n):
        writer.writerow(
            [
                f"企业{i + 1:05d}",
                CATEGORIES[i % len(CATEGORIES)],
                10 + (i * 37) % 490,
                f"{float(glon[i]):.6f}",
                f"{float(glat[i]):.6f}",
            ]
        )
    return out.getvalue()


def site_plan(n: int, seed: int = 13) -> str:
    """The default plan's text with ``n`` generated sites appended to its ``sites`` list."""
    from maplayout._paths import default_plan_path
    from maplayout.geo import load_units

    counties = load_units("county")
    lon, lat, idx = points_wgs84(n, seed)
    text = default_plan_path().read_text(encoding="utf-8")
    head, sep, tail = text.partition("\nsites:\n")
    lines = []
    for i in range(n):
        host = str(counties.iloc[int(idx[i])]["adcode"])  # counties: 122 hosts
        lines += [
            f"  - id: gen-{i + 1:05d}",
            f"    name: {{zh-Hans: 企业{i + 1:05d}, en: Company {i + 1:05d}}}",
            "    kind: data-centre",
            f"    host: '{host}'",
            f"    lon: {float(lon[i]):.6f}",
            f"    lat: {float(lat[i]):.6f}",
            "    datum: WGS-84",
            "    precision: approximate",
            "    radius_m: 500",
            "    source: P17",
        ]
    return head + sep + "\n".join(lines) + "\n" + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("points", "sites"))
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    text = points_csv(args.n) if args.what == "points" else site_plan(args.n)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
