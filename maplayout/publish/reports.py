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

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.model import LANGS
from maplayout.text import UI, ui_text

__all__ = ["SNAPSHOT_MODES", "THUMB_SIZE", "MapReport", "ReportLink", "write_reports"]

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


@dataclass(frozen=True)
class _Figures:
    """The print figures drawn: ``{filename: paths}`` and ``{filename: state}``."""

    paths: dict[str, list[Path]] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)


def _figures(stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]) -> _Figures:
    """Print figures, or none (one warning, every state says why) when a dependency is
    missing: the maps never depend on them."""
    start = time.perf_counter()
    try:
        drawn, timed = _draw_figures(stage, maps, options, snaps)
    except DependencyMissingError as err:
        warnings.warn(f"no print figures ({err})", stacklevel=3)
        for p in stage.glob("*.figure.*"):
            p.unlink()
        _progress(options, "figures", time.perf_counter() - start, [], f"skipped: {err}")
        return _Figures(states={m.filename: f"skipped: {err}" for m in maps})
    _progress(options, "figures", time.perf_counter() - start, timed)
    return drawn


def _progress(
    options: Any, stage: str, seconds: float, outputs: Sequence[Path | str], note: str = "made"
) -> None:
    """Tell the build's progress reporter (``options.progress``, if any) a stage is done."""
    report = getattr(options, "progress", None)
    if report is not None:
        report(stage, seconds, [o.name if isinstance(o, Path) else o for o in outputs], note)


def _figure_exts(m: Any, snaps: dict[str, Path]) -> tuple[str, ...]:
    """SVG/PDF/PNG for the maps in :data:`FIGURE_MAPS`; a PNG for every other map that got
    no snapshot (its fallback image and thumbnail); else none."""
    if m.key in FIGURE_MAPS:
        return ("svg", "pdf", "png")
    return () if m.filename in snaps else ("png",)


def _draw_figures(
    stage: Path, maps: Sequence[Any], options: Any, snaps: dict[str, Path]
) -> tuple[_Figures, list[str]]:
    """Draw the figures :func:`_figure_exts` asks for; also ``"<file> <seconds> s"`` each."""
    from maplayout.print.figure import make_figures  # matplotlib only when figures are drawn

    out = _Figures()
    timed: list[str] = []
    notes: list[str] = []
    for m in maps:
        stem, exts = Path(m.filename).stem, _figure_exts(m, snaps)
        if not exts:
            continue
        paths = [stage / f"{stem}.figure.{ext}" for ext in exts]
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out.paths[m.filename] = make_figures(
                m.model,
                paths,
                lang=options.lang,
                title=options.title,
                dpi=FIGURE_DPI,
                font=getattr(options, "font", None),
            )
        mine = sorted({str(w.message) for w in caught if str(w.message).startswith(_UNCOVERED)})
        out.states[m.filename] = "; ".join(["made", *mine])
        timed.append(f"{stem}.figure.{'/'.join(exts)} {time.perf_counter() - start:.2f} s")
        notes += [n for n in mine if n not in notes]
        notes += [str(w.message) for w in caught if str(w.message) not in notes]
    for note in notes:  # once per build, not once per figure
        warnings.warn(note, stacklevel=4)
    return out, timed


def write_reports(stage: Path, maps: Sequence[Any], options: Any) -> tuple[MapReport, ...]:
    """Write figures, snapshots, thumbnails and embed kits for ``maps`` into ``stage``.

    Returns one :class:`MapReport` per map, in order (thumbnail, alt texts, download links,
    what happened to the snapshot and the figure, the files written). Snapshots are taken
    first; a map without one gets its print figure's PNG as fallback (the county view's
    figure is drawn only then), unless figures are switched off.
    """
    start = time.perf_counter()
    snaps, status = _snapshots(stage, maps, _mode(options.snapshots))
    _progress(options, "snapshots", time.perf_counter() - start, list(snaps.values()), status)
    figures = _figures(stage, maps, options, snaps) if options.figures else _Figures()
    reports = tuple(_map_report(stage, m, options, snaps, status, figures) for m in maps)
    if maps:  # atomic writes create private (0600) files; give them the maps' permissions
        perm = maps[0].path.stat().st_mode & 0o777
        for report in reports:
            for path in report.files:
                path.chmod(perm)
    return reports


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
    written += write_kit(
        stage,
        stem,
        m.model,
        png_name=fallback.name if fallback is not None else None,
        png_size=size,
        lang=options.lang,
        title=options.title,
    )
    return MapReport(
        thumbnail=thumbnail,
        alt=alt_text(m.model, options.lang, options.title),
        alt_texts={k: alt_text(m.model, k, options.title) for k in LANGS},
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
