"""``maplayout build``: every default map of a plan, a viewer page and a manifest, atomically.

One build writes into its output folder::

    <plan-id>.html            the layout map (prefecture level)
    <plan-id>-county.html     the county view (same plan over the counties)
    index.html                the viewer page listing every map
    build-manifest.json       files, sizes, sha256, input hashes, tool version (no timestamps)

plus what the report writers add (:func:`maplayout.publish.reports.write_reports`: print
figures, snapshots, embed kit). The steps: check the options, load the source (a path, a
plan or a model), write the maps, the reports, the index page and the manifest. Everything
is written into a staging folder inside the output folder first and published with a journal
(:class:`maplayout.publish.publisher.Publisher`): a build that fails leaves the previous outputs
untouched, a killed one is rolled forward by the next, and only files maplayout wrote (and
nobody changed since) are ever replaced or deleted. Identical inputs give identical bytes.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from maplayout.errors import BuildError
from maplayout.model import LANGS, LayoutModel
from maplayout.plan import Layer, Plan
from maplayout.publish.cache import ArtifactCache, snapshot_setting
from maplayout.publish.figworker import FigureWorker
from maplayout.publish.manifest import manifest_record, missed, sha256
from maplayout.publish.outputs import (
    INDEX_NAME,
    MANIFEST_NAME,
    BuildOptions,
    BuildResult,
    MapOutput,
    plan_maps,
)
from maplayout.publish.publisher import Publisher
from maplayout.publish.reports import MapReport
from maplayout.publish.snapshots import Snapshotter
from maplayout.text import citation, title_text, ui_text, view_suffix

__all__ = ["BuildOptions", "BuildResult", "MapOutput", "PlanInput", "build"]

#: What :func:`build` accepts: a plan file (``None``: the default plan), a plan or a model.
PlanInput = str | Path | Plan | LayoutModel | None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug or "layout"


def _write_reports(
    stage: Path, maps: list[MapOutput], options: BuildOptions
) -> Sequence[MapReport]:
    """Write print figures, snapshots and the embed kit next to the maps (issue 5).

    Parameters
    ----------
    stage
        The staging folder of the build; write every file inside it.
    maps
        The interactive maps already written into ``stage`` (with their models).
    options
        The build options (``figures``, ``snapshots``, ``lang`` …).

    Returns
    -------
    Sequence[MapReport]
        One per map, in order: thumbnail, alt texts, links, snapshot and figure states and
        the files written (inside ``stage``).
    """
    from maplayout.publish.reports import write_reports

    return write_reports(stage, maps, options)


def _models(plan: Plan) -> dict[str, LayoutModel]:
    from maplayout.model import build_model, model_levels

    return {level: build_model(plan, level=level) for level in model_levels(plan)}


@dataclass(frozen=True)
class _Source:
    """What a build draws: the plan's id, a model per level (in map order), the plan file and
    the plan's data layers (their files are inputs too)."""

    plan_id: str
    models: dict[str, LayoutModel]
    plan_file: Path | None
    layers: tuple[Layer, ...] = ()

    @property
    def maps(self) -> tuple[tuple[str, str, str], ...]:
        """``(key, level, suffix)`` of each map, the layout map first (:func:`plan_maps`)."""
        return plan_maps(list(self.models))


def _source(plan: PlanInput) -> _Source:
    """The models to build from a plan file (``None``: the default plan), a :class:`Plan` or a
    :class:`LayoutModel` (its own level, plus the other levels from ``model.plan`` if it
    carries its plan)."""
    if isinstance(plan, LayoutModel):
        models: dict[str, LayoutModel] = {plan.level: plan}
        levels: tuple[str, ...] = (plan.level,)
        if plan.plan is not None:
            from maplayout.model import build_model, model_levels

            levels = model_levels(plan.plan)
            for level in levels:
                if level != plan.level:
                    models[level] = build_model(plan.plan, level=level)
        order = [level for level in levels if level in models] or [plan.level]
        origin = plan.plan
        plan_id = origin.id if origin is not None else str(plan.meta.get("plan_id") or "")
        layers = origin.layers if origin is not None else ()
        return _Source(plan_id, {lv: models[lv] for lv in order}, _plan_file(origin), layers)
    if not isinstance(plan, Plan):
        from maplayout.plan import load_plan

        plan = load_plan(plan)
    return _Source(plan.id, _models(plan), _plan_file(plan), plan.layers)


