"""Every translated string table of maplayout, and nothing else: plain data, no imports from
the package, so every stage (the plan stage included) can read it without an import cycle.

:mod:`maplayout.text` builds the texts the renderers show (citation, titles, attribution) from
these tables; a UI string of the page is edited in ``static/ui.json`` (read by
:func:`ui_strings`), any other translated string here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

__all__ = [
    "BASEMAP_ATTRIBUTIONS",
    "BASEMAP_LABELS",
    "KIND_NAMES",
    "PRECISION_NAMES",
    "PRESET_LABELS",
    "TABLE_HEADINGS",
    "UI",
    "UI_JSON",
    "ui_strings",
]

#: The page's UI strings, ``{lang: {key: text}}`` (also read by the print figure's legend).
#: It stays a JSON file because every page embeds it whole (its bytes are the page's).
UI_JSON = Path(__file__).resolve().parent / "static" / "ui.json"


@lru_cache(maxsize=1)
def ui_strings() -> dict[str, dict[str, str]]:
    """The page's UI strings in every language (``static/ui.json``), read once."""
    data: dict[str, dict[str, str]] = json.loads(UI_JSON.read_text(encoding="utf-8"))
    return data


#: Short texts of the embed kit and the page, per language.
UI: dict[str, dict[str, str]] = {
    "source": {"zh-Hans": "来源", "zh-Hant": "來源", "en": "Source"},
    "review": {"zh-Hans": "审图号", "zh-Hant": "審圖號", "en": "Map review no."},
    "open": {
        "zh-Hans": "打开交互地图",
        "zh-Hant": "打開互動地圖",
        "en": "Open the interactive map",
    },
    "map_of": {"zh-Hans": "地图：", "zh-Hant": "地圖：", "en": "Map: "},
    # the name of a plan's own units in the page's layer control and text version (added to
    # the page's UI strings only on such pages: see text.page_ui)
    "zone.units": {"zh-Hans": "分区", "zh-Hant": "分區", "en": "Zones"},
    "zone.parents": {"zh-Hans": "所在区域界", "zh-Hant": "所在區域界", "en": "Parent area borders"},
    "zone.context": {"zh-Hans": "分区范围", "zh-Hant": "分區範圍", "en": "Outline of the zones"},
    # the credit of a plan's own boundaries that names no attribution ("{file}": its file)
    "own_boundaries": {
        "zh-Hans": "用户提供（{file}）",
        "zh-Hant": "用戶提供（{file}）",
        "en": "user-supplied ({file})",
    },
    # counts: "{n}" is the number; English has "one|other" forms (see text.count_text)
    "sites": {"zh-Hans": "{n}个地点", "zh-Hant": "{n}個地點", "en": "{n} site|{n} sites"},
    "regions": {"zh-Hans": "区域", "zh-Hant": "區域", "en": "Regions"},
    "approx": {
        "zh-Hans": "其中{n}个位置为近似，以虚线圆表示不确定范围",
        "zh-Hant": "其中{n}個位置為近似，以虛線圓表示不確定範圍",
        "en": "{n} of them approximate, drawn with a dashed uncertainty circle",
    },
    "para": {"zh-Hans": "段落", "zh-Hant": "段落", "en": "paragraphs"},
    "sep": {"zh-Hans": "；", "zh-Hant": "；", "en": "; "},
    "list": {"zh-Hans": "、", "zh-Hant": "、", "en": ", "},
    "colon": {"zh-Hans": "：", "zh-Hant": "：", "en": ": "},
    "stop": {"zh-Hans": "。", "zh-Hant": "。", "en": "."},
    "county": {"zh-Hans": "（区县视图）", "zh-Hant": "（區縣視圖）", "en": " (county view)"},
    # a national plan's second map, and its provinces (added to the page's UI strings only on
    # province maps: see text.page_ui)
    "prefecture": {
        "zh-Hans": "（地市视图）",
        "zh-Hant": "（地市視圖）",
        "en": " (prefecture view)",
    },
    "province.units": {"zh-Hans": "省级行政区", "zh-Hant": "省級行政區", "en": "Provinces"},
    # the search box's example on pages of other regions (ui.json's names 株洲, Hunan's city):
    # one of the page's own units, its short names filled in
    "search.example": {
        "zh-Hans": "搜索：{zh_hans}、{en}…",
        "zh-Hant": "搜尋：{zh_hant}、{en}…",
        "en": "Search: {en}, {zh_hans}…",
    },
    # the legend's neighbours of a city region (ui.json's legend.neighbour says provinces)
    "neighbour.prefecture": {
        "zh-Hans": "邻近市州",
        "zh-Hant": "鄰近市州",
        "en": "Neighbouring prefectures",
    },
    # the print figure
    "figure.legend": {"zh-Hans": "图例", "zh-Hant": "圖例", "en": "Legend"},
    "figure.sites": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "Sites"},
    "figure.inset": {"zh-Hans": "地点放大图", "zh-Hant": "地點放大圖", "en": "Sites, enlarged"},
    "figure.north": {"zh-Hans": "北", "zh-Hant": "北", "en": "N"},
    "figure.interp_mark": {"zh-Hans": "※", "zh-Hant": "※", "en": "*"},
    # the figure's data layers (one legend row each), their sources and the continued key
    "figure.layer_points": {
        "zh-Hans": "{label}（{count} 个）",
        "zh-Hant": "{label}（{count} 個）",
        "en": "{label} ({count})",
    },
    "figure.layer_counts": {
        "zh-Hans": "{label}（{count} 个；圆面积示各区数量，最多 {max}）",
        "zh-Hant": "{label}（{count} 個；圓面積示各區數量，最多 {max}）",
        "en": "{label} ({count}; circle area: count per unit, largest {max})",
    },
    "figure.layer_source": {"zh-Hans": "图层数据", "zh-Hant": "圖層資料", "en": "Layer data"},
    "figure.key_more": {
        "zh-Hans": "地点 {first}–{last} 见 PDF 版第 {pages} 页",
        "zh-Hant": "地點 {first}–{last} 見 PDF 版第 {pages} 頁",
        "en": "Sites {first}–{last}: see page {pages} of the PDF figure|"
        "Sites {first}–{last}: see pages {pages} of the PDF figure",
    },
    "figure.key_continued": {
        "zh-Hans": "地点（续）",
        "zh-Hant": "地點（續）",
        "en": "Sites (continued)",
    },
    "figure.interp_note": {
        "zh-Hans": "※ 含解读：规划对原文的理解，非原文明言（见交互地图）",
        "zh-Hant": "※ 含解讀：規劃對原文的理解，非原文明言（見互動地圖）",
        "en": "* interpretation: what the plan reads into the source, "
        "not its words (see the interactive map)",
    },
    # the index page: what each map shows
    "index.layout": {
        "zh-Hans": "市州层面的布局图：核心、走廊、节点区域与重点载体。",
        "zh-Hant": "市州層面的佈局圖：核心、走廊、節點區域與重點載體。",
        "en": "The layout at prefecture level: core, corridors, node regions and sites.",
    },
    "index.county": {
        "zh-Hans": "区县视图：同一布局落到 122 个区县，显示跨板块的区县与市州界。",
        "zh-Hant": "區縣視圖：同一佈局落到 122 個區縣，顯示跨板塊的區縣與市州界。",
        "en": "The county view: the same plan over the counties, with block exceptions "
        "and prefecture borders.",
    },
    "index.layout_province": {
        "zh-Hans": "省级层面的布局图：核心、走廊、节点区域与重点载体。",
        "zh-Hant": "省級層面的佈局圖：核心、走廊、節點區域與重點載體。",
        "en": "The layout at province level: core, corridors, node regions and sites.",
    },
    "index.layout_county": {
        "zh-Hans": "区县层面的布局图：核心、走廊、节点区域与重点载体。",
        "zh-Hant": "區縣層面的佈局圖：核心、走廊、節點區域與重點載體。",
        "en": "The layout at county level: core, corridors, node regions and sites.",
    },
    "index.layout_zone": {
        "zh-Hans": "分区层面的布局图：核心、走廊、节点区域与重点载体（用户提供的边界）。",
        "zh-Hant": "分區層面的佈局圖：核心、走廊、節點區域與重點載體（用戶提供的邊界）。",
        "en": "The layout over the plan's own zones: core, corridors, node regions and sites.",
    },
    "index.county_any": {
        "zh-Hans": "区县视图：同一布局落到区县，显示市州界。",
        "zh-Hant": "區縣視圖：同一佈局落到區縣，顯示市州界。",
        "en": "The county view: the same plan over the counties, with prefecture borders.",
    },
    "index.prefecture": {
        "zh-Hans": "地市视图：同一布局落到地级市州。",
        "zh-Hant": "地市視圖：同一佈局落到地級市州。",
        "en": "The prefecture view: the same plan over the prefectures.",
    },
    # the index page: links to what a build writes beside each map
    "link.pdf": {"zh-Hans": "打印图 PDF", "zh-Hant": "列印圖 PDF", "en": "Print figure (PDF)"},
    "link.svg": {"zh-Hans": "SVG", "zh-Hant": "SVG", "en": "SVG"},
    "link.figure_png": {
        "zh-Hans": "打印图 PNG",
        "zh-Hant": "列印圖 PNG",
        "en": "Print figure (PNG)",
    },
    "link.png": {"zh-Hans": "PNG 截图", "zh-Hant": "PNG 截圖", "en": "Screenshot (PNG)"},
    "link.embed": {"zh-Hans": "嵌入代码", "zh-Hant": "嵌入代碼", "en": "Embed code"},
    "link.csv": {"zh-Hans": "数据表 CSV", "zh-Hant": "數據表 CSV", "en": "Data table (CSV)"},
    # data layers counted against the layout: "核心 长沙: 812 家 (41 %)"
    "layer.count": {
        "zh-Hans": "{label}: {count} 家 ({share} %)",
        "zh-Hant": "{label}: {count} 家 ({share} %)",
        "en": "{label}: {count} ({share} %)",
    },
    "layer.outside": {"zh-Hans": "区域外", "zh-Hant": "區域外", "en": "Outside"},
    "layer.no_role": {"zh-Hans": "其他地区", "zh-Hant": "其他地區", "en": "Other areas"},
    # the page's data-layer texts (only a page with layers carries them)
    "layer.view.points": {
        "zh-Hans": "{label}：点位",
        "zh-Hant": "{label}：點位",
        "en": "{label}: points",
    },
    "layer.view.units": {
        "zh-Hans": "{label}：各地数量",
        "zh-Hant": "{label}：各地數量",
        "en": "{label}: count per area",
    },
    "layer.view.hexbins": {
        "zh-Hans": "{label}：六边形网格",
        "zh-Hant": "{label}：六邊形網格",
        "en": "{label}: hexagon grid",
    },
    "layer.view.none": {"zh-Hans": "不显示数据", "zh-Hant": "不顯示數據", "en": "No data layer"},
    "layer.n": {"zh-Hans": "{count} 家", "zh-Hant": "{count} 家", "en": "{count}"},
    "layer.col.row": {"zh-Hans": "行号", "zh-Hant": "行號", "en": "Row"},
    "layer.col.name": {"zh-Hans": "名称", "zh-Hant": "名稱", "en": "Name"},
    "layer.col.unit": {"zh-Hans": "所在地区", "zh-Hant": "所在地區", "en": "Area"},
    "layer.col.link": {"zh-Hans": "链接", "zh-Hant": "連結", "en": "Link"},
    "layer.layer": {"zh-Hans": "数据图层", "zh-Hant": "數據圖層", "en": "Data layer"},
    "layer.source_line": {
        "zh-Hans": "数据来源：{title}",
        "zh-Hant": "數據來源：{title}",
        "en": "Data source: {title}",
    },
    "layer.counts": {
        "zh-Hans": "{label}：各地数量",
        "zh-Hant": "{label}：各地數量",
        "en": "{label}: counts",
    },
    "layer.table.show": {
        "zh-Hans": "显示数据表（共 {total} 行）",
        "zh-Hant": "顯示數據表（共 {total} 行）",
        "en": "Show the data table ({total} rows)",
    },
    "layer.table.more": {
        "zh-Hans": "再显示 {n} 行",
        "zh-Hant": "再顯示 {n} 行",
        "en": "Show {n} more rows",
    },
    "layer.table.shown": {
        "zh-Hans": "显示第 1–{shown} 行，共 {total} 行",
        "zh-Hant": "顯示第 1–{shown} 行，共 {total} 行",
        "en": "Rows 1–{shown} of {total}",
    },
}

