"""Cartography for any plan shape (issue 14), in Chromium: rings, shared stretches, county
stops, crowded places, neighbours' names.

Each test plan (``tests/plans/``) is rendered, opened offline and measured; every test writes
a screenshot of its map into ``tests/screenshots/`` (git ignores it) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.publish import embed
from maplayout.web import render_map

ROOT = Path(__file__).resolve().parent.parent.parent
PLANS = ROOT / "tests" / "plans"
SHOTS = ROOT / "tests" / "screenshots"
FOUR_BANDS = PLANS / "hunan-four-bands.yaml"
CROWDED = PLANS / "crowded-core.yaml"
JISHOU = "433101"  # 吉首市, a county stop of a prefecture-level band


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("carto")
    paths = {}
    for name, plan in (("four-bands", FOUR_BANDS), ("crowded", CROWDED), ("default", None)):
        for lang in ("zh-Hans", "en"):
            path = out / f"{name}-{lang}.html"
            path.write_text(render_map(build_model(plan), lang=lang), encoding="utf-8")
            paths[f"{name}-{lang}"] = path
    return paths


def _open(open_offline: Any, path: Path, width: int = 1366, height: int = 768) -> Any:
    rec = open_offline(path, width=width, height=height)
    rec.page.wait_for_function("window.maplayout && window.maplayout.ready === true")
    return rec


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


# every visible label's text and box; the corridor labels marked
_LABELS = """(() => [...document.querySelectorAll('.ml-label .ml-label-text')].map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, hidden: e.classList.contains('ml-hidden'),
          link: !!e.closest('.ml-label-link'), context: !!e.closest('.ml-label-context'),
          box: [r.left, r.top, r.right, r.bottom]};
}))()"""


def _overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    shown = [x for x in labels if not x["hidden"]]
    out = []
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            if al < br - 1 and bl < ar - 1 and at < bb - 1 and bt < ab - 1:
                out.append((a["text"], b["text"]))
    return out


def _visible_text(labels: list[dict[str, Any]]) -> set[str]:
    return {x["text"].replace("\n", "") for x in labels if not x["hidden"]}


@pytest.mark.parametrize(
    ("lang", "size", "zoom"),
    [
        ("zh-Hans", (1366, 768), 0),
        ("zh-Hans", (1920, 1080), 0),
        ("zh-Hans", (1366, 768), 1),
        ("en", (1366, 768), 0),
    ],
)
def test_four_bands_every_band_label_shows_the_ring_too(
    open_offline: Any, pages: dict[str, Path], lang: str, size: Any, zoom: int
) -> None:
    rec = _open(open_offline, pages[f"four-bands-{lang}"], *size)
    page = rec.page
    if zoom:
        page.evaluate("maplayout.map.setZoom(maplayout.map.getZoom() + 1, {animate: false})")
        page.wait_for_timeout(150)
    labels = page.evaluate(_LABELS)
    plan = load_plan(FOUR_BANDS)
    want = {link.label.get(lang) for link in plan.links}
    assert want <= _visible_text(labels)  # 环洞庭湖 / Dongting Lake ring among them
    assert _overlapping(labels) == []
    _shot(page, f"four-bands-{lang}-{size[0]}x{size[1]}{'-zoomed' if zoom else ''}")
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []


# the drawn line of a link, as container pixels, and the topmost element at a point
_LINE = """(id => {
  const m = maplayout.map, line = maplayout.linkLine(id);
  return line.getLatLngs().map(ll => {
    const p = m.latLngToContainerPoint(ll);
    return [p.x, p.y];
  });
})"""
_TOP = """(([x, y]) => {
  const r = document.getElementById('ml-map').getBoundingClientRect();
  const e = document.elementFromPoint(r.left + x, r.top + y);
  return e && e.getAttribute('stroke');
})"""


@pytest.mark.parametrize("zoom", [0, 1, 2, 3])
def test_two_bands_sharing_a_stretch_are_both_visible(
    open_offline: Any, pages: dict[str, Path], zoom: int
) -> None:
    """京广 and 沪昆 both run 长沙–株洲: drawn side by side, each on top somewhere there."""
    page = _open(open_offline, pages["four-bands-zh-Hans"]).page
    if zoom:
        page.evaluate(
            "z => maplayout.map.setView([28.0, 113.1], maplayout.map.getZoom() + z,"
            " {animate: false})",
            zoom,
        )
        page.wait_for_timeout(150)
    jg, hk = page.evaluate(_LINE, "jingguang"), page.evaluate(_LINE, "hukun")
    # 长沙 → 株洲 is 京广's second segment and 沪昆's first
    mid_jg = [(jg[1][k] + jg[2][k]) / 2 for k in (0, 1)]
    mid_hk = [(hk[0][k] + hk[1][k]) / 2 for k in (0, 1)]
    apart = ((mid_jg[0] - mid_hk[0]) ** 2 + (mid_jg[1] - mid_hk[1]) ** 2) ** 0.5
    assert apart >= 5.0  # at least one line width apart, whatever the zoom
    plan = load_plan(FOUR_BANDS)
    strokes = {link.id: str(dict(link.style)["stroke"]) for link in plan.links}
    assert len(_hits(page, jg[1], jg[2], strokes["jingguang"])) >= 5
    assert len(_hits(page, hk[0], hk[1], strokes["hukun"])) >= 5
    if zoom == 0:
        _shot(page, "four-bands-shared-stretch")


def _hits(page: Any, a: list[float], b: list[float], stroke: str) -> list[list[float]]:
    """Points between 20 % and 80 % of a → b where the topmost element draws ``stroke`` (a
    dashed line shows through its dashes, not its gaps)."""
    pts = [[a[k] + (b[k] - a[k]) * (0.2 + 0.6 * t / 24) for k in (0, 1)] for t in range(25)]
    return [p for p in pts if page.evaluate(_TOP, p) == stroke]


def test_a_county_stop_is_named_in_popup_tables_and_alt_text(
    open_offline: Any, pages: dict[str, Path]
) -> None:
    page = _open(open_offline, pages["four-bands-zh-Hans"]).page
    pts = page.evaluate(_LINE, "zhangjihuai")
    mid = _hits(page, pts[0], pts[1], "#762a83")[0]  # on the line's dash, not a gap
    box = page.locator("#ml-map").bounding_box()
    page.mouse.click(box["x"] + mid[0], box["y"] + mid[1])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=2000)
    assert "张家界 → 吉首 → 怀化" in popup.inner_text()
    _shot(page, "four-bands-county-stop-popup")
    page_text = page.evaluate("document.documentElement.outerHTML")
    assert JISHOU not in page.evaluate("document.getElementById('ml-text').textContent")
    assert "吉首" in page.evaluate("document.getElementById('ml-text').textContent")
    assert JISHOU in page_text  # the payload keeps the code; only words show it as a name
    model = build_model(FOUR_BANDS)
    for lang, name in (("zh-Hans", "吉首"), ("en", "Jishou")):
        kit = [embed.alt_text(model, lang), embed.table_csv(model, lang)]
        kit.append(embed.table_markdown(model, lang))
        for text in kit:
            assert name in text and JISHOU not in text


def test_the_legend_lists_each_band_under_its_role(
    open_offline: Any, pages: dict[str, Path]
) -> None:
    page = _open(open_offline, pages["four-bands-zh-Hans"]).page
    rows = page.eval_on_selector_all(
        "#ml-legend-list > li",
        "items => items.map(li => ({"
        " text: li.querySelector(':scope > span:not(.ml-sw)').textContent,"
        " members: [...li.querySelectorAll('.ml-legend-members li')].map(m =>"
        " [m.textContent, getComputedStyle(m.querySelector('.ml-sw')).backgroundColor])}))",
    )
    bands = [r for r in rows if r["text"] == "四带"]
    assert len(bands) == 1
    assert [m[0] for m in bands[0]["members"]] == ["京广", "沪昆", "环洞庭湖", "张吉怀"]
    colours = [m[1] for m in bands[0]["members"]]
    assert len(set(colours)) == 4  # each band its own swatch
    assert colours[1] == "rgb(33, 102, 172)"  # 沪昆's own stroke #2166ac


_MARKERS = """(() => [...document.querySelectorAll('path.ml-site, .ml-site-group')]
  .filter(e => getComputedStyle(e).display !== 'none')
  .map(e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }))()"""


def _marker_overlaps(boxes: list[list[float]]) -> int:
    n = 0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                n += 1
    return n


@pytest.mark.parametrize("name", ["default", "crowded"])
def test_no_two_site_markers_overlap_at_the_opening_view(
    open_offline: Any, pages: dict[str, Path], name: str
) -> None:
    page = _open(open_offline, pages[f"{name}-zh-Hans"]).page
    boxes = page.evaluate(_MARKERS)
    groups = page.locator(".ml-site-group")
    assert groups.count() >= 1  # the heap around Changsha is one numbered marker
    assert _marker_overlaps(boxes) == 0
    shown = sum(int(t) for t in groups.all_inner_texts())
    singles = page.locator("path.ml-site:not(.ml-grouped)").count()
    assert shown + singles == page.evaluate("maplayout.data.sites.length")
    # the corridor leaving the heap starts at the group marker's edge, its head above it
    _shot(page, f"{name}-sites-1366x768")


def test_a_site_group_fans_out_and_lists_its_sites_by_keyboard(
    open_offline: Any, pages: dict[str, Path]
) -> None:
    rec = _open(open_offline, pages["crowded-zh-Hans"])
    page = rec.page
    group = page.locator(".ml-site-group")
    assert group.count() == 1 and group.inner_text() == "8"
    assert group.get_attribute("aria-expanded") == "false"
    for _ in range(60):  # keyboard only: Tab until the group marker has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ml-site-group')"):
            break
    else:
        pytest.fail("the site group is not reachable with Tab")
    assert "8" in (group.get_attribute("aria-label") or "")
    assert group.get_attribute("aria-expanded") == "true"  # fanned out on focus
    assert page.locator("path.ml-site:not(.ml-grouped)").count() == 8
    assert _marker_overlaps(page.evaluate(_MARKERS)) == 0  # the fan overlaps nothing either
    _shot(page, "crowded-fanned-out")
    page.keyboard.press("Enter")  # the group's list, the first name focused
    items = page.locator(".leaflet-popup-content .ml-group-item")
    items.first.wait_for(timeout=2000)
    plan = load_plan(CROWDED)
    assert items.all_inner_texts() == [s.name.zh_hans for s in plan.sites]
    assert page.evaluate("document.activeElement.textContent") == plan.sites[0].name.zh_hans
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second site's own popup
    page.wait_for_function(
        f"document.querySelector('.leaflet-popup-content h3')?.textContent === "
        f"{plan.sites[1].name.zh_hans!r}",
        timeout=2000,
    )
    page.keyboard.press("Escape")
    assert rec.page_errors == [] and rec.console_errors == []


def test_a_corridor_leaves_the_crowded_core_at_the_group_edge(
    open_offline: Any, pages: dict[str, Path]
) -> None:
    page = _open(open_offline, pages["crowded-zh-Hans"]).page
    start = page.evaluate(_LINE, "north")[0]
    disc = page.evaluate(
        """(() => { const e = document.querySelector('.ml-site-group').getBoundingClientRect();
          const m = document.getElementById('ml-map').getBoundingClientRect();
          return [e.left + e.width / 2 - m.left, e.top + e.height / 2 - m.top, e.width / 2]; })()"""
    )
    dist = ((start[0] - disc[0]) ** 2 + (start[1] - disc[1]) ** 2) ** 0.5
    assert dist >= disc[2]  # not under the marker
    heads = page.evaluate("getComputedStyle(maplayout.map.getPane('ml-heads')).zIndex")
    sites = page.evaluate("getComputedStyle(maplayout.map.getPane('ml-sites')).zIndex")
    assert int(heads) > int(sites)
    labels = page.evaluate(_LABELS)
    assert "长株潭环线" in _visible_text(labels)  # the closed: true ring's label


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_neighbouring_provinces_are_named_as_context(
    open_offline: Any, pages: dict[str, Path], lang: str
) -> None:
    page = _open(open_offline, pages[f"default-{lang}"]).page
    labels = page.evaluate(_LABELS)
    context = {x["text"] for x in labels if x["context"] and not x["hidden"]}
    model = build_model(None)
    neighbours = model.context[model.context["kind"] == "neighbour"]
    names = set(neighbours[f"name_{'en' if lang == 'en' else 'zh_hans'}"])
    assert len(context) >= 2 and context <= names
    assert _overlapping(labels) == []
    _shot(page, f"default-context-{lang}")