def _plan_file(plan: Plan | None) -> Path | None:
    """The file the plan was read from (its hash goes into the manifest), if it is one."""
    if plan is None:
        return None
    path = Path(plan.path)
    return path if path.is_file() else None


def build(
    plan: PlanInput = None,
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
    cache: bool = True,
    snapshotter: Snapshotter | None = None,
    plan_digest: str | None = None,
    figure_worker: FigureWorker | bool = False,
) -> BuildResult:
    """Build the layout map, the county view, the viewer page and the build manifest.

    Parameters
    ----------
    plan
        A plan YAML file (``None`` for the embedded Hunan AI plan), a loaded
        :class:`~maplayout.plan.Plan` (one edited in a notebook is built as it is), or a
        :class:`~maplayout.model.LayoutModel`: its own map is built from the model as it is,
        and the other default maps from the plan the model was joined from
        (``model.plan``) when it carries one, else only the model's own map. The manifest
        records the sha256 of the file the plan was read from (``plan.path``), if it is one.
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
    cache
        Reuse the snapshots and print figures of the previous build in ``out`` whose own
        inputs did not change (:mod:`maplayout.publish.cache`; the bytes are the same as a
        clean build's). ``False``: draw everything (the state is still recorded for the next
        build).
    snapshotter
        A Chromium launched earlier (:meth:`Snapshotter.start`, so the launch overlaps
        loading the plan); the caller closes it. ``None``: the build launches its own at the
        start, when snapshots may be taken.
    plan_digest
        The sha256 of the plan file's bytes read *before* ``plan`` was loaded from it
        (:func:`maplayout.publish.cache.up_to_date` returns it), for a :class:`Plan` passed in
        unedited: the build then records its inputs so that ``maplayout build`` can tell the
        next run that nothing changed. Computed here when ``plan`` is a file name (or
        ``None``); never pass it for a plan edited in memory.
    figure_worker
        A :class:`~maplayout.publish.figworker.FigureWorker` started earlier (its imports
        overlap loading the plan); the caller closes it. ``True``: the build starts its own
        at the start, when figures are drawn, and reaps it before returning. ``False`` (the
        default): draw the figures in this process — on a 2-core machine the worker's second
        set of imports costs more than the overlap gains (docs/maps.md). Either way the bytes
        are the same; a worker that cannot start leaves the drawing to this process.

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
    options = BuildOptions(lang, basemap, title, tianditu_key, figures, snapshots, font, progress)
    _check_options(options)
    if plan_digest is None and not isinstance(plan, Plan | LayoutModel):
        plan_digest = _file_digest(plan)  # before loading: an edit meanwhile shows next time
    own_worker = worker = figure_worker if isinstance(figure_worker, FigureWorker) else None
    if figures and figure_worker is True:  # its imports overlap the join and the maps
        own_worker = worker = FigureWorker().start()
    elif own_worker is figure_worker:
        own_worker = None  # the caller's: the caller closes it
    own = None
    if snapshotter is None and snapshot_setting(snapshots) != "no":
        own = snapshotter = Snapshotter(single_batch=True).start()  # overlaps the join, maps
    try:
        source = _source(plan)
        out_dir = Path(out)
        publisher = Publisher(out_dir, MANIFEST_NAME, force=force)
        store = ArtifactCache.open(out_dir) if cache else ArtifactCache(out_dir)
        options = replace(options, cache=store, snapshotter=snapshotter, figure_worker=worker)
        with publisher.staging() as stage:
            early = _begin_figures(stage, source, options)
            try:
                options = replace(options, early_figures=early)
                maps = _write_maps(stage, source, options)
                reports = list(_write_reports(stage, maps, options))
            finally:  # a failed or interrupted build: no figure child writes on
                _cancel_figures(early)
            index = _write_index(stage, maps, reports, options)
            files = [*(m.path for m in maps), *(p for r in reports for p in r.files), index]
            written = sorted({p.relative_to(stage) for p in files})
            manifest = manifest_record(
                stage,
                written,
                source.plan_id,
                source.plan_file,
                maps,
                reports,
                options,
                source.layers,
                _boundary_input(source),
            )
            text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            (stage / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
        published = publisher.publish()
    finally:
        if own is not None:
            own.close()
        if own_worker is not None:
            own_worker.close()
    _save_state(store, source, options, plan_digest, text, missed(maps, reports))
    return BuildResult(
        out_dir=out_dir,
        index_path=out_dir / INDEX_NAME,
        files=[out_dir / rel for rel in written] + [out_dir / MANIFEST_NAME],
        maps=[out_dir / m.filename for m in maps],
        manifest=manifest,
        removed=[out_dir / rel for rel in published.removed],
        kept=[(out_dir / rel, why) for rel, why in published.kept],
        missed=missed(maps, reports),
    )


def _file_digest(plan: str | Path | None) -> str | None:
    from maplayout._paths import default_plan_path
    from maplayout.publish.cache import file_digest

    return file_digest(Path(plan) if plan is not None else default_plan_path())


def _own_units(source: _Source) -> Any:
    """The plan's own units (``boundaries:`` / ``boundaries=``), or None."""
    plan = next(iter(source.models.values())).plan
    return getattr(plan, "boundaries", None)


