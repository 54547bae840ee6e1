# %% [markdown]
# # Bring your own: another place, your own layer, GIS and Word
#
# A template to copy: a plan for another place of the shipped data (the Dongting Lake area
# in the north of Hunan — the shipped boundaries cover Hunan today; other provinces follow),
# drawn as a **folium** map with a layer of your own added, exported to a **GeoPackage**
# for QGIS / ArcGIS, and a print figure for **Word**. Everything is written to `output/`,
# which git ignores. Change the places, roles and sites below and run it again.

# %%
from pathlib import Path

import folium
import geopandas as gpd
from folium.plugins import MarkerCluster

import maplayout
from maplayout.model import build_model
from maplayout.plan import load_plan_text
from maplayout.print.figure import make_figure

OUT = Path("output") / "bring-your-own"
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. Your plan
# Places are names or adcodes of prefectures or counties of the region; each statement
# cites the paragraph of your source it comes from.

# %%
PLAN = """
format: maplayout/1
id: dongting-example
region: 湖南
title: {zh-Hans: 环洞庭湖示例布局, en: Dongting Lake example layout}
source:
  publication: {zh-Hans: 示例笔记, en: Example notes}
  date: 2024-06-01
  paragraphs: [P1, P2]
units:
  - place: 岳阳
    role: core
    source: P1
  - place: 常德
    role: corridor
    source: P1
  - place: 益阳
    role: corridor
    source: P1
links:
  - id: yy-cd
    role: corridor
    from: 岳阳
    to: 常德
    direction: forward
    label: {zh-Hans: 沿湖走廊, en: Lakeside corridor}
    source: P1
sites:
  - id: port
    name: {zh-Hans: 城陵矶示例点, en: Chenglingji example point}
    kind: ftz
    host: 岳阳
    lon: 113.18
    lat: 29.47
    datum: WGS-84
    precision: approximate
    radius_m: 3000
    source: P2
"""
plan = load_plan_text(PLAN)
model = build_model(plan)
model

# %% [markdown]
# ## 2. A folium map, and your own layer on it
# `explore()` gives a `folium.Map` with every layer of the layout; add what you like —
# here a `MarkerCluster` of made-up company locations — then save it. `save_offline`
# writes one file that opens without a network (assets from installed packages).

# %%
m = model.explore(lang="en", width="100%", height=520)
companies = MarkerCluster(name="Companies (example)").add_to(m)
for i in range(12):
    folium.Marker([29.2 + 0.05 * (i % 4), 112.4 + 0.15 * (i // 4)], tooltip=f"#{i}").add_to(
        companies
    )
maplayout.save_offline(m, OUT / "explore.html")
m

# %% [markdown]
# ## 3. To a GeoPackage (QGIS, ArcGIS)
# One file, a layer each for units, groups, links, sites and context; list columns as
# `"P1;P2"`; the licence and attribution in the file's metadata.

# %%
gpkg = model.to_file(OUT / "layout.gpkg", force=True)
gpd.read_file(gpkg, layer="sites")[["id", "name_zh_hans", "precision", "source_refs"]]

# %% [markdown]
# ## 4. A figure for Word
# PNG at 200 dpi fits a Word page at full width; PDF or SVG stay sharp at any size.

# %%
from IPython.display import Image

png = make_figure(model, OUT / "figure.png", paper="A4-landscape", dpi=100)
Image(filename=str(png), width=600)
