"""The interactive map: a layout model rendered as one offline HTML page.

* :mod:`maplayout.web.render` — :func:`render_map` and the maps' index page
  :func:`render_index` (Jinja templates in ``templates/``, assets in ``static/``);
* :mod:`maplayout.web.payload` — the model as the JSON payload the page script reads;
* :mod:`maplayout.web.layerdata` — the data layers' payload: points, clusters per zoom,
  hexbins, counts (only a page whose plan has layers carries it);
* :mod:`maplayout.web.codec` — the geometry text encoding and JSON safe in ``<script>``;
* :mod:`maplayout.web.viewerjs` — the page script, joined from ``static/js`` modules;
* :mod:`maplayout.web.basemaps` — tile providers and their datum;
* :mod:`maplayout.web.page` — :class:`MapPage`, the rendered page (a ``str`` with ``.save``).

This package reads the model, the geo stage's datum conversion and :mod:`maplayout.text`;
it opens no file but its own packaged assets and no URL.
"""

from __future__ import annotations

from maplayout.web.basemaps import PROVIDERS, Basemap, get_basemap
from maplayout.web.codec import (
    ALPHABET,
    SCALE,
    encode_geometry,
    encode_ints,
    encode_points,
    encode_ring,
    script_json,
)
from maplayout.web.layerdata import class_breaks, clusters, hexbins, layers_payload, mercator_px
from maplayout.web.page import MapPage, iframe
from maplayout.web.payload import build_payload, page_data
from maplayout.web.render import render_index, render_map
from maplayout.web.viewerjs import JS_MODULES, LAYER_MODULES, app_js, js_module, page_js

__all__ = [
    "ALPHABET",
    "JS_MODULES",
    "LAYER_MODULES",
    "PROVIDERS",
    "SCALE",
    "Basemap",
    "MapPage",
    "app_js",
    "build_payload",
    "class_breaks",
    "clusters",
    "encode_geometry",
    "encode_ints",
    "encode_points",
    "encode_ring",
    "get_basemap",
    "hexbins",
    "iframe",
    "js_module",
    "layers_payload",
    "mercator_px",
    "page_data",
    "page_js",
    "render_index",
    "render_map",
    "script_json",
]
