# ruff: noqa: E501  (pinned messages are kept whole)
"""Models of plans beyond Hunan (issue #11): the units, levels, context and maps follow the
plan's region; what a map leaves out is said in one warning line; block exceptions only for
blocks the plan uses. Unit counts are checked against the national names table
(``sources/places-china.csv``), which is made independently of the boundary files.
"""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from pathlib import Path

import pytest
import shapely

from maplayout._paths import geodata_dir
from maplayout.model import build_model, model_levels
from maplayout.plan import load_plan, load_plan_text
from maplayout.publish import DEFAULT_MAPS
from maplayout.publish.outputs import plan_maps

PLANS = Path(__file__).resolve().parent / "plans"
HEAD = """\
id: t
title: {zh-Hans: 测试, en: Test}
source:
  publication: {zh-Hans: 资料, en: Source}
  date: 2024-01-01
  paragraphs: [P1]
"""


def _table_counts() -> Counter[tuple[str, str]]:
    """``(province adcode or prefecture adcode, level)`` → number of units, from the names table."""
    with (geodata_dir() / "sources" / "places-china.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: Counter[tuple[str, str]] = Counter()
    for r in rows:
        out[(r["province_adcode"], r["level"])] += 1
        out[(r["parent_adcode"], f"child-{r['level']}")] += 1
        out[("100000", r["level"])] += 1
    return out


def test_plan_maps_follow_the_levels() -> None:
    assert plan_maps(("prefecture", "county")) == DEFAULT_MAPS
    assert plan_maps(("county",)) == (("layout", "county", ""),)
    assert plan_maps(("province", "prefecture")) == (
        ("layout", "province", ""),
        ("prefecture", "prefecture", "-prefecture"),
    )


def test_role_below_the_drawn_level_is_one_warning_line() -> None:
    plan = load_plan(PLANS / "multicore.yaml")
    with pytest.warns(UserWarning) as caught:
        build_model(plan, "prefecture")
    assert [str(w.message) for w in caught] == [
        "plan multicore-test: the prefecture map leaves out 2 place(s) below its level: 望城区 (430112, role eco-barrier), 汨罗市 (430681, group zone-lake); the county map draws them"
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = build_model(plan, "county")  # the county map draws them: no warning
    assert model.units.set_index("adcode").loc["430112", "role"] == "eco-barrier"


BLOCKS = """region: 湖南
groups:
  - id: lake
    label: {zh-Hans: 洞庭湖, en: Dongting}
    block: DONGTING
    source: P1
"""


@pytest.mark.parametrize(
    ("extra", "exceptions"),
    [
        ("", {}),  # no block group: no exception outline, no legend entry
        (BLOCKS, {"430112": ("DONGTING",)}),  # 望城 counts in 洞庭湖 too
        (BLOCKS + "    county_exceptions: false\n", {}),
    ],
)
def test_block_exceptions_only_for_blocks_the_plan_uses(extra: str, exceptions: dict) -> None:
    from maplayout.print.legend import legend_rows
    from maplayout.text import ui_text

    text = HEAD + (extra or "region: 湖南\n")
    model = build_model(load_plan_text(text), "county")
    found = {
        a: b for a, b in zip(model.units["adcode"], model.units["alt_blocks"], strict=True) if b
    }
    assert found == exceptions
    labels = [row.label for row in legend_rows(model, "en")]
    assert (ui_text("legend.exception", "en") in labels) == bool(exceptions)


REGIONS = [
    # region, places given roles, and per map level the names table's keys of its units
    ("广东", ["广州", "深圳"], {"prefecture": [("440000", "prefecture")], "county": [("440000", "county")]}),
    ("长沙市", ["岳麓区", "望城"], {"county": [("430100", "child-county")]}),
    ("[成都市, 重庆市]", ["武侯区", "渝中区"], {"county": [("510100", "child-county"), ("500000", "child-county")]}),
    ("中国", ["广东", "湖南"], {"province": [("100000", "province")], "prefecture": [("100000", "prefecture")]}),
]  # fmt: skip


@pytest.mark.parametrize(("region", "places", "per_level"), REGIONS, ids=[r[0] for r in REGIONS])
def test_region_plans_build_with_the_right_units(region, places, per_level) -> None:
    body = "".join(f"  - {{place: {p}, role: core, source: P1}}\n" for p in places)
    plan = load_plan_text(HEAD + f"region: {region}\nunits:\n{body}")
    assert model_levels(plan) == tuple(per_level)
    table = _table_counts()
    for level, keys in per_level.items():
        model = build_model(plan, level)
        assert (model.level, set(model.units["level"])) == (level, {level})
        assert len(model.units) == sum(table[k] for k in keys), (region, level)
        assert model.units["adcode"].is_unique
        cores = model.units.loc[model.units["role"] == "core", "adcode"]
        assert len(cores) >= len(places)  # each place, or every unit inside it
        regions = model.context.loc[model.context["kind"] == "region", "adcode"]
        if plan.region_level != "country":
            assert set(regions) == set(plan.region_adcodes)


def test_view_extent_is_where_the_page_opens() -> None:
    from maplayout.geo import load_units
    from maplayout.web.basemaps import get_basemap
    from maplayout.web.payload import build_payload

    plan = load_plan_text(HEAD + "region: 湖南\nview: {extent: 长沙, levels: [county]}\n")
    assert model_levels(plan) == ("county",)
    model = build_model(plan)
    changsha = load_units("prefecture").set_index("adcode").loc["430100", "geometry"]
    assert model.meta["extent"] == [round(v, 4) for v in changsha.bounds]
    payload = build_payload(model, "zh-Hans", get_basemap("none"), None, None)
    w, s, e, n = model.meta["extent"]
    assert payload["bounds"] == [[s, w], [n, e]]
    box = load_plan_text(HEAD + "region: 湖南\nview: {extent: [112, 27.5, 114, 29]}\n")
    assert build_model(box).meta["extent"] == [112.0, 27.5, 114.0, 29.0]
    assert "extent" not in build_model(load_plan_text(HEAD + "region: 湖南\n")).meta


def test_view_extent_moves_with_a_gcj02_basemap() -> None:
    """A Gaode page opens on the same ground as the offline one: the extent is shifted with
    the geometries (GCJ-02 is some hundred metres off WGS-84)."""
    from maplayout.geo import transform_geometry
    from maplayout.model import in_datum
    from maplayout.web import render_map

    box = load_plan_text(HEAD + "region: 湖南\nview: {extent: [112, 27.5, 114, 29]}\n")
    model = build_model(box)
    moved = in_datum(model, "GCJ02")
    w, s, e, n = moved.meta["extent"]
    sw, ne = transform_geometry(shapely.points([112, 114], [27.5, 29]), "WGS84", "GCJ02")
    assert (w, s, e, n) == pytest.approx([sw.x, sw.y, ne.x, ne.y], abs=1e-9)
    assert 0.001 < abs(w - 112) < 0.01 and 0.001 < abs(n - 29) < 0.01  # some hundred metres
    assert model.meta["extent"] == [112.0, 27.5, 114.0, 29.0]  # the model itself is unchanged
    page = render_map(model, basemap="gaode")
    assert f'"bounds":[[{round(s, 4)},{round(w, 4)}],[{round(n, 4)},{round(e, 4)}]]' in page


@pytest.mark.parametrize(
    ("region", "level", "neighbours"),
    [
        ("广东", "prefecture", {"350000", "360000", "430000", "450000", "810000", "820000"}),
        (
            "长沙市",
            "county",
            {"360300", "360900", "430200", "430300", "430600", "430900", "431300"},
        ),
    ],
)
def test_neighbours_are_the_units_around_the_region(region, level, neighbours) -> None:
    from maplayout.print.legend import legend_rows
    from maplayout.web.basemaps import get_basemap
    from maplayout.web.payload import build_payload

    model = build_model(load_plan_text(HEAD + f"region: {region}\n"), level)
    context = model.context
    assert set(context.loc[context["kind"] == "neighbour", "adcode"]) == neighbours
    city = region == "长沙市"  # a city's neighbours are cities, and the legend says so
    label = "Neighbouring prefectures" if city else "Neighbouring province"
    assert label in [row.label for row in legend_rows(model, "en")]
    payload = build_payload(model, "en", get_basemap("none"), None, None)
    assert payload["ui"]["en"]["legend.neighbour"] == label


def test_a_city_plan_builds_one_layout_map_at_county_level(tmp_path: Path) -> None:
    from maplayout.publish import build

    text = HEAD + "region: 长沙市\nunits:\n  - {place: 岳麓区, role: core, source: P1}\n"
    plan = load_plan_text(text)
    result = build(plan, tmp_path / "maps", figures=False, snapshots="no")
    assert [(m["key"], m["level"], m["path"]) for m in result.manifest["maps"]] == [
        ("layout", "county", "t.html")
    ]
    page = (tmp_path / "maps" / "t.html").read_text("utf-8")
    assert "<title>测试</title>" in page  # the layout map: no "(county view)" suffix
    index = (tmp_path / "maps" / "index.html").read_text("utf-8")
    assert "区县层面的布局图" in index and "122" not in index


def test_view_suffix_names_every_map_but_the_layout_map() -> None:
    from maplayout.text import view_suffix

    assert view_suffix("county", "zh-Hans") == "（区县视图）"  # Hunan: the county view
    assert view_suffix("prefecture", "zh-Hans") == ""  # Hunan: the layout map
    assert view_suffix("county", "en", "county") == ""  # a city plan's layout map
    assert view_suffix("prefecture", "en", "province") == " (prefecture view)"  # national
    assert view_suffix("province", "en", "province") == ""
