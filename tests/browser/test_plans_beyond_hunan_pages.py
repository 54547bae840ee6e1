"""The four plans beyond Hunan (``geodata/layouts/``) built with no code change and drawn in
Chromium: each view draws the units of its region at its level (counted against the national
names table), is framed on the region, and labels the plan's units.

Each view's page is screenshotted beside it (``<page>.png`` in the test's temporary folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout._paths import geodata_dir
from maplayout.geo import china_units
from maplayout.publish import pipeline

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"
LAYOUTS = geodata_dir() / "layouts"
#: plan id: (region prefixes, [lon, lat] inside the region, [lon, lat] outside it, labels)
PLANS: dict[
    str, tuple[tuple[str, ...], tuple[float, float], tuple[float, float], tuple[str, ...]]
] = {
    "guangdong-1c1b1z-2019": (("44",), (113.26, 23.13), (112.94, 28.23), ("广州", "汕头", "韶关")),
    "guangzhou-ai-zone-2020": (
        ("4401",),
        (113.32, 23.11),
        (116.68, 23.35),
        ("海珠", "天河", "黄埔", "番禺"),
    ),
    "chengyu-2011": (("51", "50"), (104.07, 30.57), (102.83, 24.88), ("成都", "绵阳")),
    "china-computing-hubs-2022": (("",), (116.40, 39.90), (139.7, 35.7), ("内蒙古", "贵州")),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    out = tmp_path_factory.mktemp("beyond-hunan")
    return {
        pid: list(
            pipeline.build(LAYOUTS / f"{pid}.yaml", out / pid, figures=False, snapshots="no").maps
        )
        for pid in PLANS
    }


def _expected(prefixes: tuple[str, ...], level: str) -> int:
    return sum(1 for u in china_units() if u.level == level and u.adcode.startswith(prefixes))


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_each_view_draws_its_regions_units_framed_and_labelled(
    open_offline: Any, built: dict[str, list[Path]], plan_id: str
) -> None:
    prefixes, inside, outside, names = PLANS[plan_id]
    for k, path in enumerate(built[plan_id]):
        rec = open_offline(path)
        page = rec.page
        page.wait_for_function(READY, timeout=30_000)
        level = page.evaluate("window.maplayout.data.level")
        units = page.evaluate("window.maplayout.data.units.map(u => u.id)")
        assert len(units) == _expected(prefixes, level), (path.name, level)
        assert all(u.startswith(prefixes) for u in units)
        (s, w), (n, e) = page.evaluate("window.maplayout.data.bounds")
        assert s < inside[1] < n and w < inside[0] < e
        assert not (s < outside[1] < n and w < outside[0] < e)
        if k == 0:  # the layout map names the plan's units
            shown = page.evaluate(
                "() => [...document.querySelectorAll('.ml-label-text:not(.ml-hidden)')]"
                ".map(e => e.textContent)"
            )
            for name in names:
                assert any(name in t for t in shown), (plan_id, name)
        page.screenshot(path=str(path.with_suffix(".png")))
        assert rec.page_errors == [] and rec.requests == []
