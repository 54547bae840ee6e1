"""The benchmark script's command line (benchmarks/bench.py); the measurements themselves run
only by hand (speed is never asserted in tests)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_naive_option_names_a_missing_script_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    ran = []
    monkeypatch.setattr(bench, "run", lambda *a, **k: ran.append(a) or [])
    missing = tmp_path / "nowhere" / "naive_folium.py"
    with pytest.raises(SystemExit) as err:
        bench.main(["--naive", str(missing)])
    assert str(err.value) == (
        f"bench.py: naive benchmark script not found: {missing}; pass --naive PATH "
        "(it ships as bench/naive_folium.py in the shared material)"
    )
    assert ran == []


def test_naive_option_is_passed_to_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _bench()
    script = tmp_path / "naive.py"
    script.write_text("", encoding="utf-8")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(bench, "run", lambda repeat, naive: seen.update(r=repeat, n=naive) or [])
    assert bench.main(["--naive", str(script), "--repeat", "1"]) == 0
    assert seen == {"r": 1, "n": script}
    assert ROOT.parent / "shared" / "bench" / "naive_folium.py" == bench.NAIVE  # the default


def test_the_default_naive_script_is_the_recorded_reference() -> None:
    """benchmarks/naive-baseline.json names the default --naive script (and its SHA-256)."""
    bench = _bench()
    ref = json.loads((ROOT / "benchmarks" / "naive-baseline.json").read_text("utf-8"))
    assert (ROOT / ref["path"]).resolve() == bench.NAIVE
    assert re.fullmatch(r"[0-9a-f]{64}", ref["sha256"])
    assert "naive-baseline.json" in (ROOT / "benchmarks" / "README.md").read_text("utf-8")


def test_a_changed_default_baseline_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _bench()
    script = tmp_path / "naive_folium.py"
    script.write_text("print('not the recorded baseline')\n", encoding="utf-8")
    monkeypatch.setattr(bench, "NAIVE", script.resolve())
    bench._check_naive(script)
    assert "differs from the baseline recorded in benchmarks/naive-baseline.json" in (
        capsys.readouterr().err
    )
    monkeypatch.setitem(bench.BASELINE, "sha256", hashlib.sha256(script.read_bytes()).hexdigest())
    bench._check_naive(script)
    assert capsys.readouterr().err == ""


def test_maplayout_is_byte_compiled_like_an_install_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    script = tmp_path / "naive.py"
    script.write_text("", encoding="utf-8")
    compiled: list[int] = []
    monkeypatch.setattr(bench, "run", lambda repeat, naive: [])
    monkeypatch.setattr(bench, "compile_package", lambda: compiled.append(1) or "compiled")
    assert bench.main(["--naive", str(script), "--bytecode", "as-is"]) == 0
    assert compiled == [] and "maplayout timed as it is" in bench.table([])
    assert bench.main(["--naive", str(script)]) == 0
    assert compiled == [1] and "\n- compiled" in bench.table([])
