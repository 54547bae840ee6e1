"""Publishing: the build (:mod:`.pipeline`), what is written beside each map
(:mod:`.reports`), the embed kit (:mod:`.embed`), Chromium snapshots (:mod:`.snapshots`) and
the atomic, ownership-checked publisher (:mod:`.publisher`). Every public name is
re-exported here.

Imports ``plan``, ``model``, ``web``, ``print`` (figures, inside the functions that make
them), ``text`` and the shared I/O helpers (``_atomic``, ``_safeio``, ``_paths``).
"""

from __future__ import annotations

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
    SNAPSHOT_MODES,
    THUMB_SIZE,
    MapReport,
    ReportLink,
    write_reports,
)
from maplayout.publish.snapshots import (
    CHROMIUM_ARGS,
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

__all__ = [
    "CHROMIUM_ARGS",
    "DEFAULT_MAPS",
    "HIDDEN",
    "INDEX_NAME",
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "SIZE_LIMITS",
    "SNAPSHOT_MODES",
    "THUMB_SIZE",
    "BuildOptions",
    "BuildResult",
    "MapHTML",
    "MapOutput",
    "MapReport",
    "PlanInput",
    "PublishReport",
    "Publisher",
    "ReportLink",
    "Snapshotter",
    "alt_text",
    "attribution_text",
    "build",
    "caption",
    "embed_fragment",
    "find_chromium",
    "frame_records",
    "iframe_snippet",
    "input_hashes",
    "manifest_record",
    "memo_rows",
    "missed",
    "name_map",
    "names_of",
    "one_line",
    "owned_files",
    "plan_maps",
    "safe_cell",
    "sha256",
    "snapshot",
    "source_line",
    "stop_names",
    "table_csv",
    "table_markdown",
    "table_rows",
    "thumbnail",
    "view_title",
    "write_kit",
    "write_reports",
]
