"""Datum transforms WGS-84 ⇄ GCJ-02 ⇄ BD-09 against published points and by round trip."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from maplayout.datum import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
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


@pytest.mark.parametrize(
    "lon, lat",
    [(139.6917, 35.6895), (-0.1276, 51.5072), (151.2093, -33.8688), (-74.006, 40.7128)],
)
def test_identity_outside_china(lon: float, lat: float) -> None:
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


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
