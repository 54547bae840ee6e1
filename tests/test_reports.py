"""What `build` writes for reports: figures, snapshots, thumbnails, embed kits (issue 5)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from _svgtext import svg_texts
from PIL import Image

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.publish.pipeline import build

STEM = "hunan-ai-2023"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    p = _Tags()
    p.feed(path.read_text(encoding="utf-8"))
    return p.tags


def card_links(index: Path) -> list[list[tuple[str, str]]]:
    """Per card of the viewer page, the links of its last line ``(href, text)``."""
    html = index.read_text(encoding="utf-8")
    cards = re.split(r"<li[ >]", html)[1:]
    return [
        re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', c.split("</li>")[0].rsplit("<p>", 1)[1])
        for c in cards
    ]


def rgb(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "maps"
    result = build(None, out)  # defaults: figures on, snapshots "auto" (Chromium is there)
    return out, result


@pytest.mark.browser
@pytest.mark.slow
def test_build_writes_figures_snapshots_thumbnails_and_kits(built):
    out, result = built
    names = {p.name for p in out.iterdir()}
    for ext in ("svg", "pdf", "png"):
        assert f"{STEM}.figure.{ext}" in names
    assert f"{STEM}-county.figure.pdf" not in names  # the county view is printed on demand
    assert f"{STEM}-county.figure.png" not in names  # ... and has its snapshot as fallback
    assert result.manifest["options"]["snapshots"] == "made"
    for stem in (STEM, f"{STEM}-county"):
        for suffix in (".png", ".thumb.png", ".iframe.html", ".embed.html", ".alt.txt",
                       ".caption.txt", ".table.csv", ".table.md"):  # fmt: skip
            assert f"{stem}{suffix}" in names
        snap = rgb(out / f"{stem}.png")
        assert snap.shape[:2] == (768, 1366)
        assert len(np.unique(snap.reshape(-1, 3), axis=0)) > 500
        assert rgb(out / f"{stem}.thumb.png").shape[:2] == (225, 400)
    listed = {e["path"] for e in result.manifest["files"]}
    assert f"{STEM}.figure.pdf" in listed and f"{STEM}.thumb.png" in listed
    # the figure carries the plan's Chinese labels as text
    texts = set(svg_texts(out / f"{STEM}.figure.svg"))
    assert {"长沙", "株洲", "湘潭", "图例"} <= texts
    # files written through atomic temp files get the maps' permissions, not 0600
    mode = (out / f"{STEM}.html").stat().st_mode & 0o777
    assert (out / f"{STEM}.figure.pdf").stat().st_mode & 0o777 == mode


@pytest.mark.browser
@pytest.mark.slow
def test_index_shows_thumbnails_and_report_links(built):
    out, _ = built
    index = tags(out / "index.html")
    imgs = [a for t, a in index if t == "img"]
    assert [a["src"] for a in imgs] == [f"{STEM}.thumb.png", f"{STEM}-county.thumb.png"]
    assert all(a["alt"].startswith("地图：") for a in imgs)
    hrefs = [a["href"] for t, a in index if t == "a"]
    assert f"{STEM}.figure.pdf" in hrefs and f"{STEM}.embed.html" in hrefs
    for href in hrefs:
        assert (out / href).is_file(), href


@pytest.mark.browser
@pytest.mark.slow
def test_embed_fragment_points_at_the_snapshot(built):
    out, _ = built
    frag = dict(tags(out / f"{STEM}.embed.html"))
    assert frag["img"]["src"] == f"{STEM}.png"
    assert (frag["img"]["width"], frag["img"]["height"]) == ("1366", "768")
    assert frag["a"]["href"] == f"{STEM}.html"


@pytest.mark.browser
@pytest.mark.slow
def test_report_files_are_deterministic(built, tmp_path):
    _, result = built
    again = build(None, tmp_path / "again")
    assert again.manifest["files"] == result.manifest["files"]


def test_no_chromium_in_auto_mode_falls_back_to_the_figure(monkeypatch, tmp_path):
    monkeypatch.setattr("maplayout.publish.snapshots.find_chromium", lambda: None)
    with pytest.warns(UserWarning, match=r"no snapshots \(snapshots need a Chromium"):
        build(None, tmp_path / "m")
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert f"{STEM}.png" not in names and f"{STEM}.thumb.png" in names
    frag = dict(tags(tmp_path / "m" / f"{STEM}.embed.html"))
    assert frag["img"]["src"] == f"{STEM}.figure.png"
    # the county view gets its print figure's PNG as fallback and thumbnail (PNG only)
    county = dict(tags(tmp_path / "m" / f"{STEM}-county.embed.html"))
    assert county["img"]["src"] == f"{STEM}-county.figure.png"
    assert f"{STEM}-county.thumb.png" in names and f"{STEM}-county.figure.pdf" not in names
    assert "区县视图" in county["img"]["alt"]
    assert (
        len(np.unique(rgb(tmp_path / "m" / f"{STEM}-county.figure.png").reshape(-1, 3), axis=0))
        > 100
    )
    index = tags(tmp_path / "m" / "index.html")
    thumbs = [a["src"] for t, a in index if t == "img"]
    assert thumbs == [f"{STEM}.thumb.png", f"{STEM}-county.thumb.png"]
    manifest = json.loads((tmp_path / "m" / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["snapshots"] == "skipped: no Chromium"
    # both cards link every image written for them, with the same labels
    cards = card_links(tmp_path / "m" / "index.html")
    assert [h for h, _ in cards[0]] == [
        f"{STEM}.html",
        f"{STEM}.figure.pdf",
        f"{STEM}.figure.svg",
        f"{STEM}.figure.png",
        f"{STEM}.embed.html",
        f"{STEM}.table.csv",
    ]
    assert [h for h, _ in cards[1]] == [
        f"{STEM}-county.html",
        f"{STEM}-county.figure.png",
        f"{STEM}-county.embed.html",
        f"{STEM}-county.table.csv",
    ]
    labels = [dict((h.replace(f"{STEM}-county", STEM), t) for h, t in c) for c in cards]
    assert labels[1] == {h: labels[0][h] for h in labels[1]}
    assert labels[0][f"{STEM}.figure.png"] == "打印图 PNG"
    for card in cards:
        assert all((tmp_path / "m" / h).is_file() for h, _ in card)


def test_a_machine_without_chromium_gives_both_maps_a_png_fallback(monkeypatch, tmp_path):
    """The README's first command on a machine with no browser."""
    monkeypatch.setattr("maplayout.publish.snapshots.find_chromium", lambda: None)
    with pytest.warns(UserWarning, match="snapshots need a Chromium, none found"):
        result = build(None, tmp_path / "m")
    assert result.manifest["options"]["snapshots"] == "skipped: no Chromium"
    for stem in (STEM, f"{STEM}-county"):
        frag = dict(tags(tmp_path / "m" / f"{stem}.embed.html"))
        assert frag["img"]["src"] == f"{stem}.figure.png"
        assert (tmp_path / "m" / f"{stem}.thumb.png").is_file()
    hrefs = [a["href"] for t, a in tags(tmp_path / "m" / "index.html") if t == "a"]
    assert f"{STEM}-county.figure.png" in hrefs


