"""Notebook display: ``render_map`` returns a ``str`` that saves itself and shows as a sized
iframe whose height shows the page's whole legend; the model shows a summary and the map."""

from __future__ import annotations

import html
import re

import pytest

from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.web import MapPage, render_map
from maplayout.web.page import FRAME_HEIGHT


@pytest.fixture(scope="module")
def model():
    return build_model(load_plan())


def test_render_map_is_a_string_that_saves(model, tmp_path):
    page = render_map(model)
    assert isinstance(page, MapPage) and isinstance(page, str)
    assert page.startswith("<!DOCTYPE html>") and len(repr(page)) < 80
    path = page.save(tmp_path / "map.html")
    assert path.read_text(encoding="utf-8") == page
    frame = page._repr_html_()
    src = re.search(r'srcdoc="([^"]*)"', frame)
    assert src and html.unescape(src.group(1)) == page  # escaped, whole
    assert f"height:{FRAME_HEIGHT}px" in frame


def test_model_repr_is_short_and_html_has_summary_and_map(model):
    assert repr(model) == (
        "<LayoutModel hunan-ai-2023 (prefecture): units=14, groups=4, links=2, sites=10, context=7>"
    )
    out = model._repr_html_()
    table = out.split("<iframe", 1)[0]
    assert table.startswith("<table>") and len(table) < 3000
    for field in ("plan", "region", "units", "warnings", "hunan-ai-2023"):
        assert field in table
    assert out.count("<iframe srcdoc=") == 1


@pytest.mark.browser
def test_the_frame_shows_the_whole_legend(model, open_offline, tmp_path):
    path = render_map(model).save(tmp_path / "map.html")
    for width in (760, 1000):  # a narrow and a wide notebook column
        page = open_offline(path, width=width, height=FRAME_HEIGHT).page
        page.wait_for_selector(".ml-legend")
        box = page.evaluate(
            "(() => { const e = document.querySelector('.ml-legend');"
            " const r = e.getBoundingClientRect();"
            " return [r.top, r.bottom, e.scrollHeight - e.clientHeight]; })()"
        )
        top, bottom, hidden = box
        assert top >= 0 and bottom <= FRAME_HEIGHT and hidden <= 1, (width, box)
