"""Made-up development zones in EPSG:3857 and a plan that uses them (own boundaries tests).

Six 6 km squares (in Web Mercator metres, about 5.3 km on the ground) in a 3 × 2 grid south
of Changsha, built in code: ids Z1–Z6, a zh-Hans name column 名称, English names for four of
them (the other two fall back to zh-Hans) and the district each lies in.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from pyproj import Transformer
from shapely.geometry import box

NAMES = ("麓山数谷", "星沙智造园", "湘江算力港", "洋湖创新区", "梅溪湖片区", "暮云产业园")
ENGLISH = (
    "Lushan Data Valley",
    "Xingsha Smart Park",
    "",
    "Yanghu Innovation Zone",
    "",
    "Muyun Park",
)
STEP_M = 6000.0
ORIGIN = (112.90, 28.10)  # lon/lat of the grid's south-west corner

PLAN = """\
format: maplayout/1
id: zones-demo
region: 湖南
title: {zh-Hans: 开发区布局, en: Development zones}
source:
  publication: {zh-Hans: 测试资料, en: Test source}
  date: 2024-01-01
  paragraphs: [P1, P2]
boundaries:
  file: zones.gpkg
  layer: zones
  id: zone_id
  name: 名称
  name_en: name_en
  parent: district
units:
  - place: 麓山数谷
    role: core
    source: P1
  - place: Z2
    role: corridor
    source: P1
  - place: 湘江算力港
    role: node
    source: P1
groups:
  - id: south
    label: {zh-Hans: 南片, en: South}
    members: [洋湖創新區, Z5, Muyun Park]
    source: P1
links:
  - id: axis
    role: corridor
    from: 麓山数谷
    to: 暮云产业园
    label: {zh-Hans: 走廊, en: Corridor}
    source: P1
sites:
  - id: dc
    name: {zh-Hans: 数据中心, en: Data centre}
    kind: computing-centre
    host: Z1
    lon: 112.93
    lat: 28.125
    datum: WGS-84
    precision: approximate
    radius_m: 800
    source: P2
"""


def make_zones(crs: str = "EPSG:3857") -> gpd.GeoDataFrame:
    """The six zones in ``crs`` (built in EPSG:3857, then reprojected)."""
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    x0, y0 = to_m.transform(*ORIGIN)
    rows = []
    for k, (name, english) in enumerate(zip(NAMES, ENGLISH, strict=True)):
        i, j = k % 3, k // 3
        rows.append(
            {
                "zone_id": f"Z{k + 1}",
                "名称": name,
                "name_en": english,
                "district": "岳麓区" if i == 0 else "雨花区",
                "geometry": box(
                    x0 + i * STEP_M, y0 + j * STEP_M, x0 + (i + 1) * STEP_M, y0 + (j + 1) * STEP_M
                ),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:3857")
    return frame if crs == "EPSG:3857" else frame.to_crs(crs)


def write_zones(folder: Path, frame: gpd.GeoDataFrame | None = None) -> Path:
    """``zones.gpkg`` (layer ``zones``) in ``folder``."""
    path = folder / "zones.gpkg"
    (make_zones() if frame is None else frame).to_file(path, layer="zones", driver="GPKG")
    return path


def write_plan(folder: Path, text: str = PLAN, frame: gpd.GeoDataFrame | None = None) -> Path:
    """The plan and its zones in ``folder``; the plan's path."""
    write_zones(folder, frame)
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path
