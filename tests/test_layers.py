"""Data layers: table files next to the plan, their row checks, limits and counts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from maplayout.errors import PlanError
from maplayout.model import build_model
from maplayout.plan import check_plan, load_plan
from maplayout.text import layer_count_text

ROOT = Path(__file__).resolve().parents[1]
PLAN = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")


def _make_points():
    spec = importlib.util.spec_from_file_location(
        "make_points", ROOT / "benchmarks" / "make_points.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_points"] = module
    spec.loader.exec_module(module)
    return module


make_points = _make_points()


def _plan(folder: Path, entry: str) -> Path:
    """``minimal.yaml`` with one layer entry (YAML lines, indented under ``- ``)."""
    text = PLAN.replace(
        "\nsites:\n", "\nlayers:\n  - " + entry.strip().replace("\n", "\n    ") + "\nsites:\n", 1
    )
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LAYER = """id: firms
file: {file}
label: {{zh-Hans: 企业, en: Firms}}
datum: {datum}
data_source: {{title: {{zh-Hans: 合成数据, en: Synthetic}}, url: "https://example.org/x"}}
{extra}"""


def _layer_plan(folder: Path, file: str, datum: str = "GCJ-02", extra: str = "") -> Path:
    return _plan(folder, LAYER.format(file=file, datum=datum, extra=extra))


def _messages(path: Path) -> list[str]:
    _, problems = check_plan(path)
    return [str(problem).replace(str(path.parent) + "/", "") for problem in problems]


def test_a_20000_row_gcj02_csv_validates_and_counts_match_a_direct_sjoin(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text(make_points.points_csv(20_000), encoding="utf-8")
    plan = load_plan(_layer_plan(tmp_path, "firms.csv", extra="weight: 员工数\ncategory: 类别"))
    assert len(plan.layers[0].points) == 20_000
    model = build_model(plan)
    points = model.layer_points
    assert points is not None
    assert len(points) == 20_000 and points.crs.to_epsg() == 4326
    # the same counts straight from geopandas: GCJ-02 → WGS-84 done by the layer, then sjoin
    lon, lat, _ = make_points.points_wgs84(20_000)
    direct = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    hits = gpd.sjoin(direct, model.units[["role", "geometry"]], predicate="within")
    hits = hits[~hits.index.duplicated()]
    expected = hits["role"].value_counts().to_dict()
    expected[""] = expected.get("", 0) + 20_000 - len(hits)
    counts = model.layer_counts
    assert counts is not None
    by_role = counts[counts["scope"] == "role"].set_index("key")["count"].to_dict()
    assert by_role == {key: n for key, n in expected.items() if n}
    assert counts[counts["scope"] == "unit"]["count"].sum() == 20_000
    weights = counts[counts["scope"] == "role"]["weight"].sum()
    assert weights == pytest.approx(float(sum(10 + (i * 37) % 490 for i in range(20_000))))


def test_counts_in_words_in_three_languages(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text(make_points.points_csv(400), encoding="utf-8")
    model = build_model(load_plan(_layer_plan(tmp_path, "firms.csv")))
    assert model.layer_counts is not None
    counts = model.layer_counts.set_index(["scope", "key"])
    n = int(counts.loc[("unit", "430100"), "count"])
    share = f"{n / 400 * 100:.0f}"
    core = model.units.loc[model.units.adcode == "430100"].iloc[0]
    assert layer_count_text(model, "firms", "unit", "430100", "zh-Hans") == (
        f"{core.role_label_zh_hans} 长沙: {n} 家 ({share} %)"
    )
    assert layer_count_text(model, "firms", "unit", "430100", "zh-Hant").endswith(
        f"長沙: {n} 家 ({share} %)"
    )
    assert layer_count_text(model, "firms", "unit", "430100", "en") == (
        f"{core.role_label_en} Changsha: {n} ({share} %)"
    )
    n_group = int(counts.loc[("group", "dongting"), "count"])
    assert layer_count_text(model, "firms", "group", "dongting", "en").startswith(
        f"Dongting: {n_group} ("
    )


def _write_formats(folder: Path, frame: pd.DataFrame) -> None:
    import openpyxl

    frame.to_csv(folder / "utf8bom.csv", index=False, encoding="utf-8-sig")
    frame.to_csv(folder / "gbk.csv", index=False, encoding="gbk")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(folder / "firms.xlsx")
    frame.to_parquet(folder / "firms.parquet")
    geo = gpd.GeoDataFrame(
        frame[["名称"]], geometry=gpd.points_from_xy(frame["经度"], frame["纬度"]), crs="EPSG:4326"
    )
    geo.to_parquet(folder / "firms.geoparquet")
    features = [
        {
            "type": "Feature",
            "properties": {"名称": r.名称},
            "geometry": {"type": "Point", "coordinates": [r.经度, r.纬度]},
        }
        for r in frame.itertuples()
    ]
    (folder / "firms.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), "utf-8"
    )


@pytest.mark.parametrize(
    "file",
    ["utf8bom.csv", "gbk.csv", "firms.xlsx", "firms.parquet", "firms.geoparquet", "firms.geojson"],
)
def test_every_format_gives_the_same_points(tmp_path: Path, file: str) -> None:
    frame = pd.DataFrame(
        {
            "名称": ["长沙甲", "株洲乙", "岳阳丙"],
            "经度": [112.98, 113.13, 113.13],
            "纬度": [28.2, 27.83, 29.36],
        }
    )
    _write_formats(tmp_path, frame)
    plan = load_plan(_layer_plan(tmp_path, file, datum="WGS-84"))
    points = plan.layers[0].points
    assert list(points["name"]) == ["长沙甲", "株洲乙", "岳阳丙"]
    assert list(points["lon"]) == [112.98, 113.13, 113.13]
    assert list(points["lat"]) == [28.2, 27.83, 29.36]
    first_row = 1 if file.endswith(("parquet", "geojson")) else 2  # record number / sheet row
    assert list(points["row"]) == [first_row, first_row + 1, first_row + 2]
    model = build_model(plan)
    assert model.layer_points is not None
    assert list(model.layer_points["unit_adcode"]) == ["430100", "430200", "430600"]


BAD_CSV = (
    "名称,类别,员工数,经度,纬度,网址\n"
    "甲,算法,10,113.0,28.2,https://a.cn\n"
    ",算力,x,abc,28.1,ftp://x\n"
    "丙,数据,,28.1,113.0,\n"
)


def test_every_row_problem_is_reported_as_file_row_column(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    path = _layer_plan(tmp_path, "bad.csv", extra="weight: 员工数\nlink: 网址")
    assert _messages(path) == [
        "bad.csv:3: 经度: not a number: 'abc'; expected a longitude from -180 to 180",
        "bad.csv:3: 名称: empty name; expected the row's name",
        "bad.csv:3: 员工数: not a number: 'x'; expected a number (an empty cell counts as 0)",
        "bad.csv:3: 网址: bad link 'ftp://x'; expected an http(s) URL or an empty cell",
        "bad.csv:4: 纬度: latitude out of range: '113.0' (lon and lat look swapped); "
        "expected lon: longitude (-180 to 180), lat: latitude (-90 to 90)",
    ]
    with pytest.raises(PlanError, match=r"bad\.csv:3: 经度: not a number.*\(and 4 more problems\)"):
        load_plan(path)


def test_a_wrong_column_names_the_closest_columns(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    path = _layer_plan(tmp_path, "bad.csv", extra="link: 网站")
    assert _messages(path) == [
        "plan.yaml:30: layers[0].link: the table has no column '网站'; expected one of the "
        "columns 名称, 类别, 员工数, 经度, 纬度, 网址; closest: 网址"
    ]


def test_a_point_outside_the_region_is_a_warning_and_counted_outside(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("name,lng,lat\n甲,113.0,28.2\n乙,116.4,39.9\n", "utf-8")
    path = _layer_plan(tmp_path, "p.csv", datum="WGS-84")
    assert _messages(path) == [
        "p.csv:3: lng: warning: point (116.4, 39.9) lies outside the plan region 湖南省; "
        "it is counted as outside every unit"
    ]
    frame = build_model(load_plan(path)).layer_counts
    assert frame is not None
    counts = frame.set_index(["scope", "key"])["count"]
    assert counts[("unit", "")] == 1 and counts[("unit", "430100")] == 1


def test_limits_give_one_line_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "p.csv").write_text("name,lon,lat\n甲,113.0,28.2\n乙,113.1,28.2\n", "utf-8")
    path = _layer_plan(tmp_path, "p.csv", datum="WGS-84")
    monkeypatch.setattr("maplayout.plan.tables.MAX_LAYER_ROWS", 1)
    assert _messages(path) == [
        "p.csv: <table>: table has more than 1 data rows; expected at most 1 rows per layer"
    ]
    monkeypatch.setattr("maplayout.plan.layers.MAX_LAYER_BYTES", 10)
    assert _messages(path) == [
        "plan.yaml:30: layers[0].file: file is too large (43 bytes; at most 10): "
        "p.csv; expected a table file of at most 10 bytes next to the plan"
    ]


def test_the_stated_limits() -> None:
    from maplayout.plan.tables import MAX_LAYER_BYTES, MAX_LAYER_ROWS

    assert (MAX_LAYER_BYTES, MAX_LAYER_ROWS) == (64_000_000, 200_000)
    docs = (ROOT / "docs" / "layers.md").read_text("utf-8")
    assert "64,000,000 bytes" in docs and "200,000 rows" in docs


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../p.csv", "layers[0].file: layer file '../p.csv' is outside the plan's folder"),
        ("p.txt", "layers[0].file: unsupported layer file type 'p.txt'"),
        ("gone.csv", "layers[0].file: layer file not found: "),
    ],
)
def test_bad_layer_files(tmp_path: Path, file: str, message: str) -> None:
    path = _layer_plan(tmp_path, file, datum="WGS-84")
    assert len(_messages(path)) == 1 and message in _messages(path)[0]


def test_an_undecodable_csv_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_bytes(
        "name,lon,lat\n甲,113.0,28.2\n".encode() + b"\xff\xfe\xff,1,2\n"
    )
    path = _layer_plan(tmp_path, "p.csv", datum="WGS-84", extra="encoding: utf-8")
    assert _messages(path) == [
        "p.csv:3: <table>: cannot decode byte 28 as utf-8; "
        "expected a CSV in UTF-8, GBK or GB18030 (encoding: names it)"
    ]


def test_the_default_model_has_no_layer_points() -> None:
    model = build_model()
    assert model.layer_points is not None and model.layer_points.empty
    assert model.layer_counts is not None and model.layer_counts.empty


def test_no_layer_points_count_to_the_frame_the_groupby_gives(tmp_path: Path) -> None:
    """Without points the counts skip pandas' groupby: the very same empty frame."""
    import pandas as pd

    from maplayout.model.layers import _counts, layer_counts

    (tmp_path / "firms.csv").write_text(make_points.points_csv(50), encoding="utf-8")
    plan = load_plan(_layer_plan(tmp_path, "firms.csv", extra="weight: 员工数\ncategory: 类别"))
    some = build_model(plan).layer_points
    none = build_model().layer_points
    assert some is not None and none is not None and len(some) == 50
    for points in (none, some.iloc[:0]):
        pd.testing.assert_frame_equal(layer_counts(points), _counts(points), check_exact=True)
    assert len(layer_counts(some)) > 0


def test_a_plan_of_5000_sites_loads(tmp_path: Path) -> None:
    """The plan limits (16 MB, 1,000,000 YAML nodes) admit a few thousand sites."""
    from maplayout.plan.places import _polygon_m  # the run-long cache of unit projections

    path = tmp_path / "sites.yaml"
    path.write_text(make_points.site_plan(5000), encoding="utf-8")
    assert path.stat().st_size > 1_000_000  # beyond the old 1 MB limit
    _polygon_m.cache_clear()
    plan = load_plan(path)
    assert len(plan.sites) == 5010
    assert _polygon_m.cache_info().misses <= 2 * 123  # each unit projected once per UTM zone


def test_the_scaling_benchmark_measures_a_small_size() -> None:
    spec = importlib.util.spec_from_file_location(
        "layers_scaling", ROOT / "benchmarks" / "layers_scaling.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    row = module.measure(10)
    assert row["n"] == 10 and row["validate"] > 0 and row["model"] > 0 and row["rss_mb"] > 50
    assert "| 10 |" in module.table([row])
