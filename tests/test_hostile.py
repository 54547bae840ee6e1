"""Hostile-input corpus (issue 9): each case pins the exit code and the first line of the
message, checks the output folder after the run, is bounded by a timeout and, where memory
was the problem, checks the peak memory of the child process (< 300 MB)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maplayout._paths import default_plan_path, geodata_dir
from maplayout.publish.publisher import HIDDEN, Publisher

MB = 1024  # ru_maxrss is in KiB on Linux
# Runs argv as a child and prints the child's peak memory (KiB) last on stdout.
_WRAP = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(r.returncode)\n"
)
PLAN = default_plan_path().read_text(encoding="utf-8")


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, str, str, int]:
    """``(exit code, first stderr line, stdout without the memory line, peak KiB)``."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAP, sys.executable, "-m", "maplayout", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
    out_lines = proc.stdout.splitlines()
    first = proc.stderr.splitlines()[0] if proc.stderr else ""
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, first, "\n".join(out_lines[:-1]), int(out_lines[-1])


def mutated(tmp: Path, *pairs: tuple[str, str], name: str = "plan.yaml") -> Path:
    """The default plan with each ``(old, new)`` text swapped once, written to ``tmp/name``."""
    text = PLAN
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def listing(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


FAST = ("--no-figure", "--snapshots", "no")


# ------------------------------------------------------------------ 1. ownership of outputs
def test_foreign_manifest_through_a_symlink_deletes_nothing_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    out = tmp_path / "maps"
    out.mkdir()
    (out / "link").symlink_to(outside)
    sha = hashlib.sha256(b"mine").hexdigest()
    manifest = {"tool": "maplayout", "files": [{"path": "link/victim.txt", "sha256": sha}]}
    (out / "build-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, err, stdout, _ = run("build", "--out", str(out), *FAST)
    assert (code, err) == (0, "")
    assert victim.read_text(encoding="utf-8") == "mine"
    assert "  link/victim.txt: reached through a symlink" in stdout.splitlines()


def test_edited_output_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    assert run("build", "--out", str(out), *FAST)[0] == 0
    edited = out / "hunan-ai-2023.table.md"
    edited.write_text("my notes\n", encoding="utf-8")
    before = listing(out)
    code, err, _, _ = run("build", "--out", str(out), *FAST)
    assert code == 1
    assert err == (
        f"maplayout: error: {edited}: was changed since maplayout wrote it; maplayout will not "
        "overwrite it. Move it away, choose another --out, or pass --force to replace it"
    )
    assert listing(out) == before
    assert not (out / HIDDEN).exists()
    assert run("build", "--out", str(out), *FAST, "--force")[0] == 0
    assert edited.read_text(encoding="utf-8") != "my notes\n"


def test_edited_stale_file_is_left_alone_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    assert run("build", "--out", str(out), *FAST)[0] == 0
    kept = out / "hunan-ai-2023.alt.txt"
    kept.write_text("edited\n", encoding="utf-8")
    other = mutated(tmp_path, ("id: hunan-ai-2023", "id: hunan-other"))
    code, _, stdout, _ = run("build", str(other), "--out", str(out), *FAST)
    assert code == 0
    assert "  hunan-ai-2023.alt.txt: was changed since maplayout wrote it" in stdout.splitlines()
    assert kept.read_text(encoding="utf-8") == "edited\n"
    assert not (out / "hunan-ai-2023.html").exists()  # unchanged stale output: deleted
    assert (out / "hunan-other.html").is_file()


def test_out_dot_does_not_overwrite_the_users_index(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>my homepage</p>", encoding="utf-8")
    code, err, _, _ = run("build", "--out", ".", *FAST, cwd=tmp_path)
    assert code == 1
    assert err.startswith(
        "maplayout: error: index.html: was not written by maplayout (not in its build manifest);"
    )
    assert sorted(os.listdir(tmp_path)) == ["index.html"]
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>my homepage</p>"


def test_manifest_with_files_of_the_wrong_type(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "build-manifest.json").write_text('{"tool": "maplayout", "files": "x"}', "utf-8")
    code, err, _, _ = run("build", "--out", str(out), *FAST)
    assert code == 1
    assert err.startswith(
        f"maplayout: error: {out / 'build-manifest.json'}: is not maplayout's build manifest: "
        "its 'files' entry is str, expected a list; maplayout will not overwrite it."
    )
    assert sorted(os.listdir(out)) == ["build-manifest.json"]


# ------------------------------------------------------------------ 2. bounded input
@pytest.mark.parametrize(
    ("source", "what"),
    [("/dev/zero", "a device"), ("/dev/urandom", "a device"), ("fifo", "a pipe (FIFO)")],
)
def test_endless_plans_are_refused_without_reading(tmp_path: Path, source: str, what: str) -> None:
    if source == "fifo":
        source = str(tmp_path / "plan.fifo")
        os.mkfifo(source)
    code, err, _, peak = run("validate", source, timeout=60)
    assert code == 2
    assert err == f"{source}: <plan>: is {what}, not a plan file"
    assert peak < 300 * MB


def test_plan_folder_is_refused(tmp_path: Path) -> None:
    code, err, _, _ = run("build", str(tmp_path), "--out", str(tmp_path / "out"), timeout=60)
    assert (code, err) == (2, f"{tmp_path}: <plan>: is a folder, not a plan file")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ 3. non-finite numbers
@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_fact_values_are_refused(tmp_path: Path, value: str) -> None:
    plan = mutated(tmp_path, ("        value: 10\n", f"        value: {value}\n"))
    code, err, _, _ = run("validate", str(plan), timeout=60)
    shown = {".nan": "nan", ".inf": "inf", "-.inf": "-inf"}[value]
    assert code == 2
    assert err.endswith(
        f"clusters[0].targets[0].value: value out of range: {shown}; "
        "expected a number from -1e+15 to 1e+15"
    )


# ------------------------------------------------------------------ 4. text is text
def test_dollars_in_texts_are_printed_as_typed(tmp_path: Path) -> None:
    plan = mutated(
        tmp_path,
        ("  en: One core, two corridors, many supporting nodes\n", "  en: Cost $5–$10 a $x$\n"),
    )
    out = tmp_path / "maps"
    code, err, _, _ = run(
        "build", str(plan), "--out", str(out), "--lang", "en", "--snapshots", "no"
    )
    assert (code, err) == (0, "")
    assert "Cost $5–$10 a $x$" in (out / "hunan-ai-2023.figure.svg").read_text(encoding="utf-8")


# ------------------------------------------------------------------ 5. CSV formula injection
def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    core = "label: {zh-Hans: 一核（创新策源地）, zh-Hant: 一核（創新策源地）, en: Core"
    plan = mutated(tmp_path, (core, "label: {zh-Hans: '=1+2', zh-Hant: '@SUM(A1)', en: Core"))
    out = tmp_path / "maps"
    assert run("build", str(plan), "--out", str(out), *FAST)[0] == 0
    csv_text = (out / "hunan-ai-2023.table.csv").read_text(encoding="utf-8-sig")
    cells = [c for line in csv_text.splitlines() for c in line.split(",")]
    assert "'=1+2" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    md = (out / "hunan-ai-2023.table.md").read_text(encoding="utf-8")
    assert "| '=1+2 |" in md
    assert "| =1+2 |" not in md


# ------------------------------------------------------------------ 6. atomic publish
def _consistent(out: Path) -> set[str]:
    """The folder holds exactly what its manifest lists (with those hashes); return it."""
    assert not (out / HIDDEN).exists()
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    here = listing(out)
    here.pop("build-manifest.json")
    assert here == listed
    return set(listed)


def test_killed_publish_leaves_old_or_new_set(tmp_path: Path) -> None:
    pristine = tmp_path / "old"
    assert run("build", "--out", str(pristine), *FAST)[0] == 0
    old = _consistent(pristine)
    other = mutated(tmp_path, ("id: hunan-ai-2023", "id: hunan-b"))
    full = tmp_path / "full"
    shutil.copytree(pristine, full)
    assert run("build", str(other), "--out", str(full), *FAST)[0] == 0
    new = _consistent(full)
    steps = 1 + len(new) + 1 + len(old - new)  # journal, moves, manifest, deletions
    for kill_at in sorted({0, 1, 2, 3, steps // 2, steps - 3, steps - 2, steps - 1, steps}):
        out = tmp_path / f"k{kill_at}"
        shutil.copytree(pristine, out)
        env = {"MAPLAYOUT_TEST_KILL_AT": str(kill_at)}
        proc = subprocess.run(
            [sys.executable, "-m", "maplayout", "build", str(other), "--out", str(out), *FAST],
            env={**os.environ, **env},
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == -9, (kill_at, proc.stderr)
        assert (out / HIDDEN).is_dir()  # staging (and the journal from step 1 on) left behind
        Publisher(out, "build-manifest.json").close()  # what the next build does first
        expected = old if kill_at == 0 else new
        assert _consistent(out) == expected, kill_at


# ------------------------------------------------------------------ 7. snapshot deadlines
def test_busy_page_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    page = tmp_path / "busy.html"
    page.write_text(
        '<!doctype html><title>x</title><script>addEventListener("load", () => '
        "setTimeout(() => { for (;;) {} }, 0));</script>",
        encoding="utf-8",
    )
    png = tmp_path / "busy.png"
    code, err, _, _ = run("snapshot", str(page), "--out", str(png), "--timeout", "2", timeout=90)
    assert (code, err) == (
        1,
        f"maplayout: error: {page}: snapshot: no result within 12 s; Chromium was stopped",
    )
    assert not png.exists()


def test_map_page_that_never_becomes_ready_fails(tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text(
        '<!doctype html><title>x</title><script type="application/json" id="maplayout-data">'
        '{"value": NaN}</script>',
        encoding="utf-8",
    )
    png = tmp_path / "blank.png"
    code, err, _, _ = run("snapshot", str(page), "--out", str(png), "--timeout", "2", timeout=90)
    assert (code, err) == (
        1,
        f"maplayout: error: {page}: the map did not finish drawing within 2 s "
        "(window.maplayout.ready never became true)",
    )
    assert not png.exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (("--width", "100000"), "width 100000 is out of range; expected a number from 100 to "
         "4096 CSS pixels"),
        (("--height", "0"), "height 0 is out of range; expected a number from 100 to 4096 CSS "
         "pixels"),
        (("--scale", "nan"), "scale nan is out of range; expected a number from 0.25 to 4"),
        (("--timeout", "-1"), "timeout -1.0 is out of range; expected a number from 1 to 600 "
         "seconds"),
        (("--width", "4096", "--height", "4096", "--scale", "2"), "snapshot of 4096×4096 at "
         "scale 2 is 67.1 million pixels; expected at most 16.8 million (4096×4096)"),
    ],
)  # fmt: skip
def test_snapshot_option_ranges(tmp_path: Path, option: tuple[str, ...], message: str) -> None:
    page = tmp_path / "p.html"
    page.write_text("<!doctype html><title>x</title>", encoding="utf-8")
    code, err, _, peak = run("snapshot", str(page), "--out", str(tmp_path / "p.png"), *option)
    assert (code, err) == (1, f"maplayout: error: {message}")
    assert peak < 300 * MB
    assert sorted(os.listdir(tmp_path)) == ["p.html"]


# ------------------------------------------------------------------ 8. reserved plan ids
@pytest.mark.parametrize("pid", ["index", "build-manifest", "build_manifest", "table"])
def test_reserved_plan_ids(tmp_path: Path, pid: str) -> None:
    plan = mutated(tmp_path, ("id: hunan-ai-2023", f"id: {pid}"))
    code, err, _, _ = run("build", str(plan), "--out", str(tmp_path / "out"), timeout=60)
    assert code == 2
    assert err == (
        f"{plan}:9: id: id {pid!r} is reserved: the build's own files use that name; expected "
        "an id other than index, build-manifest, alt, caption, embed, figure, iframe, table, thumb"
    )
    assert not (tmp_path / "out").exists()


def test_plan_id_with_a_trailing_newline(tmp_path: Path) -> None:
    plan = mutated(tmp_path, ("id: hunan-ai-2023", 'id: "hunan-ai-2023\\n"'))
    code, err, _, _ = run("validate", str(plan), timeout=60)
    assert (code, err) == (
        2,
        f"{plan}:9: id: bad id 'hunan-ai-2023\\n'; expected lower-case letters, digits, '-' or "
        "'_' (at most 64)",
    )


# ------------------------------------------------------------------ 9. one-line errors
@pytest.mark.parametrize("dpi", ["0", "10000"])
def test_figure_dpi_range(tmp_path: Path, dpi: str) -> None:
    out = tmp_path / "f.png"
    code, err, _, peak = run("figure", "--out", str(out), "--dpi", dpi, timeout=60)
    assert (code, err) == (
        1,
        f"maplayout: error: dpi {dpi} is out of range; expected a number from 50 to 400",
    )
    assert peak < 300 * MB
    assert not out.exists()


def _package_with_emptied_counties(tmp: Path) -> Path:
    """A copy of the package whose shipped counties file is emptied, its hash updated."""
    pkg = Path(str(__import__("maplayout").__file__)).parent
    root = tmp / "site"
    shutil.copytree(pkg, root / "maplayout", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(geodata_dir(), root / "maplayout" / "_geodata")
    geo = root / "maplayout" / "_geodata"
    rel = "boundaries/hunan-counties.geojson"
    data = b'{"type": "FeatureCollection", "features": []}\n'
    (geo / rel).write_bytes(data)
    manifest = json.loads((geo / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][rel] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (geo / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [("geodata", "check"), ("build", *FAST)])
def test_emptied_counties_file_with_updated_hash(tmp_path: Path, command: tuple[str, ...]) -> None:
    root = _package_with_emptied_counties(tmp_path)
    args = [*command, "--out", str(tmp_path / "out")] if command[0] == "build" else command
    code, err, _, _ = run(*args, cwd=tmp_path, env={"PYTHONPATH": str(root)}, timeout=120)
    counties = root / "maplayout" / "_geodata" / "boundaries" / "hunan-counties.geojson"
    assert code == 1
    assert err.endswith(
        f"{counties}: 0 units, manifest.json records 122 county units; run `maplayout geodata "
        "rebuild` or reinstall maplayout"
    )
    assert not (tmp_path / "out").exists()
