"""What snapshots cost a build: wall and CPU time of the snapshot step, and how much it slows
the build's own thread (the print figure is drawn there while the snapshots are taken).

Each repeat is a fresh process (interpreter start-up and imports included) that starts a
:class:`~maplayout.publish.snapshots.Snapshotter`, waits for it, shoots the two default maps
(``shot_many``, 1366×768) and closes it; its CPU time is the process's and every child it
waited for (the worker process, Chromium's processes), as ``/usr/bin/time`` counts.
A second measurement runs a fixed piece of pure-Python work (a stand-in for the figure) on
the main thread, alone and while the snapshots are taken, and prints how much longer it took.

Usage::

    python benchmarks/snapshot_speed.py [--repeat 5] [--maps DIR] [--against DIR]

``--maps`` is a folder with ``hunan-ai-2023.html`` and ``hunan-ai-2023-county.html`` (default:
built into a temporary folder first with ``--snapshots no --no-figure``). ``--against`` times
another checkout alongside (e.g. ``git worktree add /tmp/old main``), interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
res["own_cpu"] = time.process_time()  # this process only: what competes for its GIL
print(json.dumps(res))
"""

WORK = r"""
import time, sys
n = int(sys.argv[1]); s = time.perf_counter(); x = 0
for i in range(n):
    x += i * i % 7
print(time.perf_counter() - s)
"""


def _subreaper() -> bool:
    """Adopt orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``): Chromium's helper
    processes outlive their browser process by a moment and would otherwise be reaped by
    init, their CPU time counted nowhere (``/usr/bin/time`` misses it)."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _run(args: list[str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user+sys of the process and every descendant: the orphans
    adopted as subreaper included, waited for up to 5 s) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=cwd)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    end = time.monotonic() + 5
    while time.monotonic() < end:  # adopted orphans (Chromium's helpers) end shortly after
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.02)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if status != 0:
        sys.exit(f"snapshot_speed: {args[:3]} failed ({status})")
    return wall, cpu, out.decode()


def _med(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--maps", type=Path, default=None)
    ap.add_argument("--work", type=int, default=6_000_000, help="loop count of the busy work")
    ap.add_argument("--against", type=Path, default=None, help="another checkout to time alongside")
    args = ap.parse_args(argv)
    py = sys.executable
    adopted = _subreaper()
    # name: (command before its arguments MAPS OUT BUSY STEM..., working directory)
    kinds = {"this": ([py, "-c", CHILD], ROOT)}
    if args.against:
        kinds["against"] = ([py, "-c", CHILD], args.against.resolve())
    roots = {name: root for name, (_, root) in kinds.items()}
    with tempfile.TemporaryDirectory() as tmp:
        maps = args.maps
        if maps is None:
            maps = Path(tmp) / "maps"
            build = [py, "-m", "maplayout", "build", "--out", str(maps), "-q"]
            subprocess.run([*build, "--snapshots", "no", "--no-figure"], check=True, cwd=ROOT)
        got: dict[str, dict[str, list[float]]] = {k: {} for k in roots}
        pngs: dict[str, dict[str, bytes]] = {}
        alone: list[float] = []
        for _ in range(args.repeat):  # interleaved: load changes hit every kind alike
            alone.append(float(_run([py, "-c", WORK, str(args.work)])[2]))
            for name, (head, root) in kinds.items():
                out = Path(tmp) / name
                out.mkdir(exist_ok=True)
                wall, cpu, text = _run([*head, str(maps), str(out), "0", *STEMS], root)
                row = {"wall": wall, "cpu": cpu, **json.loads(text)}
                cmd = [*head, str(maps), str(out), str(args.work), *STEMS]
                busy = json.loads(_run(cmd, root)[2])
                row |= {"work_busy": busy["work_busy"], "shots_busy": busy["shots"]}
                for key, value in row.items():
                    got[name].setdefault(key, []).append(value)
                pngs[name] = {st: (out / f"{st}.png").read_bytes() for st in STEMS}
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; {args.repeat} repeats")
    print("CPU: every descendant" + ("" if adopted else " waited for (no subreaper: undercounts)"))
    print(f"main-thread work alone: {_med(alone)} s (median)")
    for name, rows in got.items():
        med = {k: statistics.median(v) for k, v in rows.items()}
        print(f"[{name}] {roots[name]}")
        print(
            f"  snapshot step (start, 2 shots, close): {med['wall']:.2f} s wall, "
            f"{med['cpu']:.2f} s CPU (children included), {med['own_cpu']:.2f} s CPU in-process"
        )
        print(
            "  phases: " + ", ".join(f"{k} {med[k]:.2f} s" for k in ("started", "shots", "close"))
        )
        print(
            f"  main thread busy meanwhile: shots {med['shots_busy']:.2f} s, the work "
            f"{med['work_busy']:.2f} s = {med['work_busy'] / statistics.median(alone):.2f}× alone"
        )
        print("  PNG bytes: " + ", ".join(f"{st} {len(b):,}" for st, b in pngs[name].items()))
    for name in pngs:
        if name != "this":
            print(f"same PNG bytes in this and {name}: {pngs['this'] == pngs[name]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
