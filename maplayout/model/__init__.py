"""The layout model: the join stage's output, which every renderer reads.

* :mod:`maplayout.model.contract` — :class:`LayoutModel` and its column contracts;
* :mod:`maplayout.model.types` — the typed ``meta``, legend entries and facts;
* :mod:`maplayout.model.build` — :func:`build_model`, the join of a plan with the boundaries
  (its ``meta`` from :mod:`maplayout.model.meta`, the link, site and context rows and the
  shared column helpers from :mod:`maplayout.model.rows`);
* :mod:`maplayout.model.symbology` — colours, legend and search keys, decided once;
* :mod:`maplayout.model.datum` — the model moved to a basemap's datum (GCJ-02, BD-09).

This package imports the plan and geo stages, never a renderer (``maplayout.web``, the print
figure) and never writes a file.

Examples
--------
>>> from maplayout.model import build_model
>>> model = build_model(level="county")  # doctest: +SKIP
"""

from __future__ import annotations

from maplayout.model.build import LEVELS, build_model, join, model_levels, unit_frames
from maplayout.model.contract import (
    CONTEXT_COLUMNS,
    GROUP_COLUMNS,
    LANG_SUFFIX,
    LANGS,
    LAYER_COUNT_COLUMNS,
    LAYER_POINT_COLUMNS,
    LINK_COLUMNS,
    SITE_COLUMNS,
    UNIT_COLUMNS,
    UNIT_DISPLAY_COLUMNS,
    UNIT_PARENT_COLUMNS,
    LayoutModel,
    as_list,
    as_number,
    pick_text,
    records,
    row_text,
    text_columns,
)
from maplayout.model.datum import in_datum
from maplayout.model.layers import layer_counts, layer_points
from maplayout.model.meta import model_meta
from maplayout.model.rows import (
    UNIT_STYLE,
    context_frame,
    lang_texts,
    link_frame,
    model_frame,
    site_frame,
    style_columns,
    texts_row,
)
from maplayout.model.sources import (
    UNIT_LEVELS,
    frame_bounds,
    is_hunan_default,
    level_frame,
    parent_level,
    region_context_rows,
    within_region,
)
from maplayout.model.symbology import (
    RGBA,
    composite,
    composite_rgba,
    display_fill,
    display_fills,
    extra_search_keys,
    group_fills,
    hex_rgb,
    legend_entries,
    search_keys,
    with_display_fills,
)
from maplayout.model.types import (
    BoundarySource,
    Fact,
    LangText,
    LegendEntry,
    LegendMember,
    Meta,
    SourceMeta,
)

__all__ = [
    "CONTEXT_COLUMNS",
    "GROUP_COLUMNS",
    "LANGS",
    "LANG_SUFFIX",
    "LAYER_COUNT_COLUMNS",
    "LAYER_POINT_COLUMNS",
    "LEVELS",
    "LINK_COLUMNS",
    "RGBA",
    "SITE_COLUMNS",
    "UNIT_COLUMNS",
    "UNIT_DISPLAY_COLUMNS",
    "UNIT_LEVELS",
    "UNIT_PARENT_COLUMNS",
    "UNIT_STYLE",
    "BoundarySource",
    "Fact",
    "LangText",
    "LayoutModel",
    "LegendEntry",
    "LegendMember",
    "Meta",
    "SourceMeta",
    "as_list",
    "as_number",
    "build_model",
    "composite",
    "composite_rgba",
    "context_frame",
    "display_fill",
    "display_fills",
    "extra_search_keys",
    "frame_bounds",
    "group_fills",
    "hex_rgb",
    "in_datum",
    "is_hunan_default",
    "join",
    "lang_texts",
    "layer_counts",
    "layer_points",
    "legend_entries",
    "level_frame",
    "link_frame",
    "model_frame",
    "model_levels",
    "model_meta",
    "parent_level",
    "pick_text",
    "records",
    "region_context_rows",
    "row_text",
    "search_keys",
    "site_frame",
    "style_columns",
    "text_columns",
    "texts_row",
    "unit_frames",
    "with_display_fills",
    "within_region",
]
