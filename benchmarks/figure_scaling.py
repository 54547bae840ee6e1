"""Scaling of the print figure: sites and data-layer points, beside the naive folium page.

For each case a fresh process builds the model (not timed), draws one figure to warm
matplotlib and the font cache, then times ``make_figures`` ``--repeat`` times: the PNG alone
(``png``) and the three formats a build writes (``svg+pdf+png``, at the build's dpi). Medians
are printed with the naive folium script's median time (the anchor of ``bench.py``, run in
the same session, interleaved) and the ratio figure / naive. Cases:

* ``default``: the default plan (10 sites);
* ``sites N``: the default plan with N generated sites (``make_points.site_plan``);
* ``points N`` / ``counts N``: the default plan with one layer of N synthetic points
  (``make_points.points_csv``), drawn as points or as proportional circles per unit.

Usage::

    python benchmarks/figure_scaling.py [--repeat 3] [--cases default,sites:300,...]
        [--naive PATH] [--write-docs]

``--write-docs`` replaces the "Figure scaling" section of ``docs/reports.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = json.loads((Path(__file__).with_name("naive-baseline.json")).read_text("utf-8"))
NAIVE = (ROOT / BASELINE["path"]).resolve()
CASES = (
    "default",
    "sites:300",
    "sites:1000",
    "sites:5000",
    "sites:20000",
    "points:20000",
    "counts:20000",
)
LAYER = """layers:
  - id: companies
    file: companies.csv
    label: {{zh-Hans: 人工智能企业, en: AI companies}}
    datum: GCJ-02
    style: {{figure: {mode}}}
    data_source: {{title: {{zh-Hans: 合成数据, en: Synthetic data}}}}
"""

_CHILD = """
import json, statistics, sys, time, warnings
sys.path.insert(0, {bench!r})
warnings.simplefilter("ignore")
from make_points import points_csv, site_plan
from maplayout._paths import default_plan_path
from maplayout.model import build_model
from maplayout.plan import load_plan, load_plan_text
from maplayout.print import make_figures
from maplayout.publish.reports import FIGURE_DPI
folder, kind, n, repeat = {folder!r}, {kind!r}, {n}, {repeat}
text = default_plan_path().read_text(encoding="utf-8")
if kind == "sites":
    plan = load_plan_text(site_plan(n))
elif kind in ("points", "counts"):
    open(folder + "/companies.csv", "w", encoding="utf-8").write(points_csv(n))
    layer = {layer!r}.format(mode=kind)
    open(folder + "/plan.yaml", "w", encoding="utf-8").write(
        text.replace("\\nsites:\\n", "\\n" + layer + "sites:\\n", 1))
    plan = load_plan(folder + "/plan.yaml")
else:
    plan = load_plan_text(text)
model = build_model(plan)
make_figures(model, [folder + "/warm.png"], dpi=FIGURE_DPI)
out = {{"sites": len(model.sites), "png": [], "all": []}}
for _ in range(repeat):
    t = time.perf_counter()
    make_figures(model, [folder + "/f.png"], dpi=FIGURE_DPI)
    out["png"].append(time.perf_counter() - t)
    paths = [folder + "/f." + e for e in ("svg", "pdf", "png")]
    t = time.perf_counter()
    make_figures(model, paths, dpi=FIGURE_DPI)
    out["all"].append(time.perf_counter() - t)
