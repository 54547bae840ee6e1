"""A plan's own boundaries (``boundaries:`` / ``build_model(boundaries=gdf)``): made-up zones
in EPSG:3857 (tests/_zones.py) validate, resolve in both scripts, build a model and a full
build; every bad input gives one pinned line. The page is checked in
tests/browser/test_own_boundaries_page.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from _svgtext import svg_texts
from shapely.geometry import LineString, Polygon

from maplayout.errors import PlanError
from maplayout.geo import transform_geometry
from maplayout.model import build_model
from maplayout.plan import load_plan, load_plan_text, validate_plan
from tests._zones import NAMES, PLAN, make_zones, write_plan, write_zones


def _problems(plan: Path, boundaries: object = None) -> list[str]:
    return [str(p) for p in validate_plan(plan, boundaries=boundaries)]


# ---------------------------------------------------------------------------- plan and model
def test_places_resolve_against_the_zones_in_every_script(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path))
    # by zh-Hans name, by id, by zh-Hant name (洋湖創新區), by English name (Muyun Park)
    assert [(u.place, u.adcode) for u in plan.units] == [
        ("麓山数谷", "Z1"),
        ("Z2", "Z2"),
        ("湘江算力港", "Z3"),
    ]
    assert plan.groups[0].member_adcodes == ("Z4", "Z5", "Z6")
    assert plan.links[0].stop_adcodes == ("Z1", "Z6")
    assert plan.sites[0].host_adcode == "Z1"
    assert "  boundaries: 6 zones from zones.gpkg (datum WGS-84)" in plan.summary().splitlines()


def test_the_model_draws_the_zones_reprojected_to_wgs84(tmp_path: Path) -> None:
    model = build_model(write_plan(tmp_path))
    units = model.units.set_index("adcode")
    assert model.level == "zone" and list(units.index) == [f"Z{k}" for k in range(1, 7)]
    assert units["level"].eq("zone").all()
    expected = make_zones("EPSG:4326").set_index("zone_id").geometry
    for zone in units.index:
        assert units.geometry[zone].equals_exact(expected[zone], 1e-9)
    assert units.loc["Z2", "name_zh_hant"] == "星沙智造園"  # OpenCC, no zh-Hant column
    assert units.loc["Z2", "name_en"] == "Xingsha Smart Park"
    assert units.loc["Z3", "name_en"] == "湘江算力港"  # no English name: the zh-Hans one
    assert units.loc["Z2", "parent_name_zh_hans"] == "雨花区"
    assert units.loc["Z2", "parent_name_zh_hant"] == "雨花區"
    assert list(units["role"]) == ["core", "corridor", "node", "", "", ""]
    assert units.loc["Z4", "group_ids"] == ("south",)
    assert model.groups.iloc[0]["members"] == ("Z4", "Z5", "Z6")
    assert model.links.iloc[0]["stops"] == ("Z1", "Z6")
    assert model.sites.iloc[0]["host_adcode"] == "Z1"
    # the context is the zones' outline (maps frame on it), no neighbouring provinces
    assert list(model.context["kind"]) == ["region"]
    assert model.context.geometry.iloc[0].equals(model.units.union_all())
    assert model.meta["attribution"]["zh-Hans"].startswith(
        "边界：用户提供（zones.gpkg）；坐标：WGS-84；"
    )
    assert model.meta["attribution"]["en"].startswith(
        "Boundaries: user-supplied (zones.gpkg); datum WGS-84; "
    )
    assert model.meta["boundary_source"]["names"]["zh-Hant"] == "用戶提供（zones.gpkg）"
    with pytest.raises(ValueError, match="a plan with its own boundaries has one level"):
        build_model(model.plan, level="county")
    assert build_model(model.plan, level="prefecture").level == "zone"  # the layout map's


def test_build_model_takes_a_geodataframe(tmp_path: Path) -> None:
    """From Python: ``build_model(plan, boundaries=gdf)``; without a ``boundaries:`` section
    the columns are ``id``, ``name`` and, where present, ``name_en``, ``parent``."""
    no_section = PLAN[: PLAN.index("boundaries:")] + PLAN[PLAN.index("units:") :]
    path = tmp_path / "plan.yaml"
    path.write_text(no_section, encoding="utf-8")
    gdf = make_zones("EPSG:4547").rename(  # CGCS2000 / 3-degree Gauss-Kruger CM 114E
        columns={"zone_id": "id", "名称": "name", "district": "parent"}
    )
    model = build_model(path, boundaries=gdf)
    assert list(model.units["adcode"]) == [f"Z{k}" for k in range(1, 7)]
    assert list(model.units["role"][:3]) == ["core", "corridor", "node"]
    assert model.units.iloc[1]["parent_name_zh_hans"] == "雨花区"
    expected = make_zones("EPSG:4326").geometry
    assert np.allclose(model.units.total_bounds, expected.total_bounds, atol=1e-7)
    assert model.meta["attribution"]["en"].startswith("Boundaries: user-supplied (GeoDataFrame)")
    # the same frame standing in for the file of a plan's boundaries: section
    with_section = build_model(write_plan(tmp_path), boundaries=make_zones("EPSG:4326"))
    assert list(with_section.units["adcode"]) == list(model.units["adcode"])
    # a plan that was not read from a file cannot be re-read with other boundaries
    text_plan = load_plan_text(no_section, boundaries=gdf)
    assert len(build_model(text_plan).units) == 6
    with pytest.raises(ValueError, match="pass load_plan_text"):
        build_model(text_plan, boundaries=gdf)


def test_a_datum_converts_chinese_sources_to_wgs84(tmp_path: Path) -> None:
    plain = build_model(write_plan(tmp_path)).units.total_bounds
    gcj = PLAN.replace("  parent: district\n", "  parent: district\n  datum: GCJ-02\n")
    shifted = build_model(write_plan(tmp_path, gcj))
    bounds = shifted.units.total_bounds
    # GCJ-02 is a few hundred metres off WGS-84 around Changsha: the zones move back by it
    expected = transform_geometry(make_zones("EPSG:4326").geometry.to_numpy(), "GCJ-02", "WGS-84")
    expected = gpd.GeoSeries(expected, index=shifted.units.index, crs="EPSG:4326")
    assert shifted.units.geometry.geom_equals_exact(expected, 1e-9).all()
    assert abs(plain[0] - bounds[0]) > 0.003 and abs(plain[1] - bounds[1]) > 0.002
    assert "（由 GCJ-02 转换）" in shifted.meta["attribution"]["zh-Hans"]


@pytest.mark.parametrize("suffix", [".geojson", ".shp", ".parquet"])
def test_every_file_type_gives_the_same_zones(tmp_path: Path, suffix: str) -> None:
    crs = "EPSG:4326" if suffix == ".geojson" else "EPSG:3857"
    path = tmp_path / f"zones{suffix}"
    frame = make_zones(crs)
    if suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_file(path, encoding="utf-8")
    text = PLAN.replace("  file: zones.gpkg\n  layer: zones\n", f"  file: zones{suffix}\n")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    units = build_model(tmp_path / "plan.yaml").units
    assert list(units["name_zh_hans"]) == list(NAMES)
    expected = make_zones("EPSG:4326").geometry
    assert np.allclose(units.total_bounds, expected.total_bounds, atol=1e-7)


def test_a_sliver_below_the_tolerance_is_not_an_overlap(tmp_path: Path) -> None:
    zones = make_zones()
    zones.loc[1, "geometry"] = zones.geometry[1].buffer(10, join_style="mitre")  # 10 m wider
    assert _problems(write_plan(tmp_path, frame=zones)) == []


def test_the_default_build_draws_the_zones_and_their_figure(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    out = tmp_path / "maps"
    args = ["build", str(plan), "--out", str(out), "--snapshots", "no", "-q"]
    proc = subprocess.run(
        [sys.executable, "-m", "maplayout", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "zones-demo.html" in names and "zones-demo-county.html" not in names
    assert {"zones-demo.figure.png", "zones-demo.figure.svg", "zones-demo.figure.pdf"} <= set(names)
    texts = svg_texts(out / "zones-demo.figure.svg")
    assert {"麓山数谷", "星沙智造园", "湘江算力港", "南片"} <= set(texts)
    assert any(t.startswith("边界：用户提供（zones.gpkg）") for t in texts)
    table = (out / "zones-demo.table.csv").read_text(encoding="utf-8-sig").splitlines()
    assert table[1] == "分区,Z1,麓山数谷,核心,岳麓区,,,P1,"  # the embed kit's table
    html = (out / "zones-demo.html").read_text(encoding="utf-8")
    assert '"layer.units.zone":"分区"' in html and '"text.units.zone":"Zones"' in html


def test_the_zones_file_is_a_build_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest records the zones file's sha256, and an edit of it rebuilds (the
    up-to-date check keys on it like on the plan)."""
    import hashlib
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = write_plan(tmp_path)
    out = tmp_path / "maps"
    args = [sys.executable, "-m", "maplayout", "build", str(plan), "--out", str(out)]
    args += ["--snapshots", "no", "--no-figure", "-v"]

    def run() -> str:
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout + proc.stderr

    run()
    gpkg = tmp_path / "zones.gpkg"
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(gpkg.read_bytes()).hexdigest()
    assert manifest["inputs"]["boundaries"] == {"path": "zones.gpkg", "sha256": digest}
    assert "maplayout: up to date, nothing rewritten (" in run()
    zones = make_zones()
    zones.loc[0, "name_en"] = "Lushan New Valley"  # English names are not places in the plan
    write_zones(tmp_path, zones)
    assert "nothing rewritten" not in run()
    html = (out / "zones-demo.html").read_text(encoding="utf-8")
    assert "Lushan New Valley" in html


