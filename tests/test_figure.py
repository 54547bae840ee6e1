"""Print figures: text stays text, legend = model.legend, pixels are not blank, bytes stable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _svgtext import svg_texts

from maplayout.errors import BuildError
from maplayout.print.figure import PAPERS, local_crs, make_figure
from tests.factories import tiny_model


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
    assert b"MaplayoutSansCJK-Regular" in a  # the bundled font, whatever the machine has
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


@pytest.mark.slow
def test_cli_figure_of_the_default_plan(tmp_path, capsys):
    from maplayout.cli import main
    from maplayout.model import build_model

    out = tmp_path / "county.svg"
    assert main(["figure", "--out", str(out), "--level", "county", "--paper", "A4-portrait"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    texts = svg_texts(out)
    model = build_model(None, level="county")
    shorts = set(model.units["short_zh_hans"])
    assert len(shorts & set(texts)) >= 100  # county labels are text, not paths
    start = texts.index("图例")
    from maplayout.print import legend_entries

    legend = [e[0]["label"]["zh-Hans"] for e in legend_entries(model)]  # 两廊（两带） once
    assert texts[start + 1 : start + 1 + len(legend)] == legend


def test_cli_figure_rejects_a_bad_suffix_before_any_work(tmp_path, capsys):
    from maplayout.cli import main

    assert main(["figure", "--out", str(tmp_path / "f.gif")]) == 1
    err = capsys.readouterr().err
    bad = tmp_path / "f.gif"
    expected = f"{bad}: unsupported figure format '.gif'; expected one of .svg, .pdf, .png"
    assert err == f"maplayout: error: {expected}\n"


# --- label placement, legend de-duplication, fills (the default plan and the multicore plan)


def _map_axes(fig):
    """The map axes and, when drawn, the inset (the axes whose texts are placed labels)."""
    return [fig.axes[0], *[a for a in fig.axes if a.get_title(loc="left") == "地点放大图"]]


def _overlapping_texts(fig):
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    clashes = []
    for ax in _map_axes(fig):
        boxes = [  # the text's own extent (an Annotation's would include its leader line)
            (t.get_text(), Text.get_window_extent(t, renderer))
            for t in ax.texts
            if t.get_visible() and t.get_text().strip()
        ]
        for i, (a, p) in enumerate(boxes):
            for b, q in boxes[i + 1 :]:
                if p.x0 < q.x1 and q.x0 < p.x1 and p.y0 < q.y1 and q.y0 < p.y1:
                    clashes.append((a, b))
    return clashes


@pytest.fixture(scope="module")
def default_model():
    from maplayout.model import build_model

    return build_model(None)


def test_no_two_labels_overlap_on_the_default_map(default_model):
    from maplayout.print.figure import draw_figure

    fig = draw_figure(default_model)
    fig.canvas.draw()
    assert len(_map_axes(fig)) == 2  # the sites crowd Changsha: there is an inset
    assert _overlapping_texts(fig) == []
    main, inset = _map_axes(fig)
    main_texts = {t.get_text() for t in main.texts}
    assert {"益阳", "长株潭", "长沙", "湘潭", "株洲"} <= main_texts
    # every site has its number in the inset, next to its own marker
    numbers = {t.get_text() for t in inset.texts}
    assert {str(i) for i in range(1, len(default_model.sites) + 1)} <= numbers


@pytest.mark.slow
def test_no_two_labels_overlap_on_the_county_map():
    from maplayout.model import build_model
    from maplayout.print.figure import draw_figure

    model = build_model(None, level="county")
    fig = draw_figure(model, paper="A4-portrait")
    fig.canvas.draw()
    assert _overlapping_texts(fig) == []
    fig = draw_figure(model)
    fig.canvas.draw()
    assert _overlapping_texts(fig) == []
    texts = {t.get_text() for ax in _map_axes(fig) for t in ax.texts}
    assert len(set(model.units["short_zh_hans"]) & texts) >= 100  # few labels left out


def test_site_numbers_sit_off_the_markers_and_nearest_their_own(default_model):
    from matplotlib.text import Text

    from maplayout.print.figure import draw_figure

    fig = draw_figure(default_model)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inset = _map_axes(fig)[1]
    marks = [line.get_xydata()[0] for line in inset.lines if line.get_marker() not in ("None", "")]
    marks_px = [inset.transData.transform(m) for m in marks]
    assert len(marks_px) == len(default_model.sites)
    for t in inset.texts:
        if not t.get_text().isdigit():
            continue
        box = Text.get_window_extent(t, renderer)
        for mx, my in marks_px:  # no number on any marker's centre
            assert not (box.x0 < mx < box.x1 and box.y0 < my < box.y1), t.get_text()
        if t.arrow_patch is None:  # without a leader, its own marker is the nearest one
            own = marks_px[int(t.get_text()) - 1]
            cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
            dist = [np.hypot(cx - mx, cy - my) for mx, my in marks_px]
            assert min(dist) == pytest.approx(np.hypot(cx - own[0], cy - own[1]))


def test_default_svg_keeps_the_crowded_labels(default_model, tmp_path):
    texts = svg_texts(make_figure(default_model, tmp_path / "f.svg"))
    assert "益阳" in texts and "长株潭" in texts
    assert any("存储" in t for t in texts)  # the corridor functions are still there


def test_legend_merges_entries_with_the_same_label_and_style(default_model, tmp_path):
    from maplayout.print import legend_entries, legend_handles

    # 两廊（两带）is both a unit role and the corridor lines, with one style: one row
    handles, labels = legend_handles(default_model, "zh-Hans")
    assert labels.count("两廊（两带）") == 1
    assert isinstance(handles[labels.index("两廊（两带）")], tuple)
    merged = legend_entries(default_model)
    assert [e["id"] for e in merged[1]] == ["unit:corridor", "link:corridor"]
    assert labels[len(merged) :] == ["位置不确定范围", "邻省"]  # the HTML legend's extras
    texts = svg_texts(make_figure(default_model, tmp_path / "f.svg"))
    start = texts.index("图例")
    expected = [e[0]["label"]["zh-Hans"] for e in merged]
    assert texts[start + 1 : start + 1 + len(expected)] == expected


def test_legend_keeps_entries_whose_style_differs(model):
    from dataclasses import replace

    from maplayout.print import legend_handles

    extra = dict(model.legend[0], id="group:core", kind="group")
    same = replace(model, legend=[*model.legend, extra])
    other = replace(model, legend=[*model.legend, dict(extra, style={"stroke": "#000000"})])
    assert legend_handles(same, "zh-Hans")[1].count("核心") == 1
    assert legend_handles(other, "zh-Hans")[1].count("核心") == 2


@pytest.fixture(scope="module")
def multicore_model(tmp_path_factory):
    from maplayout.model import build_model
    from maplayout.plan import load_plan

    # the plan's one GCJ-02 site is irrelevant here: read it as WGS-84 so the test needs
    # no datum mask
    text = (Path(__file__).parent / "plans" / "multicore.yaml").read_text(encoding="utf-8")
    plan = tmp_path_factory.mktemp("mc") / "multicore.yaml"
    plan.write_text(text.replace("datum: GCJ-02", "datum: WGS-84"), encoding="utf-8")
    return build_model(load_plan(plan))


def _mode_colour(fig, ax, geom):
    """The most frequent RGB inside ``geom`` (projected like the map) on the drawn figure."""
    import shapely

    rgba = np.asarray(fig.canvas.buffer_rgba())
    inner = geom.buffer(-4000)
    minx, miny, maxx, maxy = inner.bounds
    pts = [
        (x, y)
        for x in np.linspace(minx, maxx, 40)
        for y in np.linspace(miny, maxy, 40)
        if inner.contains(shapely.Point(x, y))
    ]
    px = ax.transData.transform(pts)
    h = rgba.shape[0]
    colours = [tuple(rgba[int(h - y), int(x), :3]) for x, y in px]
    values, counts = np.unique(np.array(colours), axis=0, return_counts=True)
    return values[counts.argmax()].astype(int)


def test_units_in_several_zones_keep_their_legend_colour(multicore_model):
    """岳阳 is a sub-centre inside two zones: it shows the sub-centre colour of the legend,
    not the sub-centre and both zones stacked; 长沙 shows the core colour, not core twice."""
    from matplotlib.colors import to_rgb

    from maplayout.print.figure import draw_figure, local_crs

    m = multicore_model
    fig = draw_figure(m)
    fig.canvas.draw()
    crs = local_crs(m)
    styles = {e["id"]: e["style"] for e in m.legend}
    for short, role in (("岳阳", "sub-centre"), ("长沙", "core")):
        style = styles[f"unit:{role}"]
        a = float(style["fill_opacity"])
        expected = np.round(
            255 * (a * np.array(to_rgb(style["fill"])) + (1 - a) * np.ones(3))
        ).astype(int)
        geom = m.units[m.units["short_zh_hans"] == short].to_crs(crs).geometry.iloc[0]
        got = _mode_colour(fig, fig.axes[0], geom)
        assert np.abs(got - expected).max() <= 3, (short, got, expected)


def test_multicore_legend_lists_core_once(multicore_model, tmp_path):
    texts = svg_texts(make_figure(multicore_model, tmp_path / "mc.svg"))
    start = texts.index("图例")
    legend = texts[start + 1 : start + 8]
    assert legend.count("核心") == 1
    assert legend[:3] == ["核心", "副中心", "生态屏障"]


def _figure_title(fig) -> str:
    return max(fig.texts, key=lambda t: t.get_fontsize()).get_text()


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_county_figure_title_names_the_county_view(lang):
    """The county view's figure (its PNG fallback and thumbnail) is titled as its HTML page."""
    from maplayout.print.figure import draw_figure
    from maplayout.publish.embed import view_title
    from tests.factories import hunan_model

    county, layout = hunan_model("county"), hunan_model("prefecture")
    suffix = {"zh-Hant": "（區縣視圖）", "en": " (county view)"}[lang]
    assert _figure_title(draw_figure(county, lang=lang)) == view_title(county, lang)
    assert view_title(county, lang).endswith(suffix)
    assert not _figure_title(draw_figure(layout, lang=lang)).endswith(suffix)
    assert _figure_title(draw_figure(county, lang=lang, title="T")) == "T" + suffix


