"""What ``maplayout build`` writes beside each interactive map for reports (issue 5).

For each map ``<stem>.html`` in the build's staging folder:

* ``<stem>.figure.svg`` / ``.pdf`` / ``.png`` — the print figure (``figures=True``) of the
  layout map; the other maps (the county view) get only ``<stem>.figure.png``, and only when
  they got no snapshot, as their fallback image;
* ``<stem>.png`` — a snapshot through headless Chromium (``snapshots``: ``"auto"`` when a
  Chromium is found, ``"yes"`` required, ``"no"`` never);
* ``<stem>.thumb.png`` — the thumbnail the viewer page shows;
* the embed kit (:func:`maplayout.publish.embed.write_kit`), whose PNG fallback is the snapshot, or
  the print figure when there is no snapshot.

:func:`write_reports` is called by :func:`maplayout.publish.pipeline.build` through its
``_write_reports`` hook, inside the atomic staging folder, and returns one
:class:`MapReport` per map (what the viewer page and the manifest show); it never changes
the maps it is given.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.model import LANGS
from maplayout.publish.figworker import FORK_AVAILABLE
from maplayout.text import UI, ui_text

__all__ = [
    "FIGURE_BLANK_COLUMNS",
    "FIGURE_BLANK_TEXTS",
    "SNAPSHOT_MODES",
    "THUMB_SIZE",
    "MapReport",
    "ReportLink",
    "begin_figures",
    "cancel_figures",
    "figure_model",
    "write_reports",
]

SNAPSHOT_MODES = ("auto", "yes", "no")
_UNCOVERED = "figure text has characters"  # maplayout.print.figure's warning
#: Thumbnail size on the viewer page (the index template's default box).
THUMB_SIZE = (400, 225)
SNAPSHOT_SIZE = (1366, 768)
#: Maps that always get a print figure (SVG/PDF/PNG) in a build; the others (the county view)
#: get a PNG figure only when no snapshot was made (``maplayout figure --level county`` prints
#: the county view on demand), and the PNG figure's resolution.
FIGURE_MAPS = ("layout",)
FIGURE_DPI = 150
#: Draw print figures in a forked child of the build where that is safe (Linux): the drawing
#: then overlaps writing the maps, the snapshots and the embed kit on another core.
_FORK = FORK_AVAILABLE


def _mode(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False or value is None:
        return "no"
    mode = str(value).lower()
    if mode not in SNAPSHOT_MODES:
        raise BuildError(
            f"unknown snapshots option {value!r}; expected one of {', '.join(SNAPSHOT_MODES)}"
        )
    return mode


_SKIP_REASONS = {"chromium": "skipped: no Chromium"}


def _skip_reason(err: DependencyMissingError) -> str:
    """A short, machine-stable reason for the manifest (no paths or versions), from what
    the error says is missing (never from its message)."""
    return _SKIP_REASONS.get(err.missing, "skipped: Chromium failed to start")


@dataclass(frozen=True)
class ReportLink:
    """A download link on a map's card: ``href``, its label, and the label in every language."""

    href: str
    label: str
    labels: Mapping[str, str]

    def as_entry(self) -> dict[str, Any]:
        """The link as the viewer page's entry reads it."""
        return {"href": self.href, "label": self.label, "labels": self.labels}


@dataclass(frozen=True)
class MapReport:
    """What the report writers made for one map (its files are inside the staging folder)."""

    #: The thumbnail's file name on the viewer page, or ``None``.
    thumbnail: str | None = None
    #: The alt text in the build's language, and in every language (``{lang: text}``).
    alt: str = ""
    alt_texts: Mapping[str, str] = field(default_factory=dict)
    #: The card's download links (print figure PDF / SVG / PNG, snapshot, embed kit, table).
    links: tuple[ReportLink, ...] = ()
    #: What happened to the snapshot: ``"made"``, ``"skipped: not requested"``,
    #: ``"skipped: no Chromium"`` … (recorded in the manifest); ``""`` when not recorded.
    snapshot: str = ""
    #: What happened to the print figure: ``"made"`` (``"made; …"`` with a note),
    #: ``"skipped: …"`` with the reason, or ``""`` (none drawn).
    figure: str = ""
    #: The files written for this map.
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class _Snaps:
    """The snapshots taken: ``{filename: png}``, the state, and a warning to give (from the
    build's own thread: the snapshot thread never warns)."""

    pngs: dict[str, Path] = field(default_factory=dict)
    status: str = ""
    warning: str = ""


