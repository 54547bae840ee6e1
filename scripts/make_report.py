"""Build the sample report: a web page that embeds the layout map with the embed kit.

    python scripts/make_report.py [--out docs/report] [--lang zh-Hans]

Writes ``<out>/maps/`` (``maplayout build`` of the default plan: maps, print figure,
snapshots when Chromium is installed, embed kit) and ``<out>/index.html``, a report page
that uses the kit the way a report author would: the ``<figure>`` fragment (PNG fallback
linked to the interactive map, caption, source line), the responsive iframe, the data
table and links to the print figure. The outputs are built on demand (not committed): the
build is deterministic, so everyone gets the same bytes.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from maplayout._atomic import write_text_atomic  # noqa: E402
from maplayout.publish.embed import (  # noqa: E402
    embed_fragment,
    iframe_snippet,
    source_line,
    table_rows,
)
from maplayout.publish.pipeline import build  # noqa: E402
from maplayout.strings import TABLE_HEADINGS  # noqa: E402

TEXT = {
    "zh-Hans": {
        "title": "示例报告：湖南人工智能产业布局",
        "intro": "本页演示如何把 maplayout 生成的地图放进报告：下面的图是地图的 PNG 快照，"
        "点击可打开可交互的离线地图；图注与来源行由布局文件自动生成。",
        "live": "可交互地图（内嵌）",
        "table": "数据表",
        "print": "打印版",
        "print_text": "同一布局的打印图，无需浏览器生成：",
    },
    "zh-Hant": {
        "title": "示例報告：湖南人工智能產業佈局",
        "intro": "本頁演示如何把 maplayout 生成的地圖放進報告：下面的圖是地圖的 PNG 快照，"
        "點擊可打開可互動的離線地圖；圖註與來源行由佈局文件自動生成。",
        "live": "可互動地圖（內嵌）",
        "table": "數據表",
        "print": "列印版",
        "print_text": "同一佈局的列印圖，無需瀏覽器生成：",
    },
    "en": {
        "title": "Sample report: Hunan's AI industry layout",
        "intro": "This page shows how a maplayout map goes into a report: the picture below is "
        "a PNG snapshot of the map; click it to open the interactive, offline map. The "
        "caption and the source line are generated from the plan.",
        "live": "Interactive map (embedded)",
        "table": "Data table",
        "print": "Print version",
        "print_text": "The print figure of the same layout, made without a browser:",
    },
}

STYLE = """
body { font: 16px/1.6 "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei",
       system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; }
figure.maplayout-figure { margin: 1.5rem 0; }
figcaption { font-size: .9rem; color: #333; }
figcaption small { color: #555; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; vertical-align: top; text-align: left; }
th { background: #f2f2f0; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
/* short columns (kind, source paragraphs) never wrap; role and value keep a readable width;
   the id wraps only at its hyphens or, when it must, anywhere */
td:nth-child(1), td:nth-child(8) { white-space: nowrap; }
td:nth-child(2) { min-width: 7em; overflow-wrap: anywhere; }
td:nth-child(4) { min-width: 5em; }
td:nth-child(7) { min-width: 5em; }
"""


def _table(model, lang: str) -> str:
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in TABLE_HEADINGS[lang])
    body = "\n".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
        for row in table_rows(model, lang)
    )
    return (
        f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table></div>"
    )


def make_report(out: Path, lang: str = "zh-Hans") -> Path:
    """Build the maps into ``out/maps`` and write the report page ``out/index.html``."""
    result = build(None, out / "maps", lang=lang)
    layout = next(m for m in result.manifest["maps"] if m["key"] == "layout")
    stem = Path(layout["path"]).stem
    from maplayout.model import build_model

    model = build_model(None, level="prefecture")
    files = {Path(f["path"]).name for f in result.manifest["files"]}
    png = f"{stem}.png" if f"{stem}.png" in files else f"{stem}.figure.png"
    t = TEXT[lang]
    esc = html.escape
    page = f"""<!doctype html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t["title"])}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{esc(t["title"])}</h1>
<p>{esc(t["intro"])}</p>
{embed_fragment(f"maps/{stem}.html", f"maps/{png}", model, lang)}
<h2>{esc(t["live"])}</h2>
{iframe_snippet(f"maps/{stem}.html", model, lang)}
<h2>{esc(t["table"])}</h2>
{_table(model, lang)}
<h2>{esc(t["print"])}</h2>
<p>{esc(t["print_text"])} <a href="maps/{stem}.figure.pdf">PDF</a> ·
<a href="maps/{stem}.figure.svg">SVG</a> · <a href="maps/{stem}.figure.png">PNG</a></p>
<p><small>{esc(source_line(model, lang))}</small></p>
</main>
</body>
</html>
"""
    return write_text_atomic(out / "index.html", page)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(ROOT / "docs" / "report"), help="output folder")
    p.add_argument("--lang", default="zh-Hans", choices=sorted(TEXT))
    args = p.parse_args(argv)
    print(make_report(Path(args.out), args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