import os
out["bytes"] = {{e: os.path.getsize(folder + "/f." + e) for e in ("svg", "pdf", "png")}}
import re
out["pages"] = len(re.findall(rb"/Type /Page[^s]", open(folder + "/f.pdf", "rb").read()))
print(json.dumps(out))
"""


def measure(case: str, repeat: int) -> dict[str, object]:
    """One case in a fresh interpreter: medians of ``repeat`` figure times, sizes, pages."""
    kind, _, size = case.partition(":")
    with tempfile.TemporaryDirectory() as folder:
        code = _CHILD.format(
            bench=str(ROOT / "benchmarks"),
            folder=folder,
            kind=kind,
            n=int(size or 0),
            repeat=repeat,
            layer=LAYER,
        )
        run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    out = json.loads(run.stdout.decode().strip().splitlines()[-1])
    return {
        "case": case,
        "sites": out["sites"],
        "png": statistics.median(out["png"]),
        "all": statistics.median(out["all"]),
        "bytes": out["bytes"],
        "pages": out["pages"],
    }


def naive_seconds(naive: Path, repeat: int) -> float:
    """Median wall time of the naive folium page (city level), each run a fresh process."""
    if not naive.is_file():
        raise SystemExit(
            f"figure_scaling.py: naive benchmark script not found: {naive}; pass --naive PATH "
            "(it ships as bench/naive_folium.py in the shared material)"
        )
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, str(naive), f"{folder}/naive.html", "--level", "city"],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def _label(case: str) -> str:
    kind, _, size = case.partition(":")
    if kind == "default":
        return "default plan (10 sites)"
    n = f"{int(size):,}"
    return {
        "sites": f"{n} sites (+10)",
        "points": f"{n}-point layer, points",
        "counts": f"{n}-point layer, counts",
    }[kind]


def table(rows: list[dict[str, object]], naive: float) -> str:
    """The Markdown table: times, their ratios to the naive folium page and to the default
    figure's PNG (when measured: the same run's yardstick on a loaded machine), pages, sizes."""
    default = [float(r["png"]) for r in rows if r["case"] == "default"]  # type: ignore[arg-type]
    lines = [
        "| case | PNG (s) | SVG+PDF+PNG (s) | PNG ÷ naive folium | PNG ÷ default PNG "
        "| PDF pages | SVG / PDF / PNG (KB) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        sizes = row["bytes"]
        assert isinstance(sizes, dict)
        kb = " / ".join(f"{sizes[e] / 1024:,.0f}" for e in ("svg", "pdf", "png"))
        png, both = float(row["png"]), float(row["all"])  # type: ignore[arg-type]
        versus = f"{png / default[0]:.1f}" if default else "–"
        lines.append(
            f"| {_label(str(row['case']))} | {png:.2f} | {both:.2f} | {png / naive:.2f} "
            f"| {versus} | {row['pages']} | {kb} |"
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    """Replace the "Figure scaling" section of docs/reports.md (up to the next heading)."""
    path = ROOT / "docs" / "reports.md"
    doc = path.read_text(encoding="utf-8")
    marker = "\n### Figure scaling\n"
    head, found, rest = doc.partition(marker)
    if not found:
        raise SystemExit("figure_scaling.py: docs/reports.md has no '### Figure scaling' section")
    ends = [i for i in (rest.find("\n## "), rest.find("\n### ")) if i >= 0]
    tail = rest[min(ends) :] if ends else ""
    path.write_text(head + marker + "\n" + text + "\n" + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive", type=Path, default=NAIVE)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    naive = naive_seconds(args.naive, args.repeat)
    rows = []
    for case in args.cases.split(","):
        rows.append(measure(case, args.repeat))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    out = table(rows, naive)
    print(f"naive folium page (city): {naive:.2f} s (median of {args.repeat})")
    print(out)
    if args.write_docs:
        where = f"{platform.machine()}, Python {platform.python_version()}"
        note = (
            f"`python benchmarks/figure_scaling.py --repeat {args.repeat} --write-docs` "
            f"({where}; a shared 2-core machine with other jobs running, so the times are "
            f"noisy: medians of {args.repeat} runs in one warm process per case, the model "
            "built beforehand and not timed; the build's dpi). ÷ naive folium: the PNG "
            f"figure's time over the naive folium page's ({naive:.2f} s, median of "
            f"{args.repeat} fresh processes, `../shared/bench/naive_folium.py`, city level)."
        )
        write_docs(note + "\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
