"""Every unit of China by name: ``sources/places-china.csv`` and :mod:`maplayout.geo.china`."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from maplayout._paths import geodata_dir
from maplayout.errors import PlaceNotFoundError
from maplayout.geo import china
from maplayout.geo.rebuild.china import (
    OVERRIDES_FILE,
    PLACES_FILE,
    china_index,
    place_rows,
    write_places,
)
from maplayout.geo.rebuild.source import Source, source_root

GEO = geodata_dir()


def test_counts_per_level() -> None:
    counts = Counter(u.level for u in china.china_units())
    assert counts == {"country": 1, "province": 34, "prefecture": 370, "county": 2875}


def test_places_table_regenerates_byte_for_byte() -> None:
    index = china_index(Source(source_root()))
    rows = place_rows(index, GEO / OVERRIDES_FILE, GEO / "sources" / "places.csv")
    assert write_places(rows) == (GEO / PLACES_FILE).read_bytes()


def test_hunan_names_keep_priority() -> None:
    with (GEO / "sources" / "places.csv").open(encoding="utf-8", newline="") as fh:
        hunan = [r for r in csv.DictReader(fh) if r["level"] != "neighbour"]
    by_code = {(u.adcode, u.level): u for u in china.china_units()}
    assert len(hunan) == 137
    for row in hunan:
        u = by_code[(row["adcode"], row["level"])]
        assert (u.name_zh_hans, u.short_zh_hans, u.name_en, u.short_en) == (
            row["name_zh_hans"], row["short_zh_hans"], row["name_en"], row["short_en"],
        )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "hans", "hant", "en"),
    [
        ("内蒙古", "内蒙古自治区", "內蒙古自治區", "Inner Mongolia Autonomous Region"),
        ("延邊", "延边朝鲜族自治州", "延邊朝鮮族自治州", "Yanbian Korean Autonomous Prefecture"),
        ("孟连", "孟连傣族拉祜族佤族自治县", "孟連傣族拉祜族佤族自治縣",
         "Menglian Dai, Lahu and Va Autonomous County"),
        ("西安市", "西安市", "西安市", "Xi'an City"),  # 西安 alone: also 西安区 ×2
        ("Hong Kong", "香港特别行政区", "香港特別行政區",
         "Hong Kong Special Administrative Region"),
        ("中西区", "中西区", "中西區", "Central and Western District"),
        ("喀什", "喀什地区", "喀什地區", "Kashgar Prefecture"),
        ("Shaanxi", "陕西省", "陝西省", "Shaanxi Province"),
    ],
)  # fmt: skip
def test_names_in_three_scripts(query: str, hans: str, hant: str, en: str) -> None:
    u = china.resolve_china(query)
    assert (u.name_zh_hans, u.name_zh_hant, u.name_en) == (hans, hant, en)


def test_ambiguous_name_lists_every_candidate_with_its_parent() -> None:
    with pytest.raises(china.AmbiguousPlaceError) as err:
        china.resolve_china("鼓楼区")
    assert str(err.value) == (
        "鼓楼区: ambiguous; 南京市鼓楼区 (320106), 徐州市鼓楼区 (320302), "
        "福州市鼓楼区 (350102), 开封市鼓楼区 (410204); write the city or the adcode"
    )
    assert [u.adcode for u in err.value.candidates] == ["320106", "320302", "350102", "410204"]
    assert isinstance(err.value, PlaceNotFoundError)


def test_district_and_city_of_one_name_are_ambiguous() -> None:
    pinned = r"^朝阳: ambiguous; 北京市朝阳区 \(110105\), 辽宁省朝阳市 \(211300\), 长春市朝阳区"
    with pytest.raises(china.AmbiguousPlaceError, match=pinned):
        china.resolve_china("朝阳")
    with pytest.raises(china.AmbiguousPlaceError, match=r"北京市通州区 \(110112\), 南通市通州区"):
        china.resolve_china("通州")


@pytest.mark.parametrize(
    ("query", "within", "adcode"),
    [
        ("鼓楼区", "350000", "350102"),  # inside a province
        ("鼓楼区", "福州", "350102"),  # inside a city, given by name
        ("鼓楼区", ["110000", "320100"], "320106"),  # a list of regions
        ("朝阳", "北京", "110105"),
        ("南京市鼓楼区", None, "320106"),  # qualified by the parent
        ("南京鼓楼", None, "320106"),
        ("320302", None, "320302"),
        ("长沙", None, "430100"),  # the city, not 长沙县 inside it
        ("重庆", None, "500000"),  # the province; its stand-in prefecture shares the adcode
    ],
)
def test_resolved_inside_the_region_or_by_qualification(query, within, adcode) -> None:
    assert china.resolve_china(query, within=within).adcode == adcode


def test_ambiguous_outside_the_region_lists_all() -> None:
    # no 鼓楼区 in Hunan: every candidate is listed
    with pytest.raises(china.AmbiguousPlaceError, match=r"南京市鼓楼区 \(320106\), 徐州市"):
        china.resolve_china("鼓楼区", within="430000")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Xyzzy", "unknown place 'Xyzzy': no unit of China has that name in the shipped data"),
        ("999999", "unknown adcode '999999': no unit of China has it in the shipped data"),
        ("Guangzou", "unknown place 'Guangzou': no unit of China has that name in the shipped "
         "data; closest: Guangzhou, Guangzong, Guazhou"),
    ],
)  # fmt: skip
def test_unknown_names_say_so(query: str, message: str) -> None:
    with pytest.raises(PlaceNotFoundError) as err:
        china.resolve_china(query)
    assert str(err.value) == message
