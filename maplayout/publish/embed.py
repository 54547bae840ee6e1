"""The embed kit: what a report needs to include a map, generated from the plan.

For each map ``<stem>.html`` the build writes beside it:

* ``<stem>.iframe.html`` — a responsive iframe snippet (aspect-ratio box, ``title``);
* ``<stem>.embed.html`` — a ``<figure>`` fragment: the PNG fallback linked to the
  interactive map, a caption and the source line;
* ``<stem>.alt.txt`` / ``<stem>.caption.txt`` — alt text and caption in every language;
* ``<stem>.table.csv`` / ``<stem>.table.md`` — the data table of units, roles, groups,
  links, sites and the article's figures.

Every text that comes from a plan is escaped for its HTML context. :class:`MapHTML` shows a
rendered map inline in Jupyter.
"""

from __future__ import annotations

import contextvars
import csv
import html as _html
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from maplayout._atomic import write_text_atomic
from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel, pick_text, records, row_text
from maplayout.text import UI, attribution_text, citation, count_text, display_facts, view_title

__all__ = [
    "MapHTML",
    "alt_text",
    "attribution_text",
    "caption",
    "embed_fragment",
    "iframe_snippet",
    "source_line",
    "table_csv",
    "table_markdown",
    "table_rows",
    "view_title",
    "write_kit",
]

#: Column headings of the data table, per language.
TABLE_HEADINGS: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("类别", "编号", "名称", "角色", "所在/成员", "说明", "数值", "来源段落", "解读"),
    "zh-Hant": ("類別", "編號", "名稱", "角色", "所在/成員", "說明", "數值", "來源段落", "解讀"),
    "en": ("kind", "id", "name", "role", "where / members", "note", "value", "source",
           "interpretation"),
}  # fmt: skip
_KIND_NAMES = {
    "unit": {"zh-Hans": "行政单元", "zh-Hant": "行政單元", "en": "unit"},
    "group": {"zh-Hans": "区域", "zh-Hant": "區域", "en": "region"},
    "link": {"zh-Hans": "走廊", "zh-Hant": "走廊", "en": "link"},
    "site": {"zh-Hans": "地点", "zh-Hant": "地點", "en": "site"},
    "fact": {"zh-Hans": "数据", "zh-Hant": "數據", "en": "figure"},
}
_PRECISION = {
    "surveyed": {"zh-Hans": "精确位置", "zh-Hant": "精確位置", "en": "surveyed position"},
    "approximate": {"zh-Hans": "近似位置", "zh-Hant": "近似位置", "en": "approximate position"},
    "placeholder": {"zh-Hans": "示意位置", "zh-Hant": "示意位置", "en": "placeholder position"},
}


#: Rows already converted during one :func:`write_kit` call (``{id(frame): (frame, rows)}``);
#: ``None`` outside it, so a frame changed between two public calls is always read afresh.
_MEMO: contextvars.ContextVar[dict[int, tuple[Any, list[dict[str, Any]]]] | None] = (
    contextvars.ContextVar("maplayout_embed_memo", default=None)
)


def _records(frame: Any) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain dicts (geometry included); much cheaper than iterrows."""
    memo = _MEMO.get()
    if memo is not None and id(frame) in memo and memo[id(frame)][0] is frame:
        return memo[id(frame)][1]
    rows = records(frame)
    if memo is not None:
        memo[id(frame)] = (frame, rows)
    return rows


def _name_map(model: LayoutModel, lang: str) -> dict[str, str]:
    """``{adcode: short name}`` of the model's units in ``lang`` (full name when no short)."""
    units = model.units
    if not len(units):
        return {}

    def pick(codes: str, prefixes: tuple[str, str]) -> dict[str, str]:
        names = [f"{p}_{LANG_SUFFIX[k]}" for p in prefixes for k in (lang, "zh-Hans")]
        cols = [units[c].tolist() if c in units.columns else [""] * len(units) for c in names]
        return {
            str(code): next((str(v) for v in values if v), "")
            for code, *values in zip(units[codes].tolist(), *cols, strict=True)
        }

    # the county view's corridors run between prefectures: name the parents as well
    parents = pick("parent_adcode", ("parent_short", "parent_name"))
    return {**parents, **pick("adcode", ("short", "name"))}


