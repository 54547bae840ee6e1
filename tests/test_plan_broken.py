# ruff: noqa: E501  (pinned messages are kept whole, one per line, to be read as users see them)
"""The broken-plan corpus: each file in tests/plans/broken/ gives exactly its pinned messages.

Every message is pinned in full (file, line, field path, bad value, expectation, closest
choices), so a regression in any part of a message fails here. ``{file}`` stands for the
path passed to the validator.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from maplayout.cli import main
from maplayout.errors import PlanError
from maplayout.plan import load_plan, validate_plan

BROKEN = Path(__file__).resolve().parent / "plans" / "broken"

EXPECTED: dict[str, list[str]] = {
    "bad-colour": [
        "{file}:11: roles.core.style.fill: bad colour 'red'; expected a CSS hex colour '#rrggbb' or '#rgb'; closest: #ff0000",
        "{file}:11: roles.core.style.stroke: bad colour '#12345g'; expected a CSS hex colour '#rrggbb' or '#rgb'",
    ],
    "bad-datum": [
        "{file}:36: sites[0].datum: unknown datum 'WGS48'; expected one of WGS-84, GCJ-02, BD-09; closest: WGS-84",
    ],
    "control-characters": [
        "{file}:4: title.zh-Hans: text contains control characters: '测试\\x07'; expected printable text",
        "{file}:4: title.en: text contains control characters: 'Test\\x1b[31m red'; expected printable text",
    ],
    "duplicate-ids": [
        "{file}:41: platforms[0].id: duplicate id 'nscc' (already used by sites[0]); expected ids unique across groups, links, sites and facts",
    ],
    "duplicate-unit": [
        "{file}:13: units[1].place: duplicate unit '長沙市' (430100, already given a role in units[0]); expected each unit once in units",
    ],
    "duplicate-yaml-key": [
        "{file}:12: units[0].role: duplicate key 'role' (first given on line 11); expected each key once per mapping",
    ],
    "empty": [
        "{file}: <plan>: plan is empty; expected a mapping with at least id, region, title, source",
    ],
    "fact-display": [
        "{file}:39: sites[0].location_source: missing required key 'en'; expected en: …",
        "{file}:44: figures[0].value: wrong type: got a mapping {'zh-Hans': '前十强', 'en': 'top ten'}; expected a number or a string; put the text for each language in display: {zh-Hans: …, en: …}",
        "{file}:49: figures[1].display: wrong type: got a string '15.2 billion yuan'; expected a text mapping {zh-Hans: …, en: …}",
        "{file}:54: figures[2].display.fr: unknown key 'fr'; expected one of en, zh-Hans, zh-Hant",
    ],
    "gbk": [
        "{file}:3: <plan>: file is not UTF-8 (it looks like GBK/GB18030): undecodable byte 0xba at byte offset 43; save the plan as UTF-8",
    ],
    "html-script": [  # warnings only: the plan is usable, its texts are shown as typed
        "{file}:4: title.zh-Hans: warning: text looks like HTML markup ('<script>'); it is shown as literal text, not interpreted",
        "{file}:4: title.en: warning: text looks like HTML markup ('<b>'); it is shown as literal text, not interpreted",
    ],
    "huge-string": [
        "{file}:7: subtitle.en: text too long (4999 characters): 'very long very long very long very long very long very…ong'; expected at most 600 characters",
    ],
    "link-to-itself": [
        "{file}:26: links[0].to: link cs-zz goes from '长沙' to itself (430100); expected two different places in a row",
    ],
    "many-problems": [
        "{file}:4: review_number: wrong type: got a list ['GS2024']; expected a string",
        "{file}:14: units[1].place: unknown place '株洲市区': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: 株洲市",
        "{file}:20: groups[0].role: unknown role 'nodes'; expected one of the roles core, sub-centre, corridor, band, axis, node, zone; closest: node",
        "{file}:37: sites[0].datum: unknown datum 'CGCS2000'; expected one of WGS-84, GCJ-02, BD-09",
    ],
    "missing-source": [
        "{file}:13: units[1]: missing source reference; expected source: a paragraph id such as P17",
    ],
    "not-a-mapping": [
        "{file}:1: <plan>: wrong type: got a list ['just', 'a list']; expected a mapping",
    ],
    "place-outside-region": [
        "{file}:43: platforms[0].hosts[0]: place '广东' (广东省, 440000) is outside this plan's region 湖南省; expected a prefecture or county of 湖南省, or a wider region: region: [湖南省, 广东省]",
    ],
    "problems-in-file-order": [
        "{file}:12: sites[0].source: paragraph 'P3' is not listed in source.paragraphs; expected one of P1, P2; closest: P2, P1",
        "{file}:15: units[0].role: unknown role 'hub'; expected one of the roles core, sub-centre, corridor, band, axis, node, zone",
        "{file}:17: format: unsupported format 'maplayout/2'; expected 'maplayout/1'",
        "{file}:18: id: bad id 'Order'; expected lower-case letters, digits, '-' or '_' (at most 64)",
        "{file}:23: source.date: bad date '2024-13-01'; expected YYYY-MM-DD",
    ],
    "site-lonlat-swapped": [
        "{file}:35: sites[0].lat: latitude out of range: 112.9395 (lon and lat look swapped); expected lon: longitude (-180 to 180), lat: latitude (-90 to 90)",
    ],
    "site-outside-host": [
        "{file}:34: sites[0].lon: site 'nscc' at (112.9395, 28.176) lies 28.2 km outside its host 株洲市 (430200); expected a point inside 株洲市 or within the site's radius_m (800 m) of it; closest: 长沙市 (430100)",
    ],
    "site-outside-hunan": [
        "{file}:34: sites[0].lon: site 'nscc' at (113.2644, 23.1291) lies 200.2 km outside the plan region 湖南省 (430000); expected a point inside 湖南省 (tolerance: the site's radius_m, 800 m)",
    ],
    "unknown-block": [
        "{file}:20: groups[0].block: unknown block 'DONGTIN'; expected one of CZT, XIANGNAN, DAXIANGXI, DONGTING; closest: DONGTING, DAXIANGXI",
    ],
    "unknown-keys": [
        "{file}:4: titel: unknown key 'titel'; expected one of clusters, designations, figures, format, formula, groups, id, layers, links, platforms, policies, region, review_number, roles, site_kinds, sites, source, subtitle, title, units, view; closest: title",
        "{file}:34: sites[0].lng: unknown key 'lng'; expected one of confidence, datum, description, host, id, identity_uncertain, interpretation, kind, lat, location_source, lon, name, precision, precision_note, radius_m, source; closest: lon",
    ],
    "unknown-paragraph": [
        "{file}:44: platforms[0].source: paragraph 'P17' is not listed in source.paragraphs; expected one of P1, P2; closest: P1",
    ],
    "unknown-place-fact": [
        "{file}:43: platforms[0].hosts[0]: unknown place 'Changshaa': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: Changsha City, Changsha County, Changde City",
    ],
    "unknown-place-group": [
        "{file}:20: groups[0].members[1]: unknown place '常得': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: 常德市, 常宁市",
    ],
    "unknown-place-link": [
        "{file}:26: links[0].to: unknown place '株州': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: 株洲市, 郴州市, 永州市",
    ],
    "unknown-place-region": [
        "{file}:3: region: unknown place '湖男': no unit of China has that name; expected a province or city name or adcode; closest: 湖北省, 湖南省, 湖州市",
    ],
    "unknown-place-site": [
        "{file}:33: sites[0].host: unknown place '长纱': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: 长沙市, 长沙县",
    ],
    "unknown-place-unit": [
        "{file}:10: units[0].place: unknown place '长砂': no unit of China has that name; expected a prefecture or county name or adcode in 湖南省; closest: 长沙市, 长沙县",
    ],
    "unknown-role": [
        "{file}:14: units[1].role: unknown role 'corrdior'; expected one of the roles core, sub-centre, corridor, band, axis, node, zone; closest: corridor, core",
    ],
    "wrong-level": [
        "{file}:13: units[1].place: place '湖南省' is a province (湖南省, 430000); expected a prefecture or county of 湖南省",
    ],
    "wrong-types": [
        "{file}:8: source.paragraphs: wrong type: got a string 'P1, P2'; expected a list",
        "{file}:27: links[0].label: wrong type: got a string '走廊'; expected a text mapping {zh-Hans: …, en: …}",
        "{file}:38: sites[0].radius_m: wrong type: got a string '800 m'; expected a number",
    ],
    "yaml-syntax": [
        "{file}:21: <plan>: YAML syntax error: expected ',' or ']', but got ':' while parsing a flow sequence started on line 20",
    ],
}


def _at(message: str, path: Path) -> str:
    return message.replace("{file}", str(path), 1)


def test_corpus_is_complete() -> None:
    files = sorted(p.stem for p in BROKEN.glob("*.yaml"))
    assert len(files) >= 20
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_plan_messages(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    got = [str(p) for p in validate_plan(path)]
    assert got == [_at(m, path) for m in EXPECTED[name]]


#: Corpus entries whose only problems are warnings: the plan loads, the warnings ride along.
WARNINGS_ONLY = ("html-script",)


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - set(WARNINGS_ONLY)))
def test_load_plan_raises_with_all_problems(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert [str(p) for p in info.value.problems] == [_at(m, path) for m in EXPECTED[name]]
    assert all(p.severity == "error" for p in info.value.problems)
    assert info.value.warnings == []
    assert str(info.value).startswith(_at(EXPECTED[name][0], path))


@pytest.mark.parametrize("name", WARNINGS_ONLY)
def test_warnings_only_plan_loads_with_its_warnings(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    plan = load_plan(path)
    assert [str(w) for w in plan.warnings] == [_at(m, path) for m in EXPECTED[name]]
    assert {w.severity for w in plan.warnings} == {"warning"}
    assert [w.is_error for w in validate_plan(path)] == [False] * len(EXPECTED[name])
    # the text itself is kept exactly as typed: escaping is the renderer's job
    assert plan.title.zh_hans == "测试<script>alert(1)</script>"
    assert plan.title.en == "Test <b>bold</b>"
    assert plan.summary().splitlines()[-1] == f"  valid, {len(EXPECTED[name])} warnings"


def test_cli_validate_warnings_only_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    path = BROKEN / "html-script.yaml"
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [_at(m, path) for m in EXPECTED["html-script"]]
    assert out.splitlines()[-1] == "  valid, 2 warnings"


def test_errors_and_warnings_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (BROKEN / "html-script.yaml").read_text("utf-8")
    path = tmp_path / "mixed.yaml"
    bad = "    role: corrdior\n    source: P1\ngroups"
    path.write_text(text.replace("    role: corridor\n    source: P1\ngroups", bad), "utf-8")
    assert bad in path.read_text("utf-8")
    error = "{file}:14: units[1].role: unknown role 'corrdior'; expected one of the roles core, sub-centre, corridor, band, axis, node, zone; closest: corridor, core"
    want = [_at(m, path) for m in EXPECTED["html-script"]] + [_at(error, path)]
    assert [str(p) for p in validate_plan(path)] == want
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert [str(p) for p in info.value.problems] == want[2:]
    assert [str(p) for p in info.value.warnings] == want[:2]
    assert str(info.value) == want[2]  # the head of the error is the first *error*
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [*want, "invalid plan: 1 problem, 2 warnings"]


@pytest.mark.parametrize("name", ["many-problems", "gbk", "yaml-syntax", "empty"])
def test_cli_validate_broken_exits_2_without_traceback(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BROKEN / f"{name}.yaml"
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    n = len(EXPECTED[name])
    assert lines[:n] == [_at(m, path) for m in EXPECTED[name]]
    assert lines[n] == f"invalid plan: {n} problem{'s' if n != 1 else ''}"
