"""Publishing: the build (:mod:`.pipeline`), what is written beside each map
(:mod:`.reports`), the embed kit (:mod:`.embed`), Chromium snapshots (:mod:`.snapshots`), the
figure worker process (:mod:`.figworker`) and the atomic, ownership-checked publisher
(:mod:`.publisher`). Every public name is re-exported here.

Imports ``plan``, ``model``, ``web``, ``print`` (figures, inside the functions that make
them), ``text`` and the shared I/O helpers (``_atomic``, ``_safeio``, ``_paths``).

The names are imported on first use (as ``import maplayout`` does), so a module that needs
only the standard library (:mod:`.cache`: is the output folder up to date?) or Playwright
(:mod:`.snapshots`) is imported without geopandas and matplotlib: ``maplayout build`` decides
"nothing changed" and starts Chromium before the heavy imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maplayout.publish.cache import (
        KEY_OPTIONS,
        ArtifactCache,
        Fresh,
        digests_path,
        environment_digest,
        file_digest,
        font_input,
        input_key,
        model_digest,
        options_key,
        snapshot_setting,
        state_path,
        up_to_date,
    )
    from maplayout.publish.embed import (
        MapHTML,
        alt_text,
        attribution_text,
        caption,
        embed_fragment,
        iframe_snippet,
        source_line,
        table_csv,
        table_markdown,
        table_rows,
        view_title,
        write_kit,
    )
    from maplayout.publish.figworker import FORK_AVAILABLE, FigureWorker, ForkedFigure, WorkerFigure
    from maplayout.publish.images import thumbnail
    from maplayout.publish.manifest import input_hashes, manifest_record, missed, sha256
    from maplayout.publish.outputs import (
        DEFAULT_MAPS,
        INDEX_NAME,
        MANIFEST_NAME,
        BuildOptions,
        BuildResult,
        MapOutput,
        plan_maps,
    )
    from maplayout.publish.pipeline import PlanInput, build
    from maplayout.publish.publisher import (
        HIDDEN,
        MANIFEST_FORMAT,
        Publisher,
        PublishReport,
        owned_files,
    )
    from maplayout.publish.reports import (
        FIGURE_BLANK_COLUMNS,
        FIGURE_BLANK_TEXTS,
        SNAPSHOT_MODES,
        THUMB_SIZE,
        MapReport,
        ReportLink,
        begin_figures,
        cancel_figures,
        figure_model,
        write_reports,
    )
    from maplayout.publish.snapshots import (
        CHROMIUM_ARGS,
        CHROMIUM_NAMES,
        SIZE_LIMITS,
        Snapshotter,
        find_chromium,
        snapshot,
    )
    from maplayout.publish.table import (
        frame_records,
        memo_rows,
        name_map,
        names_of,
        one_line,
        safe_cell,
        stop_names,
    )

_LAZY: dict[str, tuple[str, ...]] = {
    "cache": (
        "KEY_OPTIONS",
        "ArtifactCache",
        "Fresh",
        "digests_path",
        "environment_digest",
        "file_digest",
        "font_input",
        "input_key",
        "model_digest",
        "options_key",
        "snapshot_setting",
        "state_path",
        "up_to_date",
    ),
    "embed": (
        "MapHTML",
        "alt_text",
        "attribution_text",
        "caption",
        "embed_fragment",
        "iframe_snippet",
        "source_line",
        "table_csv",
        "table_markdown",
        "table_rows",
        "view_title",
        "write_kit",
    ),
    "figworker": ("FORK_AVAILABLE", "FigureWorker", "ForkedFigure", "WorkerFigure"),
    "images": ("thumbnail",),
    "manifest": (
        "input_hashes",
        "manifest_record",
        "missed",
        "sha256",
    ),
    "outputs": (
        "DEFAULT_MAPS",
        "INDEX_NAME",
        "MANIFEST_NAME",
        "BuildOptions",
        "BuildResult",
        "MapOutput",
        "plan_maps",
    ),
    "pipeline": (
        "PlanInput",
        "build",
    ),
    "publisher": (
        "HIDDEN",
        "MANIFEST_FORMAT",
        "Publisher",
        "PublishReport",
        "owned_files",
    ),
    "reports": (
        "FIGURE_BLANK_COLUMNS",
        "FIGURE_BLANK_TEXTS",
        "figure_model",
        "SNAPSHOT_MODES",
        "THUMB_SIZE",
        "MapReport",
        "ReportLink",
        "begin_figures",
        "cancel_figures",
        "write_reports",
    ),
    "snapshots": (
        "CHROMIUM_ARGS",
        "CHROMIUM_NAMES",
        "SIZE_LIMITS",
        "Snapshotter",
        "find_chromium",
        "snapshot",
    ),
    "table": (
        "frame_records",
        "memo_rows",
        "name_map",
        "names_of",
        "one_line",
        "safe_cell",
        "stop_names",
    ),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_NAMES",
    "DEFAULT_MAPS",
    "FIGURE_BLANK_COLUMNS",
    "FIGURE_BLANK_TEXTS",
    "FORK_AVAILABLE",
    "HIDDEN",
    "INDEX_NAME",
    "KEY_OPTIONS",
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "SIZE_LIMITS",
    "SNAPSHOT_MODES",
    "THUMB_SIZE",
    "ArtifactCache",
    "BuildOptions",
    "BuildResult",
    "FigureWorker",
    "ForkedFigure",
    "Fresh",
    "MapHTML",
    "MapOutput",
    "MapReport",
    "PlanInput",
    "PublishReport",
    "Publisher",
    "ReportLink",
    "Snapshotter",
    "WorkerFigure",
    "alt_text",
    "attribution_text",
    "begin_figures",
    "build",
    "cancel_figures",
    "caption",
    "digests_path",
    "embed_fragment",
    "environment_digest",
    "figure_model",
    "file_digest",
    "find_chromium",
    "font_input",
    "frame_records",
    "iframe_snippet",
    "input_hashes",
    "input_key",
    "manifest_record",
    "memo_rows",
    "missed",
    "model_digest",
    "name_map",
    "names_of",
    "one_line",
    "options_key",
    "owned_files",
    "plan_maps",
    "safe_cell",
    "sha256",
    "snapshot",
    "snapshot_setting",
    "source_line",
    "state_path",
    "stop_names",
    "table_csv",
    "table_markdown",
    "table_rows",
    "thumbnail",
    "up_to_date",
    "view_title",
    "write_kit",
    "write_reports",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