def _names(by_code: Mapping[str, str], adcodes: Sequence[str]) -> list[str]:
    return [by_code.get(str(a), str(a)) for a in adcodes]


def _stop_names(by_code: Mapping[str, str], link: Mapping[str, Any], lang: str) -> list[str]:
    """A link's stops by name: a stop below the drawn level (a county on a prefecture map)
    by its own name from the join's ``stop_names``, never its adcode."""
    own = list(link.get("stop_names") or ())
    stops = [str(a) for a in link["stops"]]
    if len(own) != len(stops):
        return _names(by_code, stops)
    return [by_code.get(a) or str(n.get(lang) or a) for a, n in zip(stops, own, strict=True)]


def source_line(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """Attribution (boundaries, licence, datum), the source article and the review number."""
    return attribution_text(model.meta, lang)


def alt_text(model: LayoutModel, lang: str = "zh-Hans", title: str | None = None) -> str:
    """A one-paragraph description of what the map shows, for ``alt`` attributes."""
    sep, lst, colon, stop = (UI[k][lang] for k in ("sep", "list", "colon", "stop"))
    parts = []
    roles: dict[str, list[str]] = {}
    names_of = _name_map(model, lang)
    for u in _records(model.units):
        if u["role"]:
            roles.setdefault(row_text(u, "role_label", lang) or str(u["role"]), []).append(
                row_text(u, "short", lang) or row_text(u, "name", lang)
            )
    for g in _records(model.groups):  # groups after units, gathered by role as well;
        label = row_text(g, "label", lang)  # groups without a role are listed as regions
        if label:
            roles.setdefault(row_text(g, "role_label", lang) or UI["regions"][lang], []).append(
                label
            )
    for role, names in roles.items():
        if len(names) > 8:
            names = [*names[:8], "…"]
        parts.append(f"{role}{colon}{lst.join(names)}")
    for link in _records(model.links):
        stops = _stop_names(names_of, link, lang)
        arrow = " ↔ " if link["direction"] == "both" else " → "
        parts.append(f"{row_text(link, 'label', lang)}{colon}{arrow.join(stops)}".strip())
    n = len(model.sites)
    if n:
        approx = int((model.sites["precision"] != "surveyed").sum())
        text = count_text(n, "sites", lang)
        if approx:
            text += ("，" if lang != "en" else ", ") + UI["approx"][lang].format(n=approx)
        parts.append(text)
    head = f"{UI['map_of'][lang]}{view_title(model, lang, title)}"
    return head + (stop if lang != "en" else ". ") + sep.join(parts) + stop


def caption(
    model: LayoutModel, lang: str = "zh-Hans", title: str | None = None, *, source: bool = True
) -> str:
    """A figure caption: title, subtitle or formula, and (``source=True``) the source article's
    publication and date. Pass ``source=False`` where :func:`source_line` follows anyway."""
    head = view_title(model, lang, title)
    sub = pick_text(model.meta.get("subtitle"), lang) or pick_text(model.meta.get("formula"), lang)
    pub = citation(model.meta, lang, form="short")
    text = head + (("：" if lang != "en" else ": ") + sub if sub else "")
    if pub and source:
        text += f"（{UI['source'][lang]}：{pub}）" if lang != "en" else f" (source: {pub})"
    return text


def table_rows(model: LayoutModel, lang: str = "zh-Hans") -> list[list[str]]:
    """Rows of the data table (without headings): units with a role, groups, links, sites,
    then the source's figures; every row names its source paragraphs, and its last cell is
    what the plan marks as its interpretation ("" for none)."""
    lst = UI["list"][lang]
    rows: list[list[str]] = []
    names_of = _name_map(model, lang)

    def refs(value: Any) -> str:
        return " ".join(str(r) for r in (value or ()))

    for u in _records(model.units):
        if not u["role"]:
            continue
        rows.append(
            [
                _KIND_NAMES["unit"][lang],
                str(u["adcode"]),
                row_text(u, "name", lang),
                row_text(u, "role_label", lang),
                str(u["block"]),
                row_text(u, "description", lang),
                "",
                refs(u["source_refs"]),
                row_text(u, "interpretation", lang),
            ]
        )
    for g in _records(model.groups):
        rows.append(
            [
                _KIND_NAMES["group"][lang],
                str(g["id"]),
                row_text(g, "label", lang),
                row_text(g, "role_label", lang),
                lst.join(_names(names_of, list(g["members"]))),
                row_text(g, "description", lang),
                "",
                refs(g["source_refs"]),
                row_text(g, "interpretation", lang),
            ]
        )
    for link in _records(model.links):
        arrow = " ↔ " if link["direction"] == "both" else " → "
        rows.append(
            [
                _KIND_NAMES["link"][lang],
                str(link["id"]),
                row_text(link, "label", lang),
                row_text(link, "role_label", lang),
                arrow.join(_stop_names(names_of, link, lang)),
                row_text(link, "description", lang),
                "",
                refs(link["source_refs"]),
                row_text(link, "interpretation", lang),
            ]
        )
    for s in _records(model.sites):
        note = row_text(s, "precision_note", lang) or _PRECISION.get(str(s["precision"]), {}).get(
            lang, str(s["precision"])
        )
        radius = float(s["radius_m"] or 0)
        stated = (f"±{radius / 1000:g} km", f"±{radius:g} m")  # the note may state it already
        if radius > 0 and not any(t in note for t in stated):
            note += f" (±{radius / 1000:g} km)"
        rows.append(
            [
                _KIND_NAMES["site"][lang],
                str(s["id"]),
                row_text(s, "name", lang),
                row_text(s, "kind_label", lang),
                lst.join(_names(names_of, [s["host_adcode"]])),
                note,
                f"{s['geometry'].y:.4f}, {s['geometry'].x:.4f}",
                refs(s["source_refs"]),
                row_text(s, "interpretation", lang),
            ]
        )
    # headline figures first, site ids named (maplayout.text.display_facts)
    for f in display_facts(model):
        shown = f["shown"][lang]  # the plan's display text, else value and unit
        if f.get("year"):
            shown += f" ({f['year']})"
        rows.append(
            [
                _KIND_NAMES["fact"][lang],
                str(f.get("id", "")),
                pick_text(f.get("label"), lang),
                pick_text(f.get("tier"), lang),
                lst.join(_names(names_of, f.get("hosts") or [])),
                pick_text(f.get("description"), lang),
                shown.strip(),
                refs(f.get("source_refs")),
                pick_text(f.get("interpretation"), lang),
            ]
        )
    return rows


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"; the
#: full-width forms too, which Chinese input methods type and some spreadsheets accept).
_FORMULA_START = tuple("=+-@\t\r") + tuple("＝＋－＠")
#: Line breaks and separators: one-line-per-entry files (alt text, captions) keep one line.
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")


def safe_cell(text: object) -> str:
    """A table cell no spreadsheet runs as a formula: prefixed with ``'`` (OWASP) if needed."""
    cell = str(text)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def one_line(text: str) -> str:
    """``text`` with every line break, tab or line/paragraph separator turned into a space."""
    return _LINE_BREAKS.sub(" ", text)


def table_csv(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """The data table as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese).

    Cells that could start a formula (``= + - @``, tab, CR) get a leading ``'`` (OWASP)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TABLE_HEADINGS[lang])
    w.writerows([safe_cell(c) for c in row] for row in table_rows(model, lang))
    return "\ufeff" + buf.getvalue()


def _md_cell(text: str) -> str:
    cell = one_line(safe_cell(text)).replace("\\", "\\\\").replace("|", "\\|")
    return _html.escape(cell, quote=False)


def table_markdown(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """The data table as a GitHub-flavoured Markdown table (cells escaped)."""
    head = TABLE_HEADINGS[lang]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in table_rows(model, lang):
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def iframe_snippet(
    map_href: str,
    model: LayoutModel,
    lang: str = "zh-Hans",
    *,
    aspect: tuple[int, int] = (16, 9),
    title: str | None = None,
) -> str:
    """A responsive ``<iframe>`` in an aspect-ratio box (works in old browsers too)."""
    w, h = aspect
    esc = _html.escape
    return (
        f'<div class="maplayout-embed" style="position:relative;width:100%;'
        f'padding-top:{100 * h / w:.4f}%">\n'
        f'  <iframe src="{esc(map_href)}" title="{esc(view_title(model, lang, title))}" '
        f'loading="lazy" allowfullscreen\n'
        f'    style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n'
        f"</div>\n"
    )


def embed_fragment(
    map_href: str,
    png_href: str | None,
    model: LayoutModel,
    lang: str = "zh-Hans",
    *,
    width: int = 1366,
    height: int = 768,
    title: str | None = None,
) -> str:
    """A ``<figure>``: PNG fallback linked to the map, caption and source line.

    Without a PNG (no browser and no print figure) the figure holds the iframe instead.
    """
    esc = _html.escape
    if png_href:
        body = (
            f'  <a href="{esc(map_href)}"><img src="{esc(png_href)}" '
            f'alt="{esc(alt_text(model, lang, title))}"\n'
            f'    width="{int(width)}" height="{int(height)}" loading="lazy" '
            f'style="max-width:100%;height:auto"></a>\n'
        )
    else:
        body = iframe_snippet(map_href, model, lang, aspect=(width, height), title=title)
    return (
        f'<figure class="maplayout-figure" lang="{esc(lang)}">\n'
        f"{body}"
        f"  <figcaption>{esc(caption(model, lang, title, source=False))} "
        f'<a href="{esc(map_href)}">{esc(UI["open"][lang])}</a><br>\n'
        f"    <small>{esc(source_line(model, lang))}</small></figcaption>\n"
        f"</figure>\n"
    )


def write_kit(
    folder: str | Path,
    stem: str,
    model: LayoutModel,
    *,
    png_name: str | None,
    png_size: tuple[int, int] = (1366, 768),
    lang: str = "zh-Hans",
    title: str | None = None,
) -> list[Path]:
    """Write the embed kit of ``<stem>.html`` into ``folder``; return the written paths.

    ``png_name`` is the fallback image beside the map (a snapshot, or the print figure when
    no browser was available; ``None`` when there is neither); ``png_size`` its size in
    pixels (for layout stability).
    """
    token = _MEMO.set({})
    try:
        return _write_kit(folder, stem, model, png_name, png_size, lang, title)
    finally:
        _MEMO.reset(token)


def _write_kit(
    folder: str | Path,
    stem: str,
    model: LayoutModel,
    png_name: str | None,
    png_size: tuple[int, int],
    lang: str,
    title: str | None,
) -> list[Path]:
    folder = Path(folder)
    href = f"{stem}.html"
    w, h = png_size
    texts = {
        f"{stem}.iframe.html": iframe_snippet(href, model, lang, aspect=(w, h), title=title),
        f"{stem}.embed.html": embed_fragment(
            href, png_name, model, lang, width=w, height=h, title=title
        ),
        f"{stem}.alt.txt": "".join(f"{k}\t{one_line(alt_text(model, k, title))}\n" for k in LANGS),
        f"{stem}.caption.txt": "".join(
            f"{k}\t{one_line(caption(model, k, title, source=False))}\n"
            f"{k}\t{one_line(source_line(model, k))}\n"
            for k in LANGS
        ),
        f"{stem}.table.csv": table_csv(model, lang),
        f"{stem}.table.md": table_markdown(model, lang),
    }
    return [write_text_atomic(folder / name, text) for name, text in texts.items()]


class MapHTML:
    """A rendered map (a whole HTML document) that notebooks display inline.

    ``MapHTML(render_map(model))`` in the last line of a Jupyter cell shows the map in an
    ``<iframe srcdoc>``, isolated from the notebook's own page and scripts.
    """

    def __init__(self, html: str, *, height: int = 560, title: str = "map") -> None:
        self.html = html
        self.height = int(height)
        self.title = title

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" '
            f'title="{_html.escape(self.title)}" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
            f'sandbox="allow-scripts allow-popups"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the HTML document atomically and return its path."""
        return write_text_atomic(path, self.html)

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"MapHTML({len(self.html)} characters)"
