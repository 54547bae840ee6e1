"""The plan's interpretations on the map (issue 14): a popup marks them 「解读」 /
"Interpretation" in headless Chromium, and an item without one shows no such row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maplayout.publish import pipeline as export

pytestmark = pytest.mark.browser

READY = "window.maplayout && window.maplayout.ready === true"


@pytest.fixture(scope="module")
def layout_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = export.build(out=tmp_path_factory.mktemp("interp"), figures=False, snapshots="no")
    return result.maps[0]


def _popup_rows(page: Any) -> dict[str, str]:
    page.wait_for_selector(".leaflet-popup-content dl", timeout=5000)
    return dict(
        page.eval_on_selector_all(
            ".leaflet-popup-content dt",
            "ds => ds.map(d => [d.textContent, d.nextElementSibling.textContent])",
        )
    )


@pytest.mark.parametrize(
    ("lang", "label", "words"),
    [
        ("zh-Hans", "解读", "研究笔记"),
        ("zh-Hant", "解讀", "研究筆記"),
        ("en", "Interpretation", "research notes"),
    ],
)
def test_site_popup_marks_the_interpretation(
    open_offline: Any, layout_map: Path, lang: str, label: str, words: str
) -> None:
    rec = open_offline(layout_map)
    page = rec.page
    page.wait_for_function(READY, timeout=15000)
    page.evaluate("l => maplayout.setLang(l)", lang)
    page.evaluate("maplayout.select('site', 'xiangjiang-lab')")
    rows = _popup_rows(page)
    assert words in rows[label]
    assert page.is_visible(".leaflet-popup-content dd.ml-interp")
    page.evaluate("maplayout.select('site', 'malanshan')")  # the article's own words only
    page.wait_for_function(
        "document.querySelector('.leaflet-popup-content h3').textContent.includes('马栏山')"
        " || document.querySelector('.leaflet-popup-content h3').textContent.includes('馬欄山')"
        " || document.querySelector('.leaflet-popup-content h3').textContent.includes('Malanshan')",
        timeout=5000,
    )
    assert label not in _popup_rows(page)
    assert rec.page_errors == []