# ---------------------------------------------------------------------------- bad input
def _bowtie(geom: Polygon) -> Polygon:
    x0, y0, x1, y1 = geom.bounds
    return Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])


def test_bad_zones_are_listed_one_line_each_with_their_ids(tmp_path: Path) -> None:
    gpkg = tmp_path / "zones.gpkg"
    zones = make_zones()
    zones.loc[2, "zone_id"] = "Z1"
    zones.loc[4, "zone_id"] = "Z4"
    zones.loc[1, "geometry"] = _bowtie(zones.geometry[1])
    zones.loc[3, "geometry"] = LineString(zones.geometry[3].exterior.coords[:2])
    zones.loc[5, "名称"] = ""
    assert _problems(write_plan(tmp_path, frame=zones)) == [
        f"{gpkg}: zone_id: duplicate ids: 'Z1' (features 1, 3), 'Z4' (features 4, 5); "
        "expected a unique id for every zone",
        f"{gpkg}:2: geometry: zone 'Z2' has an invalid geometry (Self-intersection"
        "[12576970.5105606 3264587.36184312]); make_valid would fix it; expected a valid polygon "
        "(fix it in the source, or repair it with GeoDataFrame.make_valid() and check the "
        "result)",
        f"{gpkg}:4: geometry: zone 'Z4' is a LineString; expected a Polygon or MultiPolygon "
        "(zones are areas)",
        f"{gpkg}:6: 名称: zone 'Z6' has no name; expected its zh-Hans name",
    ]


