"""Save any ``folium.Map`` as one self-contained, reproducible HTML file.

:func:`save_offline` renders the map with deterministic element ids
(:func:`deterministic_ids`) and, with ``inline=True`` (the default), replaces every
``<script src>`` and ``<link href>`` that folium and its plugins load from a CDN with the
same file read from an **installed Python package** (:data:`ASSET_SOURCES`): nothing
third-party is copied into maplayout. A CDN asset that no installed package ships is a
one-line :class:`~maplayout.errors.BuildError` naming it (save with ``inline=False`` to keep
the CDN links instead).

folium loads Bootstrap, Font Awesome and Leaflet.awesome-markers on every map, but only
:class:`folium.Icon` markers use them; when the map holds no such icon they are left out,
so a map of polygons, lines, circles, popups, ``DivIcon`` labels and default markers needs
only Leaflet (``xstatic-leaflet``) and jQuery (``xstatic-jquery``: folium's popups use it).
"""

from __future__ import annotations

import base64
import importlib
import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from maplayout._atomic import write_text_atomic
from maplayout.errors import BuildError, DependencyMissingError

__all__ = ["ASSET_SOURCES", "deterministic_ids", "render_html", "save_offline"]

#: CDN file name → (Python module shipping it, path inside the module's folder, pip name).
ASSET_SOURCES: dict[str, tuple[str, str, str]] = {
    "leaflet.js": ("xstatic.pkg.leaflet", "data/leaflet.js", "xstatic-leaflet"),
    "leaflet.css": ("xstatic.pkg.leaflet", "data/leaflet.css", "xstatic-leaflet"),
    "leaflet.markercluster.js": (
        "xstatic.pkg.leaflet_markercluster",
        "data/leaflet.markercluster.js",
        "xstatic-leaflet-markercluster",
    ),
    "MarkerCluster.css": (
        "xstatic.pkg.leaflet_markercluster",
        "data/MarkerCluster.css",
        "xstatic-leaflet-markercluster",
    ),
    "MarkerCluster.Default.css": (
        "xstatic.pkg.leaflet_markercluster",
        "data/MarkerCluster.Default.css",
        "xstatic-leaflet-markercluster",
    ),
    # folium ships the heat-map plugin's script in its own wheel
    "leaflet_heat.min.js": ("folium", "templates/leaflet_heat.min.js", "folium"),
    "jquery-3.7.1.min.js": ("xstatic.pkg.jquery", "data/jquery.min.js", "xstatic-jquery"),
}

#: folium's default assets that only ``folium.Icon`` (awesome-markers) needs.
_ICON_ASSETS = frozenset(
    {
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)
_TAG = re.compile(
    r'<script src="(?P<js>[^"]+)"></script>|<link rel="stylesheet" href="(?P<css>[^"]+)"\s*/?>'
)
_MARKERS = ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")


def _walk(element: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """``element`` and every element under it: its children and the elements it holds as
    attributes (a ``Popup``'s ``html``), each once, in a stable order."""
    from branca.element import Element

    seen = set() if seen is None else seen
    if id(element) in seen:
        return
    seen.add(id(element))
    yield element
    held = [v for k, v in vars(element).items() if k != "_parent" and isinstance(v, Element)]
    for child in [*element._children.values(), *held]:
        yield from _walk(child, seen)


@contextmanager
def deterministic_ids(root: Any) -> Iterator[None]:
    """Within the block, every element under ``root`` (and any created meanwhile) has an id
    from a counter in tree order instead of branca's random hex; restored on exit."""
    from branca.element import Element

    counter = itertools.count(1)
    saved_ids = []
    saved_children = []
    for el in _walk(root):
        saved_ids.append((el, el._id))
        saved_children.append((el, el._children))
    renamed = {}
    for el, _ in saved_ids:
        old = el.get_name()
        el._id = f"{next(counter):08d}"
        renamed[old] = el.get_name()
    for el, children in saved_children:
        el._children = type(children)((renamed.get(k, k), v) for k, v in children.items())
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):08d}")  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]
        for el, old_id in saved_ids:
            el._id = old_id
        for el, children in saved_children:
            el._children = children


