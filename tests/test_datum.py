"""Datum transforms WGS-84 ⇄ GCJ-02 ⇄ BD-09 against published points and by round trip."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from maplayout._paths import geodata_dir
from maplayout.errors import GeodataError
from maplayout.geo import datum
from maplayout.geo.datum import (
    MASK_FILE,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    normalise_datum,
    transform_geometry,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")
# Published check point (../shared/reference/DATUM.md): Beijing railway station.
BEIJING_WGS = (116.42079, 39.90105)
BEIJING_GCJ = (116.42703, 39.90245)


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def china_grid() -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.linspace(74.0, 134.0, 61), np.linspace(19.0, 53.0, 35))
    return lon, lat


def test_beijing_reference_point_forward_and_inverse() -> None:
    lon, lat = wgs84_to_gcj02(*BEIJING_WGS)
    assert metres(lon, lat, *BEIJING_GCJ) < 1.0
    lon, lat = gcj02_to_wgs84(*BEIJING_GCJ)
    assert metres(lon, lat, *BEIJING_WGS) < 1.0


def test_round_trip_over_china_below_a_centimetre() -> None:
    lon, lat = china_grid()
    assert in_china(lon, lat).sum() > 500  # most of the grid is mainland China
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert metres(lon, lat, *back).max() < 0.01
    # and the other way round: a GCJ-02 point survives inverse then forward
    fwd = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert metres(lon, lat, *fwd).max() < 0.01


def test_one_step_inverse_would_not_be_enough() -> None:
    # guards the iteration: a single step leaves metres of error somewhere in China
    lon, lat = china_grid()
    glon, glat = wgs84_to_gcj02(lon, lat)
    one = gcj02_to_wgs84(glon, glat, iterations=1)
    assert metres(lon, lat, *one).max() > 0.5


def test_hunan_offset_is_515_to_678_m_towards_east_south_east() -> None:
    lon, lat = np.meshgrid(np.linspace(108.8, 114.3, 23), np.linspace(24.6, 30.1, 23))
    glon, glat = wgs84_to_gcj02(lon, lat)
    az, _, dist = GEOD.inv(lon, lat, glon, glat)
    assert dist.min() > 510 and dist.max() < 680
    assert az.min() > 100 and az.max() < 140  # GCJ-02 lies east-south-east of the truth


# Inside the old bounding rectangle (72.004–137.8347 E, 0.8293–55.8271 N) but not mainland
# China: the rectangle alone shifted all of these (Taipei by ~500 m).
OUTSIDE_MAINLAND = {
    "Taipei": (121.565, 25.033),
    "Hong Kong (Tsim Sha Tsui)": (114.1694, 22.2988),
    "Hong Kong (Central)": (114.158, 22.282),
    "Macau (Senado Square)": (113.5392, 22.1934),
    "Macau (Taipa)": (113.556, 22.155),
    "Seoul": (126.978, 37.566),
    "Ulaanbaatar": (106.917, 47.918),
    "Hanoi": (105.854, 21.028),
    "Pyongyang": (125.754, 39.039),
    "Tokyo": (139.6917, 35.6895),
}
MAINLAND = {
    "Beijing": (116.4074, 39.9042),
    "Changsha": (112.9388, 28.2282),
    "Urumqi": (87.6168, 43.8256),
    "Harbin": (126.6425, 45.7567),
    "Haikou": (110.3312, 20.0311),
    "Sanya": (109.5119, 18.2528),
    "Lhasa": (91.1322, 29.6604),
    "Kunming": (102.8329, 24.8801),
    "Shenzhen (Futian, by the Hong Kong border)": (114.06, 22.55),
    "Zhuhai (Gongbei, by the Macau border)": (113.55, 22.225),
    "Shanghai": (121.4737, 31.2304),
    "Kashgar": (75.99, 39.47),
}


@pytest.mark.parametrize("name", sorted(OUTSIDE_MAINLAND))
def test_identity_outside_mainland_china(name: str) -> None:
    lon, lat = OUTSIDE_MAINLAND[name]
    assert not in_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    assert wgs84_to_bd09(lon, lat) == gcj02_to_bd09(lon, lat)


@pytest.mark.parametrize("name", sorted(MAINLAND))
def test_shifted_inside_mainland_china(name: str) -> None:
    lon, lat = MAINLAND[name]
    assert in_china(lon, lat)
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert 100 < metres(lon, lat, glon, glat) < 800  # the GCJ-02 offset is a few hundred m
    assert metres(lon, lat, *gcj02_to_wgs84(glon, glat)) < 0.01


@pytest.mark.parametrize(
    "lon, lat",
    [(-0.1276, 51.5072), (151.2093, -33.8688), (-74.006, 40.7128), (float("nan"), 30.0)],
)
def test_identity_far_outside_the_rectangle(lon: float, lat: float) -> None:
    out = wgs84_to_gcj02(lon, lat)
    np.testing.assert_array_equal(out, (lon, lat))
    np.testing.assert_array_equal(gcj02_to_wgs84(lon, lat), (lon, lat))


def test_vectorised_mix_of_inside_and_outside() -> None:
    names = sorted(MAINLAND) + sorted(OUTSIDE_MAINLAND)
    lon = np.array([{**MAINLAND, **OUTSIDE_MAINLAND}[n][0] for n in names])
    lat = np.array([{**MAINLAND, **OUTSIDE_MAINLAND}[n][1] for n in names])
    inside = np.array([n in MAINLAND for n in names])
    np.testing.assert_array_equal(in_china(lon, lat), inside)
    np.testing.assert_array_equal(in_china(lon.reshape(2, -1), lat.reshape(2, -1)).ravel(), inside)
    glon, glat = wgs84_to_gcj02(lon, lat)
    moved = metres(lon, lat, glon, glat)
    assert (moved[inside] > 100).all() and (moved[~inside] == 0).all()
    # each element equals its scalar computation
    for i in range(len(names)):
        assert wgs84_to_gcj02(lon[i], lat[i]) == (glon[i], glat[i])
    back = gcj02_to_wgs84(glon, glat)
    assert metres(lon, lat, *back).max() < 0.01


def test_inverse_decides_on_the_input_point() -> None:
    # a point in Hong Kong given as GCJ-02 is returned unchanged: the mainland test is made
    # on the input point, not on an intermediate WGS-84 estimate
    lon, lat = 114.1694, 22.2988
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    # and a mainland GCJ-02 point is inverted even near the border (Shenzhen, Futian)
    glon, glat = wgs84_to_gcj02(114.06, 22.55)
    assert metres(114.06, 22.55, *gcj02_to_wgs84(glon, glat)) < 0.01


def test_mask_is_the_shipped_file_and_checked_against_the_manifest(tmp_path) -> None:
    mask = datum._mainland_mask()
    assert mask.geom_type == "MultiPolygon"
    assert datum._mainland_mask() is mask  # loaded once
    folder = tmp_path / "geo"
    (folder / "boundaries").mkdir(parents=True)
    (folder / "manifest.json").write_bytes((geodata_dir() / "manifest.json").read_bytes())
    data = (geodata_dir() / MASK_FILE).read_bytes()
    (folder / MASK_FILE).write_bytes(data[:-10])
    with pytest.raises(GeodataError, match=r"mainland-mask\.geojson: contents do not match"):
        datum._mainland_mask(str(folder))
    (folder / MASK_FILE).unlink()
    with pytest.raises(GeodataError) as err:
        datum._mainland_mask(str(folder))
    assert str(err.value) == (
        f"{folder / MASK_FILE}: missing; run `maplayout geodata rebuild` or reinstall maplayout"
    )


def test_vectorised_shapes_and_scalars() -> None:
    lon, lat = china_grid()
    out_lon, out_lat = wgs84_to_gcj02(lon, lat)
    assert out_lon.shape == lon.shape == out_lat.shape
    scalar = wgs84_to_gcj02(112.9, 28.2)
    assert all(isinstance(v, float) for v in scalar)
    # each element equals the scalar computation
    assert wgs84_to_gcj02(lon[3, 4], lat[3, 4]) == (out_lon[3, 4], out_lat[3, 4])
    # broadcasting a scalar latitude over a vector of longitudes
    b_lon, b_lat = gcj02_to_wgs84([112.0, 113.0], 28.0)
    assert b_lon.shape == b_lat.shape == (2,)


def test_bd09_round_trips() -> None:
    lon, lat = china_grid()
    assert metres(lon, lat, *bd09_to_gcj02(*gcj02_to_bd09(lon, lat))).max() < 0.01
    assert metres(lon, lat, *bd09_to_wgs84(*wgs84_to_bd09(lon, lat))).max() < 0.01
    # BD-09 adds a further offset of several hundred metres on top of GCJ-02
    d = metres(*BEIJING_GCJ, *gcj02_to_bd09(*BEIJING_GCJ))
    assert 500 < d < 1500


def test_convert_by_name_and_geometry() -> None:
    assert normalise_datum("wgs-84") == normalise_datum("EPSG:4326") == "WGS84"
    with pytest.raises(ValueError, match="unknown datum 'utm'; expected one of"):
        normalise_datum("utm")
    assert convert(*BEIJING_WGS, "WGS-84", "GCJ-02") == wgs84_to_gcj02(*BEIJING_WGS)
    assert convert(*BEIJING_WGS, "wgs84", "WGS84") == BEIJING_WGS
    poly = shapely.box(112.9, 28.1, 113.1, 28.3)
    moved = transform_geometry(poly, "GCJ-02", "WGS-84")
    lon, lat = gcj02_to_wgs84(112.9, 28.1)
    assert (lon, lat) in [tuple(c) for c in shapely.get_coordinates(moved)]
