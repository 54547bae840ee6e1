"""CPU of the default build's print figures, optionally beside another source tree.

The build draws two figures: the layout map (SVG + PDF + PNG) and the county view (PNG), at
the build's resolution (``FIGURE_DPI``). Each run is a fresh interpreter that builds both
models (not timed), then times

* ``cold``: the first ``make_figures`` of each (matplotlib's import, the font, caches), as in a
  build, which draws each figure once;
* ``warm``: ``--repeat`` more of each (drawing alone),

as wall seconds and CPU seconds of the process, and the CPU seconds the cyclic garbage
collector took (``gc.callbacks``). It prints the SHA-256 of every file written, so two trees
can be shown to write the same bytes. With ``--against DIR`` (a checkout of another commit,
e.g. ``git worktree add /tmp/base main``, or
``git archive main maplayout geodata | tar -x -C /tmp/base``), the runs of the two trees
alternate (``--rounds`` each) and the medians are printed side by side with the ratio
this / other. Time numbers are noisy on a busy machine: the load average is
printed with each run; compare CPU seconds, and minima as well as medians.

Usage::

    python benchmarks/figure_cpu.py [--repeat 5] [--rounds 3] [--against DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import gc, hashlib, json, os, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {tree!r})
from maplayout._paths import default_plan_path
from maplayout.model import build_model
from maplayout.plan import load_plan
from maplayout.publish.reports import FIGURE_DPI, figure_model

plan = load_plan(default_plan_path())
models = {{
    "layout": figure_model(build_model(plan, level="prefecture")),
    "county": figure_model(build_model(plan, level="county")),
}}
out = {folder!r}
paths = {{
    "layout": [out + "/layout.figure." + e for e in ("svg", "pdf", "png")],
    "county": [out + "/county.figure.png"],
}}
spent = [0.0]
began = [0.0]

def watch(phase, info):
    if phase == "start":
        began[0] = time.process_time()
    else:
        spent[0] += time.process_time() - began[0]

gc.callbacks.append(watch)

def timed(make, name):
    spent[0] = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    make(models[name], paths[name], dpi=FIGURE_DPI)
    return time.perf_counter() - wall, time.process_time() - cpu, spent[0]

wall, cpu = time.perf_counter(), time.process_time()
from maplayout.print import make_figures
result = {{"import": [time.perf_counter() - wall, time.process_time() - cpu, 0.0]}}
for name in models:
    result["cold " + name] = list(timed(make_figures, name))
for name in models:
    result["warm " + name] = [list(timed(make_figures, name)) for _ in range({repeat})]
result["sha256"] = {{
    os.path.basename(p): hashlib.sha256(open(p, "rb").read()).hexdigest()
    for name in models for p in paths[name]
}}
result["file"] = __import__("maplayout").__file__
print(json.dumps(result))
"""


def run(tree: Path, repeat: int) -> dict[str, object]:
    """One fresh interpreter drawing the figures with the sources in ``tree``."""
    with tempfile.TemporaryDirectory() as folder:
        code = _CHILD.format(tree=str(tree), folder=folder, repeat=repeat)
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, cwd=folder
        )
    out: dict[str, object] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    if not str(out["file"]).startswith(str(tree)):
        raise SystemExit(f"figure_cpu.py: {tree} was not imported (got {out['file']})")
    out["load"] = os.getloadavg()[0]
    return out


def _rows(runs: list[dict[str, object]]) -> dict[str, tuple[float, float, float, float]]:
    """Per measurement: median wall, median CPU, min CPU, median GC CPU (seconds)."""
    rows = {}
    for key in ("import", "cold layout", "cold county", "warm layout", "warm county"):
        samples: list[list[float]] = []
        for r in runs:
            value = r[key]
            assert isinstance(value, list)
            samples += value if key.startswith("warm") else [value]
        rows[key] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
            min(s[1] for s in samples),
            statistics.median(s[2] for s in samples),
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm draws per run")
    parser.add_argument("--rounds", type=int, default=3, help="fresh runs per tree")
    parser.add_argument("--against", type=Path, help="another source tree to compare with")
    args = parser.parse_args(argv)
    trees = {"this": ROOT}
    if args.against is not None:
        other = args.against.resolve()
        if not (other / "maplayout" / "__init__.py").is_file():
            raise SystemExit(f"figure_cpu.py: --against {other}: no maplayout/ package there")
        trees["other"] = other
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
    for i in range(args.rounds):
        for name, tree in trees.items():
            result = run(tree, args.repeat)
            runs[name].append(result)
            print(f"round {i + 1} {name}: load {result['load']:.1f}", file=sys.stderr)
    table = {name: _rows(r) for name, r in runs.items()}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; seconds")
    print(f"{'':12s} {'tree':6s} {'wall med':>8s} {'cpu med':>8s} {'cpu min':>8s} {'gc med':>7s}")
    for key in table["this"]:
        for name in trees:
            wall, cpu, low, gc_cpu = table[name][key]
            print(f"{key:12s} {name:6s} {wall:8.3f} {cpu:8.3f} {low:8.3f} {gc_cpu:7.3f}")
        if "other" in table:
            ratio = table["this"][key][1] / table["other"][key][1]
            print(f"{key:12s} cpu this/other {ratio:.2f}")
    shas = {name: r[-1]["sha256"] for name, r in runs.items()}
    if "other" in shas:
        same = shas["this"] == shas["other"]
        print("figure bytes:", "the same in both trees" if same else "DIFFERENT")
        if not same:
            print(json.dumps(shas, indent=1))
    else:
        print(json.dumps(shas["this"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