def test_invalid_geometries_are_not_repaired(tmp_path: Path) -> None:
    zones = make_zones()
    zones.loc[1, "geometry"] = _bowtie(zones.geometry[1])
    with pytest.raises(PlanError, match="make_valid would fix it"):
        build_model(write_plan(tmp_path, frame=zones))


def test_overlapping_zones_are_reported_in_pairs_with_the_area(tmp_path: Path) -> None:
    gpkg = tmp_path / "zones.gpkg"
    zones = make_zones()
    zones.loc[4, "geometry"] = zones.geometry[4].buffer(1500, join_style="mitre")
    assert _problems(write_plan(tmp_path, frame=zones)) == [
        f"{gpkg}:{a}: geometry: zones '{x}' and 'Z5' overlap by {km} km² ({share}% of the "
        "smaller); expected zones that do not overlap (tolerance 0.5% of the smaller zone's "
        "area)"
        for a, x, km, share in (
            (1, "Z1", "1.74", "6.2"),
            (2, "Z2", "6.97", "25.0"),
            (3, "Z3", "1.74", "6.2"),
            (4, "Z4", "6.97", "25.0"),
        )
    ] + [
        f"{gpkg}:5: geometry: zones 'Z5' and 'Z6' overlap by 6.97 km² (25.0% of the smaller); "
        "expected zones that do not overlap (tolerance 0.5% of the smaller zone's area)"
    ]


