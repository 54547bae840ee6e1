"""The default plan's figures and site notes as a reader sees them, in headless Chromium.

The plan gives each figure a ``display`` text per language and each site a ``location_source``
per language (``docs/plan-format.md``); the built layout map must show those, not value + unit
glued together ("152 100 million yuan", "10 rank") or English notes in the Chinese UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan-facts-build")
    return export.build(out=out, figures=False, snapshots="no").maps[0]


def _open(open_offline: Any, path: Path) -> Any:
    rec = open_offline(path)
    rec.page.wait_for_function(READY, timeout=5000)
    return rec


def _info_text(page: Any) -> str:
    page.click("#ml-info-btn")
    page.locator("#ml-info").wait_for(state="visible", timeout=2000)
    return page.locator("#ml-info").inner_text()  # only the visible language block


def test_english_info_panel_reads_the_display_texts(open_offline: Any, layout: Path) -> None:
    rec = _open(open_offline, layout)
    page = rec.page
    page.click(".ml-lang button[data-lang='en']")
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=2000)
    text = _info_text(page)
    assert "AI core industry output: 15.2 billion yuan (2022)" in text
    assert "ranked 10th (2023)" in text
    assert "National AI cluster TOP50 entries: Hunan: 1 entry (2023)" in text
    assert "National rank of the digital economy: top ten (2025)" in text
    assert "over 500 billion yuan (2027)" in text
    for wrong in ("前十强", "100 million yuan", "10 rank", "1 entries", "152"):
        assert wrong not in text, wrong
    assert rec.requests == [] and rec.page_errors == [] and rec.console_errors == []


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("zh-Hans", ["人工智能核心产业产值：152亿元 (2022)", "第10名 (2023)", "前十强 (2025)"]),
        ("zh-Hant", ["人工智能核心產業產值：152億元 (2022)", "第10名 (2023)", "前十強 (2025)"]),
    ],
)
def test_chinese_info_panels_read_the_display_texts(
    open_offline: Any, layout: Path, lang: str, want: list[str]
) -> None:
    rec = _open(open_offline, layout)
    page = rec.page
    page.click(f".ml-lang button[data-lang='{lang}']")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=2000)
    text = _info_text(page)
    for w in want:
        assert w in text, w
    assert "152 亿元" not in text and "152 億元" not in text and "名次" not in text
    assert rec.page_errors == []


def _site_popup(page: Any, site_id: str, name: str) -> str:
    """Open the popup of ``site_id`` and wait until it is the one shown (titled ``name``)."""
    page.evaluate("id => maplayout.select('site', id)", site_id)
    page.wait_for_function(
        """name => { const c = document.querySelectorAll('.leaflet-popup-content');
        return c.length === 1 && c[0].querySelector('.ml-precision') !== null
          && c[0].textContent.includes(name); }""",
        arg=name,
        timeout=2000,
    )
    return page.inner_text(".leaflet-popup-content")


def test_site_popups_give_location_notes_in_the_ui_language(
    open_offline: Any, layout: Path
) -> None:
    rec = _open(open_offline, layout)
    page = rec.page  # opens in zh-Hans
    text = _site_popup(page, "nscc-changsha", "国家超级计算长沙中心")
    assert "百度地图标注点 112.951369,28.178643（BD-09），已换算为 WGS-84" in text
    assert "Baidu" not in text and "英文原注" not in text
    assert text.count("±") == 1  # the radius is stated once, by the renderer
    text = _site_popup(page, "cmcc-zhuzhou-dc", "中国移动（株洲）数据中心")
    assert "人工估计" in text and "manual estimate" not in text and "英文原注" not in text
    assert text.count("±") == 1
    page.click(".ml-lang button[data-lang='en']")
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=2000)
    text = _site_popup(page, "nscc-changsha", "National Supercomputing Center in Changsha")
    assert "Baidu map marker 112.951369,28.178643 (BD-09) converted to WGS-84" in text
    assert "百度" not in text and text.count("±") == 1
    assert rec.page_errors == [] and rec.console_errors == []
