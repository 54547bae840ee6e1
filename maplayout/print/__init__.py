"""Print figures: the figure (:mod:`.figure`), its layers (:mod:`.layers`: context, units,
groups; :mod:`.links`; :mod:`.legend`; :mod:`.sitekey`: the numbered site list;
:mod:`.furniture`: scale bar and north arrow; :mod:`.points`: many sites and the data
layers), shapes and projection (:mod:`.shapes`), styles and text wrapping (:mod:`.style`),
label placement (:mod:`.labels`) and the bundled font (:mod:`.fonts`). Every public name
is re-exported here.

Imports ``model``, ``text`` and the shared I/O helpers (``_atomic``, ``_safeio``); never
``web`` or ``publish``. matplotlib is imported inside the functions that draw.
"""

from __future__ import annotations

from maplayout.print.figure import (
    PAPERS,
    draw_figure,
    figure_cli,
    figure_text,
    local_crs,
    make_figure,
    make_figures,
)
from maplayout.print.fonts import (
    BUNDLED_FAMILY,
    FontChoice,
    bundled_font_files,
    choose_font,
    system_font_for,
    uncovered,
)
from maplayout.print.furniture import north_arrow, scale_bar
from maplayout.print.labels import Around, BesideMarker, Label, OnAnchor, PlacerStats, place_labels
from maplayout.print.layers import draw_map, unit_face
from maplayout.print.legend import LegendRow, legend_entries, legend_handles, legend_rows
from maplayout.print.links import BesideLine, draw_links
from maplayout.print.points import (
    COUNT_DIAMETER,
    MANY_SITES,
    MANY_SITES_RINGS,
    RASTER_POINTS,
    LayerStyle,
    draw_layers,
    draw_many_sites,
    layer_credit,
    layer_legend_rows,
    layer_styles,
    point_diameter,
)
from maplayout.print.shapes import (
    add_shape,
    inside,
    project,
    region_view,
    simplified,
    sites_view,
    to_local,
)
from maplayout.print.sitekey import KeyLayout, draw_key_page, key_pages, site_key, site_lines
from maplayout.print.style import LABEL_BOX, NEIGHBOUR, PX, balanced, dash, site_marker, wrap

__all__ = [
    "BUNDLED_FAMILY",
    "COUNT_DIAMETER",
    "LABEL_BOX",
    "MANY_SITES",
    "MANY_SITES_RINGS",
    "NEIGHBOUR",
    "PAPERS",
    "PX",
    "RASTER_POINTS",
    "Around",
    "BesideLine",
    "BesideMarker",
    "FontChoice",
    "KeyLayout",
    "Label",
    "LayerStyle",
    "LegendRow",
    "OnAnchor",
    "PlacerStats",
    "add_shape",
    "balanced",
    "bundled_font_files",
    "choose_font",
    "dash",
    "draw_figure",
    "draw_key_page",
    "draw_layers",
    "draw_links",
    "draw_many_sites",
    "draw_map",
    "figure_cli",
    "figure_text",
    "inside",
    "key_pages",
    "layer_credit",
    "layer_legend_rows",
    "layer_styles",
    "legend_entries",
    "legend_handles",
    "legend_rows",
    "local_crs",
    "make_figure",
    "make_figures",
    "north_arrow",
    "place_labels",
    "point_diameter",
    "project",
    "region_view",
    "scale_bar",
    "simplified",
    "site_key",
    "site_lines",
    "site_marker",
    "sites_view",
    "system_font_for",
    "to_local",
    "uncovered",
    "unit_face",
    "wrap",
]
