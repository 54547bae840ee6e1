"""The sample report (scripts/make_report.py): one command, the kit in use, works offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.browser
def test_make_report_builds_a_working_offline_page(tmp_path, open_offline):
    out = tmp_path / "report"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_report.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out / "index.html")
    rec = open_offline(out / "index.html", width=1000, height=900)
    page = rec.page
    # the figure: PNG fallback (the snapshot) linked to the map, caption, source line
    img = page.locator("figure.maplayout-figure img")
    assert img.get_attribute("src") == "maps/hunan-ai-2023.png"
    assert page.evaluate("document.querySelector('figure img').naturalWidth") == 1366
    assert img.get_attribute("alt").startswith("地图：湖南人工智能产业集聚区空间布局。")
    caption = page.locator("figcaption").inner_text()
    assert "湖南日报 2023-12-21" in caption and "WGS-84" in caption
    # the embedded interactive map finishes drawing inside its iframe
    frame = page.frame_locator("iframe").first
    frame.locator("html[data-ml-ready='1']").wait_for(timeout=15000)
    # the data table and every local link resolve
    assert page.locator("table tbody tr").count() >= 14
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"):
        assert (out / href).is_file(), href
    assert rec.requests == [] and rec.console_errors == [] and rec.page_errors == []
    # short columns (kind, source paragraphs) and the headings stay on one line, at a laptop
    # width and a narrow one (the table scrolls sideways rather than wrapping them)
    for width in (1000, 600):
        page.set_viewport_size({"width": width, "height": 900})
        lines = page.evaluate(ONE_LINE)
        assert lines["kind"] and set(lines["kind"]) == {1}, (width, lines)
        assert set(lines["refs"]) == {1} and set(lines["head"]) == {1}, (width, lines)


ONE_LINE = """() => {
  const lines = el => {
    const r = document.createRange();
    r.selectNodeContents(el);
    return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size;
  };
  const col = n => Array.from(document.querySelectorAll(`table tbody td:nth-child(${n})`));
  return {kind: col(1).map(lines), refs: col(8).filter(td => td.textContent).map(lines),
          head: Array.from(document.querySelectorAll('table thead th')).map(lines)};
}"""
