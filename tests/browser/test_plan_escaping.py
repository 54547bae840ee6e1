"""A plan made of markup-looking texts, built for real and opened in headless Chromium.

``tests/plans/escaping.yaml`` is a *valid* plan (the validator only warns) whose titles,
descriptions, labels, site names and fact texts hold ``</script>``, ``<img src=x onerror=…>``,
quotes, ``{{ 7*7 }}``, ``${x}`` and ``&amp;``. Built with :func:`maplayout.publish.build`, the
layout map and the county view must show them as the characters typed: no dialog, no page
error, no injected element, no template evaluation; the viewer page and the embed kit must
carry them escaped (issue 4, "Safe").
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from maplayout.plan import load_plan
from maplayout.publish.pipeline import build

pytestmark = pytest.mark.browser

PLAN = Path(__file__).resolve().parents[1] / "plans" / "escaping.yaml"
READY = "window.maplayout && window.maplayout.ready === true"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}"
QUOTES = "\"double\" and 'single' quotes"
ENTITY = "&amp;"

#: Elements an injection would create, counted in the page.
INJECTED = """() => ({
  onerror: document.querySelectorAll('[onerror]').length,
  imgX: document.querySelectorAll('img[src="x"]').length,
  alertScripts: [...document.scripts].filter(s => s.textContent.includes('alert(1)')
    && !s.textContent.includes('"')).length,
})"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("escaping-build")
    result = build(PLAN, out, figures=False, snapshots="no")
    layout, county = result.maps
    return {"layout": layout, "county": county, "index": result.index_path, "dir": out}


@pytest.fixture(scope="module")
def plan() -> Any:
    return load_plan(PLAN)


def _open_watched(open_offline: Any, path: Path) -> tuple[Any, list[str]]:
    """Open ``path`` offline with a dialog recorder in place *before* the page runs.

    The fixture loads the page at once, so the recorder is attached and the page reloaded:
    every script and every ``onerror`` of the second load is watched.
    """
    rec = open_offline(path)
    dialogs: list[str] = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.reload(wait_until="load")
    rec.page.wait_for_function(READY, timeout=5000)
    return rec, dialogs


def _settle_and_check(rec: Any, dialogs: list[str]) -> None:
    rec.page.wait_for_timeout(300)  # an injected <img onerror> would fire by now
    assert dialogs == []
    assert rec.page_errors == []
    assert rec.console_errors == []
    assert rec.requests == []
    assert rec.page.evaluate(INJECTED) == {"onerror": 0, "imgX": 0, "alertScripts": 0}


def test_escaping_plan_loads_with_warnings_only(plan: Any) -> None:
    assert plan.warnings and all(not w.is_error for w in plan.warnings)


def test_layout_map_shows_markup_as_text(open_offline: Any, built: dict, plan: Any) -> None:
    rec, dialogs = _open_watched(open_offline, built["layout"])
    page = rec.page
    title = page.evaluate("document.getElementById('ml-title').textContent")
    assert title == plan.title.zh_hans
    assert SCRIPT in title and TEMPLATE in title and "49" not in title
    assert page.title().startswith(plan.title.zh_hans)

    page.click('button[data-lang="en"]')
    assert page.inner_text("#ml-title") == plan.title.en  # visible, as typed
    assert IMG in page.inner_text("#ml-title") and "${x}" in page.inner_text("#ml-title")
    assert IMG in page.evaluate("document.body.innerText")
    assert TEMPLATE in page.evaluate("document.body.innerText")

    # a site popup: the name as its heading, precision and description as text
    page.evaluate("maplayout.select('site', 'nscc')")
    page.locator(".leaflet-popup-content h3").wait_for(timeout=2000)
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").text_content() == plan.sites[0].name.en
    text = popup.text_content()
    assert SCRIPT in text and QUOTES in text  # the site description
    assert f"{TEMPLATE} ${{x}}" in text  # the precision note

    # a unit popup: the core's description
    page.evaluate("maplayout.select('unit', '430100')")
    page.wait_for_function(
        "document.querySelector('.leaflet-popup-content') && "
        "document.querySelector('.leaflet-popup-content').textContent.includes('Description')",
        timeout=2000,
    )
    unit_text = page.locator(".leaflet-popup-content").text_content()
    assert f"Description {IMG} {TEMPLATE}" in unit_text

    # the text fallback (tables for screen readers) holds the texts literally
    fallback = page.evaluate("document.getElementById('ml-text').textContent")
    for literal in (IMG, SCRIPT, TEMPLATE, QUOTES, ENTITY):
        assert literal in fallback, literal
    _settle_and_check(rec, dialogs)


def test_county_view_shows_markup_as_text(open_offline: Any, built: dict, plan: Any) -> None:
    rec, dialogs = _open_watched(open_offline, built["county"])
    page = rec.page
    assert page.evaluate("maplayout.counts().units") == 122
    assert page.evaluate("document.getElementById('ml-title').textContent").startswith(
        plan.title.zh_hans
    )
    page.click('button[data-lang="en"]')
    assert page.inner_text("#ml-title").startswith(plan.title.en)
    page.evaluate("maplayout.select('site', 'nscc')")
    page.locator(".leaflet-popup-content h3").wait_for(timeout=2000)
    assert page.locator(".leaflet-popup-content h3").text_content() == plan.sites[0].name.en
    fallback = page.evaluate("document.getElementById('ml-text').textContent")
    for literal in (IMG, SCRIPT, TEMPLATE, QUOTES):
        assert literal in fallback, literal
    _settle_and_check(rec, dialogs)


class _Collect(HTMLParser):
    """Every start tag (with attributes) and every text node of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Collect:
    p = _Collect()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


@pytest.mark.parametrize(
    "name", ["index.html", "escaping.embed.html", "escaping-county.embed.html"]
)
def test_viewer_page_and_embed_kit_escape_plan_texts(built: dict, name: str, plan: Any) -> None:
    path = built["dir"] / name
    raw = path.read_text(encoding="utf-8")
    doc = _parse(path)
    assert [t for t, _ in doc.tags if t == "img"] == []
    # the only scripts are the viewer page's own: its language-switch strings (JSON, every
    # plan text escaped inside) and the few lines that apply them; none in the embed kit
    scripts = [dict(a) for t, a in doc.tags if t == "script"]
    own = [{"type": "application/json", "id": "ml-index-i18n"}, {}]
    assert scripts == (own if name == "index.html" else [])
    assert [(t, a) for t, a in doc.tags if any(k.startswith("on") for k in a)] == []
    text = "".join(doc.text)
    # the title reaches the page as text: decoded by the parser, it is the title as typed
    assert plan.title.zh_hans in text
    assert IMG in text  # the publication, in the source line
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert IMG not in raw and SCRIPT not in raw


def test_viewer_page_opens_cleanly(open_offline: Any, built: dict, plan: Any) -> None:
    rec = open_offline(built["index"])
    dialogs: list[str] = []
    rec.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    rec.page.reload(wait_until="load")
    assert plan.title.zh_hans in rec.page.inner_text("main")
    _settle_and_check(rec, dialogs)
