"""Read times of the boundaries of all of China (``geodata/china/``), each case in a fresh
process so the first read (manifest, hash check, FlatGeobuf parse) is what is timed.

Each case imports :mod:`maplayout.geo` first (not timed: geopandas dominates it), then times
one ``load_china_units`` call (first call in the process: hash check included) and a second
identical call (cached). Prints a Markdown table of medians over ``--repeat`` runs, and the
size of every level on disk and zip-compressed (what a wheel carries).

Usage::

    python benchmarks/china_read.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

CASES = [
    ("country", None),
    ("province", None),
    ("prefecture", "430000"),
    ("county", "430000"),
    ("county", "430100"),
    ("prefecture", None),
    ("county", None),
]

CHILD = """
import json, sys, time
import maplayout.geo as geo
level, within = sys.argv[1], (sys.argv[2] or None)
t0 = time.perf_counter()
frame = geo.load_china_units(level, within=within)
t1 = time.perf_counter()
geo.load_china_units(level, within=within)
t2 = time.perf_counter()
print(json.dumps({"rows": len(frame), "first": t1 - t0, "again": t2 - t1}))
"""


def run_case(level: str, within: str | None) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, level, within or ""],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def sizes(root: Path) -> list[tuple[str, int, int, int]]:
    """(level, files, bytes, zip-deflated bytes) per level."""
    groups = {
        "country": ["china/country.fgb"],
        "province": ["china/provinces.fgb"],
        "prefecture": sorted(str(p.relative_to(root)) for p in root.glob("china/prefectures/*")),
        "county": sorted(str(p.relative_to(root)) for p in root.glob("china/counties/*")),
    }
    rows = []
    for level, rels in groups.items():
        raw = sum((root / r).stat().st_size for r in rels)
        buf = BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for r in rels:
                zf.write(root / r, r)
        rows.append((level, len(rels), raw, len(buf.getvalue())))
    return rows


def main() -> None:
    from maplayout._paths import geodata_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print("| level | within | rows | first read (median) | cached |")
    print("|---|---|---:|---:|---:|")
    for level, within in CASES:
        runs = [run_case(level, within) for _ in range(args.repeat)]
        first = statistics.median(r["first"] for r in runs) * 1000
        again = statistics.median(r["again"] for r in runs) * 1000
        print(
            f"| {level} | {within or 'all'} | {runs[0]['rows']:,} | {first:.0f} ms | "
            f"{again:.0f} ms |"
        )
    print()
    print("| level | files | bytes | zip-deflated |")
    print("|---|---:|---:|---:|")
    total = [0, 0]
    for level, n, raw, packed in sizes(geodata_dir()):
        total[0] += raw
        total[1] += packed
        print(f"| {level} | {n} | {raw:,} | {packed:,} |")
    print(f"| all | | {total[0]:,} | {total[1]:,} |")


if __name__ == "__main__":
    main()
