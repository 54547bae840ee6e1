"""Atomic writes: a failed build leaves previous outputs untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from maplayout._atomic import atomic_dir, write_text_atomic
from maplayout.errors import BuildError


def test_write_text_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    write_text_atomic(target, "一")
    write_text_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_atomic_dir_commits_on_success(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "keep.txt").write_text("user file")
    with atomic_dir(out) as stage:
        (stage / "map.html").write_text("new")
        (stage / "kit").mkdir()
        (stage / "kit" / "snippet.html").write_text("x")
    assert (out / "map.html").read_text() == "new"
    assert (out / "kit" / "snippet.html").read_text() == "x"
    assert (out / "keep.txt").read_text() == "user file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".maps.staging")]


def test_atomic_dir_failure_leaves_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "map.html").write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_dir(out) as stage:
        (stage / "map.html").write_text("half")
        raise RuntimeError("boom")
    assert (out / "map.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]


def test_output_folder_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep")
    with pytest.raises(BuildError) as err, atomic_dir(afile):
        pass
    assert str(err.value) == f"{afile}: exists and is not a folder; choose another output folder"
    assert afile.read_text() == "keep"


def test_unwritable_places_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as err:
        write_text_atomic("/proc/nope/x.svg", "x")
    assert str(err.value).startswith("/proc/nope: cannot create the folder (")
    with pytest.raises(BuildError) as err:
        write_text_atomic(tmp_path, "x")
    assert str(err.value) == f"{tmp_path}: is a folder; give a file name"
