"""The national page's payload (issue #11 part 6): a county view spanning several provinces
carries its provinces and each unit's province, so that the page draws county detail per
province on demand; a one-province page (Hunan's) is unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from maplayout.model import LayoutModel
from maplayout.web import payload
from maplayout.web.basemaps import get_basemap
from tests.factories import hunan_model


def _payload(model: LayoutModel) -> dict[str, Any]:
    return payload.build_payload(model, "zh-Hans", get_basemap("none"), None, None)


def test_one_province_pages_carry_no_province_detail() -> None:
    for level in ("prefecture", "county"):
        data = _payload(hunan_model(level))
        assert "provinces" not in data
        assert all("prov" not in u for u in data["units"])


def test_a_county_view_of_several_provinces_is_split_by_province(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(payload, "_province_of", lambda adcode: adcode[:4] + "00")
    data = _payload(hunan_model("county"))
    ids = [p["id"] for p in data["provinces"]]
    assert ids == sorted({u["parent"] for u in data["units"]})  # one chunk per "province"
    assert {u["prov"] for u in data["units"]} == set(ids)
    for p in data["provinces"]:
        (s, w), (n, e) = p["b"]
        assert s < p["lab"][0] < n and w < p["lab"][1] < e
        assert p["g"] and p["name"]["zh-Hans"]
    changsha = next(p for p in data["provinces"] if p["id"] == "430100")
    assert changsha["short"] == {"zh-Hans": "长沙", "zh-Hant": "長沙", "en": "Changsha"}
    fills: dict[str, set[tuple[str, float]]] = {u["parent"]: set() for u in data["units"]}
    for u in data["units"]:
        fills[u["parent"]].add((u["fill"], u["fo"]))
    for parent in data["parents"]:
        shared = fills[parent["id"]]
        expected = next(iter(shared)) if len(shared) == 1 else ("#ffffff", 0.0)
        assert (parent["fill"], parent["fo"]) == expected
        assert parent["prov"] == parent["id"] and len(parent["lab"]) == 2
    core = next(p for p in data["parents"] if p["id"] == "430100")
    assert core["fo"] > 0  # the core's counties share its fill: the wide view shows it
    # the wide view's coarse outlines: fewer points than the prefectures' own
    for item in [*data["parents"], *data["provinces"]]:
        assert 0 < _points(item["gc"]) < _points(item["g"])


def _points(g: list[list[str]]) -> int:
    from maplayout.web.codec import ALPHABET

    digits = sum(sum(ch in ALPHABET[:32] for ch in ring) for poly in g for ring in poly)
    return digits // 2  # each point ends two numbers (lat, lon)


def test_a_prefecture_view_of_several_provinces_gets_coarse_outlines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(payload, "_province_of", lambda adcode: adcode[:4] + "00")
    data = _payload(hunan_model("prefecture"))
    assert len(data["provinces"]) == 14 and data["parents"] == []
    for unit in data["units"]:
        assert unit["prov"] == unit["id"]
        assert 0 < _points(unit["gc"]) < _points(unit["g"])


def test_the_real_province_key_is_the_adcodes_first_two_digits() -> None:
    assert payload._province_of("430102") == "430000"
    assert payload._province_of("500101") == "500000"


def test_a_page_of_several_provinces_leaves_empty_unit_fields_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thousands of units: their empty fields are left out (head.js puts them back); a filled
    one stays. Hunan's own pages keep every field."""
    full = payload.page_data(_payload(hunan_model("county")))["units"]
    assert all("desc" in u and "groups" in u for u in full)
    monkeypatch.setattr(payload, "_province_of", lambda adcode: adcode[:4] + "00")
    data = _payload(hunan_model("county"))
    assert all("desc" in u for u in data["units"])  # the text version's rows: every field
    units = payload.page_data(data)["units"]
    assert len(units) == len(full)
    for before, after in zip(full, units, strict=True):
        for key in payload._OMITTED_WHEN_EMPTY:
            empty = before[key] in ("", [], dict.fromkeys(("zh-Hans", "zh-Hant", "en"), ""))
            assert (key not in after) if empty else (after[key] == before[key])
    assert any("altBlocks" in u for u in units) and any("altBlocks" not in u for u in units)
