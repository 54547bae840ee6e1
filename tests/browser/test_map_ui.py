"""Browser tests of the map's interaction details: prefecture search in the county view and
the focus ring of shapes (mouse vs keyboard). Headless Chromium, network blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.model import LANG_SUFFIX, LANGS, LayoutModel
from maplayout.web import render_map

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
ZHUZHOU = "430200"


def _county_model() -> LayoutModel:
    """The default plan's county view; its units carry their prefecture's names."""
    from maplayout.model import build_model

    model = build_model(None, level="county")
    for name in ("name", "short"):
        for lang in LANGS:
            assert f"parent_{name}_{LANG_SUFFIX[lang]}" in model.units.columns
    return model


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LayoutModel]:
    model = _county_model()
    path = tmp_path_factory.mktemp("county") / "county.html"
    path.write_text(render_map(model), encoding="utf-8")
    return path, model


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from maplayout.model import build_model

    path = tmp_path_factory.mktemp("layout") / "layout.html"
    path.write_text(render_map(build_model(None)), encoding="utf-8")
    return path


def _open(open_offline: Any, path: Path, **kw: Any) -> Any:
    rec = open_offline(path, **kw)
    rec.page.wait_for_function(READY, timeout=5000)
    return rec


def test_county_view_search_finds_the_prefecture(open_offline: Any, county: Any) -> None:
    path, model = county
    rec = _open(open_offline, path)
    page = rec.page
    for query in ("株洲", "株洲市", "Zhuzhou", "zhuzhou city"):
        first = page.evaluate("q => maplayout.search(q)[0]", query)
        assert first == {"kind": "parent", "id": ZHUZHOU, "name": "株洲市"}, query
    # a prefecture ranks before the county of the same name (湘潭市 before 湘潭县)
    assert page.evaluate("maplayout.search('湘潭')[0].id") == "430300"
    # sites are still found in the county view
    site = str(model.sites.iloc[0]["name_zh_hans"])
    assert any(r["kind"] == "site" for r in page.evaluate("q => maplayout.search(q)", site))
    zoom0 = page.evaluate("maplayout.map.getZoom()")
    page.fill("#ml-q", "株洲")
    assert page.inner_text("#ml-results li >> nth=0") == "株洲市"
    page.press("#ml-q", "Enter")
    page.wait_for_function("maplayout.counts().highlighted > 0 && !maplayout.map._animatingZoom")
    page.wait_for_timeout(400)
    members = model.units[model.units["parent_adcode"] == ZHUZHOU]
    counts = page.evaluate("maplayout.counts()")
    assert counts["highlighted"] == len(members) >= 5
    x0, y0, x1, y1 = (float(v) for v in members.total_bounds)
    view = page.evaluate(
        "(() => { const b = maplayout.map.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
    )
    assert page.evaluate("maplayout.map.getZoom()") > zoom0
    # the view holds the whole prefecture, and not much more than it
    assert view[0] <= x0 and view[1] <= y0 and view[2] >= x1 and view[3] >= y1
    assert (view[3] - view[1]) < 2 * (y1 - y0) + 0.3  # Zhuzhou is tall: height binds
    # selecting something else clears the highlight
    page.evaluate("maplayout.select('unit', maplayout.data.units[0].id)")
    page.wait_for_timeout(500)
    assert page.evaluate("maplayout.counts().highlighted") == 0
    assert rec.page_errors == [] and rec.console_errors == []


def test_prefecture_search_in_every_language(open_offline: Any, county: Any) -> None:
    path, _model = county
    page = _open(open_offline, path).page
    page.evaluate("maplayout.setLang('zh-Hant')")
    assert page.evaluate("maplayout.search('株洲市')[0].kind") == "parent"
    page.evaluate("maplayout.setLang('en')")
    assert page.evaluate("maplayout.search('Zhuzhou')[0]")["name"] == "Zhuzhou City"


def _unit_centre(page: Any, nth: int) -> tuple[float, float]:
    box = page.locator("path.ml-unit").nth(nth).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_mouse_click_draws_no_focus_rectangle_but_keyboard_focus_shows(
    open_offline: Any, layout: Path
) -> None:
    page = _open(open_offline, layout).page
    x, y = _unit_centre(page, 5)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    style = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.tagName, e.getAttribute('class'), s.outlineStyle, s.stroke]; })()"
    )
    assert style[0] == "path" and "ml-unit" in style[1]
    assert style[2] == "none"  # no rectangle around the path's bounding box
    assert style[3] != "rgb(255, 176, 0)"
    # keyboard focus: the next shape gets the amber focus stroke (and still no rectangle)
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.tagName, s.outlineStyle, s.stroke, e.matches(':focus-visible')]; })()"
    )
    assert style[0] == "path" and style[3] is True
    assert style[1] == "none" and style[2] == "rgb(255, 176, 0)"


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_corridor_labels_keep_off_site_markers(open_offline: Any, layout: Path, size: Any) -> None:
    page = _open(open_offline, layout, width=size[0], height=size[1]).page
    result = page.evaluate(
        """(() => {
          const boxes = s => [...document.querySelectorAll(s)].map(e => e.getBoundingClientRect());
          const sites = boxes('path.ml-site');
          const out = [];
          document.querySelectorAll('.ml-label-link .ml-label-text:not(.ml-hidden)').forEach(e => {
            const r = e.getBoundingClientRect();
            const hit = sites.some(q => r.left < q.right && r.right > q.left
                                         && r.top < q.bottom && r.bottom > q.top);
            out.push({text: e.textContent, hit: hit});
          });
          return out;
        })()"""
    )
    assert len(result) >= 1
    assert [r for r in result if r["hit"]] == []
    # a list of corridor functions breaks after the enumeration comma, not inside a word
    listed = [r["text"] for r in result if "、" in r["text"]]
    assert all("、\n" in t for t in listed)


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_scale_bar_stays_clear_of_the_attribution(
    open_offline: Any, layout: Path, size: Any
) -> None:
    page = _open(open_offline, layout, width=size[0], height=size[1]).page
    page.evaluate("maplayout.setLang('en')")  # the longest attribution line
    page.wait_for_timeout(100)
    overlap = page.evaluate(
        """(() => {
          const a = document.querySelector('.leaflet-control-attribution').getBoundingClientRect();
          const s = document.querySelector('.leaflet-control-scale').getBoundingClientRect();
          return s.width > 0 && a.left < s.right && a.right > s.left
                 && a.top < s.bottom && a.bottom > s.top;
        })()"""
    )
    assert overlap is False


def test_legend_merges_a_role_drawn_as_fill_and_as_line(open_offline: Any, layout: Path) -> None:
    """One row per (label, style), as the print figure's legend (``legend_entries``)."""
    from maplayout.model import build_model
    from maplayout.print import legend_entries

    page = _open(open_offline, layout).page
    rows = page.eval_on_selector_all(
        "#ml-legend-list li",
        "items => items.map(li => [li.textContent.trim(),"
        " [...li.querySelectorAll('.ml-sw')].map(s => s.className)])",
    )
    labels = [r[0] for r in rows]
    assert len(labels) == len(set(labels))  # 两廊（两带） once
    merged = [r for r in rows if len(r[1]) > 1]
    assert [r[0] for r in merged] == ["两廊（两带）"]
    assert any("ml-sw-unit" in c for c in merged[0][1])
    assert any("ml-sw-link" in c and "ml-directed" in c for c in merged[0][1])
    figure_rows = [group[0]["label"]["zh-Hans"] for group in legend_entries(build_model(None))]
    assert labels[: len(figure_rows)] == figure_rows


