"""Snapshots through the real headless Chromium: size, content, readiness wait, offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.publish.snapshots import Snapshotter, snapshot, thumbnail

pytestmark = pytest.mark.browser

STRIPES = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<style>body{margin:0;display:flex;height:100vh}div{flex:1}</style></head><body>
<div style="background:#d7301f"></div><div style="background:#fc8d59"></div>
<div style="background:#2171b5"></div><div style="background:#1b9e77"></div>
<p style="position:absolute;top:10px;left:10px;font:24px sans-serif">长沙 株洲 湘潭</p>
</body></html>"""

# Declares it will signal (window.maplayout), draws late, then signals readiness.
LATE = """<!doctype html><html><head><meta charset="utf-8"><title>late</title>
<script>window.maplayout = {ready: false};</script></head>
<body style="margin:0;background:#fff"><div id="m" style="width:100vw;height:100vh"></div>
<script>setTimeout(() => {
  document.getElementById("m").style.background = "rgb(0, 128, 0)";
  window.maplayout.ready = true;
  window.dispatchEvent(new Event("maplayout:ready"));
}, 600);</script></body></html>"""

NEVER = """<!doctype html><html><head><title>never</title>
<script>window.maplayout = {ready: false};</script></head><body></body></html>"""

# A remote image: blocked, so onerror paints the page blue (and nothing hangs).
REMOTE = """<!doctype html><html><head><title>remote</title></head>
<body style="margin:0;width:100vw;height:100vh">
<img src="https://tile.openstreetmap.org/0/0/0.png"
 onerror="document.body.style.background='rgb(0, 0, 255)'"></body></html>"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def shots():
    with Snapshotter(timeout_s=10) as s:
        yield s


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


@pytest.mark.parametrize(("width", "height", "scale"), [(800, 450, 1.0), (640, 360, 2.0)])
def test_dimensions_and_content(shots, tmp_path, width, height, scale):
    html = write(tmp_path, "s.html", STRIPES)
    out = shots.shot(html, tmp_path / "s.png", width=width, height=height, scale=scale)
    px = pixels(out)
    assert px.shape[:2] == (int(height * scale), int(width * scale))
    colours = np.unique(px.reshape(-1, 3), axis=0)
    assert len(colours) >= 20  # four fills plus antialiased CJK text
    # the first stripe is the core colour #d7301f
    assert tuple(px[px.shape[0] - 5, 5]) == (0xD7, 0x30, 0x1F)


def test_waits_for_the_readiness_signal(shots, tmp_path):
    html = write(tmp_path, "late.html", LATE)
    px = pixels(shots.shot(html, tmp_path / "late.png", width=300, height=200))
    assert tuple(px[100, 150]) == (0, 128, 0)


def test_network_is_blocked(shots, tmp_path):
    html = write(tmp_path, "remote.html", REMOTE)
    px = pixels(shots.shot(html, tmp_path / "r.png", width=300, height=200))
    assert tuple(px[150, 250]) == (0, 0, 255)


def test_a_map_that_never_gets_ready_is_an_error(tmp_path):
    html = write(tmp_path, "never.html", NEVER)
    with pytest.raises(BuildError) as err:
        snapshot(html, tmp_path / "n.png", width=200, height=100, timeout_s=1)
    assert str(err.value) == (
        f"{html}: the map did not finish drawing within 1 s "
        "(window.maplayout.ready never became true)"
    )
    assert not (tmp_path / "n.png").exists()


def test_missing_html_is_a_one_line_error(shots, tmp_path):
    with pytest.raises(BuildError, match=r"nope\.html: no such HTML file to snapshot"):
        shots.shot(tmp_path / "nope.html", tmp_path / "x.png")


def test_no_chromium_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr("maplayout.publish.snapshots.find_chromium", lambda: None)
    with pytest.raises(DependencyMissingError) as err:
        snapshot(write(tmp_path, "s.html", STRIPES), tmp_path / "s.png")
    assert str(err.value) == "snapshots need a Chromium, none found: apt-get install chromium"


def test_thumbnail_downscales(shots, tmp_path):
    big = shots.shot(write(tmp_path, "s.html", STRIPES), tmp_path / "s.png", width=800, height=450)
    small = thumbnail(big, tmp_path / "t.png", width=200)
    with Image.open(small) as img:
        assert img.size == (200, 112)


def test_cli_snapshot(tmp_path, capsys):
    from maplayout.cli import main

    html = write(tmp_path, "s.html", STRIPES)
    out = tmp_path / "cli.png"
    assert (
        main(["snapshot", str(html), "--out", str(out), "--width", "400", "--height", "300"]) == 0
    )
    assert pixels(out).shape[:2] == (300, 400)
    assert capsys.readouterr().out.strip() == str(out)
    assert main(["snapshot", str(tmp_path / "gone.html"), "--out", str(out)]) == 1
    assert "gone.html: no such HTML file to snapshot" in capsys.readouterr().err


def test_works_inside_a_running_asyncio_loop(tmp_path):
    """Jupyter runs cells inside an asyncio loop; Playwright's sync API must still work."""
    import asyncio

    html = write(tmp_path, "s.html", STRIPES)

    async def cell() -> Path:
        return snapshot(html, tmp_path / "j.png", width=320, height=200)

    # in a fresh thread: the session's Playwright fixture may own this thread's loop
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        out = pool.submit(asyncio.run, cell()).result()
    assert pixels(out).shape[:2] == (200, 320)


def test_thumbnail_fits_a_box(shots, tmp_path):
    big = shots.shot(write(tmp_path, "s.html", STRIPES), tmp_path / "s.png", width=400, height=400)
    with Image.open(thumbnail(big, tmp_path / "t.png", size=(400, 225))) as img:
        assert img.size == (400, 225)
        px = np.asarray(img.convert("RGB"))
    assert tuple(px[112, 5]) == (255, 255, 255)  # letterbox
    assert tuple(px[220, 100]) != (255, 255, 255)  # the picture, centred


# "长" beside a character no font has (a private-use code point): a box either way when the
# browser has no Chinese font, two different pictures when it has one.
GLYPHS = """<!doctype html><html><head><meta charset="utf-8"><title>g</title>
<style>body{margin:0;background:#fff}span{position:absolute;top:0;font:64px sans-serif}</style>
</head><body><span style="left:0">长</span><span style="left:100px">\U000ffffd</span>
</body></html>"""


def test_a_machine_without_chinese_fonts_gets_the_bundled_font(monkeypatch, tmp_path):
    """fontconfig with no font folder at all (as on a bare server): the browser is given
    maplayout's bundled CJK font, and the text is drawn, not boxes."""
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/fc</cachedir></fontconfig>',
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    html = write(tmp_path, "g.html", GLYPHS)
    with Snapshotter(timeout_s=10) as bare:
        px = pixels(bare.shot(html, tmp_path / "g.png", width=200, height=100))
    han, missing = px[:, :100], px[:, 100:]
    assert (han < 128).any()  # ink
    assert not np.array_equal(han, missing)