def _uses_icons(m: Any) -> bool:
    import folium

    return any(isinstance(el, folium.Icon) for el in _walk(m))


@contextmanager
def _needed_defaults(m: Any) -> Iterator[None]:
    """Leave out folium's icon assets while rendering a map that has no ``folium.Icon``."""
    if _uses_icons(m):
        yield
        return
    had_js, had_css = "default_js" in vars(m), "default_css" in vars(m)
    old_js, old_css = m.default_js, m.default_css
    m.default_js = [(n, u) for n, u in old_js if n not in _ICON_ASSETS]
    m.default_css = [(n, u) for n, u in old_css if n not in _ICON_ASSETS]
    try:
        yield
    finally:
        for attr, had, old in (("default_js", had_js, old_js), ("default_css", had_css, old_css)):
            if had:
                setattr(m, attr, old)
            else:
                delattr(m, attr)


def _asset_file(url: str) -> Path:
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    if name not in ASSET_SOURCES:
        raise BuildError(
            f"cannot save offline: no installed package ships {name} ({url}); "
            "save with inline=False to load it from the network, or leave out what needs it"
        )
    module, rel, pip_name = ASSET_SOURCES[name]
    try:
        mod = importlib.import_module(module)
    except ImportError:
        raise DependencyMissingError(
            f"cannot save offline: {name} ({url}) comes from {pip_name}: pip install {pip_name}"
        ) from None
    path = Path(str(mod.__file__)).parent / rel
    if not path.is_file():
        raise BuildError(f"cannot save offline: {pip_name} has no {rel} ({url})")
    return path


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(path: Path) -> str:
    """The stylesheet with the images it names (relative ``url()``) as data: URIs."""

    def image(m: re.Match[str]) -> str:
        target = path.parent / m.group(1)
        return f"url({_data_uri(target)})" if target.is_file() else "none"

    css = path.read_text(encoding="utf-8")
    return re.sub(r"url\((?!data:)['\"]?([\w./-]+\.png)['\"]?\)", image, css)


def _default_icon_script(leaflet_css: Path) -> str:
    """Give Leaflet's default marker its images as data: URIs (no request for them)."""
    images = leaflet_css.parent / "images"
    keys = ("iconUrl", "iconRetinaUrl", "shadowUrl")
    opts = ",".join(f'{k}:"{_data_uri(images / f)}"' for k, f in zip(keys, _MARKERS, strict=True))
    return f"<script>L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({{{opts}}});</script>"


def _safe(text: str, name: str) -> str:
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise BuildError(f"cannot inline {name}: it contains a closing </script> or </style>")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)


def _inline(html: str) -> str:
    def tag(m: re.Match[str]) -> str:
        url = m.group("js") or m.group("css")
        path = _asset_file(url)
        if m.group("js"):
            out = f"<script>{_safe(path.read_text(encoding='utf-8'), path.name)}</script>"
            if path.name == "leaflet.js":
                out += _default_icon_script(_asset_file("leaflet.css"))
            return out
        return f"<style>{_safe(_inline_css(path), path.name)}</style>"

    return _TAG.sub(tag, html)


def render_html(m: Any, *, inline: bool = True) -> str:
    """The whole HTML document of folium map ``m``, ids deterministic, assets inlined."""
    root = m.get_root()
    with deterministic_ids(root), _needed_defaults(m) if inline else _nothing():
        html = str(root.render())
    return _inline(html) if inline else html


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def save_offline(m: Any, path: str | os.PathLike[str], *, inline: bool = True) -> Path:
    """Write folium map ``m`` to ``path`` atomically: byte-identical for identical maps.

    Parameters
    ----------
    m
        A :class:`folium.Map` (from :meth:`~maplayout.model.LayoutModel.explore` or your own),
        with any plugins.
    path
        The HTML file to write.
    inline
        ``True`` (default): every script and stylesheet is read from an installed package
        and written into the file, so the page opens without a network; an asset no
        installed package ships raises :class:`~maplayout.errors.BuildError` naming it.
        ``False``: keep folium's CDN links (the page needs the network), ids still stable.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return write_text_atomic(path, render_html(m, inline=inline))