def test_an_empty_geometry_names_its_zone(tmp_path: Path) -> None:
    gpkg = tmp_path / "zones.gpkg"
    zones = make_zones()
    zones.loc[2, "geometry"] = None
    assert _problems(write_plan(tmp_path, frame=zones)) == [
        f"{gpkg}:3: geometry: zone 'Z3' has an empty geometry; expected a Polygon or MultiPolygon"
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("zones.gpkg", "nozones.gpkg"),
            "{plan}:9: boundaries.file: boundary file not found: {dir}/nozones.gpkg; expected a "
            "boundary file of at most 64000000 bytes next to the plan",
        ),
        (
            ("file: zones.gpkg", "file: ../zones.gpkg"),
            "{plan}:10: boundaries.file: boundary file '../zones.gpkg' is outside the plan's "
            "folder; expected a file name relative to the plan (zones.gpkg, data/zones.geojson)",
        ),
        (
            ("file: zones.gpkg", "file: zones.kml"),
            "{plan}:10: boundaries.file: unsupported boundary file type 'zones.kml'; expected a "
            "boundary file: .gpkg, .geojson, .json, .shp, .parquet, .geoparquet",
        ),
        (
            ("layer: zones", "layer: zone"),
            "{plan}:9: boundaries.layer: the file has no layer 'zone'; expected one of the "
            "layers zones; closest: zones",
        ),
        (
            ("id: zone_id", "id: zoneid"),
            "{plan}:9: boundaries.id: the boundaries have no column 'zoneid'; expected one of "
            "the columns zone_id, 名称, name_en, district; closest: zone_id",
        ),
        (
            ("name: 名称", "name: 名字"),
            "{plan}:9: boundaries.name: the boundaries have no column '名字'; expected one of "
            "the columns zone_id, 名称, name_en, district; closest: 名称",
        ),
        (
            ("parent: district", "parent: district\n  crs: EPSG:4326"),
            "{plan}:9: boundaries.crs: the boundaries state EPSG:3857, the plan says EPSG:4326; "
            "expected crs: EPSG:3857 or no crs (the file's own is used)",
        ),
        (
            ("parent: district", "parent: district\n  crs: EPSG:99999"),
            "{plan}:9: boundaries.crs: unknown CRS 'EPSG:99999'; expected an EPSG code such as "
            "EPSG:4326 (longitude/latitude) or EPSG:3857",
        ),
        (
            ("place: Z2", "place: 星沙智造"),
            "{plan}:20: units[1].place: unknown place '星沙智造'; expected a zone id or name of "
            "the plan's boundaries ({dir}/zones.gpkg); closest: 星沙智造园 (Z2)",
        ),
        (
            ("members: [洋湖創新區, Z5, Muyun Park]", "block: CZT"),
            "{plan}:29: groups[0].block: block 'CZT': the plan has its own boundaries, which "
            "have no regional blocks; expected members: [zones] (regional blocks belong to the "
            "shipped data)",
        ),
    ],
)
def test_bad_boundaries_entries_give_one_pinned_line(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    plan = write_plan(tmp_path, PLAN.replace(*edit))
    assert _problems(plan) == [expected.format(plan=plan, dir=tmp_path)]


def test_an_ambiguous_zone_name_lists_the_zones(tmp_path: Path) -> None:
    zones = make_zones()
    zones.loc[4, "名称"] = "麓山数谷"
    zones.loc[0, "name_en"] = ""
    zones.loc[4, "name_en"] = ""
    plan = write_plan(tmp_path, frame=zones)
    assert _problems(plan) == [
        f"{plan}:17: units[0].place: place '麓山数谷' names 2 zones: 麓山数谷 (Z1), 麓山数谷 (Z5); "
        "expected the zone's id",
        f"{plan}:34: links[0].from: place '麓山数谷' names 2 zones: 麓山数谷 (Z1), 麓山数谷 (Z5); "
        "expected the zone's id",
    ]


def test_a_file_without_a_crs_needs_one_stated(tmp_path: Path) -> None:
    make_zones().to_file(tmp_path / "zones.shp", encoding="utf-8")
    (tmp_path / "zones.prj").unlink()
    text = PLAN.replace("  file: zones.gpkg\n  layer: zones\n", "  file: zones.shp\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    assert _problems(plan) == [
        f"{plan}:9: boundaries.crs: the boundaries state no CRS; expected crs: the CRS of the "
        "coordinates, such as EPSG:4326 (longitude/latitude), EPSG:3857 or EPSG:4547 "
        "(CGCS2000 / 3-degree Gauss-Kruger CM 114E)"
    ]
    plan.write_text(text.replace("  parent: district\n", "  parent: district\n  crs: EPSG:3857\n"))
    assert _problems(plan) == []
    # a wrong CRS puts the zones off the globe
    plan.write_text(text.replace("  parent: district\n", "  parent: district\n  crs: EPSG:4326\n"))
    assert _problems(plan) == [
        f"{plan}:9: boundaries.crs: the zones fall outside longitude/latitude once converted "
        "from EPSG:4326 (bounds 1.2568e+07, 3.26159e+06, 1.2586e+07, 3.27359e+06): the CRS "
        "looks wrong; expected the CRS the coordinates are really in"
    ]


def test_a_geodataframe_without_a_crs_or_columns(tmp_path: Path) -> None:
    no_section = PLAN[: PLAN.index("boundaries:")] + PLAN[PLAN.index("units:") :]
    plan = tmp_path / "plan.yaml"
    plan.write_text(no_section, encoding="utf-8")
    bare = make_zones().drop(columns="zone_id").set_crs(None, allow_override=True)
    assert _problems(plan, boundaries=bare) == [
        f"{plan}: boundaries.id: the boundaries have no column 'id'; expected one of the "
        "columns 名称, name_en, district",
        f"{plan}: boundaries.name: the boundaries have no column 'name'; expected one of the "
        "columns 名称, name_en, district; closest: name_en",
        f"{plan}: boundaries.crs: the boundaries state no CRS; expected crs: the CRS of the "
        "coordinates, such as EPSG:4326 (longitude/latitude), EPSG:3857 or EPSG:4547 "
        "(CGCS2000 / 3-degree Gauss-Kruger CM 114E)",
    ]


def test_too_large_files_and_too_many_zones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gpkg = tmp_path / "zones.gpkg"
    plan = write_plan(tmp_path)
    size = (tmp_path / "zones.gpkg").stat().st_size
    monkeypatch.setattr("maplayout.plan.boundaries.MAX_BOUNDARY_BYTES", 1000)
    assert _problems(plan) == [
        f"{plan}:9: boundaries.file: file is too large ({size} bytes; at most 1000): "
        f"{gpkg}; expected a boundary file of at most 1000 bytes next to the plan"
    ]
    monkeypatch.undo()
    monkeypatch.setattr("maplayout.geo.userunits.MAX_ZONES", 5)
    assert _problems(plan) == [
        "{}: <file>: too many features (6); expected at most 5 zones".format(
            tmp_path / "zones.gpkg"
        )
    ]


def test_geoparquet_without_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_zones().to_parquet(tmp_path / "zones.parquet")
    text = PLAN.replace("  file: zones.gpkg\n  layer: zones\n", "  file: zones.parquet\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert _problems(plan) == [
        f"{plan}:9: boundaries.file: reading GeoParquet boundaries needs pyarrow: "
        "pip install 'maplayout[tables]'"
    ]


def test_a_file_with_several_layers_must_name_one(tmp_path: Path) -> None:
    write_zones(tmp_path)
    make_zones().to_file(tmp_path / "zones.gpkg", layer="old", driver="GPKG")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.replace("  layer: zones\n", ""), encoding="utf-8")
    assert _problems(plan) == [
        f"{plan}:9: boundaries.layer: the file has 2 layers and no layer is named; "
        "expected layer: one of zones, old"
    ]


