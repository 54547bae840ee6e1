"""Generate the notebooks in notebooks/ (stored without outputs), reproducibly.

    python scripts/make_notebooks.py          # (re)write notebooks/*.ipynb
    python scripts/make_notebooks.py --check  # exit 1 if a stored notebook differs

Edit the cells here, not in Jupyter, so the stored notebooks stay output-free and diffable.
tests/test_notebooks.py runs both notebooks top to bottom in a clean kernel.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks"


def _nb(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, src) in enumerate(cells):
        cell = new_markdown_cell(src.strip()) if kind == "md" else new_code_cell(src.strip())
        cell["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives identical files
        nb.cells.append(cell)
    return nb


REGENERATE = [
    (
        "md",
        """
# Regenerate the Hunan AI layout maps

This notebook rebuilds every default map of maplayout from the embedded plan — the Hunan AI
industry layout described by Hunan Daily on 2023-12-21 — step by step:
**load → validate → join → inspect the tables → render → write → figure and snapshot**.

Everything is written into `maps/` next to this notebook. Nothing needs the network.
""",
    ),
    (
        "code",
        """
from pathlib import Path

import pandas as pd

import maplayout
from maplayout.embed import MapHTML
from maplayout.export import build
from maplayout.figure import make_figure
from maplayout.join import join
from maplayout.plan import load_plan, validate_plan
from maplayout.render import render_map
from maplayout.snapshot import find_chromium, snapshot

pd.set_option("display.max_colwidth", 40)
OUT = Path("maps")
print("maplayout", maplayout.__version__)
""",
    ),
    (
        "md",
        """
## 1. Load and validate the plan
`load_plan()` with no argument reads the embedded default plan. `validate_plan()` returns
the list of problems — empty for a valid plan.
""",
    ),
    (
        "code",
        """
problems = validate_plan()
assert problems == [], problems
plan = load_plan()
print(plan.summary())
""",
    ),
    (
        "md",
        """
## 2. Join the plan with the boundaries
`join()` turns the plan into a `LayoutModel`: GeoDataFrames of units, groups, links, sites
and context, plus the legend and the article's facts. The layout map is at prefecture
level; the county view uses the same plan over the 122 counties.
""",
    ),
    (
        "code",
        """
layout = join(plan, level="prefecture")
county = join(plan, level="county")
layout.check()
county.check()
print(len(layout.units), "prefectures,", len(county.units), "counties,",
      len(layout.links), "corridors,", len(layout.sites), "sites")
""",
    ),
    ("md", "## 3. Inspect the tables"),
    (
        "code",
        """
layout.units[["adcode", "name_zh_hans", "name_en", "role", "role_label_zh_hans", "block"]]
""",
    ),
    (
        "code",
        """
layout.links[["id", "label_zh_hans", "label_en", "stops", "direction"]]
""",
    ),
    (
        "code",
        """
layout.sites[["id", "name_zh_hans", "kind", "precision", "radius_m", "source_refs"]]
""",
    ),
    (
        "code",
        """
pd.DataFrame([{"id": f["id"], "label": f["label"]["zh-Hans"], "value": f["value"],
               "shown (en)": (f["display"] or {}).get("en", ""),
               "year": f["year"], "source": ", ".join(f["source_refs"])}
              for f in layout.facts]).head(12)
""",
    ),
    (
        "md",
        """
## 4. Render
`render_map()` returns one self-contained HTML document (Leaflet and data inlined).
`MapHTML` shows it inline here, in an isolated iframe.
""",
    ),
    (
        "code",
        """
html = render_map(layout, lang="zh-Hans")
print(f"{len(html.encode()) / 1024:.0f} KB")
MapHTML(html, height=520, title="湖南人工智能产业布局")
""",
    ),
    (
        "md",
        """
## 5. Write every map
`build()` writes the layout map, the county view, `index.html`, the build manifest, the
print figure of the layout map and the embed kit (iframe snippet, HTML fragment, alt text,
caption, data tables). With a Chromium installed it also takes PNG snapshots and thumbnails.
""",
    ),
    (
        "code",
        """
result = build(None, OUT, snapshots="auto")
print(result.summary())
""",
    ),
    ("md", "The embed kit: paste this fragment into a report page."),
    (
        "code",
        """
print((OUT / "hunan-ai-2023.embed.html").read_text(encoding="utf-8"))
""",
    ),
    (
        "md",
        """
## 6. Print figure and snapshot
A print figure needs no browser: SVG, PDF or PNG by file suffix, A4 landscape or portrait.
A snapshot needs Chromium; here at twice the pixel density.
""",
    ),
    (
        "code",
        """
from IPython.display import Image

fig = make_figure(county, OUT / "county-portrait.png", paper="A4-portrait", dpi=80)
Image(filename=str(fig), width=420)
""",
    ),
    (
        "code",
        """
