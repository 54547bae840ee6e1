r"""The page script is joined from ``maplayout/web/static/js`` modules into the bytes of before.

Two pins, to be changed only on purpose:

- ``SCRIPT_SHA256``: the joined script, i.e. the single ``maplayout/static/maplayout.js``
  (912 lines, commit 4028108) that the modules replaced. After an intended change to the
  page script, set it to ``hashlib.sha256(app_js().encode()).hexdigest()``
  (``from maplayout.web.viewerjs import app_js``).
- ``tests/default-maps.sha256``: the two map pages of the default build. After an intended
  change to the pages, regenerate it (from the repository root)::

      .venv/bin/maplayout build --out /tmp/pin --snapshots no --no-figure
      (cd /tmp/pin && sha256sum hunan-ai-2023.html hunan-ai-2023-county.html) \
        > tests/default-maps.sha256
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from maplayout.geo import names
from maplayout.web.viewerjs import JS_DIR, JS_MODULES, LAYER_MODULES, app_js, js_module

ROOT = Path(__file__).resolve().parent.parent
# changed on purpose in issue 14: site groups, context labels, rings and shared stretches
# (cartography), and popups showing the plan's interpretation (「解读」)
# changed on purpose in issue 11: labels placed once per zoom level (measured once, cached);
# on a view of several provinces, coarse outlines until a province's detail is drawn on demand
# changed on purpose in issue 11 part 6: area polygons (static/js/area.js) projected once per
# zoom and only in view: the same paths, a cheaper zoom step
# changed on purpose in issue 11 part 6: a page of several provinces leaves units' empty fields out
# of its data; the script puts them back (head.js)
# changed on purpose in issue 11 (zoom step of the national county page): label markers placed
# with a 2D translate and shown only in view (labelview.js); empty area paths written once, and
# a shape wholly inside the clip bounds not clipped (the same paths)
# changed on purpose in issue 13 (CPU of loading a page): rings decoded by character code straight
# into Leaflet's points, and projected without two points made per vertex; areas simplified in one
# loop per ring (the same points as L.LineUtil.simplify); an area's bounds grown once per ring
SCRIPT_SHA256 = "a9b2e16ed844a6b912ba0d8e20dfbd4c8118ff635e3e8b3006427ae6787b8013"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_joined_script_is_the_file_it_replaced() -> None:
    assert _sha(app_js()) == SCRIPT_SHA256


def test_every_module_is_joined_once_and_small() -> None:
    on_disk = sorted(p.stem for p in JS_DIR.glob("*.js"))
    assert sorted(JS_MODULES + LAYER_MODULES) == on_disk
    assert len(set(JS_MODULES + LAYER_MODULES)) == len(JS_MODULES) + len(LAYER_MODULES)
    for name in JS_MODULES + LAYER_MODULES:
        text = (JS_DIR / f"{name}.js").read_text(encoding="utf-8")
        assert text.endswith("\n"), name  # modules split at line boundaries
        assert text.count("\n") <= 300, name
    assert app_js().startswith("/* maplayout viewer") and app_js().endswith("})();\n")
    # a page with data layers: the same modules, the layer modules just before main
    with_layers = app_js(layers=True)
    assert with_layers.endswith(js_module("main")) and with_layers.startswith(js_module("head"))
    assert len(with_layers) == len(app_js()) + sum(len(js_module(n)) for n in LAYER_MODULES)


def test_search_suffixes_come_from_names() -> None:
    raw = (JS_DIR / "search.js").read_text(encoding="utf-8")
    # the module holds placeholders, not a copy of the list
    assert "@ZH_SUFFIXES@" in raw and "@EN_SUFFIXES@" in raw
    assert "自治县" not in raw and "autonomous county" not in raw
    zh, en = names.viewer_suffixes()
    filled = js_module("search")
    assert f"var SUFFIX = /({'|'.join(zh)})$/;" in filled
    assert f"var EN_SUFFIX = /\\s+({'|'.join(en)})$/;" in filled
    assert not re.search(r"@[A-Z_]+@", filled)  # every placeholder filled


def test_viewer_suffixes_are_the_matching_suffixes_the_page_strips() -> None:
    zh, en = names.viewer_suffixes()
    # every one is a suffix that matching strips too (Chinese in either script)
    assert {names.to_hans(s) for s in zh} <= set(names.ADMIN_SUFFIXES)
    assert {f" {s}" for s in en} <= set(names._EN_SUFFIXES)
    # the page keeps a county's ethnic groups and strips the rest, both scripts
    assert "瑶族自治县" not in zh and "自治县" in zh and "自治縣" in zh
    assert "土家族苗族自治州" in zh and "yao autonomous county" not in en


def test_english_suffix_is_stripped_longest_first() -> None:
    # " dong autonomous county" used to be tried before " miao and dong autonomous county"
    assert names.normalise("Jingzhou Miao and Dong Autonomous County") == "jingzhou"
    assert names.normalise("Xiangxi Tujia and Miao Autonomous Prefecture") == "xiangxi"
    assert names.normalise("Changsha City") == "changsha"


def _pinned() -> dict[str, str]:
    rows = (ROOT / "tests" / "default-maps.sha256").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (row.split() for row in rows)}


@pytest.mark.slow
def test_default_build_map_pages_are_pinned(tmp_path: Path) -> None:
    from maplayout.publish.pipeline import build

    build(out=tmp_path, figures=False, snapshots="no")
    got = {name: _sha((tmp_path / name).read_text(encoding="utf-8")) for name in _pinned()}
    assert got == _pinned()