def _snapshots(stage: Path, maps: Sequence[Any], mode: str, options: Any) -> _Snaps:
    """Snapshot every map in one Chromium (pages loaded side by side); a page whose HTML,
    size and browser did not change since the last build is reused from the cache."""
    from maplayout.publish.cache import ArtifactCache, file_digest
    from maplayout.publish.snapshots import Snapshotter

    if mode == "no":
        return _Snaps(status="skipped: not requested")
    cache: ArtifactCache | None = getattr(options, "cache", None)
    w, h = SNAPSHOT_SIZE
    out: dict[str, Path] = {}
    todo: list[tuple[Any, Path, str]] = []
    for m in maps:
        png = stage / f"{Path(m.filename).stem}.png"
        key = ""
        if cache is not None:
            key = cache.key("snapshot", file_digest(m.path), w, h, 1.0, snapshots=True)
            if cache.fetch(key, stage, [png.name]):
                out[m.filename] = png
                continue
        todo.append((m, png, key))
    try:
        if todo:
            shots = getattr(options, "snapshotter", None)
            owned = contextlib.nullcontext(shots) if shots is not None else Snapshotter()
            with owned as browser:
                browser.wait_started()
                taken = browser.shot_many([(m.path, png) for m, png, _ in todo], width=w, height=h)
            for (m, _png, key), path in zip(todo, taken, strict=True):
                out[m.filename] = path
                if cache is not None:
                    cache.record(key, [path])
    except DependencyMissingError as err:
        if mode == "yes":
            raise
        for png in out.values():
            png.unlink(missing_ok=True)
        note = f"no snapshots ({err}); print figures serve as PNG images"
        return _Snaps(status=_skip_reason(err), warning=note)
    return _Snaps({m.filename: out[m.filename] for m in maps}, "made")


#: What the print figure does not draw: these text columns of the model's frames (in every
#: language), the sites' ``location_source``, every ``source_refs`` and the facts. The figure
#: is drawn from :func:`figure_model`, where they are blanked, so an edit to them alone does
#: not draw it again (tests/test_build_cache.py checks that blanking them changes no byte).
FIGURE_BLANK_TEXTS = ("description", "precision_note")
FIGURE_BLANK_COLUMNS = ("location_source", "source_refs")


def figure_model(model: Any) -> Any:
    """The model as the print figure sees it: :data:`FIGURE_BLANK_TEXTS` and
    :data:`FIGURE_BLANK_COLUMNS` blanked (``""``, ``()``) and no facts."""
    import dataclasses

    from maplayout.model import text_columns

    blank = set(text_columns(*FIGURE_BLANK_TEXTS)) | set(FIGURE_BLANK_COLUMNS)
    frames = {}
    for name in ("units", "groups", "links", "sites"):
        frame = getattr(model, name)
        cols = [c for c in frame.columns if c in blank]
        if cols:
            frame = frame.copy()
            for col in cols:
                frame[col] = [() if col == "source_refs" else "" for _ in range(len(frame))]
            frames[name] = frame
    return dataclasses.replace(model, facts=[], **frames)


@dataclass(frozen=True)
class _Figures:
    """The print figures drawn: ``{filename: paths}`` and ``{filename: state}``."""

    paths: dict[str, list[Path]] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    #: Warnings to give once per build (the caller gives them), in order.
    notes: tuple[str, ...] = ()
    #: Set when a dependency is missing: no figure can be drawn in this build.
    missing: str = ""
    #: Seconds spent and ``"<files> <seconds> s"`` per figure, for the progress line.
    seconds: float = 0.0
    timed: tuple[str, ...] = ()

    def merged(self, other: _Figures) -> _Figures:
        notes = (*self.notes, *(n for n in other.notes if n not in self.notes))
        return _Figures(
            {**self.paths, **other.paths},
            {**self.states, **other.states},
            notes,
            self.missing or other.missing,
            self.seconds + other.seconds,
            (*self.timed, *other.timed),
        )


def _figures(stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]) -> _Figures:
    """Print figures, or none (one warning, every state says why) when a dependency is
    missing: the maps never depend on them."""
    start = time.perf_counter()
    try:
        drawn, timed = _draw_figures(stage, maps, options, snaps)
    except DependencyMissingError as err:
        for m in maps:
            for p in stage.glob(f"{Path(m.filename).stem}.figure.*"):
                p.unlink()
        state = f"skipped: {err}"
        seconds = time.perf_counter() - start
        return _Figures(states={m.filename: state for m in maps}, missing=state, seconds=seconds)
    seconds = time.perf_counter() - start
    return _Figures(drawn.paths, drawn.states, drawn.notes, seconds=seconds, timed=tuple(timed))


