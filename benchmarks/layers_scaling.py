"""Scaling of data layers: validate + model build for 10 … 20,000 points, with peak RSS.

For each size a fresh process (so the peak RSS is that size's own) writes a synthetic GCJ-02
CSV (``make_points.points_csv``) beside a copy of the default plan with one layer, then times
``check_plan`` (read, decode, check every row, convert to WGS-84) and ``build_model``
(including the point-in-unit join and the counts), and reports its peak RSS. The page and
figure columns of the series come when the figure draws layers (issue #13); the page's
series is ``benchmarks/layers_page.py``.

Usage::

    python benchmarks/layers_scaling.py [--sizes 10,100,1000,5000,20000] [--write-docs]

``--write-docs`` replaces the "Numbers" section of ``docs/layers.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10, 100, 1000, 5000, 20000)
LAYER = """layers:
  - id: companies
    file: companies.csv
    label: {zh-Hans: 人工智能企业, en: AI companies}
    datum: GCJ-02
    category: 类别
    weight: 员工数
    data_source: {title: {zh-Hans: 合成数据, en: Synthetic data}}
"""

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {bench!r})
from make_points import points_csv
from maplayout._paths import default_plan_path
folder, n = {folder!r}, {n}
open(folder + "/companies.csv", "w", encoding="utf-8").write(points_csv(n))
text = default_plan_path().read_text(encoding="utf-8")
open(folder + "/plan.yaml", "w", encoding="utf-8").write(
    text.replace("\\nsites:\\n", "\\n" + {layer!r} + "sites:\\n", 1))
from maplayout.plan import check_plan
from maplayout.model import build_model
t0 = time.perf_counter()
plan, problems = check_plan(folder + "/plan.yaml")
t1 = time.perf_counter()
model = build_model(plan)
t2 = time.perf_counter()
assert len(model.layer_points) == n, problems[:3]
print(json.dumps({{"n": n, "validate": t1 - t0, "model": t2 - t1,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(n: int) -> dict[str, float]:
    """One size in a fresh interpreter: seconds to validate, to build the model; peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        code = _CHILD.format(bench=str(ROOT / "benchmarks"), folder=folder, n=n, layer=LAYER)
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| points | validate (s) | model build (s) | peak RSS (MB) |",
        "|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {int(row['n']):,} | {row['validate']:.2f} | {row['model']:.2f} "
            f"| {row['rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "layers.md"
    doc = path.read_text(encoding="utf-8")
    head = doc.split("\n## Numbers\n")[0].rstrip("\n")
    path.write_text(head + "\n\n## Numbers\n\n" + text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    rows = [measure(int(n)) for n in args.sizes.split(",")]
    out = table(rows)
    print(out)
    if args.write_docs:
        where = f"{platform.machine()}, {platform.python_version()}"
        note = (
            f"`python benchmarks/layers_scaling.py --write-docs` ({where}; a shared 2-core "
            "machine, one run per size in a fresh process: validate = read, decode, check "
            "every row, GCJ-02 → WGS-84; model build = the default plan's model plus the "
            "point-in-unit join and the counts; peak RSS of that process). The page's "
            "numbers are in the section above (`benchmarks/layers_page.py`); the figure's "
            "come with the figure's part of issue #13."
        )
        write_docs(note + "\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