@pytest.mark.slow
def test_county_inset_labels_keep_off_the_site_markers():
    """In the county figure's inset no county name (its box included) covers a site marker."""
    from matplotlib.text import Text

    from maplayout.model import build_model
    from maplayout.print.figure import draw_figure

    model = build_model(None, level="county")
    fig = draw_figure(model)
    assert _figure_title(fig).endswith("（区县视图）")
    for dpi in (100, 150):  # as placed, and as saved for the build's PNG
        fig.set_dpi(dpi)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        inset = _map_axes(fig)[1]
        marks = [
            line.get_window_extent(renderer)
            for line in inset.lines
            if line.get_marker() not in ("None", "")
        ]
        assert len(marks) == len(model.sites)
        names = [t for t in inset.texts if t.get_text().strip() and not t.get_text().isdigit()]
        assert {"芙蓉", "天心", "石峰"} <= {t.get_text() for t in names}
        hits = []
        for t in names:
            patch = t.get_bbox_patch()
            box = patch.get_window_extent(renderer) if patch else Text.get_window_extent(t)
            for i, q in enumerate(marks, start=1):
                if box.x0 < q.x1 and q.x0 < box.x1 and box.y0 < q.y1 and q.y0 < box.y1:
                    hits.append((t.get_text(), i))
        assert hits == [], dpi
