"""Figure fonts: the bundled subset, fallbacks, a stale matplotlib cache, a bare machine."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from maplayout.errors import BuildError
from maplayout.print.figure import make_figure
from maplayout.print.fonts import BUNDLED_FAMILY, FONT_DIR, choose_font, uncovered
from tests.factories import tiny_model

ROOT = Path(__file__).resolve().parent.parent
TITLE = "湖南人工智能产业集聚区空间布局"
RARE = "彧"  # GB2312 level 2: in Noto Sans CJK, not in the bundled subset


def pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout


def bare_env(tmp: Path, *, fonts: bool) -> dict[str, str]:
    """A fresh machine: empty HOME, new MPLCONFIGDIR, no Chromium on PATH; with
    ``fonts=False`` fontconfig is pointed at a config with no font folders."""
    home, mpl = tmp / "home", tmp / "mpl"
    home.mkdir()
    mpl.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYWRIGHT", "FONTCONFIG"))}
    env.update(HOME=str(home), MPLCONFIGDIR=str(mpl), PATH=str(tmp / "nobin"))
    env.pop("XDG_CACHE_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    if not fonts:
        conf = tmp / "fonts.conf"
        conf.write_text(
            f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp}/fc</cachedir></fontconfig>\n'
        )
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def test_bundled_font_matches_its_manifest_and_licence():
    manifest = json.loads((FONT_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["family"] == BUNDLED_FAMILY
    assert manifest["licence"]["name"] == "SIL Open Font License 1.1"
    ofl = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert ofl.startswith("© 2014-2021 Adobe") and "SIL OPEN FONT LICENSE Version 1.1" in ofl
    for face in manifest["faces"]:
        data = (FONT_DIR / face["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == face["sha256"]
        font = TTFont(FONT_DIR / face["file"])
        assert "glyf" in font and "CFF " not in font  # TrueType outlines
        assert font["name"].getDebugName(1) == BUNDLED_FAMILY
        assert len(font.getBestCmap()) == face["characters"]


def test_bundled_font_covers_gb2312_level1_geodata_and_traditional_forms():
    from opencc import OpenCC

    cmap = set(TTFont(FONT_DIR / "MaplayoutSansCJK-Regular.ttf").getBestCmap())
    level1 = [bytes([r, c]).decode("gb2312") for r in range(0xB0, 0xD8) for c in range(0xA1, 0xFF)
              if (r, c) < (0xD7, 0xFA)]  # fmt: skip
    assert len(level1) == 3755
    hant = OpenCC("s2tw").convert("".join(level1))
    from maplayout.geo import load_units

    names = []
    for level in ("province", "prefecture", "county", "neighbour"):
        units = load_units(level)
        for col in [c for c in units.columns if c.startswith(("name_", "short_"))]:
            names += list(units[col])
    assert len(names) > 6 * 140
    text = "".join(level1) + hant + "".join(names) + "，。、《》「」（）：；0123456789ABCxyz±"
    assert {ord(c) for c in text if not c.isspace()} - cmap == set()


def test_unknown_font_is_a_one_line_error_with_closest_families():
    with pytest.raises(BuildError) as err:
        choose_font("Maplayout Sans CK")
    assert str(err.value).startswith(
        "unknown font 'Maplayout Sans CK': not a font file nor an installed family; closest: "
    )
    assert BUNDLED_FAMILY in str(err.value)
    with pytest.raises(BuildError, match=r"^font file not found: /nope/x\.ttf$"):
        choose_font("/nope/x.ttf")


def test_missing_characters_fall_back_to_a_system_font(tmp_path):
    # the test machine has Noto Sans CJK (scripts/test.sh installs it), found via fontconfig
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither our warning nor matplotlib's "Glyph missing"
        out = make_figure(tiny_model(), tmp_path / "f.pdf", title=f"王{RARE}的布局")
    assert f"王{RARE}的布局" in pdf_text(out)
    assert b"MaplayoutSansCJK-Regular" in out.read_bytes()
    assert b"NotoSans" in out.read_bytes()  # the system fallback, for the one character


@pytest.mark.filterwarnings("ignore:Glyph 24423")  # matplotlib's own, for the same box
def test_characters_no_font_has_are_listed_in_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("maplayout.print.figure.system_font_for", lambda chars: None)
    with pytest.warns(UserWarning, match=f"no installed font covers, drawn as boxes: {RARE} "):
        make_figure(tiny_model(), tmp_path / "f.png", dpi=50, title=f"王{RARE}")
    assert uncovered(f"王{RARE} x", choose_font()) == RARE


STALE = """
import pathlib
import matplotlib
from matplotlib import font_manager as fm
# a cache written before any CJK font was visible: drop every CJK entry and save it
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if "CJK" not in f.name]
cache = pathlib.Path(matplotlib.get_cachedir(), f"fontlist-v{fm.FontManager.__version__}.json")
fm.json_dump(fm.fontManager, cache)
"""

USE = """
import sys
sys.path.insert(0, sys.argv[1])
from matplotlib import font_manager as fm
assert not any("CJK" in f.name for f in fm.fontManager.ttflist), "the cache is not stale"
from tests.factories import tiny_model
from maplayout.print.figure import make_figure
make_figure(tiny_model(), sys.argv[2])
make_figure(tiny_model(), sys.argv[3], font="Noto Sans CJK SC")
"""


@pytest.mark.slow
def test_a_stale_matplotlib_font_cache_still_gives_cjk_glyphs(tmp_path):
    env = bare_env(tmp_path, fonts=True)
    env["PATH"] = os.environ["PATH"]  # fontconfig's fc-list finds the system font
    subprocess.run([sys.executable, "-c", STALE], env=env, check=True, capture_output=True)
    (cache,) = Path(env["MPLCONFIGDIR"]).glob("fontlist-*.json")
    assert "CJK" not in cache.read_text(encoding="utf-8")
    a, b = tmp_path / "bundled.pdf", tmp_path / "system.pdf"
    run = subprocess.run(
        [sys.executable, "-c", USE, str(ROOT), str(a), str(b)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "missing from font" not in run.stderr
    assert "小型测试布局" in pdf_text(a) and "小型测试布局" in pdf_text(b)
    assert b"MaplayoutSansCJK" in a.read_bytes() and b"NotoSansCJKsc" in b.read_bytes()


def _build(tmp: Path, env: dict[str, str], name: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp / name
    run = subprocess.run(
        [sys.executable, "-m", "maplayout", "build", "--out", str(out)],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run, out


@pytest.mark.slow
def test_bare_machine_build_exits_0_and_figures_are_identical_with_system_fonts(tmp_path):
    bare, full = tmp_path / "bare", tmp_path / "full"
    bare.mkdir()
    full.mkdir()
    run, out = _build(bare, bare_env(bare, fonts=False), "maps")
    assert run.returncode == 0, run.stderr
    # one warning line (no snapshots); no font complaint, no matplotlib "Glyph missing"
    (line,) = run.stderr.splitlines()
    assert line.startswith("maplayout: warning: no snapshots ("), run.stderr
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["snapshots"] == "skipped: no Chromium"
    assert manifest["figures"] == "made"
    assert manifest["figure_font"]["family"] == BUNDLED_FAMILY
    for name in ("hunan-ai-2023.html", "hunan-ai-2023-county.html", "index.html"):
        assert (out / name).stat().st_size > 1000
    assert (out / "hunan-ai-2023.embed.html").is_file()
    text = pdf_text(out / "hunan-ai-2023.figure.pdf")
    assert TITLE in text and "图例" in text and "长沙" in text
    # the same build on a machine whose fontconfig sees every system font (Noto CJK, DejaVu)
    run2, out2 = _build(full, bare_env(full, fonts=True), "maps")
    assert run2.returncode == 0, run2.stderr
    for suffix in ("svg", "pdf", "png"):
        name = f"hunan-ai-2023.figure.{suffix}"
        assert (out / name).read_bytes() == (out2 / name).read_bytes(), name
    assert (out / "hunan-ai-2023-county.figure.png").read_bytes() == (
        out2 / "hunan-ai-2023-county.figure.png"
    ).read_bytes()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Glyph 983040")  # the reference boxes, on purpose
def test_bare_machine_png_has_glyphs_not_boxes(tmp_path):
    """The figure's title, cropped from the bare machine's PNG, matches the title drawn with
    the bundled font, and differs from the same text drawn as .notdef boxes."""
    import numpy as np
    from matplotlib.figure import Figure
    from PIL import Image

    env = bare_env(tmp_path, fonts=False)
    out = tmp_path / "f.png"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tests.factories import tiny_model; from maplayout.print.figure import make_figure;"
        "make_figure(tiny_model(), sys.argv[2], dpi=100)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "missing from font" not in run.stderr, run.stderr
    bare = np.asarray(Image.open(out).convert("L"), dtype=float)

    def title_ink(text: str, family: str) -> np.ndarray:
        import io

        import matplotlib

        choose_font()
        fig = Figure(figsize=(4, 0.6), dpi=100)
        with matplotlib.rc_context({"font.family": [family]}):
            fig.text(0.01, 0.5, text, fontsize=17, fontweight="bold", va="center")
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
        img = np.asarray(Image.open(buf).convert("L"), dtype=float)
        return (img < 128).sum(axis=0)  # ink per column: the shape of the string

    want = title_ink("小型测试布局", BUNDLED_FAMILY)
    boxes = title_ink("\U000f0000" * 6, BUNDLED_FAMILY)  # private use: drawn as .notdef
    left = bare[: int(bare.shape[0] * 0.12), : bare.shape[1] // 2] < 128
    rows = np.nonzero(left.any(axis=1))[0]
    end = rows[0]
    while end + 1 < left.shape[0] and left[end + 1].any():
        end += 1  # the first block of inked rows: the title line
    ink = left[rows[0] : end + 1].sum(axis=0)

    def profile(a: np.ndarray) -> np.ndarray:
        cols = np.nonzero(a)[0]
        return a[cols[0] : cols[-1] + 1].astype(float)

    got, ref, box = profile(ink), profile(want), profile(boxes)
    n = min(len(got), len(ref), len(box))
    assert abs(len(got) - len(ref)) <= 2  # same advance widths
    assert np.corrcoef(got[:n], ref[:n])[0, 1] > 0.9
    assert np.corrcoef(got[:n], box[:n])[0, 1] < 0.6


def test_bare_env_has_no_fonts_for_fontconfig(tmp_path):
    """The imitation is real: with that config fontconfig lists no font at all."""
    if shutil.which("fc-list") is None:
        pytest.fail("fc-list (fontconfig) is needed by the font tests")
    env = bare_env(tmp_path, fonts=False)
    env["PATH"] = os.environ["PATH"]
    run = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""