def _boundary_input(source: _Source) -> dict[str, str] | None:
    """The manifest's record of the plan's own boundaries: their file and sha256."""
    own = _own_units(source)
    if own is None:
        return None
    return {"path": own.spec.file or own.shown, "sha256": own.digest}


def _save_state(
    store: ArtifactCache,
    source: _Source,
    options: BuildOptions,
    plan_digest: str | None,
    manifest_text: str,
    misses: list[str],
) -> None:
    """Record what this build made and, when every input is a file it can name (the plan as
    read, its data layers, a figure font file), the key :func:`up_to_date` compares."""
    from maplayout.publish.cache import font_input, options_key

    plan = next(iter(source.models.values())).plan
    key = files = None
    cacheable, font_files = font_input(options.font)
    if plan_digest is not None and source.plan_file is not None and plan is not None and cacheable:
        base = source.plan_file.resolve().parent
        files = {str(source.plan_file.resolve()): plan_digest, **font_files}
        for layer in plan.layers:
            files[str((base / layer.file).resolve())] = layer.digest or "missing"
        own = _own_units(source)
        if own is not None and own.spec.file:  # a Shapefile's side files are inputs too
            files[str((base / own.spec.file).resolve())] = own.digest
        single = own is None or (own.spec.file and not own.spec.file.lower().endswith(".shp"))
        key = options_key(options, files) if single else None
    warned = [str(w) for w in getattr(plan, "warnings", ())]
    store.save(
        manifest_sha=sha256(manifest_text.encode("utf-8")),
        key=key,
        files=files,
        warnings=warned,
        missed=misses,
    )


def _check_options(options: BuildOptions) -> None:
    """Fail on a bad option before any work (a user error: nothing is written)."""
    from maplayout.web.basemaps import get_basemap

    if options.lang not in LANGS:
        raise BuildError(f"unknown language {options.lang!r}; expected one of {', '.join(LANGS)}")
    get_basemap(options.basemap, options.tianditu_key)
    if options.figures and options.font is not None:
        from maplayout.print.fonts import choose_font

        choose_font(options.font)  # an unknown font is a user error


def _begin_figures(stage: Path, source: _Source, options: BuildOptions) -> dict[str, Any]:
    """Begin the print figures of the maps that always get one (the layout map) before the
    maps are written: on Linux each is drawn in a forked child meanwhile
    (:func:`maplayout.publish.reports.begin_figures`)."""
    if not options.figures:
        return {}
    from maplayout.publish.reports import FIGURE_MAPS, begin_figures

    maps = [
        (key, _map_filename(source.models[level], suffix, source.plan_id), source.models[level])
        for key, level, suffix in source.maps
        if key in FIGURE_MAPS
    ]
    return begin_figures(stage, maps, options, {}) if maps else {}


