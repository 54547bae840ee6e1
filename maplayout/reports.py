"""What ``maplayout build`` writes beside each interactive map for reports (issue 5).

For each map ``<stem>.html`` in the build's staging folder:

* ``<stem>.figure.svg`` / ``.pdf`` / ``.png`` — the print figure (``figures=True``);
* ``<stem>.png`` — a snapshot through headless Chromium (``snapshots``: ``"auto"`` when a
  Chromium is found, ``"yes"`` required, ``"no"`` never);
* ``<stem>.thumb.png`` — the thumbnail the viewer page shows;
* the embed kit (:func:`maplayout.embed.write_kit`), whose PNG fallback is the snapshot, or
  the print figure when there is no snapshot.

:func:`write_reports` is called by :func:`maplayout.export.build` through its
``_write_reports`` hook, inside the atomic staging folder.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError, DependencyMissingError

__all__ = ["SNAPSHOT_MODES", "THUMB_SIZE", "write_reports"]

SNAPSHOT_MODES = ("auto", "yes", "no")
#: Thumbnail size on the viewer page (the index template's default box).
THUMB_SIZE = (400, 225)
SNAPSHOT_SIZE = (1366, 768)
#: Maps that get a print figure in a build (the county view is printed on demand with
#: ``maplayout figure --level county``), and the PNG figure's resolution.
FIGURE_MAPS = ("layout",)
FIGURE_DPI = 150

_LINKS = {
    "pdf": {"zh-Hans": "打印图 PDF", "zh-Hant": "列印圖 PDF", "en": "Print figure (PDF)"},
    "svg": {"zh-Hans": "SVG", "zh-Hant": "SVG", "en": "SVG"},
    "png": {"zh-Hans": "PNG 图片", "zh-Hant": "PNG 圖片", "en": "PNG image"},
    "embed": {"zh-Hans": "嵌入代码", "zh-Hant": "嵌入代碼", "en": "Embed code"},
    "csv": {"zh-Hans": "数据表 CSV", "zh-Hant": "數據表 CSV", "en": "Data table (CSV)"},
}


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


def _snapshots(stage: Path, maps: Sequence[Any], mode: str) -> dict[str, Path]:
    """Snapshot every map; ``{filename: png}`` (empty when skipped)."""
    from maplayout.snapshot import Snapshotter

    if mode == "no":
        return {}
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
        warnings.warn(f"maplayout: no snapshots: {err}", stacklevel=3)
        for png in out.values():
            png.unlink(missing_ok=True)
        return {}
    return out


def write_reports(stage: Path, maps: Sequence[Any], options: Any) -> list[Path]:
    """Write figures, snapshots, thumbnails and embed kits for ``maps`` into ``stage``.

    Sets ``m.thumbnail``, ``m.alt`` and appends download links to ``m.extra`` for the
    viewer page. Returns the written files.
    """
    from maplayout.embed import alt_text, write_kit

    lang = options.lang
    mode = _mode(options.snapshots)
    written: list[Path] = []
    figure_png: dict[str, Path] = {}
    if options.figures:
        from maplayout.figure import make_figures  # matplotlib only when figures are drawn

        for m in maps:
            if m.key not in FIGURE_MAPS:
                continue
            stem = Path(m.filename).stem
            paths = [stage / f"{stem}.figure.{ext}" for ext in ("svg", "pdf", "png")]
            written += make_figures(m.model, paths, lang=lang, title=options.title, dpi=FIGURE_DPI)
            figure_png[m.filename] = paths[2]
    snaps = _snapshots(stage, maps, mode)
    written += snaps.values()
    for m in maps:
        stem = Path(m.filename).stem
        fallback = snaps.get(m.filename) or figure_png.get(m.filename)
        size = SNAPSHOT_SIZE
        if fallback is not None:
            from PIL import Image

            from maplayout.snapshot import thumbnail

            with Image.open(fallback) as img:
                size = img.size
            thumb = thumbnail(fallback, stage / f"{stem}.thumb.png", size=THUMB_SIZE)
            written.append(thumb)
            m.thumbnail = thumb.name
        m.alt = alt_text(m.model, lang, options.title)
        written += write_kit(
            stage,
            stem,
            m.model,
            png_name=fallback.name if fallback is not None else None,
            png_size=size,
            lang=lang,
            title=options.title,
        )
        links = []
        if m.filename in figure_png:
            links += [("pdf", f"{stem}.figure.pdf"), ("svg", f"{stem}.figure.svg")]
        if m.filename in snaps:
            links.append(("png", f"{stem}.png"))
        links += [("embed", f"{stem}.embed.html"), ("csv", f"{stem}.table.csv")]
        m.extra.extend({"href": href, "label": _LINKS[k][lang]} for k, href in links)
    if maps:  # atomic writes create private (0600) files; give them the maps' permissions
        mode = maps[0].path.stat().st_mode & 0o777
        for path in written:
            path.chmod(mode)
    return written
