"""Presentation text shared by the renderers: the string table they share, the citation of the
source article, the attribution line and the facts as displayed.

For now this holds what both the web page (:mod:`maplayout.web`) and the embed kit
(:mod:`maplayout.publish.embed`) need, so neither imports the other; the next step of the redesign
grows it into the one string table of every UI text.

The attribution lines of the page, the embed kit and the print figure cite the source
through :func:`attribution_text` → :func:`citation`. Not yet: the index page's source line
(``export``), the map template's and the page script's own source lines, ``Plan.summary``
(the next step of the redesign moves them here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, pick_text, records
from maplayout.model.types import Fact

__all__ = [
    "UI",
    "attribution_text",
    "citation",
    "count_text",
    "display_facts",
    "fact_shown",
    "lang_texts",
    "name_site_ids",
    "row_texts",
    "title_text",
    "ui_strings",
    "ui_text",
    "view_suffix",
    "view_title",
]

#: The page's UI strings, ``{lang: {key: text}}`` (also read by the print figure's legend).
#: It stays at ``maplayout/static/ui.json`` until that figure reads it through
#: :func:`ui_strings`; it then joins the one string table here.
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
    # counts: "{n}" is the number; English has "one|other" forms (see count_text)
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
    # the print figure
    "figure.legend": {"zh-Hans": "图例", "zh-Hant": "圖例", "en": "Legend"},
    "figure.sites": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "Sites"},
    "figure.inset": {"zh-Hans": "地点放大图", "zh-Hant": "地點放大圖", "en": "Sites, enlarged"},
    "figure.north": {"zh-Hans": "北", "zh-Hant": "北", "en": "N"},
    "figure.interp_mark": {"zh-Hans": "※", "zh-Hant": "※", "en": "*"},
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
}


def ui_text(key: str, lang: str) -> str:
    """One UI string: from :data:`UI`, else from the page's table (``static/ui.json``)."""
    if key in UI:
        return UI[key][lang]
    return ui_strings()[lang][key]


def title_text(meta: Mapping[str, Any], lang: str, title: str | None = None) -> str:
    """The plan's title in ``lang`` (zh-Hans when it has none in ``lang``); ``title`` overrides."""
    if title:
        return title
    value = meta.get("title") or {}
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("zh-Hans") or "")
    return str(value)


def view_suffix(level: str, lang: str) -> str:
    """What a map's title gains at ``level``: the county view says so (「（区县视图）」)."""
    return UI["county"][lang] if level == "county" else ""


def view_title(model: LayoutModel, lang: str = "zh-Hans", title: str | None = None) -> str:
    """The map's title (``title`` overrides the plan's) with its view's suffix: the one
    definition the page's heading, the kit, the figure and the index page use."""
    head = title or pick_text(model.meta.get("title"), lang)
    return head + view_suffix(model.level, lang) if head else head


def count_text(n: int, key: str, lang: str) -> str:
    """``n`` things of :data:`UI` ``key`` in ``lang``: 「3个地点」, "1 site", "2 sites".

    An English entry gives its singular and plural forms as ``"{n} site|{n} sites"``.
    """
    forms = UI[key][lang].split("|")
    form = forms[0] if n == 1 or len(forms) == 1 else forms[1]
    return form.format(n=n)


def row_texts(row: Mapping[str, Any], name: str) -> dict[str, str]:
    """The multilingual field ``name`` of a model row as ``{lang: text}`` (``""`` when absent)."""
    return {lang: str(row.get(f"{name}_{LANG_SUFFIX[lang]}") or "") for lang in LANGS}


def lang_texts(value: Any) -> dict[str, str]:
    """``{lang: text}`` of a ``{lang: text}`` mapping or of one text for every language."""
    if isinstance(value, Mapping):
        return {lang: str(value.get(lang) or "") for lang in LANGS}
    text = "" if value is None else str(value)
    return dict.fromkeys(LANGS, text)


def name_site_ids(text: str, names: Mapping[str, str]) -> str:
    """Replace a site id quoted in a text (``点位见站点 xiangjiang-lab``) by the site's name."""
    if not text or not names:
        return text
    pattern = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])(?:{pattern})(?![\w-])", lambda m: names[m.group(0)], text)


def fact_shown(f: Mapping[str, Any]) -> dict[str, str]:
    """A fact's value as shown per language: its ``display`` text when the plan gives one
    (「152亿元」 / "15.2 billion yuan"), else the value and its unit ("" for no value)."""
    display = f.get("display")
    if isinstance(display, Mapping) and any(display.values()):
        return lang_texts(display)
    value = f.get("value")
    if value is None or value == "":
        return dict.fromkeys(LANGS, "")
    text = f"{value:g}" if isinstance(value, float) else str(value)
    unit = lang_texts(f.get("unit")) if f.get("unit") else dict.fromkeys(LANGS, "")
    return {lang: f"{text} {unit[lang]}".strip() for lang in LANGS}