#: Column headings of the data table, per language.
TABLE_HEADINGS: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("类别", "编号", "名称", "角色", "所在/成员", "说明", "数值", "来源段落", "解读"),
    "zh-Hant": ("類別", "編號", "名稱", "角色", "所在/成員", "說明", "數值", "來源段落", "解讀"),
    "en": ("kind", "id", "name", "role", "where / members", "note", "value", "source",
           "interpretation"),
}  # fmt: skip
#: The data table's row kinds, per language.
KIND_NAMES: dict[str, dict[str, str]] = {
    "unit": {"zh-Hans": "行政单元", "zh-Hant": "行政單元", "en": "unit"},
    "zone": {"zh-Hans": "分区", "zh-Hant": "分區", "en": "zone"},  # a plan's own boundaries
    "group": {"zh-Hans": "区域", "zh-Hant": "區域", "en": "region"},
    "link": {"zh-Hans": "走廊", "zh-Hant": "走廊", "en": "link"},
    "site": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "site"},
    "fact": {"zh-Hans": "数据", "zh-Hant": "數據", "en": "figure"},
}
#: A site's position precision as the data table says it, per language.
PRECISION_NAMES: dict[str, dict[str, str]] = {
    "surveyed": {"zh-Hans": "精确位置", "zh-Hant": "精確位置", "en": "surveyed position"},
    "approximate": {"zh-Hans": "近似位置", "zh-Hant": "近似位置", "en": "approximate position"},
    "placeholder": {"zh-Hans": "示意位置", "zh-Hant": "示意位置", "en": "placeholder position"},
}

