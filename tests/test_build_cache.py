"""The build cache (maplayout.publish.cache): an unchanged rebuild rewrites nothing and needs
no heavy import; a changed one redraws only what depends on the change; both give the same
bytes as a clean build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maplayout._paths import default_plan_path
from maplayout.model import build_model
from maplayout.publish import (
    ArtifactCache,
    BuildOptions,
    build,
    digests_path,
    environment_digest,
    figure_model,
    model_digest,
    state_path,
    up_to_date,
)

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = (ROOT / "tests" / "plans" / "minimal.yaml").read_text("utf-8")
OPTIONS = BuildOptions(figures=False, snapshots="no")  # what every fast test builds
EDITED_DESCRIPTION = ("全省测算值", "全省测算值（修订）")  # a fact: not drawn on the figure
EDITED_LABEL = ("人工智能产业创新策源地", "人工智能产业创新高地")  # the core's label: drawn


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.iterdir())}


def _plan_copy(folder: Path) -> Path:
    plan = folder / "plan.yaml"
    plan.write_bytes(default_plan_path().read_bytes())
    return plan


def _edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text("utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``maplayout`` in a fresh interpreter; prints which heavy modules it imported."""
    code = (
        "import sys\nfrom maplayout.cli import main\nrc = main(sys.argv[1:])\n"
        "heavy = ('geopandas', 'pandas', 'matplotlib', 'shapely', 'playwright')\n"
        "print('imported:', *[m for m in heavy if m in sys.modules])\nsys.exit(rc)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_unchanged_rebuild_rewrites_nothing_before_any_heavy_import(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    first = _cli("build", "--out", str(out), "--no-figure", "--snapshots", "no", "-q")
    assert first.returncode == 0, first.stderr
    assert "geopandas" in first.stdout  # the first build did the work
    before, stamps = _files(out), _stamps(out)
    again = _cli("build", "--out", str(out), "--no-figure", "--snapshots", "no", "-v")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "imported:"  # no geopandas, matplotlib, …
    assert again.stderr.startswith("maplayout: up to date, nothing rewritten (")
    assert f"built {len(before)} files in {out}" in again.stdout
    assert _files(out) == before and _stamps(out) == stamps  # not even rewritten


def test_no_cache_builds_again_with_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    build(out=out, figures=False, snapshots="no")
    before, stamps = _files(out), _stamps(out)
    run = _cli("build", "--out", str(out), "--no-figure", "--snapshots", "no", "--no-cache")
    assert run.returncode == 0, run.stderr
    assert "geopandas" in run.stdout.splitlines()[-1]
    assert _files(out) == before and _stamps(out) != stamps


@pytest.mark.parametrize(
    "change",
    [
        {"lang": "en"},
        {"title": "另一个标题"},
        {"basemap": "osm"},
        {"figures": True},
        {"snapshots": "auto"},
    ],
)
def test_any_option_change_is_not_up_to_date(tmp_path: Path, change: dict[str, object]) -> None:
    out = tmp_path / "maps"
    build(out=out, figures=False, snapshots="no")
    assert up_to_date(out, default_plan_path(), OPTIONS)[0] is not None
    changed = BuildOptions(**{"figures": False, "snapshots": "no", **change})  # type: ignore[arg-type]
    assert up_to_date(out, default_plan_path(), changed)[0] is None


def test_an_edited_or_deleted_output_is_not_up_to_date_and_stays_protected(
    tmp_path: Path,
) -> None:
    out = tmp_path / "maps"
    build(out=out, figures=False, snapshots="no")
    table = out / "hunan-ai-2023.table.csv"
    table.write_bytes(table.read_bytes() + b"mine\n")
    assert up_to_date(out, default_plan_path(), OPTIONS)[0] is None
    run = _cli("build", "--out", str(out), "--no-figure", "--snapshots", "no", "-q")
    assert run.returncode == 1  # the publisher still refuses to overwrite an edited file
    assert "was changed since maplayout wrote it" in run.stderr
    assert table.read_bytes().endswith(b"mine\n")
    table.unlink()
    assert up_to_date(out, default_plan_path(), OPTIONS)[0] is None


def test_a_plan_edit_or_a_layer_file_edit_is_not_up_to_date(tmp_path: Path) -> None:
    (tmp_path / "points.csv").write_text("lon,lat,name\n112.9,28.2,甲\n113.1,28.1,乙\n", "utf-8")
    layer = (
        "\nlayers:\n  - id: firms\n    file: points.csv\n    label: {zh-Hans: 企业, en: Firms}\n"
        "    datum: WGS-84\n    data_source: {title: {zh-Hans: 合成, en: Synthetic}, url: ''}\n"
        "sites:\n"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("\nsites:\n", layer, 1), encoding="utf-8")
    out = tmp_path / "maps"
    build(plan, out, figures=False, snapshots="no")
    assert up_to_date(out, plan, OPTIONS)[0] is not None
    (tmp_path / "points.csv").write_text("lon,lat,name\n112.9,28.2,甲\n", "utf-8")
    assert up_to_date(out, plan, OPTIONS)[0] is None
    build(plan, out, figures=False, snapshots="no")
    assert up_to_date(out, plan, OPTIONS)[0] is not None
    plan.write_text(plan.read_text("utf-8") + "\n# a comment\n", encoding="utf-8")
    assert up_to_date(out, plan, OPTIONS)[0] is None


def test_a_plan_edited_in_memory_never_claims_the_file_is_up_to_date(tmp_path: Path) -> None:
    import dataclasses

    from maplayout.plan import load_plan

    plan = load_plan()
    edited = dataclasses.replace(plan, id="edited-in-memory")
    out = tmp_path / "maps"
    build(edited, out, figures=False, snapshots="no")
    assert up_to_date(out, default_plan_path(), OPTIONS)[0] is None


def test_plan_warnings_and_misses_are_reported_again_when_up_to_date(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL.replace("label: {zh-Hans: 洞庭湖", "label: {zh-Hans: <b>洞庭湖", 1), "utf-8"
    )
    out = tmp_path / "maps"
    first = _cli("build", str(plan), "--out", str(out), "--no-figure", "--snapshots", "no", "-q")
    assert first.returncode == 0, first.stderr
    warned = [line for line in first.stderr.splitlines() if "warning" in line]
    again = _cli("build", str(plan), "--out", str(out), "--no-figure", "--snapshots", "no", "-q")
    assert again.stdout.splitlines()[-1] == "imported:"
    assert warned and [line for line in again.stderr.splitlines() if "warning" in line] == warned


def test_a_description_edit_reuses_the_figure_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import maplayout.print.figure as figure

    log = tmp_path / "drawn.txt"  # one line per figure drawn, here or in a forked child
    real = figure.make_figures

    def counting(model, paths, **kw):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as fh:
            fh.write(model.level + "\n")
        return real(model, paths, **kw)

    def drawn() -> list[str]:
        levels = sorted(log.read_text(encoding="utf-8").split()) if log.exists() else []
        log.unlink(missing_ok=True)
        return levels

    monkeypatch.setattr(figure, "make_figures", counting)
    plan = _plan_copy(tmp_path)
    out, clean = tmp_path / "maps", tmp_path / "clean"
    build(plan, out, snapshots="no", figure_worker=False)  # drawn (and counted)
    assert drawn() == ["county", "prefecture"]  # no snapshots: the county figure is the image
    for old, new, redrawn in (
        (*EDITED_DESCRIPTION, []),  # not on the figure: both figures reused
        (*EDITED_LABEL, ["county", "prefecture"]),  # on both figures
    ):
        _edit(plan, old, new)
        build(plan, out, snapshots="no", figure_worker=False)
        assert drawn() == redrawn
        build(plan, clean, snapshots="no", cache=False)
        drawn()  # the clean build's own
        assert _files(out) == _files(clean)


def test_the_figure_does_not_draw_what_its_model_view_blanks(tmp_path: Path) -> None:
    from maplayout.print.figure import make_figures

    for level, lang in (("prefecture", "zh-Hans"), ("county", "en")):
        model = build_model(None, level=level)
        full = make_figures(model, [tmp_path / "full.svg"], lang=lang)[0].read_bytes()
        view = make_figures(figure_model(model), [tmp_path / "view.svg"], lang=lang)[0]
        assert view.read_bytes() == full, level


def test_model_digest_is_stable_and_sees_every_field() -> None:
    import dataclasses

    model = build_model(None, level="prefecture")
    digest = model_digest(model)
    assert model_digest(build_model(None, level="prefecture")) == digest
    assert model_digest(build_model(None, level="county")) != digest
    units = model.units.copy()
    units.loc[0, "name_en"] = "Elsewhere"
    assert model_digest(dataclasses.replace(model, units=units)) != digest
    assert model_digest(dataclasses.replace(model, facts=[])) != digest
    assert model_digest(dataclasses.replace(model, plan=None)) == digest  # not model data


def test_an_unreadable_state_is_no_state(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    build(out=out, figures=False, snapshots="no")
    state = state_path(out)
    assert state is not None and state.is_file()
    for junk in (b"\xff not json", b"[]", json.dumps({"format": 99}).encode()):
        state.write_bytes(junk)
        assert up_to_date(out, default_plan_path(), OPTIONS)[0] is None
        assert ArtifactCache.open(out).artifacts == {}
    build(out=out, figures=False, snapshots="no")  # and the build just runs
    assert up_to_date(out, default_plan_path(), OPTIONS)[0] is not None


def test_a_cached_file_that_changed_is_made_again(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    (tmp_path / "a.png").write_bytes(b"first")
    stage = tmp_path / "stage"
    stage.mkdir()
    cache.record("k", [tmp_path / "a.png"])
    reopened = ArtifactCache(tmp_path, artifacts=dict(cache.made))
    assert reopened.fetch("k", stage, ["a.png"]) == [stage / "a.png"]
    assert (stage / "a.png").read_bytes() == b"first"
    (tmp_path / "a.png").write_bytes(b"edited")
    assert reopened.fetch("k", stage, ["a.png"]) is None
    assert reopened.fetch("k", stage, ["a.png", "b.png"]) is None  # other files asked
    os.symlink(tmp_path / "stage" / "a.png", tmp_path / "link.png")
    linked = ArtifactCache(tmp_path, artifacts={"k": {"link.png": cache.made["k"]["a.png"]}})
    assert linked.fetch("k", stage, ["link.png"]) is None  # never read through a symlink


def test_state_lives_in_the_user_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = state_path(tmp_path / "maps")
    assert path is not None and path.parent == tmp_path / "xdg" / "maplayout" / "builds"
    assert state_path(tmp_path / "maps") == path and state_path(tmp_path / "other") != path


def test_the_plan_package_imports_no_geopandas() -> None:
    code = "import sys, maplayout.plan, maplayout.publish.cache; print('geopandas' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["maplayout.geo", "maplayout.publish"])
def test_packages_import_every_public_name_on_first_use(name: str) -> None:
    """``maplayout.geo`` and ``maplayout.publish`` import their modules on first use: each
    public name maps to exactly one module, and the list is ``__all__``."""
    code = (
        f"import sys, {name} as p\n"
        "assert 'geopandas' not in sys.modules, 'imported at package import'\n"
        "eager = {n for n in p.__all__ if n in vars(p)}\n"
        "assert set(p._HOME) | eager == set(p.__all__), set(p.__all__) ^ set(p._HOME)\n"
        "assert all(getattr(p, n) is not None for n in p.__all__)\n"
        "assert sorted(dir(p)) == dir(p) and set(p.__all__) <= set(dir(p))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _fake_geodata(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A small stand-in for the geodata folder, its files last changed a minute ago; and
    the list of the files :func:`environment_digest` reads (hashes) from now on."""
    import maplayout._paths
    from maplayout.publish import cache

    root = folder / "geodata"
    (root / "boundaries").mkdir(parents=True)
    for name, text in (("manifest.json", "{}"), ("boundaries/a.geojson", '{"a": 1}')):
        (root / name).write_text(text, "utf-8")
        old = (root / name).stat().st_mtime_ns - 60 * 10**9
        os.utime(root / name, ns=(old, old))
    monkeypatch.setattr(maplayout._paths, "geodata_dir", lambda: root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "xdg"))
    monkeypatch.setattr(cache, "_RACY_NS", 300_000_000)  # remembered once 0.3 s old
    time.sleep(0.4)  # (writing them set their change times to now)
    hashed: list[str] = []
    real = cache._hash_file
    monkeypatch.setattr(cache, "_hash_file", lambda p, *a: hashed.append(str(p)) or real(p, *a))
    return root, hashed


def _environment() -> str:
    """:func:`environment_digest` computed afresh (it is computed once per process)."""
    environment_digest.cache_clear()
    try:
        return environment_digest(False)
    finally:
        environment_digest.cache_clear()


def test_the_environment_key_remembers_file_hashes_by_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, hashed = _fake_geodata(tmp_path, monkeypatch)
    key = _environment()
    assert str(root / "boundaries" / "a.geojson") in hashed  # nothing remembered yet
    memo = digests_path()
    assert memo is not None and memo.parent == tmp_path / "xdg" / "maplayout"
    assert str(root / "boundaries" / "a.geojson") in json.loads(memo.read_text("utf-8"))["files"]
    hashed.clear()
    assert _environment() == key
    assert not [p for p in hashed if p.startswith(str(root))]  # served by the memo


def test_the_environment_key_sees_an_edit_whose_times_were_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from maplayout.publish import cache

    root, hashed = _fake_geodata(tmp_path, monkeypatch)
    path = root / "boundaries" / "a.geojson"
    key = _environment()
    old = path.stat()
    path.write_text('{"a": 2}', "utf-8")  # same size; mtime put back: ctime still moves
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    hashed.clear()
    edited = _environment()
    assert edited != key and str(path) in hashed
    memo = digests_path()
    assert memo is not None
    memo.unlink()
    assert _environment() == edited  # the same key as with nothing remembered
    # a file changed just now is hashed, never remembered (same-tick writes keep times)
    monkeypatch.setattr(cache, "_RACY_NS", 2_000_000_000)  # the real margin
    path.write_text('{"a": 3}', "utf-8")
    fresh = _environment()
    assert fresh not in (key, edited)
    assert str(path) not in json.loads(memo.read_text("utf-8"))["files"]
    hashed.clear()
    assert _environment() == fresh and str(path) in hashed
