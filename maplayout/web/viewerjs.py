"""The map page's script, kept as small modules in ``static/js`` and joined at render time.

No bundler: the modules are consecutive pieces of one closure (``head.js`` opens it,
``main.js`` closes it), joined in :data:`JS_MODULES` order into the one inline script.
Placeholders of the form ``@NAME@`` are filled from the Python side, so that a list kept
in Python (the search suffixes of :mod:`maplayout.geo.names`) has one home.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["JS_MODULES", "LAYER_MODULES", "app_js", "js_module", "page_js"]

JS_DIR = Path(__file__).resolve().parent / "static" / "js"

#: Module names in joining order (each ``static/js/<name>.js``).
JS_MODULES: tuple[str, ...] = (
    "head",
    "decode",
    "area",
    "carto",
    "text",
    "popups",
    "layers",
    "sitegroups",
    "labelview",
    "labels",
    "controls",
    "overlays",
    "search",
    "searchbox",
    "i18n",
    "main",
)

#: Modules of a page whose plan has data layers, joined just before ``main`` (a page without
#: layers does not carry them, so its script stays what it was).
LAYER_MODULES: tuple[str, ...] = ("datadecode", "datalayer", "datapanel")

_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
_REGEX_SAFE = re.compile(r"[^\\^$.|?*+()\[\]{}/]+")


@lru_cache(maxsize=1)
def _values() -> dict[str, str]:
    from maplayout.geo.names import viewer_suffixes

    zh, en = viewer_suffixes()
    for suf in (*zh, *en):  # they go into a regular expression literally
        if not _REGEX_SAFE.fullmatch(suf):
            raise ValueError(f"suffix {suf!r} has a character special in a regular expression")
    return {"ZH_SUFFIXES": "|".join(zh), "EN_SUFFIXES": "|".join(en)}


def js_module(name: str) -> str:
    """One module's text with its placeholders filled in (an unknown placeholder is an error)."""
    text = (JS_DIR / f"{name}.js").read_text(encoding="utf-8")
    values = _values()

    def _fill(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise KeyError(f"static/js/{name}.js: unknown placeholder {m.group(0)}")
        return values[m.group(1)]

    return _PLACEHOLDER.sub(_fill, text)


def app_js(layers: bool = False) -> str:
    """The whole script, readable: the modules joined in order (what the tests pin); with
    ``layers``, the :data:`LAYER_MODULES` before ``main``."""
    names = JS_MODULES[:-1] + LAYER_MODULES + JS_MODULES[-1:] if layers else JS_MODULES
    return "".join(js_module(name) for name in names)


@lru_cache(maxsize=2)
def page_js(layers: bool = False) -> str:
    """The script as the page inlines it: :func:`app_js` minified by ``rjsmin`` (comments and
    spaces only; a third of the page script's bytes), keeping the map page within its budget."""
    import rjsmin

    return str(rjsmin.jsmin(app_js(layers)))
