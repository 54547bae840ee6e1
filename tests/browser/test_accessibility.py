"""Accessibility of the layout map: axe-core in headless Chromium, plus keyboard reachability."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
READY = "window.maplayout && window.maplayout.ready === true"


@pytest.fixture(scope="module")
def layout_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = export.build(out=tmp_path_factory.mktemp("a11y"), figures=False, snapshots="no")
    return result.maps[0]


def _axe(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core missing at {AXE}: run `cd tests/js && npm ci` (scripts/test.sh does)"
        )
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _serious(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_axe_finds_no_serious_or_critical_violation(
    open_offline: Any, layout_map: Path, lang: str
) -> None:
    rec = open_offline(layout_map)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    page.evaluate("l => maplayout.setLang(l)", lang)
    page.click("#ml-info-btn")  # the info panel is part of the page too
    page.evaluate("maplayout.select('unit', '430100')")  # and an open popup
    violations = _axe(page)
    assert _serious(violations) == [], json.dumps(_serious(violations), ensure_ascii=False)


def test_controls_are_keyboard_reachable_and_named(open_offline: Any, layout_map: Path) -> None:
    rec = open_offline(layout_map)
    page = rec.page
    page.wait_for_function(READY, timeout=5000)
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => { const e = document.activeElement;
                return e.getAttribute('aria-label') || e.getAttribute('title')
                  || e.textContent.trim() || e.id || e.tagName; }"""
            )
        )
    for name in ("简体中文", "ml-q", "说明与数据", "放大", "缩小", "重置视图", "全屏", "图层"):
        assert any(name in r for r in reached), (name, "|".join(reached))
    page.keyboard.press("Escape")
    # the info panel opens from the keyboard and closes with Escape
    page.focus("#ml-info-btn")
    page.keyboard.press("Enter")
    assert page.is_visible("#ml-info")
    page.keyboard.press("Escape")
    assert not page.is_visible("#ml-info")
    assert page.evaluate("document.activeElement.id") == "ml-info-btn"
