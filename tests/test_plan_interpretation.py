"""The plan's ``interpretation`` field and ``source.type`` (issue 14): what the plan reads into
its source is marked in the plan and shown as such; the words that name the source follow its
type; English counts are singular for one. Also pins the default plan's fidelity fixes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from maplayout._paths import default_plan_path
from maplayout.errors import PlanError
from maplayout.model import build_model
from maplayout.plan import load_plan, load_plan_text
from maplayout.publish.embed import alt_text, table_rows
from maplayout.strings import TABLE_HEADINGS
from maplayout.text import count_text
from maplayout.web import build_payload, get_basemap, render_map


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def model(plan):
    return build_model(plan, level="prefecture")


# -- the default plan says no more than the article ----------------------------------------------
def test_default_plan_fidelity(plan) -> None:
    core, corridor = plan.role("core"), plan.role("corridor")
    assert "全省" not in core.description.zh_hans
    assert "带动能级整体提升" in core.description.zh_hans
    # [P17]: the two corridors complement each other
    assert "功能互补化和多元化" in corridor.description.zh_hans
    assert "each other" in corridor.description.en
    changsha = plan.units[0]
    assert "支撑力强" in changsha.description.zh_hans
    assert "capacity to support others" in changsha.description.en
    assert "well-supported" not in changsha.description.en
    sites = {s.id: s for s in plan.sites}
    bases = ["xiangjiang-science-city", "ftz-changsha", "malanshan", "keda-jinxia", "dazehu"]
    assert {sites[b].kind for b in bases} == {"innovation-base"}  # the five 前沿阵地, one kind
    assert sites["huayun-data-lake"].kind == "data-lake"
    assert plan.site_kind("data-lake").label.en == "Data lake"
    assert "not a data centre" in sites["huayun-data-lake"].description.en
    assert "两处数据中心" not in plan.units[1].description.zh_hans
    assert "湖南华云数据湖" in plan.units[1].description.zh_hans
    czt = next(g for g in plan.groups if g.id == "czt")
    assert "服务" not in czt.description.zh_hans and "serves" not in czt.description.en
    assert "长株潭工业软件最佳“栖息”走廊" in czt.description.zh_hans
    policy = next(f for f in plan.facts if f.kind == "policy")
    assert policy.label.zh_hans.startswith("鼓励") and policy.label.en.startswith("Encourage")
    assert policy.label.zh_hant.startswith("鼓勵")


def test_default_plan_marks_its_interpretations(plan) -> None:
    nodes = [g for g in plan.groups if g.role == "node"]
    assert len(nodes) == 3
    for group in nodes:
        assert "娄底" in group.interpretation.zh_hans and "Loudi" in group.interpretation.en
    sites = {s.id: s for s in plan.sites}
    assert "研究笔记" in sites["xiangjiang-lab"].interpretation.zh_hans
    assert "not say where" in sites["xiangjiang-lab"].interpretation.en
    facts = {f.id: f for f in plan.facts}
    assert "2025" in facts["target-digital-economy-rank"].interpretation.zh_hans
    assert facts["platform-xiangjiang-lab"].interpretation == sites["xiangjiang-lab"].interpretation
    assert facts["experimental-zone-changsha"].interpretation
    assert not facts["pilot-zone-changsha"].interpretation  # 长沙 is in its name
    for link in plan.links:  # the arrows' reading moved out of the descriptions
        assert "箭头" not in link.description.zh_hans and "箭头" in link.interpretation.zh_hans
    assert plan.source.type == "article"


# -- the format ----------------------------------------------------------------------------------
def test_interpretation_is_a_checked_text(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["units"][0]["interpretation"] = {"zh-Hans": "<b>解读</b>", "en": "reading"}
    plan = load_plan_text(data, "p.yaml")
    assert plan.units[0].interpretation.zh_hant == "<b>解讀</b>"
    assert [w.path for w in plan.warnings] == ["units[0].interpretation.zh-Hans"]
    data["sites"][0]["interpretation"] = 7
    with pytest.raises(PlanError) as err:
        load_plan_text(data, "p.yaml")
    assert [p.path for p in err.value.problems] == ["sites[0].interpretation"]


def test_source_type_is_one_of_four(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["source"]["type"] = "plan"
    assert load_plan_text(data, "p.yaml").source.type == "plan"
    data["source"]["type"] = "plans"
    with pytest.raises(PlanError) as err:
        load_plan_text(data, "p.yaml")
    assert str(err.value.problems[0]) == (
        "p.yaml: source.type: unknown source type 'plans'; expected one of article, plan, "
        "policy, other; closest: plan"
    )


# -- what the maps and the kit show ----------------------------------------------------------------
def test_table_has_an_interpretation_column(model) -> None:
    assert TABLE_HEADINGS["zh-Hans"][-1] == "解读"
    assert TABLE_HEADINGS["en"][-1] == "interpretation"
    rows = {row[1]: row for row in table_rows(model, "en")}
    assert all(len(row) == len(TABLE_HEADINGS["en"]) for row in rows.values())
    assert "Loudi" in rows["daxiangxi"][-1]
    assert "research notes" in rows["xiangjiang-lab"][-1]
    assert "2025" in rows["target-digital-economy-rank"][-1]
    assert rows["430100"][-1] == ""  # Changsha's role is the article's own words


def test_payload_and_page_mark_interpretations(model) -> None:
    payload = build_payload(model, "zh-Hans", get_basemap("none"), None, None)
    groups = {g["id"]: g for g in payload["groups"]}
    assert "娄底" in groups["dongting"]["interp"]["zh-Hans"]
    assert "interp" not in groups["czt"]  # only items that carry one
    html = render_map(model)
    assert '<h2 id="ml-info-h" data-i18n="info.title.article">文章要点</h2>' in html
    assert "（解读：原文未列出各节点区域" in html  # text table of the regions
    assert '<span class="ml-interp">解读：年份2025为本图的解读' in html  # info panel fact


def test_source_type_names_the_info_panel(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["source"]["type"] = "plan"
    model = build_model(load_plan_text(data, "p.yaml"), level="prefecture")
    html = render_map(model, lang="en")
    assert '<h2 id="ml-info-h" data-i18n="info.title.plan">Key facts from the plan</h2>' in html
    assert "文章要点" not in html.split('id="maplayout-data"')[0]
    assert "Key facts from the article" not in html.split('id="maplayout-data"')[0]


# -- English plurals -------------------------------------------------------------------------------
def test_count_text_plurals() -> None:
    assert count_text(1, "sites", "en") == "1 site"
    assert count_text(2, "sites", "en") == "2 sites"
    assert count_text(1, "sites", "zh-Hans") == "1个地点"
    assert count_text(3, "sites", "zh-Hant") == "3個地點"


def test_alt_text_says_1_site(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["sites"] = data["sites"][-1:]
    data["platforms"] = data["platforms"][-1:]
    model = build_model(load_plan_text(data, "p.yaml"), level="prefecture")
    text = alt_text(model, "en")
    assert "1 site, 1 of them approximate" in text and "1 sites" not in text
    assert "1个地点" in alt_text(model, "zh-Hans")
