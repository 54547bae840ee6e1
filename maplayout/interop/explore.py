"""A layout as a ``folium.Map``: :func:`explore`, mirroring ``GeoDataFrame.explore``.

Every layer of the layout's own page (units by role, prefecture borders in a county view,
group outlines, corridors with direction arrows, sites with their uncertainty circles,
neighbouring provinces, labels) becomes one named ``folium.FeatureGroup``; the legend is a
branca element; a ``LayerControl`` lists them. Over Gaode (Amap) tiles every geometry is
shifted to GCJ-02 first (:mod:`maplayout.geo.datum`). What the bridge leaves to the page:
the label collision avoidance, the search box and the 简 / 繁 / EN switch (a folium map is
drawn in one language: pass ``lang``).

folium and branca are an optional extra: ``pip install "maplayout[folium]"``.
"""

from __future__ import annotations

import html
from typing import Any

from maplayout.errors import BuildError, DependencyMissingError
from maplayout.interop._layers import LAYER_KEYS, layer_groups
from maplayout.model import LANGS, LayoutModel, in_datum, pick_text
from maplayout.text import attribution_text, page_ui, ui_strings
from maplayout.web.basemaps import get_basemap

__all__ = ["explore", "layer_names"]

#: Drawing order (bottom first); the layer control lists the layers in this order too.
DRAW_ORDER = ("context", "units", "parents", "groups", "links", "uncertainty", "sites", "labels")

_LEGEND_TEMPLATE = """
{% macro header(this, kwargs) %}
<style>
.ml-fl-legend{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.45 sans-serif;max-width:300px}
.ml-fl-legend i{display:inline-block;width:14px;height:10px;margin-right:6px;
  vertical-align:middle;border:2px solid}
.ml-fl-legend small{display:block;color:#555;margin-top:4px}
.ml-fl-label{white-space:nowrap;transform:translate(-50%,-50%);font:12px sans-serif;
  color:#222;text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;width:max-content}
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function () {
  var div = L.DomUtil.create('div', 'ml-fl-legend');
  div.innerHTML = {{ this.html|tojson }};
  L.DomEvent.disableClickPropagation(div);
  return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
"""


def _layer_control(folium: Any) -> Any:
    """A ``LayerControl`` whose script runs after the page's other scripts, so that layers a
    user adds after :func:`explore` (a ``MarkerCluster``) are defined when it lists them
    (folium's own control must otherwise be the last thing added)."""
    from branca.element import Template

    class LayerControl(folium.LayerControl):  # type: ignore[misc,name-defined]
        _base = folium.LayerControl._template
        _template = Template(
            "{% macro script(this, kwargs) %}setTimeout(function () {\n"
            "{{ this._base.module.script(this, kwargs) }}\n}, 0);{% endmacro %}"
        )

    return LayerControl(collapsed=True)


def _require_folium() -> Any:
    try:
        import folium
    except ImportError:
        raise DependencyMissingError(
            'explore() needs folium: pip install "maplayout[folium]"'
        ) from None
    return folium


def layer_names(model: LayoutModel, lang: str = "zh-Hans") -> dict[str, str]:
    """The page's layer-control name of each layer key, in ``lang``."""
    ui = page_ui(model.level)[lang]
    return {k: ui[s.format(level=model.level)] for k, s in LAYER_KEYS}


def _legend_html(model: LayoutModel, lang: str, datum: str) -> str:
    ui = ui_strings()[lang]
    rows = [f"<b>{html.escape(ui['legend'])}</b>"]
    for e in model.legend:
        st = e.get("style") or {}
        fill = st.get("fill") or st.get("color") or "#cccccc"
        stroke = st.get("stroke") or st.get("color") or fill
        opacity = st.get("fill_opacity", 1.0) if e.get("kind") != "group" else 0
        swatch = (
            f"background:{html.escape(str(fill))};opacity:{float(opacity or 0) * 0.6 + 0.4:.2f};"
            f"border-color:{html.escape(str(stroke))}"
        )
        if e.get("kind") == "site":
            swatch += ";border-radius:50%;width:10px"
        label = html.escape(pick_text(e.get("label"), lang))
        rows.append(f'<div><i style="{swatch}"></i>{label}</div>')
    rows.append(f"<small>{html.escape(attribution_text(model.meta, lang, datum))}</small>")
    return "".join(rows)


