"""The embed kit's Jupyter display in a real headless Chromium (moved from tests/test_embed.py)."""

from __future__ import annotations

import pytest

from maplayout.publish import embed
from tests.factories import tiny_model


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.mark.browser
def test_map_html_inline_display_draws_the_map(model, tmp_path, open_offline):
    """What Jupyter shows: the map runs and finishes drawing inside the srcdoc iframe."""
    from maplayout.web import render_map

    shown = embed.MapHTML(render_map(model), height=500)._repr_html_()
    page_file = tmp_path / "notebook.html"
    page_file.write_text(f"<!doctype html><title>nb</title><body>{shown}</body>", "utf-8")
    rec = open_offline(page_file, width=900, height=600)
    frame = rec.page.frame_locator("iframe").first
    frame.locator("html[data-ml-ready='1']").wait_for(timeout=15000)
    assert frame.locator("text=长沙").count() >= 1
    assert rec.requests == [] and rec.page_errors == []
