# ruff: noqa: E501  (pinned messages are kept whole, one per line, to be read as users see them)
"""A plan's region may be a province, a city, a list of them or the whole country (issue #11).

These tests need no boundary geometry: the plans name places but no sites, so they validate
from the names table alone. Messages are pinned in full.
"""

from __future__ import annotations

from typing import Any

import pytest

from maplayout.cli import main
from maplayout.errors import PlanError
from maplayout.plan import load_plan_text

HEAD = """\
id: t
title: {zh-Hans: 测试, en: Test}
source:
  publication: {zh-Hans: 资料, en: Source}
  date: 2024-01-01
  paragraphs: [P1]
"""


def plan_text(region: str, units: list[str] = (), extra: str = "") -> str:  # type: ignore[assignment]
    body = "".join(f"  - place: {u}\n    role: core\n    source: P1\n" for u in units)
    return HEAD + f"region: {region}\n" + (f"units:\n{body}" if units else "") + extra


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        load_plan_text(text, "p.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("region", "units", "adcodes", "level", "levels", "unit_codes"),
    [
        ("广东", ["广州", "深圳", "天河区"], ("440000",), "province", ("prefecture", "county"),
         ("440100", "440300", "440106")),
        ("长沙市", ["芙蓉区", "望城", "长沙县"], ("430100",), "prefecture", ("county",),
         ("430102", "430112", "430121")),
        ("[成都市, 重庆市]", ["武侯区", "渝中区", "江北区"], ("510100", "500000"), "prefecture",
         ("county",), ("510107", "500103", "500105")),
        ("中国", ["广东", "长沙", "朝阳市"], ("100000",), "country", ("province", "prefecture"),
         ("440000", "430100", "211300")),
        ("[湖南, 广东]", ["长沙", "广州"], ("430000", "440000"), "province",
         ("prefecture", "county"), ("430100", "440100")),
    ],
)  # fmt: skip
def test_region_kinds_validate(region, units, adcodes, level, levels, unit_codes) -> None:
    plan = load_plan_text(plan_text(region, units))
    assert plan.region_adcodes == adcodes
    assert plan.region_adcode == adcodes[0]
    assert plan.region_level == level
    assert plan.levels == levels
    assert tuple(u.adcode for u in plan.units) == unit_codes


def test_hunan_plan_keeps_its_region_fields() -> None:
    plan = load_plan_text(plan_text("湖南", ["长沙"]))
    assert (plan.region_adcode, plan.region_adcodes, plan.region_level, plan.levels) == (
        "430000", ("430000",), "province", ("prefecture", "county"),
    )  # fmt: skip
    assert plan.region_name == "湖南省"


def test_ambiguous_name_is_resolved_inside_the_region_first() -> None:
    # 鼓楼区 is in six cities (four in the data's names table); inside 福州 there is one
    plan = load_plan_text(plan_text("福州", ["鼓楼区"]))
    assert plan.units[0].adcode == "350102"
    plan = load_plan_text(plan_text("北京", ["朝阳", "通州"]))
    assert [u.adcode for u in plan.units] == ["110105", "110112"]


@pytest.mark.parametrize(
    ("region", "place", "message"),
    [
        ("中国", "鼓楼区",
         "p.yaml:9: units[0].place: ambiguous place '鼓楼区': 南京市鼓楼区 (320106), 徐州市鼓楼区 (320302), 福州市鼓楼区 (350102), 开封市鼓楼区 (410204); expected the city with the name (such as 南京市鼓楼区) or the adcode (320106)"),
        ("湖南", "鼓楼区",
         "p.yaml:9: units[0].place: ambiguous place '鼓楼区' (none in 湖南省): 南京市鼓楼区 (320106), 徐州市鼓楼区 (320302), 福州市鼓楼区 (350102), 开封市鼓楼区 (410204); expected the city with the name (such as 南京市鼓楼区) or the adcode (320106)"),
        ("中国", "朝阳",
         "p.yaml:9: units[0].place: ambiguous place '朝阳': 北京市朝阳区 (110105), 辽宁省朝阳市 (211300), 长春市朝阳区 (220104); expected the city with the name (such as 北京市朝阳区) or the adcode (110105)"),
        ("湖南", "广州",
         "p.yaml:9: units[0].place: place '广州' (广州市, 440100) is in 广东省, outside this plan's region 湖南省; expected a prefecture or county of 湖南省, or a wider region: region: [湖南省, 广东省]"),
        ("长沙", "株洲",
         "p.yaml:9: units[0].place: place '株洲' (株洲市, 430200) is in 湖南省, outside this plan's region 长沙市; expected a county of 长沙市, or a wider region: region: [长沙市, 株洲市]"),
        ("长沙", "醴陵",
         "p.yaml:9: units[0].place: place '醴陵' (醴陵市, 430281) is in 湖南省, outside this plan's region 长沙市; expected a county of 长沙市, or a wider region: region: [长沙市, 株洲市]"),
        ("[成都市, 重庆市]", "绵阳",
         "p.yaml:9: units[0].place: place '绵阳' (绵阳市, 510700) is in 四川省, outside this plan's region 成都市、重庆市; expected a county of 成都市、重庆市, or a wider region: region: [成都市, 重庆市, 绵阳市]"),
        ("湖南", "Tokyo",
         "p.yaml:9: units[0].place: unknown place 'Tokyo': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: Tongdao Dong Autonomous County, Taoyuan County, Tianyuan District"),
        ("广东", "广洲",
         "p.yaml:9: units[0].place: unknown place '广洲': no unit of China has that name; expected a prefecture or county name or adcode in 广东省; closest: 广州市, 广宁县, 香洲区"),
        ("湖南", "999999",
         "p.yaml:9: units[0].place: unknown place '999999': no unit of China has that adcode; expected a prefecture or county name or adcode in 湖南省"),
        ("长沙", "长沙",
         "p.yaml:9: units[0].place: place '长沙' is a prefecture (长沙市, 430100); expected a county of 长沙市"),
    ],
)  # fmt: skip
def test_place_messages(region: str, place: str, message: str) -> None:
    assert problems(plan_text(region, [place])) == [message]


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("长沙县", "p.yaml:7: region: place '长沙县' is a county (长沙县, 430121); expected a province or city name or adcode, a list of them, or 中国 for the whole country"),
        ("[湖南, 长沙]", "p.yaml:7: region[1]: 长沙市 (430100) is already in the region (as 湖南省, 430000); expected each region once, none inside another"),
        ("[]", "p.yaml:7: region: empty list; expected a province or city name or adcode, a list of them, or 中国 for the whole country"),
        ("通州", "p.yaml:7: region: ambiguous place '通州': 北京市通州区 (110112), 南通市通州区 (320612); expected the city with the name (such as 北京市通州区) or the adcode (110112)"),
    ],
)  # fmt: skip
def test_region_messages(region: str, message: str) -> None:
    assert problems(plan_text(region)) == [message]