def _cancel_figures(early: dict[str, Any]) -> None:
    if early:
        from maplayout.publish.reports import cancel_figures

        cancel_figures(early)


def _map_filename(model: LayoutModel, suffix: str, plan_id: str) -> str:
    return f"{_slug(model.meta.get('plan_id') or plan_id)}{suffix}.html"


def _write_maps(stage: Path, source: _Source, options: BuildOptions) -> list[MapOutput]:
    """Render every map of ``source`` into ``stage``, the layout map first."""
    start = time.perf_counter()
    maps = [
        _write_map(stage, key, source.models[level], suffix, source.plan_id, options)
        for key, level, suffix in source.maps
    ]
    if options.progress is not None:
        timed = [f"{m.filename} {m.seconds:.2f} s" for m in maps]
        options.progress("maps", time.perf_counter() - start, timed, "written")
    return maps


def _write_map(
    stage: Path, key: str, model: LayoutModel, suffix: str, plan_id: str, options: BuildOptions
) -> MapOutput:
    """One interactive map and its card's texts."""
    from maplayout.web import render_map

    t0 = time.perf_counter()
    meta, title, level = model.meta, options.title, model.level
    filename = _map_filename(model, suffix, plan_id)
    html = render_map(
        model,
        lang=options.lang,
        basemap=options.basemap,
        title=title,
        tianditu_key=options.tianditu_key,
    )
    path = stage / filename
    path.write_bytes(html.encode("utf-8"))
    layout = (meta.get("levels") or ["prefecture"])[0]
    texts = {
        k: {
            "title": title_text(meta, k, title) + view_suffix(level, k, layout),
            "description": ui_text(_index_key(key, model), k),
            "source": citation(meta, k, form="index"),
        }
        for k in LANGS
    }
    mine = texts[options.lang]
    return MapOutput(
        key=key,
        level=level,
        filename=filename,
        title=mine["title"],
        description=mine["description"],
        source=mine["source"],
        model=model,
        path=path,
        texts=texts,
        seconds=time.perf_counter() - t0,
    )


def _index_key(key: str, model: LayoutModel) -> str:
    """The index page's description of a map: Hunan's own (``index.layout``, the 122-county
    ``index.county``), else one naming the map's level."""
    level = model.level
    if key == "layout":
        return "index.layout" if level == "prefecture" else f"index.layout_{level}"
    region = tuple(model.plan.region_adcodes) if model.plan is not None else ()
    if key == "county" and region not in ((), ("430000",)):
        return "index.county_any"
    return f"index.{key}"


def _write_index(
    stage: Path, maps: list[MapOutput], reports: list[MapReport], options: BuildOptions
) -> Path:
    """The viewer page: a card per map, with its texts in every language."""
    from maplayout.web import render_index

    entries = [
        {
            "href": m.filename,
            "title": m.title,
            "description": m.description,
            "source": m.source,
            "thumbnail": r.thumbnail,
            "alt": r.alt,
            "extra": [link.as_entry() for link in r.links],
        }
        for m, r in zip(maps, reports, strict=True)
    ]
    meta = maps[0].model.meta  # the layout map's, when it is built
    i18n = {  # the page's texts in every language, for its 简 / 繁 / EN switch
        k: {
            "title": title_text(meta, k, options.title),
            "entries": [
                {
                    **m.texts.get(k, {}),
                    **({"alt": r.alt_texts[k]} if k in r.alt_texts else {}),
                    "extra": [link.labels.get(k) for link in r.links],
                }
                for m, r in zip(maps, reports, strict=True)
            ],
        }
        for k in LANGS
    }
    title = title_text(meta, options.lang, options.title)
    index = stage / INDEX_NAME
    html = render_index(entries, lang=options.lang, title=title, i18n=i18n)
    index.write_bytes(html.encode("utf-8"))
    return index
