"""How long ``maplayout build --watch`` takes from a save to the reload signal.

Starts ``maplayout build PLAN --watch --no-figure --snapshots no`` on a temp copy of the
default Hunan plan, saves a changed title ``--repeat`` times and times each save until the
server's build generation changes (the moment an open page, polling every 0.4 s, is told to
reload; add up to 0.4 s for the page to notice). Side by side, in separate processes: a cold
``maplayout build`` of the same plan (what one pays without --watch, interpreter and imports
included) and the naive folium script (city level, benchmarks/README.md). Medians; prints a
Markdown table with ratios.

Usage::

    python benchmarks/watch_rebuild.py [--repeat 5] [--naive PATH]
"""

from __future__ import annotations

import argparse
import json
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = json.loads((Path(__file__).with_name("naive-baseline.json")).read_text("utf-8"))
PLAN = ROOT / "geodata" / "layouts" / "hunan-ai-2023.yaml"
BUILD = ["--no-figure", "--snapshots", "no", "-q"]


def _generation(url: str) -> int:
    with urllib.request.urlopen(url + "__maplayout__/generation", timeout=10) as response:
        return int(response.read())


def _watch_latencies(work: Path, repeat: int) -> tuple[float, list[float]]:
    """Seconds to the first build's URL, and each save's seconds to the new generation."""
    plan = work / "plan.yaml"
    original = PLAN.read_text("utf-8")
    plan.write_text(original, encoding="utf-8")
    cmd = [sys.executable, "-m", "maplayout", "build", str(plan), "--out", str(work / "w")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, *BUILD, "--watch"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout or []], daemon=True).start()
    try:
        url = lines.get(timeout=300).split()[1]
        first = time.perf_counter() - t0
        found = []
        for i in range(repeat):
            before = _generation(url)
            plan.write_text(original.replace("title:", f"# save {i}\ntitle:", 1), encoding="utf-8")
            t1 = time.perf_counter()
            while _generation(url) == before:
                if time.perf_counter() - t1 > 300:
                    raise SystemExit("watch_rebuild.py: no rebuild within 300 s")
                time.sleep(0.02)
            found.append(time.perf_counter() - t1)
            time.sleep(0.5)
        return first, found
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def _timed(cmd: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive", type=Path, default=(ROOT / BASELINE["path"]).resolve())
    args = parser.parse_args(argv)
    if not args.naive.is_file():
        raise SystemExit(f"watch_rebuild.py: naive benchmark script not found: {args.naive}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        first, saves = _watch_latencies(work, args.repeat)
        cold = _timed(
            [
                sys.executable,
                "-m",
                "maplayout",
                "build",
                str(PLAN),
                "--out",
                str(work / "c"),
                *BUILD,
            ],
            args.repeat,
        )
        naive = _timed(
            [sys.executable, str(args.naive), str(work / "naive.html"), "--level", "city"],
            args.repeat,
        )
    save, cold_s, naive_s = (statistics.median(x) for x in (saves, cold, naive))
    print(f"{args.repeat} repeats, medians (wall clock; a shared machine: noisy)\n")
    print("| what | seconds | vs naive folium |")
    print("|---|---:|---:|")
    print(f"| --watch: save → reload signal | {save:.2f} | {save / naive_s:.2f} |")
    print(f"| --watch: start → first build served | {first:.2f} | {first / naive_s:.2f} |")
    print(f"| cold `maplayout build` (new process) | {cold_s:.2f} | {cold_s / naive_s:.2f} |")
    print(f"| naive folium page (city, new process) | {naive_s:.2f} | 1.00 |")
    print(f"\nsaves: {', '.join(f'{s:.2f}' for s in saves)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
