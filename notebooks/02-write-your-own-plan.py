# %% [markdown]
# # Write your own plan
#
# A *plan* says which places play which role (core, corridor, node …), which corridors link
# them and where the named sites are — each with the paragraph of the source it comes from.
# This notebook writes a small plan from scratch, shows what a mistake looks like, fixes it,
# and draws the map. The full format is in `docs/plan-format.md`.

# %%
from pathlib import Path

from maplayout.model import build_model
from maplayout.plan import load_plan, validate_plan
from maplayout.print.figure import make_figure
from maplayout.publish.embed import alt_text
from maplayout.web import render_map

# %% [markdown]
# ## 1. The plan, as YAML text
# Three cities of the Changsha–Zhuzhou–Xiangtan area, one corridor and one site. Plans give
# Chinese (`zh-Hans`) and English; traditional characters are derived automatically.
#
# There is a typo in it on purpose: **株州** instead of 株洲.

# %%
PLAN = """
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
"""
OUT = Path("output")  # git-ignored: everything this notebook writes goes here
OUT.mkdir(exist_ok=True)
path = OUT / "my-plan.yaml"
path.write_text(PLAN, encoding="utf-8")

# %% [markdown]
# ## 2. Validate: every problem names the line, the field, the bad value and a fix

# %%
problems = validate_plan(path)
for p in problems:
    print(p)
# each problem also carries its parts: the line, the field, the bad value, the suggestions
errors = [p for p in problems if p.is_error]
[(p.line, p.path, p.value, p.suggestions) for p in errors]

# %% [markdown]
# ## 3. Fix it and validate again
# Take each unknown place's closest suggestion (check them: the first is usually right) —
# this works whatever cities you wrote.

# %%
fixed = PLAN
for p in errors:
    if p.suggestions and isinstance(p.value, str):
        fixed = fixed.replace(p.value, p.suggestions[0].removesuffix("市"))
path.write_text(fixed, encoding="utf-8")
assert [p for p in validate_plan(path) if p.is_error] == []
plan = load_plan(path)
print(plan.summary())

# %% [markdown]
# ## 4. Join with the boundaries and look at the result

# %%
model = build_model(plan, level="prefecture")
model.units.loc[model.units["role"] != "", ["name_zh_hans", "role", "role_label_zh_hans"]]

# %%
print(alt_text(model, "zh-Hans"))
print(alt_text(model, "en"))

# %% [markdown]
# ## 5. Render the interactive map and a print figure

# %%
page = render_map(model, lang="en")  # the HTML text, with .save() and an inline display
page.save(OUT / "my-first-plan.html")
page

# %%
from IPython.display import Image

png = make_figure(model, OUT / "my-first-plan.png", dpi=80)
Image(filename=str(png), width=600)

# %% [markdown]
# From here: `maplayout build my-plan.yaml --out my-maps` writes the maps, the print figure
# and the embed kit for a report.
