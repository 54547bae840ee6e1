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
``_write_reports`` hook, inside the atomic staging folder.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.text import UI, ui_text

__all__ = ["SNAPSHOT_MODES", "THUMB_SIZE", "write_reports"]

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


_SKIP_REASONS = {"playwright": "skipped: no Playwright", "chromium": "skipped: no Chromium"}


def _skip_reason(err: DependencyMissingError) -> str:
    """A short, machine-stable reason for the manifest (no paths or versions), from what
    the error says is missing (never from its message)."""
    return _SKIP_REASONS.get(err.missing, "skipped: Chromium failed to start")


def _snapshots(stage: Path, maps: Sequence[Any], mode: str) -> tuple[dict[str, Path], str]:
    """Snapshot every map; ``({filename: png}, status)`` (empty when skipped)."""
    from maplayout.publish.snapshots import Snapshotter

    if mode == "no":
        return {}, "skipped: not requested"
    out: dict[str, Path] = {}
    try:
        with Snapshotter() as shots:
            for m in maps:
                png = stage / f"{Path(m.filename).stem}.png"
                w, h = SNAPSHOT_SIZE
                out[m.filename] = shots.shot(m.path, png, width=w, height=h)
    except DependencyMissingError as err:
        if mode == "yes":
            raise
        warnings.warn(f"no snapshots ({err}); print figures serve as PNG images", stacklevel=3)
        for png in out.values():
            png.unlink(missing_ok=True)
        return {}, _skip_reason(err)
    return out, "made"


def _figures(stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]) -> dict:
    """Print figures, or none (one warning, ``m.figure`` says why) when a dependency is
    missing: the maps never depend on them. ``{filename: [paths]}``."""
    start = time.perf_counter()
    try:
        out = _draw_figures(stage, maps, options, snaps)
    except DependencyMissingError as err:
        warnings.warn(f"no print figures ({err})", stacklevel=3)
        for m in maps:
            m.figure = f"skipped: {err}"
        for p in stage.glob("*.figure.*"):
            p.unlink()
        _progress(options, "figures", time.perf_counter() - start, [], maps[0].figure)
        return {}
    timed = [f"{k} {v:.2f} s" for m in maps for k, v in m.timings.items() if ".figure." in k]
    _progress(options, "figures", time.perf_counter() - start, timed)
    return out


def _progress(
    options: Any, stage: str, seconds: float, outputs: Sequence[Path | str], note: str = "made"
) -> None:
    """Tell the build's progress reporter (``options.progress``, if any) a stage is done."""
    report = getattr(options, "progress", None)
    if report is not None:
        report(stage, seconds, [o.name if isinstance(o, Path) else o for o in outputs], note)


def _draw_figures(
    stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]
) -> dict[str, list[Path]]:
    """SVG/PDF/PNG of the maps in :data:`FIGURE_MAPS`, and a PNG of every other map that got
    no snapshot (its fallback image and thumbnail)."""
    from maplayout.print.figure import make_figures  # matplotlib only when figures are drawn

    out: dict[str, list[Path]] = {}
    notes: list[str] = []
    for m in maps:
        stem = Path(m.filename).stem
        if m.key in FIGURE_MAPS:
            exts: tuple[str, ...] = ("svg", "pdf", "png")
        elif m.filename not in snaps:
            exts = ("png",)
        else:
            continue
        paths = [stage / f"{stem}.figure.{ext}" for ext in exts]
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out[m.filename] = make_figures(
                m.model,
                paths,
                lang=options.lang,
                title=options.title,
                dpi=FIGURE_DPI,
                font=getattr(options, "font", None),
            )
        mine = sorted({str(w.message) for w in caught if str(w.message).startswith(_UNCOVERED)})
        m.figure = "; ".join(["made", *mine])
        m.timings[f"{stem}.figure.{'/'.join(exts)}"] = time.perf_counter() - start
        notes += [n for n in mine if n not in notes]
        notes += [str(w.message) for w in caught if str(w.message) not in notes]
    for note in notes:  # once per build, not once per figure
        warnings.warn(note, stacklevel=4)
    return out


def write_reports(stage: Path, maps: Sequence[Any], options: Any) -> list[Path]:
    """Write figures, snapshots, thumbnails and embed kits for ``maps`` into ``stage``.

    Sets ``m.thumbnail``, ``m.alt``, ``m.snapshot`` (what happened to the snapshot) and
    appends download links to ``m.extra`` for the viewer page. Returns the written files.
    Snapshots are taken first; a map without one gets its print figure's PNG as fallback
    (the county view's figure is drawn only then), unless figures are switched off.
    """
    from maplayout.publish.embed import alt_text, write_kit

    lang = options.lang
    mode = _mode(options.snapshots)
    written: list[Path] = []
    start = time.perf_counter()
    snaps, status = _snapshots(stage, maps, mode)
    _progress(options, "snapshots", time.perf_counter() - start, list(snaps.values()), status)
    written += snaps.values()
    figures = _figures(stage, maps, options, snaps) if options.figures else {}
    for paths in figures.values():
        written += paths
    figure_png = {name: p for name, paths in figures.items() for p in paths if p.suffix == ".png"}
    for m in maps:
        stem = Path(m.filename).stem
        m.snapshot = "made" if m.filename in snaps else status
        fallback = snaps.get(m.filename) or figure_png.get(m.filename)
        size = SNAPSHOT_SIZE
        if fallback is not None:
            from PIL import Image

            from maplayout.publish.snapshots import thumbnail

            with Image.open(fallback) as img:
                size = img.size
            thumb = thumbnail(fallback, stage / f"{stem}.thumb.png", size=THUMB_SIZE)
            written.append(thumb)
            m.thumbnail = thumb.name
        m.alt = alt_text(m.model, lang, options.title)
        for k, texts in m.texts.items():
            texts["alt"] = alt_text(m.model, k, options.title)
        written += write_kit(
            stage,
            stem,
            m.model,
            png_name=fallback.name if fallback is not None else None,
            png_size=size,
            lang=lang,
            title=options.title,
        )
        # every card links what was written for its map, in one order and with one label set:
        # print figure PDF / SVG / PNG, the snapshot PNG, the embed kit, the data table
        kinds = {p.suffix for p in figures.get(m.filename, [])}
        links = [(k, f"{stem}.figure.{k}") for k in ("pdf", "svg") if f".{k}" in kinds]
        if ".png" in kinds:
            links.append(("figure_png", f"{stem}.figure.png"))
        if m.filename in snaps:
            links.append(("png", f"{stem}.png"))
        links += [("embed", f"{stem}.embed.html"), ("csv", f"{stem}.table.csv")]
        m.extra.extend(
            {"href": href, "label": ui_text(f"link.{k}", lang), "labels": UI[f"link.{k}"]}
            for k, href in links
        )
    if maps:  # atomic writes create private (0600) files; give them the maps' permissions
        perm = maps[0].path.stat().st_mode & 0o777
        for path in written:
            path.chmod(perm)
    return written
