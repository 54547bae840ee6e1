"""Side-by-side benchmark: ``maplayout build`` against the naive folium page, in one run.

Runs ``../shared/bench/naive_folium.py`` (the anchor: what a folium user writes by hand from
the same boundary source, at city and county level) and ``maplayout build`` as separate
processes, each timed wall-clock from process start to exit (interpreter start-up and imports
included, for both), repeated and summarised by the median. Prints a Markdown table with
sizes, times, ratios and external URL counts; ``--write-docs`` puts it into docs/maps.md
(section "Benchmark").

Usage::

    python benchmarks/bench.py [--repeat 3] [--write-docs] [--naive PATH]

``--naive`` names the naive script when the checkout is not beside ``../shared``
(default: the path in ``benchmarks/naive-baseline.json``, ``../shared/bench/naive_folium.py``
relative to the checkout; see benchmarks/README.md). A default script whose SHA-256 differs
from the one recorded there is named in a note on stderr: the baseline moved.

Extending: other stages add rows by appending a function to :data:`MEASUREMENTS`; it gets a
:class:`Context` and returns a list of :class:`Row` (e.g. figure or snapshot timings)::

    from benchmarks.bench import MEASUREMENTS, Row
    MEASUREMENTS.append(lambda ctx: [Row("figure (PDF)", seconds=..., nbytes=...)])
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = json.loads((Path(__file__).with_name("naive-baseline.json")).read_text("utf-8"))
NAIVE = (ROOT / BASELINE["path"]).resolve()
DOCS = ROOT / "docs" / "maps.md"
_URL = re.compile(r'(?:src|href)="(https?://[^"]+)"')  # the same count naive_folium.py prints
_LOAD = re.compile(r'(?:src="https?://|<link[^>]+href="https?://|url\(["\']?https?://)')


@dataclass
class Row:
    """One measured thing: a wall time, an output size and the URLs its page references."""

    name: str
    seconds: float | None = None
    nbytes: int | None = None
    external_urls: int | None = None  # absolute src/href URLs (naive_folium.py's count)
    external_loads: int | None = None  # of those, what the page fetches (scripts, styles)
    note: str = ""


@dataclass
class Context:
    """Shared state of one benchmark run (a scratch folder and the repeat count)."""

    work: Path
    repeat: int = 3
    python: str = sys.executable
    naive: Path = NAIVE
    results: dict[str, Row] = field(default_factory=dict)


def _timed(cmd: list[str], repeat: int, cwd: Path = ROOT) -> tuple[float, str]:
    """Median wall time of ``cmd`` over ``repeat`` runs, and the last run's stdout."""
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr}")
        out = proc.stdout
    return statistics.median(times), out


def _page_counts(path: Path) -> tuple[int, int, int]:
    html = path.read_text(encoding="utf-8")
    return path.stat().st_size, len(set(_URL.findall(html))), len(_LOAD.findall(html))


def _check_naive(path: Path) -> None:
    """Exit with a one-line message when the naive script is missing."""
    if not path.is_file():
        raise SystemExit(
            f"bench.py: naive benchmark script not found: {path}; pass --naive PATH "
            f"(it ships as bench/naive_folium.py in the shared material)"
        )
    if path.resolve() == NAIVE:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != BASELINE["sha256"]:
            print(
                f"bench.py: note: {path} differs from the baseline recorded in"
                f" benchmarks/naive-baseline.json (sha256 {digest[:12]}…)",
                file=sys.stderr,
            )


def measure_maps(ctx: Context) -> list[Row]:
    """The naive folium pages (city, county) and ``maplayout build``, runs interleaved.

    Each repetition runs naive-city, naive-county and our build back to back, so a load
    spike on the (shared) machine hits both sides alike; the medians are reported.
    """
    _check_naive(ctx.naive)
    out = ctx.work / "maps"
    naive = str(ctx.naive)
    cmds = {
        "city": [ctx.python, naive, str(ctx.work / "naive-city.html"), "--level", "city"],
        "county": [
            ctx.python,
            naive,
            str(ctx.work / "naive-county.html"),
            "--level",
            "county",
        ],
        "build": [
            ctx.python,
            "-m",
            "maplayout",
            "build",
            "--out",
            str(out),
            "--no-figure",
            "--snapshots",
            "no",
            "--no-cache",  # a build, every run: not "up to date, nothing rewritten"
        ],
    }
    # the interactive maps alone: the same build with the report writers (issue 5) switched off
    maps_only = (
        "import sys, maplayout.publish.pipeline as e, maplayout.publish.reports as r; "
        "e._write_reports = lambda stage, maps, options: [r.MapReport() for _ in maps]; "
        "from maplayout.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    cmds["maps-only"] = [
        ctx.python,
        "-c",
        maps_only,
        "build",
        "--out",
        str(ctx.work / "maps-only"),
        "--no-figure",
        "--snapshots",
        "no",
        "--no-cache",
    ]
    times: dict[str, list[float]] = {k: [] for k in cmds}
    stdout: dict[str, str] = {}
    for _ in range(ctx.repeat):
        for key, cmd in cmds.items():
            seconds, stdout[key] = _timed(cmd, 1)
            times[key].append(seconds)
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = []
    for level in ("city", "county"):
        size, urls, loads = _page_counts(ctx.work / f"naive-{level}.html")
        rows.append(
            Row(f"naive folium ({level})", med[level], size, urls, loads, stdout[level].strip())
        )
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    maps = {m["key"]: out / m["path"] for m in manifest["maps"]}
    n = len(manifest["files"]) + 1
    rows.append(
        Row("maplayout build --no-figure", med["build"], note=f"{n} files, embed kit incl.")
    )
    rows.append(Row("maplayout build, maps only", med["maps-only"], note="report writers off"))
    for label, page in (("layout map", maps["layout"]), ("county view", maps["county"])):
        size, urls, loads = _page_counts(page)
        rows.append(Row(f"  {label} ({page.name})", None, size, urls, loads))
    return rows


