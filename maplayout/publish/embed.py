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

import html as _html
from pathlib import Path

from maplayout._atomic import write_text_atomic
from maplayout.model import LANGS, LayoutModel, pick_text, row_text
from maplayout.publish.table import (
    frame_records,
    memo_rows,
    name_map,
    one_line,
    stop_names,
    table_csv,
    table_markdown,
    table_rows,
)
from maplayout.text import UI, attribution_text, citation, count_text, view_title

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


def source_line(model: LayoutModel, lang: str = "zh-Hans") -> str:
    """Attribution (boundaries, licence, datum), the source article and the review number."""
    return attribution_text(model.meta, lang)


def alt_text(model: LayoutModel, lang: str = "zh-Hans", title: str | None = None) -> str:
    """A one-paragraph description of what the map shows, for ``alt`` attributes."""
    sep, lst, colon, stop = (UI[k][lang] for k in ("sep", "list", "colon", "stop"))
    parts = []
    roles: dict[str, list[str]] = {}
    by_code = name_map(model, lang)
    for u in frame_records(model.units):
        if u["role"]:
            roles.setdefault(row_text(u, "role_label", lang) or str(u["role"]), []).append(
                row_text(u, "short", lang) or row_text(u, "name", lang)
            )
    for g in frame_records(model.groups):  # groups after units, gathered by role as well;
        label = row_text(g, "label", lang)  # groups without a role are listed as regions
        if label:
            roles.setdefault(row_text(g, "role_label", lang) or UI["regions"][lang], []).append(
                label
            )
    for role, names in roles.items():
        if len(names) > 8:
            names = [*names[:8], "…"]
        parts.append(f"{role}{colon}{lst.join(names)}")
    for link in frame_records(model.links):
        stops = stop_names(by_code, link, lang)
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
    with memo_rows():
        return _write_kit(folder, stem, model, png_name, png_size, lang, title)


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
