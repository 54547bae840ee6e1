"""The build manifest: options, what happened to figures and snapshots, input hashes and
every file with its size and sha256 (no timestamps); and what a build missed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from maplayout.plan import Layer
from maplayout.publish.outputs import BuildOptions, MapOutput
from maplayout.publish.publisher import MANIFEST_FORMAT
from maplayout.publish.reports import MapReport

__all__ = ["input_hashes", "manifest_record", "missed", "sha256"]


def sha256(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def input_hashes(
    plan_file: Path | None,
    layers: Sequence[Layer] = (),
    boundaries: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The sha256 of the plan file (if one), of the shipped geodata manifest and, when the
    plan has data layers, ``layers``: each layer file's id, path (relative to the plan's
    folder, ``/``-separated), bytes and sha256, as read when the plan was checked; when it
    draws its own units, ``boundaries``: their file (as the plan names it, or ``boundaries=``
    for a GeoDataFrame) and sha256 (of the file's bytes, or of the frame)."""
    from maplayout._paths import geodata_dir

    out: dict[str, Any] = {}
    if plan_file is not None and plan_file.is_file():
        out["plan"] = sha256(plan_file.read_bytes())
    manifest = geodata_dir() / "manifest.json"
    if manifest.is_file():
        out["geodata_manifest"] = sha256(manifest.read_bytes())
    if layers:
        out["layers"] = [_layer_record(layer, plan_file) for layer in layers]
    if boundaries:
        out["boundaries"] = dict(boundaries)
    return out


def _layer_record(layer: Layer, plan_file: Path | None) -> dict[str, Any]:
    path = Path(layer.file)
    if plan_file is not None:  # a --layer file outside the plan's folder is stored absolute
        folder = plan_file.parent
        path = Path(os.path.relpath(folder / path, folder)) if path.is_absolute() else path
    return {"id": layer.id, "path": path.as_posix(), "bytes": layer.size, "sha256": layer.digest}


def manifest_record(
    stage: Path,
    written: list[Path],
    plan_id: str,
    plan_file: Path | None,
    maps: list[MapOutput],
    reports: list[MapReport],
    options: BuildOptions,
    layers: Sequence[Layer] = (),
    boundaries: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The build manifest: options, what happened to figures and snapshots, input hashes
    (the plan's data ``layers`` among them) and every file with its size and sha256 (no
    timestamps)."""
    from maplayout import __version__

    return {
        "tool": "maplayout",
        "format": MANIFEST_FORMAT,
        "version": __version__,
        "plan_id": plan_id,
        "options": {
            "lang": options.lang,
            "basemap": options.basemap,
            "title": options.title,
            "figures": options.figures,
            "snapshots": _snapshot_record(maps, reports, options.snapshots),
        },
        **_figure_record(maps, reports, options),
        "inputs": input_hashes(plan_file, layers, boundaries),
        "maps": [{"key": m.key, "level": m.level, "path": m.filename} for m in maps],
        "files": [
            {
                "path": rel.as_posix(),
                "bytes": (stage / rel).stat().st_size,
                "sha256": sha256((stage / rel).read_bytes()),
            }
            for rel in written
        ],
    }


def _snapshot_record(
    maps: list[MapOutput], reports: list[MapReport], requested: str
) -> str | dict[str, str]:
    """What happened to the snapshots: one text when every map shares it, else per map."""
    default = "skipped: not requested" if str(requested).lower() == "no" else "not recorded"
    states = {m.filename: r.snapshot or default for m, r in zip(maps, reports, strict=True)}
    values = sorted(set(states.values()))
    return values[0] if len(values) == 1 else states


def _figure_record(
    maps: list[MapOutput], reports: list[MapReport], options: BuildOptions
) -> dict[str, Any]:
    """``figures`` (what happened, one text or per map) and ``figure_font`` (family, files,
    licence) for the manifest; nothing when figures were not asked for."""
    if not options.figures:
        return {}
    pairs = zip(maps, reports, strict=True)
    states = {m.filename: r.figure for m, r in pairs if r.figure}
    values = sorted(set(states.values()))
    out: dict[str, Any] = {"figures": values[0] if len(values) == 1 else states}
    if any(v.startswith("made") for v in values):
        from maplayout.print.fonts import (
            BUNDLED_FAMILY,
            FontChoice,
            bundled_font_files,
            choose_font,
        )

        # the bundled font is recorded without importing matplotlib (choose_font registers
        # it): the figures were drawn in the figure worker, this process needs none of it
        if options.font is None or str(options.font) == BUNDLED_FAMILY:
            choice = FontChoice(BUNDLED_FAMILY, bundled_font_files())
        else:
            choice = choose_font(options.font)
        out["figure_font"] = choice.record()
    return out


def missed(maps: list[MapOutput], reports: list[MapReport]) -> list[str]:
    """Optional outputs not made as asked (a skip on request is not a miss)."""
    out = []
    for m, r in zip(maps, reports, strict=True):
        if r.snapshot.startswith("skipped:") and r.snapshot != "skipped: not requested":
            out.append(f"{m.filename}: snapshot {r.snapshot}")
        if r.figure and r.figure != "made":
            out.append(f"{m.filename}: figure {r.figure}")
    return out