def test_snapshots_need_no_playwright(monkeypatch, tmp_path):
    """The base install (Playwright is only in the extras) drives the system Chromium
    itself: the snapshots are made."""
    import sys

    monkeypatch.setitem(sys.modules, "playwright", None)  # import fails
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    result = build(None, tmp_path / "m", figures=False)
    assert result.manifest["options"]["snapshots"] == "made"
    for stem in (STEM, f"{STEM}-county"):
        assert (tmp_path / "m" / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
        frag = dict(tags(tmp_path / "m" / f"{stem}.embed.html"))
        assert frag["img"]["src"] == f"{stem}.png"


def test_county_kit_says_it_is_the_county_view(tmp_path):
    build(None, tmp_path / "m", figures=False, snapshots="no")
    iframe = dict(tags(tmp_path / "m" / f"{STEM}-county.iframe.html"))
    assert iframe["iframe"]["title"].endswith("（区县视图）")
    layout = dict(tags(tmp_path / "m" / f"{STEM}.iframe.html"))
    assert "区县视图" not in layout["iframe"]["title"]
    captions = (tmp_path / "m" / f"{STEM}-county.caption.txt").read_text(encoding="utf-8")
    lines = dict(line.split("\t", 1) for line in captions.splitlines()[::2])
    assert "（区县视图）" in lines["zh-Hans"] and "（區縣視圖）" in lines["zh-Hant"]
    assert "(county view)" in lines["en"]
    alt = (tmp_path / "m" / f"{STEM}-county.alt.txt").read_text(encoding="utf-8")
    assert "区县视图" in alt and "430100" not in alt  # corridor stops named, not coded


def test_snapshots_yes_without_chromium_fails_and_keeps_old_outputs(monkeypatch, tmp_path):
    out = tmp_path / "m"
    out.mkdir()
    (out / "index.html").write_text("previous", encoding="utf-8")
    monkeypatch.setattr("maplayout.publish.snapshots.find_chromium", lambda: None)
    with pytest.raises(DependencyMissingError, match="apt-get install chromium"):
        build(None, out, figures=False, snapshots="yes")
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"


def test_bad_snapshot_option_is_a_one_line_error(tmp_path):
    with pytest.raises(BuildError) as err:
        build(None, tmp_path / "m", figures=False, snapshots="maybe")
    assert str(err.value) == "unknown snapshots option 'maybe'; expected one of auto, yes, no"


def test_no_figures_no_snapshots_still_writes_the_kit(tmp_path):
    build(None, tmp_path / "m", figures=False, snapshots="no")
    names = {p.name for p in (tmp_path / "m").iterdir()}
    assert f"{STEM}.embed.html" in names and f"{STEM}.table.csv" in names
    assert not any(n.endswith(".png") for n in names)  # no figure drawn: stays fast
    manifest = json.loads((tmp_path / "m" / "build-manifest.json").read_text(encoding="utf-8"))
    assert f"{STEM}.iframe.html" in {e["path"] for e in manifest["files"]}


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("chromium", "skipped: no Chromium"),
        ("chromium-start", "skipped: Chromium failed to start"),
    ],
)
def test_skip_reason_comes_from_what_is_missing_not_the_message(missing, expected) -> None:
    from maplayout.errors import DependencyMissingError
    from maplayout.publish.reports import _skip_reason

    # the message names the other cases on purpose: only ``missing`` decides
    err = DependencyMissingError("Playwright none found Chromium", missing=missing)
    assert _skip_reason(err) == expected


def test_the_bundled_font_is_added_for_the_browser_only_without_a_chinese_font(
    monkeypatch, tmp_path
):
    from maplayout.publish import _snapshot_worker as worker

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fc_list = bin_dir / "fc-list"
    fc_list.write_text("#!/bin/sh\necho 'Noto Sans CJK SC'\n", encoding="utf-8")
    fc_list.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert worker._fontconfig_with_bundled_font(str(tmp_path)) is None
    fc_list.write_text("#!/bin/sh\n", encoding="utf-8")  # it knows no Chinese font
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/a&b.conf")
    conf = worker._fontconfig_with_bundled_font(str(tmp_path))
    assert conf == str(tmp_path / "fonts.conf")
    text = (tmp_path / "fonts.conf").read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">/etc/a&amp;b.conf</include>' in text
    assert f"<dir>{worker.FONT_DIR}</dir>" in text
    assert (worker.FONT_DIR / "MaplayoutSansCJK-Regular.ttf").is_file()
    fc_list.unlink()  # no fc-list to ask: the font is added
    assert worker._fontconfig_with_bundled_font(str(tmp_path)) == conf