def _progress(
    options: Any, stage: str, seconds: float, outputs: Sequence[Path | str], note: str = "made"
) -> None:
    """Tell the build's progress reporter (``options.progress``, if any) a stage is done."""
    report = getattr(options, "progress", None)
    if report is not None:
        report(stage, seconds, [o.name if isinstance(o, Path) else o for o in outputs], note)


def _figure_exts(key: str, filename: str, snaps: dict[str, Path]) -> tuple[str, ...]:
    """SVG/PDF/PNG for the maps in :data:`FIGURE_MAPS`; a PNG for every other map that got
    no snapshot (its fallback image and thumbnail); else none."""
    if key in FIGURE_MAPS:
        return ("svg", "pdf", "png")
    return () if filename in snaps else ("png",)


@dataclass
class _Pending:
    """A print figure under way: reused from the cache, drawing in a forked child (``job``),
    or to be drawn here (neither)."""

    filename: str
    exts: tuple[str, ...]
    paths: list[Path]
    view: Any
    key: str
    started: float
    cached: list[Path] | None = None
    job: Any = None  # a ForkedFigure

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()


def begin_figures(
    stage: Path, maps: Sequence[tuple[str, str, Any]], options: Any, snaps: dict[str, Path]
) -> dict[str, _Pending]:
    """Start the print figures :func:`_figure_exts` asks for, ``maps`` given as ``(key,
    filename, model)``: each is taken from the cache, or drawn in a forked child
    (:class:`~maplayout.publish.figworker.ForkedFigure`, Linux) while the caller goes on, or
    left to :func:`_draw_figures` to draw here. ``{filename: pending}``; whoever started them
    cancels those not finished (:func:`cancel_figures`)."""
    from maplayout.publish.figworker import ForkedFigure

    pending: dict[str, _Pending] = {}
    try:
        for key, filename, model in maps:
            stem, exts = Path(filename).stem, _figure_exts(key, filename, snaps)
            if not exts:
                continue
            started = time.perf_counter()
            paths = [stage / f"{stem}.figure.{ext}" for ext in exts]
            view = figure_model(model)
            cache_key = _figure_key(view, exts, options)
            p = _Pending(filename, exts, paths, view, cache_key, started)
            if cache_key:
                p.cached = options.cache.fetch(cache_key, stage, [q.name for q in paths])
            worker = getattr(options, "figure_worker", None)
            if p.cached is None and _FORK and not (worker is not None and worker.running):
                p.job = ForkedFigure.start(view, paths, **_figure_args(options))
            pending[filename] = p
    except BaseException:
        cancel_figures(pending)
        raise
    return pending


def cancel_figures(pending: Mapping[str, _Pending]) -> None:
    """Kill and reap every forked figure not finished (a failed or interrupted build)."""
    for p in pending.values():
        p.cancel()


def _figure_args(options: Any) -> dict[str, Any]:
    font = getattr(options, "font", None)
    return {"lang": options.lang, "title": options.title, "dpi": FIGURE_DPI, "font": font}


def _draw_figures(
    stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]
) -> tuple[_Figures, list[str]]:
    """Draw the figures :func:`_figure_exts` asks for (or finish those the build began early,
    ``options.early_figures``); also ``"<file> <seconds> s"`` each."""
    early: dict[str, _Pending] = getattr(options, "early_figures", None) or {}
    todo = [(m.key, m.filename, m.model) for m in maps if m.filename not in early]
    pending = {
        **{m.filename: early.pop(m.filename) for m in maps if m.filename in early},
        **begin_figures(stage, todo, options, snaps),
    }
    out = _Figures()
    timed: list[str] = []
    notes: list[str] = []
    try:
        for m in maps:
            p = pending.pop(m.filename, None)
            if p is None:
                continue
            name = f"{Path(m.filename).stem}.figure.{'/'.join(p.exts)}"
            if p.cached is not None:
                out.paths[m.filename] = p.cached
                out.states[m.filename] = "made"
                timed.append(f"{name} reused")
                continue
            out.paths[m.filename], caught, where = _draw(p, options)
            mine = sorted({w for w in caught if w.startswith(_UNCOVERED)})
            out.states[m.filename] = "; ".join(["made", *mine])
            if p.key and not caught:  # a figure drawn with a warning is drawn again next time
                options.cache.record(p.key, out.paths[m.filename])
            timed.append(f"{name} {time.perf_counter() - p.started:.2f} s{where}")
            notes += [n for n in mine if n not in notes]
            notes += [w for w in caught if w not in notes]
    finally:
        cancel_figures(pending)
    return _Figures(out.paths, out.states, tuple(notes)), timed