def test_the_plan_matches_the_schema() -> None:
    import json

    import jsonschema
    import yaml

    from maplayout._paths import geodata_dir

    schema = json.loads((geodata_dir() / "layouts" / "schema.json").read_text("utf-8"))
    data = json.loads(json.dumps(yaml.safe_load(PLAN), default=str))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(data)] == []
    data["boundaries"]["file"] = "zones.kml"
    assert len(list(validator.iter_errors(data))) == 1


def test_the_documented_section_is_a_valid_boundaries_entry() -> None:
    import re

    import yaml

    from maplayout.plan.fields import Checker
    from maplayout.plan.sections import read_boundaries

    doc = (Path(__file__).resolve().parent.parent / "docs" / "plan-format.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "boundaries:" in b)
    checker = Checker("plan-format.md", {})
    entry = read_boundaries(yaml.safe_load(block)["boundaries"], checker)
    assert checker.problems == [] and entry is not None
    assert (entry.spec.file, entry.spec.datum, entry.spec.crs) == (
        "zones.gpkg",
        "GCJ-02",
        "EPSG:3857",
    )
    assert entry.attribution.zh_hant == "某市自然資源局 2021 年開發區邊界"


def test_zones_outside_the_region_are_a_warning(tmp_path: Path) -> None:
    zones = make_zones()
    zones.loc[[4, 5], "geometry"] = zones.geometry[[4, 5]].translate(xoff=-1_000_000)  # Sichuan
    plan = write_plan(tmp_path, PLAN[: PLAN.index("sites:")], frame=zones)
    assert _problems(plan) == [
        f"{plan}:9: boundaries: warning: 2 of 6 zones lie outside the plan region 湖南省: "
        "'Z5', 'Z6'; check region: or the boundaries' crs/datum"
    ]
    assert len(load_plan(plan).warnings) == 1


def test_exported_units_come_back_as_boundaries(tmp_path: Path) -> None:
    """``maplayout export`` → GeoPackage → ``boundaries:``: the same zones, ids and names."""
    model = build_model(write_plan(tmp_path))
    model.to_file(tmp_path / "export.gpkg")
    text = PLAN.replace(
        "  file: zones.gpkg\n  layer: zones\n", "  file: export.gpkg\n  layer: units\n"
    )
    text = text.replace("  id: zone_id\n  name: 名称\n", "  id: adcode\n  name: name_zh_hans\n")
    (tmp_path / "again.yaml").write_text(text.replace("  parent: district\n", ""), "utf-8")
    again = build_model(tmp_path / "again.yaml")
    assert list(again.units["adcode"]) == list(model.units["adcode"])
    assert list(again.units["name_en"]) == list(model.units["name_en"])
    assert all(again.units.geometry.geom_equals_exact(model.units.geometry, 1e-7))


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        (
            "zones.gpkg",
            b"\x00not a geopackage" * 200,
            "not recognized as being in a supported file format",
        ),
        (
            "zones.geojson",
            b'{"type": "FeatureCollection", "features": [',
            "Failed to read GeoJSON data; At line 1, character 12: Unterminated array",
        ),
    ],
)
def test_an_unreadable_file_is_one_line(tmp_path: Path, name: str, data: bytes, why: str) -> None:
    (tmp_path / name).write_bytes(data)
    text = PLAN.replace("  file: zones.gpkg\n  layer: zones\n", f"  file: {name}\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    assert _problems(plan) == [
        f"{tmp_path / name}: <file>: not a readable boundary file ({why}); expected a "
        "GeoPackage, GeoJSON, Shapefile or GeoParquet file of polygons"
    ]


