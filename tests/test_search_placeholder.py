"""The search box's example names a unit of the page's own region (not Hunan's 株洲)."""

from __future__ import annotations

from maplayout._paths import geodata_dir
from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.web import payload
from maplayout.web.basemaps import get_basemap
from tests.factories import hunan_model


def _ui(model: object) -> dict[str, dict[str, str]]:
    page = payload.build_payload(model, "zh-Hans", get_basemap("none"), None, None)  # type: ignore[arg-type]
    return page["ui"]


def test_guangdong_page_names_one_of_its_own_units() -> None:
    plan = load_plan(geodata_dir() / "layouts" / "guangdong-1c1b1z-2019.yaml")
    model = build_model(plan)
    ui = _ui(model)
    second = model.units.iloc[1]
    assert (
        ui["zh-Hans"]["search.placeholder"]
        == f"搜索：{second['short_zh_hans']}、{second['short_en']}…"
    )
    assert ui["zh-Hant"]["search.placeholder"].startswith(f"搜尋：{second['short_zh_hant']}、")
    assert ui["en"]["search.placeholder"].startswith(f"Search: {second['short_en']}, ")
    assert all("株洲" not in ui[lang]["search.placeholder"] for lang in ui)


def test_hunan_pages_keep_the_shipped_example() -> None:
    for level in ("prefecture", "county"):
        ui = _ui(hunan_model(level))
        assert ui["zh-Hans"]["search.placeholder"] == "搜索：株洲、Zhuzhou…"
