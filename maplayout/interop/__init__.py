"""maplayout in the notebook ecosystem: folium maps, offline saves, GIS exports, display.

* :func:`explore` — a layout as a ``folium.Map`` (needs ``maplayout[folium]``);
* :func:`save_offline` — any folium map as one reproducible file that needs no network;
* :func:`to_file` — every layer to GeoPackage, GeoJSON, Shapefile, KML, CSV or GeoParquet;
* :func:`model_html` — a model's notebook summary (``LayoutModel._repr_html_``).

The modules import folium, branca and pyarrow only when called.
"""

from maplayout.interop.display import model_html, model_repr
from maplayout.interop.explore import explore, layer_names
from maplayout.interop.export import FORMATS, SHORT_NAMES, to_file
from maplayout.interop.offline import deterministic_ids, render_html, save_offline

__all__ = [
    "FORMATS",
    "SHORT_NAMES",
    "deterministic_ids",
    "explore",
    "layer_names",
    "model_html",
    "model_repr",
    "render_html",
    "save_offline",
    "to_file",
]
