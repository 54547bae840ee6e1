"""Data layers on the page in headless Chromium: 20,000 points clustered on one canvas, the
views of the layer control, popups built on click, the text version on demand, axe clean."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from maplayout._paths import default_plan_path
from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.text import layer_count_text
from maplayout.web import render_map

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
READY = "window.maplayout && window.maplayout.ready === true"
N = 20_000
LAYER = """layers:
  - id: companies
    file: companies.csv
    label: {zh-Hans: 人工智能企业, zh-Hant: 人工智慧企業, en: AI companies}
    datum: GCJ-02
    category: 类别
    weight: 员工数
    data_source: {title: {zh-Hans: 合成数据, en: Synthetic data}, date: 2024-05}
"""
HOSTILE = '<img src=x onerror="window.__pwned=1">&amp; Co'
HOSTILE_LABEL = "<i>企业</i> &lt;"


def _make_points() -> Any:
    path = ROOT / "benchmarks" / "make_points.py"
    spec = importlib.util.spec_from_file_location("make_points", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_points"] = module
    spec.loader.exec_module(module)
    return module


def _page(folder: Path, csv: str, layer: str) -> tuple[Path, Any]:
    (folder / "companies.csv").write_text(csv, encoding="utf-8")
    text = default_plan_path().read_text(encoding="utf-8")
    plan = folder / "plan.yaml"
    plan.write_text(text.replace("\nsites:\n", "\n" + layer + "sites:\n", 1), encoding="utf-8")
    model = build_model(load_plan(plan))
    return render_map(model).save(folder / "map.html"), model


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    csv = _make_points().points_csv(N)
    return _page(tmp_path_factory.mktemp("big"), csv, LAYER)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    name = HOSTILE.replace('"', '""')
    csv = (
        "名称,经度,纬度,网址\n"
        f'"{name}",112.95,28.20,https://example.org/?q=<b>&x="1"\n'
        "Plain,112.90,28.25,\n"
    )
    layer = LAYER.replace("category: 类别\n    weight: 员工数\n", "link: 网址\n")
    layer = layer.replace("{zh-Hans: 人工智能企业,", f"{{zh-Hans: '{HOSTILE_LABEL}',")
    return _page(tmp_path_factory.mktemp("hostile"), csv, layer.replace("GCJ-02", "WGS-84"))[0]


def _open(open_offline: Any, path: Path) -> Any:
    rec = open_offline(path)
    rec.page.wait_for_function(READY, timeout=30_000)
    return rec


def _drawn(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("maplayout.dataLayers.drawn()")


def _click_drawn(page: Any, kind: str) -> dict[str, Any]:
    """Click the first drawn item of ``kind`` well inside the map; returns it."""
    hit = page.evaluate(
        """kind => { const m = maplayout.map, s = m.getSize();
        return maplayout.dataLayers.drawn().filter(h => h.kind === kind).map(h => {
          const c = m.layerPointToContainerPoint([h.x, h.y]); return {x: c.x, y: c.y, n: h.n}; })
          .filter(c => c.x > 80 && c.x < s.x - 260 && c.y > 80 && c.y < s.y - 80)[0]; }""",
        kind,
    )
    assert hit, f"no {kind} drawn inside the map"
    box = page.locator("#ml-map").bounding_box()
    page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
    return hit


def test_20000_points_are_clustered_on_one_canvas(open_offline: Any, big: Any) -> None:
    path, _ = big
    assert path.stat().st_size <= 2_500_000
    rec = _open(open_offline, path)
    page = rec.page
    assert rec.page_errors == [] and rec.console_errors == [] and rec.requests == []
    assert page.evaluate("maplayout.dataLayers.view()") == "companies:points"
    drawn = _drawn(page)
    assert {h["kind"] for h in drawn} <= {"cluster", "point"}
    assert sum(h["n"] for h in drawn) == N  # the province view: every point in one cluster
    assert 10 < len(drawn) < 500
    assert page.evaluate("document.querySelectorAll('.leaflet-ml-data-pane canvas').length") == 1
    assert page.evaluate("document.getElementsByTagName('*').length") <= 5000
    # the clusters split as the map zooms in, their counts summing to the points drawn
    page.evaluate("maplayout.map.setZoom(9, {animate: false})")
    deeper = _drawn(page)
    assert sum(h["n"] for h in deeper) < N and max(h["n"] for h in deeper) < max(
        h["n"] for h in drawn
    )
    # above the last cluster level every point is its own dot
    page.evaluate("maplayout.map.setView([28.2, 112.9], 13, {animate: false})")
    assert {h["kind"] for h in _drawn(page)} == {"point"}


def test_a_cluster_click_zooms_in_and_a_point_click_opens_its_card(
    open_offline: Any, big: Any
) -> None:
    path, model = big
    page = _open(open_offline, path).page
    before = page.evaluate("maplayout.map.getZoom()")
    _click_drawn(page, "cluster")
    page.wait_for_function(f"maplayout.map.getZoom() >= {before} + 1.5", timeout=5000)
    page.evaluate("maplayout.map.setView([28.2, 112.9], 13, {animate: false})")
    page.wait_for_timeout(100)
    assert page.evaluate("document.querySelectorAll('.leaflet-popup').length") == 0
    _click_drawn(page, "point")
    card = page.locator(".ml-dl-popup .ml-card")
    card.wait_for(timeout=3000)
    text = card.inner_text()
    names = set(model.layer_points["name"])
    assert card.locator("h3").inner_text() in names
    assert "人工智能企业" in text and "类别" in text and "员工数" in text
    page.evaluate("maplayout.setLang('en')")
    assert "AI companies" in page.locator(".ml-dl-popup .ml-card").inner_text()


def test_views_switch_in_the_layer_control(open_offline: Any, big: Any) -> None:
    path, model = big
    page = _open(open_offline, path).page
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [t.strip() for t in labels] == [
        "人工智能企业：点位",
        "人工智能企业：各地数量",
        "人工智能企业：六边形网格",
        "不显示数据",
    ]
    page.locator(".leaflet-control-layers-base label").nth(1).click()
    assert page.evaluate("maplayout.dataLayers.view()") == "companies:units"
    assert page.evaluate("document.querySelectorAll('path.ml-dl-unit').length") == len(model.units)
    assert _drawn(page) == []
    legend = page.locator(".ml-legend").inner_text()
    assert "人工智能企业 (20000 家)" in legend and "–" in legend
    page.locator(".leaflet-control-layers-base label").nth(2).click()
    assert page.evaluate("maplayout.dataLayers.view()") == "companies:hexbins"
    hexes = _drawn(page)
    assert {h["kind"] for h in hexes} == {"hex"} and sum(h["n"] for h in hexes) == N
    assert page.evaluate("document.querySelectorAll('path.ml-dl-unit').length") == 0
    page.locator(".leaflet-control-layers-base label").nth(3).click()
    assert page.evaluate("maplayout.dataLayers.view()") is None and _drawn(page) == []
    page.evaluate("maplayout.setLang('en')")
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert labels[0].strip() == "AI companies: points"
    assert page.locator(".leaflet-control-layers-base input").nth(3).is_checked()


def test_counts_in_the_unit_card_the_info_panel_and_the_credit(open_offline: Any, big: Any) -> None:
    path, model = big
    page = _open(open_offline, path).page
    page.evaluate("maplayout.select('unit', '430100')")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=3000)
    assert layer_count_text(model, "companies", "unit", "430100", "zh-Hans") in popup.inner_text()
    page.click("#ml-info-btn")
    info = page.locator("#ml-info").inner_text()
    counts = model.layer_counts
    core = counts[(counts.scope == "role") & (counts.key == "core")]
    assert layer_count_text(model, "companies", "role", "core", "zh-Hans") in info
    assert int(core["count"].iloc[0]) > 0
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "数据来源：合成数据 2024-05" in attribution
    page.evaluate("maplayout.setLang('en')")
    assert (
        "Data source: Synthetic data 2024-05"
        in page.locator(".leaflet-control-attribution").inner_text()
    )
    assert (
        layer_count_text(model, "companies", "role", "core", "en")
        in page.locator("#ml-info").inner_text()
    )


def test_the_text_version_is_built_on_demand_in_one_language(open_offline: Any, big: Any) -> None:
    path, model = big
    page = _open(open_offline, path).page
    rows = "document.querySelectorAll('.ml-dl-table tbody tr').length"
    assert page.evaluate(rows) == 0
    page.click(".ml-dl-show")
    assert page.evaluate(rows) == 500
    assert page.locator(".ml-dl-status").inner_text() == "显示第 1–500 行，共 20000 行"
    first = page.locator(".ml-dl-table tbody tr").first.inner_text()
    assert model.layer_points["name"].iloc[0] in first
    page.click(".ml-dl-more")
    assert page.evaluate(rows) == 1000
    page.evaluate("maplayout.setLang('en')")
    assert page.evaluate(rows) == 1000
    assert page.evaluate("document.querySelectorAll('.ml-dl-table table').length") == 1
    assert page.locator(".ml-dl-status").inner_text() == "Rows 1–1000 of 20000"
    assert page.locator(".ml-dl-table thead").inner_text().split("\t")[:2] == ["Row", "Name"]


def test_hostile_names_and_links_stay_text(open_offline: Any, hostile: Path) -> None:
    rec = _open(open_offline, hostile)
    page = rec.page
    page.evaluate("maplayout.map.setView([28.2, 112.95], 13, {animate: false})")
    page.wait_for_timeout(100)
    _click_drawn(page, "point")
    card = page.locator(".ml-dl-popup .ml-card")
    card.wait_for(timeout=3000)
    assert card.locator("h3").inner_text() == HOSTILE
    assert card.locator("img").count() == 0
    link = card.locator("a")
    assert link.get_attribute("href") == 'https://example.org/?q=<b>&x="1"'
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    page.click(".ml-dl-show")
    assert page.locator(".ml-dl-table tbody th").first.inner_text() == HOSTILE
    assert page.evaluate("window.__pwned") is None
    # the layer's label: text in the control, the legend, the info panel and the table
    page.hover(".leaflet-control-layers")
    control = page.locator(".leaflet-control-layers-base label").first
    assert control.inner_text().strip() == HOSTILE_LABEL + "：点位"
    assert (
        page.evaluate("document.querySelectorAll('.leaflet-control-layers i, .ml-legend i').length")
        == 0
    )
    assert page.locator(".ml-dl-table caption").inner_text() == HOSTILE_LABEL
    assert page.evaluate("document.querySelectorAll('#ml-text img').length") == 0
    assert rec.page_errors == [] and rec.requests == []


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_axe_clean_with_the_layer_open(open_offline: Any, hostile: Path, lang: str) -> None:
    page = _open(open_offline, hostile).page
    page.evaluate("l => maplayout.setLang(l)", lang)
    page.click(".ml-dl-show")
    page.click("#ml-info-btn")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, ensure_ascii=False)
