"""The print figure's legend against the interactive map's, in headless Chromium (moved from
tests/test_figure.py)."""

from __future__ import annotations

import pytest
from _svgtext import svg_texts

from maplayout.print.figure import make_figure
from tests.factories import tiny_model


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_figure_legend_equals_the_html_legend(model, tmp_path, open_offline, lang):
    """The printed legend lists exactly what the interactive map's legend lists."""
    from maplayout.web import render_map

    html = tmp_path / "m.html"
    html.write_text(render_map(model, lang=lang), encoding="utf-8")
    page = open_offline(html).page
    page.wait_for_function("window.maplayout && window.maplayout.ready === true")
    shown = page.eval_on_selector_all(
        "#ml-legend-list li", "items => items.map(li => li.textContent.trim())"
    )
    texts = svg_texts(make_figure(model, tmp_path / "f.svg", lang=lang))
    start = texts.index({"zh-Hans": "图例", "en": "Legend"}[lang])
    assert len(shown) >= len(model.legend)
    assert texts[start + 1 : start + 1 + len(shown)] == shown
