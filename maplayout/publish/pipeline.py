"""``maplayout build``: every default map of a plan, a viewer page and a manifest, atomically.

One build writes into its output folder::

    <plan-id>.html            the layout map (prefecture level)
    <plan-id>-county.html     the county view (same plan over the counties)
    index.html                the viewer page listing every map
    build-manifest.json       files, sizes, sha256, input hashes, tool version (no timestamps)

plus whatever :func:`_write_reports` adds (print figures, snapshots, embed kit). Everything
is written into a staging folder inside the output folder first and published with a journal
(:class:`maplayout.publish.publisher.Publisher`): a build that fails leaves the previous outputs
untouched, a killed one is rolled forward by the next, and only files maplayout wrote (and
nobody changed since) are ever replaced or deleted. Identical inputs give identical bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError
from maplayout.model import LANGS, LayoutModel
from maplayout.publish.publisher import MANIFEST_FORMAT, Publisher
from maplayout.text import citation, title_text, ui_text, view_suffix

__all__ = ["BuildOptions", "BuildResult", "MapOutput", "build"]

MANIFEST_NAME = "build-manifest.json"
INDEX_NAME = "index.html"
#: The maps a default build writes: (key, level, file-name suffix).
DEFAULT_MAPS: tuple[tuple[str, str, str], ...] = (
    ("layout", "prefecture", ""),
    ("county", "county", "-county"),
)


@dataclass(frozen=True)
class BuildOptions:
    """The options of one build, handed to the report writers."""

    lang: str = "zh-Hans"
    basemap: str = "none"
    title: str | None = None
    tianditu_key: str | None = None
    figures: bool = True
    snapshots: str = "auto"
    font: str | Path | None = None  # figure font: a file or family; None = the bundled one
    #: Told ``(stage, seconds, file names, note)`` as each stage ends (``maplayout build``
    #: prints it); never changes what is written.
    progress: Callable[[str, float, list[str], str], None] | None = None


@dataclass
class MapOutput:
    """One interactive map of the build (``path`` is inside the staging folder while building)."""

    key: str  # "layout" | "county"
    level: str
    filename: str
    title: str
    description: str
    source: str
    model: LayoutModel
    path: Path
    extra: list[dict[str, Any]] = field(default_factory=list)  # links the viewer page shows
    thumbnail: str | None = None  # relative image path, set by the report writers
    alt: str = ""
    #: The card's texts in every language (``title``, ``description``, ``source``; the report
    #: writers add ``alt``) for the viewer page's language switch.
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    #: What happened to the map's snapshot, set by the report writers: ``"made"``,
    #: ``"skipped: not requested"`` or ``"skipped: no Chromium"`` (recorded in the manifest).
    snapshot: str = ""
    #: What happened to the map's print figure: ``"made"`` (``"made; …"`` with a note, e.g.
    #: characters no font has), ``"skipped: …"`` with the reason, or ``""`` (none drawn).
    figure: str = ""
    #: Seconds per output group, for ``maplayout build -v`` (never written to a file).
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildResult:
    """What a build wrote. Paths point into the output folder."""

    out_dir: Path
    index_path: Path
    files: list[Path]
    maps: list[Path]
    manifest: dict[str, Any]
    #: Files of the previous build (listed in its manifest) that this build did not write,
    #: deleted once this build succeeded.
    removed: list[Path] = field(default_factory=list)
    #: Files of the previous build left alone, with the reason (edited since, a symlink, …).
    kept: list[tuple[Path, str]] = field(default_factory=list)
    #: Optional outputs that could not be made as asked, with the reason (``--strict`` fails).
    missed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the command line: every file with its size."""
        lines = [f"built {len(self.files)} files in {self.out_dir}"]
        for entry in self.manifest["files"]:
            lines.append(f"  {entry['path']:<34} {entry['bytes'] / 1024:8.1f} KB")
        manifest = self.out_dir / MANIFEST_NAME
        size = manifest.stat().st_size / 1024 if manifest.is_file() else 0.0
        lines.append(f"  {MANIFEST_NAME:<34} {size:8.1f} KB")
        if self.removed:
            lines.append(f"removed {len(self.removed)} stale files of the previous build:")
            lines += [f"  {p.name}" for p in self.removed]
        if self.kept:
            lines.append(f"left alone {len(self.kept)} files of the previous build:")
            lines += [f"  {p.relative_to(self.out_dir).as_posix()}: {why}" for p, why in self.kept]
        lines.append(f"open in a browser: {self.index_path.resolve().as_uri()}")
        return "\n".join(lines)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug or "layout"


