"""Print figures (issue 14): a role's members beneath it in the legend, each in its own
swatch; the site key marks the sites whose plan gives an interpretation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from _svgtext import svg_text_lines, svg_texts

from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.print.figure import draw_figure, make_figures
from maplayout.print.legend import legend_rows
from maplayout.text import ui_text
from tests.factories import tiny_model

BANDS = Path(__file__).parent / "plans" / "hunan-four-bands.yaml"
MEMBERS = {
    "zh-Hans": ["京广", "沪昆", "环洞庭湖", "张吉怀"],
    "en": [
        "Beijing–Guangzhou",
        "Shanghai–Kunming",
        "Dongting Lake ring",
        "Zhangjiajie–Jishou–Huaihua",
    ],
}


@pytest.fixture(scope="module")
def bands():
    return build_model(load_plan(BANDS))


@pytest.fixture(scope="module")
def default():
    return build_model(None)


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_legend_lists_the_role_once_then_its_members(bands, tmp_path, lang):
    svg, png = make_figures(bands, [tmp_path / "f.svg", tmp_path / "f.png"], dpi=60, lang=lang)
    texts = svg_texts(svg)
    start = texts.index(ui_text("figure.legend", lang))
    role = {"zh-Hans": "四带", "en": "Four bands"}[lang]
    at = texts.index(role, start)
    assert texts[at + 1 : at + 5] == MEMBERS[lang]
    assert texts.count(role) == 1  # the role's row once, not once per band
    assert png.stat().st_size > 10_000


def test_member_swatches_carry_each_links_own_style(bands):
    from matplotlib.colors import to_hex

    rows = legend_rows(bands, "zh-Hans")
    members = [r for r in rows if r.member]
    assert [r.label for r in members] == MEMBERS["zh-Hans"]
    links = bands.links.set_index("label_zh_hans")
    for row in members:
        assert to_hex(row.handle.get_color()) == str(links.loc[row.label, "stroke"]).lower()
    colours = {to_hex(r.handle.get_color()) for r in members}
    assert len(colours) == 4  # four bands told apart
    # matplotlib names every custom dash "--": compare the patterns it draws with
    patterns = {r.label: repr(r.handle._unscaled_dash_pattern) for r in members}
    assert len({patterns["京广"], patterns["沪昆"], patterns["环洞庭湖"]}) == 3
    assert not [r for r in rows if not r.member and r.label in MEMBERS["zh-Hans"]]


def test_member_swatches_are_indented_under_the_role(bands):
    fig = draw_figure(bands)
    legend = next(a.get_legend() for a in fig.axes if a.get_legend() is not None)
    labels = [t.get_text() for t in legend.get_texts()]
    artists = dict(zip(labels, legend.legend_handles, strict=True))
    fig.canvas.draw()

    def left(label: str) -> float:
        return float(artists[label].get_window_extent().x0)

    role = left("四带")
    for member in MEMBERS["zh-Hans"]:
        assert left(member) > role + 3  # pixels at the figure's 100 dpi
    sizes = {t.get_text(): t.get_fontsize() for t in legend.get_texts()}
    assert all(sizes[m] < sizes["四带"] for m in MEMBERS["zh-Hans"])


def test_a_legend_without_members_is_unchanged(default):
    rows = legend_rows(default, "zh-Hans")
    assert not any(r.member for r in rows)
    assert not any(e.get("members") for e in default.legend)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_site_key_marks_the_sites_with_an_interpretation(default, tmp_path, lang):
    from maplayout.model import row_text

    (svg,) = make_figures(default, [tmp_path / "f.svg"], lang=lang)
    lines = svg_text_lines(svg)
    mark = ui_text("figure.interp_mark", lang)
    start = lines.index(ui_text("figure.sites", lang))
    keyed = [line for line in lines[start:] if line[:2].strip().isdigit()]
    assert len(keyed) >= len(default.sites)
    marked = 0
    for i, (_, site) in enumerate(default.sites.iterrows(), start=1):
        entry = next(line for line in keyed if line.split()[0] == str(i))
        at = lines.index(entry)
        block = entry
        while not block.endswith(("km)", "?", mark)) and at + 1 < len(lines):
            at += 1
            block += lines[at]  # a wrapped entry goes on in the next line
        interpreted = bool(row_text(site, "interpretation", lang))
        assert block.endswith(f" {mark}") == interpreted, block
        marked += interpreted
    assert marked == 2  # 湘潭“智造谷”, 湘江实验室
    note = ui_text("figure.interp_note", lang)
    assert any(line and note.startswith(line) for line in lines[start:])
    assert note.startswith(mark)


def test_site_key_has_no_mark_or_note_without_interpretations(tmp_path):
    model = tiny_model()
    sites = model.sites.copy()
    for col in [c for c in sites.columns if c.startswith("interpretation")]:
        sites[col] = ""
    (svg,) = make_figures(replace(model, sites=sites), [tmp_path / "f.svg"])
    lines = svg_text_lines(svg)
    assert ui_text("figure.sites", "zh-Hans") in lines
    assert not any("※" in line for line in lines)


def test_site_key_marks_an_interpretation_added_to_a_site(tmp_path):
    model = tiny_model()
    sites = model.sites.copy()
    sites["interpretation_zh_hans"] = ["", "测试解读"][: len(sites)] + [""] * (len(sites) - 2)
    (svg,) = make_figures(replace(model, sites=sites), [tmp_path / "f.svg"])
    lines = svg_text_lines(svg)
    marked = [line for line in lines if line.endswith(" ※")]
    assert len(marked) == 1 and marked[0].startswith("2 ")


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_members_figure_is_deterministic(bands, tmp_path, suffix):
    (a,) = make_figures(bands, [tmp_path / f"a{suffix}"], dpi=60)
    (b,) = make_figures(bands, [tmp_path / f"b{suffix}"], dpi=60)
    assert a.read_bytes() == b.read_bytes()
