"""The command line: user errors are one line on stderr with an exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from maplayout.cli import main

BAD_PLAN = """\
id: x
region: 湖南
title: {zh-Hans: 测试}
units:
  - place: 株州
    role: core
    source: P1
"""


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maplayout", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_build_lists_every_plan_problem_and_writes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text(BAD_PLAN, encoding="utf-8")
    out = tmp_path / "maps"
    proc = _run("build", str(plan), "--out", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines[-1] == "invalid plan: 3 problems"
    assert any("units[0].place: unknown place '株州'" in line for line in lines)
    assert any("missing required key 'source'" in line for line in lines)
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["snapshot", "{tmp}/missing.html", "--out", "{tmp}/x.png"],
         "maplayout: error: {tmp}/missing.html: no such HTML file to snapshot"),
        (["snapshot", "{tmp}/plan.yaml", "--out", "{tmp}/x.png"],
         "maplayout: error: {tmp}/plan.yaml: not an HTML file; snapshot takes a built map (.html)"),
        (["snapshot", "{tmp}/map.html", "--out", "{tmp}/x.jpg"],
         "maplayout: error: {tmp}/x.jpg: snapshots are PNG; name the output *.png"),
        (["build", "--out", "{tmp}/plan.yaml", "--no-figure", "--snapshots", "no"],
         "maplayout: error: {tmp}/plan.yaml: exists and is not a folder; "
         "choose another output folder"),
    ],
)  # fmt: skip
def test_file_problems_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    (tmp_path / "plan.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "map.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    code = main([a.format(tmp=tmp_path) for a in args])
    err = capsys.readouterr().err
    assert code == 1
    assert err == expected.format(tmp=tmp_path) + "\n"
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == "id: x\n"


def test_warnings_reach_the_user_as_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import warnings

    from maplayout import cli

    def noisy(_args: object) -> int:
        warnings.warn("no Chromium found; snapshots skipped", UserWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(cli, "_cmd_validate", noisy)
    assert main(["validate"]) == 0
    assert capsys.readouterr().err == "maplayout: warning: no Chromium found; snapshots skipped\n"


def test_python_dash_m_is_the_same_command() -> None:
    proc = _run("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("maplayout ")


def test_validate_summary_of_a_sparse_plan_has_no_empty_fields(tmp_path: Path) -> None:
    plan = tmp_path / "sparse.yaml"
    plan.write_text(
        "id: sparse\nregion: 湖南\ntitle: {zh-Hans: 稀疏, en: Sparse}\n"
        "source: {publication: {zh-Hans: 某报, en: Some paper}, date: 2024-01-01, "
        "paragraphs: [P1]}\nunits:\n  - {place: 长沙, role: core, source: P1}\n",
        encoding="utf-8",
    )
    proc = _run("validate", str(plan))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "plan sparse: 稀疏 / Sparse",
        f"  file: {plan}",
        "  source: 某报 2024-01-01, paragraphs P1",
        "  region: 湖南省 (430000)",
        "  units: 1 (core 1); groups: 0; links: 0",
        "  sites: 0 (0 not surveyed); facts: 0 (none)",
        "  valid",
    ]


def test_a_build_runs_with_fewer_collections_and_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from maplayout import cli
    from maplayout.publish import pipeline

    seen: list[tuple[int, int, int]] = []
    real = pipeline.build

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", spy)
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--no-figure", "--snapshots", "no", "-q"]) == 0
    assert seen == [cli.BUILD_GC_THRESHOLD] != [before]
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen  # called with argv


def test_the_build_command_freezes_its_objects_when_the_process_ends(tmp_path: Path) -> None:
    code = (
        "import gc, sys\nfrom maplayout.cli import main\n"
        f"sys.argv = ['maplayout', 'build', '--out', {str(tmp_path / 'maps')!r}, "
        "'--no-figure', '--snapshots', 'no', '-q']\n"
        "rc = main()\nprint(rc, gc.get_freeze_count() > 1000, gc.get_threshold())\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[0] == "0 True (700, 10, 10)"
    assert (tmp_path / "maps" / "index.html").is_file()
