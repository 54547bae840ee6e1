"""The page script's unit tests (``tests/js/*.test.js``, node's built-in test runner).

This writes their fixtures (the modules as the renderer fills them in, rings encoded by the
Python codec, names with their Python keys, the default county view's payload) and runs
``node --test`` on them; a failing JS test fails this test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import maplayout
from maplayout.geo import names
from maplayout.geo.boundaries import load_units
from maplayout.model import build_model
from maplayout.web import encode_geometry, encode_ring, render_map
from maplayout.web.codec import SCALE, encode_ints
from maplayout.web.layerdata import clusters, hexbins, mercator_px
from maplayout.web.viewerjs import JS_MODULES, LAYER_MODULES, js_module

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"


def _rounded(coords: Any, scale: int) -> list[list[float]]:
    """What the decoder must return: ``[lat, lon]`` on the 1/scale grid, repeats dropped."""
    out: list[list[float]] = []
    for lon, lat in np.rint(np.asarray(coords, dtype=float) * scale).astype(int).tolist():
        point = [lat / scale, lon / scale]
        if not out or point != out[-1]:
            out.append(point)
    return out


def _geometry() -> dict[str, Any]:
    rng = np.random.default_rng(10)
    rings = {
        "hunan": [(112.9388, 28.2282), (113.1, 27.9), (111.5, 29.0)],
        "southern and western": [(-70.6483, -33.4489), (-70.7, -33.5), (0.0, 0.0)],
        "far east, 1e-4 apart": [(179.9999, 89.9999), (180.0, 90.0)],
        "repeats after rounding": [(112.0, 28.0), (112.00001, 28.00001), (112.0002, 28.0)],
        "one point": [(109.5, 25.25)],
        "random walk": np.cumsum(rng.normal(0, 0.3, (400, 2)), axis=0) + np.array([112.0, 28.0]),
        "coarser scale": [(112.94, 28.23), (112.95, 28.22)],
    }
    cases = []
    for name, coords in rings.items():
        scale = 100 if name == "coarser scale" else SCALE
        encoded = encode_ring(coords, scale=scale)
        cases.append(
            {"name": name, "scale": scale, "encoded": encoded, "latlon": _rounded(coords, scale)}
        )
    # the first county whose boundary has a hole
    units = load_units("county")
    geom = next(
        g for g in units.geometry if any(len(p.interiors) for p in getattr(g, "geoms", [g]))
    )
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    expected = [
        [_rounded(np.asarray(r.coords)[:-1], SCALE) for r in (p.exterior, *p.interiors)]
        for p in polys
    ]
    unit = {"g": encode_geometry(geom), "latlon": expected}
    return {"scale": SCALE, "rings": cases, "unit": unit}


_ETHNIC_EN = re.compile(r"\b(tujia|miao|yao|dong)\b", re.I)


def _names() -> dict[str, Any]:
    zh, en = names.viewer_suffixes()
    same = []
    for level in ("prefecture", "county"):
        for row in load_units(level).itertuples():
            for name in (row.name_zh_hans, row.short_zh_hans):
                if name and not name.endswith("族自治县"):
                    same.append([name, names.normalise(name)])
            for name in (row.name_en, row.short_en):
                if name and not _ETHNIC_EN.search(name):
                    same.append([name, names.normalise(name)])
    return {"zh": list(zh), "en": list(en), "same": same}


def _county_payload() -> dict[str, Any]:
    html = render_map(build_model(maplayout.load_plan(), level="county"))
    m = re.search(r'<script type="application/json" id="maplayout-data">(.*?)</script>', html, re.S)
    assert m, "no data payload"
    return json.loads(m.group(1))


def _layers() -> dict[str, Any]:
    """Data-layer helpers' cases: ints, the clusters of 300 points, hexagon centres."""
    rng = np.random.default_rng(13)
    values = [0, 1, -1, 31, 32, -33, 1023, 1 << 20, -(1 << 30), 20000]
    lon, lat = rng.uniform(109, 114, 300), rng.uniform(25, 30, 300)
    hexes = hexbins(lon, lat, 12.0)
    x, y = mercator_px(lon, lat)
    return {
        "ints": {"encoded": encode_ints(values), "values": values},
        "n": 300,
        "zoom": clusters(lon, lat),
        "hex": hexes,
        "points_px": np.column_stack([x, y]).round(9).tolist(),
    }


def _write_fixtures(folder: Path) -> None:
    (folder / "modules").mkdir(parents=True)
    for name in (*JS_MODULES, *LAYER_MODULES):
        (folder / "modules" / f"{name}.js").write_text(js_module(name), encoding="utf-8")
    fixtures = {
        "geometry": _geometry(),
        "names": _names(),
        "county": _county_payload(),
        "layers": _layers(),
    }
    for name, data in fixtures.items():
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_node_unit_tests_pass(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/test.sh installs it with npm)")
    _write_fixtures(tmp_path)
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    declared = sum(len(re.findall(r"^test\(", Path(f).read_text("utf-8"), re.M)) for f in files)
    assert len(files) == 5 and declared >= 25
    run = subprocess.run(
        [node, "--test", "--test-reporter=tap", *files],
        env={**os.environ, "MAPLAYOUT_JS_FIXTURES": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    counts = dict(re.findall(r"^# (tests|pass|fail|skipped|todo) (\d+)$", run.stdout, re.M))
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert int(counts["tests"]) == declared  # every declared test ran
    assert counts["pass"] == counts["tests"]
    assert counts["fail"] == counts["skipped"] == counts["todo"] == "0"
