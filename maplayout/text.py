"""Presentation text the renderers show, built from the string tables of
:mod:`maplayout.strings`: one function each for a citation, a title (and the county view's
suffix), the attribution line and the facts as displayed.

Changing how the source is cited is an edit of :func:`citation`; what still writes its own
source line (the map template's info panel, the page script's ``srcLine``, ``Plan.summary``)
and why is in ``docs/architecture.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, pick_text, records
from maplayout.model.types import Fact
from maplayout.strings import UI, UI_JSON, ui_strings

__all__ = [
    "UI",
    "UI_JSON",
    "attribution_text",
    "citation",
    "count_text",
    "display_facts",
    "fact_shown",
    "lang_texts",
    "layer_count_text",
    "name_site_ids",
    "neighbour_label",
    "page_ui",
    "row_texts",
    "title_text",
    "ui_strings",
    "ui_text",
    "view_suffix",
    "view_title",
]


def page_ui(
    level: str, neighbours: str = "province", example: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """The page's UI strings for a map of ``level``: :func:`ui_strings`, plus the layer name
    of the provinces on a ``"province"`` map, of a plan's own units on a ``"zone"`` map (with
    their parent areas' and outline's layer names), and the legend's name of the neighbours
    of a city region (``neighbours="prefecture"``); kept out of ``ui.json``, which every page
    embeds whole, so other pages' bytes do not change. ``example``: short names of one of the
    page's units (``{"zh_hans": …, "zh_hant": …, "en": …}``) for the search box's placeholder,
    which otherwise names 株洲 (a Hunan city)."""
    strings = ui_strings()
    extra: dict[str, dict[str, str]] = {}
    if level == "province":
        extra["layer.units.province"] = extra["text.units.province"] = UI["province.units"]
    if level == "zone":  # its parents and context: the parent column's areas, the zones' outline
        extra["layer.units.zone"] = extra["text.units.zone"] = UI["zone.units"]
        extra["layer.parents"] = UI["zone.parents"]
        extra["layer.context"] = UI["zone.context"]
    if neighbours == "prefecture":
        extra["legend.neighbour"] = UI["neighbour.prefecture"]
    if example:
        extra["search.placeholder"] = {
            lang: text.format(**example) for lang, text in UI["search.example"].items()
        }
    if not extra:
        return strings
    return {
        lang: {**texts, **{key: value[lang] for key, value in extra.items()}}
        for lang, texts in strings.items()
    }


def neighbour_label(meta: Mapping[str, Any], lang: str) -> str:
    """The legend's name of the units around the region: provinces, or a city's prefectures."""
    if meta.get("neighbours") == "prefecture":
        return UI["neighbour.prefecture"][lang]
    return ui_text("legend.neighbour", lang)


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


def view_suffix(level: str, lang: str, layout_level: str = "prefecture") -> str:
    """What a map's title gains at ``level`` when it is not the layout map (at
    ``layout_level``): the county view says so (「（区县视图）」), as does a national plan's
    prefecture view."""
    if level == layout_level:  # the layout map itself (a city plan's county map)
        return ""
    return UI[level][lang] if level in ("county", "prefecture") else ""


def view_title(model: LayoutModel, lang: str = "zh-Hans", title: str | None = None) -> str:
    """The map's title (``title`` overrides the plan's) with its view's suffix: the one
    definition the page's heading, the kit, the figure and the index page use."""
    head = title or pick_text(model.meta.get("title"), lang)
    levels = model.meta.get("levels") or ["prefecture"]
    return head + view_suffix(model.level, lang, levels[0]) if head else head


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
    name = pick_text(bsrc.get("names"), lang) or name  # a plan's own boundaries: per language
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


def layer_count_text(model: LayoutModel, layer: str, scope: str, key: str, lang: str) -> str:
    """One count of ``model.layer_counts`` in words: ``核心 长沙: 812 家 (41 %)``.

    ``scope`` is ``unit`` (the unit's role label and short name), ``role`` (the role label)
    or ``group`` (the group label); the share is rounded to a whole percent.
    """
    counts = model.layer_counts
    if counts is None:
        raise KeyError(layer)
    hit = counts[(counts["layer"] == layer) & (counts["scope"] == scope) & (counts["key"] == key)]
    if hit.empty:
        raise KeyError((layer, scope, key))
    row = hit.iloc[0]
    share = f"{float(row['share']) * 100:.0f}"
    return UI["layer.count"][lang].format(
        label=_count_label(model, scope, key, lang), count=int(row["count"]), share=share
    )


def _count_label(model: LayoutModel, scope: str, key: str, lang: str) -> str:
    suffix = LANG_SUFFIX[lang]
    if scope == "group":
        groups = model.groups[model.groups["id"] == key]
        return str(groups.iloc[0][f"label_{suffix}"]) if not groups.empty else key
    column = "adcode" if scope == "unit" else "role"
    units = model.units[model.units[column] == key]
    if units.empty or (scope == "role" and not key):
        return UI["layer.outside" if scope == "unit" else "layer.no_role"][lang]
    unit = units.iloc[0]
    role = str(unit[f"role_label_{suffix}"]) if unit["role"] else ""
    if scope == "role":
        return role
    return f"{role} {unit[f'short_{suffix}']}".strip()
