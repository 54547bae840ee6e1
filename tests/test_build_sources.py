"""``build()`` from a path, a loaded ``Plan`` or a ``LayoutModel``; the CLI reads a plan once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import maplayout.plan.load as plan_load
from maplayout.cli import main
from maplayout.model import build_model
from maplayout.plan import Text, load_plan
from maplayout.publish import build

FAST: dict[str, Any] = {"figures": False, "snapshots": "no"}
EDITED = Text("笔记本里改的标题", "筆記本裡改的標題", "A title edited in a notebook")


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_loaded_plan_builds_the_same_bytes_as_its_path(tmp_path: Path) -> None:
    build(out=tmp_path / "path", **FAST)
    build(load_plan(), out=tmp_path / "plan", **FAST)
    assert _files(tmp_path / "plan") == _files(tmp_path / "path")
    manifest = json.loads((tmp_path / "plan" / "build-manifest.json").read_text("utf-8"))
    assert set(manifest["inputs"]) == {"plan", "geodata_manifest"}


def test_an_edited_plan_reaches_every_output(tmp_path: Path) -> None:
    plan = dataclasses.replace(load_plan(), title=EDITED)
    result = build(plan, out=tmp_path, lang="en", **FAST)
    assert [p.name for p in result.maps] == ["hunan-ai-2023.html", "hunan-ai-2023-county.html"]
    for name in ("hunan-ai-2023.html", "hunan-ai-2023-county.html", "index.html"):
        assert EDITED.en in (tmp_path / name).read_text("utf-8"), name
    assert EDITED.zh_hans in result.index_path.read_text("utf-8")  # the language switch


def test_a_model_builds_its_own_map_and_the_plans_other_map(tmp_path: Path) -> None:
    model = build_model(level="county")
    edited = dataclasses.replace(model, meta={**model.meta, "title": EDITED.as_dict()})
    assert edited.plan is model.plan is not None
    result = build(edited, out=tmp_path, lang="en", **FAST)
    assert [p.name for p in result.maps] == ["hunan-ai-2023.html", "hunan-ai-2023-county.html"]
    assert EDITED.en in (tmp_path / "hunan-ai-2023-county.html").read_text("utf-8")
    # the layout map comes from the plan, which the edit of the county model did not touch
    assert EDITED.en not in (tmp_path / "hunan-ai-2023.html").read_text("utf-8")
    assert result.manifest["plan_id"] == "hunan-ai-2023"
    assert [m["level"] for m in result.manifest["maps"]] == ["prefecture", "county"]


def test_a_model_without_its_plan_builds_only_its_own_map(tmp_path: Path) -> None:
    model = dataclasses.replace(build_model(level="prefecture"), plan=None)
    result = build(model, out=tmp_path, **FAST)
    assert [p.name for p in result.maps] == ["hunan-ai-2023.html"]
    assert result.manifest["maps"] == [
        {"key": "layout", "level": "prefecture", "path": "hunan-ai-2023.html"}
    ]
    assert "plan" not in result.manifest["inputs"]  # no file to hash
    assert result.index_path.read_text("utf-8").count('href="hunan-ai-2023') >= 1
    assert not (tmp_path / "hunan-ai-2023-county.html").exists()


def test_the_cli_reads_the_plan_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``maplayout build`` checks the plan, then hands the Plan to ``build``: one read."""
    reads: list[Path] = []
    real = plan_load.read_limited

    def counting(path: Path, limit: int, what: str) -> bytes:
        reads.append(Path(path))
        return real(path, limit, what)

    monkeypatch.setattr(plan_load, "read_limited", counting)
    argv = ["build", "--out", str(tmp_path), "--no-figure", "--snapshots", "no", "-q"]
    assert main(argv) == 0
    assert len(reads) == 1
    assert (tmp_path / "hunan-ai-2023-county.html").is_file()
