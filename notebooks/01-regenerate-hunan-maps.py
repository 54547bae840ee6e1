# %% [markdown]
# # Regenerate the Hunan AI layout maps
#
# This notebook rebuilds every default map of maplayout from the embedded plan — the Hunan AI
# industry layout described by Hunan Daily on 2023-12-21 — step by step:
# **load → validate → join → inspect the tables → render → write → figure and snapshot**.
#
# Everything is written into `maps/` next to this notebook. Nothing needs the network.

# %%
from pathlib import Path

import pandas as pd

import maplayout
from maplayout.model import build_model
from maplayout.plan import load_plan, validate_plan
from maplayout.print.figure import make_figure
from maplayout.publish.pipeline import build
from maplayout.publish.snapshots import find_chromium, snapshot
from maplayout.web import render_map

pd.set_option("display.max_colwidth", 40)
OUT = Path("output") / "maps"  # output/ is git-ignored: run and rerun freely
print("maplayout", maplayout.__version__)

# %% [markdown]
# ## 1. Load and validate the plan
# `load_plan()` with no argument reads the embedded default plan. `validate_plan()` returns
# the list of problems — empty for a valid plan.

# %%
problems = validate_plan()
assert problems == [], problems
plan = load_plan()
print(plan.summary())

# %% [markdown]
# ## 2. Join the plan with the boundaries
# `build_model()` turns the plan into a `LayoutModel`: GeoDataFrames of units, groups, links, sites
# and context, plus the legend and the article's facts. The layout map is at prefecture
# level; the county view uses the same plan over the 122 counties.

# %%
layout = build_model(plan, level="prefecture")
county = build_model(plan, level="county")
layout.check()
county.check()
print(
    len(layout.units),
    "prefectures,",
    len(county.units),
    "counties,",
    len(layout.links),
    "corridors,",
    len(layout.sites),
    "sites",
)

# %% [markdown]
# ## 3. Inspect the tables

# %%
layout.units[["adcode", "name_zh_hans", "name_en", "role", "role_label_zh_hans", "block"]]

# %%
layout.links[["id", "label_zh_hans", "label_en", "stops", "direction"]]

# %%
layout.sites[["id", "name_zh_hans", "kind", "precision", "radius_m", "source_refs"]]

# %%
pd.DataFrame(
    [
        {
            "id": f["id"],
            "label": f["label"]["zh-Hans"],
            "value": f["value"],
            "shown (en)": (f["display"] or {}).get("en", ""),
            "year": f["year"],
            "source": ", ".join(f["source_refs"]),
        }
        for f in layout.facts
    ]
).head(12)

# %% [markdown]
# ## 4. Render
# `render_map()` returns one self-contained HTML document (Leaflet and data inlined): a
# string that also has `.save(path)` and shows itself here, in an isolated iframe.

# %%
html = render_map(layout, lang="zh-Hans")
print(f"{len(html.encode()) / 1024:.0f} KB")
html

# %% [markdown]
# ## 5. Write every map
# `build()` writes the layout map, the county view, `index.html`, the build manifest, the
# print figure of the layout map and the embed kit (iframe snippet, HTML fragment, alt text,
# caption, data tables). With a Chromium installed it also takes PNG snapshots and thumbnails.

# %%
result = build(None, OUT, snapshots="auto")
print(result.summary())

# %% [markdown]
# The embed kit: paste this fragment into a report page.

# %%
print((OUT / "hunan-ai-2023.embed.html").read_text(encoding="utf-8"))

# %% [markdown]
# ## 6. Print figure and snapshot
# A print figure needs no browser: SVG, PDF or PNG by file suffix, A4 landscape or portrait.
# A snapshot needs Chromium; here at twice the pixel density.

# %%
from IPython.display import Image, display

fig = make_figure(county, OUT / "county-portrait.png", paper="A4-portrait", dpi=80)
Image(filename=str(fig), width=420)

# %%
if find_chromium():
    png = snapshot(
        OUT / "hunan-ai-2023.html", OUT / "layout@2x.png", width=800, height=500, scale=2
    )
    display(Image(filename=str(png), width=600))
else:
    print("no Chromium: apt-get install chromium to take snapshots")