#: A description (in both pages, not on the print figure) and a label (on the figure too):
#: each "text changed" rebuild starts from the plan as shipped and makes one edit.
TEXT_EDITS = {
    "description": ("全省测算值", "全省测算值（修订）"),
    "label": ("人工智能产业创新策源地", "人工智能产业创新高地"),
}


def measure_full_build(ctx: Context) -> list[Row]:
    """The full default build (figures and snapshots) and its rebuilds, interleaved with the
    naive script: each repetition runs naive-city, a clean build (``--no-cache``), the same
    build again with nothing changed (up to date: nothing rewritten), and a rebuild after a
    plan text edit (a description: the snapshots are taken again, the figure reused; a label:
    both drawn again), so a load spike hits every side alike; medians are reported."""
    from maplayout._paths import default_plan_path

    naive = [ctx.python, str(ctx.naive), str(ctx.work / "naive-full.html"), "--level", "city"]
    full, plan = ctx.work / "maps-full", ctx.work / "plan-edited.yaml"
    plan.write_bytes(default_plan_path().read_bytes())
    build = [ctx.python, "-m", "maplayout", "build", "--out"]
    edited = {k: ctx.work / f"maps-{k}" for k in TEXT_EDITS}
    for out in edited.values():  # the build each "text changed" rebuild starts from
        _timed([*build, str(out), str(plan)], 1)
    times: dict[str, list[float]] = {k: [] for k in ("naive", "clean", "unchanged", *edited)}
    for _ in range(ctx.repeat):
        times["naive"].append(_timed(naive, 1)[0])
        times["clean"].append(_timed([*build, str(full), "--no-cache"], 1)[0])
        times["unchanged"].append(_timed([*build, str(full)], 1)[0])
        for key, out in edited.items():
            old, new = TEXT_EDITS[key]
            text = plan.read_text("utf-8")
            assert old in text, f"the plan no longer has {old!r}: update TEXT_EDITS"
            plan.write_text(text.replace(old, new, 1), encoding="utf-8")
            times[key].append(_timed([*build, str(out), str(plan)], 1)[0])
            plan.write_text(text, encoding="utf-8")  # the next edit starts from the same plan
            _timed([*build, str(out), str(plan)], 1)  # (untimed: back to the start)
    med = {k: statistics.median(v) for k, v in times.items()}
    files = len([p for p in full.rglob("*") if p.is_file()])
    n = f"median of {ctx.repeat}"
    return [
        Row("naive folium (city), beside the full build", med["naive"]),
        Row("maplayout build (all defaults), clean", med["clean"], note=f"{files} files, {n}"),
        Row(
            "maplayout build (all defaults), unchanged", med["unchanged"], note="nothing rewritten"
        ),
        Row(
            "maplayout build (all defaults), a description edited",
            med["description"],
            note="snapshots again, figure reused",
        ),
        Row(
            "maplayout build (all defaults), a label edited",
            med["label"],
            note="snapshots and figure again",
        ),
    ]


#: Measurement functions run in order; append to add rows (figures, snapshots, ...).
MEASUREMENTS: list[Callable[[Context], list[Row]]] = [measure_maps, measure_full_build]