def _input_hashes(plan_path: Path | None) -> dict[str, str]:
    from maplayout._paths import geodata_dir

    out: dict[str, str] = {}
    if plan_path is not None and plan_path.is_file():
        out["plan"] = _sha256(plan_path.read_bytes())
    manifest = geodata_dir() / "manifest.json"
    if manifest.is_file():
        out["geodata_manifest"] = _sha256(manifest.read_bytes())
    return out


def _write_reports(stage: Path, maps: list[MapOutput], options: BuildOptions) -> list[Path]:
    """Write print figures, snapshots and the embed kit next to the maps (issue 5).

    Parameters
    ----------
    stage
        The staging folder of the build; write every file inside it.
    maps
        The interactive maps already written into ``stage`` (with their models). Set
        ``m.thumbnail`` / ``m.alt`` / append to ``m.extra`` to show them on the viewer page.
    options
        The build options (``figures``, ``snapshots``, ``lang`` …).

    Returns
    -------
    list[Path]
        The files written (inside ``stage``).
    """
    from maplayout.publish.reports import write_reports

    return write_reports(stage, maps, options)


def _models(plan: Any) -> dict[str, LayoutModel]:
    from maplayout.model import build_model as join

    return {level: join(plan, level=level) for _key, level, _suffix in DEFAULT_MAPS}


