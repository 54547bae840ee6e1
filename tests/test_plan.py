"""Plan stage: the default plan's content, the format's features, the CLI and the schema."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml

from maplayout._paths import default_plan_path, geodata_dir
from maplayout.cli import main
from maplayout.errors import PlanError
from maplayout.plan import load_plan, load_plan_text, validate_plan

ROOT = Path(__file__).resolve().parent.parent
PLANS = Path(__file__).resolve().parent / "plans"


@pytest.fixture(scope="module")
def plan():
    return load_plan()


# -- the default plan --------------------------------------------------------------------------
def test_default_plan_is_valid_and_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_plan() == []
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "plan hunan-ai-2023: 湖南人工智能产业集聚区空间布局 / Spatial layout of Hunan's AI "
        "industry clusters",
        f"  file: {default_plan_path()}",
        "  source: 湖南日报 2023-12-21, 徐华亮, paragraphs P7, P17, P19, P20",
        "  formula: 一核两廊、多点支撑 (also: 两带)",
        "  region: 湖南省 (430000)",
        "  units: 3 (core 1, corridor 2); groups: 4; links: 2",
        "  sites: 10 (10 not surveyed); facts: 19 (cluster 3, designation 2, figure 6, "
        "platform 2, policy 1, target 5)",
        "  valid",
    ]


def test_default_plan_metadata(plan) -> None:
    assert plan.title.zh_hant == "湖南人工智能產業集聚區空間佈局"
    assert plan.source.date == "2023-12-21"
    assert plan.source.author.zh_hans == "徐华亮"
    assert plan.source.publication.as_dict() == {
        "zh-Hans": "湖南日报",
        "zh-Hant": "湖南日報",
        "en": "Hunan Daily",
    }
    assert plan.review_number == ""
    assert plan.formula.text.zh_hans == "一核两廊、多点支撑"
    assert [a.zh_hans for a in plan.formula.aliases] == ["两带"]
    assert plan.formula.framing.zh_hans == "策源地+走廊带+协同网"
    assert plan.formula.source_refs == ("P17",)


def test_default_plan_roles_and_units(plan) -> None:
    assert [(u.place, u.adcode, u.role) for u in plan.units] == [
        ("长沙", "430100", "core"),
        ("株洲", "430200", "corridor"),
        ("湘潭", "430300", "corridor"),
    ]
    assert plan.units[1].label.zh_hans == "智能数据“存储”走廊"
    assert "立足湖南、辐射全国" in plan.units[1].description.zh_hans
    assert plan.units[2].label.zh_hans == "工业软件“栖息”走廊、智能示范场景“应用”走廊"
    assert "智造谷" in plan.units[2].description.zh_hans
    core = plan.role("core")
    assert core.style.fill == "#d7301f"
    assert plan.role("node").style.dash == "6 4"
    assert plan.role("sub-centre").label.en == "Sub-centre"  # built-in, not declared


def test_default_groups_follow_the_regions_table(plan) -> None:
    with open(geodata_dir() / "sources" / "regions.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] == "prefecture"]
    by_block: dict[str, list[str]] = {}
    for r in rows:
        by_block.setdefault(r["block"], []).append(r["adcode"])
    got = {g.block: sorted(g.member_adcodes) for g in plan.groups}
    assert got == {b: sorted(a) for b, a in by_block.items()}
    assert [(g.id, g.role) for g in plan.groups] == [
        ("czt", ""),
        ("dongting", "node"),
        ("xiangnan", "node"),
        ("daxiangxi", "node"),
    ]


def test_default_links(plan) -> None:
    assert [(lk.id, lk.stop_adcodes, lk.direction) for lk in plan.links] == [
        ("corridor-zhuzhou", ("430100", "430200"), "forward"),
        ("corridor-xiangtan", ("430100", "430300"), "forward"),
    ]
    # the arrow is the core's leading / radiating role of [P17], marked as an interpretation
    # that says the article gives no route
    for lk in plan.links:
        assert lk.source_refs == ("P17",)
        assert "未给出线路或流向" in lk.interpretation.zh_hans
        assert "引领创新、带动能级整体提升、辐射面广的作用（P17）" in lk.interpretation.zh_hans
        assert "gives no route or flow" in " ".join(lk.interpretation.en.split())
        assert "P17" in lk.interpretation.en and "radiate widely" in lk.interpretation.en


def test_default_sites_carry_their_uncertainty(plan) -> None:
    ids = [s.id for s in plan.sites]
    assert ids == [
        "xiangjiang-science-city",
        "ftz-changsha",
        "malanshan",
        "keda-jinxia",
        "dazehu",
        "cmcc-zhuzhou-dc",
        "huayun-data-lake",
        "xiangtan-zhizaogu",
        "xiangjiang-lab",
        "nscc-changsha",
    ]
    by = {s.id: s for s in plan.sites}
    assert all(s.datum == "WGS-84" and s.precision != "surveyed" for s in plan.sites)
    assert all(s.radius_m > 0 for s in plan.sites)
    huayun = by["huayun-data-lake"]
    assert (huayun.precision, huayun.confidence, huayun.radius_m) == (
        "placeholder",
        "very-low",
        10000.0,
    )
    assert huayun.name.zh_hant == "湖南華云數據湖"  # as printed, with 云
    assert by["keda-jinxia"].identity_uncertain is True
    assert by["malanshan"].identity_uncertain is False
    assert {s.host_adcode for s in plan.sites} == {"430100", "430200", "430300"}
    assert by["nscc-changsha"].source_refs == ("P20",)
    # location notes are given in Chinese and English (the popups show the UI's language)
    for s in plan.sites:
        src = s.location_source
        if s.id == "huayun-data-lake":
            assert not src  # no location was found
            continue
        assert re.search(r"[\u4e00-\u9fff]", src.zh_hans) and src.zh_hant, s.id
        assert not re.search(r"[\u4e00-\u9fff]", src.en), s.id
    assert by["malanshan"].location_source.zh_hans == "人工估计（据研究笔记）"
    assert by["nscc-changsha"].location_source.en.startswith("Baidu map marker 112.951369")
    # the renderer states the radius; the notes do not repeat it (「±4 公里）；…（±4 km）」)
    for s in plan.sites:
        for text in (s.precision_note.zh_hans, s.precision_note.zh_hant, s.precision_note.en):
            assert "±" not in text, s.id


def test_location_source_plain_string_still_accepted() -> None:
    old = "      en: Baidu map marker (BD-09) converted to WGS-84\n"
    text = _doc_example().replace(
        "      zh-Hans: 百度地图标注点（BD-09），已换算为 WGS-84\n" + old, ""
    )
    text = text.replace("    location_source:\n", "    location_source: 手工估计 manual\n")
    assert "location_source: 手工估计 manual\n" in text and old not in text
    site = load_plan_text(text).sites[0]
    assert site.location_source.as_dict() == {
        "zh-Hans": "手工估计 manual",
        "zh-Hant": "手工估計 manual",
        "en": "手工估计 manual",
    }


def test_default_facts(plan) -> None:
    facts = {f.id: f for f in plan.facts}
    assert [f.label.zh_hans for f in plan.facts if f.kind == "designation"] == [
        "长沙国家人工智能创新应用先导区",
        "国家新一代人工智能创新发展试验区",
    ]
    assert all(f.host_adcodes == ("430100",) for f in plan.facts if f.kind == "designation")
    tiers = {f.label.zh_hans: f.tier.zh_hans for f in plan.facts if f.kind == "cluster"}
    assert tiers == {
        "信创产业集群": "世界一流",
        "音视频产业集群": "全国领先",
        "北斗规模应用产业集群": "行业领先",
    }
    targets = [(f.parent, f.value, f.year) for f in plan.facts if f.kind == "target"]
    assert targets == [
        ("cluster-xinchuang", 10, 2025),
        ("cluster-xinchuang", 2, 2025),
        ("cluster-xinchuang", 10, 2025),  # numeric (top ten); shown as 「前十强」 via display
        ("cluster-audiovisual", 5000, 2027),
        ("cluster-beidou", 1000, None),
    ]
    figures = [(f.value, f.year, f.source_refs) for f in plan.facts if f.kind == "figure"]
    assert figures == [
        (152, 2022, ("P7",)),
        (22, 2022, ("P7",)),
        (10, 2023, ("P7",)),
        (1, 2023, ("P7",)),
        (13, 2023, ("P7",)),
        (7, 2023, ("P7",)),
    ]
    assert facts["fig-national-rank-2023"].tier.zh_hans == "第一梯队"
    # every fact with a value reads as a whole phrase in each language (display)
    for f in plan.facts:
        assert (f.value is None) == (not f.display), f.id
        assert not isinstance(f.value, str), f.id  # values stay numeric for machine use
        if f.display:
            assert f.display.zh_hans and f.display.zh_hant and f.display.en, f.id
    shown = {k: f.display.as_dict() for k, f in facts.items() if f.display}
    assert shown["fig-ai-core-output-2022"] == {
        "zh-Hans": "152亿元",
        "zh-Hant": "152億元",
        "en": "15.2 billion yuan",
    }
    assert shown["fig-national-rank-2023"]["en"] == "ranked 10th"
    assert shown["fig-top50-hunan"]["en"] == "1 entry"
    assert shown["fig-top50-guangdong"]["en"] == "13 entries"
    assert shown["target-digital-economy-rank"] == {
        "zh-Hans": "前十强",
        "zh-Hant": "前十強",
        "en": "top ten",
    }
    assert shown["target-audiovisual-scale"]["en"] == "over 500 billion yuan"
    assert shown["target-beidou-scale"]["en"] == "100 billion yuan"
    assert [f.label.zh_hans for f in plan.facts if f.kind == "platform"] == [
        "湘江实验室",
        "国家超级计算长沙中心",
    ]


def test_every_item_cites_a_listed_paragraph(plan) -> None:
    items = [*plan.units, *plan.groups, *plan.links, *plan.sites, *plan.facts]
    assert len(items) == 38
    for item in items:
        assert item.source_refs, item
        assert set(item.source_refs) <= set(plan.source.paragraphs)
    spatial = [*plan.units, *plan.groups, *plan.links, *plan.sites]
    assert {r for i in spatial for r in i.source_refs} == {"P17", "P20"}


def test_every_text_has_all_three_languages(plan) -> None:
    texts = [plan.title, plan.formula.text, *(i.label for i in plan.groups)]
    texts += [s.name for s in plan.sites] + [f.label for f in plan.facts]
    texts += [s.description for s in plan.sites] + [u.description for u in plan.units]
    for t in texts:
        assert t.zh_hans and t.zh_hant and t.en, t


def test_article_mapping_table_matches_the_plan(plan) -> None:
    doc = (ROOT / "docs" / "article-mapping.md").read_text(encoding="utf-8")
    facts = {k: [f for f in plan.facts if f.kind == k] for k in {f.kind for f in plan.facts}}
    sections = {
        "units": plan.units,
        "groups": plan.groups,
        "links": plan.links,
        "sites": plan.sites,
        "designations": facts["designation"],
        "clusters": facts["cluster"],
        "platforms": facts["platform"],
        "policies": facts["policy"],
        "figures": facts["figure"],
    }
    refs = re.findall(r"`(\w+)\[(\d+)\][^`]*`(?: `([a-z0-9-]+)`)?", doc)
    assert len(refs) >= 40
    seen = set()
    for section, index, item_id in refs:
        if section not in sections:
            continue
        items = sections[section]
        assert int(index) < len(items), (section, index)
        if item_id and hasattr(items[int(index)], "id"):
            assert items[int(index)].id == item_id, (section, index, item_id)
        seen.add((section, int(index)))
    # every spatial item of the plan appears in the table
    for section in ("units", "groups", "links", "sites", "designations", "platforms"):
        assert {i for s, i in seen if s == section} == set(range(len(sections[section])))
    ids = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", doc))
    known = {i.id for i in [*plan.groups, *plan.links, *plan.sites, *plan.facts]}
    assert ids <= known, ids - known


# -- the format ------------------------------------------------------------------------------
def _doc_example() -> str:
    doc = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    return blocks[-1]


def test_doc_example_loads() -> None:
    p = load_plan_text(_doc_example(), name="plan-format.md")
    assert p.id == "example-czt"
    assert [u.adcode for u in p.units] == ["430100", "430200"]
    # the BD-09 marker of the supercomputing centre, converted to WGS-84
    s = p.sites[0]
    assert (s.datum, s.given_lon, s.given_lat) == ("BD-09", 112.951369, 28.178643)
    assert s.lon == pytest.approx(112.93946, abs=1e-5)
    assert s.lat == pytest.approx(28.17606, abs=1e-5)
    assert p.title.zh_hant == "長株潭示例佈局"  # derived with OpenCC
    assert s.location_source.zh_hant == "百度地圖標註點（BD-09），已換算為 WGS-84"
    assert s.location_source.en == "Baidu map marker (BD-09) converted to WGS-84"
    fig = p.facts[0]
    assert (fig.value, fig.unit.en) == (152, "100 million yuan")
    assert fig.display.as_dict() == {
        "zh-Hans": "152亿元",
        "zh-Hant": "152億元",
        "en": "15.2 billion yuan",
    }


def test_plan_from_a_mapping_has_paths_but_no_lines() -> None:
    data = yaml.safe_load(_doc_example())
    assert load_plan_text(data).id == "example-czt"
    data["units"][0]["role"] = "hub"
    with pytest.raises(PlanError) as info:
        load_plan_text(data, name="<dict>")
    assert str(info.value) == (
        "<dict>: units[0].role: unknown role 'hub'; expected one of the roles core, "
        "sub-centre, corridor, band, axis, node, zone"
    )


def test_text_problems_carry_line_numbers() -> None:
    text = _doc_example().replace("    role: core\n", "    role: cores\n")
    with pytest.raises(PlanError) as info:
        load_plan_text(text, name="t.yaml")
    assert [str(p) for p in info.value.problems] == [
        "t.yaml:19: units[0].role: unknown role 'cores'; expected one of the roles core, "
        "sub-centre, corridor, band, axis, node, zone; closest: core, corridor"
    ]
    assert info.value.problems[0].value == "cores"
    assert info.value.problems[0].suggestions == ["core", "corridor"]


def test_plain_text_with_lone_angle_brackets_and_ampersands_is_accepted() -> None:
    text = _doc_example().replace("en: The core city", 'en: "R&D < 5 km from the core, A>B"')
    p = load_plan_text(text)
    assert p.units[0].description.en == "R&D < 5 km from the core, A>B"


def test_bom_is_accepted() -> None:
    raw = (PLANS / "bom.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert load_plan(PLANS / "bom.yaml").id == "bom"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert [str(p) for p in validate_plan(missing)] == [
        f"{missing}: <plan>: plan file not found; expected a YAML plan file"
    ]
    assert [str(p) for p in validate_plan(tmp_path)] == [
        f"{tmp_path}: <plan>: is a folder, not a plan file"
    ]


def test_oversized_file_and_alias_bomb_are_rejected(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * 16_000_001 + b"\n")
    assert [str(p) for p in validate_plan(big)] == [
        f"{big}: <plan>: file is too large (16000004 bytes); expected a plan of at most "
        "16000000 bytes"
    ]
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [str(p) for p in validate_plan(bomb)] == [
        f"{bomb}:1: <plan>: plan has more than 1000000 YAML nodes (aliases expanded); "
        "expected a hand-sized plan"
    ]


def test_plan_objects_are_frozen_and_loading_is_deterministic(plan) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.id = "x"  # type: ignore[misc]
    assert load_plan() == plan


def test_second_plan_loads_with_its_own_roles() -> None:
    p = load_plan(PLANS / "multicore.yaml")
    assert [u.role for u in p.units] == ["core"] * 3 + ["sub-centre"] * 2 + ["eco-barrier"]
    assert p.units[-1].level == "county"
    assert [lk.role for lk in p.links] == ["band"] * 3
    assert all(len(lk.stops) >= 3 for lk in p.links)
    assert [g.role for g in p.groups] == ["core", "zone", "zone", "zone", "zone"]
    assert p.role("eco-barrier").style.fill == "#4dac26"
    gcj = p.sites[0]
    assert gcj.datum == "GCJ-02"
    assert (gcj.lon, gcj.lat) == pytest.approx((112.9395, 28.176), abs=1e-6)


# -- the JSON Schema -------------------------------------------------------------------------
def _as_json(path: Path) -> object:
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator():
    import jsonschema  # test dependency (pyproject: test extra)

    schema = json.loads((geodata_dir() / "layouts" / "schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    "path",
    [
        default_plan_path(),
        PLANS / "minimal.yaml",
        PLANS / "multicore.yaml",
        PLANS / "escaping.yaml",
        PLANS / "broken" / "html-script.yaml",  # markup is a warning: the schema accepts it
    ],
)
def test_valid_plans_match_the_schema(validator, path: Path) -> None:
    assert [e.message for e in validator.iter_errors(_as_json(path))] == []


def test_doc_example_matches_the_schema(validator) -> None:
    data = json.loads(json.dumps(yaml.safe_load(_doc_example()), default=str))
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("wrong-types", "$.source.paragraphs"),
        ("bad-colour", "$.roles.core.style.fill"),
        ("control-characters", "$.title.en"),
        ("unknown-keys", "$"),
        ("huge-string", "$.subtitle.en"),
    ],
)
def test_schema_rejects_broken_plans(validator, name: str, path: str) -> None:
    errors = list(validator.iter_errors(_as_json(PLANS / "broken" / f"{name}.yaml")))
    assert path in {e.json_path for e in errors}


def test_schema_keys_match_the_validator() -> None:
    from maplayout.plan import document, sections

    schema = json.loads((geodata_dir() / "layouts" / "schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == set(document.TOP_KEYS)
    items = {k: schema["properties"][k]["items"] for k in ("units", "groups", "links", "sites")}
    assert set(items["units"]["properties"]) == set(sections.UNIT_KEYS)
    assert set(items["groups"]["properties"]) == set(sections.GROUP_KEYS)
    assert set(items["links"]["properties"]) == set(sections.LINK_KEYS)
    assert set(items["sites"]["properties"]) == set(sections.SITE_KEYS)
    layers = schema["properties"]["layers"]["items"]["properties"]
    assert set(layers) == set(sections.LAYER_KEYS)
    assert set(schema["$defs"]["fact"]["properties"]) == set(sections.FACT_KEYS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "id: 长沙".encode("utf-16"),
            "f.yaml:1: <plan>: file is not UTF-8 (it is UTF-16): undecodable byte 0xff at byte "
            "offset 0; save the plan as UTF-8",
        ),
        (
            b"id: x\n\xff\xff",
            "f.yaml:2: <plan>: file is not UTF-8: undecodable byte 0xff at byte offset 6; "
            "save the plan as UTF-8",
        ),
        (  # the offset counts the BOM: it is the byte offset in the file as stored
            b"\xef\xbb\xbfid: x\n\xff",
            "f.yaml:2: <plan>: file is not UTF-8: undecodable byte 0xff at byte offset 9; "
            "save the plan as UTF-8",
        ),
        (b"id: x\x00", "f.yaml: <plan>: file contains NUL characters; a plan is text"),
    ],
)
def test_encoding_problems_are_one_line(raw: bytes, expected: str) -> None:
    from maplayout.plan.yamlread import decode_plan_bytes

    text, problems = decode_plan_bytes(raw, "f.yaml")
    assert text is None
    assert [str(p) for p in problems] == [expected]


def test_escaping_plan_keeps_texts_as_typed_and_warns_about_markup() -> None:
    plan = load_plan(PLANS / "escaping.yaml")
    assert plan.title.en == "Title <img src=x onerror=alert(1)> {{ 7*7 }} ${x}"
    assert plan.subtitle.en == "Subtitle \"double\" and 'single' quotes &amp; &lt;b&gt; &#60;i&#62;"
    assert plan.title.zh_hant.startswith("標題</script><script>alert(1)</script>")
    # only markup-looking texts warn; quotes, {{ }}, ${x} and entities do not
    assert len(plan.warnings) == 24
    assert all(w.severity == "warning" and not w.is_error for w in plan.warnings)
    assert str(plan.warnings[1]) == (
        f"{PLANS / 'escaping.yaml'}:9: title.en: warning: text looks like HTML markup "
        "('<img src=x onerror=alert(1)>'); it is shown as literal text, not interpreted"
    )
    assert {w.path for w in plan.warnings} >= {"sites[0].name.en", "figures[0].label.zh-Hans"}
    assert "subtitle.en" not in {w.path for w in plan.warnings}


def test_plan_problem_severity() -> None:
    from maplayout.errors import PlanProblem

    w = PlanProblem("p.yaml", "title.en", "looks odd", line=3, severity="warning")
    assert str(w) == "p.yaml:3: title.en: warning: looks odd" and not w.is_error
    assert PlanProblem("p.yaml", "id", "bad").severity == "error"
    with pytest.raises(ValueError, match="severity"):
        PlanProblem("p.yaml", "id", "bad", severity="fatal")


@pytest.mark.parametrize(
    "path",
    [
        default_plan_path(),
        *sorted(PLANS.glob("*.yaml")),
        *sorted((PLANS / "broken").glob("*.yaml")),
    ],
    ids=lambda p: p.name,
)
def test_libyaml_fast_path_reads_plans_as_the_reference_loader(path: Path) -> None:
    from maplayout.plan import yamlread

    if yamlread.PlanCLoader is None:
        pytest.skip("PyYAML without libyaml")
    text, _ = yamlread.decode_plan_bytes(path.read_bytes(), "p.yaml")
    if text is None:
        return  # undecodable: never reaches YAML
    ref = yamlread.parse_with(yamlread.PlanLoader, text, "p.yaml")
    got = yamlread.parse_yaml(text, "p.yaml")  # libyaml first, the reference on a problem
    assert (got.data, got.lines) == (ref.data, ref.lines)
    assert [str(p) for p in got.problems] == [str(p) for p in ref.problems]
    if not ref.problems:
        fast = yamlread.parse_with(yamlread.PlanCLoader, text, "p.yaml")
        assert (fast.data, fast.lines) == (ref.data, ref.lines)
