"""``maplayout build``: outputs, manifest, determinism, atomicity and the command line."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from maplayout.cli import main
from maplayout.errors import BuildError
from maplayout.publish import pipeline as export
from maplayout.publish.reports import MapReport
from tests.factories import hunan_model

MAPS = ("hunan-ai-2023.html", "hunan-ai-2023-county.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> export.BuildResult:
    """The real default build (default plan, shipped geodata, join)."""
    return export.build(out=tmp_path_factory.mktemp("maps"), figures=False, snapshots="no")


def test_default_build_writes_maps_index_and_manifest(built: export.BuildResult) -> None:
    out = built.out_dir
    names = sorted(p.name for p in out.iterdir())
    for name in (*MAPS, "index.html", "build-manifest.json"):
        assert name in names
    assert built.index_path == out / "index.html"
    assert [p.name for p in built.maps] == list(MAPS)
    assert all(p.is_file() for p in built.files)
    assert not [p for p in out.parent.iterdir() if ".staging." in p.name]


def test_manifest_hashes_sizes_inputs_and_no_timestamps(built: export.BuildResult) -> None:
    manifest = json.loads((built.out_dir / "build-manifest.json").read_text("utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(MAPS) | {"index.html"} <= set(listed)
    for path, entry in listed.items():
        data = (built.out_dir / path).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert set(manifest["inputs"]) == {"plan", "geodata_manifest"}
    assert manifest["tool"] == "maplayout" and manifest["version"]
    text = json.dumps(manifest)
    assert "2026-" not in text and "time" not in text.lower()


def test_maps_fit_the_size_budget(built: export.BuildResult) -> None:
    layout, county = (built.out_dir / m for m in MAPS)
    assert layout.stat().st_size <= 400 * 1024
    assert county.stat().st_size <= 700 * 1024


def test_index_lists_every_map_with_source(built: export.BuildResult) -> None:
    index = built.index_path.read_text("utf-8")
    for name in MAPS:
        assert f'href="{name}"' in index
    assert "湖南日报 2023-12-21" in index
    assert '<html lang="zh-Hans">' in index


def test_two_builds_are_byte_identical(built: export.BuildResult, tmp_path: Path) -> None:
    again = export.build(out=tmp_path, figures=False, snapshots="no")
    assert [p.name for p in again.files] == [p.name for p in built.files]
    for p in built.files:
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_failing_build_leaves_previous_outputs_untouched(
    built: export.BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export.build(out=tmp_path, figures=False, snapshots="no")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def boom(*a: object, **k: object) -> str:
        raise RuntimeError("renderer failed half-way")

    monkeypatch.setattr("maplayout.web.render_index", boom)
    with pytest.raises(RuntimeError, match="half-way"):
        export.build(out=tmp_path, lang="en", figures=False, snapshots="no")
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.")]


MULTICORE = Path(__file__).parent / "plans" / "multicore.yaml"


def test_rebuild_deletes_what_the_previous_build_wrote_and_no_longer_writes(
    tmp_path: Path,
) -> None:
    first = export.build(MULTICORE, out=tmp_path, figures=False, snapshots="no")
    old = {p.name for p in first.files} - {p.name for p in first.files if "hunan" in p.name}
    assert "multicore-test.html" in old and "multicore-test-county.embed.html" in old
    (tmp_path / "my-notes.txt").write_text("keep me", encoding="utf-8")  # not the build's
    again = export.build(out=tmp_path, figures=False, snapshots="no")
    names = {p.name for p in tmp_path.iterdir()}
    assert not names & (old - {"index.html", "build-manifest.json"})
    assert names == {p.name for p in again.files} | {"my-notes.txt"}
    assert {p.name for p in again.removed} == old - {p.name for p in again.files}
    assert (tmp_path / "my-notes.txt").read_text(encoding="utf-8") == "keep me"


def test_failed_rebuild_deletes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export.build(MULTICORE, out=tmp_path, figures=False, snapshots="no")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def boom(*a: object, **k: object) -> list[Path]:
        raise RuntimeError("report writer failed")

    monkeypatch.setattr(export, "_write_reports", boom)
    with pytest.raises(RuntimeError, match="report writer failed"):
        export.build(out=tmp_path, figures=False, snapshots="no")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_unsafe_paths_in_an_old_manifest_are_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("x", encoding="utf-8")
    manifest: dict[str, Any] = {"files": [{"path": "../precious.txt"}, {"path": str(outside)}]}
    (out / "build-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BuildError) as err:  # a foreign manifest on our name: not replaced
        export.build(out=out, figures=False, snapshots="no")
    assert str(err.value).startswith(
        f"{out / 'build-manifest.json'}: is not maplayout's build manifest: it does not say "
        "'tool: maplayout'; maplayout will not overwrite it."
    )
    assert sorted(p.name for p in out.iterdir()) == ["build-manifest.json"]
    manifest["tool"] = "maplayout"  # claims to be ours, but lists paths outside the folder
    (out / "build-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BuildError, match="without a plain path and sha256"):
        export.build(out=out, figures=False, snapshots="no")
    export.build(out=out, figures=False, snapshots="no", force=True)
    assert outside.read_text(encoding="utf-8") == "x"


def test_manifest_records_what_happened_to_snapshots(built: export.BuildResult) -> None:
    assert built.manifest["options"]["snapshots"] == "skipped: not requested"


def test_index_title_is_the_plan_title(tmp_path: Path) -> None:
    result = export.build(out=tmp_path, lang="en", figures=False, snapshots="no")
    index = result.index_path.read_text("utf-8")
    title = html.unescape(index.split("<title>", 1)[1].split("</title>", 1)[0])
    assert title == "Spatial layout of Hunan's AI industry clusters"
    assert index.count('href="hunan-ai-2023') >= 2


def test_bad_option_fails_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "never"
    with pytest.raises(BuildError, match="needs an API key"):
        export.build(out=out, basemap="tianditu")
    assert not out.exists()


def test_build_passes_models_and_options_to_report_writers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_reports(stage: Path, maps: list, options: export.BuildOptions) -> list[MapReport]:
        seen["maps"] = [(m.key, m.level, m.path.is_file(), len(m.model.units)) for m in maps]
        seen["options"] = options
        (stage / "figure.svg").write_text("<svg/>")
        return [MapReport(thumbnail="figure.svg", files=(stage / "figure.svg",)), MapReport()]

    monkeypatch.setattr(
        export,
        "_models",
        lambda plan: {"prefecture": hunan_model("prefecture"), "county": hunan_model("county")},
    )
    monkeypatch.setattr(export, "_write_reports", fake_reports)
    result = export.build(out=tmp_path, lang="en", figures=False, snapshots="no")
    assert seen["maps"] == [("layout", "prefecture", True, 14), ("county", "county", True, 122)]
    assert seen["options"].figures is False and seen["options"].snapshots == "no"
    assert (tmp_path / "figure.svg") in result.files
    manifest = json.loads((tmp_path / "build-manifest.json").read_text("utf-8"))
    assert "figure.svg" in {f["path"] for f in manifest["files"]}
    assert 'src="figure.svg"' in result.index_path.read_text("utf-8")
    assert [p.name for p in result.maps] == ["fixture.html", "fixture-county.html"]


def test_cli_build_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path), "--no-figure", "--snapshots", "no"]) == 0
    out = capsys.readouterr().out
    assert "hunan-ai-2023.html" in out and "build-manifest.json" in out
    size = (tmp_path / "build-manifest.json").stat().st_size / 1024
    assert re.search(rf"build-manifest\.json +{size:.1f} KB\n", out)
    assert (tmp_path / "index.html").resolve().as_uri() in out
    assert not re.search(r"^open \S*index\.html$", out, re.M)  # not the macOS command
    assert (tmp_path / "index.html").is_file()


def test_cli_bad_basemap_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path), "--basemap", "gaodee"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "maplayout: error: unknown basemap 'gaodee'; expected one of carto-light, gaode, "
        "none, osm, tianditu (closest: gaode)\n"
    )
