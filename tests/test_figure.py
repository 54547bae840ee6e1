"""Print figures: text stays text, legend = model.legend, pixels are not blank, bytes stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from _tiny_model import tiny_model

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.figure import PAPERS, cjk_font, local_crs, make_figure

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_svg_text_is_readable_and_legend_matches_model(model, tmp_path, lang):
    out = make_figure(model, tmp_path / "f.svg", lang=lang)
    texts = svg_texts(out)
    suffix = {"zh-Hans": "zh_hans", "zh-Hant": "zh_hant", "en": "en"}[lang]
    # every unit's label, every legend entry, the title and the corridor functions
    for short in model.units[f"short_{suffix}"]:
        assert short in texts
    for entry in model.legend:
        assert entry["label"][lang] in texts
    assert model.meta["title"][lang] in texts
    for label in model.links[f"label_{suffix}"]:
        assert label in texts
    # the source / attribution line carries the datum and the article date
    source = [t for t in texts if "WGS-84" in t]
    assert source and "2023-12-21" in source[0]


def test_legend_entries_are_the_model_legend_then_the_html_extras(model, tmp_path):
    texts = svg_texts(make_figure(model, tmp_path / "f.svg"))
    start = texts.index("图例")
    labels = [e["label"]["zh-Hans"] for e in model.legend] + ["位置不确定范围", "邻省"]
    assert texts[start + 1 : start + 1 + len(labels)] == labels


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_figure_legend_equals_the_html_legend(model, tmp_path, open_offline, lang):
    """The printed legend lists exactly what the interactive map's legend lists."""
    from maplayout.render import render_map

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


def test_chinese_labels_in_svg(model, tmp_path):
    texts = svg_texts(make_figure(model, tmp_path / "f.svg"))
    assert {"长沙", "株洲", "湘潭", "长株潭"} <= set(texts)
    assert "智能数据存储走廊" in texts


def test_png_has_colour_variety_and_paper_size(model, tmp_path):
    import matplotlib.image as mpimg

    out = make_figure(model, tmp_path / "f.png", dpi=100)
    img = mpimg.imread(out)
    w_in, h_in = PAPERS["A4-landscape"]
    assert abs(img.shape[1] - w_in * 100) <= 1 and abs(img.shape[0] - h_in * 100) <= 1
    rgb = (img[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    colours = np.unique(rgb, axis=0)
    assert len(colours) > 200  # fills, antialiased text, arrows, circles
    # the core's fill colour is present (units are drawn in their role colour at 0.7 opacity)
    white = (rgb == 255).all(axis=1).mean()
    assert white < 0.9


def test_portrait_png_is_portrait(model, tmp_path):
    import matplotlib.image as mpimg

    img = mpimg.imread(make_figure(model, tmp_path / "p.png", paper="a4-portrait", dpi=50))
    assert img.shape[0] > img.shape[1]


def test_pdf_embeds_truetype_font_and_is_deterministic(model, tmp_path):
    a = make_figure(model, tmp_path / "a.pdf").read_bytes()
    b = make_figure(model, tmp_path / "b.pdf").read_bytes()
    assert a.startswith(b"%PDF")
    assert a == b
    assert b"/FontFile2" in a  # TrueType (Type 42) embedding
    assert b"NotoSansCJK" in a or b"Noto" in a
    assert b"CreationDate" not in a


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_identical_input_gives_identical_bytes(model, tmp_path, suffix):
    a = make_figure(model, tmp_path / f"a{suffix}", dpi=60).read_bytes()
    b = make_figure(model, tmp_path / f"b{suffix}", dpi=60).read_bytes()
    assert a == b


def test_uncertainty_circle_is_metric(model):
    from pyproj import Transformer
    from shapely.geometry import Point

    crs = local_crs(model)
    site = model.sites.iloc[0]
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = t.transform(site.geometry.x, site.geometry.y)
    circle = Point(x, y).buffer(site["radius_m"], quad_segs=32)
    # project the circle's east edge back and measure it on the ellipsoid
    from pyproj import Geod

    lon, lat = t.transform(x + site["radius_m"], y, direction="INVERSE")
    _, _, dist = Geod(ellps="WGS84").inv(site.geometry.x, site.geometry.y, lon, lat)
    assert abs(dist - site["radius_m"]) < 5
    assert circle.area == pytest.approx(np.pi * site["radius_m"] ** 2, rel=0.01)


def test_bad_suffix_and_paper_are_one_line_errors(model, tmp_path):
    with pytest.raises(BuildError, match=r"f\.gif: unsupported figure format '\.gif'"):
        make_figure(model, tmp_path / "f.gif")
    with pytest.raises(BuildError) as err:
        make_figure(model, tmp_path / "f.svg", paper="A4-landscap")
    assert str(err.value) == (
        "unknown paper 'A4-landscap'; expected one of A4-landscape, A4-portrait; "
        "closest: A4-landscape"
    )
    assert not (tmp_path / "f.svg").exists()


def test_missing_cjk_font_names_the_package(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name],
    )
    monkeypatch.setattr("maplayout.figure._CJK_FAMILIES", {"zh-Hans": (), "zh-Hant": ()})
    with pytest.raises(DependencyMissingError) as err:
        cjk_font("zh-Hans")
    assert str(err.value) == (
        "no CJK font found for zh-Hans figure text; install one: apt-get install fonts-noto-cjk"
    )
    assert cjk_font("en") == "DejaVu Sans"


def test_cjk_font_prefers_noto_by_script():
    assert cjk_font("zh-Hans") == "Noto Sans CJK SC"
    assert cjk_font("zh-Hant") == "Noto Sans CJK TC"


@pytest.mark.slow
def test_cli_figure_of_the_default_plan(tmp_path, capsys):
    from maplayout.cli import main
    from maplayout.join import join

    out = tmp_path / "county.svg"
    assert main(["figure", "--out", str(out), "--level", "county", "--paper", "A4-portrait"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    texts = svg_texts(out)
    model = join(None, level="county")
    shorts = set(model.units["short_zh_hans"])
    assert len(shorts & set(texts)) >= 100  # county labels are text, not paths
    start = texts.index("图例")
    legend = [e["label"]["zh-Hans"] for e in model.legend]
    assert texts[start + 1 : start + 1 + len(legend)] == legend


def test_cli_figure_rejects_a_bad_suffix_before_any_work(tmp_path, capsys):
    from maplayout.cli import main

    assert main(["figure", "--out", str(tmp_path / "f.gif")]) == 1
    err = capsys.readouterr().err
    bad = tmp_path / "f.gif"
    expected = f"{bad}: unsupported figure format '.gif'; expected one of .svg, .pdf, .png"
    assert err == f"maplayout: error: {expected}\n"