def measure_figure_and_snapshot(ctx: Context) -> list[Row]:
    """Print figure (issue 5) per format and the Chromium snapshot, timed in-process.

    Imports and the join happen once before timing; each number is the median of
    ``ctx.repeat`` runs. The snapshot is timed cold (``snapshot()``: Chromium start-up
    included) and warm (one more page in an open browser, as a build takes several).
    """
    sys.path.insert(0, str(ROOT))
    from maplayout.model import build_model
    from maplayout.print.figure import make_figures
    from maplayout.publish.snapshots import Snapshotter, find_chromium, snapshot

    model = build_model(None, level="prefecture")
    out = ctx.work / "reports"
    rows = []
    for label, exts in (
        ("SVG", ["svg"]),
        ("PDF", ["pdf"]),
        ("PNG 200 dpi", ["png"]),
        ("SVG+PDF+PNG, one drawing", ["svg", "pdf", "png"]),
    ):
        times = []
        for _ in range(ctx.repeat):
            t0 = time.perf_counter()
            paths = make_figures(model, [out / f"figure.{e}" for e in exts], dpi=200)
            times.append(time.perf_counter() - t0)
        size = paths[0].stat().st_size if len(paths) == 1 else None
        rows.append(Row(f"figure, layout map, {label}", statistics.median(times), size))
    # what a build adds for the county view when no snapshot could be made (its PNG fallback)
    from maplayout.publish.reports import FIGURE_DPI

    county = build_model(None, level="county")
    times = []
    for _ in range(ctx.repeat):
        t0 = time.perf_counter()
        (png,) = make_figures(county, [out / "county.figure.png"], dpi=FIGURE_DPI)
        times.append(time.perf_counter() - t0)
    rows.append(
        Row(
            f"figure, county view, PNG {FIGURE_DPI} dpi",
            statistics.median(times),
            png.stat().st_size,
            note="drawn by a build only when no snapshot was made",
        )
    )
    html = next((ctx.work / "maps").glob("*.html"), None) if (ctx.work / "maps").is_dir() else None
    if find_chromium() is None or html is None:
        rows.append(Row("snapshot", note="skipped: no Chromium or no built map"))
        return rows
    html = ctx.work / "maps" / "hunan-ai-2023.html"
    cold = []
    for _ in range(ctx.repeat):
        t0 = time.perf_counter()
        png = snapshot(html, out / "snap.png")
        cold.append(time.perf_counter() - t0)
    rows.append(
        Row(
            "snapshot 1366×768, cold",
            statistics.median(cold),
            png.stat().st_size,
            note="Chromium start-up included",
        )
    )
    warm = []
    with Snapshotter() as shots:
        shots.capture(html)
        for _ in range(ctx.repeat):
            t0 = time.perf_counter()
            shots.shot(html, out / "snap.png")
            warm.append(time.perf_counter() - t0)
    rows.append(Row("snapshot 1366×768, warm", statistics.median(warm), note="browser open"))
    return rows


MEASUREMENTS.append(measure_figure_and_snapshot)


_LOAD_AT_START = ""
_BYTECODE = ""  # how maplayout's modules were compiled for the run (a line of the table)


def compile_package(python: str = sys.executable) -> str:
    """Byte-compile maplayout's modules into ``__pycache__`` as installing it does (pip
    compiles a wheel's modules; the naive script's dependencies are compiled so). A checkout
    run with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile its ~550 KB of source
    in every timed process (≈ 0.15 s). Returns the table's note."""
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "maplayout")], check=True)
    return "maplayout's modules byte-compiled before timing, as installing it does"


def run(repeat: int = 3, naive: Path = NAIVE) -> list[Row]:
    """Run every measurement in one go; return the rows (also stored in the context)."""
    global _LOAD_AT_START
    try:
        _LOAD_AT_START = f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):  # pragma: no cover - not on every platform
        _LOAD_AT_START = ""
    with tempfile.TemporaryDirectory(prefix="maplayout-bench.") as tmp:
        ctx = Context(Path(tmp), repeat=repeat, naive=naive)
        rows: list[Row] = []
        for fn in MEASUREMENTS:
            for row in fn(ctx):
                ctx.results[row.name.strip()] = row
                rows.append(row)
        return rows


def _kb(n: int | None) -> str:
    return "" if n is None else f"{n / 1024:,.1f} KB"


