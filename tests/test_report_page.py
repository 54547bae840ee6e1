"""The sample report (scripts/make_report.py): one command, the kit in use, works offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
