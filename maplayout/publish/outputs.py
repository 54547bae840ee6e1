"""The values a build passes between its steps: options, the maps written, the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model (geopandas) only for type checking: maplayout build's
    # up-to-date check imports this module's names before any heavy import
    from maplayout.model import LayoutModel
    from maplayout.publish.cache import ArtifactCache
    from maplayout.publish.figworker import FigureWorker
    from maplayout.publish.snapshots import Snapshotter

__all__ = [
    "DEFAULT_MAPS",
    "INDEX_NAME",
    "MANIFEST_NAME",
    "BuildOptions",
    "BuildResult",
    "MapOutput",
    "plan_maps",
]

MANIFEST_NAME = "build-manifest.json"
INDEX_NAME = "index.html"


def plan_maps(levels: Sequence[str]) -> tuple[tuple[str, str, str], ...]:
    """The maps of a plan built at ``levels`` (its :func:`~maplayout.model.model_levels`):
    ``(key, level, file-name suffix)``, the layout map first, each other map named by its
    level (``-county``, ``-prefecture``)."""
    return tuple(
        ("layout", level, "") if n == 0 else (level, level, f"-{level}")
        for n, level in enumerate(levels)
    )


#: The maps a default (Hunan) build writes: (key, level, file-name suffix).
DEFAULT_MAPS: tuple[tuple[str, str, str], ...] = plan_maps(("prefecture", "county"))


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
    #: Snapshots and figures of the previous build to reuse when their inputs are unchanged
    #: (:class:`maplayout.publish.cache.ArtifactCache`); ``None``: draw everything. Never
    #: changes what is written.
    cache: ArtifactCache | None = None
    #: A Chromium already launched (:meth:`Snapshotter.start`) for the snapshots; its
    #: owner closes it. ``None``: the report writers start their own when they need one.
    snapshotter: Snapshotter | None = None
    #: A figure worker already started (:class:`maplayout.publish.figworker.FigureWorker`)
    #: that draws the print figures; its owner closes it. ``None``: drawn in-process.
    figure_worker: FigureWorker | None = None
    #: Print figures the build began before writing the maps (``{map file name: pending}``,
    #: :func:`maplayout.publish.reports.begin_figures`); the report writers finish them.
    early_figures: dict[str, Any] | None = None


@dataclass(frozen=True)
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
    #: The card's texts in every language (``title``, ``description``, ``source``) for the
    #: viewer page's language switch.
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Seconds the page took (``maplayout build -v``; never written to a file).
    seconds: float = 0.0


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
