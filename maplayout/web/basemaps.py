"""Basemap providers for the interactive maps, each with the datum its tiles are drawn in.

``none`` (the default) draws no tiles at all: the map works offline and shows the
neighbouring provinces for context. Every other provider loads tiles from the network; when
they fail (offline, behind a firewall) the overlays still work. The datum matters: Gaode
(Amap) tiles are in GCJ-02, so every WGS-84 overlay is shifted onto GCJ-02 before embedding
(otherwise features sit ~600 m off at Changsha). Tianditu uses CGCS2000, which agrees with
WGS-84 to well under a metre at map scales.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maplayout.errors import BuildError, closest
from maplayout.strings import BASEMAP_ATTRIBUTIONS, BASEMAP_LABELS

__all__ = ["PROVIDERS", "Basemap", "get_basemap"]


@dataclass(frozen=True)
class Basemap:
    """A tile provider: URL template(s), datum of the tiles and attribution per language."""

    name: str
    datum: str  # "WGS84" or "GCJ02": the datum overlays must be converted to
    label: dict[str, str]  # layer-control name per language
    attribution: dict[str, str]  # plain text (escaped by the page), per language
    tiles: tuple[str, ...] = ()  # URL templates drawn in order (base, then annotations)
    subdomains: str = ""
    max_zoom: int = 18
    needs_key: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def to_json(self, lang: str, key: str | None = None) -> dict[str, Any]:
        """The JSON the page's script reads (URL templates with the key filled in)."""
        tiles = [
            t.replace("{tk}", key or "").replace("{lang}", _TDT_LANG[lang]) for t in self.tiles
        ]
        return {
            "name": self.name,
            "datum": self.datum,
            "label": self.label,
            "attribution": self.attribution,
            "tiles": tiles,
            "subdomains": self.subdomains,
            "maxZoom": self.max_zoom,
        }


_TDT_LANG = {"zh-Hans": "c", "zh-Hant": "c", "en": "e"}


def _provider(name: str, datum: str = "WGS84", **options: Any) -> Basemap:
    """The provider ``name`` with its label and attribution from :mod:`maplayout.strings`."""
    return Basemap(name, datum, BASEMAP_LABELS[name], BASEMAP_ATTRIBUTIONS[name], **options)


_PROVIDERS = (
    _provider("none"),
    _provider(
        "osm",
        tiles=("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
        max_zoom=19,
    ),
    _provider(
        "carto-light",
        tiles=("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",),
        subdomains="abcd",
        max_zoom=19,
    ),
    _provider(
        "gaode",
        "GCJ02",
        tiles=(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang={gdlang}&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}",
        ),
        subdomains="1234",
    ),
    _provider(
        "tianditu",
        tiles=(
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            "&TILECOL={x}&tk={tk}",
            "https://t{s}.tianditu.gov.cn/{lang}va_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
            "&VERSION=1.0.0&LAYER={lang}va&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}",
        ),
        subdomains="01234567",
        needs_key=True,
    ),
)
PROVIDERS: dict[str, Basemap] = {p.name: p for p in _PROVIDERS}


def get_basemap(name: str, tianditu_key: str | None = None) -> Basemap:
    """Return the provider called ``name``; raise :class:`BuildError` with a one-line reason.

    >>> get_basemap("gaode").datum
    'GCJ02'
    """
    key = str(name).strip().lower()
    if key not in PROVIDERS:
        hint = closest(key, PROVIDERS)
        raise BuildError(
            f"unknown basemap {name!r}; expected one of {', '.join(sorted(PROVIDERS))}"
            + (f" (closest: {', '.join(hint)})" if hint else "")
        )
    provider = PROVIDERS[key]
    if provider.needs_key and not (tianditu_key or "").strip():
        raise BuildError(
            "basemap 'tianditu' needs an API key: pass --tianditu-key KEY "
            "(free at console.tianditu.gov.cn)"
        )
    return provider
