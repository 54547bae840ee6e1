"""Render stage without a browser: encoding, escaping, self-containment, determinism, datums."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from maplayout.errors import BuildError
from maplayout.geo import datum
from maplayout.web import encode_ring, render_index, render_map, script_json
from maplayout.web.codec import ALPHABET
from tests.factories import EVIL, hunan_model


def decode_ring(text: str, scale: int = 10_000) -> list[tuple[float, float]]:
    """Python twin of ring() in maplayout/web/static/js/decode.js; returns (lon, lat)."""
    vals, acc, mul = [], 0, 1
    for ch in text:
        c = ALPHABET.index(ch)
        if c >= 32:
            acc += (c - 32) * mul
            mul *= 32
            continue
        acc += c * mul
        vals.append(-(acc + 1) // 2 if acc % 2 else acc // 2)
        acc, mul = 0, 1
    out, lat, lon = [], 0, 0
    for k in range(0, len(vals) - 1, 2):
        lat += vals[k]
        lon += vals[k + 1]
        out.append((lon / scale, lat / scale))
    return out


def payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="maplayout-data">(.*?)</script>', html, re.S)
    assert m, "no data payload"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def page() -> str:
    return render_map(hunan_model("prefecture"))


def test_encode_ring_round_trips_at_1e4_degrees() -> None:
    rng = np.random.default_rng(0)
    coords = np.column_stack([rng.uniform(108, 115, 500), rng.uniform(24, 31, 500)])
    back = np.array(decode_ring(encode_ring(coords)))
    assert back.shape == coords.shape
    assert np.abs(back - coords).max() <= 0.5e-4 + 1e-12
    assert set(encode_ring(coords)) <= set(ALPHABET)


def test_encode_ring_drops_repeated_points_and_handles_negatives() -> None:
    coords = [(-0.00004, -1.0), (0.00004, -1.0), (0.3, 2.5)]
    assert decode_ring(encode_ring(coords)) == [(0.0, -1.0), (0.3, 2.5)]


def test_script_json_cannot_break_out_of_script() -> None:
    value = {"t": EVIL, "b": "<!-- a & 'b' -->", "k": ["\u2029"]}
    text = script_json(value)
    for bad in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value
    assert script_json({"b": 1, "a": 2}) == '{"a":2,"b":1}'


def test_page_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    # nothing is loaded from elsewhere: no src/link/url() to http(s); the only absolute URL
    # in an href is Leaflet's own attribution hyperlink inside its script (a link, not a load)
    assert re.findall(r'src\s*=\s*["\']?https?:', page) == []
    # the one <link> loads nothing: it blocks rendering until #ml-parsed, after the scripts
    assert re.findall(r"<link[^>]*>", page) == [
        '<link rel="expect" href="#ml-parsed" blocking="render">'
    ]
    assert "@import" not in page
    assert set(re.findall(r'href="(https?://[^"]+)"', page)) <= {"https://leafletjs.com"}
    assert "url(http" not in page and "url(images/" not in page
    assert "sourceMappingURL" not in page
    assert page.count("<script") == 3  # data, Leaflet, ours


def test_page_metadata_for_accessibility(page: str) -> None:
    assert '<html lang="zh-Hans">' in page
    assert "<title>湖南人工智能产业布局</title>" in page
    found = re.search(r'<meta name="viewport" content="([^"]+)"', page)
    assert found
    viewport = found.group(1)
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    assert "<noscript>" in page
    en = render_map(hunan_model("prefecture"), lang="en")
    assert '<html lang="en">' in en and "<title>Hunan AI industry layout</title>" in en


def test_text_fallback_lists_units_roles_and_sites_in_every_language(page: str) -> None:
    section = page[page.index('<section class="ml-text"') :]
    for text in ("长沙市", "長沙市", "Changsha", "核心", "Core", "国家超级计算长沙中心", "株洲市"):
        assert text in section, text
    assert section.count("<table>") == 3 * 4


def test_payload_carries_all_three_languages(page: str) -> None:
    data = payload(page)
    cs = next(u for u in data["units"] if u["id"] == "430100")
    assert cs["name"] == {"zh-Hans": "长沙市", "zh-Hant": "長沙市", "en": "Changsha"}
    assert len(data["units"]) == 14 and len(data["links"]) == 2 and len(data["sites"]) == 10
    assert set(data["ui"]) == {"zh-Hans", "zh-Hant", "en"}
    assert data["ui"]["en"].keys() == data["ui"]["zh-Hans"].keys() == data["ui"]["zh-Hant"].keys()


def test_render_is_deterministic() -> None:
    a = render_map(hunan_model("county"), lang="en")
    b = render_map(hunan_model("county"), lang="en")
    assert a == b


def test_county_view_has_prefecture_outlines() -> None:
    data = payload(render_map(hunan_model("county")))
    assert len(data["units"]) == 122
    assert sorted(p["id"] for p in data["parents"]) == sorted(
        set(hunan_model("prefecture").units["adcode"])
    )
    assert {u["id"] for u in data["units"] if u["altBlocks"]} == {"430112", "431125", "431129"}


def test_escaping_corpus_never_reaches_markup_raw() -> None:
    html = render_map(hunan_model("prefecture", evil=True))
    assert "<img src=x" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#34;&#39;{{ 7*7 }}&amp;amp;" in html
    # the template engine did not evaluate the plan's braces: they appear literally
    assert '<h1 id="ml-title">&lt;/script&gt;' in html and "{{ 7*7 }}" in html
    data = payload(html)
    assert data["meta"]["title"]["en"] == EVIL


def test_gaode_basemap_moves_every_overlay_to_gcj02() -> None:
    model = hunan_model("prefecture")
    wgs = payload(render_map(model))
    gcj = payload(render_map(model, basemap="gaode"))
    assert gcj["basemap"]["datum"] == "GCJ02" and wgs["basemap"]["datum"] == "WGS84"
    for a, b in zip(wgs["sites"], gcj["sites"], strict=True):
        lon, lat = datum.wgs84_to_gcj02(a["ll"][1], a["ll"][0])
        assert b["ll"] == pytest.approx([lat, lon], abs=2e-5)
        assert abs(b["ll"][1] - a["ll"][1]) > 0.003  # ~500 m at Changsha
    u0 = decode_ring(wgs["units"][0]["g"][0][0])[0]
    g0 = decode_ring(gcj["units"][0]["g"][0][0])[0]
    assert g0 == pytest.approx(datum.wgs84_to_gcj02(*u0), abs=1.5e-4)
    ring_w = decode_ring(wgs["links"][0]["g"])
    ring_g = decode_ring(gcj["links"][0]["g"])
    assert ring_g[0] != ring_w[0]


def test_tile_basemaps_declare_url_and_attribution() -> None:
    data = payload(render_map(hunan_model("prefecture"), basemap="osm"))
    assert data["basemap"]["tiles"] == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert "OpenStreetMap" in data["basemap"]["attribution"]["en"]
    tdt = payload(render_map(hunan_model("prefecture"), basemap="tianditu", tianditu_key="K&<"))
    assert all("tk=K&<" in t for t in tdt["basemap"]["tiles"])


def test_bad_options_are_one_line_errors() -> None:
    model = hunan_model("prefecture")
    with pytest.raises(BuildError) as err:
        render_map(model, basemap="tianditu")
    assert str(err.value) == (
        "basemap 'tianditu' needs an API key: pass --tianditu-key KEY "
        "(free at console.tianditu.gov.cn)"
    )
    with pytest.raises(BuildError) as err:
        render_map(model, basemap="osmm")
    assert str(err.value) == (
        "unknown basemap 'osmm'; expected one of carto-light, gaode, none, osm, tianditu"
        " (closest: osm)"
    )
    with pytest.raises(BuildError, match=r"unknown language 'fr'; expected one of zh-Hans"):
        render_map(model, lang="fr")


def test_index_page_escapes_entries() -> None:
    html = render_index(
        [{"href": "a.html", "title": EVIL, "description": "d & e", "source": "<b>s</b>"}],
        lang="en",
    )
    assert '<html lang="en">' in html
    assert "<img src=x" not in html and "&lt;b&gt;s&lt;/b&gt;" in html
    assert 'href="a.html"' in html and "d &amp; e" in html


def test_title_override_reaches_title_and_payload() -> None:
    html = render_map(hunan_model("prefecture"), lang="en", title="My <map>")
    assert "<title>My &lt;map&gt;</title>" in html
    assert payload(html)["meta"]["title"] == dict.fromkeys(("zh-Hans", "zh-Hant", "en"), "My <map>")


def test_default_page_names_the_source_once_per_language_with_its_punctuation() -> None:
    from maplayout.model import build_model

    model = build_model(None)
    html = render_map(model)
    data = payload(html)
    src = model.meta["source"]
    # the info panel's source line: Chinese punctuation in Chinese, English in English
    assert f"{src['author']['en']}, “{src['title']['en']}”" in html
    assert f"，{src['author']['zh-Hans']}《{src['title']['zh-Hans']}》" in html
    assert "《" not in html.split('data-lang-block="en"', 1)[1].split("</div>", 1)[0]
    # the attribution line: each part once (the article's date and author appear once)
    for lang in ("zh-Hans", "zh-Hant", "en"):
        line = data["meta"]["attribution"][lang]
        assert line.count(src["date"]) == 1 and line.count(src["author"][lang]) == 1, line
        assert src["title"][lang] in line and "WGS-84" in line


def test_county_view_parents_carry_names_for_the_search() -> None:
    from maplayout.model import build_model

    data = payload(render_map(build_model(None, level="county")))
    names = {p["id"]: p["name"] for p in data["parents"]}
    assert names["430200"] == {"zh-Hans": "株洲市", "zh-Hant": "株洲市", "en": "Zhuzhou City"}
    assert all(n["zh-Hans"] for n in names.values()) and len(names) == 14


def test_search_keys_cover_both_scripts_and_variants() -> None:
    from maplayout.model.symbology import search_keys

    name = {
        "zh-Hans": "湖南华云数据湖",
        "zh-Hant": "湖南華云數據湖",
        "en": "Hunan Huayun Data Lake",
    }
    keys = search_keys(name)
    assert keys == ["湖南华云数据湖", "湖南華云數據湖", "Hunan Huayun Data Lake", "湖南華雲數據湖"]
    assert search_keys({"zh-Hans": "长沙", "zh-Hant": "長沙", "en": ""}) == ["长沙", "長沙"]


def _info_panel(html: str, lang: str) -> str:
    aside = html.split('<aside id="ml-info"', 1)[1].split("</aside>", 1)[0]
    return aside.split(f'data-lang-block="{lang}"', 1)[1].split("</div>", 1)[0]


def test_info_panel_puts_headline_figures_first_and_names_sites() -> None:
    from maplayout.model import build_model

    html = render_map(build_model(None))
    facts = payload(html)["facts"]
    kinds = [f["kind"] for f in facts]
    assert kinds[: kinds.count("figure")] == ["figure"] * kinds.count("figure") != []
    zh = _info_panel(html, "zh-Hans")
    items = re.findall(r"<li><strong>(.*?)</strong>", zh)
    assert items[0] == "人工智能核心产业产值"  # [P7] headline figures first
    assert "xiangjiang-lab" not in zh and "点位见站点 湘江实验室" in zh
    assert "前十强</span> (2025)" in zh and "名次" not in zh
    en = _info_panel(html, "en")
    assert "(see site Xiangjiang Laboratory)" in en


def test_templates_are_compiled_once_into_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from maplayout.web import render

    model = hunan_model()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    render._env.cache_clear()
    try:
        first = render_map(model)
        cached = sorted((tmp_path / "xdg" / "maplayout" / "templates").iterdir())
        assert len(cached) == 1  # map.html.j2
        render._env.cache_clear()

        def no_compile(*args: object, **kwargs: object) -> None:
            raise AssertionError("compiled again")

        with monkeypatch.context() as m:
            m.setattr(jinja2.Environment, "compile", no_compile)
            assert render_map(model) == first  # the same page, from the compiled template
        for path in cached:  # a damaged cache file: compiled afresh, the same page
            path.write_bytes(b"j2 not a template")
        render._env.cache_clear()
        assert render_map(model) == first
        (tmp_path / "file").write_text("x")  # no usable cache folder: compiled every time
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
        render._env.cache_clear()
        assert render_map(model) == first
    finally:
        render._env.cache_clear()
