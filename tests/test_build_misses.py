"""``maplayout build``: optional outputs that cannot be made, ``--strict``, progress lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maplayout.cli import main


def manifest(out: Path) -> dict:
    return json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def no_font(tmp_path, monkeypatch):
    """The bundled figure font gone (a broken installation)."""
    monkeypatch.setattr("maplayout.print.fonts.FONT_DIR", tmp_path / "nofonts")


def test_missing_figure_font_still_writes_the_maps_and_exits_0(tmp_path, no_font, capsys):
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--snapshots", "no", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"maplayout: warning: no print figures (the bundled figure font is missing: "
        f"{tmp_path / 'nofonts' / 'MaplayoutSansCJK-Regular.ttf'})"
    ]
    for name in ("hunan-ai-2023.html", "hunan-ai-2023-county.html", "index.html"):
        assert (out / name).is_file()
    assert (out / "hunan-ai-2023.embed.html").is_file()
    assert not list(out.glob("*.figure.*"))
    data = manifest(out)
    assert data["figures"].startswith("skipped: the bundled figure font is missing")
    assert "figure_font" not in data


def test_strict_makes_a_missed_output_exit_1(tmp_path, no_font, capsys):
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--snapshots", "no", "--strict", "-q"]) == 1
    err = capsys.readouterr().err
    assert "maplayout: error: --strict: hunan-ai-2023.html: figure skipped: " in err
    assert (out / "hunan-ai-2023.html").is_file()  # the maps are still written


def test_strict_passes_when_nothing_is_missed(tmp_path, capsys):
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--snapshots", "no", "--strict", "-q"]) == 0
    assert capsys.readouterr() == ("", "")  # -q: no progress, no file list, no warning
    assert manifest(out)["figures"] == "made"


def test_progress_lines_and_verbose_timings_change_no_file(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["build", "--out", str(a), "--snapshots", "no", "-v"]) == 0
    err = capsys.readouterr().err.splitlines()
    stages = [line.split(" in ")[0] for line in err if line.startswith("maplayout: ")]
    assert stages == [
        "maplayout: plan checked",
        "maplayout: maps written (2 files)",
        "maplayout: snapshots skipped: not requested",
        "maplayout: figures made (2 files)",
        "maplayout: done",
    ]
    assert any(line.startswith("  hunan-ai-2023.figure.svg/pdf/png ") for line in err)
    assert any(line.startswith("  hunan-ai-2023.html ") for line in err)
    assert main(["build", "--out", str(b), "--snapshots", "no", "-q"]) == 0
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_unknown_font_option_is_a_one_line_error_before_any_work(tmp_path, capsys):
    out = tmp_path / "maps"
    assert main(["build", "--out", str(out), "--font", "Comic Sans XYZ"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("maplayout: error: unknown font 'Comic Sans XYZ': not a font file")
    assert not out.exists()