def build(
    plan: str | Path | None = None,
    out: str | Path = "maps",
    *,
    lang: str = "zh-Hans",
    basemap: str = "none",
    title: str | None = None,
    tianditu_key: str | None = None,
    figures: bool = True,
    snapshots: str = "auto",
    force: bool = False,
    font: str | Path | None = None,
    progress: Callable[[str, float, list[str], str], None] | None = None,
) -> BuildResult:
    """Build the layout map, the county view, the viewer page and the build manifest.

    Parameters
    ----------
    plan
        A plan YAML file; ``None`` for the embedded Hunan AI plan.
    out
        Output folder (created if needed). Once the build succeeded, the files the previous
        build's manifest lists that this build did not write are deleted (stale outputs of an
        earlier title or plan) if they are unchanged; any other file in the folder is kept.
        A failed build changes nothing.
    force
        Replace files on our output names that maplayout did not write (or that were
        changed since); without it such a clash is a :class:`BuildError` naming the file.
    lang, basemap, title, tianditu_key
        Passed to :func:`maplayout.web.render_map`.
    figures, snapshots
        Passed to the report writers (print figures; PNG snapshots ``"auto"|"yes"|"no"``).
        A figure or snapshot that cannot be made (a missing dependency) is skipped with a
        warning and recorded in the manifest and in ``BuildResult.missed``; the maps, the
        viewer page and the embed kit never depend on them.
    font
        The figure font: a font file or an installed family; ``None`` for the bundled one.
    progress
        Called ``(stage, seconds, file names, note)`` as each stage ends.

    Returns
    -------
    BuildResult

    Raises
    ------
    PlanError
        The plan is invalid (every problem listed).
    BuildError
        A bad option (unknown basemap or language, Tianditu without a key); nothing written.
    """
    from maplayout import __version__
    from maplayout._paths import default_plan_path
    from maplayout.plan import load_plan
    from maplayout.web import render_index, render_map
    from maplayout.web.basemaps import get_basemap

    if lang not in LANGS:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    get_basemap(basemap, tianditu_key)  # fail on a bad option before any work
    if figures and font is not None:
        from maplayout.print.fonts import choose_font

        choose_font(font)  # an unknown font is a user error: fail before any work
    options = BuildOptions(lang, basemap, title, tianditu_key, figures, snapshots, font, progress)
    plan_obj = load_plan(plan)
    plan_path = Path(plan) if plan is not None else default_plan_path()
    models = _models(plan_obj)
    out_dir = Path(out)
    publisher = Publisher(out_dir, MANIFEST_NAME, force=force)
    with publisher.staging() as stage:
        start = time.perf_counter()
        maps: list[MapOutput] = []
        for key, level, suffix in DEFAULT_MAPS:
            t0 = time.perf_counter()
            model = models[level]
            meta = model.meta
            filename = f"{_slug(meta.get('plan_id') or plan_obj.id)}{suffix}.html"
            html: str = render_map(
                model, lang=lang, basemap=basemap, title=title, tianditu_key=tianditu_key
            )
            path = stage / filename
            path.write_bytes(html.encode("utf-8"))
            base_title = title_text(meta, lang, title)
            maps.append(
                MapOutput(
                    key=key,
                    level=level,
                    filename=filename,
                    title=base_title + view_suffix(level, lang),
                    description=ui_text(f"index.{key}", lang),
                    source=citation(meta, lang, form="index"),
                    model=model,
                    path=path,
                    texts={
                        k: {
                            "title": title_text(meta, k, title) + view_suffix(level, k),
                            "description": ui_text(f"index.{key}", k),
                            "source": citation(meta, k, form="index"),
                        }
                        for k in LANGS
                    },
                )
            )
            maps[-1].timings["html"] = time.perf_counter() - t0
        if progress is not None:
            timed = [f"{m.filename} {m.timings['html']:.2f} s" for m in maps]
            progress("maps", time.perf_counter() - start, timed, "written")
        reports = list(_write_reports(stage, maps, options))
        entries = [
            {
                "href": m.filename,
                "title": m.title,
                "description": m.description,
                "source": m.source,
                "thumbnail": m.thumbnail,
                "alt": m.alt,
                "extra": m.extra,
            }
            for m in maps
        ]
        index = stage / INDEX_NAME
        index_title = title_text(models["prefecture"].meta, lang, title)
        i18n = {  # the page's texts in every language, for its 简 / 繁 / EN switch
            k: {
                "title": title_text(models["prefecture"].meta, k, title),
                "entries": [
                    {**m.texts.get(k, {}), "extra": [x.get("labels", {}).get(k) for x in m.extra]}
                    for m in maps
                ],
            }
            for k in LANGS
        }
        html = render_index(entries, lang=lang, title=index_title, i18n=i18n)
        index.write_bytes(html.encode("utf-8"))
        written = sorted({p.relative_to(stage) for p in [*(m.path for m in maps), *reports, index]})
        manifest = {
            "tool": "maplayout",
            "format": MANIFEST_FORMAT,
            "version": __version__,
            "plan_id": plan_obj.id,
            "options": {
                "lang": lang,
                "basemap": basemap,
                "title": title,
                "figures": figures,
                "snapshots": _snapshot_record(maps, snapshots),
            },
            **_figure_record(maps, options),
            "inputs": _input_hashes(plan_path),
            "maps": [{"key": m.key, "level": m.level, "path": m.filename} for m in maps],
            "files": [
                {
                    "path": rel.as_posix(),
                    "bytes": (stage / rel).stat().st_size,
                    "sha256": _sha256((stage / rel).read_bytes()),
                }
                for rel in written
            ],
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (stage / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
    report = publisher.publish()
    files = [out_dir / rel for rel in written] + [out_dir / MANIFEST_NAME]
    return BuildResult(
        out_dir=out_dir,
        index_path=out_dir / INDEX_NAME,
        files=files,
        maps=[out_dir / m.filename for m in maps],
        manifest=manifest,
        removed=[out_dir / rel for rel in report.removed],
        kept=[(out_dir / rel, why) for rel, why in report.kept],
        missed=_missed(maps),
    )


def _snapshot_record(maps: list[MapOutput], requested: str) -> str | dict[str, str]:
    """What happened to the snapshots: one text when every map shares it, else per map."""
    default = "skipped: not requested" if str(requested).lower() == "no" else "not recorded"
    states = {m.filename: m.snapshot or default for m in maps}
    values = sorted(set(states.values()))
    return values[0] if len(values) == 1 else states


def _figure_record(maps: list[MapOutput], options: BuildOptions) -> dict[str, Any]:
    """``figures`` (what happened, one text or per map) and ``figure_font`` (family, files,
    licence) for the manifest; nothing when figures were not asked for."""
    if not options.figures:
        return {}
    states = {m.filename: m.figure for m in maps if m.figure}
    values = sorted(set(states.values()))
    out: dict[str, Any] = {"figures": values[0] if len(values) == 1 else states}
    if any(v.startswith("made") for v in values):
        from maplayout.print.fonts import choose_font

        out["figure_font"] = choose_font(options.font).record()
    return out


def _missed(maps: list[MapOutput]) -> list[str]:
    """Optional outputs not made as asked (a skip on request is not a miss)."""
    out = []
    for m in maps:
        if m.snapshot.startswith("skipped:") and m.snapshot != "skipped: not requested":
            out.append(f"{m.filename}: snapshot {m.snapshot}")
        if m.figure and m.figure != "made":
            out.append(f"{m.filename}: figure {m.figure}")
    return out