#: Labels of the preset roles and site kinds: ``{section: {id: (zh-Hans, en)}}``.
PRESET_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "roles": {
        "core": ("核心", "Core"),
        "sub-centre": ("副中心", "Sub-centre"),
        "corridor": ("走廊", "Corridor"),
        "band": ("发展带", "Development band"),
        "axis": ("发展轴", "Development axis"),
        "node": ("节点", "Node"),
        "zone": ("功能区", "Zone"),
    },
    "site_kinds": {
        "innovation-base": ("创新基地", "Innovation base"),
        "science-city": ("科学城", "Science city"),
        "ftz": ("自由贸易试验区", "Pilot free-trade zone"),
        "industrial-park": ("产业园区", "Industrial park"),
        "development-zone": ("开发区", "Development zone"),
        "data-centre": ("数据中心", "Data centre"),
        "laboratory": ("实验室", "Laboratory"),
        "computing-centre": ("计算中心", "Computing centre"),
        "other": ("其他", "Other"),
    },
}

#: The basemaps' names in the layer control, per language.
BASEMAP_LABELS: dict[str, dict[str, str]] = {
    "none": {"zh-Hans": "无底图", "zh-Hant": "無底圖", "en": "No basemap"},
    "osm": {"zh-Hans": "OpenStreetMap", "zh-Hant": "OpenStreetMap", "en": "OpenStreetMap"},
    "carto-light": {"zh-Hans": "CARTO 浅色", "zh-Hant": "CARTO 淺色", "en": "CARTO light"},
    "gaode": {"zh-Hans": "高德地图", "zh-Hant": "高德地圖", "en": "Gaode (Amap)"},
    "tianditu": {"zh-Hans": "天地图", "zh-Hant": "天地圖", "en": "Tianditu"},
}

