"""What snapshots cost a build: wall and CPU time of the snapshot step, and how much it slows
the build's own thread (the print figure is drawn there while the snapshots are taken).

Each repeat is a fresh process (interpreter start-up and imports included) that starts a
:class:`~maplayout.publish.snapshots.Snapshotter`, waits for it, shoots the two default maps
(``shot_many``, 1366×768) and closes it; its CPU time is the process's and every child it
waited for (Playwright's driver, Chromium, a worker process), as ``/usr/bin/time`` counts.
A second measurement runs a fixed piece of pure-Python work (a stand-in for the figure) on
the main thread, alone and while the snapshots are taken, and prints how much longer it took.

Usage::

    python benchmarks/snapshot_speed.py [--repeat 5] [--maps DIR]

``--maps`` is a folder with ``hunan-ai-2023.html`` and ``hunan-ai-2023-county.html`` (default:
built into a temporary folder first with ``--snapshots no --no-figure``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEMS = ("hunan-ai-2023", "hunan-ai-2023-county")

# One measured run, in a fresh interpreter: phases on stdout as JSON.
CHILD = r"""
import json, sys, time, threading
t0 = time.perf_counter()
from maplayout.publish.snapshots import Snapshotter
maps, out, busy = sys.argv[1], sys.argv[2], int(sys.argv[3])
stems = sys.argv[4:]

def work(n):
    s = time.perf_counter(); x = 0
    for i in range(n):
        x += i * i % 7
    return time.perf_counter() - s

res = {}
shots = Snapshotter().start()
t_start = time.perf_counter()
if busy:  # the main thread works (as the figure does) while a thread takes the shots
    done = {}
    def snap():
        shots.wait_started()
        s = time.perf_counter()
        shots.shot_many([(f"{maps}/{st}.html", f"{out}/{st}.png") for st in stems])
        done["shots"] = time.perf_counter() - s
    th = threading.Thread(target=snap); th.start()
    res["work_busy"] = work(busy)
    th.join()
    res.update(done)
else:
    shots.wait_started()
    res["started"] = time.perf_counter() - t_start
    s = time.perf_counter()
    shots.shot_many([(f"{maps}/{st}.html", f"{out}/{st}.png") for st in stems])
    res["shots"] = time.perf_counter() - s
s = time.perf_counter()
shots.close()
res["close"] = time.perf_counter() - s
res["total"] = time.perf_counter() - t0
print(json.dumps(res))
"""

WORK = r"""
import time, sys
n = int(sys.argv[1]); s = time.perf_counter(); x = 0
for i in range(n):
    x += i * i % 7
print(time.perf_counter() - s)
"""


def _run(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user+sys, waited-for children included) and stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"snapshot_speed: {args[:3]} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime, out.decode()


def _med(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--maps", type=Path, default=None)
    ap.add_argument("--work", type=int, default=6_000_000, help="loop count of the busy work")
    args = ap.parse_args(argv)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        maps = args.maps
        if maps is None:
            maps = Path(tmp) / "maps"
            build = [py, "-m", "maplayout", "build", "--out", str(maps), "-q"]
            subprocess.run([*build, "--snapshots", "no", "--no-figure"], check=True, cwd=ROOT)
        out = Path(tmp) / "png"
        out.mkdir()
        walls, cpus, phases = [], [], []
        alone, busy = [], []
        for _ in range(args.repeat):  # interleaved: load changes hit every kind alike
            cmd = [py, "-c", CHILD, str(maps), str(out), "0", *STEMS]
            wall, cpu, text = _run(cmd)
            walls.append(wall)
            cpus.append(cpu)
            phases.append(json.loads(text))
            alone.append(float(_run([py, "-c", WORK, str(args.work)])[2]))
            _, _, text = _run([py, "-c", CHILD, str(maps), str(out), str(args.work), *STEMS])
            busy.append(json.loads(text)["work_busy"])
        sizes = {st: (out / f"{st}.png").stat().st_size for st in STEMS}
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; {args.repeat} repeats")
    print(
        f"snapshot step (process: start, 2 shots, close): {_med(walls)} s wall, {_med(cpus)} s CPU"
    )
    for key in ("started", "shots", "close", "total"):
        print(f"  {key:8s} {_med([p[key] for p in phases])} s (median)")
    print("  PNG bytes: " + ", ".join(f"{st} {n:,}" for st, n in sizes.items()))
    ratio = statistics.median(busy) / statistics.median(alone)
    print(
        f"main-thread work: alone {_med(alone)} s, while shooting {_med(busy)} s "
        f"= {ratio:.2f}× (GIL and CPU contention)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
