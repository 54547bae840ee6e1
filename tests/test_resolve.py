"""Place-name resolution: adcodes, both scripts, suffixes, short forms, English, failures."""

from __future__ import annotations

import dataclasses

import pytest

from maplayout.cli import main
from maplayout.errors import GeodataError, PlaceNotFoundError
from maplayout.geo.boundaries import LEVELS, Unit, _fold, load_units, resolve
from maplayout.geo.names import normalise

TABLE = [
    # query, level, expected adcode
    ("長沙", None, "430100"),  # Traditional short form
    ("长沙", None, "430100"),  # Simplified short form: the prefecture, not 长沙县
    ("长沙市", None, "430100"),
    ("長沙市", None, "430100"),
    ("Changsha", None, "430100"),
    ("changsha", None, "430100"),
    ("CHANGSHA CITY", None, "430100"),
    ("  Changsha   City ", None, "430100"),
    ("长沙县", None, "430121"),  # exact full name beats the suffix-free key 长沙
    ("長沙縣", None, "430121"),
    ("Changsha County", None, "430121"),
    ("长沙", "county", "430121"),  # level= picks the county
    ("湘西州", None, "433100"),
    ("湘西土家族苗族自治州", None, "433100"),
    ("湘西", None, "433100"),
    ("Xiangxi", None, "433100"),
    ("xiangxi tujia and miao autonomous prefecture", None, "433100"),
    ("湘潭", None, "430300"),
    ("湘潭县", None, "430321"),
    ("Xiangtan County", None, "430321"),
    ("浏阳", None, "430181"),
    ("瀏陽市", None, "430181"),
    ("Liuyang", None, "430181"),
    ("Liuyang City", None, "430181"),
    ("耒阳", None, "430481"),
    ("Leiyang", None, "430481"),
    ("Miluo", None, "430681"),
    ("澧县", None, "430723"),
    ("Li County", None, "430723"),
    ("攸縣", None, "430223"),
    ("You County", None, "430223"),
    ("津市", None, "430781"),  # the county-level city 津市市
    ("靖州", None, "431229"),
    ("Jingzhou Miao and Dong Autonomous County", None, "431229"),
    ("江华瑶族自治县", None, "431129"),
    ("江華", None, "431129"),
    ("岳麓區", None, "430104"),  # curated Traditional form
    ("嶽麓區", None, "430104"),  # OpenCC's variant also folds to 岳麓区
    ("雲溪區", None, "430603"),
    ("蘇仙", None, "431003"),
    ("Dong'an", None, "431122"),
    ("dongan county", None, "431122"),
    ("武陵", None, "430702"),
    ("武陵源", None, "430811"),
    ("湖南", None, "430000"),
    ("Hunan Province", None, "430000"),
    ("湖北", None, "420000"),
    ("重慶", None, "500000"),
    ("Guangxi", None, "450000"),
    ("广西壮族自治区", None, "450000"),
    (430100, None, "430100"),
    ("430121", None, "430121"),
    ("４３０１００", None, "430100"),  # full-width digits
    (433100, "prefecture", "433100"),
]


@pytest.mark.parametrize(("query", "level", "adcode"), TABLE)
def test_resolution_table(query: str | int, level: str | None, adcode: str) -> None:
    unit = resolve(query, level=level)
    assert isinstance(unit, Unit)
    assert unit.adcode == adcode


def test_unit_carries_names_and_blocks() -> None:
    u = resolve("望城")
    assert dataclasses.astuple(u)[:11] == (
        "430112",
        "430100",
        "county",
        "望城区",
        "望城區",
        "Wangcheng District",
        "望城",
        "望城",
        "Wangcheng",
        "CZT",
        ("DONGTING",),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.adcode = "1"  # type: ignore[misc]


def test_exact_keys_are_unambiguous_within_each_level() -> None:
    for level in LEVELS:
        units = load_units(level)
        seen: dict[str, str] = {}
        for row in units.itertuples():
            keys = {
                _fold(getattr(row, c))
                for c in ("name_zh_hans", "name_en", "short_zh_hans", "short_en")
            }
            keys |= {normalise(row.name_zh_hans), normalise(row.short_en)}
            for key in keys:
                assert seen.setdefault(key, row.adcode) == row.adcode, (level, key)


FAILURES = [
    ("长纱", None, "unknown place '长纱'; closest: 长沙"),
    (
        "Changshaa",
        None,
        "unknown place 'Changshaa'; closest: Changsha, Changsha City, Changsha County",
    ),
    ("Paris", None, "unknown place 'Paris'"),
    ("", None, "unknown place ''"),
    (
        "湖北",
        "county",
        "'湖北' is a neighbour (湖北省 420000), not a county; closest: 雨湖, 北湖, 北塔",
    ),
    (
        "4301",
        None,
        "unknown adcode '4301': adcodes have 6 digits; closest: 430100 长沙市, 430102 芙蓉区, "
        "430103 天心区",
    ),
    (
        999999,
        None,
        "unknown adcode '999999': not in the shipped geodata (Hunan 43xxxx and its neighbours "
        "360000, 420000, 440000, 450000, 500000, 520000)",
    ),
    (
        "430100",
        "county",
        "adcode 430100 is a prefecture (长沙市), not a county; closest: 430102 芙蓉区, "
        "430103 天心区, 430104 岳麓区",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("query", "level", "message"), FAILURES)
def test_failures_are_one_line_with_closest_matches(
    query: str | int, level: str | None, message: str
) -> None:
    with pytest.raises(PlaceNotFoundError) as err:
        resolve(query, level=level)
    assert str(err.value) == message
    assert isinstance(err.value, LookupError)


def test_bad_level_argument() -> None:
    with pytest.raises(GeodataError) as err:
        resolve("长沙", level="city")
    assert str(err.value).startswith("unknown level 'city'; expected one of province, prefecture")


def test_cli_resolve(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "長沙", "湘西州"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "長沙\t430100\tprefecture\t长沙市\t長沙市\tChangsha City",
        "湘西州\t433100\tprefecture\t湘西土家族苗族自治州\t湘西土家族苗族自治州\t"
        "Xiangxi Tujia and Miao Autonomous Prefecture",
    ]
    assert main(["resolve", "长纱"]) == 1  # every unit of China: 长沙 is one of many 长-names
    assert capsys.readouterr().err == (
        "maplayout: error: unknown place '长纱': no unit of China has that name in the shipped "
        "data; closest: 长顺, 长阳, 长葛\n"
    )
    assert main(["resolve", "广州", "鼓楼区"]) == 1  # outside Hunan; an ambiguous name
    text, err = capsys.readouterr()
    assert text == "广州\t440100\tprefecture\t广州市\t廣州市\tGuangzhou City\n"
    assert err == (
        "maplayout: error: 鼓楼区: ambiguous; 南京市鼓楼区 (320106), 徐州市鼓楼区 (320302), "
        "福州市鼓楼区 (350102), 开封市鼓楼区 (410204); write the city or the adcode\n"
    )