def _draw(p: _Pending, options: Any) -> tuple[list[Path], list[str], str]:
    """Finish one figure: the forked child's answer (``p.job``), else draw it with
    :func:`maplayout.print.figure.make_figures` in the build's figure worker
    (``options.figure_worker``, :mod:`maplayout.publish.figworker`) when it runs, else here.
    Returns the files, the text of every warning caught while drawing, and a note for
    ``-v``."""
    if p.job is not None:
        drawn = p.job.result()
        return drawn.paths, drawn.warnings, " (drawn in a forked process)"
    args = _figure_args(options)
    worker = getattr(options, "figure_worker", None)
    if worker is not None and worker.running:
        if args["font"] is None:  # a broken installation is told here, before the worker is asked
            from maplayout.print.fonts import bundled_font_files

            bundled_font_files()
        drawn = worker.draw(p.view, p.paths, **args)
        if drawn is not None:
            return drawn.paths, drawn.warnings, f" (figure worker: drawn in {drawn.seconds:.2f} s)"
    from maplayout.print.figure import make_figures  # matplotlib only when figures are drawn

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = make_figures(p.view, p.paths, **args)
    return made, [str(w.message) for w in caught], ""


def _stop_figure_worker(options: Any) -> None:
    """No figure is left to draw: let the build's figure worker exit now (its owner reaps
    it)."""
    worker = getattr(options, "figure_worker", None)
    if worker is not None:
        worker.stop()


def _figure_key(view: Any, exts: Sequence[str], options: Any) -> str:
    """The cache key of a map's print figure: everything its model view holds, the formats, the
    language, title, resolution and font; ``""`` when there is no cache or the font is an
    installed family (fontconfig picks its files: drawn every time)."""
    cache = getattr(options, "cache", None)
    if cache is None:
        return ""
    from maplayout.publish.cache import font_input, model_digest

    cacheable, font_files = font_input(getattr(options, "font", None))
    if not cacheable:
        return ""
    parts = (model_digest(view), list(exts), options.lang, options.title, FIGURE_DPI)
    return str(cache.key("figure", *parts, sorted(font_files.values())))


def write_reports(stage: Path, maps: Sequence[Any], options: Any) -> tuple[MapReport, ...]:
    """Write figures, snapshots, thumbnails and embed kits for ``maps`` into ``stage``.

    Returns one :class:`MapReport` per map, in order (thumbnail, alt texts, download links,
    what happened to the snapshot and the figure, the files written). The snapshots are
    taken (one Chromium, on its own thread) while the print figures of :data:`FIGURE_MAPS`
    are drawn; then a map without a snapshot gets its print figure's PNG as fallback (the
    county view's figure is drawn only then), unless figures are switched off. With
    ``options.cache``, a snapshot or figure whose inputs did not change is reused. With
    ``options.figure_worker``, the figures are drawn in that process (the same bytes), and it
    is told to stop as soon as no figure is left to draw.
    """
    start = time.perf_counter()
    first = [m for m in maps if m.key in FIGURE_MAPS]
    rest = [m for m in maps if m.key not in FIGURE_MAPS]
    mode = _mode(options.snapshots)
    if not options.figures:
        _stop_figure_worker(options)
    # Figures begun early in forked children (or reused) need nothing of this process until
    # their answer: wait for the snapshots first and write the map reports meanwhile.
    early = getattr(options, "early_figures", None) or {}
    forked = bool(first) and all(
        m.filename in early and (early[m.filename].job or early[m.filename].cached is not None)
        for m in first
    )
    figures = _Figures()
    with ThreadPoolExecutor(1, thread_name_prefix="maplayout-reports") as pool:
        shooting = pool.submit(_snapshots, stage, maps, mode, options)
        try:
            if options.figures and not forked:
                figures = _figures(stage, first, options, {})
                if not rest or figures.missing or mode == "yes":  # no fallback figure can follow
                    _stop_figure_worker(options)
        finally:
            snapped = shooting.result()  # waits even when drawing failed (then re-raises)
    snaps, status = snapped.pngs, snapped.status
    if snapped.warning:
        warnings.warn(snapped.warning, stacklevel=2)
    _progress(options, "snapshots", time.perf_counter() - start, list(snaps.values()), status)
    ahead: dict[str, MapReport] = {}
    if forked:
        ahead = _reports_ahead(stage, maps, options, snaps, status, early)
        figures = _figures(stage, first, options, {})
    if options.figures and rest and figures.missing:
        figures = figures.merged(_Figures(states={m.filename: figures.missing for m in rest}))
    elif options.figures and rest:
        figures = figures.merged(_figures(stage, rest, options, snaps))
    _stop_figure_worker(options)
    if options.figures:
        note = figures.missing or "made"
        _progress(options, "figures", figures.seconds, list(figures.timed), note)
    if figures.missing:
        warnings.warn(
            f"no print figures ({figures.missing.removeprefix('skipped: ')})", stacklevel=2
        )
    for note in figures.notes:  # once per build, not once per figure
        warnings.warn(note, stacklevel=2)
    done = [_settled(ahead[m.filename], m, figures) if m.filename in ahead else None for m in maps]
    reports = tuple(
        r if r is not None else _map_report(stage, m, options, snaps, status, figures)
        for r, m in zip(done, maps, strict=True)
    )
    if maps:  # atomic writes create private (0600) files; give them the maps' permissions
        perm = maps[0].path.stat().st_mode & 0o777
        for report in reports:
            for path in report.files:
                path.chmod(perm)
    return reports


