"""The data layers' page payload (maplayout/web/layerdata.py): clusters per zoom, hexbins,
counts, determinism, and that a plan without layers gets the page of before."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from maplayout.model import build_model, in_datum
from maplayout.plan import load_plan
from maplayout.text import layer_count_text
from maplayout.web import render_map
from maplayout.web.codec import ALPHABET, script_json
from maplayout.web.layerdata import (
    CLUSTER_SHARE,
    RAMP,
    ZOOM_MIN,
    class_breaks,
    clusters,
    hexbins,
    layers_payload,
    mercator_px,
)
from maplayout.web.viewerjs import app_js

ROOT = Path(__file__).resolve().parents[1]
PLAN = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
N = 3000


def _make_points() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_points", ROOT / "benchmarks" / "make_points.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_points"] = module
    spec.loader.exec_module(module)
    return module


make_points = _make_points()

LAYER = """
layers:
  - id: firms
    file: firms.csv
    label: {zh-Hans: 企业, zh-Hant: 企業, en: Firms}
    datum: GCJ-02
    category: 类别
    weight: 员工数
    style: {color: "#1b7837", radius: 4}
    data_source:
      title: {zh-Hans: 合成数据, en: Synthetic}
      url: "https://example.org/x"
      date: 2024-05
"""


def _decode(text: str) -> list[int]:
    """Python twin of the page's varint decoder (``ints()`` of static/js/datadecode.js)."""
    out, acc, mul = [], 0, 1
    for ch in text:
        c = ALPHABET.index(ch)
        if c >= 32:
            acc += (c - 32) * mul
            mul *= 32
            continue
        acc += c * mul
        out.append(-(acc + 1) // 2 if acc % 2 else acc // 2)
        acc, mul = 0, 1
    return out


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("layers")
    (folder / "firms.csv").write_text(make_points.points_csv(N), encoding="utf-8")
    (folder / "plan.yaml").write_text(PLAN.replace("\nsites:\n", LAYER + "sites:\n", 1), "utf-8")
    return build_model(load_plan(folder / "plan.yaml"))


@pytest.fixture(scope="module")
def payload(model: Any) -> dict[str, Any]:
    out = layers_payload(model)
    assert out is not None
    return out


def test_counts_are_conserved_at_every_zoom(payload: dict[str, Any]) -> None:
    layer = payload["layers"][0]
    assert layer["n"] == N
    zooms = layer["zoom"]
    assert [z["z"] for z in zooms] == list(range(ZOOM_MIN, ZOOM_MIN + len(zooms)))
    for z in zooms:
        counts = _decode(z["n"])
        lone = np.cumsum(_decode(z["one"]))
        assert sum(counts) + len(lone) == N, z["z"]
        assert min(counts) >= 2 and len(set(lone.tolist())) == len(lone)
        assert sum(counts) >= CLUSTER_SHARE * N  # clusters stop where they would hold less
        assert len(_decode(z["ll"])) == 2 * len(counts)
    # the first zoom groups the province into a few clusters
    assert len(_decode(zooms[0]["n"])) < 20


def test_clusters_are_a_grid_of_the_mercator_pixels() -> None:
    # two points 10 px apart at zoom 10 share a cell there, two 300 px apart never do
    x, y = mercator_px([112.0], [28.0])
    deg = 10 / (256 * 2**10) * 360
    lon = [112.0, 112.0 + deg, 113.5, 113.5 + deg]
    lat = [28.0, 28.0, 28.0, 28.0]
    levels = {z["z"]: z for z in clusters(lon, lat)}
    assert 10 in levels
    assert _decode(levels[10]["n"]) in ([2, 2], [4])
    assert np.isfinite(x).all() and np.isfinite(y).all()


def test_payload_is_deterministic_and_round_trips(model: Any) -> None:
    one, two = layers_payload(model), layers_payload(model)
    assert script_json(one) == script_json(two)
    assert json.loads(script_json(one)) == one


def test_points_and_rows_decode_to_the_model(model: Any, payload: dict[str, Any]) -> None:
    layer = payload["layers"][0]
    pts = model.layer_points
    latlon = np.cumsum(np.array(_decode(layer["ll"])).reshape(-1, 2), axis=0) / 10_000
    assert np.allclose(latlon[:, 0], pts.geometry.y, atol=6e-5)
    assert np.allclose(latlon[:, 1], pts.geometry.x, atol=6e-5)
    assert np.cumsum(_decode(layer["rows"])).tolist() == pts["row"].tolist()
    assert layer["names"] == pts["name"].tolist()
    cats = [layer["cats"][i] for i in _decode(layer["cat"])]
    assert cats == pts["category"].tolist()
    assert layer["w"] == [int(w) for w in pts["weight"]]
    units = [layer["units"][i] if i >= 0 else "" for i in _decode(layer["unit"])]
    assert units == pts["unit_adcode"].tolist()


def test_hexbins_count_every_point_and_classes_follow_the_breaks(payload: dict[str, Any]) -> None:
    hexes = payload["layers"][0]["hex"]
    counts, classes = _decode(hexes["n"]), _decode(hexes["k"])
    assert sum(counts) == N
    legend = hexes["legend"]
    assert legend[-1]["hi"] == max(counts) and legend[0]["lo"] == 1
    for n, k in zip(counts, classes, strict=True):
        assert legend[k]["lo"] <= n <= legend[k]["hi"]
    assert [row["fill"] for row in legend] == list(RAMP[-len(legend) :])


def test_hexbins_place_each_point_in_its_own_hexagon() -> None:
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(110, 114, 500), rng.uniform(25, 29, 500)
    h = hexbins(lon, lat, 10.0)
    q, r = np.array(_decode(h["q"])), np.array(_decode(h["r"]))
    cx, cy = h["s"] * np.sqrt(3) * (q + r / 2), h["s"] * 1.5 * r
    x, y = mercator_px(lon, lat)
    d = np.hypot(x[:, None] - cx[None, :], y[:, None] - cy[None, :]).min(axis=1)
    assert (d <= h["s"] * 1.000001).all()


def test_class_breaks() -> None:
    assert class_breaks([0, 0]) == []
    assert class_breaks([5, 5, 5]) == [5]
    breaks = class_breaks(range(1, 101))
    assert breaks == sorted(set(breaks)) and breaks[-1] == 100 and len(breaks) == 5


def test_counts_and_texts_are_the_models(model: Any, payload: dict[str, Any]) -> None:
    counts = payload["layers"][0]["counts"]
    assert set(counts["fill"]) == set(model.units["adcode"])
    assert counts["unit"]["430100"] == {
        k: layer_count_text(model, "firms", "unit", "430100", k)
        for k in ("zh-Hans", "zh-Hant", "en")
    }
    assert counts["unit"]["430100"]["zh-Hans"].endswith("%)")
    roles = {t["en"] for t in counts["role"]}
    assert any(t.startswith(("Core", "core")) for t in roles), roles
    assert counts["group"][0]["en"].startswith("Dongting: ")


def test_layer_head_credits_the_data_source(payload: dict[str, Any]) -> None:
    layer = payload["layers"][0]
    assert layer["label"] == {"zh-Hans": "企业", "zh-Hant": "企業", "en": "Firms"}
    assert layer["source"] == {
        "title": {"zh-Hans": "合成数据", "zh-Hant": "合成數據", "en": "Synthetic"},
        "url": "https://example.org/x",
        "date": "2024-05",
    }
    assert (layer["color"], layer["radius"]) == ("#1b7837", 4.0)
    assert payload["ui"]["en"]["layer.view.points"] == "{label}: points"


def test_a_page_with_layers_carries_the_layer_module_and_the_default_does_not(model: Any) -> None:
    page = render_map(model)
    assert '<script type="application/json" id="maplayout-layers">' in page
    assert "maplayout-layers" in app_js(layers=True) and "maplayout-layers" not in app_js()
    plain = render_map(build_model())
    assert "maplayout-layers" not in plain and "ml-data" not in plain
    assert len(page.encode()) < len(plain.encode()) + 300_000  # 3,000 points


def test_a_gcj02_basemap_moves_the_points_too(model: Any) -> None:
    moved = in_datum(model, "GCJ02")
    assert moved.layer_points is not None and moved.layer_counts is model.layer_counts
    shift = moved.layer_points.geometry.x.to_numpy() - model.layer_points.geometry.x.to_numpy()
    assert 0.001 < float(np.median(np.abs(shift))) < 0.01  # GCJ-02 is a few hundred metres off


HOSTILE = "</script><img src=x onerror=alert(1)>\u2028&amp;\"'"


def test_hostile_names_stay_data(tmp_path: Path) -> None:
    rows = [
        "名称,经度,纬度,网址",
        f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",112.9,28.2,https://e.org/?a=<b>',
    ]
    (tmp_path / "firms.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    entry = LAYER.replace("category: 类别\n    weight: 员工数\n", "link: 网址\n").replace(
        "GCJ-02", "WGS-84"
    )
    (tmp_path / "plan.yaml").write_text(PLAN.replace("\nsites:\n", entry + "sites:\n", 1), "utf-8")
    page = render_map(build_model(load_plan(tmp_path / "plan.yaml")))
    blob = re.search(r'id="maplayout-layers">(.*?)</script>', page, re.S)
    assert blob is not None
    assert "<" not in blob.group(1) and "\u2028" not in blob.group(1)
    data = json.loads(blob.group(1))
    assert data["layers"][0]["names"] == [HOSTILE]
    assert data["layers"][0]["links"] == [[0, "https://e.org/?a=<b>"]]


def test_a_page_with_layers_is_byte_identical_when_rendered_twice(model: Any) -> None:
    assert render_map(model).encode() == render_map(model).encode()
    english = render_map(model, lang="en")
    assert '"lang":"en"' in english and "maplayout-layers" in english