_UNIT_LABELS = """(lang => {
  const D = maplayout.data, tr = o => (o && (o[lang] || o['zh-Hans'])) || '';
  const boxes = s => [...document.querySelectorAll(s)].map(e => e.getBoundingClientRect());
  const sites = boxes('path.ml-site');
  const shown = {};
  document.querySelectorAll('.ml-label-unit .ml-label-text:not(.ml-hidden)').forEach(e => {
    const r = e.getBoundingClientRect();
    shown[e.textContent] = sites.filter(q => r.left < q.right - 1 && r.right > q.left + 1
                                          && r.top < q.bottom - 1 && r.bottom > q.top + 1).length;
  });
  return {shown: shown, units: D.units.map(u => [tr(u.short) || tr(u.name), u.role || ''])};
})"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_role_prefecture_labels_are_never_culled(
    open_offline: Any, layout: Path, size: Any, lang: str
) -> None:
    """Every prefecture with a role keeps its label at the default view (phone and desktop,
    every language), clear of the site markers; on a desktop all 14 labels show."""
    page = _open(open_offline, layout, width=size[0], height=size[1]).page
    page.evaluate("l => maplayout.setLang(l)", lang)
    page.wait_for_timeout(100)
    got = page.evaluate(f"{_UNIT_LABELS}({lang!r})")
    role = [name for name, r in got["units"] if r]
    assert len(role) >= 3
    assert [n for n in role if n not in got["shown"]] == [], got["shown"]
    assert {n: got["shown"][n] for n in role if got["shown"][n]} == {}
    if size[0] >= 1366:
        assert len(got["shown"]) == len(got["units"]) == 14


def test_search_typo_offers_the_closest_place(open_offline: Any, layout: Path) -> None:
    """株州 (a typo) finds nothing; the list offers 株洲市, as the CLI's suggestion does."""
    page = _open(open_offline, layout).page
    assert page.evaluate("maplayout.search('株州')") == []
    assert page.evaluate("maplayout.suggest('株州')")["id"] == ZHUZHOU
    assert page.evaluate("maplayout.suggest('郴洲')")["id"] == "431000"  # 郴州, not 株洲
    assert page.evaluate("maplayout.suggest('xyzzy')") is None
    page.fill("#ml-q", "株州")
    items = page.locator("#ml-results li").all_inner_texts()
    assert items == ["没有找到", "您是不是要找：株洲市"]
    page.evaluate("maplayout.setLang('en')")
    assert page.locator("#ml-results li").all_inner_texts() == [
        "No match",
        "Did you mean: Zhuzhou City",
    ]
    page.click("#ml-results li.ml-suggest")
    assert page.is_hidden("#ml-results")
    page.wait_for_selector(".leaflet-popup-content h3")
    assert page.inner_text(".leaflet-popup-content h3") == "Zhuzhou City"


def test_search_results_close(open_offline: Any, layout: Path) -> None:
    """The list closes on Enter with no match, on Escape, on a click elsewhere and when the
    info panel opens."""
    page = _open(open_offline, layout).page

    def typed(text: str) -> None:
        page.fill("#ml-q", text)
        assert page.is_visible("#ml-results")

    typed("株州")
    page.press("#ml-q", "Enter")
    assert page.is_hidden("#ml-results")
    typed("株州")
    page.press("#ml-q", "Escape")
    assert page.is_hidden("#ml-results")
    typed("长")
    page.mouse.click(700, 500)  # on the map
    assert page.is_hidden("#ml-results")
    typed("长")
    page.click("#ml-info-btn")
    assert page.is_visible("#ml-info")
    assert page.is_hidden("#ml-results")