BLOCK = """groups:
  - id: g
    label: {zh-Hans: 组, en: Group}
    block: CZT
    source: P1
"""


def test_blocks_are_data_of_their_region() -> None:
    assert load_plan_text(plan_text("长沙", extra=BLOCK)).groups[0].block == "CZT"
    assert problems(plan_text("广东", extra=BLOCK)) == [
        "p.yaml:11: groups[0].block: unknown block 'CZT': 广东省 has no regional blocks in the "
        "shipped data; expected members: [places] instead of block"
    ]


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("view: {levels: [county]}\n", {"levels": ("county",), "extent": None, "extent_adcodes": ()}),
        ("view: {extent: 长沙}\n", {"levels": ("prefecture", "county"), "extent_adcodes": ("430100",)}),
        ("view: {extent: [111.5, 27.5, 114.5, 29.0], levels: [county, prefecture]}\n",
         {"levels": ("county", "prefecture"), "extent": (111.5, 27.5, 114.5, 29.0)}),
    ],
)  # fmt: skip
def test_view_sets_levels_and_extent(view: str, expected: dict[str, Any]) -> None:
    plan = load_plan_text(plan_text("湖南", extra=view))
    for key, value in expected.items():
        assert getattr(plan, key) == value


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ("view: {levels: [province]}\n", "p.yaml:8: view.levels[0]: unknown level 'province'; expected one of prefecture, county"),
        ("view: {levels: [county, county]}\n", "p.yaml:8: view.levels[1]: level 'county' listed twice; expected each level once"),
        ("view: {extent: [114, 30, 112, 28]}\n", "p.yaml:8: view.extent: not a box: [114, 30, 112, 28]; expected [west, south, east, north] with west < east and south < north"),
        ("view: {extent: 广州}\n", "p.yaml:8: view.extent[0]: place '广州' (广州市, 440100) is in 广东省, outside this plan's region 湖南省; expected a prefecture or county of 湖南省, or a wider region: region: [湖南省, 广东省]"),
    ],
)  # fmt: skip
def test_view_messages(view: str, message: str) -> None:
    assert problems(plan_text("湖南", extra=view)) == [message]


def test_cli_resolve_is_national(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "广州", "长沙", "湘西"]) == 0
    rows = [line.split("\t")[:4] for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        ["广州", "440100", "prefecture", "广州市"],
        ["长沙", "430100", "prefecture", "长沙市"],
        ["湘西", "433100", "prefecture", "湘西土家族苗族自治州"],
    ]


SITE = """sites:
  - id: s
    name: {zh-Hans: 超算, en: S}
    kind: computing-centre
    host: 岳麓区
    lon: 113.13
    lat: 27.83
    datum: WGS-84
    precision: approximate
    radius_m: 3000
    source: P1
"""


def test_a_site_outside_a_city_region_is_measured_against_the_city() -> None:
    assert problems(plan_text("长沙市", extra=SITE)) == [
        "p.yaml:13: sites[0].lon: site 's' at (113.13, 27.83) lies 9.6 km outside the plan region 长沙市 (430100); expected a point inside 长沙市 (tolerance: the site's radius_m, 3000 m)"
    ]


def test_cli_resolve_within_a_region(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "鼓楼区", "朝阳", "--within", "福州"]) == 1  # 朝阳: not in 福州
    out, err = capsys.readouterr()
    assert out.split("\t")[:3] == ["鼓楼区", "350102", "county"]
    assert err.startswith("maplayout: error: 朝阳: ambiguous; 北京市朝阳区 (110105)")
    assert main(["resolve", "朝阳", "--within", "辽宁"]) == 0
    assert capsys.readouterr().out.split("\t")[:2] == ["朝阳", "211300"]
