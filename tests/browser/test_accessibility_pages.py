"""Accessibility of every page a build writes, in every language and at phone and desktop
sizes (axe-core, current release from ``tests/js/package-lock.json``), and keyboard-only use
of the search, the layer control and the language switch, in headless Chromium.

Fails on any *serious* or *critical* axe violation. ``tests/test_accessibility.py`` keeps the
older checks (an open popup and info panel, the tab order of the controls).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export

pytestmark = pytest.mark.browser

JS = Path(__file__).resolve().parent.parent / "js"
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
READY = "window.maplayout && window.maplayout.ready === true"
LANGS = ("zh-Hans", "zh-Hant", "en")
SIZES = ((390, 844), (1366, 768))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> export.BuildResult:
    return export.build(out=tmp_path_factory.mktemp("a11y-pages"), figures=False, snapshots="no")


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core missing at {AXE}: run `cd tests/js && npm ci` (scripts/test.sh does)"
        )
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def _serious(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_is_the_locked_current_release() -> None:
    """The suite runs the axe-core the lock file pins (4.14 or later: the release that finds
    label-content-name-mismatch on the language buttons)."""
    lock = json.loads((JS / "package-lock.json").read_text(encoding="utf-8"))
    locked = lock["packages"]["node_modules/axe-core"]["version"]
    wanted = json.loads((JS / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert wanted["axe-core"] == locked
    assert tuple(int(p) for p in locked.split(".")[:2]) >= (4, 14)
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == locked, "run `cd tests/js && npm ci`"


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["390x844", "1366x768"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_kind", ["layout", "county", "index"])
def test_axe_no_serious_or_critical_violation_on_every_page(
    open_offline: Any,
    built: export.BuildResult,
    page_kind: str,
    lang: str,
    width: int,
    height: int,
) -> None:
    path = {"layout": built.maps[0], "county": built.maps[1], "index": built.index_path}[page_kind]
    rec = open_offline(path, width=width, height=height)
    page = rec.page
    if page_kind == "index":
        page.click(f".ml-lang button[data-lang='{lang}']")
        assert page.evaluate("document.documentElement.lang") == lang
    else:
        page.wait_for_function(READY, timeout=15000)
        assert page.evaluate("l => maplayout.setLang(l)", lang)
    problems = _serious(_axe_violations(page))
    assert problems == [], json.dumps(problems, ensure_ascii=False)
    assert rec.page_errors == []


@pytest.mark.parametrize("page_kind", ["layout", "index"])
def test_every_language_button_is_named_with_its_visible_text(
    open_offline: Any, built: export.BuildResult, page_kind: str
) -> None:
    """WCAG 2.5.3 (Label in Name): 简 in 简体中文, 繁 in 繁體中文, EN in "EN – English" (not
    "English (EN)": axe drops a name's parentheses before comparing)."""
    rec = open_offline(built.maps[0] if page_kind == "layout" else built.index_path)
    buttons = rec.page.eval_on_selector_all(
        ".ml-lang button",
        "bs => bs.map(b => [b.textContent.trim(), b.getAttribute('aria-label')])",
    )
    assert [shown for shown, _ in buttons] == ["简", "繁", "EN"]
    assert [name for _, name in buttons] == ["简体中文", "繁體中文", "EN – English"]


def _tab_to(page: Any, test: str, limit: int = 40) -> None:
    """Press Tab until ``test`` (a JS expression on ``document.activeElement``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!({test}); }})()"):
            return
    pytest.fail(f"Tab never reached an element where {test}")


def test_keyboard_language_switch(open_offline: Any, built: export.BuildResult) -> None:
    page = open_offline(built.maps[0]).page
    page.wait_for_function(READY, timeout=15000)
    _tab_to(page, "e.getAttribute('data-lang') === 'en'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_attribute(".ml-lang button[data-lang='en']", "aria-pressed") == "true"
    assert page.text_content("#ml-info-btn") == "About & figures"
    page.keyboard.press("Shift+Tab")  # back to 繁, and Space works as well as Enter
    page.keyboard.press(" ")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.text_content("#ml-info-h") == "文章要點"


def test_keyboard_search_opens_the_place(open_offline: Any, built: export.BuildResult) -> None:
    page = open_offline(built.maps[0]).page
    page.wait_for_function(READY, timeout=15000)
    _tab_to(page, "e.id === 'ml-q'")
    page.keyboard.type("株洲")
    page.wait_for_selector("#ml-results li[tabindex]", timeout=5000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#ml-results') !== null")
    page.keyboard.press("Enter")
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert "株洲" in (popup.text_content() or "")
    page.keyboard.press("Escape")


def test_keyboard_layer_control_hides_a_layer(open_offline: Any, built: export.BuildResult) -> None:
    page = open_offline(built.maps[0]).page
    page.wait_for_function(READY, timeout=15000)
    _tab_to(page, "e.classList.contains('leaflet-control-layers-toggle')")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "图层"
    page.keyboard.press("Enter")
    assert page.evaluate(
        "document.querySelector('.leaflet-control-layers')"
        ".classList.contains('leaflet-control-layers-expanded')"
    )
    label = "重点载体"  # ui.json layer.sites
    _tab_to(
        page,
        f"e.type === 'checkbox' && e.closest('label').textContent.trim() === '{label}'",
    )
    assert page.evaluate("document.activeElement.checked")
    shown_before = page.evaluate("document.querySelectorAll('path.ml-site').length")
    assert shown_before > 0
    page.keyboard.press(" ")
    assert not page.evaluate("document.activeElement.checked")
    assert page.evaluate("document.querySelectorAll('path.ml-site').length") == 0
    page.keyboard.press(" ")
    assert page.evaluate("document.querySelectorAll('path.ml-site').length") == shown_before