if find_chromium():
    png = snapshot(OUT / "hunan-ai-2023.html", OUT / "layout@2x.png", width=800, height=500,
                   scale=2)
    display(Image(filename=str(png), width=600))
else:
    print("no Chromium: apt-get install chromium to take snapshots")
""",
    ),
]

OWN_PLAN = [
    (
        "md",
        """
# Write your own plan

A *plan* says which places play which role (core, corridor, node …), which corridors link
them and where the named sites are — each with the paragraph of the source it comes from.
This notebook writes a small plan from scratch, shows what a mistake looks like, fixes it,
and draws the map. The full format is in `docs/plan-format.md`.
""",
    ),
    (
        "code",
        """
from pathlib import Path

from maplayout.embed import MapHTML, alt_text
from maplayout.figure import make_figure
from maplayout.join import join
from maplayout.plan import load_plan, validate_plan
from maplayout.render import render_map
""",
    ),
    (
        "md",
        """
## 1. The plan, as YAML text
Three cities of the Changsha–Zhuzhou–Xiangtan area, one corridor and one site. Plans give
Chinese (`zh-Hans`) and English; traditional characters are derived automatically.

There is a typo in it on purpose: **株州** instead of 株洲.
""",
    ),
    (
        "code",
        """
PLAN = '''
format: maplayout/1
id: my-first-plan
region: 湖南
title: {zh-Hans: 我的第一个布局, en: My first layout}
source:
  publication: {zh-Hans: 我的笔记, en: My notes}
  date: 2024-05-01
  paragraphs: [P1, P2]
units:
  - place: 长沙
    role: core
    source: P1
  - place: 株州
    role: corridor
    label: {zh-Hans: 数据走廊, en: Data corridor}
    source: P1
  - place: 湘潭
    role: corridor
    source: P1
groups:
  - id: czt
    label: {zh-Hans: 长株潭, en: Chang-Zhu-Tan}
    block: CZT
    source: P1
links:
  - id: cs-zz
    role: corridor
    from: 长沙
    to: 株洲
    direction: forward
    label: {zh-Hans: 数据走廊, en: Data corridor}
    source: P1
sites:
  - id: yuelu
    name: {zh-Hans: 岳麓山示例点, en: Yuelu example point}
    kind: laboratory
    host: 长沙
    lon: 112.94
    lat: 28.18
    datum: WGS-84
    precision: approximate
    radius_m: 2000
    source: P2
'''
path = Path("my-plan.yaml")
path.write_text(PLAN, encoding="utf-8")
""",
    ),
    (
        "md",
        """
## 2. Validate: every problem names the line, the field, the bad value and a fix
""",
    ),
    (
        "code",
        """
problems = validate_plan(path)
for p in problems:
    print(p)
assert [str(p) for p in problems] == [
    "my-plan.yaml:14: units[1].place: unknown place '株州'; expected a prefecture or county "
    "name or adcode in 湖南省; closest: 株洲市, 郴州市, 永州市"
]
""",
    ),
    ("md", "## 3. Fix it and validate again"),
    (
        "code",
        """
path.write_text(PLAN.replace("株州", "株洲"), encoding="utf-8")
assert validate_plan(path) == []
plan = load_plan(path)
print(plan.summary())
""",
    ),
    ("md", "## 4. Join with the boundaries and look at the result"),
    (
        "code",
        """
model = join(plan, level="prefecture")
model.units.loc[model.units["role"] != "", ["name_zh_hans", "role", "role_label_zh_hans"]]
""",
    ),
    (
        "code",
        """
print(alt_text(model, "zh-Hans"))
print(alt_text(model, "en"))
""",
    ),
    ("md", "## 5. Render the interactive map and a print figure"),
    (
        "code",
        """
html = render_map(model, lang="en")
MapHTML(html, height=480, title="My first layout").save("my-first-plan.html")
MapHTML(html, height=480, title="My first layout")
""",
    ),
    (
        "code",
        """
from IPython.display import Image

png = make_figure(model, "my-first-plan.png", dpi=80)
Image(filename=str(png), width=600)
""",
    ),
    (
        "md",
        """
From here: `maplayout build my-plan.yaml --out my-maps` writes the maps, the print figure
and the embed kit for a report.
""",
    ),
]

NOTEBOOKS = {
    "01-regenerate-hunan-maps.ipynb": REGENERATE,
    "02-write-your-own-plan.ipynb": OWN_PLAN,
}


def render(cells: list[tuple[str, str]]) -> str:
    return nbformat.writes(_nb(cells)) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    args = p.parse_args(argv)
    stale = []
    for name, cells in NOTEBOOKS.items():
        text = render(cells)
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        OUT.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
    if stale:
        print(f"stale notebooks (run scripts/make_notebooks.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
