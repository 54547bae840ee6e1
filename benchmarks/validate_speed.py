"""Time ``validate_plan`` on a plan, each run a fresh process, and compare two checkouts.

Issue #11 moved place names to the national resolver; a plan over Hunan must validate as fast
as before (its places are looked up in the shipped Hunan files first). Run it with this
checkout's interpreter and, for comparison, another checkout's (``--other``)::

    python benchmarks/validate_speed.py [PLAN] [--repeat 7] [--other /work/main/.venv/bin/python]

Prints the median and every run, per interpreter, and the ratio. Timings on a shared machine
are noisy: runs alternate between the interpreters so that both see the same load.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile

CODE = (
    "import sys, time\n"
    "t = time.perf_counter()\n"
    "from maplayout.plan import validate_plan\n"
    "problems = validate_plan(sys.argv[1] if len(sys.argv) > 1 else None)\n"
    "import maplayout.geo.china as c\n"
    "print(time.perf_counter() - t, len(problems), c._index.cache_info().currsize)\n"
)


def _run(python: str, plan: str | None) -> tuple[float, int, int]:
    args = [python, "-c", CODE, *([plan] if plan else [])]
    with tempfile.TemporaryDirectory() as cwd:  # never import the checkout from the cwd
        out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=cwd).stdout
    seconds, problems, national = out.split()
    return float(seconds), int(problems), int(national)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plan", nargs="?", help="plan file (default: the embedded Hunan plan)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--other", help="another checkout's python, for the ratio")
    args = ap.parse_args()
    pythons = [sys.executable, *([args.other] if args.other else [])]
    runs: dict[str, list[float]] = {p: [] for p in pythons}
    seen: dict[str, tuple[int, int]] = {}
    for _ in range(args.repeat):
        for python in pythons:
            seconds, problems, national = _run(python, args.plan)
            runs[python].append(seconds)
            seen[python] = (problems, national)
    for python, times in runs.items():
        problems, national = seen[python]
        print(
            f"{python}: validate median {statistics.median(times):.3f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in times)}; {problems} problems; "
            f"national index built: {'yes' if national else 'no'})"
        )
    if args.other:
        ratio = statistics.median(runs[sys.executable]) / statistics.median(runs[args.other])
        print(f"ratio this / other: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