def test_data_layers_are_counted_per_zone(tmp_path: Path) -> None:
    layer = """\
layers:
  - id: firms
    file: firms.csv
    label: {zh-Hans: 企业, en: Firms}
    datum: WGS-84
    data_source: {title: {zh-Hans: 测试, en: Test}}
"""
    (tmp_path / "firms.csv").write_text(
        "name,lon,lat\nA,112.93,28.12\nB,112.94,28.13\nC,113.05,28.16\n", encoding="utf-8"
    )
    model = build_model(write_plan(tmp_path, PLAN + layer))
    points, counts = model.layer_points, model.layer_counts
    assert points is not None and counts is not None
    assert list(points["unit_adcode"]) == ["Z1", "Z1", "Z6"]
    units = counts[counts["scope"] == "unit"]
    assert dict(zip(units["key"], units["count"], strict=True)) == {"Z1": 2, "Z6": 1}


def test_boundaries_that_are_not_a_geodataframe(tmp_path: Path) -> None:
    import pandas as pd

    plan = write_plan(tmp_path)
    assert _problems(plan, boundaries=pd.DataFrame({"id": ["Z1"]})) == [
        "boundaries=: <frame>: the boundaries are a DataFrame, not a GeoDataFrame; expected a "
        "GeoDataFrame of polygons with an id and a name column"
    ]