def table(rows: list[Row]) -> str:
    """Markdown: the measurements, then the ratios the issue asks for."""
    by = {r.name.strip(): r for r in rows}
    lines = [
        "| what | wall time | size | external URLs (loads) |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        sec = "" if r.seconds is None else f"{r.seconds:.2f} s"
        urls = "" if r.external_urls is None else f"{r.external_urls} ({r.external_loads})"
        note = f" ({r.note})" if r.note and not r.name.startswith("naive") else ""
        lines.append(f"| {r.name.strip()}{note} | {sec} | {_kb(r.nbytes)} | {urls} |")
    naive_city, naive_county = by.get("naive folium (city)"), by.get("naive folium (county)")
    build = by.get("maplayout build --no-figure")
    maps_only = by.get("maplayout build, maps only")
    layout = next((r for k, r in by.items() if k.startswith("layout map")), None)
    county = next((r for k, r in by.items() if k.startswith("county view")), None)
    lines.append("")
    if naive_city and build:
        lines.append(
            f"- time: `maplayout build --no-figure --snapshots no` / naive single city map = "
            f"{build.seconds:.2f} s / {naive_city.seconds:.2f} s = "
            f"**{build.seconds / naive_city.seconds:.2f}** (target ≤ 1.0)"
        )
    beside = by.get("naive folium (city), beside the full build")
    for key, what, target in (
        ("clean", "full default build (print figures + Chromium snapshots), clean", "≤ 2.5"),
        ("unchanged", "the same build again, nothing changed", "≤ 0.5"),
        ("a description edited", "rebuild after a description edit", ""),
        ("a label edited", "rebuild after a label edit", ""),
    ):
        row = by.get(f"maplayout build (all defaults), {key}")
        if beside and beside.seconds and row and row.seconds:
            goal = f" (target {target})" if target else ""
            lines.append(
                f"- time: {what} / naive single city map, interleaved = {row.seconds:.2f} s / "
                f"{beside.seconds:.2f} s = **{row.seconds / beside.seconds:.2f}**{goal}"
            )
    if naive_city and maps_only:
        lines.append(
            f"- time: interactive maps + index + manifest only / naive single city map = "
            f"{maps_only.seconds:.2f} s / {naive_city.seconds:.2f} s = "
            f"**{maps_only.seconds / naive_city.seconds:.2f}**"
        )
    if naive_city and layout:
        lines.append(
            f"- size: layout map / naive city page = {_kb(layout.nbytes)} / "
            f"{_kb(naive_city.nbytes)} = **{layout.nbytes / naive_city.nbytes:.2f}** "
            f"(budget 400 KB)"
        )
    if naive_county and county:
        lines.append(
            f"- size: county view / naive county page = {_kb(county.nbytes)} / "
            f"{_kb(naive_county.nbytes)} = **{county.nbytes / naive_county.nbytes:.2f}** "
            f"(budget 700 KB)"
        )
    for r in rows:
        if r.note and r.name.startswith("naive"):
            lines.append(f"- {r.name}: `{r.note}`")
    if _BYTECODE:
        lines.append(f"- {_BYTECODE}")
    if _LOAD_AT_START:
        try:
            end = f"{os.getloadavg()[0]:.2f}"
        except (AttributeError, OSError):  # pragma: no cover
            end = "?"
        lines.append(
            f"- machine load average (1 min) at the start / end of the run: "
            f"{_LOAD_AT_START} / {end} (2 cores; the run itself keeps one busy)"
        )
    return "\n".join(lines)


def write_docs(text: str, path: Path = DOCS) -> None:
    """Replace the body of the "## Benchmark" section of docs/maps.md with ``text``."""
    sys.path.insert(0, str(ROOT))
    from maplayout._atomic import write_text_atomic

    doc = path.read_text(encoding="utf-8")
    start = "<!-- benchmark:start -->"
    end = "<!-- benchmark:end -->"
    if start not in doc or end not in doc:
        raise SystemExit(f"{path} lacks the {start} … {end} markers")
    head, rest = doc.split(start, 1)
    _, tail = rest.split(end, 1)
    write_text_atomic(path, f"{head}{start}\n{text}\n{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3, help="runs per command (median is kept)")
    p.add_argument("--write-docs", action="store_true", help="update docs/maps.md")
    p.add_argument(
        "--naive",
        type=Path,
        default=NAIVE,
        metavar="PATH",
        help="the naive folium script (default: ../shared/bench/naive_folium.py beside the "
        "checkout)",
    )
    p.add_argument(
        "--bytecode",
        choices=["installed", "as-is"],
        default="installed",
        help="installed (default): byte-compile maplayout first, as pip does; as-is: time the "
        "checkout as it is (with PYTHONDONTWRITEBYTECODE=1 every run compiles its source)",
    )
    args = p.parse_args(argv)
    _check_naive(args.naive)  # before any work
    global _BYTECODE
    if args.bytecode == "installed":
        _BYTECODE = compile_package()
    else:
        dont = os.environ.get("PYTHONDONTWRITEBYTECODE")
        _BYTECODE = f"maplayout timed as it is (PYTHONDONTWRITEBYTECODE={dont or 'unset'})"
    rows = run(args.repeat, args.naive)
    text = table(rows)
    print(text)
    if args.write_docs:
        cmd = f"python benchmarks/bench.py --repeat {args.repeat} --bytecode {args.bytecode}"
        write_docs(f"Measured with `{cmd}` (medians; wall clock per process):\n\n{text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