def _reports_ahead(
    stage: Path,
    maps: Sequence[Any],
    options: Any,
    snaps: dict[str, Path],
    status: str,
    early: Mapping[str, _Pending],
) -> dict[str, MapReport]:
    """The reports of the maps with a snapshot, written while their figures are still drawn
    in forked children, as if each figure is made as asked (:func:`_settled` checks that)."""
    expected = _Figures(
        paths={name: list(p.paths) for name, p in early.items()},
        states={name: "made" for name in early},
    )
    return {
        m.filename: _map_report(stage, m, options, snaps, status, expected)
        for m in maps
        if m.filename in snaps
    }


def _settled(report: MapReport, m: Any, figures: _Figures) -> MapReport | None:
    """A report written ahead, with its figure's state as drawn; ``None`` when the figure did
    not become the files the report links (write it again)."""
    drawn = figures.paths.get(m.filename, [])
    expected = [p for p in report.files if ".figure." in p.name]
    if sorted(drawn) != sorted(expected):
        return None
    state = figures.states.get(m.filename, "")
    return report if report.figure == state else dataclasses.replace(report, figure=state)


def _map_report(
    stage: Path,
    m: Any,
    options: Any,
    snaps: dict[str, Path],
    status: str,
    figures: _Figures,
) -> MapReport:
    """The thumbnail, embed kit and links of one map, with its snapshot and figure."""
    from maplayout.publish.embed import alt_text, write_kit
    from maplayout.publish.table import memo_rows

    stem = Path(m.filename).stem
    drawn = figures.paths.get(m.filename, [])
    written: list[Path] = [*([snaps[m.filename]] if m.filename in snaps else []), *drawn]
    figure_png = next((p for p in drawn if p.suffix == ".png"), None)
    fallback = snaps.get(m.filename) or figure_png
    size, thumbnail = SNAPSHOT_SIZE, None
    if fallback is not None:
        from PIL import Image

        from maplayout.publish.images import thumbnail as make_thumbnail

        with Image.open(fallback) as img:
            size = img.size
        thumb = make_thumbnail(fallback, stage / f"{stem}.thumb.png", size=THUMB_SIZE)
        written.append(thumb)
        thumbnail = thumb.name
    with memo_rows():  # the model's rows converted once for the kit and the alt texts
        written += write_kit(
            stage,
            stem,
            m.model,
            png_name=fallback.name if fallback is not None else None,
            png_size=size,
            lang=options.lang,
            title=options.title,
        )
        alt = alt_text(m.model, options.lang, options.title)
        alt_texts = {k: alt_text(m.model, k, options.title) for k in LANGS}
    return MapReport(
        thumbnail=thumbnail,
        alt=alt,
        alt_texts=alt_texts,
        links=_links(stem, {p.suffix for p in drawn}, m.filename in snaps, options.lang),
        snapshot="made" if m.filename in snaps else status,
        figure=figures.states.get(m.filename, ""),
        files=tuple(written),
    )


def _links(stem: str, kinds: set[str], snapped: bool, lang: str) -> tuple[ReportLink, ...]:
    """Every card links what was written for its map, in one order and with one label set:
    print figure PDF / SVG / PNG, the snapshot PNG, the embed kit, the data table."""
    links = [(k, f"{stem}.figure.{k}") for k in ("pdf", "svg") if f".{k}" in kinds]
    if ".png" in kinds:
        links.append(("figure_png", f"{stem}.figure.png"))
    if snapped:
        links.append(("png", f"{stem}.png"))
    links += [("embed", f"{stem}.embed.html"), ("csv", f"{stem}.table.csv")]
    return tuple(ReportLink(href, ui_text(f"link.{k}", lang), UI[f"link.{k}"]) for k, href in links)