#: The basemaps' attributions, per language.
BASEMAP_ATTRIBUTIONS: dict[str, dict[str, str]] = {
    "none": {"zh-Hans": "", "zh-Hant": "", "en": ""},
    "osm": {
        "zh-Hans": "底图 © OpenStreetMap 贡献者 (ODbL)",
        "zh-Hant": "底圖 © OpenStreetMap 貢獻者 (ODbL)",
        "en": "Basemap © OpenStreetMap contributors (ODbL)",
    },
    "carto-light": {
        "zh-Hans": "底图 © OpenStreetMap 贡献者 © CARTO",
        "zh-Hant": "底圖 © OpenStreetMap 貢獻者 © CARTO",
        "en": "Basemap © OpenStreetMap contributors © CARTO",
    },
    "gaode": {
        "zh-Hans": "底图 © 高德地图 (GCJ-02；图层已转换)",
        "zh-Hant": "底圖 © 高德地圖 (GCJ-02；圖層已轉換)",
        "en": "Basemap © AutoNavi/Amap (GCJ-02; overlays shifted to match)",
    },
    "tianditu": {
        "zh-Hans": "底图 © 天地图 (CGCS2000)",
        "zh-Hant": "底圖 © 天地圖 (CGCS2000)",
        "en": "Basemap © Tianditu (CGCS2000)",
    },
}