def display_facts(model: LayoutModel) -> list[Fact]:
    """The article's figures for the info panel: headline figures (kind ``figure``) first,
    site ids in descriptions replaced by the site names, text values shown without a unit."""
    sites = records(model.sites)
    site_names = {lang: {str(r["id"]): row_texts(r, "name")[lang] for r in sites} for lang in LANGS}
    out: list[Fact] = []
    for fact in model.facts:
        f = cast(Fact, dict(fact))
        desc = f.get("description")
        if isinstance(desc, Mapping):
            f["description"] = {
                k: name_site_ids(str(v or ""), site_names.get(k, {})) for k, v in desc.items()
            }
        if isinstance(f.get("value"), str):
            f["unit"] = None  # 「前十强」 is the value itself, not a number of 名次
        f["shown"] = fact_shown(f)
        out.append(f)
    return sorted(out, key=lambda f: f.get("kind") != "figure")


_DATUM_FROM = re.compile(r"converted from ([^)\s]+)")


def citation(meta: Mapping[str, Any], lang: str, *, form: str = "full") -> str:
    """The source article: publication, date, author and title (``""`` when none).

    The one place a citation is written. ``form="full"``: the attribution lines (page, kit,
    figure). ``"index"``: the index page's source line, whose English form has always kept
    the publication and its date apart by a space. ``"short"``: publication and date only
    (the kit's caption).
    """
    src = meta.get("source") or {}
    pub, date = pick_text(src.get("publication"), lang), str(src.get("date") or "")
    author, art = pick_text(src.get("author"), lang), pick_text(src.get("title"), lang)
    en = lang == "en"
    if form == "short":
        return " ".join(p for p in (pub, date) if p)
    if form == "index":
        line = " ".join(p for p in (pub, date) if p)
        line += (f", {author}" if en else f"，{author}") if author else ""
        return line + ((f", “{art}”" if en else f"《{art}》") if art else "")
    if en:
        text = ", ".join(p for p in (pub, date, author) if p)
        return f"{text}, “{art}”" if art and text else f"“{art}”" if art else text
    text = " ".join(p for p in (pub, date) if p)
    if author:
        text += f"，{author}" if text else author
    return text + (f"《{art}》" if art else "")


def attribution_text(meta: Mapping[str, Any], lang: str = "zh-Hans", datum: str = "WGS84") -> str:
    """Boundaries and licence, datum, the source article and the review number, each once.

    Composed from the model's structured ``meta`` (``boundary_source``, ``datum``,
    ``source``, ``review_number``); a model without ``boundary_source`` keeps its
    ``attribution`` text and gets only what that text lacks (article title, review number).
    ``datum`` is the datum the page draws in (``"GCJ02"`` over Gaode tiles).
    """
    colon, sep = UI["colon"][lang], "；" if lang != "en" else "; "
    review = str(meta.get("review_number") or "")
    article = citation(meta, lang)
    bsrc = meta.get("boundary_source")
    if not isinstance(bsrc, Mapping):
        text = pick_text(meta.get("attribution"), lang)
        src = meta.get("source") or {}
        art = pick_text(src.get("title"), lang)
        if art and art not in text:
            quoted = f"《{art}》" if lang != "en" else f"“{art}”"
            text = f"{text}{sep}{quoted}" if text else quoted
        if review and review not in text:
            text += f"{sep}{UI['review'][lang]}{colon}{review}"
        return text.strip("；; ")
    name, lic, origin = (str(bsrc.get(k) or "") for k in ("name", "licence", "origin"))
    m = _DATUM_FROM.search(str(meta.get("datum") or ""))
    was = m.group(1) if m else ""
    parts = []
    if lang == "en":
        b = name + (f" ({lic})" if lic else "") + (f", originally {origin}" if origin else "")
        parts.append(f"Boundaries: {b}")
        if datum == "GCJ02":
            parts.append("datum GCJ-02 (to match the Gaode tiles)")
        else:
            parts.append("datum WGS-84" + (f" (converted from {was})" if was else ""))
        if article:
            parts.append(f"source: {article}")
    else:
        hans = lang == "zh-Hans"
        b = name + (f"（{lic}）" if lic else "") + (f"，源自 {origin}" if origin else "")
        parts.append(f"{'边界' if hans else '邊界'}：{b}")
        coord = "坐标" if hans else "坐標"
        if datum == "GCJ02":
            parts.append(f"{coord}：GCJ-02（{'与高德底图一致' if hans else '與高德底圖一致'}）")
        else:
            conv = ("由 {w} 转换" if hans else "由 {w} 轉換").format(w=was)
            parts.append(f"{coord}：WGS-84" + (f"（{conv}）" if was else ""))
        if article:
            parts.append(f"{'资料' if hans else '資料'}：{article}")
    if review:
        parts.append(f"{UI['review'][lang]}{colon}{review}")
    return sep.join(parts)
