"""Browser tests of what the map shows against its legend and texts: search in both scripts
and variants, group fills in the second plan's symbology, the site popup's notes.
Headless Chromium, network blocked (conftest fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.web import render_map

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
MULTICORE = Path(__file__).resolve().parents[1] / "plans" / "multicore.yaml"
YUEYANG, CHANGDE = "430600", "430700"  # a sub-centre in two zones; a role-less zone member


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "layout.html"
    path.write_text(render_map(build_model(None)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def multicore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("multicore") / "multicore.html"
    path.write_text(render_map(build_model(load_plan(MULTICORE))), encoding="utf-8")
    return path


def _open(open_offline: Any, path: Path) -> Any:
    rec = open_offline(path)
    rec.page.wait_for_function(READY, timeout=5000)
    return rec


def test_search_finds_a_site_in_both_scripts_and_both_variants(
    open_offline: Any, layout: Path
) -> None:
    page = _open(open_offline, layout).page
    # the plan's zh-Hant prints 華云; the standard Traditional spelling is 華雲
    for query in ("華雲", "華云", "华云", "華雲數據湖", "湖南華雲數據湖", "华云数据湖"):
        hits = page.evaluate("q => maplayout.search(q)", query)
        assert {"kind": "site", "id": "huayun-data-lake"} in [
            {"kind": h["kind"], "id": h["id"]} for h in hits
        ], query
    page.fill("#ml-q", "華雲")
    page.wait_for_selector("#ml-results li")
    assert page.inner_text("#ml-results li >> nth=0") == "湖南华云数据湖"


_FILLS = """() => {
  const out = {units: {}, groups: []};
  maplayout.layers.units.eachLayer(l => {
    const p = l._path;
    out.units[l.feature.id] = [p.getAttribute('fill'), +p.getAttribute('fill-opacity')];
  });
  maplayout.layers.groups.eachLayer(l => out.groups.push(+l._path.getAttribute('fill-opacity')));
  out.legend = Array.from(document.querySelectorAll('.ml-legend li')).map(li => ({
    label: li.textContent,
    bg: Array.from(li.querySelectorAll('.ml-sw')).map(s => getComputedStyle(s).backgroundColor),
  }));
  return out;
}"""


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def test_multicore_unit_fill_equals_its_legend_swatch(open_offline: Any, multicore: Path) -> None:
    page = _open(open_offline, multicore).page
    got = page.evaluate(_FILLS)
    legend = {row["label"]: row["bg"] for row in got["legend"]}
    # a sub-centre in two zones shows exactly its legend colour (no zone fill stacked on it)
    fill, opacity = got["units"][YUEYANG]
    assert legend["副中心"] == [_rgba(fill, opacity)]
    assert (fill, opacity) == ("#fc8d59", 0.5)
    # group shapes draw only their outline; the zone's fill is in its role-less units
    assert got["groups"] and all(o == 0 for o in got["groups"])
    fill, opacity = got["units"][CHANGDE]
    assert fill != "#f2f2f0" and opacity > 0.35  # the zone's green laid over the base grey
    # the group swatch shows its fill as well as its dashed outline
    assert legend["功能区"] == ["rgba(102, 194, 165, 0.25)"]


def test_site_popup_labels_english_research_notes(
    open_offline: Any, layout: Path, tmp_path: Path
) -> None:
    """A location note the plan gives only in English is shown as it is, marked 「（英文原注）」
    in the Chinese UI; the default plan gives its notes in Chinese too (no mark)."""
    page = _open(open_offline, layout).page
    assert page.evaluate("maplayout.select('site', 'nscc-changsha')")
    page.locator(".leaflet-popup-content").wait_for(timeout=2000)
    assert "英文原注" not in page.inner_text(".leaflet-popup-content")
    model = build_model(None)
    sites = model.sites
    row = sites.index[sites["id"] == "nscc-changsha"][0]
    english = str(sites.at[row, "location_source_en"])
    assert english.isascii() and "BD-09" in english
    for column in [c for c in sites.columns if c.startswith("location_source")]:
        sites.at[row, column] = english
    path = tmp_path / "english-note.html"
    path.write_text(render_map(model), encoding="utf-8")
    page = _open(open_offline, path).page
    assert page.evaluate("maplayout.select('site', 'nscc-changsha')")
    page.locator(".leaflet-popup-content").wait_for(timeout=2000)
    text = page.inner_text(".leaflet-popup-content")
    assert english + "（英文原注）" in text
    page.evaluate("maplayout.setLang('en')")
    page.wait_for_timeout(100)
    text = page.inner_text(".leaflet-popup-content")
    assert english in text and "英文原注" not in text