def _legend(model: LayoutModel, lang: str, datum: str) -> Any:
    from branca.element import MacroElement, Template

    el = MacroElement()
    el._name = "Legend"
    el._template = Template(_LEGEND_TEMPLATE)
    el.position = "bottomright"  # type: ignore[attr-defined]
    el.html = _legend_html(model, lang, datum)  # type: ignore[attr-defined]
    return el


def _tiles(folium: Any, m: Any, basemap: str, lang: str, key: str | None) -> None:
    provider = get_basemap(basemap, key)
    spec = provider.to_json(lang, key)
    for i, url in enumerate(spec["tiles"]):
        folium.TileLayer(
            tiles=url,
            attr=provider.attribution[lang],
            name=provider.label[lang] + (f" ({i + 1})" if i else ""),
            subdomains=provider.subdomains or "abc",
            max_zoom=provider.max_zoom,
            overlay=bool(i),
            gdlang="en" if lang == "en" else "zh_cn",
        ).add_to(m)


def _new_map(
    folium: Any,
    shifted: LayoutModel,
    max_zoom: int,
    basemap: str,
    lang: str,
    key: str | None,
    folium_kwargs: dict[str, Any],
) -> Any:
    """A new ``folium.Map`` with the basemap's tiles, fitted to the (shifted) units."""
    m = folium.Map(tiles=None, **folium_kwargs)
    # a map without tiles needs a maxZoom of its own (MarkerCluster asks for it)
    m.options.setdefault("maxZoom", folium_kwargs.get("max_zoom", max_zoom))
    _tiles(folium, m, basemap, lang, key)
    x0, y0, x1, y1 = (float(v) for v in shifted.units.total_bounds)
    m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def explore(
    model: LayoutModel,
    m: Any = None,
    *,
    basemap: str = "none",
    lang: str = "zh-Hans",
    tianditu_key: str | None = None,
    legend: bool = True,
    layer_control: bool = True,
    **folium_kwargs: Any,
) -> Any:
    """The layout as an interactive ``folium.Map``, one ``FeatureGroup`` per layer.

    Parameters
    ----------
    model
        A joined layout model (WGS-84).
    m
        An existing ``folium.Map`` to draw onto; ``None`` makes a new one fitted to the
        layout. Pass the ``basemap`` its tiles are in, so that the layout is shifted to match
        (``"gaode"`` → GCJ-02); tiles are added only to a new map.
    basemap
        ``"none"`` (no tiles: works offline, the default), ``"osm"``, ``"carto-light"``,
        ``"gaode"`` or ``"tianditu"`` (needs ``tianditu_key``), as for the page.
    lang
        ``"zh-Hans"`` (default), ``"zh-Hant"`` or ``"en"``: layer names, labels, popups,
        legend.
    legend, layer_control
        Add the legend (a branca element, bottom right) and a ``folium.LayerControl`` (not
        added when ``m`` already has one).
    **folium_kwargs
        Passed to ``folium.Map`` when a new map is made (``width``, ``height``,
        ``zoom_start``, ``control_scale`` …).

    Returns
    -------
    folium.Map
        Save it with :func:`maplayout.save_offline` for a file that opens without a network.
    """
    folium = _require_folium()
    if lang not in LANGS:
        raise BuildError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    provider = get_basemap(basemap, tianditu_key)
    model.check()
    shifted = in_datum(model, provider.datum)
    if m is None:
        m = _new_map(folium, shifted, provider.max_zoom, basemap, lang, tianditu_key, folium_kwargs)
    layers = layer_groups(shifted, lang, layer_names(model, lang))
    for key in DRAW_ORDER:
        if key in layers:
            layers[key][0].add_to(m)
    if legend:
        _legend(shifted, lang, provider.datum).add_to(m)
    has_control = any(isinstance(c, folium.LayerControl) for c in m._children.values())
    if layer_control and not has_control:
        _layer_control(folium).add_to(m)
    return m
