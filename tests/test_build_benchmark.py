"""The benchmark script's command line (benchmarks/bench.py); the measurements themselves run
only by hand (speed is never asserted in tests)."""

from __future__ import annotations

import importlib.util
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
